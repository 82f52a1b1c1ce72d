"""ember.linalg.norm / vector_norm / matrix_norm against torch: every ord, dims, keepdim,
dtype, batches, empty input, gradients, gradchecks and errors."""
import numpy as np
import pytest
import torch

import ember
from ember.autograd import gradcheck
from helpers import assert_same, assert_grads_same, both
from linalg.linalg_kit import well_conditioned, tol, leaf, same_error

INF = float("inf")
MATRIX_ORDS = ["fro", "nuc", 1, -1, 2, -2, INF, -INF]


@pytest.mark.parametrize("ord", MATRIX_ORDS)
@pytest.mark.parametrize("shape,dim", [((3, 4), (-2, -1)), ((2, 3, 4), (-2, -1)),
                                       ((2, 3, 4), (0, 2)), ((2, 3, 4), (2, 0)),
                                       ((4, 4), (1, 0))])
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_matrix_norm_matches_torch(ord, shape, dim, keepdim, dtype):
    a = well_conditioned(np.random.default_rng(0), shape, dtype) if dim == (-2, -1) else \
        np.random.default_rng(0).standard_normal(shape).astype(dtype)
    assert_grads_same(lambda m, x: m.linalg.matrix_norm(x, ord, dim, keepdim), [a],
                      **tol(dtype))
    if dim == (-2, -1) and not keepdim:
        assert_grads_same(lambda m, x: m.linalg.norm(x, ord) if x.ndim == 2 else
                          m.linalg.norm(x, ord, (-2, -1)), [a], **tol(dtype))


@pytest.mark.parametrize("ord", [1, INF, -INF, -1])
def test_max_and_min_norm_gradients_share_ties_like_torch(ord):
    a = np.array([[1., -1.], [1., 1.]])          # equal column and row sums
    assert_grads_same(lambda m, x: m.linalg.matrix_norm(x, ord), [a])


@pytest.mark.parametrize("ord", MATRIX_ORDS)
@pytest.mark.parametrize("shape", [(0, 3), (3, 0), (2, 0, 0), (0, 3, 3)])
def test_matrix_norm_of_empty_matrices_matches_torch(ord, shape):
    try:
        torch.linalg.matrix_norm(torch.zeros(shape), ord)
    except IndexError:          # a minimum over nothing (negative ords)
        same_error(lambda m, x: m.linalg.matrix_norm(x, ord), np.zeros(shape, np.float32))
        return
    e, t = both(np.zeros(shape, np.float32))
    assert_same(ember.linalg.matrix_norm(e, ord), torch.linalg.matrix_norm(t, ord))
    assert_same(ember.linalg.matrix_norm(e, ord, keepdim=True),
                torch.linalg.matrix_norm(t, ord, keepdim=True))


@pytest.mark.parametrize("ord", [None, 2, 1, 0, INF, -INF, 3.5, -1.5])
@pytest.mark.parametrize("shape,dim", [((5,), None), ((3, 4), 1), ((3, 4), (0,)),
                                       ((2, 3, 4), -1), ((2, 3, 4), None), ((0,), None)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_vector_norms_match_torch(ord, shape, dim, dtype):
    if ord is not None and dim is None and len(shape) > 1:
        pytest.skip("linalg.norm takes a matrix norm there (tested above) or refuses")
    if ord in (INF, -INF, -1.5) and 0 in shape:
        same_error(lambda m, x: m.linalg.vector_norm(x, ord, dim), np.zeros(shape, dtype))
        return
    a = np.random.default_rng(1).standard_normal(shape).astype(dtype) + 0.1
    vord = 2 if ord is None else ord
    assert_grads_same(lambda m, x: m.linalg.vector_norm(x, vord, dim), [a], **tol(dtype))
    assert_grads_same(lambda m, x: m.linalg.norm(x, ord, dim), [a], **tol(dtype))
    assert_grads_same(lambda m, x: m.linalg.norm(x, ord, dim, keepdim=True), [a], **tol(dtype))


def test_norm_without_ord_is_the_2_norm_of_all_elements():
    a = np.random.default_rng(2).standard_normal((2, 3, 4))
    assert_grads_same(lambda m, x: m.linalg.norm(x), [a])
    assert_grads_same(lambda m, x: m.linalg.norm(x, dim=(0, 2), keepdim=True), [a])
    e, t = both(a)
    assert type(ember.linalg.norm(ember.tensor(a, requires_grad=True)).grad_fn).__name__ == \
        type(torch.linalg.norm(torch.tensor(a, requires_grad=True)).grad_fn).__name__


def test_dtype_argument_matches_torch():
    e, t = both(np.random.default_rng(3).standard_normal((3, 3)).astype(np.float32))
    for ord in ("fro", 1, "nuc"):
        assert_same(ember.linalg.matrix_norm(e, ord, dtype=ember.float64),
                    torch.linalg.matrix_norm(t, ord, dtype=torch.float64))
    assert_same(ember.linalg.vector_norm(e, dtype=ember.float64),
                torch.linalg.vector_norm(t, dtype=torch.float64))
    assert_same(ember.linalg.norm(e, dtype=ember.float64),
                torch.linalg.norm(t, dtype=torch.float64))


def test_half_precision_where_torch_allows_it():
    e, t = both(np.ones((3, 3), np.float16))
    for ord in ("fro", 1, INF):
        assert_same(ember.linalg.matrix_norm(e, ord), torch.linalg.matrix_norm(t, ord),
                    rtol=1e-3)
    same_error(lambda m, x: m.linalg.matrix_norm(x, 2), np.ones((3, 3), np.float16))
    same_error(lambda m, x: m.linalg.matrix_norm(x, "nuc"), np.ones((3, 3), np.float16))


def test_gradcheck_norms():
    x = leaf(well_conditioned(np.random.default_rng(4), (2, 3, 4)))
    for ord in MATRIX_ORDS:
        assert gradcheck(lambda a: ember.linalg.matrix_norm(a, ord), (x,))
    for ord in (2, 1, INF, 3.5):
        assert gradcheck(lambda a: ember.linalg.vector_norm(a, ord, dim=-1), (x,))
    assert gradcheck(lambda a: ember.linalg.norm(a), (x,))


def test_torch_norm_with_nuc_uses_matrix_norm():
    e, t = both(well_conditioned(np.random.default_rng(5), (3, 3)))
    assert_same(ember.norm(e, "nuc"), torch.norm(t, "nuc"))


@pytest.mark.parametrize("call", [
    lambda m, x: m.linalg.matrix_norm(x[0], "fro"),
    lambda m, x: m.linalg.matrix_norm(x, 3),
    lambda m, x: m.linalg.matrix_norm(x, "abc"),
    lambda m, x: m.linalg.matrix_norm(x, "fro", dim=(0, 0)),
    lambda m, x: m.linalg.matrix_norm(x, "fro", dim=(0, 1, 2)),
    lambda m, x: m.linalg.matrix_norm(x, "fro", dim=1),
    lambda m, x: m.linalg.matrix_norm(x, 1, dim=(0, 3)),
    lambda m, x: m.linalg.matrix_norm(x.long()),
    lambda m, x: m.linalg.matrix_norm(x.long(), 3),
    lambda m, x: m.linalg.matrix_norm(x, "fro", dtype=m.float32),
    lambda m, x: m.linalg.norm(x.unsqueeze(0), 2),
    lambda m, x: m.linalg.norm(x, 3.0),
    lambda m, x: m.linalg.norm(x, dim=(0, 1, 2)),
    lambda m, x: m.linalg.norm(x, "nuc", dim=1),
    lambda m, x: m.linalg.norm(x, dim=(0, 0)),
    lambda m, x: m.linalg.norm(x, dim=5),
    lambda m, x: m.linalg.norm(x.long()),
    lambda m, x: m.linalg.norm(x, dtype=m.long),
    lambda m, x: m.linalg.vector_norm(x.long()),
    lambda m, x: m.linalg.vector_norm(x[:, :0], INF, dim=1),
    lambda m, x: m.linalg.vector_norm(x[:, :0], -INF),
    lambda m, x: m.linalg.vector_norm(x[0], INF, dim=1),         # dim out of range
    lambda m, x: m.linalg.vector_norm(x[0], -1, dim=(0, 1)),
    lambda m, x: m.linalg.norm(x[0], -INF, dim=-2),
    lambda m, x: m.linalg.vector_norm(x[0, 0], -1, dim=(0, 0)),  # 0-dim, repeated dim
    lambda m, x: m.linalg.vector_norm(x[:0], INF, dim=(1, -2)),  # names the dim as given
])
def test_norm_errors_match_torch(call):
    same_error(call, np.ones((3, 3)))


@pytest.mark.parametrize("ord", [INF, -INF, -1, -2, 0.5, 0])
@pytest.mark.parametrize("dim", [0, -1, (0,), [-1]])
def test_vector_norm_of_a_0_dim_tensor_over_its_dim_matches_torch(ord, dim):
    # a 0-dim tensor has one element: min/max-like orders over dim 0 are fine
    assert_grads_same(lambda m, x: m.linalg.vector_norm(x, ord, dim), [np.array(-2.5)])
    assert_grads_same(lambda m, x: m.linalg.norm(x, ord, dim, keepdim=True), [np.array(3.)])


@pytest.mark.parametrize("call", [
    lambda m, x: m.linalg.matrix_norm(x[0], 0),                   # numeric ord before ndim
    lambda m, x: m.linalg.matrix_norm(x[0], "fro", dim=(0,)),      # ndim before the dims
    lambda m, x: m.linalg.norm(x[0], "fro", dim=0),
    lambda m, x: m.linalg.norm(x[0], "nuc", dim=(1,)),
    lambda m, x: m.linalg.matrix_norm(x, 0, dim=(0,)),
    lambda m, x: m.linalg.matrix_norm(x.long(), 2, dim=(0, 0)),   # dtype before the dims
    lambda m, x: m.linalg.matrix_norm(x.long(), 2, dim=(1,)),
    lambda m, x: m.linalg.norm(x.long(), "fro", dim=5),
])
def test_matrix_norm_checks_in_torch_order(call):
    same_error(call, np.ones((3, 3)))
