"""Indexing: ``x[...]``, ``x[...] = v``, gather/scatter, masks, nonzero.

Basic indexing (ints, slices, None, ...) gives views, as in torch; advanced
indexing (integer or boolean tensors) gives copies. The backward of any read
is :func:`~ember.ops.shape.embed`: the gradient placed back at the indexed
positions of a zero tensor, with repeated indices adding up.
"""
import numpy as np

from .. import _dtypes
from .._tensor import Tensor, _make
from ..autograd.graph import record
from ._common import bind, to_tensor, unbroadcast, wrap_dim
from .pointwise import check_inplace
from .shape import embed, make_view


def _index_array(t):
    d = t._data
    if d.dtype.kind == "f":
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    return d


def _convert_key(key):
    """A NumPy index for a torch-style key; also says whether it is advanced."""
    if not isinstance(key, tuple):
        key = (key,)
    out, advanced = [], False
    for k in key:
        if isinstance(k, Tensor):
            k = _index_array(k)
            advanced = True
        elif isinstance(k, (list, np.ndarray)):
            k = np.asarray(k)
            if k.dtype.kind == "f":
                raise IndexError("tensors used as indices must be long, int, byte or bool "
                                 "tensors")
            advanced = True
        elif isinstance(k, bool):
            advanced = True
        elif not isinstance(k, (int, slice, type(None), type(Ellipsis), np.integer)):
            raise IndexError("only integers, slices (`:`), ellipsis (`...`), None and long or "
                             "byte Variables are valid indices (got "
                             f"{type(k).__name__})")
        out.append(k)
    return tuple(out), advanced


def _torch_index_error(err, input):
    msg = str(err)
    if "too many indices" in msg:
        return IndexError(f"too many indices for tensor of dimension {input._data.ndim}")
    if "out of bounds" in msg:
        return IndexError(msg.replace("axis", "dimension"))
    if "boolean index did not match" in msg:
        return IndexError(f"The shape of the mask {msg.split('boolean index did not match')[-1]}"
                          .strip())
    return IndexError(msg)


def _node_name(key, advanced):
    if advanced:
        return "IndexBackward0"
    last = [k for k in key if k is not Ellipsis]
    if not last:
        return "AliasBackward0"
    k = last[-1]
    if isinstance(k, (int, np.integer)):
        return "SelectBackward0"
    if k is None:
        return "UnsqueezeBackward0"
    return "SliceBackward0"


def getitem(input, key):
    """``x[key]``: a view for basic indexing, a copy for advanced indexing."""
    np_key, advanced = _convert_key(key)
    try:
        data = input._data[np_key]
    except IndexError as err:
        raise _torch_index_error(err, input) from None
    if advanced:
        result = _make(np.array(data, copy=True))
    else:
        result = make_view(input, data if isinstance(data, np.ndarray) else np.asarray(data))
        if not isinstance(data, np.ndarray):        # NumPy gave a scalar: make a 0-d view
            result = make_view(input, input._data[np_key + (Ellipsis,)])
    node = record(_node_name(np_key, advanced), _getitem_backward, (input,), result)
    if node:
        node.key = np_key
    return result


def _getitem_backward(ctx, grad):
    return embed(grad, tuple(ctx.input_meta[0][0]), ctx.key)


def setitem(input, key, value):
    """``x[key] = value`` in place (value broadcast and cast to x's dtype)."""
    check_inplace(input)
    np_key, _ = _convert_key(key)
    value_t = value if isinstance(value, Tensor) else None
    raw = value._data if value_t is not None else value
    try:
        input._data[np_key] = raw
    except IndexError as err:
        raise _torch_index_error(err, input) from None
    except ValueError:
        target = np.shape(input._data[np_key])
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(np.shape(raw))} cannot "
                           f"be broadcast to indexing result of shape {list(target)}") from None
    input._bump_version()
    needs = value_t is not None and value_t._requires_grad
    if needs or input._requires_grad:
        # Rebase the graph: the old values at key no longer matter; value's gradient is
        # the gradient at key.
        prev = _make(input._data)           # stand-in for the pre-write input in the graph
        prev._requires_grad, prev.grad_fn = input._requires_grad, input.grad_fn
        node = record("CopySlices", _setitem_backward, (prev, value_t), input)
        if node:
            node.key = np_key
            node.value_shape = value_t.shape if value_t is not None else None


def _setitem_backward(ctx, grad):
    from .creation import zeros_like
    g_self = None
    if ctx.needs_input_grad[0]:
        g_self = grad.clone()
        g_self._data[ctx.key] = 0
    g_value = None
    if ctx.needs_input_grad[1]:
        g_value = unbroadcast(grad[ctx.key], ctx.value_shape)
    return g_self, g_value


def index_put(input, indices, values, accumulate=False):
    out = input.clone()
    return index_put_(out, indices, values, accumulate)


def index_put_(input, indices, values, accumulate=False):
    key = tuple(indices)
    if accumulate:
        check_inplace(input)
        np_key, _ = _convert_key(key)
        np.add.at(input._data, np_key, to_tensor(values)._data)
        input._bump_version()
    else:
        setitem(input, key, values)
    return input


# --------------------------------------------------------- gather / scatter
def _check_index_tensor(index, opname):
    if not isinstance(index, Tensor) or index._data.dtype != np.int64:
        raise RuntimeError(f"{opname}(): Expected dtype int64 for index")


def gather(input, dim, index, *, sparse_grad=False):
    """out[i][j] = input[index[i][j]][j] for dim=0 (and so on)."""
    _check_index_tensor(index, "gather")
    d = wrap_dim(dim, input._data.ndim)
    if index.ndim != input.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    src = input._data if input.ndim else input._data.reshape(1)
    idx = index._data if index.ndim else index._data.reshape(1)
    try:
        data = src[_scatter_key(src.shape, d, idx)].reshape(index.shape)
    except IndexError as err:
        raise RuntimeError(f"gather(): {err}".replace("axis", "dimension")) from None
    result = _make(data)
    node = record("GatherBackward0", _gather_backward, (input, None), result)
    if node:
        node.dim, node.index = d, index
    return result


def _gather_backward(ctx, grad):
    from .creation import zeros
    base = zeros(ctx.input_meta[0][0], dtype=grad.dtype)
    return scatter_add(base, ctx.dim, ctx.index, grad), None


def _scatter_key(shape, dim, index):
    """A NumPy fancy index addressing input[..., index[...], ...] along dim."""
    grids = np.indices(index.shape, sparse=True)
    key = list(grids)
    key[dim] = index
    return tuple(key)


def scatter(input, dim, index, src=None, *, value=None, reduce=None):
    """A copy of input with out[index[i][j]][j] = src[i][j] (dim=0)."""
    return scatter_(input.clone(), dim, index, src if src is not None else value, reduce=reduce)


def scatter_(input, dim, index, src=None, *, value=None, reduce=None):
    _check_index_tensor(index, "scatter")
    check_inplace(input)
    if src is None:
        src = value
    d = wrap_dim(dim, input._data.ndim)
    key = _scatter_key(input.shape, d, index._data)
    src_t = src if isinstance(src, Tensor) else None
    vals = src_t._data[tuple(slice(0, s) for s in index.shape)] if src_t is not None else src
    if reduce == "add":
        np.add.at(input._data, key, vals)
    elif reduce == "multiply":
        np.multiply.at(input._data, key, vals)
    else:
        input._data[key] = vals
    input._bump_version()
    if src_t is not None and src_t._requires_grad or input._requires_grad:
        prev = _make(input._data)
        prev._requires_grad, prev.grad_fn = input._requires_grad, input.grad_fn
        node = record("ScatterBackward0", _scatter_backward, (prev, src_t), input)
        if node:
            node.key, node.src_shape = key, src_t.shape if src_t is not None else None
    return input


def _scatter_backward(ctx, grad):
    g_in = None
    if ctx.needs_input_grad[0]:
        g_in = grad.clone()
        g_in._data[ctx.key] = 0
    g_src = None
    if ctx.needs_input_grad[1]:
        picked = grad[ctx.key]
        g_src = embed(picked, tuple(ctx.src_shape), tuple(np.indices(picked.shape, sparse=True)))
    return g_in, g_src


def scatter_add(input, dim, index, src):
    """A copy of input with src added at the indexed positions (repeats add up)."""
    _check_index_tensor(index, "scatter_add")
    d = wrap_dim(dim, input._data.ndim)
    key = _scatter_key(input.shape, d, index._data)
    data = input._data.copy()
    vals = src._data[tuple(slice(0, s) for s in index.shape)]
    np.add.at(data, key, vals.astype(data.dtype, copy=False))
    result = _make(data)
    node = record("ScatterAddBackward0", _scatter_add_backward, (input, src), result)
    if node:
        node.key = key
    return result


def _scatter_add_backward(ctx, grad):
    g_in = grad if ctx.needs_input_grad[0] else None
    g_src = None
    if ctx.needs_input_grad[1]:
        picked = grad[ctx.key]
        g_src = embed(picked, tuple(ctx.input_meta[1][0]),
                      tuple(np.indices(picked.shape, sparse=True)))
    return g_in, g_src


def index_select(input, dim, index):
    """The slices of input at ``index`` (1-D int tensor) along dim."""
    if index.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    d = wrap_dim(dim, input._data.ndim)
    key = (slice(None),) * d + (_index_array(index).reshape(-1),)
    try:
        data = input._data[key]
    except IndexError as err:
        raise IndexError(f"index out of range in self") from None
    result = _make(np.array(data, copy=True))
    node = record("IndexSelectBackward0", _getitem_backward, (input,), result)
    if node:
        node.key = key
    return result


def index_add(input, dim, index, source, *, alpha=1):
    """A copy of input with ``alpha * source`` slices added at ``index`` along dim."""
    d = wrap_dim(dim, input._data.ndim)
    if index.numel() != (source.shape[d] if source.ndim else 1):
        raise RuntimeError(f"index_add_(): Number of indices ({index.numel()}) should be equal "
                           f"to source.size(dim): ({source.shape[d] if source.ndim else 1}), "
                           f"for dim: {d}")
    key = (slice(None),) * d + (_index_array(index),)
    src = source * alpha if alpha != 1 else source
    data = input._data.copy()
    np.add.at(data, key, src._data.astype(data.dtype, copy=False))
    result = _make(data)
    node = record("IndexAddBackward0", _index_add_backward, (input, src), result)
    if node:
        node.key = key
    return result


def _index_add_backward(ctx, grad):
    return (grad if ctx.needs_input_grad[0] else None,
            grad[ctx.key] if ctx.needs_input_grad[1] else None)


def masked_fill(input, mask, value):
    """A copy of input with ``value`` where mask is True (mask broadcasts)."""
    m = mask._data
    if m.dtype != np.bool_:
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{_dtypes.FROM_NUMPY[m.dtype].name}")
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but "
                               f"got tensor with {value.ndim} dimension(s).")
        value = value.item()
    try:
        data = np.where(m, np.asarray(value).astype(input._data.dtype), input._data)
    except ValueError:
        raise RuntimeError(f"The size of tensor a ({input.shape[-1]}) must match the size of "
                           f"tensor b ({mask.shape[-1]}) at non-singleton dimension "
                           f"{input.ndim - 1}") from None
    if data.shape != input._data.shape:
        raise RuntimeError(f"masked_fill: mask of shape {list(mask.shape)} cannot be broadcast "
                           f"to the input's shape {list(input.shape)}")
    result = _make(data)
    node = record("MaskedFillBackward0", _masked_fill_backward, (input,), result)
    if node:
        node.mask = mask
    return result


def _masked_fill_backward(ctx, grad):
    return grad.masked_fill(ctx.mask, 0)


def masked_select(input, mask):
    """The elements where mask (broadcast) is True, as a 1-D tensor."""
    if mask._data.dtype != np.bool_:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = np.broadcast_shapes(input.shape, mask.shape)
    full = input.expand(shape) if input.shape != shape else input
    return full[mask.expand(shape) if mask.shape != shape else mask]


def nonzero(input, *, as_tuple=False):
    """Indices of the non-zero elements: an (n, ndim) int64 tensor, or a tuple per dim."""
    idx = np.nonzero(input._data if input.ndim else input._data.reshape(1))
    if as_tuple:
        return tuple(_make(i.astype(np.int64)) for i in idx)
    return _make(np.stack(idx, axis=1).astype(np.int64) if input.ndim else
                 np.zeros((int(bool(input._data)), 0), np.int64))


def argwhere(input):
    return nonzero(input)


def take(input, index):
    return input.reshape(-1)[index]


def _masked_fill_(self, mask, value):
    from .pointwise import assign_inplace
    return assign_inplace(self, masked_fill(self, mask, value))


def _index_add_(self, dim, index, source, *, alpha=1):
    from .pointwise import assign_inplace
    return assign_inplace(self, index_add(self, dim, index, source, alpha=alpha))


def _scatter_add_(self, dim, index, src):
    from .pointwise import assign_inplace
    return assign_inplace(self, scatter_add(self, dim, index, src))


def _index_fill(self, dim, index, value):
    d = wrap_dim(dim, self.ndim)
    out = self.clone()
    key = (slice(None),) * d + (index._data,)
    out._data[key] = value.item() if isinstance(value, Tensor) else value
    return out


bind(__getitem__=getitem, __setitem__=setitem, gather=gather, scatter=scatter,
     scatter_=scatter_, scatter_add=scatter_add, scatter_add_=_scatter_add_,
     index_select=index_select, index_add=index_add, index_add_=_index_add_,
     masked_fill=masked_fill, masked_fill_=_masked_fill_, masked_select=masked_select,
     nonzero=nonzero, argwhere=argwhere, take=take, index_put=index_put,
     index_put_=index_put_, index_fill=_index_fill)
