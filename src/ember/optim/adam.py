"""Adam (``torch.optim.Adam``): steps scaled by running moments of the gradient.

Per parameter, at step t, with g the gradient (negated when ``maximize``):

    g <- g + weight_decay * p           (or p <- p * (1 - lr * weight_decay) if decoupled)
    m <- lerp(m, g, 1 - beta1)          v <- beta2 * v + (1 - beta2) * g * g
    v_max <- max(v_max, v)              (amsgrad; used in place of v below)
    p <- p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
"""
import numpy as np

from ..backend import fp_errors_silenced
from ..ops.creation import zeros_like
from .optimizer import (Optimizer, _check_tensor_option, _fma, _grad_array, _lerp_, _lr,
                        _mark_updated)
from .._tensor import Tensor
from .sgd import _check_differentiable

__all__ = ["Adam"]


class Adam(Optimizer):
    """Adam, with optional AMSGrad and (``decoupled_weight_decay=True``) AdamW's decay.

    >>> w = ember.tensor([1.0, 2.0], requires_grad=True)
    >>> opt = ember.optim.Adam([w], lr=0.1)
    >>> w.grad = ember.tensor([1.0, -1.0]); opt.step(); w
    tensor([0.9000, 2.1000], requires_grad=True)
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        if isinstance(lr, Tensor) and foreach and not capturable:
            raise ValueError("lr as a Tensor is not supported for capturable=False and "
                             "foreach=True")
        _check_tensor_option(lr, "lr")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not (all(isinstance(b, float) for b in betas)
                or all(isinstance(b, Tensor) for b in betas)):
            raise ValueError("betas must be either both floats or both Tensors")
        for i, beta in enumerate(betas):
            if isinstance(beta, Tensor) and foreach and not capturable:
                raise ValueError(f"betas[{i}] as a Tensor is not supported for "
                                 "capturable=False and foreach=True")
            _check_tensor_option(beta, f"betas[{i}]")
        # tensor betas are kept, squeezed to 0-dim as torch does; step reads them as floats
        betas = tuple(b.squeeze() if isinstance(b, Tensor) and b.dim() != 0 else b
                      for b in betas)
        _check_differentiable(differentiable)
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
                    "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach,
                    "capturable": capturable, "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)

    def _init_state(self, p, group):
        state = self.state[p]
        if len(state) == 0:
            state["step"] = self._new_step_counter()
            state["exp_avg"] = zeros_like(p)
            state["exp_avg_sq"] = zeros_like(p)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = zeros_like(p)
        return state

    def step(self, closure=None):
        """One Adam update of every parameter that has a gradient; returns the closure's
        loss."""
        loss = self._evaluate(closure)
        # nan/inf gradients (a diverging run) give nan/inf parameters, as in torch,
        # without NumPy's floating point warnings
        with fp_errors_silenced():
            for group in self.param_groups:
                lr, (beta1, beta2) = _lr(group["lr"]), map(_lr, group["betas"])
                wd, eps, amsgrad = group["weight_decay"], group["eps"], group["amsgrad"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self._init_state(p, group)
                    data = p._data
                    g = _grad_array(p, group["maximize"])
                    step_t = state["step"]._data
                    step_t += 1
                    if wd != 0:
                        if group["decoupled_weight_decay"]:
                            data *= 1 - lr * wd
                        else:
                            g = _fma(wd, data, g)
                    exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
                    _lerp_(exp_avg, g, 1 - beta1)
                    exp_avg_sq *= beta2
                    _fma((1 - beta2) * g, g, exp_avg_sq, out=exp_avg_sq)

                    step = step_t.item()
                    bias_correction1 = 1 - beta1 ** step
                    bias_correction2 = 1 - beta2 ** step
                    step_size = lr / bias_correction1
                    bias_correction2_sqrt = bias_correction2 ** 0.5
                    if amsgrad:
                        max_sq = state["max_exp_avg_sq"]._data
                        np.maximum(max_sq, exp_avg_sq, out=max_sq)
                        denom = np.sqrt(max_sq)
                    else:
                        denom = np.sqrt(exp_avg_sq)
                    denom /= bias_correction2_sqrt
                    denom += eps
                    data += -step_size * exp_avg / denom
                    _mark_updated(p)
        return loss
