"""``data/offence_taxonomy.csv``: published arrest categories on harmonised axes.

Every published category of ``arrests_by_offence.csv`` mapped onto three axes: why the
person was wanted (:data:`WHY_WANTED`), the Home Office offence group (:data:`OFFENCE_GROUPS`)
and cross-cutting flags (VAWG, domestic abuse, managed offender, weapon), with a ``verify``
mark where the mapping is uncertain.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lfr_analysis.datasets.dataset import Dataset
from lfr_analysis.datasets.reader import Column, Problem, split_list

__all__ = [
    "CATEGORY_AXES",
    "COLUMNS",
    "DATASET",
    "FILE",
    "FLAG_COLUMNS",
    "OFFENCE_GROUPS",
    "WHY_WANTED",
    "load",
]

FILE = "offence_taxonomy.csv"

#: Axis A: why the person was wanted or arrested.
WHY_WANTED = {
    "A1": "Wanted by the courts (failure to appear, warrant)",
    "A2": "Wanted by police or suspected of an offence",
    "A3": "Offender management breach (RSO/SHPO, licence, recall, tag)",
    "A4": "Breach of bail or of a protective order",
    "A5": "New offence found at the stop",
    "A9": "Not stated",
}

#: Axis B: Home Office Counting Rules offence groups, plus groups for what they omit.
OFFENCE_GROUPS = (
    "Violence against the person",
    "Sexual offences",
    "Robbery",
    "Burglary",
    "Vehicle offences",
    "Theft",
    "Arson and criminal damage",
    "Drug offences",
    "Possession of weapons",
    "Public order offences",
    "Miscellaneous crimes against society",
    "Fraud",
    "Administration of justice (non-notifiable)",
    "Motoring",
    "Immigration",
    "Other non-notifiable",
    "Unspecified",
)
CATEGORY_AXES = ("total", "why_wanted", "offence", "flag")
FLAG_COLUMNS = ("vawg", "domestic_abuse", "managed_offender", "weapon")

COLUMNS = [
    Column("published_category", "str", required=True, description="Category as published."),
    Column(
        "category_axis",
        "str",
        required=True,
        choices=CATEGORY_AXES,
        description="What the category is defined on: total, why_wanted, offence or flag.",
    ),
    Column(
        "why_wanted",
        "str",
        choices=tuple(WHY_WANTED),
        description="Axis A code (A1 courts, A2 police, A3 offender management, A4 bail or "
        "protective order, A5 found at stop, A9 not stated).",
    ),
    Column(
        "offence_group",
        "str",
        choices=OFFENCE_GROUPS,
        description="Axis B: Home Office offence group of the principal (most serious) offence; "
        "for failure to appear or recall, the underlying offence where stated.",
    ),
    Column("offence_subgroup", "str", description="Sub-group where the description allows."),
    Column(
        "other_offence_groups",
        "str",
        description="Groups of the person's other offences, semicolon-separated.",
    ),
    Column("vawg", "bool", required=True, description="Violence against women and girls flag."),
    Column("domestic_abuse", "bool", required=True, description="Domestic abuse flag."),
    Column(
        "managed_offender",
        "bool",
        required=True,
        description="Registered sex offender, MAPPA, licence, tag or order condition.",
    ),
    Column("weapon", "bool", required=True, description="Knife- or weapon-related."),
    Column("verify", "bool", required=True, description="True where the mapping is uncertain."),
    Column("mapping_note", "str", description="Reason for the mapping or the uncertainty."),
]


def _taxonomy_checks(frame: pd.DataFrame, name: str) -> list[Problem]:
    axis, why, group = frame["category_axis"], frame["why_wanted"], frame["offence_group"]
    verify = frame["verify"]
    # As the row-by-row checks did, a missing verify mark, or a missing flag that decides a
    # flag category (both reported by the value rules), stops the relation checks.
    undecided = axis == "flag"
    for flag in FLAG_COLUMNS:
        if (undecided & frame[flag].isna()).any():
            raise ValueError(f"{flag} is missing where a flag category needs it")
        undecided &= ~frame[flag].fillna(False).astype(bool)
    if verify.isna().any():
        raise ValueError("verify is missing")
    verify = verify.astype(bool)

    def at(mask, column, message, *, as_read=False):
        cells = frame.loc[pd.Series(mask, index=frame.index).astype(bool), column]
        return [
            Problem(name, line, column, cell if as_read else None, message(line))
            for line, cell in cells.items()
        ]

    problems = at(
        (axis == "offence") & (why.isna() | group.isna()),
        "offence_group",
        lambda line: "offence categories need why_wanted and offence_group",
    )
    problems += at(
        (axis == "why_wanted") & why.isna(),
        "why_wanted",
        lambda line: "why_wanted categories need a why_wanted code",
    )
    problems += at(
        axis.isin(["total", "why_wanted", "flag"]) & group.notna(),
        "offence_group",
        lambda line: f"{axis[line]} categories carry no offence group",
        as_read=True,
    )
    problems += at(
        undecided & ~verify,
        "category_axis",
        lambda line: "flag categories need a flag set, or verify and a note",
        as_read=True,
    )
    others = frame["other_offence_groups"].dropna()
    unknown = {
        cell: [g for g in split_list(cell) if g not in OFFENCE_GROUPS] for cell in others.unique()
    }
    problems += [
        Problem(name, line, "other_offence_groups", g, "is not one of OFFENCE_GROUPS")
        for line, cell in others.items()
        for g in unknown[cell]
    ]
    problems += at(
        verify & frame["mapping_note"].isna(),
        "mapping_note",
        lambda line: "a mapping marked verify needs a note saying why",
    )
    return sorted(problems, key=lambda problem: problem.line)  # stable: rule order in a line


DATASET = Dataset(
    file=FILE,
    name="offence-taxonomy",
    title="Harmonised taxonomy of published LFR arrest categories",
    description=(
        "Each published category mapped to why the person was wanted (axis A), the Home "
        "Office Counting Rules offence group of the principal offence (axis B) and "
        "cross-cutting flags; verify marks uncertain mappings."
    ),
    sources=(
        {
            "title": "Home Office Counting Rules for Recorded Crime",
            "path": "https://www.gov.uk/government/publications/counting-rules-for-recorded-crime",
        },
        {
            "title": "Sentencing Council, Breach Offences definitive guideline (2018)",
            "path": "https://www.sentencingcouncil.org.uk/overarching-guides/magistrates-court/"
            "item/breach-offences/",
        },
    ),
    columns=COLUMNS,
    unique=("published_category",),
    checks=_taxonomy_checks,
)


def load(path: str | Path | None = None, *, verify_checksum: bool = True) -> pd.DataFrame:
    """Load and validate ``data/offence_taxonomy.csv`` (published category -> axes).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        Another copy of the file (default: the data folder's).
    verify_checksum : bool
        Check the file against ``data/datapackage.json``.

    Returns
    -------
    pandas.DataFrame
        One row per published category.
    """
    return DATASET.read(path, verify_checksum=verify_checksum)
