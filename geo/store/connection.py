"""Connections to the DuckDB store: cached read-only readers, and writes that never touch the file readers
have open.

A write (an import, a withdrawal, a remembered name) copies the store, commits on the copy and publishes it
by an atomic rename, holding `<store>.lock` so that writers — pages of several sessions, the command line, a
rebuild — go one at a time. Readers, in this process or another one (the app while the command line
imports), keep answering from the file they opened and switch at their next query. A write killed midway
leaves the published store as it was; its copy is removed by the next writer."""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from geo.errors import GeoError, StoreBusy, StoreDamaged, StoreMissing, StoreUnwritable
from geo.paths import store_path
from geo.store.schema import create_user_tables

log = logging.getLogger(__name__)

_lock = threading.RLock()
_readers: dict[str, tuple[tuple[int, int], duckdb.DuckDBPyConnection]] = {}


def _resolve(path: Path | str | None) -> Path:
    path = Path(path or store_path())
    if not path.exists():
        raise StoreMissing(f"Magasin introuvable : {path}. Construisez-le avec « python -m geo "
                           f"build » (ou « make run »).")
    return path


def file_version(path: Path) -> tuple[int, int]:
    """Which file the path names now: a write publishes a new file by rename, so any write changes it."""
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


class _Gate:
    """This process's reads in flight on its cached connections, and one writer at a time: a writer (or the
    reopening of a rebuilt file) waits for the reads in flight and holds new ones back, so that closing the
    shared read connection never pulls it from under another session's query."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._reads = 0
        self._exclusive = False

    def enter_read(self) -> None:
        with self._cond:
            while self._exclusive:
                self._cond.wait()
            self._reads += 1

    def exit_read(self) -> None:
        with self._cond:
            self._reads -= 1
            self._cond.notify_all()

    @contextmanager
    def exclusive(self, wait: float) -> Iterator[None]:
        deadline = time.monotonic() + wait
        with self._cond:
            while self._exclusive or self._reads:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise StoreBusy("Le magasin est très sollicité en ce moment : rien n'a été enregistré, "
                                   "réessayez dans un instant.")
                self._cond.wait(left)
            self._exclusive = True
        try:
            yield
        finally:
            with self._cond:
                self._exclusive = False
                self._cond.notify_all()


_gate = _Gate()


def _open_for_read(path: Path) -> duckdb.DuckDBPyConnection:
    """Enter read mode and return the cached read-only connection, reopened first if the file changed."""
    key = str(path)
    while True:
        _gate.enter_read()
        with _lock:
            cached = _readers.get(key)
            if cached is not None and cached[0] == file_version(path):
                return cached[1]
        _gate.exit_read()
        with _gate.exclusive(WRITE_WAIT_SECONDS), _lock:  # nobody reads while the old connection closes
            ident = file_version(path)
            cached = _readers.get(key)
            if cached is None or cached[0] != ident:
                if cached is not None:
                    cached[1].close()
                    _readers.pop(key, None)
                try:
                    con = duckdb.connect(key, read_only=True)
                except duckdb.Error as exc:
                    if "lock" in str(exc).lower():
                        raise StoreBusy(f"Le magasin {path} est ouvert en écriture par un autre programme : "
                                       "patientez un instant puis rechargez la page.") from exc
                    raise StoreDamaged(f"Magasin illisible : {path} ({exc}). "
                                   "Reconstruisez-le avec « python -m geo build ».") from exc
                _readers[key] = (ident, con)


class _Reading:
    """What `reader()` returns: each execute() and the fetch that follows run in read mode on a cursor of
    the cached connection (its own cursor: sessions never share one)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._cursor: duckdb.DuckDBPyConnection | None = None
        self._reading = False

    def execute(self, sql: str, params=None) -> _Reading:
        self._done()
        con = _open_for_read(self._path)
        self._reading = True
        try:
            self._cursor = con.cursor()
            self._cursor.execute(sql, params) if params is not None else self._cursor.execute(sql)
        except BaseException:
            self._done()
            raise
        return self

    def _done(self) -> None:
        if self._reading:
            self._reading = False
            if self._cursor is not None:  # a cursor left open keeps the database open: no writer could
                self._cursor.close()      # open it afterwards
            _gate.exit_read()

    def _fetch(self, method: str, *args, **kwargs):
        if not self._reading:
            raise StoreBusy("Lecture du magasin déjà terminée : relancez la requête.")
        try:
            return getattr(self._cursor, method)(*args, **kwargs)
        finally:
            self._done()

    def fetchall(self):
        return self._fetch("fetchall")

    def fetchone(self):
        return self._fetch("fetchone")

    def df(self):
        return self._fetch("df")

    fetchdf = df

    def __del__(self) -> None:
        self._done()


def reader(path: Path | str | None = None) -> _Reading:
    """A reading handle on the store's cached read-only connection (reopened when the file was rebuilt or
    written): `reader().execute(sql, params).df()` / `.fetchall()` / `.fetchone()`."""
    return _Reading(_resolve(path))


def release(path: Path | str | None = None) -> None:
    """Close the cached reader of a store (needed before writing to it from this process); call it in
    exclusive mode."""
    key = str(Path(path or store_path()))
    with _lock:
        cached = _readers.pop(key, None)
        if cached is not None:
            cached[1].close()


WRITE_WAIT_SECONDS = 30.0


@contextmanager
def write_lock(path: Path | str | None = None, wait: float | None = None) -> Iterator[None]:
    """The store's writers, across processes, one at a time: an advisory lock on `<store>.lock`, held by an
    import for its transaction and by a build from the copy of the user tables to the swap of the file —
    so that no import can land in a file about to be replaced."""
    path = Path(path or store_path())
    lock_path = path.with_name(path.name + ".lock")
    deadline = time.monotonic() + (WRITE_WAIT_SECONDS if wait is None else wait)
    try:
        handle = open(lock_path, "a+")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise StoreUnwritable(write_error(exc, path)) from exc
    with handle:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy("Le magasin est en cours d'écriture (reconstruction de la géographie ou autre "
                                   "import) : rien n'a été enregistré, réessayez dans un instant.") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextmanager
def transaction(path: Path | str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """One write transaction, published whole or not at all."""
    path = _resolve(path)
    with write_lock(path):
        remove_stale(path)
        copy = path.with_name(f"{path.name}{WRITING}{os.getpid()}-{threading.get_ident()}")
        try:
            try:
                shutil.copyfile(path, copy)
                con = duckdb.connect(str(copy))
            except (OSError, duckdb.Error) as exc:
                raise StoreUnwritable(write_error(exc, path)) from exc
            try:
                create_user_tables(con)
                con.execute("BEGIN")
                yield con
                try:
                    con.execute("COMMIT")
                    con.execute("CHECKPOINT")
                except duckdb.Error as exc:
                    raise StoreUnwritable(write_error(exc, path)) from exc
            finally:
                con.close()
            try:
                os.replace(copy, path)
            except OSError as exc:
                raise StoreUnwritable(write_error(exc, path)) from exc
            log.info("écriture publiée : %s", path)
        except BaseException as exc:
            log.warning("écriture abandonnée, rien n'a été publié sur %s : %s", path, exc, exc_info=not isinstance(
                exc, GeoError))
            raise
        finally:
            remove(copy)


WRITING = ".ecriture-"   # a write's private copy: <store>.ecriture-<pid>-<thread>
BUILDING = ".tmp-"       # a build's new file: <store>.tmp-<pid>


def write_error(exc: BaseException, path: Path) -> str:
    """The French message for a write that failed, naming its real cause (full disk, read-only place)."""
    text = str(exc)
    code = getattr(exc, "errno", None)
    if code == errno.ENOSPC or "No space left" in text:
        return (f"Disque plein : le magasin {path} n'a pas pu être écrit. Rien n'a été enregistré et les données "
                "précédentes sont intactes ; libérez de la place (il faut environ deux fois la taille du magasin) "
                "puis recommencez.")
    if code in (errno.EROFS, errno.EACCES, errno.EPERM) or "Read-only file system" in text or \
            "Permission denied" in text:
        return (f"Le magasin {path} est en lecture seule (dossier ou disque protégé en écriture) : rien n'a été "
                "enregistré. Cette copie sert à consulter ; importez sur le poste qui publie le magasin.")
    return f"Écriture du magasin {path} impossible ({text}) : rien n'a été enregistré, les données sont intactes."


def remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        try:
            p.unlink(missing_ok=True)
        except OSError:
            pass


def remove_stale(store: Path) -> None:
    """Copies and new files left by writes and builds that were killed (their process is gone): tens of MB
    each, which no later write would otherwise remove."""
    for marker in (WRITING, BUILDING):
        for path in store.parent.glob(f"{store.name}{marker}*"):
            pid = path.name[len(store.name) + len(marker):].removesuffix(".wal").split("-")[0]
            if not pid.isdigit() or int(pid) == os.getpid():
                continue
            try:
                os.kill(int(pid), 0)
            except ProcessLookupError:
                remove(path)
            except PermissionError:
                pass  # a live process of another user
