"""ember.nn.functional against torch.nn.functional: values, dtypes, gradients, errors."""
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import ember
import ember.nn.functional as F
from ember.autograd import gradcheck, gradgradcheck
from helpers import assert_same, assert_grads_same, same_outcome

RNG = np.random.default_rng(0)


def randn(*shape, dtype="float32"):
    return RNG.standard_normal(shape).astype(dtype)


def f64(*shape):
    return ember.tensor(randn(*shape, dtype="float64"), requires_grad=True)


def same_error(fn, exc=Exception):
    """Run fn(ember) and fn(torch): both must raise the same type with the same text."""
    with pytest.raises(exc) as t_err:
        fn(torch)
    with pytest.raises(type(t_err.value)) as e_err:
        fn(ember)
    assert str(e_err.value) == str(t_err.value)


# ------------------------------------------------------------------ linear
@settings(max_examples=30, deadline=None)
@given(batch=st.lists(st.integers(0, 3), min_size=0, max_size=2), n_in=st.integers(1, 4),
       n_out=st.integers(1, 4), bias=st.booleans(), dtype=st.sampled_from(["float32", "float64"]))
def test_linear_matches_torch(batch, n_in, n_out, bias, dtype):
    arrays = [randn(*batch, n_in, dtype=dtype), randn(n_out, n_in, dtype=dtype)]
    if bias:
        arrays.append(randn(n_out, dtype=dtype))
    assert_grads_same(lambda m, *a: m.nn.functional.linear(*a), arrays, rtol=1e-4, atol=1e-5)


def test_linear_grad_fn_names_match_torch():
    for shape, bias in [((3, 2), True), ((3, 2), False), ((2,), True), ((4, 3, 2), True)]:
        x, w, b = (f64(*shape), f64(5, 2), f64(5))
        tx, tw, tb = (torch.tensor(t.detach().numpy(), requires_grad=True) for t in (x, w, b))
        e = F.linear(x, w, b if bias else None)
        t = torch.nn.functional.linear(tx, tw, tb if bias else None)
        assert type(e.grad_fn).__name__ == type(t.grad_fn).__name__


def test_linear_1d_weight_matches_torch():
    assert_grads_same(lambda m, x, w: m.nn.functional.linear(x, w), [randn(3, 2), randn(2)])
    same_error(lambda m: m.nn.functional.linear(m.randn(3, 2), m.randn(2), m.randn(())))


def test_linear_gradcheck_and_gradgradcheck():
    x, w, b = f64(4, 3), f64(2, 3), f64(2)
    assert gradcheck(F.linear, (x, w, b))
    assert gradgradcheck(F.linear, (x, w, b))


@pytest.mark.parametrize("args", [
    lambda m: (m.randn(3, 2), m.randn(4, 3)),
    lambda m: (m.randn(3, 2), m.randn(4, 2, dtype=m.float64)),
    lambda m: (m.randn(3, 2), m.randn(4, 2), m.randn(3)),
    lambda m: (m.randn(3, 2, dtype=m.float64), m.randn(4, 2), m.randn(4)),
    lambda m: (m.randn(3, 2), m.randn(4, 2), m.randn(4, dtype=m.float64)),
    lambda m: (m.randn(5, 3, 2), m.randn(4, 2, dtype=m.float64), m.randn(4)),
    lambda m: (m.randn(2), m.randn(4, 3)),
    lambda m: (m.randn(5, 3, 2), m.randn(4, 3)),
    lambda m: (m.tensor(1.0), m.randn(4, 2)),
])
def test_linear_errors_match_torch(args):
    same_error(lambda m: m.nn.functional.linear(*args(m)))


# ------------------------------------------------------------ activations
@pytest.mark.parametrize("name,kwargs", [
    ("relu", {}), ("sigmoid", {}), ("tanh", {}), ("leaky_relu", {}),
    ("leaky_relu", {"negative_slope": 0.2}), ("gelu", {}), ("gelu", {"approximate": "tanh"}),
])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_activations_match_torch(name, kwargs, dtype):
    x = randn(4, 5, dtype=dtype) * 3
    x[0, :3] = [0.0, -0.0, 1e-3]
    assert_grads_same(lambda m, a: getattr(m.nn.functional, name)(a, **kwargs), [x],
                      rtol=2e-5, atol=1e-6)


@pytest.mark.parametrize("fn", [lambda x: F.gelu(x), lambda x: F.gelu(x, approximate="tanh"),
                                lambda x: F.leaky_relu(x, 0.1)])
def test_activations_gradcheck(fn):
    x = f64(3, 4)
    assert gradcheck(fn, (x,))
    assert gradgradcheck(fn, (x,))


def test_activations_of_empty_and_0d_match_torch():
    for shape in [(0,), (), (2, 0)]:
        for name in ["relu", "gelu", "leaky_relu", "sigmoid"]:
            x = randn(*shape)
            assert_same(getattr(F, name)(ember.tensor(x)),
                        getattr(torch.nn.functional, name)(torch.tensor(x)))


def test_inplace_activations_modify_input():
    for name in ["relu", "leaky_relu"]:
        x = randn(3, 4)
        e, t = ember.tensor(x), torch.tensor(x)
        re = getattr(F, name)(e, inplace=True)
        rt = getattr(torch.nn.functional, name)(t, inplace=True)
        assert re is e
        assert_same(e, t)
        assert_same(re, rt)


def test_activation_errors_match_torch():
    same_error(lambda m: m.nn.functional.gelu(m.randn(2), approximate="foo"))
    same_error(lambda m: m.nn.functional.leaky_relu(m.tensor([1, -2])))


def test_inplace_leaky_relu_records_torchs_inplace_node():
    x = randn(2, 3)
    for m in (ember, torch):
        a = m.tensor(x, requires_grad=True)
        out = m.nn.functional.leaky_relu(a.clone(), 0.1, inplace=True)
        assert type(out.grad_fn).__name__ == "LeakyReluBackward1"
    assert_grads_same(lambda m, a: m.nn.functional.leaky_relu(a.clone(), 0.1, inplace=True),
                      [x])
    # a negative slope in place cannot be differentiated: torch refuses in backward
    same_error(lambda m: m.nn.functional.leaky_relu(
        m.tensor(x, requires_grad=True).clone(), -0.1, inplace=True).sum().backward())


# ------------------------------------------------------------ softmax
@pytest.mark.parametrize("fname", ["softmax", "log_softmax", "softmin"])
@pytest.mark.parametrize("shape,dim", [((5,), 0), ((3, 4), 1), ((3, 4), 0), ((2, 3, 4), -1),
                                       ((2, 3, 4), 1), ((), 0), ((0, 3), 1)])
def test_softmax_family_matches_torch(fname, shape, dim):
    x = randn(*shape) * 4
    assert_grads_same(lambda m, a: getattr(m.nn.functional, fname)(a, dim), [x])


@pytest.mark.parametrize("fname", ["softmax", "log_softmax"])
def test_softmax_is_stable_for_large_and_infinite_inputs(fname):
    x = np.array([[1000.0, 1001.0, -np.inf], [-1e4, 0.0, 1e4]], dtype="float32")
    assert_grads_same(lambda m, a: getattr(m.nn.functional, fname)(a, 1), [x])


@pytest.mark.parametrize("fname", ["softmax", "log_softmax"])
def test_softmax_dtype_argument_and_tensor_method(fname):
    x = randn(2, 3)
    e = getattr(F, fname)(ember.tensor(x), 1, dtype=ember.float64)
    t = getattr(torch.nn.functional, fname)(torch.tensor(x), 1, dtype=torch.float64)
    assert_same(e, t)
    assert_same(getattr(ember.tensor(x), fname)(0), getattr(torch.tensor(x), fname)(0))
    assert_same(getattr(ember, fname)(ember.tensor(x), 1), getattr(torch, fname)(
        torch.tensor(x), 1))
    same_error(lambda m: getattr(m.nn.functional, fname)(m.tensor([1, 2]), 0))
    same_error(lambda m: getattr(m.nn.functional, fname)(m.randn(2, 3), 2))


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int64", "float16"])
def test_softmin_negates_in_the_input_dtype_before_converting(dtype):
    # torch computes (-x).softmax(dim, dtype): a uint8 input wraps around first
    x = np.array([[0, 1, 5], [127, 2, 3]]).astype(dtype)
    if dtype == "int8":
        x[1, 0] = -128
    assert_same(F.softmin(ember.tensor(x), 1, dtype=ember.float64),
                torch.nn.functional.softmin(torch.tensor(x), 1, dtype=torch.float64))
    same_error(lambda m: m.nn.functional.softmin(m.tensor([True, False]), 0,
                                                 dtype=m.float32))


@pytest.mark.parametrize("shape", [(4,), (3, 4), (2, 3, 4), (2, 3, 4, 5)])
def test_softmax_implicit_dim_warns_and_picks_torchs_dim(shape):
    x = randn(*shape)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        e = F.softmax(ember.tensor(x))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.filterwarnings("error", category=RuntimeWarning, module="ember")
        t = torch.nn.functional.softmax(torch.tensor(x))
    assert_same(e, t)


def test_softmax_gradcheck_and_gradgradcheck():
    x = f64(3, 4)
    for fn in (lambda a: F.softmax(a, 1), lambda a: F.log_softmax(a, 0)):
        assert gradcheck(fn, (x,))
        assert gradgradcheck(fn, (x,))


# ------------------------------------------------------------ regression losses
REGRESSION = [("mse_loss", {}), ("l1_loss", {}), ("huber_loss", {}),
              ("huber_loss", {"delta": 0.3}), ("smooth_l1_loss", {}),
              ("smooth_l1_loss", {"beta": 0.4}), ("smooth_l1_loss", {"beta": 0.0})]


@pytest.mark.parametrize("name,kwargs", REGRESSION)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_regression_losses_match_torch(name, kwargs, reduction, dtype):
    x, y = randn(4, 3, dtype=dtype), randn(4, 3, dtype=dtype)
    y[0, 0] = x[0, 0]          # a zero difference (the kink of l1/smooth_l1)
    assert_grads_same(lambda m, a, b: getattr(m.nn.functional, name)(
        a, b, reduction=reduction, **kwargs), [x, y], rtol=2e-5)


@pytest.mark.parametrize("name,kwargs", REGRESSION)
def test_regression_losses_gradcheck(name, kwargs):
    x, y = f64(3, 2), f64(3, 2)
    for reduction in ["mean", "none"]:
        fn = lambda a, b: getattr(F, name)(a, b, reduction=reduction, **kwargs)  # noqa: E731
        assert gradcheck(fn, (x, y))
        assert gradgradcheck(fn, (x, y))


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss"])
def test_regression_losses_broadcast_with_torchs_warning(name):
    x, y = randn(3, 1), randn(3)
    with pytest.warns(UserWarning, match=r"Using a target size \(torch.Size\(\[3\]\)\) that "
                      r"is different to the input size \(torch.Size\(\[3, 1\]\)\)"):
        e = getattr(F, name)(ember.tensor(x), ember.tensor(y))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.filterwarnings("error", category=RuntimeWarning, module="ember")
        assert_grads_same(lambda m, a, b: getattr(m.nn.functional, name)(a, b), [x, y])
        assert_same(e, getattr(torch.nn.functional, name)(torch.tensor(x), torch.tensor(y)))


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_weighted_regression_losses_match_torch(name, reduction):
    x, y, w = randn(4, 3), randn(4, 3), np.abs(randn(4, 3))
    assert_grads_same(lambda m, a, b, c: getattr(m.nn.functional, name)(
        a, b, reduction=reduction, weight=c), [x, y, w])


def test_regression_losses_mixed_dtypes_and_empty_match_torch():
    x, y = randn(3), randn(3, dtype="float64")
    assert_same(F.mse_loss(ember.tensor(x), ember.tensor(y)),
                torch.nn.functional.mse_loss(torch.tensor(x), torch.tensor(y)))
    for name in ["mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss"]:
        for reduction in ["mean", "sum", "none"]:
            e = getattr(F, name)(ember.zeros(0), ember.zeros(0), reduction=reduction)
            t = getattr(torch.nn.functional, name)(torch.zeros(0), torch.zeros(0),
                                                   reduction=reduction)
            assert_same(e, t)


@pytest.mark.parametrize("xdt,ydt", [("float64", "float32"), ("float32", "float64"),
                                     ("float16", "float32"), ("int64", "float32"),
                                     ("float32", "int64"), ("bool", "int64"),
                                     ("int32", "int32"), ("uint8", "float64")])
@pytest.mark.parametrize("shape", [(), (4,), (0,)])
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_huber_loss_writes_the_inputs_dtype_as_torch(xdt, ydt, shape, reduction):
    # torch computes in the common dtype and casts into the input's dtype, or refuses
    x, y = (randn(*shape) * 2).astype(xdt), (randn(*shape) * 2).astype(ydt)
    same_outcome(lambda m, a, b: m.nn.functional.huber_loss(a, b, reduction=reduction),
                 [ember.tensor(x), ember.tensor(y)], [torch.tensor(x), torch.tensor(y)],
                 rtol=0, atol=0)


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss"])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_float16_regression_losses_reduce_in_float32_as_torch(name, reduction):
    # NumPy's float16 accumulator drifts by a few units in the last place over many values
    rng = np.random.default_rng(11)
    for n in [1000, 2500]:
        x = (rng.standard_normal(n) * 3).astype("float16")
        y = (rng.standard_normal(n) * 3).astype("float16")
        same_outcome(lambda m, a, b: getattr(m.nn.functional, name)(a, b, reduction=reduction),
                     [ember.tensor(x), ember.tensor(y)], [torch.tensor(x), torch.tensor(y)],
                     rtol=0, atol=0)


@pytest.mark.parametrize("name,kwargs", REGRESSION[:-1])   # (torch's beta=0 backward fails)
def test_regression_losses_cast_an_out_of_range_int_target_silently(name, kwargs):
    # int64 extremes become float16 inf in torch with no warning (the suite turns a
    # leaked NumPy RuntimeWarning into an error)
    x = randn(2, 3, dtype="float16")
    y = np.array([[np.iinfo(np.int64).min, np.iinfo(np.int64).max, 1], [0, 2, -3]])
    for reduction in ("none", "mean"):
        # (forward only: torch's huber backward refuses an int64 target)
        assert_same(getattr(F, name)(ember.tensor(x), ember.tensor(y), reduction=reduction,
                                     **kwargs),
                    getattr(torch.nn.functional, name)(torch.tensor(x), torch.tensor(y),
                                                       reduction=reduction, **kwargs),
                    rtol=1e-3, atol=1e-3)


def test_regression_losses_legacy_flags_warn_like_torch():
    x, y = randn(3), randn(3)
    with pytest.warns(UserWarning, match="reduction='sum' instead"):
        e = F.mse_loss(ember.tensor(x), ember.tensor(y), size_average=False)
    assert_same(e, torch.nn.functional.mse_loss(torch.tensor(x), torch.tensor(y),
                                                reduction="sum"))


@pytest.mark.parametrize("call", [
    lambda m: m.nn.functional.mse_loss(m.randn(3, 2), m.randn(3, 3)),
    lambda m: m.nn.functional.mse_loss(m.randn(3), m.randn(3), reduction="foo"),
    lambda m: m.nn.functional.l1_loss(m.randn(3), m.randn(3), reduction="foo"),
    lambda m: m.nn.functional.mse_loss(m.tensor([1, 2]), m.tensor([1, 2])),
    lambda m: m.nn.functional.huber_loss(m.randn(3), m.randn(3), delta=-1.0),
    lambda m: m.nn.functional.smooth_l1_loss(m.randn(3), m.randn(3), beta=-1.0),
    lambda m: m.nn.functional.mse_loss(m.randn(3), m.randn(3), weight=m.ones(2)),
])
def test_regression_loss_errors_match_torch(call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.filterwarnings("error", category=RuntimeWarning, module="ember")
        same_error(call)


# ----------------------------------------------------------- classification
CLASS_CASES = [((5,), ()), ((4, 5), (4,)), ((3, 5, 2), (3, 2)), ((2, 5, 2, 3), (2, 2, 3)),
               ((0, 5), (0,))]


def _targets(shape, n_classes=5, ignore=None):
    t = RNG.integers(0, n_classes, size=shape).astype("int64")
    if ignore is not None and t.size:
        t.flat[0] = ignore
    return t


@pytest.mark.parametrize("shape,tshape", CLASS_CASES)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore", [None, 2, -100])
def test_nll_and_cross_entropy_match_torch(shape, tshape, reduction, weighted, ignore):
    x = randn(*shape)
    target = _targets(tshape, ignore=ignore)
    w = np.abs(randn(5)) + 0.1 if weighted else None
    kwargs = dict(reduction=reduction, ignore_index=-100 if ignore is None else ignore)
    for fname in ["nll_loss", "cross_entropy"]:
        def fn(m, a):
            wt = None if w is None else m.tensor(w)
            return getattr(m.nn.functional, fname)(a, m.tensor(target), weight=wt, **kwargs)
        assert_grads_same(fn, [x])


@pytest.mark.parametrize("shape,tshape", CLASS_CASES[:4])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_label_smoothing_matches_torch(shape, tshape, reduction, weighted):
    x = randn(*shape)
    target = _targets(tshape, ignore=1)
    w = np.abs(randn(5)) + 0.1 if weighted else None

    def fn(m, a):
        wt = None if w is None else m.tensor(w)
        return m.nn.functional.cross_entropy(a, m.tensor(target), weight=wt, ignore_index=1,
                                             reduction=reduction, label_smoothing=0.15)
    assert_grads_same(fn, [x])


@pytest.mark.parametrize("fname", ["nll_loss", "cross_entropy"])
@pytest.mark.parametrize("shape", [(4, 3), (2, 3, 4), (2, 3, 2, 2)])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_weighted_class_losses_of_infinite_inputs_at_ignored_targets(fname, shape, reduction):
    # an ignored target's zero weight times an inf input must not leak NumPy's warning
    x = randn(*shape)
    x.flat[::3] = np.inf
    x.flat[1::5] = -np.inf
    target = _targets((shape[0],) + shape[2:], n_classes=3, ignore=1)
    target.flat[::2] = 1
    w = np.abs(randn(3)) + 0.1
    assert_grads_same(lambda m, a: getattr(m.nn.functional, fname)(
        a, m.tensor(target), weight=m.tensor(w), ignore_index=1, reduction=reduction), [x])


@pytest.mark.parametrize("tdtype", ["uint8", "int16"])
def test_weighted_label_smoothing_takes_only_int32_int64_targets_as_torch(tdtype):
    same_error(lambda m: m.nn.functional.cross_entropy(
        m.randn(3, 4), m.tensor([0, 1, 3]).to(getattr(m, tdtype)), weight=m.ones(4),
        label_smoothing=0.1))
    same_error(lambda m: m.nn.functional.cross_entropy(
        m.randn(4), m.tensor(2).to(getattr(m, tdtype)), weight=m.ones(4),
        label_smoothing=0.1))


@pytest.mark.parametrize("shape", [(5,), (4, 5), (3, 5, 2)])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_cross_entropy_with_probabilities_matches_torch(shape, reduction, weighted, smoothing):
    x = randn(*shape)
    p = np.exp(randn(*shape))
    p /= p.sum(axis=0 if len(shape) == 1 else 1, keepdims=True)
    w = np.abs(randn(5)) + 0.1 if weighted else None

    def fn(m, a, b):
        wt = None if w is None else m.tensor(w)
        return m.nn.functional.cross_entropy(a, b, weight=wt, reduction=reduction,
                                             label_smoothing=smoothing)
    assert_grads_same(fn, [x, p.astype("float32")])


def test_classification_losses_gradcheck():
    x = f64(4, 3)
    t = ember.tensor([0, 2, 1, 2])
    w = ember.tensor([0.5, 1.0, 2.0], dtype=ember.float64)
    assert gradcheck(lambda a: F.cross_entropy(a, t, weight=w, label_smoothing=0.1), (x,))
    assert gradgradcheck(lambda a: F.cross_entropy(a, t), (x,))
    assert gradcheck(lambda a: F.nll_loss(a, t, reduction="none"), (x,))


def test_all_ignored_targets_give_torchs_nan_and_zero():
    x = randn(3, 2)
    t = np.array([-100, -100, -100])
    for reduction in ["mean", "sum"]:
        assert_same(F.nll_loss(ember.tensor(x), ember.tensor(t), reduction=reduction),
                    torch.nn.functional.nll_loss(torch.tensor(x), torch.tensor(t),
                                                 reduction=reduction))


@pytest.mark.parametrize("call", [
    lambda m: m.nn.functional.nll_loss(m.randn(3, 2), m.tensor([0, 1, 5])),
    lambda m: m.nn.functional.nll_loss(m.randn(3, 2), m.tensor([0, 1, -5])),
    lambda m: m.nn.functional.nll_loss(m.randn(3, 2), m.tensor([0.0, 1, 1])),
    lambda m: m.nn.functional.nll_loss(m.randn(3, 2), m.tensor([0, 1])),
    lambda m: m.nn.functional.nll_loss(m.randn(3, 2), m.tensor([0, 1, 1]), weight=m.ones(3)),
    lambda m: m.nn.functional.nll_loss(m.randn(3, 2), m.tensor([0, 1, 1]).int()),
    lambda m: m.nn.functional.nll_loss(m.randn(3, 2), m.tensor([[0, 1, 1]])),
    lambda m: m.nn.functional.nll_loss(m.randn(3, 2), m.tensor([0, 1, 1]), reduction="foo"),
    lambda m: m.nn.functional.nll_loss(m.tensor(2.0), m.tensor(1)),
    lambda m: m.nn.functional.cross_entropy(m.randn(3, 2), m.tensor([0, 1, 5])),
    lambda m: m.nn.functional.cross_entropy(m.randn(3, 2), m.randn(3, 3)),
    lambda m: m.nn.functional.cross_entropy(m.randn(3, 2), m.tensor([0, 1])),
    lambda m: m.nn.functional.cross_entropy(m.randn(3, 2), m.tensor([0, 1, 1]),
                                            label_smoothing=1.5),
])
def test_classification_errors_match_torch(call):
    same_error(call)


# ---------------------------------------------------------------- one_hot
@pytest.mark.parametrize("values,n", [([0, 2], -1), ([[1, 0], [3, 3]], 5), ([], 3), (3, -1)])
def test_one_hot_matches_torch(values, n):
    e = F.one_hot(ember.tensor(values, dtype=ember.int64), n)
    t = torch.nn.functional.one_hot(torch.tensor(values, dtype=torch.int64), n)
    assert_same(e, t)


@pytest.mark.parametrize("call", [
    lambda m: m.nn.functional.one_hot(m.tensor([0, 2]), 2),
    lambda m: m.nn.functional.one_hot(m.tensor([0, -1])),
    lambda m: m.nn.functional.one_hot(m.tensor([0.0, 1.0])),
    lambda m: m.nn.functional.one_hot(m.tensor([0, 1]).int()),
    lambda m: m.nn.functional.one_hot(m.tensor([], dtype=m.int64)),
    lambda m: m.nn.functional.one_hot(m.zeros(2, 0, dtype=m.int64), 0),
    lambda m: m.nn.functional.one_hot(m.zeros(0, dtype=m.int64), -3),
])
def test_one_hot_errors_match_torch(call):
    same_error(call)


# ---------------------------------------------------------------- dropout
def test_dropout_zeroes_about_p_and_rescales_the_rest():
    ember.manual_seed(0)
    x = ember.ones(100_000, requires_grad=True)
    y = F.dropout(x, 0.3)
    kept = y.detach().numpy() != 0
    assert abs(1 - kept.mean() - 0.3) < 0.01
    np.testing.assert_allclose(y.detach().numpy()[kept], 1 / 0.7, rtol=1e-6)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), y.detach().numpy())   # grad = mask / (1-p)


def test_dropout_eval_p0_p1_inplace_and_errors():
    x = ember.tensor(randn(4, 5))
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x
    assert_same(F.dropout(x, 1.0), torch.nn.functional.dropout(torch.tensor(x.numpy()), 1.0))
    y = ember.tensor(randn(4, 5))
    assert F.dropout(y, 0.5, inplace=True) is y
    for p in [-0.1, 1.5]:
        same_error(lambda m: m.nn.functional.dropout(m.ones(3), p))


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int64", "float16", "float64"])
@pytest.mark.parametrize("p", [0.0, 0.5, 1.0])
@pytest.mark.parametrize("inplace", [False, True])
def test_dropout_of_integer_and_bool_input_as_torch(dtype, p, inplace):
    # p=1 keeps the input's dtype (zeros of it), 0 < p < 1 is torch's cast error
    x = np.ones((2, 3), dtype=dtype)
    got = same_outcome(lambda m, a: m.nn.functional.dropout(a, p, inplace=inplace)
                       if p != 0.5 or dtype[0] != "f" else a, [ember.tensor(x)], [torch.tensor(x)])
    if got is not None and p == 1.0:
        assert got.dtype.name == dtype


def test_dropout_of_an_empty_tensor_is_the_input_itself():
    for shape in [(0,), (2, 0, 3)]:
        x = ember.empty(shape, requires_grad=True)
        t = torch.empty(shape, requires_grad=True)
        for p in [0.3, 1.0]:
            y, ty = F.dropout(x, p), torch.nn.functional.dropout(t, p)
            assert (y is x) == (ty is t)
            assert y.grad_fn is None and ty.grad_fn is None


def test_dropout_p1_records_a_product_as_torch():
    x = ember.tensor(randn(3), requires_grad=True)
    t = torch.tensor(x.detach().numpy(), requires_grad=True)
    y, ty = F.dropout(x, 1.0), torch.nn.functional.dropout(t, 1.0)
    assert type(y.grad_fn).__name__ == type(ty.grad_fn).__name__
    assert_grads_same(lambda m, a: m.nn.functional.dropout(a, 1.0).sum(), [x.detach().numpy()])


def test_dropout_is_reproducible_with_the_seed():
    ember.manual_seed(3)
    a = F.dropout(ember.ones(50))
    ember.manual_seed(3)
    b = F.dropout(ember.ones(50))
    assert ember.equal(a, b)


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
def test_softmax_gives_nan_for_inf_silently_and_restores_numpys_error_state(fn):
    x = [[float("inf"), 1.0], [1.0, 2.0]]
    with np.errstate(over="raise", invalid="raise", divide="raise", under="raise"):
        before = np.geterr()
        e = getattr(F, fn)(ember.tensor(x), 1)
        assert np.geterr() == before
    t = getattr(torch.nn.functional, fn)(torch.tensor(x), 1)
    np.testing.assert_allclose(e.numpy(), t.numpy(), rtol=1e-6)     # nan where torch's is


# ------------------------------------------- whole graphs and mixed dtypes, as in torch
def graph_names(t, edgeless=True):
    """The node names of t's whole backward graph, depth first ('None' for an input
    without an edge, unless not ``edgeless``), each with its depth, so that two graphs
    compare with ==."""
    names = []

    def walk(fn, depth):
        if fn is not None or edgeless:
            names.append((depth, "None" if fn is None else type(fn).__name__))
        for nxt, _ in (() if fn is None else fn.next_functions):
            walk(nxt, depth + 1)
    walk(t.grad_fn, 0)
    return names


def assert_graph_same(fn, arrays, needs_grad=None, rtol=1e-5, atol=1e-6, edgeless=True):
    """fn(module, *tensors) on ember and on torch: the same values and dtype, the same
    node names along the whole graph, and the same gradients of every input that
    ``needs_grad`` marks (all of them by default)."""
    needs_grad = needs_grad or [True] * len(arrays)
    es = [ember.tensor(np.array(a), requires_grad=g) for a, g in zip(arrays, needs_grad)]
    ts = [torch.tensor(np.array(a), requires_grad=g) for a, g in zip(arrays, needs_grad)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.filterwarnings("error", category=RuntimeWarning, module="ember")
        eo, to = fn(ember, *es), fn(torch, *ts)
    assert_same(eo, to, rtol, atol, what="output")
    assert graph_names(eo, edgeless) == graph_names(to, edgeless)
    g = np.random.default_rng(1).standard_normal(tuple(to.shape)).astype(
        str(to.dtype).replace("torch.", ""))
    eo.backward(ember.tensor(g))
    to.backward(torch.tensor(g))
    for i, (e, t) in enumerate(zip(es, ts)):
        if t.requires_grad:
            assert_same(e.grad, t.grad, rtol, atol, what=f"grad of input {i}")


@pytest.mark.parametrize("shape,tshape", [((5,), ()), ((4, 5), (4,)), ((3, 5, 2), (3, 2)),
                                          ((2, 5, 2, 3), (2, 2, 3)),
                                          ((2, 5, 1, 2, 2), (2, 1, 2, 2))])
@pytest.mark.parametrize("in_dtype,w_dtype", [("float64", "float32"), ("float32", "float64"),
                                              ("float32", "int64"), ("float16", "float32")])
@pytest.mark.parametrize("fname,kwargs", [("nll_loss", {}), ("cross_entropy", {}),
                                          ("cross_entropy", {"label_smoothing": 0.1})])
def test_class_weight_of_another_dtype_raises_as_in_torch(shape, tshape, in_dtype, w_dtype,
                                                         fname, kwargs):
    x = randn(*shape, dtype=in_dtype)
    t = _targets(tshape)
    same_error(lambda m: getattr(m.nn.functional, fname)(
        m.tensor(x), m.tensor(t), weight=m.ones(5, dtype=getattr(m, w_dtype)), **kwargs))


@pytest.mark.parametrize("call", [
    # the weight's dtype is checked after its shape and before the target's values
    lambda m: m.nn.functional.nll_loss(m.randn(2, 3).double(), m.tensor([0, 7]),
                                       weight=m.ones(3)),
    lambda m: m.nn.functional.nll_loss(m.randn(2, 3).double(), m.tensor([0, 7]),
                                       weight=m.ones(4)),
    lambda m: m.nn.functional.nll_loss(m.randn(2, 3).long(), m.tensor([0, 1]),
                                       weight=m.ones(3)),
    lambda m: m.nn.functional.nll_loss(m.randn(3).double(), m.tensor(1), weight=m.ones(3)),
    # with grad mode off, a weight that requires grad reaches the dtype check
    lambda m: m.no_grad().__enter__() or m.nn.functional.nll_loss(
        m.randn(2, 3).double(), m.tensor([0, 1]), weight=m.ones(3, requires_grad=True)),
])
def test_nll_loss_weight_dtype_error_order_matches_torch(call):
    try:
        same_error(call)
    finally:
        torch.set_grad_enabled(True)
        ember.set_grad_enabled(True)



@pytest.mark.parametrize("shape,tshape", [((5,), ()), ((4, 5), (4,))])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cross_entropy_label_smoothing_graph_matches_torch(shape, tshape, reduction, weighted,
                                                            dtype):
    # torch scales the two terms by Python numbers inside its kernel (MulBackward1) and
    # zeroes the ignored positions with a masked_fill of a number (one edge)
    target = _targets(tshape, ignore=1)
    w = (np.abs(randn(5)) + 0.1).astype(dtype)
    assert_graph_same(lambda m, a: m.nn.functional.cross_entropy(
        a, m.tensor(target), weight=m.tensor(w) if weighted else None, ignore_index=1,
        reduction=reduction, label_smoothing=0.15), [randn(*shape, dtype=dtype)])


@pytest.mark.parametrize("shape", [(5,), (4, 5), (3, 5, 2), (0, 5)])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
@pytest.mark.parametrize("target_grad", [False, True])
def test_cross_entropy_probabilities_graph_matches_torch(shape, reduction, weighted, smoothing,
                                                          target_grad):
    # torch: -(logp * target * weight).sum() / (numel / C) with a Python number
    # (DivBackward1), a smoothed target target * (1 - s) + s / C (MulBackward1,
    # AddBackward1), and the nan of an empty mean filled in (FillBackward2)
    p = np.abs(randn(*shape))
    w = np.abs(randn(5)) + 0.1
    assert_graph_same(lambda m, a, b: m.nn.functional.cross_entropy(
        a, b, weight=m.tensor(w.astype("float32")) if weighted else None, reduction=reduction,
        label_smoothing=smoothing), [randn(*shape), p], [True, target_grad])


def test_class_weight_of_another_dtype_with_probability_targets_promotes_as_in_torch():
    for x_dt, w_dt, p_dt in [("float32", "float64", "float32"), ("float64", "float32", "float64"),
                             ("float32", "float32", "float64")]:
        assert_graph_same(lambda m, a, p: m.nn.functional.cross_entropy(
            a, p, weight=m.tensor(np.linspace(0.5, 2, 3).astype(w_dt))),
            [randn(4, 3, dtype=x_dt), np.abs(randn(4, 3, dtype=p_dt))], [True, False])


@pytest.mark.parametrize("shape,perm", [((5,), None), ((4, 5), None), ((3, 5, 4), None),
                                        ((3, 4, 5), (0, 2, 1)), ((2, 5, 3, 2), None),
                                        ((2, 3, 2, 5), (0, 3, 1, 2)), ((2, 5, 1, 2, 3), None),
                                        ((2, 5, 0), None), ((0, 5, 2, 2), None)])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("fname,kwargs", [("nll_loss", {}), ("cross_entropy", {}),
                                          ("nll_loss", {"weighted": True, "ignore_index": 2}),
                                          ("cross_entropy", {"label_smoothing": 0.1})])
def test_spatial_class_losses_graph_matches_torch(shape, perm, reduction, fname, kwargs):
    # torch runs 4-D input through nll_loss2d (NllLoss2DBackward0), and 3-D or 5-D and
    # more as 4-D: contiguous (CloneBackward0 when it copies), reshaped to
    # (N, C, 1, -1) (ViewBackward0), with the 'none' losses viewed back
    kwargs = dict(kwargs)
    weighted = kwargs.pop("weighted", False)
    if fname == "nll_loss" and perm is not None and len(shape) == 4:
        pytest.skip("torch's own nll_loss2d backward of channels-last input fails "
                    "(grad_input must be contiguous)")
    x = randn(*shape)
    moved = x if perm is None else x.transpose(perm)
    target = _targets(moved.shape[:1] + moved.shape[2:] if moved.ndim > 1 else (), ignore=2)
    w = np.abs(randn(5)) + 0.1

    def fn(m, a):
        a = a if perm is None else a.permute(*perm)
        return getattr(m.nn.functional, fname)(a, m.tensor(target), reduction=reduction,
                                               weight=m.tensor(w) if weighted else None,
                                               **kwargs)
    assert_graph_same(fn, [x])


@pytest.mark.parametrize("shape", [(2, 3, 2), (2, 3, 2, 2), (2, 3, 1, 2, 1)])
def test_spatial_nll_loss_targets_and_weights_as_in_torch(shape):
    # nll_loss2d reads the weight by its number of elements, and int64 targets only
    x = randn(*shape, dtype="float64")
    target = _targets(shape[:1] + shape[2:], n_classes=3)
    w = np.linspace(0.5, 2.0, 3)
    assert_graph_same(lambda m, a: m.nn.functional.nll_loss(
        a, m.tensor(target), weight=m.tensor(w.reshape(3, 1))), [x])
    same_error(lambda m: m.nn.functional.nll_loss(m.tensor(x), m.tensor(target).to(m.uint8)))


L = "int64"


def _nll_call(shape, tshape, tdtype="int64", x_dtype="float64", w=None, fill=0, **kwargs):
    def call(m):
        x = m.zeros(shape, dtype=getattr(m, x_dtype))
        t = m.full(tshape, fill, dtype=getattr(m, tdtype))
        weight = None if w is None else m.ones(w[0], dtype=getattr(m, w[1]),
                                               requires_grad=w[2])
        return m.nn.functional.nll_loss(x, t, weight=weight, **kwargs)
    return call


SPATIAL = [((2, 3, 2), (2, 2)), ((2, 3, 2, 2), (2, 2, 2)), ((2, 3, 1, 2, 1), (2, 1, 2, 1))]


@pytest.mark.parametrize("shape,tshape", [((2, 3), (2,))] + SPATIAL)
@pytest.mark.parametrize("case", [
    dict(batch=3, tdtype="int32"), dict(extra=1, tdtype="int32"), dict(tdtype="int32", w=4),
    dict(tdtype="int32", w=3, grad=True), dict(tdtype="int32", x_dtype="int64"),
    dict(extra=1, w=3, grad=True), dict(w=4, grad=True), dict(x_dtype="int64", w=3, grad=True),
    dict(extra=1, w=4), dict(x_dtype="int64", w=4), dict(x_dtype="int64", tdtype="uint8"),
    dict(x_dtype="int64", fill=9), dict(tdtype="uint8", fill=9), dict(w=3, fill=9),
    dict(w=4), dict(w=3), dict(fill=-1), dict(fill=-100), dict(tdtype="float32"),
])
def test_nll_loss_error_order_matches_torch(shape, tshape, case):
    case = dict(case)
    if "batch" in case:
        tshape = (case.pop("batch"),) + tshape[1:]
    if "extra" in case:
        tshape = tshape + (case.pop("extra"),)
    w = case.pop("w", None)
    if w is not None:
        w = (w, "float32", case.pop("grad", False))
    same_outcome(_nll_call(shape, tshape, w=w, **case), (), ())


@pytest.mark.parametrize("call", [
    _nll_call((3,), (2,)), _nll_call((3,), (3,), tdtype="int32"), _nll_call((3,), (1, 1)),
    _nll_call((3,), (1, 1), tdtype="int32"), _nll_call((2, 3), ()), _nll_call((1, 3), ()),
    _nll_call((1, 3, 1), ()), _nll_call((1, 3, 1, 1), ()),
    _nll_call((2, 3, 2, 2), (2, 2, 3), tdtype="int32"),
    _nll_call((2, 3, 2, 2), (2, 2, 3), w=(4, "float32", False)),
    _nll_call((2, 3, 2, 2), (2, 2, 3)), _nll_call((2, 3, 2, 2), (2, 4)),
    _nll_call((2, 0, 2, 2), (2, 2, 2)), _nll_call((2, 0), (2,)),
])
def test_nll_loss_shape_errors_match_torch(call):
    same_error(call)


def test_nll_loss_of_no_classes_and_all_ignored_gives_torchs_nan():
    for shape, tshape in [((2, 0), (2,)), ((2, 0, 2, 2), (2, 2, 2))]:
        call = _nll_call(shape, tshape, fill=-100)
        assert_same(call(ember), call(torch))


BROADCAST_PAIRS = [((3, 1), (3, 4)), ((3, 4), (3, 1)), ((4,), (3, 4)), ((3, 1), (1, 4)),
                   ((2, 1, 3), (4, 1))]


@pytest.mark.parametrize("name,kwargs", REGRESSION)
@pytest.mark.parametrize("xs,ys", BROADCAST_PAIRS)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("grads", [(True, True), (True, False), (False, True)])
def test_broadcast_regression_losses_graph_matches_torch(name, kwargs, xs, ys, reduction,
                                                         grads):
    # torch broadcasts the pair first (torch.broadcast_tensors: ExpandBackward0 on the
    # one that grows), then runs the loss on tensors of one shape
    assert_graph_same(lambda m, a, b: getattr(m.nn.functional, name)(
        a, b, reduction=reduction, **kwargs), [randn(*xs), randn(*ys)], list(grads))


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss"])
@pytest.mark.parametrize("xs,ys", [((3, 4), (3, 4)), ((3, 4), (3, 1)), ((3, 4), (4,))])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_weighted_regression_losses_graph_matches_torch(name, xs, ys, reduction):
    # torch composes its weighted mse as pow(x - y, 2) * weight, in Python. (The names
    # only: ember's pow with a number exponent gives its PowBackward0 a second, empty
    # edge, which torch's lacks; that is ember.ops.pointwise's.)
    assert_graph_same(lambda m, a, b, c: getattr(m.nn.functional, name)(
        a, b, reduction=reduction, weight=c), [randn(*xs), randn(*ys), np.abs(randn(*xs))],
        edgeless=False)


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "smooth_l1_loss"])
def test_size_warning_comes_before_the_legacy_flags_warning_as_in_torch(name):
    def messages(m):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            getattr(m.nn.functional, name)(m.zeros(3, 1), m.zeros(3), size_average=False)
        return [(w.category, str(w.message), w.filename) for w in caught]
    e, t = messages(ember), messages(torch)
    assert [w[:2] for w in e] == [w[:2] for w in t]
    assert e[0][2] == t[0][2] == __file__     # (the size warning names the caller's line)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none", "foo"])
@pytest.mark.parametrize("dtype", ["int64", "float32"])
def test_smooth_l1_loss_with_beta_0_is_torchs_l1_loss(reduction, dtype):
    same_outcome(lambda m: m.nn.functional.smooth_l1_loss(
        m.tensor([1, 2, 5]).to(getattr(m, dtype)), m.tensor([1, 3, 3]).to(getattr(m, dtype)),
        beta=0.0, reduction=reduction), (), ())


@pytest.mark.parametrize("call", [
    lambda m: m.nn.functional.cross_entropy(m.randn(4, 3), m.rand(4, 3), weight=m.ones(4)),
    lambda m: m.nn.functional.cross_entropy(m.randn(4, 3), m.rand(4, 3), weight=m.ones(1, 3)),
    lambda m: m.nn.functional.cross_entropy(m.randn(4, 3), m.ones(4, 3, dtype=m.int64)),
    lambda m: m.nn.functional.cross_entropy(m.randn(3), m.ones(3, dtype=m.int64)),
    lambda m: m.nn.functional.cross_entropy(m.randn(4, 3).long(), m.ones(4, 3, dtype=m.int64)),
    lambda m: m.nn.functional.cross_entropy(m.randn(4, 3), m.rand(4, 3), ignore_index=1),
    lambda m: m.nn.functional.cross_entropy(m.randn(4, 3), m.rand(4, 2)),
    lambda m: m.nn.functional.cross_entropy(m.randn(4, 3, 2), m.rand(4, 3, 3)),
    lambda m: m.nn.functional.cross_entropy(m.randn(4, 3), m.rand(4, 2), label_smoothing=0.1),
    lambda m: m.nn.functional.cross_entropy(m.tensor(1.0), m.tensor(0.5)),
    lambda m: m.nn.functional.cross_entropy(m.tensor(1.0), m.tensor([0.5])),
    lambda m: m.nn.functional.cross_entropy(m.tensor(1.0), m.tensor(0)),
])
def test_cross_entropy_target_kind_is_read_from_its_shape_as_in_torch(call):
    same_error(call)


# ------------------------------------------------------ non-tensor operands
NON_TENSORS = {"ndarray": lambda: np.ones(3, np.float32), "list": lambda: [1.0, 1.0, 1.0],
               "int": lambda: 2, "float": lambda: 2.0}


@pytest.mark.parametrize("loss", ["mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss",
                                  "cross_entropy", "nll_loss"])
@pytest.mark.parametrize("kind", list(NON_TENSORS))
@pytest.mark.parametrize("position", ["input", "target"])
def test_losses_of_a_non_tensor_raise_as_in_torch(loss, kind, position):
    # torch's regression losses fail in Python on target.size() / input.size() (an
    # ndarray's size is an int: "'int' object is not callable"); the classification
    # losses in their argument parser, naming the argument and its type
    def call(m):
        other = NON_TENSORS[kind]()
        if loss in ("cross_entropy", "nll_loss"):
            x, t = m.zeros(3, 3), m.tensor([0, 1, 2])
        else:
            x, t = m.ones(3), m.ones(3)
        args = (other, t) if position == "input" else (x, other)
        return getattr(m.nn.functional, loss)(*args)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.filterwarnings("error", category=RuntimeWarning, module="ember")
        same_error(call)


def test_activations_name_a_numpy_array_as_torchs_parser_does():
    same_error(lambda m: m.nn.functional.gelu(np.ones(3)), TypeError)
