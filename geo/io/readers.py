"""Read whatever file an officer has into a table of text cells, or say in French why not.

CSV in UTF-8 (with or without BOM) or cp1252 with any common separator, XLSX (the sheet that
holds a list), JSON (records, Opendatasoft exports) and GeoJSON (properties plus coordinates).
"""

from __future__ import annotations

import logging
from pathlib import Path

from geo.errors import FileRefused
from geo.io import limits
from geo.io.delimited import read_csv
from geo.io.json_lists import read_json
from geo.io.table import Table
from geo.io.workbook import header_guess, read_xlsx, sheet_names, sheet_preview

log = logging.getLogger(__name__)

__all__ = ["Table", "header_guess", "read_bytes", "read_table", "sheet_names", "sheet_preview"]


def read_table(path: Path | str, *, name: str | None = None, sheet: str | None = None) -> Table:
    path = Path(path)
    if not path.exists():
        raise FileRefused(f"Fichier introuvable : {path}.")
    return read_bytes(path.read_bytes(), name or path.name, sheet=sheet)


def read_bytes(raw: bytes, name: str, *, sheet: str | None = None, header_row: int | None = None) -> Table:
    """The file as a table; for a workbook, `header_row` is the spreadsheet row number of the header
    (found by itself when None: title rows above it are skipped). A refused file is logged with its cause."""
    try:
        return _read_bytes(raw, name, sheet=sheet, header_row=header_row)
    except FileRefused as exc:
        log.warning("fichier refusé : %s (%d octets) : %s", name, len(raw), exc)
        raise


def _read_bytes(raw: bytes, name: str, *, sheet: str | None, header_row: int | None) -> Table:
    if len(raw) == 0:
        raise FileRefused(f"Le fichier {name} est vide.")
    limits.check_bytes(len(raw), name)
    suffix = Path(name).suffix.lower()
    try:
        if raw[:4] == b"PK\x03\x04" or suffix in (".xlsx", ".xlsm"):
            table = read_xlsx(raw, name, sheet, header_row)
        elif suffix in (".json", ".geojson") or raw.lstrip()[:1] in (b"{", b"["):
            table = read_json(raw, name)
        else:
            table = read_csv(raw, name)
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
