"""What surrounds every page: Streamlit's English texts replaced by French ones, our own sidebar links (they
carry the label and département), a French message for a mistyped page address."""

from __future__ import annotations

from urllib.parse import urlparse

import streamlit as st

from geo.io import limits
from views.state import escape_md

# Streamlit's widgets write a few English words that no option turns off: each is hidden and, where the
# user needs a word, replaced by a French one drawn by CSS. The table toolbar (search, full screen and a
# comma-separated "Download as CSV") is hidden: every table has our own exports under it.
CSS = """<style>
[data-testid="stFileUploaderDropzoneInstructions"] > div > span,
[data-testid="stFileUploaderDropzoneInstructions"] > div > small { display: none; }
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {
  content: "Glissez-déposez un fichier ici (CSV, XLSX, JSON, GeoJSON ; MAX_MO Mo au plus)"; font-size: 0.9rem; }
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"]::after {
  content: "Choisir un fichier"; font-size: 0.9rem; }
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] span { display: none; }
[data-testid="stElementToolbar"] { display: none; }
[data-testid="stMultiSelectDropdown"] [data-empty], [data-testid="stSelectboxVirtualDropdown"] [data-empty] {
  font-size: 0; }
[data-testid="stMultiSelectDropdown"] [data-empty]::after,
[data-testid="stSelectboxVirtualDropdown"] [data-empty]::after { content: "Aucun résultat"; font-size: 0.9rem; }
[data-testid="stMetricValue"] > div { overflow: visible; text-overflow: clip; white-space: normal; }
[data-testid="stMetricLabel"] p { white-space: normal; }
.st-key-tdj-courbe { max-width: 100%; }
</style>""".replace("MAX_MO", str(limits.MAX_BYTES // 2**20))  # the limit geo/io/limits.py applies


def french_chrome() -> None:
    st.markdown(CSS, unsafe_allow_html=True)


def sidebar_links(where, pages: list, current) -> None:
    """The pages as sidebar links that keep the label (and the département where a page has one)."""
    from views.widgets import CHOSEN_DEP, CHOSEN_LABEL

    label = st.session_state.get(CHOSEN_LABEL)
    dep = st.session_state.get(CHOSEN_DEP)
    for page in pages:
        params = {}
        if label:
            params["label"] = label
        if dep and page.url_path in ("departement", "presentation"):
            params["dep"] = dep
        if page.url_path == "region" and st.session_state.get("region_choisie"):
            params["reg"] = st.session_state["region_choisie"]
        where.page_link(page, label=page.title, icon=page.icon, query_params=params or None)


def unknown_page(current) -> None:
    """A mistyped address opens the default page: say so in French, in place of Streamlit's English box."""
    path = urlparse(st.context.url or "").path.strip("/")
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    path = path.removeprefix(base).strip("/").removesuffix(current.url_path).strip("/")
    if path:
        st.warning(f"Page « {escape_md(path)} » introuvable : la page {current.title} est affichée à la place. "
                   "Les pages sont dans la barre latérale.")
        # Streamlit's own English "Page not found" box is hidden while this message is on the page
        st.markdown('<span class="tdj-page-inconnue"></span><style>body:has(.tdj-page-inconnue) '
                    '[data-testid="stDialog"] {display: none;}</style>', unsafe_allow_html=True)
