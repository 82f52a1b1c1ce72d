"""Custom ops with autograd.Function: ctx, saved tensors, non-tensor args, several
outputs, the newer setup_context style, and the errors, against torch."""
import numpy as np
import pytest
import torch

import ember
from helpers import assert_same

X = np.array([0.5, -1.5, 2.0])


def make_cube(m):
    class Cube(m.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.save_for_backward(x)
            ctx.k = k
            return x ** 3 * k

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 3 * x ** 2 * ctx.k, None
    return Cube


def test_function_with_a_non_tensor_argument():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        y = make_cube(m).apply(x, 2.0)
        name = type(y.grad_fn).__name__
        y.sum().backward()
        return y, x.grad, name, y.requires_grad
    e, t = run(ember), run(torch)
    assert e[2:] == t[2:] == ("CubeBackward", True)
    assert_same(list(e[:2]), list(t[:2]))


def test_function_is_twice_differentiable_when_backward_uses_tensor_ops():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        y = make_cube(m).apply(x, 1.0).sum()
        (g,) = m.autograd.grad(y, x, create_graph=True)
        (gg,) = m.autograd.grad(g.sum(), x)
        return g, gg
    assert_same(run(ember), run(torch))
    x = ember.tensor(X, dtype=ember.float64, requires_grad=True)
    cube = make_cube(ember)
    assert ember.autograd.gradcheck(lambda t: cube.apply(t, 2.0), (x,))
    assert ember.autograd.gradgradcheck(lambda t: cube.apply(t, 2.0), (x,))


def make_two_outputs(m):
    class ProdSum(m.autograd.Function):
        @staticmethod
        def forward(ctx, x, y, scale):
            ctx.save_for_backward(x, y)
            ctx.scale = scale
            return x * y * scale, x + y

        @staticmethod
        def backward(ctx, g_prod, g_sum):
            x, y = ctx.saved_tensors
            return g_prod * y * ctx.scale + g_sum, g_prod * x * ctx.scale + g_sum, None
    return ProdSum


@pytest.mark.parametrize("use", ["both", "first", "second"])
def test_function_with_two_outputs(use):
    def run(m):
        x = m.tensor(X, requires_grad=True)
        y = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        p, s = make_two_outputs(m).apply(x, y, 2.0)
        loss = {"both": (p * 2 + s * 3).sum(), "first": p.sum(), "second": s.sum()}[use]
        loss.backward()
        return p, s, x.grad, y.grad, p.grad_fn is s.grad_fn, p.output_nr, s.output_nr
    e, t = run(ember), run(torch)
    assert e[4:] == t[4:]
    assert_same(list(e[:4]), list(t[:4]))


def test_ctx_needs_input_grad_and_mark_non_differentiable():
    def run(m):
        class F(m.autograd.Function):
            @staticmethod
            def forward(ctx, x, y, flag):
                ctx.seen = ctx.needs_input_grad
                idx = x.argmax()
                big = x * 2
                ctx.mark_non_differentiable(idx)
                return big, idx

            @staticmethod
            def backward(ctx, g, g_idx):
                return g * 2, None, None
        x = m.tensor(X, requires_grad=True)
        y = m.tensor(X)
        big, idx = F.apply(x, y, True)
        big.sum().backward()
        return big.grad_fn.seen, idx.requires_grad, x.grad
    e, t = run(ember), run(torch)
    assert e[:2] == t[:2] == ((True, False, False), False)
    assert_same(e[2], t[2])


def test_setup_context_style():
    def run(m):
        class Scale(m.autograd.Function):
            @staticmethod
            def forward(x, k):
                return x * k

            @staticmethod
            def setup_context(ctx, inputs, output):
                ctx.k = inputs[1]

            @staticmethod
            def backward(ctx, g):
                return g * ctx.k, None
        x = m.tensor(X, requires_grad=True)
        Scale.apply(x, 3.0).sum().backward()
        return x.grad
    assert_same(run(ember), run(torch))


def test_function_returning_its_input_gets_a_new_tensor():
    def run(m):
        class Ident(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x

            @staticmethod
            def backward(ctx, g):
                return g * 2
        x = m.tensor(X, requires_grad=True)
        y = Ident.apply(x)
        y.sum().backward()
        return y is x, y.is_leaf, x.grad
    e, t = run(ember), run(torch)
    assert e[:2] == t[:2]
    assert_same(e[2], t[2])


def test_function_without_grad_needed_records_nothing():
    def run(m):
        cube = make_cube(m)
        a = cube.apply(m.tensor(X), 1.0)
        with m.no_grad():
            b = cube.apply(m.tensor(X, requires_grad=True), 1.0)
        return a.requires_grad, a.grad_fn is None, b.requires_grad, b.grad_fn is None
    assert run(ember) == run(torch)


@pytest.mark.parametrize("case", ["count", "shape", "freed"])
def test_function_errors_like_torch(case):
    def run(m):
        class F(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * 2

            @staticmethod
            def backward(ctx, g):
                (x,) = ctx.saved_tensors
                if case == "count":
                    return g, g
                if case == "shape":
                    return g.sum()
                return g * 2
        x = m.tensor(X, requires_grad=True)
        y = F.apply(x).sum()
        y.backward()
        if case == "freed":
            y.backward()
    msgs = []
    for m in (ember, torch):
        with pytest.raises(RuntimeError) as info:
            run(m)
        msgs.append(str(info.value))
    assert msgs[0] == msgs[1]


def test_save_for_backward_takes_tensors_only():
    for m in (ember, torch):
        class F(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x, 2.0)
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return g
        with pytest.raises(TypeError, match="save_for_backward can only save variables, but "
                                            "argument 1 is of type float"):
            F.apply(m.tensor(X, requires_grad=True))


def test_saved_tensor_modified_in_place_is_caught():
    class F(ember.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * x
    x = ember.tensor(X, requires_grad=True)
    y = F.apply(x)
    with ember.no_grad():
        x.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_missing_grads_are_materialized_as_zeros():
    seen = []

    class Two(ember.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, ga, gb):
            seen.append((ga.tolist(), gb.tolist()))
            return ga * 2 + gb * 3
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    a, _ = Two.apply(x)
    a.sum().backward()
    assert seen == [([1.0, 1.0], [0.0, 0.0])]
    assert x.grad.tolist() == [2.0, 2.0]


def test_once_differentiable_runs_backward_without_recording():
    class F(ember.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 2

        @staticmethod
        @ember.autograd.function.once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g
    x = ember.tensor(X, requires_grad=True)
    (g,) = ember.autograd.grad(F.apply(x).sum(), x, create_graph=True)
    assert not g.requires_grad
    assert np.allclose(g.numpy(), 2 * X)


def test_a_function_that_saves_its_output_holds_no_cycle_and_names_itself_in_errors():
    import gc
    import weakref

    def make(m):
        class Exp(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                y = x.exp()
                ctx.save_for_backward(y)
                return y

            @staticmethod
            def backward(ctx, g):
                (y,) = ctx.saved_tensors
                return g * y
        return Exp
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = make(ember).apply(x)
    node = weakref.ref(y.grad_fn)
    enabled = gc.isenabled()
    gc.disable()
    try:
        del y
        assert node() is None
    finally:
        if enabled:
            gc.enable()
    for m in (ember, torch):
        x = m.tensor([1.0, 2.0], dtype=m.float64, requires_grad=True)
        y = make(m).apply(x)
        y.mul_(2)
        with pytest.raises(RuntimeError, match="which is output 0 of Exp, is at version 1"):
            y.sum().backward()
    grads = []
    for m in (ember, torch):
        x = m.tensor([1.0, 2.0], dtype=m.float64, requires_grad=True)
        (g,) = m.autograd.grad(make(m).apply(x).sum(), x, create_graph=True)
        grads.append(m.autograd.grad(g.sum(), x)[0])
    assert_same(*grads)


@pytest.mark.parametrize("write", ["y.add_(1)", "y.zero_()", "y[0] = 2.0", "y[:1] = 2.0",
                                   "y[0, 1:] = 2.0", "y[..., 0] = 2.0", "y[:1].mul_(2)"])
@pytest.mark.parametrize("forward", ["x", "x[:2]", "x.t()"])
def test_writing_in_place_to_a_view_output_of_a_function_is_refused_as_in_torch(forward, write):
    # the write would bypass the Function's backward; torch forbids it (while recording)
    def run(m, grad_mode=True):
        class F(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return eval(forward, {"x": x})

            @staticmethod
            def backward(ctx, g):
                return None
        x = m.ones(3, 3, requires_grad=True) * 1
        y = F.apply(x)
        with m.set_grad_enabled(grad_mode):
            try:
                exec(write, {"y": y})
            except RuntimeError as e:
                return str(e)
        return "ok"
    assert run(ember) == run(torch)
    assert run(ember, grad_mode=False) == run(torch, grad_mode=False) == "ok"


def test_backward_returning_a_non_tensor_raises_torch_error():
    outcomes = []
    for m in (torch, ember):
        class Bad(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return "a"
        x = m.ones(3, requires_grad=True)
        with pytest.raises(Exception) as err:
            Bad.apply(x).sum().backward()
        outcomes.append((type(err.value).__name__, str(err.value)))
    assert outcomes[1] == outcomes[0]
