"""Read whatever file an officer has into a table of text cells, or say in French why not.

CSV in UTF-8 (with or without BOM) or cp1252 with any common separator, XLSX (the sheet that
holds a list), JSON (records, Opendatasoft exports) and GeoJSON (properties plus coordinates).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo.errors import FileRefused, GeoError
from geo.io import limits


@dataclass
class Table:
    data: pd.DataFrame            # every cell as text, columns as in the file
    source: str                   # file name
    detail: str = ""              # encoding, separator or sheet, for the report
    warnings: list[str] = field(default_factory=list)
    rows: list[int] | None = None    # spreadsheet row number of each data row (XLSX), for "Ligne N"
    header_row: int | None = None    # spreadsheet row number of the header (XLSX)


def read_table(path: Path | str, *, name: str | None = None, sheet: str | None = None) -> Table:
    path = Path(path)
    if not path.exists():
        raise FileRefused(f"Fichier introuvable : {path}.")
    return read_bytes(path.read_bytes(), name or path.name, sheet=sheet)


def read_bytes(raw: bytes, name: str, *, sheet: str | None = None, header_row: int | None = None) -> Table:
    """The file as a table; for a workbook, `header_row` is the spreadsheet row number of the header
    (found by itself when None: title rows above it are skipped)."""
    if len(raw) == 0:
        raise FileRefused(f"Le fichier {name} est vide.")
    limits.check_bytes(len(raw), name)
    suffix = Path(name).suffix.lower()
    try:
        if raw[:4] == b"PK\x03\x04" or suffix in (".xlsx", ".xlsm"):
            table = _read_xlsx(raw, name, sheet, header_row)
        elif suffix in (".json", ".geojson") or raw.lstrip()[:1] in (b"{", b"["):
            table = _read_json(raw, name)
        else:
            table = _read_csv(raw, name)
    except MemoryError:
        raise FileRefused(f"Le fichier {name} demande plus de mémoire que ce poste n'en a : découpez-le en "
                       "plusieurs fichiers plus petits.") from None
    df = table.data
    limits.check_shape(df.shape, name)
    names: list[str] = []
    for i, c in enumerate(df.columns):  # unique names: "nom", "nom (2)"
        base = name_ = _column_name(c, i)
        k = 2
        while name_ in names:
            name_, k = f"{base} ({k})", k + 1
        names.append(name_)
    df.columns = names
    if df.empty:
        raise FileRefused(f"Le fichier {name} ne contient qu'une ligne d'en-tête, aucune donnée.")
    return table


def _column_name(value, index: int) -> str:
    text = "" if value is None else str(value).strip()
    return text if text and not text.startswith("Unnamed:") else f"colonne_{index + 1}"


_BOMS = [(b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"), (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
         (b"\xff\xfe", "utf-16-le", "UTF-16"), (b"\xfe\xff", "utf-16-be", "UTF-16")]


def _wide_encoding(raw: bytes) -> str | None:
    """UTF-32 or UTF-16 written without a BOM, told by where the zero bytes of Latin text fall."""
    head = raw[:4096 - 4096 % 4]
    if len(head) < 8:
        return None
    zero = [sum(1 for b in head[i::4] if b == 0) / len(head[i::4]) for i in range(4)]
    if zero[1] > 0.9 and zero[2] > 0.9 and zero[3] > 0.9 and zero[0] < 0.1:
        return "utf-32-le"
    if zero[0] > 0.9 and zero[1] > 0.9 and zero[2] > 0.9 and zero[3] < 0.1:
        return "utf-32-be"
    odd, even = (zero[1] + zero[3]) / 2, (zero[0] + zero[2]) / 2
    if odd > 0.7 and even < 0.1:
        return "utf-16-le"
    if even > 0.7 and odd < 0.1:
        return "utf-16-be"
    return None


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    for bom, codec, label in _BOMS:
        if raw.startswith(bom):
            return _strict(raw[len(bom):], codec, name), f"{label} avec BOM"
    if b"\x00" in raw[:4096]:
        codec = _wide_encoding(raw)
        if codec is None:
            raise FileRefused(f"Le fichier {name} n'est pas un fichier texte, tableur ou JSON lisible "
                           "(contenu binaire). Exportez-le en CSV ou XLSX.")
        return _strict(raw, codec, name), f"{codec[:6].upper()} sans BOM"
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "UTF-8 avec BOM"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > 20 or text.count("\ufffd") > max(10, len(text) // 100):
        raise FileRefused(f"Le fichier {name} n'est pas un fichier texte lisible (encodage inconnu "
                          f"ou contenu binaire).")
    return text, "Windows-1252"


def _strict(raw: bytes, codec: str, name: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise FileRefused(f"Le fichier {name} semble encodé en {codec.upper()} mais l'octet {exc.start} ne l'est pas : "
                       "enregistrez-le en UTF-8 (CSV UTF-8 dans Excel).") from None


def _without_nul(text: str, warnings: list[str]) -> str:
    """NUL characters are never part of a name: dropped, and said."""
    n = text.count("\x00")
    if n:
        warnings.append(f"{n} caractère(s) nul(s) (octet 0) supprimé(s) du fichier.")
        text = text.replace("\x00", "")
    return text


def _read_csv(raw: bytes, name: str) -> Table:
    text, encoding = _decode(raw, name)
    warnings: list[str] = []
    text = _without_nul(text, warnings)
    if not text.strip():
        raise FileRefused(f"Le fichier {name} est vide.")
    # whole lines, however long (a 60,000-character header is still a header, not "a header alone")
    lines = [ln for ln in itertools.islice(io.StringIO(text, newline=None), 200) if ln.strip()][:50]
    if len(lines) < 2:
        raise FileRefused(f"Le fichier {name} ne contient qu'une ligne d'en-tête, aucune donnée.")
    if text.count("\n") > 2 * limits.MAX_ROWS:  # clearly too long: refused before parsing it all
        limits.check_shape((text.count("\n"), 1), name)
    sep = _separator(lines)
    csv.field_size_limit(limits.MAX_BYTES)
    try:
        records = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=sep) if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise FileRefused(f"Le fichier {name} n'a pas pu être lu comme un CSV ({exc}).") from exc
    if not records:
        raise FileRefused(f"Le fichier {name} ne contient aucune cellule remplie (seulement des séparateurs).")
    if len(records) < 2:
        raise FileRefused(f"Le fichier {name} ne contient qu'une ligne d'en-tête, aucune donnée.")
    header, body = records[0], records[1:]
    width = max(len(r) for r in records)
    limits.check_shape((len(body), width), name)
    longer = [i + 2 for i, r in enumerate(body) if len(r) > len(header)]
    if longer:  # nothing is dropped: the extra cells go to extra columns
        shown = ", ".join(map(str, longer[:10])) + (" …" if len(longer) > 10 else "")
        warnings.append(f"{len(longer)} ligne(s) ont plus de cellules que l'en-tête (lignes {shown}) : les cellules "
                        "en trop sont gardées dans des colonnes supplémentaires ; vérifiez le séparateur ou les "
                        "guillemets.")
    header = header + [""] * (width - len(header))
    df = pd.DataFrame([r + [""] * (width - len(r)) for r in body], columns=header, dtype=str)
    label = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}.get(sep, str(sep))
    return Table(df, name, f"CSV {encoding}, séparateur {label}", warnings)


def _separator(lines: list[str]) -> str:
    """The candidate separator that splits the lines into the most consistent number of fields."""
    best, best_score = ",", -1.0
    for sep in (";", ",", "\t", "|"):
        counts = [len(next(csv.reader([ln.rstrip("\r\n")], delimiter=sep), [])) for ln in lines[:50]]
        if counts[0] < 2:
            continue
        same = sum(1 for c in counts if c == counts[0]) / len(counts)
        score = same * 10 + min(counts[0], 30) / 30
        if score > best_score:
            best, best_score = sep, score
    return best


@dataclass
class _Book:
    sheets: dict[str, pd.DataFrame]              # every cell as read, indexed from spreadsheet row 1, column A
    merged: dict[str, list[str]]                 # merged ranges filled down, per sheet
    formulas: dict[str, list[str]] = field(default_factory=dict)   # formula cells without a computed value


def _sheets(raw: bytes, name: str) -> _Book:
    """The workbook's sheets, merged ranges filled down; the archive's inflated size checked first (zip bombs)."""
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            limits.check_inflated(sum(i.file_size for i in archive.infolist()), name)
            has_formulas = any(b"<f>" in archive.read(i) or b"<f " in archive.read(i)
                               for i in archive.infolist() if i.filename.startswith("xl/worksheets/sheet"))
        probe = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)  # sizes from each sheet's header only
        for ws in probe.worksheets:
            if ws.max_row and ws.max_column:
                limits.check_shape((ws.max_row, ws.max_column), f"{name}, feuille « {ws.title} »")
                limits.check_workbook((ws.max_row, ws.max_column), f"{name}, feuille « {ws.title} »")
        probe.close()
        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except GeoError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # openpyxl and zipfile raise many kinds of errors for broken files
        raise FileRefused(f"Le classeur {name} est illisible ({type(exc).__name__}). Enregistrez-le à nouveau "
                       "en .xlsx ou exportez-le en CSV.") from exc
    out = _Book({}, {})
    for ws in book.worksheets:
        limits.check_shape((ws.max_row, ws.max_column), f"{name}, feuille « {ws.title} »")
        limits.check_workbook((ws.max_row, ws.max_column), f"{name}, feuille « {ws.title} »")
        df = pd.DataFrame(list(ws.iter_rows(values_only=True)), dtype=object)
        out.merged[ws.title] = []
        for merged in ws.merged_cells.ranges:
            if merged.max_row > merged.min_row and merged.min_row - 1 < len(df):
                value = df.iat[merged.min_row - 1, merged.min_col - 1]
                df.iloc[merged.min_row:merged.max_row, merged.min_col - 1] = value
                out.merged[ws.title].append(merged.coord)
        out.sheets[ws.title] = df
    if has_formulas:
        out.formulas = _formulas_without_value(raw, out.sheets)
    return out


def _formulas_without_value(raw: bytes, sheets: dict[str, pd.DataFrame]) -> dict[str, list[str]]:
    """Cells holding a formula whose value was never computed (a file written by a program, not saved by a
    spreadsheet): read as empty, so the officer is told which ones."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(raw), data_only=False, read_only=True)
    out: dict[str, list[str]] = {}
    for ws in book.worksheets:
        values = sheets.get(ws.title)
        cells = []
        for r, row in enumerate(ws.iter_rows(values_only=True)):
            for c, formula in enumerate(row):
                if isinstance(formula, str) and formula.startswith("=") and values is not None and \
                        r < len(values) and c < values.shape[1] and values.iat[r, c] is None:
                    cells.append(f"{_letter(c)}{r + 1}")
        out[ws.title] = cells
    book.close()
    return out


def sheet_names(raw: bytes, name: str) -> tuple[list[str], str]:
    """A workbook's sheets and the one read by default (the most filled)."""
    book = _sheets(raw, name)
    return list(book.sheets), _choose_sheet(book.sheets, name, None)


def _choose_sheet(sheets: dict[str, pd.DataFrame], name: str, sheet: str | None) -> str:
    if sheet is not None:
        if sheet not in sheets:
            raise FileRefused(f"La feuille « {sheet} » n'existe pas dans {name} (feuilles : {', '.join(sheets)}).")
        return sheet
    filled = {k: v.dropna(how="all").shape[0] for k, v in sheets.items()}
    chosen = max(filled, key=filled.get)
    if filled[chosen] == 0:
        raise FileRefused(f"Le classeur {name} ne contient aucune donnée.")
    return chosen


def header_guess(df: pd.DataFrame) -> int:
    """Spreadsheet row number of the header: the first row filled about as much as the rows under it (a title
    or a note above the table fills one cell)."""
    filled = df.notna().sum(axis=1)
    widest = int(filled.max())
    for idx, n in filled.items():
        if n >= max(2, 0.6 * widest) or (widest == 1 and n == 1):
            return int(idx) + 1
    return int(filled.index[0]) + 1


def sheet_preview(raw: bytes, name: str, sheet: str | None = None, rows: int = 8) -> tuple[pd.DataFrame, int]:
    """The first rows of a workbook's sheet as they are, indexed by spreadsheet row number, and the header row
    found; what the officer checks before choosing the header row."""
    sheets = _sheets(raw, name).sheets
    df = sheets[_choose_sheet(sheets, name, sheet)].dropna(axis=1, how="all")
    top = df.head(rows + 4).map(_cell)
    top.index = pd.Index(top.index + 1, name="ligne")
    top.columns = [_letter(i) for i in range(top.shape[1])]
    return top.loc[top.ne("").any(axis=1)].head(rows), header_guess(df.dropna(how="all"))


def _letter(i: int) -> str:
    text = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        text = chr(65 + r) + text
    return text


def _read_xlsx(raw: bytes, name: str, sheet: str | None, header_row: int | None = None) -> Table:
    book = _sheets(raw, name)
    sheets = book.sheets
    chosen = _choose_sheet(sheets, name, sheet)
    df = sheets[chosen].dropna(how="all").dropna(axis=1, how="all")
    if df.empty:
        raise FileRefused(f"La feuille « {chosen} » de {name} est vide.")
    guessed = header_guess(df)
    row = header_row or guessed
    if row - 1 not in df.index:
        raise FileRefused(f"La ligne {row} de la feuille « {chosen} » est vide ou n'existe pas : choisissez la ligne "
                       "des en-têtes parmi les lignes remplies.")
    warnings = []
    if row != df.index[0] + 1:
        skipped = int((df.index < row - 1).sum())
        warnings.append(f"En-têtes lus à la ligne {row} de la feuille ; {skipped} ligne(s) au-dessus ignorée(s) "
                        "(titre ou note).")
    header = [_cell(v) for v in df.loc[row - 1]]
    body = df[df.index > row - 1].map(_cell)
    body.columns = header
    body = body.dropna(axis=1, how="all")
    if len(sheets) > 1:
        others = [k for k in sheets if k != chosen]
        how = "choisie" if sheet is not None else "la plus remplie"
        warnings.append(f"Classeur à {len(sheets)} feuilles : lecture de « {chosen} » ({how}) ; "
                        f"autres feuilles ignorées : {', '.join(others)}.")
    if book.merged.get(chosen):
        ranges = book.merged[chosen]
        warnings.append(f"{len(ranges)} plage(s) de cellules fusionnées recopiée(s) sur chacune de leurs lignes : "
                        f"{_few(ranges)}.")
    if book.formulas.get(chosen):
        cells = book.formulas[chosen]
        warnings.append(f"{len(cells)} cellule(s) contiennent une formule sans valeur calculée et sont lues vides : "
                        f"{_few(cells)}. Ouvrez le classeur dans un tableur, enregistrez-le, puis déposez-le à "
                        "nouveau.")
    return Table(body.reset_index(drop=True), name, f"XLSX, feuille « {chosen} », en-têtes ligne {row}", warnings,
                 rows=[int(i) + 1 for i in body.index], header_row=row)


def _few(items: list[str], n: int = 10) -> str:
    return ", ".join(items[:n]) + (f" … (et {len(items) - n} autres)" if len(items) > n else "")


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value).replace("\x00", "").strip()
    return text[:-2] if text.endswith(".0") and text[:-2].lstrip("-").isdigit() else text


def _read_json(raw: bytes, name: str) -> Table:
    text, _ = _decode(raw, name)
    warnings: list[str] = []
    text = _without_nul(text, warnings)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileRefused(f"Le fichier {name} n'est pas un JSON valide (ligne {exc.lineno}).") from exc
    except RecursionError:
        raise FileRefused(f"Le JSON {name} est imbriqué trop profondément pour être une liste : exportez-la à plat "
                       "(un objet par ligne de la liste).") from None
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        records, detail = _features(data.get("features"), name), "GeoJSON"
    elif isinstance(data, dict) and isinstance(data.get("results"), list):
        records, detail = data["results"], "JSON (API Opendatasoft)"
    elif isinstance(data, list):
        records, detail = data, "JSON"
    else:
        raise FileRefused(f"Le JSON {name} n'est pas une liste d'enregistrements ni un GeoJSON.")
    records = [r.get("fields", r) if isinstance(r, dict) and isinstance(r.get("fields"), dict) else r
               for r in records]
    if not records:
        raise FileRefused(f"Le fichier {name} ne contient aucun enregistrement.")
    if not all(isinstance(r, dict) for r in records):
        raise FileRefused(f"Le JSON {name} doit contenir des objets (clé : valeur), un par ligne de la liste.")
    limits.check_shape((len(records), max(len(r) for r in records)), name)
    df = pd.DataFrame([{str(k): _json_cell(v) for k, v in r.items()} for r in records]).fillna("")
    return Table(df.astype(str), name, detail, warnings)


def _features(features, name: str) -> list[dict]:
    """A GeoJSON's features as records (properties plus a point's coordinates), each part's type checked."""
    if features is None:
        return []
    if not isinstance(features, list):
        raise FileRefused(f"Le GeoJSON {name} est mal formé : « features » doit être une liste d'objets.")
    records = []
    for i, feat in enumerate(features, 1):
        if not isinstance(feat, dict):
            raise FileRefused(f"Le GeoJSON {name} est mal formé : l'objet n° {i} de « features » n'est pas un objet.")
        props, geom = feat.get("properties") or {}, feat.get("geometry") or {}
        if not isinstance(props, dict) or not isinstance(geom, dict):
            part = "properties" if not isinstance(props, dict) else "geometry"
            raise FileRefused(f"Le GeoJSON {name} est mal formé : « {part} » de l'objet n° {i} n'est pas un objet.")
        rec = dict(props)
        coords = geom.get("coordinates")
        if geom.get("type") == "Point" and isinstance(coords, list) and len(coords) >= 2:
            rec.setdefault("longitude", coords[0])
            rec.setdefault("latitude", coords[1])
        records.append(rec)
    return records


def _json_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        try:
            return json.dumps(value, ensure_ascii=False)
        except RecursionError:
            raise FileRefused("Une cellule du JSON est imbriquée trop profondément : exportez la "
                              "liste à plat.") from None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\x00", "")
