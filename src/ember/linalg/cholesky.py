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
from ..ops.reduce import return_type
from ._checks import (LinAlgError, check_matrix, check_tensor, batch_prefix, first_failure,
                      not_positive_definite_info, partial_cholesky, lapack_array)
from ._outputs import fills_out


@fills_out("linalg_cholesky", "linalg_cholesky_ex", arg_names={"A": "input"})
def cholesky(A, *, upper=False, out=None):
    """The lower triangular L with A = L L^T (or upper U with A = U^T U if ``upper``)."""
    check_tensor(A, "linalg_cholesky", "input")
    check_matrix(A, "linalg.cholesky", square=True, half_kernel="cholesky_cpu")
    L, info = _factor(A._data, upper)
    if info.any():
        raise _not_positive_definite(A._data.shape, info, "linalg.cholesky")
    return _record(A, L, upper)


@fills_out("linalg_cholesky_ex")
def cholesky_ex(A, *, upper=False, check_errors=False, out=None):
    """(L, info): cholesky without the error: info is 0 for each matrix that factored and
    otherwise the order of its first leading minor that is not positive-definite (LAPACK's
    info, int32). L of a failed matrix holds LAPACK's partial factor.

    >>> ember.linalg.cholesky_ex(ember.tensor([[1., 2.], [2., 1.]])).info
    tensor(2, dtype=torch.int32)
    """
    check_tensor(A, "linalg_cholesky_ex", "input")
    # (torch's input checks name linalg.cholesky, its check_errors linalg.cholesky_ex)
    check_matrix(A, "linalg.cholesky", square=True, half_kernel="cholesky_cpu")
    L, info = _factor(A._data, upper)
    if check_errors and info.any():
        raise _not_positive_definite(A._data.shape, info, "linalg.cholesky_ex")
    return return_type("linalg_cholesky_ex", ("L", "info"))(
        _record(A, L, upper), _make(info.astype(np.int32)))


def _factor(a, upper):
    """(the factor, LAPACK's info per matrix) of the array ``a``."""
    # With upper=True LAPACK reads A's upper triangle: that is the lower one of A^T.
    lower = np.swapaxes(a, -1, -2) if upper else a
    info = np.zeros(a.shape[:-2], dtype=np.int64)
    try:
        with np.errstate(all="ignore"):
            L = np.linalg.cholesky(lapack_array(lower))
        # NumPy lets NaN and inf through where LAPACK's own checks (and torch) fail, so
        # a non-finite factor is replayed to find its info.
        failed = not np.isfinite(L).all()
    except np.linalg.LinAlgError:
        L, failed = None, True
    if failed:
        info = not_positive_definite_info(lower)
        if info.any():      # (some matrices factored: keep NumPy's factor of those)
            partial = partial_cholesky(lower, info)
            L = partial if L is None else np.where((info > 0)[..., None, None], partial, L)
    L = np.ascontiguousarray(np.swapaxes(L, -1, -2) if upper else L, dtype=a.dtype)
    return L, info


def _record(A, L, upper):
    result = _make(L)
    node = record("LinalgCholeskyExBackward0", _cholesky_backward, (A,), result)
    if node:
        node.save_for_backward(result)
        node.upper = upper
    return result


def _not_positive_definite(shape, info, fn):
    element, order = first_failure(info)
    return LinAlgError(
        f"{fn}: {batch_prefix(shape, element)}The factorization could not be "
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
