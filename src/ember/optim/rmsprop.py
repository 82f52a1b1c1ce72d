"""RMSprop (``torch.optim.RMSprop``): steps divided by a running RMS of the gradient.

Per parameter, with g the gradient (negated when ``maximize``):

    g <- g + weight_decay * p
    v <- alpha * v + (1 - alpha) * g * g
    avg <- sqrt(v - m * m) + eps,  m <- lerp(m, g, 1 - alpha)   (centered)
    avg <- sqrt(v) + eps                                          (otherwise)
    b <- momentum * b + g / avg,  p <- p - lr * b                 (momentum > 0)
    p <- p - lr * g / avg                                         (otherwise)
"""
import numpy as np

from ..backend import fp_errors_silenced
from ..ops.creation import zeros_like
from .optimizer import (Optimizer, _check_tensor_option, _fma, _grad_array, _lerp_, _lr,
                        _mark_updated)
from .sgd import _check_differentiable

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop, optionally centered and with momentum.

    >>> w = ember.tensor([1.0], requires_grad=True)
    >>> opt = ember.optim.RMSprop([w], lr=0.01)
    >>> w.grad = ember.tensor([1.0]); opt.step(); w
    tensor([0.9000], requires_grad=True)
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        _check_tensor_option(lr, "lr")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        _check_differentiable(differentiable)
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps,
                    "centered": centered, "weight_decay": weight_decay,
                    "capturable": capturable, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def _init_state(self, p, group):
        state = self.state[p]
        if len(state) == 0:
            state["step"] = self._new_step_counter()
            state["square_avg"] = zeros_like(p)
            if group["momentum"] > 0:
                state["momentum_buffer"] = zeros_like(p)
            if group["centered"]:
                state["grad_avg"] = zeros_like(p)
        return state

    def step(self, closure=None):
        """One RMSprop update of every parameter that has a gradient; returns the
        closure's loss."""
        loss = self._evaluate(closure)
        # nan/inf gradients (a diverging run) give nan/inf parameters, as in torch,
        # without NumPy's floating point warnings
        with fp_errors_silenced():
            for group in self.param_groups:
                lr, alpha, eps = _lr(group["lr"]), group["alpha"], group["eps"]
                wd, momentum = group["weight_decay"], group["momentum"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self._init_state(p, group)
                    data = p._data
                    g = _grad_array(p, group["maximize"])
                    step_t = state["step"]._data
                    step_t += 1
                    if wd != 0:
                        g = _fma(wd, data, g)
                    square_avg = state["square_avg"]._data
                    square_avg *= alpha
                    _fma((1 - alpha) * g, g, square_avg, out=square_avg)
                    if group["centered"]:
                        grad_avg = state["grad_avg"]._data
                        _lerp_(grad_avg, g, 1 - alpha)
                        avg = np.sqrt(_fma(np.negative(grad_avg), grad_avg, square_avg))
                    else:
                        avg = np.sqrt(square_avg)
                    avg = avg + eps
                    if momentum > 0:
                        buf = state["momentum_buffer"]._data
                        buf *= momentum
                        buf += g / avg
                        _fma(-lr, buf, data, out=data)
                    else:
                        data += -lr * g / avg
                    _mark_updated(p)
        return loss
