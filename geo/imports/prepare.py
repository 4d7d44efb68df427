"""Prepare a list for import: read columns, resolve every row, flag duplicates and dangerous cells; nothing
is written. The Importer page shows the result and lets the officer fix rows (`set_row`) before saving."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz

from geo import fr
from geo.errors import InputRefused, SimilarLabel, StoreMissing, UnknownName
from geo.imports.sites import dedupe_languages, resolve_sites
from geo.imports.write import same_file_imported
from geo.io import columns as columns_mod
from geo.io.readers import Table
from geo.resolve import RESOLVED, STATUSES, candidate, index, resolve_frame
from geo.resolve.territories import by_code
from geo.store import reader

REVIEW_STATUSES = ("ambigu", "introuvable")


@dataclass
class Prepared:
    """A resolved list, not yet written: what the Importer page shows and lets the user fix."""

    label: str
    genre: str                    # "entites" or "sites"
    fichier: str
    sha256: str
    columns: columns_mod.Columns
    rows: pd.DataFrame            # the resolution of each kept row, indexed by line number
    input: pd.DataFrame           # the kept input rows, unchanged, same index
    messages: list[str] = field(default_factory=list)
    options: dict = field(default_factory=dict)
    source: str = ""              # where the list comes from (an address, an article), shown on every page
    note_completude: str = ""     # what it covers and what it does not, shown on every page

    def counts(self) -> dict[str, int]:
        counts = self.rows["statut"].value_counts().to_dict()
        always = (*RESOLVED, *REVIEW_STATUSES)
        return {s: int(counts.get(s, 0)) for s in (*STATUSES, "ecarte") if counts.get(s, 0) or s in always}

    def review(self) -> pd.DataFrame:
        return self.rows[self.rows["statut"].isin(REVIEW_STATUSES)]


MAX_LABEL = 100   # characters: a label is a title on every page, slide and export


def check_label(label: str | None, store: Path | None = None) -> str:
    """The label's name as stored, or a French message: given, on one line, of a title's length, without
    invisible characters, and not a near-duplicate of an existing label (same name folded: case, accents,
    spaces, punctuation), which raises SimilarLabel naming it."""
    label = " ".join((label or "").replace("\x00", "").split())
    if not label:
        raise InputRefused("Indiquez le label de la liste (par exemple « Terre de Jeux 2024 »).")
    if len(label) > MAX_LABEL:
        raise InputRefused(f"Le nom du label fait {len(label)} caractères : {MAX_LABEL} au plus (c'est le titre des "
                       "pages, des exports et des diapositives). Raccourcissez-le.")
    hidden = sorted({f"U+{ord(ch):04X}" for ch in label if unicodedata.category(ch) in ("Cf", "Cc", "Co", "Cn")})
    if hidden:
        raise InputRefused(f"Le nom du label contient un caractère invisible ({', '.join(hidden)}), souvent "
                           "apporté par un copier-coller : retapez-le.")
    near = similar_label(label, store)
    if near is not None:
        raise SimilarLabel(f"Un label presque identique existe déjà : « {near} ». Voulez-vous dire « {near} » ? "
                           "Choisissez-le dans la liste des labels : deux labels ne peuvent pas différer seulement "
                           "par les majuscules, les accents, les espaces ou la ponctuation.", near)
    return label


def similar_label(label: str, store: Path | None = None) -> str | None:
    """An existing label that reads as `label` once folded, unless it is `label` itself."""
    try:
        names = [n for (n,) in reader(store).execute("SELECT nom FROM labels").fetchall()]
    except StoreMissing:
        return None
    key = fr.fold(label)
    return next((n for n in names if n != label and fr.fold(n) == key), None)


def check_kind(label: str, sites: bool, store: Path | None = None) -> None:
    """A label is a list of sites or of territories while it has active imports: a list of the other kind is
    refused, saying why (once every import is withdrawn, a label imported as the wrong kind can be redone)."""
    try:
        genre = reader(store).execute(
            "SELECT arg_max(i.genre, i.id) FROM labels l JOIN imports i ON i.label_id = l.id "
            "AND i.retire_le IS NULL WHERE l.nom = ?", [label]).fetchone()[0]
    except StoreMissing:
        return
    if genre == "sites" and not sites:
        raise InputRefused(f"« {label} » est un label de sites (des lieux avec une adresse, comme les CPJ) : une "
                           "liste de collectivités ne peut pas y être importée. Importez-la comme liste de sites "
                           "(« Liste de sites » coché, --sites en ligne de commande), ou choisissez ou créez un label "
                           "de territoires.")
    if genre == "entites" and sites:
        raise InputRefused(f"« {label} » est un label de territoires (communes, EPCI, départements) : une liste de "
                           "sites ne peut pas y être importée. Si c'est une liste de sites, choisissez ou créez un "
                           "label de sites ; si c'est une liste de collectivités, importez-la sans « Liste de sites » "
                           "(sans --sites en ligne de commande).")


def exact_site_key(kept: pd.DataFrame, resolved: pd.DataFrame, cols) -> pd.DataFrame:
    """What makes two rows the same site: the file's own identifier when it has one (with the commune: an id
    repeated in another commune is another site), else the site's name, commune, address and point (a list
    without a name column names each site after its commune: two of them in one town are two sites)."""
    key = resolved[["nom", "commune", "adresse", "lat", "lon"]].astype(str)
    if cols.identifiant:
        ids = kept[cols.identifiant].astype(str).str.strip()
        given = ~ids.isin(["", "nan", "None"])
        key = key.assign(nom=key["nom"].where(~given, "id:" + ids), adresse=key["adresse"].where(~given, ""),
                         lat=key["lat"].where(~given, ""), lon=key["lon"].where(~given, ""))
    return key


def _recount_site_duplicates(prepared: Prepared) -> None:
    """After a row of a list of sites is fixed or dismissed by hand: the exact duplicates again, among the rows
    that count (a site placed by hand in the commune of the same site counts once; dismissing the first of two
    lets the other count). Probable duplicates found at reading are kept as they were."""
    rows = prepared.rows
    if "doublon" not in rows:
        return
    live = rows["commune"].notna() & (rows["statut"] != "ecarte")
    key = exact_site_key(prepared.input, rows, prepared.columns)[live].fillna("").astype(str)
    exact = key.duplicated().reindex(rows.index, fill_value=False)
    first = pd.Series(key.index, index=key.index).groupby([key[c] for c in key.columns], sort=False) \
        .transform("first").reindex(rows.index)
    remark = rows["remarque"].fillna("").astype(str)
    probable = remark.str.contains("doublon probable de la ligne", regex=False) & live
    remark = remark.str.replace(r"^doublon de la ligne \d+ ;? ?", "", regex=True)  # said again below, if still
    remark[exact] = ("doublon de la ligne " + first[exact].astype("Int64").astype(str) + " ; "
                     + remark[exact]).str.strip(" ;")
    rows["remarque"] = remark.mask((remark == "") & rows["remarque"].isna())  # an empty note stays empty
    rows["doublon"] = exact | probable


def probable_duplicates(resolved: pd.DataFrame, exact: pd.Series, ix) -> pd.Series:
    """Sites printed twice under two spellings in the same commune (« l'Aréna Stade Couvert » / « L'Aréna Stade
    couvert de Liévin »): each later row with the line of the first, the exact duplicates left aside."""
    found: dict[int, int] = {}
    rows = resolved[resolved["commune"].notna() & ~exact]
    # the same commune and the same town as written (Tourlaville and Octeville are both in Cherbourg-en-Cotentin)
    towns_written = rows["ville"].fillna("").astype(str).map(fr.fold)
    for _, group in rows.groupby([rows["commune"], towns_written], sort=False):
        if len(group) < 2:
            continue
        town = f"{ix.communes[group['commune'].iloc[0]][0]} {group['ville'].fillna('').astype(str).iloc[0]}"
        keys = [(line, _site_key(name, town)) for line, name in group["nom"].items()]
        for k, (line, key) in enumerate(keys):
            first = next((a for a, other in keys[:k] if a not in found and key and other
                          and fuzz.token_sort_ratio(key, other) >= 90 and min(len(key), len(other)) >= 6), None)
            if first is not None and _numbers(group.at[line, "nom"]) == _numbers(group.at[first, "nom"]):
                found[line] = first
    return pd.Series(found, dtype="int64")


def _numbers(name) -> list[str]:
    """The numbers a name carries (« Gymnase 2 » is not « Gymnase 1 »)."""
    return re.findall(r"\d+", str(name or ""))


def _site_key(name, town) -> str:
    """A facility's name folded, without its town's name (« … de Liévin ») and the small words."""
    words = fr.fold(str(name or "")).split()
    town_words = set(fr.fold(str(town or "")).replace("-", " ").split())
    small = {"de", "du", "des", "d", "la", "le", "les", "l", "a", "au", "aux", "et"}
    return " ".join(w for w in words if w not in small and w not in town_words)


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _read_dates(texts: pd.Series) -> tuple[pd.Series, list[str]]:
    """Each row's date (the first day of its period, fr.read_date), each distinct text read once. A date that
    needs a guess (impossible, in the American order, several in one cell, unreadable) or lies outside the
    window (fr.date_window) is refused for its row, which is kept undated; one French message per reason names
    the rows (no page or chart can be taken down by a year 9999)."""
    low, high = fr.date_window()
    readings: dict[object, dt.date | None] = {}
    reasons: dict[object, str] = {}
    for value in texts.unique():
        try:
            written = fr.read_date(value)
        except fr.DateRefused as exc:
            readings[value], reasons[value] = None, str(exc)
            continue
        if written is not None and not (low <= written.first <= high):
            written, reasons[value] = None, f"hors de la période acceptée ({low:%d/%m/%Y} – {high:%d/%m/%Y})"
        readings[value] = written.first if written else None
    refused = texts.map(lambda v: reasons.get(v, ""))
    messages = []
    for why in dict.fromkeys(r for r in refused if r):
        lines = refused.index[(refused == why).to_numpy()]
        shown = ", ".join(f"{line} (« {texts[line]} »)" if why.startswith("hors") else str(line)
                          for line in lines[:10])
        more = f" et {len(lines) - 10} autre(s)" if len(lines) > 10 else ""
        messages.append(f"Date refusée, {why} : ligne(s) {shown}{more}, gardée(s) sans date.")
    return texts.map(readings), messages


def scan_cells(df: pd.DataFrame) -> list[str]:
    """Warnings about cells that would be dangerous outside a text context."""
    messages = []
    formulas = markup = 0
    for column in df.columns:  # each distinct value looked at once
        counts = df[column].astype(str).value_counts()
        values = counts.index.to_series()
        formulas += int(counts[values.str.startswith("=").to_numpy()].sum())
        markup += int(counts[values.str.contains(r"<\s*[a-zA-Z/!]", regex=True).to_numpy()].sum())
    if formulas:
        messages.append(f"{formulas} cellule(s) commencent par « = » : gardées comme texte, neutralisées dans "
                        "les exports CSV.")
    if markup:
        messages.append(f"{markup} cellule(s) contiennent du balisage HTML : affiché comme texte, jamais exécuté.")
    return messages


def prepare(table: Table, label: str, *, sites: bool = False, raw: bytes | None = None, level: str = "auto",
            departement: str | None = None, store: Path | None = None,
            forced: dict[str, str | None] | None = None,
            progress: Callable[[int, int], None] | None = None) -> Prepared:
    """Detect columns (`forced` maps a role to a column) and resolve every row; nothing is written.
    `progress(done, total)` is called as rows are resolved (a page shows it; raising there stops)."""
    label = check_label(label, store)
    df = table.data.copy()
    # line numbers as a person finds them: the spreadsheet's row numbers, else data rows counted from 1
    df.index = pd.Index(table.rows, name="ligne") if table.rows and len(table.rows) == len(df) \
        else pd.RangeIndex(1, len(df) + 1, name="ligne")
    cols = columns_mod.detect(df, sites=sites, **(forced or {}))
    messages = [f"Lecture : {table.detail}, {len(df)} ligne(s)."] + list(table.warnings) + scan_cells(df)
    check_kind(label, sites, store)
    if sites:
        kept, dropped = dedupe_languages(df, cols)
        if dropped:
            messages.append(f"{dropped} ligne(s) en double par la langue (fr_FR / en_GB) : une seule gardée par "
                            "site.")
        resolved = resolve_sites(kept, cols, store, site_word=fr.site_word(label))
        rows, kept_input = resolved, kept
        site_key = exact_site_key(kept, resolved, cols)
        duplicated = site_key.duplicated() & resolved["commune"].notna()
        probable = pd.Series(dtype="int64")
        rows["date_label"] = pd.Series(None, index=kept.index, dtype=object)
        if cols.date:
            rows["date_label"], refused = _read_dates(kept[cols.date])
            messages += refused
        else:
            messages.append("Aucune colonne de date de labellisation : chaque site comptera à partir de la date de "
                            "la liste (à indiquer si vous la connaissez), sinon du jour de l'import.")
        probable = probable_duplicates(resolved, duplicated, index(store))
        if probable.any():
            rows.loc[probable.index, "remarque"] = (
                "doublon probable de la ligne " + probable.astype(str) + " (même commune, nom presque identique) ; "
                + rows.loc[probable.index, "remarque"].fillna("").astype(str)).str.strip(" ;")
            messages.append(f"{len(probable)} site(s) en doublon probable (même commune, nom presque identique) : "
                            "gardés dans l'import, comptés une fois. Vérifiez-les dans le rapport.")
    else:
        resolved = resolve_frame(df, cols, level=level, departement=departement, store=store, progress=progress)
        rows, kept_input = resolved.copy(), df
        resolved_rows = resolved["statut"].isin(RESOLVED) & (resolved["code"] != "")
        duplicated = resolved_rows & resolved.duplicated(["niveau", "code"])
        dates = pd.Series(None, index=df.index)
        if cols.date:
            dates, refused = _read_dates(df[cols.date])
            messages += refused
        rows["nom_brut"] = df[cols.nom] if cols.nom else df[cols.code]
        rows["date_label"] = dates
    rows["doublon"] = duplicated
    if duplicated.any():  # vectorised: a note per duplicate row, naming the first row of its key
        key_frame = (site_key if sites else resolved[["niveau", "code"]]).fillna("").astype(str)
        lines = pd.Series(key_frame.index, index=key_frame.index)
        first = lines.groupby([key_frame[c] for c in key_frame.columns], sort=False).transform("first")
        notes = ("doublon de la ligne " + first.astype(str) + " ; " + rows["remarque"].fillna("").astype(str))
        rows.loc[duplicated, "remarque"] = notes[duplicated].str.strip(" ;")
        messages.append(f"{int(duplicated.sum())} ligne(s) en double : gardées dans l'import, comptées une fois.")
    if sites:  # a probable duplicate is kept and flagged like an exact one: counted once
        rows["doublon"] = duplicated | rows.index.isin(probable.index)
    data = raw if raw is not None else table.data.to_csv(index=False).encode()
    digest = _digest(data)
    messages += same_file_imported(digest, store)
    return Prepared(label, "sites" if sites else "entites", table.source, digest, cols, rows,
                    kept_input, messages,
                    {"niveau": level, "departement": departement, "colonnes": cols.as_dict()})


def set_row(prepared: Prepared, ligne: int, code: str | None, store: Path | None = None,
            level: str | None = None) -> None:
    """Fix one row of a prepared list by hand (a code, or a candidate as the review list shows it) or
    dismiss it (None). A row fixed by hand is remembered for later imports when the import is saved."""
    rows = prepared.rows
    if code is None:
        rows.loc[ligne, ["statut", "remarque"]] = ["ecarte", "écartée à la main"]
        if prepared.genre == "sites":
            rows.loc[ligne, "commune"] = None
            _recount_site_duplicates(prepared)
        else:  # remembered like a correction: the same name is dismissed at the next import of the list
            rows.loc[ligne, "code"] = ""
            rows.loc[ligne, "corrige"] = True
        return
    picked, picked_level = candidate(code)
    res = by_code(index(store), picked, level or picked_level)
    if res is None:
        raise UnknownName(f"Code inconnu : {code}. Saisissez un code INSEE de commune, un SIREN d'EPCI ou d'EPT, "
                       "un code de département.")
    if prepared.genre == "sites":
        if res.niveau != "commune":
            raise InputRefused("Un site se rattache à une commune : saisissez un code INSEE de commune.")
        rows.loc[ligne, ["commune", "departement", "statut", "remarque"]] = [
            res.code, res.departement, "exact", "commune choisie à la main"]
        _recount_site_duplicates(prepared)
    else:
        rows.loc[ligne, ["niveau", "code", "nom_officiel", "departement", "statut", "score", "candidats",
                         "remarque", "corrige"]] = [res.niveau, res.code, res.nom_officiel, res.departement, "exact",
                                                    100.0, "", "choisi à la main", True]
