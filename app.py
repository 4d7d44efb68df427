"""Terres de Jeux — entry point: `streamlit run app.py`."""

import streamlit as st

st.set_page_config(page_title="Territoires labellisés", page_icon="🏅", layout="wide")

pages = [
    st.Page("pages/france.py", title="France", icon="🗺️", default=True, url_path="france"),
]
st.navigation(pages).run()
