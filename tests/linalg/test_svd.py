"""ember.linalg.svd / svdvals / pinv / matrix_rank against torch: values (singular vector
signs normalised), gradients of gauge-invariant losses, float64 gradchecks, errors."""
import warnings

import numpy as np
import pytest
import torch

import ember
from ember.autograd import gradcheck, gradgradcheck
from helpers import assert_same, assert_grads_same, both
from linalg.linalg_kit import well_conditioned, tol, leaf, same_error

SHAPES = [(4, 3), (3, 3), (3, 5), (2, 4, 2), (2, 2, 3), (1, 1)]


def aligned(U, Vh, Ut, k):
    """Flip the signs of ember's first k singular pairs (u_i, v_i) to match torch's U."""
    signs = np.sign(np.sum(U[..., :k] * Ut[..., :k], axis=-2))
    return U[..., :k] * signs[..., None, :], Vh[..., :k, :] * signs[..., :, None]


@pytest.mark.parametrize("shape", SHAPES + [(0, 3), (3, 0), (2, 0, 0)])
@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_svd_values_match_torch(shape, full, dtype):
    a = well_conditioned(np.random.default_rng(0), shape, dtype) if 0 not in shape else \
        np.zeros(shape, dtype)
    e, t = both(a)
    U, S, Vh = ember.linalg.svd(e, full_matrices=full)
    Ut, St, Vht = torch.linalg.svd(t, full_matrices=full)
    assert_same(S, St, **tol(dtype))
    for x, y in ((U, Ut), (Vh, Vht)):
        assert tuple(x.shape) == tuple(y.shape) and x.dtype.name == dtype
    k = min(shape[-2:])
    u, vh = aligned(U.numpy(), Vh.numpy(), Ut.numpy(), k)
    np.testing.assert_allclose(u, Ut.numpy()[..., :k], **tol(dtype))
    np.testing.assert_allclose(vh, Vht.numpy()[..., :k, :], **tol(dtype))
    if full:        # the completed bases are orthonormal
        m, n = shape[-2:]
        np.testing.assert_allclose(U.numpy() @ np.swapaxes(U.numpy(), -1, -2),
                                   np.broadcast_to(np.eye(m), U.shape), atol=1e-5)
        np.testing.assert_allclose(Vh.numpy() @ np.swapaxes(Vh.numpy(), -1, -2),
                                   np.broadcast_to(np.eye(n), Vh.shape), atol=1e-5)
    assert_same(ember.linalg.svdvals(e), torch.linalg.svdvals(t), **tol(dtype))
    res = ember.linalg.svd(e)
    assert type(res).__name__ == "linalg_svd" and res._fields == ("U", "S", "Vh")


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_svd_gradients_match_torch(shape, full, dtype):
    a = well_conditioned(np.random.default_rng(1), shape, dtype)
    rng = np.random.default_rng(2)
    k = min(shape[-2:])
    w_u = rng.standard_normal(shape[:-1] + (k,)).astype(dtype)
    w_v = rng.standard_normal(shape[:-2] + (k, shape[-1])).astype(dtype)
    w_uv = rng.standard_normal(shape).astype(dtype)
    c = rng.standard_normal(shape[:-2] + (k,)).astype(dtype)

    def loss(m, x):
        # Squares of U and Vh, and U diag(c) Vh, do not depend on the signs of the pairs.
        U, S, Vh = m.linalg.svd(x, full_matrices=full)
        U, Vh = U[..., :k], Vh[..., :k, :]
        return ((U * U * m.tensor(w_u)).sum() + (Vh * Vh * m.tensor(w_v)).sum()
                + ((U * m.tensor(c).unsqueeze(-2)) @ Vh * m.tensor(w_uv)).sum()
                + (S * S).sum())
    assert_grads_same(loss, [a], **tol(dtype))
    assert_grads_same(lambda m, x: (m.linalg.svd(x, full)[0][..., :k] ** 2).sum(-1), [a],
                      **tol(dtype))
    assert_grads_same(lambda m, x: (m.linalg.svd(x, full)[2][..., :k, :] ** 2).sum(-2), [a],
                      **tol(dtype))
    assert_grads_same(lambda m, x: m.linalg.svd(x, full).S, [a], **tol(dtype))
    assert_grads_same(lambda m, x: m.linalg.svdvals(x), [a], **tol(dtype))


@pytest.mark.parametrize("shape", [(4, 3), (3, 3), (2, 3, 5)])
def test_gradcheck_svd(shape):
    x = leaf(well_conditioned(np.random.default_rng(3), shape))
    k = min(shape[-2:])
    c = ember.tensor(np.random.default_rng(4).standard_normal(k))

    def fn(a):
        U, S, Vh = ember.linalg.svd(a, full_matrices=False)
        return S, U * U, Vh * Vh, (U * c) @ Vh
    assert gradcheck(fn, (x,))
    assert gradcheck(ember.linalg.svdvals, (x,))


def test_gradgradcheck_svd():
    x = leaf(well_conditioned(np.random.default_rng(5), (3, 2)))
    assert gradgradcheck(ember.linalg.svdvals, (x,))
    assert gradgradcheck(lambda a: ember.linalg.svd(a, False).U ** 2, (x,))


def test_grad_fn_names_match_torch():
    e, t = both(well_conditioned(np.random.default_rng(6), (3, 2)), requires_grad=True)
    for a, b in zip(ember.linalg.svd(e), torch.linalg.svd(t)):
        assert type(a.grad_fn).__name__ == type(b.grad_fn).__name__ == "LinalgSvdBackward0"
    assert type(ember.linalg.svdvals(e).grad_fn).__name__ == "LinalgSvdBackward0"


def test_unused_outputs_get_no_nan_with_repeated_singular_values():
    # The identity has one singular value three times: only S is used, so the cheap
    # formula applies and the gradient is finite, as in torch.
    assert_grads_same(lambda m, x: m.linalg.svd(x).S, [np.eye(3)])
    assert_grads_same(lambda m, x: m.linalg.svdvals(x), [np.eye(3)])


@pytest.mark.parametrize("fn", ["svd", "svdvals"])
@pytest.mark.parametrize("a", [np.ones(3), np.ones((3, 3), np.int64), np.ones((3, 3), np.float16),
                               np.array([[1., np.nan], [2., 1.]])])
def test_svd_bad_input_errors_match_torch(fn, a):
    same_error(lambda m, x: getattr(m.linalg, fn)(x), a)


# ------------------------------------------------------------------------ pinv
@pytest.mark.parametrize("shape", SHAPES + [(0, 3), (2, 0, 0)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_pinv_matches_torch(shape, dtype):
    a = well_conditioned(np.random.default_rng(7), shape, dtype) if 0 not in shape else \
        np.zeros(shape, dtype)
    assert_grads_same(lambda m, x: m.linalg.pinv(x), [a], **tol(dtype))


def test_pinv_of_rank_deficient_and_hermitian_matrices_matches_torch():
    a = np.array([[1., 2.], [2., 4.]])
    assert_grads_same(lambda m, x: m.linalg.pinv(x), [a])
    assert_grads_same(lambda m, x: m.linalg.pinv(x, hermitian=True), [a])
    b = well_conditioned(np.random.default_rng(8), (4, 4))
    b = b + b.T
    assert_grads_same(lambda m, x: m.linalg.pinv(x, hermitian=True), [b])
    for kw in ({"rtol": 0.6}, {"atol": 1.0}, {"atol": 0.1, "rtol": 0.9}, {"rcond": 0.5}):
        c = well_conditioned(np.random.default_rng(9), (3, 4))
        e, t = both(c)
        assert_same(ember.linalg.pinv(e, **kw), torch.linalg.pinv(t, **kw))
    e, t = both(c)
    assert_same(ember.linalg.pinv(e, 0.5), torch.linalg.pinv(t, 0.5))      # rcond positional


def test_gradcheck_pinv():
    for shape in ((4, 3), (3, 3), (2, 2, 4)):
        x = leaf(well_conditioned(np.random.default_rng(10), shape))
        assert gradcheck(ember.linalg.pinv, (x,))
    assert gradgradcheck(ember.linalg.pinv, (leaf(well_conditioned(np.random.default_rng(11),
                                                                    (3, 2))),))


@pytest.mark.parametrize("a", [np.ones(3), np.ones((3, 3), np.int64)])
def test_pinv_errors_match_torch(a):
    same_error(lambda m, x: m.linalg.pinv(x), a)


# ----------------------------------------------------------------- matrix_rank
@pytest.mark.parametrize("kw", [{}, {"atol": 0.6}, {"rtol": 0.5}, {"hermitian": True},
                                {"atol": 0.1, "rtol": 0.3}])
def test_matrix_rank_matches_torch(kw):
    rng = np.random.default_rng(12)
    a = well_conditioned(rng, (3, 4, 4))
    a = a + np.swapaxes(a, -1, -2)
    a[0] = np.outer(a[0, 0], a[0, 0])          # rank 1
    e, t = both(a)
    assert_same(ember.linalg.matrix_rank(e, **kw), torch.linalg.matrix_rank(t, **kw))
    assert_same(ember.linalg.matrix_rank(e, 0.6), torch.linalg.matrix_rank(t, 0.6))   # tol


@pytest.mark.parametrize("a", [np.ones(3), np.ones((3, 3), np.int64),
                               np.ones((3, 3), np.float16)])
def test_matrix_rank_errors_match_torch(a):
    same_error(lambda m, x: m.linalg.matrix_rank(x), a)


@pytest.mark.parametrize("call", [lambda m, x: m.linalg.pinv(x), lambda m, x: m.pinverse(x),
                                  lambda m, x: x.pinverse()])
def test_pinv_of_nan_names_the_svd_like_torch(call):
    same_error(call, np.array([[np.nan, 1.], [1., 1.]]))


@pytest.mark.parametrize("call", [lambda m, x: m.linalg.pinv(x, hermitian=True),
                                  lambda m, x: m.linalg.matrix_rank(x, hermitian=True)])
@pytest.mark.parametrize("shape", [(3, 4), (2, 4, 3)])
def test_hermitian_forms_of_non_square_input_raise_torch_error(call, shape):
    # (NumPy's eigh said 'Last 2 dimensions of the array must be square')
    same_error(call, np.ones(shape))


@pytest.mark.parametrize("shape", [(0, 4), (2, 3, 0), (0, 0)])
def test_hermitian_forms_of_empty_non_square_input_match_torch(shape):
    e, t = both(np.ones(shape))
    assert_same(ember.linalg.pinv(e, hermitian=True), torch.linalg.pinv(t, hermitian=True))
    assert_same(ember.linalg.matrix_rank(e, hermitian=True),
                torch.linalg.matrix_rank(t, hermitian=True))


@pytest.mark.parametrize("shape", [(4, 3), (3, 4), (2, 3, 3), (0, 2, 3)])
@pytest.mark.parametrize("kw", [{}, {"some": False}, {"compute_uv": False}])
def test_legacy_svd_matches_torch(shape, kw):
    a = well_conditioned(np.random.default_rng(1), shape)
    e, t = both(a, requires_grad=True)
    got, want = ember.svd(e, **kw), torch.svd(t, **kw)
    assert type(got).__name__ == "svd" and got._fields == ("U", "S", "V")
    assert_same(got.S, want.S)
    for g, w in zip(got, want):
        assert g.shape == w.shape and type(g.grad_fn).__name__ == type(w.grad_fn).__name__
    if kw.get("compute_uv", True):
        k = min(shape[-2:])     # U diag(S) V^T == A (the sign of each vector pair is free)
        rebuilt = (got.U[..., :k] * got.S.unsqueeze(-2)) @ got.V[..., :k].mT
        assert np.allclose(rebuilt.detach().numpy(), a)
    else:
        assert not got.U.numpy().any() and not got.V.numpy().any()
    assert_grads_same(lambda m, x: m.svd(x, **kw).S, [a])
    assert e.svd().V.shape == t.svd().V.shape


def test_legacy_svd_errors_match_torch():
    same_error(lambda m, x: m.svd(x), np.ones(3))
    same_error(lambda m, x: m.svd(x), np.ones((2, 2), np.int64))


INF = np.inf


@pytest.mark.parametrize("a", [[[INF, 1.], [1., 1.]], [[-INF, INF], [1., 1.]],
                               [[INF, 1., 2.], [1., 1., 3.]],
                               [[[INF, 1.], [1., 1.]], [[1., 2.], [3., 4.]]]])
@pytest.mark.parametrize("fn", [
    lambda m, x: tuple(m.linalg.svd(x)), lambda m, x: m.linalg.svdvals(x),
    lambda m, x: m.linalg.pinv(x), lambda m, x: m.linalg.matrix_rank(x),
    lambda m, x: m.linalg.matrix_norm(x, 2), lambda m, x: m.linalg.matrix_norm(x, "nuc")])
def test_inf_goes_through_the_svd_to_nan_like_torch(a, fn):
    # only a NaN makes torch's SVD fail; an inf gives NaN singular values
    e, t = both(np.array(a, dtype=np.float32))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = fn(ember, e)
    assert_same(got, fn(torch, t))
