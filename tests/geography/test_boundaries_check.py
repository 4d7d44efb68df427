"""Our dissolved départements and EPCI against independent 2025 boundaries (../shared, tests only)."""

import geopandas as gpd
import pytest

from geo.data import territory
from geo.store import reader

EQUAL_AREA = "ESRI:54034"  # World Cylindrical Equal Area: fine for comparing areas of the same places


@pytest.fixture(scope="module")
def check_dir(shared):
    return shared / "data" / "boundaries-check"


@pytest.mark.slow
def test_departement_areas_within_3_percent(store, check_dir):
    ours = territory.departements_geo("full", store).set_index("code").to_crs(EQUAL_AREA).area
    theirs = gpd.read_file(check_dir / "departements-2025_ngeofr-maps.geojson")
    theirs = theirs.set_index(theirs["dep_insee"].astype(str)).to_crs(EQUAL_AREA).area
    assert set(ours.index) == set(theirs.index)
    ratio = ours / theirs.reindex(ours.index)
    bad = ratio[(ratio < 0.97) | (ratio > 1.03)]
    assert bad.empty, bad.to_dict()


def test_same_epci_set(store, check_dir):
    theirs = gpd.read_file(check_dir / "epci-2025_ngeofr-maps.geojson")
    ours = {r[0] for r in reader(store).execute("SELECT siren FROM epci").fetchall()}
    assert ours == set(theirs["epci_siren"].astype(str))


def test_epci_areas_agree(store, check_dir):
    theirs = gpd.read_file(check_dir / "epci-2025_ngeofr-maps.geojson")
    theirs = theirs.set_index(theirs["epci_siren"].astype(str)).to_crs(EQUAL_AREA).area
    rows = reader(store).execute("SELECT siren, geom FROM epci").fetchall()
    ours = gpd.GeoSeries.from_wkb([bytes(g) for _, g in rows], index=[s for s, _ in rows], crs=4326)
    ratio = ours.to_crs(EQUAL_AREA).area / theirs.reindex(ours.index)
    assert ratio.between(0.95, 1.05).mean() > 0.99, ratio.describe()
