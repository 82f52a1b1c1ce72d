"""ember.autograd: gradients by reverse-mode automatic differentiation.

``backward`` and ``grad`` run the engine (engine.py) over the graph of Nodes
(graph.py) that ops record; ``Function`` lets users define their own ops.

    >>> x = ember.tensor(3.0, requires_grad=True)
    >>> ember.autograd.grad(x ** 2, x)
    (tensor(6.),)
"""
import numpy as np
from .grad_mode import (no_grad, enable_grad, set_grad_enabled, inference_mode,
                        is_grad_enabled, is_inference_mode_enabled, detect_anomaly,
                        set_detect_anomaly, is_anomaly_enabled, is_anomaly_check_nan_enabled)
from .engine import run_backward, _tensor_api
from . import graph


def _as_tuple(x):
    """A tensor becomes a 1-tuple; any other iterable a tuple (a float raises TypeError,
    as in torch)."""
    Tensor = _tensor_api()[0]
    if x is None:
        return None
    return (x,) if isinstance(x, Tensor) else tuple(x)


def _ones_like(array):
    """The implicit seed d(out)/d(out) = 1 (np.ones without its Python wrapper, which
    costs as much as the rest of a small backward's setup)."""
    one = np.empty(array.shape, array.dtype)
    one.fill(1)
    return one


def _seed_gradients(tensors, grad_tensors):
    """The gradient each output starts with: the given one, or 1 for a one-element output."""
    Tensor, _make = _tensor_api()
    # torch pairs them up with zip: gradients beyond the outputs are ignored, too few is
    # an error
    if len(grad_tensors) < len(tensors):
        raise RuntimeError(f"got {len(tensors)} tensors and {len(grad_tensors)} gradients")
    seeds = []
    for i, (t, g) in enumerate(zip(tensors, grad_tensors)):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected a Tensor as element {i} of the outputs, but got "
                            f"{type(t).__name__}")
        if g is None:
            if t._requires_grad and t.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            g = _make(_ones_like(t._data))
        elif not isinstance(g, Tensor):
            raise TypeError(f"gradients can be either Tensors or None, but got "
                            f"{type(g).__name__}")
        elif g.shape != t.shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of "
                               f"{g.shape} and output[{i}] has a shape of {t.shape}.")
        if not t._requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not "
                               "have a grad_fn")
        if g.dtype is not t.dtype and t.dtype.is_floating_point:
            g = g.to(t.dtype)
        seeds.append(g)
    return seeds


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             grad_variables=None, inputs=None):
    """Accumulate into ``.grad`` of the leaves the gradient of ``tensors``.

    ``inputs`` restricts the accumulation to the given tensors (leaves or not).
    """
    if (grad_tensors is None and grad_variables is None and inputs is None
            and getattr(tensors, "_requires_grad", False) and tensors._data.size == 1
            and tensors.grad_fn is not None):
        # loss.backward(): one one-element output that has a graph, seeded with 1 (what
        # _seed_gradients gives it) without the argument normalisation of the general case.
        seed = _tensor_api()[1](_ones_like(tensors._data))
        run_backward((tensors,), (seed,), create_graph if retain_graph is None else retain_graph,
                     create_graph, accumulate=True)
        return
    tensors = _as_tuple(tensors)
    if grad_tensors is None:
        grad_tensors = grad_variables
    grad_tensors = _as_tuple(grad_tensors) or (None,) * len(tensors)
    if retain_graph is None:
        retain_graph = create_graph
    if inputs is not None:
        inputs = _as_tuple(inputs)
        if not inputs:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
        _check_inputs(inputs)
    seeds = _seed_gradients(tensors, grad_tensors)
    results = run_backward(tensors, seeds, retain_graph, create_graph, inputs=inputs,
                           accumulate=True)
    if inputs is not None:
        # Leaves got theirs from AccumulateGrad; a non-leaf input gets its .grad here.
        for t, g in zip(inputs, results):
            # (one that retains its grad got it from its retain_grad hook already)
            if g is not None and t.grad_fn is not None and not t.retains_grad:
                g = g if create_graph else g.detach()
                t._grad = g.clone() if t._grad is None else t._grad + g


def _check_inputs(inputs):
    Tensor = _tensor_api()[0]
    for t in inputs:
        if not isinstance(t, Tensor):
            raise TypeError(f"inputs must be Tensors, but got {type(t).__name__}")
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """The gradients of ``outputs`` w.r.t. ``inputs``, returned (``.grad`` is not touched).

    >>> x = ember.tensor([1.0, 2.0], requires_grad=True)
    >>> ember.autograd.grad((x ** 3).sum(), x)
    (tensor([ 3., 12.]),)
    """
    if is_grads_batched:
        raise NotImplementedError("ember's autograd.grad has no is_grads_batched (vmap); "
                                  "loop over the grad_outputs instead")
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    if not inputs:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    if not only_inputs:
        import warnings
        warnings.warn("only_inputs argument is deprecated and is ignored now (defaults to "
                      "True). To accumulate gradient for other parts of the graph, please use "
                      "torch.autograd.backward.", FutureWarning, stacklevel=2)
    grad_outputs = _as_tuple(grad_outputs) or (None,) * len(outputs)
    if retain_graph is None:
        retain_graph = create_graph
    if allow_unused is None:
        allow_unused = materialize_grads
    elif materialize_grads and not allow_unused:
        raise ValueError("Expected allow_unused to be True or not passed when "
                         "materialize_grads=True, but got: allow_unused=False.")
    seeds = _seed_gradients(outputs, grad_outputs)
    _check_inputs(inputs)       # (after the outputs, as torch: its message is about them)
    results = run_backward(outputs, seeds, retain_graph, create_graph, inputs=inputs,
                           allow_unused=allow_unused, accumulate=False)
    if materialize_grads:
        from ..ops.creation import zeros_like
        results = [zeros_like(t) if g is None else g for t, g in zip(inputs, results)]
    return tuple(results)


from .function import Function, FunctionCtx, once_differentiable    # noqa: E402
from .gradcheck import gradcheck, gradgradcheck, GradcheckError      # noqa: E402
from . import function, grad_mode, functional                        # noqa: E402,F401

__all__ = ["backward", "grad", "no_grad", "enable_grad", "set_grad_enabled", "inference_mode",
           "Function", "gradcheck", "gradgradcheck", "is_grad_enabled", "GradcheckError",
           "detect_anomaly", "set_detect_anomaly"]
