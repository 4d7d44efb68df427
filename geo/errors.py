"""Errors that reach users, typed by what a caller can do; the message is French and names the file and the fix.

    GeoError                    anything an officer may read as is
    ├── StoreError              the store itself
    │   ├── StoreMissing        no store yet: build it
    │   ├── StoreBusy           another writer holds it: try again in a moment
    │   ├── StoreUnwritable     full disk, read-only or forbidden: nothing was written
    │   └── StoreDamaged        unreadable file or copy: rebuild or move it
    ├── InputRefused            what a user gave is refused, nothing was changed
    │   ├── FileRefused         a file (or a download) cannot be read, or costs too much
    │   └── UnknownName         a code, a name, an import number or a territory that does not exist
    ├── SourceUnavailable       a pinned source or a portal cannot be fetched or verified
    └── AccessDenied            this session may not write

Callers and tests branch on the type, never on the French text.
"""

__all__ = ["AccessDenied", "FileRefused", "GeoError", "InputRefused", "SimilarLabel", "SourceUnavailable", "StoreBusy",
           "StoreDamaged", "StoreError", "StoreMissing", "StoreUnwritable", "UnknownName"]


class GeoError(Exception):
    """An error whose message can be shown as is to an officer."""


class StoreError(GeoError):
    """The store cannot serve this request."""


class StoreMissing(StoreError):
    """There is no store file yet (build it)."""


class StoreBusy(StoreError):
    """Another writer holds the store: nothing was written, the same request may succeed in a moment."""


class StoreUnwritable(StoreError):
    """The disk is full, read-only or forbidden: nothing was written."""


class StoreDamaged(StoreError):
    """The store (or a copy of it) cannot be read."""


class InputRefused(GeoError):
    """What a user gave (a value, a choice) is refused; nothing was changed."""


class SimilarLabel(InputRefused):
    """A new label's name differs from an existing one only by case, accents or spaces: `near` is that label,
    which the caller can offer (« voulez-vous dire … ? »)."""

    def __init__(self, message: str, near: str) -> None:
        super().__init__(message)
        self.near = near


class FileRefused(InputRefused):
    """A file, or a download, cannot be read or would cost too much; nothing was imported."""


class UnknownName(InputRefused):
    """A code, a name, an import number or a territory that does not exist."""


class SourceUnavailable(GeoError):
    """A pinned source or a portal cannot be fetched, or does not match its checksum."""


class AccessDenied(GeoError):
    """This session may not write."""
