"""The map of a département: communes by coverage status, EPCI outlines, CPJ sites, names of large communes."""

from __future__ import annotations

from pathlib import Path

import folium
import pandas as pd

from geo import coverage, geojson, labels, maps, palette, territory
from geo.cache import GeometryCache
from geo.geometry import label_point
from geo.sites_layer import SITE_LEGEND, add_sites

TOOLTIP_FIELDS = ["nom", "code", "population", "statut", "epci_nom"]
TOOLTIP_ALIASES = ["Commune", "Code INSEE", "Population", "Statut", "EPCI"]
LARGE_COMMUNES = 12


_cache = GeometryCache(size=32)


def _geography(dep: str, store: Path | None) -> tuple[dict, dict | None, dict | None, tuple, list]:
    """Communes, EPCI and outline as compact GeoJSON, made once per geography and département."""
    return _cache.get(store, (dep,), lambda: _make_geography(dep, store))


def _make_geography(dep: str, store: Path | None) -> tuple[dict, dict | None, dict | None, tuple, list]:
    communes = territory.communes_of_departement(dep, store=store)
    communes["epci_nom"] = communes["epci_nom"].fillna("—")
    big = []
    for row in communes.nlargest(LARGE_COMMUNES, "population").itertuples():
        lon, lat = label_point(row.geometry) or (row.point_lon, row.point_lat)
        big.append([row.nom, lat, lon])
    for column in ("nom", "epci_nom"):  # GeoJsonTooltip writes values as HTML
        communes[column] = communes[column].map(maps.text)
    fc = geojson.feature_collection(communes, ["nom", "code", "population", "epci_nom"])
    epci = territory.epci_of_departement(dep, store=store)
    epci["nom"] = epci["nom"].map(maps.text)
    epci_fc = geojson.feature_collection(epci, ["nom"], digits=3) if len(epci) else None
    outline = territory.departement_outline(dep, store=store)
    outline_fc = {"type": "Feature", "properties": {}, "geometry": geojson.geometry(outline)} \
        if outline is not None else None
    return fc, epci_fc, outline_fc, tuple(communes.total_bounds), big


def build(dep: str, label: str | None, *, show_epci: bool = True, show_sites: bool = True,
          basemap: str = "aucun", found: tuple[str, str, float, float] | None = None,
          store: Path | None = None) -> folium.Map:
    """The map; `found` (code, name, lat, lon) is a commune found by a search, outlined and named."""
    fc, epci_fc, outline_fc, bounds, big = _geography(dep, store)
    status = (coverage.communes_status(label, dep, store).set_index("code")["statut"] if label else
              pd.Series(dtype=str))
    features = [{**f, "properties": {**f["properties"], "statut": status.get(f["properties"]["code"],
                                                                             coverage.STATUS_NONE)}}
                for f in fc["features"]]
    m = maps.new_map(bounds, basemap=basemap)
    colors = palette.STATUS_COLORS
    # one layer per status: a constant style each, instead of a per-commune style table in the page
    for statut, fill in colors.items():
        subset = [f for f in features if f["properties"]["statut"] == statut]
        if not subset:
            continue
        style = {"fillColor": fill, "color": "#737373", "weight": 0.4, "fillOpacity": 0.85,
                 "className": "tdj-commune"}
        folium.GeoJson(
            {"type": "FeatureCollection", "features": subset}, name=f"Communes : {statut}",
            style_function=lambda f, s=style: s, highlight_function=lambda f: {"weight": 2, "color": "#000"},
            tooltip=folium.GeoJsonTooltip(TOOLTIP_FIELDS, aliases=TOOLTIP_ALIASES, localize=True, sticky=False),
        ).add_to(m)
    if show_epci and epci_fc:
        folium.GeoJson(epci_fc, name="EPCI", interactive=False,
                       style_function=lambda f: {"fill": False, "color": palette.EPCI_OUTLINE, "weight": 2,
                                                 "dashArray": "6 4", "className": "tdj-epci"}).add_to(m)
    if outline_fc:
        folium.GeoJson(outline_fc, name="Département", interactive=False,
                       style_function=lambda f: {"fill": False, "color": palette.OUTLINE, "weight": 2.5,
                                                 "className": "tdj-departement"}).add_to(m)
    maps.add_place_names(m, [p for p in big if not found or p[0] != found[1]])  # the found one is named below
    if found:
        shape = next((f for f in fc["features"] if f["properties"]["code"] == found[0]), None)
        if shape is not None:
            maps.add_highlight(m, {**shape, "properties": {}}, found[1], found[2], found[3])
    legend = [(colors[s], s) for s in colors]
    if show_sites:
        sites = labels.sites(store=store)
        if add_sites(m, sites[sites["departement"] == dep]):
            legend += SITE_LEGEND
    if show_epci and epci_fc:
        legend.append((palette.EPCI_OUTLINE, "contour d'EPCI (tirets)"))
    maps.add_legend(m, f"{label or 'Aucun label'} — communes", legend)
    return maps.localize(m)
