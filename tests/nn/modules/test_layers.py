"""Activation, loss, reshape and dropout layers against torch's: output, gradients, repr."""
import warnings

import numpy as np
import pytest
import torch

import ember
from ember import nn
from helpers import assert_same, assert_grads_same
from nn_helpers import same_error

RNG = np.random.default_rng(0)


def randn(*shape):
    return RNG.standard_normal(shape).astype("float32")


ACTIVATIONS = [
    ("ReLU", (), {}), ("ReLU", (), {"inplace": True}), ("Sigmoid", (), {}), ("Tanh", (), {}),
    ("LeakyReLU", (), {}), ("LeakyReLU", (0.2, True), {}), ("GELU", (), {}),
    ("GELU", ("tanh",), {}), ("Softmax", (), {"dim": 1}), ("LogSoftmax", (), {"dim": -1}),
    ("Softmin", (), {"dim": 0}), ("Identity", (), {}), ("Flatten", (), {}),
    ("Flatten", (0, 1), {}), ("Unflatten", (1, (2, 3)), {}), ("Dropout", (0.3,), {}),
]


@pytest.mark.parametrize("name,args,kwargs", ACTIVATIONS)
def test_layer_repr_equals_torchs(name, args, kwargs):
    assert repr(getattr(nn, name)(*args, **kwargs)) == \
        repr(getattr(torch.nn, name)(*args, **kwargs))


@pytest.mark.parametrize("name,args,kwargs", [a for a in ACTIVATIONS if a[0] != "Dropout"])
def test_layer_forward_and_gradient_equal_torchs(name, args, kwargs):
    x = randn(4, 6, 2)
    inplace = kwargs.get("inplace") or (len(args) > 1 and args[1] is True)

    def run(m, a):
        if inplace:
            a = a * 1          # in place on a non-leaf, as torch requires
        return getattr(m.nn, name)(*args, **kwargs)(a)
    assert_grads_same(run, [x], rtol=2e-5)


def test_softmax_layer_without_dim_warns_like_torch():
    x = randn(2, 3)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        e = nn.Softmax()(ember.tensor(x))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.filterwarnings("error", category=RuntimeWarning, module="ember")
        assert_same(e, torch.nn.Softmax()(torch.tensor(x)))


def test_unflatten_errors_equal_torchs():
    same_error(lambda m: m.nn.Unflatten(1, 6))
    same_error(lambda m: m.nn.Unflatten(1, (2, 3.0)))
    same_error(lambda m: m.nn.Unflatten(1, (4, 2))(m.ones(2, 6)))


# ----------------------------------------------------------------- losses
LOSSES = [("MSELoss", {}), ("L1Loss", {}), ("HuberLoss", {"delta": 0.5}), ("HuberLoss", {}),
          ("SmoothL1Loss", {"beta": 0.5}), ("SmoothL1Loss", {})]


@pytest.mark.parametrize("name,kwargs", LOSSES)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_regression_loss_layers_equal_torchs(name, kwargs, reduction):
    x, y = randn(5, 3), randn(5, 3)
    assert_grads_same(lambda m, a, b: getattr(m.nn, name)(reduction=reduction, **kwargs)(a, b),
                      [x, y])
    assert repr(getattr(nn, name)(reduction=reduction, **kwargs)) == \
        repr(getattr(torch.nn, name)(reduction=reduction, **kwargs))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
def test_classification_loss_layers_equal_torchs(reduction, weighted):
    x = randn(6, 4)
    target = RNG.integers(0, 4, size=6)
    target[0] = 3
    w = np.abs(randn(4)) + 0.5 if weighted else None
    for name, kwargs in [("CrossEntropyLoss", {"label_smoothing": 0.1}),
                         ("CrossEntropyLoss", {"ignore_index": 3}), ("NLLLoss", {})]:
        def run(m, a):
            loss = getattr(m.nn, name)(weight=None if w is None else m.tensor(w),
                                       reduction=reduction, **kwargs)
            return loss(a, m.tensor(target))
        assert_grads_same(run, [x])


def test_loss_layers_state_dict_and_attributes_equal_torchs():
    w = [1.0, 2.0, 3.0]
    e = nn.CrossEntropyLoss(weight=ember.tensor(w), label_smoothing=0.1)
    t = torch.nn.CrossEntropyLoss(weight=torch.tensor(w), label_smoothing=0.1)
    assert list(e.state_dict()) == list(t.state_dict()) == ["weight"]
    assert (e.reduction, e.ignore_index, e.label_smoothing) == \
        (t.reduction, t.ignore_index, t.label_smoothing)
    assert list(nn.NLLLoss().state_dict()) == list(torch.nn.NLLLoss().state_dict()) == []
    assert nn.CrossEntropyLoss().weight is None


def test_loss_layer_legacy_arguments_warn_and_map_like_torch():
    with pytest.warns(UserWarning, match="reduction='sum' instead"):
        e = nn.MSELoss(size_average=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.filterwarnings("error", category=RuntimeWarning, module="ember")
        t = torch.nn.MSELoss(size_average=False)
    assert e.reduction == t.reduction == "sum"
    with pytest.warns(UserWarning):
        assert nn.L1Loss(reduce=False).reduction == "none"


def test_mse_loss_layer_warns_when_shapes_differ():
    loss = nn.MSELoss()
    with pytest.warns(UserWarning, match="Using a target size"):
        loss(ember.ones(3, 1), ember.ones(3))


# ---------------------------------------------------------------- dropout
def test_dropout_layer_train_and_eval():
    ember.manual_seed(0)
    d = nn.Dropout(0.5)
    x = ember.ones(10_000)
    y = d(x)
    assert 0.45 < float((y == 0).float().mean()) < 0.55
    assert set(np.unique(y.numpy()).tolist()) == {0.0, 2.0}
    d.eval()
    assert d(x) is x
    same_error(lambda m: m.nn.Dropout(1.5))
    same_error(lambda m: m.nn.Dropout(-0.1))


def test_dropout_inside_sequential_follows_train_and_eval():
    net = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.9))
    x = ember.ones(64, 4)
    net.eval()
    assert ember.equal(net(x), net(x))
    net.train()
    ember.manual_seed(1)
    assert not ember.equal(net(x), net(x))
