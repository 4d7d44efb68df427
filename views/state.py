"""One pattern for every control whose value lives in the URL: a key, the URL read into session state when
the widget has no state yet or the URL changed under it (link, Back), written back after the widget.

Widgets built with a default taken from the URL and no key are rebuilt when that default changes, which
made every other click bounce back; here a widget's default never changes, only its session state."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import streamlit as st

_SEEN = "_url_vu."     # the URL value the page last read or wrote, per widget key
_BAD = "_url_faux."    # an invalid URL value, per widget key, until its message is shown
_CHANGED = "_url_change."  # set by the widget's own callback: the user has just changed it


def escape_md(text: Any) -> str:
    """Untrusted text inside a message rendered as markdown, shown as the same characters and nothing else.

    Punctuation becomes numeric character references, so no markdown, LaTeX or directive can form; the
    renderer's autolinks (``http://…``, ``www.…``, ``a@b.fr``) are found in the decoded text, so a word
    joiner (invisible) breaks them."""
    text = _AUTOLINK.sub(lambda m: m.group(0)[:-1] + "\u2060" + m.group(0)[-1], str(text).replace("\n", " "))
    return "".join(f"&#{ord(ch)};" if ch in _MARKDOWN else ch for ch in text)


_MARKDOWN = set("\\`*_{}[]()#+-.!|<>~$:&=@/%\"'^?;")
_AUTOLINK = re.compile(r":/|(?i:www)\.|@\w")


def session_memo(slot: str, key: Any, compute: Callable[[], Any]) -> Any:
    """The value computed for `key` the last time in this session, else computed now and kept (one per slot):
    an uploaded file is read once, not on every rerun."""
    held = st.session_state.get(slot)
    if held is not None and held[0] == key:
        return held[1]
    value = compute()
    st.session_state[slot] = (key, value)
    return value


def set_params(**values: Any) -> None:
    """Write values into the URL; None, "" and False remove the parameter."""
    for key, value in values.items():
        if value in (None, "", False):
            st.query_params.pop(key, None)
        elif st.query_params.get(key) != str(value):
            st.query_params[key] = str(value)


def url_widget(widget: Callable, label: str, *, key: str, param: str, default: Any,
               parse: Callable[[str], Any] = str, dump: Callable[[Any], str | None] = str,
               valid: Callable[[Any], bool] = lambda v: True, invalid: Callable[[str], str] | None = None,
               keep_default: bool = False, **kwargs: Any) -> Any:
    """A widget (selectbox, radio, toggle, multiselect…) whose value is kept in the URL parameter `param`.

    `parse` turns the URL text into a value (ValueError when it cannot), `valid` says whether a value is
    still allowed (options change with other filters), `invalid` builds the French message for a bad URL
    value, `dump` turns the value back into URL text; the default is left out of the URL unless
    `keep_default`."""
    raw = st.query_params.get(param)
    # the user's own change wins in the run it starts: the URL that run carries may not show yet what the
    # previous run wrote to it (a click landing before the browser applied that), and must not undo the click
    changed = st.session_state.pop(_CHANGED + key, False)
    if key not in st.session_state or (not changed and st.session_state.get(_SEEN + key, raw) != raw):
        st.session_state[key] = _read(key, raw, default, parse, valid)
    elif not valid(st.session_state[key]):
        st.session_state[key] = default
    bad = st.session_state.pop(_BAD + key, None)
    if bad is not None and invalid is not None:
        st.warning(invalid(bad))
    if getattr(widget, "__name__", "") in ("selectbox", "multiselect"):
        kwargs.setdefault("placeholder", "Choisissez…")  # Streamlit's own is English
    callback, callback_args = kwargs.pop("on_change", None), kwargs.pop("args", ())

    def on_change(*args: Any) -> None:
        st.session_state[_CHANGED + key] = True
        if callback is not None:
            callback(*args)

    value = widget(label, key=key, on_change=on_change, args=callback_args, **kwargs)
    text = dump(value) if keep_default or value != default else None
    set_params(**{param: text})
    st.session_state[_SEEN + key] = st.query_params.get(param)
    return value


def _read(key: str, raw: str | None, default: Any, parse: Callable[[str], Any], valid: Callable[[Any], bool]) -> Any:
    """The URL's value for a widget, or its default (remembering a bad URL value to say so)."""
    if raw is None or raw == "":
        return default
    try:
        value = parse(raw)
    except ValueError:
        value = None
    if value is None or not valid(value):
        st.session_state[_BAD + key] = raw
        return default
    return value


def split(raw: str) -> list[str]:
    """A multi-valued URL parameter: values joined by "|"."""
    return [v for v in raw.split("|") if v]


def join(values: list) -> str | None:
    return "|".join(str(v) for v in values) or None


def flag(raw: str) -> bool:
    """"1"/"0" in the URL for a toggle or a checkbox."""
    if raw not in ("0", "1"):
        raise ValueError(raw)
    return raw == "1"


def unflag(value: bool) -> str:
    return "1" if value else "0"
