"""Tests of lfr_analysis.arrests: the two data files, harmonising, counts, shares, yield.

Interval reference values come from R (tests/reference/arrests.py, written by
tests/reference/R/arrests.R): poisson.test (Garwood limits), binom.test, and Goodman's
simultaneous limits from the paper's formula.
"""

from __future__ import annotations

import csv
import io
import math
import shutil

import matplotlib
import numpy as np
import pandas as pd
import pytest
from reference import arrests as ref

from lfr_analysis import arrests as A
from lfr_analysis import paths, plotting
from lfr_analysis.datasets import arrests_by_offence, offence_taxonomy
from lfr_analysis.datasets.reader import ChecksumError, DataValidationError

matplotlib.use("Agg")

APRIL_9 = "met-2024-04-09-clapham-sutton-woolwich-deployments"
MAY_15 = "met-2024-05-15-tower-hamlets-o2-arena"
YTD_2024 = "met-2024-ytd-results-to-dec"
ANNUAL = "met-2024-09-annual-report-2025"
CARNIVAL = "met-2025-08-23-notting-hill-carnival"


@pytest.fixture(scope="module")
def arrests():
    return arrests_by_offence.load()


@pytest.fixture(scope="module")
def taxonomy():
    return offence_taxonomy.load()


@pytest.fixture(scope="module")
def harmonised(arrests, taxonomy):
    return A.harmonise(arrests, taxonomy)


def goodman_reference(limits: tuple[float, ...]) -> np.ndarray:
    """Goodman limits from the reference module (lower limits, then upper) as rows."""
    return np.asarray(limits, dtype=float).reshape(2, -1).T


# ------------------------------------------------------------------------ data files


def test_data_resources_match_the_files():
    for dataset in (arrests_by_offence.DATASET, offence_taxonomy.DATASET):
        with dataset.path().open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        assert header == [c.name for c in dataset.columns]
        assert dataset.sources and all(s["path"].startswith("https://") for s in dataset.sources)


def test_arrests_file_loads_with_expected_shape(arrests):
    assert len(arrests) == 234
    assert arrests["record_id"].is_unique
    assert (
        {"exact", "at_least", "share"}
        <= set(arrests["qualifier"])
        <= set(arrests_by_offence.QUALIFIERS)
    )
    assert str(arrests["count"].dtype) == "Int64"
    assert arrests["force"].nunique() == 11
    # share rows carry no count, and no count was derived from a share
    shares = arrests[arrests["qualifier"] == "share"]
    assert len(shares) == 2 and shares["count"].isna().all()


def test_taxonomy_covers_every_published_category(arrests, taxonomy):
    published = set(arrests["published_category"])
    mapped = set(taxonomy["published_category"])
    assert published - mapped == set(), "categories with no taxonomy row"
    assert mapped - published == set(), "taxonomy rows no published figure uses"


def test_taxonomy_codes_and_verify_marks(taxonomy):
    offences = taxonomy[taxonomy["category_axis"] == "offence"]
    assert offences["why_wanted"].notna().all() and offences["offence_group"].notna().all()
    assert set(offences["offence_group"]) <= set(offence_taxonomy.OFFENCE_GROUPS)
    flagged = taxonomy[taxonomy["verify"]]
    assert len(flagged) > 0 and flagged["mapping_note"].notna().all()
    # a failure to appear is coded A1 with the underlying offence on axis B
    fta_theft = taxonomy.set_index("published_category").loc["Failure to appear - theft"]
    assert (fta_theft["why_wanted"], fta_theft["offence_group"]) == ("A1", "Theft")


def test_harmonise_refuses_unmapped_category(arrests, taxonomy):
    broken = arrests.copy()
    broken.loc[0, "published_category"] = "Loitering with intent"
    with pytest.raises(
        ValueError, match=r"met-2024-ytd-results-to-dec-01: 'Loitering with intent'"
    ):
        A.harmonise(broken, taxonomy)


# ------------------------------------------------------------------------- reconcile


def test_people_listed_reconcile_with_event_totals(arrests):
    table = A.reconcile(arrests).set_index("event_id")
    listed = table[table["people_described"] > 0]
    assert (listed["status"] != "exceeds total").all()
    # 9 April 2024: twelve arrests listed one by one (eleven rows, one of two people)
    april = table.loc[APRIL_9]
    assert (april["total"], april["people_described"], april["not_described"]) == (12, 12, 0)
    assert april["status"] == "reconciled"
    # the events whose sources describe only some arrests, each documented in its notes
    partly = set(listed.index[listed["status"] == "partly described"])
    assert partly == {
        MAY_15,
        "met-undated-croydon-london-road-north",
        "met-2024-03-19-croydon-tooting-deployments",
        CARNIVAL,
        "met-2025-10-01-croydon-fixed-camera-pilot",
        "met-2025-12-oxford-street-one-day",
        # the Essex release may describe one arrest for two offences: named, not people
        "essex-2024-08-22-clacton-airshow-first-essex",
    }
    assert table.loc[MAY_15, "not_described"] == 2  # computed, no longer typed in


def test_outcomes_reconcile_with_total(arrests):
    row = A.reconcile(arrests).set_index("event_id").loc[YTD_2024]
    assert (row["total"], row["outcomes_published"], row["no_published_outcome"]) == (540, 501, 39)


# ---------------------------------------------------------------------------- counts


def test_counts_carry_exact_poisson_intervals(harmonised):
    table = A.arrest_counts(harmonised, "offence_group", events=APRIL_9)
    assert table["arrests"].sum() == 12
    assert tuple(table["arrests"]) == ref.APRIL_9_OFFENCE_GROUPS
    for row in table.itertuples():
        expected = getattr(ref, f"garwood_{row.arrests}")  # poisson.test(x)$conf.int
        assert row.lower == pytest.approx(expected.lower, rel=1e-10)
        assert row.upper == pytest.approx(expected.upper, rel=1e-10)
    assert (
        A.arrest_counts(harmonised, "offence_group", events=APRIL_9, full=True)["conf"]
        .eq(0.95)
        .all()
    )
    assert list(table.columns) == ["offence_group", *A.COUNTS_VIEW]


def test_counts_with_exposure_give_rates(harmonised):
    table = A.arrest_counts(harmonised, "why_wanted", events=APRIL_9, exposure=3.0)
    assert np.allclose(table["rate"], table["arrests"] / 3.0)
    assert np.allclose(table["rate_upper"], table["upper"] / 3.0)


def test_lower_bound_counts_read_as_lower_bounds(harmonised):
    table = A.arrest_counts(
        harmonised, "published_category", row_types=["category"], events=YTD_2024
    )
    assert (table["qualifier"] == "at_least").all()
    assert np.isinf(table["upper"]).all()
    assert table["reading"].str.startswith("lower bound").all()
    assert table["lower"].iloc[0] == pytest.approx(ref.garwood_50.lower, rel=1e-10)


def test_shares_of_exclusive_complete_categories(harmonised):
    table = A.arrest_counts(
        harmonised,
        "outcome",
        row_types=["outcome"],
        events=YTD_2024,
        shares=True,
        share_method="goodman",
    )
    counts = dict(zip(table["outcome"], table["arrests"], strict=True))
    assert counts == {
        "charged or cautioned": 406,
        "released on bail pending further enquiries": 95,
        A.NOT_DESCRIBED: 39,
    }
    assert tuple(table["arrests"]) == ref.YTD_2024_OUTCOMES
    expected = goodman_reference(ref.goodman_ytd_2024_outcomes)
    np.testing.assert_allclose(
        table[["share_lower", "share_upper"]].to_numpy(), expected, rtol=1e-10
    )
    assert table["share"].sum() == pytest.approx(1.0)


def test_shares_of_listed_people(harmonised):
    table = A.arrest_counts(
        harmonised, "offence_group", events=APRIL_9, shares=True, share_method="goodman"
    )
    assert A.NOT_DESCRIBED not in set(table["offence_group"])
    assert tuple(table["arrests"]) == ref.APRIL_9_OFFENCE_GROUPS
    np.testing.assert_allclose(
        table[["share_lower", "share_upper"]].to_numpy(),
        goodman_reference(ref.goodman_april_9),
        rtol=1e-10,
    )


def test_annual_report_overlap_is_refused_and_named(harmonised):
    with pytest.raises(A.OverlappingCategoriesError) as info:
        A.arrest_counts(
            harmonised,
            "published_category",
            row_types=["category"],
            events=ANNUAL,
            axes="why_wanted",
            shares=True,
        )
    message = str(info.value)
    assert "549 + 347 + 85 = 981" in message and "962" in message and "by 19" in message
    assert "Arrest basis: wanted by the courts" in message


def test_annual_report_categories_still_countable_separately(harmonised):
    table = A.arrest_counts(
        harmonised, "published_category", row_types=["category"], events=ANNUAL, axes="why_wanted"
    )
    assert sorted(table["arrests"]) == [85, 347, 549]


def test_flags_are_refused_as_shares(harmonised):
    with pytest.raises(A.OverlappingCategoriesError, match="cross-cutting flags") as info:
        A.arrest_counts(
            harmonised, "published_category", row_types=["category"], events=CARNIVAL, shares=True
        )
    assert "VAWG offences" in str(info.value)
    assert "Serious violence-related offences" in str(info.value)


def test_named_lists_and_incomplete_lists_are_refused(harmonised):
    with pytest.raises(A.OverlappingCategoriesError, match="including"):
        A.arrest_counts(
            harmonised,
            "offence_group",
            row_types=["named"],
            events="met-2023-12-07-croydon-first-deployment",
            shares=True,
        )
    with pytest.raises(A.OverlappingCategoriesError, match="cover 4 of 6"):
        A.arrest_counts(harmonised, "offence_group", events=MAY_15, shares=True, residual=False)


def test_shares_with_residual_when_asked(harmonised):
    table = A.arrest_counts(harmonised, "offence_group", events=MAY_15, shares=True)
    assert table.set_index("offence_group").loc[A.NOT_DESCRIBED, "arrests"] == 2


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"by": "no_such_column"}, "unknown column"),
        ({"conf": 1.5}, "confidence level"),
        ({"exposure": 0}, "exposure"),
        ({"row_types": ["people"]}, "row_types"),
        ({"events": "no-such-event"}, "unknown event_id"),
        ({"axes": "offences"}, "axes"),
        ({"row_types": ["category"], "events": ANNUAL}, "only a share"),
    ],
)
def test_bad_arguments_raise_value_error(harmonised, kwargs, match):
    with pytest.raises(ValueError, match=match):
        A.arrest_counts(harmonised, **kwargs)


def test_a_grouping_that_is_not_a_column_name_is_a_type_error(harmonised):
    with pytest.raises(TypeError, match="by must be"):
        A.arrest_counts(harmonised, by=3)


def test_not_preferred_versions_are_left_out(harmonised):
    totals = harmonised[(harmonised["event_id"] == CARNIVAL) & (harmonised["row_type"] == "total")]
    assert sorted(totals["count"]) == [52, 61]
    table = A.arrest_counts(harmonised, "event_id", row_types=["total"], events=CARNIVAL)
    assert table["arrests"].tolist() == [61]


# ------------------------------------------------------------------ corrupted copies


def _copy_with(tmp_path, file_name, edit):
    text = (paths.data_dir() / file_name).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    edit(rows)
    target = tmp_path / file_name
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return target


def _set(rows, record_id, column, value):
    header = rows[0]
    for row in rows[1:]:
        if row[0] == record_id:
            row[header.index(column)] = value
            return
    raise AssertionError(record_id)


@pytest.mark.parametrize(
    ("record_id", "column", "value", "expected"),
    [
        (f"{APRIL_9}-02", "count", "one", "column 'count': value 'one'"),
        (f"{APRIL_9}-02", "count", "-1", "column 'count': value '-1'"),
        (f"{APRIL_9}-02", "qualifier", "roughly", "column 'qualifier': value 'roughly'"),
        (f"{APRIL_9}-02", "count", "", "must be blank exactly when qualifier is 'share'"),
        (f"{APRIL_9}-02", "count", "5", "exceed its total 12"),
        (f"{APRIL_9}-02", "period_end", "2024-13-01", "is not YYYY, YYYY-MM or YYYY-MM-DD"),
        (f"{APRIL_9}-02", "quality_flags", "dodgy", "is not a known quality flag"),
        (f"{CARNIVAL}-06", "preferred", "true", "needs exactly one preferred row"),
        (f"{YTD_2024}-02", "count", "600", "outcome count exceeds the event total 540"),
    ],
)
def test_loader_names_file_line_column_value(tmp_path, record_id, column, value, expected):
    path = _copy_with(
        tmp_path, arrests_by_offence.FILE, lambda rows: _set(rows, record_id, column, value)
    )
    with pytest.raises(DataValidationError) as info:
        arrests_by_offence.load(path, verify_checksum=False)
    message = str(info.value)
    assert expected in message
    assert "arrests_by_offence.csv, line " in message


def test_loader_refuses_missing_column(tmp_path):
    def drop_notes(rows):
        for row in rows:
            del row[-1]

    path = _copy_with(tmp_path, arrests_by_offence.FILE, drop_notes)
    with pytest.raises(DataValidationError, match="column 'notes'.*missing"):
        arrests_by_offence.load(path, verify_checksum=False)


def test_taxonomy_loader_refuses_unknown_group(tmp_path):
    def edit(rows):
        rows[5][rows[0].index("offence_group")] = "Jaywalking"

    path = _copy_with(tmp_path, offence_taxonomy.FILE, edit)
    with pytest.raises(DataValidationError, match="line 6, column 'offence_group'"):
        offence_taxonomy.load(path, verify_checksum=False)


def test_edited_file_fails_checksum(tmp_path):
    shutil.copy(paths.data_dir() / "datapackage.json", tmp_path / "datapackage.json")
    path = _copy_with(
        tmp_path, arrests_by_offence.FILE, lambda rows: _set(rows, f"{APRIL_9}-02", "notes", "x")
    )
    with pytest.raises(ChecksumError, match="arrests_by_offence.csv"):
        arrests_by_offence.load(path)


# --------------------------------------------------------------------- arrest yield


def synthetic_deployments() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "deployment_id": ["d1", "d2", "d3", "d4", "d5"],
            "date": pd.to_datetime(
                ["2023-03-01", "2023-07-01", "2024-02-01", "2024-05-01", "2024-09-01"]
            ),
            "threshold": [0.6, 0.6, 0.64, np.nan, 0.64],
            "purpose": ["crime hotspot", "event", "crime hotspot", "event", "crime hotspot"],
            "borough": ["Croydon", "Westminster", "Croydon", "Croydon", "Sutton"],
            "faces_seen": pd.array([10_000, 20_000, 5_000, 15_000, None], dtype="Int64"),
            "alerts": pd.array([5, 3, 4, 6, 2], dtype="Int64"),
            "arrests": pd.array([2, None, 3, 1, 0], dtype="Int64"),
        }
    )


def test_yield_by_year_hand_computed():
    table = A.arrest_yield(synthetic_deployments(), by="year", full=True).set_index("year")
    y23, y24 = table.loc[2023], table.loc[2024]
    # 2023: two deployments, one with arrests known (2 arrests, 5 alerts, 10,000 faces)
    assert (y23["n_deployments"], y23["n_excluded"], y23["arrests"]) == (1, 1, 2)
    assert y23["per_deployment"] == 2.0
    per_deployment = ref.garwood_2_per_1  # poisson.test(2, 1)$conf.int
    assert (y23["per_deployment_lower"], y23["per_deployment_upper"]) == pytest.approx(
        (per_deployment.lower, per_deployment.upper), rel=1e-10
    )
    assert y23["alerts_used"] == 5 and y23["per_1000_alerts"] == pytest.approx(400.0)
    cp = ref.clopper_pearson_2_in_5  # binom.test(2, 5)$conf.int
    assert y23["per_1000_alerts_lower"] == pytest.approx(1000 * cp.lower, rel=1e-10)
    assert y23["per_1000_alerts_upper"] == pytest.approx(1000 * cp.upper, rel=1e-10)
    assert y23["faces_used"] == 10_000 and y23["per_100k_faces"] == pytest.approx(20.0)
    per_100k = ref.garwood_2_per_0_1  # poisson.test(2, 0.1)$conf.int
    assert y23["per_100k_faces_lower"] == pytest.approx(per_100k.lower, rel=1e-10)
    assert y23["per_100k_faces_upper"] == pytest.approx(per_100k.upper, rel=1e-10)
    # 2024: three deployments, 4 arrests; faces unknown for d5, so faces_used = 20,000
    assert (y24["n_deployments"] + y24["n_excluded"], y24["arrests"]) == (3, 4)
    assert y24["per_deployment"] == pytest.approx(4 / 3)
    assert y24["alerts_used"] == 12 and y24["faces_used"] == 20_000
    assert y24["per_100k_faces"] == pytest.approx(20.0)
    # dispersion of (3, 1, 0) around mean 4/3: sum((x - m)^2 / m) / (n - 1)
    mean = 4 / 3
    expected = ((3 - mean) ** 2 + (1 - mean) ** 2 + (0 - mean) ** 2) / mean / 2
    assert y24["dispersion"] == pytest.approx(expected)


def test_yield_groups_keep_unknown_threshold():
    table = A.arrest_yield(synthetic_deployments(), by="threshold")
    assert table["threshold"].isna().sum() == 1
    assert (table["n_deployments"] + table["n_excluded"]).sum() == 5
    overall = A.arrest_yield(synthetic_deployments(), by=None)
    assert overall.loc[0, "arrests"] == 6 and overall.loc[0, "n_deployments"] == 4


@pytest.mark.parametrize("by", ["purpose", "borough", "month", ["year", "borough"]])
def test_yield_other_groupings_add_up(by):
    table = A.arrest_yield(synthetic_deployments(), by=by)
    assert table["arrests"].sum() == 6
    assert (table["n_deployments"] + table["n_excluded"]).sum() == 5
    known = table[table["n_deployments"] > 0]
    assert (known["per_deployment_lower"] <= known["per_deployment"]).all()
    assert (known["per_deployment"] <= known["per_deployment_upper"]).all()
    # a group with no known arrests has no rate rather than a rate of zero
    unknown = table[table["n_deployments"] == 0]
    assert unknown["per_deployment"].isna().all()


def test_yield_when_arrests_exceed_alerts_uses_poisson():
    frame = synthetic_deployments()
    frame.loc[0, "arrests"] = 9
    row = A.arrest_yield(frame, by="year", full=True).set_index("year").loc[2023]
    assert row["per_alert_method"].startswith("exact Poisson")
    expected = ref.garwood_9_per_5  # poisson.test(9, 5)$conf.int
    assert row["per_1000_alerts_upper"] == pytest.approx(1000 * expected.upper, rel=1e-10)
    assert row["per_1000_alerts_lower"] == pytest.approx(1000 * expected.lower, rel=1e-10)


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda f: f.drop(columns="alerts"), r"has no column\(s\) \['alerts'\]"),
        (
            lambda f: f.assign(arrests=[1, -1, 0, 0, 0]),
            r"'arrests', row 1 .*value -1 is not a count",
        ),
        (
            lambda f: f.assign(arrests=[1, 6.5, 0, 0, 0]),
            r"'arrests', row 1 .*value 6.5 is not a count",
        ),
        (
            lambda f: f.assign(alerts=["5", "x", "4", "6", "2"]),
            r"'alerts', row 0 .*'5' is not a number",
        ),
        (
            lambda f: f.assign(date=["2023-01-01", "not a date", "2024-01-01", None, "2024-01-02"]),
            "dates",
        ),
    ],
)
def test_yield_bad_input(edit, match):
    with pytest.raises(ValueError, match=match):
        A.arrest_yield(edit(synthetic_deployments()), by="year")


def test_yield_bad_arguments():
    with pytest.raises(ValueError, match="has no column"):
        A.arrest_yield(synthetic_deployments(), by="watchlist_size")
    with pytest.raises(ValueError, match="confidence level"):
        A.arrest_yield(synthetic_deployments(), conf=0)
    with pytest.raises(TypeError, match="DataFrame"):
        A.arrest_yield([1, 2, 3])


# ------------------------------------------------------------------------- plotting


def test_plot_counts_draws_sorted_rows_with_lower_bounds(harmonised):
    import matplotlib.pyplot as plt

    table = A.arrest_counts(
        harmonised, "published_category", row_types=["category"], events=YTD_2024
    )
    ax = plotting.plot_counts(table, "published_category", note="Source: test")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert sorted(labels) == sorted(table["published_category"])
    assert ax.get_legend() is not None  # the lower-bound marker is explained
    assert math.isfinite(ax.get_xlim()[1])
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="has no column"):
        plotting.plot_counts(table, "nope")


# ------------------------------------------------------------ properties and fuzzing


def synthetic_people(counts: list[int], total: int | None) -> pd.DataFrame:
    """A harmonised-looking table: one event, people in distinct groups, optional total."""
    rows = [
        {
            "record_id": f"ev-{i:02d}",
            "event_id": "ev",
            "row_type": "person",
            "published_category": f"offence {i}",
            "count": count,
            "qualifier": "exact",
            "preferred": True,
            "category_axis": "offence",
            "offence_group": f"group {i}",
        }
        for i, count in enumerate(counts)
    ]
    if total is not None:
        rows.append(
            {
                "record_id": "ev-99",
                "event_id": "ev",
                "row_type": "total",
                "published_category": "ALL (total LFR arrests)",
                "count": total,
                "qualifier": "exact",
                "preferred": True,
                "category_axis": "total",
                "offence_group": None,
            }
        )
    frame = pd.DataFrame(rows)
    frame["count"] = frame["count"].astype("Int64")
    return frame


def test_counts_properties_on_many_inputs():
    hypothesis = pytest.importorskip("hypothesis")
    st = pytest.importorskip("hypothesis.strategies")

    @hypothesis.settings(max_examples=60, deadline=None)
    @hypothesis.given(
        counts=st.lists(st.integers(0, 400), min_size=1, max_size=6),
        extra=st.integers(0, 50),
        conf=st.sampled_from([0.99, 0.95, 0.9, 0.8]),
    )
    def check(counts, extra, conf):
        frame = synthetic_people(counts, sum(counts) + extra)
        wide = arrests_table(frame, 1 - (1 - conf) / 2)
        narrow = arrests_table(frame, conf)
        assert (narrow["lower"] >= 0).all()
        assert (narrow["lower"] <= narrow["arrests"]).all()
        assert (narrow["arrests"] <= narrow["upper"]).all()
        assert (wide["lower"] <= narrow["lower"] + 1e-12).all()
        assert (wide["upper"] >= narrow["upper"] - 1e-12).all()
        if sum(counts) + extra > 0:
            shares = A.arrest_counts(frame, "offence_group", conf=conf, shares=True)
            assert shares["arrests"].sum() == sum(counts) + extra
            assert ((shares["share_lower"] >= 0) & (shares["share_upper"] <= 1)).all()
            assert (shares["share_lower"] <= shares["share"] + 1e-12).all()
            assert (shares["share"] <= shares["share_upper"] + 1e-12).all()

    def arrests_table(frame, conf):
        table = A.arrest_counts(frame, "offence_group", conf=conf)
        return table.sort_values("offence_group").reset_index(drop=True)

    check()


def test_shares_refused_when_people_exceed_total():
    frame = synthetic_people([3, 4], 6)
    with pytest.raises(
        A.OverlappingCategoriesError, match="3 \\+ 4 = 7 exceeds the published total 6"
    ):
        A.arrest_counts(frame, "offence_group", shares=True)
    with pytest.raises(A.OverlappingCategoriesError, match="no exact published total"):
        A.arrest_counts(synthetic_people([3, 4], None), "offence_group", shares=True)


def _corrupt(rows: list[list[str]], rng) -> str:
    kind = rng.choice(["blank", "text", "negative", "duplicate", "truncate", "rename", "swap"])
    line = int(rng.integers(1, len(rows)))
    column = int(rng.integers(0, len(rows[0])))
    if kind == "blank":
        rows[line][column] = ""
    elif kind == "text":
        rows[line][column] = "n/a"
    elif kind == "negative":
        rows[line][column] = "-2"
    elif kind == "duplicate":
        rows.insert(line, list(rows[line]))
    elif kind == "truncate":
        del rows[line][column:]
    elif kind == "rename":
        rows[0][column] += "_x"
    else:
        other = (column + 1) % len(rows[0])
        for row in rows:
            row[column], row[other] = row[other], row[column]
    return kind


@pytest.mark.slow
@pytest.mark.parametrize("file_name", [arrests_by_offence.FILE, offence_taxonomy.FILE])
def test_fuzzed_copies_fail_with_the_suites_own_errors(tmp_path, file_name, capsys):
    from lfr_analysis.datasets.reader import LfrDataError

    loader = (
        arrests_by_offence.load if file_name == arrests_by_offence.FILE else offence_taxonomy.load
    )
    original = (paths.data_dir() / file_name).read_text(encoding="utf-8")
    shutil.copy(paths.data_dir() / "datapackage.json", tmp_path / "datapackage.json")
    rng = np.random.default_rng(20240409)
    tried = refused = 0
    for _ in range(40):
        rows = list(csv.reader(io.StringIO(original)))
        kind = _corrupt(rows, rng)
        path = tmp_path / file_name
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)
        changed = path.read_text(encoding="utf-8") != original
        tried += 1
        try:
            loader(path)
        except DataValidationError as err:
            assert file_name in str(err), kind
            refused += 1
        except LfrDataError:  # checksum: valid content but not the published file
            refused += 1
        else:
            assert not changed, f"{kind} corruption loaded silently"
    with capsys.disabled():
        print(f"\n{file_name}: {tried} corrupted copies tried, {refused} refused")
    assert refused >= tried - 4  # the rare no-op corruption (blanking a blank cell) loads


def test_approximate_counts_are_labelled_and_refused_as_shares():
    frame = synthetic_people([10, 5], 15)
    frame.loc[0, "qualifier"] = "approx"
    table = A.arrest_counts(frame, "offence_group").set_index("offence_group")
    assert table.loc["group 0", "qualifier"] == "approx"
    assert table.loc["group 0", "reading"].startswith("approximate")
    assert np.isfinite(table.loc["group 0", "upper"])
    with pytest.raises(A.OverlappingCategoriesError, match="lower bounds or approximate"):
        A.arrest_counts(frame, "offence_group", shares=True)


# ------------------------------------------------ the event rules, found all at once


def _every_event(frame):
    return pd.Index(frame["event_id"].dropna().unique())


def _broken_copies(frame, rng):
    """Copies of the arrests table, each breaking one event rule in a random event."""
    events = frame["event_id"].unique()
    for _ in range(6):
        event = rng.choice(events)
        rows = frame.index[frame["event_id"] == event]
        row = rng.choice(rows)
        copy = frame.copy()
        copy.loc[row, "force"] = "Another force"
        yield copy
        copy = frame.copy()
        copy.loc[row, "event"] = "another event"
        yield copy
        copy = frame.copy()
        copy.loc[row, ["row_type", "preferred", "qualifier"]] = ["total", True, "exact"]
        yield copy
        copy = frame.copy()
        copy.loc[row, ["row_type", "preferred", "count"]] = ["person", True, 10_000]
        yield copy
        copy = frame.copy()
        copy.loc[row, ["row_type", "qualifier", "count"]] = ["outcome", "exact", 10_000]
        yield copy
        copy = frame.copy()
        copy.loc[row, "preferred"] = pd.NA
        yield copy


def test_the_event_rules_find_what_checking_every_event_finds(arrests, monkeypatch):
    frame = arrests.copy()
    frame.index = frame.index + 2  # file lines, as the loader's checks see them
    rng = np.random.default_rng(20240409)
    found = []
    for copy in [frame, *_broken_copies(frame, rng)]:
        fast = arrests_by_offence._arrest_group_problems(copy, "arrests_by_offence.csv")
        with monkeypatch.context() as patch:
            patch.setattr(arrests_by_offence, "_events_to_check", _every_event)
            slow = arrests_by_offence._arrest_group_problems(copy, "arrests_by_offence.csv")
        assert fast == slow
        found.append(len(fast))
    assert found[0] == 0, "the real table breaks no event rule"
    assert sum(n > 0 for n in found) >= 8, "too few broken copies break a rule to test it"
