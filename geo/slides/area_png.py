"""Images for slides beyond one département, drawn with matplotlib (no browser, no tiles): France or a région by
département (labelled or not, share of communes covered), and the chart of coverage over time."""

from __future__ import annotations

import io
import math
from pathlib import Path

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from geo.data import coverage, territory
from geo.maps import palette

TITLES = {"communes_labellisees": "Communes labellisées", "epci_labellises": "EPCI / EPT labellisés",
          "departements_labellises": "Départements labellisés"}
LABELLED = "#c7e9c0"    # a département that holds the label itself
NOT_LABELLED = "#f7f7f7"


def area_png(label: str | None, departements: list[str] | None = None, store: Path | None = None,
             size: tuple[float, float] = (8.0, 6.0), dpi: int = 150) -> bytes:
    """France (None: metropolitan France, overseas départements in small boxes) or some départements: each
    filled when it holds the label itself; inside a région, covered communes coloured by their status."""
    geo_ = territory.departements_geo("departement" if departements else "france", store)
    if departements:
        geo_ = geo_[geo_["code"].isin(departements)]
    held = set()
    if label:
        cov = coverage.by_departement(label, store)
        held = set(cov.loc[cov["departement_labellise"].astype(bool), "code"])
    geo_ = geo_.assign(couleur=[LABELLED if c in held else NOT_LABELLED for c in geo_["code"]])
    fig = Figure(figsize=size, dpi=dpi)
    FigureCanvasAgg(fig)
    overseas = geo_[geo_["code"].str.startswith("97")] if not departements else geo_.iloc[0:0]
    main = geo_.drop(overseas.index)
    ax = fig.add_axes((0.0, 0.13, 1.0, 0.87) if not len(overseas) else (0.18, 0.13, 0.82, 0.87))
    _draw(ax, main)
    handles = [Patch(facecolor=LABELLED, edgecolor="#737373", label="département labellisé"),
               Patch(facecolor=NOT_LABELLED, edgecolor="#737373", label="département non labellisé")]
    if departements and label:
        status = coverage.communes_status(label, list(departements), store).set_index("code")["statut"]
        covered = status[status != coverage.STATUS_NONE]
        if len(covered):
            towns = pd.concat([territory.communes_of_departement(d, store=store) for d in departements])
            towns = towns[towns["code"].isin(covered.index)]
            towns.plot(ax=ax, color=towns["code"].map(covered).map(palette.STATUS_COLORS), edgecolor="#555555",
                       linewidth=0.2)
            handles += [Patch(facecolor=palette.STATUS_COLORS[s], edgecolor="#555555", label=f"commune {s}")
                        for s in sorted(set(covered))]
        main.boundary.plot(ax=ax, color=palette.OUTLINE, linewidth=0.8)
        if len(main) <= 15:
            for name, point in zip(main["nom"], main.geometry.representative_point(), strict=True):
                ax.annotate(name, (point.x, point.y), ha="center", va="center", fontsize=8, color="#222",
                            parse_math=False)
    for i, (_, row) in enumerate(overseas.iterrows()):
        inset = fig.add_axes((0.01, 0.80 - i * 0.165, 0.15, 0.13))
        _draw(inset, overseas.loc[[row.name]])
        inset.set_title(row["nom"], fontsize=7, parse_math=False)
    fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=9, frameon=False)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _draw(ax, frame) -> None:
    """Départements filled by their colour, at the right aspect for their latitude."""
    frame.plot(ax=ax, color=frame["couleur"], edgecolor="#737373", linewidth=0.4)
    minx, miny, maxx, maxy = frame.total_bounds
    ax.set_aspect(1 / max(0.2, math.cos(math.radians((miny + maxy) / 2))))
    ax.set_axis_off()


def timeline_png(here: pd.DataFrame, france: pd.DataFrame | None, name: str,
                 size: tuple[float, float] = (9.0, 3.2), dpi: int = 150) -> bytes:
    """Three small panels (communes labellisées, EPCI / EPT, départements): the territory in a solid line,
    France dashed on its own scale (right) when the territory is not France."""
    fig = Figure(figsize=size, dpi=dpi)
    FigureCanvasAgg(fig)
    keys = ["communes_labellisees", "epci_labellises", "departements_labellises"]
    axes = fig.subplots(1, 3)
    x = pd.to_datetime(here["mois"]) + pd.offsets.MonthEnd(0)
    for ax, key in zip(axes, keys, strict=True):
        ax.step(x, here[key], where="post", color=palette.BLUES[4], linewidth=2, label=name)
        ax.set_title(TITLES[key], fontsize=10, parse_math=False)
        ax.tick_params(labelsize=7)
        ax.set_ylim(bottom=0, top=max(1, int(here[key].max())) * 1.15)
        ax.yaxis.get_major_locator().set_params(integer=True)
        if france is not None:
            right = ax.twinx()
            fx = pd.to_datetime(france["mois"]) + pd.offsets.MonthEnd(0)
            right.step(fx, france[key], where="post", color="#888888", linestyle="--", linewidth=1.2,
                       label="France (échelle de droite)")
            right.set_ylim(bottom=0, top=max(1, int(france[key].max())) * 1.15)
            right.tick_params(labelsize=7, colors="#666666")
            right.yaxis.get_major_locator().set_params(integer=True)
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=5))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%m/%Y"))
        for label in ax.get_xticklabels():
            label.set_rotation(30)
            label.set_ha("right")
    handles = [axes[0].lines[0]]
    if france is not None:
        handles.append(axes[0].figure.axes[-1].lines[0])
    fig.legend(handles=handles, labels=[h.get_label() for h in handles], loc="lower center", ncol=2, fontsize=8,
               frameon=False)
    fig.subplots_adjust(left=0.05, right=0.95, top=0.86, bottom=0.3, wspace=0.45)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
