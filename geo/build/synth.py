"""SYNTHETIC label lists in the official shapes, at full scale, with the messiness of real files.

For tests and benchmarks only: every list comes with its ground truth, every label it suggests is
suffixed « (synthétique) », and nothing here is loaded into a store by default.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import unicodedata
from pathlib import Path

import pandas as pd
import shapely

from geo.store import reader

SYNTH_SUFFIX = " (synthétique)"
TDJ_LABEL = "Terre de Jeux 2024" + SYNTH_SUFFIX
CPJ_LABEL = "Centre de préparation aux Jeux" + SYNTH_SUFFIX

OLYMPIC = ["athlétisme", "aviron", "badminton", "basketball", "boxe", "canoë-kayak", "cyclisme sur piste", "BMX",
           "escrime", "football", "golf", "gymnastique artistique", "gymnastique rythmique", "haltérophilie",
           "handball", "hockey sur gazon", "judo", "lutte", "natation", "pentathlon moderne", "rugby à 7",
           "skateboard", "taekwondo", "tennis", "tennis de table", "tir à l'arc", "triathlon", "voile",
           "volley-ball", "water-polo", "escalade", "breaking", "surf", "plongeon", "équitation"]
PARALYMPIC = ["para athlétisme", "para natation", "basket fauteuil", "boccia", "goalball", "cécifoot",
              "para judo", "para tennis de table", "para badminton", "para cyclisme", "para aviron",
              "rugby fauteuil", "escrime fauteuil", "para taekwondo", "para tir à l'arc", "volley assis"]
FACILITIES = ["Gymnase municipal", "Complexe sportif", "Stade", "Centre aquatique", "Base nautique", "Dojo",
              "Palais des sports", "Halle des sports", "Vélodrome", "Centre sportif départemental", "Salle omnisports"]
NAMED_AFTER = ["", "Jean Moulin", "Pierre de Coubertin", "Alain Mimoun", "Marie-José Pérec", "des Lilas", "du Parc"]
SPORTS_BODIES = ["Fédération française de {s}", "Ligue régionale de {s}", "Comité départemental de {s}"]
COUNTRIES = ["Japon", "Canada", "Brésil", "Kenya", "Norvège", "Australie", "Sénégal", "Corée", "Italie",
             "Maroc", "Mexique", "Nouvelle-Zélande", "Jamaïque", "Suède", "Argentine", "Inde", "Tunisie",
             "Grèce", "Portugal", "Chili"]


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _mess_name(name: str, rng: random.Random) -> str:
    """Spellings officers actually type."""
    r = rng.random()
    if r < 0.10:
        return name.upper()
    if r < 0.20:
        return _strip_accents(name)
    if r < 0.30 and name.startswith(("Saint-", "Sainte-")):
        return name.replace("Sainte-", "Ste-", 1).replace("Saint-", "St-", 1)
    if r < 0.35:
        for art in ("Le ", "La ", "Les "):
            if name.startswith(art):
                return f"{name[len(art):]} ({art.strip()})"
    if r < 0.40:
        return "Ville de " + name if not name.startswith(("L'", "Le ", "La ", "Les ")) else name
    if r < 0.50:
        return name.replace("-", " ")
    return name


def _typo(name: str, rng: random.Random) -> str:
    if len(name) < 7:
        return name
    i = rng.randrange(2, len(name) - 2)
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]


def _communes(store: Path | None) -> pd.DataFrame:
    return reader(store).execute(
        "SELECT c.code, c.nom, c.departement, c.region, c.population, d.nom AS dep_nom, c.codes_postaux "
        "FROM communes c JOIN departements d ON d.code = c.departement ORDER BY c.code").df()


def terre_de_jeux(seed: int = 2024, rows: int = 4500, store: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A national Terre de Jeux list (communes, EPCI, départements, régions, bodies) and its truth."""
    rng = random.Random(seed)
    con = reader(store)
    communes = _communes(store)
    homonyms = communes[communes.duplicated("nom", keep=False)]
    epci = con.execute("SELECT siren, nom, departement FROM epci ORDER BY siren").df()
    deps = con.execute("SELECT code, nom, region FROM departements ORDER BY code").df()
    regs = con.execute("SELECT code, nom FROM regions ORDER BY code").df()
    n_bodies, n_reg, n_dep, n_epci = 218, 12, 90, 480
    n_com = rows - n_bodies - n_reg - n_dep - n_epci
    n_hom = n_com // 8
    picked = pd.concat([homonyms.sample(n_hom, random_state=seed),
                        communes.drop(homonyms.index).sample(n_com - n_hom, random_state=seed)])
    records, truth = [], []
    types_com = ["Commune", "commune", "Ville", "COMMUNE"]

    def date() -> str:
        day = pd.Timestamp("2019-11-20") + pd.Timedelta(days=rng.randrange(0, 1500))
        return rng.choice([day.strftime("%Y-%m-%d"), day.strftime("%d/%m/%Y"), ""])

    def dep_cell(code: str, name: str) -> str:
        r = rng.random()
        return code if r < 0.6 else name if r < 0.9 else ""

    for c in picked.itertuples():
        has_code = rng.random() < 0.85
        code = c.code
        if has_code and code[:2].isdigit() and code.startswith("0") and rng.random() < 0.5:
            code = code.lstrip("0")
        name = _mess_name(c.nom, rng)
        if not has_code and rng.random() < 0.05:
            name = _typo(name, rng)
        dcell = dep_cell(c.departement, c.dep_nom)
        records.append({"nom_collectivite": name, "type_collectivite": rng.choice(types_com),
                        "code_insee": code if has_code else "", "departement": dcell, "date_labellisation": date()})
        truth.append({"niveau": "commune", "code": c.code, "homonyme": c.nom in set(homonyms["nom"]),
                      "avec_code": has_code, "avec_departement": bool(dcell)})
    for e in epci.sample(n_epci, random_state=seed).itertuples():
        has_code = rng.random() < 0.8
        name = e.nom
        if rng.random() < 0.4:
            name = (name.replace("CA ", "Communauté d'agglomération ", 1).replace("CC ", "Communauté de communes ", 1)
                    .replace("CU ", "Communauté urbaine ", 1))
        records.append({"nom_collectivite": _strip_accents(name) if rng.random() < 0.2 else name,
                        "type_collectivite": rng.choice(["Intercommunalité", "EPCI", "Communauté"]),
                        "code_insee": e.siren if has_code else "", "departement": e.departement or "",
                        "date_labellisation": date()})
        truth.append({"niveau": "epci", "code": e.siren, "homonyme": False, "avec_code": has_code,
                      "avec_departement": True})
    for d in deps.sample(n_dep, random_state=seed).itertuples():
        name = rng.choice([d.nom, f"Département du {d.nom}", f"Conseil départemental {d.nom}"])
        records.append({"nom_collectivite": name, "type_collectivite": "Département",
                        "code_insee": d.code if rng.random() < 0.7 else "", "departement": d.code,
                        "date_labellisation": date()})
        truth.append({"niveau": "departement", "code": d.code, "homonyme": False, "avec_code": True,
                      "avec_departement": True})
    for r in regs.sample(n_reg, random_state=seed).itertuples():
        records.append({"nom_collectivite": rng.choice([r.nom, f"Région {r.nom}"]), "type_collectivite": "Région",
                        "code_insee": "", "departement": "", "date_labellisation": date()})
        truth.append({"niveau": "region", "code": r.code, "homonyme": False, "avec_code": False,
                      "avec_departement": False})
    for k in range(n_bodies):
        kind = k % 4
        if kind == 0:
            name, typ = rng.choice(SPORTS_BODIES).format(s=rng.choice(OLYMPIC)), "Mouvement sportif"
        elif kind == 1:
            name, typ = f"CDOS {rng.choice(deps['nom'].tolist())}", "Mouvement sportif"
        elif kind == 2:
            name, typ = f"Ambassade {rng.choice(['du', 'de la', 'de'])} {rng.choice(COUNTRIES)}", "Ambassade"
        else:
            name, typ = f"Fédération française de {rng.choice(PARALYMPIC)}", ""
        records.append({"nom_collectivite": name, "type_collectivite": typ, "code_insee": "", "departement": "",
                        "date_labellisation": date()})
        truth.append({"niveau": "hors_territoire", "code": None, "homonyme": False, "avec_code": False,
                      "avec_departement": False})
    order = list(range(len(records)))
    rng.shuffle(order)
    df = pd.DataFrame([records[i] for i in order])
    tr = pd.DataFrame([truth[i] for i in order])
    dup = rng.sample(range(len(df)), len(df) // 100)  # 1 % of rows typed twice
    df = pd.concat([df, df.iloc[dup]], ignore_index=True)
    tr = pd.concat([tr, tr.iloc[dup]], ignore_index=True)
    df.insert(0, "id", [f"SYN-TDJ-{i:05d}" for i in range(1, len(df) + 1)])
    return df, tr


def _point_in(geom, rng: random.Random) -> tuple[float, float]:
    minx, miny, maxx, maxy = geom.bounds
    for _ in range(30):
        p = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if geom.contains(p):
            return p.y, p.x
    p = geom.representative_point()
    return p.y, p.x


def cpj(seed: int = 2024, centres: int = 1500, store: Path | None = None,
        showcase: dict[str, int] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """CPJ sites, each in fr_FR and en_GB as the official export has them, and their truth."""
    rng = random.Random(seed)
    showcase = showcase if showcase is not None else {"94": 30, "62": 25}
    communes = _communes(store)
    chosen = [communes[communes["departement"] == d].sample(n, random_state=seed, replace=True)
              for d, n in showcase.items()]
    rest = centres - sum(showcase.values())
    weights = communes["population"].fillna(0) + 500
    chosen.append(communes.sample(rest, random_state=seed, weights=weights, replace=True))
    picked = pd.concat(chosen, ignore_index=True)
    geoms = dict(reader(store).execute(
        "SELECT code, geom FROM communes WHERE code IN (SELECT unnest(?))", [picked["code"].unique().tolist()]
    ).fetchall())
    records, truth = [], []
    for k, c in enumerate(picked.itertuples(), start=1):
        olymp = rng.sample(OLYMPIC, rng.choice([1, 1, 2, 3]))
        para = rng.sample(PARALYMPIC, rng.choice([0, 0, 1, 2]))
        title = f"{rng.choice(FACILITIES)} {rng.choice(NAMED_AFTER)}".strip()
        geom = geoms.get(c.code)
        lat, lon = _point_in(shapely.from_wkb(bytes(geom)), rng) if geom is not None else (None, None)
        r = rng.random()
        point = f"{lat:.6f}, {lon:.6f}" if lat is not None else ""
        expect = c.code
        if r < 0.05:
            point = ""                                   # address only
        elif r < 0.07 and lat is not None:
            point = f"{lon:.6f}, {lat:.6f}"              # swapped
        elif r < 0.08:
            point = f"{rng.uniform(-60, -40):.5f}, {rng.uniform(100, 140):.5f}"  # nowhere near France
        postcodes = list(c.codes_postaux) if c.codes_postaux is not None else []
        postcode = postcodes[0] if postcodes else ""
        location = {"name": f"{rng.randrange(1, 120)} rue du Stade", "postcode": postcode, "city": c.nom,
                    "county": c.dep_nom, "administrative": "", "country": "France"}
        if r >= 0.97:  # no coordinates, no usable address: a CPJ without a commune
            point, location = "", {"name": "", "postcode": "", "city": "", "county": "", "country": "France"}
            expect = None
        for lang in ("fr_FR", "en_GB"):
            records.append({
                "id": f"SYN-CPJ-{k:05d}", "lang": lang, "title": title, "subtitle": c.nom,
                "description": "Centre synthétique pour tests" if lang == "fr_FR" else "Synthetic centre for tests",
                "disciplines_olympiques": ";".join(olymp), "disciplines_paralympiques": ";".join(para),
                "geo_point_2d": point, "location": json.dumps(location, ensure_ascii=False),
            })
        truth.append({"id": f"SYN-CPJ-{k:05d}", "commune": expect, "paralympique": bool(para)})
    return pd.DataFrame(records), pd.DataFrame(truth)


def write_csv(df: pd.DataFrame, path: Path, encoding: str = "utf-8", sep: str = ";") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, sep=sep, encoding=encoding, errors="replace")
    return path


SITES_LABEL = "Espaces labellisés" + SYNTH_SUFFIX
SITE_NAMES = ["France services de {c}", "Maison sport-santé de {c}", "Stade municipal de {c}", "Espace {c}",
              "Gymnase Jean Moulin", "Complexe sportif du Parc", "Centre aquatique intercommunal", "Médiathèque"]
DATE_FORMS = ["Espace labellisé {d:%d/%m/%Y}", "Espace labellisé le {d:%d/%m/%Y}", "{d:%d/%m/%Y}",
              "Labellisé le {day} {month} {d:%Y}"]
_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"]


def _outward(geom, rng: random.Random, km: float) -> tuple[float, float]:
    """A point `km` outside a commune's contour, pushed from a point of its boundary away from its centre."""
    boundary = geom.boundary
    edge = boundary.interpolate(rng.random(), normalized=True)
    centre = geom.representative_point()
    dx, dy = edge.x - centre.x, edge.y - centre.y
    norm = max((dx * dx + dy * dy) ** 0.5, 1e-9)
    kx = 111.195 * max(abs(math.cos(math.radians(edge.y))), 0.05)
    return edge.y + dy / norm * km / 111.195, edge.x + dx / norm * km / kx


def labelled_sites(seed: int = 2026, sites: int = 3000, store: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A national list of labelled sites as a programme publishes it (facility, address, postcode, commune,
    INSEE code, latitude and longitude with a decimal comma, « Espace labellisé 01/02/2020 »), and its truth:
    `commune` (the right one), `cas` (interieur, frontiere, loin, sans_point, code_faux: the code of another commune,
    the name and the point right), `date` (or None).
    Points near a border or a coast are pushed 0.3 to 1.5 km outside their commune's contour."""
    rng = random.Random(seed)
    communes = _communes(store)
    with_polygon = {r[0] for r in reader(store).execute("SELECT code FROM communes WHERE geom IS NOT NULL").fetchall()}
    communes = communes[communes["code"].isin(with_polygon)]
    weights = communes["population"].fillna(0) + 2000
    picked = communes.sample(sites, random_state=seed, weights=weights, replace=True).reset_index(drop=True)
    geoms = dict(reader(store).execute(
        "SELECT code, geom FROM communes WHERE code IN (SELECT unnest(?))", [picked["code"].unique().tolist()]
    ).fetchall())
    records, truth = [], []
    for k, c in enumerate(picked.itertuples(), start=1):
        geom = shapely.from_wkb(bytes(geoms[c.code]))
        r = rng.random()
        case = "interieur"
        lat, lon = _point_in(geom, rng)
        if r < 0.02:
            case, (lat, lon) = "frontiere", _outward(geom, rng, rng.uniform(0.3, 1.0))
        elif r < 0.03:
            case, (lat, lon) = "loin", (lat + rng.choice([-1, 1]) * 0.6, lon)  # about 65 km off
        elif r < 0.06:
            case, lat, lon = "sans_point", None, None
        elif r < 0.065:
            case = "code_faux"  # the code of another commune; the name and the point say the right one
        day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(0, 6 * 365))
        form = rng.choice(DATE_FORMS)
        written = "" if rng.random() < 0.03 else form.format(d=day, day=day.day if day.day > 1 else "1er",
                                                              month=_MONTHS[day.month - 1])
        postcodes = list(c.codes_postaux) if c.codes_postaux is not None else []
        name = f"{rng.choice(SITE_NAMES).format(c=c.nom)} – n° {k}"  # distinct sites, even in one commune
        records.append({
            "Nom de l'espace": name, "Adresse": f"{rng.randrange(1, 120)} rue de la Mairie",
            "Code postal": postcodes[0] if postcodes else "", "Commune": c.nom,
            "Code INSEE": communes["code"].iloc[rng.randrange(len(communes))] if case == "code_faux" else c.code,
            "Latitude": "" if lat is None else f"{lat:.6f}".replace(".", ","),
            "Longitude": "" if lon is None else f"{lon:.6f}".replace(".", ","), "Label": written})
        truth.append({"ligne": k, "nom": name, "commune": c.code, "cas": case, "date": day if written else None})
    return pd.DataFrame(records), pd.DataFrame(truth)
