"""Small helpers shared by every ops module: operand coercion, dims, unbroadcast."""
import numbers

import numpy as np

from .. import _dtypes
from .._tensor import Tensor, _make, _wrap_dim
from ..autograd.grad_mode import _state as _grad_state
from ..autograd.graph import record
from ..backend import fp_errors_off, fp_errors_restore

__all__ = ["Tensor", "_make", "record", "wrap_dim", "wrap_dims", "unbroadcast", "to_tensor",
           "binary_arrays", "check_float_grad", "bind", "as_shape", "silently"]

wrap_dim = _wrap_dim
_F32, _F64 = np.dtype(np.float32), np.dtype(np.float64)


def silently(fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` with NumPy's floating point warnings off, like
    ``with np.errstate(all="ignore")`` (torch gives inf and nan without a word).

    >>> float(silently(np.divide, 1.0, 0.0))
    inf
    """
    token = fp_errors_off()
    try:
        return fn(*args, **kwargs)
    finally:
        fp_errors_restore(token)


def wrap_dims(dim, ndim):
    """Normalise ``dim`` (None, int, or a sequence) to a sorted tuple of axes."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (int, np.integer)):
        return (_wrap_dim(int(dim), ndim),)
    dims = tuple(_wrap_dim(int(d), ndim) for d in dim)
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"dim {dims[0]} appears multiple times in the list of dims")
    return tuple(sorted(dims))


def as_shape(args):
    """Accept f(2, 3), f((2, 3)), f([2, 3]) or f(Size) and return a tuple of ints."""
    if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
        args = args[0]
        if isinstance(args, Tensor):
            args = args.tolist()
    try:
        shape = tuple(int(s) for s in args)
    except TypeError:
        raise TypeError(f"expected a sequence of integers for a shape, got {args!r}") from None
    return shape


def to_tensor(x):
    """A Tensor for an op argument that may be a number or an array."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.ndarray):
        return _make(x)
    if isinstance(x, (numbers.Number, np.generic)):
        return _make(np.asarray(x, dtype=_dtypes.scalar_dtype(x).np))
    raise TypeError(f"expected Tensor as argument, but got {type(x).__name__}")


def _scalar_ok(x):
    return isinstance(x, (int, float, bool, np.generic)) and not isinstance(x, np.ndarray)


def binary_arrays(a, b, opname):
    """The arrays of two operands (Tensors or Python numbers), cast to the promoted dtype.

    Python scalars stay Python scalars: NumPy's weak-scalar rule then keeps the
    array's dtype, which is what torch's promotion gives once the array is cast.
    """
    if isinstance(a, Tensor):
        x = a._data
        if isinstance(b, Tensor):
            y = b._data
            if x.dtype == y.dtype:
                return x, y, x.dtype
            dt = _dtypes.result_type(a, b).np
            return x.astype(dt, copy=False), y.astype(dt, copy=False), dt
        if not _scalar_ok(b):
            b = _coerce_other(b, opname)
            return binary_arrays(a, b, opname)
        dt = _dtypes.result_type(a, b).np
        return x.astype(dt, copy=False), _scalar_for(b, dt), dt
    if isinstance(b, Tensor):
        if not _scalar_ok(a):
            a = _coerce_other(a, opname)
            return binary_arrays(a, b, opname)
        dt = _dtypes.result_type(a, b).np
        return _scalar_for(a, dt), b._data.astype(dt, copy=False), dt
    raise TypeError(f"{opname}(): expected at least one Tensor argument")


def _scalar_for(s, dt):
    if isinstance(s, np.generic):
        return s.astype(dt)
    if dt.kind in "iu" and isinstance(s, int) and not isinstance(s, bool):
        info = np.iinfo(dt)
        if not info.min <= s <= info.max:
            # torch wraps out-of-range integer scalars; NumPy would raise.
            return np.array(s).astype(dt)
    return s


def _coerce_other(x, opname):
    if isinstance(x, np.ndarray):
        return _make(x)
    raise TypeError(
        f"{opname}(): argument 'other' must be Tensor or Number, not {type(x).__name__}")


def unbroadcast(grad, shape):
    """Sum ``grad`` back down to ``shape``: the backward of broadcasting.

    Dimensions that broadcasting added in front are summed away; dimensions of
    size 1 that were stretched are summed with keepdim.

    >>> unbroadcast(ember.ones(2, 3), (3,))
    tensor([2., 2., 2.])
    """
    gshape = grad.shape
    if gshape == shape:
        return grad
    lead = len(gshape) - len(shape)
    dims = tuple(range(lead)) + tuple(
        i + lead for i, s in enumerate(shape) if s == 1 and gshape[i + lead] != 1)
    data = grad._data
    if not _grad_state.enabled and (data.dtype is _F32 or data.dtype is _F64):
        # No graph to record (backward without create_graph): the same sum and reshape
        # done on the array directly, skipping two ops' worth of dispatch.
        return _make(data.sum(axis=dims, keepdims=True).reshape(shape))
    if dims:
        grad = grad.sum(dims, keepdim=True)
    return grad.reshape(shape) if grad.shape != shape else grad


def check_float_grad(t, opname):
    if t._requires_grad and t._data.dtype.kind != "f":
        raise RuntimeError(f"{opname}: only floating point tensors can require gradients")


def bind(**methods):
    """Attach functions as Tensor methods (each ops module lists its own)."""
    for name, fn in methods.items():
        setattr(Tensor, name, fn)
