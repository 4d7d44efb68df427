"""Maps of the analyses across labels (geo/analysis/): communes coloured by the combination of two labels, or by
their straight-line distance to the nearest site; the legend counts communes (and people) of each colour. Drawn
with the same compact commune layer as the coverage maps (one digit per commune joined in the browser)."""

from __future__ import annotations

from pathlib import Path

import folium
import pandas as pd

from geo import fr
from geo.analysis import crossing, distances
from geo.analysis.scope import Scope
from geo.data import labels
from geo.maps import base, commune_layer, departement_map, palette, region_map
from geo.maps.sites_layer import add_sites
from geo.maps.sites_layer import legend as site_legend

# ColorBrewer PuOr (diverging, colour-blind safe): both labels dark purple, each label alone in its own hue
CROSSING_COLORS = {crossing.BOTH: "#5e3c99", crossing.ONLY_A: "#b2abd2", crossing.ONLY_B: "#fdb863",
                   crossing.NEITHER: "#f7f7f7"}
# ColorBrewer Blues, nearest darkest; grey where the zone has no site
DISTANCE_COLORS = ["#08519c", "#3182bd", "#6baed6", "#bdd7e7", "#eff3ff", "#bdbdbd"]


def _geography(scope: Scope, store: Path | None) -> dict:
    """The territory's communes as the coverage maps draw them (cached there), outlines and names."""
    if scope.kind == "departement":
        g = departement_map.geography(scope.code, store)
        return {"js": g["js"], "codes": g["communes"]["codes"], "bounds": g["bounds"], "canvas": False,
                "outline": g["outline"], "departements": None, "epci": g["epci"], "big": g["big"], "jumps": []}
    g = region_map._geography(scope.code or None, store)
    return {"js": g["js"], "codes": g["data"]["codes"], "bounds": g["bounds"], "canvas": scope.kind == "france",
            "outline": None, "departements": g["departements"], "epci": g["epci"], "big": g["big"],
            "jumps": g["jumps"]}


def _paint(m: folium.Map, geo_: dict, digits: str, colors: list[str], names: list[str]) -> None:
    """The commune layer with our own classes: `digits` gives each commune's class (index in colors and names)."""
    m.add_child(base.Script(
        f"var D = {geo_['js']}, S = {base.js(digits)}, COLORS = {base.js(colors)}, "
        f"NAMES = {base.js([base.text(n) for n in names])}, CANVAS = {base.js(geo_['canvas'])};"
        + commune_layer._LAYER))


def _frame(m: folium.Map, geo_: dict) -> None:
    """Outlines (EPCI dashed, département or départements), names of large communes, overseas buttons."""
    if geo_["epci"]:
        commune_layer.add_outlines(m, geo_["epci"], "EPCI", {"fill": False, "color": palette.EPCI_OUTLINE,
                                                             "weight": 1.5, "dashArray": "6 4",
                                                             "className": "tdj-epci"})
    if geo_["outline"]:
        commune_layer.add_outlines(m, geo_["outline"], "Département", {"fill": False, "color": palette.OUTLINE,
                                                                       "weight": 2.5, "className": "tdj-departement"})
    if geo_["departements"]:
        commune_layer.add_outlines(m, geo_["departements"], "Départements",
                                   {"fill": False, "color": palette.OUTLINE, "weight": 1.2,
                                    "className": "tdj-departement"})
    if geo_["big"]:
        base.add_place_names(m, geo_["big"])
    if geo_["jumps"]:
        commune_layer.add_jumps(m, geo_["jumps"])


def _count(n: int, pop: int) -> str:
    """« 3 communes, 23 522 hab. »"""
    return f"{fr.number(n)} commune{'s' if n > 1 else ''}, {fr.number(pop)} hab."


def crossing_legend(crossed: pd.DataFrame, label_a: str, label_b: str) -> list[tuple[str, str]]:
    """Each combination's colour and its name with its communes and population (raw text: escaped when drawn)."""
    names = crossing.combination_names(label_a, label_b)
    table = crossing.summary(crossed).set_index("combinaison")
    counts = {c: _count(int(table.loc[c, "communes"]), int(table.loc[c, "population"])) for c in table.index}
    return [(CROSSING_COLORS[c], f"{names[c]} : {counts[c]}") for c in crossing.COMBINATIONS]


def combinations_map(crossed: pd.DataFrame, label_a: str, label_b: str, scope: Scope, place: str,
             store: Path | None = None) -> folium.Map:
    """The communes of the territory by combination of the two labels, the counts in the legend."""
    geo_ = _geography(scope, store)
    order = list(crossing.COMBINATIONS)
    of = dict(zip(crossed["code"], crossed["combinaison"], strict=True))
    digits = "".join(str(order.index(of.get(c, crossing.NEITHER))) for c in geo_["codes"])
    m = base.new_map(geo_["bounds"], prefer_canvas=geo_["canvas"],
                     name=f"Carte des communes ({place}) selon « {label_a} » et « {label_b} »")
    names = crossing.combination_names(label_a, label_b)
    _paint(m, geo_, digits, [CROSSING_COLORS[c] for c in order], [names[c] for c in order])
    _frame(m, geo_)
    base.add_legend(m, f"{place} — communes par label", crossing_legend(crossed, label_a, label_b),
                    position="bottomleft" if scope.kind == "france" else "bottomright")
    return base.localize(m)


def distance_legend(dist: pd.DataFrame) -> list[tuple[str, str]]:
    """Each distance class's colour, name, communes and population."""
    out = []
    for color, name in zip(DISTANCE_COLORS, distances.class_names(), strict=True):
        rows = dist[dist["classe"] == name]
        if name == distances.NO_SITE and rows.empty:
            continue
        out.append((color, f"{name} : {_count(len(rows), int(rows['population'].sum()))}"))
    return out


def distance_map(dist: pd.DataFrame, site_label: str, scope: Scope, place: str, store: Path | None = None,
             show_sites: bool = True) -> folium.Map:
    """The communes of the territory by straight-line distance to the nearest site of the label, and the sites."""
    geo_ = _geography(scope, store)
    order = distances.class_names()
    of = dict(zip(dist["code"], dist["classe"], strict=True))
    digits = "".join(str(order.index(of.get(c, distances.NO_SITE))) for c in geo_["codes"])
    m = base.new_map(geo_["bounds"], prefer_canvas=geo_["canvas"],
                     name=f"Carte des communes ({place}) selon la distance à vol d'oiseau au site « {site_label} » "
                          "le plus proche")
    _paint(m, geo_, digits, DISTANCE_COLORS, [f"à vol d'oiseau du site le plus proche : {n}" for n in order])
    _frame(m, geo_)
    legend = distance_legend(dist)
    if show_sites:
        sites = labels.counted_sites(labels.sites(site_label, store))  # each counted site once, as distances do
        here = sites if scope.kind == "france" else sites[sites["departement"].isin(set(dist["departement"]))]
        if add_sites(m, here, name=site_label):
            legend += site_legend(here)
    base.add_legend(m, f"{place} — distance à vol d'oiseau au site le plus proche (pas un temps de trajet)", legend,
                    position="bottomleft" if scope.kind == "france" else "bottomright")
    return base.localize(m)
