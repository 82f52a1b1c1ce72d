"""dtype objects and torch's type-promotion rules.

Each ember dtype wraps one NumPy dtype. Promotion follows torch, not NumPy:
operands are grouped by priority (tensors with dimensions > 0-dim tensors >
Python scalars) and a lower group only wins when it is of a higher *category*
(bool < integer < floating)::

    >>> import ember
    >>> (ember.ones(2, dtype=ember.int32) + 2.5).dtype
    torch.float32
"""
import importlib
import sys
import warnings

import numpy as np

from ._arg_errors import MISSING as _MISSING   # (an argument left out)

__all__ = [
    "dtype", "bool", "uint8", "int8", "int16", "int32", "int64", "float16",
    "float32", "float64", "half", "float", "double", "short", "int", "long",
    "bfloat16", "set_default_dtype", "get_default_dtype", "set_default_tensor_type", "promote_types", "result_type",
    "can_cast",
]

_builtin_bool, _builtin_int, _builtin_float = bool, int, float


class dtype:
    """A tensor element type, printed as ``torch.float32`` like torch's."""

    __slots__ = ("name", "np", "itemsize", "is_floating_point", "is_signed", "category",
                 "legacy_name", "is_complex")

    def __init__(self, name, np_dtype, category, legacy_name):
        self.name = name
        self.np = np.dtype(np_dtype)
        self.itemsize = self.np.itemsize
        self.category = category            # 0 bool, 1 integer, 2 floating
        self.is_floating_point = category == 2
        self.is_complex = False
        self.is_signed = name not in ("bool", "uint8")
        self.legacy_name = legacy_name      # "FloatTensor", used in error messages

    def __repr__(self):
        return "torch." + self.name

    def __reduce__(self):
        return (_by_name, (self.name,))

    def to_real(self):
        return self

    @property
    def is_bool(self):
        return self.category == 0


bool = dtype("bool", np.bool_, 0, "BoolTensor")
uint8 = dtype("uint8", np.uint8, 1, "ByteTensor")
int8 = dtype("int8", np.int8, 1, "CharTensor")
int16 = dtype("int16", np.int16, 1, "ShortTensor")
int32 = dtype("int32", np.int32, 1, "IntTensor")
int64 = dtype("int64", np.int64, 1, "LongTensor")
float16 = dtype("float16", np.float16, 2, "HalfTensor")
float32 = dtype("float32", np.float32, 2, "FloatTensor")
float64 = dtype("float64", np.float64, 2, "DoubleTensor")


class _DtypeWithoutArrays(dtype):
    """A torch dtype that NumPy cannot hold (bfloat16): it can be named, printed and
    compared, and making a tensor of it raises a clear TypeError (rather than falling
    back to the default dtype, as a dtype of None would)."""

    __slots__ = ()

    def __init__(self, name, category, itemsize, legacy_name):
        self.name, self.category, self.itemsize = name, category, itemsize
        self.is_floating_point, self.is_complex, self.is_signed = category == 2, False, True
        self.legacy_name = legacy_name

    @property
    def np(self):
        raise TypeError(f"ember has no {self!r} tensors (NumPy has no such type); use "
                        "torch.float32, or torch.float16 to halve the memory")


bfloat16 = _DtypeWithoutArrays("bfloat16", 2, 2, "BFloat16Tensor")

half, float, double = float16, float32, float64
short, int, long = int16, int32, int64

ALL_DTYPES = (bool, uint8, int8, int16, int32, int64, float16, float32, float64)
_NAMES = {d.name: d for d in ALL_DTYPES}
_NAMES.update(half=float16, float=float32, double=float64, short=int16, int=int32, long=int64)
# NumPy dtype -> ember dtype; the hot path of Tensor.dtype is this one dict lookup.
FROM_NUMPY = {d.np: d for d in ALL_DTYPES}


def _by_name(name):
    return _NAMES[name]


def from_numpy_dtype(np_dtype):
    """The ember dtype of a NumPy dtype; TypeError for kinds torch lacks."""
    try:
        return FROM_NUMPY[np_dtype]
    except KeyError:
        np_dtype = np.dtype(np_dtype)
        if np_dtype in FROM_NUMPY:
            return FROM_NUMPY[np_dtype]
        raise TypeError(unsupported_numpy_message(np_dtype)) from None


def unsupported_numpy_message(np_dtype):
    """Why an array of ``np_dtype`` cannot become a tensor: torch's words for what torch
    refuses too (strings, objects, datetimes); ember's own list for the numeric types
    torch has and ember lacks (complex, uint16-64), lest the text promise them."""
    name = f"numpy.{np_dtype.type.__name__}"
    if np_dtype.kind in "cu":
        return (f"can't convert np.ndarray of type {name}. The only supported types are: "
                "float64, float32, float16, int64, int32, int16, int8, uint8, and bool.")
    return (f"can't convert np.ndarray of type {name}. The only supported types are: float64, "
            "float32, float16, complex64, complex128, int64, int32, int16, int8, uint64, uint32, "
            "uint16, uint8, and bool.")


def to_dtype(value):
    """Accept an ember dtype, a NumPy dtype, a Python type or a name ('float32')."""
    if isinstance(value, dtype):
        return value
    if value is _builtin_float:
        return float64
    if value is _builtin_int:
        return int64
    if value is _builtin_bool:
        return bool
    if isinstance(value, str):
        name = value[6:] if value.startswith("torch.") else value
        if name in _NAMES:
            return _NAMES[name]
        raise TypeError(f"invalid dtype: {value!r}")
    if value is None:
        raise TypeError("dtype must be a torch.dtype, got None")
    return from_numpy_dtype(np.dtype(value))


# ---------------------------------------------------------------- default dtype
# One module-level setting, as in torch. It is per process (nothing is shared
# between worker processes), which is what multi-process training expects.
_default_float = float32


def set_default_dtype(d):
    """Set the dtype of new floating tensors: ``ember.set_default_dtype(ember.float64)``."""
    global _default_float
    if not isinstance(d, dtype):
        # (torch takes a torch dtype only: no name, Python type nor NumPy type)
        raise TypeError("invalid dtype object: only floating-point types are supported as the "
                        "default type")
    if not d.is_floating_point:
        raise TypeError("only floating-point types are supported as the default type")
    d.np            # (bfloat16, which no array can hold, raises its TypeError here)
    _default_float = d


_INVALID_DEFAULT = "invalid type object: only floating-point types are supported as the default type"


def set_default_tensor_type(t, /):
    """Deprecated (as in torch): set the default dtype by a legacy tensor type name.
    ember has no legacy type classes, so name them: ``'torch.DoubleTensor'``.

    >>> ember.set_default_tensor_type('torch.DoubleTensor')   # warns; use set_default_dtype
    >>> ember.get_default_dtype()
    torch.float64
    """
    target = _import_dotted_name(t) if isinstance(t, str) else t
    warnings.warn("torch.set_default_tensor_type() is deprecated as of PyTorch 2.1, please use "
                  "torch.set_default_dtype() and torch.set_default_device() as alternatives.",
                  UserWarning, stacklevel=2)
    if not isinstance(target, _LegacyTensorType):
        raise TypeError(_INVALID_DEFAULT)
    if target.where == "cuda":
        raise TypeError(f"type torch.cuda.{target.dtype.legacy_name} not available. Torch not "
                        f"compiled with CUDA enabled.")
    if target.where == "sparse":
        raise TypeError("only dense types are supported as the default type")
    set_default_dtype(target.dtype)


class _LegacyTensorType:
    """What a name like 'torch.cuda.FloatTensor' stands for (torch's legacy type classes,
    which ember does not have: only set_default_tensor_type reads them)."""

    def __init__(self, dtype, where):
        self.dtype, self.where = dtype, where


_LEGACY_NAMES = {d.legacy_name: d for d in ALL_DTYPES + (bfloat16,)}
# the names each torch module holds (torch.sparse has no BoolTensor)
_LEGACY_IN = {"torch": _LEGACY_NAMES, "torch.cuda": _LEGACY_NAMES,
              "torch.sparse": {k: v for k, v in _LEGACY_NAMES.items() if k != "BoolTensor"}}


def _import_dotted_name(name):
    """Resolve 'torch.DoubleTensor' (or 'ember....', or any importable 'module.attr') as
    torch does, with Python's errors for names that do not resolve; torch's own
    modules are read from ember (which never imports torch)."""
    parts = name.split(".")
    if parts[0] in ("torch", "ember"):
        obj, path = sys.modules[__name__.rsplit(".", 1)[0]], "torch"
    else:
        obj, path = importlib.import_module(parts[0]), parts[0]
    for part in parts[1:]:
        if path in _LEGACY_IN and part in _LEGACY_IN[path]:
            where = path.rpartition(".")[2]
            obj = _LegacyTensorType(_LEGACY_IN[path][part], where)
        elif path in ("torch.cuda", "torch.sparse") or (
                path == "torch" and part in ("cuda", "sparse") and not hasattr(obj, part)):
            if path != "torch":
                raise AttributeError(f"module '{path}' has no attribute '{part}'")
            obj = None          # (a torch module ember lacks: no type object either)
        elif isinstance(obj, type(sys)):
            if not hasattr(obj, part):
                raise AttributeError(f"module '{path}' has no attribute '{part}'")
            obj = getattr(obj, part)
        else:
            obj = getattr(obj, part)        # (Python's own AttributeError)
        path = f"{path}.{part}"
    return obj


def get_default_dtype():
    """The dtype of ``ember.tensor([1.5])``: float32 unless changed."""
    return _default_float


# -------------------------------------------------------------------- promotion


def promote_types(type1=_MISSING, type2=_MISSING):
    """Promote two dtypes the way torch.promote_types does.

    >>> promote_types(int32, float16)
    torch.float16
    """
    if type2 is _MISSING:       # (left out: torch's words)
        from ._arg_errors import missing_arguments
        raise missing_arguments("promote_types", ["type1", "type2"][type1 is not _MISSING:])
    try:
        return _PROMOTE[type1, type2]
    except (KeyError, TypeError):       # (not two ember dtypes; a list is not hashable)
        return _PROMOTE[_dtype_arg(type1, "promote_types", "type1", 1),
                        _dtype_arg(type2, "promote_types", "type2", 2)]


def _promote_pair(a, b):
    if a is b:
        return a
    if a.category != b.category:
        # The higher category wins outright: int32 with float16 is float16 in torch
        # (NumPy would say float64).
        return a if a.category > b.category else b
    return FROM_NUMPY[np.promote_types(a.np, b.np)]


def _dtype_arg(value, op, name, position):
    """An argument torch's parser reads as a dtype: an ember dtype or the Python type
    float, int or bool; else its TypeError."""
    if isinstance(value, dtype):
        return value
    if value is _builtin_float or value is _builtin_int or value is _builtin_bool:
        return to_dtype(value)
    kind = "Tensor" if type(value).__name__ == "Tensor" else type(value).__name__
    raise TypeError(f"{op}(): argument '{name}' (position {position}) must be torch.dtype, not "
                    f"{kind}")


def keyword_dtype(value, op, name="dtype"):
    """The ``dtype=`` of a factory (``zeros(2, dtype=...)``) as torch's parser reads it:
    an ember dtype or the Python type float, int or bool; anything else (a name, None)
    is torch's TypeError naming ``op``. NumPy dtypes, which torch refuses too, pass as
    to_dtype reads them: ember's own modules hand them over.

    >>> keyword_dtype(float, "zeros")
    torch.float64
    >>> keyword_dtype("float32", "zeros")
    Traceback (most recent call last):
    TypeError: zeros(): argument 'dtype' must be torch.dtype, not str
    """
    if isinstance(value, dtype):
        return value
    if value is _builtin_float or value is _builtin_int or value is _builtin_bool or \
            isinstance(value, np.dtype) or isinstance(value, type) and issubclass(value,
                                                                                 np.generic):
        return to_dtype(value)
    from ._arg_errors import wrong_type
    raise wrong_type(op, name, None, "torch.dtype", value)


# Cache of (dtype, dtype) -> dtype; promotion happens on every binary op.
_PROMOTE = {(a, b): _promote_pair(a, b) for a in ALL_DTYPES for b in ALL_DTYPES}
# bfloat16 (named only): over bool and ints it wins, float16 with it is float32
_PROMOTE[bfloat16, bfloat16] = bfloat16
for _d in ALL_DTYPES:
    _PROMOTE[bfloat16, _d] = _PROMOTE[_d, bfloat16] = (
        bfloat16 if not _d.is_floating_point else float32 if _d is float16 else _d)
del _d


def _combine(higher, lower):
    """torch's combine_categories: the lower-priority group only counts if it is
    of a higher category (or the higher group is bool)."""
    if higher is None:
        return lower
    if lower is None or higher.category == 2:
        return higher
    if higher.category == 0 or lower.category == 2:
        return _PROMOTE[higher, lower]
    return higher


def scalar_dtype(value):
    """The dtype a Python scalar takes when wrapped: bool, int64, or the default float."""
    if isinstance(value, _builtin_bool):
        return bool
    if isinstance(value, _builtin_int):
        return int64
    if isinstance(value, _builtin_float):
        return _default_float
    # torch reads NumPy scalars as Python numbers (np.bool_ even as a float).
    if isinstance(value, np.integer):
        return int64
    if isinstance(value, (np.floating, np.bool_)):
        return _default_float
    raise TypeError(f"unsupported scalar type {type(value).__name__}")


def result_type(*operands):
    """The dtype of a pointwise op over tensors and Python scalars (torch.result_type)."""
    dim = zero = wrapped = None
    for x in operands:
        d = getattr(x, "dtype", None)
        if d is None or isinstance(x, np.generic):
            s = scalar_dtype(x)
            wrapped = s if wrapped is None else _PROMOTE[wrapped, s]
        elif x.ndim == 0:
            zero = d if zero is None else _PROMOTE[zero, d]
        else:
            dim = d if dim is None else _PROMOTE[dim, d]
    return _combine(dim, _combine(zero, wrapped))


def can_cast(from_, to):
    """torch.can_cast: no casting down a category (float -> int, int -> bool)."""
    try:
        return from_.category <= to.category
    except AttributeError:
        return (_dtype_arg(from_, "can_cast", "from_", 1).category
                <= _dtype_arg(to, "can_cast", "to", 2).category)
