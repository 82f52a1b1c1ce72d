"""kl_divergence against torch for every pair torch registers among ember's
distributions (values, infinities, gradients), and the register_kl dispatch."""
import warnings

import numpy as np
import pytest
import torch

import ember
from distributions.cases import CASES, build
from helpers import assert_same

# (p case, q case) for every registered pair; cases come from cases.py
PAIRS = [
    ("bernoulli", "bernoulli"), ("beta", "beta"), ("binomial", "binomial"),
    ("categorical", "categorical"), ("dirichlet", "dirichlet"),
    ("exponential", "exponential"), ("gamma", "gamma"), ("geometric", "geometric"),
    ("laplace", "laplace"), ("mvn_cov", "mvn_scale_tril"), ("mvn_precision", "mvn_precision"),
    ("mvn_scale_tril", "mvn_cov"),
    ("normal", "normal"), ("one_hot_categorical", "one_hot_categorical"),
    ("poisson", "poisson"), ("uniform", "uniform"), ("independent_normal", "independent_normal"),
    ("bernoulli", "poisson"), ("beta", "exponential"), ("beta", "gamma"), ("beta", "normal"),
    ("beta", "uniform"), ("exponential", "beta"), ("exponential", "uniform"),
    ("exponential", "gamma"), ("exponential", "normal"), ("gamma", "beta"),
    ("gamma", "uniform"), ("gamma", "exponential"), ("gamma", "normal"), ("laplace", "beta"),
    ("laplace", "exponential"), ("laplace", "gamma"), ("laplace", "uniform"),
    ("laplace", "normal"), ("normal", "beta"), ("normal", "exponential"), ("normal", "gamma"),
    ("normal", "uniform"), ("normal", "laplace"), ("poisson", "bernoulli"),
    ("poisson", "binomial"), ("uniform", "beta"), ("uniform", "exponential"),
    ("uniform", "gamma"), ("uniform", "normal"),
]


def _case(name, seed, batch=(2, 3)):
    case = CASES[name](np.random.default_rng(seed), batch)
    if name == "uniform" and seed % 2:
        # a Uniform inside [0, 1] (so KL to a Beta is finite) or overlapping another
        case.params["low"] = np.random.default_rng(seed).uniform(0.05, 0.4, batch)
        case.params["high"] = case.params["low"] + 0.5
    return case


@pytest.mark.parametrize("p_name,q_name", PAIRS, ids=[f"{p}-{q}" for p, q in PAIRS])
@pytest.mark.parametrize("seed", [0, 1])
def test_kl_matches_torch(p_name, q_name, seed):
    pc, qc = _case(p_name, seed), _case(q_name, seed + 10)
    pe, ple = build(ember, pc)
    qe, qle = build(ember, qc)
    pt, plt = build(torch, pc)
    qt, qlt = build(torch, qc)
    try:
        kt = torch.distributions.kl_divergence(pt, qt)
    except NotImplementedError as exc:
        with pytest.raises(NotImplementedError, match=str(exc)[:30]):
            ember.distributions.kl_divergence(pe, qe)
        return
    ke = ember.distributions.kl_divergence(pe, qe)
    assert_same(ke, kt, rtol=1e-8, atol=1e-10)
    finite = np.isfinite(kt.detach().numpy())
    if kt.requires_grad and finite.any():
        w = np.where(finite, np.random.default_rng(seed).normal(size=finite.shape), 0.0)
        fe, ft = ember.tensor(finite), torch.tensor(finite)
        (ember.where(fe, ke, 0.0) * ember.tensor(w)).sum().backward()
        (torch.where(ft, kt, 0.0) * torch.tensor(w)).sum().backward()
        for leaves_e, leaves_t in ((ple, plt), (qle, qlt)):
            for k in leaves_t:
                if leaves_t[k].grad is None:
                    assert leaves_e[k].grad is None or not bool(leaves_e[k].grad.any())
                else:
                    assert_same(leaves_e[k].grad, leaves_t[k].grad, rtol=1e-7, atol=1e-9,
                                what=f"grad of {k}")


def test_kl_of_a_distribution_with_itself_is_zero():
    D = ember.distributions
    for name in ("normal", "gamma", "beta", "dirichlet", "categorical", "mvn_cov", "poisson"):
        d, _ = build(ember, _case(name, 3), requires_grad=False)
        np.testing.assert_allclose(D.kl_divergence(d, d)._data, 0, atol=1e-9)


def test_kl_infinities_and_support_rules_match_torch():
    for M in (ember, torch):
        D = M.distributions
        k = D.kl_divergence(D.Uniform(M.tensor([0.0, 0.0]), M.tensor([1.0, 1.0])),
                            D.Uniform(M.tensor([0.5, -1.0]), M.tensor([2.0, 2.0])))
        assert k.tolist()[0] == float("inf") and np.isfinite(k.tolist()[1])
        k = D.kl_divergence(D.Bernoulli(M.tensor([0.3, 0.0])), D.Bernoulli(M.tensor([0.0, 0.4])))
        assert k.tolist()[0] == float("inf") and np.isclose(k.tolist()[1], -np.log(0.6))
        c = D.kl_divergence(D.Categorical(M.tensor([0.5, 0.5, 0.0])),
                            D.Categorical(M.tensor([0.5, 0.0, 0.5])))
        assert c.item() == float("inf")


def test_binomial_kl_needs_q_count_not_larger():
    for M in (ember, torch):
        D = M.distributions
        p = D.Binomial(M.tensor(3.0), M.tensor(0.5))
        q = D.Binomial(M.tensor(5.0), M.tensor(0.5))
        with pytest.raises(NotImplementedError, match="q.total_count > p.total_count"):
            D.kl_divergence(p, q)
        assert D.kl_divergence(q, p).item() == float("inf")


def test_unregistered_pair_raises_torchs_error():
    D = ember.distributions
    with pytest.raises(NotImplementedError, match="cross KL-divergence between different "
                                                  "exponential families"):
        D.kl_divergence(D.Normal(0.0, 1.0), D.Bernoulli(0.5))
    with pytest.raises(NotImplementedError,
                       match="No KL\\(p \\|\\| q\\) is implemented for p type Laplace and q "
                             "type Poisson"):
        D.kl_divergence(D.Laplace(0.0, 1.0), D.Poisson(2.0))
    with pytest.raises(NotImplementedError):
        D.kl_divergence(D.Independent(D.Normal(ember.zeros(2, 2), 1.0), 1),
                        D.Independent(D.Normal(ember.zeros(2, 2), 1.0), 2))


def test_register_kl_dispatches_to_the_most_specific_pair():
    D = ember.distributions

    class MyNormal(D.Normal):
        pass

    class MyOtherNormal(D.Normal):
        pass

    p, q = MyNormal(0.0, 1.0), D.Normal(1.0, 1.0)
    assert np.isclose(D.kl_divergence(p, q).item(), 0.5)       # inherited (Normal, Normal)

    @D.register_kl(MyNormal, D.Normal)
    def _kl_mine(p, q):
        return ember.tensor(42.0)

    assert D.kl_divergence(p, q).item() == 42.0
    assert np.isclose(D.kl_divergence(q, p).item(), 0.5)

    @D.register_kl(D.Normal, MyOtherNormal)
    def _kl_other(p, q):
        return ember.tensor(7.0)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        D.kl_divergence(MyNormal(0.0, 1.0), MyOtherNormal(0.0, 1.0))
    assert any("Ambiguous kl_divergence(MyNormal, MyOtherNormal)" in str(w.message)
               for w in caught)
    with pytest.raises(TypeError, match="Distribution subclass"):
        D.register_kl(int, D.Normal)
