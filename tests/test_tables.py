"""The reader's tables: kinds, labels, index, no scientific notation, and registration."""

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lfr_analysis import tables

SCIENTIFIC = re.compile(r"\d[eE][+-]?\d")


def cells(html_text):
    """The text of every header and data cell, in order."""
    found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", html_text)
    return [re.sub(r"<[^>]+>", "", c).replace("&lt;", "<").replace("&amp;", "&") for c in found]


def rows(html_text):
    body = html_text.split("<tbody>")[1]
    return [cells(r) for r in body.split("</tr>") if "<t" in r]


@pytest.mark.parametrize(
    ("name", "values", "kind"),
    [
        ("faces_seen", [2529031, 4600], "count"),
        ("faces_seen", [285.0, 12.0], "count"),
        ("n_deployments", [285], "count"),
        ("p_cond_two_sided", [0.00423], "p_value"),
        ("p_more", [1.0], "p_value"),
        ("rate", [1.74e-5, 0.02], "proportion"),
        ("lower", [1.2e-5], "proportion"),
        ("lower", [16.98, 3.4], "number"),
        ("one_in", [57477.9], "one_in"),
        ("fewer_than_one_in", [3210.0], "one_in"),
        ("ratio_upper_cond", [315.57], "ratio"),
        ("share_lower", [0.12], "share"),
        ("precision", [0.98], "share"),
        ("threshold", [0.6, 0.64], "threshold"),
        ("with_threshold", [203, 0], "count"),
        ("per_100k_faces", [37.9], "per_unit"),
        ("year", [2023, 2024], "year"),
        ("expected", [99.07], "number"),
        ("reported_percent", [0.01], "percent"),
        ("deployment_id", ["MET-1"], "text"),
    ],
)
def test_kinds_follow_the_vocabulary(name, values, kind):
    assert tables.column_kind(name, pd.Series(values)) == kind


def test_kinds_from_values():
    assert tables.column_kind("when", pd.Series(pd.to_datetime(["2024-01-02"]))) == "date"
    months = pd.Series(pd.period_range("2024-01", periods=2, freq="M"))
    assert tables.column_kind("anything", months) == "month"
    assert tables.column_kind("zero_events", pd.Series([True, False])) == "flag"


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (2529031, "count", "2,529,031"),
        (285.0, "count", "285"),
        (pd.NA, "count", tables.MISSING_TEXT),
        (0.0, "p_value", "< 0.001"),
        (0.00042, "p_value", "< 0.001"),
        (0.00423, "p_value", "0.0042"),
        (0.075546, "p_value", "0.076"),
        (0.9312, "p_value", "0.93"),
        (1.0, "p_value", "1.00"),
        (57477.98, "one_in", "1 in 57,478"),
        (np.inf, "one_in", "none seen"),
        (0.252355, "ratio", "0.25"),
        (315.570187, "ratio", "315.57"),
        (0.979872, "share", "98.0%"),
        (0.6, "threshold", "0.60"),
        (1.7398e-5, "proportion", "0.00174%"),
        (0.020128, "proportion", "2.01%"),
        (pd.Timestamp("2023-04-06"), "date", "6 Apr 2023"),
        (pd.Period("2024-06", "M"), "month", "Jun 2024"),
        ("2024-06", "month", "Jun 2024"),
        (2024, "year", "2024"),
        (True, "flag", "yes"),
        (1.666e-8, "number", "0.0000000167"),
    ],
)
def test_values_are_written_for_readers(value, kind, text):
    assert tables.format_value(value, kind) == text


def test_rate_styles():
    assert tables.format_value(1.7398e-5, "proportion", rates="per_million") == "17.4 per million"
    assert tables.format_value(1.7398e-5, "proportion", rates="one_in") == "1 in 57,478"
    assert tables.format_value(0.0, "proportion", rates="one_in") == "none seen"
    with pytest.raises(ValueError, match="rates must be one of"):
        tables.format_value(0.1, "proportion", rates="per_cent")
    with pytest.raises(ValueError, match="kind must be one of"):
        tables.format_value(0.1, "sometimes")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("faces_seen", "Faces seen"),
        ("n_deployments", "Deployments"),
        ("p_cond_two_sided", "p, conditional, two-sided"),
        ("p_more", "p, more"),
        ("ratio_lower_cond", "Ratio, lower limit, conditional"),
        ("per_1000_alerts", "Per 1,000 alerts"),
        ("deployment_id", "Deployment ID"),
        ("one_in_observed", "1 in N, observed"),
        ("cells per row", "Cells per row"),
        (("force", "Metropolitan"), "Force · Metropolitan"),
    ],
)
def test_labels_are_written_for_readers(name, text):
    assert tables.label(name) == text


def test_a_table_of_rates_reads_as_intended():
    frame = pd.DataFrame(
        {
            "n_deployments": [285],
            "faces_seen": [2529031.0],
            "false_alerts": pd.array([44], dtype="Int64"),
            "rate": [44 / 2529031],
            "lower": [1.26e-5],
            "upper": [2.34e-5],
            "one_in": [57477.98],
            "p_fewer": [2.0e-9],
        }
    )
    html_text = tables.to_html(frame)
    head, *body = cells(html_text)[:8], rows(html_text)
    assert head == [
        "Deployments",
        "Faces seen",
        "False alerts",
        "Rate",
        "Lower limit",
        "Upper limit",
        "1 in N",
        "p, fewer",
    ]
    assert body[0] == [
        ["285", "2,529,031", "44", "0.00174%", "0.00126%", "0.00234%", "1 in 57,478", "< 0.001"]
    ]
    assert 'class="num"' in html_text and "overflow-x:auto" in html_text
    per_million = rows(tables.to_html(frame, rates="per_million"))[0]
    assert per_million[3:6] == ["17.4 per million", "12.6 per million", "23.4 per million"]


def test_the_index_is_shown_only_when_it_means_something():
    frame = pd.DataFrame({"alerts": [3, 4]}, index=[7, 12])  # rows left after a filter
    assert rows(tables.to_html(frame)) == [["3"], ["4"]]
    named = frame.set_axis(pd.Index([0.6, 0.64], name="threshold"))
    assert rows(tables.to_html(named)) == [["0.60", "3"], ["0.64", "4"]]
    labelled = frame.set_axis(["primary", "secondary"])
    assert rows(tables.to_html(labelled)) == [["primary", "3"], ["secondary", "4"]]
    assert rows(tables.to_html(labelled, index=False)) == [["3"], ["4"]]


def test_a_frame_on_its_side_is_formatted_row_by_row():
    frame = pd.DataFrame(
        {"faces_seen": [1863630.0], "p_more_than_upper": [1.0], "note": ["zero-event reference"]}
    ).T
    assert rows(tables.to_html(frame)) == [
        ["Faces seen", "1,863,630"],
        ["p, more than the bound", "1.00"],
        ["Note", "zero-event reference"],
    ]
    assert cells(tables.to_html(frame))[:2] == ["", "Value"]


def test_a_series_and_describe():
    counts = pd.Series([286, 252], index=pd.Index(["primary", "secondary"], name="source_type"))
    assert rows(tables.to_html(counts.rename("count"))) == [
        ["primary", "286"],
        ["secondary", "252"],
    ]
    described = pd.Series([12.0, 13.5, 1.5, 11.0, 15.0], name="one_in").describe()
    table = dict(rows(tables.to_html(described)))
    assert table["count"] == "5" and table["mean"] == "1 in 11"  # mean 10.6


def test_long_tables_say_what_they_leave_out():
    frame = pd.DataFrame({"alerts": range(100)})
    text = tables.to_html(frame, max_rows=10)
    assert "… 90 more rows …" in text
    assert len(rows(text)) == 11


def test_explicit_kinds_labels_and_refusals():
    frame = pd.DataFrame({"x": [0.25], "y": [0.5]})
    text = tables.to_html(frame, kinds={"x": "share"}, labels={"y": "half"}, caption="A & B")
    assert cells(text)[:2] == ["X", "half"] and rows(text) == [["25.0%", "0.500"]]
    assert "<caption>A &amp; B</caption>" in text
    with pytest.raises(ValueError, match=r"kinds\['x'\] must be one of"):
        tables.to_html(frame, kinds={"x": "fraction"})
    with pytest.raises(TypeError, match="DataFrame or Series"):
        tables.to_html([1, 2])


numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.integers(min_value=-(10**18), max_value=10**18),
)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(numbers, min_size=1, max_size=6), st.sampled_from(tables.KINDS))
def test_no_number_is_ever_written_in_scientific_notation(values, kind):
    column = {"number": "measure", "count": "alerts"}.get(kind, kind)
    frame = pd.DataFrame({column: pd.Series(values, dtype=object)})
    for text in cells(tables.to_html(frame, kinds={column: kind}))[1:]:
        assert not SCIENTIFIC.search(text), (values, kind, text)
    for value in values:
        text = tables.format_value(value, kind)
        assert not SCIENTIFIC.search(text), (value, kind, text)


def test_registered_for_every_frame_and_series_an_ipython_shell_shows():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        assert tables.register(shell)
        data, _ = shell.display_formatter.format(pd.DataFrame({"p_more": [1e-12]}))
        assert "< 0.001" in data["text/html"].replace("&lt;", "<")
        data, _ = shell.display_formatter.format(pd.Series([1234567], name="faces_seen"))
        assert "1,234,567" in data["text/html"]
    finally:
        InteractiveShell.clear_instance()
    assert tables.register() is False  # no shell running: nothing happens


def test_setup_registers_the_tables(monkeypatch):
    from lfr_analysis import notebook

    seen = []
    monkeypatch.setattr(tables, "register", lambda shell=None: seen.append(shell) or True)
    notebook.setup(style=False)
    assert seen == [None]
    notebook.setup(style=False, readable_tables=False)
    assert seen == [None]
