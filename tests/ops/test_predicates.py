"""ember.ops.predicates (is_nonzero, is_same_size, is_signed, get_device) against torch."""
import numpy as np
import pytest
import torch
from helpers import DTYPE_NAMES, both, outcome_in
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import ember

shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)


def same(fn, e_args, t_args):
    got, expected = outcome_in(ember, lambda m: fn(m, *e_args)), \
        outcome_in(torch, lambda m: fn(m, *t_args))
    assert got == expected
    return got


ONE_ELEMENT = [0.0, -0.0, 1.5, float("nan"), float("inf"), 0, 7, True, False]


@pytest.mark.parametrize("value", ONE_ELEMENT, ids=repr)
@pytest.mark.parametrize("shape", [(), (1,), (1, 1, 1)])
def test_is_nonzero_one_element(value, shape):
    e, t = both(np.full(shape, value))
    assert same(lambda m, x: m.is_nonzero(x), [e], [t]) == ("ok", bool(t))
    assert same(lambda m, x: x.is_nonzero(), [e], [t])[0] == "ok"


@given(shape=shapes)
def test_is_nonzero_other_sizes_raise_as_torch(shape):
    e, t = both(np.ones(shape))
    got = same(lambda m, x: m.is_nonzero(x), [e], [t])
    assert same(lambda m, x: x.is_nonzero(), [e], [t]) == got
    assert (got[0] == "error") == (int(np.prod(shape)) != 1)


@given(a=shapes, b=shapes, dtype=st.sampled_from(DTYPE_NAMES))
def test_is_same_size(a, b, dtype):
    (e1, t1), (e2, t2) = both(np.zeros(a)), both(np.zeros(b).astype(dtype))
    got = same(lambda m, x, y: m.is_same_size(x, y), [e1, e2], [t1, t2])
    assert got == ("ok", a == b)
    assert same(lambda m, x, y: x.is_same_size(y), [e1, e2], [t1, t2]) == got
    assert same(lambda m, x, y: m.is_same_size(input=x, other=y), [e1, e2], [t1, t2]) == got


@pytest.mark.parametrize("dtype", DTYPE_NAMES)
def test_is_signed_and_get_device(dtype):
    e, t = both(np.zeros((2, 0)).astype(dtype))
    assert same(lambda m, x: m.is_signed(x), [e], [t]) == ("ok", dtype not in ("bool", "uint8"))
    assert same(lambda m, x: m.is_signed(input=x), [e], [t])[0] == "ok"
    assert same(lambda m, x: m.get_device(x), [e], [t]) == ("ok", -1)
    assert same(lambda m, x: x.get_device(), [e], [t]) == ("ok", -1)


@pytest.mark.parametrize("call", [
    lambda m, x: m.is_nonzero(1), lambda m, x: m.is_nonzero(None), lambda m, x: m.is_nonzero(),
    lambda m, x: m.is_same_size(x, 1), lambda m, x: m.is_same_size(x, None),
    lambda m, x: m.is_same_size(x, (1,)), lambda m, x: m.is_same_size(1, x),
    lambda m, x: m.is_same_size(x), lambda m, x: x.is_same_size(2),
    lambda m, x: x.is_same_size(np.ones(1)), lambda m, x: m.is_signed(1),
    lambda m, x: m.is_signed(), lambda m, x: m.get_device(1), lambda m, x: m.get_device(),
    lambda m, x: m.is_nonzero(input=x)])
def test_errors_as_torch(call):
    e, t = both(np.ones(1))
    same(call, [e], [t])
