"""One date must not take the pages down (issue 20, point 3): « 31/12/9999 » or « 0001-01-01 » in a list is
refused for its row at import (the row is kept, undated, and a French message names it), and a store that
already holds such dates (saved before the window existed, or written by another tool) still serves every page,
the month chart, the lists and the deck."""

from __future__ import annotations

import datetime as dt

import pytest
from apptest import run_page

from geo import fr, imports
from geo.data import labels, lists, provenance, timeline
from geo.io.readers import read_bytes
from geo.slides import deck
from geo.store import transaction

LABEL = "Terre de Jeux 2024"
LIST = ("nom;departement;date\nCalais;62;31/12/9999\nArras;62;0001-01-01\nLens;62;31/02/2020\n"
        "Liévin;62;20/11/2019\nPas-de-Calais;62;09/03/2020\n").encode()


def test_dates_out_of_the_window_are_refused_per_row_and_the_rows_kept(store_copy):
    prepared = imports.prepare(read_bytes(LIST, "dates.csv"), LABEL, raw=LIST, store=store_copy)
    dates = prepared.rows["date_label"]
    assert dates.loc[4] == dt.date(2019, 11, 20) and dates.loc[5] == dt.date(2020, 3, 9)
    assert dates.loc[[1, 2, 3]].isna().all()  # kept, undated (data rows counted from 1)
    assert set(prepared.rows.loc[[1, 2, 3], "statut"]) <= {"exact", "normalise"}
    said = "\n".join(prepared.messages)
    assert "Date refusée, hors de la période acceptée (01/01/2015 – 31/12/" in said
    assert "ligne(s) 1 (« 31/12/9999 »), 2 (« 0001-01-01 »), gardée(s) sans date" in said
    assert "Date refusée, « 31/02/2020 » : cette date n'existe pas : ligne(s) 3, gardée(s) sans date." in said


def test_the_window_is_a_setting(monkeypatch):
    monkeypatch.setenv("TDJ_DATE_MIN", "2019-01-01")
    monkeypatch.setenv("TDJ_DATE_MAX", "2024-12-31")
    assert fr.date_window() == (dt.date(2019, 1, 1), dt.date(2024, 12, 31))
    monkeypatch.delenv("TDJ_DATE_MAX")
    assert fr.date_window(dt.date(2026, 5, 1))[1] == dt.date(2027, 12, 31)


@pytest.fixture
def extreme_store(store_copy):
    """A store whose rows hold the extreme dates, as one saved before imports refused them would."""
    prepared = imports.prepare(read_bytes(LIST, "dates.csv"), LABEL, raw=LIST, store=store_copy)
    import_id = imports.commit(prepared, store_copy)
    with transaction(store_copy) as con:
        con.execute("UPDATE entites SET date_label = DATE '9999-12-31' WHERE import_id = ? AND ligne = 1", [import_id])
        con.execute("UPDATE entites SET date_label = DATE '0001-01-01' WHERE import_id = ? AND ligne = 2", [import_id])
        con.execute("UPDATE imports SET date_liste = DATE '9999-12-31' WHERE id = ?", [import_id])
    return store_copy


def test_the_read_side_stands_extreme_stored_dates(extreme_store):
    today = dt.date(2026, 12, 4)
    assert timeline.chart_end(LABEL, today, extreme_store) <= today
    ents = labels.entities(LABEL, extreme_store).set_index("nom_brut")
    assert ents.loc[["Calais", "Arras"], "date_label"].isna().all()  # read as undated
    assert ents.loc["Liévin", "date_label"] is not None
    table = lists.labelled(LABEL, ["62"], store=extreme_store)
    assert len(table) and "9999" not in table.to_csv() and "0001" not in table.to_csv()
    dates = labels.list_dates(LABEL, extreme_store)
    assert dates["date_liste"].isna().all() and dates["derniere"].notna().all()
    assert timeline.months(LABEL, extreme_store) and len(timeline.history(LABEL, store=extreme_store))
    assert "9999" not in provenance.list_dates(LABEL, extreme_store)
    content = deck.content(LABEL, deck.scope("departement", "62", extreme_store), extreme_store, today=today)
    assert content.title


@pytest.mark.slow
@pytest.mark.parametrize("page,params", [("france", {}), ("departement", {"dep": "62"}), ("region", {"reg": "32"}),
                                         ("listes", {}), ("presentation", {"dep": "62"})])
def test_every_page_stays_up_with_extreme_stored_dates(extreme_store, monkeypatch, page, params):
    run_page(extreme_store, monkeypatch, page, **params)
