"""Read access to the official geography, for pages and other modules."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geo.store import reader

DISPLAY = {"full": "geom", "departement": "geom_dep", "france": "geom_fr"}


def _frame(sql: str, params: list | None = None, store: Path | None = None) -> pd.DataFrame:
    return reader(store).execute(sql, params or []).df()


def _geoframe(df: pd.DataFrame, column: str) -> gpd.GeoDataFrame:
    geoms = [None if b is None or b is pd.NA else shapely.from_wkb(bytes(b)) for b in df.pop(column)]
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geoms, index=df.index, crs=4326), crs=4326)


def departements(store: Path | None = None) -> pd.DataFrame:
    return _frame("SELECT code, nom, region, population, communes FROM departements ORDER BY code", store=store)


def regions(store: Path | None = None) -> pd.DataFrame:
    return _frame("SELECT code, nom, population FROM regions ORDER BY code", store=store)


def departements_geo(view: str = "france", store: Path | None = None) -> gpd.GeoDataFrame:
    """Départements with the geometry of a view: 'france' (national map), 'departement' or 'full'."""
    column = DISPLAY[view]
    df = _frame(f"SELECT d.code, d.nom, d.region, r.nom AS region_nom, d.population, d.communes, d.{column} "
                "FROM departements d JOIN regions r ON r.code = d.region ORDER BY d.code", store=store)
    return _geoframe(df, column)


def departement(code: str, store: Path | None = None) -> dict | None:
    df = _frame("SELECT code, nom, region, population, communes FROM departements WHERE code = ?", [code], store)
    return df.iloc[0].to_dict() if len(df) else None


def departement_outline(code: str, view: str = "departement", store: Path | None = None):
    row = reader(store).execute(f"SELECT {DISPLAY[view]} FROM departements WHERE code = ?", [code]).fetchone()
    return shapely.from_wkb(bytes(row[0])) if row and row[0] is not None else None


COMMUNE_COLUMNS = ("c.code, c.nom, c.departement, c.region, c.epci, e.nom AS epci_nom, c.population, "
                   "c.point_lon, c.point_lat, c.ept, t.nom AS ept_nom")
_COMMUNE_JOINS = "FROM communes c LEFT JOIN epci e ON e.siren = c.epci LEFT JOIN ept t ON t.siren = c.ept"


def communes_of_departement(dep: str, view: str = "departement", store: Path | None = None) -> gpd.GeoDataFrame:
    """A département's communes with the display geometry of the view ('departement' or 'full')."""
    column = DISPLAY[view]
    df = _frame(f"SELECT {COMMUNE_COLUMNS}, c.{column} {_COMMUNE_JOINS} WHERE c.departement = ? ORDER BY c.code",
                [dep], store)
    return _geoframe(df, column)


def commune(code: str, store: Path | None = None) -> dict | None:
    """A commune by INSEE code; a commune déléguée, associée or arrondissement code leads to its parent."""
    df = _frame(f"SELECT {COMMUNE_COLUMNS}, c.siren, c.zone {_COMMUNE_JOINS} WHERE c.code = ?", [code], store)
    if len(df):
        return df.iloc[0].to_dict()
    parent = parent_of(code, store)
    return commune(parent, store) if parent and parent != code else None


def parent_of(code: str, store: Path | None = None) -> str | None:
    """Today's commune for a code: itself, the parent of a commune déléguée/associée or arrondissement, or the
    commune that absorbed an old code."""
    con = reader(store)
    if con.execute("SELECT 1 FROM communes WHERE code = ?", [code]).fetchone():
        return code
    row = con.execute("SELECT parent FROM communes_infra WHERE code = ? LIMIT 1", [code]).fetchone()
    if row:
        return row[0]
    row = con.execute("SELECT code FROM anciens_codes WHERE ancien_code = ? LIMIT 1", [code]).fetchone()
    return row[0] if row else None


def epci(siren: str, store: Path | None = None) -> dict | None:
    df = _frame("SELECT siren, nom, type, population, departement, membres FROM epci WHERE siren = ?", [siren], store)
    return df.iloc[0].to_dict() if len(df) else None


def epci_members(siren: str, store: Path | None = None) -> pd.DataFrame:
    return _frame("SELECT c.code, c.nom, c.departement, c.population FROM epci_membres m "
                  "JOIN communes c ON c.code = m.code WHERE m.siren = ? ORDER BY c.code", [siren], store)


def epci_of_departement(dep: str, view: str = "departement", store: Path | None = None) -> gpd.GeoDataFrame:
    """EPCI with at least one member commune in the département, with their outlines; the Métropole du
    Grand Paris (an EPCI whose members form EPT) is left out: its EPT say more (see ept_of_departement)."""
    column = DISPLAY[view]
    df = _frame(f"SELECT siren, nom, type, population, membres, {column} FROM epci WHERE siren IN "
                "(SELECT DISTINCT epci FROM communes WHERE departement = ?) AND siren NOT IN "
                "(SELECT DISTINCT epci FROM communes WHERE ept IS NOT NULL AND epci IS NOT NULL) ORDER BY nom",
                [dep], store)
    return _geoframe(df, column)


def ept_of_departement(dep: str, view: str = "departement", store: Path | None = None) -> gpd.GeoDataFrame:
    """Établissements publics territoriaux (Grand Paris) with a member commune in the département."""
    column = DISPLAY[view] if view != "france" else "geom"
    df = _frame(f"SELECT siren, nom, numero, sigle, population, membres, {column} FROM ept WHERE siren IN "
                "(SELECT DISTINCT ept FROM communes WHERE departement = ?) ORDER BY numero", [dep], store)
    return _geoframe(df, column)


def ept(siren: str, store: Path | None = None) -> dict | None:
    df = _frame("SELECT siren, nom, numero, sigle, departement, population, membres FROM ept WHERE siren = ?",
                [siren], store)
    return df.iloc[0].to_dict() if len(df) else None


def ept_members(siren: str, store: Path | None = None) -> pd.DataFrame:
    return _frame("SELECT code, nom, departement, population FROM communes WHERE ept = ? ORDER BY code",
                  [siren], store)


def ept_all(store: Path | None = None) -> pd.DataFrame:
    return _frame("SELECT siren, nom, numero, sigle, departement, population, membres FROM ept ORDER BY numero",
                  store=store)


def metadata(store: Path | None = None) -> dict[str, str]:
    return dict(reader(store).execute("SELECT cle, valeur FROM metadonnees").fetchall())


def sources(store: Path | None = None) -> pd.DataFrame:
    return _frame("SELECT * FROM sources", store=store)


def region(code: str, store: Path | None = None) -> dict | None:
    df = _frame("SELECT code, nom, population FROM regions WHERE code = ?", [code], store)
    return df.iloc[0].to_dict() if len(df) else None


def communes_of_region(reg: str | None, view: str = "region", store: Path | None = None) -> gpd.GeoDataFrame:
    """A région's communes (all of France with None) with the display geometry of the view ('region',
    'france' or 'full'); a commune without a polygon in the source has none."""
    column = {"region": "geom_reg", "france": "geom_fr", "full": "geom"}[view]
    where, params = ("WHERE c.region = ?", [reg]) if reg else ("WHERE c.zone IN ('metro', 'drom')", [])
    df = _frame(f"SELECT {COMMUNE_COLUMNS}, c.{column} {_COMMUNE_JOINS} {where} ORDER BY c.code", params, store)
    return _geoframe(df, column)


def departements_of_region(reg: str, store: Path | None = None) -> gpd.GeoDataFrame:
    """The région's départements with their outline at the région's scale."""
    df = _frame("SELECT code, nom, population, communes, geom_reg FROM departements WHERE region = ? ORDER BY code",
                [reg], store)
    return _geoframe(df, "geom_reg")


def epci_of_region(reg: str, store: Path | None = None) -> gpd.GeoDataFrame:
    """EPCI with a member commune in the région (the Métropole du Grand Paris left out, as for a
    département), outlines at the région's scale."""
    df = _frame("SELECT siren, nom, geom_reg FROM epci WHERE siren IN "
                "(SELECT DISTINCT epci FROM communes WHERE region = ?) AND siren NOT IN "
                "(SELECT DISTINCT epci FROM communes WHERE ept IS NOT NULL AND epci IS NOT NULL) ORDER BY nom",
                [reg], store)
    return _geoframe(df, "geom_reg")
