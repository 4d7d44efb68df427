"""The national map: départements coloured by a coverage measure of a label."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import folium
import pandas as pd

from geo import fr
from geo.data import coverage, territory, timeline
from geo.maps import base, commune_layer, geojson, palette, region_map
from geo.store.identity import GeometryCache

MEASURES = {
    "pct_communes_couvertes": "% des communes couvertes (directement, par leur EPT ou leur EPCI)",
    "pct_population_couverte": "% de la population couverte",
    "sites": "Nombre de centres de préparation (CPJ)",
    "departement_labellise": "Département labellisé lui-même",
}
BOUNDS = {"pct_communes_couvertes": [0, 10, 25, 50], "pct_population_couverte": [0, 10, 25, 50],
          "sites": [0, 4, 9, 19]}


def legend_items(measure: str) -> list[tuple[str, str]]:
    if measure == "departement_labellise":
        return [(palette.BLUES[4], "oui"), (palette.BLUES[0], "non")]
    b = BOUNDS[measure]
    unit = " %" if measure.startswith("pct") else ""
    labels = [f"0{unit}", f"de {b[0]} à {b[1]}{unit}", f"de {b[1]} à {b[2]}{unit}", f"de {b[2]} à {b[3]}{unit}",
              f"plus de {b[3]}{unit}"]
    if measure == "sites":
        labels = ["aucun", f"1 à {b[1]}", f"{b[1] + 1} à {b[2]}", f"{b[2] + 1} à {b[3]}", f"{b[3] + 1} et plus"]
    return list(zip(palette.BLUES, labels, strict=True))


def color(measure: str, value) -> str:
    if measure == "departement_labellise":
        return palette.BLUES[4] if value else palette.BLUES[0]
    if value is None or value != value:
        return palette.NO_DATA
    if value == 0:
        return palette.BLUES[0]
    return palette.BLUES[min(palette.classes(value, BOUNDS[measure][1:]) + 1, 4)]


def display_value(measure: str, value) -> str:
    if measure == "departement_labellise":
        return "oui" if value else "non"
    if measure.startswith("pct"):
        return f"{value:.1f} %".replace(".", ",")
    return f"{int(value)}"


_cache = GeometryCache(size=4)


def _geography(store: Path | None) -> tuple[dict, tuple, list]:
    return _cache.get(store, (), lambda: _make_geography(store))


def _make_geography(store: Path | None) -> tuple[dict, tuple, list]:
    deps = territory.departements_geo("france", store)
    deps["nom"] = deps["nom"].map(base.text)
    metro = deps[~deps["code"].str.startswith("97")]
    return geojson.feature_collection(deps, ["code", "nom"], digits=3), tuple(metro.total_bounds), \
        region_map.overseas_jumps(deps)


def dated(measure: str) -> bool:
    """Whether a measure can be drawn as it stood at a past date: all can (sites count from their label date, else
    their list's, else their import)."""
    return measure in MEASURES


def build(label: str | None, measure: str = "pct_communes_couvertes", basemap: str = "aucun",
          store: Path | None = None, as_of: dt.date | None = None) -> folium.Map:
    """The départements coloured by `measure`; with `as_of`, as the coverage stood at the end of that day."""
    fc, bounds, jumps = _geography(store)
    past = bool(label) and as_of is not None and dated(measure)
    if not label:
        cov = pd.DataFrame()
    elif past:
        cov = timeline.departements_as_of(label, as_of, store).set_index("code")
    else:
        cov = coverage.by_departement(label, store).set_index("code")
    # what is loaded shows on a first visit: a département that holds the label itself is drawn as such
    held = set(cov.index[cov["departement_labellise"].astype(bool)]) if "departement_labellise" in cov else set()
    features = []
    for f in fc["features"]:
        code = f["properties"]["code"]
        value = cov[measure].get(code) if measure in cov else None
        detenu = bool(label) and code in held and measure != "departement_labellise"
        fill = palette.HELD if detenu and not value else color(measure, value)  # « 0 % » but labelled itself
        features.append({**f, "properties": {**f["properties"], "valeur": display_value(measure, value)
                                             if value is not None else "—", "couleur": fill, "detenu": detenu}})
    title = MEASURES[measure] + (f" au {fr.short(as_of)}" if past else "")
    m = base.new_map(bounds, basemap=basemap, name=f"Carte des départements de France : {title[0].lower()}"
                     f"{title[1:]}" + (f", pour {label}" if label else " (aucun label chargé)"))
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features}, name="Départements",
        style_function=lambda f: {"fillColor": f["properties"]["couleur"],
                                  "color": palette.HELD_OUTLINE if f["properties"]["detenu"] else "#525252",
                                  "weight": 2.5 if f["properties"]["detenu"] else 0.8,
                                  "fillOpacity": 0.9, "className": f"tdj-dep tdj-dep-{f['properties']['code']}"},
        highlight_function=lambda f: {"weight": 2.5, "color": "#000"},
        tooltip=folium.GeoJsonTooltip(["nom", "code", "valeur"], aliases=["Département", "Code",
                                                                          MEASURES[measure]]),
    ).add_to(m)
    items = legend_items(measure) + ([(palette.HELD, "département labellisé lui-même (contour vert ; vert plein "
                                                      "si aucune commune couverte)")]
                                     if held and measure != "departement_labellise" else [])
    base.add_legend(m, title, items,
                    position="bottomleft")
    commune_layer.add_jumps(m, jumps)  # the overseas départements one click away
    return base.localize(m)
