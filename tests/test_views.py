"""Wide results give a reader's view by default and the full working with ``full=True``."""

from __future__ import annotations

import pandas as pd
import pytest

from lfr_analysis import arrests, funnels, precision, predictions, rates, references

RECORD = pd.DataFrame(
    {
        "deployment_id": ["a", "b", "c"],
        "date": pd.to_datetime(["2024-01-01", "2024-02-01", "2025-03-01"]),
        "threshold": [0.60, 0.60, 0.60],
        "watchlist_size": pd.array([10_000, 12_000, 9_000], dtype="Int64"),
        "faces_seen": pd.array([5_000, 8_000, 7_000], dtype="Int64"),
        "alerts": pd.array([3, 5, 4], dtype="Int64"),
        "false_alerts": pd.array([1, 0, 2], dtype="Int64"),
        "true_alerts": pd.array([2, 5, 2], dtype="Int64"),
        "arrests": pd.array([1, 2, 0], dtype="Int64"),
        "source_type": ["primary", "primary", "secondary"],
    }
)
REFS = references.load_references(verify_checksum=False)


def both(function, *args, **kwargs):
    return function(*args, **kwargs), function(*args, full=True, **kwargs)


@pytest.mark.parametrize(
    ("view", "full", "columns"),
    [
        (*both(rates.false_alert_rates, RECORD, by="year"), ["year", *rates.RATE_VIEW]),
        (*both(arrests.arrest_yield, RECORD, by="year"), ["year", *arrests.YIELD_VIEW]),
        (*both(predictions.observed_vs_expected, RECORD, REFS["npl2023_t060"]),
         predictions.OVE_SUMMARY),
        (*both(references.references_table, REFS), references.REFERENCE_VIEW),
    ],
)  # fmt: skip
def test_reader_view_is_the_documented_columns_and_full_adds_the_working(view, full, columns):
    assert list(view.columns) == columns
    assert set(columns) < set(full.columns)
    shared = [c for c in columns if c in full.columns]
    pd.testing.assert_frame_equal(view[shared], full[shared])


def test_every_view_counts_the_rows_of_each_tier():
    table = rates.false_alert_rates(RECORD, by="year")
    assert table[["n_primary", "n_secondary"]].to_numpy().tolist() == [[2, 0], [0, 1]]
    points, _ = funnels.funnel_data(RECORD, REFS["npl2023_t060"])
    assert points["n_secondary"].tolist() == [0, 0, 1]
    shares = precision.precision_by(
        RECORD, precision.load_precision_references(verify_checksum=False), by="threshold"
    )
    assert shares["n_primary"].tolist() == [2, 2] and shares["n_secondary"].tolist() == [1, 1]
    yields = arrests.arrest_yield(RECORD, by=None)
    assert (yields.loc[0, "n_primary"], yields.loc[0, "n_secondary"]) == (2, 1)


def test_a_series_view_and_its_full_working():
    reference = precision.load_precision_references(verify_checksum=False)["essex2019"]
    view = precision.compare_precision(30, 40, reference)
    full = precision.compare_precision(30, 40, reference, full=True)
    assert list(view.index) == precision.PRECISION_VIEW
    assert {"ref_true_alerts", "conf", "method"} <= set(full.index) - set(view.index)
