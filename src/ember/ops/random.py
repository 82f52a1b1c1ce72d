"""Sampling functions (rand, randn, randint, randperm, normal, bernoulli, poisson,
multinomial, ...) and the in-place fills (uniform_, normal_, bernoulli_, random_,
exponential_, geometric_, cauchy_, log_normal_).

Every function takes ``generator=``; without it the default generator of
:mod:`ember.random` is used. The draws are torch's, number for number and in the
same order, so a seeded program samples what it samples under torch (the kernels
are in :mod:`ember.ops._sampling`; poisson, binomial and the gamma family draw
from the same stream but with NumPy's algorithms). Samples carry no gradient: where torch records a node (normal,
bernoulli, poisson on a tensor that requires grad), ember records the same
node with a zero gradient, as torch does.

    >>> g = ember.Generator().manual_seed(0)
    >>> ember.randint(0, 10, (3,), generator=g).dtype
    torch.int64
"""

import warnings

import numpy as np

from .. import _dtypes
from .. import _memory_format as _mf
from .._arg_errors import MISSING as _MISSING   # (an argument left out)
from .._arg_errors import invalid_combination, missing_arguments, wrong_type
from .._device import to_device
from .._layout import check_layout
from .._tensor import Tensor, _make
from ..autograd.grad_mode import _state as _grad_state, NO_VERSION, check_inference_write
from ..autograd.graph import record
from ..random import Generator, pick
from . import _sampling
from ._common import bind, unbroadcast
from .creation import _finish, _is_index, _out, _out_dtype, _plain_shape
from .creation import _type_name as _arg_type_name
from .creation import _size as _parse_size

# the C type names torch's bound checks print
_CTYPE = {"uint8": "unsigned char", "int8": "signed char", "int16": "short", "int32": "int",
          "int64": "long", "bool": "bool"}


# ------------------------------------------------------------------ helpers
def _num(x):
    """A number as torch's messages print it: 1.0 -> 1, 0.5 -> 0.5."""
    return f"{x:g}" if isinstance(x, float) else str(x)


def _type_name(dt):
    return dt.legacy_name[:-len("Tensor")]


def _size(args, size, fn, unexpected=None, *, position=1, varargs=True):
    """The shape of f(2, 3), f((2, 3)), f([2, 3]) or f(size=(2, 3)), read as torch reads
    it (creation._size: ``rand(2, True)`` is 2 x 1, ``rand(True)`` an error)."""
    if size is None and not unexpected and varargs:
        shape = _plain_shape(args)      # the usual f(2, 3) or f((2, 3)): nothing to check
        if shape is not None:
            return shape
    if unexpected:      # (rand, randn: several signatures, so torch's parser lists them)
        raise _invalid_combination(fn, args, unexpected, _SIZE_OVERLOADS)
    if size is not None:
        if args:
            raise TypeError(f"{fn}() got multiple values for argument 'size'")
        shape = _parse_size(fn, (size,), keyword=True)
    elif not args:
        raise TypeError(f"{fn}() received an invalid combination of arguments - got (), but "
                        "expected one of:\n * (tuple of ints size, *, torch.Generator generator, "
                        "torch.dtype dtype, ...)")
    else:
        shape = _parse_size(fn, args, position=position, varargs=varargs, overloads=True)
    for d in shape:
        if d < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {d}: {list(shape)}")
    return shape


def _float_dtype(dtype, kernel="check_uniform_bounds"):
    dt = _dtypes.to_dtype(dtype) if dtype is not None else _dtypes.get_default_dtype()
    if not dt.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_type_name(dt)}\'')
    return dt


def _gen(generator, fn):
    """The ember Generator to draw from (the default one for None)."""
    if generator is not None and not isinstance(generator, Generator):
        raise TypeError(f"{fn}(): argument 'generator' must be torch.Generator, not "
                        f"{type(generator).__name__}")
    return pick(generator)


def _rng(generator, fn):
    """A NumPy Generator over the same stream, for the samplers ember does not match."""
    return _gen(generator, fn)._rng


def _count(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def _new(array, dtype, requires_grad=False, out=None):
    """A sample as a tensor of ``dtype`` (written into ``out``, resized to it, if given:
    ``dtype`` is then out's own, which _out_dtype chose)."""
    if out is None and type(array) is np.ndarray:     # the usual case: a fresh sample
        return _finish(array.astype(dtype.np, copy=False), requires_grad)
    return _out(_finish(np.asarray(array).astype(dtype.np, copy=False), requires_grad), out)


# the tail of the signatures torch's parser prints for its factory functions
_FACTORY_TAIL = ("Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, "
                 "torch.device device = None, bool pin_memory = False, bool requires_grad = "
                 "False)")


def _factory_overloads(*heads, tail=_FACTORY_TAIL):
    """torch's two overloads (with and without a generator) of each factory signature."""
    return "".join(f"\n * ({head}, *, torch.Generator generator, {tail}"
                   f"\n * ({head}, *, {tail}" for head in heads) + "\n"


def _invalid_combination(fn, args, keywords, overloads):
    """torch's parser's TypeError when no signature of ``fn`` takes the call: the types
    of the positional ``args`` and of the ``keywords`` (a dict), then the overloads
    (one string, a line for each: _factory_overloads)."""
    return invalid_combination(fn, args, keywords,
                               [line[3:] for line in overloads.strip("\n").split("\n")])


def _check_flags(fn, args, dtype, requires_grad, overloads):
    """torch's TypeError for a ``dtype`` that is no dtype (a name) or a ``requires_grad``
    that is no bool, given to ``fn`` (several signatures: its invalid combination).
    Called only when one of them is not plainly right."""
    if dtype is not None:
        try:
            _dtypes.keyword_dtype(dtype, fn)
        except TypeError:
            raise _invalid_combination(fn, args, {"dtype": dtype}, overloads) from None
    if requires_grad is not None and type(requires_grad) is not bool:
        raise _invalid_combination(fn, args, {"requires_grad": requires_grad}, overloads)


_SIZE_OVERLOADS = _factory_overloads("tuple of ints size")
_RANDINT_OVERLOADS = _factory_overloads("int high, tuple of ints size",
                                        "int low, int high, tuple of ints size")
_RANDPERM_OVERLOADS = _factory_overloads("int n")
_NORMAL_OVERLOADS = ("\n * (Tensor mean, Tensor std, *, torch.Generator generator = None, "
                     "Tensor out = None)\n * (Tensor mean, float std = 1, *, torch.Generator "
                     "generator = None, Tensor out = None)\n * (float mean, Tensor std, *, "
                     "torch.Generator generator = None, Tensor out = None)\n * (float mean, "
                     "float std, tuple of ints size, *, torch.Generator generator = None, "
                     f"{_FACTORY_TAIL}\n")
_BERNOULLI_OVERLOADS = ("\n * (Tensor input, *, torch.Generator generator = None, Tensor out "
                        "= None)\n * (Tensor input, float p, *, torch.Generator generator = "
                        "None)\n")


def _check_out_arg(fn, out, args, overloads, allowed=True):
    """torch's TypeError for an ``out=`` that is no Tensor (or, ``allowed`` false, that
    no overload takes): its parser finds no signature for the call."""
    if out is None or (allowed and isinstance(out, Tensor)):
        return
    raise _invalid_combination(fn, args, {"out": out}, overloads)


def _check_out_grad(fn, out, *inputs):
    """torch's error for out= when the out tensor or an input requires grad (grad on):
    a sample written into out has no graph to join."""
    if _grad_state.enabled and any(isinstance(t, Tensor) and t._requires_grad
                                   for t in (out,) + inputs):
        raise RuntimeError(f"{fn}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")


def _zero_grads(ctx, grad):
    """Sampling ops pass no gradient to their parameters (torch gives zeros)."""
    return tuple(unbroadcast(grad * 0, ctx.input_meta[i][0]) if ctx.needs_input_grad[i]
                 else None for i in range(len(ctx.needs_input_grad)))


# ------------------------------------------------------- uniform and normal
def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False, **kw):
    """Uniform samples on [0, 1).

    >>> ember.rand(2, 3).shape
    torch.Size([2, 3])
    """
    if layout is not None:
        check_layout("rand", layout)
    to_device(device)
    if (dtype is not None and type(dtype) is not _dtypes.dtype) or (
            requires_grad is not False and requires_grad is not True):
        _check_flags("rand", size, dtype, requires_grad, _SIZE_OVERLOADS)
    shape = _size(size, kw.pop("size", None), "rand", kw)
    if out is not None:     # out's dtype: an int or bool out fails as dtype=int would
        _check_out_arg("rand", out, size, _SIZE_OVERLOADS)
        dtype = _out_dtype("rand", dtype, out)
    dt = _float_dtype(dtype)
    draws = _sampling.uniform(_gen(generator, "rand"), _count(shape), dt.np, 0.0, 1.0)
    return _new(draws.reshape(shape), dt, requires_grad, out)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False, **kw):
    """Standard normal samples."""
    if layout is not None:
        check_layout("randn", layout)
    to_device(device)
    if (dtype is not None and type(dtype) is not _dtypes.dtype) or (
            requires_grad is not False and requires_grad is not True):
        _check_flags("randn", size, dtype, requires_grad, _SIZE_OVERLOADS)
    shape = _size(size, kw.pop("size", None), "randn", kw)
    if out is not None:
        _check_out_arg("randn", out, size, _SIZE_OVERLOADS)
        dtype = _out_dtype("randn", dtype, out)
    dt = _float_dtype(dtype, "normal_kernel_cpu")
    draws = _sampling.normal(_gen(generator, "randn"), _count(shape), dt.np, 0.0, 1.0)
    return _new(draws.reshape(shape), dt, requires_grad, out)


def _like_strides(fname, input, memory_format):
    """The strides of a sample shaped like ``input`` (its layout, by default), or None
    where a sample drawn in C order already has them (the usual case)."""
    if (memory_format is None or memory_format is _mf.preserve_format) and \
            _mf.keeps_c_order(input._data):
        return None
    return _mf.strides_for(input, _mf.check_format(fname, memory_format))


def _laid_out(result, strides):
    return result if strides is None else _mf.lay_out(result, strides)


_LIKE_TAIL = ("torch.memory_format memory_format = None, torch.dtype dtype = None, "
              "torch.layout layout = None, torch.device device = None, bool pin_memory = "
              "False, bool requires_grad = False)")


def _like_overloads(*heads):
    return _factory_overloads(*heads, tail=_LIKE_TAIL)


def _unexpected_keywords(fn, args, kw, overloads):
    """torch's TypeError for a keyword its ``*_like`` functions do not take (``out=``
    above all: they always make a new tensor)."""
    if kw:
        raise _invalid_combination(fn, args, kw, overloads)


def _checked_like_call(fn, input, extra, kw, dtype, layout, device, requires_grad,
                       memory_format):
    """rand_like's and randn_like's arguments checked as torch's parser checks them
    (its errors for a missing or non-tensor input, surplus or unknown arguments, a
    dtype or requires_grad of the wrong type); returns the result's strides."""
    if layout is not None:
        check_layout(fn, layout)
    if not isinstance(input, Tensor) or extra:
        if input is _MISSING or extra:
            given = () if input is _MISSING else (input, *extra)
            raise _invalid_combination(fn, given, kw, _like_overloads("Tensor input"))
        raise wrong_type(fn, "input", 1, "Tensor", input)
    _unexpected_keywords(fn, (input,), kw, _like_overloads("Tensor input"))
    if device is not None:
        to_device(device)
    if (dtype is not None and type(dtype) is not _dtypes.dtype) or (
            requires_grad is not False and requires_grad is not True):
        _check_flags(fn, (input,), dtype, requires_grad, _like_overloads("Tensor input"))
    return _like_strides(fn, input, memory_format)


def rand_like(input=_MISSING, *extra, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None, generator=None, pin_memory=False, **kw):
    """Uniform samples with the shape (and, by default, the dtype) of ``input``."""
    strides = _checked_like_call("rand_like", input, extra, kw, dtype, layout, device,
                                 requires_grad, memory_format)
    result = rand(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad,
                  generator=generator)
    return _laid_out(result, strides)


def randn_like(input=_MISSING, *extra, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None, generator=None, pin_memory=False, **kw):
    """Standard normal samples shaped like ``input``."""
    strides = _checked_like_call("randn_like", input, extra, kw, dtype, layout, device,
                                 requires_grad, memory_format)
    result = randn(input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad,
                   generator=generator)
    return _laid_out(result, strides)


def normal(mean=_MISSING, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None,
           device=None, pin_memory=False, requires_grad=False):
    """Normal samples, in torch's four forms::

        normal(mean_tensor, std_tensor)      # elementwise, broadcast
        normal(mean_tensor, std=1.0)
        normal(mean, std_tensor)
        normal(mean, std, size)              # two numbers and a shape

    >>> ember.normal(0.0, 1.0, size=(2,)).shape
    torch.Size([2])
    """
    if layout is not None:
        check_layout("normal", layout)
    gen = _gen(generator, "normal")
    mean_t, std_t = isinstance(mean, Tensor), isinstance(std, Tensor)
    if mean is _MISSING or (mean_t or std_t) and not (
            (mean_t or _is_real(mean)) and (std_t or _is_real(std))):
        given = () if mean is _MISSING else (mean,) if not std_t and std == 1.0 else (mean, std)
        raise _invalid_combination("normal", given, {}, _NORMAL_OVERLOADS)
    if not mean_t and not std_t:
        if size is None:
            raise TypeError("normal() received an invalid combination of arguments - got "
                            f"({type(mean).__name__}, {type(std).__name__}), but expected one "
                            "of:\n * (Tensor mean, Tensor std, *, torch.Generator generator, "
                            "Tensor out)\n * (Tensor mean, float std, ...)\n * (float mean, "
                            "Tensor std, ...)\n * (float mean, float std, tuple of ints size, "
                            "...)")
        if not (isinstance(size, (tuple, list)) and (not size or _is_index(size[0]))):
            # (not a size: none of normal's four signatures takes these arguments)
            raise TypeError("normal() received an invalid combination of arguments - got "
                            f"({_arg_type_name(mean)}, {_arg_type_name(std)}, "
                            f"{_arg_type_name(size)}), but expected one of:\n * (Tensor mean, "
                            "Tensor std, *, torch.Generator generator, Tensor out)\n * (Tensor "
                            "mean, float std, ...)\n * (float mean, Tensor std, ...)\n * (float "
                            "mean, float std, tuple of ints size, ...)")
        _check_out_arg("normal", out, (mean, std, size), _NORMAL_OVERLOADS)
        dtype = _out_dtype("normal", dtype, out)
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {_num(std)}")
        shape = _size((size,), None, "normal", varargs=False)
        dt = _float_dtype(dtype, "normal_kernel_cpu")
        draws = _sampling.normal(gen, _count(shape), dt.np, mean, std)
        return _new(draws.reshape(shape), dt, requires_grad, out)
    if size is not None:
        raise TypeError("normal() received an invalid combination of arguments - got (Tensor, "
                        "..., tuple), but expected one of:\n * (Tensor mean, Tensor std, ...)\n"
                        " * (float mean, float std, tuple of ints size, ...)")
    if out is not None:
        _check_out_arg("normal", out, (mean, std), _NORMAL_OVERLOADS)
        _check_out_grad("normal", out, mean, std)
        dt = out.dtype
    else:       # (torch samples in mean's dtype, or std's if mean is a number: no promotion)
        dt = (mean if mean_t else std).dtype
    m = mean._data if mean_t else mean
    s = std._data if std_t else std
    if std_t:
        if np.any(s < 0):
            raise RuntimeError("normal expects all elements of std >= 0.0")
    elif std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_num(std)}")
    # the shape: torch's broadcast of mean and std, except that with a number std it
    # broadcasts mean with out (out.normal_(0, std).add_(mean)), keeping a larger out
    shape_of = (mean, out) if out is not None and not std_t else (mean, std)
    try:
        shape = np.broadcast_shapes(*(np.shape(getattr(t, "_data", t)) for t in shape_of))
    except ValueError:
        from .pointwise import _broadcast_error
        raise _broadcast_error(*shape_of) from None
    _float_dtype(dt, "normal_kernel_cpu")       # (after the shapes, as torch checks)
    # torch: out.normal_(0, std) then out.add_(mean) for a number std, else
    # out.normal_(0, 1).mul_(std).add_(mean), each step rounded in the dtype
    draws = _sampling.normal(gen, _count(shape), dt.np, 0.0, 1.0 if std_t else s)
    draws = draws.reshape(shape)
    if std_t:
        draws = draws * np.asarray(s).astype(dt.np, copy=False)
    draws = (draws + np.asarray(m).astype(dt.np, copy=False)).astype(dt.np, copy=False)
    if out is not None:     # torch's resize_output: a warning if out had elements
        from .linalg import _write_out
        return _write_out(_make(draws), out)
    result = _finish(draws, False)
    name = "NormalBackward3" if mean_t and std_t else (
        "NormalBackward1" if mean_t else "NormalBackward2")
    record(name, _zero_grads, (mean if mean_t else None, std if std_t else None), result)
    return result


# ------------------------------------------------------------------ integers
def _is_real(x):
    """A number torch's parser reads as a float (bools too), but no string or list."""
    return isinstance(x, (int, float, np.integer, np.floating, np.bool_))


def _check_int_bounds(low, high, dt):
    """torch's checks that [low, high) fits the dtype: an error past its range; for a
    float dtype also a warning past the integers it holds exactly (2^digits)."""
    if dt.is_floating_point:
        info = np.finfo(dt.np)
        cname = _FLOAT_CTYPE[dt.name]
        for name, v in (("from", low), ("to - 1", high - 1)):
            if not float(info.min) <= v <= float(info.max):
                raise RuntimeError(f"{name} is out of bounds for {cname}")
        digits = info.nmant + 1
        for name, v in (("from", low), ("to - 1", high - 1)):
            if not -2 ** digits <= v <= 2 ** digits:
                warnings.warn(f"{name} is out of bounds [-(2^{digits}), 2^{digits}]. Due to "
                              f"precision limitations {cname} can support discrete uniform "
                              "distribution only within this range. This warning will become an "
                              "error in version 1.7 release, please fix the code in advance",
                              UserWarning, stacklevel=3)
        return
    lo, hi = _INT_RANGE[dt.name]
    if not lo <= low <= hi:
        raise RuntimeError(f"from is out of bounds for {_CTYPE[dt.name]}")
    if not lo <= high - 1 <= hi:
        raise RuntimeError(f"to - 1 is out of bounds for {_CTYPE[dt.name]}")


# [min, max] of each integer dtype (np.iinfo costs half a microsecond a call)
_INT_RANGE = {name: (int(np.iinfo(name).min), int(np.iinfo(name).max))
              for name in ("uint8", "int8", "int16", "int32", "int64")}
_INT_RANGE["bool"] = (0, 1)
_INT64_MAX = _INT_RANGE["int64"][1]
_FLOAT_CTYPE = {"float16": "c10::Half", "float32": "float", "float64": "double"}


def _check_from_to(low, high):
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got "
                           f"from={low} >= to={high}")


def _integers(gen, low, high, shape):
    """Uniform integers in [low, high) for any int64 range (high may be 2**63)."""
    return _sampling.integers(gen, _count(shape), low, high).reshape(shape)


def randint(*args, size=None, generator=None, out=None, dtype=None, layout=None, device=None,
            requires_grad=False, pin_memory=False, low=None, high=None):
    """Uniform integers in [low, high): ``randint(high, size)`` or ``randint(low, high, size)``.

    The dtype defaults to int64.

    >>> ember.randint(3, 10, (2, 2)).dtype
    torch.int64
    """
    if layout is not None:
        check_layout("randint", layout)
    to_device(device)
    plain = _plain_randint(args) if (size is None and low is None and high is None and
                                     dtype is None and out is None) else None
    if plain is not None:
        low, high, shape = plain
        return _new(_integers(_gen(generator, "randint"), low, high, shape), _dtypes.int64,
                    requires_grad)
    if (dtype is not None and type(dtype) is not _dtypes.dtype) or (
            requires_grad is not False and requires_grad is not True):
        _check_flags("randint", args, dtype, requires_grad, _RANDINT_OVERLOADS)
    if out is not None:     # (out's dtype, float ones too: torch fills them with integers)
        _check_out_arg("randint", out, args, _RANDINT_OVERLOADS)
    low, high, shape = _randint_args(args, size, low, high)
    dtype = _out_dtype("randint", dtype, out)
    dt = _dtypes.to_dtype(dtype) if dtype is not None else _dtypes.int64
    _check_from_to(low, high)
    _check_int_bounds(low, high, dt)
    return _new(_integers(_gen(generator, "randint"), low, high, shape), dt, requires_grad, out)


def _randint_args(args, size, low, high):
    """(low, high, shape) of randint(high, size) or randint(low, high, size), with the
    errors torch's parser gives: for the two-argument form the argument at fault
    ("argument 'high' (position 1) must be int, not bool"), for the three-argument form
    (which has several signatures) "received an invalid combination of arguments"."""
    # (the call as given: low, high and size are rebound below)
    keywords = {name: v for name, v in (("low", low), ("high", high), ("size", size))
                if v is not None}

    def invalid():
        raise _invalid_combination("randint", args, keywords, _RANDINT_OVERLOADS)

    if low is not None or high is not None:     # low=/high= keywords: no positional forms
        if args or high is None or size is None:
            invalid()
        three = low is not None
        low = 0 if low is None else low
        size_by_keyword = True
    else:
        size_by_keyword = size is not None
        positional = list(args) + ([size] if size_by_keyword else [])
        if len(positional) not in (2, 3):
            invalid()
        three = len(positional) == 3              # randint(low, high, size)
        low, high, size = positional if three else [0] + positional
    for name, v, pos in (("low", low, 1), ("high", high, 2 if three else 1)):
        if not _is_index(v) or isinstance(v, Tensor):
            if three:
                invalid()
            raise TypeError(f"randint(): argument '{name}' (position {pos}) must be int, not "
                            f"{_arg_type_name(v)}")
        if not -2 ** 63 <= v < 2 ** 63:      # torch reads the bounds as C longs
            raise ValueError("Overflow when unpacking long long")
    if three and not (isinstance(size, (tuple, list)) and (not size or _is_index(size[0]))):
        invalid()
    shape = _size(() if size_by_keyword else (size,), size if size_by_keyword else None,
                  "randint", position=3 if three else 2, varargs=False)
    return int(low), int(high), shape


def _plain_randint(args):
    """(low, high, shape) of the usual randint(high, size) or randint(low, high, size):
    Python ints with low < high inside int64's range and a tuple of non-negative Python
    ints. None for anything else, which the checked parsing in randint handles; in this
    case none of its checks (types, range, order, int64 bounds) could fail."""
    if len(args) == 3:
        low, high, size = args
    elif len(args) == 2:
        low, (high, size) = 0, args
    else:
        return None
    if type(low) is not int or type(high) is not int or type(size) is not tuple:
        return None
    if not -2 ** 63 <= low < high < 2 ** 63:
        return None
    shape = _plain_shape((size,))
    return None if shape is None else (low, high, shape)


def randint_like(input=_MISSING, low=_MISSING, high=None, *, dtype=None, layout=None, device=None,
                 requires_grad=False, memory_format=None, generator=None, pin_memory=False,
                 **kw):
    """Integers in [low, high) shaped like ``input``, keeping its dtype by default."""
    if layout is not None:
        check_layout("randint_like", layout)
    overloads = _like_overloads("Tensor input, int low, int high", "Tensor input, Tensor high",
                                "Tensor input, int high")
    given = tuple(a for a in (input, low, high) if a is not _MISSING and a is not None)
    _unexpected_keywords("randint_like", given, kw, overloads)
    if not isinstance(input, Tensor) or low is _MISSING or not _is_index(low) or (
            high is not None and not _is_index(high)):
        # (no signature takes the call: torch lists them all)
        if not isinstance(low, Tensor) or high is not None or not isinstance(input, Tensor):
            raise _invalid_combination("randint_like", given, {}, overloads)
    if high is None:
        low, high = 0, low
    strides = _like_strides("randint_like", input, memory_format)
    result = randint(low, high, tuple(input.shape), dtype=dtype or input.dtype,
                     requires_grad=requires_grad, generator=generator)
    return _laid_out(result, strides)


def randperm(n=_MISSING, *extra, generator=None, out=None, dtype=None, layout=None,
             device=None, requires_grad=False, pin_memory=False, **kw):
    """A random permutation of 0 .. n-1 (int64 by default).

    >>> sorted(ember.randperm(4).tolist())
    [0, 1, 2, 3]
    """
    if layout is not None:
        check_layout("randperm", layout)
    if n is _MISSING or extra or kw:        # (no signature of torch's takes the call)
        given = () if n is _MISSING else (n, *extra)
        raise _invalid_combination("randperm", given, kw, _RANDPERM_OVERLOADS)
    if (dtype is not None and type(dtype) is not _dtypes.dtype) or (
            requires_grad is not False and requires_grad is not True):
        _check_flags("randperm", (n,), dtype, requires_grad, _RANDPERM_OVERLOADS)
    to_device(device)
    _check_out_arg("randperm", out, (n,), _RANDPERM_OVERLOADS)
    if not _is_index(n) or isinstance(n, Tensor):
        raise TypeError(f"randperm(): argument 'n' (position 1) must be int, not "
                        f"{_arg_type_name(n)}")
    n = int(n)
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    dtype = _out_dtype("randperm", dtype, out)
    dt = _dtypes.to_dtype(dtype) if dtype is not None else _dtypes.int64
    if dt is _dtypes.bool:
        raise NotImplementedError("\"randperm\" not implemented for 'Bool'")
    if dt.is_floating_point:        # every index must be exact in the float dtype
        limit, text = _RANDPERM_FLOAT_LIMIT[dt.name]
        if n > limit:
            raise RuntimeError(f"n cannot be greater than {text} for {_type_name(dt)} type.")
    elif n - 1 > _INT_RANGE[dt.name][1]:
        raise RuntimeError(f"value cannot be converted to type {dt.name}_t without overflow")
    return _new(_sampling.permutation(_gen(generator, "randperm"), n), dt, requires_grad, out)


# the largest n whose permutation a float dtype holds exactly, as torch words it
_RANDPERM_FLOAT_LIMIT = {"float16": (2 ** 11 + 1, "2049"), "float32": (2 ** 24 + 1, "2^24+1"),
                         "float64": (2 ** 53 + 1, "2^53+1")}


# ------------------------------------------------------- discrete samplers
def bernoulli(input=_MISSING, p=None, *, generator=None, out=None):
    """0/1 samples: each element is 1 with probability ``input`` (or ``p`` if given).

    The result keeps the input's dtype.

    >>> ember.bernoulli(ember.tensor([0.0, 1.0]))
    tensor([0., 1.])
    """
    if not isinstance(input, Tensor) or (p is not None and not isinstance(p, (int, float))):
        _bernoulli_error(input, p)
    if out is not None:     # (only the one-argument form takes out=: the draws of input)
        _check_out_arg("bernoulli", out, (input,) if p is None else (input, p),
                       _BERNOULLI_OVERLOADS, allowed=p is None)
        _check_out_grad("bernoulli", out, input)
    gen = _gen(generator, "bernoulli")
    if p is not None:       # torch: empty_like(input).bernoulli_(p)
        draws = _coin_flips(gen, p, tuple(input.shape))
        result = _new(draws, input.dtype, out=out)
        record("BernoulliBackward1", _zero_grads, (input,), result)
        return result
    if not input.is_floating_point():
        raise NotImplementedError(f'"bernoulli_tensor_cpu_p_" not implemented for '
                                  f"'{_type_name(input.dtype)}'")
    _check_probs(input._data)
    draws = _sampling.coin_flips_by(gen, input._data.reshape(-1), input.dtype.name == "float64")
    draws = draws.reshape(input.shape)
    if out is not None:
        # 0/1 in out's dtype, out resized to input's shape without a warning; torch's
        # bernoulli keeps out's requires_grad (possible only under no_grad)
        if out._vc is NO_VERSION:
            check_inference_write()
        if out.shape == input.shape:
            np.copyto(out._data, draws, casting="unsafe")
        else:
            out._data = draws.astype(out._data.dtype)
        out._bump_version()
        return out
    result = _new(draws, input.dtype)
    record("BernoulliBackward0", _zero_grads, (input,), result)
    return result


def _bernoulli_error(input, p):
    """torch's TypeError for a bernoulli call that no signature takes."""
    if input is _MISSING:
        raise _invalid_combination("bernoulli", (), {}, _BERNOULLI_OVERLOADS)
    if not isinstance(input, Tensor):
        raise wrong_type("bernoulli", "input", 1, "Tensor", input)
    if not isinstance(p, (float, np.floating, np.integer, np.bool_, Tensor)):
        raise _invalid_combination("bernoulli", (input, p), {}, _BERNOULLI_OVERLOADS)


def _check_probs(p):
    if not np.all((p >= 0) & (p <= 1)):
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could "
                           "this error message be improved?  If so, please report an "
                           "enhancement request to PyTorch.)")


def _coin_flips(gen, p, shape):
    """bernoulli_(p) on a tensor of this shape: p a number (a double each) or a tensor
    of probabilities, broadcast (a float each, a double for float64 probabilities)."""
    probs = _bernoulli_p(p, shape)
    if isinstance(p, Tensor):
        flat = np.broadcast_to(probs, shape).reshape(-1)
        return _sampling.coin_flips_by(gen, flat, p.dtype.name == "float64").reshape(shape)
    return _sampling.coin_flips(gen, _count(shape), probs).reshape(shape)


def dropout_noise(input, p):
    """torch's dropout noise for ``input``: each element 1 / (1 - p) with probability
    1 - p, else 0 (``empty_like(input).bernoulli_(1 - p).div_(1 - p)``), in input's
    dtype, drawn from the default generator."""
    keep = 1.0 - p
    flips = _sampling.coin_flips(pick(None), input.numel(), keep).reshape(input.shape)
    scale = np.asarray(1, input.dtype.np) / np.asarray(keep).astype(input.dtype.np)
    return _make(flips * scale.astype(input.dtype.np))


def _bernoulli_p(p, shape):
    """The probabilities for bernoulli_(p) / bernoulli(x, p): a number or a tensor."""
    if isinstance(p, Tensor):
        probs = p._data
        _check_probs(probs)
        if p.ndim == 0:
            return probs
        try:
            return np.broadcast_to(probs, shape)
        except ValueError:
            dim = next(i for i in range(1, len(shape) + 1)
                       if i > probs.ndim or probs.shape[-i] not in (1, shape[-i]))
            existing = probs.shape[-dim] if dim <= probs.ndim else 1
            raise RuntimeError(
                f"The expanded size of the tensor ({shape[-dim]}) must match the existing size "
                f"({existing}) at non-singleton dimension {len(shape) - dim}.  Target sizes: "
                f"{list(shape)}.  Tensor sizes: {list(probs.shape)}") from None
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={_num(p)}")
    return p


def poisson(input, generator=None):
    """Poisson samples with rates ``input`` (float dtypes only)."""
    if not input.is_floating_point():
        raise NotImplementedError(f'"poisson_cpu" not implemented for '
                                  f"'{_type_name(input.dtype)}'")
    rates = input._data
    if not np.all(rates >= 0):
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    result = _new(_rng(generator, "poisson").poisson(rates), input.dtype)
    record("PoissonBackward0", _zero_grads, (input,), result)
    return result


def binomial(count, prob, generator=None):
    """Binomial samples: successes in ``count`` trials of probability ``prob``."""
    if not count.is_floating_point():
        raise ValueError(f"binomial only supports floating-point dtypes for count, got: "
                         f"{_type_name(count.dtype)}")
    n, p = np.broadcast_arrays(count._data, prob._data if isinstance(prob, Tensor) else prob)
    draws = _binomial_draws(_rng(generator, "binomial"), n, p)
    result = _new(draws, _dtypes.result_type(count, prob) if isinstance(prob, Tensor)
                  else count.dtype)
    record("BinomialBackward0", _zero_grads, (count, prob), result)
    return result


def _binomial_draws(rng, count, prob):
    """Binomial draws (float64) for any float ``count`` and ``prob``, by torch's rules
    (its sampler takes what validation would refuse): 0 where count <= 0 or prob <= 0;
    ``count`` itself where prob >= 1 (2.7 stays 2.7); NaN where prob is NaN; otherwise
    successes in floor(count) trials, drawn as count minus the failures when prob > 0.5
    (so a fractional count keeps its fraction, as torch's does).

    A NaN or infinite count (torch hangs on NaN and gives inf or NaN at random for
    inf) gives NaN; a count past int64 draws from the normal approximation.

    >>> _binomial_draws(np.random.default_rng(0), np.array([-1., 2.7, 4.]), np.array([.5, 1., 0.]))
    array([0. , 2.7, 0. ])
    """
    with np.errstate(invalid="ignore"):
        count, prob = count.astype(np.float64), prob.astype(np.float64)
        zero = (count <= 0) | (prob <= 0)
        whole = ~zero & (prob >= 1)
        draw = ~zero & ~whole & ~np.isnan(prob) & np.isfinite(count)
        flip = prob > 0.5                     # draw failures instead, as torch does
        q = np.where(flip, 1.0 - prob, prob)[draw]
        trials = np.floor(count[draw])
        huge = trials >= 2.0 ** 63            # (NumPy's sampler takes int64 trials only)
        k = np.empty(trials.shape)
        k[~huge] = rng.binomial(trials[~huge].astype(np.int64), q[~huge])
        if huge.any():
            n_h, q_h = trials[huge], q[huge]
            approx = n_h * q_h + np.sqrt(n_h * q_h * (1 - q_h)) * rng.standard_normal(n_h.shape)
            k[huge] = np.clip(np.round(approx), 0, n_h)
        out = np.full(count.shape, np.nan)
        out[zero] = 0.0
        out[whole] = count[whole]
        out[draw] = np.where(flip[draw], count[draw] - k, k)
    return out


def multinomial(input=_MISSING, num_samples=_MISSING, replacement=False, *, generator=None,
                out=None, _first=1):
    """Indices drawn from the categories of each row of ``input`` (weights, not
    necessarily normalised). Without replacement an index never repeats in a row.

    >>> ember.multinomial(ember.tensor([0.0, 1.0]), 2, replacement=True)
    tensor([1, 1])
    """
    if not isinstance(input, Tensor) or type(num_samples) is not int or (
            replacement is not False and replacement is not True):
        num_samples = _multinomial_args(input, num_samples, replacement, _first)
    if not input.is_floating_point():
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{_type_name(input.dtype)}")
    if input.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if out is not None:
        if not isinstance(out, Tensor):
            raise TypeError(f"multinomial(): argument 'out' must be Tensor, not "
                            f"{_arg_type_name(out)}")
        if out.dtype is not _dtypes.int64:
            raise RuntimeError(f"multinomial expects Long tensor out, got: "
                               f"{_type_name(out.dtype)}")
    n = int(num_samples)
    if n <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    k = input.shape[-1]
    if k == 0 and replacement and n == 1:
        # (torch's one-draw path checks the weights' range first, and fails on none)
        raise RuntimeError("aminmax(): cannot compute aminmax over an empty dimension as the "
                           "operation has no identity.")
    if not replacement and n > k:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    p = input._data.astype(np.float64).reshape(input.shape if input.ndim == 2 else (1, k))
    _check_weights(p, several_with_replacement=replacement and n > 1)
    gen = _gen(generator, "multinomial")
    weights = input._data.reshape(p.shape)
    if replacement and n > 1:
        idx = _draw_categories(gen, weights, n)
    else:
        # torch's race: category i finishes at E_i / w_i (E_i exponential, in the input's
        # dtype); the n largest w_i / E_i win, each next one with probability ∝ w_i
        race = _sampling.exponential(gen, weights.size, 1.0).astype(weights.dtype)
        with np.errstate(divide="ignore", invalid="ignore"):
            score = weights / race.reshape(weights.shape)
        idx = np.argsort(-score, axis=1, kind="stable")[:, :n]
    idx = idx.reshape(input.shape[:-1] + (n,))
    return _new(idx, _dtypes.int64, out=out)


def _multinomial_args(input, num_samples, replacement, first):
    """multinomial's ``num_samples`` as an int, or torch's TypeError for the arguments
    (``first``: the position of ``input``, 0 in the method, which takes it as self)."""
    missing = [name for name, value in (("input", input), ("num_samples", num_samples))
               if value is _MISSING]
    if missing:
        raise missing_arguments("multinomial", missing)
    if not isinstance(input, Tensor):
        raise wrong_type("multinomial", "input", first, "Tensor", input)
    if isinstance(num_samples, (bool, np.bool_)) or not _is_index(num_samples) or \
            isinstance(num_samples, Tensor) and num_samples.ndim:
        raise wrong_type("multinomial", "num_samples", first + 1, "int", num_samples)
    if replacement is not False and replacement is not True:
        raise wrong_type("multinomial", "replacement", first + 2, "bool", replacement)
    return int(num_samples)


def _check_weights(p, several_with_replacement):
    """torch's checks of the weights p (rows, k), with the message of its path: drawing
    one index, or drawing without replacement, checks the whole tensor at once; drawing
    several with replacement walks the rows in order and names the first bad entry of a
    row (NaN fails "< 0", then +inf fails "infinity or NaN") before that row's sum."""
    if not several_with_replacement:
        if not np.all(np.isfinite(p) & (p >= 0)):
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        if np.any(p.sum(axis=1) <= 0):
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        return
    not_nonneg = ~(p >= 0)                                   # NaN and -inf included
    bad_entry = not_nonneg | np.isposinf(p)
    entry_in_row = bad_entry.any(axis=1)
    bad_row = entry_in_row | (np.where(entry_in_row, 1.0, p.sum(axis=1)) <= 0)
    if not bad_row.any():
        return
    r = int(np.argmax(bad_row))
    if not entry_in_row[r]:
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    what = "< 0" if not_nonneg[r, np.argmax(bad_entry[r])] else "= infinity or NaN"
    raise RuntimeError(f"invalid multinomial distribution (encountering probability entry "
                       f"{what})")


def _draw_categories(gen, weights, n):
    """n indices per row of weights (rows, k), with replacement, as torch draws them: the
    running sum of the weights in their dtype, divided by the total, its last entry
    set to 1; for each draw a double u on [0, 1), the first category whose cumulative
    weight reaches u (a binary search)."""
    rows, k = weights.shape
    cdf = np.cumsum(weights, axis=1, dtype=weights.dtype)
    cdf = cdf / cdf[:, -1:]
    cdf[:, -1] = 1
    u = _sampling.unit_double(gen, rows * n).reshape(rows, n)
    cdf = cdf.astype(np.float64)
    if rows * n * k <= 1 << 22:
        return (u[:, :, None] > cdf[:, None, :]).sum(axis=2)
    return np.stack([np.searchsorted(cdf[r], u[r], side="left") for r in range(rows)])


def _standard_gamma(concentration, *, generator=None):
    """Gamma(concentration, 1) samples, differentiable w.r.t. the concentration by implicit
    reparameterisation (dx/dα = -(∂F/∂α)/f at the sample, F the cdf, f the density)."""
    alpha = concentration._data
    draws = _rng(generator, "_standard_gamma").standard_gamma(alpha.astype(np.float64))
    result = _new(draws, concentration.dtype)
    node = record("StandardGammaBackward0", _standard_gamma_backward, (concentration,), result)
    if node:
        node.save_for_backward(concentration, result.detach())
    return result


def _standard_gamma_backward(ctx, grad):
    from .special import standard_gamma_grad_np
    alpha, x = ctx.saved_tensors
    local = standard_gamma_grad_np(x._data, alpha._data).astype(x._data.dtype)
    return (grad * _make(local),)


# ------------------------------------------------------------ in-place fills
def _fill(self, values):
    """Write samples into self's memory (shared with its views and .data) and bump the version."""
    from .pointwise import check_inplace
    check_inplace(self)
    if self._vc is NO_VERSION:
        check_inference_write()     # (before any byte changes; torch checks only after)
    np.copyto(self._data, np.asarray(values), casting="unsafe")
    self._bump_version()
    return self


def _fill_drawn(self, draw):
    """Fill self with draw(n, contiguous) (n flat samples), laid out in the order torch
    writes them: memory order, the dimension with the smallest stride fastest."""
    data = self._data
    if data.flags.c_contiguous or data.ndim < 2:
        return _fill(self, draw(data.size, data.flags.c_contiguous).reshape(data.shape))
    order = sorted(range(data.ndim), key=lambda d: -abs(data.strides[d]))
    values = draw(data.size, False).reshape([data.shape[d] for d in order])
    return _fill(self, values.transpose(np.argsort(order)))


def _require_float(self, kernel):
    if not self.is_floating_point():
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_type_name(self.dtype)}\'')


def uniform_(self, a=0.0, b=1.0, *, generator=None, **kw):
    """Fill in place with samples from U[a, b).

    >>> w = ember.empty(3); _ = w.uniform_(-1, 1)
    """
    a, b = kw.pop("from", a), kw.pop("to", b)
    if kw:
        raise TypeError(f"uniform_() got an unexpected keyword argument '{next(iter(kw))}'")
    _require_float(self, "check_uniform_bounds")
    if a > b:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found "
                           f"from={_num(a)} > to={_num(b)}")
    gen = _gen(generator, "uniform_")
    return _fill_drawn(self, lambda n, contiguous: _sampling.uniform(gen, n, self.dtype.np, a, b))


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fill in place with samples from N(mean, std^2): ``w.data.normal_(0, 0.01)``."""
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_num(std)}")
    if self.numel() == 0:       # torch returns before looking at the dtype (an in-place
        return _fill(self, self._data)      # op all the same: the version moves on)
    _require_float(self, "normal_kernel_cpu")
    gen = _gen(generator, "normal_")
    return _fill_drawn(self, lambda n, contiguous: _sampling.normal(
        gen, n, self.dtype.np, mean, std, contiguous))


def bernoulli_(self, p=0.5, *, generator=None):
    """Fill in place with 0/1, each 1 with probability p (a number or a tensor)."""
    return _fill(self, _coin_flips(_gen(generator, "bernoulli_"), p, tuple(self.shape)))


def random_(self, *args, generator=None, **kw):
    """Fill in place with integers: ``random_()`` over [0, 2^mantissa] (floats) or
    [0, max] (integers), ``random_(to)`` over [0, to), ``random_(from, to)``."""
    args = list(args)
    if "from" in kw:
        args.insert(0, kw.pop("from"))
    if "to" in kw:
        args.append(kw.pop("to"))
    if kw:
        raise TypeError(f"random_() got an unexpected keyword argument '{next(iter(kw))}'")
    for a in args:
        if a is not None and (not isinstance(a, (int, np.integer)) or isinstance(a, bool)):
            raise TypeError("random_() received an invalid combination of arguments - got ("
                            + ", ".join(type(x).__name__ for x in args) + "), but expected one "
                            "of:\n * (*, torch.Generator generator)\n * (int from, int to, *, "
                            "torch.Generator generator)\n * (int to, *, torch.Generator "
                            "generator)")
    dt = self.dtype
    top = _random_top(dt)
    if not args:
        low, high = 0, top + 1
    elif len(args) == 1:
        low, high = 0, int(args[0])
    else:
        low = int(args[0])
        high = top + 1 if args[1] is None else int(args[1])
    _check_from_to(low, high)
    _check_int_bounds(low, high, dt)
    gen = _gen(generator, "random_")
    if not args:
        return _fill_drawn(self, lambda n, contiguous: _sampling.full_range(gen, n, dt))
    return _fill_drawn(self, lambda n, contiguous: _sampling.integers(gen, n, low, high))


def _random_top(dt):
    """The largest value random_() draws for a dtype: 2^mantissa for floats, max for ints."""
    if dt.is_floating_point:
        return 2 ** (np.finfo(dt.np).nmant + 1)
    if dt.name == "bool":
        return 1
    return int(np.iinfo(dt.np).max)


def exponential_(self, lambd=1.0, *, generator=None):
    """Fill in place with Exponential(lambd) samples (rate lambd)."""
    if not self.is_floating_point():
        raise RuntimeError("Exponential distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified "
                           f"{_type_name(self.dtype)}")
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={_num(lambd)}")
    gen = _gen(generator, "exponential_")
    return _fill_drawn(self, lambda n, contiguous: _sampling.exponential(gen, n, lambd))


def geometric_(self, p, *, generator=None):
    """Fill in place with Geometric(p) samples: the number of trials up to the first
    success (1, 2, ...)."""
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={_num(p)}")
    gen = _gen(generator, "geometric_")
    return _fill_drawn(self, lambda n, contiguous: _sampling.geometric(gen, n, p))


def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    """Fill in place with Cauchy(median, sigma) samples."""
    if not self.is_floating_point():
        # this check prints the C++ type's name (long int), unlike exponential_'s (Long)
        cname = {"int64": "long int", "int16": "short int"}.get(self.dtype.name,
                                                                 _CTYPE[self.dtype.name])
        raise RuntimeError("Cauchy distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified {cname}")
    if not sigma > 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={_num(sigma)}")
    gen = _gen(generator, "cauchy_")
    return _fill_drawn(self, lambda n, contiguous: _sampling.cauchy(gen, n, median, sigma))


def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    """Fill in place with exp(N(mean, std^2)) samples."""
    _require_float(self, "log_normal_cpu")
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={_num(std)}")
    gen = _gen(generator, "log_normal_")
    return _fill_drawn(self, lambda n, contiguous: _sampling.log_normal(gen, n, mean, std))


def _bernoulli_method(self, p=None, *, generator=None):
    return bernoulli(self, p, generator=generator)


def _multinomial_method(self, num_samples=_MISSING, replacement=False, *, generator=None):
    return multinomial(self, num_samples, replacement, generator=generator, _first=0)


bind(uniform_=uniform_, normal_=normal_, bernoulli_=bernoulli_, random_=random_,
     exponential_=exponential_, geometric_=geometric_, cauchy_=cauchy_, log_normal_=log_normal_,
     bernoulli=_bernoulli_method, multinomial=_multinomial_method)
