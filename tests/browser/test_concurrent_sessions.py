"""Several officers at once (issues 11.2, 12.3, 12.4), in the browser: sessions saving imports while others
browse ?dep=62 all land, one at a time, each with its own number and no raw exception; a double click
saves one import; a long resolution can be cancelled, and stops when its tab closes.

Lists here are SYNTHETIC, made for the test."""

from __future__ import annotations

import re
import threading

import pytest
import scenarios
from browsing import CHROMIUM, CHROMIUM_ARGS, Watch, map_frame, open_page, settle, until
from playwright.sync_api import expect

from geo.store import reader

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LABEL = scenarios.CONCURRENCE_LABEL


@pytest.fixture(scope="module")
def served(apps):
    return apps.get("concurrence", scenarios.concurrence)


@pytest.fixture
def app(served):
    """The server's address and store; every test here writes (or tries to): the store is put back after it."""
    yield served.url, served.store
    served.restore()


def imports_in(path) -> list[tuple[int, str]]:
    # the app publishes a new file at each write: read through geo's reader, which follows it
    return reader(path).execute("SELECT id, fichier FROM imports ORDER BY id").fetchall()


def upload_and_resolve(page, url: str, src) -> None:
    """Five browsers and the server share two cores here: every wait is given two minutes."""
    page.set_default_timeout(120000)
    open_page(page, f"{url}/importer")
    settle(page, 120000)
    page.locator("input[type='file']").set_input_files(str(src))
    settle(page, 120000)
    page.get_by_role("combobox", name="Label", exact=True).click()
    page.get_by_role("option", name=LABEL, exact=True).click()
    settle(page, 120000)
    page.get_by_role("button", name="Résoudre la liste").click()
    page.get_by_text("Rapport de résolution").wait_for(timeout=60000)
    settle(page)


@pytest.mark.timeout(600)  # five browsers on two cores: its own waits end before this
def test_sessions_saving_at_once_while_others_browse(app, tmp_path):
    url, path = app
    from playwright.sync_api import sync_playwright

    before = {i for i, _ in imports_in(path)}
    results: dict[str, str] = {}
    failures: list[str] = []
    ready = threading.Barrier(3)
    stop = threading.Event()

    def officer(n: int) -> None:
        src = tmp_path / f"liste-{n}.csv"
        own = ["Arras", "Béthune", "Hénin-Beaumont"][n]
        src.write_text(f"nom;departement\nCalais;62\nLens;62\nLiévin;62\nBerck;62\n{own};62\n", encoding="utf-8")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                watch = Watch(page)
                upload_and_resolve(page, url, src)
                ready.wait(120)
                page.get_by_role("button", name="Enregistrer l'import").click()
                page.get_by_text(re.compile(r"Import n° \d+ enregistré")).wait_for(timeout=120000)
                results[src.name] = page.get_by_text(re.compile(r"Import n° \d+ enregistré")).first.inner_text()
                expect(page.locator("[data-testid='stException']")).to_have_count(0)
                assert "Exception" not in page.locator("[data-testid='stMain']").inner_text()
                watch.check()
                browser.close()
        except Exception as exc:  # noqa: BLE001 (reported by the test)
            failures.append(f"agent {n}: {exc!r}")
            try:
                ready.abort()
            except threading.BrokenBarrierError:
                pass

    def reader_session() -> None:
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                watch = Watch(page)
                while not stop.is_set():
                    open_page(page, f"{url}/departement?dep=62")
                    settle(page, 120000)
                    map_frame(page, 120000)
                    expect(page.locator("[data-testid='stException']")).to_have_count(0)
                watch.check()
                browser.close()
        except Exception as exc:  # noqa: BLE001
            failures.append(f"lecteur : {exc!r}")

    readers = [threading.Thread(target=reader_session) for _ in range(2)]
    officers = [threading.Thread(target=officer, args=(n,)) for n in range(3)]
    for t in readers + officers:
        t.start()
    for t in officers:
        t.join(420)
    stop.set()
    for t in readers:
        t.join(120)
    assert not failures, failures
    numbers = {int(re.search(r"\d+", text).group()) for text in results.values()}
    stored = {i: f for i, f in imports_in(path) if i not in before}
    assert len(results) == 3 and len(numbers) == 3          # three different numbers told
    assert set(stored) == numbers                            # the ones told are the ones saved
    assert sorted(stored.values()) == ["liste-0.csv", "liste-1.csv", "liste-2.csv"]


def test_double_click_saves_one_import(app, browser, tmp_path):
    url, path = app
    src = tmp_path / "double-clic.csv"
    src.write_text("nom;departement\nCalais;62\nBoulogne-sur-Mer;62\n", encoding="utf-8")
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    watch = Watch(page)
    upload_and_resolve(page, url, src)
    page.get_by_role("button", name="Enregistrer l'import").dblclick()
    page.get_by_text(re.compile(r"Import n° \d+ enregistré")).wait_for(timeout=60000)
    settle(page)  # the second click's run, if any, has ended: a second import would be in the store now
    assert [f for _, f in imports_in(path)].count("double-clic.csv") == 1
    watch.check()
    page.close()


def start_long_resolution(page, url: str, tmp_path, name: str = "longue.csv") -> None:
    """150,000 distinct names (SYNTHETIC): a resolution that lasts well over 20 s on this machine."""
    names = ["Calais", "Arras", "Lens", "Liévin", "Berck", "Béthune", "Étaples", "Avion"]
    src = tmp_path / name
    src.write_text("nom;departement\n" + "".join(f"{names[i % len(names)]} {i};62\n" for i in range(150_000)),
                   encoding="utf-8")
    open_page(page, f"{url}/importer")
    settle(page)
    page.locator("input[type='file']").set_input_files(str(src))
    settle(page, 120000)
    page.get_by_role("combobox", name="Label", exact=True).click()
    page.get_by_role("option", name=LABEL, exact=True).click()
    settle(page)
    page.get_by_role("button", name="Résoudre la liste").click()
    page.get_by_role("button", name="Annuler la résolution").wait_for(timeout=60000)
    page.get_by_text(re.compile(r"Résolution de 150\W000 lignes")).wait_for(timeout=60000)


def test_a_long_resolution_can_be_cancelled(app, browser, tmp_path):
    url, path = app
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    watch = Watch(page)
    start_long_resolution(page, url, tmp_path)
    page.get_by_role("button", name="Annuler la résolution").click()
    page.get_by_text("Résolution annulée").wait_for(timeout=60000)
    expect(page.get_by_text("Rapport de résolution")).to_have_count(0)
    assert "longue.csv" not in [f for _, f in imports_in(path)]
    watch.check()
    page.close()


def test_a_resolution_stops_when_its_tab_closes(served, browser, tmp_path):
    """Closing the tab mid-resolution ends the session's run at its next progress step, as « Annuler » does:
    the server says so in its log (a resolution left running would end normally, over 20 s later, and say
    nothing of the kind), and nothing is stored."""
    url, path = served.url, served.store
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    start_long_resolution(page, url, tmp_path, "onglet-ferme.csv")
    assert "onglet-ferme.csv interrompue" not in served.log_text()
    page.close()
    until(served.log_text, lambda text: "Résolution de onglet-ferme.csv interrompue" in text,
          "le journal du serveur après la fermeture de l'onglet", timeout=20)
    assert "onglet-ferme.csv" not in [f for _, f in imports_in(path)]
