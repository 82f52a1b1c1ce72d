"""ember.linalg.eigh / eigvalsh against torch: values (eigenvector signs normalised),
gradients of sign-invariant losses, float64 gradchecks, UPLO, errors."""
import numpy as np
import pytest
import torch

import ember
from ember.autograd import gradcheck, gradgradcheck
from helpers import assert_same, assert_grads_same, both
from linalg.linalg_kit import symmetric, tol, leaf, same_error


def normalise_columns(Q):
    """Eigenvectors are defined up to sign: make each column's largest entry positive."""
    Q = np.asarray(Q, dtype=np.float64)
    if Q.size == 0:
        return Q
    idx = np.argmax(np.abs(Q), axis=-2)[..., None, :]
    return Q * np.sign(np.take_along_axis(Q, idx, axis=-2))


@pytest.mark.parametrize("shape", [(1, 1), (4, 4), (2, 3, 3), (0, 0), (2, 0, 0)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh_values_match_torch(shape, dtype, uplo):
    a = symmetric(np.random.default_rng(0), shape, dtype)
    a = a + np.triu(np.ones(shape), 1) * (5 if uplo == "L" else 0)     # unread triangle
    a = a + np.tril(np.ones(shape), -1) * (5 if uplo == "U" else 0)
    e, t = both(a.astype(dtype))
    L, Q = ember.linalg.eigh(e, uplo)
    Lt, Qt = torch.linalg.eigh(t, uplo)
    assert_same(L, Lt, **tol(dtype))
    assert Q.dtype.name == dtype and tuple(Q.shape) == tuple(Qt.shape)
    np.testing.assert_allclose(normalise_columns(Q.numpy()), normalise_columns(Qt.numpy()),
                               **tol(dtype))
    assert_same(ember.linalg.eigvalsh(e, UPLO=uplo), torch.linalg.eigvalsh(t, UPLO=uplo),
                **tol(dtype))
    res = ember.linalg.eigh(e)
    assert type(res).__name__ == "linalg_eigh" and res._fields == ("eigenvalues",
                                                                    "eigenvectors")


@pytest.mark.parametrize("shape", [(1, 1), (4, 4), (2, 3, 3)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_eigh_gradients_match_torch(shape, dtype):
    a = symmetric(np.random.default_rng(1), shape, dtype)
    rng = np.random.default_rng(2)
    w_vec = rng.standard_normal(shape).astype(dtype)
    w_val = rng.standard_normal(shape[:-1]).astype(dtype)

    def loss(m, x):      # squares of eigenvector entries do not depend on their signs
        L, Q = m.linalg.eigh(x)
        return (Q * Q * m.tensor(w_vec)).sum() + (L * m.tensor(w_val)).sum()
    assert_grads_same(loss, [a], **tol(dtype))
    assert_grads_same(lambda m, x: m.linalg.eigh(x).eigenvalues, [a], **tol(dtype))
    assert_grads_same(lambda m, x: m.linalg.eigvalsh(x), [a], **tol(dtype))
    assert_grads_same(lambda m, x: (m.linalg.eigh(x, "U").eigenvectors ** 2).sum(-1), [a],
                      **tol(dtype))


def test_gradcheck_eigh():
    x = leaf(symmetric(np.random.default_rng(3), (2, 3, 3)))
    w = ember.tensor(np.random.default_rng(4).standard_normal((3, 3)))

    def fn(a):      # a symmetric input, a gauge-invariant output (torch's advice)
        L, Q = ember.linalg.eigh(a + a.mT)
        return L, (Q * Q * w).sum(-1), Q @ (L.unsqueeze(-1) * Q.mT)
    assert gradcheck(fn, (x,))
    assert gradcheck(lambda a: ember.linalg.eigvalsh(a + a.mT), (x,))
    assert gradgradcheck(lambda a: ember.linalg.eigvalsh(a + a.mT), (x,))
    assert gradgradcheck(lambda a: (ember.linalg.eigh(a + a.mT)[1] ** 2), (leaf(x[0].detach()),))


def test_grad_fn_names_match_torch():
    e, t = both(symmetric(np.random.default_rng(5), (3, 3)), requires_grad=True)
    for a, b in zip(ember.linalg.eigh(e), torch.linalg.eigh(t)):
        assert type(a.grad_fn).__name__ == type(b.grad_fn).__name__
    assert type(ember.linalg.eigvalsh(e).grad_fn).__name__ == \
        type(torch.linalg.eigvalsh(t).grad_fn).__name__


@pytest.mark.parametrize("fn", ["eigh", "eigvalsh"])
@pytest.mark.parametrize("a", [np.ones((2, 3)), np.ones(3), np.ones((3, 3), np.int64),
                               np.ones((3, 3), np.float16)])
def test_eigh_bad_input_errors_match_torch(fn, a):
    same_error(lambda m, x: getattr(m.linalg, fn)(x), a)


def test_eigh_bad_uplo_error_matches_torch():
    same_error(lambda m, x: m.linalg.eigh(x, "X"), np.eye(2))
    same_error(lambda m, x: m.linalg.eigvalsh(x, "X"), np.eye(2))
    e, t = both(symmetric(np.random.default_rng(6), (3, 3)))
    assert_same(ember.linalg.eigvalsh(e, "u"), torch.linalg.eigvalsh(t, "u"))


@pytest.mark.parametrize("fn", ["eigh", "eigvalsh"])
@pytest.mark.parametrize("uplo", [1, None, "x", "lower"])
@pytest.mark.parametrize("shape", [(2, 2), (3,)])
def test_bad_uplo_raises_torch_error(fn, uplo, shape):
    same_error(lambda m, x: getattr(m.linalg, fn)(x, UPLO=uplo), np.ones(shape))
