"""``data/btp_deployments.csv``: one row per British Transport Police LFR deployment.

The same columns as ``deployments.csv`` (:data:`lfr_analysis.datasets.deployments.COLUMNS`),
kept in a file of its own so that every analysis of the Met's record keeps reading only
the Met. Rebuilt by ``lfr-analysis data build``: from BTP's register PDF when it is present
(``source_type`` primary), otherwise from ``btp_secondary_rows.csv`` (secondary).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lfr_analysis.datasets import btp_secondary_rows, deployments
from lfr_analysis.datasets.dataset import Dataset
from lfr_analysis.datasets.sources import document_by_key

__all__ = ["DATASET", "FILE", "load"]

FILE = "btp_deployments.csv"

_REGISTER = document_by_key("btp_register")

DATASET = Dataset(
    file=FILE,
    name="btp_deployments",
    title="British Transport Police LFR deployments, one row per deployment",
    description=(
        "Every deployment in BTP's LFR deployment register (London stations, from 11 "
        "February 2026), in the columns of deployments.csv. Without the register PDF the "
        "rows come from a published survey's quotation of it (source_type secondary): no "
        "outcomes, and the confirmed/unconfirmed split only where an alert is described."
    ),
    sources=({"title": _REGISTER.title, "path": _REGISTER.url}, btp_secondary_rows.SOURCE),
    columns=deployments.COLUMNS,
    unique=("deployment_id",),
    checks=deployments.deployment_problems,
    summary=deployments.DATASET.summary,
)


def load(path: str | Path | None = None, *, verify_checksum: bool = True) -> pd.DataFrame:
    """Load ``data/btp_deployments.csv`` (same types as the Met's deployments)."""
    return DATASET.read(path, verify_checksum=verify_checksum)
