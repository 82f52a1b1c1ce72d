"""The NumPy floors (benchmarks/floors.py) do the workloads' arithmetic: each gives
the numbers ember gives for the same work, so floor/torch is a fair bound."""
import numpy as np
import pytest

import ember
from benchmarks.floors import FLOORS, fwd_bwd_step, mlp_large_step
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


def test_mlp_large_step_floor_takes_embers_sgd_step():
    ember.manual_seed(0)
    net = ember.nn.Sequential(ember.nn.Linear(32, 64), ember.nn.ReLU(), ember.nn.Linear(64, 64),
                              ember.nn.ReLU(), ember.nn.Linear(64, 10))
    params = [p.detach().numpy().copy() for p in net.parameters()]
    mlp_large_step("mlp_large_step", True, params)()
    rng = np.random.default_rng(0)           # the floor's data, drawn the same way
    X = ember.tensor(rng.standard_normal((8, 32)).astype(np.float32))
    Y = ember.tensor(np.eye(10, dtype=np.float32)[rng.integers(0, 10, 8)])
    opt = ember.optim.SGD(net.parameters(), lr=0.01)
    ember.nn.MSELoss()(net(X), Y).backward()
    opt.step()
    for p, q in zip(net.parameters(), params):
        np.testing.assert_allclose(q, p.detach().numpy(), rtol=1e-5, atol=1e-6)
