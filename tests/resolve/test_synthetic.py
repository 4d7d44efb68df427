"""Full-scale SYNTHETIC lists: precision on rows given a code, homonyms never crossed."""

import pytest

from geo import imports
from geo.build import synth
from geo.io.columns import detect
from geo.io.readers import read_table
from geo.resolve import resolve_frame


@pytest.fixture(scope="module")
def tdj(store, tmp_path_factory):
    df, truth = synth.terre_de_jeux(store=store)
    path = synth.write_csv(df, tmp_path_factory.mktemp("synth") / "synthetique-tdj.csv", encoding="cp1252")
    table = read_table(path)
    out = resolve_frame(table.data, detect(table.data), store=store).reset_index(drop=True)
    return table, truth, out


@pytest.mark.slow
def test_scale_and_shape(tdj):
    table, truth, out = tdj
    assert 4400 <= len(table.data) <= 4700
    assert set(truth["niveau"]) == {"commune", "epci", "departement", "region", "hors_territoire"}
    assert (out["niveau"] == truth["niveau"]).mean() > 0.995


@pytest.mark.slow
def test_precision_on_rows_given_a_code(tdj):
    _, truth, out = tdj
    given = truth["avec_code"] & (out["code"] != "")
    assert given.sum() > 3000
    precision = (out.loc[given, "code"] == truth.loc[given, "code"]).mean()
    assert precision >= 0.995


@pytest.mark.slow
def test_precision_overall_and_recall(tdj):
    _, truth, out = tdj
    resolved = (out["code"] != "") & truth["code"].notna()
    assert (out.loc[resolved, "code"] == truth.loc[resolved, "code"]).mean() >= 0.995
    assert resolved.sum() / truth["code"].notna().sum() > 0.97


@pytest.mark.slow
def test_no_homonym_resolved_across_departements(tdj):
    _, truth, out = tdj
    hom = truth["homonyme"] & (out["code"] != "")
    assert hom.sum() > 300
    assert (out.loc[hom, "code"] == truth.loc[hom, "code"]).all()
    unhinted = truth["homonyme"] & ~truth["avec_code"] & ~truth["avec_departement"]
    assert (out.loc[unhinted, "statut"].isin(["ambigu", "normalise", "exact"])).all()


@pytest.mark.slow
def test_cpj_sites(store, tmp_path):
    df, truth = synth.cpj(store=store)
    assert len(df) == 3000 and set(df["lang"]) == {"fr_FR", "en_GB"}
    path = synth.write_csv(df, tmp_path / "synthetique-cpj.csv")
    prepared = imports.prepare(read_table(path), synth.CPJ_LABEL, sites=True, store=store)
    got = prepared.rows.assign(id=prepared.input["id"]).merge(truth, on="id", suffixes=("", "_vrai"))
    assert len(got) == 1500
    both = got["commune"].notna() & got["commune_vrai"].notna()
    assert (got.loc[both, "commune"] == got.loc[both, "commune_vrai"]).all()
    assert not (got["commune"].notna() & got["commune_vrai"].isna()).any()
    assert got.loc[got["commune_vrai"].notna(), "commune"].notna().mean() > 0.99
    assert (got["paralympique"] == got["paralympique_vrai"]).all()
    assert (got["departement"] == "94").sum() >= 30


def test_small_lists_have_their_truth(store):
    """The generators at a small size (the fast set): every row has its truth, codes are official ones."""
    df, truth = synth.terre_de_jeux(rows=1000, store=store)  # 800 rows are EPCI, départements, régions, bodies
    assert len(df) == len(truth) and 900 <= len(df) <= 1100
    known = set(labels_codes(store))
    given = truth["code"].dropna()
    assert len(given) > 100 and set(given) <= known
    sites, site_truth = synth.cpj(centres=80, store=store)  # 55 of them in the 94 and the 62
    assert len(sites) == 2 * 80 and set(sites["lang"]) == {"fr_FR", "en_GB"}  # both languages, as the portal
    assert len(site_truth) == 80 and set(site_truth["commune"].dropna()) <= known


def labels_codes(store) -> list[str]:
    """Every official code a list may name: communes, EPCI, départements, régions."""
    from geo.store import reader

    return [r[0] for r in reader(store).execute(
        "SELECT code FROM communes UNION ALL SELECT siren FROM epci UNION ALL SELECT code FROM departements "
        "UNION ALL SELECT code FROM regions").fetchall()]
