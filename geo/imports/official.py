"""The official lists in one step: download the Terre de Jeux and CPJ datasets from their Opendatasoft
portal (Explore API v2.1 exports, CSV `;` or JSON), or any list from an address, and import each as a
new import compared with the previous one. Nothing is written unless every download and reading worked:
offline, or when the portal answers an error, a French message says so and the store is unchanged."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from geo import settings
from geo.errors import FileRefused, InputRefused
from geo.imports.history import compare
from geo.imports.prepare import REVIEW_STATUSES, Prepared, prepare
from geo.imports.write import commit_all
from geo.io.download import TIMEOUT, download
from geo.io.readers import read_bytes

# The portal moved (data.paris2024.org, then data.education.gouv.fr, harvested by data.gouv.fr): its base
# address is a setting (TDJ_PORTAIL, --portail, or the field of the Importer page).
PORTAL_DEFAULT = settings.get("TDJ_PORTAIL", {})  # the default, whatever the environment says
FORMATS = ("csv", "json")


@dataclass(frozen=True)
class Dataset:
    key: str
    id: str
    label: str
    sites: bool
    title: str


DATASETS = (
    Dataset("terre-de-jeux", "paris-2024-territoires-labellises-terre-de-jeux", "Terre de Jeux 2024", False,
            "Territoires labellisés Terre de Jeux 2024"),
    Dataset("cpj", "paris-2024-centres-de-preparation-aux-jeux", "Centre de préparation aux Jeux", True,
            "Centres de préparation aux Jeux"),
)


def portal() -> str:
    return settings.get("TDJ_PORTAIL")


def export_url(base: str, dataset_id: str, fmt: str = "csv") -> str:
    if fmt not in FORMATS:
        raise InputRefused(f"Format d'export inconnu : {fmt} (attendu : {', '.join(FORMATS)}).")
    return f"{base.rstrip('/')}/api/explore/v2.1/catalog/datasets/{dataset_id}/exports/{fmt}"


def file_name(url: str, fallback: str = "liste") -> str:
    """A name for the import: the file named by the address, or the dataset of an export address."""
    path = urllib.parse.urlsplit(url).path.rstrip("/")
    parts = path.split("/")
    if len(parts) >= 3 and parts[-2] == "exports" and parts[-3]:
        return f"{parts[-3]}.{parts[-1]}"
    name = parts[-1] if parts and parts[-1] else fallback
    return name if "." in name else f"{name}.csv"


def prepare_url(url: str, label: str, *, sites: bool = False, level: str = "auto", departement: str | None = None,
                note: str = "", store: Path | None = None, timeout: float = TIMEOUT) -> Prepared:
    """Download and resolve a list from an address (CSV, JSON, GeoJSON, XLSX); nothing is written."""
    raw = download(url, timeout)
    table = read_bytes(raw, file_name(url))
    prepared = prepare(table, label, sites=sites, raw=raw, level=level, departement=departement, store=store)
    prepared.source = url
    today = datetime.now(UTC).date().isoformat()
    prepared.note_completude = note or f"liste téléchargée le {today} depuis {urllib.parse.urlsplit(url).netloc}"
    return prepared


@dataclass
class Updated:
    dataset: Dataset
    import_id: int
    lignes: int
    counts: dict[str, int]
    precedent: int | None = None
    ajouts: int = 0
    retraits: int = 0
    messages: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{self.dataset.title} : import n° {self.import_id}, {self.lignes} ligne(s)"
        if self.precedent:
            text += (f" ; par rapport à l'import n° {self.precedent} : {self.ajouts} ajout(s), "
                     f"{self.retraits} retrait(s)")
        else:
            text += " ; premier import de cette liste"
        review = sum(self.counts.get(s, 0) for s in REVIEW_STATUSES)
        return text + (f" ; {review} ligne(s) à revoir dans la page Importer" if review else "") + "."


def update(base: str | None = None, fmt: str = "csv", store: Path | None = None,
           datasets: tuple[Dataset, ...] = DATASETS, timeout: float = TIMEOUT,
           auteur: str | None = None) -> list[Updated]:
    """Download every official list, then import them together (all or nothing), each compared with the
    previous import of its label."""
    base = (base or portal()).strip()
    today = datetime.now(UTC).date().isoformat()
    host = urllib.parse.urlsplit(base).netloc or base
    prepared = []
    for ds in datasets:
        url = export_url(base, ds.id, fmt)
        p = prepare_url(url, ds.label, sites=ds.sites, store=store, timeout=timeout,
                        note=f"liste nationale officielle ({ds.id}) téléchargée le {today} depuis {host}")
        if len(p.rows) == 0:
            raise FileRefused(f"{ds.title} : le portail a renvoyé une liste vide ({url}). Rien n'a été modifié.")
        prepared.append(p)
    ids = commit_all(prepared, store, auteur)
    out = []
    for ds, p, import_id in zip(datasets, prepared, ids, strict=True):
        diff = compare(import_id, store, same_list=f"{ds.id}.")
        out.append(Updated(ds, import_id, len(p.rows), p.counts(), diff["precedent"], len(diff["ajouts"]),
                           len(diff["retraits"]), p.messages))
    return out
