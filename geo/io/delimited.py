"""Text files: the encoding (UTF-8 with or without BOM, UTF-16/32, cp1252) and the separator of a CSV, found
from the bytes; a file that is not text is refused in French."""

from __future__ import annotations

import csv
import itertools
import re
from collections.abc import Iterator

import pandas as pd

from geo.errors import FileRefused
from geo.io import limits
from geo.io.table import Table

_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")   # a line with its ending, as csv wants it
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


def wide_encoding(raw: bytes) -> tuple[str, int] | None:
    """UTF-16 or UTF-32 (by its BOM or its zero bytes) and the BOM's length, for readers that scan code units."""
    for bom, codec, _ in _BOMS:
        if raw.startswith(bom):
            return codec, len(bom)
    codec = _wide_encoding(raw) if b"\x00" in raw[:4096] else None
    return (codec, 0) if codec else None


def decode(raw: bytes, name: str) -> tuple[str, str]:
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


def without_nul(text: str, warnings: list[str]) -> str:
    """NUL characters are never part of a name: dropped, and said."""
    n = text.count("\x00")
    if n:
        warnings.append(f"{n} caractère(s) nul(s) (octet 0) supprimé(s) du fichier.")
        text = text.replace("\x00", "")
    return text


def read_csv(raw: bytes, name: str) -> Table:
    text, encoding = decode(raw, name)
    warnings: list[str] = []
    text = without_nul(text, warnings)
    if not text or text.isspace():   # text.strip() would copy the whole text
        raise FileRefused(f"Le fichier {name} est vide.")
    # whole lines, however long (a 60,000-character header is still a header, not "a header alone")
    lines = [ln for ln in itertools.islice(_lines(text), 200) if ln.strip()][:50]
    if len(lines) < 2:
        raise FileRefused(f"Le fichier {name} ne contient qu'une ligne d'en-tête, aucune donnée.")
    if text.count("\n") > 2 * limits.MAX_ROWS:  # clearly too long: refused before parsing it all
        limits.check_shape((text.count("\n"), 1), name)
    sep = _separator(lines)
    csv.field_size_limit(limits.MAX_BYTES)
    try:
        if _maybe_over_limits(text, sep):
            _count_rows_and_cells(text, sep, name)
        records = [r for r in csv.reader(_lines(text), delimiter=sep) if any(c.strip() for c in r)]
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


def _lines(text: str) -> Iterator[str]:
    """The text's lines with their endings (LF, CRLF or CR), one at a time: io.StringIO would first copy the
    whole text at four bytes a character."""
    return (m.group() for m in _LINE.finditer(text))


def _maybe_over_limits(text: str, sep: str) -> bool:
    """Whether line ends and separators (quoted ones too, so never fewer than the rows and cells) reach a limit."""
    ends = text.count("\n") + text.count("\r") - text.count("\r\n")
    return ends > limits.MAX_ROWS or ends + text.count(sep) > limits.MAX_CELLS


def _count_rows_and_cells(text: str, sep: str, name: str) -> None:
    """Rows and cells under the header counted as the csv reader gives them, none kept, refused at the first one
    past a limit: kept rows take about 60 bytes a cell, gigabytes before a refusal after reading."""
    records = (r for r in csv.reader(_lines(text), delimiter=sep) if "".join(r).strip())
    next(records, None)   # the header
    rows = cells = 0
    for record in records:
        rows, cells = rows + 1, cells + len(record)
        limits.check_rows_read(rows, name)
        limits.check_cells_read(cells, name)


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
