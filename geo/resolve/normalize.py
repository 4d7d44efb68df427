"""Name keys: two spellings of the same place give the same key.

Handles case, accents, ligatures, hyphens and apostrophes, St/Ste, articles in front or as a
suffix ("Portel (Le)"), prefixes such as "Ville de", and the long and short forms of EPCI
names ("Communauté d'agglomération du Boulonnais" = "CA du Boulonnais").
"""

from __future__ import annotations

import re
from functools import lru_cache

from geo.fr import fold

_NON_WORD = re.compile(r"[^a-z0-9]+")
_SUFFIX_ARTICLE = re.compile(r"^(?P<name>.+?)\s*[,(]\s*(?P<art>les|la|le|l|l'|l’)\s*\)?\s*$", re.IGNORECASE)
_SAINTS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
ARTICLES = ("le", "la", "les", "l")
_PREFIXES = (
    "ville de", "ville d", "ville du", "mairie de", "mairie d", "mairie du", "commune de", "commune d",
    "commune du", "commune nouvelle de", "commune nouvelle d", "cite de", "municipalite de",
)


def _saints(words: list[str]) -> list[str]:
    return [_SAINTS.get(w, w) for w in words]


@lru_cache(maxsize=200_000)
def place_key(name: str) -> str:
    """Key of a commune, département or région name."""
    name = str(name).strip()
    m = _SUFFIX_ARTICLE.match(name)
    if m:  # "Portel (Le)" / "Portel, Le" -> "Le Portel"
        art = m.group("art").lower().rstrip("'’")
        name = f"{art} {m.group('name')}" if art != "l" else f"l {m.group('name')}"
    return " ".join(_saints(fold(name).split()))


@lru_cache(maxsize=200_000)
def without_prefix(key: str) -> str:
    """"ville de calais" -> "calais"; tried only after the full key, for Ville-d'Avray's sake."""
    for prefix in _PREFIXES:
        if key.startswith(prefix + " "):
            return key[len(prefix) + 1:]
    return key


def without_article(key: str) -> str:
    words = key.split()
    return " ".join(words[1:]) if len(words) > 1 and words[0] in ARTICLES else key


# EPCI: the type in front, in any of its spellings, becomes one token; connectors are dropped.
_EPCI_TYPES = [
    ("communaute d agglomeration", "ca"), ("communaute agglomeration", "ca"), ("agglomeration", "ca"),
    ("agglo", "ca"), ("communaute de communes", "cc"), ("communaute des communes", "cc"),
    ("communaute de commune", "cc"), ("communautes de communes", "cc"), ("communaute d agglo", "ca"),
    ("com com", "cc"), ("comcom", "cc"), ("communaute urbaine", "cu"), ("metropole", "metropole"),
    ("ca", "ca"), ("cc", "cc"), ("cu", "cu"), ("cda", "ca"), ("cdc", "cc"),
]
_CONNECTORS = {"de", "du", "des", "d", "la", "le", "les", "l", "et"}
EPCI_TYPE_TOKENS = {"ca", "cc", "cu", "metropole"}


@lru_cache(maxsize=50_000)
def epci_key(name: str) -> str:
    """Key of an EPCI name: its type token followed by the significant words."""
    key = fold(name)
    for long, short in _EPCI_TYPES:
        if key == long or key.startswith(long + " "):
            key = short + key[len(long):]
            break
    words = _saints([w for w in key.split() if w not in _CONNECTORS])
    return " ".join(words)


def epci_core(key: str) -> str:
    """An EPCI key without its type token ("ca boulonnais" -> "boulonnais")."""
    words = key.split()
    return " ".join(words[1:]) if words and words[0] in EPCI_TYPE_TOKENS else key


_EPCI_MARKERS = re.compile(
    r"^(communaute|com com|comcom|agglo|agglomeration|metropole|cc|ca|cu|cda|cdc)\b|"
    r"\b(communaute|communautes|agglo|agglomeration|agglopole|metropole|intercommunalite|epci)\b")
_DEP_MARKERS = re.compile(r"^(departement|conseil departemental|conseil general|cd)\b|\bdepartement (de|du|des|d)\b")
_REG_MARKERS = re.compile(r"^(region|conseil regional|collectivite territoriale)\b|\bregion\b")
_BODY_MARKERS = re.compile(
    r"\b(federation|ffa|ff|comite|cros|cdos|ctos|cnosf|cpsf|ambassade|embassy|association|ligue|union|unss|usep|"
    r"ufolep|amf|adf|andes|anem|anels|club|academie|universite|office|fondation|france olympique|"
    r"institut|insep|creps|ministere|groupement|syndicat|societe)\b")


def guess_level(name: str) -> str | None:
    """The level a name announces by itself, or None when only a lookup can tell."""
    key = fold(name)
    if _BODY_MARKERS.search(key):
        return "hors_territoire"
    if _EPCI_MARKERS.search(key):
        return "epci"
    if _DEP_MARKERS.search(key):
        return "departement"
    if _REG_MARKERS.search(key):
        return "region"
    return None


_DEP_PREFIX = re.compile(r"^(conseil departemental|conseil general|departement|cd)( (de|du|des|d|l|la|le|les))*\s+")
_REG_PREFIX = re.compile(r"^(conseil regional|region|collectivite territoriale)( (de|du|des|d|l|la|le|les))*\s+")


def strip_level_prefix(key: str, level: str) -> str:
    """"departement du pas de calais" -> "pas de calais"."""
    pattern = _DEP_PREFIX if level == "departement" else _REG_PREFIX
    return pattern.sub("", key, count=1)
