"""Dates as French officers read and type them: 20/11/2019, or 20 novembre 2019 in a sentence."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]


def short(day: dt.date | dt.datetime | None) -> str:
    """20/11/2019 ("" for no date)."""
    return "" if day is None or day != day else f"{day:%d/%m/%Y}"


def long(day: dt.date | dt.datetime | None) -> str:
    """20 novembre 2019 (1er for the first of a month)."""
    if day is None or day != day:
        return ""
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def parse(text: str) -> dt.date:
    """A date typed as 20/11/2019, 20-11-2019, 20.11.2019 or 2019-11-20; ValueError otherwise."""
    value = (text or "").strip()
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", value)
    if m:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    raise ValueError(value)
