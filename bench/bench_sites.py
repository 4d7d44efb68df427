"""Site lists (issue 19): 3,000 sites with codes, points and dates imported ≤ 5 s; ≥ 99.5 % in their commune.

Data are SYNTHETIC (geo.build.synth.labelled_sites: a national list of labelled sites with the INSEE code, the
commune, a point with a decimal comma — 2 % pushed across a border, 1 % far off, 0.5 % with another commune's
code — and « Espace labellisé … »).
Baseline in the same run: what a spreadsheet does, a lookup of the code column against the official communes
(pandas merge, VLOOKUP-like), which never looks at the point nor the name.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd

from bench.common import median_seconds
from geo import imports
from geo.build import synth
from geo.io.readers import read_bytes
from geo.paths import store_path
from geo.store import reader


def run() -> list[tuple[str, str, str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "bench.duckdb"
        shutil.copyfile(store_path(), store)
        df, truth = synth.labelled_sites(store=store)
        raw = df.to_csv(index=False, sep=";").encode()

        def prepare():
            return imports.prepare(read_bytes(raw, "espaces.csv"), synth.SITES_LABEL, sites=True, raw=raw,
                                   store=store)

        t_prepare = median_seconds(prepare, repeat=3)
        prepared = prepare()
        t_import = median_seconds(lambda: imports.commit(prepare(), store), repeat=3, warmup=0)
        rows = prepared.rows.reset_index(drop=True)
        right = (rows["commune"] == truth["commune"]).mean()
        elsewhere = int((rows["commune"].notna() & (rows["commune"] != truth["commune"])).sum())
        consistent = ~truth["cas"].isin(["loin", "code_faux"])
        right_consistent = (rows["commune"] == truth["commune"])[consistent].mean()
        review = int(rows["statut"].isin(["ambigu", "introuvable"]).sum())
        noted = int(rows["remarque"].str.contains("commune voisine|hors des contours").sum())
        dated = truth["date"].notna()
        dates = (pd.to_datetime(rows.loc[dated, "date_label"]).dt.date == truth.loc[dated, "date"]).mean()
        names = (rows["nom"] == truth["nom"]).mean()

        official = reader(store).execute("SELECT code, nom FROM communes").df()
        vlookup = lambda: df.merge(official, left_on="Code INSEE", right_on="code", how="left")  # noqa: E731
        t_base = median_seconds(vlookup, repeat=5)
        looked = vlookup()["code"].reset_index(drop=True)
        base_right = (looked == truth["commune"]).mean()
        base_wrong = int((looked.notna() & (looked != truth["commune"])).sum())
    return [
        ("Lecture et résolution de 3 000 sites (code, point, nom, date)", f"{t_prepare:.2f} s",
         f"RECHERCHEV du code : {t_base:.3f} s", "≤ 5 s"),
        ("Import complet de 3 000 sites (lecture, résolution, écriture)", f"{t_import:.2f} s", "—", "≤ 5 s"),
        ("Sites dans leur commune", f"{right:.2%} de tous ; {right_consistent:.2%} des sites dont le "
         f"point et le code s'accordent ; {elsewhere} dans une autre commune ; {review} à revoir (points à ~65 km "
         f"du code, codes d'une autre commune que le nom et le point) ; {noted} rattachés avec une remarque de "
         "distance",
         f"RECHERCHEV : {base_right:.2%}, {base_wrong} dans une autre commune sans le dire (ne voit ni le point "
         "ni le nom)", "≥ 99,5 %, 0 ailleurs sans remarque"),
        ("Noms propres des sites gardés ; dates gardées", f"{names:.1%} ; {dates:.1%} des lignes datées", "—",
         "100 % ; ≥ 95 %"),
    ]
