"""Lists fetched from an address (an Opendatasoft portal export, any CSV or JSON online): the bytes, or a French
message that says what went wrong; each download and each failure is logged with its cause."""

from __future__ import annotations

import logging
import urllib.error
import urllib.parse
import urllib.request

from geo.errors import FileRefused, GeoError, InputRefused, SourceUnavailable
from geo.io.limits import MAX_BYTES

log = logging.getLogger(__name__)

TIMEOUT = 30          # seconds

__all__ = ["TIMEOUT", "download"]


def download(url: str, timeout: float = TIMEOUT) -> bytes:
    """The bytes at an address, or a GeoError in French that says what went wrong."""
    try:
        return _download(url, timeout)
    except GeoError as exc:
        log.warning("téléchargement refusé : %s : %s", url, exc.__cause__ or exc)
        raise


def _download(url: str, timeout: float) -> bytes:
    parsed = urllib.parse.urlsplit(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InputRefused(f"Adresse invalide : « {url} ». Attendu : une adresse http:// ou https://.")
    request = urllib.request.Request(url.strip(), headers={"User-Agent": "terres-de-jeux/0.1",
                                                          "Accept": "text/csv, application/json, */*"})
    log.info("téléchargement : %s", url)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http/https only)
            raw = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        hint = (" Le jeu de données n'est pas à cette adresse : le portail a peut-être changé (réglez son adresse)."
                if exc.code == 404 else "")
        raise SourceUnavailable(f"Le serveur {parsed.netloc} a répondu par une erreur {exc.code} ({exc.reason}) pour "
                       f"{url}.{hint} Rien n'a été modifié.") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SourceUnavailable(f"Impossible de joindre {parsed.netloc} (hors ligne ou serveur "
                                f"injoignable : {reason}). "
                       "Rien n'a été modifié ; réessayez une fois connecté, ou déposez le fichier téléchargé "
                       "ailleurs.") from exc
    if len(raw) > MAX_BYTES:
        raise FileRefused(f"Le fichier à {url} dépasse {MAX_BYTES // 2**20} Mo : rien n'a été importé.")
    if not raw.strip():
        raise FileRefused(f"Le serveur {parsed.netloc} a renvoyé un fichier vide pour {url} : rien n'a été importé.")
    log.info("téléchargé : %s (%d octets)", url, len(raw))
    return raw
