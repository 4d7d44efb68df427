"""A minimal Streamlit websocket client, speaking the browser's protocol (BackMsg/ForwardMsg protobufs): load a
page as a new session would, send widget values as a page would, and read back what the server drew. Used by
bench/bench_load.py (concurrent page loads) and by tests that replay a page's requests."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg


@dataclass
class Run:
    """What one script run sent back."""

    seconds: float = 0.0
    finished: bool = False
    exceptions: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)       # alerts, markdown, text, captions, titles
    widgets: dict[str, str] = field(default_factory=dict)  # widget id -> element type
    pages: list[str] = field(default_factory=list)        # url paths in the navigation sent to the client
    not_found: str | None = None                          # the page asked for, when the server has no such route
    elements: int = 0
    tables: list[bytes] = field(default_factory=list)     # each dataframe's display values (Arrow IPC), if styled

    def widget(self, key: str) -> str | None:
        """The id of the widget created with `key` (Streamlit ids end with the user key)."""
        return next((w for w in self.widgets if w.endswith(f"-{key}")), None)

    def says(self, fragment: str) -> bool:
        return any(fragment in t for t in self.texts)


def _read(element, run: Run) -> None:
    kind = element.WhichOneof("type")
    run.elements += 1
    if kind == "exception":
        run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
    elif kind in ("alert", "markdown", "text", "heading"):
        run.texts.append(getattr(element, kind).body)
    elif kind == "dataframe":
        run.tables.append(element.dataframe.arrow_data.styler.display_values)
    inner = getattr(element, kind) if kind else None
    widget_id = getattr(inner, "id", "") if inner is not None else ""
    if isinstance(widget_id, str) and widget_id.startswith("$$ID"):
        run.widgets[widget_id] = kind


class Session:
    """One browser session: a websocket to /_stcore/stream, kept open across reruns (session state lives there)."""

    def __init__(self, base_url: str):
        self.url = base_url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.ws = None

    async def __aenter__(self) -> Session:
        self.ws = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=None,
                                           open_timeout=60, ping_interval=None)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.ws.close()

    async def run(self, page: str = "", query: str = "", widgets: list | None = None,
                  timeout: float = 120.0) -> Run:
        """Ask for a script run of `page` (its url path) with `query`, and widget states (protobuf WidgetState
        messages, as a page sends after a click); collect what comes back until the run finishes."""
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        if widgets:
            msg.rerun_script.widget_states.widgets.extend(widgets)
        run = Run()
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        deadline = start + timeout
        while True:
            data = await asyncio.wait_for(self.ws.recv(), timeout=max(0.1, deadline - time.perf_counter()))
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                _read(fwd.delta.new_element, run)
            elif kind == "page_not_found":
                run.not_found = fwd.page_not_found.page_name
            elif kind == "navigation":
                run.pages = [p.url_pathname for p in fwd.navigation.app_pages]
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the page called st.rerun(): the next run follows on the same socket
                run.finished = True
                break
        run.seconds = time.perf_counter() - start
        return run


def trigger(widget_id: str):
    """A button click, as the page sends it."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    state = WidgetState(id=widget_id)
    state.trigger_value = True
    return state


def text(widget_id: str, value: str):
    """A text field's value, as the page sends it."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    state = WidgetState(id=widget_id)
    state.string_value = value
    return state


async def load(base_url: str, page: str = "", query: str = "", timeout: float = 120.0) -> Run:
    """One new session loading one page, as a browser tab opening its address."""
    async with Session(base_url) as session:
        return await session.run(page, query, timeout=timeout)
