"""Singular value decomposition A = U diag(S) Vh and what is built on it: svdvals,
pinv (the Moore-Penrose pseudoinverse) and matrix_rank.

    >>> ember.linalg.svdvals(ember.tensor([[3., 0.], [0., -4.]]))
    tensor([4., 3.])

SVD backward (torch's formula, real case), with k = min(m, n) and
E_ij = s_j^2 - s_i^2:

    gA = U [ (skew(U^T gU) S + S skew(Vh gVh^T)) / E + diag(gS) ] Vh
         + (I - U U^T) gU S^-1 Vh        (only when m > n)
         + U S^-1 gVh (I - V Vh)          (only when m < n)

With full_matrices=True only the first k columns of U (rows of Vh) get a
gradient, as in torch. The gradient is undefined for repeated singular values
when U or Vh is used: use a loss that does not depend on their sign/rotation
(e.g. U @ Vh, or S alone), as torch's documentation advises.
"""
import numpy as np

from .._arg_errors import invalid_combination, wrong_type
from .._tensor import Tensor, _make
from ..autograd.graph import record
from ..autograd.grad_mode import is_grad_enabled
from ..ops.reduce import return_type
from ._checks import check_matrix, check_tensor, type_name, LinAlgError
from ._outputs import record_outputs, fills_out, castable_from
from ._matrices import diag_embed, skew, scale_columns, scale_rows, off_diagonal_ratio


def _checked_svd(A, fn, full_matrices=False, compute_uv=True):
    a = A._data
    if np.isnan(a).any():     # (an inf goes through LAPACK to NaN values, as in torch)
        raise LinAlgError(f"{fn}: The algorithm failed to converge because the input matrix "
                          f"contained non-finite values.")
    if a.size == 0:
        return _empty_svd(a, full_matrices, compute_uv)
    try:
        out = np.linalg.svd(a, full_matrices=full_matrices, compute_uv=compute_uv)
    except np.linalg.LinAlgError:
        raise LinAlgError(f"{fn}: The algorithm failed to converge because the input matrix is "
                          f"ill-conditioned or has too many repeated singular values.") from None
    dt = a.dtype
    if not compute_uv:
        return out.astype(dt, copy=False)
    return tuple(x.astype(dt, copy=False) for x in out)


def _empty_svd(a, full_matrices, compute_uv):
    """NumPy refuses empty matrices; the SVD of an m x 0 or 0 x n matrix is trivial."""
    *batch, m, n = a.shape
    k = min(m, n)
    S = np.zeros((*batch, k), dtype=a.dtype)
    if not compute_uv:
        return S
    U = np.broadcast_to(np.eye(m, m if full_matrices else k, dtype=a.dtype), (*batch, m,
                        m if full_matrices else k)).copy()
    Vh = np.broadcast_to(np.eye(n if full_matrices else k, n, dtype=a.dtype),
                         (*batch, n if full_matrices else k, n)).copy()
    return U, S, Vh


# ----------------------------------------------------------------------- svd
@fills_out("linalg_svd", "_linalg_svd")
def svd(A, full_matrices=True, *, driver=None, out=None):
    """(U, S, Vh) with A = U diag(S) Vh, S descending.

    >>> U, S, Vh = ember.linalg.svd(ember.randn(4, 3), full_matrices=False)
    >>> U.shape, S.shape, Vh.shape
    (torch.Size([4, 3]), torch.Size([3]), torch.Size([3, 3]))
    """
    check_matrix(A, "linalg.svd", half_kernel="linalg_svd_cpu")
    if full_matrices is not True and full_matrices is not False:
        raise wrong_type("linalg_svd", "full_matrices", None, "bool", full_matrices)
    U, S, Vh = _checked_svd(A, "linalg.svd", full_matrices)
    (U_t, S_t, Vh_t), hub = record_outputs("LinalgSvdBackward0", _svd_backward, (A,),
                                           (U, S, Vh))
    if hub:
        hub.save_for_backward(U_t, S_t, Vh_t)
    return return_type("linalg_svd", ("U", "S", "Vh"))(U_t, S_t, Vh_t)


@fills_out("linalg_svdvals", "_linalg_svd")
def svdvals(A, *, driver=None, out=None):
    """The singular values of A, descending (differentiable: gA = U diag(gS) Vh)."""
    check_tensor(A, "linalg_svdvals")
    check_matrix(A, "linalg.svd", half_kernel="linalg_svd_cpu")
    if not (is_grad_enabled() and A.requires_grad):
        return _make(_checked_svd(A, "linalg.svd", compute_uv=False))
    # U and Vh come along as graph outputs, so that second derivatives see them move.
    return svd(A, full_matrices=False).S


def _svd_backward(ctx, gU, gS, gVh):
    U, S, Vh = ctx.saved_tensors
    m, n = ctx.input_meta[0][0][-2:]
    k = S.shape[-1]
    # full_matrices=True: the extra columns of U / rows of Vh carry no information
    # about A, so only the first k take part (torch does the same).
    if U.shape[-1] != k:
        U = U[..., :k]
        gU = gU[..., :k] if gU is not None else None
    if Vh.shape[-2] != k:
        Vh = Vh[..., :k, :]
        gVh = gVh[..., :k, :] if gVh is not None else None
    if gU is None and gVh is None:
        return scale_columns(U, gS) @ Vh
    S2 = S * S
    E = S2.unsqueeze(-2) - S2.unsqueeze(-1)          # E_ij = s_j^2 - s_i^2
    inner = 0
    if gU is not None:
        inner = scale_columns(skew(U.mT @ gU), S)
    if gVh is not None:
        inner = inner + scale_rows(skew(Vh @ gVh.mT), S)
    inner = off_diagonal_ratio(inner, E)
    if gS is not None:
        inner = inner + diag_embed(gS)
    if m > n and gU is not None:
        gU_Sinv = scale_columns(gU, 1 / S)
        return (U @ inner + gU_Sinv - U @ (U.mT @ gU_Sinv)) @ Vh
    if m < n and gVh is not None:
        Sinv_gVh = scale_rows(gVh, 1 / S)
        return U @ (inner @ Vh + Sinv_gVh - (Sinv_gVh @ Vh.mT) @ Vh)
    return U @ inner @ Vh


# --------------------------------------------------------------- tolerances
def _tolerance(S_max, atol, rtol, shape, dtype):
    """max(atol, rtol * largest singular value), with torch's defaults: rtol = eps * max(m, n)
    when neither is given, 0 when only atol is."""
    def value(t):
        return t._data if hasattr(t, "_data") else t
    eps = np.finfo(dtype).eps
    if rtol is None:
        rtol = eps * max(shape[-2:]) if atol is None or np.all(value(atol) <= 0) else 0.0
    atol = 0.0 if atol is None else value(atol)
    rtol = value(rtol)
    if hasattr(atol, "ndim") and np.ndim(atol) > 0:
        atol = np.asarray(atol)[..., None]
    if hasattr(rtol, "ndim") and np.ndim(rtol) > 0:
        rtol = np.asarray(rtol)[..., None]
    return np.maximum(atol, rtol * S_max)


# ---------------------------------------------------------------------- pinv
def _tolerance_signatures(old_name):
    """pinv's and matrix_rank's overloads (the old tolerance is ``rcond``, ``tol``)."""
    return ("(Tensor input, *, Tensor atol = None, Tensor rtol = None, bool hermitian = False, "
            "Tensor out = None)",
            "(Tensor input, *, float atol = None, float rtol = None, bool hermitian = False, "
            "Tensor out = None)",
            f"(Tensor input, Tensor {old_name}, bool hermitian = False, *, Tensor out = None)",
            f"(Tensor input, float {old_name}, bool hermitian = False, *, Tensor out = None)")


@fills_out("linalg_pinv", signatures=_tolerance_signatures("rcond"))
def pinv(A, rcond=None, hermitian=False, *, atol=None, rtol=None, out=None):
    """The pseudoinverse V diag(1/s) U^T, dropping singular values below
    max(atol, rtol * s_max). ``rcond`` is the old name of ``rtol``.

    >>> ember.linalg.pinv(ember.tensor([[1., 2.], [2., 4.]]))
    tensor([[0.0400, 0.0800],
            [0.0800, 0.1600]])
    """
    if not isinstance(A, Tensor):
        raise invalid_combination("linalg_pinv", (A,), {}, _tolerance_signatures("rcond"))
    if A._data.ndim < 2 or A._data.dtype.kind != "f" or A._data.dtype.itemsize < 4:
        raise RuntimeError(f"linalg.pinv({type_name(A)}{{{list(A.shape)}}}): expected a tensor "
                           f"with 2 or more dimensions of float, double, cfloat or cdouble "
                           f"types")
    if rcond is not None:
        rtol = rcond
    a = A._data
    dt = a.dtype
    if hermitian and a.size == 0:     # (torch checks squareness only where there is a matrix)
        data = np.zeros(a.shape[:-2] + a.shape[:-3:-1], dtype=dt)
    elif hermitian:
        check_matrix(A, "linalg.eigh", square=True)     # (NumPy's own error otherwise)
        w, V = np.linalg.eigh(a)
        cutoff = _tolerance(np.max(np.abs(w), axis=-1, keepdims=True, initial=0), atol, rtol,
                            a.shape, dt)
        keep = np.abs(w) > cutoff
        inv_w = np.where(keep, 1 / np.where(keep, w, 1), 0).astype(dt)
        data = (V * inv_w[..., None, :]) @ np.swapaxes(V, -1, -2)
    else:
        U, S, Vh = _checked_svd(A, "linalg.svd")       # (torch names the svd)
        cutoff = _tolerance(S[..., :1] if S.shape[-1] else np.zeros(S.shape[:-1] + (1,), dt),
                            atol, rtol, a.shape, dt)
        keep = S > cutoff
        inv_s = np.where(keep, 1 / np.where(keep, S, 1), 0).astype(dt)
        data = (np.swapaxes(Vh, -1, -2) * inv_s[..., None, :]) @ np.swapaxes(U, -1, -2)
    result = _make(np.ascontiguousarray(data, dtype=dt))
    node = record("LinalgPinvBackward0", _pinv_backward, (A,), result)
    if node:
        node.save_for_backward(A, result)
    return result


def _pinv_backward(ctx, grad):
    A, P = ctx.saved_tensors
    return pinv_grad(A, P, grad)


def pinv_grad(A, P, gP):
    """The gradient reaching A through P = pinv(A), given gP (Golub & Pereyra's derivative
    of the pseudoinverse, valid where the rank of A does not change):

        gA = -P^T gP P^T + (I - A P) gP^T P P^T + P^T P gP^T (I - P A)
    """
    Pt, gPt = P.mT, gP.mT
    gA = -(Pt @ gP @ Pt)
    gA = gA + (gPt - A @ (P @ gPt)) @ (P @ Pt)
    gA = gA + (Pt @ P) @ (gPt - (gPt @ P) @ A)
    return gA


# ---------------------------------------------------------------- matrix_rank
# (torch counts with sum(out=), then casts into out: any dtype but bool will do)
@fills_out("linalg_matrix_rank", "sum", dtype_rules=(),
           rules_before_grad=(castable_from("torch.linalg.matrix_rank"),),
           signatures=_tolerance_signatures("tol"))
def matrix_rank(A, tol=None, hermitian=False, *, atol=None, rtol=None, out=None):
    """The number of singular values above max(atol, rtol * s_max) (int64).
    ``tol`` is the old name of ``atol``.

    >>> ember.linalg.matrix_rank(ember.tensor([[1., 2.], [2., 4.]]))
    tensor(1)
    """
    if not isinstance(A, Tensor):
        raise invalid_combination("linalg_matrix_rank", (A,), {}, _tolerance_signatures("tol"))
    if A._data.ndim < 2:
        raise RuntimeError("torch.linalg.matrix_rank: The input tensor input must have at least "
                           "2 dimensions.")
    if A._data.dtype.kind != "f" or A._data.dtype.itemsize < 4:
        raise RuntimeError("This function doesn't handle types other than float and double")
    if tol is not None:
        atol = tol
    a = A._data
    if hermitian:
        if a.size:      # (torch checks squareness only where there is a matrix)
            check_matrix(A, "linalg.eigh", square=True)
        S = np.abs(np.linalg.eigvalsh(a)) if a.size else np.zeros(a.shape[:-1], a.dtype)
    else:
        S = _checked_svd(A, "linalg.svd", compute_uv=False)
    s_max = np.max(S, axis=-1, keepdims=True, initial=0)
    cutoff = _tolerance(s_max, atol, rtol, a.shape, a.dtype)
    return _make(np.sum(S > cutoff, axis=-1).astype(np.int64))
