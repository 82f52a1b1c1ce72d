"""Gamma distribution with shape (concentration) α and rate β:
density β^α x^(α-1) e^(-βx) / Γ(α) on x > 0.

``rsample`` is differentiable in both parameters: in β directly (x = g / β) and
in α by implicit reparameterisation of the Gamma(α, 1) draw g.

    >>> Gamma(2.0, 1.0).mean
    tensor(2.)
"""
import numbers

import numpy as np

from .._size import Size
from . import constraints
from .exp_family import ExponentialFamily
from .utils import broadcast_all

__all__ = ["Gamma"]


def _standard_gamma(concentration):
    from ..ops.random import _standard_gamma as draw
    return draw(concentration)


def _clamp_tiny(value):
    """Raise exact zeros (underflow for tiny α) to the smallest normal float, in place
    and outside the graph, as torch does."""
    data = value._data
    tiny = np.finfo(data.dtype).tiny
    if isinstance(data, np.ndarray) and data.flags.writeable:
        np.maximum(data, tiny, out=data)
    else:                                   # a NumPy scalar from a 0-dim op
        value._data = np.asarray(np.maximum(data, tiny), dtype=data.dtype)
    return value


class Gamma(ExponentialFamily):
    """Gamma(concentration, rate), both positive (broadcast together)."""

    arg_constraints = {"concentration": constraints.positive, "rate": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True
    _mean_carrier_measure = 0

    @property
    def mean(self):
        return self.concentration / self.rate

    @property
    def mode(self):
        return ((self.concentration - 1) / self.rate).clamp(min=0)

    @property
    def variance(self):
        return self.concentration / self.rate.pow(2)

    def __init__(self, concentration, rate, validate_args=None):
        self.concentration, self.rate = broadcast_all(concentration, rate)
        if isinstance(concentration, numbers.Number) and isinstance(rate, numbers.Number):
            batch_shape = Size()
        else:
            batch_shape = self.concentration.size()
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Gamma, _instance)
        batch_shape = Size(batch_shape)
        new.concentration = self.concentration.expand(batch_shape)
        new.rate = self.rate.expand(batch_shape)
        super(Gamma, new).__init__(batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def rsample(self, sample_shape=Size()):
        shape = tuple(self._extended_shape(sample_shape))
        value = _standard_gamma(self.concentration.expand(shape)) / self.rate.expand(shape)
        return _clamp_tiny(value)

    def log_prob(self, value):
        from ..ops.creation import as_tensor
        value = as_tensor(value, dtype=self.rate.dtype)
        if self._validate_args:
            self._validate_sample(value)
        a, b = self.concentration, self.rate
        return a.xlogy(b) + (a - 1).xlogy(value) - b * value - a.lgamma()

    def entropy(self):
        a = self.concentration
        return a - self.rate.log() + a.lgamma() + (1.0 - a) * a.digamma()

    @property
    def _natural_params(self):
        return (self.concentration - 1, -self.rate)

    def _log_normalizer(self, x, y):
        return (x + 1).lgamma() + (x + 1) * (-y.reciprocal()).log()

    def cdf(self, value):
        from ..ops.special import gammainc
        if self._validate_args:
            self._validate_sample(value)
        return gammainc(self.concentration, self.rate * value)
