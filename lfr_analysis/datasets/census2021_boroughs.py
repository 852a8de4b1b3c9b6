"""``data/census2021_boroughs.csv``: the residents of London's 33 boroughs, Census 2021.

One row per local authority of London (the 32 London boroughs and the City of London, ONS
codes ``E09000001`` to ``E09000033``): usual residents from ONS table **TS001** (residence
type: living in a household, in a communal establishment, and the total of all usual
residents) and the shares of the five high-level ethnic groups from ONS table **TS021**
(classification ``ethnic_group_tb_6a``), in percent of all usual residents to one decimal
place, as ONS shows them in its Census Maps. Values are as published by the Office for
National Statistics (Open Government Licence v3.0), read from the copy kept by ONS's own
data-visualisation team (github ``ONSvisual/dot-density-data``); each row cites its tables,
the publisher's URLs and the copy.

The ethnic-group shares are rounded percentages, not counts: a share multiplied by the
residents gives a count only to within half a unit of the last digit (0.05 percentage
points), and the five shares of a borough add up to 100 only to within 0.25. ONS's TS021
counts by local authority were not found in a stored copy.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from lfr_analysis.datasets.dataset import Dataset
from lfr_analysis.datasets.reader import Column, Problem

__all__ = [
    "COLUMNS",
    "DATASET",
    "BOROUGH_NAMES",
    "ETHNIC_GROUPS",
    "FILE",
    "LONDON_CODES",
    "LONDON_USUAL_RESIDENTS",
    "PERCENT_SUM_TOLERANCE",
    "load",
]

FILE = "census2021_boroughs.csv"

#: The ONS codes of London's 33 local authorities (the City first, then the boroughs).
LONDON_CODES = tuple(f"E09{n:06d}" for n in range(1, 34))

#: ONS code -> name, as in the ONS tables (the names the deployment record uses too).
BOROUGH_NAMES = dict(
    zip(
        LONDON_CODES,
        (
            "City of London", "Barking and Dagenham", "Barnet", "Bexley", "Brent", "Bromley",
            "Camden", "Croydon", "Ealing", "Enfield", "Greenwich", "Hackney",
            "Hammersmith and Fulham", "Haringey", "Harrow", "Havering", "Hillingdon",
            "Hounslow", "Islington", "Kensington and Chelsea", "Kingston upon Thames",
            "Lambeth", "Lewisham", "Merton", "Newham", "Redbridge", "Richmond upon Thames",
            "Southwark", "Sutton", "Tower Hamlets", "Waltham Forest", "Wandsworth",
            "Westminster",
        ),
        strict=True,
    )
)  # fmt: skip

#: London region (E12000007), TS001 Total, in the same ONS table as the rows: the rows must
#: add up to it (the region row of ``input/data/TS001_residence_type_2021.csv.gz``).
LONDON_USUAL_RESIDENTS = 8_799_728

#: The five groups of ``ethnic_group_tb_6a`` -> the ONS category name.
ETHNIC_GROUPS = {
    "asian_percent": "Asian, Asian British or Asian Welsh",
    "black_percent": "Black, Black British, Black Welsh, Caribbean or African",
    "mixed_percent": "Mixed or Multiple ethnic groups",
    "white_percent": "White",
    "other_percent": "Other ethnic group",
}

#: Five shares each rounded to 0.1 add up to 100 within 5 x 0.05.
PERCENT_SUM_TOLERANCE = 0.25

_COPY_COMMIT = "12ecaf83f869b8e1d4f5462c88c1736384c0f4f1"
_PERCENT = "percent of all usual residents"

COLUMNS: list[Column] = [
    Column(
        "ons_code",
        "str",
        required=True,
        choices=LONDON_CODES,
        description="ONS code of the local authority (E09000001 City of London ... E09000033).",
    ),
    Column(
        "name",
        "str",
        required=True,
        choices=tuple(BOROUGH_NAMES.values()),
        description="Name as in the ONS table (e.g. 'Kingston upon Thames', 'City of London').",
    ),
    Column(
        "usual_residents",
        "int",
        required=True,
        min=1,
        description="TS001 Total: all usual residents on census day, 21 March 2021.",
        unit="people",
    ),
    Column(
        "lives_in_household",
        "int",
        required=True,
        min=0,
        description="TS001: usual residents living in a household.",
        unit="people",
    ),
    Column(
        "lives_in_communal_establishment",
        "int",
        required=True,
        min=0,
        description="TS001: usual residents living in a communal establishment.",
        unit="people",
    ),
    *(
        Column(
            column,
            "float",
            required=True,
            min=0,
            max=100,
            description=f"TS021: '{category}', {_PERCENT}, to 1 decimal place as published.",
            unit="percent",
        )
        for column, category in ETHNIC_GROUPS.items()
    ),
    Column("population_table", "str", required=True, description="ONS table of the counts."),
    Column(
        "population_source_url",
        "str",
        required=True,
        description="The publisher's download of TS001 (Nomis bulk file).",
    ),
    Column(
        "population_copy",
        "str",
        required=True,
        description="The stored copy the counts were read from: repository, commit, path.",
    ),
    Column("ethnicity_table", "str", required=True, description="ONS table of the shares."),
    Column(
        "ethnicity_source_url",
        "str",
        required=True,
        description="Where ONS shows the shares (Census Maps, ethnic group, 5 categories).",
    ),
    Column(
        "ethnicity_copy",
        "str",
        required=True,
        description="The stored copy the shares were read from: repository, commit, path.",
    ),
]


def _census_problems(frame: pd.DataFrame, name: str) -> list[Problem]:
    """Every London code once, household + communal = total, shares adding up to 100."""
    problems: list[Problem] = []
    end = int(frame.index.max()) + 1 if len(frame) else 2  # the line after the last row
    missing = sorted(set(LONDON_CODES) - set(frame["ons_code"].dropna()))
    if missing:
        problems.append(
            Problem(
                name,
                end,
                "ons_code",
                None,
                f"at the end of the file, London codes missing: {', '.join(missing)}",
            )
        )
    for line, row in frame.iterrows():
        expected = BOROUGH_NAMES.get(row["ons_code"])
        if expected is not None and pd.notna(row["name"]) and row["name"] != expected:
            problems.append(
                Problem(name, int(line), "name", row["name"], f"{row['ons_code']} is {expected}")
            )
        parts = row["lives_in_household"] + row["lives_in_communal_establishment"]
        if pd.notna(parts) and parts != row["usual_residents"]:
            problems.append(
                Problem(
                    name,
                    int(line),
                    "usual_residents",
                    row["usual_residents"],
                    f"is not lives_in_household + lives_in_communal_establishment ({parts})",
                )
            )
        total = sum(row[c] for c in ETHNIC_GROUPS)
        if pd.notna(total) and abs(total - 100) > PERCENT_SUM_TOLERANCE + 1e-9:
            problems.append(
                Problem(
                    name,
                    int(line),
                    "black_percent",
                    round(total, 1),
                    f"the five ethnic-group shares add up to {total:.1f}, not 100 "
                    f"(+/- {PERCENT_SUM_TOLERANCE})",
                )
            )
        for column in ("population_source_url", "ethnicity_source_url"):
            if not re.match(r"https://", str(row[column])):
                problems.append(
                    Problem(name, int(line), column, row[column], "must be an https:// address")
                )
    total = frame["usual_residents"].sum()
    if not missing and not problems and total != LONDON_USUAL_RESIDENTS:
        problems.append(
            Problem(
                name,
                end,
                "usual_residents",
                int(total),
                f"the 33 rows add up to {total}, not London's {LONDON_USUAL_RESIDENTS} "
                "(TS001 region row E12000007)",
            )
        )
    return problems


DATASET = Dataset(
    file=FILE,
    name="census2021-boroughs",
    title="London boroughs, Census 2021: usual residents (TS001) and ethnic group (TS021)",
    description=(
        "One row per London local authority (32 boroughs and the City of London, ONS codes "
        "E09000001-E09000033): usual residents from ONS Census 2021 table TS001 (in a "
        "household, in a communal establishment, total) and the five high-level ethnic "
        "groups of TS021 (ethnic_group_tb_6a) in percent of usual residents to 1 decimal "
        "place as ONS shows them in Census Maps. As published by the Office for National "
        "Statistics under the Open Government Licence v3.0, read from the copy kept by ONS's "
        "data-visualisation team (github ONSvisual/dot-density-data at commit "
        f"{_COPY_COMMIT}); each row cites its tables, URLs and copy. The rows add up to "
        "London's 8,799,728 usual residents (TS001 region row)."
    ),
    sources=(
        {
            "title": "ONS, Census 2021 TS001 Number of usual residents in households and "
            "communal establishments (Nomis bulk download; Open Government Licence v3.0)",
            "path": "https://www.nomisweb.co.uk/output/census/2021/census2021-ts001.zip",
        },
        {
            "title": "ONS, Census 2021 TS021 Ethnic group (Nomis bulk download)",
            "path": "https://www.nomisweb.co.uk/output/census/2021/census2021-ts021.zip",
        },
        {
            "title": "ONS Census Maps, ethnic group (5 categories), the shares as shown",
            "path": "https://www.ons.gov.uk/census/maps/choropleth/identity/ethnic-group/"
            "ethnic-group-tb-6a",
        },
        {
            "title": "Copy read: ONSvisual/dot-density-data at commit "
            f"{_COPY_COMMIT[:12]} (input/data/TS001_residence_type_2021.csv.gz; "
            "output/data/lad/ew/ethnic_group_tb_6a.csv)",
            "path": f"https://github.com/ONSvisual/dot-density-data/tree/{_COPY_COMMIT}",
        },
    ),
    columns=COLUMNS,
    unique=("ons_code",),
    checks=_census_problems,
)


def load(path: str | Path | None = None, *, verify_checksum: bool = True) -> pd.DataFrame:
    """Load ``data/census2021_boroughs.csv``: London's 33 local authorities, Census 2021.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Another copy of the file; default ``data/census2021_boroughs.csv``.
    verify_checksum : bool
        Check the file against ``data/datapackage.json``.

    Returns
    -------
    pandas.DataFrame
        33 rows in ONS code order: counts as ``Int64``, shares (percent) as float.

    Raises
    ------
    lfr_analysis.datasets.reader.DataValidationError
        Listing every problem (file, line, column, value): a code missing or repeated, a
        total that is not household + communal, shares not adding up to 100 +/- 0.25, rows
        not adding up to London's total.
    """
    return DATASET.read(path, verify_checksum=verify_checksum)
