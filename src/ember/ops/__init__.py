"""ember's ops: each module defines functions over tensors (forward over arrays,
backward over gradients) and attaches its Tensor methods at import.

Import order matters only in that every module needs ``_common``; the
public namespace (``ember.add`` etc.) is assembled in ``ember/__init__.py``.
"""
from . import pointwise, shape, index, reduce, linalg, creation, random  # noqa: F401
