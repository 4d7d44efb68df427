"""What a reader sees at the address of a write page (/importer, /noms-retenus): why it is closed and how to
open it — the page's own code is never routed for a reader, so nothing it would write can run."""

import streamlit as st

from views.access import refused_text, settings

st.title("Réservé aux éditeurs")
config = settings()
st.warning(refused_text(config))
if config.mode != "lecture":
    st.caption("Les autres pages (France, Département, Centres de préparation, Listes, Présentation) sont ouvertes "
               "à tous.")
