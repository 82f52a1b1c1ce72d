"""The NumPy floors (benchmarks/floors.py) do the workloads' arithmetic: each gives
the numbers ember gives for the same work, so floor/torch is a fair bound."""
import numpy as np
import pytest

import ember
from benchmarks.floors import FLOORS, fwd_bwd_step, mlp_products
from benchmarks.workloads import WORKLOADS


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_every_floor_belongs_to_a_workload_and_runs(name):
    assert name in WORKLOADS
    FLOORS[name](name, True)()


@pytest.mark.parametrize("n", [3, 100])
def test_fwd_bwd_floor_gives_embers_value_and_gradient(n):
    y, grad = fwd_bwd_step(n)()
    x = ember.tensor(np.arange(n, dtype=np.float32), requires_grad=True)
    out = 2 * ember.dot(x, x)
    out.backward()
    np.testing.assert_allclose(y, out.item(), rtol=1e-6)
    np.testing.assert_allclose(grad, x.grad.numpy(), rtol=1e-6)


@pytest.mark.parametrize("small", [True, False])
def test_linreg_scratch_floor_trains_to_embers_parameters(small):
    w, b = FLOORS["linreg_scratch"]("linreg_scratch", small)()
    w_e, b_e = WORKLOADS["linreg_scratch"][0](ember, small)()
    np.testing.assert_allclose(w, w_e.detach().numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(b, b_e.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_mlp_floor_multiplies_what_embers_step_multiplies():
    # forward products equal ember's layer outputs; then one product per weight
    # gradient and one per hidden layer's input gradient, of the weights' shapes
    rng = np.random.default_rng(0)
    X = rng.standard_normal((8, 5)).astype(np.float32)
    W1, W2 = (rng.standard_normal(s).astype(np.float32) for s in ((6, 5), (3, 6)))
    h = ember.tensor(X) @ ember.tensor(W1).T
    out = h @ ember.tensor(W2).T
    products = mlp_products([X, h.numpy(), out.numpy()], [W1, W2])
    np.testing.assert_allclose(products[0], h.numpy(), rtol=1e-6)
    np.testing.assert_allclose(products[1], out.numpy(), rtol=1e-6)
    assert [p.shape for p in products[2:]] == [W1.shape, W2.shape, h.shape]
