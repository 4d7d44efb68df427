"""Store budgets: full build ≤ 60 s; one département's communes with display geometry ≤ 50 ms warm.

Baselines in the same run: a GeoPandas notebook reading the same communes from a GeoPackage,
and GeoPandas' dissolve of all communes into départements.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd

from bench.common import median_seconds, ms
from geo.build import build
from geo.data import territory
from geo.paths import store_path


def run() -> list[tuple[str, str, str, str]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.duckdb"
        t_build = median_seconds(lambda: build(out), repeat=2, warmup=0)
        allc = gpd.GeoDataFrame(
            territory._frame("SELECT code, departement, geom FROM communes WHERE geom IS NOT NULL", store=out))
        allc = gpd.GeoDataFrame(allc.drop(columns="geom"), geometry=gpd.GeoSeries.from_wkb(
            [bytes(b) for b in allc["geom"]], crs=4326))
        t_dissolve = median_seconds(lambda: allc.dissolve("departement"), repeat=1, warmup=0)
        rows.append(("Construction complète du magasin (sources en cache)", f"{t_build:.1f} s",
                     f"GeoPandas `dissolve` des communes en départements seul : {t_dissolve:.1f} s", "≤ 60 s"))

        store = store_path()
        for dep in ("62", "94"):
            t_read = median_seconds(lambda d=dep: territory.communes_of_departement(d, store=store), repeat=30)
            gpkg = Path(tmp) / f"communes-{dep}.gpkg"
            allc[allc["departement"] == dep].to_file(gpkg)
            allc[allc["departement"] != dep].head(2000).to_file(gpkg, mode="a")  # a realistic file holds others
            t_base = median_seconds(lambda g=gpkg, d=dep: gpd.read_file(g, where=f"departement = '{d}'"), repeat=10)
            rows.append((f"Communes du {dep} avec géométrie d'affichage (à chaud)", ms(t_read),
                         f"`gpd.read_file` GeoPackage pleine résolution : {ms(t_base)} ({t_base / t_read:.1f}×)",
                         "≤ 50 ms"))
    return rows
