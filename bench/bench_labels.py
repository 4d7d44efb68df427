"""Label budgets: resolve 10,000 rows ≤ 2 s warm; import 4,500 Terre de Jeux + 3,000 CPJ rows ≤ 10 s.

Data are SYNTHETIC (geo/build/synth.py). Baseline in the same run: what a spreadsheet does, an exact
match of the name column against official names (pandas merge, VLOOKUP-like), with its errors.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd

from bench.common import median_seconds
from geo import imports
from geo.build import synth
from geo.io.columns import detect
from geo.io.readers import read_table
from geo.paths import store_path
from geo.resolve import resolve_frame
from geo.store import reader


def run() -> list[tuple[str, str, str, str]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = tmp / "bench.duckdb"
        shutil.copyfile(store_path(), store)
        tdj, truth = synth.terre_de_jeux(store=store)
        cpj, _ = synth.cpj(store=store)
        big = pd.concat([tdj, tdj, tdj.head(10000 - 2 * len(tdj))], ignore_index=True)
        big_truth = pd.concat([truth, truth, truth.head(10000 - 2 * len(truth))], ignore_index=True)
        big_path = synth.write_csv(big, tmp / "synthetique-10000.csv", encoding="cp1252")
        table = read_table(big_path)
        cols = detect(table.data)
        resolve_frame(table.data, cols, store=store)  # warm: index built once per store
        t_resolve = median_seconds(lambda: resolve_frame(table.data, cols, store=store), repeat=5)
        out = resolve_frame(table.data, cols, store=store).reset_index(drop=True)
        ok = (out["code"] != "") & big_truth["code"].notna()
        precision = (out.loc[ok, "code"] == big_truth.loc[ok, "code"]).mean()
        recall = ok.sum() / big_truth["code"].notna().sum()

        official = reader(store).execute("SELECT code, nom FROM communes").df()
        data = table.data.reset_index(names="rang")
        vlookup = lambda: data.merge(official, left_on="nom_collectivite", right_on="nom", how="left")  # noqa: E731
        t_base = median_seconds(vlookup, repeat=5)
        merged = vlookup()
        hit = merged.drop_duplicates("rang").sort_values("rang")
        dup_rows = len(merged) - len(table.data)
        found = hit["code"].notna().to_numpy() & big_truth["code"].notna().to_numpy()
        base_right = (hit["code"].to_numpy()[found] == big_truth["code"].to_numpy()[found]).mean()
        rows.append(("Résolution de 10 000 lignes (à chaud)",
                     f"{t_resolve:.2f} s ; précision {precision:.2%}, rappel {recall:.1%}",
                     f"RECHERCHEV par nom exact : {t_base:.3f} s ; rappel {found.sum() / len(big):.1%}, "
                     f"précision {base_right:.2%}, {dup_rows} lignes dédoublées par les homonymes", "≤ 2 s"))

        tdj_path = synth.write_csv(tdj, tmp / "synthetique-tdj.csv", encoding="cp1252")
        cpj_path = synth.write_csv(cpj, tmp / "synthetique-cpj.csv")

        def import_both():
            a = imports.prepare(read_table(tdj_path), synth.TDJ_LABEL, store=store)
            imports.commit(a, store)
            b = imports.prepare(read_table(cpj_path), synth.CPJ_LABEL, sites=True, store=store)
            imports.commit(b, store)

        t_import = median_seconds(import_both, repeat=3, warmup=0)
        rows.append((f"Import de {len(tdj)} lignes Terre de Jeux + {len(cpj)} lignes CPJ (lecture, résolution, "
                     "écriture)", f"{t_import:.2f} s", "—", "≤ 10 s"))
    return rows
