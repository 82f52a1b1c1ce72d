"""gradcheck / gradgradcheck: pass for right gradients, FAIL for wrong ones."""
import numpy as np
import pytest
import torch

import ember
from ember.autograd import gradcheck, gradgradcheck, GradcheckError

rng = np.random.default_rng(3)


def leaf(shape):
    return ember.tensor(rng.standard_normal(shape), requires_grad=True)


def cube(first_order_error=0.0, second_order_error=0.0, detach=False):
    """x**3 with a backward that may be wrong: off by a factor in value, or with a
    second-order term that is wrong (the value is right, its derivative is not)."""
    class Cube(ember.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            x2 = x.detach() ** 2 if detach else x ** 2
            grad = g * 3 * x2 * (1 + first_order_error)
            # zero in value, but its derivative w.r.t. x is second_order_error * g
            return grad + second_order_error * g * (x - x.detach())
    return Cube


def test_gradcheck_passes_for_correct_ops():
    x, w = leaf((3,)), leaf((2, 3))
    assert gradcheck(lambda a, b: (b @ a).sin() * a.sum(), (x, w))
    assert gradgradcheck(lambda a, b: (b @ a).sin() * a.sum(), (x, w))
    assert gradcheck(lambda a: (a.exp(), a * 2), (x,))


def test_gradcheck_fails_for_a_wrong_backward():
    x = leaf((4,))
    assert gradcheck(cube().apply, (x,)) and gradgradcheck(cube().apply, (x,))
    bad = cube(first_order_error=0.01)
    assert gradcheck(bad.apply, (x,), raise_exception=False) is False
    with pytest.raises(GradcheckError, match="Jacobian mismatch for output 0 with respect to "
                                             "input 0"):
        gradcheck(bad.apply, (x,))
    assert issubclass(GradcheckError, RuntimeError)


@pytest.mark.parametrize("bad", [cube(second_order_error=0.01), cube(detach=True)])
def test_gradgradcheck_fails_for_a_wrong_double_backward(bad):
    x = leaf((3,))
    assert gradcheck(bad.apply, (x,))               # first order is right
    assert gradgradcheck(bad.apply, (x,), raise_exception=False) is False
    with pytest.raises(GradcheckError):
        gradgradcheck(bad.apply, (x,))


def test_gradcheck_fails_when_the_output_is_cut_from_the_graph():
    x = leaf((3,))
    assert gradcheck(lambda a: a.detach() * 2, (x,), raise_exception=False) is False
    tx = torch.tensor(x.detach().numpy(), requires_grad=True)
    assert torch.autograd.gradcheck(lambda a: a.detach() * 2, (tx,),
                                    raise_exception=False) is False


def test_gradcheck_message_like_torch():
    def msg(m, x):
        class Bad(m.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                ctx.save_for_backward(t)
                return t ** 2

            @staticmethod
            def backward(ctx, g):
                (t,) = ctx.saved_tensors
                return g * 3 * t
        with pytest.raises(RuntimeError) as info:
            m.autograd.gradcheck(Bad.apply, (x,))
        return str(info.value)
    e = msg(ember, ember.tensor([1.0, 2.0], dtype=ember.float64, requires_grad=True))
    t = msg(torch, torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True))
    assert e.split() == t.split()


def test_gradcheck_warns_for_float32_and_needs_an_input_requiring_grad():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning, match="not a double precision"):
        assert gradcheck(lambda a: a * 2, (x,), eps=1e-3, atol=1e-2, rtol=1e-2)
    with pytest.raises(ValueError, match="at least one input tensor to require gradient"):
        gradcheck(lambda a: a * 2, (ember.ones(2, dtype=ember.float64),))


def test_gradcheck_restores_inputs_and_handles_non_contiguous_ones():
    base = ember.tensor(rng.standard_normal((3, 4)), requires_grad=False)
    x = base.t().detach().requires_grad_()
    before = x.detach().clone()
    assert gradcheck(lambda a: (a * a).sum(0), (x,))
    assert np.array_equal(x.detach().numpy(), before.numpy())
