"""The backward engine (ember/autograd/engine.py): its plain path (hook-free graphs,
the usual loss.backward()) and its general path agree, and both agree with torch."""
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import ember
from ember.autograd import engine


def _graph(m, seed):
    """A small graph with fan-out, fan-in, broadcasting, a leaf used three times, a
    non-leaf used twice and a leaf that gets no gradient; returns (loss, leaves)."""
    rng = np.random.default_rng(seed)
    w = m.tensor(rng.standard_normal((3, 2)).astype(np.float32), requires_grad=True)
    b = m.tensor(rng.standard_normal(2).astype(np.float32), requires_grad=True)
    unused = m.tensor(rng.standard_normal(2).astype(np.float32), requires_grad=True)
    x = m.tensor(rng.standard_normal((4, 3)).astype(np.float32))
    h = (x @ w + b).tanh()
    z = h * h.sigmoid() + (h - b) ** 2 / 3 + w.sum() * b
    loss = (z.exp().mean() + (unused * 0).sum().detach()) * 2
    return loss, (w, b, unused)


def _assert_same_grads(leaves, others, **tolerance):
    """The leaves got gradients where the others did, equal bit for bit (or within
    ``tolerance``: assert_allclose's rtol/atol)."""
    for a, b in zip(leaves, others, strict=True):
        assert (a.grad is None) == (b.grad is None)
        if a.grad is not None:
            if tolerance:
                np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), **tolerance)
            else:
                assert np.array_equal(a.grad.numpy(), b.grad.numpy())


def _force_general_path(loss):
    # any hook sends the whole backward through the general path
    loss.grad_fn.register_prehook(lambda grads: None)


@pytest.mark.parametrize("seed", range(5))
def test_plain_and_general_paths_give_the_same_bits(seed):
    loss_a, leaves_a = _graph(ember, seed)
    loss_b, leaves_b = _graph(ember, seed)
    _force_general_path(loss_b)
    loss_a.backward()
    loss_b.backward()
    _assert_same_grads(leaves_a, leaves_b)


@pytest.mark.parametrize("seed", range(5))
def test_plain_path_gradients_match_torch(seed):
    (le, e), (lt, t) = _graph(ember, seed), _graph(torch, seed)
    le.backward()
    lt.backward()
    _assert_same_grads(e, t, rtol=1e-5, atol=1e-6)


def test_a_plain_graph_takes_the_plain_path_and_a_hooked_one_does_not(monkeypatch):
    calls = []
    real_general = engine._run_general
    monkeypatch.setattr(engine, "_run_general",
                        lambda *a, **k: calls.append("general") or real_general(*a, **k))
    loss, _ = _graph(ember, 0)
    loss.backward()
    assert calls == []
    loss, (w, _, _) = _graph(ember, 0)
    w.register_hook(lambda g: None)           # a leaf hook, deep in the graph
    loss.backward()
    assert calls == ["general"]


@given(st.integers(1, 6), st.booleans())
@settings(max_examples=25)
def test_chains_and_accumulation_match_torch(depth, reuse):
    def run(m):
        x = m.tensor([0.5, -1.0, 2.0], dtype=m.float64, requires_grad=True)
        y = x
        for k in range(depth):
            y = (y * (k + 1.5)).sin() + (x if reuse else 0)
        y.sum().backward()
        return x.grad.numpy()
    np.testing.assert_allclose(run(ember), run(torch), rtol=1e-12)


def test_gradients_accumulate_into_leaves_across_backward_calls_as_in_torch():
    def run(m):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        for _ in range(3):
            (x * x).sum().backward()
        first = x.grad
        (x * 3).sum().backward()
        return x.grad.numpy(), x.grad is first      # accumulated in place
    # (x.grad._version is not compared: torch's depends on how its kernels made the
    # first gradient, 0 or 1)
    e, t = run(ember), run(torch)
    np.testing.assert_array_equal(e[0], t[0])
    assert e[1:] == t[1:]


def test_inf_minus_inf_in_backward_is_a_silent_nan_as_in_torch():
    def run(m):
        x = m.tensor([1.0], requires_grad=True)
        a = m.tensor([float("inf")])
        ((x * a) + (x * -a)).sum().backward()     # the gradients inf and -inf meet at x
        return x.grad.numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e = run(ember)
    np.testing.assert_array_equal(e, run(torch))


@pytest.mark.parametrize("make", ["m.randn(3, 2).t()", "m.randn(2, 3, 4).permute(2, 0, 1)",
                                  "m.randn(3, 4)[:, ::2]", "m.randn(2, 3)",
                                  "m.randn(3, 1).expand(3, 4)", "m.randn(4, 6)[:, ::2].t()",
                                  "m.randn(1, 3).t()", "m.randn(3, 1, 4).permute(1, 0, 2)",
                                  "m.randn(2, 1, 3).expand(2, 4, 3).permute(2, 1, 0)"])
def test_a_leafs_gradient_takes_the_leafs_layout_as_in_torch(make):
    def run(m):
        m.manual_seed(0)
        w = eval(make, {"m": m}).detach().requires_grad_()
        (w * 2).sum().backward()
        first = w.grad.stride()
        (w.exp()).sum().backward()          # accumulated in place: the layout stays
        return first, w.grad.stride()
    assert run(ember) == run(torch)


def _random_dag(m, ops, dtype):
    """A graph grown from three leaves: each op combines two earlier values (picked by
    index, so values fan out and paths meet again); the loss sums the last three."""
    values = [m.tensor([0.3, -1.2, 2.0], dtype=dtype, requires_grad=True),
              m.tensor([1.1, 0.4, -0.7], dtype=dtype, requires_grad=True),
              m.tensor(0.9, dtype=dtype, requires_grad=True)]
    leaves = list(values)
    for kind, i, j in ops:
        a, b = values[i % len(values)], values[j % len(values)]
        values.append({0: lambda: a + b, 1: lambda: a * b, 2: lambda: a - b.sin(),
                       3: lambda: (a * 0.5).tanh() * b}[kind]())
    loss = sum(v.sum() for v in values[-3:])
    return loss, leaves


_DAG_OPS = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 30), st.integers(0, 30)),
                    min_size=1, max_size=12)


@given(_DAG_OPS)
@settings(max_examples=40, deadline=None)
def test_random_graphs_plain_path_as_general_path_and_torch(ops):
    # The plain path runs nodes newest first from one sort; the general path keeps a
    # ready queue: the same order, so the same sums in the same order, bit for bit.
    loss_a, leaves_a = _random_dag(ember, ops, ember.float32)
    loss_b, leaves_b = _random_dag(ember, ops, ember.float32)
    _force_general_path(loss_b)
    loss_a.backward()
    loss_b.backward()
    _assert_same_grads(leaves_a, leaves_b)
    loss_e, leaves_e = _random_dag(ember, ops, ember.float64)
    loss_t, leaves_t = _random_dag(torch, ops, torch.float64)
    loss_e.backward()
    loss_t.backward()
    _assert_same_grads(leaves_e, leaves_t, rtol=1e-12, atol=1e-12)


def test_a_leaf_gets_its_gradient_as_soon_as_it_is_complete_as_in_torch():
    # torch runs a leaf's AccumulateGrad as soon as its gradient is complete: when a
    # later node fails, the leaves finished before it keep their .grad.
    def run(m):
        x = m.tensor([0.5, 1.0], requires_grad=True)
        w = m.tensor([2.0, 3.0], requires_grad=True)
        e = x.exp()
        loss = e.sum() + (w * 2).sum()
        e.add_(1)                   # ExpBackward's saved output changed: it will fail
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            loss.backward()
        return x.grad, w.grad.numpy()
    (xe, we), (xt, wt) = run(ember), run(torch)
    assert xe is None and xt is None
    np.testing.assert_array_equal(we, wt)


def _count_copies(monkeypatch):
    copies = []
    real = engine._fresh_copy
    monkeypatch.setattr(engine, "_fresh_copy", lambda g, leaf: copies.append(1) or real(g, leaf))
    return copies


def test_a_leaf_takes_a_fresh_gradient_nobody_else_holds_without_copying(monkeypatch):
    # As torch: a new .grad is the engine's own gradient when nothing else refers to
    # it (the course's x.grad = None; y.backward() loop then copies nothing).
    copies = _count_copies(monkeypatch)
    x = ember.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (2 * ember.dot(x, x)).backward()
    w = ember.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    (ember.ones(3, 2) @ w).pow(2).sum().backward()
    layer = ember.nn.Linear(2, 3)       # its weight's gradient arrives transposed back
    layer(ember.ones(4, 2)).sum().backward()
    assert copies == []
    np.testing.assert_array_equal(x.grad.numpy(), [4.0, 8.0, 12.0])
    np.testing.assert_array_equal(w.grad.numpy(), [[24.0, 36.0], [24.0, 36.0]])


@pytest.mark.parametrize("case", ["seed passed through", "saved tensor returned",
                                  "one gradient, two leaves"])
def test_a_gradient_someone_else_holds_is_copied_into_grad_as_in_torch(case):
    def run(m):
        x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = m.tensor([4.0, 5.0, 6.0], requires_grad=True)
        held = m.tensor([0.5, 0.25, 2.0])
        if case == "seed passed through":
            (x + 0).backward(held)                  # AddBackward hands on the user's tensor
        elif case == "saved tensor returned":
            _give_back(m, lambda: held).apply(x).sum().backward()   # a tensor still held
        else:
            ((x + y) * 2).sum().backward()          # add's backward: one tensor, two leaves
            y.grad.mul_(10)
            held.copy_(y.grad)
        held.add_(100)
        return x.grad.numpy().copy(), y.grad
    (xe, ye), (xt, yt) = run(ember), run(torch)
    np.testing.assert_array_equal(xe, xt)           # x.grad never changed with `held`
    assert (ye is None) == (yt is None)


def _give_back(m, make):
    """A custom op whose backward returns ``make()``."""
    class GiveBack(m.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a * 1

        @staticmethod
        def backward(ctx, grad):
            return make()
    return GiveBack


def test_a_view_of_memory_someone_else_holds_is_copied_into_grad():
    # The backward hands back a tensor over a view of an array the caller keeps.
    # torch takes it as x.grad (it counts the references to the tensor, not to its
    # memory), so x.grad would change with `held`; ember copies it: x.grad keeps the
    # values backward computed, whatever happens to `held` afterwards.
    held = np.array([[0.5, 0.25], [2.0, 4.0]], np.float32)
    x = ember.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    _give_back(ember, lambda: ember.from_numpy(held.T.T)).apply(x).sum().backward()
    held += 100
    np.testing.assert_array_equal(x.grad.numpy(), [[0.5, 0.25], [2.0, 4.0]])
