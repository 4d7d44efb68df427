"""Remembered names: a correction confirmed by an officer resolves the same name in later imports, in
the same département only; they can be forgotten and exchanged as CSV; nothing else is remembered."""

from __future__ import annotations

import shutil

import pytest

from geo import imports
from geo.errors import FileRefused
from geo.io.readers import read_bytes
from geo.resolve import memory

LIST = "nom;departement\nThau Agglo;34\nSète;34\nArques;\n".encode()


def prepare(store, raw=LIST, name="liste.csv"):
    return imports.prepare(read_bytes(raw, name), "Terre de Jeux 2024", raw=raw, store=store)


def test_a_correction_is_used_by_the_next_import(store_copy):
    first = prepare(store_copy)
    assert list(first.rows["statut"]) == ["introuvable", "exact", "ambigu"]
    imports.set_row(first, 1, "200066355")               # typed code: CA Sète Agglopôle Méditerranée
    imports.set_row(first, 3, "62040 Arques (62)")       # candidate picked in the review list
    import_id = imports.commit(first, store_copy, auteur="agent-test")
    kept = memory.listing(store_copy)
    assert set(kept["code"]) == {"200066355", "62040"}
    assert set(kept["auteur"]) == {"agent-test"} and set(kept["import_id"]) == {import_id}

    again = prepare(store_copy)
    assert list(again.rows["code"]) == ["200066355", "34301", "62040"]
    assert "nom retenu" in again.rows.loc[1, "remarque"] and again.rows.loc[1, "statut"] == "normalise"
    # the same name in another département is not this correction
    other = prepare(store_copy, b"nom;departement\nThau Agglo;11\n")
    assert other.rows.loc[1, "code"] == ""


def test_a_dismissal_is_remembered_without_a_code(store_copy):
    """« Écarter » is remembered like a correction (issue 20, point 5), as dismissed, with no code."""
    first = prepare(store_copy)
    imports.set_row(first, 3, None)
    imports.commit(first, store_copy)
    kept = memory.listing(store_copy)
    assert kept["niveau"].tolist() == [memory.DISMISSED] and kept["code"].tolist() == [""]


@pytest.mark.slow
def test_forget_and_exchange_as_csv(store_copy, empty_store, tmp_path):
    first = prepare(store_copy)
    imports.set_row(first, 1, "200066355")
    imports.commit(first, store_copy)
    exported = memory.export_frame(store_copy).to_csv(index=False, sep=";").encode("utf-8-sig")

    other = tmp_path / "autre.duckdb"
    shutil.copyfile(empty_store, other)
    assert memory.import_csv(exported, "poste-2", other) == 1
    assert prepare(other).rows.loc[1, "code"] == "200066355"

    assert memory.forget(list(memory.listing(store_copy)["cle"]), store_copy) == 1
    assert prepare(store_copy).rows.loc[1, "statut"] == "introuvable"


def test_a_wrong_csv_changes_nothing(store_copy):
    with pytest.raises(FileRefused, match="Rien n'a été importé"):
        memory.import_csv(b"nom;departement;niveau;code\nThau Agglo;34;epci;999999999\n", "x", store_copy)
    with pytest.raises(FileRefused, match="Colonnes manquantes"):
        memory.import_csv(b"a;b\n1;2\n", "x", store_copy)
    assert memory.listing(store_copy).empty
