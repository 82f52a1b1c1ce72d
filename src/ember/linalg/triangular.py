"""Solving with a triangular matrix: X = A^-1 B where A is upper or lower triangular.

    >>> L = ember.tensor([[2., 0.], [1., 1.]])
    >>> ember.linalg.solve_triangular(L, ember.tensor([[2.], [3.]]), upper=False)
    tensor([[1.],
            [2.]])

Only the named triangle of A is read. Backward is that of solve, with the
gradient of A kept to that triangle.
"""
import numpy as np

from .._tensor import _make
from ..autograd.graph import record
from ..ops._common import unbroadcast
from ._checks import check_tensor, check_float


def solve_triangular(A, B, *, upper, left=True, unitriangular=False, out=None):
    """X with A X = B (or X A = B if not ``left``) for a triangular A (no vector B)."""
    check_tensor(A, "linalg_solve_triangular", "input")
    check_tensor(B, "linalg_solve_triangular", "B", 2)
    check_float(A, "linalg.solve_triangular", "triangular_solve_cpu")
    if B.dtype is not A.dtype:          # unlike solve, torch computes in A's dtype
        B = B.to(A.dtype)
    if A.ndim < 2 or B.ndim < 2:
        raise RuntimeError(f"linalg.solve_triangular: The input tensor "
                           f"{'A' if A.ndim < 2 else 'B'} must have at least 2 dimensions.")
    n = A.shape[-1]
    if A.shape[-2] != n:
        raise RuntimeError(f"linalg.solve_triangular: A must be batches of square matrices, "
                           f"but they are {A.shape[-2]} by {n} matrices")
    if (B.shape[-2] if left else B.shape[-1]) != n:
        equation = "AX = B" if left else "XA = B"
        raise RuntimeError(f"linalg.solve_triangular: Incompatible shapes of A and B for the "
                           f"equation {equation} ({n}x{n} and {B.shape[-2]}x{B.shape[-1]})")
    if not left:     # X A = B  <=>  A^T X^T = B^T, and A^T has the other triangle
        return solve_triangular(A.mT, B.mT, upper=not upper,
                                unitriangular=unitriangular).mT
    tri = _triangle(A._data, upper, unitriangular)
    batch = np.broadcast_shapes(tri.shape[:-2], B._data.shape[:-2])
    a = np.broadcast_to(tri, batch + tri.shape[-2:])
    b = np.broadcast_to(B._data, batch + B._data.shape[-2:])
    diag = np.diagonal(a, axis1=-2, axis2=-1)
    if np.all(diag != 0):
        data = np.linalg.solve(a, b)
    else:
        data = _substitute(a, b, upper)
    result = _make(np.ascontiguousarray(data, dtype=A._data.dtype))
    node = record("LinalgSolveTriangularBackward0", _solve_triangular_backward, (A, B),
                  result)
    if node:
        node.save_for_backward(A, result)
        node.upper, node.unit = upper, unitriangular
    return result


def _substitute(a, b, upper):
    """Back (forward) substitution, row by row and vectorised over batch and columns, for a
    singular triangular matrix: like BLAS's trsm (and torch) it gives inf/NaN instead of
    failing."""
    n = a.shape[-1]
    x = np.zeros(np.broadcast_shapes(a.shape[:-1] + (1,), b.shape), dtype=np.result_type(a, b))
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in (range(n - 1, -1, -1) if upper else range(n)):
            done = slice(i + 1, n) if upper else slice(0, i)
            residual = b[..., i, :] - np.einsum("...j,...jk->...k", a[..., i, done],
                                                x[..., done, :])
            pivot = a[..., i, i][..., None]
            x[..., i, :] = residual / pivot
    return x


def _triangle(a, upper, unit):
    tri = np.triu(a) if upper else np.tril(a)
    if unit:
        n = a.shape[-1]
        tri = tri * (1 - np.eye(n, dtype=a.dtype)) + np.eye(n, dtype=a.dtype)
    return tri


def _solve_triangular_backward(ctx, grad):
    A, X = ctx.saved_tensors
    upper, unit = ctx.upper, ctx.unit
    gB = solve_triangular(A.mT, grad, upper=not upper, unitriangular=unit)
    gA = None
    if ctx.needs_input_grad[0]:
        gA = -(gB @ X.mT)
        gA = gA.triu(1 if unit else 0) if upper else gA.tril(-1 if unit else 0)
        gA = unbroadcast(gA, ctx.input_meta[0][0])
    gB = unbroadcast(gB, ctx.input_meta[1][0]) if ctx.needs_input_grad[1] else None
    return gA, gB
