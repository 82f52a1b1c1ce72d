"""Sampling functions (rand, randn, randint, randperm, ...) and in-place fills
(uniform_, normal_, ...). Every function takes ``generator=``; without it the
default generator of :mod:`ember.random` is used.

Draws are made in float64 and cast, so a float32 tensor and a float64 tensor
drawn from the same seed hold the same numbers up to rounding.
"""
import numpy as np

from .. import _dtypes
from .._device import to_device
from .._tensor import Tensor
from ..random import resolve
from ._common import as_shape, bind
from .creation import _finish


def _float_dtype(dtype):
    dt = _dtypes.to_dtype(dtype) if dtype is not None else _dtypes.get_default_dtype()
    if not dt.is_floating_point:
        raise RuntimeError(f'"check_uniform_bounds" not implemented for '
                           f"'{dt.legacy_name[:-6]}'")
    return dt


def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """Uniform samples on [0, 1)."""
    to_device(device)
    dt = _float_dtype(dtype)
    return _finish(resolve(generator).random(as_shape(size)).astype(dt.np), requires_grad)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False):
    """Standard normal samples."""
    to_device(device)
    dt = _float_dtype(dtype)
    return _finish(resolve(generator).standard_normal(as_shape(size)).astype(dt.np),
                   requires_grad)


def uniform_(self, a=0.0, b=1.0, *, generator=None):
    """Fill in place with samples from U[a, b)."""
    from .pointwise import check_inplace
    check_inplace(self)
    self._data[...] = resolve(generator).uniform(a, b, self._data.shape)
    self._bump_version()
    return self


def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fill in place with samples from N(mean, std^2)."""
    from .pointwise import check_inplace
    check_inplace(self)
    self._data[...] = resolve(generator).normal(mean, std, self._data.shape)
    self._bump_version()
    return self


bind(uniform_=uniform_, normal_=normal_)
