"""Folium maps that work offline: Leaflet served locally, display geometry from the store."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import folium
import folium.plugins
from jinja2 import Template

from geo import assets

# Folium and its plugins point at CDNs; each link a map uses is mapped to the local copy.
LOCAL_JS = {
    "leaflet": assets.url("leaflet", "leaflet.js"),
    "markerclusterjs": assets.url("leaflet.markercluster", "leaflet.markercluster.js"),
    "markercluster": assets.url("leaflet.markercluster", "leaflet.markercluster.js"),
}
LOCAL_CSS = {
    "leaflet_css": assets.url("leaflet", "leaflet.css"),
    "markerclustercss": assets.url("leaflet.markercluster", "MarkerCluster.css"),
    "markerclusterdefaultcss": assets.url("leaflet.markercluster", "MarkerCluster.Default.css"),
}
OWN_CSS = ("tdj_css", "/app/static/carte.css")


def text(value) -> str:
    """Untrusted text for a map: HTML-escaped, and braces as entities, because branca compiles every
    element's rendered script as a Jinja template again: "{{ … }}" in a name would be run on the server."""
    return html.escape(str(value)).replace("{", "&#123;").replace("}", "&#125;")


class OfflineError(RuntimeError):
    """A map element wants a script or stylesheet that is not served locally."""


def _elements(element):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _elements(child)


def localize(m: folium.Map) -> folium.Map:
    """Point every element's JS/CSS at the local copies; unknown CDN dependencies are an error."""
    for el in _elements(m):
        js = getattr(el, "default_js", None)
        css = getattr(el, "default_css", None)
        if js is not None:
            el.default_js = [(n, _local(LOCAL_JS, n, u)) for n, u in js if n not in _DROPPED_JS]
        if css is not None:
            el.default_css = [(n, _local(LOCAL_CSS, n, u)) for n, u in css if n not in _DROPPED_CSS]
    m.default_css = [*m.default_css, OWN_CSS]
    return m


# Folium's Map lists jQuery, Bootstrap and Awesome Markers; our maps use none of them.
_DROPPED_JS = {"jquery", "bootstrap", "awesome_markers"}
_DROPPED_CSS = {"bootstrap_css", "glyphicons_css", "awesome_markers_font_css", "awesome_markers_css",
                "awesome_rotate_css"}


def _local(table: dict[str, str], name: str, url: str) -> str:
    if url.startswith("/"):
        return url
    if name not in table:
        raise OfflineError(f"{name}: {url} n'est pas servi localement")
    return table[name]


def new_map(bounds: tuple[float, float, float, float] | None = None, basemap: str = "aucun",
            **kwargs) -> folium.Map:
    """An offline Leaflet map; bounds are (minx, miny, maxx, maxy) in lon/lat."""
    m = folium.Map(tiles=None, control_scale=True, zoom_snap=0.25, **kwargs)
    m.options.update(maxZoom=18, minZoom=4)  # no tile layer sets them, and marker clusters need a maxZoom
    add_basemap(m, basemap)
    if bounds is not None:
        minx, miny, maxx, maxy = bounds
        m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


# No tile server is required: "aucun" is the default. A user on a network that reaches a tile
# server may choose one; the app still works when it is unreachable (the tiles stay blank).
BASEMAPS = {
    "aucun": None,
    "OpenStreetMap (en ligne)": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                                 "&copy; les contributeurs d'OpenStreetMap"),
}


def add_basemap(m: folium.Map, name: str) -> None:
    spec = BASEMAPS.get(name)
    if spec:
        folium.TileLayer(tiles=spec[0], attr=spec[1], name=name, control=False).add_to(m)


def legend_html(title: str, items: list[tuple[str, str]]) -> str:
    """A plain-HTML legend (no JS library), escaped."""
    rows = "".join(
        f'<div><span class="tdj-swatch" style="background:{color}"></span>{text(label)}</div>'
        for color, label in items
    )
    return f'<div class="tdj-legend"><strong>{text(title)}</strong>{rows}</div>'


class _Script(folium.MacroElement):
    """A piece of JavaScript run with the map as `map`; its text is a value, never Jinja source, so a
    label named "{{ … }}" stays text."""

    _template = Template("{% macro script(this, kwargs) %}(function (map) { {{ this.js }} })"
                         "({{ this._parent.get_name() }});{% endmacro %}")

    def __init__(self, js: str):
        super().__init__()
        self.js = js


def add_legend(m: folium.Map, title: str, items: list[tuple[str, str]]) -> None:
    m.add_child(_Script(
        "var legend = L.control({position: 'bottomright'});"
        "legend.onAdd = function () { var d = L.DomUtil.create('div'); d.innerHTML = "
        f"{_js(legend_html(title, items))}; return d; }}; legend.addTo(map);"))


def add_place_names(m: folium.Map, places: list[tuple[str, float, float]], css_class: str = "tdj-label") -> None:
    """Names of large communes (or territories) as text on the map (readable without a base map); names are
    escaped."""
    data = [[round(lat, 5), round(lon, 5), text(name)] for name, lat, lon in places]
    m.add_child(_Script(
        f"{_js(data)}.forEach(function (p) {{ L.marker([p[0], p[1]], {{interactive: false, keyboard: false, "
        f"icon: L.divIcon({{className: {_js(css_class)}, html: p[2], iconSize: [160, 16], iconAnchor: [80, 8]}})}})"
        ".addTo(map); });"))


def _js(value) -> str:
    """A JavaScript literal that cannot close the <script> it sits in."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def standalone_html(m: folium.Map) -> str:
    """The map as one HTML file with Leaflet inlined, readable offline from a USB stick."""
    page = m.get_root().render()

    def inline_js(match: re.Match) -> str:
        path = _static_file(match.group(1))
        return f"<script>{path.read_text(encoding='utf-8')}</script>" if path else match.group(0)

    def inline_css(match: re.Match) -> str:
        path = _static_file(match.group(1))
        return f"<style>{path.read_text(encoding='utf-8')}</style>" if path else match.group(0)

    page = re.sub(r'<script src="(/app/static/[^"]+)"></script>', inline_js, page)
    page = re.sub(r'<link rel="stylesheet" href="(/app/static/[^"]+)"\s*/?>', inline_css, page)
    return page


def _static_file(url: str) -> Path | None:
    from geo.paths import ROOT

    path = ROOT / url.removeprefix("/app/")
    return path if path.exists() else None
