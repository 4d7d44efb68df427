"""Issue 19 in the browser: « Liste de sites » stays ticked while a new label is named, ticking it after the
upload detects the columns again (the facility's name, its commune, its code), and the CPJ page, the France page
and the Présentation give the same number of sites for a territory (the PNG takes the Présentation's figures).

Data: the « walkthrough » scenario (SYNTHETIC CPJ, tests/scenarios.py)."""

from __future__ import annotations

import pytest
import scenarios
from browsing import open_page, screenshot, settle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SITES_CSV = ("Nom du site;Commune;Code INSEE;Latitude;Longitude;Label\n"
             "Maison sport-santé (synthétique);Calais;62193;50,951;1,858;Espace labellisé 01/02/2020\n"
             "Stade couvert (synthétique);Liévin;62510;50,42;2,78;Espace labellisé le 3 mars 2021\n")


@pytest.fixture(scope="module")
def served(apps):
    return apps.get("walkthrough", scenarios.walkthrough)


def metric(page, name: str) -> str:
    """The value of the key figure called `name` on the page."""
    box = page.locator("[data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=name)).first
    return box.locator("[data-testid='stMetricValue']").inner_text().strip()


def test_sites_box_stays_ticked_and_the_columns_follow_it(page, base_url, tmp_path):
    path = tmp_path / "maisons-sport-sante.csv"
    path.write_text(SITES_CSV, encoding="utf-8")
    open_page(page, f"{base_url}/importer")
    settle(page)
    page.locator("input[type='file']").set_input_files(str(path))
    settle(page)
    page.get_by_role("combobox", name="Label", exact=True).click()
    page.get_by_role("option", name="Nouveau label…").click()
    settle(page)
    box = page.get_by_role("checkbox", name="Liste de sites (points, ex. CPJ)")
    assert not box.is_checked()
    page.locator("[data-testid='stCheckbox'] label", has_text="Liste de sites").click()  # the label takes the click
    settle(page)
    assert box.is_checked()
    name = page.get_by_role("textbox", name="Nom du nouveau label")
    name.fill("Maisons sport-santé (synthétique)")
    name.press("Enter")
    settle(page)
    assert box.is_checked(), "naming the label unticked « Liste de sites »"
    # the columns were detected again for a list of sites: the facility's name, its commune, its code, its date
    assert page.get_by_role("combobox", name="nom du site").input_value() == "Nom du site"
    assert page.get_by_role("combobox", name="commune (ville)").input_value() == "Commune"
    assert page.get_by_role("combobox", name="code officiel (INSEE ou SIREN)").input_value() == "Code INSEE"
    assert page.get_by_role("combobox", name="date de labellisation").input_value() == "Label"
    screenshot(page, "sites-importer-colonnes")


def test_one_count_of_sites_on_every_page(page, base_url):
    open_page(page, f"{base_url}/centres?dep=62")
    settle(page)
    on_centres = metric(page, "Sites")
    open_page(page, f"{base_url}/presentation?echelle=departement&dep=62")
    settle(page)
    on_presentation = metric(page, "Centres de préparation")
    assert on_centres == on_presentation != "0"
    open_page(page, f"{base_url}/centres")
    settle(page)
    whole = metric(page, "Sites")
    open_page(page, f"{base_url}/")
    settle(page)
    assert metric(page, "CPJ") == whole
