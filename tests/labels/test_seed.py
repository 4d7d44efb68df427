"""The real lists shipped in data/labels: seeded through the normal import, with their source and
completeness; the départements of the first three waves resolve 76/76 and carry their date."""

import pandas as pd
import pytest

from geo import imports
from geo.data import coverage, labels
from geo.imports.seed import SHIPPED, seed
from geo.io.readers import read_table
from geo.paths import DATA_DIR

LABEL = "Terre de Jeux 2024"
DEPARTEMENTS = DATA_DIR / "labels" / "terre-de-jeux-departements-2019-2020.csv"


def test_shipped_departements_keep_their_sources_per_row():
    table = read_table(DEPARTEMENTS).data
    assert len(table) == 76
    assert table["date_labellisation"].value_counts().to_dict() == {"2020-01": 35, "2019-11-21": 24,
                                                                    "2020-03-09": 17}
    assert table["source"].str.startswith("https://").all()
    assert {"Seine-et- Marne", "Côte d’Or", "les Hauts-de-Seine"} <= set(table["nom"])  # as printed


def test_seed_resolves_76_of_76_with_source_and_note(store_copy):
    seed(store_copy)
    listed = imports.list_imports(store_copy).set_index("fichier")
    deps = listed.loc[DEPARTEMENTS.name]
    assert deps["lignes"] == 76 and deps["source"] and "presse" in deps["source"]
    assert deps["note_completude"] == ("76 départements labellisés jusqu'au 2020-03-09, d'après la presse ; "
                                       "liste nationale non chargée")
    ents = labels.entities(LABEL, store_copy)
    held = ents[ents["niveau"] == "departement"]
    assert held["code"].nunique() == 76 and len(held) == 76
    assert labels.entities(LABEL, store_copy, include_review=True).query("niveau == 'departement'").shape[0] == 76
    assert coverage.france(LABEL, store_copy)["departements_labellises"] == 76
    assert all(s.note_completude and s.source for s in SHIPPED)
    assert seed(store_copy) == [f"{s.path.name} : déjà importé." for s in SHIPPED]  # once only


def test_seeded_codes_are_the_hand_checked_ones(store_copy, shared):
    truth = pd.read_csv(shared / "data" / "real-lists" / "terre-de-jeux-departements-2019-2020.csv", dtype=str)
    seed(store_copy)
    ents = labels.entities(LABEL, store_copy)
    got = ents[ents["niveau"] == "departement"].sort_values("ligne")["code"].tolist()
    assert got == truth["truth_code"].tolist()


@pytest.mark.slow
def test_departement_labelled_since_its_wave(store_copy):
    seed(store_copy)
    pdc = labels.departement_status(LABEL, "62", store_copy)
    assert str(pdc["date"]) == "2019-11-21" and pdc["date_texte"] == "21/11/2019"
    assert pdc["source"] == "https://sportmag.fr/24-departements-labellises-terre-de-jeux-2024/amp"
    vdm = labels.departement_status(LABEL, "94", store_copy)
    assert vdm["date_texte"] == "janvier 2020"  # the source gives only the month
    assert vdm["source"] == "https://francsjeux.com/breves/la-france-coupee-en-deux"
    assert labels.departement_status(LABEL, "75", store_copy) is None  # Paris is not in the three waves
    assert coverage.by_departement(LABEL, store_copy).set_index("code").loc["94", "departement_labellise"]


@pytest.mark.slow
def test_loaded_says_what_is_there(store_copy):
    assert labels.loaded(LABEL, store_copy).empty
    seed(store_copy)
    shown = labels.loaded(LABEL, store_copy)
    assert len(shown) == 2 and shown["note_completude"].str.len().gt(20).all()


@pytest.mark.slow
def test_lists_keep_the_date_as_precise_as_the_source(store_copy):
    from geo.data import lists

    seed(store_copy)
    done = lists.for_export(lists.labelled(LABEL, ["94", "62"], store=store_copy), "labellises")
    dates = dict(zip(done["Code officiel"], done["Date de labellisation"], strict=True))
    assert dates["94"] == "janvier 2020" and dates["62"] == "21/11/2019" and dates["62643"] == "20/11/2019"


def test_an_older_store_gains_source_and_note(tmp_path):
    import duckdb

    from geo.store.schema import create_user_tables

    con = duckdb.connect(str(tmp_path / "ancien.duckdb"))
    con.execute("CREATE TABLE imports (id INTEGER PRIMARY KEY, label_id INTEGER NOT NULL, genre VARCHAR NOT NULL, "
                "fichier VARCHAR, sha256 VARCHAR, importe_le TIMESTAMP, lignes INTEGER, statuts VARCHAR, "
                "options VARCHAR, retire_le TIMESTAMP)")
    con.execute("INSERT INTO imports (id, label_id, genre, fichier) VALUES (1, 1, 'entites', 'ancien.csv')")
    create_user_tables(con)
    cols = [r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'imports' "
                                      "ORDER BY column_index").fetchall()]
    assert cols[-5:] == ["source", "note_completude", "date_liste", "auteur", "retire_par"]
    assert con.execute("SELECT fichier, source FROM imports").fetchall() == [("ancien.csv", None)]


@pytest.mark.slow
def test_seed_describes_shipped_lists_imported_before_sources_existed(store_copy):
    pdc = next(s for s in SHIPPED if "pas-de-calais" in s.path.name)
    prepared = imports.prepare(read_table(pdc.path), LABEL, raw=pdc.path.read_bytes(), store=store_copy)
    imports.commit(prepared, store_copy)
    assert imports.list_imports(store_copy)["source"].isna().all()
    seed(store_copy)
    listed = imports.list_imports(store_copy).set_index("fichier")
    assert listed.loc[pdc.path.name, "note_completude"] == pdc.note_completude
    assert len(listed) == len(SHIPPED)  # described, not imported twice (one import per shipped list)
