"""Coverage over time on a page: a month control (kept in the URL as `au=2019-11`), the counts as they stood
at the end of that month, and the cumulative chart of the territory against France (geo/data/timeline.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from geo import fr
from geo.data import timeline
from geo.slides import area_png
from views.caches import ENTRIES
from views.formatting import fmt_int
from views.state import escape_md, url_widget


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _history(version: str, label: str, deps: tuple, until: dt.date):
    towns = timeline.communes_in(list(deps) or None)
    return timeline.history(label, towns, until=until), timeline.undated(label, towns)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _chart_end(version: str, label: str, today: dt.date) -> dt.date:
    """Where the chart stops, read once per store version and day (two reads of the store per page run before)."""
    return timeline.chart_end(label, today)


@st.cache_data(show_spinner=False, max_entries=ENTRIES)
def _chart(version: str, label: str, deps: tuple, name: str, until: dt.date) -> bytes:
    here, _ = _history(version, label, deps, until)
    france = None if not deps else _history(version, label, (), until)[0]
    return area_png.timeline_png(here, france, name)


def choose_month(version: str, label: str, deps: tuple[str, ...], page: str, where=None) -> dt.date:
    """The month control (in the sidebar unless `where` says otherwise; the current month by default): first day
    of the chosen month."""
    today = dt.date.today()
    hist, _ = _history(version, label, deps, today)
    # the months where something can change (to a year after the last labelling, as the chart), then the current one
    by_key = timeline.offered_months(hist["mois"], _chart_end(version, label, today), today)
    now = today.replace(day=1)
    keys = list(by_key)
    key = url_widget((where or st.sidebar).select_slider, "Couverture au", key=f"{page}.au", param="au",
                     default=keys[-1], valid=lambda v: v in by_key, options=keys,
                     invalid=lambda raw: f"Mois « {escape_md(raw)} » hors de la période des listes (attendu : "
                                         "aaaa-mm) : la couverture d'aujourd'hui est affichée.",
                     format_func=lambda k: "aujourd'hui" if by_key[k] == now else
                     f"fin {timeline.month_label(by_key[k])}",
                     help="La couverture telle qu'elle était à la fin du mois choisi, selon la date de labellisation "
                          "de chaque ligne des listes.")
    return by_key[key]


def counts_at(version: str, label: str, deps: tuple[str, ...], day: dt.date) -> dict:
    """The counts of France (no département) or some départements at the end of `day` (a row of the history)."""
    hist, _ = _history(version, label, deps, dt.date.today())
    month = day.replace(day=1)
    return hist[hist["mois"] == month].iloc[0].to_dict()


def map_day(month: dt.date) -> dt.date | None:
    """The day a map is drawn at: the end of a past month, None (today) for the current month."""
    today = dt.date.today()
    if (month.year, month.month) == (today.year, today.month):
        return None
    return (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()


def today_note(month: dt.date | None) -> None:
    """Under a page's key figures when a past month is chosen: which numbers are of today, which of that month."""
    if month is not None and map_day(month):
        st.caption(f"Chiffres clés et tableaux : aujourd'hui. La carte et « Couverture dans le temps » : fin "
                   f"{timeline.month_label(month)}.")


def show(version: str, label: str, deps: tuple[str, ...], name: str, month: dt.date, title: bool = True) -> None:
    """The section « Couverture dans le temps » for France (no département) or some départements."""
    today = dt.date.today()
    hist, undated = _history(version, label, deps, today)
    if title:
        st.subheader("Couverture dans le temps")
    row = hist[hist["mois"] == month].iloc[0]
    c1, c2, c3, c4 = st.columns(4)
    # the current month is today, not its end (« fin décembre » read on 4 December announces a future)
    when = "aujourd'hui" if map_day(month) is None else f"fin {timeline.month_label(month)}"
    c1.metric(f"Communes labellisées {when}", fmt_int(row["communes_labellisees"]))
    c2.metric("Communes couvertes à cette date", fmt_int(row["communes_couvertes"]),
              help="Labellisées, ou membres d'un EPCI ou d'un EPT labellisé à cette date")
    c3.metric("EPCI / EPT labellisés à cette date", fmt_int(row["epci_labellises"]))
    c4.metric("Départements labellisés à cette date", fmt_int(row["departements_labellises"]))
    if row.get("sites", 0):
        st.caption(f"Sites labellisés à cette date (toutes listes de sites, chacun compté une fois) : "
                   f"{fmt_int(row['sites'])}.")
    if undated["lignes"]:
        since = ", ".join(fr.short(d) for d in undated["dates"])
        st.caption(f"{fmt_int(undated['lignes'])} ligne(s) sans date de labellisation : comptées à partir de la date "
                   f"de leur liste, ou à défaut de leur import ({since}).")
    end = _chart_end(version, label, today)
    # at most 900 pixels wide, and no wider than the page (a projector's 1280×720 leaves ~820)
    st.container(width=900, key="tdj-courbe").image(_chart(version, label, deps, name, end), width="stretch",
             caption=f"Nombres cumulés à la fin de chaque mois, {name}" + (" (trait plein) et France (tirets, échelle "
                     "de droite)" if deps else "") + (f" ; la courbe s'arrête le {fr.short(end)}, un an après la "
                     "dernière labellisation des listes chargées." if end < today else "."))
