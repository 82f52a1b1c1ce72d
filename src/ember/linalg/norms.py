"""Vector and matrix norms.

    >>> A = ember.tensor([[1., -2.], [3., 4.]])
    >>> ember.linalg.matrix_norm(A, 1)       # largest column sum of |A|
    tensor(6.)
    >>> ember.linalg.norm(A)                 # Frobenius, like the 2-norm of A.flatten()
    tensor(5.4772)

Matrix norms are compositions of differentiable ops, as in torch:
'fro' is a vector 2-norm over both dims; 'nuc', 2 and -2 are the sum, max
and min of the singular values; 1 / -1 (inf / -inf) are the max / min of
the column (row) sums of |A|.
"""
import numpy as np

from .. import _dtypes
from .._arg_errors import wrong_type
from .._tensor import _make
from ..ops._common import wrap_dim
from ..ops.reduce import vector_norm as _vector_norm
from ._checks import check_tensor, check_float, type_name
from .svd import svdvals
from ._outputs import fills_out, same_dtype_said

_MATRIX_ORDS = ("fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf)


@fills_out("linalg_vector_norm", arg_names={"x": "input"})
def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    """(sum |x|^ord)^(1/ord) over ``dim`` (all elements if None); ord may be inf, -inf, 0.

    >>> ember.linalg.vector_norm(ember.tensor([3., -4.]))
    tensor(5.)
    """
    check_tensor(x, "linalg_vector_norm", "input")
    if keepdim is not False and keepdim is not True:
        raise wrong_type("linalg_vector_norm", "keepdim", None, "bool", keepdim)
    if dtype is not None and not _dtypes.to_dtype(dtype).is_floating_point:
        raise RuntimeError(f"linalg.vector_norm: dtype should be floating point or complex, "
                           f"but got {_dtypes.to_dtype(dtype).legacy_name[:-6]}")
    if x._data.dtype.kind != "f":
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor "
                           f"as input. Got {type_name(x)}")
    return _vector_norm(x, ord, dim, keepdim, dtype=dtype)


# (torch's matrix_norm and norm are composites that copy_ their result into out, so out may
# take part in autograd)
@fills_out("linalg_matrix_norm", copies=True, dtype_rules=(same_dtype_said(
    "linalg.matrix_norm expected out tensor dtype {result} but got: {out}"),),
    signatures=(
        "(Tensor input, Number ord, tuple of ints dim = {-2,-1}, bool keepdim = False, *, "
        "torch.dtype dtype = None, Tensor out = None)",
        "(Tensor input, str ord = \"fro\", tuple of ints dim = {-2,-1}, bool keepdim = False, "
        "*, torch.dtype dtype = None, Tensor out = None)"))
def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    """A matrix norm of each matrix over the two dims ``dim``.

    ``ord``: 'fro' (default), 'nuc', 1, -1, 2, -2, inf, -inf.
    """
    fn = "linalg.matrix_norm"
    check_tensor(A, "linalg_matrix_norm", "input")
    if isinstance(dim, (int, np.integer)):      # (the argument parser's error comes first)
        raise TypeError(
            f"linalg_matrix_norm() received an invalid combination of arguments - got (Tensor, "
            f"{type(ord).__name__}, dim=int), but expected one of:\n"
            f" * (Tensor input, Number ord, tuple of ints dim = {{-2,-1}}, bool keepdim = False, "
            f"*, torch.dtype dtype = None, Tensor out = None)\n"
            f" * (Tensor input, str ord = \"fro\", tuple of ints dim = {{-2,-1}}, bool keepdim = "
            f"False, *, torch.dtype dtype = None, Tensor out = None)\n")
    # torch's order: a numeric ord is checked before the input, a string one after it
    if not isinstance(ord, str) and ord not in _MATRIX_ORDS:
        raise RuntimeError(f"{fn}: Order {float(ord):g} not supported.")
    if A._data.ndim < 2:
        raise RuntimeError(f"{fn}: The input tensor A must have at least 2 dimensions.")
    if isinstance(ord, str) and ord not in ("fro", "nuc"):
        raise RuntimeError(f"{fn}: Order {ord} not supported.")
    if A._data.dtype.kind != "f":
        raise RuntimeError(f"{fn}: Expected a floating point or complex tensor as input. "
                           f"Got {type_name(A)}")
    _check_two_dims(dim, fn)
    check_dtype_arg(A, dtype, fn)
    d0, d1 = (wrap_dim(int(d), A._data.ndim) for d in dim)
    if d0 == d1:
        raise RuntimeError(f"{fn}: dims must be different. Got ({dim[0]}, {dim[1]})")
    if dtype is not None:
        A = A.to(dtype)
    if ord == "fro":
        return _vector_norm(A, 2, (d0, d1), keepdim)
    if ord in ("nuc", 2, -2):
        check_float(A, fn)
        if A.shape[d0] == 0 or A.shape[d1] == 0:
            _check_empty_extreme(ord, -1)
            return _zero_norm(A, (d0, d1), keepdim)
        S = svdvals(A.movedim((d0, d1), (-2, -1)))
        result = S.sum(-1) if ord == "nuc" else S.amax(-1) if ord == 2 else S.amin(-1)
        if keepdim:
            for d in sorted((d0, d1)):
                result = result.unsqueeze(d)
        return result
    # ord = ±1: sum |A| down the columns (over d0), then the extreme over d1;
    # ord = ±inf: sum along the rows (over d1), then the extreme over d0.
    summed, extreme = (d0, d1) if ord in (1, -1) else (d1, d0)
    extreme_after_sum = extreme - 1 if extreme > summed else extreme
    sums = A.abs().sum(summed)
    if sums.shape[extreme_after_sum] == 0:
        _check_empty_extreme(ord, extreme_after_sum)
        return _zero_norm(A, (d0, d1), keepdim)
    result = sums.amax(extreme_after_sum) if ord > 0 else sums.amin(extreme_after_sum)
    if keepdim:
        for d in sorted((d0, d1)):
            result = result.unsqueeze(d)
    return result


def _check_empty_extreme(ord, dim):
    """Positive norms of an empty matrix are 0; negative ones need a minimum over nothing,
    which torch refuses (as amin does)."""
    if ord != "nuc" and ord < 0:
        raise IndexError(f"amin(): Expected reduction dim {dim} to have non-zero size.")


def _check_two_dims(dim, fn):
    if isinstance(dim, (int, np.integer)) or len(dim) != 2:
        shown = dim if isinstance(dim, (int, np.integer)) else " ".join(str(d) for d in dim)
        raise RuntimeError(f"{fn}: dim must be a 2-tuple. Got {shown}")


def check_dtype_arg(A, dtype, fn):
    """torch refuses a ``dtype`` that would lose precision (float64 input, float32 dtype)."""
    if dtype is None or A._data.dtype.kind != "f":
        return
    target = _dtypes.to_dtype(dtype)
    if target.is_floating_point and target.itemsize < A.dtype.itemsize:
        raise RuntimeError(f"{fn}: the dtype of the input ({type_name(A)}) should be convertible "
                           f"without narrowing to the specified dtype "
                           f"({target.legacy_name[:-6]})")


def _zero_norm(A, dims, keepdim):
    """Norms of empty matrices are 0 (torch's convention)."""
    shape = [1 if i in dims else s for i, s in enumerate(A.shape) if keepdim or i not in dims]
    return _make(np.zeros(shape, dtype=A._data.dtype))


@fills_out("linalg_norm", copies=True, dtype_rules=(same_dtype_said(
    "linalg.norm expected out tensor dtype {result} but got: {out}"),),
    signatures=(
        "(Tensor input, Number ord = None, tuple of ints dim = None, bool keepdim = False, *, "
        "torch.dtype dtype = None, Tensor out = None)",
        "(Tensor input, str ord, tuple of ints dim = None, bool keepdim = False, *, "
        "torch.dtype dtype = None, Tensor out = None)"))
def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None, out=None):
    """A vector or a matrix norm, chosen as torch does.

    * ``ord`` None: the 2-norm of the elements over ``dim`` (all of them if None), which
      for a matrix is its Frobenius norm;
    * ``ord`` a string, or ``dim`` a 2-tuple, or ``dim=None`` with a 2-D input:
      matrix_norm;
    * otherwise vector_norm.
    """
    check_tensor(A, "linalg_norm", "input")
    if dim is not None:
        dim = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
        if len(dim) not in (1, 2):
            raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. "
                               f"Got {list(dim)}")
    elif ord is not None and A.ndim not in (1, 2):
        raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be "
                           f"1D or 2D. Got {A.ndim}D.")
    if ord is None:     # the Frobenius norm and the vector 2-norm coincide
        return vector_norm(A, 2, dim, keepdim, dtype=dtype)
    if isinstance(ord, str):
        return matrix_norm(A, ord, dim if dim is not None else (-2, -1), keepdim, dtype=dtype)
    if (dim is not None and len(dim) == 2) or (dim is None and A.ndim == 2):
        return matrix_norm(A, ord, dim if dim is not None else (-2, -1), keepdim, dtype=dtype)
    return vector_norm(A, ord, dim, keepdim, dtype=dtype)
