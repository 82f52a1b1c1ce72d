"""ember vs torch, side by side: ``python -m benchmarks [--threads N] [--json] [--small]``.

Every workload runs in fresh processes, alternating ember, torch, ember,
torch, ... (``--rounds`` times each), with BLAS/OpenMP pinned to ``--threads``
threads (1 by default). The table shows the median time per unit with the
min-max range, and the ratio ember/torch of the medians (below 1: ember is
faster). Workloads with a NumPy floor (benchmarks/floors.py: the same arithmetic
in bare NumPy, the best any Python-over-NumPy framework could do) run it as a
third process in each round, and the column floor/torch shows it. Workloads that
the barest autograd with torch's API runs (benchmarks/tape.py: a general graph
and nothing else) run on it too, and tape/torch shows it. Peak memory and import
time come from the same processes.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys

from benchmarks import tape
from benchmarks.floors import FLOORS
from benchmarks.workloads import WORKLOADS

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


def process_env(threads):
    """The environment of every timed process: BLAS/OpenMP pinned to ``threads``, and
    Python's bytecode cache on (as after an install), so that import time is not the
    time to compile ember's sources (PYTHONDONTWRITEBYTECODE in a developer's shell
    would make it so; torch's installed package is compiled already)."""
    env = dict(os.environ)
    for var in THREAD_VARS:
        env[var] = str(threads)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def warm_up(threads):
    """Import both frameworks once, untimed: their bytecode is cached and their files
    are in the page cache before the first timed process starts."""
    subprocess.run([sys.executable, "-c", "import ember, ember.utils.data, torch"],
                   env=process_env(threads), capture_output=True, check=True)


def run_process(framework, workload, repeat, small, threads):
    env = process_env(threads)
    cmd = [sys.executable, "-m", "benchmarks.run_one", framework, workload,
           "--repeat", str(repeat), "--threads", str(threads)] + (["--small"] if small else [])
    out = subprocess.run(cmd, env=env, capture_output=True, text=True,
                         cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if out.returncode != 0:
        raise RuntimeError(f"{framework} {workload} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def benchmark(names, rounds, repeat, small, threads):
    warm_up(threads)
    results = {}
    for name in names:
        frameworks = (("ember", "torch") + (("numpy",) if name in FLOORS else ())
                      + (("tape",) if name in tape.SUPPORTED else ()))
        runs = {fw: [] for fw in frameworks}
        for _ in range(rounds):
            for fw in frameworks:                  # A B (C) A B (C) ...
                runs[fw].append(run_process(fw, name, repeat, small, threads))
        row = {"unit": WORKLOADS[name][1]}
        for fw, rs in runs.items():
            times = [t for r in rs for t in r["times"]]
            row[fw] = {"median": statistics.median(times), "min": min(times), "max": max(times),
                       "peak_rss_mb": max(r["peak_rss_mb"] for r in rs),
                       "import_s": statistics.median(r["import_s"] for r in rs)}
        row["ratio"] = row["ember"]["median"] / row["torch"]["median"]
        if "numpy" in row:
            row["floor_ratio"] = row["numpy"]["median"] / row["torch"]["median"]
        if "tape" in row:
            row["tape_ratio"] = row["tape"]["median"] / row["torch"]["median"]
        results[name] = row
    return results


def _fmt_time(s):
    return f"{s * 1e3:9.3f} ms" if s < 10 else f"{s:9.2f} s "


def print_table(results, threads):
    print(f"machine: {machine()}; BLAS/OpenMP threads: {threads}")
    head = f"{'workload':<22}{'unit':<14}{'ember median (min-max)':<36}" \
           f"{'torch median (min-max)':<36}{'ember/torch':>11}{'floor/torch':>13}" \
           f"{'tape/torch':>12}"
    print(head)
    print("-" * len(head))
    for name, row in results.items():
        cells = []
        for fw in ("ember", "torch"):
            r = row[fw]
            cells.append(f"{_fmt_time(r['median'])} ({r['min'] * 1e3:.3f}-{r['max'] * 1e3:.3f})")
        floor = f"{row['floor_ratio']:>13.3f}" if "floor_ratio" in row else f"{'-':>13}"
        bare = f"{row['tape_ratio']:>12.3f}" if "tape_ratio" in row else f"{'-':>12}"
        print(f"{name:<22}{row['unit']:<14}{cells[0]:<36}{cells[1]:<36}{row['ratio']:>11.3f}"
              f"{floor}{bare}")
    if "mlp_large_step" in results:
        r = results["mlp_large_step"]
        e, t = r["ember"]["peak_rss_mb"], r["torch"]["peak_rss_mb"]
        print(f"{'peak RSS mlp_large_step':<36}ember {e:8.1f} MB   torch {t:8.1f} MB   "
              f"ratio {e / t:.3f}")
    first = next(iter(results.values()))
    e, t = first["ember"]["import_s"], first["torch"]["import_s"]
    print(f"{'import time':<36}ember {e * 1e3:8.1f} ms   torch {t * 1e3:8.1f} ms   "
          f"ratio {e / t:.3f}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("workloads", nargs="*", help=f"subset of: {', '.join(WORKLOADS)}")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--rounds", type=int, default=3, help="processes per framework (A B A B)")
    p.add_argument("--repeat", type=int, default=5, help="timed runs per process")
    p.add_argument("--small", action="store_true", help="tiny sizes (the smoke test)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    args = p.parse_args(argv)
    names = args.workloads or list(WORKLOADS)
    unknown = [n for n in names if n not in WORKLOADS]
    if unknown:
        p.error(f"unknown workload(s): {', '.join(unknown)}")
    results = benchmark(names, args.rounds, args.repeat, args.small, args.threads)
    if args.json:
        json.dump({"machine": machine(), "threads": args.threads, "results": results},
                  sys.stdout, indent=2)
        print()
    else:
        print_table(results, args.threads)


if __name__ == "__main__":
    main()
