"""Exports for people: CSV readable by French Excel, formulas neutralised; GeoJSON."""

from __future__ import annotations

import io
import unicodedata

import pandas as pd

FORMULA_START = ("=", "+", "-", "@")
# what a spreadsheet skips before reading a formula: spaces (also no-break and wide ones), controls, NUL, BOM
_BLANKS = " \t\r\n\x00\x0b\x0c\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
          "\u200b\u202f\u205f\u3000\ufeff"


def neutralise(value):
    """A cell that a spreadsheet would run as a formula is prefixed with an apostrophe (OWASP CSV injection):
    one starting with = + - @, also after blanks, line feeds or NUL, or written in full width (＝)."""
    if not isinstance(value, str) or not value:
        return value
    first = unicodedata.normalize("NFKC", value.lstrip(_BLANKS)[:1])
    if first.startswith(FORMULA_START) or value[0] in "\t\r\n\x00":
        return "'" + value.replace("\x00", "")
    return value.replace("\x00", "")


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv(df: pd.DataFrame, sep: str = ";", bom: bool = True) -> bytes:
    """UTF-8 with BOM and ';' by default (French Excel opens it as is); ',' on request."""
    buffer = io.StringIO()
    safe_frame(df).to_csv(buffer, index=False, sep=sep, lineterminator="\r\n")
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def to_xlsx(sheets: dict[str, pd.DataFrame], about: list[tuple[str, str]], date_columns: tuple[str, ...] = (),
            text_columns: tuple[str, ...] = ()) -> bytes:
    """A workbook an office opens as is: one sheet per list, codes kept as text (« 01 », « 05 »), numbers as
    numbers, the ISO date columns (2019-11-20, 2020-01, 2020) as real dates with their precision
    (jj/mm/aaaa, mmmm aaaa, aaaa), every other text as text (never a formula), and a « Sources » sheet."""
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for title, df in sheets.items():
        sheet = book.create_sheet(_sheet_title(title))
        sheet.append([str(c) for c in df.columns])
        for cell in sheet[1]:
            cell.data_type = "s"
        for values in df.itertuples(index=False):
            sheet.append([_cell_value(v) for v in values])
        for k, column in enumerate(df.columns, start=1):
            letter = get_column_letter(k)
            for (cell,) in sheet.iter_rows(min_row=2, min_col=k, max_col=k):
                if column in date_columns and isinstance(cell.value, str) and cell.value:
                    text = cell.value
                    day = dt.date(int(text[:4]), int(text[5:7] or 1) if len(text) >= 7 else 1,
                                  int(text[8:10]) if len(text) >= 10 else 1)
                    cell.value = day
                    cell.number_format = {4: "yyyy", 7: "mmmm yyyy"}.get(len(text), "dd/mm/yyyy")
                elif isinstance(cell.value, str):
                    cell.data_type = "s"   # « =1+1 » or « 01 » stays the text it is
                    if column in text_columns:
                        cell.number_format = "@"
            sheet.column_dimensions[letter].width = min(45, max(10, len(str(column)) + 2))
        sheet.freeze_panes = "A2"
    info = book.create_sheet("Sources")
    for key, value in about:
        info.append([key, value])
        for cell in info[info.max_row]:
            cell.data_type = "s"
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 28, 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell_value(value):
    """What a cell holds: None for a missing value, Python numbers and texts otherwise."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _sheet_title(title: str) -> str:
    """A sheet name Excel accepts: 31 characters, none of []:*?/\\."""
    return "".join("-" if ch in "[]:*?/\\" else ch for ch in title)[:31] or "Liste"
