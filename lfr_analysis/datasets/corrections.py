"""``data/corrections.csv``: printed values the record corrects, each with its evidence.

Input of the build. One row per corrected field of one deployment: the value as printed,
the corrected value, the evidence in words and the sources that carry it. The build
(:mod:`lfr_analysis.rebuild.assemble`) applies each entry, keeps the printed value beside
the corrected one (``date_as_printed`` for a date) and flags the row
``corrected_<field>``; it stops if the printed value it finds is not the one recorded here
(the source changed, so the correction must be looked at again). The deployment id is
built from the printed values, so a correction never changes it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lfr_analysis.datasets import deployments
from lfr_analysis.datasets.dataset import Dataset
from lfr_analysis.datasets.reader import Column, Problem
from lfr_analysis.datasets.sources import document_by_key

__all__ = ["COLUMNS", "CORRECTABLE", "DATASET", "FILE", "load"]

FILE = "corrections.csv"

#: Fields a correction may change (each has its flag ``corrected_<field>`` and a column
#: that keeps the printed value).
CORRECTABLE = {"date": "date_as_printed"}

_GRID = document_by_key("grid_2023_24")

COLUMNS: list[Column] = [
    Column("deployment_id", "str", required=True, description="The corrected row's id."),
    Column(
        "field",
        "str",
        required=True,
        choices=tuple(CORRECTABLE),
        description="The column of deployments.csv corrected.",
    ),
    Column(
        "value_as_printed",
        "str",
        required=True,
        description="The value as the source prints it (ISO form for a date).",
    ),
    Column(
        "corrected_value",
        "str",
        required=True,
        description="The value analyses use (ISO form for a date).",
    ),
    Column(
        "evidence",
        "str",
        required=True,
        description="Why the printed value is wrong and the corrected one right, in words.",
    ),
    Column(
        "sources",
        "str",
        required=True,
        description=(
            "Where the evidence is, semicolon-separated: URLs, and rows of other data files "
            "as 'file.csv: row id'."
        ),
    ),
]


def _problems(frame: pd.DataFrame, name: str) -> list[Problem]:
    problems = []
    kinds = {c.name: c.kind for c in deployments.COLUMNS}
    for line, row in frame.iterrows():
        for column in ("value_as_printed", "corrected_value"):
            if kinds.get(row["field"]) == "date":
                try:
                    pd.Timestamp(row[column])
                except ValueError:
                    problems.append(Problem(name, line, column, row[column], "is not a date"))
        if row["value_as_printed"] == row["corrected_value"]:
            problems.append(
                Problem(
                    name,
                    line,
                    "corrected_value",
                    row["corrected_value"],
                    "equals the printed value",
                )
            )
        flag = f"corrected_{row['field']}"
        if flag not in deployments.QUALITY_FLAGS:
            problems.append(Problem(name, line, "field", row["field"], f"no flag {flag}"))
    return problems


DATASET = Dataset(
    file=FILE,
    name="corrections",
    title="Corrections of printed values in the deployment record, with their evidence",
    description=(
        "Input of the build: each value of the Met's record that the suite corrects, with "
        "the value as printed, the corrected value, the evidence and its sources. "
        "deployments.csv keeps the printed value beside the corrected one and flags the "
        "row corrected_<field>."
    ),
    sources=(
        {"title": _GRID.title, "path": _GRID.url},
        {
            "title": "Zoe Garbett AM report (Table 1: deployments per year), via ALHFRS",
            "path": "https://github.com/jared-krauss/ALHFRS/blob/"
            "64042f96968187ebf01a2519fb2ba3417194b188/data/extraction-2026-05-18.md",
        },
    ),
    columns=COLUMNS,
    unique=("deployment_id", "field"),
    checks=_problems,
)


def load(path: str | Path | None = None, *, verify_checksum: bool = True) -> pd.DataFrame:
    """Load ``data/corrections.csv`` (one row per corrected field)."""
    return DATASET.read(path, verify_checksum=verify_checksum)
