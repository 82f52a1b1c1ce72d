"""``ember demo linreg``: linear regression three ways on the book's synthetic data.

Trains the concise model (``nn.LazyLinear(1)`` + ``optim.SGD``; or, with
``scratch=True``, the from-scratch one + ``d2l.SGD``) with the D2L Trainer,
solves the same least-squares problem exactly, ``θ* = (AᵀA)⁻¹Aᵀy`` with
``A = [X, 1]``, and reports both beside the true parameters.

    >>> print(run_linreg_demo(epochs=1, out="loss.png", progress=False))
"""
import os
import warnings

import numpy as np

import ember

from .data import SyntheticRegressionData
from .linear_regression import LinearRegression, LinearRegressionScratch
from .trainer import Trainer

__all__ = ["run_linreg_demo", "least_squares", "TRUE_W", "TRUE_B"]

TRUE_W = (2.0, -3.4)
TRUE_B = 4.2
NOISE = 0.01
NUM_TRAIN = NUM_VAL = 1000
PNG_NAME = "linreg_loss.png"


def least_squares(X, y):
    """The exact minimiser of ``‖Xw + b - y‖²``: returns ``(w, b)`` as float64 tensors.

    Solves the normal equations ``(AᵀA) θ = Aᵀy`` with ``A = [X, 1]`` in float64
    (``ember.linalg.solve``; NumPy's solver only while ember.linalg lacks one).
    """
    X = X.double()
    A = ember.cat([X, ember.ones(X.shape[0], 1, dtype=ember.float64)], dim=1)
    gram, moment = A.T @ A, A.T @ y.double()
    try:
        from ember.linalg import solve
    except ImportError:
        solve = None
    if solve is not None:
        theta = solve(gram, moment)
    else:
        theta = ember.from_numpy(np.linalg.solve(gram.numpy(), moment.numpy()))
    theta = theta.reshape(-1)
    return theta[:-1], theta[-1:]


def run_linreg_demo(epochs=3, lr=0.03, batch_size=32, seed=0, out=PNG_NAME, scratch=False,
                    progress=None):
    """Train, solve, write the loss curve; returns the printable report."""
    ember.manual_seed(seed)
    data = SyntheticRegressionData(ember.tensor(TRUE_W), TRUE_B, noise=NOISE,
                                   num_train=NUM_TRAIN, num_val=NUM_VAL, batch_size=batch_size)
    model = LinearRegressionScratch(len(TRUE_W), lr=lr) if scratch else LinearRegression(lr=lr)
    model.board.ylabel = "loss"
    model.board.yscale = "log"   # the late epochs are invisible on a linear scale
    model.board.png_path = png_path(out)
    with warnings.catch_warnings(record=True) as caught:
        # shown as notes under the table, e.g. LazyLinear discarding the slides' init
        warnings.simplefilter("always")
        Trainer(max_epochs=epochs, progress=progress).fit(model, data)
    w, b = _learned(model)
    exact_w, exact_b = least_squares(data.X[:NUM_TRAIN], data.y[:NUM_TRAIN])
    with ember.no_grad():
        val_loss = model.loss(model(data.X[NUM_TRAIN:]), data.y[NUM_TRAIN:]).item()
    return _report(model, w, b, exact_w.numpy(), exact_b.numpy(), val_loss, epochs, lr,
                   batch_size, seed, model.board.png_path, caught)


def png_path(out):
    """``out`` itself, or ``out/linreg_loss.png`` when ``out`` is a folder."""
    out = os.fspath(out)
    if os.path.isdir(out) or out.endswith(os.sep) or out.endswith("/"):
        return os.path.join(out, PNG_NAME)
    return out


def _learned(model):
    if isinstance(model, LinearRegressionScratch):
        w, b = model.w, model.b
    else:
        w, b = model.get_w_b()
    return (w.detach().reshape(-1).numpy().astype(np.float64),
            b.detach().reshape(-1).numpy().astype(np.float64))


def _report(model, w, b, exact_w, exact_b, val_loss, epochs, lr, batch_size, seed, png,
            caught):
    kind = ("from scratch: LinearRegressionScratch + d2l.SGD" if isinstance(
        model, LinearRegressionScratch) else "concise: nn.LazyLinear(1) + optim.SGD")
    names = [f"w[{i}]" for i in range(len(TRUE_W))] + ["b"]
    true = list(TRUE_W) + [TRUE_B]
    learned = list(w) + list(b)
    exact = list(exact_w) + list(exact_b)
    lines = [
        f"Linear regression on synthetic data: y = Xw + b + noise (sigma {NOISE}), "
        f"{NUM_TRAIN} train / {NUM_VAL} validation examples",
        f"model ({kind}), {epochs} epoch{'s' if epochs != 1 else ''}, batch {batch_size}, "
        f"lr {lr}, seed {seed}",
        "",
        f"{'parameter':<10}{'true':>10}{'learned':>10}{'analytic':>10}",
    ]
    lines += [f"{name:<10}{t:>10.4f}{l:>10.4f}{e:>10.4f}"
              for name, t, l, e in zip(names, true, learned, exact)]
    w_error = float(np.linalg.norm(w - np.array(TRUE_W)))
    b_error = float(abs(b[0] - TRUE_B))
    lines += [
        "",
        f"||w_hat - w|| = {w_error:.4f}   |b_hat - b| = {b_error:.4f}   "
        f"validation loss = {val_loss:.6f}",
        "analytic = least squares on the training examples, (A^T A)^-1 A^T y with A = [X, 1]",
        f"loss curve: {png}",
    ]
    for message in dict.fromkeys(str(warning.message) for warning in caught):
        lines.append(f"note: {message}")
    return "\n".join(lines)
