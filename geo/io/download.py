"""Lists fetched from an address (an Opendatasoft portal export, any CSV or JSON online): the bytes, or a French
message that says what went wrong; each download and each failure is logged with its cause.

An address never reaches the inside of the network it runs in (issue 23): its host is resolved once, every address
it resolves to is checked (loopback, private, link-local, multicast, unspecified, reserved, and any other
non-public address; an IPv4 address mapped in IPv6 is judged as IPv4; `0x7f.1`, `127.1` or `2130706433` are judged by
what they resolve to), and the connection goes to the address checked, never resolved again (no DNS rebinding),
with the host's name in the Host header and for TLS (SNI, certificate). Redirects are followed here, 5 at most,
http:// and https:// only, each target checked the same way. The whole download, redirects included, has a
deadline. An administrator allows an intranet portal with TDJ_ADRESSES_AUTORISEES (hosts or networks): an allowed
address skips the internal-address check, never the scheme, redirect or deadline ones. Proxies
(HTTP_PROXY, HTTPS_PROXY) are not used: a proxy would resolve the host itself, past the check."""

from __future__ import annotations

import http.client
import ipaddress
import logging
import socket
import ssl
import threading
import time
import urllib.parse

from geo import settings
from geo.errors import FileRefused, GeoError, InputRefused, SourceUnavailable
from geo.io.limits import MAX_BYTES

log = logging.getLogger(__name__)

TIMEOUT = 30          # seconds, for each connection and each read
DEADLINE = 60         # seconds, for the whole download (redirects, connections and reads)
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
ALLOW_SETTING = "TDJ_ADRESSES_AUTORISEES"
REDIRECTS = (301, 302, 303, 307, 308)
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # IPv4 addresses seen from an IPv6-only network (DNS64)
HEADERS = {"User-Agent": "terres-de-jeux/0.1", "Accept": "text/csv, application/json, */*"}

__all__ = ["DEADLINE", "MAX_REDIRECTS", "TIMEOUT", "download"]

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def download(url: str, timeout: float = TIMEOUT) -> bytes:
    """The bytes at an address, or a GeoError in French that says what went wrong."""
    try:
        return _download(url, timeout)
    except GeoError as exc:
        log.warning("téléchargement refusé : %s : %s", url, exc.__cause__ or exc)
        raise


class _Deadline:
    """The whole download's deadline: past it, the socket in use is shut down, which ends any read or write
    blocked on it (a server sending a byte every few seconds never lets a per-read timeout expire)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            self.expired = True
        return left

    def watch(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            if self.expired and sock is not None:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            if self._sock is not None:
                _shut(self._sock)

    def cancel(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._sock = None


def _shut(sock: socket.socket) -> None:
    try:
        # socket.socket's own method, also for a TLS socket: it acts on the descriptor, not on the TLS state
        # another thread is reading with
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass


def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def _allowed() -> tuple[set[str], list[ipaddress.IPv4Network | ipaddress.IPv6Network]]:
    """The hosts and networks an administrator allows (TDJ_ADRESSES_AUTORISEES, comma-separated)."""
    hosts: set[str] = set()
    networks = []
    for entry in settings.get(ALLOW_SETTING).split(","):
        entry = entry.strip().strip("[]").lower().rstrip(".")
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            hosts.add(entry)
    return hosts, networks


def _unwrap(ip: Address) -> Address:
    """An IPv4 address mapped in IPv6 (::ffff:127.0.0.1) as the IPv4 address it is."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _embedded(ip: Address) -> list[Address]:
    """The IPv4 addresses an IPv6 address carries (6to4, Teredo, NAT64), judged with it."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return []
    out = [ip.sixtofour] if ip.sixtofour else []
    out += list(ip.teredo) if ip.teredo else []
    if ip in NAT64:
        out.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return out


def _internal(ip: Address) -> str | None:
    """What makes an address internal, in French, or None for a public address."""
    ip = _unwrap(ip)
    # a NAT64 address (DNS64 on an IPv6-only network) is judged by the IPv4 address it carries, alone
    for address in _embedded(ip) if ip in NAT64 else (ip, *_embedded(ip)):
        for test, kind in (("is_loopback", "boucle locale"), ("is_unspecified", "adresse non spécifiée"),
                           ("is_link_local", "lien local"), ("is_multicast", "multidiffusion"),
                           ("is_reserved", "plage réservée"), ("is_private", "réseau privé")):
            if getattr(address, test):
                return kind
        if not address.is_global:
            return "adresse non publique"
    return None


def _literal(host: str) -> Address | None:
    """The address a host written as an address is (its usual spelling), else None."""
    try:
        return _unwrap(ipaddress.ip_address(host))
    except ValueError:
        return None


def _is_allowed(host: str, ip: Address, raw: Address, allowed) -> bool:
    hosts, networks = allowed
    return host in hosts or str(ip) in hosts or any(a in n for n in networks for a in (ip, raw)
                                                    if a.version == n.version)


def french_reason(exc: BaseException) -> str:
    """Why a server could not be reached, in French for the page (the system's English words, « [Errno -2] Name
    or service not known », go to the server's log only)."""
    exc = getattr(exc, "reason", None) if isinstance(getattr(exc, "reason", None), BaseException) else exc
    if isinstance(exc, socket.gaierror | UnicodeError):
        return "poste hors ligne, ou nom de serveur inconnu"
    if isinstance(exc, ConnectionRefusedError):
        return "le serveur refuse la connexion : hors ligne, ou service arrêté"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "le serveur ne répond pas"
    if isinstance(exc, ssl.SSLError):
        return "connexion sécurisée refusée (certificat)"
    if isinstance(exc, http.client.HTTPException):
        return "réponse du serveur illisible"
    return "poste hors ligne, ou serveur injoignable"


def _resolve(host: str, port: int, allowed) -> list[tuple[int, tuple]]:
    """The addresses of the host, resolved once, each checked: (family, socket address) to connect to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        log.info("nom %s non résolu : %s", host, exc)
        raise SourceUnavailable(f"Impossible de joindre {host} ({french_reason(exc)}). Rien n'a été "
                                "modifié ; réessayez une fois connecté, ou déposez le fichier téléchargé "
                                "ailleurs.") from exc
    out = []
    for family, _type, _proto, _name, sockaddr in infos:
        raw = ipaddress.ip_address(sockaddr[0].split("%")[0])
        ip = _unwrap(raw)
        kind = _internal(ip)
        if kind and not _is_allowed(host, ip, raw, allowed):
            log.warning("adresse refusée : %s -> %s (%s)", host, ip, kind)
            said = f"{ip} est" if _literal(host) in (ip, raw) else f"{host} désigne {ip},"
            raise InputRefused(f"Adresse refusée : {said} une adresse interne ({kind}). Un administrateur peut "
                               f"l'autoriser avec {ALLOW_SETTING}.")
        out.append((family, sockaddr))
    if not out:
        raise SourceUnavailable(f"Impossible de joindre {host} : aucune adresse. Rien n'a été modifié.")
    return out


def _open(addresses, timeout: float, deadline: _Deadline) -> socket.socket:
    """A socket connected to the first of the checked addresses that answers."""
    last: OSError | None = None
    for family, sockaddr in addresses:
        left = deadline.left()
        if left <= 0:
            break
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(min(timeout, left))
            deadline.watch(sock)
            sock.connect(sockaddr)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
        except OSError as exc:
            sock.close()
            last = exc
    raise last or TimeoutError("délai dépassé")


class _Pinned(http.client.HTTPConnection):
    """A connection to an address checked beforehand, never to the name resolved again; the name is still the
    one in the Host header."""

    def __init__(self, host: str, port: int, addresses, deadline: _Deadline, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._addresses, self._deadline = addresses, deadline

    def connect(self) -> None:
        self.sock = _open(self._addresses, self.timeout, self._deadline)


class _PinnedTLS(_Pinned):
    """The same over TLS, the name sent for SNI and checked against the certificate."""

    default_port = 443

    def connect(self) -> None:
        super().connect()
        sock = _tls_context().wrap_socket(self.sock, server_hostname=self.host, do_handshake_on_connect=False)
        self.sock = sock
        self._deadline.watch(sock)  # a handshake sent a byte at a time ends at the deadline too
        sock.do_handshake()


def _connection(parsed: urllib.parse.SplitResult, host: str, port: int, addresses, timeout: float,
                deadline: _Deadline) -> http.client.HTTPConnection:
    kind = _PinnedTLS if parsed.scheme == "https" else _Pinned
    conn = kind(host, port, addresses, deadline, timeout)
    conn.connect()
    conn.sock.settimeout(min(timeout, max(deadline.left(), 0.01)))
    return conn


def _target(url: str, hop: int, previous: str | None) -> tuple[urllib.parse.SplitResult, str, int]:
    parsed = urllib.parse.urlsplit(url)
    scheme_ok = parsed.scheme in ("http", "https")
    try:
        host = (parsed.hostname or "").rstrip(".")
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        host = host.encode("idna").decode("ascii") if host and not host.isascii() else host
    except (ValueError, UnicodeError):
        host, port = "", 0
    if hop and not scheme_ok:
        log.warning("redirection refusée : %s -> %s", previous, url)
        raise InputRefused(f"Redirection refusée : {previous} renvoie vers « {url} », qui n'est pas une adresse "
                           "http:// ou https://. Rien n'a été importé.")
    if not scheme_ok or not host:
        raise InputRefused(f"Adresse invalide : « {url} ». Attendu : une adresse http:// ou https://.")
    return parsed, host, port


def _download(url: str, timeout: float) -> bytes:
    url = url.strip()
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InputRefused(f"Adresse invalide : « {url} ». Attendu : une adresse http:// ou https://.")
    log.info("téléchargement : %s", url)
    allowed = _allowed()
    deadline = _Deadline(DEADLINE)
    try:
        return _follow(url, timeout, allowed, deadline)
    except GeoError:
        raise
    except http.client.InvalidURL as exc:
        raise InputRefused(f"Adresse invalide : « {url} » ({exc}).") from exc
    except (OSError, http.client.HTTPException, ssl.SSLError, ValueError) as exc:
        if deadline.expired or deadline.left() <= 0:
            raise SourceUnavailable(_too_long(url, deadline)) from exc
        log.info("téléchargement de %s en échec : %r", parsed.netloc, exc)
        raise SourceUnavailable(f"Impossible de joindre {parsed.netloc} ({french_reason(exc)}). "
                                "Rien n'a été modifié ; réessayez une fois connecté, ou déposez le fichier "
                                "téléchargé ailleurs.") from exc
    finally:
        deadline.cancel()


def _too_long(url: str, deadline: _Deadline) -> str:
    return (f"Le téléchargement de {url} a dépassé {deadline.seconds:g} s : il a été interrompu (serveur trop lent). "
            "Rien n'a été modifié ; réessayez plus tard, ou déposez le fichier téléchargé ailleurs.")


def _follow(url: str, timeout: float, allowed, deadline: _Deadline) -> bytes:
    current, previous = url, None
    for hop in range(MAX_REDIRECTS + 1):
        parsed, host, port = _target(current, hop, previous)
        try:
            addresses = _resolve(host, port, allowed)
        except InputRefused as exc:
            if hop:
                raise InputRefused(f"Redirection refusée : {previous} renvoie vers {current}. {exc}") from None
            raise
        conn = _connection(parsed, host, port, addresses, timeout, deadline)
        try:
            path = parsed.path or "/"
            conn.request("GET", f"{path}?{parsed.query}" if parsed.query else path, headers=HEADERS)
            response = conn.getresponse()
            location = response.getheader("Location")
            if response.status in REDIRECTS and location:
                previous, current = current, urllib.parse.urljoin(current, location.strip())
                log.info("redirection : %s -> %s", previous, current)
                continue
            if not 200 <= response.status < 300:
                hint = (" Le jeu de données n'est pas à cette adresse : le portail a peut-être changé (réglez son "
                        "adresse)." if response.status == 404 else "")
                raise SourceUnavailable(f"Le serveur {parsed.netloc} a répondu par une erreur {response.status} "
                                        f"({response.reason}) pour {url}.{hint} Rien n'a été modifié.")
            raw = _read(response, url, deadline)
        finally:
            conn.close()
        if not raw.strip():
            raise FileRefused(f"Le serveur {parsed.netloc} a renvoyé un fichier vide pour {url} : rien n'a été "
                              "importé.")
        log.info("téléchargé : %s (%d octets)", url, len(raw))
        return raw
    log.warning("trop de redirections : %s", url)
    raise InputRefused(f"Trop de redirections : {url} renvoie plus de {MAX_REDIRECTS} fois ailleurs (dernière "
                       f"adresse : {current}). Rien n'a été importé.")


def _read(response: http.client.HTTPResponse, url: str, deadline: _Deadline) -> bytes:
    """The body, chunk by chunk, within the size limit and the deadline."""
    too_big = f"Le fichier à {url} dépasse {MAX_BYTES // 2**20} Mo : rien n'a été importé."
    if response.length is not None and response.length > MAX_BYTES:
        raise FileRefused(too_big)
    parts, size = [], 0
    while True:
        if deadline.left() <= 0:
            raise SourceUnavailable(_too_long(url, deadline))
        chunk = response.read1(CHUNK)
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
        if size > MAX_BYTES:
            raise FileRefused(too_big)
    if deadline.expired:
        raise SourceUnavailable(_too_long(url, deadline))
    if response.length:  # the server closed before sending what it announced
        raise http.client.IncompleteRead(b"".join(parts), response.length)
    return b"".join(parts)
