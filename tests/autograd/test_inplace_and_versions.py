"""In-place ops and autograd: the version counter, leaves, rebasing the graph, detach."""
import numpy as np
import pytest
import torch

import ember
from helpers import assert_same

X = np.array([0.5, -1.0, 2.0], dtype=np.float32)


def both_raise(fn, exc, match):
    for m in (ember, torch):
        with pytest.raises(exc, match=match):
            fn(m)


def test_modifying_a_saved_output_in_place_raises_version_error():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        y = x.exp()
        y.add_(1)
        y.sum().backward()
    for m in (ember, torch):
        with pytest.raises(RuntimeError) as info:
            run(m)
        msg = str(info.value)
        assert msg.startswith("one of the variables needed for gradient computation has been "
                              "modified by an inplace operation: [torch.FloatTensor [3]], which "
                              "is output 0 of Exp, is at version 1; expected version 0 instead.")


def test_modifying_a_saved_leaf_input_under_no_grad_raises_version_error():
    msgs = []
    for m in (ember, torch):
        x = m.tensor(X, requires_grad=True)
        y = x * x
        with m.no_grad():
            x.mul_(2)
        with pytest.raises(RuntimeError) as info:
            y.sum().backward()
        msgs.append(str(info.value).split(" Hint")[0])
        assert x.grad is None
    assert msgs[0] == msgs[1]
    assert "[torch.FloatTensor [3]] is at version 1; expected version 0 instead." in msgs[0]


def test_modifying_a_saved_non_leaf_names_its_op():
    msgs = []
    for m in (ember, torch):
        x = m.tensor(X, requires_grad=True)
        y = x * 3
        z = y * y
        y.mul_(2)
        with pytest.raises(RuntimeError) as info:
            z.sum().backward()
        msgs.append(str(info.value).split(" Hint")[0])
    assert msgs[0] == msgs[1]


def test_detach_shares_the_version_counter_but_data_does_not():
    for m in (ember, torch):
        x = m.tensor(X, requires_grad=True)
        y = x * x
        x.data.add_(1)               # invisible to autograd, as in torch
        y.sum().backward()
        assert np.allclose(x.grad.numpy(), 2 * (X + 1))
        y = x * x
        x.detach().add_(1)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.sum().backward()


def test_versions_count_like_torch():
    def run(m):
        x = m.ones(3)
        v = [x._version]
        x.add_(1)
        x.mul_(2)
        v.append(x._version)
        d = x.detach()
        d.sub_(1)
        v.append(x._version)
        v.append(x.data._version)
        return v
    assert run(ember) == run(torch)


def test_in_place_on_a_leaf_that_requires_grad_raises_and_leaves_it_unchanged():
    for m in (ember, torch):
        x = m.tensor(X, requires_grad=True)
        with pytest.raises(RuntimeError, match="^a leaf Variable that requires grad is being used "
                                               "in an in-place operation.$"):
            x.add_(1)
        assert np.array_equal(x.detach().numpy(), X.astype(np.float32))
        with m.no_grad():
            x.add_(1)                # the sanctioned way (optimizers)
        assert x.is_leaf and x.requires_grad and x.grad_fn is None


@pytest.mark.parametrize("op", ["add_", "mul_", "sub_", "div_", "exp_", "pow_"])
def test_in_place_on_a_non_leaf_rebases_the_graph(op):
    def run(m):
        x = m.tensor(X, requires_grad=True)
        y = x * 2
        args = () if op == "exp_" else (1.5,)
        getattr(y, op)(*args)
        name = y.grad_fn.name()
        (y * x).sum().backward()
        return name, x.grad, y.is_leaf
    e, t = run(ember), run(torch)
    assert (e[0], e[2]) == (t[0], t[2])
    assert_same(e[1], t[1])


def test_in_place_with_a_tensor_that_requires_grad():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        w = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x.sin()
        y += w * x
        y *= w
        y.sum().backward()
        return x.grad, w.grad
    e, t = run(ember), run(torch)
    assert_same(list(e), list(t))


def test_in_place_on_a_detached_tensor_does_not_record():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        y = (x * 2).detach()
        y.add_(1)
        return y.requires_grad, y.grad_fn is None, y.is_leaf
    assert run(ember) == run(torch)


def test_detach_and_detach_():
    def run(m):
        x = m.tensor(X, requires_grad=True)
        y = x * 2
        d = y.detach()
        facts = [d.requires_grad, d.is_leaf, d.grad_fn is None]
        d[0] = 7.0                       # shares memory
        facts.append(y[0].item())
        y.detach_()
        facts += [y.requires_grad, y.is_leaf, y.grad_fn is None]
        return facts
    assert run(ember) == run(torch)


def test_requires_grad_flags():
    def run(m):
        x = m.ones(2)
        out = [x.requires_grad_() is x, x.requires_grad]
        x.requires_grad = False
        out.append(x.requires_grad)
        y = m.ones(2, requires_grad=True) * 2
        y.requires_grad_(True)
        out.append(y.requires_grad)
        return out
    assert run(ember) == run(torch)
    for m in (ember, torch):
        with pytest.raises(RuntimeError, match="^only Tensors of floating point dtype can require "
                                               "gradients$"):
            m.tensor([1, 2]).requires_grad_()
        with pytest.raises(RuntimeError, match="^Only Tensors of floating point and complex dtype "
                                               "can require gradients$"):
            m.tensor([1, 2], requires_grad=True)
        with pytest.raises(RuntimeError, match="^only Tensors of floating point and complex dtype "
                                               "can require gradients$"):
            m.tensor([1, 2]).requires_grad = True
        with pytest.raises(RuntimeError, match="you can only change requires_grad flags of leaf "
                                               "variables."):
            (m.ones(2, requires_grad=True) * 2).requires_grad_(False)


def test_data_assignment_swaps_the_array():
    def run(m):
        x = m.ones(2, 3, requires_grad=True)
        x.data = m.zeros(4)
        return x.shape, x.requires_grad, x.is_leaf
    e, t = run(ember), run(torch)
    assert (tuple(e[0]), e[1:]) == (tuple(t[0]), t[1:])


VIEW_OF_LEAF_WRITES = ["v = w[0:1]; v.add_(1)", "v = w[0:1]; v.fill_(1)", "w[0] = 5",
                       "v = w.view(3, 1); v.mul_(2)", "v = w[1:]; v.zero_()"]


@pytest.mark.parametrize("write", VIEW_OF_LEAF_WRITES)
def test_in_place_on_a_view_of_a_leaf_that_requires_grad_is_refused(write):
    for m in (ember, torch):
        w = m.ones(3, requires_grad=True)
        with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
            exec(write, {"w": w})
        assert w.tolist() == [1.0, 1.0, 1.0]
        with m.no_grad():                   # allowed without grad, and so is a detached view
            exec(write, {"w": w})
        exec(write, {"w": w.detach()})


@pytest.mark.parametrize("expr", ["y * 3", "3 * y", "y * w", "w * y", "y / 3", "y / w",
                                  "ember.mul(y, w)", "ember.div(y, 3)", "ember.mul(w, y)"])
@pytest.mark.parametrize("modified", ["y", "w"])
def test_operands_not_needed_for_backward_may_change_in_place_as_in_torch(expr, modified):
    # mul keeps each operand only for the other's gradient, div keeps its numerator
    # only for the denominator's: in place changes to the others are fine (in torch too)
    def run(m):
        x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 2
        w = m.tensor([0.5, 1.5, 2.5])
        z = eval(expr, {"y": y, "w": w, "ember": m})
        {"y": y, "w": w}[modified].add_(1)
        z.sum().backward()
        return x.grad
    outcomes = []
    for m in (ember, torch):
        try:
            outcomes.append(("ok", run(m).tolist()))
        except RuntimeError as e:
            outcomes.append(("error", str(e).split(":")[0]))
    assert outcomes[0] == outcomes[1]


_VIEWS = {"slice": lambda y: y[:, 1:], "row": lambda y: y[0], "view": lambda y: y.view(3, 2),
          "t": lambda y: y.t(), "unsqueeze": lambda y: y.unsqueeze(0),
          "narrow": lambda y: y.narrow(1, 0, 2), "expand": lambda y: y[:1].expand(4, 3),
          "view of view": lambda y: y[1:].view(-1)[::2]}
_BASE_WRITES = {"mul_": lambda y: y.mul_(3), "exp_": lambda y: y.exp_(),
                "setitem": lambda y: y.__setitem__((0, 0), 5.0),
                "sibling view": lambda y: y[1].add_(1), "clamp_": lambda y: y.clamp_(0.5, 7.0)}


@pytest.mark.parametrize("view", sorted(_VIEWS))
@pytest.mark.parametrize("write", sorted(_BASE_WRITES))
def test_a_view_sees_in_place_changes_of_its_base_in_backward_as_in_torch(view, write):
    # the view's grad_fn from before the write leads to the base's old version; like
    # torch, ember gives the view a new one (AsStridedBackward0) when it is next used
    def run(m):
        x = m.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=m.float64, requires_grad=True)
        y = x * 2
        v = _VIEWS[view](y)
        _BASE_WRITES[write](y)
        (v * v).sum().backward()
        return x.grad, type(v.grad_fn).__name__
    (ge, fe), (gt, ft) = run(ember), run(torch)
    assert_same(ge, gt, rtol=1e-12, atol=0)
    assert fe == ft


def test_a_view_made_after_the_write_keeps_its_own_grad_fn():
    for m in (ember, torch):
        x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 2
        y.mul_(3)
        v = y[:2]
        assert type(v.grad_fn).__name__ == "SliceBackward0"
        v.sum().backward()
        assert x.grad.tolist() == [6.0, 6.0, 0.0]


def test_a_view_of_a_buffer_written_with_a_graph_then_changed_in_place_as_in_torch():
    # the view had no graph when made (its base needed no gradient); the base got one
    # through the view, then changed in place: the view's gradient goes through both
    def run(m):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        base = m.zeros(3)
        v = base[:2]
        v.copy_(x)
        base.mul_(2)
        (v * v).sum().backward()
        return x.grad
    assert_same(run(ember), run(torch))


# A view made of a buffer that needs no gradient, before the buffer is given a graph
# by an in-place write (of itself or through another view): as in torch the view
# requires grad from then on, with grad_fn AsStridedBackward0 of the buffer as written.
_BUFFER_FILLS = {
    "copy_": ("m.zeros(2, 3)", lambda m, b, x: b.copy_(x * 2)),
    "add_": ("m.zeros(2, 3)", lambda m, b, x: b.add_(x)),
    "mul_ then add_": ("m.ones(2, 3)", lambda m, b, x: b.mul_(0).add_(x * 3)),
    "setitem": ("m.zeros(2, 3)", lambda m, b, x: b.__setitem__(0, x[1] * 5)),
    "through a sibling view": ("m.zeros(2, 3)", lambda m, b, x: b[1].copy_(x[0] * 3)),
    "through an overlapping view": ("m.zeros(2, 3)", lambda m, b, x: b[:, 1:].copy_(x[:, :2])),
}
_BUFFER_VIEWS = {"slice": lambda b: b[:, :2], "row": lambda b: b[1], "view": lambda b: b.view(6),
                 "t": lambda b: b.t(), "expand": lambda b: b[:1].expand(3, 3),
                 "view of view": lambda b: b[:, 1:].reshape(-1)[1:]}


@pytest.mark.parametrize("view", sorted(_BUFFER_VIEWS))
@pytest.mark.parametrize("fill", sorted(_BUFFER_FILLS))
def test_a_view_of_a_buffer_given_a_graph_in_place_requires_grad_as_in_torch(view, fill):
    def run(m):
        x = m.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=m.float64, requires_grad=True)
        make, write = _BUFFER_FILLS[fill]
        buf = eval(make, {"m": m}).double()
        v = _BUFFER_VIEWS[view](buf)
        write(m, buf, x)
        flags = (v.requires_grad, v.is_leaf, type(v.grad_fn).__name__)
        if v.requires_grad:
            (v * v).sum().backward()      # v alone: no other input of the op needs grad
        return flags, x.grad
    (fe, ge), (ft, gt) = run(ember), run(torch)
    assert fe == ft
    assert (ge is None) == (gt is None)
    if gt is not None:
        assert_same(ge, gt, rtol=1e-12, atol=0)


def test_a_view_of_a_leaf_that_comes_to_require_grad_requires_grad_as_in_torch():
    for m in (ember, torch):
        buf = m.zeros(3)
        v = buf[:2]
        buf.requires_grad_()
        assert (v.requires_grad, v.grad_fn) == (True, None)


def test_a_view_of_a_buffer_written_under_no_grad_needs_no_grad_as_in_torch():
    for m in (ember, torch):
        x = m.ones(3, requires_grad=True)
        buf = m.zeros(3)
        v = buf[:2]
        with m.no_grad():
            buf.copy_(x)
        assert (v.requires_grad, v.grad_fn) == (False, None)


@pytest.mark.parametrize("pieces", ["y.split(2)", "y.chunk(2)", "y.unbind(0)",
                                    "[p[:1] for p in y.split(2)]"])
def test_pieces_of_split_and_unbind_refuse_a_base_changed_in_place_as_in_torch(pieces):
    def run(m):
        x = m.ones(4, requires_grad=True)
        y = x * 1
        p = eval(pieces, {"y": y})[0]
        y.mul_(2)
        (p * 2).sum().backward()
    for m in (ember, torch):
        with pytest.raises(RuntimeError, match="is a view and its base or another view of its "
                                               "base has been modified inplace"):
            run(m)


@pytest.mark.parametrize("expr", ["x.add_(1)", "x.mul_(2)", "x.zero_()", "x[0] = 1.0",
                                  "x.squeeze_()", "x.t_()"])
@pytest.mark.parametrize("leaf", ["m.ones(2, 3).requires_grad_()",
                                  "m.arange(6.0).reshape(2, 3).requires_grad_()"])
def test_in_place_on_a_leaf_that_requires_grad_raises_torchs_message(expr, leaf):
    messages = []
    for m in (ember, torch):
        x = eval(leaf, {"m": m})
        with pytest.raises(RuntimeError) as info:
            exec(expr, {"x": x})
        messages.append(str(info.value))
    assert messages[0] == messages[1]
