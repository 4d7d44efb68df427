"""Imports of label and site lists: prepare (read, resolve, nothing written) → review (`set_row`) → write
(one transaction); the history (list, withdraw, restore, compare); site lists; the official datasets; the
lists shipped with the app (`seed`)."""

from geo.imports.history import compare, list_imports, restore, withdraw
from geo.imports.prepare import MAX_LABEL, REVIEW_STATUSES, Prepared, check_label, prepare, set_row
from geo.imports.write import commit, commit_all, default_author, same_file_imported, write

__all__ = ["MAX_LABEL", "REVIEW_STATUSES", "Prepared", "check_label", "commit", "commit_all", "compare",
           "default_author", "list_imports", "prepare", "restore", "same_file_imported", "set_row", "withdraw",
           "write"]
