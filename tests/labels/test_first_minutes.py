"""Issue 13, the geo side of what the pages show: commune search, French dates, a workbook's header row,
labels of territories, an import's effect on coverage, restore, list dates, a PNG of constant size."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from PIL import Image

from geo import fr, imports
from geo.data import coverage, labels, provenance, territory
from geo.io.readers import read_bytes, sheet_preview
from geo.resolve.search import find_communes
from geo.slides import png


@pytest.mark.parametrize("dep,typed,code", [("62", "lievin", "62510"), ("62", "St Omer", "62765"),
                                            ("62", "saint-omer", "62765"), ("94", "creteil", "94028"),
                                            ("62", "62193", "62193"), ("62", "HENIN BEAUMONT", "62427")])
def test_find_communes_ignores_accents_case_and_abbreviations(store, dep, typed, code):
    towns = territory.communes_of_departement(dep, store=store).drop(columns="geometry")
    assert find_communes(towns, typed)["code"].iloc[0] == code


def test_find_communes_nothing_for_nothing(store):
    towns = territory.communes_of_departement("62", store=store).drop(columns="geometry")
    assert find_communes(towns, "  ").empty and find_communes(towns, "zzzz").empty


def test_french_dates():
    assert fr.parse("20/11/2019") == dt.date(2019, 11, 20) == fr.parse("2019-11-20")
    assert fr.long(dt.date(2019, 11, 1)) == "1er novembre 2019"
    assert fr.short(dt.date(2019, 11, 20)) == "20/11/2019"
    for bad in ("2019-31-12", "31/02/2019", "hier", ""):
        with pytest.raises(ValueError):
            fr.parse(bad)


def _workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_workbook_title_row_is_skipped_and_rows_keep_their_numbers():
    raw = _workbook([["Liste des communes labellisées"], [], ["nom", "departement"], ["Liévin", "62"],
                     [], ["Arras", "62"]])
    table = read_bytes(raw, "liste.xlsx")
    assert list(table.data.columns) == ["nom", "departement"]
    assert table.header_row == 3 and table.rows == [4, 6]
    assert any("ligne 3" in w for w in table.warnings)
    preview, guessed = sheet_preview(raw, "liste.xlsx")
    assert guessed == 3 and list(preview.index) == [1, 3, 4, 6]
    forced = read_bytes(raw, "liste.xlsx", header_row=4)
    assert list(forced.data.columns) == ["Liévin", "62"]
    prepared = imports.prepare(table, "Test")
    assert list(prepared.rows.index) == [4, 6]


def test_workbook_without_title_unchanged():
    table = read_bytes(_workbook([["nom", "departement"], ["Liévin", "62"]]), "liste.xlsx")
    assert table.header_row == 1 and table.rows == [2] and not table.warnings


def _import(store, name: str, label: str, csv: str, sites: bool = False) -> int:
    raw = csv.encode()
    return imports.commit(imports.prepare(read_bytes(raw, name), label, sites=sites, raw=raw, store=store), store)


SITES = "id;lang;title;disciplines_olympiques;geo_point_2d\n1;fr_FR;Site (synthétique);judo;50.29, 2.78\n"


@pytest.mark.slow
def test_territorial_labels_never_a_sites_label(store_copy):
    _import(store_copy, "a.csv", "Centre de préparation aux Jeux", SITES, sites=True)
    _import(store_copy, "b.csv", "Centre de préparation aux Jeux", SITES, sites=True)
    _import(store_copy, "c.csv", "Autre label", "nom;departement\nArras;62\n")
    _import(store_copy, "d.csv", "Terre de Jeux 2024", "nom;departement\nBerck;62\n")
    assert labels.territorial_labels(store_copy) == ["Terre de Jeux 2024", "Autre label"]
    assert labels.label_genres(store_copy)["Centre de préparation aux Jeux"] == "sites"


@pytest.mark.slow
def test_import_effect_withdraw_restore_and_list_dates(store_copy):
    first = _import(store_copy, "a.csv", "Terre de Jeux 2024", "nom;departement;date\nArras;62;20/11/2019\n")
    second = _import(store_copy, "b.csv", "Terre de Jeux 2024", "nom;departement\nArras;62\nBerck;62\n")
    assert list(coverage.import_effect(second, store_copy)["nom"]) == ["Berck"]  # Arras was covered already
    assert list(coverage.import_effect(first, store_copy)["nom"]) == []
    imports.withdraw(second, store_copy)
    assert list(coverage.import_effect(second, store_copy)["nom"]) == ["Berck"]  # what restoring would bring
    imports.restore(second, store_copy)
    with pytest.raises(Exception, match="n'est pas retiré"):
        imports.restore(second, store_copy)
    text = provenance.list_dates("Terre de Jeux 2024", store_copy)
    assert "labellisations du 20 novembre 2019 (a.csv, importée le" in text
    assert "date de la liste inconnue (b.csv" in text


def test_list_date_given_at_import(store_copy):
    raw = b"nom;departement\nArras;62\n"
    prepared = imports.prepare(read_bytes(raw, "a.csv"), "Terre de Jeux 2024", raw=raw, store=store_copy)
    prepared.options["date_liste"] = "2020-03-15"
    imports.commit(prepared, store_copy)
    assert provenance.list_dates("Terre de Jeux 2024", store_copy).startswith(
        "Terre de Jeux 2024 : liste du 15 mars 2020 (a.csv, importée le")


@pytest.mark.slow
def test_png_has_one_size_for_every_departement(store_copy):
    _import(store_copy, "a.csv", "Terre de Jeux 2024", "nom;departement\nArras;62\n")
    sizes = {Image.open(io.BytesIO(png.departement_png(dep, "Terre de Jeux 2024", "Titre", "Note",
                                                       store=store_copy, figures=[("Communes", "1")],
                                                       sources="Sources"))).size for dep in ("62", "94", "2A")}
    assert len(sizes) == 1
