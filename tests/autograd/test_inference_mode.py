"""inference_mode against torch: which tensors are inference tensors, and the errors
for saving one for backward or writing one in place outside the mode."""
import numpy as np
import pytest
import torch

import ember

SAVE = "Inference tensors cannot be saved for backward"
WRITE = "Inplace update to inference tensor outside InferenceMode is not allowed"

# (index_reduce_ is in the list of writes below; both libraries warn that it is in beta)
pytestmark = pytest.mark.filterwarnings("ignore:index_reduce\\(\\) is in beta")


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


# ---------------------------------------------------------------------------------------
# Every kind of in-place write: refused outside the mode BEFORE any byte changes (torch
# itself writes first and raises after, leaving the tensor changed: ember does not), with
# torch's exception and message; allowed inside the mode, with torch's values.

def _floats(lib):
    return lib.tensor([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])


def _ints(lib):
    return lib.tensor([[1, 2, 3], [4, 5, 6]])


def _bools(lib):
    return lib.tensor([[True, False, True], [False, True, False]])


def _method(name, *args, **kwargs):
    return lambda lib, x: getattr(x, name)(*args, **kwargs)


def _with_tensor(name, value=0.5):
    return lambda lib, x: getattr(x, name)(x * 0 + value)


def _set_grad(lib, x):
    p = lib.ones(2, 3, requires_grad=True)
    p.grad = x
    return lib.nn.utils.clip_grad_norm_([p], 0.1)


# name: (maker, call(lib, x)); random fills marked by RANDOM (their values differ from torch's)
WRITES = {
    # unary (through _inplace / assign_inplace)
    **{f"{n}_": (_floats, _method(f"{n}_")) for n in
       "exp log sqrt sigmoid tanh neg abs floor round reciprocal sign erf logit".split()},
    "tril_": (_floats, _method("tril_")),
    # binary, fast path (numbers and tensors of self's dtype) and the graph path
    **{f"{n}_ number": (_floats, _method(f"{n}_", 2)) for n in "add sub mul div pow".split()},
    **{f"{n}_ tensor": (_floats, _with_tensor(f"{n}_")) for n in
       "add sub mul div pow atan2 fmod remainder hypot xlogy".split()},
    "add_ alpha": (_floats, lambda lib, x: x.add_(x * 0 + 1, alpha=2)),
    "add_ float64 tensor": (_floats, lambda lib, x: x.add_(lib.ones(3, dtype=lib.float64))),
    "div_ rounding_mode": (_floats, _method("div_", 2, rounding_mode="floor")),
    **{f"__{n}__": (_floats, _method(f"__{n}__", 2)) for n in
       "iadd isub imul itruediv ifloordiv imod ipow".split()},
    "__iadd__ tensor": (_floats, _with_tensor("__iadd__")),
    **{f"__{n}__": (_ints, _method(f"__{n}__", 1)) for n in "iand ior ixor ilshift".split()},
    "bitwise_not_": (_ints, _method("bitwise_not_")),
    "gcd_": (_ints, _with_tensor("gcd_", 4)),
    "logical_and_": (_bools, lambda lib, x: x.logical_and_(x)),
    "eq_": (_floats, _with_tensor("eq_", 0.2)),
    "lt_ number": (_floats, _method("lt_", 0.3)),
    "addcmul_": (_floats, lambda lib, x: x.addcmul_(x * 0 + 1, x * 0 + 2)),
    "addmm_": (_floats, lambda lib, x: x.addmm_(lib.ones(2, 2), lib.ones(2, 3))),
    "lerp_": (_floats, lambda lib, x: x.lerp_(x * 0 + 1, 0.5)),
    "clamp_": (_floats, _method("clamp_", 0.2, 0.4)),
    "clamp_min_": (_floats, _method("clamp_min_", 0.3)),
    "clamp_ tensor": (_floats, lambda lib, x: x.clamp_(x * 0 + 0.2)),
    "cumsum_": (_floats, _method("cumsum_", 1)),
    "renorm_": (_floats, _method("renorm_", 2, 0, 0.1)),
    # fills and copies
    "zero_": (_floats, _method("zero_")),
    "fill_": (_floats, _method("fill_", 7.0)),
    "fill_ tensor": (_floats, lambda lib, x: x.fill_(lib.tensor(7.0))),
    "fill_diagonal_": (_floats, _method("fill_diagonal_", 9.0)),
    "copy_": (_floats, lambda lib, x: x.copy_(lib.ones(3))),
    "copy_ int64": (_floats, lambda lib, x: x.copy_(lib.ones(2, 3, dtype=lib.int64))),
    # indexing writes
    "setitem int": (_floats, lambda lib, x: x.__setitem__(0, 1.0)),
    "setitem slice": (_floats, lambda lib, x: x.__setitem__((slice(None), 0), lib.ones(2))),
    "setitem index tensor": (_floats, lambda lib, x: x.__setitem__(lib.tensor([0, 1]), 9.0)),
    "setitem mask": (_floats, lambda lib, x: x.__setitem__(x > 0.3, 9.0)),
    "setitem ellipsis": (_floats, lambda lib, x: x.__setitem__(Ellipsis, 9.0)),
    "index_put_": (_floats, lambda lib, x: x.index_put_((lib.tensor([0]),), lib.ones(3))),
    "index_put_ accumulate": (_floats, lambda lib, x: x.index_put_(
        (lib.tensor([0]),), lib.ones(3), accumulate=True)),
    "index_add_": (_floats, lambda lib, x: x.index_add_(0, lib.tensor([0]), lib.ones(1, 3))),
    "index_copy_": (_floats, lambda lib, x: x.index_copy_(0, lib.tensor([1]), lib.ones(1, 3))),
    "index_fill_": (_floats, lambda lib, x: x.index_fill_(0, lib.tensor([0]), 5.0)),
    "index_reduce_": (_floats, lambda lib, x: x.index_reduce_(0, lib.tensor([0]),
                                                              lib.ones(1, 3) * 9, "amax")),
    "masked_fill_": (_floats, lambda lib, x: x.masked_fill_(x > 0.3, 0.0)),
    "masked_scatter_": (_floats, lambda lib, x: x.masked_scatter_(x > 0.3, lib.ones(2, 3) * 9)),
    "put_": (_floats, lambda lib, x: x.put_(lib.tensor([0]), lib.tensor([9.0]))),
    "scatter_": (_floats, lambda lib, x: x.scatter_(1, lib.tensor([[0], [1]]), 9.0)),
    "scatter_add_": (_floats, lambda lib, x: x.scatter_add_(1, lib.tensor([[0], [1]]),
                                                            lib.ones(2, 1))),
    "scatter_reduce_": (_floats, lambda lib, x: x.scatter_reduce_(
        1, lib.tensor([[0], [1]]), lib.ones(2, 1) * 9, "amax")),
    # views of an inference tensor
    "view then add_": (_floats, lambda lib, x: x.view(6).add_(1)),
    "slice then mul_": (_floats, lambda lib, x: x[:, 1:].mul_(2)),
    "row then fill_": (_floats, lambda lib, x: x[0].fill_(3.0)),
    # metadata changes
    "t_": (_floats, _method("t_")),
    "unsqueeze_": (_floats, _method("unsqueeze_", 0)),
    "transpose_": (_floats, _method("transpose_", 0, 1)),
    "as_strided_": (_floats, _method("as_strided_", (3,), (1,))),
    "resize_": (_floats, _method("resize_", 3)),
    "resize_as_": (_floats, lambda lib, x: x.resize_as_(lib.ones(3))),
    # out=
    "add out=": (_floats, lambda lib, x: lib.add(lib.ones(2, 3), 1, out=x)),
    "exp out=": (_floats, lambda lib, x: lib.exp(lib.ones(2, 3), out=x)),
    "sum out=": (_floats, lambda lib, x: lib.sum(lib.ones(2, 3), 1, out=x[0, :2])),
    "mm out=": (_floats, lambda lib, x: lib.mm(lib.ones(2, 2), lib.ones(2, 3), out=x)),
    "matmul out=": (_floats, lambda lib, x: lib.matmul(lib.ones(2, 2), lib.ones(2, 3), out=x)),
    "cat out=": (_floats, lambda lib, x: lib.cat([lib.ones(1, 3), lib.ones(1, 3)], out=x)),
    "zeros out=": (_floats, lambda lib, x: lib.zeros(2, 3, out=x)),
    "arange out=": (_floats, lambda lib, x: lib.arange(6.0, out=x.view(6))),
    "clamp out=": (_floats, lambda lib, x: lib.clamp(lib.ones(2, 3), 0, 0.5, out=x)),
    "max out= pair": (_floats, lambda lib, x: lib.max(
        lib.ones(2, 3), 1, out=(x[0, :2], lib.zeros(2, dtype=lib.int64)))),
    "linalg.inv out=": (_floats, lambda lib, x: lib.linalg.inv(lib.eye(2) * 2, out=x[:, :2])),
    # functions that write in place
    "init.constant_": (_floats, lambda lib, x: lib.nn.init.constant_(x, 3.0)),
    "init.eye_": (_floats, lambda lib, x: lib.nn.init.eye_(x)),
    "F.relu_": (_floats, lambda lib, x: lib.nn.functional.relu_(x)),
    "F.threshold_": (_floats, lambda lib, x: lib.nn.functional.threshold_(x, 0.3, 0.0)),
    "ember.sigmoid_": (_floats, lambda lib, x: lib.sigmoid_(x)),
    "clip_grad_norm_ of an inference grad": (_floats, _set_grad),
}
RANDOM = {
    "uniform_": (_floats, _method("uniform_")),
    "normal_": (_floats, _method("normal_")),
    "bernoulli_": (_floats, _method("bernoulli_", 0.5)),
    "exponential_": (_floats, _method("exponential_")),
    "random_": (_floats, _method("random_", 5)),
    "randn out=": (_floats, lambda lib, x: lib.randn(2, 3, out=x)),
    "bernoulli out=": (_floats, lambda lib, x: lib.bernoulli(lib.ones(2, 3) / 2, out=x)),
    "init.kaiming_normal_": (_floats, lambda lib, x: lib.nn.init.kaiming_normal_(x)),
    "F.dropout inplace": (_floats, lambda lib, x: lib.nn.functional.dropout(x, 0.5, True,
                                                                           inplace=True)),
}


def _outcome(lib, make, call, inside=False):
    """Run ``call`` on an inference tensor; returns (exception or None, the tensor, a
    copy of its data, shape and strides before the call)."""
    with lib.inference_mode():
        x = make(lib)
    before = (x.numpy().copy(), tuple(x.shape), x.stride())
    try:
        if inside:
            with lib.inference_mode():
                call(lib, x)
        else:
            call(lib, x)
    except Exception as e:          # (compared with torch's below)
        return e, x, before
    return None, x, before


@pytest.mark.parametrize("grad_mode", ["enable_grad", "no_grad"])
@pytest.mark.parametrize("name", sorted({**WRITES, **RANDOM}))
def test_every_write_is_refused_before_anything_changes(name, grad_mode):
    make, call = {**WRITES, **RANDOM}[name]
    with getattr(torch, grad_mode)():
        theirs, _, _ = _outcome(torch, make, call)
    with getattr(ember, grad_mode)():
        ours, x, (data, shape, stride) = _outcome(ember, make, call)
    assert type(theirs) is RuntimeError and str(theirs).startswith(WRITE)
    assert type(ours) is RuntimeError and str(ours) == str(theirs)
    # torch has written by now; ember has changed nothing
    assert tuple(x.shape) == shape and x.stride() == stride and x.is_inference()
    np.testing.assert_array_equal(x.numpy(), data)


@pytest.mark.parametrize("name", sorted(WRITES))
def test_every_write_works_inside_the_mode_as_in_torch(name):
    make, call = WRITES[name]
    (ours, x, _), (theirs, t, _) = (_outcome(lib, make, call, inside=True)
                                    for lib in (ember, torch))
    assert ours is None and theirs is None
    assert tuple(x.shape) == tuple(t.shape) and x.is_inference() and t.is_inference()
    np.testing.assert_allclose(x.numpy(), t.numpy(), rtol=1e-6)


@pytest.mark.parametrize("name", sorted(RANDOM))
def test_every_random_fill_works_inside_the_mode(name):
    make, call = RANDOM[name]
    ours, x, (data, shape, _) = _outcome(ember, make, call, inside=True)
    assert ours is None and tuple(x.shape) == shape
    assert not np.array_equal(x.numpy(), data)


# errors torch finds before writing come first, as in torch (the inference check is last)
EARLIER_ERRORS = {
    "add_ of a wrong shape": lambda lib, x: x.add_(lib.ones(5)),
    "add_ that would broadcast self": lambda lib, x: x.add_(lib.ones(2, 2, 3)),
    "mul_ of an int tensor by a float": lambda lib, x: x.to(lib.int64).mul_(1.5),
    "sub_ of a bool": lambda lib, x: (x > 0).sub_(True),
    "copy_ of a wrong shape": lambda lib, x: x.copy_(lib.ones(4)),
    "setitem of a wrong shape": lambda lib, x: x.__setitem__(0, lib.ones(4)),
    "add_ to an expanded view": lambda lib, x: x[0].expand(2, 3).add_(1),
    "resize_ to a negative size": lambda lib, x: x.resize_(-1),
    "fill_ of a 1-d value": lambda lib, x: x.fill_(lib.ones(2)),
    "out= of the wrong dtype": lambda lib, x: lib.neg(lib.ones(2, 3), out=x.to(lib.int64)),
}


@pytest.mark.parametrize("name", sorted(EARLIER_ERRORS))
def test_errors_found_before_the_write_come_first(name):
    (ours, x, (data, _, _)), (theirs, _, _) = (_outcome(lib, _floats, EARLIER_ERRORS[name])
                                               for lib in (ember, torch))
    assert type(theirs) is RuntimeError and not str(theirs).startswith(WRITE)
    assert type(ours) is RuntimeError and str(ours) == str(theirs)
    np.testing.assert_array_equal(x.numpy(), data)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"])
def test_an_optimizer_step_on_an_inference_parameter_changes_nothing(name):
    errors = []
    for lib in (ember, torch):
        with lib.inference_mode():
            p = lib.nn.Parameter(lib.ones(3))
        p.grad = lib.full((3,), 0.5)
        opt = getattr(lib.optim, name)([p], lr=0.1)
        with pytest.raises(RuntimeError) as info:
            opt.step()
        errors.append(str(info.value))
        if lib is ember:        # (torch has stepped the parameter before it raises)
            assert p.detach().tolist() == [1.0, 1.0, 1.0]
    assert errors[0] == errors[1] and errors[0].startswith(WRITE)
    # inside the mode the step is allowed, and gives torch's parameters
    stepped = []
    for lib in (ember, torch):
        with lib.inference_mode():
            p = lib.nn.Parameter(lib.ones(3))
            p.grad = lib.full((3,), 0.5)
            getattr(lib.optim, name)([p], lr=0.1).step()
        stepped.append(p.detach().numpy())
    np.testing.assert_allclose(*stepped, rtol=1e-6)


def test_normal_tensors_keep_their_fast_in_place_paths_in_and_out_of_the_mode():
    for inside in (False, True):
        x = ember.ones(3)
        with (ember.inference_mode() if inside else ember.no_grad()):
            x += 1
            x.add_(ember.ones(3))
            x.zero_()
            x[0] = 4.0
        assert not x.is_inference() and x.tolist() == [4.0, 0.0, 0.0] and x._version == 4
