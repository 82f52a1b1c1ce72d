"""ember.autograd: gradients by reverse-mode automatic differentiation.

``backward`` and ``grad`` run the engine (engine.py) over the graph of Nodes
(graph.py) that ops record; ``Function`` lets users define their own ops.
"""
from .grad_mode import (no_grad, enable_grad, set_grad_enabled, inference_mode,
                        is_grad_enabled, is_inference_mode_enabled)
from .engine import run_backward
from . import graph


def _seed_gradients(tensors, grad_tensors, what):
    from .._tensor import Tensor
    from ..ops.creation import ones_like
    seeds = []
    for t, g in zip(tensors, grad_tensors):
        if not t._requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a "
                               "grad_fn")
        if g is None:
            if t.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            g = ones_like(t)
        elif not isinstance(g, Tensor):
            g = Tensor(g) if not isinstance(g, (int, float)) else ones_like(t) * g
        if g.shape != t.shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[0] has a shape of "
                               f"{g.shape} and output[0] has a shape of {t.shape}.")
        seeds.append(g)
    return seeds


def _as_tuple(x):
    if x is None:
        return None
    return tuple(x) if isinstance(x, (list, tuple)) else (x,)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate into ``.grad`` of the leaves the gradient of ``tensors``."""
    tensors = _as_tuple(tensors)
    grad_tensors = _as_tuple(grad_tensors) or (None,) * len(tensors)
    if retain_graph is None:
        retain_graph = create_graph
    seeds = _seed_gradients(tensors, grad_tensors, "backward")
    inputs = _as_tuple(inputs)
    results = run_backward(tensors, seeds, retain_graph, create_graph, inputs=inputs,
                           accumulate=True)
    if inputs is not None:
        # backward(inputs=...) accumulates only into the given tensors.
        for t, g in zip(inputs, results):
            if g is not None and t.grad_fn is not None:
                t.grad = g if t.grad is None else t.grad + g


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """The gradients of ``outputs`` w.r.t. ``inputs``, returned (``.grad`` is not touched).

    >>> x = ember.tensor(3.0, requires_grad=True)
    >>> ember.autograd.grad(x ** 2, x)
    (tensor(6.),)
    """
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    grad_outputs = _as_tuple(grad_outputs) or (None,) * len(outputs)
    if retain_graph is None:
        retain_graph = create_graph
    seeds = _seed_gradients(outputs, grad_outputs, "grad")
    allow = bool(allow_unused) or materialize_grads
    results = run_backward(outputs, seeds, retain_graph, create_graph, inputs=inputs,
                           allow_unused=allow, accumulate=False)
    if materialize_grads:
        from ..ops.creation import zeros_like
        results = [zeros_like(t) if g is None else g for t, g in zip(inputs, results)]
    return tuple(results)


from .function import Function, FunctionCtx          # noqa: E402
from .gradcheck import gradcheck, gradgradcheck       # noqa: E402
from . import function, gradcheck as _gc, grad_mode   # noqa: E402,F401

__all__ = ["backward", "grad", "no_grad", "enable_grad", "set_grad_enabled", "inference_mode",
           "Function", "gradcheck", "gradgradcheck", "is_grad_enabled"]
