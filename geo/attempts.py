"""Guesses at the editors' password, limited for the whole server: per client address (after 5 wrong guesses,
a hold of 30 s, doubled at each further wrong guess up to 15 minutes) and overall (past 30 wrong guesses in a
minute from any addresses, every check is held for 60 s, doubled while guessing goes on, up to 15 minutes).
During a hold the password is not checked at all: a guesser costs no scrypt hash, so readers are not slowed.
Every refusal is logged with its address. Pure logic: views/access.py gives the address and shows the wait."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

LOCAL = "127.0.0.1/::1"   # Streamlit gives no address for a browser on the machine itself


@dataclass(frozen=True)
class Outcome:
    """What became of one attempt."""

    ok: bool              # checked, and right
    checked: bool = True  # False: held, the password was not even checked
    wait: int = 0         # seconds before this address may be checked again (0: now)


@dataclass
class _Address:
    failures: int = 0     # wrong guesses in a row (attempts being checked included)
    last: float = 0.0     # when the last of them started


class Limiter:
    """Counts wrong guesses; one per server (LIMITER), shared by every session under a lock. An attempt is
    counted as wrong the moment it starts and forgiven if the password proves right, so twenty sessions
    guessing at once from one address get no more than five hashes between them. `clock` is injectable."""

    def __init__(self, *, per_address: int = 5, first_wait: float = 30.0, max_wait: float = 900.0,
                 overall: int = 30, window: float = 60.0, overall_wait: float = 60.0,
                 forget_after: float = 86_400.0, max_addresses: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.per_address, self.first_wait, self.max_wait = per_address, first_wait, max_wait
        self.overall, self.window, self.overall_wait = overall, window, overall_wait
        self.forget_after, self.max_addresses, self.clock = forget_after, max_addresses, clock
        self._lock = threading.Lock()
        self._addresses: OrderedDict[str, _Address] = OrderedDict()  # least recently failed first
        self._recent: deque[float] = deque()   # start of each wrong guess (or guess being checked) of the window
        self._overall_until = 0.0              # every check held until then
        self._strikes = 0                      # overall holds in a row (each one doubles the next)

    # ---- under the lock ----
    def _held_until(self, key: str, now: float) -> float:
        until = self._overall_until
        while self._recent and self._recent[0] <= now - self.window:
            self._recent.popleft()
        if len(self._recent) >= self.overall:  # as many guesses in flight or failed as the cap: wait for the oldest
            until = max(until, self._recent[0] + self.window)
        entry = self._addresses.get(key)
        if entry is not None and now - entry.last > self.forget_after:
            del self._addresses[key]
        elif entry is not None and entry.failures >= self.per_address:
            backoff = self.first_wait * 2 ** min(entry.failures - self.per_address, 32)
            until = max(until, entry.last + min(backoff, self.max_wait))
        return until

    def _wait(self, key: str, now: float) -> int:
        return max(0, math.ceil(self._held_until(key, now) - now))

    # ---- the API ----
    def wait(self, address: str | None) -> int:
        """Seconds before a guess from this address will be checked (0: now)."""
        with self._lock:
            return self._wait(address or LOCAL, self.clock())

    def check(self, address: str | None, verify: Callable[[], bool], who: str = "") -> Outcome:
        """Call `verify` (the costly password check) unless this address or the server is on hold; count, forgive
        and log accordingly. `who` is the name typed with the password, for the log."""
        key, who = address or LOCAL, _printable(who)
        with self._lock:
            now = self.clock()
            wait = self._wait(key, now)
            if not wait:  # counted as wrong from now on: concurrent guesses see it
                entry = self._addresses.pop(key, None) or _Address()
                entry.failures, entry.last = entry.failures + 1, now
                self._addresses[key] = entry
                while len(self._addresses) > self.max_addresses:
                    self._addresses.popitem(last=False)
                self._recent.append(now)
        if wait:
            log.warning("connexion éditeur refusée sans vérification (trop d'essais) depuis %s%s : réessayer dans "
                        "%d s", key, who, wait)
            return Outcome(ok=False, checked=False, wait=wait)
        ok = False
        try:
            ok = bool(verify())
        finally:
            with self._lock:
                if ok:
                    self._forgive(key, now)
                else:
                    failures = self._addresses[key].failures if key in self._addresses else 1
                    self._overall_hold(now)
                    wait = self._wait(key, self.clock())
        if ok:
            log.info("mot de passe éditeur accepté depuis %s%s", key, who)
            return Outcome(ok=True)
        log.warning("connexion éditeur refusée (mot de passe incorrect) depuis %s%s : %d échec(s) de suite%s",
                    key, who, failures, f", essais suspendus {wait} s" if wait else "")
        return Outcome(ok=False, wait=wait)

    def _forgive(self, key: str, started: float) -> None:
        self._addresses.pop(key, None)
        try:
            self._recent.remove(started)
        except ValueError:  # already out of the window
            pass

    def _overall_hold(self, now: float) -> None:
        """Past the overall cap, hold every check; the hold doubles while guessing goes on after it."""
        recent = sum(1 for t in self._recent if t > now - self.window)
        if recent < self.overall or now < self._overall_until:
            return
        if now > self._overall_until + self.max_wait:  # quiet for a while since the last hold: start again
            self._strikes = 0
        hold = min(self.overall_wait * 2 ** min(self._strikes, 32), self.max_wait)
        self._strikes += 1
        self._overall_until = now + hold
        self._recent.clear()
        log.warning("trop de mots de passe éditeur incorrects sur le serveur (%d en %d s, toutes adresses) : "
                    "aucune vérification pendant %d s", recent, self.window, hold)

    def tracked(self) -> int:
        """How many addresses are remembered (bounded by max_addresses)."""
        with self._lock:
            return len(self._addresses)

    def clear(self) -> None:
        with self._lock:
            self._addresses.clear()
            self._recent.clear()
            self._overall_until, self._strikes = 0.0, 0


def _printable(who: str) -> str:
    """The typed name as one printable line, for the log (a name cannot forge a log line)."""
    name = "".join(c for c in " ".join(str(who).split()) if c.isprintable())[:80]
    return f" (« {name} »)" if name else ""


LIMITER = Limiter()   # the server's: every session of this process shares it
