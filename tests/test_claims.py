"""Tests of the ledger of published figures (lfr_analysis.claims).

The engine is tested on a small synthetic deployment table whose sums are written out by
hand below, so every expected value can be checked without the real record.
"""

from __future__ import annotations

import ast
import csv
import shutil
from decimal import Decimal

import nbformat
import numpy as np
import pandas as pd
import pytest
from claims_fixtures import figure, synthetic_deployments
from committed import committed_text
from reference import rates as ref_rates

from lfr_analysis import claims, paths
from lfr_analysis.datasets import manifest, published_figures
from lfr_analysis.datasets.reader import DataValidationError


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


def test_recompute_rejects_metrics_the_record_lacks(deployments):
    recipe = claims.Recipe("bailed", pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-31"))
    with pytest.raises(ValueError, match="not in the record"):
        claims.recompute(deployments, recipe)


def test_parse_filter_rejects_unknown_parts():
    assert published_figures.parse_filter("place~A|B; threshold=0.6") == (
        ("place", "~", "A|B"),
        ("threshold", "=", "0.6"),
    )
    assert published_figures.parse_filter("borough=Croydon") == (("borough", "=", "Croydon"),)
    with pytest.raises(ValueError, match="ward=Fairfield"):
        published_figures.parse_filter("ward=Fairfield")
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
    assert row["status"] == "reproduced", row["reason"]
    assert row["recomputed"] == 5
    assert row["reading"].startswith("as stated (deployments, 2024-01-01 to 2024-03-31")
    assert row["verdict"].startswith("Reproduced: the record gives 5 deployments")


def test_status_close_names_the_gap_and_no_reading(deployments):
    # record: 18 arrests Jan-Mar; "19" needs [18.5, 19.5), gap (18.5 - 18) / 19 = 2.6%
    row = claims.assess(
        figure(metric="arrests", unit="arrests", value_as_published="19", value=19.0),
        deployments,
    )
    assert row["status"] == "close", row["reason"]
    assert "2.6% from the published value as stated" in row["reason"]
    assert "1 row leaves the figure blank" in row["reason"]
    assert "no declared reading gives it" in row["reason"]
    assert row["reading"] == ""
    assert row["verdict"] == (
        "Close: the record gives 18 arrests from 1 Jan 2024 to 31 Mar 2024 (5 deployments, 2 "
        'of them transcribed by a third party), 2.6% from the published "19"; no declared '
        "reading gives it."
    )


def test_status_contradicted(deployments):
    # 9 arrests "in 1-15 Jan 2024": the record gives 5 (d1), 44% below; no reading gives 9
    row = claims.assess(
        figure(
            metric="arrests",
            unit="arrests",
            value_as_published="9",
            value=9.0,
            period_end="2024-01-15",
            published=pd.NaT,
        ),
        deployments,
    )
    assert row["status"] == "contradicted", row["reason"]
    assert row["recomputed"] == 5
    assert row["reading"] == ""


def test_lower_bound_far_below_the_record_is_understated(deployments):
    # faces Jan-Mar: 100,000. "more than 80,000" is 25% below: understated (margin 20%)
    row = claims.assess(
        figure(
            metric="faces_seen",
            unit="faces",
            qualifier="more_than",
            value=80_000.0,
            value_as_published="more than 80,000",
        ),
        deployments,
    )
    assert claims.UNDERSTATED_MARGIN == 0.20
    assert row["status"] == "understated", row["reason"]
    assert "the record is 25% above the bound" in row["reason"]
    assert row["verdict"].startswith('Understated: "more than 80,000" holds, but the record gives')
    # "more than 85,000" is 17.6% below the record: within the margin, reproduced
    near = figure(
        metric="faces_seen",
        unit="faces",
        qualifier="more_than",
        value=85_000.0,
        value_as_published="more than 85,000",
    )
    assert claims.assess(near, deployments)["status"] == "reproduced"
    # an "at least" bound is judged the same way; an upper bound never understates
    least = {**near, "qualifier": "at_least", "value": 50_000.0, "value_as_published": "50,000"}
    assert claims.assess(least, deployments)["status"] == "understated"
    upper = {**near, "qualifier": "less_than", "value": 500_000.0, "value_as_published": "500,000"}
    assert claims.assess(upper, deployments)["status"] == "reproduced"


def test_understates_only_lower_bounds():
    assert claims.understates(100, "more_than", 121)
    assert not claims.understates(100, "more_than", 120)
    assert claims.understates(100, "at_least", 150)
    assert not claims.understates(100, "exact", 150)
    assert not claims.understates(100, "less_than", 10)
    assert not claims.understates(100, "more_than", float("nan"))


def _report_figures(rate_value="4.76%", false_alerts="2"):
    """A source that prints its counts and a rate computed from them (like the 0.48%)."""
    counts = [
        figure(
            figure_id="src-false",
            metric="false_alerts",
            unit="alerts",
            value=float(false_alerts),
            value_as_published=false_alerts,
        ),
        figure(
            figure_id="src-alerts",
            metric="alerts",
            unit="alerts",
            value=42.0,
            value_as_published="42",
        ),
    ]
    rate = figure(
        figure_id="src-rate",
        metric="false_alert_rate_per_alert",
        unit="percent",
        value=float(rate_value.rstrip("%")),
        value_as_published=rate_value,
        derived_from="src-false/src-alerts",
    )
    return pd.DataFrame([*counts, rate]), rate


def test_own_arithmetic_not_the_records_disagrees_with_record(deployments):
    # the source prints 3 false alerts in 42 alerts and 3 / 42 = 7.14%; the record has 2 / 42
    figures, rate = _report_figures("7.14%", "3")
    row = claims.assess(rate, deployments, figures)
    assert row["status"] == "disagrees_with_record", row["reason"]
    assert row["verdict"] == (
        '"7.14%" is the source\'s own 3 / 42 (src-false / src-alerts), but the record gives '
        "4.76% false alerts per alert (2 in 42) from 1 Jan 2024 to 31 Mar 2024 (5 deployments, "
        "2 of them transcribed by a third party): the gap is in the counts (false alerts 3 v 2, "
        "alerts 42 v 42, source v record), not in the arithmetic."
    )
    # the same rate reproduced by the record is simply reproduced
    figures, rate = _report_figures("4.76%", "2")
    assert claims.assess(rate, deployments, figures)["status"] == "reproduced"
    # a rate that is not its source's arithmetic is judged as any other figure
    figures, rate = _report_figures("9.5%", "3")
    assert claims.assess(rate, deployments, figures)["status"] == "contradicted"
    with pytest.raises(ValueError, match="needs `figures` for derived_from"):
        claims.assess(_report_figures("7.14%", "3")[1], deployments)


def test_a_declared_reading_that_gives_the_figure_is_named(deployments):
    # 4 deployments "1 Jan - 1 Mar 2024": as stated 4 (d1-d4); 3 without the last day (d4)
    row = claims.assess(
        figure(
            value=3.0,
            value_as_published="3",
            period_end="2024-03-01",
            published=pd.Timestamp("2024-03-01"),
        ),
        deployments,
    )
    assert row["status"] == "matched_other_reading", row["reason"]
    assert row["recomputed"] == 4
    assert row["reading"] == "last day left out (deployments, 2024-01-01 to 2024-02-29; all rows)"
    assert row["nearest_value"] == 3
    assert row["verdict"] == (
        "Not as stated: the record gives 4 deployments from 1 Jan 2024 to 1 Mar 2024 (1 "
        "transcribed by a third party); read last day left out, it gives 3 deployments from 1 "
        'Jan 2024 to 29 Feb 2024, as published ("3").'
    )


def test_published_zero_is_handled(deployments):
    # "0 deployments in March 2024": the record has 2 (d4, d5); no division by zero
    zero = figure(value=0.0, value_as_published="0", period_start="2024-03-01", published=pd.NaT)
    with np.errstate(all="raise"):
        row = claims.assess(zero, deployments)
    assert row["status"] == "contradicted", row["reason"]
    assert row["recomputed"] == 2
    later = figure(**{**zero, "period_start": pd.Timestamp("2024-03-20")})
    assert claims.assess(later, deployments)["status"] == "reproduced"


def test_table_without_quality_flags_still_works(deployments):
    row = claims.assess(
        figure(value=4.0, value_as_published="4", published=pd.NaT),
        deployments.drop(columns="quality_flags"),
    )
    assert row["status"] == "contradicted"  # primary rows only give 3, Jan-Mar gives 5


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"metric": "charged_or_cautioned", "unit": "people"}, "charges and cautions"),
        ({"force": "South Wales Police"}, "holds no South Wales Police"),
        ({"force": "British Transport Police"}, "holds no British Transport Police"),
        ({"force": "other forces"}, "the figure is about other forces"),
        ({"period_start": "2016-08-01", "period_end": "2019-02-14"}, "2016-19 trials"),
        (
            {
                "period_end": "2024-06-30",
                "value": 8.0,
                "value_as_published": "8",
                "published": "2024-07-01",
            },
            "after the last deployment in the record (2024-04-10)",
        ),
        ({"period_start": "2024-05-01", "period_end": "2024-06-30"}, "starts after the last"),
        ({"period_start": pd.NaT, "period_end": pd.NaT}, "does not say which period"),
        ({"period_end": pd.NaT}, "does not say when its period ends"),
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
        (
            {
                "metric": "minutes_per_arrest",
                "unit": "minutes",
                "value": 34.0,
                "value_as_published": "every 34 minutes",
            },
            "no row in the window has 'duration_minutes'",
        ),
    ],
)
def test_status_not_reproducible_says_what_is_missing(deployments, overrides, expected):
    row = claims.assess(figure(**overrides), deployments)
    assert row["status"] == "not_reproducible", row["reason"]
    assert expected in row["reason"]
    assert row["verdict"] == f"Not reproducible from the record: {row['reason']}."


def test_force_column_keeps_each_force_to_its_own_rows(deployments):
    met, btp = "Metropolitan Police Service", "British Transport Police"
    deployments = deployments.assign(force=[met, btp, met, met, met, met])
    # Met rows Jan-Mar: d1, d3, d4, d5
    assert (
        claims.assess(figure(value=4.0, value_as_published="4"), deployments)["status"]
        == "reproduced"
    )
    btp_figure = figure(
        force=btp,
        value=1.0,
        value_as_published="1",
        period_end="2024-01-20",
        published=pd.Timestamp("2024-01-21"),
    )
    row = claims.assess(btp_figure, deployments)
    assert row["status"] == "reproduced", row["reason"]  # d2, the one BTP row
    assert row["deployment_ids"] == "d2"
    # the BTP rows end on 20 Jan: a BTP figure to March runs past them
    later = {
        **btp_figure,
        "period_end": pd.Timestamp("2024-03-31"),
        "published": pd.Timestamp("2024-04-01"),
    }
    assert (
        "last deployment in the record (2024-01-20)" in claims.assess(later, deployments)["reason"]
    )


def test_a_borough_count_with_unplaced_rows_is_a_lower_bound(deployments):
    with_gap = deployments.assign(borough=[*deployments["borough"][:4], None, "Newham"])
    croydon = figure(record_filter="borough=Croydon", value=3.0, value_as_published="3")
    row = claims.assess(croydon, with_gap)
    assert row["status"] == "not_reproducible", row["reason"]
    assert "1 deployment in the period has no borough" in row["reason"]
    assert (
        claims.assess({**croydon, "value": 2.0, "value_as_published": "2"}, with_gap)["status"]
        == "reproduced"
    )
    # a record count above the figure is judged as any other (here: the Met's own rows give 1)
    assert (
        claims.assess({**croydon, "value": 1.0, "value_as_published": "1"}, with_gap)["status"]
        == "matched_other_reading"
    )


def test_partial_period_still_decides_what_a_lower_bound_can(deployments):
    # Jan-Jun 2024, the record ends on 10 April: 19 arrests so far
    partial = {
        "metric": "arrests",
        "unit": "arrests",
        "period_end": "2024-06-30",
        "published": "2024-07-01",
    }
    more = figure(**partial, qualifier="more_than", value=17.0, value_as_published=">17")
    row = claims.assess(more, deployments)
    assert row["status"] == "reproduced", row["reason"]
    assert "already satisfies it" in row["reason"]
    assert "the record ending on 10 Apr 2024" in row["verdict"]
    far = figure(**partial, qualifier="more_than", value=10.0, value_as_published=">10")
    assert claims.assess(far, deployments)["status"] == "understated"
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
    assert row["verdict"].startswith('Not checkable: "deleted" is a claim about process')


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
    assert row["ci_lower"] == pytest.approx(expected.lower * 100, rel=1e-10)
    assert row["ci_upper"] == pytest.approx(expected.upper * 100, rel=1e-10)
    # the per-alert share quoted as if it were per face: the declared reading says so
    mixed = figure(
        metric="false_alert_rate_per_face",
        unit="percent",
        value=4.8,
        value_as_published="4.8%",
    )
    row = claims.assess(mixed, deployments)
    assert row["status"] == "matched_other_reading", row["reason"]
    assert row["reading"].startswith(
        "other denominator (false_alert_rate_per_alert, 2024-01-01 to 2024-03-31"
    )


def test_every_status_is_reachable(deployments):
    figures, rate = _report_figures("7.14%", "3")
    cases = [
        figure(value=5.0),
        figure(
            metric="faces_seen",
            unit="faces",
            qualifier="more_than",
            value=10_000.0,
            value_as_published=">10,000",
        ),
        figure(
            value=3.0,
            value_as_published="3",
            period_end="2024-03-01",
            published=pd.Timestamp("2024-03-01"),
        ),
        rate,
        figure(metric="arrests", unit="arrests", value=19.0, value_as_published="19"),
        figure(value=50.0, value_as_published="50"),
        figure(metric="bailed", unit="people"),
        figure(metric="process", unit="none", value=np.nan, value_as_published="x"),
    ]
    statuses = [claims.assess(f, deployments, figures)["status"] for f in cases]
    assert statuses == list(claims.STATUSES)


def test_every_status_has_a_one_sentence_definition():
    assert tuple(claims.STATUS_DEFINITIONS) == claims.STATUSES
    for status, text in claims.STATUS_DEFINITIONS.items():
        assert text.endswith(".") and "\n" not in text, status
        assert ". " not in text, (status, text)
    assert "20%" in claims.STATUS_DEFINITIONS["understated"]
    assert "5%" in claims.STATUS_DEFINITIONS["close"]


def test_status_definitions_are_in_the_data_package():
    resources = {r["path"]: r for r in manifest.read_manifest()["resources"]}
    description = resources["published_figures.csv"]["description"]
    for status, text in claims.STATUS_DEFINITIONS.items():
        assert f"{status}: {text}" in description, status
    fields = {f["name"] for f in resources["published_figures.csv"]["schema"]["fields"]}
    assert {"source_url", "copy_url", "accessed", "derived_from"} <= fields


# --------------------------------------------------------------- the data file


@pytest.fixture(scope="module")
def published():
    return published_figures.load(verify_checksum=False)


def test_every_figure_cites_its_publisher_with_a_copy_and_an_access_date(published):
    assert len(published) >= 150
    assert published["figure_id"].is_unique
    assert published["source_url"].str.match(r"https?://\S+$").all()
    copies = published["copy_url"].dropna()
    assert copies.str.match(r"https?://\S+$").all()
    assert published["publisher"].str.len().gt(0).all()
    # a row whose original was not found cites the copy it read and says so
    own = published[published["copy_url"] == published["source_url"]]
    assert len(own) > 0
    assert own["notes"].str.contains("original not found").all(), own["figure_id"].tolist()
    accessed = published["accessed"].dropna()
    assert (accessed <= pd.Timestamp("2026-12-01")).all()
    assert len(accessed) >= 150, "most figures were read and dated"
    # a row with no access date has not been re-read, and says so
    unread = published[published["accessed"].isna()]
    assert unread["notes"].str.contains("(?i)not re-checked|not re-read").all(), unread[
        "figure_id"
    ].tolist()


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
        # 2025-26
        "met-2025-arrests-1135": 1135,
        "croydon-final-operations-24": 24,
        "croydon-final-arrests-173": 173,
        "croydon-final-faces-470000": 470_000,
        "croydon-final-false-alerts-1": 1,
        "westextra-2025-westminster-faces-1m": 1_000_000,
        "westextra-2025-westminster-deployments-34": 34,
        "westextra-2025-westminster-arrests-147": 147,
        "bbw-2025-faces-4.2m": 4_200_000,
        "guardian-2026-faces-1.7m": 1_700_000,
        "btp-2026-deployments-22": 22,
        "btp-2026-faces-733000": 733_000,
        "btp-2026-false-alerts-1": 1,
        "bu-ho-ie-2025-11-deployments-8": 8,
        "bu-ho-ie-2025-11-faces-7500": 7500,
        "bu-ho-ie-2025-11-false-alerts-0": 0,
    }
    for figure_id, value in expected.items():
        assert by_id.loc[figure_id, "value"] == value, figure_id
    assert by_id.loc["met-2024-04-outperforming", "compared_with"] == "npl-2023-fpir-060"
    assert by_id.loc["met-2024-04-outperforming", "value_as_published"] == (
        "outperforming predictions"
    )
    assert by_id.loc["thompson-2026-judgment", "metric"] == "process"
    assert by_id.loc["btp-2026-deployments-22", "force"] == "British Transport Police"
    assert by_id.loc["bu-ho-ie-2025-11-deployments-8", "force"] == (
        "Home Office (Immigration Enforcement)"
    )
    assert by_id.loc["register-2025-false-alert-rate-per-alert", "derived_from"] == (
        "ar2025-false-alerts/ar2025-alerts"
    )


def test_no_paraphrase_adds_a_period_its_source_lacks(published):
    by_id = published.set_index("figure_id")
    lbc = by_id.loc["met-2025-07-arrests-1035"]
    assert "lbc.co.uk" in lbc["source_url"]
    assert "since" not in lbc["claim"] and pd.isna(lbc["period_start"])
    standard = by_id.loc["standard-2025-07-arrests-1035-since-2024"]
    assert "standard.co.uk" in standard["source_url"]
    assert "since the start of 2024" in standard["claim"]
    assert standard["period_start"] == pd.Timestamp("2024-01-01")


def test_the_deletion_claim_stays_with_the_release_that_has_its_wording(published):
    row = published.set_index("figure_id").loc["met-2024-05-deletion-under-a-second"]
    assert row["source_url"].startswith("https://news.met.police.uk/news/live-facial-")
    assert "9 April 2024 release" in row["notes"] and "not found" in row["notes"]


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
        ("record_filter", "ward=Fairfield", "is not one of"),
        ("copy_url", "a mirror", "must be a web address"),
        ("accessed", "2024-12-01", "is before the publication date"),
        ("derived_from", "met-2024-12-charged-406", "is not 'A/B'"),
        ("derived_from", "a/b", "names no figure_id"),
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


# ----------------------------------------------------------------------- notebook 05

NOTEBOOK_05 = paths.notebooks_dir() / "05_reproducing_published_figures.ipynb"


def _cells(kind: str) -> list[str]:
    book = nbformat.reads(committed_text(NOTEBOOK_05), as_version=4)
    return [cell.source for cell in book.cells if cell.cell_type == kind]


def test_notebook_05_defines_every_status_in_words():
    text = "\n".join(_cells("markdown"))
    for status, definition in claims.STATUS_DEFINITIONS.items():
        assert f"`{status}`: {definition}" in text, status


def test_notebook_05_asserts_carry_messages_and_print_no_folder():
    sources = _cells("code")
    asserts = [
        node
        for source in sources
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Assert)
    ]
    assert len(asserts) >= 8
    assert all(node.msg is not None for node in asserts), [ast.unparse(n) for n in asserts]
    code = "\n".join(sources)
    # the build folder's name changes with LFR_BUILD_DIR: the page prints the file name only
    assert "build_dir" not in code and "print(path)" not in code and "relative_to" not in code
    assert code.count("notebook.setup(") == 1
