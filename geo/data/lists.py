"""The lists officers send to colleagues: labelled entities and communes not covered, filtered."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

from geo.data import coverage
from geo.fr import date_iso, date_text, sort_keys
from geo.store import reader

LEVEL_LABELS = {"commune": "Commune", "epci": "EPCI", "ept": "EPT (Grand Paris)", "departement": "Département",
                "region": "Région", "hors_territoire": "Hors territoire"}
# resolution statuses as officers read them (stored without accents, shown with them)
STATUS_LABELS = {"exact": "trouvé", "normalise": "trouvé (nom normalisé)", "approx": "rapproché",
                 "ambigu": "à revoir (plusieurs candidats)", "introuvable": "à revoir (introuvable)",
                 "ecarte": "écarté", "entete": "titre de bloc"}

# columns for spreadsheets (a sortable date, the stored status), left out of the tables on screen
EXPORT_ONLY = ("Date (AAAA-MM-JJ)", "Statut (technique)")


def labelled(label: str, departements: list[str] | None = None, epci: str | None = None,
             levels: list[str] | None = None, date_from: dt.date | None = None, date_to: dt.date | None = None,
             store: Path | None = None) -> pd.DataFrame:
    """Active labelled entities, French column names, one row per entity (first import that named it)."""
    df = reader(store).execute("""
        SELECT e.niveau, e.code, e.nom_officiel, e.nom_brut, e.departement, d.nom AS departement_nom,
               CASE WHEN e.niveau = 'commune' THEN c.epci WHEN e.niveau = 'epci' THEN e.code END AS epci,
               CASE WHEN e.niveau = 'commune' THEN c.ept WHEN e.niveau = 'ept' THEN e.code END AS ept,
               coalesce(t.nom, tc.nom) AS ept_nom, ep.nom AS epci_nom,
               CASE WHEN e.niveau = 'commune' THEN c.population WHEN e.niveau = 'epci' THEN p.population
                    WHEN e.niveau = 'ept' THEN t.population
                    WHEN e.niveau = 'departement' THEN d.population END AS population,
               CASE WHEN e.date_label BETWEEN DATE '1900-01-01' AND DATE '2200-12-31' THEN e.date_label END
                   AS date_label,  -- labels.readable_date
               e.statut, e.note, i.fichier, e.import_id, e.ligne, e.attributs, i.options
        FROM entites e JOIN imports i ON i.id = e.import_id AND i.retire_le IS NULL
        JOIN labels l ON l.id = e.label_id
        LEFT JOIN communes c ON e.niveau = 'commune' AND c.code = e.code
        LEFT JOIN epci p ON e.niveau = 'epci' AND p.siren = e.code
        LEFT JOIN ept t ON e.niveau = 'ept' AND t.siren = e.code
        LEFT JOIN ept tc ON tc.siren = c.ept
        LEFT JOIN epci ep
            ON ep.siren = CASE WHEN e.niveau = 'commune' THEN c.epci WHEN e.niveau = 'epci' THEN e.code END
        LEFT JOIN departements d ON d.code = e.departement
        WHERE l.nom = ? AND e.statut IN ('exact', 'normalise', 'approx')
        ORDER BY e.niveau, e.departement, e.nom_officiel, e.import_id, e.ligne""", [label]).df()
    df = df.drop_duplicates(["niveau", "code"], keep="first")  # the SQL order chose the first import
    df = df.sort_values(["niveau", "departement", "nom_officiel"], key=sort_keys, kind="stable")  # É with E
    raw_dates = [_raw_date(a, o) for a, o in zip(df["attributs"], df["options"], strict=True)]
    df["date_texte"] = [date_text(r, d) for r, d in zip(raw_dates, df["date_label"], strict=True)]
    df["date_iso"] = [date_iso(r, d) for r, d in zip(raw_dates, df["date_label"], strict=True)]
    df = df.drop(columns=["attributs", "options"])
    if departements:
        epci_deps = _epci_departements(store)
        keep = df["departement"].isin(departements) | df["code"].map(
            lambda c: bool(epci_deps.get(c, set()) & set(departements)))
        df = df[keep]
    if epci:
        df = df[(df["epci"] == epci)]
    if levels:
        df = df[df["niveau"].isin(levels)]
    if date_from is not None:
        df = df[pd.to_datetime(df["date_label"]).dt.date >= date_from]
    if date_to is not None:
        df = df[pd.to_datetime(df["date_label"]).dt.date <= date_to]
    return df.reset_index(drop=True)


def _raw_date(attributs: str | None, options: str | None) -> str | None:
    """The date cell as the list gave it (a month alone stays a month)."""
    column = (json.loads(options or "{}").get("colonnes") or {}).get("date")
    return json.loads(attributs or "{}").get(column) if column else None


def _epci_departements(store: Path | None) -> dict[str, set[str]]:
    """Départements of each EPCI and EPT (by SIREN), through their member communes."""
    rows = reader(store).execute("SELECT DISTINCT epci, departement FROM communes WHERE epci IS NOT NULL UNION "
                                 "SELECT DISTINCT ept, departement FROM communes WHERE ept IS NOT NULL").fetchall()
    out: dict[str, set[str]] = {}
    for siren, dep in rows:
        out.setdefault(siren, set()).add(dep)
    return out


def not_covered(label: str, departements: list[str] | None = None, epci: str | None = None,
                store: Path | None = None) -> pd.DataFrame:
    """Communes covered neither directly nor through their EPCI: who is missing."""
    status = coverage.communes_status(label, departements or None, store)
    missing = status[status["statut"] == coverage.STATUS_NONE]["code"].tolist()
    df = reader(store).execute("""
        SELECT c.code, c.nom, c.departement, d.nom AS departement_nom, c.epci, e.nom AS epci_nom, c.ept,
               t.nom AS ept_nom, c.population
        FROM communes c JOIN departements d ON d.code = c.departement LEFT JOIN epci e ON e.siren = c.epci
        LEFT JOIN ept t ON t.siren = c.ept
        WHERE c.code IN (SELECT unnest(?)) ORDER BY c.population DESC NULLS LAST, c.code""", [missing]).df()
    if epci:
        df = df[df["epci"] == epci]
    return df.reset_index(drop=True)


def at_least(df: pd.DataFrame, minimum: int | None) -> pd.DataFrame:
    """Rows whose population reaches `minimum` (« plus de N habitants »), every row when there is no minimum;
    a row without a population (a région, a site) is left out once a minimum is asked."""
    if not minimum:
        return df
    return df[pd.to_numeric(df["population"], errors="coerce").fillna(-1) >= minimum]


def for_export(df: pd.DataFrame, kind: str) -> pd.DataFrame:
    """French headers for a CSV colleagues will open; what an officer looks for first (name, population, date,
    status) comes first, so that it is also in view on screen."""
    if kind == "labellises":
        out = pd.DataFrame({
            "Niveau": df["niveau"].map(LEVEL_LABELS), "Code officiel": df["code"], "Nom officiel": df["nom_officiel"],
            "Nom dans la liste": df["nom_brut"], "Population": df["population"],
            "Date de labellisation": df["date_texte"] if "date_texte" in df else
            pd.to_datetime(df["date_label"]).dt.strftime("%d/%m/%Y").fillna(""),
            "Statut": df["statut"].map(lambda s: STATUS_LABELS.get(s, s)),
            "Département": df["departement"], "EPCI (SIREN)": df["epci"],
            "EPCI": df["epci_nom"] if "epci_nom" in df else None, "EPT (Grand Paris)": df["ept_nom"],
            "Remarque": df["note"], "Fichier source": df["fichier"],
            # the same date written to sort (2019-11-20, 2020-01 for a month, 2020 for a year)
            "Date (AAAA-MM-JJ)": df["date_iso"] if "date_iso" in df else
            pd.to_datetime(df["date_label"]).dt.strftime("%Y-%m-%d").fillna(""),
            "Statut (technique)": df["statut"]})
    else:
        out = pd.DataFrame({
            "Code INSEE": df["code"], "Commune": df["nom"], "Population": df["population"],
            "Département": df["departement"], "Nom du département": df["departement_nom"],
            "EPCI (SIREN)": df["epci"], "EPCI": df["epci_nom"], "EPT (Grand Paris)": df["ept_nom"]})
    return out


GEOMETRY_SQL = {
    "commune": "SELECT code, geom_dep FROM communes WHERE code IN (SELECT unnest(?))",
    "epci": "SELECT siren, geom_dep FROM epci WHERE siren IN (SELECT unnest(?))",
    "ept": "SELECT siren, geom_dep FROM ept WHERE siren IN (SELECT unnest(?))",
    "departement": "SELECT code, geom_dep FROM departements WHERE code IN (SELECT unnest(?))",
    "region": "SELECT code, geom_fr FROM regions WHERE code IN (SELECT unnest(?))",
}


def geojson_export(df: pd.DataFrame, kind: str, store: Path | None = None) -> dict:
    """The same rows with their polygons (display geometry), as a GeoJSON FeatureCollection."""
    import shapely

    con = reader(store)
    levels = df["niveau"] if kind == "labellises" else pd.Series("commune", index=df.index)
    geoms: dict[tuple[str, str], dict] = {}
    for level, sql in GEOMETRY_SQL.items():
        codes = df.loc[levels == level, "code"].dropna().tolist()
        if codes:
            for code, wkb in con.execute(sql, [codes]).fetchall():
                if wkb is not None:
                    geoms[(level, code)] = json.loads(shapely.to_geojson(shapely.from_wkb(bytes(wkb))))
    table = for_export(df, kind)
    features = []
    for props, level, code in zip(table.to_dict("records"), levels, df["code"], strict=True):
        clean = {k: (None if v is None or (isinstance(v, float) and v != v) else
                     v.isoformat() if hasattr(v, "isoformat") else v.item() if hasattr(v, "item") else v)
                 for k, v in props.items()}
        features.append({"type": "Feature", "properties": clean, "geometry": geoms.get((level, code))})
    return {"type": "FeatureCollection", "features": features}
