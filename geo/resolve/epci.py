"""EPCI by name as people print them: official long or short forms, everyday names ("Amiens Métropole",
"l'Agglopôle de Sète", "Coeur Essonne Agglomération"), acronyms ("GPS&O", "CAPI"), a wrong type word
("communauté urbaine de Coutances" is a CC) — each accepted only when it designates one EPCI."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from geo.resolve.cells import without_leading_article
from geo.resolve.index import GENERIC_EPCI_WORDS, Index
from geo.resolve.normalize import epci_core, epci_key, fold
from geo.resolve.result import Result

FUZZY_CUTOFF = 88.0
FUZZY_MARGIN = 4.0
# words that only say "an intercommunality": dropped from a printed name before comparing words
_TYPE_WORDS = {"communaute", "communautes", "agglomeration", "agglo", "agglopole", "metropole", "urbaine",
               "communes", "commune", "intercommunalite", "interco", "epci", "ca", "cc", "cu", "cda", "cdc", "pays"}
_TYPE_NAMES = {"ca": "communauté d'agglomération", "cc": "communauté de communes", "cu": "communauté urbaine",
               "metropole": "métropole"}


def result(ix: Index, siren: str, statut: str, score: float = 100.0, remarque: str = "") -> Result:
    nom, dep = ix.epci[siren]
    return Result("epci", siren, nom, statut, score, remarque=remarque, departement=dep or "")


def _ambiguous(ix: Index, sirens, remarque: str) -> Result:
    return Result("epci", statut="ambigu", candidats=" ; ".join(ix.describe(s) for s in sirens), remarque=remarque)


def printed_type(key: str) -> str:
    words = key.split()
    return words[0] if words and words[0] in _TYPE_NAMES else ""


def exact(ix: Index, name: str, deps: list[str]) -> Result:
    """Official long or short form of the name (type words spelt any way)."""
    name = without_leading_article(name)
    key = epci_key(name)
    found = list(ix.epci_by_key.get(key, [])) or list(ix.epci_by_core.get(epci_core(key), []))
    if deps and found:
        inside = ix.epci_in(found, deps)
        if not inside:  # "Arras" given in the Côte-d'Or is not the CU d'Arras
            return Result("epci", statut="introuvable", candidats=" ; ".join(ix.describe(s) for s in found[:8]),
                          remarque=f"EPCI de ce nom hors du département {', '.join(deps)}")
        found = inside
    if len(found) == 1:
        nom = ix.epci[found[0]][0]
        return result(ix, found[0], "exact" if name.strip() == nom else "normalise")
    if len(found) > 1:
        return _ambiguous(ix, found, "plusieurs EPCI de ce nom")
    return Result("epci", statut="introuvable")


def by_name(ix: Index, name: str, deps: list[str], fuzzy: bool = True, words: bool = True) -> Result:
    """The EPCI a name designates; `words=False` (a name that does not say it is an EPCI) skips the
    everyday-name match, which would read "Bruay" as the CA de Béthune-Bruay."""
    res = exact(ix, name, deps)
    if res.statut != "introuvable":
        return res
    name = without_leading_article(name)
    key = epci_key(name)
    for attempt in (acronym, words_subset) if words else (acronym,):
        res = attempt(ix, name, key, deps)
        if res is not None:
            return res
    if not fuzzy:
        return Result("epci", statut="introuvable")
    return _fuzzy(ix, key, deps)


def acronym(ix: Index, name: str, key: str, deps: list[str]) -> Result | None:
    """"GPS&O", "la CARL", "CAPI": initials of an EPCI's significant words, written in capitals, unique in
    the département ("Lac" or "Ham" in lower case are names, not acronyms)."""
    letters = [ch for ch in name if ch.isalpha()]
    if not letters or sum(ch.isupper() for ch in letters) < len(letters) - (2 if len(letters) > 3 else 0) or \
            sum(ch.isupper() for ch in letters) < 3:
        return None
    words = fold(name).split()
    if not words or len(words) > 3 or any(len(w) > 6 for w in words) or any(w.isdigit() for w in words):
        return None
    compact = "".join(words)
    if not (3 <= len(compact) <= 8) or compact not in ix.epci_by_acronym:
        return None
    found = sorted(ix.epci_by_acronym[compact])
    inside = ix.epci_in(found, deps) if deps else []
    if len(inside) == 1:
        res = result(ix, inside[0], "approx")
        return res.note(f"sigle « {name.strip()} » : {res.nom_officiel}")
    if deps and not inside:
        return None
    shown = inside or found
    if len(shown) > 8:
        return None
    return _ambiguous(ix, shown, f"sigle « {name.strip()} » : plusieurs EPCI possibles, précisez le département"
                      if not deps else f"sigle « {name.strip()} » : plusieurs EPCI dans le département")


def words_subset(ix: Index, name: str, key: str, deps: list[str]) -> Result | None:
    """Every word printed belongs to one official name, at least one of them distinctive: the everyday
    name of that EPCI ("la métropole de Montpellier" = Montpellier Méditerranée Métropole)."""
    words = {w for w in epci_core(key).split() if w not in _TYPE_WORDS}
    if not words or not (words - GENERIC_EPCI_WORDS):
        return None
    found = set.intersection(*(ix.epci_by_word.get(w, set()) for w in words))
    found = [s for s in ix.epci_in(found, deps) if _names_it(ix, s, words)]
    if not found:
        return None
    kind = printed_type(key)
    if len(found) > 1 and kind:
        same = [s for s in found if ix.epci_type[s] == kind]
        found = same if len(same) == 1 else found
    if len(found) > 1:
        return _ambiguous(ix, found[:12], "plusieurs EPCI portent ces mots")
    siren = found[0]
    score = round(fuzz.token_set_ratio(epci_core(key), epci_core(epci_key(ix.epci[siren][0]))), 1)
    res = result(ix, siren, "approx", score)
    res.note(f"nom d'usage de « {res.nom_officiel} »")
    if kind and ix.epci_type[siren] and kind != ix.epci_type[siren]:
        res.note(f"le type imprimé ({_TYPE_NAMES[kind]}) diffère du type officiel "
                 f"({_TYPE_NAMES.get(ix.epci_type[siren], ix.epci_type[siren])})")
    return res


def _names_it(ix: Index, siren: str, words: set[str]) -> bool:
    """Printed words name an EPCI when they hold its first distinctive word ("Montpellier" for Montpellier
    Méditerranée Métropole, "Grand Paris Sud" for the CA Grand Paris Sud Seine Essonne Sénart) or are the
    name of one of its member communes ("Coutances"); "Mer" does not name the CU Caen la Mer."""
    members = ix.epci_member_keys.get(siren, set())
    printed = " ".join(w for w in ix.epci_order[siren] if w in words)
    as_member = printed in members or " ".join(sorted(words)) in {" ".join(sorted(m.split())) for m in members}
    if not as_member and " ".join(sorted(words)) in ix.commune_word_keys:
        return False  # "CC de Oust": Oust is a commune, not of this CC de l'Oust à Brocéliande
    distinctive = [w for w in ix.epci_order[siren] if w not in GENERIC_EPCI_WORDS]
    return as_member or bool(distinctive and distinctive[0] in words)


def _fuzzy(ix: Index, key: str, deps: list[str]) -> Result:
    if not deps and len(epci_core(key)) < 10:  # across France, a short name one letter off is another EPCI
        return Result("epci", statut="introuvable", remarque="aucun EPCI de ce nom")
    pool = ix.epci_in(ix.epci, deps) if deps else list(ix.epci)
    cutoff = FUZZY_CUTOFF if deps else 95.0
    choices = {s: epci_key(ix.epci[s][0]) for s in pool}
    hits = process.extract(key, choices, scorer=fuzz.token_sort_ratio, limit=2, score_cutoff=cutoff)
    if not hits:
        return Result("epci", statut="introuvable", remarque="aucun EPCI de ce nom")
    (_, best, s1), rivals = hits[0], [h for h in hits[1:] if hits[0][1] - h[1] < FUZZY_MARGIN]
    if rivals:
        return _ambiguous(ix, [s1] + [h[2] for h in rivals], "plusieurs EPCI approchants")
    return result(ix, s1, "approx", round(best, 1), remarque="nom approchant")
