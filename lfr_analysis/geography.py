"""Where LFR goes: deployments by London borough, per resident, against the census.

The deployment record names a borough on most rows (``borough``, with ``borough_basis``
saying how it was assigned). This module counts the record per borough, puts the counts
over the borough's residents (Census 2021, ``data/census2021_boroughs.csv``), checks the
geographic claims made about the record at borough level, and sets recorded crime beside
it (``data/mps_borough_crime.csv``), because the Met chooses crime hotspots.

:func:`borough_coverage`
    Rows with and without a borough, per year and source type: what the borough analysis
    cannot see.
:func:`borough_activity`
    Deployments, hours, faces seen, alerts and arrests per borough: every one of the 33
    boroughs (those with no deployment as zeros) and one row for the deployments with no
    borough recorded, per group (year, source type).
:func:`per_resident`
    Those counts per 100,000 residents, with exact Poisson intervals.
:func:`share_in_boroughs_above`
    The share of deployments in boroughs whose share of an ethnic group exceeds London's,
    with bounds for the rows that have no borough.
:func:`recorded_crime`, :func:`crime_strata`
    Recorded offences per borough in a calendar year (summed from the Met's monthly counts),
    and deployments per resident in boroughs above and below London's crime rate and
    London's share of an ethnic group.

**What a per-resident rate is.** Deployments are decisions, not random events, but a
count of deployments per borough per year can be read as the realisation of a Poisson
process of the Met's siting, whose rate per resident is estimated by ``count / (residents x
years)``: the denominator is *person-years of usual residents* (Census 2021, taken as
constant over the years counted). The exact (Garwood) interval says how precisely a count
of that size measures such a rate; it does not cover the extra variation from deployments
being repeated at the same sites (over-dispersion), so it is a floor on the uncertainty.
Residents are not the people passing the cameras: central boroughs (Westminster, the City)
draw far more visitors than residents, so their per-resident rates are high by
construction. A duration (``hours``) is not a count of events, so it gets a rate per
resident but no Poisson interval.

**What borough-level answers cannot say.** A borough of 300,000 people holds wards whose
populations differ widely; a claim about the *areas* where cameras stand (wards, streets)
needs ward-level census data and the deployment's ward, which the record does not give.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lfr_analysis.datasets import census2021_boroughs, london_tile_grid, mps_borough_crime
from lfr_analysis.datasets.census2021_boroughs import BOROUGH_NAMES, ETHNIC_GROUPS
from lfr_analysis.datasets.mps_borough_crime import UNKNOWN_BOCU
from lfr_analysis.stats import checks
from lfr_analysis.stats.intervals import poisson_ci, rate_ci, ratio_ci

__all__ = [
    "ACTIVITY",
    "CRIME_NOTES",
    "NO_BOROUGH",
    "PER_RESIDENTS",
    "borough_activity",
    "borough_coverage",
    "crime_strata",
    "load_boroughs",
    "load_crime",
    "load_tile_grid",
    "london_share",
    "per_resident",
    "recorded_crime",
    "share_in_boroughs_above",
]

load_boroughs = census2021_boroughs.load
load_tile_grid = london_tile_grid.load
load_crime = mps_borough_crime.load

#: What :func:`borough_activity` counts per borough (``hours`` from ``duration_minutes``).
ACTIVITY = ("deployments", "hours", "faces_seen", "alerts", "arrests")

#: The ``borough`` label of the row counting deployments with no borough recorded.
NO_BOROUGH = "(no borough recorded)"

#: Rates per resident are given per this many residents (per person-year).
PER_RESIDENTS = 100_000

#: Caveats of the recorded-crime figures, by borough (or BOCU).
CRIME_NOTES = {
    "City of London": "policed by the City of London Police: not in the Met's table",
    "Hillingdon": "appears to include Heathrow airport, listed apart in the Met's ward table",
    UNKNOWN_BOCU: "offences the Met placed in no borough",
}

#: The summed columns of :func:`borough_activity` and the record's columns they sum.
_SUMMED = {
    "hours": "duration_minutes",
    "faces_seen": "faces_seen",
    "alerts": "alerts",
    "arrests": "arrests",
}
_RECORD_COLUMNS = ("deployment_id", "date", "borough", "source_type", *_SUMMED.values())
_BOROUGH_COLUMNS = ("ons_code", "name", "usual_residents")
_POISSON = "exact Poisson (Garwood), per person-year of usual residents"
_NO_INTERVAL = "a duration, not a count: rate without a Poisson interval"


# ---------------------------------------------------------------------------- checks


def _check_boroughs(boroughs: pd.DataFrame, extra=()) -> pd.DataFrame:
    """Refuse anything but the 33 London local authorities, each once with its residents."""
    checks.frame(boroughs, [*_BOROUGH_COLUMNS, *extra], "boroughs")
    codes = list(boroughs["ons_code"])
    if sorted(codes) != sorted(BOROUGH_NAMES) or len(set(codes)) != len(codes):
        raise ValueError(
            "boroughs must hold the 33 London local authorities (E09000001-E09000033) once "
            f"each, as data/census2021_boroughs.csv does; got {len(codes)} row(s)"
        )
    checks.positive(boroughs["usual_residents"], "boroughs['usual_residents']")
    return boroughs.sort_values("ons_code").reset_index(drop=True)


def _check_record(deployments: pd.DataFrame, boroughs: pd.DataFrame, columns) -> None:
    """Refuse a record whose borough names are not London's (naming the row and value)."""
    checks.frame(deployments, columns)
    known = set(boroughs["name"])
    named = deployments["borough"]
    bad = named.notna() & ~named.isin(known)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValueError(
            f"column 'borough', {checks.row_label(deployments, i)}: value {named.iloc[i]!r} "
            f"is not one of the 33 London names in data/census2021_boroughs.csv; "
            f"{int(bad.sum())} such row(s) in all"
        )


# ------------------------------------------------------------------------ coverage


def borough_coverage(deployments: pd.DataFrame, by=("year", "source_type")) -> pd.DataFrame:
    """Count the rows with and without a borough, per group.

    Parameters
    ----------
    deployments : pandas.DataFrame
        :func:`lfr_analysis.data.load_deployments` (needs ``borough``, ``date`` and the
        ``by`` columns).
    by : str, list of str or None
        Grouping, as in :func:`borough_activity` (default year and source type).

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``rows``, ``with_borough``, ``without_borough`` and
        ``share_with_borough``; a last row ``total`` when grouped.
    """
    checks.frame(deployments, ["borough", "date"])
    keys, names = checks.group_keys(deployments, list(by) if isinstance(by, tuple) else by, "date")
    work = keys.copy()
    work["rows"] = 1
    work["with_borough"] = deployments["borough"].notna().astype(int).to_numpy()
    if names:
        table = work.groupby(names, dropna=False, sort=True).sum().reset_index()
    else:
        table = work[["rows", "with_borough"]].sum().to_frame().T
    table["without_borough"] = table["rows"] - table["with_borough"]
    if names:
        total = {name: "total" for name in names}
        total.update(table[["rows", "with_borough", "without_borough"]].sum().to_dict())
        table = pd.concat([table.astype({n: object for n in names}), pd.DataFrame([total])])
        table = table.reset_index(drop=True)
    table["share_with_borough"] = table["with_borough"] / table["rows"]
    return table


# ------------------------------------------------------------------------ activity


def borough_activity(
    deployments: pd.DataFrame,
    boroughs: pd.DataFrame,
    *,
    by="year",
    missing: str = "exclude",
    full: bool = False,
) -> pd.DataFrame:
    """Count deployments, hours, faces seen, alerts and arrests per London borough.

    Every group gets all 33 boroughs in ONS code order (a borough with no deployment shows
    zeros) and a last row, ``borough`` = :data:`NO_BOROUGH`, for its deployments whose
    borough is blank, so nothing is dropped.

    Parameters
    ----------
    deployments : pandas.DataFrame
        :func:`lfr_analysis.data.load_deployments`.
    boroughs : pandas.DataFrame
        :func:`load_boroughs` (the 33 local authorities and their residents).
    by : str, list of str or None
        ``"year"`` (default), ``"source_type"``, ``["year", "source_type"]``, another
        column, or None for one group of all rows. When ``source_type`` is not a grouping
        column, the primary and secondary deployments are also counted apart
        (``deployments_primary``, ``deployments_secondary``).
    missing : {"exclude", "raise"}
        A row whose duration, faces seen, alerts or arrests is unknown: ``"exclude"``
        leaves it out of that sum and counts it in ``n_excluded`` (``full=True`` gives the
        count per column); ``"raise"`` refuses it, naming the rows.
    full : bool
        Add the per-column exclusions and the summed minutes.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``ons_code``, ``borough``, ``usual_residents``, ``deployments``
        (rows), [``deployments_primary``, ``deployments_secondary``], ``hours`` (float),
        ``faces_seen``, ``alerts``, ``arrests`` (sums over the rows that give them; ``<NA>``
        when none of the borough's rows does) and ``n_excluded`` (rows lacking one of
        them). The no-borough row has ``ons_code`` and ``usual_residents`` missing.

    Raises
    ------
    ValueError
        For a borough name that is not one of the 33 (naming the row and its
        ``deployment_id``), a count that is not a whole number >= 0, or with
        ``missing="raise"`` a row lacking a count.
    """
    checks.missing_policy(missing)
    boroughs = _check_boroughs(boroughs)
    _check_record(deployments, boroughs, _RECORD_COLUMNS)
    values = {name: checks.count_column(deployments, col) for name, col in _SUMMED.items()}
    unknown = np.column_stack([np.isnan(v) for v in values.values()])
    if missing == "raise" and unknown.any():
        rows = np.flatnonzero(unknown.any(axis=1))
        shown = "; ".join(checks.row_label(deployments, int(i)) for i in rows[:5])
        raise ValueError(
            f"{rows.size} row(s) lack duration_minutes, faces_seen, alerts or arrests, e.g. {shown}"
        )
    keys, names = checks.group_keys(deployments, by, "date")
    work = keys.reset_index(drop=True)
    work["borough"] = deployments["borough"].fillna(NO_BOROUGH).to_numpy()
    work["deployments"] = 1
    tiers = "source_type" not in names
    if tiers:
        tier = deployments["source_type"].to_numpy()
        work["deployments_primary"] = (tier == "primary").astype(int)
        work["deployments_secondary"] = (tier == "secondary").astype(int)
    for name, column in values.items():
        work[name] = np.nan_to_num(column, nan=0.0)
        work[f"_known_{name}"] = (~np.isnan(column)).astype(int)
        work[f"n_excluded_{name}"] = np.isnan(column).astype(int)
    work["n_excluded"] = unknown.any(axis=1).astype(int)
    table = _fill_boroughs(work, names, boroughs)
    for name in _SUMMED:
        none_known = (table[f"_known_{name}"] == 0) & (table["deployments"] > 0)
        if name == "hours":
            table[name] = (table[name] / 60.0).where(~none_known, np.nan)
        else:
            total = pd.array(table[name].round().astype(np.int64), dtype="Int64")
            total[none_known.to_numpy()] = pd.NA
            table[name] = total
    if full:
        table["duration_minutes"] = table["hours"] * 60.0
    shown = [*names, "ons_code", "borough", "usual_residents", "deployments"]
    if tiers:
        shown += ["deployments_primary", "deployments_secondary"]
    shown += [*ACTIVITY[1:], "n_excluded"]
    if full:
        shown += [f"n_excluded_{name}" for name in _SUMMED] + ["duration_minutes"]
    return table[shown]


def _fill_boroughs(work: pd.DataFrame, names: list[str], boroughs: pd.DataFrame):
    """Sum per group and borough, with every borough (and the no-borough row) present."""
    sums = [c for c in work.columns if c not in names and c != "borough"]
    grouped = work.groupby([*names, "borough"], dropna=False, sort=False)[sums].sum()
    order = [*boroughs["name"], NO_BOROUGH]
    if names:
        groups = work[names].drop_duplicates().sort_values(names).itertuples(index=False)
        index = pd.MultiIndex.from_tuples(
            [(*g, b) for g in groups for b in order], names=[*names, "borough"]
        )
    else:
        index = pd.Index(order, name="borough")
    table = grouped.reindex(index, fill_value=0).reset_index()
    lookup = boroughs.set_index("name")
    table["ons_code"] = table["borough"].map(lookup["ons_code"])
    residents = table["borough"].map(lookup["usual_residents"].astype("Int64"))
    table["usual_residents"] = pd.array(residents, dtype="Int64")
    for column in sums:
        if column != "hours":
            table[column] = table[column].round().astype(np.int64)
    return table


# ---------------------------------------------------------------------- per resident


def per_resident(
    activity: pd.DataFrame,
    columns=("deployments",),
    *,
    years: float = 1.0,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Add rates per 100,000 residents (per person-year) with exact Poisson intervals.

    Parameters
    ----------
    activity : pandas.DataFrame
        :func:`borough_activity` (or any table with ``usual_residents`` and the columns).
    columns : str or sequence of str
        Count columns to put over the residents (``deployments``, ``faces_seen``,
        ``alerts``, ``arrests``, ``deployments_primary`` ...); ``hours`` is given as a rate
        without an interval (a duration is not a count of events).
    years : float
        Length of the period the counts cover, in years (1 for a calendar year): the
        exposure of a borough is ``usual_residents x years`` person-years.
    conf : float
        Confidence level of the intervals.

    Returns
    -------
    pandas.DataFrame
        ``activity`` with ``person_years`` and, per column, ``<column>_per_100k``,
        ``<column>_lower`` and ``<column>_upper`` (NaN where the residents or the count are
        unknown, e.g. the no-borough row), then ``conf`` and ``method``. A sum that leaves
        out rows (``n_excluded`` > 0) gives a rate for the rows that have the count.
    """
    columns = [columns] if isinstance(columns, str) else list(columns)
    conf = checks.conf_level(conf)
    span = float(checks.positive(years, "years")[0][0])
    checks.frame(activity, ["usual_residents", *columns], "activity")
    if not columns:
        raise ValueError("columns: name at least one count column")
    out = activity.copy()
    residents = out["usual_residents"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    out["person_years"] = residents * span
    methods = []
    for column in columns:
        counts = out[column].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        rate = counts / out["person_years"].to_numpy() * PER_RESIDENTS
        lower, upper = np.full(len(out), np.nan), np.full(len(out), np.nan)
        if column == "hours":
            methods.append(f"hours: {_NO_INTERVAL}")
        else:
            checks.count_column(out, column)
            ok = ~np.isnan(counts) & ~np.isnan(residents)
            if ok.any():
                ci = poisson_ci(
                    counts[ok].astype(np.int64), out["person_years"].to_numpy()[ok], conf
                )
                lower[ok] = ci["lower"].to_numpy() * PER_RESIDENTS
                upper[ok] = ci["upper"].to_numpy() * PER_RESIDENTS
            methods.append(f"{column}: {_POISSON}")
        out[f"{column}_per_100k"] = rate
        out[f"{column}_lower"] = lower
        out[f"{column}_upper"] = upper
    out["conf"] = conf
    out["method"] = "; ".join(methods)
    return out


# ------------------------------------------------------------------ census comparison


def london_share(boroughs: pd.DataFrame, group: str = "black_percent") -> float:
    """Return London's share of an ethnic group (percent), weighted by residents.

    Each borough's share is rounded to 0.1, so the result is good to within 0.05 points;
    ONS's own London figure (13.5% Black, Census 2021) is the one to quote.
    """
    checks.choice(group, tuple(ETHNIC_GROUPS), "group")
    boroughs = _check_boroughs(boroughs, [group])
    residents = boroughs["usual_residents"].astype(float)
    return float((residents * boroughs[group]).sum() / residents.sum())


def share_in_boroughs_above(
    deployments: pd.DataFrame,
    boroughs: pd.DataFrame,
    benchmark: float,
    *,
    group: str = "black_percent",
    year: int | None = None,
    conf: float = 0.95,
    full: bool = False,
) -> pd.DataFrame:
    """The share of deployments in boroughs whose share of ``group`` exceeds ``benchmark``.

    The borough-level reading of "over half of deployments were in areas with a higher
    proportion of Black residents": a deployment counts as *above* when its borough's
    Census 2021 share of the group is strictly greater than the benchmark (London's share).
    Rows without a borough are neither: the share is given among the rows with a borough
    and, as bounds, over all rows with every unplaced row counted below
    (``share_above_lowest``) or above (``share_above_highest``).

    Parameters
    ----------
    deployments : pandas.DataFrame
        The deployments to count (e.g. one source type).
    boroughs : pandas.DataFrame
        :func:`load_boroughs`.
    benchmark : float
        The share to exceed, in percent (London's: 13.5 for Black residents).
    group : str
        A share column of ``boroughs`` (``black_percent``, ``asian_percent`` ...).
    year : int, optional
        Count only the deployments dated in this calendar year.
    conf : float
        Level of the Clopper-Pearson interval of the share and of the exact interval of
        the rate ratio.
    full : bool
        Add the working (boroughs and residents on each side, the reading in words).

    Returns
    -------
    pandas.DataFrame
        One row: ``year``, ``benchmark``, ``n_deployments``, ``n_without_borough``,
        ``n_above``, ``share_above`` (among the rows with a borough) with ``lower`` and
        ``upper``, ``share_above_lowest``, ``share_above_highest``, ``resident_share_above``
        (share of London's residents living in the boroughs above), ``rate_ratio``
        (deployments per resident above / not above) with ``ratio_lower``/``ratio_upper``,
        and ``over_half`` ("yes", "no" or "undetermined" given the unplaced rows).
    """
    checks.choice(group, tuple(ETHNIC_GROUPS), "group")
    conf = checks.conf_level(conf)
    level = float(checks.positive(benchmark, "benchmark")[0][0])
    boroughs = _check_boroughs(boroughs, [group])
    _check_record(deployments, boroughs, ["deployment_id", "date", "borough"])
    if year is not None:
        year = checks.whole(year, "year")
        deployments = deployments[pd.to_datetime(deployments["date"]).dt.year == year]
    above_names = set(boroughs.loc[boroughs[group] > level, "name"])
    named = deployments["borough"]
    n = len(deployments)
    n_without = int(named.isna().sum())
    n_above = int(named.isin(above_names).sum())
    n_with = n - n_without
    n_not = n_with - n_above
    residents = boroughs["usual_residents"].astype(float)
    is_above = boroughs["name"].isin(above_names).to_numpy()
    res_above, res_not = float(residents[is_above].sum()), float(residents[~is_above].sum())
    row = {"year": year, "benchmark": level, "n_deployments": n}
    row.update(n_without_borough=n_without, n_above=n_above)
    share = lower = upper = np.nan
    if n_with:
        ci = rate_ci(n_above, n_with, conf=conf).iloc[0]
        share, lower, upper = float(ci["estimate"]), float(ci["lower"]), float(ci["upper"])
    row.update(share_above=share, lower=lower, upper=upper)
    row["share_above_lowest"] = n_above / n if n else np.nan
    row["share_above_highest"] = (n_above + n_without) / n if n else np.nan
    row["resident_share_above"] = res_above / (res_above + res_not)
    ratio = ratio_lower = ratio_upper = np.nan
    if n_with and res_above and res_not:
        ratio = (n_above / res_above) / (n_not / res_not) if n_not else np.inf
        ratio_lower, ratio_upper = ratio_ci(n_above, res_above, n_not, res_not, conf=conf)
    row.update(rate_ratio=ratio, ratio_lower=ratio_lower, ratio_upper=ratio_upper)
    row["over_half"] = _over_half(n, n_above, n_without)
    if full:
        row.update(
            group=group,
            n_with_borough=n_with,
            n_not_above=n_not,
            boroughs_above=int(is_above.sum()),
            residents_above=res_above,
            residents_not_above=res_not,
            conf=conf,
            method="share: Clopper-Pearson; rate ratio: exact conditional (Poisson)",
            reading=_reading(row, group, level, n_above, n_with, n_without),
        )
    return pd.DataFrame([row])


def _over_half(n: int, n_above: int, n_without: int) -> str:
    if n == 0:
        return "undetermined"
    if 2 * n_above > n:
        return "yes"
    if 2 * (n_above + n_without) <= n:
        return "no"
    return "undetermined"


def _reading(row: dict, group: str, level: float, n_above: int, n_with: int, n_without: int):
    label = ETHNIC_GROUPS[group]
    text = (
        f"{n_above} of the {n_with} deployments with a borough were in boroughs whose "
        f"Census 2021 share of '{label}' residents exceeds {level:g}%"
    )
    if n_without:
        text += (
            f"; {n_without} more {'has' if n_without == 1 else 'have'} no borough, so over all "
            f"{row['n_deployments']} the "
            f"share lies between {row['share_above_lowest']:.1%} and "
            f"{row['share_above_highest']:.1%}"
        )
    return text + f" (over half: {row['over_half']})"


# ---------------------------------------------------------------------- recorded crime


def recorded_crime(
    crime: pd.DataFrame,
    boroughs: pd.DataFrame,
    *,
    year: int,
    months=range(1, 13),
    conf: float = 0.95,
) -> pd.DataFrame:
    """Offences the Met recorded in a calendar year, per borough and per 1,000 residents.

    The year's total is the sum of the twelve published monthly counts over every offence
    group and sub-group of the borough (the published table gives no annual total).

    Parameters
    ----------
    crime : pandas.DataFrame
        :func:`load_crime`.
    boroughs : pandas.DataFrame
        :func:`load_boroughs`.
    year : int
        A calendar year whose months are all in the table (2025 in the version kept).
    months : iterable of int
        The months of ``year`` to sum (default all twelve; ``range(7, 13)`` for July to
        December). The rate is then per 1,000 residents over those months, not per year.
    conf : float
        Level of the exact Poisson interval of the rate per 1,000 residents.

    Returns
    -------
    pandas.DataFrame
        The 33 boroughs in ONS code order (the City of London with no count) and a last
        row for ``BOCU`` ``Unknown``: ``ons_code``, ``borough``, ``usual_residents``,
        ``recorded_crimes``, ``crimes_per_1000`` with ``lower`` and ``upper``, ``note``.

    Raises
    ------
    ValueError
        When the table lacks one of the year's months (naming the months it covers).
    """
    checks.frame(crime, ["BOCU"], "crime")
    year = checks.whole(year, "year")
    chosen = [checks.whole(m, "months", minimum=1) for m in months]
    if not chosen or max(chosen) > 12 or len(set(chosen)) != len(chosen):
        raise ValueError(f"months: give distinct calendar months 1-12, got {chosen!r}")
    months = [f"{year}{m:02d}" for m in chosen]
    absent = [m for m in months if m not in crime.columns]
    if absent:
        covered = [c for c in crime.columns if c.isdigit()]
        raise ValueError(
            f"year={year}: the crime table lacks month(s) {', '.join(absent)}; it covers "
            f"{covered[0] if covered else '-'} to {covered[-1] if covered else '-'}"
        )
    boroughs = _check_boroughs(boroughs)
    for month in months:
        checks.count_column(crime, month)
    totals = crime[months].sum(axis=1).groupby(crime["BOCU"]).sum()
    names = [*boroughs["name"], UNKNOWN_BOCU]
    table = pd.DataFrame({"borough": names})
    lookup = boroughs.set_index("name")
    table["ons_code"] = table["borough"].map(lookup["ons_code"])
    table["usual_residents"] = pd.array(
        table["borough"].map(lookup["usual_residents"].astype("Int64")), dtype="Int64"
    )
    table["recorded_crimes"] = pd.array(table["borough"].map(totals), dtype="Int64")
    per = np.full(len(table), np.nan)
    lower, upper = per.copy(), per.copy()
    ok = (table["recorded_crimes"].notna() & table["usual_residents"].notna()).to_numpy()
    ci = poisson_ci(
        table.loc[ok, "recorded_crimes"].to_numpy(dtype=np.int64),
        table.loc[ok, "usual_residents"].to_numpy(dtype=float),
        conf,
    )
    per[ok], lower[ok], upper[ok] = (
        ci[c].to_numpy() * 1000 for c in ("estimate", "lower", "upper")
    )
    table["crimes_per_1000"], table["lower"], table["upper"] = per, lower, upper
    table["note"] = table["borough"].map(CRIME_NOTES).fillna("")
    return table[
        ["ons_code", "borough", "usual_residents", "recorded_crimes", "crimes_per_1000"]
        + ["lower", "upper", "note"]
    ]


def crime_strata(
    activity: pd.DataFrame,
    boroughs: pd.DataFrame,
    crime_table: pd.DataFrame,
    benchmark: float,
    *,
    group: str = "black_percent",
    column: str = "deployments",
    years: float = 1.0,
    conf: float = 0.95,
) -> pd.DataFrame:
    """Deployments per resident by crime rate and ethnic-group share of the boroughs.

    The boroughs fall into four strata: recorded crime per resident above or at/below
    the Met area's (its 32 boroughs pooled), crossed with the share of ``group`` above or
    at/below ``benchmark``. Each stratum's deployments are put over its residents with an
    exact interval; within each crime stratum the rate ratio of the boroughs above the
    benchmark to those below is given with its exact conditional interval. The City of
    London (no Met crime figure) and the deployments with no borough get rows of their own.

    Parameters
    ----------
    activity : pandas.DataFrame
        :func:`borough_activity` for one group (e.g. ``by=None`` on one year's rows).
    boroughs : pandas.DataFrame
        :func:`load_boroughs`.
    crime_table : pandas.DataFrame
        :func:`recorded_crime`.
    benchmark : float
        London's share of ``group``, in percent.
    group, column, years, conf
        The share column, the count column of ``activity``, the years the counts cover,
        and the confidence level.

    Returns
    -------
    pandas.DataFrame
        One row per stratum: ``crime``, ``share`` (``above``/``not above``), ``boroughs``
        (count), ``names``, ``usual_residents``, the count, ``<column>_per_100k`` with
        ``lower``/``upper``, ``rate_ratio`` with ``ratio_lower``/``ratio_upper`` (on the
        ``above`` rows), then the City of London and the no-borough rows.
    """
    checks.choice(group, tuple(ETHNIC_GROUPS), "group")
    conf = checks.conf_level(conf)
    level = float(checks.positive(benchmark, "benchmark")[0][0])
    span = float(checks.positive(years, "years")[0][0])
    boroughs = _check_boroughs(boroughs, [group])
    checks.frame(activity, ["borough", column], "activity")
    checks.frame(crime_table, ["borough", "recorded_crimes", "usual_residents"], "crime_table")
    if activity["borough"].duplicated().any():
        raise ValueError("activity: give one group only (each borough once), e.g. by=None")
    counts = activity.set_index("borough")[column]
    if counts.isna().any():
        raise ValueError(f"activity: column {column!r} has unknown counts; use another column")
    counts = counts.astype(float)
    crimes = pd.Series(
        crime_table["recorded_crimes"].astype("Float64").to_numpy(float, na_value=np.nan),
        index=crime_table["borough"],
    )
    table = boroughs[["name", group]].copy()
    table["usual_residents"] = boroughs["usual_residents"].astype(float)
    table["count"] = table["name"].map(counts).fillna(0.0).astype(float)
    table["crimes"] = table["name"].map(crimes).astype(float)
    policed = table["crimes"].notna()
    met_rate = table.loc[policed, "crimes"].sum() / table.loc[policed, "usual_residents"].sum()
    table["crime"] = np.where(
        ~policed,
        "no Met figure",
        np.where(table["crimes"] / table["usual_residents"] > met_rate, "above", "not above"),
    )
    table["share"] = np.where(table[group] > level, "above", "not above")
    rows = []
    for crime_level in ("above", "not above", "no Met figure"):
        for share in ("above", "not above"):
            part = table[(table["crime"] == crime_level) & (table["share"] == share)]
            if len(part) or crime_level != "no Met figure":
                rows.append(_stratum(crime_level, share, part))
    unplaced = float(counts.get(NO_BOROUGH, 0))
    rows.append({"crime": "", "share": NO_BOROUGH, "boroughs": 0, "names": "", "count": unplaced})
    out = pd.DataFrame(rows)
    out["usual_residents"] = out["usual_residents"].astype("Int64")
    ok = out["usual_residents"].notna().to_numpy() & (out["boroughs"] > 0).to_numpy()
    person_years = out["usual_residents"].astype("Float64").to_numpy(float, na_value=np.nan) * span
    rate, lower, upper = (np.full(len(out), np.nan) for _ in range(3))
    if ok.any():
        ci = poisson_ci(out.loc[ok, "count"].astype(np.int64), person_years[ok], conf)
        rate[ok], lower[ok], upper[ok] = (
            ci[c].to_numpy() * PER_RESIDENTS for c in ("estimate", "lower", "upper")
        )
    out[f"{column}_per_100k"], out["lower"], out["upper"] = rate, lower, upper
    out["rate_ratio"], out["ratio_lower"], out["ratio_upper"] = np.nan, np.nan, np.nan
    for crime_level in ("above", "not above"):
        pair = out[(out["crime"] == crime_level) & (out["boroughs"] > 0)]
        if set(pair["share"]) == {"above", "not above"}:
            hi, lo = (pair[pair["share"] == s].iloc[0] for s in ("above", "not above"))
            i = pair.index[pair["share"] == "above"][0]
            with np.errstate(divide="ignore", invalid="ignore"):
                out.loc[i, "rate_ratio"] = (hi["count"] / hi["usual_residents"]) / (
                    lo["count"] / lo["usual_residents"]
                )
            out.loc[i, ["ratio_lower", "ratio_upper"]] = ratio_ci(
                int(hi["count"]), float(hi["usual_residents"]), int(lo["count"]),
                float(lo["usual_residents"]), conf=conf,
            )  # fmt: skip
    out["count"] = out["count"].astype(np.int64)
    out["met_crimes_per_1000"] = met_rate * 1000
    return out.rename(columns={"count": column})


def _stratum(crime_level: str, share: str, part: pd.DataFrame) -> dict:
    return {
        "crime": crime_level,
        "share": share,
        "boroughs": len(part),
        "names": ", ".join(part["name"]),
        "usual_residents": int(part["usual_residents"].sum()) if len(part) else pd.NA,
        "count": float(part["count"].sum()),
    }
