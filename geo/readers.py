"""Read whatever file an officer has into a table of text cells, or say in French why not.

CSV in UTF-8 (with or without BOM) or cp1252 with any common separator, XLSX (the sheet that
holds a list), JSON (records, Opendatasoft exports) and GeoJSON (properties plus coordinates).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from geo.errors import GeoError

MAX_BYTES = 200 * 2**20


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
        raise GeoError(f"Fichier introuvable : {path}.")
    return read_bytes(path.read_bytes(), name or path.name, sheet=sheet)


def read_bytes(raw: bytes, name: str, *, sheet: str | None = None, header_row: int | None = None) -> Table:
    """The file as a table; for a workbook, `header_row` is the spreadsheet row number of the header
    (found by itself when None: title rows above it are skipped)."""
    if len(raw) == 0:
        raise GeoError(f"Le fichier {name} est vide.")
    if len(raw) > MAX_BYTES:
        raise GeoError(f"Le fichier {name} dépasse {MAX_BYTES // 2**20} Mo : découpez-le.")
    suffix = Path(name).suffix.lower()
    if raw[:4] == b"PK\x03\x04" or suffix in (".xlsx", ".xlsm"):
        table = _read_xlsx(raw, name, sheet, header_row)
    elif suffix in (".json", ".geojson") or raw.lstrip()[:1] in (b"{", b"["):
        table = _read_json(raw, name)
    else:
        table = _read_csv(raw, name)
    df = table.data
    names: list[str] = []
    for i, c in enumerate(df.columns):  # unique names: "nom", "nom (2)"
        base = name_ = _column_name(c, i)
        k = 2
        while name_ in names:
            name_, k = f"{base} ({k})", k + 1
        names.append(name_)
    df.columns = names
    if df.empty:
        raise GeoError(f"Le fichier {name} ne contient qu'une ligne d'en-tête, aucune donnée.")
    return table


def _column_name(value, index: int) -> str:
    text = "" if value is None else str(value).strip()
    return text if text and not text.startswith("Unnamed:") else f"colonne_{index + 1}"


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    if b"\x00" in raw[:4096]:
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return raw.decode("utf-16"), "UTF-16"
        raise GeoError(f"Le fichier {name} n'est pas un fichier texte, tableur ou JSON lisible "
                       "(contenu binaire). Exportez-le en CSV ou XLSX.")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "UTF-8 avec BOM"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > 20 or text.count("\ufffd") > max(10, len(text) // 100):
        raise GeoError(f"Le fichier {name} n'est pas un fichier texte lisible (encodage inconnu ou contenu binaire).")
    return text, "Windows-1252"


def _read_csv(raw: bytes, name: str) -> Table:
    text, encoding = _decode(raw, name)
    if not text.strip():
        raise GeoError(f"Le fichier {name} est vide.")
    sample = text[:50000]
    lines = [ln for ln in sample.splitlines() if ln.strip()]
    if len(lines) < 2:
        raise GeoError(f"Le fichier {name} ne contient qu'une ligne d'en-tête, aucune donnée.")
    sep = _separator(lines)
    try:
        records = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=sep) if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise GeoError(f"Le fichier {name} n'a pas pu être lu comme un CSV ({exc}).") from exc
    header, body = records[0], records[1:]
    width = max(len(r) for r in records)
    warnings = []
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
        counts = [len(next(csv.reader([ln], delimiter=sep))) for ln in lines[:50]]
        if counts[0] < 2:
            continue
        same = sum(1 for c in counts if c == counts[0]) / len(counts)
        score = same * 10 + min(counts[0], 30) / 30
        if score > best_score:
            best, best_score = sep, score
    return best


def _sheets(raw: bytes, name: str) -> dict[str, pd.DataFrame]:
    try:
        return pd.read_excel(io.BytesIO(raw), sheet_name=None, dtype=str, header=None, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many kinds of errors for broken files
        raise GeoError(f"Le classeur {name} est illisible ({type(exc).__name__}). Enregistrez-le à nouveau "
                       "en .xlsx ou exportez-le en CSV.") from exc


def _choose_sheet(sheets: dict[str, pd.DataFrame], name: str, sheet: str | None) -> str:
    if sheet is not None:
        if sheet not in sheets:
            raise GeoError(f"La feuille « {sheet} » n'existe pas dans {name} (feuilles : {', '.join(sheets)}).")
        return sheet
    filled = {k: v.dropna(how="all").shape[0] for k, v in sheets.items()}
    chosen = max(filled, key=filled.get)
    if filled[chosen] == 0:
        raise GeoError(f"Le classeur {name} ne contient aucune donnée.")
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
    sheets = _sheets(raw, name)
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
    sheets = _sheets(raw, name)
    chosen = _choose_sheet(sheets, name, sheet)
    df = sheets[chosen].dropna(how="all").dropna(axis=1, how="all")
    if df.empty:
        raise GeoError(f"La feuille « {chosen} » de {name} est vide.")
    guessed = header_guess(df)
    row = header_row or guessed
    if row - 1 not in df.index:
        raise GeoError(f"La ligne {row} de la feuille « {chosen} » est vide ou n'existe pas : choisissez la ligne "
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
        warnings.append(f"Classeur à {len(sheets)} feuilles : lecture de « {chosen} » (la plus remplie) ; "
                        f"autres feuilles ignorées : {', '.join(others)}.")
    return Table(body.reset_index(drop=True), name, f"XLSX, feuille « {chosen} », en-têtes ligne {row}", warnings,
                 rows=[int(i) + 1 for i in body.index], header_row=row)


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value).strip()
    return text[:-2] if text.endswith(".0") and text[:-2].lstrip("-").isdigit() else text


def _read_json(raw: bytes, name: str) -> Table:
    text, _ = _decode(raw, name)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GeoError(f"Le fichier {name} n'est pas un JSON valide (ligne {exc.lineno}).") from exc
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        records = []
        for feat in data.get("features") or []:
            rec = dict(feat.get("properties") or {})
            geom = feat.get("geometry") or {}
            if geom.get("type") == "Point" and len(geom.get("coordinates") or []) >= 2:
                rec.setdefault("longitude", geom["coordinates"][0])
                rec.setdefault("latitude", geom["coordinates"][1])
            records.append(rec)
        detail = "GeoJSON"
    elif isinstance(data, dict) and isinstance(data.get("results"), list):
        records, detail = data["results"], "JSON (API Opendatasoft)"
    elif isinstance(data, list):
        records, detail = data, "JSON"
    else:
        raise GeoError(f"Le JSON {name} n'est pas une liste d'enregistrements ni un GeoJSON.")
    records = [r.get("fields", r) if isinstance(r, dict) and "fields" in r else r for r in records]
    if not records:
        raise GeoError(f"Le fichier {name} ne contient aucun enregistrement.")
    if not all(isinstance(r, dict) for r in records):
        raise GeoError(f"Le JSON {name} doit contenir des objets (clé : valeur), un par ligne de la liste.")
    df = pd.DataFrame([{k: _json_cell(v) for k, v in r.items()} for r in records]).fillna("")
    return Table(df.astype(str), name, detail)


def _json_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
