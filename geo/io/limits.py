"""What one upload may cost, so that a single file cannot take the app down for everyone; each limit says
in French how to split the file."""

from __future__ import annotations

from geo import fr
from geo.errors import FileRefused

MAX_BYTES = 100 * 2**20            # a national list of every commune is about 3 MB
MAX_INFLATED = 300 * 2**20         # a workbook's unzipped size (zip bombs inflate a few KB into GB)
MAX_ROWS = 1_000_000
MAX_COLUMNS = 500
MAX_CELLS = 20_000_000
MAX_WORKBOOK_CELLS = 2_000_000     # a workbook is held whole by openpyxl: ~0.7 GB per million cells measured
MAX_SECONDS = 120.0                # resolving one file



def mb(n: int) -> str:
    return f"{fr.number(round(n / 2**20))} Mo"


def check_bytes(size: int, name: str) -> None:
    if size > MAX_BYTES:
        raise FileRefused(f"Le fichier {name} pèse {mb(size)}, au-delà de la limite de {mb(MAX_BYTES)} : découpez-le "
                       "en plusieurs fichiers (par département, par exemple) et importez-les l'un après l'autre.")


def check_inflated(size: int, name: str) -> None:
    if size > MAX_INFLATED:
        raise FileRefused(f"Le classeur {name} occupe {mb(size)} une fois décompressé, au-delà de la limite de "
                       f"{mb(MAX_INFLATED)} : enregistrez la feuille utile seule, ou exportez-la en CSV.")


def check_shape(shape: tuple[int, int], name: str) -> None:
    rows, columns = shape
    if columns > MAX_COLUMNS:
        raise FileRefused(f"Le fichier {name} a {fr.number(columns)} colonnes, au-delà de la limite de {MAX_COLUMNS} : "
                       "gardez les colonnes utiles (nom, département, code…) et déposez-le à nouveau.")
    if rows > MAX_ROWS:
        raise FileRefused(f"Le fichier {name} a {fr.number(rows)} lignes, au-delà de la limite de "
                          f"{fr.number(MAX_ROWS)} : "
                       "découpez-le en plusieurs fichiers et importez-les l'un après l'autre.")
    if rows * columns > MAX_CELLS:
        raise FileRefused(f"Le fichier {name} a {fr.number(rows * columns)} cellules, au-delà de la limite "
                          f"de {fr.number(MAX_CELLS)} : "
                       "retirez des colonnes ou découpez-le en plusieurs fichiers.")


def check_workbook(shape: tuple[int, int], name: str) -> None:
    rows, columns = shape
    if rows * columns > MAX_WORKBOOK_CELLS:
        raise FileRefused(f"Le classeur {name} a {fr.number(rows * columns)} cellules, au-delà de la limite de "
                       f"{fr.number(MAX_WORKBOOK_CELLS)} pour un classeur : enregistrez la feuille en CSV "
                       "(même contenu, "
                       "sans limite de classeur) ou découpez-la.")


def check_rows_read(rows: int, name: str) -> None:
    """Called while a file is read: one row past the limit stops the reading, whatever the file declares."""
    if rows > MAX_ROWS:
        raise FileRefused(f"Le fichier {name} a plus de {fr.number(MAX_ROWS)} lignes, au-delà de la limite : "
                          "découpez-le en plusieurs fichiers et importez-les l'un après l'autre.")


def check_cells_read(cells: int, name: str) -> None:
    """Called while a file is read: one cell past the limit stops the reading."""
    if cells > MAX_CELLS:
        raise FileRefused(f"Le fichier {name} a plus de {fr.number(MAX_CELLS)} cellules, au-delà de la limite : "
                          "retirez des colonnes ou découpez-le en plusieurs fichiers.")


def check_workbook_read(cells: int, name: str, sheet: str) -> None:
    """Called while a workbook's sheets are counted: openpyxl would hold every cell of every sheet."""
    if cells > MAX_WORKBOOK_CELLS:
        raise FileRefused(f"Le classeur {name} a plus de {fr.number(MAX_WORKBOOK_CELLS)} cellules, au-delà de la "
                          f"limite pour un classeur (atteinte dans la feuille « {sheet} ») : enregistrez la feuille "
                          "en CSV (même contenu, sans limite de classeur) ou découpez-la.")


def check_strings_read(strings: int, name: str) -> None:
    """Called while a workbook's shared texts are counted: each one is a cell's text, held by openpyxl."""
    if strings > MAX_WORKBOOK_CELLS:
        raise FileRefused(f"Le classeur {name} a plus de {fr.number(MAX_WORKBOOK_CELLS)} textes, au-delà de la "
                          "limite pour un classeur : enregistrez la feuille utile en CSV (même contenu, sans limite "
                          "de classeur) ou découpez-la.")


def check_time(elapsed: float, done: int, total: int) -> None:
    """Called while resolving: past the budget, stop with what was reached."""
    if elapsed > MAX_SECONDS:
        raise FileRefused(f"La résolution a dépassé {MAX_SECONDS:.0f} s ({fr.number(done)} lignes sur "
                          f"{fr.number(total)}) : découpez le "
                       "fichier en plusieurs listes plus petites.")
