"""NumPy floors: the arithmetic of some workloads, written directly in NumPy.

Each floor does what its workload asks of the framework (the same forward
values, gradients and updates, in float32, on the same data) with plain NumPy
calls in Python and nothing else: no tensors, no graph, no checks. The large
MLP's floor is its matrix products alone. No framework written in Python over
NumPy can be faster than this, so ``floor / torch`` is the best ratio such a
framework could reach on this machine; the table prints it beside ember's.
``tests/benchmarks/test_floors.py`` checks that the floors give ember's numbers.
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


def mlp_products(acts, weights):
    """The matrix products of one step of an MLP with layer inputs/outputs ``acts``
    (batch x features each) and ``weights`` (out x in each): forward, weight
    gradients, and input gradients for all but the first layer (the data needs none)."""
    products = [a @ w.T for a, w in zip(acts, weights)]
    for k, w in enumerate(weights):
        g = acts[k + 1]                             # (stands for the output's gradient)
        products.append(g.T @ acts[k])
        if k:
            products.append(g @ w)
    return products


@floor("mlp_large_step")
def mlp_large_step(name, small):
    """The step's matrix products and nothing else, in float32 with NumPy's BLAS; the
    step's other work (bias, ReLU, loss, SGD) only adds to it."""
    batch, sizes = (8, (32, 64, 64, 10)) if small else (512, (784, 1024, 1024, 10))
    rng = np.random.default_rng(0)
    acts = [rng.standard_normal((batch, n)).astype(np.float32) for n in sizes]
    weights = [rng.standard_normal((n_out, n_in)).astype(np.float32)
               for n_in, n_out in zip(sizes, sizes[1:])]
    return lambda: mlp_products(acts, weights)
