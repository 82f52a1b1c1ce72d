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
import warnings

import numpy as np

from .. import _dtypes
from .. import _memory_format as _mf
from .._arg_errors import (MISSING as _MISSING, called_as_method, invalid_combination,
                           method_twin, wrong_type)
from .._tensor import Tensor, _make, follow_new_grad_fn, take_graph_of
from ..autograd.grad_mode import _state as _grad_state, NO_VERSION, check_inference_write
from ..autograd.graph import record
from ..backend import fp_errors_off, fp_errors_restore
from ._common import _type_name as _type_label, binary_arrays, unbroadcast, bind, silently, \
    to_tensor
from .creation import _checked_fill_value

# torch computes 0 * inf, float16 overflow or 1 / 0 silently (nan, inf). NumPy would warn
# from inside our ufunc calls; wrapping each call in np.errstate would double the cost of
# x + y, so the RuntimeWarnings raised *in these modules* are ignored once, here. NumPy
# code of the user's own still warns.
warnings.filterwarnings("ignore", category=RuntimeWarning,
                        module=r"ember\.ops\.(pointwise|reduce)\Z")

# The dtypes of the fast lanes (NumPy's dtype objects are singletons: compared with ``is``)
_F32, _F64 = np.dtype(np.float32), np.dtype(np.float64)


# ----------------------------------------------------------------- helpers
def _broadcast_error(*operands):
    """torch's RuntimeError for operands whose shapes do not broadcast.

    Shapes are combined left to right, as torch does; the message names the first pair
    of sizes (the combined shape so far as ``a``, the next operand as ``b``) that clash.
    """
    shape = []
    for b in operands:
        sb = list(getattr(b, "shape", ()))
        n = max(len(shape), len(sb))
        sa_full = [1] * (n - len(shape)) + shape
        sb_full = [1] * (n - len(sb)) + sb
        for i in range(n - 1, -1, -1):
            da, db = sa_full[i], sb_full[i]
            if da != db and da != 1 and db != 1:
                return RuntimeError(
                    f"The size of tensor a ({da}) must match the size of tensor b ({db}) at "
                    f"non-singleton dimension {i}")
        shape = [db if da == 1 else da for da, db in zip(sa_full, sb_full)]
    return RuntimeError(f"shapes {[list(getattr(o, 'shape', ())) for o in operands]} cannot "
                        f"be broadcast together")


def _promoted(a, b, opname, method=False):
    """binary_arrays with NumPy's cast warnings off: torch casts int32's 2**31 - 1 to
    float16 (or a 0-dim float64 1e300 to float32) as a silent inf. ``method``: called
    as ``a.opname(b)`` (its errors count ``b`` as position 1)."""
    token = fp_errors_off()
    try:
        return binary_arrays(a, b, opname)
    except TypeError as err:
        raise _operand_error(opname, a, b, method) or err from None
    finally:
        fp_errors_restore(token)


# torch's overloads of the binary ops whose bad operands get its "invalid combination"
# text (the others, add, mul, maximum, ..., have one signature: "argument 'other'
# (position 2) must be Tensor, not str")
_TENSOR_OR_NUMBER = ("(Tensor input, Tensor other, *, Tensor out = None)",
                     "(Tensor input, Number other, *, Tensor out = None)")
_NUMBER_FIRST_TOO = ("(Tensor input, Tensor other, *, Tensor out = None)",
                     "(Number self, Tensor other)",
                     "(Tensor input, Number other, *, Tensor out = None)")
_NUMBER_OTHER_PLAIN = ("(Tensor input, Tensor other, *, Tensor out = None)",
                       "(Tensor input, Number other)")
_POWER = ("(Tensor input, Tensor exponent, *, Tensor out = None)",
          "(Number self, Tensor exponent, *, Tensor out = None)",
          "(Tensor input, Number exponent, *, Tensor out = None)")
_OPERAND_SIGNATURES = {
    **dict.fromkeys(("eq", "ne", "lt", "le", "gt", "ge", "fmod", "copysign"), _TENSOR_OR_NUMBER),
    **dict.fromkeys(("remainder", "bitwise_and", "bitwise_or", "bitwise_xor"), _NUMBER_FIRST_TOO),
    **dict.fromkeys(("floor_divide", "true_divide"), _NUMBER_OTHER_PLAIN),
    **dict.fromkeys(("pow", "float_power"), _POWER)}
# the ops with one signature (Tensor input, Tensor other) or whose Number overload is
# hidden from the message (add, sub, mul, div)
_ONE_SIGNATURE = frozenset((
    "add", "sub", "mul", "div", "maximum", "minimum", "fmax", "fmin", "atan2", "arctan2",
    "hypot", "logaddexp", "logaddexp2", "logical_and", "logical_or", "logical_xor",
    "nextafter", "gcd", "lcm"))
# the ops whose function form refuses a number as ``input`` (torch.eq(2.0, x))
_TENSOR_INPUT_ONLY = frozenset(("eq", "ne", "lt", "le", "gt", "ge", "fmod"))


def _operand_error(opname, a, b, method=False):
    """torch's TypeError for an operand of ``opname`` that is neither a Tensor nor a
    number (``x.add('a')``), or None for an op whose text is not known here. ``method``:
    called as ``a.opname(b)``, where torch counts ``b`` as position 1 and lists the
    method's own overloads."""
    if not method and isinstance(a, Tensor):
        method = _in_method_call()
    name = method if isinstance(method, str) else opname
    signatures = _OPERAND_SIGNATURES.get(opname)
    if signatures is not None:
        if method:
            return _method_combination(
                name, b, "exponent" if opname in ("pow", "float_power") else "other")
        return invalid_combination(name, (a, b), {}, signatures)
    if opname not in _ONE_SIGNATURE:
        return None
    if not isinstance(a, Tensor):
        return wrong_type(name, "input", 1, "Tensor", a)
    return wrong_type(name, "other", 1 if method else 2, "Tensor", b)


def _binary(ufunc, a, b, opname):
    """Apply a NumPy ufunc to two operands with torch's promotion and errors."""
    # (warnings off from the promotion on: its casts may overflow to inf, and inf - inf
    # is a silent nan, as in torch)
    token = fp_errors_off()
    try:
        if (type(b) is float or type(b) is int) and isinstance(a, Tensor) and (
                a._data.dtype is _F32 or a._data.dtype is _F64):
            # A float32/float64 tensor with a Python number (x > 0): the number takes the
            # tensor's dtype, which NumPy's weak-scalar rule gives without any promotion
            # worked out (binary_arrays would return these same two operands).
            x, y = a._data, b
        else:
            if opname in _TENSOR_INPUT_ONLY and not isinstance(a, Tensor):
                raise invalid_combination(opname, (a, b), {}, _OPERAND_SIGNATURES[opname])
            x, y, _ = binary_arrays(a, b, opname)
        return _make(ufunc(x, y))
    except ValueError:
        raise _broadcast_error(a, b) from None
    except TypeError as err:
        raise _operand_error(opname, a, b) or err from None
    finally:
        fp_errors_restore(token)


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


def _tensor_arg(x, opname, arg="input", position=1):
    """Check that an argument torch requires to be a Tensor is one."""
    if isinstance(x, Tensor):
        return x
    if position == 2 and _in_method_call():     # (x.maximum('a'): other is position 1)
        position = 1
    raise wrong_type(opname, arg, position, "Tensor", x)


def _in_method_call():
    """Whether the op now failing was called as a Tensor method (see method_twin)."""
    return called_as_method(3)


def _tensor_arg_error(x, opname):
    """torch's TypeError for an input of ``opname`` that is no Tensor (raised where
    reading its ``_data`` failed: no check on the way of a good call)."""
    return wrong_type(opname, "input", 1, "Tensor", x)


# ------------------------------------------------------------- arithmetic
def add(input, other, *, alpha=1, out=None):
    """input + alpha * other, broadcasting.

    >>> ember.add(ember.tensor([1, 2]), 1)
    tensor([2, 3])
    """
    if alpha != 1:
        return _maybe_out(_scaled(np.add, "AddBackward0", input, other, alpha), out)
    result = _binary(np.add, input, other, "add")
    record("AddBackward0", _add_backward, (input, other), result)
    return _maybe_out(result, out)


def _add_backward(ctx, grad):
    return _grad_for(ctx, 0, grad), _grad_for(ctx, 1, grad)


def sub(input, other, *, alpha=1, out=None):
    """input - alpha * other; bool operands are refused, as in torch.

    >>> ember.sub(ember.tensor([5, 7]), 2, alpha=2)
    tensor([1, 3])
    """
    _check_sub_operands(input, other)
    if alpha != 1:
        return _maybe_out(_scaled(np.subtract, "SubBackward0", input, other, alpha), out)
    result = _binary(np.subtract, input, other, "sub")
    record("SubBackward0", _sub_backward, (input, other), result)
    return _maybe_out(result, out)


def _sub_backward(ctx, grad):
    return _grad_for(ctx, 0, grad), _grad_for(ctx, 1, -grad) if ctx.needs_input_grad[1] else None


def _scaled(ufunc, node_name, input, other, alpha):
    """input ± alpha * other. alpha does not take part in promotion, and torch refuses a
    float alpha with integer operands."""
    opname = "add" if ufunc is np.add else "sub"
    if not _is_number(alpha):
        raise wrong_type(opname, "alpha", None, "Number", alpha)
    x, y, dt = _promoted(input, other, opname)
    if isinstance(alpha, float) and dt.kind != "f":
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")
    token = fp_errors_off()
    try:
        if dt.kind == "f":
            # torch fuses x ± alpha * y (y and alpha rounded to the dtype; float16 computes
            # in float32) with one rounding: emulated in a wider type
            op, wide = _fused_types(dt)
            scale = np.asarray(alpha, dt).astype(wide)
            data = ufunc(np.asarray(x, dt).astype(wide),
                         np.asarray(y, dt).astype(wide) * scale).astype(op)
        else:
            data = ufunc(x, np.multiply(y, alpha))
    except ValueError:
        raise _broadcast_error(input, other) from None
    finally:
        fp_errors_restore(token)
    result = _make(np.asarray(data).astype(dt, copy=False))
    node = record(node_name, _scaled_backward, (input, other), result)
    if node:
        node.factor = alpha if ufunc is np.add else -alpha
    return result


def _scaled_backward(ctx, grad):
    return (_grad_for(ctx, 0, grad),
            _grad_for(ctx, 1, grad * ctx.factor) if ctx.needs_input_grad[1] else None)


def _is_bool(x):
    """True for a bool tensor or a Python/NumPy bool (the operands sub refuses)."""
    if isinstance(x, Tensor):
        return x._data.dtype == np.bool_
    return isinstance(x, (bool, np.bool_))


def _check_sub_operands(a, b):
    a_bool, b_bool = _is_bool(a), _is_bool(b)
    if a_bool and b_bool:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    if a_bool or b_bool:
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")


def rsub(input, other, *, alpha=1):
    """other - alpha * input (torch.rsub, and ``number - x``): RsubBackward0 for two
    tensors, RsubBackward1 (no edge for the number) for a number ``other``.

    >>> ember.rsub(ember.tensor([1., 2.]), 5)
    tensor([4., 3.])
    """
    _tensor_arg(input, "rsub")
    enabled = _grad_state.enabled
    _grad_state.enabled = False         # the node is rsub's, recorded below
    try:
        result = sub(other, input, alpha=alpha)
    finally:
        _grad_state.enabled = enabled
    if isinstance(other, Tensor):
        node = record("RsubBackward0", _rsub_backward, (input, other), result)
    else:
        node = record("RsubBackward1", _rsub_backward, (input,), result)
    if node:
        node.factor = alpha
    return result


def _rsub_backward(ctx, grad):
    alpha = ctx.factor
    g_input = None
    if ctx.needs_input_grad[0]:
        g_input = _grad_for(ctx, 0, -grad if alpha == 1 else grad * -alpha)
    if len(ctx.next_functions) == 1:
        return g_input
    return g_input, _grad_for(ctx, 1, grad)


def mul(input, other, *, out=None):
    """Elementwise (Hadamard) product."""
    result = _binary(np.multiply, input, other, "mul")
    if result._data.dtype == np.float16:
        result = _half_with_scalar(np.multiply, input, other, result)
    node = record("MulBackward0", _mul_backward, (input, other), result)
    if node:
        _save_mul_operands(node, input, other)
    return _maybe_out(result, out)


def _save_mul_operands(node, a, b):
    # Each operand is kept only for the other's gradient (d(a*b)/da = b), as torch
    # does: y * 2 or y * w with w constant lets y be changed in place before backward.
    node.save_for_backward(a if getattr(b, "_requires_grad", False) else None,
                           b if getattr(a, "_requires_grad", False) else None)


def _mul_backward(ctx, grad):
    a, b = ctx.saved_tensors
    if type(b) in _NUMBERS or type(a) in _NUMBERS:
        lane = _scalar_factor_grads(ctx, grad, np.multiply, a, b)
        if lane is not None:
            return lane
    ga = _grad_for(ctx, 0, grad * b) if ctx.needs_input_grad[0] else None
    gb = _grad_for(ctx, 1, grad * a) if ctx.needs_input_grad[1] else None
    return ga, gb


_NUMBERS = (int, float)


def _scalar_factor_grads(ctx, grad, ufunc, a, b):
    """The backward of ``t * c``, ``c * t`` or ``t / c`` for a Python number c when no
    graph is recorded: t's gradient is ``grad * c`` (``grad / c``), which has t's shape
    already, so the one ufunc runs on the arrays (what the op on tensors computes,
    without its dispatch and unbroadcast). None where the full backward must run."""
    gd = grad._data
    if _grad_state.enabled or (gd.dtype is not _F32 and gd.dtype is not _F64):
        return None
    if type(b) in _NUMBERS:
        return (_make(ufunc(gd, b)) if ctx.needs_input_grad[0] else None), None
    return None, (_make(ufunc(gd, a)) if ctx.needs_input_grad[1] else None)


def _half_operand(v):
    """An operand of a float16 op with a number, in float32: the number as it is, a tensor
    of dimensions as its float16 values (an int32 tensor's 2**31 - 1 is inf there)."""
    if not isinstance(v, Tensor):
        return np.asarray(v, np.float32)
    d = v._data
    if d.ndim and d.dtype != np.float16:
        d = d.astype(np.float16)
    return d.astype(np.float32)


def _half_with_scalar(ufunc, a, b, result):
    """float16 times (or divided by) a number: torch keeps the number in float32 and
    rounds once, where NumPy would round the number to float16 first."""
    if all(isinstance(v, Tensor) and v._data.ndim for v in (a, b)):
        return result
    token = fp_errors_off()         # (x / 0 is a silent inf, as in torch)
    try:
        x, y = _half_operand(a), _half_operand(b)
        return _make(np.asarray(ufunc(x, y)).astype(np.float16))
    finally:
        fp_errors_restore(token)


def _not_implemented(kernel, dt):
    """torch's error for a kernel with no loop for this dtype ("pow" for bools, ...)."""
    return NotImplementedError(
        f"\"{kernel}\" not implemented for '{_type_name(_dtypes.FROM_NUMPY[np.dtype(dt)])}'")


def div(input, other, *, rounding_mode=None, out=None):
    """True division (integers give floats), or rounded with rounding_mode 'trunc'/'floor'.

    >>> ember.div(ember.tensor([7, -7]), 2, rounding_mode="floor")
    tensor([ 3, -4])
    """
    if rounding_mode is not None:
        return _maybe_out(_rounded_div(input, other, rounding_mode), out)
    x, y, dt = _promoted(input, other, "div")
    if dt.kind != "f":
        # Integer / integer is true division in the default float dtype, of the operands'
        # own values: a 0-dim int8 -128 divides a uint8 tensor as -128, not as the 128 the
        # integer promotion would wrap it to. Scalars are taken as given likewise.
        fdt = _dtypes.get_default_dtype().np
        x = input._data.astype(fdt) if isinstance(input, Tensor) else input
        y = other._data.astype(fdt) if isinstance(other, Tensor) else other
        dt = fdt
    token = fp_errors_off()         # x / 0, 1 / 1e-310: silent inf, as in torch
    try:
        data = np.true_divide(x, y)
        result = _make(data if data.dtype == dt else data.astype(dt))
    except ValueError:
        raise _broadcast_error(input, other) from None
    finally:
        fp_errors_restore(token)
    if dt == np.float16:
        result = _half_with_scalar(np.true_divide, input, other, result)
    node = record("DivBackward0", _div_backward, (input, other), result)
    if node:
        _save_div_operands(node, input, other)
    return _maybe_out(result, out)


def _save_div_operands(node, a, b):
    # d(a/b)/da = 1/b needs b; d(a/b)/db = -a/b^2 needs both: a is kept only if b
    # wants a gradient, as torch does.
    node.save_for_backward(a if getattr(b, "_requires_grad", False) else None, b)


def _div_backward(ctx, grad):
    a, b = ctx.saved_tensors
    if type(b) in _NUMBERS:
        lane = _scalar_factor_grads(ctx, grad, np.true_divide, a, b)
        if lane is not None:
            return lane
    ga = _grad_for(ctx, 0, grad / b) if ctx.needs_input_grad[0] else None
    gb = _grad_for(ctx, 1, -grad * a / (b * b)) if ctx.needs_input_grad[1] else None
    return ga, gb


_DIV_SIGNATURES = ("(Tensor input, Tensor other, *, Tensor out = None)",
                   "(Tensor input, Tensor other, *, str rounding_mode, Tensor out = None)",
                   "(Tensor input, Number other, *, str rounding_mode)")


def _rounded_div(input, other, mode, opname="div"):
    if not isinstance(mode, str):
        if _in_method_call():
            raise invalid_combination(opname, (other,), {"rounding_mode": mode}, (
                "(Tensor other)", "(Tensor other, *, str rounding_mode)",
                "(Number other, *, str rounding_mode)"))
        raise invalid_combination(opname, (input, other), {"rounding_mode": mode},
                                  _DIV_SIGNATURES)
    if mode not in ("trunc", "floor"):
        raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                           f"but found '{mode}'")
    x, y, dt = _promoted(input, other, opname)
    if dt == np.bool_:
        raise _not_implemented(f"div_{mode}_cpu", dt)
    if dt.kind in "iu":
        _check_nonzero_divisor(x, y)
    # (warnings off: int8 -128 // -1 wraps to -128, x / 0 is inf, silently, as in torch)
    token = fp_errors_off()
    try:
        if dt.kind in "iu":
            q = np.floor_divide(x, y)
            if mode == "trunc":     # floor rounds down; toward zero differs when inexact
                q = q + ((q < 0) & (q * y != x))
        else:
            # NumPy's float floor_divide is Python's (and torch's): 1.0 // 0.1 == 9.0
            x, y = _at_least_float32(x), _at_least_float32(y)
            q = np.floor_divide(x, y) if mode == "floor" else np.trunc(np.true_divide(x, y))
        result = _make(np.asarray(q, dtype=dt))
    except ValueError:
        raise _broadcast_error(input, other) from None
    finally:
        fp_errors_restore(token)
    _record_not_differentiable(opname, input, other, result, "DivBackward2")
    return result


def _check_nonzero_divisor(x, y):
    """Integer division by zero is an error in torch (only where something is computed)."""
    y = np.asarray(y)
    if y.size and np.any(y == 0):
        try:
            computed = np.broadcast_shapes(np.shape(x), y.shape)
        except ValueError:
            return                  # the op reports the broadcast error
        if 0 not in computed:
            raise RuntimeError("ZeroDivisionError")


def _zero_backward(ctx, grad):
    """Backward of piecewise-constant ops (rounded division, round, ...): zero gradient."""
    return tuple(_make(np.zeros(ctx.input_meta[i][0], grad._data.dtype))
                 if ctx.needs_input_grad[i] else None for i in range(len(ctx.needs_input_grad)))


def _record_not_differentiable(opname, a, b, result, zero_name):
    """Record the node of a rounded division: zero gradient for div(rounding_mode=...),
    an error at backward for floor_divide and for a number % tensor, as in torch."""
    if opname == "div":
        record(zero_name, _zero_backward, (a, b), result)
        return

    def refuse(ctx, grad):
        raise RuntimeError(f"derivative for aten::{opname} is not implemented")
    # torch's NotImplemented node has an edge for each operand that requires grad only
    record("NotImplemented", refuse, tuple(t for t in (a, b) if getattr(t, "_requires_grad",
                                                                        False)), result)


def true_divide(input, other, *, out=None):
    """Alias of :func:`div` without rounding."""
    try:
        return div(input, other, out=out)
    except TypeError as err:        # (named as true_divide, as torch names it)
        raise _operand_error("true_divide", input, other) or err from None


def floor_divide(input, other, *, out=None):
    """Division rounded down (``a // b``); its gradient is not implemented, as in torch."""
    return _maybe_out(_rounded_div(input, other, "floor", "floor_divide"), out)


def remainder(input, other, *, out=None):
    """Python-style modulus: the result has the sign of the divisor.

    >>> ember.remainder(ember.tensor([-3, 3]), 2)
    tensor([1, 1])
    """
    x, y, dt = _promoted(input, other, "remainder")
    if dt == np.bool_:
        raise _not_implemented("remainder_cpu", dt)
    if dt.kind in "iu":
        _check_nonzero_divisor(x, y)
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            result = _make(np.asarray(np.mod(_at_least_float32(x), _at_least_float32(y)),
                                      dtype=dt))
    except ValueError:
        raise _broadcast_error(input, other) from None
    if not isinstance(input, Tensor):
        _record_not_differentiable("remainder", input, other, result, None)
        return _maybe_out(result, out)
    if isinstance(other, Tensor):
        node = record("RemainderBackward1", _remainder_backward, (input, other), result)
    else:       # a number divisor gets no edge
        node = record("RemainderBackward0", _remainder_backward, (input,), result)
    if node:
        node.save_for_backward(input, other)
    return _maybe_out(result, out)


def _remainder_backward(ctx, grad):
    # a % b = a - floor(a / b) * b
    a, b = ctx.saved_tensors
    ga = _grad_for(ctx, 0, grad)
    if not isinstance(b, Tensor):
        return ga
    gb = _grad_for(ctx, 1, -grad * div(a, b, rounding_mode="floor")) \
        if ctx.needs_input_grad[1] else None
    return ga, gb


def fmod(input, other, *, out=None):
    """C-style modulus: the result has the sign of the dividend.

    >>> ember.fmod(ember.tensor([-3, 3]), 2)
    tensor([-1,  1])
    """
    if not isinstance(input, Tensor):       # (torch.fmod(2.0, x): no Number input form)
        raise invalid_combination("fmod", (input, other), {}, _TENSOR_OR_NUMBER)
    x, y, dt = _promoted(input, other, "fmod")
    if dt == np.bool_:
        raise _not_implemented("fmod_cpu", dt)
    if dt.kind in "iu":
        _check_nonzero_divisor(x, y)
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            result = _make(np.asarray(np.fmod(_at_least_float32(x), _at_least_float32(y)),
                                      dtype=dt))
    except ValueError:
        raise _broadcast_error(input, other) from None
    if isinstance(other, Tensor):
        node = record("FmodBackward1", _fmod_backward, (input, other), result)
    else:       # a number divisor gets no edge
        node = record("FmodBackward0", _fmod_backward, (input,), result)
    if node:
        node.save_for_backward(input, other)
    return _maybe_out(result, out)


def _fmod_backward(ctx, grad):
    # fmod(a, b) = a - trunc(a / b) * b
    a, b = ctx.saved_tensors
    ga = _grad_for(ctx, 0, grad)
    if not isinstance(b, Tensor):
        return ga
    gb = _grad_for(ctx, 1, -grad * div(a, b, rounding_mode="trunc")) \
        if ctx.needs_input_grad[1] else None
    return ga, gb


def pow(input, exponent, *, out=None):
    """input ** exponent, elementwise; either may be a Python number.

    >>> ember.pow(ember.tensor([1., 2.]), 2)
    tensor([1., 4.])
    """
    if out is None and (type(exponent) is int or type(exponent) is float) and isinstance(
            input, Tensor) and (input._data.dtype is _F32 or input._data.dtype is _F64):
        return _fast_pow(input, exponent)     # x.pow(2): the lane of x ** 2, same result
    x, y, dt = _promoted(input, exponent, "pow")
    if dt == np.bool_:
        if not (isinstance(input, Tensor) and isinstance(exponent, (bool, np.bool_))):
            raise _not_implemented("pow", dt)
        # bool ** True is the tensor itself, bool ** False all True (torch allows these)
        data = x.copy() if exponent else np.ones_like(x)
    elif dt.kind in "iu":
        data = _integer_pow(input, exponent, x, y)
    else:
        token = fp_errors_off()                 # (float16 results may overflow to inf)
        try:
            data = np.asarray(_float_pow(x, y, not isinstance(exponent, Tensor)), dt)
        except ValueError:
            raise _broadcast_error(input, exponent) from None
        finally:
            fp_errors_restore(token)
    data = np.asarray(data, dtype=dt)
    if not isinstance(input, Tensor) and not data.flags.c_contiguous:
        # torch computes number ** x from the number made a tensor, which gives its
        # result C order whatever x's layout (x ** number keeps x's)
        data = np.ascontiguousarray(data)
    result = _make(data)
    # A number operand gets no edge in torch (PowBackward0/2 have one input)
    if not isinstance(input, Tensor):
        node = record("PowBackward2", _pow_backward, (exponent,), result)
    elif isinstance(exponent, Tensor):
        node = record("PowBackward1", _pow_backward, (input, exponent), result)
    else:
        node = record("PowBackward0", _pow_backward, (input,), result)
    if node:
        # the result serves only the exponent's gradient (torch's PowBackward0 keeps
        # no result either)
        node.save_for_backward(input, exponent,
                               result if isinstance(exponent, Tensor) else None)
    return _maybe_out(result, out)


def _float_pow(x, y, scalar_exponent):
    """Float powers as torch computes them: exponents 2, 3, 0.5, -0.5, -1, -2 by
    multiplication, square root and division (in float32 for float16); any other
    power in a wider type, rounded once (as std::pow rounds)."""
    if scalar_exponent:
        xs = x.astype(np.float32) if x.dtype == np.float16 else x
        e = float(y)
        if e == 2:
            return xs * xs
        if e == 3:
            return xs * xs * xs
        if e == 0.5:
            return np.sqrt(xs)
        if e == -0.5:
            if x.dtype == np.float16:       # (torch's half pow gives -0 ** -0.5 = +inf)
                return np.where(xs == 0, np.float32(np.inf), 1 / np.sqrt(xs))
            return 1 / np.sqrt(xs)
        if e == -1:
            return 1 / xs
        if e == -2:
            return 1 / (xs * xs)
    op, wide = _fused_types(np.result_type(x, y))
    return np.power(np.asarray(x, wide), np.asarray(y, wide)).astype(op)


def _integer_pow(input, exponent, x, y):
    """Integer powers with torch's rules: a negative Python exponent is refused; a
    negative tensor exponent gives a ** -k = 0 unless a is 1 or -1 (NumPy would raise)."""
    if not isinstance(exponent, Tensor):
        if exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        _check_int_scalar(exponent, np.result_type(x))
    try:
        negative = np.asarray(y) < 0
        if not negative.any():
            return np.power(x, y)
        base = np.broadcast_to(x, np.broadcast_shapes(np.shape(x), np.shape(y)))
        safe = np.power(x, np.where(negative, 0, y))
        odd = np.asarray(y) % 2 == 1
        small = np.where(base == 1, 1, np.where(base == -1, np.where(odd, -1, 1), 0))
        return np.where(negative, small, safe)
    except ValueError:
        raise _broadcast_error(input, exponent) from None


def _pow_backward(ctx, grad):
    """The gradients of the node's tensor inputs: (base,) for PowBackward0, (base,
    exponent) for PowBackward1, (exponent,) for PowBackward2."""
    a, b, out = ctx.saved_tensors
    if not isinstance(a, Tensor):
        return _pow_exponent_grad(ctx, 0, grad, a, b, out)
    ga = gb = None
    if ctx.needs_input_grad[0]:
        if isinstance(b, Tensor):
            # torch zeroes the gradient where the exponent is 0 (0 * 0**-1 would be nan).
            local = where(b == 0, 0.0, b * a ** (b - 1))
            ga = _grad_for(ctx, 0, grad * local)
        else:
            if b == 2 and not _grad_state.enabled:
                # a ** 1 is a, bit for bit (and no graph to record); float32/float64 take
                # the same two multiplies on the arrays, without two ops' dispatch
                gd = grad._data
                if ((gd.dtype is _F32 or gd.dtype is _F64) and a._data.dtype is gd.dtype
                        and type(b) in (int, float)):
                    ga = _make(np.multiply(np.multiply(gd, b), a._data))
                else:
                    ga = grad * b * a
            else:
                ga = grad * b * a ** (b - 1) if b != 0 else _zeros_like(grad)
    if not isinstance(b, Tensor):
        return ga
    if ctx.needs_input_grad[1]:
        gb = _pow_exponent_grad(ctx, 1, grad, a, b, out)
    return ga, gb


def _pow_exponent_grad(ctx, i, grad, a, b, out):
    """d/db a^b = a^b log a (input ``i`` of the node); torch takes 0 where a == 0 and
    b >= 0."""
    if isinstance(a, Tensor):
        local = where((a == 0) & (b >= 0), 0.0, out * log(a))
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            log_a = float(np.log(float(a)))
        local = out * log_a if a != 0 else where(b >= 0, 0.0, out * log_a)
    return _grad_for(ctx, i, grad * local)


def float_power(input, exponent, *, out=None):
    """input ** exponent computed in float64, whatever the operands' dtypes (torch's
    composite: each tensor operand is cast to float64 first, so the graph is a pow
    node over ToCopyBackward0 nodes). Either operand may be a Python number.

    >>> ember.float_power(ember.tensor([2, 3]), 2)
    tensor([4., 9.], dtype=torch.float64)
    """
    numbers = (int, float, bool, np.number, np.bool_)
    if not ((isinstance(input, Tensor) and isinstance(exponent, (Tensor,) + numbers)) or (
            isinstance(input, numbers) and isinstance(exponent, Tensor))):
        raise TypeError(
            f"float_power() received an invalid combination of arguments - got "
            f"({_kind(input)}, {_kind(exponent)}), but expected one of:\n"
            " * (Tensor input, Tensor exponent, *, Tensor out = None)\n"
            " * (Number self, Tensor exponent, *, Tensor out = None)\n"
            " * (Tensor input, Number exponent, *, Tensor out = None)\n")
    if out is not None and isinstance(out, Tensor) and out._data.dtype is not _F64:
        raise RuntimeError(f"the output given to float_power has dtype "
                           f"{_type_name(out._data.dtype)} but the operation's result "
                           f"requires dtype Double")
    return pow(_as_float64(input), _as_float64(exponent), out=out)


def _as_float64(x):
    """A tensor operand in float64 (itself if it is already), a number as a float."""
    if isinstance(x, Tensor):
        return x if x._data.dtype is _F64 else cast(x, _dtypes.float64)
    return float(x)


def _float_power_inplace(self, exponent):
    """x.float_power_(e): x must already be float64, the dtype of the result."""
    if self._data.dtype is not _F64:
        raise RuntimeError(f"the base given to float_power_ has dtype "
                           f"{_type_name(self._data.dtype)} but the operation's result "
                           f"requires dtype Double")
    return _inplace(float_power)(self, exponent)


def _rpow(self, other):
    return pow(other, self)


def maximum(input, other, *, out=None):
    """Elementwise maximum (NaN propagates); ties share the gradient equally."""
    return _maybe_out(_extremum(np.maximum, "maximum", "MaximumBackward0", input, other, True),
                      out)


def minimum(input, other, *, out=None):
    """Elementwise minimum (NaN propagates); ties share the gradient equally."""
    return _maybe_out(_extremum(np.minimum, "minimum", "MinimumBackward0", input, other, False),
                      out)


def _extremum(ufunc, opname, node_name, a, b, is_max):
    _tensor_arg(a, opname)
    _tensor_arg(b, opname, "other", 2)
    result = _binary(ufunc, a, b, opname)
    node = record(node_name, _extremum_backward, (a, b), result)
    if node:
        node.save_for_backward(a, b)
        node.is_max = is_max
    return result


def _extremum_backward(ctx, grad):
    a, b = ctx.saved_tensors
    a_wins = (a > b) if ctx.is_max else (a < b)
    tie = a == b
    half = grad / 2
    ga = _grad_for(ctx, 0, where(tie, half, where(a_wins, grad, 0.0))) \
        if ctx.needs_input_grad[0] else None
    gb = _grad_for(ctx, 1, where(tie, half, where(a_wins, 0.0, grad))) \
        if ctx.needs_input_grad[1] else None
    return ga, gb


def fmax(input, other, *, out=None):
    """Elementwise maximum that ignores NaN: NaN only where both are NaN.

    >>> ember.fmax(ember.tensor([1., float("nan")]), ember.tensor([float("nan"), 2.]))
    tensor([1., 2.])
    """
    return _maybe_out(_nan_ignoring(np.fmax, "fmax", "FmaxBackward0", input, other, True), out)


def fmin(input, other, *, out=None):
    """Elementwise minimum that ignores NaN: NaN only where both are NaN.

    >>> ember.fmin(ember.tensor([1., float("nan")]), ember.tensor([float("nan"), 2.]))
    tensor([1., 2.])
    """
    return _maybe_out(_nan_ignoring(np.fmin, "fmin", "FminBackward0", input, other, False), out)


def _nan_ignoring(ufunc, opname, node_name, a, b, is_max):
    _tensor_arg(a, opname)
    _tensor_arg(b, opname, "other", 2)
    result = _binary(ufunc, a, b, opname)
    node = record(node_name, _nan_ignoring_backward, (a, b), result)
    if node:
        x, y = a._data, b._data
        # torch's rule: the whole gradient goes to input where it wins or ties, or where
        # other is NaN; to other everywhere else (no sharing of ties, unlike maximum)
        node.input_wins = _make((x >= y if is_max else x <= y) | np.isnan(y))
    return result


def _nan_ignoring_backward(ctx, grad):
    wins = ctx.input_wins
    ga = _grad_for(ctx, 0, where(wins, grad, 0.0)) if ctx.needs_input_grad[0] else None
    gb = _grad_for(ctx, 1, where(wins, 0.0, grad)) if ctx.needs_input_grad[1] else None
    return ga, gb


# ------------------------------------------------------- two-input float maths
# atan2, copysign, hypot, logaddexp, logaddexp2: float results whatever the operands
# (integers promote, then become the default float dtype, where torch has an integer
# kernel at all), torch's broadcasting, and a node per op named as torch names it.
_FLOAT_BINARY_SIGNATURES = (" * (Tensor input, Tensor other, *, Tensor out = None)\n"
                            " * (Tensor input, Number other, *, Tensor out = None)\n")


def _float_binary_arrays(name, input, other, *, numbers, ints, method):
    """The two operands of ``name`` as arrays (a number ``other`` as it is) of the
    result's float dtype. ``numbers``: ``other`` may be a Python number (copysign);
    ``ints``: integer operands promote to the default float dtype (atan2, copysign)
    rather than being refused (hypot, logaddexp have no integer kernel in torch);
    ``method``: the name of the method form (``"atan2_"``) when called as one, whose
    errors name it and count ``other`` as position 1."""
    shown = method or name
    if numbers:
        if not (isinstance(input, Tensor) and (isinstance(other, Tensor) or _is_number(other))):
            raise _invalid_combination(shown, input, other, method)
    else:
        _tensor_arg(input, shown)
        _tensor_arg(other, shown, "other", 1 if method else 2)
    x, y, dt = _promoted(input, other, name)
    if dt.kind != "f":
        if not ints:
            raise _not_implemented(f"{name}_cpu", dt)
        # each operand's own values in the default float dtype (as div does): a 0-dim int8
        # -3 with a uint8 tensor is -3, not the 253 the integer promotion would wrap it to
        dt = _dtypes.get_default_dtype().np
        x = input._data.astype(dt)
        y = other._data.astype(dt) if isinstance(other, Tensor) else y
    return x, y, dt


def _is_number(x):
    return isinstance(x, (int, float, bool, np.number, np.bool_))


def _kind(x):
    return "Tensor" if isinstance(x, Tensor) else _type_label(x)


def _invalid_combination(shown, input, other, method):
    """torch's TypeError for operands that fit neither (Tensor, Tensor) nor (Tensor, Number)."""
    if not method:
        return invalid_combination(shown, (input, other), {}, _TENSOR_OR_NUMBER)
    return _method_combination(shown, other)


def _method_combination(shown, other, what="other"):
    """torch's TypeError for ``x.shown(other)`` with an ``other`` that is neither a
    Tensor nor a number: the method's two overloads, each with why it did not match."""
    detail = _kind(other)
    if isinstance(other, (list, tuple)):        # (torch names the element types too)
        detail += f" of [{', '.join(_kind(v) for v in other)}]"
    why = (f"      didn't match because some of the arguments have invalid types: "
           f"(!{detail}!)\n")
    return TypeError(f"{shown}() received an invalid combination of arguments - got "
                     f"({_kind(other)}), but expected one of:\n * (Tensor {what})\n{why}"
                     f" * (Number {what})\n{why}")


def _float_binary(name, ufunc, input, other, *, numbers=False, ints=True, precise=True,
                  method=False):
    """``ufunc`` over the two operands of ``name`` in their float result dtype. ``precise``:
    computed in float64 and rounded once to float32/float16, so that the printed digits
    agree with torch's (within 1 ulp) where NumPy's float32 kernels are a little off."""
    x, y, dt = _float_binary_arrays(name, input, other, numbers=numbers, ints=ints,
                                    method=method)
    token = fp_errors_off()         # atan2(0, 0), hypot(inf, nan): silent, as in torch
    try:
        if precise and dt is not _F64:
            x = x.astype(np.float64)
            y = y.astype(np.float64) if isinstance(y, np.ndarray) else y
        elif dt == np.float16:      # (copysign: exact, but kept in float16's own lane)
            y = np.float16(y) if not isinstance(y, np.ndarray) else y
        data = np.asarray(ufunc(x, y), dtype=dt)
    except ValueError:
        raise _broadcast_error(input, other) from None
    finally:
        fp_errors_restore(token)
    return _make(data)


def _check_out(out, name):
    if out is not None and not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {_type_label(out)}")


def atan2(input, other, *, out=None, _method=None):
    """The angle of the point (other, input): arctan(input / other) in the right quadrant.

    >>> ember.atan2(ember.tensor([1., -1.]), ember.tensor([-1., -1.]))
    tensor([ 2.3562, -2.3562])
    """
    return _atan2("atan2", input, other, out, _method)


def _atan2(name, input, other, out, method):
    _check_out(out, name)
    result = _float_binary(name, np.arctan2, input, other, method=method)
    node = record("Atan2Backward0", _atan2_backward, (input, other), result)
    if node:
        node.save_for_backward(input, other)
    return _maybe_out(result, out)


def _atan2_backward(ctx, grad):
    # d atan2(a, b) = (b da - a db) / (a^2 + b^2); torch takes 0 where a^2 + b^2 is 0
    # (at the origin, or where the squares underflow)
    a, b = ctx.saved_tensors
    recip = reciprocal(a * a + b * b)
    recip = where(isinf(recip), 0.0, recip)
    ga = _grad_for(ctx, 0, grad * b * recip) if ctx.needs_input_grad[0] else None
    gb = _grad_for(ctx, 1, grad * -a * recip) if ctx.needs_input_grad[1] else None
    return ga, gb


def arctan2(input, other, *, out=None, _method=None):
    """Alias of :func:`atan2`."""
    return _atan2("arctan2", input, other, out, _method)


def copysign(input, other, *, out=None, _method=None):
    """The magnitude of ``input`` with the sign of ``other`` (a tensor or a number),
    -0.0 and NaN's sign bit included.

    >>> ember.copysign(ember.tensor([1., -2.]), -0.0)
    tensor([-1., -2.])
    """
    if out is not None and not isinstance(out, Tensor):
        raise TypeError(f"copysign() received an invalid combination of arguments - got "
                        f"({_kind(input)}, {_kind(other)}, out={_kind(out)}), but expected "
                        f"one of:\n{_FLOAT_BINARY_SIGNATURES}")
    result = _float_binary("copysign", np.copysign, input, other, numbers=True,
                           precise=False, method=_method)
    if isinstance(other, Tensor):
        node = record("CopysignBackward0", _copysign_backward, (input, other), result)
    else:           # a number ``other`` gets no edge
        node = record("CopysignBackward1", _copysign_backward, (input,), result)
    if node:
        node.save_for_backward(input, result)
    return _maybe_out(result, out)


def _copysign_backward(ctx, grad):
    # d copysign(a, b)/da = result / a (+1 or -1), taken as 0 at a == 0 as torch does;
    # the sign of b is piecewise constant: its gradient is zero
    a, result = ctx.saved_tensors
    ga = None
    if ctx.needs_input_grad[0]:
        ga = _grad_for(ctx, 0, grad * where(a == 0, 0.0, result / a))
    if len(ctx.needs_input_grad) == 1:
        return ga
    gb = None
    if ctx.needs_input_grad[1]:
        shape, np_dtype = ctx.input_meta[1]
        gb = _make(np.zeros(shape, np_dtype))
    return ga, gb


def hypot(input, other, *, out=None, _method=None):
    """sqrt(input^2 + other^2) without overflow in the squares; floats only.

    >>> ember.hypot(ember.tensor([3.]), ember.tensor([4.]))
    tensor([5.])
    """
    _check_out(out, "hypot")
    result = _float_binary("hypot", np.hypot, input, other, ints=False, method=_method)
    node = record("HypotBackward0", _hypot_backward, (input, other), result)
    if node:
        node.save_for_backward(input, other, result)
    return _maybe_out(result, out)


def _hypot_backward(ctx, grad):
    # d hypot(a, b) = (a da + b db) / hypot(a, b): nan at the origin, as in torch
    a, b, result = ctx.saved_tensors
    ga = _grad_for(ctx, 0, grad * a / result) if ctx.needs_input_grad[0] else None
    gb = _grad_for(ctx, 1, grad * b / result) if ctx.needs_input_grad[1] else None
    return ga, gb


def logaddexp(input, other, *, out=None, _method=None):
    """log(exp(input) + exp(other)), computed without overflow; floats only.

    >>> ember.logaddexp(ember.tensor([1000.]), ember.tensor([1000.]))
    tensor([1000.6931])
    """
    _check_out(out, "logaddexp")
    result = _float_binary("logaddexp", np.logaddexp, input, other, ints=False,
                           method=_method)
    node = record("LogaddexpBackward0", _logaddexp_backward, (input, other), result)
    if node:
        node.save_for_backward(input, other)
    return _maybe_out(result, out)


def _logaddexp_backward(ctx, grad):
    # d/da = exp(a) / (exp(a) + exp(b)) = 1 / (1 + exp(b - a)); likewise for b
    a, b = ctx.saved_tensors
    ga = _grad_for(ctx, 0, grad / (1 + exp(b - a))) if ctx.needs_input_grad[0] else None
    gb = _grad_for(ctx, 1, grad / (1 + exp(a - b))) if ctx.needs_input_grad[1] else None
    return ga, gb


def logaddexp2(input, other, *, out=None, _method=None):
    """log2(2**input + 2**other), computed without overflow; floats only.

    >>> ember.logaddexp2(ember.tensor([1.]), ember.tensor([1.]))
    tensor([2.])
    """
    _check_out(out, "logaddexp2")
    result = _float_binary("logaddexp2", np.logaddexp2, input, other, ints=False,
                           method=_method)
    node = record("Logaddexp2Backward0", _logaddexp2_backward, (input, other), result)
    if node:
        node.save_for_backward(input, other)
    return _maybe_out(result, out)


def _logaddexp2_backward(ctx, grad):
    # d/da = 2**a / (2**a + 2**b) = 1 / (1 + 2**(b - a)); likewise for b
    a, b = ctx.saved_tensors
    ga = _grad_for(ctx, 0, grad / (1 + exp2(b - a))) if ctx.needs_input_grad[0] else None
    gb = _grad_for(ctx, 1, grad / (1 + exp2(a - b))) if ctx.needs_input_grad[1] else None
    return ga, gb


def signbit(input, *, out=None):
    """True where the sign bit is set: negative numbers, -0.0 and negative NaNs (integers:
    where negative). Not differentiable; the result (and ``out=``) is bool.

    >>> ember.signbit(ember.tensor([-0.0, 0.0, -2.0]))
    tensor([ True, False,  True])
    """
    data = _tensor_arg(input, "signbit")._data
    _check_out(out, "signbit")
    if out is not None and out._data.dtype != np.bool_:
        raise RuntimeError("signbit does not support non-boolean outputs.")
    if data.dtype.kind == "f":
        values = np.signbit(data)
    elif data.dtype.kind == "i":
        values = data < 0
    else:           # bool, uint8: never negative
        values = np.zeros(data.shape, np.bool_)
    return _maybe_out(_make(values), out)


def frexp(input, *, out=None):
    """Split each float into mantissa and exponent, ``input = mantissa * 2**exponent``
    with ``0.5 <= |mantissa| < 1`` (0, inf and NaN keep themselves, exponent 0), as
    torch.return_types.frexp: the mantissa in the input's dtype, the exponent int32.
    The gradient reaches the input through the mantissa (FrexpBackward0).

    >>> ember.frexp(ember.tensor([8., -3.5]))
    torch.return_types.frexp(
    mantissa=tensor([ 0.5000, -0.8750]),
    exponent=tensor([4, 2], dtype=torch.int32))
    """
    from .reduce import return_type
    data = _tensor_arg(input, "frexp")._data
    if data.dtype.kind != "f":
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    if out is not None:
        _check_frexp_out(input, out)
    mantissa, exponent = np.frexp(data)
    exponent = exponent.astype(np.int32, copy=False)
    if not data.flags.c_contiguous:         # (both laid out as the input, as torch's)
        mantissa, exponent = unary_layout(mantissa, data), unary_layout(exponent, data)
    m, e = _make(mantissa), _make(exponent)
    if out is not None:
        for target, value in zip(out, (m, e)):
            if target.shape != value.shape and target.numel():
                warnings.warn(f"An output with one or more elements was resized since it had "
                              f"shape {list(target.shape)}, which does not match the required "
                              f"output shape {list(value.shape)}. This behavior is deprecated, "
                              f"and in a future PyTorch release outputs will not be resized "
                              f"unless they have zero elements. You can explicitly reuse an out "
                              f"tensor t by resizing it, inplace, to zero elements with "
                              f"t.resize_(0).", UserWarning, stacklevel=2)
            _maybe_out(value, target)
        return return_type("frexp_out", ("mantissa", "exponent"))(*out)
    node = record("FrexpBackward0", _frexp_backward, (input,), m)
    if node:
        node.exponent = e
    return return_type("frexp", ("mantissa", "exponent"))(m, e)


def _frexp_backward(ctx, grad):
    # mantissa = x / 2**exponent, the exponent a constant wherever it is differentiable
    return grad / exp2(ctx.exponent.to(grad.dtype))


def _check_frexp_out(input, out):
    """torch's errors for frexp's out=: a pair of Tensors, (input's dtype, int32), none
    of them (nor the input) requiring grad while grad is on."""
    if not isinstance(out, (tuple, list)):
        raise TypeError(f"frexp(): argument 'out' must be tuple of Tensors, not "
                        f"{_type_label(out)}")
    if len(out) != 2:
        raise TypeError(f"expected tuple of 2 elements but got {len(out)}")
    for i, t in enumerate(out):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 1, but got "
                            f"{_type_label(t)}")
    if _grad_state.enabled and any(t._requires_grad for t in (input, *out)):
        raise RuntimeError("frexp(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    if out[0].dtype is not input.dtype:
        raise RuntimeError(f"torch.frexp() expects mantissa to have dtype {_c_type(input.dtype)} "
                           f"but got {_c_type(out[0].dtype)}")
    if out[1].dtype is not _dtypes.int32:
        raise RuntimeError(f"torch.frexp() expects exponent to have int dtype but got "
                           f"{_c_type(out[1].dtype)}")


_C_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half",
                 "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
                 "uint8": "unsigned char", "bool": "bool"}


def _c_type(dt):
    """A dtype as C++'s type name (what frexp's out= errors print): float, long int."""
    return _C_TYPE_NAMES[dt.np.name]


def _as_method(op, name=None):
    """``x.name(other)`` (``name`` by default the op's): the op, with errors that name
    the method and count ``other`` as position 1."""
    name = name or op.__name__

    def method(self, other):
        return op(self, other, _method=name)
    method.__name__ = method.__qualname__ = name
    method.__doc__ = op.__doc__
    return method


def _as_inplace_method(op):
    """``x.op_(other)``: computed out of place, then written into x (which must be able
    to hold the float result: an integer x cannot)."""
    name = op.__name__ + "_"
    method = _inplace(_as_method(op, name))
    method.__name__ = method.__qualname__ = name
    return method


def clamp(input, min=None, max=None, *, out=None):
    """Limit values to [min, max] (numbers or tensors); the gradient passes where
    min <= x <= max, and flows to tensor bounds where they are the result.

    >>> ember.clamp(ember.tensor([-2., 0.5, 3.]), min=0, max=1)
    tensor([0.0000, 0.5000, 1.0000])
    """
    return _maybe_out(_clamp(input, min, max, "clamp", caller=("clamp", False)), out)


def clip(input, min=None, max=None, *, out=None):
    """Alias of :func:`clamp`.

    >>> ember.clip(ember.tensor([-2., 0.5, 3.]), max=1)
    tensor([-2.0000,  0.5000,  1.0000])
    """
    return _maybe_out(_clamp(input, min, max, "clamp", caller=("clip", False)), out)


# torch's node for each form of clamp: (number bounds, tensor bounds)
_CLAMP_NODES = {"clamp": ("ClampBackward1", "ClampBackward0"),
                "clamp_min": ("ClampMinBackward0", "ClampMinBackward1"),
                "clamp_max": ("ClampMaxBackward0", "ClampMaxBackward1")}


def _clamp(input, min, max, form, caller=None):
    """clamp, clamp_min or clamp_max (``form``), which differ only in their node's name;
    ``caller`` is (name, called as a method) of clamp, clip and their in-place forms,
    for the error on a number bound mixed with a tensor bound."""
    _tensor_arg(input, "clamp")
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    dt = input._data.dtype
    if (dt is _F32 or dt is _F64) and _number_or_none(min) and _number_or_none(max):
        # (the usual x.clamp(min=0): a Python number never promotes a float tensor, so
        # the result has its dtype and there are no tensor bounds)
        tensor_bounds = False
    else:
        for bound in (min, max):
            if not (bound is None or isinstance(bound, Tensor) or _is_number(bound)):
                raise _bounds_error(input, min, max, form, caller)
        if caller is not None and _mixed_bounds(min, max):
            raise _mixed_bounds_error(caller, min, max)
        dt = _dtypes.result_type(*(v for v in (input, min, max) if v is not None)).np
        tensor_bounds = isinstance(min, Tensor) or isinstance(max, Tensor)
    if dt == np.bool_ and not tensor_bounds:
        raise _not_implemented("clamp_scalar_cpu" if min is not None and max is not None else
                               "clamp_min_scalar_cpu" if min is not None else
                               "clamp_max_scalar_cpu", dt)
    data = input._data.astype(dt, copy=False)
    try:
        # NumPy propagates NaN through maximum/minimum, as torch.clamp does; min then max,
        # so that max wins where min > max.
        if min is not None:
            data = np.maximum(data, _bound(min, dt))
        if max is not None:
            data = np.minimum(data, _bound(max, dt))
    except ValueError:
        raise _broadcast_error(input, *(b for b in (min, max) if isinstance(b, Tensor))) from None
    result = _make(np.asarray(data, dtype=dt))
    if tensor_bounds:
        node = record(_CLAMP_NODES[form][1], _clamp_tensor_backward, (input, min, max), result)
    else:
        node = record(_CLAMP_NODES[form][0], _clamp_backward, (input,), result)
    if node:
        node.save_for_backward(input)
        node.bounds = (min, max)
    return result


def _bounds_error(input, min, max, form, caller):
    """torch's TypeError for a bound that is neither a Tensor nor a number. torch lists
    the arguments as passed; here a bound is taken as positional, but a max given
    without a min as a keyword (``clamp(x, max=1)``)."""
    if form != "clamp":                 # clamp_min(x, 'a'): one bound, by position
        return invalid_combination(form, (input, min if form == "clamp_min" else max), {}, (
            f"(Tensor input, Tensor {form[6:]}, *, Tensor out = None)",
            f"(Tensor input, Number {form[6:]}, *, Tensor out = None)"))
    name, method = caller or ("clamp", False)
    args = () if method else (input,)
    kwargs = {}
    if min is not None:
        args += (min,) if max is None else (min, max)
    else:
        kwargs["max"] = max
    if method:
        return invalid_combination(name, args, kwargs, ("(Tensor min = None, Tensor max = None)",
                                                        "(Number min = None, Number max = None)"))
    return invalid_combination(name, args, kwargs, (
        "(Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)",
        "(Tensor input, Number min = None, Number max = None, *, Tensor out = None)"))


def _mixed_bounds(min, max):
    """True for a number bound with a tensor bound, which torch refuses: its clamp takes
    two tensors or two numbers (a 0-dim tensor not requiring grad passes as a number)."""
    if min is None or max is None or isinstance(min, Tensor) is isinstance(max, Tensor):
        return False
    t = min if isinstance(min, Tensor) else max
    return t.ndim != 0 or t.requires_grad


def _mixed_bounds_error(caller, min, max):
    """torch's TypeError for clamp(x, min=0, max=y). (torch lists the arguments the way
    they were passed, keywords last and in reverse order; here both bounds are written
    as keywords, as in x.clamp(min=0, max=y).)"""
    name, method = caller
    got = f"max={_kind(max)}, min={_kind(min)}"
    if method:
        got, overloads = got + ", ", [" * (Tensor min = None, Tensor max = None)",
                                      " * (Number min = None, Number max = None)"]
        overloads = [line + "\n      didn't match because some of the keywords were "
                     "incorrect: max, min" for line in overloads]
    else:
        got, overloads = "Tensor, " + got, [
            " * (Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)",
            " * (Tensor input, Number min = None, Number max = None, *, Tensor out = None)"]
    return TypeError(f"{name}() received an invalid combination of arguments - got ({got}), "
                     "but expected one of:\n" + "\n".join(overloads) + "\n")


def _number_or_none(value):
    """True for None or a Python float or int (not a bool)."""
    return value is None or type(value) is float or type(value) is int


def _bound(value, dt):
    """A clamp bound as an operand of dtype ``dt``."""
    if isinstance(value, Tensor):
        return value._data.astype(dt, copy=False)
    _check_int_scalar(value, dt)
    return np.array(value).astype(dt)


def _check_int_scalar(value, dt):
    """torch's checked conversion of an int to an integer dtype: the value must fit,
    except that unsigned types take negatives down to -max (they wrap: -2 -> 254)."""
    if dt.kind not in "iu" or not isinstance(value, (int, np.integer)) or isinstance(
            value, (bool, np.bool_)):
        return
    info = np.iinfo(dt)
    low = -int(info.max) if info.min == 0 else int(info.min)
    if not low <= value <= info.max:
        raise RuntimeError(f"value cannot be converted to type {dt.name}_t without overflow")


def _clamp_backward(ctx, grad):
    (x,) = ctx.saved_tensors
    lo, hi = ctx.bounds
    keep = None
    if lo is not None:
        keep = x >= lo
    if hi is not None:
        keep = (x <= hi) if keep is None else keep & (x <= hi)
    return where(keep, grad, 0.0)


def _clamp_tensor_backward(ctx, grad):
    # torch's rule: x gets the gradient where min <= x <= max; min where x < min (and
    # min < max); max where x > max or max < min (max wins when the bounds cross).
    (x,) = ctx.saved_tensors
    lo, hi = ctx.bounds
    gx = glo = ghi = None
    if ctx.needs_input_grad[0]:
        keep = None
        if lo is not None:
            keep = x >= lo
        if hi is not None:
            keep = (x <= hi) if keep is None else keep & (x <= hi)
        gx = _grad_for(ctx, 0, where(keep, grad, 0.0))
    if ctx.needs_input_grad[1]:
        to_lo = x < lo if hi is None else (x < lo) & (lo < hi)
        glo = _grad_for(ctx, 1, where(to_lo, grad, 0.0))
    if ctx.needs_input_grad[2]:
        to_hi = x > hi if lo is None else (x > hi) | (hi < lo)
        ghi = _grad_for(ctx, 2, where(to_hi, grad, 0.0))
    return gx, glo, ghi


def clamp_min(input, min):
    """clamp(input, min=min); recorded as ClampMinBackward0 (1 for a tensor bound)."""
    return _clamp(input, min, None, "clamp_min")


def clamp_max(input, max):
    """clamp(input, max=max); recorded as ClampMaxBackward0 (1 for a tensor bound)."""
    return _clamp(input, None, max, "clamp_max")


def lerp(input, end, weight, *, out=None):
    """input + weight * (end - input); ``end`` (and a tensor weight) must have input's dtype.

    >>> ember.lerp(ember.tensor([0., 10.]), ember.tensor([10., 20.]), 0.5)
    tensor([ 5., 15.])
    """
    _tensor_arg(input, "lerp")
    _tensor_arg(end, "lerp", "end", 2)
    w_is_tensor = isinstance(weight, Tensor)
    if not w_is_tensor and not _is_number(weight):
        raise invalid_combination("lerp", (input, end, weight), {}, (
            "(Tensor input, Tensor end, Tensor weight, *, Tensor out = None)",
            "(Tensor input, Tensor end, Number weight, *, Tensor out = None)"))
    if input._data.dtype.kind != "f":
        raise _not_implemented("lerp_kernel_tensor" if w_is_tensor else "lerp_kernel_scalar",
                               input._data.dtype)
    for what, t in (("end", end), ("weight", weight)):
        # A 0-dim weight is taken as a number; end must always match.
        if isinstance(t, Tensor) and t._data.dtype != input._data.dtype and (
                what == "end" or t.ndim > 0):
            raise RuntimeError(f"expected dtype {_c_name(input._data.dtype)} for `{what}` but "
                               f"got dtype {_c_name(t._data.dtype)}")
    try:
        # (inf - inf is a silent nan, as in torch)
        data = silently(_lerp_values, input._data, end._data,
                        weight._data if w_is_tensor else weight)
    except ValueError:
        raise _broadcast_error(input, end) from None
    result = _make(np.asarray(data, dtype=input._data.dtype))
    # (a number weight gets no edge: LerpBackward0 has two inputs)
    node = record("LerpBackward1" if w_is_tensor else "LerpBackward0", _lerp_backward,
                  (input, end, weight) if w_is_tensor else (input, end), result)
    if node:
        node.save_for_backward(input, end, weight)
    return _maybe_out(result, out)


def _lerp_values(x, e, w):
    """torch's lerp, to the bit: start + w * (end - start) for |w| < 0.5, else
    end - (end - start) * (1 - w), each a fused multiply-add (emulated in double for
    float32/float16, whose arithmetic torch does in float32)."""
    op, wide = _fused_types(x.dtype)
    x, e = x.astype(op, copy=False), e.astype(op, copy=False)
    w = np.asarray(w, dtype=op)
    diff = e - x
    x, e, diff = x.astype(wide), e.astype(wide), diff.astype(wide)
    out = np.where(np.abs(w) < 0.5, x + w.astype(wide) * diff,
                   e - diff * (1 - w).astype(wide))
    return out.astype(op)


def _fused_types(dt):
    """(torch's arithmetic type, a wider type to emulate one fused multiply-add in):
    float16 and float32 compute in float32, emulated in double; float64 in long double
    (80-bit on x86; where long double is double the emulation is only close)."""
    if dt == np.float64:
        return np.dtype(np.float64), np.dtype(np.longdouble)
    return np.dtype(np.float32), np.dtype(np.float64)


def _c_name(np_dtype):
    """The C++ name torch's kernels use in dtype errors ('float', 'long int', ...)."""
    return {"float32": "float", "float64": "double", "float16": "c10::Half", "bool": "bool",
            "uint8": "unsigned char", "int8": "signed char", "int16": "short int",
            "int32": "int", "int64": "long int"}[np.dtype(np_dtype).name]


def _lerp_backward(ctx, grad):
    start, end, w = ctx.saved_tensors
    g_start = _grad_for(ctx, 0, grad * (1 - w)) if ctx.needs_input_grad[0] else None
    g_end = _grad_for(ctx, 1, grad * w) if ctx.needs_input_grad[1] else None
    if not isinstance(w, Tensor):
        return g_start, g_end
    g_w = _grad_for(ctx, 2, grad * (end - start)) if ctx.needs_input_grad[2] else None
    return g_start, g_end, g_w




def where(condition, input=_MISSING, other=_MISSING, *, out=None):
    """Pick from input where condition holds, else from other (broadcasting).

    ``where(condition)`` alone is ``nonzero(condition, as_tuple=True)``.

    >>> ember.where(ember.tensor([True, False]), ember.tensor([1, 2]), 0)
    tensor([1, 0])
    """
    if input is _MISSING and other is _MISSING:
        return condition.nonzero(as_tuple=True)
    try:
        cond = condition._data
    except AttributeError:      # (a list or a NumPy array: torch wants a Tensor)
        raise _where_error(condition, input, other) from None
    if cond.dtype != np.bool_:
        if cond.dtype != np.uint8:
            raise RuntimeError(f"where expected condition to be a boolean tensor, but got a "
                               f"tensor with dtype {_type_name(_dtypes.FROM_NUMPY[cond.dtype])}")
        warnings.warn("where received a uint8 condition tensor. This behavior is deprecated and "
                      "will be removed in a future version of PyTorch. Use a boolean condition "
                      "instead.", UserWarning, stacklevel=2)
        cond = cond.astype(bool)
    if isinstance(input, Tensor) or isinstance(other, Tensor):
        try:
            x, y, dt = _promoted(input, other, "where")
        except TypeError:
            raise _where_error(condition, input, other) from None
    else:       # two numbers: each takes its own dtype, then they promote
        if not (_is_number(input) and _is_number(other)):
            raise _where_error(condition, input, other)
        dt = _dtypes.result_type(input, other).np
        x, y = np.asarray(input, dtype=dt), np.asarray(other, dtype=dt)
    for v in (input, other):
        _check_int_scalar(v, dt)
    try:
        result = _make(np.asarray(np.where(cond, x, y), dtype=dt))
    except ValueError:
        raise _broadcast_error(cond, x, y) from None
    node = record("WhereBackward0", _where_backward, (input, other), result)
    if node:
        node.cond = _make(cond)
    return _maybe_out(result, out)


_WHERE_SIGNATURES = ("(Tensor condition)",
                     "(Tensor condition, Tensor input, Tensor other, *, Tensor out = None)",
                     "(Tensor condition, Number self, Tensor other)",
                     "(Tensor condition, Tensor input, Number other)",
                     "(Tensor condition, Number self, Number other)")


def _where_error(condition, input, other):
    given = tuple(a for a in (condition, input, other) if a is not _MISSING)
    return invalid_combination("where", given, {}, _WHERE_SIGNATURES)



def _where_backward(ctx, grad):
    cond = ctx.cond
    ga = _grad_for(ctx, 0, where(cond, grad, 0.0)) if ctx.needs_input_grad[0] else None
    gb = _grad_for(ctx, 1, where(cond, 0.0, grad)) if ctx.needs_input_grad[1] else None
    return ga, gb


# ----------------------------------------------------------------- casts
def cast(input, dtype):
    """A copy of ``input`` in another dtype (``x.to(dtype)``): ToCopyBackward0.

    >>> ember.tensor([2.7, float('nan')]).long()[0]
    tensor(2)
    """
    if input._data.dtype in _SOURCES_THAT_MAY_NOT_FIT.get(dtype, ()):
        # nan/inf/out-of-range into an integer, overflow into a narrower float: torch
        # is silent (and gives inf, or the platform's integer); NumPy would warn
        token = fp_errors_off()
        try:
            result = _make(input._data.astype(dtype.np))
        finally:
            fp_errors_restore(token)
    else:       # (the usual casts skip fp_errors_off: it would cost them a third)
        result = _make(input._data.astype(dtype.np))
    if input._requires_grad and dtype.is_floating_point:
        record("ToCopyBackward0", _cast_backward, (input,), result)
    return result


def _sources_that_may_not_fit():
    """For each target dtype, the NumPy dtypes whose values it may be unable to hold:
    floats into integers or narrower floats, int32/int64 into float16 (70000 -> inf)."""
    def may_not_fit(source, target):
        if source.kind == "f":
            return target.kind in "iu" or (target.kind == "f"
                                           and target.itemsize < source.itemsize)
        return source.kind in "iu" and source.itemsize >= 4 and target == np.float16
    return {target: frozenset(source.np for source in _dtypes.ALL_DTYPES
                              if may_not_fit(source.np, target.np))
            for target in _dtypes.ALL_DTYPES}


_SOURCES_THAT_MAY_NOT_FIT = _sources_that_may_not_fit()


def _cast_backward(ctx, grad):
    return grad    # the engine casts it back to the input's dtype


def clone(input, *, memory_format=None):
    """A copy with its own memory; gradients flow through it. By default
    (``preserve_format``) the copy keeps ``input``'s strides where its elements are
    dense, else the order of its strides; ``memory_format`` can ask for another.

    >>> ember.arange(6.).reshape(2, 3).t().clone().stride()
    (1, 3)
    """
    try:
        data = input._data
    except AttributeError:
        _tensor_arg(input, "clone")     # (torch's TypeError for an input that is no Tensor)
        raise
    if (memory_format is None or memory_format is _mf.preserve_format) and \
            _mf.keeps_c_order(data):
        result = _make(data.copy())          # the usual case: C order in, C order out
    else:
        strides = _mf.strides_for(input, _mf.check_format("clone", memory_format))
        result = _mf.copy_laid_out(data, strides, _make)
    record("CloneBackward0", _cast_backward, (input,), result)
    return result


# ------------------------------------------------------ one-input maths
def _unary(name, np_fn, node_name, derivative, *, float_only=True, saves="input",
           precise=False, refuse=None, exact_out=False):
    """Define a one-input op from its NumPy function and its derivative.

    ``derivative(x, out, grad)`` returns the input gradient, written with ember
    ops so that it can itself be differentiated. ``refuse`` is (dtype kinds, error
    maker) for the dtypes torch has no kernel for ('b' for bool, 'iu' for integers).
    ``exact_out``: out= must have the result's dtype (torch casts into it for the maths
    functions, not for neg, abs, floor, ...).
    """
    def backward(ctx, grad):
        (saved,) = ctx.saved_tensors
        x, y = (saved, None) if saves == "input" else (None, saved)
        return derivative(x, y, grad)

    def op(input, *, out=None):
        data = _tensor_arg(input, name)._data
        dt = data.dtype
        if dt is not _F32 and dt is not _F64:
            # (float32/float64, the usual case, can be neither refused nor cast)
            if refuse is not None and dt.kind in refuse[0]:
                raise refuse[1](dt)
            if float_only:
                data = _float_array(input)
                dt = data.dtype
        # ``precise`` functions run in float64 and round once to the input's dtype: NumPy's
        # float32 exp/log/sin kernels are 1-2 ulp off where torch's are within 1 ulp, and
        # rounding the exact value reproduces torch's bits (99% of float32 exp results,
        # against 61% for NumPy's float32 kernel), so printed digits agree.
        arg = data.astype(np.float64) if precise and dt is not _F64 else data
        token = fp_errors_off()         # (np.errstate's context manager costs ~0.8 us)
        try:
            # (the rounding to dt is inside too: exp(200.) is finite in float64 but
            # overflows float32, to inf silently in torch)
            values = np.asarray(np_fn(arg), dtype=dt)
        finally:
            fp_errors_restore(token)
        if not input._data.flags.c_contiguous:
            values = unary_layout(values, input._data)
        result = _make(values)
        if derivative is not None and input._requires_grad:
            node = record(node_name, backward, (input,), result)
            if node:
                node.save_for_backward(input if saves == "input" else result)
        if out is None:
            return result
        return _exact_out(result, out) if exact_out else _maybe_out(result, out)

    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Elementwise {name}; its gradient is recorded as {node_name}."
    return op


_LN2 = float(np.log(2.0))
_LN10 = float(np.log(10.0))


def unary_layout(values, like):
    """``values`` (computed elementwise from the array ``like``) laid out as torch lays out
    a one-input op's result: ``like``'s own strides when it is dense, else dense ones in
    its stride order with expanded (0-stride) dims in C order. (NumPy's K order moves
    an expanded dim innermost, where torch's result is contiguous and can be view()ed.)"""
    if not values.size:
        return values
    item = like.itemsize
    target = _mf.preserved_strides(like.shape, tuple(st // item for st in like.strides))
    if tuple(st // values.itemsize for st in values.strides) == target:
        return values
    return _mf.array_with_strides(values, target)


def _zero_like_grad(x, y, g):
    return _zeros_like(g)


def _zeros_like(t):
    # zeros, not t * 0: that gives -0. where t < 0, which prints as "-0."
    return _make(np.zeros_like(t._data))


def _bool_kernel_missing(kernel):
    return "b", lambda dt: _not_implemented(kernel, dt)


neg = _unary("neg", np.negative, "NegBackward0", lambda x, y, g: -g, float_only=False, exact_out=True,
             refuse=("b", lambda dt: RuntimeError(
                 "Negation, the `-` operator, on a bool tensor is not supported. If you are "
                 "trying to invert a mask, use the `~` or `logical_not()` operator instead.")))
abs = _unary("abs", np.abs, "AbsBackward0", lambda x, y, g: g * sign(x), float_only=False, exact_out=True,
             refuse=_bool_kernel_missing("abs_cpu"))


def _sign(a):
    # torch computes (0 < a) - (a < 0): NaN and -0.0 give +0.0 (np.sign keeps NaN, -0.0);
    # the sign of a bool is the bool itself.
    if a.dtype == np.bool_:
        return a.copy()
    if a.dtype.kind == "f":
        return (a > 0).astype(a.dtype) - (a < 0).astype(a.dtype)
    return np.sign(a)


sign = _unary("sign", _sign, "SignBackward0", _zero_like_grad, float_only=False,
             exact_out=True)
exp = _unary("exp", np.exp, "ExpBackward0", lambda x, y, g: g * y, saves="output", precise=True)
exp2 = _unary("exp2", np.exp2, "Exp2Backward0", lambda x, y, g: g * y * _LN2, saves="output",
              precise=True)
expm1 = _unary("expm1", np.expm1, "Expm1Backward0", lambda x, y, g: g * (y + 1),
               saves="output", precise=True)
log = _unary("log", np.log, "LogBackward0", lambda x, y, g: g / x, precise=True)
log1p = _unary("log1p", np.log1p, "Log1PBackward0", lambda x, y, g: g / (x + 1), precise=True)
log2 = _unary("log2", np.log2, "Log2Backward0", lambda x, y, g: g / (x * _LN2), precise=True)
log10 = _unary("log10", np.log10, "Log10Backward0", lambda x, y, g: g / (x * _LN10), precise=True)
sqrt = _unary("sqrt", np.sqrt, "SqrtBackward0", lambda x, y, g: g / (2 * y), saves="output")
rsqrt = _unary("rsqrt", lambda a: 1 / np.sqrt(_at_least_float32(a)), "RsqrtBackward0",
               lambda x, y, g: -0.5 * g * y * y * y, saves="output")
reciprocal = _unary("reciprocal", np.reciprocal, "ReciprocalBackward0",
                    lambda x, y, g: -g * y * y, saves="output")
sin = _unary("sin", np.sin, "SinBackward0", lambda x, y, g: g * cos(x), precise=True)
cos = _unary("cos", np.cos, "CosBackward0", lambda x, y, g: -g * sin(x), precise=True)
tan = _unary("tan", np.tan, "TanBackward0", lambda x, y, g: g * (1 + y * y), saves="output",
             precise=True)
asin = _unary("asin", np.arcsin, "AsinBackward0", lambda x, y, g: g * rsqrt(1 - x * x),
              precise=True)
acos = _unary("acos", np.arccos, "AcosBackward0", lambda x, y, g: -g * rsqrt(1 - x * x),
              precise=True)
atan = _unary("atan", np.arctan, "AtanBackward0", lambda x, y, g: g / (1 + x * x),
              precise=True)
sinh = _unary("sinh", np.sinh, "SinhBackward0", lambda x, y, g: g * cosh(x), precise=True)
cosh = _unary("cosh", np.cosh, "CoshBackward0", lambda x, y, g: g * sinh(x), precise=True)


def _plain_arrays(g, y):
    """(g's array, y's array) when backward records no graph and both are float32 or
    both float64: a derivative's ops may then run on the arrays, the same ufuncs that
    the Tensor operators' fast lane would call (same bits) without their dispatch.
    None otherwise (create_graph, other dtypes): the derivative uses ember ops."""
    if _grad_state.enabled:
        return None
    gd, yd = g._data, y._data
    if (gd.dtype is _F32 or gd.dtype is _F64) and yd.dtype is gd.dtype:
        return gd, yd
    return None


def _tanh_derivative(x, y, g):
    arrays = _plain_arrays(g, y)
    if arrays is None:
        return g * (1 - y * y)
    gd, yd = arrays
    return _make(np.multiply(gd, np.subtract(1, np.multiply(yd, yd))))


def _sigmoid_derivative(x, y, g):
    arrays = _plain_arrays(g, y)
    if arrays is None:
        return g * y * (1 - y)
    gd, yd = arrays
    return _make(np.multiply(np.multiply(gd, yd), np.subtract(1, yd)))


tanh = _unary("tanh", np.tanh, "TanhBackward0", _tanh_derivative, saves="output",
              precise=True)
sigmoid = _unary("sigmoid", lambda a: _sigmoid(a), "SigmoidBackward0", _sigmoid_derivative,
                 saves="output")


def _relu_derivative(x, y, g):
    # The gradient passes where the output is positive. Under create_graph it is
    # g * sign(y), which keeps the gradient attached to the graph as torch's is (its own
    # derivative is 0); otherwise one comparison does (the common, fast case).
    if _grad_state.enabled:
        return g * sign(y)
    # g where not y <= 0 (torch's test, which lets the gradient through at a nan) on the
    # arrays: the mask is cast to g's dtype inside the multiply (in buffered blocks)
    # instead of as a whole float copy first.
    gd = g._data
    return _make(np.multiply(gd, ~(y._data <= 0), dtype=gd.dtype))


relu = _unary("relu", lambda a: np.maximum(a, 0, dtype=a.dtype), "ReluBackward0",
              _relu_derivative, float_only=False, saves="output",
              refuse=("b", lambda dt: RuntimeError("Boolean inputs not supported for relu")))
floor = _unary("floor", np.floor, "FloorBackward0", _zero_like_grad, float_only=False,
               refuse=_bool_kernel_missing("floor_vml_cpu"), exact_out=True)
ceil = _unary("ceil", np.ceil, "CeilBackward0", _zero_like_grad, float_only=False,
              refuse=_bool_kernel_missing("ceil_vml_cpu"), exact_out=True)
trunc = _unary("trunc", np.trunc, "TruncBackward0", _zero_like_grad, float_only=False,
               refuse=_bool_kernel_missing("trunc_vml_cpu"), exact_out=True)
frac = _unary("frac", lambda a: a - np.trunc(a), "FracBackward0", lambda x, y, g: g,
              refuse=("biu", lambda dt: _not_implemented("frac_cpu", dt)), exact_out=True)
fix = trunc
negative = neg
absolute = abs
arcsin, arccos, arctan = asin, acos, atan


def _at_least_float32(a):
    # torch computes float16 maths in float32 and rounds once at the end (Python numbers
    # pass through)
    return a.astype(np.float32) if getattr(a, "dtype", None) == np.float16 else a


def _sigmoid(a):
    # torch computes 1 / (1 + exp(-x)) in float32 for float32/float16 (exp(-x) = inf for
    # very negative x gives 0, no NaN); exp rounded from double matches its exp best.
    if a.dtype == np.float64:
        return 1 / (1 + np.exp(-a))
    e = np.exp(-a.astype(np.float64)).astype(np.float32)
    return (1 / (1 + e)).astype(a.dtype, copy=False)


def square(input, *, out=None):
    """input ** 2 (recorded as PowBackward0, as in torch)."""
    try:
        is_bool = input._data.dtype == np.bool_
    except AttributeError:
        raise _tensor_arg_error(input, "square") from None
    if is_bool:
        return pow(input.to(_dtypes.int64), 2, out=out)
    return pow(input, 2, out=out)


class _DecimalsNotGiven(int):
    """round's default ``decimals`` (0, shown as 0): torch takes another path when the
    argument is given, and that one refuses integer tensors even for decimals=0."""

    def __repr__(self):
        return "0"


def round(input, *, decimals=_DecimalsNotGiven(0), out=None):
    """Round half to even, like torch.round; ``decimals`` rounds to a power of ten.

    >>> ember.round(ember.tensor([0.5, 1.5, 1.25]), decimals=1)
    tensor([0.5000, 1.5000, 1.2000])
    """
    _tensor_arg(input, "round")
    data = input._data
    given = not isinstance(decimals, _DecimalsNotGiven)
    if given and type(decimals) is not int and (
            isinstance(decimals, (bool, np.bool_)) or not hasattr(type(decimals), "__index__")):
        raise invalid_combination("round", (input,), {"decimals": decimals}, (
            "(Tensor input, *, Tensor out = None)",
            "(Tensor input, *, int decimals, Tensor out = None)"))
    if data.dtype.kind == "b" or (given and data.dtype.kind != "f"):
        raise _not_implemented("round_vml_cpu" if decimals == 0 else "round_cpu", data.dtype)
    if data.dtype.kind != "f":
        result = _make(data.copy())
    else:
        # (into an array laid out like the input: NumPy's rounding to decimals would
        # return C order, torch's result keeps the input's layout as every unary op does)
        result = _make(unary_layout(np.round(data, decimals, out=np.empty_like(data)), data))
    record("RoundBackward0" if decimals == 0 else "RoundBackward1", _zero_backward,
           (input,), result)
    return result if out is None else _exact_out(result, out)


def sgn(input, *, out=None):
    """sign for real tensors (torch's complex-aware name); recorded as SgnBackward0."""
    return _sgn(input, out=out)


_sgn = _unary("sgn", _sign, "SgnBackward0", _zero_like_grad, float_only=False,
             exact_out=True)


def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    """Replace NaN by ``nan`` and infinities by ``posinf``/``neginf`` (by default the
    dtype's largest and smallest values); the gradient passes where x was finite.

    >>> ember.nan_to_num(ember.tensor([float('nan'), 1.0]))
    tensor([0., 1.])
    """
    _tensor_arg(input, "nan_to_num")
    # (posinf=1e40 for float32 is inf, silently as in torch)
    if out is not None and isinstance(out, Tensor) and out.dtype is not input.dtype:
        raise RuntimeError(f"nan_to_num: dtype of out: {_type_name(out.dtype)} should be same "
                           f"as input: {_type_name(input.dtype)}")
    values = silently(np.nan_to_num, input._data, nan=nan, posinf=posinf, neginf=neginf)
    result = _make(values if input._data.flags.c_contiguous
                   else unary_layout(values, input._data))
    node = record("NanToNumBackward0", _nan_to_num_backward, (input,), result)
    if node:
        node.save_for_backward(input)
    return _maybe_out(result, out)


def _nan_to_num_backward(ctx, grad):
    (x,) = ctx.saved_tensors
    return grad * x.isfinite()


# -------------------------------------------------- comparisons and logic
def _compare(ufunc, opname):
    def op(input, other, *, out=None):
        return _maybe_out(_binary(ufunc, input, other, opname), out)
    op.__name__ = op.__qualname__ = opname
    op.__doc__ = f"Elementwise {opname} comparison; returns a bool tensor."
    return op


def _compare_method(op, name):
    """``x.name(other)``: the comparison ``op``, with torch's errors for the method form
    (which list the method's overloads, ``(Tensor other)`` and ``(Number other)``)."""
    def method(self, other, *, out=None):
        try:
            return op(self, other, out=out)
        except TypeError as err:
            raise _operand_error(op.__name__, self, other, method=name) or err from None
    method.__name__ = method.__qualname__ = name
    method.__doc__ = op.__doc__
    return method


eq = _compare(np.equal, "eq")
ne = _compare(np.not_equal, "ne")
lt = _compare(np.less, "lt")
le = _compare(np.less_equal, "le")
gt = _compare(np.greater, "gt")
ge = _compare(np.greater_equal, "ge")
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def _logical(ufunc, opname):
    def op(input, other, *, out=None):
        _tensor_arg(input, opname)
        _tensor_arg(other, opname, "other", 2)
        # the truth values of the promoted operands, as torch takes them: a 0-dim int16
        # 256 with a uint8 tensor is 0 (False) in uint8
        x, y, _ = _promoted(input, other, opname)
        try:
            return _maybe_out(_make(ufunc(x.astype(bool, copy=False),
                                          y.astype(bool, copy=False))), out)
        except ValueError:
            raise _broadcast_error(input, other) from None
    op.__name__ = op.__qualname__ = opname
    op.__doc__ = f"Elementwise {opname} of the truth values (non-zero is True)."
    return op


logical_and = _logical(np.logical_and, "logical_and")
logical_or = _logical(np.logical_or, "logical_or")
logical_xor = _logical(np.logical_xor, "logical_xor")


def logical_not(input, *, out=None):
    """True where input is zero (False), as a bool tensor."""
    try:
        return _maybe_out(_make(np.logical_not(input._data)), out)
    except AttributeError:
        raise _tensor_arg_error(input, "logical_not") from None


def _bitwise(ufunc, opname):
    def op(input, other, *, out=None):
        x, y, dt = _promoted(input, other, opname)
        try:
            if dt.kind == "f":
                np.broadcast_shapes(np.shape(x), np.shape(y))   # (torch checks this first)
                raise _not_implemented(f"{opname}_cpu", dt)
            return _maybe_out(_make(np.asarray(ufunc(x, y), dtype=dt)), out)
        except ValueError:
            raise _broadcast_error(input, other) from None
    op.__name__ = op.__qualname__ = opname
    op.__doc__ = f"Elementwise {opname} of integer or bool tensors."
    return op


bitwise_and = _bitwise(np.bitwise_and, "bitwise_and")
bitwise_or = _bitwise(np.bitwise_or, "bitwise_or")
bitwise_xor = _bitwise(np.bitwise_xor, "bitwise_xor")


def bitwise_not(input, *, out=None):
    """~x: bitwise complement of an integer tensor, logical not of a bool tensor."""
    if _tensor_arg(input, "bitwise_not")._data.dtype.kind == "f":
        raise _not_implemented("bitwise_not_cpu", input._data.dtype)
    result = _make(np.invert(input._data))
    return result if out is None else _exact_out(result, out)


def isnan(input):
    """True where input is NaN (never for integers)."""
    try:
        return _make(np.isnan(input._data))
    except AttributeError:
        raise _tensor_arg_error(input, "isnan") from None


def isinf(input):
    """True where input is +inf or -inf."""
    try:
        return _make(np.isinf(input._data))
    except AttributeError:
        raise _tensor_arg_error(input, "isinf") from None


def isfinite(input):
    """True where input is neither NaN nor infinite."""
    try:
        return _make(np.isfinite(input._data))
    except AttributeError:
        raise _tensor_arg_error(input, "isfinite") from None


def isposinf(input):
    """True where input is +inf."""
    try:
        return _make(np.isposinf(input._data))
    except AttributeError:
        raise _tensor_arg_error(input, "isposinf") from None


def isneginf(input):
    """True where input is -inf."""
    try:
        return _make(np.isneginf(input._data))
    except AttributeError:
        raise _tensor_arg_error(input, "isneginf") from None


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Elementwise |input - other| <= atol + rtol * |other| (both of one dtype).

    >>> ember.isclose(ember.tensor([1.0, 2.0]), ember.tensor([1.0, 2.1]))
    tensor([ True, False])
    """
    _tensor_arg(input, "isclose")
    _tensor_arg(other, "isclose", "other", 2)
    if input._data.dtype != other._data.dtype:
        raise RuntimeError(f"{_type_name(input.dtype)} did not match {_type_name(other.dtype)}")
    for name, tol in (("rtol", rtol), ("atol", atol)):
        if tol < 0:
            raise RuntimeError(f"{name} must be greater than or equal to zero, but got {tol}")
    try:
        return _make(np.asarray(np.isclose(input._data, other._data, rtol=rtol, atol=atol,
                                           equal_nan=equal_nan)))
    except ValueError:
        raise _broadcast_error(input, other) from None


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True if every element is close: |a - b| <= atol + rtol * |b| (a Python bool).

    >>> ember.allclose(ember.tensor([1.0, 2.0]), ember.tensor([1.0, 2.0 + 1e-7]))
    True
    """
    _tensor_arg(input, "allclose")
    _tensor_arg(other, "allclose", "other", 2)
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def equal(input, other):
    """True if both have the same shape and the same elements (NaN is never equal).

    >>> ember.equal(ember.tensor([1, 2]), ember.tensor([1.0, 2.0]))
    True
    """
    _tensor_arg(input, "equal")
    _tensor_arg(other, "equal", "other", 2)
    if input.shape != other.shape:
        return False
    x, y, _ = _promoted(input, other, "equal")
    return bool(np.array_equal(x, y))


# ----------------------------------------------------------- in-place ops
def check_inplace(t):
    """A leaf that requires grad, or a view of one, may not be modified in place while
    grad is on (its gradient would silently describe values it no longer holds)."""
    if not (t._requires_grad and _grad_state.enabled):
        return
    if t._extra and "no_grad_view" in t._extra:
        from .shape import no_grad_view_error       # (shape imports this module)
        raise no_grad_view_error(t)
    if t.grad_fn is None:
        # (a leaf made from a view, as reshape(...).requires_grad_(), still counts as
        # a view in torch's message)
        kind = "a view of a leaf Variable" if t._base is not None else "a leaf Variable"
        raise RuntimeError(
            f"{kind} that requires grad is being used in an in-place operation.")
    base = t._base
    if base is not None and base.grad_fn is None and base._requires_grad:
        raise RuntimeError(
            "a view of a leaf Variable that requires grad is being used in an in-place "
            "operation.")


def assign_inplace(self, result):
    """Write an out-of-place ``result`` into ``self``: check dtype and shape, copy the
    data, bump the version, and make ``self`` carry the result's graph."""
    check_inplace(self)
    if not _dtypes.can_cast(result.dtype, self.dtype):
        raise RuntimeError(f"result type {_type_name(result.dtype)} can't be cast to the "
                           f"desired output type {_type_name(self.dtype)}")
    if result.shape != self.shape:
        raise _output_shape_error(self, result)
    if self._base is not None and (result._requires_grad or self._base._requires_grad):
        # a write through a view changes its base: the base's graph is rebased (CopySlices)
        return _write_view(self, result)
    if not self._data.flags.writeable:
        return _write_expanded(self, result)
    if self._vc is NO_VERSION:
        # (refused before any byte changes: torch checks only after its write; the two
        # paths above check it in index.write_inplace, after their own checks)
        check_inference_write()
    if result._data.dtype is self._data.dtype:
        np.copyto(self._data, result._data)
    else:   # float32 x /= a float64 tensor: 1e300 becomes inf, silently in torch
        silently(np.copyto, self._data, result._data, casting="unsafe")
    take_graph_of(self, result)
    return self


def _write_expanded(self, result, on_overlap=None):
    """In-place write into read-only memory: an expand()ed tensor, where several
    elements share one place. torch refuses most such writes ("unsupported
    operation: more than one element ...") and lets fill_/zero_ through."""
    from .index import write_inplace
    return write_inplace(self, result, on_overlap)


def _output_shape_error(self, other):
    """In place, the result must keep self's shape: self may not be broadcast up."""
    shape = getattr(other, "shape", ())
    try:
        full = list(np.broadcast_shapes(tuple(self.shape), tuple(shape)))
    except ValueError:
        return _broadcast_error(self, other)
    return RuntimeError(f"output with shape {list(self.shape)} doesn't match the broadcast "
                        f"shape {full}")


def _type_name(d):
    return {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
            "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool"}[d.name]


def _inplace(outofplace, reads_self=True):
    """Make ``x.op_(...)`` from ``op``: compute, then assign into x."""
    def method(self, *args, **kwargs):
        check_inplace(self)       # before computing, so that nothing is recorded
        original = _original(self, reads_self, args + tuple(kwargs.values()))
        return assign_inplace(self, outofplace(original, *args, **kwargs))
    method.__name__ = outofplace.__name__ + "_"
    method.__doc__ = f"In-place {outofplace.__name__}; returns self."
    return method


def _compare_inplace(compare, stem):
    """x.eq_(y): the truth values written into x in its own dtype. On a graph, x's new
    history is a zero-gradient node (EqBackward0 for a number y, EqBackward1 for a tensor),
    as in torch, so nothing flows back through the comparison."""
    def method(self, other):
        check_inplace(self)
        original = _original(self, True, (other,))
        result = compare(original, other)
        if _grad_state.enabled and (self._requires_grad
                                    or getattr(other, "_requires_grad", False)):
            result = _make(result._data.astype(self._data.dtype))
            tensor_other = isinstance(other, Tensor)
            record(f"{stem}Backward{int(tensor_other)}", _zero_backward,
                   (original, other) if tensor_other else (original,), result)
        return assign_inplace(self, result)
    method.__name__ = compare.__name__ + "_"
    method.__doc__ = f"In-place {compare.__name__}: 1 where it holds, 0 elsewhere; returns self."
    return method


def _original(self, reads_self=True, others=()):
    """What an in-place op computes from when a graph is recorded: self's values before
    the write. The op may save its input for backward (mul_, clamp_, pow_ do) and self is
    about to be overwritten, so it gets a copy carrying self's place in the graph (torch
    keeps such an "original self" too). Ops whose backward never reads self skip it."""
    from ..autograd.grad_mode import _state
    if not (reads_self and _state.enabled and (
            self._requires_grad or any(getattr(o, "_requires_grad", False) for o in others))):
        return self
    snapshot = _make(self._data.copy(), self._requires_grad)
    snapshot.grad_fn = self.grad_fn
    return snapshot


def _fast_inplace(ufunc, outofplace, check=None, reads_self=True):
    """In-place arithmetic: when no graph is needed, NumPy writes straight into the
    tensor's memory (the optimizer's ``p -= lr * g`` lands here). ``check(self, other)``
    runs the op's own operand checks (sub refuses bools)."""
    def method(self, other, **kwargs):
        if (kwargs or (_grad_state.enabled and (self._requires_grad or
                                                getattr(other, "_requires_grad", False)))):
            check_inplace(self)
            original = _original(self, reads_self, (other,))
            return assign_inplace(self, outofplace(original, other, **kwargs))
        dt = self._data.dtype
        if (dt is _F32 or dt is _F64) and (type(other) is float or type(other) is int):
            y = other       # float tensor and Python number: no check below can fail
        elif (dt is _F32 or dt is _F64) and isinstance(other, Tensor) and (
                other._data.dtype is dt):
            y = other._data             # same float dtype: likewise
        else:
            if check is not None:
                check(self, other)
            x, y, dt = _promoted(self, other, outofplace.__name__,
                                 method=outofplace.__name__ + "_")
            if dt != self._data.dtype and not _dtypes.can_cast(_dtypes.FROM_NUMPY[dt],
                                                               self.dtype):
                raise RuntimeError(f"result type {_type_name(_dtypes.FROM_NUMPY[dt])} can't be "
                                   f"cast to the desired output type {_type_name(self.dtype)}")
        if (self._vc is NO_VERSION and not _grad_state.inference) or (
                not self._data.flags.writeable):
            # (an inference tensor outside the mode: assign_inplace checks the shapes
            # first, as torch, then refuses the write)
            return assign_inplace(self, outofplace(self, other))
        # (inf * 0 is a silent nan in torch, as is float16 *= an int32 tensor, whose
        # 2**31 - 1 is inf there)
        token = fp_errors_off()
        try:
            ufunc(self._data, y, out=self._data, casting="unsafe")
        except ValueError:
            raise _output_shape_error(self, other) from None
        finally:
            fp_errors_restore(token)
        self._bump_version()
        return self
    method.__name__ = outofplace.__name__ + "_"
    method.__doc__ = f"In-place {outofplace.__name__}; returns self."
    return method


def _clamp_inplace(self, min=None, max=None, form="clamp", caller=None):
    """x.clamp_(min, max) (x.clamp_min_(min) and x.clamp_max_(max) pass their ``form``).
    With number bounds torch names the output type the C++ way."""
    check_inplace(self)
    for bound in (min, max):
        if not (bound is None or isinstance(bound, Tensor) or _is_number(bound)):
            raise _bounds_error(self, min, max, form, caller)
    if caller is not None and _mixed_bounds(min, max):
        raise _mixed_bounds_error(caller, min, max)
    if not (isinstance(min, Tensor) or isinstance(max, Tensor)) and (
            min is not None or max is not None):
        dt = _dtypes.result_type(*(v for v in (self, min, max) if v is not None))
        if not _dtypes.can_cast(dt, self.dtype):
            raise RuntimeError(f"result type {_type_name(dt)} can't be cast to the desired "
                               f"output type {_c_name(self._data.dtype)}")
    return assign_inplace(self, _clamp(_original(self, True, (min, max)), min, max, form))


def _true_div_inplace(self, other, rounding_mode=None):
    check_inplace(self)
    return assign_inplace(self, div(_original(self, True, (other,)), other,
                                    rounding_mode=rounding_mode))


def zero_(self):
    """Fill with zeros in place; returns self.

    >>> ember.ones(2).zero_()
    tensor([0., 0.])
    """
    if not self._requires_grad and self._base is None and self._vc is not NO_VERSION:
        # The usual case (a .grad between steps): nothing to check, no graph to record.
        self._data.fill(0)
        self._bump_version()
        return self
    return _fill(self, 0, "ZeroBackward0")


def fill_(self, value):
    """Fill with one value (a number or a 0-dim tensor) in place; returns self.

    >>> ember.zeros(2, dtype=ember.int64).fill_(2.7)
    tensor([2, 2])
    """
    return _fill(self, value, "FillBackward2")


def _fill(self, value, node_name):
    check_inplace(self)
    value_tensor = None
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor "
                               f"with {value.ndim} dimensions.")
        value_tensor, value = value, value._data
    else:
        if not _is_number(value):       # (a str, None: torch's parser refuses them)
            raise _method_combination("fill_", value, "value")
        # full()'s checked conversion: fill_(1e40) on float32 raises instead of giving inf
        value = _checked_fill_value(value, self._data.dtype, self._data.shape)
    wants_value_grad = value_tensor is not None and value_tensor._requires_grad
    if _writes_through_view(self, wants_value_grad):
        filled = (value_tensor.to(self.dtype).expand(tuple(self.shape)) if wants_value_grad
                  else _make(_full_quietly(self._data.shape, value, self._data.dtype)))
        return _write_view(self, filled)
    if not self._data.flags.writeable:
        return _write_expanded(self, _make(_full_quietly(self._data.shape, value,
                                                         self._data.dtype)),
                               on_overlap="allow")
    if self._vc is NO_VERSION:
        check_inference_write()     # (before any byte changes, as in assign_inplace)
    if value_tensor is None and self._data.dtype.itemsize > 2:
        self._data[...] = value      # checked above: it fits (floats truncate into ints)
    else:
        # a 0-dim tensor's nan into ints, 1e40 into a one-element half: silent in torch
        token = fp_errors_off()
        try:
            self._data[...] = value
        finally:
            fp_errors_restore(token)
    self._bump_version()
    if self._requires_grad or wants_value_grad:
        if value_tensor is not None:
            # The value reaches every element: its gradient is the sum of them all. (A
            # tensor value makes it FillBackward3 in torch even when it needs no grad.)
            record("FillBackward3", _fill_tensor_backward, (self, value_tensor), self)
        else:
            record(node_name, _zero_backward, (self,), self)
        follow_new_grad_fn(self)
    return self


def _full_quietly(shape, value, np_dtype):
    """np.full without NumPy's cast warnings (torch casts values silently)."""
    token = fp_errors_off()
    try:
        return np.full(shape, value, np_dtype)
    finally:
        fp_errors_restore(token)


def _fill_tensor_backward(ctx, grad):
    return (_zeros_like(grad) if ctx.needs_input_grad[0] else None,
            grad.sum() if ctx.needs_input_grad[1] else None)


def copy_(self, src, non_blocking=False):
    """Copy ``src`` (broadcast to self's shape, cast to its dtype) into self; returns self.
    The gradient flows to ``src``; self's previous values get none.

    >>> ember.zeros(2, 2).copy_(ember.tensor([1., 2.]))
    tensor([[1., 2.],
            [1., 2.]])
    """
    if not isinstance(src, (Tensor, int, float, bool, np.generic)):
        raise TypeError(f"copy_(): argument 'other' (position 1) must be Tensor, not "
                        f"{type(src).__name__}")
    check_inplace(self)
    src_t = to_tensor(src)
    try:
        source = np.broadcast_to(src_t._data, self._data.shape)
    except ValueError:
        raise _output_shape_error(self, src_t) from None
    if _writes_through_view(self, src_t._requires_grad):
        return _write_view(self, src_t.expand(tuple(self.shape)).to(self.dtype))
    if not self._data.flags.writeable:
        return _write_expanded(self, _make(np.array(np.broadcast_to(source, self._data.shape),
                                                    dtype=self._data.dtype)))
    if self._vc is NO_VERSION:
        check_inference_write()     # (before any byte changes, as in assign_inplace)
    np.copyto(self._data, source, casting="unsafe")
    self._bump_version()
    if self._requires_grad or src_t._requires_grad:
        record("CopyBackwards", _copy_backward, (self, src_t), self)
        follow_new_grad_fn(self)
    return self


def _writes_through_view(self, value_requires_grad):
    """A write into a view of a tensor in the graph must rebase its base's graph."""
    return self._base is not None and _grad_state.enabled and (
        value_requires_grad or self._base._requires_grad)


def _write_view(self, result):
    from .index import write_inplace     # (the index module owns views' CopySlices)
    return write_inplace(self, result)


def _copy_backward(ctx, grad):
    return (_zeros_like(grad) if ctx.needs_input_grad[0] else None,
            _grad_for(ctx, 1, grad))    # the engine casts it to src's dtype


def _exact_out(result, out):
    """Write into ``out=`` of exactly the result's dtype (torch's rule for neg, abs, ...)."""
    if isinstance(out, Tensor) and out.dtype is not result.dtype:
        raise RuntimeError(f"Found dtype {_type_name(out.dtype)} but expected "
                           f"{_type_name(result.dtype)}")
    return _maybe_out(result, out)


def _maybe_out(result, out):
    """Write a result into ``out=`` (which must be able to hold its dtype)."""
    if out is None:
        return result
    if not _dtypes.can_cast(result.dtype, out.dtype):
        raise RuntimeError(f"result type {_type_name(result.dtype)} can't be cast to the "
                           f"desired output type {_type_name(out.dtype)}")
    if out._vc is NO_VERSION:
        check_inference_write()
    if out.shape == result.shape:
        np.copyto(out._data, result._data, casting="unsafe")
    else:       # torch resizes out to the result's shape
        out._data = result._data.astype(out._data.dtype)
    out._bump_version()
    return out


# ------------------------------------------------------------ Tensor methods
def _swap(fn):
    return lambda self, other: fn(other, self)


def _rtruediv(self, other):
    # torch computes number / x as reciprocal(x) * number (so grad_fn is MulBackward0).
    return mul(reciprocal(self), other)


def _positive(self):
    """+x: x itself, as torch.positive; torch refuses it for bool tensors."""
    if self._data.dtype == np.bool_:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return self


def _invert(self):
    if self._data.dtype.kind == "f":
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type "
                        "tensors")
    return bitwise_not(self)



def _fast_operator(ufunc, slow, name, backward, *, save=None, reflected=False):
    """The operator form (``x + y``, ``x * 2``) with a fast lane for the common case.

    A float32/float64 tensor with a tensor of the same dtype, or with a Python int or
    float, needs none of the promotion, float16 or error machinery of the full op, so
    it is computed and recorded right here; the result, its dtype and its graph node
    are exactly the full op's (``slow``), which handles every other case. Small-tensor
    code (the course's) spends most of its time in this one function. ``reflected``:
    ``number - x``, computed as other - self and recorded with x's edge only.
    """
    def method(self, other):
        x = self._data
        dt = x.dtype
        if dt is not _F32 and dt is not _F64:
            return _slow_operator(slow, self, other)
        if isinstance(other, Tensor):
            y = other._data
            if y.dtype is not dt or reflected:
                return slow(self, other)
            needs = self._requires_grad or other._requires_grad
        elif type(other) is float or type(other) is int:
            y, needs = other, self._requires_grad
        else:
            return _slow_operator(slow, self, other)
        token = fp_errors_off()                 # inf - inf is a silent nan, as in torch
        try:
            out = _make(ufunc(y, x) if reflected else ufunc(x, y))
        except ValueError:
            return slow(self, other)            # raises torch's broadcast error
        finally:
            fp_errors_restore(token)
        if needs and _grad_state.enabled:
            if reflected:           # number - x: RsubBackward1, one edge (x's)
                record(name, backward, (self,), out).factor = 1
            else:
                node = record(name, backward, (self, other), out)
                if save is not None:
                    save(node, self, other)
        return out
    method.__name__ = slow.__name__
    return method


def _fast_pow(self, exponent):
    """``x ** 2`` (a float32/float64 tensor to a Python int or float power) without the
    promotion machinery of :func:`pow`; same result, dtype and PowBackward0 node."""
    x = self._data
    dt = x.dtype
    if (dt is not _F32 and dt is not _F64) or (type(exponent) is not int and
                                               type(exponent) is not float):
        return _slow_operator(pow, self, exponent)
    out = _make(np.asarray(silently(_float_pow, x, exponent, True), dtype=dt))
    if self._requires_grad and _grad_state.enabled:
        record("PowBackward0", _pow_backward, (self,), out).save_for_backward(
            self, exponent, None)
    return out


def _slow_operator(slow, self, other):
    if not isinstance(other, (Tensor, int, float, bool, np.generic, np.ndarray)):
        return NotImplemented
    return slow(self, other)


def _binary_dunder(fn):
    def method(self, other):
        if not isinstance(other, (Tensor, int, float, bool, np.generic, np.ndarray)):
            return NotImplemented
        return fn(self, other)
    method.__name__ = fn.__name__
    return method


_add_m, _sub_m, _mul_m, _div_m, _true_divide_m, _floor_divide_m, _remainder_m, _fmod_m, \
    _pow_m, _maximum_m, _minimum_m, _fmax_m, _fmin_m = map(method_twin, (
        add, sub, mul, div, true_divide, floor_divide, remainder, fmod, pow, maximum,
        minimum, fmax, fmin))
bind(
    add=_add_m, sub=_sub_m, subtract=_sub_m, mul=_mul_m, multiply=_mul_m, div=_div_m,
    divide=_div_m, true_divide=_true_divide_m, floor_divide=_floor_divide_m,
    remainder=_remainder_m, fmod=_fmod_m, pow=_pow_m, maximum=_maximum_m, minimum=_minimum_m,
    fmax=_fmax_m, fmin=_fmin_m,
    float_power=float_power, float_power_=_float_power_inplace,
    clamp=lambda self, min=None, max=None: _clamp(self, min, max, "clamp", ("clamp", True)),
    clip=lambda self, min=None, max=None: _clamp(self, min, max, "clamp", ("clip", True)),
    clamp_min=clamp_min, clamp_max=clamp_max, lerp=lerp, where=lambda self, cond, other:
    where(cond, self, other), clone=clone,
    neg=neg, negative=neg, abs=abs, absolute=abs, sign=sign, sgn=sgn, exp=exp, exp2=exp2,
    expm1=expm1, log=log, log1p=log1p, log2=log2, log10=log10, sqrt=sqrt, rsqrt=rsqrt,
    reciprocal=reciprocal, sin=sin, cos=cos, tan=tan, asin=asin, acos=acos, atan=atan,
    arcsin=asin, arccos=acos, arctan=atan, sinh=sinh, cosh=cosh, tanh=tanh, sigmoid=sigmoid,
    relu=relu, floor=floor, ceil=ceil, trunc=trunc, fix=trunc, frac=frac, square=square,
    round=round, nan_to_num=nan_to_num,
    # (eq ... ge: method twins, at no cost to a call; the aliases' errors name the alias)
    **{op.__name__: method_twin(op) for op in (eq, ne, lt, le, gt, ge)},
    **{name: _compare_method(op, name) for name, op in (
        ("greater", gt), ("greater_equal", ge), ("less", lt), ("less_equal", le),
        ("not_equal", ne))}, logical_and=logical_and, logical_or=logical_or,
    logical_xor=logical_xor, logical_not=logical_not, bitwise_and=bitwise_and,
    bitwise_or=bitwise_or, bitwise_xor=bitwise_xor, bitwise_not=bitwise_not,
    isnan=isnan, isinf=isinf, isfinite=isfinite, isposinf=isposinf, isneginf=isneginf,
    isclose=isclose, allclose=allclose, equal=equal,
    atan2=_as_method(atan2), arctan2=_as_method(arctan2), copysign=_as_method(copysign),
    hypot=_as_method(hypot), logaddexp=_as_method(logaddexp),
    logaddexp2=_as_method(logaddexp2), signbit=lambda self: signbit(self),
    frexp=lambda self: frexp(self),
    atan2_=_as_inplace_method(atan2), arctan2_=_as_inplace_method(arctan2),
    copysign_=_as_inplace_method(copysign), hypot_=_as_inplace_method(hypot),
    # operators
    __add__=_fast_operator(np.add, add, "AddBackward0", _add_backward),
    # number + x and number * x are x.add(number), x.mul(number) in torch (the tensor's
    # edge first); number - x is rsub(x, number)
    __radd__=_fast_operator(np.add, add, "AddBackward0", _add_backward),
    __sub__=_fast_operator(np.subtract, sub, "SubBackward0", _sub_backward),
    __rsub__=_fast_operator(np.subtract, rsub, "RsubBackward1", _rsub_backward,
                            reflected=True),
    __mul__=_fast_operator(np.multiply, mul, "MulBackward0", _mul_backward,
                           save=_save_mul_operands),
    __rmul__=_fast_operator(np.multiply, mul, "MulBackward0", _mul_backward,
                            save=_save_mul_operands),
    __truediv__=_fast_operator(np.true_divide, div, "DivBackward0", _div_backward,
                               save=_save_div_operands),
    __rtruediv__=_binary_dunder(_rtruediv),
    __floordiv__=_binary_dunder(floor_divide), __rfloordiv__=_binary_dunder(_swap(floor_divide)),
    __mod__=_binary_dunder(remainder), __rmod__=_binary_dunder(_swap(remainder)),
    __pow__=_fast_pow, __rpow__=_binary_dunder(_rpow),
    __neg__=neg, __pos__=_positive, __abs__=abs, __invert__=_invert,
    __eq__=_binary_dunder(eq), __ne__=_binary_dunder(ne), __lt__=_binary_dunder(lt),
    __le__=_binary_dunder(le), __gt__=_binary_dunder(gt), __ge__=_binary_dunder(ge),
    __and__=_binary_dunder(bitwise_and), __or__=_binary_dunder(bitwise_or),
    __xor__=_binary_dunder(bitwise_xor), __rand__=_binary_dunder(_swap(bitwise_and)),
    __ror__=_binary_dunder(_swap(bitwise_or)), __rxor__=_binary_dunder(_swap(bitwise_xor)),
    # in place
    # (add and sub never read self in backward: no copy of it is kept)
    add_=_fast_inplace(np.add, add, reads_self=False),
    __iadd__=_fast_inplace(np.add, add, reads_self=False),
    sub_=_fast_inplace(np.subtract, sub, _check_sub_operands, reads_self=False),
    __isub__=_fast_inplace(np.subtract, sub, _check_sub_operands, reads_self=False),
    subtract_=_fast_inplace(np.subtract, sub, _check_sub_operands, reads_self=False),
    mul_=_fast_inplace(np.multiply, mul), __imul__=_fast_inplace(np.multiply, mul),
    multiply_=_fast_inplace(np.multiply, mul),
    div_=_true_div_inplace, __itruediv__=_true_div_inplace, true_divide_=_true_div_inplace,
    divide_=_true_div_inplace,
    pow_=_inplace(pow), __ipow__=_inplace(pow),
    clamp_=lambda self, min=None, max=None: _clamp_inplace(self, min, max,
                                                           caller=("clamp_", True)),
    clip_=lambda self, min=None, max=None: _clamp_inplace(self, min, max,
                                                          caller=("clip_", True)),
    clamp_min_=lambda self, min: _clamp_inplace(self, min, None, "clamp_min"),
    clamp_max_=lambda self, max: _clamp_inplace(self, None, max, "clamp_max"),
    neg_=_inplace(neg), abs_=_inplace(abs), exp_=_inplace(exp), log_=_inplace(log),
    sqrt_=_inplace(sqrt), sigmoid_=_inplace(sigmoid), tanh_=_inplace(tanh), relu_=_inplace(relu),
    floor_=_inplace(floor), ceil_=_inplace(ceil), round_=_inplace(round),
    reciprocal_=_inplace(reciprocal), square_=_inplace(square), sign_=_inplace(sign),
    lerp_=_inplace(lerp), remainder_=_inplace(remainder), fmod_=_inplace(fmod),
    __imod__=_inplace(remainder), __ifloordiv__=_inplace(floor_divide),
    floor_divide_=_inplace(floor_divide),
    sin_=_inplace(sin), cos_=_inplace(cos), exp2_=_inplace(exp2), log1p_=_inplace(log1p),
    zero_=zero_, fill_=fill_, copy_=copy_,
    logical_not_=_inplace(logical_not), nan_to_num_=_inplace(nan_to_num),
    logical_and_=_inplace(logical_and), logical_or_=_inplace(logical_or),
    logical_xor_=_inplace(logical_xor), bitwise_and_=_inplace(bitwise_and),
    bitwise_or_=_inplace(bitwise_or), bitwise_xor_=_inplace(bitwise_xor),
    bitwise_not_=_inplace(bitwise_not),
    # (without these, ``mask &= m`` fell back to mask = mask & m: a new tensor, and
    # other names for the old one did not see the change)
    __iand__=_inplace(bitwise_and), __ior__=_inplace(bitwise_or),
    __ixor__=_inplace(bitwise_xor),
    absolute_=_inplace(abs), negative_=_inplace(neg), sgn_=_inplace(sgn),
    trunc_=_inplace(trunc), fix_=_inplace(trunc), frac_=_inplace(frac),
    expm1_=_inplace(expm1), log2_=_inplace(log2), log10_=_inplace(log10),
    rsqrt_=_inplace(rsqrt), tan_=_inplace(tan), asin_=_inplace(asin), acos_=_inplace(acos),
    atan_=_inplace(atan), arcsin_=_inplace(asin), arccos_=_inplace(acos),
    arctan_=_inplace(atan), sinh_=_inplace(sinh), cosh_=_inplace(cosh),
    eq_=_compare_inplace(eq, "Eq"), ne_=_compare_inplace(ne, "Ne"),
    lt_=_compare_inplace(lt, "Lt"), le_=_compare_inplace(le, "Le"),
    gt_=_compare_inplace(gt, "Gt"), ge_=_compare_inplace(ge, "Ge"),
    not_equal_=_compare_inplace(ne, "Ne"), less_=_compare_inplace(lt, "Lt"),
    less_equal_=_compare_inplace(le, "Le"), greater_=_compare_inplace(gt, "Gt"),
    greater_equal_=_compare_inplace(ge, "Ge"),
)

subtract, multiply, divide = sub, mul, div


# ------------------------------------------- more one-input maths (torch 2.x)
# The inverse hyperbolic functions, angle conversions, sinc and logit: float results
# (integers and bools become the default float dtype), torch's node names.
acosh = _unary("acosh", np.arccosh, "AcoshBackward0", lambda x, y, g: g * rsqrt(x * x - 1),
               precise=True)
asinh = _unary("asinh", np.arcsinh, "AsinhBackward0", lambda x, y, g: g * rsqrt(x * x + 1),
               precise=True)
atanh = _unary("atanh", np.arctanh, "AtanhBackward0", lambda x, y, g: g / (1 - x * x),
               precise=True)
arccosh, arcsinh, arctanh = acosh, asinh, atanh

_DEG_PER_RAD = 180.0 / np.pi
_RAD_PER_DEG = np.pi / 180.0


def _scaled_by(factor):
    """x * factor as torch multiplies by a number: the number rounded to x's float type
    (float16 computes in float32), one rounding of the product."""
    def scale(a):
        if a.dtype is _F64:
            return a * factor
        return (_at_least_float32(a) * np.float32(factor)).astype(a.dtype)
    return scale


deg2rad = _unary("deg2rad", _scaled_by(_RAD_PER_DEG), "Deg2RadBackward0",
                 lambda x, y, g: g * _RAD_PER_DEG)
rad2deg = _unary("rad2deg", _scaled_by(_DEG_PER_RAD), "Rad2DegBackward0",
                 lambda x, y, g: g * _DEG_PER_RAD)


def _sinc(a):
    """sin(pi x) / (pi x), 1 at 0, as torch computes it: the product pi * x rounded to the
    dtype first (so sinc(1.) in float32 is -2.78e-08, not 0), then sin and the quotient."""
    if a.dtype is _F64:
        product = np.pi * a
        values = np.sin(product) / product
    else:
        product = _at_least_float32(a) * np.float32(np.pi)
        values = (np.sin(product.astype(np.float64)).astype(np.float32) / product)
    return np.where(a == 0, 1, values).astype(a.dtype)


def _sinc_derivative(x, y, g):
    # d/dx sin(pi x)/(pi x) = (pi x cos(pi x) - sin(pi x)) / (pi x^2); 0 at x = 0
    px = x * np.pi
    local = (px * cos(px) - sin(px)) / (px * x)
    return g * where(x == 0, 0.0, local)


sinc = _unary("sinc", _sinc, "SincBackward0", _sinc_derivative)


def logit(input, eps=None, *, out=None):
    """log(p / (1 - p)), the inverse of sigmoid; with ``eps``, p is first clamped to
    [eps, 1 - eps] (and the gradient is 0 outside it; without, NaN outside [0, 1]).

    >>> ember.logit(ember.tensor([0.25, 0.5]))
    tensor([-1.0986,  0.0000])
    """
    _tensor_arg(input, "logit")
    data = _float_array(input)
    dt = data.dtype
    wide = data.astype(np.float64)
    if eps is not None:
        wide = np.clip(wide, eps, 1 - eps)
    values = silently(lambda: np.asarray(np.log(wide / (1 - wide)), dtype=dt))
    if not input._data.flags.c_contiguous:
        values = unary_layout(values, input._data)
    result = _make(values)
    node = record("LogitBackward0", _logit_backward, (input,), result)
    if node:
        node.save_for_backward(input)
        node.eps = eps
    return _maybe_out(result, out)


def _logit_backward(ctx, grad):
    (x,) = ctx.saved_tensors
    local = grad / (x * (1 - x))
    if ctx.eps is None:         # outside [0, 1] the logit is not defined: NaN, as torch
        return where((x < 0) | (x > 1), float("nan"), local)
    return where((x < ctx.eps) | (x > 1 - ctx.eps), 0.0, local)


def positive(input):
    """``input`` itself (``+x``); refused for bool tensors, as in torch.

    >>> ember.positive(ember.tensor([-1, 2]))
    tensor([-1,  2])
    """
    return _positive(_tensor_arg(input, "positive"))


def isreal(input):
    """True for every element: ember's tensors are real (torch's answer for them).

    >>> ember.isreal(ember.tensor([1., float('nan')]))
    tensor([True, True])
    """
    return _make(np.ones(_tensor_arg(input, "isreal")._data.shape, np.bool_))


# ------------------------------------------------- more two-input ops (torch 2.x)
def _two_tensors(name, input, other, other_name="other"):
    _tensor_arg(input, name)
    _tensor_arg(other, name, other_name, 2)


def _broadcasting(fn, *operands):
    """fn() with NumPy's warnings off and torch's error for shapes that do not broadcast."""
    token = fp_errors_off()
    try:
        return fn()
    except ValueError:
        raise _broadcast_error(*operands) from None
    finally:
        fp_errors_restore(token)


def ldexp(input, other, *, out=None):
    """input * 2**other; integer and bool operands give the default float dtype.

    >>> ember.ldexp(ember.tensor([1., 3.]), ember.tensor([2, -1]))
    tensor([4.0000, 1.5000])
    """
    _two_tensors("ldexp", input, other)
    dt = _dtypes.result_type(input, other).np
    if dt.kind != "f":
        dt = _dtypes.get_default_dtype().np
    wide = np.longdouble if dt is _F64 else np.float64

    def compute():
        # (in a wider type: 1e-30 * 2**140 is finite in float32 though 2**140 is not;
        # an integer exponent exactly, by np.ldexp)
        mantissa, exponent = input._data.astype(wide), other._data
        if exponent.dtype.kind in "biu":
            exponent = np.clip(exponent.astype(np.int64), -(2 ** 31), 2 ** 31 - 1)
            return np.ldexp(mantissa, exponent.astype(np.int32)).astype(dt)
        return (mantissa * np.exp2(exponent.astype(wide))).astype(dt)
    result = _make(np.asarray(_broadcasting(compute, input, other), dtype=dt))
    node = record("LdexpBackward0", _ldexp_backward, (input, other), result)
    if node:
        node.save_for_backward(other, result)
    return _maybe_out(result, out)


def _ldexp_backward(ctx, grad):
    # d/dinput = 2**other; d/dother = input * 2**other * ln 2 = result * ln 2. As torch,
    # 2**other is pow(2, other): for an integer exponent an integer power, which is 0 for
    # negative exponents (torch's gradient there is 0, kept so that results agree)
    other, result = ctx.saved_tensors
    ga = _grad_for(ctx, 0, grad * pow(2, other)) if ctx.needs_input_grad[0] else None
    gb = _grad_for(ctx, 1, grad * result * _LN2) if ctx.needs_input_grad[1] else None
    return ga, gb


def _ldexp_inplace(self, other):
    """x.ldexp_(n): x must hold the float result (torch's message names ldexp)."""
    if self._data.dtype.kind != "f":
        raise RuntimeError(f"ldexp can't be cast to the desired output type "
                           f"{_type_name(self._data.dtype)}")
    return _inplace(ldexp)(self, other)


def nextafter(input, other, *, out=None):
    """The next float after ``input`` towards ``other`` (floats only).

    >>> ember.nextafter(ember.tensor([1.]), ember.tensor([2.])) - 1
    tensor([1.1921e-07])
    """
    _two_tensors("nextafter", input, other)
    x, y, dt = _promoted(input, other, "nextafter")
    if dt.kind != "f":
        _broadcasting(lambda: np.broadcast_shapes(x.shape, y.shape), input, other)
        raise _not_implemented("nextafter_cpu", dt)
    result = _make(np.asarray(_broadcasting(lambda: np.nextafter(x, y), input, other), dt))
    node = record("NextafterBackward0", _nextafter_backward, (input, other), result)
    if node:
        node.save_for_backward(input, other)
    return _maybe_out(result, out)


def _nextafter_backward(ctx, grad):
    # torch's convention: the result moves with input (slope 1) except where it is other
    # (input == other); other's gradient is zero
    a, b = ctx.saved_tensors
    ga = _grad_for(ctx, 0, where(a != b, grad, 0.0)) if ctx.needs_input_grad[0] else None
    gb = _make(np.zeros(ctx.input_meta[1][0], grad._data.dtype)) \
        if ctx.needs_input_grad[1] else None
    return ga, gb


def _integer_binary(name, ufunc, input, other):
    """gcd and lcm: integer tensors only (torch's NotImplementedError for floats and bool)."""
    _two_tensors(name, input, other)
    x, y, dt = _promoted(input, other, name)
    if dt.kind not in "iu":
        raise _not_implemented(f"{name}_cpu", dt)
    return _make(np.asarray(_broadcasting(lambda: ufunc(x, y), input, other), dt))


def gcd(input, other, *, out=None):
    """Greatest common divisor, elementwise, of integer tensors (gcd(0, 0) = 0).

    >>> ember.gcd(ember.tensor([4, -6, 0]), ember.tensor([6, 4, 5]))
    tensor([2, 2, 5])
    """
    return _maybe_out(_integer_binary("gcd", np.gcd, input, other), out)


def lcm(input, other, *, out=None):
    """Least common multiple, elementwise, of integer tensors (0 if either is 0).

    >>> ember.lcm(ember.tensor([4, -6, 0]), ember.tensor([6, 4, 5]))
    tensor([12, 12,  0])
    """
    return _maybe_out(_integer_binary("lcm", np.lcm, input, other), out)


def heaviside(input, values, *, out=None):
    """The step function: 0 where input < 0, 1 where input > 0, ``values`` where it is 0
    (NaN counts as not positive). Both tensors must have one dtype; not differentiable.

    >>> ember.heaviside(ember.tensor([-1., 0., 2.]), ember.tensor([0.5]))
    tensor([0.0000, 0.5000, 1.0000])
    """
    _two_tensors("heaviside", input, values, "values")
    if input._data.dtype != values._data.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different "
                           "dtypes.")
    x, v = input._data, values._data
    result = _make(_broadcasting(lambda: np.where(x == 0, v, x > 0).astype(x.dtype),
                                 input, values))
    _record_not_differentiable("heaviside", input, values, result, None)
    return _maybe_out(result, out)


def _shift(name, kernel, left):
    """bitwise_left_shift / bitwise_right_shift, as torch defines shifts by any amount:
    a shift by a negative count or by the width of the type or more gives 0 to the left;
    to the right, the sign (0 or -1) of the shifted value."""
    def op(input, other, *, out=None):
        if not ((isinstance(input, Tensor) and (isinstance(other, Tensor) or _is_number(other)))
                or (_is_number(input) and isinstance(other, Tensor))):
            raise _shift_arguments_error(name, input, other)
        x, y, dt = _promoted(input, other, name)
        if dt.kind not in "iu":
            raise _not_implemented(kernel, dt)

        def compute():
            a, n = np.asarray(x, dt), np.asarray(y, dt)
            bits = dt.itemsize * 8
            valid = (n >= 0) & (n < bits)
            count = np.where(valid, n, 0).astype(dt)
            if left:
                return np.where(valid, np.left_shift(a, count), 0).astype(dt)
            overflow = np.right_shift(a, bits - 1) if dt.kind == "i" else 0
            return np.where(valid, np.right_shift(a, count), overflow).astype(dt)
        return _maybe_out(_make(_broadcasting(compute, input, other)), out)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = (f"Elementwise {'<<' if left else '>>'} of integer tensors (or one tensor "
                  f"and a number).\n\n    >>> ember.{name}(ember.tensor([8, -8]), 2)\n"
                  f"    tensor({'[ 32, -32]' if left else '[ 2, -2]'})\n    ")
    return op


def _shift_arguments_error(name, input, other):
    """torch's TypeError for shift operands that are neither tensors nor numbers."""
    def shown(v):
        if isinstance(v, (list, tuple)):
            return f"{type(v).__name__} of [{', '.join(_kind(e) for e in v)}]"
        return _kind(v)
    return TypeError(
        f"{name}() received an invalid combination of arguments - got ({_kind(input)}, "
        f"{_kind(other)}), but expected one of:\n"
        f" * (Tensor input, Tensor other, *, Tensor out = None)\n"
        f" * (Number self, Tensor other)\n"
        f"      didn't match because some of the arguments have invalid types: "
        f"(!{shown(input)}!, !{shown(other)}!)\n"
        f" * (Tensor input, Number other, *, Tensor out = None)\n")


bitwise_left_shift = _shift("bitwise_left_shift", "lshift_cpu", True)
bitwise_right_shift = _shift("bitwise_right_shift", "rshift_cpu", False)


def _shift_inplace(op):
    """x.bitwise_left_shift_(n), x <<= n: as torch, whether x can hold the result's dtype
    is checked before the dtype's kernel (x <<= 1.5 is a cast error, not a float one)."""
    assign = _inplace(op)

    def method(self, other):
        if isinstance(other, (Tensor, int, float, bool, np.generic)):
            dt = _dtypes.result_type(self, other)
            if not _dtypes.can_cast(dt, self.dtype):
                raise RuntimeError(f"result type {_type_name(dt)} can't be cast to the "
                                   f"desired output type {_type_name(self.dtype)}")
        return assign(self, other)
    method.__name__ = method.__qualname__ = op.__name__ + "_"
    return method


# ------------------------------------------------------- three-input ops
def _pointwise_triple(name, input, tensor1, tensor2):
    """The three tensors of addcmul/addcdiv (torch's TypeErrors) and their result dtype."""
    _tensor_arg(input, name)
    _tensor_arg(tensor1, name, "tensor1", 2)
    _tensor_arg(tensor2, name, "tensor2", 3)
    return _dtypes.result_type(input, tensor1, tensor2).np


def _value_in(value, dt):
    """addcmul's ``value`` as a number of the result dtype: 0.5 with integers is 0,
    as torch converts it (a 0-dim tensor counts as its number)."""
    if isinstance(value, Tensor):
        value = value.item()
    return np.asarray(value).astype(dt)[()]


def addcmul(input, tensor1, tensor2, *, value=1, out=None):
    """input + value * tensor1 * tensor2, broadcasting the three.

    >>> ember.addcmul(ember.ones(2), ember.tensor([1., 2.]), ember.tensor([3., 4.]), value=2)
    tensor([ 7., 17.])
    """
    dt = _pointwise_triple("addcmul", input, tensor1, tensor2)
    if dt == np.bool_:
        raise _not_implemented("addcmul_cpu_out", dt)
    scale = _value_in(value, dt)
    a, b, c = (t._data.astype(dt, copy=False) for t in (input, tensor1, tensor2))
    # (torch's order of operations, so float32 results are its bits: (value * t1) * t2 + x)
    result = _make(np.asarray(_broadcasting(lambda: scale * b * c + a, input, tensor1,
                                            tensor2), dt))
    node = record("AddcmulBackward0", _addcmul_backward, (input, tensor1, tensor2), result)
    if node:
        node.save_for_backward(tensor1 if tensor2._requires_grad else None,
                               tensor2 if tensor1._requires_grad else None)
        node.value = scale.item()
    return _maybe_out(result, out)


def _addcmul_backward(ctx, grad):
    t1, t2 = ctx.saved_tensors
    value = ctx.value
    return (_grad_for(ctx, 0, grad),
            _grad_for(ctx, 1, grad * t2 * value) if ctx.needs_input_grad[1] else None,
            _grad_for(ctx, 2, grad * t1 * value) if ctx.needs_input_grad[2] else None)


def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    """input + value * tensor1 / tensor2, broadcasting the three; torch refuses two
    integer (or bool) tensors to divide.

    >>> ember.addcdiv(ember.ones(2), ember.tensor([1., 2.]), ember.tensor([4., 4.]), value=2)
    tensor([1.5000, 2.0000])
    """
    dt = _pointwise_triple("addcdiv", input, tensor1, tensor2)
    if tensor1._data.dtype.kind in "biu" and tensor2._data.dtype.kind in "biu":
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future  release "
            "addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv "
            "behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2))"
            ".to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) "
            "for float inputs. The future addcdiv behavior is just the latter implementation: "
            "(input + value * tensor1 / tensor2), for all dtypes.")
    scale = _value_in(value, dt)
    a, b, c = (t._data.astype(dt, copy=False) for t in (input, tensor1, tensor2))
    result = _make(np.asarray(_broadcasting(lambda: scale * b / c + a, input, tensor1,
                                            tensor2), dt))
    node = record("AddcdivBackward0", _addcdiv_backward, (input, tensor1, tensor2), result)
    if node:
        node.save_for_backward(tensor1 if tensor2._requires_grad else None, tensor2)
        node.value = scale.item()
    return _maybe_out(result, out)


def _addcdiv_backward(ctx, grad):
    # d/dt1 = value / t2; d/dt2 = -value * t1 / t2^2
    t1, t2 = ctx.saved_tensors
    value = ctx.value
    return (_grad_for(ctx, 0, grad),
            _grad_for(ctx, 1, grad * value / t2) if ctx.needs_input_grad[1] else None,
            _grad_for(ctx, 2, -grad * value * t1 / (t2 * t2))
            if ctx.needs_input_grad[2] else None)


# ------------------------------------------------------------------ isin
_ISIN_SIGNATURES = (
    " * (Tensor elements, Tensor test_elements, *, bool assume_unique = False, bool invert = "
    "False, Tensor out = None)\n"
    " * (Number element, Tensor test_elements, *, bool assume_unique = False, bool invert = "
    "False, Tensor out = None)\n"
    " * (Tensor elements, Number test_element, *, bool assume_unique = False, bool invert = "
    "False, Tensor out = None)\n")


def isin(elements, test_elements, *, assume_unique=False, invert=False, out=None):
    """True where an element of ``elements`` is in ``test_elements`` (either may be a
    number); compared in their promoted dtype, NaN never found; ``invert`` negates.

    >>> ember.isin(ember.tensor([[1, 2], [3, 4]]), ember.tensor([2, 3]))
    tensor([[False,  True],
            [ True, False]])
    """
    if not ((isinstance(elements, Tensor) and (isinstance(test_elements, Tensor) or
                                               _is_number(test_elements)))
            or (_is_number(elements) and isinstance(test_elements, Tensor))):
        raise TypeError(f"isin() received an invalid combination of arguments - got "
                        f"({_kind(elements)}, {_kind(test_elements)}), but expected one of:\n"
                        f"{_ISIN_SIGNATURES}")
    for t in (elements, test_elements):
        if isinstance(t, Tensor) and t._data.dtype == np.bool_:
            raise RuntimeError("Unsupported input type encountered for isin(): Bool")
    x, y, dt = _promoted(elements, test_elements, "isin")
    found = np.isin(np.asarray(x, dt), np.asarray(y, dt), assume_unique=assume_unique,
                    invert=invert)
    return _maybe_out(_make(np.asarray(found, np.bool_)), out)


# --------------------------------------- torch.xxx_: the in-place ops as functions
def _function_form(name):
    """``ember.name(input, ...)``: the in-place method ``input.name(...)`` (torch has
    these as functions too: ``torch.relu_(x)``)."""
    def fn(input, *args, **kwargs):
        return getattr(_tensor_arg(input, name), name)(*args, **kwargs)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"``input.{name}(...)``: in place, returns ``input``."
    return fn


_FUNCTION_FORMS = (
    "abs_ acos_ acosh_ addmv_ arccos_ arccosh_ arcsin_ arcsinh_ arctan_ arctanh_ asin_ asinh_ "
    "atan_ atanh_ ceil_ clamp_ clamp_max_ clamp_min_ clip_ cos_ cosh_ deg2rad_ detach_ erf_ "
    "erfc_ exp2_ exp_ expm1_ fill_ fix_ floor_ frac_ gcd_ i0_ lcm_ ldexp_ log10_ log1p_ log2_ "
    "log_ logit_ nan_to_num_ neg_ negative_ rad2deg_ reciprocal_ relu_ round_ rsqrt_ "
    "sigmoid_ sin_ sinc_ sinh_ sqrt_ square_ tan_ tanh_ trunc_ xlogy_ zero_").split()
(abs_, acos_, acosh_, addmv_, arccos_, arccosh_, arcsin_, arcsinh_, arctan_, arctanh_, asin_,
 asinh_, atan_, atanh_, ceil_, clamp_, clamp_max_, clamp_min_, clip_, cos_, cosh_, deg2rad_,
 detach_, erf_, erfc_, exp2_, exp_, expm1_, fill_as_function, fix_, floor_, frac_, gcd_, i0_,
 lcm_, ldexp_, log10_, log1p_, log2_, log_, logit_, nan_to_num_, neg_, negative_, rad2deg_,
 reciprocal_, relu_, round_, rsqrt_, sigmoid_, sin_, sinc_, sinh_, sqrt_, square_, tan_,
 tanh_, trunc_, xlogy_, zero_as_function) = (_function_form(n) for n in _FUNCTION_FORMS)


bind(
    acosh=acosh, asinh=asinh, atanh=atanh, arccosh=acosh, arcsinh=asinh, arctanh=atanh,
    acosh_=_inplace(acosh), asinh_=_inplace(asinh), atanh_=_inplace(atanh),
    arccosh_=_inplace(acosh), arcsinh_=_inplace(asinh), arctanh_=_inplace(atanh),
    deg2rad=deg2rad, rad2deg=rad2deg, deg2rad_=_inplace(deg2rad), rad2deg_=_inplace(rad2deg),
    sinc=sinc, sinc_=_inplace(sinc), logit=logit, logit_=_inplace(logit),
    positive=positive, isreal=isreal,
    ldexp=ldexp, ldexp_=_ldexp_inplace, nextafter=nextafter, nextafter_=_inplace(nextafter),
    gcd=gcd, gcd_=_inplace(gcd), lcm=lcm, lcm_=_inplace(lcm),
    heaviside=heaviside, heaviside_=_inplace(heaviside),
    addcmul=addcmul, addcmul_=_inplace(addcmul), addcdiv=addcdiv, addcdiv_=_inplace(addcdiv),
    bitwise_left_shift=bitwise_left_shift, bitwise_right_shift=bitwise_right_shift,
    bitwise_left_shift_=_shift_inplace(bitwise_left_shift),
    bitwise_right_shift_=_shift_inplace(bitwise_right_shift),
    __lshift__=_binary_dunder(bitwise_left_shift),
    __rlshift__=_binary_dunder(_swap(bitwise_left_shift)),
    __rshift__=_binary_dunder(bitwise_right_shift),
    __rrshift__=_binary_dunder(_swap(bitwise_right_shift)),
    __ilshift__=_shift_inplace(bitwise_left_shift),
    __irshift__=_shift_inplace(bitwise_right_shift),
)
