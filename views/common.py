"""Shared helpers for the pages: page state in the URL, cached access keyed by the store's identity."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from geo import fr
from geo.build.synth import SYNTH_SUFFIX
from geo.data import coverage, labels, lists, provenance, territory
from geo.errors import GeoError
from geo.paths import store_path
from geo.store.identity import identity
from views.state import escape_md, set_params, url_widget  # noqa: F401 (set_params used by the pages)

MEASURE_DEFAULT = "pct_communes_couvertes"
BASEMAPS = ["aucun", "OpenStreetMap (en ligne)"]


def store_version() -> str:
    """The store's version (geo.store.identity): every cache of the pages keys on it."""
    return identity().version


def require_store() -> str:
    """Stop the page with a French explanation when the store is missing."""
    version = store_version()
    if not version:
        st.error(f"Le magasin de données {store_path()} n'existe pas encore. Construisez-le avec "
                 "« make run » ou « python -m geo build ».")
        st.stop()
    return version


@st.cache_data(show_spinner=False)
def departements(version: str):
    return territory.departements()


@st.cache_data(show_spinner=False)
def regions(version: str):
    return territory.regions()


@st.cache_data(show_spinner=False)
def metadata(version: str) -> dict:
    try:
        return territory.metadata()
    except GeoError:
        return {}


@st.cache_data(show_spinner=False)
def label_names(version: str) -> list[str]:
    return labels.labels()


@st.cache_data(show_spinner=False)
def territorial_labels(version: str) -> list[str]:
    return labels.territorial_labels()


@st.cache_data(show_spinner=False)
def label_genres(version: str) -> dict[str, str]:
    return labels.label_genres()


@st.cache_data(show_spinner=False)
def coverage_by_departement(version: str, label: str):
    return coverage.by_departement(label)


@st.cache_data(show_spinner=False)
def coverage_france(version: str, label: str) -> dict:
    return coverage.france(label)


@st.cache_data(show_spinner=False)
def sites(version: str):
    return labels.sites()


@st.cache_data(show_spinner=False)
def communes(version: str, dep: str):
    return territory.communes_of_departement(dep).drop(columns="geometry")


@st.cache_data(show_spinner=False)
def labelled(version: str, label: str, deps: tuple, epci: str | None, levels: tuple, date_from, date_to):
    return lists.labelled(label, list(deps), epci, list(levels), date_from, date_to)


@st.cache_data(show_spinner=False)
def not_covered(version: str, label: str, deps: tuple, epci: str | None):
    return lists.not_covered(label, list(deps), epci)


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


def warn_synthetic(shown_sites) -> None:
    """Synthetic sites are never shown without saying so."""
    if len(shown_sites) and shown_sites["label"].str.endswith(SYNTH_SUFFIX).any():
        st.warning("Une partie des centres affichés sont des données **synthétiques** (générées pour les tests) : "
                   "ils ne décrivent aucun centre réel.")


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


@st.cache_data(show_spinner=False)
def data_date(version: str, label: str | None = None) -> str:
    """The list's own dates and the geography's, said apart (the import date is not the list's date)."""
    lists_text = provenance.list_dates(label)
    return " · ".join(t for t in (lists_text, provenance.geography()) if t)


def fmt_int(value) -> str:
    return f"{int(value):,}".replace(",", "\u202f")


def fmt_pct(value) -> str:
    return f"{value:.1f} %".replace(".", ",") if value == value else "—"


def basemap_widget(page: str) -> str:
    """The base map choice of a page, kept in the URL (`fond`)."""
    return url_widget(st.sidebar.selectbox, "Fond de carte", key=f"{page}.fond", param="fond", default="aucun",
                      valid=lambda v: v in BASEMAPS, options=BASEMAPS)


def page_visit() -> int:
    """How many times the officer has entered a page in this session (a new number on each arrival)."""
    return int(st.session_state.get(VISIT, 0))


VISIT = "_visite"


def count_visit(url_path: str) -> None:
    """Called by app.py before each page run: a new visit when the page differs from the last one run."""
    if st.session_state.get("_page") != url_path:
        st.session_state["_page"] = url_path
        st.session_state[VISIT] = int(st.session_state.get(VISIT, 0)) + 1


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


def file_name(kind: str, territory: str, ext: str) -> str:
    """An export's file name saying what, where and when: labellises-62-pas-de-calais-2026-11-22.csv."""
    from geo.fr import fold

    where = "-".join(fold(territory).split()) or "france"
    return f"{kind}-{where}-{dt.date.today().isoformat()}.{ext}"


def plural(n: int, one: str, many: str) -> str:
    """"1 commune", "34 875 communes"."""
    return f"{fmt_int(n)} {one if n == 1 else many}"


def french_numbers(df, columns: list[str] | None = None):
    """A table's numbers as French text for display (3 902 ; 26,6), the exported file keeping plain numbers."""
    import pandas as pd

    out = df.copy()
    for column in columns if columns is not None else list(out.columns):
        series = out[column]
        if pd.api.types.is_bool_dtype(series):
            out[column] = series.map({True: "oui", False: "non"})
        elif pd.api.types.is_integer_dtype(series) or (pd.api.types.is_float_dtype(series) and
                                                        (series.dropna() % 1 == 0).all()):
            out[column] = series.map(lambda v: fmt_int(v) if v == v and v is not None else "")
        elif pd.api.types.is_float_dtype(series):
            out[column] = series.map(lambda v: f"{v:.6g}".replace(".", ",") if v == v else "")
    return out


def table(df, empty: str = "Aucune ligne à afficher.", **kwargs) -> None:
    """st.dataframe, except that an empty table is said in French (Streamlit draws "empty" on its canvas)."""
    if len(df) == 0:
        st.text(empty)
    else:
        st.dataframe(df, **{"hide_index": True, "width": "stretch", "placeholder": "—", **kwargs})
