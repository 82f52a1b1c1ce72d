"""Matrices built from other tensors: kron, block_diag, diag_embed, diagflat, vander
(and linalg.vander), adjoint; and trace, the sum of a matrix's diagonal.

    >>> ember.block_diag(ember.ones(1, 1), 2 * ember.ones(2, 2))
    tensor([[1., 0., 0.],
            [0., 2., 2.],
            [0., 2., 2.]])
"""
import numpy as np

from .. import _dtypes
from .._tensor import Tensor, _make
from ..autograd.graph import record
from ..ops._common import bind, wrap_dim, int_arg
from ..ops.linalg import _tensor_arg, _not_for_bool
from ..ops.creation import eye, ones_like
from ..ops.shape import cat


def _promoted(tensors):
    dt = tensors[0].dtype
    for t in tensors[1:]:
        dt = _dtypes.promote_types(dt, t.dtype)
    return dt


# ------------------------------------------------------------------- kron
def kron(input, other, *, out=None):
    """The Kronecker product: every element of ``input`` times the whole of ``other``,
    laid out in blocks (the shorter shape is padded with leading 1s).

    >>> ember.kron(ember.eye(2), ember.ones(1, 2))
    tensor([[1., 1., 0., 0.],
            [0., 0., 1., 1.]])
    """
    _tensor_arg(input, "kron", "input", 1)
    _tensor_arg(other, "kron", "other", 2)
    nd = max(input.ndim, other.ndim)
    sa = (1,) * (nd - input.ndim) + tuple(input.shape)
    sb = (1,) * (nd - other.ndim) + tuple(other.shape)
    # a's dims at even places, b's at odd ones: the product broadcasts to every pair
    # (a[i], b[j]) with i the outer index, and merging each pair of dims lays the
    # blocks out
    a = input.reshape([s for n in sa for s in (n, 1)])
    b = other.reshape([s for n in sb for s in (1, n)])
    result = (a * b).reshape([m * n for m, n in zip(sa, sb)])
    if out is not None:
        from ..ops.linalg import _write_out
        return _write_out(result, out)
    return result


# ------------------------------------------------------------------ trace
def trace(input):
    """The sum of the main diagonal of a matrix (integers sum in int64, like sum).

    >>> ember.trace(ember.arange(9.).reshape(3, 3))
    tensor(12.)
    """
    _tensor_arg(input, "trace", "input", 1)
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim}")
    _not_for_bool(input.dtype, "trace")
    x = input._data
    dt = x.dtype if x.dtype.kind == "f" else np.dtype(np.int64)
    result = _make(np.asarray(np.trace(x, dtype=dt)))
    node = record("TraceBackward0", _trace_backward, (input,), result)
    if node:
        node.shape = tuple(input.shape)
    return result


def _trace_backward(ctx, grad):
    n, m = ctx.shape
    return grad * eye(n, m, dtype=grad.dtype)


# ------------------------------------------------------------- block_diag
def block_diag(*tensors):
    """The tensors (0-, 1- or 2-D, a vector is a row) on the diagonal of one matrix,
    zeros elsewhere; the dtype is their promoted one."""
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")
        if t.ndim > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer "
                               f"dimensions. Input {i} has {t.ndim} dimensions")
    dt = _promoted(tensors) if tensors else _dtypes.get_default_dtype()
    blocks = [t._data.reshape((1,) * (2 - t.ndim) + t._data.shape) for t in tensors]
    rows = np.cumsum([0] + [b.shape[0] for b in blocks])
    cols = np.cumsum([0] + [b.shape[1] for b in blocks])
    data = np.zeros((int(rows[-1]), int(cols[-1])) if tensors else (1, 0), dtype=dt.np)
    for b, r, c in zip(blocks, rows, cols):      # (one copy per block, not per element)
        data[r:r + b.shape[0], c:c + b.shape[1]] = b
    result = _make(data)
    node = record("BlockDiagBackward0", _block_diag_backward, tuple(tensors), result)
    if node:
        node.places = [(int(r), int(c), tuple(t.shape), t.dtype)
                       for t, r, c in zip(tensors, rows, cols)]
    return result


def _block_diag_backward(ctx, grad):
    grads = []
    for (r, c, shape, dt), need in zip(ctx.places, ctx.needs_input_grad):
        if not need:
            grads.append(None)
            continue
        h, w = ((1,) * (2 - len(shape)) + shape)
        g = grad[r:r + h, c:c + w].reshape(shape)
        grads.append(g if g.dtype is dt else g.to(dt))
    return tuple(grads)


# ------------------------------------------------------ diag_embed, diagflat
def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """The last dim of ``input`` on the ``offset`` diagonal of new (dim1, dim2) planes.

    >>> ember.diag_embed(ember.tensor([1., 2.]))
    tensor([[1., 0.],
            [0., 2.]])
    """
    _tensor_arg(input, "diag_embed", "input", 1)
    offset = int_arg(offset, "diag_embed", "offset")
    nd = input.ndim + 1
    d1, d2 = wrap_dim(dim1, nd, "diag_embed", "dim1"), wrap_dim(dim2, nd, "diag_embed", "dim2")
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    x = input._data
    n = x.shape[-1]
    m = n + abs(offset)
    data = np.zeros(x.shape[:-1] + (m, m), dtype=x.dtype)
    i = np.arange(n)
    rows, cols = (i, i + offset) if offset >= 0 else (i - offset, i)
    data[..., rows, cols] = x
    result = _make(np.moveaxis(data, (-2, -1), (d1, d2)).copy())
    node = record("DiagEmbedBackward0", _diag_embed_backward, (input,), result)
    if node:
        node.where = (offset, d1, d2)
    return result


def _diag_embed_backward(ctx, grad):
    offset, d1, d2 = ctx.where
    return grad.diagonal(offset, d1, d2).reshape(ctx.input_meta[0][0])


def diagflat(input, offset=0):
    """``input`` flattened onto the ``offset`` diagonal of a square matrix."""
    _tensor_arg(input, "diagflat", "input", 1)
    return diag_embed(input.reshape(-1), offset)


# ----------------------------------------------------------------- vander
def _powers(x, N):
    """[1, x, x^2, ..., x^(N-1)] along a new last dim, as a running product (the
    gradient stays finite at x = 0, where pow's would not)."""
    if x.dtype.category < 2:
        x = x.to(_dtypes.int64)
    col = x.unsqueeze(-1)
    if N <= 1:
        return ones_like(col).expand(*x.shape, N).contiguous() if N == 0 else ones_like(col)
    return cat([ones_like(col), col.expand(*x.shape, N - 1).cumprod(-1)], -1)


def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of a vector: columns x^(N-1), ..., x, 1 (or the other way
    round with ``increasing=True``).

    >>> ember.vander(ember.tensor([1, 2, 3]))
    tensor([[1, 1, 1],
            [4, 2, 1],
            [9, 3, 1]])
    """
    _tensor_arg(x, "vander", "x", 1)
    if x.ndim != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    N = x.shape[0] if N is None else int_arg(N, "vander", "N")
    if N < 0:
        raise RuntimeError("N must be non-negative.")
    result = _powers(x, N)
    return result if increasing else result.flip(-1)


def linalg_vander(x, *, N=None):
    """Vandermonde matrices of the vectors in the last dim: columns 1, x, ..., x^(N-1).

    >>> ember.linalg.vander(ember.tensor([2., 3.]))
    tensor([[1., 2.],
            [1., 3.]])
    """
    _tensor_arg(x, "linalg_vander", "x", 1)
    if x.dtype is _dtypes.bool:
        raise RuntimeError("linalg.vander supports floating point, complex, and integer "
                           "tensors, but got Bool")
    if x.ndim == 0:
        raise RuntimeError("N must be greater than 1.")
    N = x.shape[-1] if N is None else int_arg(N, "linalg_vander", "N")
    if N <= 1:
        raise RuntimeError("N must be greater than 1.")
    return _powers(x, N)


linalg_vander.__name__ = linalg_vander.__qualname__ = "vander"


# ---------------------------------------------------------------- adjoint
def adjoint(input):
    """The conjugate transpose of the last two dims; for real tensors, ``mT`` (a view)."""
    _tensor_arg(input, "adjoint", "input", 1)
    if input.ndim < 2:
        raise RuntimeError(f"tensor.adjoint() is only supported on matrices or batches of "
                           f"matrices. Got {input.ndim}-D tensor.")
    return input.transpose(-2, -1)


bind(kron=kron, trace=trace, diag_embed=diag_embed, diagflat=diagflat, adjoint=adjoint)

__all__ = ["kron", "trace", "block_diag", "diag_embed", "diagflat", "vander", "adjoint"]
