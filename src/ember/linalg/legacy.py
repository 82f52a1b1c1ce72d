"""The top-level names torch kept from before torch.linalg (torch.det, torch.inverse, ...)
and the matching Tensor methods. Each is a thin alias of the linalg function.

    >>> ember.det(ember.eye(2)), ember.eye(2).inverse().shape
    (tensor(1.), torch.Size([2, 2]))
"""
from ..ops._common import bind
from ..ops.reduce import return_type
from ._checks import check_tensor, check_matrix
from .inverse import det, inv, slogdet as _linalg_slogdet
from .products import matrix_power
from .svd import pinv, svd as _linalg_svd, svdvals
from ..ops.creation import zeros
from ._outputs import fills_out


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


bind(det=det, inverse=inverse, slogdet=slogdet, logdet=logdet, pinverse=pinverse,
     matrix_power=matrix_power, svd=svd)

__all__ = ["det", "logdet", "slogdet", "inverse", "pinverse", "matrix_power", "svd"]
