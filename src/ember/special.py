"""``ember.special``: the special functions under torch.special's names.

    >>> ember.special.gammaln(ember.tensor([4.0]))      # log 3! = log 6
    tensor([1.7918])
"""
from ._tensor import Tensor
from .ops.nn_ops import log_softmax, softmax
from .ops.pointwise import exp2, expm1, log1p, logit, round as _round, sigmoid as expit, sinc
from .ops.reduce import logsumexp as _logsumexp
from .ops.special import (digamma, entr, erf, erfc, erfcx, erfinv, gammainc, gammaincc, i0,
                          i0e, i1, i1e, lgamma as gammaln, log_ndtr, mvlgamma as multigammaln,
                          ndtr, ndtri, polygamma, xlog1py, xlogy)

psi = digamma


def round(input, *, decimals=0, out=None):
    """Round to ``decimals`` places, halves to even, as :func:`ember.round`.

    Unlike ember.round, torch.special.round always passes decimals on, so integer and
    bool inputs are refused (torch's rounding kernels are for floats only).

    >>> ember.special.round(ember.tensor([0.5, 1.5, 2.25]), decimals=1)
    tensor([0.5000, 1.5000, 2.2000])
    """
    if isinstance(input, Tensor) and input._data.dtype.kind in "biu" and decimals == 0:
        raise NotImplementedError(f'"round_vml_cpu" not implemented for '
                                  f"'{input.dtype.legacy_name[:-6]}'")
    return _round(input, decimals=decimals, out=out)


def logsumexp(input, dim, keepdim=False, *, out=None):
    """log(sum(exp(x))) over ``dim``, as :func:`ember.logsumexp` (with out=).

    >>> ember.special.logsumexp(ember.tensor([0.0, 0.0]), 0)
    tensor(0.6931)
    """
    result = _logsumexp(input, dim, keepdim)
    if out is None:
        return result
    from .ops.pointwise import _maybe_out
    return _maybe_out(result, out)


__all__ = ["digamma", "entr", "erf", "erfc", "erfcx", "erfinv", "exp2", "expit", "expm1",
           "gammainc", "gammaincc", "gammaln", "i0", "i0e", "i1", "i1e", "log1p", "log_ndtr",
           "log_softmax", "logit", "logsumexp", "multigammaln", "ndtr", "ndtri", "polygamma",
           "psi", "round", "sinc", "softmax", "xlog1py", "xlogy"]
