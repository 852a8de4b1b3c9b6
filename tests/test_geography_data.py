"""The three geography data files: census denominators, tile grid, recorded crime.

Each loads with its declared checks, adds up to what its publisher prints (London's
residents, from R and from ONS's region row), keeps the source's values, and refuses
corrupted copies with the suite's own errors (the corruptions of ``test_fuzz_loaders``).
"""

from __future__ import annotations

import hashlib
import shutil

import numpy as np
import pytest
from reference import geography as ref
from test_fuzz_loaders import CASES_PER_KIND, CORRUPTIONS, check_refused

from lfr_analysis import datasets, paths
from lfr_analysis.datasets import census2021_boroughs, london_tile_grid, mps_borough_crime
from lfr_analysis.datasets.reader import DataValidationError

LOADERS = {
    "census2021_boroughs.csv": census2021_boroughs.load,
    "london_tile_grid.csv": london_tile_grid.load,
    "mps_borough_crime.csv": mps_borough_crime.load,
}


@pytest.fixture(scope="module")
def census():
    return census2021_boroughs.load()


@pytest.fixture(scope="module")
def grid():
    return london_tile_grid.load()


def edited_copy(tmp_path, file_name, old, new, count=1):
    """A copy of a data file with ``old`` replaced by ``new`` (the text must be there)."""
    text = (paths.data_dir() / file_name).read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not in {file_name}"
    target = tmp_path / file_name
    target.write_text(text.replace(old, new, count), encoding="utf-8")
    return target


# ---------------------------------------------------------------------------- census


def test_the_census_file_holds_the_33_london_authorities_once_each(census):
    assert len(census) == 33
    assert list(census["ons_code"]) == list(census2021_boroughs.LONDON_CODES)
    assert dict(zip(census["ons_code"], census["name"], strict=True)) == (
        census2021_boroughs.BOROUGH_NAMES
    )


def test_the_boroughs_add_up_to_londons_published_total(census):
    total = int(census["usual_residents"].sum())
    assert total == ref.LONDON_USUAL_RESIDENTS == census2021_boroughs.LONDON_USUAL_RESIDENTS
    assert total == ref.census_usual_residents_total
    parts = census["lives_in_household"] + census["lives_in_communal_establishment"]
    assert (parts == census["usual_residents"]).all()


def test_the_shares_add_up_to_100_within_rounding_and_weight_to_londons(census):
    shares = census[list(census2021_boroughs.ETHNIC_GROUPS)].sum(axis=1)
    assert (abs(shares - 100) <= census2021_boroughs.PERCENT_SUM_TOLERANCE + 1e-9).all()
    weighted = (census["usual_residents"] * census["black_percent"]).sum() / (
        census["usual_residents"].sum()
    )
    assert weighted == pytest.approx(ref.census_black_percent_weighted, rel=1e-12)
    # rounded borough shares reproduce ONS's London figure to within half a unit
    assert abs(weighted - ref.LONDON_BLACK_PERCENT) <= 0.05


def test_every_row_cites_the_ons_tables_and_the_copy(census):
    assert census["population_table"].str.contains("TS001").all()
    assert census["ethnicity_table"].str.contains("TS021").all()
    assert census["population_copy"].str.contains("ONSvisual/dot-density-data @ 12ecaf83").all()
    sources = datasets.cite("census2021_boroughs.csv")
    assert any("nomisweb.co.uk" in s["path"] for s in sources)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("8583,8373,210", "8584,8373,210", "household"),
        ("8583,8373,210,16.8,2.7", "8583,8373,210,16.8,3.7", "add up to 101.0"),
        ("E09000002,Barking", "E09000001,Barking", "E09000002"),
        ("E09000003,Barnet", "E09000003,Barnett", "Barnett"),
    ],
    ids=["total-not-parts", "shares-not-100", "code-twice", "misspelt-name"],
)
def test_a_wrong_census_value_is_refused_naming_what_is_wrong(tmp_path, old, new, message):
    copy = edited_copy(tmp_path, census2021_boroughs.FILE, old, new)
    with pytest.raises(DataValidationError, match=message):
        census2021_boroughs.load(copy, verify_checksum=False)


def test_a_changed_count_that_keeps_each_row_consistent_breaks_londons_total(tmp_path):
    copy = edited_copy(tmp_path, census2021_boroughs.FILE, "8583,8373,210", "8584,8374,210")
    with pytest.raises(DataValidationError, match="8799729, not London's 8799728"):
        census2021_boroughs.load(copy, verify_checksum=False)


# ------------------------------------------------------------------------- tile grid


def test_the_tile_layout_has_33_tiles_no_overlaps_and_every_code_once(grid, census):
    assert len(grid) == 33
    assert grid["ons_code"].is_unique
    assert set(grid["ons_code"]) == set(census["ons_code"])
    squares = list(zip(grid["col"], grid["row"], strict=True))
    assert len(set(squares)) == 33, "two boroughs on one square"
    assert grid["col"].between(0, london_tile_grid.GRID_COLUMNS - 1).all()
    assert grid["row"].between(0, london_tile_grid.GRID_ROWS - 1).all()
    names = census.set_index("ons_code")["name"]
    assert (grid.set_index("ons_code")["name"] == names.loc[grid["ons_code"]]).all()


def test_the_layout_puts_enfield_north_sutton_south_and_the_city_beside_westminster(grid):
    at = grid.set_index("name")[["col", "row"]]
    assert at.loc["Enfield", "row"] == 0 and at.loc["Sutton", "row"] == grid["row"].max()
    assert at.loc["Hillingdon", "col"] == 0 and at.loc["Havering", "col"] == grid["col"].max()
    assert at.loc["City of London", "col"] == at.loc["Westminster", "col"] + 1
    assert at.loc["City of London", "row"] == at.loc["Westminster", "row"]


def test_two_boroughs_on_one_square_are_refused(tmp_path):
    copy = edited_copy(
        tmp_path, london_tile_grid.FILE, "E09000015,Harrow,hrw,2,1", "E09000015,Harrow,hrw,3,1"
    )
    with pytest.raises(DataValidationError, match="same square"):
        london_tile_grid.load(copy, verify_checksum=False)


# --------------------------------------------------------------------- recorded crime


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def test_the_crime_file_is_the_published_copy_byte_for_byte():
    data = (paths.data_dir() / mps_borough_crime.FILE).read_bytes()
    assert git_blob_id(data) == mps_borough_crime.COPY_BLOB


def test_the_crime_file_covers_the_met_boroughs_and_not_the_city():
    crime = mps_borough_crime.load()
    assert set(crime["BOCU"]) == {*mps_borough_crime.MPS_BOROUGHS, mps_borough_crime.UNKNOWN_BOCU}
    assert len(mps_borough_crime.MPS_BOROUGHS) == 32
    assert "City of London" not in set(crime["BOCU"])
    assert list(crime.columns[3:]) == list(mps_borough_crime.MONTHS)
    assert mps_borough_crime.MONTHS[0] == "202407" and mps_borough_crime.MONTHS[-1] == "202606"


def test_a_borough_the_met_does_not_police_is_refused(tmp_path):
    copy = edited_copy(tmp_path, mps_borough_crime.FILE, ",Barnet,", ",City of London,")
    with pytest.raises(DataValidationError, match="BOCU"):
        mps_borough_crime.load(copy, verify_checksum=False)


# ------------------------------------------------------------------------------ fuzz


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    for path in paths.data_dir().iterdir():
        if path.is_file():
            shutil.copy2(path, folder / path.name)
    return folder


@pytest.mark.parametrize("file_name", sorted(LOADERS))
def test_corrupted_copies_are_refused(file_name, data_copy):
    load = LOADERS[file_name]
    target = data_copy / file_name
    original = target.read_bytes()
    text = original.decode("utf-8")
    load(path=target)
    rng = np.random.default_rng([20240409, sorted(LOADERS).index(file_name)])
    tried = 0
    try:
        for corruption in CORRUPTIONS:
            for _ in range(CASES_PER_KIND):
                corrupted = corruption(text, rng)
                if corrupted == original:
                    continue
                target.write_bytes(corrupted)
                with pytest.raises(Exception) as info:
                    load(path=target)
                check_refused(info.value, file_name)
                tried += 1
    finally:
        target.write_bytes(original)
    assert tried >= len(CORRUPTIONS) * CASES_PER_KIND // 2
