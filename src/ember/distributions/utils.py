"""Helpers shared by the distributions: broadcasting parameters, probs <-> logits,
lazily computed parameters.

    >>> loc, scale = broadcast_all(ember.zeros(3), 1.0)
    >>> scale
    tensor([1., 1., 1.])
"""
import numbers
from functools import update_wrapper

import numpy as np

from .. import _dtypes
from .._tensor import Tensor
from ..autograd.grad_mode import enable_grad

__all__ = ["broadcast_all", "logits_to_probs", "probs_to_logits", "clamp_probs",
           "lazy_property", "tril_matrix_to_vec", "vec_to_tril_matrix"]


def broadcast_all(*values):
    """Broadcast numbers and tensors to one shape.

    Numbers become tensors of the first tensor's dtype (or the default dtype
    when all are numbers).
    """
    from ..ops.creation import tensor
    from ..ops.shape import broadcast_tensors
    if not all(isinstance(v, (Tensor, numbers.Number)) for v in values):
        raise ValueError("Input arguments must all be instances of Number, "
                         "torch.Tensor or objects implementing __torch_function__.")
    dtype = next((v.dtype for v in values if isinstance(v, Tensor)),
                 _dtypes.get_default_dtype())
    tensors = [v if isinstance(v, Tensor) else tensor(v, dtype=dtype) for v in values]
    try:
        return broadcast_tensors(*tensors)
    except RuntimeError:
        # name the first clashing pair as torch.broadcast_tensors does
        from ..ops.pointwise import _broadcast_error
        for i, a in enumerate(tensors):
            for b in tensors[i + 1:]:
                try:
                    np.broadcast_shapes(a.shape, b.shape)
                except ValueError:
                    raise _broadcast_error(a, b) from None
        raise


def _finfo(dtype):
    if not dtype.is_floating_point:       # integer parameters: torch.finfo's own TypeError
        raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo "
                        "to handle 'torch.finfo'")
    return np.finfo(dtype.np)


def clamp_probs(probs):
    """Keep probabilities eps away from 0 and 1 so that their logs stay finite."""
    eps = float(_finfo(probs.dtype).eps)
    return probs.clamp(min=eps, max=1 - eps)


def logits_to_probs(logits, is_binary=False):
    """sigmoid(logits) for binary events, softmax over the last dim otherwise."""
    if is_binary:
        return logits.sigmoid()
    return (logits - logits.logsumexp(-1, keepdim=True)).exp()


def probs_to_logits(probs, is_binary=False):
    """The inverse of logits_to_probs (log-odds, or log-probabilities), on clamped probs."""
    clamped = clamp_probs(probs)
    if is_binary:
        return clamped.log() - (-clamped).log1p()
    return clamped.log()


def _sum_rightmost(value, dim):
    """Sum the rightmost ``dim`` dimensions."""
    if dim == 0:
        return value
    return value.reshape(tuple(value.shape[:value.dim() - dim]) + (-1,)).sum(-1)


def _standard_normal(shape, dtype, generator=None):
    from ..ops.random import randn
    return randn(tuple(shape), dtype=dtype, generator=generator)


class lazy_property:
    """A parameter computed from another on first use and then stored on the instance
    (so that ``'probs' in d.__dict__`` tells which parameterisation was given)."""

    def __init__(self, wrapped):
        self.wrapped = wrapped
        update_wrapper(self, wrapped)

    def __get__(self, instance, obj_type=None):
        if instance is None:
            return _lazy_property_and_property(self.wrapped)
        with enable_grad():
            value = self.wrapped(instance)
        setattr(instance, self.wrapped.__name__, value)
        return value


class _lazy_property_and_property(lazy_property, property):
    """What a lazy_property looks like on the class: a property (for documentation tools)."""

    def __init__(self, wrapped):
        property.__init__(self, wrapped)


def tril_matrix_to_vec(mat, diag=0):
    """The lower triangle (from diagonal ``diag``) of the last two dims, as a vector."""
    n = mat.shape[-1]
    if diag < -n or diag >= n:
        raise ValueError(f"diag ({diag}) provided is outside [{-n}, {n - 1}].")
    rows, cols = np.tril_indices(n, diag)
    return mat[..., rows.tolist(), cols.tolist()]


def vec_to_tril_matrix(vec, diag=0):
    """The inverse of tril_matrix_to_vec: a vector filling a lower-triangular matrix."""
    from ..ops.creation import zeros
    m = vec.shape[-1]
    n = (-(1 + 2 * diag) + ((1 + 2 * diag) ** 2 + 8 * m + 4 * abs(diag) * (diag + 1)) ** 0.5) / 2
    if round(n) - n > float(_finfo(vec.dtype).eps):
        raise ValueError(f"The size of last dimension is {m} which cannot be expressed as the "
                         "lower triangular part of a square D x D matrix.")
    n = round(n)
    rows, cols = np.tril_indices(n, diag)
    mat = zeros(tuple(vec.shape[:-1]) + (n, n), dtype=vec.dtype)
    mat[..., rows.tolist(), cols.tolist()] = vec
    return mat
