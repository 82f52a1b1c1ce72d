"""Creating tensors: tensor, as_tensor, from_numpy, arange, linspace, zeros, eye, ...

Every function takes ``dtype``, ``device`` and ``requires_grad`` as torch's
do. Python floats default to ``get_default_dtype()`` (float32), Python ints to
int64, and NumPy values keep their dtype::

    >>> ember.tensor([[1, 2], [3, 4]]).dtype, ember.arange(0, 1, 0.25)
    (torch.int64, tensor([0.0000, 0.2500, 0.5000, 0.7500]))

``arange`` and ``linspace`` reproduce the arithmetic of torch's CPU kernels
(which accumulator type, fused multiply-adds, vector blocks), so that their
values agree with torch's bit for bit, not just to within rounding.
"""
import functools
import math
import numbers
import operator
import warnings

import numpy as np

from .._arg_errors import MISSING as _MISSING   # (an argument left out)
from .._arg_errors import invalid_combination, wrong_type
from .. import _dtypes
from .. import _memory_format as _mf
from .._device import to_device
from .._layout import check_layout
from .._tensor import Tensor, _make
from ..autograd.grad_mode import _state as _grad_state
from ..backend import fp_errors_off, fp_errors_restore
from ._common import _type_name, bind


def _finish(array, requires_grad, op=None):
    """``array`` as a new tensor, requiring grad if asked; ``op`` (a factory with one
    signature) names the function in torch's TypeError for a ``requires_grad`` that is
    no bool (torch takes None as False)."""
    t = _make(array)
    if requires_grad:
        if requires_grad is not True and op is not None:
            raise wrong_type(op, "requires_grad", None, "bool", requires_grad)
        if array.dtype.kind not in "fc":
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients")
        t._requires_grad = True
    elif requires_grad is not False and requires_grad is not None and op is not None:
        raise wrong_type(op, "requires_grad", None, "bool", requires_grad)
    return t


def _dtype_or_default(dtype, op=None):
    """The ``dtype=`` of factory ``op`` (read as torch reads it: a dtype, float, int or
    bool), or the default float dtype."""
    if dtype is None:
        return _dtypes.get_default_dtype()
    return _dtypes.keyword_dtype(dtype, op) if op is not None else _dtypes.to_dtype(dtype)


def _check_given(fname, **args):
    """torch's TypeError for the required ``args`` left out (Python's own names them
    with other quotes and grammar)."""
    missing = [name for name, value in args.items() if value is _MISSING]
    if len(missing) == 1:
        raise TypeError(f'{fname}() missing 1 required positional arguments: "{missing[0]}"')
    if missing:
        names = ", ".join(f'"{name}"' for name in missing)
        raise TypeError(f"{fname}() missing {len(missing)} required positional argument: {names}")


def _too_many_given(fname, takes, extra):
    """torch's TypeError for positional arguments past the ``takes`` a function has
    (``extra``: those past them); the functions whose required arguments default to
    _MISSING take the surplus as ``*extra`` so that Python does not word it."""
    plural = "s" if takes != 1 else ""
    raise TypeError(f"{fname}() takes {takes} positional argument{plural} but "
                    f"{takes + len(extra)} were given")


# ------------------------------------------------------------ tensor(data)
def tensor(data=_MISSING, *extra, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of ``data`` (nested lists, NumPy arrays, scalars).

    >>> ember.tensor([[1, 2], [3, 4]]).dtype
    torch.int64
    """
    if device is not None:
        to_device(device, "tensor")
    if type(data) is np.ndarray and data.dtype in _dtypes.FROM_NUMPY and _mf.keeps_c_order(data):
        # the usual array: its C-ordered copy already has the layout the full path keeps
        dt = (_dtypes.keyword_dtype(dtype, "tensor") if dtype is not None
              else _dtypes.FROM_NUMPY[data.dtype])
        return _finish(_cast_checked(data, dt), requires_grad, "tensor")
    if data is _MISSING or extra:
        _check_given("tensor", data=data)
        _too_many_given("tensor", 1, extra)
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or "
                      "sourceTensor.detach().clone().requires_grad_(True), rather than "
                      "torch.tensor(sourceTensor).", UserWarning, stacklevel=2)
        array = data._data
        inferred = data.dtype
    elif isinstance(data, np.ndarray):
        array = data
        inferred = _array_dtype(data)
    else:
        array, inferred = _from_python(data, dtype)
        dt = _dtypes.keyword_dtype(dtype, "tensor") if dtype is not None else inferred
        return _finish(_cast_checked(array, dt, from_python=True), requires_grad, "tensor")
    dt = _dtypes.keyword_dtype(dtype, "tensor") if dtype is not None else inferred
    result = _finish(_cast_checked(array, dt), requires_grad, "tensor")
    # the copy keeps the source's layout, as torch's does (a transposed array stays so)
    source_strides = data.stride() if isinstance(data, Tensor) else _numpy_strides(array)
    if source_strides is None:
        return result
    return _mf.lay_out(result, _mf.preserved_strides(array.shape, source_strides))


# NumPy's types that torch has a dtype for: arrays of these in the other byte order get
# torch's byte-order error rather than the unsupported-type one (ember lacks some of them).
_TORCH_NUMPY_TYPES = frozenset([np.bool_, np.uint8, np.uint16, np.uint32, np.uint64, np.int8,
                                np.int16, np.int32, np.int64, np.float16, np.float32,
                                np.float64, np.complex64, np.complex128])


def _array_dtype(array):
    """The ember dtype of an ndarray's elements, or torch's error: a ValueError for
    big-endian arrays (torch converts no byte orders), a TypeError naming the NumPy type
    (numpy.uint32, numpy.str_, numpy.object_) for types ember has no dtype for."""
    np_dtype = array.dtype
    if not np_dtype.isnative and np_dtype.type in _TORCH_NUMPY_TYPES:
        raise ValueError("given numpy array has byte order different from the native byte "
                         "order. Conversion between byte orders is currently not supported.")
    found = _dtypes.FROM_NUMPY.get(np_dtype)
    if found is None:
        raise TypeError(_dtypes.unsupported_numpy_message(np_dtype))
    return found


def _numpy_strides(array):
    """``array``'s strides in elements, as torch reads them; None where they don't
    count whole elements or go backwards (then the copy is simply C-ordered)."""
    strides = array.strides
    if any(s < 0 or s % array.itemsize for s in strides):
        return None
    return tuple(s // array.itemsize for s in strides)


def _from_python(data, dtype=None):
    """(ndarray, dtype torch infers) for Python data: scalars or nested sequences.
    The array is a fresh one (nobody else holds it). ``dtype``, the one asked for,
    only words the error for an element that is no number."""
    if type(data) is not list:
        scalar = _from_python_scalar(data)
        if scalar is not None:
            return scalar
    shape = _shape_of(data)
    found_tensor = []
    try:
        inferred = _infer_sequence_dtype(data, found_tensor) or _dtypes.get_default_dtype()
    except (TypeError, RuntimeError) as err:
        bad = getattr(err, "element_type", None)
        if dtype is None or bad is None:
            raise
        # torch reads the elements as the dtype asked for, and words what fails so
        if _dtypes.keyword_dtype(dtype, "tensor").is_floating_point:
            raise TypeError(f"must be real number, not {bad}") from None
        raise TypeError(f"'{bad}' object cannot be interpreted as an integer") from None
    if found_tensor:
        data = _tensors_to_scalars(data)
    try:
        array = np.array(data)
    except (ValueError, OverflowError):
        array = None
    if array is None or array.dtype.kind in "OUS" or array.shape != shape:
        _raise_ragged(data, shape, inferred)
    if array.dtype == np.uint64:
        raise ValueError("Overflow when unpacking long long")
    return array, inferred


def _from_python_scalar(data):
    """_from_python of a scalar; None for a sequence (TypeError/RuntimeError for others)."""
    if isinstance(data, (bool, np.bool_)):
        return np.array(data), _dtypes.bool
    if isinstance(data, np.generic):
        return np.asarray(data), _dtypes.from_numpy_dtype(data.dtype)
    if isinstance(data, numbers.Integral):
        return _int_array(data), _dtypes.int64
    if isinstance(data, numbers.Real):
        return np.array(float(data)), _dtypes.get_default_dtype()
    if isinstance(data, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    if not isinstance(data, (list, tuple, range)):
        raise RuntimeError(f"Could not infer dtype of {type(data).__name__}")
    return None


def _int_array(value):
    if not -2 ** 63 <= value < 2 ** 63:
        raise ValueError("Overflow when unpacking long long")
    return np.array(value, dtype=np.int64)


def _shape_of(data):
    """The shape torch reads from nested sequences: the lengths along first elements."""
    shape = []
    while isinstance(data, (list, tuple, range, np.ndarray)):
        shape.append(len(data))
        if len(data) == 0:
            break
        data = data[0]
    if type(data) is str:
        raise ValueError("too many dimensions 'str'")     # (torch reads a str as a sequence)
    return tuple(shape)


def _infer_sequence_dtype(seq, found_tensor):
    """Promote the dtypes of the leaves: float -> default, int -> int64, bool -> bool,
    NumPy scalars/arrays and tensors -> their own dtype. None for an empty sequence.
    Appends to ``found_tensor`` if a Tensor is among the leaves."""
    result = None
    types = set(map(type, seq))
    for tp in types:
        if tp is float:
            d = _dtypes.get_default_dtype()
            result = d if result is None else _dtypes.promote_types(result, d)
            continue
        if tp is bool:
            d = _dtypes.bool
            result = d if result is None else _dtypes.promote_types(result, d)
            continue
        items = seq if len(types) == 1 else [x for x in seq if type(x) is tp]
        if tp is int:
            if max(items) >= 2 ** 63 or min(items) < -2 ** 63:
                raise ValueError("Overflow when unpacking long long")
            d = _dtypes.int64
        elif issubclass(tp, (list, tuple, range)):
            d = None
            for sub in items:
                sd = _infer_sequence_dtype(sub, found_tensor)
                if sd is not None:
                    d = sd if d is None else _dtypes.promote_types(d, sd)
        elif issubclass(tp, (np.generic, np.ndarray)):
            d = None
            for x in items:
                xd = _dtypes.from_numpy_dtype(x.dtype)
                d = xd if d is None else _dtypes.promote_types(d, xd)
        elif issubclass(tp, Tensor):
            found_tensor.append(True)
            d = None
            for x in items:
                d = x.dtype if d is None else _dtypes.promote_types(d, x.dtype)
        elif issubclass(tp, (str, bytes)):
            # (a string first in line is a dimension to torch: _shape_of refuses that)
            raise _element_error(TypeError(f"new(): invalid data type '{tp.__name__}'"), tp)
        elif issubclass(tp, numbers.Integral):
            d = _dtypes.int64
        elif issubclass(tp, numbers.Real):
            d = _dtypes.get_default_dtype()
        else:
            raise _element_error(RuntimeError(f"Could not infer dtype of {tp.__name__}"), tp)
        if d is not None:
            result = d if result is None else _dtypes.promote_types(result, d)
    return result


def _element_error(err, tp):
    """``err``, for an element of type ``tp`` that is no number, marked with the type's
    name so that _from_python can reword it when a dtype was asked for."""
    err.element_type = tp.__name__
    return err


def _tensors_to_scalars(seq):
    """Tensors inside a list are read as numbers (they must hold one element), as in torch."""
    out = []
    for x in seq:
        if isinstance(x, Tensor):
            if x._requires_grad:
                warnings.warn("Converting a tensor with requires_grad=True to a scalar may lead "
                              "to unexpected behavior.\nConsider using tensor.detach() first.",
                              UserWarning, stacklevel=4)
            out.append(x._scalar())
        elif isinstance(x, (list, tuple)):
            out.append(_tensors_to_scalars(x))
        else:
            out.append(x)
    return out


def _raise_ragged(data, shape, dtype):
    """The error torch gives for sequences that don't form a rectangular array."""
    def walk(x, depth):
        if depth == len(shape):
            if isinstance(x, (list, tuple, range)):
                if dtype.is_floating_point:
                    raise TypeError(f"must be real number, not {type(x).__name__}")
                raise TypeError(f"'{type(x).__name__}' object cannot be interpreted as an "
                                "integer")
            if isinstance(x, str):
                raise ValueError("too many dimensions 'str'")
            if x is None or not isinstance(x, (numbers.Number, np.generic)):
                raise RuntimeError(f"Could not infer dtype of {type(x).__name__}")
            return
        if not isinstance(x, (list, tuple, range, np.ndarray)):
            raise TypeError("not a sequence")
        if len(x) != shape[depth]:
            raise ValueError(f"expected sequence of length {shape[depth]} at dim {depth} "
                             f"(got {len(x)})")
        for y in x:
            walk(y, depth + 1)
    walk(data, 0)
    raise ValueError("could not convert the data to a tensor")


def _cast_checked(array, dt, from_python=False):
    """A copy of ``array`` as ``dt``. Python numbers that don't fit an integer dtype
    raise torch's overflow error (NumPy would wrap or warn); arrays are cast as NumPy
    casts them, as torch does."""
    target = dt.np
    if from_python and target.kind in "iu" and array.dtype.kind in "iuf" and array.size and \
            array.dtype != target:      # (values already of the target dtype fit it)
        # the bounds of full()'s check (_FILL_LIMITS): negative ints wrap into unsigned
        # types down to -max, floats must lie within the bounds (255.5 doesn't fit uint8)
        lo, hi, flo, fhi, _ = _FILL_LIMITS[target]
        if array.dtype.kind == "f":
            # (in float64: a float16 array would cast the bounds to float16, overflowing)
            wide = array.astype(np.float64, copy=False)
            bad = ~((wide >= flo) & (wide <= fhi))        # (NaN compares false)
        else:
            bad = (array > hi) | (array < lo)
        if bad.any():
            raise RuntimeError(f"value cannot be converted to type {dt.name} without overflow")
    token = fp_errors_off()         # (np.errstate costs 4x more: these are small arrays)
    try:
        if from_python:             # a fresh array from _from_python: no copy needed
            return array.astype(target, copy=False)
        return np.array(array, dtype=target, copy=True)
    finally:
        fp_errors_restore(token)


def as_tensor(data=_MISSING, *extra, dtype=None, device=None):
    """Like tensor(), but shares memory with a Tensor or ndarray of the right dtype."""
    if data is _MISSING or extra:
        _check_given("as_tensor", data=data)
        _too_many_given("as_tensor", 1, extra)
    to_device(device, "as_tensor")
    if dtype is not None:
        dtype = _dtypes.keyword_dtype(dtype, "as_tensor")
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or dtype.np == data.dtype):
        return from_numpy(data)
    return tensor(data, dtype=dtype)


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    """torch.asarray: share memory when possible (``copy=None``), or copy (``copy=True``)."""
    if copy:
        t = tensor(obj._data if isinstance(obj, Tensor) else obj, dtype=dtype, device=device)
    else:
        t = as_tensor(obj, dtype=dtype, device=device)
    if requires_grad:
        t = t if t.is_leaf and t is not obj else t.detach()
        t.requires_grad_(True)
    return t


def from_numpy(ndarray=_MISSING, *more):
    """A tensor sharing memory with ``ndarray``: writes to one show in the other."""
    if ndarray is _MISSING or more:
        # (torch's from_numpy is a C function taking one argument, and says so its way)
        given = 0 if ndarray is _MISSING else 1 + len(more)
        raise TypeError(f"torch._VariableFunctionsClass.from_numpy() takes exactly one argument "
                        f"({given} given)")
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    if ndarray.dtype not in _dtypes.FROM_NUMPY:
        _array_dtype(ndarray)       # (raises torch's error)
    if any(s < 0 for s in ndarray.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors "
                         "with negative strides are not currently supported. (You can probably "
                         "work around this by making a copy of your array  with array.copy().) ")
    result = _make(ndarray)
    if not ndarray.size:
        strides = _numpy_strides(ndarray)     # NumPy's (often zero) strides, as torch reports
        if strides is not None and strides != _mf.contiguous_strides(ndarray.shape):
            result._extra = {"layout": (ndarray, strides, 0)}
    return result


# ------------------------------------------------------------------ filled
def _size(fname, args, *, position=1, varargs=True, keyword=False, overloads=False):
    """The shape from a ``size`` argument, read as torch's argument parser reads one:
    f(2, 3) (``varargs``: the positional arguments, when the first is an int),
    f((2, 3)), f([2, 3]), f(Size) or f(size=...) (``keyword``). Only the first element
    of a sequence is checked for being an int (so ``zeros(2, True)`` is 2 x 1 but
    ``zeros(True)`` an error); the others are read with __index__ (bools count).
    ``overloads``: the function has several signatures (rand), so a call none of them
    takes gets torch's "invalid combination" error instead of "takes 1 argument"."""
    first = args[0]
    if isinstance(first, (list, tuple)) and (not first or _is_index(first[0])):
        if len(args) > 1:
            _too_many_args(fname, args, overloads)
        return _unpack_ints(fname, first)
    if keyword:
        raise TypeError(f"{fname}(): argument 'size' must be tuple of ints, not "
                        f"{_type_name(first)}")
    if varargs and _is_index(first):
        return _unpack_ints(fname, args)
    if len(args) > 1:
        _too_many_args(fname, args, overloads)
    if isinstance(first, (list, tuple)):
        raise TypeError(f"{fname}(): argument 'size' (position {position}) must be tuple of "
                        f"ints, but found element of type {_type_name(first[0])} at pos 0")
    raise TypeError(f"{fname}(): argument 'size' (position {position}) must be tuple of ints, "
                    f"not {_type_name(first)}")


def _too_many_args(fname, args, overloads):
    if overloads:
        got = ", ".join(_type_name(a) for a in args)
        raise TypeError(f"{fname}() received an invalid combination of arguments - got ({got}), "
                        "but expected one of:\n * (tuple of ints size, *, torch.Generator "
                        "generator, torch.dtype dtype, ...)")
    raise TypeError(f"{fname}() takes 1 positional argument but {len(args)} were given")


def _unpack_ints(fname, items):
    """The ints of a size sequence: ints, bools, NumPy ints, anything with __index__ and
    one-element integer tensors, as torch unpacks them."""
    shape = []
    for i, s in enumerate(items):
        if isinstance(s, Tensor) and s.numel() == 1 and s.dtype.category == 1:
            shape.append(int(s._data.reshape(-1)[0]))
            continue
        try:
            if isinstance(s, (np.bool_, Tensor)):
                raise TypeError
            value = operator.index(s)
        except TypeError:
            raise TypeError(f"{fname}(): argument 'size' failed to unpack the object at pos "
                            f"{i + 1} with error \"type must be tuple of ints,but got "
                            f"{_type_name(s)}\"") from None
        if not -2 ** 63 <= value < 2 ** 63:
            raise TypeError(f"{fname}(): argument 'size' failed to unpack the object at pos "
                            f"{i + 1} with error \"Overflow when unpacking long long\n\"")
        shape.append(value)
    return tuple(shape)


def _is_index(s):
    """torch's test for an int argument: ints, NumPy ints, objects with __index__ and
    one-element integer tensors; not bools."""
    if isinstance(s, (bool, np.bool_)):
        return False
    if isinstance(s, (int, np.integer)):
        return True
    if isinstance(s, Tensor):
        return s.numel() == 1 and s.dtype.category == 1
    try:
        operator.index(s)       # (a 0-d integer array passes, a 1-d one doesn't)
    except TypeError:
        return False
    return True


def _is_int(s):
    if isinstance(s, Tensor):
        return s.ndim == 0 and s.dtype.category == 1
    return isinstance(s, (int, np.integer)) and not isinstance(s, (bool, np.bool_))


def _filled(fname, shape, value, dtype, requires_grad, device):
    to_device(device, fname)
    for s in shape:
        if s < 0:
            if fname == "zeros":
                raise RuntimeError("zeros: Dimension size must be non-negative.")
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                               f"{list(shape)}")
    return _finish(_fill(shape, value, _dtype_or_default(dtype, fname).np), requires_grad,
                   fname)


def _fill(shape, value, np_dtype):
    """A C-ordered array of ``value`` (uninitialised if None)."""
    if value is None:
        return np.empty(shape, dtype=np_dtype)
    if value == 0:
        return np.zeros(shape, dtype=np_dtype)
    value = _checked_fill_value(value, np_dtype, shape)
    # what np.full does, minus its Python wrapper (fp_errors_off: np.errstate costs 4x
    # more; int64's 2.0**63 passes torch's check and lands as its minimum, as in torch)
    array = np.empty(shape, dtype=np_dtype)
    token = fp_errors_off()
    try:
        np.copyto(array, value, casting="unsafe")
    finally:
        fp_errors_restore(token)
    return array


# Per NumPy dtype, what torch's checked scalar conversion lets through: the range of
# Python ints (unsigned types also take negatives down to -max, wrapping them as C
# does), the range of floats (compared as floats: int64's 2.0**63 passes), and the
# C++ type name its overflow message shows.
def _int_limits(np_type, c_name):
    info = np.iinfo(np_type)
    lo = -int(info.max) if info.min == 0 else int(info.min)
    return lo, int(info.max), float(info.min), float(info.max), c_name


_FLOAT16_MAX, _FLOAT32_MAX = float(np.finfo(np.float16).max), float(np.finfo(np.float32).max)
_FILL_LIMITS = {np.dtype(np.uint8): _int_limits(np.uint8, "uint8_t"),
                np.dtype(np.int8): _int_limits(np.int8, "int8_t"),
                np.dtype(np.int16): _int_limits(np.int16, "int16_t"),
                np.dtype(np.int32): _int_limits(np.int32, "int"),
                np.dtype(np.int64): _int_limits(np.int64, "int64_t"),
                np.dtype(np.float16): (-65504, 65504, -_FLOAT16_MAX, _FLOAT16_MAX, "c10::Half"),
                np.dtype(np.float32): (-2 ** 64, 2 ** 64, -_FLOAT32_MAX, _FLOAT32_MAX, "float")}


def _checked_fill_value(value, np_dtype, shape):
    """``value`` ready to fill a ``np_dtype`` array, or torch's error where its checked
    conversion refuses it: numbers outside the dtype's range raise instead of wrapping
    (``full((2,), 300, dtype=uint8)``) or turning into inf (``full((2,), 1e40)``); NaN
    and inf don't fit integers. Negative ints wrap into unsigned types (-1 -> 255) as
    in torch. float64 and bool take anything (bool(nan) is True)."""
    # the usual values first: they fit every dtype (or every float dtype)
    if type(value) is int and 0 <= value <= 127:
        return value
    if type(value) is float and np_dtype.kind == "f" and -65504.0 <= value <= 65504.0:
        return value
    if isinstance(value, (bool, np.bool_)):
        return value
    is_int = isinstance(value, (int, np.integer))
    if is_int:
        # torch reads a Python int as int64, or as uint64 where it is that large
        if isinstance(value, np.unsignedinteger) and value >= 2 ** 63:
            raise TypeError("an integer is required")
        value = int(value)
        if value >= 2 ** 64:
            raise OverflowError("int too big to convert")
        if value < -2 ** 63:
            raise OverflowError("can't convert negative int to unsigned")
    limits = _FILL_LIMITS.get(np_dtype)
    if limits is None:          # float64, bool
        return bool(value) if np_dtype.kind == "b" else value
    lo, hi, flo, fhi, c_name = limits
    if is_int:
        if lo <= value <= hi:
            return value % (hi + 1) if value < 0 and np_dtype.kind == "u" else value
    else:
        value = float(value)
        if flo <= value <= fhi or (np_dtype.kind == "f" and not math.isfinite(value)):
            return value
    if np_dtype.itemsize == 2 and np_dtype.kind == "f" and math.prod(shape) == 1:
        return value    # torch's one-element float16 fill skips the check
    raise RuntimeError(f"value cannot be converted to type {c_name} without overflow")


def _plain_shape(args):
    """The shape of f(2, 3), f((2, 3)) or f([2, 3]) when every size is a non-negative
    Python int (the usual call), else None: NumPy ints, tensors, bools, negative sizes
    and no sizes at all go through the checked parsing (_size), which raises torch's
    errors. Skipping those checks is what makes zeros(4, 5) cheap."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    elif not args:
        return None
    for s in args:
        if type(s) is not int or s < 0 or s >= 2 ** 63:
            return None
    return args if type(args) is tuple else tuple(args)


def _size_args(fname, args, size):
    if size is not None:
        if args:
            raise TypeError(f"{fname}() got multiple values for argument 'size'")
        return _size(fname, (size,), keyword=True)
    if not args:
        raise TypeError(f"{fname}() missing 1 required positional arguments: \"size\"")
    return _size(fname, args)


def zeros(*args, size=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False):
    """A tensor of zeros: ``zeros(2, 3)`` or ``zeros((2, 3))``.

    >>> ember.zeros(2, 3).shape
    torch.Size([2, 3])
    """
    if layout is not None:
        check_layout("zeros", layout)
    shape = _plain_shape(args) if size is None and out is None else None
    if shape is None:
        shape = _size_args("zeros", args, size)
        return _out(_filled("zeros", shape, 0, _out_dtype("zeros", dtype, out), requires_grad,
                            device), out)
    to_device(device, "zeros")
    return _finish(_fill(shape, 0, _dtype_or_default(dtype, "zeros").np), requires_grad, "zeros")


def ones(*args, size=None, out=None, dtype=None, layout=None, device=None,
         requires_grad=False):
    """A tensor of ones."""
    if layout is not None:
        check_layout("ones", layout)
    shape = _plain_shape(args) if size is None and out is None else None
    if shape is None:
        shape = _size_args("ones", args, size)
        return _out(_filled("ones", shape, 1, _out_dtype("ones", dtype, out), requires_grad,
                            device), out)
    to_device(device, "ones")
    return _finish(_fill(shape, 1, _dtype_or_default(dtype, "ones").np), requires_grad, "ones")


def empty(*args, size=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, memory_format=None, pin_memory=False):
    """An uninitialised tensor (NumPy's empty: contents are arbitrary), laid out in
    ``memory_format`` if given.

    >>> ember.empty(2, 3, 4, 5, memory_format=ember.channels_last).stride()
    (60, 1, 15, 3)
    """
    if layout is not None:
        check_layout("empty", layout)
    if memory_format is not None:
        return _empty_in_format(args, size, out, dtype, device, requires_grad, memory_format)
    shape = _plain_shape(args) if size is None and out is None else None
    if shape is None:
        shape = _size_args("empty", args, size)
        result = _filled("empty", shape, None, _out_dtype("empty", dtype, out), requires_grad,
                         device)
        if out is None:
            return result
        if out.shape != result.shape:       # (torch only resizes out: nothing is written)
            out._data = result._data
        return out
    to_device(device, "empty")
    return _finish(_fill(shape, None, _dtype_or_default(dtype, "empty").np), requires_grad, "empty")


def _empty_in_format(args, size, out, dtype, device, requires_grad, memory_format):
    """empty(..., memory_format=fmt): torch's checks, then the strides of the format."""
    fmt = _mf.check_format("empty", memory_format)
    if out is not None:
        raise RuntimeError("'memory_format' argument is incompatible with 'out' tensor argument")
    if fmt is _mf.preserve_format:
        raise RuntimeError("unsupported memory format Preserve")
    shape = _size_args("empty", args, size)
    to_device(device, "empty")
    result = _finish(_fill(shape, None, _dtype_or_default(dtype, "empty").np), requires_grad,
                     "empty")
    if fmt is not _mf.contiguous_format:
        _mf.lay_out(result, _mf.strides_for(result, fmt))
    return result


def full(size=_MISSING, fill_value=_MISSING, *extra, out=None, dtype=None, layout=None, device=None,
         requires_grad=False):
    """A tensor filled with ``fill_value``; its dtype follows the value like torch's:
    ``full((2,), 7)`` is int64, ``full((2,), 1.5)`` float32, ``full((2,), True)`` bool."""
    if layout is not None:
        check_layout("full", layout)
    if fill_value is _MISSING or extra:
        _check_given("full", size=size, fill_value=fill_value)
        _too_many_given("full", 2, extra)
    if not isinstance(size, (list, tuple)):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not "
                        f"{_type_name(size)}")
    fill_value = _fill_number("full", fill_value)
    dtype = _out_dtype("full", dtype, out)
    if dtype is None:
        dtype = _dtypes.scalar_dtype(fill_value)
    shape = _plain_shape((size,)) if out is None else None
    if shape is None:
        return _out(_filled("full", _size("full", (size,), varargs=False), fill_value, dtype, requires_grad,
                            device), out)
    to_device(device, "full")
    return _finish(_fill(shape, fill_value, _dtypes.keyword_dtype(dtype, "full").np),
                   requires_grad, "full")


def empty_strided(size, stride, *, dtype=None, layout=None, device=None, requires_grad=False,
                  pin_memory=False):
    """An uninitialised tensor with the given shape and strides (in elements), over
    just enough memory for them, as torch lays it out; writes through it work as on
    any tensor.

    >>> ember.empty_strided((2, 3), (1, 2)).stride()
    (1, 2)
    """
    if layout is not None:
        check_layout("empty_strided", layout)
    shape = _size("empty_strided", (size,), varargs=False)
    strides = _stride_arg("empty_strided", stride)
    return _empty_strided("empty_strided", shape, strides, _dtype_or_default(dtype),
                          requires_grad, device)


def _stride_arg(fname, stride):
    """The ints of a ``stride`` argument (position 2), with torch's TypeErrors."""
    if not isinstance(stride, (list, tuple)):
        raise TypeError(f"{fname}(): argument 'stride' (position 2) must be tuple of ints, "
                        f"not {_type_name(stride)}")
    for i, s in enumerate(stride):
        if not _is_index(s):
            raise TypeError(f"{fname}(): argument 'stride' (position 2) must be tuple of ints, "
                            f"but found element of type {_type_name(s)} at pos {i}")
    return tuple(int(s._data.reshape(-1)[0]) if isinstance(s, Tensor) else operator.index(s)
                 for s in stride)


def _empty_strided(fname, shape, strides, dt, requires_grad, device):
    to_device(device)
    for s in shape:
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                               f"{list(shape)}")
    if len(shape) != len(strides):
        raise RuntimeError(f"dimensionality of sizes ({len(shape)}) must match dimensionality "
                           f"of strides ({len(strides)})")
    # the memory the strides reach: one element past the farthest one (none if empty);
    # torch computes it unsigned, so a negative stride over a dim of 2 or more overflows
    if 0 in shape:
        storage = 0
    else:
        storage = 1 + sum((n - 1) * st for n, st in zip(shape, strides))
        if any(st < 0 and n > 1 for n, st in zip(shape, strides)) or storage >= 2 ** 63:
            raise RuntimeError(f"Storage size calculation overflowed with sizes={list(shape)} "
                               f"and strides={list(strides)}")
    # what is left of a negative stride (over a dim of size 0 or 1) is replaced as torch
    # does: by the stride a contiguous dim would have there, counted from the next dim
    strides = list(strides)
    for d in reversed(range(len(strides))):
        if strides[d] < 0:
            strides[d] = 1 if d == len(strides) - 1 else max(shape[d + 1], 1) * strides[d + 1]
    np_dtype = dt.np
    memory = np.empty(storage, dtype=np_dtype)
    item = memory.itemsize
    array = np.lib.stride_tricks.as_strided(memory, shape, [st * item for st in strides],
                                            writeable=True)
    result = _finish(array, requires_grad)
    if storage == 0:        # NumPy keeps no strides of an empty array: torch's are kept
        result._extra = {"layout": (array, tuple(strides), 0)}
    return result


def _fill_number(fname, value):
    if type(value) is float or type(value) is int:    # the usual case, before the ABC check
        return value
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(f"{fname}(): fill_value must be a number or a 0-dim tensor, got a "
                               f"{value.ndim}-dim tensor")
        return value.item()
    if not isinstance(value, (numbers.Real, np.bool_)):
        raise TypeError(f"{fname}(): argument 'fill_value' (position 2) must be Number, not "
                        f"{type(value).__name__}")
    return value


def _out(result, out):
    if out is None:
        return result
    from .pointwise import _maybe_out
    out = _maybe_out(result, out)
    if result._requires_grad:
        # torch's factory ops make out a leaf that requires grad when asked to
        out._requires_grad = True
    elif out._requires_grad and out.grad_fn is None:
        # (only under no_grad: _out_dtype refuses it otherwise) torch's factory ops
        # leave such a leaf no longer requiring grad, a quiet change worth a warning
        out._requires_grad = False
        warnings.warn("a creation function wrote into out= a tensor that requires grad under "
                      "no_grad(): as in torch, that tensor no longer requires grad (call "
                      "requires_grad_() on it again if it should)", UserWarning, stacklevel=3)
    return out


def _out_dtype(fname, dtype, out):
    """The dtype a creation op with ``out=`` computes in: ``out``'s own (torch fills
    ``zeros(2, out=int_tensor)`` with int zeros, truncates ``arange``'s step to an int
    for it, ...); a ``dtype`` given as well must be that one. ``dtype`` as it is when
    there is no ``out``. Raises torch's errors for an ``out`` that is no Tensor or
    that requires grad while grad is on (nothing is written then).

    >>> ember.arange(0, 2, 0.5, out=ember.empty(0, dtype=ember.int32))
    tensor([0, 0, 0, 0], dtype=torch.int32)
    """
    if out is None:
        return dtype
    if not isinstance(out, Tensor):
        raise TypeError(f"{fname}(): argument 'out' must be Tensor, not {_type_name(out)}")
    if dtype is not None:
        dtype = _dtypes.keyword_dtype(dtype, fname)
        if dtype is not out.dtype:
            raise RuntimeError(f"dtype {dtype.legacy_name[:-6]} does not match dtype of out "
                               f"parameter ({out.dtype.legacy_name[:-6]})")
    if fname == "empty":
        if out._requires_grad:      # (torch's resize refuses it even under no_grad)
            raise RuntimeError("cannot resize variables that require grad")
    elif out._requires_grad and _grad_state.enabled:
        raise RuntimeError(f"aten::{fname}(): functions with out=... arguments don't support "
                           "automatic differentiation, but one of the arguments requires grad.")
    return out.dtype


def _like(fname, input, value, dtype, requires_grad, memory_format, device=None):
    if not isinstance(input, Tensor):
        if input is _MISSING:
            _check_given(fname, input=input)
        raise wrong_type(fname, "input", 1, "Tensor", input)
    if device is not None:
        to_device(device, fname)
    data = input._data
    if (memory_format is None or memory_format is _mf.preserve_format) and \
            _mf.keeps_c_order(data):
        # the usual case: C order in, C order out
        np_dtype = data.dtype if dtype is None else _dtypes.keyword_dtype(dtype, fname).np
        return _finish(_fill(data.shape, value, np_dtype), requires_grad, fname)
    strides = _mf.strides_for(input, _mf.check_format(fname, memory_format))
    dt = dtype if dtype is not None else input.dtype
    return _mf.lay_out(_filled(fname, data.shape, value, dt, requires_grad, None), strides)


def zeros_like(input=_MISSING, *extra, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    """Zeros with the shape (and, unless given, dtype) of ``input``; like every
    ``*_like``, laid out in memory as ``input`` is unless ``memory_format`` says
    otherwise (``zeros_like(x.t()).stride() == x.t().stride()``)."""
    if layout is not None:
        check_layout("zeros_like", layout)
    if extra:
        _too_many_given("zeros_like", 1, extra)
    return _like("zeros_like", input, 0, dtype, requires_grad, memory_format, device)


def ones_like(input=_MISSING, *extra, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """Ones with the shape (and, unless given, dtype) of ``input``."""
    if layout is not None:
        check_layout("ones_like", layout)
    if extra:
        _too_many_given("ones_like", 1, extra)
    return _like("ones_like", input, 1, dtype, requires_grad, memory_format, device)


def empty_like(input=_MISSING, *extra, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    """An uninitialised tensor shaped and laid out like ``input``."""
    if layout is not None:
        check_layout("empty_like", layout)
    if extra:
        _too_many_given("empty_like", 1, extra)
    return _like("empty_like", input, None, dtype, requires_grad, memory_format, device)


def full_like(input=_MISSING, fill_value=_MISSING, *extra, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """``fill_value`` in the shape and dtype of ``input`` (2.7 in an int64 tensor is 2)."""
    if layout is not None:
        check_layout("full_like", layout)
    if fill_value is _MISSING or extra:
        _check_given("full_like", input=input, fill_value=fill_value)
        _too_many_given("full_like", 2, extra)
    return _like("full_like", input, _fill_number("full_like", fill_value), dtype,
                 requires_grad, memory_format, device)


# ---------------------------------------------------------- Tensor.new_*
def _new_dtype(self, dtype):
    return self.dtype if dtype is None else dtype


def new_tensor(self, data=_MISSING, *, dtype=None, device=None, requires_grad=False):
    """``tensor(data)`` with this tensor's dtype unless ``dtype`` is given."""
    _check_given("new_tensor", data=data)
    return tensor(data, dtype=_new_dtype(self, dtype), device=device,
                  requires_grad=requires_grad)


def new_zeros(self, *args, size=None, dtype=None, device=None, requires_grad=False,
              layout=None, pin_memory=False):
    if layout is not None:
        check_layout("new_zeros", layout)
    return _filled("new_zeros", _size_args("new_zeros", args, size), 0, _new_dtype(self, dtype),
                   requires_grad, device)


def new_ones(self, *args, size=None, dtype=None, device=None, requires_grad=False,
             layout=None, pin_memory=False):
    if layout is not None:
        check_layout("new_ones", layout)
    return _filled("new_ones", _size_args("new_ones", args, size), 1, _new_dtype(self, dtype),
                   requires_grad, device)


def new_empty(self, *args, size=None, dtype=None, device=None, requires_grad=False,
              layout=None, pin_memory=False):
    if layout is not None:
        check_layout("new_empty", layout)
    return _filled("new_empty", _size_args("new_empty", args, size), None, _new_dtype(self, dtype),
                   requires_grad, device)


def new_empty_strided(self, size=_MISSING, stride=_MISSING, *, dtype=None, layout=None,
                      device=None, requires_grad=False, pin_memory=False):
    """``empty_strided`` with this tensor's dtype unless ``dtype`` is given."""
    _check_given("new_empty_strided", size=size, stride=stride)
    if layout is not None:
        check_layout("new_empty_strided", layout)
    shape = _size("new_empty_strided", (size,), varargs=False)
    strides = _stride_arg("new_empty_strided", stride)
    return _empty_strided("new_empty_strided", shape, strides,
                          _dtypes.to_dtype(_new_dtype(self, dtype)), requires_grad, device)


def new_full(self, size=_MISSING, fill_value=_MISSING, *, dtype=None, device=None,
             requires_grad=False, layout=None, pin_memory=False):
    _check_given("new_full", size=size, fill_value=fill_value)
    if layout is not None:
        check_layout("new_full", layout)
    return _filled("new_full", _size("new_full", (size,), varargs=False),
                   _fill_number("new_full", fill_value),
                   _new_dtype(self, dtype), requires_grad, device)


# ------------------------------------------------------------------ ranges
def _number(x, fname, argname, position):
    """A Python number from an argument (a 0-dim tensor counts as one)."""
    if isinstance(x, Tensor):
        if x.ndim != 0:
            raise TypeError(f"{fname}(): argument '{argname}' (position {position}) must be "
                            f"Number, not Tensor")
        return x.item()
    if isinstance(x, np.generic):
        return x.item()
    if not isinstance(x, numbers.Real):
        raise TypeError(f"{fname}(): argument '{argname}' (position {position}) must be Number, "
                        f"not {type(x).__name__}")
    return x


def _c_number(v):
    """A number as C++ streams print it (what torch's messages show): 0.5, 1, inf, nan."""
    if isinstance(v, float):
        return f"{v:g}"
    return str(int(v))


# the signatures torch's parser lists when no signature of a range factory takes a call
_TAIL = ("torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, "
         "bool pin_memory = False, bool requires_grad = False)")
_OUT_TAIL = "*, Tensor out = None, " + _TAIL
_RANGE_SIGNATURES = {
    "arange": [f"(Number end, {_OUT_TAIL}", f"(Number start, Number end, *, {_TAIL}",
               f"(Number start, Number end, Number step = 1, {_OUT_TAIL}"],
    "linspace": [f"({a} start, {b} end, int steps, {_OUT_TAIL}"
                 for a, b in (("Tensor", "Tensor"), ("Number", "Tensor"), ("Tensor", "Number"),
                              ("Number", "Number"))],
    "logspace": [f"({a} start, {b} end, int steps, float base = 10.0, {_OUT_TAIL}"
                 for a, b in (("Tensor", "Tensor"), ("Number", "Tensor"), ("Tensor", "Number"),
                              ("Number", "Number"))],
    "eye": [f"(int n, {_OUT_TAIL}", f"(int n, int m, {_OUT_TAIL}"],
}


def _no_signature(fname, args, keywords, dtype=None, requires_grad=False):
    """torch's TypeError for a call of the range factory ``fname`` that none of its
    signatures takes: ``args`` as given (_MISSING for those left out), the unknown
    ``keywords``, and ``dtype`` and ``requires_grad`` when they are what failed."""
    keywords = dict(keywords)
    if dtype is not None and _bad_dtype(dtype):
        keywords["dtype"] = dtype
    if requires_grad is not None and type(requires_grad) is not bool:
        keywords["requires_grad"] = requires_grad
    return invalid_combination(fname, [a for a in args if a is not _MISSING], keywords,
                               _RANGE_SIGNATURES[fname])


def _bad_dtype(dtype):
    """True for a ``dtype=`` torch's parser refuses (a name: 'float32')."""
    if type(dtype) is _dtypes.dtype:
        return False
    try:
        _dtypes.keyword_dtype(dtype, "")
    except TypeError:
        return True
    return False


def _is_number_arg(x):
    """A value torch's parser takes as a Number or a Tensor (start, end of a range)."""
    return isinstance(x, (numbers.Real, np.generic, Tensor))


def arange(start=_MISSING, end=None, step=1, *extra, out=None, dtype=None, layout=None,
           device=None, requires_grad=False, **unexpected):
    """Values from start (inclusive) to end (exclusive) by step.

    Integer arguments give int64, any float argument the default float dtype.

    >>> ember.arange(4.0)
    tensor([0., 1., 2., 3.])
    >>> ember.arange(5, 0, -2)
    tensor([5, 3, 1])
    """
    if layout is not None:
        check_layout("arange", layout)
    to_device(device)
    if dtype is None and out is None and type(start) is int and type(step) is int and \
            (end is None or type(end) is int) and not extra and not unexpected:
        array = _arange_int64(start, end, step)
        if array is not None:
            return _finish(array, requires_grad)
    given = (start,) + ((end,) if end is not None else ()) + (
        (step,) if step != 1 or extra else ()) + extra
    if start is _MISSING or extra or unexpected or (dtype is not None and _bad_dtype(dtype)) \
            or (requires_grad is not None and type(requires_grad) is not bool) or (
            len(given) > 1 and not all(_is_number_arg(v) for v in given)):
        # (one bad number alone gets its single text below, as in torch)
        raise _no_signature("arange", given, unexpected, dtype, requires_grad)
    dtype = _out_dtype("arange", dtype, out)
    if end is None:
        start, end = 0, start
        start_pos = 0
    else:
        start_pos = 1
    is_float = any(isinstance(v, float) or (isinstance(v, Tensor) and v.is_floating_point())
                   or isinstance(v, np.floating) for v in (start, end, step))
    start = _number(start, "arange", "start", 1)
    end = _number(end, "arange", "end", 1 + start_pos)
    step = _number(step, "arange", "step", 3)
    if dtype is not None:
        dt = _dtypes.to_dtype(dtype)
    else:
        dt = _dtypes.get_default_dtype() if is_float else _dtypes.int64
    if step == 0 or step != step:         # (torch says the same of a NaN step)
        raise RuntimeError("step must be nonzero")
    if dt is _dtypes.bool:
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    _check_finite_range(start, end)       # (before int() turns NaN into a ValueError)
    if dt is _dtypes.int64:
        # The int64 kernel works on the bounds and the step truncated toward zero.
        xstart, xend, xstep = int(start), int(end), int(step)
        if xstep == 0:
            raise ValueError("step must be nonzero")
    else:
        xstart, xend, xstep = float(start), float(end), float(step)
    if not (math.isfinite(xstart) and math.isfinite(xend)):
        raise RuntimeError(f"unsupported range: {_c_number(xstart)} -> {_c_number(xend)}")
    if not ((xstep > 0 and xend >= xstart) or (xstep < 0 and xend <= xstart)):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if dt is _dtypes.int64:
        n = -((xstart - xend) // xstep)          # exact ceil((end - start) / step)
    else:
        length = (xend - xstart) / xstep
        if not math.isfinite(length):      # a denormal step
            raise RuntimeError("invalid size, possible overflow?")
        n = math.ceil(length)
    n = max(int(n), 0)
    if out is not None and out._data.size not in (0, n):
        warnings.warn(f"The number of elements in the out tensor of shape {list(out.shape)} is "
                      f"{out._data.size} which does not match the computed number of elements "
                      f"{n}. Note that this may occur as a result of rounding error. The out "
                      f"tensor will be resized to a tensor of shape ({n},).", UserWarning,
                      stacklevel=2)
    if dt.is_floating_point:
        array = _arange_float(xstart, xstep, n, dt.np)
    else:
        # Other integer kernels truncate the start and the step (not the size).
        with np.errstate(over="ignore"):
            array = (int(xstart) + int(xstep) * np.arange(n, dtype=np.int64)).astype(dt.np)
    return _out(_finish(array, requires_grad), out)


def _arange_int64(start, end, step):
    """arange of Python ints (arange(n), arange(a, b, s)): the full path's values without
    its checks and conversions, or None where those have something to say (a zero step,
    bounds against the step's sign, values near int64's limits)."""
    if end is None:
        start, end = 0, start
    if not (abs(start) < 2 ** 62 and abs(end) < 2 ** 62 and abs(step) < 2 ** 62):
        return None
    if not ((step > 0 and end >= start) or (step < 0 and end <= start)):
        return None
    n = -((start - end) // step)
    if start == 0 and step == 1:
        return np.arange(n, dtype=np.int64)
    return start + step * np.arange(n, dtype=np.int64)


# torch's CPU arange writes blocks of two SIMD vectors: the first value of each
# vector is computed from the index, the rest by adding multiples of the step.
# Vector widths (elements) of the kernel that torch 2.x ships, by dtype.
_ARANGE_VECTOR = {np.dtype(np.float16): 16, np.dtype(np.float32): 8, np.dtype(np.float64): 4}


def _arange_float(start, step, n, dt):
    """arange values as torch's CPU kernel computes them: ``start + step * i`` with a
    fused multiply-add in the accumulate type (float32 for float16, else float64),
    except inside vector blocks (see _ARANGE_VECTOR)."""
    dt = np.dtype(dt)
    acc = np.float32 if dt == np.float16 else np.float64
    fma = _fma32 if acc is np.float32 else _fma64
    s, st = acc(start), acc(step)
    # start + step * i: plain float64 arithmetic where that rounds nothing away
    fma_start = functools.partial(_plain_fma, acc=acc) if _fma_is_plain(st, n, s) else fma
    idx = np.arange(n, dtype=acc)
    values = fma_start(st, idx, s)
    width = _ARANGE_VECTOR[dt]
    nvec = (n // (2 * width)) * 2 * width
    if nvec:
        # Each vector starts from its first value rounded to the output dtype.
        with np.errstate(over="ignore"):
            base = fma_start(st, idx[:nvec:width], s).astype(dt).astype(acc)
        k = np.arange(width, dtype=acc)
        values[:nvec] = fma(k[None, :], st, base[:, None]).reshape(-1)
    return _cast_quietly(values, dt)


def _fma_is_plain(a, n, c):
    """True if plain float64 arithmetic gives the fused multiply-add ``a * i + c`` for
    every integer 0 <= i < n (the emulations below cost some 20 NumPy calls): where
    c is +0.0 (the product is then the only rounding, in both), or where every
    product and sum is exact in float64. That covers most ranges students ask for
    (a zero start, integer or binary-fraction steps). A start of -0.0 is left to the
    emulation, whose signed zeros are its own."""
    a, c = float(a), float(c)
    if not (math.isfinite(a) and math.isfinite(c)) or (c == 0 and math.copysign(1.0, c) < 0):
        return False
    if c == 0:
        return True     # a * i + 0.0 rounds once, in the product, as the fused one does
    na, da = a.as_integer_ratio()       # a = na / da, da a power of two
    nc, dc = c.as_integer_ratio()
    # In units of 1/d every a * i and c, and their sum, is an integer no larger than
    # this bound; below 2**53 all of them are float64 numbers, so nothing rounds.
    d = max(da, dc)
    return abs(na) * (d // da) * max(n - 1, 0) + abs(nc) * (d // dc) < 2 ** 53


def _plain_fma(a, b, c, acc):
    """``a * b + c`` in float64, as ``acc``: what _fma32/_fma64 give where _fma_is_plain."""
    return (np.float64(a) * np.asarray(b, np.float64) + np.float64(c)).astype(acc, copy=False)


def _cast_quietly(array, np_dtype):
    """``array.astype(np_dtype)``, values out of range giving inf (or wrapping) without a
    warning, as in torch (fp_errors_off: np.errstate costs 4x more on small arrays)."""
    token = fp_errors_off()
    try:
        return array.astype(np_dtype)
    finally:
        fp_errors_restore(token)


def _two_sum(x, y):
    """s, err with s = round(x + y) and s + err == x + y exactly (Knuth)."""
    s = x + y
    bb = s - x
    return s, (x - (s - bb)) + (y - bb)


def _round_to_odd_sum(x, y):
    """x + y rounded to odd: when inexact, the neighbour whose last bit is 1. A value
    rounded to odd with a couple of spare bits rounds correctly a second time."""
    s, err = _two_sum(x, y)
    even = (np.asarray(s).view(np.int64) & 1) == 0
    nudge = (err != 0) & even
    return np.where(nudge, np.nextafter(s, np.where(err > 0, np.inf, -np.inf)), s)


def _fma32(a, b, c):
    """round_to_float32(a * b + c) with one rounding: the product of float32 values (or
    of a float32 and an index below 2**29) is exact in float64, and the sum is rounded
    to odd so that rounding to float32 afterwards is correct."""
    p = np.float64(a) * np.asarray(b, np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        return _round_to_odd_sum(p, np.asarray(c, np.float64)).astype(np.float32)


def _split(a):
    c = a * 134217729.0       # 2**27 + 1: Veltkamp's split into two 26-bit halves
    hi = c - (c - a)
    return hi, a - hi


def _fma64(a, b, c):
    """a * b + c in float64 rounded once, as a hardware fused multiply-add gives
    (Boldo and Melquiond's emulation): the product split exactly into p + e (Dekker),
    c + p into s + t (Knuth), then s + round_to_odd(t + e)."""
    a, b, c = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(b, np.float64),
                                  np.asarray(c, np.float64))
    with np.errstate(over="ignore", invalid="ignore"):
        p = a * b
        ah, al = _split(a)
        bh, bl = _split(b)
        e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
        s, t = _two_sum(c, p)
        result = s + _round_to_odd_sum(t, e)
    # Where the split overflowed (huge values) fall back to the plain expression.
    return np.where(np.isfinite(result), result, p + c)


def _check_finite_range(start, end):
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {_c_number(float(start))} -> "
                           f"{_c_number(float(end))}")


def range_(start=0, end=None, step=1, *, dtype=None, device=None, requires_grad=False,
           layout=None, pin_memory=False):
    """torch.range (deprecated in torch): like arange but includes ``end``."""
    if layout is not None:
        check_layout("range", layout)
    warnings.warn("torch.range is deprecated and will be removed in a future release because "
                  "its behavior is inconsistent with Python's range builtin. Instead, use "
                  "torch.arange, which produces values in [start, end).", UserWarning,
                  stacklevel=2)
    if end is None:
        start, end = 0, start
    dt = _dtype_or_default(dtype)
    if step == 0 or step != step:
        raise RuntimeError("step must be nonzero")
    _check_finite_range(start, end)
    if not ((step > 0 and end >= start) or (step < 0 and end <= start)):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    n = int(math.floor((end - start) / step)) + 1
    return _finish((start + np.arange(n, dtype=np.float64) * step).astype(dt.np), requires_grad)


def _steps(steps, fname):
    if not _is_int(steps):
        raise TypeError(f"{fname}() received an invalid combination of arguments - got steps of "
                        f"type {type(steps).__name__}, but expected (Number start, Number end, "
                        "int steps)")
    steps = operator.index(steps)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return steps


def _linear_points(start, end, steps, dt):
    """linspace values as torch's CPU kernel computes them: in the output dtype (or
    float64 for integer dtypes), the first half as ``start + step * i`` and the
    second as ``end - step * (steps - 1 - i)`` so that both ends are exact. Huge or
    infinite bounds give inf and nan quietly, as in torch."""
    token = fp_errors_off()
    try:
        return _linear_points_unchecked(start, end, steps, dt)
    finally:
        fp_errors_restore(token)


def _linear_points_unchecked(start, end, steps, dt):
    i = np.arange(steps)
    first = i < steps // 2
    if dt.kind in "iu":
        a, b = float(_to_int_dtype(start, dt)), float(_to_int_dtype(end, dt))
        step = (b - a) / (steps - 1)
        return np.where(first, _fma64(step, i, a), _fma64(-step, steps - 1 - i, b))
    if dt == np.float16:
        # Half arithmetic: every operation rounds to float16.
        h, f = np.float16, np.float32
        a, b = h(start), h(end)
        step = h(h(f(b) - f(a)) / f(h(steps - 1)))
        lo = (f(a) + (f(step) * i.astype(h).astype(f)).astype(h).astype(f)).astype(h)
        hi = (f(b) - (f(step) * (steps - 1 - i).astype(h).astype(f)).astype(h).astype(f)).astype(h)
        return np.where(first, lo, hi)
    fma = _fma32 if dt == np.float32 else _fma64
    a, b = dt.type(start), dt.type(end)
    step = dt.type((b - a) / dt.type(steps - 1))
    if dt == np.float32 and _fma_is_plain(step, steps, a) and _fma_is_plain(-step, steps, b):
        # (float64 products of float32 steps: _fma32's own first step)
        fma = functools.partial(_plain_fma, acc=np.float32)
    return np.where(first, fma(step, i, a), fma(-step, steps - 1 - i, b))


def _to_int_dtype(value, dt):
    """A bound (that _check_bounds let through) converted to an integer dtype as C++
    does: truncated, negative values wrapping into unsigned types; 2.0**63, which
    passes torch's check for int64, becomes int64's min, as on x86."""
    v = math.trunc(value)
    if v >= 2 ** 63:
        v = -2 ** 63
    return int(np.array(v, dtype=np.int64).astype(dt))


_FLOAT_LIMITS = {np.dtype(np.float16): (65504.0, "c10::Half"),
                 np.dtype(np.float32): (3.4028234663852886e38, "float")}


# [min, max] and C++ names of the int dtypes, for linspace/logspace's bound checks
_INT_BOUNDS = {np.dtype(name): (int(np.iinfo(name).min), int(np.iinfo(name).max), cname)
               for name, cname in (("uint8", "uint8_t"), ("int8", "int8_t"),
                                   ("int16", "int16_t"), ("int32", "int"), ("int64", "int64_t"))}


def _check_bounds(start, end, steps, dt):
    """torch converts the bounds it uses (start from one step on, end from two) to the
    output dtype with an overflow check. Into a float dtype infinities and NaN pass;
    into an int dtype a float must lie in [min, max] (uint8: -0.5 fails; NaN and
    infinities fail) and an int in [min, max], or, for uint8, in [-255, 255] (C++
    wraps a negative int around).

    >>> ember.linspace(-3.5, 2, 4, dtype=ember.uint8)
    Traceback (most recent call last):
    RuntimeError: value cannot be converted to type uint8_t without overflow
    """
    bounds = _INT_BOUNDS.get(dt)
    if bounds is not None:
        lo, hi, cname = bounds
        for v in (start, end)[:min(steps, 2)]:
            if isinstance(v, numbers.Integral):
                fits = (-hi if lo == 0 else lo) <= v <= hi
            else:
                fits = float(lo) <= v <= float(hi)      # (NaN fails too)
            if not fits:
                raise RuntimeError(f"value cannot be converted to type {cname} without overflow")
        return
    limit = _FLOAT_LIMITS.get(dt)
    if limit is None:
        return
    for v in (start, end)[:min(steps, 2)]:
        if math.isfinite(v) and abs(v) > limit[0]:
            raise RuntimeError(f"value cannot be converted to type {limit[1]} without overflow")


def linspace(start=_MISSING, end=_MISSING, steps=_MISSING, *extra, out=None, dtype=None,
             layout=None, device=None, requires_grad=False, **unexpected):
    """``steps`` evenly spaced values from start to end inclusive.

    >>> ember.linspace(0, 1, 5)
    tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
    """
    if layout is not None:
        check_layout("linspace", layout)
    to_device(device)
    if steps is _MISSING or extra or unexpected or not _is_int(steps) or not _is_number_arg(
            start) or not _is_number_arg(end) or (
            dtype is not None and _bad_dtype(dtype)) or (
            requires_grad is not None and type(requires_grad) is not bool):
        given = (start, end, steps) if False \
            else (start, end, steps)
        raise _no_signature("linspace", given + extra, unexpected, dtype, requires_grad)
    steps = _steps(steps, "linspace")
    start = _number(start, "linspace", "start", 1)
    end = _number(end, "linspace", "end", 2)
    dt = _dtype_or_default(_out_dtype("linspace", dtype, out))
    if dt is _dtypes.bool:
        if steps >= 2:      # (torch fills 0 or 1 value without its kernel, which has no bool)
            raise NotImplementedError("\"linspace_cpu\" not implemented for 'Bool'")
        return _out(_finish(np.full((steps,), bool(start)), requires_grad), out)
    _check_bounds(start, end, steps, dt.np)
    if steps == 0:
        array = np.empty((0,), dtype=dt.np)
    elif steps == 1:
        array = np.full((1,), start, dtype=np.float64)
    else:
        array = _linear_points(start, end, steps, dt.np)
    array = _cast_quietly(np.trunc(array) if dt.category == 1 else array, dt.np)
    return _out(_finish(array, requires_grad), out)


def logspace(start=_MISSING, end=_MISSING, steps=_MISSING, base=10.0, *extra, out=None,
             dtype=None, layout=None, device=None, requires_grad=False, **unexpected):
    """``base ** linspace(start, end, steps)``.

    >>> ember.logspace(0, 2, 3)
    tensor([  1.,  10., 100.])
    """
    if layout is not None:
        check_layout("logspace", layout)
    to_device(device)
    if steps is _MISSING or extra or unexpected or not _is_int(steps) or not _is_number_arg(
            start) or not _is_number_arg(end) or not _is_number_arg(base) or isinstance(base, Tensor) or (
            dtype is not None and _bad_dtype(dtype)) or (
            requires_grad is not None and type(requires_grad) is not bool):
        given = (start, end, steps, base) if base != 10.0 \
            else (start, end, steps)
        raise _no_signature("logspace", given + extra, unexpected, dtype, requires_grad)
    steps = _steps(steps, "logspace")
    start = _number(start, "logspace", "start", 1)
    end = _number(end, "logspace", "end", 2)
    dt = _dtype_or_default(_out_dtype("logspace", dtype, out))
    if dt is _dtypes.bool:
        if steps >= 2:
            raise NotImplementedError("\"logspace_cpu\" not implemented for 'Bool'")
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            value = np.power(float(base), float(start)) != 0
        return _out(_finish(np.full((steps,), value), requires_grad), out)
    if steps == 1 and dt.category == 1:
        # (one value: torch converts base ** start, not start, to the int dtype)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            _check_bounds(float(np.power(float(base), float(start))), end, 1, dt.np)
    else:
        _check_bounds(start, end, steps, dt.np)
    if steps == 0:
        return _out(_finish(np.empty((0,), dtype=dt.np), requires_grad), out)
    if steps == 1:
        exponents = np.full((1,), start, dtype=np.float64)
    elif dt.category == 1:
        # (as torch: the first half counted from start, the second back from end, in
        # plain float64 arithmetic, unlike linspace's fused multiply-adds)
        a, b = float(_to_int_dtype(start, dt.np)), float(_to_int_dtype(end, dt.np))
        step, i = (b - a) / (steps - 1), np.arange(steps)
        exponents = np.where(i < steps // 2, a + step * i, b - step * (steps - 1 - i))
    else:
        # The exponents as linspace computes them; the power is then rounded once from
        # float64 (torch's vectorised pow can differ from that in the last bit).
        exponents = _linear_points(start, end, steps, dt.np)
    base = float(base) if dt.category == 1 else float(dt.np.type(base))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        array = np.power(base, exponents.astype(np.float64))
        array = (np.trunc(array) if dt.category == 1 else array).astype(dt.np)
    return _out(_finish(array, requires_grad), out)


def eye(n=_MISSING, m=None, *extra, out=None, dtype=None, layout=None, device=None,
        requires_grad=False, **unexpected):
    """The n x m identity matrix.

    >>> ember.eye(2)
    tensor([[1., 0.],
            [0., 1.]])
    """
    if layout is not None:
        check_layout("eye", layout)
    to_device(device)
    if n is _MISSING or extra or unexpected or (m is not None and not _is_int(m)) or (
            dtype is not None and _bad_dtype(dtype)) or (
            requires_grad is not None and type(requires_grad) is not bool):
        if not (m is None and not extra and not unexpected and n is not _MISSING
                and not _is_int(n)):
            raise _no_signature("eye", (n,) + ((m,) if m is not None else ()) + extra,
                                unexpected, dtype, requires_grad)
    if not _is_int(n):      # (the one-argument call: torch names the argument)
        raise wrong_type("eye", "n", 1, "int", n)
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    dt = _dtype_or_default(_out_dtype("eye", dtype, out))
    array = np.eye(int(n), int(m) if m is not None else int(n), dtype=dt.np)
    return _out(_finish(array, requires_grad), out)


# torch's kernel names for the integer dtypes (its NotImplementedError for the others)
_INDEX_DTYPES = {"int64": "Long", "int32": "Int"}
_C_TYPE_NAMES = {"int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
                 "float16": "Half", "bfloat16": "BFloat16", "float32": "Float",
                 "float64": "Double"}


_NO_COL = object()     # (col left out, or too many given: torch's TypeError, in its words)


def _triangle_indices(fname, row, col, offset, too_many, dtype, device, requires_grad):
    """The (2, N) row and column indices of the cells of a row x col matrix in its
    lower (tril) or upper (triu) triangle, in row-major order, as torch's."""
    if col is _NO_COL:
        raise TypeError(f'{fname}() missing 1 required positional arguments: "col"')
    if too_many:
        raise TypeError(f"{fname}() takes from 2 to 3 positional arguments but "
                        f"{3 + len(too_many)} were given")
    to_device(device)
    for name, v, pos in (("row", row, 1), ("col", col, 2), ("offset", offset, 3)):
        if not _is_int(v):
            raise TypeError(f"{fname}(): argument '{name}' (position {pos}) must be int, not "
                            f"{_type_name(v)}")
    row, col, offset = int(row), int(col), int(offset)
    if row < 0:     # (torch's message has no space before the number)
        raise RuntimeError(f"row must be non-negative, got{row}")
    if col < 0:
        raise RuntimeError(f"col must be non-negative, got{col}")
    dt = _dtypes.int64 if dtype is None else _dtypes.to_dtype(dtype)
    if dt.name not in _INDEX_DTYPES:
        raise NotImplementedError(f'"{fname}" not implemented for '
                                  f"'{_C_TYPE_NAMES.get(dt.name, dt.name)}'")
    # np.tri marks the cells on and below diagonal `offset`: tril keeps them, triu the
    # cells on and above its diagonal, i.e. not below diagonal offset - 1
    if fname == "tril_indices":
        mask = np.tri(row, col, offset, dtype=bool)
    else:
        mask = ~np.tri(row, col, offset - 1, dtype=bool)
    rows, cols = np.nonzero(mask)
    return _finish(np.stack((rows, cols)).astype(dt.np, copy=False), requires_grad)


def tril_indices(row, col=_NO_COL, offset=0, *too_many, dtype=None, device=None, layout=None,
                 requires_grad=False, pin_memory=False):
    """Indices (2, N) of the lower triangle (on and below diagonal ``offset``) of a
    row x col matrix: row indices first, then column indices.

    >>> ember.tril_indices(3, 3)
    tensor([[0, 1, 1, 2, 2, 2],
            [0, 0, 1, 0, 1, 2]])
    """
    if layout is not None:
        check_layout("tril_indices", layout)
    return _triangle_indices("tril_indices", row, col, offset, too_many, dtype, device,
                             requires_grad)


def triu_indices(row, col=_NO_COL, offset=0, *too_many, dtype=None, device=None, layout=None,
                 requires_grad=False, pin_memory=False):
    """Indices (2, N) of the upper triangle (on and above diagonal ``offset``) of a
    row x col matrix.

    >>> ember.triu_indices(3, 3, 1)
    tensor([[0, 0, 1],
            [1, 2, 2]])
    """
    if layout is not None:
        check_layout("triu_indices", layout)
    return _triangle_indices("triu_indices", row, col, offset, too_many, dtype, device,
                             requires_grad)


def scalar_tensor(value, *, dtype=None, device=None, requires_grad=False, layout=None,
                  pin_memory=False):
    if layout is not None:
        check_layout("scalar_tensor", layout)
    to_device(device)
    dt = _dtype_or_default(dtype)
    value = _checked_fill_value(_fill_number("scalar_tensor", value), dt.np, ())
    # (through a NumPy scalar: int64's 2.0**63, let through as in torch, and float16's
    # unchecked one-element overflow land quietly)
    return _finish(_cast_quietly(np.array(value), dt.np), requires_grad)


def complex(*args, **kwargs):
    raise TypeError("ember has no complex dtypes")


def meshgrid(*tensors, indexing="ij"):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    _check_meshgrid(tensors, indexing)
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


def _check_meshgrid(tensors, indexing):
    """torch's checks: a silently ignored typo in ``indexing`` would flip the grid."""
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{_type_name(t)}")
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    if indexing not in ("ij", "xy", None):
        raise RuntimeError('torch.meshgrid: indexing must be one of "xy" or "ij", but '
                           f"received: {indexing}")
    for t in tensors:
        if t.ndim > 1:
            raise RuntimeError("torch.meshgrid: Expected 0D or 1D tensor in the tensor list "
                               f"but got: a {t.ndim}-D tensor of shape {tuple(t.shape)}")
    if any(t.dtype is not tensors[0].dtype for t in tensors):
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")


bind(new_tensor=new_tensor, new_zeros=new_zeros, new_ones=new_ones, new_empty=new_empty,
     new_full=new_full, new_empty_strided=new_empty_strided)

__all__ = ["tensor", "as_tensor", "asarray", "from_numpy", "zeros", "ones", "empty", "full",
           "empty_strided", "zeros_like", "ones_like", "empty_like", "full_like", "arange",
           "linspace", "logspace", "eye", "scalar_tensor", "meshgrid", "tril_indices", "triu_indices",
           "new_tensor", "new_zeros", "new_ones", "new_empty", "new_full",
           "new_empty_strided", "fill", "frombuffer", "resize_as_"]


# ------------------------------------------------------------------- fill, frombuffer
def fill(input=_MISSING, value=_MISSING):
    """A new tensor shaped and typed as ``input``, every element ``value`` (a number or a
    0-dim tensor); ``input`` is unchanged. Gradients: zero to ``input``, the sum of all
    to a tensor ``value``.

    >>> ember.fill(ember.zeros(2, dtype=ember.int64), 2.7)
    tensor([2, 2])
    """
    from ..autograd.graph import record
    from .pointwise import _zero_backward, _fill_tensor_backward, _full_quietly
    if not isinstance(input, Tensor) or not isinstance(
            value, (Tensor, numbers.Number, np.generic)):
        given = [a for a in (input, value) if a is not _MISSING]
        lines = [f"fill() received an invalid combination of arguments - got "
                 f"({', '.join(_type_name(a) for a in given)}), but expected one of:"]
        for kinds in (("Tensor", "Tensor"), ("Tensor", "Number")):
            lines.append(f" * (Tensor input, {kinds[1]} value)")
            if len(given) == 2:
                # (torch marks !each argument! but a Tensor given for a Tensor parameter)
                shown = ", ".join(_type_name(a) if k == "Tensor" and isinstance(a, Tensor)
                                  else f"!{_type_name(a)}!" for k, a in zip(kinds, given))
                lines.append(f"      didn't match because some of the arguments have invalid "
                             f"types: ({shown})")
        raise TypeError("\n".join(lines) + "\n")
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor "
                               f"with {value.ndim} dimensions.")
        result = _make(_full_quietly(input._data.shape, value._data, input._data.dtype))
        record("FillBackward1", _fill_tensor_backward, (input, value), result)
        return result
    value = _checked_fill_value(value, input._data.dtype, input._data.shape)
    result = _make(_full_quietly(input._data.shape, value, input._data.dtype))
    record("FillBackward0", _zero_backward, (input,), result)
    return result


def frombuffer(buffer, *, dtype=_MISSING, count=-1, offset=0, requires_grad=False):
    """A 1-D tensor over the memory of an object with the buffer protocol (bytearray,
    array.array, memoryview, ...), sharing it: writes through either show in the other.
    ``offset`` bytes are skipped, then ``count`` elements (-1: all that remain) are read.

    >>> ember.frombuffer(bytearray(8), dtype=ember.float32)
    tensor([0., 0.])

    A read-only buffer (bytes) cannot be shared writably by NumPy, so ember copies it,
    with torch's warning.
    """
    if dtype is _MISSING:
        raise TypeError('frombuffer() missing 1 required positional arguments: "dtype"')
    if not isinstance(dtype, _dtypes.dtype):
        raise TypeError(f"frombuffer(): argument 'dtype' must be torch.dtype, not "
                        f"{_type_name(dtype)}")
    dt = dtype
    try:
        view = memoryview(buffer)
    except TypeError:
        raise ValueError("object does not implement Python buffer protocol.") from None
    length = view.nbytes
    itemsize = dt.itemsize
    if length <= 0 or count == 0:
        raise ValueError(f"both buffer length ({length}) and count ({count}) must not be 0")
    if not 0 <= offset < length:
        raise ValueError(f"offset ({offset} bytes) must be non-negative and no greater than "
                         f"buffer length ({length} bytes) minus 1")
    if count < 0:
        if (length - offset) % itemsize:
            raise ValueError(f"buffer length ({length - offset} bytes) after offset ({offset} "
                             f"bytes) must be a multiple of element size ({itemsize})")
        count = (length - offset) // itemsize
    elif offset + count * itemsize > length:
        raise ValueError(f"requested buffer length ({count} * {itemsize} bytes) after offset "
                         f"({offset} bytes) must not be greater than actual buffer length "
                         f"({length} bytes)")
    array = np.frombuffer(view.cast("B") if view.ndim != 1 or view.format != "B" else view,
                          dtype=dt.np, count=count, offset=offset)
    if not array.flags.writeable:
        warnings.warn("The given buffer is not writable, and ember (NumPy) cannot write to "
                      "it: the tensor holds a copy of its data, so writes to the tensor do not "
                      "reach the buffer (torch would share the read-only memory). Make the "
                      "buffer writable (e.g. bytearray) to share it.", UserWarning,
                      stacklevel=2)
        array = array.copy()
    return _finish(array, requires_grad)


def resize_as_(input, the_template, *, memory_format=None):
    """The function form of ``input.resize_as_(the_template)``: ``input`` takes the
    template's shape (keeping its leading values); returns ``input``."""
    return input.resize_as_(the_template, memory_format=memory_format)
