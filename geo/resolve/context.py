"""Context: which département (or level) a cell points to, from a code, a name, or a heading as pages
print them ("(64)", "Dans le département de l'Aisne", "Collectivités essonniennes labellisées",
"Les Départements labellisés")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from geo.resolve.gentiles import GENTILES
from geo.resolve.index import Index
from geo.resolve.normalize import fold, place_key, strip_level_prefix, without_article


def clean_code(value: str) -> str:
    text = str(value or "").strip().upper().replace(" ", "").replace("\u00a0", "")
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text


def postcode_departements(value: str, ix: Index) -> list[str]:
    cp = clean_code(value)
    if cp.isdigit() and len(cp) == 4:
        cp = cp.zfill(5)
    return sorted({ix.communes[c][1] for c in ix.postcodes.get(cp, [])})


def departements_in_hint(value: str, ix: Index) -> list[str]:
    """Département codes a short cell points to: a code ("62", "2A", "971", "6"), a postcode, a name,
    "62 - Pas-de-Calais", "(Gironde)", "la Gironde"."""
    text = str(value or "").strip().strip("()[] ,;:")
    if not text:
        return []
    if text[:1].isdigit() or text[:2].upper() in ("2A", "2B"):
        m = re.match(r"^(\S+?)(?:[\s\-–—]+(.*))?$", text)
        head, rest = m.group(1), m.group(2) or ""
        code = clean_code(head)
        if code.isdigit() and len(code) == 1:
            code = code.zfill(2)
        rest_key = without_article(place_key(rest)) if rest.strip() else ""
        # "62", "62 - Pas-de-Calais", "2A Corse-du-Sud" — not "9 communes du Loiret"
        if code in ix.deps and (not rest_key or ix.dep_by_key.get(rest_key) == code):
            return [code]
        if code.isdigit() and len(code) == 5 and not rest_key:  # a postcode given as département hint
            return postcode_departements(code, ix)
    key = strip_level_prefix(place_key(text), "departement")
    code = ix.dep_by_key.get(key) or ix.dep_by_key.get(without_article(key))
    return [code] if code else []


@dataclass
class Context:
    """What a context cell (a département column, a heading) says."""

    deps: list[str] = field(default_factory=list)
    level: str | None = None
    region: str | None = None      # a région named with no département ("Nouvelle-Aquitaine")


_PLURAL_LEVEL = [
    (re.compile(r"\bdepartements\b"), "departement"),
    (re.compile(r"\bregions\b"), "region"),
]
# Single-word département names are rivers and everyday words too ("vallée du Lot", "bords de Marne", "la
# somme des", "la réunion du comité", "le Nord-Est"): inside a sentence they count after "en", "dans le",
# "département de", or as the last words of the heading after "du", "de la" ("9 communes du Loiret").
_STRONG = r"(?:en|dans (?:le|la|les|l)|departement (?:de la|de l|du|des|de|d))"
_WEAK = r"(?:le|la|les|l|du|de la|de l|des|de|d|a la|au|aux)"
_COMPASS = r"(?! (?:est|ouest|sud|nord|occidental|oriental)\b)"
_NOT_A_DEPARTEMENT_AFTER = {"vallee", "vallees", "bord", "bords", "rive", "rives", "baie", "val", "pays", "berges",
                            "confluent", "gorges", "source", "sources", "canal", "fleuve", "riviere", "region",
                            "plaine", "haute", "basse", "moyenne", "boucle", "boucles", "estuaire", "coteaux"}


def _memo(ix: Index, name: str, key, compute, size: int = 4096):
    """A value computed once per index: kept on the index itself, so it goes when a rebuild replaces the index
    (the index cache is bounded), and each table is bounded too."""
    table = ix.memo.setdefault(name, {})
    if key not in table:
        if len(table) >= size:
            table.clear()
        table[key] = compute()
    return table[key]


def _context(text: str, ix: Index) -> Context:
    deps = departements_in_hint(text, ix)
    if deps:
        return Context(deps)
    key = fold(text)
    regions: set[str] = set()
    masked = key
    for pattern, code in _region_patterns(ix):  # "Pays de la Loire" is not the Loire
        for m in pattern.finditer(key):
            regions.add(code)
            masked = masked[:m.start()] + "#" * (m.end() - m.start()) + masked[m.end():]
    found = _names_in(masked, ix) or _gentiles_in(masked)
    if len(found) == 1:
        return Context(sorted(found))
    if len(found) > 1:
        return Context()
    level = next((lv for pattern, lv in _PLURAL_LEVEL if pattern.search(key)), None)
    if len(regions) == 1:
        return Context([], level, regions.pop())
    return Context([], level)


def read_context(text: str, ix: Index) -> Context:
    """The département (or, failing one, the level) a context cell or heading points to."""
    text = str(text or "").strip()
    if not text:
        return Context()
    return _memo(ix, "context", text, lambda: _context(text, ix))


def _name_patterns(ix: Index) -> list[tuple[re.Pattern, str]]:
    return _memo(ix, "name_patterns", None, lambda: _make_name_patterns(ix))


def _make_name_patterns(ix: Index) -> list[tuple[re.Pattern, str]]:
    out = []
    for code, nom in ix.deps.items():
        key = re.escape(without_article(place_key(nom)))
        if len(key.split()) == 1:
            pattern = re.compile(rf"\b(?:{_STRONG} {key}\b{_COMPASS}|(?P<before>\w+ )?{_WEAK} {key}$)")
        else:
            pattern = re.compile(rf"\b{key}\b")
        out.append((pattern, code, len(key)))
    return [(pattern, code) for pattern, code, _ in sorted(out, key=lambda p: -p[2])]  # "indre et loire" first


def _region_patterns(ix: Index) -> list[tuple[re.Pattern, str]]:
    return _memo(ix, "region_patterns", None, lambda: _make_region_patterns(ix))


def _make_region_patterns(ix: Index) -> list[tuple[re.Pattern, str]]:
    out = []
    for code, nom in ix.regs.items():
        key = re.escape(without_article(place_key(nom)))
        single = len(key.split()) == 1  # "la réunion du comité" is a meeting, "à La Réunion" the région
        out.append((re.compile(rf"\b(?:{_STRONG} {key}\b|{_WEAK} {key}$|^{key}$)" if single else rf"\b{key}\b"),
                    code))
    return out


def _names_in(key: str, ix: Index) -> set[str]:
    return _codes_found(key, _name_patterns(ix))


_GENTILE_PATTERNS = sorted(
    ((re.compile(rf"\b{re.escape(stem)}(?:ne|e)?s?\b"), code) for stem, code in GENTILES.items()),
    key=lambda p: -len(p[0].pattern))


def _gentiles_in(key: str) -> set[str]:
    return _codes_found(key, _GENTILE_PATTERNS)


def _codes_found(key: str, patterns: list[tuple[re.Pattern, str]]) -> set[str]:
    """Codes of the patterns that match, longest first, each stretch of text read once ("seine et marne"
    is not also "marne"); a river after "vallée du" or "bords de" names no département."""
    found: set[str] = set()
    taken: list[tuple[int, int]] = []
    for pattern, code in patterns:
        for m in pattern.finditer(key):
            before = m.groupdict().get("before")
            if before and before.strip() in _NOT_A_DEPARTEMENT_AFTER:
                continue
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            found.add(code)
    return found
