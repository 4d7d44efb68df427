"""What a name cell says besides the name: a département hint "(59)", a title that gives the level
("la ville de", "le Département de la", "la Collectivité territoriale de"), stray punctuation, a colon
that makes it a heading. The raw cell is never changed; this only reads it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geo.resolve.context import departements_in_hint
from geo.resolve.index import Index
from geo.resolve.normalize import fold, guess_level

_TRAILING_PAREN = re.compile(r"^(?P<name>.*?)[\s,]*[(\[]\s*(?P<hint>[^()\[\]]{1,60}?)\s*[)\]][\s,;.:]*$")
_TRAILING_CODE = re.compile(r"^(?P<name>.+?)\s+[-–—,/]\s*(?P<hint>\d{2,3}|2[ABab])\s*$")
_ARTICLE_HINT = re.compile(r"^(le|la|les|l|l'|l’)$", re.IGNORECASE)
_EDGE = " \t\u00a0,;.:*•·-–—\"'«»“”’"

# Titles in front of a name, folded; the level they announce. Longest first within a level.
_ART = r"(?:(?:le|la|les|l) )?"
_LINK = r"(?: (?:de la|de l|des|du|de|d|l|la|le|les))*"
TITLES: list[tuple[re.Pattern, str]] = [
    (re.compile(rf"^{_ART}(?:conseil departemental|conseil general|departement){_LINK}(?: |$)"), "departement"),
    (re.compile(rf"^{_ART}(?:conseil regional|region){_LINK}(?: |$)"), "region"),
    (re.compile(rf"^{_ART}collectivite (?:territoriale|unique|europeenne|de corse){_LINK}(?: |$)"), "collectivite"),
    # "Ville de X", "Mairie d'X" — never "Ville-sur-Ancre" or "Ville-la-Grand", communes of their own
    (re.compile(rf"^{_ART}(?:ville|commune nouvelle|commune|mairie|municipalite|cite)"
                rf" (?:de la|de l|des|du|de|d) "), "commune"),
    (re.compile(rf"^{_ART}(?:intercommunalite|interco|epci){_LINK}(?: |$)"), "epci"),
]
_LEADING_ARTICLE = re.compile(r"^(?:le|la|les|l) ")


@dataclass
class Cell:
    raw: str
    name: str                      # the name without hint, stray punctuation or title
    key_name: str                  # the name with its title kept (for "Ville-d'Avray"-like names)
    deps: list[str] = field(default_factory=list)
    level: str | None = None       # announced by a title or a word of the cell
    colon: bool = False            # "Maine et Loire :" reads as a heading
    title: str = ""                # the title removed, folded
    full: str = ""                 # the cell with an aside kept: "Bors (Canton de Tude-et-Lavalette)"


def parse(raw: str, ix: Index) -> Cell:
    text = str(raw or "").replace("\u00a0", " ").strip()
    full = text.strip(_EDGE).strip()
    colon = text.rstrip().endswith(":")
    deps: list[str] = []
    m = _TRAILING_PAREN.match(text)
    if m and m.group("name").strip(_EDGE):
        hint = m.group("hint").strip()
        if _ARTICLE_HINT.match(hint):
            pass  # "Portel (Le)": place_key reads it
        else:
            found = departements_in_hint(hint, ix)
            if found:
                deps = found
            text = m.group("name")  # an aside such as "(CCVE)" or "(ex-Évry)" is not part of the name
    else:
        m = _TRAILING_CODE.match(text)
        if m:
            found = departements_in_hint(m.group("hint"), ix)
            if found:
                deps, text = found, m.group("name")
    text = text.strip(_EDGE).strip()
    key_name = text
    level, title = _title(text)
    name = text
    if title:
        name = _drop_words(text, len(title.split()))
    if level is None:
        level = guess_level(text) if text else None
    return Cell(str(raw or ""), name.strip(_EDGE).strip(), key_name, deps, level, colon, title, full)


def _title(text: str) -> tuple[str | None, str]:
    key = fold(text)
    for pattern, level in TITLES:
        m = pattern.match(key)
        if m:
            return level, m.group(0).strip()
    return None, ""


def _drop_words(text: str, n: int) -> str:
    """Drop the first n folded words of text, keeping the rest as written (accents, hyphens)."""
    out = text
    for _ in range(n):
        m = re.match(r"^\s*[^\s'’\-]+(?:['’]|\s+|-)?", out)
        if not m:
            break
        out = out[m.end():]
    return out.strip()


def without_leading_article(text: str) -> str:
    """"la communauté urbaine de X" -> "communauté urbaine de X" (for EPCI type words)."""
    key = fold(text)
    m = _LEADING_ARTICLE.match(key)
    return _drop_words(text, 1) if m else text
