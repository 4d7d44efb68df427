"""Connections to the DuckDB store: cached read-only readers, one short transaction per write."""

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


def reader(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """A cursor on a cached read-only connection, reopened when the file was rebuilt or written."""
    path = _resolve(path)
    key = str(path)
    with _lock:
        ident = _identity(path)
        cached = _readers.get(key)
        if cached is None or cached[0] != ident:
            if cached is not None:
                cached[1].close()
            try:
                con = duckdb.connect(key, read_only=True)
            except duckdb.Error as exc:
                raise GeoError(f"Magasin illisible : {path} ({exc}). "
                               "Reconstruisez-le avec « python -m geo build ».") from exc
            _readers[key] = (ident, con)
        return _readers[key][1].cursor()


def release(path: Path | str | None = None) -> None:
    """Close the cached reader of a store (needed before writing to it from this process)."""
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
    with _lock, write_lock(path):
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
