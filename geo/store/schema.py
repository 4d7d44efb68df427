"""The store's tables: the geography (rebuilt from sources) and the user's data (kept across rebuilds)."""

from __future__ import annotations

import duckdb

GEOGRAPHY = {
    "communes": """
        code VARCHAR PRIMARY KEY, nom VARCHAR NOT NULL, type_liaison INTEGER, zone VARCHAR,
        departement VARCHAR, region VARCHAR, epci VARCHAR, siren VARCHAR, population BIGINT,
        codes_postaux VARCHAR[], geom BLOB, geom_dep BLOB, point_lon DOUBLE, point_lat DOUBLE, ept VARCHAR,
        geom_reg BLOB, geom_fr BLOB""",
    "communes_infra": "code VARCHAR, nom VARCHAR, type VARCHAR, parent VARCHAR, departement VARCHAR",
    "anciens_codes": "ancien_code VARCHAR, code VARCHAR",
    "codes_postaux": "code_postal VARCHAR, code VARCHAR",
    "epci": """
        siren VARCHAR PRIMARY KEY, nom VARCHAR NOT NULL, type VARCHAR, mode_financement VARCHAR,
        population BIGINT, departement VARCHAR, membres INTEGER, geom BLOB, geom_dep BLOB, geom_reg BLOB""",
    "epci_membres": "siren VARCHAR, code VARCHAR",
    # the établissements publics territoriaux of the Grand Paris (T2-T12; T1 is Paris, not an EPT)
    "ept": """
        siren VARCHAR PRIMARY KEY, nom VARCHAR NOT NULL, numero INTEGER, sigle VARCHAR, departement VARCHAR,
        population BIGINT, membres INTEGER, geom BLOB, geom_dep BLOB""",
    "departements": """
        code VARCHAR PRIMARY KEY, nom VARCHAR NOT NULL, region VARCHAR, chef_lieu VARCHAR, type_liaison INTEGER,
        zone VARCHAR, population BIGINT, communes INTEGER, geom BLOB, geom_dep BLOB, geom_fr BLOB,
        geom_reg BLOB""",
    "regions": """
        code VARCHAR PRIMARY KEY, nom VARCHAR NOT NULL, chef_lieu VARCHAR, type_liaison INTEGER, zone VARCHAR,
        population BIGINT, geom BLOB, geom_fr BLOB""",
    "sources": "nom VARCHAR, version VARCHAR, fichier VARCHAR, sha256 VARCHAR, licence VARCHAR, origine VARCHAR",
    "metadonnees": "cle VARCHAR PRIMARY KEY, valeur VARCHAR",
}
GEOGRAPHY_TABLES = tuple(GEOGRAPHY)

# The user's labels, imports, entities and sites: created empty by a build, carried over from
# the previous store so that rebuilding the geography never loses an import.
USER = {
    "labels": "id INTEGER PRIMARY KEY, nom VARCHAR UNIQUE NOT NULL, cree_le TIMESTAMP",
    "imports": """
        id INTEGER PRIMARY KEY, label_id INTEGER NOT NULL, genre VARCHAR NOT NULL, fichier VARCHAR,
        sha256 VARCHAR, importe_le TIMESTAMP, lignes INTEGER, statuts VARCHAR, options VARCHAR,
        retire_le TIMESTAMP, source VARCHAR, note_completude VARCHAR, date_liste DATE, auteur VARCHAR,
        retire_par VARCHAR""",
    "entites": """
        import_id INTEGER NOT NULL, ligne INTEGER, label_id INTEGER NOT NULL, niveau VARCHAR, code VARCHAR,
        nom_brut VARCHAR, nom_officiel VARCHAR, departement VARCHAR, statut VARCHAR, score DOUBLE,
        candidats VARCHAR, note VARCHAR, date_label DATE, attributs VARCHAR""",
    "sites": """
        import_id INTEGER NOT NULL, ligne INTEGER, label_id INTEGER NOT NULL, nom VARCHAR, disciplines VARCHAR[],
        olympique BOOLEAN, paralympique BOOLEAN, adresse VARCHAR, code_postal VARCHAR, ville VARCHAR,
        lon DOUBLE, lat DOUBLE, commune VARCHAR, departement VARCHAR, statut VARCHAR, note VARCHAR,
        attributs VARCHAR, date_label DATE, doublon BOOLEAN, deja_import INTEGER""",
    # names an officer settled by hand, used by later imports (geo/resolve/memory.py)
    "noms_retenus": """
        cle VARCHAR PRIMARY KEY, nom_brut VARCHAR, departement VARCHAR, niveau VARCHAR, code VARCHAR,
        nom_officiel VARCHAR, auteur VARCHAR, cree_le TIMESTAMP, import_id INTEGER""",
    # every write with who made it (geo/store/journal.py): imports, withdrawals, restorations, remembered names
    "journal": "quand TIMESTAMP, auteur VARCHAR, action VARCHAR, import_id INTEGER, detail VARCHAR",
}


def create_geography(con: duckdb.DuckDBPyConnection) -> None:
    for name, columns in GEOGRAPHY.items():
        con.execute(f"CREATE TABLE {name} ({columns})")


def create_user_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the user tables, and add to an older store the columns and tables it lacks (a column is
    only ever added at the end of its table, nullable, so older rows keep their meaning)."""
    for name, columns in USER.items():
        con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({columns})")
        present = {r[0] for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND table_name = ?", [name]).fetchall()}
        for column in _columns(columns):
            col_name = column.split()[0]
            if col_name not in present and "PRIMARY KEY" not in column and "NOT NULL" not in column:
                con.execute(f"ALTER TABLE {name} ADD COLUMN {column}")


def _columns(spec: str) -> list[str]:
    """'a INTEGER, b VARCHAR[]' -> ['a INTEGER', 'b VARCHAR[]'] (no commas inside our types)."""
    return [c.strip() for c in spec.split(",") if c.strip()]


def user_tables() -> tuple[str, ...]:
    return tuple(USER)
