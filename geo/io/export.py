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
