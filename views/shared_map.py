"""Maps built once per replica and shared by every session (issue 24, point 1).

A page used to build its Folium map and have streamlit-folium render it at every run of every session (0.2 s for
`?dep=62`, more for a région or France, the same work fifty times when fifty officers open the same page). Here
the component's payload — the map's script, HTML, header and links, what st_folium computes from the map — is
computed once per map (its builder and arguments) and store version (`geo.store.identity.version`: a write or a
publication gives new keys, the old entries age out), by the first session that asks; the others wait for it
(one computation, not fifty) and only send it. Bounded by size (`BUDGET` bytes, the least recently used first).

Pages call `show_map(shared(builder, *args, **kwargs), height=…, key=…)` where they called
`st_folium(builder(*args, **kwargs), height=…, key=…)`: same component, same arguments, same returned value.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import streamlit as st
import streamlit_folium

from geo.store.identity import version

log = logging.getLogger(__name__)

BUDGET = 512 * 2**20          # bytes of payload kept (France by commune: ~3 Mo; a département: ~0.2 Mo)
_PAYLOAD_KEYS = ("script", "header", "html", "id", "default", "css_links", "js_links")

_real_component = streamlit_folium._component_func
_capture = threading.local()


def _dispatch(**kwargs: Any) -> Any:
    """streamlit-folium's component function: recorded instead of sent while a payload is being captured."""
    sink = getattr(_capture, "sink", None)
    if sink is not None:
        sink.update(kwargs)
        return None
    return _real_component(**kwargs)


streamlit_folium._component_func = _dispatch  # st_folium looks it up at each call: the capture goes through it


@dataclass(frozen=True)
class Shared:
    """A map named by its builder and arguments (built only when no session has built it yet)."""

    build: Callable[..., Any]
    args: tuple
    kwargs: tuple

    def key(self) -> tuple:
        """What the payload depends on: the builder, its arguments, the store's version."""
        return (self.build.__module__, self.build.__qualname__, _hashable(self.args), _hashable(self.kwargs),
                version())


def shared(build: Callable[..., Any], *args: Any, **kwargs: Any) -> Shared:
    """The map `build(*args, **kwargs)`, to be shown by `show_map` (built once per replica and store version)."""
    return Shared(build, args, tuple(sorted(kwargs.items())))


def _hashable(value: Any) -> Any:
    """A cache key part for any argument (tuples of scalars as they are; the rest by its repr)."""
    try:
        hash(value)
        return value
    except TypeError:
        return repr(value)


@dataclass
class Payload:
    """What st_folium sends for one map, and the digest its component key is made from."""

    values: dict[str, Any]
    digest: str
    size: int


class PayloadCache:
    """Payloads by key, bounded in bytes; one computation per key however many sessions ask at once."""

    def __init__(self, budget: int = BUDGET) -> None:
        self.budget = budget
        self.items: OrderedDict[tuple, Payload] = OrderedDict()
        self.size = 0
        self.computed = 0                      # payloads computed since start (the tests and the bench read it)
        self._lock = threading.Lock()
        self._computing: dict[tuple, threading.Lock] = {}

    def get(self, key: tuple, compute: Callable[[], Payload]) -> Payload:
        """The payload for `key`, computed by the first caller while the others wait for it."""
        with self._lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if key in self.items:
                    return self.items[key]
            try:
                payload = compute()
            finally:
                with self._lock:
                    self._computing.pop(key, None)
            with self._lock:
                self.computed += 1
                self.items[key] = payload
                self.size += payload.size
                while self.size > self.budget and len(self.items) > 1:
                    _, old = self.items.popitem(last=False)
                    self.size -= old.size
        return payload

    def clear(self) -> None:
        """Forget every payload (a test, or an editor's write that must show at once)."""
        with self._lock:
            self.items.clear()
            self.size = 0


PAYLOADS = PayloadCache()


def _compute(map_: Shared) -> Payload:
    """Build the map and let st_folium compute its payload, recorded instead of sent."""
    fig = map_.build(*map_.args, **dict(map_.kwargs))
    sink: dict[str, Any] = {}
    _capture.sink = sink
    try:
        streamlit_folium.st_folium(fig, returned_objects=None)
    finally:
        _capture.sink = None
    values = {k: sink[k] for k in _PAYLOAD_KEYS}
    stripped = re.sub(r"(maps\/[-a-z0-9]+\/)", "", re.sub(r"(_[a-z0-9]+)", "", values["script"]))
    size = sum(len(values[k] or "") for k in ("script", "header", "html"))
    log.info("Carte partagée construite : %s.%s %s (%d Ko)", map_.build.__module__, map_.build.__qualname__,
             map_.args, size // 1024)
    return Payload(values, hashlib.sha256(stripped.encode()).hexdigest(), size)


def show_map(map_: Shared, *, key: str | None = None, height: int = 700, width: int | None = 500,
             returned_objects: Iterable[str] | None = None, zoom: int | None = None,
             center: Any = None, use_container_width: bool = False, return_on_hover: bool = False) -> Any:
    """st_folium's component with the shared payload: what st_folium(map) would show and return."""
    payload = PAYLOADS.get(map_.key(), lambda: _compute(map_))
    values = payload.values
    if returned_objects is not None:
        returned_objects = list(returned_objects)
    defaults = {k: v for k, v in values["default"].items() if returned_objects is None or k in returned_objects}
    hash_key = hashlib.sha256(f"{payload.digest}{key}{return_on_hover}".encode()).hexdigest()

    def _on_change() -> None:
        if key is not None:
            st.session_state[key] = st.session_state.get(hash_key, {})

    return _real_component(script=values["script"], header=values["header"], html=values["html"], id=values["id"],
                           key=hash_key, height=height, width=None if use_container_width else width,
                           returned_objects=returned_objects, default=defaults, zoom=zoom, center=center,
                           feature_group=None, return_on_hover=return_on_hover, layer_control=None,
                           pixelated=False, css_links=values["css_links"], js_links=values["js_links"],
                           on_change=_on_change, wrap_longitude=False)
