"""The communes a label does not cover, largest first, each with its EPCI, the nearest covered commune and the
straight-line distance to it (same projections as distances.py): where to look for the next labels."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.analysis import distances
from geo.analysis.scope import Scope, communes, members


def ranked(label: str, scope: Scope, store: Path | None = None, min_population: int | None = None,
           min_distance_km: float | None = None, max_distance_km: float | None = None) -> pd.DataFrame:
    """Uncovered communes of the territory ranked by population (then name), with the nearest commune the label
    holds anywhere in their zone (the next département's counts) and the distance to it; filters applied."""
    everywhere = communes(Scope("france"), store)
    held = everywhere[everywhere["code"].isin(members(label, store))]
    towns = communes(scope, store)
    gaps = towns[~towns["code"].isin(set(held["code"]))]
    targets = pd.DataFrame({"nom": held["nom"], "code": held["code"],
                            "lon": held["point_lon"], "lat": held["point_lat"],
                            "zone": held["departement"].map(distances.zone)}).reset_index(drop=True)
    out = gaps.reset_index(drop=True)
    near = distances.nearest(pd.DataFrame({"lon": out["point_lon"], "lat": out["point_lat"],
                                           "zone": out["departement"].map(distances.zone)}), targets)
    found = near["cible"] >= 0
    picked = near["cible"].where(found, 0).to_numpy()
    out["distance_km"] = near["distance_km"]
    out["commune_proche"] = targets["nom"].to_numpy()[picked] if len(targets) else None
    out["commune_proche_code"] = targets["code"].to_numpy()[picked] if len(targets) else None
    out.loc[~found, ["commune_proche", "commune_proche_code"]] = None
    if min_population:
        out = out[out["population"] >= min_population]
    if min_distance_km is not None:
        out = out[out["distance_km"] >= min_distance_km]
    if max_distance_km is not None:
        out = out[out["distance_km"] <= max_distance_km]
    return out.sort_values(["population", "nom"], ascending=[False, True]).reset_index(drop=True)


def for_table(gaps: pd.DataFrame, label: str) -> pd.DataFrame:
    """The ranked gaps with French column names."""
    return pd.DataFrame({
        "Rang": range(1, len(gaps) + 1), "Code INSEE": gaps["code"], "Commune": gaps["nom"],
        "Département": gaps["departement"], "Population": gaps["population"].astype(int),
        "EPCI": gaps["epci_nom"].fillna(""),
        f"Commune « {label} » la plus proche": gaps["commune_proche"].fillna(""),
        "Son code INSEE": gaps["commune_proche_code"].fillna(""),
        "Distance à vol d'oiseau (km)": gaps["distance_km"].round(1)})
