"""The shared linalg checks against torch: an empty float16 (or, where torch's only
refusal is the kernel's, integer) input passes them, and each function returns an
empty result of the input's dtype, as torch does."""
import warnings

import numpy as np
import pytest
import torch

import ember
from helpers import same_outcome as outcome

FUNCTIONS = {
    "det": lambda m, a: m.linalg.det(a),
    "svd": lambda m, a: tuple(m.linalg.svd(a)),
    "svdvals": lambda m, a: m.linalg.svdvals(a),
    "eigh": lambda m, a: tuple(m.linalg.eigh(a)),
    "eigvalsh": lambda m, a: m.linalg.eigvalsh(a),
    "cholesky": lambda m, a: m.linalg.cholesky(a),
    "solve": lambda m, a: m.linalg.solve(a, a),
    "legacy_det": lambda m, a: m.det(a),
    "legacy_svd": lambda m, a: tuple(m.svd(a)),
    "legacy_cholesky": lambda m, a: m.cholesky(a),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@pytest.mark.parametrize("shape", [(0, 0), (2, 0, 0)])
@pytest.mark.parametrize("dtype", ["float16", "int64", "float32"])
def test_empty_matrices_keep_their_dtype_as_torch(name, shape, dtype):
    x = np.zeros(shape, dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # (torch.cholesky's deprecation)
        outcome(FUNCTIONS[name], (ember.tensor(x),), (torch.tensor(x),))


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@pytest.mark.parametrize("dtype", ["float16", "int64"])
def test_non_empty_low_precision_and_integer_matrices_still_refused(name, dtype):
    x = np.eye(2, dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises((NotImplementedError, RuntimeError)):
            FUNCTIONS[name](torch, torch.tensor(x))
        outcome(FUNCTIONS[name], (ember.tensor(x),), (torch.tensor(x),))
