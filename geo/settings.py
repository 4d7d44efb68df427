"""Every TDJ_* setting in one table, with its default and its help (as Datasette's SETTINGS): the code reads them
through `get`, `python -m geo reglages` prints them, and a test checks that the README names each one."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["SETTINGS", "Setting", "get", "table"]


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS = (
    Setting("TDJ_STORE", "data/territoires.duckdb", "le magasin DuckDB servi (une copie publiée, sur un serveur en "
            "lecture seule)"),
    Setting("TDJ_CACHE", ".cache/sources", "où la mise en place garde les sources téléchargées"),
    Setting("TDJ_PORTAIL", "https://data.education.gouv.fr",
            "l'adresse du portail Opendatasoft des listes officielles"),
    Setting("TDJ_DATE_MIN", "2015-01-01", "la première date de labellisation acceptée à l'import (une date plus "
            "ancienne est refusée pour sa ligne, qui est gardée sans date)"),
    Setting("TDJ_DATE_MAX", "", "la dernière date acceptée (vide : le 31 décembre de l'année prochaine)"),
    Setting("TDJ_LECTURE_SEULE", "", "« 1 » : personne n'écrit depuis ce serveur (remplace `lecture_seule` de "
            "`.streamlit/secrets.toml`)"),
    Setting("TDJ_MOT_DE_PASSE_EDITEUR", "", "l'empreinte « scrypt$… » du mot de passe éditeur (faite par "
            "`python -m geo mot-de-passe`), jamais le mot de passe lui-même"),
    Setting("TDJ_EDITEURS", "", "adresses des éditeurs, séparées par des virgules, quand un fournisseur d'identité "
            "(OIDC) est réglé"),
    Setting("TDJ_ADRESSES_AUTORISEES", "", "hôtes ou réseaux internes (« 10.0.0.0/8, intranet.prefecture.gouv.fr »), "
            "séparés par des virgules, d'où une liste peut être téléchargée (un portail intranet) ; vide : toute "
            "adresse interne (boucle locale, réseau privé, lien local…) est refusée"),
    Setting("TDJ_RAYONS_KM", "10,20,30", "les rayons (km, séparés par des virgules) pour lesquels la page Croiser et "
            "`python -m geo distances` comptent la population à moins de ce rayon d'un site, à vol d'oiseau"),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str, env: Mapping[str, str] | None = None) -> str:
    """The setting's value: the environment's, else its default (KeyError for a name not in SETTINGS)."""
    setting = _BY_NAME[name]
    return (os.environ if env is None else env).get(name, setting.default)


def table() -> str:
    """The settings as the command line prints them: name, default, help."""
    return "\n".join(f"{s.name}\n    défaut : {s.default or '(vide)'}\n    {s.help}" for s in SETTINGS)
