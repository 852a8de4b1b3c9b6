"""One set of argument checks, with one wording, for every public function.

Each public function of the package checks its arguments once, on entry, through these
helpers. A refusal raises :class:`ValueError` (a bad value) or :class:`TypeError` (a value
of the wrong kind) whose message names the argument, the position of the first offending
element (and, for a table, its row and ``deployment_id``) and the value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "MAX_COUNT",
    "MISSING",
    "missing_policy",
    "whole",
    "choice",
    "conf_level",
    "count",
    "count_column",
    "count_pair",
    "counts",
    "frame",
    "generator",
    "group_keys",
    "position",
    "positive",
    "probability",
    "refuse_where",
    "row_label",
]

#: The one policy for rows that lack a count a function needs, in every function that has
#: a ``missing`` argument: ``"exclude"`` (the default) leaves them out and counts them in
#: the result's ``n_excluded``; ``"raise"`` refuses them, naming the rows.
MISSING = ("exclude", "raise")

#: Largest count accepted (far beyond any count of faces): above it, float arithmetic in the
#: interval functions is no longer exact enough to be trusted.
MAX_COUNT = 10**15


def position(index: pd.Index | None, i: int) -> str:
    """Describe element ``i`` for an error message (position and, for a Series, label)."""
    if index is None:
        return f"position {i}"
    return f"position {i} (index label {index[i]!r})"


def counts(values, name: str) -> tuple[np.ndarray, pd.Index | None]:
    """Return ``values`` as a 1-d int64 array (and its index if it was a Series).

    Raises ValueError naming the first position that is missing, not a number, negative or
    not a whole number.
    """
    index = values.index if isinstance(values, pd.Series) else None
    if isinstance(values, pd.Series | pd.Index) and pd.api.types.is_bool_dtype(values):
        raise ValueError(f"{name} must be counts, got booleans (dtype {values.dtype})")
    if isinstance(values, pd.Series | pd.Index) and pd.api.types.is_numeric_dtype(values):
        floats = values.to_numpy(dtype="float64", na_value=np.nan)
    else:
        # lists, tuples and object Series are read element by element, so that a boolean or a
        # string is refused rather than silently converted to a number
        exact = isinstance(values, np.ndarray | np.generic | int | float)
        raw = np.atleast_1d(np.asarray(values, dtype=None if exact else object))
        if raw.ndim != 1:
            raise ValueError(f"{name} must be a scalar or one-dimensional, got shape {raw.shape}")
        if raw.dtype.kind not in "iuf":
            raw = np.array([_as_number(v, name, position(index, i)) for i, v in enumerate(raw)])
        floats = raw.astype("float64")
    checks = (
        (np.isnan(floats), "is missing"),
        (~np.isfinite(floats) & ~np.isnan(floats), "is not finite"),
        (floats < 0, "is negative"),
        (np.isfinite(floats) & (floats != np.floor(floats)), "is not a whole number"),
        (np.isfinite(floats) & (floats > MAX_COUNT), "is too large (above 1e15)"),
    )
    for bad, message in checks:
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            value = floats[i]
            raise ValueError(
                f"{name} at {position(index, i)} {message} (value {value:g}); "
                f"{int(bad.sum())} such value(s) in all"
            )
    return floats.astype(np.int64), index


def _as_number(value, name: str, where: str) -> float:
    """Return one element as a float (NaN when missing) or raise naming its position."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    if isinstance(value, bool | np.bool_) or not isinstance(
        value, int | float | np.integer | np.floating
    ):
        raise ValueError(f"{name} at {where} is {value!r}: not a number")
    return float(value)


def choice(value, allowed, name: str) -> None:
    if value not in allowed:
        raise ValueError(f"{name}={value!r} is not one of {', '.join(map(repr, allowed))}")


def conf_level(conf) -> float:
    """Accept confidence levels in [0.5, 1).

    Below 0.5 an equal-tailed interval (Jeffreys, mid-p) need not contain the estimate,
    and no one reports such a level, so it is refused rather than returned.
    """
    if (
        isinstance(conf, bool)
        or not isinstance(conf, int | float | np.floating)
        or not 0.5 <= float(conf) < 1
    ):
        raise ValueError(f"conf={conf!r}: the confidence level must be at least 0.5 and below 1")
    return float(conf)


def count_pair(events, trials) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Check and broadcast ``events`` and ``trials``; return them with the output index."""
    x, x_index = counts(events, "events")
    n, n_index = counts(trials, "trials")
    if x_index is not None and n_index is not None and not x_index.equals(n_index):
        raise ValueError("events and trials are Series with different indexes; align them first")
    try:
        x, n = np.broadcast_arrays(x, n)
    except ValueError:
        raise ValueError(
            f"events (length {x.size}) and trials (length {n.size}) have different lengths"
        ) from None
    index = x_index if x_index is not None else n_index
    if index is not None and len(index) != x.size:
        index = None
    zero = n == 0
    if zero.any():
        i = int(np.flatnonzero(zero)[0])
        raise ValueError(f"trials at {position(index, i)} is 0: a rate needs at least one trial")
    over = x > n
    if over.any():
        i = int(np.flatnonzero(over)[0])
        raise ValueError(
            f"events at {position(index, i)} ({x[i]}) exceed trials ({n[i]}); "
            f"{int(over.sum())} such row(s) in all"
        )
    return x.copy(), n.copy(), index if index is not None else pd.RangeIndex(x.size)


def frame(deployments: pd.DataFrame, columns, name: str = "deployments") -> None:
    """Refuse anything but a DataFrame holding every one of ``columns``, naming the missing."""
    if not isinstance(deployments, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(deployments).__name__}")
    missing = [c for c in columns if c not in deployments.columns]
    if missing:
        raise ValueError(f"{name} has no column(s) {missing}")


def row_label(deployments: pd.DataFrame, i: int) -> str:
    """Name row ``i`` of a table for a message: position, index label and deployment id."""
    label = f"row {i} (index {deployments.index[i]!r})"
    if "deployment_id" in deployments.columns:
        label += f", deployment_id {deployments['deployment_id'].iloc[i]!r}"
    return label


def count_column(deployments: pd.DataFrame, column: str) -> np.ndarray:
    """Return a count column as float64 with NaN for missing, after checking its values.

    Raises
    ------
    ValueError
        Naming the column, the first offending row (position, index label, deployment id)
        and its value: text, a boolean, a negative or fractional number, or infinity.
    """
    values = deployments[column]
    if pd.api.types.is_bool_dtype(values):
        raise ValueError(f"column {column!r} must hold counts, got booleans")
    if pd.api.types.is_numeric_dtype(values):
        floats = values.to_numpy(dtype="float64", na_value=np.nan)
    else:
        floats = np.full(len(values), np.nan)
        for i, value in enumerate(values.to_list()):
            try:
                floats[i] = _as_number(value, column, "")
            except ValueError:
                raise ValueError(
                    f"column {column!r}, {row_label(deployments, i)}: value {value!r} is not a "
                    "number"
                ) from None
    known = ~np.isnan(floats)
    bad = known & ((floats < 0) | (floats != np.floor(floats)) | ~np.isfinite(floats))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"column {column!r}, {row_label(deployments, i)}: value {floats[i]:g} "
            "is not a count (a whole number >= 0)"
        )
    return floats


def group_keys(deployments: pd.DataFrame, by, date: str) -> tuple[pd.DataFrame, list[str]]:
    """Return a frame of grouping columns (adding ``year``/``month`` from ``date``)."""
    if by is None:
        return pd.DataFrame(index=deployments.index), []
    names = [by] if isinstance(by, str) else list(by)
    if not names:
        raise ValueError("by: give a column name, a list of column names, or None")
    keys = {}
    for name in names:
        if name in deployments.columns:
            keys[name] = deployments[name]
        elif name in ("year", "month"):
            frame(deployments, [date])
            stamps = pd.to_datetime(deployments[date])
            keys[name] = stamps.dt.year if name == "year" else stamps.dt.to_period("M")
        else:
            raise ValueError(f"by: deployments has no column {name!r} (nor can it be derived)")
    return pd.DataFrame(keys, index=deployments.index), names


def _as_float_array(name: str, value) -> np.ndarray:
    """Return ``value`` as a float array, refusing missing values and text."""
    if isinstance(value, pd.Series | pd.Index | pd.api.extensions.ExtensionArray):
        try:
            array = value.to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{name}: values must be numbers ({error})") from None
    else:
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{name}: values must be numbers ({error})") from None
    if array.size == 0:
        raise ValueError(f"{name}: no values given")
    missing = np.flatnonzero(np.isnan(array.ravel()))
    if missing.size:
        raise ValueError(f"{name}: missing value (NaN) at position {missing[0]}")
    return array


def refuse_where(name: str, array: np.ndarray, bad: np.ndarray, expectation: str) -> None:
    """Raise ValueError naming ``name``, the first position where ``bad`` holds and its value."""
    positions = np.flatnonzero(np.asarray(bad).ravel())
    if positions.size:
        where = int(positions[0])
        value = float(array.ravel()[where])
        shown = str(int(value)) if value.is_integer() else repr(value)
        at = f" at position {where}" if array.ndim else ""
        raise ValueError(f"{name} must be {expectation}; got {shown}{at}")


def probability(value, name: str) -> np.ndarray:
    """Return ``value`` as a float array after checking every entry is in [0, 1].

    Parameters
    ----------
    value : float or array-like
        The probabilities.
    name : str
        Argument name used in the error message.

    Returns
    -------
    numpy.ndarray
        The values as floats (0-d for a scalar).

    Raises
    ------
    ValueError
        On a missing value, text, or a value outside [0, 1].
    """
    array = _as_float_array(name, value)
    refuse_where(name, array, (array < 0) | (array > 1), "a probability between 0 and 1")
    return array


def count(value, name: str, *, minimum: int = 0) -> np.ndarray:
    """Return ``value`` as an int64 array after checking it holds whole numbers >= ``minimum``.

    Parameters
    ----------
    value : int or array-like
        The counts.
    name : str
        Argument name used in the error message.
    minimum : int, optional
        Smallest allowed value (default 0).

    Returns
    -------
    numpy.ndarray
        The values as ``int64`` (0-d for a scalar).

    Raises
    ------
    ValueError
        On a missing value, text, a fraction or a value below ``minimum``.
    """
    array = _as_float_array(name, value)
    refuse_where(name, array, ~np.isfinite(array), "finite")
    refuse_where(name, array, array != np.floor(array), "a whole number")
    refuse_where(name, array, array < minimum, f"at least {minimum}")
    return array.astype(np.int64)


def generator(rng, name: str = "rng") -> np.random.Generator:
    """Return ``rng`` when it is a :class:`numpy.random.Generator`; refuse anything else."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{name} must be a numpy.random.Generator (e.g. np.random.default_rng(SEED)); "
            f"got {type(rng).__name__}"
        )
    return rng


def positive(values, name: str) -> tuple[np.ndarray, pd.Index | None]:
    """Return ``values`` as a 1-d float array of finite numbers above 0 (and its index).

    Raises
    ------
    ValueError
        Naming the first position that is missing, not finite, or not above 0.
    TypeError
        For a boolean or text value.
    """
    index = values.index if isinstance(values, pd.Series) else None
    if isinstance(values, bool | np.bool_) or (
        isinstance(values, pd.Series | pd.Index) and pd.api.types.is_bool_dtype(values)
    ):
        raise TypeError(f"{name} must be numbers, got booleans")
    if isinstance(values, pd.Series | pd.Index) and pd.api.types.is_numeric_dtype(values):
        floats = values.to_numpy(dtype="float64", na_value=np.nan)
    elif isinstance(values, np.ndarray) and values.dtype.kind in "iuf":
        floats = np.atleast_1d(values.astype("float64"))
        if floats.ndim != 1:
            raise ValueError(
                f"{name} must be a scalar or one-dimensional, got shape {floats.shape}"
            )
    else:
        raw = np.atleast_1d(np.asarray(values, dtype=object))
        if raw.ndim != 1:
            raise ValueError(f"{name} must be a scalar or one-dimensional, got shape {raw.shape}")
        floats = np.array(
            [_as_number(v, name, position(index, i)) for i, v in enumerate(raw)], dtype=float
        )
    bad = np.isnan(floats) | ~np.isfinite(floats) | (floats <= 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        what = "is missing" if np.isnan(floats[i]) else "must be a finite number above 0"
        raise ValueError(f"{name} at {position(index, i)} {what} (value {floats[i]:g})")
    return floats.astype(float), index


def missing_policy(missing) -> str:
    """Return ``missing`` when it is one of :data:`MISSING`; refuse anything else."""
    choice(missing, MISSING, "missing")
    return missing


def whole(value, name: str, *, minimum: int = 0) -> int:
    """Return a single whole number >= ``minimum`` as ``int``; refuse anything else.

    Raises
    ------
    TypeError
        For a boolean, text or another non-number.
    ValueError
        For a missing value, a fraction (``2.5``) or a value below ``minimum``.
    """
    if isinstance(value, bool | np.bool_) or not isinstance(
        value, int | float | np.integer | np.floating
    ):
        raise TypeError(f"{name} must be a whole number, got {value!r}")
    if not np.isfinite(value) or value != np.floor(value):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value!r}")
    return int(value)
