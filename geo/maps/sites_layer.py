"""CPJ sites as a clustered layer; names are escaped before they reach Leaflet. A site whose list gives no
coordinates is placed at its commune, drawn hollow, and its popup says so."""

from __future__ import annotations

import folium
import folium.plugins
import pandas as pd

from geo.maps import base, palette

CALLBACK = f"""
function (row) {{
    var color = row[4] ? '{palette.SITE_PARALYMPIC}' : '{palette.SITE_OLYMPIC}';
    var marker = row[5] ? L.circleMarker(new L.LatLng(row[0], row[1]), {{
        radius: 7, color: color, weight: 3, fillColor: '#ffffff', fillOpacity: 0.6, dashArray: '3 2',
        className: 'tdj-site tdj-site-commune'}}) : L.circleMarker(new L.LatLng(row[0], row[1]), {{
        radius: 7, color: '#222', weight: 1, fillOpacity: 0.9, className: 'tdj-site', fillColor: color}});
    marker.bindPopup(row[2], {{maxWidth: 320}});
    marker.bindTooltip(row[3]);
    return marker;
}}"""


def popup_html(site: pd.Series) -> str:
    """The popup of a site, every value escaped (names come from imported files)."""
    disciplines = ", ".join(base.text(d) for d in (site.get("disciplines") if site.get("disciplines")
                                                          is not None else []))
    kind = "olympique et paralympique" if site.get("olympique") and site.get("paralympique") else \
        "paralympique" if site.get("paralympique") else "olympique"
    commune = site.get("commune_nom") or site.get("ville") or "commune inconnue"
    placed = ("<br><em>Position approximative</em> : la liste ne donne pas de coordonnées, le centre est placé "
              "au milieu de sa commune." if _at_commune(site) else "")
    return (f"<strong>{base.text(site.get('nom') or 'Site sans nom')}</strong><br>"
            f"{base.text(commune)} ({base.text(site.get('departement') or '?')})<br>"
            f"<em>Disciplines</em> : {disciplines or '—'}<br><em>Centre</em> : {kind}{placed}")


def _missing(value) -> bool:
    return value is None or value != value


def _at_commune(site) -> bool:
    return _missing(site.get("lat")) or _missing(site.get("lon"))


def placed(sites: pd.DataFrame) -> pd.DataFrame:
    """The sites that can be drawn: at their coordinates, or at their commune (flag `a_la_commune`)."""
    if sites.empty:
        return sites.assign(a_la_commune=pd.Series(dtype=bool), y=pd.Series(dtype=float), x=pd.Series(dtype=float))
    at_commune = sites["lat"].isna() | sites["lon"].isna()
    out = sites.assign(a_la_commune=at_commune)
    if "commune_lat" in sites:
        out["y"] = sites["lat"].where(~at_commune, sites["commune_lat"])
        out["x"] = sites["lon"].where(~at_commune, sites["commune_lon"])
    else:
        out["y"], out["x"] = sites["lat"], sites["lon"]
    return out.dropna(subset=["y", "x"])


def add_sites(m: folium.Map, sites: pd.DataFrame, name: str = "Centres de préparation") -> int:
    """Clustered circle markers for the sites, at their coordinates or (hollow) at their commune; returns how
    many were drawn."""
    located = placed(sites)
    if located.empty:
        return 0
    data = [[round(float(r.y), 5), round(float(r.x), 5), popup_html(pd.Series(r._asdict())),
             base.text(r.nom or ""), bool(r.paralympique), bool(r.a_la_commune)] for r in located.itertuples()]
    folium.plugins.FastMarkerCluster(data, callback=CALLBACK, name=name,
                                     options={"showCoverageOnHover": False, "maxClusterRadius": 40}).add_to(m)
    return len(data)


def sites_map(sites: pd.DataFrame, fit: bool = True, basemap: str = "aucun",
              departements: list[str] | None = None, store=None) -> folium.Map:
    """The CPJ map over the outlines of the territory shown (the départements given, else all of France):
    framed on the sites shown (fit) or on that territory."""
    from geo.data import territory
    from geo.maps import geojson

    deps = territory.departements_geo("departement" if departements and len(departements) == 1 else "france",
                                      store)
    if departements:
        deps = deps[deps["code"].isin(departements)]
    located = placed(sites)
    bounds = (-5.2, 41.3, 9.6, 51.1)
    if departements and len(deps):
        bounds = tuple(deps.total_bounds)
    if fit and len(located):
        bounds = (located["x"].min() - 0.05, located["y"].min() - 0.05, located["x"].max() + 0.05,
                  located["y"].max() + 0.05)
        if departements and len(deps):
            minx, miny, maxx, maxy = deps.total_bounds
            bounds = (min(bounds[0], minx), min(bounds[1], miny), max(bounds[2], maxx), max(bounds[3], maxy))
    n = len(located)
    m = base.new_map(bounds, basemap=basemap, name=f"Carte des centres de préparation aux Jeux : {n} centre"
                     + ("s" if n > 1 else "") + (" sur les départements choisis" if departements else " en France"))
    deps = deps.assign(nom=deps["nom"].map(base.text))
    folium.GeoJson(geojson.feature_collection(deps, ["code", "nom"], digits=3), name="Départements",
                   interactive=False,
                   style_function=lambda f: {"fillColor": "#ffffff", "fillOpacity": 0.6, "color": palette.OUTLINE,
                                             "weight": 1.2, "className": "tdj-departement"}).add_to(m)
    add_sites(m, sites)
    base.add_legend(m, "Centres de préparation", legend(sites))
    return base.localize(m)


SITE_LEGEND = [(palette.SITE_OLYMPIC, "centre olympique"), (palette.SITE_PARALYMPIC, "centre accueillant le para")]
AT_COMMUNE_LEGEND = ("#ffffff", "cercle vide : sans coordonnées, placé sur sa commune")


def legend(sites: pd.DataFrame) -> list[tuple[str, str]]:
    located = placed(sites)
    return SITE_LEGEND + ([AT_COMMUNE_LEGEND] if len(located) and located["a_la_commune"].any() else [])
