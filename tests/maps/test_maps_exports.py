"""Maps render offline with escaped names; exports are safe for spreadsheets."""

import re

import folium
import folium.plugins
import pandas as pd
import pytest

from geo import imports, maps
from geo.data import lists
from geo.io.export import neutralise, to_csv
from geo.io.readers import read_bytes
from geo.maps import departement_map, france_map
from geo.maps.sites_layer import popup_html

XSS = "<img src=x onerror=alert(1)>"
# a resource the page would load from elsewhere (links a person may click are not loads)
EXTERNAL = re.compile(r"""<(?:script|link|img)\b[^>]*(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


def test_every_map_is_offline(store):
    for m in (departement_map.build("62", None, store=store), departement_map.build("94", None, store=store),
              france_map.build(None, store=store)):
        page = m.get_root().render()
        assert not EXTERNAL.search(page), EXTERNAL.search(page)
        assert "/app/static/vendor/leaflet/leaflet.js" in page


def test_unknown_cdn_dependency_is_refused():
    m = maps.new_map()
    folium.plugins.Fullscreen().add_to(m)  # not vendored: must not silently reach a CDN
    with pytest.raises(maps.OfflineError):
        maps.localize(m)


def test_standalone_html_inlines_leaflet(store):
    page = maps.standalone_html(departement_map.build("94", None, store=store))
    assert "/app/static/vendor" not in page and "L.map(" in page and "Leaflet" in page
    assert not EXTERNAL.search(page)


def test_site_popup_escapes_names():
    html = popup_html(pd.Series({"nom": XSS, "commune_nom": "Calais", "departement": "62",
                                 "disciplines": ["BMX", "<b>skate</b>"], "olympique": True, "paralympique": False}))
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;b&gt;" in html


def test_department_map_with_untrusted_site_name(store_copy):
    raw = f"id;title;geo_point_2d\n1;{XSS};50.95, 1.86\n".encode()
    imports.commit(imports.prepare(read_bytes(raw, "cpj.csv"), "CPJ (test)", sites=True, raw=raw,
                                 store=store_copy), store_copy)
    page = departement_map.build("62", None, store=store_copy).get_root().render()
    assert XSS not in page and "onerror" in page  # present only escaped


@pytest.mark.parametrize("value,expected", [("=1+1", "'=1+1"), ("+33 1", "'+33 1"), ("-2", "'-2"),
                                            ("@SUM(A1)", "'@SUM(A1)"), ("Calais", "Calais"), (3, 3),
                                            (" =1+1", "' =1+1"), ("\n=cmd|' /C calc'!A0", "'\n=cmd|' /C calc'!A0"),
                                            ("\x00=1+1", "'=1+1"), ("\uff1d1+1", "'\uff1d1+1"),
                                            ("\u3000@SUM(A1)", "'\u3000@SUM(A1)"), ("\uff0b33", "'\uff0b33"),
                                            ("Saint-Omer", "Saint-Omer"), ("Li\x00lle", "Lille")])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_csv_for_french_excel():
    df = pd.DataFrame({"Commune": ["Calais", "=HYPERLINK(\"x\")"], "Population": [67571, 1]})
    raw = to_csv(df)
    assert raw.startswith(b"\xef\xbb\xbf") and b"Commune;Population\r\n" in raw
    assert "'=HYPERLINK" in raw.decode("utf-8-sig")
    assert to_csv(df, sep=",", bom=False).startswith(b"Commune,Population")


def test_lists_and_geojson_export(store_copy):
    raw = b"nom;departement\nCalais;62\nCA du Boulonnais;62\n"
    imports.commit(imports.prepare(read_bytes(raw, "l.csv"), "L", raw=raw, store=store_copy), store_copy)
    done = lists.labelled("L", ["62"], store=store_copy)
    assert set(done["code"]) == {"62193", "246200729"}
    missing = lists.not_covered("L", ["62"], store=store_copy)
    assert len(missing) == 887 - 1 - 22 and "62193" not in set(missing["code"])
    only_epci = lists.not_covered("L", ["62"], epci="246200364", store=store_copy)
    assert len(only_epci) == 36
    geo = lists.geojson_export(done, "labellises", store=store_copy)
    assert len(geo["features"]) == 2 and all(f["geometry"] for f in geo["features"])
    assert geo["features"][0]["properties"]["Code officiel"] in {"62193", "246200729"}


def test_label_name_is_never_template_source():
    m = maps.new_map((1.5, 50.0, 3.2, 51.0))
    maps.add_legend(m, "{{ 7 * 7 }} {% if true %}", [("#08519c", "<b>x</b>")])
    page = maps.localize(m).get_root().render()
    assert "&#123;&#123; 7 * 7 &#125;&#125; &#123;% if true %&#125;" in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_site_named_like_a_template_stays_text(store_copy):
    """branca re-reads rendered scripts as Jinja: a name must never be evaluated on the server."""
    raw = b"id;title;geo_point_2d\n1;{{ 7 * 7 }} {# x #} {% if 1 %};50.95, 1.86\n"
    imports.commit(imports.prepare(read_bytes(raw, "cpj.csv"), "CPJ {{ 6 * 7 }}", sites=True, raw=raw,
                                 store=store_copy), store_copy)
    page = departement_map.build("62", "CPJ {{ 6 * 7 }}", store=store_copy).get_root().render()
    page = page.replace("\\u0026", "&")  # folium's tojson writes & as \u0026 in marker data
    assert "&#123;&#123; 7 * 7 &#125;&#125; &#123;# x #&#125; &#123;% if 1 %&#125;" in page  # nothing evaluated
    assert "CPJ &#123;&#123; 6 * 7 &#125;&#125;" in page
