"""Remembered names: a row an officer settled by hand (normalised name + département -> code) is resolved
the same way in later imports, so nobody fixes "Agglopôle de Sète" twice. Only confirmed corrections are
stored; they can be listed, deleted, and exchanged as CSV between deployments."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from geo.errors import FileRefused
from geo.resolve.normalize import place_key
from geo.store import reader, transaction

TABLE = "noms_retenus"
DISMISSED = "ecarte"   # the level of a name dismissed by hand (« Écarter »): later imports dismiss it too
CSV_COLUMNS = ["nom", "departement", "niveau", "code", "nom_officiel", "auteur", "corrige_le", "import"]


@dataclass(frozen=True)
class Hit:
    niveau: str
    code: str
    quand: datetime
    import_id: int | None


def key(name: str, deps: list[str] | tuple[str, ...] | None) -> str:
    """The key of a name as a list prints it, within the one département it is hinted in (if any)."""
    deps = list(deps or [])
    return f"{place_key(name)}|{deps[0] if len(deps) == 1 else ''}"


def load(store: Path | None = None) -> dict[str, Hit]:
    try:
        rows = reader(store).execute(f"SELECT cle, niveau, code, cree_le, import_id FROM {TABLE}").fetchall()
    except duckdb.CatalogException:  # a store from before remembered names: nothing remembered yet
        return {}
    return {cle: Hit(niveau, code, quand, import_id) for cle, niveau, code, quand, import_id in rows}


def remember(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, auteur: str, import_id: int | None) -> int:
    """Store corrections (columns cle, nom_brut, niveau, code, nom_officiel) inside the caller's transaction;
    a newer correction of the same key replaces the older one."""
    dismissed = rows["statut"].astype(str).eq(DISMISSED) if "statut" in rows else pd.Series(False, index=rows.index)
    rows = rows[(rows["cle"].astype(str) != "") & ((rows["code"].astype(str) != "") | dismissed)].copy()
    if rows.empty:
        return 0
    gone = dismissed.reindex(rows.index).fillna(False).astype(bool)
    rows.loc[gone, ["niveau", "code", "nom_officiel"]] = [DISMISSED, "", ""]
    now = datetime.now(UTC).replace(tzinfo=None)
    frame = pd.DataFrame({  # noqa: F841 (read by DuckDB through its name)
        "cle": rows["cle"].astype(str), "nom_brut": rows["nom_brut"].astype(str),
        "departement": rows["cle"].astype(str).str.split("|").str[-1], "niveau": rows["niveau"].astype(str),
        "code": rows["code"].astype(str), "nom_officiel": rows["nom_officiel"].astype(str), "auteur": auteur,
        "cree_le": now, "import_id": import_id}).drop_duplicates("cle", keep="last")
    con.execute(f"DELETE FROM {TABLE} WHERE cle IN (SELECT cle FROM frame)")
    con.execute(f"INSERT INTO {TABLE} (cle, nom_brut, departement, niveau, code, nom_officiel, auteur, cree_le, "
                "import_id) SELECT cle, nom_brut, departement, niveau, code, nom_officiel, auteur, cree_le, import_id "
                "FROM frame")
    return len(frame)


def listing(store: Path | None = None) -> pd.DataFrame:
    try:
        return reader(store).execute(
            f"SELECT cle, nom_brut, departement, niveau, code, nom_officiel, auteur, cree_le, import_id FROM {TABLE} "
            "ORDER BY cree_le DESC, nom_brut").df()
    except duckdb.CatalogException:
        return pd.DataFrame(columns=["cle", "nom_brut", "departement", "niveau", "code", "nom_officiel", "auteur",
                                     "cree_le", "import_id"])


def forget(keys: list[str], store: Path | None = None, auteur: str = "") -> int:
    """Delete remembered names, noting who did it in the journal; returns how many were deleted."""
    from geo.store import journal

    if not keys:
        return 0
    with transaction(store) as con:
        names = [r[0] for r in con.execute(f"SELECT nom_brut FROM {TABLE} WHERE cle IN (SELECT unnest(?)) "
                                           "ORDER BY nom_brut", [list(keys)]).fetchall()]
        con.execute(f"DELETE FROM {TABLE} WHERE cle IN (SELECT unnest(?))", [list(keys)])
        if names:
            journal.record(con, auteur, "noms_oublies", None, ", ".join(names)[:500])
        return len(names)


def export_frame(store: Path | None = None) -> pd.DataFrame:
    """The remembered names as a CSV for another deployment (French headers)."""
    rows = listing(store)
    return pd.DataFrame({
        "nom": rows["nom_brut"], "departement": rows["departement"], "niveau": rows["niveau"], "code": rows["code"],
        "nom_officiel": rows["nom_officiel"], "auteur": rows["auteur"],
        "corrige_le": rows["cree_le"].map(lambda d: d.isoformat(sep=" ", timespec="seconds") if d == d else ""),
        "import": rows["import_id"].map(lambda v: "" if v is None or v != v else str(int(v)))})


def import_csv(raw: bytes, auteur: str, store: Path | None = None) -> int:
    """Add the remembered names of a CSV made by export_frame (another deployment's); every code is checked
    against this store's geography, and nothing is written when one row is wrong."""
    from geo.resolve.index import index
    from geo.resolve.territories import by_code

    try:
        text = raw.decode("utf-8-sig")
        table = pd.read_csv(io.StringIO(text), sep=None, engine="python", dtype=str, keep_default_na=False)
    except (UnicodeDecodeError, ValueError, pd.errors.ParserError) as exc:
        raise FileRefused(f"Fichier de noms retenus illisible ({exc}) : attendu un CSV exporté par "
                          f"cette page.") from exc
    missing = [c for c in ("nom", "departement", "niveau", "code") if c not in table.columns]
    if missing:
        raise FileRefused(f"Colonnes manquantes dans le fichier de noms retenus : {', '.join(missing)}.")
    ix = index(store)
    rows, errors = [], []
    for i, r in table.iterrows():
        dep = str(r["departement"]).strip()
        if str(r["niveau"]).strip() == DISMISSED and str(r["nom"]).strip() and (not dep or dep in ix.deps):
            rows.append({"cle": key(str(r["nom"]), [dep] if dep else []), "nom_brut": str(r["nom"]),
                         "niveau": DISMISSED, "code": "", "nom_officiel": "", "statut": DISMISSED})
            continue
        res = by_code(ix, str(r["code"]), str(r["niveau"]).strip() or None)
        if res is None or not str(r["nom"]).strip() or (dep and dep not in ix.deps):
            errors.append(str(i + 2))
            continue
        rows.append({"cle": key(str(r["nom"]), [dep] if dep else []), "nom_brut": str(r["nom"]),
                     "niveau": res.niveau, "code": res.code, "nom_officiel": res.nom_officiel})
    if errors:
        raise FileRefused(f"Lignes invalides (code inconnu, nom vide ou département inconnu) : {', '.join(errors[:20])}"
                       + (" …" if len(errors) > 20 else "") + ". Rien n'a été importé.")
    from geo.store import journal

    with transaction(store) as con:
        n = remember(con, pd.DataFrame(rows), auteur, None) if rows else 0
        journal.record(con, auteur, "noms_ajoutes", None, f"{n} nom(s) depuis un fichier CSV")
        return n
