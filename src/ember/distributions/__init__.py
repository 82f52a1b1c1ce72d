"""Probability distributions with torch.distributions' API.

Each distribution lives in its own module (``ember.distributions.normal``, ...)
on the shared base :class:`Distribution`; constraints describe parameter and
sample spaces; :func:`kl_divergence` dispatches on pairs of types.

    from ember.distributions.multinomial import Multinomial
    fair_probs = ember.tensor([0.5, 0.5])
    Multinomial(100, fair_probs).sample()       # e.g. tensor([44., 56.])
"""
from . import constraints
from .bernoulli import Bernoulli
from .beta import Beta
from .binomial import Binomial
from .categorical import Categorical
from .dirichlet import Dirichlet
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .exponential import Exponential
from .gamma import Gamma
from .geometric import Geometric
from .independent import Independent
from .kl import kl_divergence, register_kl
from .laplace import Laplace
from .multinomial import Multinomial
from .multivariate_normal import MultivariateNormal
from .normal import Normal
from .one_hot_categorical import OneHotCategorical, OneHotCategoricalStraightThrough
from .poisson import Poisson
from .uniform import Uniform

__all__ = [
    "Bernoulli", "Beta", "Binomial", "Categorical", "Dirichlet", "Distribution",
    "Exponential", "ExponentialFamily", "Gamma", "Geometric", "Independent", "Laplace",
    "Multinomial", "MultivariateNormal", "Normal", "OneHotCategorical",
    "OneHotCategoricalStraightThrough", "Poisson", "Uniform", "constraints", "kl_divergence",
    "register_kl",
]
