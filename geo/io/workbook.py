"""XLSX workbooks: the sheet that holds a list, its header row below any title rows, formulas without a stored
value reported, and the memory a workbook may take bounded before it is opened."""

from __future__ import annotations

import codecs
import io
import posixpath
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO
from xml.etree import ElementTree

import pandas as pd

from geo.errors import FileRefused, GeoError
from geo.io import limits
from geo.io.table import Table


@dataclass
class _Book:
    sheets: dict[str, pd.DataFrame]              # every cell as read, indexed from spreadsheet row 1, column A
    merged: dict[str, list[str]]                 # merged ranges filled down, per sheet
    formulas: dict[str, list[str]] = field(default_factory=dict)   # formula cells without a computed value


def _sheets(raw: bytes, name: str) -> _Book:
    """The workbook's sheets, merged ranges filled down; the archive's inflated size checked first (zip bombs)."""
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            limits.check_inflated(sum(i.file_size for i in archive.infolist()), name)
            has_formulas = _count_parts(archive, name)
        probe = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)  # sizes from each sheet's header only
        for ws in probe.worksheets:
            if ws.max_row and ws.max_column:
                limits.check_shape((ws.max_row, ws.max_column), f"{name}, feuille « {ws.title} »")
                limits.check_workbook((ws.max_row, ws.max_column), f"{name}, feuille « {ws.title} »")
        probe.close()
        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except GeoError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # openpyxl and zipfile raise many kinds of errors for broken files
        raise FileRefused(f"Le classeur {name} est illisible ({type(exc).__name__}). Enregistrez-le à nouveau "
                       "en .xlsx ou exportez-le en CSV.") from exc
    out = _Book({}, {})
    for ws in book.worksheets:
        limits.check_shape((ws.max_row, ws.max_column), f"{name}, feuille « {ws.title} »")
        limits.check_workbook((ws.max_row, ws.max_column), f"{name}, feuille « {ws.title} »")
        df = pd.DataFrame(list(ws.iter_rows(values_only=True)), dtype=object)
        out.merged[ws.title] = []
        for merged in ws.merged_cells.ranges:
            if merged.max_row > merged.min_row and merged.min_row - 1 < len(df):
                value = df.iat[merged.min_row - 1, merged.min_col - 1]
                df.iloc[merged.min_row:merged.max_row, merged.min_col - 1] = value
                out.merged[ws.title].append(merged.coord)
        out.sheets[ws.title] = df
    if has_formulas:
        out.formulas = _formulas_without_value(raw, out.sheets)
    return out


_CHUNK = 1 << 20     # bytes of a part inflated at a time while its tags are counted
_TAG = re.compile(rb"<(?:[^\s<>/:!?]+:)?(row|c|f|si)[\s/>]")   # a start tag, with or without a namespace prefix
_END_OF_NAME = re.compile(rb"[\s/>]")
_LONGEST = 1 << 16   # a tag name still unfinished after this many bytes is not waited for (each such cell would
                     # take 64 KB: the inflated-size limit leaves room for a few thousand, harmless)


def _count_parts(archive: zipfile.ZipFile, name: str) -> bool:
    """Rows and cells of every sheet and the shared texts counted from the XML as it inflates, refused at the
    first one past the limit whatever `<dimension>` declares (openpyxl would hold them all); True when a sheet
    holds a formula."""
    sheets, strings = _parts(archive)
    cells, formulas = 0, False
    for path, title in sheets:
        rows = 0
        for found in _tags(archive, path, name):
            rows, cells = rows + found[b"row"], cells + found[b"c"]
            formulas = formulas or found[b"f"] > 0
            limits.check_rows_read(rows, f"{name}, feuille « {title} »")
            limits.check_workbook_read(cells, name, title)
    for path in strings:
        texts = 0
        for found in _tags(archive, path, name):
            texts += found[b"si"]
            limits.check_strings_read(texts, name)
    return formulas


def _tags(archive: zipfile.ZipFile, path: str, name: str) -> Iterator[Counter[bytes]]:
    """The start tags of interest in each chunk of one part, read from the zip a chunk at a time (never whole);
    a tag cut by a chunk's end is kept for the next chunk, and counted once."""
    with archive.open(path) as stream:
        decoder, carry = _decoder(stream), b""
        while True:
            data = stream.read(_CHUNK)
            if decoder is not None:
                data = decoder.decode(data, final=not data).encode("utf-8")
            buf = carry + data
            if b"<!DOCTYPE" in buf:
                raise FileRefused(f"Le classeur {name} contient une déclaration DOCTYPE, interdite dans un "
                                  "classeur : ouvrez-le dans un tableur et enregistrez-le à nouveau en .xlsx, ou "
                                  "exportez-le en CSV.")
            cut = _complete(buf, final=not data)
            yield Counter(_TAG.findall(buf, 0, cut))
            if not data:
                return
            carry = buf[cut:]


def _complete(buf: bytes, final: bool) -> int:
    """How much of `buf` holds whole tags: all of it, or up to its last `<` when that tag's name may go on."""
    last = buf.rfind(b"<")
    if final or last < 0 or _END_OF_NAME.search(buf, last + 1) or len(buf) - last > _LONGEST:
        return len(buf)
    return last


def _decoder(stream: IO[bytes]) -> codecs.IncrementalDecoder | None:
    """A decoder to UTF-8 for a part written in UTF-16 (XML allows it, tags are then not ASCII bytes)."""
    head = stream.peek(2)[:2] if hasattr(stream, "peek") else b""
    codec = {b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16", b"<\x00": "utf-16-le", b"\x00<": "utf-16-be"}.get(head)
    return codecs.getincrementaldecoder(codec)(errors="replace") if codec else None


def _parts(archive: zipfile.ZipFile) -> tuple[list[tuple[str, str]], list[str]]:
    """The worksheet parts (path, sheet title), once per sheet that names them as openpyxl reads them (the
    workbook's sheets through its relationships) then any other at the usual place, and the shared-text parts
    (relationships, content types, usual place)."""
    names = set(archive.namelist())
    workbook = next((t for kind, t, _ in _relations(archive, "") if kind == "officeDocument"), "xl/workbook.xml")
    rels = _relations(archive, workbook)
    targets = {rid: t for kind, t, rid in rels if kind == "worksheet"}
    sheets = [(targets[rid], title) for rid, title in _titles(archive, workbook, names) if rid in targets]
    named = {p for p, _ in sheets}
    sheets += [(n, posixpath.basename(n)) for n in sorted(names - named)
               if n.startswith("xl/worksheets/") and n.endswith(".xml")]
    strings = {t for kind, t, _ in rels if kind == "sharedStrings"} | _shared_by_content_type(archive)
    strings.add("xl/sharedStrings.xml")
    return [(p, t) for p, t in sheets if p in names], sorted(p for p in strings if p in names)


def _relations(archive: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """A part's relationships as (kind, target path, id); the package's own when `part` is ""."""
    rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    if rels not in archive.namelist():
        return []
    out = []
    for el in _elements(archive, rels, "Relationship"):
        target = el.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else \
            posixpath.normpath(posixpath.join(posixpath.dirname(part), target))
        out.append((el.get("Type", "").rsplit("/", 1)[-1], path, el.get("Id", "")))
    return out


def _titles(archive: zipfile.ZipFile, workbook: str, names: set[str]) -> list[tuple[str, str]]:
    """The workbook's sheets in order, as (relationship id, title)."""
    if workbook not in names:
        return []
    return [(next((v for k, v in el.attrib.items() if k.endswith("}id")), ""), el.get("name", ""))
            for el in _elements(archive, workbook, "sheet")]


def _shared_by_content_type(archive: zipfile.ZipFile) -> set[str]:
    """Shared-text parts named by [Content_Types].xml, where openpyxl looks for them."""
    if "[Content_Types].xml" not in archive.namelist():
        return set()
    return {el.get("PartName", "").lstrip("/") for el in _elements(archive, "[Content_Types].xml", "Override")
            if el.get("ContentType", "").endswith("sharedStrings+xml")}


def _elements(archive: zipfile.ZipFile, part: str, local: str) -> Iterator[ElementTree.Element]:
    """The elements of a small part with the given local name, streamed from the zip."""
    with archive.open(part) as stream:
        for _, el in ElementTree.iterparse(stream):
            if el.tag.rsplit("}", 1)[-1] == local:
                yield el
                el.clear()


def _formulas_without_value(raw: bytes, sheets: dict[str, pd.DataFrame]) -> dict[str, list[str]]:
    """Cells holding a formula whose value was never computed (a file written by a program, not saved by a
    spreadsheet): read as empty, so the officer is told which ones."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(raw), data_only=False, read_only=True)
    out: dict[str, list[str]] = {}
    for ws in book.worksheets:
        values = sheets.get(ws.title)
        cells = []
        for r, row in enumerate(ws.iter_rows(values_only=True)):
            for c, formula in enumerate(row):
                if isinstance(formula, str) and formula.startswith("=") and values is not None and \
                        r < len(values) and c < values.shape[1] and values.iat[r, c] is None:
                    cells.append(f"{_letter(c)}{r + 1}")
        out[ws.title] = cells
    book.close()
    return out


def sheet_names(raw: bytes, name: str) -> tuple[list[str], str]:
    """A workbook's sheets and the one read by default (the most filled)."""
    book = _sheets(raw, name)
    return list(book.sheets), _choose_sheet(book.sheets, name, None)


def _choose_sheet(sheets: dict[str, pd.DataFrame], name: str, sheet: str | None) -> str:
    if sheet is not None:
        if sheet not in sheets:
            raise FileRefused(f"La feuille « {sheet} » n'existe pas dans {name} (feuilles : {', '.join(sheets)}).")
        return sheet
    filled = {k: v.dropna(how="all").shape[0] for k, v in sheets.items()}
    chosen = max(filled, key=filled.get)
    if filled[chosen] == 0:
        raise FileRefused(f"Le classeur {name} ne contient aucune donnée.")
    return chosen


def header_guess(df: pd.DataFrame) -> int:
    """Spreadsheet row number of the header: the first row filled about as much as the rows under it (a title
    or a note above the table fills one cell)."""
    filled = df.notna().sum(axis=1)
    widest = int(filled.max())
    for idx, n in filled.items():
        if n >= max(2, 0.6 * widest) or (widest == 1 and n == 1):
            return int(idx) + 1
    return int(filled.index[0]) + 1


def sheet_preview(raw: bytes, name: str, sheet: str | None = None, rows: int = 8) -> tuple[pd.DataFrame, int]:
    """The first rows of a workbook's sheet as they are, indexed by spreadsheet row number, and the header row
    found; what the officer checks before choosing the header row."""
    sheets = _sheets(raw, name).sheets
    df = sheets[_choose_sheet(sheets, name, sheet)].dropna(axis=1, how="all")
    top = df.head(rows + 4).map(_cell)
    top.index = pd.Index(top.index + 1, name="ligne")
    top.columns = [_letter(i) for i in range(top.shape[1])]
    return top.loc[top.ne("").any(axis=1)].head(rows), header_guess(df.dropna(how="all"))


def _letter(i: int) -> str:
    text = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        text = chr(65 + r) + text
    return text


def read_xlsx(raw: bytes, name: str, sheet: str | None, header_row: int | None = None) -> Table:
    book = _sheets(raw, name)
    sheets = book.sheets
    chosen = _choose_sheet(sheets, name, sheet)
    df = sheets[chosen].dropna(how="all").dropna(axis=1, how="all")
    if df.empty:
        raise FileRefused(f"La feuille « {chosen} » de {name} est vide.")
    guessed = header_guess(df)
    row = header_row or guessed
    if row - 1 not in df.index:
        raise FileRefused(f"La ligne {row} de la feuille « {chosen} » est vide ou n'existe pas : choisissez la ligne "
                       "des en-têtes parmi les lignes remplies.")
    warnings = []
    if row != df.index[0] + 1:
        skipped = int((df.index < row - 1).sum())
        warnings.append(f"En-têtes lus à la ligne {row} de la feuille ; {skipped} ligne(s) au-dessus ignorée(s) "
                        "(titre ou note).")
    header = [_cell(v) for v in df.loc[row - 1]]
    body = df[df.index > row - 1].map(_cell)
    body.columns = header
    body = body.dropna(axis=1, how="all")
    if len(sheets) > 1:
        others = [k for k in sheets if k != chosen]
        how = "choisie" if sheet is not None else "la plus remplie"
        warnings.append(f"Classeur à {len(sheets)} feuilles : lecture de « {chosen} » ({how}) ; "
                        f"autres feuilles ignorées : {', '.join(others)}.")
    if book.merged.get(chosen):
        ranges = book.merged[chosen]
        warnings.append(f"{len(ranges)} plage(s) de cellules fusionnées recopiée(s) sur chacune de leurs lignes : "
                        f"{_few(ranges)}.")
    if book.formulas.get(chosen):
        cells = book.formulas[chosen]
        warnings.append(f"{len(cells)} cellule(s) contiennent une formule sans valeur calculée et sont lues vides : "
                        f"{_few(cells)}. Ouvrez le classeur dans un tableur, enregistrez-le, puis déposez-le à "
                        "nouveau.")
    return Table(body.reset_index(drop=True), name, f"XLSX, feuille « {chosen} », en-têtes ligne {row}", warnings,
                 rows=[int(i) + 1 for i in body.index], header_row=row)


def _few(items: list[str], n: int = 10) -> str:
    return ", ".join(items[:n]) + (f" … (et {len(items) - n} autres)" if len(items) > n else "")


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value).replace("\x00", "").strip()
    return text[:-2] if text.endswith(".0") and text[:-2].lstrip("-").isdigit() else text
