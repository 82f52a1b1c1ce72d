"""Sequential, ModuleList, ModuleDict, ParameterList and ParameterDict against torch's."""
from collections import OrderedDict

import numpy as np
import pytest
import torch

import ember
from ember import nn
from helpers import assert_same
from nn_helpers import copy_to_torch, same_error, same_grads


def build_seq(m):
    return m.nn.Sequential(m.nn.Linear(2, 4), m.nn.ReLU(),
                           m.nn.Sequential(m.nn.Linear(4, 4), m.nn.Tanh()), m.nn.Linear(4, 1))


def test_sequential_forward_gradients_repr_and_state_dict_equal_torchs():
    e, t = build_seq(ember), build_seq(torch)
    copy_to_torch(e, t)
    assert repr(e) == repr(t)
    x = np.random.default_rng(0).standard_normal((6, 2)).astype("float32")
    ey, ty = e(ember.tensor(x)), t(torch.tensor(x))
    assert_same(ey, ty)
    ey.sum().backward()
    ty.sum().backward()
    same_grads(e, t)


def test_sequential_repr_example_from_the_brief():
    assert repr(nn.Sequential(nn.Linear(2, 1), nn.ReLU())) == \
        "Sequential(\n  (0): Linear(in_features=2, out_features=1, bias=True)\n  (1): ReLU()\n)"


def test_sequential_indexing_slicing_len_iteration():
    e, t = build_seq(ember), build_seq(torch)
    assert len(e) == len(t) == 4
    for idx in [0, 1, -1, -4]:
        assert repr(e[idx]) == repr(t[idx])
    for sl in [slice(1, 3), slice(None, None, 2), slice(-2, None)]:
        assert repr(e[sl]) == repr(t[sl])
        assert type(e[sl]) is nn.Sequential
    assert [type(m).__name__ for m in e] == [type(m).__name__ for m in t]
    same_error(lambda m: build_seq(m)[4])
    same_error(lambda m: build_seq(m)[-5])


def test_sequential_from_ordered_dict_names_its_children():
    def build(m):
        return m.nn.Sequential(OrderedDict([("hidden", m.nn.Linear(2, 3)),
                                            ("act", m.nn.ReLU()), ("out", m.nn.Linear(3, 1))]))
    e, t = build(ember), build(torch)
    assert repr(e) == repr(t)
    assert list(e.state_dict()) == list(t.state_dict()) == \
        ["hidden.weight", "hidden.bias", "out.weight", "out.bias"]
    assert e.hidden is e[0]


@pytest.mark.parametrize("edit", [
    lambda m, s: s.append(m.nn.Sigmoid()),
    lambda m, s: s.insert(1, m.nn.Sigmoid()),
    lambda m, s: s.insert(-1, m.nn.Sigmoid()),
    lambda m, s: s.extend([m.nn.Sigmoid(), m.nn.Identity()]),
    lambda m, s: s.__delitem__(1),
    lambda m, s: s.__delitem__(slice(0, 2)),
    lambda m, s: s.__setitem__(1, m.nn.Sigmoid()),
    lambda m, s: s.pop(2),
    lambda m, s: s.__iadd__(m.nn.Sequential(m.nn.Sigmoid())),
])
def test_sequential_editing_equals_torchs(edit):
    e, t = build_seq(ember), build_seq(torch)
    edit(ember, e)
    edit(torch, t)
    assert repr(e) == repr(t)
    assert list(e.state_dict()) == list(t.state_dict())


def test_sequential_add_and_errors():
    e = build_seq(ember) + nn.Sequential(nn.ReLU())
    assert repr(e) == repr(build_seq(torch) + torch.nn.Sequential(torch.nn.ReLU()))
    same_error(lambda m: build_seq(m) + [m.nn.ReLU()])
    same_error(lambda m: build_seq(m).insert(7, m.nn.ReLU()))
    same_error(lambda m: m.nn.Sequential(3))


@pytest.mark.parametrize("op", [lambda s, k: s * k, lambda s, k: k * s,
                                lambda s, k: s.__imul__(k)])
def test_sequential_repeats_its_layers_as_torchs(op):
    e, t = build_seq(ember), build_seq(torch)
    er, tr = op(e, 3), op(t, 3)
    assert repr(er) == repr(tr)
    assert list(er.state_dict()) == list(tr.state_dict())
    assert er[4] is er[0]               # shared layers, as in torch
    assert len(list(er.parameters())) == len(list(tr.parameters()))
    for bad in (0, -1, 2.0, "2"):
        with pytest.raises(Exception) as t_err:
            op(build_seq(torch), bad)
        with pytest.raises(type(t_err.value)) as e_err:
            op(build_seq(ember), bad)
        assert str(e_err.value) == str(t_err.value).replace("torch.nn", "ember.nn")


def test_sequential_append_returns_self_and_registers():
    s = nn.Sequential()
    assert s.append(nn.Linear(2, 2)) is s
    assert list(s.state_dict()) == ["0.weight", "0.bias"]
    assert "0" not in dir(s)


# ------------------------------------------------------------- ModuleList
def build_list(m):
    return m.nn.ModuleList([m.nn.Linear(2, 2), m.nn.Linear(2, 2), m.nn.ReLU(),
                            m.nn.Linear(2, 3)])


def test_module_list_repr_compresses_repeats_like_torch():
    assert repr(build_list(ember)) == repr(build_list(torch))
    assert repr(nn.ModuleList()) == repr(torch.nn.ModuleList()) == "ModuleList()"
    many = [nn.Linear(2, 2) for _ in range(5)]
    assert repr(nn.ModuleList(many)).startswith("ModuleList(\n  (0-4): 5 x Linear(")


@pytest.mark.parametrize("edit", [
    lambda m, l: l.append(m.nn.Sigmoid()),
    lambda m, l: l.extend([m.nn.Sigmoid(), m.nn.Tanh()]),
    lambda m, l: l.insert(1, m.nn.Sigmoid()),
    lambda m, l: l.__delitem__(0),
    lambda m, l: l.__delitem__(slice(1, 3)),
    lambda m, l: l.__setitem__(-1, m.nn.Sigmoid()),
    lambda m, l: l.pop(1),
    lambda m, l: l.__iadd__([m.nn.Tanh()]),
])
def test_module_list_editing_equals_torchs(edit):
    e, t = build_list(ember), build_list(torch)
    edit(ember, e)
    edit(torch, t)
    assert repr(e) == repr(t)
    assert list(e.state_dict()) == list(t.state_dict())


def test_module_list_indexing_and_errors():
    e, t = build_list(ember), build_list(torch)
    assert repr(e[1:3]) == repr(t[1:3]) and type(e[1:3]) is nn.ModuleList
    assert repr(e[-1]) == repr(t[-1]) and len(e) == len(t)
    assert repr(e + build_list(ember)) == repr(t + build_list(torch))
    same_error(lambda m: build_list(m)[9])
    same_error(lambda m: build_list(m).extend(m.nn.ReLU()))
    assert len(list(e.parameters())) == 6


# ------------------------------------------------------------- ModuleDict
def build_dict(m):
    return m.nn.ModuleDict({"act": m.nn.ReLU(), "lin": m.nn.Linear(2, 2)})


def test_module_dict_behaves_like_torchs():
    e, t = build_dict(ember), build_dict(torch)
    assert repr(e) == repr(t)
    assert list(e.keys()) == list(t.keys()) and len(e) == len(t) and "lin" in e
    e["out"] = nn.Linear(2, 1)
    t["out"] = torch.nn.Linear(2, 1)
    e.update([("extra", nn.Tanh())])
    t.update([("extra", torch.nn.Tanh())])
    assert repr(e) == repr(t) and list(e.state_dict()) == list(t.state_dict())
    assert repr(e.pop("act")) == repr(t.pop("act"))
    del e["extra"]
    del t["extra"]
    assert list(e) == list(t)
    assert [type(v).__name__ for v in e.values()] == [type(v).__name__ for v in t.values()]
    assert [k for k, _ in e.items()] == [k for k, _ in t.items()]
    e.clear()
    assert len(e) == 0
    same_error(lambda m: build_dict(m).update(3))
    same_error(lambda m: build_dict(m).update([("a", m.nn.ReLU(), 3)]))
    same_error(lambda m: build_dict(m).update([3]))


# ---------------------------------------------------------- ParameterList
def test_parameter_list_registers_parameters():
    pl = nn.ParameterList([nn.Parameter(ember.ones(2)), ember.zeros(3)])
    assert len(pl) == 2 and all(isinstance(p, nn.Parameter) for p in pl)
    assert [n for n, _ in pl.named_parameters()] == ["0", "1"]
    pl.append(ember.ones(1))
    assert list(pl.state_dict()) == ["0", "1", "2"]
    assert pl[-1].shape == (1,)
    with pytest.raises(RuntimeError, match="ParameterList should not be called"):
        pl(1)


# ---------------------------------------------------------- ParameterDict
def build_pdict(m):
    """A ParameterDict from a plain dict (taken in sorted key order, as torch does) holding
    a Parameter, a plain tensor (wrapped), a float64 one, an int and None."""
    return m.nn.ParameterDict({"w": m.ones(2, 3), "b": m.nn.Parameter(m.zeros(1)),
                               "d": m.zeros(4, dtype=m.float64), "s": 3, "n": None})


def same_pdict(e, t):
    """Same keys in the same order, same registered parameters, state_dict and repr."""
    assert list(e) == list(t) and list(e.keys()) == list(t.keys()) and len(e) == len(t)
    assert [n for n, _ in e.named_parameters()] == [n for n, _ in t.named_parameters()]
    assert list(e.state_dict()) == list(t.state_dict())
    assert repr(e) == repr(t)
    for (ek, ev), (tk, tv) in zip(e.items(), t.items()):
        assert ek == tk and type(ev).__name__ == type(tv).__name__
        if isinstance(tv, torch.Tensor):
            assert_same(ev, tv)
            assert ev.requires_grad == tv.requires_grad
        else:
            assert ev == tv


def test_parameter_dict_construction_wraps_tensors_and_orders_keys_like_torch():
    e, t = build_pdict(ember), build_pdict(torch)
    same_pdict(e, t)
    assert isinstance(e["w"], nn.Parameter) and e["w"].requires_grad
    assert list(e) == ["b", "d", "n", "s", "w"]
    for make in (lambda m: m.nn.ParameterDict(OrderedDict(z=m.ones(1), a=m.ones(2))),
                 lambda m: m.nn.ParameterDict([("z", m.ones(1)), ("a", m.ones(2))]),
                 lambda m: m.nn.ParameterDict(iter([["z", m.ones(1)], ("a", 2.5)])),
                 lambda m: m.nn.ParameterDict(),
                 lambda m: m.nn.ParameterDict(build_pdict(m))):
        same_pdict(make(ember), make(torch))
    p = nn.Parameter(ember.ones(2))
    assert nn.ParameterDict({"p": p})["p"] is p                  # Parameters kept as they are
    # A computed (non-leaf) tensor becomes a fresh leaf Parameter, as in torch.
    make = lambda m: m.nn.ParameterDict({"x": m.ones(2, requires_grad=True) * 2})
    e, t = make(ember), make(torch)
    same_pdict(e, t)
    assert e["x"].is_leaf and e["x"].grad_fn is None and t["x"].is_leaf


def test_parameter_dict_repr_equals_torchs():
    def make(m):
        pd = m.nn.ParameterDict([("a", m.zeros(2, 3, 4)), ("scalar", m.tensor(1.0)),
                                 ("i", m.nn.Parameter(m.zeros(2, dtype=m.int64),
                                                      requires_grad=False)),
                                 ("empty", m.zeros(0, 3)), ("name", "text")])
        return pd
    e, t = make(ember), make(torch)
    assert repr(e) == repr(t)
    assert "DoubleTensor" not in repr(e) and "LongTensor" in repr(e)
    assert repr(nn.ParameterDict()) == repr(torch.nn.ParameterDict()) == "ParameterDict()"


def test_parameter_dict_mutation_matches_torch():
    def script(m):
        pd = build_pdict(m)
        pd["a"] = m.ones(1)                  # new key: appended
        pd["w"] = m.zeros(5)                 # existing key: keeps its place
        pd["s"] = m.ones(2)                  # plain attribute -> Parameter
        del pd["b"]
        popped = pd.pop("d")
        last = pd.popitem()
        got = [pd.get("zz", 7), pd.get("n"), "a" in pd, "zz" in pd, 3 in pd]
        pd.setdefault("q", m.ones(3))
        pd.setdefault("a", m.zeros(9))       # present: unchanged
        pd.update(OrderedDict(y=m.ones(1), c=m.ones(1)))
        pd.update({"k2": 1, "k1": m.ones(1)})           # plain dict: sorted
        pd.update([("p", m.ones(1))])
        return pd, popped, last, got
    (e, ep, el, eg), (t, tp, tl, tg) = script(ember), script(torch)
    same_pdict(e, t)
    assert_same(ep, tp)
    assert el[0] == tl[0] and eg == tg
    assert list(reversed(e)) == list(reversed(t))
    e.clear()
    t.clear()
    same_pdict(e, t)


def test_parameter_dict_copy_fromkeys_and_union_match_torch():
    def script(m):
        pd = m.nn.ParameterDict(OrderedDict(z=m.ones(1), b=m.ones(2)))
        c = pd.copy()
        c["new"] = m.ones(3)                 # the copy is a separate dict...
        f = pd.fromkeys(["x", "y"], m.ones(2))
        other = m.nn.ParameterDict(OrderedDict(q=m.zeros(1), b=m.zeros(4)))
        u = pd | other
        r = {"k": 1} | pd                    # dict | ParameterDict is a dict
        pd |= {"y2": m.ones(1), "y1": m.ones(1)}
        return pd, c, f, u, r
    e_out, t_out = script(ember), script(torch)
    for e, t in zip(e_out[:4], t_out[:4]):
        same_pdict(e, t)
    assert type(e_out[4]) is dict and list(e_out[4]) == list(t_out[4])
    pd, c, f, u, _ = e_out
    assert c["z"] is pd["z"]                 # ...holding the same Parameters
    # fromkeys wraps the default tensor once per key (torch does too)...
    assert (f["x"] is f["y"]) == (t_out[2]["x"] is t_out[2]["y"]) == False
    p = nn.Parameter(ember.ones(1))
    assert pd.fromkeys("ab", p)["a"] is p    # ...but a Parameter is shared as it is
    assert u["b"].shape == (4,) and pd["b"].shape == (2,)


@pytest.mark.parametrize("act", [
    lambda pd, m: pd[3],
    lambda pd, m: pd.__setitem__(3, m.ones(1)),
    lambda pd, m: pd["zz"],
    lambda pd, m: pd.pop("zz"),
    lambda pd, m: pd.__delitem__("zz"),
    lambda pd, m: pd.__setitem__("a.b", m.ones(1)),
    lambda pd, m: pd.__setitem__("", m.ones(1)),
    lambda pd, m: pd.__setitem__("keys", m.ones(1)),           # a method's name
    lambda pd, m: pd.__setitem__("w", 5),                      # a Parameter's slot
    lambda pd, m: pd.update(3),
    lambda pd, m: pd.update([3]),
    lambda pd, m: pd.update([("a", 1, 2)]),
    lambda pd, m: pd.update("ab"),
    lambda pd, m: pd.update({"a": 1, 2: 3}),                   # unsortable keys
    lambda pd, m: pd(1),
    lambda pd, m: m.nn.ParameterDict().popitem(),
])
def test_parameter_dict_errors_match_torch(act):
    same_error(lambda m: act(m.nn.ParameterDict({"w": m.ones(2)}), m))


def test_parameter_dict_rejected_keys_leave_it_unchanged():
    # torch records a key before validating it, so after a rejected key its dict lists a
    # key it cannot look up; ember leaves the dict as it was.
    pd = nn.ParameterDict({"w": ember.ones(2)})
    for key, value in ((3, ember.ones(1)), ("a.b", ember.ones(1)), ("keys", ember.ones(1))):
        with pytest.raises((TypeError, KeyError)):
            pd[key] = value
    assert list(pd) == ["w"] and len(pd) == 1
    assert repr(pd) == repr(torch.nn.ParameterDict({"w": torch.ones(2)}))


def test_parameter_dict_inside_a_model_trains_and_round_trips_state_dict():
    def build(m):
        class Net(m.nn.Module):
            def __init__(self):
                super().__init__()
                self.lin = m.nn.Linear(3, 2)
                self.extra = m.nn.ParameterDict([("scale", m.ones(2)), ("shift", m.zeros(2))])
                self.extra["head"] = m.nn.Linear(2, 1)          # a module: a child

            def forward(self, x):
                h = self.lin(x) * self.extra["scale"] + self.extra["shift"]
                return self.extra["head"](h)
        return Net()
    e, t = build(ember), build(torch)
    copy_to_torch(e, t)                        # asserts the state_dict keys agree
    assert repr(e) == repr(t)
    assert [n for n, _ in e.named_parameters()] == [n for n, _ in t.named_parameters()]
    x = np.random.default_rng(1).standard_normal((5, 3)).astype("float32")
    ey, ty = e(ember.tensor(x)), t(torch.tensor(x))
    assert_same(ey, ty)
    ey.sum().backward()
    ty.sum().backward()
    same_grads(e, t)
    with ember.no_grad():
        e.extra["scale"].mul_(3.0)
    fresh = build(ember)
    assert fresh.extra["scale"].tolist() != e.extra["scale"].tolist()
    fresh.load_state_dict(e.state_dict())
    assert fresh.extra["scale"].tolist() == e.extra["scale"].tolist()
    assert fresh.extra["head"].weight.tolist() == e.extra["head"].weight.tolist()
    d = e.double()
    assert d.extra["scale"].dtype == ember.float64 and isinstance(d.extra["scale"], nn.Parameter)
