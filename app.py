"""Terres de Jeux — entry point: `streamlit run app.py`."""

import logging
from pathlib import Path

import streamlit as st

from geo.access import EDITOR
from views import access
from views.chrome import french_chrome, sidebar_links, unknown_page
from views.common import count_visit
from views.errors import shown_in_french
from views.page_slots import page_slot
from views.server_guard import install as guard_the_server

# once per process: a per-session bound on rerun requests, so that no single reader can stall the server
guard_the_server()

# what the app's own code logs (imports, refusals, interrupted resolutions) goes to the server's output
for name in ("geo", "views"):
    if not logging.getLogger(name).handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logging.getLogger(name).addHandler(handler)
        logging.getLogger(name).setLevel(logging.INFO)

# a local favicon: a Material icon here would be fetched from Google's font server
st.set_page_config(page_title="Territoires labellisés", page_icon=str(Path(__file__).parent / "static" / "favicon.png"),
                   layout="wide")

pages = [
    st.Page("views/france.py", title="France", icon=":material/map:", default=True, url_path="france"),
    st.Page("views/region.py", title="Région", icon=":material/layers:", url_path="region"),
    st.Page("views/departement.py", title="Département", icon=":material/location_on:", url_path="departement"),
    st.Page("views/centres.py", title="Centres de préparation", icon=":material/stadium:", url_path="centres"),
    st.Page("views/listes.py", title="Listes", icon=":material/list_alt:", url_path="listes"),
    st.Page("views/croiser.py", title="Croiser", icon=":material/join_inner:", url_path="croiser"),
    st.Page("views/importer.py", title="Importer", icon=":material/upload_file:", url_path="importer"),
    st.Page("views/noms_retenus.py", title="Noms retenus", icon=":material/bookmark:", url_path="noms-retenus"),
    st.Page("views/presentation.py", title="Présentation", icon=":material/slideshow:", url_path="presentation"),
]
# the pages that write are routed only for editors: at their address a reader's session runs a page that says
# why, whatever it sends (no Streamlit « page not found » box, no link in the sidebar)
if access.role(access.read_settings_for_this_run()) != EDITOR:
    pages = [st.Page("views/refused.py", title=p.title, icon=p.icon, url_path=p.url_path)
             if p.url_path in access.WRITE_PAGES else p for p in pages]
    shown = [p for p in pages if p.url_path not in access.WRITE_PAGES]
else:
    shown = pages
french_chrome()
# our own sidebar links, drawn after the page so that they carry the label and département it settled on
links = st.sidebar.container()
current = st.navigation(pages, position="hidden")
unknown_page(current)
access.sidebar_box(st.sidebar.container())
count_visit(current.url_path)
# a page that fails shows a French message with a reference, never a traceback; the server log has the details
with shown_in_french():
    try:
        with page_slot(current.url_path):  # map pages a few at a time, first come first served
            current.run()
    finally:
        sidebar_links(links, shown, current)
