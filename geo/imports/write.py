"""Write prepared lists into the store, each import with its rows, its label and its author, in one
transaction (several lists: all or none); rows fixed by hand are remembered for later imports."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geo.imports.site_repeats import mark_repeats
from geo.resolve import memory as remembered
from geo.store import journal, reader, transaction

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from geo.imports.prepare import Prepared


def commit(prepared: Prepared, store: Path | None = None, auteur: str | None = None) -> int:
    """Write the import, its rows and (if new) its label in one transaction, and remember the rows fixed
    by hand; return the import id."""
    with transaction(store) as con:
        return write(con, prepared, auteur)


def commit_all(prepared: list[Prepared], store: Path | None = None, auteur: str | None = None) -> list[int]:
    """Several imports written together, or none of them."""
    with transaction(store) as con:
        return [write(con, p, auteur) for p in prepared]


def _attributes(df: pd.DataFrame) -> pd.Series:
    """Each row's filled cells as a JSON object, built column by column (each distinct value encoded once):
    a million rows in seconds where a row-by-row json.dumps takes a minute."""
    out = pd.Series("", index=df.index, dtype=object)
    for column in df.columns:
        values = df[column].astype(object).where(df[column].notna(), "")
        filled = (values != "").to_numpy()
        if not filled.any():
            continue
        encoded = values.map({v: json.dumps(str(v), ensure_ascii=False) for v in values[filled].unique()})
        piece = (json.dumps(str(column), ensure_ascii=False) + ": " + encoded[filled]).to_numpy(dtype=object)
        current = out.to_numpy(dtype=object, copy=True)
        sep = np.where(current[filled] != "", ", ", "").astype(object)
        current[filled] = current[filled] + sep + piece
        out = pd.Series(current, index=df.index, dtype=object)
    return "{" + out + "}"


def same_file_imported(digest: str, store: Path | None = None) -> list[str]:
    """A warning per active import of the very same file (same sha256): saving it again would count it twice
    in the list of imports."""
    found = reader(store).execute(
        "SELECT i.id, i.fichier, i.importe_le, l.nom FROM imports i JOIN labels l ON l.id = i.label_id "
        "WHERE i.sha256 = ? AND i.retire_le IS NULL ORDER BY i.id", [digest]).fetchall()
    return [f"Fichier identique (même contenu, empreinte sha256) à l'import n° {i} « {name} » du "
            f"{when:%d/%m/%Y} (label {lab}) : l'enregistrer à nouveau ferait un second import des mêmes lignes."
            for i, name, when, lab in found]


def write(con, prepared: Prepared, auteur: str | None = None) -> int:
    """Write one import inside an open transaction, with its author (the signed-in editor, or the account
    running the command)."""
    auteur = auteur or default_author()
    rows = prepared.rows
    attributes = _attributes(prepared.input)
    now = datetime.now(UTC).replace(tzinfo=None)
    found = con.execute("SELECT id FROM labels WHERE nom = ?", [prepared.label]).fetchone()
    if found:
        label_id = found[0]
    else:
        label_id = con.execute("SELECT coalesce(max(id), 0) + 1 FROM labels").fetchone()[0]
        con.execute("INSERT INTO labels (id, nom, cree_le) VALUES (?, ?, ?)",
                    [label_id, prepared.label, now])
    import_id = con.execute("SELECT coalesce(max(id), 0) + 1 FROM imports").fetchone()[0]
    con.execute("INSERT INTO imports (id, label_id, genre, fichier, sha256, importe_le, lignes, statuts, "
                "options, source, note_completude) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        import_id, label_id, prepared.genre, prepared.fichier, prepared.sha256, now, len(rows),
        json.dumps(prepared.counts()), json.dumps(prepared.options, ensure_ascii=False, default=str),
        prepared.source or None, prepared.note_completude or None])
    if prepared.options.get("date_liste"):  # the list's own date, when the officer gave it
        con.execute("UPDATE imports SET date_liste = ? WHERE id = ?", [prepared.options["date_liste"], import_id])
    con.execute("UPDATE imports SET auteur = ? WHERE id = ?", [auteur, import_id])
    journal.record(con, auteur, "import", int(import_id), f"{prepared.fichier} ({prepared.label}, {len(rows)} lignes)")
    if prepared.genre == "entites":
        frame = pd.DataFrame({  # noqa: F841 (read by DuckDB through its name)
            "import_id": import_id, "ligne": rows.index.astype(int), "label_id": label_id,
            "niveau": rows["niveau"].replace("", None), "code": rows["code"].replace("", None),
            "nom_brut": rows["nom_brut"],
            "nom_officiel": rows["nom_officiel"].replace("", None),
            "departement": rows["departement"].replace("", None), "statut": rows["statut"],
            "score": pd.to_numeric(rows["score"], errors="coerce"), "candidats": rows["candidats"],
            "note": rows["remarque"], "date_label": rows["date_label"], "attributs": attributes,
        })
        con.execute(f"INSERT INTO entites ({', '.join(frame.columns)}) SELECT * FROM frame")
        if "corrige" in rows:
            fixed = rows[rows["corrige"].fillna(False).astype(bool)]
            remembered.remember(con, fixed, auteur, int(import_id))
    else:
        frame = pd.DataFrame({  # noqa: F841 (read by DuckDB through its name)
            "import_id": import_id, "ligne": rows.index.astype(int), "label_id": label_id,
            "nom": rows["nom"], "disciplines": rows["disciplines"], "olympique": rows["olympique"],
            "paralympique": rows["paralympique"], "adresse": rows["adresse"], "code_postal": rows["code_postal"],
            "ville": rows["ville"], "lon": rows["lon"].astype(float), "lat": rows["lat"].astype(float),
            "commune": rows["commune"], "departement": rows["departement"], "statut": rows["statut"],
            "note": rows["remarque"], "attributs": attributes,
            "date_label": rows["date_label"] if "date_label" in rows else None,
            "doublon": rows["doublon"].fillna(False).astype(bool) if "doublon" in rows else False,
        })
        con.execute(f"INSERT INTO sites ({', '.join(frame.columns)}) SELECT * FROM frame")
    repeated = mark_repeats(con)  # every label: a store saved before the flag existed gets it at its next write
    if repeated:
        log.info("%d site(s) déjà présents dans un autre import actif de leur label : comptés une fois", repeated)
    log.info("import n° %s écrit : %s (%s, %s, %d lignes) par %s", import_id, prepared.fichier, prepared.label,
             prepared.genre, len(rows), auteur)
    return int(import_id)


def default_author() -> str:
    """Who writes, when no login says it: the account running the app or the command."""
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "inconnu"
