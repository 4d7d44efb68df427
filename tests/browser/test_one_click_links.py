"""Issue 21, point 3: links that work in one click. « Ouvrir › » in the France ranking opens the département in
the same tab at the first click; the sidebar link to Listes from a département keeps that département.

Data: the « walkthrough » scenario (SYNTHETIC Terre de Jeux and CPJ, tests/scenarios.py)."""

from __future__ import annotations

import re

import pytest
import scenarios
from browsing import open_page, settle

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def served(apps):
    return apps.get("walkthrough", scenarios.walkthrough)


def first_cell(page, heading: str):
    """The grid under `heading`, scrolled into view, and the centre of its first data row's first cell."""
    page.get_by_text(heading, exact=True).scroll_into_view_if_needed()
    grid = page.locator("[data-testid='stDataFrame']").last
    grid.scroll_into_view_if_needed()
    grid.locator("canvas").first.wait_for()
    settle(page)
    box = grid.bounding_box()
    return box["x"] + 30, box["y"] + 35 + 17  # header row, then half a data row


def test_open_in_the_ranking_takes_one_click_in_the_same_tab(page, base_url):
    open_page(page, f"{base_url}/?mesure=pct_communes_couvertes")
    settle(page)
    first = page.locator("[data-testid='stDataFrame'] [role='gridcell'][aria-colindex='2']").first
    first.wait_for(state="attached")
    code = first.text_content().strip()
    x, y = first_cell(page, "Classement des départements")
    tabs = len(page.context.pages)
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(rf"/departement\?dep={code}\b"), timeout=30000)
    page.get_by_role("heading", level=1).filter(has_text=f"({code})").wait_for()
    assert len(page.context.pages) == tabs


def test_the_sidebar_link_to_lists_keeps_the_departement(page, base_url):
    open_page(page, f"{base_url}/departement?dep=62")
    settle(page)
    page.locator("[data-testid='stSidebarNav'], [data-testid='stSidebar']").get_by_role(
        "link", name="Listes").first.click()
    page.wait_for_url(re.compile(r"/listes\?.*deps=62"), timeout=30000)
    settle(page)
    assert page.get_by_text("62 — Pas-de-Calais").count() >= 1
