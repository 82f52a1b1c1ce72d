"""Adagrad (``torch.optim.Adagrad``): steps divided by the root of the summed squared
gradients.

Per parameter, at step t, with g the gradient (negated when ``maximize``):

    g <- g + weight_decay * p
    s <- s + g * g                       (s starts at initial_accumulator_value)
    p <- p - lr / (1 + (t - 1) * lr_decay) * g / (sqrt(s) + eps)
"""
import numpy as np

from ..backend import fp_errors_silenced
from ..ops.creation import full_like
from .optimizer import Optimizer, _check_tensor_option, _fma, _grad_array, _lr, _mark_updated
from .sgd import _check_differentiable

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad. Its state exists from construction (torch creates it in ``__init__``).

    >>> w = ember.tensor([1.0], requires_grad=True)
    >>> opt = ember.optim.Adagrad([w], lr=0.1)
    >>> w.grad = ember.tensor([2.0]); opt.step(); w
    tensor([0.9000], requires_grad=True)
    """

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0,
                 initial_accumulator_value=0, eps=1e-10, foreach=None, *, maximize=False,
                 differentiable=False, fused=None):
        _check_tensor_option(lr, "lr")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError("Invalid initial_accumulator_value value: "
                             f"{initial_accumulator_value}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        _check_differentiable(differentiable)
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value,
                    "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p)

    def _init_state(self, p):
        state = self.state[p]
        if len(state) == 0:
            state["step"] = self._new_step_counter()
            # torch fills with the optimizer-wide default, not the group's value
            state["sum"] = full_like(p, self.defaults["initial_accumulator_value"])
        return state

    def step(self, closure=None):
        """One Adagrad update of every parameter that has a gradient; returns the
        closure's loss."""
        loss = self._evaluate(closure)
        # nan/inf gradients (a diverging run) give nan/inf parameters, as in torch,
        # without NumPy's floating point warnings
        with fp_errors_silenced():
            for group in self.param_groups:
                lr, lr_decay = _lr(group["lr"]), group["lr_decay"]
                wd, eps = group["weight_decay"], group["eps"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self._init_state(p)
                    data = p._data
                    g = _grad_array(p, group["maximize"])
                    step_t = state["step"]._data
                    step_t += 1
                    step = step_t.item()
                    if wd != 0:
                        g = _fma(wd, data, g)
                    clr = lr / (1 + (step - 1) * lr_decay)
                    state_sum = state["sum"]._data
                    _fma(g, g, state_sum, out=state_sum)
                    std = np.sqrt(state_sum)
                    std = std + eps
                    data += -clr * g / std
                    _mark_updated(p)
        return loss
