"""Which column holds what: detected from headers (then contents), overridable by the user."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

import pandas as pd

from geo.errors import FileRefused, UnknownName
from geo.fr import fold
from geo.fr import read_date as fr_read_date

# Header spellings by role, most specific first (compared after fold(), spaces as "_").
PATTERNS: dict[str, tuple[str, ...]] = {
    "code": ("code_insee", "insee_com", "code_commune_insee", "codgeo", "code_commune", "depcom", "insee",
             "code_insee_commune", "cog", "code_officiel", "code_collectivite", "code_territoire", "code",
             "siren", "siren_collectivite", "numero_siren"),
    "nom": ("nom_collectivite", "nom_structure", "nom_territoire", "lib_com", "libelle_commune", "nom_commune",
            "collectivite", "structure", "territoire", "denomination", "raison_sociale", "libelle", "nom",
            "name", "title", "titre", "organisme", "commune", "ville", "beneficiaire", "laureat"),
    "departement": ("code_departement", "code_dep", "insee_dep", "num_dep", "numero_departement", "departement",
                    "dep", "dept", "nom_departement", "lib_dep", "county"),
    "code_postal": ("code_postal", "codepostal", "cp", "postcode", "postal_code", "zip"),
    "ville": ("ville", "city", "commune", "localite"),
    "type": ("type_collectivite", "type_structure", "type_territoire", "niveau", "type", "categorie", "nature",
             "type_de_structure", "type_de_collectivite"),
    "date": ("date_labellisation", "date_de_labellisation", "date_label", "date_obtention", "labellise_le",
             "date"),
    "latitude": ("latitude", "lat", "coord_y", "y"),
    "longitude": ("longitude", "lon", "lng", "long", "coord_x", "x"),
    "coordonnees": ("geo_point_2d", "geo_point", "point_geo", "geopoint", "coordonnees", "coordonnees_gps",
                    "coordinates", "geolocalisation", "position", "gps", "point", "geo"),
    "olympique": ("disciplines_olympiques", "sports_olympiques", "olympique", "olympic"),
    "paralympique": ("disciplines_paralympiques", "sports_paralympiques", "paralympique", "paralympic"),
    "disciplines": ("disciplines", "discipline", "sports", "sport", "known_for"),
    "lang": ("lang", "langue", "language"),
    "identifiant": ("id", "identifiant", "id_site", "id_cpj", "recordid"),
    "adresse": ("adresse", "address", "location", "adresse_postale"),
}
# In a list of sites the name is the facility's own, the commune a separate field: the usual headers of
# portals and prefecture lists, tried before the general ones.
SITE_PATTERNS: dict[str, tuple[str, ...]] = {
    "nom": ("nom_du_site", "nom_site", "site_name", "nom_de_l_equipement", "nom_equipement", "equipement",
            "nom_de_l_espace", "nom_espace", "nom_structure", "nom_etablissement", "etablissement", "titre",
            "title", "lib_site", "lib_fs", "lib_equipement", "lib_structure", "nom", "name",
            "denomination", "libelle"),
    "ville": ("ville", "commune", "lib_com", "libelle_commune", "nom_commune", "commune_as_printed", "city",
              "localite", "nom_de_la_commune"),
    "code": ("code_insee", "insee_com", "code_commune_insee", "commune_insee", "insee_commune", "codgeo",
             "code_commune", "depcom", "insee", "com_insee", "code_insee_commune", "cog", "siren_collectivite"),
}
# a header that names a place's field, never the site itself ("lib_com", "lib_dep", "lib_reg")
_NOT_A_SITE_NAME = ("com", "commune", "dep", "departement", "reg", "region", "epci", "ville", "cp")
SITE_ROLES = ("ville", "latitude", "longitude", "coordonnees", "disciplines", "olympique", "paralympique",
              "lang", "identifiant", "adresse")
ROLE_LABELS = {
    "nom": "nom", "code": "code officiel (INSEE ou SIREN)", "departement": "département", "code_postal": "code postal",
    "ville": "ville", "type": "type / niveau", "date": "date de labellisation", "latitude": "latitude",
    "longitude": "longitude", "coordonnees": "coordonnées « lat, lon »", "disciplines": "disciplines",
    "olympique": "disciplines olympiques", "paralympique": "disciplines paralympiques", "lang": "langue",
    "identifiant": "identifiant", "adresse": "adresse",
}


@dataclass
class Columns:
    nom: str | None = None
    code: str | None = None
    departement: str | None = None
    code_postal: str | None = None
    ville: str | None = None
    type: str | None = None
    date: str | None = None
    latitude: str | None = None
    longitude: str | None = None
    coordonnees: str | None = None
    disciplines: str | None = None
    olympique: str | None = None
    paralympique: str | None = None
    lang: str | None = None
    identifiant: str | None = None
    adresse: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


def _header_key(name: str) -> str:
    return fold(name).replace(" ", "_")


_CODE_VALUE = re.compile(r"^(\d{4,5}|2[abAB]\d{3}|\d{9})$")


def detect(df: pd.DataFrame, sites: bool = False, **forced: str | None) -> Columns:
    """Guess each role's column; `forced` (role=column) wins. Raises when nothing names a place."""
    for role, column in forced.items():
        if column is not None and column not in df.columns:
            raise UnknownName(f"La colonne « {column} » indiquée pour « {ROLE_LABELS.get(role, role)} » n'existe pas "
                           f"(colonnes : {', '.join(df.columns)}).")
    keys = {c: _header_key(c) for c in df.columns}
    taken: set[str] = {c for c in forced.values() if c}
    found: dict[str, str | None] = {}
    roles = list(PATTERNS)
    if not sites:  # in a list of collectivités, "commune"/"ville" is the name itself
        roles = [r for r in roles if r not in SITE_ROLES]
    else:  # in a list of sites, the title names the site, "commune" the place
        roles = ["ville", "code", "nom", *[r for r in roles if r not in ("ville", "code", "nom")]]
    for role in roles:
        if role in forced:  # a column chosen by hand, or none (« (aucune) »): never detected again
            found[role] = forced[role]
            continue
        found[role] = None
        patterns = SITE_PATTERNS.get(role, PATTERNS[role]) if sites else PATTERNS[role]
        if sites and role == "nom":  # any other « lib_… » header (lib_fs, lib_cpj) names the site
            patterns = (*patterns, *(k for k in keys.values() if k.startswith("lib_")
                                     and k[4:] not in _NOT_A_SITE_NAME))
        for pattern in patterns:
            match = next((c for c, k in keys.items() if k == pattern and c not in taken), None)
            if match is None and len(pattern) > 3:
                match = next((c for c, k in keys.items() if k.startswith(pattern + "_") and c not in taken
                              and not _qualified_elsewhere(k, role)), None)
            if match is not None:
                found[role] = match
                taken.add(match)
                break
    cols = Columns(**{k: v for k, v in found.items() if k in Columns.__dataclass_fields__})
    if sites and cols.date is None and "date" not in forced:
        cols.date = _date_column(df, taken)
    if cols.code is None and cols.nom is None:
        _sniff(df, cols, taken)
    if cols.code is None and cols.nom is None and not (sites and (cols.coordonnees or cols.latitude)):
        more = f" … ({len(df.columns)} en tout)" if len(df.columns) > 20 else ""
        shown = ", ".join(map(str, df.columns[:20])) + more
        raise NoNameColumn(f"Aucune colonne ne ressemble à un nom ou à un code de collectivité (colonnes lues : "
                           f"{shown}).")
    return cols


_DATE_HINT = re.compile(r"labellis|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}|" + "|".join(
    ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre",
     "decembre")))


def _date_column(df: pd.DataFrame, taken: set[str]) -> str | None:
    """A site list's date under another header ("Label" : « Espace labellisé 01/02/2020 », "date_maj" is
    not): a column whose header says date or label, most of whose cells read as a date."""
    for column in df.columns:
        key = _header_key(column)
        if column in taken or not any(w in key.split("_") for w in ("date", "label", "labellisation", "labellise")):
            continue
        values = df[column].head(200).astype(str).str.strip()
        values = values[values != ""]
        # the date of a source, an update or an extraction is not the label's
        if values.empty or set(key.split("_")) & {"maj", "mise", "modification", "creation", "import", "source",
                                                   "publication", "extraction", "export"}:
            continue
        readable = values.map(lambda v: bool(_DATE_HINT.search(_plain(v))) and _reads_as_date(v))
        if readable.mean() >= 0.8:
            return column
    return None


def _plain(value: str) -> str:
    """Lower case without accents, punctuation kept (« 01/02/2020 » stays a date)."""
    return "".join(ch for ch in unicodedata.normalize("NFD", value.lower()) if not unicodedata.combining(ch))


def _reads_as_date(value: str) -> bool:
    try:
        return fr_read_date(value) is not None
    except ValueError:
        return False


class NoNameColumn(FileRefused):
    """Said by each caller with its own way to choose the column (a page's menus, the command line's options)."""


def _qualified_elsewhere(key: str, role: str) -> bool:
    """'code_dep' is not a commune code, 'nom_region' not a collectivité's name."""
    if role in ("code", "nom"):
        return any(q in key.split("_") for q in ("dep", "departement", "reg", "region", "epci", "postal", "carto"))
    return False


def _sniff(df: pd.DataFrame, cols: Columns, taken: set[str]) -> None:
    sample = df.head(500)
    best_text, best_score = None, 0.0
    for column in df.columns:
        if column in taken:
            continue
        values = sample[column].astype(str).str.strip()
        values = values[values != ""]
        if values.empty:
            continue
        if cols.code is None and values.str.match(_CODE_VALUE).mean() > 0.8:
            cols.code = column
            continue
        letters = values.str.contains(r"[A-Za-zÀ-ÿ]{3,}", regex=True).mean()
        length = values.str.len().median()
        if letters > 0.8 and 3 <= length <= 80 and letters > best_score:
            best_text, best_score = column, letters
    if cols.nom is None and best_text is not None:
        cols.nom = best_text
