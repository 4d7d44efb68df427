"""Browser-test plumbing shared by every browser test file: start the app on a store, drive Debian's
Chromium through Playwright, watch for what a page must never do, take screenshots."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from geo.paths import ROOT
from geo.schema import create_user_tables, user_tables

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def empty_copy(store: Path, dest: Path) -> Path:
    """A copy of the built store with its user tables emptied."""
    shutil.copyfile(store, dest)
    con = duckdb.connect(str(dest))
    create_user_tables(con)  # a store built before a user table was added
    for table in reversed(user_tables()):
        con.execute(f"DELETE FROM {table}")
    con.close()
    return dest


@contextmanager
def running_app(store: Path, extra_env: dict[str, str] | None = None, *, secrets: Path | None = None,
                port: int | None = None) -> Iterator[str]:
    """The Streamlit app served on `port` (a free one by default) over `store`; yields its base URL. With
    `secrets`, that file is the app's only secrets file (Streamlit's --secrets.files), in place of
    .streamlit/secrets.toml in the work tree or the home directory."""
    port = port or free_port()
    env = {**os.environ, "TDJ_STORE": str(store), **(extra_env or {})}
    args = ["--secrets.files", str(secrets)] if secrets else []
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.headless", "true", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)
    url = f"http://localhost:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("l'application n'a pas démarré")
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class Watch:
    """What a page did that it must not: JS errors, dialogs, requests off localhost, broken resources."""

    def __init__(self, page):
        self.errors, self.external, self.dialogs, self.broken = [], [], [], []
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("request", self._request)
        page.on("response", self._response)

    def _request(self, request):
        url = request.url
        if not url.startswith(("http://localhost", "http://127.0.0.1", "data:", "blob:", "about:")):
            self.external.append(url)

    def _response(self, response):
        # Streamlit probes <page>/_stcore/health before the root one on deep links: its own, harmless 404
        if response.status >= 400 and "/_stcore/" not in response.url:
            self.broken.append(f"{response.status} {response.url}")

    def check(self):
        assert not self.errors, self.errors
        assert not self.dialogs, self.dialogs
        assert not self.external, self.external
        assert not self.broken, self.broken


def open_page(page, url: str, shot: str = ""):
    """Go to a page of the app and wait until it is drawn, with no exception box."""
    page.goto(url)
    page.wait_for_selector("[data-testid='stApp']", timeout=30000)
    page.wait_for_selector("[data-testid='stMain'] h1, [data-testid='stMain'] h2", timeout=30000)
    assert page.locator("[data-testid='stException']").count() == 0
    return shot


def map_frame(page, timeout: float = 30000):
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']").first
    frame.locator(".leaflet-container").wait_for(timeout=timeout)
    return frame


SIZES = {"1440": (1440, 900), "1280": (1280, 720)}  # a desk screen and a projector


def shots(page, name: str, at: str = "") -> None:
    """Screenshots at both SIZES, each scrolled to the text `at` when given."""
    for size, (w, h) in SIZES.items():
        page.set_viewport_size({"width": w, "height": h})
        if at:
            page.wait_for_timeout(500)
            page.get_by_text(at).first.evaluate("e => e.scrollIntoView({block: 'start'})")
        screenshot(page, f"{name}-{size}")


def store_rows(store: Path, sql: str) -> list[tuple]:
    """Rows of the app's store, through geo's reader, which follows the file each write publishes (DuckDB keeps
    one database per path in a process: a plain connect could hand back the version this process opened first)."""
    from geo.store import reader

    return reader(store).execute(sql).fetchall()


def withdraw_first_import(page) -> None:
    """On the Importer page: pick the first import of the list, withdraw it and confirm."""
    page.get_by_role("combobox", name="Import", exact=True).click()
    if not page.get_by_role("option").count():
        page.keyboard.press("ArrowDown")
    page.get_by_role("option").first.click()
    page.get_by_role("button", name="Retirer cet import…").click()
    page.get_by_role("button", name="Confirmer le retrait").click()


def screenshot(page, name: str):
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
