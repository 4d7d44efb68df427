"""Near-duplicate labels are not created (issue 20, point 7): « terre de jeux 2024 », « TERRE DE JEUX 2024 »,
« Terre de Jéux 2024 » became separate labels beside « Terre de Jeux 2024 », identical in the selectors; one
followed by an invisible right-to-left mark too."""

from __future__ import annotations

import html

import pytest
from apptest import run_page

from geo import imports
from geo.errors import InputRefused, SimilarLabel
from geo.io.readers import read_bytes

LIST = b"nom;departement\nCalais;62\n"


@pytest.fixture
def labelled(store_copy):
    prepared = imports.prepare(read_bytes(LIST, "a.csv"), "Terre de Jeux 2024", raw=LIST, store=store_copy)
    imports.commit(prepared, store_copy)
    return store_copy


@pytest.mark.parametrize("name", ["terre de jeux 2024", "TERRE DE JEUX 2024", "Terre de Jéux 2024",
                                  "Terre-de-Jeux 2024", "Terre de Jeux 2024 !"])
def test_a_near_duplicate_asks_which_label_is_meant(labelled, name):
    with pytest.raises(SimilarLabel, match="Voulez-vous dire « Terre de Jeux 2024 » ?") as refused:
        imports.prepare(read_bytes(LIST, "b.csv"), name, raw=LIST, store=labelled)
    assert refused.value.near == "Terre de Jeux 2024"


@pytest.mark.parametrize("mark", ["\u200f", "\u200b", "\u202e", "\ufeff", "\u2066"])
def test_invisible_characters_are_refused(labelled, mark):
    with pytest.raises(InputRefused, match=f"caractère invisible \\(U\\+{ord(mark):04X}\\)"):
        imports.check_label(f"Terre de Jeux 2024{mark}", labelled)


def test_the_same_name_and_other_names_pass(labelled):
    assert imports.check_label("Terre de Jeux 2024", labelled) == "Terre de Jeux 2024"
    assert imports.check_label("Terre de Jeux 2030", labelled) == "Terre de Jeux 2030"
    assert imports.check_label("  Maisons   sport-santé ", labelled) == "Maisons sport-santé"


def test_the_importer_offers_the_known_label(labelled, monkeypatch):
    monkeypatch.setattr("geo.access.is_loopback", lambda ip: True)  # an editor at the server's own desk
    at = run_page(labelled, monkeypatch, "importer")
    at.selectbox(key="importer.label").select("Nouveau label…").run()
    next(t for t in at.text_input if t.label == "Nom du nouveau label").input("terre de jeux 2024").run()
    assert any("Voulez-vous dire « Terre de Jeux 2024 »" in html.unescape(w.value) for w in at.warning)
    at.button(key="importer.label_proche").click().run()
    assert at.selectbox(key="importer.label").value == "Terre de Jeux 2024"
