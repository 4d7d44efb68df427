"""Communes by name: exact keys, communes déléguées and names from before a merger, short everyday
forms ("Ivry", "Saint-Maur") and near spellings — approximate matches only inside the hinted
département, never a choice between homonyms of different départements."""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from geo.resolve.index import Index
from geo.resolve.normalize import place_key, without_article, without_prefix
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


def exact_candidates(ix: Index, name: str) -> tuple[list[str], set[str]]:
    """Communes a name designates exactly: today's communes of that name or of that name with an article
    ("Lamentin" is also Le Lamentin), and the communes that absorbed a former commune of that name
    (communes déléguées/associées), all together so that none hides another; then the same after "Ville
    de", then without the article given. Returns the codes and those reached through a former commune."""
    key = place_key(name)
    for k in dict.fromkeys((key, without_prefix(key))):
        current = set(ix.by_name.get(k, [])) | set(ix.by_name_loose.get(k, []))
        former = {p for p, kind in ix.infra_by_name.get(k, []) if p in ix.communes and
                  kind != "arrondissement-municipal"} - current
        if current or former:
            return sorted(current | former), former
    k2 = without_article(without_prefix(key))
    if k2 != without_prefix(key):
        current = set(ix.by_name.get(k2, [])) | set(ix.by_name_loose.get(k2, []))
        former = {p for p, kind in ix.infra_by_name.get(k2, []) if p in ix.communes and
                  kind != "arrondissement-municipal"} - current
        return sorted(current | former), former
    return [], set()


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
        found, former = exact_candidates(ix, name)
        if not found:
            continue
        inside = [c for c in found if ix.communes[c][1] in deps] if deps else found
        if len(inside) == 1 and not deps and len(found) == 1:
            bigger = _bigger_town_starting(ix, name, inside[0])
            if bigger:  # "Évry" alone: the village of the Yonne, or Évry-Courcouronnes?
                return Result("commune", statut="ambigu", candidats=candidates_list(ix, [inside[0], *bigger]),
                              remarque="nom exact d'une petite commune et début du nom d'une commune bien plus "
                                       "peuplée : précisez le département")
        if len(inside) == 1:
            statut = "exact" if name == ix.communes[inside[0]][0] else "normalise"
            res = result(ix, inside[0], statut)
            if inside[0] in former:
                res.note(f"« {name.strip()} » est une ancienne commune (commune déléguée ou associée), "
                         f"rattachée à {res.code} {res.nom_officiel}")
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
        if elsewhere and short.resolved:
            short.note(f"homonymes exacts dans d'autres départements : {candidates_list(ix, elsewhere)}")
        return short
    if deps and elsewhere:  # the exact name exists elsewhere: a near spelling here would be a guess
        near = _near(ix, names[-1], deps)
        return Result("commune", statut="ambigu", candidats=candidates_list(ix, [*elsewhere, *near]),
                      remarque=f"aucune commune de ce nom dans le département {', '.join(deps)}, mais ce nom "
                               "existe ailleurs : vérifiez le département")
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


def _bigger_town_starting(ix: Index, name: str, code: str) -> list[str]:
    """Communes whose name starts with this one and that are ten times more populous (at least 10,000)."""
    key = without_prefix(place_key(name))
    own = ix.population.get(code, 0) or 0
    return [c for c in ix.communes_starting(key, None)
            if (ix.population.get(c, 0) or 0) >= max(10_000, 10 * own)][:5]


def _near(ix: Index, name: str, deps: list[str]) -> list[str]:
    choices: dict[str, str] = {}
    for dep in deps:
        choices.update(ix.dep_keys.get(dep, {}))
    near = process.extract(place_key(name), list(choices), scorer=fuzz.WRatio, limit=SUGGESTIONS, score_cutoff=75)
    return [choices[k] for k, _, _ in near]


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
