"""Memory formats: the order in which a tensor's elements sit in memory.

``contiguous_format`` is C order (the last dim varies fastest), ``channels_last``
puts the channels of an (N, C, H, W) tensor next to each other (strides
``(HWC, 1, WC, C)``), ``channels_last_3d`` does the same for (N, C, D, H, W), and
``preserve_format`` (the default of ``clone``, ``*_like`` and ``to``) keeps the
layout of the input::

    >>> x = ember.arange(6.).reshape(2, 3).t()         # strides (1, 3)
    >>> x.clone().stride(), x.clone(memory_format=ember.contiguous_format).stride()
    ((1, 3), (2, 1))

Preserving a layout follows torch's rule: an input whose elements fill a block of
memory without gaps or overlaps ("non-overlapping and dense", like a transposed or
permuted tensor) gives its copy the very same strides; any other input (a slice with
a step, an expanded tensor) gives dense strides in the same order of dims.

Strides here are counted in elements, as ``Tensor.stride()`` reports them.
"""
import numpy as np

from ._named_constant import NamedConstant

__all__ = ["memory_format", "preserve_format", "contiguous_format", "channels_last",
           "channels_last_3d"]


class memory_format(NamedConstant):
    """One of torch's four memory formats, printed as ``torch.channels_last``.

    The four are singletons (``ember.channels_last is ember.channels_last``)."""

    __slots__ = ()
    _instances = {}


preserve_format = memory_format._define("preserve_format")
contiguous_format = memory_format._define("contiguous_format")
channels_last = memory_format._define("channels_last")
channels_last_3d = memory_format._define("channels_last_3d")


def check_format(fname, fmt, *, none_means_preserve=True):
    """``fmt`` as a memory_format (None is preserve_format where torch allows it),
    or torch's TypeError naming the function."""
    if fmt is None and none_means_preserve:
        return preserve_format
    if not isinstance(fmt, memory_format):
        from .ops._common import _type_name     # (ops import this module)
        raise TypeError(f"{fname}(): argument 'memory_format' must be torch.memory_format, "
                        f"not {_type_name(fmt)}")
    return fmt


# ------------------------------------------------------------ stride rules
def contiguous_strides(shape):
    """C-order strides, as torch computes them (a size-0 dim counts as 1)."""
    strides, acc = [], 1
    for d in reversed(shape):
        strides.append(acc)
        acc *= max(d, 1)
    return tuple(reversed(strides))


def _strides_in_order(shape, order):
    """Dense strides with ``order[0]`` varying fastest (sizes taken as they are,
    so a size-0 dim zeroes the strides after it, as in torch's channels-last rule)."""
    strides, acc = [0] * len(shape), 1
    for d in order:
        strides[d] = acc
        acc *= shape[d]
    return tuple(strides)


_CHANNELS_LAST_ORDER = {channels_last: (4, (1, 3, 2, 0)),
                        channels_last_3d: (5, (1, 4, 3, 2, 0))}


def _channels_last_order(fmt, ndim):
    rank, order = _CHANNELS_LAST_ORDER[fmt]
    if ndim != rank:
        raise RuntimeError(f"required rank {rank} tensor to use {fmt._name} format")
    return order


def is_dense(shape, strides):
    """True if the elements fill a block of memory exactly once ("non-overlapping and
    dense"): ordered by stride, each dim of size > 1 steps over all the faster dims."""
    if 0 in shape:
        return True          # torch counts every empty tensor as contiguous
    dims = sorted((st, sz) for sz, st in zip(shape, strides) if sz > 1)
    expected = 1
    for st, sz in dims:
        if st != expected:
            return False
        expected *= sz
    return True


def dense_strides_like(shape, strides):
    """Dense strides that keep the order of ``strides`` (torch's rule for copying a
    tensor that is not dense): dims sorted by stride, fastest first; ties go to the
    smaller dim first, a zero stride (expanded dim) keeps its place as in C order."""
    ndim = len(shape)
    if ndim == 0:
        return ()
    if ndim == 1:
        return (1,)

    def after(d0, d1):
        # 1 if d0 must come after d1 (it varies slower), -1 if before, 0 if undecided
        s0, s1 = strides[d0], strides[d1]
        if s0 == 0 or s1 == 0:
            return 0
        if s0 != s1:
            return 1 if s0 > s1 else -1
        return 1 if shape[d0] > shape[d1] else 0

    # insertion sort of the dims, fastest first, starting from C order (last dim fastest)
    perm = list(range(ndim - 1, -1, -1))
    for i in range(1, ndim):
        cur = i
        for prev in range(i - 1, -1, -1):
            c = after(perm[prev], perm[cur])
            if c > 0:
                perm[prev], perm[cur] = perm[cur], perm[prev]
                cur = prev
            elif c < 0:
                break
    result, acc = [0] * ndim, 1
    for d in perm:
        result[d] = acc
        if shape[d] > 1:
            acc *= shape[d]
    return tuple(result)


def preserved_strides(shape, strides):
    """The strides a copy made with preserve_format gets."""
    return tuple(strides) if is_dense(shape, strides) else dense_strides_like(shape, strides)


def keeps_c_order(data):
    """True if a plain C-order copy of the array ``data`` has the strides that
    preserve_format asks for, i.e. ``data``'s strides are exactly C order's (the usual
    case: the fast lane of clone, ``*_like`` and ``to``). NumPy also flags as
    C-contiguous an empty array and one whose size-1 dims carry any stride; torch
    would keep those strides, so they take the general path."""
    if not data.flags.c_contiguous or not data.size:
        return False
    if 1 not in data.shape:
        return True
    itemsize = data.itemsize
    return tuple(s // itemsize for s in data.strides) == contiguous_strides(data.shape)


def strides_for(t, fmt):
    """The strides of a copy of tensor ``t`` in memory format ``fmt`` (checked)."""
    shape = t._data.shape
    if fmt is preserve_format:
        # (through the class: a lazy module's UninitializedParameter refuses t.stride()
        # but may be converted, e.g. by .double())
        return preserved_strides(shape, type(t).stride(t))
    if fmt is contiguous_format:
        return contiguous_strides(shape)
    return _strides_in_order(shape, _channels_last_order(fmt, len(shape)))


def is_contiguous_as(t, fmt):
    """``t.is_contiguous(memory_format=fmt)``: contiguous_format (and, as in torch,
    preserve_format) is C order; the channels-last formats need rank 4 / 5 and ignore
    dims of size 1."""
    if fmt is contiguous_format or fmt is preserve_format:
        return bool(t._data.flags.c_contiguous)
    rank, order = _CHANNELS_LAST_ORDER[fmt]
    if t._data.ndim != rank:
        return False
    shape, strides = t._data.shape, t.stride()
    expected = 1
    for d in order:
        if shape[d] != 1:
            if strides[d] != expected:
                return False
            expected *= shape[d]
    return True


def suggested_format(t):
    """The format torch reads off ``t``'s strides (``suggest_memory_format``):
    channels_last(_3d) where a rank 4 (5) tensor's strides order its dims like it,
    contiguous_format otherwise."""
    ndim = t._data.ndim
    for fmt in (channels_last, channels_last_3d):
        rank, order = _CHANNELS_LAST_ORDER[fmt]
        if ndim == rank and _strides_like(t._data.shape, t.stride(), order):
            return fmt
    return contiguous_format


def _strides_like(shape, strides, order):
    if strides[1] == 0:
        return False
    smallest = 0
    for d in order:
        if shape[d] == 0 or strides[d] < smallest:
            return False
        if d == 0 and smallest == strides[1]:
            return False         # ambiguous (N, 1, 1, 1) layouts read as C order
        smallest = strides[d] * shape[d] if shape[d] > 1 else strides[d]
    return True


# ------------------------------------------------------------ laying out data
def array_with_strides(values, strides, dtype=None):
    """A fresh array holding ``values`` (cast to ``dtype`` if given) laid out with
    ``strides`` (in elements, dense)."""
    shape = values.shape
    dtype = values.dtype if dtype is None else np.dtype(dtype)
    if not values.size:
        return np.empty(shape, dtype=dtype)
    byte_strides = tuple(s * dtype.itemsize for s in strides)
    # a flat block of exactly numel elements, seen through the wanted strides (dense
    # strides never step outside it; size-1 dims keep whatever stride they are given)
    out = np.ndarray(shape, dtype, buffer=np.empty(values.size, dtype=dtype),
                     strides=byte_strides)
    np.copyto(out, values, casting="unsafe")
    return out


def copy_laid_out(data, strides, wrap, dtype=None):
    """``wrap`` (a Tensor maker) of a copy of the array ``data``, cast to ``dtype`` if
    given, laid out with ``strides``: the data is copied once, straight into place."""
    if data.size:
        return wrap(array_with_strides(data, tuple(strides), dtype))
    return lay_out(wrap(np.empty(data.shape, data.dtype if dtype is None else dtype)),
                   strides)


def lay_out(t, strides):
    """Give the fresh tensor ``t`` (no one else holds it yet) ``strides``: its data is
    copied into that layout; an empty tensor just reports them. Returns ``t``."""
    data = t._data
    if data.size:
        if tuple(s // data.itemsize for s in data.strides) != tuple(strides):
            t._data = array_with_strides(data, tuple(strides))
    elif tuple(strides) != contiguous_strides(data.shape):
        t._extras()["layout"] = (data, tuple(strides), 0)
    return t
