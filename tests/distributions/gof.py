"""Goodness-of-fit tests in NumPy for the sampler tests (no scipy).

* ``ks_pvalue(samples, cdf)``: one-sample Kolmogorov-Smirnov test of samples
  against a continuous cdf (a NumPy function);
* ``chi_square_pvalue(samples, pmf, support)``: Pearson's chi-square test of
  integer samples against a pmf, with sparse tail cells pooled;
* ``chi_square_counts_pvalue(observed, expected)``: the same from counts.

p-values use Kolmogorov's limiting distribution and the chi-square
distribution's survival function (torch.special.gammaincc, the test oracle).

Every sampler test uses a fixed seed, so pass/fail is deterministic; ALPHA is
chosen so that the right distribution passes comfortably while a distribution
off by a few percent, at the sample sizes used, fails by orders of magnitude
(tests check both).
"""
import numpy as np
import torch

ALPHA = 1e-3


def kolmogorov_sf(t):
    """P(K > t) for Kolmogorov's distribution: 2 sum (-1)^(k-1) exp(-2 k^2 t^2)."""
    if t < 0.2:
        return 1.0
    k = np.arange(1, 101)
    return float(np.clip(2 * np.sum((-1.0) ** (k - 1) * np.exp(-2 * k * k * t * t)), 0, 1))


def ks_statistic(samples, cdf):
    x = np.sort(np.asarray(samples, dtype=np.float64).ravel())
    n = x.size
    f = np.asarray(cdf(x), dtype=np.float64)
    i = np.arange(1, n + 1)
    return max(np.max(i / n - f), np.max(f - (i - 1) / n)), n


def ks_pvalue(samples, cdf):
    """p-value of the one-sample KS test (Stephens' small-sample correction)."""
    d, n = ks_statistic(samples, cdf)
    sn = np.sqrt(n)
    return kolmogorov_sf(d * (sn + 0.12 + 0.11 / sn))


def chi2_sf(stat, dof):
    """P(X > stat) for X ~ chi-square(dof)."""
    return float(torch.special.gammaincc(torch.tensor(dof / 2.0, dtype=torch.float64),
                                         torch.tensor(stat / 2.0, dtype=torch.float64)))


def chi_square_counts_pvalue(observed, expected, min_expected=5.0):
    """Pearson's test of observed counts against expected counts (same total).

    Cells with fewer than min_expected expected counts are pooled, from the
    smallest up, so that the chi-square approximation holds.
    """
    observed = np.asarray(observed, dtype=np.float64).ravel()
    expected = np.asarray(expected, dtype=np.float64).ravel()
    order = np.argsort(expected)
    obs, exp = list(observed[order]), list(expected[order])
    while len(exp) > 1 and exp[0] < min_expected:
        smallest_e, smallest_o = exp.pop(0), obs.pop(0)
        exp[0] += smallest_e
        obs[0] += smallest_o
        order = np.argsort(exp)                   # keep the list sorted after merging
        exp, obs = [exp[i] for i in order], [obs[i] for i in order]
    obs, exp = np.array(obs), np.array(exp)
    stat = float(np.sum((obs - exp) ** 2 / exp))
    return chi2_sf(stat, len(exp) - 1)


def chi_square_pvalue(samples, pmf, support):
    """Chi-square test of integer samples against pmf over support (a 1-D int array);
    mass outside the listed support is one extra cell."""
    samples = np.asarray(samples).ravel()
    support = np.asarray(support)
    n = samples.size
    probs = np.asarray(pmf(support), dtype=np.float64)
    observed = np.array([np.sum(samples == k) for k in support], dtype=np.float64)
    rest_p = max(1.0 - probs.sum(), 0.0)
    rest_o = n - observed.sum()
    if rest_p * n > 1e-9 or rest_o > 0:
        probs = np.append(probs, rest_p)
        observed = np.append(observed, rest_o)
    return chi_square_counts_pvalue(observed, probs * n)


# ------------------------------------------------------------- reference cdfs
def normal_cdf(loc=0.0, scale=1.0):
    return lambda x: torch.special.ndtr(torch.tensor((x - loc) / scale)).numpy()


def gamma_cdf(concentration, rate=1.0):
    a = torch.tensor(float(concentration), dtype=torch.float64)
    return lambda x: torch.special.gammainc(a, torch.tensor(x * rate)).numpy()


def beta_cdf(a, b):
    """The regularised incomplete beta, from mpmath (a torch dependency)."""
    import mpmath
    return lambda x: np.array([float(mpmath.betainc(a, b, 0, v, regularized=True))
                               for v in np.asarray(x)])


def log_pmf_poisson(rate):
    return lambda k: np.exp(k * np.log(rate) - rate - torch.lgamma(
        torch.tensor(k + 1.0, dtype=torch.float64)).numpy())


def binomial_pmf(n, p):
    def pmf(k):
        k = np.asarray(k, dtype=np.float64)
        t = torch.tensor
        logc = (torch.lgamma(t(n + 1.0, dtype=torch.float64)) - torch.lgamma(t(k + 1))
                - torch.lgamma(t(n - k + 1))).numpy()
        return np.exp(logc + k * np.log(p) + (n - k) * np.log1p(-p))
    return pmf
