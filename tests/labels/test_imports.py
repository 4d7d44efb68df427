"""Imports: kept, listed, compared, withdrawn; coverage follows exactly."""

import pandas as pd
import pytest

from geo import imports
from geo.data import coverage, labels
from geo.imports.seed import SHIPPED, seed
from geo.io.readers import read_bytes, read_table

LABEL = "Terre de Jeux 2024 (test)"


def import_csv(text: str, store, name="liste.csv", label=LABEL) -> int:
    raw = text.encode()
    return imports.commit(imports.prepare(read_bytes(raw, name), label, raw=raw, store=store), store)


@pytest.mark.slow
def test_withdraw_restores_previous_coverage_exactly(store_copy):
    import_csv("nom;departement\nCalais;62\nCA du Boulonnais;62\n", store_copy)
    before = coverage.by_departement(LABEL, store_copy)
    before_fr = coverage.france(LABEL, store_copy)
    second = import_csv("nom;departement\nArques;62\nCréteil;94\nVal-de-Marne;94\n", store_copy, "v2.csv")
    during = coverage.by_departement(LABEL, store_copy).set_index("code")
    assert during.loc["94", "departement_labellise"] and during.loc["94", "communes_directes"] == 1
    imports.withdraw(second, store_copy)
    pd.testing.assert_frame_equal(coverage.by_departement(LABEL, store_copy), before)
    assert coverage.france(LABEL, store_copy) == before_fr


def test_coverage_routes_are_distinct(store_copy):
    import_csv("nom;departement\nBoulogne-sur-Mer;62\nCA du Boulonnais;62\n", store_copy)
    row = coverage.by_departement(LABEL, store_copy).set_index("code").loc["62"]
    assert row["communes_directes"] == 1
    assert row["communes_via_epci"] == 21  # the 22 members less Boulogne, already labelled directly
    assert row["communes_couvertes"] == 22 and row["epci_labellises"] == 1
    status = coverage.communes_status(LABEL, "62", store_copy).set_index("code")["statut"]
    assert status["62160"] == coverage.STATUS_DIRECT and status["62643"] == coverage.STATUS_EPCI
    assert status["62193"] == coverage.STATUS_NONE and len(status) == 887
    assert row["population_couverte"] == row["population_directe"] + row["population_via_epci"]


def test_region_label_counts(store_copy):
    import_csv("nom\nRégion Hauts-de-France\n", store_copy)
    regs = coverage.by_region(LABEL, store_copy).set_index("code")
    assert regs.loc["32", "region_labellisee"] and not regs.loc["11", "region_labellisee"]
    assert coverage.france(LABEL, store_copy)["regions_labellisees"] == 1


@pytest.mark.slow
def test_compare_with_previous_list(store_copy):
    import_csv("nom;departement\nCalais;62\nArques;62\n", store_copy)
    second = import_csv("nom;departement\nArques;62\nOutreau;62\n", store_copy, "v2.csv")
    diff = imports.compare(second, store_copy)
    assert list(diff["ajouts"]["code"]) == ["62643"]
    assert list(diff["retraits"]["code"]) == ["62193"]


@pytest.mark.slow
def test_imports_are_listed_and_never_overwritten(store_copy):
    a = import_csv("nom;departement\nCalais;62\n", store_copy)
    b = import_csv("nom;departement\nCalais;62\n", store_copy)
    listed = imports.list_imports(store_copy)
    assert list(listed["id"]) == [a, b] and set(listed["label"]) == {LABEL}


def test_sites_and_disciplines(store_copy):
    raw = (b"id;lang;title;disciplines_olympiques;disciplines_paralympiques;geo_point_2d\n"
           b"1;fr_FR;Stade du Souvenir;BMX;;50.95, 1.86\n"
           b"1;en_GB;Souvenir Stadium;BMX;;50.95, 1.86\n"
           b"2;fr_FR;Gymnase;judo;para judo;48.79, 2.455\n")
    prepared = imports.prepare(read_bytes(raw, "cpj.csv"), "CPJ (test)", sites=True, raw=raw, store=store_copy)
    imports.commit(prepared, store_copy)
    sites = labels.sites("CPJ (test)", store_copy).set_index("nom")
    assert sites.loc["Stade du Souvenir", "commune"] == "62193" and not sites.loc["Stade du Souvenir", "paralympique"]
    assert sites.loc["Gymnase", "paralympique"] and list(sites.loc["Gymnase", "disciplines"]) == ["judo", "para judo"]
    by = coverage.sites_by_discipline("94", store_copy).set_index("discipline")["sites"]
    assert by.to_dict() == {"judo": 1, "para judo": 1}
    assert coverage.by_departement("CPJ (test)", store_copy).set_index("code").loc["62", "sites"] == 1


@pytest.mark.slow
def test_seed_imports_shipped_list_once(store_copy):
    first = seed(store_copy)
    again = seed(store_copy)
    assert "import n°" in first[0] and "déjà importé" in again[0]
    assert len(labels.entities("Terre de Jeux 2024", store_copy)) == 76 + 11
    assert labels.territorial_labels(store_copy)[0] == "Terre de Jeux 2024"  # the default stays Terre de Jeux


@pytest.mark.slow
def test_seed_loads_petites_villes_de_demain_with_its_source(store_copy):
    """Issue 25: the real national programme, through the normal import, with licence, date and completeness."""
    seed(store_copy)
    pvd = labels.entities("Petites villes de demain", store_copy)
    assert len(pvd) == 1606 and set(pvd["niveau"]) == {"commune"} and pvd["code"].is_unique
    assert labels.entities("Petites villes de demain", store_copy, include_review=True).shape[0] == 1606
    montreuil = pvd.set_index("code").loc["62588"]  # « Montreuil » as published: Montreuil-sur-Mer, not to review
    assert montreuil["nom_brut"] == "Montreuil" and "forme courte" in montreuil["note"]
    merged = pvd.set_index("code").loc["71566"]  # Verdun-sur-le-Doubs, in Verdun-Ciel since 2024: noted
    assert merged["nom_officiel"] == "Verdun-Ciel" and "vérifiez le code" in merged["note"]
    loaded = labels.loaded("Petites villes de demain", store_copy).set_index("label").loc["Petites villes de demain"]
    assert "Licence Ouverte 2.0" in loaded["source"] and "ANCT" in loaded["source"]
    assert "1 606 communes" in loaded["note_completude"]
    dates = labels.list_dates("Petites villes de demain", store_copy)
    assert str(dates["date_liste"].iloc[0])[:10] == "2021-01-22"
    assert "Trifouilly" not in set(pvd["nom_brut"])  # the source's placeholder row is not shipped


def test_set_row_fixes_and_dismisses(store_copy):
    raw = b"nom\nArques\nNullepart\n"
    prepared = imports.prepare(read_bytes(raw, "l.csv"), LABEL, raw=raw, store=store_copy)
    assert list(prepared.review().index) == [1, 2]
    imports.set_row(prepared, 1, "62040", store_copy)
    imports.set_row(prepared, 2, None, store_copy)
    assert prepared.review().empty
    imports.commit(prepared, store_copy)
    assert list(labels.entities(LABEL, store_copy)["code"]) == ["62040"]


def test_shipped_list_is_as_printed():
    table = read_table(next(s.path for s in SHIPPED if "pas-de-calais" in s.path.name))
    assert "Aix Noulette" in set(table.data["nom"]) and "Boulogne-sur-mer" in set(table.data["nom"])
    assert set(table.data["date_labellisation"]) == {"2019-11-20"}


@pytest.mark.parametrize("status", ["exact", "normalise", "approx", "ambigu", "introuvable"])
def test_counts_have_every_status(store_copy, status):
    raw = b"nom;departement\nCalais;62\n"
    prepared = imports.prepare(read_bytes(raw, "l.csv"), LABEL, raw=raw, store=store_copy)
    assert status in prepared.counts()
