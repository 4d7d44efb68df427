"""Coverage over time: when each commune, EPCI, EPT, département or région became labelled, and the cumulative
counts month by month for any territory (a set of communes) against France. A row without a labelling date
counts from its list's own date, else from the day it was imported, and is counted apart so pages can say so."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from geo.data.labels import counted_sites, readable_date, sites
from geo.store import reader

# every active, resolved entity with the date it counts from and whether that date is its own
_ENTITY_DATES = """
    SELECT e.niveau, e.code,
           min(coalesce({date_label}, {date_liste}, i.importe_le::DATE)) AS depuis,
           bool_and({date_label} IS NULL) AS sans_date
    FROM entites e JOIN imports i ON i.id = e.import_id AND i.retire_le IS NULL
    JOIN labels l ON l.id = e.label_id
    WHERE l.nom = ? AND e.code IS NOT NULL AND e.statut IN ('exact', 'normalise', 'approx')
    GROUP BY e.niveau, e.code""".format(date_label=readable_date("e.date_label"),
                                        date_liste=readable_date("i.date_liste"))

COUNTS = {"communes_labellisees": "communes labellisées", "communes_couvertes": "communes couvertes",
          "epci_labellises": "EPCI / EPT labellisés", "departements_labellises": "départements labellisés"}


def entity_dates(label: str, store: Path | None = None) -> pd.DataFrame:
    """Each labelled entity (niveau, code) with `depuis` (a date) and `sans_date` (no date of its own)."""
    df = reader(store).execute(_ENTITY_DATES, [label]).df()
    df["depuis"] = pd.to_datetime(df["depuis"]).dt.date
    return df


def communes_in(departements: Iterable[str] | None = None, store: Path | None = None) -> list[str]:
    """The communes of some départements (all of France with None): the territory the other functions take."""
    deps = list(departements or [])
    where = "AND departement IN (SELECT unnest(?))" if deps else ""
    return [r[0] for r in reader(store).execute(
        f"SELECT code FROM communes WHERE zone IN ('metro', 'drom') {where} ORDER BY code",
        [deps] if deps else []).fetchall()]


def commune_dates(label: str, communes: Iterable[str] | None = None, store: Path | None = None) -> pd.DataFrame:
    """Each commune of a territory: since when it is labelled itself (`directe`) and since when it is covered
    by any route (itself, its EPT, its EPCI, whichever came first); NaT when never."""
    codes = list(communes) if communes is not None else None
    where = "AND c.code IN (SELECT unnest($codes))" if codes is not None else ""
    df = reader(store).execute(f"""
        WITH ent AS ({_ENTITY_DATES.replace('?', '$label')})
        SELECT c.code, c.departement, c.region, c.epci, c.ept, c.population, d.depuis AS directe, p.depuis AS par_epci,
               t.depuis AS par_ept, least(d.depuis, p.depuis, t.depuis) AS couverte
        FROM communes c
        LEFT JOIN ent d ON d.niveau = 'commune' AND d.code = c.code
        LEFT JOIN ent p ON p.niveau = 'epci' AND p.code = c.epci
        LEFT JOIN ent t ON t.niveau = 'ept' AND t.code = c.ept
        WHERE c.zone IN ('metro', 'drom') {where} ORDER BY c.code""",
                               {"label": label, **({"codes": codes} if codes is not None else {})}).df()
    for column in ("directe", "par_epci", "par_ept", "couverte"):  # least() skips NULLs: the first route
        df[column] = pd.to_datetime(df[column])
    return df


def status_as_of(label: str, day: dt.date, communes: Iterable[str] | None = None,
                 store: Path | None = None) -> pd.DataFrame:
    """Each commune's coverage status as it stood at the end of `day`, in the words of geo.data.coverage (closest
    route first: itself, its EPT, its EPCI), for the coverage map of a past month."""
    from geo.data import coverage

    df = commune_dates(label, communes, store)
    limit = pd.Timestamp(day)
    df["statut"] = coverage.STATUS_NONE
    df.loc[df["par_epci"] <= limit, "statut"] = coverage.STATUS_EPCI
    df.loc[df["par_ept"] <= limit, "statut"] = coverage.STATUS_EPT
    df.loc[df["directe"] <= limit, "statut"] = coverage.STATUS_DIRECT
    return df[["code", "statut"]]


def departements_as_of(label: str, day: dt.date, store: Path | None = None) -> pd.DataFrame:
    """Per département, as it stood at the end of `day`: the shares of its communes and population covered (by
    any route), whether the département itself was labelled and its sites, in geo.data.coverage's column names (the
    France map of a past month)."""
    towns = commune_dates(label, None, store)
    limit = pd.Timestamp(day)
    covered = towns["couverte"] <= limit
    towns = towns.assign(couverte=covered.astype(int), population_couverte=towns["population"].where(covered, 0))
    out = towns.groupby("departement").agg(communes=("code", "size"), communes_couvertes=("couverte", "sum"),
                                           population=("population", "sum"),
                                           population_couverte=("population_couverte", "sum")).reset_index()
    out["pct_communes_couvertes"] = (100 * out["communes_couvertes"] / out["communes"]).round(1)
    out["pct_population_couverte"] = (100 * out["population_couverte"] / out["population"].where(
        out["population"] > 0)).round(1)
    ent = entity_dates(label, store)
    labelled = set(ent.loc[(ent["niveau"] == "departement") & (pd.to_datetime(ent["depuis"]) <= limit), "code"])
    out["departement_labellise"] = out["departement"].isin(labelled)
    # the sites of every list of sites, each once, from its label date (else its list's, else its import)
    counted = counted_sites(sites(store=store), day)
    out["sites"] = out["departement"].map(counted.groupby("departement").size()).fillna(0).astype(int)
    return out.rename(columns={"departement": "code"})


def held_departements(label: str | None, as_of: dt.date | None, store: Path | None = None) -> set[str]:
    """The départements that hold the label themselves, today or at the end of `as_of`."""
    if not label:
        return set()
    from geo.data import coverage

    deps = coverage.by_departement(label, store) if as_of is None else departements_as_of(label, as_of, store)
    return set(deps.loc[deps["departement_labellise"].astype(bool), "code"])


def statuses(label: str, departements: str | list[str] | None, as_of: dt.date | None = None,
             store: Path | None = None) -> pd.Series:
    """code → coverage status of the communes of some départements (all of France with None): today's, or as it
    stood at the end of `as_of`; what every map and image draws."""
    from geo.data import coverage

    if as_of is None:
        return coverage.communes_status(label, departements, store).set_index("code")["statut"]
    deps = [departements] if isinstance(departements, str) else departements
    return status_as_of(label, as_of, communes_in(deps, store) if deps else None, store).set_index("code")["statut"]


def _territory_entities(ent: pd.DataFrame, towns: pd.DataFrame) -> pd.DataFrame:
    """The EPCI, EPT and départements labelled that touch the territory's communes, with their dates."""
    keep = ((ent["niveau"] == "epci") & ent["code"].isin(set(towns["epci"].dropna()))) | \
           ((ent["niveau"] == "ept") & ent["code"].isin(set(towns["ept"].dropna()))) | \
           ((ent["niveau"] == "departement") & ent["code"].isin(set(towns["departement"].dropna())))
    return ent[keep]


def _month_end(month: dt.date) -> pd.Timestamp:
    return pd.Timestamp(month) + pd.offsets.MonthEnd(0)


def months(label: str, store: Path | None = None, until: dt.date | None = None) -> list[dt.date]:
    """First days of the months from the month before the first labelling to `until` (today by default)."""
    ent = entity_dates(label, store)
    end = until or dt.date.today()
    if ent.empty:
        return [end.replace(day=1)]
    first = min(ent["depuis"])
    start = (pd.Timestamp(first.replace(day=1)) - pd.offsets.MonthBegin(1)).date()
    return [d.date() for d in pd.date_range(start, end.replace(day=1), freq="MS")]


def as_of(label: str, day: dt.date, communes: Iterable[str] | None = None,
          store: Path | None = None) -> dict[str, int]:
    """The counts of a territory as they stood at the end of `day` (a commune covered twice counts once)."""
    towns = commune_dates(label, communes, store)
    ent = _territory_entities(entity_dates(label, store), towns)
    limit = pd.Timestamp(day)
    return _counts(towns, ent, limit)


def _territory_sites(towns: pd.DataFrame, communes: Iterable[str] | None, store: Path | None) -> pd.DataFrame:
    """The sites that count (every list of sites), in the territory's communes (all of France without any)."""
    kept = counted_sites(sites(store=store))
    return kept if communes is None else kept[kept["commune"].isin(set(towns["code"]))]


def _counts(towns: pd.DataFrame, ent: pd.DataFrame, limit: pd.Timestamp) -> dict[str, int]:
    dated = pd.to_datetime(ent["depuis"])
    return {"communes_labellisees": int((towns["directe"] <= limit).sum()),
            "communes_couvertes": int((towns["couverte"] <= limit).sum()),
            "epci_labellises": int(((dated <= limit) & ent["niveau"].isin(["epci", "ept"])).sum()),
            "departements_labellises": int(((dated <= limit) & (ent["niveau"] == "departement")).sum()),
            "communes": len(towns)}


def history(label: str, communes: Iterable[str] | None = None, store: Path | None = None,
            until: dt.date | None = None) -> pd.DataFrame:
    """Cumulative counts at the end of each month (`mois`, first day of the month), for the territory: each
    count is the number of dates up to the month's end, read off sorted dates (one search per month)."""
    import numpy as np

    towns = commune_dates(label, communes, store)
    ent = _territory_entities(entity_dates(label, store), towns)
    ent_dates = pd.to_datetime(ent["depuis"])
    series = {"communes_labellisees": towns["directe"], "communes_couvertes": towns["couverte"],
              "epci_labellises": ent_dates[ent["niveau"].isin(["epci", "ept"])],
              "departements_labellises": ent_dates[ent["niveau"] == "departement"],
              "sites": pd.to_datetime(_territory_sites(towns, communes, store)["depuis"])}
    month_list = months(label, store, until)
    ends = np.array([_month_end(m).to_datetime64() for m in month_list], dtype="datetime64[ns]")
    out = pd.DataFrame({"mois": month_list})
    for name, values in series.items():
        sorted_values = np.sort(values.dropna().to_numpy(dtype="datetime64[ns]"))
        out[name] = np.searchsorted(sorted_values, ends, side="right").astype(int)
    out["communes"] = len(towns)
    return out


def undated(label: str, communes: Iterable[str] | None = None, store: Path | None = None) -> dict:
    """How many entities of the territory have no date of their own, and the dates they are counted from."""
    towns = commune_dates(label, communes, store)
    ent = entity_dates(label, store)
    inside = ((ent["niveau"] == "commune") & ent["code"].isin(set(towns["code"]))) | \
        ent.index.isin(_territory_entities(ent, towns).index)
    rows = ent[inside & ent["sans_date"]]
    return {"lignes": len(rows), "dates": sorted(set(rows["depuis"]))}


def last_change(label: str, store: Path | None = None) -> dt.date | None:
    """The latest date any entity of the label counts from (None without any)."""
    ent = entity_dates(label, store)
    return max(ent["depuis"]) if len(ent) else None


def chart_end(label: str, today: dt.date, store: Path | None = None) -> dt.date:
    """Where a chart stops: a year after the last labelling, or today if sooner (a flat line for years says
    nothing more than the sentence beside it)."""
    last = last_change(label, store)
    if last is None:
        return today
    return min(today, (pd.Timestamp(last) + pd.DateOffset(months=12)).date())


def month_label(month: dt.date) -> str:
    """« novembre 2019 »."""
    from geo.fr import MONTHS

    return f"{MONTHS[month.month - 1]} {month.year}"


def offered_months(months: Iterable[dt.date], end: dt.date, today: dt.date) -> dict[str, dt.date]:
    """The months a month control offers, by their key in a link ("2019-11"): those up to `end` (chart_end), then
    the current one; years of flat months would squeeze the useful ones into a few pixels of a slider."""
    now = today.replace(day=1)
    return {m.strftime("%Y-%m"): m for m in months if m <= end or m == now}
