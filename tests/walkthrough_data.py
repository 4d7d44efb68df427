"""The store of the walkthrough tests (issue 13): the real Pas-de-Calais 2019 list, a SYNTHETIC Terre de Jeux
list, and a list of test sites imported twice under the CPJ label (sites named as synthetic): with the old
choice by number of imports, the CPJ label would have become every page's default."""

from __future__ import annotations

from pathlib import Path

from browsing import empty_copy

from geo import labels, synth
from geo.readers import read_bytes
from geo.seed import seed

CPJ = "Centre de préparation aux Jeux"
CPJ_SITES = """id;lang;title;disciplines_olympiques;disciplines_paralympiques;geo_point_2d
1;fr_FR;Stade (synthétique);athlétisme;para athlétisme;50.7264, 1.6140
2;fr_FR;Gymnase (synthétique);judo;;50.2920, 2.7800
3;fr_FR;Base nautique (synthétique);aviron;para aviron;50.5200, 2.3500
4;fr_FR;Dojo (synthétique);judo;para judo;48.7904, 2.4556
5;fr_FR;Piscine (synthétique);natation;;48.8460, 2.4380
"""


def build(store: Path, dest: Path) -> Path:
    path = empty_copy(store, dest)
    seed(path)
    tdj, _ = synth.terre_de_jeux(store=path)
    raw = tdj.to_csv(index=False, sep=";").encode()
    labels.commit(labels.prepare(read_bytes(raw, "synthetique-tdj.csv"), synth.TDJ_LABEL, raw=raw, store=path), path)
    for name in ("cpj-1.csv", "cpj-2.csv"):
        raw = CPJ_SITES.encode()
        labels.commit(labels.prepare(read_bytes(raw, name), CPJ, sites=True, raw=raw, store=path), path)
    return path


def settle(page, timeout: float = 30000) -> None:
    """Wait until the app has finished its run (the state Streamlit puts on its root element)."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
    page.wait_for_timeout(200)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
