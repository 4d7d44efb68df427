import pytest

from geo.resolve.normalize import epci_key, guess_level, place_key, without_prefix


@pytest.mark.parametrize("given", ["Le Portel", "Portel (Le)", "LE PORTEL", "Portel, Le", "le-portel"])
def test_articles_in_front_or_suffix(given):
    assert place_key(given) == "le portel"


@pytest.mark.parametrize("given,key", [
    ("St-Omer", "saint omer"), ("Ste-Catherine", "sainte catherine"), ("Aix Noulette", "aix noulette"),
    ("Boulogne-sur-mer", "boulogne sur mer"), ("L'Haÿ-les-Roses", "l hay les roses"), ("Œuilly", "oeuilly"),
    ("Haÿ-les-Roses (L')", "l hay les roses"), ("  CRÉTEIL ", "creteil"),
])
def test_place_keys(given, key):
    assert place_key(given) == key


def test_prefixes_are_a_fallback_not_a_rule():
    assert without_prefix(place_key("Ville de Calais")) == "calais"
    assert without_prefix(place_key("Mairie d'Arques")) == "arques"
    assert place_key("Ville-d'Avray") == "ville d avray"  # a real commune keeps its full key first


@pytest.mark.parametrize("a,b", [
    ("Communauté d'agglomération du Boulonnais", "CA du Boulonnais"),
    ("Communauté d'agglomération de Lens Liévin", "CA de Lens - Liévin"),
    ("Communauté de communes du Pays de Pontchâteau Saint-Gildas-des-Bois",
     "CC du Pays de Pontchâteau St-Gildas-des-Bois"),
])
def test_epci_long_and_short_forms(a, b):
    assert epci_key(a) == epci_key(b)


@pytest.mark.parametrize("name,level", [
    ("Fédération française de judo", "hors_territoire"), ("CDOS du Val-de-Marne", "hors_territoire"),
    ("Ambassade du Japon", "hors_territoire"), ("Communauté de communes du Ternois", "epci"),
    ("Département du Pas-de-Calais", "departement"), ("Conseil régional Hauts-de-France", "region"),
    ("Calais", None),
])
def test_level_announced_by_name(name, level):
    assert guess_level(name) == level
