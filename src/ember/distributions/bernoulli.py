"""Bernoulli: 1 with probability p, 0 otherwise.

    >>> Bernoulli(ember.tensor([0.3])).log_prob(ember.tensor([1.0]))
    tensor([-1.2040])
"""
import math
import numbers

import numpy as np

from .._size import Size
from .._tensor import _make
from ..autograd.graph import record
from ..autograd.grad_mode import no_grad
from . import constraints
from .exp_family import ExponentialFamily
from .utils import broadcast_all, lazy_property, logits_to_probs, probs_to_logits

__all__ = ["Bernoulli"]


def _bce_with_logits(logits, target):
    """-[t log σ(l) + (1-t) log(1-σ(l))] elementwise, as torch computes it:
    (1 - t) l - log σ(l), with log σ(l) = min(l, 0) - log(1 + exp(-|l|)) (stable), and
    torch's gradients σ(l) - t and -l (a composite of clamp and abs would pick a
    one-sided slope at l = 0). Infinite logits give torch's nan (inf - inf, 0 * inf).
    The result has the target's dtype, as torch's binary_cross_entropy_with_logits.
    """
    from ..ops._common import binary_arrays, unbroadcast
    from ..ops.pointwise import _broadcast_error, _type_name
    if target.dtype.is_floating_point is False:
        if target.dtype.name == "bool":
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                               "supported. Use the `^` or `logical_xor()` operator instead.")
        # torch computes into a tensor of the target's dtype, which cannot hold the loss
        raise RuntimeError(f"result type {_type_name(logits.dtype)} can't be cast to the "
                           f"desired output type {_type_name(target.dtype)}")
    l, t, dt = binary_arrays(logits, target, "binary_cross_entropy_with_logits")
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            log_sigmoid = np.minimum(l, 0) - np.log1p(np.exp(-np.abs(l)))
            out = (1 - t) * l - log_sigmoid
    except ValueError:
        raise _broadcast_error(logits, target) from None
    result = _make(np.asarray(out, dtype=target.dtype.np))
    node = record("BinaryCrossEntropyWithLogitsBackward0", _bce_backward, (logits, target),
                  result)
    if node:
        node.save_for_backward(logits, target)
        node.unbroadcast = unbroadcast
    return result


def _bce_backward(ctx, grad):
    logits, target = ctx.saved_tensors
    g_l = g_t = None
    if ctx.needs_input_grad[0]:
        g_l = ctx.unbroadcast(grad * (logits.sigmoid() - target), ctx.input_meta[0][0])
    if ctx.needs_input_grad[1]:
        g_t = ctx.unbroadcast(-grad * logits, ctx.input_meta[1][0])
    return g_l, g_t


class Bernoulli(ExponentialFamily):
    """Bernoulli(probs=p) or Bernoulli(logits=log(p/(1-p))): samples are 0 or 1 (in the
    parameter's float dtype)."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.boolean
    has_enumerate_support = True
    _mean_carrier_measure = 0

    def __init__(self, probs=None, logits=None, validate_args=None):
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        if probs is not None:
            is_scalar = isinstance(probs, numbers.Number)
            (self.probs,) = broadcast_all(probs)
        else:
            is_scalar = isinstance(logits, numbers.Number)
            (self.logits,) = broadcast_all(logits)
        self._param = self.probs if probs is not None else self.logits
        batch_shape = Size() if is_scalar else self._param.size()
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Bernoulli, _instance)
        batch_shape = Size(batch_shape)
        if "probs" in self.__dict__:
            new.probs = self.probs.expand(batch_shape)
            new._param = new.probs
        if "logits" in self.__dict__:
            new.logits = self.logits.expand(batch_shape)
            new._param = new.logits
        super(Bernoulli, new).__init__(batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @property
    def mean(self):
        return self.probs

    @property
    def mode(self):
        from ..ops.pointwise import where
        mode = (self.probs >= 0.5).to(self.probs.dtype)
        return where(self.probs == 0.5, math.nan, mode)     # a tie has no single mode

    @property
    def variance(self):
        return self.probs * (1 - self.probs)

    @lazy_property
    def logits(self):
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self):
        return logits_to_probs(self.logits, is_binary=True)

    @property
    def param_shape(self):
        return self._param.size()

    def sample(self, sample_shape=Size()):
        from ..ops.random import bernoulli
        shape = self._extended_shape(sample_shape)
        with no_grad():
            return bernoulli(self.probs.expand(shape))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        return -_bce_with_logits(logits, value)

    def entropy(self):
        return _bce_with_logits(self.logits, self.probs)

    def enumerate_support(self, expand=True):
        from ..ops.creation import arange
        values = arange(2, dtype=self._param.dtype)
        values = values.view((-1,) + (1,) * len(self._batch_shape))
        if expand:
            values = values.expand((-1,) + tuple(self._batch_shape))
        return values

    @property
    def _natural_params(self):
        return (self.probs.log() - (-self.probs).log1p(),)

    def _log_normalizer(self, x):
        return x.exp().log1p()
