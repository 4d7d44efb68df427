"""A PNG of a département's coverage for slides, drawn with matplotlib (no browser, no tiles)."""

from __future__ import annotations

import io
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from geo import coverage, labels, palette, territory  # noqa: E402
from geo.sites_layer import placed  # noqa: E402
from geo.synth import SYNTH_SUFFIX  # noqa: E402


def departement_png(dep: str, label: str | None, title: str, subtitle: str = "", store: Path | None = None,
                    dpi: int = 150) -> bytes:
    communes = territory.communes_of_departement(dep, store=store)
    status = coverage.communes_status(label, dep, store).set_index("code")["statut"] if label else None
    communes["statut"] = communes["code"].map(status) if status is not None else coverage.STATUS_NONE
    communes["statut"] = communes["statut"].fillna(coverage.STATUS_NONE)
    fig, ax = plt.subplots(figsize=(12, 7.5), dpi=dpi)
    communes.plot(ax=ax, color=communes["statut"].map(palette.STATUS_COLORS), edgecolor="#737373", linewidth=0.2)
    epci = territory.epci_of_departement(dep, store=store)
    if len(epci):
        epci.boundary.plot(ax=ax, color=palette.EPCI_OUTLINE, linewidth=0.9, linestyle="--")
    ept = territory.ept_of_departement(dep, store=store)
    if len(ept):
        ept.boundary.plot(ax=ax, color=palette.EPT_OUTLINE, linewidth=1.2, linestyle="--")
        for name, point in zip(ept["nom"], ept.geometry.representative_point(), strict=True):
            ax.annotate(name, (point.x, point.y), ha="center", fontsize=8, fontstyle="italic",
                        color=palette.EPT_OUTLINE)
    outline = territory.departement_outline(dep, store=store)
    if outline is not None:
        ax.plot(*_xy(outline), color=palette.OUTLINE, linewidth=1.4)
    handles = [Patch(facecolor=c, edgecolor="#555", label=s) for s, c in palette.STATUS_COLORS.items()
               if len(ept) or s != coverage.STATUS_EPT]
    sites = placed(labels.sites(store=store).query("departement == @dep"))
    if len(sites):
        colors = [palette.SITE_PARALYMPIC if p else palette.SITE_OLYMPIC for p in sites["paralympique"]]
        exact = ~sites["a_la_commune"].to_numpy()
        ax.scatter(sites["x"][exact], sites["y"][exact], s=28, c=[c for c, e in zip(colors, exact, strict=True) if e],
                   edgecolors="#222", linewidths=0.6, zorder=5)
        ax.scatter(sites["x"][~exact], sites["y"][~exact], s=28, facecolors="white", linewidths=1.4, zorder=5,
                   edgecolors=[c for c, e in zip(colors, exact, strict=True) if not e])
        handles += [Patch(facecolor=palette.SITE_OLYMPIC, label="CPJ olympique"),
                    Patch(facecolor=palette.SITE_PARALYMPIC, label="CPJ accueillant le para")]
        if (~exact).any():
            handles.append(Patch(facecolor="white", edgecolor="#555", label="CPJ sans coordonnées (sur sa commune)"))
        if sites["label"].str.endswith(SYNTH_SUFFIX).any():
            subtitle = (subtitle + " · " if subtitle else "") + "CPJ : données SYNTHÉTIQUES (tests), non réelles"
    for row in communes.nlargest(10, "population").itertuples():
        ax.annotate(row.nom, (row.point_lon, row.point_lat), fontsize=8, ha="center", weight="bold",
                    color="#222")
    minx, miny, maxx, maxy = communes.total_bounds  # frame the département, not the EPCI that overflow it
    pad = 0.03 * max(maxx - minx, maxy - miny)
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.set_aspect(1 / max(0.2, math.cos(math.radians((miny + maxy) / 2))))
    ax.set_axis_off()
    ax.set_title(title, fontsize=16, loc="left", weight="bold")
    if subtitle:
        fig.text(0.01, 0.01, subtitle, fontsize=9, color="#444")
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9, frameon=True)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _xy(geom):
    xs, ys = [], []
    for poly in getattr(geom, "geoms", [geom]):
        x, y = poly.exterior.xy
        xs += list(x) + [None]
        ys += list(y) + [None]
    return xs, ys
