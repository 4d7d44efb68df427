"""Two labels crossed over a territory: the communes in each combination (both, only A, only B, neither) with
their population; and the rule check of a label of sites against a label of territories (a CPJ's collectivité
should hold Terre de Jeux)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.analysis.scope import Scope, communes, is_sites, members
from geo.data import labels
from geo.store import reader

BOTH, ONLY_A, ONLY_B, NEITHER = "les deux", "A seulement", "B seulement", "aucun des deux"
COMBINATIONS = (BOTH, ONLY_A, ONLY_B, NEITHER)


def combination_names(label_a: str, label_b: str) -> dict[str, str]:
    """What each combination reads as on a page, with the labels' names (untrusted text: escape where drawn)."""
    return {BOTH: f"{label_a} et {label_b}", ONLY_A: f"{label_a} seulement", ONLY_B: f"{label_b} seulement",
            NEITHER: "ni l'un ni l'autre"}


def combine(a: pd.Series, b: pd.Series) -> pd.Series:
    """The combination of two memberships (booleans, same index)."""
    out = pd.Series(NEITHER, index=a.index, dtype=object)
    out[a & ~b] = ONLY_A
    out[~a & b] = ONLY_B
    out[a & b] = BOTH
    return out


def cross(label_a: str, label_b: str, scope: Scope, store: Path | None = None) -> pd.DataFrame:
    """Each commune of the territory with whether each label holds it and its combination."""
    towns = communes(scope, store)
    towns["label_a"] = towns["code"].isin(members(label_a, store))
    towns["label_b"] = towns["code"].isin(members(label_b, store))
    towns["combinaison"] = combine(towns["label_a"], towns["label_b"])
    return towns


def summary(crossed: pd.DataFrame) -> pd.DataFrame:
    """Communes and population in each combination, in the order of COMBINATIONS (empty ones included)."""
    grouped = crossed.groupby("combinaison").agg(communes=("code", "size"), population=("population", "sum"))
    out = grouped.reindex(list(COMBINATIONS), fill_value=0).reset_index()
    total_pop = max(int(crossed["population"].sum()), 1)
    out["part_population"] = out["population"] / total_pop * 100
    return out


def for_table(crossed: pd.DataFrame, label_a: str, label_b: str) -> pd.DataFrame:
    """The crossed communes with French column names, for a table and its exports (codes stay text)."""
    names = combination_names(label_a, label_b)
    return pd.DataFrame({
        "Code INSEE": crossed["code"], "Commune": crossed["nom"], "Département": crossed["departement"],
        "EPCI": crossed["epci_nom"].fillna(""), "Population": crossed["population"].astype(int),
        label_a: crossed["label_a"].map({True: "oui", False: "non"}),
        label_b: crossed["label_b"].map({True: "oui", False: "non"}),
        "Combinaison": crossed["combinaison"].map(names),
    })


def sites_outside(site_label: str, territorial_label: str, scope: Scope, store: Path | None = None) -> pd.DataFrame:
    """The sites of a label of sites whose commune the label of territories does not cover, each with the reason
    (neither the commune, nor its EPT, nor its EPCI hold the label; whether its département does is said, since a
    site may belong to the Département). Sites with no known commune are not listed: nothing can be checked."""
    if not is_sites(site_label, store):
        raise ValueError(f"« {site_label} » n'est pas une liste de sites")
    where = {"departement": "AND s.departement = $code", "region": "AND d.region = $code", "france": ""}[scope.kind]
    con = reader(store)
    sites = con.execute(
        "SELECT s.nom AS site, s.commune, c.nom AS commune_nom, s.departement, c.epci, e.nom AS epci_nom, c.ept, "
        "t.nom AS ept_nom, c.population, s.lon, s.lat, c.point_lon, c.point_lat FROM sites s "
        "JOIN imports i ON i.id = s.import_id AND i.retire_le IS NULL JOIN labels l ON l.id = s.label_id "
        "JOIN communes c ON c.code = s.commune LEFT JOIN departements d ON d.code = s.departement "
        "LEFT JOIN epci e ON e.siren = c.epci LEFT JOIN ept t ON t.siren = c.ept "
        f"WHERE l.nom = $label AND {labels.counted_site(con)} {where} ORDER BY s.departement, c.nom, s.nom",
        {"label": site_label, **({"code": scope.code} if scope.code else {})}).df()
    covered = members(territorial_label, store)
    labelled_deps = _labelled_departements(territorial_label, store)
    outside = sites[~sites["commune"].isin(covered)].copy()
    outside["motif"] = [_reason(r, territorial_label, labelled_deps) for r in outside.itertuples()]
    return outside.reset_index(drop=True)


def unplaced_sites(site_label: str, scope: Scope, store: Path | None = None) -> int:
    """How many sites of the label have no known commune in the territory (France: all of them), left unchecked."""
    where = {"departement": "AND s.departement = $code", "region": "AND d.region = $code", "france": ""}[scope.kind]
    con = reader(store)
    return con.execute(
        "SELECT count(*) FROM sites s JOIN imports i ON i.id = s.import_id AND i.retire_le IS NULL "
        "JOIN labels l ON l.id = s.label_id LEFT JOIN departements d ON d.code = s.departement "
        f"WHERE l.nom = $label AND s.statut <> 'ecarte' AND s.commune IS NULL {where}",
        {"label": site_label, **({"code": scope.code} if scope.code else {})}).fetchone()[0]


def _labelled_departements(label: str, store: Path | None) -> set[str]:
    """Départements that hold the label themselves."""
    rows = reader(store).execute(
        "SELECT DISTINCT e.code FROM entites e JOIN imports i ON i.id = e.import_id AND i.retire_le IS NULL "
        "JOIN labels l ON l.id = e.label_id WHERE l.nom = ? AND e.niveau = 'departement' "
        "AND e.statut IN ('exact', 'normalise', 'approx')", [label]).fetchall()
    return {r[0] for r in rows}


def _reason(site, label: str, labelled_deps: set[str]) -> str:
    """Why a site is outside the label, in one sentence (names are raw text: pages show them as text)."""
    parts = [f"la commune {site.commune_nom} ({site.commune}) n'est pas labellisée « {label} »"]
    if isinstance(site.ept_nom, str):
        parts.append(f"ni son EPT ({site.ept_nom})")
    parts.append(f"ni son EPCI ({site.epci_nom})" if isinstance(site.epci_nom, str) else "elle n'a pas d'EPCI")
    text = ", ".join(parts)
    if site.departement in labelled_deps:
        text += " ; le département l'est (le site peut relever du Département : à vérifier)"
    return text


def for_rule_table(outside: pd.DataFrame) -> pd.DataFrame:
    """The sites outside the label with French column names."""
    return pd.DataFrame({
        "Site": outside["site"], "Code INSEE": outside["commune"], "Commune": outside["commune_nom"],
        "Département": outside["departement"], "EPCI": outside["epci_nom"].fillna(""), "Motif": outside["motif"]})

