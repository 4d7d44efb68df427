"""Work done once for all sessions (issue 24, point 1): eight new sessions opening ?dep=62 at once on one replica
get the whole page, and its map is built once (the server log names each map it builds); a later session gets
the same page, its lists' tables replayed from the cache; a publication gives the store a new version, and the
next session gets a map built afresh, which shows the new list.

Lists here are SYNTHETIC, made for the test."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from browsing import empty_copy, running_app

from bench.wire import load
from geo import imports
from geo.io.readers import read_bytes
from geo.store import publish

pytestmark = pytest.mark.slow
LABEL = "Terre de Jeux 2024"
BUILT = "Carte partagée construite : geo.maps.departement_map.build ('62',"


def _commit(store: Path, version: int) -> None:
    raw = b"nom;code_insee\nArras;62041\nLens;62498\nLievin;62510\n"
    prepared = imports.prepare(read_bytes(raw, f"essai-synthetique-{version}.csv"), LABEL, raw=raw, store=store)
    prepared.note_completude = f"liste SYNTHÉTIQUE publication {version}"
    imports.commit(prepared, store, auteur="écrivain de test")


def _whole(run) -> bool:
    return (run.finished and not run.exceptions and any("Pas-de-Calais" in t for t in run.texts)
            and "component_instance" in run.widgets.values())


async def _together(url: str, n: int):
    return await asyncio.gather(*(load(url, "departement", f"dep=62&label={LABEL}", timeout=300)
                                  for _ in range(n)))


def test_one_map_for_many_sessions_and_a_new_one_after_a_publication(store, tmp_path):
    writer = empty_copy(store, tmp_path / "ecrivain.duckdb")
    published = tmp_path / "publie" / "territoires.duckdb"
    published.parent.mkdir()
    _commit(writer, 1)
    publish.publish(published, writer)
    log = tmp_path / "serveur.log"
    with running_app(published, {"TDJ_LECTURE_SEULE": "1"}, log=log) as url:
        runs = asyncio.run(_together(url, 8))
        assert all(_whole(r) for r in runs), [(r.exceptions, r.finished) for r in runs]
        assert log.read_text(encoding="utf-8").count(BUILT) == 1
        again = asyncio.run(load(url, "departement", f"dep=62&label={LABEL}"))
        assert _whole(again) and {again.elements} == {r.elements for r in runs}, again.elements
        assert log.read_text(encoding="utf-8").count(BUILT) == 1
        _commit(writer, 2)
        publish.publish(published, writer)
        after = asyncio.run(load(url, "departement", f"dep=62&label={LABEL}"))
        assert _whole(after) and after.says("publication 2"), after.texts[:5]
        assert log.read_text(encoding="utf-8").count(BUILT) == 2
