"""A meeting deck for a département, a région or France: a PowerPoint file (python-pptx) and a one-page PDF of
the same figures, in French, the lists' dates and sources on every slide. Names from imported files are only
ever written as text runs (python-pptx escapes them), never as markup."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo import fr
from geo.data import coverage, lists, provenance, territory, timeline
from geo.errors import UnknownName
from geo.slides import area_png, png

KINDS = ("france", "region", "departement")
ROWS_PER_SLIDE = 16          # labelled collectivités: one table per slide
NAMES_PER_COLUMN = 22        # communes not covered: three columns of names per slide
NAME_COLUMNS = 3
LEVEL_SHORT = {"commune": "Commune", "epci": "EPCI", "ept": "EPT", "departement": "Département",
               "region": "Région"}


@dataclass
class Scope:
    """Where the deck is about: its kind, code, French name and départements."""

    kind: str
    code: str | None
    nom: str
    departements: list[str] = field(default_factory=list)


def scope(kind: str, code: str | None = None, store: Path | None = None) -> Scope:
    """Check the territory asked for and name it; GeoError (in French) when unknown."""
    if kind == "france":
        return Scope("france", None, "France", [])
    if kind == "departement":
        row = territory.departement(str(code or "").upper(), store)
        if row is None:
            raise UnknownName(f"Département « {code} » inconnu.")
        return Scope("departement", row["code"], f"{row['nom']} ({row['code']})", [row["code"]])
    if kind == "region":
        regs = territory.regions(store)
        match = regs[regs["code"] == str(code or "")]
        if match.empty:
            raise UnknownName(f"Région « {code} » inconnue (code INSEE de région attendu, par ex. 32).")
        deps = territory.departements(store)
        return Scope("region", str(code), str(match.iloc[0]["nom"]),
                     sorted(deps.loc[deps["region"] == str(code), "code"]))
    raise UnknownName(f"Territoire « {kind} » inconnu : france, region ou departement.")


@dataclass
class Content:
    """Everything a slide or the PDF shows, computed once."""

    title: str
    footer: str
    made: dt.date
    figures: list[tuple[str, str]]
    map_png: bytes
    plain_map_png: bytes             # the map with its legend only, for the one-page PDF
    full_slide_map: bool             # the département PNG is already a complete slide (title, legend, figures)
    timeline_png: bytes
    labelled: pd.DataFrame           # Niveau, Nom, Nom dans la liste, Code, Département, Date
    missing: pd.DataFrame            # communes not covered (département) or counts by département
    missing_by_commune: bool
    undated: int
    last_change: dt.date | None
    chart_end: dt.date



def _fmt_pct(value) -> str:
    return f"{value:.1f} %".replace(".", ",") if value == value else "—"


def content(label: str, where: Scope, store: Path | None = None, today: dt.date | None = None,
            slides: bool = True, page: bool = True) -> Content:
    """The deck's figures, images and tables for a label and a territory; the département's map is drawn once
    as a full slide (`slides`) and once with its legend only (`page`, for the PDF), each only when wanted."""
    made = today or dt.date.today()
    cov = coverage.by_departement(label, store)
    here = cov[cov["code"].isin(where.departements)] if where.departements else cov
    communes, covered = int(here["communes"].sum()), int(here["communes_couvertes"].sum())
    pop, pop_cov = int(here["population"].sum()), int(here["population_couverte"].sum())
    towns = timeline.communes_in(where.departements or None, store)
    now = timeline.as_of(label, made, towns, store)
    figures = [("Communes couvertes", f"{fr.number(covered)} / {fr.number(communes)}"),
               ("Population couverte", _fmt_pct(100 * pop_cov / pop if pop else float("nan"))),
               ("Communes labellisées elles-mêmes", fr.number(now["communes_labellisees"])),
               ("EPCI / EPT labellisés", fr.number(now["epci_labellises"])),
               ("Départements labellisés", fr.number(now["departements_labellises"]))]
    footer = " · ".join(t for t in (provenance.list_dates(label, store), provenance.geography(store),
                                    provenance.sources(label), f"Document produit le {fr.long(made)}") if t)
    title = f"{where.nom} — {label}"
    if where.kind == "departement":
        note = provenance.list_dates(label, store)
        map_png = png.departement_png(where.code, label, title, note, store=store, figures=figures[:4],
                                      sources=provenance.sources(label)) if slides else b""
        plain = png.departement_png(where.code, label, "", store=store) if page else b""
    else:
        map_png = plain = area_png.area_png(label, where.departements or None, store)
    end = timeline.chart_end(label, made, store)
    france = timeline.history(label, None, store, until=end)
    hist = france if where.kind == "france" else timeline.history(label, towns, store, until=end)
    chart = area_png.timeline_png(hist, None if where.kind == "france" else france, where.nom)
    rows = lists.labelled(label, where.departements or None, store=store)
    labelled = pd.DataFrame({"Niveau": rows["niveau"].map(LEVEL_SHORT).fillna(rows["niveau"]),
                             "Nom": rows["nom_officiel"].fillna(rows["nom_brut"]),
                             "Nom dans la liste": rows["nom_brut"].fillna(""), "Code": rows["code"],
                             "Département": rows["departement"].fillna(""), "Date": rows["date_texte"]})
    if where.kind == "departement":
        gone = lists.not_covered(label, where.departements, store=store)
        missing, by_commune = gone[["nom", "code"]], True
    else:
        missing = pd.DataFrame({"Département": here["code"] + " " + here["nom"],
                                "Communes": here["communes"].map(fr.number),
                                "Non couvertes": (here["communes"] - here["communes_couvertes"]).map(fr.number)})
        by_commune = False
    return Content(title, footer, made, figures, map_png, plain, where.kind == "departement", chart, labelled, missing,
                   by_commune, timeline.undated(label, towns, store)["lignes"], timeline.last_change(label, store), end)


def pptx_bytes(label: str, where: Scope, store: Path | None = None, today: dt.date | None = None) -> bytes:
    """The deck as a .pptx file (16:9)."""
    return write_pptx(content(label, where, store, today, page=False))


def write_pptx(c: Content) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    blank = prs.slide_layouts[6]

    def slide(heading: str):
        s = prs.slides.add_slide(blank)
        _text(s, heading, Inches(0.4), Inches(0.25), Inches(12.5), Inches(0.7), Pt(26), bold=True)
        _text(s, c.footer, Inches(0.4), Inches(6.85), Inches(12.5), Inches(0.55), Pt(9), color=(0x44, 0x44, 0x44))
        return s

    s = slide(c.title)
    _text(s, "Couverture des territoires labellisés", Inches(0.4), Inches(1.3), Inches(12.5), Inches(0.6), Pt(20))
    _text(s, f"Situation au {fr.long(c.made)}", Inches(0.4), Inches(1.9), Inches(12.5), Inches(0.5), Pt(16))
    y = 2.8
    for name, value in c.figures:
        _text(s, value, Inches(0.6), Inches(y), Inches(3.5), Inches(0.55), Pt(24), bold=True, color=(8, 48, 107))
        _text(s, name, Inches(4.2), Inches(y + 0.08), Inches(8), Inches(0.5), Pt(16))
        y += 0.75

    if c.full_slide_map:  # the département PNG carries its own title, figures, legend and sources
        s = prs.slides.add_slide(blank)
        s.shapes.add_picture(io.BytesIO(c.map_png), 0, 0, width=prs.slide_width, height=prs.slide_height)
    else:
        s = slide(f"Carte — {c.title}")
        s.shapes.add_picture(io.BytesIO(c.map_png), Inches(0.4), Inches(1.0), height=Inches(5.8))
        y = 1.3
        for name, value in c.figures:
            _text(s, value, Inches(8.6), Inches(y), Inches(4.4), Inches(0.5), Pt(22), bold=True, color=(8, 48, 107))
            _text(s, name, Inches(8.6), Inches(y + 0.5), Inches(4.4), Inches(0.4), Pt(12))
            y += 1.05

    s = slide("La couverture dans le temps")
    s.shapes.add_picture(io.BytesIO(c.timeline_png), Inches(0.4), Inches(1.1), width=Inches(12.5))
    note = ("Nombres cumulés à la fin de chaque mois, selon la date de labellisation de chaque ligne des listes "
            "importées.")
    if c.chart_end < c.made:
        note += (f" Dernière labellisation dans les listes chargées : {fr.long(c.last_change)} ; la courbe "
                 "s'arrête un an après.")
    if c.undated:
        note += (f" {c.undated} ligne(s) sans date sont comptées à partir de la date de leur liste, ou à défaut "
                 "de leur import.")
    _text(s, note, Inches(0.4), Inches(5.9), Inches(12.5), Inches(0.8), Pt(12))

    chunks = [c.labelled.iloc[i:i + ROWS_PER_SLIDE] for i in range(0, len(c.labelled), ROWS_PER_SLIDE)] or \
        [c.labelled]
    for n, chunk in enumerate(chunks, 1):
        more = f" ({n}/{len(chunks)})" if len(chunks) > 1 else ""
        s = slide(f"Collectivités labellisées — {fr.number(len(c.labelled))}{more}")
        if chunk.empty:
            _text(s, "Aucune collectivité labellisée dans les listes chargées.", Inches(0.4), Inches(1.3),
                  Inches(12), Inches(0.6), Pt(16))
        else:
            _table(s, chunk, Inches(0.4), Inches(1.1), Inches(12.5), [1.4, 3.6, 3.6, 1.4, 1.0, 1.5])

    if c.missing_by_commune:
        names = [f"{nom} ({code})" for nom, code in zip(c.missing["nom"], c.missing["code"], strict=True)]
        per = NAMES_PER_COLUMN * NAME_COLUMNS
        parts = [names[i:i + per] for i in range(0, len(names), per)] or [[]]
        for n, part in enumerate(parts, 1):
            more = f" ({n}/{len(parts)})" if len(parts) > 1 else ""
            s = slide(f"Communes non couvertes — {fr.number(len(names))}{more}")
            if not part:
                _text(s, "Toutes les communes sont couvertes.", Inches(0.4), Inches(1.3), Inches(12), Inches(0.6),
                      Pt(16))
            for k in range(NAME_COLUMNS):
                column = part[k * NAMES_PER_COLUMN:(k + 1) * NAMES_PER_COLUMN]
                if column:
                    _text(s, "\n".join(column), Inches(0.4 + k * 4.2), Inches(1.05), Inches(4.1), Inches(5.7),
                          Pt(11))
    else:
        rows = c.missing
        per = ROWS_PER_SLIDE
        parts = [rows.iloc[i:i + per] for i in range(0, len(rows), per)]
        for n, part in enumerate(parts, 1):
            more = f" ({n}/{len(parts)})" if len(parts) > 1 else ""
            s = slide(f"Communes non couvertes, par département{more}")
            _table(s, part, Inches(0.4), Inches(1.05), Inches(9.0), [5.0, 2.0, 2.0])
            _text(s, "La liste commune par commune est dans la page Listes de l'application (export CSV).",
                  Inches(9.7), Inches(1.1), Inches(3.3), Inches(1.6), Pt(12))
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def _text(s, value: str, left, top, width, height, size, bold: bool = False,
          color: tuple[int, int, int] | None = None) -> None:
    """A text box; each line a paragraph, the text set as a run (escaped by python-pptx, never parsed)."""
    from pptx.dml.color import RGBColor

    frame = s.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for i, line in enumerate(str(value).split("\n")):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = line
        run.font.size, run.font.bold = size, bold
        if color:
            run.font.color.rgb = RGBColor(*color)


def _table(s, df: pd.DataFrame, left, top, width, widths: list[float]) -> None:
    """A plain table: French headers, every cell as text."""
    from pptx.util import Inches, Pt

    rows, cols = len(df) + 1, len(df.columns)
    table = s.shapes.add_table(rows, cols, left, top, width, Inches(0.33 * rows)).table
    for j, w in enumerate(widths[:cols]):
        table.columns[j].width = Inches(w)
    for j, name in enumerate(df.columns):
        table.cell(0, j).text = str(name)
    for i, record in enumerate(df.itertuples(index=False), 1):
        for j, value in enumerate(record):
            table.cell(i, j).text = "" if value is None or value != value else str(value)
    for i in range(rows):
        for j in range(cols):
            for para in table.cell(i, j).text_frame.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(12)


def pdf_bytes(label: str, where: Scope, store: Path | None = None, today: dt.date | None = None) -> bytes:
    """The same deck on one A4 landscape page: title, map, key figures, coverage over time, the lists' sizes."""
    return write_pdf(content(label, where, store, today, slides=False))


def write_pdf(c: Content) -> bytes:
    import matplotlib.image as mpimg
    from matplotlib.backends.backend_pdf import FigureCanvasPdf
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11.69, 8.27))
    FigureCanvasPdf(fig)
    fig.text(0.03, 0.955, c.title, fontsize=18, weight="bold", va="center", parse_math=False)
    fig.text(0.03, 0.915, f"Couverture des territoires labellisés — situation au {fr.long(c.made)}",
             fontsize=11, va="center", parse_math=False)
    for k, (name, value) in enumerate(c.figures):
        fig.text(0.03 + k * 0.19, 0.855, value, fontsize=16, weight="bold", color="#08306b", parse_math=False)
        fig.text(0.03 + k * 0.19, 0.83, name, fontsize=8.5, color="#333333", parse_math=False)
    ax = fig.add_axes((0.02, 0.35, 0.66, 0.46))
    ax.imshow(mpimg.imread(io.BytesIO(c.plain_map_png), format="png"))
    ax.set_axis_off()
    names = list(c.labelled["Nom"])
    shown = ", ".join(names[:20]) + (f"… et {len(names) - 20} autres" if len(names) > 20 else "")
    lines = [f"Collectivités labellisées : {fr.number(len(names))}" + (f" ({shown})" if names else "") + "."]
    if c.missing_by_commune:
        lines.append(f"Communes non couvertes : {fr.number(len(c.missing))} (liste complète dans le diaporama).")
    fig.text(0.70, 0.79, "\n".join(_wrap(t, 58) for t in lines), fontsize=8.5, va="top", parse_math=False)
    chart = fig.add_axes((0.03, 0.065, 0.94, 0.28))
    chart.imshow(mpimg.imread(io.BytesIO(c.timeline_png), format="png"))
    chart.set_axis_off()
    fig.text(0.03, 0.015, _wrap(c.footer, 190), fontsize=6.5, color="#444444", va="bottom", parse_math=False)
    buf = io.BytesIO()
    fig.savefig(buf, format="pdf")
    return buf.getvalue()


def _wrap(value: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(value, width)) or value
