"""Shared helpers for the pages: page state in the URL, cached access keyed by the store's identity."""

from __future__ import annotations

import streamlit as st

from geo import coverage, labels, lists, territory
from geo.errors import GeoError
from geo.paths import store_path
from geo.synth import SYNTH_SUFFIX

MEASURE_DEFAULT = "pct_communes_couvertes"
BASEMAPS = ["aucun", "OpenStreetMap (en ligne)"]


def store_version() -> str:
    """Changes whenever the store file is rebuilt or written, so caches follow it."""
    path = store_path()
    if not path.exists():
        return ""
    st_ = path.stat()
    return f"{st_.st_ino}-{st_.st_mtime_ns}"


def require_store() -> str:
    """Stop the page with a French explanation when the store is missing."""
    version = store_version()
    if not version:
        st.error(f"Le magasin de données {store_path()} n'existe pas encore. Construisez-le avec "
                 "« make run » ou « python -m geo build ».")
        st.stop()
    return version


def param(name: str, default: str | None = None) -> str | None:
    return st.query_params.get(name, default)


def set_params(**values) -> None:
    for key, value in values.items():
        if value in (None, "", False):
            st.query_params.pop(key, None)
        else:
            st.query_params[key] = str(value)


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


def choose_label(version: str, key: str = "label", sidebar: bool = True) -> str | None:
    """The label selector (shown when several labels are loaded); its value lives in the URL."""
    names = label_names(version)
    if not names:
        st.info("Aucune liste importée pour l'instant : la carte montre la géographie seule. "
                "Importez une liste dans la page **Importer**.")
        return None
    current = param("label")
    if current not in names:
        real = [n for n in names if not n.endswith(SYNTH_SUFFIX)]
        current = real[0] if real else names[0]
    where = st.sidebar if sidebar else st
    if len(names) > 1:
        current = where.selectbox("Label", names, index=names.index(current), key=key)
    else:
        where.markdown(f"**Label** : {names[0]}")
    set_params(label=current)
    if current.endswith(SYNTH_SUFFIX):
        st.warning("Données **synthétiques** (générées pour les tests) : elles ne décrivent aucun territoire réel.")
    return current


def warn_synthetic(shown_sites) -> None:
    """Synthetic sites are never shown without saying so."""
    if len(shown_sites) and shown_sites["label"].str.endswith(SYNTH_SUFFIX).any():
        st.warning("Une partie des centres affichés sont des données **synthétiques** (générées pour les tests) : "
                   "ils ne décrivent aucun centre réel.")


def choose_departement(version: str, key: str = "dep", where=None) -> str:
    deps = departements(version)
    options = list(deps["code"])
    names = dict(zip(deps["code"], deps["nom"], strict=True))
    current = param("dep", "62")
    if current not in options:
        st.warning(f"Département « {current} » inconnu : Pas-de-Calais affiché.")
        current = "62"
    where = where or st.sidebar
    chosen = where.selectbox("Département", options, index=options.index(current),
                             format_func=lambda c: f"{c} — {names[c]}", key=key)
    set_params(dep=chosen)
    return chosen


@st.cache_data(show_spinner=False)
def data_date(version: str) -> str:
    meta = metadata(version)
    built = meta.get("construit_le", "")[:10]
    imports = labels.list_imports()
    last = imports["importe_le"].max() if len(imports) else None
    text = f"Géographie COG {meta.get('cog', '?')} (magasin du {built})"
    if last is not None and last == last:
        text += f" · dernier import le {last:%d/%m/%Y}"
    return text


def fmt_int(value) -> str:
    return f"{int(value):,}".replace(",", "\u202f")


def fmt_pct(value) -> str:
    return f"{value:.1f} %".replace(".", ",") if value == value else "—"
