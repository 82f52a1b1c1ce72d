"""The benchmarks never rot: every workload runs once, at tiny sizes, on both
frameworks, and the driver produces its table. No timing is asserted."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

import ember
from benchmarks.workloads import WORKLOADS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", sorted(WORKLOADS))
@pytest.mark.parametrize("fw", [ember, torch], ids=["ember", "torch"])
def test_workload_runs(name, fw):
    make, unit = WORKLOADS[name]
    run = make(fw, True)
    run()
    assert isinstance(unit, str) and unit


def test_driver_prints_json_with_ratios():
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks", "op_add_3", "linreg_scratch", "--small",
         "--rounds", "1", "--repeat", "1", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert set(report["results"]) == {"op_add_3", "linreg_scratch"}
    for row in report["results"].values():
        assert row["ratio"] > 0
        assert row["ember"]["median"] > 0 and row["torch"]["median"] > 0
        assert row["floor_ratio"] > 0 and row["numpy"]["median"] > 0     # both have floors
        assert row["tape_ratio"] > 0 and row["tape"]["median"] > 0       # and run on the tape
    assert "cores" in report["machine"]
