"""The tile map and the borough rates chart: what they draw, and byte-stable files."""

from __future__ import annotations

import subprocess
import sys

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from lfr_analysis import geography, plotting


@pytest.fixture(scope="module")
def grid():
    return geography.load_tile_grid()


@pytest.fixture(scope="module")
def rates():
    boroughs = geography.load_boroughs()
    rows = pd.DataFrame({"borough": ["Croydon"] * 4 + ["Westminster"] * 9 + [None] * 2})
    rows["deployment_id"] = [f"T-{i}" for i in range(len(rows))]
    rows["date"] = pd.Timestamp("2024-05-01")
    rows["source_type"] = "primary"
    for column in ("duration_minutes", "faces_seen", "alerts", "arrests"):
        rows[column] = pd.array([1] * len(rows), dtype="Int64")
    activity = geography.borough_activity(rows, boroughs, by=None)
    return geography.per_resident(activity)


def squares(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def test_the_map_draws_33_squares_on_distinct_cells_coloured_by_value(grid, rates):
    ax = plotting.plot_tile_map(rates, grid, highlight={"E09000008"}, highlight_label="x")
    drawn = squares(ax)
    assert len(drawn) == 33
    corners = {(round(p.get_x(), 3), round(p.get_y(), 3)) for p in drawn}
    assert len(corners) == 33, "two squares overlap"
    by_label = {t.get_text(): t for t in ax.texts}
    assert {"CRD", "WST", "CTY"} <= set(by_label)
    values = rates.set_index("ons_code")["deployments_per_100k"]
    cmap, top = mpl.colormaps[plotting.SEQUENTIAL], values.max()
    order = list(grid["ons_code"])
    croydon = drawn[order.index("E09000008")]
    westminster = drawn[order.index("E09000033")]
    assert np.allclose(westminster.get_facecolor(), cmap(1.0))
    assert np.allclose(croydon.get_facecolor(), cmap(values["E09000008"] / top))
    assert croydon.get_linewidth() > westminster.get_linewidth(), "highlighted square"
    assert len(ax.figure.axes) == 2, "the colour bar is the legend of the scale"
    assert ax.get_legend() is not None
    plt.close(ax.figure)


def test_a_borough_without_a_value_is_hatched_and_labelled(grid, rates):
    partial = rates[rates["borough"] != "Barnet"]
    ax = plotting.plot_tile_map(partial, grid, bins=(0, 1, 2, 4))
    barnet = squares(ax)[list(grid["ons_code"]).index("E09000003")]
    assert barnet.get_hatch() == "///"
    assert "n/a" in [t.get_text() for t in ax.texts]
    plt.close(ax.figure)


def test_the_map_refuses_bad_tables(grid, rates):
    with pytest.raises(ValueError, match="more than once"):
        plotting.plot_tile_map(pd.concat([rates, rates]), grid)
    with pytest.raises(ValueError, match="no column"):
        plotting.plot_tile_map(rates, grid, column="nothing")
    with pytest.raises(ValueError, match="bins"):
        plotting.plot_tile_map(rates, grid, bins=(1, 2))
    plt.close("all")


def test_the_rates_chart_draws_every_borough_with_a_rate_and_returns_its_axes(rates):
    ax = plotting.plot_borough_rates(rates, note="2 deployments with no borough not shown")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 33
    assert labels[-1].startswith("Westminster") and labels[-2].startswith("Croydon")
    assert not any(geography.NO_BOROUGH in label for label in labels)
    plt.close(ax.figure)


SCRIPT = """
import sys
import matplotlib
matplotlib.use("agg")
from lfr_analysis import geography, plotting
plotting.use_style()
boroughs = geography.load_boroughs()
table = boroughs[["ons_code", "usual_residents"]].copy()
table["deployments"] = range(33)
rates = geography.per_resident(table)
ax = plotting.plot_tile_map(rates, geography.load_tile_grid(), bins=(0, 2, 4, 8, 16, 32))
plotting.savefig(ax, "07_test_map", caption="A test map.", folder=sys.argv[1])
"""


def test_the_map_file_is_byte_identical_across_processes(tmp_path):
    saved = []
    for name in ("a", "b"):
        subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / name)], check=True)
        saved.append({p.name: p.read_bytes() for p in (tmp_path / name).iterdir()})
    assert set(saved[0]) == {"07_test_map.png", "07_test_map.svg", "07_test_map.json"}
    assert saved[0] == saved[1]
