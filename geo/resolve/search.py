"""Finding a commune by what an officer types: accents, case, hyphens and St/Ste abbreviations do not matter."""

from __future__ import annotations

import pandas as pd

from geo.resolve.normalize import place_key


def find_communes(towns: pd.DataFrame, query: str, limit: int = 30) -> pd.DataFrame:
    """Communes of `towns` (columns code, nom) matching `query`: same name first, then names starting with
    it, then names containing it, then an INSEE code; the most populated first within each group."""
    text = (query or "").strip()
    key = place_key(text)
    if not key:
        return towns.iloc[0:0]
    keys = towns["nom"].map(place_key)
    rank = pd.Series(9, index=towns.index)
    rank[keys.str.contains(key, regex=False)] = 2
    rank[keys.str.startswith(key)] = 1
    rank[keys == key] = 0
    rank[towns["code"] == text.upper()] = 0
    found = towns.assign(_rang=rank)[rank < 9]
    sort = ["_rang", "population"] if "population" in found else ["_rang"]
    found = found.sort_values(sort, ascending=[True, False][:len(sort)], na_position="last")
    return found.drop(columns="_rang").head(limit)
