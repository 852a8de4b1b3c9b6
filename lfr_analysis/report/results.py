"""What one notebook's job reports: a light module, so the report's own process stays quick."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DEFAULT_TIMEOUT", "NotebookResult"]

#: Seconds a cell may run (``lfr-analysis report --timeout``).
DEFAULT_TIMEOUT = 600


@dataclass
class NotebookResult:
    """What happened to one notebook.

    Attributes
    ----------
    name : str
        File stem, e.g. ``"02_false_alert_rates"``.
    title : str
        The first heading of the notebook.
    ok : bool
        True when every cell ran.
    seconds : float
        Execution time.
    error : str
        ``"cell N: ErrorName: message"`` (or what else went wrong), else empty.
    page : bool
        True when the executed notebook and its page's content were written.
    handouts : dict
        For a teaching notebook that ran, its student copies written
        (:func:`lfr_analysis.report.handouts.write_student_copies`: ``handout_html``,
        ``answers_html`` and, where printed, ``handout_pdf``, ``answers_pdf``, each a path
        relative to the build folder); else empty.
    """

    name: str
    title: str
    ok: bool
    seconds: float
    error: str = ""
    page: bool = False
    handouts: dict = field(default_factory=dict)
