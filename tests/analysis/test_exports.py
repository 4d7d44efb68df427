"""GeoPackage, XLSX and CSV of the analyses (issue 25) and the commands croiser, distances and export: files
readable by QGIS (layers, CRS, French attributes, codes as text). Lists here are SYNTHETIC."""

import io
import subprocess
import sys

import openpyxl
import pyogrio

from geo import imports
from geo.analysis import outputs
from geo.analysis.scope import Scope
from geo.io.readers import read_bytes
from geo.paths import ROOT

A, B, SITES = "Label A (test)", "Label B (test)", "Sites (test)"


def load(store, text: str, label: str, sites: bool = False) -> None:
    raw = text.encode()
    imports.commit(imports.prepare(read_bytes(raw, f"{label}.csv"), label, sites=sites, raw=raw, store=store), store)


def fixture(store) -> None:
    load(store, "nom;departement\nCalais;62\nCA du Boulonnais;62\n", A)
    load(store, "nom;departement\nCalais;62\nArras;62\n", B)
    load(store, "nom;ville;latitude;longitude\nStade (test);Arras;50.29;2.78\nSalle (test);Calais;;\n",
         SITES, sites=True)


def test_geopackage_opens_with_layers_crs_and_french_text_codes(store_copy, tmp_path):
    fixture(store_copy)
    out = outputs.distance_output(SITES, Scope("departement", "62"), 20, store_copy)
    path = outputs.write(out, "gpkg", tmp_path / "distances.gpkg")
    assert sorted(pyogrio.list_layers(path)[:, 0]) == ["communes", "sites"]
    info = pyogrio.read_info(path, layer="communes")
    assert info["crs"] == "EPSG:4326" and info["features"] == 887 and info["geometry_type"] == "MultiPolygon"
    fields = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert fields["Code INSEE"] == "object" and fields["Département"] == "object"
    assert "Distance à vol d'oiseau (km)" in fields and "Site le plus proche" in fields
    communes = pyogrio.read_dataframe(path, layer="communes")
    assert set(communes.loc[communes["Code INSEE"] == "62041", "Département"]) == {"62"}
    sites = pyogrio.read_dataframe(path, layer="sites")
    assert set(sites["Site"]) == {"Stade (test)", "Salle (test)"} and sites.geometry.geom_type.eq("Point").all()
    assert set(sites["Placé sur sa commune"]) == {"oui", "non"}


def test_crossing_as_xlsx_and_csv(store_copy):
    fixture(store_copy)
    out = outputs.crossing_output(A, B, Scope("departement", "62"), store_copy)
    book = openpyxl.load_workbook(io.BytesIO(outputs.to_bytes(out, "xlsx")))
    assert book.sheetnames == ["Communes", "Combinaisons", "Sources"]
    rows = list(book["Combinaisons"].values)
    assert rows[0][:3] == ("Combinaison", "Communes", "Population")
    assert rows[1][0] == f"{A} et {B}" and rows[1][1] == 1  # Calais
    codes = [r[0] for r in book["Communes"].iter_rows(min_row=2, values_only=True)]
    assert "62001" in codes and all(isinstance(c, str) for c in codes)
    text = outputs.to_bytes(out, "csv").decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Code INSEE;Commune;Département;EPCI;Population")


def run(store, *args: str) -> subprocess.CompletedProcess:
    env = {"TDJ_STORE": str(store), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "geo", *args], capture_output=True, text=True, cwd=ROOT, env=env)


def test_commands_print_a_summary_and_write_their_file(store_copy, tmp_path):
    fixture(store_copy)
    out = run(store_copy, "croiser", A, B, "--departement", "62", "-o", str(tmp_path / "c.csv"))
    assert out.returncode == 0, out.stderr
    assert f"{A} et {B} : 1 commune(s)" in out.stdout and (tmp_path / "c.csv").exists()
    out = run(store_copy, "distances", SITES, "--region", "32", "--rayon", "20", "--format", "gpkg", "-o",
              str(tmp_path / "d.gpkg"))
    assert out.returncode == 0, out.stderr
    assert "à moins de 20 km" in out.stdout and "vol d'oiseau" in out.stdout
    assert pyogrio.read_info(tmp_path / "d.gpkg", layer="communes")["features"] > 3000
    out = run(store_copy, "export", "hors-label", SITES, A, "--departement", "62", "--format", "xlsx", "-o",
              str(tmp_path / "h.xlsx"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("1 site(s)")  # the stadium of Arras is outside A; the hall of Calais is not
    out = run(store_copy, "distances", A)
    assert out.returncode != 0 and "pas une liste de sites" in out.stderr
    out = run(store_copy, "croiser", A, "Inconnu", "--departement", "99")
    assert out.returncode != 0 and "inconnu" in out.stderr.lower()


def test_csv_decimals_read_as_numbers_by_french_excel(store_copy):
    fixture(store_copy)
    out = outputs.distance_output(SITES, Scope("departement", "62"), 20, store_copy)
    rows = outputs.to_bytes(out, "csv").decode("utf-8-sig").splitlines()
    arras = next(r for r in rows if r.startswith("62041;"))
    import re

    assert re.search(r";\d,\d;Stade \(test\);", arras), arras  # under a km from Arras's point, « 0,9 »
