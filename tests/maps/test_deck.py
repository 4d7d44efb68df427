"""Coverage over time and the meeting deck (.pptx and one-page PDF), on a SYNTHETIC list made for these tests
(labelled as such): the slides are opened with python-pptx and, where LibreOffice is installed, rendered to
PNG in test-artifacts/deck for a person to look at."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from slide_text import slide_texts

from geo import imports
from geo.cli import main
from geo.data import coverage, lists, timeline
from geo.errors import UnknownName
from geo.io.readers import read_bytes
from geo.paths import ROOT
from geo.slides import deck

LABEL = "Liste datée (synthétique)"
XSS = "<img src=x onerror=alert(1)>"
# Territoire de Belfort (90): 101 communes. Two labelled in November 2019, an EPCI in January 2020 (its
# members count as covered from then), the département in March 2020, one commune without a date, and a
# commune of the Doubs (25) that the 90's counts must not see.
DATED = f"""nom;code;date_labellisation;type
Belfort;90010;2019-11-20;commune
Delle;90033;2019-11-21;commune
{XSS};90001;;commune
CC du Sud Territoire;249000241;2020-01;epci
Territoire de Belfort;90;2020-03-09;departement
Besançon;25056;2019-11-20;commune
"""
TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def dated(store_copy: Path) -> Path:
    raw = DATED.encode()
    prepared = imports.prepare(read_bytes(raw, "synthetique-datee.csv"), LABEL, raw=raw, store=store_copy)
    assert prepared.counts()["introuvable"] == 0 and prepared.counts().get("ambigu", 0) == 0
    imports.commit(prepared, store_copy)
    return store_copy


@pytest.mark.slow
def test_counts_as_of_a_date_follow_the_labelling_dates(dated):
    towns = timeline.communes_in(["90"], dated)
    assert len(towns) == 101
    members = len(dated_members(dated))
    before = timeline.as_of(LABEL, dt.date(2019, 11, 19), towns, dated)
    assert before == {"communes_labellisees": 0, "communes_couvertes": 0, "epci_labellises": 0,
                      "departements_labellises": 0, "communes": 101}
    nov = timeline.as_of(LABEL, dt.date(2019, 11, 30), towns, dated)
    assert nov["communes_labellisees"] == 2 and nov["communes_couvertes"] == 2 and nov["epci_labellises"] == 0
    feb = timeline.as_of(LABEL, dt.date(2020, 2, 1), towns, dated)
    covered_feb = len({"90010", "90033"} | dated_members(dated))
    assert feb["epci_labellises"] == 1 and feb["communes_couvertes"] == covered_feb and members > 2
    # the undated row counts from its import (today, in the test), the département from March 2020
    now = timeline.as_of(LABEL, dt.date.today(), towns, dated)
    assert now["communes_labellisees"] == 3 and now["departements_labellises"] == 1
    assert timeline.as_of(LABEL, dt.date(2020, 3, 8), towns, dated)["departements_labellises"] == 0
    assert timeline.undated(LABEL, towns, dated) == {"lignes": 1, "dates": [dt.date.today()]}


def test_map_status_as_of_a_date(dated):
    towns = timeline.communes_in(["90"], dated)
    nov = timeline.status_as_of(LABEL, dt.date(2019, 11, 30), towns, dated).set_index("code")["statut"]
    assert set(nov[nov != coverage.STATUS_NONE].index) == {"90010", "90033"}
    feb = timeline.status_as_of(LABEL, dt.date(2020, 2, 1), towns, dated).set_index("code")["statut"]
    assert set(feb[feb == coverage.STATUS_EPCI].index) == dated_members(dated) - {"90010", "90033"}
    today = timeline.status_as_of(LABEL, dt.date.today(), towns, dated).set_index("code")["statut"]
    now = coverage.communes_status(LABEL, "90", dated).set_index("code")["statut"]
    assert today.sort_index().equals(now.sort_index())  # today, the same words as the coverage of the store


@pytest.mark.slow
def test_statuses_today_and_as_of_for_any_territory(dated):
    """One function gives every map and image its statuses: today's are geo.data.coverage's; a past day's, the
    timeline's, for a département, several, or all of France."""
    today = timeline.statuses(LABEL, "90", None, dated)
    assert today.sort_index().equals(coverage.communes_status(LABEL, "90", dated).set_index("code")["statut"])
    nov = timeline.statuses(LABEL, ["90", "25"], dt.date(2019, 11, 30), dated)
    assert set(nov[nov != coverage.STATUS_NONE].index) == {"90010", "90033", "25056"}
    france = timeline.statuses(LABEL, None, dt.date(2019, 11, 30), dated)
    assert len(france) > 34000 and set(france[france != coverage.STATUS_NONE].index) == set(
        nov[nov != coverage.STATUS_NONE].index)


@pytest.mark.slow
def test_departements_as_of_a_date_for_the_france_map(dated):
    """The France map of a past month: the shares of each département then, and today the same figures as the
    coverage of the store."""
    nov = timeline.departements_as_of(LABEL, dt.date(2019, 11, 30), dated).set_index("code")
    assert nov.loc["90", "communes_couvertes"] == 2 and not nov.loc["90", "departement_labellise"]
    assert nov.loc["90", "pct_communes_couvertes"] == round(100 * 2 / 101, 1)
    assert nov.loc["25", "communes_couvertes"] == 1 and nov.loc["01", "communes_couvertes"] == 0
    march = timeline.departements_as_of(LABEL, dt.date(2020, 3, 31), dated).set_index("code")
    assert march.loc["90", "departement_labellise"]
    now = timeline.departements_as_of(LABEL, dt.date.today(), dated).set_index("code").sort_index()
    cov = coverage.by_departement(LABEL, dated).set_index("code").sort_index()
    for column in ("communes_couvertes", "pct_communes_couvertes", "pct_population_couverte",
                   "departement_labellise"):
        assert now[column].tolist() == cov[column].tolist(), column


def dated_members(store: Path) -> set[str]:
    from geo.store import reader

    return {r[0] for r in reader(store).execute("SELECT code FROM epci_membres WHERE siren = '249000241'")
            .fetchall()}


@pytest.mark.slow
def test_history_is_cumulative_by_month_and_france_sees_the_doubs(dated):
    here = timeline.history(LABEL, timeline.communes_in(["90"], dated), dated, until=dt.date(2020, 4, 15))
    assert list(here["mois"]) == [dt.date(2019, 10, 1), dt.date(2019, 11, 1), dt.date(2019, 12, 1),
                                  dt.date(2020, 1, 1), dt.date(2020, 2, 1), dt.date(2020, 3, 1),
                                  dt.date(2020, 4, 1)]
    assert list(here["communes_labellisees"]) == [0, 2, 2, 2, 2, 2, 2]
    assert list(here["departements_labellises"]) == [0, 0, 0, 0, 0, 1, 1]
    assert here["communes_couvertes"].is_monotonic_increasing
    france = timeline.history(LABEL, None, dated, until=dt.date(2020, 4, 15))
    assert list(france["communes_labellisees"]) == [0, 3, 3, 3, 3, 3, 3]  # Besançon too


def test_deck_slides_for_a_departement(dated):
    where = deck.scope("departement", "90", dated)
    c = deck.content(LABEL, where, dated, today=TODAY)
    from pptx import Presentation

    prs = Presentation(io.BytesIO(deck.write_pptx(c)))
    slides = [slide_texts(s) for s in prs.slides]
    missing = lists.not_covered(LABEL, ["90"], store=dated)
    assert len(prs.slides) == 6   # title, map, over time, labelled, the 20 largest not covered, by EPCI
    assert "Territoire de Belfort (90) — Liste datée (synthétique)" in slides[0]
    row = coverage.by_departement(LABEL, dated).set_index("code").loc["90"]
    assert f"{row['communes_couvertes']} / 101" in slides[0]
    assert "Situation au 22 novembre 2026" in slides[0]
    assert any(sh.shape_type == 13 for sh in prs.slides[1].shapes)  # the map as a picture
    assert "La couverture dans le temps" in slides[2] and any(sh.shape_type == 13 for sh in prs.slides[2].shapes)
    assert "1 ligne(s) sans date" in slides[2]
    assert "Collectivités labellisées — 5" in slides[3]
    assert XSS in slides[3] and "Besançon" not in slides[3]  # an imported name stays text; the Doubs is not here
    assert "Les 20 communes non couvertes les plus peuplées" in slides[4]
    assert f"Sur {len(missing)} communes" in slides[4]
    assert all(name in slides[4] for name in missing["nom"].head(20))  # the most populated, not the others
    assert not any(name in slides[4] for name in missing["nom"].iloc[20:] if name not in set(missing["nom"].head(20)))
    assert "Couverture par EPCI" in slides[5] and "CC du Sud Territoire" in slides[5]
    for n, text in enumerate(slides):  # the lists' date and the sources on every slide but the full-page map
        if n != 1:
            assert "synthetique-datee.csv" in text and "Sources : INSEE" in text, n
    # the raw XML has the name escaped, never as markup
    xml = b"".join(p.blob for p in prs.part.package.iter_parts() if str(p.partname).endswith(".xml"))
    assert b"<img src=x" not in xml and b"&lt;img src=x onerror=alert(1)&gt;" in xml



@pytest.mark.slow
def test_one_page_pdf(dated):
    pdf = deck.pdf_bytes(LABEL, deck.scope("departement", "90", dated), dated, today=TODAY)
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1


def test_unknown_territory_is_said_in_french(store):
    with pytest.raises(UnknownName, match="Département « 999 » inconnu"):
        deck.scope("departement", "999", store)
    with pytest.raises(UnknownName, match="Région « 99 » inconnue"):
        deck.scope("region", "99", store)


@pytest.mark.slow
def test_cli_writes_the_deck_and_the_pdf(dated, tmp_path, capsys):
    out, pdf = tmp_path / "d.pptx", tmp_path / "d.pdf"
    assert main(["diaporama", "departement", "90", "--label", LABEL, "-o", str(out), "--pdf", str(pdf)]) == 0
    assert out.read_bytes()[:2] == b"PK" and pdf.read_bytes()[:4] == b"%PDF"
    assert "Diaporama écrit" in capsys.readouterr().err
    assert main(["diaporama", "departement", "90", "--label", "Inconnu", "-o", str(out)]) == 2
    assert "absent du magasin" in capsys.readouterr().err


@pytest.mark.slow
def test_region_and_france_decks_split_their_tables(dated):
    from pptx import Presentation

    for kind, code in (("region", "27"), ("france", None)):
        prs = Presentation(io.BytesIO(deck.pptx_bytes(LABEL, deck.scope(kind, code, dated), dated, today=TODAY)))
        texts = [slide_texts(s) for s in prs.slides]
        by_dep = [t for t in texts if t.startswith("Couverture par département")]
        assert by_dep and (kind == "region" or any("(suite)" in t.split("\n")[0] for t in by_dep))
        if kind == "region":  # Bourgogne-Franche-Comté holds the 90 and the 25
            assert any("90 Territoire de Belfort" in t for t in by_dep) and any("Besançon" in t for t in texts)


@pytest.mark.slow
def test_libreoffice_renders_every_slide(dated):
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if not soffice or not pdftoppm:
        pytest.skip("LibreOffice (soffice) ou pdftoppm absent : « make libreoffice » les installe")
    out = ROOT / "test-artifacts" / "deck"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("diaporama-90*"):
        old.unlink()
    pptx = out / "diaporama-90.pptx"
    pptx.write_bytes(deck.pptx_bytes(LABEL, deck.scope("departement", "90", dated), dated, today=TODAY))
    (out / "fiche-90.pdf").write_bytes(deck.pdf_bytes(LABEL, deck.scope("departement", "90", dated), dated,
                                                      today=TODAY))
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{out}/profil", "--convert-to", "pdf",
                    "--outdir", str(out), str(pptx)], check=True, capture_output=True, timeout=300)
    rendered = out / "diaporama-90.pdf"
    subprocess.run([pdftoppm, "-r", "60", "-png", str(rendered), str(out / "diaporama-90")], check=True,
                   timeout=300)
    subprocess.run([pdftoppm, "-r", "80", "-png", str(out / "fiche-90.pdf"), str(out / "fiche-90")], check=True,
                   timeout=300)
    from PIL import Image
    from pptx import Presentation

    pages = sorted(out.glob("diaporama-90-*.png"))
    assert len(pages) == len(Presentation(str(pptx)).slides)
    for png in pages:  # each slide drew something: not a blank page
        gray = Image.open(png).convert("L")
        dark = sum(gray.histogram()[:200])
        assert dark > 0.005 * gray.width * gray.height, png.name
