"""The app in headless Chromium (Debian's, through Playwright): every page, counts, clicks, downloads,
withdrawal, offline (no request leaves localhost), no JavaScript error, untrusted names stay text.

Data: the real Pas-de-Calais 2019 list plus SYNTHETIC lists made for this test.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
import scenarios
from browsing import map_frame, open_page, screenshot, settle, until
from playwright.sync_api import expect

from geo.store import reader

pytestmark = [pytest.mark.browser, pytest.mark.slow]



@pytest.fixture(scope="module")
def served(apps):
    return apps.get("pages", scenarios.pages)


@pytest.mark.parametrize("dep,communes", [("62", 887), ("94", 47)])
def test_departement_draws_every_commune(page, base_url, dep, communes):
    open_page(page, f"{base_url}/departement?dep={dep}&label=Terre+de+Jeux+2024", f"dep-{dep}")
    frame = map_frame(page)
    frame.locator("path.tdj-commune").first.wait_for(timeout=30000)
    expect(frame.locator("path.tdj-commune")).to_have_count(communes)
    expect(frame.locator("path.tdj-departement")).to_have_count(1)
    frame.locator(".tdj-legend").wait_for()
    sites = {"62": 4, "94": 2}[dep]
    frame.locator(".tdj-site, .marker-cluster").first.wait_for(timeout=10000)
    singles = frame.locator("path.tdj-site").count()
    clustered = sum(int(t) for t in frame.locator(".marker-cluster span").all_inner_texts())
    assert singles + clustered == sites
    screenshot(page, f"departement-{dep}")


def test_cpj_popup_shows_untrusted_name_as_text(page, base_url):
    open_page(page, f"{base_url}/departement?dep=62&label=Terre+de+Jeux+2024", "xss")
    frame = map_frame(page)
    frame.locator("path.tdj-site").first.wait_for(timeout=30000)
    found = False
    for i in range(frame.locator("path.tdj-site").count()):
        frame.locator("path.tdj-site").nth(i).dispatch_event("click")
        popup = frame.locator(".leaflet-popup-content").last
        popup.wait_for(timeout=5000)
        if scenarios.XSS in popup.inner_text():
            found = True
            expect(popup.locator("img")).to_have_count(0)
            break
    assert found
    screenshot(page, "popup-nom-piege")
    assert not [u for u in page.watch.broken if u.endswith("/x")]


def test_france_map_click_opens_departement(page, base_url):
    open_page(page, f"{base_url}/?label=Terre+de+Jeux+2024", "france")
    frame = map_frame(page)
    frame.locator("path.tdj-dep").first.wait_for(timeout=30000)
    expect(frame.locator("path.tdj-dep")).to_have_count(101)
    screenshot(page, "france")
    frame.locator("path.tdj-dep-62").dispatch_event("click")
    page.wait_for_function("() => location.pathname.endsWith('/departement') && location.search.includes('dep=62')",
                           timeout=30000)
    frame = map_frame(page)
    frame.locator("path.tdj-commune").first.wait_for(timeout=30000)
    expect(frame.locator("path.tdj-commune")).to_have_count(887)


@pytest.mark.parametrize("path,heading", [
    ("centres", "Centres de préparation aux Jeux"), ("listes", "Listes"), ("importer", "Importer une liste"),
    ("presentation?dep=94", "Val-de-Marne"),
])
def test_every_page_opens(page, base_url, path, heading):
    """Each page draws its own heading (and its map, where it has one), with no error box."""
    open_page(page, f"{base_url}/{path}", path)
    expect(page.locator("[data-testid='stMain']").get_by_role("heading", name=heading).first).to_be_visible()
    if path.startswith(("centres", "presentation")):
        map_frame(page).locator("path").first.wait_for(timeout=30000)
    screenshot(page, path.split("?")[0])


def test_cpj_page_filters(page, base_url):
    open_page(page, f"{base_url}/centres?type=paralympiques", "centres")
    frame = map_frame(page)
    frame.locator(".tdj-site, .marker-cluster").first.wait_for(timeout=30000)
    expect(page.get_by_text("Sites", exact=True)).to_have_count(1)
    metric = page.locator("[data-testid='stMetricValue']").first.inner_text()
    assert metric.strip() == "3"  # the three sites with a paralympic discipline


def test_csv_download(app_store, page, base_url):
    open_page(page, f"{base_url}/listes?label=Terre+de+Jeux+2024&deps=62", "listes")
    with page.expect_download() as info:
        page.get_by_role("button", name="Exporter (CSV)").first.click()
    raw = Path(info.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Niveau", "Code officiel", "Nom officiel"]
    assert len(rows) - 1 == 11 + 1  # the Pas-de-Calais list, and the département itself (first wave)
    assert {r[1] for r in rows[1:]} >= {"62193"} - {"62193"} | {"246200729", "62019"}


def test_csv_download_neutralises_formulas(page, base_url):
    open_page(page, f"{base_url}/listes?label=Liste+pi%C3%A9g%C3%A9e+%28synth%C3%A9tique%29", "listes-piege")
    with page.expect_download() as info:
        page.get_by_role("button", name="Exporter (CSV)").first.click()
    text = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    assert "'=1+1" in text and scenarios.XSS in text


def save(page, message: str):
    """Click « Enregistrer l'import » once the page has settled, again if the click fell in a rerun."""
    for _ in range(2):
        settle(page)
        button = page.get_by_role("button", name="Enregistrer l'import")
        if button.count():  # gone once the import is saved: never a second import
            button.click()
        try:
            page.get_by_text(message).wait_for(timeout=15000)
            return
        except Exception:  # noqa: BLE001 (the button may have been redrawn under the click)
            if page.get_by_text(message).count():
                return
    page.get_by_text(message).wait_for(timeout=15000)


def dismiss(page, row: int):
    """Tick the « Écarter » box of a row of the review table."""
    page.locator("[data-testid='stForm'] [data-testid='stCheckbox'] label").nth(row).click()


def test_import_review_table_and_remembered_correction(app_store, page, base_url, tmp_path):
    """Upload a list, settle its rows to review in one table (a code for the ambiguous one, dismiss the
    unknown one), save; the next import of the same names uses the correction without asking."""
    src = tmp_path / "liste-cp1252.csv"
    src.write_bytes("nom;departement\nBéthune;62\nArques;\nNullepart-sur-Rien;62\n".encode("cp1252"))
    open_page(page, f"{base_url}/importer", "importer")
    page.locator("input[type='file']").set_input_files(str(src))
    page.get_by_role("combobox", name="Label", exact=True).click()  # no default label (issue 13)
    page.get_by_role("option", name="Terre de Jeux 2024", exact=True).click()
    page.get_by_role("button", name="Résoudre la liste").click()
    page.get_by_text("Rapport de résolution").wait_for(timeout=30000)
    page.get_by_text("À revoir : 2 ligne(s)").wait_for(timeout=30000)
    screenshot(page, "importer-revue")
    # Arques: homonyms in three départements -> the Pas-de-Calais one typed; the unknown name dismissed
    page.get_by_label("Code", exact=True).nth(0).fill("62040")
    dismiss(page, 1)
    page.get_by_role("button", name="Valider ces choix").click()
    page.get_by_text("2 ligne(s) réglée(s).").wait_for(timeout=30000)
    expect(page.get_by_text(re.compile(r"^À revoir : \d"))).to_have_count(0)
    page.get_by_role("button", name="Enregistrer l'import").click()
    page.get_by_text("enregistré").first.wait_for(timeout=30000)
    screenshot(page, "importer-apres-import")

    def stored(imports: int):
        """The rows of this file's imports, once `imports` of them are saved (the app may be writing)."""
        return until(lambda: reader(app_store).execute(
            "SELECT e.import_id, e.code, e.statut, e.note FROM entites e JOIN imports i ON i.id = e.import_id "
            "WHERE i.fichier = 'liste-cp1252.csv' ORDER BY e.import_id, e.ligne").fetchall(),
            lambda rows: len({r[0] for r in rows}) == imports, f"{imports} import(s) de liste-cp1252.csv")

    assert [r[1:3] for r in stored(1)] == [("62119", "exact"), ("62040", "exact"), (None, "ecarte")]

    # the same names again: Arques is resolved by the remembered correction, the unknown name stays dismissed
    # (« Écarter » is remembered too), and the same file is proposed as a new version of the first import
    page.get_by_role("button", name="Résoudre la liste").click()
    page.get_by_text("Rapport de résolution").wait_for(timeout=30000)
    expect(page.get_by_text(re.compile(r"^À revoir : \d"))).to_have_count(0)
    first = stored(1)[0][0]
    expect(page.get_by_role("radio", name=re.compile(f"nouvelle version de l'import n° {first} "))).to_be_checked()
    save(page, f"Import n° {first + 1} enregistré, nouvelle version de l'import n° {first}")
    rows = stored(2)
    second = [r for r in rows if r[0] == rows[-1][0]]
    assert second[1][1:3] == ("62040", "normalise") and "nom retenu" in second[1][3]
    assert second[2][2] == "ecarte" and "écartée à la main" in second[2][3]
    assert reader(app_store).execute("SELECT retire_le IS NOT NULL FROM imports WHERE id = ?", [first]).fetchone() \
        == (True,)

    open_page(page, f"{base_url}/noms-retenus", "noms-retenus")
    page.get_by_role("button", name="Exporter les noms retenus (CSV)").wait_for(timeout=30000)
    screenshot(page, "noms-retenus")
