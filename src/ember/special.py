"""``ember.special``: the special functions under torch.special's names.

    >>> ember.special.gammaln(ember.tensor([4.0]))      # log 3! = log 6
    tensor([1.7918])
"""
from .ops.pointwise import exp2, expm1, log1p, sigmoid as expit
from .ops.special import (digamma, erf, erfc, erfinv, gammainc, gammaincc, lgamma as gammaln,
                          polygamma, xlogy)

psi = digamma

__all__ = ["digamma", "erf", "erfc", "erfinv", "exp2", "expit", "expm1", "gammainc",
           "gammaincc", "gammaln", "log1p", "polygamma", "psi", "xlogy"]
