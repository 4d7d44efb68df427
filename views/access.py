"""The session side of who may write: the role of this browser session (checked again on every rerun, so a
replayed request gets no more than the session's role), the sign-in box, and the guard every write calls."""

from __future__ import annotations

import importlib
import logging
import os

import streamlit as st

from geo import access, attempts
from geo.imports.write import default_author
from views.state import escape_md

log = logging.getLogger(__name__)

PASSWORD_OK = "acces.mot_de_passe_verifie"   # the hash the session's password was checked against
EDITOR_NAME = "acces.nom_editeur"            # the name an editor gave with the password (for the journal)
WRITE_PAGES = ("importer", "noms-retenus")   # url paths of the pages that write


RUN_SETTINGS = "acces.reglages_de_cette_execution"  # the settings read at the top of this run (app.py)


def read_settings_for_this_run() -> access.Settings:
    """Read the settings once at the top of a run (app.py) for every later call in the same run: without a
    secrets file Streamlit parses its search path again at each read, and a page asked five times (issue 24)."""
    value = _read_settings()
    st.session_state[RUN_SETTINGS] = value
    return value


def settings() -> access.Settings:
    """This deployment's settings, as read at the top of this run (else read now)."""
    held = st.session_state.get(RUN_SETTINGS)
    return held if isinstance(held, access.Settings) else _read_settings()


def _read_settings() -> access.Settings:
    """This deployment's settings (secrets file, then environment); a malformed one locks writing."""
    try:
        secrets_ = st.secrets.to_dict()
    except Exception:  # no secrets file at all: Streamlit raises its own FileNotFoundError subclass
        secrets_ = {}
    try:
        return access.settings(secrets_, os.environ)
    except ValueError as exc:
        st.error(f"Configuration d'accès invalide : {exc} Écriture désactivée.")
        return access.Settings(lecture_seule=True)


def _user() -> dict:
    """What the identity provider said about the signed-in person (st.user), or nothing."""
    try:
        return st.user.to_dict() if st.user.is_logged_in else {}
    except Exception:  # [auth] incomplete: nobody is signed in
        return {}


def _email() -> str | None:
    """The signed-in address, as shown; only a verified one (access.verified_email) counts for the role."""
    return _user().get("email") or None


def sign_in_installed() -> bool:
    """Whether st.login can work on this server: its /auth/login imports Authlib's Starlette client, which needs
    httpx (streamlit[auth]); without it the browser lands on an « Internal Server Error » page."""
    try:
        importlib.import_module("authlib.integrations.starlette_client")
    except ImportError:
        return False
    return True


def role(config: access.Settings | None = None) -> str:
    config = config or settings()
    password_ok = bool(config.mot_de_passe) and st.session_state.get(PASSWORD_OK) == config.mot_de_passe
    return access.role(config, local_client=access.is_loopback(st.context.ip_address),
                       email=access.verified_email(_user()) if config.oidc else None,
                       password_ok=password_ok)


def is_editor() -> bool:
    return role() == access.EDITOR


def author(config: access.Settings | None = None) -> str:
    """Who the journal names for this session's writes."""
    config = config or settings()
    if config.oidc and access.verified_email(_user()) and role(config) == access.EDITOR:
        return access.verified_email(_user())
    if config.mot_de_passe and st.session_state.get(PASSWORD_OK) == config.mot_de_passe:
        return f"{st.session_state.get(EDITOR_NAME) or 'éditeur'} (mot de passe éditeur)"
    return default_author()


def refused_text(config: access.Settings | None = None) -> str:
    """Why this session cannot write, and what to do about it, in French."""
    config = config or settings()
    if config.mode == "lecture":
        return "Cette copie publiée est en lecture seule : les imports se font sur le poste qui la publie."
    if config.mode == "local":
        return ("Seul l'utilisateur du poste où tourne l'application peut importer tant qu'aucun mot de passe "
                "éditeur ni aucune connexion n'est configuré (voir le README, « Qui peut écrire »).")
    if config.mode == "oidc" and _user():  # signed in, yet not an editor: signing in again is no answer
        if not _email():
            return ("Le fournisseur d'identité n'a pas donné votre adresse e-mail : c'est elle qui désigne les "
                    "éditeurs (voir le README, « Qui peut écrire »).")
        if not access.verified_email(_user()):
            return (f"Votre adresse {escape_md(_email())} n'est pas vérifiée par le fournisseur d'identité : elle "
                    "ne donne pas accès à l'écriture. Faites-la vérifier, ou connectez-vous avec un autre compte.")
        return (f"Votre compte {escape_md(_email())} n'est pas parmi les éditeurs : importer, corriger et retirer "
                "leur sont réservés. Demandez à l'administrateur de l'application de vous ajouter (voir le "
                "README, « Qui peut écrire »), ou connectez-vous avec un autre compte.")
    return "Importer, corriger et retirer sont réservés aux éditeurs : connectez-vous dans la barre latérale."


def require_editor() -> str:
    """Stop the page here unless this session is an editor; return the author to record with the write."""
    config = settings()
    if role(config) != access.EDITOR:
        st.error(refused_text(config))
        st.stop()
    return author(config)


def sidebar_box(where) -> None:
    """Sign in or out (OIDC or the editors' password); says who writes. Nothing in a read-only copy."""
    config = settings()
    if config.mode == "lecture":
        where.caption("Copie publiée, en lecture seule.")
        return
    current = role(config)
    if config.oidc:
        if _user():  # signed in, with an address or not (the provider's id_token may carry none)
            said = "éditeur" if current == access.EDITOR else "lecteur"
            if not _email():
                where.caption(f"Connecté sans adresse e-mail ({said})")
            else:
                said += "" if access.verified_email(_user()) else ", adresse non vérifiée"
                where.caption(f"Connecté : {escape_md(_email())} ({said})")
            if where.button("Se déconnecter", key="acces.oidc_sortie"):
                st.logout()
        elif not sign_in_installed():
            where.caption("Connexion indisponible : il manque sur le serveur les paquets de st.login (Authlib, "
                          "httpx) ; réinstallez l'application (voir le README, « Qui peut écrire »).")
        elif where.button("Se connecter", key="acces.oidc_entree"):
            st.login()
    if config.mot_de_passe:
        if st.session_state.get(PASSWORD_OK) == config.mot_de_passe:
            where.caption(f"Éditeur : {escape_md(st.session_state.get(EDITOR_NAME) or '')}")
            if where.button("Quitter le mode éditeur", key="acces.sortie"):
                st.session_state.pop(PASSWORD_OK, None)
                st.rerun()
        elif current != access.EDITOR:
            with where.expander("Connexion éditeur"), st.form("acces.connexion", border=False):
                name = st.text_input("Votre nom (noté avec chaque écriture)", key="acces.nom")
                password = st.text_input("Mot de passe éditeur", type="password", key="acces.mdp")
                if st.form_submit_button("Se connecter", key="acces.entrer"):
                    _sign_in(config, name, password)
    if config.mode == "local" and current != access.EDITOR:
        where.caption("Consultation seule depuis ce poste.")


def _sign_in(config: access.Settings, name: str, password: str) -> None:
    if not name.strip():
        st.error("Indiquez votre nom : il est noté avec chaque import ou retrait.")
        return
    # the server's limiter (per address and overall) checks the password unless guessing has put it on hold; it
    # logs every refusal with the address
    address = st.context.ip_address  # the TCP peer (None: this machine); a stand-in, not a str, under AppTest
    outcome = attempts.LIMITER.check(address if isinstance(address, str) else None,
                                     lambda: access.verify_password(password, config.mot_de_passe), who=name)
    if not outcome.checked:
        st.error(f"Trop d'essais : réessayez dans {outcome.wait} s.")
        return
    if not outcome.ok:
        held = f" Trop d'essais : réessayez dans {outcome.wait} s." if outcome.wait else ""
        st.error(f"Mot de passe éditeur incorrect.{held}")
        return
    st.session_state[PASSWORD_OK] = config.mot_de_passe
    st.session_state[EDITOR_NAME] = name.strip()[:80]
    log.info("connexion éditeur : « %s »", name.strip()[:80])
    st.rerun()
