"""What failed or was written can be told afterwards from the server's log: every write, refused file and
download, with its cause (the standard library's logging, one logger per module)."""

import logging

import pytest

from geo import imports
from geo.errors import FileRefused, StoreMissing, UnknownName
from geo.io.readers import read_bytes

LIST = b"nom;departement\nCalais;62\n"


def test_a_write_and_a_withdrawal_are_logged_with_their_author(store_copy, caplog):
    caplog.set_level(logging.INFO, logger="geo")
    prepared = imports.prepare(read_bytes(LIST, "essai.csv"), "Label (test)", raw=LIST, store=store_copy)
    import_id = imports.commit(prepared, store_copy, auteur="Marie Dupont")
    imports.withdraw(import_id, store_copy, auteur="Jean Martin")
    text = caplog.text
    assert f"import n° {import_id} écrit : essai.csv (Label (test), entites, 1 lignes) par Marie Dupont" in text
    assert f"import n° {import_id} retiré par Jean Martin" in text
    assert text.count("écriture publiée") == 2


def test_a_refused_file_is_logged_with_its_name_and_cause(caplog):
    caplog.set_level(logging.INFO, logger="geo")
    with pytest.raises(FileRefused):
        read_bytes(b"nom;departement\n", "vide.csv")
    record = next(r for r in caplog.records if r.name == "geo.io.readers")
    assert record.levelno == logging.WARNING and "vide.csv" in record.getMessage()


def test_a_write_abandoned_is_logged_and_nothing_is_published(store_copy, caplog):
    caplog.set_level(logging.INFO, logger="geo")
    with pytest.raises(UnknownName):
        imports.withdraw(999, store_copy)
    assert "écriture abandonnée, rien n'a été publié" in caplog.text and "Aucun import n° 999" in caplog.text
    assert "écriture publiée" not in caplog.text


def test_no_store_is_its_own_error(tmp_path):
    with pytest.raises(StoreMissing):
        imports.withdraw(1, tmp_path / "absent.duckdb")


def test_errors_are_typed_by_what_a_caller_can_do():
    from geo import errors

    assert issubclass(errors.StoreBusy, errors.StoreError) and issubclass(errors.StoreError, errors.GeoError)
    assert issubclass(errors.FileRefused, errors.InputRefused) and issubclass(errors.UnknownName, errors.InputRefused)
    assert not issubclass(errors.FileRefused, errors.StoreError)
