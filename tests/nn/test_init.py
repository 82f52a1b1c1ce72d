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


# ------------------------------------------------- the rest of torch's nn.init
def test_every_public_name_of_torchs_init_exists():
    public = [n for n in dir(torch.nn.init) if not n.startswith("_") and callable(
        getattr(torch.nn.init, n)) and getattr(torch.nn.init, n).__module__ == "torch.nn.init"]
    assert "orthogonal_" in public and "sparse" in public
    missing = [n for n in public if not hasattr(nn.init, n)]
    assert missing == []


def _draw_in_both(call, seed):
    """call(M) under the same seed in ember and torch: (ember, torch) values and the next draws,
    which show whether the global stream stayed in step."""
    got = []
    for m in (ember, torch):
        m.manual_seed(seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = call(m)
        got.append((value.detach().numpy().copy(), m.rand(3).numpy()))
    return got


@pytest.mark.parametrize("seed", [0, 7])
@pytest.mark.parametrize("call", [
    lambda m: m.nn.init.sparse_(m.empty(10, 6), 0.3),
    lambda m: m.nn.init.sparse_(m.empty(5, 3), 0.9, std=2.0),
    lambda m: m.nn.init.sparse_(m.empty(7, 4, dtype=m.float64), 0.0),
    lambda m: m.nn.init.sparse_(m.empty(4, 2), 1.5),        # more zeros than rows: all zero
    lambda m: m.nn.init.sparse_(m.empty(0, 3), 0.5),
    lambda m: m.nn.init.sparse_(m.empty(3, 0), 0.5),
    lambda m: m.nn.init.dirac_(m.empty(6, 3, 3), 2),
    lambda m: m.nn.init.dirac_(m.empty(4, 6, 3, 3)),
    lambda m: m.nn.init.dirac_(m.empty(2, 2, 3, 2, 4)),
    lambda m: m.nn.init.dirac_(m.empty(6, 2, 3, 3), 3),
    lambda m: m.nn.init.dirac_(m.empty(3, 5, 4, dtype=m.int64)),
    lambda m: m.nn.init.eye_(m.empty(3, 5)),
    lambda m: m.nn.init.eye_(m.empty(4, 2, dtype=m.float64)),
    lambda m: m.nn.init.trunc_normal_(m.empty(64, 33), mean=0.5, std=0.3, a=0.0, b=1.0),
    lambda m: m.nn.init.trunc_normal_(m.empty(40, dtype=m.float64), a=1.0, b=2.5),
])
def test_sparse_dirac_eye_draw_torchs_numbers(seed, call):
    (e_value, e_next), (t_value, t_next) = _draw_in_both(call, seed)
    assert e_value.dtype == t_value.dtype and e_value.shape == t_value.shape
    np.testing.assert_array_equal(e_value, t_value)
    np.testing.assert_array_equal(e_next, t_next)


@pytest.mark.parametrize("seed", [0, 3])
@pytest.mark.parametrize("shape,dtype,gain", [
    ((6, 4), "float32", 1), ((3, 5), "float32", 2.0), ((4, 2, 3, 3), "float32", 1),
    ((20, 20), "float64", 0.5), ((1, 7), "float64", 1), ((7, 1), "float32", 1),
])
def test_orthogonal_equals_torchs_up_to_lapack_rounding(seed, shape, dtype, gain):
    (e_value, e_next), (t_value, t_next) = _draw_in_both(
        lambda m: m.nn.init.orthogonal_(m.empty(*shape, dtype=getattr(m, dtype)), gain=gain), seed)
    assert e_value.dtype == t_value.dtype and e_value.shape == t_value.shape
    tol = 1e-5 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(e_value, t_value, rtol=tol, atol=tol)
    np.testing.assert_array_equal(e_next, t_next)      # exactly rows * cols normal draws
    flat = e_value.reshape(shape[0], -1).astype(np.float64)
    small = min(flat.shape)
    gram = flat @ flat.T if flat.shape[0] == small else flat.T @ flat
    np.testing.assert_allclose(gram, gain ** 2 * np.eye(small), atol=1e-5)


def test_orthogonal_and_sparse_take_a_generator():
    for m in (ember, torch):
        g = m.Generator().manual_seed(4)
        a = m.nn.init.orthogonal_(m.empty(5, 3), generator=g)
        g.manual_seed(4)
        b = m.nn.init.orthogonal_(m.empty(5, 3), generator=g)
        assert m.equal(a, b)
    e_gen, t_gen = ember.Generator().manual_seed(9), torch.Generator().manual_seed(9)
    ember.manual_seed(1)
    torch.manual_seed(1)
    # the generator gives the normals; the zero positions come from the global stream
    e = nn.init.sparse_(ember.empty(6, 4), 0.5, generator=e_gen).numpy()
    t = torch.nn.init.sparse_(torch.empty(6, 4), 0.5, generator=t_gen).numpy()
    np.testing.assert_array_equal(e, t)
    assert (e == 0).sum(0).tolist() == [3, 3, 3, 3]


def test_orthogonal_of_an_empty_tensor_is_a_no_op_without_draws():
    for m in (ember, torch):
        m.manual_seed(0)
        w = m.empty(0, 3)
        assert m.nn.init.orthogonal_(w) is w
    np.testing.assert_array_equal(ember.rand(3).numpy(), torch.rand(3).numpy())


@pytest.mark.parametrize("shape,call", [
    ((4,), lambda m, w: m.nn.init.orthogonal_(w)),
    ((), lambda m, w: m.nn.init.orthogonal_(w)),
    ((4,), lambda m, w: m.nn.init.sparse_(w, 0.1)),
    ((2, 3, 4), lambda m, w: m.nn.init.sparse_(w, 0.1)),
    ((3, 3), lambda m, w: m.nn.init.dirac_(w)),
    ((1, 1, 1, 1, 1, 1), lambda m, w: m.nn.init.dirac_(w)),
    ((4, 3, 3), lambda m, w: m.nn.init.dirac_(w, groups=3)),
    ((2, 2, 2), lambda m, w: m.nn.init.eye_(w)),
    ((4,), lambda m, w: m.nn.init.kaiming_uniform_(w)),
    ((), lambda m, w: m.nn.init.kaiming_normal_(w)),
    ((3,), lambda m, w: m.nn.init.xavier_normal_(w)),
    ((2, 2), lambda m, w: m.nn.init.kaiming_normal_(w, nonlinearity="gelu")),
    ((2, 2), lambda m, w: m.nn.init.kaiming_uniform_(w, mode="FAN_AVG")),
])
def test_init_errors_equal_torchs_and_leave_the_tensor_unchanged(shape, call):
    tensors = {m: m.full(shape, 0.25) for m in (ember, torch)}
    same_error(lambda m: call(m, tensors[m]))
    for w in tensors.values():
        assert (w.numpy() == 0.25).all()


def test_kaiming_mode_is_case_insensitive_like_torchs():
    for m in (ember, torch):
        m.manual_seed(0)
    e = nn.init.kaiming_normal_(ember.empty(3, 4), mode="FAN_OUT").numpy()
    t = torch.nn.init.kaiming_normal_(torch.empty(3, 4), mode="FAN_OUT").numpy()
    np.testing.assert_array_equal(e, t)


@pytest.mark.parametrize("old,args", [
    ("uniform", ()), ("normal", ()), ("constant", (0.5,)), ("eye", ()), ("dirac", ()),
    ("xavier_uniform", ()), ("xavier_normal", ()), ("kaiming_uniform", ()),
    ("kaiming_normal", ()), ("orthogonal", ()), ("sparse", (0.5,)),
])
def test_deprecated_names_warn_like_torch_and_still_init(old, args):
    shape = (4, 4, 3) if old == "dirac" else (4, 3)
    got = []
    for m in (ember, torch):
        m.manual_seed(2)
        with pytest.warns(FutureWarning) as record:
            out = getattr(m.nn.init, old)(m.empty(*shape), *args)
        got.append((str(record[0].message), record[0].filename, out.numpy()))
    assert got[0][0] == got[1][0] == f"`nn.init.{old}` is now deprecated in favor of " \
        f"`nn.init.{old}_`."
    assert got[0][1] == __file__                        # the warning points at the caller
    np.testing.assert_allclose(got[0][2], got[1][2], rtol=1e-5, atol=1e-6)
    assert getattr(nn.init, old).__name__ == old


@pytest.mark.parametrize("shape,fn", [
    ((2, 3), lambda p: nn.init.orthogonal_(p)), ((2, 3), lambda p: nn.init.sparse_(p, 0.5)),
    ((2, 3), lambda p: nn.init.eye_(p)), ((2, 3), lambda p: nn.init.trunc_normal_(p)),
    ((2, 3), lambda p: nn.init.trunc_normal_(p, a=1.5, b=3.0)),
    ((2, 3, 3), lambda p: nn.init.dirac_(p)), ((2, 3), lambda p: nn.init.xavier_uniform_(p)),
])
def test_new_inits_work_on_parameters_and_leaves_requiring_grad(shape, fn):
    for make in (lambda: nn.Parameter(ember.empty(*shape)),
                 lambda: ember.empty(*shape, requires_grad=True)):
        p = make()
        out = fn(p)
        assert out is p and p.grad_fn is None and p.requires_grad and p.is_leaf
