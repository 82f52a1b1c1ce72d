"""ember.linalg.multi_dot / cross / vecdot / matrix_power / matmul against torch."""
import numpy as np
import pytest
import torch

import ember
from ember.autograd import gradcheck, gradgradcheck
from helpers import assert_same, assert_grads_same, both
from linalg.linalg_kit import well_conditioned, leaf, same_error


@pytest.mark.parametrize("shapes", [
    [(3, 4), (4, 2)], [(3,), (3,)], [(3,), (3, 4)], [(2, 3), (3,)],
    [(10, 2), (2, 30), (30, 3)], [(3,), (3, 40), (40, 2), (2,)], [(5, 1), (1, 6), (6, 7), (7, 2)],
    [(2, 0), (0, 3), (3, 4)],
])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_multi_dot_matches_torch(shapes, dtype):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s).astype(dtype) for s in shapes]
    assert_grads_same(lambda m, *xs: m.linalg.multi_dot(xs), arrays, rtol=1e-4, atol=1e-5)


def test_multi_dot_of_integers_matches_torch():
    e1, t1 = both(np.arange(6).reshape(2, 3))
    e2, t2 = both(np.arange(3))
    assert_same(ember.linalg.multi_dot([e1, e2]), torch.linalg.multi_dot([t1, t2]))
    assert_same(ember.linalg.multi_dot((e1, e1.T, e1)), torch.linalg.multi_dot((t1, t1.T, t1)))


@pytest.mark.parametrize("shapes,dtypes", [
    ([(3,)], None), ([(3, 3)], None), ([], None), ([(3, 2), (3, 4)], None),
    ([(2, 3, 2), (2, 4)], None), ([(2, 3), (3, 4), (4, 2, 3)], None),
    ([(2, 3), (3,), (4, 2)], None), ([(3,), (4, 2)], None), ([(2, 3), (3, 3), (4,)], None),
    ([(3,), (3,)], ["float32", "float64"]), ([(2, 3), (3, 3)], ["int64", "int32"]),
])
def test_multi_dot_errors_match_torch(shapes, dtypes):
    dtypes = dtypes or ["float32"] * len(shapes)
    arrays = [np.ones(s, d) for s, d in zip(shapes, dtypes)]
    same_error(lambda m, *xs: m.linalg.multi_dot(list(xs)), *arrays)


@pytest.mark.parametrize("a_shape,b_shape,dim", [
    ((3,), (3,), -1), ((4, 3), (4, 3), -1), ((4, 3), (1, 3), -1), ((3, 5), (3, 5), 0),
    ((2, 3, 4), (1, 3, 4), 1),
])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cross_matches_torch(a_shape, b_shape, dim, dtype):
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal(a_shape).astype(dtype), rng.standard_normal(b_shape).astype(dtype)
    assert_grads_same(lambda m, x, y: m.linalg.cross(x, y, dim=dim), [a, b])
    e, t = both(a, requires_grad=True)
    assert type(ember.linalg.cross(e, e, dim=dim).grad_fn).__name__ == \
        type(torch.linalg.cross(t, t, dim=dim).grad_fn).__name__


def test_cross_of_integers_and_gradcheck():
    e, t = both(np.array([[1, 2, 3], [4, 5, 6]]))
    assert_same(ember.linalg.cross(e, e.flip(0)), torch.linalg.cross(t, t.flip(0)))
    rng = np.random.default_rng(2)
    a, b = leaf(rng.standard_normal((2, 3))), leaf(rng.standard_normal((1, 3)))
    assert gradcheck(ember.linalg.cross, (a, b))
    assert gradgradcheck(ember.linalg.cross, (a, b))


@pytest.mark.parametrize("a,b,kw", [
    (np.ones((4, 3)), np.ones(3), {}), (np.ones((4, 2)), np.ones((4, 2)), {}),
    (np.ones(3, np.float32), np.ones(3), {}), (np.ones((2, 3)), np.ones((4, 3)), {}),
    (np.ones(3), np.ones(3), {"dim": 1}), (np.ones(3, bool), np.ones(3, bool), {}),
])
def test_cross_errors_match_torch(a, b, kw):
    same_error(lambda m, x, y: m.linalg.cross(x, y, **kw), a, b)


def test_vecdot_matches_torch():
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal((2, 3)), rng.standard_normal(3)
    assert_grads_same(lambda m, x, y: m.linalg.vecdot(x, y), [a, b])
    assert_grads_same(lambda m, x, y: m.linalg.vecdot(x, y, dim=0), [a.T, b[:, None]])
    same_error(lambda m, x, y: m.linalg.vecdot(x, y), a.astype(np.float32), b)
    same_error(lambda m, x, y: m.linalg.vecdot(x, y), np.ones(3, np.int64), np.ones(3, np.int64))


@pytest.mark.parametrize("n", [0, 1, 2, 5, -1, -3])
def test_matrix_power_matches_torch(n):
    a = well_conditioned(np.random.default_rng(4), (2, 3, 3))
    assert_grads_same(lambda m, x: m.linalg.matrix_power(x, n) * 1.0, [a], rtol=1e-6)
    e, t = both(np.arange(9).reshape(3, 3))
    if n >= 0:
        assert_same(ember.linalg.matrix_power(e, n), torch.linalg.matrix_power(t, n))


def test_matrix_power_errors_match_torch():
    same_error(lambda m, x: m.linalg.matrix_power(x, 2), np.ones((2, 3)))
    same_error(lambda m, x: m.linalg.matrix_power(x, 2), np.ones(3))
    same_error(lambda m, x: m.linalg.matrix_power(x, -1), np.ones((3, 3), np.int64))


def test_linalg_matmul_is_matmul():
    e, t = both(np.ones((2, 3)))
    assert_same(ember.linalg.matmul(e, e.T), torch.linalg.matmul(t, t.T))
