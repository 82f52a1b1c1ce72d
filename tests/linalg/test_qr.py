"""ember.linalg.qr against torch: Q, R for every mode, gradients (tall, square, wide),
float64 gradchecks, and torch's errors (also for the modes that have no derivative)."""
import numpy as np
import pytest
import torch

import ember
from ember.autograd import gradcheck, gradgradcheck
from helpers import assert_same, assert_grads_same, both
from linalg.linalg_kit import well_conditioned, tol, leaf, same_error

SHAPES = [(4, 3), (3, 3), (3, 5), (2, 4, 2), (2, 2, 3), (1, 1)]


@pytest.mark.parametrize("shape", SHAPES + [(0, 3), (3, 0), (2, 0, 0)])
@pytest.mark.parametrize("mode", ["reduced", "complete", "r"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_qr_values_match_torch(shape, mode, dtype):
    # Householder QR (LAPACK's geqrf, used by both) fixes the signs: compare directly.
    a = well_conditioned(np.random.default_rng(0), shape, dtype) if 0 not in shape else \
        np.zeros(shape, dtype)
    e, t = both(a)
    res = ember.linalg.qr(e, mode)
    assert_same(tuple(res), tuple(torch.linalg.qr(t, mode)), **tol(dtype))
    assert type(res).__name__ == "linalg_qr" and res._fields == ("Q", "R")


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_qr_gradients_match_torch(shape, dtype):
    a = well_conditioned(np.random.default_rng(1), shape, dtype)
    rng = np.random.default_rng(2)
    wq = rng.standard_normal(shape[:-1] + (min(shape[-2:]),)).astype(dtype)
    wr = rng.standard_normal(shape[:-2] + (min(shape[-2:]), shape[-1])).astype(dtype)

    def loss(m, x):
        Q, R = m.linalg.qr(x)
        return (Q * m.tensor(wq)).sum() + (R * m.tensor(wr)).sum()
    assert_grads_same(loss, [a], **tol(dtype))
    # Q alone and R alone (the other output unused)
    assert_grads_same(lambda m, x: m.linalg.qr(x).Q, [a], **tol(dtype))
    assert_grads_same(lambda m, x: m.linalg.qr(x).R, [a], **tol(dtype))


def test_qr_complete_of_wide_matrix_is_differentiable():
    a = well_conditioned(np.random.default_rng(3), (2, 4))
    assert_grads_same(lambda m, x: m.linalg.qr(x, "complete").Q, [a])


@pytest.mark.parametrize("shape", [(4, 3), (3, 3), (3, 5), (2, 2, 3)])
def test_gradcheck_qr(shape):
    x = leaf(well_conditioned(np.random.default_rng(4), shape))
    assert gradcheck(lambda a: tuple(ember.linalg.qr(a)), (x,))


def test_gradgradcheck_qr():
    x = leaf(well_conditioned(np.random.default_rng(5), (3, 2)))
    assert gradgradcheck(lambda a: tuple(ember.linalg.qr(a)), (x,))


def test_grad_fn_of_both_outputs_is_named_like_torch():
    e, t = both(well_conditioned(np.random.default_rng(6), (3, 3)), requires_grad=True)
    for a, b in zip(ember.linalg.qr(e), torch.linalg.qr(t)):
        assert type(a.grad_fn).__name__ == type(b.grad_fn).__name__ == "LinalgQrBackward0"


@pytest.mark.parametrize("mode,shape", [("r", (3, 3)), ("complete", (4, 3))])
def test_backward_through_modes_without_a_derivative_raises_like_torch(mode, shape):
    a = well_conditioned(np.random.default_rng(7), shape)
    e, t = both(a, requires_grad=True)
    with pytest.raises(RuntimeError) as te:
        torch.linalg.qr(t, mode).R.sum().backward()
    with pytest.raises(RuntimeError) as ee:
        ember.linalg.qr(e, mode).R.sum().backward()
    assert str(ee.value) == str(te.value)


@pytest.mark.parametrize("a", [np.ones(3), np.ones((3, 3), np.int64), np.ones((3, 3), np.float16)])
def test_qr_bad_input_errors_match_torch(a):
    same_error(lambda m, x: m.linalg.qr(x), a)


def test_qr_bad_mode_error_matches_torch():
    same_error(lambda m, x: m.linalg.qr(x, "bad"), np.eye(3))
