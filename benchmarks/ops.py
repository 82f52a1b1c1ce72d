"""Everyday ops, one call each, ember vs torch: ``python -m benchmarks.ops [--json]``.

The workloads of ``python -m benchmarks`` time whole training loops; this survey
times the single calls a student's code is made of (reshaping, indexing,
reductions, creation, losses) on a 4x5 float32 tensor, where what is measured
is each framework's overhead per call. Each framework runs in its own fresh
processes, alternating ember, torch, ember, ... (``--rounds`` each), with
BLAS/OpenMP pinned to one thread; the table gives the median microseconds per
call, ember/torch, and the geometric mean of the ratios.
"""
import argparse
import importlib
import json
import math
import os
import statistics
import subprocess
import sys
import timeit

import numpy as np

# (name, statement); statements see the framework as ``m`` and the tensors below
OPS = [
    # creation
    ("tensor(list)", "m.tensor([1.0, 2.0, 3.0])"),
    ("zeros", "m.zeros(4, 5)"),
    ("ones(tuple)", "m.ones((4, 5))"),
    ("arange", "m.arange(12)"),
    ("randn", "m.randn(4, 5)"),
    ("normal", "m.normal(0, 1, (4, 5))"),
    # shape and indexing
    ("reshape", "x.reshape(5, 4)"),
    ("view(-1)", "x.view(-1)"),
    ("flatten", "x.flatten()"),
    ("unsqueeze", "x.unsqueeze(0)"),
    ("squeeze", "x.squeeze()"),
    ("expand", "x.expand(2, 4, 5)"),
    ("T", "x.T"),
    ("permute", "x.permute(1, 0)"),
    ("x[0]", "x[0]"),
    ("x[1:3]", "x[1:3]"),
    ("x[:, 1]", "x[:, 1]"),
    ("x[idx]", "x[idx]"),
    ("x[x > 0]", "x[x > 0]"),
    ("x[0, 0].item()", "x[0, 0].item()"),
    ("cat", "m.cat([x, y], dim=0)"),
    ("stack", "m.stack([x, y])"),
    # pointwise
    ("x + v", "x + v"),
    ("x * 2.0", "x * 2.0"),
    ("exp", "x.exp()"),
    ("abs", "x.abs()"),
    ("relu", "m.relu(x)"),
    ("clamp(min=0)", "x.clamp(min=0)"),
    ("pow(2)", "x.pow(2)"),
    ("x == y", "x == y"),
    ("(x == y).float()", "(x == y).float()"),
    ("where", "m.where(x > 0, x, y)"),
    # reductions
    ("sum()", "x.sum()"),
    ("sum(dim=0)", "x.sum(dim=0)"),
    ("mean(dim=1)", "x.mean(dim=1)"),
    ("max()", "x.max()"),
    ("max(dim=1)", "x.max(dim=1)"),
    ("argmax(dim=1)", "x.argmax(dim=1)"),
    ("topk(2)", "x.topk(2)"),
    ("sort(dim=1)", "x.sort(dim=1)"),
    ("std()", "x.std()"),
    ("var(dim=0)", "x.var(dim=0)"),
    ("norm()", "x.norm()"),
    ("accuracy", "(x.argmax(dim=1) == labels).float().sum()"),
    # linear algebra, nn
    ("x @ w", "x @ w"),
    ("softmax", "m.softmax(x, dim=1)"),
    ("cross_entropy", "m.nn.functional.cross_entropy(x, labels)"),
    ("mse_loss", "m.nn.functional.mse_loss(x, y)"),
    # with autograd
    ("xg @ w (graph)", "xg @ w"),
    ("(xg * 2).sum() (graph)", "(xg * 2).sum()"),
    ("CE fwd+bwd", "m.nn.functional.cross_entropy(xg, labels).backward()"),
    ("MSE fwd+bwd", "m.nn.functional.mse_loss(xg, y).backward()"),
]


def setup(m):
    """The tensors the statements use, the same data for both frameworks."""
    rng = np.random.default_rng(0)

    def data(*shape):
        return m.tensor(rng.standard_normal(shape).astype(np.float32))
    x, y, v = data(4, 5), data(4, 5), data(5)
    return {"m": m, "x": x, "y": y, "v": v,
            "w": m.tensor(rng.standard_normal((5, 3)).astype(np.float32), requires_grad=True),
            "xg": data(4, 5).requires_grad_(),
            "idx": m.tensor([0, 2, 3]), "labels": m.tensor([0, 1, 2, 1])}


def time_ops(framework, number, repeat):
    """{op name: best seconds per call} for one framework, in this process."""
    m = importlib.import_module(framework)
    if framework == "torch":
        m.set_num_threads(1)
    env = setup(m)
    return {name: min(timeit.repeat(stmt, globals=env, number=number, repeat=repeat)) / number
            for name, stmt in OPS}


def _worker(framework, number, repeat, threads):
    from benchmarks.__main__ import process_env
    env = process_env(threads)
    cmd = [sys.executable, "-m", "benchmarks.ops", "--worker", framework,
           "--number", str(number), "--repeat", str(repeat)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False,
                         cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if out.returncode != 0:
        raise RuntimeError(f"{framework} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def survey(rounds, number, repeat, threads):
    """{op name: {"ember": median s, "torch": median s, "ratio": ember/torch}}."""
    runs = {"ember": [], "torch": []}
    for _ in range(rounds):
        for fw in runs:                             # A B A B ...
            runs[fw].append(_worker(fw, number, repeat, threads))
    rows = {}
    for name, _ in OPS:
        e = statistics.median(r[name] for r in runs["ember"])
        t = statistics.median(r[name] for r in runs["torch"])
        rows[name] = {"ember": e, "torch": t, "ratio": e / t}
    return rows


def geometric_mean(values):
    values = list(values)
    return math.exp(sum(math.log(v) for v in values) / len(values))


def print_table(rows, threads):
    from benchmarks.__main__ import machine
    print(f"machine: {machine()}; BLAS/OpenMP threads: {threads}")
    print(f"{'op (4x5 float32)':<26}{'ember us':>10}{'torch us':>10}{'ember/torch':>13}")
    print("-" * 59)
    for name, r in rows.items():
        print(f"{name:<26}{r['ember'] * 1e6:>10.2f}{r['torch'] * 1e6:>10.2f}{r['ratio']:>13.2f}")
    print(f"{'geometric mean':<46}{geometric_mean(r['ratio'] for r in rows.values()):>13.2f}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=3, help="processes per framework (A B A B)")
    p.add_argument("--number", type=int, default=2000, help="calls per timing")
    p.add_argument("--repeat", type=int, default=5, help="timings per process (best kept)")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--worker", choices=["ember", "torch"], help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        json.dump(time_ops(args.worker, args.number, args.repeat), sys.stdout)
        print()
        return
    rows = survey(args.rounds, args.number, args.repeat, args.threads)
    if args.json:
        json.dump({"threads": args.threads, "ops": rows}, sys.stdout, indent=2)
        print()
    else:
        print_table(rows, args.threads)


if __name__ == "__main__":
    main()
