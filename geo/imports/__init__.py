"""Imports of label and site lists: prepare (read, resolve, nothing written) → review (`set_row`, approximate
matches confirmed) → write (one transaction; a new version withdraws the one it replaces); the history (list,
withdraw, restore, compare); site lists; the official datasets; the lists shipped with the app (`seed`)."""

from geo.imports.confirm import confirm, send_to_review, to_confirm
from geo.imports.history import compare, list_imports, restore, withdraw
from geo.imports.prepare import MAX_LABEL, REVIEW_STATUSES, Prepared, check_label, prepare, set_row
from geo.imports.site_repeats import already_counted, said_where
from geo.imports.versions import commit_version, differences, replaceable
from geo.imports.write import commit, commit_all, default_author, same_file_imported, write

__all__ = ["MAX_LABEL", "REVIEW_STATUSES", "Prepared", "already_counted", "check_label", "commit", "commit_all",
           "commit_version", "compare", "confirm", "default_author", "differences", "list_imports", "prepare",
           "replaceable", "restore", "said_where", "same_file_imported", "send_to_review", "set_row", "to_confirm",
           "withdraw", "write"]
