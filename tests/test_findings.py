"""The headline findings: numbers from the data by independent computation, sentences that
quote them, the tipping-point hook and how current the data are."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from lfr_analysis import data, findings, predictions


@pytest.fixture(scope="module")
def deployments():
    return data.load_deployments()


@pytest.fixture(scope="module")
def found(deployments):
    return {f.key: f for f in findings.findings(deployments)}


def clopper_pearson(events, trials, conf=0.95):
    tail = (1 - conf) / 2
    lower = stats.beta.ppf(tail, events, trials - events + 1) if events else 0.0
    upper = stats.beta.ppf(1 - tail, events + 1, trials - events) if events < trials else 1.0
    return lower, upper


def garwood(events, conf=0.95):
    tail = (1 - conf) / 2
    lower = stats.chi2.ppf(tail, 2 * events) / 2 if events else 0.0
    return lower, stats.chi2.ppf(1 - tail, 2 * events + 2) / 2


def test_every_finding_in_order_with_a_sentence_and_its_source(found):
    assert list(found) == list(findings.KEYS)
    for item in found.values():
        assert item.sentence.endswith(".") and len(item.sentence) < 600
        assert item.notebook[:2].isdigit() and "(" in item.computed_by
        assert item.rests_on
        assert math.isfinite(item.estimate)
        assert item.lower <= item.estimate <= item.upper


def test_per_face_and_per_alert_rates_of_the_primary_rows(deployments, found):
    primary = deployments[deployments["source_type"] == "primary"]
    usable = primary.dropna(subset=["faces_seen", "false_alerts", "alerts"])
    events = int(usable["false_alerts"].sum())
    faces, alerts = int(usable["faces_seen"].sum()), int(usable["alerts"].sum())
    face, alert = found["false_alerts_per_face"], found["false_alerts_per_alert"]
    assert face.estimate == pytest.approx(events / faces, rel=1e-12)
    assert (face.lower, face.upper) == pytest.approx(clopper_pearson(events, faces), rel=1e-9)
    assert alert.estimate == pytest.approx(events / alerts, rel=1e-12)
    assert (alert.lower, alert.upper) == pytest.approx(clopper_pearson(events, alerts), rel=1e-9)
    assert f"{events} false alerts in {faces:,} faces" in face.sentence
    assert f"1 in {faces / events:,.0f} faces" in face.sentence
    assert f"{events / faces * 1e6:.1f} per million" in face.sentence
    assert f"{events:,} of the {alerts:,} alerts" in alert.sentence
    assert f"{events / alerts:.1%}" in alert.sentence


def test_observed_against_npl_at_each_threshold(deployments, found):
    primary = deployments[deployments["source_type"] == "primary"]
    for threshold, rate_at_10k in ((0.60, 1 / 6000), (0.62, 1 / 42000)):
        at = primary[np.isclose(primary["threshold"].astype(float), threshold)]
        expected = float((at["faces_seen"] * rate_at_10k * at["watchlist_size"] / 10_000).sum())
        observed = int(at["false_alerts"].sum())
        item = found[f"npl_{threshold:.2f}"]
        assert item.estimate == pytest.approx(observed / expected, rel=1e-9)
        lower, upper = garwood(observed)
        assert (item.lower, item.upper) == pytest.approx((lower / expected, upper / expected))
        assert f"{observed} false alerts" in item.sentence
        assert f"predicts {expected:,.1f}" in item.sentence
        assert f"(O/E) {observed / expected:.2f}" in item.sentence
    zero = found["npl_0.64"]
    assert "saw no false positive" in zero.sentence and "O/E" not in zero.sentence
    at = primary[np.isclose(primary["threshold"].astype(float), 0.64)]
    scaled = (at["faces_seen"] * at["watchlist_size"] / 10_000).sum()
    assert zero.estimate == pytest.approx(at["false_alerts"].sum() / round(scaled), rel=1e-9)


def test_arrests_and_yield(found, deployments):
    groups = found["arrests_by_offence_group"]
    counts = {row["offence_group"]: row["arrests"] for row in groups.details}
    largest = max(counts, key=counts.get)
    assert groups.estimate == counts[largest]
    assert (groups.lower, groups.upper) == pytest.approx(garwood(counts[largest]))
    assert f"the {sum(counts.values())} arrested people" in groups.sentence
    assert largest.lower() in groups.sentence
    primary = deployments[deployments["source_type"] == "primary"].dropna(subset=["arrests"])
    made = found["arrest_yield"]
    assert made.estimate == pytest.approx(primary["arrests"].sum() / len(primary))
    assert f"{int(primary['arrests'].sum()):,} arrests after {len(primary):,} deployments" in (
        made.sentence
    )


def test_the_tipping_point_is_taken_from_predictions_when_it_exists(deployments, monkeypatch):
    if not hasattr(predictions, "tipping_point"):
        assert findings.tipping_point_text(deployments, None) == ""
    calls = []

    def tipping_point(at, reference):
        calls.append((len(at), reference.threshold))
        return {"sentence": f"Tips at {reference.threshold:.2f}.", "other": 1}

    monkeypatch.setattr(predictions, "tipping_point", tipping_point, raising=False)
    found = {f.key: f for f in findings.findings(deployments)}
    assert found["npl_0.60"].tipping_point == "Tips at 0.60."
    assert found["npl_0.64"].tipping_point == "Tips at 0.64."
    assert [t for _, t in calls] == [0.60, 0.62, 0.64]
    assert found["false_alerts_per_face"].tipping_point == ""


def test_data_as_of_per_source_type(deployments, monkeypatch):
    monkeypatch.delattr(data, "data_as_of", raising=False)
    table = findings.data_as_of(deployments)
    expected = deployments.groupby("source_type")["date"].max()
    assert dict(zip(table["source_type"], table["last_deployment"], strict=True)) == dict(expected)
    assert table["n_deployments"].sum() == len(deployments)
    tiered = deployments.assign(tier=np.where(deployments.index % 2, "a", "b"))
    assert len(findings.data_as_of(tiered)) == 4
    monkeypatch.setattr(
        data, "data_as_of", lambda d: d.groupby("source_type")["date"].max(), raising=False
    )
    delegated = findings.data_as_of(deployments)
    assert list(delegated.columns) == ["source_type", "last_deployment"]


def test_refusals(deployments):
    with pytest.raises(ValueError, match="conf"):
        findings.findings(deployments, conf=0.3)
    with pytest.raises(ValueError, match="no column"):
        findings.findings(deployments.drop(columns="threshold"))
    secondary = deployments[deployments["source_type"] == "secondary"]
    with pytest.raises(ValueError, match="no primary rows"):
        findings.findings(secondary)
    with pytest.raises(TypeError, match="list of Finding"):
        findings.findings_frame([1])
    frame = findings.findings_frame(findings.findings(deployments))
    assert list(frame.columns) == ["topic", "sentence"] and len(frame) == len(findings.KEYS)
    assert isinstance(frame, pd.DataFrame)
