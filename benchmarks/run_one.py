"""Time one workload on one framework, in this process; prints one JSON line.

    python -m benchmarks.run_one ember linreg_scratch --repeat 5

Only the named framework is imported. Besides the timings it reports the
process's peak resident memory and the framework's import time. The framework
``numpy`` runs the workload's NumPy floor (benchmarks/floors.py); ``tape`` runs
the workload's own code on the barest autograd (benchmarks/tape.py).
"""
import argparse
import importlib
import json
import resource
import sys
import time


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("framework", choices=["ember", "torch", "numpy", "tape"])
    p.add_argument("workload")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--small", action="store_true")
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)

    t0 = time.perf_counter()
    fw = importlib.import_module("benchmarks.tape" if args.framework == "tape"
                                 else args.framework)
    import_s = time.perf_counter() - t0
    from benchmarks.workloads import WORKLOADS
    unit = WORKLOADS[args.workload][1]
    if args.framework == "numpy":
        from benchmarks.floors import FLOORS
        run = FLOORS[args.workload](args.workload, args.small)
    else:
        if args.framework == "torch":
            fw.set_num_threads(args.threads)
            importlib.import_module("torch.utils.data")
        elif args.framework == "ember":
            importlib.import_module("ember.utils.data")
        run = WORKLOADS[args.workload][0](fw, args.small)
    run()                                   # warm-up (caches, lazy imports, allocator)
    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    json.dump({"framework": args.framework, "workload": args.workload, "unit": unit,
               "times": times, "peak_rss_mb": peak_kb / 1024, "import_s": import_s}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
