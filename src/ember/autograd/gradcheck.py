"""Numerical gradient checks: compare autograd with finite differences.

``gradcheck(f, inputs)`` perturbs each element of each input that requires
grad by ±eps and compares the central differences of the outputs with the
Jacobian that backward computes (one backward per output element).
``gradgradcheck`` runs gradcheck on the map ``(inputs, v) -> v·J``, i.e. on
backward itself, which checks ``create_graph=True``. Use float64 inputs::

    >>> x = ember.randn(3, dtype=ember.float64, requires_grad=True)
    >>> ember.autograd.gradcheck(ember.sin, (x,))
    True
"""
import warnings

import numpy as np

from .grad_mode import no_grad, enable_grad


class GradcheckError(RuntimeError):
    """Raised by gradcheck / gradgradcheck when the gradients disagree."""


def _as_tuple(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _is_tensor(x):
    return hasattr(x, "_data") and hasattr(x, "grad_fn")


def _outputs(fn, inputs):
    """The differentiable (floating) tensor outputs of ``fn``."""
    outs = _as_tuple(fn(*inputs))
    return [o for o in outs if _is_tensor(o) and o.dtype.is_floating_point]


def _numerical_jacobian(fn, inputs, diff, eps):
    """J[k][i]: d outputs[k] / d inputs[i] as (input numel, output numel), by central
    differences. Inputs are perturbed in place, element by element, and restored."""
    with no_grad():
        outs = _outputs(fn, inputs)
        jac = [[np.zeros((inputs[i].numel(), o.numel())) for i in diff] for o in outs]
        for col, i in enumerate(diff):
            data = inputs[i]._data
            for j in range(data.size):
                idx = np.unravel_index(j, data.shape)
                orig = data[idx].item()
                data[idx] = orig + eps
                plus = [o._data.astype(np.float64) for o in _outputs(fn, inputs)]
                data[idx] = orig - eps
                minus = [o._data.astype(np.float64) for o in _outputs(fn, inputs)]
                data[idx] = orig
                for k in range(len(outs)):
                    jac[k][col][j] = ((plus[k] - minus[k]) / (2 * eps)).reshape(-1)
    return jac


def _analytical_jacobian(fn, inputs, diff):
    from . import grad as autograd_grad
    from ..ops.creation import zeros_like
    with enable_grad():
        outs = _outputs(fn, inputs)
    diff_inputs = [inputs[i] for i in diff]
    jac = [[np.zeros((inputs[i].numel(), o.numel())) for i in diff] for o in outs]
    for k, o in enumerate(outs):
        if not o.requires_grad:
            continue        # an output cut from the graph: its Jacobian is zero
        for j in range(o.numel()):
            seed = zeros_like(o)            # (o's layout, which may not be C order)
            seed._data[np.unravel_index(j, seed._data.shape)] = 1
            grads = autograd_grad(o, diff_inputs, seed, retain_graph=True, allow_unused=True)
            for col, g in enumerate(grads):
                if g is not None:
                    if tuple(g.shape) != tuple(diff_inputs[col].shape):
                        raise GradcheckError(
                            f"Gradient for input {diff[col]} has shape {list(g.shape)} but "
                            f"the input has shape {list(diff_inputs[col].shape)}")
                    jac[k][col][:, j] = g._data.reshape(-1)
    return jac


def _fail(message, raise_exception):
    if raise_exception:
        raise GradcheckError(message)
    return False


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
              check_batched_grad=False, check_batched_forward_grad=False,
              check_forward_ad=False, check_backward_ad=True, fast_mode=False,
              masked=None):
    """True if backward agrees with finite differences for every input that requires
    grad; otherwise raises GradcheckError (or returns False with raise_exception=False)."""
    inputs = _as_tuple(inputs)
    diff = [i for i, t in enumerate(inputs) if _is_tensor(t) and t.requires_grad]
    if not diff:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, "
                         "but none of the them have requires_grad=True.")
    for i in diff:
        if inputs[i].dtype.name != "float64":
            warnings.warn(f"Input #{i} requires gradient and is not a double precision "
                          "floating point. This check will likely fail if all the inputs are "
                          "not of double precision floating point. ", UserWarning, stacklevel=2)
    numerical = _numerical_jacobian(func, inputs, diff, eps)
    analytical = _analytical_jacobian(func, inputs, diff)
    from .._tensor import _make
    for k, (nrow, arow) in enumerate(zip(numerical, analytical)):
        for col, (n, a) in enumerate(zip(nrow, arow)):
            if not np.allclose(a, n, rtol=rtol, atol=atol):
                return _fail(f"Jacobian mismatch for output {k} with respect to input "
                             f"{diff[col]},\nnumerical:{_make(n)!r}\nanalytical:{_make(a)!r}\n",
                             raise_exception)
    # Backward must be deterministic: a second run gives the same Jacobian.
    again = _analytical_jacobian(func, inputs, diff)
    for arow, brow in zip(analytical, again):
        for a, b in zip(arow, brow):
            if not np.allclose(a, b, rtol=0, atol=nondet_tol):
                return _fail("Backward is not reentrant, i.e., running backward with same "
                             "input and grad_output multiple times gives different values, "
                             "although analytical gradient matches numerical gradient.",
                             raise_exception)
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, check_grad_dtypes=False,
                  check_batched_grad=False, check_fwd_over_rev=False, check_rev_over_rev=True,
                  fast_mode=False, masked=False):
    """gradcheck of the map (inputs, v) -> v·J, i.e. of backward itself (second order)."""
    from . import grad as autograd_grad
    from .._tensor import _make
    inputs = _as_tuple(inputs)
    with enable_grad():
        outs = _outputs(func, inputs)
    if grad_outputs is None:
        # Fixed random directions (a private NumPy stream: the user's seed is untouched).
        rng = np.random.default_rng(0)
        grad_outputs = tuple(
            _make(rng.standard_normal(tuple(o.shape)).astype(o._data.dtype),
                  requires_grad=True) for o in outs)
    grad_outputs = _as_tuple(grad_outputs)
    n = len(inputs)
    diff = [i for i, t in enumerate(inputs) if _is_tensor(t) and t.requires_grad]

    def first_grads(*args):
        ins, gos = args[:n], args[n:]
        with enable_grad():
            outs = _outputs(func, ins)
            grads = autograd_grad(outs, [ins[i] for i in diff], gos, create_graph=True,
                                  allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_grads, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol)
