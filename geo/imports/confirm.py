"""Nothing saved unseen: approximate matches (« Liévain » → Liévin) wait for the officer's confirmation
before a list is saved (all in one click, or one sent back to review), and the rows left to review are
counted so that saving with them asks first."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from geo.resolve import index

if TYPE_CHECKING:
    from geo.imports.prepare import Prepared

CONFIRMED = "confirme"   # column of Prepared.rows: an approximate match the officer has seen and accepted

__all__ = ["CONFIRMED", "confirm", "send_to_review", "to_confirm"]


def to_confirm(prepared: Prepared) -> pd.DataFrame:
    """The approximate matches not yet confirmed (territorial lists; a site list has no approximate commune)."""
    rows = prepared.rows
    if prepared.genre != "entites" or "statut" not in rows:
        return rows.iloc[0:0]
    seen = rows[CONFIRMED].fillna(False).astype(bool) if CONFIRMED in rows else pd.Series(False, index=rows.index)
    return rows[(rows["statut"] == "approx") & ~seen]


def confirm(prepared: Prepared, lignes: list | None = None) -> int:
    """Accept the approximate matches (those of `lignes`, else all); returns how many."""
    waiting = to_confirm(prepared).index
    chosen = waiting if lignes is None else waiting.intersection(pd.Index(lignes))
    if CONFIRMED not in prepared.rows:
        prepared.rows[CONFIRMED] = False
    prepared.rows.loc[chosen, CONFIRMED] = True
    return len(chosen)


def send_to_review(prepared: Prepared, ligne, store: Path | None = None) -> None:
    """Refuse one approximate match: the row goes to « À revoir » with the match as its only candidate."""
    rows = prepared.rows
    code = str(rows.at[ligne, "code"])
    rows.loc[ligne, ["statut", "candidats", "remarque", "code"]] = [
        "ambigu", index(store).describe(code) if code else "",
        f"rapprochement non confirmé ({rows.at[ligne, 'nom_officiel']}) : à revoir", ""]
