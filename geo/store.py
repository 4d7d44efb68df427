"""Connections to the DuckDB store: cached read-only readers, one short transaction per write, writers one
at a time across processes and never closing a connection under a read in flight."""

from __future__ import annotations

import fcntl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from geo.errors import GeoError
from geo.paths import store_path
from geo.schema import create_user_tables

_lock = threading.RLock()
_readers: dict[str, tuple[tuple[int, int], duckdb.DuckDBPyConnection]] = {}


def _resolve(path: Path | str | None) -> Path:
    path = Path(path or store_path())
    if not path.exists():
        raise GeoError(f"Magasin introuvable : {path}. Construisez-le avec « python -m geo build » (ou « make run »).")
    return path


def _identity(path: Path) -> tuple[int, int]:
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
                    raise GeoError("Le magasin est très sollicité en ce moment : rien n'a été enregistré, "
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
            if cached is not None and cached[0] == _identity(path):
                return cached[1]
        _gate.exit_read()
        with _gate.exclusive(WRITE_WAIT_SECONDS), _lock:  # nobody reads while the old connection closes
            ident = _identity(path)
            cached = _readers.get(key)
            if cached is None or cached[0] != ident:
                if cached is not None:
                    cached[1].close()
                    _readers.pop(key, None)
                try:
                    con = duckdb.connect(key, read_only=True)
                except duckdb.Error as exc:
                    raise GeoError(f"Magasin illisible : {path} ({exc}). "
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
            raise GeoError("Lecture du magasin déjà terminée : relancez la requête.")
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
    with open(lock_path, "a+") as handle:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise GeoError("Le magasin est en cours d'écriture (reconstruction de la géographie ou autre "
                                   "import) : rien n'a été enregistré, réessayez dans un instant.") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextmanager
def transaction(path: Path | str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """One write transaction: committed whole or rolled back whole."""
    path = _resolve(path)
    with write_lock(path), _gate.exclusive(WRITE_WAIT_SECONDS), _lock:
        release(path)
        try:
            con = duckdb.connect(str(path))
        except duckdb.Error as exc:
            raise GeoError(f"Impossible d'écrire dans {path} ({exc}) : un autre programme l'utilise-t-il ?") from exc
        try:
            create_user_tables(con)
            con.execute("BEGIN")
            try:
                yield con
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        finally:
            con.close()
