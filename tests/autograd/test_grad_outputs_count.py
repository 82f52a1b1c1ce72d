"""autograd.grad / backward pair outputs with gradients as torch does (zip): extra
gradients are ignored, too few is torch's error."""
import pytest
import torch

import ember


@pytest.mark.parametrize("grad_outputs", [[None, None], ["3", "5"], ["3", None]])
def test_extra_grad_outputs_are_ignored_like_torch(grad_outputs):
    # (ember used to refuse grad_outputs=[None, None] with one output)
    got = []
    for m in (torch, ember):
        x = m.tensor([1., 2.], requires_grad=True)
        y = (x * x).sum()
        given = [None if g is None else m.tensor(float(g)) for g in grad_outputs]
        (gx,) = m.autograd.grad(y, x, grad_outputs=given)
        got.append(gx.tolist())
    assert got[1] == got[0]


def test_backward_ignores_extra_grad_tensors_like_torch():
    got = []
    for m in (torch, ember):
        x = m.tensor([1., 2.], requires_grad=True)
        m.autograd.backward((x * 3).sum(), grad_tensors=[None, None])
        got.append(x.grad.tolist())
    assert got[1] == got[0]


def test_too_few_grad_outputs_raise_torch_error():
    got = []
    for m in (torch, ember):
        x = m.tensor([1., 2.], requires_grad=True)
        y = (x * x).sum()
        with pytest.raises(RuntimeError) as err:
            m.autograd.grad([y, 2 * y], x, grad_outputs=[m.tensor(1.)])
        got.append(str(err.value))
    assert got[1] == got[0]
