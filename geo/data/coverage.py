"""Coverage of a label: communes labelled directly, communes covered through their EPT (Grand Paris) or
their EPCI, whether the département or région holds the label itself; shares of communes and of
population by route; sites. A commune covered by several routes counts once, in the closest: directly,
then through its EPT, then through its EPCI."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.data.labels import counted_site
from geo.store import reader

_ENTITIES = """
    WITH ent AS (
        SELECT DISTINCT e.niveau, e.code FROM entites e
        JOIN imports i ON i.id = e.import_id AND i.retire_le IS NULL
        JOIN labels l ON l.id = e.label_id
        WHERE l.nom = $label AND e.code IS NOT NULL AND e.statut IN ('exact', 'normalise', 'approx')),
    direct AS (SELECT code FROM ent WHERE niveau = 'commune'),
    via AS (SELECT DISTINCT m.code FROM epci_membres m JOIN ent ON ent.niveau = 'epci' AND ent.code = m.siren),
    routes AS (
        SELECT c.code, c.nom, c.departement, c.region, c.epci, c.ept, coalesce(c.population, 0) AS population,
               c.code IN (SELECT code FROM direct) AS directe,
               c.code IN (SELECT code FROM via) AS via_epci_any,
               coalesce(c.ept IN (SELECT code FROM ent WHERE niveau = 'ept'), false) AS via_ept_any
        FROM communes c WHERE c.zone IN ('metro', 'drom')),
    c AS (
        SELECT * EXCLUDE (via_epci_any, via_ept_any), via_ept_any AND NOT directe AS via_ept,
               via_epci_any AND NOT directe AND NOT via_ept_any AS via_epci,
               directe OR via_ept_any OR via_epci_any AS couverte
        FROM routes)
"""

STATUS_DIRECT, STATUS_EPT, STATUS_EPCI, STATUS_NONE = ("labellisée", "couverte par l'EPT", "couverte par l'EPCI",
                                                       "non couverte")


def communes_status(label: str, departement: str | list[str] | None, store: Path | None = None) -> pd.DataFrame:
    """Each commune of a département (several, or all with None): code and status
    (labellisée / couverte par l'EPT / couverte par l'EPCI / non couverte)."""
    deps = [departement] if isinstance(departement, str) else departement
    where = "WHERE departement IN (SELECT unnest($deps))" if deps else ""
    params = {"label": label, **({"deps": deps} if deps else {})}
    df = reader(store).execute(_ENTITIES + f"SELECT code, directe, via_ept, via_epci FROM c {where} "
                               "ORDER BY code", params).df()
    df["statut"] = STATUS_NONE
    df.loc[df["via_epci"], "statut"] = STATUS_EPCI
    df.loc[df["via_ept"], "statut"] = STATUS_EPT
    df.loc[df["directe"], "statut"] = STATUS_DIRECT
    return df[["code", "statut"]]


def by_departement(label: str, store: Path | None = None) -> pd.DataFrame:
    """One row per département with counts, population shares by route and sites."""
    df = reader(store).execute(_ENTITIES + """,
        agg AS (
            SELECT departement, count(*) AS communes, sum(directe::INT) AS communes_directes,
                   sum(via_ept::INT) AS communes_via_ept,
                   sum(via_epci::INT) AS communes_via_epci,
                   sum(couverte::INT) AS communes_couvertes,
                   sum(population) AS population,
                   sum(CASE WHEN directe THEN population ELSE 0 END) AS population_directe,
                   sum(CASE WHEN via_ept THEN population ELSE 0 END) AS population_via_ept,
                   sum(CASE WHEN via_epci THEN population ELSE 0 END) AS population_via_epci,
                   sum(CASE WHEN couverte THEN population ELSE 0 END) AS population_couverte
            FROM c GROUP BY departement),
        s AS (SELECT s.departement, count(*) AS sites FROM sites s
              JOIN imports i ON i.id = s.import_id AND i.retire_le IS NULL
              WHERE """ + counted_site(reader(store)) + """ GROUP BY 1)
        SELECT d.code, d.nom, d.region, r.nom AS region_nom, agg.* EXCLUDE (departement),
               d.code IN (SELECT code FROM ent WHERE niveau = 'departement') AS departement_labellise,
               d.region IN (SELECT code FROM ent WHERE niveau = 'region') AS region_labellisee,
               (SELECT count(*) FROM ent WHERE niveau = 'epci' AND code IN
                   (SELECT DISTINCT epci FROM communes WHERE departement = d.code)) AS epci_labellises,
               (SELECT count(*) FROM ent WHERE niveau = 'ept' AND code IN
                   (SELECT DISTINCT ept FROM communes WHERE departement = d.code)) AS ept_labellises,
               coalesce(s.sites, 0) AS sites
        FROM departements d JOIN regions r ON r.code = d.region
        JOIN agg ON agg.departement = d.code LEFT JOIN s ON s.departement = d.code
        ORDER BY d.code""", {"label": label}).df()
    return _shares(df)


def _shares(df: pd.DataFrame) -> pd.DataFrame:
    for column in _SUMS:
        if column in df:
            df[column] = df[column].fillna(0).astype("int64")
    for part in ("directes", "via_ept", "via_epci", "couvertes"):
        df[f"pct_communes_{part}"] = (100 * df[f"communes_{part}"] / df["communes"]).round(1)
    for part in ("directe", "via_ept", "via_epci", "couverte"):
        df[f"pct_population_{part}"] = (100 * df[f"population_{part}"] / df["population"].where(
            df["population"] > 0)).round(1)
    return df


_SUMS = ["communes", "communes_directes", "communes_via_ept", "communes_via_epci", "communes_couvertes",
         "population", "population_directe", "population_via_ept", "population_via_epci", "population_couverte",
         "sites"]


def by_region(label: str, store: Path | None = None) -> pd.DataFrame:
    deps = by_departement(label, store)
    grouped = deps.groupby(["region", "region_nom"], as_index=False).agg(
        **{c: (c, "sum") for c in _SUMS}, departements_labellises=("departement_labellise", "sum"),
        region_labellisee=("region_labellisee", "max"))
    return _shares(grouped.rename(columns={"region": "code", "region_nom": "nom"}))


def france(label: str, store: Path | None = None) -> dict:
    deps = by_departement(label, store)
    total = {c: int(deps[c].sum()) for c in _SUMS}
    total.update(departements_labellises=int(deps["departement_labellise"].sum()),
                 regions_labellisees=int(deps.drop_duplicates("region")["region_labellisee"].sum()),
                 **dict(zip(("epci_labellises", "ept_labellises"), map(int, reader(store).execute(
                     _ENTITIES + "SELECT count(*) FILTER (niveau = 'epci'), count(*) FILTER (niveau = 'ept') FROM ent",
                     {"label": label}).fetchone()), strict=True)))
    return _shares(pd.DataFrame([total])).iloc[0].to_dict()


def sites_by_discipline(departement: str | None = None, store: Path | None = None) -> pd.DataFrame:
    """Active sites per discipline (a site with three disciplines counts in each)."""
    where, params = ("AND s.departement = ?", [departement]) if departement else ("", [])
    return reader(store).execute(
        "SELECT d AS discipline, count(*) AS sites FROM sites s JOIN imports i ON i.id = s.import_id "
        f"AND i.retire_le IS NULL, unnest(s.disciplines) AS t(d) WHERE {counted_site(reader(store))} {where} "
        "GROUP BY 1 ORDER BY 2 DESC, 1", params).df()


def _covered(label: str, without: int | None, store: Path | None) -> set[str]:
    """Codes of the communes covered by a label's active imports, leaving one import out (or none)."""
    sql = _ENTITIES.replace("AND i.retire_le IS NULL", "AND i.retire_le IS NULL AND i.id IS DISTINCT FROM $without")
    rows = reader(store).execute(sql + "SELECT code FROM c WHERE directe OR via_epci",
                                 {"label": label, "without": without}).fetchall()
    return {r[0] for r in rows}


def import_effect(import_id: int, store: Path | None = None) -> pd.DataFrame:
    """Communes covered only thanks to an import (what it brought, what withdrawing it would take away),
    against all the other active imports of its label; the file-to-file comparison is another matter."""
    con = reader(store)
    row = con.execute("SELECT l.nom, i.genre FROM imports i JOIN labels l ON l.id = i.label_id WHERE i.id = ?",
                      [import_id]).fetchone()
    if row is None or row[1] != "entites":
        return pd.DataFrame(columns=["code", "nom", "departement", "population"])
    label = row[0]
    # the import as if active, whatever its state: what it brings to the others
    with_it = _covered_with(label, import_id, store)
    only = sorted(with_it - _covered(label, import_id, store))
    return con.execute("SELECT code, nom, departement, population FROM communes WHERE code IN (SELECT unnest(?)) "
                       "ORDER BY departement, nom", [only]).df()


def _covered_with(label: str, import_id: int, store: Path | None) -> set[str]:
    sql = _ENTITIES.replace("AND i.retire_le IS NULL", "AND (i.retire_le IS NULL OR i.id = $with)")
    rows = reader(store).execute(sql + "SELECT code FROM c WHERE directe OR via_epci",
                                 {"label": label, "with": import_id}).fetchall()
    return {r[0] for r in rows}


def by_epci(label: str, departements: list[str] | None, store: Path | None = None) -> pd.DataFrame:
    """One row per EPCI — or per EPT in the Grand Paris, where the EPT is the level people know — counting only
    the communes of the territory asked for: communes, covered, population and whether it holds the label."""
    where = "WHERE c.departement IN (SELECT unnest($deps))" if departements else ""
    params = {"label": label, **({"deps": list(departements)} if departements else {})}
    df = reader(store).execute(_ENTITIES + f"""
        SELECT coalesce(c.ept, c.epci) AS code, coalesce(t.nom, e.nom) AS nom, c.ept IS NOT NULL AS ept,
               count(*) AS communes, sum(c.couverte::INT) AS communes_couvertes,
               sum(c.population) AS population,
               sum(CASE WHEN c.couverte THEN c.population ELSE 0 END) AS population_couverte,
               coalesce(c.ept, c.epci) IN (SELECT code FROM ent WHERE niveau IN ('epci', 'ept')) AS labellise
        FROM c LEFT JOIN epci e ON e.siren = c.epci LEFT JOIN ept t ON t.siren = c.ept {where}
        GROUP BY 1, 2, 3 ORDER BY 2""", params).df()
    for column in ("communes", "communes_couvertes", "population", "population_couverte"):
        df[column] = df[column].fillna(0).astype("int64")
    df["pct_population_couverte"] = (100 * df["population_couverte"] / df["population"].where(
        df["population"] > 0)).round(1)
    return df
