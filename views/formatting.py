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


STYLED_CELLS = 300_000   # above this, a table keeps plain numbers: pandas' Styler would take seconds to draw it


def french_numbers(df, columns: list[str] | None = None, percent: tuple[str, ...] = ()):
    """A table whose numbers read the French way on screen (3 902 ; 26,6 ; 8,3 % ; oui) while staying numbers
    underneath, so that a click on a column sorts by value (pandas' Styler: Streamlit draws its text and sorts
    its data); the exported file keeps plain numbers."""
    import pandas as pd

    if df.size > STYLED_CELLS:
        return df
    formats = {}
    for column in columns if columns is not None else list(df.columns):
        series = df[column]
        if column in percent:
            formats[column] = fmt_pct
        elif pd.api.types.is_bool_dtype(series) or series.dropna().map(type).eq(bool).all() and len(series.dropna()):
            formats[column] = _yes_no
        elif pd.api.types.is_integer_dtype(series) or (pd.api.types.is_float_dtype(series) and
                                                        (series.dropna() % 1 == 0).all()):
            formats[column] = fmt_int
        elif pd.api.types.is_float_dtype(series):
            formats[column] = lambda v: f"{v:.6g}".replace(".", ",")
    for column in percent:
        formats.setdefault(column, fmt_pct)
    if df.size > pd.get_option("styler.render.max_elements"):
        pd.set_option("styler.render.max_elements", STYLED_CELLS)
    return df.style.format(formats, na_rep="")


def _yes_no(value) -> str:
    return {True: "oui", False: "non"}.get(value, "")


def table(df, empty: str = "Aucune ligne à afficher.", **kwargs) -> None:
    """st.dataframe, except that an empty table is said in French (Streamlit draws "empty" on its canvas)."""
    if len(getattr(df, "data", df)) == 0:
        st.text(empty)
    else:
        st.dataframe(df, **{"hide_index": True, "width": "stretch", "placeholder": "—", **kwargs})


def source_link(text: str) -> str:
    """A list's source for markdown: a working link for an http(s) address (its characters percent-encoded, so
    nothing in it can end the link or add markup; no invisible character in what is copied), else plain text."""
    from urllib.parse import quote, urlsplit

    from views.state import escape_md

    text = str(text or "").strip()
    parts = urlsplit(text)
    if parts.scheme.lower() in ("http", "https") and parts.netloc and not any(ch.isspace() for ch in text):
        href = quote(text, safe=":/?#&=%~+,;@!$*")
        return f"[{escape_md(parts.netloc)}]({href})"
    return escape_md(text)
