"""Départements, régions and Grand Paris territories (EPT) by name, and every level by code."""

from __future__ import annotations

import re

from geo.resolve.context import clean_code
from geo.resolve.index import Index
from geo.resolve.normalize import fold, place_key, strip_level_prefix, without_article
from geo.resolve.result import Result

_DEP_NUMBER = re.compile(r"^(?:cd|departement)?\s*(\d{2,3}|2a|2b)$")
_EPT_NUMBER = re.compile(r"^(?:ept|t|territoire)\s*(\d{1,2})$")
_EPT_WORDS = re.compile(r"^(?:etablissement public territorial|ept|territoire)\s+(?:de |du |des |d )?")


def departement(ix: Index, name: str) -> Result:
    key = strip_level_prefix(place_key(name), "departement")
    code = ix.dep_by_key.get(key) or ix.dep_by_key.get(without_article(key))
    m = _DEP_NUMBER.match(key)
    if code is None and m and m.group(1).upper() in ix.deps:
        code = m.group(1).upper()
    if code is None:
        return Result("departement", statut="introuvable")
    statut = "exact" if name.strip() == ix.deps[code] else "normalise"
    return Result("departement", code, ix.deps[code], statut, 100.0, departement=code)


def region(ix: Index, name: str) -> Result:
    key = strip_level_prefix(place_key(name), "region")
    code = ix.reg_by_key.get(key) or ix.reg_by_key.get(without_article(key))
    if code is None:
        return Result("region", statut="introuvable")
    statut = "exact" if name.strip() == ix.regs[code] else "normalise"
    return Result("region", code, ix.regs[code], statut, 100.0)


def region_of(ix: Index, deps: list[str]) -> Result:
    """"le Conseil régional" with no name: the région of the row's département, when there is one."""
    regs = sorted({ix.dep_region[d] for d in deps if d in ix.dep_region})
    if len(regs) != 1:
        return Result("region", statut="introuvable", remarque="région sans nom : indiquez-la")
    res = Result("region", regs[0], ix.regs[regs[0]], "normalise", 100.0)
    return res.note("région déduite du département indiqué")


def ept(ix: Index, name: str) -> Result:
    """A Grand Paris territory by name, acronym ("GPSEA") or number ("EPT 10", "T11")."""
    if not ix.ept:
        return Result("ept", statut="introuvable")
    key = fold(name)
    m = _EPT_NUMBER.match(key)
    if m and int(m.group(1)) in ix.ept_by_number:
        return _ept_result(ix, ix.ept_by_number[int(m.group(1))], "normalise", f"numéro de territoire {name}")
    compact = key.replace(" ", "")
    if compact in ix.ept_by_acronym:
        return _ept_result(ix, ix.ept_by_acronym[compact], "approx", f"sigle « {name.strip()} »")
    stripped = _EPT_WORDS.sub("", place_key(name))
    for k in (place_key(name), stripped, without_article(stripped)):
        if k in ix.ept_by_key:
            siren = ix.ept_by_key[k]
            return _ept_result(ix, siren, "exact" if name.strip() == ix.ept[siren][0] else "normalise")
    words = set(stripped.replace(" et ", " ").split()) - {"de", "du", "des", "d", "la", "le", "les", "l"}
    found = [s for s, ws in ix.ept_words.items() if words and words <= ws]
    if len(found) == 1:
        return _ept_result(ix, found[0], "approx", "nom d'usage du territoire")
    return Result("ept", statut="introuvable")


def _ept_result(ix: Index, siren: str, statut: str, remarque: str = "") -> Result:
    nom, dep = ix.ept[siren]
    return Result("ept", siren, nom, statut, 100.0, remarque=remarque, departement=dep or "")


def by_code(ix: Index, code: str, level: str | None) -> Result | None:
    """The place an official code designates (INSEE, SIREN, département or région code), or None."""
    from geo.resolve.communes import result as commune

    code = clean_code(code)
    if not code:
        return None
    if code.isdigit() and len(code) == 9:
        if level in (None, "epci") and code in ix.epci:
            nom, dep = ix.epci[code]
            return Result("epci", code, nom, "exact", 100.0, departement=dep or "")
        if level in (None, "ept", "epci") and code in ix.ept:
            return _ept_result(ix, code, "exact")
        if level in (None, "commune") and code in ix.commune_by_siren:
            return commune(ix, ix.commune_by_siren[code], "exact", remarque="SIREN de la commune")
        return None
    if level in (None, "commune") and (len(code) == 5 or (code.isdigit() and len(code) == 4)):
        c = code.zfill(5) if code.isdigit() else code
        note = "code sans le zéro initial" if c != code else ""
        if c in ix.communes:
            return commune(ix, c, "exact" if not note else "normalise", remarque=note)
        if c in ix.infra:
            parent, kind, nom = ix.infra[c]
            label = {"commune-deleguee": "commune déléguée", "commune-associee": "commune associée",
                     "arrondissement-municipal": "arrondissement municipal"}[kind]
            return commune(ix, parent, "normalise", remarque=f"{c} {nom} : {label}, rattachée à {parent}")
        if c in ix.anciens:
            new = ix.anciens[c]
            return commune(ix, new, "normalise", remarque=f"ancien code {c}, aujourd'hui {new}")
        return None
    if level in (None, "departement") and len(code) in (1, 2, 3):
        d = code.zfill(2) if code.isdigit() and len(code) == 1 else code
        if d in ix.deps:
            return Result("departement", d, ix.deps[d], "exact", 100.0, departement=d)
    if level == "region" and code in ix.regs:
        return Result("region", code, ix.regs[code], "exact", 100.0)
    return None
