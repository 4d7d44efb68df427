"""Issue 23, point 6: what a reader sees when a page fails, run with Streamlit's AppTest over the real app.

An unexpected error shows a French message with a short reference and no server internals (no traceback, no
path); the same reference is in the server log, with the traceback. An unreadable store (zero bytes, garbage,
a truncated copy) says so in French and what to do, on the France page and a Département page. Streamlit's
own control flow (st.stop, st.rerun) still passes through."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest
from apptest import run_page
from streamlit.testing.v1 import AppTest

from geo.data import labels

REFERENCE = re.compile(r"réf\. ([0-9A-F]{6})")
INTERNALS = ("Traceback", "File \"", ".py", "/work/", "RuntimeError", "duckdb", "IOException", "site-packages")


def everything_shown(at: AppTest) -> str:
    """The text of every element and block of the page, main area and sidebar (their protobuf messages)."""
    texts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            texts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(texts)


def errors_said(at: AppTest) -> str:
    """What the page's error boxes say."""
    return "\n".join(e.value for e in at.error)


def assert_no_internals(at: AppTest) -> None:
    """No exception element, and no traceback text or server path anywhere on the page."""
    assert not at.exception, [e.value for e in at.exception]
    shown = everything_shown(at)
    for word in INTERNALS:
        assert word not in shown, f"« {word} » montré au lecteur"


def _fail(*args, **kwargs):
    raise RuntimeError("panne simulée dans /srv/secret/geo/data/labels.py")


def test_unexpected_error_shows_a_reference_and_logs_it(store_copy, monkeypatch, caplog):
    monkeypatch.setattr(labels, "territorial_labels", _fail)
    caplog.set_level(logging.ERROR)
    at = run_page(store_copy, monkeypatch, "france")
    said = errors_said(at)
    assert "Une erreur inattendue est survenue" in said and "Rechargez la page" in said
    reference = REFERENCE.search(said)
    assert reference, said
    assert_no_internals(at)
    logged = [r for r in caplog.records if reference.group(1) in r.getMessage()]
    assert logged, [r.getMessage() for r in caplog.records]
    assert logged[0].exc_info and "panne simulée" in str(logged[0].exc_info[1])


def test_two_errors_get_two_references(store_copy, monkeypatch):
    monkeypatch.setattr(labels, "territorial_labels", _fail)
    first = REFERENCE.search(errors_said(run_page(store_copy, monkeypatch, "france"))).group(1)
    second = REFERENCE.search(errors_said(run_page(store_copy, monkeypatch, "france"))).group(1)
    assert first != second


def _zero(store: Path, path: Path) -> None:
    path.write_bytes(b"")


def _garbage(store: Path, path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 400)


def _truncated(store: Path, path: Path) -> None:
    with open(store, "rb") as source:
        path.write_bytes(source.read(store.stat().st_size // 2))


@pytest.mark.parametrize("damage", [_zero, _garbage, _truncated], ids=["zero-octet", "octets-quelconques", "tronque"])
@pytest.mark.parametrize("page,params", [("france", {}), ("departement", {"dep": "62"})], ids=["france", "departement"])
def test_damaged_store_says_what_to_do(empty_store, tmp_path, monkeypatch, caplog, damage, page, params):
    path = tmp_path / "territoires.duckdb"
    damage(empty_store, path)
    caplog.set_level(logging.WARNING)
    at = run_page(path, monkeypatch, page, **params)
    said = errors_said(at)
    assert "Le magasin de données est illisible" in said, said
    assert "Restaurez la dernière copie publiée" in said and "reconstruisez-le" in said
    reference = REFERENCE.search(said)
    assert reference, said
    assert_no_internals(at)
    assert any(reference.group(1) in r.getMessage() for r in caplog.records)


def test_a_healthy_copy_of_the_store_is_not_damaged(empty_store, tmp_path, monkeypatch):
    path = tmp_path / "territoires.duckdb"
    shutil.copyfile(empty_store, path)
    at = run_page(path, monkeypatch, "france")
    assert not at.error, errors_said(at)


def test_st_stop_inside_a_page_is_not_an_error(store_copy, monkeypatch):
    import streamlit as st

    def stop():
        st.stop()

    monkeypatch.setattr(labels, "territorial_labels", stop)
    at = run_page(store_copy, monkeypatch, "france")
    assert not at.error, errors_said(at)


def test_st_rerun_inside_a_page_reruns_it(store_copy, monkeypatch):
    import streamlit as st

    calls = []

    def rerun_once():
        calls.append(1)
        if len(calls) == 1:
            st.rerun()
        return []

    monkeypatch.setattr(labels, "territorial_labels", rerun_once)
    at = run_page(store_copy, monkeypatch, "france")
    assert len(calls) == 2 and not at.error, errors_said(at)
    assert any("Aucune liste de territoires" in i.value for i in at.info)


def test_store_failing_in_the_middle_of_a_page_says_what_to_do(store_copy, monkeypatch, caplog):
    """A store damaged past its first blocks is opened, then fails at a later query: the same message."""
    import duckdb

    def unreadable():
        raise duckdb.IOException(f'IO Error: Could not read enough bytes from file "{store_copy}": attempted to read '
                                 "262144 bytes from location 63188992")

    monkeypatch.setattr(labels, "territorial_labels", unreadable)
    caplog.set_level(logging.WARNING)
    at = run_page(store_copy, monkeypatch, "france")
    said = errors_said(at)
    assert "Le magasin de données est illisible" in said, said
    assert_no_internals(at)
    assert any(REFERENCE.search(said).group(1) in r.getMessage() for r in caplog.records)
