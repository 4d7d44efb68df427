"""Load: 20 concurrent page loads of ?dep=62 with no error (median, max); one load alone as the reference."""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import time

from bench.common import serving
from bench.wire import Run, load

PAGE, QUERY = "departement", "dep=62"
LOADS = 20


def _ok(run: Run) -> bool:
    """A whole page: the script finished, no exception, the Pas-de-Calais title and its map component."""
    return (run.finished and not run.exceptions and any("Pas-de-Calais" in t for t in run.texts)
            and "component_instance" in run.widgets.values())


async def _together(url: str, n: int) -> list[Run | BaseException]:
    return await asyncio.gather(*(load(url, PAGE, QUERY, timeout=300) for _ in range(n)), return_exceptions=True)


def _server_loads(url: str) -> tuple[list[float], list[float], int]:
    """Alone (5 in a row, after a warm-up), then LOADS new sessions at once: seconds from the request to the
    end of the script run, every element received (what the server owes a browser)."""
    asyncio.run(load(url, PAGE, QUERY))
    alone = [asyncio.run(load(url, PAGE, QUERY)) for _ in range(5)]
    runs = asyncio.run(_together(url, LOADS))
    failed = sum(1 for r in runs if isinstance(r, BaseException) or not _ok(r)) + sum(1 for r in alone if not _ok(r))
    return [r.seconds for r in alone], [r.seconds for r in runs if not isinstance(r, BaseException)], failed


def _browser_loads(url: str, n: int) -> tuple[list[float], int]:
    """n Chromium tabs opening ?dep=62 at once: seconds until their 887 commune polygons are drawn."""
    from playwright.sync_api import sync_playwright

    script = ("n => { const f = [...document.querySelectorAll('iframe')].find(x => x.title === "
              "'streamlit_folium.st_folium'); return f && f.contentDocument && "
              "f.contentDocument.querySelectorAll('path.tdj-commune').length >= n; }")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        pages = [browser.new_page(viewport={"width": 1400, "height": 1000}) for _ in range(n)]
        errors: list[str] = []
        for page in pages:
            page.on("pageerror", lambda e: errors.append(str(e)))
        start = time.perf_counter()
        for page in pages:  # navigations start without waiting for one another
            page.goto(f"{url}/{PAGE}?{QUERY}", wait_until="commit")
        times, failed = [], 0
        for page in pages:
            try:
                page.wait_for_function(script, arg=887, timeout=300000)
                times.append(time.perf_counter() - start)
            except Exception:
                failed += 1
        failed += len(errors)
        browser.close()
    return times, failed


def run() -> list[tuple[str, str, str, str]]:
    # the baseline, same run: Streamlit's default source watcher, which our .streamlit/config.toml turns off
    with serving(env={"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "auto"}) as url:
        _, watched, watched_failed = _server_loads(url)
    with serving() as url:
        alone, together, failed = _server_loads(url)
        load_server = os.getloadavg()[0]
        browser_alone, failed_alone = _browser_loads(url, 1)
        browser_times, browser_failed = _browser_loads(url, LOADS)
        load_browser = os.getloadavg()[0]
    ref = statistics.median(alone)
    wmed, wworst = statistics.median(watched), max(watched)
    med, worst = statistics.median(together), max(together)
    bref = statistics.median(browser_alone)
    bmed, bworst = statistics.median(browser_times), max(browser_times) if browser_times else float("nan")
    return [
        (f"{LOADS} chargements simultanés de `?dep=62` (nouvelles sessions, protocole websocket de Streamlit : "
         "requête → fin du script, tous les éléments reçus)",
         f"médiane {med:.2f} s, max {worst:.2f} s ; {failed} erreur(s) sur {LOADS + 5}",
         f"un chargement seul : {ref:.2f} s (médiane de 5) ; médiane simultanée = {med / ref:.1f}× ; "
         f"débit {LOADS / worst:.1f} pages/s ; charge de la machine (load average 1 min) : {load_server:.0f}",
         "aucune erreur"),
        (f"les mêmes {LOADS} chargements avec l'observateur de fichiers de Streamlit (réglage par défaut)",
         f"médiane {wmed:.2f} s, max {wworst:.2f} s ; {watched_failed} erreur(s)",
         f"sans observateur (ligne précédente) : médiane {med / wmed:.2f}×, max {worst / wworst:.2f}×", "—"),
        (f"{LOADS} onglets Chromium ouvrant `?dep=62` en même temps (887 polygones dessinés)",
         f"médiane {bmed:.2f} s, max {bworst:.2f} s ; {browser_failed} erreur(s) sur {LOADS}",
         f"un onglet seul : {bref:.2f} s ({failed_alone} erreur) ; médiane simultanée = {bmed / bref:.1f}× "
         f"(le navigateur partage les cœurs avec le serveur) ; load average : {load_browser:.0f}", "aucune erreur"),
    ]


if __name__ == "__main__":
    for row in run():
        print(" | ".join(row))
