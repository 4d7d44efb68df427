"""The official lists in one step, against a local portal serving SYNTHETIC exports (tests/portal.py):
both export formats, comparison with the previous import, any address, and nothing changed when the
portal cannot be reached or answers an error. Nothing leaves 127.0.0.1."""

import subprocess
import sys

import pandas as pd
import pytest
from browsing import free_port
from portal import serving

from geo import imports
from geo.data import labels
from geo.errors import GeoError, InputRefused, SourceUnavailable
from geo.imports import official
from geo.io.readers import read_table
from geo.maps import sites_layer
from geo.paths import ROOT

TDJ, CPJ = official.DATASETS


@pytest.fixture(autouse=True)
def local_portal_allowed(monkeypatch):
    """The portal of these tests listens on 127.0.0.1, an internal address: allowed as an intranet portal is."""
    monkeypatch.setenv("TDJ_ADRESSES_AUTORISEES", "127.0.0.1")


@pytest.fixture
def portal():
    with serving() as (url, requests):
        yield url, requests


def state(store):
    listed = imports.list_imports(store)
    return len(listed), len(labels.entities(TDJ.label, store, include_review=True)), len(labels.sites(store=store))


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.slow
def test_update_imports_both_lists(store_copy, portal, fmt):
    url, requests = portal
    results = official.update(f"{url}/v1", fmt, store=store_copy)
    assert sorted(requests) == sorted(f"/v1/api/explore/v2.1/catalog/datasets/{d.id}/exports/{fmt}"
                                      for d in official.DATASETS)
    tdj, cpj = results
    assert tdj.precedent is None and "premier import" in tdj.summary()
    ents = labels.entities(TDJ.label, store_copy, include_review=True).set_index("nom_brut")
    assert ents.loc["Créteil", "code"] == "94028" and ents.loc["Val-de-Marne", "niveau"] == "departement"
    assert ents.loc["Communauté d'agglomération du Boulonnais", "code"] == "246200729"
    assert ents.loc["Fédération française de handball (synthétique)", "niveau"] == "hors_territoire"
    listed = imports.list_imports(store_copy).set_index("id")
    assert listed.loc[tdj.import_id, "source"].endswith(f"/exports/{fmt}")
    assert "liste nationale officielle" in listed.loc[tdj.import_id, "note_completude"]
    assert listed.loc[tdj.import_id, "fichier"] == f"{TDJ.id}.{fmt}"
    sites = labels.sites(CPJ.label, store_copy).set_index("nom")
    assert len(sites) == 3  # one row per language in the export, one site each
    assert sites.loc["Maison du handball (synthétique)", "commune"] == "94028"
    rowing = sites.loc["Base nautique (synthétique)"]
    assert rowing["commune"] == "94017" and pd.isna(rowing["lat"])  # no coordinates: placed at its commune


@pytest.mark.slow
def test_update_is_compared_with_the_previous_one(store_copy, portal):
    url, _ = portal
    official.update(f"{url}/v1", "csv", store=store_copy)
    tdj, cpj = official.update(f"{url}/v2", "json", store=store_copy)
    diff = imports.compare(tdj.import_id, store_copy)
    assert list(diff["ajouts"]["code"]) == ["94081"] and list(diff["retraits"]["code"]) == ["62193"]
    assert (tdj.ajouts, tdj.retraits) == (1, 1) and "1 ajout(s), 1 retrait(s)" in tdj.summary()
    assert (cpj.ajouts, cpj.retraits) == (0, 0) and cpj.precedent


def test_offline_changes_nothing(store_copy):
    before = state(store_copy)
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    with pytest.raises(SourceUnavailable, match="Impossible de joindre .*hors ligne.*Rien n'a été modifié"):
        official.update(closed, store=store_copy, timeout=5)
    assert state(store_copy) == before


@pytest.mark.parametrize("path,message", [("erreur", "erreur 500"), ("ailleurs", "erreur 404.*portail a peut-être")])
@pytest.mark.slow
def test_portal_error_changes_nothing(store_copy, portal, path, message):
    url, _ = portal
    before = state(store_copy)
    with pytest.raises(GeoError, match=message):
        official.update(f"{url}/{path}", store=store_copy)
    assert state(store_copy) == before


@pytest.mark.slow
def test_one_list_missing_writes_neither(store_copy, portal):
    url, _ = portal
    before = state(store_copy)
    missing = official.Dataset("cpj", "jeu-absent", CPJ.label, True, "absent")
    with pytest.raises(SourceUnavailable, match="404"):
        official.update(f"{url}/v1", store=store_copy, datasets=(TDJ, missing))
    assert state(store_copy) == before


@pytest.mark.slow
def test_import_from_any_address(store_copy, portal):
    url, _ = portal
    prepared = official.prepare_url(f"{url}/v1/{TDJ.id}.csv", "Liste d'une URL (test)", store=store_copy)
    assert prepared.source == f"{url}/v1/{TDJ.id}.csv" and "127.0.0.1" in prepared.note_completude
    imports.commit(prepared, store_copy)
    geo = official.prepare_url(f"{url}/v1/sites-synthetiques.geojson", "Sites (test)", sites=True, store=store_copy)
    assert list(geo.rows["commune"]) == ["94028", "62193"]
    with pytest.raises(InputRefused, match="Adresse invalide"):
        official.prepare_url("file:///etc/passwd", "x", store=store_copy)


def run(*args, store):
    env = {"TDJ_STORE": str(store), "PATH": "/usr/bin:/bin", "TDJ_ADRESSES_AUTORISEES": "127.0.0.1"}
    return subprocess.run([sys.executable, "-m", "geo", *map(str, args)], cwd=ROOT, env=env, capture_output=True,
                          text=True)


@pytest.mark.slow
def test_cli_update_and_offline(store_copy, portal):
    url, _ = portal
    result = run("update", "--portail", f"{url}/v1", "--format", "json", store=store_copy)
    assert result.returncode == 0, result.stderr
    assert "Territoires labellisés Terre de Jeux 2024 : import n° 1" in result.stderr
    assert "Centres de préparation aux Jeux : import n° 2" in result.stderr
    result = run("update", "--portail", f"http://127.0.0.1:{free_port()}", store=store_copy)
    assert result.returncode == 2 and "Impossible de joindre" in result.stderr
    result = run("import", f"{url}/v2/{TDJ.id}.csv", "--label", TDJ.label, store=store_copy)
    assert result.returncode == 0, result.stderr
    assert len(imports.list_imports(store_copy)) == 3


@pytest.mark.slow
def test_sites_without_coordinates_are_drawn_hollow_at_their_commune(store_copy, portal):
    url, _ = portal
    official.update(f"{url}/v1", store=store_copy)
    here = labels.sites(CPJ.label, store_copy)
    html = sites_layer.sites_map(here).get_root().render()
    assert "tdj-site-commune" in html and "Position approximative" in html
    assert "sans coordonnées, placé sur sa commune" in html
    drawn = sites_layer.placed(here).set_index("nom")
    assert drawn.loc["Base nautique (synthétique)", "a_la_commune"]
    assert not drawn.loc["Maison du handball (synthétique)", "a_la_commune"]


@pytest.mark.slow
def test_press_cpj_sites_land_in_their_commune(store_copy, shared):
    """Real CPJ mentions (partial, read in place, never shipped): no coordinates, a commune as printed."""
    path = shared / "data" / "real-lists" / "cpj-presse-2020-2024.csv"
    table = read_table(path)
    prepared = imports.prepare(table, "CPJ presse (test)", sites=True, raw=path.read_bytes(), store=store_copy,
                              forced={"nom": "site_name", "ville": "commune_as_printed", "departement": "departement",
                                      "code_postal": None, "identifiant": None})
    data = table.data.set_index(prepared.rows.index)
    printed = data[data["commune_insee"].str.fullmatch(r"\d[\dAB]\d{3}") & (data["commune_as_printed"] != "")]
    got = prepared.rows.loc[printed.index, "commune"]
    placed = got.notna()
    wrong = placed & (got != printed["commune_insee"])
    assert not wrong.any(), pd.DataFrame({"attendu": printed["commune_insee"], "obtenu": got})[wrong]
    assert placed.mean() >= 0.98  # short forms ("Joinville", "Saint-Maur" in 94) placed by the resolver
    imports.commit(prepared, store_copy)
    vdm = labels.sites("CPJ presse (test)", store_copy).query("departement == '94'")
    assert len(vdm) >= 8 and vdm["lat"].isna().all()
    drawn = sites_layer.placed(vdm)
    assert len(drawn) == len(vdm) and drawn["a_la_commune"].all()
    html = sites_layer.sites_map(vdm).get_root().render()
    assert html.count("Position approximative") == len(vdm)
