"""Elementwise ops: arithmetic, maths functions, comparisons, logic.

Each differentiable op is a forward over arrays plus a backward over gradient
tensors, side by side::

    def mul(input, other):                       # forward
        out = _binary(np.multiply, input, other, "mul")
        node = record("MulBackward0", _mul_backward, (input, other), out)
        if node:
            node.save_for_backward(input, other)
        return out

    def _mul_backward(ctx, grad):                # d(a*b) = b da + a db
        a, b = ctx.saved_tensors
        return _grad_for(ctx, 0, grad * b), _grad_for(ctx, 1, grad * a)

The one-input maths functions (exp, log, sin, ...) are listed in a table of
(NumPy function, derivative) at the end of the file instead.
"""
import numpy as np

from .. import _dtypes
from .._tensor import Tensor, _make
from ..autograd.graph import record
from ._common import binary_arrays, unbroadcast, bind, to_tensor


# ----------------------------------------------------------------- helpers
def _broadcast_error(a, b):
    sa = list(getattr(a, "shape", ()))
    sb = list(getattr(b, "shape", ()))
    for i in range(1, max(len(sa), len(sb)) + 1):
        da = sa[-i] if i <= len(sa) else 1
        db = sb[-i] if i <= len(sb) else 1
        if da != db and da != 1 and db != 1:
            return RuntimeError(
                f"The size of tensor a ({da}) must match the size of tensor b ({db}) at "
                f"non-singleton dimension {max(len(sa), len(sb)) - i}")
    return RuntimeError(f"shapes {sa} and {sb} cannot be broadcast together")


def _binary(ufunc, a, b, opname):
    """Apply a NumPy ufunc to two operands with torch's promotion and errors."""
    x, y, _ = binary_arrays(a, b, opname)
    try:
        return _make(ufunc(x, y))
    except ValueError:
        raise _broadcast_error(a, b) from None


def _grad_for(ctx, i, grad):
    """The gradient for input i, summed to its shape, or None if it needs none."""
    if not ctx.needs_input_grad[i]:
        return None
    return unbroadcast(grad, ctx.input_meta[i][0])


def _float_array(t):
    """Data of ``t`` as floating point: integer inputs of float-only ops become the
    default dtype, as torch.exp(int_tensor) gives float32."""
    d = t._data
    return d if d.dtype.kind == "f" else d.astype(_dtypes.get_default_dtype().np)


def _tensor_arg(x, opname):
    if isinstance(x, Tensor):
        return x
    raise TypeError(f"{opname}(): argument 'input' (position 1) must be Tensor, "
                    f"not {type(x).__name__}")


# ------------------------------------------------------------- arithmetic
def add(input, other, *, alpha=1, out=None):
    """input + alpha * other, broadcasting.

    >>> ember.add(ember.tensor([1, 2]), 1)
    tensor([2, 3])
    """
    if alpha != 1:
        other = mul(other, alpha) if isinstance(other, Tensor) else other * alpha
    result = _binary(np.add, input, other, "add")
    if record("AddBackward0", _add_backward, (input, other), result):
        pass
    return _maybe_out(result, out)


def _add_backward(ctx, grad):
    return _grad_for(ctx, 0, grad), _grad_for(ctx, 1, grad)


def sub(input, other, *, alpha=1, out=None):
    """input - alpha * other."""
    if _is_bool(input) and _is_bool(other):
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    if alpha != 1:
        other = mul(other, alpha) if isinstance(other, Tensor) else other * alpha
    result = _binary(np.subtract, input, other, "sub")
    name = "SubBackward0" if isinstance(input, Tensor) else "RsubBackward1"
    record(name, _sub_backward, (input, other), result)
    return _maybe_out(result, out)


def _sub_backward(ctx, grad):
    return _grad_for(ctx, 0, grad), _grad_for(ctx, 1, -grad) if ctx.needs_input_grad[1] else None


def _is_bool(x):
    return isinstance(x, Tensor) and x._data.dtype == np.bool_


def mul(input, other, *, out=None):
    """Elementwise (Hadamard) product."""
    result = _binary(np.multiply, input, other, "mul")
    node = record("MulBackward0", _mul_backward, (input, other), result)
    if node:
        node.save_for_backward(input, other)
    return _maybe_out(result, out)


def _mul_backward(ctx, grad):
    a, b = ctx.saved_tensors
    ga = _grad_for(ctx, 0, grad * b) if ctx.needs_input_grad[0] else None
    gb = _grad_for(ctx, 1, grad * a) if ctx.needs_input_grad[1] else None
    return ga, gb


def div(input, other, *, rounding_mode=None, out=None):
    """True division (ints give floats), or rounded with rounding_mode 'trunc'/'floor'."""
    if rounding_mode is not None:
        return _maybe_out(_rounded_div(input, other, rounding_mode), out)
    x, y, dt = binary_arrays(input, other, "div")
    if dt.kind not in "f":
        fdt = _dtypes.get_default_dtype().np
        x = x.astype(fdt) if isinstance(x, np.ndarray) else x
        y = y.astype(fdt) if isinstance(y, np.ndarray) else y
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            result = _make(np.true_divide(x, y))
    except ValueError:
        raise _broadcast_error(input, other) from None
    if isinstance(result._data, np.ndarray) and result._data.dtype != (
            dt if dt.kind == "f" else _dtypes.get_default_dtype().np):
        result = _make(result._data.astype(dt if dt.kind == "f" else
                                           _dtypes.get_default_dtype().np))
    node = record("DivBackward0", _div_backward, (input, other), result)
    if node:
        node.save_for_backward(input, other)
    return _maybe_out(result, out)


def _div_backward(ctx, grad):
    a, b = ctx.saved_tensors
    ga = _grad_for(ctx, 0, grad / b) if ctx.needs_input_grad[0] else None
    gb = _grad_for(ctx, 1, -grad * a / (b * b)) if ctx.needs_input_grad[1] else None
    return ga, gb


def _rounded_div(input, other, mode):
    if mode not in ("trunc", "floor"):
        raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                           f"but found '{mode}'")
    x, y, dt = binary_arrays(input, other, "div")
    if dt.kind in "iub":
        if np.any(np.asarray(y) == 0):
            raise RuntimeError("ZeroDivisionError")
        if mode == "floor":
            data = np.floor_divide(x, y)
        else:
            q = np.floor_divide(x, y)
            data = q + ((q < 0) & (q * y != x))     # round toward zero
            data = data.astype(dt) if hasattr(data, "astype") else data
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            q = np.true_divide(x, y)
            data = np.trunc(q) if mode == "trunc" else np.floor(q)
    result = _make(np.asarray(data, dtype=dt))
    record("DivBackward2", _zero_backward, (input, other), result)
    return result


def _zero_backward(ctx, grad):
    """Backward of piecewise-constant ops (floor, round, sign, ...): zero gradient."""
    return tuple(_grad_for(ctx, i, grad * 0) for i in range(len(ctx.needs_input_grad)))


def true_divide(input, other, *, out=None):
    return div(input, other, out=out)


def floor_divide(input, other, *, out=None):
    return div(input, other, rounding_mode="floor", out=out)


def remainder(input, other, *, out=None):
    """Python-style modulus: the result has the sign of the divisor."""
    x, y, dt = binary_arrays(input, other, "remainder")
    if dt.kind in "iu" and np.any(np.asarray(y) == 0):
        raise RuntimeError("ZeroDivisionError")
    with np.errstate(divide="ignore", invalid="ignore"):
        result = _make(np.asarray(np.mod(x, y), dtype=dt))
    name = "RemainderBackward1" if isinstance(other, Tensor) else "RemainderBackward0"
    node = record(name, _remainder_backward, (input, other), result)
    if node:
        node.save_for_backward(input, other)
    return _maybe_out(result, out)


def _remainder_backward(ctx, grad):
    a, b = ctx.saved_tensors
    ga = _grad_for(ctx, 0, grad)
    gb = _grad_for(ctx, 1, -grad * floor_divide(a, b)) if ctx.needs_input_grad[1] else None
    return ga, gb


def fmod(input, other, *, out=None):
    """C-style modulus: the result has the sign of the dividend."""
    x, y, dt = binary_arrays(input, other, "fmod")
    with np.errstate(divide="ignore", invalid="ignore"):
        result = _make(np.asarray(np.fmod(x, y), dtype=dt))
    record("FmodBackward0", _add_backward, (input, None), result)
    return _maybe_out(result, out)


def pow(input, exponent, *, out=None):
    """input ** exponent, elementwise; either may be a Python number."""
    x, y, dt = binary_arrays(input, exponent, "pow")
    if dt.kind in "iu" and np.any(np.asarray(y) < 0):
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            data = np.power(x, y)
    except ValueError:
        raise _broadcast_error(input, exponent) from None
    result = _make(np.asarray(data, dtype=dt))
    if not isinstance(input, Tensor):
        name = "PowBackward2"
    else:
        name = "PowBackward1" if isinstance(exponent, Tensor) else "PowBackward0"
    node = record(name, _pow_backward, (input, exponent), result)
    if node:
        node.save_for_backward(input, exponent, result)
    return _maybe_out(result, out)


def _pow_backward(ctx, grad):
    a, b, out = ctx.saved_tensors
    ga = gb = None
    if ctx.needs_input_grad[0]:
        if isinstance(b, Tensor):
            ga = _grad_for(ctx, 0, grad * b * a ** (b - 1))
        else:
            ga = grad * b * a ** (b - 1) if b != 0 else grad * 0
    if ctx.needs_input_grad[1]:
        # d/db a^b = a^b log a; torch takes 0 where a == 0 and b >= 0.
        log_a = log(a) if isinstance(a, Tensor) else np.log(a) if a > 0 else float("-inf")
        local = out * log_a
        if isinstance(a, Tensor):
            local = where((a == 0) & (b >= 0), 0.0, local)
        gb = _grad_for(ctx, 1, grad * local)
    return ga, gb


def _rpow(self, other):
    return pow(other, self)


def maximum(input, other, *, out=None):
    """Elementwise maximum (NaN propagates); ties share the gradient equally."""
    return _maybe_out(_extremum(np.maximum, "MaximumBackward0", input, other, True), out)


def minimum(input, other, *, out=None):
    """Elementwise minimum (NaN propagates); ties share the gradient equally."""
    return _maybe_out(_extremum(np.minimum, "MinimumBackward0", input, other, False), out)


def _extremum(ufunc, name, a, b, is_max):
    a, b = _tensor_arg(a, name), to_tensor(b)
    result = _binary(ufunc, a, b, name)
    node = record(name, _extremum_backward, (a, b), result)
    if node:
        node.save_for_backward(a, b)
        node.is_max = is_max
    return result


def _extremum_backward(ctx, grad):
    a, b = ctx.saved_tensors
    a_wins = (a > b) if ctx.is_max else (a < b)
    tie = a == b
    share_a = where(tie, grad / 2, where(a_wins, grad, 0.0))
    share_b = where(tie, grad / 2, where(a_wins, 0.0, grad))
    return _grad_for(ctx, 0, share_a), _grad_for(ctx, 1, share_b)


def fmax(input, other):
    return _make(np.fmax(*binary_arrays(input, other, "fmax")[:2]))


def fmin(input, other):
    return _make(np.fmin(*binary_arrays(input, other, "fmin")[:2]))


def clamp(input, min=None, max=None, *, out=None):
    """Limit values to [min, max]; the gradient passes where min <= x <= max."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    lo = min._data if isinstance(min, Tensor) else min
    hi = max._data if isinstance(max, Tensor) else max
    dt = _dtypes.result_type(*(v for v in (input, min, max) if v is not None)).np
    data = input._data.astype(dt, copy=False)
    # NumPy propagates NaN through maximum/minimum, as torch.clamp does.
    if lo is not None:
        data = np.maximum(data, lo)
    if hi is not None:
        data = np.minimum(data, hi)
    data = np.asarray(data, dtype=dt)
    result = _make(data)
    tensor_bounds = isinstance(min, Tensor) or isinstance(max, Tensor)
    node = record("ClampBackward0" if tensor_bounds else "ClampBackward1", _clamp_backward,
                  (input,), result)
    if node:
        node.save_for_backward(input)
        node.bounds = (min, max)
    return _maybe_out(result, out)


def _clamp_backward(ctx, grad):
    (x,) = ctx.saved_tensors
    lo, hi = ctx.bounds
    keep = None
    if lo is not None:
        keep = x >= lo
    if hi is not None:
        keep = (x <= hi) if keep is None else keep & (x <= hi)
    return grad * keep


def clamp_min(input, min):
    return clamp(input, min=min)


def clamp_max(input, max):
    return clamp(input, max=max)


clip = clamp


def lerp(input, end, weight, *, out=None):
    """input + weight * (end - input)."""
    result = add(input, mul(weight, sub(end, input)))
    data = result._data
    result = _make(data)
    node = record("LerpBackward0" if not isinstance(weight, Tensor) else "LerpBackward1",
                  _lerp_backward, (input, end, weight), result)
    if node:
        node.save_for_backward(input, end, weight)
    return _maybe_out(result, out)


def _lerp_backward(ctx, grad):
    start, end, w = ctx.saved_tensors
    g_start = _grad_for(ctx, 0, grad * (1 - w)) if ctx.needs_input_grad[0] else None
    g_end = _grad_for(ctx, 1, grad * w) if ctx.needs_input_grad[1] else None
    g_w = _grad_for(ctx, 2, grad * (end - start)) if ctx.needs_input_grad[2] else None
    return g_start, g_end, g_w


def where(condition, input=None, other=None, *, out=None):
    """Pick from input where condition holds, else from other (broadcasting).

    ``where(condition)`` alone is ``nonzero(condition, as_tuple=True)``.
    """
    if input is None and other is None:
        return condition.nonzero(as_tuple=True)
    cond = condition._data if isinstance(condition, Tensor) else np.asarray(condition)
    if cond.dtype != np.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a "
                           f"tensor with dtype {_dtypes.FROM_NUMPY[cond.dtype].name.title()}")
    x, y, dt = binary_arrays(input, other, "where")
    try:
        result = _make(np.asarray(np.where(cond, x, y), dtype=dt))
    except ValueError:
        raise _broadcast_error(condition, input) from None
    node = record("WhereBackward0", _where_backward, (input, other), result)
    if node:
        node.cond = condition if isinstance(condition, Tensor) else _make(cond)
    return _maybe_out(result, out)


def _where_backward(ctx, grad):
    cond = ctx.cond
    ga = _grad_for(ctx, 0, where(cond, grad, 0.0)) if ctx.needs_input_grad[0] else None
    gb = _grad_for(ctx, 1, where(cond, 0.0, grad)) if ctx.needs_input_grad[1] else None
    return ga, gb


# ----------------------------------------------------------------- casts
def cast(input, dtype):
    """A copy of ``input`` in another dtype (``x.to(dtype)``): ToCopyBackward0."""
    result = _make(input._data.astype(dtype.np))
    if dtype.is_floating_point:
        record("ToCopyBackward0", _cast_backward, (input,), result)
    return result


def _cast_backward(ctx, grad):
    return grad    # the engine casts it back to the input's dtype


def clone(input, *, memory_format=None):
    """A copy with its own memory; gradients flow through it."""
    result = _make(input._data.copy())
    record("CloneBackward0", _cast_backward, (input,), result)
    return result


# ------------------------------------------------------ one-input maths
def _unary(name, np_fn, node_name, derivative, *, float_only=True, saves="input",
           precise=False):
    """Define a one-input op from its NumPy function and its derivative.

    ``derivative(x, out, grad)`` returns the input gradient, written with ember
    ops so that it can itself be differentiated.
    """
    def backward(ctx, grad):
        (saved,) = ctx.saved_tensors
        x, y = (saved, None) if saves == "input" else (None, saved)
        return derivative(x, y, grad)

    def op(input, *, out=None):
        input = _tensor_arg(input, name)
        data = _float_array(input) if float_only else input._data
        # ``precise`` functions run in float64 and round once to the input's dtype: NumPy's
        # float32 exp/log/sin kernels are 1-2 ulp off where torch's are within 1 ulp, and
        # rounding the exact value reproduces torch's bits (99% of float32 exp results,
        # against 61% for NumPy's float32 kernel), so printed digits agree.
        arg = data.astype(np.float64) if precise and data.dtype != np.float64 else data
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            result = _make(np.asarray(np_fn(arg), dtype=data.dtype))
        if derivative is not None:
            node = record(node_name, backward, (input,), result)
            if node:
                node.save_for_backward(input if saves == "input" else result)
        return _maybe_out(result, out)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Elementwise {name}; its gradient is recorded as {node_name}."
    return op


_LN2 = float(np.log(2.0))
_LN10 = float(np.log(10.0))


def _zero_like_grad(x, y, g):
    return g * 0


neg = _unary("neg", np.negative, "NegBackward0", lambda x, y, g: -g, float_only=False)
abs = _unary("abs", np.abs, "AbsBackward0", lambda x, y, g: g * sign(x), float_only=False)
sign = _unary("sign", np.sign, "SignBackward0", _zero_like_grad, float_only=False)
exp = _unary("exp", np.exp, "ExpBackward0", lambda x, y, g: g * y, saves="output", precise=True)
exp2 = _unary("exp2", np.exp2, "Exp2Backward0", lambda x, y, g: g * y * _LN2, saves="output", precise=True)
expm1 = _unary("expm1", np.expm1, "Expm1Backward0", lambda x, y, g: g * (y + 1),
               saves="output", precise=True)
log = _unary("log", np.log, "LogBackward0", lambda x, y, g: g / x, precise=True)
log1p = _unary("log1p", np.log1p, "Log1PBackward0", lambda x, y, g: g / (x + 1), precise=True)
log2 = _unary("log2", np.log2, "Log2Backward0", lambda x, y, g: g / (x * _LN2), precise=True)
log10 = _unary("log10", np.log10, "Log10Backward0", lambda x, y, g: g / (x * _LN10), precise=True)
sqrt = _unary("sqrt", np.sqrt, "SqrtBackward0", lambda x, y, g: g / (2 * y), saves="output")
rsqrt = _unary("rsqrt", lambda a: 1 / np.sqrt(a), "RsqrtBackward0",
               lambda x, y, g: -0.5 * g * y * y * y, saves="output")
reciprocal = _unary("reciprocal", np.reciprocal, "ReciprocalBackward0",
                    lambda x, y, g: -g * y * y, saves="output")
sin = _unary("sin", np.sin, "SinBackward0", lambda x, y, g: g * cos(x), precise=True)
cos = _unary("cos", np.cos, "CosBackward0", lambda x, y, g: -g * sin(x), precise=True)
tan = _unary("tan", np.tan, "TanBackward0", lambda x, y, g: g * (1 + y * y), saves="output", precise=True)
asin = _unary("asin", np.arcsin, "AsinBackward0", lambda x, y, g: g * rsqrt(1 - x * x), precise=True)
acos = _unary("acos", np.arccos, "AcosBackward0", lambda x, y, g: -g * rsqrt(1 - x * x), precise=True)
atan = _unary("atan", np.arctan, "AtanBackward0", lambda x, y, g: g / (1 + x * x), precise=True)
sinh = _unary("sinh", np.sinh, "SinhBackward0", lambda x, y, g: g * cosh(x), precise=True)
cosh = _unary("cosh", np.cosh, "CoshBackward0", lambda x, y, g: g * sinh(x), precise=True)
tanh = _unary("tanh", np.tanh, "TanhBackward0", lambda x, y, g: g * (1 - y * y),
              saves="output", precise=True)
sigmoid = _unary("sigmoid", lambda a: _sigmoid(a), "SigmoidBackward0",
                 lambda x, y, g: g * y * (1 - y), saves="output")
relu = _unary("relu", lambda a: np.maximum(a, 0, dtype=a.dtype), "ReluBackward0",
              lambda x, y, g: g * (y > 0), float_only=False, saves="output")
floor = _unary("floor", np.floor, "FloorBackward0", _zero_like_grad, float_only=False)
ceil = _unary("ceil", np.ceil, "CeilBackward0", _zero_like_grad, float_only=False)
trunc = _unary("trunc", np.trunc, "TruncBackward0", _zero_like_grad, float_only=False)
frac = _unary("frac", lambda a: a - np.trunc(a), "FracBackward0", lambda x, y, g: g)
fix = trunc
negative = neg
absolute = abs
arcsin, arccos, arctan = asin, acos, atan


def _sigmoid(a):
    # Stable for large |a|: exp of a non-positive number only.
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e)).astype(a.dtype, copy=False)


def square(input):
    """input ** 2 (recorded as PowBackward0, as in torch)."""
    if input._data.dtype == np.bool_:
        return pow(input.to(_dtypes.int64), 2)
    return pow(input, 2)


def round(input, *, decimals=0):
    """Round half to even, like torch.round."""
    result = _make(np.round(input._data, decimals))
    record("RoundBackward0" if decimals == 0 else "RoundBackward1", _zero_backward,
           (input,), result)
    return result


def sgn(input):
    return sign(input)


def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    return _make(np.nan_to_num(input._data, nan=nan, posinf=posinf, neginf=neginf))


# -------------------------------------------------- comparisons and logic
def _compare(ufunc, opname):
    def op(input, other, *, out=None):
        return _maybe_out(_binary(ufunc, input, other, opname), out)
    op.__name__ = op.__qualname__ = opname
    op.__doc__ = f"Elementwise {opname} comparison; returns a bool tensor."
    return op


eq = _compare(np.equal, "eq")
ne = _compare(np.not_equal, "ne")
lt = _compare(np.less, "lt")
le = _compare(np.less_equal, "le")
gt = _compare(np.greater, "gt")
ge = _compare(np.greater_equal, "ge")
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def _logical(ufunc, opname):
    def op(input, other, *, out=None):
        x = to_tensor(input)._data
        y = to_tensor(other)._data
        try:
            return _maybe_out(_make(ufunc(x.astype(bool, copy=False),
                                          y.astype(bool, copy=False))), out)
        except ValueError:
            raise _broadcast_error(input, other) from None
    op.__name__ = op.__qualname__ = opname
    return op


logical_and = _logical(np.logical_and, "logical_and")
logical_or = _logical(np.logical_or, "logical_or")
logical_xor = _logical(np.logical_xor, "logical_xor")


def logical_not(input, *, out=None):
    return _maybe_out(_make(np.logical_not(input._data)), out)


def _bitwise(ufunc, opname):
    def op(input, other):
        x, y, dt = binary_arrays(input, other, opname)
        if dt.kind == "f":
            raise RuntimeError(f'"{opname}_cpu" not implemented for '
                               f"'{_dtypes.FROM_NUMPY[dt].name.title()}'")
        try:
            return _make(np.asarray(ufunc(x, y), dtype=dt))
        except ValueError:
            raise _broadcast_error(input, other) from None
    op.__name__ = op.__qualname__ = opname
    return op


bitwise_and = _bitwise(np.bitwise_and, "bitwise_and")
bitwise_or = _bitwise(np.bitwise_or, "bitwise_or")
bitwise_xor = _bitwise(np.bitwise_xor, "bitwise_xor")


def bitwise_not(input):
    if input._data.dtype.kind == "f":
        raise RuntimeError("\"bitwise_not_cpu\" not implemented for "
                           f"'{input.dtype.name.title()}'")
    return _make(np.invert(input._data))


def isnan(input):
    return _make(np.isnan(input._data))


def isinf(input):
    return _make(np.isinf(input._data))


def isfinite(input):
    return _make(np.isfinite(input._data))


def isposinf(input):
    return _make(np.isposinf(input._data))


def isneginf(input):
    return _make(np.isneginf(input._data))


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    x, y, _ = binary_arrays(input, other, "isclose")
    return _make(np.isclose(x, y, rtol=rtol, atol=atol, equal_nan=equal_nan))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True if every element is close: |a - b| <= atol + rtol * |b|."""
    if input.dtype is not other.dtype:
        raise RuntimeError(f"Float did not match Double" if False else
                           f"{input.dtype.name.title()} did not match {other.dtype.name.title()}")
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def equal(input, other):
    """True if both have the same shape and elements."""
    return input.shape == other.shape and bool(np.array_equal(*binary_arrays(
        input, other, "equal")[:2]))


# ----------------------------------------------------------- in-place ops
def check_inplace(t):
    """A leaf that requires grad may not be modified in place while grad is on."""
    from ..autograd.grad_mode import _state
    if t._requires_grad and t.grad_fn is None and _state.enabled:
        raise RuntimeError(
            "a leaf Variable that requires grad is being used in an in-place operation.")


def assign_inplace(self, result):
    """Write an out-of-place ``result`` into ``self``: check dtype and shape, copy the
    data, bump the version, and make ``self`` carry the result's graph."""
    check_inplace(self)
    if not _dtypes.can_cast(result.dtype, self.dtype):
        raise RuntimeError(f"result type {_type_name(result.dtype)} can't be cast to the "
                           f"desired output type {_type_name(self.dtype)}")
    if result.shape != self.shape:
        raise RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast "
                           f"shape {list(np.broadcast_shapes(self.shape, result.shape))}")
    np.copyto(self._data, result._data, casting="unsafe")
    self._bump_version()
    if result.grad_fn is not None:
        self.grad_fn = result.grad_fn
        self._requires_grad = True
    return self


def _type_name(d):
    return {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
            "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool"}[d.name]


def _inplace(outofplace):
    """Make ``x.op_(...)`` from ``op``: compute, then assign into x."""
    def method(self, *args, **kwargs):
        return assign_inplace(self, outofplace(self, *args, **kwargs))
    method.__name__ = outofplace.__name__ + "_"
    method.__doc__ = f"In-place {outofplace.__name__}; returns self."
    return method


def _fast_inplace(ufunc, outofplace):
    """In-place arithmetic: when no graph is needed, NumPy writes straight into the
    tensor's memory (the optimizer's ``p -= lr * g`` lands here)."""
    def method(self, other, **kwargs):
        from ..autograd.grad_mode import _state
        if (kwargs or (_state.enabled and (self._requires_grad or
                                            getattr(other, "_requires_grad", False)))):
            return assign_inplace(self, outofplace(self, other, **kwargs))
        x, y, dt = binary_arrays(self, other, outofplace.__name__)
        if dt != self._data.dtype and not _dtypes.can_cast(_dtypes.FROM_NUMPY[dt], self.dtype):
            raise RuntimeError(f"result type {_type_name(_dtypes.FROM_NUMPY[dt])} can't be cast "
                               f"to the desired output type {_type_name(self.dtype)}")
        try:
            ufunc(self._data, y, out=self._data, casting="unsafe")
        except ValueError:
            raise RuntimeError(
                f"output with shape {list(self.shape)} doesn't match the broadcast shape "
                f"{_broadcast_shape_text(self, other)}") from None
        self._bump_version()
        return self
    method.__name__ = outofplace.__name__ + "_"
    return method


def _broadcast_shape_text(a, b):
    try:
        return list(np.broadcast_shapes(a.shape, tuple(getattr(b, "shape", ()))))
    except ValueError:
        return "(incompatible)"


def _true_div_inplace(self, other, rounding_mode=None):
    return assign_inplace(self, div(self, other, rounding_mode=rounding_mode))


def zero_(self):
    """Fill with zeros in place (keeps the graph rules of any in-place op)."""
    return fill_(self, 0)


def fill_(self, value):
    """Fill with one value in place."""
    check_inplace(self)
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor "
                               f"with {value.ndim} dimensions.")
        value = value.item()
    self._data[...] = value
    self._bump_version()
    if self._requires_grad and self.grad_fn is not None:
        record("FillBackward0", _zero_backward, (self,), self)
    return self


def copy_(self, src, non_blocking=False):
    """Copy src (broadcast, cast) into self in place; gradients flow to src."""
    check_inplace(self)
    src_t = to_tensor(src)
    try:
        np.copyto(self._data, np.broadcast_to(src_t._data, self._data.shape), casting="unsafe")
    except ValueError:
        raise RuntimeError(f"The size of tensor a ({self.shape[-1] if self.ndim else 1}) must "
                           f"match the size of tensor b ({src_t.shape[-1] if src_t.ndim else 1})"
                           f" at non-singleton dimension {max(self.ndim - 1, 0)}") from None
    self._bump_version()
    if src_t._requires_grad:
        from ..autograd.grad_mode import _state
        if _state.enabled:
            src_shape = src_t.shape
            self.grad_fn = None
            record("CopyBackwards", lambda ctx, g: (None, unbroadcast(g, src_shape).to(
                ctx.input_meta[1][1])), (None, src_t), self)
    return self


def _maybe_out(result, out):
    if out is None:
        return result
    out._data = np.asarray(result._data).astype(out._data.dtype, copy=False) \
        if out.shape == result.shape else result._data.copy()
    out._bump_version()
    return out


# ------------------------------------------------------------ Tensor methods
def _swap(fn):
    return lambda self, other: fn(other, self)


def _radd(self, other):
    return add(other, self)


def _rsub(self, other):
    return sub(other, self)


def _rtruediv(self, other):
    # torch computes number / x as reciprocal(x) * number (so grad_fn is MulBackward0).
    return mul(reciprocal(self), other)


def _binary_dunder(fn):
    def method(self, other):
        if not isinstance(other, (Tensor, int, float, bool, np.generic, np.ndarray)):
            return NotImplemented
        return fn(self, other)
    method.__name__ = fn.__name__
    return method


bind(
    add=add, sub=sub, subtract=sub, mul=mul, multiply=mul, div=div, divide=div,
    true_divide=true_divide, floor_divide=floor_divide, remainder=remainder, fmod=fmod,
    pow=pow, maximum=maximum, minimum=minimum, fmax=fmax, fmin=fmin, clamp=clamp, clip=clamp,
    clamp_min=clamp_min, clamp_max=clamp_max, lerp=lerp, where=lambda self, cond, other:
    where(cond, self, other), clone=clone,
    neg=neg, negative=neg, abs=abs, absolute=abs, sign=sign, sgn=sgn, exp=exp, exp2=exp2,
    expm1=expm1, log=log, log1p=log1p, log2=log2, log10=log10, sqrt=sqrt, rsqrt=rsqrt,
    reciprocal=reciprocal, sin=sin, cos=cos, tan=tan, asin=asin, acos=acos, atan=atan,
    arcsin=asin, arccos=acos, arctan=atan, sinh=sinh, cosh=cosh, tanh=tanh, sigmoid=sigmoid,
    relu=relu, floor=floor, ceil=ceil, trunc=trunc, fix=trunc, frac=frac, square=square,
    round=round, nan_to_num=nan_to_num,
    eq=eq, ne=ne, lt=lt, le=le, gt=gt, ge=ge, greater=gt, greater_equal=ge, less=lt,
    less_equal=le, not_equal=ne, logical_and=logical_and, logical_or=logical_or,
    logical_xor=logical_xor, logical_not=logical_not, bitwise_and=bitwise_and,
    bitwise_or=bitwise_or, bitwise_xor=bitwise_xor, bitwise_not=bitwise_not,
    isnan=isnan, isinf=isinf, isfinite=isfinite, isposinf=isposinf, isneginf=isneginf,
    isclose=isclose, allclose=allclose, equal=equal,
    # operators
    __add__=_binary_dunder(add), __radd__=_binary_dunder(_radd),
    __sub__=_binary_dunder(sub), __rsub__=_binary_dunder(_rsub),
    __mul__=_binary_dunder(mul), __rmul__=_binary_dunder(_swap(mul)),
    __truediv__=_binary_dunder(div), __rtruediv__=_binary_dunder(_rtruediv),
    __floordiv__=_binary_dunder(floor_divide), __rfloordiv__=_binary_dunder(_swap(floor_divide)),
    __mod__=_binary_dunder(remainder), __rmod__=_binary_dunder(_swap(remainder)),
    __pow__=_binary_dunder(pow), __rpow__=_binary_dunder(_rpow),
    __neg__=neg, __pos__=lambda self: self, __abs__=abs, __invert__=lambda self: (
        logical_not(self) if self._data.dtype == np.bool_ else bitwise_not(self)),
    __eq__=_binary_dunder(eq), __ne__=_binary_dunder(ne), __lt__=_binary_dunder(lt),
    __le__=_binary_dunder(le), __gt__=_binary_dunder(gt), __ge__=_binary_dunder(ge),
    __and__=_binary_dunder(bitwise_and), __or__=_binary_dunder(bitwise_or),
    __xor__=_binary_dunder(bitwise_xor), __rand__=_binary_dunder(_swap(bitwise_and)),
    __ror__=_binary_dunder(_swap(bitwise_or)), __rxor__=_binary_dunder(_swap(bitwise_xor)),
    # in place
    add_=_fast_inplace(np.add, add), sub_=_fast_inplace(np.subtract, sub),
    mul_=_fast_inplace(np.multiply, mul), div_=_true_div_inplace,
    __iadd__=_fast_inplace(np.add, add), __isub__=_fast_inplace(np.subtract, sub),
    __imul__=_fast_inplace(np.multiply, mul), __itruediv__=_true_div_inplace,
    true_divide_=_true_div_inplace, subtract_=_fast_inplace(np.subtract, sub),
    multiply_=_fast_inplace(np.multiply, mul), divide_=_true_div_inplace,
    pow_=_inplace(pow), __ipow__=_inplace(pow), clamp_=_inplace(clamp), clip_=_inplace(clamp),
    clamp_min_=_inplace(clamp_min), clamp_max_=_inplace(clamp_max),
    neg_=_inplace(neg), abs_=_inplace(abs), exp_=_inplace(exp), log_=_inplace(log),
    sqrt_=_inplace(sqrt), sigmoid_=_inplace(sigmoid), tanh_=_inplace(tanh), relu_=_inplace(relu),
    floor_=_inplace(floor), ceil_=_inplace(ceil), round_=_inplace(round),
    reciprocal_=_inplace(reciprocal), square_=_inplace(square), sign_=_inplace(sign),
    lerp_=_inplace(lerp), remainder_=_inplace(remainder), fmod_=_inplace(fmod),
    __imod__=_inplace(remainder), __ifloordiv__=_inplace(floor_divide),
    floor_divide_=_inplace(floor_divide), maximum_=_inplace(maximum),
    sin_=_inplace(sin), cos_=_inplace(cos), exp2_=_inplace(exp2), log1p_=_inplace(log1p),
    zero_=zero_, fill_=fill_, copy_=copy_,
    logical_not_=_inplace(logical_not), nan_to_num_=_inplace(nan_to_num),
)

subtract, multiply, divide = sub, mul, div
