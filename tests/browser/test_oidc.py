"""Who may write, in the browser, with the OIDC sign-in (Streamlit's st.login through Authlib) against a local
fake identity provider (tests/oidc_provider.py, synthetic): a reader has no Importer link and a deep link to it
says why in French; « Se connecter » signs in through the provider, an e-mail listed in TDJ_EDITEURS becomes an
editor whose withdrawal names that e-mail, « Se déconnecter » returns to reader; a signed-in e-mail that is not
listed, or that the provider has not verified, stays a reader and is told why."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from browsing import free_port, open_page, running_app, seeded, shots, store_rows, withdraw_first_import
from oidc_provider import CLIENT_ID, CLIENT_SECRET, running_provider
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
EDITOR = "marie.dupont@example.test"        # synthetic addresses (.test is reserved, RFC 2606)
OTHER_EDITOR = "paul.martin@example.test"
VISITOR = "jean.visiteur@example.test"
REFUSED = "réservés aux éditeurs : connectez-vous dans la barre latérale"


@pytest.fixture(scope="module")
def app_store(store, tmp_path_factory) -> Path:
    return seeded(store, tmp_path_factory.mktemp("oidc") / "territoires.duckdb")


@pytest.fixture(scope="module")
def provider():
    if importlib.util.find_spec("httpx") is None:  # without it the app offers no sign-in (« Connexion indisponible »)
        pytest.fail("httpx absent : st.login en a besoin (streamlit[auth]) ; « make setup » ou « pip install -e . »")
    with running_provider() as p:
        yield p


@pytest.fixture(scope="module")
def oidc_app(app_store, provider, tmp_path_factory):
    """The app on a known port with an [auth] section naming the fake provider; TDJ_EDITEURS lists two editors."""
    port = free_port()
    secrets = tmp_path_factory.mktemp("oidc-secrets") / "secrets.toml"
    secrets.write_text(f'''[auth]
redirect_uri = "http://localhost:{port}/oauth2callback"
cookie_secret = "secret-de-cookie-de-test (synthétique)"
client_id = "{CLIENT_ID}"
client_secret = "{CLIENT_SECRET}"
server_metadata_url = "{provider.metadata_url}"
''', encoding="utf-8")
    env = {"TDJ_EDITEURS": f"{EDITOR.upper()}, {OTHER_EDITOR}"}
    with running_app(app_store, env, secrets=secrets, port=port) as url:
        yield url
    assert not provider.errors, provider.errors


def _connected(email: str, role: str) -> re.Pattern:
    # the sidebar escapes the address so that markdown does not make a mailto link of it: an invisible word
    # joiner (U+2060) sits before its last character
    return re.compile("Connecté : " + "\u2060?".join(map(re.escape, email)) + rf" \({role}\)")


def _settled(page) -> None:
    """Wait until the script run the page is showing has finished (Streamlit marks its root element)."""
    expect(page.locator("[data-testid='stApp']")).to_have_attribute("data-test-script-state", "notRunning",
                                                                     timeout=30000)


def _sign_in(page, provider, email: str | None) -> None:
    provider.next_email = email
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("button", name="Se connecter").click()
    # st.login sends the browser to /auth/login, the provider, /oauth2callback, then the app's home page
    sidebar.get_by_text("Connecté").first.wait_for(timeout=30000)


def _reader_at_importer(page, url: str) -> None:
    open_page(page, f"{url}/importer")
    main = page.locator("[data-testid='stMain']")
    main.get_by_role("heading", name="Réservé aux éditeurs").wait_for(timeout=30000)
    main.get_by_text(REFUSED).wait_for(timeout=30000)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_role("link", name="France").wait_for(timeout=30000)  # the links come after the page
    expect(sidebar.get_by_role("link", name="Importer")).to_have_count(0)
    expect(sidebar.get_by_role("link", name="Noms retenus")).to_have_count(0)
    expect(page.locator("[data-testid='stFileUploader']")).to_have_count(0)


def test_oidc_editor_signs_in_writes_and_out(page, provider, oidc_app, app_store):
    url = oidc_app
    _reader_at_importer(page, url)
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.get_by_role("button", name="Se connecter")).to_have_count(1)
    shots(page, "oidc-lecteur-importer")

    page.set_viewport_size({"width": 1400, "height": 1000})
    _sign_in(page, provider, EDITOR)
    expect(sidebar.get_by_text(_connected(EDITOR, "éditeur"))).to_have_count(1)
    expect(sidebar.get_by_role("link", name="Importer")).to_have_count(1, timeout=30000)
    expect(sidebar.get_by_role("button", name="Se connecter")).to_have_count(0)
    assert [p for p in provider.requests if p in ("/authorize", "/token", "/jwks")] == [
        "/authorize", "/token", "/jwks"]

    sidebar.get_by_role("link", name="Importer").click()
    page.get_by_role("heading", name="Imports enregistrés").wait_for(timeout=30000)
    _settled(page)  # the official-lists section above is drawn last: a click before then can be lost
    withdraw_first_import(page)
    page.get_by_text("ses lignes ne comptent plus dans la couverture").wait_for(timeout=30000)
    assert store_rows(app_store, "SELECT retire_par FROM imports WHERE retire_le IS NOT NULL") == [(EDITOR,)]
    assert store_rows(app_store, "SELECT auteur, action FROM journal WHERE action <> 'import'") == [(EDITOR, "retrait")]
    page.get_by_text("Journal des écritures").click()
    page.locator("[data-testid='stExpander']", has_text="Journal des écritures").locator(
        "[data-testid='stDataFrame']").wait_for(timeout=30000)
    shots(page, "oidc-editeur-importer", at="Imports enregistrés")

    sidebar.get_by_role("button", name="Se déconnecter").click()
    # st.logout: /auth/logout, the provider's end_session_endpoint, back to the app as a reader
    sidebar.get_by_role("button", name="Se connecter").wait_for(timeout=30000)
    assert "/logout" in provider.requests
    expect(sidebar.get_by_text("Connecté :")).to_have_count(0)
    expect(sidebar.get_by_role("link", name="Importer")).to_have_count(0, timeout=30000)
    _reader_at_importer(page, url)


def test_oidc_signed_in_non_editors_stay_readers(page, provider, oidc_app):
    url = oidc_app
    open_page(page, url)
    _sign_in(page, provider, VISITOR)
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.get_by_text(_connected(VISITOR, "lecteur"))).to_have_count(1)
    sidebar.get_by_role("link", name="France").wait_for(timeout=30000)
    expect(sidebar.get_by_role("link", name="Importer")).to_have_count(0)
    expect(sidebar.get_by_role("link", name="Noms retenus")).to_have_count(0)

    open_page(page, f"{url}/importer")  # the identity cookie signs the new session in again
    main = page.locator("[data-testid='stMain']")
    main.get_by_role("heading", name="Réservé aux éditeurs").wait_for(timeout=30000)
    # signed in already: the page says the account is not an editor, not « connectez-vous »
    main.get_by_text("n'est pas parmi les éditeurs").wait_for(timeout=30000)
    expect(main.get_by_text(REFUSED)).to_have_count(0)
    expect(sidebar.get_by_text(_connected(VISITOR, "lecteur"))).to_have_count(1)
    expect(sidebar.get_by_role("link", name="Importer")).to_have_count(0, timeout=30000)
    expect(page.locator("[data-testid='stFileUploader']")).to_have_count(0)
    shots(page, "oidc-connecte-lecteur-importer")

    # an editor's address the provider has not verified (email_verified false) opens nothing either
    sidebar.get_by_role("button", name="Se déconnecter").click()
    sidebar.get_by_role("button", name="Se connecter").wait_for(timeout=30000)
    provider.next_verified = False
    try:
        _sign_in(page, provider, OTHER_EDITOR)
    finally:
        provider.next_verified = True
    expect(sidebar.get_by_text(_connected(OTHER_EDITOR, "lecteur, adresse non vérifiée"))).to_have_count(1)
    sidebar.get_by_role("link", name="France").wait_for(timeout=30000)
    expect(sidebar.get_by_role("link", name="Importer")).to_have_count(0)
    open_page(page, f"{url}/importer")
    main.get_by_text("n'est pas vérifiée par le fournisseur d'identité").wait_for(timeout=30000)
    expect(sidebar.get_by_role("link", name="Importer")).to_have_count(0, timeout=30000)
    shots(page, "oidc-adresse-non-verifiee-importer")

    # a provider whose id_token carries no e-mail (Streamlit reads only the id_token's claims): signed in, a
    # reader, and offered « Se déconnecter », not « Se connecter » again
    sidebar.get_by_role("button", name="Se déconnecter").click()
    sidebar.get_by_role("button", name="Se connecter").wait_for(timeout=30000)
    _sign_in(page, provider, None)
    expect(sidebar.get_by_text("Connecté sans adresse e-mail")).to_have_count(1)
    expect(sidebar.get_by_role("button", name="Se déconnecter")).to_have_count(1)
    expect(sidebar.get_by_role("button", name="Se connecter")).to_have_count(0)
    open_page(page, f"{url}/importer")
    main.get_by_text("n'a pas donné votre adresse e-mail").wait_for(timeout=30000)
    expect(sidebar.get_by_role("link", name="Importer")).to_have_count(0, timeout=30000)
    shots(page, "oidc-sans-adresse-importer")
