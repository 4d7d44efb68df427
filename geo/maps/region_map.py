"""The map of a région (or of all France) by commune: communes coloured by status in one layer, outlines of
départements and EPCI, CPJ sites, names of large communes, a quick jump to the overseas départements."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import folium
import pandas as pd
import shapely

from geo import fr
from geo.build.geometry import FR_VIEW_GRID, REG_VIEW_GRID, label_point
from geo.data import coverage, labels, territory, timeline
from geo.maps import base, commune_layer, geojson, palette
from geo.maps.sites_layer import add_sites
from geo.maps.sites_layer import legend as site_legend
from geo.store.identity import GeometryCache

LARGE_COMMUNES = 15
OVERSEAS = {"971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion", "976": "Mayotte"}

_cache = GeometryCache(size=8)


def _geography(reg: str | None, store: Path | None) -> dict:
    """Communes, outlines and names of a région (None: France), made once per geography."""
    return _cache.get(store, (reg,), lambda: _make_geography(reg, store))


def _make_geography(reg: str | None, store: Path | None) -> dict:
    view, grid = ("region", REG_VIEW_GRID) if reg else ("france", FR_VIEW_GRID)
    towns = territory.communes_of_region(reg, view, store)
    towns["geom"] = towns.geometry
    data = commune_layer.payload(towns, "geom", grid)
    if reg:
        deps = territory.departements_of_region(reg, store)
        epci = territory.epci_of_region(reg, store)
        epci = epci[epci.geometry.notna()].assign(nom=lambda d: d["nom"].map(base.text))
        epci_fc = geojson.feature_collection(epci, ["nom"], digits=3) if len(epci) else None
        big = []
        for row in towns.nlargest(LARGE_COMMUNES, "population").itertuples():
            point = label_point(row.geometry) or (row.point_lon, row.point_lat)
            big.append((row.nom, point[1], point[0]))
        bounds, jumps = tuple(towns.total_bounds), []
        gap = commune_layer.gap_feature(shapely.union_all([g for g in deps.geometry if g is not None]),
                                        towns.geometry)
    else:
        deps = territory.departements_geo("france", store)
        epci_fc, big, gap = None, [], None
        jumps = overseas_jumps(deps)
        bounds = jumps[0][1]
    deps = deps[deps.geometry.notna()].assign(nom=lambda d: d["nom"].map(base.text))
    return {"data": data, "js": base.js(data), "gap": gap,
            "departements": geojson.feature_collection(deps, ["code", "nom"], digits=3), "epci": epci_fc,
            "big": big, "bounds": bounds, "jumps": jumps,
            "shapes": dict(zip(towns["code"], towns.geometry, strict=True)),
            "deps": sorted(towns["departement"].unique())}


def overseas_jumps(deps) -> list[tuple[str, tuple[float, float, float, float]]]:
    """The metropolis and each overseas département with its bounds, for the quick-jump buttons."""
    metro = deps[~deps["code"].str.startswith("97")]
    return [("Métropole", tuple(metro.total_bounds))] + [
        (name, tuple(deps[deps["code"] == code].total_bounds)) for code, name in OVERSEAS.items()
        if (deps["code"] == code).any()]


def payload_bytes(reg: str | None, store: Path | None = None) -> int:
    """Size of the communes' data sent to the browser (for the benchmarks)."""
    return len(_geography(reg, store)["js"].encode())


def build(reg: str | None, label: str | None, *, show_epci: bool = True, show_sites: bool = True,
          basemap: str = "aucun", found: tuple[str, str, float, float] | None = None,
          store: Path | None = None, as_of: dt.date | None = None) -> folium.Map:
    """A région's map (reg), or every commune of France (None); `found` (code, name, lat, lon) is outlined;
    `as_of` draws the coverage as it stood at the end of that day (geo/data/timeline.py)."""
    geo_ = _geography(reg, store)
    status = timeline.statuses(label, geo_["deps"] if reg else None, as_of, store) if label else \
        pd.Series(dtype=str)
    when = f" au {fr.short(as_of)}" if label and as_of is not None else ""
    where = base.of_place("regions", reg, store) if reg else "de France"
    what = f"selon leur couverture par {label}{when}" if label else "(aucun label chargé)"
    m = base.new_map(geo_["bounds"], basemap=basemap, prefer_canvas=not reg,
                     name=f"Carte des communes {where} {what}")
    commune_layer.add_gap(m, geo_["gap"])
    held = timeline.held_departements(label, as_of, store) & set(geo_["deps"])
    commune_layer.add_communes(m, geo_["js"], commune_layer.status_string(geo_["data"]["codes"], status, held),
                               canvas=not reg)
    if show_epci and geo_["epci"]:
        commune_layer.add_outlines(m, geo_["epci"], "EPCI", {"fill": False, "color": palette.EPCI_OUTLINE,
                                                            "weight": 1.2, "dashArray": "5 3",
                                                            "className": "tdj-epci"})
    commune_layer.add_outlines(m, geo_["departements"], "Départements",
                               {"fill": False, "color": palette.OUTLINE, "weight": 2 if reg else 0.9,
                                "className": "tdj-departement"})
    if geo_["big"]:
        base.add_place_names(m, [p for p in geo_["big"] if not found or p[0] != found[1]])
    if found and found[0] in geo_["shapes"] and geo_["shapes"][found[0]] is not None:
        shape = {"type": "Feature", "properties": {}, "geometry": geojson.geometry(geo_["shapes"][found[0]])}
        base.add_highlight(m, shape, found[1], found[2], found[3])
    if geo_["jumps"]:
        commune_layer.add_jumps(m, geo_["jumps"])
    colors = palette.STATUS_COLORS
    legend = [(colors[s], s) for s in commune_layer.STATUSES if s in colors
              and (s != coverage.STATUS_EPT or (status == coverage.STATUS_EPT).any() or reg in (None, "11"))]
    if held:
        legend.append((palette.HELD, palette.HELD_LABEL))
    if geo_["gap"]:
        legend.append((palette.GAP, commune_layer.GAP_LABEL))
    if show_sites and reg:
        sites = labels.counted_sites(labels.sites(store=store), as_of)  # as they stood at the map's date
        here = sites[sites["departement"].isin(geo_["deps"])]
        if add_sites(m, here):
            legend += site_legend(here)
    if show_epci and geo_["epci"]:
        legend.append((palette.EPCI_OUTLINE, "contour d'EPCI (tirets)"))
    legend.append((palette.OUTLINE, "contour de département"))
    base.add_legend(m, f"{label or 'Aucun label'} — communes{when}", legend,
                    position="bottomright" if reg else "bottomleft")
    return base.localize(m)
