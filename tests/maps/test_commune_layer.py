"""The shared commune layer: rings encoded without loss on their grid, status joined from one digit per commune,
names escaped (HTML and Jinja); the région and France maps built from the store's display geometry."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import shapely

from geo.build.geometry import REG_VIEW_GRID
from geo.data import coverage, territory
from geo.maps import commune_layer, region_map

XSS = "<img src=x onerror=alert(1)>"
EXTERNAL = re.compile(r"""<(?:script|link|img)\b[^>]*(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


@pytest.mark.parametrize("values", [[0, 0], [1, -1, 15, -16, 16, -17], [252_500, 275_000, -31, 2**20],
                                    list(range(-600, 600, 7))])
def test_polyline_round_trip(values):
    text = commune_layer.polyline(values)
    assert commune_layer.decode(text) == values
    assert "{" not in text and all(33 <= ord(c) <= 126 for c in text)  # no Jinja delimiter, printable


def test_encode_keeps_holes_and_parts_on_the_grid():
    grid = 1e-4
    outer = [(2.0, 50.0), (2.1, 50.0), (2.1, 50.1), (2.0, 50.1)]
    hole = [(2.04, 50.04), (2.06, 50.04), (2.06, 50.06)]
    geom = shapely.MultiPolygon([shapely.Polygon(outer, [hole]), shapely.box(3.0, 49.0, 3.01, 49.02)])
    polys = commune_layer.encode(geom, grid)
    assert [len(p) for p in polys] == [2, 1]
    steps = np.cumsum(np.array(commune_layer.decode(polys[0][1])).reshape(-1, 2), axis=0) * grid
    assert np.allclose(steps, hole)


def test_status_joined_by_code_in_payload_order():
    status = pd.Series({"62193": coverage.STATUS_DIRECT, "62041": coverage.STATUS_EPCI, "94028": coverage.STATUS_EPT})
    digits = commune_layer.status_string(["62041", "62193", "94028", "59350"], status)
    assert [commune_layer.STATUSES[int(d)] for d in digits] == [coverage.STATUS_EPCI, coverage.STATUS_DIRECT,
                                                                 coverage.STATUS_EPT, coverage.STATUS_NONE]


def test_payload_escapes_names():
    frame = pd.DataFrame({"code": ["62193"], "nom": [XSS], "population": [1], "epci_nom": ["{{ 7 * 7 }}"],
                          "geom": [shapely.box(1.8, 50.9, 1.9, 51.0)]})
    data = commune_layer.payload(frame, "geom", REG_VIEW_GRID)
    assert data["names"] == ["&lt;img src=x onerror=alert(1)&gt;"]
    assert data["epci_names"] == ["&#123;&#123; 7 * 7 &#125;&#125;"]


def test_region_map_has_every_commune_and_its_departements(store):
    page = region_map.build("32", None, store=store).get_root().render()
    geo = region_map._geography("32", store)
    assert len(geo["data"]["codes"]) == 3782 and len(geo["departements"]["features"]) == 5
    assert "tdj-epci" in page and "/app/static/vendor/leaflet/leaflet.js" in page and not EXTERNAL.search(page)


@pytest.mark.slow
def test_france_map_jumps_to_every_overseas_departement(store):
    geo = region_map._geography(None, store)
    assert [name for name, _ in geo["jumps"]] == ["Métropole", "Guadeloupe", "Martinique", "Guyane", "La Réunion",
                                                 "Mayotte"]
    reunion = dict(geo["jumps"])["La Réunion"]
    assert 55 < reunion[0] < reunion[2] < 56 and -21.5 < reunion[1] < reunion[3] < -20.8
    with_polygon = territory.communes_of_region(None, "france", store).geometry.notna().sum()
    assert len(geo["data"]["codes"]) == with_polygon >= 34_870


def test_departements_map_of_france_has_the_overseas_jump(store):
    from geo.maps import france_map

    page = france_map.build(None, store=store).get_root().render()
    assert "tdj-jump" in page and all(name in page for name in ("Guadeloupe", "La Réunion", "Mayotte"))


def test_a_labelled_departement_shows_on_its_maps():
    """Issue 21, points 2 and 8: a commune not covered, in a département that holds the label itself, is drawn as
    such (green, named in the legend) on the département, région and France maps, as on the images."""
    import pandas as pd

    from geo.data import coverage
    from geo.maps import commune_layer, palette

    status = pd.Series({"62001": coverage.STATUS_DIRECT, "62002": coverage.STATUS_NONE})
    codes = ["62001", "62002", "62003", "59001"]
    assert commune_layer.status_string(codes, status) == "0333"
    held = str(commune_layer.STATUSES.index(palette.HELD_LABEL))
    assert commune_layer.status_string(codes, status, {"62"}) == f"0{held}{held}3"
    assert commune_layer.departement_of("97101") == "971" and commune_layer.departement_of("2A004") == "2A"
