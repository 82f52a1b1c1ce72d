"""Reductions, scans and sorting against torch: values, dtypes, shapes, named-tuple
results and their reprs, errors, gradients (vs torch, finite differences, second
order) and torch's conventions at ties."""
import itertools
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import ember
from ember.autograd import gradcheck, gradgradcheck
from helpers import DTYPE_NAMES, assert_same, assert_grads_same, raised
from helpers import same_outcome as outcome

SHAPES = [(), (0,), (4,), (2, 3), (2, 0, 3), (2, 3, 4), (1, 3, 1)]


def sample(shape, dtype, rng, distinct=False):
    """Values of ``dtype``; ``distinct`` ones have no ties (so that argmax, topk and
    gradients through a selection are unambiguous)."""
    if dtype == "bool":
        return rng.random(shape) < 0.5
    if distinct:
        n = int(np.prod(shape))
        order = rng.permutation(n).reshape(shape)
        if dtype.startswith("float"):
            return (order * 0.37 - n * 0.15).astype(dtype)
        return (order - (0 if dtype == "uint8" else n // 2)).astype(dtype)
    if dtype == "uint8":
        return rng.integers(0, 5, shape).astype(dtype)
    if dtype.startswith("int"):
        return rng.integers(-3, 4, shape).astype(dtype)
    return (rng.standard_normal(shape) * 2).astype(dtype)


def tol(dtype):
    return dict(rtol=3e-3, atol=3e-3) if dtype == "float16" else dict(rtol=1e-5, atol=1e-5)


def dims_for(shape):
    """None, every single dim (and one out of range), and tuples of dims."""
    n = max(len(shape), 1)
    dims = [None, 0, -1, n, -n - 1]
    if len(shape) >= 2:
        dims += [(0, 1), (-1, 0), [1], (0, 0)]
    if len(shape) >= 1:
        dims += [()]
    return dims


def dense(t):
    return torch.zeros(t.shape, dtype=t.dtype) if t._is_zerotensor() else t


# --------------------------------------------------- values and dtypes
REDUCTIONS = {
    "sum": lambda m, x, d, k: m.sum(x, d, keepdim=k) if d is not None else m.sum(x),
    "sum_axis": lambda m, x, d, k: x.sum(axis=d, keepdims=k) if d is not None else x.sum(),
    "mean": lambda m, x, d, k: m.mean(x, d, k) if d is not None else m.mean(x),
    "mean_axis": lambda m, x, d, k: x.mean(axis=d, keepdims=k) if d is not None else x.mean(),
    "nansum": lambda m, x, d, k: m.nansum(x, d, k) if d is not None else m.nansum(x),
    "prod": lambda m, x, d, k: m.prod(x, d, k) if d is not None else m.prod(x),
    "amax": lambda m, x, d, k: m.amax(x, d, k) if d is not None else m.amax(x),
    "amin": lambda m, x, d, k: x.amin(d, keepdim=k) if d is not None else x.amin(),
    "max": lambda m, x, d, k: m.max(x, d, k) if d is not None else m.max(x),
    "min": lambda m, x, d, k: x.min(dim=d, keepdim=k) if d is not None else x.min(),
    "argmax": lambda m, x, d, k: m.argmax(x, d, k) if d is not None else m.argmax(x),
    "argmin": lambda m, x, d, k: x.argmin(dim=d, keepdim=k) if d is not None else x.argmin(),
    "var": lambda m, x, d, k: m.var(x, d, keepdim=k),
    "var_unbiased": lambda m, x, d, k: x.var(d, unbiased=False, keepdim=k),
    "std": lambda m, x, d, k: m.std(x, d, keepdim=k),
    "std_correction": lambda m, x, d, k: x.std(d, correction=0, keepdim=k),
    "var_correction2": lambda m, x, d, k: x.var(dim=d, correction=2, keepdim=k),
    "var_mean": lambda m, x, d, k: m.var_mean(x, d, keepdim=k),
    "std_mean": lambda m, x, d, k: m.std_mean(x, d, keepdim=k),
    "norm": lambda m, x, d, k: m.norm(x, dim=d, keepdim=k),
    "norm_p1": lambda m, x, d, k: x.norm(p=1, dim=d, keepdim=k),
    "norm_inf": lambda m, x, d, k: x.norm(p=float("inf"), dim=d, keepdim=k),
    "norm_p3": lambda m, x, d, k: x.norm(3, d, k),
    "norm_fro": lambda m, x, d, k: m.norm(x, "fro", d, k),
    "logsumexp": lambda m, x, d, k: m.logsumexp(x, d, k) if d is not None else
    m.logsumexp(x, ()),
    "all": lambda m, x, d, k: m.all(x, d, k) if d is not None else m.all(x),
    "any": lambda m, x, d, k: x.any(d, keepdim=k) if d is not None else x.any(),
    "count_nonzero": lambda m, x, d, k: m.count_nonzero(x, d),
    "cumsum": lambda m, x, d, k: m.cumsum(x, d if d is not None else 0),
    "cumprod": lambda m, x, d, k: x.cumprod(d if d is not None else -1),
    "sort": lambda m, x, d, k: m.sort(x, d if d is not None else -1, descending=k),
    "argsort": lambda m, x, d, k: x.argsort(d if d is not None else -1, descending=k),
}


@pytest.mark.parametrize("dtype", DTYPE_NAMES)
@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduction_values_dtypes_shapes_and_errors(name, dtype):
    fn = REDUCTIONS[name]
    rng = np.random.default_rng(0)
    distinct = name.startswith(("arg", "max", "min", "sort"))
    for shape in SHAPES:
        x = sample(shape, dtype, rng, distinct=distinct and dtype.startswith("float"))
        for d in dims_for(shape):
            if isinstance(d, (tuple, list)) and name in ("prod", "argmax", "argmin", "max",
                                                         "min", "cumsum", "cumprod", "sort",
                                                         "argsort", "count_nonzero"):
                continue    # these take one dim only (checked in their own tests)
            for keep in (False, True):
                try:
                    outcome(lambda m, a: fn(m, a, d, keep), (ember.tensor(x),),
                            (torch.tensor(x),), **tol(dtype))
                except AssertionError as err:
                    raise AssertionError(f"{name} {dtype}{shape} dim={d} keep={keep}: "
                                         f"{err}") from None


def test_single_dim_reductions_refuse_tuples():
    x = np.arange(6.0).reshape(2, 3)
    for fn in (lambda m, a: m.prod(a, (0, 1)), lambda m, a: a.argmax((0, 1)),
               lambda m, a: m.cumsum(a, (0,)), lambda m, a: a.max((0, 1))):
        with pytest.raises(TypeError):
            fn(ember, ember.tensor(x))


def test_reductions_with_nan_and_inf():
    x = np.array([[1.0, np.nan, 3.0], [-np.inf, 2.0, np.inf], [0.0, -1.0, 5.0]], np.float32)
    for name, fn in REDUCTIONS.items():
        if name in ("var_mean", "std_mean"):
            continue    # torch's Welford mean turns an infinity into NaN there; not copied
        for d in (None, 0, 1):
            try:
                outcome(lambda m, a: fn(m, a, d, False), (ember.tensor(x),), (torch.tensor(x),))
            except AssertionError as err:
                raise AssertionError(f"{name} dim={d}: {err}") from None


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool", "uint8"])
def test_reduction_dtype_argument(dtype):
    x = sample((2, 3), dtype, np.random.default_rng(1))
    for target in ("float64", "int32", "float16", "int64"):
        for fn in (lambda m, a, t: m.sum(a, dtype=t), lambda m, a, t: a.sum(1, dtype=t),
                   lambda m, a, t: m.prod(a, 0, dtype=t), lambda m, a, t: a.cumsum(1, dtype=t),
                   lambda m, a, t: m.cumprod(a, 0, dtype=t), lambda m, a, t: a.mean(dtype=t),
                   lambda m, a, t: m.mean(a, 0, dtype=t), lambda m, a, t: m.nansum(a, dtype=t)):
            outcome(fn, (ember.tensor(x), getattr(ember, target)),
                    (torch.tensor(x), getattr(torch, target)), **tol(target))


def test_large_float32_sum_is_accurate_like_torch():
    x = np.random.default_rng(2).standard_normal(100_000).astype(np.float32) + 1000
    outcome(lambda m, a: a.sum(), (ember.tensor(x),), (torch.tensor(x),), rtol=1e-6)
    outcome(lambda m, a: a.mean(), (ember.tensor(x),), (torch.tensor(x),), rtol=1e-6)
    outcome(lambda m, a: a.var(), (ember.tensor(x),), (torch.tensor(x),), rtol=1e-4)


# --------------------------------------------- named tuples and their reprs
def test_max_min_sort_topk_return_named_tuples_printing_like_torch():
    x = np.array([[3.0, 1.0, 3.0], [0.0, 5.0, 5.0]], np.float32)
    calls = [lambda m, a: m.max(a, 1), lambda m, a: a.min(0, keepdim=True),
             lambda m, a: a.max(dim=-1), lambda m, a: m.sort(a), lambda m, a: a.topk(2),
             lambda m, a: m.topk(a, 1, dim=0, largest=False), lambda m, a: a.sort(0, True),
             lambda m, a: m.aminmax(a), lambda m, a: m.aminmax(a, dim=1, keepdim=True),
             lambda m, a: m.kthvalue(a, 2, 1), lambda m, a: m.median(a, 1),
             lambda m, a: m.cummax(a, 1)]
    for fn in calls:
        e, t = fn(ember, ember.tensor(x)), fn(torch, torch.tensor(x))
        assert repr(e) == repr(t)
        assert type(e).__name__ == type(t).__name__ and type(e).__module__ == "torch.return_types"
        assert_same(tuple(e), tuple(t))
        for field in ("values", "indices", "min", "max"):
            if hasattr(t, field):
                assert_same(getattr(e, field), getattr(t, field))
    e = ember.max(ember.tensor(x, requires_grad=True), 1)
    t = torch.max(torch.tensor(x, requires_grad=True), 1)
    assert repr(e) == repr(t)


def test_max_of_two_tensors_is_maximum():
    a, b = np.array([1.0, 5.0]), np.array([[3.0], [0.0]])
    outcome(lambda m, x, y: m.max(x, y), (ember.tensor(a), ember.tensor(b)),
            (torch.tensor(a), torch.tensor(b)))
    outcome(lambda m, x, y: x.min(y), (ember.tensor(a), ember.tensor(b)),
            (torch.tensor(a), torch.tensor(b)))


# ------------------------------------------------------------- sort and topk
@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2 ** 16), ndim=st.integers(1, 3), dtype=st.sampled_from(
    ["float32", "int64", "float64", "int8", "bool", "uint8"]))
def test_sort_argsort_topk_against_torch(seed, ndim, dtype):
    rng = np.random.default_rng(seed)
    shape = tuple(rng.integers(1, 5, ndim))
    x = sample(shape, dtype, rng)        # with ties: stable sort fixes the indices
    d = int(rng.integers(-ndim, ndim))
    for desc in (False, True):
        outcome(lambda m, a: m.sort(a, dim=d, descending=desc, stable=True),
                (ember.tensor(x),), (torch.tensor(x),))
        outcome(lambda m, a: m.argsort(a, dim=d, descending=desc, stable=True),
                (ember.tensor(x),), (torch.tensor(x),))
        outcome(lambda m, a: a.sort(dim=d, descending=desc)[0], (ember.tensor(x),),
                (torch.tensor(x),))
    k = int(rng.integers(0, shape[d] + 1))
    xd = sample(shape, dtype, rng, distinct=dtype != "bool")
    for largest in (True, False):
        outcome(lambda m, a: m.topk(a, k, d, largest=largest), (ember.tensor(xd),),
                (torch.tensor(xd),))
        outcome(lambda m, a: a.topk(k, dim=d, largest=largest).values, (ember.tensor(x),),
                (torch.tensor(x),))


def test_sort_nan_and_special_values():
    x = np.array([3.0, np.nan, -np.inf, 1.0, np.inf, np.nan, -0.0, 0.0], np.float32)
    for desc in (False, True):
        outcome(lambda m, a: m.sort(a, descending=desc, stable=True), (ember.tensor(x),),
                (torch.tensor(x),))
    distinct = x[:-1]       # (-0.0 and 0.0 tie: which one topk picks first is unspecified)
    outcome(lambda m, a: m.topk(a, 3), (ember.tensor(distinct),), (torch.tensor(distinct),))
    outcome(lambda m, a: m.topk(a, 3, largest=False), (ember.tensor(distinct),),
            (torch.tensor(distinct),))
    outcome(lambda m, a: m.max(a), (ember.tensor(x),), (torch.tensor(x),))
    outcome(lambda m, a: m.argmax(a), (ember.tensor(x),), (torch.tensor(x),))
    outcome(lambda m, a: m.amin(a), (ember.tensor(x),), (torch.tensor(x),))


def test_sort_topk_errors_and_zero_dim():
    cases = [lambda m: m.topk(m.arange(3.0), 4), lambda m: m.topk(m.arange(3.0), -1),
             lambda m: m.topk(m.arange(6.0).reshape(2, 3), 2, dim=2),
             lambda m: m.sort(m.tensor(2.0)), lambda m: m.topk(m.tensor(2.0), 1),
             lambda m: m.sort(m.arange(3.0), dim=1), lambda m: m.argsort(m.tensor(1.0)),
             lambda m: m.topk(m.tensor([True, False]), 1),
             lambda m: m.sort(m.zeros(0)), lambda m: m.topk(m.zeros(2, 0), 0)]
    for k, fn in enumerate(cases):
        try:
            outcome(lambda m: fn(m), (), ())
        except AssertionError as err:
            raise AssertionError(f"case {k}: {err}") from None


# ------------------------------------------------------------------ unique
@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2 ** 16), dtype=st.sampled_from(["float32", "int64", "bool",
                                                             "uint8", "float64"]))
def test_unique_against_torch(seed, dtype):
    rng = np.random.default_rng(seed)
    shape = tuple(rng.integers(0, 4, rng.integers(1, 3)))
    x = sample(shape, dtype, rng)
    for inverse in (False, True):
        for counts in (False, True):
            outcome(lambda m, a: m.unique(a, return_inverse=inverse, return_counts=counts),
                    (ember.tensor(x),), (torch.tensor(x),))
            outcome(lambda m, a: a.unique(sorted=True, return_inverse=inverse,
                                          return_counts=counts), (ember.tensor(x),),
                    (torch.tensor(x),))
            if len(shape) == 2:
                outcome(lambda m, a: m.unique(a, return_inverse=inverse, return_counts=counts,
                                              dim=0), (ember.tensor(x),), (torch.tensor(x),))
    # sorted=False: torch's CPU order is an implementation detail; the set must agree
    e = ember.unique(ember.tensor(x), sorted=False)
    t = torch.unique(torch.tensor(x), sorted=False)
    assert sorted(e.tolist()) == sorted(t.tolist()) and e.dtype.name == str(t.dtype)[6:]


def test_unique_of_zero_dim_and_nan():
    outcome(lambda m: m.unique(m.tensor(3)), (), ())
    outcome(lambda m: m.unique(m.tensor(3.0), return_inverse=True, return_counts=True), (), ())
    x = np.array([1.0, np.nan, 1.0, np.nan])
    outcome(lambda m, a: m.unique(a, return_counts=True), (ember.tensor(x),), (torch.tensor(x),))


# ---------------------------------------------------------------- errors
def test_reduction_errors_leave_input_unchanged():
    x = np.arange(6).reshape(2, 3)
    xf = x.astype(np.float32)
    cases = [
        (lambda m, a: a.mean(), x), (lambda m, a: m.mean(a, 0), x),
        (lambda m, a: a.mean(dtype=m.int64), xf), (lambda m, a: a.var(), x),
        (lambda m, a: a.std(0), x), (lambda m, a: a.norm(), x),
        (lambda m, a: a.sum(2), xf), (lambda m, a: a.sum(-3), xf),
        (lambda m, a: a.sum((0, 2)), xf), (lambda m, a: a.mean((0, 0)), xf),
        (lambda m, a: a.max(3), xf), (lambda m, a: a.argmax(2), xf),
        (lambda m, a: a.cumsum(2), xf), (lambda m, a: a.cumsum(-3), xf),
        (lambda m, a: m.logsumexp(a, 5), xf), (lambda m, a: a.var(4), xf),
        (lambda m, a: a.amax(9), xf), (lambda m, a: a.all(2), xf), (lambda m, a: a.any(-3), xf),
        (lambda m, a: a.sort(2), xf), (lambda m, a: a.topk(1, 2), xf),
        (lambda m, a: m.max(a[:, :0]), xf), (lambda m, a: m.argmax(a[:, :0]), xf),
        (lambda m, a: a[:, :0].max(1), xf), (lambda m, a: a[:, :0].amax(1), xf),
        (lambda m, a: a[:, :0].amin(), xf), (lambda m, a: a[:, :0].argmin(1), xf),
        (lambda m, a: a.argmax(), np.array([True, False])),
        (lambda m, a: a.argmin(0), np.array([True, False])),
        (lambda m, a: a.sum(dim=0, axis=1), xf),
    ]
    for k, (fn, a) in enumerate(cases):
        e = ember.tensor(a)
        try:
            outcome(fn, (e,), (torch.tensor(a),))
        except AssertionError as err:
            raise AssertionError(f"case {k}: {err}") from None
        assert np.array_equal(e.numpy(), a), f"case {k} changed its input"


# -------------------------------------------------------------- gradients
GRADS = {
    "sum": lambda m, x: x.sum(), "sum_dim": lambda m, x: x.sum(1),
    "sum_dims_keep": lambda m, x: m.sum(x, (0, 2), keepdim=True),
    "mean": lambda m, x: x.mean(), "mean_dim": lambda m, x: x.mean(-1, keepdim=True),
    "mean_dims": lambda m, x: x.mean((0, 1)),
    "prod": lambda m, x: x.prod(), "prod_dim": lambda m, x: m.prod(x, 1),
    "prod_keep": lambda m, x: x.prod(0, keepdim=True),
    "max": lambda m, x: x.max(), "min": lambda m, x: m.min(x),
    "max_dim": lambda m, x: x.max(1)[0], "min_dim_keep": lambda m, x: x.min(0, True).values,
    "amax": lambda m, x: x.amax(), "amax_dims": lambda m, x: m.amax(x, (0, 2)),
    "amin_keep": lambda m, x: x.amin(1, keepdim=True),
    "var": lambda m, x: x.var(), "var_dim": lambda m, x: m.var(x, 1),
    "var_c0": lambda m, x: x.var((0, 2), correction=0, keepdim=True),
    "std": lambda m, x: x.std(), "std_dim": lambda m, x: m.std(x, -1, unbiased=False),
    "std_c2": lambda m, x: x.std(-1, correction=2),
    "norm": lambda m, x: x.norm(), "norm_dim": lambda m, x: m.norm(x, dim=1),
    "norm_p1": lambda m, x: x.norm(p=1), "norm_inf": lambda m, x: x.norm(float("inf"), 1),
    "norm_p3": lambda m, x: x.norm(3), "norm_fro_dims": lambda m, x: x.norm("fro", (1, 2)),
    "norm_ninf": lambda m, x: x.norm(float("-inf")),
    "logsumexp": lambda m, x: m.logsumexp(x, 1), "logsumexp_dims": lambda m, x: x.logsumexp(
        (0, 2), keepdim=True),
    "cumsum": lambda m, x: x.cumsum(1), "cumprod": lambda m, x: m.cumprod(x, -1),
    "cumprod0": lambda m, x: x.cumprod(0),
    "sort": lambda m, x: x.sort(1)[0], "sort_desc": lambda m, x: m.sort(x, 0, True).values,
    "topk": lambda m, x: x.topk(2, dim=1)[0], "topk_small": lambda m, x: m.topk(
        x, 1, 0, largest=False).values,
    "var_mean": lambda m, x: m.var_mean(x, 1)[0] * m.var_mean(x, 1)[1],
    "std_mean": lambda m, x: m.std_mean(x, (0, 1))[0] + m.std_mean(x, (0, 1))[1],
    "nansum": lambda m, x: m.nansum(x, 1),
    "kthvalue": lambda m, x: m.kthvalue(x, 2, 1)[0], "median": lambda m, x: x.median(),
    "median_dim": lambda m, x: x.median(1)[0],
    "logcumsumexp": lambda m, x: m.logcumsumexp(x, 1), "logcumsumexp0": lambda m, x: (
        x * 20).logcumsumexp(0), "nanmedian_dim": lambda m, x: x.nanmedian(-1).values,
}
SECOND_ORDER = ["sum_dim", "mean_dim", "prod", "prod_dim", "var", "var_dim", "std", "std_dim",
                "norm", "norm_dim", "norm_p3", "logsumexp", "max", "max_dim", "amax",
                "amax_dims", "cumsum", "cumprod", "var_mean", "nansum", "sort", "topk",
                "min", "amin_keep", "norm_p1", "norm_inf", "logsumexp_dims", "mean", "sum",
                "logcumsumexp", "logcumsumexp0"]


@pytest.mark.parametrize("name", GRADS)
def test_gradients_match_torch_and_finite_differences(name):
    fn = GRADS[name]
    x = sample((2, 3, 4), "float64", np.random.default_rng(3), distinct=True) / 4
    assert_grads_same(fn, [x])
    e, t = ember.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    assert type(fn(ember, e).grad_fn).__name__ == type(fn(torch, t).grad_fn).__name__
    small = x[:, :2, :3]
    assert gradcheck(lambda a: fn(ember, a), (ember.tensor(small, requires_grad=True),))


@pytest.mark.parametrize("name", SECOND_ORDER)
def test_second_order(name):
    fn = GRADS[name]
    x = sample((2, 2, 3), "float64", np.random.default_rng(4), distinct=True) / 4
    assert gradgradcheck(lambda a: fn(ember, a), (ember.tensor(x, requires_grad=True),))
    results = []
    for m in (ember, torch):
        a = m.tensor(x, requires_grad=True)
        (g,) = m.autograd.grad((fn(m, a) * m.tensor(np.linspace(0.5, 1.5, fn(m, a).numel()))
                                .reshape(fn(m, a).shape)).sum(), a, create_graph=True)
        gg = m.autograd.grad((g * g).sum() + g.sum(), a, allow_unused=True,
                             materialize_grads=True)[0] if g.requires_grad else None
        results.append((g, gg, g.requires_grad))
    assert results[0][2] == results[1][2]
    assert_same(results[0][0], results[1][0])
    if results[1][1] is not None:
        assert_same(results[0][1], dense(results[1][1]))


def test_gradients_through_empty_and_zero_dim_inputs():
    for shape in ((), (0,), (2, 0)):
        x = np.ones(shape)
        for fn in (lambda m, a: a.sum(), lambda m, a: a.mean(), lambda m, a: a.prod(),
                   lambda m, a: a.norm(), lambda m, a: a.cumsum(0), lambda m, a: a.cumprod(0),
                   lambda m, a: m.logsumexp(a, 0), lambda m, a: a.amax() if a.numel() else
                   a.sum()):
            assert_grads_same(fn, [x])
    assert_grads_same(lambda m, a: a.max(), [np.array(2.0)])
    assert_grads_same(lambda m, a: a.max(0)[0], [np.array(2.0)])
    assert_grads_same(lambda m, a: a.var(correction=0), [np.array(2.0)])
    assert_grads_same(lambda m, a: a.sort()[0] * 2, [np.array(2.0)])


# ------------------------------------------------- gradients at ties and zeros
def test_tie_and_zero_conventions_match_torch():
    tied = np.array([[1.0, 3.0, 3.0, -3.0], [2.0, 2.0, 2.0, 2.0], [0.0, -1.0, 0.0, -1.0]])
    zeros = np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 1.0], [1.0, -2.0, 0.5]])
    cases = {
        "max_full": lambda m, x: x.max(), "min_full": lambda m, x: x.min(),
        "max_dim": lambda m, x: x.max(1).values, "min_dim": lambda m, x: x.min(0)[0],
        "amax": lambda m, x: x.amax(), "amax_dim": lambda m, x: x.amax(1),
        "amin_dims": lambda m, x: x.amin((0, 1), keepdim=True),
        "norm_inf": lambda m, x: x.norm(float("inf")), "norm_inf_dim": lambda m, x: x.norm(
            float("inf"), 1), "norm_ninf": lambda m, x: x.norm(float("-inf"), 0),
        "norm_zero_rows": lambda m, x: (x * (x > 2)).norm(dim=1),
        "norm_all_zero": lambda m, x: (x * 0).norm(), "norm_p1_zero": lambda m, x: (
            x * 0).norm(1), "norm_p3_zero": lambda m, x: (x * 0).norm(3, 1),
        "std_constant": lambda m, x: (x * 0 + 1).std(1), "var_constant": lambda m, x: (
            x * 0).var(),
        "prod_with_zeros": lambda m, x: x.prod(1), "prod_full_zeros": lambda m, x: x.prod(),
        "cumprod_zeros": lambda m, x: x.cumprod(1), "cumprod_zeros0": lambda m, x: x.cumprod(0),
        "sort_ties": lambda m, x: x.sort(dim=1, stable=True)[0],
        "topk_ties": lambda m, x: x.topk(2, 1)[0], "median_ties": lambda m, x: x.median(),
    }
    for data in (tied, zeros):
        for name, fn in cases.items():
            if name == "topk_ties" and data is tied:
                continue    # which of tied elements torch picks is unspecified
            try:
                assert_grads_same(fn, [data])
            except AssertionError as err:
                raise AssertionError(f"{name}: {err}") from None


def test_prod_second_order_with_zeros():
    x = np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 1.0], [1.5, -2.0, 0.5]])
    for fn in (lambda m, a: a.prod(1), lambda m, a: a.prod(), lambda m, a: a.cumprod(1)):
        results = []
        for m in (ember, torch):
            a = m.tensor(x, requires_grad=True)
            (g,) = m.autograd.grad((fn(m, a) * 1.5).sum(), a, create_graph=True)
            (gg,) = m.autograd.grad((g * g).sum(), a)
            results.append((g, gg))
        assert_same(results[0][0], results[1][0])
        assert_same(results[0][1], results[1][1])


def test_logsumexp_with_infinities():
    x = np.array([[-np.inf, -np.inf], [np.inf, 1.0], [-np.inf, 0.0], [np.inf, np.inf]])
    outcome(lambda m, a: m.logsumexp(a, 1), (ember.tensor(x),), (torch.tensor(x),))
    outcome(lambda m: m.logsumexp(m.tensor([[1, 2], [3, 4]]), 1), (), ())
    assert_grads_same(lambda m, a: m.logsumexp(a, 1), [x[2:3]])


NUMPY_NAMES = [
    "x.sum(axis=1, keepdims=True)", "x.mean(axis=(0, 1), keepdims=True)", "x.max(axis=1)",
    "x.min(axis=0, keepdims=True)", "x.prod(axis=1, keepdims=True)", "x.sort(axis=0)",
    "x.argsort(axis=0)", "x.topk(1, axis=0)", "x.median(axis=0)", "x.cumprod(axis=1)",
    "x.cumsum(axis=0)", "x.count_nonzero(axis=0)", "x.amax(axis=0)", "x.amin(axis=1, "
    "keepdims=True)", "x.nansum(axis=0)", "x.var(axis=0)", "m.std(x, axis=0, keepdims=True)",
    "x.kthvalue(1, axis=0)", "m.logsumexp(x, axis=1, keepdims=True)",
    "x.any(axis=0, keepdims=True)", "x.all(axis=1)", "x.aminmax(axis=0)", "x.nanmean(axis=0)",
    "m.var_mean(x, axis=0)", "x.std(axis=(0, 1), keepdims=True)", "x.argmax(axis=1)",
    "x.argmin(axis=0, keepdims=True)", "x.sum(dim=0, axis=1)", "x.max(dim=0, axis=1)",
]


@pytest.mark.parametrize("call", NUMPY_NAMES)
def test_numpy_axis_and_keepdims_names(call):
    x = np.array([[0.0, 3.0, 2.0], [5.0, 1.0, 4.0]], np.float32)
    outcome(lambda m, x: eval(call), (ember.tensor(x),), (torch.tensor(x),))


# ------------------------------------------ empty norms, silent NumPy, out=
@pytest.mark.parametrize("ord", [float("inf"), -float("inf"), -1, -0.5, -2.0, 0, 0.5, 1, 2])
@pytest.mark.parametrize("call", [
    lambda m, x, o: m.norm(x, o), lambda m, x, o: x.norm(o),
    lambda m, x, o: x.norm(o, dim=0), lambda m, x, o: m.norm(x, o, dim=(1, 0)),
    lambda m, x, o: x.norm(o, dim=-2, keepdim=True), lambda m, x, o: x.norm(o, dim=1)])
def test_norm_of_empty_tensor_like_torch(ord, call):
    """inf and negative orders have no identity: torch refuses them over no elements
    (naming the order and the empty dim as written), and so does ember."""
    x = np.zeros((0, 3), np.float32)
    outcome(lambda m, a: call(m, a, ord), (ember.tensor(x),), (torch.tensor(x),))


SPECIAL_INPUTS = {
    "empty": np.zeros((0, 3), np.float32),
    "infinities": np.array([[np.inf, -np.inf, 1.0], [np.inf, 2.0, 0.0]], np.float32),
    "nan": np.array([[np.nan, 1.0, 2.0], [0.0, 0.0, 0.0]], np.float32),
    "float32_overflow": np.full((2, 3), 3e38, np.float32),
    "float16_overflow": np.full((2, 3), 60000.0, np.float16),
    "zeros": np.zeros((2, 3), np.float32),
}
QUIET_CALLS = {
    "sum": lambda m, x: x.sum(), "sum_dim": lambda m, x: x.sum(1), "mean": lambda m, x: x.mean(),
    "mean_dim": lambda m, x: m.mean(x, 0), "nansum": lambda m, x: x.nansum(),
    "nanmean": lambda m, x: x.nanmean(1), "prod": lambda m, x: x.prod(),
    "var": lambda m, x: x.var(1), "std": lambda m, x: m.std(x, 0),
    "norm": lambda m, x: x.norm(), "norm_half": lambda m, x: x.norm(0.5, dim=1),
    "norm_p3": lambda m, x: m.norm(x, 3), "logsumexp": lambda m, x: x.logsumexp(1),
    "cumsum": lambda m, x: x.cumsum(1), "cumprod": lambda m, x: x.cumprod(0),
}


@pytest.mark.parametrize("inputs", SPECIAL_INPUTS)
@pytest.mark.parametrize("name", QUIET_CALLS)
def test_reductions_leak_no_numpy_warnings(name, inputs):
    """torch turns empty, infinite and overflowing inputs into nan and inf silently;
    ember must not leak NumPy's RuntimeWarnings ("Mean of empty slice", "overflow
    encountered in reduce", ...), and must give torch's values."""
    x = SPECIAL_INPUTS[inputs]
    expected = QUIET_CALLS[name](torch, torch.tensor(x))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        got = QUIET_CALLS[name](ember, ember.tensor(x))
    assert_same(got, expected, rtol=3e-3, atol=3e-3)


OUT_CALLS = {
    "sum": lambda m, x, o: m.sum(x, 1, out=o),
    "sum_keepdim": lambda m, x, o: m.sum(x, (0, 1), True, out=o),
    "nansum": lambda m, x, o: m.nansum(x, 0, out=o),
    "mean": lambda m, x, o: m.mean(x, 1, out=o),
    "prod": lambda m, x, o: m.prod(x, 0, out=o),
    "amax": lambda m, x, o: m.amax(x, 1, out=o),
    "var": lambda m, x, o: m.var(x, 1, out=o),
    "std": lambda m, x, o: m.std(x, 0, out=o),
    "norm": lambda m, x, o: m.norm(x, dim=1, out=o),
    "logsumexp": lambda m, x, o: m.logsumexp(x, 1, out=o),
    "cumsum": lambda m, x, o: m.cumsum(x, 1, out=o),
    "cumprod": lambda m, x, o: m.cumprod(x, 0, out=o),
}


@pytest.mark.parametrize("out_shape", [(0,), (2, 3)])
@pytest.mark.parametrize("name", OUT_CALLS)
def test_out_argument_like_torch(name, out_shape):
    """out= receives the result (resized if its shape differs) and is returned."""
    x = np.random.default_rng(0).standard_normal((2, 3)).astype(np.float32)
    e_out, t_out = ember.zeros(out_shape), torch.zeros(out_shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # torch's deprecation warning on resizing out
        warnings.filterwarnings("error", category=RuntimeWarning, module="ember")
        expected = OUT_CALLS[name](torch, torch.tensor(x), t_out)
    got = OUT_CALLS[name](ember, ember.tensor(x), e_out)
    assert got is e_out
    assert_same(e_out, t_out)
    assert_same(got, expected)


@pytest.mark.parametrize("op", ["max", "min", "sort"])
def test_out_pair_like_torch(op):
    x = np.random.default_rng(1).standard_normal((2, 3)).astype(np.float32)
    results = []
    for m in (torch, ember):
        out = (m.zeros(0), m.zeros(0, dtype=m.int64))
        got = getattr(m, op)(m.tensor(x), 0, out=out)
        assert got[0] is out[0] and got[1] is out[1]
        results.append(got)
    assert type(results[1]).__name__ == type(results[0]).__name__ == f"{op}_out"
    assert repr(results[1]) == repr(results[0])


def test_out_refuses_a_result_that_needs_grad():
    def call(m):
        m.sum(m.ones(2, 3, requires_grad=True), 0, out=m.zeros(3))
    with pytest.raises(RuntimeError) as expected:
        call(torch)
    with pytest.raises(RuntimeError, match=r"^sum\(\): functions with out=") as got:
        call(ember)
    assert str(got.value) == str(expected.value)


def test_numpy_reductions_accept_ember_tensors():
    """np.sum(t) calls t.sum(axis=None, dtype=None, out=None): ember takes it."""
    x = ember.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert_same(np.sum(x), torch.tensor(21.0))
    assert_same(np.sum(x, axis=1), torch.tensor([6.0, 15.0]))
    assert_same(np.mean(x, axis=0), torch.tensor([2.5, 3.5, 4.5]))
    assert_same(np.prod(x), torch.tensor(720.0))
    assert_same(np.max(x), torch.tensor(6.0))


def test_reductions_restore_the_callers_numpy_error_state():
    """Reductions silence NumPy's floating point errors only while they run: the
    caller's own np.errstate (nested around them) is back in force afterwards."""
    x = ember.tensor([3e38, 3e38])
    with np.errstate(over="raise"):
        assert ember.isinf(x.sum()).item() and ember.isinf(x.sum(0)).item()
        assert np.geterr()["over"] == "raise"
        with pytest.raises(FloatingPointError):
            np.float32(3e38) * np.float32(10)
    assert np.geterr()["over"] == "warn"


# ------------------------------------------------------- result layouts
LAYOUT_CALLS = dict(REDUCTIONS, **{
    "cummax": lambda m, x, d, k: x.cummax(d if d is not None else 0),
    "cummin": lambda m, x, d, k: m.cummin(x, d if d is not None else -1),
    "aminmax": lambda m, x, d, k: m.aminmax(x, dim=d, keepdim=k) if d is not None else
    m.aminmax(x),
    "vector_norm": lambda m, x, d, k: m.linalg.vector_norm(x, dim=d, keepdim=k),
    "nanmean": lambda m, x, d, k: x.nanmean(d, k),
})
LAYOUT_CALLS["msort"] = lambda m, x, d, k: m.msort(x)


def permuted_inputs(rng):
    """Non-C-ordered inputs: every permutation of a 2-D, 3-D (with and without a
    size-1 dim) block, and a column slice, as (ember, torch) pairs."""
    for shape in [(4, 5), (2, 3, 4), (4, 1, 5)]:
        a = (rng.standard_normal(shape) * 2).astype(np.float32)
        for perm in itertools.permutations(range(len(shape))):
            yield ember.tensor(a).permute(perm), torch.tensor(a).permute(perm)
    a = rng.standard_normal((4, 10)).astype(np.float32)
    yield ember.tensor(a)[:, ::2], torch.tensor(a)[:, ::2]


@pytest.mark.parametrize("name", LAYOUT_CALLS)
def test_reduction_results_of_permuted_inputs_have_torchs_strides(name):
    # torch lays out every reduction's and scan's result in C order, whatever the
    # input's layout (NumPy follows the input's order: x.T.sum(0, True) was F-ordered);
    # sort's results keep the input's layout instead (NumPy's indexing gave C order)
    fn = LAYOUT_CALLS[name]
    for e, t in permuted_inputs(np.random.default_rng(3)):
        if name in ("all", "any"):
            e, t = e > 0, t > 0
        for d in [None, 0, 1, -1, (0, -1)]:
            if isinstance(d, tuple) and name in (
                    "prod", "argmax", "argmin", "max", "min", "cumsum", "cumprod", "cummax",
                    "cummin", "count_nonzero", "aminmax", "sort", "argsort", "msort"):
                continue
            for keep in (False, True):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    warnings.filterwarnings("error", category=RuntimeWarning, module="ember")
                    try:
                        want = fn(torch, t, d, keep)
                    except RuntimeError:            # (logsumexp over dim=())
                        with pytest.raises(RuntimeError):
                            fn(ember, e, d, keep)
                        continue
                    got = fn(ember, e, d, keep)
                wants = want if isinstance(want, tuple) else (want,)
                gots = got if isinstance(got, tuple) else (got,)
                for g, w in zip(gots, wants):
                    where = f"{name} {tuple(t.shape)} {t.stride()} dim={d} keep={keep}"
                    assert_same(g, w, rtol=1e-4, atol=1e-5, what=where)
                    assert g.stride() == w.stride(), (where, g.stride(), w.stride())
                    assert g.is_contiguous() == w.is_contiguous(), where


# ------------------------------------------------------ dim and axis together
BOTH_DIM_AND_AXIS = [
    "x.max(dim=None, axis=1)", "x.min(dim=None, axis=0)", "x.max(dim=0, axis=1)",
    "M.max(x, 0, axis=1)", "x.max(axis=1, dim=None)", "x.argmax(dim=None, axis=1)",
    "x.argmin(dim=0, axis=1)", "M.argmax(x, None, axis=1)", "x.sum(dim=None, axis=1)",
    "x.sum(None, axis=1)", "M.sum(x, dim=0, axis=1)", "x.mean(dim=None, axis=1)",
    "x.mean(dim=0, axis=1)", "x.nansum(dim=None, axis=1)", "x.nanmean(dim=None, axis=1)",
    "x.amax(dim=(), axis=1)", "x.amin(dim=0, axis=1)", "x.var(dim=None, axis=1)",
    "x.std(None, axis=1)", "x.all(dim=None, axis=1)", "x.any(None, axis=1)",
    "x.cumsum(0, axis=1)", "x.topk(1, 0, axis=1)", "x.median(0, axis=1)",
    "M.kthvalue(x, 1, 0, axis=1)", "M.logsumexp(x, 0, axis=1)", "x.nanmedian(1, axis=0)",
    "M.logcumsumexp(x, 0, axis=0)", "x.cumprod(dim=0, axis=0)",
    "x.max(dim=None)", "x.min(None, True)", "M.max(x, None)",
]
ONE_OF_DIM_AND_AXIS = [
    "x.max(axis=1)", "x.min(axis=0, keepdims=True)", "x.argmax(axis=None)",
    "x.argmax(dim=None, keepdim=True)", "x.sum(dim=None)", "x.sum(axis=None)",
    "x.sum(axis=1, keepdims=True)", "x.mean(None, True)", "x.mean(axis=0)",
    "x.nansum(axis=1)", "x.nanmean(dim=None)", "x.amax(dim=None)", "x.amin(axis=1)",
    "x.var(axis=1)", "x.std(dim=None)", "x.all(axis=0)", "x.any(dim=None)", "x.max()",
    "M.max(x, 1)", "M.sum(x, axis=0)", "x.var(True)", "x.amax()", "x.argmin()",
]


@pytest.mark.parametrize("call", BOTH_DIM_AND_AXIS + ONE_OF_DIM_AND_AXIS)
def test_dim_and_axis_together_raise_torchs_type_error(call):
    # torch takes ``axis`` for ``dim`` but refuses both, even a dim of None; max and min
    # take no dim of None at all
    x = np.arange(20.0).reshape(4, 5)
    outcome(lambda M, x: eval(call), [ember.tensor(x)], [torch.tensor(x)],
            check_message=False)
    if call in BOTH_DIM_AND_AXIS:
        with pytest.raises(TypeError) as info:
            eval(call, {"M": ember, "x": ember.tensor(x)})
        assert ("'axis'" in str(info.value) or "'dim' must be int" in str(info.value)
                or "'dim' (position 1) must be int" in str(info.value)
                or "received an invalid combination" in str(info.value))


# ------------------------------------------------- dims that are not integers
_REDUCTION_DIM_CALLS = [      # (call, torch's name of the op)
    (lambda x, d: x.sum(d), "sum"), (lambda x, d: x.sum(dim=d), "sum"),
    (lambda x, d: x.nansum(d), "nansum"), (lambda x, d: x.mean(d), "mean"),
    (lambda x, d: x.prod(d), "prod"), (lambda x, d: x.max(d), "max"),
    (lambda x, d: x.min(d), "min"), (lambda x, d: x.amax(d), "amax"),
    (lambda x, d: x.amin(d), "amin"), (lambda x, d: x.argmax(d), "argmax"),
    (lambda x, d: x.argmin(d), "argmin"), (lambda x, d: x.var(d, correction=0), "var"),
    (lambda x, d: x.std(d, keepdim=True), "std"), (lambda x, d: x.logsumexp(d), "logsumexp"),
    (lambda x, d: x.cumsum(d), "cumsum"), (lambda x, d: x.cumprod(d), "cumprod"),
    (lambda x, d: x.cummax(d), "cummax"), (lambda x, d: x.all(d), "all"),
    (lambda x, d: x.any(d), "any"), (lambda x, d: x.count_nonzero(d), "count_nonzero"),
    (lambda x, d: x.sort(d), "sort"), (lambda x, d: x.argsort(d), "argsort"),
    (lambda x, d: x.topk(1, d), "topk"), (lambda x, d: x.kthvalue(1, d), "kthvalue"),
    (lambda x, d: x.median(d), "median"), (lambda x, d: x.nanmedian(d), "nanmedian"),
]


@pytest.mark.parametrize("bad", [1.5, True, "a", None, (0, 1.0), [0, "a"], (None,)],
                         ids=lambda b: repr(b))
@pytest.mark.parametrize("call, op", _REDUCTION_DIM_CALLS,
                         ids=[f"{i}-{c[1]}" for i, c in enumerate(_REDUCTION_DIM_CALLS)])
def test_reduction_dims_that_are_no_ints_raise_torchs_type_error(call, op, bad):
    """As torch: a TypeError whose message names the op, the argument and the type
    (torch's own wording varies with its overloads; where it names the argument, the
    two agree but for its "(position n)")."""
    import re
    array = np.arange(24.0, dtype=np.float32).reshape(2, 3, 4)
    t = raised(lambda: call(torch.tensor(array), bad))
    e = raised(lambda: call(ember.tensor(array), bad))
    if t is None:                   # (None for all dims; var(True) the old unbiased)
        assert e is None, repr(e)
        return
    assert type(t) is TypeError and type(e) is TypeError, (t, e)
    e_text, t_text = str(e), str(t).splitlines()[0]
    if "failed to unpack" in t_text:        # (an element after the first: torch's text)
        assert e_text == t_text
        return
    if "invalid combination" in e_text:     # (ember lists the overloads as torch does,
        # but for sum/mean/max/min shows dim as passed by position even when it was not)
        assert e_text.splitlines()[0].split(" - got")[0] == t_text.split(" - got")[0]
        return
    assert re.match(f"{op}\\(\\): argument 'dim' (\\(position \\d\\) )?must be ", e_text), e_text
    shown = [type(bad).__name__] + ([type(bad[-1]).__name__] if isinstance(bad, (tuple, list))
                                    else [])
    assert re.search(f"(not|element of type) ({'|'.join(shown)})( at pos \\d)?$", e_text), e_text
    if "(): argument 'dim' (position" in t_text or "(): argument 'dim' must" in t_text:
        assert e_text in (t_text, re.sub(r" \(position \d+\)", "", t_text))


@pytest.mark.parametrize("call", [
    lambda x, d: x.sum(d), lambda x, d: x.mean((0, d)), lambda x, d: x.prod(d),
    lambda x, d: x.max(d)[0], lambda x, d: x.argmax(d), lambda x, d: x.var(d),
    lambda x, d: x.logsumexp(d), lambda x, d: x.cumsum(d), lambda x, d: x.median(d)[1],
    lambda x, d: x.nanmedian(d)[1],
    lambda x, d: x.sum(dim=(0, True)), lambda x, d: x.amax((0, True))])
@pytest.mark.parametrize("index", [1, np.int64(1), np.int32(-2)], ids=lambda i: type(i).__name__)
def test_reduction_dims_that_are_integers_work_as_in_torch(call, index):
    array = np.arange(24.0, dtype=np.float32).reshape(2, 3, 4)
    assert_same(call(ember.tensor(array), index), call(torch.tensor(array), index))


def test_dim_left_out_reduces_everything_where_a_dim_of_none_is_refused():
    array = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    for op in ("prod", "median"):
        assert_same(getattr(ember.tensor(array), op)(), getattr(torch.tensor(array), op)())
        assert_same(getattr(ember, op)(ember.tensor(array)), getattr(torch, op)(
            torch.tensor(array)))
    e = ember.tensor(array, requires_grad=True)
    assert type(e.prod().grad_fn).__name__ == "ProdBackward0"
    assert type(e.prod(1).grad_fn).__name__ == "ProdBackward1"
    assert float(np.prod(ember.tensor(array))) == 0.0      # NumPy's axis=None: all of them


# ------------------------------------------------ edges found by fuzzing against torch
def _both_of(array):
    return ember.tensor(array.copy()), torch.tensor(array.copy())


@pytest.mark.parametrize("array, kwargs", [
    (np.array([[1, 2], [1, 2], [3, 4], [1, 2]]), dict(dim=0)),
    (np.array([[1, 1, 2], [1, 1, 4]]), dict(dim=1)),
    (np.array([[1, 1, 2], [1, 1, 4]]), dict(dim=-1)),
    (np.array([[np.nan], [np.nan]]), dict(dim=0)),
    (np.zeros((2, 0)), dict(dim=1)),
    (np.zeros((0, 2)), dict(dim=0)),
    (np.array(3), dict(dim=0)),
    (np.array([[1., 2.], [1., 2.]]).T, dict(dim=1)),
])
def test_unique_consecutive_along_a_dim_collapses_equal_slices(array, kwargs):
    e, t = _both_of(array)
    outcome(lambda m, x: m.unique_consecutive(x, return_inverse=True, return_counts=True,
                                              **kwargs), (e,), (t,))
    outcome(lambda m, x: m.unique_consecutive(x, **kwargs), (e,), (t,))


@pytest.mark.parametrize("make", [
    lambda m: m.bincount(m.tensor([[1, 2]])),
    lambda m: m.bincount(m.tensor([-1, 2])),
    lambda m: m.bincount(m.tensor(3)),
    lambda m: m.bincount(m.tensor([1., 2.])),
    lambda m: m.bincount(m.tensor([True, False])),
    lambda m: m.bincount(m.tensor([1, 2]), weights=m.tensor([1., 2., 3.])),
    lambda m: m.bincount(m.tensor([1, 2]), minlength=-1),
    lambda m: m.bincount(m.tensor([1, 2]), weights=m.tensor([1., 2.])),
    lambda m: m.bincount(m.tensor([1, 2]), weights=m.tensor([1., 2.], dtype=m.float16)),
    lambda m: m.bincount(m.tensor([1, 2]), weights=m.tensor([1, 2])),
    lambda m: m.bincount(m.tensor([], dtype=m.int64), minlength=2),
    lambda m: m.bincount(m.tensor([1, 2]), minlength=2.0),
    lambda m: m.bincount(m.tensor([1, 2]), minlength=None),
    lambda m: m.bincount(m.tensor([1, 2]), minlength=np.int64(4)),
])
def test_bincount_dtypes_and_errors_are_torchs(make):
    outcome(lambda m: make(m), (), ())


@pytest.mark.parametrize("shape, k, dim", [((0,), 1, 0), ((3, 0), 1, 1), ((3, 0), 1, 0),
                                           ((3,), 4, 0), ((), 2, 0)])
def test_kthvalue_over_an_empty_dim_raises_torchs_index_error(shape, k, dim):
    e, t = _both_of(np.zeros(shape, np.float32))
    outcome(lambda m, x: m.kthvalue(x, k, dim), (e,), (t,))


@pytest.mark.parametrize("dtype", DTYPE_NAMES)
def test_median_of_nothing_and_of_bools_is_torchs(dtype):
    e, t = _both_of(np.zeros(0, dtype))
    outcome(lambda m, x: m.median(x), (e,), (t,))
    e, t = _both_of(np.zeros((2, 3), dtype))
    outcome(lambda m, x: m.median(x), (e,), (t,))
    outcome(lambda m, x: m.median(x, 1), (e,), (t,))


@pytest.mark.parametrize("shape, kwargs", [((0,), {}), ((2, 0), {}), ((0,), dict(dim=0)),
                                           ((2, 0), dict(dim=-1)), ((2, 0), dict(dim=0)),
                                           ((2, 3), dict(dim=(0,))), ((2, 3), dict(dim=[1])),
                                           ((), dict(dim=0)), ((2, 3), dict(dim=-3))])
def test_aminmax_takes_one_int_dim_and_refuses_empty_dims_as_torch(shape, kwargs):
    e, t = _both_of(np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape))
    outcome(lambda m, x: m.aminmax(x, **kwargs), (e,), (t,))


@pytest.mark.parametrize("kwargs, name", [({}, "SortBackward0"), (dict(stable=True),
                                                                   "SortBackward1"),
                                          (dict(stable=False), "SortBackward1")])
def test_sort_with_stable_given_is_torchs_other_node(kwargs, name):
    for m in (ember, torch):
        x = m.tensor([3., 1., 2.], requires_grad=True)
        assert type(m.sort(x, **kwargs).values.grad_fn).__name__ == name


@pytest.mark.parametrize("make", [
    lambda m: m.unique_consecutive(m.zeros(2, 0), dim=1),
    lambda m: m.unique_consecutive(m.zeros(0, 2, 0), dim=1),
    lambda m: m.unique_consecutive(m.zeros(2, 0, 3), dim=0),
    lambda m: m.zeros(3, dtype=m.bool).cumsum_(0),
    lambda m: m.zeros(0, dtype=m.bool).cumsum_(0),
    lambda m: m.zeros(3, dtype=m.bool).kthvalue(1),
    lambda m: m.zeros(3, dtype=m.bool).kthvalue(5),
    lambda m: m.zeros(0, dtype=m.bool).median(0),
    lambda m: m.zeros(3, dtype=m.bool).median(0),
    lambda m: m.zeros(3, dtype=m.bool).median(3),
    lambda m: m.zeros(3, dtype=m.bool).argmax(dim=(0,)),
    lambda m: m.zeros(3, dtype=m.bool).argmin(dim=[0]),
    lambda m: m.zeros(3, dtype=m.bool).argmax(0),
    lambda m: m.bincount(m.tensor([], dtype=m.int64), weights=m.tensor([], dtype=m.float32),
                         minlength=2),
])
def test_the_order_of_checks_on_bool_and_empty_inputs_is_torchs(make):
    outcome(lambda m: make(m), (), ())


@pytest.mark.parametrize("op, args", [
    ("sum", ()), ("mean", ()), ("prod", ()), ("max", ()), ("max", (0,)), ("min", (0,)),
    ("amax", ()), ("argmax", ()), ("argmin", (0,)), ("var", ()), ("std_mean", ()),
    ("cumsum", (0,)), ("cummax", (0,)), ("logsumexp", (0,)), ("all", ()), ("any", ()),
    ("sort", ()), ("argsort", ()), ("topk", (1,)), ("kthvalue", (1,)), ("median", ()),
    ("unique", ()), ("count_nonzero", ()), ("bincount", ()), ("aminmax", ()),
])
@pytest.mark.parametrize("bad", [[1, 2], 3, None])
def test_an_input_that_is_no_tensor_raises_torchs_type_error(op, args, bad):
    with pytest.raises(TypeError) as te:
        getattr(torch, op)(bad, *args)
    with pytest.raises(TypeError) as ee:
        getattr(ember, op)(bad, *args)
    expected = str(te.value).splitlines()[0]
    if "argument 'input'" in expected:      # (else an overloaded op: torch lists them all)
        assert str(ee.value) == expected.replace("_unique2(", "unique(")
    elif "invalid combination" in str(ee.value):   # (ember lists them too)
        assert str(ee.value).splitlines()[0] == expected
    else:
        assert str(ee.value) == f"{op}(): argument 'input' (position 1) must be Tensor, " \
            f"not {type(bad).__name__}"


def test_an_integer_0_dim_tensor_is_a_dim_and_k_must_be_an_int():
    e, t = _both_of(np.arange(6.).reshape(2, 3))
    assert_same(e.sum(ember.tensor(1)), t.sum(torch.tensor(1)))
    for op in ("topk", "kthvalue"):
        with pytest.raises(TypeError, match="argument 'k'.* must be int, not float"):
            getattr(torch, op)(t, 1.0)
        with pytest.raises(TypeError, match="argument 'k' must be int, not float"):
            getattr(ember, op)(e, 1.0)


@pytest.mark.parametrize("shape", [(), (2, 3)])
@pytest.mark.parametrize("call", [lambda x: x.sum(()), lambda x: x.mean(()),
                                  lambda x: x.sum(dim=None), lambda x: x.mean(dim=None),
                                  lambda x: x.sum(), lambda x: x.sum(dtype=x.dtype),
                                  lambda x: x.mean(), lambda x: x.sum(-1)])
def test_sum_and_mean_record_torchs_node_once_any_dim_is_given(shape, call):
    names = []
    for m in (ember, torch):
        names.append(call(m.zeros(shape, requires_grad=True)).grad_fn.name())
    assert names[0] == names[1]


def test_the_2_norm_gradient_of_a_tiny_float16_vector_does_not_overflow():
    v = np.array([0, np.finfo(np.float16).tiny / 4, 0], np.float16)
    grads = []
    for m in (ember, torch):
        x = m.tensor(v.copy(), requires_grad=True)
        m.linalg.vector_norm(x).backward()
        grads.append(x.grad)
    assert_same(grads[0], grads[1])
    assert_grads_same(lambda m, a: m.linalg.vector_norm(a, dim=1), [np.array(
        [[3., 4.], [0., 0.], [1e-3, 0.]], np.float64)])


# ------------------------------------------------------------- nanmedian
def with_nans(shape, dtype, rng, fraction=0.3):
    """Tied values (small integers) of ``dtype`` with NaNs here and there when it is a
    float; an all-NaN row in any 2-D float input, which is where torch's pick is odd."""
    a = sample(shape, dtype, rng)
    if dtype.startswith("float"):
        a = np.array(np.round(a), dtype=dtype)
        a[rng.random(shape) < fraction] = np.nan
        if a.ndim == 2 and a.size:
            a[0] = np.nan
    return a


NANMEDIAN_CALLS = {
    "all": lambda m, x: m.nanmedian(x), "method": lambda m, x: x.nanmedian(),
    "dim0": lambda m, x: m.nanmedian(x, 0), "dim_last_keep": lambda m, x: x.nanmedian(
        -1, keepdim=True), "dim_out_of_range": lambda m, x: x.nanmedian(3),
    "axis": lambda m, x: x.nanmedian(axis=0, keepdims=True),
}


@pytest.mark.parametrize("dtype", DTYPE_NAMES)
@pytest.mark.parametrize("call", NANMEDIAN_CALLS)
def test_nanmedian_values_indices_dtypes_and_errors_are_torchs(dtype, call):
    rng = np.random.default_rng(7)
    for shape in SHAPES + [(5, 4), (4, 7), (3, 1)]:
        for _ in range(3):
            x = with_nans(shape, dtype, rng)
            got = outcome(NANMEDIAN_CALLS[call], (ember.tensor(x),), (torch.tensor(x),))
            if isinstance(got, tuple):
                assert type(got).__name__ == "nanmedian"


@pytest.mark.parametrize("dim", [0, 1])
def test_nanmedian_of_all_nan_rows_gives_torchs_index(dim):
    # torch's index for n NaNs follows its selection algorithm's swaps: 0, 0, 0, 2, 2, 3..
    for n in list(range(1, 70)) + [127, 128, 500, 1001]:
        x = np.full((n, 3), np.nan)
        x[:, 1] = np.arange(n) % 3           # a column without NaNs beside them
        x = x if dim == 0 else x.T.copy()
        assert_same(ember.nanmedian(ember.tensor(x), dim), torch.nanmedian(torch.tensor(x), dim))


def test_nanmedian_of_permuted_and_sliced_inputs():
    x = with_nans((4, 6, 5), "float32", np.random.default_rng(1))
    e, t = ember.tensor(x), torch.tensor(x)
    for f in (lambda a: a.permute(2, 0, 1).nanmedian(1), lambda a: a[:, ::2].nanmedian(-1),
              lambda a: a.transpose(0, 2).nanmedian(), lambda a: a.transpose(0, 1).nanmedian(2)):
        assert_same(f(e), f(t))


@pytest.mark.parametrize("call", [lambda m, x: m.nanmedian(x), lambda m, x: x.nanmedian(1)[0],
                                  lambda m, x: x.nanmedian(0, keepdim=True).values * 2,
                                  lambda m, x: m.nanmedian(x.reshape(-1), 0)[0]])
def test_nanmedian_gradient_goes_where_torch_sends_it(call):
    rng = np.random.default_rng(5)
    for x in (with_nans((4, 6), "float64", rng), with_nans((5, 3), "float64", rng, 0.0),
              np.array([[2., 1., 2., 2., 1.], [np.nan, 1., 1., np.nan, 2.]])):
        assert_grads_same(call, [x])
        e, t = ember.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        assert call(ember, e).grad_fn.name() == call(torch, t).grad_fn.name()
    distinct = sample((3, 4), "float64", rng, distinct=True) / 4
    assert gradcheck(lambda a: call(ember, a), (ember.tensor(distinct, requires_grad=True),))
    assert_grads_same(call, [np.full((3, 2), np.nan)])


def test_nanmedian_grad_fn_names_are_torchs():
    for m in (ember, torch):
        x = m.tensor([1., float("nan"), 3.], requires_grad=True)
        assert x.nanmedian().grad_fn.name() == "NanmedianBackward0"
        assert x.nanmedian(0).values.grad_fn.name() == "NanmedianBackward1"


@pytest.mark.parametrize("call", [
    lambda m, x: m.nanmedian(x, None), lambda m, x: m.nanmedian(x, (0, 1)),
    lambda m, x: x.nanmedian(0.5), lambda m, x: m.nanmedian([1.0, 2.0]),
    lambda m, x: x.nanmedian(dim=0, axis=0), lambda m, x: m.nanmedian(x[:, :0], 1),
    lambda m, x: m.nanmedian(x, -3), lambda m, x: (x > 1).nanmedian(1),
])
def test_nanmedian_bad_arguments_raise_torchs_errors_and_leave_input_unchanged(call):
    """torch's type and message (but for the "(position n)" that ember leaves out of
    every reduction's dim error, as median's)."""
    import re
    x = np.array([[1., np.nan, 3.], [2., 2., np.nan]], np.float32)
    e = ember.tensor(x)
    t_err = raised(lambda: call(torch, torch.tensor(x)))
    e_err = raised(lambda: call(ember, e))
    assert type(e_err) is type(t_err) and t_err is not None, (e_err, t_err)
    # (with torch's "(position n)" where ember's wrapper knows how dim was passed)
    assert str(e_err) in (str(t_err), re.sub(r" \(position \d+\)(?=: must be int| must be "
                                             r"int)", "", str(t_err)))
    np.testing.assert_array_equal(e.numpy(), x)


# ---------------------------------------------------------- logcumsumexp
def with_specials(shape, dtype, rng):
    """Values of ``dtype`` with -inf, inf and NaN sprinkled in (floats only)."""
    a = sample(shape, dtype, rng)
    if dtype.startswith("float") and a.ndim:
        pick = rng.random(shape)
        a[pick < 0.15] = -np.inf
        a[(pick >= 0.15) & (pick < 0.2)] = np.inf
        a[(pick >= 0.2) & (pick < 0.23)] = np.nan
    return a


@pytest.mark.parametrize("dtype", DTYPE_NAMES)
@pytest.mark.parametrize("call", [lambda m, x: m.logcumsumexp(x, 0),
                                  lambda m, x: x.logcumsumexp(-1),
                                  lambda m, x: x.logcumsumexp(dim=1),
                                  lambda m, x: m.logcumsumexp(x, axis=0),
                                  lambda m, x: x.logcumsumexp(3)])
def test_logcumsumexp_values_dtypes_and_errors_are_torchs(dtype, call):
    rng = np.random.default_rng(11)
    for shape in SHAPES + [(6, 5)]:
        for special in (False, True):
            x = (with_specials if special else sample)(shape, dtype, rng)
            outcome(call, (ember.tensor(x),), (torch.tensor(x),), **tol(dtype))


def test_logcumsumexp_is_stable_and_float16_rounds_once_as_torch():
    inf, nan = np.inf, np.nan
    special = np.array([[-inf, -inf, -inf], [inf, 1., -inf], [1., nan, 2.], [-inf, inf, inf],
                        [1e30, 1e30, -1e30], [inf, -inf, inf], [-1e4, 0., 1e4]])
    for dtype in ("float32", "float64", "float16"):
        with np.errstate(over="ignore"):        # (1e30 is inf in float16)
            x = special.astype(dtype)
        assert_same(ember.tensor(x).logcumsumexp(1), torch.tensor(x).logcumsumexp(1))
    # float16 sums in float32 and rounds each result once: torch's values exactly
    x = (np.random.default_rng(2).standard_normal((40, 30)) * 3).astype(np.float16)
    assert_same(ember.tensor(x).logcumsumexp(1), torch.tensor(x).logcumsumexp(1), 0, 0)


def test_logcumsumexp_of_permuted_inputs_and_out_argument():
    x = sample((3, 4, 5), "float32", np.random.default_rng(3))
    e, t = ember.tensor(x).permute(2, 0, 1), torch.tensor(x).permute(2, 0, 1)
    for d in range(3):
        got, want = e.logcumsumexp(d), t.logcumsumexp(d)
        assert_same(got, want)
        assert got.stride() == want.stride()
    eo, to = ember.empty(5, 3, 4), torch.empty(5, 3, 4)
    assert_same(ember.logcumsumexp(e, 1, out=eo), torch.logcumsumexp(t, 1, out=to))
    assert_same(eo, to)


@pytest.mark.parametrize("grad_out", [None, "signs", "zeros"])
def test_logcumsumexp_gradient_with_infinities_and_large_values_is_torchs(grad_out):
    rng = np.random.default_rng(9)
    for x in (with_specials((4, 6), "float64", rng), sample((3, 5), "float64", rng) * 300,
              np.array([[-np.inf, 0., 1.], [-np.inf, -np.inf, 2.], [800., 799., -800.]]),
              np.array(1.5), np.zeros((0, 3)), np.zeros((2, 0))):
        g = None
        if grad_out == "signs" and x.ndim:
            g = np.where(np.arange(x.size).reshape(x.shape) % 2, -1.5, 2.0)
        elif grad_out == "zeros":
            g = np.zeros(x.shape)
        for dim in (0, -1):
            assert_grads_same(lambda m, a: m.logcumsumexp(a, dim), [x], grad_out=g)


@pytest.mark.parametrize("call", [
    lambda m, x: m.logcumsumexp(x, None), lambda m, x: x.logcumsumexp((0, 1)),
    lambda m, x: x.logcumsumexp(0.5), lambda m, x: m.logcumsumexp([1.0, 2.0], 0),
    lambda m, x: m.logcumsumexp(x, 2), lambda m, x: (x > 1).logcumsumexp(0),
    lambda m, x: x.long().logcumsumexp(5), lambda m, x: x.int().logcumsumexp(0),
    lambda m, x: x.logcumsumexp(0, axis=0),
])
def test_logcumsumexp_bad_arguments_raise_torchs_errors_and_leave_input_unchanged(call):
    import re
    x = np.array([[1., np.nan, 3.], [2., -np.inf, 0.]], np.float32)
    e = ember.tensor(x)
    t_err = raised(lambda: call(torch, torch.tensor(x)))
    e_err = raised(lambda: call(ember, e))
    assert type(e_err) is type(t_err) and t_err is not None, (e_err, t_err)
    # (with torch's "(position n)": logcumsumexp's wrapper knows how dim was passed)
    assert str(e_err) in (str(t_err), re.sub(r" \(position \d+\)(?= must be int)", "",
                                             str(t_err)))
    np.testing.assert_array_equal(e.numpy(), x)
    with pytest.raises(TypeError):
        ember.logcumsumexp(e)           # (dim is required, as in torch)


# ------------------------------------------------------------ float16 prod
def half_views():
    """Layouts that take torch's different loops: contiguous, transposed, sliced (the
    innermost stride 2), cut short (runs of stride 1 that do not merge), permuted."""
    return {"contiguous": lambda x: x, "transposed": lambda x: x.permute(
        *reversed(range(x.ndim))), "strided": lambda x: x[..., ::2],
        "cut": lambda x: x[..., 1:], "moved": lambda x: x.transpose(0, -1)}


@pytest.mark.parametrize("view", half_views())
@pytest.mark.parametrize("shape", [(300,), (7, 50), (50, 7), (3, 5, 140), (64, 3), (3, 64),
                                   (9, 200), (2, 130, 3), (1, 200), (4, 4, 4), (6, 0), (129,)])
def test_float16_prod_rounds_every_product_as_torch(view, shape):
    rng = np.random.default_rng(len(shape) * 1000 + shape[-1])
    a = rng.uniform(0.85, 1.2, shape).astype(np.float16)
    e, t = half_views()[view](ember.tensor(a)), half_views()[view](torch.tensor(a))
    assert_same(e.prod(), t.prod(), 0, 0)           # bit for bit
    for d in range(e.ndim):
        for keep in (False, True):
            assert_same(e.prod(d, keepdim=keep), t.prod(d, keepdim=keep), 0, 0)


def test_float16_prod_overflows_and_propagates_specials_as_torch():
    x = np.array([[300, 300, 1e-3, 0], [np.inf, 0, 1, 2], [np.nan, 1, 2, 3],
                  [-300, 300, -1, 1e-3], [6e4, 2, 0.5, 1]], np.float16)
    e, t = ember.tensor(x), torch.tensor(x)
    assert_same(e.prod(1), t.prod(1), 0, 0)
    assert_same(e[0, :3].prod(), t[0, :3].prod(), 0, 0)        # inf, where float32 gives 90
    assert_same(ember.prod(e[3], 0, keepdim=True), torch.prod(t[3], 0, keepdim=True), 0, 0)
    a = np.random.default_rng(0).uniform(0.85, 1.2, (5, 100)).astype(np.float32)
    for call in (lambda m, x: x.prod(1, dtype=m.float16), lambda m, x: x.prod(dtype=m.float16),
                 lambda m, x: m.prod(x.half(), 0), lambda m, x: x.half()[:, 3].prod()):
        assert_same(call(ember, ember.tensor(a)), call(torch, torch.tensor(a)), 0, 0)


def test_float16_prod_of_many_elements_is_torchs_on_one_thread():
    # above 32768 elements torch splits a whole-tensor product among its threads (each
    # thread count rounds differently); ember gives what torch gives on one
    a = np.random.default_rng(1).uniform(0.9995, 1.0005, 40000).astype(np.float16)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        expected = torch.tensor(a).prod()
    finally:
        torch.set_num_threads(threads)
    assert_same(ember.tensor(a).prod(), expected, 0, 0)
    rows = a.reshape(400, 100)
    assert_same(ember.tensor(rows).prod(1), torch.tensor(rows).prod(1), 0, 0)


def test_float16_prod_gradient_is_torchs():
    x = np.random.default_rng(2).uniform(0.5, 1.5, (3, 70)).astype(np.float16)
    x[1, 5] = 0
    for call in (lambda m, a: a.prod(1), lambda m, a: a[0].prod(), lambda m, a: a.prod(0)):
        assert_grads_same(call, [x], rtol=2e-3, atol=1e-3)


# ------------------------------------------------------------------------- mode
MODE_CALLS = [
    "m.mode(m.tensor([[1., 2., 2., 1., 3.], [5., 5., 4., 4., 4.]]))",     # ties: the smallest
    "m.mode(m.tensor([3, 1, 1, 3, 2, 2]))", "m.mode(m.tensor([0., -0., -0.]))",
    "m.mode(m.tensor(5.))", "m.mode(m.tensor(5.), 0, True)", "m.mode(m.tensor(5.), -1, keepdim=True)",
    "m.mode(m.tensor([True, False, True]))", "m.zeros(3, 4).mode(0, keepdim=True)",
    "m.mode(m.zeros(0, 2), 1)", "m.mode(m.tensor([[1, 2], [2, 2], [1, 1]], dtype=m.int8), dim=0)",
    "m.mode(m.tensor([1., 2.], dtype=m.float16))", "m.mode(m.tensor([[1, 2], [2, 2], [1, 1]]), 1, True)",
    "m.mode(m.arange(24).reshape(2, 3, 4) % 3, 1)", "m.mode(m.zeros(2), np.int64(0))",
    "m.tensor([[1., 2.], [1., 2.]]).t().mode(1)",
    # (NaN: the values only; torch's sort of NaNs is undefined, its index arbitrary)
    "m.mode(m.tensor([3., 1., float('nan'), float('nan'), 1.])).values",
    "m.mode(m.tensor([float('nan'), float('nan'), 1.])).values",
    # errors
    "m.mode(m.zeros(0))", "m.mode(m.zeros(2, 0))", "m.mode(m.zeros(0, 2), 0)",
    "m.mode(m.zeros(2), 1)", "m.mode([1, 2])", "m.mode(m.tensor(5.), 1)",
    "m.mode(m.zeros(2), dim=None)", "m.mode(m.zeros(2), dim=1.5)", "m.zeros(2).mode(keepdim=1)",
]


@pytest.mark.parametrize("call", MODE_CALLS)
def test_mode_against_torch(call):
    outcome(lambda m: eval(call, {"m": m, "np": np}), (), ())


def test_mode_is_torchs_named_tuple():
    r, t = ember.mode(ember.tensor([1, 1, 2])), torch.mode(torch.tensor([1, 1, 2]))
    assert repr(r) == repr(t)
    assert (r.values.item(), r.indices.item()) == (t.values.item(), t.indices.item())
    assert type(r).__module__ == "torch.return_types" and type(r).__name__ == "mode"


def test_mode_positional_bad_dim_is_a_type_error():
    # (torch adds "(position 2)" to the message)
    with pytest.raises(TypeError, match="mode\\(\\): argument 'dim'.* must be int, not bool"):
        ember.mode(ember.zeros(2), True)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 16), min_size=1, max_size=3), st.integers(1, 4), st.booleans(),
       st.data())
def test_mode_random_lanes_of_up_to_16_match_torch_exactly(shape, distinct, keepdim, data):
    # up to 16 per lane torch's std::sort is a stable insertion sort: the index is the
    # last occurrence, as ember's; the values agree for any length (next test)
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    a = np.random.default_rng(len(shape) * 7 + distinct).integers(0, distinct, size=shape)
    outcome(lambda m, x: m.mode(x, dim, keepdim), (ember.tensor(a),), (torch.tensor(a),))


@pytest.mark.parametrize("dtype", ["int64", "float32", "float64", "int16", "bool"])
def test_mode_values_of_long_lanes_match_torch_and_index_a_mode(dtype):
    a = np.random.default_rng(5).integers(0, 4, size=(30, 50)).astype(dtype)
    e, t = ember.mode(ember.tensor(a), 0), torch.mode(torch.tensor(a), 0)
    assert_same(e.values, t.values)
    assert e.indices.dtype == ember.int64
    np.testing.assert_array_equal(np.take_along_axis(a, e.indices.numpy()[None], 0)[0],
                                  t.values.numpy())


def test_mode_gradient_goes_to_the_chosen_index():
    a = np.array([[1., 2., 2., 1., 3.], [5., 5., 4., 4., 4.]], np.float32)
    assert_grads_same(lambda m, x: m.mode(x, 1).values, [a])
    assert_grads_same(lambda m, x: m.mode(x, 0, keepdim=True).values, [a])
    e = ember.mode(ember.tensor(a, requires_grad=True))
    assert e.values.grad_fn.name() == "ModeBackward0"
    assert not e.indices.requires_grad


def test_mode_gradcheck_with_distinct_values():
    # (with ties the mode is not differentiable: a small change breaks the tie)
    x = ember.tensor(np.random.default_rng(2).permutation(12).reshape(3, 4) * 1.0,
                     dtype=ember.float64, requires_grad=True)
    assert gradcheck(lambda t: ember.mode(t, 1).values, (x,))
    assert gradgradcheck(lambda t: ember.mode(t, 0, True).values, (x,))


# ============================================ statistics: quantile ... renorm
STAT_SHAPES = [(), (1,), (5,), (3, 4), (2, 3, 4), (4, 1, 3)]


def stat_sample(shape, dtype, rng, nan_rate=0.0):
    x = np.asarray(rng.standard_normal(shape) * 3, dtype=dtype)
    if nan_rate:
        x[rng.random(shape) < nan_rate] = np.nan
    return x


@pytest.mark.parametrize("op", ["quantile", "nanquantile"])
@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "midpoint", "nearest"])
@settings(max_examples=25, deadline=None)
@given(shape_i=st.integers(0, len(STAT_SHAPES) - 1), dtype=st.sampled_from(["float32",
       "float64"]), dim=st.sampled_from([None, 0, -1, 1]), keepdim=st.booleans(),
       qkind=st.sampled_from(["float", "0d", "1d", "empty1d"]), nan_rate=st.sampled_from(
       [0.0, 0.3]), seed=st.integers(0, 2**16))
def test_quantile_matches_torch(op, interpolation, shape_i, dtype, dim, keepdim, qkind,
                                nan_rate, seed):
    rng = np.random.default_rng(seed)
    shape = STAT_SHAPES[shape_i]
    x = stat_sample(shape, dtype, rng, nan_rate)
    qs = np.concatenate([[0.0, 0.5, 1.0, 1 / 6], rng.random(2)]).astype(dtype)
    if qkind == "float":
        eq = tq = float(rng.choice(qs))
    else:
        arr = qs[:0] if qkind == "empty1d" else qs if qkind == "1d" else qs[1]
        eq, tq = ember.tensor(arr), torch.tensor(arr)
    outcome(lambda m, a, q: getattr(m, op)(a, q, dim, keepdim, interpolation=interpolation),
            (ember.tensor(x), eq), (torch.tensor(x), tq))


@pytest.mark.parametrize("op", ["quantile", "nanquantile"])
@pytest.mark.parametrize("interpolation", ["linear", "lower", "midpoint", "nearest"])
@pytest.mark.parametrize("dim", [None, 1, -1])
def test_quantile_gradients(op, interpolation, dim):
    x = np.random.default_rng(3).permutation(12).reshape(3, 4) * 0.7 - 3.0
    q = [0.2, 0.5, 0.9]
    assert_grads_same(lambda m, a: getattr(m, op)(a, m.tensor(q, dtype=a.dtype), dim,
                                                  interpolation=interpolation), [x])
    xt = ember.tensor(x, requires_grad=True)
    assert gradcheck(lambda a: ember.quantile(a, 0.3, dim, keepdim=True,
                                              interpolation=interpolation), (xt,))
    assert gradgradcheck(lambda a: ember.quantile(a, 0.3, dim), (xt,))


QUANTILE_ERRORS = [
    lambda m, x: m.quantile(x, 1.5), lambda m, x: m.quantile(x, -0.1),
    lambda m, x: m.quantile(x, m.tensor([0.2, 1.2])),
    lambda m, x: m.quantile(x, m.tensor([0.2], dtype=m.float64)),
    lambda m, x: m.quantile(x.long(), 0.5), lambda m, x: m.quantile(x.half(), 0.5),
    lambda m, x: m.quantile(x, m.ones(2, 2) * 0.5), lambda m, x: m.quantile(x, 0.5, dim=2),
    lambda m, x: m.quantile(x, 0.5, interpolation="foo"),
    lambda m, x: m.nanquantile(x, 2.0),
    lambda m, x: m.quantile(m.empty(0), 0.5), lambda m, x: m.quantile(m.empty(0, 3), 0.5, 1),
    lambda m, x: x.quantile(1), lambda m, x: x.nanquantile(True, 0),
]


@pytest.mark.parametrize("fn", QUANTILE_ERRORS)
def test_quantile_errors_and_edges(fn):
    x = np.random.default_rng(0).standard_normal((3, 4)).astype("float32")
    outcome(fn, (ember.tensor(x),), (torch.tensor(x),))


def test_quantile_input_unchanged_and_out():
    x = ember.tensor([[3., 1.], [2., 4.]])
    before = x.clone()
    with pytest.raises(RuntimeError):
        ember.quantile(x, 2.0)
    assert ember.equal(x, before)
    out = ember.empty(0)
    ember.quantile(x, 0.5, 0, out=out)
    assert_same(out, torch.quantile(torch.tensor([[3., 1.], [2., 4.]]), 0.5, 0))


# ------------------------------------------------------------------- diff
@settings(max_examples=40, deadline=None)
@given(shape_i=st.integers(1, len(STAT_SHAPES) - 1), dtype=st.sampled_from(DTYPE_NAMES),
       n=st.integers(0, 5), dim=st.sampled_from([0, -1, 1, -2]),
       pre=st.sampled_from([None, 0, 2]), app=st.sampled_from([None, 1]),
       extra_dtype=st.sampled_from(["same", "int64", "float32"]), seed=st.integers(0, 2**16))
def test_diff_matches_torch(shape_i, dtype, n, dim, pre, app, extra_dtype, seed):
    rng = np.random.default_rng(seed)
    shape = STAT_SHAPES[shape_i]
    x = sample(shape, dtype, rng)
    d = dim % len(shape) if -len(shape) <= dim < len(shape) else 0

    def extra(k):
        if k is None:
            return None, None
        s = list(shape)
        s[d] = k
        a = sample(tuple(s), dtype if extra_dtype == "same" else extra_dtype, rng)
        return ember.tensor(a), torch.tensor(a)
    (ep, tp), (ea, ta) = extra(pre), extra(app)
    outcome(lambda m, a, p, q: m.diff(a, n, dim, p, q), (ember.tensor(x), ep, ea),
            (torch.tensor(x), tp, ta))


def test_diff_gradients_and_errors():
    rng = np.random.default_rng(1)
    x, p = rng.standard_normal((3, 4)), rng.standard_normal((3, 2))
    assert_grads_same(lambda m, a, b: m.diff(a, 2, -1, prepend=b), [x, p])
    assert ember.diff(ember.tensor(x, requires_grad=True)).grad_fn.name() == "SubBackward0"
    xt = ember.tensor(x, requires_grad=True)
    assert gradcheck(lambda a: ember.diff(a, 3, 1), (xt,))
    e, t = ember.tensor(x), torch.tensor(x)
    for fn in [lambda m, a: m.diff(a, -1), lambda m, a: m.diff(a[0, 0]),
               lambda m, a: m.diff(a, dim=2), lambda m, a: m.diff(a, prepend=m.ones(3)),
               lambda m, a: m.diff(a, prepend=m.ones(2, 1)), lambda m, a: m.diff(a, n=1.5),
               lambda m, a: m.diff(a, prepend=2.0), lambda m, a: a.diff(n=0),
               lambda m, a: m.diff(a.bool(), 2, 0)]:
        outcome(fn, (e,), (t,))


# ------------------------------------------------------------ histograms
@settings(max_examples=40, deadline=None)
@given(shape_i=st.integers(0, len(STAT_SHAPES) - 1), dtype=st.sampled_from(
       ["float32", "float64"]), bins=st.integers(1, 9), rng_kind=st.sampled_from(
       ["data", "given", "same", "ints"]), seed=st.integers(0, 2**16))
def test_histc_matches_torch(shape_i, dtype, bins, rng_kind, seed):
    rng = np.random.default_rng(seed)
    shape = STAT_SHAPES[shape_i]
    x = stat_sample(shape, dtype, rng)
    if rng_kind == "ints":      # values on the edges
        x = rng.integers(-3, 4, shape).astype(dtype)
    lo, hi = {"data": (0, 0), "given": (-1.5, 2.0), "same": (1, 1), "ints": (-3, 3)}[rng_kind]
    outcome(lambda m, a: m.histc(a, bins, lo, hi), (ember.tensor(x),), (torch.tensor(x),))


@settings(max_examples=40, deadline=None)
@given(shape_i=st.integers(0, len(STAT_SHAPES) - 1), dtype=st.sampled_from(
       ["float32", "float64"]), bins=st.integers(1, 9), kind=st.sampled_from(
       ["int", "range", "edges", "ints"]), weighted=st.booleans(), density=st.booleans(),
       seed=st.integers(0, 2**16))
def test_histogram_matches_torch(shape_i, dtype, bins, kind, weighted, density, seed):
    rng = np.random.default_rng(seed)
    shape = STAT_SHAPES[shape_i]
    x = stat_sample(shape, dtype, rng)
    if kind == "ints":
        x = rng.integers(-3, 4, shape).astype(dtype)
    w = rng.random(shape).astype(dtype) if weighted else None
    edges = np.sort(rng.standard_normal(bins + 1) * 3).astype(dtype)

    def run(m, a, weight, e):
        if kind == "edges":
            return tuple(m.histogram(a, e, weight=weight, density=density))
        rng_ = (-2.0, 3.5) if kind == "range" else None
        return tuple(m.histogram(a, bins, range=rng_, weight=weight, density=density))
    outcome(run, (ember.tensor(x), w if w is None else ember.tensor(w), ember.tensor(edges)),
            (torch.tensor(x), w if w is None else torch.tensor(w), torch.tensor(edges)))


HISTOGRAM_ERRORS = [
    lambda m, x: m.histc(x, 0), lambda m, x: m.histc(x, 4, 2, 1), lambda m, x: m.histc(x, -1),
    lambda m, x: m.histc(x.long(), 4), lambda m, x: m.histc(m.tensor([float("nan")]), 4),
    lambda m, x: m.histc(m.tensor([float("inf"), 1.]), 4), lambda m, x: m.histc(m.empty(0), 3),
    lambda m, x: m.histogram(x.long(), 3), lambda m, x: m.histogram(x, 3, range=(1., 0.)),
    lambda m, x: m.histogram(x, 0), lambda m, x: m.histogram(x, m.tensor([1., 0.])),
    lambda m, x: m.histogram(x, 3, weight=m.ones(3)),
    lambda m, x: m.histogram(x, 3, range=(1, 1)),
    lambda m, x: m.histogram(x, m.tensor([[0., 1.]])),
    lambda m, x: m.histogram(x, m.tensor([0., 1.]).double()),
    lambda m, x: m.histogram(m.empty(0), 3), lambda m, x: m.histogram(x, m.tensor([0.])),
    lambda m, x: x.histc(5), lambda m, x: x.histogram(2),
]


@pytest.mark.parametrize("fn", HISTOGRAM_ERRORS)
def test_histogram_errors_and_edges(fn):
    x = np.random.default_rng(0).standard_normal((3, 4)).astype("float32")
    outcome(lambda m, a: fn(m, a) if not isinstance(fn(m, a), tuple) else tuple(fn(m, a)),
            (ember.tensor(x),), (torch.tensor(x),))


def test_histogram_repr():
    e = ember.histogram(ember.tensor([1., 2., 1.]), bins=2)
    t = torch.histogram(torch.tensor([1., 2., 1.]), bins=2)
    assert repr(e) == repr(t)
    assert e.hist is e[0] and e.bin_edges is e[1]


# ------------------------------------------------------------- bucketing
@settings(max_examples=50, deadline=None)
@given(m_=st.integers(0, 7), vshape=st.sampled_from([(), (0,), (5,), (3, 4)]),
       nd=st.booleans(), right=st.booleans(), side=st.sampled_from([None, "left", "right"]),
       use_sorter=st.booleans(), out_int32=st.booleans(), ints=st.booleans(),
       nans=st.booleans(), seed=st.integers(0, 2**16))
def test_searchsorted_matches_torch(m_, vshape, nd, right, side, use_sorter, out_int32, ints,
                                    nans, seed):
    rng = np.random.default_rng(seed)
    lead = vshape[:-1] if nd and vshape else ()
    seq = np.sort(rng.integers(-4, 5, lead + (m_,)), -1).astype("float32")
    vals = rng.integers(-5, 6, vshape).astype("int64" if ints else "float32")
    if nans and not ints and vals.size:
        vals.reshape(-1)[0] = np.nan
    sorter = None
    if use_sorter:
        perm = rng.permuted(np.broadcast_to(np.arange(m_), seq.shape), axis=-1)
        seq = np.take_along_axis(seq, np.argsort(perm, -1), -1)    # unsorted, perm sorts it
        sorter = perm.astype(np.int64)

    def run(m, s, v, so):
        return m.searchsorted(s, v, right=right, side=side, sorter=so, out_int32=out_int32)
    e_args = (ember.tensor(seq), ember.tensor(vals), None if sorter is None else
              ember.tensor(sorter))
    t_args = (torch.tensor(seq), torch.tensor(vals), None if sorter is None else
              torch.tensor(sorter))
    outcome(run, e_args, t_args)


SEARCH_CASES = [
    lambda m, b, x: m.bucketize(x, b), lambda m, b, x: m.bucketize(2.0, b),
    lambda m, b, x: m.bucketize(x, b, right=True, out_int32=True),
    lambda m, b, x: m.bucketize(x, b.reshape(3, 1)), lambda m, b, x: m.bucketize(x, b.long()),
    lambda m, b, x: m.bucketize(x.long(), b), lambda m, b, x: m.searchsorted(b, 1.0),
    lambda m, b, x: m.searchsorted(b, m.tensor(1.0)),
    lambda m, b, x: m.searchsorted(b.expand(3, 3), m.ones(2, 2)),
    lambda m, b, x: m.searchsorted(b.expand(3, 3), m.ones(3)),
    lambda m, b, x: m.searchsorted(b, x, side="mid"),
    lambda m, b, x: m.searchsorted(b, x, right=True, side="left"),
    lambda m, b, x: m.searchsorted(b, x, right=False, side="right"),
    lambda m, b, x: m.searchsorted(m.tensor([0., float("nan"), 2.]),
                                   m.tensor([float("nan"), 1., 3.])),
    lambda m, b, x: m.searchsorted(b, x, sorter=m.tensor([0, 1])),
    lambda m, b, x: m.searchsorted(b, x, sorter=m.tensor([0, 1, 1]).int()),
    lambda m, b, x: m.searchsorted(b, x, sorter=m.tensor([0, 1, 5])),
    lambda m, b, x: m.searchsorted(m.tensor(1.), x), lambda m, b, x: m.searchsorted(b.bool(), x),
    lambda m, b, x: m.searchsorted(m.empty(0), x), lambda m, b, x: m.searchsorted([1, 2], x),
]


@pytest.mark.parametrize("fn", SEARCH_CASES)
def test_bucketize_searchsorted_cases(fn):
    x = np.random.default_rng(0).standard_normal((3, 4)).astype("float32") * 2
    b = np.array([0., 1., 2.], "float32")
    outcome(fn, (ember.tensor(b), ember.tensor(x)), (torch.tensor(b), torch.tensor(x)))


# ------------------------------------------------------- trapezoid rules
@pytest.mark.parametrize("op", ["trapezoid", "trapz", "cumulative_trapezoid"])
@settings(max_examples=25, deadline=None)
@given(shape=st.sampled_from([(1,), (5,), (3, 4), (2, 0), (2, 3, 4)]), dtype=st.sampled_from(
       ["float32", "float64", "int64"]), dim=st.sampled_from([0, -1, 1]),
       spacing=st.sampled_from(["none", "dx", "x1", "xfull", "xless"]),
       seed=st.integers(0, 2**16))
def test_trapezoid_matches_torch(op, shape, dtype, dim, spacing, seed):
    rng = np.random.default_rng(seed)
    y = sample(shape, dtype, rng)
    d = dim % len(shape) if -len(shape) <= dim < len(shape) else 0
    xs = {"x1": (shape[d],), "xfull": shape, "xless": shape[1:] or shape}.get(spacing)
    x = np.sort(rng.standard_normal(xs), axis=-1).astype("float32") if xs else None

    def run(m, a, b):
        if spacing == "dx":
            return getattr(m, op)(a, dx=2.5, dim=dim)
        return getattr(m, op)(a, b, dim=dim) if b is not None else getattr(m, op)(a, dim=dim)
    outcome(run, (ember.tensor(y), None if x is None else ember.tensor(x)),
            (torch.tensor(y), None if x is None else torch.tensor(x)))


@pytest.mark.parametrize("op", ["trapezoid", "cumulative_trapezoid"])
def test_trapezoid_gradients_and_errors(op):
    rng = np.random.default_rng(2)
    y, x = rng.standard_normal((3, 4)), np.sort(rng.standard_normal(4))
    assert_grads_same(lambda m, a, b: getattr(m, op)(a, b), [y, x])
    assert_grads_same(lambda m, a: getattr(m, op)(a, dx=0.5, dim=0), [y])
    et = ember.tensor(y, requires_grad=True)
    # (torch's C++ composite multiplies and divides by a Scalar, Mul/DivBackward1;
    # ember's Python-level ops with a number are Mul/DivBackward0, as torch's own
    # `y * 2.5` and `y / 2.0` are)
    names = {"trapezoid": ("MulBackward0", "DivBackward0"),
             "cumulative_trapezoid": ("CumsumBackward0", "DivBackward0")}[op]
    assert getattr(ember, op)(et).grad_fn.name() == names[0]
    assert getattr(ember, op)(et, ember.tensor(x)).grad_fn.name() == names[1]
    assert gradcheck(lambda a, b: getattr(ember, op)(a, b), (et, ember.tensor(
        x, requires_grad=True)))
    e, t = ember.tensor(y), torch.tensor(y)
    for fn in [lambda m, a: getattr(m, op)(a, dx=True), lambda m, a: getattr(m, op)(a.bool()),
               lambda m, a: getattr(m, op)(a, m.arange(3.)),
               lambda m, a: getattr(m, op)(a[0, 0]), lambda m, a: getattr(m, op)(a, 2.0),
               lambda m, a: getattr(m, op)(a, a, dx=2),
               # dx: a 0-dim tensor is a number; any other tensor or a str no signature takes
               lambda m, a: getattr(m, op)(a, dx=m.tensor(0.5)),
               lambda m, a: getattr(m, op)(a, dx=m.ones(1)),
               lambda m, a: getattr(m, op)(a, dx="1"), lambda m, a: getattr(m, op)(a, dx=1j)]:
        outcome(fn, (e,), (t,))


# ------------------------------------------------------ cov and corrcoef
@settings(max_examples=40, deadline=None)
@given(shape=st.sampled_from([(), (0,), (1,), (5,), (3, 4), (2, 1), (4, 6)]),
       dtype=st.sampled_from(["float32", "float64", "int64"]), correction=st.integers(0, 2),
       fw=st.booleans(), aw=st.booleans(), seed=st.integers(0, 2**16))
def test_cov_corrcoef_match_torch(shape, dtype, correction, fw, aw, seed):
    rng = np.random.default_rng(seed)
    x = sample(shape, dtype, rng)
    n = shape[-1] if shape else 1
    f = rng.integers(0, 4, n) + (np.arange(n) == 0) if fw else None
    a = rng.random(n) + 0.1 if aw else None

    def run(m, v, fws, aws):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return (m.cov(v, correction=correction, fweights=fws, aweights=aws), m.corrcoef(v))
    outcome(run, (ember.tensor(x), None if f is None else ember.tensor(f),
                  None if a is None else ember.tensor(a)),
            (torch.tensor(x), None if f is None else torch.tensor(f),
             None if a is None else torch.tensor(a)), rtol=1e-4, atol=1e-5)


def test_cov_corrcoef_gradients_warning_and_errors():
    rng = np.random.default_rng(4)
    x, a = rng.standard_normal((3, 5)), rng.random(5) + 0.1
    assert_grads_same(lambda m, v, w: m.cov(v, aweights=w), [x, a])
    assert_grads_same(lambda m, v: m.corrcoef(v), [x])
    xt = ember.tensor(x, requires_grad=True)
    assert ember.cov(xt).grad_fn.name() == "SqueezeBackward0"
    assert ember.corrcoef(xt).grad_fn.name() == "ClampBackward1"
    assert gradcheck(lambda v: ember.cov(v, correction=0), (xt,))
    assert gradcheck(ember.corrcoef, (xt,))
    with pytest.warns(UserWarning, match="degrees of freedom is <= 0"):
        ember.cov(ember.ones(2, 3), correction=3)
    e, t = ember.tensor(x.astype("float32")), torch.tensor(x.astype("float32"))
    for fn in [lambda m, v: m.cov(m.ones(2, 2, 2)), lambda m, v: m.cov(v.bool()),
               lambda m, v: m.cov(v, fweights=m.ones(5)),
               lambda m, v: m.cov(v, fweights=m.ones(3).long()),
               lambda m, v: m.cov(v, fweights=-m.ones(5).long()),
               lambda m, v: m.cov(v, aweights=m.ones(5).long()),
               lambda m, v: m.cov(v, aweights=-m.ones(5)),
               lambda m, v: m.cov(v, fweights=m.zeros(5).long()),
               lambda m, v: m.cov(v, fweights=m.ones(5, 1).long()),
               lambda m, v: m.corrcoef(m.ones(2, 2, 2)), lambda m, v: v.cov(correction=0),
               lambda m, v: v.corrcoef()]:
        outcome(fn, (e,), (t,))


# ----------------------------------------------------------------- renorm
@settings(max_examples=40, deadline=None)
@given(shape=st.sampled_from([(3, 4), (2, 3, 4), (4, 1), (0, 3), (3, 0)]),
       dtype=st.sampled_from(["float32", "float64"]), p=st.sampled_from([1, 2, 3.5, 0.5,
       float("inf")]), dim=st.sampled_from([0, 1, -1]), maxnorm=st.sampled_from([0.0, 1.0, 5.0]),
       seed=st.integers(0, 2**16))
def test_renorm_matches_torch(shape, dtype, p, dim, maxnorm, seed):
    x = sample(shape, dtype, np.random.default_rng(seed))
    outcome(lambda m, a: m.renorm(a, p, dim, maxnorm), (ember.tensor(x),), (torch.tensor(x),))


@pytest.mark.parametrize("p", [1, 2, 3.5, float("inf")])
def test_renorm_gradients(p):
    x = np.random.default_rng(5).permutation(12).reshape(3, 4) * 0.5 - 2.6
    assert_grads_same(lambda m, a: m.renorm(a, p, 0, 2.0), [x])
    xt = ember.tensor(x, requires_grad=True)
    assert ember.renorm(xt, p, 1, 1.0).grad_fn.name() == "RenormBackward0"
    assert gradcheck(lambda a: ember.renorm(a, p, 1, 1.0), (xt,))
    assert gradgradcheck(lambda a: ember.renorm(a, p, 0, 2.0), (xt,))


def test_renorm_inplace_cumprod_inplace_and_errors():
    rng = np.random.default_rng(6)
    x = rng.standard_normal((3, 4))
    for name, args in [("renorm_", (2, 0, 1.0)), ("cumprod_", (1,))]:
        def run(m, a):
            b = a * 1
            r = getattr(b, name)(*args)
            assert r is b
            return b
        assert_grads_same(run, [x])
        e, t = ember.tensor(x), torch.tensor(x)
        ee, tt = getattr(e, name)(*args), getattr(t, name)(*args)
        assert ee is e and tt is t
        assert_same(e, t)
        xt = ember.tensor(x, requires_grad=True)
        node = getattr(xt * 1, name)(*args).grad_fn.name()
        assert node == {"renorm_": "RenormBackward0", "cumprod_": "CumprodBackward0"}[name]
        with pytest.raises(RuntimeError, match="leaf Variable"):
            getattr(xt, name)(*args)
    e, t = ember.tensor(x.astype("float32")), torch.tensor(x.astype("float32"))
    for fn in [lambda m, a: m.renorm(a[0], 2, 0, 1.), lambda m, a: m.renorm(a, 0, 0, 1.),
               lambda m, a: m.renorm(a, -1, 0, 1.), lambda m, a: m.renorm(a, 2, 0, -1.),
               lambda m, a: m.renorm(a, 2, 2, 1.), lambda m, a: m.renorm(a.long(), 2, 0, 1),
               lambda m, a: m.renorm(a[0, 0], 2, 0, 1.), lambda m, a: a.long().cumprod_(0),
               lambda m, a: a.cumprod_(0, dtype=m.float64),
               lambda m, a: a.cumprod_(0, dtype=m.int64)]:
        outcome(fn, (e,), (t,))


# ------------------------------------------------------------------ gradient
@settings(max_examples=30, deadline=None)
@given(shape=st.lists(st.integers(3, 5), min_size=1, max_size=3),
       dtype=st.sampled_from(["float16", "float32", "float64", "int32", "int64"]),
       edge_order=st.sampled_from([1, 2]), seed=st.integers(0, 2**16),
       spacing_kind=st.sampled_from(["none", "scalar", "int", "list", "coords"]),
       pick_dims=st.booleans())
def test_gradient_matches_torch(shape, dtype, edge_order, seed, spacing_kind, pick_dims):
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal(shape) * 4).astype(dtype)
    e, t = ember.tensor(x), torch.tensor(x)
    ndim = len(shape)
    dims = [int(d) for d in rng.permutation(ndim)[:rng.integers(1, ndim + 1)]] \
        if pick_dims else None
    n = len(dims) if dims is not None else ndim
    sizes = [shape[d] for d in (dims if dims is not None else range(ndim))]
    kwargs_e, kwargs_t = {"edge_order": edge_order}, {"edge_order": edge_order}
    if dims is not None:
        kwargs_e["dim"] = kwargs_t["dim"] = dims
    if spacing_kind == "scalar":
        kwargs_e["spacing"] = kwargs_t["spacing"] = float(rng.uniform(0.5, 2))
    elif spacing_kind == "int":
        kwargs_e["spacing"] = kwargs_t["spacing"] = 3
    elif spacing_kind == "list":
        kwargs_e["spacing"] = kwargs_t["spacing"] = [float(v) for v in rng.uniform(0.5, 2, n)]
    elif spacing_kind == "coords":
        coords = [np.cumsum(rng.uniform(0.5, 2, s)).astype("float32") for s in sizes]
        kwargs_e["spacing"] = [ember.tensor(c) for c in coords]
        kwargs_t["spacing"] = [torch.tensor(c) for c in coords]
    tol = 2e-2 if dtype == "float16" else 1e-5
    assert_same(ember.gradient(e, **kwargs_e), torch.gradient(t, **kwargs_t), rtol=tol,
                atol=tol)


def test_gradient_single_dim_and_zero_dim():
    x = np.arange(12.0).reshape(3, 4) ** 2
    for kwargs in [{"dim": 1}, {"dim": -2, "spacing": 2.0}, {"dim": (1,)},
                   {"spacing": ember.tensor(2.0)}, {"spacing": True}, {"spacing": (2, 3)}]:
        tk = {k: (torch.tensor(2.0) if isinstance(v, ember.Tensor) else v)
              for k, v in kwargs.items()}
        assert_same(ember.gradient(ember.tensor(x), **kwargs),
                    torch.gradient(torch.tensor(x), **tk))
    assert ember.gradient(ember.tensor(3.0)) == ()
    assert_same(ember.gradient(ember.arange(5)), torch.gradient(torch.arange(5)))


def test_gradient_coordinates_promote_and_broadcast_as_torch():
    x = np.arange(12.0, dtype="float32").reshape(3, 4) ** 2
    for coords in [np.array([0.0, 1, 3]), np.arange(5.0), np.arange(2.0)]:
        for order in (1, 2):
            outcome(lambda m, a, c: m.gradient(a, spacing=[c], dim=0, edge_order=order),
                    (ember.tensor(x), ember.tensor(coords)),
                    (torch.tensor(x), torch.tensor(coords)), check_message=False)
    outcome(lambda m, a, c: m.gradient(a, spacing=[c]), (ember.arange(5), ember.arange(5)),
            (torch.arange(5), torch.arange(5)))


@pytest.mark.parametrize("call", [
    lambda m, x: m.gradient(x, edge_order=3),
    lambda m, x: m.gradient(x, dim=2),
    lambda m, x: m.gradient(x, dim=[0, 0]),
    lambda m, x: m.gradient(x[:1]),
    lambda m, x: m.gradient(x[:, :2], edge_order=2),
    lambda m, x: m.gradient(x, spacing=[1.0, 2.0, 3.0]),
    lambda m, x: m.gradient(x, spacing=[1.0, 2.0], dim=1),
    lambda m, x: m.gradient(x, spacing=[m.arange(3.0), m.arange(4.0)], dim=1),
    lambda m, x: m.gradient(x, spacing=[m.ones(3, 1)], dim=0),
    lambda m, x: m.gradient(x, spacing=[m.tensor(1.0), m.tensor(2.0)]),
    lambda m, x: m.gradient(x, spacing=[m.tensor([1.0])], dim=0),
    lambda m, x: m.gradient(x, spacing=[2.0, m.arange(4.0)]),
    lambda m, x: m.gradient(x, spacing=[m.arange(3.0), 2.0]),
    lambda m, x: m.gradient(x, spacing="a"),
    lambda m, x: m.gradient(x, spacing=m.arange(3.0)),
    lambda m, x: m.gradient(x, edge_order=2.0),
    lambda m, x: m.gradient(x, dim=1.0),
    lambda m, x: m.gradient(x.to(m.uint8)),
    lambda m, x: m.gradient(x > 3),
    lambda m, x: m.gradient(x.tolist()),
    lambda m, x: m.gradient(m.ones(0, 3)),
])
def test_gradient_errors_match_torch(call):
    x = np.arange(12.0).reshape(3, 4)
    e, t = ember.tensor(x), torch.tensor(x)
    before = x.copy()
    err_t = raised(lambda: call(torch, t))
    assert err_t is not None
    with pytest.raises(type(err_t)) as info:
        call(ember, e)
    assert str(info.value) == str(err_t)
    np.testing.assert_array_equal(e._data, before)


@pytest.mark.parametrize("order", [1, 2])
def test_gradient_backward_matches_torch_and_gradchecks(order):
    rng = np.random.default_rng(3)
    x, c = rng.standard_normal((4, 5)), np.cumsum(rng.uniform(0.5, 2, 4))
    assert_grads_same(lambda m, a, s: m.stack(m.gradient(a, spacing=[s, m.arange(5.0) ** 2],
                                                          edge_order=order)), [x, c])
    assert gradcheck(lambda a, s: ember.gradient(a, spacing=[s], dim=0, edge_order=order)[0],
                     (ember.tensor(x, requires_grad=True), ember.tensor(c, requires_grad=True)))
    assert gradcheck(lambda a: ember.gradient(a, spacing=0.7, edge_order=order)[1],
                     (ember.tensor(x, requires_grad=True),))
