"""backward / autograd.grad against torch: seeds, accumulation, retain_graph,
create_graph, inputs=, leaves and non-leaves, and the errors torch raises."""
import warnings

import numpy as np
import pytest
import torch

import ember
from helpers import assert_same
from helpers import outcome_in as outcome


def check_like_torch(fn, rtol=1e-5, atol=1e-6):
    """fn(module) gives the same value, or raises the same exception and message."""
    e, t = outcome(ember, fn), outcome(torch, fn)
    if t[0] == "error":
        assert e[0] == "error", f"torch raised {t[1]}: {t[2]}, ember returned {e[1]!r}"
        assert e[1:] == t[1:]
    else:
        assert e[0] == "ok", f"ember raised {e[1]}: {e[2]}"
        assert_same(e[1], t[1], rtol=rtol, atol=atol)


rng = np.random.default_rng(0)
X = rng.standard_normal(4)
M = rng.standard_normal((3, 4))


def test_leaf_and_non_leaf_facts():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        c = m.tensor(X)
        y = x * 2
        return (x.is_leaf, c.is_leaf, y.is_leaf, y.requires_grad, c.requires_grad,
                x.grad is None, y.grad_fn.name(), type(y.grad_fn).__name__,
                x.grad_fn is None, (c * 2).grad_fn is None)
    assert run(ember) == run(torch)


def test_scalar_backward_and_accumulation_across_calls():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        (x * x).sum().backward()
        first = x.grad.clone()
        (x ** 3).sum().backward()
        return first, x.grad
    check_like_torch(run)


def test_grad_zero_between_calls():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        x.exp().sum().backward()
        x.grad.zero_()
        (x * 3).sum().backward()
        return x.grad
    check_like_torch(run)


@pytest.mark.parametrize("shape", [(4,), (3, 4), (2, 1, 3)])
def test_non_scalar_backward_takes_a_gradient(shape):
    g = rng.standard_normal(shape)

    def run(m):
        x = m.tensor(np.linspace(-1, 1, int(np.prod(shape))).reshape(shape), requires_grad=True)
        y = (x * 3).sin()
        y.backward(m.tensor(g))
        return x.grad
    check_like_torch(run)


def test_non_scalar_backward_without_gradient_raises_and_leaves_grad_alone():
    for m in (ember, torch):
        x = m.tensor(X, requires_grad=True)
        with pytest.raises(RuntimeError, match="^grad can be implicitly created only for scalar "
                                               "outputs$"):
            (x * 2).backward()
        assert x.grad is None
    check_like_torch(lambda m: m.autograd.grad(m.tensor(X, requires_grad=True) * 2,
                                               m.tensor(X, requires_grad=True)))


def test_one_element_non_scalar_output_gets_implicit_gradient():
    check_like_torch(lambda m: (lambda x: ((x * 5).reshape(1, 1).backward(), x.grad)[1])(
        m.tensor([2.0], requires_grad=True)))


@pytest.mark.parametrize("case", ["no_grad_output", "wrong_shape", "float_gradient",
                                  "int_gradient", "double_gradient", "empty_inputs",
                                  "unused", "input_without_grad", "second_not_requiring"])
def test_seed_and_input_errors_like_torch(case):
    def run(m):
        x = m.tensor(X, requires_grad=True)
        y = (x * 2).sum()
        if case == "no_grad_output":
            return m.ones(2).sum().backward()
        if case == "wrong_shape":
            return m.autograd.grad(x * 2, x, grad_outputs=m.ones(3))
        if case == "float_gradient":
            return m.autograd.grad(y, x, grad_outputs=2.0)
        if case == "int_gradient":
            return m.autograd.grad(y, x, grad_outputs=m.tensor(3))
        if case == "double_gradient":
            return m.autograd.grad(y, x, grad_outputs=m.tensor(3.0, dtype=m.float64))
        if case == "empty_inputs":
            return m.autograd.grad(y, [])
        if case == "unused":
            return m.autograd.grad(y, [x, m.ones(2, requires_grad=True)])
        if case == "input_without_grad":
            return m.autograd.grad(y, [x, m.ones(2)])
        return m.autograd.grad([y, m.ones(1)], [x])
    check_like_torch(run)


def test_backward_twice_through_freed_graph_raises_torchs_error():
    for m in (ember, torch):
        x = m.tensor(X, requires_grad=True)
        y = x.exp().sum()
        y.backward()
        grad = x.grad.clone()
        with pytest.raises(RuntimeError, match="Trying to backward through the graph a second "
                                               "time"):
            y.backward()
        assert np.allclose(x.grad.numpy(), grad.numpy())   # unchanged by the failed call


def test_nodes_that_saved_nothing_may_run_twice_like_torch():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        y = (x + 2).sum()
        y.backward()
        y.backward()
        return x.grad
    check_like_torch(run)


def test_retain_graph_allows_second_backward():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        y = (x.exp() * x).sum()
        y.backward(retain_graph=True)
        y.backward()
        return x.grad
    check_like_torch(run)


def test_create_graph_third_derivative_of_cube():
    def run(m):
        x = m.tensor([0.5, -1.5, 2.0], dtype=m.float64, requires_grad=True)
        y = (x ** 3).sum()
        (g1,) = m.autograd.grad(y, x, create_graph=True)
        (g2,) = m.autograd.grad(g1.sum(), x, create_graph=True)
        (g3,) = m.autograd.grad(g2.sum(), x)
        return g1, g2, g3, g1.requires_grad, g3.requires_grad
    e, t = run(ember), run(torch)
    assert_same(list(e[:3]), list(t[:3]))
    assert e[3:] == t[3:]


def test_hessian_vector_product_matches_torch():
    A = rng.standard_normal((4, 4))
    v = rng.standard_normal(4)

    def run(m):
        x = m.tensor(X, requires_grad=True)
        a = m.tensor(A)
        f = (x @ a @ x).sin() + (x ** 4).sum()
        (g,) = m.autograd.grad(f, x, create_graph=True)
        (hv,) = m.autograd.grad(g, x, grad_outputs=m.tensor(v))
        return g, hv
    check_like_torch(run, rtol=1e-6)


def test_backward_with_create_graph_fills_differentiable_grad():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        (x ** 3).sum().backward(create_graph=True)
        g = x.grad
        facts = (g.requires_grad, g.is_leaf)
        x.grad = None
        g.sum().backward()
        return facts, x.grad
    with pytest.warns(UserWarning):
        t = run(torch)
    e = run(ember)
    assert e[0] == t[0]
    assert_same(e[1], t[1])


def test_grad_multiple_inputs_outputs_grad_outputs_and_allow_unused():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        w = m.tensor(M, requires_grad=True)
        unused = m.tensor(2.0, requires_grad=True)
        y1 = w @ x
        y2 = (x * x).sum()
        go = m.tensor([1.0, -2.0, 0.5])
        gx, gw, gu = m.autograd.grad([y1, y2], [x, w, unused], grad_outputs=[go, None],
                                     allow_unused=True)
        return gx, gw, gu is None, x.grad is None, w.grad is None
    e, t = run(ember), run(torch)
    assert_same(list(e[:2]), list(t[:2]))
    assert e[2:] == t[2:] == (True, True, True)


def test_materialize_grads():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        u = m.ones(2, requires_grad=True)
        return m.autograd.grad((x * 2).sum(), [x, u], materialize_grads=True)
    check_like_torch(run)
    for m in (ember, torch):
        x = m.tensor(X, requires_grad=True)
        with pytest.raises(ValueError, match="Expected allow_unused to be True"):
            m.autograd.grad((x * 2).sum(), x, allow_unused=False, materialize_grads=True)


def test_grad_of_a_non_leaf_input():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        h = x.exp()
        y = (h * h).sum()
        (gh,) = m.autograd.grad(y, h, retain_graph=True)
        (gx,) = m.autograd.grad(y, x)
        return gh, gx, x.grad is None
    e, t = run(ember), run(torch)
    assert_same(list(e[:2]), list(t[:2]))
    assert e[2] and t[2]


def test_backward_inputs_accumulates_only_into_those():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        w = m.tensor(M, requires_grad=True)
        h = w @ x
        h.retain_grad()
        y = (h.tanh() * 3).sum()
        y.backward(inputs=[x], retain_graph=True)
        first = (x.grad.clone(), w.grad is None)
        y.backward(inputs=h)
        return first[0], first[1], h.grad, x.grad
    e, t = run(ember), run(torch)
    assert e[1] == t[1] is True
    assert_same([e[0], e[2], e[3]], [t[0], t[2], t[3]])
    check_like_torch(lambda m: (m.tensor(X, requires_grad=True) * 2).sum().backward(inputs=[]))


def test_grad_does_not_touch_dot_grad_or_run_unrelated_nodes():
    ran = []

    class Spy(ember.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            return t * 1

        @staticmethod
        def backward(ctx, g):
            ran.append(True)
            return g

    x = ember.tensor(X, requires_grad=True)
    w = ember.tensor(X, requires_grad=True)
    y = (x * 2).sum() + Spy.apply(w).sum()
    (gx,) = ember.autograd.grad(y, x)
    assert ran == [] and x.grad is None and w.grad is None
    assert np.allclose(gx.numpy(), 2.0)


def test_diamond_and_leaf_used_several_times():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        a = x.sin()
        b = a * x
        c = a.exp() + b * a + x
        (c * c).sum().backward()
        return x.grad
    check_like_torch(run)


def test_gradients_flow_through_dtype_casts():
    def run(m):
        x = m.tensor(X.astype(np.float32), requires_grad=True)
        y = x.double()
        z = (y * y).sum() + x.to(m.float64).exp().sum() + x.half().float().sum()
        z.backward()
        return x.grad, y.dtype, y.grad_fn.name(), z.dtype
    e, t = run(ember), run(torch)
    assert_same(e[0], t[0])
    assert (str(e[1]), e[2], str(e[3])) == (str(t[1]), t[2], str(t[3]))


def test_grad_of_float64_leaf_through_float32_ops_keeps_leaf_dtype():
    def run(m):
        x = m.tensor(X, dtype=m.float64, requires_grad=True)
        (x.float() * 2).sum().backward()
        return x.grad
    check_like_torch(run)


def test_deep_chain_needs_no_recursion():
    x = ember.tensor(1.0, dtype=ember.float64, requires_grad=True)
    y = x
    for _ in range(3000):
        y = y * 1.0001
    (g,) = ember.autograd.grad(y, x, retain_graph=True)
    y.backward()
    assert abs(x.grad.item() - 1.0001 ** 3000) < 1e-9
    assert abs(g.item() - 1.0001 ** 3000) < 1e-9


def test_next_functions_and_accumulate_grad_like_torch():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        y = x * m.tensor(X)
        nf = y.grad_fn.next_functions
        return (type(nf[0][0]).__name__, nf[0][1], nf[1][0] is None,
                nf[0][0].variable is x)
    assert run(ember) == run(torch)


def _outcome(fn):
    """(exception type, message) or the warnings' (category, message), for torch and ember."""
    got = []
    for m in (torch, ember):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                fn(m)
            except Exception as e:      # noqa: BLE001 (compared below)
                got.append((type(e).__name__, str(e)))
                continue
        got.append([(w.category, str(w.message)) for w in caught])
    return got


@pytest.mark.parametrize("fn", [
    # neither side requires grad: torch speaks of the outputs first
    lambda m: m.autograd.grad((m.ones(3) * 2).sum(), m.ones(3)),
    lambda m: m.autograd.grad((m.ones(3, requires_grad=True) * 2).sum(), m.ones(3)),
    lambda m: m.autograd.grad(m.ones(3).sum(), m.ones(3, requires_grad=True)),
    # only_inputs=False: torch's FutureWarning
    lambda m: (lambda x: m.autograd.grad((x * 2).sum(), x, only_inputs=False))(
        m.ones(3, requires_grad=True)),
])
def test_grad_argument_checks_match_torch(fn):
    t, e = _outcome(fn)
    assert e == t
