"""Inputs and comparisons shared by the linalg tests (imported as ``linalg.linalg_kit``)."""
import numpy as np
import pytest
import torch

import ember


def well_conditioned(rng, shape, dtype="float64"):
    """Random matrices with distinct singular values spread over [0.5, 2]: safe to invert
    and to differentiate SVD-based functions in float32."""
    *batch, m, n = shape
    k = min(m, n)
    U = np.linalg.qr(rng.standard_normal((*batch, m, m)))[0][..., :k]
    V = np.linalg.qr(rng.standard_normal((*batch, n, n)))[0][..., :k]
    s = 0.5 + 1.5 * (np.arange(k, 0, -1) - rng.uniform(0, 0.5, (*batch, k))) / max(k, 1)
    return ((U * s[..., None, :]) @ np.swapaxes(V, -1, -2)).astype(dtype)


def spd(rng, shape, dtype="float64"):
    """Symmetric positive-definite matrices with eigenvalues in [0.5, 2]."""
    q = np.linalg.qr(rng.standard_normal(shape))[0]
    w = rng.uniform(0.5, 2.0, shape[:-1])
    return ((q * w[..., None, :]) @ np.swapaxes(q, -1, -2)).astype(dtype)


def symmetric(rng, shape, dtype="float64"):
    """Symmetric matrices with well separated eigenvalues (for eigh gradients)."""
    n = shape[-1]
    q = np.linalg.qr(rng.standard_normal(shape))[0]
    w = np.arange(n) - n / 2 + rng.uniform(-0.2, 0.2, shape[:-1])
    return ((q * w[..., None, :]) @ np.swapaxes(q, -1, -2)).astype(dtype)


def tol(dtype):
    return dict(rtol=1e-4, atol=1e-5) if dtype == "float32" else dict(rtol=1e-7, atol=1e-9)


def leaf(array):
    return ember.tensor(np.asarray(array), requires_grad=True)


def same_error(fn, *arrays):
    """fn(module, *tensors) raises the same exception type and message in ember and torch,
    and leaves the inputs unchanged."""
    with pytest.raises(Exception) as te:
        fn(torch, *[torch.tensor(a) for a in arrays])
    es = [ember.tensor(a) for a in arrays]
    before = [e.clone() for e in es]
    with pytest.raises(Exception) as ee:
        fn(ember, *es)
    assert str(ee.value) == str(te.value)
    for kind in (RuntimeError, TypeError, IndexError, NotImplementedError):
        assert isinstance(ee.value, kind) == isinstance(te.value, kind), (ee.value, te.value)
    assert isinstance(ee.value, ember.linalg.LinAlgError) == isinstance(
        te.value, torch.linalg.LinAlgError)
    for e, b in zip(es, before):
        assert np.array_equal(e.numpy(), b.numpy(), equal_nan=e.dtype.is_floating_point)
    return ee.value
