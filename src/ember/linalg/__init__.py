"""ember.linalg: torch.linalg on NumPy's LAPACK, with torch's gradients and errors.

    import ember as torch
    X = torch.randn(100, 3)
    y = X @ torch.tensor([2., -3.4, 1.]) + 0.01 * torch.randn(100)
    w = torch.linalg.solve(X.T @ X, X.T @ y)        # the normal equations
    torch.linalg.lstsq(X, y).solution               # the same, more stably

Each function does its forward with ``np.linalg`` and records a backward
written with ember ops (so gradients of gradients work). Modules, one concept
each: inverse (inv, solve, det, slogdet), cholesky, triangular, qr, eigh, svd
(svd, svdvals, pinv, matrix_rank), lstsq, norms, products, matrix_exp; legacy holds the
old top-level names (ember.det, ember.inverse, ember.cholesky, ...) and Tensor
methods; add_products (addmv, addr, baddbmm, addbmm); structured (kron, trace,
block_diag, diag_embed, vander, ...); combinatorics (cartesian_prod, combinations);
_outputs records factorisations with several differentiable outputs.
Singular or non-positive-definite input raises :class:`LinAlgError` with
torch's message.
"""
from ._checks import LinAlgError
from .inverse import inv, solve, det, slogdet
from .cholesky import cholesky, cholesky_ex
from .triangular import solve_triangular
from .qr import qr
from .eigh import eigh, eigvalsh
from .svd import svd, svdvals, pinv, matrix_rank
from .lstsq import lstsq
from .norms import norm, vector_norm, matrix_norm
from .products import multi_dot, cross, vecdot, matrix_power, matmul
from .matrix_exp import matrix_exp
from .structured import linalg_vander as vander
from . import legacy as _legacy     # noqa: F401  (binds Tensor.det, .inverse, ...)
from . import add_products as _add_products    # noqa: F401  (binds Tensor.addmv, ...)

__all__ = ["LinAlgError", "inv", "solve", "det", "slogdet", "cholesky", "cholesky_ex",
           "solve_triangular",
           "qr", "eigh", "eigvalsh", "svd", "svdvals", "pinv", "matrix_rank", "lstsq", "norm",
           "vector_norm", "matrix_norm", "multi_dot", "cross", "vecdot", "matrix_power",
           "matmul", "matrix_exp", "vander"]
