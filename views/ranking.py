"""A ranking of départements whose « Ouvrir › » cell opens the département in the same tab at the first click
(a link column of Streamlit's grid needs a click to select the cell, another to follow it, in a new tab)."""

from __future__ import annotations

import logging
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable

import streamlit as st
from pandas.io.formats.style import Styler

OPEN = "Ouvrir ›"
ENTRIES = 64  # tables kept per replica: labels × territories × store versions in use at once

_tables: OrderedDict = OrderedDict()  # cache key -> (table, codes), the least recently used first out
_marshalled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # a shared Styler -> its proto's bytes
_building: dict = {}  # cache key -> the lock its first session holds while building it
_lock = threading.Lock()
_marshalling = threading.Lock()
log = logging.getLogger(__name__)


def _shared(cache_key: Hashable, build: Callable[[], tuple]) -> tuple:
    """The (table, codes) built once per replica for `cache_key` (which holds the store version), shared by every
    session: a ranking is a widget, so st.cache_data cannot replay it, and formatting its 101 rows the French
    way (pandas' Styler, marshalled by Streamlit) was a quarter of a France page's run (issue 24)."""
    with _lock:
        building = _building.setdefault(cache_key, threading.Lock())
    with building:  # the first session builds it, those arriving meanwhile wait for it (one build per key)
        with _lock:
            if cache_key in _tables:
                _tables.move_to_end(cache_key)
                return _tables[cache_key]
        try:
            built = build()
        except BaseException:
            with _lock:
                _building.pop(cache_key, None)
            raise
        log.info("Classement partagé construit : %s", " ".join(str(part) for part in cache_key))
        with _lock:
            _tables[cache_key] = built
            while len(_tables) > ENTRIES:
                _building.pop(_tables.popitem(last=False)[0], None)
    return built


def _install_marshal_memo() -> None:
    """Streamlit turns a Styler into its display values on every run; for a shared Styler (never changed once
    built) the result is kept and copied (a missing internal, in another Streamlit version, leaves it as is)."""
    try:
        from streamlit.elements import arrow
    except ImportError:  # pragma: no cover - another Streamlit layout: no memo, same display
        return
    original = getattr(arrow, "marshall_styler", None)
    if original is None or getattr(original, "tdj_memo", False):
        return

    def marshall_styler(proto, styler, *args, **kwargs) -> None:
        # keyed on the Styler alone: the default uuid Streamlit passes (the element's place on the page) is unused
        # when the Styler has its own, which pandas always draws
        if not getattr(styler, "tdj_shared", False) or getattr(styler, "uuid", None) is None:
            original(proto, styler, *args, **kwargs)
            return
        with _marshalling:  # a shared Styler is computed by one session at a time (pandas mutates it meanwhile)
            held = _marshalled.get(styler)
            if held is None:
                original(proto, styler, *args, **kwargs)
                _marshalled[styler] = proto.SerializeToString()
                return
        proto.MergeFromString(held)

    marshall_styler.tdj_memo = True
    arrow.marshall_styler = marshall_styler


_install_marshal_memo()


def ranking(build: Callable[[], tuple], cache_key: Hashable, label: str | None, key: str, **kwargs) -> None:
    """Show the table `build()` returns (its « page » column reads OPEN) with the codes of the département of each
    row, in the same order, built once per `cache_key`; a click on a cell of the « page » or « nom » column opens
    that département's page."""
    table, codes = _shared(cache_key, build)
    if isinstance(table, Styler):  # marked as shared: its marshalled form is kept
        table.tdj_shared = True
    event = st.dataframe(table, on_select="rerun", selection_mode="single-cell", key=key, **kwargs)
    cells = (getattr(event, "selection", None) or {}).get("cells") or []
    for row, column in cells:
        if column in ("page", "nom") and 0 <= int(row) < len(codes):
            st.switch_page("views/departement.py", query_params={
                "dep": str(codes.iloc[int(row)]), **({"label": label} if label else {})})
