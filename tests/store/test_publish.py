"""Publishing the store for read-only replicas (geo/store/publish.py): a reader of the published file sees the old
version or the new one, never a broken file; a failed publication leaves the old one and no partial file."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pytest

from geo import imports
from geo.errors import InputRefused, StoreDamaged
from geo.io.readers import read_bytes
from geo.store import publish

LABEL = "Terre de Jeux 2024"


def _commit(store: Path, note: str) -> int:
    raw = b"nom;code_insee\nArras;62041\nLens;62498\n"
    prepared = imports.prepare(read_bytes(raw, "essai-synthetique.csv"), LABEL, raw=raw, store=store)
    prepared.note_completude = note
    return imports.commit(prepared, store, auteur="test")


def _notes(path: Path) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT note_completude FROM imports ORDER BY id").fetchall()]
    finally:
        con.close()


@pytest.mark.slow
def test_readers_see_one_version_or_the_next(store_copy, tmp_path):
    dest = tmp_path / "publie" / "territoires.duckdb"
    _commit(store_copy, "liste SYNTHÉTIQUE publication 1")
    assert publish.publish(dest, store_copy) == 1
    seen, errors, stop = set(), [], threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                seen.add(len(_notes(dest)))
            except duckdb.Error as exc:  # a half-written file would land here
                errors.append(str(exc))

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for n in range(2, 6):
            _commit(store_copy, f"liste SYNTHÉTIQUE publication {n}")
            assert publish.publish(dest, store_copy) == n
    finally:
        stop.set()
        thread.join()
    assert not errors
    assert seen <= {1, 2, 3, 4, 5} and len(seen) >= 3  # read across publications, always a whole version
    assert _notes(dest)[-1] == "liste SYNTHÉTIQUE publication 5"
    assert sorted(p.name for p in dest.parent.iterdir()) == ["territoires.duckdb"]


def test_a_failed_publication_keeps_the_old_copy(store_copy, tmp_path):
    dest = tmp_path / "publie.duckdb"
    _commit(store_copy, "liste SYNTHÉTIQUE publication 1")
    publish.publish(dest, store_copy)
    broken = tmp_path / "pas-un-magasin.duckdb"
    broken.write_bytes(b"ceci n'est pas un magasin DuckDB" * 100)
    with pytest.raises(StoreDamaged, match="rien n'a été publié"):
        publish.publish(dest, broken)
    with pytest.raises(InputRefused, match="un autre fichier"):
        publish.publish(store_copy, store_copy)
    assert _notes(dest) == ["liste SYNTHÉTIQUE publication 1"]
    assert sorted(p.name for p in tmp_path.iterdir() if ".publication-" in p.name) == []
