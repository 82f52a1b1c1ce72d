"""Multinomial: counts of each of K classes in ``total_count`` draws.

The slides' coin tosses::

    >>> fair_probs = ember.tensor([0.5, 0.5])
    >>> Multinomial(100, fair_probs).sample()        # e.g. tensor([44., 56.])
"""
import math

import numpy as np

from .._size import Size
from .._tensor import _make
from ..autograd.grad_mode import no_grad
from . import constraints
from .binomial import Binomial
from .categorical import Categorical
from .distribution import Distribution
from .utils import broadcast_all

__all__ = ["Multinomial"]


class Multinomial(Distribution):
    """Multinomial(total_count, probs=p) or (total_count, logits=l).

    ``total_count`` is one int for the whole batch; samples are float count vectors
    (in the parameter's dtype) summing to total_count. ``log_prob`` accepts counts
    of any total.
    """

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    total_count: int

    @property
    def mean(self):
        return self.probs * self.total_count

    @property
    def variance(self):
        return self.total_count * self.probs * (1 - self.probs)

    def __init__(self, total_count=1, probs=None, logits=None, validate_args=None):
        if not isinstance(total_count, int):
            raise NotImplementedError("inhomogeneous total_count is not supported")
        self.total_count = total_count
        self._categorical = Categorical(probs=probs, logits=logits)
        self._binomial = Binomial(total_count=total_count, probs=self.probs)
        batch_shape = self._categorical.batch_shape
        event_shape = self._categorical.param_shape[-1:]
        super().__init__(batch_shape, event_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Multinomial, _instance)
        batch_shape = Size(batch_shape)
        new.total_count = self.total_count
        new._categorical = self._categorical.expand(batch_shape)
        super(Multinomial, new).__init__(batch_shape, self.event_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    @constraints.dependent_property(is_discrete=True, event_dim=1)
    def support(self):
        return constraints.multinomial(self.total_count)

    @property
    def logits(self):
        return self._categorical.logits

    @property
    def probs(self):
        return self._categorical.probs

    @property
    def param_shape(self):
        return self._categorical.param_shape

    def sample(self, sample_shape=Size()):
        """Counts of shape sample_shape + batch_shape + (K,), float like the probabilities."""
        from ..random import resolve
        shape = tuple(self._extended_shape(sample_shape))
        with no_grad():
            probs = self.probs._data.astype(np.float64)
            probs = probs / probs.sum(-1, keepdims=True)     # NumPy insists on sum <= 1
            counts = resolve(None).multinomial(self.total_count, probs, size=shape[:-1])
            return _make(counts.astype(self.probs._data.dtype))

    def entropy(self):
        from ..ops.creation import tensor
        n = tensor(self.total_count)
        cat_entropy = self._categorical.entropy()
        term1 = n * cat_entropy - (n + 1).lgamma()
        support = self._binomial.enumerate_support(expand=False)[1:]
        binomial_probs = self._binomial.log_prob(support).exp()
        weights = (support + 1).lgamma()
        term2 = (binomial_probs * weights).sum([0, -1])
        return term1 + term2

    def log_prob(self, value):
        from ..ops.pointwise import where
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        log_factorial_n = (value.sum(-1) + 1).lgamma()
        log_factorial_xs = (value + 1).lgamma().sum(-1)
        # 0 * log(0) is 0 here: a class never drawn adds nothing even if impossible
        logits = where((value == 0) & (logits == -math.inf), 0.0, logits)
        log_powers = (logits * value).sum(-1)
        return log_factorial_n - log_factorial_xs + log_powers
