"""Folium maps that work offline: Leaflet served locally, display geometry from the store."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import folium
import folium.plugins
from jinja2 import Template

from geo.build import assets

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
            name: str = "Carte", **kwargs) -> folium.Map:
    """An offline Leaflet map; bounds are (minx, miny, maxx, maxy) in lon/lat; `name` says what it shows, for
    screen readers (« Carte des communes du Pas-de-Calais selon leur couverture par Terre de Jeux 2024 »)."""
    m = folium.Map(tiles=None, control_scale=False, zoom_snap=0.25, **kwargs)
    m.options.update(maxZoom=18, minZoom=4)  # no tile layer sets them, and marker clusters need a maxZoom
    m.add_child(Script(f"var NAME = {js_text(name)};" + KEYBOARD_AND_NAMES))  # first: before any layer is drawn
    m.add_child(Script(SCALE_AND_TOOLTIPS))
    add_basemap(m, basemap)
    if bounds is not None:
        minx, miny, maxx, maxy = bounds
        m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


# « du Pas-de-Calais », « de la Somme », « des Hauts-de-France »: the COG's type of name (TNCC) gives the article
ARTICLES = {0: "de ", 1: "d'", 2: "du ", 3: "de la ", 4: "des ", 5: "de l'", 6: "des ", 7: "de las ", 8: "de los "}


def of_place(table: str, code: str, store: Path | None = None) -> str:
    """« du Pas-de-Calais »: a département's or région's name after « de », for the maps' accessible names."""
    from geo.store import reader

    row = reader(store).execute(f"SELECT nom, type_liaison FROM {table} WHERE code = ?", [code]).fetchone()
    if not row:
        return f"de {code}"
    return ARTICLES.get(row[1] if row[1] is not None else 0, "de ") + str(row[0])


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


class Script(folium.MacroElement):
    """A piece of JavaScript run with the map as `map`; its text is a value, never Jinja source, so a
    label named "{{ … }}" stays text."""

    _template = Template("{% macro script(this, kwargs) %}(function (map) { {{ this.js }} })"
                         "({{ this._parent.get_name() }});{% endmacro %}")

    def __init__(self, js: str):
        super().__init__()
        self.js = js


def add_legend(m: folium.Map, title: str, items: list[tuple[str, str]], position: str = "bottomright") -> None:
    """The legend box; France's maps put it bottom left, over the Atlantic, where it hides no land (bottom
    right it covered Corsica)."""
    m.add_child(Script(
        f"var legend = L.control({{position: {js(position)}}});"
        "legend.onAdd = function () { var d = L.DomUtil.create('div'); d.innerHTML = "
        f"{js(legend_html(title, items))}; return d; }}; legend.addTo(map);"))


# The map for the keyboard and screen readers (WCAG 2.1 AA): one tab stop, the map itself (arrows move it, + and -
# zoom, Escape leaves it for the line under it); its polygons and markers out of the tab order (Chromium makes an
# SVG path with a focus listener — every path with a tooltip — a tab stop: 887 of them for the Pas-de-Calais);
# a French accessible name that says what it shows, on the map and on the frame Streamlit draws it in; French
# names for the zoom buttons; the document in French; zooming the page allowed (folium's viewport forbids it).
KEYBOARD_AND_NAMES = """
if (!L.SVG.prototype._tdjNoTab) {
  var initPath = L.SVG.prototype._initPath;
  L.SVG.prototype._initPath = function (layer) {
    initPath.call(this, layer);
    layer._path.setAttribute('tabindex', '-1');
    layer._path.setAttribute('focusable', 'false');
  };
  L.SVG.prototype._tdjNoTab = true;
  L.Marker.prototype.options.keyboard = false;
}
var doc = document, box = map.getContainer();
var help = ' Flèches : déplacer la carte ; + et - : zoomer ; Échap : quitter la carte.';
doc.documentElement.lang = 'fr';
doc.querySelectorAll('meta[name=viewport]').forEach(function (m) {
  m.setAttribute('content', 'width=device-width, initial-scale=1'); });
box.setAttribute('role', 'region');
box.setAttribute('aria-roledescription', 'carte');
box.setAttribute('aria-label', NAME + '.' + help);
try { if (window.frameElement) { window.frameElement.setAttribute('aria-label', NAME); } } catch (e) {}
if (map.zoomControl) {
  [[map.zoomControl._zoomInButton, 'Zoomer (touche +)'], [map.zoomControl._zoomOutButton, 'Dézoomer (touche -)']]
    .forEach(function (b) {
      if (b[0]) { b[0].title = b[1]; b[0].setAttribute('aria-label', b[1]); b[0].tabIndex = -1; } });
}
map.whenReady(function () {
  box.querySelectorAll('.leaflet-control-attribution a').forEach(function (a) { a.tabIndex = -1; });
});
box.addEventListener('keydown', function (e) {
  if (e.key !== 'Escape') { return; }
  var out = null;
  try {  // in the app: the line under the map's frame, in the page around it
    var frame = window.frameElement;
    if (frame) {
      out = Array.prototype.find.call(frame.ownerDocument.querySelectorAll('.tdj-after-map'), function (el) {
        return frame.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING; });
    }
  } catch (err) { out = null; }
  out = out || doc.querySelector('.tdj-after-map');  // a standalone file: the line under the map
  if (out) { e.preventDefault(); out.focus(); } else { box.blur(); }
});
"""


# A metric scale bar only (Leaflet's default adds miles), and tooltips kept inside the map: a tooltip that
# would cross an edge of the map (the Pas-de-Calais at the top of France) is moved back inside.
SCALE_AND_TOOLTIPS = """
L.control.scale({imperial: false, metric: true}).addTo(map);
if (!L.Tooltip.prototype._tdjInside) {
  var place = L.Tooltip.prototype._setPosition;
  L.Tooltip.prototype._setPosition = function (pos) {
    place.call(this, pos);
    var m = this._map, el = this._container;
    if (!m || !el) { return; }
    var size = m.getSize(), at = L.DomUtil.getPosition(el), p = m.layerPointToContainerPoint(at);
    var dx = Math.max(4 - p.x, Math.min(0, size.x - 4 - (p.x + el.offsetWidth)));
    var dy = Math.max(4 - p.y, Math.min(0, size.y - 4 - (p.y + el.offsetHeight)));
    if (dx || dy) { L.DomUtil.setPosition(el, at.add([dx, dy])); }
  };
  L.Tooltip.prototype._tdjInside = true;
}
"""


def add_highlight(m: folium.Map, feature: dict, name: str, lat: float, lon: float) -> None:
    """One commune outlined thick and named, for a search result (`name` is raw: escaped here)."""
    folium.GeoJson(feature, name="Commune recherchée", interactive=False,
                   style_function=lambda f: {"fill": False, "color": "#000", "weight": 4,
                                             "className": "tdj-highlight"}).add_to(m)
    add_place_names(m, [(name, lat, lon)], css="tdj-label tdj-label-found")


def add_place_names(m: folium.Map, places: list[tuple[str, float, float]], css: str = "tdj-label") -> None:
    """Names of large communes as text on the map (readable without a base map); names are escaped."""
    data = [[round(lat, 5), round(lon, 5), text(name)] for name, lat, lon in places]
    # every call adds to one list per map, so that names of different layers (EPT, communes) never overlap; the
    # icon has no size of its own: the name is centred on its point by CSS, whatever its width in the font used
    m.add_child(Script(
        f"var marks = {js(data)}.map(function (p) {{ "
        f"return L.marker([p[0], p[1]], {{interactive: false, keyboard: false, icon: L.divIcon({{className: "
        f"{js(css)}, html: '<span>' + p[2] + '</span>', iconSize: [0, 0], iconAnchor: [0, 0]}})}})"
        ".addTo(map); });" + _DECLUTTER))


# Names are given largest commune first: a name that would overlap one already shown is hidden (Maisons-Alfort
# over Alfortville), and shown again when zooming in makes room. The sizes of names depend on the fonts of the
# machine and on when the map's stylesheet and fonts arrive (the map's scripts may run before): placement is
# done again whenever a name's drawn size changes (ResizeObserver), when the fonts are ready, and after a zoom
# or a resize. `data-tdj-placed` on the map counts the placements, for whoever waits on them.
_DECLUTTER = """
map._tdjMarks = (map._tdjMarks || []).concat(marks);
if (!map._tdjDeclutter) {
  var place = function () {
    map._tdjQueued = false;
    var shown = [], found = function (mk) { return / tdj-label-found/.test(' ' + mk.options.icon.options.className); };
    // the searched commune's name first: it is never the one hidden
    var marks = (map._tdjMarks || []).filter(found).concat((map._tdjMarks || []).filter(function (mk) {
      return !found(mk); }));
    marks.forEach(function (mk) {
      var el = mk.getElement(); if (!el) { return; }
      var span = el.firstChild || el; el.style.visibility = 'visible';
      var r = span.getBoundingClientRect();
      var hit = shown.some(function (o) { return r.left < o.right + 2 && r.right > o.left - 2 &&
                                                 r.top < o.bottom + 1 && r.bottom > o.top - 1; });
      if (hit) { el.style.visibility = 'hidden'; el.classList.add('tdj-label-hidden'); }
      else { el.classList.remove('tdj-label-hidden'); shown.push(r); }
    });
    var box = map.getContainer();
    box.setAttribute('data-tdj-placed', String(Number(box.getAttribute('data-tdj-placed') || 0) + 1));
  };
  map._tdjDeclutter = function () {
    if (!map._tdjQueued) { map._tdjQueued = true; setTimeout(place, 0); }
  };
  map._tdjSizes = window.ResizeObserver ? new ResizeObserver(map._tdjDeclutter) : null;
  map.whenReady(map._tdjDeclutter);
  map.on('zoomend resize', map._tdjDeclutter);
  window.addEventListener('load', map._tdjDeclutter);
  if (document.fonts && document.fonts.ready) { document.fonts.ready.then(map._tdjDeclutter); }
}
marks.forEach(function (mk) {
  var el = mk.getElement();
  if (el && map._tdjSizes) { map._tdjSizes.observe(el.firstChild || el); }
});
map._tdjDeclutter();
"""


def js(value) -> str:
    """A JavaScript literal that cannot close the <script> it sits in."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def js_text(value: str) -> str:
    """A JavaScript string of untrusted text (a label's name): braces escaped too, as branca compiles every
    rendered script as a Jinja template again (« {{ … }} » would run on the server), and « < » (no « </script> »
    nor « <!-- » can change how the page's parser reads the script)."""
    return json.dumps(str(value), ensure_ascii=False).replace("<", "\\u003c").replace("{", "\\u007b").replace(
        "}", "\\u007d")


def standalone_html(m: folium.Map, title: str = "Carte", note: str = "") -> str:
    """The map as one HTML file with Leaflet inlined, readable offline from a USB stick; its title in the
    tab and above the map, its dates and sources under it (both escaped). The title, the map and the note are
    stacked, never on top of each other, and the territory is framed clear of the zoom buttons and the legend
    (at 1280×720 as on a desk screen); the page is in French, and Escape leaves the map for the note."""
    bounds = next((el.bounds for el in _elements(m) if isinstance(el, folium.map.FitBounds)), None)
    if bounds is not None:
        m.add_child(Script(f"var B = {js(bounds)};" + _FRAME_CLEAR))
    page = m.get_root().render()
    head = f'<meta charset="utf-8"><title>{html.escape(title)}</title><style>{_STANDALONE_CSS}</style>'
    page = re.sub(r"<title>.*?</title>", "", page, flags=re.S)
    page = re.sub(r'<meta name="viewport"[^>]*>', '<meta name="viewport" content="width=device-width, '
                  'initial-scale=1">', page)
    page = re.sub(r"<html>|<html\s[^>]*>", '<html lang="fr">', page, count=1)
    page = page.replace("<head>", "<head>" + head, 1)
    banner = f'<h1 class="tdj-page-title">{html.escape(title)}</h1>'
    footer = (f'<p class="tdj-page-note tdj-after-map" tabindex="-1">{html.escape(note)}</p>')
    page = re.sub(r"<body>", lambda _: "<body>" + banner + footer, page, count=1)

    def inline_js(match: re.Match) -> str:
        path = _static_file(match.group(1))
        return f"<script>{path.read_text(encoding='utf-8')}</script>" if path else match.group(0)

    def inline_css(match: re.Match) -> str:
        path = _static_file(match.group(1))
        return f"<style>{path.read_text(encoding='utf-8')}</style>" if path else match.group(0)

    page = re.sub(r'<script src="(/app/static/[^"]+)"></script>', inline_js, page)
    page = re.sub(r'<link rel="stylesheet" href="(/app/static/[^"]+)"\s*/?>', inline_css, page)
    return page


# The file's page: title, map and note in a column (the map takes the height left); at AA contrast.
_STANDALONE_CSS = """
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font-family: "Source Sans Pro", "Segoe UI", Arial, sans-serif; }
.tdj-page-title { order: 0; flex: none; margin: 0; padding: 6px 12px; font-size: 18px; font-weight: 600;
  background: #fff; color: #111; }
.folium-map { order: 1; flex: 1 1 auto; min-height: 0; height: auto !important; }
.tdj-page-note { order: 2; flex: none; margin: 0; padding: 4px 12px; font-size: 12px; color: #333; background: #fff; }
.tdj-page-note:focus { outline: 3px solid #1d4ed8; outline-offset: -3px; }
"""

# Framed again once the controls are drawn: the territory's box clear of the zoom buttons (top left) and of the
# legend and scale bar (bottom), so that no commune hides under them.
_FRAME_CLEAR = """
map.whenReady(function () {
  var c = map.getContainer(), size = function (sel) {
    var el = c.querySelector(sel); return el ? [el.offsetWidth, el.offsetHeight] : [0, 0]; };
  var zoom = size('.leaflet-control-zoom'), legend = size('.tdj-legend'), scale = size('.leaflet-control-scale');
  var left = zoom[0] + 20, bottom = Math.max(scale[1] + 16, 10), right = legend[0] + 20;
  map.invalidateSize();
  map.fitBounds(B, {paddingTopLeft: [left, 10], paddingBottomRight: [right, bottom], animate: false});
});
"""


def _static_file(url: str) -> Path | None:
    from geo.paths import ROOT

    path = ROOT / url.removeprefix("/app/")
    return path if path.exists() else None
