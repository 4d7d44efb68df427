"""Colours readable by colour-blind people (ColorBrewer Blues, Okabe-Ito), and what each counts; lines and
rings drawn on the map at 3:1 at least against the map's light background (WCAG 2.1, 1.4.11)."""

from __future__ import annotations

from geo.data.coverage import STATUS_DIRECT, STATUS_EPCI, STATUS_EPT, STATUS_NONE

STATUS_COLORS = {STATUS_DIRECT: "#08519c", STATUS_EPT: "#3182bd", STATUS_EPCI: "#6baed6", STATUS_NONE: "#f0f0f0"}
NO_DATA = "#ffffff"
BLUES = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
SITE_OLYMPIC = "#009E73"     # Okabe-Ito bluish green
SITE_PARALYMPIC = "#B47A00"  # Okabe-Ito orange, darkened to 3.2:1 (a hollow ring in this colour marks a CPJ)
OUTLINE = "#252525"
EPCI_OUTLINE = "#B45A8E"     # Okabe-Ito reddish purple, darkened to 3.8:1 on a commune not covered; dashed
EPT_OUTLINE = "#D55E00"      # Okabe-Ito vermillion, dashed


MAP_BACKGROUND = "#f4f4f0"  # static/carte.css, .leaflet-container


def luminance(color: str) -> float:
    """Relative luminance of a "#rrggbb" colour (WCAG 2.1)."""
    channels = [int(color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """Contrast ratio of two colours, 1 to 21 (WCAG 2.1): 4.5 for text, 3 for large text and graphics."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def classes(value: float | None, bounds: list[float]) -> int | None:
    """Index of the class of a value: bounds are the upper limits of the first classes."""
    if value is None or value != value:
        return None
    for i, upper in enumerate(bounds):
        if value <= upper:
            return i
    return len(bounds)
GAP = "#cfcfcf"  # where the source draws no commune (a chef-lieu point only): grey, named in the legend
HELD = "#e5f5e0"  # a commune not otherwise covered, in a département that holds the label itself (ColorBrewer Greens)
HELD_LABEL = "non couverte, dans un département labellisé"
HELD_OUTLINE = "#1b7837"  # a labelled département's edge on the France map (ColorBrewer PRGn, 5.9:1 on white)
