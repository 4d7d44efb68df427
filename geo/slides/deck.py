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
from geo.slides import area_png, png, region_png

KINDS = ("france", "region", "departement")
TOP_MISSING = 20             # « les 20 communes non couvertes les plus peuplées »
LEVEL_SHORT = {"commune": "Commune", "epci": "EPCI", "ept": "EPT", "departement": "Département",
               "region": "Région"}
# the slide's grid, in inches (16:9, 13.333 × 7.5): every box is placed inside one of these bands
SLIDE_W, SLIDE_H, MARGIN = 13.333, 7.5, 0.4
BODY_TOP, BODY_BOTTOM = 1.05, 6.7          # under the heading, above the footer
FOOTER_TOP, FOOTER_H, FOOTER_PT = 6.78, 0.64, 9
TABLE_PT = 12
# the width of an average character of LibreOffice's DejaVu Sans (the widest of the usual substitutes for
# Calibri), per point of font size: a table row is given the height of the lines its longest cell will need
CHAR_IN_PER_PT = 0.0082
LINE_IN_PER_PT = 1.2 / 72
CELL_PAD_IN = 0.1 + 0.03                   # python-pptx's default top and bottom cell margins, and some air


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

    label: str
    where: Scope
    store: Path | None
    title: str
    footer: str
    made: dt.date
    figures: list[tuple[str, str]]
    shown: list[tuple[str, str]]     # the four on the map and the PDF
    map_png: bytes                   # the map as a complete slide (title, figures, legend, sources)
    timeline_png: bytes
    labelled: pd.DataFrame           # Niveau, Nom, Nom dans la liste, Code, Dép., Date (French order)
    missing: pd.DataFrame            # every commune not covered, for the workbook
    top_missing: pd.DataFrame        # the most populated of them, for a slide
    by_area: pd.DataFrame            # coverage by EPCI (a département) or by département (a région, France)
    by_area_title: str
    undated: int
    last_change: dt.date | None
    chart_end: dt.date


def _fmt_pct(value) -> str:
    return f"{value:.1f} %".replace(".", ",") if value == value else "—"


def content(label: str, where: Scope, store: Path | None = None, today: dt.date | None = None,
            slides: bool = True, page: bool = True) -> Content:
    """The deck's figures, images and tables for a label and a territory; the map is drawn as a full slide only
    when the slides are wanted (`slides`; the one-page PDF draws its own, `page` is kept for callers)."""
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
    held = ("Département labellisé", "oui" if now["departements_labellises"] else "non")
    # on the map and the PDF, four figures: the département's own label rather than its communes' count
    shown = [figures[i] for i in (0, 1, 3)] + [held if where.kind == "departement" else figures[4]]
    footer = " · ".join(t for t in (provenance.list_dates(label, store), provenance.geography(store),
                                    provenance.sources(label), f"Document produit le {fr.long(made)}") if t)
    title = f"{where.nom} — {label}"
    map_png = b""
    if slides:  # the same image as the Présentation page's PNG: one rendering of each territory
        note, sources = provenance.list_dates(label, store), provenance.sources(label)
        if where.kind == "departement":
            map_png = png.departement_png(where.code, label, title, note, store=store, figures=shown,
                                          sources=sources)
        else:
            map_png = region_png.region_png(where.code, label, title, note, store=store, figures=shown,
                                            sources=sources)
    end = timeline.chart_end(label, made, store)
    france = timeline.history(label, None, store, until=end)
    hist = france if where.kind == "france" else timeline.history(label, towns, store, until=end)
    chart = area_png.timeline_png(hist, None if where.kind == "france" else france, where.nom)
    rows = lists.labelled(label, where.departements or None, store=store)
    labelled = pd.DataFrame({"Niveau": rows["niveau"].map(LEVEL_SHORT).fillna(rows["niveau"]),
                             "Nom": rows["nom_officiel"].fillna(rows["nom_brut"]),
                             "Nom dans la liste": rows["nom_brut"].fillna(""), "Code": rows["code"],
                             "Dép.": rows["departement"].fillna(""), "Date": rows["date_texte"]})
    gone = lists.not_covered(label, where.departements or None, store=store)
    missing = pd.DataFrame({"Commune": gone["nom"], "Code INSEE": gone["code"], "Population": gone["population"],
                            "Département": gone["departement"], "Nom du département": gone["departement_nom"],
                            "EPCI": gone["epci_nom"], "EPT (Grand Paris)": gone["ept_nom"]})
    missing = missing.sort_values(["Commune", "Code INSEE"], key=fr.sort_keys, kind="stable").reset_index(drop=True)
    top = gone.head(TOP_MISSING)   # lists.not_covered: the most populated first
    top_missing = pd.DataFrame({"N°": [str(i) for i in range(1, len(top) + 1)], "Commune": top["nom"],
                                "Population": top["population"].map(lambda p: fr.number(p) if p == p else "—")})
    if where.kind != "departement":
        top_missing.insert(2, "Dép.", top["departement"])
    if where.kind == "departement":
        epci = coverage.by_epci(label, where.departements, store).sort_values("nom", key=fr.sort_keys)
        by_area = pd.DataFrame({"EPCI / EPT" if epci["ept"].any() else "EPCI": epci["nom"].fillna("(sans EPCI)"),
                                "Communes couvertes": [f"{fr.number(a)} / {fr.number(b)}" for a, b in
                                                       zip(epci["communes_couvertes"], epci["communes"], strict=True)],
                                "Population couverte": epci["pct_population_couverte"].map(_fmt_pct),
                                "Label": epci["labellise"].map({True: "oui", False: ""})})
        area_title = "Couverture par EPCI / EPT" if epci["ept"].any() else "Couverture par EPCI"
    else:
        by_area = pd.DataFrame({"Département": here["code"] + " " + here["nom"],
                                "Communes couvertes": [f"{fr.number(a)} / {fr.number(b)}" for a, b in
                                                       zip(here["communes_couvertes"], here["communes"], strict=True)],
                                "Population couverte": here["pct_population_couverte"].map(_fmt_pct),
                                "Label": here["departement_labellise"].map({True: "oui", False: ""})})
        area_title = "Couverture par département"
    return Content(label, where, store, title, footer, made, figures, shown, map_png, chart,
                   labelled.reset_index(drop=True), missing, top_missing.reset_index(drop=True),
                   by_area.reset_index(drop=True), area_title,
                   timeline.undated(label, towns, store)["lignes"], timeline.last_change(label, store), end)


def pptx_bytes(label: str, where: Scope, store: Path | None = None, today: dt.date | None = None) -> bytes:
    """The deck as a .pptx file (16:9)."""
    return write_pptx(content(label, where, store, today, page=False))


def xlsx_bytes(label: str, where: Scope, store: Path | None = None, today: dt.date | None = None) -> bytes:
    """The deck's lists in full, for whoever wants every name: the slides only show the 20 largest."""
    return write_xlsx(content(label, where, store, today, slides=False))


def write_xlsx(c: Content) -> bytes:
    """Communes not covered (all of them, in French order), labelled collectivités, coverage by area."""
    from geo.io.export import to_xlsx

    about = [("Label", c.label), ("Territoire", c.where.nom), ("Situation au", fr.short(c.made)),
             ("Dates et sources", c.footer)]
    sheets = {"Communes non couvertes": c.missing, "Collectivités labellisées": c.labelled,
              c.by_area_title.replace(" / ", " et "): c.by_area}
    return to_xlsx(sheets, about, text_columns=("Code INSEE", "Département", "Code", "Dép."))


def write_pptx(c: Content) -> bytes:
    """The slides: title and figures, map, coverage over time, labelled collectivités (as many slides as the
    table needs), the 20 most populated communes not covered, coverage by EPCI or by département."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    blank = prs.slide_layouts[6]
    width = SLIDE_W - 2 * MARGIN
    footer = _fit(c.footer, width, FOOTER_PT, 3)

    def slide(heading: str):
        s = prs.slides.add_slide(blank)
        big = len(heading) * CHAR_IN_PER_PT * 26 <= width - 0.2
        _text(s, _fit(heading, width, 26 if big else 18, 1 if big else 2), Inches(MARGIN), Inches(0.2),
              Inches(width), Inches(0.8), Pt(26 if big else 18), bold=True)
        _text(s, footer, Inches(MARGIN), Inches(FOOTER_TOP), Inches(width), Inches(FOOTER_H), Pt(FOOTER_PT),
              color=(0x44, 0x44, 0x44))
        return s

    def tables(heading: str, df: pd.DataFrame, widths: list[float], columns: int = 1, note: str = "") -> None:
        """As many slides as the table needs, each table inside the body; « (suite) » on the next ones."""
        top = BODY_TOP + (0.55 if note else 0)
        chunks = _chunks(df, widths, TABLE_PT, BODY_BOTTOM - top)
        for n in range(0, len(chunks), columns):
            s = slide(heading if n == 0 else f"{heading} (suite)")
            if note:
                _text(s, _fit(note, width, 13, 1), Inches(MARGIN), Inches(BODY_TOP - 0.05), Inches(width),
                      Inches(0.5), Pt(13), color=(0x33, 0x33, 0x33))
            for k, chunk in enumerate(chunks[n:n + columns]):
                _table(s, chunk, MARGIN + k * (sum(widths) + 0.3), top, widths, TABLE_PT)

    s = slide(c.title)
    _text(s, "Couverture des territoires labellisés", Inches(MARGIN), Inches(1.3), Inches(width), Inches(0.6), Pt(20))
    _text(s, f"Situation au {fr.long(c.made)}", Inches(MARGIN), Inches(1.9), Inches(width), Inches(0.5), Pt(16))
    y = 2.7
    for name, value in c.figures:
        _text(s, value, Inches(0.6), Inches(y), Inches(3.5), Inches(0.6), Pt(24), bold=True, color=(8, 48, 107))
        _text(s, name, Inches(4.2), Inches(y + 0.08), Inches(8), Inches(0.5), Pt(16))
        y += 0.75

    # the map PNG carries its own title, figures, legend, dates and sources: it is the whole slide
    s = prs.slides.add_slide(blank)
    s.shapes.add_picture(io.BytesIO(c.map_png), 0, 0, width=prs.slide_width, height=prs.slide_height)

    s = slide("La couverture dans le temps")
    s.shapes.add_picture(io.BytesIO(c.timeline_png), Inches(MARGIN), Inches(BODY_TOP), width=Inches(width))
    note = ("Nombres cumulés à la fin de chaque mois, selon la date de labellisation de chaque ligne des listes "
            "importées.")
    if c.chart_end < c.made:
        note += (f" Dernière labellisation dans les listes chargées : {fr.long(c.last_change)} ; la courbe "
                 "s'arrête un an après.")
    if c.undated:
        note += (f" {c.undated} ligne(s) sans date sont comptées à partir de la date de leur liste, ou à défaut "
                 "de leur import.")
    _text(s, _fit(note, width, 12, 3), Inches(MARGIN), Inches(5.6), Inches(width), Inches(1.05), Pt(12))

    heading = f"Collectivités labellisées — {fr.number(len(c.labelled))}"
    if c.labelled.empty:
        s = slide(heading)
        _text(s, "Aucune collectivité labellisée dans les listes chargées.", Inches(MARGIN), Inches(1.3),
              Inches(width), Inches(0.6), Pt(16))
    else:
        full = [1.55, 3.35, 3.35, 1.35, 0.8, 2.1]
        if len(_chunks(c.labelled, full, TABLE_PT, BODY_BOTTOM - BODY_TOP)) == 1:
            tables(heading, c.labelled, full)
        else:  # a long list: two narrower tables a slide, the names as the lists gave them in the workbook
            tables(heading, c.labelled[["Niveau", "Nom", "Dép.", "Date"]], [1.45, 2.55, 0.7, 1.4], columns=2,
                   note="Noms officiels ; les noms tels que les listes les donnent sont dans le classeur .xlsx.")

    total = len(c.missing)
    heading = f"Les {min(TOP_MISSING, total)} communes non couvertes les plus peuplées"
    if not total:
        s = slide("Communes non couvertes")
        _text(s, "Toutes les communes sont couvertes.", Inches(MARGIN), Inches(1.3), Inches(width), Inches(0.6),
              Pt(16))
    else:
        widths = [0.6, 3.55, 1.8] if c.where.kind == "departement" else [0.6, 2.95, 0.7, 1.7]
        note = (f"Sur {fr.number(total)} communes non couvertes (ni elles-mêmes ni par leur EPCI ou EPT). "
                "Liste complète : classeur .xlsx.")
        tables(heading, c.top_missing, widths, columns=2, note=note)   # 10 and 10, side by side
    if len(c.by_area):
        tables(c.by_area_title, c.by_area, [2.85, 1.3, 1.15, 0.8], columns=2,
               note="Communes couvertes elles-mêmes ou par leur EPCI ou EPT ; « oui » : le territoire tient "
                    "lui-même le label.")
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


def _fit(text: str, width: float, size: float, lines: int) -> str:
    """The text cut (with « … ») to the lines its box holds at this size: a long label or footer never runs out
    of its box."""
    room = int(lines * (width - 0.25) / (CHAR_IN_PER_PT * size))
    return text if len(text) <= room else text[:room - 1].rstrip() + "…"


def _lines(value: str, width: float, size: float) -> int:
    """How many lines a cell's text takes in a column of this width (words wrapped as LibreOffice does)."""
    import textwrap

    per = max(1, int((width - 0.2) / (CHAR_IN_PER_PT * size)))
    return sum(max(1, len(textwrap.wrap(part, per, break_long_words=True))) for part in str(value).split("\n"))


def _row_height(values, widths: list[float], size: float) -> float:
    return max(_lines(v, w, size) for v, w in zip(values, widths, strict=False)) * LINE_IN_PER_PT * size + CELL_PAD_IN


def _cells(df: pd.DataFrame) -> list[list[str]]:
    return [["" if v is None or v != v else str(v) for v in record] for record in df.itertuples(index=False)]


def _chunks(df: pd.DataFrame, widths: list[float], size: float, room: float) -> list[pd.DataFrame]:
    """The table cut into pieces that each fit `room` inches, its header repeated on each."""
    header = _row_height(list(df.columns), widths, size)
    chunks, start, used = [], 0, header
    for i, values in enumerate(_cells(df)):
        h = _row_height(values, widths, size)
        if used + h > room and i > start:
            chunks.append(df.iloc[start:i])
            start, used = i, header
        used += h
    chunks.append(df.iloc[start:])
    if len(chunks) > 1:  # as many pages, evenly filled: not 15 rows then one alone on its « (suite) »
        size_ = -(-len(df) // len(chunks))
        even = [df.iloc[i:i + size_] for i in range(0, len(df), size_)]
        if len(even) == len(chunks) and all(
                header + sum(_row_height(v, widths, size) for v in _cells(part)) <= room for part in even):
            return even
    return chunks


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


def _table(s, df: pd.DataFrame, left: float, top: float, widths: list[float], size: float) -> None:
    """A plain table (inches): French headers, every cell as text, each row as tall as its text needs."""
    from pptx.util import Inches, Pt

    cells = [list(map(str, df.columns))] + _cells(df)
    heights = [_row_height(values, widths, size) for values in cells]
    table = s.shapes.add_table(len(cells), len(widths), Inches(left), Inches(top), Inches(sum(widths)),
                               Inches(sum(heights))).table
    for j, w in enumerate(widths):
        table.columns[j].width = Inches(w)
    for i, (values, h) in enumerate(zip(cells, heights, strict=True)):
        table.rows[i].height = Inches(h)
        for j, value in enumerate(values):
            table.cell(i, j).text = value or " "   # an empty cell would take the template's 18 pt: a taller row
            for para in table.cell(i, j).text_frame.paragraphs:
                para.font.size = Pt(size)
                for run in para.runs:
                    run.font.size = Pt(size)


def pdf_bytes(label: str, where: Scope, store: Path | None = None, today: dt.date | None = None) -> bytes:
    """The same deck on one A4 landscape page: title, four figures, the map at print quality, its legend, the
    lists' sizes and the sources (the chart over time stays in the deck: too small to read on a third of A4)."""
    return write_pdf(content(label, where, store, today, slides=False))


PDF_DPI = 300            # the commune polygons of a région or of France as an image at print resolution


def write_pdf(c: Content) -> bytes:
    """One A4 landscape page: the map drawn for the page (vector for a département, 300 dpi polygons with vector
    outlines and texts for a région or France), legend at 9 pt."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"text.parse_math": False}):
        fig = Figure(figsize=(11.69, 8.27), dpi=PDF_DPI)
        FigureCanvasAgg(fig)   # place_names measures texts with it; savefig(format="pdf") writes the PDF
        fig.text(0.025, 0.96, png.short(c.title, 90), fontsize=18, weight="bold", va="center")
        fig.text(0.025, 0.922, f"Couverture des territoires labellisés — situation au {fr.long(c.made)}",
                 fontsize=11, va="center", color="#333333")
        for k, (name, value) in enumerate(c.shown):
            fig.text(0.025 + k * 0.2, 0.858, value, fontsize=18, weight="bold", color="#08306b")
            fig.text(0.025 + k * 0.2, 0.832, name, fontsize=9.5, color="#333333")
        rect = (0.01, 0.075, 0.65, 0.74)
        if c.where.kind == "departement":
            handles, note = png.draw_departement(fig, rect, c.where.code, c.label, c.store)
        else:
            handles = region_png.draw_region(fig, rect, c.where.code, c.label, c.store, rasterized=True)
            note = ""
        fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.675, 0.81), fontsize=9, frameon=False,
                   title="Légende", title_fontsize=10, alignment="left")
        names = list(c.labelled["Nom"])
        listed = ", ".join(names[:12]) + (f"… et {len(names) - 12} autres" if len(names) > 12 else "")
        lines = [f"Collectivités labellisées : {fr.number(len(names))}" + (f" ({listed})" if names else "") + ".",
                 f"Communes non couvertes : {fr.number(len(c.missing))} (liste complète dans le classeur .xlsx)."]
        if note:
            lines.append(note)
        fig.text(0.68, 0.42, "\n".join(_wrap(t, 52) for t in lines), fontsize=9, va="top")
        fig.text(0.025, 0.012, _wrap(c.footer, 175), fontsize=7.5, color="#444444", va="bottom")
        buf = io.BytesIO()
        fig.savefig(buf, format="pdf", dpi=PDF_DPI)
    return buf.getvalue()


def _wrap(value: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(value, width)) or value
