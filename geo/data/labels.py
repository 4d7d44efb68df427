"""The read side of imported lists: which labels exist, their active labelled entities and sites (and how the
sites page filters them), since when a département holds a label (and the sentence saying it), each list's dates.
Maps, slides and pages read these; none writes."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from geo.fr import date_text, site_word
from geo.store import reader


def readable_date(column: str) -> str:
    """SQL for a stored date the pages can draw: a date outside 1900-2200 (a list saved before imports refused
    them, « 31/12/9999 ») reads as no date, so that no page, chart or deck can be taken down by one row."""
    return f"CASE WHEN {column} BETWEEN DATE '1900-01-01' AND DATE '2200-12-31' THEN {column} END"


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
    """Each label's kind ("entites" or "sites") as its latest active import was made (a label whose imports are
    all withdrawn can be imported again as either kind)."""
    return dict(reader(store).execute(
        "SELECT l.nom, arg_max(i.genre, i.id) FROM labels l JOIN imports i ON i.label_id = l.id "
        "AND i.retire_le IS NULL GROUP BY l.nom").fetchall())

def loaded(label: str | None = None, store: Path | None = None) -> pd.DataFrame:
    """The active imports (of a label and every site list), the latest first: what the pages are made of."""
    where, params = ("AND (l.nom = ? OR i.genre = 'sites')", [label]) if label else ("", [])
    return reader(store).execute(
        "SELECT i.id, l.nom AS label, i.genre, i.fichier, i.importe_le, i.lignes, i.source, i.note_completude "
        f"FROM imports i JOIN labels l ON l.id = i.label_id WHERE i.retire_le IS NULL {where} "
        "ORDER BY i.id DESC", params).df()

def departement_status(label: str, dep: str, store: Path | None = None) -> dict | None:
    """Whether a département holds the label itself: since when (as precise as the source), from which
    import and source; None when it does not."""
    row = reader(store).execute(
        f"SELECT {readable_date('e.date_label')}, e.attributs, e.nom_brut, i.options, i.fichier, i.source, "
        "i.note_completude "
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
    # a store older than the column has no list date
    given = f"{readable_date('i.date_liste')} AS date_liste" if has_date else "NULL::DATE AS date_liste"
    return con.execute(
        f"SELECT i.id, i.fichier, i.importe_le, {given}, min({readable_date('e.date_label')}) AS premiere, "
        f"max({readable_date('e.date_label')}) AS derniere FROM imports i JOIN labels l ON l.id = i.label_id "
        "LEFT JOIN entites e ON e.import_id = i.id WHERE l.nom = ? AND i.retire_le IS NULL "
        "GROUP BY ALL ORDER BY i.id", [label]).df()

def entities(label: str, store: Path | None = None, include_review: bool = False) -> pd.DataFrame:
    """Active labelled entities of a label (rows to review on request)."""
    where = "" if include_review else "AND e.statut IN ('exact','normalise','approx')"
    return reader(store).execute(
        "SELECT e.import_id, e.ligne, e.niveau, e.code, e.nom_officiel, e.nom_brut, e.departement, e.statut, "
        f"e.score, e.candidats, e.note, {readable_date('e.date_label')} AS date_label FROM entites e "
        "JOIN imports i ON i.id = e.import_id AND i.retire_le IS NULL JOIN labels l ON l.id = e.label_id "
        f"WHERE l.nom = ? {where} ORDER BY e.import_id, e.ligne", [label]).df()


# A site counts once, in its commune: neither dismissed, nor without a commune, nor a duplicate of another row
# (the same facility printed twice), nor a facility that another active import of the label already has
# (geo/imports/site_repeats.py). Every page, image and slide counts sites through this rule.
COUNTED_SITE = ("s.statut <> 'ecarte' AND s.commune IS NOT NULL AND NOT coalesce(s.doublon, false) "
                "AND s.deja_import IS NULL")


def site_columns(con) -> set[str]:
    """The columns of the store's sites table (a store saved before a column was added lacks it)."""
    return {r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND table_name = 'sites'"
    ).fetchall()}


def counted_site(con) -> str:
    """COUNTED_SITE for this store (without the duplicate flags on a store saved before they existed)."""
    present = site_columns(con)
    return " AND ".join(part for part in COUNTED_SITE.split(" AND ")
                        if not any(flag in part and flag not in present for flag in ("doublon", "deja_import")))
# since when a site counts: its own label date, else its list's date, else the day it was imported
SITE_SINCE = (f"coalesce({readable_date('s.date_label')}, {readable_date('i.date_liste')}, "
              "CAST(i.importe_le AS DATE))")


def sites(label: str | None = None, store: Path | None = None) -> pd.DataFrame:
    """Active sites (of a label, or all), with their label date, the date since when they count (`depuis`),
    whether they repeat another row of their list or a site of another active import (`doublon`), and that
    import (`deja_import`)."""
    where, params = ("AND l.nom = ?", [label]) if label else ("", [])
    con = reader(store)
    present = site_columns(con)
    # a store saved before sites had dates and duplicates (a replica not yet republished) reads without them
    dated = f"{readable_date('s.date_label')} AS date_label, {SITE_SINCE} AS depuis, " \
        "coalesce(s.doublon, false) AS doublon" if {"date_label", "doublon"} <= present else \
        "NULL::DATE AS date_label, CAST(i.importe_le AS DATE) AS depuis, false AS doublon"
    if "deja_import" in present:
        dated = dated.replace("coalesce(s.doublon, false) AS doublon", "(coalesce(s.doublon, false) OR "
                              "s.deja_import IS NOT NULL) AS doublon") + ", s.deja_import"
    else:
        dated += ", NULL::INTEGER AS deja_import"
    return con.execute(
        "SELECT s.import_id, s.ligne, l.nom AS label, s.nom, s.disciplines, s.olympique, s.paralympique, s.adresse, "
        "s.code_postal, s.ville, s.lon, s.lat, s.commune, c.nom AS commune_nom, s.departement, d.region, s.statut, "
        f"s.note, c.point_lon AS commune_lon, c.point_lat AS commune_lat, {dated} "
        "FROM sites s JOIN imports i ON i.id = s.import_id AND i.retire_le IS NULL "
        "JOIN labels l ON l.id = s.label_id LEFT JOIN communes c ON c.code = s.commune "
        f"LEFT JOIN departements d ON d.code = s.departement WHERE s.statut <> 'ecarte' {where} "
        "ORDER BY s.departement, s.nom", params).df()


def counted_sites(sites: pd.DataFrame, day=None) -> pd.DataFrame:
    """The sites that count (COUNTED_SITE), as they stood at the end of `day` when one is given."""
    kept = sites[sites["commune"].notna() & ~sites["doublon"].astype(bool)]
    if day is not None:
        kept = kept[pd.to_datetime(kept["depuis"]) <= pd.Timestamp(day)]
    return kept


def site_count(sites: pd.DataFrame, day=None) -> int:
    """The number of sites of a territory (the rows given), the one figure every page, image and slide shows."""
    return len(counted_sites(sites, day))


def sites_word(sites: pd.DataFrame) -> str:
    """« CPJ » when every site shown is a Centre de préparation aux Jeux, « sites » otherwise."""
    words = {site_word(name, plural=True) for name in sites["label"].unique()} if len(sites) else {"sites"}
    return words.pop() if len(words) == 1 else "sites"


SITE_KINDS = ["tous", "olympiques", "paralympiques"]


def site_disciplines(sites: pd.DataFrame) -> list[str]:
    """Every discipline of some sites (each site lists its own, or none), sorted."""
    return sorted({d for ds in sites["disciplines"] for d in (ds if ds is not None else [])})


def filter_sites(sites: pd.DataFrame, disciplines: list[str] | None = None, kind: str = "tous",
                 region: str | None = None, departement: str | None = None) -> pd.DataFrame:
    """The sites with one of `disciplines` (all when none), of a kind (SITE_KINDS), in a region and a département."""
    shown = sites
    if disciplines:
        wanted = set(disciplines)
        shown = shown[shown["disciplines"].map(lambda ds: bool(set(ds if ds is not None else []) & wanted))]
    if kind == "olympiques":
        shown = shown[shown["olympique"]]
    elif kind == "paralympiques":
        shown = shown[shown["paralympique"]]
    if region:
        shown = shown[shown["region"] == region]
    if departement:
        shown = shown[shown["departement"] == departement]
    return shown


def since_text(date_texte: str | None) -> str:
    """« depuis le 21/11/2019 », « depuis janvier 2020 » (a month alone), "" without a date."""
    if not date_texte:
        return ""
    return f"depuis {'le ' if date_texte[:1].isdigit() else ''}{date_texte}"


def departement_sentence(label: str, status: dict) -> str:
    """The sentence saying that a département holds a label, since when and from which source
    (`status` as departement_status gives it)."""
    since = since_text(status["date_texte"])
    return (f"Le département est labellisé « {label} »{' ' + since if since else ''} (source : "
            f"{status['source'] or status['fichier']}).")
