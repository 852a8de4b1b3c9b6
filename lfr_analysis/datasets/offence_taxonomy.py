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
    problems = []
    for line, row in frame.iterrows():
        axis = row["category_axis"]
        if axis == "offence" and (pd.isna(row["why_wanted"]) or pd.isna(row["offence_group"])):
            problems.append(
                Problem(
                    name,
                    line,
                    "offence_group",
                    None,
                    "offence categories need why_wanted and offence_group",
                )
            )
        if axis == "why_wanted" and pd.isna(row["why_wanted"]):
            problems.append(
                Problem(
                    name, line, "why_wanted", None, "why_wanted categories need a why_wanted code"
                )
            )
        if axis in ("total", "why_wanted", "flag") and pd.notna(row["offence_group"]):
            problems.append(
                Problem(
                    name,
                    line,
                    "offence_group",
                    row["offence_group"],
                    f"{axis} categories carry no offence group",
                )
            )
        if axis == "flag" and not any(bool(row[f]) for f in FLAG_COLUMNS) and not row["verify"]:
            problems.append(
                Problem(
                    name,
                    line,
                    "category_axis",
                    axis,
                    "flag categories need a flag set, or verify and a note",
                )
            )
        for group in split_list(row["other_offence_groups"]):
            if group not in OFFENCE_GROUPS:
                problems.append(
                    Problem(
                        name, line, "other_offence_groups", group, "is not one of OFFENCE_GROUPS"
                    )
                )
        if row["verify"] and pd.isna(row["mapping_note"]):
            problems.append(
                Problem(
                    name,
                    line,
                    "mapping_note",
                    None,
                    "a mapping marked verify needs a note saying why",
                )
            )
    return problems


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
