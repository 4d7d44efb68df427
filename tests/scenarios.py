"""The stores the browser tests run the app on, each built once per test run (tests/browsing.Apps serves each
with one server). Lists here are SYNTHETIC unless named otherwise: the real ones are those `make setup` seeds
(data/labels: the Pas-de-Calais 2019 list and the 76 départements)."""

from __future__ import annotations

from pathlib import Path

from browsing import empty_copy, seeded

from geo import imports
from geo.build import synth
from geo.io.readers import read_bytes

XSS = "<img src=x onerror=alert(1)>"
TDJ = "Terre de Jeux 2024"
CPJ = "Centre de préparation aux Jeux"


def _commit(path: Path, text: str, name: str, label: str, *, sites: bool = False) -> None:
    raw = text.encode()
    imports.commit(imports.prepare(read_bytes(raw, name), label, sites=sites, raw=raw, store=path), path)


def _synthetic_tdj(path: Path) -> None:
    tdj, _ = synth.terre_de_jeux(store=path)
    _commit(path, tdj.to_csv(index=False, sep=";"), "synthetique-tdj.csv", synth.TDJ_LABEL)


# --- « pages »: every page, clicks, downloads, withdrawal (tests/browser/test_pages.py)
PAGES_CPJ_LABEL = "Centre de préparation aux Jeux (synthétique)"
PAGES_CPJ = f"""id;lang;title;disciplines_olympiques;disciplines_paralympiques;geo_point_2d
1;fr_FR;{XSS};BMX;;50.9513, 1.8587
1;en_GB;{XSS};BMX;;50.9513, 1.8587
2;fr_FR;Stade de la Libération;athlétisme;para athlétisme;50.7264, 1.6140
3;fr_FR;Gymnase Léo Lagrange;judo;;50.2920, 2.7800
4;fr_FR;Base nautique;aviron;para aviron;50.5200, 2.3500
5;fr_FR;Dojo départemental;judo;para judo;48.7904, 2.4556
6;fr_FR;Piscine olympique;natation;;48.8460, 2.4380
"""
TRAP_LABEL = "Liste piégée (synthétique)"


def pages(store: Path, dest: Path) -> Path:
    """The seeded store, a synthetic Terre de Jeux list, synthetic CPJ (one named like an attack) and a list
    whose names are an HTML tag and a formula."""
    path = seeded(store, dest)
    _synthetic_tdj(path)
    _commit(path, PAGES_CPJ, "synthetique-cpj.csv", PAGES_CPJ_LABEL, sites=True)
    _commit(path, f"nom;code_insee\n{XSS};62193\n=1+1;62040\n", "piege.csv", TRAP_LABEL)
    return path


# --- « walkthrough »: the officer's first minutes (tests/browser/test_walkthrough_*.py)
WALK_CPJ = """id;lang;title;disciplines_olympiques;disciplines_paralympiques;geo_point_2d
1;fr_FR;Stade (synthétique);athlétisme;para athlétisme;50.7264, 1.6140
2;fr_FR;Gymnase (synthétique);judo;;50.2920, 2.7800
3;fr_FR;Base nautique (synthétique);aviron;para aviron;50.5200, 2.3500
4;fr_FR;Dojo (synthétique);judo;para judo;48.7904, 2.4556
5;fr_FR;Piscine (synthétique);natation;;48.8460, 2.4380
"""


def walkthrough(store: Path, dest: Path) -> Path:
    """The seeded store, a synthetic Terre de Jeux list, and test sites imported twice under the CPJ label: with
    the old choice by number of imports, the CPJ label would have become every page's default."""
    path = seeded(store, dest)
    _synthetic_tdj(path)
    for name in ("cpj-1.csv", "cpj-2.csv"):
        _commit(path, WALK_CPJ, name, CPJ, sites=True)
    return path


# --- « survey »: coverage over time and a list's own columns on the map (tests/browser/test_over_time.py)
SURVEY_LABEL = "Enquête services des sports (synthétique)"
QUESTION = "Nouvelles manières de travailler ?"
# Pas-de-Calais: the CA de Lens-Liévin (36 communes) answers « en cours », Lens (a member) « oui »;
# three other communes answer for themselves; the rest of the 887 communes have no answer.
SURVEY = f"""nom;code;{QUESTION};Budget sport 2024 (k€)
Lens;62498;oui;900
Calais;62193;oui;1 500
Arras;62041;non;1 200
Béthune;62119;<i>non</i>;400
CA de Lens - Liévin;246200364;en cours;3 000
"""


def survey(store: Path, dest: Path) -> Path:
    """The seeded store and a survey-shaped synthetic list (its answers are invented)."""
    path = seeded(store, dest)
    _commit(path, SURVEY, "enquete-synthetique.csv", SURVEY_LABEL)
    return path


# --- « injection »: names from files that are attacks (tests/browser/test_untrusted_text.py)
IMAGE = "![l](http://evil.example/l.png)"
LINK = "[Cliquez ici pour vous reconnecter](http://evil.example/login)"
INJECTION_LABEL = f"Label {IMAGE} $x^2$"
INJECTION_SITES_LABEL = f"CPJ :red[rouge] {LINK}"
INJECTION_FILE = f"{IMAGE} $y^2$.csv"
INJECTION_COMMUNES = "nom;departement\nArras;62\nLens;62\nCalais;62\nCréteil;94\n"
INJECTION_SITES = ("id;title;disciplines_olympiques;geo_point_2d\n"
                   f"1;Stade {IMAGE};athlétisme;50.29, 2.78\n"
                   f"2;Dojo {LINK} $z^2$;judo;48.79, 2.45\n")


def injection(store: Path, dest: Path) -> Path:
    """No seed: a list of communes and a list of sites whose label, file and site names are payloads."""
    path = empty_copy(store, dest)
    _commit(path, INJECTION_COMMUNES, INJECTION_FILE, INJECTION_LABEL)
    _commit(path, INJECTION_SITES, INJECTION_FILE, INJECTION_SITES_LABEL, sites=True)
    return path


# --- « concurrence »: several officers at once (tests/browser/test_concurrent_sessions.py)
CONCURRENCE_LABEL = "Terre de Jeux 2024 (test)"


def concurrence(store: Path, dest: Path) -> Path:
    """No seed: one small list, so that the label exists and every session picks it."""
    path = empty_copy(store, dest)
    _commit(path, "nom;departement\nArras;62\n", "amorce.csv", CONCURRENCE_LABEL)
    return path


# --- publications: a writer's store published to replicas (tests/store, tests/app, tests/deploy)
def commit_publication(store: Path, version: int, label: str = "Terre de Jeux 2024") -> None:
    """A SYNTHETIC list whose completeness note names the publication that carries it."""
    raw = b"nom;code_insee\nArras;62041\nLens;62498\nLievin;62510\n"
    prepared = imports.prepare(read_bytes(raw, f"essai-synthetique-{version}.csv"), label, raw=raw, store=store)
    prepared.note_completude = f"liste SYNTHÉTIQUE publication {version}"
    imports.commit(prepared, store, auteur="écrivain de test")
