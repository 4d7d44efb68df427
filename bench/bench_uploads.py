"""Uploads: a 1,000,000-row list imported ≤ 60 s; hostile files refused with bounded memory and time.

Every file is SYNTHETIC, made here. Each case runs in its own process (time from reading the bytes to the
commit, and the process's peak memory), as the app would when an officer drops the file. Baseline in the
same run: what a notebook user does with the same list, DuckDB's read_csv joined on the exact name (no
homonyms, no review, no store)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from geo.paths import ROOT, store_path

CHILD = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from geo import imports
from geo.errors import GeoError
from geo.io.readers import read_bytes
path, store, mode = Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
raw = path.read_bytes()
started = time.perf_counter()
outcome = "importé"
try:
    if mode == "idle":
        table = read_bytes(raw, path.name)
    elif mode == "duckdb":
        import duckdb
        con = duckdb.connect(str(store), read_only=True)
        n = con.execute("SELECT count(*), count(c.code) FROM "
                        f"read_csv('{path}', delim=';', header=true, all_varchar=true) l "
                        "LEFT JOIN (SELECT nom, any_value(code) AS code FROM communes GROUP BY nom) c "
                        "ON c.nom = l.nom_collectivite").fetchone()
        outcome = f"{n[1]:,} noms exacts sur {n[0]:,}".replace(",", " ")
    else:
        table = read_bytes(raw, path.name)
        prepared = imports.prepare(table, "Bench (synthétique)", raw=raw, store=store)
        imports.commit(prepared, store)
except GeoError as exc:
    outcome = "refusé : " + str(exc)[:90]
seconds = time.perf_counter() - started
# VmHWM: this process's own peak (ru_maxrss would carry the parent's peak across exec)
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "outcome": outcome}))
"""


def _run(path: Path, store: Path, mode: str = "import") -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(path), str(store), mode],
                          capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        return {"seconds": float("nan"), "peak_mb": float("nan"), "outcome": "échec : " + done.stderr[-200:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _million(tmp: Path, store: Path) -> Path:
    from geo.build import synth

    tdj, _ = synth.terre_de_jeux(store=store)
    reps = 1_000_000 // len(tdj) + 1
    path = tmp / "synthetique-1000000.csv"
    with open(path, "w", encoding="utf-8") as out:
        out.write(";".join(tdj.columns) + "\n")
        body = tdj.to_csv(index=False, sep=";", header=False)
        lines = body.splitlines(keepends=True)
        written = 0
        for _ in range(reps):
            take = lines[:1_000_000 - written]
            out.writelines(take)
            written += len(take)
            if written >= 1_000_000:
                break
    return path


def _hostile(tmp: Path) -> list[tuple[str, Path]]:
    from geo.io import limits

    cases = []
    wide = tmp / "large-5000-colonnes.csv"
    wide.write_text(";".join(f"c{i}" for i in range(5000)) + "\n" + ("x;" * 4999 + "x\n") * 200, encoding="utf-8")
    cases.append(("CSV de 5 000 colonnes", wide))
    long = tmp / "long-2000000-lignes.csv"
    long.write_text("nom;departement\n" + "Arras;62\n" * 2_000_000, encoding="utf-8")
    cases.append(("CSV de 2 000 000 lignes (18 Mo)", long))
    bomb = tmp / "bombe.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (2 * limits.MAX_INFLATED) + b">")
    cases.append((f"XLSX « bombe zip » ({bomb.stat().st_size // 1024} Ko, {2 * limits.MAX_INFLATED // 2**20} Mo "
                  "décompressés)", bomb))
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("liste")
    sheet.append(["nom", "departement"] + [f"c{i}" for i in range(18)])
    for _ in range(60_000):
        sheet.append(["Arras", "62"] + ["x"] * 18)
    big = tmp / "classeur-60000x20.xlsx"
    book.save(big)
    cases.append((f"XLSX de 60 000 × 20 cellules ({big.stat().st_size // 2**20} Mo)", big))
    deep = tmp / "profond.json"
    deep.write_bytes(b"[" * 200_000 + b"]" * 200_000)
    cases.append(("JSON imbriqué 200 000 fois", deep))
    return cases


def run() -> list[tuple[str, str, str, str]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = tmp / "bench.duckdb"
        shutil.copyfile(store_path(), store)
        million = _million(tmp, store)
        ours = _run(million, store)
        base = _run(million, store, "duckdb")
        rows.append((f"Import de 1 000 000 lignes ({million.stat().st_size // 2**20} Mo, lecture, résolution, "
                     "écriture)", f"{ours['seconds']:.0f} s, pic {ours['peak_mb']:.0f} Mo ({ours['outcome']}) ; "
                     "avant ce correctif : 23 min (mesure du rapport de l'issue 12)",
                     f"DuckDB read_csv + jointure sur le nom exact : {base['seconds']:.1f} s ({base['outcome']})",
                     "≤ 60 s"))
        (tmp / "une-ligne.csv").write_text("nom\nArras\n", encoding="utf-8")
        idle = _run(tmp / "une-ligne.csv", store, "idle")
        rows.append(("Processus de référence (Python + geo + une liste de 1 ligne)", f"pic {idle['peak_mb']:.0f} Mo",
                     "—", "—"))
        for name, path in _hostile(tmp):
            shutil.copyfile(store_path(), store)
            r = _run(path, store)
            rows.append((f"Fichier hostile : {name}", f"{r['seconds']:.1f} s, pic {r['peak_mb']:.0f} Mo",
                         r["outcome"], "refus en français, mémoire bornée"))
        os.sync()
    return rows


if __name__ == "__main__":
    for row in run():
        print(" | ".join(row))
