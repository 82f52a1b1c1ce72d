"""Products: matmul (``@``), mm, mv, dot, bmm, outer, inner, einsum, tensordot.

NumPy's matmul calls BLAS for float32/float64, so large products run at the
same speed as torch's. Backward of C = A @ B is dA = dC @ B^T, dB = A^T @ dC,
with broadcast batch dims summed away::

    >>> a = ember.ones(2, 3, requires_grad=True)
    >>> (a @ ember.ones(3)).sum().backward(); a.grad
    tensor([[1., 1., 1.],
            [1., 1., 1.]])

``matmul`` follows the route torch's takes through dot / mv / mm / bmm (it
decides which error message an incompatible pair gets, and the name of the
result's grad_fn), but always computes with one NumPy call.
"""
import warnings

import numpy as np

from .. import _dtypes
from .._tensor import Tensor, _make
from ..autograd.graph import node_class, record
from ..autograd.grad_mode import _state, NO_VERSION, check_inference_write
from ..backend import fp_errors_off, fp_errors_restore
from ._common import bind, unbroadcast

# torch's messages name dtypes in two styles: C types and legacy tensor names.
_C = {"float64": "double", "float32": "float", "float16": "c10::Half", "int64": "long int",
      "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
      "bool": "bool"}
_SHORT = {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int",
          "float16": "Half", "bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short"}


def _tensor_arg(x, fname, argname, position):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fname}(): argument '{argname}' (position {position}) must be Tensor, "
                        f"not {type(x).__name__}")


def _not_for_bool(dtype, kernel):
    if dtype is _dtypes.bool:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


# ------------------------------------------------------- the kernels' checks
def _check_mm(s1, s2, d1, d2):
    if s1[1] != s2[0]:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({s1[0]}x{s1[1]} and "
                           f"{s2[0]}x{s2[1]})")
    if d1 is not d2:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {_C[d1.name]} "
                           f"!= {_C[d2.name]}")
    _not_for_bool(d1, "addmm_impl_cpu_")


def _check_mv(ms, vs, md, vd):
    if ms[1] != vs[0]:
        raise RuntimeError(f"size mismatch, got input ({ms[0]}), mat ({ms[0]}x{ms[1]}), vec "
                           f"({vs[0]})")
    if md is not vd:
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got "
                           f"{_SHORT[vd.name]}, {_SHORT[md.name]}, and {_SHORT[vd.name]}")
    _not_for_bool(md, "addmv_impl_cpu")


_F32, _F64 = np.dtype(np.float32), np.dtype(np.float64)


def quiet_matmul(x, y):
    """np.matmul without NumPy's floating-point warnings: BLAS raises the invalid flag
    for an inf in an operand (inf * 0 inside the kernel), where torch is silent."""
    token = fp_errors_off()
    try:
        return np.matmul(x, y)
    finally:
        fp_errors_restore(token)


def _fast_product(input, other, out, matrices=True):
    """The usual dot or mm (two float32/float64 tensors of one dtype, vectors of one
    length or matrices whose inner sizes agree, no ``out=``), computed and recorded
    directly: every check of the full path would pass. None for anything else, which
    the full path handles (and where it raises)."""
    if out is not None or not isinstance(input, Tensor) or not isinstance(other, Tensor):
        return None
    x, y = input._data, other._data
    dt = x.dtype
    if y.dtype is not dt or (dt is not _F32 and dt is not _F64):
        return None
    token = fp_errors_off()         # (see quiet_matmul; here without its extra call)
    try:
        if x.ndim == 1 and y.ndim == 1 and x.shape == y.shape:
            # ndarray.dot of two vectors runs the same dot kernel as np.matmul (same
            # bits) at half the call cost
            name, data = "DotBackward0", x.dot(y)
        elif matrices and x.ndim == 2 and y.ndim == 2 and x.shape[1] == y.shape[0]:
            name, data = "MmBackward0", np.matmul(x, y)
        else:
            return None
    finally:
        fp_errors_restore(token)
    result = _make(np.asarray(data))
    if (input._requires_grad or other._requires_grad) and _state.enabled:
        record(name, _matmul_backward, (input, other), result).save_for_backward(input, other)
    return result


def _check_dot(a, b, fname="dot"):
    if a.dtype is not b.dtype:
        raise RuntimeError(f"{fname} : expected both vectors to have same dtype, but found "
                           f"{_SHORT[a.dtype.name]} and {_SHORT[b.dtype.name]}")
    if a.shape[0] != b.shape[0]:
        n, m = a.shape[0], b.shape[0]
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to "
                           f"have the same number of elements, but got {n} and {m} elements "
                           "respectively")
    _not_for_bool(a.dtype, fname)


def _check_bmm(s1, s2, d1, d2):
    if s2[0] != s1[0] or s2[1] != s1[2]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{s1[0]}, {s1[2]}] but got: [{s2[0]}, {s2[1]}].")
    if d1 is not d2:
        raise RuntimeError(f"expected scalar type {_SHORT[d1.name]} but found "
                           f"{_SHORT[d2.name]}")
    _not_for_bool(d1, "bmm")


# ------------------------------------------------------------------ matmul
class _Operand:
    """Shape, element strides and requires_grad of a matmul operand, as torch's
    dispatch logic sees them (after squeezing or transposing)."""

    def __init__(self, shape, strides, requires_grad, dtype):
        self.shape, self.strides = tuple(shape), tuple(strides)
        self.requires_grad, self.dtype = requires_grad, dtype

    @classmethod
    def of(cls, t):
        return cls(t.shape, t.stride(), t._requires_grad, t.dtype)

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def mT(self):
        s, st = list(self.shape), list(self.strides)
        s[-1], s[-2] = s[-2], s[-1]
        st[-1], st[-2] = st[-2], st[-1]
        return _Operand(s, st, self.requires_grad, self.dtype)

    def batch_squeezed(self):
        return _Operand(self.shape[-2:], self.strides[-2:], self.requires_grad, self.dtype)


def _should_fold(t1, t2):
    """torch's rule for computing a batched product as one mm/mv on a folded matrix."""
    larger = t1.ndim >= t2.ndim
    big = t1 if larger else t2.mT
    dim_small = t2.ndim if larger else t1.ndim
    if not (big.ndim >= 3 and dim_small <= 2):
        return False
    if (t2 if larger else t1).requires_grad:
        return True       # folding avoids a batch-sized gradient for the small operand
    if t1.ndim == 2:
        return False
    if 0 in big.shape:
        return True
    shape, strides = big.shape, big.strides
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(big.ndim - 2))


def _matmul_route(a, b):
    """Raise torch's error for incompatible operands and return the grad_fn name torch's
    route through dot/mv/mm/bmm gives the result."""
    da, db = a.ndim, b.ndim
    if da == 1 and db == 1:
        _check_dot(a, b)
        return "DotBackward0"
    if da == 2 and db == 1:
        _check_mv(a.shape, b.shape, a.dtype, b.dtype)
        return "MvBackward0"
    if da == 1 and db == 2:
        _check_mm((1, a.shape[0]), b.shape, a.dtype, b.dtype)
        return "SqueezeBackward4"
    if da == 2 and db == 2:
        _check_mm(a.shape, b.shape, a.dtype, b.dtype)
        return "MmBackward0"
    t1, t2 = _Operand.of(a), _Operand.of(b)
    # Two 3-D operands with different batch sizes: one whose batch is 1 and that needs a
    # gradient is used as a matrix (no batch-sized gradient to sum up), as torch does.
    if t1.ndim == 3 and t2.ndim == 3 and t1.shape[0] != t2.shape[0]:
        if t1.shape[0] == 1 and t1.requires_grad:
            t1 = t1.batch_squeezed()
        elif t2.shape[0] == 1 and t2.requires_grad:
            t2 = t2.batch_squeezed()
    if _should_fold(t1, t2):
        transpose = t2.ndim > t1.ndim
        big = t2.mT if transpose else t1
        small = (t1.mT if t1.ndim == 2 else t1) if transpose else t2
        folded = (int(np.prod(big.shape[:-1], dtype=np.int64)), big.shape[-1])
        if small.ndim == 2:
            _check_mm(folded, small.shape, big.dtype, small.dtype)
            if transpose:
                out_shape = big.shape[:-1] + (small.shape[1],)
                transposed = np.empty(out_shape, dtype=np.bool_).swapaxes(-1, -2)
                return "TransposeBackward0" if transposed.flags.c_contiguous else \
                    "CloneBackward0"
        else:
            _check_mv(folded, small.shape, big.dtype, small.dtype)
        return "UnsafeViewBackward0"
    n = t1.shape[-2] if t1.ndim > 1 else 1
    m1 = t1.shape[-1]
    m2 = t2.shape[-2] if t2.ndim > 1 else t2.shape[0]
    p = t2.shape[-1] if t2.ndim > 1 else 1
    batch = _broadcast_batch(t1.shape[:max(t1.ndim - 2, 0)], t2.shape[:max(t2.ndim - 2, 0)])
    size = int(np.prod(batch, dtype=np.int64))
    _check_bmm((size, n, m1), (size, m2, p), t1.dtype, t2.dtype)
    return "UnsafeViewBackward0"


def _broadcast_batch(s1, s2):
    n = max(len(s1), len(s2))
    out = []
    for i in range(n):
        x = s1[i - n + len(s1)] if i - n + len(s1) >= 0 else 1
        y = s2[i - n + len(s2)] if i - n + len(s2) >= 0 else 1
        if x != y and x != 1 and y != 1:
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b ({y}) "
                               f"at non-singleton dimension {i}")
        out.append(max(x, y) if x != 0 and y != 0 else 0)
    return tuple(out)


def _product(x, y):
    """np.matmul, with float16 accumulated in float32 as torch's CPU kernels do."""
    if x.dtype == np.float16:
        token = fp_errors_off()         # (also for the cast of an overflowing sum)
        try:
            return np.matmul(x.astype(np.float32), y.astype(np.float32)).astype(np.float16)
        finally:
            fp_errors_restore(token)
    return quiet_matmul(x, y)


def _matmul(input, other, name, out=None, fname="matmul"):
    """Compute input @ other (already checked) and record the node called ``name``."""
    if out is not None and _state.enabled and (input._requires_grad or other._requires_grad or
                                               out._requires_grad):
        raise RuntimeError(f"{fname}(): functions with out=... arguments don't support "
                           "automatic differentiation, but one of the arguments requires grad.")
    result = _make(np.asarray(_product(input._data, other._data)))
    node = record(name, _matmul_backward, (input, other), result)
    if node:
        node.save_for_backward(input, other)
    if out is not None:
        return _write_out(result, out)
    return result


def _write_out(result, out):
    """Put ``result`` into ``out`` (resizing it, as torch does, with its warning)."""
    if out.dtype is not result.dtype:
        raise RuntimeError(f"Expected out tensor to have dtype {_C[result.dtype.name]}, but got "
                           f"{_C[out.dtype.name]} instead")
    if out._vc is NO_VERSION:
        check_inference_write()     # (before any byte changes; torch checks only after)
    if out.shape != result.shape:
        if out.numel() != 0:
            warnings.warn(f"An output with one or more elements was resized since it had shape "
                          f"{list(out.shape)}, which does not match the required output shape "
                          f"{list(result.shape)}. This behavior is deprecated, and in a future "
                          "PyTorch release outputs will not be resized unless they have zero "
                          "elements. You can explicitly reuse an out tensor t by resizing it, "
                          "inplace, to zero elements with t.resize_(0).", UserWarning,
                          stacklevel=3)
        out._data = result._data
    else:
        np.copyto(out._data, result._data)
    out._bump_version()
    return out


def matmul(input, other, *, out=None):
    """Matrix product with torch's rules for 1-D and batched operands.

    >>> (ember.ones(2, 3) @ ember.ones(3)).shape
    torch.Size([2])
    >>> (ember.ones(5, 2, 3) @ ember.ones(3, 4)).shape
    torch.Size([5, 2, 4])
    """
    result = _fast_product(input, other, out)
    if result is not None:
        return result
    _tensor_arg(input, "matmul", "input", 1)
    _tensor_arg(other, "matmul", "other", 2)
    if input.ndim == 0 or other.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{input.ndim}D and {other.ndim}D")
    return _matmul(input, other, _matmul_route(input, other), out)


def _matmul_backward(ctx, grad):
    """d(A @ B) = dC @ B^T for A and A^T @ dC for B; vectors act as a row (left) or a
    column (right), and broadcast batch dims are summed away."""
    a, b = ctx.saved_tensors
    need_a, need_b = ctx.needs_input_grad
    da, db = a._data.ndim, b._data.ndim
    # The three shapes of the course (dot, mv, mm) take the direct formulas: they are
    # the hot path of small models, where every extra op costs as much as the maths.
    if da == 1 and db == 1:
        g = grad._data
        if not _state.enabled and (g.dtype is _F32 or g.dtype is _F64):
            # no graph to record: the two products on the arrays
            return (_make(g * b._data) if need_a else None,
                    _make(g * a._data) if need_b else None)
        return (grad * b if need_a else None), (grad * a if need_b else None)
    if da == 2 and db == 1:
        return (outer(grad, b) if need_a else None), (mv(a.mT, grad) if need_b else None)
    if da == 2 and db == 2:
        g = grad._data
        if not _state.enabled and (g.dtype is _F32 or g.dtype is _F64):
            # No graph to record (backward without create_graph): mm's products on the
            # arrays, without the two transposed views.
            return (_make(quiet_matmul(g, b._data.T)) if need_a else None,
                    _make(quiet_matmul(a._data.T, g)) if need_b else None)
        return (mm(grad, b.mT) if need_a else None), (mm(a.mT, grad) if need_b else None)
    a2 = a.unsqueeze(0) if da == 1 else a
    b2 = b.unsqueeze(-1) if db == 1 else b
    g = grad
    if db == 1:
        g = g.unsqueeze(-1)
    if da == 1:
        g = g.unsqueeze(-2)
    ga = gb = None
    if need_a:
        ga = unbroadcast(g @ b2.mT, a2.shape)
        ga = ga.squeeze(0) if da == 1 else ga
    if need_b:
        gb = unbroadcast(a2.mT @ g, b2.shape)
        gb = gb.squeeze(-1) if db == 1 else gb
    return ga, gb


def mm(input, mat2, *, out=None):
    """Product of two matrices (2-D only; see matmul for the general case)."""
    _tensor_arg(input, "mm", "input", 1)
    _tensor_arg(mat2, "mm", "mat2", 2)
    if input.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    _check_mm(input.shape, mat2.shape, input.dtype, mat2.dtype)
    return _matmul(input, mat2, "MmBackward0", out, "mm")


def mv(input, vec, *, out=None):
    """Matrix-vector product: (n, m) @ (m,) -> (n,)."""
    _tensor_arg(input, "mv", "input", 1)
    _tensor_arg(vec, "mv", "vec", 2)
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {input.ndim}, {vec.ndim}")
    _check_mv(input.shape, vec.shape, input.dtype, vec.dtype)
    return _matmul(input, vec, "MvBackward0", out, "mv")


def dot(input, other, *, out=None):
    """Inner product of two 1-D tensors of equal length (no broadcasting, no promotion)."""
    result = _fast_product(input, other, out, matrices=False)
    if result is not None:
        return result
    _tensor_arg(input, "dot", "input", 1)
    _tensor_arg(other, "dot", "tensor", 2)
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {other.ndim}D "
                           "tensors")
    _check_dot(input, other)
    return _matmul(input, other, "DotBackward0", out, "dot")


def vdot(input, other, *, out=None):
    """Dot product of 1-D tensors (the first is conjugated; ember has no complex dtypes)."""
    _tensor_arg(input, "vdot", "input", 1)
    _tensor_arg(other, "vdot", "other", 2)
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {other.ndim}D "
                           "tensors")
    _check_dot(input, other)
    return _matmul(input, other, "VdotBackward0", out, "vdot")


def bmm(input, mat2, *, out=None):
    """Batched matrix product of (b, n, m) and (b, m, p) (no broadcasting)."""
    _tensor_arg(input, "bmm", "input", 1)
    _tensor_arg(mat2, "bmm", "mat2", 2)
    if input.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    _check_bmm(input.shape, mat2.shape, input.dtype, mat2.dtype)
    return _matmul(input, mat2, "BmmBackward0", out, "bmm")


def outer(input, vec2, *, out=None):
    """Outer product of two vectors: ``outer(a, b)[i, j] = a[i] * b[j]``."""
    _tensor_arg(input, "outer", "input", 1)
    _tensor_arg(vec2, "outer", "vec2", 2)
    for name, v in (("self", input), ("vec2", vec2)):
        if v.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {v.ndim}-D")
    result = input.reshape(-1, 1) * vec2
    if out is not None:
        return _write_out(result, out)
    return result


ger = outer


def inner(input, other, *, out=None):
    """Sum over the last dims: ``inner(a, b)[i, j] = sum_k a[i, k] * b[j, k]``."""
    _tensor_arg(input, "inner", "input", 1)
    _tensor_arg(other, "inner", "other", 2)
    if input.ndim == 0 or other.ndim == 0:
        result = input * other
    else:
        if input.shape[-1] != other.shape[-1]:
            raise RuntimeError(f"inner() the last dimension must match on both input tensors but "
                               f"got shapes {list(input.shape)} and {list(other.shape)}")
        result = tensordot(input, other, dims=([-1], [-1]))
    if out is not None:
        return _write_out(result, out)
    return result


def _expand_error(input, shape):
    """torch's message when ``input`` does not broadcast to the product's ``shape``."""
    if input.ndim > len(shape):
        return RuntimeError(f"expand(torch.{input.dtype.legacy_name}{{{list(input.shape)}}}, "
                            f"size={list(shape)}): the number of sizes provided ({len(shape)}) "
                            f"must be greater or equal to the number of dimensions in the "
                            f"tensor ({input.ndim})")
    # name the first dimension (from the right) that cannot be expanded, as torch does
    dim = next(i for i in range(-1, -input.ndim - 1, -1) if input.shape[i] not in (1, shape[i]))
    return RuntimeError(f"The expanded size of the tensor ({shape[dim]}) must match the "
                        f"existing size ({input.shape[dim]}) at non-singleton dimension "
                        f"{len(shape) + dim}.  Target sizes: {list(shape)}.  Tensor sizes: "
                        f"{list(input.shape)}")


def _bias(input, shape):
    """input's array broadcast to the product's shape (addmm and the add_products ops)."""
    try:
        return np.broadcast_to(input._data, shape)
    except ValueError:
        raise _expand_error(input, shape) from None


def _integer_scales(dtype, beta, alpha):
    """beta and alpha for an integer product: torch converts them to the integer dtype
    first (alpha=0.5 is 0), refusing one out of its range."""
    beta, alpha = int(beta), int(alpha)
    info = np.iinfo(dtype)
    if not (info.min <= alpha <= info.max and info.min <= beta <= info.max):
        raise RuntimeError(f"value cannot be converted to type {dtype.name}_t without overflow")
    return beta, alpha


def _scaled_sum(product, bias, beta, alpha):
    """The array ``beta * bias + alpha * product`` in product's dtype."""
    token = fp_errors_off()             # (inf - inf: nan, silently, as in torch)
    try:
        data = product * alpha if alpha != 1 else product
        if beta != 0:               # beta == 0 ignores input entirely (even NaN), as in torch
            data = data + (bias * beta if beta != 1 else bias)
    finally:
        fp_errors_restore(token)
    return np.asarray(data, dtype=product.dtype)


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * (mat1 @ mat2)`` (input broadcasts to the product's shape).

    >>> ember.addmm(ember.zeros(2), ember.ones(2, 3), ember.ones(3, 2), alpha=2)
    tensor([[6., 6.],
            [6., 6.]])
    """
    for name, t, pos in (("input", input, 1), ("mat1", mat1, 2), ("mat2", mat2, 3)):
        _tensor_arg(t, "addmm", name, pos)
    if mat1.ndim != 2:
        raise RuntimeError("mat1 must be a matrix, got " f"{mat1.ndim}-D tensor")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix, got " f"{mat2.ndim}-D tensor")
    _check_mm(mat1.shape, mat2.shape, mat1.dtype, mat2.dtype)
    shape = (mat1.shape[0], mat2.shape[1])
    bias = _bias(input, shape)
    if input.dtype is not mat2.dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got "
                           f"{_SHORT[input.dtype.name]} and {_SHORT[mat2.dtype.name]}")
    product = _product(mat1._data, mat2._data)
    if product.dtype.kind in "iu":
        beta, alpha = _integer_scales(product.dtype, beta, alpha)
    result = _make(_scaled_sum(product, bias, beta, alpha))
    node = record("AddmmBackward0", addmm_backward, (input, mat1, mat2), result)
    if node:
        node.save_for_backward(mat1, mat2)
        if beta != 1 or alpha != 1:
            node.scales = (beta, alpha)
    if out is not None:
        return _write_out(result, out)
    return result


# beta and alpha of an AddmmBackward0 node: (1, 1) unless addmm was given others
node_class("AddmmBackward0").scales = (1, 1)


def _column_major(a):
    """A 2-D array laid out as a transposed C-ordered one (torch's test in mm's backward)."""
    return a.flags.f_contiguous and not a.flags.c_contiguous


def addmm_backward(ctx, grad):
    """addmm's backward; nn.Linear records the same node (linear's bias, x, w.t())."""
    m1, m2 = ctx.saved_tensors
    beta, alpha = ctx.scales
    needs = ctx.needs_input_grad
    g = grad._data
    if not _state.enabled and beta == 1 and alpha == 1 and (g.dtype is _F32 or g.dtype is _F64):
        # No graph to record, beta = alpha = 1 (b + x @ w.t(), the usual call): the
        # products on the arrays. As torch does, a column-major operand (w.t()) gets its
        # gradient computed transposed, so that it arrives in the operand's layout: after
        # TBackward0 the weight's gradient is C-ordered again, with no transposing copy.
        a, b, mm = m1._data, m2._data, quiet_matmul
        return (unbroadcast(grad, ctx.input_meta[0][0]) if needs[0] else None,
                (_make(mm(b, g.T).T) if _column_major(a) else _make(mm(g, b.T)))
                if needs[1] else None,
                (_make(mm(g.T, a).T) if _column_major(b) else _make(mm(a.T, g)))
                if needs[2] else None)
    gi = g1 = g2 = None
    if needs[0]:
        gi = unbroadcast(grad * beta if beta != 1 else grad, ctx.input_meta[0][0])
    if needs[1]:
        g1 = grad @ m2.mT
        g1 = g1 * alpha if alpha != 1 else g1
    if needs[2]:
        g2 = m1.mT @ grad
        g2 = g2 * alpha if alpha != 1 else g2
    return gi, g1, g2


# ------------------------------------------------------------------ einsum
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _einsum_arguments(args):
    """(equation, operands) from einsum('ij,jk', a, b), einsum('ij,jk', [a, b]) or the
    sublist form einsum(a, [0, 1], b, [1, 2], [0, 2])."""
    if not args:
        raise TypeError("einsum(): must specify the equation string and at least one operand, "
                        "or at least one operand and its subscripts list")
    if isinstance(args[0], str):
        equation, operands = args[0], args[1:]
        if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
            operands = tuple(operands[0])
        return equation, tuple(operands)

    def letters(sublist):
        return "".join("..." if s is Ellipsis else _LETTERS[s] for s in sublist)
    operands, subs = list(args[0::2]), list(args[1::2])
    out = None
    if len(operands) > len(subs):
        out = operands.pop()
        out = letters(out)
    equation = ",".join(letters(s) for s in subs) + ("->" + out if out is not None else "")
    return equation, tuple(operands)


def _parse_einsum(equation, operands):
    """Subscripts per operand with ellipses spelled out as letters, and the output's."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    for i, c in enumerate(eq):
        if not (c.isascii() and c.isalpha()) and c not in ".,->":
            raise RuntimeError(f"einsum(): invalid subscript given at index {i} in the equation "
                               "string, subscripts must be in [a-zA-Z]")
    terms = lhs.split(",")
    if len(terms) > len(operands):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the "
                           "equation")
    if len(terms) < len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the "
                           "equation")
    used = set(c for c in eq if c.isalpha())
    spare = [c for c in _LETTERS if c not in used]
    n_ell = 0
    for k, (term, op) in enumerate(zip(terms, operands)):
        _check_ellipsis(term, k)
        labels = len(term.replace("...", ""))
        if "..." in term:
            if labels > op.ndim:
                raise RuntimeError(f"einsum(): the number of subscripts in the equation "
                                   f"({labels}) is more than the number of dimensions "
                                   f"({op.ndim}) for operand {k}")
            n_ell = max(n_ell, op.ndim - labels)
        elif labels != op.ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({labels}) "
                               f"does not match the number of dimensions ({op.ndim}) for "
                               f"operand {k} and no ellipsis was given")
    if n_ell > len(spare):
        raise RuntimeError("einsum(): too many dimensions for the available subscript letters")
    ell = "".join(spare[:n_ell])
    subs = []
    for term, op in zip(terms, operands):
        k = op.ndim - len(term.replace("...", ""))
        subs.append(term.replace("...", ell[n_ell - k:] if k else ""))
    if arrow:
        _check_ellipsis(rhs, "output")
        out = rhs.replace("...", ell)
        for c in out:
            if out.count(c) > 1:
                raise RuntimeError(f"einsum(): output subscript {c} appears more than once in "
                                   "the output")
            if not any(c in s for s in subs):
                raise RuntimeError(f"einsum(): output subscript {c} does not appear in the "
                                   "equation for any input operand")
    else:
        joined = "".join(terms).replace("...", "")
        out = ell + "".join(sorted(c for c in set(joined) if joined.count(c) == 1))
    return subs, out


def _check_ellipsis(term, k):
    rest = term.replace("...", "", 1)
    if "." in rest:
        which = f"operand {k}" if k != "output" else "the output"
        raise RuntimeError(f"einsum(): found '.' for {which} that is not part of any ellipsis")


def _label_sizes(subs, operands):
    """The size of every label, with torch's errors for labels that don't agree (size-1
    dims broadcast)."""
    sizes = {}
    for k, (sub, op) in enumerate(zip(subs, operands)):
        mine = {}
        for c, n in zip(sub, op.shape):
            if c in mine and mine[c] != n:
                raise RuntimeError(f"einsum(): subscript {c} is repeated for operand {k} but the "
                                   f"sizes don't match, {n} != {mine[c]}")
            mine[c] = n
        for c, n in mine.items():
            seen = sizes.get(c)
            if seen is None or seen == 1:
                sizes[c] = n
            elif n != 1 and n != seen:
                raise RuntimeError(f"einsum(): subscript {c} has size {n} for operand {k} which "
                                   f"does not broadcast with previously seen size {seen}")
    return sizes


def einsum(*args):
    """Einstein summation, e.g. ``einsum('ij,jk->ik', a, b)``; differentiable.

    >>> ember.einsum('ii', ember.eye(3))        # the trace
    tensor(3.)

    The gradient for each operand is another einsum: the output gradient and the
    other operands contract back to that operand's subscripts (a repeated
    subscript, a diagonal, gets its gradient through an identity matrix).
    """
    equation, operands = _einsum_arguments(args)
    for i, o in enumerate(operands):
        if not isinstance(o, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 1, but got "
                            f"{type(o).__name__}")
    subs, out = _parse_einsum(equation, operands)
    sizes = _label_sizes(subs, operands)
    dt = operands[0].dtype
    for o in operands[1:]:
        if o.dtype is not dt:
            raise RuntimeError(f"expected scalar type {_SHORT[dt.name]} but found "
                               f"{_SHORT[o.dtype.name]}")
    summed = set("".join(subs)) - set(out)
    if len(operands) > 1 and summed:
        _not_for_bool(dt, "bmm")
    # A single operand summed is torch's sum, which adds booleans and integers in int64.
    plain_sum = len(operands) == 1 and summed and dt.category < 2
    arrays = []
    for sub, o in zip(subs, operands):
        x = o._data
        if x.dtype == np.float16:
            x = x.astype(np.float32)
        elif plain_sum:
            x = x.astype(np.int64)
        full = tuple(sizes[c] for c in sub)
        arrays.append(np.broadcast_to(x, full) if x.shape != full else x)
    data = np.einsum(f"{','.join(subs)}->{out}", *arrays, optimize=len(arrays) > 2)
    result_dt = _dtypes.int64 if plain_sum else dt
    result = _make(np.asarray(data).astype(result_dt.np, copy=False))
    if len(operands) == 1:
        name = "SumBackward1" if summed else "PermuteBackward0"
    else:
        name = "ViewBackward0" if summed else "MulBackward0"
    node = record(name, _einsum_backward, tuple(operands), result)
    if node:
        node.save_for_backward(*operands)
        node.subs = (subs, out)
    return result


def _einsum_backward(ctx, grad):
    ops = ctx.saved_tensors
    subs, out = ctx.subs
    from .creation import eye
    grads = []
    for i, sub in enumerate(subs):
        if not ctx.needs_input_grad[i]:
            grads.append(None)
            continue
        shape = tuple(ops[i].shape)
        used = set("".join(subs) + out)
        spare = iter(c for c in _LETTERS if c not in used)
        # A label repeated in this operand (a diagonal) is renamed after its first use
        # and tied to it by an identity matrix.
        renamed, eyes, seen = "", [], set()
        for c, n in zip(sub, shape):
            if c in seen:
                c2 = next(spare)
                eyes.append((c + c2, eye(n, dtype=grad.dtype)))
                renamed += c2
            else:
                seen.add(c)
                renamed += c
        others = [(s, o) for j, (s, o) in enumerate(zip(subs, ops)) if j != i]
        present = set(out + "".join(s for s, _ in others) + "".join(e for e, _ in eyes))
        kept = "".join(c for c in renamed if c in present)
        terms = [out] + [s for s, _ in others] + [e for e, _ in eyes]
        tensors = [grad] + [o for _, o in others] + [t for _, t in eyes]
        g = einsum(",".join(terms) + "->" + kept, *tensors)
        if kept != renamed:
            # Labels summed away in the forward come back by broadcasting.
            g = g.reshape([n if c in present else 1 for c, n in zip(renamed, shape)])
        if tuple(g.shape) != shape:
            # A label of size 1 here and n elsewhere (it broadcast) sums back to 1; one of
            # size n here and 1 elsewhere broadcasts back to n.
            wide = tuple(k for k, (a, b) in enumerate(zip(g.shape, shape)) if a != b and b == 1)
            if wide:
                g = g.sum(wide, keepdim=True)
            g = g.expand(shape)
        grads.append(g)
    return tuple(grads)


def tensordot(a, b, dims=2, out=None):
    """Contract ``dims`` trailing dims of a with leading dims of b (or the given lists)."""
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        da = list(range(a.ndim - dims, a.ndim))
        db = list(range(dims))
    elif not isinstance(dims, (tuple, list, Tensor)):
        raise RuntimeError(f"tensordot expects dims to be int or tuple[list[int], list[int]] or "
                           f"list[list[int]] containing two lists, but got dims={dims}")
    else:
        da, db = [[d] if isinstance(d, int) else list(d) for d in dims]
    da = [d % a.ndim for d in da]
    db = [d % b.ndim for d in db]
    if len(da) != len(db):
        raise RuntimeError("both dimension lists should have same length")
    for x, y in zip(da, db):
        if a.shape[x] != b.shape[y]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size "
                               f"{a.shape[x]} in dim {x} and second has size {b.shape[y]} in "
                               f"dim {y}")
    sa = _LETTERS[:a.ndim]
    sb = list(_LETTERS[a.ndim:a.ndim + b.ndim])
    for x, y in zip(da, db):
        sb[y] = sa[x]
    sb = "".join(sb)
    result = einsum(f"{sa},{sb}->" + "".join(c for c in sa if c not in sb)
                    + "".join(c for c in sb if c not in sa), a, b)
    if out is not None:
        return _write_out(result, out)
    return result


def _matmul_method(self, other):
    if isinstance(other, np.ndarray):
        other = _make(other)
    if not isinstance(other, Tensor):
        return NotImplemented
    return matmul(self, other)


def _rmatmul(self, other):
    if not isinstance(other, Tensor):
        return NotImplemented
    return matmul(other, self)


bind(matmul=matmul, __matmul__=_matmul_method, __rmatmul__=_rmatmul, mm=mm, mv=mv, dot=dot,
     vdot=vdot, inner=inner, bmm=bmm, outer=outer, ger=outer, addmm=addmm)
