"""``data/mps_borough_crime.csv``: crimes recorded by the Met per borough and month.

The Metropolitan Police Service's "MPS Borough Level Crime (most recent 24 months)", from
the London Datastore dataset ``recorded_crime_summary``: offences recorded per month by
Home Office offence group (``Group``) and sub-group (``SubGroup``) for each borough
(``BOCU``), here the version covering July 2024 to June 2026. The file is kept **byte for
byte as published** in the copy read (github ``mithun-ksms/london_inequality_dashboard``,
added in commit ``1e8da1b3``; git blob :data:`COPY_BLOB`): no totals are added, so any
annual figure is computed by code (:func:`lfr_analysis.geography.recorded_crime`).

What the file is and is not:

* the 32 boroughs the Met polices; the **City of London** has its own force (City of London
  Police) and is not in it, and four rows have ``BOCU`` ``Unknown``;
* ``Hillingdon`` appears to include crime at Heathrow airport, which the Met's older
  ward-level file lists as a separate "Aviation Security (SO18)" unit, so Hillingdon's
  count per resident is inflated;
* later versions of the file revise recent months (late-recorded crimes), so quote the
  file version with any figure.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lfr_analysis.datasets.census2021_boroughs import BOROUGH_NAMES
from lfr_analysis.datasets.dataset import Dataset
from lfr_analysis.datasets.reader import Column

__all__ = [
    "COLUMNS",
    "COPY_BLOB",
    "DATASET",
    "FILE",
    "MONTHS",
    "MPS_BOROUGHS",
    "UNKNOWN_BOCU",
    "load",
]

FILE = "mps_borough_crime.csv"

#: The months the file covers, as its column names (``YYYYMM``), July 2024 - June 2026.
MONTHS = tuple(month.strftime("%Y%m") for month in pd.period_range("2024-07", "2026-06", freq="M"))

#: The boroughs the Metropolitan Police Service polices: all but the City of London.
MPS_BOROUGHS = tuple(name for name in BOROUGH_NAMES.values() if name != "City of London")

#: The ``BOCU`` of offences the Met could not place in a borough.
UNKNOWN_BOCU = "Unknown"

#: Git blob id of the copy read (``git hash-object`` of this file gives the same).
COPY_BLOB = "eae4e693b3da8272ab44e8e2b43ebf98961cd18b"
_COPY_COMMIT = "7b454e09a357cfa0a144fb7be39b25628ec75cf8"
_DATASTORE = "https://data.london.gov.uk/dataset/recorded_crime_summary"

COLUMNS: list[Column] = [
    Column("Group", "str", required=True, description="Home Office offence group, as published."),
    Column("SubGroup", "str", required=True, description="Offence sub-group, as published."),
    Column(
        "BOCU",
        "str",
        required=True,
        choices=(*MPS_BOROUGHS, UNKNOWN_BOCU),
        description="Borough (the Met's borough operational command unit name), or Unknown.",
    ),
    *(
        Column(
            month,
            "int",
            required=True,
            min=0,
            description=f"Offences recorded in {month[:4]}-{month[4:]}, as published.",
            unit="offences",
        )
        for month in MONTHS
    ),
]

DATASET = Dataset(
    file=FILE,
    name="mps-borough-crime",
    title="MPS Borough Level Crime (most recent 24 months), July 2024 - June 2026",
    description=(
        "Offences recorded by the Metropolitan Police Service per borough and month, by "
        "offence group and sub-group, as published on the London Datastore (dataset "
        "recorded_crime_summary, file 'MPS Borough Level Crime (most recent 24 months).csv', "
        "the version with months 202407-202606), byte for byte as in the copy read: github "
        f"mithun-ksms/london_inequality_dashboard at commit {_COPY_COMMIT} (git blob "
        f"{COPY_BLOB}). 32 boroughs (the City of London has its own police) and 4 rows with "
        "BOCU 'Unknown'; Hillingdon appears to include Heathrow airport. No totals: annual "
        "figures are computed by lfr_analysis.geography.recorded_crime. The copy states no "
        "licence; the London Datastore's own terms apply."
    ),
    sources=(
        {
            "title": "Metropolitan Police Service via the London Datastore, Recorded Crime: "
            "Geographic Breakdown (recorded_crime_summary), MPS Borough Level Crime (most "
            "recent 24 months)",
            "path": _DATASTORE,
        },
        {
            "title": "Copy read: mithun-ksms/london_inequality_dashboard at "
            f"{_COPY_COMMIT[:12]}, 'MPS Borough Level Crime (most recent 24 months).csv'",
            "path": f"https://github.com/mithun-ksms/london_inequality_dashboard/tree/{_COPY_COMMIT}",
        },
    ),
    columns=COLUMNS,
    unique=("Group", "SubGroup", "BOCU"),
)


def load(path: str | Path | None = None, *, verify_checksum: bool = True) -> pd.DataFrame:
    """Load ``data/mps_borough_crime.csv``: Met recorded offences per borough and month.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Another copy of the file; default ``data/mps_borough_crime.csv``.
    verify_checksum : bool
        Check the file against ``data/datapackage.json``.

    Returns
    -------
    pandas.DataFrame
        One row per offence sub-group and borough: ``Group``, ``SubGroup``, ``BOCU`` and
        one ``Int64`` column of offences per month (``"202407"`` ... ``"202606"``).

    Raises
    ------
    lfr_analysis.datasets.reader.DataValidationError
        For a header that is not this version's, a borough not policed by the Met, a
        repeated row, a count that is not a whole number >= 0.
    """
    return DATASET.read(path, verify_checksum=verify_checksum)
