"""Give each deployment row its London borough, and say on what basis.

A location that ``data/borough_gazetteer.csv`` marks ambiguous is left blank and flagged
``borough_ambiguous``, whatever else says. Otherwise, in order: the borough a transcriber
gave the row (secondary rows, kept as given); a borough printed in full in the location
text itself; the row's location in the gazetteer (cited, versioned); the borough
transcribers gave the same location text elsewhere. Nothing is guessed.
"""

from __future__ import annotations

import re

import pandas as pd

from lfr_analysis.datasets.borough_gazetteer import (
    BOROUGH_ALIASES,
    LONDON_BOROUGHS,
    VERSION,
)

__all__ = [
    "BOROUGH_ALIASES",
    "LONDON_BOROUGHS",
    "NAMED_BASIS",
    "SAME_TEXT_BASIS",
    "Gazetteer",
    "boroughs_by_location",
    "location_key",
    "named_borough",
]

NAMED_BASIS = "named in Met location text"
SAME_TEXT_BASIS = (
    "inferred: same location text as a transcribed Met row (transcriber's or compiler's assignment)"
)


def location_key(location: str) -> str:
    """Return the form location texts are matched in (lower case, straight apostrophes)."""
    return re.sub(r"\s+", " ", location.replace("\u2019", "'")).strip().lower()


def named_borough(location: str) -> str | None:
    """Return the London borough whose full name appears in ``location``, if exactly one."""
    found = [b for b in LONDON_BOROUGHS if re.search(rf"\b{re.escape(b)}\b", location)]
    return found[0] if len(found) == 1 else None


def boroughs_by_location(secondary: pd.DataFrame | None) -> dict[str, str]:
    """Return location text -> borough from the transcribed rows, where unambiguous.

    Parameters
    ----------
    secondary : pandas.DataFrame or None
        :func:`lfr_analysis.datasets.met_secondary_rows.load`.

    Returns
    -------
    dict
        :func:`location_key` of the text -> official borough name, for location texts
        always given the same borough.
    """
    if secondary is None:
        return {}
    found: dict[str, set[str]] = {}
    for location, borough in zip(secondary["location"], secondary["borough"], strict=True):
        if isinstance(borough, str) and borough:
            found.setdefault(location_key(location), set()).add(
                BOROUGH_ALIASES.get(borough, borough)
            )
    return {key: next(iter(names)) for key, names in found.items() if len(names) == 1}


class Gazetteer:
    """The borough of each location, from the gazetteer and the transcribed rows."""

    def __init__(self, gazetteer: pd.DataFrame | None, secondary: pd.DataFrame | None):
        self.entries: dict[str, tuple[str | None, str]] = {}
        if gazetteer is not None:
            for row in gazetteer.itertuples(index=False):
                borough = row.borough if isinstance(row.borough, str) else None
                self.entries[location_key(row.location)] = (borough, row.basis)
        self.same_text = boroughs_by_location(secondary)

    def assign(self, location: str, given: str | None = None, given_basis: str | None = None):
        """Return ``(borough, basis, flags)`` for one row.

        Parameters
        ----------
        location : str
            The location text.
        given, given_basis : str, optional
            A borough (and its basis) the row's own source gives, as a transcriber's.
        """
        key = location_key(location)
        borough, basis = self.entries.get(key, ("", ""))
        if borough is None:
            return None, None, ["borough_ambiguous"]
        if given:
            return BOROUGH_ALIASES.get(given, given), given_basis, []
        named = named_borough(location)
        if named:
            return named, NAMED_BASIS, []
        if borough:
            return borough, f"borough_gazetteer.csv {VERSION}: {basis}", []
        if key in self.same_text:
            return self.same_text[key], SAME_TEXT_BASIS, []
        return None, None, []
