"""Point lists such as the CPJ: one row per site (the official export has each centre in fr_FR and
en_GB), disciplines, olympic/paralympic, coordinates, and the commune that contains each site."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz, process

from geo.io.columns import Columns
from geo.resolve import Resolver, clean_code, departement_of_hint
from geo.resolve.normalize import fold, place_key
from geo.store import reader
from geo.store.identity import GeometryCache

_SPLIT = re.compile(r"\s*[;,|/]\s*")
PARA_WORDS = ("para", "handi", "boccia", "goalball", "cecifoot", "foot a 5", "torball")


def parse_list(value: str) -> list[str]:
    text = str(value or "").strip()
    if not text:
        return []
    if text.startswith("["):
        try:
            items = json.loads(text)
            return [str(x).strip() for x in items if str(x).strip()]
        except json.JSONDecodeError:
            pass
    return [part for part in _SPLIT.split(text) if part]


def is_paralympic(discipline: str) -> bool:
    key = fold(discipline)
    return any(key.startswith(w) or f" {w}" in f" {key}" for w in PARA_WORDS)


def parse_point(value: str) -> tuple[float, float] | None:
    """(lat, lon) from "50.95, 1.85", '{"lat": .., "lon": ..}' or "[50.95, 1.85]"."""
    text = str(value or "").strip()
    if not text:
        return None
    if text.startswith("{"):
        try:
            obj = json.loads(text)
            lat = obj.get("lat", obj.get("latitude"))
            lon = obj.get("lon", obj.get("lng", obj.get("longitude")))
            return (float(lat), float(lon)) if lat is not None and lon is not None else None
        except (json.JSONDecodeError, TypeError, ValueError, AttributeError):
            return None
    numbers = re.findall(r"-?\d+(?:[.,]\d+)?(?:[eE][-+]?\d+)?", text.replace(", ", " ; "))
    if len(numbers) >= 2:
        try:
            return float(numbers[0].replace(",", ".")), float(numbers[1].replace(",", "."))
        except ValueError:
            return None
    return None


def _float(value: str) -> float | None:
    try:
        return float(str(value).replace(",", ".").strip())
    except ValueError:
        return None


BOUNDS = {"latitude": 90.0, "longitude": 180.0}


def short(value: float) -> str:
    """A number as a note writes it: six significant digits at most (1e+308, not 309 digits)."""
    return f"{value:.6g}"


def _cell(value) -> str:
    """A cell's text, empty for a missing value, cut to 20 characters for a note."""
    text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip()
    return text if len(text) <= 20 else text[:19] + "…"


def coordinate_problem(name: str, value: float | None, written="") -> str:
    """Why one coordinate cannot be used (missing, unreadable, not finite, out of range), or ""."""
    if value is None:
        text = _cell(written)
        return f"{name} « {text} » illisible" if text else f"{name} absente"
    bound = BOUNDS[name]
    if not np.isfinite(value) or abs(value) > bound:
        return f"{name} {short(value)} impossible (entre -{bound:.0f} et {bound:.0f})"
    return ""


def checked_point(lat: float | None, lon: float | None, written=("", "")) -> tuple[float, float, str]:
    """(lat, lon, "") for usable coordinates, else (nan, nan, a note saying which one is wrong and why)."""
    problems = [p for p in (coordinate_problem("latitude", lat, written[0]),
                            coordinate_problem("longitude", lon, written[1])) if p]
    if problems:
        return np.nan, np.nan, ", ".join(problems) + " : coordonnées ignorées"
    return float(lat), float(lon), ""


def location_fields(value: str) -> dict:
    """The Opendatasoft CPJ `location` object: name, postcode, city, county, administrative, country."""
    text = str(value or "").strip()
    if not text.startswith("{"):
        return {"adresse": text} if text else {}
    try:
        obj = json.loads(text)
    except json.JSONDecodeError:
        return {"adresse": text}
    return {"adresse": obj.get("name") or "", "code_postal": str(obj.get("postcode") or ""),
            "ville": obj.get("city") or "", "departement": obj.get("county") or obj.get("administrative") or ""}


class CommuneLocator:
    """Point in polygon over the communes' full geometry, built once per store version."""

    def __init__(self, store: Path | None):
        rows = reader(store).execute("SELECT code, geom FROM communes WHERE geom IS NOT NULL").fetchall()
        self.codes = np.array([r[0] for r in rows])
        self.tree = shapely.STRtree([shapely.from_wkb(bytes(r[1])) for r in rows])

    @classmethod
    def get(cls, store: Path | None) -> CommuneLocator:
        return _locators.get(store, (), lambda: cls(store))

    def locate(self, lons: np.ndarray, lats: np.ndarray) -> list[str | None]:
        points = shapely.points(lons, lats)
        found: list[str | None] = [None] * len(points)
        valid = ~(np.isnan(lons) | np.isnan(lats))
        if valid.any():
            idx = np.flatnonzero(valid)
            pairs = self.tree.query(points[idx], predicate="intersects")
            for p, g in zip(pairs[0], pairs[1], strict=True):
                found[idx[p]] = found[idx[p]] or str(self.codes[g])
        return found


_locators = GeometryCache(size=2)


def dedupe_languages(df: pd.DataFrame, cols: Columns) -> tuple[pd.DataFrame, int]:
    """Keep one row per centre: the French one when both languages are there."""
    if not cols.lang:
        return df, 0
    key = df[cols.identifiant] if cols.identifiant else df[cols.nom] if cols.nom else None
    if key is None:
        return df, 0
    french = df[cols.lang].str.lower().str.startswith("fr")
    order = (~french).astype(int)  # French first
    ranked = df.assign(_k=key.str.strip(), _o=order).sort_values(["_k", "_o"], kind="stable")
    kept = ranked.drop_duplicates("_k").drop(columns=["_k", "_o"]).sort_index()
    return kept, len(df) - len(kept)


def read_points(df: pd.DataFrame, cols: Columns) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Latitudes, longitudes (nan where unusable) and a note per row whose coordinates are given but unusable."""
    n = len(df)
    lat, lon, notes = np.full(n, np.nan), np.full(n, np.nan), [""] * n
    for k, i in enumerate(df.index):
        if cols.latitude and cols.longitude:
            written = (df.at[i, cols.latitude], df.at[i, cols.longitude])
            if not any(_cell(w) for w in written):
                continue
            la, lo = (_float(w) if _cell(w) else None for w in written)
            lat[k], lon[k], notes[k] = checked_point(la, lo, written)
        elif cols.coordonnees:
            pt = parse_point(df.at[i, cols.coordonnees])
            if pt:
                lat[k], lon[k], notes[k] = checked_point(*pt)
    return lat, lon, notes


def resolve_sites(df: pd.DataFrame, cols: Columns, store: Path | None = None) -> pd.DataFrame:
    """Name, disciplines, flags, coordinates and commune of each site, aligned on df's index."""
    resolver = Resolver(store)
    ix = resolver.ix
    n = len(df)
    lat, lon, point_notes = read_points(df, cols)
    locator = CommuneLocator.get(store) if (~np.isnan(lat)).any() else None
    by_point = locator.locate(lon, lat) if locator else [None] * n
    swapped = locator.locate(lat, lon) if locator else [None] * n

    out = []
    for k, i in enumerate(df.index):
        row = {c: df.at[i, c] for c in df.columns}
        loc = location_fields(row.get(cols.adresse, "")) if cols.adresse else {}
        name = str(row.get(cols.nom, "") or "").strip() if cols.nom else ""
        olymp = parse_list(row.get(cols.olympique, "")) if cols.olympique else []
        para = parse_list(row.get(cols.paralympique, "")) if cols.paralympique else []
        plain = parse_list(row.get(cols.disciplines, "")) if cols.disciplines else []
        disciplines = list(dict.fromkeys(olymp + plain + para))
        has_para = bool(para) or any(is_paralympic(d) for d in plain)
        has_olymp = bool(olymp) or any(not is_paralympic(d) for d in plain)
        postcode = clean_code(row.get(cols.code_postal, "") if cols.code_postal else loc.get("code_postal", ""))
        city = (row.get(cols.ville, "") if cols.ville else "") or loc.get("ville", "")
        dep_hint = (row.get(cols.departement, "") if cols.departement else "") or loc.get("departement", "")
        res = {"nom": name, "disciplines": disciplines, "olympique": has_olymp, "paralympique": has_para,
               "adresse": loc.get("adresse", ""), "code_postal": postcode, "ville": city,
               "lon": None, "lat": None, "commune": None, "departement": None, "statut": "introuvable",
               "remarque": ""}
        notes = [point_notes[k]] if point_notes[k] else []
        code = None
        if not np.isnan(lat[k]):
            if by_point[k]:
                code, res["lat"], res["lon"] = by_point[k], float(lat[k]), float(lon[k])
                res["statut"] = "exact"
            elif swapped[k]:
                code, res["lat"], res["lon"] = swapped[k], float(lon[k]), float(lat[k])
                res["statut"] = "normalise"
                notes.append("latitude et longitude inversées dans le fichier")
            else:
                notes.append(f"coordonnées ({lat[k]:.4f}, {lon[k]:.4f}) hors de France : ignorées")
        if code is None:
            code, statut, note = _by_address(resolver, postcode, city, dep_hint)
            res["statut"] = statut
            if note:
                notes.append(note)
        if code:
            res["commune"] = code
            res["departement"] = ix.communes[code][1]
        else:
            notes.append("CPJ sans commune : à vérifier")
        res["remarque"] = " ; ".join(notes)
        out.append(res)
    return pd.DataFrame(out, index=df.index)


def _by_address(resolver: Resolver, postcode: str, city: str, dep_hint: str) -> tuple[str | None, str, str]:
    ix = resolver.ix
    if postcode.isdigit() and len(postcode) == 4:
        postcode = postcode.zfill(5)
    in_cp = ix.postcodes.get(postcode, []) if postcode else []
    if city:
        key = place_key(city)
        if in_cp:
            same = [c for c in in_cp if place_key(ix.communes[c][0]) == key]
            if len(same) == 1:
                return same[0], "normalise", "commune trouvée par code postal et ville"
            choices = {c: place_key(ix.communes[c][0]) for c in in_cp}
            hit = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=85)
            if hit:
                return hit[2], "approx", f"ville approchante dans le code postal {postcode} ({hit[1]:.0f})"
        deps = departement_of_hint(dep_hint, ix) if dep_hint else []
        if not deps and in_cp:
            deps = sorted({ix.communes[c][1] for c in in_cp})
        res = resolver.commune_by_name(city, deps, fuzzy=bool(deps))
        if res.code:
            return res.code, res.statut, "commune trouvée par le nom de la ville"
        if res.statut == "ambigu":
            return None, "ambigu", f"ville ambiguë : {res.candidats}"
    if len(in_cp) == 1:
        return in_cp[0], "normalise", "commune trouvée par le code postal"
    if len(in_cp) > 1:
        return None, "ambigu", f"code postal {postcode} partagé par {len(in_cp)} communes"
    return None, "introuvable", ""
