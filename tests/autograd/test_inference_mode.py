"""inference_mode against torch: which tensors are inference tensors, and the errors
for saving one for backward or writing one in place outside the mode."""
import numpy as np
import pytest
import torch

import ember

SAVE = "Inference tensors cannot be saved for backward"
WRITE = "Inplace update to inference tensor outside InferenceMode is not allowed"


def _made_in_mode(lib, make):
    """``make(lib, normal)`` run inside inference_mode; returns (its result, normal)."""
    normal = lib.arange(6.0).reshape(2, 3)
    with lib.inference_mode():
        made = make(lib, normal)
    return made, normal


MADE = {
    "factory": lambda lib, n: lib.ones(2, 3),
    "op on a normal tensor": lambda lib, n: n * 2,
    "op result viewed": lambda lib, n: (n + 1).view(3, 2),
    "view of a normal tensor": lambda lib, n: n[0],
    "reshape of a normal tensor": lambda lib, n: n.reshape(6),
    "no_grad inside": lambda lib, n: _under(lib.no_grad(), lambda: n.exp()),
    "enable_grad inside": lambda lib, n: _under(lib.enable_grad(), lambda: n.exp()),
    "inference_mode(False) inside": lambda lib, n: _under(lib.inference_mode(False),
                                                          lambda: n.exp()),
    "from a list": lambda lib, n: lib.tensor([1.0, 2.0]),
}


def _under(context, fn):
    with context:
        return fn()


@pytest.mark.parametrize("name", sorted(MADE))
def test_which_tensors_are_inference_tensors(name):
    (ours, ours_normal), (theirs, their_normal) = (_made_in_mode(lib, MADE[name])
                                                   for lib in (ember, torch))
    assert ours.is_inference() == theirs.is_inference()
    assert ember.is_inference(ours) == torch.is_inference(theirs)
    assert not ours_normal.is_inference() and not their_normal.is_inference()
    assert ours.requires_grad == theirs.requires_grad
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("lib", [ember, torch])
def test_mode_flags(lib):
    assert not lib.is_inference_mode_enabled()
    with lib.inference_mode():
        assert lib.is_inference_mode_enabled() and not lib.is_grad_enabled()
        with lib.inference_mode(False):
            assert not lib.is_inference_mode_enabled() and lib.is_grad_enabled()
            assert not lib.ones(1).is_inference()
        assert lib.ones(1).is_inference()
    assert not lib.is_inference_mode_enabled() and lib.is_grad_enabled()
    assert not lib.ones(1).is_inference()


@pytest.mark.parametrize("lib", [ember, torch])
def test_decorators(lib):
    @lib.inference_mode
    def bare(a):
        return a * 2

    @lib.inference_mode(False)
    def off(a):
        return a * 2

    assert bare(lib.ones(2)).is_inference()
    with lib.inference_mode():
        assert not off(lib.ones(2)).is_inference()
    assert not lib.ones(2).is_inference()


def _inference(lib):
    with lib.inference_mode():
        return lib.linspace(0.5, 2.0, 4)


# ops that save the inference tensor for backward; and ops that save nothing of it
SAVING = {
    "mul": lambda x, w: w * x,
    "mul reversed": lambda x, w: x * w,
    "div": lambda x, w: w / x,
    "matmul": lambda x, w: x.view(1, 4) @ w.view(4, 1),
    "linear": lambda x, w: x.view(1, 4).matmul(w.view(4, 1)),
    "pow": lambda x, w: w ** x,
}
NOT_SAVING = {
    "add": lambda x, w: w + x,
    "sub": lambda x, w: x - w,
    "mul by a number": lambda x, w: x * 2,
    "sum": lambda x, w: x.sum(),
}


@pytest.mark.parametrize("name", sorted(SAVING))
def test_saving_for_backward_raises_as_torch(name):
    for lib in (ember, torch):
        x, w = _inference(lib), lib.ones(4, requires_grad=True)
        with pytest.raises(RuntimeError) as info:
            SAVING[name](x, w)
        assert str(info.value).startswith(SAVE)
    torch_text = _error_text(torch, SAVING[name])
    assert _error_text(ember, SAVING[name]) == torch_text
    with torch.inference_mode():      # also inside inference_mode(False)
        with torch.inference_mode(False):
            pass
    for lib in (ember, torch):
        x, w = _inference(lib), lib.ones(4, requires_grad=True)
        with lib.inference_mode(), lib.inference_mode(False):
            with pytest.raises(RuntimeError, match=SAVE):
                SAVING[name](x, w)


def _error_text(lib, fn):
    try:
        fn(_inference(lib), lib.ones(4, requires_grad=True))
    except RuntimeError as e:
        return str(e)
    return None


@pytest.mark.parametrize("name", sorted(NOT_SAVING))
def test_ops_that_save_nothing_of_it_work(name):
    outs = []
    for lib in (ember, torch):
        x, w = _inference(lib), lib.ones(4, requires_grad=True)
        out = NOT_SAVING[name](x, w)
        outs.append(out)
        assert not out.is_inference()
    assert outs[0].requires_grad == outs[1].requires_grad
    np.testing.assert_allclose(outs[0].detach().numpy(), outs[1].detach().numpy())


def test_clone_is_a_normal_tensor_for_autograd():
    grads = []
    for lib in (ember, torch):
        x, w = _inference(lib).clone(), lib.ones(4, requires_grad=True)
        assert not x.is_inference()
        (w * x).sum().backward()
        grads.append(w.grad.numpy())
    np.testing.assert_allclose(*grads)


INPLACE = {
    "add_": lambda x: x.add_(1),
    "iadd": lambda x: x.__iadd__(1),
    "mul_": lambda x: x.mul_(2),
    "setitem": lambda x: x.__setitem__(0, 5.0),
    "zero_": lambda x: x.zero_(),
    "fill_": lambda x: x.fill_(3.0),
    "copy_": lambda x: x.copy_(x * 0 + 7),
    "view then add_": lambda x: x.view(2, 2).add_(1),
    "clamp_": lambda x: x.clamp_(0, 1),
}


@pytest.mark.parametrize("name", sorted(INPLACE))
def test_inplace_outside_the_mode_raises_as_torch(name):
    texts = []
    for lib in (ember, torch):
        x = _inference(lib)
        for context in (lib.enable_grad, lib.no_grad):
            with context(), pytest.raises(RuntimeError) as info:
                INPLACE[name](x)
            texts.append(str(info.value))
    assert texts[0] == texts[2] and texts[0].startswith(WRITE)


@pytest.mark.parametrize("name", sorted(INPLACE))
def test_inplace_inside_the_mode_works(name):
    results = []
    for lib in (ember, torch):
        x = _inference(lib)
        with lib.inference_mode():
            INPLACE[name](x)
        results.append(x.numpy())
    np.testing.assert_allclose(*results)


def test_normal_tensors_written_inside_the_mode_stay_normal():
    for lib in (ember, torch):
        n = lib.ones(3)
        with lib.inference_mode():
            n.add_(1)
            v = n[1:]
        assert not n.is_inference() and not v.is_inference()
        v.add_(1)                       # (a view of a normal tensor: writable outside)
        assert n._version == 2           # (each write bumps, in the mode or not)
        assert n.tolist() == [2.0, 3.0, 3.0]


@pytest.mark.parametrize("lib", [ember, torch])
def test_version_and_requires_grad_of_inference_tensors(lib):
    x = _inference(lib)
    with pytest.raises(RuntimeError, match="Inference tensors do not track version counter."):
        x._version
    with pytest.raises(RuntimeError, match="Setting requires_grad=True on inference tensor "
                                           "outside InferenceMode is not allowed."):
        x.requires_grad_()
    assert not x.requires_grad
    x.requires_grad_(False)
    with lib.inference_mode():
        y = lib.ones(2).requires_grad_()
    assert y.requires_grad and y.is_inference()
    # detach and views of an inference tensor are inference tensors
    assert x.detach().is_inference() and x[1:].is_inference()
    assert not x.clone().is_inference()


def test_is_inference_needs_a_tensor():
    for lib in (ember, torch):
        with pytest.raises(TypeError, match=r"is_inference\(\): argument 'input' \(position 1\) "
                                            r"must be Tensor, not int"):
            lib.is_inference(1)


def test_the_mode_is_restored_after_an_exception():
    with pytest.raises(ValueError):
        with ember.inference_mode():
            raise ValueError
    assert not ember.ones(1).is_inference() and ember.is_grad_enabled()


def test_inference_tensors_are_left_unchanged_by_a_refused_save():
    x = _inference(ember)
    before = x.numpy().copy()
    with pytest.raises(RuntimeError, match=SAVE):
        ember.ones(4, requires_grad=True) * x
    np.testing.assert_array_equal(x.numpy(), before)
