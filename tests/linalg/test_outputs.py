"""The multi-output recording behind svd / eigh / qr / slogdet / lstsq: every output has a
grad_fn with torch's name, gradients from several outputs add up, unused outputs cost
nothing, and no gradient means no graph."""
import numpy as np

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
