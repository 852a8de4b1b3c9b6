"""Test configuration shared by every test: the network guard.

Before any test runs, the guard in ``tests/offline/sitecustomize.py`` is switched on for
this process and, through ``PYTHONPATH`` and ``LFR_BLOCK_NETWORK``, for every process the
tests start (notebook kernels included). A test or notebook that tries to reach the network
fails with an ``OSError`` naming the address.
"""

import os
import sys
from pathlib import Path

OFFLINE = Path(__file__).resolve().parent / "offline"


def pytest_configure(config):
    os.environ["LFR_BLOCK_NETWORK"] = "1"
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(OFFLINE), os.environ.get("PYTHONPATH", "")) if p
    )
    os.environ.setdefault("MPLBACKEND", "agg")
    if "sitecustomize" in sys.modules and not getattr(
        sys.modules["sitecustomize"], "__file__", ""
    ).startswith(str(OFFLINE)):
        # Another sitecustomize was loaded first: load the guard explicitly.
        import runpy

        runpy.run_path(str(OFFLINE / "sitecustomize.py"))
    elif "sitecustomize" not in sys.modules:
        sys.path.insert(0, str(OFFLINE))
        import sitecustomize  # noqa: F401


def pytest_terminal_summary(terminalreporter):
    """Show how many cases the fuzz and property tests tried (also under pytest-xdist)."""
    lines = []
    for report in terminalreporter.stats.get("passed", []):
        for key, value in getattr(report, "user_properties", []):
            if key in {"fuzz_cases", "property_cases"}:
                lines.append(f"{report.nodeid}: {value}")
    if lines:
        terminalreporter.write_sep("-", "cases tried by fuzz and property tests")
        for line in sorted(lines):
            terminalreporter.write_line(line)
