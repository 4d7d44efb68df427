"""Région and France by commune in headless Chromium: every commune drawn (counted in the page), a click on
a commune of the région map opens its département, the overseas départements one click away.

Data: the real Pas-de-Calais 2019 list (seeded); no synthetic list is needed."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from browsing import map_frame, open_page, screenshot, seeded, store_rows
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def served(apps, portal):
    return apps.get("seed", seeded, {"TDJ_PORTAIL": f"{portal[0]}/v1", "TDJ_ADRESSES_AUTORISEES": "127.0.0.1"})


def drawn(frame, timeout: float = 60000) -> int:
    """How many communes the map's layer drew (set by the layer once painted)."""
    frame.locator(".leaflet-container[data-communes]").wait_for(timeout=timeout)
    return int(frame.locator(".leaflet-container").get_attribute("data-communes"))


def test_region_draws_every_commune_and_opens_a_departement(page, base_url):
    open_page(page, f"{base_url}/region?reg=32&label=Terre+de+Jeux+2024")
    frame = map_frame(page)
    assert drawn(frame) == 3782
    expect(frame.locator("path.tdj-commune")).to_have_count(3782)  # SVG: each commune is a path
    expect(frame.locator("path.tdj-departement")).to_have_count(5)
    assert frame.locator("path.tdj-epci").count() > 50
    expect(page.get_by_text("Départements de la région", exact=True)).to_have_count(1)
    screenshot(page, "region-32")
    # hovering a commune names it and says its status (joined in the browser from the status table)
    frame.locator("path.tdj-commune[data-code='59350']").hover(force=True)
    tip = frame.locator(".leaflet-tooltip").first
    tip.wait_for(timeout=10000)
    assert "Lille" in tip.inner_text() and "59350" in tip.inner_text() and "non couverte" in tip.inner_text()
    # Arras: its commune opens the Pas-de-Calais
    frame.locator("path.tdj-commune[data-code='62041']").dispatch_event("click")
    page.wait_for_function("() => location.pathname.endsWith('/departement') && location.search.includes('dep=62')",
                           timeout=30000)
    map_frame(page).locator("path.tdj-commune").first.wait_for(timeout=30000)
    expect(map_frame(page).locator("path.tdj-commune")).to_have_count(887)


def test_region_picker_lists_eighteen(page, base_url):
    open_page(page, f"{base_url}/region?reg=44")
    page.get_by_role("combobox", name="Région", exact=True).click()
    options = page.get_by_role("option").all_inner_texts()
    assert len(options) == 18 and any("Grand Est" in o for o in options)
    page.keyboard.press("Escape")


def test_france_by_commune_and_overseas_jump(page, base_url, app_store):
    with_polygon = store_rows(app_store, "SELECT count(*) FROM communes WHERE zone IN ('metro', 'drom') "
                                         "AND geom_fr IS NOT NULL")[0][0]
    open_page(page, f"{base_url}/?echelle=communes&label=Terre+de+Jeux+2024")
    frame = map_frame(page)
    assert drawn(frame, timeout=90000) == with_polygon
    assert with_polygon >= 34870  # 34,875 communes, 4 with no polygon in the source
    screenshot(page, "france-communes")
    frame.get_by_role("button", name="Guadeloupe").click()
    inner = page.locator("iframe[title='streamlit_folium.st_folium']").first.element_handle().content_frame()
    with contextlib.suppress(PlaywrightTimeout):  # the map flies there: wait for it to arrive, asserted below
        inner.wait_for_function("() => { var c = window.map.getCenter(); "
                                "return c.lat > 15.8 && c.lat < 16.6 && c.lng > -61.9 && c.lng < -60.9; }",
                                timeout=15000)
    center = frame.locator(".leaflet-container").evaluate(
        "el => { var c = window.map.getCenter(); return [c.lat, c.lng]; }")
    assert 15.8 < center[0] < 16.6 and -61.9 < center[1] < -60.9
    screenshot(page, "france-communes-guadeloupe")


def test_presentation_of_a_region_and_of_france(page, base_url):
    open_page(page, f"{base_url}/presentation?echelle=region&reg=32&label=Terre+de+Jeux+2024")
    page.locator("[data-testid='stSidebar']").wait_for(state="hidden", timeout=10000)
    assert drawn(map_frame(page)) == 3782
    expect(page.get_by_text("Hauts-de-France — Terre de Jeux 2024")).to_have_count(1)
    screenshot(page, "presentation-region")
    with page.expect_download(timeout=120000) as info:
        page.get_by_role("button", name="Image PNG pour diapositive").click()
    assert Path(info.value.path()).read_bytes().startswith(b"\x89PNG")
    with page.expect_download(timeout=120000) as info:
        page.get_by_role("button", name="Carte en HTML autonome").click()
    standalone = Path(info.value.path()).read_text(encoding="utf-8")
    assert "/app/static/" not in standalone and "data-communes" in standalone
    open_page(page, f"{base_url}/presentation?echelle=france&label=Terre+de+Jeux+2024")
    assert drawn(map_frame(page), timeout=90000) >= 34870
    expect(map_frame(page).get_by_role("button", name="La Réunion")).to_have_count(1)
    screenshot(page, "presentation-france")
