"""The same facility in two active imports of one label counts once: each later copy names the import that
already has it. Recomputed whenever an import is written, withdrawn, restored or replaced, so that withdrawing
the first list lets the other count again."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from geo import fr
from geo.store import reader

if TYPE_CHECKING:
    from geo.imports.prepare import Prepared

__all__ = ["already_counted", "mark_repeats", "repeats", "said_where"]

# two copies farther apart than this are two facilities, whatever their names
NEAR_KM = 0.3
_SMALL = {"de", "du", "des", "d", "la", "le", "les", "l", "au", "aux", "et"}  # not « a »: « Terrain A »

_ACTIVE = """
    SELECT s.label_id, s.import_id, s.ligne, s.nom, s.ville, s.adresse, s.lon, s.lat, s.commune,
           c.nom AS commune_nom
    FROM sites s JOIN imports i ON i.id = s.import_id AND i.retire_le IS NULL
    LEFT JOIN communes c ON c.code = s.commune
    WHERE (s.label_id = $label OR $label IS NULL) AND s.ligne IS NOT NULL
      AND s.statut <> 'ecarte' AND s.commune IS NOT NULL AND NOT coalesce(s.doublon, false)
    ORDER BY s.import_id, s.ligne"""


def _text(value) -> str:
    """A cell as text: a missing one (None, NaN) is empty, not « nan »."""
    return value if isinstance(value, str) else ""


def _name_key(name, town) -> str:
    """A facility's name folded, without its town's name and the small words (« Stade couvert de Liévin »)."""
    town_words = set(fr.fold(town).split())
    words = fr.fold(_text(name)).split()
    return " ".join(w for k, w in enumerate(words) if w not in _SMALL and w not in town_words
                    and not (w == "a" and k + 1 < len(words) and words[k + 1] in town_words))  # « … à Nîmes »


def _km(a: tuple, b: tuple) -> float:
    """Distance between two (lon, lat) points, flat-earth (only ever asked of points a few km apart)."""
    dx = (a[0] - b[0]) * 111.32 * math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot(dx, (a[1] - b[1]) * 110.57)


def _same(row, other) -> bool:
    """Same name and commune already; nothing written disagrees: neither the town as written (Tourlaville and
    Octeville are both in Cherbourg-en-Cotentin), nor the address, nor the point."""
    if row.ville_pliee and other.ville_pliee and row.ville_pliee != other.ville_pliee:
        return False
    if row.adresse_pliee and other.adresse_pliee and row.adresse_pliee != other.adresse_pliee:
        return False
    here, there = (row.lon, row.lat), (other.lon, other.lat)
    known = all(v == v and v is not None for v in (*here, *there))
    return not known or _km(here, there) <= NEAR_KM


def repeats(rows: pd.DataFrame) -> pd.Series:
    """For counted site rows in import order (import_id, nom, ville, adresse, lon, lat, commune, commune_nom):
    the import that already has the same facility, for each later copy in another import (else missing)."""
    out = pd.Series(pd.NA, index=rows.index, dtype="Int64")
    if rows.empty:
        return out
    frame = rows.assign(
        cle=[_name_key(n, f"{_text(c)} {_text(v)}") for n, c, v in zip(rows["nom"], rows["commune_nom"],
                                                                        rows["ville"], strict=True)],
        ville_pliee=rows["ville"].map(lambda v: fr.fold(_text(v))),
        adresse_pliee=rows["adresse"].map(lambda a: fr.fold(_text(a))))
    frame = frame[frame["cle"] != ""]
    by = ["label_id", "commune", "cle"] if "label_id" in frame else ["commune", "cle"]
    for _, group in frame.groupby(by, sort=False):
        if group["import_id"].nunique() < 2:
            continue
        kept: list[tuple] = []  # (row, the imports that already matched it: one copy per import)
        for line, row in zip(group.index, group.itertuples(index=False), strict=True):
            first = next((k for k in kept if k[0].import_id != row.import_id and row.import_id not in k[1]
                          and _same(row, k[0])), None)
            if first is None:
                kept.append((row, set()))
            else:
                first[1].add(row.import_id)
                out[line] = int(first[0].import_id)
    return out


def mark_repeats(con, label_id: int | None = None) -> int:
    """Inside a write transaction: flag the later copies of a facility across the active imports of a label (of
    every label when none is given: a store saved before the flag existed), clearing the old flags first;
    returns how many rows are flagged."""
    con.execute("UPDATE sites SET deja_import = NULL WHERE (label_id = $label OR $label IS NULL) "
                "AND deja_import IS NOT NULL", {"label": label_id})
    active = con.execute(_ACTIVE, {"label": label_id}).df()
    found = repeats(active).dropna()
    if found.empty:
        return 0
    rows = active.loc[found.index]
    flagged = pd.DataFrame({"import_id": rows["import_id"].astype(int), "ligne": rows["ligne"].astype(int),  # noqa: F841
                            "deja": found.astype(int)})
    con.execute("UPDATE sites SET deja_import = f.deja FROM flagged f "
                "WHERE sites.import_id = f.import_id AND sites.ligne = f.ligne")
    return len(found)


def already_counted(prepared: Prepared, store: Path | None = None, besides: int | None = None) -> pd.Series:
    """Before saving a list of sites as one more import: its rows that repeat a facility of an active import of
    the same label (other than `besides`, the import it would replace), with that import's id."""
    rows = prepared.rows
    if prepared.genre != "sites" or rows.empty:
        return pd.Series(dtype="Int64")
    con = reader(store)
    found = con.execute("SELECT id FROM labels WHERE nom = ?", [prepared.label]).fetchone()
    if not found:
        return pd.Series(dtype="Int64")
    stored = con.execute(_ACTIVE, {"label": found[0]}).df().drop(columns="label_id")
    if besides is not None:
        stored = stored[stored["import_id"] != besides]
    live = rows[rows["commune"].notna() & (rows["statut"] != "ecarte")
                & ~rows.get("doublon", pd.Series(False, index=rows.index)).fillna(False).astype(bool)]
    if stored.empty or live.empty:
        return pd.Series(dtype="Int64")
    names = con.execute("SELECT code, nom FROM communes WHERE code IN (SELECT unnest(?))",
                        [sorted(set(live["commune"]))]).fetchall()
    new = pd.DataFrame({"import_id": -1, "ligne": live.index, "nom": live["nom"], "ville": live["ville"],
                        "adresse": live["adresse"], "lon": live["lon"].astype(float), "lat": live["lat"].astype(float),
                        "commune": live["commune"], "commune_nom": live["commune"].map(dict(names))})
    both = pd.concat([stored.assign(import_id=stored["import_id"].astype(int)), new], ignore_index=True)
    both = both.assign(_o=both["import_id"].where(both["import_id"] >= 0, 2**31)).sort_values(["_o", "ligne"],
                                                                                             kind="stable")
    found = repeats(both.drop(columns="_o"))
    mine = both["import_id"] == -1
    hit = found[mine.loc[found.index] & found.notna()]
    return pd.Series(hit.to_numpy(), index=both.loc[hit.index, "ligne"].to_numpy(), dtype="Int64")


def said_where(found: pd.Series) -> str:
    """« 1 site de cette liste figure déjà dans l'import n° 4 », « 3 sites … dans les imports n° 4 et n° 7 »."""
    ids = [f"n° {int(i)}" for i in sorted(set(found))]
    where = f"l'import {ids[0]}" if len(ids) == 1 else f"les imports {', '.join(ids[:-1])} et {ids[-1]}"
    n = len(found)
    return (f"{fr.number(n)} site de cette liste figure" if n == 1 else
            f"{fr.number(n)} sites de cette liste figurent") + f" déjà dans {where} de ce label"
