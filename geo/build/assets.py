"""Leaflet and its plugins (offline maps) and axe-core (the accessibility checks of the browser tests), fetched
from the npm registry at set-up and served locally: never from a CDN."""

from __future__ import annotations

import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from geo.build.sources import sha256_of
from geo.errors import SourceUnavailable
from geo.paths import cache_dir, static_vendor_dir

STATIC_URL = "/app/static/vendor"  # Streamlit's static file serving (server.enableStaticServing)


@dataclass(frozen=True)
class Asset:
    package: str
    version: str
    sha256: str
    files: tuple[str, ...]  # paths inside the package's `folder`
    folder: str = "dist"  # where the package keeps its browser files (axe-core: at its root)

    @property
    def tarball(self) -> str:
        return f"{self.package.replace('@', '').replace('/', '-')}-{self.version}.tgz"


ASSETS = (
    Asset("leaflet", "1.9.4", "84c65a256e50657896f54c33bd857b6849ebe94c817803be818bf32a3dde0b77",
          ("leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png", "images/marker-icon.png",
           "images/marker-icon-2x.png", "images/marker-shadow.png")),
    Asset("leaflet.markercluster", "1.5.3", "fc6b0b1d00b6c708ae54e43ee4a11ac345e41660e19f0a570190bb35babb1a1c",
          ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css")),
    # used by tests/browser/test_accessibility.py only (WCAG 2.1 A/AA rules), injected into each page and map
    Asset("axe-core", "4.14.1", "e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745",
          ("axe.min.js", "LICENSE"), folder=""),
)


def url(package: str, file: str) -> str:
    return f"{STATIC_URL}/{package}/{file}"


def local_path(package: str, file: str) -> Path:
    return static_vendor_dir() / package / file


def installed() -> bool:
    return all(local_path(a.package, f).exists() for a in ASSETS for f in a.files)


def fetch_assets() -> list[Path]:
    """npm pack each pinned package into the cache, check it, copy its dist files to static/vendor."""
    written = []
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    for asset in ASSETS:
        tgz = cache / asset.tarball
        if not tgz.exists() or sha256_of(tgz) != asset.sha256:
            tgz.unlink(missing_ok=True)
            result = subprocess.run(["npm", "pack", f"{asset.package}@{asset.version}", "--pack-destination",
                                     str(cache)], capture_output=True, text=True)
            if result.returncode != 0 or not tgz.exists():
                raise SourceUnavailable(f"Téléchargement impossible de {asset.package}@{asset.version} depuis npm : "
                               f"{result.stderr.strip()[-300:]}")
        if sha256_of(tgz) != asset.sha256:
            raise SourceUnavailable(f"Somme de contrôle incorrecte pour {tgz} : supprimez-le et relancez "
                           "« python -m geo assets ».")
        target = static_vendor_dir() / asset.package
        shutil.rmtree(target, ignore_errors=True)
        with tarfile.open(tgz) as tar:
            for file in asset.files:
                out = target / file
                out.parent.mkdir(parents=True, exist_ok=True)
                inner = "/".join(p for p in ("package", asset.folder, file) if p)
                out.write_bytes(tar.extractfile(inner).read())
                written.append(out)
    return written
