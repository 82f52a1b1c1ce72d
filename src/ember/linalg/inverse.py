"""Inverse, linear solves and determinants: the functions built on LU.

    >>> A = ember.tensor([[2., 1.], [1., 3.]])
    >>> ember.linalg.solve(A, ember.tensor([3., 5.]))
    tensor([0.8000, 1.4000])

Backward, with Y = A^-1 and X = A^-1 B:

* inv:    gA = -Y^T gY Y^T
* solve:  gB = A^-T gX,  gA = -gB X^T
* det:    gA = g det(A) A^-T (the cofactor matrix); via the SVD where A is singular
* slogdet: g_logabsdet A^-T (the sign has no gradient for real matrices)
"""
import numpy as np

from .._tensor import _make
from ..autograd.graph import record
from ..ops._common import unbroadcast
from ..ops.shape import broadcast_shapes
from ..ops.reduce import return_type
from ._checks import (LinAlgError, check_matrix, check_tensor, check_same_dtype,
                      check_float, batch_prefix, first_failure, zero_pivot_info, lapack_array)
from ._outputs import record_outputs, fills_out
from ._matrices import scale_columns


def _singular_error(a, fn, message):
    """The LinAlgError torch gives when LU of some matrix of ``a`` hits a zero pivot."""
    info = zero_pivot_info(a)
    element, pivot = first_failure(info)
    if pivot == 0:              # NumPy's LAPACK saw a zero that the replay did not
        pivot = a.shape[-1]
    return LinAlgError(f"{fn}: {batch_prefix(a.shape, element)}" + message.format(pivot=pivot))


def _nan_matrices(a):
    """For each matrix of ``a`` (..., n, n): does it hold a NaN?"""
    return np.isnan(a).any(axis=(-2, -1))


def _lu_solve(compute, a, fn, message, *args):
    """``compute(a, *args)`` (np.linalg.inv or solve), with torch's answer for matrices
    that hold a NaN: all NaN. LAPACK's LU runs through a NaN pivot, but NumPy may call such
    a matrix singular, or leave part of its result finite. A zero pivot met before any NaN
    (getrf's info) is still an error, naming that matrix."""
    try:
        out = compute(a, *args)
    except np.linalg.LinAlgError:
        nan = _nan_matrices(a)
        if not nan.any() or zero_pivot_info(a).any():
            raise _singular_error(a, fn, message) from None
        try:        # the others again, with the NaN matrices swapped for I
            out = compute(np.where(nan[..., None, None], np.eye(a.shape[-1], dtype=a.dtype), a),
                          *args)
        except np.linalg.LinAlgError:
            raise _singular_error(a, fn, message) from None
        out[nan] = np.nan
        return out
    if np.isnan(out).any():     # (cheap next to the O(n^3) LU)
        out[_nan_matrices(a)] = np.nan
    return out


# ------------------------------------------------------------------- inverse
@fills_out("linalg_inv", "linalg_inv_ex")
def inv(A, *, out=None):
    """The inverse of a square matrix (or of each matrix in a batch).

    >>> ember.linalg.inv(ember.tensor([[2., 0.], [0., 4.]]))
    tensor([[0.5000, 0.0000],
            [0.0000, 0.2500]])
    """
    check_matrix(A, "linalg.inv", square=True)
    data = _lu_solve(np.linalg.inv, A._data, "linalg.inv",
                     "The diagonal element {pivot} is zero, the inversion could not be "
                     "completed because the input matrix is singular.")
    result = _make(data.astype(A._data.dtype, copy=False))
    node = record("LinalgInvExBackward0", _inv_backward, (A,), result)
    if node:
        node.save_for_backward(result)
    return result


def _inv_backward(ctx, grad):
    Y, = ctx.saved_tensors
    Yt = Y.mT
    return -(Yt @ grad @ Yt)


# --------------------------------------------------------------------- solve
def _is_vector_rhs(A, B):
    """torch's rule: B is a (batch of) vector(s) if it is 1-D or has A's shape minus one dim."""
    return B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))


@fills_out("linalg_solve", "_linalg_solve_ex")
def solve(A, B, *, left=True, out=None):
    """The solution X of A X = B (or X A = B with ``left=False``) for square, invertible A.

    B may be a vector, a matrix, or a batch of either; batch dims broadcast.

    >>> ember.linalg.solve(ember.eye(2) * 2, ember.ones(2, 3)).shape
    torch.Size([2, 3])
    """
    check_tensor(A, "linalg_solve", "A")
    check_tensor(B, "linalg_solve", "B", 2)
    check_matrix(A, "linalg.solve", square=True, half_kernel="lu_cpu")
    check_float(B, "linalg.solve", "lu_cpu")
    check_same_dtype(A, B, "linalg.solve")
    if B.ndim == 0:
        raise RuntimeError("linalg.solve: The input tensor B must have at least 2 dimensions.")
    vector = _is_vector_rhs(A, B)
    n = A.shape[-1]
    if vector:
        # A vector is a column n x 1; X A = B then needs n == 1.
        fits = B.shape[-1] == n and (left or n == 1)
        b_text = f"{B.shape[-1]}x1"
    else:
        fits = B.ndim >= 2 and (B.shape[-2] if left else B.shape[-1]) == n
        b_text = "x".join(str(s) for s in B.shape[-2:])
    if not fits:
        equation = "AX = B" if left else "XA = B"
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation "
                           f"{equation} ({n}x{n} and {b_text})")
    if not left:
        if vector:
            raise RuntimeError("linalg.solve: Vector broadcasting of the left hand side is not "
                               "supported for left=False. In this case linalg.solve is "
                               "equivalent to B / A.squeeze(-1)")
        return _solve(A, B, False, left=False)
    return _solve(A, B, vector)


def _solve(A, B, vector, left=True):
    b = B._data[..., None] if vector else B._data
    batch = _broadcast_batch(b.shape[:-2], A.shape[:-2])    # (B first in torch's message)
    a = np.broadcast_to(A._data, batch + A.shape[-2:])
    b = np.broadcast_to(b, batch + b.shape[-2:])
    if not left:        # X A = B  <=>  A^T X^T = B^T
        a, b = np.swapaxes(a, -1, -2), np.swapaxes(b, -1, -2)
    data = _lu_solve(np.linalg.solve, lapack_array(a), "torch.linalg.solve",
                     "The solver failed because the input matrix is singular.",
                     lapack_array(b))
    if vector:
        data = data[..., 0]
    if not left:
        data = np.swapaxes(data, -1, -2)
    result = _make(np.ascontiguousarray(data, dtype=A._data.dtype))
    node = record("LinalgSolveExBackward0", _solve_backward, (A, B), result)
    if node:
        node.save_for_backward(A, result)
        node.vector = vector
        node.left = left
    return result


def _broadcast_batch(a, b):
    try:
        return tuple(broadcast_shapes(a, b))
    except RuntimeError:
        raise RuntimeError(_batch_mismatch(a, b)) from None


def _batch_mismatch(a, b):
    a, b = list(a), list(b)
    for i in range(1, max(len(a), len(b)) + 1):
        da = a[-i] if i <= len(a) else 1
        db = b[-i] if i <= len(b) else 1
        if da != db and 1 not in (da, db):
            return (f"The size of tensor a ({da}) must match the size of tensor b ({db}) at "
                    f"non-singleton dimension {max(len(a), len(b)) - i}")
    return f"shapes {a} and {b} cannot be broadcast together"


def _solve_backward(ctx, grad):
    A, X = ctx.saved_tensors
    if ctx.vector:
        grad, X = grad.unsqueeze(-1), X.unsqueeze(-1)
    # A X = B: A^T gB = gX, gA = -gB X^T;  X A = B: gB A^T = gX, gA = -X^T gB
    gB = _solve(A.mT, grad, False, left=ctx.left)
    gA = None
    if ctx.needs_input_grad[0]:
        gA = unbroadcast(-(gB @ X.mT) if ctx.left else -(X.mT @ gB), ctx.input_meta[0][0])
    if not ctx.needs_input_grad[1]:
        return gA, None
    if ctx.vector:
        gB = gB.squeeze(-1)
    return gA, unbroadcast(gB, ctx.input_meta[1][0])


# ---------------------------------------------------------------- determinant
@fills_out("linalg_det", "_linalg_det")
def det(A, *, out=None):
    """The determinant of a square matrix (or of each matrix in a batch).

    >>> ember.linalg.det(ember.tensor([[1., 2.], [3., 4.]]))
    tensor(-2.0000)
    """
    check_matrix(A, "linalg.det", square=True, half_kernel="lu_cpu")
    with np.errstate(all="ignore"):     # a nan in A: nan, silently, as in torch
        d = np.asarray(np.linalg.det(lapack_array(A._data)), dtype=A._data.dtype)
    if not d.all():         # NumPy says 0 for some matrices with a NaN; torch says NaN
        d = np.where(_nan_matrices(A._data), np.nan, d).astype(d.dtype, copy=False)
    result = _make(d)
    node = record("LinalgDetBackward0", _det_backward, (A,), result)
    if node:
        node.save_for_backward(A, result)
    return result


def _det_backward(ctx, grad):
    A, d = ctx.saved_tensors
    if A._data.size and not np.all(d._data):
        return _singular_det_backward(A, grad)
    # d det(A) / dA = det(A) A^-T, the cofactor matrix.
    return (grad * d).unsqueeze(-1).unsqueeze(-1) * inv(A).mT


def _singular_det_backward(A, grad):
    """The cofactor matrix from the SVD A = U S Vh, which stays defined where A^-1 does
    not: det(A) = det(U) det(Vh) prod(S), and d prod(S) / d s_i = prod_{j != i} s_j."""
    from .svd import svd
    U, S, Vh = svd(A, full_matrices=False)
    n = S.shape[-1]
    others = S.unsqueeze(-2).expand(*S.shape[:-1], n, n)
    identity = np.eye(n, dtype=bool)
    others = others.masked_fill(_make(identity), 1).prod(-1)    # prod_{j != i} s_j
    alpha = det(U) * det(Vh) * grad
    return scale_columns(U, alpha.unsqueeze(-1) * others) @ Vh


@fills_out("linalg_slogdet", "_linalg_slogdet")
def slogdet(A, *, out=None):
    """(sign, log|det A|): the determinant without overflow for large matrices.

    >>> ember.linalg.slogdet(ember.tensor([[-2., 0.], [0., 3.]])).logabsdet
    tensor(1.7918)
    """
    check_matrix(A, "linalg.slogdet", square=True)
    with np.errstate(all="ignore"):     # a nan in A: nan, silently, as in torch
        sign, logabsdet = np.linalg.slogdet(A._data)
    if not np.all(sign) or np.isnan(logabsdet).any():
        # a NaN in a matrix: torch says (0, nan); NumPy (1, nan) or (0, -inf)
        nan = _nan_matrices(A._data)
        sign, logabsdet = np.where(nan, 0, sign), np.where(nan, np.nan, logabsdet)
    dt = A._data.dtype
    (sign_t, logabsdet_t), hub = record_outputs(
        "LinalgSlogdetBackward0", _slogdet_backward, (A,),
        (np.asarray(sign, dtype=dt), np.asarray(logabsdet, dtype=dt)))
    if hub:
        hub.save_for_backward(A)
    return return_type("linalg_slogdet", ("sign", "logabsdet"))(sign_t, logabsdet_t)


def _slogdet_backward(ctx, g_sign, g_logabsdet):
    A, = ctx.saved_tensors
    if g_logabsdet is None:             # the sign of a real matrix is piecewise constant
        return A * 0
    return g_logabsdet.unsqueeze(-1).unsqueeze(-1) * inv(A).mT
