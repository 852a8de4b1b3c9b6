"""A small synthetic deployment table and published figure for the claims tests.

Every sum below is written out by hand, so each expected value can be checked without the
real record.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lfr_analysis.datasets import published_figures

__all__ = ["figure", "synthetic_deployments"]

# Synthetic record, six deployments (three transcribed "secondary" rows):
#   id  date        location           faces  alerts  false  arrests  source
#   d1  2024-01-05  North End, Croydon 10000  10      0      5        primary
#   d2  2024-01-20  Sutton High St     20000  8       1      4        primary
#   d3  2024-02-10  Woolwich           30000  12      0      6        primary
#   d4  2024-03-01  Croydon            15000  5       1      <NA>     secondary (flagged
#                                                                    date_out_of_sequence)
#   d5  2024-03-15  Oxford Circus      25000  7       0      3        secondary
#   d6  2024-04-10  Stratford          5000   2       0      1        secondary
# Jan-Mar totals: 5 deployments, faces 100,000, alerts 42, false alerts 2,
# arrests 18 over the 4 rows where known (d4 blank). d1-d3 come from grid.pdf (pages 1,
# 1, 3), d4-d6 from a third-party transcription of record.pdf.


def synthetic_deployments() -> pd.DataFrame:
    """The six deployments above, with the columns the ledger reads."""
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
            "duration_minutes": pd.array([None] * 6, dtype="Int64"),
            "source_type": ["primary"] * 3 + ["secondary"] * 3,
            "quality_flags": [np.nan, np.nan, np.nan, "date_out_of_sequence", np.nan, np.nan],
            "source_table": [
                "grid.pdf, page 1, deployment row 1",
                "grid.pdf, page 1, deployment row 2",
                "grid.pdf, page 3, deployment row 9",
                *(
                    f"Met record 2024 via third-party transcription (compiled row T{i}; "
                    f"github.com/someone/repo notes.md (not checked) line {i})"
                    for i in (4, 5, 6)
                ),
            ],
            "source_url": ["https://example.org/grid.pdf"] * 3
            + ["https://example.org/record.pdf"] * 3,
        }
    )
    return frame


def figure(**overrides) -> dict:
    """A published figure as the loader returns it, with overridable defaults.

    By default: "5" deployments from 1 Jan to 31 Mar 2024, published 1 Apr 2024.
    """
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
        "derived_from": np.nan,
        "copy_url": np.nan,
        "accessed": pd.NaT,
        "notes": np.nan,
    }
    for key in ("period_start", "period_end", "published"):
        if key in overrides and isinstance(overrides[key], str):
            overrides[key] = pd.Timestamp(overrides[key])
    base.update(overrides)
    return base
