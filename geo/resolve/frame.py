"""A whole list: rows read with their context — the département column as the page gives it, heading rows
of a pasted list ("Calvados :", "Collectivités labellisées dans l'Oise"), the level most rows of a block
have — then resolved one by one."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path

import pandas as pd

from geo.io.columns import Columns
from geo.resolve.cells import Cell, parse
from geo.resolve.communes import candidates_list, exact_candidates
from geo.resolve.context import Context, departements_in_hint, postcode_departements, read_context
from geo.resolve.normalize import fold, place_key
from geo.resolve.result import Result
from geo.resolve.row import Resolver

EXPORTED = [f.name for f in fields(Result) if f.name != "options"]  # Result.exported(), column by column

CONTEXT_SHARE = 0.95      # share of resolved communes in one département to use it as context
CONTEXT_MIN_ROWS = 5
LEVEL_SHARE = 0.6         # share of a block's resolved rows at one level to read its ambiguous names so
LEVEL_MIN_ROWS = 3
PROGRESS_EVERY = 5000    # rows between two calls of the progress callback
LOOKAHEAD = 3             # rows read after a bare département name to decide it is a heading
_HEADING_WORDS = re.compile(
    r"\b(collectivites|communes|villes|intercommunalites|epci|departements|regions|labellisee?s|labelisee?s|"
    r"labellises|labelises|laureate?s|liste|listes|promotion|vague|suivante?s|nouvelles|nouveaux)\b")
# what a column of names or places is called in a header: alone in a row, such a word is a repeated header
# (no commune, EPCI or département is named so), never a territory
HEADER_WORDS = frozenset({
    "commune", "communes", "nom", "noms", "nom commune", "nom de la commune", "libelle", "libelle commune", "ville",
    "villes", "collectivite", "collectivites", "collectivite labellisee", "departement", "departements", "dep",
    "dept", "num departement", "code departement", "epci", "intercommunalite", "region", "regions",
    "code insee", "code commune", "insee", "code postal", "cp", "territoire", "structure", "beneficiaire", "label",
    "date", "date de labellisation", "siren"})
_LEVEL_WORDS = {"departement": "département", "region": "région", "commune": "commune", "epci": "EPCI", "ept": "EPT"}


@dataclass
class Row:
    i: object
    cell: Cell
    code: str
    deps: list[str]
    type_value: str
    block: int
    heading: bool = False
    context: Context = field(default_factory=Context)
    own_deps: bool = False     # the row carries its own département (name cell, column, postcode)
    header: str = ""           # the file's header written again mid-file (its cells, as read)


def resolve_frame(df: pd.DataFrame, cols: Columns, level: str = "auto", departement: str | None = None,
                  store: Path | None = None, progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """One result per row of df, aligned on its index. `progress(done, total)` is called every few thousand
    rows: the Importer page shows it, and a cancelled or closed page stops there."""
    resolver = Resolver(store)
    ix = resolver.ix
    forced = None if level in (None, "", "auto") else level
    fixed = departements_in_hint(departement, ix) if departement else []

    columns = {c: ["" if v is None or v != v else str(v) for v in df[c].tolist()]
               for c in {cols.nom, cols.code, cols.departement, cols.code_postal, cols.type} if c}
    position = {i: k for k, i in enumerate(df.index)}
    cells: dict[str, Cell] = {}
    contexts: dict[str, Context] = {}   # a département column repeats a hundred values

    def value(i, column) -> str:
        return columns[column][position[i]] if column else ""

    rows: list[Row] = []
    block, heading_ctx, last_dep_cell = 0, Context(), None
    total = 2 * len(df)
    for n, i in enumerate(df.index):
        if progress is not None and n % PROGRESS_EVERY == 0:
            progress(n, total)
        raw = value(i, cols.nom)
        cell = cells.get(raw)
        if cell is None:
            cell = cells[raw] = parse(raw, ix)
        code = value(i, cols.code)
        dep_cell = value(i, cols.departement)
        ctx = contexts.get(dep_cell)
        if ctx is None:
            ctx = contexts[dep_cell] = read_context(dep_cell, ix) if dep_cell else Context()
        if cols.departement and dep_cell != last_dep_cell:
            block += 1
        last_dep_cell = dep_cell
        row = Row(i, cell, code, [], value(i, cols.type), block)
        header = _repeated_header({c: value(i, c) for c in df.columns if c in columns})
        if header:
            row.heading, row.header = True, header
            rows.append(row)
            continue
        if not code and cols.nom and _is_heading(cell, dep_cell, ix):
            block += 1
            row.heading, row.block, row.context = True, block, read_context(cell.raw.rstrip(" :"), ix)
            if cols.departement and not row.context.deps and not row.context.level and not row.context.region:
                row.context = heading_ctx  # an unreadable title keeps the context above it
            heading_ctx = row.context
            rows.append(row)
            continue
        own = cell.deps or ctx.deps or (postcode_departements(value(i, cols.code_postal), ix)
                                        if cols.code_postal else [])
        row.own_deps = bool(own)
        row.context = ctx if (ctx.deps or ctx.level or ctx.region) else heading_ctx
        row.deps = own or heading_ctx.deps or fixed or (ix.reg_deps.get(row.context.region, [])
                                                        if row.context.region else [])
        rows.append(row)

    results: dict[object, Result] = {}
    seen: dict[tuple, Result] = {}  # a long list repeats its rows: the same row is resolved once
    for n, row in enumerate(rows):
        if progress is not None and n % PROGRESS_EVERY == 0:
            progress(len(df) + n, total)
        if not row.heading:
            key = (row.code, tuple(row.deps), row.type_value, row.cell.raw)
            if key not in seen:
                seen[key] = resolver.resolve(code=row.code, deps=row.deps, level=forced,
                                             type_value=row.type_value, cell=row.cell)
            results[row.i] = seen[key]  # shared: the passes below replace a row's result, never change it
    _bare_headings(rows, results, resolver, forced)
    _short_forms_in_context(rows, results, resolver)
    _levels_from_blocks(rows, results, resolver)
    if not fixed:
        _departement_from_file(rows, results, resolver, forced)
    for row in rows:
        if row.header:
            results[row.i] = Result("", statut="entete", remarque=f"en-tête répété (« {row.header} ») : ligne non "
                                                                     "importée")
        elif row.heading:
            results[row.i] = _heading_result(row, rows, ix)
    out = [results[r.i] for r in rows]
    return pd.DataFrame({name: [getattr(res, name) for res in out] for name in EXPORTED},
                        index=[r.i for r in rows])


# ---------------------------------------------------------------------------------------------- headings

def _repeated_header(cells: dict[str, str]) -> str:
    """The row's text when it is the file's header written again (« Commune;Département » mid-file: a pasted
    block, a page break): every filled cell is its column's name, or a header word (HEADER_WORDS) alone."""
    filled = {column: text.strip() for column, text in cells.items() if text and text.strip()}
    if not filled:
        return ""
    as_header = [fold(text) == fold(column) or fold(text) in HEADER_WORDS for column, text in filled.items()]
    return " ; ".join(filled.values()) if all(as_header) else ""


def _is_heading(cell: Cell, dep_cell: str, ix) -> bool:
    """"Calvados :", "Collectivités labellisées dans l'Oise", "Les départements suivants" — a line that
    introduces the next ones rather than naming a labelled place."""
    text = cell.raw.strip()
    if not text or dep_cell:
        return False
    words = fold(text).split()
    if cell.colon and 0 < len(words) <= 12:
        return True
    if cell.level in ("epci", "hors_territoire") or cell.title or exact_candidates(ix, text)[0]:
        return False  # "Villes-sur-Auzon" names a commune even if "villes" opens many headings
    if _HEADING_WORDS.search(fold(text)) and len(words) >= 2:
        ctx = read_context(text, ix)
        return bool(ctx.deps or ctx.level) or len(words) >= 3
    return False


def _bare_headings(rows: list[Row], results: dict, resolver: Resolver, forced: str | None) -> None:
    """A bare département name followed by rows of that département with no département of their own
    ("Oise", then Oise communes) is a heading for them."""
    for k, row in enumerate(rows):
        res = results.get(row.i)
        if row.heading or res is None or res.niveau != "departement" or not res.resolved or row.code or \
                row.cell.title or row.own_deps:
            continue
        dep = res.code
        following = [r for r in rows[k + 1:k + 1 + LOOKAHEAD] if not r.heading]
        if len(following) < 2 or any(r.own_deps for r in following):
            continue
        inside = sum(_points_into(results[r.i], dep, resolver) for r in following)
        departements = sum(results[r.i].niveau == "departement" for r in following)
        if inside < 2 or departements:
            continue
        row.heading, row.context = True, Context([dep])
        for r in rows[k + 1:]:
            if r.heading or r.own_deps or (results[r.i].niveau == "departement" and results[r.i].resolved):
                break
            r.deps, r.context = [dep], row.context
            if not results[r.i].resolved:  # a row resolved on its own keeps its place
                results[r.i] = resolver.resolve(code=r.code, deps=[dep], level=forced, type_value=r.type_value,
                                                cell=r.cell)


def _points_into(res: Result, dep: str, resolver: Resolver) -> bool:
    """The row is (or could be) a commune or EPCI of the département."""
    ix = resolver.ix
    if res.resolved and res.niveau == "commune":
        return res.departement == dep
    if res.resolved and res.niveau == "epci":
        return dep in ix.epci_deps.get(res.code, set())
    codes = [c.strip().split(" ")[0] for c in res.candidats.split(";") if c.strip()]
    return any(ix.communes.get(c, ("", ""))[1] == dep for c in codes)


def _heading_result(row: Row, rows: list[Row], ix) -> Result:
    n = sum(1 for r in rows if r.block == row.block and not r.heading and r.context is row.context)
    if row.context.deps:
        what = ", ".join(f"département {d} {ix.deps[d]}" for d in row.context.deps)
    elif row.context.region:
        what = f"région {ix.regs[row.context.region]}"
    elif row.context.level:
        what = f"niveau {_LEVEL_WORDS.get(row.context.level, row.context.level)}"
    else:
        what = ""
    note = f"titre de bloc : {what} appliqué aux {n} ligne(s) suivante(s)" if what else \
        "titre de bloc : ligne non importée"
    return Result("", statut="entete", remarque=note)


# ---------------------------------------------------------------------------------------------- context

def _levels_from_blocks(rows: list[Row], results: dict, resolver: Resolver) -> None:
    """A name that fits several levels takes the level its block announces ("Les Départements labellisés")
    or the level most rows of its block have."""
    blocks: dict[int, list[Row]] = {}
    for row in rows:
        if not row.heading:
            blocks.setdefault(row.block, []).append(row)
    for members in blocks.values():
        pending = [r for r in members if results[r.i].options]
        if not pending:
            continue
        levels = Counter(results[r.i].niveau for r in members if results[r.i].resolved)
        total = sum(levels.values())
        for row in pending:
            res = results[row.i]
            announced = row.context.level
            if announced in res.options:
                results[row.i] = resolver.settle(res, announced, "niveau donné par le titre de la liste")
                continue
            if not total:
                continue
            top, count = levels.most_common(1)[0]
            if top in res.options and top != "commune" and count >= LEVEL_MIN_ROWS and count / total >= LEVEL_SHARE:
                results[row.i] = resolver.settle(
                    res, top, f"niveau déduit de la liste : {count} des {total} lignes résolues de ce bloc sont "
                              f"de niveau {_LEVEL_WORDS[top]}")


def _short_forms_in_context(rows: list[Row], results: dict, resolver: Resolver) -> None:
    """"Saint-Orens" with no département, in a block whose other communes are all in Haute-Garonne: the exact
    name is in the Gers, but Saint-Orens-de-Gameville (31) starts with it — to review, not a silent pick."""
    ix = resolver.ix
    blocks: dict[int, list[Row]] = {}
    for row in rows:
        if not row.heading:
            blocks.setdefault(row.block, []).append(row)
    for members in blocks.values():
        if all(r.deps or r.code for r in members):  # every row carries its own département or code
            continue
        towns = [(r, results[r.i]) for r in members if results[r.i].niveau == "commune" and results[r.i].resolved]
        counts = Counter(res.departement for _, res in towns)
        if len(counts) > 2:  # the other communes never share a single département
            continue
        for row, res in towns:
            if row.deps or row.code or res.statut == "approx":
                continue
            around = {d for d, n in counts.items() if n - (d == res.departement) > 0}  # the other rows'

            if len(around) != 1 or res.departement in around:  # the other communes share one département
                continue
            key = place_key(row.cell.name or row.cell.key_name)
            longer = [c for c in ix.communes_starting(key, sorted(around)) if c != res.code]
            if longer:
                results[row.i] = Result("commune", statut="ambigu", cle=res.cle,
                                        candidats=candidates_list(ix, [res.code, *longer]),
                                        remarque=f"nom exact dans le département {res.departement}, mais les "
                                                 "autres communes de la liste sont ailleurs, où des communes "
                                                 "commencent par ce nom")


def _departement_from_file(rows: list[Row], results: dict, resolver: Resolver, forced: str | None) -> None:
    """Rows without a département of their own, left ambiguous or unknown, are tried again in the
    département where nearly all the file's (or block's) communes lie."""
    def dominant(members: list[Row]) -> str | None:
        if len(members) < CONTEXT_MIN_ROWS:
            return None
        deps = Counter(results[r.i].departement for r in members
                       if results[r.i].niveau == "commune" and results[r.i].statut in ("exact", "normalise"))
        total = sum(deps.values())
        if total >= CONTEXT_MIN_ROWS:
            dep, count = deps.most_common(1)[0]
            if count / total >= CONTEXT_SHARE:
                return dep
        return None

    ix = resolver.ix
    body = [r for r in rows if not r.heading]
    whole = dominant(body)
    by_block: dict[int, list[Row]] = {}
    for r in body:
        by_block.setdefault(r.block, []).append(r)
    block_dep = {b: dominant(members) or whole for b, members in by_block.items()}
    for row in body:
        res = results[row.i]
        dep = block_dep.get(row.block)
        if not dep or row.deps or res.resolved or res.niveau not in ("commune", "epci", ""):
            continue
        retry = resolver.resolve(code=row.code, deps=[dep], level=forced, type_value=row.type_value, cell=row.cell)
        # a context guessed from the other rows is not a hint: exact names and unique short forms only
        if retry.resolved and (retry.statut != "approx" or ("forme courte" in retry.remarque and
                                                            not exact_candidates(ix, row.cell.name)[0])):
            retry.cle = res.cle
            results[row.i] = retry.note(f"département {dep} déduit du fichier", first=True)
