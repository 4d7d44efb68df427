"""Compact GeoJSON for maps: only the properties a map uses, coordinates rounded for the screen."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import shapely


def _round(coords, digits: int):
    if isinstance(coords[0], (float, int)):
        return [round(coords[0], digits), round(coords[1], digits)]
    return [_round(c, digits) for c in coords]


def _clean(value):
    if value is None:
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def geometry(geom, digits: int = 4) -> dict:
    mapped = shapely.geometry.mapping(geom)
    return {"type": mapped["type"], "coordinates": _round(mapped["coordinates"], digits)}


def feature_collection(gdf: gpd.GeoDataFrame, properties: Iterable[str], digits: int = 4) -> dict:
    """A FeatureCollection dict; rows without geometry are left out."""
    props = list(properties)
    features = []
    records = gdf[props].to_dict("records") if props else [{}] * len(gdf)
    for geom, rec in zip(gdf.geometry, records, strict=True):
        if geom is None or geom.is_empty:
            continue
        features.append({"type": "Feature", "properties": {k: _clean(v) for k, v in rec.items()},
                         "geometry": geometry(geom, digits)})
    return {"type": "FeatureCollection", "features": features}


def dumps(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
