"""Issue 13, importing: a workbook with a title row above its header (header found, first rows shown,
"Ligne N" = the spreadsheet's row), the list's own date kept apart from the import date, what the import
changes in coverage, a withdrawal confirmed by name, said, and undone.

Data: the real Pas-de-Calais 2019 list, plus SYNTHETIC lists (see tests/scenarios.py, « walkthrough »)."""

from __future__ import annotations

import re

import openpyxl
import pytest
import scenarios
from browsing import open_page, screenshot, settle, until
from playwright.sync_api import expect

from geo.store import reader

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def served(apps):
    return apps.get("walkthrough", scenarios.walkthrough)


@pytest.fixture
def workbook(tmp_path):
    """A list as officers receive it: a title, a blank row, then the header on row 3."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Communes labellisées Terre de Jeux — liste de test"])
    sheet.append([])
    sheet.append(["Commune", "Département"])
    sheet.append(["Arras", "62"])
    sheet.append(["Berck", "62"])
    sheet.append(["Arques", ""])       # three homonyms: to review, on spreadsheet row 6
    path = tmp_path / "liste-avec-titre.xlsx"
    book.save(path)
    return path


def active(store) -> dict[str, bool]:
    return dict(reader(store).execute("SELECT fichier, retire_le IS NULL FROM imports").fetchall())


def test_workbook_with_title_row_then_withdraw_and_restore(app_store, page, base_url, workbook):
    open_page(page, f"{base_url}/importer")
    settle(page)
    page.locator("input[type='file']").set_input_files(str(workbook))
    settle(page)
    # point 8: first rows shown with their spreadsheet numbers, header found on row 3
    page.get_by_text("Premières lignes de la feuille").wait_for()
    assert page.get_by_role("combobox", name="Ligne des en-têtes (titres des colonnes)").input_value() == "3"
    assert page.get_by_role("combobox", name="nom", exact=True).input_value() == "Commune"
    box = page.get_by_role("combobox", name="Label", exact=True)
    box.click()
    page.get_by_role("option", name="Terre de Jeux 2024", exact=True).click()
    settle(page)
    page.get_by_role("textbox", name="Date de la liste (jj/mm/aaaa, si connue)").fill("15/03/2020")
    page.get_by_role("textbox", name="Date de la liste (jj/mm/aaaa, si connue)").press("Enter")
    settle(page)
    page.get_by_role("button", name="Résoudre la liste").click()
    page.get_by_text("Rapport de résolution").wait_for(timeout=30000)
    settle(page)
    review = page.locator("[data-testid='stForm']")  # the rows to review, numbered as in the spreadsheet
    review.get_by_text("Arques", exact=True).wait_for(timeout=10000)
    review.get_by_text("6", exact=True).wait_for(timeout=10000)
    screenshot(page, "walk-8-xlsx-titre")
    review.locator("[data-testid='stCheckbox'] label").first.click()
    page.get_by_role("button", name="Valider ces choix").click()
    page.get_by_text("1 ligne(s) réglée(s).").wait_for(timeout=30000)
    settle(page)
    page.get_by_role("button", name="Enregistrer l'import").click()
    page.get_by_text("enregistré").first.wait_for(timeout=30000)
    settle(page)
    # point 5: what the import changes in coverage, the file comparison under its own name
    page.get_by_text("2 commune(s) couverte(s) grâce à cet import").wait_for()
    screenshot(page, "walk-5-effet-couverture")
    assert active(app_store)["liste-avec-titre.xlsx"]

    # point 4: the withdrawal names the import and its rows, says what was done, can be undone
    page.get_by_role("combobox", name="Import", exact=True).click()
    page.get_by_role("option", name="liste-avec-titre.xlsx").first.click()
    settle(page)
    page.get_by_role("button", name="Retirer cet import…").click()
    settle(page)
    page.get_by_text("« liste-avec-titre.xlsx » (Terre de Jeux 2024, 3 lignes)").first.wait_for()
    page.get_by_text("2 commune(s) ne seraient plus couvertes").wait_for()
    assert active(app_store)["liste-avec-titre.xlsx"]  # nothing withdrawn before the confirmation
    screenshot(page, "walk-4-confirmation")
    confirm = page.get_by_role("button", name="Confirmer le retrait")
    confirm.click()
    page.get_by_text("retiré : ses lignes ne comptent plus").wait_for(timeout=30000)
    settle(page)
    expect(page.get_by_role("button", name="Confirmer le retrait")).to_have_count(0)  # a second click withdraws nothing
    state = active(app_store)
    assert not state["liste-avec-titre.xlsx"] and sum(not v for v in state.values()) == 1
    headers = page.locator("[data-testid='stDataFrame']").last.evaluate(
        "e => Array.from(e.querySelectorAll('[role=columnheader]')).map(h => h.textContent.trim())")
    assert headers[:2] == ["N°", "État"]  # the state first, visible at any width
    screenshot(page, "walk-4-retire")
    page.get_by_role("button", name="Annuler ce retrait (restaurer l'import)").click()
    page.get_by_text("restauré").wait_for(timeout=30000)
    assert active(app_store)["liste-avec-titre.xlsx"]
    # point 6: the date given at import is the one pages show for this list
    open_page(page, f"{base_url}/?label=Terre+de+Jeux+2024")
    settle(page)
    page.get_by_text("Sources et listes chargées").click()  # the list's dates in full, folded under the title
    page.get_by_text("liste du 15 mars 2020 (liste-avec-titre.xlsx, importée le").wait_for()


def test_list_dates_shown_apart_from_import_date(page, base_url):
    """Point 6: the caption gives the list's own date in French, and the import date apart."""
    open_page(page, f"{base_url}/?label=Terre+de+Jeux+2024")
    settle(page)
    # one line under the title says the lists' dates in words; the full text is folded under it
    line = page.locator("[data-testid='stCaptionContainer']").first.inner_text()
    assert "listes du 20 novembre 2019 au 9 mars 2020" in line
    page.get_by_text("Sources et listes chargées").click()
    caption = page.get_by_text("labellisations du 20 novembre 2019").first
    caption.wait_for()
    text = caption.inner_text()
    assert "terre-de-jeux-pas-de-calais-2019-11.csv, importée le" in text
    assert "magasin du" not in text and "Géographie COG 2025, magasin construit le" in text


def _suivi(path, calais: str) -> None:
    """A prefecture's follow-up workbook (SYNTHETIC dates), saved under the same name at each version."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Commune", "Département", "Date de labellisation"])
    sheet.append(["Calais", "62", calais])
    sheet.append(["Liévain", "62", "20 novembre 2019"])   # « Liévin », approximate: confirmed before saving
    book.save(path)


def _import(page, base_url, path) -> None:
    open_page(page, f"{base_url}/importer")
    settle(page)
    page.locator("input[type='file']").set_input_files(str(path))
    settle(page)
    page.get_by_role("combobox", name="Label", exact=True).click()
    page.get_by_role("option", name="Terre de Jeux 2024", exact=True).click()
    settle(page)
    page.get_by_role("button", name="Résoudre la liste").click()
    page.get_by_text("Rapport de résolution").wait_for(timeout=30000)
    settle(page)


def test_a_corrected_workbook_replaces_the_old_one(app_store, page, base_url, tmp_path):
    """Issue 20, point 1 (and 5): v1 then v2 of the same workbook; v2 is proposed as the new version of v1, the
    changed date is said before saving, and the page and the CSV show the new date without any withdrawal. The
    approximate match is confirmed before anything is saved."""
    path = tmp_path / "suivi-prefecture.xlsx"
    _suivi(path, "20/11/2019")
    _import(page, base_url, path)
    page.get_by_text("Rapprochements à confirmer : 1 ligne").wait_for()
    screenshot(page, "import-rapprochements")
    expect(page.get_by_role("button", name="Enregistrer l'import")).to_be_disabled()  # nothing saved unseen
    page.get_by_role("button", name="Tout confirmer (1)").click()
    settle(page)
    page.get_by_role("button", name="Enregistrer l'import").click()
    saved = page.get_by_text(re.compile(r"Import n° \d+ enregistré"))
    saved.wait_for(timeout=30000)
    first = int(re.search(r"\d+", saved.inner_text()).group())

    _suivi(path, "13 janvier 2020")
    _import(page, base_url, path)
    choice = page.get_by_text(f"une nouvelle version de l'import n° {first} « suivi-prefecture.xlsx »")
    choice.wait_for(timeout=30000)
    choice.scroll_into_view_if_needed()
    page.screenshot(path="test-artifacts/import-version-proposee.png")
    expect(page.get_by_role("radio", name=re.compile(f"nouvelle version de l'import n° {first} "))).to_be_checked()
    page.get_by_text("0 ajout, 0 retrait, 1 date changée").wait_for()
    page.get_by_role("button", name="Tout confirmer (1)").click()
    settle(page)
    page.get_by_role("button", name="Enregistrer l'import").click()
    page.get_by_text(f"nouvelle version de l'import n° {first}").first.wait_for(timeout=30000)
    until(lambda: reader(app_store).execute("SELECT retire_le IS NOT NULL FROM imports WHERE id = ?", [first]
                                            ).fetchone(), lambda row: row == (True,), f"import n° {first} retiré")
    screenshot(page, "import-nouvelle-version")
    open_page(page, f"{base_url}/listes?label=Terre+de+Jeux+2024&deps=62")
    settle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Exporter (CSV)").first.click()
    text = info.value.path().read_text(encoding="utf-8-sig")
    calais = next(line for line in text.splitlines() if ";62193;" in line)
    assert "13/01/2020" in calais and "20/11/2019" not in calais
