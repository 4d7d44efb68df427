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


def test_a_list_of_sites_says_which_sites_another_import_already_has(store_copy, monkeypatch):
    """A second list of sites of the same label: the page says, before saving, which facilities the first list
    already has and that they will count once; saved, the label counts each facility once (SYNTHETIC lists)."""
    monkeypatch.setenv("TDJ_STORE", str(store_copy))
    monkeypatch.setattr("geo.access.is_loopback", lambda ip: True)
    label = "Sites partagés (synthétique)"

    def prepared(text: str, name: str) -> imports.Prepared:
        raw = text.encode()
        return imports.prepare(read_bytes(raw, name), label, sites=True, raw=raw, store=store_copy)

    first_id = imports.commit(prepared("nom;commune;code_insee\nPiscine Tournesol;Arras;62041\n", "portail.csv"),
                              store_copy)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("views/importer.py")
    at.session_state["prepare"] = prepared("nom;commune;code_insee\nPiscine Tournesol d'Arras;Arras;62041\n"
                                           "Stade Degouve;Arras;62041\nStade Degouve;Arras;62041\n",
                                           "prefecture.csv")  # and the stadium printed twice
    at.run()
    said = [html.unescape(i.value) for i in at.info if "déjà dans" in i.value]
    assert said and said[0].startswith(f"1 site de cette liste figure déjà dans l'import n° {first_id} de ce label")
    assert "gardé dans l'import et compté une seule fois" in said[0]
    _save_button(at).click().run()
    assert not at.exception
    assert reader(store_copy).execute(
        "SELECT count(*) FROM sites s JOIN labels l ON l.id = s.label_id WHERE l.nom = ? AND s.deja_import = ?",
        [label, first_id]).fetchone() == (1,)
    # the Centres page: each facility once on the map and in its figure, both kinds of copy said in the table
    at.switch_page("views/centres.py")
    at.query_params["liste"] = label
    at.run()
    assert not at.exception
    assert at.metric[0].value == "2"
    table = at.dataframe[0].value
    assert sorted(table["Doublon"]) == ["", "", "oui", f"oui, déjà dans l'import n° {first_id}"], table
