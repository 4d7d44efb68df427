"""Exports for people: CSV readable by French Excel, formulas neutralised; GeoJSON."""

from __future__ import annotations

import io

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


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
