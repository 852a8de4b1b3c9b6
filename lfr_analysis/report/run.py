"""The report's processes, run as ``python -m lfr_analysis.report.run``.

``python -m lfr_analysis.report.run warm SOCKET PARENT_PID MODULE...`` runs the warm process
(:func:`lfr_analysis.report.kernels.serve`); ``python -m lfr_analysis.report.run job
MODULE:FUNCTION ARGS_JSON`` runs one job where kernels are not forked
(:func:`lfr_analysis.report.execute.run_job`). A module of its own, imported by nothing, so
that running it never loads a module twice.
"""

from __future__ import annotations

import sys

__all__: list[str] = []

if __name__ == "__main__":  # pragma: no cover - started by lfr_analysis.report.build
    if sys.argv[1:2] == ["warm"]:
        from lfr_analysis.report.kernels import serve

        serve(sys.argv[2], int(sys.argv[3]), sys.argv[4:])
    elif sys.argv[1:2] == ["job"]:
        from lfr_analysis.report.execute import run_job

        sys.exit(run_job(sys.argv[2], sys.argv[3]))
    else:
        sys.exit("usage: python -m lfr_analysis.report.run warm|job ...")
