"""Nothing saved unseen (issue 20, point 5), on the Importer page run by AppTest: approximate matches are
confirmed before « Enregistrer l'import » can be clicked, and saving with rows still to review asks once."""

from __future__ import annotations

import html

import pytest
from streamlit.testing.v1 import AppTest

from geo import imports
from geo.io.readers import read_bytes
from geo.paths import ROOT
from geo.store import reader


@pytest.fixture
def importer(store_copy, monkeypatch):
    monkeypatch.setenv("TDJ_STORE", str(store_copy))
    monkeypatch.setattr("geo.access.is_loopback", lambda ip: True)  # an editor at the server's own desk

    def run(data: bytes) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.switch_page("views/importer.py")
        at.session_state["prepare"] = imports.prepare(read_bytes(data, "liste.csv"), "Terre de Jeux 2024",
                                                      raw=data, store=store_copy)
        return at.run()
    return run


def _save_button(at: AppTest):
    return at.button(key="commit")


def _count(store) -> int:
    return reader(store).execute("SELECT count(*) FROM imports").fetchone()[0]


def test_approximate_matches_are_confirmed_before_saving(importer, store_copy):
    at = importer("nom;departement\nCalais;62\nLiévain;62\n".encode())
    assert any("Rapprochements à confirmer : 1 ligne" in html.unescape(s.value) for s in at.subheader)
    assert _save_button(at).disabled
    at.button(key="importer.confirmer").click().run()
    assert not _save_button(at).disabled
    _save_button(at).click().run()
    assert _count(store_copy) == 1
    assert reader(store_copy).execute("SELECT statut FROM entites WHERE nom_brut = 'Liévain'").fetchone() == ("approx",)


def test_a_match_sent_back_to_review_is_not_saved_as_labelled(importer, store_copy):
    at = importer("nom;departement\nCalais;62\nLiévain;62\n".encode())
    at.multiselect(key="importer.renvoyer").select(2).run()
    at.button(key="importer.confirmer").click().run()
    assert any("À revoir : 1 ligne(s)" in html.unescape(s.value) for s in at.subheader)


def test_saving_with_rows_to_review_asks_once(importer, store_copy):
    at = importer(b"nom;departement\nCalais;62\nArques;\n")  # Arques: three homonyms, to review
    _save_button(at).click().run()
    assert _count(store_copy) == 0  # asked, not saved
    assert any("1 ligne reste à revoir" in html.unescape(w.value) and "ne compteront pas" in html.unescape(w.value)
               for w in at.warning)
    at.button(key="commit_quand_meme").click().run()
    assert _count(store_copy) == 1
