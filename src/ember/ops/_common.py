"""Small helpers shared by every ops module: operand coercion, dims, unbroadcast."""
import functools
import numbers
import operator

import numpy as np

from .. import _dtypes
from .._arg_errors import type_name as _type_name
from .._tensor import Tensor, _make, _wrap_dim
from ..autograd.grad_mode import _state as _grad_state
from ..autograd.graph import record
from ..backend import fp_errors_off, fp_errors_restore

__all__ = ["Tensor", "_make", "record", "wrap_dim", "wrap_dims", "unbroadcast", "to_tensor",
           "binary_arrays", "check_float_grad", "bind", "as_shape", "silently", "int_arg",
           "int_list_arg", "check_input", "tensor_input"]
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


def check_input(args, kwargs, opname):
    """torch's TypeError if the input of ``opname`` is no Tensor (``ember.sum([1, 2])``):
    called where such an input failed with a raw AttributeError or TypeError."""
    x = args[0] if args else kwargs.get("input", kwargs.get("x"))
    if not isinstance(x, Tensor):
        where = " (position 1)" if args else ""
        raise TypeError(f"{opname}(): argument 'input'{where} must be Tensor, not "
                        f"{_type_name(x)}") from None


def tensor_input(fn, name=None):
    """``fn`` (a public op, ``name`` by default its own) with torch's TypeError for an
    input that is no Tensor; checked only once a call has failed, at no cost to others.

    >>> tensor_input(lambda x: x._data, "op")([1])
    Traceback (most recent call last):
    TypeError: op(): argument 'input' (position 1) must be Tensor, not list
    """
    opname = name or fn.__name__

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (AttributeError, TypeError):
            check_input(args, kwargs, opname)
            raise
    if name:
        wrapper.__name__ = wrapper.__qualname__ = name
    return wrapper


def int_arg(value, op=None, name="dim"):
    """``value`` as an int if torch takes it where it wants one int: an int, a NumPy
    integer, an integer 0-dim tensor (anything with ``__index__``), but no bool; else
    torch's TypeError naming the op, the argument and the type.

    >>> int_arg(np.int64(1))
    1
    >>> int_arg(1.0, "flatten", "start_dim")
    Traceback (most recent call last):
    TypeError: flatten(): argument 'start_dim' must be int, not float
    """
    if type(value) is int:
        return value
    if not isinstance(value, (bool, np.bool_)):
        try:
            return operator.index(value)
        except TypeError:
            pass
    where = f"{op}(): " if op else ""
    raise TypeError(f"{where}argument '{name}' must be int, not {_type_name(value)}")


def int_list_arg(values, op=None, name="dims"):
    """``values`` (a tuple or list) as a tuple of ints, with torch's TypeError for an
    element that is not an integer. As torch does, a bool passes as an int except in
    first place (torch checks the type of the first element only, then reads each as
    an index).

    >>> int_list_arg([0, np.int64(1)])
    (0, 1)
    """
    out = []
    for i, v in enumerate(values):
        if type(v) is int:
            out.append(v)
            continue
        if i or not isinstance(v, (bool, np.bool_)):
            try:
                out.append(operator.index(v))
                continue
            except TypeError:
                pass
        where = f"{op}(): " if op else ""
        raise TypeError(f"{where}argument '{name}' must be tuple of ints, but found element of "
                        f"type {_type_name(v)} at pos {i}")
    return tuple(out)


def wrap_dim(dim, ndim, op=None, name="dim"):
    """Turn a possibly negative dim into an index: torch's TypeError for a dim that is
    no integer (naming ``op`` and the argument ``name``), its IndexError for one out of
    range.

    >>> wrap_dim(-1, 3)
    2
    """
    if type(dim) is not int:
        dim = int_arg(dim, op, name)
    n = ndim if ndim > 0 else 1     # (_wrap_dim's range check, inline: one call less)
    if -n <= dim < n:
        return dim % n
    return _wrap_dim(dim, ndim)     # (which raises torch's IndexError)


def wrap_dims(dim, ndim, op=None, name="dim"):
    """Normalise ``dim`` (None, int, or a sequence) to a sorted tuple of axes."""
    if dim is None:
        return tuple(range(ndim))
    if type(dim) is int:
        return (_wrap_dim(dim, ndim),)
    if not isinstance(dim, (tuple, list)):
        if isinstance(dim, (bool, np.bool_)) or not hasattr(type(dim), "__index__"):
            where = f"{op}(): " if op else ""
            raise TypeError(f"{where}argument '{name}' must be tuple of ints, not "
                            f"{_type_name(dim)}")
        return (_wrap_dim(operator.index(dim), ndim),)
    dims = tuple(_wrap_dim(d, ndim) for d in int_list_arg(dim, op, name))
    if len(set(dims)) != len(dims):
        # (torch names the first dim that repeats one before it)
        repeated = next(d for i, d in enumerate(dims) if d in dims[:i])
        raise RuntimeError(f"dim {repeated} appears multiple times in the list of dims")
    return tuple(sorted(dims))


def as_shape(args, op=None, name="size"):
    """Accept f(2, 3), f((2, 3)), f([2, 3]) or f(Size) and return a tuple of ints
    (torch's TypeError for sizes that are no integers: ``x.reshape(2.0, 3)``)."""
    if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
        args = args[0]
        if isinstance(args, Tensor):
            # one size given as a 0-dim integer tensor (x.reshape(n.sum())) is that size,
            # as in torch; other 0-dim tensors are refused below, named as a Tensor
            if not args._data.ndim and args._data.dtype.kind in "iu":
                return (int(args._data),)
            if args._data.ndim:
                args = args.tolist()
    if not isinstance(args, (tuple, list)):
        # (not any iterable: torch refuses a range or a NumPy array as a shape)
        where = f"{op}(): " if op else ""
        raise TypeError(f"{where}argument '{name}' must be tuple of ints, not "
                        f"{_type_name(args)}")
    return int_list_arg(args, op, name)


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
