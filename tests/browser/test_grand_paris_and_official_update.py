"""In headless Chromium: the Val-de-Marne as it really is (its 3 EPT outlined and named, the département
labelled with its date, what is loaded said), the Pas-de-Calais labelled since 2019-11-21, the France key
figures not cut off, and the official update from the Importer page against a local portal of SYNTHETIC
exports (tests/portal.py), then offline. Data: the real lists shipped in data/labels, as `make setup` seeds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browsing import free_port, map_frame, open_page, screenshot, seeded, settle
from playwright.sync_api import expect

from geo import imports
from geo.store import release

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EPT_94 = ["#ParisEstMarne&Bois (T10, PEMB)", "Grand Paris Sud Est Avenir (T11, GPSEA)",
          "Grand-Orly Seine Bièvre (T12, GOSB)"]


@pytest.fixture(scope="module")
def served(apps, portal):
    return apps.get("seed", seeded, {"TDJ_PORTAIL": f"{portal[0]}/v1", "TDJ_ADRESSES_AUTORISEES": "127.0.0.1"})


def imports_count(store: Path) -> int:
    """Read by this process, then let go: the app's process must be able to write to the store."""
    try:
        return len(imports.list_imports(store))
    finally:
        release(store)


def main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


@pytest.mark.parametrize("size", [(1440, 900), (1280, 720)])
def test_val_de_marne_draws_its_three_ept_with_names(page, base_url, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_page(page, f"{base_url}/departement?dep=94")
    frame = map_frame(page)
    frame.locator("path.tdj-ept").first.wait_for(timeout=30000)
    expect(frame.locator("path.tdj-ept")).to_have_count(3)
    assert sorted(frame.locator(".tdj-ept-label").all_inner_texts()) == sorted(EPT_94)
    expect(frame.locator("path.tdj-epci")).to_have_count(0)  # the Métropole du Grand Paris is not outlined
    expect(frame.locator("path.tdj-commune")).to_have_count(47)
    page.get_by_text("Sources et listes chargées").click()  # what is loaded, folded under the title's line
    text = main_text(page)
    assert "Le département est labellisé « Terre de Jeux 2024 » depuis janvier 2020" in text
    assert "76 départements labellisés jusqu'au 09/03/2020, d'après la presse ; liste nationale non chargée" in text
    assert "Listes de sites (CPJ…) : aucune chargée" in text
    assert "Mettre à jour depuis les listes officielles" in text  # what to do next, instead of zeros
    page.locator("iframe[title='streamlit_folium.st_folium']").first.scroll_into_view_if_needed()
    screenshot(page, f"grand-paris-94-{size[0]}")


def test_pas_de_calais_labelled_since_the_first_wave(page, base_url):
    open_page(page, f"{base_url}/departement?dep=62")
    map_frame(page)
    page.get_by_text("Sources et listes chargées").click()
    text = main_text(page)
    assert "Le département est labellisé « Terre de Jeux 2024 » depuis le 21/11/2019" in text
    assert "11 communes et EPCI du Pas-de-Calais" in text
    assert "Département / région labellisés" in text and "oui / non" in text
    screenshot(page, "grand-paris-62")


@pytest.mark.parametrize("size", [(1440, 900), (1280, 720)])
def test_france_key_figures_are_not_cut_off(page, base_url, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_page(page, f"{base_url}/")
    map_frame(page)
    metric_labels = page.locator("[data-testid='stMetricLabel']")
    expect(metric_labels).to_have_count(5 + 4)  # the five key figures, then the four of the month chosen (over time)
    for i in range(metric_labels.count()):
        clipped = metric_labels.nth(i).evaluate(
            "e => [e, ...e.querySelectorAll('*')].some(x => x.scrollWidth > x.clientWidth + 1)")
        assert not clipped, metric_labels.nth(i).inner_text()
    assert "Départements labellisés" in main_text(page) and "76" in main_text(page)
    screenshot(page, f"grand-paris-france-{size[0]}")


def test_official_update_from_the_importer_page_then_offline(app_store, page, base_url, portal):
    url, requests = portal
    asked_before = len(requests)  # the portal serves the whole run: only this test's requests count
    before = imports_count(app_store)
    open_page(page, f"{base_url}/importer")
    portal_field = page.get_by_role("textbox", name="Adresse du portail (Opendatasoft)")
    expect(portal_field).to_have_value(f"{url}/v1", timeout=30000)
    button = page.get_by_role("button", name="Mettre à jour depuis les listes officielles")
    expect(button).to_be_enabled(timeout=30000)
    settle(page)  # the page's first run has finished: the click is not lost in a rerun
    button.click()
    page.get_by_text("Territoires labellisés Terre de Jeux 2024 : import n°").wait_for(timeout=60000)
    page.get_by_text("Centres de préparation aux Jeux : import n°").wait_for(timeout=30000)
    assert any("/exports/csv" in r for r in requests[asked_before:])
    assert imports_count(app_store) == before + 2
    screenshot(page, "grand-paris-importer-maj")
    open_page(page, f"{base_url}/departement?dep=94")
    frame = map_frame(page)
    # the Champigny rowing base has no coordinates: drawn hollow at its commune
    frame.locator("path.tdj-site-commune, .marker-cluster").first.wait_for(timeout=30000)
    assert "liste nationale officielle" in main_text(page)

    open_page(page, f"{base_url}/importer")
    portal_field = page.get_by_role("textbox", name="Adresse du portail (Opendatasoft)")
    expect(portal_field).to_be_editable(timeout=30000)
    portal_field.fill(f"http://127.0.0.1:{free_port()}")
    portal_field.press("Enter")
    settle(page)
    page.get_by_role("button", name="Mettre à jour depuis les listes officielles").click()
    page.get_by_text("Impossible de joindre").wait_for(timeout=60000)
    assert "Rien n'a été modifié" in main_text(page)
    assert imports_count(app_store) == before + 2
    screenshot(page, "grand-paris-importer-hors-ligne")


def test_import_from_an_address_asks_for_source_and_coverage(page, base_url, portal):
    url, _ = portal
    open_page(page, f"{base_url}/importer")
    page.get_by_role("combobox", name="Label", exact=True).click()  # no default label (issue 13)
    page.get_by_role("option", name="Terre de Jeux 2024", exact=True).click()
    settle(page)
    page.get_by_text("Importer depuis une adresse (CSV, JSON, GeoJSON)").click()
    field = page.get_by_role("textbox", name="Adresse du fichier")
    expect(field).to_be_editable(timeout=30000)
    address = f"{url}/v2/paris-2024-territoires-labellises-terre-de-jeux.json"
    field.fill(address)
    field.press("Enter")
    settle(page)
    page.get_by_role("button", name="Télécharger et résoudre").click()
    page.get_by_text("Rapport de résolution — paris-2024-territoires-labellises-terre-de-jeux.json").wait_for(
        timeout=60000)
    source = page.get_by_role("textbox", name="Source de la liste (adresse, article, service…)")
    expect(source).to_have_value(address, timeout=30000)
    expect(page.get_by_role("textbox", name="Ce que couvre la liste")).to_have_value(
        re.compile(r"liste téléchargée le \d{4}-\d{2}-\d{2} depuis 127\.0\.0\.1:\d+"), timeout=30000)
    screenshot(page, "grand-paris-importer-adresse")
