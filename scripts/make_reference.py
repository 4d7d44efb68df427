"""Regenerate data/reference/*.csv from the pinned @etalab/decoupage-administratif tarball (needs npm)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.build.reference import derive  # noqa: E402
from geo.build.sources import fetch_etalab  # noqa: E402

if __name__ == "__main__":
    counts = derive(fetch_etalab())
    for name, n in counts.items():
        print(f"{name}: {n} lignes")
