"""Dissolving communes into EPCI, départements, régions, and display geometries made in advance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
import shapely.ops

# Display geometry: simplified on the shared topology (coverage_simplify keeps neighbours
# glued), then snapped to a grid fine enough for the screen it is drawn on.
# A département view fills the screen, so its tolerance follows its extent: about 2-3 pixels of a
# 1,000-pixel-wide map (Pas-de-Calais ~0.004°, Val-de-Marne ~0.0008°).
DEP_VIEW_PIXELS = 400
DEP_VIEW_TOLERANCE = (0.0005, 0.005)  # degrees, bounds of the per-département tolerance
DEP_VIEW_GRID = 1e-4         # ~10 m
FR_VIEW_TOLERANCE = 0.02     # degrees, for the national map of départements
FR_VIEW_GRID = 1e-3          # ~100 m
# A région view (Hauts-de-France: 3,782 communes) is drawn at about 1,000 pixels for 3-6 degrees: each
# région is simplified at its own scale, about 1 pixel, within these bounds.
REG_VIEW_PIXELS = 800
REG_VIEW_TOLERANCE = (0.001, 0.005)
REG_VIEW_GRID = 2e-4         # ~20 m
# Every commune of France on one screen: ~0.013 degree per pixel; measured, 0.01 keeps the payload near 2 MB
# (34,871 polygons, 0.008 gives 2.5 MB) and every commune still has its shape when zoomed on a région.
FR_COMMUNE_TOLERANCE = 0.01


def dissolve(geoms: np.ndarray, keys: np.ndarray) -> pd.Series:
    """Union of the geometries sharing a key (missing geometries are skipped)."""
    geoms = np.asarray(geoms, dtype=object)
    keys = np.asarray(keys)
    present = ~pd.isna(geoms)
    out = {}
    for key in pd.unique(keys[present]):
        out[key] = shapely.union_all(geoms[present & (keys == key)])
    return pd.Series(out, dtype=object)


def fill_gaps(units: pd.Series) -> tuple[pd.Series, float]:
    """Fill the holes of dissolved units that no sibling unit occupies.

    A hole that holds another unit is an enclave (Boursies, Nord, inside the Pas-de-Calais) and
    stays; a hole that holds nothing is a gap between source commune polygons (a 2025 commune
    nouvelle drawn with its chef-lieu only) and is filled, since the outer border is known.
    Returns the units and the filled area in square degrees, for the build report.
    """
    keys = list(units.index)
    geoms = units.to_numpy()
    tree = shapely.STRtree(geoms)
    filled_area = 0.0
    out = {}
    for i, (key, geom) in enumerate(zip(keys, geoms, strict=True)):
        parts = []
        for poly in getattr(geom, "geoms", [geom]):
            kept = []
            for ring in poly.interiors:
                hole = shapely.Polygon(ring)
                others = [j for j in tree.query(hole, predicate="intersects") if j != i]
                occupied = sum(shapely.intersection(hole, geoms[j]).area for j in others)
                if occupied > 0.5 * hole.area:
                    kept.append(ring)
                else:
                    filled_area += hole.area
            parts.append(shapely.Polygon(poly.exterior, kept))
        # a filled hole may contain another part of the same unit: union, never stack, the parts
        out[key] = shapely.union_all(parts) if len(parts) > 1 else parts[0]
    return pd.Series(out, dtype=object), filled_area


def display(geoms: np.ndarray, tolerance: float, grid: float) -> np.ndarray:
    """Simplify a polygonal coverage together and round its coordinates; missing stay missing."""
    geoms = np.asarray(geoms, dtype=object)
    out = np.full(len(geoms), None, dtype=object)
    present = ~pd.isna(geoms)
    if present.any():
        simplified = shapely.coverage_simplify(geoms[present], tolerance)
        snapped = shapely.set_precision(simplified, grid)
        # a tiny commune may collapse on the grid: keep its simplified shape instead
        collapsed = shapely.is_empty(snapped)
        snapped[collapsed] = simplified[collapsed]
        out[present] = snapped
    return out


def departement_view(geoms: np.ndarray, deps: np.ndarray) -> tuple[np.ndarray, dict[str, float]]:
    """Display geometry for the département view, simplified per département at its own scale."""
    return _view_by(geoms, deps, DEP_VIEW_PIXELS, DEP_VIEW_TOLERANCE, DEP_VIEW_GRID)


def region_view(geoms: np.ndarray, regions: np.ndarray) -> tuple[np.ndarray, dict[str, float]]:
    """Display geometry for the région view, simplified per région at its own scale."""
    return _view_by(geoms, regions, REG_VIEW_PIXELS, REG_VIEW_TOLERANCE, REG_VIEW_GRID)


def _view_by(geoms: np.ndarray, groups: np.ndarray, pixels: int, bounds: tuple[float, float],
             grid: float) -> tuple[np.ndarray, dict[str, float]]:
    """Each group of a coverage simplified together at a tolerance following its extent."""
    geoms = np.asarray(geoms, dtype=object)
    deps = np.asarray(groups)
    out = np.full(len(geoms), None, dtype=object)
    tolerances = {}
    for dep in pd.unique(deps):
        idx = np.flatnonzero(deps == dep)
        present = [g for g in geoms[idx] if g is not None]
        if not present:
            continue
        minx, miny, maxx, maxy = shapely.total_bounds(present)
        low, high = bounds
        tol = float(min(high, max(low, max(maxx - minx, maxy - miny) / pixels)))
        tolerances[str(dep)] = round(tol, 5)
        out[idx] = display(geoms[idx], tol, grid)
    return out, tolerances


def representative_points(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A point inside each polygon (not the centroid, which can fall outside)."""
    pts = shapely.point_on_surface(np.asarray(geoms, dtype=object))
    return shapely.get_x(pts), shapely.get_y(pts)


def label_point(geom) -> tuple[float, float] | None:
    """Where a name is written: the point of the largest part farthest from its edges (a name centred there
    stays on its commune, not on a neighbour's patch); (lon, lat)."""
    if geom is None or geom.is_empty:
        return None
    part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    minx, miny, maxx, maxy = part.bounds
    point = shapely.ops.polylabel(part, tolerance=max(maxx - minx, maxy - miny) / 100)
    return point.x, point.y


def to_wkb(geoms) -> list[bytes | None]:
    return [None if g is None or (isinstance(g, float) and np.isnan(g)) else shapely.to_wkb(g) for g in geoms]
