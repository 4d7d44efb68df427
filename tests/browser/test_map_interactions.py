"""Issue 13, maps: commune search regardless of accents and abbreviations, the commune found outlined and its
status said; the France map clicked again after Back; tooltips inside the map; metric scale bars; the CPJ map
over the outlines of its territory; the Présentation page at 1280×720, its exit, its PNG and HTML.

Data: the real Pas-de-Calais 2019 list, plus SYNTHETIC lists (see tests/scenarios.py, « walkthrough »)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import scenarios
from browsing import ARTIFACTS, map_frame, open_page, screenshot, settle
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LABEL = "label=Terre+de+Jeux+2024"


@pytest.fixture(scope="module")
def served(apps):
    return apps.get("walkthrough", scenarios.walkthrough)


@pytest.mark.parametrize("dep,typed,found", [
    ("62", "lievin", "Liévin (62510) : couverte par l'EPCI"),
    ("94", "creteil", "Créteil (94028) : "),
])
def test_commune_search_ignores_accents_and_abbreviations(page, base_url, dep, typed, found):
    """Point 9: what an officer types finds the commune; it is outlined on the map and its status said."""
    open_page(page, f"{base_url}/departement?dep={dep}&{LABEL}")
    settle(page)
    box = page.get_by_label("Rechercher une commune")
    box.fill(typed)
    box.press("Enter")
    settle(page)
    page.get_by_text(found).first.wait_for(timeout=15000)
    frame = map_frame(page)
    frame.locator("path.tdj-highlight").wait_for(timeout=30000)
    expect(frame.locator(".tdj-label-found")).to_have_count(1)
    expect(frame.locator(".tdj-label-found > span")).to_be_visible()  # never the name hidden by its neighbours
    expect(page.get_by_text("No results")).to_have_count(0)
    screenshot(page, f"walk-9-recherche-{typed.replace(' ', '-')}")


def test_france_map_click_works_again_after_back(page, base_url):
    """Point 9: the same département clicked after Back opens its page again."""
    open_page(page, f"{base_url}/?{LABEL}")
    for attempt in range(2):
        settle(page)
        frame = map_frame(page)
        frame.locator("path.tdj-dep-62").wait_for(timeout=30000)
        frame.locator("path.tdj-dep-62").dispatch_event("click")
        page.wait_for_function("() => location.pathname.endsWith('/departement') && "
                               "location.search.includes('dep=62')", timeout=30000)
        settle(page)
        map_frame(page).locator("path.tdj-commune").first.wait_for(timeout=30000)
        if attempt == 0:
            page.go_back()
            page.wait_for_function("() => !location.pathname.endsWith('/departement')", timeout=30000)
            page.get_by_role("heading", name="Couverture des territoires labellisés — France").wait_for()
    screenshot(page, "walk-9-clic-apres-retour")


def test_tooltip_stays_inside_the_map_and_scale_is_metric(page, base_url):
    """Point 9 and 11: the Pas-de-Calais tooltip is not cut by the map's edge; the scale has no miles."""
    open_page(page, f"{base_url}/?{LABEL}")
    settle(page)
    frame = map_frame(page)
    path = frame.locator("path.tdj-dep-62")
    path.wait_for(timeout=30000)
    # the highest point of the Pas-de-Calais, at the top of the map (coordinates inside the map's frame)
    point = frame.locator("body").evaluate("""() => {
        const r = document.querySelector('path.tdj-dep-62').getBoundingClientRect();
        for (let y = r.top + 1; y < r.bottom; y += 2) {
            for (let x = r.left; x < r.right; x += 2) {
                const e = document.elementFromPoint(x, y);
                if (e && e.classList.contains('tdj-dep-62')) { return [x, y]; }
            }
        }
        return null; }""")
    outer = page.locator("iframe[title='streamlit_folium.st_folium']").first.bounding_box()
    page.mouse.move(outer["x"] + point[0], outer["y"] + point[1] + 2)
    page.mouse.move(outer["x"] + point[0], outer["y"] + point[1] + 3)
    tip = frame.locator(".leaflet-tooltip").first
    tip.wait_for(timeout=10000)
    assert "Pas-de-Calais" in tip.inner_text()
    inner = tip.bounding_box()
    assert inner["y"] >= outer["y"] and inner["y"] + inner["height"] <= outer["y"] + outer["height"]
    assert inner["x"] >= outer["x"] and inner["x"] + inner["width"] <= outer["x"] + outer["width"]
    screenshot(page, "walk-9-infobulle")
    scales = frame.locator(".leaflet-control-scale-line").all_inner_texts()
    assert scales and all(t.strip().endswith(("km", "m")) and "mi" not in t and "ft" not in t for t in scales)


@pytest.mark.parametrize("query,outlines", [("dep=94", 1), ("region=11", 8), ("", 101)])
def test_centres_map_draws_its_territory(page, base_url, query, outlines):
    """Point 7: the CPJ map shows the outlines of the territory filtered, not sites on a blank background."""
    open_page(page, f"{base_url}/centres?{query}")
    settle(page)
    frame = map_frame(page)
    frame.locator("path.tdj-departement").first.wait_for(timeout=30000)
    expect(frame.locator("path.tdj-departement")).to_have_count(outlines)
    screenshot(page, f"walk-7-centres-{query or 'france'}")


@pytest.fixture
def small_page(browser):
    from browsing import Watch

    context = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    pg = context.new_page()
    pg.watch = Watch(pg)
    yield pg
    pg.watch.check()
    context.close()


def test_presentation_fits_1280x720_and_exits_to_its_departement(small_page, base_url):
    """Point 10: map, its south and its legend on screen at 1280×720; "Quitter" keeps the département."""
    page = small_page
    open_page(page, f"{base_url}/presentation?dep=94&{LABEL}")
    settle(page)
    frame = map_frame(page)
    frame.locator(".tdj-legend").wait_for(timeout=30000)
    legend = frame.locator(".tdj-legend").bounding_box()
    iframe = page.locator("iframe[title='streamlit_folium.st_folium']").first.bounding_box()
    assert legend["y"] + legend["height"] <= 720, legend
    assert iframe["y"] + iframe["height"] <= 720, iframe
    for value in page.locator("[data-testid='stMetricValue']").all():
        assert value.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), value.inner_text()
    page.screenshot(path=str(ARTIFACTS / "walk-10-presentation-1280.png"))
    page.get_by_role("link", name="Quitter la présentation").click()
    page.wait_for_function("() => location.pathname.endsWith('/departement')", timeout=30000)
    settle(page)
    assert "dep=94" in page.url
    page.get_by_role("heading", name="Val-de-Marne (94)").wait_for()


def test_presentation_png_and_html(page, base_url):
    """Point 10: the PNG for a slide and the map as a standalone HTML file with a title, a date and its sources
    (one PNG size for every département: tests/labels/test_first_minutes.py)."""
    open_page(page, f"{base_url}/presentation?dep=62&{LABEL}")
    settle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Image PNG pour diapositive").click()
    assert "62" in info.value.suggested_filename and info.value.suggested_filename.endswith(".png")
    image = Image.open(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert image.size == (2000, 1125)
    image.save(ARTIFACTS / "walk-10-png-62.png")
    with page.expect_download() as info:
        page.get_by_role("button", name="Carte en HTML autonome").click()
    name = info.value.suggested_filename
    assert name.startswith("carte-62-pas-de-calais-") and name.endswith(".html")
    html = Path(info.value.path()).read_text(encoding="utf-8")
    assert "<title>Pas-de-Calais — Terre de Jeux 2024</title>" in html
    assert "Sources : INSEE" in html and "labellisations du 20 novembre 2019" in html


def test_place_names_do_not_overlap(page, base_url):
    """Point 9: names of large communes and of EPT never written over one another (Maisons-Alfort and
    Alfortville; « Paris Est Marne & Bois » and Champigny-sur-Marne), whatever fonts the machine has and
    whenever its stylesheet and fonts arrive: the names are placed again when their drawn size changes."""
    open_page(page, f"{base_url}/departement?dep=94&{LABEL}")
    settle(page)
    frame = map_frame(page)
    frame.locator(".tdj-label > span").first.wait_for(timeout=30000)
    inner = page.locator("iframe[title='streamlit_folium.st_folium']").first.element_handle().content_frame()
    try:  # the state to reach: names placed, at least 8 shown, no two shown names crossing
        # (after the fonts and the map's stylesheet have arrived: placed before them, names would cross after)
        inner.wait_for_function("() => { const b = (" + VISIBLE_NAMES + ")(); return b.length >= 8 && "
                                "document.fonts.status === 'loaded' && getComputedStyle("
                                "document.querySelector('.tdj-label > span')).position === 'absolute' && "
                                "document.querySelector('.leaflet-container[data-tdj-placed]') !== null && "
                                "!b.some((a, i) => b.slice(i + 1).some(c => a[0] < c[2] && a[2] > c[0] && "
                                "a[1] < c[3] && a[3] > c[1])); }", timeout=15000)
    except PlaywrightTimeout:
        pass  # said below, with the names that cross
    boxes = inner.evaluate(VISIBLE_NAMES)
    assert len(boxes) >= 8
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]), (a[4], b[4])
    screenshot(page, "walk-9-noms-sans-chevauchement")


VISIBLE_NAMES = """() => Array.from(document.querySelectorAll('.tdj-label'))
    .filter(e => getComputedStyle(e).visibility !== 'hidden')
    .map(e => { const range = document.createRange(); range.selectNodeContents(e);
                const r = range.getBoundingClientRect();
                return [r.left, r.top, r.right, r.bottom, e.textContent]; })"""
