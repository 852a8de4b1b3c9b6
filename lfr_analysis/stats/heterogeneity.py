"""Is the per-face false-alert rate the same in every deployment?

:func:`heterogeneity` gives two complementary answers, with a verdict in plain words: a
conditional Monte-Carlo X^2 test (:func:`conditional_mc_test`, multinomial given the total),
which holds its level with very few events, and a negative binomial (NB2) model with
exposure, whose ``alpha`` measures extra-Poisson variation, with Dean's score test.
"""

from __future__ import annotations

import warnings
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats
from statsmodels.discrete.discrete_model import NegativeBinomial, Poisson
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM

from lfr_analysis.stats import checks

__all__ = [
    "FEW_EVENTS",
    "HeterogeneityResult",
    "conditional_mc_test",
    "heterogeneity",
    "negative_binomial_ratio",
    "overdispersion_fits",
]

#: Below this many false alerts in total, :func:`heterogeneity` warns that it has little power.
FEW_EVENTS = 50


@dataclass(frozen=True)
class HeterogeneityResult:
    """Outcome of :func:`heterogeneity`; ``verdict`` says it in plain words.

    Attributes
    ----------
    n_deployments : int
        Deployments used (known faces and false alerts, faces > 0).
    n_excluded : int
        Deployments left out (unknown faces or false alerts, or no faces seen).
    false_alerts, faces_seen : int
        Totals over the deployments used.
    pooled_rate : float
        ``false_alerts / faces_seen``.
    statistic : float
        Pearson X^2 of the observed counts against expected counts under one common rate.
    p_value : float
        Conditional Monte-Carlo p-value: the share of ``n_sim`` multinomial redraws of the
        same total (allocated in proportion to faces seen) with X^2 at least as large,
        counted as ``(1 + hits) / (1 + n_sim)``.
    n_sim : int
        Number of Monte-Carlo redraws.
    dean_z, dean_p : float
        Dean's score statistic for NB2-type overdispersion (statsmodels' "Dean B") and its
        one-sided p-value (overdispersion direction).
    nb_alpha : float
        Negative binomial (NB2) dispersion: variance = mu + alpha * mu^2; 0 means Poisson.
    nb_alpha_lower, nb_alpha_upper : float
        Wald interval for alpha at level ``conf`` (lower clipped at 0); the upper limit is
        NaN when statsmodels cannot give a standard error (alpha at its boundary, 0).
    nb_lr_p : float
        Likelihood-ratio p-value of NB2 against Poisson with the boundary correction
        (half a chi-square with one degree of freedom).
    nb_converged : bool
        Whether the NB2 fit converged; when False, read the alpha columns with suspicion.
    few_events : bool
        True when fewer than :data:`FEW_EVENTS` false alerts were observed in total.
    verdict : str
        The answer in plain words.
    """

    n_deployments: int
    n_excluded: int
    false_alerts: int
    faces_seen: int
    pooled_rate: float
    statistic: float
    p_value: float
    n_sim: int
    dean_z: float
    dean_p: float
    nb_alpha: float
    nb_alpha_lower: float
    nb_alpha_upper: float
    nb_lr_p: float
    nb_converged: bool
    few_events: bool
    verdict: str

    def to_frame(self) -> pd.DataFrame:
        """Return the result as a one-column table (one row per attribute)."""
        return pd.Series(asdict(self), name="value").to_frame()


def conditional_mc_test(
    events: np.ndarray, exposure: np.ndarray, n_sim: int, rng: np.random.Generator
) -> tuple[float, float]:
    """Conditional Monte-Carlo test that every unit has the same Poisson rate.

    Given the total ``T = sum(events)``, under a common rate the counts are
    Multinomial(T, exposure / sum(exposure)). The statistic is Pearson's
    ``X^2 = sum((events - E)^2 / E)`` with ``E = T * exposure / sum(exposure)``; the p-value
    is ``(1 + #{X^2_sim >= X^2_obs}) / (1 + n_sim)``, which holds its level however few the
    events (unlike the chi-square approximation).

    Parameters
    ----------
    events : numpy.ndarray
        Counts per unit (whole numbers >= 0).
    exposure : numpy.ndarray
        Exposure per unit (> 0), e.g. faces seen.
    n_sim : int
        Number of redraws.
    rng : numpy.random.Generator
        Source of randomness (pass a seeded Generator for reproducible results).

    Returns
    -------
    tuple of float
        ``(statistic, p_value)``; ``(0.0, 1.0)`` when there are no events.
    """
    events, _ = checks.counts(events, "events")
    exposure, _ = checks.positive(exposure, "exposure")
    if events.size != exposure.size:
        raise ValueError(
            f"events (length {events.size}) and exposure (length {exposure.size}) differ"
        )
    n_sim = checks.whole(n_sim, "n_sim", minimum=1)
    rng = checks.generator(rng)
    total = int(events.sum())
    if total == 0:
        return 0.0, 1.0
    share = exposure / exposure.sum()
    expected = total * share
    observed = float(np.sum(events.astype(float) ** 2 / expected) - total)
    hits = 0
    chunk = max(1, min(n_sim, 2_000_000 // max(events.size, 1)))
    done = 0
    while done < n_sim:
        size = min(chunk, n_sim - done)
        draws = rng.multinomial(total, share, size=size)
        simulated = np.sum(draws.astype(float) ** 2 / expected, axis=1) - total
        # compare with a small relative tolerance so that ties are counted as ties
        hits += int(np.sum(simulated >= observed * (1 - 1e-12)))
        done += size
    return observed, (1 + hits) / (1 + n_sim)


def _fit_negative_binomial(y: np.ndarray, exog: np.ndarray, exposure: np.ndarray, start):
    """Fit NB2 from ``start``: Newton first, Nelder-Mead when Newton fails (alpha near 0)."""
    model = NegativeBinomial(y, exog, exposure=exposure, loglike_method="nb2")
    fit = model.fit(start_params=start, method="newton", disp=0, maxiter=200)
    if not (fit.mle_retvals.get("converged", False) and np.all(np.isfinite(fit.params))):
        fit = model.fit(start_params=start, method="nm", disp=0, maxiter=5_000)
    return fit


def _dispersion_models(y: np.ndarray, exposure: np.ndarray, conf: float) -> dict:
    """Dean's score test and an NB2 fit with exposure (statsmodels), warnings captured.

    The NB2 fit starts from the Poisson fit and ``alpha = 0.5``; statsmodels' default start
    can run off to absurd values (alpha ~ 1e265) on these sparse counts. Everything that
    statsmodels computes lazily (standard errors, log-likelihoods) is read inside the
    ``catch_warnings`` block, so its overflow warnings at the alpha = 0 boundary stay here.
    """
    exog = np.ones((y.size, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        poisson = Poisson(y, exog, exposure=exposure).fit(disp=0)
        dispersion = poisson.get_diagnostic().test_dispersion()
        dean_z = float(dispersion.statistic[list(dispersion.method).index("Dean B")])
        nb = _fit_negative_binomial(y, exog, exposure, np.r_[poisson.params, 0.5])
        alpha, alpha_se = float(nb.params[-1]), float(nb.bse[-1])
        nb_llf, poisson_llf = float(nb.llf), float(poisson.llf)
        converged = bool(nb.mle_retvals.get("converged", False)) and np.isfinite(alpha)
    z = stats.norm.ppf(0.5 + conf / 2)
    lr = max(0.0, 2 * (nb_llf - poisson_llf)) if np.isfinite(nb_llf) else np.nan
    return {
        "dean_z": dean_z,
        "dean_p": float(stats.norm.sf(dean_z)),
        "nb_alpha": max(alpha, 0.0),
        "nb_alpha_lower": max(alpha - z * alpha_se, 0.0),
        "nb_alpha_upper": alpha + z * alpha_se,
        "nb_lr_p": float(0.5 * stats.chi2.sf(lr, 1)) if lr > 0 else (1.0 if lr == 0 else np.nan),
        "nb_converged": converged,
    }


def _verdict(events: int, k: int, p_value: float, n_sim: int, level: float, dean_p: float) -> str:
    """Say what the heterogeneity tests mean, in plain words."""
    if p_value <= 1 / (n_sim + 1) * (1 + 1e-9):
        shown = f"p = {p_value:.2g}, the smallest value {n_sim:,} redraws can give"
    else:
        shown = f"p = {p_value:.3g}"
    if events == 0:
        return (
            f"No false alerts in {k} deployments: there is nothing to compare, so the data "
            "cannot say whether the rate differs between deployments."
        )
    if k < 2:
        return "Only one usable deployment: heterogeneity between deployments cannot be tested."
    if p_value < level:
        return (
            f"Evidence that the false-alert rate differs between deployments "
            f"(conditional Monte-Carlo {shown}, with {events} false alerts in "
            f"{k} deployments): more deployments have several false alerts than one common "
            "rate would produce, so a pooled rate hides real variation."
        )
    if events < FEW_EVENTS:
        return (
            f"Too few events to tell: only {events} false alerts in {k} deployments "
            f"(conditional Monte-Carlo {shown}, Dean's test p = {dean_p:.3g}). "
            "With this few events the tests have little power (in the project's methods "
            "guide, a simulation of 203 deployments sized like the Met's with about 10 events "
            "gives the conditional test 6% power when the rates vary like a negative binomial "
            "with alpha = 1, and 60% only at alpha = 20), so 'no evidence of heterogeneity' "
            "is not evidence that the rate is the same everywhere."
        )
    return (
        f"No evidence that the rate differs between deployments (conditional Monte-Carlo "
        f"{shown}, Dean's test p = {dean_p:.3g}, {events} false alerts in {k} "
        "deployments); a common rate fits the counts, though modest variation cannot be "
        "ruled out."
    )


def heterogeneity(
    deployments: pd.DataFrame,
    *,
    rng: np.random.Generator,
    n_sim: int = 20_000,
    conf: float = 0.95,
) -> HeterogeneityResult:
    """Test whether the per-face false-alert rate is the same in every deployment.

    Two complementary answers: (1) a conditional Monte-Carlo X^2 test (multinomial given the
    total, :func:`conditional_mc_test`), which holds its level with very few events; (2) a
    negative binomial (NB2) model with ``exposure = faces seen`` (statsmodels
    ``NegativeBinomial``), whose ``alpha`` measures extra-Poisson variation, with Dean's
    score test. Deployments with unknown faces or false alerts, or with no faces seen, are
    excluded and counted in ``n_excluded``.

    Parameters
    ----------
    deployments : pandas.DataFrame
        One row per deployment with count columns ``faces_seen`` and ``false_alerts``.
    rng : numpy.random.Generator or int
        Seeded Generator (or seed) for the Monte-Carlo redraws; required, so that results
        are reproducible.
    n_sim : int
        Number of Monte-Carlo redraws (at least 100).
    conf : float
        Confidence level of the interval for ``alpha``; the verdict calls a p-value below
        ``1 - conf`` evidence.

    Returns
    -------
    HeterogeneityResult
        Statistics and a ``verdict`` in plain words, which says so when the data have too
        few events to detect heterogeneity.
    """
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool):
        rng = np.random.default_rng(int(rng))
    rng = checks.generator(rng)
    n_sim = checks.whole(n_sim, "n_sim", minimum=100)
    conf = checks.conf_level(conf)
    level = 1 - conf
    checks.frame(deployments, ["faces_seen", "false_alerts"])
    exposure = checks.count_column(deployments, "faces_seen")
    events = checks.count_column(deployments, "false_alerts")
    used = ~np.isnan(exposure) & ~np.isnan(events) & (np.nan_to_num(exposure) > 0)
    too_many = used & (events > exposure)
    if too_many.any():
        i = int(np.flatnonzero(too_many)[0])
        raise ValueError(f"{checks.row_label(deployments, i)}: false alerts exceed faces seen")
    y, n = events[used].astype(np.int64), exposure[used]
    total, k = int(y.sum()), int(used.sum())
    statistic, p_value = conditional_mc_test(y, n, int(n_sim), rng)
    models = {
        "dean_z": np.nan,
        "dean_p": np.nan,
        "nb_alpha": np.nan,
        "nb_alpha_lower": np.nan,
        "nb_alpha_upper": np.nan,
        "nb_lr_p": np.nan,
        "nb_converged": False,
    }
    if total > 0 and k >= 2:
        models = _dispersion_models(y, n, conf)
    return HeterogeneityResult(
        n_deployments=k,
        n_excluded=int((~used).sum()),
        false_alerts=total,
        faces_seen=int(n.sum()),
        pooled_rate=total / n.sum() if k else float("nan"),
        statistic=statistic,
        p_value=p_value,
        n_sim=int(n_sim),
        few_events=total < FEW_EVENTS,
        verdict=_verdict(total, k, p_value, int(n_sim), level, models["dean_p"]),
        **models,
    )


# --------------------------------------------------------------------------------------
# negative binomial ratio with a profile-likelihood interval
# --------------------------------------------------------------------------------------

#: Range of log(theta) searched when theta is re-estimated (theta = 1 / alpha): from
#: extreme overdispersion (alpha = e**20) to practically Poisson (alpha = e**-20).
_LOG_THETA = (-20.0, 20.0)


def _nb_loglik(b: float, log_theta: float, y: np.ndarray, expected: np.ndarray) -> float:
    theta = np.exp(log_theta)
    mean = np.exp(b) * expected
    return float(np.sum(stats.nbinom.logpmf(y, theta, theta / (theta + mean))))


def _profile(b: float, y: np.ndarray, expected: np.ndarray) -> tuple[float, float]:
    """Log-likelihood at log ratio ``b`` maximised over log(theta); and that log(theta)."""
    found = optimize.minimize_scalar(
        lambda lt: -_nb_loglik(b, lt, y, expected),
        bounds=_LOG_THETA,
        method="bounded",
        options={"xatol": 1e-10},
    )
    return -float(found.fun), float(found.x)


def negative_binomial_ratio(observed, expected, conf: float = 0.95) -> pd.Series:
    """Negative binomial (NB2) O/E with a profile-likelihood interval and LR test of O/E = 1.

    Each unit's count is negative binomial with mean ``ratio * expected_i`` and size
    ``theta`` (variance ``mu + mu**2 / theta``), the model of R's
    ``MASS::glm.nb(y ~ 1 + offset(log(E)))``. The interval is the set of ratios whose
    profile log-likelihood, with theta re-estimated at each ratio, lies within
    ``chi2(1, conf) / 2`` of the maximum; the p-value is the likelihood-ratio test of
    ``ratio = 1`` with theta re-estimated under the null. Unlike a Wald interval, it does
    not assume the log-likelihood is quadratic, which it is not with few events.

    Parameters
    ----------
    observed : array-like
        Counts per unit (whole numbers >= 0, at least one above 0).
    expected : array-like
        Expected counts per unit (above 0), at least two units.
    conf : float

    Returns
    -------
    pandas.Series
        ``ratio``, ``lower``, ``upper``, ``lr_p``, ``alpha`` (1 / theta at the maximum),
        ``loglik``, ``conf``, ``method``.
    """
    conf = checks.conf_level(conf)
    y, _ = checks.counts(observed, "observed")
    e, _ = checks.positive(expected, "expected")
    if y.size != e.size:
        raise ValueError(f"observed (length {y.size}) and expected (length {e.size}) differ")
    if y.size < 2:
        raise ValueError("need at least two units to fit a negative binomial model")
    if y.sum() == 0:
        raise ValueError("observed: no events, so there is no ratio to estimate")
    y = y.astype(float)
    start = np.log(y.sum() / e.sum())
    best = optimize.minimize_scalar(
        lambda b: -_profile(b, y, e)[0],
        bracket=(start - 1.0, start + 1.0),
        method="brent",
        options={"xtol": 1e-12},
    )
    b_hat = float(best.x)
    top, log_theta = _profile(b_hat, y, e)
    drop = stats.chi2.ppf(conf, 1) / 2

    def gap(b):
        return _profile(b, y, e)[0] - (top - drop)

    limits = []
    for direction in (-1.0, 1.0):
        step, far = 1.0, b_hat + direction
        while gap(far) > 0:
            step *= 2
            far = b_hat + direction * step
            if step > 64:
                raise RuntimeError("profile likelihood limit not found; please report this input")
        limits.append(optimize.brentq(gap, *sorted((b_hat, far)), xtol=1e-13))
    lr = max(0.0, 2 * (top - _profile(0.0, y, e)[0]))
    return pd.Series(
        {
            "ratio": float(np.exp(b_hat)),
            "lower": float(np.exp(limits[0])),
            "upper": float(np.exp(limits[1])),
            "lr_p": float(stats.chi2.sf(lr, 1)),
            "alpha": float(np.exp(-log_theta)),
            "loglik": top,
            "conf": conf,
            "method": "negative binomial (NB2), profile likelihood, theta re-estimated",
        }
    )


def overdispersion_fits(observed, expected, conf: float = 0.95) -> dict:
    """O/E allowing for extra-Poisson variation between units: quasi-Poisson and NB2 fits.

    Both with ``log(expected)`` as offset and no other covariate (the model of
    :func:`lfr_analysis.predictions.overdispersed_ratio`):

    * quasi-Poisson (``GLM(..., family=Poisson(), offset=log E).fit(scale="X2")``, R's
      ``glm(..., family = quasipoisson())``): the estimate O/E with a Wald interval on the
      log scale, its standard error inflated by the Pearson dispersion ``phi``;
    * negative binomial NB2: :func:`negative_binomial_ratio` (profile-likelihood interval
      and likelihood-ratio p-value, theta re-estimated), and the Wald interval of
      statsmodels' ``NegativeBinomial`` (standard error from the joint Hessian of the
      coefficient and alpha) for comparison.

    Returns
    -------
    dict
        ``ratio``, ``quasi_lower``, ``quasi_upper``, ``phi``, ``nb_ratio``, ``nb_lower``,
        ``nb_upper``, ``nb_lr_p``, ``nb_alpha``, ``nb_wald_lower``, ``nb_wald_upper``,
        ``nb_converged`` (the Wald fit's), ``method``.
    """
    conf = checks.conf_level(conf)
    y, _ = checks.counts(observed, "observed")
    e, _ = checks.positive(expected, "expected")
    profile = negative_binomial_ratio(y, e, conf)  # checks lengths, units and events
    y = y.astype(float)
    ones = np.ones((y.size, 1))
    z = stats.norm.ppf(0.5 + conf / 2)
    quasi = GLM(y, ones, family=families.Poisson(), offset=np.log(e)).fit(scale="X2")
    log_ratio, se = float(quasi.params[0]), float(quasi.bse[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nb = NegativeBinomial(y, ones, exposure=e).fit(
            start_params=[log_ratio, 1.0], disp=0, maxiter=200
        )
        nb_log, nb_se = float(nb.params[0]), float(nb.bse[0])
    return {
        "ratio": float(np.exp(log_ratio)),
        "quasi_lower": float(np.exp(log_ratio - z * se)),
        "quasi_upper": float(np.exp(log_ratio + z * se)),
        "phi": float(quasi.scale),
        "nb_ratio": float(profile["ratio"]),
        "nb_lower": float(profile["lower"]),
        "nb_upper": float(profile["upper"]),
        "nb_lr_p": float(profile["lr_p"]),
        "nb_alpha": float(profile["alpha"]),
        "nb_wald_lower": float(np.exp(nb_log - z * nb_se)),
        "nb_wald_upper": float(np.exp(nb_log + z * nb_se)),
        "nb_converged": bool(nb.mle_retvals.get("converged", False)),
        "method": "quasi-Poisson Wald (log scale); negative binomial profile likelihood "
        "(nb_lower, nb_upper) and Wald (nb_wald_*)",
    }
