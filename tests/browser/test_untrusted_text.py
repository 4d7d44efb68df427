"""Issue 12.1: untrusted text (label names, file names, sheet names, site names, URL parameters) is shown as
text on every page: no markdown image fetched, no live link, no LaTeX, no request off localhost.

Data: SYNTHETIC lists whose names are injection payloads, over the real geography."""

from __future__ import annotations

from urllib.parse import quote

import pytest
import scenarios
from browsing import Watch, open_page, screenshot, settle
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

IMAGE, LINK, LABEL = scenarios.IMAGE, scenarios.LINK, scenarios.INJECTION_LABEL
SITES_LABEL, FILE = scenarios.INJECTION_SITES_LABEL, scenarios.INJECTION_FILE


@pytest.fixture(scope="module")
def base_url(apps):
    return apps.get("injection", scenarios.injection).url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = context.new_page()
    pg.watch = Watch(pg)
    yield pg
    pg.watch.check()
    context.close()


def assert_inert(page) -> None:
    """Nothing the payloads asked for was rendered: no link or image to evil.example, no LaTeX, no colour."""
    settle(page)
    maps = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    for i in range(page.locator("iframe[title='streamlit_folium.st_folium']").count()):
        maps.nth(i).locator(".leaflet-container").wait_for(timeout=30000)  # the map is drawn: its HTML is read
    for frame in page.frames:
        html = frame.content()
        assert 'href="http://evil.example' not in html, frame.url
        assert 'src="http://evil.example' not in html, frame.url
        assert "katex" not in html.lower(), frame.url
    # links of the app itself carry the label in their query string: only a link to the host counts
    expect(page.locator("a[href^='http://evil'], a[href^='//evil'], img[src*='//evil']")).to_have_count(0)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)


PAGES = ["", "departement?dep=62", "departement?dep=94", "listes", "centres", "importer", "presentation?dep=62",
         "noms-retenus", "listes?dep=62"]


@pytest.mark.parametrize("path", PAGES)
def test_names_from_files_stay_text(page, base_url, path):
    sep = "&" if "?" in path else "?"
    open_page(page, f"{base_url}/{path}{sep}label={quote(LABEL)}")
    assert_inert(page)
    screenshot(page, f"injection-{path.split('?')[0] or 'france'}")


def test_sites_label_stays_text(page, base_url):
    open_page(page, f"{base_url}/centres?label={quote(SITES_LABEL)}")
    assert_inert(page)
    assert page.get_by_text("evil.example", exact=False).count() >= 1  # shown, as text


@pytest.mark.parametrize("path", [f"departement?dep={quote(LINK)}", f"?label={quote(LINK)}",
                                  f"listes?dep={quote(IMAGE)}", f"presentation?dep={quote(LINK)}",
                                  f"centres?region={quote(IMAGE)}&departement={quote(LINK)}",
                                  f"departement?dep=62&date={quote(LINK)}", f"listes?niveau={quote('$x^2$')}"])
def test_url_parameters_are_not_echoed_as_markdown(page, base_url, path):
    page.goto(f"{base_url}/{path}")
    page.wait_for_selector("[data-testid='stApp']", timeout=30000)
    assert_inert(page)


def test_workbook_with_hostile_sheet_names_and_file_name(page, base_url, tmp_path):
    """Sheet names, column headers and the file name reach the report and the sheet menu: as text."""
    import openpyxl

    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes $x^2$"
    notes.append(["lisez-moi"])
    sheet = book.create_sheet("Liste _ital_ &lt; ~barré~")
    sheet.append(["nom", f"département {IMAGE}"])
    for name in ("Arras", "Calais", "Lens"):
        sheet.append([name, "62"])
    path = tmp_path / "classeur [lien](http:__evil.example_x).xlsx"
    book.save(path)
    open_page(page, f"{base_url}/importer")
    settle(page)
    page.locator("input[type='file']").set_input_files(str(path))
    settle(page)
    menu = page.get_by_role("combobox", name="Feuille du classeur (2 feuilles)")
    assert menu.input_value() == "Liste _ital_ &lt; ~barré~"
    page.get_by_role("combobox", name="Label", exact=True).click()
    page.get_by_role("option", name=LABEL, exact=True).click()
    settle(page)
    page.get_by_role("button", name="Résoudre la liste").click()
    page.get_by_text("Rapport de résolution").wait_for(timeout=60000)
    assert_inert(page)
    report = page.locator("[data-testid='stMain']").inner_text()
    assert "Notes $x^2$" in report and "Liste _ital_ &lt; ~barré~" in report  # the sheet names, shown as typed
    screenshot(page, "injection-classeur")
