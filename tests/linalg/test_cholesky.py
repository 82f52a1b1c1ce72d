"""ember.linalg.cholesky and solve_triangular against torch: values, gradients, errors."""
import numpy as np
import pytest
import torch

import ember
from ember.autograd import gradcheck, gradgradcheck
from helpers import assert_same, assert_grads_same, both
from linalg.linalg_kit import spd, well_conditioned, tol, leaf, same_error


@pytest.mark.parametrize("shape", [(1, 1), (4, 4), (3, 2, 2), (0, 0), (2, 0, 0)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_matches_torch(shape, dtype, upper):
    a = spd(np.random.default_rng(0), shape, dtype)
    assert_grads_same(lambda m, x: m.linalg.cholesky(x, upper=upper), [a], **tol(dtype))


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_reads_only_one_triangle_like_torch(upper):
    a = spd(np.random.default_rng(1), (3, 3))
    junk = np.triu(np.full((3, 3), 7.0), 1)
    a = a + (junk.T if upper else junk)       # garbage in the triangle that is not read
    assert_grads_same(lambda m, x: m.linalg.cholesky(x, upper=upper), [a])


@pytest.mark.parametrize("upper", [False, True])
def test_gradcheck_cholesky(upper):
    a = spd(np.random.default_rng(2), (2, 3, 3))
    # A symmetric function of the input, since only one triangle is read (torch's advice).
    fn = lambda x: ember.linalg.cholesky((x + x.mT) / 2, upper=upper)   # noqa: E731
    assert gradcheck(fn, (leaf(a),))
    assert gradgradcheck(fn, (leaf(a[0]),))


@pytest.mark.parametrize("a", [
    [[1., 2.], [2., 1.]],                                     # minor of order 2
    [[-1., 2.], [2., 1.]],                                    # order 1
    [[[1., 0.], [0., 1.]], [[1., 2.], [2., 1.]]],             # batch element 1
    [[1., 0., 0.], [0., 1., 0.], [0., 0., 0.]],               # semi-definite: order 3
    [[1., np.nan], [np.nan, 1.]],
])
def test_cholesky_of_non_positive_definite_raises_linalg_error(a):
    err = same_error(lambda m, x: m.linalg.cholesky(x), np.array(a))
    assert "not positive-definite" in str(err)
    err = same_error(lambda m, x: m.linalg.cholesky(x, upper=True), np.array(a))


@pytest.mark.parametrize("a", [np.ones((2, 3)), np.ones(3), np.ones((3, 3), np.int64),
                               np.ones((3, 3), np.float16)])
def test_cholesky_bad_input_errors_match_torch(a):
    same_error(lambda m, x: m.linalg.cholesky(x), a)


# ----------------------------------------------------------- solve_triangular
@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("left", [False, True])
@pytest.mark.parametrize("unit", [False, True])
@pytest.mark.parametrize("a_shape,b_shape", [((3, 3), (3, 2)), ((2, 3, 3), (3, 3)),
                                             ((3, 3), (2, 3, 3))])
def test_solve_triangular_matches_torch(upper, left, unit, a_shape, b_shape):
    rng = np.random.default_rng(3)
    a = well_conditioned(rng, a_shape) + 2 * np.eye(3)
    b = rng.standard_normal(b_shape)
    if not left:
        b = np.swapaxes(b, -1, -2)
    fn = lambda m, x, y: m.linalg.solve_triangular(x, y, upper=upper, left=left,   # noqa: E731
                                                   unitriangular=unit)
    assert_grads_same(fn, [a, b])


def test_gradcheck_solve_triangular():
    rng = np.random.default_rng(4)
    a = leaf(well_conditioned(rng, (3, 3)) + 2 * np.eye(3))
    b = leaf(rng.standard_normal((3, 2)))
    for upper in (False, True):
        assert gradcheck(lambda x, y: ember.linalg.solve_triangular(x, y, upper=upper), (a, b))
    assert gradgradcheck(lambda x, y: ember.linalg.solve_triangular(x, y, upper=True), (a, b))


@pytest.mark.parametrize("upper", [False, True])
def test_solve_triangular_with_a_zero_on_the_diagonal_gives_nan_like_torch(upper):
    # trsm does not check for singularity: torch returns inf/NaN, and so does ember.
    a = np.triu(np.ones((3, 3))) if upper else np.tril(np.ones((3, 3)))
    a[1, 1] = 0
    b = np.ones((3, 2))
    b[:, 1] = [1, 0, 0] if upper else [0, 0, 1]
    e, t = both(a)
    eb, tb = both(b)
    assert_same(ember.linalg.solve_triangular(e, eb, upper=upper),
                torch.linalg.solve_triangular(t, tb, upper=upper))


def test_solve_triangular_errors_match_torch():
    same_error(lambda m, x, y: m.linalg.solve_triangular(x, y, upper=True), np.eye(3),
               np.ones(3))
    same_error(lambda m, x, y: m.linalg.solve_triangular(x, y, upper=True), np.eye(3),
               np.ones((2, 1)))
    same_error(lambda m, x, y: m.linalg.solve_triangular(x, y, upper=True), np.ones(3),
               np.ones((3, 3)))
    same_error(lambda m, x, y: m.linalg.solve_triangular(x, y, upper=True), np.ones((2, 3)),
               np.ones((3, 3)))


@pytest.mark.parametrize("a_dtype,b_dtype", [("float32", "float64"), ("float64", "float32")])
def test_solve_triangular_computes_in_the_dtype_of_A_like_torch(a_dtype, b_dtype):
    a, b = np.eye(3, dtype=a_dtype) * 2, np.ones((3, 1), b_dtype)
    assert_grads_same(lambda m, x, y: m.linalg.solve_triangular(x, y, upper=True), [a, b])
    e, t = both(np.ones((3, 1), np.int64))
    assert_same(ember.linalg.solve_triangular(ember.tensor(a), e, upper=True),
                torch.linalg.solve_triangular(torch.tensor(a), t, upper=True))


# ------------------------------------------------------- non-finite input, cholesky_ex
def _with_non_finite(seed, n, batch=()):
    """SPD matrices with a few entries replaced by nan / -inf (symmetrically or not).
    (+inf is left to the fixed cases below: how it spreads depends on LAPACK's blocking.)"""
    rng = np.random.default_rng(seed)
    a = spd(rng, (*batch, n, n), "float64")
    flat = a.reshape(-1, n, n)
    for m in flat:
        for _ in range(rng.integers(1, 3)):
            i, j = rng.integers(0, n, 2)
            m[i, j] = rng.choice([np.nan, -np.inf])
            if rng.random() < 0.5:
                m[j, i] = m[i, j]
    return flat.reshape(a.shape)


_INF, _NAN = np.inf, np.nan
_INF_CASES = [[[_INF, 1.], [1, 1]], [[1., 1], [1, _INF]], [[1., _INF], [_INF, 1]],
              [[_NAN, 1.], [1, 1]], [[1., _NAN], [_NAN, 1]], [[4., 1], [_NAN, 2]],
              [[-_INF, 0], [0, 1]], [[2., 0, 0], [0, _INF, 0], [0, 0, 1]],
              [[4., 2, 0], [2, _NAN, 0], [0, 0, 1]]]


@pytest.mark.parametrize("seed", [*range(30), *(f"case{i}" for i in range(len(_INF_CASES)))])
@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cholesky_of_non_finite_input_fails_like_torch(seed, upper, dtype):
    # (inf used to be factored: cholesky([[inf, 1], [1, 1]]) gave [[inf, 0], [0, 1]],
    # where torch fails at order 2)
    if isinstance(seed, str):       # (in both dtypes: an inf pivot spreads NaN in float32 only)
        a = np.array(_INF_CASES[int(seed[4:])], dtype=dtype)
    else:
        a = _with_non_finite(seed, 1 + seed % 5, batch=(2,) if seed % 3 == 0 else ())
        a = a.astype(dtype)
    results = []
    for m in (torch, ember):
        L, info = m.linalg.cholesky_ex(m.tensor(a), upper=upper)
        try:
            message = m.linalg.cholesky(m.tensor(a), upper=upper).numpy()
        except RuntimeError as err:
            message = (type(err).__name__.lstrip("_"), str(err))
        results.append((info.dtype, info.numpy(), L.numpy(), message))
    (t_dtype, t_info, t_L, t_message), (e_dtype, e_info, e_L, e_message) = results
    assert str(e_dtype) == str(t_dtype)
    np.testing.assert_array_equal(e_info, t_info)
    np.testing.assert_allclose(e_L, t_L, rtol=1e-5, atol=1e-6)    # (partial factors too)
    if isinstance(t_message, tuple):
        assert e_message == t_message
    else:
        np.testing.assert_allclose(e_message, t_message, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("check_errors", [False, True])
def test_cholesky_ex_matches_torch(check_errors):
    a = np.stack([spd(np.random.default_rng(2), (3, 3), "float64"),
                  np.array([[1., 2, 0], [2, 1, 0], [0, 0, 1]])])
    got = []
    for m in (torch, ember):
        x = m.tensor(a, requires_grad=True)
        try:
            L, info = m.linalg.cholesky_ex(x, check_errors=check_errors)
        except RuntimeError as err:
            got.append(str(err))
            continue
        L[0].sum().backward()
        got.append((type(L.grad_fn).__name__, info.tolist(),      # (+ 0.0: -0. prints as 0.)
                    np.round(L.detach().numpy(), 8) + 0.0, np.round(x.grad.numpy(), 8) + 0.0))
    assert str(got[1]) == str(got[0])
    assert_same(ember.linalg.cholesky_ex(ember.eye(2)).info,
                torch.linalg.cholesky_ex(torch.eye(2)).info)


def test_gradcheck_cholesky_ex():
    a = leaf(spd(np.random.default_rng(3), (3, 3), "float64"))
    # (symmetric in the input, as only one triangle is read)
    assert gradcheck(lambda x: ember.linalg.cholesky_ex((x + x.mT) / 2).L, (a,))


def test_cholesky_ex_errors_and_out_match_torch():
    for bad in (lambda m: m.ones(2, 3), lambda m: m.eye(2, dtype=m.float16),
                lambda m: m.ones(2, 2, dtype=m.int64)):
        same_error(lambda m: m.linalg.cholesky_ex(bad(m)))
    got = []
    for m in (torch, ember):
        L, info = m.empty(0, dtype=m.float64), m.empty(0, dtype=m.int32)
        r = m.linalg.cholesky_ex(m.tensor([[4., 2.], [2., 1.]], dtype=m.float64), out=(L, info))
        got.append((r.L is L, r.info is info, L.tolist(), info.tolist()))
    assert got[1] == got[0]
