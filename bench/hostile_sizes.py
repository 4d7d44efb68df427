"""Hostile sizes (issue 23.1): 10 M cells without <dimension>, 11.5 M tiny JSON records: refused ≤ 2 s, ≤ 300 MB.

Every file is SYNTHETIC, made here at the size of the issue's report: an XLSX of 20 000 rows × 500 numbers with no
`<dimension>` (about 629 KB zipped, 161 MB unzipped, under every limit the file declares), a JSON list of
11 500 000 records `{"a":1}` (88 MB) and, as CSV has the same problem, a CSV of 1 999 000 rows × 16 cells (92 MB).
Each refusal runs in its own process, several times: median time from the bytes in memory to the refusal, median
wall time of the whole process (Python start and imports included) and the process's peak memory (VmHWM).
Baseline in the same run: the same reader on a normal small real list (tests/data/real_lists, 248 rows) saved as
XLSX, JSON and CSV.

    python bench/hostile_sizes.py [--runs 5] [--root DIR]    # DIR: another checkout of geo/, e.g. before a fix
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "data" / "real_lists" / "terre-de-jeux-autres-sources.csv"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CHILD = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from geo.errors import GeoError
from geo.io.readers import read_bytes
path = Path(sys.argv[2])
raw = path.read_bytes()
started = time.perf_counter()
try:
    table = read_bytes(raw, path.name)
    outcome = f"lu : {len(table.data)} lignes"
except GeoError as exc:
    outcome = "refusé : " + str(exc)
except MemoryError:
    outcome = "MemoryError"
seconds = time.perf_counter() - started
# VmHWM: this process's own peak (ru_maxrss of RUSAGE_CHILDREN would be the largest child so far)
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "outcome": outcome}))
"""


def write_xlsx_without_dimension(path: Path, rows: int = 20_000, columns: int = 500) -> None:
    """The report's workbook: rows × columns two-digit numbers, no <dimension>, the sheet streamed into the zip."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
                   '<sheet name="liste" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        shifted = [("<row>" + "".join(f"<c><v>{(r + c) % 90 + 10}</v></c>" for c in range(columns)) +
                    "</row>").encode() for r in range(90)]
        with z.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            for r in range(rows):
                sheet.write(shifted[r % 90])
            sheet.write(b"</sheetData></worksheet>")


def write_tiny_records(path: Path, records: int = 11_500_000) -> None:
    """The report's JSON: a list of `records` objects {"a":1}."""
    block = b'{"a":1},' * 100_000
    with open(path, "wb") as out:
        out.write(b"[")
        for _ in range(records // 100_000 - 1):
            out.write(block)
        out.write(block[:-1] + b"]")


def write_many_cells_csv(path: Path, rows: int = 1_999_000, columns: int = 16) -> None:
    """A CSV under the 2 × row-limit shortcut: rows × columns two-character cells."""
    line = (";".join(f"{i:02d}" for i in range(columns)) + "\n").encode()
    with open(path, "wb") as out:
        out.write((";".join(f"c{i}" for i in range(columns)) + "\n").encode())
        for _ in range(rows // 1000):
            out.write(line * 1000)


def write_real_list(tmp: Path) -> dict[str, Path]:
    """The real list of 248 rows, as the officer would have it in each format."""
    import openpyxl

    with open(REAL, encoding="utf-8", newline="") as f:
        records = list(csv.DictReader(f))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(records[0]))
    for r in records:
        sheet.append(list(r.values()))
    paths = {"xlsx": tmp / "liste-reelle.xlsx", "json": tmp / "liste-reelle.json", "csv": tmp / "liste-reelle.csv"}
    book.save(paths["xlsx"])
    paths["json"].write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    paths["csv"].write_bytes(REAL.read_bytes())
    return paths


def measure(path: Path, runs: int, root: Path) -> dict:
    """Median time to the refusal, median process wall time and the largest peak over `runs` processes."""
    results, walls = [], []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", CHILD, str(root), str(path)], capture_output=True, text=True,
                              timeout=1800)
        walls.append(time.perf_counter() - started)
        if done.returncode != 0:
            return {"seconds": float("nan"), "wall": walls[-1], "peak_mb": float("nan"),
                    "outcome": "échec : " + done.stderr.strip()[-160:]}
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {"seconds": statistics.median(r["seconds"] for r in results), "wall": statistics.median(walls),
            "peak_mb": max(r["peak_mb"] for r in results), "outcome": results[-1]["outcome"]}


def _size(path: Path) -> str:
    n = path.stat().st_size
    return f"{n / 2**20:.0f} Mo" if n >= 2**20 else f"{n / 1024:.0f} Ko"


def run(runs: int = 5, root: Path = ROOT) -> list[tuple[str, str, str, str]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        real = write_real_list(tmp)
        hostile = {"xlsx": tmp / "sans-dimension.xlsx", "json": tmp / "minuscules.json", "csv": tmp / "cellules.csv"}
        write_xlsx_without_dimension(hostile["xlsx"])
        write_tiny_records(hostile["json"])
        write_many_cells_csv(hostile["csv"])
        with zipfile.ZipFile(hostile["xlsx"]) as z:
            inflated = sum(i.file_size for i in z.infolist())
        labels = {"xlsx": f"XLSX sans `<dimension>`, 20 000 × 500 = 10 000 000 cellules ({_size(hostile['xlsx'])}, "
                          f"{inflated / 2**20:.0f} Mo décompressés)",
                  "json": f"JSON de 11 500 000 enregistrements `{{\"a\":1}}` ({_size(hostile['json'])})",
                  "csv": f"CSV de 1 999 000 lignes × 16 cellules ({_size(hostile['csv'])})"}
        for kind in ("xlsx", "json", "csv"):
            base = measure(real[kind], runs, root)
            bad = measure(hostile[kind], runs, root)
            rows.append((labels[kind],
                         f"refus en {bad['seconds']:.2f} s (médiane de {runs} ; processus entier {bad['wall']:.2f} s), "
                         f"pic {bad['peak_mb']:.0f} Mo (le plus haut des {runs}) ; {bad['outcome'][:100]}…",
                         f"liste réelle de 248 lignes en {kind.upper()} ({_size(real[kind])}), même lecteur : "
                         f"{base['seconds'] * 1000:.0f} ms (processus {base['wall']:.2f} s), "
                         f"pic {base['peak_mb']:.0f} Mo ; "
                         f"refus = {bad['seconds'] / base['seconds']:.1f}× le temps, "
                         f"{bad['peak_mb'] / base['peak_mb']:.2f}× le pic",
                         "≤ 2 s, ≤ 300 Mo" if kind != "csv" else "refus en français, mémoire bornée"))
    return rows


def main() -> None:
    """Print the BENCHMARKS.md section (title, machine, table)."""
    sys.path.insert(0, str(ROOT))
    from datetime import date

    from bench.common import machine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--root", type=Path, default=ROOT, help="dossier qui contient le paquet geo/ à mesurer")
    args = parser.parse_args()
    print(f"## {__doc__.strip().splitlines()[0]}\n")
    print(f"Mesuré le {date.today().isoformat()} sur {machine()}.\n")
    print("| mesure | résultat | référence dans la même exécution | budget |\n|---|---|---|---|")
    for a, b, c, d in run(args.runs, args.root.resolve()):
        print(f"| {a} | {b} | {c} | {d} |")


if __name__ == "__main__":
    main()
