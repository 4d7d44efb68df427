"""French as officers read and type it, written once: dates (20/11/2019, 20 novembre 2019, « janvier 2020 »
when a source gives only a month), numbers, and the folding of names for comparison."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
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


class DateRefused(ValueError):
    """A date cell that cannot be read without guessing; its message (French) says why."""


PRECISIONS = ("jour", "mois", "annee")


@dataclass(frozen=True)
class WrittenDate:
    """A date as precise as its source wrote it: the first day of its period and that period's length."""
    first: dt.date
    precision: str = "jour"          # "jour", "mois" or "annee"

    def text(self) -> str:
        """20/11/2019, « novembre 2019 » or « 2020 », as the source gave it."""
        if self.precision == "annee":
            return str(self.first.year)
        if self.precision == "mois":
            return f"{MONTHS[self.first.month - 1]} {self.first.year}"
        return short(self.first)

    def iso(self) -> str:
        """2019-11-20, 2019-11 or 2020: sortable as text in any spreadsheet, and still as precise."""
        return self.first.isoformat()[: {"annee": 4, "mois": 7}.get(self.precision, 10)]


_MONTH_WORDS = {"janvier": 1, "janv": 1, "jan": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "mar": 3,
                "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9,
                "sept": 9, "sep": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12,
                "dec": 12}
_MONTH = "(" + "|".join(sorted(_MONTH_WORDS, key=len, reverse=True)) + r")\.?"
_FORMS = [  # (pattern, groups as (day, month, year) positions, precision); tried in order, first match wins
    (r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", (3, 2, 1), "jour"),
    (r"(\d{4})/(\d{1,2})/(\d{1,2})", (3, 2, 1), "jour"),
    (r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})", (1, 2, 3), "jour"),
    (rf"(\d{{1,2}})(?:er)? {_MONTH} (\d{{4}})", (1, 2, 3), "jour"),
    (rf"{_MONTH} (\d{{4}})", (None, 1, 2), "mois"),
    (r"(\d{1,2})[/.\-](\d{4})", (None, 1, 2), "mois"),
    (r"(\d{4})-(\d{1,2})", (None, 2, 1), "mois"),
    (r"(\d{4})", (None, None, 1), "annee"),
]
_COMPILED = [(re.compile(rf"(?<![\w/.\-]){pattern}(?![\w/\-]|\.\d)"), groups, precision)
             for pattern, groups, precision in _FORMS]


def _plain(text: str) -> str:
    """Lower case, no accents, « 1er » and « 1ᵉʳ » as 1er, single spaces; the date's own punctuation kept."""
    text = unicodedata.normalize("NFKD", text.replace("ᵉʳ", "er").replace("\u00a0", " "))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(text.replace(",", " ").split())


@lru_cache(maxsize=20_000)
def _read_text(text: str) -> WrittenDate:
    """The one date written in `text`, or DateRefused saying why (impossible, ambiguous, none, several)."""
    plain = _plain(text)
    for pattern, (d, m, y), precision in _COMPILED:
        found = list(pattern.finditer(plain))
        if not found:
            continue
        if len(found) > 1 or re.search(r"\d", pattern.sub(" ", plain)):
            raise DateRefused(f"plusieurs dates dans « {text} »")
        match = found[0]
        rest = pattern.sub(" ", plain)
        if any(word in _MONTH_WORDS for word in re.findall(r"[a-z]+", rest)):
            raise DateRefused(f"date incomplète ou ambiguë : « {text} »")
        year = int(match.group(y))
        if len(match.group(y)) == 2:
            year += 2000
        month = m and match.group(m)
        month = (_MONTH_WORDS[month.rstrip(".")] if month and not month.isdigit() else int(month or 1))
        day = int(match.group(d)) if d else 1
        if precision == "jour" and month > 12 and day <= 12:
            raise DateRefused(f"« {text} » : le mois {month} n'existe pas (ordre américain mois/jour ?) ; "
                              "écrivez la date jour/mois/année")
        try:
            return WrittenDate(dt.date(year, month, day), precision)
        except ValueError:
            raise DateRefused(f"« {text} » : cette date n'existe pas") from None
    raise DateRefused(f"« {text} » n'est pas une date lisible")


def read_date(value) -> WrittenDate | None:
    """A date cell as a list gives it (20/11/2019, 2019-11-20, « 1er mars 2020 », « janvier 2020 », « 2020 »,
    « Espace labellisé le 01/02/2020 », a spreadsheet's date), with its precision; None for an empty cell,
    DateRefused (with a French reason) for anything that would need a guess."""
    if value is None or value != value:
        return None
    if isinstance(value, dt.datetime | pd.Timestamp):
        return WrittenDate(value.date() if hasattr(value, "date") else value)
    if isinstance(value, dt.date):
        return WrittenDate(value)
    if isinstance(value, float) and value.is_integer():  # a year typed in a spreadsheet's number cell
        value = int(value)
    text = " ".join(str(value).split())
    if not text or text.lower() in ("nan", "nat", "none"):
        return None
    return _read_text(text)


def date_text(raw, parsed) -> str:
    """A label's date as precise as its source: « 21/11/2019 », « janvier 2020 », « 2020 » (the stored date is
    the first day of that period); the stored date alone when the cell says something else."""
    written = _written(raw, parsed)
    return written.text() if written else short(parsed)


def date_iso(raw, parsed) -> str:
    """The same date for sorting: 2019-11-21, 2020-01 or 2020."""
    written = _written(raw, parsed)
    return written.iso() if written else (parsed.isoformat()[:10] if _is_date(parsed) else "")


def _is_date(value) -> bool:
    return value is not None and value == value and hasattr(value, "year")


def _written(raw, parsed) -> WrittenDate | None:
    """The cell's own reading when it agrees with the stored date."""
    if not _is_date(parsed):
        return None
    try:
        written = read_date(raw)
    except DateRefused:
        return None
    day = parsed.date() if isinstance(parsed, dt.datetime | pd.Timestamp) else parsed
    return written if written and written.first == day else None


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


@lru_cache(maxsize=200_000)
def sort_key(name) -> str:
    """Where a name goes in a French list: accents folded (É with E), ligatures spelled out (Œ with OE), case
    ignored, punctuation as a space — Écoivres and Œuf-en-Ternois among the E and the O, not after Z."""
    if name is None or name != name:
        return ""
    return fold(str(name))


def sort_keys(values: pd.Series) -> pd.Series:
    """The same key for a pandas column (`df.sort_values("Nom", key=fr.sort_keys)`); numbers keep their order."""
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
        return values
    return values.map(sort_key)


def site_word(label: str | None, plural: bool = False) -> str:
    """How a page names the sites of a label: « CPJ » for the Centres de préparation aux Jeux only, « site(s) »
    for any other list of sites (France services, maisons sport-santé)."""
    key = fold(label or "")
    if "preparation aux jeux" in key or "cpj" in key.split():
        return "CPJ"
    return "sites" if plural else "site"
