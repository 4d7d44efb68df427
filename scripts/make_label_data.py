"""Copy the columns the project ships from ../shared/data/real-lists (read in place) to data/labels.

terre-de-jeux-departements-2019-2020.csv: the 76 départements labelled Terre de Jeux 2024 in the first
three waves (24 on 2019-11-21, 35 in January 2020, 17 on 2020-03-09), as three press pages printed them.
Kept per row: the name as printed, the level the page's heading gives (a list of départements), the
date of the wave as the source gives it (a day, or only a month), the page's heading and its address.
The hand-checked truth codes stay in ../shared: the shipped file goes through the normal import.

petites-villes-de-demain-2021-01-22.csv: the 1,606 communes of the national programme « Petites villes de
demain » (ANCT, anct-carto/pvd at commit e89a2ff3 of 2021-01-22, Licence Ouverte 2.0, attribution ANCT).
Kept per row: the programme's id, the INSEE code of 2021 and the name as published, the département code and
the EPCI as published. Dropped: the placeholder row (code 999999, « Trifouilly-les-Oies », département 99),
which is no commune, and the columns the project does not use (site, population of 2021, signature date).

Usage: python scripts/make_label_data.py
"""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "data" / "real-lists" / "terre-de-jeux-departements-2019-2020.csv"
TARGET = ROOT / "data" / "labels" / "terre-de-jeux-departements-2019-2020.csv"
PVD_SOURCE = ROOT.parent / "shared" / "data" / "real-lists" / "petites-villes-de-demain-anct-2021-01-22.csv"
PVD_TARGET = ROOT / "data" / "labels" / "petites-villes-de-demain-2021-01-22.csv"
PVD_PLACEHOLDER = "999999"  # « Trifouilly-les-Oies », département 99: a test row of the source, not a commune


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
    petites_villes()


def petites_villes() -> None:
    """Copy Petites villes de demain without its placeholder row, codes kept as text as published."""
    with open(PVD_SOURCE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    kept = [r for r in rows if r["insee_com"] != PVD_PLACEHOLDER]
    if len(rows) != 1607 or len(kept) != 1606:
        raise SystemExit(f"{PVD_SOURCE} : 1 607 lignes attendues dont une ligne d'essai, {len(rows)} lues")
    with open(PVD_TARGET, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";", lineterminator="\n")
        writer.writerow(["id_pvd", "code_insee", "nom", "departement", "siren_epci", "epci"])
        for r in kept:
            writer.writerow([r["id_pvd"], r["insee_com"], r["lib_com"], r["insee_dep"], r["siren_epci"],
                             r["lib_epci"]])
    print(f"{PVD_TARGET} : {len(kept)} lignes (ligne d'essai {PVD_PLACEHOLDER} écartée)")


if __name__ == "__main__":
    main()
