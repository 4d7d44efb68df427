"""The national map of départements."""

from __future__ import annotations

import folium

from geo import geojson, maps, territory

STYLE = {"fillColor": "#9ecae1", "color": "#08306b", "weight": 0.8, "fillOpacity": 0.6}


def build(store=None) -> folium.Map:
    deps = territory.departements_geo("france", store)
    metro = deps[~deps["code"].str.startswith("97")]
    m = maps.new_map(tuple(metro.total_bounds))
    data = geojson.feature_collection(deps, ["code", "nom", "region_nom", "population", "communes"], digits=3)
    folium.GeoJson(
        data, name="Départements", style_function=lambda f: STYLE,
        highlight_function=lambda f: {"weight": 2.5, "fillOpacity": 0.8},
        tooltip=folium.GeoJsonTooltip(["nom", "code", "region_nom", "population", "communes"],
                                      aliases=["Département", "Code", "Région", "Population", "Communes"],
                                      localize=True),
    ).add_to(m)
    return maps.localize(m)
