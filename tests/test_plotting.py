"""savefig writes byte-identical files across processes; style applies only on request."""

import json
import subprocess
import sys

import matplotlib as mpl

from lfr_analysis import plotting

SCRIPT = """
import sys
import matplotlib
matplotlib.use("agg")
import matplotlib.pyplot as plt
import numpy as np
from lfr_analysis import plotting
plotting.use_style()
fig, ax = plt.subplots()
x = np.linspace(0, 1, 50)
ax.plot(x, x ** 2, label="faces")
ax.errorbar([0.2, 0.5], [0.1, 0.3], yerr=0.05, fmt="o", label="rate")
ax.set_title("A test figure")
ax.legend()
plotting.savefig(fig, "00_test_figure", caption="A test.", folder=sys.argv[1])
"""


def save_in_new_process(folder):
    subprocess.run([sys.executable, "-c", SCRIPT, str(folder)], check=True)
    return {p.suffix: p.read_bytes() for p in folder.iterdir()}


def test_same_figure_twice_in_two_processes_is_byte_identical(tmp_path):
    first = save_in_new_process(tmp_path / "a")
    second = save_in_new_process(tmp_path / "b")
    assert set(first) == {".png", ".svg", ".json"}
    assert first == second
    assert b"<dc:date>" not in first[".svg"]
    assert json.loads(first[".json"]) == {"caption": "A test.", "name": "00_test_figure"}


def test_import_does_not_touch_rcparams():
    code = (
        "import matplotlib as mpl; before = dict(mpl.rcParams); import lfr_analysis.plotting;"
        "import sys; sys.exit(0 if dict(mpl.rcParams) == before else 1)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_use_style_applies_the_shipped_sheet():
    assert plotting.style_path().is_file()
    with mpl.rc_context():
        plotting.use_style()
        assert mpl.rcParams["axes.spines.top"] is False
        assert mpl.rcParams["svg.hashsalt"] == "lfr-analysis"


def test_bad_figure_name_is_refused(tmp_path):
    import matplotlib.pyplot as plt
    import pytest

    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="figure name"):
        plotting.savefig(fig, "../escape", folder=tmp_path)
    # nothing returned, so a cell ending in savefig shows no machine-specific path
    assert plotting.savefig(fig, "00_ok", folder=tmp_path) is None
    plt.close(fig)
