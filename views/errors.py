"""What a reader sees when a page fails: a French message with a short reference, never server internals (no
traceback, no path); the details go to the server log under the same reference. An unreadable store gets its
own message, which says what to do. Streamlit's st.stop and st.rerun are not errors: they pass through."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from geo.errors import GeoError, StoreDamaged
from views.state import escape_md

log = logging.getLogger(__name__)

UNEXPECTED = ("Une erreur inattendue est survenue (réf. {ref}). Rechargez la page ; si elle revient, donnez cette "
              "référence à l'administrateur.")
DAMAGED = ("Le magasin de données est illisible (fichier tronqué ou endommagé). Restaurez la dernière copie publiée "
           "(« python -m geo publish » depuis le poste des éditeurs) ou mettez ce fichier de côté et "
           "reconstruisez-le (« make setup » ; les imports faits depuis la dernière copie seront à refaire) ; "
           "réf. {ref}.")
KNOWN = "{message} (réf. {ref})"

# what DuckDB says of a store file it cannot read (a truncated, emptied or overwritten file)
DUCKDB_READ_ERRORS = ("IOException", "InvalidInputException", "SerializationException")
DAMAGE_SIGNS = ("Could not read enough bytes", "not a valid DuckDB database", "Corrupt", "checksum")


def reference() -> str:
    """A short reference (six hex digits, « 7F3A2C ») shown to the reader and written in the server log."""
    return secrets.token_hex(3).upper()


def causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and the ones it was raised from or while handling (each once)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _from_duckdb(exc: BaseException) -> bool:
    """Whether DuckDB raised it (told by its class: pages never import DuckDB, geo owns the store)."""
    kind = type(exc)
    return "duckdb" in kind.__module__ and kind.__name__ in DUCKDB_READ_ERRORS


def is_damaged_store(exc: BaseException) -> bool:
    """Whether an error means the store file cannot be read (StoreDamaged, or DuckDB failing to read it)."""
    for cause in causes(exc):
        if isinstance(cause, StoreDamaged):
            return True
        if _from_duckdb(cause) and any(sign in str(cause) for sign in DAMAGE_SIGNS):
            return True
    return False


def show_failure(exc: BaseException) -> str:
    """Log the failure with its traceback and show the reader a French message; returns the reference."""
    ref = reference()
    page = st.session_state.get("_page") or "?"  # set by views.common.count_visit
    if is_damaged_store(exc):
        log.error("magasin illisible (réf. %s, page %s) : %s", ref, page, exc, exc_info=exc)
        st.error(DAMAGED.format(ref=ref))
    elif isinstance(exc, GeoError):
        log.warning("erreur montrée au lecteur (réf. %s, page %s) : %s", ref, page, exc, exc_info=exc)
        st.error(KNOWN.format(message=escape_md(str(exc)), ref=ref))
    else:
        log.error("erreur inattendue (réf. %s, page %s) : %s", ref, page, exc, exc_info=exc)
        st.error(UNEXPECTED.format(ref=ref))
    return ref


@contextmanager
def shown_in_french() -> Iterator[None]:
    """Log and show in French what a page raises; st.stop and st.rerun (BaseException) pass through."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 (every failure of a page ends here, logged with its traceback)
        show_failure(exc)
