"""Tuples drawn from vectors: cartesian_prod and combinations, one tuple per row.

    >>> ember.cartesian_prod(ember.tensor([1, 2]), ember.tensor([3, 4]))
    tensor([[1, 3],
            [1, 4],
            [2, 3],
            [2, 4]])
"""
import numpy as np

from .._tensor import Tensor
from ..ops._common import int_arg
from ..ops.creation import meshgrid, tensor as _tensor
from ..ops.shape import stack


def _check_vector(t):
    if t.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")


def cartesian_prod(*tensors):
    """Every tuple (a, b, ...) with a from the first vector, b from the second, ..., in
    lexicographic order; a single vector comes back as it is."""
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got "
                            f"{type(t).__name__}")
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for t in tensors:
        _check_vector(t)
    if len(tensors) == 1:
        return tensors[0]
    if any(t.dtype is not tensors[0].dtype for t in tensors):
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    grids = meshgrid(*tensors, indexing="ij")
    return stack([g.reshape(-1) for g in grids], 1)


def combinations(input, r=2, with_replacement=False):
    """The length-``r`` subsequences of a vector (index order kept), one per row, as
    Python's itertools.combinations (or combinations_with_replacement) list them.

    >>> ember.combinations(ember.tensor([1, 2, 3]))
    tensor([[1, 2],
            [1, 3],
            [2, 3]])
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"combinations(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    r = int_arg(r, "combinations", "r")
    _check_vector(input)
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return input.new_empty(0)
    n = input.shape[0]
    # all r-tuples of indices, lexicographic; keep the increasing (or non-decreasing) ones
    grid = np.stack(np.meshgrid(*[np.arange(n)] * r, indexing="ij"), -1).reshape(-1, r)
    steps = np.diff(grid, axis=1)
    keep = np.all(steps >= 0 if with_replacement else steps > 0, axis=1)
    index = _tensor(grid[keep])
    return stack([input[index[:, j]] for j in range(r)], 1)


__all__ = ["cartesian_prod", "combinations"]
