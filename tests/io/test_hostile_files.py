"""Hostile and clumsy files (issues 12.6-12.9 and 11.3): a French message that says what is wrong and what
to do, never a traceback or a misleading cause; nothing in a workbook lost without a word; bounded work.

Every file here is SYNTHETIC, made for the test."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest

from geo.errors import FileRefused, InputRefused
from geo.io import limits
from geo.io.readers import read_bytes, sheet_names, sheet_preview

LIST = "nom;departement\nArras;62\nCalais;62\n"


@pytest.mark.parametrize("raw,message", [
    (b";;;\n;;;\n;;;\n", "aucune cellule remplie"),
    (b",,\n,,\n", "aucune cellule remplie"),
])
def test_separator_only_csv(raw, message):
    with pytest.raises(FileRefused, match=message):
        read_bytes(raw, "separateurs.csv")


def test_a_very_long_header_line_is_a_header_with_data_under_it():
    header = ";".join(["nom", "departement"] + [f"colonne{i}" for i in range(6000)])
    raw = (header + "\n" + ";".join(["Arras", "62"] + [""] * 6000) + "\n").encode()
    assert len(header) > 50000
    with pytest.raises(FileRefused, match="colonnes, au-delà de la limite"):
        read_bytes(raw, "large.csv")
    header = ";".join(["nom", "departement", "x" * 60000])
    table = read_bytes((header + "\nArras;62;a\n").encode(), "longue.csv")
    assert table.data.iloc[0, 0] == "Arras"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("bom", [True, False])
def test_wide_encodings_with_or_without_bom(codec, bom):
    raw = LIST.replace("Arras", "Béthune").encode(codec)
    if bom:
        raw = "\ufeff".encode(codec) + raw
    table = read_bytes(raw, "large.csv")
    assert list(table.data["nom"]) == ["Béthune", "Calais"]
    assert codec[:6].upper() in table.detail


def test_nul_bytes_anywhere_are_dropped_and_said():
    raw = (LIST + "x;62\n" * 2000).encode() + b"Li\x00ll\x00e;59\n"
    table = read_bytes(raw, "nul.csv")
    assert "Lille" in set(table.data["nom"])
    assert not table.data["nom"].str.contains("\x00").any()
    assert any("nul" in w for w in table.warnings)


@pytest.mark.parametrize("doc,message", [
    ({"type": "FeatureCollection", "features": "pas une liste"}, "« features » doit être une liste"),
    ({"type": "FeatureCollection", "features": [1, 2]}, "n'est pas un objet"),
    ({"type": "FeatureCollection", "features": [{"properties": [1], "geometry": None}]}, "« properties »"),
    ({"type": "FeatureCollection", "features": [{"properties": {"nom": "Arras"}, "geometry": "x"}]}, "« geometry »"),
])
def test_geojson_with_wrong_types(doc, message):
    with pytest.raises(FileRefused, match=message):
        read_bytes(json.dumps(doc).encode(), "carte.geojson")


def test_geojson_point_with_odd_coordinates_still_reads():
    doc = {"type": "FeatureCollection", "features": [
        {"properties": {"nom": "Arras"}, "geometry": {"type": "Point", "coordinates": "2.7,50.3"}}]}
    assert read_bytes(json.dumps(doc).encode(), "carte.geojson").data.iloc[0]["nom"] == "Arras"


def test_json_nested_very_deep():
    raw = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(FileRefused, match="imbriqué trop profondément"):
        read_bytes(raw, "profond.json")


def test_out_of_memory_is_not_called_unreadable(monkeypatch):
    import geo.io.readers as readers

    def boom(*a, **k):
        raise MemoryError
    monkeypatch.setattr(readers, "read_csv", boom)
    with pytest.raises(FileRefused, match="plus de mémoire"):
        read_bytes(LIST.encode(), "liste.csv")


# --- workbooks (12.8) ---

def _book(fill) -> bytes:
    book = openpyxl.Workbook()
    fill(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_formula_cells_without_value_are_named():
    def fill(book):
        ws = book.active
        ws.append(["nom", "departement"])
        ws.append(["Arras", "62"])
        ws.append(["=CONCATENATE(\"Cal\",\"ais\")", "=A1"])   # written by a program: no cached value
    table = read_bytes(_book(fill), "formules.xlsx")
    warning = " ".join(table.warnings)
    assert "formule sans valeur calculée" in warning and "A3" in warning and "B3" in warning


def test_merged_cells_fill_their_rows():
    def fill(book):
        ws = book.active
        ws.append(["departement", "nom"])
        ws.append(["62", "Arras"])
        ws.append([None, "Calais"])
        ws.append([None, "Lens"])
        ws.merge_cells("A2:A4")
    table = read_bytes(_book(fill), "fusion.xlsx")
    assert list(table.data["departement"]) == ["62", "62", "62"]
    assert any("A2:A4" in w for w in table.warnings)


def test_sheet_choice():
    def fill(book):
        first = book.active
        first.title = "Notes"
        first.append(["lisez-moi"])
        ws = book.create_sheet("Liste $x^2$")
        ws.append(["nom", "departement"])
        for name in ("Arras", "Calais", "Lens"):
            ws.append([name, "62"])
        other = book.create_sheet("Autre")
        other.append(["nom", "departement"])
        other.append(["Créteil", "94"])
    raw = _book(fill)
    names, default = sheet_names(raw, "classeur.xlsx")
    assert names == ["Notes", "Liste $x^2$", "Autre"] and default == "Liste $x^2$"
    table = read_bytes(raw, "classeur.xlsx", sheet="Autre")
    assert list(table.data["nom"]) == ["Créteil"]
    assert "choisie" in " ".join(table.warnings)
    preview, header = sheet_preview(raw, "classeur.xlsx", sheet="Autre")
    assert "Créteil" in preview.to_string() and header == 1


# --- bounded work per upload (11.3) ---

def test_size_limit_says_how_to_split(monkeypatch):
    monkeypatch.setattr(limits, "MAX_BYTES", 1000)
    with pytest.raises(FileRefused, match="découpez-le"):
        read_bytes(b"nom;departement\n" + b"Arras;62\n" * 200, "gros.csv")


def test_row_and_cell_limits(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 100)
    with pytest.raises(FileRefused, match="lignes, au-delà de la limite"):
        read_bytes(b"nom;departement\n" + b"Arras;62\n" * 101, "long.csv")
    monkeypatch.setattr(limits, "MAX_ROWS", 10**6)
    monkeypatch.setattr(limits, "MAX_CELLS", 150)
    with pytest.raises(FileRefused, match="cellules"):
        read_bytes(b"nom;departement\n" + b"Arras;62\n" * 80, "long.csv")


@pytest.mark.slow
def test_zip_bomb_workbook_is_refused_before_inflating():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (limits.MAX_INFLATED + 10) + b">")
    raw = out.getvalue()
    assert len(raw) < limits.MAX_INFLATED / 100
    with pytest.raises(FileRefused, match="une fois décompressé"):
        read_bytes(raw, "bombe.xlsx")


def test_big_workbook_is_refused_before_it_is_held_in_memory(monkeypatch):
    monkeypatch.setattr(limits, "MAX_WORKBOOK_CELLS", 100)

    def fill(book):
        for _ in range(60):
            book.active.append(["Arras", "62"])
    with pytest.raises(FileRefused, match="enregistrez la feuille en CSV"):
        read_bytes(_book(fill), "gros.xlsx")


def test_wide_workbook_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_COLUMNS", 50)

    def fill(book):
        book.active.append([f"c{i}" for i in range(60)])
        book.active.append(["x"] * 60)
    with pytest.raises(FileRefused, match="colonnes"):
        read_bytes(_book(fill), "large.xlsx")


@pytest.mark.slow
def test_same_file_twice_is_said(store_copy):
    from geo import imports

    raw = LIST.encode()
    first = imports.prepare(read_bytes(raw, "liste.csv"), "Label (test)", raw=raw, store=store_copy)
    assert not [m for m in first.messages if "identique" in m]
    import_id = imports.commit(first, store_copy)
    again = imports.prepare(read_bytes(raw, "copie.csv"), "Label (test)", raw=raw, store=store_copy)
    said = [m for m in again.messages if m.startswith("Fichier identique")]
    assert len(said) == 1 and f"n° {import_id}" in said[0] and "liste.csv" in said[0]
    imports.withdraw(import_id, store_copy)
    withdrawn = imports.prepare(read_bytes(raw, "copie.csv"), "Label (test)", raw=raw, store=store_copy)
    assert not [m for m in withdrawn.messages if m.startswith("Fichier identique")]


def test_progress_is_reported_and_can_stop_a_resolution(store_copy):
    from geo import imports

    raw = ("nom;departement\n" + "Arras;62\n" * 12000).encode()
    seen = []
    imports.prepare(read_bytes(raw, "l.csv"), "L", raw=raw, store=store_copy, progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, 24000) and len(seen) >= 4 and all(d < t for d, t in seen)

    class Stop(Exception):
        pass

    def stop(done, total):
        if done:
            raise Stop
    with pytest.raises(Stop):
        imports.prepare(read_bytes(raw, "l.csv"), "L", raw=raw, store=store_copy, progress=stop)


def test_resolution_time_budget(monkeypatch):
    monkeypatch.setattr(limits, "MAX_SECONDS", 0.0)
    with pytest.raises(FileRefused, match="découpez le fichier"):
        limits.check_time(0.5, 5000, 12000)


# --- labels drawn on slides (12.5) ---

def test_label_length_is_bounded_at_creation(store_copy):
    from geo import imports

    raw = LIST.encode()
    with pytest.raises(InputRefused, match="100 au plus"):
        imports.prepare(read_bytes(raw, "l.csv"), "L" * 20000, raw=raw, store=store_copy)
    assert imports.prepare(read_bytes(raw, "l.csv"), "  Terre   de Jeux\n2024 ", raw=raw,
                          store=store_copy).label == "Terre de Jeux 2024"


def test_png_draws_formulas_as_text(store_copy):
    from PIL import Image

    from geo import imports
    from geo.slides import png

    label = "Label $x^2$ \\frac{a}{b} $"
    raw = LIST.encode()
    imports.commit(imports.prepare(read_bytes(raw, "l.csv"), label, raw=raw, store=store_copy), store_copy)
    image = png.departement_png("62", label, f"Pas-de-Calais — {label}", f"Liste {label} " * 200,
                                store=store_copy, figures=[("Communes", "2")], sources="Sources $y$")
    assert Image.open(io.BytesIO(image)).size == (2000, 1125)
    from geo.slides import region_png

    image = region_png.region_png("32", label, f"Hauts-de-France — {label}", f"Liste {label}", store=store_copy,
                                  figures=[("Communes", "2")], sources="Sources $y$")
    assert Image.open(io.BytesIO(image)).size == (2000, 1125)
