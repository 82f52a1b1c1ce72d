"""The matrix exponential exp(A) = I + A + A^2/2! + ... (linalg.matrix_exp).

    >>> ember.linalg.matrix_exp(ember.zeros(2, 2))
    tensor([[1., 0.],
            [0., 1.]])

Forward: scaling and squaring with the degree-13 Padé approximant (Higham, "The
scaling and squaring method for the matrix exponential revisited", 2005): each
matrix is divided by 2^s until its 1-norm is below theta_13, where the
approximant is exact to double precision, and the result is squared s times.
No eigendecomposition, so defective matrices are no problem.

Backward: for exp's derivative L(A, E) in direction E, <G, L(A, E)> = <L(A^T, G), E>,
and L(A^T, G) is the top-right block of exp([[A^T, G], [0, A^T]]) (Mathias 1996).
That block is computed with matrix_exp itself, so gradients of gradients work.
"""
import numpy as np

from .._tensor import _make
from ..autograd.graph import record
from ..backend import fp_errors_off, fp_errors_restore
from ..ops._common import bind
from ..ops.creation import zeros_like
from ..ops.shape import cat
from ._checks import check_matrix, check_tensor

# Padé 13 numerator coefficients b_0 .. b_13 (the denominator's are the same with
# alternating signs), and the largest 1-norm for which it is accurate enough.
_B = (64764752532480000., 32382376266240000., 7771770303897600., 1187353796428800.,
      129060195264000., 10559470521600., 670442572800., 33522128640., 1323241920.,
      40840800., 960960., 16380., 182., 1.)
_THETA_13 = 5.371920351148152


def _expm(a):
    """exp of each matrix of ``a`` (..., n, n), in a's dtype."""
    n = a.shape[-1]
    if a.size == 0:
        return a.copy()
    dt = a.dtype
    norm = np.abs(a).sum(axis=-2).max(axis=-1)
    # (log2 of 0 is -inf and of NaN is NaN: both mean "no scaling")
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.ceil(np.log2(norm / _THETA_13))
    s = np.where(np.isfinite(s) & (s > 0), s, 0).astype(np.int64)
    a = a / np.exp2(s).astype(dt)[..., None, None]
    eye = np.eye(n, dtype=dt)
    b = [dt.type(c) for c in _B]
    a2 = a @ a
    a4 = a2 @ a2
    a6 = a4 @ a2
    u = a @ (a6 @ (b[13] * a6 + b[11] * a4 + b[9] * a2)
             + b[7] * a6 + b[5] * a4 + b[3] * a2 + b[1] * eye)
    v = (a6 @ (b[12] * a6 + b[10] * a4 + b[8] * a2)
         + b[6] * a6 + b[4] * a4 + b[2] * a2 + b[0] * eye)
    r = np.linalg.solve(v - u, v + u)
    # square each matrix as many times as it was halved (the batch shares the loop)
    for k in range(int(s.max(initial=0))):
        r = np.where((k < s)[..., None, None], r @ r, r)
    return r.astype(dt, copy=False)


def matrix_exp(A):
    """exp(A) for a square matrix or a batch of them (float32 or float64)."""
    check_tensor(A, "linalg_matrix_exp", "input")
    check_matrix(A, "linalg.matrix_exp", square=True)
    token = fp_errors_off()     # (inf and NaN entries give NaN, silently, as in torch)
    try:
        data = _expm(A._data)
    except np.linalg.LinAlgError:
        data = np.full_like(A._data, np.nan)    # (only for non-finite input)
    finally:
        fp_errors_restore(token)
    result = _make(data)
    node = record("LinalgMatrixExpBackward0", _matrix_exp_backward, (A,), result)
    if node:
        node.save_for_backward(A)
    return result


def matrix_exp_function(input):
    """torch.matrix_exp and Tensor.matrix_exp: the same as linalg.matrix_exp."""
    check_tensor(input, "matrix_exp", "input")
    return matrix_exp(input)


matrix_exp_function.__name__ = matrix_exp_function.__qualname__ = "matrix_exp"


def _matrix_exp_backward(ctx, grad):
    A, = ctx.saved_tensors
    n = A.shape[-1]
    At = A.mT
    block = cat([cat([At, grad], -1), cat([zeros_like(At), At], -1)], -2)
    return matrix_exp(block)[..., :n, n:]


bind(matrix_exp=matrix_exp_function)

__all__ = ["matrix_exp"]
