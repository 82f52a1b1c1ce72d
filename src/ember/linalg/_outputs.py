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

from .._arg_errors import binding_error, invalid_combination
from .. import _dtypes
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
_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half",
            "bfloat16": "c10::BFloat16", "int64": "long int", "int32": "int",
            "int16": "short int", "int8": "signed char", "uint8": "unsigned char", "bool": "bool"}


def fills_out(name, aten_name=None, **options):
    """Decorator: give a linalg function torch's ``out=``: the result is written into
    ``out`` (a tensor, or a tuple of them for several outputs), which is returned.
    ``name`` is what torch's argument errors name, ``aten_name`` the op its autograd
    error names (``name`` if not given); ``options`` go to write_out, but for two that
    word a call that does not bind as torch does: ``signatures``, torch's overloads when
    it has several (its text lists them), and ``arg_names``, torch's names of arguments
    it names otherwise (``{"A": "input"}``)."""
    signatures = options.pop("signatures", None)
    arg_names = options.pop("arg_names", {})

    def decorate(fn):
        @functools.wraps(fn)
        def with_out(*args, out=None, **kwargs):
            try:
                if out is None:
                    return fn(*args, **kwargs)
                return write_out(fn(*args, **kwargs), out, name, aten_name or name, **options)
            except TypeError as error:
                if error.__traceback__.tb_next is not None:     # (raised inside fn)
                    raise
                # the call itself did not bind (an argument missing, one too many, an
                # unknown keyword): torch's text, under torch's name
                raise _unbound_call_error(error, fn.__name__, name, args, kwargs, signatures,
                                          arg_names) from None
        return with_out
    return decorate


def _unbound_call_error(error, python_name, name, args, kwargs, signatures, arg_names):
    translated = binding_error(error, python_name, name)
    if translated is None:
        return error
    if signatures is not None:
        return invalid_combination(name, args, kwargs, signatures)
    text = str(translated)
    for ours, torchs in arg_names.items():
        text = text.replace(f'"{ours}"', f'"{torchs}"')
    return TypeError(text)


# Rules for the dtype of ``out``: each takes (result dtype, out dtype) and returns torch's
# message when ``out`` will not do, else None.
def same_dtype(result_dtype, out_dtype):
    """The usual rule of a kernel with out=: exactly the result's dtype."""
    if result_dtype is not out_dtype:
        return (f"Expected out tensor to have dtype {_C_NAMES.get(result_dtype.name)}, "
                f"but got {_C_NAMES.get(out_dtype.name)} instead")
    return None


def same_dtype_said(template):
    """The same rule with an op's own wording; ``template`` names {result} and {out} by
    torch's short names (Float, Double, ...) or, as {c_result} and {c_out}, C++ ones."""
    def rule(result_dtype, out_dtype):
        if result_dtype is out_dtype:
            return None
        return template.format(result=_short_name(result_dtype), out=_short_name(out_dtype),
                               c_result=_C_NAMES.get(result_dtype.name),
                               c_out=_C_NAMES.get(out_dtype.name))
    return rule


def castable_from(fn):
    """Composites that copy_ their result into out: any dtype it casts to safely."""
    def rule(result_dtype, out_dtype):
        if not _dtypes.can_cast(result_dtype, out_dtype):
            return (f"{fn}: Expected result to be safely castable from "
                    f"{_short_name(result_dtype)} dtype, but got result with dtype "
                    f"{_short_name(out_dtype)}")
        return None
    return rule


def _check_dtypes(results, outs, rules):
    for r, o in zip(results, outs):
        for rule in rules:
            message = rule(r.dtype, o.dtype)
            if message:
                raise RuntimeError(message)


def _short_name(dtype):
    return dtype.legacy_name[:-len("Tensor")]


def write_out(result, out, name, aten_name=None, *, dtype_rules=(same_dtype,),
              copies=False, rules_before_grad=()):
    """Write ``result`` (a tensor or a tuple) into ``out`` as torch's out= does; returns out.

    ``dtype_rules`` are checked in order (see same_dtype), after ``rules_before_grad``
    and the autograd check (a composite checks out's dtype itself before its inner op
    with out= refuses autograd, as vecdot before sum(out=)). ``copies``: the op is a
    composite that ends in ``out.copy_(result)``, so its result may require grad and out
    then carries a CopyBackwards node (torch's linalg.norm, matrix_norm); otherwise a
    result or an out that requires grad is refused, naming ``aten_name``.
    """
    from .._tensor import Tensor
    from ..autograd.grad_mode import is_grad_enabled, NO_VERSION, check_inference_write
    from ..ops.pointwise import check_inplace
    single = isinstance(result, Tensor)
    results = (result,) if single else tuple(result)
    if single and not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    outs = (out,) if single else tuple(out) if isinstance(out, (tuple, list)) else None
    if outs is None or len(outs) != len(results) or \
            not all(isinstance(o, Tensor) for o in outs):
        raise TypeError(f"{name}(): argument 'out' must be tuple of Tensors, not "
                        f"{type(out).__name__}")
    _check_dtypes(results, outs, rules_before_grad)
    if not copies and is_grad_enabled() and any(t.requires_grad for t in results + outs):
        raise RuntimeError(f"{aten_name or name}(): functions with out=... arguments don't "
                           f"support automatic differentiation, but one of the arguments "
                           f"requires grad.")
    _check_dtypes(results, outs, dtype_rules)
    for o in outs:
        if copies:
            check_inplace(o)        # (before the resize, so a refused out stays as it was)
        if o._vc is NO_VERSION:
            check_inference_write()     # (before any out changes; torch checks only after)
    for r, o in zip(results, outs):
        if o.shape != r.shape:
            if o._data.size:
                warnings.warn(f"An output with one or more elements was resized since it had "
                              f"shape {list(o.shape)}, which does not match the required output "
                              f"shape {list(r.shape)}. This behavior is deprecated, and in a "
                              f"future PyTorch release outputs will not be resized unless they "
                              f"have zero elements. You can explicitly reuse an out tensor t by "
                              f"resizing it, inplace, to zero elements with t.resize_(0).",
                              UserWarning, stacklevel=4)
            o._data = np.empty(r.shape, dtype=o._data.dtype)
        if copies:
            o.copy_(r)      # (records CopyBackwards when r requires grad, as torch's copy_)
        else:
            np.copyto(o._data, r._data, casting="unsafe")
            o._bump_version()
    return out if single else type(result)(*outs) if hasattr(result, "_fields") else tuple(outs)
