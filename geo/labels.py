"""Imports of label lists and site lists into the store: prepared (resolved, nothing written),
then committed in one transaction; listed, compared with the previous list, withdrawn, reviewed."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from geo import columns as columns_mod
from geo import dates as dates_mod
from geo import journal
from geo.errors import GeoError
from geo.readers import Table
from geo.resolve import RESOLVED, STATUSES, candidate, index, resolve_frame
from geo.resolve import memory as remembered
from geo.resolve.territories import by_code
from geo.sites import dedupe_languages, resolve_sites
from geo.store import reader, transaction

REVIEW_STATUSES = ("ambigu", "introuvable")


@dataclass
class Prepared:
    """A resolved list, not yet written: what the Importer page shows and lets the user fix."""

    label: str
    genre: str                    # "entites" or "sites"
    fichier: str
    sha256: str
    columns: columns_mod.Columns
    rows: pd.DataFrame            # the resolution of each kept row, indexed by line number
    input: pd.DataFrame           # the kept input rows, unchanged, same index
    messages: list[str] = field(default_factory=list)
    options: dict = field(default_factory=dict)
    source: str = ""              # where the list comes from (an address, an article), shown on every page
    note_completude: str = ""     # what it covers and what it does not, shown on every page

    def counts(self) -> dict[str, int]:
        counts = self.rows["statut"].value_counts().to_dict()
        always = (*RESOLVED, *REVIEW_STATUSES)
        return {s: int(counts.get(s, 0)) for s in (*STATUSES, "ecarte") if counts.get(s, 0) or s in always}

    def review(self) -> pd.DataFrame:
        return self.rows[self.rows["statut"].isin(REVIEW_STATUSES)]


MAX_LABEL = 100   # characters: a label is a title on every page, slide and export


def check_label(label: str | None) -> str:
    """The label's name as stored, or a French message: given, on one line, of a title's length."""
    label = " ".join((label or "").replace("\x00", "").split())
    if not label:
        raise GeoError("Indiquez le label de la liste (par exemple « Terre de Jeux 2024 »).")
    if len(label) > MAX_LABEL:
        raise GeoError(f"Le nom du label fait {len(label)} caractères : {MAX_LABEL} au plus (c'est le titre des "
                       "pages, des exports et des diapositives). Raccourcissez-le.")
    return label


def _digest(raw: bytes) -> str:
    import hashlib

    return hashlib.sha256(raw).hexdigest()


def _parse_date(value: str):
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return dates_mod.parse(text)  # the usual forms, without pandas' format guessing
    except ValueError:
        pass
    for dayfirst in (False, True) if text[:4].isdigit() else (True,):
        try:
            parsed = pd.to_datetime(text, dayfirst=dayfirst, errors="raise")
            return parsed.date()
        except (ValueError, OverflowError):
            continue
    return None


def _parse_dates(values: pd.Series) -> pd.Series:
    """Each distinct date text parsed once: a long list repeats a few labelling dates."""
    parsed = {v: _parse_date(v) for v in values.unique()}
    return values.map(parsed)


def _scan_cells(df: pd.DataFrame) -> list[str]:
    """Warnings about cells that would be dangerous outside a text context."""
    messages = []
    formulas = markup = 0
    for column in df.columns:  # each distinct value looked at once
        counts = df[column].astype(str).value_counts()
        values = counts.index.to_series()
        formulas += int(counts[values.str.startswith("=").to_numpy()].sum())
        markup += int(counts[values.str.contains(r"<\s*[a-zA-Z/!]", regex=True).to_numpy()].sum())
    if formulas:
        messages.append(f"{formulas} cellule(s) commencent par « = » : gardées comme texte, neutralisées dans "
                        "les exports CSV.")
    if markup:
        messages.append(f"{markup} cellule(s) contiennent du balisage HTML : affiché comme texte, jamais exécuté.")
    return messages


def prepare(table: Table, label: str, *, sites: bool = False, raw: bytes | None = None, level: str = "auto",
            departement: str | None = None, store: Path | None = None,
            forced: dict[str, str | None] | None = None,
            progress: Callable[[int, int], None] | None = None) -> Prepared:
    """Detect columns (`forced` maps a role to a column) and resolve every row; nothing is written.
    `progress(done, total)` is called as rows are resolved (a page shows it; raising there stops)."""
    label = check_label(label)
    df = table.data.copy()
    # line numbers as a person finds them: the spreadsheet's row numbers, else data rows counted from 1
    df.index = pd.Index(table.rows, name="ligne") if table.rows and len(table.rows) == len(df) \
        else pd.RangeIndex(1, len(df) + 1, name="ligne")
    cols = columns_mod.detect(df, sites=sites, **(forced or {}))
    messages = [f"Lecture : {table.detail}, {len(df)} ligne(s)."] + list(table.warnings) + _scan_cells(df)
    if sites:
        kept, dropped = dedupe_languages(df, cols)
        if dropped:
            messages.append(f"{dropped} ligne(s) en double par la langue (fr_FR / en_GB) : une seule gardée par "
                            "centre.")
        resolved = resolve_sites(kept, cols, store)
        rows, kept_input = resolved, kept
        site_key = kept[cols.identifiant].to_frame() if cols.identifiant else resolved[["nom", "commune"]]
        duplicated = site_key.duplicated() & resolved["commune"].notna()
    else:
        resolved = resolve_frame(df, cols, level=level, departement=departement, store=store, progress=progress)
        rows, kept_input = resolved.copy(), df
        resolved_rows = resolved["statut"].isin(RESOLVED) & (resolved["code"] != "")
        duplicated = resolved_rows & resolved.duplicated(["niveau", "code"])
        dates = _parse_dates(df[cols.date]) if cols.date else pd.Series(None, index=df.index)
        rows["nom_brut"] = df[cols.nom] if cols.nom else df[cols.code]
        rows["date_label"] = dates
    rows["doublon"] = duplicated
    if duplicated.any():  # vectorised: a note per duplicate row, naming the first row of its key
        key_frame = (site_key if sites else resolved[["niveau", "code"]]).fillna("").astype(str)
        lines = pd.Series(key_frame.index, index=key_frame.index)
        first = lines.groupby([key_frame[c] for c in key_frame.columns], sort=False).transform("first")
        notes = ("doublon de la ligne " + first.astype(str) + " ; " + rows["remarque"].fillna("").astype(str))
        rows.loc[duplicated, "remarque"] = notes[duplicated].str.strip(" ;")
        messages.append(f"{int(duplicated.sum())} ligne(s) en double : gardées dans l'import, comptées une fois.")
    data = raw if raw is not None else table.data.to_csv(index=False).encode()
    digest = _digest(data)
    messages += same_file_imported(digest, store)
    return Prepared(label, "sites" if sites else "entites", table.source, digest, cols, rows,
                    kept_input, messages,
                    {"niveau": level, "departement": departement, "colonnes": cols.as_dict()})


def set_row(prepared: Prepared, ligne: int, code: str | None, store: Path | None = None,
            level: str | None = None) -> None:
    """Fix one row of a prepared list by hand (a code, or a candidate as the review list shows it) or
    dismiss it (None). A row fixed by hand is remembered for later imports when the import is saved."""
    rows = prepared.rows
    if code is None:
        rows.loc[ligne, ["statut", "remarque"]] = ["ecarte", "écartée à la main"]
        if prepared.genre == "sites":
            rows.loc[ligne, "commune"] = None
        else:
            rows.loc[ligne, "code"] = ""
            rows.loc[ligne, "corrige"] = False
        return
    picked, picked_level = candidate(code)
    res = by_code(index(store), picked, level or picked_level)
    if res is None:
        raise GeoError(f"Code inconnu : {code}. Saisissez un code INSEE de commune, un SIREN d'EPCI ou d'EPT, "
                       "un code de département.")
    if prepared.genre == "sites":
        if res.niveau != "commune":
            raise GeoError("Un site se rattache à une commune : saisissez un code INSEE de commune.")
        rows.loc[ligne, ["commune", "departement", "statut", "remarque"]] = [
            res.code, res.departement, "exact", "commune choisie à la main"]
    else:
        rows.loc[ligne, ["niveau", "code", "nom_officiel", "departement", "statut", "score", "candidats",
                         "remarque", "corrige"]] = [res.niveau, res.code, res.nom_officiel, res.departement, "exact",
                                                    100.0, "", "choisi à la main", True]


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
        })
        con.execute(f"INSERT INTO sites ({', '.join(frame.columns)}) SELECT * FROM frame")
    return int(import_id)


def default_author() -> str:
    """Who writes, when no login says it: the account running the app or the command."""
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "inconnu"


def labels(store: Path | None = None) -> list[str]:
    """Labels that have at least one active import, most used first."""
    rows = reader(store).execute(
        "SELECT l.nom FROM labels l JOIN imports i ON i.label_id = l.id AND i.retire_le IS NULL "
        "GROUP BY l.nom ORDER BY count(*) DESC, l.nom").fetchall()
    names = [r[0] for r in rows]
    return sorted(names, key=lambda n: n.endswith("(synthétique)"))  # real labels first


def territorial_labels(store: Path | None = None) -> list[str]:
    """Labels of territories with an active import, the ones coverage pages can show (a list of sites, such as
    the CPJ, covers no territory): real before synthetic, Terre de Jeux first, then the most imported."""
    rows = reader(store).execute(
        "SELECT l.nom, count(*) FROM labels l JOIN imports i ON i.label_id = l.id AND i.retire_le IS NULL "
        "WHERE i.genre = 'entites' GROUP BY l.nom").fetchall()
    rows.sort(key=lambda r: (r[0].endswith("(synthétique)"), "terre de jeux" not in r[0].lower(), -r[1], r[0]))
    return [r[0] for r in rows]


def label_genres(store: Path | None = None) -> dict[str, str]:
    """Each label's kind ("entites" or "sites") as its latest import was made."""
    return dict(reader(store).execute(
        "SELECT l.nom, arg_max(i.genre, i.id) FROM labels l JOIN imports i ON i.label_id = l.id "
        "GROUP BY l.nom").fetchall())


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


def loaded(label: str | None = None, store: Path | None = None) -> pd.DataFrame:
    """The active imports (of a label and every site list), the latest first: what the pages are made of."""
    where, params = ("AND (l.nom = ? OR i.genre = 'sites')", [label]) if label else ("", [])
    return reader(store).execute(
        "SELECT i.id, l.nom AS label, i.genre, i.fichier, i.importe_le, i.lignes, i.source, i.note_completude "
        f"FROM imports i JOIN labels l ON l.id = i.label_id WHERE i.retire_le IS NULL {where} "
        "ORDER BY i.id DESC", params).df()


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def date_text(raw: str | None, parsed) -> str:
    """A label's date as precise as its source: « 21/11/2019 », or « janvier 2020 » when the source gives
    only a month (the stored date is then the first of that month)."""
    text = str(raw or "").strip()
    if len(text) == 7 and text[:4].isdigit() and text[4] in "-/" and text[5:].isdigit() and 1 <= int(text[5:]) <= 12:
        return f"{MONTHS[int(text[5:]) - 1]} {text[:4]}"
    if parsed is None or parsed != parsed:
        return ""
    return f"{pd.Timestamp(parsed):%d/%m/%Y}"


def departement_status(label: str, dep: str, store: Path | None = None) -> dict | None:
    """Whether a département holds the label itself: since when (as precise as the source), from which
    import and source; None when it does not."""
    row = reader(store).execute(
        "SELECT e.date_label, e.attributs, e.nom_brut, i.options, i.fichier, i.source, i.note_completude "
        "FROM entites e JOIN imports i ON i.id = e.import_id AND i.retire_le IS NULL "
        "JOIN labels l ON l.id = e.label_id WHERE l.nom = ? AND e.niveau = 'departement' AND e.code = ? "
        "AND e.statut IN ('exact', 'normalise', 'approx') ORDER BY e.date_label NULLS LAST, e.import_id LIMIT 1",
        [label, dep]).fetchone()
    if row is None:
        return None
    date_label, attributs, nom_brut, options, fichier, source, note = row
    column = (json.loads(options or "{}").get("colonnes") or {}).get("date")
    raw = json.loads(attributs or "{}").get(column) if column else None
    cells = json.loads(attributs or "{}")
    row_source = next((v for k, v in cells.items() if k.lower() in ("source", "source_url", "url")), None)
    return {"date": date_label, "date_texte": date_text(raw, date_label), "nom_brut": nom_brut,
            "fichier": fichier, "source": row_source or source or "", "note_completude": note or ""}


def list_dates(label: str, store: Path | None = None) -> pd.DataFrame:
    """Each active import of a label with its own dates: the date given at import, the first and last
    labelling dates of its rows, and the import date (which says nothing of the list's age)."""
    con = reader(store)
    has_date = con.execute("SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database() "
                           "AND table_name = 'imports' AND column_name = 'date_liste'").fetchone()[0]
    given = "i.date_liste" if has_date else "NULL::DATE AS date_liste"  # a store older than the column
    return con.execute(
        f"SELECT i.id, i.fichier, i.importe_le, {given}, min(e.date_label) AS premiere, "
        "max(e.date_label) AS derniere FROM imports i JOIN labels l ON l.id = i.label_id "
        "LEFT JOIN entites e ON e.import_id = i.id WHERE l.nom = ? AND i.retire_le IS NULL "
        "GROUP BY ALL ORDER BY i.id", [label]).df()


def withdraw(import_id: int, store: Path | None = None, auteur: str | None = None) -> None:
    """Withdraw an import (its rows stay readable), saying who did it."""
    auteur = auteur or default_author()
    with transaction(store) as con:
        row = con.execute("SELECT retire_le FROM imports WHERE id = ?", [import_id]).fetchone()
        if row is None:
            raise GeoError(f"Aucun import n° {import_id}.")
        if row[0] is not None:
            raise GeoError(f"L'import n° {import_id} est déjà retiré (le {row[0]:%d/%m/%Y %H:%M}).")
        con.execute("UPDATE imports SET retire_le = ?, retire_par = ? WHERE id = ?",
                    [journal.now(), auteur, import_id])
        journal.record(con, auteur, "retrait", import_id)


def restore(import_id: int, store: Path | None = None, auteur: str | None = None) -> None:
    """Undo a withdrawal: the import counts again (the journal keeps who withdrew and who restored it)."""
    auteur = auteur or default_author()
    with transaction(store) as con:
        row = con.execute("SELECT retire_le FROM imports WHERE id = ?", [import_id]).fetchone()
        if row is None:
            raise GeoError(f"Aucun import n° {import_id}.")
        if row[0] is None:
            raise GeoError(f"L'import n° {import_id} n'est pas retiré.")
        con.execute("UPDATE imports SET retire_le = NULL, retire_par = NULL WHERE id = ?", [import_id])
        journal.record(con, auteur, "restauration", import_id)


def compare(import_id: int, store: Path | None = None, same_list: str | None = None) -> dict[str, pd.DataFrame]:
    """What an import adds and drops against the previous active import of the same label and kind (of the
    same list, when `same_list` names it: imports whose file name starts with it)."""
    con = reader(store)
    row = con.execute("SELECT label_id, genre FROM imports WHERE id = ?", [import_id]).fetchone()
    if row is None:
        raise GeoError(f"Aucun import n° {import_id}.")
    label_id, genre = row
    prev = con.execute("SELECT max(id) FROM imports WHERE label_id = ? AND genre = ? AND id < ? "
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


def entities(label: str, store: Path | None = None, include_review: bool = False) -> pd.DataFrame:
    """Active labelled entities of a label (rows to review on request)."""
    where = "" if include_review else "AND e.statut IN ('exact','normalise','approx')"
    return reader(store).execute(
        "SELECT e.import_id, e.ligne, e.niveau, e.code, e.nom_officiel, e.nom_brut, e.departement, e.statut, "
        "e.score, e.candidats, e.note, e.date_label FROM entites e "
        "JOIN imports i ON i.id = e.import_id AND i.retire_le IS NULL JOIN labels l ON l.id = e.label_id "
        f"WHERE l.nom = ? {where} ORDER BY e.import_id, e.ligne", [label]).df()


def sites(label: str | None = None, store: Path | None = None) -> pd.DataFrame:
    """Active sites (of a label, or all)."""
    where, params = ("AND l.nom = ?", [label]) if label else ("", [])
    return reader(store).execute(
        "SELECT s.import_id, s.ligne, l.nom AS label, s.nom, s.disciplines, s.olympique, s.paralympique, s.adresse, "
        "s.code_postal, s.ville, s.lon, s.lat, s.commune, c.nom AS commune_nom, s.departement, d.region, s.statut, "
        "s.note, c.point_lon AS commune_lon, c.point_lat AS commune_lat "
        "FROM sites s JOIN imports i ON i.id = s.import_id AND i.retire_le IS NULL "
        "JOIN labels l ON l.id = s.label_id LEFT JOIN communes c ON c.code = s.commune "
        f"LEFT JOIN departements d ON d.code = s.departement WHERE s.statut <> 'ecarte' {where} "
        "ORDER BY s.departement, s.nom", params).df()
