"""The sidebar controls shared by the pages (label, département, base map, dates), each kept in the URL."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from geo import fr
from geo.build.synth import SYNTH_SUFFIX
from views.caches import departements, label_genres, territorial_labels
from views.state import escape_md, url_widget

MEASURE_DEFAULT = "pct_communes_couvertes"
BASEMAPS = ["aucun", "OpenStreetMap (en ligne)"]
CHOSEN_LABEL = "label_choisi"      # the label chosen on any page, kept for the whole session
CHOSEN_DEP = "departement_choisi"  # likewise the département


def choose_label(version: str, page: str, sidebar: bool = True) -> str | None:
    """The label of territories shown by a coverage page: from the link, else the one chosen on another page,
    else Terre de Jeux; never a list of sites. The choice follows the officer from page to page."""
    names = territorial_labels(version)
    if not names:
        st.info("Aucune liste de territoires importée pour l'instant : la carte montre la géographie seule. "
                "Importez une liste dans la page **Importer**.")
        return None
    kept = st.session_state.get(CHOSEN_LABEL)
    default = kept if kept in names else names[0]
    where = st.sidebar if sidebar else st
    genres = label_genres(version)

    def invalid(raw: str) -> str:
        if genres.get(raw) == "sites":
            return (f"« {escape_md(raw)} » est une liste de sites (points), pas un label de territoires : "
                    f"{escape_md(default)} est affiché.")
        return f"Label « {escape_md(raw)} » inconnu : {escape_md(default)} est affiché."

    key = f"{page}.label"
    current = url_widget(where.selectbox if len(names) > 1 else _fixed(where), "Label", key=key, param="label",
                         default=default, valid=lambda v: v in names, invalid=invalid, keep_default=True,
                         options=names, on_change=_remember, args=(key, CHOSEN_LABEL))
    st.session_state[CHOSEN_LABEL] = current
    if current.endswith(SYNTH_SUFFIX):
        st.warning("Données **synthétiques** (générées pour les tests) : elles ne décrivent aucun territoire réel.")
    return current


def _remember(key: str, target: str) -> None:
    """A page's choice becomes the session's before the next run draws the links."""
    st.session_state[target] = st.session_state[key]


def _fixed(where):
    """Stands in for a selectbox when there is a single option: shows it as text, returns it."""
    def show(label: str, *, key: str, options: list[str], **_) -> str:
        where.markdown(f"**{label}** : {escape_md(options[0])}")
        return options[0]
    return show


def departement_code(raw: str) -> str:
    """A département code as officers type it: "2a" is 2A, "6" is 06."""
    text = raw.strip().upper()
    return text.zfill(2) if text.isdigit() and len(text) == 1 else text


def choose_departement(version: str, page: str, where=None) -> str:
    """The département of a page, from the link (2A, 2a, 6 and 06 accepted), else the one chosen before."""
    deps = departements(version)
    options = list(deps["code"])
    names = dict(zip(deps["code"], deps["nom"], strict=True))
    kept = st.session_state.get(CHOSEN_DEP)
    default = kept if kept in names else "62"
    key = f"{page}.dep"
    chosen = url_widget((where or st.sidebar).selectbox, "Département", key=key, param="dep", default=default,
                        parse=departement_code, valid=lambda c: c in names, keep_default=True,
                        invalid=lambda raw: f"Département « {escape_md(raw)} » inconnu : "
                                            f"{escape_md(names[default])} ({default}) est affiché.",
                        options=options, format_func=lambda c: f"{c} — {names[c]}",
                        on_change=_remember, args=(key, CHOSEN_DEP))
    st.session_state[CHOSEN_DEP] = chosen
    return chosen


def basemap_widget(page: str) -> str:
    """The base map choice of a page, kept in the URL (`fond`)."""
    return url_widget(st.sidebar.selectbox, "Fond de carte", key=f"{page}.fond", param="fond", default="aucun",
                      valid=lambda v: v in BASEMAPS, options=BASEMAPS)


def date_box(label: str, key: str, param: str):
    """A date typed in French (jj/mm/aaaa) and kept in the URL as aaaa-mm-jj; None when empty or invalid
    (then the officer is told, in French)."""
    def from_url(raw: str) -> str:
        return fr.short(dt.date.fromisoformat(raw))

    def to_url(text: str) -> str | None:
        try:
            return fr.parse(text).isoformat()
        except ValueError:
            return None

    text = url_widget(st.sidebar.text_input, label, key=key, param=param, default="", parse=from_url, dump=to_url,
                      invalid=lambda raw: f"Date « {escape_md(raw)} » invalide dans le lien (attendu : "
                                          "aaaa-mm-jj, par ex. 2019-11-20) : ce filtre est ignoré.",
                      placeholder="jj/mm/aaaa")
    if not text.strip():
        return None
    try:
        return fr.parse(text)
    except ValueError:
        st.warning(f"Date « {escape_md(text)} » non reconnue : tapez-la sous la forme jj/mm/aaaa "
                   "(par ex. 20/11/2019). Ce filtre est ignoré.")
        return None
