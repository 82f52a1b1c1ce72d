"""ember.ops.complex_helpers: torch's complex helpers on real tensors, against torch."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import ember
from ember.autograd import gradcheck
from helpers import both, assert_same, same_outcome

DTYPES = ["float32", "float64", "float16", "int64", "int32", "uint8", "bool"]
IDENTITIES = ["conj", "conj_physical", "resolve_conj", "resolve_neg", "real"]


def _values(dtype, shape=(5,)):
    rng = np.random.default_rng(0)
    raw = rng.integers(-3, 4, size=shape).astype(np.float64)
    return raw.astype(dtype)


@pytest.mark.parametrize("name", IDENTITIES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_identity_helpers_return_the_input_itself(name, dtype):
    e, t = both(_values(dtype))
    assert (getattr(torch, name)(t) is t) and (getattr(ember, name)(e) is e)
    if name != "real":
        assert getattr(e, name)() is e
    else:
        assert e.real is e and t.real is t


def test_identities_keep_the_graph():
    x = ember.tensor([1., -2.], requires_grad=True)
    y = ember.conj(x * 2)
    y.sum().backward()
    assert np.array_equal(x.grad._data, [2., 2.])


@pytest.mark.parametrize("name", ["is_conj", "is_neg"])
def test_is_conj_is_neg_false(name):
    e, t = both(_values("float32"))
    assert getattr(ember, name)(e) is getattr(torch, name)(t) is False
    assert getattr(e, name)() is False


def test_conj_physical_in_place():
    e, t = both(_values("float32"))
    assert ember.conj_physical_(e) is e and e.conj_physical_() is e
    assert np.array_equal(e._data, t.numpy())
    same_outcome(lambda m, x: m.conj_physical_(x), [ember.ones(2, requires_grad=True)],
                 [torch.ones(2, requires_grad=True)])


@pytest.mark.parametrize("name", IDENTITIES + ["is_conj", "is_neg", "conj_physical_", "imag",
                                               "angle", "view_as_real", "view_as_complex"])
@pytest.mark.parametrize("bad", [1.0, [1.0], None])
def test_non_tensor_input_errors_as_torch(name, bad):
    same_outcome(lambda m, x: getattr(m, name)(x), [bad], [bad])


@pytest.mark.parametrize("dtype", DTYPES)
def test_imag_and_view_as_real_refused_as_torch(dtype):
    e, t = both(_values(dtype))
    same_outcome(lambda m, x: m.imag(x), [e], [t])
    same_outcome(lambda m, x: x.imag, [e], [t])
    same_outcome(lambda m, x: m.view_as_real(x), [e], [t])


@settings(max_examples=40)
@given(st.sampled_from(DTYPES), hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
       st.integers(0, 2**31))
def test_angle_matches_torch(dtype, shape, seed):
    rng = np.random.default_rng(seed)
    raw = rng.choice([-np.inf, -2.5, -1, -0.0, 0.0, 1, 3, np.inf, np.nan], size=shape)
    if dtype not in ("float32", "float64", "float16"):
        raw = np.nan_to_num(raw, nan=0, posinf=5, neginf=-5)
        raw = np.abs(raw) if dtype in ("uint8", "bool") else raw
    e, t = both(raw.astype(dtype))
    assert_same(ember.angle(e), torch.angle(t), rtol=1e-3)
    assert_same(e.angle(), t.angle(), rtol=1e-3)


@pytest.mark.parametrize("default", [ember.float32, ember.float64])
def test_angle_of_integers_uses_the_default_dtype(default):
    ember.set_default_dtype(default)
    torch.set_default_dtype(getattr(torch, default.name))
    try:
        e, t = both(np.array([-3, 0, 2]))
        assert_same(ember.angle(e), torch.angle(t))
    finally:
        torch.set_default_dtype(torch.float32)


def test_angle_gradient_is_zero_as_torch():
    e, t = both(np.array([-1.5, 0.0, 2.0, np.nan]), requires_grad=True)
    ember.angle(e).sum().backward()
    torch.angle(t).sum().backward()
    assert_same(e.grad, t.grad)
    assert ember.angle(e).grad_fn.name() == torch.angle(t).grad_fn.name()
    assert gradcheck(ember.angle, (ember.tensor([-1.5, 0.5, 2.0], dtype=ember.float64,
                                                 requires_grad=True),))


def test_angle_out():
    e, t = both(np.array([-1.5, 2.0], dtype=np.float32))
    eo, to = ember.empty(2), torch.empty(2)
    assert ember.angle(e, out=eo) is eo
    torch.angle(t, out=to)
    assert_same(eo, to)


@pytest.mark.parametrize("shape", [(3, 2), (2,), (3, 3), ()])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "bool"])
def test_view_as_complex(shape, dtype):
    e, t = both(np.ones(shape, dtype=dtype))
    try:
        torch.view_as_complex(t)
    except RuntimeError as err:
        with pytest.raises(RuntimeError) as info:
            ember.view_as_complex(e)
        assert str(info.value) == str(err)
    else:
        with pytest.raises(RuntimeError, match="ember has no complex dtypes"):
            ember.view_as_complex(e)


@pytest.mark.parametrize("name", ["complex", "polar"])
@pytest.mark.parametrize("dtypes", [("float32", "float32"), ("float64", "float64"),
                                    ("float32", "int64"), ("int64", "int64"), ("bool", "float16")])
def test_complex_and_polar(name, dtypes):
    (e1, t1), (e2, t2) = both(np.ones(2, dtypes[0])), both(np.ones(2, dtypes[1]))
    try:
        getattr(torch, name)(t1, t2)
    except RuntimeError as err:
        with pytest.raises(RuntimeError) as info:
            getattr(ember, name)(e1, e2)
        assert str(info.value) == str(err)
    else:
        with pytest.raises(RuntimeError, match="ember has no complex dtypes"):
            getattr(ember, name)(e1, e2)


@pytest.mark.parametrize("name", ["complex", "polar"])
def test_complex_and_polar_non_tensor_errors_as_torch(name):
    same_outcome(lambda m: getattr(m, name)(1.0, 2.0), [], [])
    same_outcome(lambda m, x: getattr(m, name)(x, 2.0), [ember.ones(1)], [torch.ones(1)])
