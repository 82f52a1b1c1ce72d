"""The fast lanes of the reductions and the shortcuts of their full paths, at their
boundaries: each lane's case and the neighbours that must fall through (other dtypes,
negative and out-of-range dims, keepdim, NumPy's axis/keepdims names, inputs that
require grad, 0-dim, empty and non-contiguous tensors), against torch (values, dtype,
shape, strides, grad_fn name, gradients, errors) and, for sum and mean, bit for bit
against the full path the lane stands in for."""
import warnings

import numpy as np
import pytest
import torch

import ember
from ember.ops import reduce as R
from helpers import assert_same, same_outcome

FLOATS = ["float32", "float64"]


def arrays(rng, dtype, nan=False):
    """Inputs of ``dtype``: a 4x5 matrix, a vector, a 3-D block, a transposed
    (non-contiguous) matrix, a column slice, and ones with ties and NaNs."""
    def draw(shape):
        if dtype == "bool":
            return rng.random(shape) < 0.5
        if dtype.startswith(("int", "uint")):
            return rng.integers(0 if dtype == "uint8" else -3, 4, shape).astype(dtype)
        a = (rng.standard_normal(shape) * 2).astype(dtype)
        if nan:
            a[rng.random(shape) < 0.2] = np.nan
        return a
    ties = np.round(draw((4, 5))).astype(dtype) if dtype != "bool" else draw((4, 5))
    return [draw((4, 5)), draw((5,)), draw((2, 3, 4)), draw((5, 4)).T, draw((4, 10))[:, ::2],
            ties]


def pair(a, requires_grad=False):
    """(ember, torch) tensors with ``a``'s values and layout (a transposed array stays
    transposed in both)."""
    e = ember.tensor(np.ascontiguousarray(a)) if a.flags.c_contiguous else \
        ember.tensor(np.ascontiguousarray(a.T)).T
    t = torch.from_numpy(np.ascontiguousarray(a)) if a.flags.c_contiguous else \
        torch.from_numpy(np.ascontiguousarray(a.T)).T
    assert e.stride() == t.stride()
    if requires_grad:
        e.requires_grad_(True)
        t = t.clone().requires_grad_(True) if a.flags.c_contiguous else \
            t.T.clone().T.requires_grad_(True)
    return e, t


def check_like_torch(e, t, what="", strides=True):
    """Values, dtype, shape, strides and grad_fn name (or the same for each of a pair)."""
    if isinstance(t, tuple):
        assert type(e).__name__ == type(t).__name__
        assert type(e).__module__ == "torch.return_types"
        for a, b in zip(e, t):
            check_like_torch(a, b, what, strides)
        return
    assert_same(e, t, what=what)
    if strides:
        assert e.stride() == t.stride(), (what, e.stride(), t.stride())
    assert type(e.grad_fn).__name__ == type(t.grad_fn).__name__, what


def backward_both(e_out, t_out, e_in, t_in, what=""):
    g = np.random.default_rng(1).standard_normal(tuple(t_out.shape)).astype(
        str(t_out.dtype).replace("torch.", ""))
    e_out.backward(ember.tensor(g))
    t_out.backward(torch.tensor(g))
    assert_same(e_in.grad, t_in.grad, what=what + " grad")


# ------------------------------------------------ sum and mean over one dim
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("op", ["sum", "mean"])
def test_sum_mean_dim_lane_is_the_full_path_bit_for_bit(dtype, op):
    rng = np.random.default_rng(0)
    full = R._full_sum if op == "sum" else R._full_mean
    for a in arrays(rng, dtype):
        for d in range(-a.ndim, a.ndim):
            for keep in (False, True):
                for grad in (False, True):
                    x = ember.tensor(a.copy(), requires_grad=grad)
                    got = getattr(x, op)(dim=d, keepdim=keep)
                    want = full(x, d, keep)
                    assert got._data.dtype == want._data.dtype
                    assert got._data.shape == want._data.shape
                    assert got._data.strides == want._data.strides
                    assert got._data.tobytes() == want._data.tobytes()
                    assert type(got.grad_fn).__name__ == type(want.grad_fn).__name__
                    if grad:
                        for attr in ("axes", "keep") + (("count",) if op == "mean" else ()):
                            assert getattr(got.grad_fn, attr) == getattr(want.grad_fn, attr)


SUM_MEAN_CALLS = {
    "dim": lambda m, x, d: x.sum(dim=d),
    "positional_keep": lambda m, x, d: x.sum(d, True),
    "axis_keepdims": lambda m, x, d: x.sum(axis=d, keepdims=True),
    "function": lambda m, x, d: m.sum(x, d),
    "dtype": lambda m, x, d: x.sum(d, dtype=m.float64),
    "mean_dim": lambda m, x, d: x.mean(dim=d),
    "mean_keep": lambda m, x, d: x.mean(d, keepdim=True),
    "mean_axis": lambda m, x, d: x.mean(axis=d),
    "mean_function": lambda m, x, d: m.mean(x, d),
}


@pytest.mark.parametrize("call", list(SUM_MEAN_CALLS))
@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int64", "bool"])
def test_sum_mean_dim_and_neighbours_like_torch(call, dtype):
    fn = SUM_MEAN_CALLS[call]
    rng = np.random.default_rng(1)
    cases = arrays(rng, dtype) + [np.asarray(rng.standard_normal(()), dtype),
                                  np.zeros((0, 3), dtype), np.zeros((2, 0), dtype)]
    for a in cases:
        for d in (0, -1, 1, 2, -3):
            e, t = pair(a)
            got = same_outcome(lambda m, x: fn(m, x, d), [e], [t], rtol=2e-3, atol=2e-3)
            if got is not None:
                assert got.stride() == fn(torch, t, d).stride()


@pytest.mark.parametrize("dtype", FLOATS)
def test_sum_mean_dim_gradients_like_torch(dtype):
    rng = np.random.default_rng(2)
    for a in arrays(rng, dtype):
        for d in (0, -1):
            for keep in (False, True):
                for op in ("sum", "mean"):
                    e, t = pair(a, requires_grad=True)
                    eo, to = getattr(e, op)(dim=d, keepdim=keep), getattr(t, op)(d, keep)
                    check_like_torch(eo, to, f"{op} {a.shape} {d} {keep}")
                    backward_both(eo, to, e, t, op)


def test_sum_mean_dim_bool_dim_is_not_an_int():
    # True is an int to Python but not a dim to either library's lane
    e, t = pair(np.ones((2, 3), np.float32))
    same_outcome(lambda m, x: x.sum(True), [e], [t], check_message=False)


# ------------------------------------------------- max/min/argmax/argmin(dim)
def test_numpy_argmax_and_argmin_give_the_first_nan():
    """What _arg_extreme relies on (it adds no NaN fix-up of its own): NumPy's argmax
    and argmin count NaN as the extreme and give the first, for every float dtype,
    along any axis, in any layout, at sizes where NumPy uses SIMD loops."""
    rng = np.random.default_rng(3)
    for dtype in ("float16", "float32", "float64"):
        for shape in [(7,), (100,), (1000,), (4, 5), (33, 17), (3, 40, 5)]:
            for rate in (0.0, 0.01, 0.3, 1.0):
                a = rng.standard_normal(shape).astype(dtype)
                a[rng.random(shape) < 0.1] = np.inf
                a[rng.random(shape) < rate] = np.nan
                for view in (a, a.T, a[..., ::2]):
                    if not view.size:
                        continue
                    nan = np.isnan(view)
                    for axis in list(range(view.ndim)) + [None]:
                        for fn in (np.argmax, np.argmin):
                            got = fn(view, axis=axis)
                            flat_nan = nan if axis is not None else nan.reshape(-1)
                            first_nan = np.argmax(flat_nan, axis=axis if axis is not None
                                                  else 0)
                            want = np.where(flat_nan.any(axis=axis if axis is not None
                                                         else 0), first_nan, got)
                            np.testing.assert_array_equal(got, want)


SELECT_CALLS = {
    "max_dim": lambda m, x, d: x.max(dim=d),
    "max_positional_keep": lambda m, x, d: x.max(d, True),
    "max_axis_keepdims": lambda m, x, d: x.max(axis=d, keepdims=True),
    "max_function": lambda m, x, d: m.max(x, d),
    "min_dim": lambda m, x, d: x.min(dim=d),
    "min_keep": lambda m, x, d: m.min(x, d, keepdim=True),
    "argmax_dim": lambda m, x, d: x.argmax(dim=d),
    "argmax_axis": lambda m, x, d: x.argmax(axis=d),
    "argmax_keep": lambda m, x, d: m.argmax(x, d, True),
    "argmin_dim": lambda m, x, d: x.argmin(d),
    "argmin_axis_keepdims": lambda m, x, d: x.argmin(axis=d, keepdims=True),
}


@pytest.mark.parametrize("call", list(SELECT_CALLS))
@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int64", "uint8",
                                   "bool", "float32_nan"])
def test_select_along_dim_like_torch(call, dtype):
    fn = SELECT_CALLS[call]
    rng = np.random.default_rng(4)
    nan = dtype.endswith("_nan")
    dtype = dtype.removesuffix("_nan")
    cases = arrays(rng, dtype, nan=nan) + [np.asarray(rng.standard_normal(()), dtype),
                                           np.zeros((0, 3), dtype), np.zeros((2, 0), dtype)]
    for a in cases:
        for d in (0, -1, 1, 2, -3):
            e, t = pair(a)
            got = same_outcome(lambda m, x: fn(m, x, d), [e], [t])
            if got is not None:
                check_like_torch(got, fn(torch, t, d), f"{call} {a.shape} {d}")


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("op", ["max", "min"])
def test_max_min_dim_gradients_like_torch(dtype, op):
    rng = np.random.default_rng(5)
    for a in arrays(rng, dtype)[:5]:      # (no ties: torch and ember pick the same one)
        for d in (0, -1):
            for keep in (False, True):
                e, t = pair(a, requires_grad=True)
                eo, to = getattr(e, op)(dim=d, keepdim=keep), getattr(t, op)(d, keep)
                check_like_torch(eo, to, f"{op} {a.shape} {d} {keep}")
                backward_both(eo.values, to.values, e, t, op)


def test_max_with_out_and_with_a_tensor_fall_through():
    e, t = pair(np.arange(6, dtype=np.float32).reshape(2, 3))
    ev, ei = ember.empty(2), ember.empty(2, dtype=ember.int64)
    tv, ti = torch.empty(2), torch.empty(2, dtype=torch.int64)
    got, want = ember.max(e, 1, out=(ev, ei)), torch.max(t, 1, out=(tv, ti))
    assert type(got).__name__ == type(want).__name__ == "max_out"
    assert got[0] is ev and got[1] is ei
    assert_same(ev, tv)
    assert_same(ei, ti)
    other = np.full((2, 3), 2.5, np.float32)
    assert_same(e.max(ember.tensor(other)), t.max(torch.tensor(other)))
    assert_same(e.min(ember.tensor(other)), t.min(torch.tensor(other)))


@pytest.mark.parametrize("call", [
    lambda x: x.max(1, axis=1), lambda x: x.max(dim=1, axis=1), lambda x: x.min(0, axis=1),
    lambda x: x.argmax(1, axis=1), lambda x: x.argmin(dim=0, axis=0),
])
def test_dim_and_axis_together_is_torchs_type_error(call):
    e, t = pair(np.ones((2, 3), np.float32))
    same_outcome(lambda m, x: call(x), [e], [t])


def test_the_course_accuracy_idiom():
    rng = np.random.default_rng(6)
    y_hat = rng.standard_normal((256, 10)).astype(np.float32)
    y = rng.integers(0, 10, 256)
    e_hat, t_hat = pair(y_hat)
    got = (e_hat.argmax(axis=1) == ember.tensor(y)).float().sum()
    want = (t_hat.argmax(axis=1) == torch.tensor(y)).float().sum()
    assert_same(got, want)


# ----------------------------------------------------------- sort and topk
@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int64", "float32_nan"])
def test_sort_and_topk_like_torch(dtype):
    rng = np.random.default_rng(7)
    nan = dtype.endswith("_nan")
    dtype = dtype.removesuffix("_nan")
    for a in arrays(rng, dtype, nan=nan):
        for d in (0, -1):
            for desc in (False, True):
                e, t = pair(a)
                # stable, so that ties (and NaNs) come out in one order in both
                check_like_torch(e.sort(dim=d, descending=desc, stable=True),
                                 t.sort(dim=d, descending=desc, stable=True))
            for k in (0, 1, 2):
                if k <= a.shape[d] and not np.isnan(a.astype(np.float64)).any() \
                        and len(np.unique(a)) == a.size:
                    for largest in (True, False):
                        e, t = pair(a)
                        check_like_torch(e.topk(k, dim=d, largest=largest),
                                         t.topk(k, dim=d, largest=largest))


# -------------------------------------------------------------------- var
def test_var_degrees_of_freedom_warning_points_at_the_caller():
    x = ember.tensor([1.0])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        x.var()
        ember.std(x)
    assert [w.category for w in caught] == [UserWarning, UserWarning]
    assert all(w.filename == __file__ for w in caught)


def test_index_grids_of_long_dims_are_not_cached():
    # max/min(dim), sort and topk gather with an arange grid per other dim; small ones
    # are cached, long ones must not be kept alive by the cache
    R._arange_along.cache_clear()
    data = np.random.default_rng(3).standard_normal((R._CACHED_ARANGE_MAX + 1, 3))
    data = data.astype(np.float32)
    e, t = ember.tensor(data), torch.tensor(data)
    for op in (lambda m, x: x.max(dim=1), lambda m, x: x.sort(dim=1),
               lambda m, x: x.topk(2, dim=1)):
        got, expected = op(ember, e), op(torch, t)
        assert_same(got[0], expected[0])
        assert_same(got[1], expected[1])
    assert R._arange_along.cache_info().currsize == 0
    assert_same(e[:5].max(dim=1)[0], t[:5].max(dim=1)[0])
    assert R._arange_along.cache_info().currsize == 1
