"""Straight-line distance (« à vol d'oiseau », never travel time) from each commune to the nearest site of a
label, in a metric projection: Lambert-93 (EPSG:2154) for the metropolis and Corsica, the local one for each
DROM (5490 Antilles, 2972 Guyane, 2975 La Réunion, 4471 Mayotte). A commune is its reference point (inside its
polygon); a site is its coordinates, or its commune's point when it has none. Sites serve only their own zone:
a site in Guadeloupe is not the nearest for a commune of Martinique."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from geo import settings
from geo.analysis.scope import Scope, communes, is_sites
from geo.data import labels

# zone of a département -> EPSG code of its metric projection
PROJECTIONS = {"metro": 2154, "971": 5490, "972": 5490, "973": 2972, "974": 2975, "976": 4471}
CLASSES_KM = (5, 10, 20, 30)  # map classes: < 5, 5-10, 10-20, 20-30, 30 km and more
NO_SITE = "aucun site dans sa zone"
_transformers: dict[int, Transformer] = {}


def zone(departement: str) -> str:
    """The projection zone of a département: its own code for a DROM, « metro » otherwise."""
    return departement if departement in PROJECTIONS else "metro"


def project(lon, lat, epsg: int) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes (WGS84) to metres in a projection."""
    if epsg not in _transformers:
        _transformers[epsg] = Transformer.from_crs(4326, epsg, always_xy=True)
    x, y = _transformers[epsg].transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x), np.asarray(y)


def radii() -> list[int]:
    """The radii (km) whose population is counted: TDJ_RAYONS_KM, « 10,20,30 » by default."""
    values = sorted({int(float(v)) for v in settings.get("TDJ_RAYONS_KM").replace(";", ",").split(",") if v.strip()})
    return [v for v in values if v > 0] or [10, 20, 30]


def nearest(points: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """For each point (columns lon, lat, zone), the index of the nearest target of the same zone and the distance in
    km; -1 and NaN where its zone has no target. Uses a spatial index (shapely STRtree) per zone."""
    index = np.full(len(points), -1, dtype=np.int64)
    dist = np.full(len(points), np.nan)
    p_zone, t_zone = points["zone"].to_numpy(), targets["zone"].to_numpy()
    p_ok = points["lon"].notna().to_numpy() & points["lat"].notna().to_numpy()
    t_ok = targets["lon"].notna().to_numpy() & targets["lat"].notna().to_numpy()
    for z in np.unique(p_zone[p_ok]):
        rows, cols = np.flatnonzero(p_ok & (p_zone == z)), np.flatnonzero(t_ok & (t_zone == z))
        if not len(cols):
            continue
        epsg = PROJECTIONS[z]
        tx, ty = project(targets["lon"].to_numpy()[cols], targets["lat"].to_numpy()[cols], epsg)
        px, py = project(points["lon"].to_numpy()[rows], points["lat"].to_numpy()[rows], epsg)
        tree = shapely.STRtree(shapely.points(tx, ty))
        (src, found), d = tree.query_nearest(shapely.points(px, py), return_distance=True, all_matches=False)
        index[rows[src]] = cols[found]
        dist[rows[src]] = d / 1000.0
    return pd.DataFrame({"cible": index, "distance_km": dist}, index=points.index)


def site_points(site_label: str, store: Path | None = None) -> pd.DataFrame:
    """The label's sites that count (labels.counted_sites: in a commune, not a duplicate) with a place: their
    coordinates, else their commune's point (`sur_commune` says so)."""
    sites = labels.counted_sites(labels.sites(site_label, store))
    own = sites["lon"].notna() & sites["lat"].notna()
    out = pd.DataFrame({
        "nom": sites["nom"], "commune": sites["commune"], "commune_nom": sites["commune_nom"],
        "departement": sites["departement"].fillna(""),
        "lon": sites["lon"].where(own, sites["commune_lon"]), "lat": sites["lat"].where(own, sites["commune_lat"]),
        "sur_commune": ~own})
    out = out[out["lon"].notna() & out["lat"].notna()].reset_index(drop=True)
    out["zone"] = out["departement"].map(zone)
    return out


def to_sites(site_label: str, scope: Scope, store: Path | None = None) -> pd.DataFrame:
    """Each commune of the territory with its distance (km) to the nearest site of the label, that site, and its
    distance class; sites outside the territory count (the nearest CPJ may be in the next département)."""
    if not is_sites(site_label, store):
        raise ValueError(f"« {site_label} » n'est pas une liste de sites")
    towns = communes(scope, store)
    sites = site_points(site_label, store)
    return with_nearest(towns, sites)


def with_nearest(towns: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Communes (code, departement, point_lon, point_lat…) with the nearest of some sites (nom, commune_nom, lon,
    lat, zone): distance_km, site_proche, site_commune and classe."""
    points = pd.DataFrame({"lon": towns["point_lon"], "lat": towns["point_lat"],
                           "zone": towns["departement"].map(zone)}, index=towns.index)
    near = nearest(points, sites)
    found = near["cible"].to_numpy() >= 0
    out = towns.copy()
    out["distance_km"] = near["distance_km"]
    picked = near["cible"].where(found, 0).to_numpy()
    out["site_proche"] = np.where(found, sites["nom"].to_numpy()[picked] if len(sites) else "", None)
    out["site_commune"] = np.where(found, sites["commune_nom"].to_numpy()[picked] if len(sites) else "", None)
    out["classe"] = distance_class(out["distance_km"])
    return out


def class_names() -> list[str]:
    """The distance classes, nearest first, then communes with no site in their zone."""
    bounds = CLASSES_KM
    names = [f"moins de {bounds[0]} km"]
    names += [f"{a} à {b} km" for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    return names + [f"{bounds[-1]} km et plus", NO_SITE]


def distance_class(distance_km: pd.Series) -> pd.Series:
    """Each distance's class name (class_names)."""
    names = class_names()
    positions = np.searchsorted(np.asarray(CLASSES_KM, dtype=float), distance_km.fillna(-1).to_numpy(), side="right")
    out = pd.Series([names[i] for i in positions], index=distance_km.index, dtype=object)
    out[distance_km.isna()] = NO_SITE
    return out


def population_within(distances: pd.DataFrame, radii_km: list[int] | None = None) -> pd.DataFrame:
    """Communes and population whose point is within each radius of a site, and the share of the territory's."""
    total = max(int(distances["population"].sum()), 1)
    rows = []
    for r in radii_km or radii():
        inside = distances["distance_km"] <= r
        pop = int(distances.loc[inside, "population"].sum())
        rows.append({"rayon_km": r, "communes": int(inside.sum()), "population": pop, "part_population": pop / total
                     * 100})
    return pd.DataFrame(rows)


def farthest(distances: pd.DataFrame, n: int = 20) -> pd.DataFrame:
    """The communes farthest from any site (those with no site in their zone are left to the caller)."""
    return distances[distances["distance_km"].notna()].nlargest(n, "distance_km")


def for_table(distances: pd.DataFrame) -> pd.DataFrame:
    """Distances with French column names (km to 0.1, codes as text)."""
    return pd.DataFrame({
        "Code INSEE": distances["code"], "Commune": distances["nom"], "Département": distances["departement"],
        "EPCI": distances["epci_nom"].fillna(""), "Population": distances["population"].astype(int),
        "Distance à vol d'oiseau (km)": distances["distance_km"].round(1),
        "Site le plus proche": distances["site_proche"].fillna(""),
        "Commune du site": distances["site_commune"].fillna(""), "Classe": distances["classe"]})
