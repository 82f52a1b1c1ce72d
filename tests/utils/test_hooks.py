"""ember.utils.hooks (ember/_hooks.py): one RemovableHandle for every kind of hook."""
import torch

import ember
from ember.utils.hooks import RemovableHandle


def _handles(m):
    x = m.ones(2, requires_grad=True)
    y = x * 2
    lin = m.nn.Linear(2, 2)
    opt = m.optim.SGD(lin.parameters(), lr=0.1)
    f = lambda *a: None                              # noqa: E731
    return [x.register_hook(f), y.register_hook(f), y.grad_fn.register_hook(f),
            y.grad_fn.register_prehook(f), x.register_post_accumulate_grad_hook(f),
            lin.register_forward_hook(f), lin.register_full_backward_hook(f),
            opt.register_step_pre_hook(f)]


def test_every_registration_returns_the_one_handle_type_as_in_torch():
    assert all(type(h) is RemovableHandle for h in _handles(ember))
    assert all(type(h) is torch.utils.hooks.RemovableHandle for h in _handles(torch))


def test_a_hook_registered_twice_runs_twice_and_each_handle_removes_one():
    def run(m):
        calls = []
        x = m.ones(2, requires_grad=True)
        hook = lambda g: calls.append(1)         # noqa: E731
        first, second = x.register_hook(hook), x.register_hook(hook)
        (x * 1).sum().backward()
        first.remove()
        (x * 1).sum().backward()
        second.remove()
        second.remove()                          # (removing twice is harmless)
        (x * 1).sum().backward()
        return len(calls)
    assert run(ember) == run(torch) == 3


def test_a_handle_is_a_context_manager():
    x = ember.ones(2, requires_grad=True)
    with x.register_hook(lambda g: g * 2):
        (x * 1).sum().backward()
    (x * 1).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]
