"""Browser-test plumbing shared by every browser test file: start the app on a store, drive Debian's
Chromium through Playwright, watch for what a page must never do, take screenshots."""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import duckdb
import pytest

from geo.paths import ROOT
from geo.store.schema import create_user_tables, user_tables

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
                port: int | None = None, log: Path | None = None) -> Iterator[str]:
    """The Streamlit app served on `port` (a free one by default) over `store`; yields its base URL. With
    `secrets`, that file is the app's only secrets file (Streamlit's --secrets.files), in place of
    .streamlit/secrets.toml in the work tree or the home directory. With `log`, the server's output goes there
    (tests wait on what the server logs)."""
    port = port or free_port()
    env = {**os.environ, "TDJ_STORE": str(store), **(extra_env or {})}
    args = ["--secrets.files", str(secrets)] if secrets else []
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 (closed below)
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.headless", "true", *args], cwd=ROOT, env=env, stdout=out,
                            stderr=subprocess.STDOUT)
    url = f"http://localhost:{port}"
    try:
        wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        if log:
            out.close()


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    """Until the server answers its health check (it may take seconds to import the app)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"l'application s'est arrêtée au démarrage (code {proc.returncode})")
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                return
        except OSError:
            time.sleep(0.2)  # polling the server's port: nothing to wait on but the next attempt
    pytest.fail("l'application n'a pas démarré")


class App:
    """One app server over one store scenario, shared by every test of the run that uses the scenario. A test
    that writes restores the store afterwards (`restore`), so that the next test sees the scenario as built."""

    def __init__(self, url: str, store: Path, snapshot: Path, log: Path):
        self.url, self.store, self.snapshot, self.log = url, store, snapshot, log

    def restore(self) -> None:
        """Put the scenario's store back, published as a write publishes (the server's readers follow it). Tests
        that write wait for their write's outcome, and close their page first (the fixture that restores is set
        up before the page), so no write of theirs is in flight here."""
        from geo.store import write_lock

        with write_lock(self.store):
            tmp = self.store.with_name(self.store.name + ".restauration")
            shutil.copyfile(self.snapshot, tmp)
            os.replace(tmp, self.store)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


class Apps:
    """The app servers of a test run, one per (scenario, settings): started at first use, stopped at the end."""

    def __init__(self, store: Path, root: Path):
        self._store, self._root = store, root
        self._apps: dict[tuple, App] = {}
        self._stores: dict[str, Path] = {}
        self._stack = ExitStack()

    def get(self, name: str, build: Callable[[Path, Path], Path], env: dict[str, str] | None = None) -> App:
        """The server of scenario `name` with settings `env`, over its own copy of the scenario's store."""
        key = (name, tuple(sorted((env or {}).items())))
        if key not in self._apps:
            snapshot = self.store(name, build)
            where = self._root / f"serveur-{len(self._apps)}-{name}"
            where.mkdir(parents=True)
            store = Path(shutil.copyfile(snapshot, where / "territoires.duckdb"))
            log = where / "serveur.log"
            url = self._stack.enter_context(running_app(store, env, log=log))
            self._apps[key] = App(url, store, snapshot, log)
        return self._apps[key]

    def store(self, name: str, build: Callable[[Path, Path], Path]) -> Path:
        """The store of scenario `name` as built, once per run: never served nor written (servers get copies,
        read-only tests without a server read it)."""
        if name not in self._stores:
            where = self._root / f"scenario-{name}"
            where.mkdir(parents=True)
            self._stores[name] = build(self._store, where / "territoires.duckdb")
        return self._stores[name]

    def close(self) -> None:
        self._stack.close()


def seeded(store: Path, dest: Path) -> Path:
    """The scenario `make setup` leaves: the geography and the shipped real lists."""
    from geo.imports.seed import seed

    path = empty_copy(store, dest)
    seed(path)
    return path


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
            page.get_by_text(at).first.evaluate("e => e.scrollIntoView({block: 'start'})")
        screenshot(page, f"{name}-{size}")


def store_rows(store: Path, sql: str) -> list[tuple]:
    """Rows of the app's store, through geo's reader, which follows the file each write publishes (DuckDB keeps
    one database per path in a process: a plain connect could hand back the version this process opened first)."""
    from geo.store import reader

    return reader(store).execute(sql).fetchall()


def until(read: Callable[[], object], expected: Callable[[object], bool], what: str, timeout: float = 30) -> object:
    """`read()` once `expected` holds of it (what the app wrote to its store, say), or fail naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if expected(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} : toujours {value!r} après {timeout:.0f} s")
        time.sleep(0.1)  # polling a file another process writes: no event to wait on


def withdraw_first_import(page) -> None:
    """On the Importer page: pick the first import of the list, withdraw it and confirm."""
    settle(page)
    page.get_by_role("combobox", name="Import", exact=True).click()
    if not page.get_by_role("option").count():
        page.keyboard.press("ArrowDown")
    page.get_by_role("option").first.click()
    page.get_by_role("button", name="Retirer cet import…").click()
    page.get_by_role("button", name="Confirmer le retrait").click()


# The app is settled when Streamlit says its script is not running and has said so for 300 ms since the wait
# began: a click's new run starts within milliseconds, but not at once (the state read just after the click is
# still the last run's end). Each wait starts its own count (`token`).
_SETTLED = """token => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app) { return false; }
  const state = app.getAttribute('data-test-script-state'), now = performance.now();
  if (window.__tdjToken !== token || window.__tdjState !== state) {
    window.__tdjToken = token; window.__tdjState = state; window.__tdjSince = now; return false;
  }
  return state === 'notRunning' && now - window.__tdjSince > 300;
}"""
_waits = itertools.count()


def settle(page, timeout: float = 30000) -> None:
    """Wait until the app has finished its run and started no other."""
    page.wait_for_function(_SETTLED, arg=next(_waits), timeout=timeout, polling="raf")


def screenshot(page, name: str):
    """A full-page screenshot in test-artifacts/, taken once the app has settled."""
    ARTIFACTS.mkdir(exist_ok=True)
    if page.locator("[data-testid='stApp']").count():
        settle(page)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
