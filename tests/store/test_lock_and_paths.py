"""Issue 23, points 3, 4 and 7: the write lock survives the deletion of its file, a store reached through a
symbolic link stays one file (the link too), publications killed midway leave nothing behind, and the command
line refuses to write into a read-only copy.

Lists here are SYNTHETIC, made for the test."""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
from pathlib import Path

import pytest
from locking import lock_refusals

from geo import cli, imports
from geo.errors import StoreBusy
from geo.io.readers import read_bytes
from geo.store import publish, reader, remove_stale, write_lock

LIST = b"nom;departement\nCalais;62\n"
DEAD_PID = 999_999_999  # above any pid_max: no such process


def _import(store=None) -> int:
    return imports.commit(imports.prepare(read_bytes(LIST, "liste.csv"), "Terre de Jeux 2024", raw=LIST,
                                          store=store), store)


def _ids(store) -> list[int]:
    return [r[0] for r in reader(store).execute("SELECT id FROM imports ORDER BY id").fetchall()]


def _release(first, second) -> None:
    """Let both writers go and wait for them, whatever the test found."""
    first.let_go.set()
    second.let_go.set()
    first.join(10)
    if second.is_alive():
        second.join(40)


class _Holder(threading.Thread):
    """A writer holding the store's lock until told to let go."""

    def __init__(self, store: Path, wait: float | None = None) -> None:
        super().__init__(daemon=True)
        self.store, self.wait = store, wait
        self.held, self.let_go, self.errors = threading.Event(), threading.Event(), []

    def run(self) -> None:
        try:
            with write_lock(self.store, wait=self.wait):
                self.held.set()
                self.let_go.wait(60)
        except Exception as exc:  # noqa: BLE001 (reported by the test)
            self.errors.append(exc)
            self.held.set()


def _path_is_locked(lock_path: Path) -> bool:
    """Whether the file now at the lock's path is held by a writer."""
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return False


# point 3: the lock file deleted while a writer holds it

def test_a_deleted_lock_file_lets_no_second_writer_in(tmp_path, monkeypatch):
    store = tmp_path / "territoires.duckdb"
    first, second = _Holder(store), _Holder(store, wait=30)
    first.start()
    try:
        assert first.held.wait(10) and not first.errors, first.errors
        (tmp_path / "territoires.duckdb.lock").unlink()  # an officer « cleaning up » the folder
        with pytest.raises(StoreBusy, match="en cours d'écriture"):
            with write_lock(store, wait=0.2):
                pass
        refused = lock_refusals(monkeypatch)
        second.start()
        assert refused.wait(10), "le second écrivain n'a pas attendu"
        assert not second.held.is_set()               # still waiting while the first one writes
        first.let_go.set()
        assert second.held.wait(30) and not second.errors, second.errors   # and gets in once it is done
    finally:
        _release(first, second)


def test_a_writer_waiting_on_a_deleted_lock_file_takes_the_one_at_the_path(tmp_path, monkeypatch):
    """The second writer opened the lock file before it was deleted: when it gets that orphan, it must take
    the file now at the path, or a third writer would get in beside it."""
    store = tmp_path / "territoires.duckdb"
    lock_path = tmp_path / "territoires.duckdb.lock"
    first, second = _Holder(store), _Holder(store, wait=30)
    first.start()
    try:
        assert first.held.wait(10)
        refused = lock_refusals(monkeypatch)
        second.start()
        assert refused.wait(10)
        lock_path.unlink()
        first.let_go.set()
        assert second.held.wait(30) and not second.errors, second.errors
        monkeypatch.undo()
        assert lock_path.exists() and _path_is_locked(lock_path)
    finally:
        _release(first, second)


def test_no_write_removes_the_lock_file(store_copy):
    _import(store_copy)
    lock_path = store_copy.with_name(store_copy.name + ".lock")
    ino = lock_path.stat().st_ino
    _import(store_copy)
    assert lock_path.stat().st_ino == ino


# point 4: a store reached through a symbolic link

@pytest.fixture
def linked_store(store_copy, tmp_path, monkeypatch) -> tuple[Path, Path]:
    """The store in reel/, TDJ_STORE naming a link to it in lien/: (link, real file)."""
    real = tmp_path / "reel" / "territoires.duckdb"
    real.parent.mkdir()
    shutil.move(store_copy, real)
    link = tmp_path / "lien" / "magasin.duckdb"
    link.parent.mkdir()
    link.symlink_to(real)
    monkeypatch.setenv("TDJ_STORE", str(link))
    return link, real


def test_writes_through_a_link_and_the_real_path_land_in_one_file(linked_store):
    link, real = linked_store
    numbers = [_import(), _import(real), _import(link), _import()]
    assert numbers == [1, 2, 3, 4]
    assert link.is_symlink() and link.resolve() == real
    assert _ids(link) == _ids(real) == [1, 2, 3, 4]
    assert sorted(p.name for p in link.parent.iterdir()) == ["magasin.duckdb"]   # no lock, no copy by the link
    assert sorted(p.name for p in real.parent.iterdir()) == ["territoires.duckdb", "territoires.duckdb.lock"]


def test_the_lock_through_a_link_is_the_real_file_s_lock(linked_store):
    link, real = linked_store
    with write_lock(link):
        with pytest.raises(StoreBusy):
            with write_lock(real, wait=0.1):
                pass


def test_publishing_to_a_link_keeps_the_link(linked_store, tmp_path):
    link, real = linked_store
    _import()
    published = tmp_path / "copies" / "territoires.duckdb"
    published.parent.mkdir()
    dest = tmp_path / "servi.duckdb"
    published.touch()
    dest.symlink_to(published)
    assert publish.publish(dest) == 1
    assert dest.is_symlink() and _ids(published) == [1]
    assert not [p for p in tmp_path.iterdir() if ".publication-" in p.name]


# point 7: leftovers of killed publications

def test_leftovers_of_dead_publications_are_removed_and_live_ones_kept(tmp_path):
    dest = tmp_path / "territoires.duckdb"
    dead = tmp_path / f"territoires.duckdb.publication-{DEAD_PID}"
    live = tmp_path / f"territoires.duckdb.publication-{os.getpid()}"
    other = tmp_path / f"autre.duckdb.publication-{DEAD_PID}"   # another file's: not this one's to remove
    for path in (dead, live, other):
        path.write_bytes(b"x" * 1000)
    remove_stale(dest)
    assert not dead.exists() and live.exists() and other.exists()


def test_a_publication_removes_what_killed_ones_left(store_copy, tmp_path):
    dest = tmp_path / "publie" / "territoires.duckdb"
    dest.parent.mkdir()
    dead = dest.with_name(f"{dest.name}.publication-{DEAD_PID}")
    live = dest.with_name(f"{dest.name}.publication-{os.getppid()}")   # a publication running elsewhere
    dead.write_bytes(b"x" * 1000)
    live.write_bytes(b"x" * 1000)
    publish.publish(dest, store_copy)
    assert not dead.exists() and live.exists()


# point 7: the command line in a read-only copy

@pytest.mark.parametrize("argv", [
    ["import", "liste.csv", "--label", "Terre de Jeux 2024"],
    ["import", "https://data.example/liste.csv", "--label", "Terre de Jeux 2024"],
    ["withdraw", "1"],
    ["seed"],
    ["build"],
    ["update", "--portail", "http://127.0.0.1:9"],
    ["publish", "copie.duckdb"],
])
def test_the_command_line_writes_nothing_in_a_read_only_copy(argv, store_copy, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TDJ_LECTURE_SEULE", "1")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "liste.csv").write_bytes(LIST)
    before = store_copy.stat().st_mtime_ns, sorted(p.name for p in tmp_path.iterdir())
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "lecture seule" in err and "Traceback" not in err, err
    assert (store_copy.stat().st_mtime_ns, sorted(p.name for p in tmp_path.iterdir())) == before


def test_the_command_line_still_reads_in_a_read_only_copy(store_copy, monkeypatch, capsys):
    monkeypatch.setenv("TDJ_LECTURE_SEULE", "1")
    assert cli.main(["imports"]) == 0
    assert cli.main(["reglages"]) == 0
    assert "lecture seule" not in capsys.readouterr().err


def test_the_command_line_reads_the_read_only_setting_of_the_secrets_file(store_copy, tmp_path, monkeypatch,
                                                                           capsys):
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text("[acces]\nlecture_seule = true\n", encoding="utf-8")
    monkeypatch.delenv("TDJ_LECTURE_SEULE", raising=False)
    monkeypatch.setattr(cli, "SECRETS_FILE", secrets_file)
    assert cli.main(["withdraw", "1"]) == 2
    assert "lecture seule" in capsys.readouterr().err
    monkeypatch.setenv("TDJ_LECTURE_SEULE", "0")   # the environment wins, as in the app
    assert cli.main(["withdraw", "1"]) == 2
    assert "lecture seule" not in capsys.readouterr().err   # refused for another reason: no import n° 1
