"""Binomial against torch at p = 1/2 (logit 0), where max(logit, 0) has a kink."""
import numpy as np
import pytest
import torch

import ember
from helpers import assert_same


@pytest.mark.parametrize("by, param", [("probs", 0.5), ("logits", 0.0)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_log_prob_gradient_at_a_fair_coin_matches_torch(by, param, dtype):
    params = np.array([param, 0.3 if by == "probs" else -1.2])
    values = np.array([[0.0, 1.0], [2.0, 3.0], [3.0, 0.0]])
    out = {}
    for M in (ember, torch):
        p = M.tensor(params, dtype=getattr(M, dtype), requires_grad=True)
        lp = M.distributions.Binomial(3, **{by: p}).log_prob(
            M.tensor(values, dtype=getattr(M, dtype)))
        lp.sum().backward()
        out[M] = (lp, p.grad)
    assert_same(out[ember][0], out[torch][0])
    assert_same(out[ember][1], out[torch][1])


def test_entropy_gradient_at_a_fair_coin_matches_torch():
    out = {}
    for M in (ember, torch):
        p = M.tensor([0.5, 0.25], dtype=M.float64, requires_grad=True)
        M.distributions.Binomial(4, p).entropy().sum().backward()
        out[M] = p.grad
    assert_same(out[ember], out[torch])
