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
