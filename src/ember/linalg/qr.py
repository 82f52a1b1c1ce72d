"""QR decomposition A = Q R (Q with orthonormal columns, R upper triangular).

    >>> Q, R = ember.linalg.qr(ember.tensor([[3., 1.], [4., 2.]]))
    >>> R
    tensor([[-5.0000, -2.2000],
            [ 0.0000, -0.4000]])

Backward for m >= n (torch's formula): with N = triu(gR R^T - Q^T gQ) and
M = N + N^T with N's diagonal kept once, gA = (gQ + Q M) R^-T.
For m < n, A = [X | Y] splits into a square part X = Q U, handled as above
with gQ + Y gV^T, and the rest Y = Q V, whose gradient is Q gV.
"""
import numpy as np

from ..ops.reduce import return_type
from ..ops.creation import zeros
from ..ops.shape import cat
from .triangular import solve_triangular
from ._checks import check_matrix
from ._outputs import record_outputs, fills_out

_MODES = ("reduced", "complete", "r")


@fills_out("linalg_qr")
def qr(A, mode="reduced", *, out=None):
    """(Q, R). ``mode``: 'reduced' (Q is m x k, k = min(m, n)), 'complete' (Q is m x m) or
    'r' (R only; Q comes back empty)."""
    check_matrix(A, "linalg.qr", half_kernel="geqrf_cpu")
    if mode not in _MODES:
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of "
                           f"'reduced' (default), 'r', or 'complete'")
    dt = A._data.dtype
    if mode == "r":
        R = np.linalg.qr(A._data, mode="r")
        Q = np.zeros((0,), dtype=dt)
    else:
        Q, R = np.linalg.qr(A._data, mode=mode)
    (Q_t, R_t), hub = record_outputs("LinalgQrBackward0", _qr_backward, (A,),
                                     (Q.astype(dt, copy=False), R.astype(dt, copy=False)))
    if hub:
        hub.save_for_backward(Q_t, R_t)
        hub.mode = mode
    return return_type("linalg_qr", ("Q", "R"))(Q_t, R_t)


def _qr_backward(ctx, gQ, gR):
    Q, R = ctx.saved_tensors
    m, n = ctx.input_meta[0][0][-2:]
    if ctx.mode == "r":
        raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed "
                           "when mode='r'. Please use linalg.qr(A, mode='reduced') if you are "
                           "going to differentiate through linalg.qr.")
    if ctx.mode == "complete" and m > n:
        raise RuntimeError("The QR decomposition is not differentiable when mode='complete' "
                           "and nrows > ncols.")
    if m >= n:
        return _square_or_tall(Q, R, gQ, gR)
    # Wide: A = [X | Y], R = [U | V].
    U, V = R[..., :m], R[..., m:]
    gU = gV = None
    if gR is not None:
        gU, gV = gR[..., :m], gR[..., m:]
    gX_Q = gQ
    if gV is not None:
        Y = Q @ V
        gX_Q = Y @ gV.mT if gQ is None else gQ + Y @ gV.mT
    gX = _square_or_tall(Q, U, gX_Q, gU)
    gY = Q @ gV if gV is not None else zeros(V.shape, dtype=V.dtype)
    return cat([gX, gY], -1)


def _square_or_tall(Q, R, gQ, gR):
    N = None
    if gR is not None:
        N = gR @ R.mT
    if gQ is not None:
        N = -(Q.mT @ gQ) if N is None else N - Q.mT @ gQ
    if N is None:
        return zeros((*Q.shape[:-1], R.shape[-1]), dtype=Q.dtype)
    N = N.triu()
    M = N + N.triu(1).mT
    G = Q @ M if gQ is None else gQ + Q @ M
    return solve_triangular(R.mT, G, upper=False, left=False)      # G R^-T
