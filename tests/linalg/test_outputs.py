"""The multi-output recording behind svd / eigh / qr / slogdet / lstsq: every output has a
grad_fn with torch's name, gradients from several outputs add up, unused outputs cost
nothing, and no gradient means no graph."""
import warnings

import numpy as np
import pytest
import torch

import ember
from linalg.linalg_kit import well_conditioned


def test_outputs_share_one_backward_and_gradients_add_up():
    a = well_conditioned(np.random.default_rng(0), (4, 3))
    x = ember.tensor(a, requires_grad=True)
    U, S, Vh = ember.linalg.svd(x, full_matrices=False)
    # U diag(S) Vh rebuilds x, so the gradient of sum(W * rebuilt) is W exactly.
    w = ember.tensor(np.random.default_rng(1).standard_normal((4, 3)))
    ((U * S.unsqueeze(-2)) @ Vh * w).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), w.numpy(), atol=1e-10)


def test_zero_gradient_through_used_outputs_gives_zeros_not_none():
    x = ember.tensor(well_conditioned(np.random.default_rng(2), (3, 3)), requires_grad=True)
    Q, R = ember.linalg.qr(x)
    (Q.sum() * 0).backward()
    assert x.grad is not None and not np.any(x.grad.numpy())


def test_no_graph_without_grad():
    x = ember.tensor(well_conditioned(np.random.default_rng(3), (3, 3)), requires_grad=True)
    with ember.no_grad():
        for out in (*ember.linalg.svd(x), *ember.linalg.eigh(x + x.T), *ember.linalg.qr(x)):
            assert out.grad_fn is None and not out.requires_grad
    y = ember.tensor(well_conditioned(np.random.default_rng(3), (3, 3)))
    for out in ember.linalg.slogdet(y):
        assert out.grad_fn is None


def test_backward_twice_needs_retain_graph():
    x = ember.tensor(well_conditioned(np.random.default_rng(4), (3, 3)), requires_grad=True)
    L, Q = ember.linalg.eigh(x + x.T)
    loss = L.sum() + (Q ** 2).sum()
    loss.backward(retain_graph=True)
    first = x.grad.clone()
    loss.backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * first.numpy())


# ------------------------------------------------------------------ out=
_A = np.array([[4., 1., 0.], [1., 3., 1.], [0., 1., 2.]], dtype=np.float32)
_OUT_CALLS = {
    "inv": (lambda m, a, out: m.linalg.inv(a, out=out), 1),
    "inverse": (lambda m, a, out: m.inverse(a, out=out), 1),
    "det": (lambda m, a, out: m.linalg.det(a, out=out), 1),
    "solve": (lambda m, a, out: m.linalg.solve(a, a, out=out), 1),
    "cholesky": (lambda m, a, out: m.linalg.cholesky(a, out=out), 1),
    "eigvalsh": (lambda m, a, out: m.linalg.eigvalsh(a, out=out), 1),
    "svdvals": (lambda m, a, out: m.linalg.svdvals(a, out=out), 1),
    "pinv": (lambda m, a, out: m.linalg.pinv(a, out=out), 1),
    "vector_norm": (lambda m, a, out: m.linalg.vector_norm(a, out=out), 1),
    "cross": (lambda m, a, out: m.linalg.cross(a, a.flip(0), out=out), 1),
    "slogdet": (lambda m, a, out: m.linalg.slogdet(a, out=out), 2),
    "qr": (lambda m, a, out: m.linalg.qr(a, out=out), 2),
    "eigh": (lambda m, a, out: m.linalg.eigh(a, out=out)[0], 2),
    "svd": (lambda m, a, out: m.linalg.svd(a, out=out)[1], 3),
    "matrix_norm": (lambda m, a, out: m.linalg.matrix_norm(a, out=out), 1),
    "matrix_norm_nuc": (lambda m, a, out: m.linalg.matrix_norm(a, "nuc", out=out), 1),
    "norm": (lambda m, a, out: m.linalg.norm(a, out=out), 1),
    "norm_1": (lambda m, a, out: m.linalg.norm(a, 1, out=out), 1),
    "norm_vector": (lambda m, a, out: m.linalg.norm(a[0], 3, out=out), 1),
    "matrix_rank": (lambda m, a, out: m.linalg.matrix_rank(a, out=out), 1),
    "vecdot": (lambda m, a, out: m.linalg.vecdot(a, a.flip(0), out=out), 1),
    "multi_dot": (lambda m, a, out: m.linalg.multi_dot([a, a.flip(0), a], out=out), 1),
    "multi_dot_row": (lambda m, a, out: m.linalg.multi_dot([a[0], a], out=out), 1),
    "matrix_power": (lambda m, a, out: m.linalg.matrix_power(a, 3, out=out), 1),
    "matrix_power_0": (lambda m, a, out: m.linalg.matrix_power(a, 0, out=out), 1),
    "matrix_power_1": (lambda m, a, out: m.linalg.matrix_power(a, 1, out=out), 1),
    "matrix_power_neg": (lambda m, a, out: m.linalg.matrix_power(a, -2, out=out), 1),
}


@pytest.mark.parametrize("name", list(_OUT_CALLS))
def test_out_is_filled_and_returned_like_torch(name):
    # (out= used to be accepted and silently ignored)
    call, n = _OUT_CALLS[name]
    results = []
    for m in (torch, ember):
        a = m.tensor(_A)
        outs = [m.empty(0) for _ in range(n)]
        got = call(m, a, outs[0] if n == 1 else tuple(outs))
        if n == 1:
            assert got is outs[0]
        results.append([o.numpy().copy() for o in outs])
    for t, e in zip(*results):
        assert t.shape == e.shape and t.dtype == e.dtype
        if name not in ("qr", "svd", "eigh"):       # (vectors: signs are free)
            assert np.allclose(t, e, atol=1e-5)


@pytest.mark.parametrize("name", ["inv", "det", "cholesky", "vector_norm"])
def test_out_errors_match_torch(name):
    call, _ = _OUT_CALLS[name]
    for make_out in (lambda m: m.empty(0, dtype=m.float64),      # wrong dtype
                     lambda m: m.empty(0, requires_grad=True),    # autograd
                     lambda m: [[1.]]):                            # not a tensor
        got = []
        for m in (torch, ember):
            with pytest.raises(Exception) as err:
                call(m, m.tensor(_A), make_out(m))
            got.append((type(err.value).__name__, str(err.value)))
        assert got[1] == got[0]


_COMPOSITE_OUTS = ["matrix_norm", "matrix_norm_nuc", "norm", "norm_1", "norm_vector",
                   "matrix_rank", "vecdot", "multi_dot", "multi_dot_row", "matrix_power",
                   "matrix_power_0", "matrix_power_1", "matrix_power_neg"]


@pytest.mark.parametrize("name", _COMPOSITE_OUTS)
@pytest.mark.parametrize("out_dtype", ["float32", "float64", "int64", "int32", "bool"])
@pytest.mark.parametrize("requires_grad", [False, True], ids=["plain", "input_requires_grad"])
def test_out_of_composites_matches_torch(name, out_dtype, requires_grad):
    # Each has its own rule: exact dtype with its own message (norms, vecdot, multi_dot),
    # a safe cast (matrix_rank, matrix_power 0 / 1), autograd refused or carried by copy_.
    call, _ = _OUT_CALLS[name]
    got = []
    for m in (torch, ember):
        a = m.tensor(_A, requires_grad=requires_grad)
        out = m.zeros(2, dtype=getattr(m, out_dtype))       # (another shape: resized)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                call(m, a, out)
        except Exception as err:
            # (a refused out is left as it was; torch's matmul path resizes it first)
            if m is ember:
                assert out.shape == (2,) and not out.numpy().any()
            got.append((type(err).__name__, str(err)))
            continue
        got.append((out.shape, str(out.dtype).split(".")[1], np.round(out.detach().numpy(), 3),
                    out.requires_grad, type(out.grad_fn).__name__,
                    [str(w.message)[:40] for w in caught]))
    assert str(got[1]) == str(got[0])


@pytest.mark.parametrize("name", _COMPOSITE_OUTS)
def test_out_requiring_grad_is_refused_like_torch(name):
    call, _ = _OUT_CALLS[name]
    got = []
    for m in (torch, ember):
        out = m.empty(0, requires_grad=True)
        with pytest.raises(Exception) as err:
            call(m, m.tensor(_A), out)
        got.append((type(err.value).__name__, str(err.value)))
        if m is ember:      # (left as it was; torch resizes it before refusing)
            assert out.shape == (0,) and out.grad_fn is None
    assert got[1] == got[0]


def test_gradient_flows_through_the_out_of_norms_as_in_torch():
    grads = []
    for m in (torch, ember):
        a = m.tensor(_A.astype(np.float64), requires_grad=True)
        out = m.empty(0, dtype=m.float64)
        m.linalg.matrix_norm(a, "nuc", out=out)
        m.linalg.norm(a, 1, out=out.new_empty(0)).backward()
        out.backward()
        grads.append(a.grad.numpy())
    np.testing.assert_allclose(grads[1], grads[0], atol=1e-10)


def test_out_of_another_shape_is_resized_with_torch_warning():
    got = []
    for m in (torch, ember):
        out = m.zeros(2)
        with pytest.warns(UserWarning, match="An output with one or more elements was resized"):
            m.linalg.inv(m.tensor(_A), out=out)
        got.append(out.numpy().copy())
    assert got[0].shape == got[1].shape == (3, 3)
