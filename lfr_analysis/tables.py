"""Readable tables: one formatter for every table a reader sees.

A raw DataFrame shows ``2.090000e+02`` beside ``253``, ``0.0`` for a p-value and
``285.0`` for a count. :func:`to_html` renders a DataFrame or Series the way the report's
readers need it, and :func:`register` makes it the HTML view of every DataFrame and Series
an IPython kernel displays (:func:`lfr_analysis.notebook.setup` calls it, and so does every
kernel the report starts), so the notebooks need not call anything:

* each column gets a *kind*, inferred from its name in the package's vocabulary
  (``docs/api.md``) and its values, or given with ``kinds=``: ``count`` (thousands
  separators, no decimals), ``p_value`` ("< 0.001", else 2 significant figures),
  ``proportion`` (a rate such as ``rate``, ``lower``, ``upper``: a percentage to 3
  significant figures, or "1 in N" or "per million" with ``rates=``), ``one_in``
  ("1 in 57,478"), ``ratio`` (2 decimals), ``share`` (a percentage, 1 decimal),
  ``percent`` (already in percent), ``threshold`` (2 decimals), ``per_unit`` (a rate per
  deployment, per 1,000 alerts, ..., 2 decimals), ``date`` ("6 Apr 2023"), ``month``
  ("Jun 2024"), ``year``, ``flag`` (yes/no), ``number`` (decimals fixed per column so the
  smallest value keeps 3 significant figures) and ``text``;
* no number is ever written in scientific notation;
* column labels are written for people (``n_deployments`` -> "Deployments",
  ``p_cond_two_sided`` -> "p, conditional, two-sided"), or given with ``labels=``;
* a row index is shown only when it means something (a name or labels; never bare row
  numbers);
* the table sits in its own box that scrolls sideways, so a wide table never widens the
  page.

:func:`show` displays a table with any of these choices stated explicitly, e.g.
``tables.show(rates, rates="one_in", labels={"rate": "false alerts per face"})``.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = [
    "KINDS",
    "MISSING_TEXT",
    "RATE_STYLES",
    "Table",
    "column_kind",
    "format_value",
    "label",
    "register",
    "show",
    "to_html",
]

#: The kinds of column the formatter knows (see the module docstring).
KINDS = (
    "count",
    "p_value",
    "proportion",
    "one_in",
    "ratio",
    "share",
    "percent",
    "threshold",
    "per_unit",
    "date",
    "month",
    "year",
    "flag",
    "number",
    "text",
)

#: How a ``proportion`` column is written: a percentage (default), per million, "1 in N".
RATE_STYLES = ("percent", "per_million", "one_in")

#: What a missing value shows.
MISSING_TEXT = "–"

#: Names (whole or as their last word) that are counts in the suite's vocabulary.
_COUNT_NAMES = {
    "faces_seen",
    "faces_used",
    "faces_scaled",
    "alerts",
    "alerts_used",
    "true_alerts",
    "false_alerts",
    "arrests",
    "watchlist_size",
    "n_deployments",
    "n_excluded",
    "n_events",
    "n_rows",
    "deployments",
    "observed",
    "events",
    "trials",
    "rows",
    "rows_used",
    "secondary_rows",
    "count",
    "numerator",
    "denominator",
    "people",
    "people_described",
    "total",
    "figures",
    "duration_minutes",
    "other_disposals",
    "no_action",
    "true_alert_engagements",
    "false_alert_engagements",
    "true_alerts_confirmed",
    "true_alerts_unconfirmed",
    "false_alerts_confirmed",
    "false_alerts_unconfirmed",
    "with_threshold",
    "with_watchlist_size",
}
_PROPORTION_WORDS = {"rate", "lower", "upper", "estimate", "fpir", "fmr", "prevalence"}
_LABEL_WORDS = {
    "n": "",
    "p": "p",
    "cond": "conditional",
    "ci": "CI",
    "id": "ID",
    "fpir": "FPIR",
    "tpir": "TPIR",
    "fmr": "false-match rate",
    "oe": "O/E",
    "nb": "negative binomial",
    "npl": "NPL",
    "met": "Met",
    "pct": "%",
    "100k": "100,000",
    "1000": "1,000",
    "vawg": "VAWG",
    "ref": "reference",
    "sha256": "SHA-256",
    "url": "URL",
}
_LABELS = {
    "n_deployments": "Deployments",
    "n_excluded": "Left out (count unknown)",
    "n_events": "Events",
    "n_rows": "Rows",
    "one_in": "1 in N",
    "one_in_lower": "1 in N, low",
    "one_in_upper": "1 in N, high",
    "lower": "Lower limit",
    "upper": "Upper limit",
    "conf": "Confidence level",
    "p_cond_two_sided": "p, conditional, two-sided",
    "p_cond_more": "p, conditional, more",
    "p_fisher_two_sided": "p, Fisher, two-sided",
    "p_more_than_upper": "p, more than the bound",
}
#: Most decimals a column of measurements gets; a smaller value gets significant figures.
_MAX_DECIMALS = 10


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[^0-9a-z%]+", str(name).lower()) if w]


def label(name) -> str:
    """Return a reader's label for a column name (``faces_seen`` -> "Faces seen").

    Names that already read as words (with a space or a capital) keep their wording and get
    a capital first letter.
    """
    if isinstance(name, tuple):
        return " · ".join(label(part) for part in name if str(part) != "")
    text = str(name)
    if text in _LABELS:
        return _LABELS[text]
    if " " in text or text != text.lower() or "_" not in text:
        return text[:1].upper() + text[1:]
    raw = text.split("_")
    limits = [w for w in raw if w in ("lower", "upper")]
    words = [_LABEL_WORDS.get(w, w) for w in raw if w not in ("lower", "upper")]
    phrase = " ".join(w for w in words if w)
    phrase = phrase.replace("two sided", "two-sided").replace("midp", "mid-p")
    for limit in limits:
        head, _, tail = phrase.partition(" conditional")
        phrase = f"{head}, {limit} limit" + (", conditional" if tail or _ else "")
    if phrase.startswith("one in"):
        phrase = "1 in N" + ("," + phrase[6:] if phrase[6:] else "")
    if phrase.startswith("p "):
        return "p, " + phrase[2:]
    return phrase[:1].upper() + phrase[1:]


def _values_kind(values: pd.Series) -> str:
    """The kind a column's values suggest when its name says nothing."""
    dtype = values.dtype
    if isinstance(dtype, pd.PeriodDtype):
        return "month" if str(dtype) == "period[M]" else "text"
    if pd.api.types.is_bool_dtype(dtype):
        return "flag"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "date"
    if pd.api.types.is_integer_dtype(dtype):
        return "count"
    if pd.api.types.is_float_dtype(dtype):
        finite = values.dropna()
        finite = finite[np.isfinite(finite.to_numpy(dtype=float))]
        if len(finite) and (finite == finite.round()).all() and finite.abs().max() >= 1:
            return "count"
        return "number"
    return "text"


def column_kind(name, values=None) -> str:
    """Return the kind of a column (one of :data:`KINDS`) from its name and values.

    Parameters
    ----------
    name : str or tuple
        The column's name (a tuple for a column of a MultiIndex: its last level counts).
    values : pandas.Series, optional
        The column, to tell e.g. a count from a measurement and a date from text.
    """
    if isinstance(name, tuple):
        name = next((part for part in reversed(name) if str(part) != ""), "")
    values = (
        pd.Series(values) if values is not None and not isinstance(values, pd.Series) else values
    )
    by_values = _values_kind(values) if values is not None else "number"
    if by_values in ("date", "month", "flag"):
        return by_values
    text = str(name).lower()
    words = _words(text)
    if not words:
        return by_values
    numeric = by_values in ("count", "number")
    if not numeric:
        if words[-1] == "month" or words[0] == "month":
            return "month"
        return "text"
    if text in _COUNT_NAMES or words[-1] in {"count", "counts"}:
        return "count" if by_values == "count" else "number"
    if words[0] == "p" or text in ("p", "p_value", "pvalue"):
        return "p_value"
    if "one" in words and "in" in words:
        return "one_in"
    if words[0] in ("year", "years") and len(words) == 1:
        return "year"
    if "threshold" in words and "with" not in words:
        return "threshold"
    if values is not None and pd.api.types.is_integer_dtype(values.dtype):
        return "count"  # whole numbers of something, whatever the name says
    if "ratio" in words or words[0] == "oe":
        return "ratio"
    if "share" in words or "precision" in words or "proportion" in words or text == "conf":
        return "share"
    if "percent" in words or "%" in text or "pct" in words:
        return "percent"
    if "per" in words and ("million" in words or len(words) > 1):
        return "per_unit"
    if _PROPORTION_WORDS & set(words) and values is not None:
        finite = pd.to_numeric(values, errors="coerce").dropna()
        if len(finite) and finite.between(0, 1).all() and not (finite == 1).all():
            return "proportion"
    return by_values


def _significant(value: float, figures: int) -> str:
    """``value`` to ``figures`` significant figures, in plain decimal notation."""
    if value == 0:
        return "0"
    text = np.format_float_positional(
        value, precision=figures, unique=False, fractional=False, trim="-"
    )
    whole, _, fraction = text.partition(".")
    if len(whole.lstrip("-")) > 3:
        return f"{round(value):,}"
    return text.rstrip(".")


def _decimals_for(values) -> int:
    """Decimals, fixed for a column, that give its typical (median) value 3 significant figures."""
    finite = sorted(abs(float(v)) for v in values if _is_number(v) and math.isfinite(v) and v)
    if not finite:
        return 0
    typical = finite[len(finite) // 2]
    return int(min(_MAX_DECIMALS, max(0, 2 - math.floor(math.log10(typical)))))


def _is_number(value) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, list | tuple | dict) else False
    except (TypeError, ValueError):
        return False


def _number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def format_value(value, kind: str, *, decimals: int | None = None, rates: str = "percent") -> str:
    """Write one value of a column of the given kind (see the module docstring).

    Parameters
    ----------
    value
        The cell's value.
    kind : str
        One of :data:`KINDS`.
    decimals : int, optional
        For ``number`` columns: decimals to show (default: 3 significant figures).
    rates : str
        How a ``proportion`` is written: one of :data:`RATE_STYLES`.

    Returns
    -------
    str
        Plain text (not yet HTML-escaped); :data:`MISSING_TEXT` for a missing value.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    if rates not in RATE_STYLES:
        raise ValueError(f"rates must be one of {RATE_STYLES}, got {rates!r}")
    if _missing(value):
        return MISSING_TEXT
    if _is_number(value) and kind in ("date", "month", "flag", "text"):
        kind = "number"  # a number where words were expected is still written as a number
    if kind in ("date", "month"):
        return _date_text(value, kind)
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if not _is_number(value):
        if isinstance(value, pd.Timestamp):
            return _date_text(value, "date")
        if isinstance(value, pd.Period):
            return _date_text(value, "month")
        return str(value)
    number = float(value)
    if math.isinf(number):
        if kind == "one_in":
            return "none seen" if number > 0 else MISSING_TEXT
        return "∞" if number > 0 else "-∞"
    if kind == "count":
        return _number(number, 0) if number == round(number) else _number(number, 1)
    if kind == "year":
        if number == round(number):
            return f"{int(number)}"
        kind = "number"
    if kind == "p_value":
        if number < 0.001:
            return "< 0.001"
        return _significant(number, 2) if number < 0.1 else f"{number:.2f}"
    if kind == "one_in":
        return f"1 in {number:,.0f}"
    if kind in ("ratio", "threshold", "per_unit"):
        return _number(number, 2)
    if kind == "share":
        return f"{number * 100:.1f}%"
    if kind == "percent":
        return f"{_significant(number, 3)}%"
    if kind == "proportion":
        if rates == "one_in":
            return "none seen" if number == 0 else f"1 in {1 / number:,.0f}"
        if rates == "per_million":
            return f"{_significant(number * 1e6, 3)} per million"
        return f"{_significant(number * 100, 3)}%"
    if decimals is None:
        decimals = _decimals_for([number])
    if number and abs(number) < 10 ** (-decimals) / 2:
        return _significant(number, 3)
    return _number(number, decimals)


def _date_text(value, kind: str) -> str:
    if isinstance(value, str):
        try:
            value = pd.Period(value, "M") if kind == "month" else pd.Timestamp(value)
        except (ValueError, TypeError):
            return value
    if isinstance(value, pd.Period):
        return value.strftime("%b %Y") if value.freqstr in ("M", "ME") else str(value)
    if isinstance(value, pd.Timestamp | np.datetime64):
        stamp = pd.Timestamp(value)
        if kind == "month":
            return stamp.strftime("%b %Y")
        day = f"{stamp.day} {stamp.strftime('%b %Y')}"
        if stamp.hour or stamp.minute:
            day += stamp.strftime(" %H:%M")
        return day
    return str(value)


_NUMERIC_KINDS = {
    "count",
    "p_value",
    "proportion",
    "one_in",
    "ratio",
    "share",
    "percent",
    "threshold",
    "per_unit",
    "year",
    "number",
}


def _meaningful_index(index: pd.Index) -> bool:
    """True unless the index is bare row numbers (a default or filtered integer index)."""
    if isinstance(index, pd.MultiIndex):
        return True
    if index.name is not None:
        return True
    return not pd.api.types.is_integer_dtype(index.dtype)


def _transposed(frame: pd.DataFrame) -> bool:
    """A frame turned on its side (``.T``): field names down the index, rows across."""
    if isinstance(frame.index, pd.MultiIndex) or not len(frame.index):
        return False
    labels_are_names = all(isinstance(v, str) for v in frame.index)
    columns_are_rows = not all(isinstance(c, str) for c in frame.columns)
    mixed = any(frame[c].dtype == object for c in frame.columns)
    return labels_are_names and columns_are_rows and mixed


class Table:
    """A DataFrame with its reader's formatting: ``_repr_html_`` gives the HTML table.

    Parameters are those of :func:`to_html`.
    """

    def __init__(self, data, **options):
        self.data = data
        self.options = options

    def _repr_html_(self) -> str:
        return to_html(self.data, **self.options)

    def __repr__(self) -> str:
        return repr(self.data)


def to_html(
    data,
    *,
    kinds: Mapping | None = None,
    labels: Mapping | None = None,
    rates: str | Mapping = "percent",
    index: bool | None = None,
    caption: str | None = None,
    max_rows: int | None = None,
) -> str:
    """Render a DataFrame or Series as a reader's HTML table (see the module docstring).

    Parameters
    ----------
    data : pandas.DataFrame or pandas.Series
        The table.
    kinds : mapping, optional
        Column name -> kind (one of :data:`KINDS`), overriding the inferred kind.
    labels : mapping, optional
        Column name -> label, overriding :func:`label`.
    rates : str or mapping
        How ``proportion`` columns are written: one of :data:`RATE_STYLES` for all of them,
        or a mapping column -> style (``"percent"`` for the others).
    index : bool, optional
        Show the row index; default: only when it means something (named, or labels
        rather than bare row numbers).
    caption : str, optional
        A caption above the table.
    max_rows : int, optional
        Longest table shown in full (default: pandas' ``display.max_rows``); a longer one
        shows its first and last rows and says how many are left out.

    Returns
    -------
    str
        A ``<div class="lfr-table">`` holding the ``<table>``.

    Raises
    ------
    TypeError
        When ``data`` is not a DataFrame or Series.
    ValueError
        For an unknown kind or rate style (naming it).
    """
    if isinstance(data, pd.Series):
        name = data.name if data.name is not None else "value"
        data = data.to_frame(name=name)
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame or Series, got {type(data).__name__}")
    kinds = dict(kinds or {})
    labels = dict(labels or {})
    for column, kind in kinds.items():
        if kind not in KINDS:
            raise ValueError(f"kinds[{column!r}] must be one of {KINDS}, got {kind!r}")
    styles = rates if isinstance(rates, Mapping) else {}
    default_style = "percent" if isinstance(rates, Mapping) else rates
    for style in [default_style, *styles.values()]:
        if style not in RATE_STYLES:
            raise ValueError(f"rates must be one of {RATE_STYLES}, got {style!r}")
    limit = max_rows if max_rows is not None else pd.get_option("display.max_rows")
    shown, hidden = data, 0
    if limit and len(data) > limit:
        half = max(1, limit // 2)
        shown = pd.concat([data.iloc[:half], data.iloc[-half:]])
        hidden = len(data) - 2 * half
    show_index = _meaningful_index(data.index) if index is None else index
    rowwise = _transposed(data)
    described = {"count", "mean", "std", "min", "max"} <= {str(v) for v in data.index}
    index_kinds = [
        (column_kind(name, data.index.get_level_values(level)) if name is not None else None)
        for level, name in enumerate(data.index.names)
    ]
    esc = html.escape

    head = []
    if show_index:
        names = list(data.index.names)
        head += [label(n) if n is not None else "" for n in names]
    columns = list(data.columns)
    column_labels = [labels.get(c, label(c)) if not _blank(c) else "" for c in columns]
    if rowwise and all(_is_number(c) for c in columns):
        column_labels = ["Value"] if len(columns) == 1 else [""] * len(columns)
    head += column_labels

    column_kinds, column_decimals = {}, {}
    for column in columns:
        values = data[column]
        kind = kinds.get(column) or column_kind(column, values)
        column_kinds[column] = kind
        if kind == "number":
            column_decimals[column] = _decimals_for(values.dropna().tolist())

    parts = ['<div class="lfr-table" style="overflow-x:auto;max-width:100%">', "<table>"]
    if caption:
        parts.append(f"<caption>{esc(caption)}</caption>")
    parts.append("<thead><tr>")
    index_width = data.index.nlevels if show_index else 0
    for position, text in enumerate(head):
        numeric = position >= index_width and column_kinds[columns[position - index_width]] in (
            _NUMERIC_KINDS
        )
        css = ' class="num"' if numeric and not rowwise else ""
        parts.append(f'<th scope="col"{css}>{esc(text)}</th>')
    parts.append("</tr></thead><tbody>")
    ncols = len(head)
    for position, (key, row) in enumerate(shown.iterrows()):
        if hidden and position == len(shown) // 2:
            parts.append(
                f'<tr class="more"><td colspan="{ncols}">… {hidden:,} more rows …</td></tr>'
            )
        parts.append("<tr>")
        if show_index:
            keys = key if isinstance(key, tuple) else (key,)
            for part, kind in zip(keys, index_kinds, strict=True):
                text = label(part) if rowwise else _index_text(part, kind)
                css = _cell_class(kind or "text", part, text).replace(' class="num"', "")
                parts.append(f'<th scope="row"{css}>{esc(text)}</th>')
        for column in columns:
            value = row[column]
            if rowwise:
                kind = kinds.get(key) or column_kind(key, pd.Series([value]))
                decimals = None
            elif described and key in ("count", "std"):
                kind = "count" if key == "count" else "number"
                decimals = column_decimals.get(column)
            else:
                kind, decimals = column_kinds[column], column_decimals.get(column)
            style = styles.get(key if rowwise else column, default_style)
            text = format_value(value, kind, decimals=decimals, rates=style)
            css = _cell_class(kind, value, text)
            parts.append(f"<td{css}>{esc(text)}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table></div>")
    return "".join(parts)


def _cell_class(kind: str, value, text: str) -> str:
    """A cell's class: ``num`` (right-aligned), ``date`` or ``id`` (kept on one line)."""
    if kind in _NUMERIC_KINDS and _is_number(value):
        return ' class="num"'
    if kind in ("date", "month"):
        return ' class="date"'
    if len(text) > 12 and not any(c.isspace() for c in text):
        return ' class="id"'  # an identifier or a code
    return ""


def _blank(name) -> bool:
    return name is None or (isinstance(name, str) and not name)


def _index_text(value, kind: str | None) -> str:
    if _missing(value):
        return MISSING_TEXT
    if kind in ("threshold", "year", "month", "date", "count", "ratio", "share"):
        return format_value(value, kind)
    if isinstance(value, pd.Timestamp | pd.Period):
        return _date_text(value, "month" if isinstance(value, pd.Period) else "date")
    if isinstance(value, float) and value.is_integer():
        return f"{value:g}"
    if _is_number(value):
        return format_value(value, "number", decimals=_decimals_for([value]))
    return str(value)


def show(data, **options) -> None:
    """Display a table with the reader's formatting (options as for :func:`to_html`).

    In a Jupyter kernel the table is displayed below the cell; elsewhere its HTML is
    printed. Returns None, so a cell ending in ``tables.show(...)`` shows the table once.
    """
    table = Table(data, **options)
    text = table._repr_html_()  # check the options now, in every setting
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:
        print(text)
        return
    if get_ipython() is None:
        print(text)
        return
    display(HTML(text))


def _frame_html(frame: pd.DataFrame) -> str:
    return to_html(frame)


def register(shell=None) -> bool:
    """Make :func:`to_html` the HTML view of every DataFrame and Series a shell displays.

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell, optional
        Default: the running IPython shell.

    Returns
    -------
    bool
        True when registered; False outside IPython (nothing changes).
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None:
        return False
    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(pd.DataFrame, _frame_html)
    formatter.for_type(pd.Series, _frame_html)
    return True
