"""Issue 19: site lists as portals and prefectures export them. The file's own code decides and is cross-checked
with the town name and the point; points off the simplified coastline are placed with a note; the facility keeps
its own name and its label date; duplicates count once, with one count everywhere; a label keeps its kind."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from geo import imports
from geo.build import synth
from geo.data import coverage, labels, timeline
from geo.errors import InputRefused
from geo.imports import site_repeats
from geo.imports.site_places import CommuneLocator
from geo.io.columns import detect
from geo.io.readers import read_bytes, read_table

LABEL = "Espaces labellisés (synthétique)"


def prepared_csv(text: str, store, label: str = LABEL, **kw) -> imports.Prepared:
    raw = text.encode()
    return imports.prepare(read_bytes(raw, "sites.csv"), label, sites=True, raw=raw, store=store, **kw)


@pytest.fixture(scope="module")
def national(store):
    """The synthetic national list of 3,000 labelled sites (codes, names, points, dates) and its resolution."""
    df, truth = synth.labelled_sites(store=store)
    raw = df.to_csv(index=False, sep=";").encode()
    prepared = imports.prepare(read_bytes(raw, "espaces.csv"), LABEL, sites=True, raw=raw, store=store)
    return prepared, truth.set_index(prepared.rows.index)


def test_the_file_code_is_never_left_without_a_note(national, store):
    prepared, truth = national
    rows = prepared.rows
    elsewhere = rows["commune"].notna() & (rows["commune"] != truth["commune"])
    assert not elsewhere.any(), rows[elsewhere]
    placed = rows["commune"] == truth["commune"]
    assert placed.mean() >= 0.98  # the far points (1 %) and the wrong codes (0.5 %) go to review on purpose
    wrong_code = rows[truth["cas"] == "code_faux"]
    assert len(wrong_code) and (wrong_code["statut"] == "ambigu").all()
    consistent = ~truth["cas"].isin(["loin", "code_faux"])
    assert placed[consistent].mean() >= 0.995
    # a point in the neighbouring commune keeps the code, with the distance in the note
    border = rows[truth["cas"] == "frontiere"]
    assert (border["commune"] == truth.loc[border.index, "commune"]).all()
    locator = CommuneLocator.get(store)
    inside = locator.locate(border["lon"].to_numpy(float), border["lat"].to_numpy(float))
    across = border[[code not in (None, expected) and locator.km_to(expected, lon, lat) > 0.05  # not on the edge
                     for code, expected, lon, lat in zip(inside, border["commune"], border["lon"], border["lat"],
                                                         strict=True)]]
    assert len(across) > 30
    assert across["remarque"].str.contains(r"commune voisine .* à \d+,\d km .* commune du code gardée").all()


def test_a_point_far_from_the_code_goes_to_review_with_both_candidates(national):
    prepared, truth = national
    far = prepared.rows[(truth["cas"] == "loin") & prepared.rows["lat"].notna()]
    assert len(far) and (far["statut"] == "ambigu").all()
    for line, row in far.iterrows():
        assert row["candidats"].startswith(truth.at[line, "commune"]), row["candidats"]
        assert ";" in row["candidats"] and "km de la commune du code" in row["remarque"]


def test_each_site_keeps_its_own_name_and_its_date(national):
    prepared, truth = national
    assert (prepared.rows["nom"] == truth["nom"]).all()
    assert prepared.columns.nom == "Nom de l'espace" and prepared.columns.ville == "Commune"
    assert prepared.columns.date == "Label"  # « Espace labellisé 01/02/2020 » under a header without « date »
    dated = truth["date"].notna()
    kept = pd.to_datetime(prepared.rows.loc[dated, "date_label"]).dt.date == truth.loc[dated, "date"]
    assert kept.mean() >= 0.95


def test_a_coastal_point_is_placed_in_the_nearest_commune_with_a_note(store):
    # 300 m off the coast of Ajaccio (Corse-du-Sud), outside every simplified polygon; then far at sea
    p = prepared_csv("nom;latitude;longitude\nBase nautique;41,9105;8,7425\nBouée;43,0;5,0\n", store)
    near, far = p.rows.loc[1], p.rows.loc[2]
    assert near["commune"] == "2A004", near["remarque"]
    assert "hors des contours simplifiés" in near["remarque"] and " km" in near["remarque"]
    assert far["commune"] is None or far["commune"] != far["commune"]
    assert "hors de France" in far["remarque"] and "de la commune la plus proche" in far["remarque"]


def test_a_code_and_a_town_name_that_disagree_go_to_review(store):
    p = prepared_csv("nom;commune;code_insee\nStade;Arras;62193\nGymnase;Calais;62193\n", store)
    assert p.rows.loc[1, "statut"] == "ambigu" and "62041" in p.rows.loc[1, "candidats"]
    assert p.rows.loc[1, "commune"] is None or p.rows.loc[1, "commune"] != p.rows.loc[1, "commune"]
    assert p.rows.loc[2, ["commune", "statut"]].tolist() == ["62193", "exact"]


def test_a_point_and_a_town_name_without_code(store):
    # the named commune wins over a point 300 m across its border, with a note; far apart: review
    p = prepared_csv("nom;commune;latitude;longitude\nStade;Calais;50,951;1,856\n"
                     "Salle;Arras;50,951;1,856\n", store)
    assert p.rows.loc[1, "commune"] == "62193"
    assert p.rows.loc[2, "statut"] == "ambigu" and "62041" in p.rows.loc[2, "candidats"]


@pytest.mark.parametrize(("header", "expected"), [
    ("titre;ville;code_insee;latitude;longitude", {"nom": "titre", "ville": "ville", "code": "code_insee"}),
    ("nom du site;lib_com;insee_com;geo_point_2d", {"nom": "nom du site", "ville": "lib_com", "code": "insee_com",
                                                    "coordonnees": "geo_point_2d"}),
    ("lib_fs;commune;code postal;adresse", {"nom": "lib_fs", "ville": "commune", "code_postal": "code postal"}),
    ("Équipement;Commune;Code INSEE;Latitude;Longitude", {"nom": "Équipement", "ville": "Commune",
                                                          "code": "Code INSEE", "latitude": "Latitude"}),
    ("title;subtitle;location;geo_point_2d;lang;id", {"nom": "title", "adresse": "location", "lang": "lang"}),
    ("site_name;commune_as_printed;commune_insee", {"nom": "site_name", "ville": "commune_as_printed",
                                                    "code": "commune_insee"}),
])
def test_site_columns_are_detected_from_the_usual_headers(header, expected):
    df = pd.DataFrame([["x"] * len(header.split(";"))], columns=header.split(";"))
    found = detect(df, sites=True).as_dict()
    assert {k: found[k] for k in expected} == expected


def test_decimal_commas_json_points_and_lat_lon_cells(store):
    p = prepared_csv('nom;ville;point\nA;;"{""lat"": 50.951, ""lon"": 1.858}"\nB;;"50,951, 1,858"\n', store)
    assert p.columns.coordonnees == "point"
    assert p.rows["commune"].tolist() == ["62193", "62193"]


def test_cpj_press_mentions_use_their_codes(store, shared):
    path = shared / "data" / "real-lists" / "cpj-presse-2020-2024.csv"
    table = read_table(path)
    p = imports.prepare(table, "CPJ presse (test)", sites=True, raw=path.read_bytes(), store=store)
    data = table.data.set_index(p.rows.index)
    coded = data["commune_insee"].str.fullmatch(r"\d[\dAB]\d{3}")
    assert (p.rows.loc[coded, "commune"] == data.loc[coded, "commune_insee"]).all()  # Grosbois (94004) too
    assert p.rows.loc[~coded, "commune"].isna().all()  # UNKNOWN / AMBIGUOUS: to review, never guessed
    assert (p.rows["nom"] == data["site_name"]).all()
    assert not any("CPJ sans commune" in m for m in p.rows["remarque"]) or "CPJ" in p.label


def test_the_same_facility_printed_twice_counts_once_everywhere(store_copy):
    text = ("nom;commune;code_insee\nl'Aréna Stade Couvert;Liévin;62510\nL'Aréna Stade couvert de Liévin;Liévin;62510\n"
            "Gymnase 1;Liévin;62510\nGymnase 2;Liévin;62510\nStade;;\n")
    p = prepared_csv(text, store_copy, label="Sites de test (synthétique)")
    assert "doublon probable de la ligne 1" in p.rows.loc[2, "remarque"]
    assert not p.rows.loc[[3, 4], "doublon"].any()  # two numbered gymnasiums are two sites
    assert any("doublon probable" in m for m in p.messages)
    assert "site sans commune" in p.rows.loc[5, "remarque"]  # « CPJ » only for the CPJ
    imports.commit(p, store_copy)
    shown = labels.sites("Sites de test (synthétique)", store_copy)
    assert len(shown) == 5 and labels.site_count(shown) == 3
    by_dep = coverage.by_departement("Terre de Jeux 2024", store_copy).set_index("code")
    assert by_dep.loc["62", "sites"] == labels.site_count(labels.sites(store=store_copy).query("departement == '62'"))


def test_site_dates_are_stored_and_follow_the_month(store_copy):
    text = ("nom;commune;code_insee;label\nA;Calais;62193;Espace labellisé 01/02/2020\n"
            "B;Arras;62041;Labellisé le 3 mars 2022\n")
    p = prepared_csv(text, store_copy, label="Dates de sites (synthétique)")
    imports.commit(p, store_copy)
    shown = labels.sites("Dates de sites (synthétique)", store_copy).set_index("nom")
    assert shown.loc["A", "date_label"] == pd.Timestamp("2020-02-01")
    assert labels.site_count(shown, dt.date(2021, 12, 31)) == 1
    assert labels.site_count(shown, dt.date(2022, 3, 31)) == 2
    assert labels.site_count(shown, dt.date(2019, 12, 31)) == 0
    # the France map of a past month counts them by département as they stood then
    then = timeline.departements_as_of("Dates de sites (synthétique)", dt.date(2021, 12, 31), store_copy)
    assert then.set_index("code").loc["62", "sites"] == 1


def test_a_label_keeps_its_kind(store_copy):
    p = prepared_csv("nom;commune;code_insee\nA;Calais;62193\n", store_copy, label="Sites gardés (synthétique)")
    imports.commit(p, store_copy)
    raw = b"nom;code\nCalais;62193\n"
    with pytest.raises(InputRefused, match="label de sites"):
        imports.prepare(read_bytes(raw, "l.csv"), "Sites gardés (synthétique)", raw=raw, store=store_copy)
    territorial = imports.prepare(read_bytes(raw, "l.csv"), "Territoires (synthétique)", raw=raw, store=store_copy)
    imports.commit(territorial, store_copy)
    with pytest.raises(InputRefused, match="label de territoires"):
        prepared_csv("nom;commune\nA;Calais\n", store_copy, label="Territoires (synthétique)")


def test_what_makes_two_rows_one_site(store):
    """Review of issue 19: a blank identifier, a list without a name column and communes déléguées of one commune
    never merge distinct sites; an identifier repeated in another commune is another site."""
    p = prepared_csv("id;nom;commune;code_insee\n;Stade;Arras;62041\n;Piscine;Lens;62498\n;Salle;Calais;62193\n"
                     "7;Dojo;Arras;62041\n7;Dojo;Lens;62498\n", store)
    assert not p.rows["doublon"].any()
    p = prepared_csv("commune;latitude;longitude\nArras;50,2915;2,7775\nArras;50,2800;2,7600\n", store)
    assert p.rows["commune"].tolist() == ["62041", "62041"] and not p.rows["doublon"].any()
    p = prepared_csv("nom;ville;code_insee\nPiscine de Tourlaville;Tourlaville;50129\n"
                     "Piscine d'Octeville;Octeville;50129\nPiscine de Cherbourg;Cherbourg;50129\n", store)
    assert not p.rows["doublon"].any()


def test_a_point_never_silently_overrides_a_town_or_a_postcode(store):
    p = prepared_csv("nom;ville;code_postal;latitude;longitude\nA;Lensxyz;;48,8566;2,3522\n"
                     "B;Saint-Denis;;48,8566;2,3522\nC;;62300;48,8566;2,3522\n", store)
    assert p.rows.loc[1, "commune"] == "75056" and "non reconnu" in p.rows.loc[1, "remarque"]
    assert p.rows.loc[2, "statut"] == "ambigu" and "75056" in p.rows.loc[2, "candidats"]
    assert p.rows.loc[3, "statut"] == "ambigu" and "62300" in p.rows.loc[3, "remarque"]  # Lens, not Paris


def test_codes_as_spreadsheets_write_them(store):
    p = prepared_csv('nom;code_insee\nA;"62193,0"\nB;Calais (62193)\nC;nan\n', store)
    assert p.rows["commune"].tolist()[:2] == ["62193", "62193"]
    assert "inconnu" not in p.rows.loc[3, "remarque"]


def test_a_column_left_out_by_hand_is_not_detected_again(store):
    p = prepared_csv("nom;commune;code_insee\nStade;Calais;99999\n", store, forced={"code": None})
    assert p.columns.code is None and p.rows.loc[1, "commune"] == "62193"


def test_a_withdrawn_label_can_be_imported_as_the_other_kind(store_copy):
    raw = b"nom;code\nCalais;62193\n"
    wrong = imports.prepare(read_bytes(raw, "l.csv"), "Erreur de genre (synthétique)", raw=raw, store=store_copy)
    import_id = imports.commit(wrong, store_copy)
    imports.withdraw(import_id, store_copy)
    again = prepared_csv("nom;commune\nA;Calais\n", store_copy, label="Erreur de genre (synthétique)")
    assert again.genre == "sites"


def test_a_site_placed_by_hand_in_the_commune_of_the_same_site_counts_once(store):
    """Fixing a review row by hand recomputes the duplicates: a facility placed in the commune where the list
    already has it is flagged and counted once; dismissing the first copy lets the other count (SYNTHETIC list)."""
    prepared = prepared_csv("nom;ville;code_insee\nPiscine Tournesol;Arras;62041\n"
                            "Piscine Tournesol;Arrazzq;\nStade Degouve;Arras;62041\n", store)
    rows = prepared.rows
    assert rows.loc[2, "commune"] is None or rows.loc[2, "commune"] != rows.loc[2, "commune"], rows.loc[2].to_dict()
    assert not rows["doublon"].any()
    imports.set_row(prepared, 2, "62041")
    assert list(prepared.rows["doublon"]) == [False, True, False]
    assert prepared.rows.loc[2, "remarque"].startswith("doublon de la ligne 1 ; commune choisie à la main")
    assert labels.site_count(prepared.rows.assign(doublon=prepared.rows["doublon"])) == 2
    imports.set_row(prepared, 1, None)  # the first copy dismissed: the second is the site now
    assert list(prepared.rows["doublon"]) == [False, False, False]
    assert prepared.rows.loc[2, "remarque"] == "commune choisie à la main"


def test_the_same_facility_in_two_imports_counts_once_until_one_is_withdrawn(store_copy):
    """Two lists of one label that share facilities (the portal's list and a prefecture's): each facility counts
    once, and withdrawing or replacing a list lets the other's copy count again (SYNTHETIC lists)."""
    label = "Sites en deux listes (synthétique)"
    first = prepared_csv("nom;commune;code_insee;adresse;latitude;longitude\n"
                         "Stade couvert régional;Liévin;62510;Chemin des Manufactures;50.4227;2.7710\n"
                         "Piscine;Arras;62041;;;\nGymnase;Calais;62193;1 rue des Fleurs;;\n", store_copy, label=label)
    first_id = imports.commit(first, store_copy)
    second = prepared_csv("nom;commune;code_insee;adresse;latitude;longitude\n"
                          "Stade Couvert Régional de Liévin;Liévin;62510;chemin des manufactures;;\n"
                          "Piscine;Arras;62041;12 rue de la Paix;;\n"
                          "Gymnase;Calais;62193;5 avenue Blériot;;\n"  # another address: another gymnasium
                          "Dojo;Calais;62193;;;\n", store_copy, label=label)
    assert list(imports.already_counted(second, store_copy).items()) == [(1, first_id), (2, first_id)]
    assert imports.already_counted(second, store_copy, besides=first_id).empty  # a new version repeats nothing
    second_id = imports.commit(second, store_copy)

    def counted() -> tuple[int, list]:
        shown = labels.sites(label, store_copy)
        by_dep = coverage.by_departement("Terre de Jeux 2024", store_copy).set_index("code")
        everything = labels.site_count(labels.sites(store=store_copy).query("departement == '62'"))
        assert by_dep.loc["62", "sites"] == everything  # one count on every page
        return labels.site_count(shown), sorted(shown.dropna(subset=["deja_import"])[["import_id", "ligne"]]
                                                 .itertuples(index=False, name=None))

    assert counted() == (5, [(second_id, 1), (second_id, 2)])
    imports.withdraw(first_id, store_copy)
    assert counted() == (4, [])  # the second list's copies count again
    imports.restore(first_id, store_copy)
    assert counted() == (5, [(second_id, 1), (second_id, 2)])
    third = prepared_csv("nom;commune;code_insee\nStade couvert régional;Liévin;62510\n", store_copy, label=label)
    third_id = imports.commit_version(third, first_id, store_copy)  # the first list, corrected: one site left
    assert counted() == (4, [(third_id, 1)])  # the second list has the stadium since before the new version


def test_what_makes_two_imports_share_a_facility():
    """Same commune and name; the address or the point, when both lists give them, must agree; one copy per list
    (SYNTHETIC rows)."""
    rows = pd.DataFrame([
        (1, "Piscine", "Arras", "", 2.7775, 50.2910),
        (1, "Gymnase Léo Lagrange", "Arras", "", None, None),
        (2, "Piscine municipale", "Arras", "", None, None),  # another name: not the same
        (2, "Piscine", "Arras", "", 2.7800, 50.2920),  # 0.2 km away: the same
        (3, "Piscine", "Arras", "", 2.8500, 50.3200),  # 6 km away: another pool
        (3, "Gymnase Léo-Lagrange d'Arras", "Arras", "", None, None),  # written otherwise: the same
        (3, "GYMNASE LEO LAGRANGE", "Arras", "", None, None),  # a second one in the same list: not matched twice
        (4, "Gymnase Léo Lagrange à Arras", "Arras", "", None, None),  # « à » before the town: the same
    ], columns=["import_id", "nom", "ville", "adresse", "lon", "lat"]).assign(commune="62041", commune_nom="Arras")
    assert site_repeats.repeats(rows).tolist() == [pd.NA, pd.NA, pd.NA, 1, pd.NA, 1, pd.NA, 1]
    # one commune nouvelle, two towns as written: Tourlaville's stadium is not Octeville's
    towns = pd.DataFrame([(1, "Stade Tourlaville", "Tourlaville"), (2, "Stade Octeville", "Octeville"),
                          (2, "Stade", "Tourlaville"), (1, "Terrain A", None), (2, "Terrain", None),
                          (2, "Terrain A", None), (1, float("nan"), None), (2, float("nan"), None)],
                         columns=["import_id", "nom", "ville"]).assign(
        adresse=None, lon=float("nan"), lat=float("nan"), commune="50129", commune_nom="Cherbourg-en-Cotentin")
    assert site_repeats.repeats(towns.sort_values("import_id", kind="stable")).sort_index().tolist() == [
        pd.NA, pd.NA, 1, pd.NA, pd.NA, 1, pd.NA, pd.NA]


def test_a_store_saved_before_the_flag_gets_it_at_its_next_write_or_build(store_copy):
    """Overlapping lists saved before this rule count once after any write, or after `geo build` (SYNTHETIC)."""
    from geo import cli
    from geo.store import transaction

    label = "Sites d'avant (synthétique)"
    for _ in range(2):  # two lists saved before the rule
        imports.commit(prepared_csv("nom;commune;code_insee\nPiscine Tournesol;Arras;62041\n", store_copy,
                                    label=label), store_copy)
    with transaction(store_copy) as con:
        con.execute("UPDATE sites SET deja_import = NULL")
    assert labels.site_count(labels.sites(label, store_copy)) == 2
    cli._recount_site_repeats(store_copy)
    assert labels.site_count(labels.sites(label, store_copy)) == 1
    with transaction(store_copy) as con:
        con.execute("UPDATE sites SET deja_import = NULL")
    raw = b"nom;code\nCalais;62193\n"
    imports.commit(imports.prepare(read_bytes(raw, "l.csv"), "Autre liste (synthétique)", raw=raw, store=store_copy),
                   store_copy)
    assert labels.site_count(labels.sites(label, store_copy)) == 1
