"""Property-based tests (hypothesis) of the suite's estimators.

For any valid input the intervals are ordered, inside their domain, contain the estimate,
and are nested as the confidence level rises; invalid input is refused with a
``ValueError`` naming the problem. The number of examples tried per property is shown in
the test summary.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lfr_analysis import arrests, predictions, rates, references

EXAMPLES = 150
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
FRAME_PROPERTY = settings(PROPERTY, max_examples=EXAMPLES // 3)
METHODS = ["clopper-pearson", "mid-p", "jeffreys", "jeffreys-modified", "wilson"]
TOLERANCE = 1e-12


@st.composite
def counts(draw, max_trials=10**9):
    trials = draw(st.integers(1, max_trials))
    kind = draw(st.sampled_from(["any", "small", "edge"]))
    if kind == "small":
        events = draw(st.integers(0, min(trials, 20)))
    elif kind == "edge":
        events = draw(st.sampled_from([0, 1, trials - 1, trials]))
        events = max(0, events)
    else:
        events = draw(st.integers(0, trials))
    return events, trials


confs = st.floats(0.5, 0.999, allow_nan=False)


@pytest.fixture(autouse=True)
def _count_examples(request, record_property):
    chosen = getattr(request.function, "_hypothesis_internal_use_settings", None)
    if chosen is not None:
        record_property("property_cases", f"up to {chosen.max_examples} generated examples")


@pytest.mark.parametrize("method", METHODS)
@PROPERTY
@given(pair=counts(), conf=confs)
def test_rate_ci_bounds_ordered_in_domain_and_contain_estimate(method, pair, conf):
    events, trials = pair
    row = rates.rate_ci(events, trials, method=method, conf=conf).iloc[0]
    assert 0.0 <= row.lower <= row.upper <= 1.0
    assert row.lower - TOLERANCE <= row.estimate <= row.upper + TOLERANCE
    assert row.estimate == events / trials
    if events == 0:
        assert row.lower == 0.0
    if events == trials:
        assert row.upper == 1.0


@pytest.mark.parametrize("method", METHODS)
@PROPERTY
@given(pair=counts(), low=confs, high=confs)
def test_rate_ci_nested_as_confidence_rises(method, pair, low, high):
    events, trials = pair
    low, high = sorted((low, high))
    narrow = rates.rate_ci(events, trials, method=method, conf=low).iloc[0]
    wide = rates.rate_ci(events, trials, method=method, conf=high).iloc[0]
    assert wide.lower <= narrow.lower + TOLERANCE
    assert wide.upper >= narrow.upper - TOLERANCE


@pytest.mark.parametrize("side", ["upper", "lower"])
@PROPERTY
@given(pair=counts(), conf=confs)
def test_one_sided_bounds(side, pair, conf):
    events, trials = pair
    one = rates.rate_ci(events, trials, conf=conf, side=side).iloc[0]
    assert 0.0 <= one.lower <= one.estimate <= one.upper <= 1.0
    if side == "upper":
        assert one.lower == 0.0
    if side == "upper" and conf >= 0.75:
        # a one-sided bound at conf is the two-sided limit at 2 * conf - 1
        two = rates.rate_ci(events, trials, conf=2 * conf - 1).iloc[0]
        assert one.upper == pytest.approx(two.upper, rel=1e-9, abs=1e-15)
    if side == "lower":
        assert one.upper == 1.0


@PROPERTY
@given(
    events=st.integers(-(10**6), -1) | st.floats(0.1, 10.5).filter(lambda v: v % 1 != 0),
    trials=st.integers(1, 10**6),
)
def test_rate_ci_refuses_negative_or_fractional_events(events, trials):
    with pytest.raises(ValueError, match="events"):
        rates.rate_ci([0, events], [trials, trials])


@PROPERTY
@given(pair=counts(max_trials=10**6), extra=st.integers(1, 1000))
def test_rate_ci_refuses_more_events_than_trials_naming_position(pair, extra):
    events, trials = pair
    with pytest.raises(ValueError, match="position 1"):
        rates.rate_ci([events, trials + extra], [trials, trials])


@st.composite
def deployment_frames(draw):
    size = draw(st.integers(1, 12))
    faces, false_alerts, alerts, groups = [], [], [], []
    for _ in range(size):
        seen = draw(st.integers(1, 200_000) | st.none())
        alert_count = draw(st.integers(0, 60))
        false = draw(st.integers(0, alert_count) | st.none())
        if seen is not None and false is not None:
            false = min(false, seen)
        faces.append(seen)
        alerts.append(alert_count)
        false_alerts.append(false)
        groups.append(draw(st.sampled_from([0.6, 0.64, None])))
    return pd.DataFrame(
        {
            "deployment_id": [f"D{i}" for i in range(size)],
            "faces_seen": pd.array(faces, dtype="Int64"),
            "alerts": pd.array(alerts, dtype="Int64"),
            "false_alerts": pd.array(false_alerts, dtype="Int64"),
            "threshold": pd.array(groups, dtype="Float64"),
        }
    )


@FRAME_PROPERTY
@given(frame=deployment_frames(), per=st.sampled_from(["face", "alert"]), conf=confs)
def test_false_alert_rates_pool_and_keep_every_row(frame, per, conf):
    table = rates.false_alert_rates(frame, by="threshold", per=per, conf=conf)
    assert int(table["n_deployments"].sum() + table["n_excluded"].sum()) == len(frame)
    denominator = "faces_seen" if per == "face" else "alerts"
    usable = frame[denominator].notna() & frame["false_alerts"].notna()
    assert int(table["n_deployments"].sum()) == int(usable.sum())
    for row in table.itertuples():
        total = getattr(row, denominator)
        if row.n_deployments == 0 or pd.isna(total) or total == 0:
            continue
        assert 0.0 <= row.lower <= row.rate <= row.upper <= 1.0
        assert row.rate == pytest.approx(row.false_alerts / getattr(row, denominator))
        assert row.zero_events == (row.false_alerts == 0)


@FRAME_PROPERTY
@given(frame=deployment_frames())
def test_false_alert_rates_refuse_more_false_alerts_than_faces(frame):
    frame = frame.copy()
    frame.loc[0, "faces_seen"] = 5
    frame.loc[0, "false_alerts"] = 6
    with pytest.raises(ValueError, match="D0"):
        rates.false_alert_rates(frame)


def test_false_alert_rates_refuse_negative_counts():
    frame = pd.DataFrame(
        {
            "deployment_id": ["A", "B"],
            "faces_seen": pd.array([100, 200], dtype="Int64"),
            "alerts": pd.array([1, 2], dtype="Int64"),
            "false_alerts": pd.array([0, -1], dtype="Int64"),
        }
    )
    with pytest.raises(ValueError, match="false_alerts"):
        rates.false_alert_rates(frame)
    assert np.isfinite(rates.false_alert_rates(frame.iloc[:1])["upper"].iloc[0])


# ------------------------------------------------ observed_vs_expected and arrest_counts


@pytest.fixture(scope="module")
def npl_060():
    return references.load_references()["npl2023_t060"]


def prediction_frame(faces, false_alerts, watchlist):
    size = len(faces)
    return pd.DataFrame(
        {
            "deployment_id": [f"D{i}" for i in range(size)],
            "date": pd.to_datetime(["2024-01-01"] * size),
            "watchlist_size": pd.array([watchlist] * size, dtype="Int64"),
            "threshold": [0.6] * size,
            "faces_seen": pd.array(faces, dtype="Int64"),
            "false_alerts": pd.array(false_alerts, dtype="Int64"),
        }
    )


@FRAME_PROPERTY
@given(
    rows=st.lists(st.tuples(st.integers(1, 10**6), st.integers(0, 50)), min_size=1, max_size=8),
    watchlist=st.integers(100, 50_000),
    conf=st.sampled_from([0.8, 0.9, 0.95, 0.99, 0.998]),
)
def test_observed_vs_expected_interval_in_domain_and_contains_ratio(rows, watchlist, conf, npl_060):
    faces = [f for f, _ in rows]
    false_alerts = [min(k, f) for f, k in rows]
    out = predictions.observed_vs_expected(
        prediction_frame(faces, false_alerts, watchlist), npl_060, conf=conf, full=True
    ).iloc[0]
    assert out["observed"] == sum(false_alerts)
    assert out["expected"] > 0
    assert 0 <= out["ratio_lower"] <= out["ratio"] <= out["ratio_upper"] < np.inf
    assert out["ratio"] == pytest.approx(out["observed"] / out["expected"])
    for p in ("p_two_sided", "p_more", "p_fewer"):
        assert 0 <= out[p] <= 1
    if out["observed"] == 0:
        assert out["ratio_lower"] == 0


@FRAME_PROPERTY
@given(
    faces=st.lists(st.integers(1, 10**5), min_size=2, max_size=6),
    column=st.sampled_from(["faces_seen", "false_alerts", "watchlist_size"]),
    bad=st.integers(-(10**6), -1),
    position=st.integers(0, 5),
)
def test_observed_vs_expected_refuses_negative_counts_naming_them(
    faces, column, bad, position, npl_060
):
    frame = prediction_frame(faces, [0] * len(faces), 10_000)
    row = position % len(faces)
    frame.loc[row, column] = bad
    with pytest.raises(ValueError, match=f"{column}.*D{row}|D{row}.*{column}"):
        predictions.observed_vs_expected(frame, npl_060)


@FRAME_PROPERTY
@given(conf=st.floats(allow_nan=True) | st.sampled_from([0, 1, 0.3, -0.5, 2]))
def test_a_confidence_level_outside_half_to_one_is_refused(conf, npl_060):
    if 0.5 <= conf < 1:
        return
    frame = prediction_frame([1000], [0], 10_000)
    with pytest.raises(ValueError, match="confidence level"):
        predictions.observed_vs_expected(frame, npl_060, conf=conf)
    with pytest.raises(ValueError, match="confidence level"):
        arrests.arrest_counts(conf=conf)


@pytest.mark.parametrize("conf", [0.8, 0.9, 0.95, 0.99])
def test_arrest_counts_on_the_published_data_are_ordered_and_nested(conf):
    # generated inputs: see test_counts_properties_on_many_inputs in tests/test_arrests.py
    wider = 1 - (1 - conf) / 2
    narrow = arrests.arrest_counts(by="offence_group", conf=conf).set_index("offence_group")
    wide = arrests.arrest_counts(by="offence_group", conf=wider).set_index("offence_group")
    assert (narrow["lower"] >= 0).all()
    assert (narrow["lower"] <= narrow["arrests"]).all()
    assert (narrow["arrests"] <= narrow["upper"]).all()
    assert (wide["lower"] <= narrow["lower"] + 1e-9).all()
    assert (wide["upper"] >= narrow["upper"] - 1e-9).all()
