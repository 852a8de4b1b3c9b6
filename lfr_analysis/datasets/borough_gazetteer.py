"""``data/borough_gazetteer.csv``: which London borough each printed location lies in.

Input of the build. One row per location text of the Met's record that does not name its
borough (the build assigns a borough printed in full in the text itself first, see
:func:`lfr_analysis.rebuild.assemble.named_borough`). Each row gives the borough, the basis
of the assignment and its source: Zoë Garbett AM's table of deployments (its 'Borough'
column, matched row by row on faces seen and watchlist size), or a transcriber's per-record
borough where her table stops. A location that lies in more than one borough (Clapham
Common, King's Cross) is ``ambiguous``: its borough stays blank and its rows are flagged
``borough_ambiguous``, never guessed. The file is versioned by :data:`VERSION`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lfr_analysis.datasets.dataset import Dataset
from lfr_analysis.datasets.reader import Column, Problem

__all__ = [
    "BOROUGH_ALIASES",
    "COLUMNS",
    "DATASET",
    "FILE",
    "LONDON_BOROUGHS",
    "STATUSES",
    "VERSION",
    "load",
]

FILE = "borough_gazetteer.csv"

#: Version of the gazetteer: raise it whenever a row is added, changed or removed.
VERSION = "1.0"

LONDON_BOROUGHS = (
    "Barking and Dagenham", "Barnet", "Bexley", "Brent", "Bromley", "Camden",
    "City of London", "Croydon", "Ealing", "Enfield", "Greenwich", "Hackney",
    "Hammersmith and Fulham", "Haringey", "Harrow", "Havering", "Hillingdon", "Hounslow",
    "Islington", "Kensington and Chelsea", "Kingston upon Thames", "Lambeth", "Lewisham",
    "Merton", "Newham", "Redbridge", "Richmond upon Thames", "Southwark", "Sutton",
    "Tower Hamlets", "Waltham Forest", "Wandsworth", "Westminster",
)  # fmt: skip

#: Short or variant borough names in the sources -> official name.
BOROUGH_ALIASES = {
    "H&F": "Hammersmith and Fulham",
    "K&C": "Kensington and Chelsea",
    "Kensington & Chelsea": "Kensington and Chelsea",
    "Barking & Dagenham": "Barking and Dagenham",
    "Richmond": "Richmond upon Thames",
    "Kingston": "Kingston upon Thames",
    "City of Westminster": "Westminster",
}

STATUSES = ("resolved", "ambiguous")

GARBETT_TITLE = (
    "Zoë Garbett AM, 'Live Facial Recognition Deployments' (table of Met deployments with "
    "borough, approximate ward and postcode, data to 25/03/2025), as copied in "
    "davidbuilgil/facial-recognition-doc, data/Live Facial Recognition Deployments.xlsx"
)
GARBETT_URL = (
    "https://github.com/davidbuilgil/facial-recognition-doc/blob/"
    "d5ec9a82856b9e56af30ad3f2532604cfc18f169/data/Live%20Facial%20Recognition%20Deployments.xlsx"
)
GARBETT_PUBLISHER_URL = (
    "https://www.london.gov.uk/who-we-are/what-london-assembly-does/questions-mayor/"
    "find-an-answer/live-facial-recognition-deployment-locations"
)

COLUMNS: list[Column] = [
    Column("location", "str", required=True, description="Location text as printed."),
    Column(
        "borough",
        "str",
        description="Official London borough name; blank when the location is ambiguous.",
    ),
    Column(
        "status",
        "str",
        required=True,
        choices=STATUSES,
        description="resolved (borough given) or ambiguous (lies in more than one borough).",
    ),
    Column("basis", "str", required=True, description="How the borough was assigned."),
    Column(
        "source",
        "str",
        required=True,
        description="Where the assignment comes from (file, sheet, row or record id).",
    ),
    Column(
        "source_commit",
        "str",
        description="Commit of the repository the source was read at, when it is one.",
    ),
    Column("notes", "str", description="Rows concerned and cross-checks."),
]


def _problems(frame: pd.DataFrame, name: str) -> list[Problem]:
    problems = []
    for line, row in frame.iterrows():
        borough, status = row["borough"], row["status"]
        if isinstance(borough, str) and borough not in LONDON_BOROUGHS:
            problems.append(Problem(name, line, "borough", borough, "is not a London borough"))
        if (status == "ambiguous") == isinstance(borough, str):
            problems.append(
                Problem(name, line, "status", status, "a borough is given exactly when resolved")
            )
    return problems


DATASET = Dataset(
    file=FILE,
    name="borough_gazetteer",
    title=f"Location texts of the Met's record and their London borough (version {VERSION})",
    description=(
        "Input of the build: the borough of each printed location text that names none, "
        "with the basis and source of each assignment; locations in more than one borough "
        "are left blank (status ambiguous). Borough names as Zoë Garbett AM's table gives "
        "them (her notes: postcodes and wards are approximate, 'based on deployment data "
        "provided by the MPS'), or as a transcriber's per-record borough where her table "
        f"stops. Version {VERSION}."
    ),
    sources=(
        {"title": GARBETT_TITLE, "path": GARBETT_URL},
        {
            "title": "London Assembly, Mayor's Question on LFR deployment locations "
            "(Zoë Garbett AM, 2024), cited in her table's notes",
            "path": GARBETT_PUBLISHER_URL,
        },
        {
            "title": "ALHFRS data/deployments/met-police-lfr.json (per-record borough)",
            "path": "https://github.com/jared-krauss/ALHFRS/blob/"
            "64042f96968187ebf01a2519fb2ba3417194b188/data/deployments/met-police-lfr.json",
        },
    ),
    columns=COLUMNS,
    unique=("location",),
    checks=_problems,
    version=VERSION,
)


def load(path: str | Path | None = None, *, verify_checksum: bool = True) -> pd.DataFrame:
    """Load ``data/borough_gazetteer.csv`` (one row per location text)."""
    return DATASET.read(path, verify_checksum=verify_checksum)
