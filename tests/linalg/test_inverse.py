"""ember.linalg.inv / solve / det / slogdet against torch.linalg: values, dtypes, shapes,
gradients, float64 gradchecks, and torch's errors for singular and non-square input."""
import warnings

import numpy as np
import pytest
import torch

import ember
from ember.autograd import gradcheck, gradgradcheck
from helpers import assert_same, assert_grads_same, both
from linalg.linalg_kit import same_error

SHAPES = [(1, 1), (3, 3), (2, 4, 4), (2, 1, 3, 3)]


def well_conditioned(rng, shape, dtype="float64"):
    """Random matrices with singular values in [0.5, 2]: safe to invert in float32."""
    *batch, m, n = shape
    k = min(m, n)
    U = np.linalg.qr(rng.standard_normal((*batch, m, m)))[0][..., :k]
    V = np.linalg.qr(rng.standard_normal((*batch, n, n)))[0][..., :k]
    s = np.sort(rng.uniform(0.5, 2.0, (*batch, k)))[..., ::-1]
    return ((U * s[..., None, :]) @ np.swapaxes(V, -1, -2)).astype(dtype)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_inv_matches_torch(shape, dtype):
    a = well_conditioned(np.random.default_rng(0), shape, dtype)
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == "float32" else {}
    assert_grads_same(lambda m, x: m.linalg.inv(x), [a], **tol)


@pytest.mark.parametrize("shape", [(0, 0), (2, 0, 0)])
def test_inv_of_empty_matrices(shape):
    e, t = both(np.zeros(shape, np.float32))
    assert_same(ember.linalg.inv(e), torch.linalg.inv(t))


def test_inverse_and_tensor_methods():
    a = well_conditioned(np.random.default_rng(1), (3, 3))
    e, t = both(a)
    assert_same(ember.inverse(e), torch.inverse(t))
    assert_same(ember.det(e), torch.det(t))
    assert_same(ember.pinverse(e), torch.pinverse(t))
    assert_same(ember.matrix_power(e, -2), torch.matrix_power(t, -2))
    assert repr(ember.slogdet(e)) == repr(torch.slogdet(t))
    assert_same(e.inverse(), t.inverse())
    assert_same(e.det(), t.det())
    assert_same(e.logdet(), t.logdet())
    assert_same(e.slogdet(), tuple(t.slogdet()))
    assert_same(e.matrix_power(3), t.matrix_power(3))


@pytest.mark.parametrize("a_shape,b_shape", [
    ((3, 3), (3,)),             # a vector
    ((3, 3), (3, 2)),           # a matrix
    ((2, 3, 3), (2, 3)),        # a batch of vectors (B.shape == A.shape[:-1])
    ((2, 3, 3), (3,)),          # one vector for the whole batch
    ((2, 3, 3), (3, 4)),        # one matrix for the whole batch
    ((2, 3, 3), (5, 1, 3, 2)),  # broadcast batch dims
    ((1, 3, 3), (4, 3, 1)),
])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_solve_matches_torch(a_shape, b_shape, dtype):
    rng = np.random.default_rng(2)
    a = well_conditioned(rng, a_shape, dtype)
    b = rng.standard_normal(b_shape).astype(dtype)
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == "float32" else {}
    assert_grads_same(lambda m, x, y: m.linalg.solve(x, y), [a, b], **tol)


@pytest.mark.parametrize("a_shape,b_shape", [((3, 3), (2, 3)), ((2, 3, 3), (2, 4, 3)),
                                             ((3, 3), (4, 1, 3))])
def test_solve_left_false_matches_torch(a_shape, b_shape):
    rng = np.random.default_rng(3)
    a = well_conditioned(rng, a_shape)
    b = rng.standard_normal(b_shape)
    assert_grads_same(lambda m, x, y: m.linalg.solve(x, y, left=False), [a, b])
    # one node, as torch's (it was a transpose of a left solve), and torch's C layout
    (e, t), (eb, tb) = both(a, requires_grad=True), both(b)
    got, want = ember.linalg.solve(e, eb, left=False), torch.linalg.solve(t, tb, left=False)
    assert type(got.grad_fn).__name__ == type(want.grad_fn).__name__
    assert [st for st, n in zip(got.stride(), got.shape) if n > 1] == \
        [st for st, n in zip(want.stride(), want.shape) if n > 1]      # (size-1 dims: free)
    assert gradgradcheck(lambda x: ember.linalg.solve(x, eb, left=False), (e,))


@pytest.mark.parametrize("shape", SHAPES + [(2, 0, 0)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_det_and_slogdet_match_torch(shape, dtype):
    rng = np.random.default_rng(4)
    a = well_conditioned(rng, shape, dtype) * rng.choice([-1, 1], shape[:-2] + (1, 1))
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == "float32" else {}
    assert_grads_same(lambda m, x: m.linalg.det(x), [a], **tol)
    assert_grads_same(lambda m, x: m.linalg.slogdet(x).logabsdet, [a], **tol)
    e, t = both(a)
    assert_same(ember.linalg.slogdet(e), tuple(torch.linalg.slogdet(t)), **tol)
    assert_same(ember.logdet(e), torch.logdet(t), **tol)
    assert_same(ember.slogdet(e), tuple(torch.slogdet(t)), **tol)


def test_slogdet_is_a_named_tuple_like_torch():
    e, t = both(np.diag([-2.0, 3.0]))
    res = ember.linalg.slogdet(e)
    assert type(res).__name__ == "linalg_slogdet"
    assert res._fields == ("sign", "logabsdet")
    assert repr(res) == repr(torch.linalg.slogdet(t)).replace("torch.float64", "torch.float64")


def test_det_gradient_of_nearly_singular_matrix_matches_torch():
    a = np.array([[1., 2., 3.], [2., 4., 6.], [0., 1., 1.]])     # det is 3e-16, not 0
    assert_grads_same(lambda m, x: m.linalg.det(x), [a], atol=1e-10)


@pytest.mark.parametrize("a,cofactors", [
    ([[1., 2.], [2., 4.]], [[4., -2.], [-2., 1.]]),
    (np.zeros((3, 3)), np.zeros((3, 3))),
    ([[[1., 2.], [2., 4.]], [[1., 0.], [0., 2.]]], [[[4., -2.], [-2., 1.]], [[2., 0.], [0., 1.]]]),
])
def test_det_gradient_of_exactly_singular_matrices_is_the_cofactor_matrix(a, cofactors):
    # Where det(A) == 0 exactly, torch's (first-order) backward returns 0 — an artefact of
    # solving with a zero right-hand side — although det is differentiable there with the
    # cofactor matrix as gradient (torch's own double-backward path uses it). ember returns
    # the cofactor matrix.
    x = ember.tensor(a, dtype=ember.float64, requires_grad=True)
    ember.linalg.det(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), cofactors, atol=1e-12)


def test_grad_fn_names_match_torch():
    a = well_conditioned(np.random.default_rng(5), (3, 3))
    e, t = both(a, requires_grad=True)
    for fn in (lambda m, x: m.linalg.inv(x), lambda m, x: m.linalg.det(x),
               lambda m, x: m.linalg.solve(x, x[0]), lambda m, x: m.linalg.slogdet(x)[0],
               lambda m, x: m.linalg.slogdet(x)[1]):
        assert type(fn(ember, e).grad_fn).__name__ == type(fn(torch, t).grad_fn).__name__


# ------------------------------------------------------------------ gradcheck
def _leaf(array):
    return ember.tensor(array, requires_grad=True)


@pytest.mark.parametrize("shape", [(3, 3), (2, 2, 2)])
def test_gradcheck_inv_det_slogdet(shape):
    a = _leaf(well_conditioned(np.random.default_rng(6), shape))
    assert gradcheck(ember.linalg.inv, (a,))
    assert gradcheck(ember.linalg.det, (a,))
    assert gradcheck(lambda x: ember.linalg.slogdet(x).logabsdet, (a,))
    assert gradgradcheck(ember.linalg.inv, (a,))
    assert gradgradcheck(ember.linalg.det, (a,))


def test_gradcheck_solve():
    rng = np.random.default_rng(7)
    a = _leaf(well_conditioned(rng, (2, 3, 3)))
    for b in (_leaf(rng.standard_normal((3,))), _leaf(rng.standard_normal((2, 3, 2)))):
        assert gradcheck(ember.linalg.solve, (a, b))
    b = _leaf(rng.standard_normal((4, 1, 2, 3)))
    assert gradcheck(lambda x, y: ember.linalg.solve(x, y, left=False), (a, b))
    assert gradgradcheck(ember.linalg.solve, (a, _leaf(rng.standard_normal((3, 2)))))


def test_gradcheck_det_at_a_singular_matrix():
    a = _leaf(np.array([[1., 2., 3.], [2., 4., 6.], [0., 1., 1.]]))
    assert gradcheck(ember.linalg.det, (a,))


# --------------------------------------------------------------------- errors
def _same_error(fn, *arrays):
    """fn(module, *tensors) raises the same exception type and message in ember and torch."""
    with pytest.raises(Exception) as te:
        fn(torch, *[torch.tensor(a) for a in arrays])
    es = [ember.tensor(a) for a in arrays]
    before = [e.clone() for e in es]
    with pytest.raises(Exception) as ee:
        fn(ember, *es)
    assert str(ee.value) == str(te.value)
    assert isinstance(ee.value, RuntimeError) == isinstance(te.value, RuntimeError)
    assert isinstance(ee.value, ember.linalg.LinAlgError) == isinstance(
        te.value, torch.linalg.LinAlgError)
    for e, b in zip(es, before):          # the inputs are left unchanged
        assert ember.equal(e, b)
    return ee.value


@pytest.mark.parametrize("a", [
    [[1., 2.], [2., 4.]],                                   # element 2
    np.zeros((3, 3)),                                       # element 1
    [[1., 0., 0.], [0., 0., 0.], [0., 0., 1.]],             # element 2
    [[[1., 0.], [0., 1.]], [[1., 2.], [2., 4.]]],           # batch element 1
    np.zeros((2, 2, 2, 2)),
])
def test_inv_of_singular_matrix_raises_linalg_error(a):
    err = _same_error(lambda m, x: m.linalg.inv(x), np.array(a, dtype=np.float32))
    assert "singular" in str(err)


def test_inv_singular_message_from_the_brief():
    with pytest.raises(ember.linalg.LinAlgError, match="^linalg.inv: The diagonal element 2 is "
                       "zero, the inversion could not be completed because the input matrix is "
                       "singular.$"):
        ember.linalg.inv(ember.tensor([[1., 2.], [2., 4.]]))
    assert issubclass(ember.linalg.LinAlgError, RuntimeError)


@pytest.mark.parametrize("a,b", [
    (np.zeros((3, 3)), np.ones(3)),
    (np.stack([np.eye(3), np.zeros((3, 3))]), np.ones((2, 3))),
])
def test_solve_singular_raises_linalg_error(a, b):
    _same_error(lambda m, x, y: m.linalg.solve(x, y), a, b)


@pytest.mark.parametrize("fn", ["inv", "det", "slogdet"])
@pytest.mark.parametrize("a", [np.ones((2, 3)), np.ones(3), np.ones((3, 3), np.int64),
                               np.ones((2, 3), np.int64), np.ones((3, 3), np.float16)])
def test_bad_input_errors_match_torch(fn, a):
    _same_error(lambda m, x: getattr(m.linalg, fn)(x), a)


@pytest.mark.parametrize("a_shape,b_shape,kw", [
    ((2, 3), (3,), {}), ((3, 3), (4,), {}), ((3, 3), (4, 2), {}), ((3, 3), (2, 3), {}),
    ((3, 3), (3, 2), {"left": False}), ((3,), (3,), {}), ((3, 3), (3,), {"left": False}),
    ((1, 1), (1,), {"left": False}),
    ((3, 3), (), {}), ((3,), (), {}),                               # 0-dim B
    ((0, 3, 3), (2, 3, 1), {}), ((2, 3, 3), (4, 3, 1), {}),         # batch dims
])
def test_solve_shape_errors_match_torch(a_shape, b_shape, kw):
    _same_error(lambda m, x, y: m.linalg.solve(x, y, **kw), np.ones(a_shape), np.ones(b_shape))


def test_solve_dtype_errors_match_torch():
    _same_error(lambda m, x, y: m.linalg.solve(x, y), np.eye(3, dtype=np.float32), np.ones(3))
    _same_error(lambda m, x, y: m.linalg.solve(x, y), np.eye(3, dtype=np.int64),
                np.ones(3, np.int64))


def test_non_tensor_argument_is_a_type_error():
    with pytest.raises(TypeError, match=r"linalg_inv\(\): argument 'A' \(position 1\) must be "
                                        r"Tensor, not list"):
        ember.linalg.inv([[1.0]])


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("fn", ["det", "slogdet"])
def test_det_and_slogdet_of_non_finite_input_are_silent(value, fn):
    # np.linalg.det warns 'invalid value' for a nan; torch is silent
    x = np.array([[value, 1.0], [1.0, 2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        got = getattr(ember.linalg, fn)(ember.tensor(x))
    want = getattr(torch.linalg, fn)(torch.tensor(x))
    if fn == "det":
        assert_same(got, want)
    else:
        assert_same(got.logabsdet, want.logabsdet)


NAN = np.nan
NAN_MATRICES = [
    [[NAN, 1.], [1., 1.]],          # NumPy: det 0, inv 'Singular matrix'
    [[NAN, 1.], [1., 2.]],          # NumPy: inv finite in its second row
    [[1., NAN], [0., 1.]],
    [[NAN, 0.], [0., 0.]],          # the zero pivot comes after the NaN: no error
    [[[1., 2.], [3., 4.]], [[NAN, 1.], [1., 1.]]],
]


@pytest.mark.parametrize("a", NAN_MATRICES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_matrices_holding_nan_give_nan_like_torch(a, dtype):
    a = np.array(a, dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fn in (lambda m, x: m.linalg.inv(x), lambda m, x: m.linalg.det(x),
                   lambda m, x: m.logdet(x), lambda m, x: m.linalg.solve(x, m.ones(2, dtype=x.dtype)),
                   lambda m, x: m.linalg.solve(x, m.ones(3, 2, dtype=x.dtype), left=False)):
            e, t = both(a)
            assert_same(fn(ember, e), fn(torch, t))
        e, t = both(a)
        assert_same(tuple(ember.linalg.slogdet(e)), tuple(torch.linalg.slogdet(t)))


@pytest.mark.parametrize("a", [[[0., 0.], [0., NAN]],                   # zero pivot first
                               [[[NAN, 1.], [1., 1.]], np.zeros((2, 2))]])  # the other one
def test_a_zero_pivot_before_the_nan_is_still_singular(a):
    a = np.array(a)
    same_error(lambda m, x: m.linalg.inv(x), a)         # (nan-aware 'inputs unchanged')
    same_error(lambda m, x: m.linalg.solve(x, m.ones(2, dtype=x.dtype)), a)


@pytest.mark.parametrize("a", [np.ones((2, 3)), np.ones(3), np.ones((3, 3), np.int64),
                               np.ones((2, 2, 4))])
def test_logdet_errors_name_logdet_like_torch(a):
    same_error(lambda m, x: m.logdet(x), a)
    same_error(lambda m, x: x.logdet(), a)
