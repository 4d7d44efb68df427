"""Who may write (geo/access.py, views/access.py): password hashes, settings, roles; every write journaled with
its author; a reader's session has no route to a write page and a write page stops for it."""

from __future__ import annotations

import pytest

from geo import access, imports
from geo.io.readers import read_bytes
from geo.resolve import memory
from geo.store import journal

LIST = b"nom;code_insee\nArras;62041\nLens;62498\n"
LABEL = "Liste d'essai (synthétique)"


def test_password_hash_verifies_only_the_password():
    stored = access.hash_password("correct cheval pile agrafe")
    assert stored.startswith("scrypt$") and "correct" not in stored
    assert access.verify_password("correct cheval pile agrafe", stored)
    assert not access.verify_password("correct cheval pile agrafe ", stored)
    assert not access.verify_password("", stored)
    assert access.hash_password("x" * 12) != access.hash_password("x" * 12)  # salted
    for broken in ("", "scrypt$", "md5$1$2$3$4$5", "scrypt$16384$8$1$!!$??", "correct cheval pile agrafe"):
        assert not access.verify_password("correct cheval pile agrafe", broken)


def test_settings_from_secrets_then_environment():
    stored = access.hash_password("mot de passe de test")
    assert access.settings({}, {}).mode == "local"
    conf = access.settings({"acces": {"mot_de_passe_editeur": stored}}, {})
    assert conf.mode == "mot_de_passe" and conf.mot_de_passe == stored
    conf = access.settings({"auth": {"client_id": "tdj", "redirect_uri": "http://localhost/oauth2callback"},
                            "acces": {"editeurs": ["Marie.Dupont@pas-de-calais.gouv.fr"]}}, {})
    assert conf.mode == "oidc" and conf.editeurs == ("marie.dupont@pas-de-calais.gouv.fr",)
    # the environment wins over the file: a published copy is made read-only without editing secrets
    conf = access.settings({"acces": {"mot_de_passe_editeur": stored}}, {"TDJ_LECTURE_SEULE": "1"})
    assert conf.mode == "lecture"
    assert access.settings({"acces": {"lecture_seule": True}}, {"TDJ_LECTURE_SEULE": "0"}).mode == "local"
    assert access.settings({}, {"TDJ_EDITEURS": "a@x.fr, B@x.fr", "TDJ_MOT_DE_PASSE_EDITEUR": stored}).editeurs \
        == ("a@x.fr", "b@x.fr")
    with pytest.raises(ValueError, match="empreinte"):  # a password written in clear is refused, not used
        access.settings({"acces": {"mot_de_passe_editeur": "motdepasseenclair"}}, {})


def test_roles():
    local = access.Settings()
    assert access.role(local, local_client=True) == access.EDITOR  # today's single local user
    assert access.role(local, local_client=False) == access.READER
    pwd = access.Settings(mot_de_passe=access.hash_password("mot de passe de test"))
    assert access.role(pwd, local_client=True) == access.READER     # a password set: the local user too must give it
    assert access.role(pwd, local_client=True, password_ok=True) == access.EDITOR
    oidc = access.Settings(oidc=True, editeurs=("marie.dupont@pas-de-calais.gouv.fr",))
    assert access.role(oidc, local_client=True) == access.READER
    assert access.role(oidc, local_client=False, email="Marie.Dupont@pas-de-calais.gouv.fr") == access.EDITOR
    assert access.role(oidc, local_client=False, email="jean.martin@pas-de-calais.gouv.fr") == access.READER
    assert access.role(access.Settings(oidc=True), local_client=False, email="x@y.fr") == access.EDITOR
    ro = access.Settings(lecture_seule=True, mot_de_passe=pwd.mot_de_passe)
    assert access.role(ro, local_client=True, password_ok=True) == access.READER


def test_only_a_verified_address_counts():
    """An address the provider says it has not verified never makes an editor (anyone may type it at a provider
    open to self-registration); a provider that does not say is trusted, as Streamlit's own st.user does."""
    assert access.verified_email({"email": "marie.dupont@pas-de-calais.gouv.fr", "email_verified": True}) \
        == "marie.dupont@pas-de-calais.gouv.fr"
    assert access.verified_email({"email": "marie.dupont@pas-de-calais.gouv.fr"}) == \
        "marie.dupont@pas-de-calais.gouv.fr"
    for unverified in (False, "false", "False"):  # some providers send the claim as a string
        assert access.verified_email({"email": "marie.dupont@pas-de-calais.gouv.fr",
                                      "email_verified": unverified}) is None
    assert access.verified_email({"is_logged_in": True}) is None
    assert access.verified_email({}) is None


@pytest.mark.parametrize("ip,local", [(None, True), ("127.0.0.1", True), ("::1", True), ("::ffff:127.0.0.1", True),
                                      ("10.1.2.3", False), ("::ffff:10.1.2.3", False), ("2001:db8::1", False),
                                      ("pas une adresse", False)])
def test_loopback(ip, local):
    assert access.is_loopback(ip) is local


@pytest.mark.slow
def test_every_write_records_its_author(store_copy):
    prepared = imports.prepare(read_bytes(LIST, "essai.csv"), LABEL, raw=LIST, store=store_copy)
    import_id = imports.commit(prepared, store_copy, auteur="Marie Dupont (mot de passe éditeur)")
    imports.withdraw(import_id, store_copy, auteur="jean.martin@pas-de-calais.gouv.fr")
    listed = imports.list_imports(store_copy)
    row = listed.set_index("id").loc[import_id]
    assert row["auteur"] == "Marie Dupont (mot de passe éditeur)"
    assert row["retire_par"] == "jean.martin@pas-de-calais.gouv.fr" and row["importe_le"] is not None
    imports.restore(import_id, store_copy, auteur="Marie Dupont (mot de passe éditeur)")
    assert imports.list_imports(store_copy).set_index("id").loc[import_id, "retire_par"] is None
    memory.import_csv(b"nom;departement;niveau;code\nArras ville;62;commune;62041\n", "Paul Roux",
                      store_copy)
    forgotten = memory.forget(list(memory.listing(store_copy)["cle"]), store_copy, auteur="Paul Roux")
    assert forgotten == 1
    log = journal.listing(store_copy)
    assert list(log["action"]) == ["noms_oublies", "noms_ajoutes", "restauration", "retrait", "import"]
    assert list(log["auteur"]) == ["Paul Roux", "Paul Roux", "Marie Dupont (mot de passe éditeur)",
                                   "jean.martin@pas-de-calais.gouv.fr", "Marie Dupont (mot de passe éditeur)"]
    assert log["import_id"].iloc[-1] == import_id and "essai.csv" in log["detail"].iloc[-1]
    assert log["detail"].iloc[0] == "Arras ville"


def test_command_line_writes_name_the_account(store_copy):
    prepared = imports.prepare(read_bytes(LIST, "essai.csv"), LABEL, raw=LIST, store=store_copy)
    import_id = imports.commit(prepared, store_copy)
    assert imports.list_imports(store_copy).set_index("id").loc[import_id, "auteur"] == imports.default_author()


def test_a_failed_write_journals_nothing(store_copy):
    from geo.errors import GeoError

    with pytest.raises(GeoError):
        imports.withdraw(999, store_copy, auteur="Paul Roux")
    assert journal.listing(store_copy).empty


@pytest.mark.slow
def test_a_reader_session_has_no_write_page(store_copy, monkeypatch):
    """With an editor password set, a session that has not given it gets no Importer nor Noms retenus page, and
    the write pages run on their own stop before drawing anything that writes."""
    from streamlit.testing.v1 import AppTest

    from geo.paths import ROOT

    monkeypatch.setenv("TDJ_MOT_DE_PASSE_EDITEUR", access.hash_password("mot de passe de test"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    links = [link.proto.page for link in at.sidebar.get("page_link")]
    assert links and not any("importer" in p or "noms_retenus" in p for p in links), links
    assert any(e.label == "Mot de passe éditeur" for e in at.sidebar.text_input)
    for page in ("importer.py", "noms_retenus.py"):
        at = AppTest.from_file(str(ROOT / "views" / page), default_timeout=60).run()
        assert not at.exception
        assert [e.value for e in at.error] == [
            "Importer, corriger et retirer sont réservés aux éditeurs : connectez-vous dans la barre latérale."]
        assert not at.get("file_uploader") and not at.button


@pytest.mark.slow
def test_the_editor_password_opens_the_write_pages(store_copy, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from geo.paths import ROOT

    monkeypatch.setenv("TDJ_MOT_DE_PASSE_EDITEUR", access.hash_password("mot de passe de test"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.sidebar.text_input(key="acces.nom").input("Marie Dupont")
    at.sidebar.text_input(key="acces.mdp").input("mauvais mot de passe")
    at.sidebar.button(key="acces.entrer").click().run()
    assert [e.value for e in at.sidebar.error] == ["Mot de passe éditeur incorrect."]
    assert not any("importer" in link.proto.page for link in at.sidebar.get("page_link"))
    at.sidebar.text_input(key="acces.mdp").input("mot de passe de test")
    at.sidebar.button(key="acces.entrer").click().run()
    assert not at.exception
    assert any("importer" in link.proto.page for link in at.sidebar.get("page_link"))
    assert any("Marie Dupont" in c.value for c in at.sidebar.caption)


def test_a_published_copy_has_no_write_page_nor_sign_in(store_copy, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from geo.paths import ROOT

    monkeypatch.setenv("TDJ_LECTURE_SEULE", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert not any("importer" in link.proto.page for link in at.sidebar.get("page_link"))
    assert not at.sidebar.text_input and not at.sidebar.button
    assert any("lecture seule" in c.value for c in at.sidebar.caption)
    # nothing loaded: the page does not send a reader of a published copy to an Importer page it cannot open
    assert any("Cette copie publiée montre les listes chargées" in c.value for c in at.main.caption)
    assert not any("Importer" in c.value for c in at.main.caption)


def test_with_an_identity_provider_readers_get_a_sign_in_button(store_copy):
    """With Streamlit's [auth] section, nobody is an editor before signing in — not even the local user."""
    from streamlit.testing.v1 import AppTest

    from geo.paths import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "essai",
                          "client_id": "tdj-essai", "client_secret": "essai",
                          "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
    at.secrets["acces"] = {"editeurs": ["marie.dupont@pas-de-calais.gouv.fr"]}
    at.run()
    assert not at.exception
    assert [b.label for b in at.sidebar.button] == ["Se connecter"]
    assert not any("importer" in link.proto.page for link in at.sidebar.get("page_link"))


def test_without_the_sign_in_packages_the_sidebar_says_so_in_french(store_copy, monkeypatch):
    """Without httpx (Authlib's Starlette client), « Se connecter » would end on the server's English 500 page."""
    import sys

    from streamlit.testing.v1 import AppTest

    from geo.paths import ROOT

    monkeypatch.setitem(sys.modules, "authlib.integrations.starlette_client", None)  # importing it fails
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "essai",
                          "client_id": "tdj-essai", "client_secret": "essai",
                          "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
    at.run()
    assert not at.exception
    assert not at.sidebar.button
    assert any("Connexion indisponible" in c.value for c in at.sidebar.caption)
