"""The store's write journal: every write says who made it and when, in the same transaction as the write."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from geo.store.connection import reader

ACTIONS = {"import": "import", "retrait": "retrait d'un import", "restauration": "restauration d'un import",
           "remplacement": "import remplacé par une nouvelle version",
           "noms_oublies": "noms retenus oubliés", "noms_ajoutes": "noms retenus ajoutés"}
COLUMNS = ["quand", "auteur", "action", "import_id", "detail"]


def now() -> datetime:
    """The store's clock: UTC without time zone, like every other timestamp of the store."""
    return datetime.now(UTC).replace(tzinfo=None)


def record(con: duckdb.DuckDBPyConnection, auteur: str, action: str, import_id: int | None = None,
           detail: str = "") -> None:
    """One line of the journal, written inside the caller's open transaction (so it lands with the write)."""
    if action not in ACTIONS:
        raise ValueError(action)
    con.execute("INSERT INTO journal (quand, auteur, action, import_id, detail) VALUES (?, ?, ?, ?, ?)",
                [now(), auteur or "inconnu", action, import_id, detail or None])


def listing(store: Path | None = None, limit: int = 200) -> pd.DataFrame:
    """The latest writes first (an older store without the journal has none to show)."""
    try:
        return reader(store).execute(
            f"SELECT {', '.join(COLUMNS)} FROM journal ORDER BY quand DESC LIMIT ?", [limit]).df()
    except duckdb.CatalogException:
        return pd.DataFrame(columns=COLUMNS)
