"""Copy the columns the project ships from ../shared/data/real-lists (read in place) to data/labels.

terre-de-jeux-departements-2019-2020.csv: the 76 départements labelled Terre de Jeux 2024 in the first
three waves (24 on 2019-11-21, 35 in January 2020, 17 on 2020-03-09), as three press pages printed them.
Kept per row: the name as printed, the level the page's heading gives (a list of départements), the
date of the wave as the source gives it (a day, or only a month), the page's heading and its address.
The hand-checked truth codes stay in ../shared: the shipped file goes through the normal import.

Usage: python scripts/make_label_data.py
"""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "data" / "real-lists" / "terre-de-jeux-departements-2019-2020.csv"
TARGET = ROOT / "data" / "labels" / "terre-de-jeux-departements-2019-2020.csv"


def main() -> None:
    with open(SOURCE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    if len(rows) != 76 or {r["truth_level"] for r in rows} != {"departement"}:
        raise SystemExit(f"{SOURCE} : 76 départements attendus, {len(rows)} lignes lues")
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    with open(TARGET, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";", lineterminator="\n")
        writer.writerow(["nom", "type", "date_labellisation", "titre_source", "source"])
        for r in rows:
            writer.writerow([r["name_as_printed"], "département", r["source_date"], r["context"], r["source_url"]])
    print(f"{TARGET} : {len(rows)} lignes")


if __name__ == "__main__":
    main()
