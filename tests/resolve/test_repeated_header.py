"""A repeated header row is a heading, never a territory (issue 20, point 6): « Commune;Département » written
again mid-file resolved to the EPT Plaine Commune (approx, score 100) and counted as usable."""

from __future__ import annotations

from geo import imports
from geo.io.readers import read_bytes


def test_the_header_written_again_is_never_a_territory(store_copy):
    data = ("Commune;Département\nCalais;62\nArras;62\nCommune;Département\nLens;62\nCOMMUNE;\nLiévin;62\n"
            "Nom;Dep\nBéthune;62\n").encode()
    prepared = imports.prepare(read_bytes(data, "pdc.csv"), "Terre de Jeux 2024", raw=data, store=store_copy)
    rows = prepared.rows
    assert rows.loc[[3, 5, 7], "statut"].tolist() == ["entete"] * 3
    assert (rows.loc[[3, 5, 7], "code"] == "").all()
    assert rows.loc[3, "remarque"] == "en-tête répété (« Commune ; Département ») : ligne non importée"
    assert set(rows.loc[[1, 2, 4, 6, 8], "code"]) == {"62193", "62041", "62498", "62510", "62119"}
    assert "200057867" not in set(rows["code"])  # the EPT Plaine Commune


def test_a_commune_whose_name_holds_a_header_word_is_kept(store_copy):
    data = "Commune;Département\nCommunes;\nVilles-sur-Auzon;84\nRégion;\nSaint-Nom-la-Bretèche;78\n".encode()
    prepared = imports.prepare(read_bytes(data, "x.csv"), "Terre de Jeux 2024", raw=data, store=store_copy)
    rows = prepared.rows
    assert rows.loc[[1, 3], "statut"].tolist() == ["entete", "entete"]
    assert rows.loc[[2, 4], "code"].tolist() == ["84148", "78571"]
