"""Resolve rows of any list to official codes: codes first, names otherwise, never a guess.

Every row gets a level (commune, epci, ept, departement, region, hors_territoire) and a status:
`exact`, `normalise`, `approx` (with its score), `ambigu` (with its candidates), `introuvable`, or
`entete` for a heading row of a pasted list. Homonymous communes of different départements, and names
that are both a commune and a département ("Vienne"), are never chosen between without a hint, a word
in the cell or the context of the list. Approximate matches run only among candidates of the right
level and département.

Parts: `cells` (what a name cell says: hints, titles), `context` (départements and levels from context
cells and headings), `communes`, `epci`, `territories` (départements, régions, EPT, codes), `memory`
(names settled by hand), `row` (one row), `frame` (a whole list: blocks, headings, context).
"""

from geo.resolve.context import clean_code, postcode_departements
from geo.resolve.context import departements_in_hint as departement_of_hint
from geo.resolve.frame import resolve_frame
from geo.resolve.index import Index, index
from geo.resolve.result import LEVELS, OUTPUT_COLUMNS, RESOLVED, STATUSES, Result
from geo.resolve.row import Resolver, level_of_type

__all__ = ["LEVELS", "OUTPUT_COLUMNS", "RESOLVED", "STATUSES", "Index", "Resolver", "Result", "candidate",
           "clean_code", "departement_of_hint", "index", "level_of_type", "postcode_departements", "resolve_frame"]


def candidate(text: str) -> tuple[str, str | None]:
    """The code and level of a candidate as review lists show it ("86 Département Vienne" -> ("86",
    "departement"), "32 Région Hauts-de-France" -> ("32", "region"), "62040 Arques (62)" -> ("62040", None))."""
    parts = str(text).strip().split(" ", 2)
    code = parts[0] if parts else ""
    word = parts[1] if len(parts) > 1 else ""
    level = {"Département": "departement", "Région": "region"}.get(word)
    if level is None and str(text).rstrip().endswith("(EPT)"):
        level = "ept"
    return code, level
