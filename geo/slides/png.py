"""A PNG of a département's coverage for slides, drawn with matplotlib (no browser, no tiles): always the same
size, with its key figures, its dates and sources, a legend that names every line drawn."""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
from pathlib import Path

import matplotlib
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.patheffects import withStroke

from geo.build.geometry import label_point
from geo.build.synth import SYNTH_SUFFIX
from geo.data import coverage, labels, territory, timeline
from geo.maps import palette
from geo.maps.sites_layer import placed

SIZE = (13.3334, 7.5)     # inches: 16:9, 2000×1125 pixels at 150 dpi whatever the département
MAP_AXES = (0.01, 0.09, 0.66, 0.80)
MISSING = "#d9d9d9"       # an area inside the département that no commune polygon of the source covers
NAMES = 10
HALO = withStroke(linewidth=2.5, foreground="white")
HELD, HELD_LABEL = palette.HELD, palette.HELD_LABEL  # one colour and one name on the maps and the images


def plain_text(draw):
    """Every text drawn as typed: a label with « $…$ » is not read as a formula (mathtext raised, and the
    PNG button did nothing)."""
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context({"text.parse_math": False}):
            return draw(*args, **kwargs)
    return wrapper


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


@plain_text
def departement_png(dep: str, label: str | None, title: str, subtitle: str = "", store: Path | None = None,
                    dpi: int = 150, figures: list[tuple[str, str]] | None = None, sources: str = "",
                    as_of: dt.date | None = None) -> bytes:
    """The slide of a département; `as_of`: the coverage as it stood at the end of that day."""
    title, subtitle, sources = short(title, 120), short(subtitle, 400), short(sources, 600)
    fig = Figure(figsize=SIZE, dpi=dpi)  # its own Agg canvas: no pyplot state shared between sessions
    FigureCanvasAgg(fig)
    handles, note = draw_departement(fig, MAP_AXES, dep, label, store, as_of)
    if note:
        subtitle = (subtitle + " · " if subtitle else "") + note
    return finish(fig, title, subtitle, sources, figures, handles)


def draw_departement(fig, rect: tuple[float, float, float, float], dep: str, label: str | None,
                     store: Path | None = None, as_of: dt.date | None = None,
                     rasterized: bool = False) -> tuple[list, str]:
    """The map of a département in `rect` of any figure (a slide's PNG, the one-page PDF): its legend's handles
    and a note to add under it (synthetic sites); `rasterized` keeps a PDF light (the polygons as an image)."""
    subtitle = ""
    communes = territory.communes_of_departement(dep, store=store)
    status = timeline.statuses(label, dep, as_of, store) if label else None
    communes["statut"] = communes["code"].map(status) if status is not None else coverage.STATUS_NONE
    communes["statut"] = communes["statut"].fillna(coverage.STATUS_NONE)
    colors = communes["statut"].map(palette.STATUS_COLORS)
    in_held = (communes["statut"] == coverage.STATUS_NONE) & (dep in held_departements(label, as_of, store))
    ax = fig.add_axes(rect)
    outline = territory.departement_outline(dep, store=store)
    handles = []
    if outline is not None:  # under the communes: a commune drawn by its chef-lieu alone leaves no white hole
        drawn = shapely.union_all([g for g in communes.geometry if g is not None])
        gap = outline.difference(drawn.buffer(0))
        if gap.area > 0.002 * outline.area:
            for poly in getattr(gap, "geoms", [gap]):
                if poly.geom_type == "Polygon":
                    ax.fill(*poly.exterior.xy, color=MISSING, hatch="///", edgecolor="#aaaaaa", linewidth=0)
            handles.append(Patch(facecolor=MISSING, hatch="///", edgecolor="#aaaaaa",
                                 label="commune sans contour détaillé dans la source"))
    communes.plot(ax=ax, color=colors.mask(in_held, HELD), edgecolor="#737373", linewidth=0.2,
                  rasterized=rasterized)
    epci = territory.epci_of_departement(dep, store=store)
    if len(epci):
        inside(epci.boundary, outline).plot(ax=ax, color=palette.EPCI_OUTLINE, linewidth=0.9, linestyle="--")
    ept = territory.ept_of_departement(dep, store=store)
    if len(ept):
        inside(ept.boundary, outline).plot(ax=ax, color=palette.EPT_OUTLINE, linewidth=1.2, linestyle="--")
        for name, point in zip(ept["nom"], ept.geometry.representative_point(), strict=True):
            ax.annotate(name, (point.x, point.y), ha="center", fontsize=8, fontstyle="italic",
                        color=palette.EPT_OUTLINE, parse_math=False)
    if outline is not None:
        ax.plot(*_xy(outline), color=palette.OUTLINE, linewidth=1.4)
    handles = [Patch(facecolor=c, edgecolor="#555", label=s) for s, c in palette.STATUS_COLORS.items()
               if len(ept) or s != coverage.STATUS_EPT] + handles
    if in_held.any():  # the département holds the label itself: said on the map, not only in the figures
        handles.insert(len(palette.STATUS_COLORS) - (0 if len(ept) else 1),
                       Patch(facecolor=HELD, edgecolor="#555", label=HELD_LABEL))
    if len(epci):
        handles.append(Line2D([], [], color=palette.EPCI_OUTLINE, linestyle="--", label="contour d'EPCI"))
    if len(ept):
        handles.append(Line2D([], [], color=palette.EPT_OUTLINE, linestyle="--", label="contour d'EPT"))
    sites = placed(labels.counted_sites(labels.sites(store=store).query("departement == @dep"), as_of))
    if len(sites):
        cpj = labels.sites_word(sites) == "CPJ"  # olympic / para only mean something for the CPJ
        colors = [palette.SITE_PARALYMPIC if p and cpj else palette.SITE_OLYMPIC for p in sites["paralympique"]]
        exact = ~sites["a_la_commune"].to_numpy()
        ax.scatter(sites["x"][exact], sites["y"][exact], s=28, c=[c for c, e in zip(colors, exact, strict=True) if e],
                   edgecolors="#222", linewidths=0.6, zorder=5)
        ax.scatter(sites["x"][~exact], sites["y"][~exact], s=28, facecolors="white", linewidths=1.4, zorder=5,
                   edgecolors=[c for c, e in zip(colors, exact, strict=True) if not e])
        word = "CPJ" if cpj else "site"
        handles += [Patch(facecolor=palette.SITE_OLYMPIC, label="CPJ olympique"),
                    Patch(facecolor=palette.SITE_PARALYMPIC, label="CPJ accueillant le para")] if cpj else \
            [Patch(facecolor=palette.SITE_OLYMPIC, label="site labellisé")]
        if (~exact).any():
            handles.append(Patch(facecolor="white", edgecolor="#555",
                                 label=f"{word} sans coordonnées (sur sa commune)"))
        if sites["label"].str.endswith(SYNTH_SUFFIX).any():
            subtitle = (subtitle + " · " if subtitle else "") + f"{'CPJ' if cpj else 'Sites'} : données SYNTHÉTIQUES " \
                "(tests), non réelles"
    minx, miny, maxx, maxy = communes.total_bounds  # frame the département, not the EPCI that overflow it
    pad = 0.03 * max(maxx - minx, maxy - miny)
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.set_aspect(1 / max(0.2, math.cos(math.radians((miny + maxy) / 2))))
    ax.set_axis_off()
    place_names(fig, ax, communes)
    return handles, subtitle


held_departements = timeline.held_departements


def finish(fig, title: str, subtitle: str, sources: str, figures: list[tuple[str, str]] | None,
           handles: list) -> bytes:
    """The slide's texts around its map (title, key figures, legend, dates and sources) and its PNG bytes; no
    tight box, so that every territory gives the same size."""
    fig.text(0.01, 0.955, title, fontsize=20, weight="bold", va="center")
    y = 0.86
    for name, value in figures or []:
        fig.text(0.70, y, value, fontsize=24, weight="bold", color="#08306b")
        fig.text(0.70, y - 0.035, name, fontsize=11, color="#333")
        y -= 0.105
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.695, y + 0.05), fontsize=10, frameon=False)
    foot = "\n".join(t for t in (subtitle, sources) if t)
    fig.text(0.01, 0.015, foot, fontsize=8.5, color="#444", va="bottom", wrap=True)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def place_names(fig, ax, communes, avoid: list | None = None) -> None:
    """Names of the largest communes, skipping one that would overlap a name already written (or a text of
    `avoid`, e.g. the names of départements)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    taken = [t.get_window_extent(renderer).expanded(1.1, 1.3) for t in avoid or []]
    placed = []
    for row in communes.nlargest(NAMES * 2, "population").itertuples():
        if len(placed) >= NAMES:
            break
        at = label_point(row.geometry) or (row.point_lon, row.point_lat)
        text = ax.annotate(row.nom, at, fontsize=9, ha="center", va="center", weight="bold", color="#222",
                           path_effects=[HALO])  # readable on a dark blue commune too
        box = text.get_window_extent(renderer).expanded(1.15, 1.7)
        if any(box.overlaps(other) for other in placed + taken):
            text.remove()
        else:
            placed.append(box)


def inside(lines, outline):
    """An EPCI's or EPT's contour cut to the département: the part of it beyond is not this map's business (it
    was drawn as dashes wandering out of the département)."""
    if outline is None:
        return lines
    return lines.intersection(outline.buffer(0.002 * max(1e-9, math.sqrt(outline.area))))


def _xy(geom):
    xs, ys = [], []
    for poly in getattr(geom, "geoms", [geom]):
        x, y = poly.exterior.xy
        xs += list(x) + [None]
        ys += list(y) + [None]
    return xs, ys
