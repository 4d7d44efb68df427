"""Who may write: the access settings (from Streamlit's secrets or the environment), editor password hashes
(scrypt, never the password itself), how strong a new password must be, and the role a session gets from them
(guesses at the password are limited by geo/attempts.py). Pure logic: the session part is in views/access.py."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

EDITOR, READER = "editeur", "lecteur"
# scrypt cost: ~50 ms and 16 MiB per check on this machine, cheap for a login, dear for a guesser
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
PREFIX = "scrypt"
TRUE = {"1", "true", "oui", "vrai", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """How this deployment decides who writes."""

    lecture_seule: bool = False           # a published copy: nobody writes, no Importer page at all
    mot_de_passe: str | None = None       # the editors' shared password, hashed by hash_password()
    oidc: bool = False                    # Streamlit's [auth] section is configured (st.login)
    editeurs: tuple[str, ...] = ()        # with OIDC: the e-mail addresses of editors (empty: any signed-in user)

    @property
    def mode(self) -> str:
        """« lecture », « oidc », « mot_de_passe » or « local » (nothing configured: the local user writes)."""
        if self.lecture_seule:
            return "lecture"
        if self.oidc:
            return "oidc"
        if self.mot_de_passe:
            return "mot_de_passe"
        return "local"


def _flag(value) -> bool:
    return value is True or str(value).strip().lower() in TRUE


def settings(secrets_: Mapping | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """The settings from the `[acces]` section of .streamlit/secrets.toml, overridden by the environment
    (TDJ_LECTURE_SEULE, TDJ_MOT_DE_PASSE_EDITEUR, TDJ_EDITEURS); OIDC is on when `[auth]` names a client."""
    secrets_ = secrets_ or {}
    env = env or {}
    section = secrets_.get("acces") or {}
    auth = secrets_.get("auth") or {}
    lecture = _flag(env["TDJ_LECTURE_SEULE"]) if "TDJ_LECTURE_SEULE" in env else _flag(
        section.get("lecture_seule", False))
    password = (env.get("TDJ_MOT_DE_PASSE_EDITEUR") or section.get("mot_de_passe_editeur") or "").strip() or None
    if password is not None and not password.startswith(PREFIX + "$"):
        raise ValueError("mot_de_passe_editeur doit être une empreinte « scrypt$… » faite par "
                         "« python -m geo mot-de-passe », jamais le mot de passe lui-même.")
    editors = env.get("TDJ_EDITEURS")
    editors = [e for e in editors.split(",")] if editors is not None else list(section.get("editeurs") or [])
    oidc = bool(auth.get("client_id") or any(isinstance(v, Mapping) and v.get("client_id") for v in auth.values()))
    return Settings(lecture_seule=lecture, mot_de_passe=password, oidc=oidc,
                    editeurs=tuple(sorted({e.strip().lower() for e in editors if e.strip()})))


def hash_password(password: str, salt: bytes | None = None) -> str:
    """« scrypt$n$r$p$salt$hash » (base64): what goes into the secrets file in place of the password."""
    if not password:
        raise ValueError("mot de passe vide")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    b64 = base64.b64encode
    return f"{PREFIX}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


MIN_LENGTH, MIN_DISTINCT = 12, 8
# zxcvbn knows English words, common passwords, keyboard runs (qwerty), sequences, repeats and dates; these are
# what it misses in a French office: the azerty rows, common French passwords, and this application's own words
FRENCH_GUESSES = (
    "azerty", "azertyuiop", "qsdfghjklm", "wxcvbn", "poiuytreza", "mlkjhgfdsq", "nbvcxw", "azertyuiopqsdfghjklm",
    "motdepasse", "motdepasseediteur", "soleil", "bonjour", "bonsoir", "salut", "coucou", "jetaime", "amour",
    "doudou", "chouchou", "loulou", "chocolat", "princesse", "nicolas", "julien", "camille", "marseille",
    "toulouse", "lyon", "lille", "france", "paris", "jeux", "jeuxolympiques", "olympique", "olympiques",
    "paralympique", "paralympiques", "terredejeux", "terresdejeux", "territoires", "labellise", "prefecture",
    "departement", "region", "mairie", "commune", "editeur", "administrateur", "bienvenue", "secret",
)


def password_problem(password: str) -> str | None:
    """Why a new editor password is too weak (in French), or None: 12 characters at least, 8 different ones at
    least, and not guessable in fewer than 10^10 tries by zxcvbn (score 4, its mark against an attacker who
    holds the hash), with or without its separators. Only `python -m geo mot-de-passe` applies it: a hash already
    in a secrets file keeps working."""
    if len(password) < MIN_LENGTH:
        return f"Mot de passe trop court : {MIN_LENGTH} caractères au moins."
    if len(set(password)) < MIN_DISTINCT:
        return (f"Mot de passe refusé : trop peu de caractères différents ({MIN_DISTINCT} au moins ; "
                f"il en a {len(set(password))}).")
    from zxcvbn import zxcvbn  # imported here: only the command that makes a hash needs it

    # as typed and with its separators taken out (« mot de passe » is « motdepasse » to a guesser); zxcvbn
    # refuses more than 72 characters, and 72 are plenty to judge
    variants = {password[:72], re.sub(r"[\s._-]+", "", password)[:72]}
    if min(zxcvbn(v, user_inputs=list(FRENCH_GUESSES))["score"] for v in variants if v) < 4:
        return ("Mot de passe refusé : trop courant ou trop prévisible (mot de passe connu, mot du dictionnaire, "
                "suite du clavier, répétition, date, chiffres ajoutés à la fin…). Une phrase de quatre ou cinq mots "
                "sans lien entre eux est plus sûre et plus facile à retenir.")
    return None


def verify_password(password: str, stored: str | None) -> bool:
    """Whether a typed password matches a stored hash (constant-time comparison; False on any malformed hash)."""
    if not password or not stored:
        return False
    try:
        prefix, n, r, p, salt, digest = stored.split("$")
        if prefix != PREFIX:
            return False
        expected = base64.b64decode(digest, validate=True)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt, validate=True), n=int(n),
                             r=int(r), p=int(p), dklen=len(expected), maxmem=2**26)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def is_loopback(ip: str | None) -> bool:
    """Whether a connection comes from the machine itself: Streamlit gives None for 127.0.0.1 and ::1, but not
    for the IPv4-mapped form (« ::ffff:127.0.0.1 ») its server reports for a browser on localhost."""
    if ip is None:
        return True
    try:
        address = ipaddress.ip_address(ip.strip("[]"))
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def verified_email(user: Mapping) -> str | None:
    """The address an OIDC sign-in (Streamlit's st.user) vouches for: None without one, or when the provider
    says it is not verified (« email_verified » false: at a provider open to self-registration anyone may type
    an editor's address). A provider that does not say (no such claim) is trusted."""
    email = str(user.get("email") or "").strip()
    if not email or str(user.get("email_verified", True)).strip().lower() == "false":
        return None
    return email


def role(config: Settings, *, local_client: bool, email: str | None = None, password_ok: bool = False) -> str:
    """A session's role: readers by default; editors are the signed-in editors (OIDC), those who gave the
    editors' password, or — only when nothing is configured — the user of the machine the app runs on."""
    if config.lecture_seule:
        return READER
    if config.oidc and email and (not config.editeurs or email.strip().lower() in config.editeurs):
        return EDITOR
    if config.mot_de_passe and password_ok:
        return EDITOR
    if config.mode == "local" and local_client:
        return EDITOR
    return READER
