"""The fast lanes of ember.ops.nn_ops (and of their ember.nn.functional wrappers).

Each lane must give exactly what the full path gives: the tests below run the lane's
case and its neighbours that must fall through, against torch (values, dtype, shape,
grad_fn names, gradients) and against ember's own full path, bit for bit (the lane
switched off), and compare the backward functions' array shortcut (taken without
create_graph) with their ember-op form (taken with it).
"""
import warnings

import numpy as np
import pytest
import torch

import ember
import ember.nn.functional as F
from ember.ops import nn_ops
from helpers import assert_same

RNG = np.random.default_rng(7)


def randn(*shape, dtype="float32"):
    return np.asarray(RNG.standard_normal(shape) * 2, dtype=dtype)


def node_names(out):
    """grad_fn's name and its next functions' names, as a comparable tuple."""
    fn = out.grad_fn
    if fn is None:
        return None
    return type(fn).__name__, tuple(type(n).__name__ if n is not None else None
                                    for n, _ in fn.next_functions)


def run(m, fn, arrays, grads):
    """fn(m, *tensors) with tensors made from ``arrays`` (requiring grad where ``grads``
    says so), then backward with a fixed seed; (output, node names, input grads)."""
    ts = [m.tensor(a.copy(), requires_grad=g) if isinstance(a, np.ndarray) else a
          for a, g in zip(arrays, grads)]
    out = fn(m, *ts)
    names = node_names(out)
    if out.requires_grad:
        seed = np.random.default_rng(0).standard_normal(tuple(out.shape)).astype(
            str(out.dtype).replace("torch.", ""))
        out.backward(m.tensor(seed))
    return out, names, [t.grad if g else None for t, g in zip(ts, grads)]


def check_against_torch(fn, arrays, grads, rtol=1e-5, atol=1e-6, nodes=True):
    # (warnings torch gives too are tested elsewhere; NumPy's must never leak from ember)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.filterwarnings("error", category=RuntimeWarning, module="ember")
        try:
            expected = run(torch, fn, arrays, grads)
        except Exception as err:        # noqa: BLE001 - the error is what is compared
            expected = err
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.filterwarnings("error", category=RuntimeWarning, module="ember")
        warnings.simplefilter("error", RuntimeWarning)
        if isinstance(expected, Exception):
            with pytest.raises(type(expected)) as info:
                run(ember, fn, arrays, grads)
            assert str(info.value) == str(expected)
            return
        got = run(ember, fn, arrays, grads)
    assert_same(got[0], expected[0], rtol, atol, what="output")
    if nodes:
        assert got[1] == expected[1]
    for i, (e, t) in enumerate(zip(got[2], expected[2])):
        if t is None:
            assert e is None, f"grad {i}"
        else:
            assert_same(e, t, rtol, atol, what=f"grad {i}")


def bits(t):
    return None if t is None else (t._data.dtype.str, t._data.shape, t._data.tobytes())


def check_lane_is_full_path(monkeypatch, lane_name, fn, arrays, grads):
    """fn on ember with the lane nn_ops.<lane_name> on and off: the same bits, dtype,
    shape, node names and gradients."""
    def outcome():
        try:
            out, names, gs = run(ember, fn, arrays, grads)
        except Exception as err:        # noqa: BLE001
            return type(err).__name__, str(err)
        return bits(out), names, [bits(g) for g in gs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.filterwarnings("error", category=RuntimeWarning, module="ember")
        fast = outcome()
        with monkeypatch.context() as mp:
            mp.setattr(nn_ops, lane_name, lambda *args: None)
            full = outcome()
    assert fast == full


# ------------------------------------------------------------ cross_entropy
CE_CASES = [
    # (logits shape, targets, keyword arguments): the lane's case and its neighbours
    ((4, 5), [0, 3, 1, 4], {}),
    ((4, 5), [0, 3, 1, 4], {"reduction": "sum"}),
    ((4, 5), [0, 3, 1, 4], {"reduction": "none"}),
    ((1, 3), [2], {}),
    ((4, 5), [0, -100, 1, 4], {}),                  # an ignored target
    ((4, 5), [0, -100, 1, 4], {"reduction": "none"}),
    ((4, 5), [0, 3, 1, 3], {"ignore_index": 3}),    # ignore_index among the classes
    ((4, 5), [0, 3, 1, 4], {"ignore_index": 7}),
    ((4, 5), [0, 5, 1, 4], {}),                     # out of bounds
    ((4, 5), [0, -1, 1, 4], {}),
    ((4, 5), [0, 1, 2], {}),                        # batch mismatch
    ((4, 5), [[0, 1, 2, 3]], {}),
    ((0, 5), [], {}),                               # empty batch
    ((4, 5), [0, 3, 1, 4], {"weight": "w"}),
    ((4, 5), [0, 3, 1, 4], {"label_smoothing": 0.2}),
    ((4, 5), [0, 3, 1, 4], {"reduction": "avg"}),
    ((2, 3, 4), [[0, 1, 2, 0], [2, 2, 1, 0]], {}),  # (N, C, d)
    ((5,), 3, {}),                                  # one sample without a batch dim
]


def _ce_call(shape, target, kwargs, target_dtype="int64"):
    def fn(m, x):
        kw = dict(kwargs)
        if kw.get("weight") == "w":
            kw["weight"] = m.tensor(np.linspace(0.5, 2.0, shape[1]).astype(x.numpy().dtype))
        return m.nn.functional.cross_entropy(x, m.tensor(np.array(target, target_dtype)), **kw)
    return fn


@pytest.mark.parametrize("shape,target,kwargs", CE_CASES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("requires_grad", [False, True])
def test_cross_entropy_lane_and_neighbours(shape, target, kwargs, dtype, requires_grad,
                                           monkeypatch):
    x = randn(*shape, dtype=dtype)
    fn = _ce_call(shape, target, kwargs)
    # (graphs off the lane that differ from torch's: label smoothing multiplies by a
    # scalar, torch's MulBackward1; (N, C, d) logits are torch's NllLoss2DBackward0)
    check_against_torch(fn, [x], [requires_grad],
                        nodes="label_smoothing" not in kwargs and len(shape) < 3)
    check_lane_is_full_path(monkeypatch, "_nll_rows", fn, [x], [requires_grad])


@pytest.mark.parametrize("target_dtype", ["int32", "uint8", "bool"])
def test_cross_entropy_other_target_dtypes_take_the_full_path(target_dtype):
    x = randn(4, 5)
    fn = _ce_call((4, 5), [0, 1, 1, 0], {}, target_dtype)
    check_against_torch(fn, [x], [True])


def test_cross_entropy_non_contiguous_logits_and_nan():
    x = randn(5, 4)
    check_against_torch(lambda m, a: m.nn.functional.cross_entropy(
        a.t(), m.tensor([0, 1, 2, 4])), [x], [True])
    x[1, 2] = np.nan
    x[3, 0] = np.inf
    check_against_torch(lambda m, a: m.nn.functional.cross_entropy(
        a, m.tensor([0, 2, 1, 3, 0])), [x], [True])


def test_cross_entropy_float16_logits_and_float_targets():
    x = randn(3, 4)
    probs = np.abs(randn(3, 4))
    check_against_torch(lambda m, a: m.nn.functional.cross_entropy(
        a, m.tensor(probs)), [x], [True], nodes=False)    # (a composite graph)
    check_against_torch(lambda m, a: m.nn.functional.cross_entropy(
        a, m.tensor([0, 1, 3])), [x.astype(np.float16)], [False], rtol=1e-2, atol=1e-3)


def test_cross_entropy_integer_logits_raise_as_in_torch():
    check_against_torch(lambda m, a: m.nn.functional.cross_entropy(a, m.tensor([0, 1])),
                        [np.array([[1, 2], [3, 4]])], [False])
    check_against_torch(lambda m, a: m.nn.functional.cross_entropy(
        a, m.tensor([0, 1]), reduction="bad"), [np.array([[1, 2], [3, 4]])], [False])


def test_nll_loss_lane_equals_full_path_with_unit_weights():
    # Unit class weights take the full path and compute the same numbers, bit for bit.
    x = ember.tensor(randn(6, 5), requires_grad=True)
    t = ember.tensor(RNG.integers(0, 5, 6))
    for reduction in ("mean", "sum", "none"):
        fast = F.nll_loss(x, t, reduction=reduction)
        full = F.nll_loss(x, t, weight=ember.ones(5), reduction=reduction)
        assert bits(fast) == bits(full)
        assert bits(fast.grad_fn.coef) == bits(full.grad_fn.coef)


# ------------------------------------------------------------------ mse_loss
MSE_CASES = [
    ((4, 5), (4, 5), "float32", "float32"),
    ((7,), (7,), "float64", "float64"),
    ((), (), "float32", "float32"),
    ((0, 3), (0, 3), "float32", "float32"),         # empty: nan for the mean
    ((4, 1), (4,), "float32", "float32"),           # broadcasting, with torch's warning
    ((4, 5), (4, 5), "float32", "float64"),         # promotion
    ((4, 5), (4, 5), "float16", "float16"),
]


@pytest.mark.parametrize("xs,ys,xdt,ydt", MSE_CASES)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("grads", [(False, False), (True, False), (True, True),
                                   (False, True)])
def test_mse_loss_lane_and_neighbours(xs, ys, xdt, ydt, reduction, grads, monkeypatch):
    arrays = [randn(*xs, dtype=xdt), randn(*ys, dtype=ydt)]
    tol = {"rtol": 1e-2, "atol": 1e-2} if xdt == "float16" else {}

    def fn(m, x, y):
        return m.nn.functional.mse_loss(x, y, reduction=reduction)
    # (torch expands broadcast operands first, ExpandBackward0: off the lane)
    check_against_torch(fn, arrays, list(grads), nodes=xs == ys, **tol)
    check_lane_is_full_path(monkeypatch, "_mse_same_shape", fn, arrays, list(grads))


def test_mse_loss_non_contiguous_and_non_finite(monkeypatch):
    x, y = randn(5, 4), randn(4, 5)
    x[0, 0], x[1, 1], y[2, 2] = np.nan, np.inf, -np.inf

    def fn(m, a, b):
        return m.nn.functional.mse_loss(a.t(), b)
    check_against_torch(fn, [x, y], [True, True])
    check_lane_is_full_path(monkeypatch, "_mse_same_shape", fn, [x, y], [True, True])


def test_mse_loss_legacy_flags_weight_and_bad_arguments():
    x, y = randn(3, 2), randn(3, 2)
    with pytest.warns(UserWarning, match="reduction='sum'"):
        e = F.mse_loss(ember.tensor(x), ember.tensor(y), size_average=False)
    assert_same(e, torch.nn.functional.mse_loss(torch.tensor(x), torch.tensor(y),
                                                reduction="sum"))
    check_against_torch(lambda m, a: m.nn.functional.mse_loss(a, 2.0), [x], [False])
    check_against_torch(lambda m, a, b: m.nn.functional.mse_loss(a, b, reduction="avg"),
                        [x, y], [False, False])
    check_against_torch(lambda m, a, b: m.nn.functional.mse_loss(a, b),
                        [np.array([1, 2]), np.array([1, 3])], [False, False])


# ------------------------------------------------------- softmax, log_softmax
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("shape,dim", [((4, 5), 1), ((4, 5), 0), ((4, 5), -1), ((3,), 0),
                                       ((2, 3, 4), 1), ((), 0), ((0, 5), 1), ((4, 5), 2)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_softmax_family_against_torch(name, shape, dim, dtype):
    x = randn(*shape, dtype=dtype)
    check_against_torch(lambda m, a: getattr(m, name)(a, dim=dim), [x], [True])
    check_against_torch(lambda m, a: getattr(a, name)(dim, dtype=m.float64), [x], [True])


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_family_int_input_and_non_contiguous(name):
    check_against_torch(lambda m, a: getattr(m, name)(a, 1), [np.ones((2, 3), np.int64)],
                        [False])
    x = randn(5, 4)
    x[0, 1] = np.inf
    check_against_torch(lambda m, a: getattr(m, name)(a.t(), 1), [x], [True])


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("dtype", ["bool", "uint8", "int32", "int64"])
@pytest.mark.parametrize("shape,dim", [((3, 4), 0), ((3, 4), -1), ((3, 1), 0), ((), 0),
                                       ((1,), 0), ((0,), 0), ((2, 0, 3), 0), ((2, 0, 3), -1),
                                       ((3, 4), 2), ((0,), 1)])
def test_softmax_family_integer_input_errors_in_torchs_order(name, dtype, shape, dim):
    # the dim is checked first; an empty input of any dtype comes back as is; the kernel
    # named is the last-dimension one only for dim == ndim - 1
    x = np.zeros(shape, dtype=dtype)
    check_against_torch(lambda m, a: getattr(m, name)(a, dim), [x], [False])
    check_against_torch(lambda m, a: getattr(m.nn.functional, name)(a, dim), [x], [False])


@pytest.mark.parametrize("fn", [
    lambda x: ember.softmax(x, 1),
    lambda x: ember.log_softmax(x, 0),
    lambda x: F.cross_entropy(x, ember.tensor([0, 2, 1, 4])),
    lambda x: F.cross_entropy(x, ember.tensor([0, 2, 1, 4]), reduction="none"),
    lambda x: F.mse_loss(x, ember.ones(4, 5)),
    lambda x: F.mse_loss(x, ember.ones(4, 5), reduction="none"),
], ids=["softmax", "log_softmax", "cross_entropy", "cross_entropy_none", "mse",
        "mse_none"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_backward_on_arrays_equals_backward_in_ember_ops(fn, dtype):
    # Without create_graph the backward functions work on the arrays; with it, in
    # ember ops (which record): both must give the same bits.
    x = ember.tensor(randn(4, 5, dtype=dtype), requires_grad=True)
    out = fn(x)
    seed = ember.tensor(randn(*out.shape, dtype=dtype))
    (plain,) = ember.autograd.grad(out, x, seed, retain_graph=True)
    (graphed,) = ember.autograd.grad(out, x, seed, create_graph=True)
    assert graphed.grad_fn is not None
    assert bits(plain) == bits(graphed)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("weighted", [False, True])
def test_nll_loss_of_inf_and_minus_inf_is_a_silent_nan(reduction, weighted):
    # (pyproject turns NumPy's RuntimeWarnings into errors: a warning fails this test)
    x = np.array([[np.inf, 0.0], [0.0, -np.inf]], np.float32)
    kw = {"weight": ember.ones(2)} if weighted else {}
    e = F.nll_loss(ember.tensor(x), ember.tensor([0, 1]), reduction=reduction, **kw)
    t = torch.nn.functional.nll_loss(torch.tensor(x), torch.tensor([0, 1]),
                                     reduction=reduction)
    assert_same(e, t)


@pytest.mark.parametrize("loss,kwargs", [("mse_loss", {}), ("huber_loss", {}),
                                         ("smooth_l1_loss", {}),
                                         ("smooth_l1_loss", {"beta": 0.0})])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("lane", [True, False])
def test_regression_losses_of_inf_and_huge_values_are_silent(loss, kwargs, reduction, lane,
                                                             monkeypatch):
    # inf - inf is nan and 1e30 ** 2 overflows to inf in float32: silently in torch,
    # where NumPy would warn (a warning is an error here)
    x = np.array([np.inf, 1e30, 3e38, 1.0], np.float32)
    y = np.array([np.inf, 0.0, -3e38, 2.0], np.float32)
    if not lane:
        monkeypatch.setattr(nn_ops, "_mse_same_shape", lambda *args: None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e = getattr(F, loss)(ember.tensor(x), ember.tensor(y), reduction=reduction, **kwargs)
    t = getattr(torch.nn.functional, loss)(torch.tensor(x), torch.tensor(y),
                                           reduction=reduction, **kwargs)
    assert_same(e, t)


# ------------------------------------------- regression losses' backward, bit for bit
def _loss_grads(m, loss, x, y, reduction, seed, kwargs):
    a, b = m.tensor(x.copy(), requires_grad=True), m.tensor(y.copy(), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # (no NumPy overflow warning either)
        out = getattr(m.nn.functional, loss)(a, b, reduction=reduction, **kwargs)
        out.backward(m.tensor(seed))
    return [np.asarray(t.grad.detach().numpy() if m is torch else t.grad._data)
            for t in (a, b)]


@pytest.mark.parametrize("loss,kwargs", [("mse_loss", {}), ("huber_loss", {}),
                                         ("smooth_l1_loss", {}), ("l1_loss", {})])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("lane", [True, False])
def test_regression_loss_gradients_are_torchs_bits(loss, kwargs, reduction, dtype, lane,
                                                   monkeypatch):
    # torch scales by norm (1/n for the mean) first: norm * (x - y) * grad; an upstream
    # gradient other than 1 and n = 21 make another order round differently
    if not lane:
        monkeypatch.setattr(nn_ops, "_mse_same_shape", lambda *args: None)
    x, y = randn(7, 3, dtype=dtype), randn(7, 3, dtype=dtype)
    seed = randn(*((7, 3) if reduction == "none" else ()), dtype=dtype)
    got = _loss_grads(ember, loss, x, y, reduction, seed, kwargs)
    expected = _loss_grads(torch, loss, x, y, reduction, seed, kwargs)
    for e, t in zip(got, expected):
        assert e.dtype == t.dtype and e.tobytes() == t.tobytes()


@pytest.mark.parametrize("loss,kwargs", [("mse_loss", {}), ("huber_loss", {}),
                                         ("smooth_l1_loss", {}), ("l1_loss", {}),
                                         ("huber_loss", {"delta": 2.0})])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("lane", [True, False])
def test_regression_loss_gradients_near_float32s_largest_value(loss, kwargs, reduction, lane,
                                                               monkeypatch):
    # 2 * (x - y) overflows to inf here, norm * (x - y) (the mean's) does not
    if not lane:
        monkeypatch.setattr(nn_ops, "_mse_same_shape", lambda *args: None)
    x = np.array([3e38, -3e38, 1.0, 2e38], np.float32)
    y = np.array([-1e38, 0.0, 0.5, -2e38], np.float32)
    seed = np.asarray(np.ones(4) if reduction == "none" else 1.0, np.float32)
    got = _loss_grads(ember, loss, x, y, reduction, seed, kwargs)
    expected = _loss_grads(torch, loss, x, y, reduction, seed, kwargs)
    for e, t in zip(got, expected):
        np.testing.assert_array_equal(e, t)


@pytest.mark.parametrize("loss,kwargs", [("mse_loss", {}), ("huber_loss", {"delta": 0.5}),
                                         ("smooth_l1_loss", {"beta": 0.5})])
def test_regression_loss_double_backward_matches_torch(loss, kwargs):
    x, y = randn(3, 4, dtype="float64"), randn(3, 4, dtype="float64")

    def fn(m, a, b):
        out = getattr(m.nn.functional, loss)(a, b, **kwargs)
        (ga,) = m.autograd.grad(out * 3.0, a, create_graph=True)
        return (ga * ga).sum()
    check_against_torch(fn, [x, y], [True, True], nodes=False)


# ------------------------------------------------------- float16 softmax family
def _half_outcome(m, fn, x, g):
    a = m.tensor(x.copy(), requires_grad=True)
    y = fn(m, a)
    y.backward(m.tensor(g))
    return [np.asarray(t.detach().numpy() if m is torch else t._data) for t in (y, a.grad)]


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("shape,dim", [((50, 37), 1), ((37, 64), 0), ((200,), 0),
                                       ((3, 5), -1), ((4, 37, 5), 1), ((4, 9, 5, 1), 1),
                                       ((2, 37, 64), 1)])
def test_float16_softmax_family_computes_in_float32_as_torch(name, shape, dim):
    # torch's CPU kernels compute float16 in float32 and round once (float16 would
    # give 0.8804 where torch gives 0.8809); its backward likewise
    x = (RNG.standard_normal(shape) * 4).astype(np.float16)
    g = RNG.standard_normal(shape).astype(np.float16)
    got = _half_outcome(ember, lambda m, a: getattr(m, name)(a, dim), x, g)
    expected = _half_outcome(torch, lambda m, a: getattr(m, name)(a, dim), x, g)
    for e, t in zip(got, expected):
        assert e.dtype == t.dtype == np.float16
        # (torch sums in vector lanes, in another order: a last bit may differ, in at
        # most 1% of the elements; computing in float16 differs in far more)
        assert (e != t).sum() <= max(1, e.size // 100)
        np.testing.assert_allclose(e.astype(np.float32), t.astype(np.float32), rtol=1e-3,
                                   atol=1e-4)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_float16_cross_entropy_matches_torch(reduction):
    x = (RNG.standard_normal((16, 10)) * 3).astype(np.float16)
    t = RNG.integers(0, 10, 16)
    seed = RNG.standard_normal(() if reduction != "none" else (16,)).astype(np.float16)

    def fn(m, a):
        return m.nn.functional.cross_entropy(a, m.tensor(t), reduction=reduction)
    got, expected = _half_outcome(ember, fn, x, seed), _half_outcome(torch, fn, x, seed)
    for e, tt in zip(got, expected):
        assert e.dtype == tt.dtype
    # each loss and the gradient bit for bit; the sum of the losses to a last bit
    # (nll_loss adds float16 losses in another order than torch's kernel)
    np.testing.assert_array_equal(got[1], expected[1])
    if reduction == "none":
        np.testing.assert_array_equal(got[0], expected[0])
    else:
        np.testing.assert_allclose(got[0].astype(np.float32), expected[0].astype(np.float32),
                                   rtol=1e-3)
