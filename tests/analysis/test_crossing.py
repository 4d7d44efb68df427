"""Labels crossed (issue 25): combinations on a small synthetic fixture, the rule check of sites against a label of
territories with a known answer. Lists here are SYNTHETIC, named « (test) »."""

import pandas as pd

from geo import imports
from geo.analysis import crossing
from geo.analysis.scope import Scope, members
from geo.io.readers import read_bytes

A, B, SITES = "Label A (test)", "Label B (test)", "Sites (test)"


def import_csv(text: str, store, label: str, sites: bool = False) -> int:
    raw = text.encode()
    return imports.commit(imports.prepare(read_bytes(raw, f"{label}.csv"), label, sites=sites, raw=raw, store=store),
                          store)


def test_combine_is_a_truth_table():
    a = pd.Series([True, True, False, False])
    b = pd.Series([True, False, True, False])
    assert list(crossing.combine(a, b)) == [crossing.BOTH, crossing.ONLY_A, crossing.ONLY_B, crossing.NEITHER]


def test_combinations_on_a_small_fixture(store_copy):
    # A: Calais, Sangatte and the CA du Boulonnais (22 communes, Boulogne-sur-Mer and Le Portel among them);
    # B: Calais, Boulogne-sur-Mer, Arras
    import_csv("nom;departement\nCalais;62\nSangatte;62\nCA du Boulonnais;62\n", store_copy, A)
    import_csv("nom;departement\nCalais;62\nBoulogne-sur-Mer;62\nArras;62\n", store_copy, B)
    crossed = crossing.cross(A, B, Scope("departement", "62"), store_copy).set_index("code")
    assert len(crossed) == 887
    got = crossed["combinaison"]
    assert got["62193"] == crossing.BOTH and got["62160"] == crossing.BOTH  # Calais; Boulogne by its EPCI and B
    assert got["62774"] == crossing.ONLY_A and got["62667"] == crossing.ONLY_A  # Sangatte; Le Portel by its EPCI
    assert got["62041"] == crossing.ONLY_B  # Arras
    assert got["62040"] == crossing.NEITHER  # Arques
    summary = crossing.summary(crossed.reset_index()).set_index("combinaison")
    boulonnais = 22
    assert summary.loc[crossing.BOTH, "communes"] == 2
    assert summary.loc[crossing.ONLY_A, "communes"] == 1 + boulonnais - 1  # Sangatte, the CA but Boulogne
    assert summary.loc[crossing.ONLY_B, "communes"] == 1
    assert summary["communes"].sum() == 887
    both_pop = int(crossed.loc[["62193", "62160"], "population"].sum())
    assert summary.loc[crossing.BOTH, "population"] == both_pop
    assert summary["population"].sum() == crossed["population"].sum()
    table = crossing.for_table(crossed.reset_index(), A, B)
    assert table.loc[table["Code INSEE"] == "62041", "Combinaison"].item() == f"{B} seulement"


def test_a_label_of_sites_holds_the_communes_of_its_sites(store_copy):
    import_csv("nom;ville;latitude;longitude\nStade (test);Calais;50.95;1.86\n", store_copy, SITES, sites=True)
    assert members(SITES, store_copy) == {"62193"}


def test_sites_outside_a_label_with_known_answer(store_copy):
    """Known answer: of three synthetic sites, only the one in Calais is outside A (Sangatte directly, Le Portel
    through the CA du Boulonnais); the region scope and France agree; the reason names the commune and its EPCI."""
    import_csv("nom;departement\nSangatte;62\nCA du Boulonnais;62\nPas-de-Calais\n", store_copy, A)
    import_csv("nom;ville;code_postal\nPiscine (test);Calais;62100\nStade (test);Sangatte;62231\n"
               "Salle (test);Le Portel;62480\n", store_copy, SITES, sites=True)
    outside = crossing.sites_outside(SITES, A, Scope("departement", "62"), store_copy)
    assert list(outside["site"]) == ["Piscine (test)"] and list(outside["commune"]) == ["62193"]
    reason = outside.loc[0, "motif"]
    assert "Calais (62193)" in reason and "CA Grand Calais Terres et Mers" in reason
    assert "le département l'est" in reason  # the Pas-de-Calais holds A: the site may be the Département's
    for scope in (Scope("region", "32"), Scope("france")):
        assert list(crossing.sites_outside(SITES, A, scope, store_copy)["commune"]) == ["62193"]
    assert crossing.sites_outside(SITES, A, Scope("departement", "59"), store_copy).empty
