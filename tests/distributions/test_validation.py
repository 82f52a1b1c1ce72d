"""Argument and sample validation: invalid parameters, values outside the support and
wrong shapes raise torch's exception types with torch's messages; validation can be
turned off per instance or globally; constraints behave as torch's."""
import numpy as np
import pytest
import torch

import ember

CONSTRUCTOR_ERRORS = [
    "D.Normal(M.zeros(3), M.ones(2))",
    "D.Normal(M.zeros(3), -M.ones(3))",
    "D.Normal(0.0, 0.0)",
    "D.Normal(M.tensor([0.0, float('nan')]), 1.0)",
    "D.Laplace(0.0, -2.0)",
    "D.Uniform(M.tensor([1.0]), M.tensor([0.0]))",
    "D.Uniform(2.0, 2.0)",
    "D.Exponential(M.tensor([1.0, -1.0]))",
    "D.Gamma(1.0, -1.0)",
    "D.Gamma(M.tensor([0.0, 1.0]), 1.0)",
    "D.Beta(M.tensor([0.5, -0.5]), 1.0)",
    "D.Dirichlet(M.tensor([0.2, -0.1]))",
    "D.Dirichlet(M.tensor(2.0))",
    "D.Poisson(M.tensor([-1.0]))",
    "D.Geometric(M.tensor([0.0, 0.5]))",
    "D.Geometric(M.tensor([1.5]))",
    "D.Geometric()",
    "D.Bernoulli(M.tensor([0.2, 1.2]))",
    "D.Bernoulli(M.tensor([0.2]), M.tensor([0.2]))",
    "D.Bernoulli()",
    "D.Binomial(M.tensor(2.5), M.tensor(0.5))",
    "D.Binomial(M.tensor(-1.0), M.tensor(0.5))",
    "D.Binomial(5, M.tensor([0.5, 1.5]))",
    "D.Categorical(M.tensor(0.2))",
    "D.Categorical(logits=M.tensor(0.2))",
    "D.Categorical(M.tensor([2.0, -1.0]))",
    "D.Categorical(M.tensor([0.5, float('inf')]))",
    "D.OneHotCategorical(M.tensor([0.3, -0.3]))",
    "D.Multinomial(10, M.tensor([0.2, -0.1]))",
    "D.Multinomial(M.tensor(10), M.tensor([0.5, 0.5]))",
    "D.MultivariateNormal(M.zeros(2), M.tensor([[1.0, 2.0], [2.0, 1.0]]))",
    "D.MultivariateNormal(M.zeros(2), M.tensor([[1.0, 2.0], [0.0, 1.0]]))",
    "D.MultivariateNormal(M.zeros(2), scale_tril=M.tensor([[1.0, 0.0], [1.0, -1.0]]))",
    "D.MultivariateNormal(M.zeros(2), scale_tril=M.tensor([[1.0, 1.0], [0.0, 1.0]]))",
    "D.MultivariateNormal(M.zeros(2), precision_matrix=-M.eye(2))",
    "D.MultivariateNormal(M.zeros(2))",
    "D.MultivariateNormal(M.zeros(2), M.eye(2), scale_tril=M.eye(2))",
    "D.MultivariateNormal(M.tensor(0.0), M.eye(2))",
    "D.MultivariateNormal(M.zeros(2), M.ones(2))",
    "D.Independent(D.Normal(0.0, 1.0), 1)",
    "D.Normal('a', 1.0)",
]


def _run(expr, M):
    return eval(expr, {"M": M, "D": M.distributions, "np": np})


def _first_line(exc):
    return str(exc).split("\n")[0]


@pytest.mark.parametrize("expr", CONSTRUCTOR_ERRORS)
def test_invalid_parameters_raise_like_torch(expr):
    with pytest.raises(Exception) as te:
        _run(expr, torch)
    with pytest.raises(Exception) as ee:
        _run(expr, ember)
    assert type(ee.value) is type(te.value) or (
        type(te.value).__name__ == type(ee.value).__name__), (ee.value, te.value)
    assert _first_line(ee.value) == _first_line(te.value)


def test_full_messages_show_the_invalid_values():
    for M in (ember, torch):
        with pytest.raises(ValueError) as info:
            M.distributions.Normal(M.tensor([0.0, 1.0]), M.tensor([1.0, -2.0]))
        msg = str(info.value)
        assert msg.endswith("tensor([ 1., -2.])")
        assert "Expected parameter scale (Tensor of shape (2,)) of distribution Normal(loc: " \
               "torch.Size([2]), scale: torch.Size([2])) to satisfy the constraint " \
               "GreaterThan(lower_bound=0.0), but found invalid values:" in msg


LOG_PROB_ERRORS = [
    "D.Normal(M.zeros(3), 1.0).log_prob(M.zeros(2))",
    "D.Normal(0.0, 1.0).log_prob(0.5)",
    "D.Exponential(1.0).log_prob(M.tensor([-1.0]))",
    "D.Gamma(1.0, 1.0).log_prob(M.tensor([-1.0]))",
    "D.Beta(1.0, 1.0).log_prob(M.tensor([1.5]))",
    "D.Uniform(0.0, 1.0).log_prob(M.tensor([2.0]))",
    "D.Bernoulli(M.tensor([0.2])).log_prob(M.tensor([0.5]))",
    "D.Poisson(2.0).log_prob(M.tensor([1.5]))",
    "D.Poisson(2.0).log_prob(M.tensor([-1.0]))",
    "D.Geometric(0.5).log_prob(M.tensor([-1.0]))",
    "D.Binomial(5, M.tensor(0.5)).log_prob(M.tensor([6.0]))",
    "D.Categorical(M.ones(3)).log_prob(M.tensor([3]))",
    "D.Categorical(M.ones(2, 3)).log_prob(M.tensor([0, 1, 2]))",
    "D.OneHotCategorical(M.ones(3)).log_prob(M.tensor([1.0, 1.0, 0.0]))",
    "D.OneHotCategorical(M.ones(3)).log_prob(M.tensor([1.0, 0.0]))",
    "D.Multinomial(10, M.tensor([0.2, 0.8])).log_prob(M.tensor([3.0, 8.0]))",
    "D.Dirichlet(M.ones(3)).log_prob(M.tensor([0.5, 0.6, 0.1]))",
    "D.MultivariateNormal(M.zeros(2), M.eye(2)).log_prob(M.zeros(3))",
    "D.Normal(0.0, 1.0).cdf(M.tensor(float('nan')))",
    "D.Exponential(1.0).cdf(M.tensor([-1.0]))",
]


@pytest.mark.parametrize("expr", LOG_PROB_ERRORS)
def test_values_outside_the_support_or_of_wrong_shape_raise_like_torch(expr):
    with pytest.raises(Exception) as te:
        _run(expr, torch)
    with pytest.raises(Exception) as ee:
        _run(expr, ember)
    assert type(ee.value).__name__ == type(te.value).__name__
    assert _first_line(ee.value) == _first_line(te.value)


def test_validate_args_false_skips_checks():
    D = ember.distributions
    d = D.Normal(0.0, -1.0, validate_args=False)           # no error
    assert np.isnan(d.log_prob(ember.tensor(0.0)).item())
    e = D.Exponential(1.0, validate_args=False)
    e.log_prob(ember.tensor([-1.0]))                       # no support check either


def test_set_default_validate_args_toggles_globally():
    D = ember.distributions
    try:
        D.Distribution.set_default_validate_args(False)
        D.Normal(0.0, -1.0)
        D.Bernoulli(ember.tensor([1.5]))
        assert D.Normal(0.0, 1.0, validate_args=True)._validate_args
        with pytest.raises(ValueError):
            D.Normal(0.0, -1.0, validate_args=True)
    finally:
        D.Distribution.set_default_validate_args(True)
    with pytest.raises(ValueError):
        D.Normal(0.0, -1.0)
    with pytest.raises(ValueError):
        D.Distribution.set_default_validate_args("yes")


def test_expand_keeps_the_validation_setting():
    d = ember.distributions.Normal(0.0, 1.0, validate_args=False).expand((3,))
    assert not d._validate_args
    d.log_prob(ember.tensor([float("nan")] * 3))


def test_failed_construction_leaves_parameters_unchanged():
    scale = ember.tensor([1.0, -2.0])
    with pytest.raises(ValueError):
        ember.distributions.Normal(ember.zeros(2), scale)
    assert scale.tolist() == [1.0, -2.0]


CONSTRAINTS = [
    ("real", "M.tensor([0.0, float('nan'), float('inf')])"),
    ("positive", "M.tensor([1.0, 0.0, -1.0])"),
    ("nonnegative", "M.tensor([1.0, 0.0, -1.0])"),
    ("unit_interval", "M.tensor([0.0, 0.5, 1.0, 1.5])"),
    ("boolean", "M.tensor([0.0, 1.0, 0.5])"),
    ("nonnegative_integer", "M.tensor([0.0, 2.0, 1.5, -1.0])"),
    ("positive_integer", "M.tensor([0.0, 2.0, 1.5])"),
    ("simplex", "M.tensor([[0.5, 0.5], [0.5, 0.6], [1.0, 0.0]])"),
    ("one_hot", "M.tensor([[0.0, 1.0], [1.0, 1.0]])"),
    ("real_vector", "M.tensor([[0.0, 1.0], [float('nan'), 1.0]])"),
    ("lower_cholesky", "M.tensor([[[1.0, 0.0], [2.0, 3.0]], [[1.0, 0.0], [2.0, -3.0]]])"),
    ("lower_triangular", "M.tensor([[[1.0, 0.0], [2.0, 3.0]], [[1.0, 1.0], [2.0, 3.0]]])"),
    ("positive_definite", "M.tensor([[[2.0, 1.0], [1.0, 2.0]], [[1.0, 2.0], [2.0, 1.0]]])"),
    ("positive_semidefinite", "M.tensor([[[1.0, 1.0], [1.0, 1.0]], [[1.0, 2.0], [2.0, 1.0]]])"),
    ("symmetric", "M.tensor([[[1.0, 2.0], [2.0, 1.0]], [[1.0, 2.0], [0.0, 1.0]]])"),
    ("square", "M.zeros(2, 3, 3)"),
    ("interval(0.0, 2.0)", "M.tensor([-1.0, 0.0, 2.0])"),
    ("half_open_interval(0.0, 2.0)", "M.tensor([0.0, 2.0])"),
    ("greater_than(1.0)", "M.tensor([1.0, 1.5])"),
    ("greater_than_eq(1.0)", "M.tensor([1.0, 0.5])"),
    ("less_than(1.0)", "M.tensor([1.0, 0.5])"),
    ("integer_interval(0, 3)", "M.tensor([0.0, 3.0, 4.0, 1.5])"),
    ("multinomial(3)", "M.tensor([[1.0, 2.0], [2.0, 2.0]])"),
    ("independent(constraints.positive, 1)", "M.tensor([[1.0, 2.0], [1.0, -2.0]])"),
]


@pytest.mark.parametrize("name,value", CONSTRAINTS)
def test_constraints_check_and_repr_match_torch(name, value):
    out = []
    for M in (ember, torch):
        constraints = M.distributions.constraints
        c = eval(f"constraints.{name}", {"constraints": constraints})
        out.append((repr(c), c.check(_run(value, M)).tolist(), c.is_discrete, c.event_dim))
    assert out[0] == out[1]


def test_dependent_constraints():
    for M in (ember, torch):
        constraints = M.distributions.constraints
        assert constraints.is_dependent(constraints.dependent)
        assert not constraints.is_dependent(constraints.real)
        with pytest.raises(ValueError, match="Cannot determine validity of dependent"):
            constraints.dependent.check(M.zeros(1))
        with pytest.raises(NotImplementedError):
            constraints.dependent.event_dim
        assert constraints.is_dependent(M.distributions.Uniform.support)
        assert constraints.is_dependent(M.distributions.Binomial.support)


def test_mvn_with_mismatched_sizes_warns_where_torch_is_silent():
    torch.distributions.MultivariateNormal(torch.zeros(2), torch.eye(3))    # accepted by torch
    with pytest.warns(UserWarning, match="loc has 2 elements per event but the matrix is 3 x 3"):
        d = ember.distributions.MultivariateNormal(ember.zeros(2), ember.eye(3))
    assert tuple(d.event_shape) == (2,)
