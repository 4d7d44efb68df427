"""Who may write, in the browser: with an editor password set, a reader has no Importer link and a deep link to
it says why in French; the password opens it, and a withdrawal made there names its author; a published copy
has no write page and no sign-in at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from browsing import open_page, running_app, seeded, settle, shots, store_rows, withdraw_first_import
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from geo import access

PASSWORD = "mot de passe de test (synthétique)"
pytestmark = pytest.mark.browser


@pytest.fixture
def app_store(store, tmp_path) -> Path:
    """The seeded store, for servers of this module's own settings (an editors' password, a published copy)."""
    return seeded(store, tmp_path / "territoires.duckdb")


def _sign_in(page, sidebar, name: str) -> None:
    """Sign in with the editors' password, as a person does: once the page has finished drawing. The failure
    seen once in a full run (no editor's links, no message after the click) was a click sent while the page
    was still in its first run: the sidebar is drawn again after the page (its links carry the page's state),
    and the form, redrawn under the click, lost it. Waiting for the page to settle before each step removes
    that race; a French error of the form fails at once."""
    settle(page)
    sidebar.get_by_text("Connexion éditeur").click()
    sidebar.get_by_label("Votre nom (noté avec chaque écriture)").fill(name)
    sidebar.get_by_label("Mot de passe éditeur").fill(PASSWORD)
    settle(page)
    sidebar.get_by_role("button", name="Se connecter").click()
    try:
        sidebar.get_by_role("link", name="Importer").wait_for(timeout=45000)
    except PlaywrightTimeout:
        alerts = sidebar.locator("[data-testid='stAlert']").all_inner_texts()  # the form's own messages
        raise AssertionError(f"la connexion éditeur n'a pas abouti ; messages : {alerts}") from None


def test_reader_then_editor(page, app_store):
    env = {"TDJ_MOT_DE_PASSE_EDITEUR": access.hash_password(PASSWORD)}
    with running_app(app_store, env) as url:
        open_page(page, f"{url}/importer")
        main = page.locator("[data-testid='stMain']")
        main.get_by_role("heading", name="Réservé aux éditeurs").wait_for(timeout=30000)
        main.get_by_text("réservés aux éditeurs : connectez-vous dans la barre latérale").wait_for(timeout=30000)
        sidebar = page.locator("[data-testid='stSidebar']")
        sidebar.get_by_role("link", name="France").wait_for(timeout=30000)  # the links come after the page
        expect(sidebar.get_by_role("link", name="Importer")).to_have_count(0)
        expect(sidebar.get_by_role("link", name="Noms retenus")).to_have_count(0)
        expect(page.locator("[data-testid='stFileUploader']")).to_have_count(0)
        shots(page, "acces-lecteur-importer")

        page.set_viewport_size({"width": 1400, "height": 1000})
        _sign_in(page, sidebar, "Marie Dupont")
        expect(sidebar.get_by_text("Éditeur : Marie Dupont")).to_have_count(1)

        sidebar.get_by_role("link", name="Importer").click()
        page.get_by_role("heading", name="Imports enregistrés").wait_for(timeout=30000)
        withdraw_first_import(page)  # once the page has settled
        page.get_by_text("ses lignes ne comptent plus dans la couverture").wait_for(timeout=30000)
        assert store_rows(app_store, "SELECT retire_par FROM imports WHERE retire_le IS NOT NULL") == [
            ("Marie Dupont (mot de passe éditeur)",)]
        assert store_rows(app_store, "SELECT auteur, action FROM journal WHERE action <> 'import'") == [
            ("Marie Dupont (mot de passe éditeur)", "retrait")]
        page.get_by_text("Journal des écritures").click()
        settle(page)
        shots(page, "acces-editeur-importer", at="Imports enregistrés")

        sidebar.get_by_role("button", name="Quitter le mode éditeur").click()
        sidebar.get_by_text("Connexion éditeur").wait_for(timeout=30000)
        main.get_by_role("heading", name="Réservé aux éditeurs").wait_for(timeout=30000)
        # the sidebar links are redrawn after the page has run: the previous run's links stay until then
        expect(sidebar.get_by_role("link", name="Importer")).to_have_count(0, timeout=30000)
        expect(sidebar.get_by_role("link", name="France")).to_have_count(1, timeout=30000)


def test_published_copy_is_read_only(page, app_store):
    with running_app(app_store, {"TDJ_LECTURE_SEULE": "1"}) as url:
        open_page(page, f"{url}/noms-retenus")
        main = page.locator("[data-testid='stMain']")
        main.get_by_text("Cette copie publiée est en lecture seule").wait_for(timeout=30000)
        sidebar = page.locator("[data-testid='stSidebar']")
        expect(sidebar.get_by_role("link", name="Importer")).to_have_count(0)
        expect(sidebar.get_by_text("Connexion éditeur")).to_have_count(0)
        expect(sidebar.get_by_text("Copie publiée, en lecture seule.")).to_have_count(1)
        open_page(page, f"{url}/departement?dep=62")
        page.frame_locator("iframe[title='streamlit_folium.st_folium']").first.locator(
            "path.tdj-commune").first.wait_for(timeout=60000)
        shots(page, "acces-copie-publiee")
