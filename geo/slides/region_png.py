"""A PNG of a région's or of France's coverage by commune for slides: the département slide's layout (same
size, figures, legend, dates and sources); for France, the five overseas départements in insets."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from geo.data import coverage, labels, territory, timeline
from geo.maps import palette
from geo.maps.region_map import OVERSEAS
from geo.maps.sites_layer import placed
from geo.slides.png import MAP_AXES, SIZE, finish, place_names, plain_text, short

# insets under the metropolis, left to right (x, y, width, height in figure fractions)
INSETS = [(0.01 + i * 0.132, 0.09, 0.125, 0.16) for i in range(5)]


@plain_text
def region_png(reg: str | None, label: str | None, title: str, subtitle: str = "", store: Path | None = None,
               dpi: int = 150, figures: list[tuple[str, str]] | None = None, sources: str = "",
               as_of: dt.date | None = None) -> bytes:
    """The slide of a région (reg) or of France (None), 2000×1125 pixels at 150 dpi; `as_of`: the coverage as it
    stood at the end of that day."""
    title, subtitle, sources = short(title, 120), short(subtitle, 400), short(sources, 600)
    communes = territory.communes_of_region(reg, "region" if reg else "france", store)
    communes = communes[communes.geometry.notna()]
    deps = sorted(communes["departement"].unique())
    status = timeline.statuses(label, deps if reg else None, as_of, store) if label else None
    statut = communes["code"].map(status) if status is not None else None
    communes = communes.assign(statut=(statut.fillna(coverage.STATUS_NONE) if statut is not None
                                       else coverage.STATUS_NONE))
    outlines = (territory.departements_of_region(reg, store) if reg else territory.departements_geo("france", store))
    outlines = outlines[outlines.geometry.notna()]
    fig = Figure(figsize=SIZE, dpi=dpi)
    FigureCanvasAgg(fig)
    metro = communes if reg else communes[~communes["departement"].str.startswith("97")]
    main = (MAP_AXES[0], MAP_AXES[1] + (0 if reg else 0.17), MAP_AXES[2], MAP_AXES[3] - (0 if reg else 0.17))
    ax = fig.add_axes(main)
    epci = territory.epci_of_region(reg, store) if reg else None
    epci = epci[epci.geometry.notna()] if epci is not None else None
    _draw(ax, metro, outlines, line=0.15 if reg else 0.05, epci=epci)
    _frame(ax, metro)
    if reg:
        place_names(fig, ax, metro)
    else:
        for (code, name), box in zip(OVERSEAS.items(), INSETS, strict=True):
            here = communes[communes["departement"] == code]
            if len(here):
                inset = fig.add_axes(box)
                _draw(inset, here, outlines[outlines["code"] == code], line=0.1)
                _frame(inset, here)
                inset.set_title(name, fontsize=9)
    shown = set(communes["statut"])
    handles = [Patch(facecolor=c, edgecolor="#555", label=s) for s, c in palette.STATUS_COLORS.items()
               if s in shown or s != coverage.STATUS_EPT]
    handles.append(Line2D([], [], color=palette.OUTLINE, label="contour de département"))
    if epci is not None and len(epci):
        handles.append(Line2D([], [], color=palette.EPCI_OUTLINE, linestyle="--", label="contour d'EPCI"))
    if reg:
        sites = placed(labels.sites(store=store).query("departement in @deps"))
        if len(sites):
            colors = [palette.SITE_PARALYMPIC if p else palette.SITE_OLYMPIC for p in sites["paralympique"]]
            ax.scatter(sites["x"], sites["y"], s=14, c=colors, edgecolors="#222", linewidths=0.4, zorder=5)
            handles += [Patch(facecolor=palette.SITE_OLYMPIC, label="CPJ olympique"),
                        Patch(facecolor=palette.SITE_PARALYMPIC, label="CPJ accueillant le para")]
    return finish(fig, title, subtitle, sources, figures, handles)


def _draw(ax, communes, outlines, line: float, epci=None) -> None:
    """Communes by status, then EPCI (dashed), then départements on top."""
    communes.plot(ax=ax, color=communes["statut"].map(palette.STATUS_COLORS), edgecolor="#737373",
                  linewidth=line)
    if epci is not None and len(epci):
        epci.boundary.plot(ax=ax, color=palette.EPCI_OUTLINE, linewidth=0.6, linestyle="--")
    if len(outlines):
        outlines.boundary.plot(ax=ax, color=palette.OUTLINE, linewidth=0.8)


def _frame(ax, communes) -> None:
    minx, miny, maxx, maxy = communes.total_bounds
    pad = 0.03 * max(maxx - minx, maxy - miny)
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.set_aspect(1 / max(0.2, math.cos(math.radians((miny + maxy) / 2))))
    ax.set_axis_off()
