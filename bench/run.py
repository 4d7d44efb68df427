"""Run every benchmark and rewrite BENCHMARKS.md with the figures and the machine they ran on."""

from __future__ import annotations

import importlib
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine  # noqa: E402

MODULES = ["bench.bench_store", "bench.bench_labels", "bench.bench_resolve_real", "bench.bench_maps",
           "bench.bench_uploads", "bench.bench_load", "bench.bench_region_maps", "bench.bench_deck",
           "bench.bench_suite", "bench.bench_analysis", "bench.bench_sites"]


def main(selected: list[str]) -> None:
    """Run the benchmarks (all, or those named) and write their sections; other sections are kept."""
    path = ROOT / "BENCHMARKS.md"
    sections = _sections(path.read_text(encoding="utf-8")) if path.exists() else {}
    for name in MODULES:
        if selected and name.split(".")[-1] not in selected:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        print(f"… {name}", file=sys.stderr)
        rows = module.run()
        title = module.__doc__.strip().splitlines()[0]
        body = [f"Mesuré le {date.today().isoformat()} sur {machine()}.", "",
                "| mesure | résultat | référence dans la même exécution | budget |", "|---|---|---|---|"]
        body += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
        sections[title] = "\n".join(body)
    lines = ["# Benchmarks", "",
             "Médianes de plusieurs exécutions ; machine partagée et bruitée : comparer les rapports plutôt que "
             "les valeurs absolues. Relancer avec `make bench` (ou `python bench/run.py bench_maps` pour une "
             "section).", ""]
    for title, body in sections.items():
        lines += [f"## {title}", "", body.strip(), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


def _sections(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for chunk in text.split("\n## ")[1:]:
        title, _, body = chunk.partition("\n")
        found[title.strip()] = body
    return found


if __name__ == "__main__":
    main(sys.argv[1:])
