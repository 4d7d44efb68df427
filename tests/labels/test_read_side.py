"""What the pages used to work out themselves, now in geo/data: the site filters of « Centres de préparation »,
the months of the « Couverture au » control, the sentence saying since when a département is labelled, and
French whole numbers."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from geo import fr
from geo.data import labels, timeline

LABEL = "Terre de Jeux 2024"


def _sites() -> pd.DataFrame:
    return pd.DataFrame({
        "nom": ["Stade A", "Piscine B", "Gymnase C", "Dojo D"],
        "disciplines": [["Athlétisme", "Football"], ["Natation"], None, ["Judo", "Para judo"]],
        "olympique": [True, True, False, True],
        "paralympique": [False, True, True, True],
        "region": ["32", "32", "11", "11"],
        "departement": ["62", "59", "94", "75"],
    })


def test_site_disciplines_are_every_discipline_once_sorted():
    assert labels.site_disciplines(_sites()) == ["Athlétisme", "Football", "Judo", "Natation", "Para judo"]
    assert labels.site_disciplines(_sites().iloc[2:3]) == []


def test_filter_sites_without_filters_keeps_every_site():
    assert list(labels.filter_sites(_sites())["nom"]) == ["Stade A", "Piscine B", "Gymnase C", "Dojo D"]
    assert list(labels.filter_sites(_sites(), [], "tous", "", "")["nom"]) == list(_sites()["nom"])


def test_filter_sites_by_discipline_keeps_sites_with_any_of_them():
    assert list(labels.filter_sites(_sites(), ["Natation"])["nom"]) == ["Piscine B"]
    assert list(labels.filter_sites(_sites(), ["Football", "Judo"])["nom"]) == ["Stade A", "Dojo D"]
    assert labels.filter_sites(_sites(), ["Escrime"]).empty  # a site without disciplines matches none


@pytest.mark.parametrize("kind,names", [("olympiques", ["Stade A", "Piscine B", "Dojo D"]),
                                        ("paralympiques", ["Piscine B", "Gymnase C", "Dojo D"]),
                                        ("tous", ["Stade A", "Piscine B", "Gymnase C", "Dojo D"])])
def test_filter_sites_by_kind(kind, names):
    assert kind in labels.SITE_KINDS
    assert list(labels.filter_sites(_sites(), kind=kind)["nom"]) == names


def test_filter_sites_by_region_and_departement_combined_with_the_rest():
    assert list(labels.filter_sites(_sites(), region="11")["nom"]) == ["Gymnase C", "Dojo D"]
    assert list(labels.filter_sites(_sites(), departement="59")["nom"]) == ["Piscine B"]
    assert list(labels.filter_sites(_sites(), kind="olympiques", region="11")["nom"]) == ["Dojo D"]
    assert labels.filter_sites(_sites(), ["Natation"], region="11").empty


def test_offered_months_stop_at_the_end_then_add_the_current_month():
    months = [dt.date(2019, m, 1) for m in range(10, 13)] + [dt.date(2020, m, 1) for m in range(1, 13)]
    offered = timeline.offered_months(months, dt.date(2020, 2, 15), dt.date(2020, 12, 9))
    assert list(offered) == ["2019-10", "2019-11", "2019-12", "2020-01", "2020-02", "2020-12"]
    assert offered["2019-11"] == dt.date(2019, 11, 1) and offered["2020-12"] == dt.date(2020, 12, 1)


def test_offered_months_when_the_end_is_today():
    months = [dt.date(2024, m, 1) for m in range(1, 4)]
    assert list(timeline.offered_months(months, dt.date(2024, 3, 20), dt.date(2024, 3, 20))) == \
        ["2024-01", "2024-02", "2024-03"]


def test_since_text_is_as_precise_as_the_source():
    assert labels.since_text("21/11/2019") == "depuis le 21/11/2019"
    assert labels.since_text("janvier 2020") == "depuis janvier 2020"
    assert labels.since_text("") == "" and labels.since_text(None) == ""


def test_departement_sentence_says_since_when_and_the_source():
    status = {"date_texte": "21/11/2019", "source": "https://exemple.fr/vague-1", "fichier": "deps.csv"}
    assert labels.departement_sentence(LABEL, status) == \
        "Le département est labellisé « Terre de Jeux 2024 » depuis le 21/11/2019 (source : https://exemple.fr/vague-1)."
    undated = {"date_texte": "", "source": "", "fichier": "deps.csv"}
    assert labels.departement_sentence(LABEL, undated) == \
        "Le département est labellisé « Terre de Jeux 2024 » (source : deps.csv)."
    month = {"date_texte": "janvier 2020", "source": "", "fichier": "deps.csv"}
    assert "labellisé « Terre de Jeux 2024 » depuis janvier 2020 (source" in labels.departement_sentence(LABEL, month)


def test_french_whole_numbers():
    assert fr.number(34875) == "34\u202f875"
    assert fr.number(1234567.0) == "1\u202f234\u202f567"
    assert fr.number(12) == "12" and fr.number(0) == "0"


def test_read_side_on_the_seeded_lists(store_copy):
    from geo.imports.seed import seed

    seed(store_copy)
    pdc = labels.departement_status(LABEL, "62", store_copy)
    assert labels.departement_sentence(LABEL, pdc) == (
        "Le département est labellisé « Terre de Jeux 2024 » depuis le 21/11/2019 (source : "
        "https://sportmag.fr/24-departements-labellises-terre-de-jeux-2024/amp).")
    vdm = labels.departement_status(LABEL, "94", store_copy)
    assert "depuis janvier 2020 (source : https://francsjeux.com/" in labels.departement_sentence(LABEL, vdm)

    today = dt.date.today()
    hist = timeline.history(LABEL, timeline.communes_in(["62"], store_copy), store_copy, until=today)
    end = timeline.chart_end(LABEL, today, store_copy)
    offered = timeline.offered_months(hist["mois"], end, today)
    assert list(offered)[0] == "2019-10"  # the month before the first labelling
    assert list(offered)[-1] == today.strftime("%Y-%m")
    assert all(m <= end or m == today.replace(day=1) for m in offered.values())
