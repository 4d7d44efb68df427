"""Over time, column maps, deck: France history ≤ 1 s; column map of the 62 ≤ 2× coverage map; deck ≤ 15 s.

Data: the real lists shipped in data/labels, plus a SYNTHETIC survey-shaped list (one invented answer per
commune of the 62, and an EPCI) for the column map. Baselines measured in the same run: the coverage of France
as it stands today (geo.data.coverage.france), the coverage map of the 62 (geo.maps.departement_map.build) and the PNG
slide of the 62 (geo.slides.png.departement_png).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from bench.common import median_seconds, ms
from geo import imports
from geo.data import attributes, coverage, timeline
from geo.imports.seed import seed
from geo.io.readers import read_bytes
from geo.maps import attribute_map, departement_map
from geo.paths import store_path
from geo.slides import deck, png
from geo.store import reader

LABEL = "Terre de Jeux 2024"


def _survey(store: Path) -> None:
    """One invented answer per commune of the 62 (oui / non / en cours in turn), labelled synthetic."""
    codes = [r[0] for r in reader(store).execute("SELECT code FROM communes WHERE departement = '62' ORDER BY code")
             .fetchall()]
    answers = ["oui", "non", "en cours"]
    lines = ["code;Nouvelles manières de travailler ?;Budget (k€)"]
    lines += [f"{c};{answers[i % 3]};{(i * 37) % 900 + 10}" for i, c in enumerate(codes)]
    raw = "\n".join(lines).encode()
    imports.commit(imports.prepare(read_bytes(raw, "enquete-synthetique-62.csv"), "Enquête (synthétique)", raw=raw,
                                 store=store), store)


def run() -> list[tuple[str, str, str, str]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "bench.duckdb"
        shutil.copyfile(store_path(), store)
        con = reader(store)
        if not con.execute("SELECT count(*) FROM imports").fetchone()[0]:
            seed(store)
        _survey(store)
        t_hist = median_seconds(lambda: timeline.history(LABEL, None, store), repeat=5)
        t_cov = median_seconds(lambda: coverage.france(LABEL, store), repeat=5)
        rows.append(("Couverture dans le temps, France entière (toutes les communes, chaque mois depuis 2019)",
                     ms(t_hist), f"couverture d'aujourd'hui `coverage.france` : {ms(t_cov)} "
                                 f"({t_hist / t_cov:.1f}×)", "≤ 1 s"))
        column = next(c for c in attributes.columns(store) if c.nom == "Nouvelles manières de travailler ?")
        budget = next(c for c in attributes.columns(store) if c.nom == "Budget (k€)")
        t_col = median_seconds(lambda: attribute_map.build("62", column, store=store).get_root().render(), repeat=5)
        t_num = median_seconds(lambda: attribute_map.build("62", budget, "seuils_naturels", store=store)
                               .get_root().render(), repeat=5)
        t_map = median_seconds(lambda: departement_map.build("62", LABEL, store=store).get_root().render(), repeat=5)
        rows.append(("Carte du 62 coloriée par une colonne (catégories, 887 communes), HTML compris", ms(t_col),
                     f"carte de couverture du 62 : {ms(t_map)} ({t_col / t_map:.2f}×)", "≤ 2×"))
        rows.append(("Carte du 62 coloriée par une colonne de nombres (seuils naturels), HTML compris", ms(t_num),
                     f"carte de couverture du 62 : {ms(t_map)} ({t_num / t_map:.2f}×)", "≤ 2×"))
        where = deck.scope("departement", "62", store)
        t_deck = median_seconds(lambda: deck.pptx_bytes(LABEL, where, store), repeat=3)
        t_pdf = median_seconds(lambda: deck.pdf_bytes(LABEL, where, store), repeat=3)
        t_png = median_seconds(lambda: png.departement_png("62", LABEL, "62", store=store), repeat=3)
        size = len(deck.pptx_bytes(LABEL, where, store)) / 1024
        rows.append(("Diaporama du 62 (.pptx, 16 diapositives)", f"{t_deck:.2f} s ; {size:.0f} Ko",
                     f"image PNG d'une diapositive du 62 : {t_png:.2f} s ({t_deck / t_png:.1f}×)", "≤ 15 s"))
        rows.append(("Fiche PDF d'une page du 62", f"{t_pdf:.2f} s",
                     f"image PNG d'une diapositive du 62 : {t_png:.2f} s ({t_pdf / t_png:.1f}×)", "≤ 15 s"))
    return rows
