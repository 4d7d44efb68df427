"""The real lists shipped in data/labels, imported once into a store that lacks them, each with its source
and what it covers (shown on every page)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from geo.imports.history import list_imports
from geo.imports.prepare import prepare
from geo.imports.write import commit
from geo.io.readers import read_table
from geo.paths import DATA_DIR
from geo.store import transaction


@dataclass(frozen=True)
class Shipped:
    path: Path
    label: str
    sites: bool
    source: str
    note_completude: str
    level: str = "auto"
    date_liste: str | None = None  # the list's own date (ISO), when its source gives it


SHIPPED = [
    Shipped(DATA_DIR / "labels" / "terre-de-jeux-departements-2019-2020.csv", "Terre de Jeux 2024", False,
            "presse : sportmag.fr (2019-11-21), francsjeux.com (janvier 2020), crosif.fr (2020-03-09) ; "
            "adresse de chaque page dans la colonne « source »",
            "76 départements labellisés jusqu'au 2020-03-09, d'après la presse ; liste nationale non chargée"),
    Shipped(DATA_DIR / "labels" / "terre-de-jeux-pas-de-calais-2019-11.csv", "Terre de Jeux 2024", False,
            "article de presse, novembre 2019 (« Calais, \"Terre de Jeux\" mais aussi centre de préparation "
            "des JO ? »)",
            "11 communes et EPCI du Pas-de-Calais labellisés le 2019-11-20, d'après la presse ; partielle "
            "(première vague seulement)"),
    Shipped(DATA_DIR / "labels" / "petites-villes-de-demain-2021-01-22.csv", "Petites villes de demain", False,
            "ANCT, programme Petites villes de demain (dépôt anct-carto/pvd, commit e89a2ff3 du 2021-01-22, "
            "aussi publié sur data.gouv.fr) ; Licence Ouverte 2.0, attribution : ANCT",
            "1 606 communes du programme au 2021-01-22 (liste nationale de l'ANCT à cette date ; communes "
            "entrées depuis non chargées) ; codes de 2021 rapportés au COG 2025 : une commune fusionnée depuis "
            "est comptée sous sa commune nouvelle (remarque « vérifiez le code »)",
            level="commune", date_liste="2021-01-22"),
]


def seed(store: Path | None = None) -> list[str]:
    imports = list_imports(store)
    done = set(imports["fichier"])
    undescribed = set(imports.loc[imports["source"].isna(), "fichier"])
    messages = []
    for item in SHIPPED:
        if item.path.name in done:
            if item.path.name in undescribed:  # imported before imports carried their source
                with transaction(store) as con:
                    con.execute("UPDATE imports SET source = ?, note_completude = ? WHERE fichier = ? "
                                "AND source IS NULL", [item.source, item.note_completude, item.path.name])
            messages.append(f"{item.path.name} : déjà importé.")
            continue
        prepared = prepare(read_table(item.path), item.label, sites=item.sites, raw=item.path.read_bytes(),
                           level=item.level, store=store)
        prepared.source, prepared.note_completude = item.source, item.note_completude
        if item.date_liste:
            prepared.options["date_liste"] = item.date_liste
        import_id = commit(prepared, store)
        messages.append(f"{item.path.name} : import n° {import_id} ({prepared.counts()}).")
    return messages
