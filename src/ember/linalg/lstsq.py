"""Least squares: the X minimising ||A X - B||_F, for tall, square or wide A.

    >>> A = ember.tensor([[1., 0.], [1., 1.], [1., 2.]])
    >>> ember.linalg.lstsq(A, ember.tensor([[1.], [2.], [3.]])).solution
    tensor([[1.0000],
            [1.0000]])

The solution is the minimum-norm one, pinv(A) B, with singular values below
rcond * s_max treated as zero (rcond defaults to eps * max(m, n)). For every
full-rank or exactly rank-deficient A all of torch's drivers give this same
solution. One difference: with an ``rcond`` large enough to cut off a
singular value, 'gelsy' in torch truncates by a pivoted-QR estimate, which
yields another (basic) solution; ember truncates by singular values for every
driver, as 'gelsd' does. What else comes back follows torch's CPU drivers
(default 'gelsy'):

============  =========================  ======  ===============
driver        residuals                  rank    singular_values
============  =========================  ======  ===============
gelsy         empty                      yes     empty
gels          if m > n                   empty   empty
gelsd, gelss  if m > n and A full rank   yes     yes
============  =========================  ======  ===============

Backward: the solution's gradient is that of pinv(A) B
(gB = pinv(A)^T gX, gA = pinv's backward of gX B^T); the residuals
r = ||A X - B||^2 add gA += 2 (A X - B) diag(gr) X^T and gB -= 2 (A X - B) diag(gr).
"""
import numpy as np

from .._tensor import _make
from ..ops._common import unbroadcast
from ..ops.reduce import return_type
from ._checks import check_tensor, type_name
from ._outputs import record_outputs
from .inverse import _broadcast_batch
from .svd import pinv, pinv_grad

_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")
_FN = "torch.linalg.lstsq"


def lstsq(A, B, rcond=None, *, driver=None):
    """(solution, residuals, rank, singular_values) of min ||A X - B||, as torch's named tuple.

    B is a batch of vectors when it has one dim fewer than A.
    """
    check_tensor(A, "linalg_lstsq", "input")
    check_tensor(B, "linalg_lstsq", "b", 2)
    if A.dtype is not B.dtype:
        raise RuntimeError(f"{_FN}: Expected input and other to have the same dtype, but got "
                           f"input's dtype {type_name(A)} and other's dtype {type_name(B)}")
    if A._data.dtype.kind != "f" or A._data.dtype.itemsize < 4:
        raise RuntimeError("This function doesn't handle types other than float and double")
    if A.ndim < 2:
        raise RuntimeError(f"{_FN}: input must have at least 2 dimensions.")
    if B.ndim < 1:
        raise RuntimeError(f"{_FN}: other must have at least 1 dimension.")
    if not (A.ndim >= B.ndim and A.ndim - B.ndim <= 1):
        raise RuntimeError(f"{_FN}: input.dim() must be greater or equal to other.dim() and "
                           f"(input.dim() - other.dim()) <= 1")
    vector = A.ndim - B.ndim == 1
    b = B._data[..., None] if vector else B._data
    a = A._data
    dt = a.dtype
    m, n = a.shape[-2:]
    # torch checks the rows before the batch dims, on B as given: its dim -1 if B is a
    # vector (1-D, or A's shape without the last dim), else its dim -2
    as_vector = B.ndim == 1 or tuple(B.shape) == tuple(A.shape[:-1])
    if B.shape[-1 if as_vector else -2] != m:
        raise RuntimeError(f"{_FN}: input.size(-2) should match other.size"
                           f"({-1 if as_vector else -2})")
    batch = _broadcast_batch(a.shape[:-2], b.shape[:-2])
    if driver is None:
        driver = "gelsy"
    if driver not in _DRIVERS:
        raise RuntimeError(f"{_FN}: parameter `driver` should be one of "
                           f"(gels, gelsy, gelsd, gelss)")
    if rcond is None:
        rcond = np.finfo(dt).eps * max(m, n)

    # rank and singular values belong to A: they keep A's own batch shape.
    U, S, Vh = _svd(a)
    s_max = S[..., :1] if S.shape[-1] else np.zeros(a.shape[:-2] + (1,), dt)
    keep = S > rcond * s_max
    rank = keep.sum(-1).astype(np.int64)
    # (an inf in A: nan solutions, silently, as in torch; BLAS would raise NumPy's
    # invalid-value warning)
    with np.errstate(all="ignore"):
        inv_s = np.where(keep, 1 / np.where(keep, S, 1), 0).astype(dt)
        # X = V diag(1/s) U^T B: the minimum-norm least-squares solution.
        Ut_b = np.swapaxes(U, -1, -2) @ np.broadcast_to(b, batch + b.shape[-2:])
        X = (np.swapaxes(Vh, -1, -2) @ (inv_s[..., None] * Ut_b)).astype(dt, copy=False)
        a = np.broadcast_to(a, batch + (m, n))

        full_rank = bool(np.all(rank == n))
        with_residuals = m > n and (driver == "gels" or (driver in ("gelsd", "gelss")
                                                          and full_rank))
        residuals = (np.sum((a @ X - b) ** 2, axis=-2).astype(dt) if with_residuals
                     else np.zeros((0,), dt))
    rank_out = rank if driver != "gels" else np.zeros((0,), np.int64)
    sv_out = S if driver in ("gelsd", "gelss") else np.zeros((0,), dt)

    solution = X[..., 0] if vector else X
    arrays = (np.ascontiguousarray(solution),) + ((residuals,) if with_residuals else ())
    outs, hub = record_outputs("LinalgLstsqBackward0", _lstsq_backward, (A, B), arrays)
    if hub:
        hub.save_for_backward(A, B, outs[0])
        hub.vector = vector
    residuals_t = outs[1] if with_residuals else _make(residuals)
    return return_type("linalg_lstsq", ("solution", "residuals", "rank", "singular_values"))(
        outs[0], residuals_t, _make(np.asarray(rank_out)), _make(sv_out))


def _svd(a):
    *batch, m, n = a.shape
    k = min(m, n)
    if a.size == 0:
        return (np.zeros((*batch, m, k), a.dtype), np.zeros((*batch, k), a.dtype),
                np.zeros((*batch, k, n), a.dtype))
    U, S, Vh = np.linalg.svd(a, full_matrices=False)
    return U.astype(a.dtype, copy=False), S.astype(a.dtype, copy=False), \
        Vh.astype(a.dtype, copy=False)


def _lstsq_backward(ctx, gX, g_residuals=None):
    A, B, X = ctx.saved_tensors
    if ctx.vector:
        B, X = B.unsqueeze(-1), X.unsqueeze(-1)
        gX = gX.unsqueeze(-1) if gX is not None else None
    gA = gB = 0
    if gX is not None:
        P = pinv(A)
        gB = P.mT @ gX
        if ctx.needs_input_grad[0]:
            gA = pinv_grad(A, P, gX @ B.mT)
    if g_residuals is not None:
        weighted = 2 * (A @ X - B) * g_residuals.unsqueeze(-2)
        gA = gA + weighted @ X.mT
        gB = gB - weighted
    gA = unbroadcast(gA, ctx.input_meta[0][0]) if ctx.needs_input_grad[0] else None
    if ctx.needs_input_grad[1]:
        gB = gB.squeeze(-1) if ctx.vector else gB
        gB = unbroadcast(gB, ctx.input_meta[1][0])
    else:
        gB = None
    return gA, gB
