"""Files in and out: readers of whatever an officer has (CSV, XLSX, JSON, GeoJSON), the detection of their
columns, the limits that keep a hostile file from eating the server, downloads, and safe exports."""

from geo.io.columns import Columns, NoNameColumn, detect
from geo.io.export import neutralise, safe_frame, to_csv
from geo.io.readers import Table, read_bytes, read_table, sheet_names, sheet_preview

__all__ = ["Columns", "NoNameColumn", "Table", "detect", "neutralise", "read_bytes", "read_table", "safe_frame",
           "sheet_names", "sheet_preview", "to_csv"]
