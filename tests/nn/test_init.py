"""ember.nn.init: gains and fans equal torch's formulas, draws have the right statistics."""
import math
import warnings

import numpy as np
import pytest
import torch

import ember
from ember import nn
from nn_helpers import same_error


@pytest.mark.parametrize("nonlinearity,param", [
    ("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
    ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", 1), ("selu", None),
    ("conv_transpose3d", None),
])
def test_calculate_gain_equals_torchs(nonlinearity, param):
    e = nn.init.calculate_gain(nonlinearity, param)
    t = torch.nn.init.calculate_gain(nonlinearity, param)
    assert e == t and type(e) is type(t)


def test_calculate_gain_errors_equal_torchs():
    same_error(lambda m: m.nn.init.calculate_gain("swish"))
    same_error(lambda m: m.nn.init.calculate_gain("leaky_relu", True))
    same_error(lambda m: m.nn.init.calculate_gain("leaky_relu", "0.1"))


@pytest.mark.parametrize("shape", [(3, 5), (4, 2, 3), (6, 3, 2, 2), (1, 1)])
def test_fan_in_and_fan_out_equal_torchs(shape):
    assert nn.init._calculate_fan_in_and_fan_out(ember.empty(*shape)) == \
        torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(*shape))


def test_fan_errors_equal_torchs():
    same_error(lambda m: m.nn.init.xavier_uniform_(m.empty(5)))
    same_error(lambda m: m.nn.init.kaiming_normal_(m.empty(3, 4), mode="fan_avg"))


N = (300, 200)   # fan_in 200, fan_out 300


def _stats(fn, *args, **kwargs):
    ember.manual_seed(0)
    w = ember.empty(*N)
    out = fn(w, *args, **kwargs)
    assert out is w
    a = w.numpy()
    return a.mean(), a.std(), np.abs(a).max()


@pytest.mark.parametrize("gain", [1.0, 2.0])
def test_xavier_uniform_bound_and_std(gain):
    bound = gain * math.sqrt(6 / (200 + 300))
    mean, std, amax = _stats(nn.init.xavier_uniform_, gain=gain)
    assert amax <= bound and amax > 0.99 * bound
    assert abs(std - bound / math.sqrt(3)) < 0.01 * bound and abs(mean) < 0.01 * bound


def test_xavier_normal_std():
    std_expected = math.sqrt(2 / (200 + 300))
    mean, std, _ = _stats(nn.init.xavier_normal_)
    assert abs(std - std_expected) < 0.01 * std_expected and abs(mean) < 0.01 * std_expected


@pytest.mark.parametrize("a,mode,nonlinearity", [
    (0, "fan_in", "leaky_relu"), (math.sqrt(5), "fan_in", "leaky_relu"), (0, "fan_out", "relu"),
    (0.1, "fan_in", "leaky_relu"), (0, "fan_in", "tanh")])
def test_kaiming_uniform_and_normal_follow_torchs_formula(a, mode, nonlinearity):
    fan = 200 if mode == "fan_in" else 300
    std_expected = torch.nn.init.calculate_gain(nonlinearity, a) / math.sqrt(fan)
    _, std, amax = _stats(nn.init.kaiming_uniform_, a=a, mode=mode, nonlinearity=nonlinearity)
    bound = math.sqrt(3) * std_expected
    assert amax <= bound and amax > 0.99 * bound
    assert abs(std - std_expected) < 0.01 * std_expected
    _, std, _ = _stats(nn.init.kaiming_normal_, a=a, mode=mode, nonlinearity=nonlinearity)
    assert abs(std - std_expected) < 0.01 * std_expected


def test_uniform_normal_constant_ones_zeros_eye():
    _, std, amax = _stats(nn.init.normal_, 1.0, 0.5)
    assert abs(std - 0.5) < 0.005
    mean, _, amax = _stats(nn.init.uniform_, -0.5, 1.5)
    assert abs(mean - 0.5) < 0.01 and amax <= 1.5
    w = ember.empty(2, 3)
    assert nn.init.constant_(w, 0.3) is w and np.allclose(w.numpy(), 0.3)
    assert nn.init.ones_(w).numpy().sum() == 6 and nn.init.zeros_(w).numpy().sum() == 0
    assert ember.equal(nn.init.eye_(ember.empty(2, 3)), ember.eye(2, 3))
    same_error(lambda m: m.nn.init.eye_(m.empty(3)))


def test_trunc_normal_stays_in_bounds():
    ember.manual_seed(0)
    w = nn.init.trunc_normal_(ember.empty(1000), mean=0.0, std=1.0, a=-0.5, b=1.0)
    a = w.numpy()
    assert a.min() >= -0.5 and a.max() <= 1.0 and a.std() > 0.3
    with pytest.warns(UserWarning, match="mean is more than 2 std"):
        far = nn.init.trunc_normal_(ember.empty(50), mean=10.0, a=-1.0, b=1.0).numpy()
    assert far.min() >= -1.0 and far.max() <= 1.0


def test_trunc_normal_of_a_thin_tail_has_the_truncated_mean():
    # N(0, 1) on [1.5, 3] (6.5% of the mass): E = (pdf(1.5) - pdf(3)) / (cdf(3) - cdf(1.5)).
    ember.manual_seed(1)
    a = nn.init.trunc_normal_(ember.empty(20_000, dtype=ember.float64), a=1.5, b=3.0).numpy()
    pdf = lambda x: math.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    cdf = lambda x: (1 + math.erf(x / math.sqrt(2))) / 2  # noqa: E731
    expected = (pdf(1.5) - pdf(3.0)) / (cdf(3.0) - cdf(1.5))
    assert a.min() >= 1.5 and a.max() <= 3.0
    assert abs(a.mean() - expected) < 0.01


def test_init_functions_work_on_parameters_without_recording_grad():
    lin = nn.Linear(3, 2)
    for fn in [nn.init.xavier_uniform_, nn.init.xavier_normal_, nn.init.kaiming_uniform_,
               nn.init.kaiming_normal_, nn.init.zeros_, nn.init.ones_,
               lambda p: nn.init.normal_(p, std=0.01), lambda p: nn.init.constant_(p, 2.0),
               nn.init.uniform_]:
        out = fn(lin.weight)
        assert out is lin.weight and out.grad_fn is None and out.requires_grad


def test_generator_makes_draws_reproducible():
    g = ember.Generator().manual_seed(5)
    a = nn.init.kaiming_uniform_(ember.empty(4, 4), generator=g)
    g.manual_seed(5)
    b = nn.init.kaiming_uniform_(ember.empty(4, 4), generator=g)
    assert ember.equal(a, b)
    g.manual_seed(5)
    c = nn.init.normal_(ember.empty(4, 4), generator=g)
    assert not ember.equal(a, c)


def test_zero_element_kaiming_warns_like_torch():
    for m in (ember, torch):
        with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
            m.nn.init.kaiming_uniform_(m.empty(0, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.init.xavier_uniform_(ember.empty(2, 2))


# ------------------------------------------------- the same seed, torch's weights
@pytest.mark.parametrize("seed", [0, 1, 123])
@pytest.mark.parametrize("call", [
    "init.uniform_(M.empty(7, 9), -0.5, 0.5)", "init.normal_(M.empty(7, 9), 0.1, 0.01)",
    "init.normal_(M.empty(3), 0.0, 0.01)", "init.xavier_uniform_(M.empty(20, 30))",
    "init.xavier_normal_(M.empty(20, 30))", "init.kaiming_uniform_(M.empty(8, 5, 3, 3))",
    "init.kaiming_normal_(M.empty(64, 32), nonlinearity='relu')",
    "init.trunc_normal_(M.empty(50, 40), std=0.02)",
    "init.trunc_normal_(M.empty(30), mean=2.0, a=-1.0, b=0.5)",
    "M.nn.Linear(20, 7).weight", "M.nn.Linear(5, 3).bias", "M.nn.Linear(2, 1).weight",
])
def test_init_draws_torchs_numbers(seed, call):
    """nn.Linear's kaiming_uniform_ and the other initialisers: the same seed gives the
    same weights as torch, and the stream stays in step."""
    got = []
    for m in (ember, torch):
        m.manual_seed(seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = eval(call, {"M": m, "init": m.nn.init})
        got.append((value.detach().numpy().copy(), m.rand(3).numpy()))
    np.testing.assert_array_equal(got[0][0], got[1][0])
    np.testing.assert_array_equal(got[0][1], got[1][1])
