"""Every distribution against torch.distributions on generated parameters: shapes,
mean, variance, stddev, mode, entropy, log_prob, cdf, icdf, enumerate_support,
expand, support, repr, sample shapes and dtypes, and the gradients of log_prob,
entropy and cdf with respect to the parameters."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import ember
from distributions.cases import BATCHES, CASES, build, value_for
from helpers import assert_same

ATTRS = ["mean", "variance", "stddev", "mode"]
TOL = {"float64": dict(rtol=1e-9, atol=1e-11), "float32": dict(rtol=2e-5, atol=2e-6)}


def _outcome(fn):
    """(result, None) or (None, exception type name)."""
    try:
        return fn(), None
    except Exception as exc:       # noqa: BLE001  compared with torch's below
        return None, type(exc).__name__


def _same_outcome(fe, ft, what, dtype="float64"):
    (e, ee), (t, te) = _outcome(fe), _outcome(ft)
    assert ee == te, f"{what}: ember {ee or 'returned'}, torch {te or 'returned'}"
    if te is None:
        assert_same(e, t, what=what, **TOL[dtype])
    return e, t


def _pairs(dtype="float64"):
    out = []
    for name in CASES:
        for batch in BATCHES:
            for seed in (0, 1):
                shape = "x".join(map(str, batch)) or "scalar"
                out.append(pytest.param(name, batch, seed, dtype, id=f"{name}-{shape}-{seed}"))
    return out


def _both(name, batch, seed, dtype, requires_grad=True):
    case = CASES[name](np.random.default_rng(seed), batch)
    case.dtype = dtype
    de, le = build(ember, case, requires_grad)
    dt, lt = build(torch, case, requires_grad)
    ve = value_for(ember, case, np.random.default_rng(seed + 100), dtype)
    vt = value_for(torch, case, np.random.default_rng(seed + 100), dtype)
    return case, (de, le, ve), (dt, lt, vt)


@pytest.mark.parametrize("name,batch,seed,dtype", _pairs() + [
    pytest.param(n, (3,), 0, "float32", id=f"{n}-float32") for n in CASES])
def test_quantities_match_torch(name, batch, seed, dtype):
    case, (de, _, ve), (dt, _, vt) = _both(name, batch, seed, dtype)
    assert de.batch_shape == dt.batch_shape and de.event_shape == dt.event_shape
    assert type(de.batch_shape).__name__ == "Size"
    assert de.has_rsample == dt.has_rsample
    assert de.has_enumerate_support == dt.has_enumerate_support
    assert sorted(de.arg_constraints) == sorted(dt.arg_constraints)
    for attr in ATTRS:
        _same_outcome(lambda: getattr(de, attr), lambda: getattr(dt, attr), attr, dtype)
    _same_outcome(de.entropy, dt.entropy, "entropy", dtype)
    _same_outcome(de.perplexity, dt.perplexity, "perplexity", dtype)
    _same_outcome(lambda: de.log_prob(ve), lambda: dt.log_prob(vt), "log_prob", dtype)
    cdf_arg_e, cdf_arg_t = ve, vt
    _same_outcome(lambda: de.cdf(cdf_arg_e), lambda: dt.cdf(cdf_arg_t), "cdf", dtype)
    q = np.random.default_rng(seed).uniform(0.02, 0.98, (4,) + tuple(dt.batch_shape))
    qe = ember.tensor(q, dtype=getattr(ember, dtype))
    qt = torch.tensor(q, dtype=getattr(torch, dtype))
    _same_outcome(lambda: de.icdf(qe), lambda: dt.icdf(qt), "icdf", dtype)
    _same_outcome(lambda: de.enumerate_support(), lambda: dt.enumerate_support(), "support")
    _same_outcome(lambda: de.enumerate_support(False), lambda: dt.enumerate_support(False),
                  "support(expand=False)")


@pytest.mark.parametrize("name,batch,seed,dtype", [p for p in _pairs() if p.values[2] == 0])
def test_structure_matches_torch(name, batch, seed, dtype):
    case, (de, _, ve), (dt, _, vt) = _both(name, batch, seed, dtype, requires_grad=False)
    assert repr(de) == repr(dt)
    try:
        ts = repr(dt.support)
    except NotImplementedError:
        ts = None
    assert (repr(de.support) if ts is not None else None) == ts
    # samples: shapes and dtypes
    for shape in [(), (2,), (2, 1)]:
        se, st = de.sample(shape), dt.sample(shape)
        assert tuple(se.shape) == tuple(st.shape) and se.dtype.name == str(st.dtype)[6:]
        assert not se.requires_grad
        assert bool(de.support.check(se).all())
    if dt.has_rsample:
        assert tuple(de.rsample((2,)).shape) == tuple(dt.rsample((2,)).shape)
    else:
        with pytest.raises(NotImplementedError):
            de.rsample()
    # expand: parameters broadcast, nothing recomputed
    new = (4,) + tuple(dt.batch_shape)
    ee, et = de.expand(new), dt.expand(new)
    assert ee.batch_shape == et.batch_shape and type(ee) is type(de)
    assert_same(ee.log_prob(ve), et.log_prob(vt), rtol=1e-9, atol=1e-11)
    assert_same(ee.mean, et.mean, rtol=1e-9)


@pytest.mark.parametrize("name,batch,seed,dtype", [p for p in _pairs() if p.values[1] != ()])
def test_log_prob_and_entropy_gradients_match_torch(name, batch, seed, dtype):
    case, (de, le, ve), (dt, lt, vt) = _both(name, batch, seed, dtype)
    w = np.random.default_rng(seed + 7).normal(size=tuple(dt.log_prob(vt).shape))
    lp_e = (de.log_prob(ve) * ember.tensor(w)).sum()
    lp_t = (dt.log_prob(vt) * torch.tensor(w)).sum()
    ent_e, ent_t = _outcome(de.entropy), _outcome(dt.entropy)
    if ent_t[1] is None:
        lp_e = lp_e + ent_e[0].sum() * 0.5
        lp_t = lp_t + ent_t[0].sum() * 0.5
    lp_e.backward()
    lp_t.backward()
    for k in lt:
        assert (le[k].grad is None) == (lt[k].grad is None), k
        if lt[k].grad is not None:
            assert_same(le[k].grad, lt[k].grad, rtol=1e-8, atol=1e-10, what=f"grad of {k}")


@pytest.mark.parametrize("name", ["normal", "laplace", "uniform", "exponential", "gamma"])
def test_cdf_gradients_match_torch(name):
    case = CASES[name](np.random.default_rng(5), (2, 3))
    if name == "gamma":
        case.no_grad = ("concentration",)        # torch has no igamma grad w.r.t. the shape
    de, le = build(ember, case)
    dt, lt = build(torch, case)
    v = case.value(np.random.default_rng(6))
    if name in ("exponential", "gamma"):
        v = np.abs(v)
    de.cdf(ember.tensor(v)).sum().backward()
    dt.cdf(torch.tensor(v)).sum().backward()
    for k in lt:
        assert_same(le[k].grad, lt[k].grad, rtol=1e-8, atol=1e-10, what=k)


def test_binomial_entropy_needs_a_homogeneous_total_count():
    for M in (ember, torch):
        d = M.distributions.Binomial(M.tensor([3.0, 4.0]), M.tensor([0.5, 0.5]))
        with pytest.raises(NotImplementedError, match="Inhomogeneous total count"):
            d.entropy()


def test_lazy_parameters_and_param_shape():
    for M in (ember, torch):
        b = M.distributions.Bernoulli(logits=M.tensor([0.0, 2.0]))
        assert "probs" not in b.__dict__
        assert_same(ember.tensor(np.array(b.probs.tolist())), torch.tensor(
            np.array(torch.sigmoid(torch.tensor([0.0, 2.0])).tolist())), rtol=1e-6)
        assert "probs" in b.__dict__ and tuple(b.param_shape) == (2,)
        c = M.distributions.Categorical(logits=M.tensor([[1.0, 2.0, 3.0]]))
        assert tuple(c.param_shape) == (1, 3) and tuple(c.batch_shape) == (1,)


def test_exponential_family_entropy_and_bregman_kl_agree_with_closed_forms():
    """The generic ExponentialFamily machinery (autograd of the log normaliser) gives the
    closed-form entropies and KL divergences."""
    from ember.distributions import ExponentialFamily
    from ember.distributions.kl import _kl_expfamily_expfamily
    D = ember.distributions
    rng = np.random.default_rng(3)
    pos = lambda: ember.tensor(rng.uniform(0.5, 3, 4))     # noqa: E731
    pairs = [(D.Normal(ember.tensor(rng.normal(size=4)), pos()),
              D.Normal(ember.tensor(rng.normal(size=4)), pos())),
             (D.Gamma(pos(), pos()), D.Gamma(pos(), pos())),
             (D.Exponential(pos()), D.Exponential(pos())),
             (D.Poisson(pos()), D.Poisson(pos())),
             (D.Bernoulli(ember.tensor(rng.uniform(0.1, 0.9, 4))),
              D.Bernoulli(ember.tensor(rng.uniform(0.1, 0.9, 4)))),
             (D.Beta(pos(), pos()), D.Beta(pos(), pos())),
             (D.Dirichlet(ember.tensor(rng.uniform(0.5, 3, (4, 3)))),
              D.Dirichlet(ember.tensor(rng.uniform(0.5, 3, (4, 3)))))]
    for p, q in pairs:
        if isinstance(p, (D.Normal, D.Gamma, D.Exponential, D.Bernoulli)):   # the ones with
            # a carrier-measure mean, as in torch
            np.testing.assert_allclose(ExponentialFamily.entropy(p)._data, p.entropy()._data,
                                       rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(_kl_expfamily_expfamily(p, q)._data,
                                   D.kl_divergence(p, q)._data, rtol=1e-4, atol=1e-5)


_pos = st.floats(0.05, 20.0)
_real = st.floats(-20.0, 20.0)


@given(loc=_real, scale=_pos, value=_real)
@settings(max_examples=30, deadline=None)
def test_normal_and_laplace_on_arbitrary_parameters(loc, scale, value):
    for cls in ("Normal", "Laplace"):
        e = getattr(ember.distributions, cls)(ember.tensor(loc, dtype=ember.float64), scale)
        t = getattr(torch.distributions, cls)(torch.tensor(loc, dtype=torch.float64), scale)
        v = np.float64(value)
        assert_same(e.log_prob(ember.tensor(v)), t.log_prob(torch.tensor(v)), rtol=1e-10)
        assert_same(e.cdf(ember.tensor(v)), t.cdf(torch.tensor(v)), rtol=1e-9, atol=1e-15)
        assert_same(e.entropy(), t.entropy(), rtol=1e-12)


@given(a=_pos, b=_pos, u=st.floats(0.001, 0.999))
@settings(max_examples=30, deadline=None)
def test_gamma_and_beta_on_arbitrary_parameters(a, b, u):
    f64 = dict(dtype=ember.float64)
    ge, gt = (ember.distributions.Gamma(ember.tensor(a, **f64), b),
              torch.distributions.Gamma(torch.tensor(a, dtype=torch.float64), b))
    v = np.float64(u * 10)
    assert_same(ge.log_prob(ember.tensor(v)), gt.log_prob(torch.tensor(v)), rtol=1e-10,
                atol=1e-12)
    assert_same(ge.cdf(ember.tensor(v)), gt.cdf(torch.tensor(v)), rtol=1e-7, atol=1e-12)
    assert_same(ge.entropy(), gt.entropy(), rtol=1e-10, atol=1e-12)
    be, bt = (ember.distributions.Beta(ember.tensor(a, **f64), b),
              torch.distributions.Beta(torch.tensor(a, dtype=torch.float64), b))
    assert_same(be.log_prob(ember.tensor(np.float64(u))), bt.log_prob(torch.tensor(np.float64(u))),
                rtol=1e-10, atol=1e-12)
    assert_same(be.entropy(), bt.entropy(), rtol=1e-10, atol=1e-12)


@given(rate=st.floats(0.01, 50.0), n=st.integers(0, 30), p=st.floats(0.01, 0.99),
       k=st.integers(0, 30))
@settings(max_examples=30, deadline=None)
def test_discrete_log_probs_on_arbitrary_parameters(rate, n, p, k):
    kk = float(min(k, n))
    assert_same(ember.distributions.Poisson(ember.tensor(rate, dtype=ember.float64))
                .log_prob(ember.tensor(float(k), dtype=ember.float64)),
                torch.distributions.Poisson(torch.tensor(rate, dtype=torch.float64))
                .log_prob(torch.tensor(float(k), dtype=torch.float64)), rtol=1e-10, atol=1e-12)
    assert_same(ember.distributions.Binomial(n, ember.tensor(p, dtype=ember.float64))
                .log_prob(ember.tensor(kk, dtype=ember.float64)),
                torch.distributions.Binomial(n, torch.tensor(p, dtype=torch.float64))
                .log_prob(torch.tensor(kk, dtype=torch.float64)), rtol=1e-10, atol=1e-12)
    assert_same(ember.distributions.Geometric(ember.tensor(p, dtype=ember.float64))
                .log_prob(ember.tensor(float(k), dtype=ember.float64)),
                torch.distributions.Geometric(torch.tensor(p, dtype=torch.float64))
                .log_prob(torch.tensor(float(k), dtype=torch.float64)), rtol=1e-10, atol=1e-12)
