"""Identity, Linear and LazyLinear against torch, including the lazy-init trap warning."""
import copy
import math
import warnings

import numpy as np
import pytest
import torch

import ember
from ember import nn
from helpers import assert_same
from nn_helpers import copy_to_torch, same_error, same_grads

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("batch", [(), (5,), (2, 3)])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_linear_forward_and_gradients_equal_torchs(batch, bias, dtype):
    e = nn.Linear(4, 3, bias=bias, dtype=getattr(ember, dtype))
    t = torch.nn.Linear(4, 3, bias=bias, dtype=getattr(torch, dtype))
    copy_to_torch(e, t)
    x = RNG.standard_normal(batch + (4,)).astype(dtype)
    ex, tx = ember.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ey, ty = e(ex), t(tx)
    assert_same(ey, ty, rtol=1e-5)
    g = RNG.standard_normal(ty.shape).astype(dtype)
    ey.backward(ember.tensor(g))
    ty.backward(torch.tensor(g))
    same_grads(e, t)
    assert_same(ex.grad, tx.grad, rtol=1e-5)


def test_linear_repr_attributes_and_registration_equal_torchs():
    for args in [(2, 1), (3, 4, False)]:
        e, t = nn.Linear(*args), torch.nn.Linear(*args)
        assert repr(e) == repr(t)
        assert [(n, tuple(p.shape)) for n, p in e.named_parameters()] == \
            [(n, tuple(p.shape)) for n, p in t.named_parameters()]
    assert nn.Linear(2, 1, bias=False).bias is None


def test_linear_default_init_follows_torchs_bounds_and_spread():
    ember.manual_seed(0)
    fan_in = 50
    lin = nn.Linear(fan_in, 400)
    bound = 1 / math.sqrt(fan_in)              # kaiming_uniform_(a=sqrt(5)) gives this
    w, b = lin.weight.detach().numpy(), lin.bias.detach().numpy()
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.02 * bound
    assert abs(w.mean()) < 0.02 * bound
    assert np.abs(b).max() > 0.9 * bound          # spread over the whole interval
    t = torch.nn.Linear(fan_in, 400)
    assert abs(t.weight.detach().numpy().std() - w.std()) < 0.03 * bound


def test_linear_init_is_reproducible_with_the_seed():
    ember.manual_seed(42)
    a = nn.Linear(3, 2)
    ember.manual_seed(42)
    b = nn.Linear(3, 2)
    assert ember.equal(a.weight, b.weight) and ember.equal(a.bias, b.bias)


def test_identity_passes_input_and_ignores_arguments():
    x = ember.ones(2, 3)
    assert nn.Identity(54, unused="x")(x) is x
    assert repr(nn.Identity(3)) == repr(torch.nn.Identity(3)) == "Identity()"


def test_linear_input_errors_equal_torchs():
    same_error(lambda m: m.nn.Linear(3, 2)(m.ones(4, 2)))
    same_error(lambda m: m.nn.Linear(3, 2)(m.ones(4, 3, dtype=m.float64)))


# -------------------------------------------------------------- LazyLinear
def test_lazy_linear_before_and_after_first_call_like_torch():
    e, t = nn.LazyLinear(3), torch.nn.LazyLinear(3)
    assert repr(e) == repr(t) == "LazyLinear(in_features=0, out_features=3, bias=True)"
    assert type(e.weight).__name__ == type(t.weight).__name__ == "UninitializedParameter"
    assert repr(e.weight) == repr(t.weight) == "<UninitializedParameter>"
    assert isinstance(e.weight, nn.Parameter) and nn.parameter.is_lazy(e.weight)
    params_before = list(e.parameters())
    x = RNG.standard_normal((5, 4)).astype("float32")
    y = e(ember.tensor(x))
    t(torch.tensor(x))
    assert type(e) is nn.Linear and type(e.weight) is nn.Parameter
    assert repr(e) == repr(t) == "Linear(in_features=4, out_features=3, bias=True)"
    assert list(e.parameters()) == params_before          # the same objects, materialized
    assert params_before[0].shape == (3, 4)
    copy_to_torch(e, t)
    assert_same(y, t(torch.tensor(x)))
    bound = 1 / math.sqrt(4)
    assert np.abs(e.weight.detach().numpy()).max() <= bound


def test_lazy_linear_shape_and_ops_errors_equal_torchs():
    same_error(lambda m: m.nn.LazyLinear(2).weight.shape, RuntimeError)
    for op in [lambda w: w.sum(), lambda w: w.numel(), lambda w: w.normal_(),
               lambda w: w.detach(), lambda w: w + 1, lambda w: w.tolist(), lambda w: len(w)]:
        with pytest.raises(ValueError, match="Attempted to use an uninitialized parameter"):
            op(nn.LazyLinear(2).weight)
        with pytest.raises(ValueError, match="Attempted to use an uninitialized parameter"):
            op(torch.nn.LazyLinear(2).weight)
    with pytest.raises(ValueError, match="uninitialized parameter"):
        nn.init.normal_(nn.LazyLinear(2).weight)


def test_lazy_linear_allowed_queries_equal_torchs():
    e, t = nn.LazyLinear(2).weight, torch.nn.LazyLinear(2).weight
    assert e.dtype.name == str(t.dtype)[6:]
    assert e.requires_grad and t.requires_grad and e.is_leaf and e.grad is None
    assert e.size() == t.size() == (0,)
    assert e.is_floating_point() and e.data.numel() == 0


def test_slide_init_before_first_call_is_discarded_with_a_warning():
    """The slides' concise linear regression: init right after construction."""
    ember.manual_seed(0)
    net = nn.LazyLinear(1)
    net.weight.data.normal_(0, 0.01)
    net.bias.data.fill_(0)
    assert net.weight.data.numel() == 0          # torch's silent no-op, kept
    x = ember.randn(8, 2)
    with pytest.warns(UserWarning, match=r"LazyLinear: the values written into 'weight', "
                      r"'bias' before the first forward pass were discarded") as record:
        net(x)
    assert "net.weight.data.normal_(0, 0.01)" in str(record[0].message)
    assert "apply_init" in str(record[0].message)
    assert record[0].filename == __file__           # points at the caller's line
    # The default initialisation was used instead: neither N(0, 0.01) nor a zero bias.
    assert abs(float(net.bias)) > 0 or np.abs(net.weight.detach().numpy()).max() > 0.05
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net(x)                                       # once only


def test_torch_discards_the_slide_init_too():
    torch.manual_seed(0)
    net = torch.nn.LazyLinear(1)
    net.weight.data.normal_(0, 0.01)
    net.bias.data.fill_(0)
    net(torch.randn(8, 2))
    assert net.bias.item() != 0.0                   # the fill_(0) was lost


def test_no_warning_without_writes_or_when_initialising_after_the_first_call():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net = nn.LazyLinear(1)
        net(ember.ones(2, 3))                        # dummy batch first
        net.weight.data.normal_(0, 0.01)
        net.bias.data.fill_(0)
    assert float(net.bias) == 0.0 and float(net.weight.abs().max()) < 0.1
    assert net.weight.shape == (1, 3)


def test_lazy_linear_inside_sequential_with_apply_after_dummy_batch():
    def init(m):
        if type(m) == nn.Linear:
            nn.init.zeros_(m.weight)
    net = nn.Sequential(nn.LazyLinear(4), nn.ReLU(), nn.LazyLinear(1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net(ember.ones(1, 5))
        net.apply(init)
    assert [type(m).__name__ for m in net] == ["Linear", "ReLU", "Linear"]
    assert float(net[0].weight.abs().sum()) == 0 and net[2].weight.shape == (1, 4)


def test_lazy_linear_optimizer_built_before_first_call_sees_materialized_params():
    net = nn.LazyLinear(1)
    held = list(net.parameters())                    # what an optimizer would keep
    net(ember.ones(3, 2)).sum().backward()
    assert held[0] is net.weight and held[0].grad is not None
    assert held[0].grad.shape == (1, 2)


def test_lazy_linear_state_dict_and_loading_like_torch():
    e, t = nn.LazyLinear(3), torch.nn.LazyLinear(3)
    assert list(e.state_dict()) == list(t.state_dict()) == ["weight", "bias"]
    assert all(nn.parameter.is_lazy(v) for v in e.state_dict().values())
    src = nn.Linear(2, 3)
    e.load_state_dict(src.state_dict())
    assert type(e) is nn.LazyLinear and e.weight.shape == (3, 2)
    assert ember.equal(e.weight, src.weight)
    x = ember.ones(1, 2)
    assert ember.equal(e(x), src(x))
    assert type(e) is nn.Linear and e.in_features == 2
    same_error(lambda m: m.nn.Linear(2, 1).load_state_dict(m.nn.LazyLinear(1).state_dict()),
               RuntimeError)


def test_lazy_linear_options_dtype_bias_and_conversion():
    e = nn.LazyLinear(3, bias=False)
    assert repr(e) == repr(torch.nn.LazyLinear(3, bias=False)) and e.bias is None
    e(ember.ones(4, 5))
    assert repr(e) == "Linear(in_features=5, out_features=3, bias=False)"
    d = nn.LazyLinear(2, dtype=ember.float64)
    d(ember.ones(1, 3, dtype=ember.float64))
    assert d.weight.dtype == ember.float64
    c = nn.LazyLinear(2).double()                   # converted before it has a shape
    c(ember.ones(1, 3, dtype=ember.float64))
    assert c.weight.dtype == ember.float64
    same_error(lambda m: m.nn.LazyLinear(2)(m.ones(())), IndexError)


def test_lazy_linear_deepcopy_stays_lazy_and_independent():
    a = nn.LazyLinear(2)
    b = copy.deepcopy(a)
    assert type(b.weight).__name__ == "UninitializedParameter"
    b(ember.ones(1, 3))
    assert type(b) is nn.Linear and type(a) is nn.LazyLinear
    a(ember.ones(1, 4))
    assert a.weight.shape == (2, 4) and b.weight.shape == (2, 3)


def test_uninitialized_parameter_materialize():
    p = nn.UninitializedParameter()
    p.materialize((2, 3))
    assert type(p) is nn.Parameter and p.shape == (2, 3) and p.requires_grad


def _graph(node, depth=0):
    """The node names of a backward graph, depth first, as indented text lines."""
    lines = ["  " * depth + type(node).__name__ + str(
        [type(f).__name__ if f is not None else None for f, _ in node.next_functions])]
    for f, _ in node.next_functions:
        if f is not None and type(f).__name__ != "AccumulateGrad":
            lines += _graph(f, depth + 1)
    return lines


@pytest.mark.parametrize("shape", [(3,), (4, 3), (5, 4, 3)])
@pytest.mark.parametrize("input_needs_grad", [True, False])
def test_a_linear_layers_graph_is_torchs(shape, input_needs_grad):
    # addmm(bias, x, weight.t()), with views around a batch that is not 2-D: so
    # y.grad_fn.next_functions of an nn.Linear reads as in torch
    graphs, grads = [], []
    ember_lin, torch_lin = nn.Linear(3, 2), torch.nn.Linear(3, 2)
    copy_to_torch(ember_lin, torch_lin)
    for m, lin in ((ember, ember_lin), (torch, torch_lin)):
        x = m.ones(*shape, requires_grad=input_needs_grad)
        y = lin(x)
        graphs.append(_graph(y.grad_fn))
        (y * m.arange(float(y.numel())).reshape(y.shape)).sum().backward()
        grads.append([lin.weight.grad, lin.bias.grad] + ([x.grad] if input_needs_grad else []))
    assert graphs[0] == graphs[1]
    assert grads[0][0].stride() == grads[1][0].stride()
    for e, t in zip(*grads):
        assert_same(e, t)


def test_changing_the_weight_in_place_before_backward_is_caught_as_in_torch():
    for m in (ember, torch):
        lin = m.nn.Linear(3, 2)
        y = lin(m.ones(4, 3, requires_grad=True))
        with m.no_grad():
            lin.weight.mul_(2)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.sum().backward()
