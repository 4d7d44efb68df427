"""Resolution of rows to official codes: codes first, names otherwise, precision before recall."""

import pandas as pd
import pytest

from geo.io.columns import Columns, detect
from geo.io.readers import read_table
from geo.paths import DATA_DIR
from geo.resolve import Resolver, resolve_frame

PDC = DATA_DIR / "labels" / "terre-de-jeux-pas-de-calais-2019-11.csv"
PDC_EXPECTED = {
    "Billy-Berclau": ("commune", "62132"), "Neufchâtel-Hardelot": ("commune", "62604"),
    "Aix Noulette": ("commune", "62019"), "Boulogne-sur-mer": ("commune", "62160"),
    "Communauté d'agglomération du Boulonnais": ("epci", "246200729"), "Outreau": ("commune", "62643"),
    "Sangatte": ("commune", "62774"), "Communauté d'agglomération de Lens Liévin": ("epci", "246200364"),
    "Harnes": ("commune", "62413"), "Saint-Omer": ("commune", "62765"), "Arques": ("commune", "62040"),
}


@pytest.fixture(scope="module")
def resolver(store):
    return Resolver(store)


def test_pas_de_calais_list_resolves_11_of_11(store):
    table = read_table(PDC)
    assert len(table.data) == 11 and list(table.data["nom"]) == list(PDC_EXPECTED)  # as printed
    out = resolve_frame(table.data, detect(table.data), store=store)
    got = dict(zip(table.data["nom"], zip(out["niveau"], out["code"], strict=True), strict=True))
    assert got == PDC_EXPECTED
    assert set(out["statut"]) <= {"exact", "normalise"}
    assert (out["niveau"] == "commune").sum() == 9 and (out["niveau"] == "epci").sum() == 2


def test_pas_de_calais_without_departement_column_uses_file_context(store):
    df = read_table(PDC).data.drop(columns=["departement"])
    out = resolve_frame(df, detect(df), store=store)
    assert list(out["code"]) == [c for _, c in PDC_EXPECTED.values()]
    assert "déduit du fichier" in out.loc[df["nom"] == "Arques"].iloc[0]["remarque"]


@pytest.fixture(scope="module")
def acv(shared):
    table = read_table(shared / "data" / "real-lists" / "action-coeur-de-ville-2024-04.geojson")
    assert len(table.data) == 244
    truth = table.data["insee_com"].str.zfill(5)
    return table.data, truth


def test_action_coeur_de_ville_by_code(store, acv):
    df, truth = acv
    out = resolve_frame(df, Columns(code="insee_com"), store=store)
    assert (out["code"] == truth).sum() == 244


def test_action_coeur_de_ville_by_name_with_departement_hint(store, acv):
    df, truth = acv
    out = resolve_frame(df, Columns(nom="lib_com", departement="insee_dep"), store=store)
    assert (out["code"] == truth).sum() == 244


def test_action_coeur_de_ville_integer_codes_lost_zeros(store, acv):
    df, truth = acv
    as_int = df.assign(insee_com=df["insee_com"].str.lstrip("0"))
    out = resolve_frame(as_int, Columns(code="insee_com"), store=store)
    assert (out["code"] == truth).sum() == 244
    assert "zéro initial" in out.loc[truth == "01053"].iloc[0]["remarque"]


@pytest.mark.parametrize("code,expected", [
    ("62193", "62193"), ("2A004", "2A004"), ("2a004", "2A004"), ("1053", "01053"), (" 62193 ", "62193"),
    ("62193.0", "62193"), ("216201939", "62193"),  # Calais's SIREN
])
def test_commune_codes(resolver, code, expected):
    res = resolver.resolve(code=code)
    assert (res.niveau, res.code) == ("commune", expected)


def test_epci_siren(resolver):
    res = resolver.resolve(code="246200729")
    assert (res.niveau, res.code, res.nom_officiel) == ("epci", "246200729", "CA du Boulonnais")


def test_postcode_is_not_an_insee_code(resolver):
    # 62100 is Calais's postcode and also the INSEE code of another commune of the Pas-de-Calais
    res = resolver.resolve(name="Calais", code="62100")
    assert res.code != "62100" or res.nom_officiel == "Calais"
    assert res.statut in ("ambigu", "exact", "normalise")
    if res.statut != "ambigu":
        assert res.code == "62193"


def test_homonyms_go_to_review_without_hint(resolver):
    res = resolver.resolve(name="Arques")
    assert res.statut == "ambigu" and res.code == ""
    assert "62040" in res.candidats and "(62)" in res.candidats


def test_homonyms_resolved_with_departement_hint(resolver):
    assert resolver.resolve(name="Arques", deps=["62"]).code == "62040"


def test_no_fuzzy_across_departements(resolver):
    res = resolver.resolve(name="Boulogne-sur-Mrr")
    assert res.statut == "introuvable" and res.code == ""
    res = resolver.resolve(name="Boulogne-sur-Mrr", deps=["62"])
    assert (res.code, res.statut) == ("62160", "approx") and res.score >= 88


def test_commune_deleguee_name_and_code_lead_to_parent(resolver):
    by_code = resolver.resolve(code="62461")  # Huby-Saint-Leu, déléguée of Hesdin-la-Forêt
    assert by_code.code == "62447" and "déléguée" in by_code.remarque
    by_name = resolver.resolve(name="Huby-Saint-Leu", deps=["62"])
    assert by_name.code == "62447" and "déléguée" in by_name.remarque


@pytest.mark.parametrize("name,code", [("Paris 15e", "75056"), ("Marseille 1er Arrondissement", "13055"),
                                       ("Lyon 3e arrondissement", "69123")])
def test_arrondissements(resolver, name, code):
    assert resolver.resolve(name=name).code == code


def test_old_code(resolver):
    res = resolver.resolve(code="01217")  # merged into Champagne-en-Valromey, no commune déléguée left
    assert res.code == "01079" and "ancien code" in res.remarque


@pytest.mark.parametrize("name,level,code", [
    ("Pas-de-Calais", "departement", "62"), ("Département du Val-de-Marne", "departement", "94"),
    ("Conseil départemental du Pas-de-Calais", "departement", "62"), ("Région Hauts-de-France", "region", "32"),
    ("Hauts-de-France", "region", "32"), ("CA du Boulonnais", "epci", "246200729"),
    ("Communauté d'agglomération de Lens Liévin", "epci", "246200364"),
])
def test_levels_detected_by_name(resolver, name, level, code):
    res = resolver.resolve(name=name)
    assert (res.niveau, res.code) == (level, code)


def test_bodies_are_kept_off_the_map(resolver):
    res = resolver.resolve(name="Fédération française de handball")
    assert res.niveau == "hors_territoire" and res.code == "" and res.statut in ("exact", "normalise")


def test_type_column_sets_level(store):
    df = pd.DataFrame({"nom": ["Paris", "Paris", "CNOSF"], "type": ["Commune", "Département", "Mouvement sportif"]})
    out = resolve_frame(df, Columns(nom="nom", type="type"), store=store)
    assert list(out["niveau"]) == ["commune", "departement", "hors_territoire"]
    assert list(out["code"]) == ["75056", "75", ""]


def test_code_and_name_that_disagree_go_to_review(resolver):
    res = resolver.resolve(name="Arques", code="62193", deps=["62"])  # Calais's code, Arques's name
    assert res.statut == "ambigu" and "62040" in res.candidats and "62193" in res.candidats


def test_unknown_code_falls_back_to_name(resolver):
    res = resolver.resolve(name="Outreau", code="62999", deps=["62"])
    assert res.code == "62643" and "inconnu" in res.remarque


def test_code_with_the_usual_short_name_is_not_sent_to_review(resolver):
    """Issue 25: « Montreuil » with 62588 (Montreuil-sur-Mer) is that commune, though other Montreuil exist."""
    res = resolver.resolve(name="Montreuil", code="62588", deps=["62"])
    assert (res.statut, res.code) == ("exact", "62588") and "forme courte" in res.remarque
    res = resolver.resolve(name="Montreuil", code="62588")  # no département given: the code's decides
    assert res.code == "62588"


def test_short_form_shared_with_a_commune_of_the_same_departement_still_goes_to_review(resolver):
    """« Montreuil » with 93048 is exact; a short form that names another commune of the code's département is not."""
    assert resolver.resolve(name="Montreuil", code="93048").code == "93048"
    res = resolver.resolve(name="Montreuil", code="62588", deps=["93"])  # the code is not in the list's département
    assert res.statut == "ambigu" and not res.code
    res = resolver.resolve(name="Braye", code="02115")  # Braye-en-Laonnois, but Braye (02118) is in the Aisne too
    assert res.statut == "ambigu" and not res.code
