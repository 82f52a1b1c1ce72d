"""linalg.matrix_exp (and torch.matrix_exp, Tensor.matrix_exp) against torch."""
import numpy as np
import pytest
import torch

import ember
from ember.autograd import gradcheck, gradgradcheck
from helpers import assert_same, assert_grads_same, both
from linalg.linalg_kit import leaf, same_error, tol


@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (2, 4, 4), (2, 1, 5, 5), (0, 0), (0, 3, 3)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("scale", [0.1, 1.0, 30.0])
def test_values_and_gradients_match_torch(shape, dtype, scale):
    x = (scale * np.random.default_rng(0).standard_normal(shape)).astype(dtype)
    t = dict(rtol=1e-4, atol=1e-4) if dtype == "float32" else dict(rtol=1e-7, atol=1e-7)
    if scale > 10:
        t = dict(rtol=1e-3 if dtype == "float32" else 1e-6, atol=1e-3)
    assert_grads_same(lambda m, a: m.linalg.matrix_exp(a), [x], **t)
    assert_grads_same(lambda m, a: m.matrix_exp(a), [x], **t)
    assert_grads_same(lambda m, a: a.matrix_exp(), [x], **t)


def test_known_values():
    # exp of a rotation generator is a rotation; of a nilpotent matrix, a finite series
    theta = 0.7
    e = ember.linalg.matrix_exp(ember.tensor([[0., -theta], [theta, 0.]], dtype=ember.float64))
    np.testing.assert_allclose(e.numpy(), [[np.cos(theta), -np.sin(theta)],
                                           [np.sin(theta), np.cos(theta)]], rtol=1e-14)
    n = ember.tensor([[0., 1., 2.], [0., 0., 3.], [0., 0., 0.]], dtype=ember.float64)
    np.testing.assert_allclose(ember.matrix_exp(n).numpy(),
                               np.eye(3) + n.numpy() + n.numpy() @ n.numpy() / 2, rtol=1e-14)


def test_grad_fn_name_and_second_derivatives():
    x = np.random.default_rng(1).standard_normal((2, 3, 3))
    e, t = leaf(x), torch.tensor(x, requires_grad=True)
    assert type(ember.matrix_exp(e).grad_fn).__name__ == type(torch.matrix_exp(t).grad_fn).__name__
    assert gradcheck(ember.linalg.matrix_exp, [e])
    assert gradgradcheck(ember.linalg.matrix_exp, [leaf(x[0] * 0.5)])


def test_non_finite_input_gives_nan_as_torch():
    for bad in (np.nan, np.inf):
        x = np.where(np.eye(2) == 1, bad, 0.0)
        e, t = both(x)
        assert np.isnan(ember.matrix_exp(e).numpy()).any() == np.isnan(
            torch.matrix_exp(t).numpy()).any()


ERRORS = [
    lambda m: m.linalg.matrix_exp(m.ones(2, 3)),
    lambda m: m.linalg.matrix_exp(m.ones(2, 2, dtype=m.long)),
    lambda m: m.matrix_exp(m.ones(3)),
    lambda m: m.matrix_exp([[1.]]),
    lambda m: m.linalg.matrix_exp([[1.]]),
]


@pytest.mark.parametrize("fn", ERRORS)
def test_errors_match_torch(fn):
    same_error(fn)
