"""Resolve rows of any list to official codes: codes first, names otherwise, never a guess.

Every row gets a level (commune, epci, departement, region, hors_territoire) and a status:
`exact`, `normalise`, `approx` (with its score), `ambigu` (with its candidates) or `introuvable`.
Homonymous communes of different départements are never chosen between without a département
hint; fuzzy matching runs only among candidates of the right level and département.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from geo.cache import GeometryCache
from geo.columns import Columns
from geo.normalize import (
    epci_core,
    epci_key,
    fold,
    guess_level,
    place_key,
    strip_level_prefix,
    without_article,
    without_prefix,
)
from geo.store import reader

LEVELS = ("commune", "epci", "departement", "region", "hors_territoire")
STATUSES = ("exact", "normalise", "approx", "ambigu", "introuvable")
RESOLVED = ("exact", "normalise", "approx")
OUTPUT_COLUMNS = ("niveau", "code", "nom_officiel", "statut", "score", "candidats")
FUZZY_CUTOFF = 88.0
FUZZY_MARGIN = 4.0        # the best candidate must lead the next by this much
CONTEXT_SHARE = 0.95      # share of a file's resolved communes in one département to use it as context
CONTEXT_MIN_ROWS = 5

TYPE_WORDS = [  # values of a "type" column, folded, by level
    ("hors_territoire", ("federation", "comite", "cros", "cdos", "ctos", "ambassade", "association", "ligue",
                         "mouvement sportif", "organisme", "structure", "autre", "club", "etablissement")),
    ("epci", ("epci", "intercommunalite", "communaute", "metropole", "agglomeration", "cc", "ca", "cu",
              "groupement", "interco")),
    ("region", ("region", "conseil regional", "collectivite territoriale")),
    ("departement", ("departement", "conseil departemental", "conseil general")),
    ("commune", ("commune", "ville", "mairie", "municipalite", "commune nouvelle", "arrondissement")),
]


@dataclass
class Result:
    niveau: str = ""
    code: str = ""
    nom_officiel: str = ""
    statut: str = "introuvable"
    score: float | None = None
    candidats: str = ""
    remarque: str = ""
    departement: str = ""


@dataclass
class Index:
    """Lookups over the official geography, built once per store version."""

    communes: dict[str, tuple[str, str, str]] = field(default_factory=dict)   # code -> (nom, dep, reg)
    commune_by_siren: dict[str, str] = field(default_factory=dict)
    infra: dict[str, tuple[str, str, str]] = field(default_factory=dict)      # code -> (parent, type, nom)
    anciens: dict[str, str] = field(default_factory=dict)
    postcodes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_name: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_name_loose: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    infra_by_name: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # parent -> infra codes
    dep_keys: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))  # dep -> key -> code
    epci: dict[str, tuple[str, str]] = field(default_factory=dict)            # siren -> (nom, dep)
    epci_by_key: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    epci_by_core: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    epci_deps: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    deps: dict[str, str] = field(default_factory=dict)
    dep_by_key: dict[str, str] = field(default_factory=dict)
    regs: dict[str, str] = field(default_factory=dict)
    reg_by_key: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, store: Path | None = None) -> Index:
        con = reader(store)
        ix = cls()
        for code, nom, dep, reg, siren in con.execute(
                "SELECT code, nom, departement, region, siren FROM communes").fetchall():
            ix.communes[code] = (nom, dep, reg)
            if siren:
                ix.commune_by_siren[siren] = code
            key = place_key(nom)
            ix.by_name[key].append(code)
            loose = without_article(key)
            if loose != key:
                ix.by_name_loose[loose].append(code)
            ix.dep_keys[dep][key] = code
        for code, parent, kind, nom in con.execute("SELECT code, parent, type, nom FROM communes_infra").fetchall():
            if code not in ix.infra or kind == "arrondissement-municipal":
                ix.infra[code] = (parent, kind, nom)
            ix.infra_by_name[place_key(nom)].append((parent, kind))
            ix.children[parent].append(code)
        ix.anciens = dict(con.execute("SELECT ancien_code, code FROM anciens_codes").fetchall())
        for cp, code in con.execute("SELECT code_postal, code FROM codes_postaux").fetchall():
            ix.postcodes[cp].append(code)
        for siren, nom, dep in con.execute("SELECT siren, nom, departement FROM epci").fetchall():
            ix.epci[siren] = (nom, dep)
            key = epci_key(nom)
            ix.epci_by_key[key].append(siren)
            ix.epci_by_core[epci_core(key)].append(siren)
        for siren, dep in con.execute("SELECT DISTINCT epci, departement FROM communes WHERE epci IS NOT NULL"
                                      ).fetchall():
            ix.epci_deps[siren].add(dep)
        for code, nom in con.execute("SELECT code, nom FROM departements").fetchall():
            ix.deps[code] = nom
            ix.dep_by_key[place_key(nom)] = code
        for code, nom in con.execute("SELECT code, nom FROM regions").fetchall():
            ix.regs[code] = nom
            ix.reg_by_key[place_key(nom)] = code
        return ix

    def describe(self, code: str) -> str:
        nom, dep, _ = self.communes[code]
        return f"{code} {nom} ({dep})"


_indexes = GeometryCache(size=2)


def index(store: Path | None = None) -> Index:
    """The lookups of a store's geography, rebuilt only when the geography itself was rebuilt."""
    return _indexes.get(store, (), lambda: Index.load(store))


# ---------------------------------------------------------------- cleaning of cells

def clean_code(value: str) -> str:
    text = str(value or "").strip().upper().replace(" ", "").replace("\u00a0", "")
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text


_ARRONDISSEMENT = re.compile(r"^(paris|lyon|marseille)\s+(\d{1,2})\s*(e|er|eme|ere|ieme)?(\s+arrondissement)?$")
_ARR_BASE = {"paris": (75100, "75056"), "lyon": (69380, "69123"), "marseille": (13200, "13055")}


def departement_of_hint(value: str, ix: Index) -> list[str]:
    """Département codes a cell points to: a code ("62", "2A", "971", "6"), a name, or "62 - Pas-de-Calais"."""
    text = str(value or "").strip()
    if not text:
        return []
    code = clean_code(text.split(" ")[0].split("-")[0]) if text[:1].isdigit() or text[:2].upper() in ("2A", "2B") \
        else ""
    if code:
        if code.isdigit() and len(code) == 1:
            code = code.zfill(2)
        if code in ix.deps:
            return [code]
        if code.isdigit() and len(code) == 5:  # a postcode given as département hint
            return postcode_departements(code, ix)
    key = strip_level_prefix(place_key(text), "departement")
    return [ix.dep_by_key[key]] if key in ix.dep_by_key else []


def postcode_departements(value: str, ix: Index) -> list[str]:
    cp = clean_code(value)
    if cp.isdigit() and len(cp) == 4:
        cp = cp.zfill(5)
    return sorted({ix.communes[c][1] for c in ix.postcodes.get(cp, [])})


def level_of_type(value: str) -> str | None:
    key = fold(value)
    if not key:
        return None
    for level, words in TYPE_WORDS:
        if any(key == w or key.startswith(w + " ") for w in words):
            return level
    return guess_level(value)


# ---------------------------------------------------------------- resolution of one row

class Resolver:
    """Resolves rows against one store's geography (the index is the state worth keeping)."""

    def __init__(self, store: Path | None = None):
        self.ix = index(store)

    # codes ------------------------------------------------------------
    def by_code(self, code: str, level: str | None) -> Result | None:
        ix = self.ix
        if not code:
            return None
        if code.isdigit() and len(code) == 9:
            if level in (None, "epci") and code in ix.epci:
                nom, dep = ix.epci[code]
                return Result("epci", code, nom, "exact", 100.0, departement=dep or "")
            if level in (None, "commune") and code in ix.commune_by_siren:
                c = ix.commune_by_siren[code]
                return self._commune(c, "exact", remarque="SIREN de la commune")
            return None
        if level in (None, "commune") and (len(code) == 5 or (code.isdigit() and len(code) == 4)):
            c = code.zfill(5) if code.isdigit() else code
            note = "code sans le zéro initial" if c != code else ""
            if c in ix.communes:
                return self._commune(c, "exact" if not note else "normalise", remarque=note)
            if c in ix.infra:
                parent, kind, nom = ix.infra[c]
                label = {"commune-deleguee": "commune déléguée", "commune-associee": "commune associée",
                         "arrondissement-municipal": "arrondissement municipal"}[kind]
                return self._commune(parent, "normalise", remarque=f"{c} {nom} : {label}, rattachée à {parent}")
            if c in ix.anciens:
                new = ix.anciens[c]
                return self._commune(new, "normalise", remarque=f"ancien code {c}, aujourd'hui {new}")
            return None
        if level in (None, "departement") and len(code) in (1, 2, 3):
            d = code.zfill(2) if code.isdigit() and len(code) == 1 else code
            if d in ix.deps:
                return Result("departement", d, ix.deps[d], "exact", 100.0, departement=d)
        if level == "region" and code in ix.regs:
            return Result("region", code, ix.regs[code], "exact", 100.0)
        return None

    def _commune(self, code: str, statut: str, score: float = 100.0, remarque: str = "") -> Result:
        nom, dep, _ = self.ix.communes[code]
        return Result("commune", code, nom, statut, score, remarque=remarque, departement=dep)

    # names ------------------------------------------------------------
    def commune_by_name(self, name: str, deps: list[str], fuzzy: bool = True) -> Result:
        ix = self.ix
        key = place_key(name)
        m = _ARRONDISSEMENT.match(key)
        if m:
            base, parent = _ARR_BASE[m.group(1)]
            code = str(base + int(m.group(2)))
            if code in ix.infra and ix.infra[code][0] == parent:
                return self._commune(parent, "normalise", remarque=f"arrondissement {code} rattaché à {parent}")
        statut = "exact" if name.strip() in {ix.communes[c][0] for c in ix.by_name.get(key, [])} else "normalise"
        remarque = ""
        candidates = list(ix.by_name.get(key, []))
        if not candidates and without_prefix(key) != key:
            candidates = list(ix.by_name.get(without_prefix(key), []))
        if not candidates:
            k2 = without_article(without_prefix(key))
            candidates = list(ix.by_name.get(k2, [])) + list(ix.by_name_loose.get(k2, []))
        if not candidates:
            parents = ix.infra_by_name.get(key) or ix.infra_by_name.get(without_prefix(key)) or []
            candidates = sorted({p for p, _ in parents if p in ix.communes})
            if candidates:
                remarque = f"« {name.strip()} » est une commune déléguée ou associée"
        candidates = sorted(set(candidates))
        if candidates:
            inside = [c for c in candidates if ix.communes[c][1] in deps] if deps else candidates
            if len(inside) == 1:
                res = self._commune(inside[0], statut, remarque=remarque)
                if remarque:
                    res.remarque = f"{remarque}, rattachée à {res.code} {res.nom_officiel}"
                return res
            if len(inside) > 1:
                return self._ambiguous("commune", inside, "homonymes : précisez le département"
                                       if not deps else "plusieurs communes de ce nom dans le département")
            if deps and not fuzzy:
                return Result("commune", statut="introuvable",
                              remarque=f"aucune commune de ce nom dans le département {', '.join(deps)}",
                              candidats=self._list(candidates))
        if fuzzy and deps:
            return self._fuzzy_commune(key, deps, candidates)
        if candidates:  # homonyms outside the hinted département
            return Result("commune", statut="ambigu", candidats=self._list(candidates),
                          remarque="homonymes hors du département indiqué")
        return Result("commune", statut="introuvable",
                      remarque="" if deps else "aucun nom identique ; indiquez le département pour chercher un "
                                               "nom approchant")

    def _fuzzy_commune(self, key: str, deps: list[str], exact_elsewhere: list[str]) -> Result:
        choices = {}
        for dep in deps:
            choices.update(self.ix.dep_keys.get(dep, {}))
        # plain ratio: WRatio's partial matching would let "=HYPERLINK(...Calais)" pass for Calais
        found = process.extract(key, list(choices), scorer=fuzz.ratio, limit=3, score_cutoff=FUZZY_CUTOFF)
        if not found:
            res = Result("commune", statut="introuvable", remarque=f"aucun nom approchant dans le département "
                                                                   f"{', '.join(deps)}")
            if exact_elsewhere:
                res.candidats = self._list(exact_elsewhere)
                res.remarque += " (homonymes dans d'autres départements)"
            return res
        best_key, best_score, _ = found[0]
        rivals = [f for f in found[1:] if choices[f[0]] != choices[best_key] and best_score - f[1] < FUZZY_MARGIN]
        if rivals:
            return self._ambiguous("commune", [choices[best_key]] + [choices[f[0]] for f in rivals],
                                   "plusieurs noms approchants")
        res = self._commune(choices[best_key], "approx", round(best_score, 1))
        res.remarque = "nom approchant"
        return res

    def _ambiguous(self, level: str, codes: list[str], remarque: str) -> Result:
        return Result(level, statut="ambigu", candidats=self._list(codes), remarque=remarque)

    def _list(self, codes: list[str]) -> str:
        ix = self.ix
        parts = []
        for c in codes:
            if c in ix.communes:
                parts.append(ix.describe(c))
            elif c in ix.epci:
                parts.append(f"{c} {ix.epci[c][0]}")
        return " ; ".join(parts)

    def epci_by_name(self, name: str, deps: list[str], fuzzy: bool = True) -> Result:
        ix = self.ix
        key = epci_key(name)
        found = list(ix.epci_by_key.get(key, [])) or list(ix.epci_by_core.get(epci_core(key), []))
        if deps and len(found) > 1:
            found = [s for s in found if ix.epci_deps[s] & set(deps)] or found
        if len(found) == 1:
            nom, dep = ix.epci[found[0]]
            statut = "exact" if name.strip() == nom else "normalise"
            return Result("epci", found[0], nom, statut, 100.0, departement=dep or "")
        if len(found) > 1:
            return self._ambiguous("epci", found, "plusieurs EPCI de ce nom")
        if not fuzzy:
            return Result("epci", statut="introuvable")
        pool = [s for s in ix.epci if not deps or ix.epci_deps[s] & set(deps)]
        cutoff = FUZZY_CUTOFF if deps else 92.0
        choices = {s: epci_key(ix.epci[s][0]) for s in pool}
        hits = process.extract(key, choices, scorer=fuzz.token_sort_ratio, limit=2, score_cutoff=cutoff)
        if not hits:
            return Result("epci", statut="introuvable", remarque="aucun EPCI de ce nom")
        (_, best, s1), rivals = hits[0], [h for h in hits[1:] if hits[0][1] - h[1] < FUZZY_MARGIN]
        if rivals:
            return self._ambiguous("epci", [s1] + [h[2] for h in rivals], "plusieurs EPCI approchants")
        nom, dep = ix.epci[s1]
        return Result("epci", s1, nom, "approx", round(best, 1), remarque="nom approchant", departement=dep or "")

    def departement_by_name(self, name: str) -> Result:
        ix = self.ix
        key = strip_level_prefix(place_key(name), "departement")
        m = re.match(r"^(?:cd|departement)?\s*(\d{2,3}|2a|2b)$", key)
        code = ix.dep_by_key.get(key) or ix.dep_by_key.get(without_article(key))
        if code is None and m and m.group(1).upper() in ix.deps:
            code = m.group(1).upper()
        if code is None:
            return Result("departement", statut="introuvable")
        statut = "exact" if name.strip() == ix.deps[code] else "normalise"
        return Result("departement", code, ix.deps[code], statut, 100.0, departement=code)

    def region_by_name(self, name: str) -> Result:
        ix = self.ix
        key = strip_level_prefix(place_key(name), "region")
        code = ix.reg_by_key.get(key) or ix.reg_by_key.get(without_article(key))
        if code is None:
            return Result("region", statut="introuvable")
        statut = "exact" if name.strip() == ix.regs[code] else "normalise"
        return Result("region", code, ix.regs[code], statut, 100.0)

    # a whole row ------------------------------------------------------
    def resolve(self, name: str = "", code: str = "", deps: list[str] | None = None, level: str | None = None,
                type_value: str = "") -> Result:
        name = str(name or "").strip()
        deps = deps or []
        code = clean_code(code)
        level = level or (level_of_type(type_value) if type_value else None)
        announced = guess_level(name) if name else None
        if level is None and announced in ("hors_territoire", "epci", "region") or \
                (level is None and announced == "departement" and not code):
            level = announced
        if level == "hors_territoire":
            return Result("hors_territoire", nom_officiel=name, statut="exact" if type_value else "normalise",
                          score=100.0, remarque="organisme sans territoire : listé, jamais cartographié")

        res = self.by_code(code, level)
        if res is not None:
            return self._check_name(res, name, deps)
        note = f"code {code} inconnu ; résolu par le nom" if code else ""
        if not name:
            return Result(level or "", statut="introuvable",
                          remarque=f"code {code} inconnu" if code else "ni nom ni code")
        res = self._by_name(name, deps, level)
        if note:
            res.remarque = f"{note}. {res.remarque}".strip(". ") if res.remarque else note
        return res

    def _by_name(self, name: str, deps: list[str], level: str | None) -> Result:
        if level == "commune":
            return self.commune_by_name(name, deps)
        if level == "epci":
            return self.epci_by_name(name, deps)
        if level == "departement":
            return self.departement_by_name(name)
        if level == "region":
            return self.region_by_name(name)
        # level unknown: exact lookups at every level first, fuzzy only afterwards
        res = self.commune_by_name(name, deps, fuzzy=False)
        if res.statut != "introuvable" or res.candidats:
            return res
        for attempt in (lambda: self.epci_by_name(name, deps, fuzzy=False), lambda: self.departement_by_name(name),
                        lambda: self.region_by_name(name)):
            other = attempt()
            if other.statut != "introuvable":
                return other
        return self.commune_by_name(name, deps) if deps else res

    def _check_name(self, res: Result, name: str, deps: list[str]) -> Result:
        """A code and a name that designate two different places go to review."""
        if not name or res.niveau not in ("commune", "epci"):
            return res
        if res.niveau == "epci":
            score = fuzz.token_set_ratio(epci_core(epci_key(name)), epci_core(epci_key(res.nom_officiel)))
            if score >= 70:
                return res
            by_name = self.epci_by_name(name, deps, fuzzy=False)
        else:
            given = without_prefix(place_key(name))
            official = place_key(res.nom_officiel)
            names = {official, without_article(official)}
            names |= {place_key(self.ix.infra[c][2]) for c in self._infra_codes(res.code)}
            if given in names or without_article(given) in names or fuzz.WRatio(given, official) >= 85:
                return res
            by_name = self.commune_by_name(name, deps or [res.departement], fuzzy=False)
        if by_name.statut in RESOLVED and by_name.code != res.code:
            return Result(res.niveau, statut="ambigu", candidats=self._list([res.code, by_name.code]),
                          remarque="le code et le nom désignent deux lieux différents")
        res.remarque = (res.remarque + " ; " if res.remarque else "") + f"nom donné « {name} » différent"
        return res

    def _infra_codes(self, parent: str) -> list[str]:
        return self.ix.children.get(parent, [])


# ---------------------------------------------------------------- a whole table

def resolve_frame(df: pd.DataFrame, cols: Columns, level: str = "auto", departement: str | None = None,
                  store: Path | None = None) -> pd.DataFrame:
    """One result per row of df, aligned on its index; the file's context département is used for
    rows that stay ambiguous or unknown when nearly all its communes lie in one département."""
    resolver = Resolver(store)
    ix = resolver.ix
    forced_level = None if level in (None, "", "auto") else level
    fixed = departement_of_hint(departement, ix) if departement else []

    def hints(i) -> list[str]:
        if fixed:
            return fixed
        if cols.departement:
            found = departement_of_hint(df.at[i, cols.departement], ix)
            if found:
                return found
        if cols.code_postal:
            return postcode_departements(df.at[i, cols.code_postal], ix)
        return []

    def cell(i, column):
        return df.at[i, column] if column else ""

    rows = {}
    for i in df.index:
        rows[i] = resolver.resolve(cell(i, cols.nom), cell(i, cols.code), hints(i), forced_level, cell(i, cols.type))

    if not fixed:
        deps = Counter(r.departement for r in rows.values() if r.niveau == "commune" and r.statut in ("exact",
                                                                                                      "normalise"))
        total = sum(deps.values())
        if total >= CONTEXT_MIN_ROWS:
            dep, count = deps.most_common(1)[0]
            if count / total >= CONTEXT_SHARE:
                for i, r in rows.items():
                    if r.statut in ("ambigu", "introuvable") and r.niveau in ("commune", "") and cols.nom and \
                            not hints(i):
                        retry = resolver.resolve(cell(i, cols.nom), cell(i, cols.code), [dep], forced_level,
                                                 cell(i, cols.type))
                        if retry.statut in RESOLVED:
                            retry.remarque = (f"département {dep} déduit du fichier ; " + retry.remarque).strip(" ;")
                            rows[i] = retry
    out = pd.DataFrame([r.__dict__ for r in rows.values()], index=list(rows))
    return out
