"""Tensor hooks, retain_grad, post-accumulate hooks and Node hooks, against torch."""
import numpy as np
import pytest
import torch

import ember
from helpers import assert_same

X = np.array([1.0, -2.0, 3.0], dtype=np.float32)


def test_leaf_hook_replaces_the_gradient_and_can_be_removed():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        seen = []
        h = x.register_hook(lambda g: (seen.append(g.clone()), g * 10)[1])
        (x * x).sum().backward()
        first = x.grad.clone()
        h.remove()
        x.grad = None
        (x * x).sum().backward()
        return first, x.grad, seen[0], len(seen)
    e, t = run(ember), run(torch)
    assert_same(list(e[:3]), list(t[:3]))
    assert e[3] == t[3] == 1


def test_non_leaf_hooks_run_in_order_and_chain():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        y = x * 3
        log = []
        y.register_hook(lambda g: log.append(("a", g.clone())) or g + 1)
        y.register_hook(lambda g: log.append(("b", g.clone())) or g * 2)
        (y * y).sum().backward()
        return x.grad, [name for name, _ in log], [g for _, g in log]
    e, t = run(ember), run(torch)
    assert e[1] == t[1]
    assert_same([e[0]] + e[2], [t[0]] + t[2])


def test_hook_returning_none_keeps_the_gradient():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        x.register_hook(lambda g: None)
        (x * 2).sum().backward()
        return x.grad
    assert_same(run(ember), run(torch))


def test_hook_on_tensor_not_requiring_grad_raises():
    for m in (ember, torch):
        with pytest.raises(RuntimeError, match="cannot register a hook on a tensor that doesn't "
                                               "require gradient"):
            m.ones(2).register_hook(lambda g: g)


def test_retain_grad_runs_after_hooks_whatever_the_order():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        y = x * 3
        y.retain_grad()
        y.register_hook(lambda g: g * 2)
        z = y * y
        z.retain_grad()
        z.sum().backward()
        return x.grad, y.grad, z.grad, y.retains_grad, x.retains_grad
    e, t = run(ember), run(torch)
    assert e[3:] == t[3:]
    assert_same(list(e[:3]), list(t[:3]))


def test_retain_grad_accumulates_and_is_a_no_op_on_leaves():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        x.retain_grad()
        y = x.exp()
        y.retain_grad()
        y.sum().backward(retain_graph=True)
        (y * 2).sum().backward()
        return x.grad, y.grad
    e, t = run(ember), run(torch)
    assert_same(list(e), list(t))
    for m in (ember, torch):
        with pytest.raises(RuntimeError, match="can't retain_grad on Tensor that has "
                                               "requires_grad=False"):
            m.ones(2).retain_grad()


def test_non_leaf_grad_is_none_and_warns_like_torch():
    for m in (ember, torch):
        y = m.ones(2, requires_grad=True) * 2
        y.sum().backward()
        with pytest.warns(UserWarning, match="The .grad attribute of a Tensor that is not a leaf"):
            assert y.grad is None


def test_hook_on_the_root_sees_the_seed():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        y = (x * x).sum()
        seen = []
        y.register_hook(lambda g: seen.append(g.clone()))
        y.backward()
        return seen[0], x.grad
    e, t = run(ember), run(torch)
    assert_same(list(e), list(t))


def test_hooks_see_gradients_under_autograd_grad_too():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        x.register_hook(lambda g: g * 0.5)
        y = x.tanh()
        y.register_hook(lambda g: g + 1)
        return m.autograd.grad(y.sum(), x)
    assert_same(run(ember), run(torch))


def test_post_accumulate_grad_hook():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        seen = []
        h = x.register_post_accumulate_grad_hook(lambda p: seen.append(p.grad.clone()))
        (x * x).sum().backward()
        (x * 2).sum().backward()
        h.remove()
        (x * 2).sum().backward()
        return seen
    assert_same(run(ember), run(torch))
    for m in (ember, torch):
        with pytest.raises(RuntimeError, match="post accumulate grad hooks cannot be registered "
                                               "on non-leaf tensors"):
            (m.ones(2, requires_grad=True) * 2).register_post_accumulate_grad_hook(print)


def test_node_pre_and_post_hooks():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        y = x.exp()
        log = []
        y.grad_fn.register_prehook(lambda gout: log.append(("pre", gout[0].clone())))
        y.grad_fn.register_hook(lambda gin, gout: log.append(("post", gin[0].clone())))
        (y * 2).sum().backward()
        return [k for k, _ in log], [v for _, v in log]
    e, t = run(ember), run(torch)
    assert e[0] == t[0]
    assert_same(e[1], t[1])
