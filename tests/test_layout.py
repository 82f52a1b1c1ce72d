"""Layouts: ember.strided and torch's other layout names; layout= in creation ops."""
import copy
import pickle
import warnings

import pytest
import torch

import ember

LAYOUT_NAMES = ["strided", "sparse_coo", "sparse_csr", "sparse_csc", "sparse_bsr",
                "sparse_bsc", "jagged", "_mkldnn"]


@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_layouts_print_and_copy_as_torchs(name):
    e, t = getattr(ember, name), getattr(torch, name)
    assert repr(e) == repr(t) and str(e) == str(t)
    assert isinstance(e, ember.layout)
    assert pickle.loads(pickle.dumps(e)) is e and copy.deepcopy(e) is e
    assert (e == ember.strided) == (t == torch.strided)


def test_layout_type_cannot_be_instantiated():
    for m in (ember, torch):
        with pytest.raises(TypeError, match="cannot create 'torch.layout' instances"):
            m.layout()


@pytest.mark.parametrize("expr", [
    "M.zeros(2)", "M.ones(2, 3).t()", "M.arange(6.)[::2]", "M.empty(0, 3)", "M.tensor(1.5)",
    "M.ones(2, 3).expand(4, 2, 3)", "M.randn(3)", "M.eye(2).view(4)"])
def test_every_tensor_is_strided(expr):
    assert eval(expr, {"M": ember}).layout is ember.strided
    assert eval(expr, {"M": torch}).layout is torch.strided


CREATION_CALLS = [
    "M.zeros(2, 3, {})", "M.ones(2, {})", "M.empty(2, {})", "M.full((2,), 1.5, {})",
    "M.empty_strided((2, 3), (1, 2), {})", "M.zeros_like(X, {})", "M.ones_like(X, {})",
    "M.empty_like(X, {})", "M.full_like(X, 7, {})", "M.arange(5, {})", "M.arange(0, 1, 0.25, {})",
    "M.linspace(0, 1, 5, {})", "M.logspace(0, 1, 3, {})", "M.eye(3, {})",
    "M.tril_indices(3, 3, {})", "M.triu_indices(3, 3, {})", "M.scalar_tensor(2, {})",
    "M.rand(2, {})", "M.randn(2, 2, {})", "M.rand_like(X, {})", "M.randn_like(X, {})",
    "M.normal(0.0, 1.0, (3,), {})", "M.randint(5, (3,), {})", "M.randint_like(X, 5, {})",
    "M.randperm(4, {})", "X.new_zeros(2, {})", "X.new_ones((2, 1), {})", "X.new_empty(2, {})",
    "X.new_full((2,), 3, {})", "X.new_empty_strided((2,), (1,), {})",
    "M.range(0, 3, {})",
]


def _call(m, expr, layout):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # (torch.range is deprecated)
        return eval(expr.format("layout=L"), {"M": m, "X": m.ones(2, 3), "L": layout})


@pytest.mark.parametrize("expr", CREATION_CALLS)
def test_creation_ops_take_layout_strided(expr):
    e, t = _call(ember, expr, ember.strided), _call(torch, expr, torch.strided)
    assert e.layout is ember.strided
    assert (str(e.dtype), tuple(e.shape)) == (str(t.dtype), tuple(t.shape))


@pytest.mark.parametrize("expr", CREATION_CALLS)
def test_creation_ops_refuse_other_layouts_and_non_layouts(expr):
    fname = expr.split("(")[0].split(".")[1]
    with pytest.raises(NotImplementedError, match=rf"{fname}\(\): layout=torch.sparse_coo is "
                                                  "not supported: ember stores every tensor"):
        _call(ember, expr, ember.sparse_coo)
    for bad in ("strided", 1, ember.float32):
        with pytest.raises(TypeError):
            _call(torch, expr, bad if bad != ember.float32 else torch.float32)
        with pytest.raises(TypeError, match=rf"{fname}\(\): argument 'layout' must be "
                                            "torch.layout, not "):
            _call(ember, expr, bad)


def test_layout_type_error_names_the_argument_as_torch():
    messages = []
    for m in (ember, torch):
        with pytest.raises(TypeError) as info:
            m.zeros(2, layout="strided")
        messages.append(str(info.value))
        with pytest.raises(TypeError) as info:
            m.zeros(2, layout=m.float32)
        messages.append(str(info.value))
    assert messages[:2] == messages[2:]
