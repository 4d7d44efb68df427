"""A reader replaying an editor's requests over Streamlit's own websocket protocol (bench/wire.py speaks it as
the browser does) reaches no write path: the Importer page is not routed for it, the official update it asks
for never starts (the local portal is never called), and the store is unchanged. The same message from an
editor's session does write, so the replay is a real one."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from browsing import empty_copy, running_app
from portal import serving

from bench.wire import Session, text, trigger
from geo import access
from geo.store import reader

PASSWORD = "mot de passe de test (synthétique)"
pytestmark = pytest.mark.slow


def _authors(store: Path) -> list[str]:
    """The imports' authors, through geo's reader (it follows the file each write publishes)."""
    return [r[0] for r in reader(store).execute("SELECT auteur FROM imports ORDER BY id").fetchall()]


def _count(store: Path) -> int:
    return len(_authors(store))


async def _scenario(url: str, portal: str, requests: list[str], store: Path) -> None:
    async with Session(url) as editor:
        first = await editor.run("france")
        assert not first.exceptions
        signed = await editor.run("france", widgets=[
            text(first.widget("acces.nom"), "Marie Dupont"), text(first.widget("acces.mdp"), PASSWORD),
            trigger(first.widget("acces.entrer"))])
        assert signed.says("Éditeur : Marie Dupont"), signed.texts
        page = await editor.run("importer")
        assert not page.exceptions
        portal_field, update_button = page.widget("portail"), page.widget("maj_officielle")
        assert portal_field and update_button
        click = [text(portal_field, f"{portal}/v1"), trigger(update_button)]

        async with Session(url) as reader:
            opened = await reader.run("france")
            replay = await reader.run("importer", widgets=click)
            assert not replay.exceptions
            assert replay.says("Réservé aux éditeurs") and replay.says("réservés aux éditeurs"), replay.texts
            assert not replay.widget("maj_officielle") and not replay.widget("portail")
            # a reader sending the sign-in form with a wrong password stays a reader
            wrong = await reader.run("france", widgets=[
                text(opened.widget("acces.nom"), "Intrus"), text(opened.widget("acces.mdp"), "devine"),
                trigger(opened.widget("acces.entrer"))])
            assert wrong.says("Mot de passe éditeur incorrect.")
            again = await reader.run("importer", widgets=click)
            assert again.says("Réservé aux éditeurs") and not again.widget("maj_officielle")
        assert requests == [] and _count(store) == 0

        done = await editor.run("importer", widgets=click)  # the very same message, from the editor
        assert not done.exceptions and requests, done.texts
        assert _count(store) == 2, done.texts[-5:]


def _in_own_thread(coroutine) -> None:
    """Run a coroutine on a fresh event loop (Playwright's sync API may hold one on this thread)."""
    failure: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coroutine)
        except BaseException as exc:  # re-raised below, on the test's thread
            failure.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def test_a_reader_replaying_an_editor_click_writes_nothing(store, tmp_path):
    path = empty_copy(store, tmp_path / "territoires.duckdb")
    env = {"TDJ_MOT_DE_PASSE_EDITEUR": access.hash_password(PASSWORD), "TDJ_ADRESSES_AUTORISEES": "127.0.0.1"}
    with serving() as (portal, requests), running_app(path, env) as url:
        _in_own_thread(_scenario(url, portal, requests, path))
    assert _authors(path) == ["Marie Dupont (mot de passe éditeur)"] * 2
