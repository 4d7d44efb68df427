"""Bad input: a clear French message, a partial import where rows are usable, the store unchanged."""

import hashlib
import io

import duckdb
import openpyxl
import pandas as pd
import pytest

from geo import imports
from geo.data import coverage, labels
from geo.errors import FileRefused
from geo.io.readers import read_bytes

LABEL = "Terre de Jeux 2024 (test)"


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def prepare_bytes(raw: bytes, name: str, **kw):
    return imports.prepare(read_bytes(raw, name), kw.pop("label", LABEL), raw=raw, **kw)


@pytest.mark.parametrize("raw,name,message", [
    (b"", "vide.csv", "est vide"),
    (b"nom;departement\n", "entete.csv", "ligne d'en-tête"),
    (b"nom;departement\r\n\r\n", "entete.csv", "ligne d'en-tête"),
    (bytes(range(256)) * 40, "junk.csv", "binaire"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 500, "image.csv", "binaire"),
    (b"PK\x03\x04casse", "classeur.xlsx", "illisible"),
    (b"{pas du json", "liste.json", "JSON valide"),
    (b"quantite;prix\n3;4\n5;6\n", "chiffres.csv", "Aucune colonne ne ressemble"),
])
@pytest.mark.slow
def test_unreadable_files_are_refused_in_french(store_copy, raw, name, message):
    before = digest(store_copy)
    with pytest.raises(FileRefused, match=message):
        prepare_bytes(raw, name, store=store_copy)
    assert digest(store_copy) == before


def test_cp1252_file(store_copy):
    raw = "nom;departement\nBéthune;62\nÉtaples;62\n".encode("cp1252")
    prepared = prepare_bytes(raw, "liste.csv", store=store_copy)
    assert list(prepared.rows["code"]) == ["62119", "62318"]
    assert "Windows-1252" in prepared.messages[0]


@pytest.mark.parametrize("sep", [";", ",", "\t"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_separators_and_bom(store_copy, sep, bom):
    raw = bom + sep.join(["nom", "departement"]).encode() + b"\n" + sep.join(["Calais", "62"]).encode() + b"\n" + \
        sep.join(["Créteil", "94"]).encode() + b"\n"
    prepared = prepare_bytes(raw, "liste.csv", store=store_copy)
    assert list(prepared.input.columns) == ["nom", "departement"]
    assert list(prepared.rows["code"]) == ["62193", "94028"]


def test_xlsx_with_several_sheets(store_copy):
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb.active.append(["Liste transmise par la préfecture"])
    sheet = wb.create_sheet("Communes")
    sheet.append(["Nom", "Code INSEE", "Date"])
    for row in (["Calais", 62193, "2019-11-20"], ["Arques", "62040", ""], ["Outreau", 62643, ""]):
        sheet.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    prepared = prepare_bytes(buf.getvalue(), "liste.xlsx", store=store_copy)
    assert list(prepared.rows["code"]) == ["62193", "62040", "62643"]
    assert any("feuilles" in m and "Communes" in m for m in prepared.messages)


def test_duplicated_rows_counted_once(store_copy):
    raw = b"nom;departement\nCalais;62\nCalais;62\nArques;62\n"
    prepared = prepare_bytes(raw, "doublons.csv", store=store_copy)
    assert any("en double" in m for m in prepared.messages)
    imports.commit(prepared, store_copy)
    cov = coverage.by_departement(LABEL, store_copy).set_index("code")
    assert cov.loc["62", "communes_directes"] == 2


def test_formulas_and_html_stay_text(store_copy):
    raw = 'nom;departement\n"=HYPERLINK(""http://x"";""Calais"")";62\n<img src=x onerror=alert(1)>;62\nArques;62\n'
    prepared = prepare_bytes(raw.encode(), "piege.csv", store=store_copy)
    assert any("« = »" in m for m in prepared.messages)
    assert any("HTML" in m for m in prepared.messages)
    assert prepared.rows.loc[3, "code"] == "62040"
    assert set(prepared.rows.loc[[1, 2], "statut"]) == {"introuvable"}
    import_id = imports.commit(prepared, store_copy)
    stored = labels.entities(LABEL, store_copy, include_review=True)
    assert "<img src=x onerror=alert(1)>" in set(stored["nom_brut"])  # kept verbatim, escaped at display
    assert import_id == 1


def test_partial_import_keeps_review_rows(store_copy):
    raw = b"nom;departement\nCalais;62\nVille-qui-n-existe-pas;62\nArques;\n"
    prepared = prepare_bytes(raw, "partiel.csv", store=store_copy)
    assert prepared.counts()["introuvable"] == 1 and prepared.counts()["ambigu"] == 1
    imports.commit(prepared, store_copy)
    kept = labels.entities(LABEL, store_copy, include_review=True)
    assert len(kept) == 3 and set(kept["statut"]) == {"exact", "introuvable", "ambigu"}
    assert len(labels.entities(LABEL, store_copy)) == 1


def test_sites_outside_france_and_without_commune(store_copy):
    raw = (b"id;lang;title;geo_point_2d;location\n"
           b"1;fr_FR;Stade;-33.86, 151.21;{\"city\": \"Calais\", \"postcode\": \"62100\"}\n"
           b"1;en_GB;Stadium;-33.86, 151.21;{\"city\": \"Calais\", \"postcode\": \"62100\"}\n"
           b"2;fr_FR;Gymnase;;{\"city\": \"\", \"postcode\": \"\"}\n"
           b"3;fr_FR;Dojo;48.79, 2.455;\n")
    prepared = prepare_bytes(raw, "cpj.csv", label="CPJ (test)", sites=True, store=store_copy)
    rows = prepared.rows.set_index(prepared.input["id"])
    assert len(rows) == 3  # one row per centre
    assert rows.loc["1", "commune"] == "62193" and "hors de France" in rows.loc["1", "remarque"]
    assert pd.isna(rows.loc["1", "lat"])  # never drawn in the Pacific
    assert rows.loc["2", "statut"] == "introuvable" and "sans commune" in rows.loc["2", "remarque"]
    assert rows.loc["3", "commune"] == "94028"  # Créteil, by point in polygon
    imports.commit(prepared, store_copy)
    assert len(labels.sites("CPJ (test)", store_copy)) == 3


def test_failed_commit_leaves_store_unchanged(store_copy, monkeypatch):
    prepared = prepare_bytes(b"nom;departement\nCalais;62\n", "ok.csv", store=store_copy)
    imports.commit(prepared, store_copy)
    before = imports.list_imports(store_copy)
    broken = prepare_bytes(b"nom;departement\nArques;62\n", "casse.csv", store=store_copy)
    broken.rows["date_label"] = "pas une date"  # DuckDB refuses it in the middle of the transaction
    with pytest.raises(duckdb.Error):
        imports.commit(broken, store_copy)
    after = imports.list_imports(store_copy)
    assert len(after) == len(before) == 1
    assert len(labels.entities(LABEL, store_copy)) == 1


@pytest.mark.slow
def test_hundred_thousand_rows(store_copy):
    names = ["Calais", "Arques", "Outreau", "Créteil", "Inconnue"] * 20000
    df = pd.DataFrame({"nom": names, "departement": ["62", "62", "62", "94", "62"] * 20000})
    raw = df.to_csv(index=False, sep=";").encode()
    prepared = prepare_bytes(raw, "gros.csv", store=store_copy)
    assert len(prepared.rows) == 100000
    assert prepared.counts()["introuvable"] == 20000
    imports.commit(prepared, store_copy)
    assert coverage.by_departement(LABEL, store_copy).set_index("code").loc["62", "communes_directes"] == 3


def test_row_with_extra_cells_loses_nothing(store_copy):
    raw = b"nom;departement\nCalais;62\nArques;62;en trop\nOutreau;62\n"
    prepared = prepare_bytes(raw, "decale.csv", store=store_copy)
    assert len(prepared.input) == 3 and list(prepared.rows["code"]) == ["62193", "62040", "62643"]
    assert "en trop" in set(prepared.input.iloc[:, 2])
    assert any("plus de cellules" in m and "lignes 3" in m for m in prepared.messages)


def test_duplicated_headers_are_kept_apart(store_copy):
    prepared = prepare_bytes(b"nom;nom;departement\nCalais;Ville;62\n", "entetes.csv", store=store_copy)
    assert list(prepared.input.columns) == ["nom", "nom (2)", "departement"]
    assert prepared.rows.loc[1, "code"] == "62193"
