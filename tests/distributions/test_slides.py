"""The slides' Probability and Statistics snippets, run with ``import ember as torch``:
outputs have torch's shapes, dtypes and printed format."""
import random
import re

import numpy as np

import ember as torch                                 # as the slides write it
from ember.distributions.multinomial import Multinomial
import torch as real_torch

FLOAT_PAIR = re.compile(r"^tensor\(\[\d+\.\d*, +\d+\.\d*\]\)$")


def test_coin_tosses_with_python_random():
    num_tosses = 100
    heads = sum([random.random() > 0.5 for _ in range(100)])
    tails = num_tosses - heads
    line = f"heads, tails:  {[heads, tails]}"
    assert re.fullmatch(r"heads, tails:  \[\d+, \d+\]", line) and heads + tails == 100


def test_multinomial_100_tosses_prints_like_torch():
    torch.manual_seed(0)
    fair_probs = torch.tensor([0.5, 0.5])
    counts = Multinomial(100, fair_probs).sample()
    ref = real_torch.distributions.multinomial.Multinomial(
        100, real_torch.tensor([0.5, 0.5])).sample()
    assert tuple(counts.shape) == tuple(ref.shape) == (2,)
    assert counts.dtype.name == "float32" == str(ref.dtype)[6:]
    assert counts.sum().item() == 100 and bool((counts == counts.floor()).all())
    assert re.fullmatch(r"tensor\(\[\d+\., \d+\.\]\)", repr(counts))        # tensor([44., 56.])
    # the printed form follows torch's printer for the same numbers
    assert repr(counts) == repr(real_torch.tensor(counts.tolist()))


def test_frequencies_divide_by_the_number_of_tosses():
    torch.manual_seed(1)
    fair_probs = torch.tensor([0.5, 0.5])
    freq = Multinomial(100, fair_probs).sample() / 100
    assert freq.dtype is torch.float32 and tuple(freq.shape) == (2,)
    assert abs(freq.sum().item() - 1) < 1e-6
    # tensor([0.5300, 0.4700])
    assert re.fullmatch(r"tensor\(\[0\.\d{4}, 0\.\d{4}\]\)", repr(freq))
    assert repr(freq) == repr(real_torch.tensor(freq.tolist()))


def test_ten_thousand_tosses():
    torch.manual_seed(2)
    fair_probs = torch.tensor([0.5, 0.5])
    counts = Multinomial(10000, fair_probs).sample()
    out = counts / 10000
    assert repr(out) == repr(real_torch.tensor(out.tolist()))
    assert abs(out[0].item() - 0.5) < 0.02                 # 4 standard errors


def test_estimates_converge_as_tosses_grow():
    """The D2L plot: running frequencies of heads over 1 .. 10000 tosses."""
    torch.manual_seed(3)
    fair_probs = torch.tensor([0.5, 0.5])
    counts = Multinomial(1, fair_probs).sample((10000,))
    assert tuple(counts.shape) == (10000, 2) and counts.dtype is torch.float32
    assert bool((counts.sum(dim=1) == 1).all())
    cum_counts = counts.cumsum(dim=0)
    estimates = cum_counts / cum_counts.sum(dim=1, keepdims=True)
    assert tuple(estimates.shape) == (10000, 2) and estimates.dtype is torch.float32
    est = estimates.numpy()
    assert isinstance(est, np.ndarray) and est.shape == (10000, 2)
    np.testing.assert_allclose(est.sum(1), 1.0, rtol=1e-6)
    assert abs(est[-1, 0] - 0.5) < 0.02
    assert np.abs(est[-1000:, 0] - 0.5).max() < 0.05        # settled near 1/2
    # the same pipeline in torch gives the same shapes and dtypes
    t_counts = real_torch.distributions.multinomial.Multinomial(
        1, real_torch.tensor([0.5, 0.5])).sample((10000,))
    t_cum = t_counts.cumsum(dim=0)
    t_est = t_cum / t_cum.sum(dim=1, keepdims=True)
    assert t_est.shape == tuple(estimates.shape) and str(t_est.dtype)[6:] == "float32"


def test_fair_die_and_batched_probs():
    torch.manual_seed(4)
    die = torch.ones(6) / 6
    rolls = Multinomial(1000, die).sample()
    assert tuple(rolls.shape) == (6,) and rolls.sum().item() == 1000
    batch = Multinomial(10, torch.tensor([[0.5, 0.5], [0.9, 0.1]])).sample((3,))
    assert tuple(batch.shape) == (3, 2, 2) and bool((batch.sum(-1) == 10).all())
    log_p = Multinomial(10, torch.tensor([0.5, 0.5])).log_prob(torch.tensor([5.0, 5.0]))
    ref = real_torch.distributions.Multinomial(10, real_torch.tensor([0.5, 0.5])).log_prob(
        real_torch.tensor([5.0, 5.0]))
    assert repr(log_p) == repr(ref)
