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
from ._device import device
from ._size import Size
from ._type_info import finfo, iinfo
from ._memory_format import (memory_format, preserve_format, contiguous_format, channels_last,
                             channels_last_3d)
from ._layout import (layout, strided, sparse_coo, sparse_csr, sparse_csc, sparse_bsr,
                      sparse_bsc, jagged, _mkldnn)
from ._tensor import Tensor
from . import ops as _ops
from .ops.pointwise import rsub
from .ops.pointwise import float_power
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
from .ops.shape import tile, repeat_interleave
from .ops.shape import (
    reshape, view_as, flatten, ravel, unflatten, squeeze, unsqueeze, permute, transpose,
    swapaxes, swapdims, t, movedim, moveaxis, flip, fliplr, flipud, roll, broadcast_to,
    broadcast_tensors, broadcast_shapes, cat, concat, concatenate, stack, hstack, vstack, split,
    chunk, tensor_split, unbind, narrow, select, tril, triu, diagonal, diag)
from .ops.shape import (atleast_1d, atleast_2d, atleast_3d, rot90, dstack, column_stack)
from .ops.index import index_put_, index_fill
from .ops.index import (gather, scatter, scatter_add, index_select, index_add, masked_fill,
                        masked_select, nonzero, argwhere, take, index_put)
from .ops.reduce import cummin
from .ops.reduce import nanmedian, logcumsumexp
from .ops.reduce import (
    sum, nansum, mean, nanmean, prod, max, min, amax, amin, aminmax, argmax, argmin, var, std,
    var_mean, std_mean, norm, logsumexp, cumsum, cumprod, cummax, all, any, count_nonzero, sort,
    argsort, msort, topk, kthvalue, median, unique, unique_consecutive, bincount)
from .ops.linalg import (matmul, mm, mv, dot, inner, vdot, bmm, outer, ger, addmm, einsum,
                         tensordot)
from .serialization import save, load
from . import linalg
from .linalg.legacy import det, logdet, slogdet, inverse, pinverse, matrix_power, svd
from .ops.creation import (tensor, as_tensor, asarray, from_numpy, zeros, ones, empty, full,
                           zeros_like, ones_like, empty_like, full_like, arange, linspace,
                           logspace, eye, scalar_tensor, meshgrid)
from .ops.creation import tril_indices, triu_indices
from .ops.creation import empty_strided
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
from .autograd.grad_mode import is_anomaly_enabled, is_anomaly_check_nan_enabled
from ._printing import set_printoptions, get_printoptions
from .ops.nn_ops import softmax, log_softmax
from . import nn
from . import optim
from . import utils


def is_tensor(obj):
    """True if ``obj`` is an ember Tensor."""
    return isinstance(obj, Tensor)


def is_floating_point(input):
    return input.is_floating_point()


def numel(input):
    return input.numel()


def result_type(tensor1, tensor2):
    from ._dtypes import result_type as _rt
    return _rt(tensor1, tensor2)


def detach(input):
    return input.detach()


__version__ = "0.1.0"

# The core classes read as ember's, as torch's read as torch's: type(x) is
# <class 'ember.Tensor'> (not ember._tensor.Tensor), in messages that name a type too.
for _cls in (Tensor, dtype, device, Size):
    _cls.__module__ = "ember"
del _cls
