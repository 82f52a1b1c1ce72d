"""Creating tensors: tensor, as_tensor, from_numpy, arange, zeros, eye, ...

Every function takes ``dtype``, ``device`` and ``requires_grad`` as torch's
do. Floats default to ``get_default_dtype()`` (float32), Python ints to int64.
"""
import math
import numbers

import numpy as np

from .. import _dtypes
from .._device import to_device
from .._tensor import Tensor, _make
from ._common import as_shape


def _finish(array, requires_grad):
    t = _make(array)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _infer_dtype(data, array):
    """torch's dtype for data given as (nested) Python values."""
    kind = array.dtype.kind
    if kind == "f":
        return _dtypes.get_default_dtype()
    if kind in "iu":
        return _dtypes.int64
    if kind == "b":
        return _dtypes.bool
    if kind == "c":
        raise TypeError("ember has no complex dtypes")
    raise TypeError(f"Could not infer dtype of {type(data).__name__}")


def _to_array(data):
    """An ndarray for tensor(data) plus whether NumPy's dtype is to be kept."""
    if isinstance(data, Tensor):
        return data._data, True
    if isinstance(data, np.ndarray):
        if data.dtype.kind == "O":
            raise TypeError("can't convert np.ndarray of type numpy.object_.")
        return data, True
    if isinstance(data, np.generic):
        return np.asarray(data), True
    if isinstance(data, (list, tuple)):
        if any(isinstance(x, Tensor) for x in data):
            items = [_to_array(x)[0] for x in data]
            try:
                return np.stack(items) if items else np.array([]), False
            except ValueError:
                raise ValueError(f"expected sequence of length {len(items[0])} at dim 1 "
                                 f"(got {len(items[-1])})") from None
    if isinstance(data, str) or data is None:
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    try:
        array = np.array(data)
    except ValueError:
        raise ValueError(_ragged_message(data)) from None
    if array.dtype.kind in "OUS":
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'"
                        if array.dtype.kind in "US" else _ragged_message(data))
    return array, False


def _ragged_message(data):
    def walk(x, depth):
        if isinstance(x, (list, tuple)):
            lens = [len(y) for y in x if isinstance(y, (list, tuple))]
            if lens and len(set(lens)) > 1:
                return f"expected sequence of length {lens[0]} at dim {depth + 1} (got " \
                       f"{[l for l in lens if l != lens[0]][0]})"
            for y in x:
                r = walk(y, depth + 1)
                if r:
                    return r
        return None
    return walk(data, 0) or "could not convert the data to a tensor"


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of ``data`` (nested lists, NumPy arrays, scalars).

    >>> ember.tensor([[1, 2], [3, 4]]).dtype
    torch.int64
    """
    to_device(device)
    array, keep = _to_array(data)
    if dtype is None:
        dt = _dtypes.from_numpy_dtype(array.dtype) if keep else _infer_dtype(data, array)
    else:
        dt = _dtypes.to_dtype(dtype)
    return _finish(np.array(array, dtype=dt.np, copy=True), requires_grad)


def as_tensor(data, dtype=None, device=None):
    """Like tensor(), but shares memory with a Tensor or ndarray of the right dtype."""
    to_device(device)
    if isinstance(data, Tensor):
        return data if dtype is None or _dtypes.to_dtype(dtype) is data.dtype else \
            data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or
                                         _dtypes.to_dtype(dtype).np == data.dtype):
        return from_numpy(data)
    return tensor(data, dtype=dtype)


asarray = as_tensor


def from_numpy(ndarray):
    """A tensor sharing memory with ``ndarray``: writes to one show in the other."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    _dtypes.from_numpy_dtype(ndarray.dtype)
    return _make(ndarray)


def _filled(shape, value, dtype, requires_grad, device):
    to_device(device)
    shape = as_shape(shape)
    for s in shape:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                               f"{list(shape)}")
    dt = _dtypes.to_dtype(dtype) if dtype is not None else _dtypes.get_default_dtype()
    if value is None:
        array = np.empty(shape, dtype=dt.np)
    elif value == 0:
        array = np.zeros(shape, dtype=dt.np)
    else:
        array = np.full(shape, value, dtype=dt.np)
    return _finish(array, requires_grad)


def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """A tensor of zeros: ``zeros(2, 3)`` or ``zeros((2, 3))``."""
    return _filled(size, 0, dtype, requires_grad, device)


def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """A tensor of ones."""
    return _filled(size, 1, dtype, requires_grad, device)


def empty(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          memory_format=None, pin_memory=False):
    """An uninitialised tensor (NumPy's empty: contents are arbitrary)."""
    return _filled(size, None, dtype, requires_grad, device)


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None,
         requires_grad=False):
    """A tensor filled with ``fill_value``; its dtype follows the value like torch's."""
    if dtype is None:
        if isinstance(fill_value, Tensor):
            fill_value = fill_value.item()
        dtype = _dtypes.scalar_dtype(fill_value)
    return _filled((size,) if isinstance(size, int) else size, fill_value, dtype,
                   requires_grad, device)


def _like(input, value, dtype, requires_grad):
    dt = dtype if dtype is not None else input.dtype
    return _filled(input.shape, value, dt, requires_grad, None)


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    return _like(input, 0, dtype, requires_grad)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    return _like(input, 1, dtype, requires_grad)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    return _like(input, None, dtype, requires_grad)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    return _like(input, fill_value, dtype, requires_grad)


def _number(x):
    return x.item() if isinstance(x, Tensor) else x


def arange(start, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False):
    """Values from start (inclusive) to end (exclusive) by step.

    Integer arguments give int64, any float argument the default float dtype.
    >>> ember.arange(4.0)
    tensor([0., 1., 2., 3.])
    """
    to_device(device)
    if end is None:
        start, end = 0, start
    start, end, step = _number(start), _number(end), _number(step)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0 and end != start:
        raise RuntimeError(f"upper bound and larger bound inconsistent with step sign")
    is_float = any(isinstance(v, float) for v in (start, end, step))
    dt = _dtypes.to_dtype(dtype) if dtype is not None else (
        _dtypes.get_default_dtype() if is_float else _dtypes.int64)
    n = max(math.ceil((end - start) / step), 0)
    # Computed in float64 (or int64) and then cast, as torch does, so that
    # arange(0, 1, 0.1, dtype=float32) has exactly the same values.
    if dt.is_floating_point or is_float:
        array = (start + np.arange(n, dtype=np.float64) * step).astype(dt.np)
    else:
        array = np.arange(start, start + n * step, step, dtype=np.int64)[:n].astype(dt.np)
    return _finish(array, requires_grad)


def range_(start=0, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    """torch.range (deprecated in torch): like arange but includes ``end``."""
    if end is None:
        start, end = 0, start
    dt = _dtypes.to_dtype(dtype) if dtype is not None else _dtypes.get_default_dtype()
    n = int(math.floor((end - start) / step)) + 1
    return _finish((start + np.arange(n, dtype=np.float64) * step).astype(dt.np), requires_grad)


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """``steps`` evenly spaced values from start to end inclusive."""
    to_device(device)
    if steps < 0:
        raise RuntimeError("linspace(): number of steps must be non-negative")
    dt = _dtypes.to_dtype(dtype) if dtype is not None else _dtypes.get_default_dtype()
    start, end = _number(start), _number(end)
    # torch fills the first half from start and the second half from end, which keeps
    # both endpoints exact; NumPy's linspace does the same for floats.
    array = np.linspace(start, end, steps, dtype=np.float64)
    if not dt.is_floating_point:
        array = np.trunc(array)
    return _finish(array.astype(dt.np), requires_grad)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """``base ** linspace(start, end, steps)``."""
    dt = _dtypes.to_dtype(dtype) if dtype is not None else _dtypes.get_default_dtype()
    array = np.power(base, np.linspace(_number(start), _number(end), steps, dtype=np.float64))
    return _finish(array.astype(dt.np), requires_grad)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """The n x m identity matrix."""
    to_device(device)
    if n < 0 or (m is not None and m < 0):
        raise RuntimeError(f"n must be greater or equal to 0, got {n if n < 0 else m}")
    dt = _dtypes.to_dtype(dtype) if dtype is not None else _dtypes.get_default_dtype()
    return _finish(np.eye(n, m if m is not None else n, dtype=dt.np), requires_grad)


def scalar_tensor(value, *, dtype=None, device=None, requires_grad=False):
    dt = _dtypes.to_dtype(dtype) if dtype is not None else _dtypes.get_default_dtype()
    return _finish(np.asarray(value, dtype=dt.np), requires_grad)


def complex(*args, **kwargs):
    raise TypeError("ember has no complex dtypes")


def meshgrid(*tensors, indexing="ij"):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    from .shape import expand
    shape = [t.numel() for t in tensors]
    out = []
    for i, t in enumerate(tensors):
        view_shape = [1] * len(tensors)
        view_shape[i] = -1
        out.append(expand(t.reshape(view_shape), shape))
    if indexing == "xy" and len(tensors) >= 2:
        out = [o.transpose(0, 1) for o in out]
    return tuple(out)


def _is_number(x):
    return isinstance(x, numbers.Number)
