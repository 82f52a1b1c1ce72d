"""Sequential, ModuleList, ModuleDict and ParameterList against torch's containers."""
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
