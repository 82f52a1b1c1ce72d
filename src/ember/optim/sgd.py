"""Stochastic gradient descent, optionally with momentum (``torch.optim.SGD``).

Per parameter, with g the gradient (negated when ``maximize``):

    g <- g + weight_decay * p
    b <- g (first step), else momentum * b + (1 - dampening) * g
    g <- g + momentum * b  (nesterov)   or   g <- b
    p <- p - lr * g
"""
import numpy as np

from ..backend import fp_errors_silenced
from .._tensor import _make
from .optimizer import Optimizer, _check_tensor_option, _fma, _grad_array, _lr, _mark_updated

__all__ = ["SGD"]


def _check_differentiable(differentiable):
    if differentiable:
        raise NotImplementedError("ember optimizers do not support differentiable=True "
                                  "(updates are not recorded by autograd)")


class SGD(Optimizer):
    """Stochastic gradient descent.

    >>> w = ember.tensor([1.0, 2.0], requires_grad=True)
    >>> opt = ember.optim.SGD([w], lr=0.1, momentum=0.9)
    >>> w.grad = ember.tensor([1.0, 1.0]); opt.step(); w
    tensor([0.9000, 1.9000], requires_grad=True)
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0,
                 nesterov=False, *, maximize=False, foreach=None, differentiable=False,
                 fused=None):
        _check_tensor_option(lr, "lr")
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        _check_differentiable(differentiable)
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening,
                    "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
                    "foreach": foreach, "differentiable": differentiable, "fused": fused}
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate(closure)
        # nan/inf gradients (a diverging run) give nan/inf parameters, as in torch,
        # without NumPy's floating point warnings
        with fp_errors_silenced():
            for group in self.param_groups:
                lr = _lr(group["lr"])
                wd, momentum = group["weight_decay"], group["momentum"]
                dampening, nesterov = group["dampening"], group["nesterov"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    data = p._data
                    g = _grad_array(p, group["maximize"])
                    if wd != 0:
                        g = _fma(wd, data, g)
                    if momentum != 0:
                        state = self.state[p]
                        buf = state.get("momentum_buffer")
                        if buf is None:
                            buf = state["momentum_buffer"] = _make(np.array(g))   # a copy
                        else:
                            b = buf._data
                            b *= momentum
                            _fma(1 - dampening, g, b, out=b)
                        g = _fma(momentum, buf._data, g) if nesterov else buf._data
                    _fma(-lr, g, data, out=data)
                    _mark_updated(p)
        return loss
