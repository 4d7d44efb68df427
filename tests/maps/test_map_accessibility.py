"""What the maps give assistive technology and keyboards, without a browser: a French accessible name saying what
each map shows, its polygons out of the tab order, lines at 3:1 at least, a standalone file in French (the
browser side: tests/browser/test_accessibility.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo.data.coverage import STATUS_NONE
from geo.maps import base, departement_map, palette, standalone_html


def test_contrast_ratio_is_wcag_s():
    assert palette.contrast("#000000", "#ffffff") == pytest.approx(21)
    assert palette.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("color", [palette.EPCI_OUTLINE, palette.EPT_OUTLINE, palette.OUTLINE,
                                   palette.SITE_PARALYMPIC, palette.SITE_OLYMPIC])
def test_lines_and_rings_stand_out_at_3_to_1(color):
    """Outlines and the hollow CPJ ring against the map's background and a commune not covered, in a labelled
    département or not (1.4.11)."""
    for ground in (palette.MAP_BACKGROUND, palette.STATUS_COLORS[STATUS_NONE], palette.HELD):
        assert palette.contrast(color, ground) >= 3, (color, ground)


def test_legend_swatches_have_a_dark_border():
    """Light swatches (« non couverte » is almost white) are told apart by their border, at 3:1 and more."""
    css = (Path(__file__).resolve().parents[2] / "static" / "carte.css").read_text(encoding="utf-8")
    border = re.search(r"\.tdj-swatch \{[^}]*border: 1px solid (#[0-9a-f]{3,6})", css).group(1)
    border = "#" + "".join(c * 2 for c in border[1:]) if len(border) == 4 else border
    assert palette.contrast(border, "#ffffff") >= 3


def test_articles_of_places(store):
    assert base.of_place("departements", "62", store) == "du Pas-de-Calais"
    assert base.of_place("departements", "80", store) == "de la Somme"
    assert base.of_place("departements", "02", store) == "de l'Aisne"
    assert base.of_place("regions", "32", store) == "des Hauts-de-France"


def test_map_has_a_french_name_and_no_polygon_in_the_tab_order(store):
    page = departement_map.build("62", "Terre de Jeux 2024", store=store).get_root().render()
    assert "Carte des communes du Pas-de-Calais selon leur couverture par Terre de Jeux 2024" in page
    assert "setAttribute('tabindex', '-1')" in page and "keyboard = false" in page
    assert "Échap : quitter la carte" in page


def test_untrusted_label_in_the_name_stays_text(store):
    page = departement_map.build("62", "{{ 7 * 7 }} <script>", store=store).get_root().render()
    assert "49" not in re.findall(r"var NAME = ([^;]*);", page)[0]
    assert "<script>" not in re.findall(r"var NAME = ([^;]*);", page)[0]


def test_standalone_file_is_french_titled_and_zoomable(store):
    page = standalone_html(departement_map.build("94", None, store=store), title="Val-de-Marne", note="Sources")
    assert '<html lang="fr">' in page
    assert "<title>Val-de-Marne</title>" in page and '<h1 class="tdj-page-title">Val-de-Marne</h1>' in page
    assert "maximum-scale" not in page and "user-scalable=no" not in page
    assert 'class="tdj-page-note tdj-after-map" tabindex="-1">Sources</p>' in page
