"""Maps at every scale (issue 9): payload, polygons visible in headless Chromium, ratio to the static-file floor.

Each view is timed from navigation to every commune polygon drawn (median of 3 after a warm-up visit), in the
app and, in the same run, as the same map written to a standalone HTML file opened from disk (no Streamlit:
the floor). Baseline: `GeoDataFrame.explore()` on the same communes at full resolution (size and time to
render its HTML; for all of France, in a subprocess given 180 s). Budgets (issue 9): `?dep=62` payload
≤ 350 KB and ≤ 2× its floor; Hauts-de-France and Grand Est ≤ 1.2 MB and ≤ 3 s; France by commune ≤ 4 MB, ≤ 6 s.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import median_seconds, ms, serving
from geo import maps
from geo.data import territory
from geo.maps import departement_map, region_map
from geo.paths import ROOT

LABEL = "Terre de Jeux 2024"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# path, how many polygons, how to count them (SVG paths or the layer's own count), map builder
VIEWS = [
    ("?dep=62", "/departement?dep=62", 887, "svg", lambda: departement_map.build("62", LABEL)),
    ("Hauts-de-France", "/region?reg=32", 3782, "layer", lambda: region_map.build("32", LABEL)),
    ("Grand Est", "/region?reg=44", 5115, "layer", lambda: region_map.build("44", LABEL)),
    ("France par commune", "/?echelle=communes", None, "layer",
     lambda: region_map.build(None, LABEL, show_sites=False)),
]
WAIT = {
    "svg": "n => { const f = [...document.querySelectorAll('iframe')].find(x => x.title === "
           "'streamlit_folium.st_folium'); return f && f.contentDocument && "
           "f.contentDocument.querySelectorAll('path.tdj-commune').length >= n; }",
    "layer": "n => { const f = [...document.querySelectorAll('iframe')].find(x => x.title === "
             "'streamlit_folium.st_folium'); const c = f && f.contentDocument && "
             "f.contentDocument.querySelector('.leaflet-container[data-communes]'); "
             "return c && +c.getAttribute('data-communes') >= n; }",
}
WAIT_STATIC = {
    "svg": "n => document.querySelectorAll('path.tdj-commune').length >= n",
    "layer": "n => { const c = document.querySelector('.leaflet-container[data-communes]'); "
             "return c && +c.getAttribute('data-communes') >= n; }",
}


def _payload(m) -> int:
    """Bytes of the map's script as streamlit-folium sends it (the HTML of the map, Leaflet not included)."""
    return len(m.get_root().render().encode())


MOUNTED = ("() => { const f = [...document.querySelectorAll('iframe')].find(x => x.title === "
           "'streamlit_folium.st_folium'); return f && f.contentDocument && "
           "!!f.contentDocument.querySelector('.leaflet-container'); }")


TITLED = "() => !!document.querySelector('[data-testid=stMain] h1')"


def _times(browser, url: str, wait: str, n: int, runs: int = 3, stages: list | None = None,
           titles: list | None = None) -> list[float]:
    """Seconds to every polygon drawn; `stages` receives, per run, when the map's Leaflet container existed,
    `titles` when the page's title was shown."""
    out = []
    for i in range(runs + 1):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        start = time.perf_counter()
        page.goto(url)
        if titles is not None:
            page.wait_for_function(TITLED, timeout=120000, polling=20)
            titled = time.perf_counter() - start
        if stages is not None:
            page.wait_for_function(MOUNTED, timeout=120000, polling=50)
            mounted = time.perf_counter() - start
        page.wait_for_function(wait, arg=n, timeout=120000, polling=50)
        if i:  # the first visit warms the server's caches
            out.append(time.perf_counter() - start)
            if stages is not None:
                stages.append(mounted)
            if titles is not None:
                titles.append(titled)
        page.close()
    return out


def _streamlit_floor(browser, tmp: Path) -> float:
    """Median seconds for a Streamlit app of one title to show it: what any Streamlit page costs before its
    first element, whatever it draws."""
    (tmp / "bonjour.py").write_text('import streamlit as st\nst.title("Bonjour")\n', encoding="utf-8")
    with serving("bonjour.py", cwd=tmp) as url:
        return statistics.median(_times(browser, f"{url}/", TITLED, 0))


def _explore(reg: str | None, limit: float = 180.0) -> str:
    """`explore()` on the full-resolution communes, in a subprocess (it may not finish for all of France)."""
    code = ("import time,sys; from geo import territory; t=time.perf_counter(); "
            f"g=territory.communes_of_region({reg!r}, 'full'); g=g[g.geometry.notna()]; "
            "h=g.explore(tooltip=['nom','code','population','epci_nom']).get_root().render(); "
            "print(len(h.encode()), time.perf_counter()-t)")
    try:
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                             capture_output=True, text=True, timeout=limit, check=True).stdout.split()
        return f"`explore()` : {int(out[0]) / 1e6:.1f} Mo, {float(out[1]):.1f} s pour produire le HTML"
    except subprocess.TimeoutExpired:
        return f"`explore()` : n'a pas fini en {limit:.0f} s"
    except subprocess.CalledProcessError as exc:
        return f"`explore()` : échec ({exc.stderr.strip().splitlines()[-1][:80]})"


def run() -> list[tuple[str, str, str, str]]:
    from playwright.sync_api import sync_playwright

    rows = []
    total = len(territory.communes_of_region(None, "france").dropna(subset=["geometry"]))
    tmp = Path(tempfile.mkdtemp())
    try:
        with serving() as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=ARGS)
            bare = _streamlit_floor(browser, tmp)
            rows.append(("Streamlit seul : une application d'un seul titre, titre affiché après navigation",
                         f"{bare:.2f} s", "— (le plancher de toute page Streamlit, avant son premier élément)",
                         "—"))
            for name, path, n, kind, make in VIEWS:
                n = n or total
                m = make()
                size = _payload(m)
                t_build = median_seconds(lambda make=make: make().get_root().render(), repeat=3)
                static = tmp / f"{name.replace(' ', '_').replace('?', '').replace('=', '')}.html"
                static.write_text(maps.standalone_html(make(), title=name), encoding="utf-8")
                sep = "&" if "?" in path else "?"
                mounted: list[float] = []
                titled: list[float] = []
                app = _times(browser, f"{url}{path}{sep}label={LABEL.replace(' ', '+')}",
                             WAIT[kind], n, stages=mounted, titles=titled)
                floor = _times(browser, static.as_uri(), WAIT_STATIC[kind], n)
                a, f = statistics.median(app), statistics.median(floor)
                rows.append((f"{name} : {n} polygones, charge de la carte", f"{size / 1000:.0f} Ko",
                             f"construction à chaud {ms(t_build)}", _budget(name, "size")))
                rows.append((f"{name} : polygones visibles après navigation (application)",
                             f"{a:.2f} s (médiane de {len(app)} ; {a / f:.1f}× le plancher ; titre de la page à "
                             f"{statistics.median(titled):.2f} s, carte Leaflet créée à "
                             f"{statistics.median(mounted):.2f} s ; {a / bare:.1f}× Streamlit seul)",
                             f"fichier statique ouvert depuis le disque : {f:.2f} s (médiane de {len(floor)})",
                             _budget(name, "time")))
            browser.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for name, reg in (("Hauts-de-France", "32"), ("France par commune", None)):
        rows.append((f"{name} : référence GeoPandas sur les mêmes communes", "—", _explore(reg), "—"))
    return rows


def _budget(name: str, what: str) -> str:
    return {("?dep=62", "size"): "≤ 350 Ko", ("?dep=62", "time"): "≤ 2× le plancher",
            ("Hauts-de-France", "size"): "≤ 1,2 Mo", ("Hauts-de-France", "time"): "≤ 3 s",
            ("Grand Est", "size"): "≤ 1,2 Mo", ("Grand Est", "time"): "≤ 3 s",
            ("France par commune", "size"): "≤ 4 Mo", ("France par commune", "time"): "≤ 6 s"}[(name, what)]
