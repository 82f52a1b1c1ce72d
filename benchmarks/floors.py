"""NumPy floors: the arithmetic of some workloads, written directly in NumPy.

Each floor does what its workload asks of the framework (the same forward
values, gradients and updates, in float32, on the same data) with plain NumPy
calls in Python and nothing else: no tensors, no graph, no checks. No framework
written in Python over NumPy can be faster than this, so ``floor / torch`` is
the best ratio such a framework could reach on this machine; the table prints
it beside ember's.
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


def mlp_step(X, Y, weights, biases, lr, buffers=None):
    """One training step of an MLP (Linear, ReLU, ..., Linear; MSE loss; plain SGD) in
    float32 NumPy: each layer's product plus its bias, ReLU by np.maximum, the
    backward pass by hand (the ReLU mask, the bias gradient a column sum), then
    ``p += -lr * grad`` in float32. Weights are (out x in), as nn.Linear keeps them;
    updated in place. Returns the loss.

    ``buffers`` (from ``mlp_buffers``) lets every batch-sized and weight-sized result
    be written into arrays made once, so that no step pays for fresh memory: what is
    left is the arithmetic. (A fresh large array may cost page faults, depending on
    the allocator's state: a few ms per step here.)

    ember's SGD instead rounds each update once, as torch's fused multiply-add does
    (through float64, in cache-sized pieces); this floor takes the cheaper update with
    two roundings, so it bounds any NumPy framework that is not bit-exact either."""
    n = len(weights)
    if buffers is None:
        buffers = mlp_buffers(X, weights)
    acts, grads, grad_ws = buffers
    for k, (w, b) in enumerate(zip(weights, biases)):
        z = np.matmul(acts[k], w.T, out=acts[k + 1])
        z += b
        if k < n - 1:
            np.maximum(z, 0, out=z)                     # ReLU in place: backward needs
    diff = np.subtract(acts[n], Y, out=grads[n])        # only its output
    loss = np.mean(diff * diff)
    g = np.multiply(diff, np.float32(2 / diff.size), out=diff)   # d loss / d output
    for k in range(n - 1, -1, -1):
        np.matmul(g.T, acts[k], out=grad_ws[k])
        gb = g.sum(axis=0)
        if k:
            g = np.matmul(g, weights[k], out=grads[k])
            np.multiply(g, acts[k] > 0, out=g)          # ReLU's mask
        gb *= -lr
        biases[k] += gb
    for w, gw in zip(weights, grad_ws):
        gw *= -lr
        w += gw
    return loss


def mlp_buffers(X, weights):
    """The arrays one step of ``mlp_step`` writes: layer outputs, their gradients, and
    the weights' gradients."""
    batch = X.shape[0]
    acts = [X] + [np.empty((batch, w.shape[0]), np.float32) for w in weights]
    grads = [None] + [np.empty_like(a) for a in acts[1:]]
    return acts, grads, [np.empty_like(w) for w in weights]


@floor("mlp_large_step")
def mlp_large_step(name, small):
    """The whole step (forward, backward, SGD) with the fewest NumPy passes and no
    fresh arrays: the BLAS products and the elementwise work that must follow them."""
    batch, sizes = (8, (32, 64, 64, 10)) if small else (512, (784, 1024, 1024, 10))
    rng = np.random.default_rng(0)
    X = rng.standard_normal((batch, sizes[0])).astype(np.float32)
    Y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, batch)]
    weights = [rng.uniform(-1, 1, (n_out, n_in)).astype(np.float32) / np.float32(n_in ** 0.5)
               for n_in, n_out in zip(sizes, sizes[1:])]
    biases = [np.zeros(n_out, np.float32) for n_out in sizes[1:]]
    lr = np.float32(0.01)
    buffers = mlp_buffers(X, weights)
    return lambda: mlp_step(X, Y, weights, biases, lr, buffers)
