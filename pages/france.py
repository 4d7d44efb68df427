"""France: the national map of départements and their table."""

import streamlit as st
from streamlit_folium import st_folium

from geo import france_map
from pages.common import departements, metadata, require_store

version = require_store()
st.title("France — départements")
meta = metadata(version)
st.caption(f"Géographie officielle COG {meta.get('cog', '?')} · magasin construit le {meta.get('construit_le', '?')}")


@st.cache_resource(show_spinner=False)
def _map(version: str):
    return france_map.build()


st_folium(_map(version), height=620, use_container_width=True, returned_objects=[], key="carte_france")
table = departements(version).rename(columns={"code": "Code", "nom": "Département", "region": "Région",
                                              "population": "Population", "communes": "Communes"})
st.dataframe(table, hide_index=True, use_container_width=True)
