"""nn.Parameter and nn.Buffer against torch's."""
import copy
import pickle

import numpy as np
import pytest
import torch

import ember
from ember import nn
from nn_helpers import same_error


@pytest.mark.parametrize("make", [
    lambda m: m.nn.Parameter(m.ones(2)),
    lambda m: m.nn.Parameter(m.tensor(1.5)),
    lambda m: m.nn.Parameter(m.ones(2, 3, dtype=m.float64)),
    lambda m: m.nn.Parameter(m.tensor([1, 2]), requires_grad=False),
    lambda m: m.nn.Parameter(m.zeros(0)),
    lambda m: m.nn.Parameter(),
])
def test_repr_equals_torchs(make):
    assert repr(make(ember)) == repr(make(torch))
    assert str(make(ember)) == str(make(torch))


def test_parameter_shares_memory_and_version_with_its_source():
    t = ember.ones(2)
    p = nn.Parameter(t)
    assert p.requires_grad and p.is_leaf and not t.requires_grad
    t.add_(1)
    assert p.tolist() == [2.0, 2.0] and p._version == t._version == 1
    with ember.no_grad():
        p.mul_(3)
    assert t.tolist() == [6.0, 6.0]


def test_parameter_is_a_tensor_whose_results_are_plain_tensors():
    p = nn.Parameter(ember.ones(2))
    assert isinstance(p, ember.Tensor) and type(p) is nn.Parameter
    assert type(p * 2) is ember.Tensor and type(p.data) is ember.Tensor
    assert type(p.detach()) is ember.Tensor
    (p * p).sum().backward()
    assert p.grad.tolist() == [2.0, 2.0]


def test_parameter_requires_grad_even_under_no_grad():
    with ember.no_grad():
        p = nn.Parameter(ember.ones(1))
    assert p.requires_grad


def test_integer_parameter_error_equals_torchs():
    same_error(lambda m: m.nn.Parameter(m.tensor([1, 2])))


def test_deepcopy_and_pickle_keep_class_values_grad_flag():
    p = nn.Parameter(ember.tensor([1.0, 2.0]))
    p.grad = ember.tensor([0.5, 0.5])
    for q in (copy.deepcopy(p), pickle.loads(pickle.dumps(p))):
        assert type(q) is nn.Parameter and q.requires_grad and q.tolist() == [1.0, 2.0]
        q.data.zero_()
        assert p.tolist() == [1.0, 2.0]
    assert copy.deepcopy(p).grad is None                 # as torch.nn.Parameter does
    frozen = nn.Parameter(ember.ones(1), requires_grad=False)
    assert not copy.deepcopy(frozen).requires_grad


def test_buffer_marks_tensors_for_registration_like_torch():
    for m in (ember, torch):
        b = m.nn.Buffer(m.ones(2), persistent=False)
        assert type(b) is m.Tensor and isinstance(b, m.nn.Buffer)
        assert not isinstance(m.ones(1), m.nn.Buffer)
        mod = m.nn.Module()
        mod.kept = m.nn.Buffer(m.zeros(1))
        mod.cache = b
        assert list(mod.state_dict()) == ["kept"]
        assert [n for n, _ in mod.named_buffers()] == ["kept", "cache"]


def test_parameter_data_assignment_replaces_values():
    p = nn.Parameter(ember.ones(2, 2))
    p.data = ember.zeros(3)
    assert p.shape == (3,) and p.requires_grad and type(p) is nn.Parameter
    np.testing.assert_array_equal(p.detach().numpy(), np.zeros(3, "float32"))
