"""A tiny OpenID Connect provider for the browser tests only (synthetic: no real account, no real key): the
authorization-code flow Streamlit's st.login runs through Authlib, served on 127.0.0.1 from a thread.

/authorize shows no login form: it sends the browser straight back to the redirect_uri with a code and the
state, signed in as `provider.next_email` (the test sets it, and `next_verified`, before clicking « Se
connecter »). /token checks the client's credentials, the code's redirect_uri and its PKCE verifier, and
returns an id_token signed RS256 with a key made at start (iss, aud = client_id, sub, email, email_verified,
nonce echoed from /authorize, iat, exp, at_hash)."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

CLIENT_ID = "terres-de-jeux-test"
CLIENT_SECRET = "secret-client-de-test-synthetique"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _sub(email: str | None) -> str:
    """A stable subject per address (the provider's own account id, as it were)."""
    return hashlib.sha256((email or "compte sans adresse").encode()).hexdigest()[:20]


@dataclass
class FakeProvider:
    """The provider's state, read and changed by the test: who signs in next, what it was asked."""

    issuer: str = ""
    next_email: str | None = "lecteur@example.test"      # None: an id_token with no email claim at all
    next_verified: bool = True                             # the email_verified claim of the next sign-in
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "test-1"}))
    codes: dict[str, dict] = field(default_factory=dict)   # code -> what /authorize was given, and the e-mail
    tokens: dict[str, str | None] = field(default_factory=dict)  # access token -> e-mail (for /userinfo)
    requests: list[str] = field(default_factory=list)      # every path asked for, in order
    errors: list[str] = field(default_factory=list)        # every request refused, and why

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def metadata(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/logout",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["iss", "aud", "sub", "email", "email_verified", "name", "nonce", "iat", "exp"],
        }

    def authorize(self, query: dict[str, str]) -> str:
        """Where /authorize sends the browser: back to the client with a fresh code and the state."""
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            raise ValueError(f"demande d'autorisation refusée : {query}")
        if "openid" not in query.get("scope", "").split():
            raise ValueError("scope sans openid")
        code = secrets.token_urlsafe(24)
        self.codes[code] = {**query, "email": self.next_email, "email_verified": self.next_verified}
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"

    def token(self, form: dict[str, str], basic: tuple[str, str] | None) -> dict:
        """The token response for a code (each code is good once)."""
        client_id, client_secret = basic or (form.get("client_id"), form.get("client_secret"))
        if (client_id, client_secret) != (CLIENT_ID, CLIENT_SECRET):
            raise ValueError("client inconnu ou mauvais secret")
        if form.get("grant_type") != "authorization_code":
            raise ValueError(f"grant_type {form.get('grant_type')!r}")
        asked = self.codes.pop(form.get("code", ""), None)
        if asked is None:
            raise ValueError("code inconnu ou déjà servi")
        if form.get("redirect_uri") != asked["redirect_uri"]:
            raise ValueError("redirect_uri différente de celle de /authorize")
        if asked.get("code_challenge"):
            verifier = form.get("code_verifier", "")
            if _b64url(hashlib.sha256(verifier.encode()).digest()) != asked["code_challenge"]:
                raise ValueError("code_verifier ne correspond pas au code_challenge (PKCE)")
        email = asked["email"]
        access_token = secrets.token_urlsafe(24)
        self.tokens[access_token] = email
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "sub": _sub(email), "iat": now, "exp": now + 600,
                  "at_hash": _b64url(hashlib.sha256(access_token.encode()).digest()[:16])}
        if email:
            claims |= {"email": email, "email_verified": asked["email_verified"], "name": email.split("@")[0]}
        if asked.get("nonce"):
            claims["nonce"] = asked["nonce"]
        id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)
        return {"access_token": access_token, "token_type": "Bearer", "expires_in": 600, "id_token": id_token,
                "scope": asked.get("scope", "openid")}

    def userinfo(self, authorization: str) -> dict:
        token = authorization.removeprefix("Bearer ").strip()
        if token not in self.tokens:
            raise ValueError("jeton d'accès inconnu")
        email = self.tokens[token]
        return {"sub": _sub(email), **({"email": email} if email else {})}

    def jwks(self) -> dict:
        return KeySet([self.key]).as_dict(private=False)


def _handler(provider: FakeProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet: the test reads provider.requests and provider.errors instead
            pass

        def _send(self, status: int, body: dict | str = "", headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode() if isinstance(body, dict) else body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json" if isinstance(body, dict) else "text/plain")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _refuse(self, status: int, why: str) -> None:
            provider.errors.append(f"{self.command} {self.path}: {why}")
            self._send(status, {"error": "invalid_request", "error_description": why})

        def do_GET(self):
            url = urlsplit(self.path)
            provider.requests.append(url.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            try:
                if url.path == "/.well-known/openid-configuration":
                    self._send(200, provider.metadata())
                elif url.path == "/jwks":
                    self._send(200, provider.jwks())
                elif url.path == "/authorize":
                    self._send(302, headers={"Location": provider.authorize(query)})
                elif url.path == "/userinfo":
                    self._send(200, provider.userinfo(self.headers.get("Authorization", "")))
                elif url.path == "/logout":  # RP-initiated logout: back to where the client asked
                    self._send(302, headers={"Location": query.get("post_logout_redirect_uri") or "/"})
                else:
                    self._refuse(404, "inconnu")
            except ValueError as exc:
                self._refuse(400, str(exc))

        def do_POST(self):
            url = urlsplit(self.path)
            provider.requests.append(url.path)
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            basic = None
            auth = self.headers.get("Authorization", "")
            if auth.startswith("Basic "):
                user, _, password = base64.b64decode(auth[6:]).decode("latin-1").partition(":")
                basic = (unquote(user), unquote(password))
            if url.path != "/token":
                self._refuse(404, "inconnu")
                return
            try:
                self._send(200, provider.token(form, basic))
            except ValueError as exc:
                self._refuse(400, str(exc))

    return Handler


@contextmanager
def running_provider() -> Iterator[FakeProvider]:
    """The provider served on a free port of 127.0.0.1 until the block ends."""
    provider = FakeProvider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="faux-fournisseur-oidc", daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
