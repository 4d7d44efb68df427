"""The read side of a national deployment: two app processes serve one published store file, read-only, while a
writer imports into its own store and publishes a new version atomically. Both keep answering every page load
(no error, always a whole version) and switch to the new version without a restart, never back."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from browsing import empty_copy, running_app
from scenarios import commit_publication

from bench.wire import load
from geo.store import publish

pytestmark = pytest.mark.slow
LABEL = "Terre de Jeux 2024"



def _version(texts: list[str]) -> int | None:
    """The latest publication a page says it shows (the caption lists the active imports)."""
    found = [v for v in (1, 2) if any(f"publication {v}" in t for t in texts)]
    return max(found) if found else None


def test_two_replicas_follow_a_publication(store, tmp_path):
    writer = empty_copy(store, tmp_path / "ecrivain.duckdb")
    published = tmp_path / "publie" / "territoires.duckdb"
    commit_publication(writer, 1)
    publish.publish(published, writer)
    env = {"TDJ_LECTURE_SEULE": "1"}
    with running_app(published, env) as first, running_app(published, env) as second:
        apps = {"premier": first, "second": second}
        seen: dict[str, list[int | None]] = {name: [] for name in apps}
        problems: list[str] = []
        published_event, stop = threading.Event(), threading.Event()

        def keep_loading(name: str) -> None:
            while not stop.is_set():
                try:
                    run = asyncio.run(load(apps[name], "france", timeout=60))
                except Exception as exc:  # a refused connection or a timeout is a failure of the read side
                    problems.append(f"{name}: {exc!r}")
                    continue
                if run.exceptions or not run.finished:
                    problems.append(f"{name}: {run.exceptions}")
                seen[name].append(_version(run.texts))
                if published_event.is_set() and seen[name][-1] == 2:
                    return

        threads = [threading.Thread(target=keep_loading, args=(name,)) for name in apps]
        for t in threads:
            t.start()
        try:
            deadline = time.monotonic() + 120
            while not all(len(v) >= 2 for v in seen.values()) and not problems and time.monotonic() < deadline:
                time.sleep(0.2)
            commit_publication(writer, 2)  # the writer imports into its own store while the replicas serve
            publish.publish(published, writer)
            published_event.set()
            for t in threads:
                t.join(timeout=120)
        finally:
            stop.set()
            for t in threads:
                t.join()
    assert not problems, problems
    for name, versions in seen.items():
        assert versions[0] == 1 and versions[-1] == 2, (name, versions)
        assert None not in versions, (name, versions)
        assert versions == sorted(versions), (name, versions)   # once switched, never back
    assert sorted(p.name for p in published.parent.iterdir()) == ["territoires.duckdb"]
