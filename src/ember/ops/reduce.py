"""Reductions (sum, mean, max, var, norm, ...), scans (cumsum) and sorting.

Every reduction takes ``dim`` (int, tuple or None for all) and ``keepdim``;
torch's NumPy-style aliases ``axis`` and ``keepdims`` are accepted too, as the
D2L slides use them. Backward expands the gradient back over the reduced dims.
"""
import builtins
import collections

import numpy as np

from .. import _dtypes
from .._tensor import Tensor, _make
from ..autograd.graph import record
from ._common import bind, wrap_dim, wrap_dims


# -------------------------------------------------------------- helpers
def _dims(input, dim, axis):
    if axis is not None:
        if dim is not None:
            raise TypeError("got both 'dim' and its alias 'axis'")
        dim = axis
    if isinstance(dim, (list, tuple)) and len(dim) == 0:
        dim = None
    return None if dim is None else wrap_dims(dim, input._data.ndim)


def _keep(keepdim, keepdims):
    return bool(keepdim or keepdims)


def _expand_back(grad, input_shape, axes, keepdim):
    """Broadcast a reduced gradient back over the reduced axes of input_shape."""
    if axes is None:
        axes = tuple(range(len(input_shape)))
    if not keepdim and axes:
        shape = list(input_shape)
        for a in axes:
            shape[a] = 1
        grad = grad.reshape(shape)
    return grad.expand(input_shape)


_return_types = {}


def return_type(name, fields=("values", "indices")):
    """torch.return_types.NAME: a named tuple that prints like torch's."""
    cls = _return_types.get(name)
    if cls is None:
        base = collections.namedtuple(name, fields)

        def __repr__(self):
            body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
            return f"torch.return_types.{name}(\n{body})"
        cls = type(name, (base,), {"__repr__": __repr__, "__slots__": ()})
        cls.__module__ = "torch.return_types"
        _return_types[name] = cls
    return cls


def _float_check(input, opname):
    if input._data.dtype.kind != "f":
        raise RuntimeError(f"{opname}(): could not infer output dtype. Input dtype must be either "
                           f"a floating point or complex dtype. Got: "
                           f"{input.dtype.legacy_name[:-6]}")


# ------------------------------------------------------------------ sum
def sum(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=False):
    """Sum over all elements or over ``dim``; ints and bools sum to int64.

    >>> ember.tensor([[1., 2.], [3., 4.]]).sum(axis=0)
    tensor([4., 6.])
    """
    axes = _dims(input, dim, axis)
    keep = _keep(keepdim, keepdims)
    data = input._data
    if dtype is not None:
        out_dt = _dtypes.to_dtype(dtype).np
    elif data.dtype.kind in "biu":
        out_dt = np.dtype(np.int64)
    else:
        out_dt = data.dtype
    result = _make(np.asarray(np.sum(data, axis=axes, keepdims=keep, dtype=out_dt)))
    node = record("SumBackward0" if dim is None and axis is None else "SumBackward1",
                  _sum_backward, (input,), result)
    if node:
        node.axes, node.keep = axes, keep
    return result


def _sum_backward(ctx, grad):
    return _expand_back(grad, ctx.input_meta[0][0], ctx.axes, ctx.keep)


def nansum(input, dim=None, keepdim=False, *, dtype=None):
    return sum(input.masked_fill(input.isnan(), 0), dim, keepdim, dtype=dtype)


def mean(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=False):
    """Average over all elements or over ``dim`` (floating dtypes only)."""
    if dtype is not None:
        input = input.to(dtype)
    _float_check(input, "mean")
    axes = _dims(input, dim, axis)
    keep = _keep(keepdim, keepdims)
    with np.errstate(invalid="ignore", divide="ignore"):
        data = np.asarray(np.mean(input._data, axis=axes, keepdims=keep, dtype=input._data.dtype))
    result = _make(data)
    node = record("MeanBackward0" if dim is None and axis is None else "MeanBackward1",
                  _mean_backward, (input,), result)
    if node:
        node.axes, node.keep = axes, keep
        shape = input._data.shape
        node.count = int(np.prod([shape[a] for a in (axes if axes is not None
                                                     else range(len(shape)))]))
    return result


def _mean_backward(ctx, grad):
    return _expand_back(grad, ctx.input_meta[0][0], ctx.axes, ctx.keep) / ctx.count


def nanmean(input, dim=None, keepdim=False):
    _float_check(input, "nanmean")
    return _make(np.asarray(np.nanmean(input._data, axis=_dims(input, dim, None),
                                       keepdims=keepdim)))


def prod(input, dim=None, keepdim=False, *, dtype=None):
    """Product over all elements, or over one dim."""
    if dim is not None and not isinstance(dim, (int, np.integer)):
        raise TypeError("prod(): argument 'dim' must be int, not " + type(dim).__name__)
    axes = _dims(input, dim, None)
    data = input._data
    out_dt = _dtypes.to_dtype(dtype).np if dtype is not None else (
        np.dtype(np.int64) if data.dtype.kind in "biu" else data.dtype)
    result = _make(np.asarray(np.prod(data, axis=axes, keepdims=keepdim, dtype=out_dt)))
    node = record("ProdBackward0" if dim is None else "ProdBackward1", _prod_backward,
                  (input,), result)
    if node:
        node.save_for_backward(input, result)
        node.axes, node.keep = axes, keepdim
    return result


def _prod_backward(ctx, grad):
    x, out = ctx.saved_tensors
    shape = ctx.input_meta[0][0]
    g = _expand_back(grad, shape, ctx.axes, ctx.keep)
    if not (x._data == 0).any():
        return g * _expand_back(out, shape, ctx.axes, ctx.keep) / x
    # With zeros, the product of the *other* elements: exclusive cumulative products from
    # both sides (NumPy only: not differentiable a second time at zeros).
    axis = ctx.axes[0] if ctx.axes and len(ctx.axes) == 1 else None
    a = x._data if axis is not None else x._data.reshape(-1)
    ax = axis if axis is not None else 0
    ones = np.ones_like(np.take(a, [0], axis=ax))
    left = np.cumprod(np.concatenate([ones, np.delete(a, -1, axis=ax)], axis=ax), axis=ax)
    right = np.flip(np.cumprod(np.concatenate(
        [ones, np.delete(np.flip(a, ax), -1, axis=ax)], axis=ax), axis=ax), ax)
    others = _make((left * right).reshape(shape))
    return g * others


# ------------------------------------------------------------ max and min
def _extreme(input, dim, keepdim, find_max, opname):
    data = input._data
    if dim is None:
        if data.size == 0:
            raise RuntimeError(f"{opname}(): Expected reduction dim to be specified for "
                               f"input.numel() == 0. Specify the reduction dim with the 'dim' "
                               f"argument.")
        value = data.max() if find_max else data.min()
        if data.dtype.kind == "f" and np.isnan(data).any():
            value = data.dtype.type(np.nan)
        result = _make(np.asarray(value, dtype=data.dtype))
        node = record("MaxBackward1" if find_max else "MinBackward1", _all_extreme_backward,
                      (input,), result)
        if node:
            node.save_for_backward(input, result)
        return result
    if isinstance(dim, Tensor):
        return (maximum if find_max else minimum)(input, dim)
    d = wrap_dim(dim, data.ndim)
    src = data if data.ndim else data.reshape(1)
    if src.shape[d] == 0:
        raise IndexError(f"{opname}(): Expected reduction dim {d} to have non-zero size.")
    idx = (np.argmax if find_max else np.argmin)(src, axis=d)
    if src.dtype.kind == "f":
        nan_any = np.isnan(src).any(axis=d)
        if nan_any.any():          # NaN wins, as in torch
            idx = np.where(nan_any, np.argmax(np.isnan(src), axis=d), idx)
    idx_k = np.expand_dims(idx, d)
    values = np.take_along_axis(src, idx_k, axis=d)
    if not keepdim or not data.ndim:
        values = values.squeeze(d)
        idx_out = idx
    else:
        idx_out = idx_k
    if not data.ndim:
        values, idx_out = values.reshape(()), np.asarray(idx_out).reshape(())
    vt = _make(np.asarray(values))
    it = _make(np.asarray(idx_out, dtype=np.int64))
    node = record("MaxBackward0" if find_max else "MinBackward0", _dim_extreme_backward,
                  (input,), vt)
    if node:
        node.dim, node.keep, node.index = d, keepdim, idx_k
    return return_type("max" if find_max else "min")(vt, it)


def _all_extreme_backward(ctx, grad):
    x, out = ctx.saved_tensors
    mask = (x == out)
    # Ties share the gradient evenly (torch's evenly_distribute_backward).
    return mask * (grad / mask.sum())


def _dim_extreme_backward(ctx, grad):
    from .shape import embed
    shape = tuple(ctx.input_meta[0][0])
    if not shape:
        return grad
    g = grad if ctx.keep else grad.unsqueeze(ctx.dim)
    grids = list(np.indices(ctx.index.shape, sparse=True))
    grids[ctx.dim] = ctx.index
    return embed(g, shape, tuple(grids))


def max(input, dim=None, keepdim=False, *, out=None):
    """The largest element, or (values, indices) along ``dim``; max(a, b) is maximum."""
    return _extreme(input, dim, keepdim, True, "max")


def min(input, dim=None, keepdim=False, *, out=None):
    """The smallest element, or (values, indices) along ``dim``."""
    return _extreme(input, dim, keepdim, False, "min")


def _amax_amin(input, dim, keepdim, find_max):
    axes = wrap_dims(dim, input._data.ndim) if dim not in (None, (), []) else None
    fn = np.max if find_max else np.min
    name = "amax" if find_max else "amin"
    if input._data.size == 0 and (axes is None or builtins.any(input.shape[a] == 0 for a in axes)):
        raise IndexError(f"{name}(): Expected reduction dim {axes[0] if axes else 0} to have "
                         f"non-zero size.")
    result = _make(np.asarray(fn(input._data, axis=axes, keepdims=keepdim)))
    node = record("AmaxBackward0" if find_max else "AminBackward0", _amax_backward,
                  (input,), result)
    if node:
        node.save_for_backward(input, result)
        node.axes, node.keep = axes, keepdim
    return result


def _amax_backward(ctx, grad):
    x, out = ctx.saved_tensors
    shape = ctx.input_meta[0][0]
    mask = x == _expand_back(out, shape, ctx.axes, ctx.keep)
    count = _expand_back(mask.sum(ctx.axes if ctx.axes is not None else None, keepdim=True),
                         shape, None, True) if ctx.axes is not None else mask.sum()
    return mask * _expand_back(grad, shape, ctx.axes, ctx.keep) / count


def amax(input, dim=(), keepdim=False):
    """Largest values over ``dim`` (ties share the gradient)."""
    return _amax_amin(input, dim, keepdim, True)


def amin(input, dim=(), keepdim=False):
    """Smallest values over ``dim`` (ties share the gradient)."""
    return _amax_amin(input, dim, keepdim, False)


def aminmax(input, *, dim=None, keepdim=False):
    d = () if dim is None else dim
    return return_type("aminmax", ("min", "max"))(amin(input, d, keepdim), amax(input, d, keepdim))


def argmax(input, dim=None, keepdim=False):
    """Index of the largest element (of the flattened tensor if dim is None)."""
    if dim is None:
        if input._data.size == 0:
            raise RuntimeError("argmax(): Expected reduction dim to be specified for "
                               "input.numel() == 0.")
        idx = np.argmax(input._data)
        return _make(np.asarray(idx, dtype=np.int64).reshape((1,) * input.ndim if keepdim
                                                              else ()))
    return _extreme(input, dim, keepdim, True, "argmax")[1]


def argmin(input, dim=None, keepdim=False):
    """Index of the smallest element (of the flattened tensor if dim is None)."""
    if dim is None:
        if input._data.size == 0:
            raise RuntimeError("argmin(): Expected reduction dim to be specified for "
                               "input.numel() == 0.")
        idx = np.argmin(input._data)
        return _make(np.asarray(idx, dtype=np.int64).reshape((1,) * input.ndim if keepdim
                                                              else ()))
    return _extreme(input, dim, keepdim, False, "argmin")[1]


# ------------------------------------------------------------ statistics
def _correction(unbiased, correction):
    if correction is not None:
        return correction
    if unbiased is None:
        return 1
    return 1 if unbiased else 0


def _parse_var_args(dim, unbiased):
    # var(x, True) means unbiased=True, as in torch's old signature.
    if isinstance(dim, bool):
        return None, dim
    return dim, unbiased


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None,
        keepdims=False):
    """Variance with Bessel's correction by default (``correction=1``)."""
    dim, unbiased = _parse_var_args(dim, unbiased)
    _float_check(input, "var")
    axes = _dims(input, dim, axis)
    keep = _keep(keepdim, keepdims)
    corr = _correction(unbiased, correction)
    with np.errstate(invalid="ignore", divide="ignore"):
        data = np.var(input._data, axis=axes, keepdims=keep, ddof=corr)
    result = _make(np.asarray(data, dtype=input._data.dtype))
    node = record("VarBackward0", _var_backward, (input,), result)
    if node:
        node.save_for_backward(input)
        node.axes, node.keep, node.corr = axes, keep, corr
    return result


def _var_backward(ctx, grad):
    (x,) = ctx.saved_tensors
    shape = ctx.input_meta[0][0]
    n = x.numel() if ctx.axes is None else int(np.prod([shape[a] for a in ctx.axes]))
    centred = x - x.mean(ctx.axes, keepdim=True) if ctx.axes is not None else x - x.mean()
    return _expand_back(grad, shape, ctx.axes, ctx.keep) * centred * (2.0 / (n - ctx.corr))


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None,
        keepdims=False):
    """Standard deviation, the square root of :func:`var`."""
    dim, unbiased = _parse_var_args(dim, unbiased)
    _float_check(input, "std")
    axes = _dims(input, dim, axis)
    keep = _keep(keepdim, keepdims)
    corr = _correction(unbiased, correction)
    with np.errstate(invalid="ignore", divide="ignore"):
        data = np.std(input._data, axis=axes, keepdims=keep, ddof=corr)
    result = _make(np.asarray(data, dtype=input._data.dtype))
    node = record("StdBackward0", _std_backward, (input,), result)
    if node:
        node.save_for_backward(input, result)
        node.axes, node.keep, node.corr = axes, keep, corr
    return result


def _std_backward(ctx, grad):
    x, out = ctx.saved_tensors
    shape = ctx.input_meta[0][0]
    n = x.numel() if ctx.axes is None else int(np.prod([shape[a] for a in ctx.axes]))
    centred = x - x.mean(ctx.axes, keepdim=True) if ctx.axes is not None else x - x.mean()
    scale = _expand_back(grad / out, shape, ctx.axes, ctx.keep)
    return scale * centred / (n - ctx.corr)


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return (var(input, dim, unbiased, keepdim, correction=correction),
            mean(input, dim, keepdim))


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return (std(input, dim, unbiased, keepdim, correction=correction),
            mean(input, dim, keepdim))


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """Vector p-norm over all elements or ``dim`` (torch.norm); 'fro' is the 2-norm."""
    if p == "fro" or p is None:
        p = 2
    if p == "nuc":
        from .. import linalg
        return linalg.matrix_norm(input, "nuc", dim if dim is not None else (-2, -1), keepdim)
    return vector_norm(input, p, dim, keepdim, dtype=dtype)


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """(sum |x|^ord)^(1/ord) over ``dim``; ord may be inf, -inf or 0."""
    if dtype is not None:
        x = x.to(dtype)
    if x._data.dtype.kind != "f":
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {x.dtype.legacy_name[:-6]}")
    axes = wrap_dims(dim, x._data.ndim) if dim is not None else None
    a = np.abs(x._data)
    ord = float(ord)
    if ord == np.inf:
        data = np.max(a, axis=axes, keepdims=keepdim, initial=0)
    elif ord == -np.inf:
        data = np.min(a, axis=axes, keepdims=keepdim)
    elif ord == 0:
        data = np.sum(a != 0, axis=axes, keepdims=keepdim).astype(a.dtype)
    elif ord == 1:
        data = np.sum(a, axis=axes, keepdims=keepdim)
    elif ord == 2:
        data = np.sqrt(np.sum(a * a, axis=axes, keepdims=keepdim))
    else:
        data = np.sum(a ** ord, axis=axes, keepdims=keepdim) ** (1 / ord)
    result = _make(np.asarray(data, dtype=x._data.dtype))
    node = record("LinalgVectorNormBackward0", _vector_norm_backward, (x,), result)
    if node:
        node.save_for_backward(x, result)
        node.ord, node.axes, node.keep = ord, axes, keepdim
    return result


def _vector_norm_backward(ctx, grad):
    x, out = ctx.saved_tensors
    shape = ctx.input_meta[0][0]
    g = _expand_back(grad, shape, ctx.axes, ctx.keep)
    n = _expand_back(out, shape, ctx.axes, ctx.keep)
    p = ctx.ord
    if p == 0:
        return g * 0
    if p == 1:
        return g * x.sign()
    if p in (np.inf, -np.inf):
        mask = x.abs() == n
        count = mask.sum(ctx.axes, keepdim=True) if ctx.axes is not None else mask.sum()
        return g * x.sign() * mask / count
    if p == 2:
        # 0/0 at a zero norm gives 0, as torch's masked formula does.
        return g * (x / n).masked_fill(n == 0, 0)
    return (g * x * x.abs() ** (p - 2) / n ** (p - 1)).masked_fill(n == 0, 0)


def logsumexp(input, dim, keepdim=False):
    """log(sum(exp(x))) over ``dim``, computed stably (the max is factored out)."""
    if input._data.dtype.kind != "f":
        input = input.to(_dtypes.get_default_dtype())
    axes = wrap_dims(dim, input._data.ndim)
    data = input._data
    if data.size:
        m = np.max(data, axis=axes, keepdims=True)
        m = np.where(np.isfinite(m), m, 0)
    else:
        m = np.zeros([1 if i in axes else s for i, s in enumerate(data.shape)], data.dtype)
    with np.errstate(divide="ignore"):
        out = np.log(np.sum(np.exp(data - m), axis=axes, keepdims=True)) + m
    if not keepdim:
        out = out.squeeze(axes)
    result = _make(np.asarray(out, dtype=data.dtype))
    node = record("LogsumexpBackward0", _logsumexp_backward, (input,), result)
    if node:
        node.save_for_backward(input, result)
        node.axes, node.keep = axes, keepdim
    return result


def _logsumexp_backward(ctx, grad):
    x, out = ctx.saved_tensors
    shape = ctx.input_meta[0][0]
    return _expand_back(grad, shape, ctx.axes, ctx.keep) * (
        x - _expand_back(out, shape, ctx.axes, ctx.keep)).exp()


# --------------------------------------------------------------- scans
def cumsum(input, dim, *, dtype=None):
    """Running sum along ``dim``."""
    d = wrap_dim(dim, input._data.ndim)
    data = input._data
    out_dt = _dtypes.to_dtype(dtype).np if dtype is not None else (
        np.dtype(np.int64) if data.dtype.kind in "biu" else data.dtype)
    result = _make(np.cumsum(data, axis=d, dtype=out_dt) if data.ndim else data.astype(out_dt))
    node = record("CumsumBackward0", _cumsum_backward, (input,), result)
    if node:
        node.dim = d
    return result


def _cumsum_backward(ctx, grad):
    if grad.ndim == 0:
        return grad
    return grad.flip(ctx.dim).cumsum(ctx.dim).flip(ctx.dim)


def cumprod(input, dim, *, dtype=None):
    """Running product along ``dim``."""
    d = wrap_dim(dim, input._data.ndim)
    data = input._data
    out_dt = _dtypes.to_dtype(dtype).np if dtype is not None else (
        np.dtype(np.int64) if data.dtype.kind in "biu" else data.dtype)
    result = _make(np.cumprod(data, axis=d, dtype=out_dt) if data.ndim else data.astype(out_dt))
    node = record("CumprodBackward0", _cumprod_backward, (input,), result)
    if node:
        node.save_for_backward(input, result)
        node.dim = d
    return result


def _cumprod_backward(ctx, grad):
    x, out = ctx.saved_tensors
    if grad.ndim == 0:
        return grad
    d = ctx.dim
    if not (x._data == 0).any():
        return (grad * out).flip(d).cumsum(d).flip(d) / x
    # With zeros: d out_j / d x_i = prod_{k<=j, k!=i} x_k, summed over j >= i (NumPy).
    xs = np.moveaxis(x._data, d, -1)
    gs = np.moveaxis(grad._data, d, -1)
    n = xs.shape[-1]
    res = np.zeros_like(xs)
    for i in range(n):            # O(n^2) only on the rare zero path
        others = xs.copy()
        others[..., i] = 1
        partial = np.cumprod(others, axis=-1)
        res[..., i] = np.sum(gs[..., i:] * partial[..., i:], axis=-1)
    return _make(np.moveaxis(res, -1, d))


def cummax(input, dim):
    d = wrap_dim(dim, input._data.ndim)
    vals = np.maximum.accumulate(input._data, axis=d)
    n = input.shape[d]
    ar = np.arange(n).reshape([-1 if i == d else 1 for i in range(input.ndim)])
    idx = np.maximum.accumulate(np.where(input._data == vals, ar, 0), axis=d)
    return return_type("cummax")(_make(vals), _make(idx.astype(np.int64)))


# ---------------------------------------------------------------- logic
def all(input, dim=None, keepdim=False):
    """True where every element (over dim) is non-zero."""
    axes = None if dim is None else wrap_dims(dim, input._data.ndim)
    return _make(np.asarray(np.all(input._data, axis=axes, keepdims=keepdim)))


def any(input, dim=None, keepdim=False):
    """True where some element (over dim) is non-zero."""
    axes = None if dim is None else wrap_dims(dim, input._data.ndim)
    return _make(np.asarray(np.any(input._data, axis=axes, keepdims=keepdim)))


def count_nonzero(input, dim=None):
    axes = None if dim is None else wrap_dims(dim, input._data.ndim)
    return _make(np.asarray(np.count_nonzero(input._data, axis=axes), dtype=np.int64))


# -------------------------------------------------------------- sorting
def sort(input, dim=-1, descending=False, stable=False):
    """Sorted values and their indices along ``dim``."""
    d = wrap_dim(dim, input._data.ndim)
    data = input._data if input.ndim else input._data.reshape(1)
    key = -data if descending and data.dtype.kind in "fi" else data
    idx = np.argsort(key, axis=d, kind="stable")
    if descending and data.dtype.kind not in "fi":
        idx = np.flip(np.argsort(data, axis=d, kind="stable"), d)
    if descending and data.dtype.kind == "f":
        # NaN sorts first when descending (it is largest), as in torch.
        idx = np.argsort(np.where(np.isnan(data), -np.inf, key), axis=d, kind="stable")
    values = np.take_along_axis(data, idx, axis=d)
    if not input.ndim:
        values, idx = values.reshape(()), idx.reshape(())
    vt = _make(values)
    node = record("SortBackward0", _take_backward, (input,), vt)
    if node:
        node.dim, node.index = d, idx
    return return_type("sort")(vt, _make(idx.astype(np.int64)))


def _take_backward(ctx, grad):
    """Backward of values taken along a dim at ``ctx.index`` (sort, topk)."""
    from .shape import embed
    shape = tuple(ctx.input_meta[0][0])
    if not shape:
        return grad
    grids = list(np.indices(ctx.index.shape, sparse=True))
    grids[ctx.dim] = ctx.index
    return embed(grad, shape, tuple(grids))


def argsort(input, dim=-1, descending=False, stable=False):
    return sort(input, dim, descending, stable)[1]


def msort(input):
    return sort(input, 0)[0]


def topk(input, k, dim=-1, largest=True, sorted=True):
    """The k largest (or smallest) values along ``dim``, with their indices."""
    d = wrap_dim(dim, input._data.ndim)
    n = input.shape[d] if input.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError(f"selected index k out of range")
    values, idx = sort(input.detach(), d, descending=largest)
    key = (slice(None),) * d + (slice(0, k),)
    idx_k = idx._data[key] if input.ndim else idx._data
    vt = _make(np.take_along_axis(input._data, idx_k, axis=d) if input.ndim else
               input._data.copy())
    node = record("TopkBackward0", _take_backward, (input,), vt)
    if node:
        node.dim, node.index = d, idx_k
    return return_type("topk")(vt, _make(np.ascontiguousarray(idx_k)))


def kthvalue(input, k, dim=-1, keepdim=False):
    values, idx = sort(input, dim)
    v = values.select(dim, k - 1)
    i = idx.select(dim, k - 1)
    if keepdim:
        v, i = v.unsqueeze(dim), i.unsqueeze(dim)
    return return_type("kthvalue")(v, i)


def median(input, dim=None, keepdim=False):
    """The lower median (torch does not average the two middle values)."""
    if dim is None:
        flat = input.reshape(-1)
        return sort(flat)[0][(flat.numel() - 1) // 2]
    d = wrap_dim(dim, input.ndim)
    k = (input.shape[d] - 1) // 2 + 1
    r = kthvalue(input, k, d, keepdim)
    return return_type("median")(r[0], r[1])


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct elements (sorted), optionally with inverse indices and counts."""
    data = input._data
    if dim is None:
        vals, inv, counts = np.unique(data, return_inverse=True, return_counts=True)
        inv = inv.reshape(data.shape)
    else:
        vals, inv, counts = np.unique(data, return_inverse=True, return_counts=True,
                                      axis=wrap_dim(dim, data.ndim))
    out = [_make(vals)]
    if return_inverse:
        out.append(_make(inv.astype(np.int64)))
    if return_counts:
        out.append(_make(counts.astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    flat = input._data.reshape(-1)
    if flat.size == 0:
        return _make(flat.copy())
    starts = np.concatenate([[True], flat[1:] != flat[:-1]])
    out = [_make(flat[starts])]
    if return_inverse:
        out.append(_make((np.cumsum(starts) - 1).reshape(input.shape).astype(np.int64)))
    if return_counts:
        out.append(_make(np.diff(np.append(np.nonzero(starts)[0], flat.size)).astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def bincount(input, weights=None, minlength=0):
    w = None if weights is None else weights._data
    return _make(np.bincount(input._data, w, minlength))


def _maximum_import():
    from .pointwise import maximum, minimum
    return maximum, minimum


maximum, minimum = _maximum_import()

bind(sum=sum, nansum=nansum, mean=mean, nanmean=nanmean, prod=prod, max=max, min=min,
     amax=amax, amin=amin, aminmax=aminmax, argmax=argmax, argmin=argmin, var=var, std=std,
     norm=norm, logsumexp=logsumexp, cumsum=cumsum, cumprod=cumprod, cummax=cummax, all=all,
     any=any, count_nonzero=count_nonzero, sort=sort, argsort=argsort, msort=msort, topk=topk,
     kthvalue=kthvalue, median=median, unique=unique, unique_consecutive=unique_consecutive,
     bincount=bincount,
     cumsum_=lambda self, dim: _assign(self, cumsum(self, dim)))


def _assign(self, result):
    from .pointwise import assign_inplace
    return assign_inplace(self, result)


__all__ = [n for n in dir() if not n.startswith("_") and n not in ("builtins", "collections",
                                                                     "np", "Tensor")]

