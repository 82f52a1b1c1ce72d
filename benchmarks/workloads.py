"""The benchmark workloads, written once against the torch API.

Each workload is a function ``workload(fw, small)`` that receives the
framework module (``ember`` or ``torch``; the same code runs on both) and
returns a zero-argument callable that does one timed unit of work, plus
the unit's name. Data comes from NumPy with a fixed seed, so both frameworks
do exactly the same arithmetic. ``small=True`` shrinks everything for the
smoke test in the test suite.
"""
import numpy as np

WORKLOADS = {}


def workload(name, unit):
    def register(fn):
        WORKLOADS[name] = (fn, unit)
        return fn
    return register


def _inner_loop(op, n):
    """Repeat a cheap op n times so that timer resolution doesn't matter."""
    def run():
        for _ in range(n):
            op()
    return run


def _per_op(fw, size, make_op, small):
    x = fw.tensor(np.random.default_rng(0).standard_normal(size).astype(np.float32))
    y = fw.tensor(np.random.default_rng(1).standard_normal(size).astype(np.float32))
    return _inner_loop(make_op(fw, x, y), 10 if small else 2000)


# ---------------------------------------------------------------- 1. per-op overhead
for _n in (3, 100):
    for _op_name, _make in {
        "add": lambda fw, x, y: (lambda: x + y),
        "mul": lambda fw, x, y: (lambda: x * y),
        "dot": lambda fw, x, y: (lambda: fw.dot(x, y)),
        "sum": lambda fw, x, y: (lambda: x.sum()),
    }.items():
        def _wl(fw, small, _n=_n, _make=_make):
            return _per_op(fw, _n, _make, small)
        workload(f"op_{_op_name}_{_n}", "2000 ops")(_wl)

    def _fwd_bwd(fw, small, _n=_n):
        x = fw.tensor(np.arange(_n, dtype=np.float32), requires_grad=True)

        def step():
            y = 2 * fw.dot(x, x)
            y.backward()
            x.grad = None
        return _inner_loop(step, 5 if small else 500)
    workload(f"fwd_bwd_2dotxx_{_n}", "500 fwd+bwd")(_fwd_bwd)


# ------------------------------------------------------------ 2. linear regression
def _synthetic(n=1000, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2)).astype(np.float32)
    y = (X @ np.array([2, -3.4], np.float32) + 4.2 +
         0.01 * rng.standard_normal(n).astype(np.float32)).reshape(-1, 1)
    return X, y.astype(np.float32)


@workload("linreg_scratch", "3 epochs")
def linreg_scratch(fw, small):
    X_np, y_np = _synthetic(100 if small else 1000)
    X, y = fw.tensor(X_np), fw.tensor(y_np)
    perm = np.random.default_rng(1).permutation(len(X_np))
    batch, lr, epochs = 32, 0.03, 1 if small else 3

    def train():
        w = fw.tensor(np.random.default_rng(2).normal(0, 0.01, (2, 1)).astype(np.float32),
                      requires_grad=True)
        b = fw.zeros(1, requires_grad=True)
        for _ in range(epochs):
            for i in range(0, len(X_np), batch):
                idx = fw.tensor(perm[i:i + batch])
                Xb, yb = X[idx], y[idx]
                loss = ((fw.matmul(Xb, w) + b - yb) ** 2 / 2).mean()
                loss.backward()
                with fw.no_grad():
                    for p in (w, b):
                        p -= lr * p.grad
                        p.grad.zero_()
        return w, b
    return train


@workload("linreg_concise", "3 epochs")
def linreg_concise(fw, small):
    X_np, y_np = _synthetic(100 if small else 1000)
    data = fw.utils.data.TensorDataset(fw.tensor(X_np), fw.tensor(y_np))
    epochs = 1 if small else 3

    def train():
        fw.manual_seed(0)
        net = fw.nn.Linear(2, 1)
        loss_fn = fw.nn.MSELoss()
        opt = fw.optim.SGD(net.parameters(), lr=0.03)
        loader = fw.utils.data.DataLoader(data, batch_size=32, shuffle=True)
        for _ in range(epochs):
            for Xb, yb in loader:
                loss = loss_fn(net(Xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
        return net
    return train


# --------------------------------------------------------------------- 3. small MLP
@workload("mlp_digits", "10 epochs")
def mlp_digits(fw, small):
    rng = np.random.default_rng(0)
    n = 200 if small else 1797
    X_np = rng.standard_normal((n, 64)).astype(np.float32)
    labels = rng.integers(0, 10, n)
    Y_np = np.eye(10, dtype=np.float32)[labels]
    data = fw.utils.data.TensorDataset(fw.tensor(X_np), fw.tensor(Y_np))
    epochs = 1 if small else 10

    def train():
        fw.manual_seed(0)
        net = fw.nn.Sequential(fw.nn.Linear(64, 256), fw.nn.ReLU(), fw.nn.Linear(256, 10))
        loss_fn = fw.nn.MSELoss()
        opt = fw.optim.SGD(net.parameters(), lr=0.1)
        loader = fw.utils.data.DataLoader(data, batch_size=256, shuffle=True)
        for _ in range(epochs):
            for Xb, Yb in loader:
                loss = loss_fn(net(Xb), Yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
    return train


# -------------------------------------------------------------- 5. large dense work
@workload("matmul_1024", "1 matmul")
def matmul_1024(fw, small):
    n = 64 if small else 1024
    rng = np.random.default_rng(0)
    a = fw.tensor(rng.standard_normal((n, n)).astype(np.float32))
    b = fw.tensor(rng.standard_normal((n, n)).astype(np.float32))
    return lambda: a @ b


@workload("mlp_large_step", "1 step")
def mlp_large_step(fw, small):
    batch, sizes = (8, (32, 64, 64, 10)) if small else (512, (784, 1024, 1024, 10))
    rng = np.random.default_rng(0)
    X = fw.tensor(rng.standard_normal((batch, sizes[0])).astype(np.float32))
    Y = fw.tensor(np.eye(10, dtype=np.float32)[rng.integers(0, 10, batch)])
    fw.manual_seed(0)
    net = fw.nn.Sequential(fw.nn.Linear(sizes[0], sizes[1]), fw.nn.ReLU(),
                           fw.nn.Linear(sizes[1], sizes[2]), fw.nn.ReLU(),
                           fw.nn.Linear(sizes[2], sizes[3]))
    loss_fn = fw.nn.MSELoss()
    opt = fw.optim.SGD(net.parameters(), lr=0.01)

    def step():
        loss = loss_fn(net(X), Y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return step
