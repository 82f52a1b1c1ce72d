"""Helpers shared by the nn tests: build one model in both frameworks, copy weights,
compare errors."""
import numpy as np
import pytest
import torch

import ember


def copy_to_torch(e_model, t_model):
    """Give the torch model the ember model's parameters and buffers (by name)."""
    e_state = e_model.state_dict()
    t_state = t_model.state_dict()
    assert list(e_state) == list(t_state)
    with torch.no_grad():
        for name, value in e_state.items():
            t_state[name].copy_(torch.tensor(np.array(value.numpy())))


def same_error(fn, exc=Exception):
    """fn(ember) and fn(torch) raise the same exception type with the same text."""
    with pytest.raises(exc) as t_err:
        fn(torch)
    with pytest.raises(type(t_err.value)) as e_err:
        fn(ember)
    assert str(e_err.value) == str(t_err.value)
    return e_err.value


def same_grads(e_model, t_model, what=""):
    """Every parameter's .grad agrees between the two models."""
    from helpers import assert_same
    e_params = dict(e_model.named_parameters())
    for name, tp in t_model.named_parameters():
        ep = e_params[name]
        if tp.grad is None:
            assert ep.grad is None, f"{what}{name}: torch has no grad"
        else:
            assert_same(ep.grad, tp.grad, rtol=1e-4, atol=1e-5, what=f"{what}{name}.grad")
