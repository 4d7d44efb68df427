"""Numbers that sort as numbers (issue 20, point 4): tables keep numbers underneath and draw them the French way
(« 40 539 », « 26,6 % », « oui »), the uncovered communes come largest first, « au moins N habitants » filters,
the EPCI's name is beside its SIREN, statuses read in plain French with the stored value in the export."""

from __future__ import annotations

import pandas as pd
import pytest
from apptest import run_page

from geo import imports
from geo.data import lists
from geo.io.readers import read_bytes
from views.formatting import french_numbers

LABEL = "Terre de Jeux 2024"


def test_french_numbers_draw_french_text_over_numbers():
    df = pd.DataFrame({"nom": ["a", "b", "c"], "pop": [991, 98, 40539], "pct": [8.3, 32.8, 7.0],
                       "ok": [True, False, True]})
    styled = french_numbers(df, percent=("pct",))
    assert styled.data["pop"].tolist() == [991, 98, 40539]  # still numbers: a click sorts 98, 991, 40 539
    assert pd.api.types.is_float_dtype(styled.data["pct"])
    html = styled.to_html()
    assert "40\u202f539" in html and "32,8 %" in html and "7,0 %" in html and ">oui<" in html
    assert "40539" not in html and "32.8" not in html


@pytest.fixture
def covered(store_copy):
    data = "nom;departement;date\nCalais;62;20/11/2019\nCC du Ternois;62;2020\nLiévin;62;janvier 2020\n".encode()
    prepared = imports.prepare(read_bytes(data, "pdc.csv"), LABEL, raw=data, store=store_copy)
    imports.commit(prepared, store_copy)
    return store_copy


def test_uncovered_communes_largest_first_and_a_population_floor(covered):
    missing = lists.not_covered(LABEL, ["62"], store=covered)
    assert missing["population"].is_monotonic_decreasing and "62193" not in set(missing["code"])
    assert missing.iloc[0]["nom"] == "Arras"  # the largest commune of the 62 not covered (Calais is)
    big = lists.at_least(missing, 10_000)
    assert len(big) < len(missing) and big["population"].min() >= 10_000
    assert lists.at_least(missing, 0) is missing


def test_exports_name_the_epci_and_keep_the_stored_status(covered):
    table = lists.for_export(lists.labelled(LABEL, store=covered), "labellises").set_index("Nom dans la liste")
    assert table.loc["Calais", "EPCI"] == "CA Grand Calais Terres et Mers"
    assert table.loc["Calais", "Statut"] == "trouvé" and table.loc["Calais", "Statut (technique)"] == "exact"
    assert list(table.columns[:6]) == ["Niveau", "Code officiel", "Nom officiel", "Population",
                                       "Date de labellisation", "Statut"]
    uncovered = lists.for_export(lists.not_covered(LABEL, ["62"], store=covered), "non_couvertes")
    assert {"EPCI (SIREN)", "EPCI", "Population"} <= set(uncovered.columns)


def test_the_listes_page_filters_by_population(covered, monkeypatch):
    at = run_page(covered, monkeypatch, "listes", label=LABEL, deps="62", pop="10000")
    frames = [f.value for f in at.dataframe]
    uncovered = next(f for f in frames if "Commune" in f.columns and "Code INSEE" in f.columns)
    assert pd.api.types.is_integer_dtype(uncovered["Population"]) and uncovered["Population"].min() >= 10_000
    assert uncovered["Population"].is_monotonic_decreasing
    assert any("d'au moins 10\u202f000 habitants" in c.value for c in at.caption)


def test_the_xlsx_export_keeps_codes_as_text_and_dates_as_dates(covered, monkeypatch):
    """Issue 20, exports an office can open: codes as text (« 62 », never 62), the date as a real date with its
    precision (« janvier 2020 » is a month), the sources on their own sheet, untrusted text never a formula."""
    import io

    import openpyxl

    from geo.io.export import to_xlsx

    table = lists.for_export(lists.labelled(LABEL, store=covered), "labellises")
    table.loc[0, "Remarque"] = "=HYPERLINK(\"http://exemple.invalid\")"
    raw = to_xlsx({"Collectivités labellisées": table}, [("Label", LABEL)], date_columns=("Date (AAAA-MM-JJ)",),
                  text_columns=("Code officiel", "Département"))
    book = openpyxl.load_workbook(io.BytesIO(raw))
    assert book.sheetnames == ["Collectivités labellisées", "Sources"]
    sheet = book["Collectivités labellisées"]
    head = [c.value for c in sheet[1]]
    rows = {r[head.index("Nom dans la liste")].value: r for r in sheet.iter_rows(min_row=2)}
    lievin = rows["Liévin"]
    assert lievin[head.index("Département")].value == "62" and lievin[head.index("Département")].data_type == "s"
    day = lievin[head.index("Date (AAAA-MM-JJ)")]
    assert day.is_date and day.number_format == "mmmm yyyy"
    assert rows["Calais"][head.index("Date (AAAA-MM-JJ)")].number_format == "dd/mm/yyyy"
    assert isinstance(rows["Calais"][head.index("Population")].value, int | float)
    first = next(sheet.iter_rows(min_row=2, max_row=2))
    assert first[head.index("Remarque")].data_type == "s"  # text, never run as a formula
    assert book["Sources"]["B1"].value == LABEL
