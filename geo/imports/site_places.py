"""Where a site's point falls, and how far it is from a commune: point in polygon over the communes' full
geometry, the nearest commune for a point just outside the simplified coastline or border, and distances in
kilometres (a local equirectangular scale, good to a few metres at these distances) for the notes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely

from geo.store import reader
from geo.store.identity import GeometryCache

COAST_KM = 2.0       # a point outside every polygon but this close to a commune is placed in it, with a note
NEAR_KM = 5.0        # a point in another commune this close to the file's commune keeps the file's commune
_KM_PER_DEGREE = 111.195  # on the sphere of the mean Earth radius
_locators = GeometryCache(size=2)


@dataclass(frozen=True)
class Located:
    """The commune a point designates: inside it (distance 0) or, off the simplified contours, the nearest."""

    code: str | None
    km: float            # distance to that commune (0 when inside); nan when none was found
    inside: bool


def km_text(km: float) -> str:
    """« 0,4 km », « 12 km »: one decimal below 10 km, as a note says it."""
    return (f"{km:.1f}" if km < 10 else f"{km:.0f}").replace(".", ",") + " km"


class CommuneLocator:
    """The communes' polygons in a tree, built once per build of the store."""

    def __init__(self, store: Path | None):
        rows = reader(store).execute("SELECT code, geom FROM communes WHERE geom IS NOT NULL").fetchall()
        self.codes = np.array([r[0] for r in rows])
        self.geoms = np.array([shapely.from_wkb(bytes(r[1])) for r in rows], dtype=object)
        self.position = {code: i for i, code in enumerate(self.codes)}
        self.tree = shapely.STRtree(self.geoms)

    @classmethod
    def get(cls, store: Path | None) -> CommuneLocator:
        return _locators.get(store, (), lambda: cls(store))

    def locate(self, lons: np.ndarray, lats: np.ndarray) -> list[str | None]:
        """The commune whose polygon holds each point (None outside every polygon or for a missing point)."""
        points = shapely.points(lons, lats)
        found: list[str | None] = [None] * len(points)
        valid = ~(np.isnan(lons) | np.isnan(lats))
        if valid.any():
            idx = np.flatnonzero(valid)
            pairs = self.tree.query(points[idx], predicate="intersects")
            for p, g in zip(pairs[0], pairs[1], strict=True):
                found[idx[p]] = found[idx[p]] or str(self.codes[g])
        return found

    def km_to(self, code: str, lon: float, lat: float) -> float:
        """Distance in km from a point to a commune's polygon (0 inside); nan for a commune without polygon."""
        i = self.position.get(code)
        if i is None:
            return math.nan
        return _km(self.geoms[i], lon, lat)

    def nearest(self, lon: float, lat: float) -> Located:
        """The commune nearest to a point outside every polygon, with its distance in km."""
        point = shapely.Point(lon, lat)
        # candidates within ~COAST_KM (in degrees, longitude stretched by latitude), else the nearest anywhere
        reach = COAST_KM / (_KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.05))
        idx = self.tree.query(point, predicate="dwithin", distance=reach)
        if len(idx) == 0:
            idx = self.tree.query_nearest(point)
        if len(idx) == 0:
            return Located(None, math.nan, False)
        distances = [(_km(self.geoms[i], lon, lat), str(self.codes[i])) for i in idx]
        km, code = min(distances)
        return Located(code, km, False)


def _km(geom, lon: float, lat: float) -> float:
    """Distance in km from (lon, lat) to a geometry, both scaled around the point's latitude."""
    kx = _KM_PER_DEGREE * math.cos(math.radians(lat))
    scaled = shapely.transform(geom, lambda xy: (xy - (lon, lat)) * (kx, _KM_PER_DEGREE))
    return float(shapely.distance(scaled, shapely.Point(0.0, 0.0)))
