"""``data/london_tile_grid.csv``: London's 33 boroughs as squares on a grid (a tile map).

After the Flood's "London Squared" layout (made with Future Cities Catapult), the common
square-grid map of the boroughs: each borough is one square, placed roughly where it lies.
Read from github ``aftertheflood/londonsquared`` at commit ``690167b7``,
``site/data/grid.csv`` (ISC licence, copyright 2019 After the Flood Ltd.), in the source's
row order; the source's ``x`` is ``col`` here and its ``y`` is ``row``, both counted from 0
(``col`` west to east, 0-7; ``row`` north to south, 0-6). ``irregular`` marks the squares
the original draws out of shape to show the Thames. The same layout is geofacet's
``gb_london_boroughs_grid`` (1-based).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lfr_analysis.datasets.census2021_boroughs import LONDON_CODES
from lfr_analysis.datasets.dataset import Dataset
from lfr_analysis.datasets.reader import Column, Problem

__all__ = ["COLUMNS", "DATASET", "FILE", "GRID_COLUMNS", "GRID_ROWS", "SOURCE_URL", "load"]

FILE = "london_tile_grid.csv"

#: Columns (0-7) and rows (0-6) of the grid.
GRID_COLUMNS = 8
GRID_ROWS = 7

_COMMIT = "690167b752bd042a81b13b55b3434e94a4829a78"
SOURCE_URL = f"https://github.com/aftertheflood/londonsquared/blob/{_COMMIT}/site/data/grid.csv"

COLUMNS: list[Column] = [
    Column(
        "ons_code",
        "str",
        required=True,
        choices=LONDON_CODES,
        description="ONS code of the borough (the source's 'code').",
    ),
    Column("name", "str", required=True, description="Borough name as in the source."),
    Column(
        "abbreviation",
        "str",
        required=True,
        description="London Squared's three-letter label, lower case as in the source.",
    ),
    Column(
        "col",
        "int",
        required=True,
        min=0,
        max=GRID_COLUMNS - 1,
        description="Grid column, counted from 0, west to east (the source's 'x').",
    ),
    Column(
        "row",
        "int",
        required=True,
        min=0,
        max=GRID_ROWS - 1,
        description="Grid row, counted from 0, north to south (the source's 'y').",
    ),
    Column(
        "irregular",
        "bool",
        required=True,
        description="True where London Squared draws the square out of shape for the Thames.",
    ),
    Column("source_url", "str", required=True, description="The file the row was read from."),
]


def _grid_problems(frame: pd.DataFrame, name: str) -> list[Problem]:
    """Every London code once, no two boroughs on one square, unique labels."""
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
    cells = frame[["col", "row"]].dropna()
    taken = cells.duplicated(keep="first")
    for line in cells.index[taken.to_numpy()]:
        where = f"{frame.at[line, 'col']},{frame.at[line, 'row']}"
        problems.append(
            Problem(name, int(line), "col", where, "another borough is on the same square")
        )
    for column in ("name", "abbreviation"):
        values = frame[column].dropna()
        for line, value in values[values.duplicated()].items():
            problems.append(Problem(name, int(line), column, value, "appears more than once"))
    return problems


DATASET = Dataset(
    file=FILE,
    name="london-tile-grid",
    title="London Squared: the 33 London boroughs as a square grid (tile map positions)",
    description=(
        "After the Flood's 'London Squared' layout of the 32 London boroughs and the City "
        "of London, one square each: ONS code, name, three-letter label, grid column (x, "
        "0-7, west to east) and row (y, 0-6, north to south) counted from 0, and the "
        "squares drawn out of shape for the Thames. From github aftertheflood/londonsquared "
        f"at commit {_COMMIT}, site/data/grid.csv (ISC licence, copyright 2019 After the "
        "Flood Ltd.), in the source's order."
    ),
    sources=(
        {
            "title": "After the Flood, London Squared (with Future Cities Catapult)",
            "path": "https://aftertheflood.com/projects/future-cities-catapult/",
        },
        {
            "title": f"aftertheflood/londonsquared at {_COMMIT[:12]}: site/data/grid.csv "
            "(ISC licence)",
            "path": SOURCE_URL,
        },
    ),
    columns=COLUMNS,
    unique=("ons_code",),
    checks=_grid_problems,
)


def load(path: str | Path | None = None, *, verify_checksum: bool = True) -> pd.DataFrame:
    """Load ``data/london_tile_grid.csv``: one square per London borough.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Another copy of the file; default ``data/london_tile_grid.csv``.
    verify_checksum : bool
        Check the file against ``data/datapackage.json``.

    Returns
    -------
    pandas.DataFrame
        33 rows: ``ons_code``, ``name``, ``abbreviation``, ``col`` and ``row`` (0-based,
        ``Int64``), ``irregular`` (boolean), ``source_url``.

    Raises
    ------
    lfr_analysis.datasets.reader.DataValidationError
        For a code missing or repeated, two boroughs on one square, a square off the grid.
    """
    return DATASET.read(path, verify_checksum=verify_checksum)
