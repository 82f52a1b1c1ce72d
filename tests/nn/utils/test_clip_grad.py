"""nn.utils: clip_grad_norm_ / clip_grad_value_ / parameter vectors against torch."""
import warnings

import numpy as np
import pytest
import torch

import ember
from ember import nn
from helpers import assert_same
from nn_helpers import copy_to_torch, same_error, same_grads


def models_with_grads(scale=1.0, dtype="float32"):
    def build(m):
        return m.nn.Sequential(m.nn.Linear(3, 4), m.nn.Tanh(), m.nn.Linear(4, 2))
    e, t = build(ember), build(torch)
    if dtype == "float64":
        e.double()
        t.double()
    copy_to_torch(e, t)
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(dtype)
    (e(ember.tensor(x)).sum() * scale).backward()
    (t(torch.tensor(x)).sum() * scale).backward()
    return e, t


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, float("inf"), "inf"])
@pytest.mark.parametrize("max_norm", [0.01, 1.0, 1e6])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_clip_grad_norm_equals_torchs(norm_type, max_norm, dtype):
    e, t = models_with_grads(dtype=dtype)
    en = nn.utils.clip_grad_norm_(e.parameters(), max_norm, norm_type)
    tn = torch.nn.utils.clip_grad_norm_(t.parameters(), max_norm, norm_type)
    assert_same(en, tn)
    same_grads(e, t)


def test_clip_grad_norm_single_tensor_missing_grads_and_empty():
    e, t = models_with_grads()
    e[0].bias.grad = None
    t[0].bias.grad = None
    assert_same(nn.utils.clip_grad_norm_(e[0].weight, 0.1),
                torch.nn.utils.clip_grad_norm_(t[0].weight, 0.1))
    assert_same(nn.utils.clip_grad_norm_(list(e.parameters()), 0.1),
                torch.nn.utils.clip_grad_norm_(list(t.parameters()), 0.1))
    assert_same(nn.utils.clip_grad_norm_([], 1.0), torch.nn.utils.clip_grad_norm_([], 1.0))
    with pytest.warns(UserWarning, match="empty generator"):
        nn.utils.clip_grad_norm_((p for p in []), 1.0)


def test_clip_grad_norm_nonfinite():
    e, t = models_with_grads()
    e[0].weight.grad[0, 0] = float("nan")
    with torch.no_grad():
        t[0].weight.grad[0, 0] = float("nan")
    same_error(lambda m: m.nn.utils.clip_grad_norm_(
        (e if m is ember else t).parameters(), 1.0, error_if_nonfinite=True), RuntimeError)
    assert_same(nn.utils.clip_grad_norm_(e.parameters(), 1.0),
                torch.nn.utils.clip_grad_norm_(t.parameters(), 1.0))
    same_grads(e, t)


def test_clip_grad_norm_deprecated_alias_warns():
    e, _ = models_with_grads()
    with pytest.warns(FutureWarning, match="clip_grad_norm_"):
        nn.utils.clip_grad_norm(e.parameters(), 1.0)


def test_clip_grad_norm_does_not_record_a_graph():
    e, _ = models_with_grads()
    total = nn.utils.clip_grad_norm_(e.parameters(), 0.5)
    assert not total.requires_grad
    assert all(p.grad.grad_fn is None for p in e.parameters())


@pytest.mark.parametrize("clip", [0.05, 1.0, 2])
def test_clip_grad_value_equals_torchs(clip):
    e, t = models_with_grads(scale=3.0)
    assert nn.utils.clip_grad_value_(e.parameters(), clip) is None
    torch.nn.utils.clip_grad_value_(t.parameters(), clip)
    same_grads(e, t)
    assert max(float(p.grad.abs().max()) for p in e.parameters()) <= np.float32(clip)


def test_parameters_to_vector_and_back_equal_torchs():
    e, t = models_with_grads()
    ev = nn.utils.parameters_to_vector(e.parameters())
    tv = torch.nn.utils.parameters_to_vector(t.parameters())
    assert_same(ev, tv)
    assert ev.requires_grad
    nn.utils.vector_to_parameters(ev.detach() * 2, e.parameters())
    with torch.no_grad():
        torch.nn.utils.vector_to_parameters(tv * 2, t.parameters())
    for (n, ep), (_, tp) in zip(e.named_parameters(), t.named_parameters()):
        assert_same(ep.detach(), tp.detach(), what=n)
    assert all(isinstance(p, nn.Parameter) for p in e.parameters())
    same_error(lambda m: m.nn.utils.vector_to_parameters([1.0], []))


def test_warning_free():
    e, _ = models_with_grads()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.utils.clip_grad_norm_(e.parameters(), 1.0)
        nn.utils.clip_grad_value_(e.parameters(), 1.0)


@pytest.mark.parametrize("bad", [float("inf"), float("-inf")])
def test_clip_grad_norm_of_an_infinite_gradient_gives_torchs_nan_silently(bad):
    # the scale max_norm / inf is 0, and inf * 0 a nan: torch's result, with no warning
    e, t = models_with_grads()
    e[0].weight.grad[0, 0] = bad
    with torch.no_grad():
        t[0].weight.grad[0, 0] = bad
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.filterwarnings("error", category=RuntimeWarning)
        en = nn.utils.clip_grad_norm_(e.parameters(), 1.0)
    assert_same(en, torch.nn.utils.clip_grad_norm_(t.parameters(), 1.0))
    same_grads(e, t)


@pytest.mark.parametrize("max_norm", ["a", None, [1.0]], ids=["str", "None", "list"])
def test_max_norm_that_is_no_number_is_refused_even_without_gradients(max_norm):
    from helpers import assert_same_error
    assert_same_error(lambda m: m.nn.utils.clip_grad_norm_(m.nn.Linear(2, 2).parameters(),
                                                           max_norm))
