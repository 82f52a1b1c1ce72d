"""Small matrix helpers built from ember ops, for the backward formulas.

Being ember ops, they are differentiable themselves, which is what lets
``create_graph=True`` take second derivatives through a factorisation.
"""
from ..ops.creation import eye


def diag_embed(v):
    """(..., n) -> (..., n, n) with ``v`` on the diagonal."""
    n = v.shape[-1]
    return v.unsqueeze(-1) * eye(n, dtype=v.dtype)


def skew(X):
    """X - X^T: the part of X that a rotation's gradient sees."""
    return X - X.mT


def scale_columns(X, v):
    """X @ diag(v) without building diag(v)."""
    return X * v.unsqueeze(-2)


def scale_rows(X, v):
    """diag(v) @ X."""
    return v.unsqueeze(-1) * X


def off_diagonal_ratio(X, denom):
    """X / denom off the diagonal, 0 on it (denom's diagonal may be anything)."""
    n = X.shape[-1]
    mask = eye(n, dtype=X.dtype)
    return X * (1 - mask) / (denom + mask)
