"""The op survey (benchmarks/ops.py) compares like with like: every statement runs
on both frameworks and gives the same result there; the driver produces its
table. No timing is asserted."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

import ember
from benchmarks.ops import OPS, setup

ROOT = Path(__file__).resolve().parents[2]
RANDOM = {"randn", "normal"}


def _arrays(result):
    """The result as a list of NumPy arrays (a tensor, a named tuple of tensors, a
    Python number, or None after a backward)."""
    if result is None:
        return []
    if isinstance(result, tuple):
        return [a for r in result for a in _arrays(r)]
    if hasattr(result, "detach"):
        return [result.detach().numpy()]
    return [np.asarray(result)]


@pytest.mark.parametrize("name,stmt", OPS, ids=[name for name, _ in OPS])
def test_statement_gives_torchs_result(name, stmt):
    (e_env, t_env) = setup(ember), setup(torch)
    e, t = _arrays(eval(stmt, e_env)), _arrays(eval(stmt, t_env))
    assert [a.shape for a in e] == [a.shape for a in t]
    assert [a.dtype for a in e] == [a.dtype for a in t]
    if name not in RANDOM:
        for a, b in zip(e, t):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    if stmt.endswith(".backward()"):
        np.testing.assert_allclose(e_env["xg"].grad.numpy(), t_env["xg"].grad.numpy(),
                                   rtol=1e-5, atol=1e-7)


def test_driver_prints_json_with_ratios():
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.ops", "--rounds", "1", "--number", "2",
         "--repeat", "1", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    ops = json.loads(out.stdout)["ops"]
    assert list(ops) == [name for name, _ in OPS]
    for row in ops.values():
        assert row["ember"] > 0 and row["torch"] > 0
        assert row["ratio"] == pytest.approx(row["ember"] / row["torch"])
