"""Indexing: ``x[...]``, ``x[...] = v``, gather/scatter, masks, nonzero.

Basic indexing (ints, slices, None, ...) gives views, as in torch; advanced
indexing (integer or boolean tensors, lists) gives copies::

    >>> x = ember.arange(6.).reshape(2, 3)
    >>> x[:, 1]._base is x._base            # a view
    True
    >>> x[:, [0, 2]]                         # a copy
    tensor([[0., 2.],
            [3., 5.]])

A key is applied the way torch applies it: first all the basic parts (ints
select, slices narrow, None inserts a dim), giving a view; then the
advanced parts, on the dims of that view. This matters where NumPy differs:
for ``x`` of shape (2, 3, 4), ``x[0, :, [0, 1]]`` has shape (3, 2) in torch
but (2, 3) in NumPy.

The backward of a read is :func:`~ember.ops.shape.embed`: the gradient placed
back at the indexed positions of a zero tensor, repeated indices adding up.
A write (``x[k] = v``) makes ``x``, or the base ``x`` is a view of, carry a
``CopySlices`` node, as in torch: the gradient of the old values is zero
where they were overwritten, and ``v`` gets the gradient of the positions it
was written to.
"""
import collections.abc
import numbers
import sys
import warnings

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .. import _memory_format as _mf
from .._arg_errors import MISSING as _MISSING   # (an argument left out)
from .._arg_errors import (function_twin, invalid_combination, missing_arguments, type_name,
                           wrong_type)
from .._tensor import Tensor, _make, follow_new_grad_fn, take_graph_of
from ..autograd.graph import record
from ..autograd.grad_mode import _state, NO_VERSION, check_inference_write
from ..backend import fp_errors_off, fp_errors_restore
from ._common import bind, silently, unbroadcast, wrap_dim
from .creation import _checked_fill_value
from .shape import (embed, expanded_shape, index_layout, make_view, no_grad_view_error,
                    no_grad_view_rebased, pick, view_positions)

_BAD_INDEX_DTYPE = "tensors used as indices must be long, int, byte or bool tensors"


# ------------------------------------------------------------- parsing keys
class _Key:
    """A torch key split into a basic NumPy key (applied first, giving a view)
    and an advanced NumPy key applied to that view (None if there is none)."""

    __slots__ = ("basic", "advanced", "node_name", "makes_view", "write_kind")

    def __init__(self, basic, advanced, node_name, makes_view, write_kind=None):
        self.basic = basic
        self.advanced = advanced
        self.node_name = node_name
        # False when the basic part changes nothing (only full slices and ...): torch then
        # writes to the tensor itself rather than through a view of it.
        self.makes_view = makes_view
        # None, "mask" or "index": see _index_put_kind
        self.write_kind = write_kind

    @property
    def keys(self):
        return (self.basic,) if self.advanced is None else (self.basic, self.advanced)


def _looks_like_tuple(seq):
    # torch (like old NumPy) reads x[[0, slice(None)]] as x[0, :], with a warning.
    return any(isinstance(k, (list, tuple, Tensor, np.ndarray, slice)) or k is None
               or k is Ellipsis for k in seq)


def _caller_level():
    """The ``stacklevel`` at which a warning raised by the function calling this one
    points at the user's line: the first frame outside ember (indexing reaches the
    warning through a varying number of ember's own frames)."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith("ember."):
        frame, level = frame.f_back, level + 1
    return level


def _index_item(k):
    """One entry of a key as an int, slice, None, Ellipsis, bool, or index ndarray."""
    if isinstance(k, Tensor):
        d = k._data
        if d.dtype == np.uint8:
            warnings.warn("indexing with dtype torch.uint8 is now deprecated, please use a "
                          "dtype torch.bool instead.", UserWarning, stacklevel=4)
            d = d.astype(np.bool_)
        elif d.dtype not in (np.bool_, np.int64, np.int32):
            raise IndexError(_BAD_INDEX_DTYPE)
        if d.ndim == 0:
            # A 0-dim integer tensor selects like an int; a 0-dim bool like True/False.
            return bool(d) if d.dtype == np.bool_ else int(d)
        return d
    if isinstance(k, (bool, np.bool_)):
        return bool(k)
    if isinstance(k, (int, np.integer)):
        return int(k)
    if k is None or k is Ellipsis:
        return k
    if isinstance(k, slice):
        step = 1 if k.step is None else _slice_int(k.step)
        if step == 0:
            raise ValueError("slice step cannot be zero")
        if step < 0:
            raise ValueError("step must be greater than zero")
        return slice(None if k.start is None else _slice_int(k.start),
                     None if k.stop is None else _slice_int(k.stop), step)
    if isinstance(k, range):
        k = list(k)             # y_hat[range(len(y_hat)), y]: a sequence of indices
    if isinstance(k, (list, tuple, np.ndarray)):
        try:
            arr = np.asarray([_index_item(v) if isinstance(v, Tensor) else v for v in k]
                             if isinstance(k, (list, tuple)) else k)
        except ValueError:          # a ragged nested list
            raise IndexError(_BAD_INDEX_DTYPE) from None
        if arr.size == 0 and arr.dtype.kind == "f":
            arr = arr.astype(np.int64)          # x[[]] selects nothing
        if arr.dtype.kind == "f":
            # torch truncates float indices toward zero without a word (x[[0.5]] is
            # x[[0]]): the same result, said aloud
            warnings.warn("indexing with floats: as in torch, each is truncated toward zero "
                          "to an int (0.5 selects index 0, 1.9 index 1); index with ints "
                          "instead", UserWarning, stacklevel=_caller_level())
            with np.errstate(invalid="ignore"):
                arr = arr.astype(np.int64)
        if arr.dtype.kind not in "biu":
            if arr.dtype.kind in "US":      # (torch makes a tensor of the list: its error)
                raise TypeError(f"new(): invalid data type "
                                f"'{'str' if arr.dtype.kind == 'U' else 'bytes'}'")
            raise IndexError(_BAD_INDEX_DTYPE)
        return arr if arr.dtype == np.bool_ else arr.astype(np.int64, copy=False)
    if isinstance(k, str):
        raise TypeError(f"new(): invalid data type '{type(k).__name__}'")
    raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                     f"Variables are valid indices (got {type_name(k)})")


def _slice_int(v):
    try:
        return v.__index__()
    except (AttributeError, TypeError):
        raise TypeError("slice indices must be integers or None or have an __index__ "
                        "method") from None


def _consumed(item):
    """How many dims of the indexed tensor an entry uses up."""
    if item is None or item is Ellipsis or isinstance(item, bool):
        return 0
    if isinstance(item, np.ndarray) and item.dtype == np.bool_:
        return max(item.ndim, 1)
    return 1


def parse_key(shape, key):
    """Check a torch-style key against ``shape`` and split it into a :class:`_Key`.

    Raises torch's IndexError/ValueError/TypeError for bad keys, before anything
    is read or written.
    """
    single_slice = isinstance(key, slice)
    if isinstance(key, list) and _looks_like_tuple(key):
        warnings.warn("Using a non-tuple sequence for multidimensional indexing is deprecated "
                      "and will be changed in pytorch 2.9; use x[tuple(seq)] instead of x[seq]. "
                      "In pytorch 2.9 this will be interpreted as tensor index, "
                      "x[torch.tensor(seq)], which will result either in an error or a "
                      "different result", UserWarning, stacklevel=_caller_level())
        key = tuple(key)
    items = [_index_item(k) for k in (key if isinstance(key, tuple) else (key,))]
    ndim = len(shape)
    used = sum(_consumed(k) for k in items)
    if used > ndim:
        if ndim == 0 and any(isinstance(k, int) and not isinstance(k, bool) for k in items):
            raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                             "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        raise IndexError(f"too many indices for tensor of dimension {ndim}")

    basic, advanced = [], []      # advanced: (dim of the basic view, array)
    index_arrays = []             # the index tensors, lists and masks (not True/False)
    makes_view = False
    view_shape = []
    dim = 0                       # the dim of the input the next entry applies to
    name = None
    for position, k in enumerate(items):
        if k is not None and k is not Ellipsis and not isinstance(k, bool) and dim >= ndim:
            # only reachable with several ellipses, which torch expands each in full
            if isinstance(k, int):
                raise IndexError(f"index {k} is out of bounds for dimension {dim} with size 0")
            raise IndexError(f"Dimension out of range (expected to be in range of [{-ndim}, "
                             f"{ndim - 1}], but got {dim})")
        if k is Ellipsis:
            n = min(ndim - used, ndim - dim)
            basic += [slice(None)] * n
            view_shape += shape[dim:dim + n]
            dim += n
        elif k is None:
            basic.append(None)
            view_shape.append(1)
            name = "UnsqueezeBackward0"
            makes_view = True
        elif isinstance(k, bool):
            makes_view = True
            # x[True] adds a dim of size 1 and selects it by a mask (x[False]: size 0)
            basic.append(None)
            advanced.append((len(view_shape), np.array([k])))
            view_shape.append(1)
        elif isinstance(k, int):
            size = shape[dim]
            if not -size <= k < size:
                # (torch names the int's position in the index, which differs from the
                # dim it indexes after an ellipsis or a None)
                raise IndexError(f"index {k} is out of bounds for dimension {position} with "
                                 f"size {size}")
            basic.append(k)
            dim += 1
            name = "SelectBackward0"
            makes_view = True
        elif isinstance(k, slice):
            size = shape[dim]
            # torch skips slices that take everything: start 0, stop at or past the end
            if k.start not in (None, 0) or k.step != 1 or (k.stop is not None
                                                           and k.stop < size):
                makes_view = True
                name = "SliceBackward0"
            elif single_slice:
                name = "SliceBackward0"
            basic.append(k)
            view_shape.append(len(range(*k.indices(size))))
            dim += 1
        else:                      # an index array or a mask
            index_arrays.append(k)
            n = _consumed(k)
            basic += [slice(None)] * n
            advanced.append((len(view_shape), k))
            view_shape += shape[dim:dim + n]
            dim += n
    view_shape += shape[dim:]
    if not advanced:
        return _Key(tuple(basic) + (Ellipsis,), None, name or "AliasBackward0", makes_view)
    return _Key(tuple(basic) + (Ellipsis,), _advanced_key(view_shape, advanced),
                "IndexBackward0", makes_view, _index_put_kind(index_arrays))


def _index_put_kind(index_arrays):
    """How torch writes ``x[key] = value`` for these index arrays: None without any (a copy,
    which casts: True and False are no index tensors, they unsqueeze), "mask" for one bool
    mask (masked_fill_ for a one-element value, any dtype), else "index" (index_put_, which
    requires the value's dtype)."""
    if not index_arrays:
        return None
    return "mask" if len(index_arrays) == 1 and index_arrays[0].dtype == np.bool_ else "index"


def _advanced_key(view_shape, advanced):
    """The NumPy key for the advanced entries, checked against the basic view's shape."""
    key = []
    index_shapes = []
    pos = 0
    for dim, arr in advanced:
        key += [slice(None)] * (dim - pos)
        if arr.dtype == np.bool_:
            if arr.ndim == 0:
                arr = arr.reshape(1)
            for j, (m, s) in enumerate(zip(arr.shape, view_shape[dim:dim + arr.ndim])):
                if m != s:
                    raise IndexError(
                        f"The shape of the mask {list(arr.shape)} at index {j} does not match "
                        f"the shape of the indexed tensor {list(view_shape)} at index {dim + j}")
            index_shapes.append((int(np.count_nonzero(arr)),))
            pos = dim + arr.ndim
        else:
            index_shapes.append(arr.shape)
            pos = dim + 1
        key.append(arr)
    try:
        shape = np.broadcast_shapes(*index_shapes)
    except ValueError:
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together "
                         "with shapes " + ", ".join(str(list(s)) for s in index_shapes)) \
            from None
    consumed = set()
    for dim, arr in advanced:
        consumed.update(range(dim, dim + max(arr.ndim, 1) if arr.dtype == np.bool_ else dim + 1))
    rest = [s for d, s in enumerate(view_shape) if d not in consumed]
    # torch checks bounds element by element while filling the result, so a key whose
    # result is empty (here or in the dims it keeps) is never out of bounds; NumPy
    # checks anyway, so such indices are clipped into range (they select nothing).
    if 0 in shape or 0 in rest:
        clipped = {id(arr): np.clip(arr, -view_shape[dim], view_shape[dim] - 1)
                   for dim, arr in advanced if arr.dtype != np.bool_ and view_shape[dim] > 0}
        return tuple(clipped.get(id(k), k) for k in key)
    ordinal = 0
    for dim, arr in advanced:
        if arr.dtype != np.bool_:
            size = view_shape[dim]
            bad = (arr < -size) | (arr >= size)
            if bad.any():
                raise IndexError(f"index {arr[bad].flat[0]} is out of bounds for dimension "
                                 f"{ordinal} with size {size}")
        ordinal += 1
    return tuple(key)


# ------------------------------------------------------------------ reading
def getitem(input, key):
    """``x[key]``: a view for basic indexing, a copy for advanced indexing."""
    if type(key) is Tensor:
        if key._data.dtype.kind == "b":
            result = _masked_rows(input, key._data)
            if result is not None:
                return result
        elif not (input._requires_grad and _state.enabled):
            rows = _row_gather(input._data, key._data)
            if rows is not None:
                return _make(rows)
    else:
        plain = _plain_key(input._data.shape, key)
        if plain is not None:
            basic, name = plain
            result = make_view(input, input._data[basic], index_layout, basic)
            if input._requires_grad and _state.enabled:
                record(name, _getitem_backward, (input,), result).keys = (basic,)
            return result
    k = parse_key(input._data.shape, key)
    view = input._data[k.basic]
    if k.advanced is None:
        if None in k.basic:
            view = as_strided(view, view.shape, _strides_with_new_dims(input._data, k.basic),
                              writeable=view.flags.writeable)
        result = make_view(input, view, index_layout, k.basic)
    else:
        result = _make(_c_order(view[k.advanced]))
    node = record(k.node_name, _getitem_backward, (input,), result)
    if node:
        node.keys = k.keys
    return result


def _plain_key(shape, key):
    """The fast lane of parse_key for the keys of ints and slices of ints (``x[0]``,
    ``x[1:3]``, ``x[:, 1]``, ``x[0, 0]``): (the basic NumPy key, node name) exactly
    as parse_key gives them, or None for every other key (None, ..., bools, tensors,
    negative steps, out-of-range ints and other errors: the full path)."""
    single_slice = type(key) is slice
    if type(key) is not tuple:
        key = (key,)
    if len(key) > len(shape):
        return None
    basic = []
    name = None
    for d, k in enumerate(key):
        if type(k) is int:
            if not -shape[d] <= k < shape[d]:
                return None
            name = "SelectBackward0"
        elif type(k) is slice:
            start, stop, step = k.start, k.stop, k.step
            if step is None:
                step = 1
            elif type(step) is not int or step <= 0:
                return None
            if (start is not None and type(start) is not int) or (
                    stop is not None and type(stop) is not int):
                return None
            # (parse_key's rule: a slice that takes everything is not a view of its own)
            if start not in (None, 0) or step != 1 or (stop is not None and stop < shape[d]) \
                    or single_slice:
                name = "SliceBackward0"
            k = slice(start, stop, step)
        else:
            return None
        basic.append(k)
    basic.append(Ellipsis)
    return tuple(basic), name or "AliasBackward0"


def _masked_rows(input, mask):
    """The fast lane of ``x[mask]`` for a bool mask of x's own shape (x[x > 0]): the
    selected elements as a new 1-D tensor, with the keys and node parse_key would
    give; None for any other mask (other shapes, 0-d) and its errors."""
    data = input._data
    if mask.shape != data.shape or not mask.ndim:
        return None
    # (boolean indexing gives a new 1-D array, C-ordered already)
    result = _make(data[mask])
    if input._requires_grad and _state.enabled:
        record("IndexBackward0", _getitem_backward, (input,), result).keys = (
            (slice(None),) * data.ndim + (Ellipsis,), (mask,))
    return result


def _row_gather(data, index):
    """``data[index]`` for a 1-D int64 index within bounds (a minibatch ``X[idx]``), or
    None to leave every other key, and the errors, to the full path."""
    if index.dtype != np.int64 or index.ndim != 1 or not data.ndim or not index.size:
        return None
    try:
        # take: the rows data[index] would give (negative indices too), in C order, for
        # a quarter of the cost of indexing plus a bounds check
        return data.take(index, axis=0)
    except IndexError:
        return None


def _strides_with_new_dims(array, basic):
    """The strides torch gives ``array[basic]``: NumPy gives the dims that None adds
    stride 0, torch gives them size * stride of the dim they were put in front of,
    at the moment they were added (key entries are applied left to right)."""
    shape, strides = list(array.shape), list(array.strides)
    d = 0
    for k in basic:
        if k is Ellipsis:
            break
        if k is None:
            strides.insert(d, shape[d] * strides[d] if d < len(shape) else array.itemsize)
            shape.insert(d, 1)
            d += 1
        elif isinstance(k, int):
            del shape[d], strides[d]
        else:
            start, stop, step = k.indices(shape[d])
            shape[d] = len(range(start, stop, step))
            strides[d] *= step
            d += 1
    return strides


def _c_order(array):
    """``array`` laid out in C order with torch's strides (NumPy's fancy indexing may
    return other layouts, and gives size-1 dims any stride)."""
    if array.strides == _c_strides(array.shape, array.itemsize):
        return array
    return np.array(array, order="C")


def _c_strides(shape, itemsize):
    strides, acc = [], itemsize
    for n in reversed(shape):
        strides.append(acc)
        acc *= max(n, 1)
    return tuple(reversed(strides))


def _getitem_backward(ctx, grad):
    return embed(grad, tuple(ctx.input_meta[0][0]), *ctx.keys)


# ------------------------------------------------------------------ writing
# A shape that never takes full()'s one-element float16 exemption: masked_fill,
# index_fill and scatter check their number whatever the tensor's size.
_ANY_SIZE = (0,)


def _scalar_value(value, dtype):
    """A Python number as a 0-d array of ``dtype`` by torch's checked conversion (that of
    full(): ``masked_fill(m, 300)`` on uint8 raises, -1 wraps to 255)."""
    return np.asarray(_checked_fill_value(value, dtype.np, _ANY_SIZE)).astype(dtype.np)


def _setitem_value(value, dtype):
    """The number of ``x[k] = value`` as a 0-d array of ``dtype``: torch unpacks it as a
    64-bit integer (larger ones fail) and converts it by full()'s rule, except that a
    float16 tensor takes any number (70000 becomes inf)."""
    if isinstance(value, int) and not isinstance(value, bool) and not -2**63 <= value < 2**63:
        raise ValueError("Overflow when unpacking long long")
    if dtype.np.itemsize != 2 or dtype.np.kind != "f":
        return _scalar_value(value, dtype)
    token = fp_errors_off()         # torch overflows to inf silently
    try:
        return np.asarray(value).astype(dtype.np)
    finally:
        fp_errors_restore(token)


def _value_array(input, value):
    """The array to write for ``x[k] = value`` (cast to x's dtype) and the value Tensor."""
    if isinstance(value, Tensor):
        with np.errstate(invalid="ignore", over="ignore"):
            return value._data.astype(input._data.dtype, copy=False), value
    if isinstance(value, (bool, int, float, np.bool_, np.number)):
        return _setitem_value(value, input.dtype), None
    name = type(value).__module__ + "." + type(value).__name__ \
        if type(value).__module__ not in ("builtins",) else type(value).__name__
    raise TypeError(f"can't assign a {name} to a torch.{input.dtype.legacy_name}")


def _check_writable(input, through_view, graph):
    """torch's refusals of in-place writes, checked before anything changes.

    ``through_view``: the name of the view op the key makes ("Select", "Slice"), if
    the write goes through one (torch's messages differ), else None; ``graph``: the write will be recorded for autograd.
    """
    if _state.enabled:
        base = input._base
        error = no_grad_view_error(input, through_view) if input._requires_grad else None
        if error is not None:
            raise error
        if input._requires_grad and input.grad_fn is None:
            raise RuntimeError(
                ("a view of a leaf Variable" if through_view else "a leaf Variable") +
                " that requires grad is being used in an in-place operation.")
        if base is not None and base._requires_grad and base.grad_fn is None:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in "
                               "an in-place operation.")
    if graph:
        _check_multi_view(input, through_view)


_OVERLAP = ("unsupported operation: more than one element of the written-to tensor refers to a "
            "single memory location. Please clone() the tensor before performing the "
            "operation.")


def _overlaps(array):
    """True if some elements of ``array`` share an address (an expanded tensor)."""
    return array.size > 1 and any(n > 1 and s == 0 for n, s in zip(array.shape, array.strides))


def _expanded_write_warning(opname):
    example = "tensor[mask] = scalar" if opname.endswith("fill_") else \
        "tensor[indices] = tensor"
    warnings.warn(f"Use of {opname} on expanded tensors is deprecated. Please clone() the "
                  "tensor before performing this operation. This also applies to advanced "
                  f"indexing e.g. {example}", UserWarning, stacklevel=4)


def _store(input, keys, values):
    """``input[keys] = values`` on the arrays (keys: a basic key, then maybe an advanced
    one). NumPy marks expanded tensors and their views read-only; torch writes
    through them, so such writes go to the base at the elements' positions."""
    target = input._data[keys[0]]
    idx = keys[1] if len(keys) > 1 else Ellipsis
    if target.flags.writeable:
        target[idx] = values
        return
    if input._base is None:
        raise RuntimeError("unsupported operation: the tensor's memory is read-only (it was "
                           "made from a read-only NumPy array). Please clone() the tensor "
                           "before performing the operation.")
    written = pick_array(view_positions(input), keys)
    root = input._base._data
    root[np.unravel_index(written, root.shape)] = np.broadcast_to(values, written.shape)


def _check_multi_view(input, through_view):
    """The pieces of split/chunk/unbind (and views of them) may not be written with
    autograd recording: their common backward node can't be rebased (torch's rule).
    Nor may the view outputs of a custom Function: the write would bypass its backward."""
    extra = input._extra
    if extra and "custom_view" in extra:
        index, name = (0, through_view) if through_view else _piece_name(input, "custom_view")
        raise RuntimeError(
            f"Output {index} of {name} is a view and is being modified inplace. This view was "
            "created inside a custom Function (or because an input was returned as-is) and the "
            "autograd logic to handle view+inplace would override the custom backward "
            "associated with the custom Function, leading to incorrect gradients. This "
            "behavior is forbidden. You can fix this by cloning the output of the custom "
            "Function.")
    piece = extra.get("multi_view") if extra else None
    if piece is None:
        return
    if input._base is not None and not input._base._requires_grad:
        raise RuntimeError("A view was created in no_grad mode and is being modified inplace "
                           "with grad mode enabled. " + _MULTI_VIEW_RULE)
    index, name = (0, through_view) if through_view else _piece_name(input)
    raise RuntimeError(f"Output {index} of {name} is a view and is being modified inplace. "
                       + _MULTI_VIEW_RULE)


_MULTI_VIEW_RULE = (
    "This view is the output of a function that returns multiple views. Such functions do "
    "not allow the output views to be modified inplace. You should replace the inplace "
    "operation by an out-of-place one.")


def _piece_name(view, rule="multi_view"):
    """(output number, op name) of a piece of split/chunk/unbind (or a custom Function's
    view output) as torch's errors give them; a view of one is named after its op."""
    index, name = view._extra[rule]
    if name is None:
        name = type(view.grad_fn).__name__[:-len("Backward0")] if view.grad_fn else "Alias"
    return index, name


def _strip_leading_ones(shape):
    # torch drops the value's leading size-1 dims before broadcasting it.
    shape = tuple(shape)
    while shape and shape[0] == 1:
        shape = shape[1:]
    return shape


def setitem(input, key, value):
    """``x[key] = value`` in place: value is broadcast and cast to x's dtype.

    >>> x = ember.zeros(2, 3)
    >>> x[0, 1:] = 5
    >>> x
    tensor([[0., 5., 5.],
            [0., 0., 0.]])
    """
    if key is False:
        return          # torch does nothing at all for x[False] = v (not even a version bump)
    _write(input, parse_key(input._data.shape, key), value)


def _write(input, k, value):
    """Write ``value`` at the parsed key ``k`` of ``input``, with torch's checks and
    autograd node (CopySlices, IndexPutBackward0, FillBackward3 or CopyBackwards)."""
    arr, value_t = _value_array(input, value)
    graph = _state.enabled and (input._requires_grad or (value_t is not None
                                                         and value_t._requires_grad))
    # (torch names a write through a view after the view's op: Select, Slice, ...)
    _check_writable(input, k.node_name.removesuffix("Backward0") if k.makes_view else None,
                    graph)
    target = input._data[k.basic]
    stripped = _strip_leading_ones(arr.shape)
    if k.advanced is None:
        expanded_shape(stripped, target.shape, value_t.dtype if value_t is not None else None)
        if _overlaps(target):
            raise RuntimeError(_OVERLAP)
        if (np.may_share_memory(target, arr) and target.flags.c_contiguous
                and arr.flags.c_contiguous and target.ctypes.data != arr.ctypes.data):
            raise RuntimeError(
                "unsupported operation: some elements of the input tensor and the written-to "
                "tensor refer to a single memory location. Please clone() the tensor before "
                "performing the operation.")
    else:
        result_shape = _indexed_shape(target.shape, k.advanced)
        try:
            if np.broadcast_shapes(stripped, result_shape) != result_shape:
                raise ValueError
        except ValueError:
            raise RuntimeError(f"shape mismatch: value tensor of shape {list(arr.shape)} cannot "
                               f"be broadcast to indexing result of shape {list(result_shape)}") \
                from None
        if value_t is not None and k.write_kind is not None and not (
                k.write_kind == "mask" and value_t._data.size == 1):
            _check_index_put_dtype(input, value_t)
        if _overlaps(input._data):
            _expanded_write_warning("index_put_")
    if input._vc is NO_VERSION:
        check_inference_write()     # (after torch's checks of the key and value, before
                                    # any byte changes: torch itself refuses only after)
    _store(input, k.keys, arr.reshape(stripped))
    input._bump_version()
    if graph:
        if k.makes_view:
            name = "CopySlices"
        elif k.advanced is not None:
            name = "IndexPutBackward0"
        else:       # torch fills with a 0-d value unless the shapes already match
            name = "FillBackward3" if arr.ndim == 0 and target.ndim else "CopyBackwards"
        _record_write(input, k.keys, value_t, stripped, name)


def _quietly(accumulate, *args):
    """np.add.at / np.multiply.at without NumPy's warnings: inf - inf and inf * 0 are a
    silent nan in torch."""
    token = fp_errors_off()
    try:
        accumulate(*args)
    finally:
        fp_errors_restore(token)


def _check_index_put_dtype(input, values):
    """index_put_ (``x[idx] = t`` with index tensors or lists) does not cast its values."""
    if values._data.dtype != input._data.dtype:
        raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                           f"{input.dtype.legacy_name[:-6]} for the destination and "
                           f"{values.dtype.legacy_name[:-6]} for the source.")


def _indexed_shape(shape, advanced):
    """The shape of ``a[advanced]`` for an array of ``shape``, without reading any data."""
    return np.broadcast_to(np.zeros((), np.bool_), shape)[advanced].shape


def _record_write(input, keys, value_t, value_shape, node_name="CopySlices"):
    """Hang the CopySlices node of a write on the tensor that owns the graph.

    Writing through a view changes its base, so the base gets the node and the
    view becomes a view of the new base (AsStridedBackward0), as in torch.
    """
    owner = input if input._base is None else input._base
    if owner is input:
        positions = np.arange(input._data.size).reshape(input._data.shape)
    else:
        positions = view_positions(input)
    written = np.array(pick_array(positions, keys), dtype=np.int64)
    written_mask = np.zeros(owner._data.size, np.bool_)
    written_mask[written.reshape(-1)] = True
    # The old owner as a graph input: same data, the grad_fn it had before the write.
    old = _make(owner._data)
    old._requires_grad, old.grad_fn = owner._requires_grad, owner.grad_fn
    node = record(node_name if owner is input else "CopySlices", _copy_slices_backward,
                  (old, value_t), owner)
    follow_new_grad_fn(owner)
    node.written = _make(written)
    node.written_mask = _make(written_mask.reshape(owner._data.shape))
    node.value_shape = value_shape
    if owner is not input:
        regraph_view(input, positions)


def refresh_view(view):
    """Bring ``view``'s graph up to date after an in-place change to its base (or to
    another view of it) since its grad_fn was made, as torch does when the view is
    next used: it becomes AsStridedBackward0 of the base as it is now (and requires
    grad if the base has come to). The pieces of split/chunk/unbind cannot be
    rebased: torch's error.
    """
    if not _state.enabled:
        return                          # nothing is recorded now; see to it when it is
    extra = view._extra
    if "no_grad_view" in extra:
        return no_grad_view_rebased(view)       # torch's error, if the view is in a graph
    if "multi_view" in extra and view._base._requires_grad:
        index, name = _piece_name(view)
        raise RuntimeError(f"Output {index} of {name} is a view and its base or another view "
                           "of its base has been modified inplace. " + _MULTI_VIEW_RULE)
    extra["view_version"] = view._vc[0]
    if view._base._requires_grad:
        regraph_view(view)


def regraph_view(view, positions=None):
    """Give ``view`` a new grad_fn, AsStridedBackward0 of its base as the base is now,
    as torch does after an in-place change to the base or to the view: the grad_fn
    the view got when it was made leads to the base's old version.

    >>> y = ember.tensor([1.0, 2.0], requires_grad=True) * 2
    >>> v = y[:1]; y.mul_(3); v.sum().backward()   # v's gradient flows through mul_
    """
    node = record("AsStridedBackward0", _as_strided_backward, (view._base,), view)
    if node is not None:
        node.positions = view_positions(view) if positions is None else positions
        follow_new_grad_fn(view)
    return node


def pick_array(array, keys):
    for k in keys:
        array = array[k]
    return array


def _copy_slices_backward(ctx, grad):
    g_old = grad.masked_fill(ctx.written_mask, 0) if ctx.needs_input_grad[0] else None
    g_value = None
    if ctx.needs_input_grad[1]:
        g = grad.reshape(-1)[ctx.written]
        g_value = unbroadcast(g, ctx.value_shape).reshape(ctx.input_meta[1][0])
    return g_old, g_value


def _as_strided_backward(ctx, grad):
    shape = tuple(ctx.input_meta[0][0])
    n = int(np.prod(shape))
    return embed(grad, (n,), (ctx.positions,)).reshape(shape)


def write_inplace(self, result, on_overlap=None):
    """Make ``self`` hold ``result`` (same shape) in place, with torch's autograd:
    the result's graph becomes self's, or, for a view, its base's.

    ``on_overlap``: what to do if self is an expanded tensor: None raises like torch,
    an op name warns that the op is deprecated on those (and writes), "allow" writes.
    """
    if _overlaps(self._data):
        if on_overlap is None:
            raise RuntimeError(_OVERLAP)
        if on_overlap != "allow":
            _expanded_write_warning(on_overlap)
    key = parse_key(self._data.shape, Ellipsis)
    if self._base is not None and _state.enabled and (
            self._base._requires_grad or result._requires_grad):
        _write(self, key, result)
        return self
    _check_writable(self, None, _state.enabled and result._requires_grad)
    if self._vc is NO_VERSION:
        check_inference_write()
    with np.errstate(invalid="ignore", over="ignore"):
        values = result._data.astype(self._data.dtype, copy=False)
    if _overlaps(self._data):
        # like torch, only the elements the op changed are written (an element of an
        # expanded tensor has several places, and the others keep the old value)
        changed = values != self._data
        _store(self, (key.basic, (changed,)), values[changed])
    else:
        _store(self, key.keys, values)
    take_graph_of(self, result)
    return self


def index_put(input, indices, values, accumulate=False):
    """Out-of-place ``input[indices] = values`` (or ``+=`` with accumulate)."""
    return index_put_(input.clone(), indices, values, accumulate)


def index_put_(input, indices, values, accumulate=False):
    """``input[indices] = values`` in place; with accumulate, repeated indices add up."""
    if not isinstance(values, Tensor):
        raise TypeError("index_put_(): argument 'values' (position 2) must be Tensor, not "
                        f"{type(values).__name__}")
    if not accumulate:
        _write(input, parse_key(input._data.shape, tuple(indices)), values)
        return input
    return write_inplace(input, _index_add_values(input, tuple(indices), values),
                         on_overlap="index_put_")


def _index_add_values(input, key, values):
    k = parse_key(input._data.shape, key)
    _check_index_put_dtype(input, values)
    data = input._data.copy()
    target = data[k.basic]
    idx = k.advanced if k.advanced is not None else Ellipsis
    shape = _indexed_shape(target.shape, idx) if k.advanced is not None else target.shape
    _quietly(np.add.at, target, idx,
             np.broadcast_to(values._data.astype(data.dtype, copy=False), shape))
    result = _make(data)
    node = record("IndexPutBackward0", _index_accumulate_backward, (input, values), result)
    if node:
        node.keys = k.keys
    return result


def _index_accumulate_backward(ctx, grad):
    g_values = None
    if ctx.needs_input_grad[1]:
        g_values = unbroadcast(pick(grad, *ctx.keys), ctx.input_meta[1][0])
    return grad if ctx.needs_input_grad[0] else None, g_values


# ------------------------------------------------------ argument errors


def _argument_error(fname, params, values, first):
    """torch's TypeError for a call of ``fname`` whose arguments ``params`` (pairs of a
    name and "Tensor" or "int", in order, the first at position ``first``) are
    ``values``: the arguments left out (_MISSING), or the first of the wrong type.
    Called only when a quick test of the types failed; None if all are right after
    all (a subclass of Tensor, a NumPy int)."""
    missing = [name for (name, _), value in zip(params, values) if value is _MISSING]
    if missing:
        return missing_arguments(fname, missing)
    for position, ((name, kind), value) in enumerate(zip(params, values), first):
        if kind == "Tensor" and not isinstance(value, Tensor):
            return wrong_type(fname, name, position, "Tensor", value)
        if kind == "int" and (isinstance(value, (bool, np.bool_)) or
                              not hasattr(type(value), "__index__")):
            return wrong_type(fname, name, position, "int", value)
    return None


def _check_arguments(fname, params, values, first):
    error = _argument_error(fname, params, values, first)
    if error is not None:
        raise error


_INPUT_DIM_INDEX = (("input", "Tensor"), ("dim", "int"), ("index", "Tensor"))


# --------------------------------------------------------- gather / scatter
def _check_index_tensor(index, opname):
    if not isinstance(index, Tensor):
        raise TypeError(f"{opname}(): argument 'index' (position 3) must be Tensor, not "
                        f"{type(index).__name__}")
    if index._data.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{opname}(): Expected dtype int32/int64 for index")
    return index._data.astype(np.int64, copy=False)


def _as_1d(array):
    # gather/scatter treat a 0-dim tensor as a 1-element vector
    return array.reshape(array.shape or (1,))


def _check_bounds(idx, size, dim, error=RuntimeError):
    bad = (idx < 0) | (idx >= size)
    if bad.any():
        raise error(f"index {idx[bad].flat[0]} is out of bounds for dimension {dim} with size "
                    f"{size}")


def _scatter_key(dim, index):
    """A NumPy fancy index addressing input[..., index[...], ...] along dim."""
    key = list(np.indices(index.shape, sparse=True))
    key[dim] = index
    return tuple(key)


def gather(input, dim=_MISSING, index=_MISSING, *, sparse_grad=False, _first=1):
    """Pick along dim by index: out[i][j] = input[index[i][j]][j] for dim=0 (and so on).

    >>> ember.tensor([[1, 2], [3, 4]]).gather(1, ember.tensor([[0, 0], [1, 0]]))
    tensor([[1, 1],
            [4, 3]])
    """
    if type(dim) is not int or type(index) is not Tensor or type(input) is not Tensor:
        # (torch numbers a method's arguments from the first after self)
        _check_arguments("gather", _INPUT_DIM_INDEX, (input, dim, index), _first - 1)
    idx = _check_index_tensor(index, "gather")
    d = wrap_dim(dim, input._data.ndim)
    if max(index.ndim, 1) != max(input.ndim, 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    src, idx = _as_1d(input._data), _as_1d(idx)
    for k, (i, s) in enumerate(zip(idx.shape, src.shape)):
        if k != d and i > s:
            raise RuntimeError(f"Size does not match at dimension {k} expected index "
                               f"{list(idx.shape)} to be no larger than self {list(src.shape)} "
                               f"apart from dimension {d}")
    _check_bounds(idx, src.shape[d], d)
    result = _make(src[_scatter_key(d, idx)].reshape(index._data.shape))
    node = record("GatherBackward0", _gather_backward, (input, None), result)
    if node:
        node.key = _scatter_key(d, idx)
    return result


def _gather_backward(ctx, grad):
    shape = tuple(ctx.input_meta[0][0])
    g = embed(grad.reshape(grad.shape or (1,)), shape or (1,), ctx.key)
    return g.reshape(shape), None


def _scatter_inputs(input, dim, index, src, opname):
    """Check a scatter's arguments; return (NumPy key, values array, src Tensor or None)."""
    idx = _check_index_tensor(index, "scatter")
    nd = max(input._data.ndim, 1)
    d = wrap_dim(dim, input._data.ndim)
    if max(index.ndim, 1) != nd:
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    shape = input._data.shape or (1,)
    idx = _as_1d(idx)
    src_t = src if isinstance(src, Tensor) else None
    if src_t is not None:
        if max(src_t.ndim, 1) != nd:
            raise RuntimeError("Index tensor must have the same number of dimensions as src "
                               "tensor")
        if src_t.dtype is not input.dtype:
            # (torch's check is shared: scatter_add's error names scatter() too)
            raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    src_shape = _as_1d(src_t._data).shape if src_t is not None else None
    if any(i > s for k, (i, s) in enumerate(zip(idx.shape, shape)) if k != d) or (
            src_shape is not None and any(i > s for i, s in zip(idx.shape, src_shape))):
        raise RuntimeError(f"Expected index {list(idx.shape)} to be no larger than self "
                           f"{list(shape)} apart from dimension {d}"
                           + (f" and to be no larger size than src {list(src_shape)}"
                              if src_shape is not None else ""))
    _check_bounds(idx, shape[d], d)
    if src_t is not None:
        vals = _as_1d(src_t._data)[tuple(slice(0, s) for s in idx.shape)]
    elif isinstance(src, (bool, int, float, np.number, np.bool_)):
        vals = _scalar_value(src, input.dtype)
    else:
        raise TypeError(f"{opname}(): argument 'src' must be Tensor or Number, not "
                        f"{type(src).__name__}")
    return _scatter_key(d, idx), vals, src_t


def scatter(input, dim=_MISSING, index=_MISSING, src=None, *, value=None, reduce=None,
            _first=1, _name="scatter"):
    """A copy of input with out[index[i][j]][j] = src[i][j] (dim=0), or ``value``.

    >>> ember.zeros(2, 3).scatter(0, ember.tensor([[1, 0, 1]]), 5.0)
    tensor([[0., 5., 0.],
            [5., 0., 5.]])
    """
    if src is None:
        src = value
    if type(dim) is not int or type(index) is not Tensor or not isinstance(
            src, (Tensor, bool, int, float, np.number, np.bool_)):
        _check_scatter_call(_name, input, dim, index, src, value, reduce, _first)
    key, vals, src_t = _scatter_inputs(input, dim, index, src, "scatter")
    if reduce is not None:
        if reduce not in ("add", "multiply"):
            raise RuntimeError("reduce argument must be either add or multiply.")
        if src_t is not None:
            warnings.warn("The reduce argument of torch.scatter with Tensor src is deprecated "
                          "and will be removed in a future PyTorch release. Use "
                          "torch.scatter_reduce instead for more reduction options.",
                          UserWarning, stacklevel=2)
    data = input._data.copy()
    flat = _as_1d(data)
    if reduce is None:
        flat[key] = vals
    elif reduce == "add":
        _quietly(np.add.at, flat, key, vals)
    else:
        _quietly(np.multiply.at, flat, key, vals)
    result = _make(data)
    if reduce is not None:
        # (torch's NotImplemented node has edges for the operands requiring grad only)
        record("NotImplemented", _not_implemented("scatter"),
               tuple(t for t in (input, src_t) if t is not None and t._requires_grad), result)
        return result
    if src_t is not None:
        node = record("ScatterBackward0", _scatter_backward, (input, src_t), result)
    else:       # a number value gets no edge
        node = record("ScatterBackward1", _scatter_backward, (input,), result)
    if node:
        node.key = key
        node.index_shape = np.broadcast_shapes(*(k.shape for k in key))
    return result


_SCATTER_SIGNATURES = ("(int dim, Tensor index, Tensor src)",
                       "(int dim, Tensor index, Tensor src, *, str reduce)",
                       "(int dim, Tensor index, Number value)",
                       "(int dim, Tensor index, Number value, *, str reduce)")


def _check_scatter_call(fname, input, dim, index, src, value, reduce, first):
    """torch's TypeError for a scatter call none of its signatures takes (listed as the
    method's, ``first`` 1, or the function's); nothing if the arguments pass after all
    (a Tensor subclass, a NumPy int dim)."""
    if isinstance(input, Tensor) and dim is not _MISSING and index is not _MISSING and \
            hasattr(type(dim), "__index__") and not isinstance(dim, (bool, np.bool_)) and \
            isinstance(index, Tensor) and isinstance(src, (Tensor, numbers.Number, np.generic)):
        return
    args = [a for a in (dim, index) if a is not _MISSING]
    if value is None and src is not None:
        args.append(src)
    keywords = {"value": value} if value is not None else {}
    if reduce is not None:
        keywords["reduce"] = reduce
    signatures = list(_SCATTER_SIGNATURES)
    if first != 1:
        args = [input] + args
        signatures = [s.replace("(", "(Tensor input, ").replace(
            ")", ", Tensor out = None)" if "*" in s else ", *, Tensor out = None)")
            for s in signatures]
    raise invalid_combination(fname, args, keywords, signatures)


def _not_implemented(opname):
    def backward(ctx, grad):
        raise RuntimeError(f"derivative for aten::{opname} is not implemented")
    return backward


def _zero_where_written(grad, shape, key, flat=False):
    """``grad`` with the positions an op wrote over (``key`` into a tensor of ``shape``,
    or with ``flat`` into its flattened elements) set to 0: the input's old values there
    reached no output."""
    mask = np.zeros((int(np.prod(shape)),) if flat else (shape or (1,)), np.bool_)
    mask[key] = True
    return grad.masked_fill(_make(mask.reshape(shape)), 0)


def _scatter_backward(ctx, grad):
    g_in = g_src = None
    shape = tuple(ctx.input_meta[0][0])
    if ctx.needs_input_grad[0]:
        g_in = _zero_where_written(grad, shape, ctx.key)
    if len(ctx.needs_input_grad) == 1:
        return g_in
    if ctx.needs_input_grad[1]:
        g_src = _src_gradient(grad, shape, ctx.key, ctx.index_shape, ctx.input_meta[1][0])
    return g_in, g_src


def _src_gradient(grad, shape, key, index_shape, src_shape):
    """The gradient of a scatter's src: grad at the positions each src element went
    to, zero where src was not used (outside index's shape)."""
    picked = pick(grad.reshape(shape or (1,)), key)
    src_shape = tuple(src_shape)
    g = embed(picked, src_shape or (1,), tuple(slice(0, s) for s in index_shape))
    return g.reshape(src_shape)


def scatter_(input, dim=_MISSING, index=_MISSING, src=None, *, value=None, reduce=None):
    """In-place :func:`scatter`."""
    return write_inplace(input, scatter(input, dim, index, src, value=value, reduce=reduce,
                                        _name="scatter_", _first=1))


def scatter_add(input, dim=_MISSING, index=_MISSING, src=_MISSING, *, _first=1,
                _name="scatter_add"):
    """A copy of input with src added at the indexed positions (repeats add up).

    >>> ember.zeros(3).scatter_add(0, ember.tensor([0, 0, 2]), ember.ones(3))
    tensor([2., 0., 1.])
    """
    if type(dim) is not int or type(index) is not Tensor or type(src) is not Tensor or \
            type(input) is not Tensor:
        _check_arguments(_name, _INPUT_DIM_INDEX + (("src", "Tensor"),),
                         (input, dim, index, src), _first - 1)
    key, vals, src_t = _scatter_inputs(input, dim, index, src, "scatter_add")
    data = input._data.copy()
    _quietly(np.add.at, _as_1d(data), key, vals)
    result = _make(data)
    node = record("ScatterAddBackward0", _scatter_add_backward, (input, src_t), result)
    if node:
        node.key = key
        node.index_shape = np.broadcast_shapes(*(k.shape for k in key))
    return result


def _scatter_add_backward(ctx, grad):
    g_src = None
    if ctx.needs_input_grad[1]:
        g_src = _src_gradient(grad, tuple(ctx.input_meta[0][0]), ctx.key, ctx.index_shape,
                              ctx.input_meta[1][0])
    return grad if ctx.needs_input_grad[0] else None, g_src


def _index_vector(index, opname, dtype_error, vector_error):
    """The int64 entries of a 1-D (or 0-d) index tensor for index_select/add/fill."""
    if not isinstance(index, Tensor):
        raise TypeError(f"{opname}(): argument 'index' (position 2) must be Tensor, not "
                        f"{type(index).__name__}")
    if index._data.dtype not in (np.int64, np.int32):
        raise dtype_error(index)
    if index.ndim > 1:
        raise vector_error(index)
    return index._data.reshape(-1).astype(np.int64, copy=False)


def _index_and_source(input, dim, index, source, opname):
    """The int64 index vector and the wrapped dim of index_add/index_reduce, after
    torch's checks of the index, of its length against source and of source's dtype
    and slice shape (the two ops share torch's messages, named ``opname_``)."""
    name = opname + "_"
    idx = _index_vector(
        index, opname,
        lambda i: RuntimeError(f"{name}(): Expected dtype int32/int64 for index but got: "
                               f"{_dtype_name(i)}"),
        lambda i: IndexError(f"{name}(): Index is supposed to be a vector, but got dim: "
                             f"{i.ndim} with type: {_dtype_name(i)} and size: "
                             f"{list(i.shape)}"))
    d = wrap_dim(dim, input._data.ndim)
    n_src = source.shape[d] if source.ndim else 1
    if idx.size != n_src:
        raise RuntimeError(f"{name}(): Number of indices ({idx.size}) should be equal "
                           f"to source.size(dim): ({n_src}), for dim: {d}")
    if source.dtype is not input.dtype:
        raise RuntimeError(f"{name}(): self ({_dtype_name(input)}) and source "
                           f"({_dtype_name(source)}) must have the same scalar type")
    if source.ndim and input.ndim and (source.ndim != input.ndim or any(
            a != b for k, (a, b) in enumerate(zip(source.shape, input.shape)) if k != d)):
        raise RuntimeError("source tensor shape must match self tensor shape, excluding the "
                           f"specified dimension. Got self.shape = {list(input.shape)} "
                           f"source.shape = {list(source.shape)}")
    return idx, d


def index_select(input, dim=_MISSING, index=_MISSING, *, _first=1):
    """The slices of input at ``index`` (a 1-D int tensor) along dim.

    >>> ember.arange(6).reshape(2, 3).index_select(1, ember.tensor([2, 0]))
    tensor([[2, 0],
            [5, 3]])
    """
    if type(dim) is not int or type(index) is not Tensor or type(input) is not Tensor:
        _check_arguments("index_select", _INPUT_DIM_INDEX, (input, dim, index), _first - 1)
    idx = _index_vector(
        index, "index_select",
        lambda i: RuntimeError("index_select(): Expected dtype int32 or int64 for index"),
        lambda i: IndexError("index_select(): Index is supposed to be a vector"))
    d = wrap_dim(dim, input._data.ndim)
    if input._data.ndim == 0 and idx.size != 1:
        raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got "
                         f"{idx.size} value(s)")
    size = input._data.shape[d] if input._data.ndim else 1
    bad = (idx < 0) | (idx >= size)
    if bad.any():
        if d == 0:
            raise IndexError("index out of range in self")
        # (torch's kernel for the other dims has its own message and type)
        raise RuntimeError(f"INDICES element is out of DATA bounds, id={idx[bad][0]} "
                           f"axis_dim={size}")
    key = (slice(None),) * d + (idx,)
    data = _as_1d(input._data)[key]
    result = _make(_c_order(data).reshape(data.shape if input.ndim else ()))
    node = record("IndexSelectBackward0", _index_select_backward, (input,), result)
    if node:
        node.key = key
    return result


def _index_select_backward(ctx, grad):
    shape = tuple(ctx.input_meta[0][0])
    return embed(grad.reshape(grad.shape or (1,)), shape or (1,), ctx.key).reshape(shape)


def index_add(input, dim=_MISSING, index=_MISSING, source=_MISSING, *, alpha=1, _first=1):
    """A copy of input with ``alpha * source`` slices added at ``index`` along dim
    (repeated indices add up).

    >>> ember.zeros(3, 2).index_add(0, ember.tensor([0, 0]), ember.ones(2, 2))
    tensor([[2., 2.],
            [0., 0.],
            [0., 0.]])
    """
    if type(dim) is not int or type(index) is not Tensor or type(source) is not Tensor or \
            type(input) is not Tensor:
        _check_arguments("index_add", _INPUT_DIM_INDEX + (("source", "Tensor"),),
                         (input, dim, index, source), _first - 1)
    idx, d = _index_and_source(input, dim, index, source, "index_add")
    _check_bounds(idx, input._data.shape[d] if input.ndim else 1, d)
    if input._data.dtype.kind in "iu" and alpha != 1:
        # torch takes alpha in the integer dtype by its checked conversion: 1.5 adds
        # source once, 300 is refused for uint8, -1 wraps to 255
        alpha = int(_scalar_value(alpha, input.dtype))
    src = source * alpha if alpha != 1 else source
    data = input._data.copy()
    key = (slice(None),) * d + (idx,)
    _quietly(np.add.at, _as_1d(data), key, _as_1d(src._data))
    result = _make(data)
    node = record("IndexAddBackward0", _index_add_backward, (input, src), result)
    if node:
        node.key = key
    return result


def _index_add_backward(ctx, grad):
    g_src = None
    if ctx.needs_input_grad[1]:
        shape = tuple(ctx.input_meta[0][0])
        g_src = pick(grad.reshape(shape or (1,)), ctx.key).reshape(ctx.input_meta[1][0])
    return grad if ctx.needs_input_grad[0] else None, g_src


_C_NAMES = {"uint8": "unsigned char", "int8": "signed char", "int16": "short int",
            "int32": "int", "int64": "long int", "float16": "c10::Half", "float32": "float",
            "float64": "double"}


def masked_fill(input, mask=_MISSING, value=_MISSING, *extra, _first=1):
    """A copy of input with ``value`` where mask is True (mask broadcasts).

    >>> ember.zeros(3).masked_fill(ember.tensor([True, False, True]), 1.0)
    tensor([1., 0., 1.])
    """
    if value is _MISSING or extra:
        raise _masked_fill_call_error("masked_fill", input, (mask, value, *extra), _first)
    return _masked_fill(input, mask, value, "masked_fill_", first=_first)


def _masked_fill_call_error(fname, input, given, first):
    """torch's TypeError for a masked_fill call no signature of its takes (``given``:
    the arguments after input, _MISSING for those left out), listed as the method's
    (``first`` 1) or the function's signatures."""
    args = [a for a in given if a is not _MISSING]
    signatures = ["(Tensor mask, Tensor value)", "(Tensor mask, Number value)"]
    if first != 1:
        args, signatures = [input] + args, [s.replace("(", "(Tensor input, ") for s in signatures]
    return invalid_combination(fname, args, {}, signatures)


def _masked_fill(input, mask, value, opname, in_place=False, names=("MaskedFillBackward0",
                                                                    "MaskedFillBackward1"),
                 keep_layout=False, first=None):
    """masked_fill's result (C order, as torch's out-of-place masked_fill copies the
    input contiguously before filling it) or, with ``keep_layout``, index_fill's (a
    copy that keeps the input's layout, as torch's clone does). ``first``: for
    masked_fill (1 as a method), whose TypeErrors list its signatures."""
    if first is not None and not (isinstance(mask, Tensor) and isinstance(
            value, (Tensor, bool, int, float, np.number, np.bool_))):
        raise _masked_fill_call_error(opname if in_place else "masked_fill", input,
                                      (mask, value), first)
    if not isinstance(mask, Tensor):
        raise TypeError(f"masked_fill(): argument 'mask' (position 1) must be Tensor, not "
                        f"{type(mask).__name__}")
    m = mask._data
    if m.dtype != np.bool_:
        raise RuntimeError(f"{opname} only supports boolean masks, but got mask with dtype "
                           f"{_C_NAMES[mask.dtype.name]}")
    value_t = None
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(f"{opname} only supports a 0-dimensional value tensor, but "
                               f"got tensor with {value.ndim} dimension(s).")
        value_t = value
        with np.errstate(invalid="ignore", over="ignore"):
            fill = value._data.astype(input._data.dtype)
    elif isinstance(value, (bool, int, float, np.number, np.bool_)):
        fill = _scalar_value(value, input.dtype)
    else:
        # (NumPy's "could not convert string to float" escaped before)
        name = opname.rstrip("_")
        raise TypeError(f"{name}() received an invalid combination of arguments - got "
                        f"(Tensor, Tensor, {type(value).__name__}), but expected one of:\n"
                        f" * (Tensor input, Tensor mask, Tensor value)\n"
                        f" * (Tensor input, Tensor mask, Number value)\n")
    from .pointwise import _broadcast_error
    try:
        shape = np.broadcast_shapes(input._data.shape, m.shape)
    except ValueError:
        raise (_broadcast_error(input, mask) if in_place else
               _broadcast_error(mask, input)) from None
    if in_place and shape != input._data.shape:
        raise RuntimeError(f"output with shape {list(input.shape)} doesn't match the broadcast "
                           f"shape {list(shape)}")
    data = input._data
    if keep_layout:
        out = _mf.array_with_strides(data, _mf.strides_for(input, _mf.preserve_format))
    else:
        out = np.empty(shape, data.dtype)
        np.copyto(out, data)
    np.copyto(out, fill, where=m)
    result = _make(out)
    # a number value gets no edge (torch's MaskedFill/IndexFillBackward0 have one input)
    node = record(names[value_t is not None], _masked_fill_backward,
                  (input,) if value_t is None else (input, value_t), result)
    if node:
        node.mask = mask
    return result


def _masked_fill_backward(ctx, grad):
    g_in = g_val = None
    if ctx.needs_input_grad[0]:
        g_in = unbroadcast(grad.masked_fill(ctx.mask, 0), ctx.input_meta[0][0])
    if len(ctx.needs_input_grad) == 1:
        return g_in
    if ctx.needs_input_grad[1]:
        from .pointwise import where
        g_val = where(ctx.mask, grad, 0.0).sum()
    return g_in, g_val


def masked_select(input, mask=_MISSING, *, _first=1):
    """The elements where mask (broadcast against input) is True, as a 1-D tensor.

    >>> ember.tensor([1, 2, 3]).masked_select(ember.tensor([True, False, True]))
    tensor([1, 3])
    """
    if not isinstance(mask, Tensor) or mask._data.dtype != np.bool_:
        _check_arguments("masked_select", (("input", "Tensor"), ("mask", "Tensor")),
                         (input, mask), _first - 1)
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    try:
        shape = np.broadcast_shapes(input._data.shape, mask._data.shape)
    except ValueError:
        from .pointwise import _broadcast_error
        raise _broadcast_error(mask, input) from None
    m = np.broadcast_to(mask._data, shape)
    result = _make(np.broadcast_to(input._data, shape)[m])
    node = record("MaskedSelectBackward0", _masked_select_backward, (input,), result)
    if node:
        node.mask = m
    return result


def _masked_select_backward(ctx, grad):
    full = embed(grad, ctx.mask.shape, (ctx.mask,))
    return unbroadcast(full, ctx.input_meta[0][0])


def nonzero(input, *, as_tuple=False):
    """Indices of the non-zero elements: an (n, ndim) int64 tensor, or a tuple per dim.

    >>> ember.tensor([0, 3, 0, 4]).nonzero()
    tensor([[1],
            [3]])
    """
    if input.ndim == 0:
        count = int(bool(input._data))
        if as_tuple:
            return (_make(np.zeros(count, np.int64)),)
        return _make(np.zeros((count, 0), np.int64))
    idx = np.nonzero(input._data)
    if as_tuple:
        return tuple(_make(i.astype(np.int64)) for i in idx)
    return _make(np.stack(idx, axis=1).astype(np.int64).reshape(-1, input.ndim))


def argwhere(input):
    return nonzero(input)


def take(input, index=_MISSING, *, _first=1):
    """Elements of the flattened input at ``index`` (the result has index's shape).

    >>> ember.tensor([[1, 2], [3, 4]]).take(ember.tensor([0, 3]))
    tensor([1, 4])
    """
    if not isinstance(index, Tensor) or index._data.dtype != np.int64:
        _check_arguments("take", (("input", "Tensor"), ("index", "Tensor")), (input, index),
                         _first - 1)
        got = index.dtype.legacy_name[:-6] if isinstance(index, Tensor) else \
            type(index).__name__
        raise RuntimeError(f"take(): Expected a long tensor for index, but got {got}")
    n = input.numel()
    idx = index._data
    bad = (idx < -n) | (idx >= n)
    if bad.any():
        raise IndexError(f"out of range: tried to access index {idx[bad].flat[0]} on a tensor "
                         f"of {n} elements.")
    flat_idx = np.where(idx < 0, idx + n, idx)
    result = _make(input._data.reshape(-1)[flat_idx])
    node = record("TakeBackward0", _take_backward, (input,), result)
    if node:
        node.index = flat_idx
    return result


def _take_backward(ctx, grad):
    shape = tuple(ctx.input_meta[0][0])
    return embed(grad, (int(np.prod(shape)),), (ctx.index,)).reshape(shape)


def index_fill(input, dim=_MISSING, index=_MISSING, value=_MISSING, *extra, _first=1,
               _name="index_fill"):
    """A copy of input with ``value`` in the slices at ``index`` along dim.

    >>> ember.zeros(2, 3).index_fill(1, ember.tensor([0, 2]), 7.0)
    tensor([[7., 0., 7.],
            [7., 0., 7.]])
    """
    if extra or not isinstance(index, Tensor) or not isinstance(
            value, (Tensor, bool, int, float, np.number, np.bool_)) or isinstance(
            dim, (bool, np.bool_)) or not hasattr(type(dim), "__index__"):
        # (index_fill has two signatures, a Tensor value or a Number one)
        given = [a for a in (dim, index, value, *extra) if a is not _MISSING]
        signatures = ["(int dim, Tensor index, Tensor value)",
                      "(int dim, Tensor index, Number value)"]
        if _first != 1:
            given = [input] + given
            signatures = [sig.replace("(", "(Tensor input, ") for sig in signatures]
        raise invalid_combination(_name, given, {}, signatures)
    if index._data.dtype != np.int64:
        raise IndexError("index_fill_(): Expected dtype int64 for index.")
    if index.ndim > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    if isinstance(value, Tensor) and value.ndim != 0:
        raise RuntimeError(f"index_fill_ only supports a 0-dimensional value tensor, but got "
                           f"tensor with {value.ndim} dimension(s).")
    d = wrap_dim(dim, input._data.ndim)
    size = input._data.shape[d] if input.ndim else 1
    idx = index._data.reshape(-1)
    bad = (idx < -size) | (idx >= size)
    if bad.any():
        raise IndexError(f"index {idx[bad].flat[0]} is out of bounds for dimension {d} with "
                         f"size {size}")
    mask = np.zeros(input._data.shape or (1,), np.bool_)
    mask[(slice(None),) * d + (idx,)] = True
    return _masked_fill(input, _make(mask.reshape(input._data.shape)), value, "index_fill_",
                        names=("IndexFillBackward0", "IndexFillBackward1"), keep_layout=True)


def _masked_fill_(self, mask, value):
    return write_inplace(self, _masked_fill(self, mask, value, "masked_fill_", in_place=True,
                                            first=1),
                         on_overlap="masked_fill_")


def _index_add_(self, dim, index, source, *, alpha=1):
    return write_inplace(self, index_add(self, dim, index, source, alpha=alpha, _first=1))


def _scatter_add_(self, dim=_MISSING, index=_MISSING, src=_MISSING):
    return write_inplace(self, scatter_add(self, dim, index, src, _first=1,
                                          _name="scatter_add_"))


def _index_fill_(self, dim=_MISSING, index=_MISSING, value=_MISSING, *extra):
    return write_inplace(self, index_fill(self, dim, index, value, *extra, _first=1,
                                          _name="index_fill_"), on_overlap="index_fill_")


bind(__getitem__=getitem, __setitem__=setitem, gather=gather, scatter=scatter,
     scatter_=scatter_, scatter_add=scatter_add, scatter_add_=_scatter_add_,
     index_select=index_select, index_add=index_add, index_add_=_index_add_,
     masked_fill=masked_fill, masked_fill_=_masked_fill_, masked_select=masked_select,
     nonzero=nonzero, argwhere=argwhere, take=take, index_put=index_put,
     index_put_=index_put_, index_fill=index_fill, index_fill_=_index_fill_)


# ------------------------------------------------- more scatters (torch 2.x)
# Each op checks its arguments with torch's errors first, then works on a copy of the
# input's array; repeated indices follow torch's CPU kernels (a plain write keeps the
# last value, NumPy's fancy assignment does the same; reductions use ufunc.at).

def _dtype_name(t):
    """A dtype as torch's scalar-type messages name it: Float, Long, Bool."""
    return t.dtype.legacy_name[:-len("Tensor")]


def _like_input(input, array):
    """``array`` (input's shape) laid out as torch's clone of ``input`` is (its strides
    kept where they are dense): the result layout of put and of the *_scatter ops."""
    return _mf.array_with_strides(array, _mf.strides_for(input, _mf.preserve_format))


def _need_tensor(value, opname, name, position):
    if not isinstance(value, Tensor):
        from ._common import _type_name
        raise TypeError(f"{opname}(): argument '{name}' (position {position}) must be Tensor, "
                        f"not {_type_name(value)}")


def take_along_dim(input, indices=_MISSING, dim=None, *, _first=1):
    """The values of input at ``indices`` along dim (input and indices broadcast
    against each other in the other dims); without dim, along the flattened input.

    >>> ember.take_along_dim(ember.tensor([[10, 30, 20]]), ember.tensor([[1, 2]]), dim=1)
    tensor([[30, 20]])
    """
    if type(indices) is not Tensor:
        _check_arguments("take_along_dim", (("input", "Tensor"), ("indices", "Tensor")),
                         (input, indices), _first - 1)
    if indices._data.dtype != np.int64:
        raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{_dtype_name(indices)}")
    if dim is None:
        return gather(input.reshape(-1), 0, indices.reshape(-1))
    if input.ndim != indices.ndim:
        raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same "
                           f"number of dimensions, but got {input.ndim} dimensions for input, "
                           f"and {indices.ndim} dimensions for indices")
    if input.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    d = wrap_dim(dim, input.ndim)
    wanted = list(input.shape)
    wanted[d] = indices.shape[d]
    try:
        shape = list(np.broadcast_shapes(tuple(wanted), tuple(indices.shape)))
    except ValueError:
        from .pointwise import _broadcast_error
        raise _broadcast_error(np.broadcast_to(0, wanted), indices) from None
    size = input.shape[d]
    idx = indices._data
    if idx.size and size == 0:
        raise RuntimeError("ZeroDivisionError")
    # torch wraps every index into range (4 reads 0 along a dim of size 4, -1 reads 3)
    wrapped = _make(np.remainder(idx, size) if size else idx)
    index_shape, input_shape = list(shape), list(shape)
    input_shape[d] = size
    return gather(input.expand(*input_shape), d, wrapped.expand(*index_shape))


def index_copy(input, dim, index, source):
    """A copy of input with the slices of ``source`` written at ``index`` along dim
    (for a repeated index the last slice stays, as on torch's CPU).

    >>> ember.zeros(3, 2).index_copy(0, ember.tensor([2, 0]), ember.ones(2, 2))
    tensor([[1., 1.],
            [0., 0.],
            [1., 1.]])
    """
    _need_tensor(index, "index_copy", "index", 2)
    _need_tensor(source, "index_copy", "source", 3)
    d = wrap_dim(dim, input._data.ndim)
    if index.ndim > 1:
        raise IndexError(f"index_copy_(): Index should have dimension 1 or 0 (got {index.ndim})")
    if index._data.dtype != np.int64:
        raise RuntimeError(f"index_copy_(): Expected a long tensor for index, but got "
                           f"{_dtype_name(index)}")
    if source.ndim and input.ndim and source.ndim != input.ndim:
        raise IndexError(f"index_copy_(): When source and destination are not scalars, their "
                         f"dimensionality must match. Source dimensionality ({source.ndim}), "
                         f"destination dimensionality ({input.ndim})")
    n_src = source.shape[d] if source.ndim else 1
    if index.numel() != n_src:
        raise IndexError(f"index_copy_(): Number of indices ({index.numel()}) should be equal "
                         f"to source.size(dim) ({n_src})")
    if source.ndim and input.ndim:
        own = [str(s) for k, s in enumerate(input.shape) if k != d]
        theirs = [str(s) for k, s in enumerate(source.shape) if k != d]
        if own != theirs:
            # (torch's text: the sizes of the slices, the one of source "at dimension 0")
            raise RuntimeError(
                f"index_copy_(): Source/destination tensor must have same slice shapes. "
                f"Destination slice shape: {' '.join(own)} at dimension {d} and source slice "
                f"shape: {' '.join(theirs)} at dimension 0.")
    if source.dtype is not input.dtype:
        raise RuntimeError(f"index_copy_(): self and source expected to have the same dtype, "
                           f"but got (self) {_dtype_name(input)} and (source) "
                           f"{_dtype_name(source)}")
    idx = index._data.reshape(-1)
    size = input.shape[d] if input.ndim else 1
    bad = (idx < 0) | (idx >= size)
    if bad.any():
        raise IndexError(f"index_copy_(): index {idx[bad][0]} is out of bounds for dimension "
                         f"{d} with size {size}")
    data = np.array(input._data, order="C")
    key = (slice(None),) * d + (idx,)
    _as_1d(data)[key] = _as_1d(source._data)
    result = _make(data)
    node = record("IndexCopyBackward0", _index_copy_backward, (input, source), result)
    if node:
        node.key = key
    return result


def _index_copy_backward(ctx, grad):
    g_in = g_src = None
    shape = tuple(ctx.input_meta[0][0])
    if ctx.needs_input_grad[0]:
        g_in = _zero_where_written(grad, shape, ctx.key)
    if ctx.needs_input_grad[1]:
        g_src = pick(grad.reshape(shape or (1,)), ctx.key).reshape(ctx.input_meta[1][0])
    return g_in, g_src


def masked_scatter(input, mask, source):
    """A copy of input (broadcast with mask) with the first elements of ``source``, in
    order, written where mask is True.

    >>> ember.zeros(4).masked_scatter(ember.tensor([True, False, True, False]),
    ...                               ember.tensor([1., 2., 3.]))
    tensor([1., 0., 2., 0.])
    """
    return _masked_scatter(input, mask, source, in_place=False)


def _masked_scatter(input, mask, source, in_place):
    _need_tensor(mask, "masked_scatter", "mask", 1)
    _need_tensor(source, "masked_scatter", "source", 2)
    if mask._data.dtype != np.bool_:
        raise RuntimeError(f"masked_scatter_ only supports boolean masks, but got mask with "
                           f"dtype {_dtype_name(mask)}")
    if source.dtype is not input.dtype:
        raise RuntimeError(f"masked_scatter: expected self and source to have same dtypes but "
                           f"got{_dtype_name(input)} and {_dtype_name(source)}")
    if in_place:
        m = mask.expand(*input.shape)._data       # (torch's expand errors)
    else:
        try:
            shape = np.broadcast_shapes(input._data.shape, mask._data.shape)
        except ValueError:
            from .pointwise import _broadcast_error
            raise _broadcast_error(mask, input) from None
        m = np.broadcast_to(mask._data, shape)
    n = int(np.count_nonzero(m))
    if source.numel() < n:
        raise RuntimeError("Number of elements of source < number of ones in mask")
    data = np.empty(m.shape, input._data.dtype)
    np.copyto(data, input._data)
    data[m] = source._data.reshape(-1)[:n]
    result = _make(data)
    node = record("MaskedScatterBackward0", _masked_scatter_backward, (input, source), result)
    if node:
        node.mask, node.count = _make(np.ascontiguousarray(m)), n
    return result


def _masked_scatter_backward(ctx, grad):
    g_in = g_src = None
    if ctx.needs_input_grad[0]:
        g_in = unbroadcast(grad.masked_fill(ctx.mask, 0), tuple(ctx.input_meta[0][0]))
    if ctx.needs_input_grad[1]:
        src_shape = tuple(ctx.input_meta[1][0])
        picked = grad.masked_select(ctx.mask)
        g_src = embed(picked, (int(np.prod(src_shape)),), slice(0, ctx.count)).reshape(src_shape)
    return g_in, g_src


def put(input, index, source, accumulate=False):
    """A copy of input with ``source`` written at the flat positions ``index`` (as if
    input were 1-D); with ``accumulate``, added there (repeated indices add up).

    >>> ember.zeros(2, 2).put(ember.tensor([0, 3]), ember.tensor([1., 2.]))
    tensor([[1., 0.],
            [0., 2.]])
    """
    return _put(input, index, source, accumulate, "put")


def _put(input, index, source, accumulate, opname):
    _need_tensor(index, opname, "index", 1)
    _need_tensor(source, opname, "source", 2)
    if index._data.dtype != np.int64:
        raise RuntimeError(f"put_(): Expected a long tensor for index, but got "
                           f"{_dtype_name(index)}")
    if source.dtype is not input.dtype:
        raise RuntimeError(f"put_(): self and source expected to have the same dtype, but got "
                           f"self.dtype = {_dtype_name(input)} and source.dtype = "
                           f"{_dtype_name(source)}")
    if source.numel() != index.numel():
        raise IndexError(f"put_(): Expected source and index to have the same number of "
                         f"elements, but got source.numel() = {source.numel()}, index.numel() "
                         f"= {index.numel()}")
    n = input.numel()
    idx = index._data.reshape(-1)
    if n == 0 and idx.size:
        raise IndexError("put_(): Tried to put elements into an empty tensor")
    bad = (idx < -n) | (idx >= n)
    if bad.any():
        raise IndexError(f"out of range: tried to access index {idx[bad][0]} on a tensor of "
                         f"{n} elements.")
    flat_idx = np.where(idx < 0, idx + n, idx)
    flat = np.array(input._data, order="C").reshape(-1)
    values = source._data.reshape(-1)
    if accumulate:
        _quietly(np.add.at, flat, flat_idx, values)
    else:
        flat[flat_idx] = values
    result = _make(_like_input(input, flat.reshape(input._data.shape)))
    node = record("PutBackward0", _put_backward, (input, source), result)
    if node:
        node.index, node.accumulate = _make(flat_idx), accumulate
    return result


def _put_backward(ctx, grad):
    g_in = g_src = None
    if ctx.needs_input_grad[0]:
        if ctx.accumulate:
            g_in = grad
        else:
            zeros = _make(np.zeros(ctx.index._data.shape, grad._data.dtype))
            g_in = grad.put(ctx.index, zeros)
    if ctx.needs_input_grad[1]:
        g_src = grad.take(ctx.index).reshape(ctx.input_meta[1][0])
    return g_in, g_src


def _scatter_at(input, src, positions, name, opname):
    """A copy of input (its layout kept) with ``src`` written at the flat positions
    ``positions`` (an int array of the shape src must have): the common core of
    select_scatter, slice_scatter and diagonal_scatter."""
    _need_tensor(src, opname, "src", 1)
    if tuple(src.shape) != positions.shape:
        raise RuntimeError(f"expected src to have a size equal to the slice of self. src size "
                           f"= {list(src.shape)}, slice size = {list(positions.shape)}")
    flat = np.array(input._data, order="C").reshape(-1)
    with np.errstate(invalid="ignore", over="ignore"):
        flat[positions] = src._data.astype(flat.dtype, copy=False)   # (src is cast, as in torch)
    result = _make(_like_input(input, flat.reshape(input._data.shape)))
    node = record(name, _scatter_at_backward, (input, src), result)
    if node:
        node.positions = positions
    return result


def _scatter_at_backward(ctx, grad):
    g_in = g_src = None
    shape = tuple(ctx.input_meta[0][0])
    if ctx.needs_input_grad[0]:
        g_in = _zero_where_written(grad, shape, ctx.positions.reshape(-1), flat=True)
    if ctx.needs_input_grad[1]:
        g_src = pick(grad.reshape(-1), (ctx.positions,))
    return g_in, g_src


def _flat_positions(shape):
    return np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)


def select_scatter(input, src, dim, index):
    """A copy of input with ``src`` written at ``input.select(dim, index)``.

    >>> ember.zeros(2, 2).select_scatter(ember.ones(2), 0, 1)
    tensor([[0., 0.],
            [1., 1.]])
    """
    from .shape import select
    positions = select(_make(_flat_positions(input._data.shape)), dim, index)._data
    return _scatter_at(input, src, positions, "SelectScatterBackward0", "select_scatter")


def slice_scatter(input, src, dim=0, start=None, end=None, step=1):
    """A copy of input with ``src`` written at ``input[..., start:end:step, ...]``
    along dim.

    >>> ember.zeros(2, 4).slice_scatter(ember.ones(2, 2), 1, start=2)
    tensor([[0., 0., 1., 1.],
            [0., 0., 1., 1.]])
    """
    if input.ndim == 0:
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    d = wrap_dim(dim, input._data.ndim)
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    key = (slice(None),) * d + (slice(start, end, step),)
    positions = _flat_positions(input._data.shape)[key]
    return _scatter_at(input, src, positions, "SliceScatterBackward0", "slice_scatter")


def diagonal_scatter(input, src, offset=0, dim1=0, dim2=1):
    """A copy of input with ``src`` written at ``input.diagonal(offset, dim1, dim2)``.

    >>> ember.zeros(2, 2).diagonal_scatter(ember.tensor([1., 2.]))
    tensor([[1., 0.],
            [0., 2.]])
    """
    from .shape import diagonal
    positions = diagonal(_make(_flat_positions(input._data.shape)), offset, dim1, dim2)._data
    return _scatter_at(input, src, np.array(positions), "DiagonalScatterBackward0",
                       "diagonal_scatter")


def _fill_diagonal_(self, fill_value, wrap=False):
    """Fill the main diagonal (all indices equal) in place; for a tall matrix,
    ``wrap`` starts it again every ``ncols + 1`` rows, as NumPy's fill_diagonal does.

    >>> ember.zeros(2, 3).fill_diagonal_(1.)
    tensor([[1., 0., 0.],
            [0., 1., 0.]])
    """
    shape = self._data.shape
    if len(shape) < 2:
        raise RuntimeError("dimensions must larger than 1")
    if len(shape) > 2 and len(set(shape)) != 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    fill = _scalar_value(fill_value, self.dtype)
    numel = int(np.prod(shape))
    # the flat distance between neighbours on the diagonal, in C order
    step = sum(int(np.prod(shape[k + 1:])) for k in range(len(shape)))
    if wrap and len(shape) == 2:
        positions = np.arange(0, numel, step, dtype=np.int64)
    else:
        positions = np.arange(min(shape), dtype=np.int64) * step
    mask = np.zeros(numel, np.bool_)
    mask[positions] = True
    mask = _make(mask.reshape(shape))
    data = np.array(self._data, order="C")
    np.copyto(data, fill, where=mask._data)
    result = _make(data)
    # (torch fills a diagonal view: the write shows as CopySlices)
    node = record("CopySlices", lambda ctx, g: g.masked_fill(ctx.mask, 0), (self,), result)
    if node:
        node.mask = mask
    return write_inplace(self, result)


_SCATTER_REDUCES = ("sum", "prod", "mean", "amax", "amin")


def _identity(reduce, dtype):
    """The value a reduction starts from when include_self=False leaves self out."""
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    if dtype.kind == "b":
        return reduce == "amin"
    if dtype.kind == "f":
        return -np.inf if reduce == "amax" else np.inf
    info = np.iinfo(dtype)
    return info.min if reduce == "amax" else info.max


_UFUNCS = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.maximum,
           "amin": np.minimum}


def _reduce_into(data, key, vals, reduce, include_self):
    """Reduce ``vals`` into ``data`` (in place, a 1-d-or-more array) at ``key``
    (repeated positions reduce together, unordered as in torch)."""
    if not include_self:
        data[key] = _identity(reduce, data.dtype)
    _quietly(_UFUNCS[reduce].at, data, key, vals)
    if reduce == "mean":
        counts = np.full(data.shape, 1 if include_self else 0, np.int64)
        np.add.at(counts, key, 1)
        counts[counts == 0] = 1     # (positions nothing went to keep self)
        if data.dtype.kind == "f":
            data[...] = silently(np.divide, data, counts.astype(data.dtype))
        else:               # integers: torch rounds the mean down
            data[...] = np.floor_divide(data, counts)
        return counts
    return None


def _check_reduce_dtype(input, reduce, kernel):
    if reduce == "mean" and input._data.dtype == np.bool_:
        raise NotImplementedError(f'"{kernel}_reduce_mean" not implemented for \'Bool\'')


def scatter_reduce(input, dim, index, src, reduce, *, include_self=True):
    """A copy of input with ``src`` reduced in at ``index`` along dim (as scatter
    addresses): ``reduce`` is "sum", "prod", "mean", "amax" or "amin"; with
    ``include_self=False`` the input's own values at those positions are left out.

    >>> ember.zeros(2).scatter_reduce(0, ember.tensor([0, 0, 1]), ember.tensor([1., 5., 2.]),
    ...                               "amax", include_self=False)
    tensor([5., 2.])
    """
    _need_tensor(src, "scatter_reduce", "src", 3)
    if reduce not in _SCATTER_REDUCES:
        raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got "
                           f"{reduce}")
    key, vals, _ = _scatter_inputs(input, dim, index, src, "scatter_reduce")
    _check_reduce_dtype(input, reduce, "scatter_gather_tensor_cpu")
    d = wrap_dim(dim, input._data.ndim)
    index_t = _make(_as_1d(index._data.astype(np.int64, copy=False)))
    return _scatter_reduce_core(input, d, key, vals, index_t, src, reduce, include_self,
                                "ScatterReduceBackward0")


def _scatter_reduce_core(input, d, key, vals, index_t, src, reduce, include_self, name):
    data = np.array(input._data, order="C")
    counts = _reduce_into(_as_1d(data), key, vals, reduce, include_self)
    result = _make(data)
    node = record(name, _scatter_reduce_backward, (input, src), result)
    if node:
        node.args = (d, key, index_t, reduce, include_self, counts)
        # (copies: an in-place scatter_reduce_ overwrites the input's array with the result)
        node.self_, node.src = _make(input._data.copy()), _make(src._data.copy())
        node.result = _make(data)
    return result


def _scatter_reduce_backward(ctx, grad):
    """torch's formulas for the gradients of a scatter reduction, on 1-d-or-more views
    (only the part of src that index covers takes part)."""
    from .pointwise import where
    d, key, index, reduce, include_self, counts = ctx.args
    shape, src_shape = tuple(ctx.input_meta[0][0]), tuple(ctx.input_meta[1][0])
    g = grad.reshape(shape or (1,))
    x = ctx.self_.reshape(shape or (1,))
    result = ctx.result.reshape(shape or (1,))
    used = tuple(slice(0, n) for n in index.shape)
    s = pick(ctx.src.reshape(src_shape or (1,)), used)
    scattered = np.zeros(g.shape, np.bool_)
    scattered[key] = True
    scattered = _make(scattered)
    if reduce == "sum":
        g_self, g_src = g, g.gather(d, index)
    elif reduce == "mean":
        n = _make(counts.astype(g._data.dtype))
        g_self = g / n
        g_src = g_self.gather(d, index)
    elif reduce == "prod":
        x_masked = x.masked_fill(x == 0, 1)
        masked_self_result = x_masked.scatter_reduce(d, index, s, "prod",
                                                     include_self=include_self)
        g_self = g * masked_self_result / x_masked
        src_zero = s == 0
        src_num_zeros = (x * 0).scatter_add(d, index, src_zero.to(x.dtype)).gather(d, index)
        src_single_zero = src_zero.logical_and(src_num_zeros == 1)
        masked_src_result = x.scatter_reduce(d, index, s.masked_fill(src_single_zero, 1),
                                             "prod", include_self=include_self)
        g_src = where(src_single_zero, (g * masked_src_result).gather(d, index),
                      (g * result).gather(d, index) / s.masked_fill(src_zero, 1))
    else:               # amax, amin: shared evenly among the values that were the result
        # (as torch counts it: with include_self=False a left-out self value equal to the
        # result still takes its share, which then goes nowhere)
        self_is_result = (x == result).to(g.dtype)
        src_is_result = (s == result.gather(d, index)).to(g.dtype)
        share = g / self_is_result.scatter_add(d, index, src_is_result)
        g_self = self_is_result * share
        g_src = src_is_result * share.gather(d, index)
    if not include_self:
        g_self = g_self.masked_fill(scattered, 0)
    g_src = embed(g_src, src_shape or (1,), used)
    return g_self.reshape(shape), g_src.reshape(src_shape)


def index_reduce(input, dim, index, source, reduce, *, include_self=True):
    """A copy of input with the slices of ``source`` reduced in at ``index`` along dim:
    ``reduce`` is "prod", "mean", "amax" or "amin"; with ``include_self=False`` the
    input's own slices at those indices are left out.

    >>> ember.ones(2, 2).index_reduce(0, ember.tensor([1, 1]), ember.tensor([[2., 3.], [4., 5.]]),
    ...                               "prod")
    tensor([[ 1.,  1.],
            [ 8., 15.]])
    """
    warnings.warn("index_reduce() is in beta and the API may change at any time.",
                  UserWarning, stacklevel=2)
    _need_tensor(index, "index_reduce", "index", 2)
    _need_tensor(source, "index_reduce", "source", 3)
    if reduce not in ("prod", "mean", "amax", "amin"):
        raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or "
                           f"amin but got {reduce}.")
    idx, d = _index_and_source(input, dim, index, source, "index_reduce")
    size = input._data.shape[d] if input.ndim else 1
    if ((idx < 0) | (idx >= size)).any():
        raise IndexError("index out of range in self")
    _check_reduce_dtype(input, reduce, "index_reduce_func_cpu")
    # the index of each element of source: idx along dim, the same everywhere else
    src_shape = source._data.shape or (1,)
    along = [1] * len(src_shape)
    along[d] = -1
    full = np.broadcast_to(idx.reshape(along), src_shape)
    return _scatter_reduce_core(input, d, _scatter_key(d, full), _as_1d(source._data),
                                _make(np.ascontiguousarray(full)), source, reduce,
                                include_self, "IndexReduceBackward0")


def unravel_index(indices, shape):
    """The coordinates, one tensor per dim of ``shape``, of the flat ``indices`` into a
    tensor of that shape (negative indices count from the end).

    >>> ember.unravel_index(ember.tensor([4, 1]), (3, 2))
    (tensor([2, 0]), tensor([0, 1]))
    """
    if not isinstance(indices, Tensor):
        from ._common import _type_name
        raise AttributeError(f"'{_type_name(indices)}' object has no attribute 'is_complex'")
    if indices._data.dtype.kind not in "iu":
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices.dtype}")
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, (bool, np.bool_)):
        shape = (int(shape),)
    elif isinstance(shape, collections.abc.Sequence):
        for n in shape:
            if not isinstance(n, (int, np.integer)):
                raise TypeError(f"expected 'shape' sequence to only contain ints, but got "
                                f"{type(n)}")
        shape = tuple(int(n) for n in shape)
    else:
        raise TypeError(f"expected 'shape' to be int or sequence of ints, but got "
                        f"{type(shape)}")
    if any(n < 0 for n in shape):
        raise ValueError(f"'shape' cannot have negative values, but got {shape}")
    # the flat index divided (rounding down) by each dim's stride, modulo its size
    strides = [int(np.prod(shape[k + 1:])) for k in range(len(shape))]
    coefficients = _make(np.array(strides, np.int64))
    sizes = _make(np.array(shape, np.int64))
    return (indices.unsqueeze(-1).floor_divide(coefficients) % sizes).unbind(-1)


def _index_copy_(self, dim, index, source):
    return write_inplace(self, index_copy(self, dim, index, source))


def _masked_scatter_(self, mask, source):
    return write_inplace(self, _masked_scatter(self, mask, source, in_place=True))


def _put_(self, index, source, accumulate=False):
    return write_inplace(self, _put(self, index, source, accumulate, "put_"))


def _scatter_reduce_(self, dim, index, src, reduce, *, include_self=True):
    return write_inplace(self, scatter_reduce(self, dim, index, src, reduce,
                                              include_self=include_self))


def _index_reduce_(self, dim, index, source, reduce, *, include_self=True):
    return write_inplace(self, index_reduce(self, dim, index, source, reduce,
                                            include_self=include_self))


bind(take_along_dim=take_along_dim, index_copy=index_copy, index_copy_=_index_copy_,
     masked_scatter=masked_scatter, masked_scatter_=_masked_scatter_, put=put, put_=_put_,
     select_scatter=select_scatter, slice_scatter=slice_scatter,
     diagonal_scatter=diagonal_scatter, fill_diagonal_=_fill_diagonal_,
     scatter_reduce=scatter_reduce, scatter_reduce_=_scatter_reduce_,
     index_reduce=index_reduce, index_reduce_=_index_reduce_)

# The module's functions number their arguments from the input, as torch's do
# (ember.gather(x, 'a', i): 'dim' is at position 2, where x.gather('a', i) says 1):
# copies that differ from the methods only in a hidden keyword default.
(gather, index_select, index_add, masked_select, take, take_along_dim, masked_fill,
 scatter, index_fill) = (function_twin(fn, _first=2) for fn in (
     gather, index_select, index_add, masked_select, take, take_along_dim, masked_fill, scatter,
     index_fill))
scatter_add = function_twin(scatter_add, _first=2)
