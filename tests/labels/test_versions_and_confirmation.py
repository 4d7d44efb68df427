"""Lists an officer can trust (issue 20, points 1 and 5): a corrected list saved as a new version replaces the
old one (withdrawn, kept, its differences said before saving), approximate matches wait for confirmation, and a
row dismissed with « Écarter » stays dismissed at the next import of the same list."""

from __future__ import annotations

import datetime as dt

import pytest

from geo import imports
from geo.data import lists
from geo.errors import InputRefused
from geo.io.readers import read_bytes
from geo.resolve import memory
from geo.store import reader

LABEL = "Terre de Jeux 2024"
V1 = "nom;departement;date\nCalais;62;20/11/2019\nArras;62;20/11/2019\nBéthune;62;20/11/2019\n".encode()
V2 = "nom;departement;date\nCalais;62;13/01/2020\nBéthune;62;20/11/2019\nLens;62;13/01/2020\n".encode()


def _prepare(data: bytes, name: str, store, label: str = LABEL) -> imports.Prepared:
    return imports.prepare(read_bytes(data, name), label, raw=data, store=store)


def test_a_new_version_replaces_the_old_one_and_says_what_changed(store_copy):
    v1 = imports.commit(_prepare(V1, "suivi-pdc-v1.csv", store_copy), store_copy)
    v2 = _prepare(V2, "suivi-pdc-v2.csv", store_copy)
    proposed = imports.replaceable(v2, store_copy)
    assert proposed["id"].tolist() == [v1] and proposed.loc[0, "raison"] == "même nom de fichier"
    diff = imports.differences(v2, v1, store_copy)
    assert diff["ajouts"]["code"].tolist() == ["62498"] and diff["retraits"]["code"].tolist() == ["62041"]
    assert diff["dates"].to_dict("records") == [{"code": "62193", "nom_officiel": "Calais", "avant": "20/11/2019",
                                                 "apres": "13/01/2020"}]
    new = imports.commit_version(v2, v1, store_copy, auteur="Marie Dupont")
    done = lists.labelled(LABEL, store=store_copy).set_index("code")
    assert done.loc["62193", "date_texte"] == "13/01/2020"  # no withdrawal by hand, no old date
    assert "62041" not in done.index and "62498" in done.index
    state = dict(reader(store_copy).execute("SELECT id, retire_par FROM imports").fetchall())
    assert state == {v1: "Marie Dupont", new: None}
    said = reader(store_copy).execute("SELECT action, import_id, detail FROM journal WHERE action = 'remplacement'"
                                      ).fetchall()
    assert said == [("remplacement", v1, f"remplacé par l'import n° {new}")]
    assert imports.compare(new, store_copy)["precedent"] == v1  # the history compares with the version replaced


def test_most_rows_in_common_propose_a_version_and_other_lists_do_not(store_copy):
    v1 = imports.commit(_prepare(V1, "liste-prefecture.csv", store_copy), store_copy)
    assert imports.replaceable(_prepare(V2, "export du 13 janvier.csv", store_copy), store_copy)["id"].tolist() \
        == [v1]  # 2 of 3 territories in common
    colleague = imports.replaceable(_prepare(V2, "liste-2.csv", store_copy), store_copy)
    assert colleague.loc[0, "raison"] == "67 % des lignes en commun"  # proposed, never chosen by itself
    other = b"nom;departement\nLille;59\nRoubaix;59\n"
    assert imports.replaceable(_prepare(other, "nord.csv", store_copy), store_copy).empty


def test_a_version_replaces_only_an_active_list_of_the_same_label(store_copy):
    v1 = imports.commit(_prepare(V1, "a.csv", store_copy), store_copy)
    with pytest.raises(InputRefused, match="autre liste"):
        imports.commit_version(_prepare(V2, "a.csv", store_copy, "Petites villes de demain"), v1, store_copy)
    imports.withdraw(v1, store_copy)
    with pytest.raises(InputRefused, match="déjà retiré"):
        imports.commit_version(_prepare(V2, "a.csv", store_copy), v1, store_copy)
    assert reader(store_copy).execute("SELECT count(*) FROM imports").fetchone()[0] == 1  # nothing written


APPROX = "nom;departement\nLiévain;62\nCalais;62\nla communauté urbaine de Coutances;50\n".encode()


def test_approximate_matches_wait_for_confirmation(store_copy):
    prepared = _prepare(APPROX, "approx.csv", store_copy)
    waiting = imports.to_confirm(prepared)
    assert set(waiting.index) >= {1} and waiting.loc[1, "code"] == "62510"  # « Liévain » → Liévin
    imports.send_to_review(prepared, 1, store_copy)
    assert prepared.rows.loc[1, "statut"] == "ambigu" and prepared.rows.loc[1, "candidats"] == "62510 Liévin (62)"
    assert 1 in prepared.review().index and 1 not in imports.to_confirm(prepared).index
    imports.confirm(prepared)
    assert imports.to_confirm(prepared).empty


def test_a_dismissed_row_stays_dismissed_until_forgotten(store_copy):
    data = b"nom;departement\nCalais;62\nPas-de-Calais Nord Littoral;62\n"
    prepared = _prepare(data, "pdc.csv", store_copy)
    imports.set_row(prepared, 2, None, store_copy)
    imports.commit(prepared, store_copy, auteur="Marie Dupont")
    again = _prepare(data, "pdc.csv", store_copy)
    assert again.rows.loc[2, "statut"] == "ecarte" and "écartée à la main le" in again.rows.loc[2, "remarque"]
    assert 2 not in again.review().index
    kept = memory.listing(store_copy)
    assert kept["niveau"].tolist() == ["ecarte"] and kept["nom_brut"].tolist() == ["Pas-de-Calais Nord Littoral"]
    memory.forget(kept["cle"].tolist(), store_copy)
    assert _prepare(data, "pdc.csv", store_copy).rows.loc[2, "statut"] != "ecarte"


def test_dates_of_the_replaced_list_are_not_kept(store_copy):
    v1 = imports.commit(_prepare(V1, "suivi.csv", store_copy), store_copy)
    imports.commit_version(_prepare(V2, "suivi.csv", store_copy), v1, store_copy)
    done = lists.labelled(LABEL, store=store_copy)
    assert set(done["date_label"].dropna().map(lambda d: d.date() if hasattr(d, "date") else d)) == {
        dt.date(2020, 1, 13), dt.date(2019, 11, 20)}
    assert len(done) == 3
