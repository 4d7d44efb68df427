"""Connections to the DuckDB store: cached read-only readers, and writes that never touch the file readers
have open.

A write (an import, a withdrawal, a remembered name) copies the store, commits on the copy and publishes it
by an atomic rename, holding `<store>.lock` (and the store's folder) so that writers — pages of several sessions,
the command line, a rebuild — go one at a time. A store named through a symbolic link is written next to its real
file: the link stays a link, and every name of the store shares one lock. Readers, in this process or another
one (the app while the command line imports), keep answering from the file they opened and switch at their next
query. A write killed midway leaves the published store as it was; its copy is removed by the next writer."""

from __future__ import annotations

import errno
import fcntl
import glob
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
from geo.paths import real_path, store_path
from geo.store.schema import create_user_tables

log = logging.getLogger(__name__)

_lock = threading.RLock()
_readers: dict[str, tuple[tuple[int, int], duckdb.DuckDBPyConnection]] = {}


def _resolve(path: Path | str | None) -> Path:
    """The store's real file (symbolic links followed); StoreMissing when there is none."""
    path = real_path(path or store_path())
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


def _check_whole(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """StoreDamaged when the file is shorter than its blocks in use (DuckDB opens a truncated copy, fails later)."""
    try:
        blocks, size = con.execute("SELECT used_blocks, block_size FROM pragma_database_size() "
                                   "WHERE database_name = current_database()").fetchone() or (0, 0)
        short = not path.with_name(path.name + ".wal").exists() and path.stat().st_size < blocks * size
    except (duckdb.Error, OSError) as exc:
        con.close()
        raise StoreDamaged(f"Magasin illisible : {path} ({exc}). "
                           "Reconstruisez-le avec « python -m geo build ».") from exc
    if short:
        con.close()
        raise StoreDamaged(f"Magasin illisible : {path} est tronqué ({path.stat().st_size} octets pour {blocks} "
                           f"blocs de {size} octets). Reconstruisez-le avec « python -m geo build ».")


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
                _check_whole(con, path)
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
    key = str(real_path(path or store_path()))
    with _lock:
        cached = _readers.pop(key, None)
        if cached is not None:
            cached[1].close()


WRITE_WAIT_SECONDS = 30.0


@contextmanager
def write_lock(path: Path | str | None = None, wait: float | None = None) -> Iterator[None]:
    """The store's writers, across processes, one at a time: an advisory lock on `<store>.lock`, held by an
    import for its transaction and by a build from the copy of the user tables to the swap of the file —
    so that no import can land in a file about to be replaced. The store's folder is locked too: deleting the
    lock file while a writer holds it lets no second writer in. No write ever removes the lock file."""
    path = real_path(path or store_path())
    deadline = time.monotonic() + (WRITE_WAIT_SECONDS if wait is None else wait)
    handle = _take_lock_file(path, deadline)
    try:
        folder = _take_folder(path, deadline)
        try:
            yield
        finally:
            if folder is not None:
                _unlock(folder)
                os.close(folder)
    finally:
        _unlock(handle.fileno())
        handle.close()


def _unlock(fd: int) -> None:
    """Let the lock go now, even if a child process inherited the descriptor."""
    try:
        fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError as exc:
        log.warning("verrou impossible à lâcher (%s) : il tombera à la fermeture du fichier", exc)


def _busy() -> StoreBusy:
    return StoreBusy("Le magasin est en cours d'écriture (reconstruction de la géographie ou autre "
                     "import) : rien n'a été enregistré, réessayez dans un instant.")


def _flock(fd: int, deadline: float) -> None:
    """Lock a file or folder for this writer alone, waiting until the deadline (then StoreBusy)."""
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise _busy() from None
            time.sleep(0.05)


def _same_file(fd: int, path: Path) -> bool:
    """Whether the open file is still the one at the path (neither deleted nor replaced since it was opened)."""
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)


def _take_lock_file(path: Path, deadline: float):
    """`<store>.lock`, open and locked; taken again when the file locked is no longer the one at the path (it was
    deleted or replaced while this writer waited for it)."""
    lock_path = path.with_name(path.name + ".lock")
    while True:
        try:
            handle = open(lock_path, "a+")  # noqa: SIM115 (closed by write_lock)
        except OSError as exc:
            log.warning("verrou %s impossible à ouvrir : %s", lock_path, exc)
            raise StoreUnwritable(write_error(exc, path)) from exc
        try:
            _flock(handle.fileno(), deadline)
            if _same_file(handle.fileno(), lock_path):
                return handle
        except BaseException:
            handle.close()
            raise
        handle.close()
        log.warning("verrou %s supprimé ou remplacé pendant l'attente : repris sur le fichier en place", lock_path)
        if time.monotonic() >= deadline:
            raise _busy()


def _take_folder(path: Path, deadline: float) -> int | None:
    """The store's folder, locked (its descriptor): a writer keeps it even when `<store>.lock` is deleted under
    it. None where the file system cannot lock a folder (some network shares): the lock file alone then."""
    try:
        fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        log.warning("dossier %s impossible à verrouiller (%s) : le fichier verrou seul protège le magasin",
                    path.parent, exc)
        return None
    try:
        _flock(fd, deadline)
    except OSError as exc:  # ENOLCK, EBADF, EOPNOTSUPP: no lock on folders here (busy is StoreBusy, not OSError)
        os.close(fd)
        log.warning("dossier %s impossible à verrouiller (%s) : le fichier verrou seul protège le magasin",
                    path.parent, exc)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd


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


WRITING = ".ecriture-"       # a write's private copy: <store>.ecriture-<pid>-<thread>
BUILDING = ".tmp-"           # a build's new file: <store>.tmp-<pid>
PUBLISHING = ".publication-"  # a publication's copy, next to the published file: <dest>.publication-<pid>


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
    """Remove a file and its DuckDB journal (`.wal`), if there; a failure is logged, never raised."""
    for p in (path, path.with_name(path.name + ".wal")):
        try:
            p.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("fichier %s impossible à effacer : %s", p, exc)


def remove_stale(store: Path) -> None:
    """Copies and new files left by writes, builds and publications that were killed (their process is gone):
    tens of MB each, which no later write would otherwise remove. `store` is the store, or a published file."""
    store = real_path(store)
    for marker in (WRITING, BUILDING, PUBLISHING):
        for path in store.parent.glob(f"{glob.escape(store.name)}{glob.escape(marker)}*"):
            pid = path.name[len(store.name) + len(marker):].removesuffix(".wal").split("-")[0]
            if pid.isdigit() and int(pid) != os.getpid() and _gone(int(pid)):
                log.info("copie laissée par le processus %s, arrêté, effacée : %s", pid, path)
                remove(path)


def _gone(pid: int) -> bool:
    """Whether no process has this number (a live process of another user counts as there)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass
    return False
