"""cartesian_prod and combinations against torch."""
import numpy as np
import pytest
import torch

import ember
from ember.autograd import gradcheck
from helpers import assert_same, assert_grads_same, both
from linalg.linalg_kit import leaf, same_error


@pytest.mark.parametrize("sizes", [(2, 3), (3,), (2, 0, 3), (1, 2, 2)])
def test_cartesian_prod_matches_torch(sizes):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(n) for n in sizes]
    assert_grads_same(lambda m, *xs: m.cartesian_prod(*xs), arrays)
    ints = [both(np.arange(n)) for n in sizes]
    assert_same(ember.cartesian_prod(*[e for e, _ in ints]),
                torch.cartesian_prod(*[t for _, t in ints]))


@pytest.mark.parametrize("n", [0, 1, 4, 5])
@pytest.mark.parametrize("r", [0, 1, 2, 3, 6])
@pytest.mark.parametrize("with_replacement", [False, True])
def test_combinations_match_torch(n, r, with_replacement):
    x = np.random.default_rng(n + r).standard_normal(n).astype("float32")
    e, t = both(x)
    assert_same(ember.combinations(e, r, with_replacement),
                torch.combinations(t, r, with_replacement))
    ei, ti = both(np.arange(n))
    assert_same(ember.combinations(ei, r=r, with_replacement=with_replacement),
                torch.combinations(ti, r=r, with_replacement=with_replacement))
    if r and n:
        fn = lambda m, a: m.combinations(a, r, with_replacement)    # noqa: E731
        assert_grads_same(fn, [x.astype("float64")])
        assert gradcheck(lambda a: ember.combinations(a, r, with_replacement),
                         [leaf(x.astype("float64"))])


ERRORS = [
    lambda m: m.cartesian_prod(m.ones(2, 2)),
    lambda m: m.cartesian_prod(m.ones(2), m.ones(3, dtype=m.float64)),
    lambda m: m.combinations(m.ones(2, 2)),
    lambda m: m.combinations(m.ones(())),
    lambda m: m.combinations(m.ones(3), -1),
    lambda m: m.combinations([1, 2]),
]


@pytest.mark.parametrize("fn", ERRORS)
def test_errors_match_torch(fn):
    same_error(fn)
