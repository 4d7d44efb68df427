"""Run every benchmark and rewrite BENCHMARKS.md with the figures and the machine they ran on."""

from __future__ import annotations

import importlib
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import machine  # noqa: E402

MODULES = ["bench.bench_store", "bench.bench_labels", "bench.bench_maps"]


def main(selected: list[str]) -> None:
    lines = ["# Benchmarks", "",
             f"Mesurés le {date.today().isoformat()} sur {machine()}.",
             "Médianes de plusieurs exécutions ; machine partagée et bruitée : comparer les rapports plutôt que "
             "les valeurs absolues. Relancer avec `make bench`.", ""]
    for name in MODULES:
        if selected and name.split(".")[-1] not in selected:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        print(f"… {name}", file=sys.stderr)
        rows = module.run()
        lines += [f"## {module.__doc__.strip().splitlines()[0]}", "",
                  "| mesure | résultat | référence dans la même exécution | budget |", "|---|---|---|---|"]
        lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
        lines.append("")
    if not selected:  # a partial run only prints, so BENCHMARKS.md always holds one whole run
        (ROOT / "BENCHMARKS.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])
