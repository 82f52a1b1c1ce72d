"""Reductions (sum, mean, max, var, norm, ...), scans (cumsum) and sorting.

Every reduction takes ``dim`` (an int, a tuple, or None for all dims) and
``keepdim``; NumPy's names ``axis`` and ``keepdims`` are accepted too, as torch
accepts them (the D2L slides use them). Backward broadcasts the gradient back
over the reduced dims::

    def sum(input, dim=None, keepdim=False):          # forward
        out = np.sum(input._data, axis=..., keepdims=keepdim)
        node = record("SumBackward1", _sum_backward, (input,), out)

    def _sum_backward(ctx, grad):                       # every element counted once
        return _expand_back(grad, input_shape, ctx.axes, ctx.keep)

float16 reductions accumulate in float32 and round once, as torch's CPU kernels do
(but prod, which rounds every product as torch's does).
"""
import builtins
import collections
import functools
import inspect
import math
import re
import warnings

import numpy as np

from .. import _dtypes
from .. import _memory_format as _mf
from .._arg_errors import (binding_error, called_as_method, invalid_combination, method_twin,
                           plausible_signatures, unpack_error, with_positions, wrong_type)
from .._tensor import Tensor, _make
from ..autograd.grad_mode import _state as _grad_state
from ..autograd.graph import record
from ..backend import fp_errors_off, fp_errors_restore
from ._common import (_type_name as _arg_type_name, bind, check_input, int_arg, int_list_arg,
                      tensor_input, wrap_dim, wrap_dims)

__all__ = [
    "sum", "nansum", "mean", "nanmean", "prod", "max", "min", "amax", "amin", "aminmax",
    "argmax", "argmin", "var", "std", "var_mean", "std_mean", "norm", "vector_norm",
    "logsumexp", "logcumsumexp", "cumsum", "cumprod", "cummax", "cummin", "all", "any",
    "count_nonzero", "sort", "argsort", "msort", "topk", "kthvalue", "median", "nanmedian",
    "mode", "unique", "unique_consecutive", "bincount", "return_type",
]


# -------------------------------------------------------------- helpers
def _axes(input, dim, axis=None, empty_means_all=True, opname="sum"):
    """The reduced axes as a sorted tuple of non-negative ints, or None for all of them.

    ``dim`` may be an int, a sequence, or None; ``axis`` is its NumPy name. A 0-dim
    tensor accepts dim 0 or -1 (it behaves as one element), and reduces over nothing.
    """
    if axis is not None:
        if dim is not None:
            raise TypeError(f"{opname}() got an unexpected keyword argument 'axis'")
        dim = axis
    if dim is None:
        return None
    ndim = input._data.ndim
    if type(dim) is int:        # (the usual case, ahead of the isinstance checks)
        d = wrap_dim(dim, ndim)        # (checked even for a 0-dim tensor, which has no axes)
        return (d,) if ndim else ()
    if isinstance(dim, (int, np.integer, Tensor)) and not isinstance(dim, (bool, np.bool_)):
        # (a NumPy integer, or an integer 0-dim tensor; int_arg refuses other tensors)
        dims = (wrap_dim(int_arg(dim, opname), ndim),)
    elif isinstance(dim, (tuple, list)):
        if not dim:
            return None if empty_means_all else ()
        try:
            ints = int_list_arg(dim, opname, "dim")
        except TypeError as err:
            raise _dims_unpack_error(dim, opname) or err from None
        dims = tuple(wrap_dim(d, ndim) for d in ints)
        seen = set()
        for d in dims:
            if d in seen:
                raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
            seen.add(d)
    else:
        raise TypeError(f"{opname}(): argument 'dim' must be tuple of ints, not "
                        f"{_arg_type_name(dim)}")
    return tuple(sorted(dims)) if ndim else ()


def _dims_unpack_error(dims, opname):
    """torch's TypeError for a tuple of dims whose element after the first is no int
    (its parser's "failed to unpack", counting from 1); None for a bad first element,
    which torch's parser reports as int_list_arg does."""
    for i, d in enumerate(dims[1:], 2):
        if type(d) is not int and not hasattr(type(d), "__index__"):
            return unpack_error(opname, "dim", i, d)
    return None


def _empty_dim(input, dim):
    """The first of the dims (as the user wrote it) along which input is empty, or None."""
    for d in (dim if isinstance(dim, (tuple, list)) else (dim,)):
        if input._data.ndim and input._data.shape[wrap_dim(int(d), input._data.ndim)] == 0:
            return d
    return None


def _one_dim(input, dim, opname):
    """The single dim of ops that take only one (cumsum, sort, max(dim), ...)."""
    if type(dim) is int:        # (the usual case, ahead of the type checks)
        return wrap_dim(dim, input._data.ndim)
    return wrap_dim(int_arg(dim, opname), input._data.ndim)


def _keep(keepdim, keepdims):
    return bool(keepdim or keepdims)


def _check_keepdim(keepdim, opname, input, dim=None):
    """torch's TypeError for a ``keepdim`` that is no bool (``x.sum(0, keepdim='yes')``,
    which NumPy would take as true). The text assumes dim was given by position, as it
    usually is: torch lists the arguments as they were passed."""
    if keepdim is True or keepdim is False or isinstance(keepdim, np.bool_):
        return
    signatures = _KEEPDIM_SIGNATURES.get(opname)
    if signatures is None or (dim is not None and opname in ("sum", "prod")):
        # (one signature: sum and prod with a dim have one that fits)
        raise wrong_type(opname, "keepdim", None, "bool", keepdim)
    args = (input,) if dim is None else (input, dim)
    raise invalid_combination(opname, args, {"keepdim": keepdim}, signatures)


def _dtype_arg(dtype, opname, input, dim=None):
    """``dtype`` as given to a reduction: an ember dtype, else torch's TypeError (torch
    takes no name or NumPy dtype there). The texts are _check_keepdim's."""
    if isinstance(dtype, _dtypes.dtype):
        return dtype
    if dtype is float or dtype is int or dtype is builtins.bool:    # (torch takes these)
        return _dtypes.to_dtype(dtype)
    signatures = _KEEPDIM_SIGNATURES.get(opname)
    if signatures is None or (dim is not None and opname in ("sum", "prod")):
        raise wrong_type(opname, "dtype", None, "torch.dtype", dtype)
    args = (input,) if dim is None else (input, dim)
    raise invalid_combination(opname, args, {"dtype": dtype}, signatures)


def _is_bool(value):
    return value is True or value is False or isinstance(value, np.bool_)


def _sort_flags_error(opname, input, dim, descending, stable):
    """torch's TypeError for sort/argsort's ``descending`` or ``stable`` that is no bool
    (assumed given by keyword, and dim by position when not the default)."""
    args = (input,) if dim == -1 else (input, dim)
    kwargs = {k: v for k, v in (("descending", descending), ("stable", stable))
              if not (v is None or v is False)}
    return invalid_combination(opname, args, kwargs, _sort_overloads(opname))


_STATS = ("(Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False, *, "
          "Tensor out = None)",
          "(Tensor input, tuple of ints dim = None, *, Number correction = None, "
          "bool keepdim = False, Tensor out = None)",
          "(Tensor input, bool unbiased = True)")
_PAIR_STATS = ("(Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False)",
               "(Tensor input, tuple of ints dim = None, *, Number correction = None, "
               "bool keepdim = False)",
               "(Tensor input, bool unbiased = True)")
_EXTREMES = ("(Tensor input, *, Tensor out = None)",
             "(Tensor input, Tensor other, *, Tensor out = None)",
             "(Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None)")
_LOGIC = ("(Tensor input, *, Tensor out = None)",
          "(Tensor input, tuple of ints dim = None, bool keepdim = False, *, Tensor out = None)",
          "(Tensor input, int dim, bool keepdim = False, *, Tensor out = None)")
def _sort_overloads(opname):
    out = "tuple of Tensors" if opname == "sort" else "Tensor"
    tail = ", *, tuple of Tensors out = None" if opname == "sort" else ""
    return (f"(Tensor input, *, bool stable, int dim = -1, bool descending = False, {out} out "
            f"= None)", f"(Tensor input, int dim = -1, bool descending = False{tail})")


# the reductions whose keepdim errors list their overloads (the others: "argument
# 'keepdim' must be bool, not str")
_KEEPDIM_SIGNATURES = {
    "sum": ("(Tensor input, *, torch.dtype dtype = None)",
            "(Tensor input, tuple of ints dim, bool keepdim = False, *, torch.dtype dtype "
            "= None, Tensor out = None)"),
    "prod": ("(Tensor input, *, torch.dtype dtype = None)",
             "(Tensor input, int dim, bool keepdim = False, *, torch.dtype dtype = None, "
             "Tensor out = None)"),
    "mean": ("(Tensor input, *, torch.dtype dtype = None, Tensor out = None)",
             "(Tensor input, tuple of ints dim, bool keepdim = False, *, torch.dtype dtype "
             "= None, Tensor out = None)"),
    "max": _EXTREMES, "min": _EXTREMES, "std": _STATS, "var": _STATS,
    "std_mean": _PAIR_STATS, "var_mean": _PAIR_STATS, "any": _LOGIC, "all": _LOGIC}
# every reduction whose argument errors list its overloads
_OVERLOADS = {**_KEEPDIM_SIGNATURES, "sort": _sort_overloads("sort"),
              "argsort": _sort_overloads("argsort"),
              "count_nonzero": ("(Tensor input, int dim = None)",
                                "(Tensor input, tuple of ints dim)")}


class _Omitted:
    """The default of ``dim`` in the ops that take NumPy's ``axis`` too: torch refuses
    both even when dim is None (``x.sum(dim=None, axis=1)``), so a dim left out must be
    told apart from a dim of None. It reads as None in signatures."""
    __slots__ = ()

    def __repr__(self):
        return "None"


_NO_DIM = _Omitted()


def _dim_or_axis(dim, axis, opname):
    """``axis``, NumPy's name for ``dim``, given to an op that spells out both; torch
    refuses to have both (max and min take no dim of None either)."""
    if dim is not _NO_DIM:
        if dim is None and opname in ("max", "min"):
            raise TypeError(f"{opname}(): argument 'dim' must be int, not NoneType")
        raise TypeError(f"{opname}() got an unexpected keyword argument 'axis'")
    return axis


def _dim_from(dim, axis, opname):
    """The dim given as ``dim`` or as ``axis`` (not both, as in torch), None if neither."""
    if dim is _NO_DIM:
        return axis
    if axis is not None:
        _dim_or_axis(dim, axis, opname)
    return dim


def _numpy_names(fn):
    """Let ``fn`` take NumPy's ``axis``/``keepdims`` for ``dim``/``keepdim``, as torch's
    reductions do (``x.max(axis=1)``); a dim given too, by name or in its place, is
    refused with torch's TypeError."""
    params = list(inspect.signature(fn).parameters)
    dim_at = params.index("dim") if "dim" in params else len(params)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if "axis" in kwargs:
            if "dim" in kwargs or len(args) > dim_at:
                raise TypeError(f"{fn.__name__}() got an unexpected keyword argument 'axis'")
            axis = kwargs.pop("axis")
            if axis is not None:    # (NumPy's axis=None, all of them: dim left out)
                kwargs["dim"] = axis
        if "keepdims" in kwargs:
            kwargs["keepdim"] = kwargs.pop("keepdims")
        return fn(*args, **kwargs)
    return wrapper


def _np_axes(input, axes):
    """NumPy's axis argument for ``axes`` (None: all; a 0-dim tensor reduces nothing)."""
    if not input._data.ndim:
        return ()
    return axes


def _count(shape, axes):
    """How many elements each output element reduces over."""
    if axes is None:
        return math.prod(shape)
    if len(axes) == 1:
        return shape[axes[0]]
    return math.prod([shape[a] for a in axes])


_F16, _F32, _I64 = np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.int64)


def _acc_dtype(np_dtype):
    """float16 accumulates in float32 (torch's CPU kernels do; NumPy would round at
    every step)."""
    return _F32 if np_dtype.char == "e" else np_dtype


def _expand_back(grad, input_shape, axes, keepdim):
    """Broadcast a reduced gradient back over the reduced axes of ``input_shape``."""
    input_shape = tuple(input_shape)
    if axes is None:
        axes = tuple(range(len(input_shape)))
    shape = input_shape
    if not keepdim and axes:
        shape = list(input_shape)
        for a in axes:
            shape[a] = 1
    if not _grad_state.enabled:
        # No graph to record (the usual backward): reshape and broadcast the array
        # directly, a read-only view like expand's.
        data = grad._data if shape is input_shape else grad._data.reshape(shape)
        return _make(data if data.shape == input_shape else
                     np.broadcast_to(data, input_shape))
    if shape is not input_shape:
        grad = grad.reshape(shape)
    if tuple(grad.shape) == input_shape:
        return grad
    return grad.expand(input_shape)


def _c_ordered(out, data):
    """``out``, NumPy's result of reducing or scanning the array ``data``, laid out as
    torch lays out every such result: a new tensor in C order (size-1 dims, such as
    keepdim's, included), whatever ``data``'s layout. NumPy's results follow the
    input's memory order (``x.T.sum(0, keepdim=True)`` came out F-ordered), which is
    already C order when ``data`` is C-ordered, the usual case: one flag test.

    >>> ember.ones(4, 5).T.sum(0, keepdim=True).stride()
    (4, 1)
    """
    if data.flags.c_contiguous or out.ndim < 2 or _mf.keeps_c_order(out) or not out.size:
        return out
    return out.copy(order="C")


def _type_name(np_dtype):
    return _dtypes.FROM_NUMPY[np.dtype(np_dtype)].legacy_name[:-len("Tensor")]


def _zeros(shape, np_dtype):
    return _make(np.zeros(tuple(shape), dtype=np_dtype))


_return_types = {}


def return_type(name, fields=("values", "indices")):
    """torch.return_types.NAME: a named tuple that prints like torch's.

    >>> ember.max(ember.tensor([[1., 5.]]), 1)
    torch.return_types.max(
    values=tensor([5.]),
    indices=tensor([1]))
    """
    cls = _return_types.get((name, fields))
    if cls is None:
        base = collections.namedtuple(name, fields)

        def __repr__(self):
            body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
            return f"torch.return_types.{name}(\n{body})"
        cls = type(name, (base,), {"__repr__": __repr__, "__slots__": ()})
        cls.__module__ = "torch.return_types"
        cls.__qualname__ = name
        _return_types[name, fields] = cls
    return cls


def _reduction(fn):
    """Make ``fn`` a public reduction: NumPy's floating point warnings stay silent (torch
    gives inf and NaN without a word: sum([inf, -inf]) is nan), and ``out=`` receives the
    result, as in torch (NumPy's np.sum(t) passes out=None to ``t.sum``). A public one
    (not a _full_NAME behind a fast lane) gets a twin as ``.method``, the Tensor method,
    whose argument errors count as torch counts a method's (without self)."""
    # (a full path behind a fast lane is _full_NAME; its errors still say NAME())
    opname = fn.__name__.removeprefix("_full_")
    public = opname == fn.__name__ and opname not in _READS_IN_PYTHON

    def make(method):
        @functools.wraps(fn)
        def wrapper(*args, out=None, **kwargs):
            # (silently(fn, ...) inlined: one call less on every reduction)
            token = fp_errors_off()
            try:
                result = fn(*args, **kwargs)
            except (AttributeError, TypeError) as error:
                if opname in _READS_IN_PYTHON:
                    _python_input_error(args, kwargs, _READS_IN_PYTHON[opname])
                    if not args and "input" not in kwargs:
                        raise           # (Python's own error, as torch's Python code gives)
                if public:
                    _argument_error(error, fn, opname, args, kwargs, method)
                check_input(args, kwargs, opname)
                raise
            finally:
                fp_errors_restore(token)
            return result if out is None else _write_out(result, out, opname)
        return wrapper

    wrapper = make(False)
    if public:
        wrapper.method = make(True)
    return wrapper


def _overloaded_dim_error(error, opname, input, dim, keepdim):
    """sum, mean, max, min: torch's text (its overloads) for a dim of the wrong type,
    worded in ``error`` as int_arg and _axes word it, else nothing. torch lists the
    arguments as they were passed: dim is taken as given by position (x.sum(1.5)),
    keepdim by keyword; a method call (see method_twin) lists no input."""
    if not str(error).startswith(f"{opname}(): argument 'dim' must"):
        return
    method = called_as_method(2)
    signatures = _OVERLOADS[opname]
    if method:
        signatures = [re.sub(r", (\*, )?(Tensor|tuple of Tensors) out = None", "",
                             sig.replace("Tensor input, ", "").replace("(Tensor input)", "()"))
                      for sig in signatures]
    args = (dim,) if method else (input, dim)
    kwargs = {} if keepdim is False else {"keepdim": keepdim}
    if len(plausible_signatures(signatures, len(args) + len(kwargs))) == 1:
        raise with_positions(error, ["dim"], 1 if method else 2) from None
    raise invalid_combination(opname, args, kwargs, signatures) from None


def _checked_op(fn):
    """``fn`` (a public op) with torch's argument errors, worded on the error path only
    (a non-tensor input, arguments missing, surplus, unknown or of the wrong type, see
    _argument_error), and a ``.method`` twin for the Tensor method."""
    opname = fn.__name__

    def make(method):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except (AttributeError, TypeError) as error:
                _argument_error(error, fn, opname, args, kwargs, method)
                check_input(args, kwargs, opname)
                raise
        return wrapper

    wrapper = make(False)
    wrapper.method = make(True)
    return wrapper


def _argument_error(error, fn, opname, args, kwargs, method):
    """Raise torch's TypeError for the call ``fn(*args, **kwargs)`` of the reduction
    ``opname`` that failed with ``error``, where torch's parser would have refused it: a
    non-tensor input, arguments missing, surplus or unknown, an argument of the wrong
    type. Reductions with several overloads list them; the others name the argument and
    its position. Returns (for the caller to go on) if the error is no such thing."""
    signatures = _OVERLOADS.get(opname)
    shown = args[1:] if method else args
    if signatures is not None and method:
        # (a method's overloads, as torch lists them: without the input, and without out=)
        signatures = [re.sub(r", (\*, )?(Tensor|tuple of Tensors) out = None", "",
                             sig.replace("Tensor input, ", "").replace("(Tensor input)", "()"))
                      for sig in signatures]
    if signatures is not None and len(plausible_signatures(signatures,
                                                           len(shown) + len(kwargs))) == 1:
        signatures = None   # (one overload takes this many arguments: torch words its error)
    x = args[0] if args else kwargs.get("input")
    if not isinstance(x, Tensor) and signatures is not None:
        raise invalid_combination(opname, args, kwargs, signatures) from None
    if not isinstance(error, TypeError):
        return
    text = str(error)
    unbound = binding_error(error, fn.__name__, opname, skip=1 if method else 0)
    # (a dim of the wrong type, as _axes and int_arg word it; the keepdim and dtype checks
    # above word theirs as torch does already)
    parsed = text.startswith(f"{opname}(): argument 'dim' must")
    if not (unbound or parsed):
        return
    if signatures is not None:
        combination = invalid_combination(opname, shown, kwargs, signatures)
        if method and not shown and kwargs:     # (torch's way with keywords alone)
            got = ", ".join(f"{k}={_arg_type_name(v)}" for k, v in kwargs.items())
            combination = TypeError(str(combination).replace(f"got ({got})", f"got ({got}, )",
                                                             1))
        raise combination from None
    if unbound:
        raise unbound from None
    names = [p.name for p in inspect.signature(fn).parameters.values()
             if p.kind is p.POSITIONAL_OR_KEYWORD][:len(args)]
    if method:
        names = names[1:]
    raise with_positions(error, names) from None


# torch's reductions written in Python, by the attribute they first read of their input: a
# non-tensor input fails there, with Python's AttributeError (torch.norm('a'))
_READS_IN_PYTHON = {"norm": "layout"}


def _python_input_error(args, kwargs, attribute):
    if not args and "input" not in kwargs:
        return                  # (no input at all: Python's own "missing" error stands)
    x = args[0] if args else kwargs["input"]
    if not isinstance(x, Tensor):
        raise AttributeError(f"'{type(x).__name__}' object has no attribute '{attribute}'")


# float32/float64 sum in their own dtype; float16 accumulates in float32, ints go to int64
_OWN_DTYPE_SUMS = frozenset({np.dtype(np.float32), np.dtype(np.float64)})


def _write_out(result, out, opname):
    """Copy ``result`` (a tensor, or a (values, indices) pair) into ``out`` and return it."""
    from .pointwise import _maybe_out
    pair = isinstance(result, tuple)
    if builtins.any(r.requires_grad for r in (result if pair else (result,))):
        raise RuntimeError(f"{opname}(): functions with out=... arguments don't support "
                           f"automatic differentiation, but one of the arguments requires "
                           f"grad.")
    if not pair:
        if not isinstance(out, Tensor):
            raise TypeError(f"{opname}(): argument 'out' must be Tensor, not "
                            f"{type(out).__name__}")
        return _maybe_out(result, out)
    if not isinstance(out, (tuple, list)) or len(out) != len(result) or \
            not builtins.all(isinstance(o, Tensor) for o in out):
        raise TypeError(f"{opname}(): argument 'out' must be a tuple of {len(result)} "
                        f"Tensors")
    written = [_maybe_out(r, o) for r, o in zip(result, out)]
    return return_type(f"{opname}_out", type(result)._fields)(*written)


# ------------------------------------------------------------------ sum
def sum(input, dim=_NO_DIM, keepdim=False, *, dtype=None, axis=None, keepdims=False,
        out=None):
    """Sum over all elements or over ``dim``; bools and integers sum to int64.

    >>> ember.tensor([[1., 2.], [3., 4.]]).sum(axis=0)
    tensor([4., 6.])
    """
    # Fast lane for the commonest call, x.sum() of a float32/float64 tensor (a loss):
    # what the full path computes (the same NumPy sum, node and attributes) without its
    # argument handling, about half the time of a small sum.
    if (dim is _NO_DIM and axis is None and dtype is None and out is None and not keepdim
            and not keepdims and isinstance(input, Tensor)
            and input._data.dtype in _OWN_DTYPE_SUMS):
        token = fp_errors_off()
        try:
            result = _make(_sum_all(input._data))
        finally:
            fp_errors_restore(token)
        if input._requires_grad and _grad_state.enabled:      # (record's own test)
            node = record("SumBackward0", _sum_backward, (input,), result)
            node.axes, node.keep = None, False
        return result
    # A second lane for x.sum(dim=0) (one plain int dim) of such a tensor, not 0-dim.
    if _one_int_dim(input, dim, keepdim, axis, dtype, keepdims, out):
        return _sum_along(input, dim, keepdim)
    # (_dims_given: torch's grad_fn is SumBackward1 once any dim is given, even None)
    try:
        return _full_sum(input, _dim_from(dim, axis, "sum"), keepdim, dtype=dtype,
                         _dims_given=dim is not _NO_DIM or axis is not None,
                         keepdims=keepdims, out=out)
    except TypeError as error:
        _overloaded_dim_error(error, "sum", input, dim, keepdim)
        raise


def _one_int_dim(input, dim, keepdim, axis, dtype, keepdims, out):
    """True for sum/mean's second lane: one plain int dim of a float32/float64 tensor
    of at least one dim, a bool keepdim, and none of axis, dtype, keepdims, out."""
    return (type(dim) is int and axis is None and dtype is None and out is None
            and not keepdims and type(keepdim) is bool and type(input) is Tensor
            and input._data.dtype in _OWN_DTYPE_SUMS and input._data.ndim)


def _sum_along(input, dim, keep):
    """_full_sum's arithmetic and node for one int dim of a float32/float64 tensor
    (ndarray.sum ends in the same add.reduce, in the array's own dtype)."""
    data = input._data
    d = wrap_dim(dim, data.ndim)
    token = fp_errors_off()
    try:
        total = _add_reduce(data, axis=d, keepdims=keep)
    finally:
        fp_errors_restore(token)
    if total.ndim > 1 and not data.flags.c_contiguous:      # (_c_ordered's own test)
        total = _c_ordered(total, data)
    result = _make(total)
    if input._requires_grad and _grad_state.enabled:      # (record's own test)
        node = record("SumBackward1", _sum_backward, (input,), result)
        node.axes, node.keep = (d,), keep
    return result


@_reduction
def _full_sum(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=False,
               _dims_given=True):
    if keepdim is not False and keepdim is not True:
        _check_keepdim(keepdim, 'sum', input, dim)
    if dtype is not None:
        dtype = _dtype_arg(dtype, "sum", input, dim)
    axes = _axes(input, dim, axis)
    keep = _keep(keepdim, keepdims)
    data = input._data
    if dtype is not None:
        data = data.astype(dtype.np, copy=False)
    out_dt = _I64 if data.dtype.kind in "biu" and dtype is None else data.dtype
    if out_dt.kind == "b":
        total = data.any(axis=_np_axes(input, axes), keepdims=keep)
    else:
        # (the add.reduce that ndarray.sum ends in)
        total = _add_reduce(data, axis=_np_axes(input, axes), dtype=_acc_dtype(out_dt),
                            keepdims=keep)
    result = _make(_c_ordered(np.asarray(total).astype(out_dt, copy=False), data))
    node = record("SumBackward0" if not _dims_given and not keep else "SumBackward1",
                  _sum_backward, (input,), result)
    if node:
        node.axes, node.keep = axes, keep
    return result


def _sum_backward(ctx, grad):
    return _expand_back(grad, ctx.input_meta[0][0], ctx.axes, ctx.keep)


@_reduction
def nansum(input, dim=_NO_DIM, keepdim=False, *, dtype=None, axis=None, keepdims=False):
    """sum, counting NaN as zero (its gradient there is zero).

    >>> ember.tensor([1., float('nan'), 2.]).nansum()
    tensor(3.)
    """
    dim = _dim_from(dim, axis, "nansum")
    if dtype is not None:
        dtype = _dtype_arg(dtype, "nansum", input)
    if keepdim is not False and keepdim is not True:
        _check_keepdim(keepdim, 'nansum', input, dim)
    if input._data.dtype.kind != "f":
        return sum(input, dim, keepdim, dtype=dtype, keepdims=keepdims)
    axes = _axes(input, dim, opname="nansum")
    keep = _keep(keepdim, keepdims)
    data = input._data
    if dtype is not None:
        data = data.astype(dtype.np, copy=False)
    total = np.nansum(data, axis=_np_axes(input, axes), keepdims=keep,
                      dtype=_acc_dtype(data.dtype))
    result = _make(_c_ordered(np.asarray(total).astype(data.dtype, copy=False), data))
    node = record("NansumBackward0", _nansum_backward, (input,), result)
    if node:
        node.save_for_backward(input)
        node.axes, node.keep = axes, keep
    return result


def _nansum_backward(ctx, grad):
    (x,) = ctx.saved_tensors
    return _expand_back(grad, ctx.input_meta[0][0], ctx.axes, ctx.keep) * ~x.isnan()


def mean(input, dim=_NO_DIM, keepdim=False, *, dtype=None, axis=None, keepdims=False,
         out=None):
    """Average over all elements or over ``dim`` (floating dtypes only; NaN if empty).

    >>> ember.tensor([[1., 2.], [3., 4.]]).mean(1, keepdim=True)
    tensor([[1.5000],
            [3.5000]])
    """
    # Fast lane for x.mean() of a float32/float64 tensor (a loss), as for sum: the full
    # path's arithmetic, node and attributes without its argument handling.
    if (dim is _NO_DIM and axis is None and dtype is None and out is None and not keepdim
            and not keepdims and isinstance(input, Tensor)
            and input._data.dtype in _OWN_DTYPE_SUMS):
        data = input._data
        count = data.size
        token = fp_errors_off()
        try:
            result = _make(_mean_of_all(data, count))
        finally:
            fp_errors_restore(token)
        if input._requires_grad and _grad_state.enabled:      # (record's own test)
            node = record("MeanBackward0", _mean_backward, (input,), result)
            node.axes, node.keep, node.count = None, False, count
        return result
    # A second lane for x.mean(dim=1) (one plain int dim) of such a tensor, not 0-dim.
    if _one_int_dim(input, dim, keepdim, axis, dtype, keepdims, out):
        return _mean_along(input, dim, keepdim)
    # (_dims_given: torch's grad_fn is MeanBackward1 once any dim is given, even None)
    try:
        return _full_mean(input, _dim_from(dim, axis, "mean"), keepdim, dtype=dtype,
                          _dims_given=dim is not _NO_DIM or axis is not None,
                          keepdims=keepdims, out=out)
    except TypeError as error:
        _overloaded_dim_error(error, "mean", input, dim, keepdim)
        raise


def _mean_along(input, dim, keep):
    """_full_mean's arithmetic and node for one int dim of a float32/float64 tensor."""
    data = input._data
    d = wrap_dim(dim, data.ndim)
    count = data.shape[d]
    token = fp_errors_off()
    try:
        total = _add_reduce(data, axis=d, keepdims=keep)
        avg = np.asarray(total / count if count else total * np.nan)     # empty: NaN
    finally:
        fp_errors_restore(token)
    if avg.ndim > 1 and not data.flags.c_contiguous:      # (_c_ordered's own test)
        avg = _c_ordered(avg, data)
    result = _make(avg.astype(data.dtype, copy=False))
    if input._requires_grad and _grad_state.enabled:      # (record's own test)
        node = record("MeanBackward1", _mean_backward, (input,), result)
        node.axes, node.keep, node.count = (d,), keep, count
    return result


def _sum_all(data):
    """data.sum(), the same pairwise summation, without ndarray.sum's Python wrapper."""
    return _add_reduce(data, axis=None)


_add_reduce = np.add.reduce


def _mean_of_all(data, count):
    total = _sum_all(data)
    return np.asarray(total / count if count else total * np.nan).astype(data.dtype,
                                                                        copy=False)


@_reduction
def _full_mean(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=False,
               _dims_given=True):
    if keepdim is not False and keepdim is not True:
        _check_keepdim(keepdim, 'mean', input, dim)
    if dtype is not None:
        target = _dtype_arg(dtype, "mean", input, dim)
        if not target.is_floating_point:
            raise RuntimeError(f"mean(): could not infer output dtype. Optional dtype must be "
                               f"either a floating point or complex dtype. Got: "
                               f"{_type_name(target.np)}")
        input = input.to(target)
    elif input._data.dtype.kind != "f":
        raise RuntimeError(f"mean(): could not infer output dtype. Input dtype must be either "
                           f"a floating point or complex dtype. Got: "
                           f"{_type_name(input._data.dtype)}")
    axes = _axes(input, dim, axis, opname="mean")
    keep = _keep(keepdim, keepdims)
    data = input._data
    count = _count(data.shape, axes) if data.ndim else 1
    total = data.sum(axis=_np_axes(input, axes), keepdims=keep, dtype=_acc_dtype(data.dtype))
    avg = np.asarray(total / count if count else total * np.nan)     # empty: NaN
    result = _make(_c_ordered(avg.astype(data.dtype, copy=False), data))
    node = record("MeanBackward0" if not _dims_given and not keep else "MeanBackward1",
                  _mean_backward, (input,), result)
    if node:
        node.axes, node.keep, node.count = axes, keep, count
    return result


def _mean_backward(ctx, grad):
    g = grad._data
    if (ctx.axes is None and ctx.count and not _grad_state.enabled
            and g.dtype in _OWN_DTYPE_SUMS):
        # The mean of all elements (a loss) with no graph to record: every element of
        # the gradient is grad / count, so one array is filled with that quotient,
        # which is what broadcasting and then dividing computes, in one NumPy call.
        return _make(np.full(ctx.input_meta[0][0], g / ctx.count, dtype=g.dtype))
    return _expand_back(grad, ctx.input_meta[0][0], ctx.axes, ctx.keep) / ctx.count


@_reduction
def nanmean(input, dim=_NO_DIM, keepdim=False, *, dtype=None, axis=None, keepdims=False):
    """mean over the elements that are not NaN."""
    if keepdim is not False and keepdim is not True:
        _check_keepdim(keepdim, 'nanmean', input, None if dim is _NO_DIM else dim)
    if input._data.dtype.kind != "f":
        raise RuntimeError(f"nanmean(): expected input to have floating point or complex "
                           f"dtype but got {_type_name(input._data.dtype)}")
    dim = _dim_from(dim, axis, "nanmean")
    not_nan = ~input.isnan()
    return (nansum(input, dim, keepdim, dtype=dtype, keepdims=keepdims)
            / sum(not_nan, dim, keepdim, keepdims=keepdims))


@_reduction
@_numpy_names
def prod(input, dim=_NO_DIM, keepdim=False, *, dtype=None):
    """Product over all elements, or over one dim; bools and integers give int64.

    >>> ember.tensor([[1., 2.], [3., 4.]]).prod(1)
    tensor([ 2., 12.])
    """
    if keepdim is not False and keepdim is not True:
        _check_keepdim(keepdim, 'prod', input, None if dim is _NO_DIM else dim)
    # (a dim of None is refused, as in torch: leaving dim out is how to take all of them)
    if dtype is not None:
        dtype = _dtype_arg(dtype, "prod", input, None if dim is _NO_DIM else dim)
    axes = None if dim is _NO_DIM else (_one_dim(input, dim, "prod"),)
    data = input._data
    if dtype is not None:
        data = data.astype(dtype.np, copy=False)
    out_dt = _I64 if data.dtype.kind in "biu" and dtype is None else data.dtype
    if out_dt.kind == "b":
        product = data.all(axis=_np_axes(input, axes), keepdims=keepdim)
    elif out_dt == _F16:
        product = _half_prod(data, axes and axes[0], keepdim)
    else:
        product = data.prod(axis=_np_axes(input, axes), keepdims=keepdim,
                            dtype=_acc_dtype(out_dt))
    result = _make(_c_ordered(np.asarray(product).astype(out_dt, copy=False), data))
    node = record("ProdBackward0" if dim is _NO_DIM else "ProdBackward1", _prod_backward,
                  (input,), result)
    if node:
        node.save_for_backward(input, result)
        node.axes, node.keep = axes, keepdim
    return result


# torch's CPU prod of float16, unlike its sums, multiplies in float16: every product is
# rounded (so 300 * 300 * 1e-3 overflows to inf). Along memory that is contiguous it keeps
# 4 x 16 running products (its vector loop; 16 lanes whichever kernels torch runs:
# checked with ATEN_CPU_CAPABILITY=default, avx2 and avx512), one for each position in
# a block of 64 elements, multiplies
# the four vectors together, then the 16 lanes in turn, then the elements left over;
# elsewhere it goes one element at a time. (Above 32768 elements, a whole-tensor product
# is split among threads in torch, which moves its rounding again; ember follows torch
# on one thread.)
_HALF_PROD_BLOCK = 4 * 16


def _half_prod(data, d, keepdim):
    """torch's float16 product of ``data`` over dim ``d`` (None: all of it)."""
    if not data.ndim:
        return data.copy()
    if d is None:
        return _running_product(_half_factors_all(data).reshape(-1))
    if data.strides[d] == data.itemsize and data.shape[d]:
        rows = np.moveaxis(data, d, -1)
        out = _running_product(_half_factors(rows.reshape(-1, rows.shape[-1])), axis=1)
        out = out.reshape(rows.shape[:-1])
    else:
        out = _running_product(data, axis=d)
    return np.expand_dims(out, d) if keepdim else out


def _running_product(a, axis=0):
    """The product along ``axis`` one factor at a time, each product rounded to a's dtype
    (NumPy's float16 ``prod`` keeps its running product in float32)."""
    if not a.shape[axis]:
        return np.ones(a.shape[:axis] + a.shape[axis + 1:], a.dtype)
    return np.multiply.accumulate(a, axis=axis).take(-1, axis=axis)


def _half_factors(rows):
    """For rows of contiguous float16s (m, n): the factors torch's loop multiplies into
    each row's product in turn, (m, f): the product of its 16 lanes over the blocks of
    64, then the elements after the last block; the row itself when it is shorter."""
    m, n = rows.shape
    blocks = n // _HALF_PROD_BLOCK
    if not blocks:
        return rows
    body = rows[:, :blocks * _HALF_PROD_BLOCK].reshape(m, blocks, 4, _HALF_PROD_BLOCK // 4)
    acc = _running_product(body, axis=1)                 # (m, 4, 16): the 4 running vectors
    lanes = (acc[:, 0] * acc[:, 1]) * (acc[:, 2] * acc[:, 3])
    return np.concatenate([_running_product(lanes, axis=1)[:, None],
                           rows[:, blocks * _HALF_PROD_BLOCK:]], axis=1)


def _half_factors_all(data):
    """The factors of a whole-tensor float16 product, in torch's order: memory order, in
    runs as long as the innermost dims that merge into one of stride 1 (by lanes, as
    one row each), or one by one when the innermost stride is not 1."""
    flat = data.ravel(order="K")        # (memory order, for any strides NumPy gives)
    dims = sorted((abs(st), n) for st, n in zip(data.strides, data.shape) if n > 1)
    if not dims or dims[0][0] != data.itemsize:
        return flat
    run = 1
    for stride, n in dims:
        if stride != data.itemsize * run:
            break
        run *= n
    return _half_factors(flat.reshape(-1, run))


def _prod_backward(ctx, grad):
    x, out = ctx.saved_tensors
    shape = tuple(ctx.input_meta[0][0])
    g = _expand_back(grad, shape, ctx.axes, ctx.keep)
    if x._data.size == 0 or not (x._data == 0).any():
        return g * _expand_back(out, shape, ctx.axes, ctx.keep) / x
    # With zeros, divide by nothing: the product of the *other* elements is the product
    # of the ones before (an exclusive cumprod) times the ones after (the same, flipped).
    if ctx.axes is None or not x.ndim:
        return (g.reshape(-1) * _product_of_others(x.reshape(-1), 0)).reshape(shape)
    return g * _product_of_others(x, ctx.axes[0])


def _product_of_others(x, d):
    """prod_{k != i} x_k along dim d, for every i, without division (differentiable)."""
    from .shape import cat
    n = x.shape[d]
    if n == 1:
        return _make(np.ones_like(x._data))
    ones = _make(np.ones_like(np.take(x._data, [0], axis=d)))
    before = cat([ones, x.narrow(d, 0, n - 1)], d).cumprod(d)
    after = cat([ones, x.narrow(d, 1, n - 1).flip(d)], d).cumprod(d).flip(d)
    return before * after


# ------------------------------------------------------------ max and min
def max(input, dim=_NO_DIM, keepdim=False, *, axis=None, keepdims=False, out=None):
    """The largest element; along ``dim``, (values, indices); ``max(a, b)`` is maximum.

    NaN is the largest of all. The gradient of the full max is shared between ties.

    >>> ember.tensor([[1., 5.], [7., 2.]]).max(dim=1)
    torch.return_types.max(
    values=tensor([5., 7.]),
    indices=tensor([1, 0]))
    """
    if axis is not None:
        dim = _dim_or_axis(dim, axis, "max")
    if keepdim is not False and keepdim is not True:
        _check_keepdim(keepdim, 'max', input, None if dim is _NO_DIM else dim)
    if type(dim) is int and out is None:
        # Fast lane for x.max(dim=1): the selection itself, without the wrappers that
        # silence NumPy's warnings (argmax and indexing give none) and handle out=.
        try:
            return _extreme_along(input, dim, keepdim or keepdims, True)
        except AttributeError:
            check_input((input,), {}, "max")
            raise
    try:
        return _full_max(input, _extreme_dim(dim, "max"), keepdim or keepdims, out=out)
    except TypeError as error:
        _overloaded_dim_error(error, "max", input, dim, keepdim)
        raise


def min(input, dim=_NO_DIM, keepdim=False, *, axis=None, keepdims=False, out=None):
    """The smallest element; along ``dim``, (values, indices); ``min(a, b)`` is minimum."""
    if axis is not None:
        dim = _dim_or_axis(dim, axis, "min")
    if keepdim is not False and keepdim is not True:
        _check_keepdim(keepdim, 'min', input, None if dim is _NO_DIM else dim)
    if type(dim) is int and out is None:      # (max's fast lane)
        try:
            return _extreme_along(input, dim, keepdim or keepdims, False)
        except AttributeError:
            check_input((input,), {}, "min")
            raise
    try:
        return _full_min(input, _extreme_dim(dim, "min"), keepdim or keepdims, out=out)
    except TypeError as error:
        _overloaded_dim_error(error, "min", input, dim, keepdim)
        raise


def _extreme_dim(dim, opname):
    """max/min's dim for the full path: None when left out; torch has no max(dim=None)."""
    if dim is _NO_DIM:
        return None
    if dim is None:
        raise TypeError(f"{opname}(): argument 'dim' must be int, not NoneType")
    return dim


@_reduction
def _full_max(input, dim=None, keepdim=False):
    return _extreme(input, dim, keepdim, True)


@_reduction
def _full_min(input, dim=None, keepdim=False):
    return _extreme(input, dim, keepdim, False)


def _extreme(input, dim, keepdim, find_max):
    if isinstance(dim, Tensor):
        from .pointwise import maximum, minimum
        return (maximum if find_max else minimum)(input, dim)
    if dim is None:
        return _extreme_all(input, find_max, "max" if find_max else "min")
    return _extreme_along(input, dim, keepdim, find_max)


def _extreme_along(input, dim, keepdim, find_max):
    """max/min along one dim: (values, indices) as torch.return_types.max/min."""
    opname = "max" if find_max else "min"
    d = _one_dim(input, dim, opname)
    values, idx = _select_along(input, d, keepdim, find_max, opname)
    vt = _make(values)
    if input._requires_grad and _grad_state.enabled:      # (record's own test)
        node = record("MaxBackward0" if find_max else "MinBackward0", _select_backward,
                      (input,), vt)
        node.dim, node.keep, node.index = d, keepdim, idx
    return (_MAX_TYPE if find_max else _MIN_TYPE)(vt, _make(idx))


_MAX_TYPE, _MIN_TYPE = return_type("max"), return_type("min")


def _extreme_all(input, find_max, opname):
    data = input._data
    if data.size == 0:
        raise RuntimeError(f"{opname}(): Expected reduction dim to be specified for "
                           f"input.numel() == 0. Specify the reduction dim with the 'dim' "
                           f"argument.")
    # (the ufunc reduction of ndarray.max/min, without its wrapper; NaN propagates)
    value = (np.maximum if find_max else np.minimum).reduce(data, axis=None)
    result = _make(np.asarray(value, dtype=data.dtype))
    node = record("MaxBackward1" if find_max else "MinBackward1", _evenly_backward,
                  (input,), result)
    if node:
        node.save_for_backward(input, result)
    return result


def _evenly_backward(ctx, grad):
    """Backward of a full max/min: ties (and NaNs, when the result is NaN) share it."""
    x, out = ctx.saved_tensors
    mask = (x == out) | (x.isnan() & out.isnan()) if x.dtype.is_floating_point else x == out
    return mask * (grad / mask.sum())


def _arg_extreme(data, d, find_max, keepdims=False):
    """Index (int64) of the first largest (smallest) element along d; a NaN beats
    everything. NumPy's argmax and argmin already give the first NaN (they treat it as
    the extreme, as torch does; test_reduce_lanes checks this of NumPy), so the
    ndarray methods are the whole story."""
    idx = (data.argmax if find_max else data.argmin)(axis=d, keepdims=keepdims)
    return idx.astype(np.int64, copy=False)


def _take_along(data, idx, d):
    """np.take_along_axis(data, idx, d) for an ``idx`` of data's ndim >= 1: the same
    fancy index (an arange in every other dim), without its Python-level checks."""
    ndim = data.ndim
    if ndim == 1:
        return data[idx]
    grid = [idx if i == d else (_arange_along if n <= _CACHED_ARANGE_MAX else _arange_grid)(
        n, i, ndim) for i, n in enumerate(idx.shape)]
    return data[tuple(grid)]


# Grids up to this length are cached (small tensors, where building one is a good part
# of the call); longer ones are built each time, so that the cache never holds more
# than 256 small arrays (a sort of a 10**7-row tensor would otherwise keep 80 MB).
_CACHED_ARANGE_MAX = 4096


def _arange_grid(n, i, ndim):
    """arange(n) laid along dim i of ndim dims (read-only: it is only an index)."""
    shape = [1] * ndim
    shape[i] = n
    grid = np.arange(n).reshape(shape)
    grid.flags.writeable = False
    return grid


_arange_along = functools.lru_cache(maxsize=256)(_arange_grid)     # (the cached form)


def _select_along(input, d, keepdim, find_max, opname):
    """(values, int64 indices) of the max/min along d; a 0-dim tensor is its own."""
    data = input._data
    if data.ndim == 0:
        return data.copy(), np.zeros((), np.int64)
    if data.shape[d] == 0:
        raise IndexError(f"{opname}(): Expected reduction dim {d} to have non-zero size.")
    idx = _arg_extreme(data, d, find_max, keepdims=True)
    values = _take_along(data, idx, d)
    if not keepdim:
        values, idx = values.squeeze(d), idx.squeeze(d)
    return values, idx


def _select_backward(ctx, grad):
    """Backward of values picked along ctx.dim at ctx.index (max/min(dim), sort, topk,
    kthvalue): each gradient goes back to where its value came from."""
    from .shape import embed
    shape = tuple(ctx.input_meta[0][0])
    if not shape:
        return grad.reshape(())
    index = ctx.index if ctx.keep else np.expand_dims(ctx.index, ctx.dim)
    g = grad if ctx.keep else grad.unsqueeze(ctx.dim)
    grids = list(np.indices(index.shape, sparse=True))
    grids[ctx.dim] = index
    return embed(g, shape, tuple(grids))


@_reduction
def amax(input, dim=_NO_DIM, keepdim=False, *, axis=None, keepdims=False):
    """Largest values over ``dim`` (all dims by default); ties share the gradient.

    >>> ember.tensor([[1., 5.], [5., 2.]]).amax(1)
    tensor([5., 5.])
    """
    return _amax_amin(input, dim, keepdim, axis, keepdims, True)


@_reduction
def amin(input, dim=_NO_DIM, keepdim=False, *, axis=None, keepdims=False):
    """Smallest values over ``dim`` (all dims by default); ties share the gradient."""
    return _amax_amin(input, dim, keepdim, axis, keepdims, False)


def _amax_amin(input, dim, keepdim, axis, keepdims, find_max):
    name = "amax" if find_max else "amin"
    dim = _dim_from(dim, axis, name)
    if keepdim is not False and keepdim is not True:
        _check_keepdim(keepdim, name, input, dim)
    if dim is None:
        dim = ()            # (all dims, as torch's default)
    axes = _axes(input, dim, opname=name)
    keep = _keep(keepdim, keepdims)
    data = input._data
    if data.size == 0:
        if axes is None:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                               f"input.numel() == 0. Specify the reduction dim with the 'dim' "
                               f"argument.")
        empty = _empty_dim(input, dim)
        if empty is not None:
            raise IndexError(f"{name}(): Expected reduction dim {empty} to have non-zero size.")
    # (the ufunc reduction np.max / np.min end in, without their wrappers)
    fn = np.maximum.reduce if find_max else np.minimum.reduce
    result = _make(_c_ordered(np.asarray(fn(data, axis=_np_axes(input, axes), keepdims=keep)),
                              data))
    node = record("AmaxBackward0" if find_max else "AminBackward0", _amax_backward,
                  (input,), result)
    if node:
        node.save_for_backward(input, result)
        node.axes, node.keep = axes, keep
    return result


def _amax_backward(ctx, grad):
    # torch scales by the number of ties: each tied element gets grad / count.
    x, out = ctx.saved_tensors
    shape = ctx.input_meta[0][0]
    mask = x == _expand_back(out, shape, ctx.axes, ctx.keep)
    count = sum(mask, ctx.axes, True)
    return mask * _expand_back(grad, shape, ctx.axes, ctx.keep) / count


@_numpy_names
def aminmax(input, *, dim=None, keepdim=False):
    """(min, max) as torch.return_types.aminmax, over all elements or one int ``dim``.

    >>> ember.aminmax(ember.tensor([3., 1., 2.])).max
    tensor(3.)
    """
    if keepdim is not False and keepdim is not True:
        _check_keepdim(keepdim, 'aminmax', input, dim)
    data = input._data
    if dim is None:
        if not data.size:
            raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as "
                               "the operation has no identity.")
        d = ()
    else:
        d = _one_dim(input, dim, "aminmax")
        if data.ndim and not data.shape[d]:
            raise IndexError(f"aminmax: Expected reduction dim {d} to have non-zero size.")
    return return_type("aminmax", ("min", "max"))(amin(input, d, keepdim),
                                                  amax(input, d, keepdim))


def argmax(input, dim=_NO_DIM, keepdim=False, *, axis=None, keepdims=False):
    """Index of the first largest element along ``dim`` (of the flattened tensor if dim is
    None); a NaN counts as largest.

    >>> ember.tensor([[1., 5.], [7., 2.]]).argmax(1)
    tensor([1, 0])
    """
    if axis is not None:
        dim = _dim_or_axis(dim, axis, "argmax")
    elif dim is _NO_DIM:
        dim = None
    if keepdim is not False and keepdim is not True:
        _check_keepdim(keepdim, 'argmax', input, dim)
    return _arg(input, dim, keepdim or keepdims, True)


def argmin(input, dim=_NO_DIM, keepdim=False, *, axis=None, keepdims=False):
    """Index of the first smallest element along ``dim`` (or of the flattened tensor)."""
    if axis is not None:
        dim = _dim_or_axis(dim, axis, "argmin")
    elif dim is _NO_DIM:
        dim = None
    if keepdim is not False and keepdim is not True:
        _check_keepdim(keepdim, 'argmin', input, dim)
    return _arg(input, dim, keepdim or keepdims, False)


def _arg(input, dim, keepdim, find_max):
    opname = "argmax" if find_max else "argmin"
    try:
        data = input._data
    except AttributeError:
        check_input((input,), {}, opname)
        raise
    if dim is not None and type(dim) is not int:
        int_arg(dim, opname)        # (a dim of the wrong type is named ahead of a bool input)
    if data.dtype.kind == "b":
        raise RuntimeError(f"{opname}(): does not support bool input")
    if dim is None:
        if data.size == 0:
            raise IndexError(f"{opname}(): Expected reduction dim to be specified for "
                             f"input.numel() == 0.")
        idx = _arg_extreme(data.reshape(-1), 0, find_max)
        return _make(np.asarray(idx, dtype=np.int64).reshape((1,) * data.ndim if keepdim
                                                              else ()))
    d = _one_dim(input, dim, opname)
    if not data.ndim:
        return _make(np.zeros((), np.int64))
    if data.shape[d] == 0:
        raise IndexError(f"{opname}(): Expected reduction dim {d} to have non-zero size.")
    # (the indices alone: max(dim)'s selection without gathering the values)
    return _make(_arg_extreme(data, d, find_max, keepdims=bool(keepdim)))


# ------------------------------------------------------------ statistics
def _correction(unbiased, correction):
    if correction is not None:
        if unbiased is not None:
            raise RuntimeError("Cannot specify both unbiased and correction")
        return correction
    return 1 if unbiased is None or unbiased else 0


def _var_parts(input, dim, unbiased, keepdim, correction, axis, keepdims, opname):
    """The shared front of var and std: checks, axes, correction, and the variance."""
    dim = _dim_from(dim, axis, opname)
    if keepdim is not False and keepdim is not True:
        _check_keepdim(keepdim, opname, input, dim)
    if unbiased is not None and not _is_bool(unbiased):
        args = (input,) if dim is None or dim is _NO_DIM else (input, dim)
        raise invalid_combination(opname, args, {"unbiased": unbiased}, _STATS)
    if isinstance(dim, bool):         # var(x, True): the old positional ``unbiased``
        if unbiased is not None or correction is not None or keepdim or keepdims:
            # (with these, torch's old form does not apply: a bool is then no dim)
            raise TypeError(f"{opname}(): argument 'dim' must be tuple of ints, not bool")
        dim, unbiased = None, dim
    if input._data.dtype.kind != "f":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    axes = _axes(input, dim, opname=opname)
    keep = _keep(keepdim, keepdims)
    corr = _correction(unbiased, correction)
    data = input._data
    count = _count(data.shape, axes) if data.ndim else 1
    dof = count - corr
    if dof <= 0:
        warnings.warn(f"{opname}(): degrees of freedom is <= 0. Correction should be strictly "
                      f"less than the reduction factor (input numel divided by output numel).",
                      UserWarning, stacklevel=4)   # (the caller of var/std)
    # torch's CPU var/std accumulate in double whatever the input's float type
    acc = data.astype(np.float64, copy=False)
    np_axes = _np_axes(input, axes)
    # (no np.errstate: var and std run with NumPy's warnings off, see _reduction)
    centred = acc - (_add_reduce(acc, axis=np_axes, keepdims=True) / count if count else 0)
    squares = _add_reduce(centred * centred, axis=np_axes, keepdims=keep)
    variance = squares / builtins.max(dof, 0)
    return axes, keep, corr, _c_ordered(np.asarray(variance), data)


@_reduction
def var(input, dim=_NO_DIM, unbiased=None, keepdim=False, *, correction=None, axis=None,
        keepdims=False):
    """Variance over ``dim``, dividing by N - correction (Bessel's correction=1 by default).

    >>> ember.tensor([1., 2., 3., 4.]).var()
    tensor(1.6667)
    """
    axes, keep, corr, variance = _var_parts(input, dim, unbiased, keepdim, correction, axis,
                                            keepdims, "var")
    result = _make(variance.astype(input._data.dtype, copy=False))
    node = record("VarBackward0", _var_backward, (input,), result)
    if node:
        node.save_for_backward(input)
        node.axes, node.keep, node.corr = axes, keep, corr
    return result


def _centred(x, axes):
    return x - (x.mean(axes, keepdim=True) if axes is not None else x.mean())


def _inverse_dof(x, shape, ctx):
    """1 / max(0, N - correction), as torch divides (inf when nothing is left)."""
    dof = (_count(shape, ctx.axes) if x.ndim else 1) - ctx.corr
    return 1.0 / dof if dof > 0 else float("inf")


def _var_backward(ctx, grad):
    # d var / d x_i = 2 (x_i - mean) / (N - correction)
    (x,) = ctx.saved_tensors
    shape = ctx.input_meta[0][0]
    return (_expand_back(grad, shape, ctx.axes, ctx.keep) * _centred(x, ctx.axes)
            * (2.0 * _inverse_dof(x, shape, ctx)))


@_reduction
def std(input, dim=_NO_DIM, unbiased=None, keepdim=False, *, correction=None, axis=None,
        keepdims=False):
    """Standard deviation, the square root of :func:`var`.

    >>> ember.tensor([1., 2., 3., 4.]).std(correction=0)
    tensor(1.1180)
    """
    axes, keep, corr, variance = _var_parts(input, dim, unbiased, keepdim, correction, axis,
                                            keepdims, "std")
    result = _make(np.sqrt(variance).astype(input._data.dtype, copy=False))
    node = record("StdBackward0", _std_backward, (input,), result)
    if node:
        node.save_for_backward(input, result)
        node.axes, node.keep, node.corr = axes, keep, corr
    return result


def _std_backward(ctx, grad):
    # d std = d var / (2 std); torch takes 0 where std is 0 (a constant input).
    from .pointwise import where
    x, out = ctx.saved_tensors
    shape = ctx.input_meta[0][0]
    scale = where(out == 0, 0.0, grad / out)
    return (_expand_back(scale, shape, ctx.axes, ctx.keep) * _centred(x, ctx.axes)
            * _inverse_dof(x, shape, ctx))


@_numpy_names
def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """(var, mean) over ``dim`` as a tuple."""
    if keepdim is not False and keepdim is not True:
        _check_keepdim(keepdim, 'var_mean', input, dim)
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    if input._data.dtype.kind != "f":
        raise RuntimeError("var_mean only support floating point and complex dtypes")
    return (var(input, dim, unbiased, keepdim, correction=correction),
            mean(input, dim, keepdim))


@_numpy_names
def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """(std, mean) over ``dim`` as a tuple."""
    if keepdim is not False and keepdim is not True:
        _check_keepdim(keepdim, 'std_mean', input, dim)
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    if input._data.dtype.kind != "f":
        raise RuntimeError("std_mean only support floating point and complex dtypes")
    return (std(input, dim, unbiased, keepdim, correction=correction),
            mean(input, dim, keepdim))


# ----------------------------------------------------------------- norms
@_reduction
def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """The p-norm of all elements or over ``dim`` (torch.norm): p is a number, inf, -inf,
    'fro' (the 2-norm of the elements) or 'nuc' (nuclear norm of matrices).

    >>> ember.tensor([[3., 4.]]).norm(dim=1)
    tensor([5.])
    """
    if isinstance(p, str):
        if p == "nuc":
            from .. import linalg
            return linalg.matrix_norm(input, "nuc", dim if dim is not None else (-2, -1),
                                      keepdim)
        if p != "fro":
            raise RuntimeError(f"linalg.matrix_norm: Order {p} not supported.")
        p = 2
    if p is None:
        p = 2
    # (torch.norm passes its arguments to linalg_vector_norm by position)
    if type(p) is not int and type(p) is not float and not _is_number(p):
        raise wrong_type("linalg_vector_norm", "ord", 2, "Number", p)
    if keepdim is not False and keepdim is not True:
        raise wrong_type("linalg_vector_norm", "keepdim", 4, "bool", keepdim)
    return _vector_norm(input, p, dim, keepdim, dtype=dtype)    # (already silenced here)


@_reduction
def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """(sum |x|^ord)^(1/ord) over ``dim``; ord may also be inf, -inf or 0."""
    return _vector_norm(x, ord, dim, keepdim, dtype=dtype)


def _vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    if x._data.dtype.kind != "f":
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {_type_name(x._data.dtype)}")
    if dtype is not None:
        x = x.to(dtype)
    axes = _axes(x, dim, opname="linalg_vector_norm")
    try:
        ord = float(ord)
    except (TypeError, ValueError):         # (a str, None, a list: no Number)
        raise wrong_type("linalg_vector_norm", "ord", None, "Number", ord) from None
    data = x._data
    if data.size == 0 and (ord == np.inf or ord < 0):
        # max (inf) and min-like negative orders have no value over no elements
        shown = f"{ord:g}"
        if axes is None:
            raise RuntimeError(f"linalg.vector_norm cannot compute the {shown} norm on an "
                               f"empty tensor because the operation does not have an identity")
        empty = _empty_dim(x, dim)
        if empty is not None:
            # (sic: torch's message lacks the space before "because")
            raise RuntimeError(f"linalg.vector_norm cannot compute the {shown} norm on the "
                               f"dimension {empty}because this dimension is empty and the "
                               f"operation does not have an identity")
    a = np.abs(data.astype(_acc_dtype(data.dtype), copy=False))
    np_axes = _np_axes(x, axes)
    # (no np.errstate: norms run with NumPy's warnings off, see _reduction)
    if ord == np.inf:
        out = a.max(axis=np_axes, keepdims=keepdim)
    elif ord == -np.inf:
        out = a.min(axis=np_axes, keepdims=keepdim, initial=np.inf)
    elif ord == 0:
        out = (a != 0).sum(axis=np_axes, keepdims=keepdim).astype(a.dtype)
    elif ord == 1:
        out = a.sum(axis=np_axes, keepdims=keepdim)
    elif ord == 2:
        out = np.sqrt(_add_reduce(a * a, axis=np_axes, keepdims=keepdim))
    else:
        out = (a ** ord).sum(axis=np_axes, keepdims=keepdim) ** (1 / ord)
    result = _make(_c_ordered(np.asarray(out).astype(data.dtype, copy=False), data))
    node = record("LinalgVectorNormBackward0", _vector_norm_backward, (x,), result)
    if node:
        node.save_for_backward(x, result)
        node.ord, node.axes, node.keep = ord, axes, keepdim
    return result


def _vector_norm_backward(ctx, grad):
    from .pointwise import where
    x, out = ctx.saved_tensors
    shape = ctx.input_meta[0][0]
    p = ctx.ord
    if p == 0:
        return _zeros(shape, x._data.dtype)
    g = _expand_back(grad, shape, ctx.axes, ctx.keep)
    if p == 1:
        return g * x.sign()
    n = _expand_back(out, shape, ctx.axes, ctx.keep)
    if p in (np.inf, -np.inf):
        # like amax of |x|: the elements at the norm (or NaN) share the gradient
        mask = (x.abs() == n) | x.isnan()
        count = sum(mask, ctx.axes, True)
        return x.sign() * (g / count) * mask
    if p == 2:
        # x / norm, with 0 where the norm is 0 (torch's choice at the kink); x / norm
        # first, at most 1 in size (g / norm overflows float16 for a norm below 2**-16)
        return where(n == 0, 0.0, x / n) * g
    return x * x.abs() ** (p - 2) * where(n == 0, 0.0, g / n ** (p - 1))


@_reduction
@_numpy_names
def logsumexp(input, dim, keepdim=False):
    """log(sum(exp(x))) over ``dim``, computed stably (the max is factored out).

    >>> ember.logsumexp(ember.tensor([[0., 0.]]), 1)
    tensor([0.6931])
    """
    if keepdim is not False and keepdim is not True:
        _check_keepdim(keepdim, 'logsumexp', input, dim)
    if input._data.dtype.kind != "f":
        input = input.to(_dtypes.get_default_dtype())
    keep = bool(keepdim)
    if dim is None:             # (a required argument in torch, with no None for all dims)
        raise TypeError("logsumexp(): argument 'dim' must be tuple of ints, not NoneType")
    axes = _axes(input, dim, opname="logsumexp")
    if isinstance(dim, (tuple, list)) and not dim and input.ndim and input.numel() and not keep:
        # torch reduces everything for dim=() but then fails to write a 0-dim result
        raise RuntimeError(f"output with shape [] doesn't match the broadcast shape "
                           f"{[1] * input.ndim}")
    data = input._data
    np_axes = _np_axes(input, axes)
    acc = data.astype(_acc_dtype(data.dtype), copy=False)
    if data.size:
        m = acc.max(axis=np_axes, keepdims=True)
        m = np.where(np.isinf(m), 0, m)          # all -inf (or an inf) stays finite here
    else:
        m = np.zeros(acc.sum(axis=np_axes, keepdims=True).shape, acc.dtype)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = np.log(np.exp(acc - m).sum(axis=np_axes, keepdims=True)) + m
    if not keep and np_axes:
        out = out.squeeze(np_axes)
    elif not keep and np_axes is None:
        out = out.reshape(())
    result = _make(_c_ordered(np.asarray(out).astype(data.dtype, copy=False), data))
    node = record("LogsumexpBackward0", _logsumexp_backward, (input,), result)
    if node:
        node.save_for_backward(input, result)
        node.axes, node.keep = axes, keep
    return result


def _logsumexp_backward(ctx, grad):
    # d/dx logsumexp = softmax(x) = exp(x - logsumexp)
    x, out = ctx.saved_tensors
    shape = ctx.input_meta[0][0]
    return _expand_back(grad, shape, ctx.axes, ctx.keep) * (
        x - _expand_back(out, shape, ctx.axes, ctx.keep)).exp()


# --------------------------------------------------------------- scans
@_reduction
@_numpy_names
def cumsum(input, dim, *, dtype=None):
    """Running sum along ``dim``; bools and integers give int64.

    >>> ember.tensor([1, 2, 3]).cumsum(0)
    tensor([1, 3, 6])
    """
    return _scan(input, dim, dtype, np.ndarray.cumsum, "cumsum",
                 "CumsumBackward0", _cumsum_backward)


def _cumsum_backward(ctx, grad):
    # out_j = sum_{i<=j} x_i, so grad x_i = sum_{j>=i} grad_j: a reversed cumsum
    if grad.ndim == 0:
        return grad
    return grad.flip(ctx.dim).cumsum(ctx.dim).flip(ctx.dim)


@_reduction
@_numpy_names
def cumprod(input, dim, *, dtype=None):
    """Running product along ``dim``; bools and integers give int64."""
    return _scan(input, dim, dtype, np.ndarray.cumprod, "cumprod",
                 "CumprodBackward0", _cumprod_backward)


def _scan(input, dim, dtype, np_fn, opname, node_name, backward):
    d = _one_dim(input, dim, opname)
    data = input._data
    if dtype is not None:
        data = data.astype(_dtype_arg(dtype, opname, input).np, copy=False)
    out_dt = _I64 if data.dtype.kind in "biu" and dtype is None else data.dtype
    if not data.ndim:
        out = data.astype(out_dt)
    elif out_dt.kind == "b":      # a running "or" (sum) or "and" (product)
        out = (np.logical_or if np_fn is np.ndarray.cumsum else np.logical_and).accumulate(
            data, d)
    else:
        out = np_fn(data, axis=d, dtype=_acc_dtype(out_dt)).astype(out_dt, copy=False)
    result = _make(_c_ordered(out, data))
    node = record(node_name, backward, (input,), result)
    if node:
        node.dim = d
        node.save_for_backward(input, result)
    return result


def _cumprod_backward(ctx, grad):
    x, out = ctx.saved_tensors
    if grad.ndim == 0:
        return grad
    d = ctx.dim
    if x._data.size == 0 or not (x._data == 0).any():
        # grad x_i = sum_{j>=i} grad_j out_j / x_i
        return (grad * out).flip(d).cumsum(d).flip(d) / x
    # With zeros, no division: row i of an n x n table holds x with x_i replaced by 1;
    # its running product at j >= i is d out_j / d x_i. O(n^2), but only on this path,
    # and written with ember ops so that it can be differentiated again.
    from .pointwise import where
    n = x.shape[d]
    xs = x.movedim(d, -1)
    gs = grad.movedim(d, -1)
    eye = _make(np.eye(n, dtype=bool))
    others = where(eye, 1.0, xs.unsqueeze(-2)).to(x.dtype)       # [..., i, j]
    upper = _make(np.triu(np.ones((n, n), dtype=x._data.dtype)))  # j >= i
    result = (others.cumprod(-1) * upper * gs.unsqueeze(-2)).sum(-1)
    return result.movedim(-1, d)


@_reduction
@_numpy_names
def logcumsumexp(input, dim):
    """Running log(sum(exp(x))) along ``dim``, computed stably (-inf stays -inf, an inf
    gives inf, NaN spreads); float dtypes only, as in torch.

    >>> ember.tensor([0., 0., 0.]).logcumsumexp(0)
    tensor([0.0000, 0.6931, 1.0986])
    """
    _one_dim(input, dim, "logcumsumexp")       # (torch checks the dim before the dtype)
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f"\"logcumsumexp_out_cpu\" not implemented for "
                                  f"'{_type_name(input._data.dtype)}'")
    # (float16 runs in float32 and rounds once, which is what torch's values show)
    return _scan(input, dim, None, np.logaddexp.accumulate, "logcumsumexp",
                 "LogcumsumexpBackward0", _logcumsumexp_backward)


def _logcumsumexp_backward(ctx, grad):
    # grad x_i = sum_{j>=i} grad_j exp(x_i - out_j). Summed in log space, positive and
    # negative grads apart (their logs exist), so that no exp overflows:
    # exp(x_i + logsumexp_{j>=i}(log|grad_j| - out_j)), one for each sign.
    from .pointwise import where
    x, out = ctx.saved_tensors
    if grad.ndim == 0:
        return grad
    d = ctx.dim
    lowest = float(np.finfo(x._data.dtype).min)      # log of 0 (finite: no inf - inf)
    log_abs = grad.abs().log()

    def part(mask):
        log_grad = where(mask, log_abs, lowest)
        return ((log_grad - out).flip(d).logcumsumexp(d).flip(d) + x).exp()
    return part(grad > 0) - part(grad < 0)


def cummax(input, dim):
    """Running maximum along ``dim`` with the index where it was reached."""
    return _cum_extreme(input, dim, True)


def cummin(input, dim):
    """Running minimum along ``dim`` with the index where it was reached."""
    return _cum_extreme(input, dim, False)


def _cum_extreme(input, dim, find_max):
    name = "cummax" if find_max else "cummin"
    d = _one_dim(input, dim, name)
    data = input._data
    if not data.ndim:
        return return_type(name)(_make(data.copy()), _make(np.zeros((), np.int64)))
    ufunc = np.maximum if find_max else np.minimum      # NaN propagates, as in torch
    values = ufunc.accumulate(data, axis=d)
    positions = np.arange(data.shape[d]).reshape([-1 if i == d else 1 for i in range(data.ndim)])
    # the latest position where the running extreme was reached (torch keeps the last tie)
    idx = np.maximum.accumulate(np.where(data == values, positions, 0), axis=d)
    if data.dtype.kind == "f":
        nan_at = np.where(np.isnan(data), positions, -1)
        first_nan = np.maximum.accumulate(np.where(np.isnan(values), nan_at, -1), axis=d)
        idx = np.where(np.isnan(values), first_nan, idx)
    vt = _make(_c_ordered(values, data))
    node = record("CummaxBackward0" if find_max else "CumminBackward0", _select_backward,
                  (input,), vt)
    if node:
        node.dim, node.keep, node.index = d, True, idx
    return return_type(name)(vt, _make(_c_ordered(idx.astype(np.int64), data)))


# ---------------------------------------------------------------- logic
@_reduction
def all(input, dim=_NO_DIM, keepdim=False, *, axis=None, keepdims=False):
    """True where every element (over dim) is non-zero; uint8 input gives uint8."""
    return _logic(input, dim, keepdim, axis, keepdims, np.logical_and.reduce, "all")


@_reduction
def any(input, dim=_NO_DIM, keepdim=False, *, axis=None, keepdims=False):
    """True where some element (over dim) is non-zero; uint8 input gives uint8."""
    return _logic(input, dim, keepdim, axis, keepdims, np.logical_or.reduce, "any")


def _logic(input, dim, keepdim, axis, keepdims, reduce, opname):
    # (``reduce`` is the ufunc reduction np.all / np.any end in, without their wrappers)
    if keepdim is not False and keepdim is not True:
        _check_keepdim(keepdim, opname, input, None if dim is _NO_DIM else dim)
    axes = _axes(input, _dim_from(dim, axis, opname), empty_means_all=False, opname=opname)
    data = input._data
    out = reduce(data, axis=_np_axes(input, axes), keepdims=_keep(keepdim, keepdims))
    # torch keeps uint8 for uint8 input (a legacy of masks being uint8)
    return _make(_c_ordered(
        np.asarray(out).astype(np.uint8 if data.dtype == np.uint8 else np.bool_), data))


@_numpy_names
def count_nonzero(input, dim=None):
    """How many elements (over dim) are non-zero, as int64."""
    axes = _axes(input, dim, opname="count_nonzero")
    counts = np.asarray(np.count_nonzero(input._data, axis=_np_axes(input, axes)),
                        dtype=np.int64)
    return _make(_c_ordered(counts, input._data))


# -------------------------------------------------------------- sorting
def _sort_order(data, d, descending):
    """Indices that sort ``data`` along d, stably, NaN counted as the largest value
    (last when ascending, first when descending), as torch does."""
    # (ndarray.argsort: np.argsort is a Python wrapper around it)
    if not descending:
        return data.argsort(axis=d, kind="stable")     # NumPy puts NaN last too
    if data.dtype.kind == "f":
        order = (-data).argsort(axis=d, kind="stable")    # NaNs last ...
        nan = np.isnan(data)
        if not np.logical_or.reduce(nan, axis=None):
            return order          # (the pass below would leave a NaN-free order as it is)
        nan_last = _take_along(~nan, order, d)
        # ... then a stable pass moves them to the front, keeping their order
        return _take_along(order, nan_last.argsort(axis=d, kind="stable"), d)
    # ~x reverses the order of integers and bools without overflow
    return (~data).argsort(axis=d, kind="stable")


@_reduction
@_numpy_names
def sort(input, dim=-1, descending=False, stable=None):
    """Sorted values and the indices they came from, along ``dim`` (ties keep their order).

    >>> ember.sort(ember.tensor([3., 1., 2.]))
    torch.return_types.sort(
    values=tensor([1., 2., 3.]),
    indices=tensor([1, 2, 0]))
    """
    d = _one_dim(input, dim, "sort")
    if (descending is not False and descending is not True and not _is_bool(descending)) or (
            stable is not None and stable is not False and stable is not True
            and not _is_bool(stable)):     # (identity tests first: no call on the way)
        raise _sort_flags_error("sort", input, dim, descending, stable)
    data = input._data
    if not data.ndim:
        values, idx = data.copy(), np.zeros((), np.int64)
    else:
        idx = _sort_order(data, d, descending).astype(np.int64)
        values = _take_along(data, idx, d)
    vt, it = _make(values), _make(idx)
    if not data.flags.c_contiguous or 1 in data.shape:
        # torch's sort keeps its input's layout (a dense one as it is, another in the
        # order of its strides, size-1 dims' strides included); NumPy's indexing gives
        # C order
        strides = _mf.preserved_strides(data.shape, input.stride())
        _mf.lay_out(vt, strides)
        _mf.lay_out(it, strides)
    # (torch's sort with ``stable`` given, even False, is its other overload)
    node = record("SortBackward0" if stable is None else "SortBackward1", _select_backward,
                  (input,), vt)
    if node:
        node.dim, node.keep, node.index = d, True, idx
    return return_type("sort")(vt, it)


@_numpy_names
def argsort(input, dim=-1, descending=False, stable=False):
    """The indices that sort ``input`` along ``dim``."""
    if type(dim) is not int:
        int_arg(dim, "argsort")     # (checked here for an error that names argsort)
    if (descending is not False and descending is not True and not _is_bool(descending)) or (
            stable is not False and stable is not True and not _is_bool(stable)):
        raise _sort_flags_error("argsort", input, dim, descending, stable)
    return sort(input.detach(), dim, descending, stable)[1]


def msort(input):
    """Sorted along the first dim."""
    return sort(input, 0)[0]


@_numpy_names
def topk(input, k, dim=-1, largest=True, sorted=True):
    """The k largest (or smallest) values along ``dim``, with their indices.

    >>> ember.topk(ember.tensor([1., 5., 3.]), 2)
    torch.return_types.topk(
    values=tensor([5., 3.]),
    indices=tensor([1, 2]))
    """
    d = _one_dim(input, dim, "topk")
    if (largest is not True and largest is not False) or (sorted is not True
                                                          and sorted is not False):
        for name, flag in (("largest", largest), ("sorted", sorted)):
            if not _is_bool(flag):
                raise wrong_type("topk", name, None, "bool", flag)
    if type(k) is not int:
        k = int_arg(k, "topk", "k")
    data = input._data
    n = data.shape[d] if data.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError("selected index k out of range")
    if data.dtype.kind == "b":
        raise RuntimeError("topk does not support bool dtypes on CPU")
    if not data.ndim:
        values, idx = data.copy(), np.zeros((), np.int64)
    else:
        first_k = (slice(None),) * d + (slice(0, k),)
        idx = _sort_order(data, d, largest)[first_k].astype(np.int64)     # (a C-ordered copy)
        values = _take_along(data, idx, d)
    vt = _make(values)
    node = record("TopkBackward0", _select_backward, (input,), vt)
    if node:
        node.dim, node.keep, node.index = d, True, idx
    return return_type("topk")(vt, _make(idx))


@_numpy_names
def kthvalue(input, k, dim=-1, keepdim=False):
    """The k-th smallest value along ``dim`` (k counts from 1) and its index."""
    if keepdim is not False and keepdim is not True:
        _check_keepdim(keepdim, 'kthvalue', input, dim)
    d = _one_dim(input, dim, "kthvalue")
    if type(k) is not int:
        k = int_arg(k, "kthvalue", "k")
    data = input._data
    n = data.shape[d] if data.ndim else 1
    if n == 0:
        raise IndexError(f"kthvalue(): Expected reduction dim {d} to have non-zero size.")
    if not 1 <= k <= n:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    if data.dtype.kind == "b":
        raise NotImplementedError("\"kthvalue_cpu\" not implemented for 'Bool'")
    return _pick_sorted(input, d, k - 1, keepdim, "kthvalue", "KthvalueBackward0")


def _pick_sorted(input, d, position, keepdim, name, node_name):
    data = input._data
    if not data.ndim:
        values, idx = data.copy(), np.zeros((), np.int64)
    else:
        order = _sort_order(data, d, False)
        idx = np.take(order, [position], axis=d).astype(np.int64)
        values = np.take_along_axis(data, idx, axis=d)
        if not keepdim:
            values, idx = values.squeeze(d), idx.squeeze(d)
    vt = _make(values)
    node = record(node_name, _select_backward, (input,), vt)
    if node:
        node.dim, node.keep, node.index = d, keepdim or not data.ndim, idx
    return return_type(name)(vt, _make(idx))


@_numpy_names
def median(input, dim=_NO_DIM, keepdim=False):
    """The lower median (torch does not average the two middle values); NaN if any.

    Without ``dim``, a tensor; with it, (values, indices).
    """
    if keepdim is not False and keepdim is not True:
        _check_keepdim(keepdim, 'median', input, None if dim is _NO_DIM else dim)
    data = input._data
    if data.dtype.kind == "b" and data.size and dim is _NO_DIM:
        raise NotImplementedError("\"median_cpu\" not implemented for 'Bool'")
    if dim is _NO_DIM:          # (a dim of None is refused by _one_dim, as in torch)
        flat = data.reshape(-1)
        if flat.size == 0:
            value = _nan_as(data.dtype)
        elif data.dtype.kind == "f" and np.isnan(flat).any():
            value = np.asarray(np.nan, dtype=data.dtype)   # any NaN makes the median NaN
        else:
            value = np.sort(flat)[(flat.size - 1) // 2]
        result = _make(np.asarray(value, dtype=data.dtype))
        node = record("MedianBackward0", _evenly_backward, (input,), result)
        if node:
            node.save_for_backward(input, result)
        return result
    d = _one_dim(input, dim, "median")
    n = data.shape[d] if data.ndim else 1
    if data.ndim and n == 0:
        raise IndexError(f"median(): Expected reduction dim {d} to have non-zero size.")
    if data.dtype.kind == "b":      # (after the dim's checks, as in torch)
        raise NotImplementedError("\"median_out\" not implemented for 'Bool'")
    if data.dtype.kind == "f" and data.ndim and np.isnan(data).any():
        has_nan = np.isnan(data).any(axis=d, keepdims=True)
        # rows with a NaN pick their first NaN (sorted last: take position of first NaN)
        first_nan = np.argmax(np.isnan(data), axis=d)
        result = _pick_sorted(input, d, (n - 1) // 2, True, "median", "MedianBackward1")
        idx = np.where(has_nan, np.expand_dims(first_nan, d), result[1]._data)
        return _pick_at(input, d, idx, keepdim, "median", "MedianBackward1")
    return _pick_sorted(input, d, (n - 1) // 2, keepdim, "median", "MedianBackward1")


@_numpy_names
def nanmedian(input, dim=_NO_DIM, keepdim=False):
    """The lower median of the values that are not NaN (NaN only where all of them are).

    Without ``dim``, a tensor; with it, (values, indices), as ``median``.

    >>> ember.tensor([1., float("nan"), 3., 2.]).nanmedian()
    tensor(2.)
    """
    if keepdim is not False and keepdim is not True:
        _check_keepdim(keepdim, 'nanmedian', input, None if dim is _NO_DIM else dim)
    data = input._data
    if data.dtype.kind == "b" and data.size and dim is _NO_DIM:
        raise NotImplementedError("\"median_cpu\" not implemented for 'Bool'")
    if dim is _NO_DIM:
        flat = np.sort(data.reshape(-1))        # (NaNs sorted last)
        count = flat.size - int(np.isnan(flat).sum()) if data.dtype.kind == "f" else flat.size
        value = flat[(count - 1) // 2] if count else _nan_as(data.dtype)
        result = _make(np.asarray(value, dtype=data.dtype))
        node = record("NanmedianBackward0", _evenly_backward, (input,), result)
        if node:
            node.save_for_backward(input, result)
        return result
    d = _one_dim(input, dim, "nanmedian")
    n = data.shape[d] if data.ndim else 1
    if data.ndim and n == 0:    # (torch's message names median)
        raise IndexError(f"median(): Expected reduction dim {d} to have non-zero size.")
    if data.dtype.kind == "b":
        raise NotImplementedError("\"median_out\" not implemented for 'Bool'")
    nans = np.isnan(data) if data.dtype.kind == "f" and data.ndim else None
    if nans is None or not nans.any():
        return _pick_sorted(input, d, (n - 1) // 2, keepdim, "nanmedian", "NanmedianBackward1")
    # Each row's own middle of its non-NaN values (NaNs sort last, ties keep their order)
    count = n - nans.sum(axis=d, keepdims=True)
    idx = np.take_along_axis(_sort_order(data, d, False), np.maximum(count - 1, 0) // 2, d)
    idx = np.where(count == 0, _all_nan_pick(n), idx)
    return _pick_at(input, d, idx, keepdim, "nanmedian", "NanmedianBackward1")


def mode(input, dim=-1, keepdim=False):
    """The most frequent value along ``dim`` (the smallest of those as frequent) and
    the index of its last occurrence, as torch.return_types.mode.

    >>> ember.tensor([[1, 2, 2, 1, 3], [5, 5, 4, 4, 4]]).mode()
    torch.return_types.mode(
    values=tensor([1, 4]),
    indices=tensor([3, 4]))

    torch sorts each lane with C++'s std::sort and takes the last of the run: for
    lanes of up to 16 elements (an insertion sort, stable) that is the last occurrence,
    as here; for longer ones, whichever occurrence its unstable sort leaves last (the
    value is the same). NaNs count as one value, larger than all (torch's sort of NaNs
    is undefined, so its choice there is arbitrary too).
    """
    d = _one_dim(input, dim, "mode")
    if type(keepdim) is not bool and not isinstance(keepdim, np.bool_):
        raise TypeError(f"mode(): argument 'keepdim' must be bool, not "
                        f"{_arg_type_name(keepdim)}")
    data = input._data
    if not data.ndim:
        return _pick_sorted(input, 0, 0, keepdim, "mode", "ModeBackward0")
    if data.shape[d] == 0:
        raise IndexError(f"mode(): Expected reduction dim {d} to have non-zero size.")
    return _pick_at(input, d, _mode_index(data, d), keepdim, "mode", "ModeBackward0")


def _mode_index(data, d):
    """Index (int64, kept dim) of the last occurrence of the smallest most frequent
    value along d: a stable sort, runs of equal values, the first longest run's end."""
    order = np.argsort(data, axis=d, kind="stable")
    ranked = np.moveaxis(np.take_along_axis(data, order, axis=d), d, -1)
    n = ranked.shape[-1]
    same = ranked[..., 1:] == ranked[..., :-1]
    if data.dtype.kind == "f":        # (NaNs, sorted last, make one run)
        same |= np.isnan(ranked[..., 1:]) & np.isnan(ranked[..., :-1])
    ends = np.concatenate([~same, np.ones(same.shape[:-1] + (1,), bool)], axis=-1)
    starts = np.concatenate([np.ones(same.shape[:-1] + (1,), bool), ~same], axis=-1)
    position = np.arange(n)
    run_start = np.maximum.accumulate(np.where(starts, position, 0), axis=-1)
    run_length = np.where(ends, position - run_start + 1, 0)
    last = np.argmax(run_length, axis=-1)[..., None]          # (the first longest run)
    index = np.take_along_axis(np.moveaxis(order, d, -1), last, axis=-1)
    return np.ascontiguousarray(np.moveaxis(index, -1, d), dtype=np.int64)


@functools.lru_cache(maxsize=64)
def _all_nan_pick(n):
    """The index torch's nanmedian gives a row of n NaNs. torch selects the middle with
    C++'s std::nth_element (libstdc++'s introselect) at position 0, and NaNs compare
    as all equal, so the index is where that algorithm's moves leave element 0: while
    more than 3 remain, the pivot (the middle one) is swapped to the front and the
    partition, finding nothing smaller or larger, reverses the rest; the front part,
    1 + (size - 1) // 2 long, is what is left to search."""
    order = np.arange(n)
    size = n
    while size > 3:
        mid = size // 2
        order[0], order[mid] = order[mid], order[0]
        order[1:size] = order[1:size][::-1].copy()
        size = 1 + (size - 1) // 2
    return int(order[0])


def _nan_as(np_dtype):
    """NaN in ``np_dtype``, as torch's median of nothing gives it: NaN for floats; for
    integers what C's cast of NaN gives on x86 (the least int32/int64; 0 for the
    narrower types and uint8, cast through int32); True for bool."""
    if np_dtype.kind in "fb":       # (NaN is truthy)
        return np.asarray(np.nan, dtype=np.float64).astype(np_dtype)
    return np.asarray(np.iinfo(np_dtype).min if np_dtype.itemsize >= 4 else 0, np_dtype)


def _pick_at(input, d, idx, keepdim, name, node_name):
    values = np.take_along_axis(input._data, idx, axis=d)
    if not keepdim:
        values, idx = values.squeeze(d), idx.squeeze(d)
    vt = _make(values)
    node = record(node_name, _select_backward, (input,), vt)
    if node:
        node.dim, node.keep, node.index = d, keepdim, idx
    return return_type(name)(vt, _make(idx.astype(np.int64)))


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct elements (sorted), optionally with inverse indices and counts.
    NaNs are all distinct, as in torch.

    >>> ember.unique(ember.tensor([3, 1, 3]), return_counts=True)
    (tensor([1, 3]), tensor([1, 2]))
    """
    for name, flag in (("sorted", sorted), ("return_inverse", return_inverse),
                       ("return_counts", return_counts)):
        if not _is_bool(flag):      # (torch's names of the two kernels)
            raise wrong_type("_unique2" if dim is None else "unique_dim", name, None, "bool",
                             flag)
    data = input._data
    if dim is None:
        vals, inv, counts = np.unique(data.reshape(-1), return_inverse=True,
                                      return_counts=True, equal_nan=False)
        inv = inv.reshape(data.shape)
    else:
        if not data.ndim:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        d = _one_dim(input, dim, "unique")
        zero_dims = [i for i, s in enumerate(data.shape) if s == 0]
        if len(zero_dims) > 1:
            raise RuntimeError("Number of zero sized dimensions is more than one, so unique "
                               "cannot be applied ")
        if zero_dims and zero_dims[0] != d:
            raise RuntimeError("There are 0 sized dimensions, and they aren't selected, so "
                               "unique cannot be applied")
        if zero_dims:
            vals, inv, counts = data.copy(), np.zeros(0, np.int64), np.zeros(0, np.int64)
        else:
            vals, inv, counts = np.unique(data, return_inverse=True, return_counts=True,
                                          axis=d, equal_nan=False)
            inv = inv.reshape(-1)
    out = [_make(vals)]
    if return_inverse:
        out.append(_make(inv.astype(np.int64)))
    if return_counts:
        out.append(_make(counts.astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """Collapse runs of equal consecutive elements (of the flattened tensor), or of
    equal consecutive slices along ``dim``.

    >>> ember.unique_consecutive(ember.tensor([[1, 2], [1, 2], [3, 4]]), dim=0)
    tensor([[1, 2],
            [3, 4]])
    """
    if dim is not None:
        return _unique_consecutive_along(input, dim, return_inverse, return_counts)
    flat = input._data.reshape(-1)
    if flat.size == 0:
        starts = np.zeros(0, bool)
    else:
        starts = np.concatenate([[True], flat[1:] != flat[:-1]])
    out = [_make(flat[starts])]
    if return_inverse:
        out.append(_make((np.cumsum(starts) - 1).reshape(input.shape).astype(np.int64)))
    if return_counts:
        out.append(_make(np.diff(np.append(np.nonzero(starts)[0], flat.size)).astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def _unique_consecutive_along(input, dim, return_inverse, return_counts):
    """unique_consecutive over the slices along ``dim`` (a slice equals the one before
    it when every element does; NaN equals nothing)."""
    data = input._data
    if not data.ndim:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    d = _one_dim(input, dim, "unique_consecutive")
    if builtins.any(size == 0 for i, size in enumerate(data.shape) if i != d):
        raise RuntimeError("There are 0 sized dimensions, and they aren't selected, so "
                           "unique cannot be applied")
    moved = np.moveaxis(data, d, 0)
    n = moved.shape[0]
    if n == 0:
        starts = np.zeros(0, bool)
    else:
        rest = moved.reshape(n, -1)
        same = (rest[1:] == rest[:-1]).all(axis=1)
        starts = np.concatenate([[True], ~same])
    values = np.moveaxis(moved[starts], 0, d)
    out = [_make(np.ascontiguousarray(values))]
    if return_inverse:
        out.append(_make((np.cumsum(starts) - 1).astype(np.int64)))
    if return_counts:
        out.append(_make(np.diff(np.append(np.nonzero(starts)[0], n)).astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def bincount(input, weights=None, minlength=0):
    """How often each non-negative integer occurs (or the sum of its weights).

    >>> ember.bincount(ember.tensor([0, 2, 2]))
    tensor([1, 0, 2])
    """
    data = input._data
    if data.dtype.kind not in "iu":
        name = _dtypes.FROM_NUMPY[data.dtype].legacy_name[:-len("Tensor")]
        raise NotImplementedError(f'"bincount_cpu" not implemented for \'{name}\'')
    if data.ndim != 1 or (data.size and data.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    w = None
    if weights is not None:
        w = weights._data
        if w.ndim != 1 or w.shape[0] != data.shape[0]:
            raise RuntimeError("weights should be 1-d and have the same length as input")
    if type(minlength) is not int:
        minlength = int_arg(minlength, "bincount", "minlength")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if not data.size:       # (torch counts nothing in int64, weights or not)
        return _make(np.zeros(minlength, np.int64))
    counts = np.bincount(data, w, minlength)
    # (NumPy sums weights in float64; torch keeps float32 weights' dtype)
    return _make(counts.astype(np.float32) if w is not None and w.dtype == np.float32
                 else counts)


def _cumsum_(self, dim, *, dtype=None):
    from .pointwise import assign_inplace, check_inplace
    check_inplace(self)
    if self._data.dtype.kind == "b" and dtype is None:
        if self._data.size:
            raise NotImplementedError("\"cumsum_out_cpu\" not implemented for 'Bool'")
        dtype = self.dtype      # (nothing to sum: an empty bool tensor stays as it is)
    return assign_inplace(self, cumsum(self, dim, dtype=dtype))


# (the public ops outside _reduction's wrapper, with torch's error for a non-Tensor input)
# (argmax and argmin check in _arg, at no cost: they are often called)
aminmax, var_mean, std_mean, cummax, cummin, count_nonzero, argsort, msort, topk, kthvalue, \
    median, nanmedian, mode, unique, unique_consecutive, bincount = map(_checked_op, (
        aminmax, var_mean, std_mean, cummax, cummin, count_nonzero, argsort, msort, topk,
        kthvalue, median, nanmedian, mode, unique, unique_consecutive, bincount))

# (a reduction's .method twin where it has one: its argument errors count as a method's)
bind(**{name: getattr(fn, "method", fn) for name, fn in dict(
    sum=method_twin(sum), nansum=nansum, mean=method_twin(mean), nanmean=nanmean, prod=prod,
    max=method_twin(max), min=method_twin(min),
    amax=amax, amin=amin, aminmax=aminmax, argmax=argmax, argmin=argmin, var=var, std=std,
    norm=norm, logsumexp=logsumexp, logcumsumexp=logcumsumexp, cumsum=cumsum,
    cumprod=cumprod, cummax=cummax, cummin=cummin, all=all, any=any,
    count_nonzero=count_nonzero, sort=sort, argsort=argsort, msort=msort, topk=topk,
    kthvalue=kthvalue, median=median, nanmedian=nanmedian, mode=mode, unique=unique,
    unique_consecutive=unique_consecutive, bincount=bincount, cumsum_=_cumsum_).items()})


# ==================================================== statistics of torch 2.x
# quantile, diff, histograms, bucketing, trapezoid rules, cov/corrcoef and renorm.
# Most are composites in torch too (their grad_fn is that of their last step), so
# they are written with ember ops on Tensors: their gradients, and create_graph,
# come for free.

_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """The ``q``-th quantiles of ``input`` (all of it, or along ``dim``), interpolating
    between the two nearest sorted values as ``interpolation`` says. A 1-D ``q`` puts
    one quantile per q in a new leading dim. A NaN in a lane makes its quantile NaN.

    >>> ember.quantile(ember.tensor([1., 2., 3., 4.]), 0.5)
    tensor(2.5000)
    """
    return _write_maybe(_quantile(input, q, dim, keepdim, interpolation, "quantile", False),
                        out, "quantile")


def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """quantile ignoring NaNs (a lane of NaNs only gives NaN).

    >>> ember.nanquantile(ember.tensor([1., float('nan'), 3.]), 0.5)
    tensor(2.)
    """
    return _write_maybe(_quantile(input, q, dim, keepdim, interpolation, "nanquantile", True),
                        out, "nanquantile")


def _write_maybe(result, out, opname):
    return result if out is None else _write_out(result, out, opname)


def _quantile_q(input, q, opname):
    """``q`` as a 1-D array of the input's dtype, and whether it was a scalar."""
    dt = input._data.dtype
    if isinstance(q, Tensor):
        if q._data.ndim > 1:
            raise RuntimeError("quantile() q must be a scalar or 1D tensor")
        if q._data.dtype != dt:
            raise RuntimeError("quantile() q tensor must be same dtype as the input tensor")
        qs = q._data.reshape(-1)
        if qs.size and not ((qs >= 0) & (qs <= 1)).all():
            raise RuntimeError("quantile() q values must be in the range [0, 1]")
        return qs, q._data.ndim == 0
    if isinstance(q, (bool, int, float, np.bool_, np.integer, np.floating)):
        if not 0 <= q <= 1:
            raise RuntimeError(f"quantile() q must be in the range [0, 1] but got {_g(float(q))}")
        return np.array([q], dtype=dt), True
    raise TypeError(f"{opname}(): argument 'q' must be Tensor or float, not "
                    f"{_arg_type_name(q)}")


def _quantile(input, q, dim, keepdim, interpolation, opname, ignore_nan):
    check_input((input,), {}, opname)
    data = input._data
    if data.dtype.kind != "f" or data.dtype == _F16:
        raise RuntimeError("quantile() input tensor must be either float or double dtype")
    qs, scalar_q = _quantile_q(input, q, opname)
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError("quantile() interpolation must be one of linear, lower, higher, "
                           f"midpoint or nearest, but got {interpolation}")
    if dim is not None:
        d = wrap_dim(int_arg(dim, opname), data.ndim)
    if not data.size:
        raise RuntimeError("quantile() input tensor must be non-empty")
    # lanes: (..., n) with the reduced dim last (all of input when dim is None)
    if dim is None:
        lanes = input.reshape(-1)
        kept_shape = (1,) * data.ndim if keepdim else ()
    else:
        lanes = input.movedim(d, -1) if data.ndim else input.reshape(1)
        kept_shape = list(data.shape)
        if keepdim:
            if data.ndim:
                kept_shape[d] = 1
        elif data.ndim:
            del kept_shape[d]
        kept_shape = tuple(kept_shape)
    arr = lanes._data
    n = arr.shape[-1]
    order = np.argsort(arr, axis=-1, kind="stable")     # (NaN last, as torch sorts)
    nans = np.isnan(arr).any(axis=-1, keepdims=True) if not ignore_nan else None
    qcol = qs.reshape((-1,) + (1,) * arr.ndim)          # (Q, 1, ..., 1)
    with np.errstate(all="ignore"):
        if ignore_nan:
            valid = (~np.isnan(arr)).sum(axis=-1, keepdims=True).astype(arr.dtype)
            ranks = qcol * (valid - 1)
            ranks = np.where(ranks < 0, 0, ranks).astype(arr.dtype)
        else:
            ranks = np.broadcast_to(qcol * arr.dtype.type(n - 1),
                                    (len(qs),) + nans.shape).copy()
            ranks[np.broadcast_to(nans, ranks.shape)] = n - 1
    if interpolation == "lower":
        ranks = np.floor(ranks)
    elif interpolation == "higher":
        ranks = np.ceil(ranks)
    elif interpolation == "nearest":
        ranks = np.round(ranks)         # (half to even, as torch rounds)
    below = ranks.astype(np.int64)
    full_order = np.broadcast_to(order, (len(qs),) + order.shape)
    source = lanes.expand((len(qs),) + arr.shape)
    values = source.gather(-1, _make(np.take_along_axis(full_order, below, -1)))
    if interpolation in ("linear", "midpoint"):
        weights = np.full_like(ranks, 0.5) if interpolation == "midpoint" else ranks - below
        above = np.ceil(ranks).astype(np.int64)
        values_above = source.gather(-1, _make(np.take_along_axis(full_order, above, -1)))
        values = values.lerp(values_above, _make(weights.astype(arr.dtype)))
    out_shape = kept_shape if scalar_q else (len(qs),) + kept_shape
    return values.reshape(out_shape)


def diff(input, n=1, dim=-1, prepend=None, append=None):
    """The ``n``-th forward difference along ``dim`` (``prepend``/``append`` joined to
    its ends first); bool tensors differ by xor.

    >>> ember.diff(ember.tensor([1, 4, 9, 16]))
    tensor([3, 5, 7])
    """
    check_input((input,), {}, "diff")
    n = int_arg(n, "diff", "n")
    dim = int_arg(dim, "diff", "dim")
    for name, extra in (("prepend", prepend), ("append", append)):
        if extra is not None and not isinstance(extra, Tensor):
            raise TypeError(f"diff(): argument '{name}' must be Tensor, not "
                            f"{_arg_type_name(extra)}")
    if input._data.ndim < 1:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    if n == 0 and prepend is None and append is None:
        return input.clone()        # (torch reads no dim then)
    d = wrap_dim(dim, input._data.ndim)
    for extra in (prepend, append):
        if extra is not None:
            _diff_check_shape(input, extra, d)
    if n == 0:
        return input.clone()        # (nothing joined: prepend and append are only checked)
    if prepend is not None or append is not None:
        from .shape import cat
        input = cat([t for t in (prepend, input, append) if t is not None], d)
    size = input._data.shape[d]
    result = input
    for _ in range(builtins.min(n, size)):      # (n steps; a whole lane at most)
        length = result._data.shape[d] - 1
        later, earlier = result.narrow(d, 1, length), result.narrow(d, 0, length)
        result = later.logical_xor(earlier) if result._data.dtype.kind == "b" \
            else later - earlier
    return result


def _diff_check_shape(input, extra, d):
    if extra._data.ndim != input._data.ndim:
        raise RuntimeError("diff expects prepend or append to be the same dimension as input")
    for i, (a, b) in enumerate(zip(input._data.shape, extra._data.shape)):
        if i != d and a != b:
            raise RuntimeError(f"diff expects the shape of tensor to prepend or append to "
                               f"match that of input except along the differencing "
                               f"dimension; input.size({i}) = {a}, but got "
                               f"tensor.size({i}) = {b}")


# ------------------------------------------------------------ histograms
def histc(input, bins=100, min=0, max=0, *, out=None):
    """Counts of ``input``'s elements in ``bins`` equal bins between ``min`` and
    ``max`` (both 0: the data's own range); elements outside are not counted.

    >>> ember.histc(ember.tensor([1., 2., 1.]), bins=4, min=0, max=3)
    tensor([0., 2., 1., 0.])
    """
    check_input((input,), {}, "histc")
    data = input._data
    bins = int_arg(bins, "histc", "bins")
    if data.dtype.kind != "f":
        raise NotImplementedError(f"\"histogram_cpu\" not implemented for "
                                  f"'{_type_name(data.dtype)}'")
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for "
                           f"dimension 0")
    lo, hi = float(min), float(max)
    if lo == hi and data.size:
        lo, hi = float(data.min()), float(data.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{_g(lo)}, {_g(hi)}] is not finite")
    counts = _bin_counts(data.reshape(-1), None, bins, lo, hi, data.dtype, search=False)
    return _write_maybe(_make(counts), out, "histc")


def _g(x):
    """A number as torch's messages print it (1, 2.5, inf, nan)."""
    return f"{x:g}"


def _linspace_edges(lo, hi, bins, np_dtype):
    """bins + 1 edges from ``lo`` to ``hi`` in ``np_dtype``, as torch.linspace puts
    them (the first half counted from lo, the second from hi)."""
    from .creation import linspace
    return linspace(lo, hi, bins + 1, dtype=_dtypes.FROM_NUMPY[np.dtype(np_dtype)])._data


def _bin_counts(values, weights, bins, lo, hi, np_dtype, search=True, edges=None):
    """Counts (or summed weights) of ``values`` in the bins: the bin of a value is found
    by linear interpolation between lo and hi (histc), corrected against the edges
    themselves (histogram with a bin count) or by binary search (given edges). A value
    on the last edge falls in the last bin; NaN and values outside are not counted."""
    if edges is None:
        edges = _linspace_edges(lo, hi, bins, np_dtype)
    left, right = edges[0], edges[-1]
    with np.errstate(all="ignore"):
        inside = (values >= left) & (values <= right)
        values = values[inside]
        if weights is not None:
            weights = weights[inside]
        if search is None:      # given edges: binary search
            pos = np.searchsorted(edges, values, side="right") - 1
        else:
            scaled = (values - left) * np_dtype.type(bins) / (right - left)
            pos = scaled.astype(np.int64)
            if search:
                # (torch looks for the value in the edges around its guess)
                pos = np.clip(pos, 0, bins)
                pos = pos - (values < edges[pos]) + (values >= edges[np.minimum(pos + 1,
                                                                                  bins)])
                pos = np.clip(pos, 0, bins)
    pos = np.where(pos >= bins, bins - 1, pos)
    counts = np.bincount(pos, weights, minlength=bins)[:bins]
    return counts.astype(np_dtype)


def histogram(input, bins, *, range=None, weight=None, density=False, out=None):
    """A histogram of ``input``: ``bins`` equal bins over ``range`` (the data's by
    default), or the given 1-D tensor of edges. Returns (hist, bin_edges).

    >>> ember.histogram(ember.tensor([1., 2., 1.]), bins=2)
    torch.return_types.histogram(
    hist=tensor([2., 1.]),
    bin_edges=tensor([1.0000, 1.5000, 2.0000]))
    """
    check_input((input,), {}, "histogram")
    data = input._data
    np_dtype = data.dtype
    given_edges = isinstance(bins, Tensor)
    if data.dtype.kind != "f":
        raise NotImplementedError(f"\"histogramdd\" not implemented for "
                                  f"'{_type_name(data.dtype)}'")
    if given_edges:
        if bins._data.ndim != 1:
            raise RuntimeError(f"torch.histogramdd: bins tensor should have one dimension, "
                               f"but got {bins._data.ndim} dimensions in the bins tensor "
                               f"for dimension 0")
        if bins._data.dtype != np_dtype:
            raise RuntimeError(f"torch.histogramdd: input tensor and bins tensors should "
                               f"have the same dtype, but got input with dtype "
                               f"{_short_name(np_dtype)} and bins for dimension 0 with dtype "
                               f"{_short_name(bins._data.dtype)}")
        nbins = bins._data.shape[0] - 1
    else:
        nbins = int_arg(bins, "histogram", "bins")
    if nbins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {nbins} for "
                           f"dimension 0")
    flat = data.reshape(-1)
    w = None
    if weight is not None:
        if tuple(weight._data.shape) != tuple(data.shape):
            raise RuntimeError(f"torch.histogramdd: if weight tensor is provided it should "
                               f"have the same shape as the input tensor excluding its "
                               f"innermost dimension, but got input with shape "
                               f"{[flat.size, 1]} and weight with shape "
                               f"{list(weight._data.shape)}")
        w = weight._data.reshape(-1)
    if given_edges:
        edges = bins._data.copy()
        counts = _bin_counts(flat, w, nbins, None, None, np_dtype, search=None, edges=edges)
    else:
        if range is not None:
            lo, hi = (float(v) for v in range)
        elif flat.size:
            lo, hi = float(flat.min()), float(flat.max())
        else:
            lo, hi = 0.0, 1.0
        if lo > hi:
            raise RuntimeError(f"torch.histogramdd: min should not exceed max, but got min "
                               f"{_g(lo)} max {_g(hi)} for dimension 0")
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise RuntimeError(f"torch.histogramdd: range of [{_g(lo)}, {_g(hi)}] is not "
                               f"finite")
        if lo == hi:
            lo, hi = lo - 0.5, hi + 0.5
        edges = _linspace_edges(lo, hi, nbins, np_dtype)
        counts = _bin_counts(flat, w, nbins, lo, hi, np_dtype, search=True, edges=edges)
    if density:
        with np.errstate(all="ignore"):
            counts = (counts / (counts.sum() * np.diff(edges))).astype(np_dtype)
    result = return_type("histogram", ("hist", "bin_edges"))(_make(counts), _make(edges))
    return _write_maybe(result, out, "histogram")


def _short_name(np_dtype):
    """A dtype as torch's histogram messages name it (float, double)."""
    return {"f": "float", "d": "double", "e": "c10::Half"}.get(np.dtype(np_dtype).char,
                                                             np.dtype(np_dtype).name)


# ------------------------------------------------------------- bucketing
def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None,
                 sorter=None, out=None):
    """Where each value of ``input`` would go in ``sorted_sequence`` (the last dim of each
    of its rows, when it is N-D) to keep it sorted: the first such index, or the last
    one with ``right=True`` / ``side='right'``.

    >>> ember.searchsorted(ember.tensor([1., 3., 5.]), ember.tensor([3., 6.]))
    tensor([1, 3])
    """
    if not isinstance(sorted_sequence, Tensor) or not isinstance(
            input, (Tensor, bool, int, float, np.number, np.bool_)):
        keys = {"out_int32": out_int32, "right": right, "side": side, "sorter": sorter,
                "out": out}
        _no_signature("searchsorted", [sorted_sequence, input],
                      {k: v for k, v in keys.items() if v not in (None, False)},
                      _SEARCHSORTED_SIGNATURES)
    right = _search_side(right, side)
    seq = sorted_sequence._data
    scalar = not isinstance(input, Tensor)
    values = np.asarray(input) if scalar else input._data
    if seq.ndim == 0:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive "
                           "dimension, but got 0 dimension")
    if seq.ndim > 1 and (scalar or seq.shape[:-1] != values.shape[:-1]):
        raise RuntimeError(f"torch.searchsorted(): boundaries tensor should be 1 dimension "
                           f"or the first N-1 dimensions of boundaries tensor and input "
                           f"value tensor must match, but we got boundaries tensor "
                           f"{list(seq.shape)} and input value tensor "
                           f"{list(values.shape) if not scalar else []}")
    order = None
    if sorter is not None:
        if sorter._data.dtype != np.int64:
            raise RuntimeError(f"torch.searchsorted(): sorter must be a tensor of long dtype "
                               f"but got dtype {_type_name(sorter._data.dtype)}")
        if sorter._data.shape != seq.shape:
            raise RuntimeError(f"torch.searchsorted(): boundary and sorter must have the same "
                               f"size, but got boundary tensor {list(seq.shape)}and got "
                               f"sorter tensor {list(sorter._data.shape)}")
        order = sorter._data
        if order.size and (order.min() < 0 or order.max() >= seq.shape[-1]):
            raise RuntimeError("torch.searchsorted(): sorter index out of range")
    dt = _dtypes.result_type(sorted_sequence, input if not scalar else values.item()).np
    idx = _binary_search(seq.astype(dt, copy=False), values.astype(dt, copy=False), order,
                         right)
    result = _make(idx.astype(np.int32 if out_int32 else np.int64))
    return _write_maybe(result, out, "searchsorted")


_SEARCH_KEYWORDS = ("*, bool out_int32 = False, bool right = False, str side = None, "
                    "Tensor sorter = None, Tensor out = None")
_SEARCHSORTED_SIGNATURES = (f"(Tensor sorted_sequence, Tensor input, {_SEARCH_KEYWORDS})",
                            f"(Tensor sorted_sequence, Number self, {_SEARCH_KEYWORDS})")


def _no_signature(opname, args, kwargs, signatures):
    """torch's TypeError for arguments that fit none of ``opname``'s signatures."""
    got = ", ".join([_arg_type_name(a) for a in args] +
                    [f"{k}={_arg_type_name(v)}" for k, v in kwargs.items()])
    lines = [f"{opname}() received an invalid combination of arguments - got ({got}), but "
             f"expected one of:"] + [f" * {sig}" for sig in signatures]
    raise TypeError("\n".join(lines) + "\n")


def _search_side(right, side):
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but "
                               f"got {side}")
        if right and side == "left":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to "
                               "opposites, got side of left while right was True")
        return side == "right"
    return bool(right)


def _binary_search(seq, values, order, right):
    """torch's binary search, run on every value at once: ``seq`` is 1-D or has the
    leading dims of ``values``; each step halves every value's range. Its comparisons
    (``not mid >= v`` goes right) place NaN values last, as torch does."""
    m = seq.shape[-1]
    rows = seq.reshape(-1, m) if seq.ndim > 1 else seq.reshape(1, m)
    order_rows = order.reshape(rows.shape) if order is not None else None
    vals = values.reshape(rows.shape[0], -1) if seq.ndim > 1 else values.reshape(1, -1)
    lo = np.zeros(vals.shape, np.int64)
    hi = np.full(vals.shape, m, np.int64)
    with np.errstate(invalid="ignore"):
        while m and (lo < hi).any():       # (about log2(m) passes)
            active = lo < hi
            mid = lo + ((hi - lo) >> 1)
            at = np.minimum(mid, m - 1)
            if order_rows is not None:
                at = np.take_along_axis(order_rows, at, 1)
            mid_val = np.take_along_axis(rows, at, 1)
            go_right = ~(mid_val > vals) if right else ~(mid_val >= vals)
            lo = np.where(active & go_right, mid + 1, lo)
            hi = np.where(active & ~go_right, mid, hi)
    return lo.reshape(values.shape)


def bucketize(input, boundaries, *, out_int32=False, right=False, out=None):
    """The bucket index of each value of ``input`` among the 1-D sorted ``boundaries``
    (``boundaries[i-1] < v <= boundaries[i]``; ``right=True``: ``<= v <``).

    >>> ember.bucketize(ember.tensor([1, 5, 9]), ember.tensor([1, 5, 9]), right=True)
    tensor([1, 2, 3])
    """
    if boundaries._data.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got "
                           f"dim({boundaries._data.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right, out=out)


# ------------------------------------------------------- trapezoid rules
def trapezoid(y, x=None, *, dx=None, dim=-1):
    """The trapezoid rule along ``dim``: samples ``y`` at points ``x`` (or spaced ``dx``,
    1 by default).

    >>> ember.trapezoid(ember.tensor([1., 2., 3.]))
    tensor(4.)
    """
    return _trapezoid(y, x, dx, dim, "trapezoid", cumulative=False)


def trapz(y, x=None, *, dx=None, dim=-1):
    """trapezoid's older name.

    >>> ember.trapz(ember.tensor([1., 2., 3.]), dx=2)
    tensor(8.)
    """
    return _trapezoid(y, x, dx, dim, "trapz", cumulative=False)


def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    """The running trapezoid rule along ``dim`` (one element shorter than ``y``).

    >>> ember.cumulative_trapezoid(ember.tensor([1., 2., 3.]))
    tensor([1.5000, 4.0000])
    """
    return _trapezoid(y, x, dx, dim, "cumulative_trapezoid", cumulative=True)


def _trapezoid(y, x, dx, dim, opname, cumulative):
    check_input((y,), {}, opname)
    if isinstance(dx, Tensor) and not dx._data.ndim:
        dx = dx.item()          # (a 0-dim tensor is a Number to torch's parser)
    if (x is not None and (dx is not None or not isinstance(x, Tensor))) or not (
            dx is None or isinstance(dx, (int, float, complex, np.number))):
        got = ", ".join(["Tensor"] + ([_arg_type_name(x)] if x is not None else []) +
                        ([f"dx={_arg_type_name(dx)}"] if dx is not None else []))
        raise TypeError(f"{opname}() received an invalid combination of arguments - got "
                        f"({got}), but expected one of:\n"
                        f" * (Tensor y, Tensor x, *, int dim = -1)\n"
                        f" * (Tensor y, *, Number dx = 1, int dim = -1)\n")
    if not y._data.ndim:
        if cumulative:
            raise IndexError("slice() cannot be applied to a 0-dim tensor.")
        raise IndexError(f"Dimension specified as {int_arg(dim, opname)} but tensor has no "
                         f"dimensions")
    d = _one_dim(y, dim, opname)
    slice_length = builtins.max(y._data.shape[d] - 1, 0) if y._data.ndim else 0
    if y._data.shape[d] == 0 and not cumulative:
        # (numpy's 0 for no samples, in y's own dtype, as torch gives it)
        shape = list(y._data.shape)
        del shape[d]
        return _zeros(shape, y._data.dtype)
    base = "cumulative_trapezoid" if cumulative else "trapezoid"
    if y._data.dtype.kind == "b" or (x is not None and x._data.dtype.kind == "b"):
        raise RuntimeError(f"{base}: received a bool input for `y`, but bool is not "
                           f"supported" if x is None else
                           f"{base}: received a bool input for `x` or `y`, but bool is not "
                           f"supported")
    left, right = y.narrow(d, 0, slice_length), y.narrow(d, 1, slice_length)
    if x is None:
        if dx is None:
            dx = 1
        if isinstance(dx, (bool, np.bool_)) or not isinstance(dx, (int, float, np.number)):
            raise RuntimeError(f"{base}: Currently, we only support dx as a real number.")
        dx = float(dx)
        if cumulative:
            return (dx / 2.0 * (left + right)).cumsum(d)
        return (y.sum(d) - (y.select(d, 0) + y.select(d, -1)) * 0.5) * dx
    nd = y._data.ndim
    if x._data.ndim == 1:
        if x._data.shape[0] != y._data.shape[d]:
            raise RuntimeError(f"{base}: There must be one `x` "
                               f"value for each sample point")
        shape = [1] * nd
        shape[d] = x._data.shape[0]
        x = x.view(shape)
    elif x._data.ndim < nd:
        x = x.view((1,) * (nd - x._data.ndim) + tuple(x._data.shape))
    n = x._data.shape[d] - 1 if x._data.ndim else 0
    spacing = x.narrow(d, 1, n) - x.narrow(d, 0, n)
    if cumulative:
        return (spacing * (left + right)).cumsum(d) / 2.0
    return ((left + right) * spacing).sum(d) / 2.0


# -------------------------------------------------- numerical derivatives
_GRADIENT_SIGNATURES = (
    "(Tensor input, *, tuple of ints dim, int edge_order = 1)",
    "(Tensor input, *, Number spacing, tuple of ints dim, int edge_order = 1)",
    "(Tensor input, *, Number spacing = None, int dim = None, int edge_order = 1)",
    "(Tensor input, *, tuple of Scalars spacing, int dim = None, int edge_order = 1)",
    "(Tensor input, *, tuple of Scalars spacing, tuple of ints dim, int edge_order = 1)",
    "(Tensor input, *, tuple of Tensors spacing, int dim = None, int edge_order = 1)",
    "(Tensor input, *, tuple of Tensors spacing, tuple of ints dim, int edge_order = 1)")


def gradient(input, *, spacing=1, dim=None, edge_order=1):
    """Estimates of ``input``'s derivative along each of ``dim`` (all dims by default) by
    central differences inside and one-sided ones (``edge_order`` 1 or 2) at the ends;
    ``spacing`` is one step for all dims, one step per dim, or one tensor of sample
    coordinates per dim. Returns a tuple, one tensor per dim.

    >>> ember.gradient(ember.tensor([1., 4., 9., 16.]))
    (tensor([3., 4., 6., 7.]),)
    """
    check_input((input,), {}, "gradient")
    # (the arguments torch's parser error lists: those given other than by default)
    given = {k: v for k, v, default in (("spacing", spacing, 1), ("dim", dim, None),
                                        ("edge_order", edge_order, 1))
             if v is not default}

    def no_signature():
        _no_signature("gradient", (input,), given, _GRADIENT_SIGNATURES)

    if isinstance(spacing, Tensor) and not spacing._data.ndim:
        spacing = spacing.item()        # (a 0-dim tensor is a Number to torch's parser)
    if spacing is None or _is_number(spacing):
        steps = None                    # (one step for every dim: known once dims are)
    elif isinstance(spacing, (list, tuple)):
        if builtins.all(_is_number(s) for s in spacing):
            steps = list(spacing)
        else:
            for i, s in enumerate(spacing):
                if not isinstance(s, Tensor):
                    raise TypeError(f"expected Tensor as element {i} in argument 1, but got "
                                    f"{_arg_type_name(s)}")
            steps = list(spacing)
    else:
        no_signature()
    if isinstance(edge_order, (bool, np.bool_)) or not hasattr(type(edge_order), "__index__"):
        no_signature()
    edge_order = int(edge_order)
    ndim = input._data.ndim
    if dim is None:
        dims = None
    elif isinstance(dim, (list, tuple)):
        if not builtins.all(hasattr(type(d), "__index__") and not isinstance(d, (bool, np.bool_))
                   for d in dim):
            no_signature()
        dims = [int(d) for d in dim]
    elif hasattr(type(dim), "__index__") and not isinstance(dim, (bool, np.bool_)):
        dims = [int(dim)]
    else:
        no_signature()
    # torch's checks, in its order
    if input._data.dtype == np.uint8:
        raise RuntimeError("torch.gradient does not support uint8 input.")
    if steps is not None and dims is None and len(steps) != ndim:
        raise RuntimeError(f"torch.gradient expected spacing to be unspecified, a scalar, or "
                           f"a list of length equal to 'self.dim() = {ndim}', since dim "
                           f"argument was not given, but got a list of length {len(steps)}")
    if steps is not None and dims is not None and len(steps) != len(dims):
        raise RuntimeError(f"torch.gradient expected spacing to be unspecified, a scalar or "
                           f"it's spacing and dim arguments to have the same length, but got "
                           f"a spacing argument of length {len(steps)} and a dim argument of "
                           f"length {len(dims)}.")
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    if dims is None:
        dims = list(range(ndim))
    else:
        wrap_dims(dims, ndim, "gradient")       # (out of range or repeated: torch's errors)
        dims = [wrap_dim(d, ndim) for d in dims]
    if builtins.any(input._data.shape[d] < edge_order + 1 for d in dims):
        raise RuntimeError("torch.gradient expected each dimension size to be at least "
                           "edge_order+1")
    if steps is None:
        steps = [1.0 if spacing is None else spacing] * len(dims)
    return tuple(_gradient_coordinates(input, step, d, edge_order)
                 if isinstance(step, Tensor) else
                 _gradient_uniform(input, step, d, edge_order)
                 for step, d in zip(steps, dims))


def _is_number(x):
    return isinstance(x, (bool, int, float, np.number, np.bool_))


def _along(t, d, start=None, stop=None):
    """``t[start:stop]`` along dim ``d`` (a view, so gradients flow)."""
    return t[(slice(None),) * d + (slice(start, stop),)]


def _gradient_uniform(input, h, d, edge_order):
    """Samples ``h`` apart: (f[i+1] - f[i-1]) / 2h inside, one-sided differences at the
    ends (first or second order)."""
    center = (_along(input, d, 2) - _along(input, d, None, -2)) / h / 2
    first, second, third = (_along(input, d, 0, 1), _along(input, d, 1, 2),
                            _along(input, d, 2, 3))
    last, before, third_last = (_along(input, d, -1), _along(input, d, -2, -1),
                                _along(input, d, -3, -2))
    if edge_order == 1:
        head, tail = (second - first) / h, (last - before) / h
    else:
        head = (-1.5 * first + 2 * second - 0.5 * third) / h
        tail = (0.5 * third_last - 2 * before + 1.5 * last) / h
    from .shape import cat
    return cat([head, center, tail], d)


def _gradient_coordinates(input, coords, d, edge_order):
    """Samples at ``coords`` (steps dx1 before and dx2 after each inner point): the
    second-order accurate weighted difference inside, one-sided ones at the ends."""
    if coords._data.ndim != 1:
        raise RuntimeError(f"torch.gradient expected each element of spacing to have one "
                           f"dimension, but got an element with {coords._data.ndim} "
                           f"dimensions!")
    steps = coords.diff(1, 0)
    if steps._data.shape[0] == 0:
        raise IndexError("select(): index 0 out of range for tensor of size [0] at "
                         "dimension 0")
    shape = [1] * input._data.ndim
    shape[d] = -1
    dx1, dx2 = steps[:-1], steps[1:]
    a = (-dx2 / (dx1 * (dx1 + dx2))).reshape(shape)
    b = ((dx2 - dx1) / (dx1 * dx2)).reshape(shape)
    c = (dx1 / (dx2 * (dx1 + dx2))).reshape(shape)
    center = a * _along(input, d, 0, -2) + b * _along(input, d, 1, -1) + c * _along(input, d, 2)
    first, second, third = (_along(input, d, 0, 1), _along(input, d, 1, 2),
                            _along(input, d, 2, 3))
    last, before, third_last = (_along(input, d, -1), _along(input, d, -2, -1),
                                _along(input, d, -3, -2))
    if edge_order == 1:
        head = (second - first) / steps[0]
        tail = (last - before) / steps[-1]
    else:
        h0, h1 = steps[0], steps[1]
        head = (-(2.0 * h0 + h1) / (h0 * (h0 + h1)) * first + (h0 + h1) / (h0 * h1) * second
                + -h0 / (h1 * (h0 + h1)) * third)
        hl, hb = steps[-1], steps[-2]
        tail = (hl / (hb * (hl + hb)) * third_last + -(hl + hb) / (hl * hb) * before
                + (2 * hl + hb) / (hl * (hl + hb)) * last)
    from .shape import cat
    return cat([head, center, tail], d)


# ------------------------------------------------------ cov and corrcoef
def cov(input, *, correction=1, fweights=None, aweights=None):
    """The covariance matrix of the variables in ``input``'s rows (its columns are the
    observations), optionally weighted; a 1-D input is one variable.

    >>> ember.cov(ember.tensor([[0., 1., 2.], [2., 1., 0.]]))
    tensor([[ 1., -1.],
            [-1.,  1.]])
    """
    check_input((input,), {}, "cov")
    data = input._data
    if data.ndim > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got "
                           f"an input with {data.ndim} dimensions")
    if data.dtype.kind == "b":
        raise RuntimeError("cov(): bool dtype is not supported for input")
    rows = input.reshape(1, -1) if data.ndim < 2 else input
    observations = rows._data.shape[1]
    correction = int_arg(correction, "cov", "correction")
    w = None
    if fweights is not None:
        _check_weights(fweights, "fweights", observations, integral=True)
        w = fweights
    if aweights is not None:
        _check_weights(aweights, "aweights", observations, integral=False)
        w = aweights if w is None else w * aweights
    if w is None:
        w_sum = _make(np.array(observations, np.int64))
    else:
        w_sum = w.sum()
        if not w_sum._data.item():
            raise RuntimeError("cov(): weights sum to zero, can't be normalized")
    avg = (rows if w is None else rows * w).sum(1) / w_sum
    if w is not None and correction and aweights is not None:
        norm_factor = w_sum - correction * (w * aweights).sum() / w_sum
    else:
        norm_factor = w_sum - correction
    if norm_factor._data.item() <= 0:
        warnings.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less "
                      "than the number of observations.", UserWarning, stacklevel=2)
        norm_factor = norm_factor * 0
    centred = rows - avg.unsqueeze(1)
    products = centred.mm((centred if w is None else centred * w).t())
    token = fp_errors_off()
    try:
        return products.true_divide(norm_factor).squeeze()
    finally:
        fp_errors_restore(token)


def _check_weights(w, name, observations, integral):
    if not isinstance(w, Tensor):
        raise TypeError(f"cov(): argument '{name}' must be Tensor, not {_arg_type_name(w)}")
    if w._data.ndim > 1:
        raise RuntimeError(f"cov(): expected {name} to have one or fewer dimensions but got "
                           f"{name} with {w._data.ndim} dimensions")
    kind_ok = w._data.dtype.kind in "iu" if integral else w._data.dtype.kind == "f"
    if not kind_ok:
        want = "integral" if integral else "floating point"
        raise RuntimeError(f"cov(): expected {name} to have {want} dtype but got {name} "
                           f"with {_type_name(w._data.dtype)} dtype")
    if w._data.size != observations:
        raise RuntimeError(f"cov(): expected {name} to have the same numel as there are "
                           f"observations in the input but got {w._data.size} != "
                           f"{observations}")
    if observations and w._data.min() < 0:
        raise RuntimeError(f"cov(): {name} cannot be negative")


def corrcoef(input):
    """Pearson's correlation coefficients of the variables in ``input``'s rows.

    >>> ember.corrcoef(ember.tensor([[0., 1., 2.], [2., 1., 0.]]))
    tensor([[ 1., -1.],
            [-1.,  1.]])
    """
    check_input((input,), {}, "corrcoef")
    if input._data.ndim > 2:
        raise RuntimeError(f"corrcoef(): expected input to have two or fewer dimensions but "
                           f"got an input with {input._data.ndim} dimensions")
    c = cov(input)
    token = fp_errors_off()
    try:
        if c._data.ndim == 0:
            return c / c            # (NaN for a variance of 0, inf or NaN; else 1)
        stddev = c.diagonal().sqrt()
        c = c / stddev.view(-1, 1)
        c = c / stddev.view(1, -1)
        return c.clip(-1, 1)
    finally:
        fp_errors_restore(token)


# ----------------------------------------------------------------- renorm
def renorm(input, p, dim, maxnorm, *, out=None):
    """Each slice ``input.select(dim, i)`` whose ``p``-norm exceeds ``maxnorm`` scaled
    down to norm ``maxnorm`` (the others as they are).

    >>> ember.renorm(ember.tensor([[3., 4.], [0.3, 0.4]]), 2, 0, 1.)
    tensor([[0.6000, 0.8000],
            [0.3000, 0.4000]])
    """
    check_input((input,), {}, "renorm")
    data = input._data
    d = _one_dim(input, dim, "renorm")
    p, maxnorm = float(p), float(maxnorm)
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {_g(maxnorm)}")
    if data.ndim <= 1:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {data.ndim} "
                           f"dimensions")
    if data.dtype.kind != "f":
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor "
                           f"as input. Got {_type_name(data.dtype)}")
    others = tuple(i for i in builtins.range(data.ndim) if i != d)
    token = fp_errors_off()
    try:
        norm = _p_norm(data, p, others)
        factor = np.where(norm > maxnorm, maxnorm / (norm + 1e-7), 1).astype(data.dtype)
        result = _make(data * factor)
    finally:
        fp_errors_restore(token)
    node = record("RenormBackward0", _renorm_backward, (input,), result)
    if node:
        node.save_for_backward(input)
        node.p, node.axes, node.maxnorm = p, others, maxnorm
    return _write_maybe(result, out, "renorm")


def _p_norm(data, p, axes):
    """The p-norm of ``data`` over ``axes``, kept (accumulated as torch does: float16 in
    float32, then rounded)."""
    a = np.abs(data.astype(_acc_dtype(data.dtype), copy=False))
    if p == math.inf:
        norm = a.max(axis=axes, keepdims=True, initial=0)
    elif p == 1:
        norm = a.sum(axis=axes, keepdims=True)
    elif p == 2:
        norm = np.sqrt((a * a).sum(axis=axes, keepdims=True))
    else:
        norm = (a ** p).sum(axis=axes, keepdims=True) ** (1 / p)
    return norm.astype(data.dtype)


def _renorm_backward(ctx, grad):
    """torch's renorm_backward: where a slice was scaled (norm > maxnorm), the scale's
    own dependence on the input counts too: factor * g - factor / norm * dnorm."""
    (x,) = ctx.saved_tensors
    p, axes, maxnorm = ctx.p, ctx.axes, ctx.maxnorm
    absx = x.abs()
    if p == math.inf:
        norm = absx.amax(axes, keepdim=True)
        top = (absx == norm)
        dnorm = x.sign() * top / top.sum(axes, keepdim=True)
    elif p == 1:
        norm = absx.sum(axes, keepdim=True)
        dnorm = x.sign()
    else:
        norm = absx.pow(p).sum(axes, keepdim=True).pow(1 / p)
        dnorm = x.sign() * absx.pow(p - 1) / norm.pow(p - 1)
    nb = (x * grad).sum(axes, keepdim=True) * dnorm
    invnorm = (norm + 1e-7).reciprocal()
    factor = invnorm * maxnorm
    return (factor * grad - (factor * invnorm) * nb).where(norm > maxnorm, grad)


def _renorm_(self, p, dim, maxnorm):
    from .pointwise import assign_inplace, check_inplace
    check_inplace(self)
    return assign_inplace(self, renorm(_saved_copy(self), p, dim, maxnorm))


def _cumprod_(self, dim, *, dtype=None):
    from .pointwise import assign_inplace, check_inplace
    check_inplace(self)
    if dtype is not None and _dtypes.to_dtype(dtype).np != self._data.dtype:
        raise RuntimeError(f"Bad in-place call: input tensor dtype "
                           f"{_C_TYPE_NAMES[self._data.dtype.char]} and output tensor dtype "
                           f"{_C_TYPE_NAMES[_dtypes.to_dtype(dtype).np.char]} should match")
    return assign_inplace(self, cumprod(_saved_copy(self), dim, dtype=dtype))


# dtypes by their C++ names, as some of torch's messages give them
_C_TYPE_NAMES = {"?": "bool", "B": "unsigned char", "b": "signed char", "h": "short int",
                 "i": "int", "l": "long int", "q": "long int", "e": "c10::Half",
                 "f": "float", "d": "double"}


def _saved_copy(self):
    """The input an in-place op computes from: a copy when its backward will need the
    values that the write is about to replace."""
    return self.clone() if self._requires_grad and _grad_state.enabled else self


__all__ += ["quantile", "nanquantile", "diff", "histc", "histogram", "searchsorted",
            "bucketize", "trapezoid", "trapz", "cumulative_trapezoid", "cov", "corrcoef",
            "renorm", "gradient"]

bind(quantile=quantile, nanquantile=nanquantile, diff=diff, histc=histc,
     histogram=histogram, cov=cov, corrcoef=corrcoef, renorm=renorm,
     renorm_=_renorm_, cumprod_=_cumprod_)
