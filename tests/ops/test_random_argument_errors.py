"""Bad arguments to the sampling functions: torch's exception type and message (the
first line of torch's "invalid combination of arguments" text, which lists several
signatures). Each case is ``lambda m: ...`` run with m = torch and m = ember."""
import numpy as np
import pytest
import torch

import ember
from helpers import assert_same_error


def _x(m):
    return m.tensor([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]])


def _v(m):
    return m.tensor([1., 2., 3.])


EXACT = {
    "rand_like('a')": lambda m: m.rand_like("a"),
    "rand_like(list)": lambda m: m.rand_like([1, 2]),
    "randn_like(None)": lambda m: m.randn_like(None),
    "rand_like device unknown": lambda m: m.rand_like(_x(m), device="xx"),
    "bernoulli('a')": lambda m: m.bernoulli("a"),
    "bernoulli(0.5)": lambda m: m.bernoulli(0.5),
    "bernoulli(list)": lambda m: m.bernoulli([0.5]),
    "multinomial(v, 'a')": lambda m: m.multinomial(_v(m), "a"),
    "multinomial(v, 1.5)": lambda m: m.multinomial(_v(m), 1.5),
    "multinomial(v, True)": lambda m: m.multinomial(_v(m), True),
    "multinomial(list, 1)": lambda m: m.multinomial([1.], 1),
    "multinomial(v, 1, 'a')": lambda m: m.multinomial(_v(m), 1, "a"),
    "multinomial(v, 1, 1)": lambda m: m.multinomial(_v(m), 1, 1),
    "multinomial()": lambda m: m.multinomial(),
    "multinomial(v)": lambda m: m.multinomial(_v(m)),
    "v.multinomial('a')": lambda m: _v(m).multinomial("a"),
    "v.multinomial(1, 'a')": lambda m: _v(m).multinomial(1, "a"),
    "v.multinomial()": lambda m: _v(m).multinomial(),
    "manual_seed('a')": lambda m: m.manual_seed("a"),
    "manual_seed(None)": lambda m: m.manual_seed(None),
    "manual_seed(list)": lambda m: m.manual_seed([1]),
    "random.manual_seed('a')": lambda m: m.random.manual_seed("a"),
    "manual_seed(2 ** 64)": lambda m: m.manual_seed(2 ** 64),
}

FIRST_LINE = {
    "rand dtype str": lambda m: m.rand(2, dtype="float32"),
    "randn dtype str": lambda m: m.randn(2, dtype="float32"),
    "rand requires_grad str": lambda m: m.rand(2, requires_grad="a"),
    "randn requires_grad int": lambda m: m.randn(2, requires_grad=1),
    "rand unknown keyword": lambda m: m.rand(2, foo=1),
    "randn unknown keyword": lambda m: m.randn(2, foo=1),
    "rand_like()": lambda m: m.rand_like(),
    "randn_like()": lambda m: m.randn_like(),
    "rand_like(x, 2)": lambda m: m.rand_like(_x(m), 2),
    "rand_like dtype str": lambda m: m.rand_like(_x(m), dtype="a"),
    "randn_like requires_grad str": lambda m: m.randn_like(_x(m), requires_grad="a"),
    "randint_like(x)": lambda m: m.randint_like(_x(m)),
    "randint_like(x, 'a')": lambda m: m.randint_like(_x(m), "a"),
    "randint_like(x, 1.5)": lambda m: m.randint_like(_x(m), 1.5),
    "randint_like('a', 5)": lambda m: m.randint_like("a", 5),
    "randint dtype str": lambda m: m.randint(5, (2,), dtype="a"),
    "randperm()": lambda m: m.randperm(),
    "randperm(5, 2)": lambda m: m.randperm(5, 2),
    "randperm unknown keyword": lambda m: m.randperm(5, foo=1),
    "randperm dtype str": lambda m: m.randperm(5, dtype="a"),
    "normal()": lambda m: m.normal(),
    "normal(x, 'a')": lambda m: m.normal(_x(m), "a"),
    "normal('a', x)": lambda m: m.normal("a", _x(m)),
    "bernoulli()": lambda m: m.bernoulli(),
    "bernoulli(x, 'a')": lambda m: m.bernoulli(_x(m), "a"),
}


@pytest.mark.parametrize("case", EXACT.values(), ids=EXACT.keys())
def test_bad_arguments_raise_torchs_error(case):
    assert_same_error(case)


@pytest.mark.parametrize("case", FIRST_LINE.values(), ids=FIRST_LINE.keys())
def test_calls_no_signature_takes_raise_torchs_first_line(case):
    assert_same_error(case, first_line=True)


def test_the_calls_next_to_them_still_work_as_in_torch():
    for seed in (1.5, "12"):        # (read with int(), as torch's is)
        ember.manual_seed(seed)
        torch.manual_seed(seed)
        assert ember.initial_seed() == torch.initial_seed()
    calls = [
        lambda m: m.bernoulli(m.ones(2) * 0.5, True),
        lambda m: m.bernoulli(m.ones(2) * 0.5, m.tensor(0.5)),
        lambda m: m.multinomial(m.ones(3), np.int64(2)),
        lambda m: m.multinomial(m.ones(3), m.tensor(2)),
        lambda m: m.randint_like(m.ones(3), 1, 3),
        lambda m: m.randint_like(m.ones(3), 4),
        lambda m: m.rand(2, dtype=float),
        lambda m: m.rand(2, requires_grad=None),
        lambda m: m.randn_like(m.ones(2), requires_grad=True),
        lambda m: m.normal(m.zeros(2), 1),
        lambda m: m.normal(0., m.ones(2)),
    ]
    for call in calls:
        e, t = call(ember), call(torch)
        assert (tuple(e.shape), str(e.dtype), e.requires_grad) == (
            tuple(t.shape), str(t.dtype), t.requires_grad)
