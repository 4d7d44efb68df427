"""Any column of an imported list as a map, on a SURVEY-SHAPED SYNTHETIC file made for these tests: it has the
shape of a survey of municipal sports services (oui / non / en cours, a budget), its answers are invented and
describe no real collectivité (the real survey's answers were not published per collectivité)."""

from __future__ import annotations

import pytest

from geo import imports
from geo.data import attributes
from geo.io.readers import read_bytes
from geo.maps import attribute_map
from geo.store import reader

LABEL = "Enquête services des sports (synthétique)"
QUESTION = "Nouvelles manières de travailler ?"
BUDGET = "Budget sport 2024 (k€)"
XSS = "<b>oui</b>{{7*7}}"
# Territoire de Belfort: an EPCI (CA Grand Belfort, 52 communes) answers « en cours », Belfort itself (a member)
# answers « oui », which wins for Belfort; four other communes answer for themselves.
SURVEY = f"""nom;code;{QUESTION};{BUDGET};Labellisée TDJ ?
Belfort;90010;oui;1 250,5;oui
Delle;90033;non;310;oui
Beaucourt;90009;oui;95;non
Giromagny;90052;{XSS};40;non
Rougemont-le-Château;90089;non;;non
CA Grand Belfort;200069052;en cours;5 400;oui
"""


@pytest.fixture
def survey(store_copy):
    raw = SURVEY.encode()
    prepared = imports.prepare(read_bytes(raw, "enquete-synthetique.csv"), LABEL, raw=raw, store=store_copy)
    assert prepared.counts()["introuvable"] == 0
    imports.commit(prepared, store_copy)
    return store_copy


def grand_belfort(store) -> set[str]:
    return {r[0] for r in reader(store).execute("SELECT code FROM epci_membres WHERE siren = '200069052'")
            .fetchall()}


def test_extra_columns_are_kept_and_offered(survey):
    names = [c.nom for c in attributes.columns(survey)]
    assert names == [QUESTION, BUDGET, "Labellisée TDJ ?"]  # the name and code columns are not offered
    column = attributes.find(f"{attributes.columns(survey)[0].import_id}:{QUESTION}", survey)
    assert column is not None and column.label == LABEL
    assert attributes.find("999:rien", survey) is None


def test_categories_count_communes_and_the_epci_paints_its_members(survey):
    column = next(c for c in attributes.columns(survey) if c.nom == QUESTION)
    values = attributes.commune_values(column, attribute_map.communes("90", survey), survey)
    members = grand_belfort(survey)
    by_code = values.set_index("code")
    assert by_code.loc["90010", "valeur"] == "oui" and by_code.loc["90010", "via"] == "commune"
    in_epci_only = members - {"90010", "90033", "90009", "90052", "90089"}
    assert all(by_code.loc[c, "valeur"] == "en cours" and by_code.loc[c, "via"] == "epci" for c in in_epci_only)
    paint = attributes.paint(values)
    assert not paint.numeric
    legend = dict((text.split(" — ")[0], text.split(" — ")[1]) for _, text in paint.legend)
    assert legend["en cours"] == f"{len(in_epci_only)} communes"
    assert legend["oui"] == "2 communes"  # Belfort and Beaucourt answer for themselves
    assert legend["non"] == "2 communes"
    assert legend[XSS] == "1 commune"  # an answer is a value like another, kept as text
    assert legend["sans valeur"] == f"{101 - len(in_epci_only) - 5} communes"
    assert f"dont {len(in_epci_only)} communes par leur EPCI" in paint.note


@pytest.mark.slow
def test_numbers_get_classes_with_bounds(survey):
    column = next(c for c in attributes.columns(survey) if c.nom == BUDGET)
    values = attributes.commune_values(column, attribute_map.communes("90", survey), survey)
    for method in attributes.METHODS:
        paint = attributes.paint(values, method)
        assert paint.numeric
        counted = sum(int(text.split(" — ")[1].split()[0].replace("\u202f", "")) for _, text in paint.legend)
        assert counted == 101  # every commune in exactly one line of the legend
        first, last = paint.legend[0][1].split(" — ")[0], paint.legend[-2][1].split(" — ")[0]
        assert first.startswith(("40", "de 40 à")) and last.endswith("à 5\u202f400")
        assert paint.legend[-2][1].endswith(f"— {len(grand_belfort(survey)) - 1} communes")  # the EPCI's answer
    assert attributes.to_number("1 250,5") == 1250.5 and attributes.to_number("12 ans") is None


def test_map_escapes_values_and_column_names(survey):
    column = next(c for c in attributes.columns(survey) if c.nom == QUESTION)
    html = attribute_map.build("90", column, store=survey).get_root().render()
    assert "<b>oui</b>" not in html and "{{7*7}}" not in html
    assert "&lt;b&gt;oui&lt;/b&gt;&#123;&#123;7*7&#125;&#125; — 1 commune" in html  # in the legend, as text
    assert "Nouvelles manières de travailler ?" in html


def test_joined_table_and_filters(survey):
    column = next(c for c in attributes.columns(survey) if c.nom == BUDGET)
    table = attributes.joined(column, survey)
    assert len(table) == 6 and set(table["Niveau"]) == {"Commune", "EPCI"}
    assert list(attributes.filter_values(table, BUDGET, low=100, high=2000)["Code officiel"]) == ["90010", "90033"]
    question = next(c for c in attributes.columns(survey) if c.nom == QUESTION)
    answers = attributes.joined(question, survey)
    assert list(attributes.filter_values(answers, QUESTION, ["non"])["Nom officiel"]) == ["Delle",
                                                                                          "Rougemont-le-Château"]


def test_natural_breaks_match_mapclassify_fisher_jenks():
    import warnings

    import mapclassify
    import numpy as np

    rng = np.random.default_rng(10)
    for n, k in ((8, 3), (30, 4), (60, 5)):
        values = np.unique(np.round(rng.lognormal(3, 1, n), 1))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # « Numba not installed »
            expected = [float(b) for b in mapclassify.FisherJenks(values, k=k).bins]
        assert attributes.natural_breaks(values, k) == expected
