"""JSON lists: records, Opendatasoft exports and GeoJSON (properties plus coordinates), each cell as text; the
records are counted from the bytes first, so that a file past the row limit is refused before any is built."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.errors import FileRefused
from geo.io import limits
from geo.io.delimited import decode, wide_encoding, without_nul
from geo.io.table import Table

_CHUNK = 1 << 20      # code units scanned at a time while records are counted
_WIDTH = {"utf-16-le": "<u2", "utf-16-be": ">u2", "utf-32-le": "<u4", "utf-32-be": ">u4"}
_QUOTE, _BACKSLASH, _COMMA = ord('"'), ord("\\"), ord(",")
_OPEN, _CLOSE = (ord("["), ord("{")), (ord("]"), ord("}"))


def read_json(raw: bytes, name: str) -> Table:
    _count_records(raw, name)
    text, _ = decode(raw, name)
    warnings: list[str] = []
    text = without_nul(text, warnings)
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


def _count_records(raw: bytes, name: str) -> None:
    """Records and their cells counted from the bytes before anything is parsed, refused at the first one past
    the limit: json.loads would build every record (11.5 million tiny ones take gigabytes) before the limit is
    checked. Records are the items of the top-level list, or of the lists one level down (Opendatasoft
    "results", GeoJSON "features"); text inside strings, escaped quotes included, is skipped."""
    units = _code_units(raw)
    first = _first_sign(units)
    if first not in (ord("["), ord("{")):
        return  # not a list: json.loads says why
    scan = _Scan(depth=1 if first == ord("[") else 2)
    for start in range(0, len(units), _CHUNK):
        scan.feed(units[start:start + _CHUNK])
        limits.check_rows_read(scan.records, name)
        limits.check_cells_read(scan.cells, name)


def _code_units(raw: bytes) -> np.ndarray:
    """The text as code units, without copying it: bytes for UTF-8 and Windows-1252 (where no byte of a
    non-ASCII letter looks like `"` or `[`), 16- or 32-bit units for UTF-16 and UTF-32."""
    wide = wide_encoding(raw)
    if wide is None:
        return np.frombuffer(raw, dtype=np.uint8)
    codec, bom = wide
    dtype = np.dtype(_WIDTH[codec])
    usable = bom + (len(raw) - bom) // dtype.itemsize * dtype.itemsize
    return np.frombuffer(memoryview(raw)[bom:usable], dtype=dtype)


def _first_sign(units: np.ndarray) -> int | None:
    """The first character that is not blank (nor a BOM), which tells a list from an object."""
    head = units[:4096]
    signs = head[(head > 32) & (head < 128)]
    return int(signs[0]) if len(signs) else None


@dataclass
class _Scan:
    """Counts carried from one chunk to the next: records are the items of the longest list at `depth` (a GeoJSON
    "bbox" beside "features" is not added to them), cells the commas one level deeper plus one per record."""
    depth: int                # nesting level of the lists that hold the records
    level: int = 0            # nesting level at the end of the previous chunk
    in_string: int = 0        # 1 when the previous chunk ended inside a string
    backslashes: int = 0      # backslashes ending the previous chunk (an odd run escapes the next quote)
    list_at_depth: bool = False   # the last container opened at `depth` is a list
    items: int = 0            # items so far of that list
    records: int = 0          # items of the longest list at `depth` so far
    inner: int = 0            # commas one level deeper

    @property
    def cells(self) -> int:
        return self.inner + self.records

    def feed(self, units: np.ndarray) -> None:
        """Count one chunk: quotes not escaped toggle strings; brackets outside strings nest; commas outside
        strings separate items. Only the characters that can be structure are looked at, in order."""
        if not len(units):
            return
        signs = (units == _QUOTE) | (units == _COMMA)
        for sign in _OPEN + _CLOSE:
            signs |= units == sign
        if self.backslashes or (units == _BACKSLASH).any():
            signs &= ~self._escaped(units)
        signs = units[np.flatnonzero(signs)]
        if not len(signs):
            return
        inside = ((np.cumsum(signs == _QUOTE, dtype=np.int32) & 1) ^ self.in_string).astype(bool)
        self.in_string = int(inside[-1])
        outside = ~inside
        opens = ((signs == _OPEN[0]) | (signs == _OPEN[1])) & outside
        closes = ((signs == _CLOSE[0]) | (signs == _CLOSE[1])) & outside
        level = np.cumsum(opens.view(np.int8) - closes.view(np.int8), dtype=np.int32)   # from this chunk's start
        self._count(signs, opens, level, (signs == _COMMA) & outside, self.depth - self.level)
        self.level += int(level[-1])

    def _count(self, signs: np.ndarray, opens: np.ndarray, level: np.ndarray, commas: np.ndarray, depth: int) -> None:
        """Items of each list at the records' depth (`depth`, counted from this chunk's start), and commas of the
        containers one level deeper."""
        here = np.flatnonzero(opens & (level == depth))
        is_list = np.concatenate(([self.list_at_depth], signs[here] == ord("[")))   # 0: opened before this chunk
        owner = np.searchsorted(here, np.flatnonzero(commas & (level == depth)))   # the container of each comma
        items = np.bincount(owner, minlength=len(is_list)) + 1
        items[0] += self.items - 1
        items[~is_list] = 0
        self.records = max(self.records, int(items.max()))
        self.list_at_depth, self.items = bool(is_list[-1]), int(items[-1])
        self.inner += int(np.count_nonzero(commas & (level == depth + 1)))

    def _escaped(self, units: np.ndarray) -> np.ndarray:
        """Characters preceded by an odd run of backslashes (the run may start in the previous chunk)."""
        slash = units == _BACKSLASH
        index = np.arange(len(units), dtype=np.int32)
        last_other = np.maximum.accumulate(np.where(slash, np.int32(-1 - self.backslashes), index))
        run = index - 1 - np.concatenate(([-1 - self.backslashes], last_other[:-1]), dtype=np.int32)
        self.backslashes = int(len(units) - 1 - last_other[-1])
        return (run & 1).astype(bool)
