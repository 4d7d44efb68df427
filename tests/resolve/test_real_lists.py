"""Real lists as people print them (press, prefecture, CDOS pages), with truth codes checked by hand:
the shared sets (read in place) and lists collected for this project (tests/data/real_lists, see its
PROVENANCE.md). Precision ≥ 99.5 % and recall ≥ 95 % of the rows whose truth is decidable, whatever the
layout: the page's context in a département column, as printed or reduced to a name; or pasted as
heading rows above the names."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from geo.io.columns import Columns
from geo.resolve import RESOLVED, resolve_frame

HERE = Path(__file__).parents[1]  # tests/
OWN = HERE / "data" / "real_lists" / "terre-de-jeux-autres-sources.csv"
SHARED_FILES = ("terre-de-jeux-presse-2019-2023.csv", "terre-de-jeux-departements-2019-2020.csv")
DECIDABLE = ("commune", "epci", "departement", "region")


def read_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def shared_rows(shared) -> list[dict]:
    return [r for name in SHARED_FILES for r in read_rows(shared / "data" / "real-lists" / name)]


def score(out: pd.DataFrame, truth: list[dict], title: str) -> tuple[float, float]:
    ok = wrong = n = 0
    misses = []
    for (_, got), t in zip(out.iterrows(), truth, strict=True):
        if t["truth_level"] not in DECIDABLE:
            assert not (got["statut"] in RESOLVED and got["code"] and t["truth_level"] == "undecidable"), \
                f"undecidable row resolved: {t['name_as_printed']} -> {got['code']}"
            continue
        n += 1
        if got["statut"] in RESOLVED and got["code"]:
            if got["code"] == t["truth_code"]:
                ok += 1
            else:
                wrong += 1
                misses.append(f"FAUX {t['name_as_printed']!r} ({t['context']!r}) -> {got['code']} ≠ {t['truth_code']}")
        else:
            misses.append(f"manqué {t['name_as_printed']!r} ({t['context']!r}) : {got['statut']}")
    precision, recall = ok / max(1, ok + wrong), ok / max(1, n)
    print(f"\n{title}: précision {precision:.1%}, rappel {recall:.1%} ({ok} justes, {wrong} faux, {n} lignes)")
    for m in misses:
        print("  " + m)
    return precision, recall


def as_column(rows: list[dict], context) -> pd.DataFrame:
    return pd.DataFrame({"nom": [r["name_as_printed"] for r in rows],
                         "departement": [context(r["context"]) for r in rows]})


def reduced(context: str) -> str:
    """The context as a person would type it in a département column: "(64)" -> "64", a heading that
    names no département -> empty."""
    m = re.fullmatch(r"\((.+)\)", context)
    if m:
        return m.group(1)
    return "" if "épartements" in context else context


def pasted(rows: list[dict]) -> tuple[pd.DataFrame, list[dict | None]]:
    """One column, as pasted from the page: each heading once, above its names."""
    names, truth, last = [], [], None
    for r in rows:
        if r["context"] and not r["context"].startswith("(") and r["context"] != last:
            names.append(r["context"] + " :")
            truth.append(None)
        last = r["context"]
        name = r["name_as_printed"]
        if r["context"].startswith("(") and not name.endswith(r["context"]):
            name = f"{name} {r['context']}"
        names.append(name)
        truth.append(r)
    return pd.DataFrame({"nom": names}), truth


@pytest.mark.parametrize("layout", ["context as printed", "context reduced"])
def test_shared_real_lists(store, shared_rows, layout):
    df = as_column(shared_rows, (lambda c: c) if layout == "context as printed" else reduced)
    out = resolve_frame(df, Columns(nom="nom", departement="departement"), store=store)
    precision, recall = score(out, shared_rows, f"listes réelles partagées, {layout}")
    assert precision >= 0.995 and recall >= 0.95


def test_shared_real_lists_pasted_with_headings(store, shared_rows):
    df, truth = pasted(shared_rows)
    out = resolve_frame(df, Columns(nom="nom"), store=store)
    headings = out[[t is None for t in truth]]
    assert (headings["statut"] == "entete").all(), headings
    body = out[[t is not None for t in truth]]
    precision, recall = score(body, [t for t in truth if t is not None],
                              "listes réelles partagées, collées avec titres")
    assert precision >= 0.995 and recall >= 0.95


def test_lists_collected_for_this_project(store):
    rows = read_rows(OWN)
    assert len(rows) >= 200
    out = resolve_frame(as_column(rows, lambda c: c), Columns(nom="nom", departement="departement"), store=store)
    precision, recall = score(out, rows, "listes réelles d'autres sources (tests/data/real_lists)")
    assert precision >= 0.995 and recall >= 0.95
