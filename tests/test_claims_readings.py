"""Declared readings (lfr_analysis.claims.readings): fixed in advance, never fitted.

A figure is "explained" by another reading only if that reading is one of the short list
declared for its metric and period. These tests show the list does not depend on the
published value, what each reading computes on the synthetic record, that the cited
correction is read from ``date_as_printed`` only when the table has it, and that random
figures near the real ones are matched by a declared reading only rarely (the rate is
measured on the real record and printed).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from claims_fixtures import figure, synthetic_deployments

from lfr_analysis import claims, data


@pytest.fixture
def deployments():
    return synthetic_deployments()


def _described(readings):
    return [(r.name, r.recipe) for r in readings]


def test_every_reading_is_declared_with_a_label_and_a_definition():
    assert list(claims.READINGS)[0] == "as_stated"
    for name, (label, definition) in claims.READINGS.items():
        assert label and definition and "\n" not in definition, name
    assert set(claims.READINGS) == {
        "as_stated",
        "end_day_excluded",
        "to_publication",
        "calendar_year",
        "end_month_included",
        "primary_rows",
        "as_printed",
        "other_denominator",
    }


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"metric": "arrests", "unit": "arrests"},
        {"period_end": "2024-03-01", "published": "2024-03-01"},
        {"metric": "false_alert_rate_per_face", "unit": "percent"},
        {"period_start": "2024-01-10", "period_end": "2024-02-20", "published": "2024-04-02"},
    ],
)
def test_readings_never_depend_on_the_published_value(deployments, overrides):
    base = figure(**overrides)
    lists = [
        _described(claims.declared_readings({**base, "value": value}, deployments))
        for value in (0.0, 3.0, 17.0, 1e6)
    ]
    assert all(found == lists[0] for found in lists), lists
    assert lists[0][0][0] == "as_stated"


def _values(fig, deployments):
    readings = claims.declared_readings(fig, deployments)
    return {r.name: claims.recompute(deployments, r.recipe).value for r in readings}


def test_what_each_reading_computes_on_the_synthetic_record(deployments):
    # arrests 6 Jan - 1 Mar 2024, published 10 Apr 2024: d2 4 + d3 6 + d4 blank = 10
    fig = figure(
        metric="arrests",
        unit="arrests",
        period_start="2024-01-06",
        period_end="2024-03-01",
        published="2024-04-10",
    )
    values = _values(fig, deployments)
    assert values["as_stated"] == 10
    # without 1 Mar (d4, blank arrests) the rows differ but the sum does not
    assert values["end_day_excluded"] == 10
    # to 10 Apr adds d5 3 and d6 1
    assert values["to_publication"] == 14
    # the period does not start on 1 January: no calendar-year reading
    assert "calendar_year" not in values
    # the Met's own rows only (d2, d3) are the rows without the last day: not offered twice
    assert "primary_rows" not in values
    assert "end_month_included" not in values  # 6 Jan is not the start of a month
    assert "as_printed" not in values  # the table has no printed dates


def test_month_readings_and_the_other_denominator(deployments):
    # false alerts per face, January-February 2024 (whole months): d1-d3, 1 in 60,000
    fig = figure(
        metric="false_alert_rate_per_face",
        unit="percent",
        period_end="2024-02-29",
        published="2024-04-11",
    )
    values = _values(fig, deployments)
    assert "to_publication" not in values  # 11 Apr is after the record's last day
    assert values["as_stated"] == pytest.approx(1 / 60_000)
    # to the end of March adds d4 (1 in 15,000) and d5: 2 in 100,000
    assert values["end_month_included"] == pytest.approx(2 / 100_000)
    assert values["other_denominator"] == pytest.approx(1 / 30)  # 1 of 30 alerts
    assert "primary_rows" not in values  # January-February has only the Met's own rows


def test_a_total_so_far_this_year_is_also_read_as_the_whole_year(deployments):
    # arrests 1 Jan - 20 Jan 2024, publication date not known: d1 5 + d2 4; the whole
    # year (to the record's end) adds d3 6, d5 3, d6 1
    fig = figure(metric="arrests", unit="arrests", period_end="2024-01-20", published=pd.NaT)
    values = _values(fig, deployments)
    assert values["as_stated"] == 9
    assert "calendar_year" not in values  # 31 Dec 2024 is after the record's last day
    fig = figure(metric="arrests", unit="arrests", period_end="2024-01-20", published="2024-04-10")
    assert _values(fig, deployments)["to_publication"] == 19
    # calendar year capped at publication: the same rows as to publication, so not repeated
    assert "calendar_year" not in _values(fig, deployments)


def test_a_reading_that_selects_the_same_rows_is_not_offered_twice(deployments):
    # 1 Jan - 31 Mar, published 1 Apr: to publication, the calendar year to publication and
    # the end month to publication select the same five rows as stated
    names = [r.name for r in claims.declared_readings(figure(), deployments)]
    assert names == ["as_stated", "primary_rows"]


def test_a_reading_past_the_last_deployment_is_not_offered(deployments):
    # published long after the record ends: reading to publication would need days the
    # record does not have
    fig = figure(published="2024-09-01")
    names = [r.name for r in claims.declared_readings(fig, deployments)]
    assert "to_publication" not in names


def _with_printed_dates(deployments):
    """d4 printed as 1 Mar 2023 and corrected to 1 Mar 2024 (like Dalston 11/07/23)."""
    out = deployments.copy()
    printed = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    printed.iloc[3] = pd.Timestamp("2023-03-01")
    out["date_as_printed"] = printed
    out["quality_flags"] = out["quality_flags"].astype(object)
    out.loc[3, "quality_flags"] = "corrected_date"
    return out


def test_the_cited_correction_is_a_reading_only_where_the_table_has_printed_dates(deployments):
    corrected = _with_printed_dates(deployments)
    in_2024 = figure(period_end="2024-03-31")
    names = [r.name for r in claims.declared_readings(in_2024, corrected)]
    assert "as_printed" in names
    assert "as_printed" not in [r.name for r in claims.declared_readings(in_2024, deployments)]
    values = _values(in_2024, corrected)
    assert values["as_stated"] == 5  # d4 at its corrected date, 2024
    assert values["as_printed"] == 4  # d4 printed in 2023
    # a publisher who counted the printed dates: "4 deployments in Jan-Mar 2024"
    row = claims.assess(figure(value=4.0, value_as_published="4"), corrected)
    assert row["status"] == "matched_other_reading", row["reason"]
    assert row["reading"].startswith("as printed, before corrections (deployments, 2024-01-01")
    assert "date as printed" in row["reading"]
    # and one who counted the corrected dates is reproduced as stated
    assert claims.assess(figure(), corrected)["status"] == "reproduced"
    # a count in the printed year: 1 deployment "in March 2023"
    march_2023 = figure(
        period_start="2023-03-01",
        period_end="2023-03-31",
        published="2023-04-01",
        value=1.0,
        value_as_published="1",
    )
    row = claims.assess(march_2023, corrected)
    assert row["status"] == "matched_other_reading", row["reason"]
    assert row["recomputed"] == 0


def test_printed_dates_blank_where_nothing_was_corrected(deployments):
    corrected = _with_printed_dates(deployments)
    assert corrected["date_as_printed"].notna().sum() == 1
    fig = figure(period_start="2024-01-01", period_end="2024-02-29", published="2024-03-01")
    # no corrected row falls in or out of January-February: the reading adds nothing
    assert "as_printed" not in [r.name for r in claims.declared_readings(fig, corrected)]


def test_the_accepted_values_are_only_the_readings_values(deployments):
    # by construction an exact count can only be matched by one of the values the declared
    # readings give; every other number is "explained" by none of them
    fig = figure(metric="arrests", unit="arrests", period_end="2024-03-01", published="2024-04-10")
    offered = set(_values(fig, deployments).values())
    matched = set()
    for n in range(0, 40):
        row = claims.assess({**fig, "value": float(n), "value_as_published": str(n)}, deployments)
        if row["status"] in ("reproduced", "matched_other_reading"):
            matched.add(n)
    assert matched == {int(v) for v in offered}


# ------------------------------------------------------------ random figures, real record


@pytest.fixture(scope="module")
def record():
    return data.load_deployments()


@pytest.fixture(scope="module")
def real_ledger(record):
    figures = data.load_published_figures()
    return figures, claims.ledger(figures, record)


#: The largest share of random values near the real ones a declared reading may "explain".
MAX_EXPLAINED = 0.05


def test_random_figures_near_the_real_ones_are_rarely_explained(
    record, real_ledger, record_property
):
    figures, table = real_ledger
    rng = np.random.default_rng(20240409)
    measured = claims.explained_by_chance(figures, record, rng, draws=50)
    assert len(measured) >= 30, len(measured)
    assert set(measured["figure_id"]) <= set(table["figure_id"])
    rate = measured.attrs["rate"]
    explained, tried = int(measured["explained"].sum()), int(measured["draws"].sum())
    record_property("random_figures_explained", f"{explained} of {tried} ({rate:.1%})")
    print(f"declared readings explained {explained} of {tried} random figures ({rate:.1%})")
    assert rate < MAX_EXPLAINED, (explained, tried)
    # at most a handful of values per figure can ever be explained
    assert (measured["alternatives"].map(len) <= measured["readings"] - 1).all()


def test_the_measurement_agrees_with_the_ledger_on_every_draw(record, real_ledger):
    # the shortcut (readings recomputed once per figure) gives what assess gives for each
    # random figure itself
    figures, _ = real_ledger
    by_id = figures.set_index("figure_id")
    measured = claims.explained_by_chance(figures, record, np.random.default_rng(7), draws=1)
    sample = measured[measured["alternatives"].map(len) > 0].head(6)
    assert len(sample) >= 3
    for row in sample.itertuples():
        real = {**by_id.loc[row.figure_id].to_dict(), "figure_id": row.figure_id}
        for value in {row.as_stated, *row.alternatives, row.published, row.published + 1}:
            fake = {**real, "value": float(value), "value_as_published": f"{int(value):,}"}
            status = claims.assess(fake, record, figures)["status"]
            expected = value != row.as_stated and value in row.alternatives
            assert (status == "matched_other_reading") == expected, (row.figure_id, value, status)


def test_explained_by_chance_checks_its_arguments(record):
    figures = data.load_published_figures()
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        claims.explained_by_chance(figures, record, 42)
    with pytest.raises(ValueError, match="draws must be at least 1"):
        claims.explained_by_chance(figures, record, np.random.default_rng(1), draws=0)
    with pytest.raises(ValueError, match="spread must be between 0 and 1"):
        claims.explained_by_chance(figures, record, np.random.default_rng(1), spread=1.5)
