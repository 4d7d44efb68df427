"""Dates as officers write them (issue 20, point 2): French dates in words and in numbers are read once
(geo.fr.read_date) with their precision, shown and exported as written (« janvier 2020 », « 2020 ») beside a
sortable ISO column; dates that would need a guess are refused for their row with a French message."""

from __future__ import annotations

import datetime as dt

import pytest

from geo import fr, imports
from geo.data import lists
from geo.io.readers import read_bytes

LABEL = "Terre de Jeux 2024"


@pytest.mark.parametrize(("text", "shown", "iso"), [
    ("20 novembre 2019", "20/11/2019", "2019-11-20"),
    ("1er mars 2020", "01/03/2020", "2020-03-01"),
    ("1ᵉʳ mars 2020", "01/03/2020", "2020-03-01"),
    ("le 20 nov. 2019", "20/11/2019", "2019-11-20"),
    ("mercredi 20 novembre 2019", "20/11/2019", "2019-11-20"),
    ("Espace labellisé le 01/02/2020", "01/02/2020", "2020-02-01"),
    ("20/11/2019", "20/11/2019", "2019-11-20"),
    ("20.11.2019", "20/11/2019", "2019-11-20"),
    ("2019-11-20 00:00:00", "20/11/2019", "2019-11-20"),
    ("janvier 2020", "janvier 2020", "2020-01"),
    ("en janvier 2020", "janvier 2020", "2020-01"),
    ("novembre 2019", "novembre 2019", "2019-11"),
    ("Févr. 2020", "février 2020", "2020-02"),
    ("nov. 2019", "novembre 2019", "2019-11"),
    ("11/2019", "novembre 2019", "2019-11"),
    ("2020-01", "janvier 2020", "2020-01"),
    ("2020", "2020", "2020"),
    (2020.0, "2020", "2020"),
])
def test_dates_in_words_and_numbers_keep_their_precision(text, shown, iso):
    written = fr.read_date(text)
    assert (written.text(), written.iso()) == (shown, iso)


@pytest.mark.parametrize(("text", "why"), [
    ("11/21/2019", "ordre américain"),
    ("31/02/2020", "n'existe pas"),
    ("29/02/2019", "n'existe pas"),
    ("2020-13-45", "n'existe pas"),
    ("00/00/0000", "n'existe pas"),
    ("du 01/02/2020 au 03/04/2020", "plusieurs dates"),
    ("bientôt", "pas une date lisible"),
    ("mars", "pas une date lisible"),
])
def test_dates_that_need_a_guess_are_refused_with_a_reason(text, why):
    with pytest.raises(fr.DateRefused, match=why):
        fr.read_date(text)


def test_empty_cells_are_no_date():
    assert fr.read_date("") is None and fr.read_date(None) is None and fr.read_date(float("nan")) is None


LIST = ("nom;departement;date\n"
        "Calais;62;20 novembre 2019\nArras;62;janvier 2020\nLens;62;2020\nLiévin;62;1er mars 2020\n"
        "Béthune;62;11/21/2019\nBoulogne-sur-Mer;62;29/02/2019\nSaint-Omer;62;09/03/2020\n").encode()


def test_an_import_keeps_dates_as_written_and_names_the_refused_rows(store_copy):
    prepared = imports.prepare(read_bytes(LIST, "dates.csv"), LABEL, raw=LIST, store=store_copy)
    dates = prepared.rows["date_label"]
    assert dates.loc[1] == dt.date(2019, 11, 20) and dates.loc[2] == dt.date(2020, 1, 1)
    assert dates.loc[3] == dt.date(2020, 1, 1) and dates.loc[4] == dt.date(2020, 3, 1)
    assert dates.loc[[5, 6]].isna().all()  # refused, kept undated
    said = "\n".join(prepared.messages)
    assert "« 11/21/2019 » : le mois 21 n'existe pas (ordre américain mois/jour ?)" in said and "ligne(s) 5" in said
    assert "« 29/02/2019 » : cette date n'existe pas : ligne(s) 6" in said
    imports.commit(prepared, store_copy)
    done = lists.labelled(LABEL, store=store_copy).set_index("nom_brut")
    assert done.loc["Calais", "date_texte"] == "20/11/2019"
    assert done.loc["Arras", "date_texte"] == "janvier 2020" and done.loc["Lens", "date_texte"] == "2020"
    exported = lists.for_export(done.reset_index(), "labellises").set_index("Nom dans la liste")
    assert exported.loc["Arras", "Date de labellisation"] == "janvier 2020"
    assert exported.loc["Arras", "Date (AAAA-MM-JJ)"] == "2020-01"
    assert exported.loc["Lens", "Date (AAAA-MM-JJ)"] == "2020"
    assert exported.loc["Saint-Omer", "Date (AAAA-MM-JJ)"] == "2020-03-09"
    assert exported.loc["Béthune", "Date de labellisation"] == ""
    ordered = exported["Date (AAAA-MM-JJ)"].replace("", None).dropna().sort_values().tolist()
    assert ordered == ["2019-11-20", "2020", "2020-01", "2020-03-01", "2020-03-09"]
