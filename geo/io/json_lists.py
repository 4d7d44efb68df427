"""JSON lists: records, Opendatasoft exports and GeoJSON (properties plus coordinates), each cell as text."""

from __future__ import annotations

import json

import pandas as pd

from geo.errors import FileRefused
from geo.io import limits
from geo.io.delimited import decode, without_nul
from geo.io.table import Table


def read_json(raw: bytes, name: str) -> Table:
    text, _ = decode(raw, name)
    warnings: list[str] = []
    text = without_nul(text, warnings)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileRefused(f"Le fichier {name} n'est pas un JSON valide (ligne {exc.lineno}).") from exc
    except RecursionError:
        raise FileRefused(f"Le JSON {name} est imbriqué trop profondément pour être une liste : exportez-la à plat "
                       "(un objet par ligne de la liste).") from None
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        records, detail = _features(data.get("features"), name), "GeoJSON"
    elif isinstance(data, dict) and isinstance(data.get("results"), list):
        records, detail = data["results"], "JSON (API Opendatasoft)"
    elif isinstance(data, list):
        records, detail = data, "JSON"
    else:
        raise FileRefused(f"Le JSON {name} n'est pas une liste d'enregistrements ni un GeoJSON.")
    records = [r.get("fields", r) if isinstance(r, dict) and isinstance(r.get("fields"), dict) else r
               for r in records]
    if not records:
        raise FileRefused(f"Le fichier {name} ne contient aucun enregistrement.")
    if not all(isinstance(r, dict) for r in records):
        raise FileRefused(f"Le JSON {name} doit contenir des objets (clé : valeur), un par ligne de la liste.")
    limits.check_shape((len(records), max(len(r) for r in records)), name)
    df = pd.DataFrame([{str(k): _json_cell(v) for k, v in r.items()} for r in records]).fillna("")
    return Table(df.astype(str), name, detail, warnings)


def _features(features, name: str) -> list[dict]:
    """A GeoJSON's features as records (properties plus a point's coordinates), each part's type checked."""
    if features is None:
        return []
    if not isinstance(features, list):
        raise FileRefused(f"Le GeoJSON {name} est mal formé : « features » doit être une liste d'objets.")
    records = []
    for i, feat in enumerate(features, 1):
        if not isinstance(feat, dict):
            raise FileRefused(f"Le GeoJSON {name} est mal formé : l'objet n° {i} de « features » n'est pas un objet.")
        props, geom = feat.get("properties") or {}, feat.get("geometry") or {}
        if not isinstance(props, dict) or not isinstance(geom, dict):
            part = "properties" if not isinstance(props, dict) else "geometry"
            raise FileRefused(f"Le GeoJSON {name} est mal formé : « {part} » de l'objet n° {i} n'est pas un objet.")
        rec = dict(props)
        coords = geom.get("coordinates")
        if geom.get("type") == "Point" and isinstance(coords, list) and len(coords) >= 2:
            rec.setdefault("longitude", coords[0])
            rec.setdefault("latitude", coords[1])
        records.append(rec)
    return records


def _json_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        try:
            return json.dumps(value, ensure_ascii=False)
        except RecursionError:
            raise FileRefused("Une cellule du JSON est imbriquée trop profondément : exportez la "
                              "liste à plat.") from None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\x00", "")
