"""No single reader can stall the server (issue 24, point 2). A client sends 10,000 rerun requests on one
websocket, as fast as it can, then closes: the server cuts that session after a bounded number of runs, answers
/_stcore/health, and a normal session still loads its page in full. The guard's bucket is also tested alone: a
person's reruns pass, the excess of a burst is coalesced into the latest request, delivered later."""

from __future__ import annotations

import asyncio
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
import websockets
from browsing import empty_copy, running_app
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.wire import load
from views import server_guard

STORM = 10_000


def _rerun(query: str = "dep=62") -> BackMsg:
    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = "departement"
    return msg


class _Runtime:
    """Just enough of Streamlit's Runtime for the guard: one active session, and the messages that reach it."""

    def __init__(self) -> None:
        self.session = SimpleNamespace(request_script_stop=lambda: None)
        self._session_mgr = SimpleNamespace(get_active_session_info=lambda sid: SimpleNamespace(session=self.session))
        self.reached: list[str] = []


def test_a_burst_is_coalesced_into_its_latest_request():
    """Up to the burst, every rerun reaches Streamlit at once; beyond it, only the last one does, later."""
    runtime = _Runtime()

    def original(rt, session_id, msg, *, client=None):
        rt.reached.append(msg.rerun_script.query_string)

    guarded = server_guard._wrap(original)

    async def scenario() -> None:
        for i in range(server_guard.RERUN_BURST + 5):
            guarded(runtime, "s", _rerun(f"n={i}"))
        assert runtime.reached == [f"n={i}" for i in range(server_guard.RERUN_BURST)]
        while len(runtime.reached) == server_guard.RERUN_BURST:  # the coalesced one comes when a token is back
            await asyncio.sleep(0.05)
        assert runtime.reached[-1] == f"n={server_guard.RERUN_BURST + 4}"

    asyncio.run(scenario())
    assert len(runtime.reached) == server_guard.RERUN_BURST + 1


def test_a_flood_cuts_the_session():
    """Past FLOOD_DROPS dropped requests, the session's script is stopped and its websocket ended."""
    from starlette.websockets import WebSocketDisconnect

    runtime = _Runtime()
    stopped: list[bool] = []
    runtime.session.request_script_stop = lambda: stopped.append(True)
    guarded = server_guard._wrap(lambda rt, sid, msg, *, client=None: rt.reached.append("run"))

    async def scenario() -> None:
        with pytest.raises(WebSocketDisconnect):
            for _ in range(STORM):
                guarded(runtime, "s", _rerun())
        guarded(runtime, "s", _rerun())  # nothing of a cut session runs again

    asyncio.run(scenario())
    assert stopped and len(runtime.reached) == server_guard.RERUN_BURST


async def _flood(url: str, n: int) -> dict[str, int | bool]:
    """Send n rerun requests on one websocket without waiting, then close; count the script runs the server
    started for it and say whether the server ended the connection itself."""
    ws = await websockets.connect(url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None, ping_interval=None)
    runs, cut = 0, False

    async def read() -> None:
        nonlocal runs
        async for data in ws:
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            if fwd.WhichOneof("type") == "new_session":
                runs += 1

    reader = asyncio.create_task(read())
    payload = _rerun().SerializeToString()
    sent = 0
    try:
        for _ in range(n):
            await ws.send(payload)
            sent += 1
    except websockets.ConnectionClosed:
        cut = True
    try:
        await asyncio.wait_for(reader, timeout=120)  # the server closes the flood session: the reader ends
        cut = True
    except websockets.ConnectionClosed:
        cut = True
    except TimeoutError:
        reader.cancel()
    await ws.close()
    return {"runs": runs, "sent": sent, "cut": cut}


def _health(url: str, deadline: float) -> bool:
    """Until the server answers its health check (the state waited on), or the fail-safe deadline."""
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=5).status == 200:
                return True
        except OSError:
            continue
    return False


def _whole(run) -> bool:
    """The Pas-de-Calais page in full: the script finished, no exception, its title and its map."""
    return (run.finished and not run.exceptions and any("Pas-de-Calais" in t for t in run.texts)
            and "component_instance" in run.widgets.values())


@pytest.mark.slow
def test_a_storm_of_reruns_does_not_stall_the_server(store, tmp_path: Path):
    log = tmp_path / "serveur.log"
    published = empty_copy(store, tmp_path / "territoires.duckdb")
    with running_app(published, {"TDJ_LECTURE_SEULE": "1"}, log=log) as url:
        first = asyncio.run(load(url, "departement", "dep=62"))  # a first officer: the app (and its guard) loaded
        assert _whole(first), (first.exceptions, first.texts[:3])
        flood = asyncio.run(_flood(url, STORM))
        assert _health(url, time.monotonic() + 120), "le serveur ne répond plus après la rafale"
        after = asyncio.run(load(url, "departement", "dep=62"))
        assert _whole(after), (after.exceptions, after.texts[:3])
    assert flood["cut"], flood
    # the flood session ran a bounded number of scripts, never thousands
    assert flood["runs"] <= server_guard.RERUN_BURST + 1, flood
    said = log.read_text(encoding="utf-8")
    assert "coupée : trop de demandes" in said and "adresse" in said
