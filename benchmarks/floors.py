"""NumPy floors: the arithmetic of some workloads, written directly in NumPy.

Each floor does what its workload asks of the framework (the same forward
values, gradients and updates, in float32, on the same data) with plain NumPy
calls in Python and nothing else: no tensors, no graph, no checks. No framework
written in Python over NumPy can be faster than this, so ``floor / torch`` is
the best ratio such a framework could reach on this machine; the table prints it
beside ember's. ``tests/benchmarks/test_smoke.py`` checks that each floor gives
ember's numbers.
"""
import numpy as np

from benchmarks.workloads import _inner_loop, _synthetic

FLOORS = {}


def floor(*names):
    """Register ``make(name, small) -> run`` as the floor of the named workloads."""
    def register(make):
        for name in names:
            FLOORS[name] = make
        return make
    return register


def _size(name):
    return int(name.rsplit("_", 1)[1])


_OPS = {"add": np.add, "mul": np.multiply, "dot": lambda x, y: x.dot(y),
        "sum": lambda x, y: x.sum()}


@floor(*(f"op_{op}_{n}" for op in _OPS for n in (3, 100)))
def per_op(name, small):
    op = _OPS[name.split("_")[1]]
    rng0, rng1 = np.random.default_rng(0), np.random.default_rng(1)
    x = rng0.standard_normal(_size(name)).astype(np.float32)
    y = rng1.standard_normal(_size(name)).astype(np.float32)
    return _inner_loop(lambda: op(x, y), 10 if small else 2000)


def fwd_bwd_step(n):
    """One step of fwd_bwd_2dotxx: y = 2 * dot(x, x) and its gradient 2x + 2x."""
    x = np.arange(n, dtype=np.float32)

    def step():
        y = 2 * x.dot(x)                            # forward
        g = np.ones((), np.float32) * 2             # d(2 * d) / dd
        return y, g * x + g * x                     # dot's gradient, one term per operand
    return step


@floor("fwd_bwd_2dotxx_3", "fwd_bwd_2dotxx_100")
def fwd_bwd_2dotxx(name, small):
    return _inner_loop(fwd_bwd_step(_size(name)), 5 if small else 500)


@floor("linreg_scratch")
def linreg_scratch(name, small):
    X, y = _synthetic(100 if small else 1000)
    perm = np.random.default_rng(1).permutation(len(X))
    batch, lr, epochs = 32, np.float32(0.03), 1 if small else 3

    def train():
        w = np.random.default_rng(2).normal(0, 0.01, (2, 1)).astype(np.float32)
        b = np.zeros(1, np.float32)
        for _ in range(epochs):
            for i in range(0, len(X), batch):
                idx = perm[i:i + batch]
                Xb, yb = X.take(idx, axis=0), y.take(idx, axis=0)
                r = Xb @ w + b - yb                     # forward: mean(r ** 2 / 2)
                _ = (r * r / 2).mean()
                gr = np.full(r.shape, 1 / r.size, np.float32) / 2 * 2 * r    # backward
                w -= lr * (Xb.T @ gr)
                b -= lr * gr.sum(axis=0)
        return w, b
    return train


@floor("matmul_1024")
def matmul_1024(name, small):
    n = 64 if small else 1024
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n)).astype(np.float32)
    b = rng.standard_normal((n, n)).astype(np.float32)
    return lambda: a @ b


@floor("mlp_large_step")
def mlp_large_step(name, small, params=None):
    """Forward, backward and a plain float32 SGD step of the 3-layer ReLU MLP with an
    MSE loss. ``params`` (weights and biases as arrays, updated in place) default to
    random ones."""
    batch, sizes = (8, (32, 64, 64, 10)) if small else (512, (784, 1024, 1024, 10))
    rng = np.random.default_rng(0)
    X = rng.standard_normal((batch, sizes[0])).astype(np.float32)
    Y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, batch)]
    if params is None:
        params = []
        for n_in, n_out in zip(sizes, sizes[1:]):
            params += [rng.standard_normal((n_out, n_in)).astype(np.float32) * 0.03,
                       np.zeros(n_out, np.float32)]
    W1, b1, W2, b2, W3, b3 = params
    lr = np.float32(0.01)

    def step():
        h1 = X @ W1.T + b1
        a1 = np.maximum(h1, 0)
        h2 = a1 @ W2.T + b2
        a2 = np.maximum(h2, 0)
        out = a2 @ W3.T + b3
        diff = out - Y
        _ = (diff * diff).mean()
        g3 = diff * np.float32(2 / diff.size)
        g2 = (g3 @ W3) * (h2 > 0)
        g1 = (g2 @ W2) * (h1 > 0)
        grads = (g1.T @ X, g1.sum(0), g2.T @ a1, g2.sum(0), g3.T @ a2, g3.sum(0))
        for p, g in zip(params, grads):
            p -= lr * g
    return step
