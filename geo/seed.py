"""The real lists shipped in data/labels, imported once into a store that lacks them."""

from __future__ import annotations

from pathlib import Path

from geo.labels import commit, list_imports, prepare
from geo.paths import DATA_DIR
from geo.readers import read_table

SHIPPED = [
    (DATA_DIR / "labels" / "terre-de-jeux-pas-de-calais-2019-11.csv", "Terre de Jeux 2024", False),
]


def seed(store: Path | None = None) -> list[str]:
    done = set(list_imports(store)["fichier"])
    messages = []
    for path, label, sites in SHIPPED:
        if path.name in done:
            messages.append(f"{path.name} : déjà importé.")
            continue
        prepared = prepare(read_table(path), label, sites=sites, raw=path.read_bytes(), store=store)
        import_id = commit(prepared, store)
        messages.append(f"{path.name} : import n° {import_id} ({prepared.counts()}).")
    return messages
