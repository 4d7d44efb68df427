"""Limits counted while a file is read (issue 23.1): a workbook without `<dimension>` (or with one that lies), a
JSON of millions of tiny records and a CSV of millions of cells are refused at the limit, before the whole file is
held in memory; files just under the limit still read as before.

Every file here is SYNTHETIC, made for the test; limits are lowered to keep files small, except where named."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import openpyxl
import pytest

from geo import fr
from geo.errors import FileRefused
from geo.io import limits
from geo.io.readers import read_bytes

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


# --- synthetic workbooks, written part by part (openpyxl always writes a true <dimension>) ---

def _cells(values: list[str], p: str) -> bytes:
    """One row of cells without coordinates: numbers as values, other text as inline strings."""
    out = []
    for v in values:
        if v.isdigit():
            out.append(f"<{p}c><{p}v>{v}</{p}v></{p}c>")
        else:
            out.append(f'<{p}c t="inlineStr"><{p}is><{p}t>{v}</{p}t></{p}is></{p}c>')
    return "".join(out).encode()


def _sheet(rows: list[list[str]], *, dimension: str | None = None, prefix: str = "") -> bytes:
    """A worksheet part; no <dimension> unless one is given, elements under `prefix` when one is given."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    dim = f'<{p}dimension ref="{dimension}"/>' if dimension else ""
    body = b"".join(f"<{p}row>".encode() + _cells(r, p) + f"</{p}row>".encode() for r in rows)
    return (f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {xmlns}>{dim}<{p}sheetData>'.encode() + body +
            f"</{p}sheetData></{p}worksheet>".encode())


def _xlsx(sheets: dict[str, bytes], *, folder: str = "worksheets", shared: bytes | None = None) -> bytes:
    """A minimal workbook package around the given worksheet parts (title: part)."""
    names = [f"{folder}/feuille{i}.xml" for i in range(1, len(sheets) + 1)]
    types = "".join(f'<Override PartName="/xl/{n}" ContentType="{CT}.worksheet+xml"/>' for n in names)
    if shared is not None:
        types += f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/>'
    rels = "".join(f'<Relationship Id="rId{i}" Type="{RELS}/worksheet" Target="{n}"/>'
                   for i, n in enumerate(names, 1))
    if shared is not None:
        rels += f'<Relationship Id="rIdS" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
    listed = "".join(f'<sheet name="{t}" sheetId="{i}" r:id="rId{i}"/>' for i, t in enumerate(sheets, 1))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>{types}</Types>')
        z.writestr("_rels/.rels", f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
                   f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>{listed}</sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PACKAGE}">{rels}</Relationships>')
        for n, part in zip(names, sheets.values(), strict=True):
            z.writestr(f"xl/{n}", part)
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", shared)
    return out.getvalue()


def _grid(rows: int, columns: int) -> list[list[str]]:
    """A header row then numbers: rows × columns cells in all."""
    return [[f"c{j}" for j in range(columns)]] + [["12"] * columns for _ in range(rows - 1)]


@pytest.fixture
def never_loaded(monkeypatch):
    """openpyxl never builds the workbook in memory (read_only=True, which reads a declared size, is allowed)."""
    monkeypatch.setattr(openpyxl, "load_workbook", _read_only_only(openpyxl.load_workbook))


def test_sheet_without_dimension_is_refused_at_the_cell_limit(monkeypatch):
    monkeypatch.setattr(limits, "MAX_WORKBOOK_CELLS", 1000)
    under = read_bytes(_xlsx({"liste": _sheet(_grid(50, 20))}), "juste.xlsx")
    assert under.data.shape == (49, 20) and under.data.iloc[0, 0] == "12"
    monkeypatch.setattr(openpyxl, "load_workbook", _read_only_only(openpyxl.load_workbook))
    refused = f"plus de {fr.number(1000)} cellules, au-delà de la limite pour un classeur"
    with pytest.raises(FileRefused, match=refused) as exc:
        read_bytes(_xlsx({"liste": _sheet(_grid(51, 20))}), "sans-dimension.xlsx")
    assert "« liste »" in str(exc.value) and "enregistrez la feuille en CSV" in str(exc.value)


def _read_only_only(real):
    """load_workbook that fails the test when asked for the whole workbook."""
    def guarded(*args, **kwargs):
        if not kwargs.get("read_only"):
            pytest.fail("le classeur entier a été chargé avant le refus")
        return real(*args, **kwargs)
    return guarded


def test_a_dimension_that_lies_is_not_believed(monkeypatch, never_loaded):
    monkeypatch.setattr(limits, "MAX_WORKBOOK_CELLS", 1000)
    with pytest.raises(FileRefused, match="cellules"):
        read_bytes(_xlsx({"liste": _sheet(_grid(60, 20), dimension="A1:B2")}), "menteur.xlsx")


def test_rows_are_counted_whatever_the_sheet_declares(monkeypatch, never_loaded):
    monkeypatch.setattr(limits, "MAX_ROWS", 100)
    with pytest.raises(FileRefused, match="plus de 100 lignes, au-delà de la limite") as exc:
        read_bytes(_xlsx({"liste": _sheet([["Arras"]] * 101, dimension="A1")}), "long.xlsx")
    assert "découpez-le" in str(exc.value)


def test_cells_of_every_sheet_add_up(monkeypatch, never_loaded):
    """openpyxl holds every sheet of the workbook, not only the one read."""
    monkeypatch.setattr(limits, "MAX_WORKBOOK_CELLS", 1000)
    sheets = {"une": _sheet(_grid(30, 20)), "deux": _sheet(_grid(30, 20))}
    with pytest.raises(FileRefused, match=f"plus de {fr.number(1000)} cellules") as exc:
        read_bytes(_xlsx(sheets), "deux-feuilles.xlsx")
    assert "« deux »" in str(exc.value)


def test_shared_strings_beyond_the_limit_are_refused_before_openpyxl_reads_them(monkeypatch):
    monkeypatch.setattr(limits, "MAX_WORKBOOK_CELLS", 1000)

    def nothing(*args, **kwargs):
        pytest.fail("openpyxl a lu les textes partagés avant le refus")
    strings = f'<sst xmlns="{MAIN}">'.encode() + b"<si><t>Arras</t></si>" * 1001 + b"</sst>"
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData><row><c t="s"><v>0</v></c></row></sheetData></worksheet>'.encode()
    monkeypatch.setattr(openpyxl, "load_workbook", nothing)
    with pytest.raises(FileRefused, match="textes, au-delà de la limite"):
        read_bytes(_xlsx({"liste": sheet}, shared=strings), "textes.xlsx")


def test_prefixed_elements_in_an_unusual_folder_are_counted(monkeypatch):
    monkeypatch.setattr(limits, "MAX_WORKBOOK_CELLS", 1000)
    rows = [["nom", "departement"], ["Arras", "62"], ["Calais", "62"]]
    small = read_bytes(_xlsx({"liste": _sheet(rows, prefix="x")}, folder="feuilles"), "prefixe.xlsx")
    assert list(small.data["nom"]) == ["Arras", "Calais"]
    monkeypatch.setattr(openpyxl, "load_workbook", _read_only_only(openpyxl.load_workbook))
    with pytest.raises(FileRefused, match="cellules"):
        read_bytes(_xlsx({"liste": _sheet(_grid(51, 20), prefix="x")}, folder="feuilles"), "prefixe.xlsx")


@pytest.mark.parametrize("prefix", ["é", "p" * 200])
def test_any_namespace_prefix_is_counted(monkeypatch, prefix):
    """A prefix of any letters and any length, even cut by a chunk's end, names the same cells for openpyxl."""
    from geo.io import workbook

    monkeypatch.setattr(workbook, "_CHUNK", 64, raising=False)
    monkeypatch.setattr(limits, "MAX_WORKBOOK_CELLS", 1000)
    small = read_bytes(_xlsx({"liste": _sheet([["nom", "n"], ["Arras", "62"]], prefix=prefix)}), "p.xlsx")
    assert list(small.data["nom"]) == ["Arras"]
    monkeypatch.setattr(openpyxl, "load_workbook", _read_only_only(openpyxl.load_workbook))
    with pytest.raises(FileRefused, match="cellules"):
        read_bytes(_xlsx({"liste": _sheet(_grid(51, 20), prefix=prefix)}), "prefixe.xlsx")


def test_a_sheet_part_named_by_two_sheets_counts_twice(monkeypatch, never_loaded):
    """openpyxl loads a part once per sheet that names it."""
    monkeypatch.setattr(limits, "MAX_WORKBOOK_CELLS", 1000)
    raw = _xlsx({"liste": _sheet(_grid(30, 20))})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            part = src.read(item)
            if item.filename == "xl/workbook.xml":
                part = part.replace(b"</sheets>", b'<sheet name="copie" sheetId="2" r:id="rId1"/></sheets>')
            dst.writestr(item, part)
    with pytest.raises(FileRefused, match="« copie »"):
        read_bytes(out.getvalue(), "deux-fois.xlsx")


def test_cells_split_across_read_chunks_are_counted_once(monkeypatch):
    """Tags cut by the boundary of a read are neither lost nor counted twice: exactly the limit reads."""
    from geo.io import workbook

    monkeypatch.setattr(workbook, "_CHUNK", 7, raising=False)
    monkeypatch.setattr(limits, "MAX_WORKBOOK_CELLS", 60)
    rows = [["nom", "departement"]] + [["Arras", "62"]] * 29
    assert read_bytes(_xlsx({"liste": _sheet(rows, prefix="x")}), "juste.xlsx").data.shape == (29, 2)
    with pytest.raises(FileRefused, match="plus de 60 cellules"):
        read_bytes(_xlsx({"liste": _sheet(rows + [["Lens", "62"]], prefix="x")}), "un-de-trop.xlsx")


def test_utf16_sheet_is_counted(monkeypatch, never_loaded):
    monkeypatch.setattr(limits, "MAX_WORKBOOK_CELLS", 1000)
    part = _sheet(_grid(51, 20)).replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode().encode("utf-16")
    with pytest.raises(FileRefused, match="cellules"):
        read_bytes(_xlsx({"liste": part}), "utf16.xlsx")


def test_entities_that_would_multiply_cells_are_refused():
    """A document type declaration (forbidden in a workbook package) could expand a few bytes into many cells."""
    sheet = (f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY r "<row><c><v>1</v></c><c><v>2</v></c></row>">]>'
             f'<worksheet xmlns="{MAIN}"><sheetData><row><c t="inlineStr"><is><t>nom</t></is></c>'
             f'<c t="inlineStr"><is><t>n</t></is></c></row>&r;&r;</sheetData></worksheet>').encode()
    with pytest.raises(FileRefused, match="DOCTYPE"):
        read_bytes(_xlsx({"liste": sheet}), "entites.xlsx")


def test_real_cell_limit_on_a_sheet_without_dimension(never_loaded):
    """At the real limit (2 000 001 cells, 32 Mo of XML, no <dimension>): refused without loading the workbook."""
    columns = 500
    rows = limits.MAX_WORKBOOK_CELLS // columns + 1
    row = b"<row>" + b"<c><v>12</v></c>" * columns + b"</row>"
    part = f'<worksheet xmlns="{MAIN}"><sheetData>'.encode() + row * rows + b"</sheetData></worksheet>"
    with pytest.raises(FileRefused, match=f"plus de {fr.number(2_000_000)} cellules"):
        read_bytes(_xlsx({"liste": part}), "reel.xlsx")


# --- JSON: records counted before any of them is built ---

@pytest.fixture
def never_parsed(monkeypatch):
    """The JSON is never parsed whole."""
    monkeypatch.setattr(json, "loads", _never)


def _records(n: int) -> list[dict]:
    """Records whose text holds every character that could be mistaken for structure."""
    return [{"nom": 'Arras [62], {"x": 1}, \\"', "n": i, "l": [1, [2, 3]], "o": {"a": [4]}} for i in range(n)]


@pytest.mark.parametrize("wrap,detail", [
    (lambda r: r, "JSON"),
    (lambda r: {"total_count": len(r), "results": r}, "Opendatasoft"),
    (lambda r: {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": p, "geometry": {"type": "Point", "coordinates": [2.7, 50.3]}} for p in r]},
     "GeoJSON"),
])
def test_json_records_are_counted_before_parsing(monkeypatch, wrap, detail):
    monkeypatch.setattr(limits, "MAX_ROWS", 100)
    table = read_bytes(json.dumps(wrap(_records(100))).encode(), "juste.json")
    assert detail in table.detail and len(table.data) == 100 and table.data["nom"][0] == 'Arras [62], {"x": 1}, \\"'
    monkeypatch.setattr(json, "loads", _never)
    with pytest.raises(FileRefused, match="plus de 100 lignes, au-delà de la limite"):
        read_bytes(json.dumps(wrap(_records(101))).encode(), "long.json")


def _never(*args, **kwargs):
    pytest.fail("le JSON entier a été analysé avant le refus")


@pytest.mark.parametrize("chunk", [1, 2, 3, 7])
def test_json_strings_cut_by_read_chunks_are_counted_once(monkeypatch, chunk):
    """Quotes, backslash runs and brackets cut by the boundary of a scanned chunk: exactly the limit reads."""
    from geo.io import json_lists

    monkeypatch.setattr(json_lists, "_CHUNK", chunk, raising=False)
    monkeypatch.setattr(limits, "MAX_ROWS", 20)
    records = [dict(r, s="\\\\" * (i % 4) + '"[' * (i % 3)) for i, r in enumerate(_records(20))]
    doc = {"type": "FeatureCollection", "bbox": [1, 2, 3, 4], "features": [
        {"type": "Feature", "properties": p, "geometry": None} for p in records]}
    assert len(read_bytes(json.dumps(doc).encode(), "juste.geojson").data) == 20
    doc["features"].append(doc["features"][0])
    monkeypatch.setattr(json, "loads", _never)
    with pytest.raises(FileRefused, match="plus de 20 lignes"):
        read_bytes(json.dumps(doc).encode(), "long.geojson")


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-32", "utf-16-le", "cp1252"])
def test_json_in_every_encoding_is_counted(monkeypatch, codec):
    monkeypatch.setattr(limits, "MAX_ROWS", 100)
    assert len(read_bytes(json.dumps(_records(100), ensure_ascii=False).encode(codec), "l.json").data) == 100
    monkeypatch.setattr(json, "loads", _never)
    with pytest.raises(FileRefused, match="plus de 100 lignes"):
        read_bytes(json.dumps([{"nom": "Béthune"}] * 101, ensure_ascii=False).encode(codec), "long.json")


def test_json_cells_are_counted_before_parsing(monkeypatch, never_parsed):
    monkeypatch.setattr(limits, "MAX_CELLS", 1000)
    monkeypatch.setattr(limits, "MAX_COLUMNS", 10**6)
    with pytest.raises(FileRefused, match=f"plus de {fr.number(1000)} cellules, au-delà de la limite"):
        read_bytes(json.dumps([{f"k{i}": i for i in range(1001)}]).encode(), "large.json")


def test_real_row_limit_on_tiny_json_records(never_parsed):
    raw = b"[" + b",".join([b'{"a":1}'] * (limits.MAX_ROWS + 1)) + b"]"
    with pytest.raises(FileRefused, match=f"plus de {fr.number(1_000_000)} lignes"):
        read_bytes(raw, "minuscule.json")


# --- CSV: rows and cells counted as the reader gives them ---

def _counting_reader(monkeypatch) -> list[int]:
    """csv.reader that notes how many rows each reader gave."""
    real, given = csv.reader, []

    def reader(*args, **kwargs):
        given.append(0)
        for row in real(*args, **kwargs):
            given[-1] += 1
            yield row
    monkeypatch.setattr(csv, "reader", reader)
    return given


def test_csv_cells_are_counted_while_reading(monkeypatch):
    monkeypatch.setattr(limits, "MAX_CELLS", 1000)
    header = ";".join(f"c{i}" for i in range(10))
    assert read_bytes((header + "\n" + "ab;" * 9 + "ab\n" * 99).encode(), "juste.csv").data.shape == (99, 10)
    given = _counting_reader(monkeypatch)
    with pytest.raises(FileRefused, match=f"plus de {fr.number(1000)} cellules, au-delà de la limite"):
        read_bytes((header + "\n" + ("ab;" * 9 + "ab\n") * 5000).encode(), "large.csv")
    assert max(given) <= 110, given


def test_csv_rows_are_counted_while_reading(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 100)
    given = _counting_reader(monkeypatch)
    with pytest.raises(FileRefused, match="lignes, au-delà de la limite"):
        read_bytes(b"nom;departement\n" + b"Arras;62\n" * 150, "long.csv")
    assert max(given) <= 110, given
