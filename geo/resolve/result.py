"""The outcome of resolving one row, and the vocabulary of levels and statuses."""

from __future__ import annotations

from dataclasses import dataclass, field

LEVELS = ("commune", "epci", "ept", "departement", "region", "hors_territoire")
# `entete`: a heading row of a pasted list ("Calvados :"), reported and never imported as an entity
STATUSES = ("exact", "normalise", "approx", "ambigu", "introuvable", "entete")
RESOLVED = ("exact", "normalise", "approx")
OUTPUT_COLUMNS = ("niveau", "code", "nom_officiel", "statut", "score", "candidats")


@dataclass
class Result:
    niveau: str = ""
    code: str = ""
    nom_officiel: str = ""
    statut: str = "introuvable"
    score: float | None = None
    candidats: str = ""
    remarque: str = ""
    departement: str = ""
    cle: str = ""          # the remembered-names key of the row (name key | département hint)
    # levels this row's name matches exactly when it is ambiguous across levels ("Vienne"): level -> code
    options: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def resolved(self) -> bool:
        return self.statut in RESOLVED and bool(self.code)

    def note(self, text: str, first: bool = False) -> Result:
        """Add a remark (kept in French, joined by « ; »)."""
        if text:
            self.remarque = f"{text} ; {self.remarque}" if first and self.remarque else \
                (f"{self.remarque} ; {text}" if self.remarque else text)
        return self

    def exported(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "options"}
