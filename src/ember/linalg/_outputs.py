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
