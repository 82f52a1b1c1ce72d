"""Bernoulli at its edges against torch: infinite logits, the dtype of log_prob
when value and parameter dtypes differ, and non-float values."""
import math

import numpy as np
import pytest
import torch

import ember
from helpers import assert_same, same_outcome

INF = math.inf


@pytest.mark.parametrize("value", [[0.0, 1.0, 1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_log_prob_and_entropy_with_infinite_logits_match_torch(value, dtype):
    # torch gives nan for inf - inf and 0 * inf, and -inf for the impossible outcome
    def fn(M):
        d = M.distributions.Bernoulli(logits=M.tensor([-INF, 0.0, INF],
                                                      dtype=getattr(M, dtype)))
        return d.log_prob(M.tensor(value, dtype=getattr(M, dtype))), d.entropy()
    same_outcome(fn, (), ())


@pytest.mark.parametrize("param_dtype, value_dtype", [("float64", "float32"),
                                                      ("float32", "float64"),
                                                      ("float16", "float32"),
                                                      ("float64", "float16")])
@pytest.mark.parametrize("by", ["probs", "logits"])
def test_log_prob_has_the_value_dtype_as_in_torch(param_dtype, value_dtype, by):
    rng = np.random.default_rng(0)
    param = rng.uniform(0.1, 0.9, (2, 3)) if by == "probs" else rng.normal(0, 2, (2, 3))
    value = rng.integers(0, 2, (4, 2, 3)).astype(np.float64)
    grads = {}
    for M in (ember, torch):
        p = M.tensor(param, dtype=getattr(M, param_dtype), requires_grad=True)
        lp = M.distributions.Bernoulli(**{by: p}).log_prob(
            M.tensor(value, dtype=getattr(M, value_dtype)))
        lp.sum().backward()
        grads[M] = (lp, p.grad)
    tol = dict(rtol=2e-3, atol=2e-3) if "float16" in (param_dtype, value_dtype) else {}
    assert_same(*[grads[M][0] for M in (ember, torch)], **tol)
    assert_same(*[grads[M][1] for M in (ember, torch)], **tol)


@pytest.mark.parametrize("value_dtype", ["int64", "int32", "uint8", "bool"])
@pytest.mark.parametrize("param_dtype", ["float32", "float64"])
def test_log_prob_of_non_float_values_raises_as_torch(value_dtype, param_dtype):
    def fn(M):
        d = M.distributions.Bernoulli(M.tensor([0.3, 0.6], dtype=getattr(M, param_dtype)))
        return d.log_prob(M.tensor([0, 1], dtype=getattr(M, value_dtype)))
    same_outcome(fn, (), ())


@pytest.mark.parametrize("what", ["logits", "entropy"])
def test_integer_probs_raise_torch_finfo_type_error(what):
    # probs -> logits clamps by finfo(probs.dtype), which torch refuses for integers
    def fn(M):
        d = M.distributions.Bernoulli(M.tensor([0, 1]), validate_args=False)
        return d.logits if what == "logits" else d.entropy()
    same_outcome(fn, (), ())
