"""The headline findings: numbers from the data by independent computation, sentences that
quote them, the tipping-point hook and how current the data are."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from lfr_analysis import data, findings, predictions, references


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
    one_in = faces / events
    rounded = round(one_in, -(len(str(int(one_in))) - 3))  # 3 significant figures
    assert f"1 in {rounded:,.0f} faces" in face.sentence
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
    assert "fewer false alerts than predicted, even allowing" in found["npl_0.60"].sentence
    assert "more than predicted as a fixed prediction, but not once" in found["npl_0.62"].sentence
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


def test_each_npl_finding_carries_its_tipping_point(deployments, found):
    primary = deployments[deployments["source_type"] == "primary"]
    refs = references.load_references()
    for threshold, key in ((0.60, "npl2023_t060"), (0.62, "npl2023_t062"), (0.64, "npl2023_t064")):
        at = primary[np.isclose(primary["threshold"].astype(float), threshold)]
        vary = findings.TIPPING_VARY[f"{threshold:.2f}"]
        expected = predictions.tipping_point(at, refs[key], vary=vary)["statement"]
        assert found[f"npl_{threshold:.2f}"].tipping_point == expected
        variable = f"{threshold:.2f}".replace("0.", "_0")
        call = found[f"npl_{threshold:.2f}"].tipping_computed_by
        assert call.startswith(f"pr.tipping_point(at{variable}, ref{variable}")
        assert (f'vary="{vary}"' in call) == (vary != "detections_per_person")
    # the values notebook 03 asserts: 1.45 detections per person, 66,235 and 2,400,938 passes
    assert "more than 1.45 face detections per person" in found["npl_0.60"].tipping_point
    assert "66,235 passes" in found["npl_0.62"].tipping_point
    assert "2,400,938 passes" in found["npl_0.64"].tipping_point
    assert all(not found[k].tipping_point for k in findings.KEYS if not k.startswith("npl_"))


def test_data_as_of_per_source_and_tier(deployments):
    table = findings.data_as_of(deployments)
    pd.testing.assert_frame_equal(table, data.data_as_of(deployments))
    tiers = table[table["source"] == "all sources"].set_index("tier")
    expected = deployments.groupby("source_type")["date"].agg(["max", "size"])
    assert dict(tiers["last_date"]) == dict(expected["max"])
    assert dict(tiers["rows"]) == dict(expected["size"])
    per_source = table[table["source"] != "all sources"]
    assert per_source["rows"].sum() == len(deployments)
    with pytest.raises(ValueError, match="source_type"):
        findings.data_as_of(deployments.drop(columns="source_type"))


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
