"""Numerical gradient checks: compare autograd with finite differences.

``gradcheck(f, inputs)`` perturbs each input element by ±eps and compares the
central difference of each output with the rows of the Jacobian that
backward computes. ``gradgradcheck`` does the same for the gradient of the
gradient (checking ``create_graph=True``). Use float64 inputs.
"""
import numpy as np

from .grad_mode import no_grad


class GradcheckError(RuntimeError):
    pass


def _as_tuple(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _flat_outputs(fn, inputs):
    outs = _as_tuple(fn(*inputs))
    return [o for o in outs if hasattr(o, "_data") and o.dtype.is_floating_point]


def _numerical_jacobian(fn, inputs, eps):
    """J[k][i]: d outputs[k] / d inputs[i], shape (in.numel, out.numel), by central differences."""
    with no_grad():
        outs = _flat_outputs(fn, inputs)
        jac = [[np.zeros((t.numel(), o.numel())) for t in inputs] for o in outs]
        for i, t in enumerate(inputs):
            if not getattr(t, "_requires_grad", False):
                continue
            flat = t._data.reshape(-1)      # a view: writes change the input
            for j in range(flat.size):
                orig = flat[j].item()
                flat[j] = orig + eps
                plus = [o._data.astype(np.float64).copy() for o in _flat_outputs(fn, inputs)]
                flat[j] = orig - eps
                minus = [o._data.astype(np.float64).copy() for o in _flat_outputs(fn, inputs)]
                flat[j] = orig
                for k in range(len(outs)):
                    jac[k][i][j] = ((plus[k] - minus[k]) / (2 * eps)).reshape(-1)
    return jac


def _analytical_jacobian(fn, inputs):
    from . import grad as autograd_grad
    from ..ops.creation import zeros_like
    outs = _flat_outputs(fn, inputs)
    diff_inputs = [t for t in inputs if getattr(t, "_requires_grad", False)]
    jac = [[np.zeros((t.numel(), o.numel())) for t in inputs] for o in outs]
    for k, o in enumerate(outs):
        for j in range(o.numel()):
            seed = zeros_like(o)
            seed._data.reshape(-1)[j] = 1
            grads = autograd_grad(o, diff_inputs, seed, retain_graph=True, allow_unused=True)
            gi = iter(grads)
            for i, t in enumerate(inputs):
                if getattr(t, "_requires_grad", False):
                    g = next(gi)
                    if g is not None:
                        jac[k][i][:, j] = g._data.reshape(-1)
    return jac


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              **unused):
    """True if backward agrees with finite differences for every input that requires grad."""
    inputs = _as_tuple(inputs)
    for t in inputs:
        if getattr(t, "_requires_grad", False) and t.dtype.name != "float64":
            import warnings
            warnings.warn("Input #0 requires gradient and is not a double precision floating "
                          "point. This check will likely fail if all the inputs are not of "
                          "double precision floating point.", UserWarning)
    numerical = _numerical_jacobian(func, inputs, eps)
    analytical = _analytical_jacobian(func, inputs)
    for k, (nrow, arow) in enumerate(zip(numerical, analytical)):
        for i, (n, a) in enumerate(zip(nrow, arow)):
            if not np.allclose(a, n, rtol=rtol, atol=atol):
                if raise_exception:
                    raise GradcheckError(
                        f"Jacobian mismatch for output {k} with respect to input {i},\n"
                        f"numerical:{n}\nanalytical:{a}\n")
                return False
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  raise_exception=True, **unused):
    """gradcheck of the map (inputs, v) -> vJ, i.e. of backward itself (second order)."""
    from . import grad as autograd_grad
    from .._tensor import _make
    inputs = _as_tuple(inputs)
    outs = _flat_outputs(func, inputs)
    if grad_outputs is None:
        # Fixed random directions (a private NumPy stream: the user's seed is untouched).
        rng = np.random.default_rng(0)
        grad_outputs = tuple(_make(rng.standard_normal(o.shape), requires_grad=True)
                             for o in outs)
    grad_outputs = _as_tuple(grad_outputs)
    n = len(inputs)
    diff_idx = [i for i, t in enumerate(inputs) if getattr(t, "_requires_grad", False)]

    def first_grads(*args):
        ins, gos = args[:n], args[n:]
        outs = _flat_outputs(func, ins)
        grads = autograd_grad(outs, [ins[i] for i in diff_idx], gos, create_graph=True,
                              allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_grads, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
