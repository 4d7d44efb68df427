"""Map budgets: ?dep=62 map HTML ≤ 600 KB, built ≤ 300 ms warm, polygons visible in headless Chromium ≤ 2 s;
France map HTML ≤ 300 KB. Baseline in the same run: GeoDataFrame.explore() on the full-resolution polygons
of the same communes (what a GeoPandas user would do); target ≤ 0.5× its size.
"""

from __future__ import annotations

import shutil
import statistics
import time

from bench.common import median_seconds, ms, serving
from geo.data import labels, territory
from geo.maps import departement_map, france_map

LABEL = "Terre de Jeux 2024"


def _html(m) -> str:
    return m.get_root().render()


def _browser_seconds(dep: str, communes: int, runs: int = 3) -> list[float]:
    """Seconds from navigation to every commune polygon drawn, in Debian's Chromium."""
    from playwright.sync_api import sync_playwright

    with serving() as url:
        times = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for i in range(runs + 1):
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                start = time.perf_counter()
                page.goto(f"{url}/departement?dep={dep}&label={LABEL.replace(' ', '+')}")
                frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']").first
                page.wait_for_function(
                    "n => { const f = [...document.querySelectorAll('iframe')].find(x => "
                    "x.title === 'streamlit_folium.st_folium'); return f && f.contentDocument && "
                    "f.contentDocument.querySelectorAll('path.tdj-commune').length >= n; }", arg=communes,
                    timeout=60000)
                if i:  # the first visit warms the server's caches
                    times.append(time.perf_counter() - start)
                assert frame.locator("path.tdj-commune").count() == communes
                page.close()
            browser.close()
        return times


def run() -> list[tuple[str, str, str, str]]:
    rows = []
    label = LABEL if LABEL in labels.labels() else None
    departement_map.build("62", label)  # warm the cached GeoJSON
    t_build = median_seconds(lambda: _html(departement_map.build("62", label)), repeat=10)
    size = len(_html(departement_map.build("62", label)).encode())

    full = territory.communes_of_departement("62", view="full")
    t_explore = median_seconds(lambda: full.explore(tooltip=["nom", "code", "population", "epci_nom"])
                               .get_root().render(), repeat=3)
    explore_size = len(full.explore(tooltip=["nom", "code", "population", "epci_nom"]).get_root().render().encode())
    rows.append(("Carte `?dep=62` : taille du HTML", f"{size / 1000:.0f} Ko",
                 f"`GeoDataFrame.explore()` pleine résolution : {explore_size / 1000:.0f} Ko "
                 f"(rapport {size / explore_size:.2f}×, cible ≤ 0,5×)", "≤ 600 Ko (≤ 350 Ko : issue 9)"))
    rows.append(("Carte `?dep=62` : construction côté serveur (à chaud, HTML compris)", ms(t_build),
                 f"`explore()` : {ms(t_explore)} ({t_explore / t_build:.1f}× plus lent)", "≤ 300 ms"))
    s94 = len(_html(departement_map.build("94", label)).encode())
    rows.append(("Carte `?dep=94` : taille du HTML", f"{s94 / 1000:.0f} Ko", "—", "—"))
    fr = len(_html(france_map.build(label)).encode())
    t_fr = median_seconds(lambda: _html(france_map.build(label)), repeat=5)
    rows.append(("Carte France : taille du HTML", f"{fr / 1000:.0f} Ko", f"construction {ms(t_fr)}", "≤ 300 Ko"))
    for dep, n in (("62", 887), ("94", 47)):
        times = _browser_seconds(dep, n)
        rows.append((f"`?dep={dep}` : {n} polygones visibles dans Chromium sans tête après navigation",
                     f"{statistics.median(times):.2f} s (médiane de {len(times)})",
                     f"min {min(times):.2f} s, max {max(times):.2f} s", "≤ 2 s" if dep == "62" else "—"))
    return rows
