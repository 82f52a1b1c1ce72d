"""Shape ops: reshape, permute, expand, cat, split, ...

Where torch returns a view, so does ember: the result wraps a NumPy view of
the same memory, shares the base's version counter, and records ``_base``.
A write through either is seen by both, exactly as in torch::

    >>> x = ember.zeros(2, 3)
    >>> x.view(6)[0] = 1.0
    >>> x[0, 0]
    tensor(1.)

Views get torch's strides too (``x.unsqueeze(0).stride()``, ``diagonal``),
which is why a few of them are built with ``as_strided`` rather than the
nearest NumPy function.
"""
import functools
import re
import warnings

import numpy as np
from math import prod

from numpy.lib.stride_tricks import as_strided as np_as_strided

from .. import _dtypes
from .. import _memory_format as _mf
from .._arg_errors import MISSING as _MISSING   # (an argument left out)
from .._arg_errors import (function_twin, int_list_error, invalid_combination,
                           missing_arguments, too_many_positional, with_positions, wrong_type)
from .._tensor import Tensor, _make, _wrap_dim, note_view_without_grad
from ..autograd.grad_mode import _state as _grad_state, NO_VERSION, check_inference_write
from ..autograd.graph import record
from ._common import (_type_name, as_shape, bind, check_input, int_arg, int_list_arg,
                      tensor_input, unbroadcast, wrap_dim, wrap_dims)
from .pointwise import check_inplace
from .._memory_format import (check_format, contiguous_format, contiguous_strides,
                              is_contiguous_as, preserve_format)


def make_view(base, array, layout=None, arg=None):
    """Wrap ``array`` (a NumPy view into ``base``'s memory) as a view tensor of ``base``.

    ``layout(shape, strides, offset, new_shape, arg)``: the op's rule for torch's
    strides and storage offset of its result, from the input's (by default the rule
    of view/reshape). It is used only when the result is empty: NumPy normalises an
    empty slice to start 0, step 1 and gives no trustworthy strides or address for
    it, while torch reports what the op would give a non-empty result. The view
    keeps them (``Tensor.stride`` and ``storage_offset`` read them)::

        >>> ember.zeros(4, 6)[:, 5:3].stride(), ember.zeros(4, 6)[:, 5:3].storage_offset()
        ((6, 1), 5)

    (Every caller's NumPy call gives a view, never a copy: basic indexing, transpose,
    squeeze, reshape of C-ordered memory, as_strided; nothing tests it again here.)
    """
    extra = None
    if not array.size:
        strides, offset = (layout or _reshaped_layout)(
            base._data.shape, base.stride(), base.storage_offset(), array.shape, arg)
        extra = {"layout": (array, tuple(strides), offset)}
    t = _make(array)
    t._extra = extra
    t._base = root = base if base._base is None else base._base
    vc = base._vc
    if vc is None:
        vc = base._vc = [0]
    t._vc = vc
    if _grad_state.enabled:
        # the version its grad_fn (recorded next, if any) belongs to: an in-place change
        # of the base after this makes the view's graph stale (ops.index.refresh_view)
        if extra is None:
            t._extra = {"view_version": vc[0]}
        else:
            extra["view_version"] = vc[0]
        if not root._requires_grad:
            note_view_without_grad(t)       # (it requires grad once its base does)
    else:
        # made under no_grad: it requires grad as its base does, now or once the base
        # comes to (torch), with no grad_fn; with grad on it may not be written in place,
        # nor used after the base changed in place since now (no_grad_view_error)
        if extra is None:
            t._extra = {"no_grad_view": "made", "view_version": vc[0]}
        else:
            extra["no_grad_view"] = "made"
            extra["view_version"] = vc[0]
        if root._requires_grad:
            t._requires_grad = True
        else:
            note_view_without_grad(t)
        return t
    base_extra = base._extra
    if base_extra and ("multi_view" in base_extra or "custom_view" in base_extra
                       or "no_grad_view" in base_extra):
        # a view of a split piece (or of a custom Function's view output, or of a view
        # made under no_grad) is one too
        for rule in ("multi_view", "custom_view"):
            if rule in base_extra:
                t._extras()[rule] = (0, None)
        if "no_grad_view" in base_extra:
            t._extras()["no_grad_view"] = "inherited"
    return t


def no_grad_view_error(view, through_view=None, rebased=False):
    """torch's RuntimeError for an in-place write, with grad on, to a view made under
    no_grad (or to a view of such a view: ``through_view`` names the view op a write
    through a key makes, "Select", "Slice"), else None. Whether the write should be
    recorded is ambiguous, so torch refuses it. ``rebased``: the error for using such
    a view after its base changed in place instead (see no_grad_view_rebased)."""
    extra = view._extra
    kind = extra.get("no_grad_view") if extra else None
    if kind is None:
        return None
    if through_view is None and kind == "inherited" and view.grad_fn is not None:
        through_view = view.grad_fn._name.split("Backward")[0]
    start = (f"Output 0 of {through_view} is a view of a view which was created"
             if through_view else "A view was created")
    change = ("its base or another view of its base has been modified inplace" if rebased
              else "is being modified inplace")
    return RuntimeError(
        f"{start} in no_grad mode and {change} with grad mode enabled. Given "
        "that this use case is ambiguous and error-prone, it is forbidden. You can clarify "
        "your code by moving both the view and the inplace either both inside the no_grad "
        "block (if you don't want the inplace to be tracked) or both outside (if you want the "
        "inplace to be tracked).")


def no_grad_view_rebased(view):
    """A view made under no_grad (or a view of one) is used with grad on after its base,
    or another view of it, changed in place (even under no_grad): torch raises, since
    the view's graph cannot be rebuilt without recording what no_grad left out. A view
    whose base does not require grad (and that has no grad_fn) is left alone, as in
    torch: it gets its check again once the base does.

    >>> x = ember.ones(3, requires_grad=True)
    >>> with ember.no_grad():
    ...     v = x[:2]; x.add_(1)
    >>> v * 2           # RuntimeError: A view was created in no_grad mode and its base ...
    """
    if view.grad_fn is not None or view._base._requires_grad:
        raise no_grad_view_error(view, rebased=True)


def _record_view(name, backward, input, result):
    """record() for a view op's one input, skipping the call where nothing is
    recorded (record makes the same test first)."""
    if input._requires_grad and _grad_state.enabled:
        return record(name, backward, (input,), result)
    return None


def _strided(array, shape, strides, writeable):
    """``as_strided(array, shape, strides, writeable=writeable)`` (strides in bytes,
    never negative). For C-ordered memory, ndarray's own constructor over it does the
    same at a tenth of the cost (as_strided goes through an __array_interface__
    object); a read-only array stays read-only either way."""
    if array.flags.c_contiguous:
        view = np.ndarray(shape, array.dtype, array, 0, strides)
        if not writeable:
            view.setflags(write=False)
        return view
    return np_as_strided(array, shape, strides, writeable=writeable)


# --------------------------------------------------- torch layouts of empty views
# Each rule: (input shape, input strides, input storage offset, result shape, op
# argument) -> (result strides, result storage offset), in elements, as torch lays
# out the view. make_view applies them to empty results only.

def _reshaped_layout(shape, strides, offset, new_shape, arg):
    # view/reshape/flatten of an empty tensor: _view_strides' rule for it; the
    # offset stays
    return _view_strides(shape, strides, new_shape), offset


def index_layout(shape, strides, offset, new_shape, key):
    """Basic indexing ``x[key]`` (a parsed key of ints, slices and None, ending in
    Ellipsis): slices move the offset to their (clamped) start even when they take
    nothing, and multiply the stride by their step."""
    shape, strides = list(shape), list(strides)
    d = 0
    for k in key:
        if k is Ellipsis:
            break
        if k is None:       # as unsqueeze
            strides.insert(d, _new_dim_stride(shape, strides, d))
            shape.insert(d, 1)
            d += 1
        elif isinstance(k, slice):
            start, stop, step = k.indices(shape[d])
            offset += start * strides[d]
            shape[d] = len(range(start, stop, step))
            strides[d] *= step
            d += 1
        else:               # an int: select
            offset += (k + shape[d] if k < 0 else k) * strides[d]
            del shape[d], strides[d]
    return strides, offset


def _permuted_layout(shape, strides, offset, new_shape, axes):
    return [strides[a] for a in axes], offset


def _transposed_layout(shape, strides, offset, new_shape, dims):
    strides = list(strides)
    a, b = dims
    strides[a], strides[b] = strides[b], strides[a]
    return strides, offset


def _reversed_layout(shape, strides, offset, new_shape, arg):
    return strides[::-1], offset


def _new_dim_stride(shape, strides, d):
    # torch's stride for a size-1 dim inserted at d: size * stride of the dim now
    # after it (1 if it is last)
    return shape[d] * strides[d] if d < len(shape) else 1


def _unsqueezed_layout(shape, strides, offset, new_shape, d):
    strides = list(strides)
    strides.insert(d, _new_dim_stride(shape, strides, d))
    return strides, offset


def _squeezed_layout(shape, strides, offset, new_shape, axes):
    return [s for i, s in enumerate(strides) if i not in axes], offset


def _diagonal_layout(shape, strides, offset, new_shape, args):
    k, a, b = args
    if new_shape[-1]:       # (an empty diagonal leaves the offset alone, as in torch)
        offset += k * strides[b] if k >= 0 else -k * strides[a]
    kept = [s for i, s in enumerate(strides) if i not in (a, b)]
    return kept + [strides[a] + strides[b]], offset


def _expanded_layout(shape, strides, offset, new_shape, arg):
    # from the last dim: a dim that keeps its size keeps its stride, an expanded one
    # gets 0; a new leading dim of size 1 gets size * stride of the dim after it
    lead = len(new_shape) - len(shape)
    out = [0] * len(new_shape)
    for i in reversed(range(len(new_shape))):
        if i >= lead:
            size, stride = shape[i - lead], strides[i - lead]
        else:
            size = 1
            stride = new_shape[i + 1] * out[i + 1] if i + 1 < len(new_shape) else 1
        out[i] = stride if size == new_shape[i] else 0
    return out, offset


def view_positions(view):
    """For each element of ``view``, the flat (C-order) index of the element of
    ``view._base`` it shares memory with. The bookkeeping behind writes through
    views: a write to ``view[k]`` is a write to ``base.flatten()[positions[k]]``."""
    base = view._base._data
    start = base.__array_interface__["data"][0]
    addresses = _addresses(view._data, start)
    if base.flags.c_contiguous:
        return addresses // base.itemsize
    # A base with unusual strides: look the addresses up among the base's own.
    own = _addresses(base, start).reshape(-1)
    order = np.argsort(own, kind="stable")
    return order[np.searchsorted(own[order], addresses)]


def _addresses(array, start):
    """Byte offsets from ``start`` of every element of ``array``, in its shape."""
    offset = np.int64(array.__array_interface__["data"][0] - start)
    total = np.full(array.shape, offset, dtype=np.int64)
    for axis, (n, stride) in enumerate(zip(array.shape, array.strides)):
        steps = np.arange(n, dtype=np.int64) * stride
        total += steps.reshape((n,) + (1,) * (array.ndim - axis - 1))
    return total


def _check_not_0d(input, opname, error=RuntimeError, text=None):
    if input._data.ndim == 0:
        raise error(text or f"{opname} expects at least a 1-dimensional tensor")


# ------------------------------------------------------- embed and pick
# The backward of every read of some elements (indexing, split, narrow, ...)
# puts the gradient back where the elements came from. ``keys`` are NumPy keys
# applied one after the other: basic ones (views) first, an advanced one last.

def embed(values, shape, *keys):
    """A zero tensor of ``shape`` with ``values`` added where ``keys`` point
    (repeated indices add up); differentiable, its backward is :func:`pick`.

    >>> embed(ember.ones(2), (4,), (ember.tensor([0, 0])._data,))
    tensor([2., 0., 0., 0.])
    """
    data = np.zeros(shape, dtype=values._data.dtype)
    target = data
    for k in keys[:-1]:
        target = target[k]
    last = keys[-1]
    if any(isinstance(k, np.ndarray) for k in (last if isinstance(last, tuple) else (last,))):
        np.add.at(target, last, values._data)
    else:
        target[last] += values._data
    result = _make(data)
    node = record("IndexPutBackward0", lambda ctx, g: pick(g, *ctx.keys), (values,), result)
    if node:
        node.keys = keys
    return result


def pick(source, *keys):
    """``source`` indexed by NumPy ``keys`` one after the other, as a new tensor;
    differentiable, its backward is :func:`embed`."""
    data = source._data
    for k in keys:
        data = data[k]
    result = _make(np.array(data, copy=True))
    node = record("IndexBackward0", lambda ctx, g: embed(g, tuple(ctx.input_meta[0][0]),
                                                         *ctx.keys), (source,), result)
    if node:
        node.keys = keys
    return result


# ---------------------------------------------------------------- reshape
def _infer_shape(shape, numel):
    shape = list(shape)
    unknown = [i for i, s in enumerate(shape) if s == -1]
    if len(unknown) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for i, s in enumerate(shape):
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s} at index {i} of shape "
                               f"{_shape_text(shape)}")
    known = 1
    for s in shape:
        if s != -1:
            known *= s
    if unknown:
        if known == 0:
            if numel == 0:
                raise RuntimeError(
                    f"cannot reshape tensor of 0 elements into shape {_shape_text(shape)} "
                    "because the unspecified dimension size -1 can be any value and is ambiguous")
            raise RuntimeError(f"shape '{_shape_text(shape)}' is invalid for input of size {numel}")
        if numel % known:
            raise RuntimeError(f"shape '{_shape_text(shape)}' is invalid for input of size {numel}")
        shape[unknown[0]] = numel // known
    elif known != numel:
        raise RuntimeError(f"shape '{_shape_text(shape)}' is invalid for input of size {numel}")
    return tuple(shape)


def _shape_text(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _view_strides(shape, strides, new_shape):
    """Strides (in elements) that show memory laid out as ``shape``/``strides`` in
    ``new_shape`` without copying, or None if there are none. torch's rule: dims
    are grouped into chunks that are contiguous among themselves, and each chunk
    must map onto whole new dims."""
    numel = int(np.prod(shape))
    if numel == 0:
        # an empty tensor: its strides if the shape stays, else contiguous ones
        # (sizes 0 counted as 1)
        return tuple(strides) if tuple(shape) == tuple(new_shape) else \
            contiguous_strides(new_shape)
    if not shape:
        shape, strides = (1,), (1,)
    new_strides = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    chunk_base = strides[-1]
    tensor_numel = view_numel = 1
    for d in range(len(shape) - 1, -1, -1):
        tensor_numel *= shape[d]
        if d == 0 or (shape[d - 1] != 1 and strides[d - 1] != tensor_numel * chunk_base):
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                new_strides[view_d] = view_numel * chunk_base
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if d > 0:
                chunk_base = strides[d - 1]
                tensor_numel = view_numel = 1
    return tuple(new_strides) if view_d == -1 else None


def _reshapes_like_torch(array):
    """True if NumPy's reshape of ``array`` is a view with the strides torch gives the
    view (reshape, view, unsqueeze; tests/ops/test_shape.py checks), at a fraction of
    as_strided's cost: C-ordered memory, non-empty, with no size-1 dims (NumPy calls an
    array C-ordered whatever the strides of its size-1 dims; torch's rule follows
    them, so those take the full path)."""
    return array.flags.c_contiguous and array.size and 1 not in array.shape


def _view_array(array, shape):
    """``array`` in a new shape without copying (with torch's strides), or None if
    its strides forbid it."""
    if _reshapes_like_torch(array):
        return array.reshape(shape)
    size = array.itemsize
    strides = _view_strides(array.shape, [s // size for s in array.strides], shape)
    if strides is None:
        return None
    return np_as_strided(array, shape, [s * size for s in strides],
                      writeable=array.flags.writeable)


def _plain_shape(args, numel):
    """The fast lane of ``_infer_shape(as_shape(args), numel)`` for the common
    ``x.reshape(5, 4)``, ``x.view(-1)``, ``x.reshape((2, -1))``: plain ints, all
    >= 0 but for at most one -1, that fit ``numel`` (a non-zero number of elements
    when inferring). None for anything else, errors included: the full path."""
    args = _plain_ints(args)
    if args is None or (args and min(args) < -1):
        return None
    unknown = args.count(-1)
    if not unknown:
        return args if prod(args) == numel else None
    known = -prod(args)
    if unknown > 1 or known <= 0 or numel % known:
        return None
    i = args.index(-1)
    return args[:i] + (numel // known,) + args[i + 1:]


def _plain_ints(args):
    """The fast lane of as_shape: ``args`` (``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])``,
    ``f(Size)``) as a tuple when they are plain ints, else None (numpy ints, bools,
    Tensors, bad types: as_shape's business)."""
    if len(args) == 1 and type(args[0]) is not int:
        args = args[0]
        if not isinstance(args, (tuple, list)):
            return None
    elif not args:          # f() with no shape at all: the full path's TypeError
        return None
    for s in args:
        if type(s) is not int:
            return None
    return tuple(args)


def _shape_arg(args, fname, name, first=1):
    """as_shape of a Tensor method's tuple-of-ints argument (``x.reshape(2, 3)``,
    ``x.reshape((2, 3))``), with the TypeError torch's parser gives for what it
    refuses (``x.reshape(2, 'a')``, ``x.reshape([2], 3)``); worked out only then.
    ``first``: 2 in the module function (``ember.reshape(x, shape)``), whose
    arguments torch numbers from the input and which takes no separate ints."""
    try:
        return as_shape(args, fname, name)
    except TypeError:
        error = int_list_error(fname, name, args, first, varargs=first == 1)
        if error is not None:
            raise error from None
        raise


_VIEW_SIGNATURES = ("(torch.dtype dtype)", "(tuple of ints size)")


def _int_args_error(error, fname, names, values, extra=(), first=1):
    """torch's TypeError for a call of ``fname`` whose int arguments ``names`` (given
    by position, the first at ``first``) are ``values``: one left out (_MISSING), too
    many (``extra``), or ``error`` (a TypeError naming one without its position) with
    the position."""
    missing = [name for name, value in zip(names, values) if value is _MISSING]
    if missing:
        return missing_arguments(fname, missing)
    if extra:
        takes = len(names) + first - 1
        return too_many_positional(fname, takes, takes + len(extra))
    error = with_positions(error, names, first)
    if fname.endswith("_") and str(error).startswith(f"{fname[:-1]}()"):
        # (the in-place form: the parsing helpers named the op without its underscore)
        error = TypeError(fname + str(error)[len(fname) - 1:])
    return error


def reshape(input, *sizes, shape=None, _first=1):
    """The same elements in a new shape; a view when the memory layout allows it,
    else a copy (as torch does).

    >>> ember.arange(6).reshape(2, -1)
    tensor([[0, 1, 2],
            [3, 4, 5]])
    """
    try:     # (torch's TypeError for an input that is no Tensor, at no cost)
        size = input._data.size
    except AttributeError:
        check_input((input,), {}, "reshape")
        raise
    if shape is not None:       # (reshape(shape=(2, 3)), as torch's takes it too)
        if sizes:
            raise TypeError("reshape() got multiple values for argument 'shape'")
        sizes = (shape,)
    if len(sizes) != 1 and _first != 1 and sizes:
        # (torch's function takes the shape as one sequence, not as separate ints)
        raise too_many_positional("reshape", 2, 1 + len(sizes))
    new_shape = _plain_shape(sizes, size)
    if new_shape is None:
        if not sizes:
            raise TypeError('reshape() missing 1 required positional arguments: "shape"')
        new_shape = _infer_shape(_shape_arg(sizes, "reshape", "shape", _first), size)
    return _reshape_to(input, tuple(new_shape))


def _reshape_to(input, shape):
    """reshape to ``shape``, a tuple of sizes that fits (nothing left to infer)."""
    data = input._data
    arr = _view_array(data, shape)
    if arr is not None:
        result = make_view(input, arr)
        # torch names a reshape of a non-contiguous tensor differently, view or not
        name = "ViewBackward0" if data.flags.c_contiguous else "ReshapeAliasBackward0"
    else:
        result = _make(np.asarray(data, order="C").reshape(shape))
        name = "UnsafeViewBackward0"
    _record_view(name, _reshape_backward, input, result)
    return result


def _reshape_backward(ctx, grad):
    return grad.reshape(ctx.input_meta[0][0])


def view(input, *shape, dtype=None):
    """Like reshape, but always a view: fails if the strides don't allow one. Given a
    dtype instead of a shape, the same bytes read as that dtype (see view_dtype).

    >>> ember.arange(6.).view(3, 2).shape
    torch.Size([3, 2])
    """
    size = input._data.size
    new_shape = _plain_shape(shape, size) if dtype is None else None
    if new_shape is None:
        if len(shape) == 1 and dtype is None and (
                isinstance(shape[0], _dtypes.dtype) or shape[0] in (float, int, bool)):
            # (torch's parser reads the Python types as dtypes: x.view(float) is float64)
            return view_dtype(input, _dtypes.to_dtype(shape[0]))
        if dtype is not None:
            if shape:       # (torch takes a dtype or a shape, never both)
                got = ", ".join(_type_name(s) for s in shape)
                raise TypeError(f"view() received an invalid combination of arguments - got "
                                f"({got}, dtype=torch.dtype), but expected one of:\n * "
                                "(torch.dtype dtype)\n * (tuple of ints size)\n")
            return view_dtype(input, _dtypes.to_dtype(dtype))
        if not shape:
            raise TypeError("view() received an invalid combination of arguments - got (), but "
                            "expected one of:\n * (torch.dtype dtype)\n * (tuple of ints size)\n")
        try:
            new_shape = _infer_shape(_shape_arg(shape, "view", "size"), size)
        except TypeError as error:
            if "failed to unpack" in str(error):
                raise
            # (view has two signatures, so torch's parser lists both)
            raise invalid_combination("view", shape, {}, _VIEW_SIGNATURES) from None
    arr = _view_array(input._data, tuple(new_shape))
    if arr is None:
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
    result = make_view(input, arr)
    _record_view("ViewBackward0", _reshape_backward, input, result)
    return result


def view_dtype(input, dtype):
    """``x.view(dtype)``: the same memory read as ``dtype``. As in torch, an alias that
    shares the data and the version counter but not the graph (like ``detach()``: it
    never requires grad). Where the element size changes, the last dim (which must be
    contiguous) grows or shrinks by the ratio of the sizes.

    >>> ember.tensor([1.0]).view(ember.int32)
    tensor([1065353216], dtype=torch.int32)
    """
    arr = input._data
    old, new = arr.itemsize, np.dtype(dtype.np).itemsize
    strides, offset = input.stride(), input.storage_offset()
    shape = arr.shape
    if old != new:
        def refuse(what, got=None):
            raise RuntimeError(f"{what} to view {input.dtype.legacy_name[:-6]} as "
                               f"{dtype.legacy_name[:-6]} (different element sizes)"
                               + ("" if got is None else f", but got {got}"))
        if arr.ndim == 0:
            refuse("self.dim() cannot be 0")
        if strides[-1] != 1:
            refuse("self.stride(-1) must be 1", strides[-1])
        if old > new:       # each element becomes `ratio` smaller ones
            ratio = old // new
            shape = shape[:-1] + (shape[-1] * ratio,)
            strides = tuple(st * ratio for st in strides[:-1]) + (1,)
            offset *= ratio
        else:               # each `ratio` elements become one
            ratio = new // old
            for got, what in ((shape[-1], "self.size(-1)"), (offset, "self.storage_offset()"),
                              *((st, f"self.stride({d})") for d, st in enumerate(strides[:-1]))):
                if got % ratio:
                    refuse(f"{what} must be divisible by {ratio}", got)
            shape = shape[:-1] + (shape[-1] // ratio,)
            strides = tuple(st // ratio for st in strides[:-1]) + (1,)
            offset //= ratio
    if arr.size:
        # (NumPy reads a last dim that is contiguous in a new itemsize, as torch)
        result = _make(arr.view(dtype.np))
    else:       # nothing to read: an empty array keeps torch's strides and offset
        data = np.empty(shape, dtype=dtype.np)
        result = _make(data)
        result._extra = {"layout": (data, strides, offset)}
    result._vc = input._shared_version()
    if arr.size and offset:
        result._extra = {"storage_offset": offset}
    return result


def _other_shape(other, fname):
    """The shape of the ``other`` of view_as and its kin: torch's TypeError if it is
    no Tensor."""
    if isinstance(other, Tensor):
        return other.shape
    raise wrong_type(fname, "other", 1, "Tensor", other)


def view_as(input, other):
    return view(input, _other_shape(other, "view_as"))


def reshape_as(input, other):
    return reshape(input, _other_shape(other, "reshape_as"))


def flatten(input, start_dim=0, end_dim=-1, *extra, _first=1):
    """Merge dims start_dim..end_dim into one (a view when possible).

    >>> ember.zeros(2, 3, 4).flatten(1).shape
    torch.Size([2, 12])
    """
    try:     # (torch's TypeError for an input that is no Tensor, at no cost)
        nd = input._data.ndim
    except AttributeError:
        check_input((input,), {}, "flatten")
        raise
    try:
        if extra:
            raise TypeError
        if nd == 0:
            wrap_dim(start_dim, nd, "flatten", "start_dim")
            wrap_dim(end_dim, nd, "flatten", "end_dim")
            return reshape(input, 1)
        if start_dim == 0 and end_dim == -1:        # the defaults: all dims, nothing to check
            s, e = 0, nd - 1
        else:
            s = wrap_dim(start_dim, nd, "flatten", "start_dim")
            e = wrap_dim(end_dim, nd, "flatten", "end_dim")
    except TypeError as error:
        if extra:       # (torch counts the optional arguments too)
            raise TypeError(f"flatten() takes from {_first - 1} to {_first + 1} positional "
                            f"arguments but {_first + 1 + len(extra)} were given") from None
        raise with_positions(error, ("start_dim", "end_dim"), _first) from None
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    shape = input._data.shape
    return _reshape_to(input, shape[:s] + (prod(shape[s:e + 1]),) + shape[e + 1:])


def ravel(input):
    """The elements in C order as a 1-d tensor: a view of C-ordered memory, else a copy
    (as torch, which makes the tensor contiguous first: never a strided view).

    >>> ember.arange(6).reshape(2, 3).t().ravel()
    tensor([0, 3, 1, 4, 2, 5])
    """
    return reshape(contiguous(input), -1)


def unflatten(input, dim, sizes):
    """Split one dim into several: ``x.unflatten(1, (2, 3))`` (-1 is inferred)."""
    _check_not_0d(input, "unflatten", text="unflatten got an unexpected error:\nDimension "
                  "specified as 0 but tensor has no dimensions")
    try:
        d = wrap_dim(dim, input._data.ndim, "unflatten")
    except TypeError as error:
        raise with_positions(error, ("dim", "sizes")) from None
    shape = input.shape
    if not isinstance(sizes, (tuple, list)):
        raise wrong_type("unflatten", "sizes", 2, "tuple of ints", sizes)
    sizes = int_list_arg(sizes, "unflatten", "sizes")
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    if sizes.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    if -1 not in sizes and int(np.prod(sizes)) != shape[d]:
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the "
                           f"size of dim {d} ({shape[d]}) in the input tensor")
    if -1 in sizes:
        # the -1 is inferred from the size of dim d alone (not from the whole tensor,
        # which is ambiguous when some other dim is 0)
        sizes = _infer_shape(sizes, shape[d])
    # Splitting one dim into several is always possible with strides: a view.
    return view(input, shape[:d] + sizes + shape[d + 1:])


class _AllDims:
    """squeeze's default dim: torch squeezes every dim when dim is left out but refuses
    a dim of None, so the two must be told apart. It reads as None in signatures."""
    __slots__ = ()

    def __repr__(self):
        return "None"


_ALL_DIMS = _AllDims()


def squeeze(input, dim=_ALL_DIMS, *more, _inplace=False, _first=1):
    """Remove dims of size 1: all of them, or those named (an int or a tuple)
    that have size 1.

    >>> ember.zeros(2, 1, 3).squeeze().shape
    torch.Size([2, 3])
    """
    try:
        shape = input._data.shape
    except AttributeError:
        raise _squeeze_error(input, dim, more, _inplace, _first) from None
    if more:        # (torch takes the dims as separate ints too: x.squeeze(0, 1))
        dim = (dim, *more)
    # torch numbers the nodes of the in-place forms (squeeze_) after the others
    if dim is _ALL_DIMS:
        axes = tuple(i for i, s in enumerate(shape) if s == 1) if 1 in shape else ()
        name = "SqueezeBackward3" if _inplace else "SqueezeBackward0"
    else:
        try:
            if dim is None:     # (wrap_dims reads None as all dims; squeeze(None) is refused)
                raise TypeError
            axes = tuple(d for d in wrap_dims(dim, len(shape), "squeeze")
                         if shape and shape[d] == 1)
        except TypeError:
            raise _squeeze_error(input, dim, (), _inplace, _first) from None
        variant = 1 if isinstance(dim, (int, np.integer)) else 2
        name = f"SqueezeBackward{variant + 3 if _inplace else variant}"
    result = make_view(input, input._data.squeeze(axes) if axes else input._data.view(),
                       _squeezed_layout, axes)
    _record_view(name, _reshape_backward, input, result)
    return result


def _squeeze_error(input, dim, more, inplace, first):
    """torch's TypeError for squeeze's arguments: an unpack error for a tuple of dims
    with a bad element after the first, else its invalid combination (squeeze has
    three signatures), the method's or (``first`` 2) the function's."""
    fname = "squeeze_" if inplace else "squeeze"
    given = () if dim is _ALL_DIMS else (dim, *more)
    if not isinstance(input, Tensor) and not given:     # (torch's parser words this one so)
        return wrong_type(fname, "input", 1, "Tensor", input)
    if isinstance(input, Tensor) and dim is not None and dim is not _ALL_DIMS:
        error = int_list_error(fname, "dim", given)
        if error is not None and "failed to unpack" in str(error):
            return error
    signatures = ["()", "(int dim)", "(tuple of ints dim)"]
    if first != 1:
        given = (input, *given)
        signatures = ["(Tensor input)", "(Tensor input, int dim)",
                      "(Tensor input, tuple of ints dim)"]
    return invalid_combination(fname, given, {}, signatures)


def unsqueeze(input, dim=_MISSING, *extra, _inplace=False):
    """Insert a dim of size 1 at ``dim`` (a view).

    >>> ember.zeros(2, 3).unsqueeze(1).shape
    torch.Size([2, 1, 3])
    """
    arr = input._data
    try:
        if extra:
            raise TypeError
        d = wrap_dim(dim, arr.ndim + 1, "unsqueeze")
    except TypeError as error:
        raise _int_args_error(error, "unsqueeze", ("dim",), (dim,), extra) from None
    shape = arr.shape[:d] + (1,) + arr.shape[d:]
    if _reshapes_like_torch(arr):
        view = arr.reshape(shape)
    else:
        # torch's stride for the new dim: size * stride of the dim now after it (1 if last)
        strides = list(arr.strides)
        strides.insert(d, arr.shape[d] * strides[d] if d < arr.ndim else arr.itemsize)
        view = _strided(arr, shape, strides, arr.flags.writeable)
    result = make_view(input, view, _unsqueezed_layout, d)
    _record_view("UnsqueezeBackward1" if _inplace else "UnsqueezeBackward0", _reshape_backward,
                 input, result)
    return result


# ------------------------------------------------------------- reordering
def permute(input, *dims, _first=1):
    """Reorder dims: ``x.permute(2, 0, 1)`` (a view)."""
    try:     # (torch's TypeError for an input that is no Tensor, at no cost)
        nd = input._data.ndim
    except AttributeError:
        check_input((input,), {}, "permute")
        raise
    if not dims:
        raise TypeError('permute() missing 1 required positional arguments: "dims"')
    if len(dims) != 1 and _first != 1:
        # (torch's function takes the dims as one sequence, not as separate ints)
        raise too_many_positional("permute", 2, 1 + len(dims))
    axes = _plain_axes(dims[0] if len(dims) == 1 and type(dims[0]) in (tuple, list) else dims,
                       nd)
    if axes is not None:
        result = make_view(input, input._data.transpose(axes), _permuted_layout, axes)
        node = _record_view("PermuteBackward0", _permute_backward, input, result)
        if node:
            node.axes = axes
        return result
    dims = _shape_arg(dims, "permute", "dims", _first)
    if len(dims) != nd:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does "
                           f"not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {nd} is not equal to len(dims) = {len(dims)}")
    axes = tuple(wrap_dim(d, nd) for d in dims)
    if len(set(axes)) != nd:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    result = make_view(input, input._data.transpose(axes), _permuted_layout, axes)
    node = record("PermuteBackward0", _permute_backward, (input,), result)
    if node:
        node.axes = axes
    return result


def _plain_axes(dims, nd):
    """permute's fast lane: ``dims`` (a tuple or list) as a tuple if it holds plain ints, each of
    0..nd-1 once; None for anything else (negative dims, errors): the full path."""
    if len(dims) != nd:
        return None
    for d in dims:
        if type(d) is not int or not 0 <= d < nd:
            return None
    return tuple(dims) if len(set(dims)) == nd else None


def _permute_backward(ctx, grad):
    return grad.permute(tuple(np.argsort(ctx.axes).tolist()))


def transpose(input, dim0=_MISSING, dim1=_MISSING, *extra, _inplace=False, _first=1):
    """Swap two dims (a view)."""
    try:     # (torch's TypeError for an input that is no Tensor, at no cost)
        nd = input._data.ndim
    except AttributeError:
        check_input((input,), {}, "transpose")
        raise
    try:
        if extra:
            raise TypeError
        a, b = wrap_dim(dim0, nd, "transpose", "dim0"), wrap_dim(dim1, nd, "transpose", "dim1")
    except TypeError as error:
        raise _int_args_error(error, "transpose_" if _inplace else "transpose", ("dim0", "dim1"),
                              (dim0, dim1), extra, _first) from None
    result = make_view(input, input._data.swapaxes(a, b) if nd else input._data.view(),
                       _transposed_layout, (a, b))
    node = _record_view("TransposeBackward1" if _inplace else "TransposeBackward0",
                        _transpose_backward, input, result)
    if node:
        node.dims = (a, b)
    return result


def _transpose_backward(ctx, grad):
    return grad.transpose(*ctx.dims)


def _renamed_transpose(fname, names):
    """transpose under another of torch's names (swapaxes, swapdims), whose errors
    name it and its arguments (``axis0``, ``axis1``)."""
    method = transpose      # (the method's numbering: the module's transpose counts input)

    def swap(input, dim0=_MISSING, dim1=_MISSING, *extra, _inplace=False):
        try:
            return method(input, dim0, dim1, *extra, _inplace=_inplace)
        except TypeError as error:
            text = re.sub(r"transpose(_?)\(\)", rf"{fname}\1()", str(error))
            for old, new in zip(("dim0", "dim1"), names):
                text = text.replace(f'"{old}"', f'"{new}"').replace(f"'{old}'", f"'{new}'")
            raise TypeError(text) from None
    swap.__name__ = swap.__qualname__ = fname
    swap.__doc__ = f"transpose, by the name {fname}."
    return swap


swapaxes = _renamed_transpose("swapaxes", ("axis0", "axis1"))
swapdims = _renamed_transpose("swapdims", ("dim0", "dim1"))


def t(input, *, _inplace=False):
    """Transpose a matrix; vectors and scalars come back as they are (a view)."""
    nd = input._data.ndim
    if nd > 2:
        raise RuntimeError(f"t{'_' if _inplace else ''}() expects a tensor with <= 2 "
                           f"dimensions, but self is {nd}D")
    result = make_view(input, input._data.T, _reversed_layout)
    _record_view("TBackward1" if _inplace else "TBackward0", _t_backward, input, result)
    return result


def _t_backward(ctx, grad):
    return grad.t()


def movedim(input, source=_MISSING, destination=_MISSING, *extra, _first=1):
    """Move dims ``source`` to positions ``destination``; the others keep their order."""
    try:
        nd = input._data.ndim
    except AttributeError:
        raise _movedim_error(input, source, destination, extra, 2) from None
    try:
        if extra or destination is _MISSING:
            raise TypeError
        src = _int_or_ints(source, "movedim", "source")
        dst = _int_or_ints(destination, "movedim", "destination")
    except TypeError:
        raise _movedim_error(input, source, destination, extra, _first) from None
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({src} dims) "
                           f"should contain the same number of dims as destination ({dst} dims)")
    src = [wrap_dim(s, nd) for s in src]
    dst = [wrap_dim(d, nd) for d in dst]
    if len(set(src)) != len(src):
        raise RuntimeError(f"movedim: repeated dim in `source` ({src})")
    if len(set(dst)) != len(dst):
        raise RuntimeError(f"movedim: repeated dim in `destination` ({dst})")
    order = [None] * max(nd, 0)
    for s, d in zip(src, dst):
        order[d] = s
    rest = iter(i for i in range(nd) if i not in src)
    order = [next(rest) if o is None else o for o in order]
    return permute(input, tuple(order))


def _movedim_error(input, source, destination, extra, first):
    """torch's TypeError for movedim's arguments: an unpack error for a tuple with a bad
    element after the first, else its invalid combination (two signatures), listed as
    the method's or (``first`` 2) the function's."""
    for name, value in (("source", source), ("destination", destination)):
        if isinstance(value, (tuple, list)) and value:
            error = int_list_error("movedim", name, (value,), varargs=False)
            if error is not None and "failed to unpack" in str(error):
                return error
    given = [a for a in (source, destination, *extra) if a is not _MISSING]
    signatures = ["(int source, int destination)",
                  "(tuple of ints source, tuple of ints destination)"]
    if first != 1:
        given = [input] + given
        signatures = [sig.replace("(", "(Tensor input, ") for sig in signatures]
    return invalid_combination("movedim", given, {}, signatures)


moveaxis = movedim


def _int_or_ints(value, op, name):
    """An argument that is one dim or a tuple/list of them, as a list of ints."""
    if isinstance(value, (tuple, list)):
        return list(int_list_arg(value, op, name))
    if isinstance(value, (bool, np.bool_)) or not hasattr(type(value), "__index__"):
        raise TypeError(f"{op}(): argument '{name}' must be tuple of ints, not "
                        f"{_type_name(value)}")
    return [int_arg(value, op, name)]


def _dims_arg(opname, args, dims):
    """The dims of an op that, like torch's Tensor methods, takes them as separate
    arguments, one sequence, or the keyword ``dims``: ``x.flip(0, 1)``,
    ``x.flip((0, 1))``, ``x.flip(dims=[0, 1])``."""
    if args and dims is not None:
        raise TypeError(f"{opname}() got multiple values for argument 'dims'")
    if dims is not None:
        return dims
    if not args:
        raise TypeError(f'{opname}() missing 1 required positional arguments: "dims"')
    return args[0] if len(args) == 1 else args


def flip(input, *args, dims=None):
    """Reverse the order of elements along ``dims`` (a copy, as in torch).

    >>> ember.tensor([[1, 2], [3, 4]]).flip(0, 1)
    tensor([[4, 3],
            [2, 1]])
    """
    if args and dims is None:
        dims = _shape_arg(args, "flip", "dims")
    else:
        dims = _dims_arg("flip", args, dims)
    if dims is None:        # (wrap_dims reads None as all dims; flip takes no such thing)
        raise TypeError("flip(): argument 'dims' must be tuple of ints, not NoneType")
    axes = wrap_dims(dims, input._data.ndim, "flip", "dims")
    data = input._data
    if data.ndim:
        # like torch, the copy keeps the input's memory layout (a flipped transposed
        # tensor is still transposed in memory) by preserve_format's rule: the input's
        # own strides if dense, else dense ones in its order (an expanded dim stays in
        # C order's place, where NumPy's order="K" would make it the fastest)
        strides = _mf.preserved_strides(data.shape, input.stride())
        result = _mf.copy_laid_out(np.flip(data, axes), strides, _make)
    else:
        result = _make(data.copy())
    node = record("FlipBackward0", lambda ctx, g: g.flip(ctx.axes), (input,), result)
    if node:
        node.axes = axes
    return result


def fliplr(input):
    """flip(input, (1,)), for tensors of at least 2 dims."""
    if input._data.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


def flipud(input):
    """flip(input, (0,)), for tensors of at least 1 dim."""
    if input._data.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


def roll(input, shifts, dims=None):
    """Rotate elements along dims; with dims=None the flattened tensor is rolled.

    >>> ember.arange(4).roll(1)
    tensor([3, 0, 1, 2])
    """
    if isinstance(shifts, (int, np.integer)) and not isinstance(shifts, (bool, np.bool_)):
        shifts = (shifts,)
    else:
        error = int_list_error("roll", "shifts", (shifts,), varargs=False)
        if error is not None and not isinstance(shifts, Tensor):
            raise error
        shifts = tuple(shifts)
    if not shifts:
        raise RuntimeError("`shifts` required")
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        data = np.roll(input._data.reshape(-1), shifts[0]).reshape(input._data.shape)
        axes = None
    else:
        dims = tuple(_int_or_ints(dims, "roll", "dims"))
        if len(shifts) != len(dims):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                               f"dims:{len(dims)}")
        if not input._data.ndim:
            raise IndexError(f"Dimension specified as {dims[0]} but tensor has no dimensions")
        axes = tuple(_wrap_dim(d, input._data.ndim) for d in dims)
        data = np.roll(input._data, shifts, axes) if input._data.ndim else input._data.copy()
    result = _make(np.asarray(data, order="C"))
    node = record("RollBackward0", _roll_backward, (input,), result)
    if node:
        node.shifts, node.axes = shifts, axes
    return result


def _roll_backward(ctx, grad):
    return grad.roll(tuple(-s for s in ctx.shifts), ctx.axes)


# ---------------------------------------------------------------- expand
def expanded_shape(shape, sizes, dtype=None):
    """The shape a tensor of ``shape`` expands to for ``sizes`` (-1 keeps a dim),
    with torch's errors (which name ``dtype``, float by default)."""
    shape, sizes = tuple(shape), tuple(sizes)
    nd = len(shape)
    if len(sizes) < nd:
        type_name = "torch." + dtype.legacy_name if dtype is not None else "torch.FloatTensor"
        if type_name == "torch.BoolTensor":
            type_name = "CPUBoolType"       # (torch has no legacy name for bool here)
        raise RuntimeError(f"expand({type_name}{{{list(shape)}}}, "
                           f"size={list(sizes)}): the number of sizes provided ({len(sizes)}) "
                           f"must be greater or equal to the number of dimensions in the tensor "
                           f"({nd})")
    lead = len(sizes) - nd
    target = list(sizes)
    # from the last dim, as torch checks them (its error names the last bad dim)
    for i in range(len(sizes) - 1, -1, -1):
        s = sizes[i]
        cur = shape[i - lead] if i >= lead else None
        if cur is None:
            if s < 0:
                raise RuntimeError(f"The expanded size of the tensor ({s}) isn't allowed in a "
                                   f"leading, non-existing dimension {i}")
        elif s == -1:
            s = cur
        elif cur != 1 and cur != s:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing "
                               f"size ({cur}) at non-singleton dimension {i}.  Target sizes: "
                               f"{list(sizes)}.  Tensor sizes: {list(shape)}")
        target[i] = s
    return tuple(target)


def expand(input, *sizes):
    """Broadcast to a larger shape without copying (-1 keeps a dim); a read-only view.

    >>> ember.tensor([1, 2]).expand(2, -1)
    tensor([[1, 2],
            [1, 2]])
    """
    data = input._data
    plain = _plain_ints(sizes)
    lane = _plain_expand(data, plain) if plain is not None and data.size else None
    if lane is not None:
        array = _strided(data, lane[0], lane[1], writeable=False)
    else:
        if not sizes:
            raise TypeError('expand() missing 1 required positional arguments: "size"')
        target = expanded_shape(data.shape, plain if plain is not None
                                else _shape_arg(sizes, "expand", "size"), input.dtype)
        array = _expanded_array(data, target)
    result = make_view(input, array, _expanded_layout)
    _record_view("ExpandBackward0", _expand_backward, input, result)
    return result


def _plain_expand(data, sizes):
    """expand's fast lane: expanded_shape and _expanded_array's strides in one pass
    for plain int ``sizes`` that need no error (-1 only over an existing dim, other
    sizes >= 0, only size-1 dims stretched); (target shape, byte strides) or None."""
    lead = len(sizes) - data.ndim
    if lead < 0:
        return None
    shape, byte_strides = data.shape, data.strides
    target = list(sizes)
    strides = [0] * len(sizes)
    for i in range(len(sizes) - 1, -1, -1):
        s = sizes[i]
        if i >= lead:
            cur = shape[i - lead]
            if s == -1 or s == cur:
                target[i] = cur
                strides[i] = byte_strides[i - lead]
            elif cur != 1 or s < 0:
                return None
        elif s < 0:
            return None
        elif s == 1:        # a new dim of size 1: as in _expanded_array
            strides[i] = target[i + 1] * strides[i + 1] if i + 1 < len(sizes) else 0
    return tuple(target), strides


def _expanded_array(data, target):
    """A read-only NumPy view of ``data`` broadcast to ``target``, with torch's strides:
    a broadcast dim gets stride 0, and a new leading dim of size 1 gets the stride it
    would have in a contiguous layout (NumPy's broadcast_to would give it 0). Strides
    of size-1 dims never change which elements are read; they show in ``stride()``."""
    lead = len(target) - data.ndim
    strides = [0] * len(target)
    for i in range(len(target) - 1, -1, -1):
        if i >= lead:
            size, stride = data.shape[i - lead], data.strides[i - lead]
        else:
            size = 1
            # (a 0-d input has no dim to build on: torch gives all its new dims stride 0)
            stride = target[i + 1] * strides[i + 1] if i + 1 < len(target) else 0
        strides[i] = stride if size == target[i] else 0
    return _strided(data, target, strides, writeable=False)


def _expand_backward(ctx, grad):
    return unbroadcast(grad, ctx.input_meta[0][0])


def expand_as(input, other):
    return expand(input, _other_shape(other, "expand_as"))


def broadcast_to(input, *args, size=None):
    """expand under torch's other name (its errors name broadcast_to)."""
    if args and size is None:
        size = _shape_arg(args, "broadcast_to", "size")
    elif args:
        raise TypeError("broadcast_to() got multiple values for argument 'size'")
    elif size is None:
        raise TypeError('broadcast_to() missing 1 required positional arguments: "size"')
    return expand(input, size)


def broadcast_tensors(*tensors):
    """Expand all tensors to their common broadcast shape (read-only views).

    >>> [t.shape for t in ember.broadcast_tensors(ember.ones(2, 1), ember.ones(3))]
    [torch.Size([2, 3]), torch.Size([2, 3])]
    """
    try:
        shape = np.broadcast_shapes(*(t._data.shape for t in tensors))
    except ValueError:
        from .pointwise import _broadcast_error
        raise _broadcast_error(*tensors) from None
    # (a tensor already of that shape comes back as it is, as in torch: no ExpandBackward0)
    return tuple(t if t._data.shape == shape else expand(t, shape) for t in tensors)


def broadcast_shapes(*shapes):
    """The shape that tensors of ``shapes`` broadcast to; an int stands for a 1-d shape.

    >>> ember.broadcast_shapes((2,), (3, 1), (1, 1, 1))
    torch.Size([1, 3, 2])
    """
    from .._size import Size
    # torch skips None and reads an int n as the shape (n,)
    shapes = [(s,) if isinstance(s, (int, np.integer)) else s for s in shapes if s is not None]
    for s in shapes:
        if not isinstance(s, (tuple, list)):
            raise RuntimeError(f"Input shapes should be of type ints, a tuple of ints, or a list "
                               f"of ints, got {s}")
    common = [1] * max((len(s) for s in shapes), default=0)
    # Like torch, walk each shape from its last dim and report the first clash against
    # the common shape built from the shapes before it.
    for index, shape in enumerate(shapes):
        for d in range(-1, -len(shape) - 1, -1):
            size = shape[d]
            if size == common[d] or size == 1:
                continue
            if common[d] != 1:
                raise RuntimeError(f"Attempting to broadcast a dimension of length {size} at "
                                   f"{d}! Mismatching argument at index {index} had {shape}; "
                                   f"but expected shape should be broadcastable to {common}")
            if size < 0:
                raise ValueError("Attempting to broadcast a dimension with negative length!")
            common[d] = size
    return Size(common)


def repeat(input, *repeats):
    """Tile the tensor: ``x.repeat(2, 1)`` stacks two copies along dim 0."""
    if not repeats:
        raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
    repeats = _shape_arg(repeats, "repeat", "repeats")
    nd = input._data.ndim
    if len(repeats) < nd:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    data = input._data.reshape((1,) * (len(repeats) - nd) + input._data.shape)
    if any(r < 0 for r in repeats):
        sizes = [r * n for r, n in zip(repeats, data.shape)]
        if min(sizes) < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension "
                               f"{min(sizes)}: {sizes}")
        # a negative count along a dim of size 0 gives size 0, as in torch
        repeats = tuple(max(r, 0) for r in repeats)
    # (np.tile of all-1 counts copies in the input's memory order; torch's result is
    # C-ordered whatever the input's layout)
    result = _make(np.ascontiguousarray(np.tile(data, repeats)) if repeats else data.copy())
    node = record("RepeatBackward0", _repeat_backward, (input,), result)
    if node:
        node.repeats, node.padded = repeats, data.shape
    return result


def _repeat_backward(ctx, grad):
    # Split each dim into (repeat, size) and sum over the repeats.
    split = []
    for r, s in zip(ctx.repeats, ctx.padded):
        split += [r, s]
    if split:
        grad = grad.reshape(split).sum(tuple(range(0, len(split), 2)))
    return grad.reshape(ctx.input_meta[0][0])


def tile(input, *args, dims=None):
    """Repeat the whole tensor ``dims[i]`` times along each dim (``dims`` is padded
    with 1s in front to the tensor's dims): ``repeat`` that accepts fewer dims.

    >>> ember.tensor([1, 2]).tile(2)
    tensor([1, 2, 1, 2])
    """
    if args and dims is None:
        dims = _shape_arg(args, "tile", "dims")
    else:
        dims = as_shape((_dims_arg("tile", args, dims),), "tile", "dims")
    dims = (1,) * (input._data.ndim - len(dims)) + dims
    return repeat(input, dims)


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Repeat each element (or each slice along ``dim``) ``repeats`` times, in place
    (unlike ``repeat``, which repeats the whole tensor).

    >>> ember.tensor([1, 2]).repeat_interleave(2)
    tensor([1, 1, 2, 2])
    >>> ember.repeat_interleave(ember.tensor([1, 2]))    # indices repeated by count
    tensor([0, 1, 1])
    """
    if repeats is None:                 # repeat_interleave(counts)
        counts = input._data
        if counts.ndim != 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        _check_repeat_counts(counts)
        return _make(np.repeat(np.arange(counts.size, dtype=np.int64), counts))
    if dim is None:
        input, d = flatten(input), 0
    else:
        d = wrap_dim(dim, input._data.ndim, "repeat_interleave")
        if input._data.ndim == 0:
            input = reshape(input, 1)
    n = input._data.shape[d]
    if isinstance(repeats, Tensor):
        counts = repeats._data
        if counts.ndim > 1:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        if counts.dtype.kind not in "iu":
            raise NotImplementedError(f'"repeat_interleave_cpu" not implemented for '
                                      f"'{repeats.dtype.legacy_name[:-6]}'")
        if counts.size == 1:
            counts = np.broadcast_to(counts.reshape(()), (n,))
        elif counts.shape[0] != n:
            raise RuntimeError(f"repeats must have the same size as input along dim, but got "
                               f"repeats.size(0) = {counts.shape[0]} and input.size({d}) = {n}")
        _check_repeat_counts(counts)
        from .index import index_select
        return index_select(input, d, _make(np.repeat(np.arange(n, dtype=np.int64), counts)))
    repeats = int(repeats)
    if repeats < 0:
        raise RuntimeError("Repeats must be non-negative")
    # as torch: a contiguous copy of the expanded tensor, then a view that merges dims
    shape = list(input._data.shape)
    stretched = expand(unsqueeze(input, d + 1), *(shape[:d + 1] + [repeats] + shape[d + 1:]))
    return flatten(contiguous(stretched), d, d + 1)


def _check_repeat_counts(counts):
    if counts.dtype.kind not in "iu":
        raise NotImplementedError('"repeat_interleave_cpu" not implemented for this dtype')
    if (counts < 0).any():
        raise RuntimeError("repeats can not be negative")


# ---------------------------------------------------------- join and split
def _promoted(tensors, opname):
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{_type_name(t)}")
    dt = tensors[0].dtype
    for t in tensors[1:]:
        dt = _dtypes.promote_types(dt, t.dtype)
    return dt


def cat(tensors, dim=0, *, out=None):
    """Join tensors along an existing dim; dtypes are promoted as in ``+``.

    >>> ember.cat((ember.zeros(1, 2), ember.ones(1, 2)), dim=0).shape
    torch.Size([2, 2])
    """
    if out is None:
        arrays = _same_dtype_arrays(tensors)
        if arrays is not None:
            result = _cat_arrays(tensors, arrays, dim)
            if result is not None:
                return result
    if isinstance(tensors, (Tensor, str)) or not hasattr(tensors, "__iter__"):
        raise wrong_type("cat", "tensors", 1, "tuple of Tensors", tensors)
    tensors = list(tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    dt = _promoted(tensors, "cat")
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be "
                               "concatenated")
    # torch skips legacy empty 1-D tensors of shape (0,) when joining.
    keep = [i for i, t in enumerate(tensors) if not (t.ndim == 1 and t.shape[0] == 0)]
    if not keep:
        keep = [0]
    ref = tensors[keep[0]]
    d = wrap_dim(dim, ref.ndim, "cat")     # (no position in its TypeError: dim=1 is usual)
    for i in keep:
        p = tensors[i]
        if p.ndim != ref.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ref.ndim} and "
                               f"{p.ndim}")
        for k in range(ref.ndim):
            if k != d and p.shape[k] != ref.shape[k]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. "
                                   f"Expected size {ref.shape[k]} but got size {p.shape[k]} for "
                                   f"tensor number {i} in the list.")
    parts = [tensors[i] for i in keep]
    result = _make(np.concatenate([p._data.astype(dt.np, copy=False) for p in parts], axis=d))
    _mf.lay_out(result, _cat_strides(tensors, result._data.shape))
    node = record("CatBackward0", _cat_backward, tuple(tensors), result)
    if node:
        node.dim, node.keep = d, keep
        node.sizes = [p.shape[d] for p in parts]
    return _to_out(result, out, "cat")


def _first_plainly_c_ordered(first):
    """True if the array ``first`` (cat's first input) is C-ordered with no size-1 dims,
    so that torch reads C order off it (not channels-last): with a C-ordered join,
    torch's layout is C order then. (The lanes ask this only for a rank that allows a
    channels-last format, 4 or more.)"""
    return first.flags.c_contiguous and 1 not in first.shape


def _cat_strides(tensors, shape):
    """torch's strides for cat's result of ``shape``: laid out in the memory format all
    ``tensors`` suggest (channels_last for channels-last images), C order when they
    differ. NumPy's concatenate follows the inputs' order instead: transposed inputs
    gave an F-ordered result.

    >>> x = ember.ones(2, 3).T
    >>> ember.cat([x, x]).stride()
    (2, 1)
    """
    fmt = _mf.suggested_format(tensors[0])
    for t in tensors[1:]:
        if _mf.suggested_format(t) is not fmt:
            fmt = contiguous_format
            break
    if fmt is contiguous_format:
        return contiguous_strides(shape)
    return _mf._strides_in_order(shape, _mf._channels_last_order(fmt, len(shape)))


def _stack_strides(tensors, shape, d):
    """torch's strides for stack's result of ``shape`` (new dim ``d``): torch stacks
    by a cat along d and a view that splits that dim in two, or, for a new last dim,
    by a cat of the inputs unsqueezed there."""
    if d == len(shape) - 1:
        return _cat_strides([t.detach().unsqueeze(-1) for t in tensors], shape)
    cat_shape = shape[:d] + (shape[d] * shape[d + 1],) + shape[d + 2:]
    return _view_strides(cat_shape, _cat_strides(tensors, cat_shape), shape)


def _same_dtype_arrays(tensors):
    """The fast lane of cat and stack: the arrays of ``tensors`` (a list or tuple of
    two or more Tensors) when they share one dtype and are non-empty with at least
    one dim, so that nothing is promoted or skipped; else None (the full path)."""
    if type(tensors) not in (list, tuple) or len(tensors) < 2:
        return None
    arrays = []
    for t in tensors:
        if not isinstance(t, Tensor):
            return None
        arrays.append(t._data)
    dt = arrays[0].dtype
    for a in arrays:
        if a.dtype != dt or not a.size or not a.ndim:
            return None
    return arrays


def _cat_arrays(tensors, arrays, dim):
    """cat of the arrays of _same_dtype_arrays along a plain int ``dim``: what the
    full path gives (no dtype change, nothing skipped), or None where it has more to
    say (another dim type, an error: sizes or ranks that differ)."""
    nd = arrays[0].ndim
    if type(dim) is not int or not -nd <= dim < nd:
        return None
    d = dim % nd
    try:
        data = np.concatenate(arrays, axis=d)
    except ValueError:
        return None     # ranks or sizes differ: the full path says how, as torch does
    result = _make(data)
    # NumPy's join is C-ordered when its inputs are (their size-1 dims never reorder
    # its axes, so its own size-1 dims get C order's strides too): then it has
    # torch's layout unless a channels-last format could apply; _cat_strides decides
    # the rest (transposed inputs gave an F-ordered join)
    if not data.flags.c_contiguous or data.ndim > 3 and not _first_plainly_c_ordered(
            arrays[0]):
        _mf.lay_out(result, _cat_strides(tensors, data.shape))
    if _grad_state.enabled:
        node = record("CatBackward0", _cat_backward, tuple(tensors), result)
        if node:
            node.dim, node.keep = d, list(range(len(arrays)))
            node.sizes = [a.shape[d] for a in arrays]
    return result


def _cat_backward(ctx, grad):
    pieces = iter(grad.split(ctx.sizes, ctx.dim))
    out = []
    for i, meta in enumerate(ctx.input_meta):
        if i in ctx.keep:
            out.append(next(pieces))
        else:                   # a skipped empty (0,) tensor: an empty gradient
            out.append(_make(np.zeros(0, grad._data.dtype)))
    return tuple(out)


def _to_out(result, out, opname):
    if out is None:
        return result
    if not isinstance(out, Tensor):
        raise wrong_type(opname, "out", None, "Tensor", out)
    from .pointwise import _maybe_out
    return _maybe_out(result, out)


def _renamed_cat(fname):
    """cat under another of torch's names (concat, concatenate), whose TypeErrors name
    it."""
    def join(*args, **kwargs):
        try:
            return cat(*args, **kwargs)
        except TypeError as error:
            raise TypeError(re.sub(r"^cat\(\)", f"{fname}()", str(error))) from None
    join.__name__ = join.__qualname__ = fname
    join.__doc__ = f"cat, by the name {fname}."
    return join


concat, concatenate = _renamed_cat("concat"), _renamed_cat("concatenate")


def stack(tensors, dim=0, *, out=None):
    """Join tensors of equal shape along a new dim.

    >>> ember.stack([ember.zeros(3), ember.ones(3)], dim=1).shape
    torch.Size([3, 2])
    """
    if out is None:
        arrays = _same_dtype_arrays(tensors)
        if arrays is not None:
            result = _stack_arrays(tensors, arrays, dim)
            if result is not None:
                return result
    if isinstance(tensors, (Tensor, str)) or not hasattr(tensors, "__iter__"):
        raise wrong_type("stack", "tensors", 1, "tuple of Tensors", tensors)
    tensors = list(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    dt = _promoted(tensors, "stack")
    shape = tensors[0].shape
    d = wrap_dim(dim, len(shape) + 1, "stack")     # (as cat's)
    for i, t in enumerate(tensors):
        if t.shape != shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{list(shape)} at entry 0 and {list(t.shape)} at entry {i}")
    result = _make(np.stack([t._data.astype(dt.np, copy=False) for t in tensors], axis=d))
    _mf.lay_out(result, _stack_strides(tensors, result._data.shape, d))
    node = record("StackBackward0", _stack_backward, tuple(tensors), result)
    if node:
        node.dim = d
    return _to_out(result, out, "stack")


def _stack_arrays(tensors, arrays, dim):
    """stack of the arrays of _same_dtype_arrays (all of one shape) along a plain int
    ``dim``, or None for the full path. What np.stack does, less its checks: each
    array gets the new dim by indexing with None, then one concatenate."""
    shape = arrays[0].shape
    nd = len(shape) + 1
    if type(dim) is not int or not -nd <= dim < nd:
        return None
    for a in arrays:
        if a.shape != shape:
            return None
    d = dim % nd
    key = (slice(None),) * d + (None,)
    data = np.concatenate([a[key] for a in arrays], axis=d)
    result = _make(data)
    if not data.flags.c_contiguous or data.ndim > 3 and not _first_plainly_c_ordered(
            arrays[0]):             # (as in cat's lane)
        _mf.lay_out(result, _stack_strides(tensors, data.shape, d))
    if _grad_state.enabled:
        node = record("StackBackward0", _stack_backward, tuple(tensors), result)
        if node:
            node.dim = d
    return result


def _stack_backward(ctx, grad):
    return grad.unbind(ctx.dim)


def hstack(tensors, *, out=None):
    """cat along dim 1 (dim 0 for 1-d tensors; 0-dim ones count as 1-d)."""
    tensors = [t.reshape(1) if t.ndim == 0 else t for t in _tensor_list(tensors, "hstack", out)]
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1, out=out)


def vstack(tensors, *, out=None):
    """cat along dim 0, 0-dim and 1-d tensors taken as rows."""
    tensors = _tensor_list(tensors, "vstack", out)
    return cat([t.reshape(1, -1) if t.ndim < 2 else t for t in tensors], 0, out=out)


def _tensor_list(tensors, opname, out=None):
    """``tensors`` (a list or tuple of Tensors) as a list, with torch's errors (for an
    ``out=`` that is no Tensor too: the joins that end in cat would name cat)."""
    if out is not None and not isinstance(out, Tensor):
        raise wrong_type(opname, "out", None, "Tensor", out)
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{opname}(): argument 'tensors' (position 1) must be tuple of "
                        f"Tensors, not {_type_name(tensors)}")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{_type_name(t)}")
    if not tensors:
        raise RuntimeError(f"{opname} expects a non-empty TensorList")
    return list(tensors)


def dstack(tensors, *, out=None):
    """cat along dim 2 (depth), each tensor first made at least 3-d (atleast_3d).

    >>> ember.dstack([ember.zeros(2, 3), ember.ones(2, 3)]).shape
    torch.Size([2, 3, 2])
    """
    tensors = _tensor_list(tensors, "dstack", out)
    return cat([_at_least(t, 3) for t in tensors], 2, out=out)


def column_stack(tensors, *, out=None):
    """cat along dim 1, 0-d and 1-d tensors taken as columns (n, 1).

    >>> ember.column_stack([ember.zeros(3), ember.ones(3, 2)]).shape
    torch.Size([3, 3])
    """
    tensors = _tensor_list(tensors, "column_stack", out)
    return cat([t.reshape(t.numel(), 1) if t.ndim <= 1 else t for t in tensors], 1, out=out)


# ------------------------------------------------------------- atleast_nd
def _at_least(t, n):
    """``t`` with at least ``n`` dims (n = 1, 2, 3) as torch's atleast_nd: the tensor
    itself if it has them, else a view (a 0-d tensor reshaped, a 1-d one made a row
    (1, k) and, for 3 dims, (1, k, 1); a matrix gets a last dim of size 1)."""
    nd = t._data.ndim
    if nd >= n:
        return t
    if nd == 0:
        return reshape(t, (1,) * n)
    if nd == 1:
        t = unsqueeze(t, 0)
        return unsqueeze(t, -1) if n == 3 else t
    return unsqueeze(t, -1)


def _atleast(n, tensors):
    opname = f"atleast_{n}d"
    if len(tensors) == 1:       # one argument: a tensor, or a sequence of them
        tensors = tensors[0]
        if isinstance(tensors, Tensor):
            return _at_least(tensors, n)
        if not isinstance(tensors, (list, tuple)):
            raise TypeError(
                f"{opname}() received an invalid combination of arguments - got "
                f"({_type_name(tensors)}), but expected one of:\n * (Tensor input)\n"
                f" * (tuple of Tensors tensors)\n")
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{_type_name(t)}")
    return tuple(_at_least(t, n) for t in tensors)


def atleast_1d(*tensors):
    """Each tensor with at least one dim: a 0-d one as a view of shape (1,), the others
    as they are. One tensor gives a tensor, several (or a sequence) a tuple.

    >>> ember.atleast_1d(ember.tensor(1.))
    tensor([1.])
    """
    return _atleast(1, tensors)


def atleast_2d(*tensors):
    """Each tensor with at least two dims (a view): 0-d as (1, 1), 1-d as a row (1, k).

    >>> ember.atleast_2d(ember.arange(3)).shape
    torch.Size([1, 3])
    """
    return _atleast(2, tensors)


def atleast_3d(*tensors):
    """Each tensor with at least three dims (a view): 0-d as (1, 1, 1), 1-d (k,) as
    (1, k, 1), 2-d (m, k) as (m, k, 1).

    >>> ember.atleast_3d(ember.zeros(2, 3)).shape
    torch.Size([2, 3, 1])
    """
    return _atleast(3, tensors)


# ------------------------------------------------------------------ rot90
def _rot90_dims(dims, position):
    if not isinstance(dims, (list, tuple)):
        raise TypeError(f"rot90(): argument 'dims' (position {position}) must be tuple of "
                        f"ints, not {_type_name(dims)}")
    out = []
    for i, d in enumerate(dims):
        if type(d) is int or not isinstance(d, (bool, np.bool_)) and hasattr(d, "__index__"):
            out.append(int(d))
        elif i == 0:    # (torch checks the first element's type, then unpacks the rest)
            raise TypeError(f"rot90(): argument 'dims' (position {position}) must be tuple of "
                            f"ints, but found element of type {_type_name(d)} at pos 0")
        else:
            raise TypeError(f"rot90(): argument 'dims' failed to unpack the object at pos "
                            f"{i + 1} with error \"type must be tuple of ints,but "
                            f"got {_type_name(d)}\"")
    return out


def rot90(input, k=1, dims=(0, 1), *, _method=False):
    """Rotate by 90 degrees ``k`` times in the plane of ``dims``, from the first dim
    towards the second (a copy, as in torch).

    >>> ember.tensor([[1, 2], [3, 4]]).rot90()
    tensor([[2, 4],
            [1, 3]])
    """
    position = 1 if _method else 2
    if isinstance(k, (bool, np.bool_)) or not hasattr(k, "__index__"):
        raise TypeError(f"rot90(): argument 'k' (position {position}) must be int, not "
                        f"{_type_name(k)}")
    k = int(k)
    dims = _rot90_dims(dims, position + 1)
    nd = input._data.ndim
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if nd < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {nd}")
    a, b = wrap_dim(dims[0], nd), wrap_dim(dims[1], nd)
    if a == b:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {dims[0]} "
                           f"and dim1 = {dims[1]}")
    data, turns = input._data, k % 4
    # torch's layout: a flipped copy keeping the input's memory order, then (k odd) a
    # transposed look at it; k = 0 is a C-ordered copy
    if turns == 0:
        array = np.array(data, order="C", copy=True)
    elif turns == 2:
        array = np.flip(data, (a, b)).copy(order="K")
    else:
        array = np.flip(data, b if turns == 1 else a).copy(order="K").swapaxes(a, b)
    result = _make(array)
    node = record("Rot90Backward0", _rot90_backward, (input,), result)
    if node:
        node.k, node.dims = k, (a, b)
    return result


def _rot90_backward(ctx, grad):
    return rot90(grad, -ctx.k, ctx.dims)


def _rot90_method(self, k=1, dims=(0, 1)):
    return rot90(self, k, dims, _method=True)


def _slice_views(input, dim, bounds, name, multi=None):
    """Views input[..., a:b, ...] along dim for each (a, b): the pieces of split/chunk.

    ``multi`` names the op for pieces of a multi-output view op: torch forbids
    writing to those in place while autograd records (see index._check_multi_view).
    """
    out = []
    for i, (a, b) in enumerate(bounds):
        key = (slice(None),) * dim + (slice(a, b), Ellipsis)
        piece = make_view(input, input._data[key], index_layout, key)
        if multi:
            piece._extras()["multi_view"] = (i, multi)
        node = record(name, _embed_backward, (input,), piece)
        if node:
            node.key = key
        out.append(piece)
    return tuple(out)


def _embed_backward(ctx, grad):
    """Gradient of a piece of the input: zeros everywhere else."""
    return embed(grad, tuple(ctx.input_meta[0][0]), ctx.key)


def split(tensor, split_size_or_sections, dim=0):
    """Split into pieces of a given size (the last may be smaller) or of given sizes;
    the pieces are views.

    >>> [p.tolist() for p in ember.arange(5).split(2)]
    [[0, 1], [2, 3], [4]]
    """
    if not isinstance(tensor, Tensor):
        # torch's split is Python that calls tensor.split(...) whatever tensor is: a str's
        # own split refuses the int ("must be str or None, not int"), a list has none
        return tensor.split(split_size_or_sections, dim)
    _check_not_0d(tensor, "split")
    d = wrap_dim(dim, tensor._data.ndim, "split")
    n = tensor._data.shape[d]
    if isinstance(split_size_or_sections, Tensor) and not split_size_or_sections._data.ndim:
        split_size_or_sections = int_arg(split_size_or_sections, "split", "split_size")
    if isinstance(split_size_or_sections, (int, np.integer)):
        size = int(split_size_or_sections)
        if size < 0:
            raise RuntimeError(f"split expects split_size be non-negative, but got "
                               f"split_size={size}")
        if size == 0 and n > 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                               f"dimension size of {n}")
        starts = range(0, n, size) if size > 0 else [0]
        bounds = [(a, min(a + size, n)) for a in starts] or [(0, 0)]
        name = "SplitBackward0"
    else:
        # (torch's Python split hands these to split_with_sizes, as its 2nd argument)
        error = int_list_error("split_with_sizes", "split_sizes", (split_size_or_sections,),
                               2, varargs=False)
        if error is not None:
            raise error
        sizes = list(int_list_arg(split_size_or_sections, "split_with_sizes", "split_sizes"))
        if any(s < 0 for s in sizes):
            raise RuntimeError(f"split_with_sizes expects split_sizes have only non-negative "
                               f"entries, but got split_sizes={sizes}")
        if sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} "
                               f"(input tensor's size at dimension {d}), but got "
                               f"split_sizes={sizes}")
        offsets = np.cumsum([0] + sizes).tolist()
        bounds = list(zip(offsets[:-1], offsets[1:]))
        name = "SplitWithSizesBackward0"
    return _slice_views(tensor, d, bounds, name, multi=name[:-len("Backward0")])


def chunk(input, chunks=_MISSING, dim=0, *extra):
    """Split into ``chunks`` pieces of equal size (the last may be smaller, and there
    may be fewer pieces than asked for, as in torch)."""
    try:
        if extra:
            raise TypeError
        chunks = int_arg(chunks, "chunk", "chunks")
        _check_not_0d(input, "chunk")
        if chunks <= 0:
            raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
        d = wrap_dim(dim, input._data.ndim, "chunk")
    except TypeError as error:
        raise _int_args_error(error, "chunk", ("chunks", "dim"), (chunks, dim), extra) from None
    n = input._data.shape[d]
    if n == 0:
        return _slice_views(input, d, [(0, 0)] * chunks, "SplitWithSizesBackward0",
                            multi="SplitWithSizes")
    return split(input, -(-n // chunks), d)


def _check_tensor_split_call(input, split, dim, first):
    """torch's invalid combination for tensor_split arguments none of its three
    signatures takes (a str for the sections, a dim that is no int, an input that is
    no Tensor); nothing if they pass after all (a NumPy int dim)."""
    if isinstance(input, Tensor) and hasattr(type(dim), "__index__") and not isinstance(dim, (bool, np.bool_)) and \
            isinstance(split, (int, np.integer, Tensor, tuple, list)) and \
            not isinstance(split, (bool, np.bool_)):
        return
    given = [split] if dim == 0 and type(dim) is int else [split, dim]
    signatures = ["(tuple of ints indices, int dim = 0)",
                  "(Tensor tensor_indices_or_sections, int dim = 0)",
                  "(int sections, int dim = 0)"]
    if first != 1:
        given = [input] + given
        signatures = [sig.replace("(", "(Tensor input, ") for sig in signatures]
    raise invalid_combination("tensor_split", given, {}, signatures)


def tensor_split(input, indices_or_sections, dim=0, *, _first=1):
    """Split into ``k`` nearly equal pieces, or at the given indices; the pieces are
    plain slices (views that may be written in place, unlike split's).

    >>> [p.tolist() for p in ember.arange(5).tensor_split(2)]
    [[0, 1, 2], [3, 4]]
    """
    if not isinstance(input, Tensor):
        _check_tensor_split_call(input, indices_or_sections, dim, 2)
    _check_not_0d(input, "tensor_split", text="tensor_split expected at least a "
                  "1-dimensional tensor, but got a tensor with 0 dims")
    split = indices_or_sections
    if type(dim) is not int or not isinstance(split, (int, np.integer, Tensor, tuple, list)) \
            or isinstance(split, (bool, np.bool_)):
        _check_tensor_split_call(input, split, dim, _first)
    d = wrap_dim(dim, input._data.ndim, "tensor_split")
    n = input._data.shape[d]
    if isinstance(split, Tensor):       # a 0-dim tensor: sections; a 1-d one: indices
        split = split.item() if split._data.ndim == 0 else split.tolist()
    if isinstance(split, (int, np.integer)):
        k = int_arg(split, "tensor_split", "sections")
        if k <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {k}")
        sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
        offsets = np.cumsum([0] + sizes).tolist()
        bounds = list(zip(offsets[:-1], offsets[1:]))
    else:
        if not isinstance(split, (tuple, list)):
            raise TypeError(f"tensor_split(): argument 'indices' must be tuple of ints, not "
                            f"{_type_name(split)}")
        cuts = [None, *int_list_arg(split, "tensor_split", "indices"), None]
        # each piece is the Python slice x[a:b] between neighbouring indices (negative
        # ones count from the end, as in torch), empty where b comes before a
        bounds = []
        for a, b in zip(cuts[:-1], cuts[1:]):
            start, stop, _ = slice(a, b).indices(n)
            bounds.append((start, max(start, stop)))
    return _slice_views(input, d, bounds, "SliceBackward0")


def unbind(input, dim=0, *extra):
    """The slices along ``dim`` as a tuple of views."""
    if extra:
        raise TypeError(f"unbind() takes from 0 to 1 positional arguments but {1 + len(extra)} "
                        f"were given")
    _check_not_0d(input, "unbind", IndexError,
                  "Dimension specified as 0 but tensor has no dimensions")
    try:
        d = wrap_dim(dim, input._data.ndim, "unbind")
    except TypeError as error:
        raise with_positions(error, ("dim",)) from None
    out = []
    for i in range(input._data.shape[d]):
        key = (slice(None),) * d + (i, Ellipsis)
        piece = make_view(input, input._data[key], index_layout, key)
        piece._extras()["multi_view"] = (i, "Unbind")
        node = record("UnbindBackward0", _embed_backward, (input,), piece)
        if node:
            node.key = key
        out.append(piece)
    return tuple(out)


def narrow(input, dim=_MISSING, start=_MISSING, length=_MISSING, *extra, _first=1):
    """The view ``input[..., start:start + length, ...]`` along dim."""
    try:
        if extra or type(input) is not Tensor and not isinstance(input, Tensor):
            raise TypeError
        _check_not_0d(input, "narrow", text="narrow() cannot be applied to a 0-dim tensor.")
        d = wrap_dim(dim, input._data.ndim, "narrow")
        n = input._data.shape[d]
        start, length = int_arg(start, "narrow", "start"), int_arg(length, "narrow", "length")
    except TypeError:
        # (narrow has two signatures, a Tensor start or an int one: its invalid combination)
        given = [a for a in (dim, start, length, *extra) if a is not _MISSING]
        signatures = ["(int dim, Tensor start, int length)", "(int dim, int start, int length)"]
        if _first != 1:
            given = [input] + given
            signatures = [sig.replace("(", "(Tensor input, ") for sig in signatures]
        raise invalid_combination("narrow", given, {}, signatures) from None
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if not -n <= start <= n:
        raise IndexError(f"start out of range (expected to be in range of [{-n}, {n}], but got "
                         f"{start})")
    if start < 0:
        start += n
    if start + length > n:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    return _slice_views(input, d, [(start, start + length)], "SliceBackward0")[0]


def select(input, dim=_MISSING, index=_MISSING, *extra):
    """The view ``input[..., index, ...]`` along dim (that dim is removed)."""
    try:
        if extra:
            raise TypeError
        _check_not_0d(input, "select", IndexError,
                      "select() cannot be applied to a 0-dim tensor.")
        d = wrap_dim(dim, input._data.ndim, "select")
        n = input._data.shape[d]
        index = int_arg(index, "select", "index")
    except TypeError as error:
        raise _int_args_error(error, "select", ("dim", "index"), (dim, index), extra) from None
    if not -n <= index < n:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(input.shape)} at dimension {d}")
    key = (slice(None),) * d + (index, Ellipsis)
    result = make_view(input, input._data[key], index_layout, key)
    node = record("SelectBackward0", _embed_backward, (input,), result)
    if node:
        node.key = key
    return result


# --------------------------------------------------------- triangular etc.
def tril(input, diagonal=0):
    """Lower triangle (the rest zeroed) of the last two dims."""
    if type(diagonal) is not int:
        diagonal = _int_at(diagonal, "tril", "diagonal", 1)
    if input._data.ndim < 2:
        raise RuntimeError("tril: input tensor must have at least 2 dimensions")
    result = _make(np.ascontiguousarray(np.tril(input._data, diagonal)))     # (C order, as torch)
    node = record("TrilBackward0", lambda ctx, g: g.tril(ctx.k), (input,), result)
    if node:
        node.k = diagonal
    return result


def triu(input, diagonal=0):
    """Upper triangle (the rest zeroed) of the last two dims."""
    if type(diagonal) is not int:
        diagonal = _int_at(diagonal, "triu", "diagonal", 1)
    if input._data.ndim < 2:
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")
    result = _make(np.ascontiguousarray(np.triu(input._data, diagonal)))     # (C order, as torch)
    node = record("TriuBackward0", lambda ctx, g: g.triu(ctx.k), (input,), result)
    if node:
        node.k = diagonal
    return result


def diagonal(input, offset=0, dim1=0, dim2=1):
    """The diagonal of the (dim1, dim2) planes, as a writable view; it becomes the
    last dim.

    >>> ember.arange(9).reshape(3, 3).diagonal(1)
    tensor([1, 5])
    """
    nd = input._data.ndim
    if type(offset) is not int:
        offset = _int_at(offset, "diagonal", "offset", 1)
    a, b = wrap_dim(dim1, nd, "diagonal", "dim1"), wrap_dim(dim2, nd, "diagonal", "dim2")
    if a == b:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    result = make_view(input, _diagonal_array(input._data, offset, a, b), _diagonal_layout,
                       (offset, a, b))
    node = record("DiagonalBackward0", _diagonal_backward, (input,), result)
    if node:
        node.args = (offset, a, b)
    return result


def _diagonal_array(arr, offset, a, b):
    n1, n2 = arr.shape[a], arr.shape[b]
    length = max(min(n1, n2 - offset) if offset >= 0 else min(n1 + offset, n2), 0)
    key = [slice(None)] * arr.ndim
    if length:
        key[a], key[b] = (slice(0, None), slice(offset, None)) if offset >= 0 else \
            (slice(-offset, None), slice(0, None))
    sub = arr[tuple(key)]
    others = [i for i in range(arr.ndim) if i not in (a, b)]
    shape = tuple(sub.shape[i] for i in others) + (length,)
    strides = tuple(sub.strides[i] for i in others) + (sub.strides[a] + sub.strides[b],)
    return np_as_strided(sub, shape, strides, writeable=arr.flags.writeable)


def _diagonal_backward(ctx, grad):
    offset, a, b = ctx.args
    shape = tuple(ctx.input_meta[0][0])
    positions = _diagonal_array(np.arange(int(np.prod(shape))).reshape(shape), offset, a, b)
    n = int(np.prod(shape))
    return embed(grad, (n,), (np.array(positions),)).reshape(shape)


def diag(input, diagonal=0):
    """A 1-d tensor's diagonal matrix, or a copy of a 2-d tensor's diagonal (not a view:
    writing to it leaves the matrix alone, as in torch)."""
    if type(diagonal) is not int:
        diagonal = _int_at(diagonal, "diag", "diagonal", 1)
    if input.ndim not in (1, 2):
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.ndim}D")
    if input.ndim == 1:
        n = input.shape[0] + builtins_abs(diagonal)
        from .creation import zeros
        out = zeros(n, n, dtype=input.dtype)
        idx = np.arange(input.shape[0])
        rows, cols = (idx, idx + diagonal) if diagonal >= 0 else (idx - diagonal, idx)
        return out.index_put((_make(rows), _make(cols)), input)
    return input.diagonal(diagonal).clone()


builtins_abs = abs


def contiguous(input, memory_format=contiguous_format):
    """``input`` itself if its memory is already in ``memory_format``'s order (C order
    by default), else a copy in that order (recorded as CloneBackward0).

    >>> ember.arange(6.).reshape(2, 3).t().contiguous().stride()
    (2, 1)
    """
    fmt = check_format("contiguous", memory_format, none_means_preserve=False)
    if is_contiguous_as(input, fmt):         # (preserve_format reads as C order here)
        return input
    if fmt is preserve_format:
        raise RuntimeError("preserve memory format is unsupported by the contiguous operator")
    return input.clone(memory_format=fmt)


# ------------------------------------------------- hsplit, vsplit, dsplit, ...
def row_stack(tensors):
    """torch's alias of :func:`vstack`: cat along dim 0, 0-dim and 1-d tensors as rows.

    >>> ember.row_stack([ember.zeros(3), ember.ones(3)]).shape
    torch.Size([2, 3])
    """
    return vstack(tensors)


def split_with_sizes(input, split_sizes, dim=0, *, _method=False):
    """Split into pieces of the given sizes along ``dim`` (they must sum to its size);
    the pieces are views, as split's.

    >>> [p.tolist() for p in ember.arange(5).split_with_sizes([1, 4])]
    [[0], [1, 2, 3, 4]]
    """
    sizes = _int_tuple(split_sizes, "split_with_sizes", "split_sizes", 1 if _method else 2)
    return split(input, list(sizes), dim)


def _split_with_sizes_method(self, split_sizes, dim=0):
    return split_with_sizes(self, split_sizes, dim, _method=True)


def _directional_split(input, sections_or_indices, opname, min_dims, method):
    """hsplit, vsplit and dsplit: tensor_split along one dim (1 for hsplit, 0 for a 1-d
    tensor; 0 for vsplit; 2 for dsplit), where a number of sections must divide it."""
    arg = sections_or_indices
    is_int = isinstance(arg, (int, np.integer)) and not isinstance(arg, (bool, np.bool_))
    is_list = isinstance(arg, (tuple, list)) and all(
        isinstance(i, (int, np.integer)) and (k or not isinstance(i, (bool, np.bool_)))
        for k, i in enumerate(arg))
    if not (is_int or is_list):
        raise _directional_type_error(opname, arg, method)
    nd = input._data.ndim
    if nd < min_dims:
        raise RuntimeError(f"torch.{opname} requires a tensor with at least {min_dims} "
                           f"dimension, but got a tensor with {nd} dimensions!")
    dim = {"hsplit": 1 if nd > 1 else 0, "vsplit": 0, "dsplit": 2}[opname]
    if is_int:
        sections, n = int(arg), input._data.shape[dim]
        # (torch's C++ remainder: n % |sections| for n >= 0, and 0 never divides)
        if sections == 0 or n % abs(sections):
            raise RuntimeError(f"torch.{opname} attempted to split along dimension {dim}, but "
                               f"the size of the dimension {n} is not divisible by the "
                               f"split_size {sections}!")
        return tensor_split(input, sections, dim)
    return tensor_split(input, list(arg), dim)


def _directional_type_error(opname, arg, method):
    """torch's TypeError for hsplit/vsplit/dsplit given neither an int nor ints."""
    got = _type_name(arg)
    shown = got
    if isinstance(arg, (tuple, list)):
        kinds = sorted({_type_name(i) for i in arg})
        shown = f"{got} of [{', '.join(kinds)}]"
    inp, inp_shown = ("", "") if method else ("Tensor input, ", "Tensor, ")
    given = got if method else f"Tensor, {got}"
    return TypeError(
        f"{opname}() received an invalid combination of arguments - got ({given}), but "
        f"expected one of:\n * ({inp}int sections)\n      didn't match because some of the "
        f"arguments have invalid types: ({inp_shown}!{shown}!)\n * ({inp}tuple of ints "
        f"indices)\n      didn't match because some of the arguments have invalid types: "
        f"({inp_shown}!{shown}!)\n")


def hsplit(input, indices_or_sections=None, *, sections=None, indices=None):
    """tensor_split along dim 1 (dim 0 of a 1-d tensor): ``k`` equal pieces (``k`` must
    divide the dim) or pieces cut at the given indices; the pieces are views.

    >>> [p.shape for p in ember.zeros(2, 4).hsplit(2)]
    [torch.Size([2, 2]), torch.Size([2, 2])]
    """
    return _directional_split(input, _split_arg(indices_or_sections, sections, indices),
                              "hsplit", 1, False)


def vsplit(input, indices_or_sections=None, *, sections=None, indices=None):
    """tensor_split along dim 0 of a tensor of at least 2 dims (see hsplit).

    >>> [p.shape for p in ember.zeros(4, 2).vsplit([1])]
    [torch.Size([1, 2]), torch.Size([3, 2])]
    """
    return _directional_split(input, _split_arg(indices_or_sections, sections, indices),
                              "vsplit", 2, False)


def dsplit(input, indices_or_sections=None, *, sections=None, indices=None):
    """tensor_split along dim 2 (depth) of a tensor of at least 3 dims (see hsplit).

    >>> [p.shape for p in ember.zeros(1, 2, 4).dsplit(2)]
    [torch.Size([1, 2, 2]), torch.Size([1, 2, 2])]
    """
    return _directional_split(input, _split_arg(indices_or_sections, sections, indices),
                              "dsplit", 3, False)


def _split_arg(positional, sections, indices):
    """The one of hsplit's ``indices_or_sections``, ``sections=`` and ``indices=`` given
    (torch names the keyword by what it holds)."""
    given = [a for a in (positional, sections, indices) if a is not None]
    return given[0] if len(given) == 1 else None


def _directional_method(opname, min_dims):
    def method(self, indices_or_sections=None, *, sections=None, indices=None):
        return _directional_split(self, _split_arg(indices_or_sections, sections, indices),
                                  opname, min_dims, True)
    method.__name__ = method.__qualname__ = opname
    return method


# ------------------------------------------------- narrow_copy, sum_to_size
def narrow_copy(input, dim, start, length):
    """``narrow(input, dim, start, length)`` as a new C-ordered tensor (not a view).

    >>> ember.arange(5).narrow_copy(0, 1, 2)
    tensor([1, 2])
    """
    _check_not_0d(input, "narrow", text="narrow() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, input._data.ndim, "narrow_copy")
    n = input._data.shape[d]
    start = int_arg(start, "narrow_copy", "start")
    length = int_arg(length, "narrow_copy", "length")
    if not -n <= start <= n:
        raise IndexError(f"start out of range (expected to be in range of [{-n}, {n}], but got "
                         f"{start})")
    if start < 0:
        start += n
    if length < 0 or start + length > n:      # (torch checks both at once, one message)
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({n}).")
    key = (slice(None),) * d + (slice(start, start + length), Ellipsis)
    result = _make(np.ascontiguousarray(input._data[key]))
    node = record("NarrowCopyBackward0", _embed_backward, (input,), result)
    if node:
        node.key = key
    return result


def sum_to_size(self, *size):
    """Sum ``self`` down to ``size``, a shape that expands to ``self``'s: the backward of
    broadcasting (``self`` itself if it has that shape already).

    >>> ember.ones(2, 3).sum_to_size(1, 3)
    tensor([[2., 2., 2.]])
    """
    if not size:
        raise TypeError('sum_to_size() missing 1 required positional arguments: "size"')
    size = _at_position(as_shape, 1, size, "sum_to_size", "size")
    shape = self._data.shape
    lead = len(shape) - len(size)
    if lead < 0 or any(s != n and s != 1 for s, n in zip(size, shape[lead:])):
        raise RuntimeError(f"size {{{list(size)}}} is not expandable to size {{{list(shape)}}}.")
    if size == shape:
        return self
    if not size:
        return self.sum()       # (torch's node for it: SumBackward0)
    dims = tuple(range(lead)) + tuple(
        i + lead for i, s in enumerate(size) if s == 1 and shape[i + lead] != 1)
    result = self.sum(dims, keepdim=True) if dims else self
    return result.view(size) if lead else result


# ---------------------------------------------------------------- unfold
def unfold(self, dimension, size, step):
    """Every slice of length ``size`` along ``dimension``, ``step`` apart, as a new last
    dim (a view: ``dimension`` shrinks to the number of slices).

    >>> ember.arange(5).unfold(0, 2, 2)
    tensor([[0, 1],
            [2, 3]])
    """
    dimension = _int_at(dimension, "unfold", "dimension", 1)
    size, step = _int_at(size, "unfold", "size", 2), _int_at(step, "unfold", "step", 3)
    arr = self._data
    nd = arr.ndim
    d = _wrap_dim(dimension, nd)
    n = arr.shape[d] if nd else 1
    if size > n:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {n} but size is {size}")
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    count = (n - size) // step + 1
    if nd:
        shape = arr.shape[:d] + (count,) + arr.shape[d + 1:] + (size,)
        strides = self.stride()
        new_strides = strides[:d] + (strides[d] * step,) + strides[d + 1:] + (strides[d],)
    else:           # a 0-dim tensor reads as one of a single element
        shape, new_strides = (size,), (1,)
    item = arr.itemsize
    array = np_as_strided(arr, shape, [s * item for s in new_strides],
                       writeable=arr.flags.writeable)
    result = make_view(self, array, _given_layout, (new_strides, self.storage_offset()))
    node = _record_view("UnfoldBackward0", _unfold_backward, self, result)
    if node:
        node.args = (d if nd else None, size, step)
    return result


def _unfold_backward(ctx, grad):
    # each element of the input gets the sum of the gradients of the windows it is in
    d, size, step = ctx.args
    shape = tuple(ctx.input_meta[0][0])
    n = prod(shape)
    positions = np.arange(n, dtype=np.int64).reshape(shape)
    if d is None:       # (a 0-dim input: its one element, size times at most)
        positions = positions.reshape(1)[:size]
    else:
        positions = np.array(unfold(_make(positions), d, size, step)._data)
    return embed(grad, (n,), (positions,)).reshape(shape)


def _zeros_like_input(grad, shape):
    return _make(np.zeros(shape, grad._data.dtype))


def _given_layout(shape, strides, offset, new_shape, arg):
    # the op computed torch's strides and offset itself (unfold, as_strided)
    return arg


# ---------------------------------------------------------- as_strided
def _storage(t):
    """(memory, offset): a 1-d array over the storage ``t`` looks at, as torch counts
    it (a resize_ or as_strided_ keeps the storage a tensor had), and ``t``'s storage
    offset in it. Without such a record the storage is the memory ``t``'s root tensor
    spans (reaching back over its own storage offset, for the alias of a view that
    detach() gives)."""
    root = t if t._base is None else t._base
    offset = t.storage_offset()
    kept = root._extra.get("storage") if root._extra else None
    if kept is not None and _within(root._data, kept):
        return kept, offset
    data = root._data
    item = data.itemsize
    if not data.size:
        return np.empty(0, data.dtype), offset
    flat = _span(data)
    root_offset = root.storage_offset()
    if root_offset:
        owner = data
        while isinstance(owner.base, np.ndarray):
            owner = owner.base
        whole = _span(owner)
        start = _address(flat) - root_offset * item - _address(whole)
        if start >= 0:
            flat = whole[start // item:]
    return flat, offset


def _address(array):
    return array.__array_interface__["data"][0]


def _span(array):
    """A 1-d array over the memory ``array``'s elements span, lowest address first."""
    # (slices, not ints: an int key would give a copy of the element, not a view)
    lowest = array[tuple(slice(n - 1, n) if s < 0 else slice(0, 1)
                         for n, s in zip(array.shape, array.strides))] if array.ndim else array
    reach = 1 + sum((n - 1) * abs(s) for n, s in zip(array.shape, array.strides)) \
        // array.itemsize
    return np_as_strided(lowest, (reach,), (array.itemsize,), writeable=array.flags.writeable)


def _within(array, flat):
    """True if ``array``'s memory lies inside ``flat``'s."""
    if not array.size:
        return True
    start, end = _address(flat), _address(flat) + flat.nbytes
    lo = _address(_span(array))
    return start <= lo and lo + _span(array).nbytes <= end


def _as_strided_args(size, stride, storage_offset, fname, method):
    pos = 1 if method else 2
    size = _int_tuple(size, fname, "size", pos)
    stride = _int_tuple(stride, fname, "stride", pos + 1)
    if storage_offset is not None:
        storage_offset = _int_at(storage_offset, fname, "storage_offset", pos + 2)
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    if any(s < 0 for s in stride):
        raise RuntimeError(f"as_strided: Negative strides are not supported at the moment, got "
                           f"strides: {list(stride)}")
    if any(n < 0 for n in size):
        raise RuntimeError(f"Storage size calculation overflowed with sizes={list(size)} and "
                           f"strides={list(stride)}")
    return size, stride, storage_offset


def _int_tuple(value, fname, name, pos):
    if isinstance(value, Tensor) or not isinstance(value, (tuple, list)):
        raise TypeError(f"{fname}(): argument '{name}' (position {pos}) must be tuple of ints, "
                        f"not {_type_name(value)}")
    return _at_position(int_list_arg, pos, value, fname, name)


def _int_at(value, fname, name, pos):
    """int_arg, its TypeError naming the argument's position as torch's does."""
    if type(value) is int:
        return value
    return _at_position(int_arg, pos, value, fname, name)


def _at_position(parse, pos, value, fname, name):
    """``parse(value, fname, name)``, a TypeError from it naming position ``pos``."""
    try:
        return parse(value, fname, name)
    except TypeError as error:
        raise TypeError(str(error).replace(f"'{name}' must", f"'{name}' (position {pos}) must")) \
            from None


def as_strided(input, size, stride, storage_offset=None, *, _method=False, _inplace=False):
    """A view of ``input``'s storage with the given ``size``, ``stride`` (in elements)
    and ``storage_offset`` (``input``'s by default), wherever in the storage that
    reaches. Elements may repeat (a stride of 0, overlapping windows).

    >>> ember.arange(6.).as_strided((2, 2), (1, 2), 1)
    tensor([[1., 3.],
            [2., 4.]])
    """
    fname = "as_strided_" if _inplace else "as_strided"
    size, stride, offset = _as_strided_args(size, stride, storage_offset, fname,
                                            _method or _inplace)
    flat, own_offset = _storage(input)
    if offset is None:
        offset = own_offset
    if offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {offset}")
    item = input._data.itemsize
    needed = 0 if 0 in size else offset + 1 + sum((n - 1) * s for n, s in zip(size, stride))
    if needed > flat.size:
        raise RuntimeError(f"setStorage: sizes {list(size)}, strides {list(stride)}, storage "
                           f"offset {offset}, and itemsize {item} requiring a storage size of "
                           f"{needed * item} are out of bounds for storage of size "
                           f"{flat.size * item}")
    start = flat[offset:] if needed else flat[:0]
    array = np_as_strided(start, size, [s * item for s in stride],
                       writeable=flat.flags.writeable)
    result = make_view(input, array, _given_layout, (stride, offset))
    if _inplace and input._base is None and flat.size:
        input._extras()["storage"] = flat       # (the storage stays as it was)
    node = _record_view("AsStridedBackward1" if _inplace else "AsStridedBackward0",
                        _as_strided_backward, input, result)
    if node:
        node.positions = (_storage_positions(input.shape, input.stride(), own_offset),
                          _storage_positions(size, stride, offset))
    return result


def _storage_positions(shape, strides, offset):
    """The storage index of every element of a tensor laid out by shape/strides/offset."""
    positions = np.full(shape, offset, dtype=np.int64)
    for d, (n, s) in enumerate(zip(shape, strides)):
        positions += (np.arange(n, dtype=np.int64) * s).reshape((n,) + (1,) * (len(shape) - d - 1))
    return positions


def _as_strided_backward(ctx, grad):
    """Gradients gathered in storage, then read back as the input lies there: an
    element of storage the output repeats gets the sum of its gradients, and where the
    input itself repeats one (an expanded input), each copy gets an equal share (as
    torch)."""
    in_pos, out_pos = ctx.positions
    shape = tuple(ctx.input_meta[0][0])
    if not in_pos.size:
        return _zeros_like_input(grad, shape)
    lo = min(in_pos.min(), out_pos.min()) if out_pos.size else in_pos.min()
    hi = max(in_pos.max(), out_pos.max()) if out_pos.size else in_pos.max()
    storage = embed(grad, (int(hi - lo + 1),), (out_pos - lo,))
    result = pick(storage, (in_pos - lo,))
    counts = np.bincount((in_pos - lo).reshape(-1))
    if counts.max() > 1:
        result = result / _make(counts[in_pos - lo].astype(grad._data.dtype))
    return result


def _as_strided_method(self, size, stride, storage_offset=None):
    return as_strided(self, size, stride, storage_offset, _method=True)


def as_strided_(input, size, stride, storage_offset=None):
    """In-place :func:`as_strided`: ``input`` takes that size, stride and offset in its
    own storage (AsStridedBackward1 in its graph). Refused, as every in-place op, for a
    leaf that requires grad."""
    check_inplace(input)
    root_offset = input.storage_offset() if input._base is None else None
    result = as_strided(input, size, stride, storage_offset, _inplace=True)
    offset = result.storage_offset()
    if input._vc is NO_VERSION:
        check_inference_write()     # (before input changes; torch checks only after)
    input._data = result._data
    if result._extra and "layout" in result._extra:      # an empty view's strides
        input._extras()["layout"] = result._extra["layout"]
    if root_offset is not None and (offset or root_offset):
        # a tensor that is no view keeps its storage offset itself
        input._extras()["storage_offset"] = offset
    input._bump_version()
    if result.grad_fn is not None:
        input.grad_fn = result.grad_fn
    return input


# --------------------------------------------------------------- resize_
def resize_(self, *sizes, memory_format=None):
    """Give ``self`` the shape ``sizes``, in place, with C-ordered strides (or
    ``memory_format``'s) over its own storage: shrinking keeps the leading elements,
    growing past the storage gives new memory whose first elements are the old
    storage and the rest uninitialised. As torch, a tensor that requires grad is
    refused (even in no_grad), and the same shape changes nothing but the version.

    >>> ember.arange(6.).resize_(2, 2)
    tensor([[0., 1.],
            [2., 3.]])
    """
    if self._requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    if not sizes:
        raise TypeError('resize_() missing 1 required positional arguments: "size"')
    shape = _at_position(as_shape, 1, sizes, "resize_", "size")
    return _resize_to(self, shape, memory_format)


def _resize_to(self, shape, memory_format):
    if any(n < 0 for n in shape):
        raise RuntimeError("numel: integer multiplication overflow")
    fmt = contiguous_format if memory_format is None else check_format(
        "resize_", memory_format, none_means_preserve=False)
    if fmt is preserve_format:
        raise RuntimeError("Unsupported memory formatPreserve")
    if self._vc is NO_VERSION:
        check_inference_write()     # (before self changes; torch checks only after)
    if fmt is contiguous_format:
        if shape == self._data.shape:
            self._bump_version()            # (torch keeps the strides it has)
            return self
        strides = contiguous_strides(shape)
    else:
        strides = _mf._strides_in_order(shape, _mf._channels_last_order(fmt, len(shape)))
    flat, offset = _storage(self)
    item = self._data.itemsize
    needed = 0 if 0 in shape else offset + 1 + sum((n - 1) * s for n, s in zip(shape, strides))
    root = self if self._base is None else self._base
    if needed > flat.size:
        grown = np.empty(needed, self._data.dtype)
        grown[:flat.size] = flat
        if root is not self:
            # torch's views all follow their storage; ember moves this view and its base
            warnings.warn("resize_ of a view moved its storage to new, larger memory: its base "
                          "follows, but in ember (unlike torch) other views of that base keep "
                          "the old memory.", UserWarning, stacklevel=3)
        if root is not self and root._data.size:
            # the base moves with its storage, as in torch
            root_offset = root.storage_offset()
            root._data = np_as_strided(grown[root_offset:], root._data.shape,
                                    root._data.strides)
        flat = grown
    if needed:
        data = np_as_strided(flat[offset:], shape, [s * item for s in strides])
        self._data = data
    else:
        self._data = data = np.empty(shape, self._data.dtype)
        self._extras()["layout"] = (data, tuple(strides), offset)
    if flat.size:
        root._extras()["storage"] = flat
    self._bump_version()
    return self


def resize_as_(self, the_template, *, memory_format=None):
    """``self.resize_(the_template.shape)`` (the template's strides are not copied)."""
    if not isinstance(the_template, Tensor):
        raise TypeError(f"resize_as_(): argument 'the_template' (position 1) must be Tensor, "
                        f"not {_type_name(the_template)}")
    if self._requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    return _resize_to(self, tuple(the_template._data.shape), memory_format)


# ------------------------------------------------------------ Tensor.new
_NEW_SIGNATURES = (" * (*, torch.device device = None)\n", " * (torch.Storage storage)\n",
                   " * (Tensor other)\n", " * (tuple of ints size, *, torch.device device = None)\n",
                   " * (object data, *, torch.device device = None)\n")


def new(self, *args, device=None, **kwargs):
    """The legacy constructor with ``self``'s dtype: ``x.new(data)`` copies data (a
    sequence), ``x.new(2, 3)`` is uninitialised, ``x.new()`` empty, ``x.new(t)`` shares
    ``t``'s memory (``t`` must have ``x``'s dtype). Prefer ``new_tensor``/``new_empty``.

    >>> ember.ones(1, dtype=ember.int32).new([1.5, 2])
    tensor([1, 2], dtype=torch.int32)
    """
    from .._device import to_device
    from .._size import Size
    if kwargs:
        got = ", ".join([_type_name(a) for a in args]
                        + [f"{k}={_type_name(v)}" for k, v in kwargs.items()])
        raise TypeError(f"new() received an invalid combination of arguments - got ({got}), "
                        f"but expected one of:\n{_NEW_SIGNATURES[0]}      didn't match because "
                        f"some of the keywords were incorrect: {', '.join(kwargs)}\n"
                        + "".join(_NEW_SIGNATURES[1:]))
    to_device(device)
    dt = self._data.dtype
    if not args:
        return _make(np.empty((0,), dt))
    first = args[0]
    if len(args) == 1 and not isinstance(first, Size) and (
            isinstance(first, (bool, np.bool_)) or not isinstance(first, (int, np.integer))):
        if isinstance(first, Tensor):
            if first._data.dtype != dt:
                raise TypeError(f"expected {_tensor_options(self.dtype)} (got "
                                f"{_tensor_options(first.dtype)})")
            return _make(first._data)       # (shares the memory, as torch)
        if isinstance(first, (str, bytes)):
            raise TypeError(f"new(): invalid data type '{type(first).__name__}'")
        if not isinstance(first, (list, tuple, np.ndarray, range)):
            raise TypeError(f"new(): data must be a sequence (got {type(first).__name__})")
        from .creation import tensor
        return tensor(first, dtype=self.dtype)
    shape = as_shape(args, "new", "size")
    for n in shape:
        if n < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: "
                               f"{list(shape)}")
    return _make(np.empty(shape, dt))


def _tensor_options(dtype):
    from .._tensor import _c_name
    return (f"TensorOptions(dtype={_c_name(dtype)}, device=cpu, layout=Strided, "
            "requires_grad=false (default), pinned_memory=false (default), "
            "memory_format=(nullopt))")


# ------------------------------------------------------------ Tensor methods
def _tril_(self, diagonal=0):
    from .index import write_inplace
    return write_inplace(self, tril(self, diagonal), on_overlap="allow")


def _triu_(self, diagonal=0):
    from .index import write_inplace
    return write_inplace(self, triu(self, diagonal), on_overlap="allow")


def _restride_inplace(op, name):
    """x.squeeze_(), x.t_(), ...: self takes the shape and strides of ``op(self)``
    (same memory), and its graph if it has one. As every in-place op, it bumps the
    version and refuses a leaf that requires grad (or a view of one) while grad is on."""
    def method(self, *args, **kwargs):
        check_inplace(self)
        result = op(self, *args, _inplace=True, **kwargs)
        if self._vc is NO_VERSION:
            check_inference_write()     # (before self changes; torch checks only after)
        self._data = result._data
        if result._extra and "layout" in result._extra:      # an empty view's strides
            self._extras()["layout"] = result._extra["layout"]
        self._bump_version()
        if result.grad_fn is not None:
            self.grad_fn = result.grad_fn
        return self
    method.__name__ = method.__qualname__ = name
    return method


bind(reshape=reshape, view=view, view_as=view_as, reshape_as=reshape_as, flatten=flatten,
     ravel=ravel, unflatten=unflatten, squeeze=squeeze, unsqueeze=unsqueeze, permute=permute,
     transpose=transpose, swapaxes=swapaxes, swapdims=swapdims, t=t, movedim=movedim,
     moveaxis=moveaxis, flip=flip, fliplr=fliplr, flipud=flipud, roll=roll, expand=expand,
     expand_as=expand_as, broadcast_to=broadcast_to, repeat=repeat, tile=tile,
     repeat_interleave=repeat_interleave, split=split, chunk=chunk,
     tensor_split=tensor_split, unbind=unbind, narrow=narrow, select=select, tril=tril,
     triu=triu, diagonal=diagonal, diag=diag, contiguous=contiguous, tril_=_tril_,
     triu_=_triu_, rot90=_rot90_method, squeeze_=_restride_inplace(squeeze, "squeeze_"),
     unsqueeze_=_restride_inplace(unsqueeze, "unsqueeze_"), t_=_restride_inplace(t, "t_"),
     transpose_=_restride_inplace(transpose, "transpose_"),
     swapaxes_=_restride_inplace(swapaxes, "swapaxes_"),
     swapdims_=_restride_inplace(swapdims, "swapdims_"),
     hsplit=_directional_method("hsplit", 1), vsplit=_directional_method("vsplit", 2),
     dsplit=_directional_method("dsplit", 3), split_with_sizes=_split_with_sizes_method,
     narrow_copy=narrow_copy, sum_to_size=sum_to_size, unfold=unfold,
     as_strided=_as_strided_method, as_strided_=as_strided_, resize_=resize_,
     resize_as_=resize_as_, new=new)

def _module_function(fn, name, takes=None):
    """``fn`` (a Tensor method's function) as the module function ``ember.<name>``:
    torch's TypeError for an input that is no Tensor (``ember.ravel([1, 2])``), and
    torch's numbering of the other arguments, which counts the input
    (``ember.unsqueeze(x, 'a')``: position 2, where ``x.unsqueeze('a')`` says 1). Both
    are worked out only once a call has failed, at no cost to the others."""
    @functools.wraps(fn)
    def function(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (AttributeError, TypeError) as error:
            check_input(args, kwargs, name)
            if type(error) is TypeError:
                raise _counting_input(error) from None
            raise

    @functools.wraps(fn)
    def function_of_a_sequence(*args, **kwargs):
        # (a method that takes separate ints, x.flip(0, 1), whose function takes one
        # sequence: torch.flip(x, (0, 1)); more arguments are torch's TypeError)
        if len(args) > takes:
            raise too_many_positional(name, takes, len(args))
        return function(*args, **kwargs)
    result = function if takes is None else function_of_a_sequence
    result.__name__ = result.__qualname__ = name
    return result


def _counting_input(error):
    """A method's TypeError reworded for its module function, whose arguments torch
    numbers from the input: each "(position N)" and "takes N positional arguments"
    one more."""
    text = re.sub(r"\(position (\d+)\)", lambda m: f"(position {int(m[1]) + 1})", str(error))
    text = re.sub(r"takes (\d+) positional arguments? but (\d+) were given",
                  lambda m: f"takes {int(m[1]) + 1} positional arguments but {int(m[2]) + 1} "
                            f"were given", text)
    return TypeError(text)


# The module's functions (ember.ravel(x), not x.ravel(), which keeps the plain one)
# raise torch's TypeError for an input that is no Tensor (ember.ravel([1, 2])), and
# number the arguments as torch's functions do, from the input. (split is left alone:
# torch's own fails there with a raw AttributeError; the functions that number their
# arguments themselves, rot90 and the second group, only check their input; the hot
# ones, reshape to tensor_split at the end, check their input in their bodies and are
# copies that number from the input, so that their fast lanes pay for no wrapper.)
(ravel, unflatten, unsqueeze, swapaxes, swapdims, t, fliplr,
 flipud, roll, repeat_interleave, chunk, unbind, select, tril, triu,
 diagonal, diag) = (
    _module_function(fn, name) for fn, name in (
        (ravel, "ravel"), (unflatten, "unflatten"),
        (unsqueeze, "unsqueeze"), (swapaxes, "swapaxes"), (swapdims, "swapdims"), (t, "t"),
        (fliplr, "fliplr"),
        (flipud, "flipud"), (roll, "roll"),
        (repeat_interleave, "repeat_interleave"), (chunk, "chunk"),
        (unbind, "unbind"),
        (select, "select"), (tril, "tril"), (triu, "triu"), (diagonal, "diagonal"),
        (diag, "diag")))
flip, tile, broadcast_to = (_module_function(fn, name, takes=2) for fn, name in (
    (flip, "flip"), (tile, "tile"), (broadcast_to, "broadcast_to")))
rot90 = tensor_input(rot90, "rot90")    # (which numbers its arguments itself)
(hsplit, vsplit, dsplit, split_with_sizes, narrow_copy, as_strided, as_strided_) = (
    tensor_input(fn, name) for fn, name in (
        (hsplit, "hsplit"), (vsplit, "vsplit"), (dsplit, "dsplit"),
        (split_with_sizes, "split_with_sizes"), (narrow_copy, "narrow_copy"),
        (as_strided, "as_strided"), (as_strided_, "as_strided_")))
# reshape, permute, transpose, flatten and squeeze serve as module functions too, as copies that
# number their arguments from the input (no wrapper: their fast lanes cost the same)
reshape, permute, transpose, flatten, squeeze, narrow, movedim, tensor_split = (
    function_twin(fn, _first=2) for fn in (reshape, permute, transpose, flatten, squeeze,
                                                  narrow, movedim, tensor_split))
moveaxis = movedim
