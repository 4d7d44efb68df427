"""French as officers read and type it, written once: dates (20/11/2019, 20 novembre 2019, « janvier 2020 »
when a source gives only a month), numbers, and the folding of names for comparison."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

import pandas as pd

from geo import settings

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


def parse_any(value) -> dt.date | None:
    """A date in any form a list gives it (the usual forms first, then pandas' guess); None when none."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return parse(text)  # the usual forms, without pandas' format guessing
    except ValueError:
        pass
    for dayfirst in (False, True) if text[:4].isdigit() else (True,):
        try:
            parsed = pd.to_datetime(text, dayfirst=dayfirst, errors="raise")
            return parsed.date()
        except (ValueError, OverflowError):
            continue
    return None


def date_text(raw: str | None, parsed) -> str:
    """A label's date as precise as its source: « 21/11/2019 », or « janvier 2020 » when the source gives
    only a month (the stored date is then the first of that month)."""
    text = str(raw or "").strip()
    if len(text) == 7 and text[:4].isdigit() and text[4] in "-/" and text[5:].isdigit() and 1 <= int(text[5:]) <= 12:
        return f"{MONTHS[int(text[5:]) - 1]} {text[:4]}"
    if parsed is None or parsed != parsed:
        return ""
    return f"{pd.Timestamp(parsed):%d/%m/%Y}"


_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_NON_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces."""
    text = unicodedata.normalize("NFKD", str(text).translate(_LIGATURES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _NON_WORD.sub(" ", text).strip()


def number(n) -> str:
    """34 875: a whole number with French thousands (a narrow no-break space, U+202F)."""
    return f"{int(n):,}".replace(",", "\u202f")


def date_window(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The label dates an import accepts (TDJ_DATE_MIN, TDJ_DATE_MAX; by default 2015 to the end of next year)."""
    today = today or dt.date.today()
    low = dt.date.fromisoformat(settings.get("TDJ_DATE_MIN"))
    high = settings.get("TDJ_DATE_MAX")
    return low, dt.date.fromisoformat(high) if high else dt.date(today.year + 1, 12, 31)
