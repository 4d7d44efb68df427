"""Terres de Jeux — entry point: `streamlit run app.py`."""

import streamlit as st

st.set_page_config(page_title="Territoires labellisés", page_icon="🏅", layout="wide")

pages = [
    st.Page("views/france.py", title="France", icon="🗺️", default=True, url_path="france"),
    st.Page("views/departement.py", title="Département", icon="📍", url_path="departement"),
    st.Page("views/centres.py", title="Centres de préparation", icon="🏟️", url_path="centres"),
    st.Page("views/listes.py", title="Listes", icon="📋", url_path="listes"),
    st.Page("views/importer.py", title="Importer", icon="📥", url_path="importer"),
    st.Page("views/presentation.py", title="Présentation", icon="🖥️", url_path="presentation"),
]
st.navigation(pages).run()
