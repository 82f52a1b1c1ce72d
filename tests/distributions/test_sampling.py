"""Every distribution's sampler draws from the right distribution: moments and a
goodness-of-fit test (Kolmogorov-Smirnov for continuous, chi-square for discrete) with
fixed seeds, a check that a slightly wrong distribution is rejected, and seeding."""
import math

import numpy as np
import pytest
import torch

import ember
from distributions.gof import (ALPHA, beta_cdf, binomial_pmf, chi_square_counts_pvalue,
                               chi_square_pvalue, gamma_cdf, ks_pvalue, log_pmf_poisson,
                               normal_cdf)

D = ember.distributions
N = 20000


@pytest.fixture(autouse=True)
def _seed():
    ember.manual_seed(1234)


def _np(x):
    return np.asarray(x._data, dtype=np.float64)


def _moments_ok(x, mean, var, z=5.0):
    """Sample mean within z standard errors; sample variance within z of its error."""
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[0]
    assert np.all(np.abs(x.mean(0) - mean) < z * np.sqrt(var / n)), (x.mean(0), mean)
    fourth = np.mean((x - x.mean(0)) ** 4, axis=0)
    assert np.all(np.abs(x.var(0) - var) < z * np.sqrt(np.maximum(fourth - var ** 2, 1e-12) / n)
                  + 1e-12), (x.var(0), var)


def test_normal():
    d = D.Normal(ember.tensor([-1.0, 2.0]), ember.tensor([0.5, 3.0]))
    x = _np(d.sample((N,)))
    assert x.shape == (N, 2)
    _moments_ok(x, np.array([-1.0, 2.0]), np.array([0.25, 9.0]))
    for j, (m, s) in enumerate([(-1.0, 0.5), (2.0, 3.0)]):
        assert ks_pvalue(x[:, j], normal_cdf(m, s)) > ALPHA
        # power (8%: torch's stream at this seed puts 6% at p = 2e-4)
        assert ks_pvalue(x[:, j], normal_cdf(m, s * 1.08)) < 1e-4


def test_normal_rsample_has_the_same_distribution():
    x = _np(D.Normal(1.0, 2.0).rsample((N,)))
    assert ks_pvalue(x, normal_cdf(1.0, 2.0)) > ALPHA


def test_laplace():
    x = _np(D.Laplace(0.5, 2.0).sample((N,)))
    _moments_ok(x, 0.5, 8.0)
    def cdf(v):
        z = (v - 0.5) / 2
        return np.where(z < 0, 0.5 * np.exp(z), 1 - 0.5 * np.exp(-z))
    assert ks_pvalue(x, cdf) > ALPHA


def test_uniform():
    x = _np(D.Uniform(-1.0, 3.0).sample((N,)))
    _moments_ok(x, 1.0, 16 / 12)
    assert ks_pvalue(x, lambda v: np.clip((v + 1) / 4, 0, 1)) > ALPHA
    assert x.min() >= -1 and x.max() < 3


def test_exponential():
    x = _np(D.Exponential(ember.tensor(2.5, dtype=ember.float64)).sample((N,)))
    _moments_ok(x, 0.4, 0.16)
    assert ks_pvalue(x, lambda v: 1 - np.exp(-2.5 * v)) > ALPHA
    assert ks_pvalue(x, lambda v: 1 - np.exp(-2.65 * v)) < 1e-4


@pytest.mark.parametrize("alpha,rate", [(0.3, 1.0), (1.0, 2.0), (2.5, 0.5), (40.0, 3.0)])
def test_gamma(alpha, rate):
    x = _np(D.Gamma(ember.tensor(alpha, dtype=ember.float64), rate).sample((N,)))
    _moments_ok(x, alpha / rate, alpha / rate ** 2)
    assert ks_pvalue(x, gamma_cdf(alpha, rate)) > ALPHA
    assert ks_pvalue(x, gamma_cdf(alpha * 1.06, rate)) < 1e-4
    assert x.min() > 0


@pytest.mark.parametrize("a,b", [(0.5, 0.5), (2.0, 5.0), (1.0, 1.0)])
def test_beta(a, b):
    x = _np(D.Beta(ember.tensor(a, dtype=ember.float64), b).sample((4000,)))
    _moments_ok(x, a / (a + b), a * b / ((a + b) ** 2 * (a + b + 1)))
    assert ks_pvalue(x, beta_cdf(a, b)) > ALPHA
    assert np.all((x >= 0) & (x <= 1))


def test_beta_wrong_parameters_are_rejected():
    x = _np(D.Beta(2.0, 5.0).sample((4000,)))
    assert ks_pvalue(x, beta_cdf(2.0, 5.6)) < 1e-4


def test_dirichlet():
    alpha = np.array([0.5, 2.0, 3.5])
    x = _np(D.Dirichlet(ember.tensor(alpha)).sample((3000,)))
    assert x.shape == (3000, 3)
    np.testing.assert_allclose(x.sum(-1), 1.0, rtol=1e-6)
    a0 = alpha.sum()
    _moments_ok(x, alpha / a0, alpha * (a0 - alpha) / (a0 ** 2 * (a0 + 1)))
    # each coordinate is Beta(α_i, α0 - α_i); the covariance is -α_i α_j / (α0^2 (α0 + 1))
    for i in range(3):
        assert ks_pvalue(x[:, i], beta_cdf(alpha[i], a0 - alpha[i])) > ALPHA
    cov = np.cov(x.T)[0, 1]
    assert abs(cov - -alpha[0] * alpha[1] / (a0 ** 2 * (a0 + 1))) < 0.004


@pytest.mark.parametrize("rate", [0.7, 5.0, 60.0])
def test_poisson(rate):
    x = _np(D.Poisson(ember.tensor(rate)).sample((N,)))
    _moments_ok(x, rate, rate)
    assert chi_square_pvalue(x, log_pmf_poisson(rate),
                             np.arange(int(rate + 10 * math.sqrt(rate) + 10))) > ALPHA


@pytest.mark.parametrize("p", [0.1, 0.6])
def test_geometric(p):
    x = _np(D.Geometric(ember.tensor(p)).sample((N,)))
    _moments_ok(x, (1 - p) / p, (1 - p) / p ** 2)
    pmf = lambda k: (1 - p) ** k * p          # noqa: E731  failures before a success
    assert chi_square_pvalue(x, pmf, np.arange(int(12 / p))) > ALPHA
    wrong = lambda k: (1 - p * 1.06) ** k * p * 1.06     # noqa: E731
    assert chi_square_pvalue(x, wrong, np.arange(int(12 / p))) < 1e-4


def test_bernoulli():
    x = _np(D.Bernoulli(ember.tensor([0.2, 0.5, 0.95])).sample((N,)))
    assert set(np.unique(x)) <= {0.0, 1.0}
    for j, p in enumerate([0.2, 0.5, 0.95]):
        k = x[:, j].sum()
        assert chi_square_counts_pvalue([N - k, k], [N * (1 - p), N * p]) > ALPHA
    logits = _np(D.Bernoulli(logits=ember.tensor(1.0)).sample((N,)))
    p = 1 / (1 + math.exp(-1))
    assert chi_square_counts_pvalue([N - logits.sum(), logits.sum()], [N * (1 - p), N * p]) > ALPHA


def test_binomial():
    x = _np(D.Binomial(15, ember.tensor([0.25, 0.7])).sample((N,)))
    for j, p in enumerate([0.25, 0.7]):
        _moments_ok(x[:, j], 15 * p, 15 * p * (1 - p))
        assert chi_square_pvalue(x[:, j], binomial_pmf(15, p), np.arange(16)) > ALPHA
    assert chi_square_pvalue(x[:, 0], binomial_pmf(15, 0.27), np.arange(16)) < 1e-4


def test_binomial_with_per_element_total_count():
    x = _np(D.Binomial(ember.tensor([2.0, 30.0]), ember.tensor(0.4)).sample((N,)))
    assert x[:, 0].max() <= 2 and x[:, 1].max() <= 30
    assert chi_square_pvalue(x[:, 1], binomial_pmf(30, 0.4), np.arange(31)) > ALPHA


def test_categorical():
    probs = np.array([0.1, 0.0, 0.3, 0.6])
    x = D.Categorical(ember.tensor(probs)).sample((N,))
    assert x.dtype is ember.int64
    counts = np.bincount(x._data, minlength=4)
    assert counts[1] == 0
    assert chi_square_counts_pvalue(counts[[0, 2, 3]], probs[[0, 2, 3]] * N) > ALPHA
    assert chi_square_counts_pvalue(counts[[0, 2, 3]], np.array([0.12, 0.3, 0.58]) * N) < 1e-4


def test_categorical_batched_rows_and_logits():
    logits = ember.tensor([[0.0, 1.0, 2.0], [2.0, 0.0, -1.0]])
    x = D.Categorical(logits=logits).sample((N,))._data
    assert x.shape == (N, 2)
    for row in range(2):
        p = np.exp(logits._data[row]) / np.exp(logits._data[row]).sum()
        assert chi_square_counts_pvalue(np.bincount(x[:, row], minlength=3), p * N) > ALPHA


def test_one_hot_categorical():
    probs = np.array([0.25, 0.5, 0.25])
    x = _np(D.OneHotCategorical(ember.tensor(probs)).sample((N,)))
    assert x.shape == (N, 3) and np.all(x.sum(-1) == 1)
    assert chi_square_counts_pvalue(x.sum(0), probs * N) > ALPHA


def test_multinomial_counts():
    probs = np.array([0.2, 0.3, 0.5])
    d = D.Multinomial(10, ember.tensor(probs))
    x = _np(d.sample((N,)))
    assert x.shape == (N, 3) and np.all(x.sum(-1) == 10)
    _moments_ok(x, 10 * probs, 10 * probs * (1 - probs))
    for j in range(3):                    # each count is Binomial(10, p_j)
        assert chi_square_pvalue(x[:, j], binomial_pmf(10, probs[j]), np.arange(11)) > ALPHA
    cov = np.cov(x.T)[0, 1]
    assert abs(cov - -10 * probs[0] * probs[1]) < 0.05


def test_multinomial_coin_is_fair_and_unfair_coin_is_detected():
    counts = _np(D.Multinomial(10000, ember.tensor([0.5, 0.5])).sample((50,)))
    heads = counts[:, 0]
    assert chi_square_pvalue(heads, binomial_pmf(10000, 0.5),
                             np.arange(4800, 5201)) > ALPHA
    heads_big = counts.sum(0)
    assert chi_square_counts_pvalue(heads_big, [250000, 250000]) > ALPHA
    assert chi_square_counts_pvalue(heads_big, [255000, 245000]) < 1e-4


def test_multivariate_normal():
    loc = np.array([1.0, -2.0, 0.5])
    a = np.array([[2.0, 0.0, 0.0], [0.5, 1.0, 0.0], [-0.3, 0.2, 0.7]])
    cov = a @ a.T
    x = _np(D.MultivariateNormal(ember.tensor(loc), ember.tensor(cov)).sample((N,)))
    assert x.shape == (N, 3)
    assert np.all(np.abs(x.mean(0) - loc) < 5 * np.sqrt(np.diag(cov) / N))
    np.testing.assert_allclose(np.cov(x.T), cov, atol=0.08)
    # the squared Mahalanobis distance is chi-square with 3 degrees of freedom
    z = np.linalg.solve(a, (x - loc).T)
    m = (z ** 2).sum(0)
    assert ks_pvalue(m, gamma_cdf(1.5, 0.5)) > ALPHA
    assert ks_pvalue(m, gamma_cdf(1.5, 0.47)) < 1e-4


def test_independent_samples_like_its_base():
    d = D.Independent(D.Normal(ember.zeros(2, 3), ember.ones(2, 3)), 1)
    x = d.sample((N,))
    assert tuple(x.shape) == (N, 2, 3)
    assert ks_pvalue(_np(x).ravel(), normal_cdf()) > ALPHA


def test_float32_parameters_give_float32_samples():
    for d in (D.Normal(ember.zeros(2), 1.0), D.Gamma(ember.ones(2), 1.0),
              D.Dirichlet(ember.ones(3)), D.Poisson(ember.ones(2)),
              D.Multinomial(5, ember.tensor([0.5, 0.5])), D.Bernoulli(ember.tensor([0.5]))):
        assert d.sample((3,)).dtype is ember.float32


@pytest.mark.parametrize("make", [
    lambda: D.Normal(0.0, 1.0), lambda: D.Gamma(2.0, 1.0), lambda: D.Beta(2.0, 3.0),
    lambda: D.Dirichlet(ember.ones(3)), lambda: D.Poisson(3.0), lambda: D.Geometric(0.3),
    lambda: D.Bernoulli(0.4), lambda: D.Binomial(5, ember.tensor(0.3)),
    lambda: D.Categorical(ember.ones(4)), lambda: D.Multinomial(7, ember.ones(3)),
    lambda: D.MultivariateNormal(ember.zeros(2), ember.eye(2)), lambda: D.Laplace(0.0, 1.0),
    lambda: D.Uniform(0.0, 1.0), lambda: D.Exponential(1.0),
    lambda: D.OneHotCategorical(ember.ones(3))])
def test_samples_repeat_with_the_seed(make):
    ember.manual_seed(99)
    a = make().sample((6,))
    ember.manual_seed(99)
    b = make().sample((6,))
    assert ember.equal(a, b)
    with ember.random.fork_rng():
        c = make().sample((6,))
    assert ember.equal(make().sample((6,)), c)


def test_torch_and_ember_agree_statistically():
    """Samples from ember and from torch pass a two-sample test against each other."""
    xe = np.sort(_np(D.Gamma(3.0, 2.0).sample((N,))))
    torch.manual_seed(0)
    xt = np.sort(torch.distributions.Gamma(3.0, 2.0).sample((N,)).numpy().astype(np.float64))
    grid = np.concatenate([xe, xt])
    d = np.max(np.abs(np.searchsorted(xe, grid, "right") / N - np.searchsorted(xt, grid, "right")
                      / N))
    from distributions.gof import kolmogorov_sf
    assert kolmogorov_sf(d * math.sqrt(N / 2)) > ALPHA
