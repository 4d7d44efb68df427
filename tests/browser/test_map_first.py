"""Issue 21, point 1: at a projector's 1280×720, the map and the key figures of the France, Région and
Département pages are above the fold (the provenance is one short line, its full text folded away).

Data: the « walkthrough » scenario (SYNTHETIC Terre de Jeux and CPJ, tests/scenarios.py)."""

from __future__ import annotations

import pytest
import scenarios
from browsing import open_page, screenshot, settle

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def served(apps):
    return apps.get("walkthrough", scenarios.walkthrough)


@pytest.mark.parametrize("path", ["/", "/region?reg=32", "/departement?dep=62", "/departement?dep=94"])
def test_map_and_figures_above_the_fold_at_1280x720(page, base_url, path):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_page(page, base_url + path)
    settle(page)
    frame = page.locator("iframe[title='streamlit_folium.st_folium']").first
    frame.wait_for()
    top = frame.bounding_box()["y"]
    assert top < 720 - 150, f"the map starts at {top:.0f} px on {path}: below the fold of a 1280×720 screen"
    figures = page.locator("[data-testid='stMetricValue']")
    assert figures.count() >= 4
    assert all(figures.nth(k).bounding_box()["y"] < top for k in range(4))  # the figures above the map
    # the provenance is one line under the title, the rest folded away
    assert page.get_by_text("Sources et listes chargées").count() == 1
    screenshot(page, "carte-au-dessus-1280-" + (path.strip("/").replace("?", "-").replace("=", "") or "france"))
