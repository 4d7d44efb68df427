"""Lookups over one store's official geography, built once per build of the store."""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from geo.resolve.normalize import epci_core, epci_key, fold, place_key, without_article
from geo.store import reader
from geo.store.identity import GeometryCache

# Words of an EPCI name that say what it is, not which one it is: never enough to identify one.
GENERIC_EPCI_WORDS = {
    "ca", "cc", "cu", "metropole", "communaute", "communes", "agglomeration", "agglo", "agglopole", "grand",
    "pays", "region", "territoire", "territoires", "intercommunalite", "interco", "commune", "ville", "val",
    "vallee", "vallees", "coeur", "terre", "terres", "sud", "nord", "est", "ouest", "haut", "haute", "hautes",
    "bas", "basse", "centre", "plaine", "plateau", "portes", "porte", "rives", "rive", "cotes", "cote",
    "urbaine", "en", "sur", "sous", "lez", "les", "aux", "au", "a", "y", "communautaire",
}
_PAREN = re.compile(r"\(([^()]*)\)")
_LINKS = {"de", "du", "des", "d", "la", "le", "les", "l", "et"}


@dataclass
class Index:
    """Every lookup the resolver needs, by code and by name key."""

    communes: dict[str, tuple[str, str, str]] = field(default_factory=dict)   # code -> (nom, dep, reg)
    commune_by_siren: dict[str, str] = field(default_factory=dict)
    commune_epci: dict[str, str] = field(default_factory=dict)
    population: dict[str, int] = field(default_factory=dict)
    commune_word_keys: set[str] = field(default_factory=set)  # commune names as sorted significant words
    infra: dict[str, tuple[str, str, str]] = field(default_factory=dict)      # code -> (parent, type, nom)
    anciens: dict[str, str] = field(default_factory=dict)
    postcodes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_name: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_name_loose: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    infra_by_name: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # parent -> infra codes
    dep_keys: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))  # dep -> key -> code
    dep_sorted: dict[str, list[str]] = field(default_factory=dict)           # dep -> sorted commune keys
    all_sorted: list[tuple[str, str]] = field(default_factory=list)          # (key, code), sorted
    epci: dict[str, tuple[str, str]] = field(default_factory=dict)            # siren -> (nom, dep)
    epci_type: dict[str, str] = field(default_factory=dict)                  # siren -> ca/cc/cu/metropole
    epci_by_key: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    epci_by_core: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    epci_words: dict[str, set[str]] = field(default_factory=dict)            # siren -> significant words
    epci_by_word: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    epci_order: dict[str, list[str]] = field(default_factory=dict)           # siren -> core words in order
    epci_member_keys: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    epci_by_acronym: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    epci_deps: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    deps: dict[str, str] = field(default_factory=dict)
    dep_region: dict[str, str] = field(default_factory=dict)
    dep_by_key: dict[str, str] = field(default_factory=dict)
    regs: dict[str, str] = field(default_factory=dict)
    reg_by_key: dict[str, str] = field(default_factory=dict)
    reg_deps: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    ept: dict[str, tuple[str, str]] = field(default_factory=dict)             # siren -> (nom, dep)
    ept_by_key: dict[str, str] = field(default_factory=dict)
    ept_by_number: dict[int, str] = field(default_factory=dict)
    ept_by_acronym: dict[str, str] = field(default_factory=dict)
    ept_words: dict[str, set[str]] = field(default_factory=dict)
    memo: dict[str, dict] = field(default_factory=dict, repr=False, compare=False)  # per-index tables (resolve/context)

    @classmethod
    def load(cls, store: Path | None = None) -> Index:
        con = reader(store)
        ix = cls()
        for code, nom, dep, reg, siren, epci, population in con.execute(
                "SELECT code, nom, departement, region, siren, epci, population FROM communes").fetchall():
            ix.communes[code] = (nom, dep, reg)
            ix.population[code] = population or 0
            if siren:
                ix.commune_by_siren[siren] = code
            if epci:
                ix.commune_epci[code] = epci
                ix.epci_deps[epci].add(dep)
                ix.epci_member_keys[epci].add(" ".join(w for w in place_key(nom).split() if w not in _LINKS))
            key = place_key(nom)
            ix.by_name[key].append(code)
            loose = without_article(key)
            if loose != key:
                ix.by_name_loose[loose].append(code)
            ix.dep_keys[dep][key] = code
            ix.commune_word_keys.add(" ".join(sorted(w for w in key.split() if w not in _LINKS)))
        ix.dep_sorted = {dep: sorted(keys) for dep, keys in ix.dep_keys.items()}
        ix.all_sorted = sorted((k, c) for k, codes in ix.by_name.items() for c in codes)
        for code, parent, kind, nom in con.execute("SELECT code, parent, type, nom FROM communes_infra").fetchall():
            if code not in ix.infra or kind == "arrondissement-municipal":
                ix.infra[code] = (parent, kind, nom)
            ix.infra_by_name[place_key(nom)].append((parent, kind))
            ix.children[parent].append(code)
        ix.anciens = dict(con.execute("SELECT ancien_code, code FROM anciens_codes").fetchall())
        for cp, code in con.execute("SELECT code_postal, code FROM codes_postaux").fetchall():
            ix.postcodes[cp].append(code)
        for siren, nom, dep, kind in con.execute("SELECT siren, nom, departement, type FROM epci").fetchall():
            ix.add_epci(siren, nom, dep, kind)
        for code, nom, region in con.execute("SELECT code, nom, region FROM departements").fetchall():
            ix.deps[code] = nom
            ix.dep_region[code] = region
            ix.dep_by_key[place_key(nom)] = code
            ix.reg_deps[region].append(code)
        for code, nom in con.execute("SELECT code, nom FROM regions").fetchall():
            ix.regs[code] = nom
            ix.reg_by_key[place_key(nom)] = code
        ix._load_ept(con)
        return ix

    def add_epci(self, siren: str, nom: str, dep: str, kind: str | None) -> None:
        self.epci[siren] = (nom, dep)
        self.epci_type[siren] = {"CA": "ca", "CC": "cc", "CU": "cu", "METRO": "metropole",
                                 "MET69": "metropole"}.get(kind or "", "")
        aside = [a for a in _PAREN.findall(nom) if a.strip()]
        bare = _PAREN.sub(" ", nom)
        key = epci_key(bare)
        self.epci_by_key[key].append(siren)
        if epci_key(nom) != key:
            self.epci_by_key[epci_key(nom)].append(siren)
        self.epci_by_core[epci_core(key)].append(siren)
        self.epci_order[siren] = epci_core(key).split()
        words = set(self.epci_order[siren])
        self.epci_words[siren] = words
        for w in words:
            self.epci_by_word[w].add(siren)
        for acronym in acronyms(key, self.epci_type[siren]):
            self.epci_by_acronym[acronym].add(siren)
        for a in aside:  # "(CAPI)", "(CC VBA)": the acronym the EPCI gives itself
            folded = fold(a).replace(" ", "")
            if 2 < len(folded) <= 10 and folded.isalpha():
                self.epci_by_acronym[folded].add(siren)

    def _load_ept(self, con) -> None:
        """Grand Paris territories (EPT), when the store has them."""
        try:
            columns = {r[0] for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = 'ept'").fetchall()}
            if not columns:
                return  # a store built before the EPT were modelled
            numero = "numero" if "numero" in columns else "NULL"
            sigle = "sigle" if "sigle" in columns else "NULL"
            rows = con.execute(f"SELECT siren, nom, departement, {numero}, {sigle} FROM ept").fetchall()
        except duckdb.Error:
            return
        for siren, nom, dep, num, acronym in rows:
            self.ept[siren] = (nom, dep)
            # "#ParisEstMarne&Bois" is also written "Paris Est Marne & Bois"
            spelled = re.sub(r"(?<=[a-zà-ÿ])(?=[A-Z])", " ", nom.replace("#", " ").replace("&", " et "))
            key = place_key(spelled)
            self.ept_by_key[place_key(nom)] = siren
            self.ept_by_key[key] = siren
            self.ept_by_key[key.replace(" et ", " ")] = siren
            words = key.replace(" et ", " ").split()
            self.ept_words[siren] = set(words) - {"de", "du", "des", "d", "la", "le", "les", "l"}
            if num is not None:
                self.ept_by_number[int(num)] = siren
            initials = {"".join(w[0] for w in words),
                        "".join(w[0] for w in words if w not in ("de", "du", "des", "d", "la", "le", "les", "l"))}
            for a in initials | ({fold(acronym).replace(" ", "")} if acronym else set()):
                if len(a) >= 3:
                    self.ept_by_acronym[a] = siren

    # ------------------------------------------------------------------ helpers
    def describe(self, code: str) -> str:
        """A candidate as the review list shows it: code first, so a pick gives the code."""
        if code in self.communes:
            nom, dep, _ = self.communes[code]
            return f"{code} {nom} ({dep})"
        if code in self.epci:
            return f"{code} {self.epci[code][0]}"
        if code in self.ept:
            return f"{code} {self.ept[code][0]} (EPT)"
        if code in self.deps:
            return f"{code} Département {self.deps[code]}"
        return code

    def communes_starting(self, key: str, deps: list[str] | None) -> list[str]:
        """Communes whose name key starts with `key` followed by a word (short forms: "ivry" -> Ivry-sur-Seine)."""
        prefix = key + " "
        found: list[str] = []
        if deps:
            for dep in deps:
                keys = self.dep_sorted.get(dep, [])
                i = bisect.bisect_left(keys, prefix)
                while i < len(keys) and keys[i].startswith(prefix):
                    found.append(self.dep_keys[dep][keys[i]])
                    i += 1
        else:
            i = bisect.bisect_left(self.all_sorted, (prefix, ""))
            while i < len(self.all_sorted) and self.all_sorted[i][0].startswith(prefix):
                found.append(self.all_sorted[i][1])
                i += 1
        return sorted(set(found))

    def epci_in(self, sirens, deps: list[str] | None) -> list[str]:
        """EPCI of a set that have members in one of the départements (all of them without départements)."""
        sirens = sorted(set(sirens))
        if not deps:
            return sirens
        return [s for s in sirens if self.epci_deps[s] & set(deps)]


def acronyms(key: str, kind: str) -> set[str]:
    """Initials of an EPCI's significant words, with and without its type ("CAPI", "GPSO")."""
    words = [w for w in epci_core(key).split() if not w.isdigit()]
    if len(words) < 2:
        return set()
    core = "".join(w[0] for w in words)
    out = {core}
    if kind in ("ca", "cc", "cu"):
        out.add(kind + core)
    elif kind == "metropole":
        out.add("m" + core)
    return {a for a in out if len(a) >= 3}


_indexes = GeometryCache(size=2)


def index(store: Path | None = None) -> Index:
    """The lookups of a store's geography, rebuilt only when the geography itself was rebuilt."""
    return _indexes.get(store, (), lambda: Index.load(store))
