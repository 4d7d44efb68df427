"""A territory to analyse (a département, a région or France) and what each label says of its communes: covered
by a label of territories, or holding a site of a label of sites."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.data import coverage, labels
from geo.paths import store_path
from geo.store import reader
from geo.store.identity import GeometryCache, version

_geography = GeometryCache(size=24)   # the communes of a territory: the same until the next build
_members: dict[tuple, frozenset[str]] = {}  # a label's communes: the same until the next write

KINDS = ("departement", "region", "france")


@dataclass(frozen=True)
class Scope:
    """One territory: kind is « departement », « region » or « france » (code empty)."""

    kind: str = "france"
    code: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS or (self.kind != "france" and not self.code):
            raise ValueError(f"territoire inconnu : {self.kind} {self.code}")

    def slug(self) -> str:
        """A file-name part: « departement-62 », « region-32 », « france »."""
        return "france" if self.kind == "france" else f"{self.kind}-{self.code}"


def describe(scope: Scope, store: Path | None = None) -> str:
    """« Pas-de-Calais (62) », « Hauts-de-France », « France » for titles and summaries."""
    if scope.kind == "france":
        return "France"
    table = "departements" if scope.kind == "departement" else "regions"
    row = reader(store).execute(f"SELECT nom FROM {table} WHERE code = ?", [scope.code]).fetchone()
    if row is None:
        raise ValueError(f"territoire inconnu : {scope.kind} {scope.code}")
    return f"{row[0]} ({scope.code})" if scope.kind == "departement" else str(row[0])


def communes(scope: Scope, store: Path | None = None) -> pd.DataFrame:
    """The communes of the territory (metropolis and DROM) with what the analyses show: names, EPCI, population
    and the commune's reference point (inside its polygon); read once per build, a copy each time."""
    return _geography.get(store, ("communes", scope.kind, scope.code), lambda: _communes(scope, store)).copy()


def _communes(scope: Scope, store: Path | None) -> pd.DataFrame:
    where = {"departement": "AND c.departement = $code", "region": "AND c.region = $code", "france": ""}[scope.kind]
    params = {"code": scope.code} if scope.code else {}
    return reader(store).execute(
        "SELECT c.code, c.nom, c.departement, c.region, c.epci, e.nom AS epci_nom, coalesce(c.population, 0) "
        "AS population, c.point_lon, c.point_lat FROM communes c LEFT JOIN epci e ON e.siren = c.epci "
        f"WHERE c.zone IN ('metro', 'drom') {where} ORDER BY c.code", params).df()


def is_sites(label: str, store: Path | None = None) -> bool:
    """A label of sites (the CPJ) rather than of territories."""
    return labels.label_genres(store).get(label) == "sites"


def members(label: str, store: Path | None = None) -> frozenset[str]:
    """The communes a label holds, in all of France: covered (directly, through its EPT or its EPCI) for a label of
    territories, holding at least one site for a label of sites; read once per version of the store."""
    key = (str(store or store_path()), version(store), label)
    if key not in _members:
        if len(_members) >= 32:
            _members.clear()
        _members[key] = frozenset(_read_members(label, store))
    return _members[key]


def _read_members(label: str, store: Path | None) -> set[str]:
    if is_sites(label, store):
        con = reader(store)
        rows = con.execute(
            "SELECT DISTINCT s.commune FROM sites s JOIN imports i ON i.id = s.import_id AND i.retire_le IS NULL "
            f"JOIN labels l ON l.id = s.label_id WHERE l.nom = ? AND {labels.counted_site(con)}", [label]).fetchall()
        return {r[0] for r in rows}
    status = coverage.communes_status(label, None, store)
    return set(status.loc[status["statut"] != coverage.STATUS_NONE, "code"])


def with_polygons(table: pd.DataFrame, codes: pd.Series, store: Path | None = None) -> gpd.GeoDataFrame:
    """A table (French columns) with each row's commune polygon (full geometry, WGS84), for a GIS export."""
    import shapely

    wanted = sorted(set(codes.dropna()))
    rows = reader(store).execute("SELECT code, geom FROM communes WHERE code IN (SELECT unnest($codes))",
                                 {"codes": wanted}).fetchall()
    shapes = {code: shapely.from_wkb(bytes(blob)) for code, blob in rows if blob is not None}
    geometry = gpd.GeoSeries([shapes.get(c) for c in codes], index=table.index, crs=4326)
    return gpd.GeoDataFrame(table, geometry=geometry, crs=4326)


def with_points(table: pd.DataFrame, lon: pd.Series, lat: pd.Series) -> gpd.GeoDataFrame:
    """A table with points (sites), WGS84, for a GIS export."""
    return gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(lon, lat, crs=4326), crs=4326)


def scope_of(departement: str | None = None, region: str | None = None, store: Path | None = None) -> Scope:
    """The territory a command or a link names (« 6 » and « 2a » read as 06 and 2A); unknown codes said in French."""
    from geo.errors import UnknownName

    if departement and region:
        raise UnknownName("Choisissez un département ou une région, pas les deux.")
    if not departement and not region:
        return Scope("france")
    kind, raw = ("departement", departement) if departement else ("region", region)
    code = str(raw).strip().upper()
    code = code.zfill(2) if code.isdigit() and len(code) == 1 else code
    table = "departements" if kind == "departement" else "regions"
    if reader(store).execute(f"SELECT count(*) FROM {table} WHERE code = ?", [code]).fetchone()[0] == 0:
        raise UnknownName(f"{'Département' if departement else 'Région'} « {raw} » inconnu(e) du COG 2025.")
    return Scope(kind, code)
