"""Colours readable by colour-blind people (ColorBrewer Blues, Okabe-Ito), and what each counts."""

from __future__ import annotations

from geo.data.coverage import STATUS_DIRECT, STATUS_EPCI, STATUS_EPT, STATUS_NONE

STATUS_COLORS = {STATUS_DIRECT: "#08519c", STATUS_EPT: "#3182bd", STATUS_EPCI: "#6baed6", STATUS_NONE: "#f0f0f0"}
NO_DATA = "#ffffff"
BLUES = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
SITE_OLYMPIC = "#009E73"     # Okabe-Ito bluish green
SITE_PARALYMPIC = "#E69F00"  # Okabe-Ito orange
OUTLINE = "#252525"
EPCI_OUTLINE = "#CC79A7"     # Okabe-Ito reddish purple, dashed
EPT_OUTLINE = "#D55E00"      # Okabe-Ito vermillion, dashed


def classes(value: float | None, bounds: list[float]) -> int | None:
    """Index of the class of a value: bounds are the upper limits of the first classes."""
    if value is None or value != value:
        return None
    for i, upper in enumerate(bounds):
        if value <= upper:
            return i
    return len(bounds)
