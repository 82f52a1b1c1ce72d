"""Ops with several differentiable outputs (svd's U, S, Vh; eigh's values and vectors).

ember's autograd graph gives each node one output. A factorisation whose
outputs all feed one backward formula is recorded as

    inputs ──> hub node ──> one small node per output ──> U, S, Vh

The hub's "output" is a flat stand-in tensor as long as all outputs together
(its data is never read). Each output's node hands its gradient to its own
slice of that flat gradient; the hub then cuts the flat gradient back into one
gradient per output and calls the op's backward with them. Outputs that did
not take part in the loss arrive as None, so the backward can take the cheap
path (as torch does when only S of an SVD is used). Every node carries the
op's torch name, so ``U.grad_fn`` prints ``<LinalgSvdBackward0 ...>``.
"""
import functools
import warnings

import numpy as np

from .._tensor import _make
from ..autograd.graph import record
from ..ops.creation import zeros
from ..ops.shape import embed


def record_outputs(name, backward, inputs, arrays):
    """Wrap ``arrays`` as tensors whose joint backward is ``backward(ctx, *grads)``.

    Returns (outputs, hub) where hub is the node to save tensors on, or None when
    no gradient is needed.
    """
    outputs = [_make(np.asarray(a)) for a in arrays]
    sizes = [o._data.size for o in outputs]
    total = int(sum(sizes))
    stand_in = _make(np.broadcast_to(np.zeros((), outputs[0]._data.dtype), (total,)))
    hub = record(name, _hub_backward, inputs, stand_in)
    if hub is None:
        return outputs, None
    hub.op_backward = backward
    hub.slots = []
    start = 0
    for out, size in zip(outputs, sizes):
        node = record(name, _slot_backward, (stand_in,), out)
        node.slot = slice(start, start + size)
        hub.slots.append((node.slot, out.shape))
        start += size
    return outputs, hub


def _slot_backward(ctx, grad):
    """One output's gradient, placed in its slice of the flat gradient."""
    return embed(grad.reshape(-1), ctx.input_meta[0][0], (ctx.slot,))


def _hub_backward(ctx, flat_grad):
    grads = []
    for slot, shape in ctx.slots:
        part = flat_grad._data[slot]
        # An all-zero slice is an output the loss never used (or used with zero weight,
        # which gives the same gradient): pass None so backward may skip its terms.
        grads.append(flat_grad[slot].reshape(shape) if part.any() else None)
    if all(g is None for g in grads):
        return tuple(None if meta is None or not needed else
                     zeros(meta[0], dtype=meta[1])
                     for meta, needed in zip(ctx.input_meta, ctx.needs_input_grad))
    return ctx.op_backward(ctx, *grads)


# ------------------------------------------------------------------ out=
# torch's C++ names of dtypes, as its out= dtype message prints them
_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
            "int32": "int", "bool": "bool"}


def fills_out(name, aten_name=None):
    """Decorator: give a linalg function torch's ``out=``: the result is written into
    ``out`` (a tensor, or a tuple of them for several outputs), which is returned.
    ``name`` is what torch's argument errors name, ``aten_name`` the op its autograd
    error names (``name`` if not given)."""
    def decorate(fn):
        @functools.wraps(fn)
        def with_out(*args, out=None, **kwargs):
            if out is None:
                return fn(*args, **kwargs)
            return _write_out(fn(*args, **kwargs), out, name, aten_name or name)
        return with_out
    return decorate


def _write_out(result, out, name, aten_name):
    from .._tensor import Tensor
    from ..autograd.grad_mode import is_grad_enabled, NO_VERSION, check_inference_write
    single = isinstance(result, Tensor)
    results = (result,) if single else tuple(result)
    if single and not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    outs = (out,) if single else tuple(out) if isinstance(out, (tuple, list)) else None
    if outs is None or len(outs) != len(results) or \
            not all(isinstance(o, Tensor) for o in outs):
        raise TypeError(f"{name}(): argument 'out' must be tuple of Tensors, not "
                        f"{type(out).__name__}")
    if is_grad_enabled() and any(t.requires_grad for t in results + outs):
        raise RuntimeError(f"{aten_name}(): functions with out=... arguments don't support "
                           f"automatic differentiation, but one of the arguments requires grad.")
    for r, o in zip(results, outs):
        if r.dtype is not o.dtype:
            raise RuntimeError(f"Expected out tensor to have dtype {_C_NAMES.get(r.dtype.name)}, "
                               f"but got {_C_NAMES.get(o.dtype.name)} instead")
    if any(o._vc is NO_VERSION for o in outs):
        check_inference_write()     # (before any out changes; torch checks only after)
    for r, o in zip(results, outs):
        if o.shape == r.shape:
            np.copyto(o._data, r._data)
        else:
            if o._data.size:
                warnings.warn(f"An output with one or more elements was resized since it had "
                              f"shape {list(o.shape)}, which does not match the required output "
                              f"shape {list(r.shape)}. This behavior is deprecated, and in a "
                              f"future PyTorch release outputs will not be resized unless they "
                              f"have zero elements. You can explicitly reuse an out tensor t by "
                              f"resizing it, inplace, to zero elements with t.resize_(0).",
                              UserWarning, stacklevel=4)
            o._data = np.array(r._data, copy=True)
        o._bump_version()
    return out if single else type(result)(*outs) if hasattr(result, "_fields") else tuple(outs)
