"""Tests of the ledger of published figures (lfr_analysis.claims).

The engine is tested on a small synthetic deployment table whose sums are written out by
hand below, so every expected value can be checked without the real record.
"""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from reference import rates as ref_rates

from lfr_analysis import claims
from lfr_analysis.claims import search as claims_search
from lfr_analysis.datasets import deployments as deployments_dataset
from lfr_analysis.datasets import published_figures
from lfr_analysis.datasets.reader import DataValidationError

# Synthetic record, five deployments (two transcribed "secondary" rows):
#   id  date        location           faces  alerts  false  arrests  source
#   d1  2024-01-05  North End, Croydon 10000  10      0      5        primary
#   d2  2024-01-20  Sutton High St     20000  8       1      4        primary
#   d3  2024-02-10  Woolwich           30000  12      0      6        primary
#   d4  2024-03-01  Croydon            15000  5       1      <NA>     secondary (flagged
#                                                                    date_out_of_sequence)
#   d5  2024-03-15  Oxford Circus      25000  7       0      3        secondary
#   d6  2024-04-10  Stratford          5000   2       0      1        secondary
# Jan-Mar totals: 5 deployments, faces 100,000, alerts 42, false alerts 2,
# arrests 18 over the 4 rows where known (d4 blank).


def synthetic_deployments() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "deployment_id": ["d1", "d2", "d3", "d4", "d5", "d6"],
            "date": pd.to_datetime(
                ["2024-01-05", "2024-01-20", "2024-02-10", "2024-03-01", "2024-03-15", "2024-04-10"]
            ),
            "location": [
                "North End, Croydon",
                "Sutton High St",
                "Woolwich",
                "Croydon",
                "Oxford Circus",
                "Stratford",
            ],
            "borough": ["Croydon", "Sutton", "Greenwich", "Croydon", "Westminster", "Newham"],
            "watchlist_size": pd.array([10_000, 12_000, 15_000, None, None, None], dtype="Int64"),
            "threshold": [0.6, 0.6, 0.64, np.nan, np.nan, np.nan],
            "faces_seen": pd.array([10_000, 20_000, 30_000, 15_000, 25_000, 5_000], dtype="Int64"),
            "alerts": pd.array([10, 8, 12, 5, 7, 2], dtype="Int64"),
            "true_alerts": pd.array([10, 7, 12, 4, 7, 2], dtype="Int64"),
            "false_alerts": pd.array([0, 1, 0, 1, 0, 0], dtype="Int64"),
            "arrests": pd.array([5, 4, 6, None, 3, 1], dtype="Int64"),
            "source_type": ["primary"] * 3 + ["secondary"] * 3,
            "quality_flags": [np.nan, np.nan, np.nan, "date_out_of_sequence", np.nan, np.nan],
        }
    )
    return frame


def figure(**overrides) -> dict:
    """A published figure as the loader returns it, with overridable defaults."""
    base = {
        "figure_id": "test-figure",
        "force": published_figures.RECORD_FORCE,
        "publisher": "Test publisher",
        "published": pd.Timestamp("2024-04-01"),
        "source_url": "https://example.org/figure",
        "claim": "A test claim.",
        "value_as_published": "5",
        "value": 5.0,
        "unit": "deployments",
        "qualifier": "exact",
        "period_start": pd.Timestamp("2024-01-01"),
        "period_end": pd.Timestamp("2024-03-31"),
        "metric": "deployments",
        "record_filter": np.nan,
        "compared_with": np.nan,
        "notes": np.nan,
    }
    for key in ("period_start", "period_end", "published"):
        if key in overrides and isinstance(overrides[key], str):
            overrides[key] = pd.Timestamp(overrides[key])
    base.update(overrides)
    return base


@pytest.fixture
def deployments():
    return synthetic_deployments()


# ------------------------------------------------------------------------ rounding


def test_published_0_0003_percent_is_reproduced_by_anything_that_rounds_to_it():
    step = published_figures.rounding_step(0.0003, "0.0003%", "percent", "exact")
    assert step == Decimal("0.0001")
    for value in (0.00025, 0.0003, 0.000317, 0.0003499999):
        assert claims.accepts(0.0003, step, "exact", value), value
    for value in (0.0002499999, 0.00035, 0.0004):
        assert not claims.accepts(0.0003, step, "exact", value), value


def test_annual_report_rate_rounds_to_its_published_value():
    # hand calculation: 10 / 3,147,436 = 3.1772e-6 = 0.00031772%, which rounds to 0.0003%
    recomputed_percent = 10 / 3_147_436 * 100
    assert recomputed_percent == pytest.approx(0.00031772, rel=1e-4)
    assert claims.accepts(0.0003, Decimal("0.0001"), "exact", recomputed_percent)
    # per alert: 10 / 2,077 = 0.48146%, which rounds to 0.48% at two decimals
    step = published_figures.rounding_step(0.48, "0.48%", "percent", "exact")
    assert step == Decimal("0.01")
    assert claims.accepts(0.48, step, "exact", 10 / 2077 * 100)
    # 10 / 2,089 = 0.4787% still rounds to 0.48%; 10 / 2,112 = 0.4735% rounds to 0.47%
    assert claims.accepts(0.48, step, "exact", 10 / 2089 * 100)
    assert not claims.accepts(0.48, step, "exact", 10 / 2112 * 100)


def test_one_in_n_rounds_at_its_trailing_zeros():
    step = published_figures.rounding_step(33000, "~1 in 33,000", "one_in", "about")
    assert step == Decimal(1000)
    assert claims.accepts(33000, step, "about", 32_500)
    assert claims.accepts(33000, step, "about", 33_499.9)
    assert not claims.accepts(33000, step, "about", 32_499.9)
    assert not claims.accepts(33000, step, "about", 33_500)


def test_exact_counts_need_equality_and_about_counts_round():
    step = published_figures.rounding_step(540, "540", "arrests", "exact")
    assert step == 1
    assert claims.accepts(540, step, "exact", 540)
    assert not claims.accepts(540, step, "exact", 541)
    assert not claims.accepts(540, step, "exact", 539)
    about = published_figures.rounding_step(100, "~100", "people", "about")
    assert about == 100  # "about 100" is printed to the hundred: [50, 150)
    assert claims.accepts(100, about, "about", 98)
    assert claims.accepts(100, about, "about", 50)
    assert not claims.accepts(100, about, "about", 150)


def test_scaled_and_worded_numbers():
    assert published_figures.rounding_step(4_000_000, "~4 million", "faces", "about") == 1_000_000
    assert (
        published_figures.rounding_step(2_500_000, ">2.5 million", "faces", "more_than") == 100_000
    )
    assert published_figures.rounding_step(7, "seven", "arrests", "exact") == 1
    assert published_figures.rounding_step(6000, "1 in 6,000", "one_in", "about") == 1000
    with pytest.raises(ValueError, match="not printed"):
        published_figures.rounding_step(541, "540", "arrests", "exact")


def test_inequalities_are_literal():
    assert not claims.accepts(1300, 1, "more_than", 1300)
    assert claims.accepts(1300, 1, "more_than", 1301)
    assert claims.accepts(17, 1, "at_least", 17)
    assert not claims.accepts(17, 1, "at_least", 16)
    assert claims.accepts(10, 1, "at_most", 10)
    assert not claims.accepts(10, 1, "less_than", 10)
    with pytest.raises(ValueError, match="qualifier"):
        claims.accepts(10, 1, "roughly", 10)


def test_unit_conversion_of_rates():
    assert claims.to_unit(0.002, "percent") == pytest.approx(0.2)
    assert claims.to_unit(1 / 6000, "one_in") == pytest.approx(6000)
    assert claims.to_unit(0.0, "one_in") == float("inf")
    with pytest.raises(ValueError, match="rate unit"):
        claims.to_unit(0.1, "arrests")


# ----------------------------------------------------------------------- recompute


def test_recompute_sums_and_counts_missing(deployments):
    recipe = claims.Recipe("arrests", pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-31"))
    result = claims.recompute(deployments, recipe)
    assert result.value == 18  # 5 + 4 + 6 + 3, d4 blank
    assert result.rows == 5
    assert result.rows_missing == 1
    assert (result.primary_rows, result.secondary_rows) == (3, 2)
    primary = claims.Recipe("arrests", recipe.start, recipe.end, include_secondary=False)
    assert claims.recompute(deployments, primary).value == 15


def test_recompute_filters_by_place_and_threshold(deployments):
    start, end = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-31")
    croydon = claims.Recipe(
        "deployments", start, end, published_figures.parse_filter("place~Croydon")
    )
    assert claims.recompute(deployments, croydon).value == 2  # d1 and d4
    two = claims.Recipe(
        "arrests", start, end, published_figures.parse_filter("place~Sutton|Woolwich")
    )
    assert claims.recompute(deployments, two).value == 10  # 4 + 6
    at_060 = claims.Recipe(
        "faces_seen", start, end, published_figures.parse_filter("threshold=0.6")
    )
    assert claims.recompute(deployments, at_060).value == 30_000  # d1 + d2


def test_rate_carries_clopper_pearson_interval(deployments):
    recipe = claims.Recipe(
        "false_alert_rate_per_face", pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-31")
    )
    result = claims.recompute(deployments, recipe)
    assert (result.numerator, result.denominator) == (2, 100_000)
    assert result.value == pytest.approx(2e-5)
    # independent reference: R's binom.test(2, 1e+05)$conf.int (tests/reference/rates.py)
    expected = ref_rates.clopper_pearson_2_in_100000
    lower, upper = expected.lower, expected.upper
    assert result.ci_lower == pytest.approx(lower, rel=1e-10)
    assert result.ci_upper == pytest.approx(upper, rel=1e-10)
    assert result.ci_lower < result.value < result.ci_upper


def test_window_values_agree_with_recompute(deployments):
    starts = pd.to_datetime(["2024-01-01", "2024-01-06"])
    ends = pd.to_datetime(["2024-01-31", "2024-03-31"])
    for metric in ("arrests", "deployments", "false_alert_rate_per_alert"):
        recipe = claims.Recipe(metric, starts[0], ends[0])
        grid = claims_search.window_values(deployments, recipe, starts.values, ends.values)
        for i, start in enumerate(starts):
            for j, end in enumerate(ends):
                one = claims.recompute(deployments, claims.Recipe(metric, start, end))
                assert grid[i, j] == pytest.approx(one.value), (metric, start, end)


def test_recompute_rejects_metrics_the_record_lacks(deployments):
    recipe = claims.Recipe("bailed", pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-31"))
    with pytest.raises(ValueError, match="not in the record"):
        claims.recompute(deployments, recipe)


def test_parse_filter_rejects_unknown_parts():
    assert published_figures.parse_filter("place~A|B; threshold=0.6") == (
        ("place", "~", "A|B"),
        ("threshold", "=", "0.6"),
    )
    with pytest.raises(ValueError, match="borough=Croydon"):
        published_figures.parse_filter("borough=Croydon")
    with pytest.raises(ValueError, match="use '~' with place"):
        published_figures.parse_filter("place=Croydon")


def test_compare_definitions_side_by_side(deployments):
    start, end = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-31")
    table = claims.compare_definitions(
        deployments,
        {
            "per face": claims.Recipe("false_alert_rate_per_face", start, end),
            "per alert": claims.Recipe("false_alert_rate_per_alert", start, end),
            "primary arrests": claims.Recipe("arrests", start, end, include_secondary=False),
        },
    )
    assert table.loc["per face", "value"] == pytest.approx(2 / 100_000)
    assert table.loc["per alert", "value"] == pytest.approx(2 / 42)
    lower, upper = ref_rates.clopper_pearson_2_in_42.lower, ref_rates.clopper_pearson_2_in_42.upper
    assert table.loc["per alert", ["ci_lower", "ci_upper"]].tolist() == pytest.approx(
        [lower, upper], rel=1e-10
    )
    assert table.loc["primary arrests", "value"] == 15
    assert table.loc["primary arrests", "secondary_rows"] == 0
    with pytest.raises(ValueError, match="recipes is empty"):
        claims.compare_definitions(deployments, {})


def test_running_total(deployments):
    arrests = claims.running_total(deployments, "arrests", "2024-01-06")
    # d2 4, d3 6, d4 unknown (adds 0), d5 3, d6 1
    assert arrests.tolist() == [4, 10, 10, 13, 14]
    assert arrests.index[0] == pd.Timestamp("2024-01-20")
    assert claims.running_total(deployments, "deployments", "2024-01-01").iloc[-1] == 6
    with pytest.raises(ValueError, match="not a count"):
        claims.running_total(deployments, "false_alert_rate_per_face", "2024-01-01")


# ------------------------------------------------------------------------- statuses


def test_status_reproduced(deployments):
    row = claims.assess(figure(value_as_published="5", value=5.0), deployments)
    assert row["status"] == "reproduced"
    assert row["recomputed"] == 5


def test_status_close_gives_reason_and_nearest_window(deployments):
    # record: 18 arrests Jan-Mar; 18.5 would need to round to 19, gap (18.5-18)/19 = 2.6%
    row = claims.assess(
        figure(metric="arrests", unit="arrests", value_as_published="19", value=19.0),
        deployments,
    )
    assert row["status"] == "close"
    assert "2.6% from the published value" in row["reason"]
    assert "1 rows leave the figure blank" in row["reason"]
    assert row["nearest_match"]


def test_status_contradicted_with_nearest_window(deployments):
    # 9 arrests "in 1-15 Jan 2024": the record gives 5 (d1); to 20 Jan (d2) it gives 9
    row = claims.assess(
        figure(
            metric="arrests",
            unit="arrests",
            value_as_published="9",
            value=9.0,
            period_end="2024-01-15",
        ),
        deployments,
    )
    assert row["status"] == "contradicted"
    assert row["recomputed"] == 5
    assert row["nearest_match"] == "arrests, 2024-01-01 to 2024-01-20; all rows (reproduces)"
    assert row["nearest_value"] == 9


def test_nearest_prefers_a_definition_over_a_long_shift(deployments):
    # faces Jan-Mar: all rows 100,000; primary rows only 60,000 (also Jan 1 - Feb 10)
    row = claims.assess(
        figure(
            metric="faces_seen",
            unit="faces",
            value_as_published="60,000",
            value=60_000.0,
        ),
        deployments,
    )
    assert row["status"] == "contradicted"
    assert "primary rows only" in row["nearest_match"]
    assert "2024-01-01 to 2024-03-31" in row["nearest_match"]


def test_nearest_can_leave_out_rows_flagged_as_suspect(deployments):
    # 85,000 faces in Jan-Mar: no window gives it; leaving out the flagged d4 (15,000) does
    row = claims.assess(
        figure(metric="faces_seen", unit="faces", value=85_000.0, value_as_published="85,000"),
        deployments,
    )
    assert row["status"] == "contradicted"
    assert row["nearest_match"] == (
        "faces_seen, 2024-01-01 to 2024-03-31; all rows; "
        "without rows flagged date_out_of_sequence (reproduces)"
    )


def test_nearest_window_moves_the_least(deployments):
    # 4 deployments in Jan-Mar: the record has 5; starting the day after d1 gives 4
    row = claims.assess(figure(value=4.0, value_as_published="4"), deployments)
    assert row["nearest_match"] == "deployments, 2024-01-06 to 2024-03-31; all rows (reproduces)"
    # 3 in Jan-Mar: starting the day after d2 (20 days later) gives 3 (d3, d4, d5), a
    # smaller move than ending the day before d4 (31 days earlier)
    row = claims.assess(figure(value=3.0, value_as_published="3"), deployments)
    assert row["nearest_match"] == "deployments, 2024-01-21 to 2024-03-31; all rows (reproduces)"
    # 2 in 6 Jan - 10 Mar (the record has d2, d3, d4): ending the day before d4 moves 10
    # days, starting the day after d2 moves 15, so the end moves
    row = claims.assess(
        figure(
            value=2.0,
            value_as_published="2",
            period_start="2024-01-06",
            period_end="2024-03-10",
        ),
        deployments,
    )
    assert row["nearest_match"] == "deployments, 2024-01-06 to 2024-02-29; all rows (reproduces)"


def test_published_zero_is_handled(deployments):
    # "0 deployments in March 2024": the record has 2 (d4, d5); no division by zero
    zero = figure(value=0.0, value_as_published="0", period_start="2024-03-01")
    with np.errstate(all="raise"):
        row = claims.assess(zero, deployments)
    assert row["status"] == "contradicted"
    assert row["recomputed"] == 2
    assert (
        claims.assess(figure(**{**zero, "period_start": pd.Timestamp("2024-03-20")}), deployments)[
            "status"
        ]
        == "reproduced"
    )


def test_table_without_quality_flags_still_works(deployments):
    row = claims.assess(
        figure(value=4.0, value_as_published="4"), deployments.drop(columns="quality_flags")
    )
    assert row["status"] == "contradicted"  # nothing is flagged, so no definition gives 4


def test_search_days_scale_with_the_period():
    day = pd.Timestamp("2024-04-09")
    assert claims_search.search_days(claims.Recipe("arrests", day, day)) == 7
    year = claims.Recipe("arrests", pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31"))
    assert claims_search.search_days(year) == 61
    long = claims.Recipe("arrests", pd.Timestamp("2020-01-01"), pd.Timestamp("2024-12-31"))
    assert claims_search.search_days(long) == claims_search.WINDOW_SEARCH_DAYS


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"metric": "charged_or_cautioned", "unit": "people"}, "charges and cautions"),
        ({"force": "South Wales Police"}, "holds no South Wales Police"),
        ({"period_start": "2016-08-01", "period_end": "2019-02-14"}, "2016-19 trials"),
        (
            {"period_end": "2024-06-30", "value": 8.0, "value_as_published": "8"},
            "after the last deployment in the record (2024-04-10)",
        ),
        ({"period_start": "2024-05-01", "period_end": "2024-06-30"}, "starts after the last"),
        ({"period_start": pd.NaT, "period_end": pd.NaT}, "does not say which period"),
        (
            {
                "metric": "watchlist_size",
                "unit": "people",
                "period_start": "2024-03-01",
                "value": 16231.0,
                "value_as_published": "16,231",
            },
            "no row in the window has 'watchlist_size' (2 of 2 blank)",
        ),
    ],
)
def test_status_not_reproducible_says_what_is_missing(deployments, overrides, expected):
    row = claims.assess(figure(**overrides), deployments)
    assert row["status"] == "not_reproducible"
    assert expected in row["reason"]


def test_partial_period_still_decides_what_a_lower_bound_can(deployments):
    # Jan-Jun 2024, the record ends on 10 April: 19 arrests so far
    partial = {"metric": "arrests", "unit": "arrests", "period_end": "2024-06-30"}
    more = figure(**partial, qualifier="more_than", value=15.0, value_as_published=">15")
    row = claims.assess(more, deployments)
    assert row["status"] == "reproduced"
    assert "already satisfies the figure" in row["reason"]
    fewer = figure(**partial, value=12.0, value_as_published="12")
    row = claims.assess(fewer, deployments)
    assert row["status"] == "contradicted"
    assert "already exceeds the figure" in row["reason"]
    undecided = figure(**partial, value=25.0, value_as_published="25")
    assert claims.assess(undecided, deployments)["status"] == "not_reproducible"


def test_status_not_checkable_for_process_claims(deployments):
    row = claims.assess(
        figure(metric="process", value=np.nan, unit="none", value_as_published="deleted"),
        deployments,
    )
    assert row["status"] == "not_checkable"


def test_open_ended_period_reports_where_the_record_reaches_the_figure(deployments):
    row = claims.assess(figure(value_as_published="3", value=3.0, period_end=pd.NaT), deployments)
    assert row["status"] == "not_reproducible"
    assert "does not say when its period ends" in row["reason"]
    assert row["nearest_match"].startswith("deployments, 2024-01-01 to 2024-02-10")


def test_comparative_claim_uses_the_referenced_figure(deployments):
    reference = figure(
        figure_id="npl",
        metric="tested_false_alert_rate",
        unit="one_in",
        qualifier="about",
        value=6000.0,
        value_as_published="1 in 6,000",
    )
    claim = figure(
        figure_id="better",
        metric="false_alert_rate_per_face",
        unit="fraction",
        qualifier="less_than",
        value=np.nan,
        value_as_published="outperforming",
        compared_with="npl",
        record_filter="threshold=0.6",
    )
    figures = pd.DataFrame([reference, claim])
    row = claims.assess(claim, deployments, figures)
    # threshold 0.6 rows d1, d2: 1 false alert in 30,000 faces < 1/6000
    assert row["status"] == "reproduced"
    assert row["recomputed"] == pytest.approx(1 / 30_000)
    assert "bound from npl (1 in 6,000)" in row["reason"]
    assert "95% interval includes the bound" in row["reason"]  # CP upper ~1.9e-4 > 1.67e-4
    worse = figure(**{**claim, "figure_id": "worse", "qualifier": "more_than"})
    assert claims.assess(worse, deployments, figures)["status"] == "contradicted"


def test_rates_compare_in_the_published_unit(deployments):
    # 2 false alerts in 100,000 faces = 0.002%; and 2 of 42 alerts = 4.76%
    per_face = figure(
        metric="false_alert_rate_per_face",
        unit="percent",
        value=0.002,
        value_as_published="0.002%",
    )
    row = claims.assess(per_face, deployments)
    assert row["status"] == "reproduced"
    expected = ref_rates.clopper_pearson_2_in_100000
    lower, upper = expected.lower, expected.upper
    assert row["ci_lower"] == pytest.approx(lower * 100, rel=1e-10)
    assert row["ci_upper"] == pytest.approx(upper * 100, rel=1e-10)
    # the per-alert share quoted as if it were per face: the nearest definition is per alert
    mixed = figure(
        metric="false_alert_rate_per_face",
        unit="percent",
        value=4.8,
        value_as_published="4.8%",
    )
    row = claims.assess(mixed, deployments)
    assert row["status"] == "contradicted"
    assert row["nearest_match"].startswith("false_alert_rate_per_alert, 2024-01-01 to 2024-03-31")


def test_every_status_is_reachable(deployments):
    cases = [
        figure(value=5.0),
        figure(metric="arrests", unit="arrests", value=19.0, value_as_published="19"),
        figure(value=50.0, value_as_published="50"),
        figure(metric="bailed", unit="people"),
        figure(metric="process", unit="none", value=np.nan, value_as_published="x"),
    ]
    statuses = [claims.assess(f, deployments)["status"] for f in cases]
    assert statuses == list(claims.STATUSES)


# --------------------------------------------------------------- the data file


@pytest.fixture(scope="module")
def published():
    return published_figures.load(verify_checksum=False)


def test_every_figure_cites_a_source(published):
    assert len(published) >= 100
    assert published["source_url"].str.match(r"https?://\S+$").all()
    assert published["publisher"].str.len().gt(0).all()
    assert published["figure_id"].is_unique


def test_figures_from_the_issue_are_in_the_file(published):
    by_id = published.set_index("figure_id")
    expected = {
        "met-2024-12-arrests-540": 540,
        "met-2024-12-charged-406": 406,
        "met-2024-12-bailed-95": 95,
        "met-2024-12-vawg-arrests-over-50": 50,
        "met-2024-12-sex-offenders-over-50": 50,
        "met-2024-04-09-arrests-12": 12,
        "met-2024-04-09-arrests-clapham-1": 1,
        "met-2024-04-09-arrests-sutton-woolwich-11": 11,
        "ar2025-faces": 3_147_436,
        "ar2025-false-alerts": 10,
    }
    for figure_id, value in expected.items():
        assert by_id.loc[figure_id, "value"] == value, figure_id
    assert by_id.loc["met-2024-04-outperforming", "compared_with"] == "npl-2023-fpir-060"
    assert by_id.loc["met-2024-05-deletion-under-a-second", "metric"] == "process"


def test_every_record_metric_figure_has_a_number_the_text_prints(published):
    numeric = published.dropna(subset=["value"])
    for row in numeric.itertuples():
        step = published_figures.rounding_step(
            row.value, row.value_as_published, row.unit, row.qualifier
        )
        assert claims.accepts(row.value, step, "exact", row.value) or row.qualifier != "exact"


def test_ledger_covers_every_figure_with_a_known_status(published, deployments):
    table = claims.ledger(published, deployments)
    assert len(table) == len(published)
    assert set(table["status"]) <= set(claims.STATUSES)
    assert table["figure_id"].tolist() == published["figure_id"].tolist()
    # South Wales figures and process claims never get a recomputed value
    swp = published["force"].eq("South Wales Police").to_numpy()
    assert table.loc[swp, "status"].eq("not_reproducible").all()


def test_ledger_file_is_byte_stable(published, deployments, tmp_path):
    table = claims.ledger(published, deployments)
    first = claims.write_ledger(table, tmp_path / "a.csv").read_bytes()
    second = claims.write_ledger(claims.ledger(published, deployments), tmp_path / "b.csv")
    assert first == second.read_bytes()


# --------------------------------------------------------------- bad input


def _copy_with(tmp_path, edit) -> str:
    source = published_figures.DATASET.path()
    target = tmp_path / "published_figures.csv"
    shutil.copyfile(source, target)
    with open(target, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    edit(rows)
    with open(target, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return target


@pytest.mark.parametrize(
    ("column", "bad", "message"),
    [
        ("source_url", "", "source_url"),
        ("source_url", "see the Met website", "must be a web address"),
        ("value", "541", "is not printed in"),
        ("value", "lots", "float is not a number"),
        ("period_end", "2023-01-01", "is before period_start"),
        ("record_filter", "borough=Croydon", "is not one of"),
        ("compared_with", "no-such-figure", "names no figure_id"),
        ("compared_with", "met-2024-12-bailed-95", "without a rate to compare with"),
        ("metric", "vibes", "fails check isin"),
        ("figure_id", "met-2024-12-charged-406", "unique"),
    ],
)
def test_corrupted_copies_name_line_column_and_value(tmp_path, column, bad, message):
    def edit(rows):
        header = rows[0]
        # line 28 of the file: met-2024-12-arrests-540 (header is line 1)
        index = next(i for i, r in enumerate(rows) if r[0] == "met-2024-12-arrests-540")
        rows[index][header.index(column)] = bad
        edit.line = index + 1

    path = _copy_with(tmp_path, edit)
    with pytest.raises(DataValidationError) as caught:
        published_figures.load(path, verify_checksum=False)
    text = str(caught.value)
    assert message in text
    assert "published_figures.csv" in text
    assert f"column '{column}'" in text
    if column != "figure_id":
        assert f"line {edit.line}" in text


# --------------------------------------------------------------------- CLI


@pytest.fixture
def fake_data_module(monkeypatch, deployments):
    record = deployments
    monkeypatch.setattr(deployments_dataset, "load", lambda: record)
    # the manifest is written by the data command; the file's content is what is tested here
    unchecked = published_figures.load
    monkeypatch.setattr(published_figures, "load", lambda: unchecked(verify_checksum=False))


def test_cli_prints_the_ledger_and_writes_the_csv(fake_data_module, tmp_path, capsys):
    output = tmp_path / "claims.csv"
    assert claims.main(["--output", str(output)]) == 0
    printed = capsys.readouterr().out
    assert "met-2024-12-arrests-540" in printed
    assert "not_reproducible" in printed
    written = pd.read_csv(output)
    assert set(written["status"]) <= set(claims.STATUSES)
    assert {"figure_id", "recomputed", "ci_lower", "nearest_match"} <= set(written.columns)


def test_cli_id_shows_the_full_working(fake_data_module, capsys):
    assert claims.main(["--id", "met-2024-12-charged-406"]) == 0
    printed = capsys.readouterr().out
    assert "status: not_reproducible" in printed
    assert "charges and cautions are not in it" in printed
    assert "https://www.lbc.co.uk/" in printed


def test_cli_unknown_id_is_a_clear_error(fake_data_module, capsys):
    assert claims.main(["--id", "no-such-figure"]) == 1
    assert "no figure with figure_id 'no-such-figure'" in capsys.readouterr().err
