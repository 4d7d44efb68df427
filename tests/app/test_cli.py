"""The command-line interface that other tools rely on."""

import subprocess
import sys

import pandas as pd
import pytest

from geo.paths import DATA_DIR, ROOT

PDC = DATA_DIR / "labels" / "terre-de-jeux-pas-de-calais-2019-11.csv"


def run(*args, store):
    env = {"TDJ_STORE": str(store), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "geo", *map(str, args)], cwd=ROOT, env=env, capture_output=True,
                          text=True)


@pytest.mark.slow
def test_resolve_output_keeps_input_and_adds_columns(store, tmp_path):
    out = tmp_path / "out.csv"
    result = run("resolve", PDC, "--output", out, store=store)
    assert result.returncode == 0, result.stderr
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    original = pd.read_csv(PDC, sep=";", dtype=str, keep_default_na=False)
    assert list(df.columns) == list(original.columns) + ["niveau", "code", "nom_officiel", "statut", "score",
                                                         "candidats"]
    pd.testing.assert_frame_equal(df[original.columns], original)
    assert list(df["code"])[:2] == ["62132", "62604"]
    assert "exact" in result.stderr and "normalise" in result.stderr


@pytest.mark.slow
def test_resolve_level_option_and_forced_column(store, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("libelle,numero\nPas-de-Calais,62\n", encoding="utf-8")
    result = run("resolve", src, "--level", "departement", "--colonne-code", "numero", store=store)
    assert result.returncode == 0, result.stderr
    assert "departement,62,Pas-de-Calais,exact" in result.stdout


@pytest.mark.slow
def test_import_list_withdraw(store_copy):
    assert run("import", PDC, "--label", "Terre de Jeux 2024", store=store_copy).returncode == 0
    listed = run("imports", store=store_copy)
    assert "terre-de-jeux-pas-de-calais-2019-11.csv" in listed.stdout
    assert run("withdraw", "1", store=store_copy).returncode == 0
    again = run("withdraw", "1", store=store_copy)
    assert again.returncode != 0 and "déjà retiré" in again.stderr


def test_bad_file_message(store, tmp_path):
    src = tmp_path / "vide.csv"
    src.write_bytes(b"")
    result = run("resolve", src, store=store)
    assert result.returncode == 2 and "est vide" in result.stderr


def test_import_as_a_new_version(store_copy, tmp_path):
    """Issue 20, point 1: `geo import --remplace N` saves the list as the new version of import n° N (withdrawn in
    the same write) and says what changed."""
    v1, v2 = tmp_path / "suivi-v1.csv", tmp_path / "suivi-v2.csv"
    v1.write_text("nom;departement;date\nCalais;62;20/11/2019\nArras;62;20/11/2019\n", encoding="utf-8")
    v2.write_text("nom;departement;date\nCalais;62;13/01/2020\nArras;62;20/11/2019\n", encoding="utf-8")
    assert run("import", v1, "--label", "Terre de Jeux 2024", store=store_copy).returncode == 0
    done = run("import", v2, "--label", "Terre de Jeux 2024", "--remplace", "1", store=store_copy)
    assert done.returncode == 0, done.stderr
    assert "Par rapport à l'import n° 1 : 0 ajout(s), 0 retrait(s), 1 date(s) changée(s)." in done.stderr
    from geo.store import reader

    assert reader(store_copy).execute("SELECT id, retire_le IS NULL FROM imports ORDER BY id").fetchall() == [
        (1, False), (2, True)]
    wrong = run("import", v2, "--label", "Terre de Jeux 2024", "--remplace", "1", store=store_copy)
    assert wrong.returncode != 0 and "déjà retiré" in wrong.stderr


def test_import_says_which_sites_another_import_already_has(store_copy, tmp_path):
    """A second list of sites of one label: `geo import` says how many facilities the first list already has,
    saves them, and they count once (SYNTHETIC lists)."""
    first, second = tmp_path / "portail.csv", tmp_path / "prefecture.csv"
    first.write_text("nom;commune;code_insee\nPiscine Tournesol;Arras;62041\n", encoding="utf-8")
    second.write_text("nom;commune;code_insee\nPiscine Tournesol;Arras;62041\nStade Degouve;Arras;62041\n",
                      encoding="utf-8")
    label = "Sites en double (synthétique)"
    assert run("import", first, "--label", label, "--sites", store=store_copy).returncode == 0
    done = run("import", second, "--label", label, "--sites", store=store_copy)
    assert done.returncode == 0, done.stderr
    assert "1 site de cette liste figure déjà dans l'import n° 1 de ce label : gardé dans l'import, compté une fois" \
        in done.stderr
    from geo.store import reader

    assert reader(store_copy).execute("SELECT import_id, ligne, deja_import FROM sites ORDER BY ALL").fetchall() == [
        (1, 1, None), (2, 1, 1), (2, 2, None)]
