"""A list fetched from an address never reaches an internal address (issue 23): the host is resolved once, every
address it resolves to is checked (loopback, private, link-local, multicast, unspecified, reserved; IPv4 written
in hexadecimal, shortened, as one number or mapped in IPv6 included), the connection goes to the checked address,
every redirect is checked again (http/https only, 5 at most), and the whole download has a deadline. An
administrator may allow hosts or networks with TDJ_ADRESSES_AUTORISEES. Every server here listens on 127.0.0.x:
nothing leaves the machine."""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from geo.errors import InputRefused, SourceUnavailable
from geo.io import download as dl
from geo.paths import ROOT

ALLOW = "TDJ_ADRESSES_AUTORISEES"
BODY = b"nom;departement\nCreteil;94\n"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


@contextmanager
def serving(respond: Callable[[BaseHTTPRequestHandler], None] | None = None, host: str = "127.0.0.1",
            tls: ssl.SSLContext | None = None) -> Iterator[tuple[int, list[dict]]]:
    """A local server: its port, and one entry per request it received (path, Host header)."""
    hits: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            hits.append({"path": self.path, "host": self.headers.get("Host")})
            if respond is None:
                self.send_response(200)
                self.send_header("Content-Length", str(len(BODY)))
                self.end_headers()
                self.wfile.write(BODY)
            else:
                respond(self)

        def log_message(self, *args):
            pass

    server = _Server((host, 0), Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def listening() -> Iterator[tuple[int, list[object]]]:
    """A bare TCP listener (an FTP server's port, say): its port, and one entry per connection accepted."""
    accepted: list[object] = []
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.2)
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(conn)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1], accepted
    finally:
        stop.set()
        thread.join()
        sock.close()


def redirect_to(location: str) -> Callable[[BaseHTTPRequestHandler], None]:
    def respond(handler):
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return respond


@pytest.fixture(autouse=True)
def no_allowance(monkeypatch):
    monkeypatch.delenv(ALLOW, raising=False)


SPELLINGS = ["127.0.0.1", "0x7f.1", "[::ffff:127.0.0.1]", "127.1", "2130706433"]


@pytest.mark.parametrize("host", SPELLINGS)
def test_loopback_in_any_spelling_is_refused_without_connecting(host, caplog):
    with serving() as (port, hits):
        with pytest.raises(InputRefused, match=r"Adresse refusée : .*127\.0\.0\.1.* adresse interne \(boucle "
                                               r"locale\).*TDJ_ADRESSES_AUTORISEES"):
            dl.download(f"http://{host}:{port}/liste.csv")
        assert hits == []
    assert any("refus" in r.getMessage() and "127.0.0.1" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("address,kind", [("10.1.2.3", "réseau privé"), ("192.168.0.10", "réseau privé"),
                                          ("169.254.169.254", "lien local"), ("0.0.0.0", "non spécifiée"),
                                          ("224.0.0.1", "multidiffusion"), ("240.0.0.1", "réservée"),
                                          ("::1", "boucle locale"), ("fe80::1", "lien local"),
                                          ("fd00::1", "réseau privé"), ("::ffff:10.0.0.1", "réseau privé"),
                                          ("2002:7f00:1::1", "boucle locale"), ("64:ff9b::a00:1", "réseau privé")])
def test_every_internal_kind_is_refused_before_any_connection(address, kind, monkeypatch):
    def no_connection(*args, **kwargs):
        raise AssertionError("connexion tentée")
    monkeypatch.setattr(socket, "create_connection", no_connection)
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(InputRefused, match=f"Adresse refusée : .*{kind}"):
        dl.download(f"http://{host}/liste.csv")


def test_a_name_is_judged_by_the_address_it_resolves_to_and_connected_there(monkeypatch):
    """portail.test resolves to 127.0.0.1: refused. Allowed, it is fetched from the address checked, never resolved
    again (a second answer, 127.0.0.9, would be the rebinding), with its own name in the Host header."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def resolver(host, port, *args, **kwargs):
        if host == "portail.test":
            asked.append(host)
            return real("127.0.0.1" if len(asked) == 1 else "127.0.0.9", port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with serving() as (port, hits):
        with pytest.raises(InputRefused, match=r"portail\.test.*127\.0\.0\.1.*boucle locale"):
            dl.download(f"http://portail.test:{port}/liste.csv")
        assert hits == []
        asked.clear()
        monkeypatch.setenv(ALLOW, "127.0.0.1")
        assert dl.download(f"http://portail.test:{port}/liste.csv") == BODY
        assert asked == ["portail.test"] and hits == [{"path": "/liste.csv", "host": f"portail.test:{port}"}]


def test_the_setting_allows_hosts_and_networks():
    with serving() as (port, hits):
        with pytest.raises(InputRefused, match="Adresse refusée"):
            dl.download(f"http://127.0.0.1:{port}/liste.csv")
        for allowed in ("127.0.0.1", "10.0.0.0/8, 127.0.0.0/8", " intranet.prefecture.gouv.fr , localhost"):
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv(ALLOW, allowed)
                host = "localhost" if "localhost" in allowed else "127.0.0.1"
                assert dl.download(f"http://{host}:{port}/liste.csv") == BODY, allowed
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv(ALLOW, "10.0.0.0/8, intranet.prefecture.gouv.fr")  # neither is this server
            with pytest.raises(InputRefused, match="Adresse refusée"):
                dl.download(f"http://127.0.0.1:{port}/liste.csv")
    assert len(hits) == 3


def test_a_redirect_from_an_allowed_server_to_another_local_port_is_refused(monkeypatch):
    monkeypatch.setenv(ALLOW, "127.0.0.2")  # the portal only: 127.0.0.1 (the internal service) is not allowed
    with serving() as (internal, internal_hits), \
            serving(redirect_to(f"http://127.0.0.1:{internal}/secret"), host="127.0.0.2") as (port, hits):
        with pytest.raises(InputRefused, match=r"Redirection .*refusée.*127\.0\.0\.1.*boucle locale"):
            dl.download(f"http://127.0.0.2:{port}/liste.csv")
        assert len(hits) == 1 and internal_hits == []


def test_a_redirect_to_ftp_is_refused(monkeypatch):
    monkeypatch.setenv(ALLOW, "127.0.0.1")
    with listening() as (ftp, accepted), serving(redirect_to(f"ftp://127.0.0.1:{ftp}/liste.csv")) as (port, hits):
        with pytest.raises(InputRefused, match=r"Redirection .*refusée.*ftp://.*http:// ou https://"):
            dl.download(f"http://127.0.0.1:{port}/liste.csv")
        assert len(hits) == 1 and accepted == []


def test_five_redirects_are_followed_and_no_more(monkeypatch):
    monkeypatch.setenv(ALLOW, "127.0.0.1")

    def respond(handler):
        step = int(handler.path.strip("/") or 0)
        if step < limit:
            redirect_to(f"/{step + 1}")(handler)
        else:
            handler.send_response(200)
            handler.send_header("Content-Length", str(len(BODY)))
            handler.end_headers()
            handler.wfile.write(BODY)

    limit = dl.MAX_REDIRECTS
    with serving(respond) as (port, hits):
        assert dl.download(f"http://127.0.0.1:{port}/0") == BODY
        assert len(hits) == 6
        hits.clear()
        limit = 1000
        with pytest.raises(InputRefused, match="Trop de redirections.*5"):
            dl.download(f"http://127.0.0.1:{port}/0")
        assert [h["path"] for h in hits] == ["/0", "/1", "/2", "/3", "/4", "/5"]


@contextmanager
def dripping(where: str) -> Iterator[int]:
    """A server that sends one byte every 0.5 s, in its body or in its very headers."""
    stop = threading.Event()

    def respond(handler):
        head = b"HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n"
        if where == "body":
            handler.wfile.write(head)
            head = b""
        for byte in head + b"x" * 20:
            if stop.wait(0.5):
                return
            try:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
            except OSError:
                return

    with serving(respond) as (port, _):
        try:
            yield port
        finally:
            stop.set()


@pytest.mark.parametrize("where", ["body", "headers"])
def test_a_slow_drip_is_stopped_by_the_deadline(where, monkeypatch):
    monkeypatch.setenv(ALLOW, "127.0.0.1")
    monkeypatch.setattr(dl, "DEADLINE", 1.5)
    with dripping(where) as port:
        start = time.monotonic()
        with pytest.raises(SourceUnavailable, match=r"dépassé 1\.5 s"):
            dl.download(f"http://127.0.0.1:{port}/liste.csv")
        assert time.monotonic() - start < 4


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for portail.test (made with cryptography), and its file."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "portail.test")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("portail.test")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                       serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    return folder


def test_https_sends_the_name_for_tls_and_checks_the_certificate(certificate, monkeypatch):
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(certificate / "cert.pem", certificate / "key.pem")
    names: list[str | None] = []
    server_ctx.sni_callback = lambda sock, name, ctx: names.append(name)
    monkeypatch.setattr(dl, "_tls_context", lambda: ssl.create_default_context(cafile=certificate / "cert.pem"))
    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: real(
        "127.0.0.1" if host in ("portail.test", "autre.test") else host, *a, **k))
    monkeypatch.setenv(ALLOW, "127.0.0.1")
    with serving(tls=server_ctx) as (port, hits):
        assert dl.download(f"https://portail.test:{port}/liste.csv") == BODY
        assert names == ["portail.test"] and hits[0]["host"] == f"portail.test:{port}"
        with pytest.raises(SourceUnavailable, match="Impossible de joindre"):
            dl.download(f"https://autre.test:{port}/liste.csv")  # the certificate is not autre.test's
        assert len(hits) == 1


def test_the_address_is_recognised_whatever_its_case_or_leading_spaces():
    from geo.cli import _is_url

    for value in (" HTTP://x", "HTTPS://x.fr/a.csv", "\thttps://x", "Http://127.0.0.1:8/a.csv"):
        assert _is_url(value), value
    for value in ("liste.csv", "data/http://x.csv", "ftp://x/a.csv", "httpx://y"):
        assert not _is_url(value), value


def test_the_command_line_refuses_an_internal_address_in_capitals(tmp_path):
    with serving() as (port, hits):
        result = subprocess.run([sys.executable, "-m", "geo", "import", f" HTTP://127.1:{port}/liste.csv",
                                 "--label", "Essai"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                                env={"PATH": "/usr/bin:/bin", "TDJ_STORE": str(tmp_path / "absent.duckdb")})
        assert result.returncode == 2 and "Adresse refusée" in result.stderr, result.stderr
        assert "Fichier introuvable" not in result.stderr and hits == []


def test_unwrapped_addresses():
    assert dl._unwrap(ipaddress.ip_address("::ffff:127.0.0.1")) == ipaddress.ip_address("127.0.0.1")
    assert dl._unwrap(ipaddress.ip_address("2001:db8::1")) == ipaddress.ip_address("2001:db8::1")


def test_an_offline_machine_is_told_in_french(monkeypatch):
    """Issue 21, point 4: the system's English words (« [Errno -2] Name or service not known ») stay in the log."""
    def offline(*args, **kwargs):
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", offline)
    with pytest.raises(SourceUnavailable) as caught:
        dl.download("https://data.education.gouv.fr/liste.csv")
    text = str(caught.value)
    assert "hors ligne" in text and "Rien n'a été modifié" in text
    assert "Errno" not in text and "Name or service" not in text
