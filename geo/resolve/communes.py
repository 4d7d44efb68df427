"""Communes by name: exact keys, communes déléguées and names from before a merger, short everyday
forms ("Ivry", "Saint-Maur") and near spellings — approximate matches only inside the hinted
département, never a choice between homonyms of different départements."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from geo.normalize import place_key, without_article, without_prefix
from geo.resolve.index import Index
from geo.resolve.result import Result

FUZZY_CUTOFF = 88.0
FUZZY_MARGIN = 4.0        # the best candidate must lead the next by this much
SUGGESTIONS = 5           # candidates offered for review when nothing is close enough
SHORT_FORM_SCORE = 90.0   # a unique short form ("Ivry" in 94): sure of the place, not of the spelling
_ARRONDISSEMENT = re.compile(r"^(paris|lyon|marseille)\s+(\d{1,2})\s*(e|er|eme|ere|ieme)?(\s+arrondissement)?$")
_ARR_BASE = {"paris": (75100, "75056"), "lyon": (69380, "69123"), "marseille": (13200, "13055")}
_INFRA_LABEL = {"commune-deleguee": "commune déléguée", "commune-associee": "commune associée",
                "arrondissement-municipal": "arrondissement municipal"}


def result(ix: Index, code: str, statut: str, score: float = 100.0, remarque: str = "") -> Result:
    nom, dep, _ = ix.communes[code]
    return Result("commune", code, nom, statut, score, remarque=remarque, departement=dep)


def candidates_list(ix: Index, codes) -> str:
    return " ; ".join(ix.describe(c) for c in codes)


def exact_candidates(ix: Index, name: str) -> tuple[list[str], str]:
    """Communes an exact (normalised) name designates, and a remark when it is a former commune."""
    key = place_key(name)
    found = list(ix.by_name.get(key, []))
    if not found and without_prefix(key) != key:
        found = list(ix.by_name.get(without_prefix(key), []))
    if not found:
        k2 = without_article(without_prefix(key))
        found = list(ix.by_name.get(k2, [])) + list(ix.by_name_loose.get(k2, []))
    if found:
        return sorted(set(found)), ""
    parents = ix.infra_by_name.get(key) or ix.infra_by_name.get(without_prefix(key)) or []
    found = sorted({p for p, kind in parents if p in ix.communes and kind != "arrondissement-municipal"})
    if found:
        return found, f"« {name.strip()} » est une commune déléguée ou associée (ancienne commune)"
    return [], ""


def by_name(ix: Index, names: list[str], deps: list[str], fuzzy: bool = True) -> Result:
    """The commune a name designates (names: the spellings to try, most literal first)."""
    names = [n for n in dict.fromkeys(n.strip() for n in names) if n]
    if not names:
        return Result("commune", statut="introuvable", remarque="nom vide")
    for name in names:
        m = _ARRONDISSEMENT.match(place_key(name))
        if m:
            base, parent = _ARR_BASE[m.group(1)]
            code = str(base + int(m.group(2)))
            if code in ix.infra and ix.infra[code][0] == parent:
                return result(ix, parent, "normalise", remarque=f"arrondissement {code} rattaché à {parent}")
    elsewhere: list[str] = []
    for name in names:
        found, remarque = exact_candidates(ix, name)
        if not found:
            continue
        inside = [c for c in found if ix.communes[c][1] in deps] if deps else found
        if len(inside) == 1:
            statut = "exact" if name == ix.communes[inside[0]][0] and not remarque else "normalise"
            res = result(ix, inside[0], statut)
            if remarque:
                res.note(f"{remarque}, rattachée à {res.code} {res.nom_officiel}")
            return res
        if len(inside) > 1:
            return Result("commune", statut="ambigu", candidats=candidates_list(ix, inside),
                          remarque="plusieurs communes de ce nom dans le département" if deps else
                          "homonymes : précisez le département")
        elsewhere = elsewhere or found
    if not fuzzy:
        if elsewhere:
            return Result("commune", statut="introuvable", candidats=candidates_list(ix, elsewhere),
                          remarque=f"aucune commune de ce nom dans le département {', '.join(deps)}")
        return Result("commune", statut="introuvable")
    short = short_form(ix, names[-1], deps)
    if short is not None:
        return short
    if deps:
        return _fuzzy(ix, names[-1], deps, elsewhere)
    if elsewhere:
        return Result("commune", statut="ambigu", candidats=candidates_list(ix, elsewhere),
                      remarque="homonymes hors du département indiqué")
    return Result("commune", statut="introuvable",
                  remarque="aucun nom identique ; indiquez le département pour chercher un nom approchant")


def short_form(ix: Index, name: str, deps: list[str]) -> Result | None:
    """"Ivry" in 94 -> Ivry-sur-Seine: accepted when exactly one commune of the département (of France
    without a département) starts with the name; several go to review with their names."""
    key = without_prefix(place_key(name))
    if len(key) < 3 or key.isdigit():
        return None
    found = ix.communes_starting(key, deps)
    if not found and without_article(key) != key:
        found = ix.communes_starting(without_article(key), deps)
    if len(found) == 1 and (deps or len(key) >= 5):
        res = result(ix, found[0], "approx", SHORT_FORM_SCORE)
        where = "du département" if deps else "de France"
        return res.note(f"forme courte : la seule commune {where} dont le nom commence par « {name.strip()} » "
                        f"est {res.nom_officiel} ({res.code})")
    if len(found) > 1:
        return Result("commune", statut="ambigu", candidats=candidates_list(ix, found[:12]),
                      remarque=f"forme courte : {len(found)} communes commencent par « {name.strip()} »")
    return None


def _fuzzy(ix: Index, name: str, deps: list[str], exact_elsewhere: list[str]) -> Result:
    key = place_key(name)
    choices: dict[str, str] = {}
    for dep in deps:
        choices.update(ix.dep_keys.get(dep, {}))
    # plain ratio: WRatio's partial matching would let "=HYPERLINK(...Calais)" pass for Calais
    found = process.extract(key, list(choices), scorer=fuzz.ratio, limit=3, score_cutoff=FUZZY_CUTOFF)
    if not found:
        res = Result("commune", statut="introuvable",
                     remarque=f"aucun nom approchant dans le département {', '.join(deps)}")
        if exact_elsewhere:
            res.candidats = candidates_list(ix, exact_elsewhere)
            res.note("homonymes dans d'autres départements")
        else:
            near = process.extract(key, list(choices), scorer=fuzz.WRatio, limit=SUGGESTIONS, score_cutoff=60)
            if near:
                res.candidats = candidates_list(ix, [choices[k] for k, _, _ in near])
                res.note("noms proches proposés")
        return res
    best_key, best_score, _ = found[0]
    rivals = [f for f in found[1:] if choices[f[0]] != choices[best_key] and best_score - f[1] < FUZZY_MARGIN]
    if rivals:
        return Result("commune", statut="ambigu", candidats=candidates_list(
            ix, [choices[best_key]] + [choices[f[0]] for f in rivals]), remarque="plusieurs noms approchants")
    return result(ix, choices[best_key], "approx", round(best_score, 1), remarque="nom approchant")
