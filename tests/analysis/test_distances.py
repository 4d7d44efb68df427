"""Distance to the nearest site (issue 25): against hand-computed cases in Lambert-93 and in a DROM projection,
zones kept apart, classes, population within a radius. Sites here are SYNTHETIC."""

import math

import pandas as pd
import pytest
from pyproj import Transformer

from geo import imports
from geo.analysis import distances, gaps
from geo.analysis.scope import Scope
from geo.io.readers import read_bytes


def lonlat(x: float, y: float, epsg: int) -> tuple[float, float]:
    return Transformer.from_crs(epsg, 4326, always_xy=True).transform(x, y)


def test_lambert93_origin_is_where_the_projection_says():
    """Lambert-93's natural origin (3° E, 46.5° N) is at (700 000 m, 6 600 000 m) by definition."""
    x, y = distances.project([3.0], [46.5], 2154)
    assert x[0] == pytest.approx(700_000, abs=0.01) and y[0] == pytest.approx(6_600_000, abs=0.01)


def test_distance_against_a_hand_computed_lambert93_case():
    """A commune at the origin (700 000, 6 600 000) and two sites at (703 000, 6 604 000) — 3 km east, 4 km north:
    5 km by Pythagoras — and (690 000, 6 600 000), 10 km west. The nearest is the first, at 5.000 km."""
    points = pd.DataFrame({"lon": [3.0], "lat": [46.5], "zone": ["metro"]})
    s1, s2 = lonlat(703_000, 6_604_000, 2154), lonlat(690_000, 6_600_000, 2154)
    sites = pd.DataFrame({"lon": [s2[0], s1[0]], "lat": [s2[1], s1[1]], "zone": ["metro", "metro"]})
    near = distances.nearest(points, sites)
    assert near.loc[0, "cible"] == 1
    assert near.loc[0, "distance_km"] == pytest.approx(5.0, abs=1e-6)


def test_each_drom_in_its_own_projection_and_zone():
    """La Réunion (EPSG:2975): (340 000, 7 660 000) to (346 000, 7 668 000) is 10 km; a site of the metropolis or of
    Martinique is never the nearest for a commune of La Réunion, nor a Réunion site for Martinique."""
    c = lonlat(340_000, 7_660_000, 2975)
    s = lonlat(346_000, 7_668_000, 2975)
    martinique = lonlat(710_000, 1_615_000, 5490)
    points = pd.DataFrame({"lon": [c[0], martinique[0]], "lat": [c[1], martinique[1]], "zone": ["974", "972"]})
    sites = pd.DataFrame({"lon": [2.35, s[0]], "lat": [48.85, s[1]], "zone": ["metro", "974"]})
    near = distances.nearest(points, sites)
    assert near.loc[0, "cible"] == 1 and near.loc[0, "distance_km"] == pytest.approx(10.0, abs=1e-6)
    assert near.loc[1, "cible"] == -1 and math.isnan(near.loc[1, "distance_km"])  # no site in Martinique
    assert distances.zone("974") == "974" and distances.zone("2A") == "metro" and distances.zone("62") == "metro"
    assert {distances.PROJECTIONS[z] for z in ("971", "972")} == {5490}


def test_classes_and_population_within():
    df = pd.DataFrame({"distance_km": [0.0, 4.99, 5.0, 12.0, 25.0, 31.0, float("nan")],
                       "population": [100, 10, 20, 30, 40, 50, 60]})
    df["classe"] = distances.distance_class(df["distance_km"])
    names = distances.class_names()
    assert list(df["classe"]) == [names[0], names[0], names[1], names[2], names[3], names[4], distances.NO_SITE]
    within = distances.population_within(df, [10, 20, 30]).set_index("rayon_km")
    assert within.loc[10, "population"] == 130 and within.loc[20, "population"] == 160
    assert within.loc[30, "population"] == 200 and within.loc[30, "communes"] == 5
    assert within.loc[30, "part_population"] == pytest.approx(200 / 310 * 100)


def test_radii_setting(monkeypatch):
    monkeypatch.setenv("TDJ_RAYONS_KM", "15, 5")
    assert distances.radii() == [5, 15]
    monkeypatch.delenv("TDJ_RAYONS_KM")
    assert distances.radii() == [10, 20, 30]


def test_distances_of_the_communes_of_a_departement(store_copy):
    """A SYNTHETIC site with no coordinates in Arras counts at Arras's point: Arras at 0 km; every commune of the
    62 has a distance; the farthest is farther than any other."""
    raw = b"nom;ville;code_postal\nSite (test);Arras;62000\n"
    imports.commit(imports.prepare(read_bytes(raw, "s.csv"), "Sites (test)", sites=True, raw=raw, store=store_copy),
                   store_copy)
    dist = distances.to_sites("Sites (test)", Scope("departement", "62"), store_copy).set_index("code")
    assert dist.loc["62041", "distance_km"] == pytest.approx(0.0, abs=1e-6)
    assert dist.loc["62041", "site_proche"] == "Site (test)"
    assert dist["distance_km"].notna().sum() == 887 - dist["point_lon"].isna().sum()
    far = distances.farthest(dist.reset_index(), 3)
    assert far["distance_km"].iloc[0] == dist["distance_km"].max()
    with pytest.raises(ValueError):
        distances.to_sites("Terre de Jeux 2024 (test)", Scope("departement", "62"), store_copy)


def test_gaps_ranked_by_population_with_the_nearest_covered_commune(store_copy):
    raw = b"nom;departement\nSangatte;62\nArras;62\n"
    imports.commit(imports.prepare(read_bytes(raw, "l.csv"), "Label (test)", raw=raw, store=store_copy), store_copy)
    ranked = gaps.ranked("Label (test)", Scope("departement", "62"), store_copy)
    assert len(ranked) == 887 - 2 and list(ranked["population"]) == sorted(ranked["population"], reverse=True)
    calais = ranked.set_index("code").loc["62193"]
    assert calais["commune_proche"] == "Sangatte" and calais["commune_proche_code"] == "62774"
    assert ranked.iloc[0]["code"] == "62193"  # Calais, the largest commune not covered
    big = gaps.ranked("Label (test)", Scope("departement", "62"), store_copy, min_population=20_000,
                      min_distance_km=9)
    assert (big["population"] >= 20_000).all() and (big["distance_km"] >= 9).all() and "62193" not in set(big["code"])
