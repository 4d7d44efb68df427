"""Publish the store for read-only replicas: one writer copies a consistent snapshot next to the published
file, checks it opens, then renames it over the old one — readers see the old file or the new one, never
half of one, and each reopens the new file at its next query (geo/store/connection.py follows the file's identity).
Both files are taken with their symbolic links followed (a link stays a link); copies left by killed publications
are removed by the next one."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import duckdb

from geo.errors import InputRefused, StoreBusy, StoreDamaged, StoreMissing, StoreUnwritable
from geo.paths import real_path, store_path
from geo.store.connection import PUBLISHING, remove_stale, write_lock

PARTIAL = PUBLISHING   # temporary files: <dest>.publication-<pid>, removed on failure or by the next publication

log = logging.getLogger(__name__)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check(path: Path) -> int:
    """The copy opens and holds the geography and the user tables; returns its number of active imports."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise StoreDamaged(f"Copie illisible ({exc}) : rien n'a été publié.") from exc
    try:
        if not con.execute("SELECT count(*) FROM communes").fetchone()[0]:
            raise StoreDamaged("La copie n'a aucune commune : rien n'a été publié.")
        return con.execute("SELECT count(*) FROM imports WHERE retire_le IS NULL").fetchone()[0]
    except duckdb.Error as exc:
        raise StoreDamaged(f"Copie incomplète ({exc}) : rien n'a été publié.") from exc
    finally:
        con.close()


def publish(dest: Path | str, source: Path | str | None = None) -> int:
    """Copy the writer's store (`source`, default the store) to `dest` atomically; returns the number of active
    imports published. Holds the store's write lock while copying, so no import lands mid-copy."""
    source = real_path(source or store_path())
    dest = real_path(dest)
    if not source.exists():
        raise StoreMissing(f"Magasin introuvable : {source}.")
    if dest.resolve() == source.resolve():
        raise InputRefused("La copie publiée doit être un autre fichier que le magasin de l'écrivain.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(dest)
    partial = dest.with_name(f"{dest.name}{PARTIAL}{os.getpid()}")
    try:
        with write_lock(source):
            if source.with_name(source.name + ".wal").exists():
                raise StoreBusy(f"Le journal d'écriture de {source} n'est pas vidé (écriture interrompue ?) : "
                               "ouvrez le magasin une fois (python -m geo imports) puis relancez la publication.")
            shutil.copyfile(source, partial)
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        active = _check(partial)
        os.replace(partial, dest)
        _fsync_dir(dest.parent)
    except OSError as exc:
        log.warning("publication de %s vers %s abandonnée : %s", source, dest, exc)
        raise StoreUnwritable(f"Publication impossible vers {dest} ({exc.strerror or exc}) : la "
                              f"copie publiée précédente "
                       "est intacte.") from exc
    finally:
        partial.unlink(missing_ok=True)
    return active
