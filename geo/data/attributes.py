"""Any column of an imported list as a map: the list's extra columns (kept with each row in `entites.attributs`),
joined to the communes of a territory through the row's resolved code. A commune takes its own row's value,
else its EPT's, its EPCI's, its département's, its région's. Categories get a colour-blind-safe palette,
numbers get classes (quantiles with mapclassify, or Fisher-Jenks natural breaks); every legend line counts
its communes."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo import fr
from geo.errors import InputRefused
from geo.store import reader

NO_VALUE = "#ffffff"
# Okabe-Ito (readable by colour-blind people), then two greys; an 11th category joins « autres valeurs »
CATEGORY_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
                   "#999999", "#666666"]
OTHER = "autres valeurs"
NUMBER_COLORS = {3: ["#deebf7", "#9ecae1", "#3182bd"], 4: ["#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"],
                 5: ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]}
METHODS = {"quantiles": "quantiles (autant de valeurs distinctes par classe)",
           "seuils_naturels": "seuils naturels (Jenks)"}
ROUTES = ["commune", "ept", "epci", "departement", "region"]
ROUTE_WORDS = {"ept": "par leur EPT", "epci": "par leur EPCI", "departement": "par leur département",
               "region": "par leur région"}
_NUMBER = re.compile(r"^[+-]?\d{1,3}(?:[ \u00a0\u202f]?\d{3})*(?:[.,]\d+)?$|^[+-]?\d+(?:[.,]\d+)?$")


@dataclass(frozen=True)
class Column:
    """One column of one active import: what the officer picks."""

    import_id: int
    fichier: str
    label: str
    nom: str

    @property
    def key(self) -> str:
        """How the choice travels in a link: « 12:Nouvelles pratiques »."""
        return f"{self.import_id}:{self.nom}"

    def title(self) -> str:
        return f"{self.nom} — {self.fichier} (n° {self.import_id}, {self.label})"


def columns(store: Path | None = None) -> list[Column]:
    """The extra columns of every active list of territories: those not read as the name or the code."""
    con = reader(store)
    rows = con.execute("SELECT i.id, i.fichier, l.nom, i.options FROM imports i JOIN labels l ON l.id = i.label_id "
                       "WHERE i.retire_le IS NULL AND i.genre = 'entites' ORDER BY i.id").fetchall()
    out = []
    for import_id, fichier, label, options in rows:
        roles = (json.loads(options or "{}").get("colonnes") or {})
        skip = {roles.get("nom"), roles.get("code")}
        keys: dict[str, None] = {}
        for (attributs,) in con.execute("SELECT attributs FROM entites WHERE import_id = ? ORDER BY ligne",
                                        [import_id]).fetchall():
            keys.update(dict.fromkeys(json.loads(attributs or "{}")))
        out += [Column(int(import_id), fichier, label, k) for k in keys if k not in skip]
    return out


def find(key: str, store: Path | None = None) -> Column | None:
    """The column a link names (« 12:Nouvelles pratiques »), None when it is not (or no longer) there."""
    return next((c for c in columns(store) if c.key == key), None)


def rows(column: Column, store: Path | None = None) -> pd.DataFrame:
    """The list's resolved rows with the column's value as the file gave it (text)."""
    df = reader(store).execute(
        "SELECT e.niveau, e.code, e.nom_officiel, e.nom_brut, e.departement, e.ligne, e.attributs FROM entites e "
        "WHERE e.import_id = ? AND e.code IS NOT NULL AND e.statut IN ('exact', 'normalise', 'approx') "
        "ORDER BY e.ligne", [column.import_id]).df()
    df["valeur"] = [_cell(json.loads(a or "{}").get(column.nom)) for a in df["attributs"]]
    return df.drop(columns="attributs").drop_duplicates(["niveau", "code"], keep="first").reset_index(drop=True)


def _cell(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def to_number(value: str | None) -> float | None:
    """« 12 500,5 » → 12500.5; None for anything that is not a plain number."""
    if not isinstance(value, str) or not _NUMBER.match(value.strip()):
        return None
    return float(re.sub(r"[ \u00a0\u202f]", "", value.strip()).replace(",", "."))


def is_numeric(values: Iterable[str | None]) -> bool:
    """A column of numbers: every non-empty value reads as one (and there are at least three)."""
    given = [v for v in values if v is not None]
    return len(given) >= 3 and all(to_number(v) is not None for v in given)


def commune_values(column: Column, communes: pd.DataFrame, store: Path | None = None) -> pd.DataFrame:
    """For communes (code, epci, ept, departement, region): the value each takes and by which route, the
    closest first (the commune's own row, then its EPT, EPCI, département, région)."""
    values = rows(column, store)
    by_level = {lvl: dict(zip(g["code"], g["valeur"], strict=True)) for lvl, g in values.groupby("niveau")}
    keys = {"commune": "code", "ept": "ept", "epci": "epci", "departement": "departement", "region": "region"}
    out_value, out_route = [], []
    for rec in communes[list(keys.values())].itertuples(index=False):
        found = None, None
        for level, value_of in zip(ROUTES, rec, strict=False):
            table = by_level.get(level, {})
            if value_of is not None and value_of == value_of and value_of in table and table[value_of] is not None:
                found = table[value_of], level
                break
        out_value.append(found[0])
        out_route.append(found[1])
    return pd.DataFrame({"code": communes["code"].to_numpy(), "valeur": out_value, "via": out_route})


@dataclass
class Painting:
    """Each commune's colour and the legend (colour, text) whose lines count the communes they paint."""

    colors: pd.Series            # by commune code
    classes: pd.Series           # the legend text of each commune's class
    legend: list[tuple[str, str]]
    numeric: bool
    note: str                    # how values reached communes (their EPCI…), said under the legend


def paint(values: pd.DataFrame, method: str = "quantiles", k: int = 5) -> Painting:
    """Colours for the communes of `commune_values`: categories or numeric classes."""
    given = values["valeur"]
    numeric = is_numeric(given.dropna().unique()) if given.notna().any() else False
    if numeric:
        painting = _numbers(values, method, k)
    else:
        painting = _categories(values)
    routes = values["via"].value_counts()
    parts = [f"{_n(routes[r])} {ROUTE_WORDS[r]}" for r in ROUTES[1:] if routes.get(r, 0)]
    if parts:
        painting.note = ("Communes coloriées par la valeur de la liste : dont " + ", ".join(parts) +
                         " (la valeur de l'EPCI s'applique à toutes ses communes).")
    return painting


def _n(count: int) -> str:
    return fr.number(count) + (" commune" if count == 1 else " communes")


def _categories(values: pd.DataFrame) -> Painting:
    counts = values["valeur"].dropna().value_counts()
    order = sorted(counts.index, key=lambda v: (-counts[v], _fold(v)))
    kept = order[:len(CATEGORY_COLORS)] if len(order) <= len(CATEGORY_COLORS) else order[:len(CATEGORY_COLORS) - 1]
    color_of = {v: CATEGORY_COLORS[i] for i, v in enumerate(kept)}
    classes = values["valeur"].map(lambda v: None if v is None else v if v in color_of else OTHER)
    colors = classes.map(lambda c: NO_VALUE if c is None else color_of.get(c, "#bbbbbb"))
    legend = [(color_of[v], f"{v} — {_n(counts[v])}") for v in kept]
    rest = int(counts[[v for v in order if v not in color_of]].sum())
    if rest:
        legend.append(("#bbbbbb", f"{OTHER} ({len(order) - len(kept)}) — {_n(rest)}"))
    empty = int(values["valeur"].isna().sum())
    if empty:
        legend.append((NO_VALUE, f"sans valeur — {_n(empty)}"))
    return Painting(pd.Series(colors.to_numpy(), index=values["code"]),
                    pd.Series(classes.fillna("sans valeur").to_numpy(), index=values["code"]), legend, False, "")


def _fold(value: str) -> str:
    from geo.fr import fold

    return fold(value)


def _numbers(values: pd.DataFrame, method: str, k: int) -> Painting:
    if method not in METHODS:
        raise InputRefused(f"Méthode de classes inconnue : {method} (quantiles ou seuils_naturels).")
    numbers = values["valeur"].map(to_number)
    # classes of the distinct values: an EPCI's answer painted on its 50 communes is one answer, not 50
    given = pd.Series(sorted(numbers.dropna().unique()), dtype=float)
    k = max(1, min(k, len(given), 5))
    if k >= 3:
        bins = _bins(given.to_numpy(), k, method)
    else:
        bins = list(given)
    k = len(bins)
    palette = NUMBER_COLORS.get(k, NUMBER_COLORS[5][-k:])
    texts = []
    for i, upper in enumerate(bins):
        if i == 0:
            low = float(given.min())
            texts.append(f"de {_num(low)} à {_num(upper)}" if low != upper else _num(upper))
        else:
            texts.append(f"plus de {_num(bins[i - 1])} à {_num(upper)}")
    index = numbers.map(lambda v: None if v is None or v != v else next(i for i, b in enumerate(bins) if v <= b))
    colors = index.map(lambda i: NO_VALUE if i is None or i != i else palette[int(i)])
    classes = index.map(lambda i: "sans valeur" if i is None or i != i else texts[int(i)])
    counts = index.dropna().astype(int).value_counts()
    legend = [(palette[i], f"{texts[i]} — {_n(counts.get(i, 0))}") for i in range(k)]
    empty = int(numbers.isna().sum())
    if empty:
        legend.append((NO_VALUE, f"sans valeur — {_n(empty)}"))
    return Painting(pd.Series(colors.to_numpy(), index=values["code"]),
                    pd.Series(classes.to_numpy(), index=values["code"]), legend, True, "")


def _bins(values, k: int, method: str) -> list[float]:
    """Upper bounds of k classes of sorted distinct values: quantiles (mapclassify) or natural breaks."""
    import mapclassify

    if method == "quantiles":
        return sorted({float(b) for b in mapclassify.Quantiles(values, k=k).bins})
    return natural_breaks(values, k)


def natural_breaks(values, k: int) -> list[float]:
    """Fisher-Jenks natural breaks (least within-class squared deviation), exact, by dynamic programming over
    prefix sums in numpy: mapclassify's own runs in pure Python without numba, seconds for a few hundred values."""
    import numpy as np

    y = np.sort(np.asarray(values, dtype=float))
    n = len(y)
    if k >= n:
        return sorted({float(v) for v in y})
    s1, s2 = np.concatenate([[0.0], np.cumsum(y)]), np.concatenate([[0.0], np.cumsum(y * y)])

    def sse(i: np.ndarray, j: int) -> np.ndarray:
        """Squared deviation of y[i:j+1] for each start i."""
        count = j + 1 - i
        total = s1[j + 1] - s1[i]
        return (s2[j + 1] - s2[i]) - total * total / count

    cost = np.full((k, n), np.inf)
    start = np.zeros((k, n), dtype=int)
    cost[0] = [sse(np.array([0]), j)[0] for j in range(n)]
    for m in range(1, k):
        for j in range(m, n):
            i = np.arange(m, j + 1)  # the class m runs from i to j, the m classes before end at i - 1
            total = cost[m - 1, i - 1] + sse(i, j)
            best = int(np.argmin(total))
            cost[m, j], start[m, j] = total[best], i[best]
    bounds, j = [], n - 1
    for m in range(k - 1, -1, -1):
        bounds.append(float(y[j]))
        j = start[m, j] - 1
    return sorted(set(bounds))


def _num(value: float) -> str:
    """A bound as French officers write it: 12 500 or 2,5."""
    if float(value).is_integer():
        return fr.number(value)
    return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",").rstrip("0").rstrip(",")


def joined(column: Column, store: Path | None = None) -> pd.DataFrame:
    """The list's rows joined to the official geography, French headers, for the Listes page and its CSV."""
    df = rows(column, store)
    names = dict(reader(store).execute("SELECT code, nom FROM departements").fetchall())
    from geo.data.lists import LEVEL_LABELS

    return pd.DataFrame({
        "Niveau": df["niveau"].map(LEVEL_LABELS).fillna(df["niveau"]), "Code officiel": df["code"],
        "Nom officiel": df["nom_officiel"], "Nom dans la liste": df["nom_brut"],
        "Département": df["departement"], "Nom du département": df["departement"].map(names),
        column.nom: df["valeur"], "Ligne du fichier": df["ligne"]})


def filter_values(table: pd.DataFrame, column: str, chosen: list[str] | None = None,
                  low: float | None = None, high: float | None = None) -> pd.DataFrame:
    """Rows whose value is one of `chosen`, or (numbers) between `low` and `high`, bounds included."""
    out = table
    if chosen:
        out = out[out[column].isin(chosen)]
    if low is not None or high is not None:
        numbers = out[column].map(to_number)
        keep = numbers.notna()
        if low is not None:
            keep &= numbers >= low
        if high is not None:
            keep &= numbers <= high
        out = out[keep]
    return out.reset_index(drop=True)
