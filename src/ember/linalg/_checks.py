"""Input checks and errors shared by the linalg functions, with torch's wording.

Every function validates its operands here before any NumPy call, so that bad
input fails with torch's exception and message instead of a NumPy traceback.
:class:`LinAlgError` is what torch raises for a singular or non-positive-definite
matrix (``torch.linalg.LinAlgError``, a RuntimeError).
"""
import numpy as np

from .._arg_errors import wrong_type
from .._tensor import Tensor


class LinAlgError(RuntimeError):
    """A matrix was singular, not positive-definite, or an algorithm did not converge.

    >>> try:
    ...     ember.linalg.inv(ember.zeros(2, 2))
    ... except ember.linalg.LinAlgError as e:
    ...     print(e)
    linalg.inv: The diagonal element 1 is zero, the inversion could not be completed ...
    """


LinAlgError.__module__ = "ember.linalg"


def type_name(t):
    """torch's short dtype name: Float, Double, Long, ..."""
    return t.dtype.legacy_name[:-len("Tensor")]


def check_tensor(x, fn, arg="A", position=1):
    """A TypeError like torch's argument parser gives for a non-tensor argument."""
    if not isinstance(x, Tensor):
        raise wrong_type(fn, arg, position, "Tensor", x)


def check_matrix(A, fn, *, square=False, arg="A", half_kernel=None, int_kernel=None):
    """A is a (batch of) matrix of float32/float64, square if asked; torch's order of checks.

    ``half_kernel``: the CPU kernel torch names when it meets float16 (where it has no
    dtype check of its own and fails with NotImplementedError); ``int_kernel`` the same for
    integer and bool input."""
    check_tensor(A, fn.replace(".", "_"), arg)
    if A._data.ndim < 2:
        raise RuntimeError(f"{fn}: The input tensor {arg} must have at least 2 dimensions.")
    if square and A._data.shape[-1] != A._data.shape[-2]:
        raise RuntimeError(f"{fn}: A must be batches of square matrices, but they are "
                           f"{A._data.shape[-2]} by {A._data.shape[-1]} matrices")
    if int_kernel and A._data.dtype.kind != "f":
        if A._data.size == 0:
            return      # (torch never reaches the kernel for an empty input: no refusal)
        raise NotImplementedError(f'"{int_kernel}" not implemented for \'{type_name(A)}\'')
    check_float(A, fn, half_kernel)


def check_float(A, fn, half_kernel=None):
    kind, size = A._data.dtype.kind, A._data.dtype.itemsize
    if kind != "f":
        raise RuntimeError(f"{fn}: Expected a floating point or complex tensor as input. "
                           f"Got {type_name(A)}")
    if size < 4 and half_kernel and A._data.size == 0:
        return          # (no kernel runs for an empty input, so torch refuses nothing)
    if size < 4 and half_kernel:
        raise NotImplementedError(f'"{half_kernel}" not implemented for \'{type_name(A)}\'')
    if size < 4:
        raise RuntimeError(f"{fn}: Low precision dtypes not supported. Got {type_name(A)}")


def lapack_array(data):
    """``data`` as NumPy's linalg takes it: a float16 or integer array (which gets here
    only when empty, torch refusing it otherwise) widened to float32; the functions cast
    their results back to the input's dtype, as torch keeps it."""
    return data if data.dtype in (np.float32, np.float64) else data.astype(np.float32)


def check_same_dtype(A, B, fn):
    if A.dtype is not B.dtype:
        raise RuntimeError(f"{fn}: Expected A and B to have the same dtype, but found A of type "
                           f"{type_name(A)} and B of type {type_name(B)} instead")


def batch_prefix(shape, failing):
    """torch names the batch element (flat index) only when there is a batch."""
    return f"(Batch element {failing}): " if len(shape) > 2 else ""


def first_failure(info):
    """(flat batch index, LAPACK-style 1-based info) of the first failing matrix."""
    flat = info.reshape(-1)
    bad = np.flatnonzero(flat)
    if bad.size == 0:
        return 0, 0
    return int(bad[0]), int(flat[bad[0]])


# --------------------------------------------- why a factorisation failed
# NumPy only says "Singular matrix" / "Matrix is not positive definite" for the
# whole batch. torch says which matrix and which diagonal element, as LAPACK's
# info does. On the error path only, these replay the factorisation column by
# column (vectorised over the batch) to find that info.

def zero_pivot_info(a):
    """For each matrix of ``a`` (..., n, n): the 1-based index of the first exactly zero
    pivot of LU with partial pivoting (getrf's info), or 0 if there is none."""
    n = a.shape[-1]
    lu = np.array(a.reshape(-1, n, n), dtype=np.float64)
    rows = np.arange(lu.shape[0])
    info = np.zeros(lu.shape[0], dtype=np.int64)
    with np.errstate(all="ignore"):
        for k in range(n):
            p = k + np.argmax(np.abs(lu[:, k:, k]), axis=1)
            top, pivot_row = lu[rows, k].copy(), lu[rows, p].copy()
            lu[rows, k], lu[rows, p] = pivot_row, top
            pivot = lu[:, k, k]
            zero = pivot == 0
            info = np.where((info == 0) & zero, k + 1, info)
            factors = lu[:, k + 1:, k] / np.where(zero, 1, pivot)[:, None]
            factors[zero] = 0
            lu[:, k + 1:, k + 1:] -= factors[:, :, None] * lu[:, k, None, k + 1:]
    return info.reshape(a.shape[:-2])


def not_positive_definite_info(a):
    """For each matrix of ``a`` (..., n, n), reading its lower triangle: the order of the
    first leading minor that is not positive-definite (potrf's info), or 0."""
    return _replay_cholesky(a, a.dtype == np.float32)[1].reshape(a.shape[:-2])


def partial_cholesky(a, info):
    """What LAPACK's potrf leaves of each matrix of ``a`` that failed at pivot ``info``:
    the columns before it factored, the failing pivot's reduced value on the diagonal,
    the rest of the lower triangle as in ``a`` (as the unblocked potf2 does)."""
    n = a.shape[-1]
    L = _replay_cholesky(a, a.dtype == np.float32)[0]
    info = info.reshape(-1)
    columns = np.arange(n)
    factored = np.where(info > 0, info - 1, n)      # columns done, per matrix
    done = columns[None, None, :] < factored[:, None, None]
    partial = np.tril(np.where(done, L, a.reshape(-1, n, n)))
    failing = (info > 0)[:, None] & (columns[None, :] == info[:, None] - 1)
    diagonal = np.where(failing, np.diagonal(L, axis1=-2, axis2=-1),
                        np.diagonal(partial, axis1=-2, axis2=-1))
    partial[:, columns, columns] = diagonal
    return partial.reshape(a.shape)


def _replay_cholesky(a, poison_below_inf):
    """(L, info) of the flattened batch of ``a``, column by column; at a failing pivot L's
    diagonal keeps the reduced pivot (not its root) and the replay of that matrix stops
    mattering."""
    n = a.shape[-1]
    m = np.array(a.reshape(-1, n, n), dtype=np.float64)
    L = np.zeros_like(m)
    info = np.zeros(m.shape[0], dtype=np.int64)
    with np.errstate(all="ignore"):
        for j in range(n):
            d = m[:, j, j] - np.einsum("bk,bk->b", L[:, j, :j], L[:, j, :j])
            bad = ~(d > 0)          # NaN fails too, as in LAPACK
            info = np.where((info == 0) & bad, j + 1, info)
            root = np.where(bad, d, np.sqrt(d))
            L[:, j, j] = root
            below = m[:, j + 1:, j] - np.einsum("bik,bk->bi", L[:, j + 1:, :j], L[:, j, :j])
            below = below / np.where(bad, 1.0, root)[:, None]
            if poison_below_inf:
                # torch's float32 kernel turns the column below an infinite pivot into
                # NaN (cholesky of [[inf, 1], [1, 1]] fails at order 2), float64's into 0
                below = np.where(np.isinf(root)[:, None], np.nan, below)
            L[:, j + 1:, j] = below
    return L, info
