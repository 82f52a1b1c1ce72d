"""Eigendecomposition of a symmetric matrix: A = Q diag(L) Q^T, eigenvalues ascending.

    >>> ember.linalg.eigvalsh(ember.tensor([[2., 1.], [1., 2.]]))
    tensor([1., 3.])

Only the ``UPLO`` triangle of A is read ('L', the default, or 'U').
Backward (torch's formula): with E_ij = L_j - L_i,
gA = Q (skew(Q^T gQ) / 2 / E  +  diag(gL)) Q^T, which is symmetric. Like torch
it is the gradient for a symmetric A: differentiate a symmetric function of
your input (e.g. eigh(X + X.mT)) to get a true gradient. It is undefined for
repeated eigenvalues when the eigenvectors are used.
"""
import numpy as np

from .._tensor import _make
from ..autograd.grad_mode import is_grad_enabled
from ..ops.reduce import return_type
from ._checks import check_matrix, check_tensor, lapack_array
from ._outputs import record_outputs, fills_out
from ._matrices import diag_embed, skew, scale_columns, off_diagonal_ratio


def _checked(A, UPLO, fn="linalg_eigh"):
    """torch's checks (eigvalsh reports as linalg.eigh); returns UPLO upper-cased."""
    if not isinstance(UPLO, str):       # (the argument parser's check comes first)
        raise TypeError(f"{fn}(): argument 'UPLO' must be str, not {type(UPLO).__name__}")
    check_tensor(A, fn, "input")       # (torch names eigh's argument 'input')
    check_matrix(A, "linalg.eigh", square=True, half_kernel="linalg_eigh_cpu",
                 int_kernel="linalg_eigh_cpu")
    if UPLO.upper() not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    return UPLO.upper()


@fills_out("linalg_eigh", "_linalg_eigh", arg_names={"A": "input"})
def eigh(A, UPLO="L", *, out=None):
    """(eigenvalues, eigenvectors) of a symmetric matrix; eigenvectors are the columns."""
    UPLO = _checked(A, UPLO)
    dt = A._data.dtype
    L, Q = np.linalg.eigh(lapack_array(A._data), UPLO=UPLO)
    (L_t, Q_t), hub = record_outputs("LinalgEighBackward0", _eigh_backward, (A,),
                                     (L.astype(dt, copy=False), Q.astype(dt, copy=False)))
    if hub:
        hub.save_for_backward(L_t, Q_t)
    return return_type("linalg_eigh", ("eigenvalues", "eigenvectors"))(L_t, Q_t)


@fills_out("linalg_eigvalsh", "_linalg_eigh", arg_names={"A": "input"})
def eigvalsh(A, UPLO="L", *, out=None):
    """The eigenvalues of a symmetric matrix, ascending."""
    UPLO = _checked(A, UPLO, "linalg_eigvalsh")
    dt = A._data.dtype
    if not (is_grad_enabled() and A.requires_grad):
        return _make(np.linalg.eigvalsh(lapack_array(A._data), UPLO=UPLO).astype(dt, copy=False))
    # Backward needs the eigenvectors, and they must be outputs of the graph too so that a
    # second derivative sees how they move with A.
    return eigh(A, UPLO).eigenvalues


def _eigh_backward(ctx, gL, gQ):
    L, Q = ctx.saved_tensors
    if gQ is None:
        return scale_columns(Q, gL) @ Q.mT
    E = L.unsqueeze(-2) - L.unsqueeze(-1)           # E_ij = L_j - L_i
    inner = off_diagonal_ratio(0.5 * skew(Q.mT @ gQ), E)
    if gL is not None:
        inner = inner + diag_embed(gL)
    return Q @ inner @ Q.mT
