"""Products: matmul (``@``), mm, mv, dot, bmm, outer, einsum.

NumPy's matmul calls BLAS for float32/float64, so large products run at the
same speed as torch's. Backward of C = A @ B is dA = dC @ B^T, dB = A^T @ dC,
with broadcast batch dims summed away.
"""
import numpy as np

from .. import _dtypes
from .._tensor import Tensor, _make
from ..autograd.graph import record
from ._common import bind, unbroadcast


def _check_same_dtype(a, b, opname):
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{a.dtype.name if a.dtype.name != 'float32' else 'float'} != "
                           f"{b.dtype.name if b.dtype.name != 'float32' else 'float'}"
                           .replace("float64", "double").replace("int64", "long")
                           if opname in ("mm", "matmul", "bmm") else
                           f"{opname}: expected both vectors to have same dtype, but found "
                           f"{_short(a.dtype)} and {_short(b.dtype)}")


def _short(d):
    return {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int",
            "float16": "Half", "bool": "Bool", "uint8": "Byte", "int8": "Char",
            "int16": "Short"}[d.name]


def _shape_error(a, b):
    sa, sb = list(a.shape), list(b.shape)
    if a.ndim == 1 and b.ndim == 1:
        return RuntimeError(f"inconsistent tensor size, expected tensor [{sa[0]}] and src "
                            f"[{sb[0]}] to have the same number of elements, but got {sa[0]} "
                            f"and {sb[0]} elements respectively")
    if a.ndim == 2 and b.ndim == 1:
        return RuntimeError(f"size mismatch, got input ({sa[0]}), mat ({sa[0]}x{sa[1]}), vec "
                            f"({sb[0]})")
    m1 = sa if a.ndim <= 2 else [int(np.prod(sa[:-1])), sa[-1]]
    if a.ndim == 1:
        m1 = [1, sa[0]]
    m2 = sb if b.ndim >= 2 else [sb[0], 1]
    return RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({m1[0]}x{m1[-1]} and "
                        f"{m2[-2]}x{m2[-1]})")


def matmul(input, other, *, out=None):
    """Matrix product with torch's rules for 1-D and batched operands.

    >>> (ember.ones(2, 3) @ ember.ones(3)).shape
    torch.Size([2])
    """
    if not isinstance(other, Tensor) or not isinstance(input, Tensor):
        raise TypeError(f"matmul(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(other).__name__}")
    if input.ndim == 0 or other.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{input.ndim}D and {other.ndim}D")
    _check_same_dtype(input, other, "matmul")
    try:
        data = np.matmul(input._data, other._data)
    except ValueError:
        raise _shape_error(input, other) from None
    result = _make(np.asarray(data))
    na, nb = input.ndim, other.ndim
    name = ("DotBackward0" if na == nb == 1 else "MvBackward0" if na == 2 and nb == 1 else
            "MmBackward0" if na == nb == 2 else "UnsafeViewBackward0" if nb <= 2 else
            "BmmBackward0" if na == nb == 3 else "UnsafeViewBackward0")
    node = record(name, _matmul_backward, (input, other), result)
    if node:
        node.save_for_backward(input, other)
    return result


def _matmul_backward(ctx, grad):
    a, b = ctx.saved_tensors
    # Treat vectors as matrices (a row for the left operand, a column for the right),
    # then drop the added dims again.
    a2 = a.unsqueeze(0) if a.ndim == 1 else a
    b2 = b.unsqueeze(-1) if b.ndim == 1 else b
    g = grad
    if b.ndim == 1:
        g = g.unsqueeze(-1)
    if a.ndim == 1:
        g = g.unsqueeze(-2)
    ga = gb = None
    if ctx.needs_input_grad[0]:
        ga = g @ b2.mT
        ga = unbroadcast(ga, a2.shape)
        ga = ga.squeeze(0) if a.ndim == 1 else ga
    if ctx.needs_input_grad[1]:
        gb = a2.mT @ g
        gb = unbroadcast(gb, b2.shape)
        gb = gb.squeeze(-1) if b.ndim == 1 else gb
    return ga, gb


def mm(input, mat2, *, out=None):
    """Product of two matrices (2-D only)."""
    if input.ndim != 2:
        raise RuntimeError(f"self must be a matrix")
    if mat2.ndim != 2:
        raise RuntimeError(f"mat2 must be a matrix")
    return matmul(input, mat2)


def mv(input, vec, *, out=None):
    """Matrix-vector product."""
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {input.ndim}, {vec.ndim}")
    return matmul(input, vec)


def dot(input, other, *, out=None):
    """Inner product of two 1-D tensors of equal length."""
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {other.ndim}D "
                           "tensors")
    if input.dtype is not other.dtype:
        raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                           f"{_short(input.dtype)} and {_short(other.dtype)}")
    return matmul(input, other)


inner = dot
vdot = dot


def bmm(input, mat2, *, out=None):
    """Batched matrix product of (b, n, m) and (b, m, p)."""
    if input.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if input.shape[0] != mat2.shape[0] or input.shape[2] != mat2.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{input.shape[0]}, {input.shape[2]}] but got: "
                           f"[{mat2.shape[0]}, {mat2.shape[1]}].")
    return matmul(input, mat2)


def outer(input, vec2):
    """Outer product of two vectors: ``outer(a, b)[i, j] = a[i] * b[j]``."""
    return input.reshape(-1, 1) * vec2.reshape(1, -1)


ger = outer


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    return input * beta + matmul(mat1, mat2) * alpha


def einsum(equation, *operands):
    """Einstein summation, e.g. ``einsum('ij,jk->ik', a, b)``; differentiable.

    The gradient for each operand is another einsum: the output subscripts
    and the other operands' subscripts contract back to that operand's.
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    eq = equation.replace(" ", "")
    ins, _, out = eq.partition("->")
    in_subs = ins.split(",")
    if not _:
        letters = sorted(c for c in set("".join(in_subs)) if "".join(in_subs).count(c) == 1)
        out = "".join(letters)
    if len(in_subs) != len(operands):
        raise RuntimeError(f"einsum(): more operands were provided than specified in the "
                           f"equation" if len(operands) > len(in_subs) else
                           "einsum(): fewer operands were provided than specified in the equation")
    dt = operands[0].dtype
    for o in operands[1:]:
        dt = _dtypes.promote_types(dt, o.dtype)
    try:
        data = np.einsum(f"{','.join(in_subs)}->{out}",
                         *[o._data.astype(dt.np, copy=False) for o in operands], optimize=True)
    except ValueError as err:
        raise RuntimeError(f"einsum(): {err}") from None
    result = _make(np.asarray(data))
    node = record("ViewBackward0" if len(operands) > 1 else "EinsumBackward0",
                  _einsum_backward, tuple(operands), result)
    if node:
        node.save_for_backward(*operands)
        node.subs = (in_subs, out)
    return result


def _einsum_backward(ctx, grad):
    ops = ctx.saved_tensors
    in_subs, out = ctx.subs
    grads = []
    for i, sub in enumerate(in_subs):
        if not ctx.needs_input_grad[i]:
            grads.append(None)
            continue
        others = [s for j, s in enumerate(in_subs) if j != i]
        tensors = [grad] + [o for j, o in enumerate(ops) if j != i]
        # Letters of this operand that appear nowhere else were summed out: restore them
        # by broadcasting (einsum can't invent them), then repeated letters (diagonals)
        # are not supported in backward.
        present = set(out + "".join(others))
        kept = "".join(c for c in sub if c in present)
        g = einsum(",".join([out] + others) + "->" + kept, *tensors)
        if kept != sub:
            shape = ops[i].shape
            view_shape = [shape[k] if c in present else 1 for k, c in enumerate(sub)]
            g = g.reshape(view_shape).expand(shape)
        grads.append(g)
    return tuple(grads)


def tensordot(a, b, dims=2):
    if isinstance(dims, int):
        da = list(range(a.ndim - dims, a.ndim))
        db = list(range(dims))
    else:
        da, db = [list(d) if not isinstance(d, int) else [d] for d in dims]
    letters = "abcdefghijklmnopqrstuvwxyz"
    sa = letters[:a.ndim]
    sb = list(letters[a.ndim:a.ndim + b.ndim])
    for x, y in zip(da, db):
        sb[y] = sa[x]
    sb = "".join(sb)
    out = "".join(c for c in sa if c not in sb) + "".join(c for c in sb if c not in sa)
    return einsum(f"{sa},{sb}->{out}", a, b)


def _rmatmul(self, other):
    return matmul(other, self)


bind(matmul=matmul, __matmul__=matmul, __rmatmul__=_rmatmul, mm=mm, mv=mv, dot=dot, inner=inner,
     bmm=bmm, outer=outer, ger=outer, addmm=addmm)
