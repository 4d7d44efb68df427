"""The région of a page (région page, Présentation), kept in the URL as `reg`, and its cached figures."""

import streamlit as st

from geo.data import coverage, territory
from views.caches import regions
from views.state import escape_md, url_widget

CHOSEN_REG = "region_choisie"


@st.cache_data(show_spinner=False)
def coverage_by_region(version: str, label: str):
    return coverage.by_region(label)


@st.cache_data(show_spinner=False)
def region_communes(version: str, reg: str):
    return territory.communes_of_region(reg).drop(columns="geometry")


def choose_region(version: str, page: str, where=None) -> str:
    """The région of a page, from the link (`reg=32`), else the one chosen before, else Hauts-de-France."""
    regs = regions(version)
    names = dict(zip(regs["code"], regs["nom"], strict=True))
    kept = st.session_state.get(CHOSEN_REG)
    default = kept if kept in names else "32"
    key = f"{page}.reg"
    chosen = url_widget((where or st.sidebar).selectbox, "Région", key=key, param="reg", default=default,
                        parse=lambda raw: raw.strip().zfill(2), valid=lambda c: c in names, keep_default=True,
                        invalid=lambda raw: f"Région « {escape_md(raw)} » inconnue : "
                                            f"{escape_md(names[default])} ({default}) est affichée.",
                        options=list(names), format_func=lambda c: f"{c} — {names[c]}")
    st.session_state[CHOSEN_REG] = chosen
    return chosen
