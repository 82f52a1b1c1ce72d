"""The ``ember`` command (also ``python -m ember``).

    ember demo linreg [--epochs 3] [--lr 0.03] [--batch-size 32] [--seed 0] [--out loss.png]
    ember run train.py [ARGS...]       # a PyTorch script, with `import torch` giving ember

Each subcommand imports what it needs only when it runs, so ``ember run``
never pays for matplotlib and ``ember --help`` is instant.
"""
import argparse
import os
import sys
import traceback

__all__ = ["main", "build_parser"]

DEMOS = ("linreg",)


def build_parser():
    """The argument parser for every subcommand."""
    from . import __version__
    parser = argparse.ArgumentParser(
        prog="ember",
        description="ember: a deep learning framework in readable Python on NumPy, "
                    "with PyTorch's API.")
    parser.add_argument("--version", action="version", version=f"ember {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    demo = commands.add_parser(
        "demo", help="train a model from the course and show the result",
        description="Train a model from the course with the D2L Trainer.")
    demo.add_argument("name", choices=DEMOS, help="which demo: linreg (linear regression "
                      "on synthetic data, three ways)")
    demo.add_argument("--epochs", type=_positive_int, default=3, help="passes over the "
                      "training data (default: 3)")
    demo.add_argument("--lr", type=_positive_float, default=0.03,
                      help="learning rate of minibatch SGD (default: 0.03)")
    demo.add_argument("--batch-size", type=_positive_int, default=32,
                      help="examples per minibatch (default: 32)")
    demo.add_argument("--seed", type=int, default=0, help="seed for the data and the "
                      "initial weights (default: 0)")
    demo.add_argument("--out", default="linreg_loss.png", metavar="PATH",
                      help="where to write the loss-curve PNG; a folder gets "
                           "linreg_loss.png inside it (default: ./linreg_loss.png)")
    demo.add_argument("--scratch", action="store_true", help="train the from-scratch "
                      "model (LinearRegressionScratch and d2l.SGD) instead of the concise "
                      "nn.LazyLinear one")
    demo.add_argument("--no-progress", dest="progress", action="store_false",
                      help="no progress bar")
    demo.set_defaults(handler=_run_demo)

    run = commands.add_parser(
        "run", help="run a PyTorch script on ember (`import torch` gives ember)",
        description="Run a Python script written for PyTorch on ember: inside that "
                    "process, `import torch` and every `torch.*` import resolve to ember.")
    run.add_argument("script", help="the Python file to run")
    run.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the script")
    run.set_defaults(handler=_run_script)
    return parser


def main(argv=None):
    """Entry point of the ``ember`` console script; returns the exit status."""
    args = build_parser().parse_args(argv)
    return args.handler(args)


def _run_demo(args):
    from .d2l.demo_linreg import run_linreg_demo
    report = run_linreg_demo(epochs=args.epochs, lr=args.lr, batch_size=args.batch_size,
                             seed=args.seed, out=args.out, scratch=args.scratch,
                             progress=args.progress)
    print(report)
    return 0


def _run_script(args):
    from .compat import run_script
    if not os.path.isfile(args.script):
        print(f"ember run: can't open file {args.script!r}: no such file", file=sys.stderr)
        return 2
    try:
        run_script(args.script, args.args)
    except Exception as error:
        _print_script_traceback(error, args.script)
        return 1
    return 0


def _print_script_traceback(error, script):
    """Print the traceback as `python script.py` would: from the script's first frame
    on, without the frames of ember run's own machinery (cli, compat, runpy)."""
    script = os.path.abspath(script)
    tb = error.__traceback__
    while tb is not None and os.path.abspath(tb.tb_frame.f_code.co_filename) != script:
        tb = tb.tb_next
    traceback.print_exception(type(error), error, tb or error.__traceback__)


def _positive_int(text):
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def _positive_float(text):
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value
