"""Nothing on a slide overflows: every box inside the slide and apart from the others, tables cut into as many
slides as they need (« (suite) »), checked on the .pptx itself and, where LibreOffice is installed, on the deck
as LibreOffice draws it (pdftotext -bbox-layout: no line of text crosses another or the slide's edge, nothing
runs over the footer). The lists are SYNTHETIC (named as such): many more rows than the real lists, to fill the
slides; the French order of names (É with E, Œ with OE) is checked on the same deck."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from slide_text import slide_texts

from geo import fr, imports
from geo.io.readers import read_bytes
from geo.paths import ROOT
from geo.slides import deck
from geo.store import reader

LABEL = "Réunion de préfecture (synthétique)"
XSS = "<b>Liste</b> =1+1 $x$"
TODAY = dt.date(2026, 11, 22)
TERRITORIES = {"departement-62": ("departement", "62"), "region-32": ("region", "32"), "france": ("france", None)}
EMU_PER_INCH = 914400


def _list(store: Path) -> bytes:
    """40 communes of the 62 (the most populated, and Écoivres, Éclimeux, Œuf-en-Ternois), 6 of the 80, three
    EPCI of the 62 and the 80 with long names, 30 départements, and a hostile name: 80 rows."""
    con = reader(store)
    towns = con.execute("SELECT code, nom FROM communes WHERE departement = '62' ORDER BY population DESC "
                        "LIMIT 37").fetchall()
    towns += con.execute("SELECT code, nom FROM communes WHERE code IN ('62282', '62283', '62633')").fetchall()
    towns += con.execute("SELECT code, nom FROM communes WHERE departement = '80' ORDER BY population DESC "
                         "LIMIT 6").fetchall()
    epci = con.execute("SELECT siren, nom FROM epci WHERE siren IN ('246200364', '200037059', '200069722')"
                       ).fetchall()
    deps = con.execute("SELECT code, nom FROM departements ORDER BY code LIMIT 30").fetchall()
    lines = ["nom;code;date_labellisation;type"]
    lines += [f"{nom};{code};2019-11-20;commune" for code, nom in towns]
    lines += [f"{nom};{code};2020-01;epci" for code, nom in epci]
    lines += [f"{nom};{code};2020-03-09;departement" for code, nom in deps]
    lines.append(f"{XSS};62001;;commune")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def meeting_store(empty_store: Path, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("reunion") / "territoires.duckdb"
    shutil.copyfile(empty_store, path)
    raw = _list(path)
    prepared = imports.prepare(read_bytes(raw, "reunion-synthetique.csv"), LABEL, raw=raw, store=path)
    assert prepared.counts()["introuvable"] == 0 and prepared.counts().get("ambigu", 0) == 0
    imports.commit(prepared, path)
    return path


@pytest.fixture(scope="module")
def contents(meeting_store: Path) -> dict[str, deck.Content]:
    return {name: deck.content(LABEL, deck.scope(kind, code, meeting_store), meeting_store, today=TODAY, page=False)
            for name, (kind, code) in TERRITORIES.items()}


@pytest.fixture(scope="module")
def decks(contents) -> dict[str, bytes]:
    return {name: deck.write_pptx(c) for name, c in contents.items()}


def _boxes(slide) -> list[tuple[str, float, float, float, float]]:
    """Each shape's name and frame in inches; a table as tall as its rows."""
    out = []
    for shape in slide.shapes:
        height = sum(r.height for r in shape.table.rows) if shape.has_table else shape.height
        out.append((shape.name, shape.left / EMU_PER_INCH, shape.top / EMU_PER_INCH,
                    (shape.left + shape.width) / EMU_PER_INCH, (shape.top + height) / EMU_PER_INCH))
    return out



@pytest.mark.slow   # the three decks' contents: about 30 s, shared by the module
def test_every_box_is_inside_its_slide_and_apart_from_the_others(decks):
    from pptx import Presentation

    for name, data in decks.items():
        prs = Presentation(io.BytesIO(data))
        for n, slide in enumerate(prs.slides, 1):
            boxes = _boxes(slide)
            for shape, x0, y0, x1, y1 in boxes:
                assert x0 >= 0 and y0 >= 0 and x1 <= deck.SLIDE_W + 0.01 and y1 <= deck.SLIDE_H + 0.01, (name, n, shape)
            if len(boxes) == 1:   # the map: one picture, the whole slide
                continue
            for i, a in enumerate(boxes):
                for b in boxes[i + 1:]:
                    apart = a[3] <= b[1] + 1e-6 or b[3] <= a[1] + 1e-6 or a[4] <= b[2] + 1e-6 or b[4] <= a[2] + 1e-6
                    assert apart, (name, n, a, b)


@pytest.mark.slow   # the three decks' contents: about 30 s, shared by the module
def test_tables_continue_on_the_next_slide_and_names_are_in_french_order(decks, contents):
    from pptx import Presentation

    for name, data in decks.items():
        texts = [slide_texts(s) for s in Presentation(io.BytesIO(data)).slides]
        labelled = [t for t in texts if t.startswith("Collectivités labellisées")]
        total = len(contents[name].labelled)
        assert sum(t.count("\n") for t in labelled) > total  # every row is on a slide
        if total > 15:
            assert any("Collectivités labellisées" in t and "(suite)" in t for t in labelled), name
        prs = Presentation(io.BytesIO(data))
        xml = b"".join(p.blob for p in prs.part.package.iter_parts() if str(p.partname).endswith(".xml"))
        assert b"<b>Liste</b>" not in xml  # an imported name is never markup
        assert sum("les plus peuplées" in t for t in texts) == 1
        assert not any(t.startswith("Communes non couvertes —") for t in texts)  # no more pages of names
    c = contents["departement-62"]
    communes = list(c.labelled.loc[c.labelled["Niveau"] == "Commune", "Nom"])
    assert communes == sorted(communes, key=fr.sort_key)
    later = [n for n in communes if fr.sort_key(n) > "f"]
    assert later and communes.index("Écoivres") < communes.index(later[0])  # among the E, not after Z
    after = [n for n in communes if fr.sort_key(n) > "p"]
    assert after and communes.index("Œuf-en-Ternois") < communes.index(after[0])  # among the O, not after Z
    assert len(c.top_missing) == deck.TOP_MISSING
    assert list(c.top_missing["Commune"]) == list(
        c.missing.sort_values("Population", ascending=False, kind="stable")["Commune"].head(deck.TOP_MISSING))
    assert list(c.missing["Commune"]) == sorted(c.missing["Commune"], key=fr.sort_key)


@pytest.mark.slow   # the three decks' contents: about 30 s, shared by the module
def test_the_workbook_has_every_commune_not_covered(contents):
    from openpyxl import load_workbook

    c = contents["departement-62"]
    book = load_workbook(io.BytesIO(deck.write_xlsx(c)))
    sheet = book["Communes non couvertes"]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(names) == len(c.missing) > 800 and names == sorted(names, key=fr.sort_key)
    assert "Sources" in book.sheetnames and "Couverture par EPCI" in book.sheetnames
    raw = [row for row in book["Collectivités labellisées"].iter_rows(min_row=2) if row[2].value == XSS]
    assert raw and raw[0][2].data_type == "s"  # the hostile name as the list gave it: text, never a formula


@pytest.fixture(scope="module")
def rendered(decks) -> dict[str, Path]:
    """Each deck converted once by LibreOffice (one process for the three), kept in test-artifacts/deck."""
    soffice = shutil.which("soffice")
    if not soffice or not shutil.which("pdftotext"):
        pytest.skip("LibreOffice (soffice) ou pdftotext absent : « make libreoffice » les installe")
    out = ROOT / "test-artifacts" / "deck"
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for name, data in decks.items():
        path = out / f"reunion-{name}.pptx"
        path.write_bytes(data)
        files.append(str(path))
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{out}/profil", "--convert-to", "pdf",
                    "--outdir", str(out), *files], check=True, capture_output=True, timeout=600)
    return {name: out / f"reunion-{name}.pdf" for name in decks}


def _pages(pdf: Path) -> list[tuple[float, float, list[tuple[str, float, float, float, float]]]]:
    """Each page's size and its lines of text with their bounds (points), as pdftotext -bbox-layout sees them."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True,
                         timeout=120).stdout.decode()
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml)
    xml = re.sub(r"\sxmlns=\"[^\"]+\"", "", xml)
    pages = []
    for page in ET.fromstring(xml).iter("page"):
        lines = []
        for line in page.iter("line"):
            text = " ".join(w.text or "" for w in line.iter("word"))
            lines.append((text, *(float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))))
        pages.append((float(page.get("width")), float(page.get("height")), lines))
    return pages


@pytest.mark.slow
@pytest.mark.parametrize("name", list(TERRITORIES))
def test_libreoffice_draws_no_text_over_another_or_off_the_slide(rendered, decks, contents, name):
    from pptx import Presentation

    pages = _pages(rendered[name])
    assert len(pages) == len(Presentation(io.BytesIO(decks[name])).slides)
    footer_start = contents[name].footer.split()[:4]
    for n, (width, height, lines) in enumerate(pages, 1):
        for text, x0, y0, x1, y1 in lines:
            assert x0 >= -0.5 and y0 >= -0.5 and x1 <= width + 0.5 and y1 <= height + 0.5, (name, n, text)
        for i, a in enumerate(lines):
            for b in lines[i + 1:]:  # some slack: two stacked lines of one box share a little of their bounds
                tall = min(a[4] - a[2], b[4] - b[2])
                cross = min(a[3], b[3]) - max(a[1], b[1]) > 1 and min(a[4], b[4]) - max(a[2], b[2]) > 0.3 * tall
                assert not cross, (name, n, a, b)
        if not lines:   # the map: a picture of the whole slide
            continue
        feet = [ln for ln in lines if ln[0].split()[:4] == footer_start]
        assert feet, (name, n, "le pied de page (dates des listes, sources) n'est pas vu")
        top = feet[0][2]
        above = [ln for ln in lines if ln[2] < top - 0.5]
        assert all(ln[4] <= top + 0.5 for ln in above), (name, n)   # nothing runs into the footer


def _share_of(png: bytes, color: str) -> float:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    rgb = tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))
    return sum(n for n, c in image.getcolors(image.width * image.height) if c == rgb) / (image.width * image.height)


@pytest.mark.slow   # the three decks' contents: about 30 s, shared by the module
def test_the_map_shows_which_departements_hold_the_label(contents):
    """The région's and France's images (the deck's and the Présentation page's) shade the labelled
    départements (the list labels the first 30 by code: the Aisne in the Hauts-de-France), and the legend says
    so; the 62, not labelled here, has none of that colour."""
    from geo.slides import png

    assert _share_of(contents["france"].map_png, png.HELD) > 0.005
    assert _share_of(contents["region-32"].map_png, png.HELD) > 0.005
    assert _share_of(contents["departement-62"].map_png, png.HELD) == 0


@pytest.mark.slow
def test_the_one_page_pdf_is_at_print_quality(contents):
    """A4 landscape, one page; the legend at 8 pt or more; any picture in it at 300 dpi or more (a département's
    map is all vector)."""
    if not shutil.which("pdftotext") or not shutil.which("pdfimages"):
        pytest.skip("pdftotext ou pdfimages absent : « make libreoffice » les installe")
    out = ROOT / "test-artifacts" / "deck"
    out.mkdir(parents=True, exist_ok=True)
    for name in ("departement-62", "region-32"):
        pdf = out / f"fiche-{name}.pdf"
        pdf.write_bytes(deck.write_pdf(contents[name]))
        pages = _pages(pdf)
        assert len(pages) == 1 and pages[0][0] > pages[0][1]   # one landscape page
        width, height, lines = pages[0]
        legend = [ln for ln in lines if ln[0] in ("labellisée", "non couverte", "contour d'EPCI")]
        assert len(legend) >= 3 and all(ln[4] - ln[2] >= 8 for ln in legend), legend
        assert any(ln[0].startswith("Sources") or "Sources :" in ln[0] for ln in lines)
        listed = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, timeout=60)
        images = [row.split() for row in listed.stdout.decode().splitlines()[2:] if row.strip()]
        assert all(int(row[12]) >= 300 for row in images), images
        if name.startswith("departement"):
            assert not images


def test_french_order_of_names():
    names = ["Zutkerque", "Œuf-en-Ternois", "Étaples", "Écoivres", "Ecques", "Oye-Plage", "abbeville", "Ardres"]
    assert sorted(names, key=fr.sort_key) == ["abbeville", "Ardres", "Écoivres", "Ecques", "Étaples",
                                              "Œuf-en-Ternois", "Oye-Plage", "Zutkerque"]
    assert fr.sort_key(None) == "" and fr.sort_key(float("nan")) == ""
