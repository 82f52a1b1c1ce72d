"""Generated parameters and values for the differential distribution tests.

``CASES`` maps a case name to a builder ``make(rng, batch) -> Case``: NumPy
parameters for one distribution with the given batch shape (parameters of
different shapes that broadcast to it), and a ``value`` sampler over the support.
``build(module, case)`` constructs the ember or torch distribution from copies of
the same arrays, with float parameters as leaves that require grad.
"""
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Case:
    cls: str                        # class name in ember.distributions / torch.distributions
    params: dict                    # name -> ndarray (float) or int
    value: object                   # rng -> ndarray of shape (4,) + batch + event
    no_grad: tuple = ()             # parameters that must not require grad
    dtype: str = "float64"
    wrap: object = None             # for Independent: (inner case, reinterpreted dims)
    extra: dict = field(default_factory=dict)


def _pos(rng, shape, lo=0.3, hi=3.0):
    return rng.uniform(lo, hi, shape)


def _half(batch):
    """The trailing half of a batch shape: a parameter shape that broadcasts to it."""
    return batch[len(batch) // 2:]


def _s(batch, event=()):
    return (4,) + tuple(batch) + tuple(event)


def normal(rng, batch):
    return Case("Normal", {"loc": rng.normal(0, 2, batch), "scale": _pos(rng, _half(batch))},
                lambda r: r.normal(0, 2, _s(batch)))


def laplace(rng, batch):
    return Case("Laplace", {"loc": rng.normal(0, 2, batch), "scale": _pos(rng, _half(batch))},
                lambda r: r.normal(0, 2, _s(batch)))


def uniform(rng, batch):
    low = rng.normal(0, 2, batch)
    high = low + _pos(rng, batch)
    return Case("Uniform", {"low": low, "high": high},
                lambda r: low + r.uniform(0, 1, _s(batch)) * (high - low))


def exponential(rng, batch):
    return Case("Exponential", {"rate": _pos(rng, batch)},
                lambda r: r.exponential(1.0, _s(batch)))


def gamma(rng, batch):
    return Case("Gamma", {"concentration": _pos(rng, batch, 0.2, 5.0),
                          "rate": _pos(rng, _half(batch))},
                lambda r: r.gamma(2.0, 1.0, _s(batch)))


def beta(rng, batch):
    return Case("Beta", {"concentration1": _pos(rng, batch, 0.2, 5.0),
                         "concentration0": _pos(rng, _half(batch), 0.2, 5.0)},
                lambda r: r.uniform(0.01, 0.99, _s(batch)))


def dirichlet(rng, batch):
    k = 3
    return Case("Dirichlet", {"concentration": _pos(rng, tuple(batch) + (k,), 0.2, 5.0)},
                lambda r: r.dirichlet(np.ones(k), _s(batch)))


def poisson(rng, batch):
    return Case("Poisson", {"rate": _pos(rng, batch, 0.1, 8.0)},
                lambda r: r.integers(0, 12, _s(batch)).astype(np.float64))


def geometric(rng, batch):
    return Case("Geometric", {"probs": rng.uniform(0.05, 0.95, batch)},
                lambda r: r.integers(0, 12, _s(batch)).astype(np.float64))


def geometric_logits(rng, batch):
    return Case("Geometric", {"logits": rng.normal(0, 2, batch)},
                lambda r: r.integers(0, 12, _s(batch)).astype(np.float64))


def bernoulli(rng, batch):
    p = rng.uniform(0.02, 0.98, batch)
    if p.size:
        p.flat[0] = 0.5                  # the mode is nan on a tie
    return Case("Bernoulli", {"probs": p},
                lambda r: r.integers(0, 2, _s(batch)).astype(np.float64))


def bernoulli_logits(rng, batch):
    return Case("Bernoulli", {"logits": rng.normal(0, 3, batch)},
                lambda r: r.integers(0, 2, _s(batch)).astype(np.float64))


def binomial(rng, batch):
    n = np.full(batch, 7.0)
    return Case("Binomial", {"total_count": n, "probs": rng.uniform(0.05, 0.95, batch)},
                lambda r: r.integers(0, 8, _s(batch)).astype(np.float64),
                no_grad=("total_count",))


def binomial_logits_uneven(rng, batch):
    n = rng.integers(3, 9, batch).astype(np.float64)
    return Case("Binomial", {"total_count": n, "logits": rng.normal(0, 2, _half(batch))},
                lambda r: np.floor(r.uniform(0, 1, _s(batch)) * (n + 1)),
                no_grad=("total_count",))


def categorical(rng, batch):
    k = 4
    p = _pos(rng, tuple(batch) + (k,))
    return Case("Categorical", {"probs": p / p.sum(-1, keepdims=True)},
                lambda r: r.integers(0, k, _s(batch)))


def categorical_logits(rng, batch):
    k = 5
    return Case("Categorical", {"logits": rng.normal(0, 2, tuple(batch) + (k,))},
                lambda r: r.integers(0, k, _s(batch)))


def one_hot_categorical(rng, batch):
    k = 3
    p = _pos(rng, tuple(batch) + (k,))
    return Case("OneHotCategorical", {"probs": p / p.sum(-1, keepdims=True)},
                lambda r: np.eye(k)[r.integers(0, k, _s(batch))])


def multinomial(rng, batch):
    k = 3
    p = _pos(rng, tuple(batch) + (k,))
    p = p / p.sum(-1, keepdims=True)
    return Case("Multinomial", {"total_count": 6, "probs": p},
                lambda r: r.multinomial(6, np.ones(k) / k, _s(batch)).astype(np.float64))


def multinomial_logits(rng, batch):
    k = 4
    return Case("Multinomial", {"total_count": 5, "logits": rng.normal(0, 1, tuple(batch) + (k,))},
                lambda r: r.multinomial(5, np.ones(k) / k, _s(batch)).astype(np.float64))


def _spd(rng, batch, d):
    a = rng.normal(0, 1, tuple(batch) + (d, d))
    return a @ np.swapaxes(a, -1, -2) + d * np.eye(d)


def mvn_cov(rng, batch):
    d = 3
    return Case("MultivariateNormal", {"loc": rng.normal(0, 1, tuple(batch) + (d,)),
                                       "covariance_matrix": _spd(rng, _half(batch), d)},
                lambda r: r.normal(0, 2, _s(batch, (d,))))


def mvn_precision(rng, batch):
    d = 2
    return Case("MultivariateNormal", {"loc": rng.normal(0, 1, (d,)),
                                       "precision_matrix": _spd(rng, batch, d)},
                lambda r: r.normal(0, 2, _s(batch, (d,))))


def mvn_scale_tril(rng, batch):
    d = 3
    L = np.tril(rng.normal(0, 1, tuple(batch) + (d, d)), -1)
    L = L + np.eye(d) * _pos(rng, tuple(batch) + (d,))[..., None]
    return Case("MultivariateNormal", {"loc": rng.normal(0, 1, tuple(batch) + (d,)),
                                       "scale_tril": L},
                lambda r: r.normal(0, 2, _s(batch, (d,))))


def independent_normal(rng, batch):
    inner = normal(rng, tuple(batch) + (2,))
    return Case("Independent", inner.params, inner.value, wrap=(inner, 1))


CASES = {f.__name__: f for f in [
    normal, laplace, uniform, exponential, gamma, beta, dirichlet, poisson, geometric,
    geometric_logits, bernoulli, bernoulli_logits, binomial, binomial_logits_uneven,
    categorical, categorical_logits, one_hot_categorical, multinomial, multinomial_logits,
    mvn_cov, mvn_precision, mvn_scale_tril, independent_normal]}

BATCHES = [(), (3,), (2, 3)]


def build(M, case, requires_grad=True):
    """(distribution, {name: leaf tensor}) in module M (ember or torch)."""
    dtype = getattr(M, case.dtype)
    leaves, kwargs = {}, {}
    for name, v in case.params.items():
        if isinstance(v, int):
            kwargs[name] = v
            continue
        t = M.tensor(np.array(v), dtype=dtype)
        if requires_grad and name not in case.no_grad:
            t.requires_grad_(True)
            leaves[name] = t
        kwargs[name] = t
    if case.wrap is not None:
        inner, ndims = case.wrap
        base = getattr(M.distributions, inner.cls)(**kwargs)
        return M.distributions.Independent(base, ndims), leaves
    return getattr(M.distributions, case.cls)(**kwargs), leaves


def value_for(M, case, rng, dtype=None):
    v = np.array(case.value(rng))
    if case.cls == "Categorical":
        return M.tensor(v)
    return M.tensor(v, dtype=getattr(M, dtype or case.dtype))
