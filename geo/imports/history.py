"""The history of imports: every import listed with its author, withdrawn and restored (the rows stay
readable and the journal keeps who did what), and compared with the previous import of the same list."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd

from geo.errors import InputRefused, UnknownName
from geo.imports.site_repeats import mark_repeats
from geo.imports.write import default_author
from geo.store import journal, reader, transaction

log = logging.getLogger(__name__)


def list_imports(store: Path | None = None) -> pd.DataFrame:
    """Every import with its author and who withdrew it (blank in a store older than these columns)."""
    con = reader(store)
    present = {r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
        "AND table_name = 'imports'").fetchall()}
    who = ", ".join(f"i.{c}" if c in present else f"NULL::VARCHAR AS {c}" for c in ("auteur", "retire_par"))
    return con.execute(
        "SELECT i.id, l.nom AS label, i.genre, i.fichier, i.importe_le, i.lignes, i.statuts, i.retire_le, "
        f"i.source, i.note_completude, {who} FROM imports i JOIN labels l ON l.id = i.label_id ORDER BY i.id").df()

def withdraw(import_id: int, store: Path | None = None, auteur: str | None = None) -> None:
    """Withdraw an import (its rows stay readable), saying who did it."""
    auteur = auteur or default_author()
    with transaction(store) as con:
        row = con.execute("SELECT retire_le FROM imports WHERE id = ?", [import_id]).fetchone()
        if row is None:
            raise UnknownName(f"Aucun import n° {import_id}.")
        if row[0] is not None:
            raise InputRefused(f"L'import n° {import_id} est déjà retiré (le {row[0]:%d/%m/%Y %H:%M}).")
        con.execute("UPDATE imports SET retire_le = ?, retire_par = ? WHERE id = ?",
                    [journal.now(), auteur, import_id])
        mark_repeats(con)  # the same sites in the label's other imports count again, or no more
        journal.record(con, auteur, "retrait", import_id)
    log.info("import n° %s retiré par %s", import_id, auteur)


def restore(import_id: int, store: Path | None = None, auteur: str | None = None) -> None:
    """Undo a withdrawal: the import counts again (the journal keeps who withdrew and who restored it)."""
    auteur = auteur or default_author()
    with transaction(store) as con:
        row = con.execute("SELECT retire_le FROM imports WHERE id = ?", [import_id]).fetchone()
        if row is None:
            raise UnknownName(f"Aucun import n° {import_id}.")
        if row[0] is None:
            raise InputRefused(f"L'import n° {import_id} n'est pas retiré.")
        con.execute("UPDATE imports SET retire_le = NULL, retire_par = NULL WHERE id = ?", [import_id])
        mark_repeats(con)  # the same sites in the label's other imports count again, or no more
        journal.record(con, auteur, "restauration", import_id)
    log.info("import n° %s restauré par %s", import_id, auteur)


def compare(import_id: int, store: Path | None = None, same_list: str | None = None) -> dict[str, pd.DataFrame]:
    """What an import adds and drops against the previous active import of the same label and kind (of the
    same list, when `same_list` names it: imports whose file name starts with it)."""
    con = reader(store)
    row = con.execute("SELECT label_id, genre, options FROM imports WHERE id = ?", [import_id]).fetchone()
    if row is None:
        raise UnknownName(f"Aucun import n° {import_id}.")
    label_id, genre, options = row
    replaced = json.loads(options or "{}").get("remplace")  # a new version: compared with the one it replaced
    prev = int(replaced) if replaced is not None else con.execute(
        "SELECT max(id) FROM imports WHERE label_id = ? AND genre = ? AND id < ? "
        "AND retire_le IS NULL AND (? IS NULL OR starts_with(fichier, ?))",
        [label_id, genre, import_id, same_list, same_list]).fetchone()[0]
    if genre == "entites":
        sql = ("SELECT DISTINCT niveau, code, nom_officiel FROM entites WHERE import_id = ? AND code IS NOT NULL "
               "AND statut IN ('exact','normalise','approx')")
        keys = ["niveau", "code"]
    else:
        sql = "SELECT DISTINCT nom, commune FROM sites WHERE import_id = ? AND statut <> 'ecarte'"
        keys = ["nom", "commune"]
    new = con.execute(sql, [import_id]).df()
    old = con.execute(sql, [prev]).df() if prev else new.iloc[0:0]
    merged = new.merge(old[keys], on=keys, how="outer", indicator=True)
    merged_old = old.merge(new[keys], on=keys, how="left", indicator=True)
    return {"precedent": prev, "ajouts": merged[merged["_merge"] == "left_only"].drop(columns="_merge"),
            "retraits": merged_old[merged_old["_merge"] == "left_only"].drop(columns="_merge")}
