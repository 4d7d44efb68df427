"""One row to one place: codes first, then names at the level the row announces; a name that fits several
levels ("Vienne": a commune of Isère and a département) is never settled without a word or a context."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from geo.resolve import communes, epci, memory, territories
from geo.resolve.cells import Cell, parse
from geo.resolve.context import clean_code
from geo.resolve.index import Index, index
from geo.resolve.normalize import epci_core, epci_key, fold, guess_level, place_key, without_article, without_prefix
from geo.resolve.result import RESOLVED, Result

TYPE_WORDS = [  # values of a "type" column, folded, by level
    ("hors_territoire", ("federation", "comite", "cros", "cdos", "ctos", "ambassade", "association", "ligue",
                         "mouvement sportif", "organisme", "structure", "autre", "club", "etablissement")),
    ("ept", ("ept", "etablissement public territorial", "territoire du grand paris")),
    ("epci", ("epci", "intercommunalite", "communaute", "metropole", "agglomeration", "cc", "ca", "cu",
              "groupement", "interco")),
    ("region", ("region", "conseil regional", "collectivite territoriale")),
    ("departement", ("departement", "conseil departemental", "conseil general")),
    ("commune", ("commune", "ville", "mairie", "municipalite", "commune nouvelle", "arrondissement")),
]
LEVEL_NAMES = {"commune": "une commune", "epci": "un EPCI", "ept": "un territoire du Grand Paris (EPT)",
               "departement": "un département", "region": "une région"}


@lru_cache(maxsize=4096)
def level_of_type(value: str) -> str | None:
    key = fold(value)
    if not key:
        return None
    for level, words in TYPE_WORDS:
        if any(key == w or key.startswith(w + " ") for w in words):
            return level
    return guess_level(value)


class Resolver:
    """Resolves rows against one store's geography and remembered names."""

    def __init__(self, store: Path | None = None, remembered: bool = True):
        self.ix: Index = index(store)
        self.memory = memory.load(store) if remembered else {}

    # ------------------------------------------------------------------ entry point
    def resolve(self, name: str = "", code: str = "", deps: list[str] | None = None, level: str | None = None,
                type_value: str = "", cell: Cell | None = None) -> Result:
        ix = self.ix
        cell = cell or parse(name, ix)
        deps = cell.deps or list(deps or [])
        code = clean_code(code)
        level = level or (level_of_type(type_value) if type_value else None)
        if level is None and cell.level and (cell.level != "departement" or not code):
            level = cell.level
        if level == "hors_territoire" and not type_value and communes.exact_candidates(ix, cell.name)[0]:
            level = None  # "Cros", "L'Union", "Sarre-Union" are communes before they are sports bodies
        if level == "hors_territoire":
            return Result("hors_territoire", nom_officiel=cell.raw.strip(), statut="exact" if type_value else
                          "normalise", score=100.0, remarque="organisme sans territoire : listé, jamais cartographié")
        key = memory.key(cell.name or cell.key_name, deps)
        res = territories.by_code(ix, code, None if level == "collectivite" else level)
        if res is not None:
            res = self._check_name(res, cell, deps)
        elif not (cell.name or cell.key_name) and not (level == "region" and cell.title):
            res = Result(level or "", statut="introuvable", remarque=f"code {code} inconnu" if code else
                         "ni nom ni code")
        else:
            res = self._remembered(key) or self._by_name(cell, deps, level)
            if code:
                res.note(f"code {code} inconnu ; résolu par le nom", first=True)
        res.cle = key
        return res

    def by_code(self, code: str, level: str | None = None) -> Result | None:
        return territories.by_code(self.ix, code, level)

    def commune_by_name(self, name: str, deps: list[str], fuzzy: bool = True) -> Result:
        cell = parse(name, self.ix)
        return communes.by_name(self.ix, [cell.key_name, cell.name], cell.deps or deps, fuzzy=fuzzy)

    def settle(self, res: Result, level: str, why: str) -> Result:
        """Choose one level of a row ambiguous across levels, for a reason the remark gives."""
        chosen = territories.by_code(self.ix, res.options[level], level)
        if chosen is None:
            return res
        chosen.statut, chosen.cle = "normalise", res.cle
        return chosen.note(why)

    # ------------------------------------------------------------------ names
    def _remembered(self, key: str) -> Result | None:
        hit = self.memory.get(key)
        if hit is None:
            return None
        if hit.niveau == memory.DISMISSED:
            return Result("", statut="ecarte", remarque=f"écartée à la main le {hit.quand:%d/%m/%Y}"
                          + (f" (import n° {hit.import_id})" if hit.import_id else "")
                          + " : à oublier dans « Noms retenus » pour la reprendre")
        res = territories.by_code(self.ix, hit.code, hit.niveau)
        if res is None:
            return None
        res.statut = "normalise"
        return res.note(f"nom retenu : corrigé à la main le {hit.quand:%d/%m/%Y}"
                        + (f" (import n° {hit.import_id})" if hit.import_id else ""))

    def _by_name(self, cell: Cell, deps: list[str], level: str | None) -> Result:
        ix = self.ix
        names = [cell.full, cell.key_name, cell.name]
        if level == "commune":
            return communes.by_name(ix, names, deps)
        if level == "epci":
            res = epci.by_name(ix, cell.name or cell.key_name, deps)
            if res.statut == "introuvable" and ix.ept:
                other = territories.ept(ix, cell.name)
                return other if other.statut != "introuvable" else res
            return res
        if level == "ept":
            return territories.ept(ix, cell.name)
        if level == "departement":
            return territories.departement(ix, cell.name)
        if level == "region":
            return territories.region(ix, cell.name) if cell.name else territories.region_of(ix, deps)
        if level == "collectivite":  # "Collectivité territoriale de Guyane": the département, else the région
            res = territories.departement(ix, cell.name)
            return res if res.statut != "introuvable" else territories.region(ix, cell.name)
        return self._any_level(cell, deps)

    def _any_level(self, cell: Cell, deps: list[str]) -> Result:
        """Exact lookups at every level first; approximations only when no level knows the name."""
        ix = self.ix
        names = [cell.full, cell.key_name, cell.name]
        town = communes.by_name(ix, names, deps, fuzzy=False)
        found: dict[str, Result] = {}
        if town.resolved:
            found["commune"] = town
        dep = territories.departement(ix, cell.name)
        if dep.resolved and (not deps or dep.code in deps):
            found["departement"] = dep
        reg = territories.region(ix, cell.name)
        if reg.resolved and (not deps or any(ix.dep_region.get(d) == reg.code for d in deps)):
            found["region"] = reg
        if not found and town.statut != "ambigu":  # "Arras" is the town, not the CU d'Arras
            group = epci.exact(ix, cell.name, deps)
            if group.resolved and (not deps or ix.epci_deps[group.code] & set(deps)):
                found["epci"] = group
        if ix.ept:
            terr = territories.ept(ix, cell.name)
            if terr.resolved and terr.statut != "approx":
                found["ept"] = terr
        if town.statut == "ambigu" and found:  # homonymous communes and another level: all to review
            return self._across_levels(found, town)
        if len(found) == 1:
            return next(iter(found.values()))
        if len(found) > 1:
            return self._across_levels(found)
        if town.statut == "ambigu":
            return town
        # "Pays du Clermontois" names an EPCI without saying so; any other bare name is a commune first
        group = epci.by_name(ix, cell.name, deps, fuzzy=False, words=fold(cell.name).startswith("pays "))
        if group.statut != "introuvable":
            return group
        if ix.ept:
            terr = territories.ept(ix, cell.name)
            if terr.statut != "introuvable":
                return terr
        return communes.by_name(ix, names, deps)

    def _across_levels(self, found: dict[str, Result], homonyms: Result | None = None) -> Result:
        ix = self.ix
        parts = []
        for level, res in found.items():
            parts.append(ix.describe(res.code) if level not in ("departement", "region") else
                         f"{res.code} {'Département' if level == 'departement' else 'Région'} {res.nom_officiel}")
        if homonyms is not None:
            parts = [homonyms.candidats] + parts
        levels = ([] if homonyms is None else ["commune"]) + list(found)
        named = " et ".join(LEVEL_NAMES[lv] for lv in dict.fromkeys(levels))
        res = Result("", statut="ambigu", candidats=" ; ".join(parts),
                     remarque=f"ce nom désigne {named} : choisissez le bon candidat")
        res.options = {lv: r.code for lv, r in found.items()}
        return res

    def _usual_short_form(self, res: Result, given: set[str], others: list[str], deps: list[str]) -> bool:
        """The code's commune under its usual short name (« Montreuil » for 62588 Montreuil-sur-Mer): the code
        decides, unless a commune of exactly that name shares its département (or the list's)."""
        official = place_key(res.nom_officiel)
        if not any(g and official.startswith(g + " ") for g in given):
            return False
        dep = self.ix.communes[res.code][1] if res.code in self.ix.communes else ""
        if not dep or (deps and dep not in deps):
            return False
        near = {dep, *deps}
        return not [c for c in others if c in self.ix.communes and self.ix.communes[c][1] in near]

    def _check_name(self, res: Result, cell: Cell, deps: list[str]) -> Result:
        """A code and a name that designate two different places go to review."""
        name = cell.name or cell.key_name
        if not name or res.niveau not in ("commune", "epci"):
            return res
        if res.niveau == "epci":
            score = fuzz.token_set_ratio(epci_core(epci_key(name)), epci_core(epci_key(res.nom_officiel)))
            if score >= 70:
                return res
            by_name = epci.exact(self.ix, name, deps)
        else:
            if cell.full != cell.key_name:  # "Castillon (Canton de Lembeye)" is a commune of its own
                full, _ = communes.exact_candidates(self.ix, cell.full)
                if res.code in full:
                    return res
                if full:
                    return Result(res.niveau, statut="ambigu", candidats=communes.candidates_list(
                        self.ix, [res.code, *full[:8]]), remarque="le code et le nom désignent deux lieux différents")
            given = {without_prefix(place_key(n)) for n in (cell.key_name, cell.name) if n}
            official = place_key(res.nom_officiel)
            names = {official, without_article(official)}
            names |= {place_key(self.ix.infra[c][2]) for c in self.ix.children.get(res.code, [])}
            if given & names or {without_article(g) for g in given} & names:
                return res
            # a short form of the official name, or a spelling one or two letters off, with no other commune
            # of that exact name: the same place
            found, _ = communes.exact_candidates(self.ix, cell.name or cell.key_name)
            close = any(official.startswith(g + " ") or fuzz.ratio(g, official) >= 90 for g in given)
            if close and not [c for c in found if c != res.code]:
                return res.note(f"nom donné « {cell.raw.strip()} » proche du nom officiel")
            others = [c for c in found if c != res.code]
            if self._usual_short_form(res, given, others, deps):
                return res.note(f"nom donné « {cell.raw.strip()} », nom usuel (forme courte) du nom officiel")
            if others:
                return Result(res.niveau, statut="ambigu", candidats=communes.candidates_list(
                    self.ix, [res.code, *others[:8]]), remarque="le code et le nom désignent deux lieux différents")
            return res.note(f"nom donné « {cell.raw.strip()} » différent du nom officiel : vérifiez le code")
        if by_name.statut in RESOLVED and by_name.code != res.code:
            return Result(res.niveau, statut="ambigu", candidats=communes.candidates_list(
                self.ix, [res.code, by_name.code]), remarque="le code et le nom désignent deux lieux différents")
        return res.note(f"nom donné « {cell.raw.strip()} » différent")
