"""Shared by the data tests: build the ember twin of a torch sample, and compare a
batch from ember with one from torch (types, keys, lengths, tensors)."""
import collections

import numpy as np
import torch

import ember
from helpers import assert_same

Point = collections.namedtuple("Point", ["x", "y"])


def to_ember(obj):
    """The same sample with torch tensors replaced by ember tensors."""
    if isinstance(obj, torch.Tensor):
        return ember.tensor(obj.numpy().copy())
    if isinstance(obj, dict):
        return type(obj)((k, to_ember(v)) for k, v in obj.items())
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(to_ember(v) for v in obj))
    if isinstance(obj, (list, tuple)):
        return type(obj)(to_ember(v) for v in obj)
    return obj


def assert_same_structure(e, t, path="batch"):
    """ember batch == torch batch: the same container types all the way down, and
    tensors equal in dtype, shape and value."""
    if isinstance(t, torch.Tensor):
        assert_same(e, t, rtol=0, atol=0, what=path)
        return
    assert type(e) is type(t), f"{path}: {type(e).__name__} != {type(t).__name__}"
    if isinstance(t, dict):
        assert list(e) == list(t), path
        for k in t:
            assert_same_structure(e[k], t[k], f"{path}[{k!r}]")
    elif isinstance(t, (list, tuple)):
        assert len(e) == len(t), path
        for i, (a, b) in enumerate(zip(e, t)):
            assert_same_structure(a, b, f"{path}[{i}]")
    elif isinstance(t, np.ndarray):
        np.testing.assert_array_equal(e, t)
    else:
        assert e == t and type(e) is type(t), path
