"""ember: a deep learning framework in readable Python on NumPy, with PyTorch's API.

    import ember as torch
    x = torch.arange(4.0, requires_grad=True)
    y = 2 * torch.dot(x, x)
    y.backward()
    x.grad          # tensor([ 0.,  4.,  8., 12.])

This module only gathers public names; see docs/architecture.md for the layers.
"""
from ._dtypes import (dtype, bool, uint8, int8, int16, int32, int64, float16, float32, float64,
                      half, float, double, short, int, long, bfloat16, set_default_dtype,
                      get_default_dtype, promote_types, can_cast)
from ._dtypes import set_default_tensor_type
from ._device import device
from ._size import Size
from ._type_info import finfo, iinfo
from ._memory_format import (memory_format, preserve_format, contiguous_format, channels_last,
                             channels_last_3d)
from ._layout import (layout, strided, sparse_coo, sparse_csr, sparse_csc, sparse_bsr,
                      sparse_bsc, jagged, _mkldnn)
from ._tensor import Tensor
from . import ops as _ops
from .ops.pointwise import (
    rsub, float_power, frexp, acosh, asinh, atanh, arccosh, arcsinh, arctanh, deg2rad, rad2deg,
    sinc, logit, positive, isreal, ldexp, nextafter, gcd, lcm, heaviside, addcmul, addcdiv,
    bitwise_left_shift, bitwise_right_shift, isin)
from .ops.pointwise import (
    abs_, acos_, acosh_, addmv_, arccos_, arccosh_, arcsin_, arcsinh_, arctan_, arctanh_, asin_,
    asinh_, atan_, atanh_, ceil_, clamp_, clamp_max_, clamp_min_, clip_, cos_, cosh_, deg2rad_,
    detach_, erf_, erfc_, exp2_, exp_, expm1_, fix_, floor_, frac_, gcd_, i0_, lcm_, ldexp_,
    log10_, log1p_, log2_, log_, logit_, nan_to_num_, neg_, negative_, rad2deg_, reciprocal_,
    relu_, round_, rsqrt_, sigmoid_, sin_, sinc_, sinh_, sqrt_, square_, tan_, tanh_, trunc_,
    xlogy_, fill_as_function as fill_, zero_as_function as zero_)
from .ops.special import i0, mvlgamma
from .ops.complex_helpers import (conj, conj_physical, conj_physical_, resolve_conj,
                                 resolve_neg, is_conj, is_neg, real, imag, angle, view_as_real,
                                 view_as_complex, complex, polar)
from .ops.pointwise import atan2, arctan2, copysign, hypot, logaddexp, logaddexp2, signbit
from .ops.pointwise import (
    add, sub, subtract, mul, multiply, div, divide, true_divide, floor_divide, remainder, fmod,
    pow, maximum, minimum, fmax, fmin, clamp, clip, clamp_min, clamp_max, lerp, where, clone,
    neg, negative, abs, absolute, sign, sgn, exp, exp2, expm1, log, log1p, log2, log10, sqrt,
    rsqrt, reciprocal, sin, cos, tan, asin, acos, atan, arcsin, arccos, arctan, sinh, cosh, tanh,
    sigmoid, relu, floor, ceil, trunc, fix, frac, square, round, nan_to_num,
    eq, ne, lt, le, gt, ge, greater, greater_equal, less, less_equal, not_equal,
    logical_and, logical_or, logical_xor, logical_not, bitwise_and, bitwise_or, bitwise_xor,
    bitwise_not, isnan, isinf, isfinite, isposinf, isneginf, isclose, allclose, equal)
from .ops.shape import (
    reshape, flatten, ravel, unflatten, squeeze, unsqueeze, permute, transpose,
    swapaxes, swapdims, t, movedim, moveaxis, flip, fliplr, flipud, roll, broadcast_to,
    broadcast_tensors, broadcast_shapes, cat, concat, concatenate, stack, hstack, vstack, split,
    chunk, tensor_split, unbind, narrow, select, tril, triu, diagonal, diag)
from .ops.shape import (
    tile, repeat_interleave, atleast_1d, atleast_2d, atleast_3d, rot90, dstack, column_stack,
    hsplit, vsplit, dsplit, row_stack, split_with_sizes, narrow_copy, as_strided, as_strided_)
from .ops.index import (gather, scatter, scatter_add, index_select, index_add, masked_fill,
                        masked_select, nonzero, argwhere, take, index_put)
from .ops.index import (
    index_put_, index_fill, take_along_dim, index_copy, masked_scatter, put, select_scatter,
    slice_scatter, diagonal_scatter, scatter_reduce, index_reduce, unravel_index)
from .ops.reduce import cummin, nanmedian, logcumsumexp, mode
from .ops.reduce import (quantile, nanquantile, diff, histc, histogram, searchsorted, bucketize,
                         trapezoid, trapz, cumulative_trapezoid, cov, corrcoef, renorm)
from .ops.reduce import gradient
from .ops.reduce import (
    sum, nansum, mean, nanmean, prod, max, min, amax, amin, aminmax, argmax, argmin, var, std,
    var_mean, std_mean, norm, logsumexp, cumsum, cumprod, cummax, all, any, count_nonzero, sort,
    argsort, msort, topk, kthvalue, median, unique, unique_consecutive, bincount)
from .ops.linalg import (matmul, mm, mv, dot, inner, vdot, bmm, outer, ger, addmm, einsum,
                         tensordot)
from .serialization import save, load
from . import linalg
from .linalg.legacy import det, logdet, slogdet, inverse, pinverse, matrix_power, svd
from .linalg.legacy import (cholesky, qr, triangular_solve, cholesky_solve, cholesky_inverse,
                            cross, chain_matmul, dist, matrix_rank, solve, lstsq, symeig, eig)
from .linalg.add_products import addmv, addr, baddbmm, addbmm
from .linalg.structured import kron, trace, block_diag, diag_embed, diagflat, vander, adjoint
from .linalg.combinatorics import cartesian_prod, combinations
from .linalg.matrix_exp import matrix_exp_function as matrix_exp
from .ops.creation import (tensor, as_tensor, asarray, from_numpy, zeros, ones, empty, full,
                           zeros_like, ones_like, empty_like, full_like, arange, linspace,
                           logspace, eye, scalar_tensor, meshgrid)
from .ops.creation import tril_indices, triu_indices, empty_strided
from .ops.creation import fill, frombuffer, resize_as_
from .ops.creation import range_ as range  # noqa: A001  (torch.range, deprecated)
from . import autograd
from . import random
from .random import Generator, manual_seed, seed, initial_seed, get_rng_state, set_rng_state
from .random import default_generator
from .ops.random import (rand, randn, rand_like, randn_like, randint, randint_like, randperm,
                         normal, bernoulli, poisson, binomial, multinomial, _standard_gamma)
from .ops.special import lgamma, digamma, polygamma, erf, erfc, erfinv, xlogy, igamma, igammac
from . import special
from . import distributions
from .autograd import no_grad, enable_grad, set_grad_enabled, inference_mode, is_grad_enabled
from .autograd.grad_mode import is_inference_mode_enabled
from .autograd.grad_mode import is_inference
from .autograd.grad_mode import is_anomaly_enabled, is_anomaly_check_nan_enabled
from ._runtime import (get_num_threads, set_num_threads, get_num_interop_threads,
                       set_num_interop_threads, use_deterministic_algorithms,
                       are_deterministic_algorithms_enabled,
                       is_deterministic_algorithms_warn_only_enabled,
                       set_deterministic_debug_mode, get_deterministic_debug_mode,
                       set_default_device, get_default_device, set_warn_always,
                       is_warn_always_enabled, set_flush_denormal)
from ._runtime import set_float32_matmul_precision, get_float32_matmul_precision
from ._runtime import set_anomaly_enabled, init_num_threads
from .ops.predicates import is_nonzero, is_same_size, is_signed, get_device
from .ops.predicates import _ABSENT, _tensor_argument
from ._printing import set_printoptions, get_printoptions
from .ops.nn_ops import softmax, log_softmax
from . import nn
from . import optim
from . import utils


def is_tensor(obj):
    """True if ``obj`` is an ember Tensor."""
    return isinstance(obj, Tensor)


def _tensor_input(fname, input):
    """``input``, which torch's functional forms take only as a Tensor (a number raised a
    raw AttributeError)."""
    return _tensor_argument(fname, "input", input, 1)


def is_floating_point(input=_ABSENT):
    """True if ``input`` has a floating point dtype: ``ember.is_floating_point(ember.ones(1))``."""
    return _tensor_input("is_floating_point", input).is_floating_point()


def is_complex(input=_ABSENT):
    """True if ``input`` has a complex dtype (never, in ember, which has none)."""
    return _tensor_input("is_complex", input).is_complex()


def numel(input=_ABSENT):
    """The number of elements of ``input``: ``ember.numel(ember.ones(2, 3))`` is 6."""
    return _tensor_input("numel", input).numel()


def detach(input=_ABSENT):
    """``input.detach()``."""
    return _tensor_input("detach", input).detach()


_RESULT_TYPE_SIGNATURES = (("Tensor tensor", "Tensor other"), ("Number scalar", "Tensor tensor"),
                           ("Tensor tensor", "Number other"), ("Number scalar1", "Number scalar2"))


def result_type(*args, **kwargs):
    """The dtype ``tensor op other`` would have: ``result_type(ember.ones(1), 2.0)`` is
    float32. Each argument is a Tensor or a number; torch's TypeError otherwise."""
    import numbers
    import numpy as _np
    from ._dtypes import result_type as _result_type
    from .ops._common import _type_name

    def fits(kind, x):
        return isinstance(x, Tensor) if kind == "Tensor" else \
            isinstance(x, (numbers.Number, _np.bool_)) and not isinstance(x, Tensor)

    for params in _RESULT_TYPE_SIGNATURES:
        kinds, names = zip(*(p.split() for p in params))
        if len(args) + len(kwargs) != 2 or set(kwargs) - set(names[len(args):]):
            continue
        values = args + tuple(kwargs[n] for n in names[len(args):])
        if fits(kinds[0], values[0]) and fits(kinds[1], values[1]):
            return _result_type(*values)
    # (torch lists the keywords last given first, each with a ", " after it when no
    # positional argument comes before them)
    named = [f"{k}={_type_name(v)}" for k, v in reversed(kwargs.items())]
    got = ", ".join([_type_name(x) for x in args] + named) if args else \
        "".join(f"{n}, " for n in named)
    lines = [f"result_type() received an invalid combination of arguments - got ({got}), but "
             f"expected one of:"]
    for params in _RESULT_TYPE_SIGNATURES:
        lines.append(f" * ({', '.join(params)})")
        if len(args) == 2 and not kwargs:
            # torch marks !each argument! but a Tensor given for a Tensor parameter
            shown = ", ".join(_type_name(x) if p.startswith("Tensor") and isinstance(x, Tensor)
                              else f"!{_type_name(x)}!" for p, x in zip(params, args))
            lines.append(f"      didn't match because some of the arguments have invalid "
                         f"types: ({shown})")
    raise TypeError("\n".join(lines) + "\n")


__version__ = "0.1.0"

# The core classes read as ember's, as torch's read as torch's: type(x) is
# <class 'ember.Tensor'> (not ember._tensor.Tensor), in messages that name a type too.
for _cls in (Tensor, dtype, device, Size):
    _cls.__module__ = "ember"
del _cls
