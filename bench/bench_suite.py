"""Test suite (issue 17): make test-fast ≤ 30 s; the whole suite ≤ 12 min and .ci/run ≤ 15 min on a clean clone.

The fast set (`pytest -m "not slow and not browser" -n 2`, as `make test-fast` runs it) is timed here, three runs,
beside its floor in the same run: the same command collecting the tests without running them (the interpreter, two
workers, the imports of geo, Streamlit, GeoPandas and the collection itself). The whole suite and `.ci/run` take
10 to 15 minutes: they are timed by hand on a clean clone and written in the section « Suite de tests : mesures
d'un clone neuf ».
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from bench.common import ROOT

FAST = ["-m", "not slow and not browser", "-n", "2", "-q", "-p", "no:cacheprovider"]  # as make test-fast


def _seconds(args: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", *args], cwd=ROOT, capture_output=True, text=True)
    last = (done.stdout.strip().splitlines() or ["?"])[-1]
    if done.returncode not in (0, 5):
        raise RuntimeError(f"pytest a échoué : {last}")
    return time.perf_counter() - started, last


def run() -> list[tuple[str, str, str, str]]:
    fast = [_seconds(FAST) for _ in range(3)]
    floor = [_seconds([*FAST, "--collect-only"]) for _ in range(3)]
    f = statistics.median(t for t, _ in fast)
    c = statistics.median(t for t, _ in floor)
    summary = fast[-1][1].strip("= ")
    return [("`make test-fast` (pytest, jeu rapide)", f"{f:.1f} s (médiane de 3 ; min {min(t for t, _ in fast):.1f} s, "
             f"max {max(t for t, _ in fast):.1f} s) ; {summary}",
             f"pytest qui collecte les mêmes tests sans les lancer : {c:.1f} s ({f / c:.1f}×)", "≤ 30 s")]
