"""Numbers, file names and tables as French officers read them on the pages (the numbers by geo.fr)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from geo import fr


def fmt_int(value) -> str:
    return fr.number(value)


def fmt_pct(value) -> str:
    return f"{value:.1f} %".replace(".", ",") if value == value else "—"


def file_name(kind: str, territory: str, ext: str) -> str:
    """An export's file name saying what, where and when: labellises-62-pas-de-calais-2026-11-22.csv."""
    where = "-".join(fr.fold(territory).split()) or "france"
    return f"{kind}-{where}-{dt.date.today().isoformat()}.{ext}"


def plural(n: int, one: str, many: str) -> str:
    """"1 commune", "34 875 communes"."""
    return f"{fmt_int(n)} {one if n == 1 else many}"


def french_numbers(df, columns: list[str] | None = None):
    """A table's numbers as French text for display (3 902 ; 26,6), the exported file keeping plain numbers."""
    import pandas as pd

    out = df.copy()
    for column in columns if columns is not None else list(out.columns):
        series = out[column]
        if pd.api.types.is_bool_dtype(series):
            out[column] = series.map({True: "oui", False: "non"})
        elif pd.api.types.is_integer_dtype(series) or (pd.api.types.is_float_dtype(series) and
                                                        (series.dropna() % 1 == 0).all()):
            out[column] = series.map(lambda v: fmt_int(v) if v == v and v is not None else "")
        elif pd.api.types.is_float_dtype(series):
            out[column] = series.map(lambda v: f"{v:.6g}".replace(".", ",") if v == v else "")
    return out


def table(df, empty: str = "Aucune ligne à afficher.", **kwargs) -> None:
    """st.dataframe, except that an empty table is said in French (Streamlit draws "empty" on its canvas)."""
    if len(df) == 0:
        st.text(empty)
    else:
        st.dataframe(df, **{"hide_index": True, "width": "stretch", "placeholder": "—", **kwargs})
