"""XLSX workbooks: the sheet that holds a list, its header row below any title rows, formulas without a stored
value reported, and the memory a workbook may take bounded before it is opened."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

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
            has_formulas = any(b"<f>" in archive.read(i) or b"<f " in archive.read(i)
                               for i in archive.infolist() if i.filename.startswith("xl/worksheets/sheet"))
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
