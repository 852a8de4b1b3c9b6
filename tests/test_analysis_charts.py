"""The charts the analysis notebooks draw: each takes ``ax=None`` and returns what it drew on."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from lfr_analysis import arrests, plotting, rates
from lfr_analysis.stats import simulate

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


# ------------------------------------------------------------------ the ledger's charts


@pytest.fixture
def compared():
    yield pd.DataFrame(
        {
            "figure_id": ["a-low", "b-exact", "c-bound", "d-high"],
            "status": ["contradicted", "reproduced", "understated", "close"],
            "qualifier": ["exact", "exact", "more_than", "about"],
            "ratio": [0.5, 1.0, 1.4, 1.03],
        }
    )
    plt.close("all")


def test_recomputed_ratios_draws_one_point_per_figure_bounds_as_triangles(compared):
    ax = plotting.plot_recomputed_ratios(compared)
    assert [t.get_text() for t in ax.get_yticklabels()] == compared["figure_id"].tolist()
    assert ax.get_xscale() == "log"
    points = ax.collections
    assert sum(len(points_.get_offsets()) for points_ in points) == 4
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["reproduced", "understated (bound)", "close", "contradicted"]
    bound = points[legend.index("understated (bound)")].get_offsets()
    assert bound.tolist() == [[1.4, 2.0]]  # drawn at its row, in the order given
    _, given = plt.subplots()
    assert plotting.plot_recomputed_ratios(compared, ax=given) is given


def test_recomputed_ratios_refuses_what_a_log_axis_cannot_show(compared):
    with pytest.raises(ValueError, match=r"ratio at row 1 \(b-exact\)"):
        plotting.plot_recomputed_ratios(compared.assign(ratio=[0.5, 0.0, 1.4, 1.03]))
    with pytest.raises(ValueError, match="status"):
        plotting.plot_recomputed_ratios(compared.assign(status="not_checkable"))
    with pytest.raises(ValueError, match="qualifier"):
        plotting.plot_recomputed_ratios(compared.drop(columns="qualifier"))
    with pytest.raises(TypeError, match="compared"):
        plotting.plot_recomputed_ratios(compared.to_dict())


@pytest.fixture
def running():
    dates = pd.to_datetime(["2024-01-10", "2024-06-01", "2025-03-01", "2025-08-01"])
    yield pd.Series([1.0, 40.0, 90.0, 150.0], index=dates, name="arrests since 2024-01-01")
    plt.close("all")


MILESTONES = pd.DataFrame(
    {
        "value": [35.0, 140.0],
        "value_as_published": ["35", "more than 140"],
        "period_end": pd.to_datetime(["2024-05-31", pd.NaT]),
        "published": pd.to_datetime(["2024-06-03", "2025-08-05"]),
    }
)


def test_running_total_draws_the_record_and_each_published_total(running):
    ax = plotting.plot_running_total(running, MILESTONES, cutoff="2025-05-10")
    step = ax.get_lines()[0]
    assert step.get_ydata().tolist() == [1.0, 40.0, 90.0, 150.0]
    assert [t.get_text() for t in ax.texts[:2]] == ["35", "more than 140"]
    assert "after 10 May 2025" in ax.texts[-1].get_text()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["record: arrests since 2024-01-01", "published figures"]
    assert ax.get_ylabel() == "arrests"
    where = ax.collections[0].get_offsets()[:, 0]  # period end, else the publication date
    expected = pd.to_datetime(["2024-05-31", "2025-08-05"]).to_numpy()
    assert np.allclose(where, matplotlib.dates.date2num(expected))
    _, given = plt.subplots()
    assert plotting.plot_running_total(running, MILESTONES, cutoff="2025-05-10", ax=given) is given


def test_running_total_refuses_bad_input(running):
    with pytest.raises(TypeError, match="running"):
        plotting.plot_running_total(running.to_numpy(), MILESTONES, cutoff="2025-05-10")
    with pytest.raises(ValueError, match="cutoff"):
        plotting.plot_running_total(running, MILESTONES, cutoff="not a date")
    with pytest.raises(ValueError, match="value_as_published"):
        plotting.plot_running_total(
            running, MILESTONES.drop(columns="value_as_published"), cutoff="2025-05-10"
        )
    undated = MILESTONES.assign(published=pd.NaT)
    with pytest.raises(ValueError, match="row 1 has neither"):
        plotting.plot_running_total(running, undated, cutoff="2025-05-10")


# ------------------------------------------------------------------ the teaching charts


@pytest.fixture
def replays():
    rng = np.random.default_rng(1)
    yield {
        name: pd.DataFrame(
            {"false_alerts": rng.poisson(mean, 50), "false_alert_share": rng.uniform(0, s, 50)}
        )
        for name, mean, s in (("setting A", 5, 0.01), ("setting B", 300, 0.3))
    }
    plt.close("all")


def test_replays_draw_one_histogram_per_setting_and_the_observed_totals(replays):
    observed = {"false_alerts": 6, "false_alert_share": 0.004}
    left, right = plotting.plot_replays(replays, observed, n_deployments=193)
    assert len(left.containers) == len(right.containers) == 2  # one histogram per setting
    assert len(right.containers[0]) == 40
    assert sum(bar.get_height() for bar in left.containers[0]) == 50
    legend = [t.get_text() for t in left.get_legend().get_texts()]
    assert legend == ["setting A", "setting B", "observed"]
    assert left.get_lines()[0].get_xdata()[0] == 6
    assert right.get_lines()[0].get_xdata()[0] == 0.004
    assert left.get_xlabel() == "total false alerts in the 193 deployments"
    assert left.get_ylabel() == right.get_ylabel() == "replays (of 50)"
    assert left.get_xscale() == "symlog"
    _, given = plt.subplots(1, 2)
    assert list(plotting.plot_replays(replays, observed, ax=given)) == list(given)


def test_replays_refuse_bad_input(replays):
    good = {"false_alerts": 6, "false_alert_share": 0.004}
    with pytest.raises(ValueError, match="false_alert_share"):
        plotting.plot_replays(replays, {"false_alerts": 6, "false_alert_share": 1.5})
    with pytest.raises(ValueError, match="false_alerts"):
        plotting.plot_replays(replays, {"false_alerts": 2.5, "false_alert_share": 0.1})
    with pytest.raises(ValueError, match="replays"):
        plotting.plot_replays({}, good)
    with pytest.raises(TypeError, match="setting A"):
        plotting.plot_replays({"setting A": [1, 2]}, good)
    with pytest.raises(ValueError, match="n_deployments"):
        plotting.plot_replays(replays, good, n_deployments=0)


@pytest.fixture
def scenarios():
    settings = {"threshold 0.60 (study)": 1e-8, "threshold 0.64 (record)": 2e-10}
    yield simulate.compare_settings(
        np.random.default_rng(2),
        settings,
        watchlist_sizes=[1_000, 16_000],
        faces_seen=12_000,
        prevalence=1e-4,
        tpir=0.89,
        n_deployments=200,
        scaling="exact",
    )
    plt.close("all")


def test_setting_bars_draw_one_bar_per_setting_and_watchlist(scenarios):
    left, right = plotting.plot_setting_bars(scenarios, faces_seen=12_000)
    assert len(left.patches) == len(right.patches) == 4
    heights = [bar.get_height() for bar in left.patches]
    assert np.allclose(heights, scenarios["expected_false_alerts"])
    assert np.allclose([bar.get_height() for bar in right.patches], scenarios["p_any_false_alert"])
    labels = [t.get_text() for t in left.get_xticklabels()]
    assert labels == ["W = 1,000", "W = 16,000", "W = 1,000", "W = 16,000"]
    colours = [bar.get_facecolor() for bar in left.patches]
    assert colours[0] == colours[1] != colours[2] == colours[3]  # coloured by setting
    legend = [t.get_text() for t in left.get_legend().get_texts()]
    assert legend == ["threshold 0.60 (study)", "threshold 0.64 (record)"]
    assert left.get_yscale() == "log"
    assert left.get_ylabel() == "expected false alerts in 12,000 faces"
    assert right.get_ylim() == (0, 1)
    _, given = plt.subplots(1, 2)
    assert list(plotting.plot_setting_bars(scenarios, ax=given)) == list(given)


def test_setting_bars_refuse_bad_input(scenarios):
    with pytest.raises(ValueError, match="p_any_false_alert"):
        plotting.plot_setting_bars(scenarios.assign(p_any_false_alert=1.2))
    with pytest.raises(ValueError, match="expected_false_alerts at row 0"):
        plotting.plot_setting_bars(scenarios.assign(expected_false_alerts=0.0))
    with pytest.raises(ValueError, match="setting"):
        plotting.plot_setting_bars(scenarios.drop(columns="setting"))
    with pytest.raises(TypeError, match="scenarios"):
        plotting.plot_setting_bars(scenarios.to_numpy())


def test_axes_for_is_part_of_the_plotting_api():
    assert "axes_for" in plotting.__all__
    ax = plotting.axes_for(None)
    assert plotting.axes_for(ax) is ax
    assert len(plotting.axes_for(None, 2, horizontal=True)) == 2
    plt.close("all")
