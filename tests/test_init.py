"""The small functions ember/__init__.py defines itself (is_floating_point, is_complex,
numel, detach, result_type) against torch: results, and torch's TypeError (type and
text) for an input that is no Tensor or a call no signature takes."""
import numpy as np
import pytest
import torch

import ember
from helpers import outcome_in


def _same(call):
    e = outcome_in(ember, lambda m: eval(call, {"m": m, "np": np}))
    t = outcome_in(torch, lambda m: eval(call, {"m": m, "np": np}))
    assert str(e) == str(t)


@pytest.mark.parametrize("call", [
    "m.is_floating_point(m.zeros(2))", "m.is_floating_point(m.zeros(2, dtype=m.int8))",
    "m.is_floating_point(input=m.zeros(1))", "m.is_complex(m.zeros(1))",
    "m.numel(m.zeros(2, 3))", "m.numel(input=m.zeros(0, 3))", "m.numel(m.tensor(1.))",
    "m.detach(m.ones(1, requires_grad=True)).requires_grad",
    # not a Tensor: torch's TypeError naming the argument and the type given
    "m.is_floating_point(3)", "m.is_complex(3)", "m.numel(3)", "m.numel([1, 2])",
    "m.detach(None)", "m.numel()", "m.is_floating_point()", "m.detach(np.zeros(2))",
])
def test_tensor_wrappers_match_torch(call):
    _same(call)


@pytest.mark.parametrize("call", [
    "m.result_type(2, 3)", "m.result_type(True, 1)", "m.result_type(2., m.zeros(2, dtype=m.int32))",
    "m.result_type(m.zeros(2, dtype=m.int32), m.tensor(1.5, dtype=m.float64))",
    "m.result_type(np.float64(1.), m.zeros(2, dtype=m.float16))",
    "m.result_type(m.zeros(2, dtype=m.int8), np.int64(1))",
    "m.result_type(tensor=m.zeros(2), other=1)", "m.result_type(m.zeros(2), other=1)",
    "m.result_type(1, tensor=m.zeros(2))", "m.result_type(scalar1=1, scalar2=2.)",
    # no signature takes these: torch's "invalid combination" text
    "m.result_type(m.zeros(2), None)", "m.result_type(None, m.zeros(2))",
    "m.result_type(m.zeros(2), 'a')", "m.result_type(None, None)", "m.result_type(1j, None)",
    "m.result_type(m.tensor(1.), None)", "m.result_type(np.zeros(2), 1)",
    "m.result_type(m.zeros(2))", "m.result_type()", "m.result_type(1, 2, 3)",
])
def test_result_type_matches_torch(call):
    _same(call)


@pytest.mark.parametrize("call", [
    "m.result_type(m.zeros(1), other=None)", "m.result_type(tensor=m.zeros(1), other=None)",
    "m.result_type(other=None, tensor=m.zeros(1))", "m.result_type(zz=1, aa=2)",
])
def test_result_type_with_bad_keywords_raises_torchs_error(call):
    # (the first line only: torch adds a reason per signature that ember leaves out)
    e = outcome_in(ember, lambda m: eval(call, {"m": m}))
    t = outcome_in(torch, lambda m: eval(call, {"m": m}))
    assert e[:2] == t[:2] == ("error", "TypeError")
    assert e[2].splitlines()[0] == t[2].splitlines()[0]
