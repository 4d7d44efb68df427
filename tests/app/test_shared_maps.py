"""Work done once for all sessions (issue 24, point 1): eight new sessions opening ?dep=62 at once on one replica
get the whole page, and its map is built once (the server log names each map it builds); a later session gets
the same page, its lists' tables replayed from the cache; a publication gives the store a new version, and the
next session gets a map built afresh, which shows the new list.

Lists here are SYNTHETIC, made for the test."""

from __future__ import annotations

import asyncio

import pytest
from browsing import empty_copy, running_app
from scenarios import commit_publication

from bench.wire import load
from geo import imports
from geo.io.readers import read_bytes
from geo.store import publish

pytestmark = pytest.mark.slow
LABEL = "Terre de Jeux 2024"
BUILT = "Carte partagée construite : geo.maps.departement_map.build ('62',"



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
    commit_publication(writer, 1)
    publish.publish(published, writer)
    log = tmp_path / "serveur.log"
    with running_app(published, {"TDJ_LECTURE_SEULE": "1"}, log=log) as url:
        runs = asyncio.run(_together(url, 8))
        assert all(_whole(r) for r in runs), [(r.exceptions, r.finished) for r in runs]
        assert log.read_text(encoding="utf-8").count(BUILT) == 1
        again = asyncio.run(load(url, "departement", f"dep=62&label={LABEL}"))
        assert _whole(again) and {again.elements} == {r.elements for r in runs}, again.elements
        assert log.read_text(encoding="utf-8").count(BUILT) == 1
        commit_publication(writer, 2)
        publish.publish(published, writer)
        after = asyncio.run(load(url, "departement", f"dep=62&label={LABEL}"))
        assert _whole(after) and after.says("publication 2"), after.texts[:5]
        assert log.read_text(encoding="utf-8").count(BUILT) == 2


RANKED = "Classement partagé construit : france"


def _display(run) -> list[list[str]]:
    """The rows of the page's styled table (the ranking) as the browser draws them."""
    import pyarrow as pa

    shown = [t for t in run.tables if t]
    assert len(shown) == 1, len(shown)
    table = pa.ipc.open_stream(shown[0]).read_all()
    return [[str(v) for v in row.values()] for row in table.to_pylist()]


async def _france(url: str, n: int):
    return await asyncio.gather(*(load(url, "france", f"label={LABEL}", timeout=300) for _ in range(n)))


def test_the_france_ranking_is_formatted_once_for_all_sessions_and_again_after_a_publication(store, tmp_path):
    """Six sessions on France: one ranking built (a widget, so st.cache_data cannot share it), each session shown
    the same French figures; a publication builds it again, with the new list's count."""
    writer = empty_copy(store, tmp_path / "ecrivain.duckdb")
    published = tmp_path / "publie" / "territoires.duckdb"
    published.parent.mkdir()
    commit_publication(writer, 1)
    publish.publish(published, writer)
    log = tmp_path / "serveur.log"
    with running_app(published, {"TDJ_LECTURE_SEULE": "1"}, log=log) as url:
        runs = asyncio.run(_france(url, 6))
        assert all(r.finished and not r.exceptions for r in runs), [r.exceptions for r in runs]
        assert log.read_text(encoding="utf-8").count(RANKED) == 1
        first = _display(runs[0])
        assert all(_display(r) == first for r in runs)
        top = first[0]  # the 62, where the three towns are: the only département with communes covered
        assert top[:3] == ["Ouvrir ›", "62", "Pas-de-Calais"], top
        assert top[4].endswith(" %") and "," in top[4], top  # « 0,3 % », not 0.0033
        assert top[6] == "3", top  # Arras, Lens, Liévin: « Labellisées »
        raw = b"nom;code_insee\nCalais;62193\n"  # SYNTHETIC: a fourth town, in the next publication
        imports.commit(imports.prepare(read_bytes(raw, "essai-synthetique-calais.csv"), LABEL, raw=raw,
                                       store=writer), writer)
        publish.publish(published, writer)
        after = asyncio.run(load(url, "france", f"label={LABEL}"))
        assert after.finished and log.read_text(encoding="utf-8").count(RANKED) == 2
        assert _display(after)[0][6] == "4", _display(after)[0]
