"""Issue 23, point 8: impossible coordinates in a list of sites (CPJ) get a short note on their row, the same for
the latitude and the longitude; the site is then placed by its address when it has one."""

from __future__ import annotations

import re

import pytest

from geo import imports
from geo.io.readers import read_bytes

LABEL = "CPJ (coordonnées)"
NUMBER = re.compile(r"[-+]?[\d.,]*\d[\d.,]*(?:e[-+]?\d+)?", re.IGNORECASE)


def notes_of(raw: bytes, store) -> dict[int, str]:
    """The note (remarque) of each row of a list of sites, by row number."""
    prepared = imports.prepare(read_bytes(raw, "cpj.csv"), LABEL, sites=True, raw=raw, store=store)
    return prepared.rows["remarque"].to_dict()


def longest_number(text: str) -> int:
    """The length of the longest number written in a text."""
    return max((len(m) for m in NUMBER.findall(text)), default=0)


@pytest.fixture(scope="module")
def notes(store):
    raw = (b"nom;ville;latitude;longitude\n"
           b"Stade immense;Calais;1e308;1e308\n"
           b"Stade sans latitude;Calais;nan;1.86\n"
           b"Stade sans longitude;Calais;50.95;nan\n"
           b"Stade infini;Calais;inf;-inf\n"
           b"Stade hors du globe;Calais;95;200\n"
           b"Stade du Souvenir;;50.95;1.86\n")
    return notes_of(raw, store)


def test_huge_coordinates_are_written_short(notes):
    note = notes[1]
    assert "latitude" in note and "longitude" in note and "ignorées" in note, note
    assert longest_number(note) <= 20, note


def test_nan_latitude_is_noted_like_nan_longitude(notes):
    assert notes[2].startswith("latitude") and "coordonnées ignorées" in notes[2], notes[2]
    assert notes[3].startswith("longitude") and "coordonnées ignorées" in notes[3], notes[3]


@pytest.mark.parametrize("row", [4, 5])
def test_infinite_or_out_of_range_coordinates_are_noted(notes, row):
    assert "latitude" in notes[row] and "longitude" in notes[row] and "ignorées" in notes[row], notes[row]
    assert longest_number(notes[row]) <= 20


def test_impossible_coordinates_fall_back_on_the_address(store):
    raw = b"nom;ville;latitude;longitude\nStade immense;Calais;1e308;1e308\n"
    prepared = imports.prepare(read_bytes(raw, "cpj.csv"), LABEL, sites=True, raw=raw, store=store)
    assert prepared.rows.loc[1, "commune"] == "62193"


def test_good_coordinates_get_no_note(notes):
    assert notes[6] == "", notes[6]


def test_huge_values_in_a_coordinates_column_are_written_short(store):
    raw = b"nom;ville;geo_point_2d\nStade immense;Calais;\"1e308, 1e308\"\n"
    note = notes_of(raw, store)[1]
    assert "latitude" in note and "ignorées" in note and longest_number(note) <= 20, note
