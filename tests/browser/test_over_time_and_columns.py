"""Coverage over time, any column of a list on the map, the meeting deck, in headless Chromium.

Data: the real lists shipped in data/labels (Pas-de-Calais 2019: nine communes and two EPCI labelled on
20 November 2019; 76 départements from 21 November 2019 to 9 March 2020) and a SURVEY-SHAPED SYNTHETIC file
made for this test, whose answers are invented (the real survey's answers were not published per collectivité).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import scenarios
from browsing import map_frame, open_page, screenshot, settle
from playwright.sync_api import expect

from geo.data import attributes, coverage
from geo.maps import palette

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SURVEY_LABEL, QUESTION = scenarios.SURVEY_LABEL, scenarios.QUESTION


@pytest.fixture(scope="module")
def served(apps):
    return apps.get("survey", scenarios.survey)


def metric(page, name: str) -> str:
    box = page.locator("[data-testid='stMetric']").filter(has_text=name).first
    box.wait_for(timeout=30000)
    return box.locator("[data-testid='stMetricValue']").inner_text().strip()


def test_moving_the_date_changes_the_counts(page, base_url):
    open_page(page, f"{base_url}/departement?dep=62&label=Terre+de+Jeux+2024&au=2019-10")
    assert metric(page, "Communes labellisées fin octobre 2019") == "0"
    assert metric(page, "Départements labellisés à cette date") == "0"
    page.set_viewport_size({"width": 1440, "height": 900})
    slider = page.get_by_role("slider", name=re.compile("Couverture au"))
    slider.focus()
    page.keyboard.press("ArrowRight")  # one month later: the 20 November 2019 list counts
    assert metric(page, "Communes labellisées fin novembre 2019") == "9"
    assert metric(page, "EPCI / EPT labellisés à cette date") == "2"
    assert metric(page, "Départements labellisés à cette date") == "1"  # the Pas-de-Calais, 21 November 2019
    page.wait_for_function("() => location.search.includes('au=2019-11')", timeout=10000)
    legend = map_frame(page).locator(".tdj-legend")
    legend.filter(has_text="au 30/11/2019").wait_for(timeout=30000)  # the map too is drawn as of that month
    page.get_by_role("slider", name=re.compile("Couverture au")).scroll_into_view_if_needed()
    screenshot(page, "issue10-date-departement-1440")
    open_page(page, f"{base_url}/?label=Terre+de+Jeux+2024&au=2019-12")
    assert metric(page, "Départements labellisés à cette date") == "24"  # 21 November 2019 wave in France
    open_page(page, f"{base_url}/?label=Terre+de+Jeux+2024&au=2020-03")
    assert metric(page, "Départements labellisés à cette date") == "76"
    page.set_viewport_size({"width": 1440, "height": 900})
    page.get_by_role("slider", name=re.compile("Couverture au")).scroll_into_view_if_needed()
    screenshot(page, "issue10-date-france-1440")
    page.set_viewport_size({"width": 1280, "height": 720})
    page.get_by_role("slider", name=re.compile("Couverture au")).scroll_into_view_if_needed()
    screenshot(page, "issue10-date-france-1280")


def test_region_and_france_maps_follow_the_month(page, base_url):
    """The région page has the month control and the chart; its map, and France's (by département and by
    commune), are drawn as of the chosen month."""
    direct = palette.STATUS_COLORS[coverage.STATUS_DIRECT]
    open_page(page, f"{base_url}/region?reg=32&label=Terre+de+Jeux+2024&au=2019-10")
    assert metric(page, "Communes labellisées fin octobre 2019") == "0"
    frame = map_frame(page)
    frame.locator(".tdj-legend").filter(has_text="au 31/10/2019").wait_for(timeout=60000)
    expect(frame.locator("path.tdj-commune")).to_have_count(3782, timeout=60000)
    expect(frame.locator(f"path.tdj-commune[fill='{direct}']")).to_have_count(0)
    page.set_viewport_size({"width": 1440, "height": 900})
    slider = page.get_by_role("slider", name=re.compile("Couverture au"))
    slider.focus()
    page.keyboard.press("ArrowRight")  # the 20 November 2019 list: nine communes of the Pas-de-Calais
    assert metric(page, "Communes labellisées fin novembre 2019") == "9"
    page.wait_for_function("() => location.search.includes('au=2019-11')", timeout=10000)
    frame = map_frame(page)
    frame.locator(".tdj-legend").filter(has_text="au 30/11/2019").wait_for(timeout=60000)
    expect(frame.locator(f"path.tdj-commune[fill='{direct}']")).to_have_count(9, timeout=30000)
    page.get_by_text("Couverture dans le temps").first.scroll_into_view_if_needed()
    screenshot(page, "issue10-date-region-1440")

    open_page(page, f"{base_url}/?label=Terre+de+Jeux+2024&mesure=departement_labellise&au=2019-12")
    frame = map_frame(page)
    frame.locator(".tdj-legend").filter(has_text="au 31/12/2019").wait_for(timeout=60000)
    # the wave of 21 November 2019: 24 départements labelled by the end of the year (76 by March 2020)
    expect(frame.locator(f"path.tdj-dep[fill='{palette.BLUES[4]}']")).to_have_count(24, timeout=30000)
    open_page(page, f"{base_url}/?label=Terre+de+Jeux+2024&mesure=departement_labellise&au=2020-03")
    frame = map_frame(page)
    frame.locator(".tdj-legend").filter(has_text="au 31/03/2020").wait_for(timeout=60000)
    expect(frame.locator(f"path.tdj-dep[fill='{palette.BLUES[4]}']")).to_have_count(76, timeout=30000)
    open_page(page, f"{base_url}/?label=Terre+de+Jeux+2024&echelle=communes&au=2019-10")
    map_frame(page).locator(".tdj-legend").filter(has_text="au 31/10/2019").wait_for(timeout=90000)


def test_colour_a_departement_by_a_column_and_read_the_legend(page, base_url, app_store):
    column = next(c for c in attributes.columns(app_store) if c.nom == QUESTION)
    members = 36  # CA de Lens - Liévin
    open_page(page, f"{base_url}/departement?dep=62&label=Terre+de+Jeux+2024&colonne={column.key}")
    frame = map_frame(page)
    legend = frame.locator(".tdj-legend")
    legend.wait_for(timeout=30000)
    text = legend.inner_text()
    assert f"en cours — {members - 1} communes" in text  # the EPCI's answer paints its communes but Lens
    assert "oui — 2 communes" in text and "non — 1 commune" in text
    assert "<i>non</i> — 1 commune" in text  # a value written as markup stays text
    assert f"sans valeur — {887 - members - 3} communes" in text
    assert f"dont {members - 1} communes par leur EPCI" in text
    expect(frame.locator("i")).to_have_count(0)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.locator("iframe[title='streamlit_folium.st_folium']").first.scroll_into_view_if_needed()
    screenshot(page, "issue10-colonne-departement-1440")
    page.set_viewport_size({"width": 1280, "height": 720})
    page.locator("iframe[title='streamlit_folium.st_folium']").first.scroll_into_view_if_needed()
    screenshot(page, "issue10-colonne-departement-1280")


def test_listes_filters_a_column_by_value_and_exports(page, base_url, app_store):
    column = next(c for c in attributes.columns(app_store) if c.nom == QUESTION)
    open_page(page, f"{base_url}/listes?label=Terre+de+Jeux+2024&colonne={column.key}")
    page.get_by_role("tab", name=f"Colonne « {QUESTION} »").click()
    page.get_by_text("5 ligne(s)").wait_for(timeout=30000)
    page.get_by_role("tab", name=f"Colonne « {QUESTION} »").scroll_into_view_if_needed()
    picker = page.locator("[data-testid='stMultiSelect']").filter(has_text="Valeurs").last
    picker.click()
    page.get_by_role("option", name="oui (2)").click()
    page.keyboard.press("Escape")
    page.get_by_text("2 ligne(s)").wait_for(timeout=30000)
    with page.expect_download() as info:
        page.get_by_role("button", name="Exporter la table jointe (CSV)").click()
    body = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    assert "Code officiel" in body and "62498" in body and "62193" in body and "62041" not in body
    page.set_viewport_size({"width": 1440, "height": 900})
    screenshot(page, "issue10-listes-colonne-1440")
    page.set_viewport_size({"width": 1280, "height": 720})
    screenshot(page, "issue10-listes-colonne-1280")


def test_presentation_downloads_the_deck_and_the_pdf(page, base_url):
    open_page(page, f"{base_url}/presentation?dep=62&label=Terre+de+Jeux+2024", "presentation")
    with page.expect_download(timeout=120000) as info:
        page.get_by_role("button", name="Diaporama PowerPoint").click()
    assert info.value.suggested_filename.endswith(".pptx")
    from pptx import Presentation

    prs = Presentation(io.BytesIO(Path(info.value.path()).read_bytes()))
    titles = [s.shapes[0].text_frame.text for s in prs.slides if s.shapes[0].has_text_frame]
    assert titles[0] == "Pas-de-Calais (62) — Terre de Jeux 2024"
    assert "La couverture dans le temps" in titles and "Collectivités labellisées — 12" in titles
    with page.expect_download(timeout=120000) as info:
        page.get_by_role("button", name="Fiche PDF (une page)").click()
    pdf = Path(info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1
    page.get_by_label("Territoire").click()  # the same files for the whole of France
    page.get_by_role("option", name="France (par commune)").click()
    page.wait_for_function("() => location.search.includes('echelle=france')", timeout=30000)
    open_page(page, page.url)  # the choice is in the link: the page drawn anew offers the France files
    with page.expect_download(timeout=180000) as info:
        page.get_by_role("button", name="Diaporama PowerPoint").click()
    france = Presentation(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert france.slides[0].shapes[0].text_frame.text == "France — Terre de Jeux 2024"
    assert info.value.suggested_filename.startswith("diaporama-france-")
    page.set_viewport_size({"width": 1280, "height": 720})
    screenshot(page, "issue10-presentation-1280")
    open_page(page, f"{base_url}/presentation?dep=62&label=Terre+de+Jeux+2024&au=2019-10")
    settle(page)  # a click on the fold while the page is still drawing is lost (seen with a core busy)
    page.get_by_text("Couverture dans le temps (situation à une date, courbe)").click()
    settle(page)
    assert metric(page, "Communes labellisées fin octobre 2019") == "0"
    # the slide above follows the month: its title, its figures and its map
    page.get_by_role("heading", name=re.compile("Pas-de-Calais — Terre de Jeux 2024 — au 31 octobre 2019")).wait_for()
    assert metric(page, "Communes couvertes") == "0 / 887"
    # the sites as they stood then, as today's slide has them (none loaded here, or none dated so early)
    assert metric(page, re.compile("^(Centres de préparation|Sites labellisés)")) == "0"
    map_frame(page).locator(".tdj-legend").filter(has_text="au 31/10/2019").wait_for(timeout=30000)
    page.locator("[data-testid='stImage']").last.scroll_into_view_if_needed()
    screenshot(page, "issue10-presentation-temps-1280")
    open_page(page, f"{base_url}/presentation?dep=62&label=Terre+de+Jeux+2024")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.get_by_role("button", name="Diaporama PowerPoint").scroll_into_view_if_needed()
    screenshot(page, "issue10-presentation-1440")
