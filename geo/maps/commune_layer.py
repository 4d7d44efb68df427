"""Thousands of communes as one Leaflet layer: quantised, delta-encoded rings and a code→status table joined
in the browser, one shared tooltip, SVG for a région and canvas for all of France.

Folium's GeoJson writes every coordinate as a decimal pair and every property on every feature; for 34,875
communes that is ~10 MB. Here a ring is a flat list of small integers (grid steps from the previous vertex),
the status of a commune is one digit of a string, and names, populations and EPCI come once each."""

from __future__ import annotations

import folium
import numpy as np
import pandas as pd
import shapely

from geo.data import coverage
from geo.maps import base, palette

STATUSES = [coverage.STATUS_DIRECT, coverage.STATUS_EPT, coverage.STATUS_EPCI, coverage.STATUS_NONE,
            palette.HELD_LABEL]  # the last one drawn only: a commune not covered, in a département that is labelled


def encode(geom, grid: float) -> list:
    """A (multi)polygon as [[ring, hole…], …], each ring the steps x0, y0, dx1, dy1, … on the grid (no
    closing vertex) written as a polyline string (Google's encoding: a small step is one character)."""
    polys = []
    for poly in getattr(geom, "geoms", [geom]):
        rings = []
        for ring in (poly.exterior, *poly.interiors):
            steps = np.round(np.asarray(ring.coords)[:-1] / grid).astype(np.int64)
            rings.append(polyline(np.vstack([steps[:1], np.diff(steps, axis=0)]).ravel().tolist()))
        polys.append(rings)
    return polys


def polyline(values: list[int]) -> str:
    """Integers as printable characters, 5 bits each, a sign bit first (the polyline algorithm); "{" is
    written "!", since branca compiles every rendered script as a Jinja template again ("{{", "{%")."""
    out = []
    for v in values:
        v = ~(v << 1) if v < 0 else v << 1
        while v >= 0x20:
            out.append(chr((0x20 | (v & 0x1F)) + 63))
            v >>= 5
        out.append(chr(v + 63))
    return "".join(out).replace("{", "!")


def decode(text: str) -> list[int]:
    """The inverse of polyline (the browser does the same in JavaScript)."""
    values, i = [], 0
    text = text.replace("!", "{")
    while i < len(text):
        result = shift = 0
        while True:
            b = ord(text[i]) - 63
            i += 1
            result |= (b & 0x1F) << shift
            shift += 5
            if b < 0x20:
                break
        values.append(~(result >> 1) if result & 1 else result >> 1)
    return values


def payload(communes: pd.DataFrame, geometry: str, grid: float) -> dict:
    """What the browser needs to draw and name the communes (those without a polygon are left out); names are
    escaped here, as they are written into tooltips as HTML."""
    rows = communes[communes[geometry].notna()]
    rows = rows[~shapely.is_empty(rows[geometry].to_numpy())]
    epci_names = sorted({n for n in rows["epci_nom"].dropna()})
    epci_index = {n: i for i, n in enumerate(epci_names)}
    extra = {}
    if "ept_nom" in rows and rows["ept_nom"].notna().any():  # Paris and its petite couronne: the EPT too
        ept_names = sorted({n for n in rows["ept_nom"].dropna()})
        ept_index = {n: i for i, n in enumerate(ept_names)}
        extra = {"ept": [ept_index.get(n, -1) if isinstance(n, str) else -1 for n in rows["ept_nom"]],
                 "ept_names": [base.text(n) for n in ept_names]}
    return {**extra,
        "grid": grid,
        "codes": rows["code"].tolist(),
        "names": [base.text(n) for n in rows["nom"]],
        "population": [int(p) if p == p and p is not None else None for p in rows["population"]],
        "epci": [epci_index.get(n, -1) if isinstance(n, str) else -1 for n in rows["epci_nom"]],
        "epci_names": [base.text(n) for n in epci_names],
        "shapes": [encode(g, grid) for g in rows[geometry]],
    }


def status_string(codes: list[str], status: pd.Series, held: set[str] | frozenset = frozenset()) -> str:
    """One digit per commune, in the payload's order: its index in STATUSES; a commune not covered in one of the
    `held` départements (which hold the label themselves) is drawn as such."""
    index = {s: str(i) for i, s in enumerate(STATUSES)}
    none, in_held = index[coverage.STATUS_NONE], index[palette.HELD_LABEL]
    of = dict(zip(status.index.tolist(), status.tolist(), strict=True))  # Series.get per item is slow
    return "".join((in_held if held and departement_of(c) in held else none)
                   if of.get(c) in (None, coverage.STATUS_NONE) else index.get(of.get(c), none) for c in codes)


def departement_of(code: str) -> str:
    """The département of a COG commune code (97x for the overseas ones, 2A/2B for Corsica)."""
    return code[:3] if code.startswith("97") else code[:2]


def add_communes(m: folium.Map, data: str, status: str, *, canvas: bool) -> None:
    """The communes as one layer, coloured by status; a click gives streamlit-folium the commune's code and
    département (its feature's properties). `data` is the payload as a JavaScript literal (made once)."""
    colors = [{**palette.STATUS_COLORS, palette.HELD_LABEL: palette.HELD}[s] for s in STATUSES]
    m.add_child(base.Script(
        f"var D = {data}, S = {base.js(status)}, COLORS = {base.js(colors)}, "
        f"NAMES = {base.js(STATUSES)}, CANVAS = {base.js(canvas)};" + _LAYER))


_LAYER = """
var g = D.grid, renderer = CANVAS ? L.canvas({padding: 0.3, tolerance: 1}) : L.svg({padding: 0.3});
// all of France: lighter, thinner edges, or 34,871 outlines turn the map grey
var LINE = CANVAS ? '#b4b4b4' : '#737373';
var styles = COLORS.map(function (c) {
  return {fillColor: c, color: LINE, weight: CANVAS ? 0.2 : 0.4, fillOpacity: 0.85, className: 'tdj-commune',
          renderer: renderer};
});
var group = L.featureGroup();
for (var i = 0; i < D.codes.length; i++) {
  var polys = D.shapes[i].map(function (poly) {
    return poly.map(function (ring) {
      var x = 0, y = 0, at = 0, out = [];
      while (at < ring.length) { x += next(); y += next(); out.push(L.latLng(y * g, x * g)); }
      return out;
      function next() {
        var result = 0, shift = 0, b;
        do {
          b = ring.charCodeAt(at++); b = (b === 33 ? 123 : b) - 63;
          result |= (b & 0x1f) << shift; shift += 5;
        } while (b >= 0x20);
        return (result & 1) ? ~(result >> 1) : (result >> 1);
      }
    });
  });
  var code = D.codes[i], st = +S.charAt(i);
  var layer = L.polygon(polys, styles[st]);
  layer.tdjIndex = i;
  layer.feature = {type: 'Feature', properties: {code: code,
    departement: code.slice(0, 2) === '97' ? code.slice(0, 3) : code.slice(0, 2)}};
  group.addLayer(layer);
}
function fmt(n) { return n === null ? '?' : String(n).replace(/\\B(?=(\\d{3})+(?!\\d))/g, '\\u202f'); }
group.bindTooltip(function (layer) {
  var i = layer.tdjIndex, e = D.epci[i];
  return '<table class="tdj-tip"><tr><th>Commune</th><td>' + D.names[i] + '</td></tr><tr><th>Code INSEE</th><td>' +
    D.codes[i] + '</td></tr><tr><th>Population</th><td>' + fmt(D.population[i]) + '</td></tr><tr><th>Statut</th><td>' +
    NAMES[+S.charAt(i)] + '</td></tr><tr><th>EPCI</th><td>' + (e >= 0 ? D.epci_names[e] : '—') + '</td></tr>' +
    (D.ept ? '<tr><th>EPT</th><td>' + (D.ept[i] >= 0 ? D.ept_names[D.ept[i]] : '—') + '</td></tr>' : '') + '</table>';
}, {sticky: true});
group.on('mouseover', function (e) {
  e.layer.setStyle({weight: 2, color: '#000'}); if (!CANVAS) { e.layer.bringToFront(); }
});
group.on('mouseout', function (e) { e.layer.setStyle({weight: styles[0].weight, color: LINE}); });
group.addTo(map);
map._tdjCommunes = group;
if (!CANVAS) { group.eachLayer(function (l) { l._path.setAttribute('data-code', l.feature.properties.code); }); }
// for tests and benchmarks: how many communes are drawn, set once the renderer has painted them
L.Util.requestAnimFrame(function () { map.getContainer().setAttribute('data-communes', group.getLayers().length); });
"""


def add_outlines(m: folium.Map, fc: dict | None, name: str, style: dict) -> None:
    """Non-interactive outlines (départements, EPCI) over the communes."""
    if fc:
        folium.GeoJson(fc, name=name, interactive=False, style_function=lambda f, s=style: s).add_to(m)


def add_jumps(m: folium.Map, places: list[tuple[str, tuple[float, float, float, float]]]) -> None:
    """Buttons that frame the metropolis or an overseas département in one click (a national slide shows
    them without panning to the Caribbean)."""
    data = [[base.text(name), [[b[1], b[0]], [b[3], b[2]]]] for name, b in places]
    m.add_child(base.Script(
        f"var places = {base.js(data)};" + """
var jump = L.control({position: 'topright'});
jump.onAdd = function () {
  var d = L.DomUtil.create('div', 'tdj-jump leaflet-bar');
  places.forEach(function (p) {
    var a = L.DomUtil.create('a', 'tdj-jump-button', d);
    a.href = '#'; a.innerHTML = p[0]; a.setAttribute('role', 'button'); a.title = p[0];
    L.DomEvent.on(a, 'click', function (e) { L.DomEvent.stop(e); map.fitBounds(p[1]); });
  });
  L.DomEvent.disableClickPropagation(d);
  return d;
};
jump.addTo(map);"""))


GAP_LABEL = "commune sans contour détaillé dans la source"


def gap_feature(outline, shapes) -> dict | None:
    """The part of a territory that no commune's polygon covers (the source gives some communes as their
    chef-lieu only, as around Hesdin), to be drawn and named in the legend rather than left as an unexplained
    patch; None when there is none worth showing."""
    from geo.maps import geojson

    if outline is None:
        return None
    drawn = shapely.union_all([g for g in shapes if g is not None]).buffer(0)
    gap = outline.difference(drawn)
    if gap.is_empty or gap.area <= 0.002 * outline.area:
        return None
    return {"type": "Feature", "properties": {}, "geometry": geojson.geometry(gap)}


def add_gap(m, feature: dict | None) -> None:
    """The gap (gap_feature) under the communes, in the legend's grey."""
    if feature:
        folium.GeoJson(feature, name="Sans contour", interactive=False,
                       style_function=lambda f: {"fillColor": palette.GAP, "fillOpacity": 1, "color": palette.GAP,
                                                 "weight": 0.5, "className": "tdj-gap"}).add_to(m)
