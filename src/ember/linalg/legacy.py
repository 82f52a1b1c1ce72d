"""The top-level names torch kept from before torch.linalg (torch.det, torch.inverse, ...)
and the matching Tensor methods. Each is a thin alias of the linalg function.

    >>> ember.det(ember.eye(2)), ember.eye(2).inverse().shape
    (tensor(1.), torch.Size([2, 2]))
"""
import warnings

from ..ops._common import bind
from ..ops.reduce import return_type
from ._checks import check_tensor, check_matrix
from .inverse import det, inv, slogdet as _linalg_slogdet
from .products import matrix_power
from .svd import pinv, svd as _linalg_svd, svdvals
from ..ops.creation import zeros
from ._outputs import fills_out
from .cholesky import cholesky as _linalg_cholesky
from .qr import qr as _linalg_qr
from .triangular import solve_triangular
from .inverse import _broadcast_batch
from .products import cross as _linalg_cross, multi_dot
from .norms import vector_norm
from ..ops.creation import eye
from ..ops.pointwise import sub
from ..ops._common import unbroadcast
from ..autograd.graph import record
from ..autograd.grad_mode import no_grad


def slogdet(input):
    """(sign, logabsdet) as torch.return_types.slogdet."""
    sign, logabsdet = _linalg_slogdet(input)
    return return_type("slogdet", ("sign", "logabsdet"))(sign, logabsdet)


def logdet(input):
    """log(det A): NaN where det A < 0, -inf where it is 0."""
    check_tensor(input, "logdet", "input")
    check_matrix(input, "logdet", square=True)     # torch's checks name logdet, not slogdet
    sign, logabsdet = _linalg_slogdet(input)
    return logabsdet + sign.log()


@fills_out("inverse", "linalg_inv_ex")
def inverse(input, *, out=None):
    """The same as linalg.inv."""
    check_tensor(input, "inverse", "input")
    return inv(input)


def pinverse(input, rcond=1e-15):
    """linalg.pinv with torch.pinverse's default cutoff (rcond=1e-15)."""
    return pinv(input, rtol=rcond)


def svd(input, some=True, compute_uv=True, *, out=None):
    """(U, S, V) with input = U diag(S) V^T: linalg.svd with V instead of Vh, reduced unless
    ``some=False``. With ``compute_uv=False`` U and V come back zero-filled (m x m, n x n).

    >>> ember.svd(ember.ones(4, 3)).V.shape
    torch.Size([3, 3])
    """
    check_tensor(input, "svd", "input")
    if input.ndim < 2:
        raise RuntimeError(f"linalg.svd: input should have at least 2 dimensions, but has "
                           f"{input.ndim} dimensions instead")
    result = return_type("svd", ("U", "S", "V"))
    if compute_uv:
        U, S, Vh = _linalg_svd(input, full_matrices=not some)
        return result(U, S, Vh.mT)
    *batch, m, n = input.shape
    S = svdvals(input)
    return result(zeros(*batch, m, m, dtype=input.dtype), S,
                  zeros(*batch, n, n, dtype=input.dtype))


def _renamed(error, old, new):
    """``error`` with torch.linalg's function name swapped for the legacy one's."""
    message = str(error).replace(old, new, 1)
    return type(error)(message) if isinstance(error, RuntimeError) else error


# --------------------------------------------------------- deprecated ones
def cholesky(input, upper=False, *, out=None):
    """Deprecated torch.cholesky: linalg.cholesky(A), or its transpose if ``upper``."""
    warnings.warn(
        "torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in "
        "a future PyTorch release.\nL = torch.cholesky(A)\nshould be replaced with\n"
        "L = torch.linalg.cholesky(A)\nand\nU = torch.cholesky(A, upper=True)\nshould be "
        "replaced with\nU = torch.linalg.cholesky(A).mH\nThis transform will produce "
        "equivalent results for all valid (symmetric positive definite) inputs.",
        UserWarning, stacklevel=2)
    check_tensor(input, "cholesky", "input")
    check_matrix(input, "cholesky", square=True, half_kernel="cholesky_cpu",
                 int_kernel="cholesky_cpu")
    try:
        # (an empty integer matrix passes torch's checks: its empty factor keeps the dtype)
        L = _linalg_cholesky(input, upper=upper) if input._data.dtype.kind == "f" else \
            zeros(input._data.shape, dtype=input.dtype)
    except RuntimeError as e:
        raise _renamed(e, "linalg.cholesky:", "cholesky:") from None
    if out is not None:
        return out.copy_(L)
    return L


def qr(input, some=True, *, out=None):
    """Deprecated torch.qr: linalg.qr with mode 'reduced' (``some``) or 'complete'."""
    warnings.warn(
        "torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a future "
        "PyTorch release.\nThe boolean parameter 'some' has been replaced with a string "
        "parameter 'mode'.\nQ, R = torch.qr(A, some)\nshould be replaced with\nQ, R = "
        "torch.linalg.qr(A, 'reduced' if some else 'complete')", UserWarning, stacklevel=2)
    check_tensor(input, "qr", "input")
    Q, R = _linalg_qr(input, "reduced" if some else "complete")
    return return_type("qr", ("Q", "R"))(Q, R)


def _check_rhs(b, A, fn):
    """torch's checks of cholesky_solve's and triangular_solve's (b, A) pair."""
    check_tensor(b, fn, "input")
    check_tensor(A, fn, "A" if fn == "triangular_solve" else "input2", 2)
    if b.ndim < 2:
        raise RuntimeError(f"torch.triangular_solve: Expected b to have at least 2 dimensions, "
                           f"but it has {b.ndim} dimensions instead" if fn == "triangular_solve"
                           else f"b should have at least 2 dimensions, but has {b.ndim} "
                           "dimensions instead")
    if A.ndim < 2:
        raise RuntimeError(f"torch.triangular_solve: Expected A to have at least 2 dimensions, "
                           f"but it has {A.ndim} dimensions instead" if fn == "triangular_solve"
                           else f"u should have at least 2 dimensions, but has {A.ndim} "
                           "dimensions instead")
    if b.dtype is not A.dtype:
        raise RuntimeError(f"Expected b and A to have the same dtype, but found b of type "
                           f"{b.dtype.legacy_name[:-6]} and A of type "
                           f"{A.dtype.legacy_name[:-6]} instead.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"A must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")
    if A.shape[-1] != b.shape[-2]:
        raise RuntimeError(f"Incompatible matrix sizes for {fn}: each A matrix is "
                           f"{A.shape[-1]} by {A.shape[-1]} but each b matrix is "
                           f"{b.shape[-2]} by {b.shape[-1]}")
    return _broadcast_batch(b.shape[:-2], A.shape[:-2])


def triangular_solve(b, A, upper=True, transpose=False, unitriangular=False, *, out=None):
    """Deprecated: (solution X of A X = b, or A^T X = b with ``transpose``; a copy of A
    broadcast to the batch). linalg.solve_triangular(A, b) is the modern form."""
    warnings.warn(
        "torch.triangular_solve is deprecated in favor of torch.linalg.solve_triangular"
        "and will be removed in a future PyTorch release.\ntorch.linalg.solve_triangular has "
        "its arguments reversed and does not return a copy of one of the inputs.\n"
        "X = torch.triangular_solve(B, A).solution\nshould be replaced with\n"
        "X = torch.linalg.solve_triangular(A, B).", UserWarning, stacklevel=2)
    batch = _check_rhs(b, A, "triangular_solve")
    if A.dtype.category < 2 or A.dtype.itemsize < 4:
        raise NotImplementedError(f'"triangular_solve_cpu" not implemented for '
                                  f"'{A.dtype.legacy_name[:-6]}'")
    coefficient = A.expand(*batch, *A.shape[-2:]).clone()
    op = A.mT if transpose else A
    X = solve_triangular(op, b, upper=upper != transpose, unitriangular=unitriangular)
    return return_type("triangular_solve", ("solution", "cloned_coefficient"))(X, coefficient)


def cholesky_solve(input, input2, upper=False, *, out=None):
    """X with A X = input, where A = L L^T for the Cholesky factor L = ``input2`` (or
    A = U^T U for an upper factor). Batches broadcast."""
    _check_rhs(input, input2, "cholesky_solve")
    if input2.dtype.category < 2 or input2.dtype.itemsize < 4:
        raise NotImplementedError(f'"cholesky_solve_cpu" not implemented for '
                                  f"'{input2.dtype.legacy_name[:-6]}'")
    with no_grad():
        result = _cholesky_solve(input, input2, upper)
    node = record("CholeskySolveBackward0", _cholesky_solve_backward, (input, input2), result)
    if node:
        node.save_for_backward(input2, result)
        node.upper = upper
    if out is not None:
        return out.copy_(result)
    return result


def _cholesky_solve(B, L, upper):
    """Two triangular solves, reading only L's triangle (as LAPACK's potrs)."""
    L = L.mT if upper else L
    return solve_triangular(L.mT, solve_triangular(L, B, upper=False), upper=True)


def _cholesky_solve_backward(ctx, grad):
    """With A = L L^T read from the whole of L (as torch's formula does): gB = A^-1 g,
    gA = -gB X^T (symmetrised), and gL = gA L (or L gA for an upper factor)."""
    L, X = ctx.saved_tensors
    gB = _cholesky_solve(grad, L, ctx.upper)
    gB_ = gB if ctx.needs_input_grad[0] else None
    gL = None
    if ctx.needs_input_grad[1]:
        common = gB @ X.mT
        common = common + common.mT
        gL = -(L @ common) if ctx.upper else -(common @ L)
        gL = unbroadcast(gL, ctx.input_meta[1][0])
    if gB_ is not None:
        gB_ = unbroadcast(gB_, ctx.input_meta[0][0])
    return gB_, gL


def cholesky_inverse(input, upper=False, *, out=None):
    """inv(L L^T) from a Cholesky factor L (or inv(U^T U) with ``upper``)."""
    check_tensor(input, "cholesky_inverse", "input")
    check_matrix(input, "cholesky_inverse", square=True,
                 half_kernel="cholesky_inverse_out_cpu", int_kernel="cholesky_inverse_out_cpu")
    n = input.shape[-1]
    identity = eye(n, dtype=input.dtype).expand(*input.shape)
    result = cholesky_solve(identity, input, upper)
    if out is not None:
        return out.copy_(result)
    return result


def cross(input, other, dim=None, *, out=None):
    """The cross product along ``dim``; without one, torch's deprecated default: the
    first dim of size 3 of input (linalg.cross uses the last one)."""
    check_tensor(input, "cross", "input")
    check_tensor(other, "cross", "other", 2)
    if dim is None:
        warnings.warn(
            "Using torch.cross without specifying the dim arg is deprecated.\nPlease either "
            "pass the dim explicitly or simply use torch.linalg.cross.\nThe default value of "
            "dim will change to agree with that of linalg.cross in a future release.",
            UserWarning, stacklevel=2)
        dim = next((i for i, n in enumerate(input.shape) if n == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    return _linalg_cross(input, other, dim=dim, out=out)


def chain_matmul(*matrices, out=None):
    """Deprecated: the product of the matrices, like linalg.multi_dot(matrices)."""
    warnings.warn(
        "torch.chain_matmul is deprecated and will be removed in a future PyTorch release. "
        "Use torch.linalg.multi_dot instead, which accepts a list of two or more tensors "
        "rather than multiple parameters.", UserWarning, stacklevel=2)
    if len(matrices) == 1 and isinstance(matrices[0], (list, tuple)):
        matrices = tuple(matrices[0])
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    for m in matrices:
        check_tensor(m, "chain_matmul", "matrices")
        if m.ndim != 2:
            raise RuntimeError(f"Tensor dimension is {m.ndim}, expected 2 instead.")
    result = matrices[0].clone() if len(matrices) == 1 else multi_dot(matrices)
    if out is not None:
        return out.copy_(result)
    return result


def dist(input, other, p=2):
    """The p-norm of ``input - other`` (broadcast), as a 0-dim tensor.

    >>> ember.dist(ember.zeros(2), ember.tensor([3., 4.]))
    tensor(5.)
    """
    check_tensor(input, "dist", "input")
    check_tensor(other, "dist", "other", 2)
    difference = sub(input, other)
    if difference.dtype.category < 2:
        raise RuntimeError(f"norm(): input dtype should be either floating point or complex. "
                           f"Got {difference.dtype.legacy_name[:-6]} instead.")
    return vector_norm(difference, p)


# ------------------------------------------------------------ removed ones
# torch 2 still has these names, which only raise, pointing at torch.linalg.
_REMOVED = "This function was deprecated since version 1.9 and is now removed."


def matrix_rank(input, tol=None, symmetric=False, *, out=None):
    """Removed in torch 2: use linalg.matrix_rank."""
    raise RuntimeError(
        f"{_REMOVED}\nPlease use the `torch.linalg.matrix_rank` function instead. The "
        "parameter 'symmetric' was renamed in `torch.linalg.matrix_rank()` to 'hermitian'.")


def solve(input, A, *, out=None):
    """Removed in torch 2: use linalg.solve (arguments reversed)."""
    raise RuntimeError(
        f"{_REMOVED} `torch.solve` is deprecated in favor of `torch.linalg.solve`. "
        "`torch.linalg.solve` has its arguments reversed and does not return the LU "
        "factorization.\n\nTo get the LU factorization see `torch.lu`, which can be used "
        "with `torch.lu_solve` or `torch.lu_unpack`.\nX = torch.solve(B, A).solution should be "
        "replaced with:\nX = torch.linalg.solve(A, B)")


def lstsq(input, A, *, out=None):
    """Removed in torch 2: use linalg.lstsq (arguments reversed)."""
    raise RuntimeError(
        f"{_REMOVED} `torch.lstsq` is deprecated in favor of `torch.linalg.lstsq`.\n"
        "`torch.linalg.lstsq` has reversed arguments and does not return the QR decomposition "
        "in the returned tuple (although it returns other information about the problem).\n\n"
        "To get the QR decomposition consider using `torch.linalg.qr`.\n\nThe returned "
        "solution in `torch.lstsq` stored the residuals of the solution in the last m - n "
        "columns of the returned value whenever m > n. In torch.linalg.lstsq, the residuals "
        "are in the field 'residuals' of the returned named tuple.\n\nThe unpacking of the "
        "solution, as in\nX, _ = torch.lstsq(B, A).solution[:A.size(1)]\nshould be replaced "
        "with:\nX = torch.linalg.lstsq(A, B).solution")


def symeig(input, eigenvectors=False, upper=True, *, out=None):
    """Removed in torch 2: use linalg.eigh or linalg.eigvalsh."""
    raise RuntimeError(
        f"{_REMOVED} The default behavior has changed from using the upper triangular portion "
        "of the matrix by default to using the lower triangular portion.\n\nL, _ = "
        "torch.symeig(A, upper=upper) should be replaced with:\nL = torch.linalg.eigvalsh(A, "
        "UPLO='U' if upper else 'L')\n\nand\n\nL, V = torch.symeig(A, eigenvectors=True) "
        "should be replaced with:\nL, V = torch.linalg.eigh(A, UPLO='U' if upper else 'L')")


def eig(self, eigenvectors=False, *, e=None, v=None):
    """Removed in torch 2: use linalg.eig (complex results, which ember lacks)."""
    raise RuntimeError(
        f"{_REMOVED} `torch.linalg.eig` returns complex tensors of dtype `cfloat` or `cdouble` "
        "rather than real tensors mimicking complex tensors.\n\nL, _ = torch.eig(A) should be "
        "replaced with:\nL_complex = torch.linalg.eigvals(A)\n\nand\n\nL, V = "
        "torch.eig(A, eigenvectors=True) should be replaced with:\nL_complex, V_complex = "
        "torch.linalg.eig(A)")


bind(cholesky=cholesky, qr=qr, cholesky_solve=cholesky_solve,
     cholesky_inverse=cholesky_inverse, triangular_solve=triangular_solve, cross=cross,
     dist=dist)

bind(det=det, inverse=inverse, slogdet=slogdet, logdet=logdet, pinverse=pinverse,
     matrix_power=matrix_power, svd=svd)

__all__ = ["det", "logdet", "slogdet", "inverse", "pinverse", "matrix_power", "svd", "cholesky",
           "qr", "triangular_solve", "cholesky_solve", "cholesky_inverse", "cross",
           "chain_matmul", "dist", "matrix_rank", "solve", "lstsq", "symeig", "eig"]
