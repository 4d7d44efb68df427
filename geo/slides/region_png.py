"""A PNG of a région's or of France's coverage by commune for slides: the département slide's layout (same
size, figures, legend, dates and sources); for France, the five overseas départements in insets. The labelled
départements are shaded (their communes not otherwise covered), so the image shows which they are."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from geo.data import coverage, labels, territory, timeline
from geo.maps import palette
from geo.maps.region_map import OVERSEAS
from geo.maps.sites_layer import placed
from geo.slides.png import (
    HELD,
    HELD_LABEL,
    MAP_AXES,
    SIZE,
    finish,
    held_departements,
    inside,
    place_names,
    plain_text,
    short,
)

INSET_SHARE = 0.2125     # of the map's height, for the overseas insets under the metropolis (France)


@plain_text
def region_png(reg: str | None, label: str | None, title: str, subtitle: str = "", store: Path | None = None,
               dpi: int = 150, figures: list[tuple[str, str]] | None = None, sources: str = "",
               as_of: dt.date | None = None) -> bytes:
    """The slide of a région (reg) or of France (None), 2000×1125 pixels at 150 dpi; `as_of`: the coverage as it
    stood at the end of that day."""
    title, subtitle, sources = short(title, 120), short(subtitle, 400), short(sources, 600)
    fig = Figure(figsize=SIZE, dpi=dpi)
    FigureCanvasAgg(fig)
    handles = draw_region(fig, MAP_AXES, reg, label, store, as_of)
    return finish(fig, title, subtitle, sources, figures, handles)


def draw_region(fig, rect: tuple[float, float, float, float], reg: str | None, label: str | None,
                store: Path | None = None, as_of: dt.date | None = None, rasterized: bool = False,
                inset_size: float = 9) -> list:
    """The map of a région or of France in `rect` of any figure (a slide's PNG, the one-page PDF), overseas
    insets under it for France; the legend's handles."""
    communes = territory.communes_of_region(reg, "region" if reg else "france", store)
    communes = communes[communes.geometry.notna()]
    deps = sorted(communes["departement"].unique())
    status = timeline.statuses(label, deps if reg else None, as_of, store) if label else None
    statut = communes["code"].map(status) if status is not None else None
    communes = communes.assign(statut=(statut.fillna(coverage.STATUS_NONE) if statut is not None
                                       else coverage.STATUS_NONE))
    held = held_departements(label, as_of, store)
    colors = communes["statut"].map(palette.STATUS_COLORS)
    in_held = communes["departement"].isin(held) & (communes["statut"] == coverage.STATUS_NONE)
    communes = communes.assign(couleur=colors.mask(in_held, HELD))
    outlines = (territory.departements_of_region(reg, store) if reg else territory.departements_geo("france", store))
    outlines = outlines[outlines.geometry.notna()]
    metro = communes if reg else communes[~communes["departement"].str.startswith("97")]
    x, y, w, h = rect
    main = rect if reg else (x, y + INSET_SHARE * h, w, h - INSET_SHARE * h)
    ax = fig.add_axes(main)
    epci = territory.epci_of_region(reg, store) if reg else None
    epci = epci[epci.geometry.notna()] if epci is not None else None
    if epci is not None and len(epci):  # an EPCI across the région's edge: only its part inside
        epci = epci.assign(geometry=inside(epci.boundary, shapely.union_all(list(outlines.geometry))))
    _draw(ax, metro, outlines, line=0.15 if reg else 0.0, epci=epci, rasterized=rasterized)
    _frame(ax, metro)
    if reg:
        place_names(fig, ax, metro)
        _name_departements(fig, ax, outlines, held)
    else:
        for i, (code, name) in enumerate(OVERSEAS.items()):
            here = communes[communes["departement"] == code]
            if len(here):
                inset = fig.add_axes((x + i * w / 5, y, 0.95 * w / 5, INSET_SHARE * h * 0.85))
                _draw(inset, here, outlines[outlines["code"] == code], line=0.1, rasterized=rasterized)
                _frame(inset, here)
                inset.set_title(name, fontsize=inset_size)
    shown = set(communes["statut"])
    handles = [Patch(facecolor=c, edgecolor="#555", label=s) for s, c in palette.STATUS_COLORS.items()
               if s in shown or s != coverage.STATUS_EPT]
    if in_held.any():
        handles.append(Patch(facecolor=HELD, edgecolor="#555", label=HELD_LABEL))
    handles.append(Line2D([], [], color=palette.OUTLINE, label="contour de département"))
    if epci is not None and len(epci):
        handles.append(Line2D([], [], color=palette.EPCI_OUTLINE, linestyle="--", label="contour d'EPCI"))
    if reg:
        sites = placed(labels.counted_sites(labels.sites(store=store).query("departement in @deps")))
        if len(sites):
            cpj = labels.sites_word(sites) == "CPJ"  # olympic / para only mean something for the CPJ
            colors = [palette.SITE_PARALYMPIC if p and cpj else palette.SITE_OLYMPIC for p in sites["paralympique"]]
            ax.scatter(sites["x"], sites["y"], s=14, c=colors, edgecolors="#222", linewidths=0.4, zorder=5)
            handles += [Patch(facecolor=palette.SITE_OLYMPIC, label="CPJ olympique"),
                        Patch(facecolor=palette.SITE_PARALYMPIC, label="CPJ accueillant le para")] if cpj else \
                [Patch(facecolor=palette.SITE_OLYMPIC, label="site labellisé")]
    return handles


def _name_departements(fig, ax, outlines, held: set[str]) -> None:
    """Each département of a région named on the map (« labellisé » under those that are), after the communes'
    names: moved up or down within the département when it would cover one of them."""
    renderer = fig.canvas.get_renderer()
    taken = [t.get_window_extent(renderer) for t in ax.texts]
    for code, name, geom in zip(outlines["code"], outlines["nom"], outlines.geometry, strict=True):
        point = geom.representative_point()
        minx, miny, maxx, maxy = geom.bounds
        text = f"{name} ({code})" + ("\nlabellisé" if code in held else "")
        label = None
        for dy in (0, -0.15, 0.15, -0.3, 0.3):
            y = point.y + dy * (maxy - miny)
            if dy and not geom.contains(shapely.Point(point.x, y)):
                continue
            if label is not None:
                label.remove()
            label = ax.annotate(text, (point.x, y), ha="center", va="center", fontsize=9, fontstyle="italic",
                                color="#1b5e20" if code in held else "#444", zorder=6,
                                bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.75,
                                      "linewidth": 0})
            box = label.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in taken):
                break
        taken.append(label.get_window_extent(renderer))


def _draw(ax, communes, outlines, line: float, epci=None, rasterized: bool = False) -> None:
    """Communes by status, then EPCI (dashed), then départements on top."""
    communes.plot(ax=ax, color=communes["couleur"], edgecolor="#737373", linewidth=line, rasterized=rasterized)
    if epci is not None and len(epci):
        epci.plot(ax=ax, color=palette.EPCI_OUTLINE, linewidth=0.6, linestyle="--")
    if len(outlines):
        outlines.boundary.plot(ax=ax, color=palette.OUTLINE, linewidth=0.8)


def _frame(ax, communes) -> None:
    minx, miny, maxx, maxy = communes.total_bounds
    pad = 0.03 * max(maxx - minx, maxy - miny)
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.set_aspect(1 / max(0.2, math.cos(math.radians((miny + maxy) / 2))))
    ax.set_axis_off()
