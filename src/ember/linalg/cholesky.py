"""Cholesky factorisation A = L L^T of a symmetric positive-definite matrix.

    >>> ember.linalg.cholesky(ember.tensor([[4., 2.], [2., 5.]]))
    tensor([[2., 0.],
            [1., 2.]])

Only the lower triangle of A is read (the upper one with ``upper=True``), as in
LAPACK. Backward (Murray's formula, as torch): with P = tril(L^T gL),
M = the symmetric matrix whose lower triangle is P/2 (its diagonal too),
gA = L^-T M L^-1, which is symmetric.
"""
import numpy as np

from .._tensor import _make
from ..autograd.graph import record
from .triangular import solve_triangular
from ._checks import (LinAlgError, check_matrix, batch_prefix, first_failure,
                      not_positive_definite_info)
from ._outputs import fills_out


@fills_out("linalg_cholesky", "linalg_cholesky_ex")
def cholesky(A, *, upper=False, out=None):
    """The lower triangular L with A = L L^T (or upper U with A = U^T U if ``upper``)."""
    check_matrix(A, "linalg.cholesky", square=True, half_kernel="cholesky_cpu")
    # With upper=True LAPACK reads A's upper triangle: that is the lower one of A^T.
    a = np.swapaxes(A._data, -1, -2) if upper else A._data
    try:
        L = np.linalg.cholesky(a)
    except np.linalg.LinAlgError:
        raise _not_positive_definite(a) from None
    if not np.all(np.diagonal(L, axis1=-2, axis2=-1) > 0):
        # NumPy lets NaN through, where LAPACK's own check (and torch) fails.
        raise _not_positive_definite(a)
    data = np.swapaxes(L, -1, -2) if upper else L
    result = _make(np.ascontiguousarray(data, dtype=A._data.dtype))
    node = record("LinalgCholeskyExBackward0", _cholesky_backward, (A,), result)
    if node:
        node.save_for_backward(result)
        node.upper = upper
    return result


def _not_positive_definite(a):
    element, order = first_failure(not_positive_definite_info(a))
    order = order or a.shape[-1]
    return LinAlgError(
        f"linalg.cholesky: {batch_prefix(a.shape, element)}The factorization could not be "
        f"completed because the input is not positive-definite (the leading minor of order "
        f"{order} is not positive-definite).")


def _cholesky_backward(ctx, grad):
    L, = ctx.saved_tensors
    if ctx.upper:
        L, grad = L.mT, grad.mT
    P = (L.mT @ grad).tril()
    M = 0.5 * (P + P.tril(-1).mT)       # symmetric, lower triangle P/2
    gA = solve_triangular(L.mT, M, upper=True)                  # L^-T M
    return solve_triangular(L, gA, upper=False, left=False)    # ... L^-1
