"""Issue 13, the officer's first minutes: the right label by default and kept from page to page, controls that
take on every click, the Listes date filter, French messages for bad links (label, département, date, page).

Data: the real Pas-de-Calais 2019 list, plus SYNTHETIC lists (see tests/scenarios.py, « walkthrough »)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
import scenarios
from browsing import open_page, screenshot, settle
from playwright.sync_api import expect

from geo.build import synth

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TDJ = "Terre de Jeux 2024"


@pytest.fixture(scope="module")
def served(apps):
    return apps.get("walkthrough", scenarios.walkthrough)


def params(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


def sidebar(page):
    return page.locator("[data-testid='stSidebar']")


def label_shown(page) -> str:
    return sidebar(page).get_by_role("combobox", name="Label").input_value()


def test_default_label_is_territorial_and_sticks_across_pages(page, base_url):
    """Point 1: two CPJ imports do not make the sites label the default; the choice follows the links."""
    open_page(page, f"{base_url}/")
    settle(page)
    assert params(page)["label"] == TDJ
    assert label_shown(page) == TDJ
    assert page.locator("[data-testid='stMetricValue']").first.inner_text().strip() != "0"
    screenshot(page, "walk-1-label-par-defaut")
    # choose the synthetic list, then follow a sidebar link: the choice goes with it
    select_option(page, sidebar(page), "Label", synth.TDJ_LABEL)
    page.wait_for_function(f"() => decodeURIComponent(location.search.replace(/\\+/g, ' ')).includes("
                           f"{synth.TDJ_LABEL!r})")
    settle(page)
    link = sidebar(page).get_by_role("link", name="Département")
    assert "label=Terre+de+Jeux+2024+%28synth" in link.get_attribute("href")
    link.click()
    page.wait_for_function("() => location.pathname.endsWith('/departement')")
    settle(page)
    assert params(page)["label"] == synth.TDJ_LABEL
    assert synth.TDJ_LABEL in label_shown(page)
    screenshot(page, "walk-1-label-garde")


def select_option(page, where, label: str, option: str) -> None:
    """Open a selectbox by its label and click one option."""
    box = where.get_by_test_id("stSelectbox").filter(has_text=label).first
    box.locator("input").first.click()
    page.keyboard.type(option[:6])  # the list is virtual: filter it so that the option is drawn
    page.get_by_role("option", name=option, exact=True).click()


def test_importer_has_no_default_label(page, base_url):
    open_page(page, f"{base_url}/importer")
    settle(page)
    box = page.get_by_role("combobox", name="Label")
    assert box.input_value() == "" and box.get_attribute("placeholder") == "Choisissez le label…"
    assert not page.get_by_role("checkbox", name="Liste de sites (points, ex. CPJ)").is_checked()


def test_each_control_takes_every_click(page, base_url):
    """Point 2: each URL-backed control toggled four times; every click takes, the URL follows."""
    # the online base map is chosen on purpose here: its tiles are refused, and not counted as leaks below
    page.route(re.compile(r"https://tile\.openstreetmap\.org/.*"), lambda route: route.abort())
    open_page(page, f"{base_url}/?label=Terre+de+Jeux+2024")
    settle(page)
    for i in range(4):
        option = ["% de la population couverte", "% des communes couvertes"][i % 2]
        value = ["pct_population_couverte", None][i % 2]
        sidebar(page).get_by_text(option).click()
        settle(page)
        assert params(page).get("mesure") == value, (i, page.url)
        # two radio groups on the page: the scale (départements, the default) and the measure
        checked = sidebar(page).locator("input[type='radio']:checked").evaluate_all(
            "es => es.map(e => e.closest('label').innerText)")
        assert any(option in c for c in checked) and len(checked) == 2, (i, checked)
    for i in range(4):
        option = ["OpenStreetMap (en ligne)", "aucun"][i % 2]
        select_option(page, sidebar(page), "Fond de carte", option)
        settle(page)
        assert params(page).get("fond") == (None if option == "aucun" else option), (i, page.url)
    # the tiles asked for (and refused) while the online base map was chosen are not leaks
    page.watch.external = [u for u in page.watch.external if not u.startswith("https://tile.openstreetmap.org/")]

    open_page(page, f"{base_url}/departement?dep=94&label=Terre+de+Jeux+2024")
    settle(page)
    for name, param in (("Contours des EPCI", "epci"), ("Centres de préparation", "cpj")):
        toggle = sidebar(page).get_by_label(name)
        for i in range(4):
            before = toggle.is_checked()
            toggle.click(force=True)
            settle(page)
            assert toggle.is_checked() == (not before), (name, i)
            assert params(page).get(param) == (None if not before else "0"), (name, i, page.url)
    screenshot(page, "walk-2-departement-apres-bascules")

    open_page(page, f"{base_url}/listes?label=Terre+de+Jeux+2024")
    settle(page)
    deps = sidebar(page).get_by_test_id("stMultiSelect").filter(has_text="Départements").first
    for i in range(4):
        if i % 2 == 0:
            deps.locator("input").click()
            page.keyboard.type("Pas-de")
            page.get_by_role("option", name="62 — Pas-de-Calais").click()
            page.keyboard.press("Escape")
            settle(page)
            assert params(page).get("deps") == "62", (i, page.url)
        else:
            deps.get_by_role("button", name=re.compile("Remove|Supprimer|Clear", re.I)).first.click()
            settle(page)
            assert "deps" not in params(page), (i, page.url)
    levels = sidebar(page).get_by_test_id("stMultiSelect").filter(has_text="Niveaux").first
    for i in range(4):
        if i % 2 == 0:
            levels.locator("input").click()
            page.get_by_role("option", name="EPCI", exact=True).click()
            page.keyboard.press("Escape")
            settle(page)
            assert params(page).get("niveaux") == "epci", (i, page.url)
            page.get_by_text("2 ligne(s)").wait_for()
        else:
            levels.get_by_role("button", name=re.compile("Remove|Supprimer|Clear", re.I)).first.click()
            settle(page)
            assert "niveaux" not in params(page), (i, page.url)
    for i in range(4):
        box = sidebar(page).get_by_test_id("stRadio").filter(has_text="Séparateur CSV")
        option = [", (virgule)", "; (Excel français)"][i % 2]
        box.get_by_text(option).click()
        settle(page)
        assert params(page).get("sep") == (["virgule", None][i % 2]), (i, page.url)

    open_page(page, f"{base_url}/centres")
    settle(page)
    for i in range(4):
        option = ["paralympiques", "tous"][i % 2]
        sidebar(page).get_by_test_id("stRadio").filter(has_text="Centres").get_by_text(option, exact=True).click()
        settle(page)
        assert params(page).get("type") == (None if option == "tous" else option), (i, page.url)
        # the five test sites are imported twice (two imports of the label): each facility counts once
        assert page.locator("[data-testid='stMetricValue']").first.inner_text().strip() == ("3" if i % 2 == 0
                                                                                             else "5")
    disciplines = sidebar(page).get_by_test_id("stMultiSelect").filter(has_text="Disciplines").first
    for i in range(4):
        if i % 2 == 0:
            disciplines.locator("input").click()
            page.keyboard.type("judo")
            page.get_by_role("option", name="judo", exact=True).click()
            page.keyboard.press("Escape")
            settle(page)
            assert params(page).get("disciplines") == "judo", (i, page.url)
        else:
            disciplines.get_by_role("button", name=re.compile("Remove|Supprimer|Clear", re.I)).first.click()
            settle(page)
            assert "disciplines" not in params(page), (i, page.url)
    for i in range(4):
        option = ["Île-de-France", "Toutes"][i % 2]
        select_option(page, sidebar(page), "Région", option)
        settle(page)
        assert params(page).get("region") == ("11" if i % 2 == 0 else None), (i, page.url)
    for i in range(4):
        option = ["94 — Val-de-Marne", "Tous"][i % 2]
        select_option(page, sidebar(page), "Département", option)
        settle(page)
        assert params(page).get("dep") == ("94" if i % 2 == 0 else None), (i, page.url)


def test_listes_date_filter(page, base_url):
    """Point 3: one date means "from that date"; a bad date in a link is said, never a traceback."""
    open_page(page, f"{base_url}/listes?label=Terre+de+Jeux+2024&deps=62")
    settle(page)
    page.get_by_text("12 ligne(s)", exact=True).wait_for()  # 11 of the 2019 list + the département
    box = sidebar(page).get_by_label("Du")
    box.fill("21/11/2019")
    box.press("Enter")
    settle(page)
    assert params(page).get("du") == "2019-11-21"
    page.get_by_text("1 ligne(s)", exact=True).wait_for()  # the département, labelled on 21/11/2019
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    box.fill("20/11/2019")
    box.press("Enter")
    settle(page)
    page.get_by_text("12 ligne(s)", exact=True).wait_for()  # 11 of the 2019 list + the département
    screenshot(page, "walk-3-date-du")
    open_page(page, f"{base_url}/listes?label=Terre+de+Jeux+2024&du=2019-31-12")
    settle(page)
    page.get_by_text("Date « 2019-31-12 » invalide dans le lien").wait_for()
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    assert "du" not in params(page)
    screenshot(page, "walk-3-date-invalide")


def test_unknown_page_is_said_in_french(page, base_url):
    open_page(page, f"{base_url}/departemnt?dep=62")
    settle(page)
    page.get_by_text("Page « departemnt » introuvable").wait_for()
    assert not page.get_by_text("Page not found").is_visible()
    screenshot(page, "walk-12-page-inconnue")
