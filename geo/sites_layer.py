"""CPJ sites as a clustered layer; names are escaped before they reach Leaflet."""

from __future__ import annotations

import folium
import folium.plugins
import pandas as pd

from geo import maps, palette

CALLBACK = f"""
function (row) {{
    var marker = L.circleMarker(new L.LatLng(row[0], row[1]), {{
        radius: 7, color: '#222', weight: 1, fillOpacity: 0.9, className: 'tdj-site',
        fillColor: row[4] ? '{palette.SITE_PARALYMPIC}' : '{palette.SITE_OLYMPIC}'}});
    marker.bindPopup(row[2], {{maxWidth: 320}});
    marker.bindTooltip(row[3]);
    return marker;
}}"""


def popup_html(site: pd.Series) -> str:
    """The popup of a site, every value escaped (names come from imported files)."""
    disciplines = ", ".join(maps.text(d) for d in (site.get("disciplines") if site.get("disciplines")
                                                          is not None else []))
    kind = "olympique et paralympique" if site.get("olympique") and site.get("paralympique") else \
        "paralympique" if site.get("paralympique") else "olympique"
    commune = site.get("commune_nom") or site.get("ville") or "commune inconnue"
    return (f"<strong>{maps.text(site.get('nom') or 'Site sans nom')}</strong><br>"
            f"{maps.text(commune)} ({maps.text(site.get('departement') or '?')})<br>"
            f"<em>Disciplines</em> : {disciplines or '—'}<br><em>Centre</em> : {kind}")


def add_sites(m: folium.Map, sites: pd.DataFrame, name: str = "Centres de préparation") -> int:
    """Clustered circle markers for the sites that have coordinates; returns how many were drawn."""
    located = sites.dropna(subset=["lat", "lon"])
    if located.empty:
        return 0
    data = [[round(float(r.lat), 5), round(float(r.lon), 5), popup_html(pd.Series(r._asdict())),
             maps.text(r.nom or ""), bool(r.paralympique)] for r in located.itertuples()]
    folium.plugins.FastMarkerCluster(data, callback=CALLBACK, name=name,
                                     options={"showCoverageOnHover": False, "maxClusterRadius": 40}).add_to(m)
    return len(data)


def sites_map(sites: pd.DataFrame, fit: bool = True, basemap: str = "aucun",
              departements: list[str] | None = None, store=None) -> folium.Map:
    """The CPJ map over the outlines of the territory shown (the départements given, else all of France):
    framed on the sites shown (fit) or on that territory."""
    from geo import geojson, territory

    deps = territory.departements_geo("departement" if departements and len(departements) == 1 else "france",
                                      store)
    if departements:
        deps = deps[deps["code"].isin(departements)]
    located = sites.dropna(subset=["lat", "lon"])
    bounds = (-5.2, 41.3, 9.6, 51.1)
    if departements and len(deps):
        bounds = tuple(deps.total_bounds)
    if fit and len(located):
        bounds = (located["lon"].min() - 0.05, located["lat"].min() - 0.05, located["lon"].max() + 0.05,
                  located["lat"].max() + 0.05)
        if departements and len(deps):
            minx, miny, maxx, maxy = deps.total_bounds
            bounds = (min(bounds[0], minx), min(bounds[1], miny), max(bounds[2], maxx), max(bounds[3], maxy))
    m = maps.new_map(bounds, basemap=basemap)
    deps = deps.assign(nom=deps["nom"].map(maps.text))
    folium.GeoJson(geojson.feature_collection(deps, ["code", "nom"], digits=3), name="Départements",
                   interactive=False,
                   style_function=lambda f: {"fillColor": "#ffffff", "fillOpacity": 0.6, "color": palette.OUTLINE,
                                             "weight": 1.2, "className": "tdj-departement"}).add_to(m)
    add_sites(m, sites)
    maps.add_legend(m, "Centres de préparation", SITE_LEGEND)
    return maps.localize(m)


SITE_LEGEND = [(palette.SITE_OLYMPIC, "centre olympique"), (palette.SITE_PARALYMPIC, "centre accueillant le para")]
