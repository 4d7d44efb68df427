"""The page Croiser (issue 25) and every page with Petites villes de demain chosen, run by AppTest over a copy of
the seeded store (real lists) with SYNTHETIC sites « (test) »."""

import pytest
from apptest import run_page

from geo import imports
from geo.imports.seed import seed
from geo.io.readers import read_bytes

TDJ, PVD, SITES = "Terre de Jeux 2024", "Petites villes de demain", "Sites (test)"


@pytest.fixture
def seeded(store_copy):
    seed(store_copy)
    raw = b"nom;ville;code_postal\nPiscine (test);Calais;62100\nStade (test);Arras;62000\n"
    imports.commit(imports.prepare(read_bytes(raw, "sites.csv"), SITES, sites=True, raw=raw, store=store_copy),
                   store_copy)
    return store_copy


def texts(at) -> str:
    """What the page says, entities read as characters (escape_md writes « ' » as an entity for markdown)."""
    import html

    metrics = [str(m.label) for m in at.metric] + [str(m.value) for m in at.metric]
    return html.unescape(" ".join([m.value for m in at.markdown] + metrics
                    + [i.value for i in at.info] + [w.value for w in at.warning]))


@pytest.mark.slow
def test_crossing_page_defaults_to_terre_de_jeux_and_counts(seeded, monkeypatch):
    at = run_page(seeded, monkeypatch, "croiser", dep="62", b=PVD)
    assert at.sidebar.selectbox(key="croiser.label").value == TDJ
    shown = texts(at)
    assert f"{TDJ} et {PVD}" in shown and "ni l'un ni l'autre" in shown
    counts = {str(m.label): str(m.value) for m in at.metric}
    assert counts[f"{TDJ} et {PVD}"] == "3" and counts[f"{PVD} seulement"] == "15"  # real lists, the 62


@pytest.mark.slow
@pytest.mark.parametrize("vue,params,expected", [
    ("hors-label", {"sites": SITES}, "2 site(s) « Sites (test) » dans une commune non couverte"),  # Calais, Arras
    ("distances", {"sites": SITES, "rayon": "20"}, "vol d'oiseau"),
    ("non-couvertes", {"pop": "20000"}, "non couverte(s) par « Terre de Jeux 2024 »"),
    ("croisement", {"territoire": "france", "label": PVD, "b": TDJ}, f"{PVD} et {TDJ}"),
    ("distances", {"territoire": "region", "reg": "32", "sites": SITES}, "Population à moins de 20 km"),
])
def test_each_view_of_the_crossing_page(seeded, monkeypatch, vue, params, expected):
    at = run_page(seeded, monkeypatch, "croiser", vue=vue, dep="62", **params)
    assert expected in texts(at), texts(at)[-1500:]


@pytest.mark.slow
@pytest.mark.parametrize("page,params", [("france", {}), ("region", {"reg": "32"}), ("departement", {"dep": "62"}),
                                         ("listes", {"deps": "62"}), ("presentation", {"dep": "62"}),
                                         ("centres", {})])
def test_every_page_works_with_petites_villes_de_demain_chosen(seeded, monkeypatch, page, params):
    at = run_page(seeded, monkeypatch, page, label=PVD, **params)
    assert not [w.value for w in at.warning if "inconnu" in w.value]
