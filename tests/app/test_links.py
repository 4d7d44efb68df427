"""Links an officer pastes or bookmarks, run with Streamlit's AppTest over the real app (no browser needed): a
wrong label, a sites label, a département written « 2a », « 6 » or unknown, each said in French, and the
parameter the page settles on written back to the address.

Data: the « walkthrough » scenario of tests/scenarios.py (the real Pas-de-Calais 2019 list and the 76
départements, a SYNTHETIC Terre de Jeux list, test sites imported twice under the CPJ label)."""

from __future__ import annotations

import pytest
import scenarios
from apptest import run_page
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.slow  # the scenario's store is built once per run (about 10 s)
TDJ = "Terre de Jeux 2024"


@pytest.fixture(scope="module")
def walk_store(apps):
    return apps.store("walkthrough", scenarios.walkthrough)


def param(at: AppTest, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def said(at: AppTest) -> str:
    """Everything the page says in its boxes (warnings, errors, information)."""
    return "\n".join(m.value for kind in (at.warning, at.error, at.info) for m in kind)


@pytest.mark.parametrize("label,message", [
    (scenarios.CPJ, "est une liste de sites"),
    ("Terre de Jeux 2030", "Label « Terre de Jeux 2030 » inconnu"),
])
def test_bad_label_in_link_is_said(walk_store, monkeypatch, label, message):
    at = run_page(walk_store, monkeypatch, "departement", dep="62", label=label)
    assert message in said(at)
    assert param(at, "label") == TDJ  # the territorial label shown instead, and the address says so


@pytest.mark.parametrize("dep,title,message", [
    ("2a", "Corse-du-Sud (2A)", None), ("6", "Alpes-Maritimes (06)", None),
    ("999", "Pas-de-Calais (62)", "Département « 999 » inconnu"),
])
def test_departement_in_link(walk_store, monkeypatch, dep, title, message):
    """Point 12: 2a and 6 accepted, an unknown code said in French."""
    at = run_page(walk_store, monkeypatch, "departement", dep=dep, label=TDJ)
    assert [t.value for t in at.title][:1] == [title]
    if message:
        assert message in said(at)
    else:
        assert "inconnu" not in said(at)
