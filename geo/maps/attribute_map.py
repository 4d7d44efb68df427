"""A département's communes coloured by a column of an imported list (geo/data/attributes.py), on the same offline
map as the coverage map: one layer per class, a legend that counts the communes of each class."""

from __future__ import annotations

from pathlib import Path

import folium

from geo.data import attributes, territory
from geo.maps import base, geojson
from geo.maps.departement_map import geography
from geo.store import reader
from geo.store.identity import GeometryCache

_cache = GeometryCache(size=16)


def _features(dep: str, store: Path | None) -> dict:
    """The communes as GeoJSON features (one layer per class needs features; the coverage map's compact
    encoding joins one status digit instead), made once per geography and département."""
    def make() -> dict:
        communes = territory.communes_of_departement(dep, store=store)
        communes["nom"] = communes["nom"].map(base.text)  # GeoJsonTooltip writes values as HTML
        return geojson.feature_collection(communes, ["nom", "code"])
    return _cache.get(store, ("valeurs", dep), make)


def communes(dep: str, store: Path | None = None):
    """The communes of a département with the territories a value can come from."""
    return reader(store).execute("SELECT code, epci, ept, departement, region FROM communes WHERE departement = ? "
                                 "ORDER BY code", [dep]).df()


def painting(dep: str, column: attributes.Column, method: str = "quantiles",
             store: Path | None = None) -> attributes.Painting:
    return attributes.paint(attributes.commune_values(column, communes(dep, store), store), method)


def build(dep: str, column: attributes.Column, method: str = "quantiles", store: Path | None = None) -> folium.Map:
    """The map; the column's name and values are untrusted text: escaped for the tooltip and the legend."""
    geo_ = geography(dep, store)
    paint = painting(dep, column, method, store)
    m = base.new_map(geo_["bounds"])
    groups: dict[str, list] = {}
    for f in _features(dep, store)["features"]:
        code = f["properties"]["code"]
        value = paint.classes.get(code, "sans valeur")
        feature = {**f, "properties": {**f["properties"], "valeur": base.text(value)}}
        groups.setdefault(paint.colors.get(code, attributes.NO_VALUE), []).append(feature)
    for fill, subset in groups.items():
        style = {"fillColor": fill, "color": "#737373", "weight": 0.4, "fillOpacity": 0.85,
                 "className": "tdj-commune tdj-valeur"}
        folium.GeoJson({"type": "FeatureCollection", "features": subset}, name="Communes",
                       style_function=lambda f, s=style: s,
                       highlight_function=lambda f: {"weight": 2, "color": "#000"},
                       tooltip=folium.GeoJsonTooltip(["nom", "code", "valeur"],
                                                     aliases=["Commune", "Code INSEE", base.text(column.nom)],
                                                     sticky=False)).add_to(m)
    if geo_["outline"]:
        folium.GeoJson(geo_["outline"], name="Département", interactive=False,
                       style_function=lambda f: {"fill": False, "color": "#252525", "weight": 2.5,
                                                 "className": "tdj-departement"}).add_to(m)
    base.add_place_names(m, geo_["big"])
    legend = list(paint.legend)
    if paint.note:
        legend.append(("transparent", paint.note))
    base.add_legend(m, f"{column.nom} ({column.fichier})", legend)
    return base.localize(m)
