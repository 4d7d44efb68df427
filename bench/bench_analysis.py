"""Croiser et distances (issue 25): nearest of 3,000 sites for 34,875 communes ≤ 1 s; two labels crossed ≤ 0.5 s.

Data: the real lists shipped in data/labels (Terre de Jeux départements and first wave, Petites villes de demain)
and 3,000 SYNTHETIC sites (commune points of 3,000 communes drawn at random, seed 2024, moved by up to ±2 km),
never stored. Baselines measured in the same run: the brute-force distance matrix in numpy (same projections, also
the check that the spatial index finds the same nearest distances), and the coverage of France of one label.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from bench.common import median_seconds, ms
from geo.analysis import crossing, distances, gaps, scope
from geo.analysis.scope import Scope, communes
from geo.data import coverage
from geo.imports.seed import seed
from geo.maps import crossing_map, region_map
from geo.paths import store_path
from geo.store import reader

TDJ, PVD = "Terre de Jeux 2024", "Petites villes de demain"


def synthetic_sites(towns: pd.DataFrame, n: int = 3000, seed_: int = 2024) -> pd.DataFrame:
    """SYNTHETIC sites: n commune points drawn at random, each moved by up to ±0.02° (about 2 km)."""
    rng = np.random.default_rng(seed_)
    placed = towns[towns["point_lon"].notna()]
    pick = placed.iloc[rng.choice(len(placed), n, replace=False)]
    return pd.DataFrame({"nom": [f"Site {i} (synthétique)" for i in range(n)], "commune_nom": pick["nom"].to_numpy(),
                         "lon": pick["point_lon"].to_numpy() + rng.uniform(-0.02, 0.02, n),
                         "lat": pick["point_lat"].to_numpy() + rng.uniform(-0.02, 0.02, n),
                         "zone": pick["departement"].map(distances.zone).to_numpy()})


def brute_force(towns: pd.DataFrame, sites: pd.DataFrame) -> np.ndarray:
    """Every commune against every site of its zone (chunks of 2,000 communes): the reference and the check."""
    out = np.full(len(towns), np.nan)
    t_zone = towns["departement"].map(distances.zone).to_numpy()
    for z, epsg in distances.PROJECTIONS.items():
        rows = np.flatnonzero((t_zone == z) & towns["point_lon"].notna().to_numpy())
        cols = np.flatnonzero(sites["zone"].to_numpy() == z)
        if not len(rows) or not len(cols):
            continue
        sx, sy = distances.project(sites["lon"].to_numpy()[cols], sites["lat"].to_numpy()[cols], epsg)
        px, py = distances.project(towns["point_lon"].to_numpy()[rows], towns["point_lat"].to_numpy()[rows], epsg)
        for start in range(0, len(rows), 2000):
            dx = px[start:start + 2000, None] - sx[None, :]
            dy = py[start:start + 2000, None] - sy[None, :]
            out[rows[start:start + 2000]] = np.sqrt(dx * dx + dy * dy).min(axis=1) / 1000
    return out


def run() -> list[tuple[str, str, str, str]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "bench.duckdb"
        shutil.copyfile(store_path(), store)
        names = {r[0] for r in reader(store).execute("SELECT nom FROM labels").fetchall()}
        if PVD not in names:
            seed(store)
        towns = communes(Scope("france"), store)
        sites = synthetic_sites(towns)
        t_near = median_seconds(lambda: distances.with_nearest(towns, sites), repeat=5)
        t_brute = median_seconds(lambda: brute_force(towns, sites), repeat=1)
        got = distances.with_nearest(towns, sites)["distance_km"].to_numpy()
        ref = brute_force(towns, sites)
        gap = np.nanmax(np.abs(got - ref))
        count = f"{len(towns):,}".replace(",", " ")
        rows.append((f"Site le plus proche : {count} communes × 3 000 sites SYNTHÉTIQUES (STRtree par zone, "
                     "projections comprises)", ms(t_near),
                     f"matrice complète numpy : {ms(t_brute)} ({t_brute / t_near:.0f}×) ; même distance à "
                     f"{gap * 1000:.3f} m près", "≤ 1 s"))
        t_cross = median_seconds(lambda: crossing.cross(TDJ, PVD, Scope("france"), store), repeat=5)

        def cold() -> None:
            scope._members.clear()
            scope._geography.values.clear()
            crossing.cross(TDJ, PVD, Scope("france"), store)
        t_cold = median_seconds(cold, repeat=5)
        t_cov = median_seconds(lambda: coverage.france(TDJ, store), repeat=5)
        rows.append(("Croisement Terre de Jeux × Petites villes de demain, France entière (34 875 communes ; "
                     "communes lues une fois par construction, labels une fois par version du magasin)",
                     ms(t_cross), f"à froid (caches vidés) : {ms(t_cold)} ; couverture de la France d'un label "
                                  f"`coverage.france` : {ms(t_cov)}", "≤ 0,5 s"))
        t_gaps = median_seconds(lambda: gaps.ranked(PVD, Scope("france"), store), repeat=3)
        rows.append(("Communes non couvertes par Petites villes de demain, France entière, avec la commune couverte "
                     "la plus proche", ms(t_gaps), "—", "—"))
        crossed = crossing.cross(TDJ, PVD, Scope("departement", "62"), store)
        t_map62 = median_seconds(lambda: crossing_map.combinations_map(crossed, TDJ, PVD, Scope("departement", "62"),
                                                                       "Pas-de-Calais (62)", store).get_root()
                                 .render(), repeat=5)
        from geo.maps import departement_map
        t_cov62 = median_seconds(lambda: departement_map.build("62", TDJ, store=store).get_root().render(), repeat=5)
        rows.append(("Carte des combinaisons du 62, HTML compris", ms(t_map62),
                     f"carte de couverture du 62 : {ms(t_cov62)}", "≤ 300 ms (budget des cartes du 62)"))
        whole = crossing.cross(TDJ, PVD, Scope("france"), store)
        t_mapfr = median_seconds(lambda: crossing_map.combinations_map(whole, TDJ, PVD, Scope("france"), "France",
                                                                       store).get_root().render(), repeat=3)
        t_fr = median_seconds(lambda: region_map.build(None, TDJ, show_sites=False, store=store).get_root().render(),
                              repeat=3)
        rows.append(("Carte des combinaisons de la France par commune, HTML compris", ms(t_mapfr),
                     f"carte de la France par commune : {ms(t_fr)}", "celui de la carte de la France"))
    return rows


if __name__ == "__main__":
    for row in run():
        print(" | ".join(row))
