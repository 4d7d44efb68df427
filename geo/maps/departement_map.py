"""The map of a département: communes by coverage status, EPCI outlines (EPT in the Grand Paris), CPJ sites,
names of large communes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import folium
import pandas as pd

from geo import fr
from geo.build.geometry import DEP_VIEW_GRID, label_point
from geo.data import coverage, labels, territory, timeline
from geo.maps import base, commune_layer, geojson, palette
from geo.maps.sites_layer import add_sites
from geo.maps.sites_layer import legend as site_legend
from geo.store.identity import GeometryCache

LARGE_COMMUNES = 12


_cache = GeometryCache(size=32)


def geography(dep: str, store: Path | None) -> dict:
    """Communes, EPCI, EPT and outline as compact GeoJSON, made once per geography and département."""
    return _cache.get(store, (dep,), lambda: _make_geography(dep, store))


def ept_name(row) -> str:
    """« Grand Paris Sud Est Avenir (T11, GPSEA) »: the name with its number and acronym."""
    numero, sigle = row.get("numero"), row.get("sigle")
    extra = ", ".join(x for x in (f"T{int(numero)}" if pd.notna(numero) else "",
                                  str(sigle) if pd.notna(sigle) and sigle else "") if x)
    return f"{row['nom']} ({extra})" if extra else str(row["nom"])


def _make_geography(dep: str, store: Path | None) -> dict:
    communes = territory.communes_of_departement(dep, store=store)
    has_ept = bool(communes["ept"].notna().any())
    epts = territory.ept_of_departement(dep, store=store)
    names = {r["siren"]: ept_name(r) for r in epts.to_dict("records")}
    communes["ept_nom"] = communes["ept"].map(lambda s: names.get(s))
    big = []  # names of the largest communes, at the point farthest from their edges
    for row in communes.nlargest(LARGE_COMMUNES, "population").itertuples():
        lon, lat = label_point(row.geometry) or (row.point_lon, row.point_lat)
        big.append([row.nom, lat, lon])
    communes["geom"] = communes.geometry
    data = commune_layer.payload(communes, "geom", DEP_VIEW_GRID)  # names escaped there
    epci = territory.epci_of_departement(dep, store=store)
    epci["nom"] = epci["nom"].map(base.text)
    epci_fc = geojson.feature_collection(epci, ["nom"], digits=3) if len(epci) else None
    ept_fc, ept_places = None, []
    if len(epts):
        epts["nom"] = epts["siren"].map(names).map(base.text)
        ept_fc = geojson.feature_collection(epts, ["siren", "nom"], digits=4)
        points = epts.geometry.representative_point()
        ept_places = [(n, p.y, p.x) for n, p in zip(epts["siren"].map(names), points, strict=True)]
    outline = territory.departement_outline(dep, store=store)
    outline_fc = {"type": "Feature", "properties": {}, "geometry": geojson.geometry(outline)} \
        if outline is not None else None
    return {"gap": commune_layer.gap_feature(outline, communes.geometry), "communes": data, "js": base.js(data),
            "shapes": dict(zip(communes["code"], communes.geometry, strict=True)), "epci": epci_fc, "ept": ept_fc,
            "ept_places": ept_places, "has_ept": has_ept, "outline": outline_fc,
            "bounds": tuple(communes.total_bounds), "big": big}


def build(dep: str, label: str | None, *, show_epci: bool = True, show_sites: bool = True,
          basemap: str = "aucun", found: tuple[str, str, float, float] | None = None,
          store: Path | None = None, as_of: dt.date | None = None) -> folium.Map:
    """The map; `found` (code, name, lat, lon) is a commune found by a search, outlined and named; `as_of`
    draws the coverage as it stood at the end of that day (geo/data/timeline.py)."""
    geo_ = geography(dep, store)
    epci_fc, ept_fc, outline_fc = geo_["epci"], geo_["ept"], geo_["outline"]
    status = timeline.statuses(label, dep, as_of, store) if label else pd.Series(dtype=str)
    when = f" au {fr.short(as_of)}" if label and as_of is not None else ""
    what = f"selon leur couverture par {label}{when}" if label else "(aucun label chargé)"
    m = base.new_map(geo_["bounds"], basemap=basemap,
                     name=f"Carte des communes {base.of_place('departements', dep, store)} {what}")
    colors = {s: c for s, c in palette.STATUS_COLORS.items() if geo_["has_ept"] or s != coverage.STATUS_EPT}
    commune_layer.add_gap(m, geo_["gap"])
    # one layer, its status joined in the browser from one digit per commune (see commune_layer)
    held = timeline.held_departements(label, as_of, store) & {dep}
    commune_layer.add_communes(m, geo_["js"], commune_layer.status_string(geo_["communes"]["codes"], status, held),
                               canvas=False)
    if show_epci and epci_fc:
        folium.GeoJson(epci_fc, name="EPCI", interactive=False,
                       style_function=lambda f: {"fill": False, "color": palette.EPCI_OUTLINE, "weight": 2,
                                                 "dashArray": "6 4", "className": "tdj-epci"}).add_to(m)
    if show_epci and ept_fc:
        folium.GeoJson(ept_fc, name="EPT", interactive=False,
                       style_function=lambda f: {"fill": False, "color": palette.EPT_OUTLINE, "weight": 2.5,
                                                 "dashArray": "8 4", "className": "tdj-ept"}).add_to(m)
    if outline_fc:
        folium.GeoJson(outline_fc, name="Département", interactive=False,
                       style_function=lambda f: {"fill": False, "color": palette.OUTLINE, "weight": 2.5,
                                                 "className": "tdj-departement"}).add_to(m)
    if show_epci and ept_fc:  # territories' names first: a commune's name gives way to them
        base.add_place_names(m, geo_["ept_places"], css="tdj-label tdj-ept-label")
    base.add_place_names(m, [p for p in geo_["big"] if not found or p[0] != found[1]])  # found: named below
    if found:
        shape = geo_["shapes"].get(found[0])
        if shape is not None:
            base.add_highlight(m, {"type": "Feature", "properties": {}, "geometry": geojson.geometry(shape)},
                               found[1], found[2], found[3])
    legend = [(colors[s], s) for s in colors] + ([(palette.HELD, palette.HELD_LABEL)] if held else []) \
        + ([(palette.GAP, commune_layer.GAP_LABEL)] if geo_["gap"] else [])
    if show_sites:
        sites = labels.counted_sites(labels.sites(store=store), as_of)  # as they stood at the map's date
        here = sites[sites["departement"] == dep]
        if add_sites(m, here):
            legend += site_legend(here)
    if show_epci and epci_fc:
        legend.append((palette.EPCI_OUTLINE, "contour d'EPCI (tirets)"))
    if show_epci and ept_fc:
        legend.append((palette.EPT_OUTLINE, "contour d'EPT du Grand Paris (tirets)"))
    base.add_legend(m, f"{label or 'Aucun label'} — communes{when}", legend)
    return base.localize(m)
