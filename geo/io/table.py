"""What every reader returns: a file's rows as text cells, with where they came from and what was noticed."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["Table"]


@dataclass
class Table:
    data: pd.DataFrame            # every cell as text, columns as in the file
    source: str                   # file name
    detail: str = ""              # encoding, separator or sheet, for the report
    warnings: list[str] = field(default_factory=list)
    rows: list[int] | None = None    # spreadsheet row number of each data row (XLSX), for "Ligne N"
    header_row: int | None = None    # spreadsheet row number of the header (XLSX)
