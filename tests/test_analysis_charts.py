"""The charts the analysis notebooks draw: each takes ``ax=None`` and returns what it drew on."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from lfr_analysis import arrests, plotting, rates

matplotlib.use("Agg")


@pytest.fixture
def record():
    table = pd.DataFrame(
        {
            "deployment_id": [f"d{i}" for i in range(6)],
            "date": pd.to_datetime(
                ["2023-03-01", "2023-05-01", "2024-01-02", "2024-02-03", "2025-01-01", "2025-06-01"]
            ),  # fmt: skip
            "threshold": [0.60, 0.60, 0.64, np.nan, 0.64, 0.64],
            "faces_seen": pd.array([5_000, 8_000, 9_000, 4_000, 6_000, 7_000], dtype="Int64"),
            "alerts": pd.array([3, 5, 4, 2, 6, 3], dtype="Int64"),
            "false_alerts": pd.array([1, 0, 2, 0, 0, 1], dtype="Int64"),
            "arrests": pd.array([1, 2, 0, 3, 4, 1], dtype="Int64"),
            "source_type": ["primary"] * 5 + ["secondary"],
        }
    )
    yield table
    plt.close("all")


def test_rates_pair_draws_both_denominators_and_labels_settings(record):
    face = rates.false_alert_rates(record, by="threshold")
    alert = rates.false_alert_rates(record, by="threshold", per="alert")
    axes = plotting.plot_rates_pair(face, alert, "threshold")
    assert [ax.get_title() for ax in axes] == ["Per face seen", "Per alert"]
    labels = [t.get_text() for t in axes[0].get_yticklabels()]
    assert labels == ["0.60  (1 FA)", "0.64  (3 FA)", "unknown  (0 FA)"]
    assert "per million faces seen" in axes[0].get_xlabel()
    assert "per 100 alerts" in axes[1].get_xlabel()
    _, given = plt.subplots(1, 2)
    assert list(plotting.plot_rates_pair(face, alert, "threshold", ax=given)) == list(given)


def test_zero_event_bounds_histogram_with_the_pooled_band(record):
    pooled = rates.false_alert_rates(record).iloc[0]
    bounds = np.array([300.0, 1_200.0, 4_000.0])
    ax = plotting.plot_zero_event_bounds(bounds, pooled)
    assert ax.get_xscale() == "log"
    assert sum(patch.get_height() for patch in ax.patches[:-1]) == 3  # the bars, then the band
    assert "pooled rate (95% clopper-pearson interval)" in ax.get_legend().get_texts()[0].get_text()
    _, given = plt.subplots()
    assert plotting.plot_zero_event_bounds(bounds, pooled, ax=given) is given


def test_yield_draws_exact_and_spread_intervals(record):
    table = arrests.arrest_yield(record, by="year", full=True)
    axes = plotting.plot_yield(table, note="Source: test.")
    assert [t.get_text() for t in axes[0].get_xticklabels()] == ["2023", "2024", "2025"]
    legend = [t.get_text() for t in axes[0].get_legend().get_texts()]
    assert legend == ["allowing for spread between deployments", "exact 95%"]
    assert axes[0].figure.get_supxlabel() == "Source: test."
    with pytest.raises(ValueError, match="has no column"):
        plotting.plot_yield(arrests.arrest_yield(record, by="year"))  # the view lacks the limits


def test_count_panels_and_a_marked_total():
    table = pd.DataFrame(
        {"c": ["a", "b"], "arrests": [5, 2], "lower": [1.6, 0.2], "upper": [11.7, 7.2],
         "method": "exact Poisson (Garwood)", "conf": 0.95}
    )  # fmt: skip
    axes = plotting.plot_count_panels([(table, "c", "first"), (table, "c")], note="Source: x.")
    assert axes[0].get_title(loc="left") == "first" and len(axes) == 2
    last = " ".join(t.get_text() for t in axes[1].texts)
    assert "Source: x." in last and "95% exact Poisson (Garwood) intervals" in last
    ax = plotting.plot_counts(table, "c", mark=(6, "published total 6"))
    assert any("published total 6" in t.get_text() for t in ax.texts)
    assert ax.lines[-1].get_xdata()[0] == 6
