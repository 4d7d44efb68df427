"""Lists with their geometries as a GeoPackage that QGIS opens as is: one layer per list (commune polygons, site
points), WGS84 (EPSG:4326, the store's coordinates, valid for the metropolis and the DROM alike), French column
names, INSEE and SIREN codes as text (« 01004 », « 2A004 » stay what they are)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

# columns whose values are codes: written as text whatever pandas guessed
CODE_COLUMNS = ("Code INSEE", "Département", "Région", "SIREN EPCI", "Son code INSEE", "code", "commune")


def _layer_name(name: str) -> str:
    """A layer name any GIS accepts: letters, digits and underscores, 60 characters at most."""
    cleaned = "".join(ch if ch.isalnum() else "_" for ch in name).strip("_")
    return cleaned[:60] or "couche"


def _as_text(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Codes as text, other object columns as text (None stays empty), booleans as « oui »/« non »."""
    out = gdf.copy()
    for column in out.columns:
        if column == out.geometry.name:
            continue
        if column in CODE_COLUMNS or out[column].dtype == object:
            out[column] = out[column].map(lambda v: None if v is None or (isinstance(v, float) and v != v) else str(v))
        elif pd.api.types.is_bool_dtype(out[column]):
            out[column] = out[column].map({True: "oui", False: "non"})
    return out


def write_geopackage(layers: dict[str, gpd.GeoDataFrame], path: Path) -> Path:
    """Write each named layer into one GeoPackage (replaced whole: written beside it, then renamed)."""
    import os

    import pyogrio

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        work = Path(tmp) / "export.gpkg"
        for name, gdf in layers.items():
            frame = _as_text(gdf if gdf.crs is not None else gdf.set_crs(4326))
            pyogrio.write_dataframe(frame.to_crs(4326), work, layer=_layer_name(name), driver="GPKG",
                                    append=work.exists())
        os.replace(work, path)
    return path


def to_geopackage_bytes(layers: dict[str, gpd.GeoDataFrame]) -> bytes:
    """The GeoPackage as bytes, for a download button."""
    with tempfile.TemporaryDirectory() as tmp:
        return write_geopackage(layers, Path(tmp) / "export.gpkg").read_bytes()
