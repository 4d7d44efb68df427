"""Point lists such as the CPJ: one row per site (the official export has each centre in fr_FR and
en_GB), disciplines, olympic/paralympic, coordinates, and the commune that contains each site."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from geo.imports.site_places import COAST_KM, NEAR_KM, CommuneLocator, km_text
from geo.io.columns import Columns
from geo.resolve import RESOLVED, Resolver, clean_code, departement_of_hint
from geo.resolve.communes import candidates_list
from geo.resolve.normalize import fold, place_key
from geo.resolve.territories import by_code

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
    if text.lower() in ("nan", "null", "none", "n/a", "na", "-"):  # an empty cell as some exports write it
        return ""
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


def resolve_sites(df: pd.DataFrame, cols: Columns, store: Path | None = None,
                  site_word: str = "site") -> pd.DataFrame:
    """Name, disciplines, flags, coordinates and commune of each site, aligned on df's index. The file's own
    code decides when its commune name agrees; a point, a postcode and a town name are checked against it, and
    a site is never put in a commune other than the file's without a note (far apart: sent to review)."""
    resolver = Resolver(store, remembered=False)
    ix = resolver.ix
    n = len(df)
    lat, lon, point_notes = read_points(df, cols)
    locator = CommuneLocator.get(store) if (~np.isnan(lat)).any() else None
    by_point = locator.locate(lon, lat) if locator else [None] * n

    out = []
    for k, i in enumerate(df.index):
        row = {c: df.at[i, c] for c in df.columns}
        loc = location_fields(row.get(cols.adresse, "")) if cols.adresse else {}
        name = _text(row.get(cols.nom, "")) if cols.nom else ""
        olymp = parse_list(row.get(cols.olympique, "")) if cols.olympique else []
        para = parse_list(row.get(cols.paralympique, "")) if cols.paralympique else []
        plain = parse_list(row.get(cols.disciplines, "")) if cols.disciplines else []
        disciplines = list(dict.fromkeys(olymp + plain + para))
        has_para = bool(para) or any(is_paralympic(d) for d in plain)
        has_olymp = bool(olymp) or any(not is_paralympic(d) for d in plain)
        postcode = clean_code(row.get(cols.code_postal, "") if cols.code_postal else loc.get("code_postal", ""))
        city = _text(row.get(cols.ville, "") if cols.ville else "") or loc.get("ville", "")
        dep_hint = _text(row.get(cols.departement, "") if cols.departement else "") or loc.get("departement", "")
        code_cell = _cell(row.get(cols.code, "")) and _text(row.get(cols.code, "")) if cols.code else ""
        res = {"nom": name or city, "disciplines": disciplines, "olympique": has_olymp, "paralympique": has_para,
               "adresse": loc.get("adresse", ""), "code_postal": postcode, "ville": city,
               "lon": None, "lat": None, "commune": None, "departement": None, "statut": "introuvable",
               "candidats": "", "remarque": ""}
        notes = [point_notes[k]] if point_notes[k] else []
        point = _placed_point(locator, by_point[k], lat[k], lon[k], notes)
        if point is not None:
            res["lon"], res["lat"] = point.lon, point.lat
        file_code = _file_commune(ix, code_cell, notes) if code_cell else None
        if file_code:
            code, statut, candidats = _by_file_code(resolver, file_code, code_cell, city, dep_hint, point,
                                                    locator, notes)
        else:
            code, statut, candidats = _by_point_and_name(resolver, point, locator, postcode, city, dep_hint, notes)
        res["statut"], res["candidats"] = statut, candidats
        if code:
            res["commune"] = code
            res["departement"] = ix.communes[code][1]
        elif statut != "ambigu":
            notes.append(f"{site_word} sans commune : à vérifier")
        res["remarque"] = " ; ".join(dict.fromkeys(x for x in notes if x))
        out.append(res)
    return pd.DataFrame(out, index=df.index)


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip()


@dataclass(frozen=True)
class Point:
    """A usable point of the file, in the order it was finally read, and the commune it designates."""

    lon: float
    lat: float
    commune: str | None   # the commune holding it, or the nearest one within COAST_KM
    km: float = 0.0       # how far outside that commune's polygon (0 inside)


def _placed_point(locator: CommuneLocator | None, inside: str | None, lat: float, lon: float,
                  notes: list[str]) -> Point | None:
    """The file's point with the commune it falls in: inside a polygon, else the nearest commune within
    COAST_KM (a coast or a border the simplified contours cut), else read the other way round (latitude and
    longitude swapped); a point far from every commune is set aside with its distance."""
    if locator is None or np.isnan(lat):
        return None
    if inside:
        return Point(float(lon), float(lat), inside)
    near = locator.nearest(float(lon), float(lat))
    if near.code and near.km <= COAST_KM:
        notes.append(f"point à {km_text(near.km)} hors des contours simplifiés (côte ou frontière) : commune la "
                     f"plus proche, {near.code}")
        return Point(float(lon), float(lat), near.code, near.km)
    swapped = locator.locate(np.array([lat]), np.array([lon]))[0]
    if swapped:
        notes.append("latitude et longitude inversées dans le fichier")
        return Point(float(lat), float(lon), swapped)
    far = f", à {km_text(near.km)} de la commune la plus proche ({near.code})" if near.code else ""
    notes.append(f"coordonnées ({lat:.4f}, {lon:.4f}) hors de France{far} : ignorées")
    return None


def _file_commune(ix, code_cell: str, notes: list[str]) -> str | None:
    """The commune the file's code designates (INSEE code, old code, SIREN of the commune), or None with a
    note saying what the code is instead (an EPCI's SIREN, an unknown code)."""
    for cell in (code_cell, re.sub(r"[.,]0+$", "", code_cell), *_CODE_IN_TEXT.findall(code_cell)):
        found = by_code(ix, cell, "commune")  # « 62193 », « 62193,0 » (a spreadsheet's number), « Calais (62193) »
        if found is not None:
            return found.code
    other = by_code(ix, code_cell, None)
    if other is not None:
        notes.append(f"code {clean_code(code_cell)} : {other.nom_officiel}, pas une commune ; commune cherchée "
                     "par le point et la ville")
    else:
        notes.append(f"code « {code_cell[:20]} » inconnu")
    return None


def _by_file_code(resolver: Resolver, code: str, code_cell: str, city: str, dep_hint: str, point: Point | None,
                  locator: CommuneLocator | None, notes: list[str]) -> tuple[str | None, str, str]:
    """The file's code, checked against its town name (two places: review) and its point (in another
    commune nearby: a note with the distance; far: review with both candidates)."""
    ix = resolver.ix
    deps = departement_of_hint(dep_hint, ix) if dep_hint else []
    res = resolver.resolve(name=city, code=code, deps=deps, level="commune")  # the code as read (« 62193,0 »)
    if res.remarque:
        notes.append(res.remarque)
    if res.statut not in RESOLVED or res.code != code:
        return None, "ambigu", res.candidats or candidates_list(ix, [code])
    if point is None or point.commune in (None, code):
        return code, res.statut, ""
    km = locator.km_to(code, point.lon, point.lat) if locator else float("nan")
    other = ix.describe(point.commune)
    if km <= ON_THE_BORDER_KM:  # on the edge the two polygons share
        return code, res.statut, ""
    if km <= NEAR_KM:
        notes.append(f"point dans la commune voisine {other}, à {km_text(km)} de {ix.describe(code)} : "
                     "commune du code gardée")
        return code, res.statut, ""
    away = f"à {km_text(km)}" if km == km else "loin"
    notes.append(f"le point est {away} de la commune du code (dans {other}) : à vérifier")
    return None, "ambigu", candidates_list(ix, [code, point.commune])


def _by_point_and_name(resolver: Resolver, point: Point | None, locator: CommuneLocator | None, postcode: str,
                       city: str, dep_hint: str, notes: list[str]) -> tuple[str | None, str, str]:
    """Without a code: the point's commune, unless the town name given designates another one (nearby: the
    named one, with a note; far: review with both); without a point, the postcode and the town name. A town
    name or a postcode that the point contradicts is never passed over in silence."""
    ix = resolver.ix
    named, statut, note = _by_address(resolver, postcode, city, dep_hint) if (city or postcode) else \
        (None, "introuvable", "")
    if point is None:
        if note:
            notes.append(note)
        return named, statut, ""
    here = point.commune
    if named == here or not (city or postcode):
        return here, "exact", ""
    if named is None and statut == "ambigu":  # a name or postcode several communes bear: the point chooses
        options = _CODE_IN_TEXT.findall(note) if city else ix.postcodes.get(postcode.zfill(5), [])
        if here in options:
            given = f"ville « {city} »" if city else f"code postal {postcode}"
            notes.append(f"{given} de plusieurs communes : celle du point, {ix.describe(here)}")
            return here, "normalise", ""
        given = f"« {city} »" if city else f"du code postal {postcode}"
        notes.append(f"le point est dans {ix.describe(here)}, qui n'est aucune des communes {given} : à vérifier")
        return None, "ambigu", candidates_list(ix, [here, *options[:6]])
    if named is None:
        given = f"ville « {city} »" if city else f"code postal {postcode}"
        notes.append(f"{given} non reconnu(e) : commune du point, {ix.describe(here)}")
        return here, "normalise", ""
    if not city:  # a postcode alone: it may cover several communes, the point's among them
        if here in ix.postcodes.get(postcode, []):
            return here, "exact", ""
        notes.append(f"le code postal {postcode} n'est pas celui de {ix.describe(here)}, commune du point : "
                     "commune du point gardée")
        return here, "normalise", ""
    km = locator.km_to(named, point.lon, point.lat) if locator else float("nan")
    if km <= NEAR_KM and statut in ("exact", "normalise"):
        notes.append(f"point dans la commune voisine {ix.describe(here)}, à {km_text(km)} de "
                     f"{ix.describe(named)} nommée par le fichier : commune nommée gardée")
        return named, statut, ""
    away = f"à {km_text(km)}" if km == km else "loin"
    notes.append(f"le point est dans {ix.describe(here)}, {away} de la commune nommée « {city} » : à vérifier")
    return None, "ambigu", candidates_list(ix, [here, named])


_CODE_IN_TEXT = re.compile(r"\b(\d[\dAB]\d{3})\b")
ON_THE_BORDER_KM = 0.05  # a point this close to the file's commune is on its edge: no note


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
