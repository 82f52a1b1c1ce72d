"""The fused ops behind ``ember.nn``: linear, softmax, activations and losses.

Each op follows the pattern of :mod:`ember.ops.pointwise`: a forward over
NumPy arrays, then ``record(...)`` with a backward written in ember ops (so
that ``create_graph=True`` works). Fusing keeps one graph node per layer or
loss, as torch has (``AddmmBackward0``, ``MseLossBackward0``, ...), instead of
the chain of small nodes a composition would leave.

    >>> x = ember.tensor([[1.0, 2.0, 3.0]])
    >>> softmax(x, 1)
    tensor([[0.0900, 0.2447, 0.6652]])
"""
import math

import numpy as np

from .. import _dtypes
from .._arg_errors import wrong_type
from .._tensor import Tensor, _make
from ..autograd.graph import record
from ..autograd.grad_mode import _state as _grad_state
from ..backend import fp_errors_off, fp_errors_restore
from ._common import bind, silently, unbroadcast, wrap_dim
from .linalg import addmm, addmm_backward, matmul
from .special import erf, erf_np

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_GELU_TANH_C = 0.044715


def _type_name(dtype):
    """torch's short dtype name in kernel errors: 'Long', 'Float', ..."""
    return dtype.legacy_name[:-6]


def _require_float(t, kernel):
    if t._data.dtype.kind != "f":
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_type_name(t.dtype)}\'')


_F16, _F32, _F64 = np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64)
_I64 = np.dtype(np.int64)


# ---------------------------------------------------------------- linear
def linear(input, weight, bias=None):
    """y = input @ weight.T + bias, over any leading batch dimensions.

    >>> linear(ember.ones(2, 3), ember.ones(4, 3), ember.zeros(4)).shape
    torch.Size([2, 4])
    """
    x, w = input._data, weight._data
    if x.ndim == 0 or w.ndim == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are "
                           f"{x.ndim}D and {w.ndim}D")
    if w.ndim == 1:     # a single output feature, without its dimension
        if bias is not None:
            raise RuntimeError("mat2 must be a matrix, got 1-D tensor")
        return linear(input, weight.unsqueeze(0), None).squeeze(-1)
    if w.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {w.ndim}D")
    _check_linear_dtypes(input, weight, bias)
    if x.shape[-1] != w.shape[1]:
        rows = int(np.prod(x.shape[:-1]))
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{x.shape[-1]} "
                           f"and {w.shape[1]}x{w.shape[0]})")
    if _grad_state.enabled and (input._requires_grad or weight._requires_grad
                                or (bias is not None and bias._requires_grad)):
        return _linear_recorded(input, weight, bias)
    return _make(_affine(x, w, bias))


def _affine(x, w, bias):
    """x @ w.T + bias on the arrays: one matrix product, then the bias added into it."""
    token, out = fp_errors_off(), None  # an inf operand: inf or nan, silently, as in torch
    try:
        out = np.asarray(np.matmul(x, w.T), dtype=x.dtype)
        if bias is not None:
            out += bias._data       # (out is matmul's fresh array: no second batch-sized one)
    except ValueError:
        if bias is None or out is None:
            raise
        raise RuntimeError(
            f"The expanded size of the tensor ({out.shape[-1]}) must match the existing size "
            f"({bias._data.shape[-1]}) at non-singleton dimension {out.ndim - 1}.  Target "
            f"sizes: {list(out.shape)}.  Tensor sizes: {list(bias._data.shape)}") from None
    finally:
        fp_errors_restore(token)
    return out


def _linear_recorded(input, weight, bias):
    """linear when autograd records it, with torch's graph (``y.grad_fn.next_functions``
    of an ``nn.Linear`` reads the same): addmm(bias, x, weight.t()) for a batch of
    rows, with views around any other input, and matmul(x, weight.t()) without a bias.
    The usual case (rows and a bias) builds those two nodes directly: it runs for
    every layer of every training step."""
    x, w = input._data, weight._data
    w_t = _make(w.T)                    # weight.t(): a view sharing weight's version
    w_t._base = weight if weight._base is None else weight._base
    w_t._vc = weight._shared_version()
    record("TBackward0", _t_backward, (weight,), w_t)
    if bias is None:
        return matmul(input, w_t)                       # MmBackward0, ...
    if x.ndim != 2:
        rows = addmm(bias, input.reshape(-1, x.shape[-1]), w_t)
        return rows.view(*x.shape[:-1], rows.shape[-1])     # ViewBackward0
    result = _make(_affine(x, w, bias))
    node = record("AddmmBackward0", addmm_backward, (bias, input, w_t), result)
    node.save_for_backward(input, w_t)          # (beta = alpha = 1: the node's defaults)
    return result


def _t_backward(ctx, grad):
    g = grad._data
    return _make(g.T) if not _grad_state.enabled else grad.t()


def _check_linear_dtypes(input, weight, bias):
    # torch words this differently for its mm (no bias) and addmm (bias) kernels.
    if bias is None:
        if input.dtype is not weight.dtype:
            raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                               f"{_c_type(input.dtype)} != {_c_type(weight.dtype)}")
    elif bias.dtype is not weight.dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got "
                           f"{_type_name(bias.dtype)} and {_type_name(weight.dtype)}")
    elif input.dtype is not weight.dtype:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got "
                           f"{_type_name(input.dtype)} and {_type_name(weight.dtype)}")


def _c_type(dtype):
    """The C++ type name torch prints in mm dtype errors."""
    return {"float32": "float", "float64": "double", "float16": "c10::Half"}.get(
        dtype.name, dtype.name)


# ------------------------------------------------------- softmax family
# These run in every classification step on small batches, so they call the ufunc
# reductions (np.maximum.reduce) that NumPy's Python wrappers (np.max, x.max) end in,
# at a fraction of the call cost.
_min_of, _max_of, _sum_of = np.minimum.reduce, np.maximum.reduce, np.add.reduce

def _softmax_input(input, dim, dtype, name):
    """(input cast to dtype, its data as a C-contiguous array, the wrapped dim). Raises
    torch's errors in torch's order: the dim, then the dtype of a non-empty input (an
    empty one of any dtype is returned as is, as torch does), naming the kernel torch
    picks: the last-dimension one for dim == ndim - 1 (or a 0-dim input)."""
    if dtype is not None:
        if not isinstance(dtype, _dtypes.dtype) and not (
                dtype is float or dtype is int or dtype is bool):   # (but no name)
            raise wrong_type(name, "dtype", None, "torch.dtype", dtype)
        input = input.to(dtype)
    x = input._data
    if type(dim) is not int and not _is_int(dim):
        raise wrong_type(name, "dim", 2, "int", dim)   # (x.softmax('a') counts 1: _method)
    axis = wrap_dim(dim, x.ndim)
    if x.dtype.kind != "f" and x.size:
        lastdim = "_lastdim" if axis >= x.ndim - 1 else ""
        _require_float(input, f"{name}{lastdim}_kernel_impl")
    if not x.flags.c_contiguous:
        # torch's softmax kernels write a contiguous output whatever the input's strides
        # (NumPy would keep a transposed input's order)
        x = np.ascontiguousarray(x)
    return input, x, axis


def _softmax_array(x, axis):
    """softmax of a float array of at least one dimension along ``axis``."""
    token = fp_errors_off()             # an inf in x gives nan, silently, as in torch
    try:
        if x.dtype is _F16:
            return _softmax_half(x, axis)
        shifted = x - _max_of(x, axis=axis, keepdims=True) if x.size else x
        e = np.exp(shifted)
        return e / _sum_of(e, axis=axis, keepdims=True)
    finally:
        fp_errors_restore(token)


def _log_softmax_array(x, axis):
    """log_softmax of a float array of at least one dimension along ``axis``."""
    if x.size == 0:
        return x.copy()
    token = fp_errors_off()             # torch's formula, nan for a row with +inf
    try:
        if x.dtype is _F16:
            return _log_softmax_half(x, axis)
        shifted = x - _max_of(x, axis=axis, keepdims=True)
        return shifted - np.log(_sum_of(np.exp(shifted), axis=axis, keepdims=True))
    finally:
        fp_errors_restore(token)


# torch's CPU kernels compute float16 in float32: loaded, reduced and exponentiated in
# float32, the result rounded once. Its loops differ in a step or two, which moves some
# results by one unit in the last place: softmax over an inner dimension narrower than
# a vector (16 float16 lanes with AVX2, 32 with AVX-512, as on the machine this was
# measured on) runs a scalar loop that stores exp in float16 and multiplies by the
# reciprocal of the sum; ember follows that one, where most results differ otherwise,
# and takes the plain formula elsewhere. log_softmax's kernel for the last dimension
# (or one followed by dimensions of size 1) keeps the sum and its log in float16.
_HALF_LANES = 32


def _is_last_dim(x, axis):
    return all(n == 1 for n in x.shape[axis + 1:])


def _softmax_half(x, axis):
    x32 = x.astype(np.float32)
    e = np.exp(x32 - _max_of(x32, axis=axis, keepdims=True)) if x.size else x32
    total = _sum_of(e, axis=axis, keepdims=True)
    if 1 < int(np.prod(x.shape[axis + 1:])) < _HALF_LANES:
        out = e.astype(np.float16).astype(np.float32) * (np.float32(1) / total)
    else:
        out = e / total
    return out.astype(np.float16)


def _log_softmax_half(x, axis):
    x32 = x.astype(np.float32)
    shifted = x32 - _max_of(x32, axis=axis, keepdims=True)
    total = _sum_of(np.exp(shifted), axis=axis, keepdims=True)
    if _is_last_dim(x, axis):
        # the last-dimension kernel keeps the sum and its log in float16
        log_total = np.log(total.astype(np.float16).astype(np.float32))
        log_total = log_total.astype(np.float16).astype(np.float32)
    else:
        log_total = np.log(total)
    return (shifted - log_total).astype(np.float16)


def softmax(input, dim, dtype=None):
    """exp(x) / sum(exp(x)) along ``dim``, computed stably.

    >>> softmax(ember.tensor([0.0, 0.0]), 0)
    tensor([0.5000, 0.5000])
    """
    input, x, axis = _softmax_input(input, dim, dtype, "softmax")
    if x.dtype.kind != "f":
        result = _make(x.copy())        # (empty: torch returns one of the input's dtype)
    else:
        result = _make(_softmax_array(x, axis) if x.ndim else np.ones_like(x))
    if input._requires_grad and _grad_state.enabled:     # (record's own test)
        _record_softmax("SoftmaxBackward0", _softmax_backward, input, result, axis)
    return result


def _record_softmax(name, backward, input, result, axis):
    node = record(name, backward, (input,), result)
    node.save_for_backward(result)
    node.dim = axis if result._data.ndim else None
    return node


def _softmax_backward(ctx, grad):
    (y,) = ctx.saved_tensors
    if ctx.dim is None:
        return grad * 0
    g, yd = grad._data, y._data
    if not _grad_state.enabled and g.dtype is yd.dtype and (g.dtype is _F32 or g.dtype is _F64):
        # No graph to record (backward without create_graph): the NumPy calls of the
        # ember ops below, on the arrays, without their dispatch.
        dot = _sum_of(g * yd, axis=(ctx.dim,), dtype=g.dtype, keepdims=True)
        return _make(yd * (g - dot))
    if g.dtype is _F16 and yd.dtype is _F16:
        # (torch's float16 kernel: in float32, rounded once)
        y, grad = y.float(), grad.float()
        return (y * (grad - (grad * y).sum(ctx.dim, keepdim=True))).half()
    return y * (grad - (grad * y).sum(ctx.dim, keepdim=True))


def log_softmax(input, dim, dtype=None):
    """log(softmax(x)) along ``dim``, as x - logsumexp(x) (never log of 0).

    >>> log_softmax(ember.tensor([0.0, 0.0]), 0)
    tensor([-0.6931, -0.6931])
    """
    input, x, axis = _softmax_input(input, dim, dtype, "log_softmax")
    if x.dtype.kind != "f":
        result = _make(x.copy())        # (empty: torch returns one of the input's dtype)
    else:
        result = _make(_log_softmax_array(x, axis) if x.ndim else np.zeros_like(x))
    if input._requires_grad and _grad_state.enabled:     # (record's own test)
        _record_softmax("LogSoftmaxBackward0", _log_softmax_backward, input, result, axis)
    return result


def _log_softmax_backward(ctx, grad):
    (y,) = ctx.saved_tensors
    if ctx.dim is None:
        return grad * 0
    g, yd = grad._data, y._data
    dt = g.dtype
    if not _grad_state.enabled and dt is yd.dtype and (dt is _F32 or dt is _F64):
        # No graph to record: the NumPy calls of the ember ops below, on the arrays
        # (ember's exp of float32 runs in float64 and rounds once).
        e = np.exp(yd) if dt is _F64 else np.exp(yd.astype(np.float64)).astype(dt)
        return _make(g - e * _sum_of(g, axis=(ctx.dim,), dtype=dt, keepdims=True))
    if dt is _F16 and yd.dtype is _F16:
        # (torch's float16 kernel: in float32, rounded once)
        y, grad = y.float(), grad.float()
        return (grad - y.exp() * grad.sum(ctx.dim, keepdim=True)).half()
    return grad - y.exp() * grad.sum(ctx.dim, keepdim=True)


# ------------------------------------------------------------ activations
def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x if x > 0 else negative_slope * x. ``inplace``: the node of torch's in-place
    kernel (LeakyReluBackward1), whose backward refuses a negative slope."""
    _require_float(input, "leaky_relu_cpu")
    x = input._data
    out = np.where(x > 0, x, x * np.asarray(negative_slope, dtype=x.dtype))
    result = _make(np.asarray(out, dtype=x.dtype))
    node = record("LeakyReluBackward1" if inplace else "LeakyReluBackward0",
                  _leaky_relu_backward, (input,), result)
    if node:
        # The mask, not the input, is kept: F.leaky_relu(x, inplace=True) overwrites x.
        node.positive = _make(x > 0)
        node.slope = negative_slope
        node.inplace = inplace
    return result


def _leaky_relu_backward(ctx, grad):
    if ctx.inplace and ctx.slope < 0:
        # (the overwritten input cannot be told from the result when the slope flips signs)
        raise RuntimeError(
            "In-place leakyReLu backward calculation is triggered with a negative slope "
            "which is not supported. This is caused by calling in-place forward function "
            "with a negative slope, please call out-of-place version instead. File an issue "
            "at https://github.com/pytorch/pytorch if you do require supporting in-place "
            "leakRelu backward calculation with negative slope")
    return grad.where(ctx.positive, grad * ctx.slope)


def gelu(input, approximate="none"):
    """x * Phi(x), Phi the standard normal CDF; approximate='tanh' uses
    0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).

    >>> gelu(ember.tensor([0.0, 1.0]))
    tensor([0.0000, 0.8413])
    """
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    _require_float(input, "GeluKernelImpl")
    x = input._data
    with np.errstate(over="ignore", invalid="ignore"):
        if approximate == "tanh":
            out = 0.5 * x * (1 + np.tanh(_SQRT_2_OVER_PI * (x + _GELU_TANH_C * x * x * x)))
        else:
            out = 0.5 * x * (1 + erf_np(x * _INV_SQRT_2).astype(x.dtype))
    result = _make(np.asarray(out, dtype=x.dtype))
    node = record("GeluBackward0", _gelu_backward, (input,), result)
    if node:
        node.save_for_backward(input)
        node.approximate = approximate
    return result


def _gelu_backward(ctx, grad):
    (x,) = ctx.saved_tensors
    if ctx.approximate == "tanh":
        inner = _SQRT_2_OVER_PI * (x + _GELU_TANH_C * x * x * x)
        th = inner.tanh()
        d_inner = _SQRT_2_OVER_PI * (1 + 3 * _GELU_TANH_C * x * x)
        return grad * (0.5 * (1 + th) + 0.5 * x * (1 - th * th) * d_inner)
    cdf = 0.5 * (1 + erf(x * _INV_SQRT_2))
    pdf = _INV_SQRT_2PI * (-0.5 * x * x).exp()
    return grad * (cdf + x * pdf)


# --------------------------------------------------------- regression losses
_REDUCTIONS = ("none", "mean", "sum")


def _check_reduction(reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _loss_arrays(input, target, kernel):
    """The two operands in their common dtype, broadcast against each other."""
    if not isinstance(target, Tensor):
        raise AttributeError(f"'{type(target).__name__}' object has no attribute 'size'")
    dt = _dtypes.result_type(input, target)
    if not dt.is_floating_point:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_type_name(dt)}\'')
    with np.errstate(over="ignore", invalid="ignore"):
        # (an int64 target past float16's range becomes inf, silently in torch)
        x = input._data.astype(dt.np, copy=False)
        y = target._data.astype(dt.np, copy=False)
    try:
        shape = np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        from .pointwise import _broadcast_error
        raise _broadcast_error(input, target) from None
    return x, y, shape


def _reduce_array(losses, reduction):
    if reduction == "none":
        return losses
    # torch sums float16 in a float32 accumulator and rounds once (NumPy's float16
    # accumulator is off by a few units in the last place over a few hundred values)
    acc = _F32 if losses.dtype is _F16 else losses.dtype
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        if reduction == "sum":
            return np.sum(losses, dtype=acc).astype(losses.dtype)
        return np.mean(losses, dtype=acc).astype(losses.dtype) if losses.size else \
            np.asarray(np.nan, dtype=losses.dtype)


def _pointwise_loss(name, input, target, reduction, losses, input_grad, backward=None):
    """Record a fused regression loss. ``input_grad(d, grad, norm)`` is the gradient of
    the input, given d = input - target, the loss's gradient and the scale of the
    reduction (1/n for the mean, else 1), written with ember ops in the order of
    torch's backward kernel; ``backward`` replaces _pointwise_loss_backward."""
    result = _make(np.asarray(_reduce_array(losses, reduction), dtype=losses.dtype))
    _record_pointwise_loss(name, backward or _pointwise_loss_backward, input, target, result,
                           input_grad, reduction, losses.size)
    return result


def _record_pointwise_loss(name, backward, input, target, result, input_grad, reduction,
                           count):
    """The node of a fused regression loss over ``count`` elements, if one is needed."""
    node = record(name, backward, (input, target), result)
    if node:
        node.save_for_backward(input, target)
        node.input_grad = input_grad
        node.reduction = reduction
        node.count = count


def _reduction_norm(ctx):
    """torch's backward kernels scale by norm = 1/n for a mean (a double, inf for no
    elements), else 1, and multiply it in first: norm * d * grad, never d * (grad / n)
    (which rounds differently, and overflows for d near the dtype's largest value)."""
    if ctx.reduction != "mean":
        return 1.0
    return 1.0 / ctx.count if ctx.count else math.inf


def _pointwise_loss_backward(ctx, grad):
    x, y = ctx.saved_tensors
    g = ctx.input_grad(x - y, grad, _reduction_norm(ctx))
    gx = unbroadcast(g, ctx.input_meta[0][0]) if ctx.needs_input_grad[0] else None
    gy = unbroadcast(-g, ctx.input_meta[1][0]) if ctx.needs_input_grad[1] else None
    return gx, gy


def mse_loss(input, target, reduction="mean"):
    """Squared error (x - y)^2, reduced: the fused MseLossBackward0 op."""
    _check_reduction(reduction)
    if type(target) is Tensor:
        result = _mse_same_shape(input, target, reduction)
        if result is not None:
            return result
    x, y, _ = _loss_arrays(input, target, "mse_cpu")
    token = fp_errors_off()         # inf - inf, 1e30 ** 2: nan and inf, silently, as in torch
    try:
        d = x - y
        losses = d * d
    finally:
        fp_errors_restore(token)
    return _pointwise_loss("MseLossBackward0", input, target, reduction, losses,
                           _mse_input_grad, _mse_loss_backward)


def _mse_input_grad(d, grad, norm):
    # torch: scalar_t(2 * norm) * (x - y) * grad, in d's dtype
    return mul_number(d, d._data.dtype.type(2 * norm)) * grad


def _mse_same_shape(input, target, reduction):
    """mse_loss of two non-empty float32/float64 tensors of one shape and dtype (every
    regression step), without the promotion and broadcasting that the full path
    works out; its values, node and saved tensors. None for anything else."""
    x, y = input._data, target._data
    dt = x.dtype
    if (dt is not _F32 and dt is not _F64) or y.dtype is not dt or x.shape != y.shape \
            or not x.size:
        return None
    token = fp_errors_off()         # inf - inf, 1e30 ** 2: nan and inf, silently, as in torch
    try:
        d = x - y
        losses = d * d
        if reduction == "mean":
            # np.mean's arithmetic: the sum in dt over an np.intp count (a float64
            # quotient for float32, rounded back)
            out = dt.type(_sum_of(losses, axis=None, dtype=dt) / np.intp(losses.size))
        elif reduction == "sum":
            out = _sum_of(losses, axis=None, dtype=dt)
        else:
            out = losses
    finally:
        fp_errors_restore(token)
    result = _make(np.asarray(out))
    if _grad_state.enabled and (input._requires_grad or target._requires_grad):
        _record_pointwise_loss("MseLossBackward0", _mse_loss_backward, input, target, result,
                               _mse_input_grad, reduction, losses.size)
    return result


def _mse_loss_backward(ctx, grad):
    x, y = ctx.saved_tensors
    xd, yd, g = x._data, y._data, grad._data
    dt = g.dtype
    if (_grad_state.enabled or (dt is not _F32 and dt is not _F64) or xd.dtype is not dt
            or yd.dtype is not dt or xd.shape != yd.shape or g.shape != xd.shape and g.ndim):
        return _pointwise_loss_backward(ctx, grad)
    # No graph to record (backward without create_graph), one shape and dtype: the NumPy
    # calls of _mse_input_grad's ember ops (2 norm * (x - y) * grad), on the arrays.
    token = fp_errors_off()         # (inf - inf, overflow: nan and inf, silently)
    try:
        g = np.multiply(xd - yd, dt.type(2 * _reduction_norm(ctx))) * g
    finally:
        fp_errors_restore(token)
    needs = ctx.needs_input_grad
    return (_make(g) if needs[0] else None), (_make(np.negative(g)) if needs[1] else None)


def huber_loss(input, target, reduction="mean", delta=1.0):
    """0.5 d^2 where |d| < delta, else delta (|d| - delta/2); d = x - y."""
    _check_reduction(reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    # torch's huber kernel computes in the common dtype and writes into a tensor of the
    # input's dtype (float16 input, float32 target: float16 losses), so that cast must
    # be allowed (not float -> int, nor int -> bool)
    common = _dtypes.result_type(input, target) if isinstance(target, Tensor) else None
    if common is not None and not _dtypes.can_cast(common, input.dtype):
        raise RuntimeError(f"result type {_type_name(common)} can't be cast to the desired "
                           f"output type {_type_name(input.dtype)}")
    x, y, _ = _loss_arrays(input, target, "huber_cpu")
    token = fp_errors_off()         # inf - inf, overflow: nan and inf, silently
    try:
        d = x - y
        a = np.abs(d)
        losses = np.where(a < delta, 0.5 * d * d, delta * (a - 0.5 * delta)).astype(
            input._data.dtype)
    finally:
        fp_errors_restore(token)

    def input_grad(d, grad, norm):
        # torch's kernel: -norm * delta * grad where d <= -delta, norm * delta * grad
        # where d >= delta, norm * d * grad between (and for a nan d)
        kind = d._data.dtype.type
        scale = kind(norm) * kind(delta)
        inside = mul_number(d, kind(norm)) * grad
        above = mul_number(grad, scale).where(d >= delta, inside)
        return mul_number(grad, -scale).where(d <= -delta, above)
    return _pointwise_loss("HuberLossBackward0", input, target, reduction, losses, input_grad)


def smooth_l1_loss(input, target, reduction="mean", beta=1.0):
    """0.5 d^2 / beta where |d| < beta, else |d| - beta/2 (the L1 loss when beta = 0)."""
    _check_reduction(reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    x, y, _ = _loss_arrays(input, target, "smooth_l1_cpu")
    token = fp_errors_off()         # inf - inf, overflow: nan and inf, silently
    try:
        d = x - y
        a = np.abs(d)
        if beta == 0:
            losses = a
        else:
            losses = np.where(a < beta, 0.5 * d * d / beta, a - 0.5 * beta).astype(d.dtype)
    finally:
        fp_errors_restore(token)

    def input_grad(d, grad, norm):
        # torch's kernel: -norm * grad where d <= -beta, norm * grad where d >= beta,
        # norm * (d / beta) * grad between (and for a nan d)
        kind = d._data.dtype.type
        if beta == 0:
            return mul_number(d.sign(), kind(norm)) * grad
        inside = mul_number(div_number(d, kind(beta)), kind(norm)) * grad
        above = mul_number(grad, kind(norm)).where(d >= beta, inside)
        return mul_number(grad, -kind(norm)).where(d <= -beta, above)
    return _pointwise_loss("SmoothL1LossBackward0", input, target, reduction, losses,
                           input_grad)


# ------------------------------------------- the steps of torch's composite losses
# torch's loss kernels scale by C++ numbers and zero positions with a masked_fill of a
# number: the Scalar overloads, whose nodes (MulBackward1, DivBackward1, AddBackward1,
# MaskedFillBackward0) have one edge, for the tensor. Python's operators give the Tensor
# overloads (MulBackward0 with a second, empty edge for the number). These four record
# the kernels' nodes; each takes a float tensor and keeps its dtype.
def mul_number(input, factor):
    """input * factor, torch's mul(Tensor, Scalar): a MulBackward1 node.

    >>> mul_number(ember.tensor([1.0, 2.0]), 0.5)
    tensor([0.5000, 1.0000])
    """
    x = input._data
    result = _make(np.asarray(silently(np.multiply, x, factor), dtype=x.dtype))
    node = record("MulBackward1", _mul_number_backward, (input,), result)
    if node:
        node.factor = factor
    return result


def _mul_number_backward(ctx, grad):
    return mul_number(grad, ctx.factor)


def div_number(input, divisor):
    """input / divisor, torch's div(Tensor, Scalar): a DivBackward1 node.

    >>> div_number(ember.tensor([1.0, 2.0]), 4)
    tensor([0.2500, 0.5000])
    """
    x = input._data
    result = _make(np.asarray(silently(np.true_divide, x, divisor), dtype=x.dtype))
    node = record("DivBackward1", _div_number_backward, (input,), result)
    if node:
        node.divisor = divisor
    return result


def _div_number_backward(ctx, grad):
    return div_number(grad, ctx.divisor)


def add_number(input, offset):
    """input + offset, torch's add(Tensor, Scalar): an AddBackward1 node.

    >>> add_number(ember.tensor([1.0, 2.0]), 0.5)
    tensor([1.5000, 2.5000])
    """
    x = input._data
    result = _make(np.asarray(silently(np.add, x, offset), dtype=x.dtype))
    record("AddBackward1", _add_number_backward, (input,), result)
    return result


def _add_number_backward(ctx, grad):
    return grad


def zero_masked(input, mask):
    """input with 0 where the bool ``mask`` (of input's shape) is True, torch's
    masked_fill(Tensor, Scalar) inside its kernels: a MaskedFillBackward0 node.

    >>> zero_masked(ember.tensor([1.0, 2.0]), ember.tensor([True, False]))
    tensor([0., 2.])
    """
    x = input._data
    result = _make(np.where(mask._data, x.dtype.type(0), x))
    node = record("MaskedFillBackward0", _zero_masked_backward, (input,), result)
    if node:
        node.mask = mask
    return result


def _zero_masked_backward(ctx, grad):
    return zero_masked(grad, ctx.mask)


# ----------------------------------------------------------- classification
def nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """Negative log likelihood of class indices: -weight[t] * input[n, t].

    ``input`` is (C,), (N, C) or (N, C, d1, ...) log-probabilities; ``target``
    holds class indices of shape (), (N,) or (N, d1, ...). The mean divides by
    the summed weights of the targets that are not ``ignore_index``. As in torch,
    (N, C, H, W) input takes the spatial kernel (NllLoss2DBackward0), and 3-D or
    5-D and more input takes it as (N, C, 1, -1).

    >>> nll_loss(ember.tensor([[-1.0, -2.0]]), ember.tensor([1]))
    tensor(2.)
    """
    _check_reduction(reduction)
    x, t = input._data, target._data
    if weight is None and x.ndim == 2 and t.ndim == 1 and t.dtype is _I64:
        result = _nll_rows(input, target, ignore_index, reduction)
        if result is not None:
            return result
    if x.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {x.ndim})")
    if x.ndim != 1 and x.shape[0] != (t.shape[0] if t.ndim else 0):
        raise ValueError(f"Expected input batch_size ({x.shape[0]}) to match target "
                         f"batch_size ({t.shape[0] if t.ndim else 0}).")
    if x.ndim <= 2:
        return _nll_loss_rows(input, target, weight, ignore_index, reduction)
    if x.ndim == 4:
        return _nll_loss2d(input, target, weight, ignore_index, reduction)
    if t.shape[1:] != x.shape[2:]:
        raise RuntimeError(f"Expected target size {[x.shape[0], *x.shape[2:]]}, got "
                           f"{list(t.shape)}")
    n, c = x.shape[:2]
    losses = _nll_loss2d(input.contiguous().reshape(n, c, 1, -1), target.reshape(n, 1, -1),
                         weight, ignore_index, reduction)
    return losses.view(t.shape) if reduction == "none" else losses


def _check_weight_grad(weight, kernel):
    if weight is not None and weight._requires_grad and _grad_state.enabled:
        raise RuntimeError(f"The function '{kernel}' is not differentiable with respect to "
                           f"argument 'weight'. This input cannot have requires_grad True.")


def _check_target_dtype(target):
    if target._data.dtype not in (_I64, np.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                           f"{_type_name(target.dtype)}")


def _nll_loss_rows(input, target, weight, ignore_index, reduction):
    """nll_loss of (C,) or (N, C) input: torch's nll_loss kernel, checks in its order."""
    x, t = input._data, target._data
    _check_weight_grad(weight, "nll_loss_forward")
    if t.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    _check_target_dtype(target)
    if x.ndim == 1 and t.ndim == 1 and t.shape[0] != 1:
        raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: "
                         f"{t.shape[0]}")
    n_classes = x.shape[-1]
    if weight is not None and (weight._data.ndim != 1 or weight._data.shape[0] != n_classes):
        raise RuntimeError(f"weight tensor should be defined either for all {n_classes} classes "
                           f"or no classes but got weight tensor of shape: "
                           f"{list(weight._data.shape)}")
    _require_float(input, "nll_loss_out_frame")
    _check_weight_dtype(input, weight)
    moved = x.reshape(1, -1) if x.ndim == 1 else x
    return _nll_forward("NllLossBackward0", input, moved, t.reshape(moved.shape[0]), weight,
                        ignore_index, reduction, t.shape)


def _nll_loss2d(input, target, weight, ignore_index, reduction):
    """nll_loss of (N, C, H, W) input: torch's nll_loss2d kernel, checks in its order."""
    x, t = input._data, target._data
    _check_weight_grad(weight, "nll_loss2d_forward")
    if t.ndim != 3:
        raise RuntimeError(f"only batches of spatial targets supported (3D tensors) but got "
                           f"targets of dimension: {t.ndim}")
    _check_target_dtype(target)
    if weight is not None and weight._data.size != x.shape[1]:
        raise RuntimeError("weight tensor should be defined either for all or no classes")
    if x.shape[0] != t.shape[0] or x.shape[2:] != t.shape[1:]:
        raise RuntimeError(f"size mismatch (got input: {list(x.shape)} , target: "
                           f"{list(t.shape)}")
    _require_float(input, "nll_loss2d_forward_out_frame")
    _check_weight_dtype(input, weight)
    if t.dtype is not _I64:         # (this kernel reads its targets as int64 only)
        raise RuntimeError(f"expected scalar type Long but found {_type_name(target.dtype)}")
    return _nll_forward("NllLoss2DBackward0", input, np.moveaxis(x, 1, -1), t, weight,
                        ignore_index, reduction, t.shape)


def _nll_forward(name, input, moved, tt, weight, ignore_index, reduction, out_shape):
    """The loss of ``moved`` (input with its classes last) at the checked targets ``tt``
    (its shape without the classes), and its node ``name``."""
    dt = moved.dtype
    n_classes = moved.shape[-1]
    tt = tt.astype(np.int64, copy=False)
    valid = tt != ignore_index
    bad = valid & ((tt < 0) | (tt >= n_classes))
    if np.any(bad):
        raise IndexError(f"Target {tt[bad].flat[0]} is out of bounds.")
    safe = np.where(valid, tt, 0)
    w = weight._data.reshape(-1) if weight is not None else np.ones(n_classes, dtype=dt)
    if n_classes:
        w_t = np.where(valid, w[safe], 0).astype(dt)
        picked = np.take_along_axis(moved, safe[..., None], -1)[..., 0]
    else:       # (every target is then ignore_index: nothing to pick)
        w_t = picked = np.zeros(tt.shape, dt)
    with np.errstate(invalid="ignore", over="ignore"):
        # (an ignored target's 0 weight times an inf input: nan, masked out below;
        # a real one is torch's nan, or its inf past the dtype's range, silently)
        losses = np.where(valid, -w_t * picked, 0).astype(dt)
    total_weight = np.sum(w_t, dtype=dt)
    if reduction == "none":
        out = losses.reshape(out_shape)
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.sum(losses, dtype=dt)
            if reduction == "mean":
                out = out / total_weight
    result = _make(np.asarray(out, dtype=dt))
    # (torch differentiates nll_loss in its input alone: one edge, like its node)
    node = record(name, _nll_loss_backward, (input,), result)
    if node:
        # d loss / d input is constant: -w[t] at the target class, 0 elsewhere.
        coef = np.zeros_like(moved)
        if n_classes:
            with np.errstate(invalid="ignore", divide="ignore"):
                scale = -w_t / total_weight if reduction == "mean" else -w_t
                np.put_along_axis(coef, safe[..., None], np.asarray(scale, dt)[..., None], -1)
            coef = np.where(valid[..., None], coef, 0).astype(dt)
        node.coef = _make(coef)
        node.reduction = reduction
        node.input_ndim = input._data.ndim
    return result


def _check_weight_dtype(input, weight):
    """torch's kernels read the class weights in the input's own type, without a cast."""
    if weight is not None and weight.dtype is not input.dtype:
        raise RuntimeError(f"expected scalar type {_type_name(input.dtype)} but found "
                           f"{_type_name(weight.dtype)}")


# nll_loss of a batch of rows whose targets are all real classes, without class
# weights: the loss of every classifier's training step. Anything else, every error
# included, takes the full path, whose result, node and saved coef this reproduces.
_MAX_EXACT_COUNT = 1 << 24      # float32 counts the unit weights exactly up to here


def _nll_rows(input, target, ignore_index, reduction):
    """nll_loss of (N, C) float rows and (N,) int64 targets, unweighted; None to fall
    through. With every target in [0, C) and ignore_index outside it, the full path's
    masks are all True, its weights all 1 and its total weight N."""
    x, t = input._data, target._data
    dt = x.dtype
    n, n_classes = x.shape
    if ((dt is not _F32 and dt is not _F64) or t.shape[0] != n
            or not 0 < n <= _MAX_EXACT_COUNT or not x.flags.c_contiguous
            or 0 <= ignore_index < n_classes or _min_of(t) < 0):
        return None
    rows = np.arange(n)
    try:
        picked = x[rows, t]
    except IndexError:          # a target >= C: the full path words the error
        return None
    # picked * -1.0 rather than -picked: the full path's -w[t] * picked, down to the
    # sign of a nan (a product keeps the nan operand's sign, negation flips it)
    losses = picked * -1.0
    if reduction == "none":
        out = losses
    else:
        token = fp_errors_off()     # (losses of inf and -inf sum to nan, silently)
        try:
            out = _sum_of(losses, axis=None, dtype=dt)
        finally:
            fp_errors_restore(token)
        if reduction == "mean":
            out = out / dt.type(n)
    result = _make(np.asarray(out))
    if input._requires_grad and _grad_state.enabled:     # (record's own test)
        node = record("NllLossBackward0", _nll_loss_backward, (input,), result)
        coef = np.zeros(x.shape, dt)     # (C-ordered, as zeros_like gives for x)
        coef[rows, t] = dt.type(-1) / dt.type(n) if reduction == "mean" else -1.0
        node.coef = _make(coef)
        node.reduction = reduction
        node.input_ndim = 2
    return result


def _nll_loss_backward(ctx, grad):
    coef = ctx.coef
    if ctx.input_ndim == 2 and not _grad_state.enabled:
        # No graph to record: the product below on the arrays (movedim(-1, 1) of a
        # matrix is the matrix itself).
        g = grad._data
        if ctx.reduction == "none":
            g = g.reshape(-1, 1)
        return _make(coef._data * g)
    if ctx.reduction == "none":
        g = coef * grad.reshape(coef.shape[:-1]).unsqueeze(-1)
    else:
        g = coef * grad
    if ctx.input_ndim == 1:
        g = g.reshape(ctx.input_meta[0][0])
    else:
        g = g.movedim(-1, 1)
    return g


def one_hot(tensor, num_classes=-1):
    """Class indices to one-hot rows: an int64 tensor with a trailing dim of size C.

    >>> one_hot(ember.tensor([0, 2]))
    tensor([[1, 0, 0],
            [0, 0, 1]])
    """
    t = tensor._data
    if t.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if t.size == 0 and num_classes <= 0:       # (torch: 0 classes is refused here too)
        raise RuntimeError("Can not infer total number of classes from empty tensor.")
    if num_classes == -1:
        num_classes = int(t.max()) + 1
    if t.size and t.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if t.size and t.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    out = (t[..., None] == np.arange(num_classes)).astype(np.int64)
    return _make(out)


def _is_int(x):
    """An int as torch's parser takes one (a NumPy integer, a 0-dim integer tensor), no bool."""
    return not isinstance(x, (bool, np.bool_)) and hasattr(type(x), "__index__")


def _softmax_method(fn):
    """``x.softmax(dim)`` (and log_softmax, and F.softmax, which calls it): fn, with
    torch's error for a dim that is no int counting it as position 1."""
    def method(self, dim, dtype=None):
        try:
            return fn(self, dim, dtype)
        except TypeError:
            if not _is_int(dim):
                raise wrong_type(fn.__name__, "dim", 1, "int", dim) from None
            raise
    method.__name__ = method.__qualname__ = fn.__name__
    method.__doc__ = fn.__doc__
    return method


softmax_method, log_softmax_method = _softmax_method(softmax), _softmax_method(log_softmax)
bind(softmax=softmax_method, log_softmax=log_softmax_method)


# ------------------------------------------------- more pointwise activations
# torch's pointwise activation kernels: a forward over the arrays (float16 computed in
# float32 and rounded once, as torch's CPU kernels do), and one node whose backward is
# written with ember ops on the saved input (or, for an in-place kernel, the saved
# result: the input is overwritten), so that create_graph works.
def _pointwise_activation(name, input, forward, backward, kernel, save_result=False,
                          copy_input=False, **attrs):
    """Run ``forward(array)`` on input's data and record ``name``, whose backward is
    ``backward(ctx, saved, grad)`` with ``saved`` the input, or the result when
    ``save_result``, or a copy of the input when ``copy_input`` (an in-place call that
    overwrites it; the copy is a constant to a second-order graph); ``attrs`` are kept
    on the node."""
    _require_float(input, kernel)
    x = input._data
    token = fp_errors_off()         # inf and nan inputs: torch's inf and nan, silently
    try:
        out = forward(x.astype(np.float32) if x.dtype is _F16 else x)
        result = _make(np.asarray(out, dtype=x.dtype))
    finally:
        fp_errors_restore(token)
    node = record(name, _pointwise_activation_backward, (input,), result)
    if node:
        saved = result if save_result else input
        if copy_input:
            saved = _make(x.copy())
        node.save_for_backward(saved)
        node.grad_of = backward
        for key, value in attrs.items():
            setattr(node, key, value)
    return result


def _pointwise_activation_backward(ctx, grad):
    (saved,) = ctx.saved_tensors
    return ctx.grad_of(ctx, saved, grad)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def elu(input, alpha=1.0, scale=1.0, input_scale=1.0, inplace=False, name="Elu",
        kernel="elu_cpu"):
    """scale * x for x > 0, scale * alpha * (exp(input_scale * x) - 1) otherwise: the
    kernel behind elu, selu and celu.

    >>> elu(ember.tensor([-1.0, 1.0]))
    tensor([-0.6321,  1.0000])
    """
    def forward(x):
        return np.where(x <= 0, np.expm1(x * input_scale) * (alpha * scale), x * scale)
    return _pointwise_activation(f"{name}Backward{1 if inplace else 0}", input, forward,
                                 _elu_backward, kernel, save_result=inplace, alpha=alpha,
                                 scale=scale, input_scale=input_scale, is_result=inplace)


def _elu_backward(ctx, saved, grad):
    if ctx.is_result:
        if ctx.alpha < 0:
            raise RuntimeError(
                "In-place elu backward calculation is triggered with a negative slope which "
                "is not supported. This is caused by calling in-place forward function with "
                "a negative slope, please call out-of-place version instead.")
        # the result y = scale alpha (exp(s x) - 1) gives the slope s (y + scale alpha)
        negative = (saved + ctx.alpha * ctx.scale) * ctx.input_scale
    else:
        negative = (saved * ctx.input_scale).exp() * (ctx.input_scale * ctx.alpha * ctx.scale)
    return (grad * negative).where(saved <= 0, grad * ctx.scale)


def silu(input, inplace=False):
    """x * sigmoid(x).

    >>> silu(ember.tensor([0.0, 1.0]))
    tensor([0.0000, 0.7311])
    """
    return _pointwise_activation("SiluBackward0", input, lambda x: x / (1 + np.exp(-x)),
                                 _silu_backward, "silu_cpu", copy_input=inplace)


def _silu_backward(ctx, x, grad):
    s = x.sigmoid()
    return grad * (s * (1 + x * (1 - s)))


def _softplus_array(x, beta=1.0, threshold=20.0):
    bx = x * beta
    return np.where(bx > threshold, x, np.log1p(np.exp(bx)) / beta)


def mish(input, inplace=False):
    """x * tanh(softplus(x)).

    >>> mish(ember.tensor([0.0, 1.0]))
    tensor([0.0000, 0.8651])
    """
    return _pointwise_activation("MishBackward0", input,
                                 lambda x: x * np.tanh(_softplus_array(x)),
                                 _mish_backward, "mish_cpu", copy_input=inplace)


def _mish_backward(ctx, x, grad):
    t = softplus(x).tanh()
    return grad * (t + x * x.sigmoid() * (1 - t * t))


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta x)) / beta, and x itself where beta x > threshold.

    >>> softplus(ember.tensor([0.0, 30.0]))
    tensor([ 0.6931, 30.0000])
    """
    return _pointwise_activation("SoftplusBackward0", input,
                                 lambda x: _softplus_array(x, beta, threshold),
                                 _softplus_backward, "softplus_cpu", beta=beta,
                                 threshold=threshold)


def _softplus_backward(ctx, x, grad):
    z = (x * ctx.beta).exp()
    return grad.where(x * ctx.beta > ctx.threshold, grad * z / (z + 1))


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """x clamped to [min_val, max_val]; an integer input stays integer (no graph).

    >>> hardtanh(ember.tensor([-2.0, 0.5, 2.0]))
    tensor([-1.0000,  0.5000,  1.0000])
    """
    x = input._data
    if x.dtype.kind != "f":
        # (torch clamps integers with the bounds cast to the integer type)
        if x.dtype.kind == "b":
            raise RuntimeError("\"hardtanh_cpu\" not implemented for 'Bool'")
        return _make(np.clip(x, x.dtype.type(int(min_val)), x.dtype.type(int(max_val))))
    return _pointwise_activation(
        "HardtanhBackward0", input,
        lambda a: np.where(a < min_val, a.dtype.type(min_val),
                           np.where(a > max_val, a.dtype.type(max_val), a)),
        _hardtanh_backward, "hardtanh_cpu", save_result=inplace, min_val=min_val, max_val=max_val)


def _hardtanh_backward(ctx, x, grad):
    return (grad * 0).where((x <= ctx.min_val) | (x >= ctx.max_val), grad)


def hardsigmoid(input, inplace=False):
    """min(max(x + 3, 0), 6) / 6.

    >>> hardsigmoid(ember.tensor([-4.0, 0.0, 4.0]))
    tensor([0.0000, 0.5000, 1.0000])
    """
    return _pointwise_activation("HardsigmoidBackward0", input,
                                 lambda x: np.clip(x + 3, 0, 6) / 6,
                                 _hardsigmoid_backward, "hardsigmoid_cpu", copy_input=inplace)


_ONE_SIXTH_F32 = float(np.float32(1.0 / 6.0))   # torch's kernel: a float constant, any dtype


def _hardsigmoid_backward(ctx, x, grad):
    return (grad * _ONE_SIXTH_F32).where((x > -3) & (x < 3), grad * 0)


def hardswish(input, inplace=False):
    """x * min(max(x + 3, 0), 6) / 6.

    >>> hardswish(ember.tensor([-4.0, 1.0, 4.0]))
    tensor([-0.0000,  0.6667,  4.0000])
    """
    return _pointwise_activation("HardswishBackward0", input,
                                 lambda x: x * np.clip(x + 3, 0, 6) / 6,
                                 _hardswish_backward, "hardswish_cpu", copy_input=inplace)


def _hardswish_backward(ctx, x, grad):
    middle = grad * (x / 3 + 0.5)
    return (grad * 0).where(x < -3, middle.where(x <= 3, grad))


def logsigmoid(input):
    """log(sigmoid(x)), computed as min(x, 0) - log1p(exp(-|x|)) (never log 0).

    >>> logsigmoid(ember.tensor([0.0]))
    tensor([-0.6931])
    """
    return _pointwise_activation("LogSigmoidBackward0", input,
                                 lambda x: np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x))),
                                 _logsigmoid_backward, "log_sigmoid_cpu")


def _logsigmoid_backward(ctx, x, grad):
    return grad * (-x).sigmoid()


def softshrink(input, lambd=0.5):
    """x - lambd above lambd, x + lambd below -lambd, 0 between.

    >>> softshrink(ember.tensor([-1.0, 0.2, 1.0]))
    tensor([-0.5000,  0.0000,  0.5000])
    """
    _require_float(input, "softshrink_check")
    if lambd < 0:
        limit = {_F16: "65504", _F64: "1.79769e+308"}.get(input._data.dtype, "3.40282e+38")
        raise RuntimeError(f"lambda must be in range [0, {limit}] for input dtype "
                           f"{_type_name(input.dtype)}, but found {lambd:g}")
    return _pointwise_activation(
        "SoftshrinkBackward0", input,
        lambda x: np.where(x > lambd, x - lambd, np.where(x < -lambd, x + lambd, 0 * x)),
        _shrink_backward, "softshrink_cpu", lambd=lambd)


def _shrink_backward(ctx, x, grad):
    return (grad * 0).where((x >= -ctx.lambd) & (x <= ctx.lambd), grad)


def hardshrink(input, lambd=0.5):
    """x where |x| > lambd, else 0.

    >>> hardshrink(ember.tensor([-1.0, 0.2, 1.0]))
    tensor([-1.,  0.,  1.])
    """
    return _pointwise_activation(
        "HardshrinkBackward0", input,
        lambda x: np.where((x >= -lambd) & (x <= lambd), 0 * x, x),
        _shrink_backward, "hardshrink_cpu", lambd=lambd)


def threshold(input, threshold, value, inplace=False):
    """value where x <= threshold, else x (any real dtype, as in torch).

    >>> threshold(ember.tensor([0.5, 2.0]), 1.0, -1.0)
    tensor([-1.,  2.])
    """
    x = input._data
    if x.dtype.kind != "f":
        if x.dtype.kind == "b":
            raise RuntimeError("\"threshold_cpu\" not implemented for 'Bool'")
        return _make(np.where(x <= threshold, x.dtype.type(value), x))
    return _pointwise_activation(
        f"ThresholdBackward{1 if inplace else 0}", input,
        lambda a: np.where(a <= threshold, a.dtype.type(value), a),
        _threshold_backward, "threshold_cpu", copy_input=inplace, threshold=threshold)


def _threshold_backward(ctx, x, grad):
    return (grad * 0).where(x <= ctx.threshold, grad)


def glu(input, dim=-1):
    """a * sigmoid(b), with a and b the two halves of input along ``dim``.

    >>> glu(ember.tensor([1.0, 0.0]))
    tensor([0.5000])
    """
    x = input._data
    axis = wrap_dim(dim, x.ndim)
    if x.shape[axis] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {axis} is size "
                           f"{x.shape[axis]}")

    def forward(a):
        first, second = np.split(a, 2, axis=axis)
        return first / (1 + np.exp(-second))
    return _pointwise_activation("GluBackward0", input, forward, _glu_backward, "glu_cpu",
                                 dim=axis)


def _glu_backward(ctx, x, grad):
    first, second = x.chunk(2, ctx.dim)
    s = second.sigmoid()
    from .shape import cat
    return cat([grad * s, grad * first * s * (1 - s)], ctx.dim)


def prelu(input, weight):
    """x where x > 0, weight * x otherwise; weight holds 1 slope or one per channel
    (dim 1 of input).

    >>> prelu(ember.tensor([-1.0, 1.0]), ember.tensor([0.25]))
    tensor([-0.2500,  1.0000])
    """
    x, w = input._data, weight._data
    if x.dtype != w.dtype:
        raise RuntimeError(f"prelu: Type promoting not supported. Got "
                           f"{_type_name(input.dtype)} and {_type_name(weight.dtype)}")
    _require_float(input, "prelu_cpu")
    channels = x.shape[1] if x.ndim >= 2 else 1
    if w.size != 1:
        if x.ndim == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        if w.size != channels:
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found "
                               f"parameter numbers = {w.size} and channel size = {channels}.")
    if w.ndim > 1:
        raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: "
                           f"ndim = {w.ndim}")
    shape = [1] * x.ndim
    if x.ndim >= 2:
        shape[1] = w.size
    slopes = w.reshape(shape) if w.size != 1 else w.reshape(())
    token = fp_errors_off()
    try:
        out = np.where(x > 0, x, x * slopes).astype(x.dtype)
    finally:
        fp_errors_restore(token)
    result = _make(out)
    node = record("PreluKernelBackward0", _prelu_backward, (input, weight), result)
    if node:
        node.save_for_backward(input, weight)
        node.slope_shape = shape if w.size != 1 else []
    return result


def _prelu_backward(ctx, grad):
    x, w = ctx.saved_tensors
    slopes = w.reshape(ctx.slope_shape)
    positive = x > 0
    gx = grad.where(positive, grad * slopes) if ctx.needs_input_grad[0] else None
    gw = None
    if ctx.needs_input_grad[1]:
        per_element = (grad * 0).where(positive, grad * x)
        gw = unbroadcast(per_element, tuple(ctx.slope_shape)).reshape(w.shape)
    return gx, gw


# ------------------------------------------------------ binary classification
_LOG_FLOOR = -100.0     # torch clamps the logs of binary_cross_entropy here (log 0 = -inf)
_BCE_EPS = 1e-12        # and the denominator of its gradient here


def binary_cross_entropy(input, target, weight=None, reduction="mean"):
    """-w (t log(x) + (1 - t) log(1 - x)), the logs clamped at -100; input and target
    of one shape (checked by the caller), weight expanded to it by the caller.

    >>> binary_cross_entropy(ember.tensor([0.5]), ember.tensor([1.0]))
    tensor(0.6931)
    """
    _check_reduction(reduction)
    x, t = input._data, target._data
    _require_float(input, "binary_cross_entropy")
    if t.dtype != x.dtype:
        raise RuntimeError(f"Found dtype {_type_name(target.dtype)} but expected "
                           f"{_type_name(input.dtype)}")
    if weight is not None and weight.shape != input.shape:
        from .pointwise import _output_shape_error
        raise _output_shape_error(input, weight)
    if not np.all((x >= 0) & (x <= 1)):     # (written so that nan fails too, as in torch)
        raise RuntimeError("all elements of input should be between 0 and 1")
    dt = x.dtype
    token = fp_errors_off()         # log(0) = -inf, clamped below
    try:
        log_x = np.maximum(np.log(x), _LOG_FLOOR)
        log_1mx = np.maximum(np.log1p(-x), _LOG_FLOOR)
        losses = (t - 1) * log_1mx - t * log_x
        if weight is not None:
            losses = losses * weight._data
        losses = np.asarray(losses, dtype=dt)
    finally:
        fp_errors_restore(token)
    result = _make(np.asarray(_reduce_array(losses, reduction), dtype=dt))
    node = record("BinaryCrossEntropyBackward0", _bce_backward, (input, target), result)
    if node:
        node.save_for_backward(input, target)
        node.weight = weight
        node.reduction = reduction
        node.count = losses.size
    return result


def _weighted_scale(ctx, grad):
    """What the binary cross-entropies' gradients are multiplied by: the incoming
    gradient, times 1/n for a mean, times the elements' weight if one was given."""
    norm = _reduction_norm(ctx)
    scale = grad * norm if norm != 1.0 else grad
    return scale * ctx.weight if ctx.weight is not None else scale


def _bce_backward(ctx, grad):
    x, t = ctx.saved_tensors
    scale = _weighted_scale(ctx, grad)
    gx = gt = None
    if ctx.needs_input_grad[0]:
        gx = scale * (x - t) / ((1 - x) * x).clamp_min(_BCE_EPS)
    if ctx.needs_input_grad[1]:
        # (torch's target gradient leaves its logs unclamped: +-inf at x = 0 or 1)
        gt = scale * ((-x).log1p() - x.log())
    return gx, gt


def binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None,
                                     reduction="mean"):
    """binary_cross_entropy(sigmoid(x), t) computed stably from the logits x:
    (1 - t) x + lw (log1p(exp(-|x|)) + max(-x, 0)), lw = 1 + (pos_weight - 1) t.

    >>> binary_cross_entropy_with_logits(ember.tensor([0.0]), ember.tensor([1.0]))
    tensor(0.6931)
    """
    _check_reduction(reduction)
    x, t = input._data, target._data
    _require_float(input, "binary_cross_entropy_with_logits")
    arrays = [x, t] + [w._data for w in (weight, pos_weight) if w is not None]
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        from .pointwise import _broadcast_error
        other = weight if weight is not None and weight.shape != input.shape else pos_weight
        raise _broadcast_error(input if other is None else other, input) from None
    if shape != x.shape:
        from .pointwise import _output_shape_error
        raise _output_shape_error(input, _make(np.empty(shape, x.dtype)))
    # torch computes the loss in place into 1 - target: the target's dtype, even below
    # the input's (an integer target cannot hold it; a bool one cannot be subtracted)
    if t.dtype.kind == "b":     # (torch's 1 - target reads the 1 as a bool too)
        from .pointwise import _check_sub_operands
        _check_sub_operands(target, target)
    if t.dtype.kind != "f":
        raise RuntimeError(f"result type {_type_name(input.dtype)} can't be cast to the "
                           f"desired output type {_type_name(target.dtype)}")
    dt = t.dtype
    token = fp_errors_off()
    try:
        softplus_neg = np.log1p(np.exp(-np.abs(x))) + np.maximum(-x, 0)     # -logsigmoid(x)
        if pos_weight is not None:
            softplus_neg = (1 + (pos_weight._data - 1) * t) * softplus_neg
        losses = (1 - t) * x + softplus_neg
        if weight is not None:
            losses = losses * weight._data
        losses = np.asarray(losses, dtype=dt)
    finally:
        fp_errors_restore(token)
    result = _make(np.asarray(_reduce_array(losses, reduction), dtype=dt))
    node = record("BinaryCrossEntropyWithLogitsBackward0", _bce_logits_backward,
                  (input, target), result)
    if node:
        node.save_for_backward(input, target)
        node.weight, node.pos_weight = weight, pos_weight
        node.reduction = reduction
        node.count = losses.size
    return result


def _bce_logits_backward(ctx, grad):
    x, t = ctx.saved_tensors
    scale = _weighted_scale(ctx, grad)
    gx = gt = None
    pw = ctx.pos_weight
    if ctx.needs_input_grad[0]:
        if pw is None:
            gx = scale * (x.sigmoid() - t)
        else:
            log_weight = (pw - 1) * t + 1
            gx = scale * ((1 - t) - log_weight * (-x).sigmoid())
    if ctx.needs_input_grad[1]:
        if pw is None:
            gt = scale * -x
        else:
            gt = scale * ((pw - 1) * -logsigmoid(x) - x)
    return (unbroadcast(gx, ctx.input_meta[0][0]) if gx is not None else None,
            unbroadcast(gt, ctx.input_meta[1][0]) if gt is not None else None)
