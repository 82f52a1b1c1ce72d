"""nn.Module against torch.nn.Module: registration, traversal, state_dict, errors, hooks."""
import copy
import pickle
import warnings

import numpy as np
import pytest
import torch

import ember
from ember import nn
from helpers import assert_same
from nn_helpers import copy_to_torch, same_error, same_grads


def make_net(m):
    """A custom module with parameters, persistent and non-persistent buffers, a None
    parameter, a nested Sequential and a shared layer (built with ember or torch)."""
    class Net(m.nn.Module):
        def __init__(self):
            super().__init__()
            self.hidden = m.nn.Linear(2, 3)
            self.register_buffer("steps", m.zeros(()))
            self.register_buffer("cache", m.ones(2), persistent=False)
            self.scale = m.nn.Parameter(m.ones(1))
            self.body = m.nn.Sequential(m.nn.ReLU(), m.nn.Linear(3, 3),
                                        m.nn.Sequential(m.nn.Tanh(), m.nn.Linear(3, 1)))
            self.register_parameter("unused", None)
            self.shared = self.hidden            # the same layer under a second name
            self.label = "not a tensor"

        def forward(self, x):
            return self.body(self.hidden(x)) * self.scale

    return Net()


def both_nets():
    e, t = make_net(ember), make_net(torch)
    copy_to_torch(e, t)
    return e, t


def shapes(state):
    return [(k, tuple(v.shape)) for k, v in state.items()]


# ------------------------------------------------------------- traversal
def test_state_dict_keys_order_and_shapes_equal_torchs():
    e, t = both_nets()
    assert shapes(e.state_dict()) == shapes(t.state_dict())
    assert list(e.state_dict(keep_vars=True)) == list(t.state_dict(keep_vars=True))
    assert list(e.state_dict(prefix="model.")) == list(t.state_dict(prefix="model."))
    assert dict(e.state_dict()._metadata) == dict(t.state_dict()._metadata)


def test_sequential_state_dict_equals_torchs():
    def build(m):
        return m.nn.Sequential(m.nn.Linear(4, 8), m.nn.ReLU(),
                               m.nn.Sequential(m.nn.Linear(8, 8), m.nn.ReLU()),
                               m.nn.Linear(8, 1))
    assert shapes(build(ember).state_dict()) == shapes(build(torch).state_dict())


def test_state_dict_values_are_detached_aliases():
    e = make_net(ember)
    sd = e.state_dict()
    w = sd["hidden.weight"]
    assert type(w) is ember.Tensor and not w.requires_grad
    w.zero_()
    assert float(e.hidden.weight.abs().sum()) == 0.0            # shares memory
    assert isinstance(e.state_dict(keep_vars=True)["hidden.weight"], nn.Parameter)


@pytest.mark.parametrize("method,kwargs", [
    ("named_parameters", {}), ("named_parameters", {"recurse": False}),
    ("named_parameters", {"prefix": "net"}), ("named_parameters", {"remove_duplicate": False}),
    ("named_buffers", {}), ("named_buffers", {"recurse": False}),
    ("named_children", {}), ("named_modules", {}), ("named_modules", {"prefix": "root"}),
    ("named_modules", {"remove_duplicate": False}),
])
def test_named_iterators_equal_torchs(method, kwargs):
    e, t = both_nets()
    e_items = list(getattr(e, method)(**kwargs))
    t_items = list(getattr(t, method)(**kwargs))
    assert [n for n, _ in e_items] == [n for n, _ in t_items]
    assert [type(v).__name__ for _, v in e_items] == [type(v).__name__ for _, v in t_items]


def test_plain_iterators_follow_the_named_ones():
    e, t = both_nets()
    assert len(list(e.parameters())) == len(list(t.parameters())) == 7
    assert [tuple(p.shape) for p in e.parameters()] == [tuple(p.shape) for p in t.parameters()]
    assert [tuple(b.shape) for b in e.buffers()] == [tuple(b.shape) for b in t.buffers()]
    assert [type(c).__name__ for c in e.children()] == [type(c).__name__ for c in t.children()]
    assert [type(c).__name__ for c in e.modules()] == [type(c).__name__ for c in t.modules()]
    assert all(isinstance(p, nn.Parameter) for p in e.parameters())


def test_shared_parameter_is_listed_once():
    lin = nn.Linear(2, 2)
    net = nn.Sequential(lin, nn.ReLU(), lin)
    assert len(list(net.parameters())) == 2
    assert [n for n, _ in net.named_parameters()] == ["0.weight", "0.bias"]
    assert list(net.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_forward_and_gradients_equal_torchs():
    e, t = both_nets()
    x = np.random.default_rng(1).standard_normal((5, 2)).astype("float32")
    ey, ty = e(ember.tensor(x)), t(torch.tensor(x))
    assert_same(ey, ty)
    ey.sum().backward()
    ty.sum().backward()
    same_grads(e, t)


# --------------------------------------------------------- load_state_dict
def test_load_state_dict_round_trip_and_return_value():
    a, b = make_net(ember), make_net(ember)
    result = b.load_state_dict(a.state_dict())
    assert repr(result) == "<All keys matched successfully>"
    assert result.missing_keys == [] and result.unexpected_keys == []
    for (_, x), (_, y) in zip(a.state_dict().items(), b.state_dict().items()):
        assert ember.equal(x, y)
    assert b.hidden.weight is b.shared.weight        # loaded in place, identity kept


def _edited_state(m, net):
    sd = net.state_dict()
    del sd["scale"]
    sd["extra"] = m.ones(1)
    sd["body.9.weight"] = m.ones(1)
    sd["hidden.weight"] = m.ones(5)
    sd["body.1.bias"] = m.ones(3, 1)
    return sd


def test_load_state_dict_error_text_equals_torchs():
    def load(m):
        net = make_net(m)
        net.load_state_dict(_edited_state(m, net))
    err = same_error(load, RuntimeError)
    assert str(err).startswith("Error(s) in loading state_dict for Net:\n\tMissing key(s) in "
                               'state_dict: "scale". \n\tUnexpected key(s) in state_dict: ')
    assert ("size mismatch for hidden.weight: copying a param with shape torch.Size([5]) "
            "from checkpoint, the shape in current model is torch.Size([3, 2]).") in str(err)


def test_load_state_dict_into_linear_error_text_equals_torchs():
    def load(m):
        m.nn.Linear(2, 1).load_state_dict({"weight": m.ones(1, 3)})
    err = same_error(load, RuntimeError)
    assert str(err) == (
        'Error(s) in loading state_dict for Linear:\n\tMissing key(s) in state_dict: "bias". '
        "\n\tsize mismatch for weight: copying a param with shape torch.Size([1, 3]) from "
        "checkpoint, the shape in current model is torch.Size([1, 2]).")


def test_load_state_dict_non_strict_reports_keys_like_torch():
    results = {}
    for m in (ember, torch):
        net = make_net(m)
        sd = net.state_dict()
        del sd["scale"]
        sd["extra"] = m.ones(1)
        results[m.__name__] = repr(net.load_state_dict(sd, strict=False))
    assert results["ember"] == results["torch"] == \
        "_IncompatibleKeys(missing_keys=['scale'], unexpected_keys=['extra'])"


def test_load_state_dict_non_tensor_and_bad_mapping_errors_equal_torchs():
    same_error(lambda m: m.nn.Linear(2, 1).load_state_dict([1]))
    err = same_error(lambda m: m.nn.Linear(2, 1).load_state_dict(
        {"weight": np.ones((1, 2)), "bias": m.ones(1)}), RuntimeError)
    assert "expected torch.Tensor or Tensor-like object" in str(err)


def test_load_state_dict_casts_dtype_and_assign_replaces():
    lin = nn.Linear(2, 1)
    w = lin.weight
    lin.load_state_dict({"weight": ember.ones(1, 2, dtype=ember.float64),
                         "bias": ember.zeros(1)})
    assert lin.weight is w and lin.weight.dtype == ember.float32
    assert lin.weight.tolist() == [[1.0, 1.0]]
    new_w = ember.full((1, 2), 3.0)
    lin.load_state_dict({"weight": new_w, "bias": ember.zeros(1)}, assign=True)
    assert lin.weight is not w and isinstance(lin.weight, nn.Parameter)
    assert lin.weight.requires_grad and lin.weight.tolist() == [[3.0, 3.0]]


def test_load_state_dict_hooks_run():
    calls = []
    lin = nn.Linear(2, 1)
    lin.register_load_state_dict_pre_hook(lambda mod, sd, prefix, *rest: calls.append("pre"))
    lin.register_load_state_dict_post_hook(lambda mod, keys: calls.append(("post", keys)))
    lin.load_state_dict(lin.state_dict())
    assert calls[0] == "pre" and calls[1][0] == "post"


def test_extra_state_is_saved_and_loaded():
    class Counter(nn.Module):
        def __init__(self):
            super().__init__()
            self.count = 0

        def get_extra_state(self):
            return {"count": self.count}

        def set_extra_state(self, state):
            self.count = state["count"]

    a, b = Counter(), Counter()
    a.count = 7
    assert list(a.state_dict()) == ["_extra_state"]
    b.load_state_dict(a.state_dict())
    assert b.count == 7


# ------------------------------------------------------------- attributes
@pytest.mark.parametrize("action", [
    lambda m, n: n.foo,
    lambda m, n: setattr(n, "scale", m.ones(1)),
    lambda m, n: setattr(n, "hidden", 3),
    lambda m, n: n.register_buffer("hidden", m.ones(1)),
    lambda m, n: n.register_buffer("z", 3),
    lambda m, n: n.register_buffer(1, None),
    lambda m, n: n.register_buffer("a.b", None),
    lambda m, n: n.register_buffer("", None),
    lambda m, n: n.register_parameter("a.b", None),
    lambda m, n: n.register_parameter("", None),
    lambda m, n: n.register_parameter("z", m.ones(1)),
    lambda m, n: n.register_parameter("label", None),
    lambda m, n: n.add_module("x", 3),
    lambda m, n: n.add_module("", m.nn.ReLU()),
    lambda m, n: n.add_module("a.b", m.nn.ReLU()),
    lambda m, n: n.add_module("label", m.nn.ReLU()),
    lambda m, n: n.get_submodule("body.3"),
    lambda m, n: n.get_submodule("body.0.weight"),
    lambda m, n: n.get_submodule("scale"),
    lambda m, n: n.get_parameter("body.1.foo"),
    lambda m, n: n.get_parameter("steps"),
    lambda m, n: n.get_buffer("scale"),
    lambda m, n: n.train(1),
    lambda m, n: n.to(m.int64),
    lambda m, n: m.nn.Module()(1),
    lambda m, n: m.nn.Module(3),
    lambda m, n: m.nn.Module(a=3),
])
def test_attribute_errors_equal_torchs(action):
    same_error(lambda m: action(m, make_net(m)))


def test_non_leaf_parameter_error_equals_torchs():
    def act(m):
        p = m.nn.Parameter(m.ones(1))
        m.nn.Linear(1, 1).register_parameter("z", p * 2)
    same_error(act)


@pytest.mark.parametrize("body", ["param", "module", "buffer"])
def test_assignment_before_init_errors_equal_torchs(body):
    def act(m):
        class Early(m.nn.Module):
            def __init__(self):
                if body == "param":
                    self.w = m.nn.Parameter(m.ones(1))
                elif body == "module":
                    self.w = m.nn.Linear(1, 1)
                else:
                    self.register_buffer("w", None)
        Early()
    same_error(act)


def test_get_submodule_parameter_buffer_find_things():
    e = make_net(ember)
    assert e.get_submodule("") is e
    assert e.get_submodule("body.2.1") is e.body[2][1]
    assert e.get_parameter("body.2.1.weight") is e.body[2][1].weight
    assert e.get_buffer("steps") is e.steps


def test_setattr_moves_names_between_registries():
    net = make_net(ember)
    net.hidden = None                       # a module slot can be cleared
    assert net.hidden is None and "hidden" in net._modules
    net.scale = None
    assert net.scale is None and list(net.state_dict()).count("scale") == 0
    net.steps = ember.ones(())              # a buffer stays a buffer
    assert "steps" in net._buffers
    net.steps = nn.Linear(1, 1)             # ... until a module replaces it
    assert "steps" not in net._buffers and "steps" in net._modules
    net.marker = nn.Buffer(ember.zeros(2), persistent=False)
    assert "marker" in net._buffers and "marker" not in net.state_dict()


def test_delattr_and_dir():
    net = make_net(ember)
    names = dir(net)
    for name in ["hidden", "scale", "steps", "body", "forward", "label", "parameters"]:
        assert name in names
    del net.scale, net.steps, net.hidden, net.label
    assert "scale" not in dict(net.named_parameters())
    assert "steps" not in dict(net.named_buffers())
    assert "hidden" not in net._modules
    with pytest.raises(AttributeError):
        net.label
    same_dir = sorted(set(dir(nn.Sequential(nn.ReLU()))) & {"0", "append", "forward"})
    assert same_dir == ["append", "forward"]


# ------------------------------------------------------------------ modes
def test_train_eval_propagate():
    e = make_net(ember)
    assert e.training and e.body[2].training
    assert e.eval() is e
    assert not any(m.training for m in e.modules())
    e.train()
    assert all(m.training for m in e.modules())


def test_zero_grad_sets_none_by_default_or_zeros():
    net = make_net(ember)
    net(ember.ones(3, 2)).sum().backward()
    net.zero_grad(set_to_none=False)
    assert all(p.grad is not None and float(p.grad.abs().sum()) == 0
               for p in net.parameters() if p is not net.unused)
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_requires_grad_switch():
    net = make_net(ember)
    assert net.requires_grad_(False) is net
    assert not any(p.requires_grad for p in net.parameters())
    y = net(ember.ones(1, 2))
    assert not y.requires_grad


def test_apply_visits_children_first_like_torch():
    e_seen, t_seen = [], []
    make_net(ember).apply(lambda mod: e_seen.append(type(mod).__name__))
    make_net(torch).apply(lambda mod: t_seen.append(type(mod).__name__))
    assert e_seen == t_seen


def test_apply_init_function_in_d2l_style():
    def init_weights(m):
        if type(m) == nn.Linear:
            nn.init.normal_(m.weight, std=0.01)
            nn.init.zeros_(m.bias)
    net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1)).apply(init_weights)
    assert float(net[0].bias.abs().sum()) == 0
    assert float(net[0].weight.std()) < 0.05


def test_to_double_float_keep_parameter_identity_and_convert_grads():
    e = make_net(ember)
    e.register_buffer("count", ember.tensor([1, 2]))
    e(ember.ones(2, 2)).sum().backward()
    w = e.hidden.weight
    assert e.to(ember.float64) is e
    assert e.hidden.weight is w and w.dtype == ember.float64 and w.grad.dtype == ember.float64
    assert e.steps.dtype == ember.float64 and e.count.dtype == ember.int64
    assert e(ember.ones(2, 2, dtype=ember.float64)).dtype == ember.float64
    e.float()
    assert w.dtype == ember.float32 and e.cache.dtype == ember.float32
    e.double()
    assert w.dtype == ember.float64
    e.to("cpu")
    e.to(ember.zeros(1))
    assert w.dtype == ember.float32
    e.to(device="cpu", dtype=ember.float64)
    assert w.dtype == ember.float64


def test_to_uses_the_same_dtype_as_torch_for_every_tensor():
    e, t = both_nets()
    e.to(ember.float64)
    t.to(torch.float64)
    e_types = [(k, v.dtype.name) for k, v in e.state_dict().items()]
    t_types = [(k, str(v.dtype)[6:]) for k, v in t.state_dict().items()]
    assert e_types == t_types


# ------------------------------------------------------------------ hooks
def test_forward_hooks_modify_input_and_output_and_are_removable():
    calls = []
    lin = nn.Linear(2, 2)
    h1 = lin.register_forward_pre_hook(lambda mod, args: (args[0] * 0,))
    h2 = lin.register_forward_hook(lambda mod, args, out: out + 1)
    h3 = lin.register_forward_hook(lambda mod, args, out: calls.append("last"))
    h4 = lin.register_forward_hook(lambda mod, args, out: calls.append("first"), prepend=True)
    y = lin(ember.ones(1, 2))
    assert_same(y, torch.tensor(lin.bias.detach().numpy() + 1).reshape(1, 2))
    assert calls == ["first", "last"]
    for h in (h1, h2, h3, h4):
        h.remove()
    calls.clear()
    assert_same(lin(ember.zeros(1, 2)), torch.tensor(lin.bias.detach().numpy()).reshape(1, 2))
    assert calls == []


def test_hooks_with_kwargs_single_value_return_and_context_manager():
    class Scale(nn.Module):
        def forward(self, x, factor=1.0):
            return x * factor

    m = Scale()
    m.register_forward_pre_hook(lambda mod, args, kwargs: (args, {"factor": 3.0}),
                                with_kwargs=True)
    m.register_forward_pre_hook(lambda mod, args: args[0] + 1)       # a bare value
    seen = []
    with m.register_forward_hook(lambda mod, args, kwargs, out: seen.append(kwargs),
                                 with_kwargs=True):
        assert m(ember.ones(1)).item() == 6.0
    assert seen == [{"factor": 3.0}]
    m(ember.ones(1))
    assert len(seen) == 1


def test_always_call_forward_hook_runs_when_forward_fails():
    class Bad(nn.Module):
        def forward(self, x):
            raise ValueError("boom")
    seen = []
    b = Bad()
    b.register_forward_hook(lambda mod, args, out: seen.append(out), always_call=True)
    with pytest.raises(ValueError, match="boom"):
        b(1)
    assert seen == [None]


def test_hook_results_equal_torchs():
    def run(m):
        lin = m.nn.Linear(3, 2)
        lin.register_forward_hook(lambda mod, args, out: out * 2)
        return lin
    e, t = run(ember), run(torch)
    copy_to_torch(e, t)
    x = np.ones((2, 3), "float32")
    assert_same(e(ember.tensor(x)), t(torch.tensor(x)))


# ------------------------------------------------------------------- repr
def make_custom(m):
    class Custom(m.nn.Module):
        def __init__(self):
            super().__init__()
            self.net = m.nn.Sequential(m.nn.Linear(2, 4), m.nn.ReLU())
            self.head = m.nn.ModuleList([m.nn.Linear(4, 1), m.nn.Linear(4, 1),
                                         m.nn.Linear(4, 2)])

        def extra_repr(self):
            return "lr=0.1\nmomentum=0.9"
    return Custom()


def test_repr_equals_torchs():
    assert repr(make_custom(ember)) == repr(make_custom(torch))
    assert repr(make_net(ember)) == repr(make_net(torch))
    assert repr(nn.Module()) == "Module()"


# -------------------------------------------------------------- copy, pickle
class Shared(nn.Module):
    """Module-level (so that pickle finds it): a layer registered twice, a buffer."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(2, 3)
        self.shared = self.hidden
        self.register_buffer("steps", ember.zeros(()))

    def forward(self, x):
        return self.shared(self.hidden(x)[:, :2])


def test_deepcopy_and_pickle_give_independent_equal_modules():
    e = Shared()
    x = ember.ones(2, 2)
    for clone in (copy.deepcopy(e), pickle.loads(pickle.dumps(e))):
        assert clone.hidden.weight is not e.hidden.weight
        assert clone.hidden.weight is clone.shared.weight      # sharing is preserved
        assert isinstance(clone.hidden.weight, nn.Parameter)
        assert ember.equal(clone(x), e(x))
        clone.hidden.weight.data.zero_()
        assert float(e.hidden.weight.abs().sum()) > 0


def test_warnings_free_normal_use():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net = make_net(ember)
        net(ember.ones(2, 2)).sum().backward()
        net.state_dict()
        repr(net)
