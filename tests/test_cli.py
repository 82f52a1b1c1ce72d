"""The `ember` command: `ember demo linreg` and `ember run SCRIPT` as subprocesses."""
import os
import re
import subprocess
import sys
from pathlib import Path

import matplotlib.image
import pytest

from ember.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "torch_regression.py"
PROBE = ROOT / "tests" / "data" / "probe_script.py"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
NUMBER = re.compile(r"-?\d+\.\d+(?:e[-+]?\d+)?")


def run(args, cwd=None, env=None):
    env = {**os.environ, "EMBER_PROGRESS": "1", **(env or {})}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=300)


def numbers(text):
    return [float(x) for x in NUMBER.findall(text)]


def test_ember_run_matches_real_torch():
    args = [str(EXAMPLE), "--epochs", "4", "--lr", "0.04"]
    on_torch = run(args)
    on_ember = run(["-m", "ember", "run", *args])
    assert on_torch.returncode == 0, on_torch.stderr
    assert on_ember.returncode == 0, on_ember.stderr
    torch_lines = on_torch.stdout.splitlines()
    ember_lines = on_ember.stdout.splitlines()
    assert [NUMBER.sub("#", line) for line in ember_lines] == \
        [NUMBER.sub("#", line) for line in torch_lines]   # same text around the numbers
    assert len(torch_lines) == 6 and torch_lines[0].startswith("epoch 1 loss")
    assert numbers(on_ember.stdout) == pytest.approx(numbers(on_torch.stdout), abs=1e-5,
                                                     rel=1e-5)


def test_ember_run_sets_up_the_script_like_python():
    result = run(["-m", "ember", "run", str(PROBE), "--flag", "-x", "1"], cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "name __main__", "argv ['--flag', '-x', '1']", "path0 data", "torch ember"]


def test_ember_run_reports_what_ember_lacks_and_exit_codes():
    missing = run(["-m", "ember", "run", str(PROBE), "--missing"])
    assert missing.returncode == 1
    assert "runpy" not in missing.stderr and "probe_script.py" in missing.stderr
    assert "ModuleNotFoundError: No module named 'torch.fx': ember has no torch.fx " \
           "(running on ember via `ember run`)" in missing.stderr
    assert run(["-m", "ember", "run", str(PROBE), "--exit"]).returncode == 3
    absent = run(["-m", "ember", "run", "no_such_script.py"])
    assert absent.returncode == 2 and "can't open file 'no_such_script.py'" in absent.stderr


def test_demo_linreg_prints_parameters_and_writes_png(tmp_path):
    result = run(["-m", "ember", "demo", "linreg", "--epochs", "1", "--lr", "0.1",
                  "--batch-size", "16", "--seed", "3", "--out", str(tmp_path)])
    assert result.returncode == 0, result.stderr
    out = result.stdout
    rows = {line.split()[0]: [float(v) for v in line.split()[1:]]
            for line in out.splitlines() if re.match(r"^(w\[\d\]|b) ", line)}
    assert set(rows) == {"w[0]", "w[1]", "b"}
    for name, true in [("w[0]", 2.0), ("w[1]", -3.4), ("b", 4.2)]:
        printed_true, learned, analytic = rows[name]
        assert printed_true == true
        assert learned == pytest.approx(true, abs=0.05)      # one epoch at lr 0.1
        assert analytic == pytest.approx(true, abs=0.005)    # exact least squares
    assert "1 epoch, batch 16, lr 0.1, seed 3" in out
    assert "epoch 1/1" in result.stderr                      # the progress bar
    png = tmp_path / "linreg_loss.png"
    assert f"loss curve: {png}" in out
    assert png.read_bytes()[:8] == PNG_SIGNATURE
    image = matplotlib.image.imread(png)
    assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100
    assert image[..., :3].std() > 0.05


def test_console_script_and_version():
    script = Path(sys.executable).parent / "ember"
    if not script.exists():
        pytest.skip("ember is not installed as a console script in this environment")
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and result.stdout.startswith("ember ")


def test_parser_rejects_bad_values(capsys):
    with pytest.raises(SystemExit) as info:
        main(["demo", "linreg", "--epochs", "0"])
    assert info.value.code == 2
    assert "must be a positive integer, got 0" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["demo", "mnist"])
    with pytest.raises(SystemExit):
        main([])


def test_parser_keeps_script_arguments_for_the_script():
    args = build_parser().parse_args(["run", "train.py", "--epochs", "3", "--help"])
    assert args.script == "train.py" and args.args == ["--epochs", "3", "--help"]
