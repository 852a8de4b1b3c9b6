"""lfr_analysis.geography: borough counts, rates per resident, the census claim, crime.

Interval values come from R (tests/reference/geography.py, written by
tests/reference/R/geography.R); the counts are checked on small tables built here, so a
change in the record's boroughs changes no expected value, and on the record itself only
through identities that hold whatever its boroughs are.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from reference import geography as ref

from lfr_analysis import data, geography

REL = 1e-10


@pytest.fixture(scope="module")
def boroughs():
    return geography.load_boroughs()


@pytest.fixture(scope="module")
def record():
    return data.load_deployments()


def frame(rows):
    """A deployments table of ``(borough, source_type, date, minutes, faces, alerts, arrests)``."""
    columns = ["borough", "source_type", "date", "duration_minutes", "faces_seen", "alerts"]
    table = pd.DataFrame(rows, columns=[*columns, "arrests"])
    table.insert(0, "deployment_id", [f"T-{i}" for i in range(len(table))])
    table["date"] = pd.to_datetime(table["date"])
    for column in ("duration_minutes", "faces_seen", "alerts", "arrests"):
        table[column] = table[column].astype("Int64")
    return table


def repeat(borough, n, source="primary", date="2024-03-01", counts=(60, 1000, 2, 1)):
    return [(borough, source, date, *counts)] * n


def names_above(boroughs, level=13.5):
    return set(boroughs.loc[boroughs["black_percent"] > level, "name"])


# ------------------------------------------------------------------------- activity


def test_every_borough_is_shown_and_the_rows_without_one_are_counted(boroughs):
    table = frame(repeat("Croydon", 3) + repeat(None, 2) + repeat("Sutton", 1, date="2025-01-02"))
    activity = geography.borough_activity(table, boroughs, by="year")
    assert len(activity) == 2 * 34
    for year, part in activity.groupby("year"):
        assert list(part["ons_code"].iloc[:33]) == sorted(boroughs["ons_code"])
        assert part["borough"].iloc[-1] == geography.NO_BOROUGH
        assert part["deployments"].sum() == (table["date"].dt.year == year).sum()
    year_2024 = activity[activity["year"] == 2024].set_index("borough")
    assert year_2024.loc["Croydon", "deployments"] == 3
    assert year_2024.loc[geography.NO_BOROUGH, "deployments"] == 2
    assert year_2024.loc["Westminster", "deployments"] == 0
    assert year_2024.loc["Croydon", "hours"] == pytest.approx(3.0)
    assert year_2024.loc["Croydon", ["faces_seen", "alerts", "arrests"]].tolist() == [3000, 6, 3]


def test_tiers_are_counted_apart_and_unknown_counts_are_excluded_not_zeroed(boroughs):
    rows = repeat("Newham", 2) + [("Newham", "secondary", "2024-06-01", None, 500, 1, None)]
    rows += [("Brent", "secondary", "2024-06-01", None, 10, 0, 0)]
    activity = geography.borough_activity(frame(rows), boroughs, by=None, full=True)
    newham = activity.set_index("borough").loc["Newham"]
    assert (newham["deployments_primary"], newham["deployments_secondary"]) == (2, 1)
    assert newham["hours"] == pytest.approx(2.0) and newham["n_excluded_hours"] == 1
    assert newham["arrests"] == 2 and newham["n_excluded_arrests"] == 1
    assert newham["faces_seen"] == 2500 and newham["n_excluded"] == 1
    brent = activity.set_index("borough").loc["Brent"]
    assert np.isnan(brent["hours"]), "no duration known: unknown, not 0 hours"


def test_a_name_that_is_not_a_london_borough_is_refused_naming_the_row(boroughs):
    table = frame(repeat("Croydon", 1) + repeat("Croydn", 1))
    with pytest.raises(ValueError, match=r"row 1 .*deployment_id 'T-1'.*'Croydn'"):
        geography.borough_activity(table, boroughs)


def test_missing_raise_refuses_rows_lacking_a_count(boroughs):
    table = frame([("Croydon", "secondary", "2025-06-01", None, 10, 1, 0)])
    with pytest.raises(ValueError, match="1 row.*lack duration_minutes"):
        geography.borough_activity(table, boroughs, missing="raise")


def test_the_record_is_counted_whole_per_year_and_tier(record, boroughs):
    activity = geography.borough_activity(record, boroughs, by=["year", "source_type"])
    years = record["date"].dt.year
    for (year, tier), part in activity.groupby(["year", "source_type"]):
        rows = record[(years == year) & (record["source_type"] == tier)]
        assert part["deployments"].sum() == len(rows)
        unplaced = part.set_index("borough").loc[geography.NO_BOROUGH, "deployments"]
        assert unplaced == rows["borough"].isna().sum()
    coverage = geography.borough_coverage(record)
    total = coverage[coverage["year"] == "total"].iloc[0]
    assert total["rows"] == len(record)
    assert total["without_borough"] == record["borough"].isna().sum()


# ---------------------------------------------------------------------- per resident


@pytest.mark.parametrize(
    ("borough", "count", "expected"),
    [
        ("Croydon", 28, ref.croydon_28_in_390719),
        ("Westminster", 21, ref.westminster_21_in_204236),
        ("City of London", 0, ref.city_0_in_8583),
        ("Barnet", 1, ref.barnet_1_in_389344),
    ],
)
def test_rates_per_resident_match_r_poisson_test(boroughs, borough, count, expected):
    activity = geography.borough_activity(frame(repeat(borough, count)), boroughs, by=None)
    rates = geography.per_resident(activity).set_index("borough").loc[borough]
    residents = boroughs.set_index("name").loc[borough, "usual_residents"]
    assert rates["person_years"] == residents
    assert rates["deployments_per_100k"] == pytest.approx(count / residents * 1e5, rel=REL)
    assert rates["deployments_lower"] == pytest.approx(expected.lower * 1e5, rel=REL, abs=0)
    assert rates["deployments_upper"] == pytest.approx(expected.upper * 1e5, rel=REL)


def test_the_exposure_scales_with_the_years_and_the_level_with_conf(boroughs):
    table = frame(repeat("Barking and Dagenham", 3) + repeat("Sutton", 5))
    activity = geography.borough_activity(table, boroughs, by=None).set_index("borough")
    half = geography.per_resident(activity, years=0.5).loc["Barking and Dagenham"]
    assert half["deployments_lower"] == pytest.approx(ref.barking_3_in_half_year.lower * 1e5)
    assert half["deployments_upper"] == pytest.approx(ref.barking_3_in_half_year.upper * 1e5)
    ninety = geography.per_resident(activity, conf=0.9).loc["Sutton"]
    assert ninety["deployments_lower"] == pytest.approx(ref.sutton_5_in_209639_conf90.lower * 1e5)
    assert ninety["deployments_upper"] == pytest.approx(ref.sutton_5_in_209639_conf90.upper * 1e5)


def test_hours_get_a_rate_but_no_poisson_interval_and_the_no_borough_row_no_rate(boroughs):
    table = frame(repeat("Croydon", 2, counts=(90, 10, 1, 0)) + repeat(None, 4))
    activity = geography.borough_activity(table, boroughs, by=None)
    rates = geography.per_resident(activity, ["deployments", "hours", "alerts"]).set_index(
        "borough"
    )
    croydon = rates.loc["Croydon"]
    assert croydon["hours_per_100k"] == pytest.approx(3.0 / 390719 * 1e5)
    assert np.isnan(croydon["hours_lower"]) and np.isnan(croydon["hours_upper"])
    assert "duration, not a count" in croydon["method"]
    assert np.isnan(rates.loc[geography.NO_BOROUGH, "deployments_per_100k"])
    with pytest.raises(ValueError, match="years"):
        geography.per_resident(activity, years=0)


def test_londons_rate_over_all_residents_matches_r(boroughs):
    totals = pd.DataFrame({"usual_residents": [int(boroughs["usual_residents"].sum())]})
    totals["deployments"] = 179
    rate = geography.per_resident(totals).iloc[0]
    assert rate["deployments_lower"] == pytest.approx(ref.london_179_in_8799728.lower * 1e5)
    assert rate["deployments_upper"] == pytest.approx(ref.london_179_in_8799728.upper * 1e5)


# -------------------------------------------------------------------- census claim


def claim_frame(boroughs, n_above, n_below, n_blank, year="2024-05-01"):
    above = sorted(names_above(boroughs))
    below = sorted(set(boroughs["name"]) - set(above))
    rows = [(above[i % len(above)], "primary", year, 60, 1, 0, 0) for i in range(n_above)]
    rows += [(below[i % len(below)], "primary", year, 60, 1, 0, 0) for i in range(n_below)]
    rows += [(None, "primary", year, 60, 1, 0, 0)] * n_blank
    return frame(rows)


def test_the_share_above_londons_black_share_with_bounds_and_intervals(boroughs):
    table = claim_frame(boroughs, 64, 55, 60)
    other_year = claim_frame(boroughs, 5, 0, 0, year="2023-05-01")
    both = pd.concat([table, other_year], ignore_index=True)
    result = geography.share_in_boroughs_above(both, boroughs, 13.5, year=2024, full=True)
    row = result.iloc[0]
    assert (row["n_deployments"], row["n_above"], row["n_without_borough"]) == (179, 64, 60)
    assert row["share_above"] == pytest.approx(64 / 119)
    assert row["lower"] == pytest.approx(ref.clopper_pearson_64_in_119.lower, rel=REL)
    assert row["upper"] == pytest.approx(ref.clopper_pearson_64_in_119.upper, rel=REL)
    assert row["share_above_lowest"] == pytest.approx(64 / 179)
    assert row["share_above_highest"] == pytest.approx(124 / 179)
    assert row["over_half"] == "undetermined"
    residents = boroughs["usual_residents"].astype(float)
    above = boroughs["black_percent"] > 13.5
    assert (row["residents_above"], row["residents_not_above"]) == (3647146, 5152582)
    assert row["residents_above"] == residents[above].sum()
    assert row["boroughs_above"] == 12
    assert row["resident_share_above"] == pytest.approx(residents[above].sum() / residents.sum())
    assert row["rate_ratio"] == pytest.approx((64 / 3647146) / (55 / 5152582))
    lower = ref.ratio_64_in_3647146_vs_55_in_5152582.lower
    upper = ref.ratio_64_in_3647146_vs_55_in_5152582.upper
    assert row["ratio_lower"] == pytest.approx(lower, rel=1e-9)
    assert row["ratio_upper"] == pytest.approx(upper, rel=1e-9)
    assert "between 35.8% and 69.3%" in row["reading"]


@pytest.mark.parametrize(
    ("n_above", "n_below", "n_blank", "verdict"),
    [(90, 40, 49, "yes"), (50, 99, 30, "no"), (89, 90, 0, "no"), (90, 89, 0, "yes")],
)
def test_over_half_is_said_only_when_the_unplaced_rows_cannot_change_it(
    boroughs, n_above, n_below, n_blank, verdict
):
    table = claim_frame(boroughs, n_above, n_below, n_blank)
    result = geography.share_in_boroughs_above(table, boroughs, 13.5).iloc[0]
    assert result["over_half"] == verdict


def test_no_deployment_below_gives_an_infinite_ratio_and_rs_lower_limit(boroughs):
    table = claim_frame(boroughs, 5, 0, 0)
    row = geography.share_in_boroughs_above(table, boroughs, 13.5).iloc[0]
    assert row["rate_ratio"] == np.inf and row["ratio_upper"] == np.inf
    assert row["ratio_lower"] == pytest.approx(ref.ratio_5_in_3647146_vs_0_in_5152582.lower)


def test_londons_weighted_share_is_the_r_sum_and_the_benchmark_is_refused_if_absurd(boroughs):
    share = geography.london_share(boroughs)
    assert share == pytest.approx(ref.census_black_percent_weighted, rel=1e-12)
    with pytest.raises(ValueError, match="benchmark"):
        geography.share_in_boroughs_above(claim_frame(boroughs, 1, 1, 0), boroughs, -1)
    with pytest.raises(ValueError, match="group"):
        geography.london_share(boroughs, "black")


def test_no_borough_sits_within_rounding_of_londons_share(boroughs):
    """The classification above/below 13.5% cannot flip with the 0.05 rounding of a share."""
    gaps = (boroughs["black_percent"] - ref.LONDON_BLACK_PERCENT).abs()
    assert gaps.min() > 0.05


# -------------------------------------------------------------------- recorded crime


@pytest.fixture(scope="module")
def crime_2025(boroughs):
    return geography.recorded_crime(geography.load_crime(), boroughs, year=2025)


def test_the_years_offences_are_the_r_sums_of_the_published_months(crime_2025):
    counts = crime_2025.set_index("borough")["recorded_crimes"]
    expected = {name: count for name, count in ref.CRIMES_2025.items()}
    assert {k: int(v) for k, v in counts.dropna().items()} == expected
    assert pd.isna(counts["City of London"])
    assert "City of London Police" in crime_2025.set_index("borough").loc["City of London", "note"]
    assert "Heathrow" in crime_2025.set_index("borough").loc["Hillingdon", "note"]


def test_offences_per_1000_residents_match_r(crime_2025):
    westminster = crime_2025.set_index("borough").loc["Westminster"]
    assert westminster["crimes_per_1000"] == pytest.approx(85011 / 204236 * 1000, rel=REL)
    expected = ref.westminster_crimes_85011_in_204236
    assert westminster["lower"] == pytest.approx(expected.lower * 1000, rel=1e-9)
    assert westminster["upper"] == pytest.approx(expected.upper * 1000, rel=1e-9)


def test_a_year_the_table_does_not_cover_whole_is_refused(boroughs):
    with pytest.raises(ValueError, match="lacks month.*202401.*covers 202407 to 202606"):
        geography.recorded_crime(geography.load_crime(), boroughs, year=2024)


def test_the_crime_strata_account_for_every_deployment_and_resident(boroughs, crime_2025):
    table = claim_frame(boroughs, 30, 40, 7)
    table = pd.concat([table, frame(repeat("City of London", 2))], ignore_index=True)
    activity = geography.borough_activity(table, boroughs, by=None)
    strata = geography.crime_strata(activity, boroughs, crime_2025, 13.5)
    assert strata["deployments"].sum() == len(table)
    assert strata.loc[strata["share"] == geography.NO_BOROUGH, "deployments"].item() == 7
    assert strata["usual_residents"].sum() == boroughs["usual_residents"].sum()
    city = strata[strata["crime"] == "no Met figure"].iloc[0]
    in_city = (table["borough"] == "City of London").sum()
    assert (city["names"], city["deployments"]) == ("City of London", in_city)
    policed = crime_2025.dropna(subset=["usual_residents", "recorded_crimes"])
    met = policed["recorded_crimes"].sum() / policed["usual_residents"].sum() * 1000
    assert strata["met_crimes_per_1000"].iloc[0] == pytest.approx(met)
    high = strata[(strata["crime"] == "above") & (strata["share"] == "above")].iloc[0]
    low = strata[(strata["crime"] == "above") & (strata["share"] == "not above")].iloc[0]
    ratio = (high["deployments"] / high["usual_residents"]) / (
        low["deployments"] / low["usual_residents"]
    )
    assert high["rate_ratio"] == pytest.approx(ratio)
    assert high["ratio_lower"] < high["rate_ratio"] < high["ratio_upper"]
    with pytest.raises(ValueError, match="one group only"):
        geography.crime_strata(pd.concat([activity, activity]), boroughs, crime_2025, 13.5)
