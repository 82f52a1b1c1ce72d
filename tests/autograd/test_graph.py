"""Nodes of the backward graph (ember/autograd/graph.py): what they hold on to."""
import gc
import weakref

import numpy as np
import pytest
import torch

import ember
from helpers import assert_same


def _ops_that_save_their_output(m, x):
    return {
        "exp": lambda: x.exp(), "pow": lambda: x ** 2, "sigmoid": lambda: x.sigmoid(),
        "tanh": lambda: x.tanh(), "sqrt": lambda: x.abs().sqrt(),
        "softmax": lambda: x.softmax(0), "log_softmax": lambda: x.log_softmax(0),
        "cumprod": lambda: x.cumprod(0), "prod": lambda: x.prod(),
        "max": lambda: x.max(), "norm": lambda: x.norm(),
    }


@pytest.mark.parametrize("op", sorted(_ops_that_save_their_output(None, None)))
def test_a_graph_that_is_never_backpropagated_is_freed_without_the_collector(op):
    # A node that saves its own output must not hold the output tensor (whose
    # grad_fn is the node): the cycle would keep the whole graph, and its arrays,
    # alive until Python's cycle collector happens to run.
    x = ember.tensor([0.5, 1.5, 2.5], requires_grad=True)
    y = _ops_that_save_their_output(ember, x)[op]()
    ref_node, ref_out = weakref.ref(y.grad_fn), weakref.ref(y)
    enabled = gc.isenabled()
    gc.disable()
    try:
        del y
        assert ref_out() is None and ref_node() is None
    finally:
        if enabled:
            gc.enable()


@pytest.mark.parametrize("op", sorted(_ops_that_save_their_output(None, None)))
def test_saved_outputs_still_give_first_and_second_order_gradients(op):
    def run(m):
        x = m.tensor([0.5, 1.5, 2.5], dtype=m.float64, requires_grad=True)
        y = _ops_that_save_their_output(m, x)[op]()
        (g,) = m.autograd.grad(y.sum(), x, create_graph=True)
        if not g.requires_grad:         # max's gradient is a constant mask, in torch too
            return g, None
        (gg,) = m.autograd.grad(g.sum(), x)
        return g, gg
    for a, b in zip(run(ember), run(torch)):
        assert (a is None) == (b is None)
        if a is not None:
            assert_same(a, b, rtol=1e-10, atol=1e-12)


def test_an_in_place_write_to_a_saved_output_is_caught_and_names_the_op():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.mul_(2)
    with pytest.raises(RuntimeError, match=r"which is output 0 of Exp, is at version 1; "
                                           r"expected version 0"):
        y.sum().backward()


def test_an_unpacked_saved_output_is_the_output_as_autograd_sees_it():
    x = ember.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    (saved,) = y.grad_fn.saved_tensors
    assert saved.grad_fn is y.grad_fn and saved.requires_grad
    assert np.shares_memory(saved._data, y._data)
