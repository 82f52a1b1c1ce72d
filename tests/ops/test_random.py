"""Sampling functions and in-place fills: torch's shapes, dtypes, argument checks and
graph nodes (differential), and the right distributions (statistical tests with
fixed seeds: moments plus Kolmogorov-Smirnov or chi-square)."""
import math
import warnings

import numpy as np
import pytest
import torch

import ember
from helpers import assert_same_error
from distributions.gof import (ALPHA, binomial_pmf, chi_square_counts_pvalue,
                               chi_square_pvalue, gamma_cdf, ks_pvalue, log_pmf_poisson,
                               normal_cdf)

N = 20000


def gen(seed=0):
    return ember.Generator().manual_seed(seed)


def _eval(expr, module):
    return eval(expr, {"M": module, "math": math})


# ------------------------------------------------------ shapes and dtypes
SHAPE_DTYPE_CASES = [
    "M.rand(2, 3)", "M.rand((2, 3))", "M.rand([2, 3])", "M.rand(size=(2, 3))", "M.rand(0)",
    "M.rand(2, dtype=M.float64)", "M.rand(3, dtype=M.float16)", "M.rand(())",
    "M.randn(4, 1)", "M.randn(2, dtype=M.float64)", "M.randn(0, 3)",
    "M.rand_like(M.zeros(2, 3, dtype=M.float64))", "M.randn_like(M.zeros(2))",
    "M.rand_like(M.zeros(2), dtype=M.float64)",
    "M.randint(5, (3,))", "M.randint(3, 10, (2, 2))", "M.randint(10, (2,), dtype=M.float32)",
    "M.randint(0, 2, (4,), dtype=M.bool)", "M.randint(low=1, high=3, size=(2,))",
    "M.randint(high=3, size=(2,))", "M.randint(-5, 3, (6,), dtype=M.int8)",
    "M.randint(0, 2**63 - 1, (2,))", "M.randint(-2**63, 2**63 - 1, (2,))",
    "M.randint_like(M.zeros(2), 5)", "M.randint_like(M.zeros(2, dtype=M.int32), 3, 5)",
    "M.randperm(5)", "M.randperm(0)", "M.randperm(5, dtype=M.float32)",
    "M.normal(M.zeros(3), M.ones(3))", "M.normal(0.0, M.ones(3))", "M.normal(M.zeros(3), 1.0)",
    "M.normal(0.0, 1.0, (2, 3))", "M.normal(0, 1, size=(2,), dtype=M.float64)",
    "M.normal(M.zeros(2, 3), M.ones(3))", "M.normal(M.zeros(3, dtype=M.float64), M.ones(3))",
    "M.normal(mean=M.zeros(2))", "M.normal(M.zeros(1, 2), M.ones(3, 1))",
    "M.bernoulli(M.full((3,), 0.5))", "M.bernoulli(M.full((2,), 0.5, dtype=M.float64))",
    "M.bernoulli(M.zeros(3), 0.3)", "M.bernoulli(M.zeros(3), p=M.tensor(0.5))",
    "M.zeros(3, dtype=M.int64).bernoulli(0.5)", "M.zeros(2, 2).bernoulli()",
    "M.poisson(M.tensor([1.0, 2.0]))", "M.poisson(M.ones(2, 2, dtype=M.float64))",
    "M.binomial(M.tensor([10.0, 5.0]), M.tensor([0.5, 0.2]))",
    "M.multinomial(M.tensor([0.2, 0.8]), 3, True)", "M.multinomial(M.ones(4), 4)",
    "M.multinomial(M.ones(3, 5, dtype=M.float64), 2)", "M.ones(2, 3).multinomial(3)",
    "M.multinomial(M.tensor([0.0, 0.8, 0.0]), 2)",
    "M._standard_gamma(M.ones(3))", "M._standard_gamma(M.ones(2, dtype=M.float64))",
    "M.zeros(3).uniform_()", "M.zeros(3).uniform_(2, 5)", "M.zeros(3).normal_(0, 0.01)",
    "M.zeros(3).random_()", "M.zeros(3).random_(5)", "M.zeros(3).random_(2, 5)",
    "M.zeros(3, dtype=M.int64).random_()", "M.zeros(3, dtype=M.uint8).random_()",
    "M.zeros(3, dtype=M.bool).random_()", "M.zeros(3, dtype=M.int8).random_(-5, 3)",
    "M.zeros(3).random_(2, None)", "M.zeros(3, dtype=M.float16).random_()",
    "M.zeros(3).exponential_()", "M.zeros(3).exponential_(2.5)",
    "M.zeros(3).geometric_(0.3)", "M.zeros(3, dtype=M.int64).geometric_(0.5)",
    "M.zeros(3).cauchy_()", "M.zeros(3).log_normal_()", "M.zeros(3).log_normal_(0, 0.5)",
    "M.zeros(3).bernoulli_()", "M.zeros(3).bernoulli_(0.2)",
    "M.zeros(3, dtype=M.int64).bernoulli_(0.5)",
    "M.zeros(3).bernoulli_(M.tensor([0.1, 0.2, 0.3], dtype=M.float64))",
    "M.zeros(2, 3).bernoulli_(M.tensor([0.1, 0.2, 0.3]))",
]


@pytest.mark.parametrize("expr", SHAPE_DTYPE_CASES)
def test_shape_and_dtype_match_torch(expr):
    e, t = _eval(expr, ember), _eval(expr, torch)
    assert tuple(e.shape) == tuple(t.shape)
    assert e.dtype.name == str(t.dtype).replace("torch.", "")
    assert e.requires_grad == t.requires_grad


def test_values_are_in_range():
    g = gen(1)
    assert ember.rand(1000, generator=g).min() >= 0 and ember.rand(1000, generator=g).max() < 1
    x = ember.randint(-3, 4, (1000,), generator=g)
    assert x.min().item() == -3 and x.max().item() == 3
    assert sorted(ember.randperm(50, generator=g).tolist()) == list(range(50))
    assert set(ember.zeros(1000).random_(5, generator=g).tolist()) == {0.0, 1, 2, 3, 4}
    top = ember.zeros(1000).random_(generator=g)
    assert top.max().item() <= 2 ** 24 and bool((top == top.floor()).all())
    assert set(ember.zeros(500, dtype=ember.bool).random_(generator=g).tolist()) == {False, True}
    assert ember.zeros(500).geometric_(0.5, generator=g).min().item() >= 1
    assert ember.zeros(500).exponential_(generator=g).min().item() >= 0
    assert ember.zeros(500).log_normal_(generator=g).min().item() > 0
    u = ember.zeros(500).uniform_(2, 5, generator=g)
    assert u.min().item() >= 2 and u.max().item() < 5


# --------------------------------------------------------- argument checks
ERROR_CASES = [
    "M.randint(5, 2, (3,))", "M.randint(0, 300, (2,), dtype=M.uint8)",
    "M.randint(-1, 3, (2,), dtype=M.uint8)", "M.randint(0, 3, (2,), dtype=M.bool)",
    "M.randint(2.5, (3,))", "M.randint_like(M.zeros(2), 5, 2)",
    "M.randperm(-1)", "M.randperm(300, dtype=M.uint8)", "M.rand(-1)", "M.rand(2, -3)",
    "M.rand(2, dtype=M.int64)", "M.randn(2, dtype=M.int64)", "M.rand(2.5)",
    "M.rand_like(M.zeros(2, dtype=M.int64))",
    "M.normal(0.0, -1.0, (2, 3))", "M.normal(M.zeros(3), -M.ones(3))",
    "M.normal(M.zeros(3), M.ones(2))", "M.normal(M.zeros(2, 3), M.ones(6))",
    "M.normal(M.tensor([1, 2]), 1.0)", "M.normal(M.zeros(3), -1.0)",
    "M.bernoulli(M.tensor([0.5, 1.5]))", "M.bernoulli(M.tensor([1, 0]))",
    "M.bernoulli(M.zeros(3), p=1.3)",
    "M.poisson(M.tensor([1.0, -1.0]))", "M.poisson(M.tensor([1, 2]))",
    "M.poisson(M.tensor([float('nan')]))",
    "M.binomial(M.tensor([10, 5]), M.tensor([0.5, 0.2]))",
    "M.multinomial(M.tensor([0.2, -0.1]), 1)", "M.multinomial(M.tensor([]), 1)",
    "M.multinomial(M.tensor([0.2, 0.8]), 3)", "M.multinomial(M.tensor([0.0, 0.0]), 1)",
    "M.multinomial(M.tensor([[0.0, 0.0]]), 1)", "M.multinomial(M.ones(2, 2, 2), 1)",
    "M.multinomial(M.tensor([1, 2]), 1)", "M.multinomial(M.tensor(1.0), 1)",
    "M.multinomial(M.tensor([0.2, 0.8]), 0)", "M.multinomial(M.tensor([0.2, 0.8]), -1)",
    "M.multinomial(M.tensor([float('inf'), 0.8]), 1)",
    "M.multinomial(M.tensor([float('nan'), 0.8]), 1, True)",
    "M.multinomial(M.zeros(2, 0), 1)", "M.zeros(2, 3).multinomial(1)",
    "M.multinomial(M.tensor([]), 1, True)", "M.multinomial(M.zeros(2, 0), 2, True)",
    "M.multinomial(M.tensor([]), 3, True)",
    # each path's own messages: one draw / without replacement check the whole tensor,
    # several with replacement walk row by row (first bad entry, then the row's sum)
    *(f"M.multinomial(M.tensor({w}), {n}, {rep})"
      for w in ("[1., -1.]", "[-1., 1.]", "[1., float('inf')]", "[1., float('nan')]",
                "[1., -float('inf')]", "[float('nan'), -1.]", "[float('inf'), -1.]",
                "[-1., float('inf')]", "[0., 0.]", "[[1., 2.], [1., -1.]]",
                "[[1., 2.], [0., 0.]]", "[[float('nan'), 1.], [1., 1.]]",
                "[[1., 2.], [float('inf'), 1.]]", "[[0., 0.], [1., -1.]]",
                "[[1., -1.], [0., 0.]]", "[[1., float('inf')], [-1., 0.]]")
      for n in (1, 2) for rep in (True, False)),
    "M.multinomial(M.tensor([1., -1.], dtype=M.float16), 3, True)",
    "M.multinomial(M.tensor([[float('inf')], [-1.]], dtype=M.float64), 5, True)",
    "M.zeros(3).random_(5, 2)", "M.zeros(3, dtype=M.uint8).random_(-5, 3)",
    "M.zeros(3, dtype=M.uint8).random_(0, 300)",
    "M.zeros(3).exponential_(-1)", "M.zeros(3).exponential_(0)",
    "M.zeros(3, dtype=M.int64).exponential_()",
    "M.zeros(3).geometric_(0)", "M.zeros(3).geometric_(1.5)", "M.zeros(3).geometric_(1)",
    "M.zeros(3, dtype=M.int64).cauchy_()", "M.zeros(3).cauchy_(0, -1)",
    "M.zeros(3).cauchy_(0, 0)", "M.zeros(3, dtype=M.int64).log_normal_()",
    "M.zeros(3).log_normal_(1, -1)", "M.zeros(3).log_normal_(1, 0)",
    "M.zeros(3).normal_(0, -1)", "M.zeros(3).uniform_(2, 1)",
    "M.zeros(3, dtype=M.int64).uniform_()", "M.zeros(3, dtype=M.int64).normal_()",
    "M.zeros(3).bernoulli_(1.5)", "M.zeros(3).bernoulli_(M.tensor([0.1, 1.2, 0.3]))",
    "M.zeros(3).bernoulli_(M.tensor([0.1, 0.3]))",
    "M.zeros(3, requires_grad=True).normal_()", "M.zeros(3, requires_grad=True).uniform_()",
    "M.Generator().manual_seed(1.5)", "M.manual_seed(2**64)",
    "M.Generator().manual_seed(-2**63 - 1)", "M.Generator().set_state(M.zeros(3))",
]


@pytest.mark.parametrize("expr", ERROR_CASES)
def test_errors_match_torch(expr):
    with pytest.raises(Exception) as te:
        _eval(expr, torch)
    with pytest.raises(Exception) as ee:
        _eval(expr, ember)
    assert type(ee.value).__name__ == type(te.value).__name__, (ee.value, te.value)
    # torch's argument-parser messages list every overload; compare their first words only
    tmsg, emsg = str(te.value), str(ee.value)
    if "invalid combination of arguments" in tmsg or "must be" in tmsg and "argument" in tmsg:
        assert emsg.split(" - ")[0].split(",")[0] == tmsg.split(" - ")[0].split(",")[0]
    else:
        assert emsg.split("\n")[0] == tmsg.split("\n")[0]


def test_failed_fill_leaves_tensor_unchanged():
    x = ember.arange(3.0)
    with pytest.raises(RuntimeError):
        x.uniform_(2, 1)
    with pytest.raises(RuntimeError):
        x.bernoulli_(ember.tensor([0.1, 1.2, 0.3]))
    assert x.tolist() == [0.0, 1.0, 2.0] and x._version == 0


@pytest.mark.parametrize("expr", ["M.randint(1, 2.5, (3,))", "M.randint(1, 2, 3, 4)",
                                  "M.randint(0, 10, size=(2,), low=1)",
                                  "M.rand_like(M.ones(2), out=M.ones(2))", "M.rand(2, out=3)"])
def test_invalid_combination_lists_torchs_overloads(expr):
    # the whole message: the argument types as given, then every overload torch lists
    with pytest.raises(TypeError) as te:
        _eval(expr, torch)
    with pytest.raises(TypeError) as ee:
        _eval(expr, ember)
    assert str(ee.value) == str(te.value)


def test_unknown_keywords_are_rejected():
    # rand and randn have several signatures: torch's parser lists them (first line here)
    for call in (lambda m: m.rand(3, foo=1), lambda m: m.randn(3, sizes=(2,))):
        assert_same_error(call, first_line=True)
    for call in (lambda: ember.zeros(2).uniform_(0, 1, low=0),
                 lambda: ember.zeros(2).random_(0, 5, high=3)):
        with pytest.raises(TypeError, match="unexpected keyword argument"):
            call()
    x = ember.zeros(3)
    x.uniform_(**{"from": 2.0, "to": 3.0})
    assert bool((x >= 2).all())
    x.random_(**{"from": 7, "to": 9})
    assert set(x.tolist()) <= {7.0, 8.0}


def test_generator_argument_type_is_checked():
    with pytest.raises(TypeError, match="Generator"):
        ember.rand(2, generator=5)
    with pytest.raises(TypeError, match="Generator"):
        ember.zeros(2).normal_(generator="seed")


# ------------------------------------------------------- graph behaviour
@pytest.mark.parametrize("expr,node", [
    ("M.normal(m, s)", "NormalBackward3"), ("M.normal(m, 1.0)", "NormalBackward1"),
    ("M.normal(0.0, s)", "NormalBackward2"), ("M.bernoulli(p)", "BernoulliBackward0"),
    ("M.poisson(s)", "PoissonBackward0"),
])
def test_sampling_records_torchs_node_with_zero_gradient(expr, node):
    for M in (ember, torch):
        m = M.zeros(3, requires_grad=True)
        s = M.ones(3, requires_grad=True)
        p = M.full((3,), 0.5, requires_grad=True)
        out = eval(expr, {"M": M, "m": m, "s": s, "p": p})
        assert type(out.grad_fn).__name__ == node
        out.sum().backward()
        for leaf in (m, s, p):
            assert leaf.grad is None or not bool(leaf.grad.any())


def test_multinomial_and_randint_have_no_graph():
    p = ember.full((3,), 0.5, requires_grad=True)
    assert ember.multinomial(p, 2).grad_fn is None
    assert not ember.multinomial(p, 2).requires_grad


def test_in_place_fill_writes_through_data_view_and_bumps_version():
    # the D2L idiom: w.data.normal_(0, 0.01) initialises a parameter in place
    w = ember.zeros(2, 3, requires_grad=True)
    data = w.data
    data.normal_(0, 0.01, generator=gen())
    assert bool((w != 0).all()) and w.requires_grad and w.is_leaf
    assert float(w.abs().max()) < 0.1
    # as in torch, .data has its own version counter; detach() shares w's
    assert data._version == 1 and w._version == 0
    y = w * w
    w.detach().uniform_()
    assert w._version == 1
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()       # MulBackward0 saved w before the fill
    for fill in ("uniform_", "bernoulli_", "random_", "exponential_", "cauchy_",
                 "log_normal_", "normal_"):
        before = data._version
        getattr(data, fill)()
        assert data._version == before + 1
    data.geometric_(0.5)
    assert bool((w >= 1).all())


def test_fill_of_a_view_changes_the_base():
    x = ember.zeros(4, 4)
    x[1].uniform_(5, 6, generator=gen())
    assert bool((x[1] >= 5).all()) and float(x[0].abs().sum()) == 0
    x[:, 2].fill_(0).normal_(10, 0.1)
    assert bool((x[:, 2] > 9).all())


def test_fills_keep_dtype_and_shape():
    for dt in (ember.float16, ember.float32, ember.float64):
        x = ember.empty(5, 2, dtype=dt)
        for fill in ("uniform_", "normal_", "exponential_", "cauchy_", "log_normal_",
                     "random_", "bernoulli_"):
            assert getattr(x, fill)() is x
            assert x.dtype is dt and tuple(x.shape) == (5, 2)


# ---------------------------------------------------- statistical tests
def _standard(x):
    return np.asarray(x._data, dtype=np.float64).ravel()


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64])
def test_rand_is_uniform(dtype):
    x = _standard(ember.rand(N, generator=gen(1), dtype=dtype))
    assert abs(x.mean() - 0.5) < 5 * math.sqrt(1 / 12 / N)
    assert abs(x.var() - 1 / 12) < 0.003
    assert ks_pvalue(x, lambda v: v) > ALPHA


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64])
def test_randn_is_standard_normal(dtype):
    x = _standard(ember.randn(N, generator=gen(2), dtype=dtype))
    assert abs(x.mean()) < 5 / math.sqrt(N) and abs(x.var() - 1) < 0.05
    assert ks_pvalue(x, normal_cdf()) > ALPHA


def test_wrong_distributions_are_rejected():
    """The tests have power: samples from a distribution a few percent off fail."""
    x = _standard(ember.randn(N, generator=gen(3)))
    assert ks_pvalue(x, normal_cdf(0.0, 1.0)) > ALPHA
    assert ks_pvalue(x, normal_cdf(0.0, 1.08)) < 1e-4
    assert ks_pvalue(x, normal_cdf(0.05, 1.0)) < 1e-4
    u = _standard(ember.rand(N, generator=gen(4)))
    assert ks_pvalue(u, lambda v: np.clip(v / 0.97, 0, 1)) < 1e-4
    k = _standard(ember.poisson(ember.full((N,), 3.0), generator=gen(5)))
    assert chi_square_pvalue(k, log_pmf_poisson(3.2), np.arange(12)) < 1e-4
    assert chi_square_pvalue(k, log_pmf_poisson(3.0), np.arange(12)) > ALPHA
    r = _standard(ember.randint(0, 6, (N,), generator=gen(6)))
    loaded = np.array([0.18, 0.164, 0.164, 0.164, 0.164, 0.164])
    assert chi_square_pvalue(r, lambda s: loaded[s], np.arange(6)) < 1e-4


@pytest.mark.parametrize("form", ["tensor_tensor", "tensor_float", "float_tensor",
                                  "float_float"])
def test_normal_overloads_have_the_right_distribution(form):
    mean = ember.tensor([-3.0, 0.0, 5.0]).repeat(N // 3)
    std = ember.tensor([0.5, 1.0, 2.0]).repeat(N // 3)
    g = gen(7)
    if form == "tensor_tensor":
        x, m, s = ember.normal(mean, std, generator=g), mean, std
    elif form == "tensor_float":
        x, m, s = ember.normal(mean, 2.0, generator=g), mean, 2.0
    elif form == "float_tensor":
        x, m, s = ember.normal(1.5, std, generator=g), 1.5, std
    else:
        x, m, s = ember.normal(1.5, 2.0, (N,), generator=g), 1.5, 2.0
    z = _standard((x - m) / s)
    assert abs(z.mean()) < 5 / math.sqrt(z.size) and abs(z.var() - 1) < 0.05
    assert ks_pvalue(z, normal_cdf()) > ALPHA


def test_randint_is_uniform_over_its_range():
    x = _standard(ember.randint(-2, 5, (N,), generator=gen(8)))
    assert chi_square_pvalue(x, lambda s: np.full(len(s), 1 / 7), np.arange(-2, 5)) > ALPHA
    big = _standard(ember.randint(0, 2 ** 40, (N,), generator=gen(9)))
    assert ks_pvalue(big / 2 ** 40, lambda v: v) > ALPHA


def test_randperm_positions_are_uniform():
    g = gen(10)
    n = 6
    first = np.array([ember.randperm(n, generator=g)[0].item() for _ in range(3000)])
    assert chi_square_pvalue(first, lambda s: np.full(len(s), 1 / n), np.arange(n)) > ALPHA
    perms = ember.stack([ember.randperm(n, generator=g) for _ in range(200)])
    assert bool((perms.sort(dim=1)[0] == ember.arange(n)).all())


def test_bernoulli_frequencies():
    p = ember.tensor([0.1, 0.5, 0.9]).repeat(N // 3)
    x = ember.bernoulli(p, generator=gen(11))._data.reshape(-1, 3)
    n = x.shape[0]
    for j, pj in enumerate([0.1, 0.5, 0.9]):
        k = x[:, j].sum()
        assert abs(k / n - pj) < 5 * math.sqrt(pj * (1 - pj) / n)
    fill = ember.empty(N).bernoulli_(0.3, generator=gen(12))
    assert chi_square_counts_pvalue([(fill == 0).sum().item(), (fill == 1).sum().item()],
                                    [0.7 * N, 0.3 * N]) > ALPHA


@pytest.mark.parametrize("rate", [0.5, 4.0, 30.0])
def test_poisson_matches_its_pmf(rate):
    x = _standard(ember.poisson(ember.full((N,), rate), generator=gen(13)))
    assert abs(x.mean() - rate) < 5 * math.sqrt(rate / N)
    support = np.arange(int(rate + 10 * math.sqrt(rate) + 10))
    assert chi_square_pvalue(x, log_pmf_poisson(rate), support) > ALPHA


def test_binomial_matches_its_pmf():
    x = _standard(ember.binomial(ember.full((N,), 12.0), ember.full((N,), 0.3),
                                 generator=gen(14)))
    assert chi_square_pvalue(x, binomial_pmf(12, 0.3), np.arange(13)) > ALPHA


# (count, prob) where torch's sampler gives a fixed value (validation is only in
# distributions.Binomial, so any float reaches it): 0 for count <= 0 or prob <= 0,
# count itself for prob >= 1, NaN for a NaN prob
FIXED_BINOMIAL = [(-1.0, 0.5), (-2.5, 0.5), (-math.inf, 0.5), (3.0, -0.5), (3.0, 1.5),
                  (3.0, math.nan), (3.0, 0.0), (3.0, 1.0), (0.0, 0.5), (-1.0, 1.5),
                  (math.nan, math.nan), (5.0, math.inf), (5.0, -math.inf), (-1.0, math.nan),
                  (0.0, math.nan), (2.7, 0.0), (2.7, 1.0), (-2.0, 0.0)]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("count, prob", FIXED_BINOMIAL, ids=str)
def test_binomial_outside_its_domain_gives_torchs_values(count, prob, dtype):
    def run(m):
        dt = getattr(m, dtype)
        return m.binomial(m.full((4,), count, dtype=dt), m.full((4,), prob, dtype=dt))
    e, t = run(ember), run(torch)
    assert e.dtype == getattr(ember, dtype) and tuple(e.shape) == (4,)
    np.testing.assert_array_equal(e.numpy(), t.numpy())


def test_binomial_distribution_samples_a_negative_count_as_zero_without_validation():
    d = ember.distributions.Binomial(-1, ember.tensor([0.5]), validate_args=False)
    t = torch.distributions.Binomial(-1, torch.tensor([0.5]), validate_args=False)
    assert d.sample((3,)).tolist() == t.sample((3,)).tolist() == [[0.0]] * 3


@pytest.mark.parametrize("count, prob", [(2.7, 0.5), (2.7, 0.7), (30.7, 0.7), (30.7, 0.3)])
def test_binomial_of_a_fractional_count_is_in_torchs_support(count, prob):
    # floor(count) trials; torch counts failures above prob 0.5, so the fraction stays
    x = _standard(ember.binomial(ember.full((2000,), count, dtype=ember.float64),
                                 ember.full((2000,), prob, dtype=ember.float64), generator=gen(3)))
    base = count - math.floor(count) if prob > 0.5 else 0.0
    support = base + np.arange(math.floor(count) + 1)
    assert np.isin(x, support).all()
    assert len(np.unique(x)) > 1
    assert abs(x.mean() - math.floor(count) * prob - base * (prob > 0.5)) < 0.2 * math.sqrt(count)


def test_binomial_of_a_count_past_int64_is_near_its_mean():
    x = _standard(ember.binomial(ember.full((100,), 1e20), ember.full((100,), 0.5), generator=gen(4)))
    np.testing.assert_allclose(x, 5e19, rtol=1e-6)


@pytest.mark.parametrize("count", [math.nan, math.inf])
def test_binomial_of_a_nan_or_infinite_count_is_nan(count):
    # (torch hangs on NaN and gives inf or NaN at random for inf)
    x = ember.binomial(ember.full((3,), count), ember.full((3,), 0.5))
    assert np.isnan(x.numpy()).all()


def test_multinomial_with_replacement_matches_probs():
    w = ember.tensor([1.0, 0.0, 3.0, 6.0])          # unnormalised, with a zero
    x = _standard(ember.multinomial(w, N, True, generator=gen(15)))
    assert not np.any(x == 1)
    counts = np.bincount(x.astype(int), minlength=4)
    assert chi_square_counts_pvalue(counts[[0, 2, 3]], np.array([0.1, 0.3, 0.6]) * N) > ALPHA


def test_batched_multinomial_rows_are_independent_distributions():
    w = ember.tensor([[0.7, 0.3, 0.0], [0.0, 0.0, 1.0], [0.2, 0.2, 0.6]], dtype=ember.float64)
    x = ember.multinomial(w, 6000, True, generator=gen(16))._data
    assert x.shape == (3, 6000)
    assert set(np.unique(x[1])) == {2}
    for row, probs in ((0, [0.7, 0.3]), (2, [0.2, 0.2, 0.6])):
        counts = np.bincount(x[row], minlength=len(probs))[:len(probs)]
        assert chi_square_counts_pvalue(counts, np.array(probs) * 6000) > ALPHA


def test_multinomial_without_replacement_never_repeats():
    g = gen(17)
    w = ember.rand(50, 20, generator=g) + 0.01
    for k in (1, 5, 20):
        idx = ember.multinomial(w, k, generator=g)._data
        assert all(len(set(row)) == k for row in idx)
    # zero-weight categories come only after every positive one is used
    idx = ember.multinomial(ember.tensor([0.0, 0.8, 0.0, 0.2]), 4, generator=g).tolist()
    assert sorted(idx[:2]) == [1, 3] and sorted(idx) == [0, 1, 2, 3]


def test_multinomial_without_replacement_draws_sequentially():
    """First draw ∝ p; second draw ∝ p over the rest."""
    p = np.array([0.5, 0.3, 0.2])
    x = ember.multinomial(ember.tensor(p).repeat(N, 1), 2, generator=gen(18))._data
    first = np.bincount(x[:, 0], minlength=3)
    assert chi_square_counts_pvalue(first, p * N) > ALPHA
    second_given_0 = x[x[:, 0] == 0, 1]
    expected = np.array([0.3, 0.2]) / 0.5 * second_given_0.size
    assert chi_square_counts_pvalue(np.bincount(second_given_0, minlength=3)[1:],
                                    expected) > ALPHA


def test_uniform_fill_is_uniform():
    x = _standard(ember.empty(N, dtype=ember.float64).uniform_(-2, 3, generator=gen(19)))
    assert ks_pvalue(x, lambda v: np.clip((v + 2) / 5, 0, 1)) > ALPHA


def test_normal_fill_is_normal():
    x = _standard(ember.empty(N).normal_(1.0, 0.5, generator=gen(20)))
    assert ks_pvalue(x, normal_cdf(1.0, 0.5)) > ALPHA


def test_exponential_fill():
    x = _standard(ember.empty(N, dtype=ember.float64).exponential_(2.5, generator=gen(21)))
    assert abs(x.mean() - 0.4) < 5 * 0.4 / math.sqrt(N)
    assert ks_pvalue(x, lambda v: 1 - np.exp(-2.5 * v)) > ALPHA


def test_geometric_fill():
    x = _standard(ember.empty(N).geometric_(0.3, generator=gen(22)))
    pmf = lambda k: 0.3 * 0.7 ** (k - 1.0)          # noqa: E731  trials to first success
    assert chi_square_pvalue(x, pmf, np.arange(1, 30)) > ALPHA


def test_cauchy_fill():
    x = _standard(ember.empty(N, dtype=ember.float64).cauchy_(1.0, 2.0, generator=gen(23)))
    assert abs(np.median(x) - 1.0) < 0.1
    assert ks_pvalue(x, lambda v: 0.5 + np.arctan((v - 1.0) / 2.0) / np.pi) > ALPHA


def test_log_normal_fill():
    x = _standard(ember.empty(N, dtype=ember.float64).log_normal_(0.5, 0.8, generator=gen(24)))
    assert ks_pvalue(np.log(x), normal_cdf(0.5, 0.8)) > ALPHA


def test_random_fill_is_uniform():
    x = _standard(ember.empty(N).random_(3, 9, generator=gen(25)))
    assert chi_square_pvalue(x, lambda s: np.full(len(s), 1 / 6), np.arange(3, 9)) > ALPHA


@pytest.mark.parametrize("alpha", [0.3, 1.0, 4.5, 80.0])
def test_standard_gamma_matches_its_cdf(alpha):
    x = _standard(ember._standard_gamma(ember.full((N,), alpha, dtype=ember.float64),
                                        generator=gen(26)))
    assert abs(x.mean() - alpha) < 5 * math.sqrt(alpha / N)
    assert ks_pvalue(x, gamma_cdf(alpha)) > ALPHA


# --------------------------------------------------------- reproducibility
SEEDED = [
    "M.rand(5, generator=g)", "M.randn(5, generator=g)", "M.randint(0, 9, (5,), generator=g)",
    "M.randperm(9, generator=g)", "M.normal(M.zeros(5), 1.0, generator=g)",
    "M.bernoulli(M.full((5,), 0.5), generator=g)", "M.poisson(M.ones(5), generator=g)",
    "M.multinomial(M.ones(9), 5, generator=g)", "M.multinomial(M.ones(9), 5, True, generator=g)",
    "M.zeros(5).uniform_(generator=g)", "M.zeros(5).normal_(generator=g)",
    "M.zeros(5).random_(generator=g)", "M.zeros(5).exponential_(generator=g)",
    "M.zeros(5).geometric_(0.5, generator=g)", "M.zeros(5).cauchy_(generator=g)",
    "M.zeros(5).log_normal_(generator=g)", "M.zeros(5).bernoulli_(generator=g)",
    "M.rand_like(M.zeros(5), generator=g)", "M.randint_like(M.zeros(5), 9, generator=g)",
    "M._standard_gamma(M.ones(5), generator=g)",
]


@pytest.mark.parametrize("expr", SEEDED)
def test_every_sampler_takes_a_generator_and_repeats_with_its_seed(expr):
    ember.manual_seed(123)
    before = ember.get_rng_state()
    a = eval(expr, {"M": ember, "g": gen(42)})
    b = eval(expr, {"M": ember, "g": gen(42)})
    c = eval(expr, {"M": ember, "g": gen(43)})
    assert np.array_equal(a._data, b._data)
    assert not np.array_equal(a._data, c._data) or expr.startswith("M.zeros(5).bern")
    assert ember.equal(ember.get_rng_state(), before)     # the default stream was untouched


# sizes as torch's parser reads them (see tests/ops/test_creation.py): only the first
# element of a size is checked, later bools count as 1; randint's size must be a
# sequence, and its three-argument form answers a wrong type with "invalid combination"
SIZE_CASES = [
    "M.rand(2, True)", "M.randn(2, True)", "M.rand((2, True))", "M.randn(size=(2, True))",
    "M.rand(np.int64(2), True)", "M.rand((2, np.array(3)))",
    "M.randint(0, 10, (2, True))", "M.randint(10, (2, True))", "M.randint(0, 10, size=(2, True))",
    "M.randint(np.int64(3), (2,))", "M.randint(0, 10, (np.int64(2),))",
    "M.randint(0, 10, M.Size([2]))", "M.randint(0, 10, (M.tensor(2),))", "M.randint(0, 10, ())",
    "M.normal(0.0, 1.0, (2, True))",
]
SIZE_ERROR_CASES = [
    "M.rand(True)", "M.rand(True, 2)", "M.rand((True,))", "M.rand([True, 2])",
    "M.rand(np.bool_(True))", "M.rand(2, np.bool_(True))", "M.rand((2, np.bool_(True)))",
    "M.rand(2.5, 2)", "M.rand((2, 3), 4)", "M.rand(size=2)", "M.rand(size=(True,))",
    "M.randn(False)", "M.randn((2.5, 1))", "M.rand(np.array([2, 3]))", "M.rand(2, 2 ** 70)",
    "M.randint(0, 10, (True,))", "M.randint(10, (True,))", "M.randint(0, 10, (2.5,))",
    "M.randint(0, 10, True)", "M.randint(True, (2,))", "M.randint(True, 10, (2,))",
    "M.randint(0, True, (2,))", "M.randint(True, size=(2,))", "M.randint(0, 10, size=(True,))",
    "M.randint(0, 10, [True, 2])", "M.randint(0, 10, (np.bool_(True),))",
    "M.randint(0, 10, (2, np.bool_(True)))", "M.randint(2.5, (2,))", "M.randint(0, 2.5, (2,))",
    "M.randint(0, 10, 3)", "M.randint(10, 3)", "M.randint(True, True, (2,))",
    "M.randint(0, 10, (2,), 5)", "M.randint(3, size=(True,))", "M.randint(3, size=True)",
    "M.randint(0, 10, (-1,))", "M.randint(0, 10, (2, -1))",
    "M.normal(0.0, 1.0, (True,))", "M.normal(0.0, 1.0, (2.5,))", "M.normal(0.0, 1.0, True)",
    "M.normal(0.0, 1.0, 2)", "M.normal(0.0, 1.0, (np.bool_(True), 2))",
    "M.normal(0.0, 1.0, (2, np.bool_(True)))",
]


def _eval_np(expr, module):
    return eval(expr, {"M": module, "math": math, "np": np})


@pytest.mark.parametrize("expr", SIZE_CASES)
def test_sizes_are_read_like_torchs_parser(expr):
    e, t = _eval_np(expr, ember), _eval_np(expr, torch)
    assert tuple(e.shape) == tuple(t.shape)
    assert e.dtype.name == str(t.dtype).replace("torch.", "")


@pytest.mark.parametrize("expr", SIZE_ERROR_CASES)
def test_size_errors_like_torchs_parser(expr):
    """The same exception and the same first line (the overload lists are shortened)."""
    with pytest.raises(Exception) as te:
        _eval_np(expr, torch)
    with pytest.raises(Exception) as ee:
        _eval_np(expr, ember)
    assert type(ee.value) is type(te.value)
    assert str(ee.value).split("\n")[0] == str(te.value).split("\n")[0]


# ------------------------------------------------------------------ out=
# Each case builds its out tensor with O(shape, dtype, requires_grad); torch and ember
# must agree on the error (type and message, out left as it was) or on the result
# (the out tensor itself, its dtype, shape, requires_grad) and on the warnings.
OUT_DTYPES = ["int32", "int64", "bool", "uint8", "float64", "float16"]
OUT_CASES = [
    *[f"M.rand(3, out=O((0,), '{d}'))" for d in OUT_DTYPES],
    *[f"M.randn(2, 2, out=O((0,), '{d}'))" for d in OUT_DTYPES],
    *[f"M.normal(0.0, 1.0, (3,), out=O((0,), '{d}'))" for d in OUT_DTYPES],
    *[f"M.normal(M.zeros(3), M.ones(3), out=O((3,), '{d}'))" for d in OUT_DTYPES],
    *[f"M.normal(M.zeros(3), 1.0, out=O((3,), '{d}'))" for d in OUT_DTYPES],
    *[f"M.normal(0.0, M.ones(3), out=O((3,), '{d}'))" for d in OUT_DTYPES],
    *[f"M.randint(0, 2, (3,), out=O((0,), '{d}'))" for d in OUT_DTYPES],
    *[f"M.randperm(3, out=O((0,), '{d}'))" for d in OUT_DTYPES],
    *[f"M.bernoulli(M.full((3,), 0.5), out=O((0,), '{d}'))" for d in OUT_DTYPES],
    *[f"M.multinomial(M.ones(3), 2, out=O((0,), '{d}'))" for d in OUT_DTYPES],
    # a dtype= beside out= must be out's
    "M.rand(3, dtype=M.float64, out=O((0,), 'float32'))",
    "M.randn(3, dtype=M.float32, out=O((0,), 'float32'))",
    "M.normal(0.0, 1.0, (3,), dtype=M.float64, out=O((0,), 'float32'))",
    "M.randint(0, 5, (3,), dtype=M.int32, out=O((0,), 'int64'))",
    "M.randint(0, 5, (3,), dtype=M.float32, out=O((0,), 'int64'))",
    "M.randperm(3, dtype=M.int32, out=O((0,), 'int64'))",
    "M.randn(3, dtype=M.int32, out=O((0,), 'float32'))",
    "M.randn(3, dtype=M.int32, out=O((0,), 'int32'))",
    # an out that is no tensor
    "M.rand(3, out=3)", "M.randn(2, 3, out=[1])", "M.randint(5, (3,), out=3)",
    "M.randint(1, 5, (3,), out=3)", "M.randperm(3, out=3)", "M.normal(0.0, 1.0, (3,), out=3)",
    "M.normal(M.zeros(1), 1.0, out=3)", "M.bernoulli(M.zeros(1), out=3)",
    "M.multinomial(M.ones(3), 2, out=3)",
    # *_like functions and bernoulli(input, p) take no out=
    "M.rand_like(M.zeros(3), out=O((0,), 'float32'))",
    "M.randn_like(M.zeros(3), out=O((0,), 'float32'))",
    "M.randint_like(M.zeros(3), 5, out=O((0,), 'float32'))",
    "M.bernoulli(M.full((3,), 0.5), 0.5, out=O((3,), 'float32'))",
    # out (or an input) that requires grad
    "M.rand(3, out=O((0,), 'float32', True))", "M.randint(5, (3,), out=O((0,), 'float32', True))",
    "M.randperm(3, out=O((0,), 'float32', True))",
    "M.normal(0.0, 1.0, (3,), out=O((0,), 'float32', True))",
    "M.normal(M.zeros(3), M.ones(3), out=O((3,), 'float32', True))",
    "M.normal(M.zeros(3, requires_grad=True), 1.0, out=O((3,), 'float32'))",
    "M.normal(0.0, M.ones(3, requires_grad=True), out=O((3,), 'float32'))",
    "M.bernoulli(M.full((3,), 0.5), out=O((3,), 'float32', True))",
    "M.bernoulli(M.full((3,), 0.5, requires_grad=True), out=O((3,), 'float32'))",
    "M.multinomial(M.ones(3, requires_grad=True), 2, out=O((0,), 'int64'))",
    # requires_grad=True makes out a leaf that requires grad
    "M.rand(3, out=O((0,), 'float32'), requires_grad=True)",
    "M.randint(3, (3,), out=O((0,), 'float32'), requires_grad=True)",
    # out of another shape: resized (a warning only where torch's resize_output gives one)
    "M.rand(3, out=O((5,), 'float32'))", "M.rand(3, out=O((3, 1), 'float32'))",
    "M.rand((), out=O((3,), 'float64'))", "M.randint(5, (3,), out=O((5,), 'int64'))",
    "M.randperm(3, out=O((5,), 'int64'))", "M.randperm(0, out=O((2,), 'int64'))",
    "M.bernoulli(M.full((3,), 0.5), out=O((5,), 'float32'))",
    "M.multinomial(M.ones(3), 2, out=O((5,), 'int64'))",
    "M.normal(M.zeros(3), M.ones(3), out=O((5,), 'float32'))",
    "M.normal(0.0, M.ones(3), out=O((5,), 'float32'))",
    "M.normal(M.zeros(3, 1), M.ones(3), out=O((0,), 'float32'))",
    "M.normal(M.zeros(3), 1.0, out=O((2, 3), 'float32'))",
    "M.normal(M.zeros(3), 1.0, out=O((1,), 'float32'))",
    "M.normal(M.zeros(3), 1.0, out=O((0,), 'float32'))",
    "M.normal(M.zeros(3), 1.0, out=O((0,), 'int32'))",
    "M.normal(M.zeros(3), 1.0, out=O((5,), 'float32'))",
    # int inputs sample into a float out; mean's dtype (not a promotion) without out
    "M.normal(M.zeros(3, dtype=M.int64), 1.0, out=O((3,), 'float32'))",
    "M.normal(0.0, M.ones(3, dtype=M.int64), out=O((3,), 'float32'))",
    "M.normal(M.zeros(3, dtype=M.float64), M.ones(3), out=O((3,), 'float32'))",
    "M.normal(M.zeros(3, dtype=M.float64), M.ones(3))", "M.normal(M.zeros(3), M.ones(3, dtype=M.float64))",
    "M.normal(M.zeros(3, dtype=M.int64), M.ones(3))", "M.normal(0.0, M.ones(3, dtype=M.int64))",
    "M.normal(M.zeros(3, dtype=M.int64), M.ones(2))",
    # randperm and randint bounds for the dtype they fill
    "M.randperm(3, dtype=M.bool)", "M.randperm(300, out=O((0,), 'uint8'))",
    "M.randperm(2049, dtype=M.float16)", "M.randperm(2050, dtype=M.float16)",
    "M.randperm(2 ** 24 + 2, dtype=M.float32)", "M.randperm(129, out=O((0,), 'int8'))",
    "M.randint(0, 300, (3,), out=O((0,), 'uint8'))",
    "M.randint(0, 2050, (3,), dtype=M.float16)", "M.randint(0, 70000, (3,), dtype=M.float16)",
    "M.randint(-70000, 0, (3,), out=O((0,), 'float16'))",
    "M.randint(0, 2 ** 24 + 2, (3,), dtype=M.float32)", "M.randint(-2 ** 24 - 1, 0, (3,), dtype=M.float32)",
    "M.randint(0, 2 ** 24 + 2, (3,), dtype=M.float64)", "M.randint(0, 2 ** 53 + 2, (3,), dtype=M.float64)",
    "M.empty(3, dtype=M.float16).random_(0, 70000)", "M.empty(3).random_(0, 2 ** 25)",
    "M.multinomial(M.ones(3, dtype=M.int64), 2, out=O((0,), 'int32'))",
    "M.multinomial(M.ones(3), 5, out=O((0,), 'int32'))",
]


def _out_outcome(module, expr):
    made = []

    def make_out(shape, dtype, requires_grad=False):
        made.append(module.zeros(shape, dtype=getattr(module, dtype),
                                 requires_grad=requires_grad))
        return made[-1]

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = eval(expr, {"M": module, "O": make_out})
        except Exception as e:     # noqa: BLE001 (the error is what is compared)
            # (torch may have resized out before failing; ember leaves it as it was)
            if module is ember:
                assert all(tuple(o.shape) == (o.shape[0],) and not o.detach().any()
                           for o in made), "out changed by a call that failed"
            outcome = ("error", type(e).__name__, str(e))
        else:
            outcome = ("result", str(result.dtype), tuple(result.shape), result.requires_grad,
                       bool(made) and result is made[-1])
    # (torch's warnings carry a "Triggered internally at" suffix)
    return outcome + ([str(w.message).split(" (Triggered internally")[0] for w in caught],)


@pytest.mark.parametrize("expr", OUT_CASES)
def test_out_matches_torch(expr):
    assert _out_outcome(ember, expr) == _out_outcome(torch, expr)


def test_out_values_fill_in_outs_dtype():
    """Draws whose value torch fixes: certain bernoulli draws, randint over one value,
    the only permutation of one element."""
    for module in (ember, torch):
        o = module.full((4,), 7, dtype=module.int32)
        assert module.bernoulli(module.tensor([0.0, 1.0, 1.0, 0.0]), out=o) is o
        assert o.tolist() == [0, 1, 1, 0]
        o = module.zeros(0, dtype=module.float16)
        assert module.randint(3, 4, (2, 2), out=o).tolist() == [[3.0, 3.0], [3.0, 3.0]]
        o = module.zeros(5, dtype=module.uint8)
        assert module.randperm(1, out=o).tolist() == [0]


@pytest.mark.parametrize("call,dtype", [
    ("rand(3, 2, {})", "float64"), ("randn(4, {})", "float16"),
    ("normal(1.0, 2.0, (3,), {})", "float64"), ("normal(M.zeros(3), M.ones(3), {})", "float64"),
    ("normal(M.zeros(3), 2.0, {})", "float64"), ("normal(1.0, M.ones(3), {})", "float64"),
    ("normal(M.zeros(2, 1), 2.0, {})", "int8"), ("rand(3, {})", "bool"),
    ("randint(-4, 9, (5,), {})", "int16"), ("randint(0, 9, (5,), {})", "float32"),
    ("randperm(6, {})", "uint8"), ("bernoulli(M.full((6,), 0.5), {})", "int8"),
    ("multinomial(M.ones(2, 4), 3, {})", "int64")])
def test_out_draws_the_values_a_call_without_out_draws(call, dtype):
    """out= changes where (and in which dtype) the sample lands: torch draws in out's
    dtype, so the values are torch's for that out, draw for draw."""
    M = ember
    plain = eval("M." + call.format("generator=gen(7)"))
    out = M.zeros(plain.shape, dtype=getattr(M, dtype))
    if not out.is_floating_point() and call.startswith(("rand(", "randn(", "normal(")):
        with pytest.raises(NotImplementedError, match="not implemented for"):
            eval("M." + call.format("generator=gen(7), out=out"))
        return
    kept = eval("M." + call.format("generator=gen(7), out=out"))
    assert kept is out and out.dtype is getattr(M, dtype)
    T = torch
    want = T.zeros(tuple(plain.shape), dtype=getattr(T, dtype))
    eval("T." + call.replace("M.", "T.").format(
        "generator=T.Generator().manual_seed(7), out=want"))
    np.testing.assert_array_equal(out.numpy(), want.numpy())


def test_out_requiring_grad_under_no_grad():
    """Under no_grad a factory (rand) leaves out no longer requiring grad, as torch (with
    ember's warning); bernoulli keeps the flag, as torch does."""
    for module in (ember, torch):
        with module.no_grad():
            o = module.zeros(0, requires_grad=True)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                module.rand(3, out=o)
            assert not o.requires_grad
            o = module.zeros(0, requires_grad=True)
            module.bernoulli(module.full((3,), 0.5), out=o)
            assert o.requires_grad
    with ember.no_grad(), pytest.warns(UserWarning, match="no longer requires grad"):
        ember.rand(3, out=ember.zeros(0, requires_grad=True))


@pytest.mark.parametrize("n", [513, 1797, 5000, 70000])
@pytest.mark.parametrize("seed", [0, 7])
def test_randperm_above_the_loop_threshold_is_torchs(n, seed):
    torch.manual_seed(seed)
    ember.manual_seed(seed)
    np.testing.assert_array_equal(ember.randperm(n).numpy(), torch.randperm(n).numpy())


def test_forward_swaps_replayed_at_once_match_swapping_one_by_one():
    from ember.ops._sampling import _apply_forward_swaps
    rng = np.random.default_rng(0)
    for trial in range(300):
        n = int(rng.integers(2, 50)) if trial < 250 else int(rng.integers(2, 3000))
        targets = [rng.integers(0, np.arange(n, 1, -1)) + np.arange(n - 1),
                   np.arange(n - 1), np.full(n - 1, n - 1)][trial % 3]
        perm = list(range(n))
        for i, z in enumerate(targets.tolist()):
            perm[i], perm[z] = perm[z], perm[i]
        np.testing.assert_array_equal(_apply_forward_swaps(targets), perm)
