"""Writes under faults and concurrency (issues 11.2, 11.4, 12.6, 12.7): another process reading the store does
not block an import; a write killed midway leaves the store as it was and no file that blocks the next one;
a full or read-only disk gives a French message naming the cause and loses nothing.

Lists here are SYNTHETIC, made for the test."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from geo import imports
from geo.errors import StoreUnwritable, UnknownName
from geo.io.readers import read_bytes
from geo.paths import ROOT
from geo.store import WRITING, reader

LIST = b"nom;departement\nCalais;62\nArras;62\n"


def _import(store, label="Terre de Jeux 2024") -> int:
    return imports.commit(imports.prepare(read_bytes(LIST, "liste.csv"), label, raw=LIST, store=store), store)


def _imports(store) -> list[int]:
    # through the app's reader, which notices a published file; duckdb.connect would hand back the database
    # this process already has open under that name (DuckDB keeps one instance per path)
    return [r[0] for r in reader(store).execute("SELECT id FROM imports ORDER BY id").fetchall()]


def _python(code: str, store: Path) -> subprocess.Popen:
    env = {**os.environ, "TDJ_STORE": str(store), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_an_import_lands_while_another_process_holds_the_store_open(store_copy):
    """The app keeps a read connection open: the command line used to be refused."""
    holder = _python("""
        import sys, time, duckdb
        con = duckdb.connect(__import__('os').environ['TDJ_STORE'], read_only=True)
        print(con.execute('SELECT count(*) FROM communes').fetchone()[0], flush=True)
        time.sleep(60)
    """, store_copy)
    try:
        assert int(holder.stdout.readline()) > 30000
        first = _import(store_copy)
        second = _import(store_copy)
        assert _imports(store_copy) == [first, second] and second == first + 1
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.slow
def test_the_command_line_imports_while_this_process_reads(store_copy, tmp_path):
    assert reader(store_copy).execute("SELECT count(*) FROM communes").fetchone()[0] > 30000
    path = tmp_path / "liste.csv"
    path.write_bytes(LIST)
    done = subprocess.run([sys.executable, "-m", "geo", "import", str(path), "--label", "Terre de Jeux 2024"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "TDJ_STORE": str(store_copy)})
    assert done.returncode == 0, done.stderr
    # this process sees the new import at its next query, without a restart
    assert reader(store_copy).execute("SELECT count(*) FROM imports").fetchone()[0] == 1


@pytest.mark.slow
def test_a_write_killed_midway_leaves_the_store_as_it_was(store_copy):
    before = _import(store_copy)
    writer = _python("""
        import time
        from geo import imports
        from geo.io.readers import read_bytes
        from geo.store import transaction
        raw = b"nom;departement\\nLens;62\\n"
        prepared = imports.prepare(read_bytes(raw, "l.csv"), "Terre de Jeux 2024", raw=raw)
        with transaction() as con:
            imports.write(con, prepared)
            print("ecrit", flush=True)
            time.sleep(60)
    """, store_copy)
    assert writer.stdout.readline().strip() == "ecrit", writer.stderr.read()
    leftovers = list(store_copy.parent.glob(f"{store_copy.name}{WRITING}*"))
    assert leftovers  # the write's private copy
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    assert _imports(store_copy) == [before]  # the state before the killed write
    after = _import(store_copy)               # the next write is not blocked, and cleans up
    assert _imports(store_copy) == [before, after]
    assert not [p for p in leftovers if p.exists()]


@pytest.fixture
def small_disk(tmp_path):
    """A tmpfs of a given size (root only; skipped elsewhere)."""
    mounted = []

    def make(size_mb: int) -> Path:
        where = tmp_path / f"disque{len(mounted)}"
        where.mkdir()
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(where)],
                            capture_output=True)
        if ok.returncode != 0:
            pytest.skip("montage tmpfs impossible ici (droits root nécessaires)")
        mounted.append(where)
        return where
    yield make
    for where in mounted:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_full_disk_gives_the_real_cause_and_loses_nothing(store_copy, small_disk):
    size = store_copy.stat().st_size
    disk = small_disk(int(size * 1.5 / 2**20) + 1)   # room for the store, not for a second copy of it
    store = disk / "territoires.duckdb"
    shutil.copyfile(store_copy, store)
    with pytest.raises(StoreUnwritable, match="Disque plein") as caught:
        _import(store)
    assert "lecture seule" not in str(caught.value) and "autre programme" not in str(caught.value)
    assert _imports(store) == []
    assert sorted(p.name for p in disk.iterdir()) == ["territoires.duckdb", "territoires.duckdb.lock"]


def test_read_only_store_says_so(store_copy, small_disk):
    disk = small_disk(200)
    store = disk / "territoires.duckdb"
    shutil.copyfile(store_copy, store)
    (disk / "territoires.duckdb.lock").touch()
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    with pytest.raises(StoreUnwritable, match="lecture seule"):
        _import(store)
    # reading still works
    assert reader(store).execute("SELECT count(*) FROM departements").fetchone()[0] >= 101


@pytest.mark.slow
def test_build_error_on_a_full_disk_is_french(small_disk, quick_build, capsys):
    """The command line's build on a disk too small for the store: a French message naming the cause, exit
    code 2, no traceback, no half-written file left."""
    from geo import cli

    disk = small_disk(5)
    assert cli.main(["build", "--store", str(disk / "t.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Disque plein" in err, err[-2000:]
    assert not [p for p in disk.iterdir() if ".tmp-" in p.name]


def test_withdraw_of_an_unknown_import_is_french(store_copy):
    with pytest.raises(UnknownName):
        imports.withdraw(999, store_copy)


@pytest.mark.slow
def test_concurrent_writers_in_threads_get_distinct_numbers(store_copy):
    import threading

    ids, errors = [], []

    def one():
        try:
            ids.append(_import(store_copy))
        except Exception as exc:  # noqa: BLE001 (the test reports any failure)
            errors.append(repr(exc))
    threads = [threading.Thread(target=one) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not errors, errors
    assert sorted(ids) == _imports(store_copy) and len(set(ids)) == 6
    time.sleep(0)
