"""The binary classification losses and kl_div (F.binary_cross_entropy,
F.binary_cross_entropy_with_logits, F.kl_div and their modules) against torch."""
import warnings

import numpy as np
import pytest
import torch

import ember
from ember import nn
from ember.autograd import gradcheck
from helpers import assert_same, assert_grads_same, assert_same_error

RNG = np.random.default_rng(0)
REDUCTIONS = ["mean", "sum", "none"]
SHAPES = [(), (0,), (5,), (3, 4), (2, 3, 2)]


def probs(shape, dtype="float64"):
    return RNG.uniform(0.02, 0.98, shape).astype(dtype)


def tensors(m, *arrays, grad=False):
    return [m.tensor(a, requires_grad=grad) if a is not None else None for a in arrays]


# ------------------------------------------------------------ binary_cross_entropy
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_bce_values_and_gradients_match_torch(shape, reduction, weighted):
    x, t = probs(shape), probs(shape)
    w = RNG.uniform(0.5, 2, shape[-1:]) if weighted and shape else None

    def run(m, a, b):
        weight = None if w is None else m.tensor(w)
        return m.nn.functional.binary_cross_entropy(a, b, weight, reduction=reduction)
    assert_grads_same(run, [x, t], 1e-10, 1e-12)
    e = run(ember, *tensors(ember, x, t, grad=True))
    assert e.grad_fn.name() == run(torch, *tensors(torch, x, t, grad=True)).grad_fn.name()


@pytest.mark.parametrize("dtype", ["float16", "float32"])
def test_bce_keeps_the_dtype_and_matches_torch(dtype):
    x, t = probs((4, 3), dtype), probs((4, 3), dtype)
    for reduction in REDUCTIONS:
        assert_same(ember.nn.functional.binary_cross_entropy(*tensors(ember, x, t),
                                                             reduction=reduction),
                    torch.nn.functional.binary_cross_entropy(*tensors(torch, x, t),
                                                             reduction=reduction),
                    2e-3 if dtype == "float16" else 1e-5, 1e-5)


def test_bce_clamps_its_logs_at_minus_100_as_torch():
    x = np.array([0.0, 1.0, 0.0, 1.0, 0.5])
    t = np.array([1.0, 0.0, 0.0, 1.0, 0.3])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert_grads_same(lambda m, a, b: m.nn.functional.binary_cross_entropy(
            a, b, reduction="none"), [x, t])


def test_bce_gradcheck():
    x, t = probs((3, 4)), probs((3, 4))
    w = ember.tensor(RNG.uniform(0.5, 2, (4,)))
    assert gradcheck(lambda a, b: ember.nn.functional.binary_cross_entropy(a, b, w),
                     tensors(ember, x, t, grad=True))


def test_bce_errors_match_torch():
    cases = [
        lambda m: m.nn.functional.binary_cross_entropy(m.tensor([1.5]), m.tensor([1.0])),
        lambda m: m.nn.functional.binary_cross_entropy(m.tensor([-0.1]), m.tensor([1.0])),
        lambda m: m.nn.functional.binary_cross_entropy(m.tensor([0.5]), m.tensor([1.0, 0.0])),
        lambda m: m.nn.functional.binary_cross_entropy(m.tensor([0.5]), m.tensor([1.0]),
                                                       reduction="avg"),
        lambda m: m.nn.functional.binary_cross_entropy(m.tensor([0.5, 0.5]),
                                                       m.tensor([1.0, 0.0]), m.ones(3)),
        lambda m: m.nn.BCELoss()(m.tensor([2.0]), m.tensor([1.0])),
        lambda m: m.nn.functional.binary_cross_entropy(m.tensor([float("nan")]),
                                                       m.tensor([1.0])),
        lambda m: m.nn.functional.binary_cross_entropy(m.tensor([0.5]),
                                                       m.tensor([1.0], dtype=m.float64)),
        lambda m: m.nn.functional.binary_cross_entropy(m.tensor([0.5]), m.tensor([1])),
        lambda m: m.nn.functional.binary_cross_entropy(m.tensor([0.5, 0.5]),
                                                       m.tensor([1.0, 0.0]), m.ones(3, 2)),
    ]
    for case in cases:
        assert_same_error(case)


# ------------------------------------------------ binary_cross_entropy_with_logits
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted,pos_weighted", [(False, False), (True, False),
                                                   (False, True), (True, True)])
def test_bce_with_logits_values_and_gradients_match_torch(shape, reduction, weighted,
                                                          pos_weighted):
    x, t = RNG.standard_normal(shape) * 4, probs(shape)
    w = RNG.uniform(0.5, 2, shape[-1:]) if weighted else None
    pw = RNG.uniform(0.5, 3, shape[-1:]) if pos_weighted else None

    def run(m, a, b):
        weight, pos_weight = tensors(m, w, pw)
        return m.nn.functional.binary_cross_entropy_with_logits(
            a, b, weight, reduction=reduction, pos_weight=pos_weight)
    assert_grads_same(run, [x, t], 1e-10, 1e-12)
    e = run(ember, *tensors(ember, x, t, grad=True))
    assert e.grad_fn.name() == run(torch, *tensors(torch, x, t, grad=True)).grad_fn.name()
    assert gradcheck(lambda a, b: run(ember, a, b), tensors(ember, x, t, grad=True))


def test_bce_with_logits_is_stable_for_large_logits():
    x = np.array([-1e4, -100.0, 100.0, 1e4, 0.0, np.inf, -np.inf], dtype="float32")
    t = np.array([1.0, 0.0, 1.0, 0.0, 0.5, 1.0, 0.0], dtype="float32")
    pw = np.array([2.0], dtype="float32")
    for pos_weight in (None, pw):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert_grads_same(lambda m, a, b: m.nn.functional.binary_cross_entropy_with_logits(
                a, b, reduction="none", pos_weight=None if pos_weight is None else
                m.tensor(pos_weight)), [x, t])


@pytest.mark.parametrize("dtype", ["float16", "float32"])
def test_bce_with_logits_keeps_the_dtype(dtype):
    x, t = RNG.standard_normal((4, 3)).astype(dtype), probs((4, 3), dtype)
    assert_same(ember.nn.functional.binary_cross_entropy_with_logits(*tensors(ember, x, t)),
                torch.nn.functional.binary_cross_entropy_with_logits(*tensors(torch, x, t)),
                2e-3 if dtype == "float16" else 1e-5, 1e-5)


@pytest.mark.parametrize("x_dtype,t_dtype", [("float32", "float64"), ("float64", "float32"),
                                             ("float32", "float16")])
def test_bce_with_logits_result_takes_the_targets_dtype_as_torch(x_dtype, t_dtype):
    x, t = RNG.standard_normal((4, 3)).astype(x_dtype), probs((4, 3), t_dtype)
    assert_grads_same(lambda m, a, b: m.nn.functional.binary_cross_entropy_with_logits(
        a, b, pos_weight=m.ones(3)), [x, t], 2e-3, 1e-5)


def test_bce_with_logits_errors_match_torch():
    cases = [
        lambda m: m.nn.functional.binary_cross_entropy_with_logits(m.zeros(2), m.zeros(3)),
        lambda m: m.nn.functional.binary_cross_entropy_with_logits(m.zeros(2), m.zeros(2),
                                                                   reduction="x"),
        lambda m: m.nn.BCEWithLogitsLoss()(m.zeros(2, 1), m.zeros(2)),
        lambda m: m.nn.functional.binary_cross_entropy_with_logits(m.zeros(2), m.ones(2).long()),
        lambda m: m.nn.functional.binary_cross_entropy_with_logits(m.zeros(2), m.ones(2).bool()),
    ]
    for case in cases:
        assert_same_error(case)


# ------------------------------------------------------------------- kl_div
@pytest.mark.parametrize("shape", [(), (4,), (3, 5), (2, 3, 4)])
@pytest.mark.parametrize("reduction", ["sum", "none", "batchmean", "mean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_matches_torch(shape, reduction, log_target):
    x = np.log(probs(shape))
    t = probs(shape)
    t.flat[:1] = 0.0            # xlogy(0, 0) = 0
    if log_target:
        t = np.log(probs(shape))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_grads_same(lambda m, a, b: m.nn.functional.kl_div(
            a, b, reduction=reduction, log_target=log_target), [x, t], 1e-10, 1e-12)
        e = ember.nn.functional.kl_div(*tensors(ember, x, t, grad=True), reduction=reduction,
                                       log_target=log_target)
        tt = torch.nn.functional.kl_div(*tensors(torch, x, t, grad=True), reduction=reduction,
                                        log_target=log_target)
        assert e.grad_fn.name() == tt.grad_fn.name()
        t_pos = t if log_target else t + 0.01
        assert gradcheck(lambda a, b: ember.nn.functional.kl_div(
            a, b, reduction=reduction, log_target=log_target), tensors(ember, x, t_pos,
                                                                      grad=True))


def test_kl_div_mean_warns_as_torch_and_batchmean_does_not():
    x, t = np.log(probs((2, 3))), probs((2, 3))
    with pytest.warns(UserWarning) as t_rec:
        torch.nn.functional.kl_div(*tensors(torch, x, t))
    with pytest.warns(UserWarning) as e_rec:
        ember.nn.functional.kl_div(*tensors(ember, x, t))
    assert str(e_rec[0].message) == str(t_rec[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ember.nn.functional.kl_div(*tensors(ember, x, t), reduction="batchmean")
        nn.KLDivLoss(reduction="batchmean")(*tensors(ember, x, t))


# ------------------------------------------------------------------ modules
@pytest.mark.parametrize("name,kwargs", [("BCELoss", {}), ("BCELoss", {"reduction": "sum"}),
                                         ("BCEWithLogitsLoss", {}),
                                         ("KLDivLoss", {"reduction": "batchmean"}),
                                         ("KLDivLoss", {"log_target": True})])
def test_loss_modules_repr_and_values_equal_torchs(name, kwargs):
    assert repr(getattr(nn, name)(**kwargs)) == repr(getattr(torch.nn, name)(**kwargs))
    x, t = probs((3, 4)), probs((3, 4))
    if name == "KLDivLoss":
        x = np.log(x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_grads_same(lambda m, a, b: getattr(m.nn, name)(**kwargs)(a, b), [x, t],
                          1e-10, 1e-12)


def test_weighted_loss_modules_keep_their_weights_as_buffers_as_torch():
    w, pw = RNG.uniform(0.5, 2, (4,)), RNG.uniform(0.5, 2, (4,))
    x, t = probs((3, 4)), probs((3, 4))
    for m_e, m_t in [(nn.BCELoss(ember.tensor(w)), torch.nn.BCELoss(torch.tensor(w))),
                     (nn.BCEWithLogitsLoss(ember.tensor(w), pos_weight=ember.tensor(pw)),
                      torch.nn.BCEWithLogitsLoss(torch.tensor(w), pos_weight=torch.tensor(pw)))]:
        assert [n for n, _ in m_e.named_buffers()] == [n for n, _ in m_t.named_buffers()]
        assert_same(m_e(*tensors(ember, x, t)), m_t(*tensors(torch, x, t)), 1e-12, 1e-12)


def test_bce_loss_trains_a_logistic_regression_to_torchs_numbers():
    x = RNG.standard_normal((32, 3)).astype("float32")
    y = (x.sum(1, keepdims=True) > 0).astype("float32")
    t_net = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Sigmoid())
    e_net = nn.Sequential(nn.Linear(3, 1), nn.Sigmoid())
    for pe, pt in zip(e_net.parameters(), t_net.parameters()):
        pe.data.copy_(ember.tensor(pt.detach().numpy()))
    losses = []
    for m, net in ((ember, e_net), (torch, t_net)):
        opt = m.optim.SGD(net.parameters(), lr=0.5)
        for _ in range(5):
            opt.zero_grad()
            loss = m.nn.BCELoss()(net(m.tensor(x)), m.tensor(y))
            loss.backward()
            opt.step()
        losses.append(loss)
    assert_same(*losses)
    assert_same(e_net[0].weight, t_net[0].weight)
