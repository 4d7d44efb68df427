"""A corrected list replaces the one it corrects: the import it replaces is proposed (same label and kind, the
same file name or most territories in common), the differences are said before saving (added, removed, dates
changed), and saving withdraws the old version in the same transaction — kept, readable and restorable — so
that coverage and lists never count two versions of one list."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from geo import fr
from geo.errors import InputRefused, UnknownName
from geo.imports.write import default_author, write
from geo.store import journal, reader, transaction

if TYPE_CHECKING:
    from geo.imports.prepare import Prepared

log = logging.getLogger(__name__)

OVERLAP = 0.5   # share of the new list's territories already in an import for it to be proposed as its new version
_RESOLVED = ("exact", "normalise", "approx")

__all__ = ["OVERLAP", "commit_version", "differences", "replaceable"]


def _keys(prepared: Prepared) -> pd.DataFrame:
    """The territories (or sites) a prepared list will count, with their dates."""
    rows = prepared.rows
    if prepared.genre == "sites":
        kept = rows[rows["commune"].notna() & (rows["statut"] != "ecarte")]
        return pd.DataFrame({"nom": kept["nom"].astype(str), "commune": kept["commune"].astype(str)})
    kept = rows[rows["statut"].isin(_RESOLVED) & (rows["code"].astype(str) != "")]
    return pd.DataFrame({"niveau": kept["niveau"], "code": kept["code"], "nom_officiel": kept["nom_officiel"],
                         "date": kept["date_label"]}).drop_duplicates(["niveau", "code"])


def _stored(import_id: int, genre: str, store: Path | None) -> pd.DataFrame:
    con = reader(store)
    if genre == "sites":
        return con.execute("SELECT DISTINCT nom, commune FROM sites WHERE import_id = ? AND commune IS NOT NULL "
                           "AND statut <> 'ecarte'", [import_id]).df()
    return con.execute(
        "SELECT niveau, code, any_value(nom_officiel) AS nom_officiel, min(CASE WHEN date_label BETWEEN "
        "DATE '1900-01-01' AND DATE '2200-12-31' THEN date_label END) AS date FROM entites WHERE import_id = ? "
        "AND code IS NOT NULL AND statut IN ('exact', 'normalise', 'approx') GROUP BY niveau, code",
        [import_id]).df()


def replaceable(prepared: Prepared, store: Path | None = None) -> pd.DataFrame:
    """The active imports of the same label and kind this list may be a new version of, most likely first:
    columns id, fichier, importe_le, commun (share of this list's territories already there), raison."""
    found = reader(store).execute(
        "SELECT i.id, i.fichier, i.importe_le FROM imports i JOIN labels l ON l.id = i.label_id WHERE l.nom = ? "
        "AND i.genre = ? AND i.retire_le IS NULL ORDER BY i.id DESC", [prepared.label, prepared.genre]).df()
    new = _keys(prepared)
    key = ["nom", "commune"] if prepared.genre == "sites" else ["niveau", "code"]
    out = []
    for row in found.itertuples():
        old = _stored(int(row.id), prepared.genre, store)
        common = len(new.merge(old[key], on=key)) / len(new) if len(new) else 0.0
        same_name = _stem(row.fichier) == _stem(prepared.fichier)
        if same_name or common >= OVERLAP:
            why = "même nom de fichier" if same_name else f"{common:.0%} des lignes en commun".replace("%", " %")
            out.append({"id": int(row.id), "fichier": row.fichier, "importe_le": row.importe_le, "commun": common,
                        "raison": why})
    table = pd.DataFrame(out, columns=["id", "fichier", "importe_le", "commun", "raison"])
    return table.sort_values(["commun", "id"], ascending=False).reset_index(drop=True)


def _stem(name: str | None) -> str:
    """A file's name without its extension, a copy number or a version word: « suivi v2 (1).xlsx » and
    « suivi-v1.csv » → « suivi »; « liste-1 » and « liste-2 » stay two names."""
    stem = re.sub(r"\s*\(\d+\)$", "", Path(str(name or "")).stem.strip())
    stem = fr.fold(stem)
    while True:
        shorter = re.sub(r"(?:^|\s)(?:v\d+|version \d+|copie|copy|final|finale|definitif|definitive|def|corrige|"
                         r"corrigee|maj)$", "", stem).strip()
        if shorter == stem:
            return stem
        stem = shorter


def differences(prepared: Prepared, import_id: int, store: Path | None = None) -> dict[str, pd.DataFrame]:
    """What saving this list as a new version of `import_id` changes: ajouts, retraits and, for territorial
    lists, dates (code, nom_officiel, avant, apres as written dates)."""
    new, old = _keys(prepared), _stored(import_id, prepared.genre, store)
    key = ["nom", "commune"] if prepared.genre == "sites" else ["niveau", "code"]
    merged = new.merge(old, on=key, how="outer", suffixes=("", "_avant"), indicator=True)
    added = merged[merged["_merge"] == "left_only"]
    removed = merged[merged["_merge"] == "right_only"]
    out = {"ajouts": added[[c for c in new.columns if c != "date"]].reset_index(drop=True),
           "retraits": removed.assign(nom_officiel=removed.get("nom_officiel_avant"))[
               [c for c in new.columns if c != "date"]].reset_index(drop=True)}
    if prepared.genre != "sites":
        both = merged[merged["_merge"] == "both"]
        before, after = both["date_avant"].map(_day), both["date"].map(_day)
        changed = both[(before != after).to_numpy()]
        out["dates"] = pd.DataFrame({"code": changed["code"], "nom_officiel": changed["nom_officiel"],
                                     "avant": changed["date_avant"].map(_shown),
                                     "apres": changed["date"].map(_shown)}).reset_index(drop=True)
    return out


def _day(value):
    return None if value is None or value != value else pd.Timestamp(value).date()


def _shown(value) -> str:
    day = _day(value)
    return fr.short(day) if day else "sans date"


def commit_version(prepared: Prepared, replaces: int, store: Path | None = None, auteur: str | None = None) -> int:
    """Save the list as the new version of import n° `replaces`, withdrawing that one in the same transaction
    (both or neither); returns the new import's id."""
    auteur = auteur or default_author()
    with transaction(store) as con:
        row = con.execute("SELECT l.nom, i.genre, i.retire_le FROM imports i JOIN labels l ON l.id = i.label_id "
                          "WHERE i.id = ?", [replaces]).fetchone()
        if row is None:
            raise UnknownName(f"Aucun import n° {replaces} à remplacer.")
        label, genre, withdrawn = row
        if withdrawn is not None:
            raise InputRefused(f"L'import n° {replaces} est déjà retiré : il ne peut pas être remplacé.")
        if (label, genre) != (prepared.label, prepared.genre):
            raise InputRefused(f"L'import n° {replaces} est une autre liste (label « {label} ») : une nouvelle "
                               "version remplace une liste du même label et du même type.")
        prepared.options = {**prepared.options, "remplace": int(replaces)}
        # withdrawn first: the new version's sites do not repeat the old one's (site_repeats, run by write)
        con.execute("UPDATE imports SET retire_le = ?, retire_par = ? WHERE id = ?", [journal.now(), auteur, replaces])
        new_id = write(con, prepared, auteur)
        journal.record(con, auteur, "remplacement", replaces, f"remplacé par l'import n° {new_id}")
    log.info("import n° %s remplacé par l'import n° %s (%s)", replaces, new_id, auteur)
    return new_id
