"""The suite's headline findings, each in one sentence with its number and its interval.

The report opens with these sentences (``build/index.html``). Every number in them is
computed here, by the same package functions the notebooks call, from the cited data files:
nothing is typed in. Each :class:`Finding` says which notebook computes the same result
(``notebook``) and with which call (``computed_by``), so the report can link the sentence to
the cell that shows the working, and what the result rests on (``rests_on``).

The findings, in order:

* false alerts **per face seen** and **per alert**, pooled over the Met's own records
  (primary rows) with exact intervals (:func:`lfr_analysis.rates.false_alert_rates`);
* observed against expected false alerts under **NPL 2023** at thresholds **0.60, 0.62 and
  0.64**, deployments at the same setting, primary rows
  (:func:`lfr_analysis.predictions.observed_vs_expected`), each with its tipping point
  (:func:`lfr_analysis.predictions.tipping_point`, varying what notebook 03 varies);
* **arrests by offence group** among the people police releases describe one by one
  (:func:`lfr_analysis.arrests.arrest_counts`);
* **arrest yield** per deployment, per 1,000 alerts and per 100,000 faces
  (:func:`lfr_analysis.arrests.arrest_yield`), primary rows.

:func:`data_as_of` gives the last deployment date per source type (and tier, where the
record has one): how current the data are.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from lfr_analysis import arrests as arrest_analysis
from lfr_analysis import data, predictions, rates, references
from lfr_analysis.stats import checks
from lfr_analysis.stats.intervals import rate_ci

__all__ = [
    "KEYS",
    "THRESHOLDS",
    "TIPPING_VARY",
    "Finding",
    "data_as_of",
    "findings",
    "findings_frame",
    "tipping_point_text",
]

#: The thresholds compared with NPL 2023, each at its own setting.
THRESHOLDS = (0.60, 0.62, 0.64)

#: The findings' keys, in the order :func:`findings` returns them.
KEYS = (
    "false_alerts_per_face",
    "false_alerts_per_alert",
    "npl_0.60",
    "npl_0.62",
    "npl_0.64",
    "arrests_by_offence_group",
    "arrest_yield",
)


@dataclass(frozen=True)
class Finding:
    """One headline result.

    Attributes
    ----------
    key : str
        Stable identifier (one of :data:`KEYS`).
    topic : str
        A short heading, e.g. "False alerts per face seen".
    sentence : str
        The result in one sentence, with its number and interval.
    estimate, lower, upper : float
        The headline number and its interval (``lower``/``upper`` NaN where none applies).
    unit : str
        What the number counts, e.g. "false alerts per face seen", "O/E".
    rests_on : str
        What the result rests on: method, data, assumptions.
    notebook : str
        The notebook that computes the same result (file stem).
    computed_by : str
        The package call that computes it, as the notebook writes it.
    tipping_point : str
        The verdict's tipping point in one sentence (NPL comparisons; else empty).
    tipping_computed_by : str
        The call that computes the tipping point, as notebook 03 writes it (else empty).
    details : tuple of dict
        Rows behind the sentence where it summarises a table (e.g. every offence group).
    """

    key: str
    topic: str
    sentence: str
    estimate: float
    lower: float
    upper: float
    unit: str
    rests_on: str
    notebook: str
    computed_by: str
    tipping_point: str = ""
    tipping_computed_by: str = ""
    details: tuple = field(default_factory=tuple)


def _period(frame: pd.DataFrame) -> str:
    first, last = f"{frame['date'].min():%b %Y}", f"{frame['date'].max():%b %Y}"
    return first if first == last else f"{first} to {last}"


def _p_value(value: float) -> str:
    """A p-value as a reader reads it: "< 0.001", "> 0.99", else two decimals (three below 0.01)."""
    if value < 0.001:
        return "< 0.001"
    if value > 0.99:
        return "> 0.99"
    return f"= {value:.3f}" if value < 0.01 else f"= {value:.2f}"


def _one_in(value: float) -> str:
    """ "1 in N" with N to 3 significant figures (a reader's precision)."""
    digits = max(0, int(np.floor(np.log10(abs(value)))) - 2) if value else 0
    return f"1 in {round(value, -digits):,.0f}"


def _ratio(value: float) -> str:
    """An O/E ratio: two decimals below 10, else 3 significant figures."""
    if value < 10:
        return f"{value:.2f}"
    return f"{value:,.{max(0, 2 - int(np.floor(np.log10(value))))}f}"


def _reading(result: pd.Series) -> str:
    """What the O/E's two intervals say together, in words."""
    study = "NPL's own uncertainty"
    if result["ratio_upper_cond"] < 1:
        return f"fewer false alerts than predicted, even allowing for {study}"
    if result["ratio_lower_cond"] > 1:
        return f"more false alerts than predicted, even allowing for {study}"
    if result["ratio_upper"] < 1:
        return f"fewer than predicted as a fixed prediction, but not once {study} is allowed for"
    if result["ratio_lower"] > 1:
        return f"more than predicted as a fixed prediction, but not once {study} is allowed for"
    return "consistent with the prediction"


def _method(name: str) -> str:
    return {"clopper-pearson": "Clopper-Pearson", "mid-p": "mid-p"}.get(str(name), str(name))


def _level(conf: float) -> str:
    return f"{conf:.0%}".replace(".0%", "%")


def data_as_of(deployments: pd.DataFrame) -> pd.DataFrame:
    """Return the last deployment date per source document and per tier.

    The same table as :func:`lfr_analysis.data.data_as_of` (``source``, ``tier``, ``rows``,
    ``first_date``, ``last_date``; one row per tier with ``source`` "all sources"), after
    checking that ``deployments`` has the columns it needs.
    """
    checks.frame(deployments, ["date", "source_type"])
    return data.data_as_of(deployments)


#: What each threshold's tipping point varies, as notebook 03 asks it: at 0.60 (a published
#: rate) the face detections per person passing; at 0.62 (a rate derived from an assumed
#: study size) and 0.64 (no event) the study's own exposure.
TIPPING_VARY = {
    "0.60": "detections_per_person",
    "0.62": "study_exposure",
    "0.64": "study_exposure",
}


def tipping_point_text(at_threshold: pd.DataFrame, reference, *, conf: float = 0.95) -> str:
    """Return the tipping point of the verdict against ``reference``, in one sentence.

    Calls :func:`lfr_analysis.predictions.tipping_point` on the deployments at the
    reference's threshold, varying what :data:`TIPPING_VARY` names for that threshold (as
    notebook 03 does), and returns its ``statement``.
    """
    vary = TIPPING_VARY.get(f"{reference.threshold:.2f}", "detections_per_person")
    result = predictions.tipping_point(at_threshold, reference, vary=vary, conf=conf)
    return str(result["statement"])


def _face_and_alert(primary: pd.DataFrame, conf: float) -> list[Finding]:
    level, period = _level(conf), _period(primary)
    face = rates.false_alert_rates(primary, per="face", conf=conf).iloc[0]
    alert = rates.false_alert_rates(primary, per="alert", conf=conf).iloc[0]
    left_out = int(face["n_excluded"])
    excluded = f"; {left_out} left out for an unknown count" if left_out else ""
    per_face = Finding(
        key="false_alerts_per_face",
        topic="False alerts per face seen",
        sentence=(
            f"Per face seen, the Met's own records ({int(face['n_deployments']):,} deployments, "
            f"{period}{excluded}) give {int(face['false_alerts']):,} false alerts in "
            f"{int(face['faces_seen']):,} faces: {_one_in(face['one_in'])} faces ({level} "
            f"interval {_one_in(face['one_in_upper'])} to {_one_in(face['one_in_lower'])}), "
            f"or {face['rate'] * 1e6:.1f} per million ({face['lower'] * 1e6:.1f} to "
            f"{face['upper'] * 1e6:.1f}); allowing for deployments differing more than one "
            f"common rate would, {face['lower_spread'] * 1e6:.1f} to "
            f"{face['upper_spread'] * 1e6:.1f} per million."
        ),
        estimate=float(face["rate"]),
        lower=float(face["lower"]),
        upper=float(face["upper"]),
        unit="false alerts per face seen",
        rests_on=(
            f"Pooled counts of the primary rows (read from the Met's PDFs), exact "
            f"{_method(face['method'])} interval, and a quasi-binomial one widened by the "
            "measured spread between deployments (quote that one for the Met's rate); 'faces "
            "seen' is the Met's estimate of face detections, not of distinct people."
        ),
        notebook="02_false_alert_rates",
        computed_by='rates.false_alert_rates(primary, per="face")',
    )
    per_alert = Finding(
        key="false_alerts_per_alert",
        topic="False alerts per alert",
        sentence=(
            f"Per alert, {int(alert['false_alerts']):,} of the {int(alert['alerts']):,} alerts "
            f"in the same records were false: {alert['rate']:.1%} ({level} interval "
            f"{alert['lower']:.1%} to {alert['upper']:.1%}), so {alert['precision']:.1%} of "
            "alerts were recorded as true."
        ),
        estimate=float(alert["rate"]),
        lower=float(alert["lower"]),
        upper=float(alert["upper"]),
        unit="false alerts per alert",
        rests_on=(
            f"The same rows and false alerts as the per-face rate, divided by alerts; exact "
            f"{_method(alert['method'])} interval. A per-alert rate depends on how many "
            "watchlisted people passed, which nobody counts."
        ),
        notebook="02_false_alert_rates",
        computed_by='rates.false_alert_rates(primary, per="alert")',
    )
    return [per_face, per_alert]


def _reference_at(known: dict, threshold: float):
    for reference in known.values():
        if np.isclose(reference.threshold, threshold) and reference.name.startswith("NPL"):
            return reference
    raise ValueError(f"no NPL 2023 reference at threshold {threshold:.2f} in the references")


def _against_npl(primary: pd.DataFrame, known: dict, threshold: float, conf: float) -> Finding:
    level = _level(conf)
    at = primary[np.isclose(primary["threshold"].astype(float), threshold)]
    reference = _reference_at(known, threshold)
    result = predictions.observed_vs_expected(at, reference, conf=conf, full=True).iloc[0]
    observed, n = int(result["observed"]), int(result["n_deployments"])
    where = f"At threshold {threshold:.2f} ({n:,} deployments, {_period(at)})"
    basis = (
        "Deployments at the same threshold only, the study's rate scaled to each deployment's "
        "watchlist size; exact Poisson tests. The study's own uncertainty counts the events "
        f"behind its figure over the study size they imply ({reference.exposure_basis})."
    )
    variable = {"0.60": "at_060", "0.62": "at_062", "0.64": "at_064"}[f"{threshold:.2f}"]
    reference_name = variable.replace("at_", "ref_")
    computed_by = f"pr.observed_vs_expected({variable}, {reference_name}, full=True)"
    varied = TIPPING_VARY[f"{threshold:.2f}"]
    vary = "" if varied == "detections_per_person" else f', vary="{varied}"'
    if reference.fpir is None:
        scaled = int(round(float(result["faces_scaled"])))
        seen = rate_ci(observed, scaled, conf=conf).iloc[0]
        sentence = (
            f"{where}, the Met recorded {observed} false alerts in "
            f"{int(result['faces_seen']):,} faces, about {_one_in(1 / seen['estimate'])} at a "
            f"{reference.watchlist_size:,}-entry watchlist ({level} interval "
            f"{_one_in(1 / seen['upper'])} to {_one_in(1 / seen['lower'])}); NPL 2023 saw no "
            "false positive at this setting, so it predicts no rate to beat, only an upper "
            f"bound (up to {result['expected_upper']:,.0f} false alerts), and the record shows "
            f"no sign of more than that (one-sided p {_p_value(result['p_more_than_upper'])} "
            "against the bound as a fixed number)."
        )
        estimate, lower, upper = seen["estimate"], seen["lower"], seen["upper"]
        unit = f"false alerts per face at a {reference.watchlist_size:,} watchlist"
    else:
        events = reference.events
        sentence = (
            f"{where}, the Met recorded {observed} false alerts where NPL 2023, scaled to each "
            f"deployment's watchlist, predicts {result['expected']:,.1f}: observed/expected "
            f"(O/E) {_ratio(result['ratio'])} ({level} interval {_ratio(result['ratio_lower'])} "
            f"to {_ratio(result['ratio_upper'])}, or {_ratio(result['ratio_lower_cond'])} to "
            f"{_ratio(result['ratio_upper_cond'])} allowing for the {events} "
            f"event{'s' if events != 1 else ''} behind NPL's figure): "
            f"{_reading(result)}."
        )
        estimate, lower, upper = result["ratio"], result["ratio_lower"], result["ratio_upper"]
        unit = "O/E (observed / expected false alerts)"
    return Finding(
        key=f"npl_{threshold:.2f}",
        topic=f"Against NPL 2023 at threshold {threshold:.2f}",
        sentence=sentence,
        estimate=float(estimate),
        lower=float(lower),
        upper=float(upper),
        unit=unit,
        rests_on=basis,
        notebook="03_outcomes_vs_predictions",
        computed_by=computed_by,
        tipping_point=tipping_point_text(at, reference, conf=conf),
        tipping_computed_by=f"pr.tipping_point({variable}, {reference_name}{vary})",
    )


def _offence_groups(figures: pd.DataFrame, taxonomy: pd.DataFrame, conf: float) -> Finding:
    level = _level(conf)
    harmonised = arrest_analysis.harmonise(figures, taxonomy)
    groups = arrest_analysis.arrest_counts(harmonised, "offence_group", conf=conf)
    listed = figures[figures["row_type"].eq("person") & figures["preferred"]]
    total, events = int(groups["arrests"].sum()), listed["event_id"].nunique()
    forces = listed["force"].nunique()
    top = groups.sort_values("arrests", ascending=False, kind="stable").head(3)
    named = [
        f"{row.offence_group.lower()} ({row.arrests}; {f'{level} interval ' if not i else ''}"
        f"{row.lower:.1f} to {row.upper:.1f})"
        for i, row in enumerate(top.itertuples())
    ]
    first = top.iloc[0]
    return Finding(
        key="arrests_by_offence_group",
        topic="Arrests by offence group",
        sentence=(
            f"Among the {total} arrested people that police releases describe one by one "
            f"({events} events, {forces} forces), the largest offence groups are "
            f"{', '.join(named[:-1])} and {named[-1]}."
        ),
        estimate=float(first["arrests"]),
        lower=float(first["lower"]),
        upper=float(first["upper"]),
        unit=f"arrested people described ({first['offence_group']})",
        rests_on=(
            "People described individually in police releases, coded to Home Office offence "
            "groups by data/offence_taxonomy.csv; exact Poisson intervals. Forces chose which "
            "arrests to describe, so these are not a sample of all LFR arrests."
        ),
        notebook="04_arrests_by_offence",
        computed_by='arrests.arrest_counts(harmonised, "offence_group")',
        details=tuple(
            {
                "offence_group": row.offence_group,
                "arrests": int(row.arrests),
                "lower": float(row.lower),
                "upper": float(row.upper),
            }
            for row in groups.itertuples()
        ),
    )


def _yield(primary: pd.DataFrame, conf: float) -> Finding:
    level = _level(conf)
    result = arrest_analysis.arrest_yield(primary, by=None, conf=conf, full=True).iloc[0]
    return Finding(
        key="arrest_yield",
        topic="What a deployment yields",
        sentence=(
            f"The Met's own records count {int(result['arrests']):,} arrests after "
            f"{int(result['n_deployments']):,} deployments ({_period(primary)}): "
            f"{result['per_deployment']:.2f} per deployment ({level} interval "
            f"{result['per_deployment_lower']:.2f} to {result['per_deployment_upper']:.2f}), "
            f"{result['per_1000_alerts']:.0f} per 1,000 alerts "
            f"({result['per_1000_alerts_lower']:.0f} to {result['per_1000_alerts_upper']:.0f}) "
            f"and {result['per_100k_faces']:.1f} per "
            f"100,000 faces seen ({result['per_100k_faces_lower']:.1f} to "
            f"{result['per_100k_faces_upper']:.1f})."
        ),
        estimate=float(result["per_deployment"]),
        lower=float(result["per_deployment_lower"]),
        upper=float(result["per_deployment_upper"]),
        unit="arrests per deployment",
        rests_on=(
            "Primary rows with arrests recorded; exact Poisson intervals per deployment and per "
            f"face, {result['per_alert_method']} per alert. Deployments differ more than a "
            f"Poisson count allows (variance/mean {result['dispersion']:.1f}), so the "
            "per-deployment interval is a floor on the uncertainty."
        ),
        notebook="04_arrests_by_offence",
        computed_by="arrests.arrest_yield(primary, by=None)",
    )


def findings(
    deployments: pd.DataFrame | None = None,
    arrests: pd.DataFrame | None = None,
    taxonomy: pd.DataFrame | None = None,
    known_references: dict | None = None,
    *,
    conf: float = 0.95,
) -> list[Finding]:
    """Compute the headline findings (see the module docstring), in the order of :data:`KEYS`.

    Parameters
    ----------
    deployments : pandas.DataFrame, optional
        Output of :func:`lfr_analysis.data.load_deployments` (default: load it). Only its
        primary rows (``source_type == "primary"``) are used.
    arrests : pandas.DataFrame, optional
        Output of :func:`lfr_analysis.data.load_arrests` (default: load it).
    taxonomy : pandas.DataFrame, optional
        Output of :func:`lfr_analysis.data.load_taxonomy` (default: load it).
    known_references : dict, optional
        Output of :func:`lfr_analysis.references.load_references` (default: load it).
    conf : float
        Confidence level of every interval.

    Returns
    -------
    list of Finding

    Raises
    ------
    ValueError
        For a bad ``conf``, a table without the columns used, or no NPL reference at one of
        :data:`THRESHOLDS`.
    """
    conf = checks.conf_level(conf)
    deployments = data.load_deployments() if deployments is None else deployments
    checks.frame(deployments, ["date", "source_type", "threshold", "faces_seen", "false_alerts"])
    arrests = data.load_arrests() if arrests is None else arrests
    taxonomy = data.load_taxonomy() if taxonomy is None else taxonomy
    known = references.load_references() if known_references is None else known_references
    primary = deployments[deployments["source_type"] == "primary"]
    if primary.empty:
        raise ValueError("deployments has no primary rows (source_type 'primary')")
    found = _face_and_alert(primary, conf)
    found += [_against_npl(primary, known, threshold, conf) for threshold in THRESHOLDS]
    found.append(_offence_groups(arrests, taxonomy, conf))
    found.append(_yield(primary, conf))
    return found


def findings_frame(found: list[Finding], *, full: bool = False) -> pd.DataFrame:
    """Return findings as a table: topic and sentence (``full=True``: every field)."""
    if not all(isinstance(item, Finding) for item in found):
        raise TypeError("found must be a list of Finding, as findings() returns")
    frame = pd.DataFrame([asdict(item) for item in found])
    if frame.empty:
        frame = pd.DataFrame(columns=[f for f in Finding.__dataclass_fields__])
    return frame if full else frame[["topic", "sentence"]]
