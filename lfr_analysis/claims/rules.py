"""How a recomputed value is judged against a published one.

A published figure carries its precision in how it is printed: ``"0.0003%"`` is any value
in [0.00025%, 0.00035%), ``"540"`` arrests is exactly 540, ``">1,300"`` is a bound.
:func:`accepts` applies that rule (the rounding step comes from
:func:`lfr_analysis.datasets.published_figures.rounding_step`); :func:`understates` says
when a lower bound that holds is far below the record; :func:`relative_gap` says how far a
value that is not accepted lies from the published one. The statuses and their one-line
definitions (:data:`STATUS_DEFINITIONS`) live with the data file, whose manifest carries
them.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from lfr_analysis.datasets.published_figures import (
    CLOSE_TOLERANCE,
    LOWER_BOUNDS,
    QUALIFIERS,
    RATE_METRICS,
    RATE_UNITS,
    STATUS_DEFINITIONS,
    STATUSES,
    UNDERSTATED_MARGIN,
)

__all__ = [
    "CLOSE_TOLERANCE",
    "STATUSES",
    "STATUS_DEFINITIONS",
    "UNDERSTATED_MARGIN",
    "acceptance_interval",
    "accepts",
    "as_fraction",
    "in_unit",
    "relative_gap",
    "to_unit",
    "understates",
]


def accepts(published: float, step: Decimal | float, qualifier: str, recomputed: float) -> bool:
    """Whether ``recomputed`` agrees with a published value at its printed precision.

    ``exact`` and ``about`` values accept any number that rounds to them (half up):
    ``published - step/2 <= recomputed < published + step/2``. Inequalities are taken
    literally (``more_than`` 1300 accepts 1300.5 and not 1300).

    Parameters
    ----------
    published : float
        The published number, in its unit.
    step : Decimal or float
        Step of its last printed digit (see :func:`rounding_step`).
    qualifier : str
        One of :data:`QUALIFIERS`.
    recomputed : float
        The recomputed number, in the same unit.

    Returns
    -------
    bool
    """
    if qualifier not in QUALIFIERS:
        raise ValueError(f"qualifier {qualifier!r} is not one of {QUALIFIERS}")
    if not np.isfinite(recomputed):
        return False
    if qualifier in ("exact", "about"):
        low, high = acceptance_interval(published, step)
        return low <= Decimal(repr(float(recomputed))) < high
    if qualifier == "at_least":
        return recomputed >= published
    if qualifier == "more_than":
        return recomputed > published
    if qualifier == "at_most":
        return recomputed <= published
    return recomputed < published


def understates(published: float, qualifier: str, recomputed: float) -> bool:
    """Whether a lower bound that holds lies more than :data:`UNDERSTATED_MARGIN` below.

    ``"more than 146,000"`` faces against a record of 210,226 holds, but the record is 44%
    above the bound: the figure understates it. Only lower bounds (:data:`LOWER_BOUNDS`)
    can understate; any other qualifier returns False.
    """
    if qualifier not in LOWER_BOUNDS or not np.isfinite(recomputed) or published <= 0:
        return False
    return recomputed > published * (1 + UNDERSTATED_MARGIN)


def acceptance_interval(published: float, step: Decimal | float) -> tuple[Decimal, Decimal]:
    """Return ``[low, high)``: the values that round to ``published`` at ``step``."""
    step = Decimal(str(step))
    if step <= 0:
        raise ValueError(f"rounding step must be positive, got {step}")
    centre = Decimal(repr(float(published)))
    return centre - step / 2, centre + step / 2


def relative_gap(published: float, step, qualifier: str, recomputed: float) -> float:
    """Distance from ``recomputed`` to the accepted values, relative to ``published``."""
    if accepts(published, step, qualifier, recomputed):
        return 0.0
    if qualifier in ("exact", "about"):
        low, high = (float(b) for b in acceptance_interval(published, step))
        distance = low - recomputed if recomputed < low else recomputed - high
    else:
        distance = abs(recomputed - published)
    return distance / abs(published) if published else float("inf")


def to_unit(fraction: float, unit: str) -> float:
    """Express a rate given as a fraction in ``unit`` (percent, fraction or 1-in-N)."""
    if unit == "percent":
        return fraction * 100.0
    if unit == "fraction":
        return fraction
    if unit == "one_in":
        return 1.0 / fraction if fraction > 0 else float("inf")
    raise ValueError(f"unit {unit!r} is not a rate unit {RATE_UNITS}")


def as_fraction(value: float, unit: str) -> float:
    """Return a rate given in ``unit`` (percent, fraction, one_in) as a fraction."""
    return {"percent": value / 100.0, "fraction": value, "one_in": 1.0 / value}[unit]


def in_unit(value: float, metric: str, unit: str) -> float:
    """Return a recomputed ``value`` of ``metric`` in the published ``unit``."""
    return to_unit(value, unit) if metric in RATE_METRICS else value
