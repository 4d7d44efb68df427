"""Writers one at a time: an import never lands in a store file that a rebuild is about to replace."""

from __future__ import annotations

import threading

import pytest
from locking import lock_refusals

from geo import imports
from geo.build import pipeline as build_mod
from geo.errors import StoreBusy
from geo.io.readers import read_bytes
from geo.store import reader, remove_stale, write_lock

LIST = b"nom;departement\nCalais;62\n"


def _import(store) -> int:
    return imports.commit(imports.prepare(read_bytes(LIST, "liste.csv"), "Terre de Jeux 2024", raw=LIST,
                                        store=store), store)


@pytest.mark.slow
def test_an_import_waits_for_the_writer_holding_the_store(store_copy, monkeypatch):
    refused = lock_refusals(monkeypatch)
    saved: list[int] = []
    errors: list[Exception] = []
    importer = threading.Thread(target=lambda: _try(lambda: saved.append(_import(store_copy)), errors))
    with write_lock(store_copy):
        importer.start()
        assert refused.wait(20), "l'import n'a pas attendu le verrou"  # with no lock, it would have saved
        assert importer.is_alive() and not saved                       # and it still waits
    importer.join(60)
    assert not importer.is_alive() and not errors, errors
    assert saved and saved[0] in [r[0] for r in reader(store_copy).execute("SELECT id FROM imports").fetchall()]


def test_an_import_refused_in_french_when_the_store_stays_busy(store_copy, monkeypatch):
    monkeypatch.setattr("geo.store.connection.WRITE_WAIT_SECONDS", 0.3)
    held, release = threading.Event(), threading.Event()

    def hold():
        with write_lock(store_copy):
            held.set()
            release.wait(5)

    threading.Thread(target=hold).start()
    held.wait(5)
    try:
        with pytest.raises(StoreBusy, match="en cours d'écriture"):
            _import(store_copy)
    finally:
        release.set()


@pytest.mark.slow
def test_an_import_during_a_rebuild_is_not_lost(store_copy, monkeypatch, quick_build):
    """The rebuild copies the user tables, then swaps the file: an import committed in between used to go
    to the old file and vanish. The rebuild here holds that window open until the import is waiting for it."""
    copying = threading.Event()
    refused = lock_refusals(monkeypatch)
    carry = build_mod._carry_user_tables

    def carry_then_wait(con, store):
        carry(con, store)
        copying.set()
        refused.wait(30)  # the import is knocking: with no lock it would have landed in the old file by now

    monkeypatch.setattr(build_mod, "_carry_user_tables", carry_then_wait)
    errors = []
    builder = threading.Thread(target=lambda: _try(lambda: quick_build(store_copy), errors))
    builder.start()
    assert copying.wait(120) or errors, errors
    import_id = _import(store_copy)
    builder.join(180)
    assert not errors, errors
    assert refused.is_set()
    ids = [r[0] for r in reader(store_copy).execute("SELECT id FROM imports").fetchall()]
    assert import_id in ids


def _try(fn, errors):
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 (reported by the test)
        errors.append(exc)


def test_a_killed_build_leaves_nothing_behind_the_next_one(tmp_path):
    store = tmp_path / "territoires.duckdb"
    stale = [tmp_path / "territoires.duckdb.tmp-999999999", tmp_path / "territoires.duckdb.tmp-999999999.wal"]
    for path in stale:
        path.write_bytes(b"x" * 1000)
    remove_stale(store)
    assert not any(p.exists() for p in stale)


@pytest.mark.slow
def test_imports_land_while_other_sessions_read(store_copy):
    """Three sessions browsing (coverage and commune reads in threads) while one imports eight lists: every
    import is saved under its own number and no read fails (a commit used to close the shared reader)."""
    from geo.data import coverage, territory

    _import(store_copy)  # the label exists
    stop, errors = threading.Event(), []

    def browse():
        while not stop.is_set():
            try:
                coverage.by_departement("Terre de Jeux 2024", store_copy)
                territory.communes_of_departement("62", store=store_copy)
            except Exception as exc:  # noqa: BLE001 (reported by the test)
                errors.append(exc)

    sessions = [threading.Thread(target=browse) for _ in range(3)]
    for t in sessions:
        t.start()
    try:
        ids = [_import(store_copy) for _ in range(8)]
    finally:
        stop.set()
        for t in sessions:
            t.join(30)
    assert not errors, errors[:3]
    assert len(set(ids)) == 8
    assert reader(store_copy).execute("SELECT count(*) FROM imports").fetchone()[0] == 9
