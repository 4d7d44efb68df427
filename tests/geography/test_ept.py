"""The établissements publics territoriaux (EPT) of the Grand Paris: membership, store, coverage, maps, lists."""

import geopandas as gpd
import pandas as pd
import pytest

from geo import imports
from geo.data import coverage, lists, territory
from geo.io.columns import Columns
from geo.maps import departement_map
from geo.paths import REFERENCE_DIR
from geo.store import reader

LABEL = "Terre de Jeux 2024 (test EPT)"
GPSEA = "200058006"  # Grand Paris Sud Est Avenir (T11), 16 communes, all in the Val-de-Marne
EQUAL_AREA = "ESRI:54034"


def commit_entities(rows: list[dict], store, label=LABEL) -> int:
    """An import of entities already resolved (the resolver's EPT names are another issue's work)."""
    frame = pd.DataFrame([{"niveau": r["niveau"], "code": r["code"], "nom_officiel": r.get("nom", ""),
                           "departement": r.get("departement", ""), "statut": "exact", "score": 100.0,
                           "candidats": "", "remarque": "", "nom_brut": r.get("nom", r["code"]),
                           "date_label": None, "doublon": False} for r in rows],
                         index=pd.RangeIndex(1, len(rows) + 1, name="ligne"))
    prepared = imports.Prepared(label, "entites", "ept.csv", "0" * 64, Columns(nom="nom"), frame,
                               frame[["nom_brut"]].rename(columns={"nom_brut": "nom"}))
    return imports.commit(prepared, store)


def test_membership_table_is_complete():
    members = pd.read_csv(REFERENCE_DIR / "ept_membres.csv", dtype=str)
    ept = pd.read_csv(REFERENCE_DIR / "ept.csv", dtype=str)
    assert len(ept) == 11 and sorted(ept["numero"].astype(int)) == list(range(2, 13))
    assert not members["code"].duplicated().any() and set(members["siren"]) == set(ept["siren"])
    # COG 2025: 36 + 39 + 47 communes of 92, 93, 94 (Pierrefitte merged into Saint-Denis on 2025-01-01)
    # and seven of the grande couronne
    assert members["code"].str[:2].value_counts().to_dict() == {"94": 47, "93": 39, "92": 36, "91": 6, "95": 1}


def test_store_exposes_ept(store):
    con = reader(store)
    assert con.execute("SELECT count(*) FROM ept").fetchone()[0] == 11
    # every commune of 92, 93, 94 in exactly one EPT; Paris in none
    assert con.execute("SELECT count(*) FROM communes WHERE departement IN ('92','93','94') AND ept IS NULL"
                       ).fetchone()[0] == 0
    assert con.execute("SELECT ept FROM communes WHERE code = '75056'").fetchone()[0] is None
    row = territory.ept(GPSEA, store)
    assert (row["numero"], row["sigle"], row["departement"], row["membres"]) == (11, "GPSEA", "94", 16)
    assert row["population"] == territory.ept_members(GPSEA, store)["population"].sum()
    assert list(territory.ept_of_departement("94", store=store)["sigle"]) == ["PEMB", "GPSEA", "GOSB"]


def test_label_held_by_an_ept_covers_exactly_its_communes(store_copy):
    commit_entities([{"niveau": "ept", "code": GPSEA, "nom": "GPSEA", "departement": "94"}], store_copy)
    members = set(territory.ept_members(GPSEA, store_copy)["code"])
    assert len(members) == 16 and "94028" in members and "94080" not in members  # Créteil in, Vincennes out
    status = coverage.communes_status(LABEL, None, store_copy).set_index("code")["statut"]
    assert set(status[status == coverage.STATUS_EPT].index) == members
    assert set(status[status != coverage.STATUS_NONE].index) == members
    row = coverage.by_departement(LABEL, store_copy).set_index("code").loc["94"]
    assert (row["communes_via_ept"], row["communes_via_epci"], row["communes_couvertes"]) == (16, 0, 16)
    assert row["ept_labellises"] == 1
    assert row["population_couverte"] == row["population_via_ept"] == territory.ept(GPSEA, store_copy)["population"]
    assert coverage.france(LABEL, store_copy)["ept_labellises"] == 1


def test_routes_do_not_double_count(store_copy):
    """A commune labelled itself and through its EPT and the Métropole counts once, directly."""
    commit_entities([{"niveau": "ept", "code": GPSEA}, {"niveau": "commune", "code": "94028"},
                     {"niveau": "epci", "code": "200054781"}], store_copy)
    row = coverage.by_departement(LABEL, store_copy).set_index("code").loc["94"]
    assert (row["communes_directes"], row["communes_via_ept"], row["communes_via_epci"]) == (1, 15, 31)
    assert row["communes_couvertes"] == 47
    assert row["population_couverte"] == row["population_directe"] + row["population_via_ept"] + \
        row["population_via_epci"]


def test_lists_name_the_ept(store_copy):
    commit_entities([{"niveau": "ept", "code": GPSEA, "nom": "Grand Paris Sud Est Avenir", "departement": "94"}],
                    store_copy)
    done = lists.labelled(LABEL, ["94"], store=store_copy)
    assert list(done["niveau"]) == ["ept"] and done.loc[0, "population"] > 300_000
    assert lists.for_export(done, "labellises").loc[0, "Niveau"] == "EPT (Grand Paris)"
    missing = lists.not_covered(LABEL, ["94"], store=store_copy)
    assert len(missing) == 47 - 16
    assert set(missing["ept_nom"]) == {"#ParisEstMarne&Bois", "Grand-Orly Seine Bièvre"}
    geo = lists.geojson_export(done, "labellises", store_copy)
    assert geo["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")


@pytest.mark.parametrize("dep", ["75", "92", "93", "94"])
def test_maps_outline_ept_instead_of_the_metropole(store, dep):
    geo = departement_map._make_geography(dep, store)
    epci_names = [f["properties"]["nom"] for f in (geo["epci"] or {"features": []})["features"]]
    assert not any("Grand Paris" in n and "Métropole" in n for n in epci_names)
    if dep == "75":  # Paris is not an EPT
        assert geo["ept"] is None
        return
    expected = {"92": 4, "93": 4, "94": 3}[dep]
    assert len(geo["ept"]["features"]) == expected
    tips = {geo["communes"]["ept_names"][i] for i in geo["communes"]["ept"]}  # each commune's EPT, for tooltips
    assert -1 not in geo["communes"]["ept"] and len(tips) == expected
    html = departement_map.build(dep, None, store=store).get_root().render()
    assert "tdj-ept" in html and "EPT du Grand Paris" in html  # outlines and legend
    for feature in geo["ept"]["features"]:  # the names drawn on the map
        assert feature["properties"]["nom"] in html


def test_ept_agree_with_the_boundaries_check_layer(store, shared):
    theirs = gpd.read_file(shared / "data" / "boundaries-check" / "ept-grand-paris-2025_ngeofr-maps.geojson")
    theirs = theirs.set_index(theirs["ept_siren"].astype(str))
    rows = reader(store).execute("SELECT siren, nom, geom FROM ept").fetchall()
    assert {r[0]: r[1] for r in rows} == theirs["ept_nom"].to_dict()
    ours = gpd.GeoSeries.from_wkb([bytes(r[2]) for r in rows], index=[r[0] for r in rows], crs=4326)
    ours = ours.to_crs(EQUAL_AREA)
    other = theirs.geometry.to_crs(EQUAL_AREA).reindex(ours.index)
    # the layer is generalised at 200 m and EPT are small (35-125 km²): areas within 10 %, overlap (IoU) > 0.85
    ratio = ours.area / other.area
    assert ratio.between(0.9, 1.1).all(), ratio.to_dict()
    iou = ours.intersection(other).area / ours.union(other).area
    assert (iou > 0.85).all(), iou.to_dict()
    # each of our communes lies in its EPT of the layer (a point inside it, the layer being generalised)
    com = reader(store).execute("SELECT code, ept, point_lon, point_lat FROM communes WHERE ept IS NOT NULL").df()
    points = gpd.GeoSeries.from_xy(com["point_lon"], com["point_lat"], crs=4326)
    inside = [theirs.geometry[e].buffer(0.003).contains(p) for e, p in zip(com["ept"], points, strict=True)]
    assert sum(inside) / len(inside) > 0.97
