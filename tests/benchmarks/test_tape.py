"""The bare tape (benchmarks/tape.py) runs the workloads' own code and computes
what ember computes, so tape/torch in the table times the same work."""
import numpy as np
import pytest

import ember
from benchmarks import tape
from benchmarks.workloads import WORKLOADS


def test_every_supported_workload_exists_and_runs_on_the_tape():
    for name in tape.SUPPORTED:
        WORKLOADS[name][0](tape, True)()


@pytest.mark.parametrize("n", [3, 100])
def test_fwd_bwd_on_the_tape_gives_embers_value_and_gradient(n):
    values = {}
    for fw in (tape, ember):
        x = fw.tensor(np.linspace(-2, 3, n, dtype=np.float32), requires_grad=True)
        y = 2 * fw.dot(x, x)
        y.backward()
        first = x.grad.numpy().copy()
        (2 * fw.dot(x, x)).backward()           # a second backward accumulates
        values[fw] = y.item(), first, x.grad.numpy()
    for got, want in zip(values[tape], values[ember]):
        np.testing.assert_allclose(got, want, rtol=1e-6)


@pytest.mark.parametrize("small", [True, False])
def test_linreg_scratch_on_the_tape_trains_to_embers_parameters(small):
    w, b = WORKLOADS["linreg_scratch"][0](tape, small)()
    w_e, b_e = WORKLOADS["linreg_scratch"][0](ember, small)()
    np.testing.assert_array_equal(w.numpy(), w_e.detach().numpy())
    np.testing.assert_array_equal(b.numpy(), b_e.detach().numpy())


def test_tape_gradients_of_broadcasting_and_indexing_match_embers():
    rng = np.random.default_rng(0)
    a_np = rng.standard_normal((4, 3)).astype(np.float32)
    b_np = rng.standard_normal((1, 3)).astype(np.float32)
    idx_np = np.array([0, 2, 2, 1])
    grads = {}
    for fw in (tape, ember):
        a, b = fw.tensor(a_np, requires_grad=True), fw.tensor(b_np, requires_grad=True)
        rows = a[fw.tensor(idx_np)]
        loss = ((rows * b - b + rows) ** 3 / 4).sum() + (rows * 2.0).mean()
        loss.backward()
        grads[fw] = loss.item(), a.grad.numpy(), b.grad.numpy()
    for got, want in zip(grads[tape], grads[ember]):
        np.testing.assert_allclose(got, want, rtol=1e-5)


def test_no_grad_records_nothing_on_the_tape():
    x = tape.tensor(np.ones(2, np.float32), requires_grad=True)
    with tape.no_grad():
        y = x * 2.0
    assert not y.requires_grad and y.backward_fn is None
