"""Type promotion: every dtype pair, every kind of operand, against torch.

An operand is a tensor with dimensions ("T"), a 0-dim tensor ("Z") or a Python
scalar (bool, int, float). torch ranks them in that order and lets a lower one
decide the dtype only when it is of a higher category (bool < int < float).
For each op and each pair we compare the whole outcome with torch: the result
(dtype, shape, values) or, where torch refuses, the exception type and message.
"""
import itertools
import warnings

import numpy as np
import pytest
import torch

import ember
from helpers import DTYPE_NAMES, assert_same

SCALARS = [True, False, 0, 3, -2, 2.5, -0.5, 300, -300]


def _values(name, shape):
    if name == "bool":
        base = np.array([True, False, True])
    elif name == "uint8":
        base = np.array([1, 2, 3])
    elif name.startswith("float"):
        base = np.array([1.5, -0.5, 2.0])
    else:
        base = np.array([1, -2, 3])
    return np.resize(base, shape).astype(name)


def operand(kind, name):
    """(ember operand, torch operand) of a kind: 'T' (shape (3,)), 'Z' (0-dim)."""
    arr = _values(name, (3,) if kind == "T" else ())
    return ember.tensor(arr.copy()), torch.tensor(arr.copy())


def outcome(fn, e_args, t_args, check_message=True):
    """Run fn on torch and ember; both must return the same, or raise the same."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.filterwarnings("error", category=RuntimeWarning, module="ember")
        try:
            expected = fn(torch, *t_args)
        except Exception as err:      # torch refuses: ember must refuse the same way
            with pytest.raises(type(err)) as info:
                fn(ember, *e_args)
            if check_message:
                assert str(info.value) == str(err)
            return
        got = fn(ember, *e_args)
    assert_same(got, expected, rtol=1e-3, atol=1e-3)


BINARY = {
    "add": lambda m, a, b: m.add(a, b),
    "sub": lambda m, a, b: m.sub(a, b),
    "mul": lambda m, a, b: m.mul(a, b),
    "div": lambda m, a, b: m.div(a, b),
    "pow": lambda m, a, b: m.pow(a, b),
    "eq": lambda m, a, b: m.eq(a, b),
    "lt": lambda m, a, b: m.lt(a, b),
    "+": lambda m, a, b: a + b,
    "-": lambda m, a, b: a - b,
    "*": lambda m, a, b: a * b,
    "/": lambda m, a, b: a / b,
    "//": lambda m, a, b: a // b,
    "%": lambda m, a, b: a % b,
    "**": lambda m, a, b: a ** b,
    ">=": lambda m, a, b: a >= b,
    "!=": lambda m, a, b: a != b,
    "where": lambda m, a, b: m.where(m.tensor([True, False, True]), a, b),
    "maximum": lambda m, a, b: m.maximum(a, b),
    "remainder": lambda m, a, b: m.remainder(a, b),
    "fmod": lambda m, a, b: m.fmod(a, b),
}

TENSOR_KINDS = [("T", "T"), ("T", "Z"), ("Z", "T"), ("Z", "Z")]


@pytest.mark.parametrize("op", BINARY)
@pytest.mark.parametrize("kinds", TENSOR_KINDS, ids="".join)
def test_tensor_tensor_all_dtype_pairs(op, kinds):
    fn = BINARY[op]
    for a, b in itertools.product(DTYPE_NAMES, DTYPE_NAMES):
        ea, ta = operand(kinds[0], a)
        eb, tb = operand(kinds[1], b)
        try:
            outcome(fn, (ea, eb), (ta, tb))
        except AssertionError as err:
            raise AssertionError(f"{op} {kinds} {a} {b}: {err}") from None


@pytest.mark.parametrize("op", BINARY)
@pytest.mark.parametrize("kind", ["T", "Z"])
def test_tensor_scalar_both_orders(op, kind):
    fn = BINARY[op]
    for name, s in itertools.product(DTYPE_NAMES, SCALARS):
        e, t = operand(kind, name)
        for order in ("tensor-scalar", "scalar-tensor"):
            args = ((e, s), (t, s)) if order == "tensor-scalar" else ((s, e), (s, t))
            if order == "scalar-tensor" and op in ("add", "sub", "mul", "div", "pow", "eq",
                                                   "lt", "maximum", "remainder", "fmod"):
                continue    # torch's functions take a tensor first (except where)
            try:
                outcome(fn, *args)
            except AssertionError as err:
                raise AssertionError(f"{op} {order} {kind} {name} {s!r}: {err}") from None


def test_scalar_first_functions_match_torch():
    # torch.pow and torch.where accept a number first; the others raise TypeError.
    for name in DTYPE_NAMES:
        e, t = operand("T", name)
        for s in SCALARS:
            outcome(lambda m, a, b: m.pow(a, b), (s, e), (s, t))


@pytest.mark.parametrize("op", ["add_", "sub_", "mul_", "div_", "+=", "-=", "*=", "/=",
                                "clamp_", "copy_"])
@pytest.mark.parametrize("kind", ["T", "Z", "s"])
def test_inplace_keeps_own_dtype_or_refuses(op, kind):
    """In place, the result must cast back to self's dtype (no float into int)."""
    def fn(m, a, b):
        a = a.clone()
        if op == "+=":
            a += b
        elif op == "-=":
            a -= b
        elif op == "*=":
            a *= b
        elif op == "/=":
            a /= b
        elif op == "clamp_":
            a.clamp_(min=b)
        elif op == "copy_":
            a.copy_(b if not isinstance(b, (int, float)) else m.tensor(b))
        else:
            getattr(a, op)(b)
        return a
    for a_name in DTYPE_NAMES:
        others = SCALARS if kind == "s" else DTYPE_NAMES
        for b in others:
            ea, ta = operand("T", a_name)
            eb, tb = (b, b) if kind == "s" else operand(kind, b)
            try:
                outcome(fn, (ea, eb), (ta, tb))
            except AssertionError as err:
                raise AssertionError(f"{op} {a_name} {kind} {b!r}: {err}") from None


@pytest.mark.parametrize("a", DTYPE_NAMES)
def test_promote_types_and_result_type(a):
    for b in DTYPE_NAMES:
        assert ember.promote_types(getattr(ember, a), getattr(ember, b)).name == \
            str(torch.promote_types(getattr(torch, a), getattr(torch, b)))[6:]
        ea, ta = operand("T", a)
        eb, tb = operand("Z", b)
        assert ember.result_type(ea, eb).name == str(torch.result_type(ta, tb))[6:]
        for s in SCALARS:
            assert ember.result_type(ea, s).name == str(torch.result_type(ta, s))[6:], (a, s)


def test_default_dtype_float64_changes_scalar_promotion():
    ember.set_default_dtype(ember.float64)
    torch.set_default_dtype(torch.float64)
    try:
        for name in DTYPE_NAMES:
            e, t = operand("T", name)
            outcome(lambda m, a, b: a * b, (e, 2.5), (t, 2.5))
            outcome(lambda m, a, b: a / b, (e, 2), (t, 2))
            outcome(lambda m, a: m.exp(a), (e,), (t,))
    finally:
        torch.set_default_dtype(torch.float32)


@pytest.mark.parametrize("op", ["sum", "prod", "cumsum", "mean", "max", "amax", "argmax"])
def test_reduction_result_dtypes(op):
    for name in DTYPE_NAMES:
        e, t = operand("T", name)
        if op == "cumsum":
            outcome(lambda m, a: a.cumsum(0), (e,), (t,))
        else:
            outcome(lambda m, a: getattr(a, op)(), (e,), (t,))
        for target in ("float64", "int64", "float16"):
            if op in ("sum", "prod", "cumsum", "mean"):
                kw = {"dtype": getattr(ember, target)}, {"dtype": getattr(torch, target)}
                if op == "cumsum":
                    outcome(lambda m, a, k: a.cumsum(0, **k), (e, kw[0]), (t, kw[1]))
                else:
                    outcome(lambda m, a, k: getattr(a, op)(**k), (e, kw[0]), (t, kw[1]))
