"""Every public function of the analysis modules refuses bad input, naming it.

Issue 12 listed bad inputs that were accepted or failed obscurely (a NaN exposure, a
watchlist of 0 or 2.5, fractional arrests, ...). Each case here must raise ValueError (a bad
value) or TypeError (a value of the wrong kind) whose message names the argument and, where
there is one, the position or row and the value.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

from lfr_analysis import arrests, funnels, plotting, precision, predictions, rates, references
from lfr_analysis.stats import intervals

matplotlib.use("Agg")

REFS = references.load_references(verify_checksum=False)
REF = REFS["npl2023_t060"]


def frame(**changes) -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "deployment_id": ["d0", "d1"],
            "date": pd.to_datetime(["2024-01-01", "2024-02-01"]),
            "threshold": [0.60, 0.60],
            "watchlist_size": pd.array([10_000, 12_000], dtype="Int64"),
            "faces_seen": pd.array([5_000, 8_000], dtype="Int64"),
            "alerts": pd.array([3, 5], dtype="Int64"),
            "false_alerts": pd.array([1, 0], dtype="Int64"),
            "true_alerts": pd.array([2, 5], dtype="Int64"),
            "arrests": pd.array([1, 2], dtype="Int64"),
            "source_type": ["primary", "primary"],
        }
    )
    for column, value in changes.items():
        table = table.astype({column: object})
        table.loc[1, column] = value
    return table


CASES = [
    # rates
    (lambda: rates.false_alert_rates(frame(false_alerts=2.5)), ValueError,
     r"column 'false_alerts', row 1 \(index 1\), deployment_id 'd1': value 2.5 is not a count"),
    (lambda: rates.false_alert_rates(frame(), per="person"), ValueError,
     r"per='person' is not one of 'face', 'alert'"),
    (lambda: rates.false_alert_rates(frame(), full="yes"), TypeError, "full must be True or False"),
    (lambda: rates.false_alert_rates([1, 2]), TypeError, "deployments must be a pandas DataFrame"),
    (lambda: rates.compare_rates(frame(), frame(arrests=0.5), count="arrests", per="deployment"),
     ValueError, r"column 'arrests', row 1 .*'d1': value 0.5 is not a count"),
    # intervals used by the analyses
    (lambda: intervals.poisson_ci(3, np.nan), ValueError, "exposure at position 0 is missing"),
    (lambda: intervals.poisson_ci(3, [1.0, 0.0]), ValueError,
     r"exposure at position 1 must be a finite number above 0 \(value 0\)"),
    (lambda: intervals.ratio_ci(3, np.nan, 2, 10.0), ValueError,
     "exposure_1 at position 0 is missing"),
    (lambda: intervals.quasi_poisson_ci([1, 2.5], 1.0), ValueError,
     r"events at position 1 is not a whole number \(value 2.5\)"),
    # predictions and funnels
    (lambda: predictions.expected_false_alerts(frame(watchlist_size=0), REF), ValueError,
     r"column 'watchlist_size', row 1 .*'d1': value 0; .*empty watchlist"),
    (lambda: predictions.expected_false_alerts(frame(watchlist_size=2.5), REF), ValueError,
     r"column 'watchlist_size', row 1 .*'d1': value 2.5 is not a count"),
    (lambda: predictions.expected_false_alerts(frame(), "NPL"), TypeError,
     "reference must be a Reference, got str"),
    (lambda: predictions.observed_vs_expected(frame(faces_seen=np.inf), REF), ValueError,
     r"column 'faces_seen', row 1 .*'d1': value inf is not a count"),
    (lambda: predictions.observed_vs_expected(frame(), REF, by=3), TypeError,
     "by must be a column name or a list of column names, not 3"),
    (lambda: predictions.observed_vs_expected(frame(), REF, full=1), TypeError,
     "full must be True or False"),
    (lambda: predictions.overdispersed_ratio(frame(), REF, conf=1.2), ValueError,
     "conf=1.2: the confidence level"),
    (lambda: funnels.funnel_data(frame(), REF, by=["deployment_id"]), TypeError,
     r"by must be one column name, not \['deployment_id'\]"),
    (lambda: funnels.funnel_data(frame(), REF, n_grid=1), ValueError, "n_grid must be at least 2"),
    (lambda: funnels.funnel_data(frame(), REF, adjust=3), TypeError,
     "adjust must be a multipletests method name, not 3"),
    (lambda: funnels.funnel_limits([1.0], probs=(0.5, 1.5)), ValueError,
     r"probs at position 1 must be in \(0, 1\), got 1.5"),
    (lambda: funnels.funnel_limits([1.0, np.nan]), ValueError, "expected at position 1 is missing"),
    (lambda: funnels.cumulative_oe(frame(), REF, order_by="when"), ValueError,
     r"deployments has no column\(s\) \['when'\]"),
    # references
    (lambda: references.with_study_size(REFS["npl2023_t064"], exposure=np.nan, basis="x"),
     ValueError, "exposure at position 0 is missing"),
    (lambda: references.references_table([REF]), TypeError,
     "references must be a non-empty dict"),
    (lambda: references.references_table({"a": 3}), TypeError,
     r"references\['a'\] must be a Reference, got int"),
    # precision
    (lambda: precision.precision_by(frame(true_alerts=-1), precision.load_precision_references()),
     ValueError, r"column 'true_alerts', row 1 .*'d1': value -1 is not a count"),
    (lambda: precision.precision_by(frame(), {"a": 1}), TypeError,
     "reference must be a PrecisionReference"),
    (lambda: precision.share_vs_benchmark(8, 10, 1.2), ValueError,
     "benchmark_share must be in"),
    (lambda: precision.share_vs_benchmark(11, 10, 0.5), ValueError,
     r"share events \(11\) exceed trials \(10\)"),
    # arrests
    (lambda: arrests.arrest_yield(frame(arrests=6.5)), ValueError,
     r"column 'arrests', row 1 .*'d1': value 6.5 is not a count"),
    (lambda: arrests.arrest_yield(frame(date="soon")), ValueError,
     r"column 'date': 1 missing or unreadable dates, e.g. row 1 .*'d1' \(values \['soon'\]\)"),
    (lambda: arrests.arrest_yield(frame(), full="no"), TypeError, "full must be True or False"),
    (lambda: arrests.arrest_counts(share_method="wilson"), ValueError,
     "share_method='wilson' is not one of"),
    (lambda: arrests.arrest_counts(shares="yes"), TypeError, "shares must be True or False"),
    (lambda: arrests.arrest_counts(exposure=np.nan), ValueError,
     "exposure at position 0 is missing"),
    # charts
    (lambda: plotting.plot_counts(pd.DataFrame({"c": ["a"], "arrests": [1], "lower": [0.1],
                                                "upper": [3.0]}), "c", mark=962),
     TypeError, "mark must be a"),
    (lambda: plotting.plot_zero_event_bounds([100, -3], pd.Series({"one_in": 1.0})), ValueError,
     "bounds: give one positive"),
    (lambda: plotting.plot_rates_pair(rates.false_alert_rates(frame(), by="year"),
                                      rates.false_alert_rates(frame(), by="year"), "year"),
     ValueError, "and per_alert a per='alert' one"),
    (lambda: plotting.plot_count_panels([]), ValueError, "panels: give"),
    (lambda: plotting.plot_yield(pd.DataFrame({"year": [2024]})), ValueError, "has no column"),
]  # fmt: skip


@pytest.mark.parametrize(("call", "error", "match"), CASES, ids=range(len(CASES)))
def test_bad_input_is_refused_and_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
    matplotlib.pyplot.close("all")
