"""Reparameterised sampling: the gradients of rsample with respect to the parameters.

Where torch's noise source can be replaced, both libraries are fed the same noise
and values and gradients are compared; elsewhere the reparameterisation identity
is checked (e.g. d x / d scale = (x - loc) / scale), Gamma's implicit gradient is
compared with torch's own formula (torch._standard_gamma_grad) and with mpmath,
and Beta/Dirichlet gradients are checked to be unbiased."""
import math

import numpy as np
import pytest
import torch

import ember
import ember.distributions.multivariate_normal as e_mvn
import ember.distributions.normal as e_normal
import torch.distributions.multivariate_normal as t_mvn
import torch.distributions.normal as t_normal
from helpers import assert_same

RNG = np.random.default_rng(0)


def _leaves(*arrays):
    e = [ember.tensor(a, requires_grad=True) for a in arrays]
    t = [torch.tensor(a, requires_grad=True) for a in arrays]
    return e, t


def _feed_noise(monkeypatch, e_module, t_module, eps):
    monkeypatch.setattr(e_module, "_standard_normal",
                        lambda shape, dtype, generator=None: ember.tensor(eps, dtype=dtype))
    monkeypatch.setattr(t_module, "_standard_normal",
                        lambda shape, dtype, device: torch.tensor(eps, dtype=dtype))


def test_normal_rsample_matches_torch_on_the_same_noise(monkeypatch):
    loc, scale = RNG.normal(size=(2, 3)), RNG.uniform(0.5, 2, 3)
    eps = RNG.normal(size=(5, 2, 3))
    _feed_noise(monkeypatch, e_normal, t_normal, eps)
    (el, es), (tl, ts) = _leaves(loc, scale)
    xe = ember.distributions.Normal(el, es).rsample((5,))
    xt = torch.distributions.Normal(tl, ts).rsample((5,))
    assert_same(xe, xt, rtol=1e-12)
    w = RNG.normal(size=(5, 2, 3))
    (xe * ember.tensor(w)).sum().backward()
    (xt * torch.tensor(w)).sum().backward()
    assert_same(el.grad, tl.grad, rtol=1e-12)
    assert_same(es.grad, ts.grad, rtol=1e-12)


@pytest.mark.parametrize("param", ["covariance_matrix", "scale_tril", "precision_matrix"])
def test_mvn_rsample_matches_torch_on_the_same_noise(monkeypatch, param):
    d = 3
    a = RNG.normal(size=(2, d, d))
    cov = a @ np.swapaxes(a, -1, -2) + d * np.eye(d)
    matrix = {"covariance_matrix": cov, "scale_tril": np.linalg.cholesky(cov),
              "precision_matrix": np.linalg.inv(cov)}[param]
    loc = RNG.normal(size=(2, d))
    eps = RNG.normal(size=(4, 2, d))
    _feed_noise(monkeypatch, e_mvn, t_mvn, eps)
    (el, em), (tl, tm) = _leaves(loc, matrix)
    xe = ember.distributions.MultivariateNormal(el, **{param: em}).rsample((4,))
    xt = torch.distributions.MultivariateNormal(tl, **{param: tm}).rsample((4,))
    assert_same(xe, xt, rtol=1e-10)
    w = RNG.normal(size=(4, 2, d))
    (xe * ember.tensor(w)).sum().backward()
    (xt * torch.tensor(w)).sum().backward()
    assert_same(el.grad, tl.grad, rtol=1e-10)
    assert_same(em.grad, tm.grad, rtol=1e-8, atol=1e-10)


def _grads(x, leaves, w):
    (x * ember.tensor(w)).sum().backward()
    return [leaf.grad._data for leaf in leaves]


def test_laplace_rsample_identity():
    (loc, scale), _ = _leaves(RNG.normal(size=3), RNG.uniform(0.5, 2, 3))
    x = ember.distributions.Laplace(loc, scale).rsample((1000,))
    w = RNG.normal(size=(1000, 3))
    g_loc, g_scale = _grads(x, [loc, scale], w)
    xd = x.detach()._data
    np.testing.assert_allclose(g_loc, w.sum(0), rtol=1e-12)
    np.testing.assert_allclose(g_scale, (w * (xd - loc._data) / scale._data).sum(0), rtol=1e-9)


def test_uniform_rsample_identity():
    (low, high), _ = _leaves(RNG.normal(size=3), RNG.normal(size=3) + 3)
    x = ember.distributions.Uniform(low, high).rsample((1000,))
    w = RNG.normal(size=(1000, 3))
    g_low, g_high = _grads(x, [low, high], w)
    u = (x.detach()._data - low._data) / (high._data - low._data)
    np.testing.assert_allclose(g_low, (w * (1 - u)).sum(0), rtol=1e-9)
    np.testing.assert_allclose(g_high, (w * u).sum(0), rtol=1e-9)


def test_exponential_rsample_identity():
    (rate,), _ = _leaves(RNG.uniform(0.5, 3, 4))
    x = ember.distributions.Exponential(rate).rsample((500,))
    w = RNG.normal(size=(500, 4))
    (g,) = _grads(x, [rate], w)
    np.testing.assert_allclose(g, (w * -x.detach()._data / rate._data).sum(0), rtol=1e-10)


def test_independent_rsample_passes_gradients_through():
    (loc, scale), _ = _leaves(RNG.normal(size=(2, 3)), RNG.uniform(0.5, 2, (2, 3)))
    d = ember.distributions.Independent(ember.distributions.Normal(loc, scale), 1)
    x = d.rsample((10,))
    assert tuple(x.shape) == (10, 2, 3) and x.requires_grad
    x.sum().backward()
    np.testing.assert_allclose(loc.grad._data, 10.0)


@pytest.mark.parametrize("alpha", [0.05, 0.4, 1.0, 3.7, 25.0, 400.0])
def test_gamma_rsample_gradient_matches_torchs_formula(alpha):
    n = 300
    conc = ember.full((n,), alpha, dtype=ember.float64, requires_grad=True)
    rate = ember.full((n,), 2.5, dtype=ember.float64, requires_grad=True)
    x = ember.distributions.Gamma(conc, rate).rsample()
    x.sum().backward()
    xd = x.detach()._data
    g = xd * 2.5                                   # the Gamma(alpha, 1) draw
    expected = torch._standard_gamma_grad(torch.tensor(np.full(n, alpha)),
                                          torch.tensor(g)).numpy() / 2.5
    ok = g > 1e-300
    # torch's formula is an approximation (to ~1e-3); ember's is exact (see below)
    np.testing.assert_allclose(conc.grad._data[ok], expected[ok], rtol=2e-3, atol=1e-12)
    np.testing.assert_allclose(rate.grad._data, -xd / 2.5, rtol=1e-12)


def test_gamma_implicit_gradient_is_exact():
    """dx/dα = -(∂P(α, x)/∂α) / pdf(x), differentiated with mpmath at high precision."""
    import mpmath
    mpmath.mp.dps = 30
    from ember.ops.special import standard_gamma_grad_np
    for a, x in [(0.3, 0.01), (0.3, 1.7), (1.0, 0.5), (4.2, 3.0), (4.2, 9.5), (50.0, 47.0),
                 (50.0, 61.0)]:
        a_, x_ = mpmath.mpf(a), mpmath.mpf(x)
        dp = mpmath.diff(lambda s: mpmath.gammainc(s, 0, x_, regularized=True), a_)
        pdf = x_ ** (a_ - 1) * mpmath.exp(-x_) / mpmath.gamma(a_)
        assert math.isclose(float(standard_gamma_grad_np(x, a)), float(-dp / pdf),
                            rel_tol=1e-10)


def _per_sample_grads(make, conc, n):
    """Gradients of each of n samples w.r.t. its own copy of the concentration."""
    leaf = ember.tensor(np.tile(conc, (n, 1)), requires_grad=True)
    x = make(leaf)
    return x, leaf


def test_dirichlet_rsample_gradients_are_unbiased():
    """mean over samples of d x_i / d α_j  ≈  d E[x_i] / d α_j = (δ_ij α0 - α_i) / α0^2."""
    alpha = np.array([0.7, 2.0, 4.5])
    n = 20000
    rows = []
    for i in range(3):
        leaf = ember.tensor(np.tile(alpha, (n, 1)), requires_grad=True)
        ember.manual_seed(i)
        x = ember.distributions.Dirichlet(leaf).rsample()
        x[:, i].sum().backward()
        rows.append(leaf.grad._data)
    a0 = alpha.sum()
    for i, g in enumerate(rows):
        expected = ((np.arange(3) == i) * a0 - alpha[i]) / a0 ** 2
        se = g.std(0) / math.sqrt(n)
        assert np.all(np.abs(g.mean(0) - expected) < 5 * se + 1e-4), (i, g.mean(0), expected)


def test_beta_rsample_gradients_are_unbiased():
    """d/dc1 E[x] = c0 / (c1 + c0)^2 and d/dc0 E[x] = -c1 / (c1 + c0)^2, and for E[x^2]."""
    c1, c0, n = 1.5, 0.8, 20000
    a = ember.full((n,), c1, dtype=ember.float64, requires_grad=True)
    b = ember.full((n,), c0, dtype=ember.float64, requires_grad=True)
    ember.manual_seed(5)
    x = ember.distributions.Beta(a, b).rsample()
    (x * x).sum().backward()
    t = c1 + c0
    # E[x^2] = c1 (c1 + 1) / (t (t + 1))
    d_c1 = ((2 * c1 + 1) * t * (t + 1) - c1 * (c1 + 1) * (2 * t + 1)) / (t * (t + 1)) ** 2
    d_c0 = -c1 * (c1 + 1) * (2 * t + 1) / (t * (t + 1)) ** 2
    for g, expected in ((a.grad._data, d_c1), (b.grad._data, d_c0)):
        assert abs(g.mean() - expected) < 5 * g.std() / math.sqrt(n), (g.mean(), expected)


def test_sample_carries_no_graph_but_rsample_does():
    D = ember.distributions
    loc = ember.zeros(3, requires_grad=True)
    assert not D.Normal(loc, 1.0).sample().requires_grad
    assert D.Normal(loc, 1.0).rsample().requires_grad
    conc = ember.ones(3, requires_grad=True)
    assert D.Gamma(conc, 1.0).rsample().grad_fn is not None
    assert not D.Gamma(conc, 1.0).sample().requires_grad
    with pytest.raises(NotImplementedError):
        D.Poisson(ember.ones(2)).rsample()
