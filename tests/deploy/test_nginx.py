"""The national deployment for real (issue 24, point 3): Debian's nginx, run without root from a folder in tmp, with
the configuration `python -m deploy.nginx` writes (the README's), in front of two read-only replicas on loopback.
Pages load through it in Chromium (websocket upgraded), each browser keeps its replica (affinity cookie), the
vendor files are cached by the browser, an upload over the app's limit is refused by nginx; a new store is
published and both replicas serve it; one replica stops and a reload lands on the other.

Lists here are SYNTHETIC, made for the test."""

from __future__ import annotations

import http.client
from contextlib import ExitStack
from pathlib import Path

import pytest
from browsing import Watch, empty_copy, free_port, open_page, running_app
from scenarios import commit_publication

from deploy import nginx
from geo.store import publish

pytestmark = [pytest.mark.browser, pytest.mark.slow]
LABEL = "Terre de Jeux 2024"
COOKIE = "tdj_replique"



def _replica(log: Path, affinity: str) -> str:
    """The replica that answered the last page request (/france) of the browser with this affinity."""
    answered = [r for r in nginx.requests(log) if r["affinite"] == affinity and r["path"] == "/france"]
    assert answered, f"aucune page /france servie pour l'affinité {affinity}"
    return answered[-1]["upstream"].split(", ")[-1]  # a replica passed over is listed first


def _new_websockets_until_refused(url: str, most: int) -> int:
    """Open new sessions' websockets from one address, one after another, each closed at once; how many nginx let
    through before its first refusal (429), or `most` if it never refused."""
    host, port = url.removeprefix("http://").split(":")
    for n in range(most):
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        conn.request("GET", "/_stcore/stream", headers={
            "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Protocol": "streamlit"})
        status = conn.getresponse().status
        conn.close()
        if status == 429:
            return n
        assert status == 101, status
    return most


def _shows(page, url: str, publication: int) -> None:
    """The France page through nginx, drawn, naming the given publication among its loaded lists."""
    open_page(page, f"{url}/france")
    # the loaded lists may sit in a folded « Sources » box: their text is on the page, drawn or not
    page.wait_for_function("n => document.querySelector(\"[data-testid='stMain']\").textContent.includes(n)",
                           arg=f"publication {publication}", timeout=60000)


def test_nginx_in_front_of_two_replicas(store, browser, tmp_path):
    if nginx.nginx_binary() is None:
        pytest.skip("nginx absent : « make nginx » l'installe (paquet Debian)")
    writer = empty_copy(store, tmp_path / "ecrivain.duckdb")
    published = tmp_path / "publie" / "territoires.duckdb"
    published.parent.mkdir()
    commit_publication(writer, 1)
    publish.publish(published, writer)
    env = {"TDJ_LECTURE_SEULE": "1"}
    ports = [free_port(), free_port()]
    replicas = [f"127.0.0.1:{p}" for p in ports]
    prefix = tmp_path / "nginx"
    with ExitStack() as everything:
        stops = []
        for port in ports:
            one = ExitStack()
            one.enter_context(running_app(published, env, port=port))
            stops.append(one)
            everything.callback(one.close)
        url = everything.enter_context(nginx.running(prefix, free_port(), replicas))
        log = prefix / "access.log"

        # a first visit gets its affinity from nginx, and keeps it
        fresh = browser.new_context(viewport={"width": 1400, "height": 1000})
        everything.callback(fresh.close)
        page = fresh.new_page()
        watch = Watch(page)
        _shows(page, url, 1)
        given = {c["name"]: c["value"] for c in fresh.cookies()}
        assert COOKIE in given, fresh.cookies()
        first_replica = _replica(log, given[COOKIE])
        page.reload()
        _shows(page, url, 1)
        assert _replica(log, given[COOKIE]) == first_replica
        watch.check()

        # the vendor files (Leaflet) are cached by the browser; Streamlit's own answer carried no such header
        vendor = page.request.get(f"{url}/app/static/vendor/leaflet/leaflet.js")
        assert vendor.ok and "max-age=" in vendor.headers.get("cache-control", ""), vendor.headers

        # an upload larger than the app's limit is refused by nginx itself, before any replica reads it
        host, port = url.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        conn.putrequest("PUT", "/_stcore/upload_file/session/fichier")
        conn.putheader("Content-Length", str((nginx.upload_limit_mb() + 1) * 2**20))
        conn.endheaders()
        assert conn.getresponse().status == 413
        conn.close()
        assert f"client_max_body_size {nginx.upload_limit_mb()}m;" in (prefix / "terres-de-jeux.conf").read_text()

        # one browser on each replica (affinity values chosen until both are reached)
        pinned: dict[str, object] = {}
        for n in range(40):
            if len(pinned) == 2:
                break
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            everything.callback(context.close)
            context.add_cookies([{"name": COOKIE, "value": f"agent-{n}", "url": url}])
            tab = context.new_page()
            _shows(tab, url, 1)
            pinned.setdefault(_replica(log, f"agent-{n}"), (f"agent-{n}", tab))
        assert set(pinned) == set(replicas), pinned

        # a new store is published: both replicas serve it, without a restart
        commit_publication(writer, 2)
        publish.publish(published, writer)
        for replica, (affinity, tab) in pinned.items():
            _shows(tab, url, 2)
            assert _replica(log, affinity) == replica

        # the first replica stops: a reload of its browser lands on the other one
        stopped = replicas[0]
        stops[0].close()
        affinity, tab = pinned[stopped]
        _shows(tab, url, 2)
        assert _replica(log, affinity) == replicas[1]
        assert not tab.locator("[data-testid='stException']").count()

        # one address opening new sessions without end is refused by nginx (limit_req, 429) past its burst
        allowed = _new_websockets_until_refused(url, 400)
        assert 50 <= allowed < 400, allowed
