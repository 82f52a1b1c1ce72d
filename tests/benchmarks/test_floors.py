"""The NumPy floors (benchmarks/floors.py) do the workloads' arithmetic: each gives
the numbers ember gives for the same work, so floor/torch is a fair bound."""
import numpy as np
import pytest

import ember
from benchmarks.floors import FLOORS, fwd_bwd_step, mlp_step
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


def test_mlp_floor_step_gives_embers_loss_and_updated_parameters():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((8, 5)).astype(np.float32)
    Y = np.eye(3, dtype=np.float32)[rng.integers(0, 3, 8)]
    ember.manual_seed(0)
    net = ember.nn.Sequential(ember.nn.Linear(5, 6), ember.nn.ReLU(), ember.nn.Linear(6, 3))
    layers = [net[0], net[2]]
    weights = [m.weight.detach().numpy().copy() for m in layers]
    biases = [m.bias.detach().numpy().copy() for m in layers]
    loss = mlp_step(X, Y, weights, biases, np.float32(0.1))

    opt = ember.optim.SGD(net.parameters(), lr=0.1)
    ember_loss = ember.nn.MSELoss()(net(ember.tensor(X)), ember.tensor(Y))
    ember_loss.backward()
    opt.step()
    np.testing.assert_allclose(loss, ember_loss.item(), rtol=1e-6)
    for m, w, b in zip(layers, weights, biases):
        np.testing.assert_allclose(w, m.weight.detach().numpy(), rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(b, m.bias.detach().numpy(), rtol=1e-5, atol=1e-7)
