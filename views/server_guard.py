"""No single reader can stall the server (issue 24, point 2): a per-session bound on what one websocket may ask.

Where a storm is queued. Streamlit's websocket endpoint (`streamlit.web.server.starlette.starlette_websocket`)
reads each frame on the server's event loop and hands it to `Runtime.handle_backmsg` → `AppSession.handle_backmsg`
→ `AppSession.request_rerun`. With `runner.fastReruns` (Streamlit's default), every rerun request stops the
session's ScriptRunner and starts a new one, *a new thread*, at once: 1,000 requests sent in a burst start ~1,000
script threads that fight for the GIL with the event loop, so `/_stcore/health` and every other session wait
(68 to 77 s for 1,000 requests, ~20 min for 10,000, on a one-title app as on ours). Nothing in Streamlit bounds it.

What this module does, on the event loop, before Streamlit sees a message (`Runtime.handle_backmsg` wrapped once
per process, from app.py):

- rerun requests of a session go through a token bucket (`RERUN_BURST` at once, then `RERUN_RATE` per second): a
  person never comes near it; beyond it, requests are *coalesced* — only the latest waits, and it is delivered
  when the bucket allows (what the page asked last is what it gets), the others are dropped;
- every other message of the session goes through a wider bucket (`MESSAGE_BURST`, `MESSAGE_RATE`);
- a session that keeps flooding (`FLOOD_DROPS` requests dropped) is cut: its script is stopped, its websocket
  closed, and the server log says so with the client's address. Nothing of it runs again.

The first page run of a fresh server installs the guard (app.py imports this module); a replica warmed by one
page load (the deployment's health check through a page, or the first officer) is protected from then on.
geo/ never imports Streamlit: this lives in views/.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

RERUN_BURST = 4         # rerun requests a session may send at once
RERUN_RATE = 2.0        # … and per second after that
MESSAGE_BURST = 200     # any other message (heartbeats, file URLs, component requests)
MESSAGE_RATE = 50.0
FLOOD_DROPS = 50        # requests dropped before the session is cut…
FLOOD_WINDOW = 10.0     # … with no pause of this many seconds between two drops

_installed = False
_install_lock = threading.Lock()


@dataclass
class Bucket:
    """A token bucket: `burst` tokens, refilled at `rate` per second."""

    burst: float
    rate: float
    tokens: float = -1.0
    stamp: float = field(default_factory=time.monotonic)

    def take(self, now: float) -> bool:
        """One token if there is one (refilled for the time elapsed since the last call)."""
        if self.tokens < 0:
            self.tokens = self.burst
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False

    def wait(self) -> float:
        """Seconds until the next token."""
        return max(0.0, (1.0 - self.tokens) / self.rate)


@dataclass
class Guard:
    """What one session has asked: its buckets, the rerun waiting its turn, how much was dropped."""

    reruns: Bucket = field(default_factory=lambda: Bucket(RERUN_BURST, RERUN_RATE))
    messages: Bucket = field(default_factory=lambda: Bucket(MESSAGE_BURST, MESSAGE_RATE))
    pending: Any = None            # the latest rerun request beyond the bucket (BackMsg)
    timer: asyncio.TimerHandle | None = None
    dropped: int = 0
    last_drop: float = 0.0
    cut: bool = False

    def drop(self, now: float) -> None:
        """Count one request dropped; a quiet spell (`FLOOD_WINDOW` s) forgives the earlier ones."""
        if now - self.last_drop > FLOOD_WINDOW:
            self.dropped = 0
        self.dropped += 1
        self.last_drop = now


class Flooding(Exception):
    """Raised on the event loop to end a flooding session's websocket."""


def _guard_of(session: Any) -> Guard:
    """The session's guard, kept on its AppSession (it goes away with the session)."""
    guard = getattr(session, "_tdj_guard", None)
    if guard is None:
        guard = Guard()
        session._tdj_guard = guard
    return guard


def _address(client: Any) -> str:
    """The client's address for the log (the proxy's, behind nginx: nginx's log has the officer's)."""
    try:
        return str(client.client_context.remote_ip or "?")
    except Exception:
        return "?"


def _cut(runtime: Any, session_id: str, session: Any, guard: Guard, client: Any) -> None:
    """Stop the flooding session's script and end its websocket (the endpoint disconnects the session)."""
    guard.cut = True
    guard.pending = None
    if guard.timer is not None:
        guard.timer.cancel()
        guard.timer = None
    try:
        session.request_script_stop()
    except Exception:  # the session may be shutting down already
        log.debug("arrêt du script impossible", exc_info=True)
    log.warning("Session %s coupée : trop de demandes sur son websocket (%d écartées ; adresse %s)",
                session_id, guard.dropped, _address(client))
    from starlette.websockets import WebSocketDisconnect

    # the endpoint's loop catches WebSocketDisconnect, disconnects the session and returns: the connection is
    # closed and whatever the client still had in flight is never read
    raise WebSocketDisconnect(code=1008, reason="trop de demandes")


def _deliver(runtime: Any, original: Any, session_id: str, client: Any) -> None:
    """Hand the coalesced rerun to Streamlit when the bucket allows (the session may be gone by then)."""
    info = runtime._session_mgr.get_active_session_info(session_id)
    if info is None:
        return
    guard = _guard_of(info.session)
    guard.timer = None
    if guard.cut or guard.pending is None:
        return
    if not guard.reruns.take(time.monotonic()):
        guard.timer = asyncio.get_running_loop().call_later(guard.reruns.wait(), _deliver, runtime, original,
                                                            session_id, client)
        return
    msg, guard.pending = guard.pending, None
    original(runtime, session_id, msg, client=client)


def _wrap(original: Any) -> Any:
    """Runtime.handle_backmsg, bounded per session."""

    def handle_backmsg(self: Any, session_id: str, msg: Any, *, client: Any = None) -> None:
        info = self._session_mgr.get_active_session_info(session_id)
        if info is None:
            return original(self, session_id, msg, client=client)
        guard = _guard_of(info.session)
        if guard.cut:
            return None
        now = time.monotonic()
        if msg.WhichOneof("type") != "rerun_script":
            if guard.messages.take(now):
                return original(self, session_id, msg, client=client)
            guard.drop(now)
        elif guard.reruns.take(now):
            guard.pending = None  # a newer request supersedes the one waiting
            return original(self, session_id, msg, client=client)
        else:
            if guard.pending is not None:
                guard.drop(now)
            guard.pending = msg
            if guard.timer is None:
                guard.timer = asyncio.get_running_loop().call_later(guard.reruns.wait(), _deliver, self, original,
                                                                    session_id, client)
        if guard.dropped >= FLOOD_DROPS:
            _cut(self, session_id, info.session, guard, client)
        return None

    handle_backmsg._tdj_guarded = True  # type: ignore[attr-defined]
    return handle_backmsg


def install() -> bool:
    """Wrap Streamlit's Runtime.handle_backmsg once per process (app.py calls this at every run: cheap)."""
    global _installed
    if _installed:
        return False
    with _install_lock:
        if _installed:
            return False
        from streamlit.runtime.runtime import Runtime

        if not getattr(Runtime.handle_backmsg, "_tdj_guarded", False):
            Runtime.handle_backmsg = _wrap(Runtime.handle_backmsg)
        _installed = True
        log.info("Garde du serveur en place : %d relances d'un coup puis %.0f par seconde et par session",
                 RERUN_BURST, RERUN_RATE)
        return True
