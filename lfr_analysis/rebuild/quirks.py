"""Flag the known kinds of suspected errors in a parsed deployment record.

Flags describe; they never change a value (a value is changed only by a cited entry of
``data/corrections.csv``, applied by the build). Their meanings are listed in
:data:`lfr_analysis.datasets.deployments.QUALITY_FLAGS`. :func:`printed_rate_matches` and
:func:`rate_upper_bound` read a printed false-alert rate against the row's own counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from statistics import median

__all__ = [
    "WATCHLIST_OUTLIER_FRACTION",
    "WATCHLIST_WINDOW_DAYS",
    "ParsedRow",
    "flag_quirks",
    "printed_rate_matches",
    "rate_upper_bound",
]

#: A watchlist size further than this fraction from the median of the other deployments
#: within :data:`WATCHLIST_WINDOW_DAYS` days (same document) is flagged as an outlier.
WATCHLIST_OUTLIER_FRACTION = 0.10
WATCHLIST_WINDOW_DAYS = 7


@dataclass
class ParsedRow:
    """One deployment row read from a PDF (or from a transcription of its cells).

    Attributes
    ----------
    values : dict
        Field name -> value (str, int, float, ``datetime.date`` or None when blank/N/A).
    page : int
        1-based page the row starts on.
    number : int
        1-based position of the row among the document's deployment rows.
    layout : str
        Name of the layout it was read with.
    flags : list of str
        Quality flags (see :func:`flag_quirks`).
    cells : list of str
        The printed cells, whitespace collapsed (a wrapped location joined).
    """

    values: dict
    page: int
    number: int
    layout: str
    flags: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)


def flag_quirks(rows: list[ParsedRow]) -> None:
    """Add quality flags for the known kinds of suspected source errors, in place.

    Parameters
    ----------
    rows : list of ParsedRow
        The rows of one document, in printed order.

    Notes
    -----
    Flags describe; they never change a value. Their meanings are listed in
    :data:`lfr_analysis.data.QUALITY_FLAGS`.
    """
    _flag_alert_split(rows)
    _flag_incomplete_locations(rows)
    _flag_identical_disposals(rows)
    _flag_date_sequence(rows)
    _flag_watchlist_outliers(rows)
    _flag_printed_rates(rows)
    _flag_outcomes(rows)


def _add(row: ParsedRow, flag: str) -> None:
    if flag not in row.flags:
        row.flags.append(flag)


def _flag_alert_split(rows: list[ParsedRow]) -> None:
    for row in rows:
        v = row.values
        parts = (v.get("alerts"), v.get("true_alerts"), v.get("false_alerts"))
        if None not in parts and parts[1] + parts[2] != parts[0]:
            _add(row, "alert_split_inconsistent")


def _flag_incomplete_locations(rows: list[ParsedRow]) -> None:
    for row in rows:
        if (row.values.get("location") or "").endswith(","):
            _add(row, "location_incomplete")


def _flag_identical_disposals(rows: list[ParsedRow]) -> None:
    pairs = [(row, row.values.get("other_disposals"), row.values.get("no_action")) for row in rows]
    known = [(row, a, b) for row, a, b in pairs if a is not None and b is not None]
    if known and all(a == b for _, a, b in known) and any(a for _, a, _ in known):
        for row, _, _ in known:
            _add(row, "disposal_columns_identical")


def _flag_date_sequence(rows: list[ParsedRow]) -> None:
    dates = [row.values["date"] for row in rows]
    for index, row in enumerate(rows):
        before = dates[index - 1] if index > 0 else None
        after = dates[index + 1] if index + 1 < len(dates) else None
        day = dates[index]
        if before and after and before <= after and not before <= day <= after:
            _add(row, "date_out_of_sequence")
        elif before and after is None and day < before:
            _add(row, "date_out_of_sequence")
        elif after and before is None and day > after:
            _add(row, "date_out_of_sequence")


def _flag_watchlist_outliers(rows: list[ParsedRow]) -> None:
    sized = [row for row in rows if row.values.get("watchlist_size") is not None]
    for row in sized:
        day = row.values["date"]
        others = [
            r.values["watchlist_size"]
            for r in sized
            if r is not row and abs((r.values["date"] - day).days) <= WATCHLIST_WINDOW_DAYS
        ]
        if len(others) < 2:
            continue
        middle = median(others)
        if abs(row.values["watchlist_size"] - middle) > WATCHLIST_OUTLIER_FRACTION * middle:
            _add(row, "watchlist_size_outlier")


def printed_rate_matches(printed: str, false_alerts: int, faces_seen: int) -> bool:
    """Say whether a printed per-face rate ("0.05%") agrees with its own counts.

    The Met's tables sometimes round and sometimes truncate to the printed number of
    decimals (e.g. 1 in 1,123 = 0.089% printed as 0.08%), so either reading agrees.

    Parameters
    ----------
    printed : str
        The rate as printed, a percentage such as ``"0.05%"``.
    false_alerts, faces_seen : int
        The row's own counts.

    Returns
    -------
    bool
    """
    text = printed.strip().removesuffix("%").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        return True  # not a number: nothing to compare (kept as printed)
    step = Decimal(1).scaleb(value.as_tuple().exponent)
    exact = Decimal(false_alerts) * 100 / Decimal(faces_seen)
    readings = {exact.quantize(step, ROUND_HALF_UP), exact.quantize(step, ROUND_DOWN)}
    return value in readings


def _flag_printed_rates(rows: list[ParsedRow]) -> None:
    for row in rows:
        v = row.values
        printed, false, faces = (
            v.get("false_alert_rate_reported"),
            v.get("false_alerts"),
            v.get("faces_seen"),
        )
        if printed and false is not None and faces:
            if not printed_rate_matches(printed, false, faces):
                _add(row, "printed_rate_inconsistent")


def _flag_outcomes(rows: list[ParsedRow]) -> None:
    """Flag rows whose engagement outcomes add up to more than their alerts.

    Rows of a table whose two disposal columns are copies of each other are skipped: their
    sum counts one column twice.
    """
    for row in rows:
        if "disposal_columns_identical" in row.flags:
            continue
        v = row.values
        parts = [v.get(name) for name in ("arrests", "other_disposals", "no_action")]
        alerts = v.get("alerts")
        if alerts is not None and None not in parts and sum(parts) > alerts:
            _add(row, "outcomes_exceed_alerts")


def rate_upper_bound(printed: str, faces_seen: int) -> int | None:
    """Return the most false alerts a printed per-face rate allows at ``faces_seen``.

    A rate printed as ``"0%"`` says the rate rounds or truncates to 0 at no decimals: any
    count below 1% of the faces seen prints so. The bound is the largest count for which
    :func:`printed_rate_matches` holds.

    Parameters
    ----------
    printed : str
        The rate as printed, e.g. ``"0%"`` or ``"0.01%"``.
    faces_seen : int
        The row's faces seen (above 0).

    Returns
    -------
    int or None
        None when the text is not a percentage or ``faces_seen`` is not positive.
    """
    text = printed.strip().removesuffix("%").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not faces_seen or faces_seen <= 0 or value < 0:
        return None
    step = Decimal(1).scaleb(value.as_tuple().exponent)
    # truncation is the looser reading: the exact rate is below value + step
    ceiling = (value + step) * Decimal(faces_seen) / 100
    bound = int(ceiling.to_integral_value(rounding=ROUND_CEILING)) - 1
    while bound >= 0 and not printed_rate_matches(printed, bound, faces_seen):
        bound -= 1
    return bound if bound >= 0 else None
