"""The barest autograd with torch's API: a yardstick for the per-op workloads.

The NumPy floors (benchmarks/floors.py) do a workload's arithmetic with no
framework at all. This module is the other end of the question "how fast could
a Python framework over NumPy be?": the least a framework must do to run the
workloads' own code unchanged (``benchmarks/workloads.py``, written against
torch's API) with a general reverse-mode graph. Each op wraps its NumPy result
in a Tensor and, when a gradient is needed, records its inputs and a closure
that maps the output's gradient to theirs; ``backward`` orders the graph
depth-first and runs the closures newest first, summing gradients that meet.

Everything else a framework with torch's semantics does is left out on purpose:
no dtype promotion or argument checks, no version counters (an in-place change
of a saved tensor goes unnoticed), no views, hooks, retain_graph or
create_graph, no silencing of NumPy's floating point warnings, no grad_fn
objects to inspect. It covers only the workloads in ``SUPPORTED``; the
benchmark table prints its time over torch's as ``tape/torch``, and
``tests/benchmarks/test_tape.py`` checks that it computes what ember computes.

    >>> from benchmarks import tape
    >>> x = tape.tensor(np.arange(3, dtype=np.float32), requires_grad=True)
    >>> (2 * tape.dot(x, x)).backward(); x.grad.numpy()
    array([0., 4., 8.], dtype=float32)
"""
import numpy as np

SUPPORTED = ([f"op_{op}_{n}" for op in ("add", "mul", "dot", "sum") for n in (3, 100)]
             + ["fwd_bwd_2dotxx_3", "fwd_bwd_2dotxx_100", "linreg_scratch"])

_grad_enabled = [True]


class no_grad:
    def __enter__(self):
        self.prev, _grad_enabled[0] = _grad_enabled[0], False

    def __exit__(self, *exc):
        _grad_enabled[0] = self.prev


class Tensor:
    __slots__ = ("data", "requires_grad", "grad", "parents", "backward_fn")
    __array_priority__ = 1000

    def __init__(self, data, requires_grad=False):
        self.data = data
        self.requires_grad = requires_grad
        self.grad = None
        self.parents = ()           # the inputs of the op that made this tensor
        self.backward_fn = None     # grad of this -> grads of the parents (None: not needed)

    def numpy(self):
        return np.asarray(self.data)

    def detach(self):
        return Tensor(self.data)

    def item(self):
        return self.data.item()

    # ------------------------------------------------------------------ ops
    def __add__(self, other):
        a, b = self.data, other.data
        return _result(a + b, (self, other),
                       lambda g: (_unbroadcast(g, a.shape) if self.requires_grad else None,
                                  _unbroadcast(g, b.shape) if other.requires_grad else None))

    def __sub__(self, other):
        a, b = self.data, other.data
        return _result(a - b, (self, other),
                       lambda g: (_unbroadcast(g, a.shape) if self.requires_grad else None,
                                  -_unbroadcast(g, b.shape) if other.requires_grad else None))

    def __mul__(self, other):
        if isinstance(other, Tensor):
            a, b = self.data, other.data
            return _result(a * b, (self, other), lambda g: (
                _unbroadcast(g * b, a.shape) if self.requires_grad else None,
                _unbroadcast(g * a, b.shape) if other.requires_grad else None))
        return _result(self.data * other, (self,), lambda g: (g * other,))

    __rmul__ = __mul__

    def __truediv__(self, number):
        return _result(self.data / number, (self,), lambda g: (g / number,))

    def __pow__(self, number):
        a = self.data
        return _result(a ** number, (self,), lambda g: (g * number * a ** (number - 1),))

    def __getitem__(self, index):
        rows, shape = index.data, self.data.shape

        def backward(g):
            full = np.zeros(shape, g.dtype)
            np.add.at(full, rows, g)
            return (full,)
        return _result(self.data[rows], (self,), backward)

    def sum(self):
        shape = self.data.shape
        return _result(np.asarray(self.data.sum()), (self,),
                       lambda g: (np.full(shape, g, g.dtype),))

    def mean(self):
        shape, n = self.data.shape, self.data.size
        return _result(np.asarray(self.data.mean()), (self,),
                       lambda g: (np.full(shape, g / n, g.dtype),))

    def __isub__(self, other):
        self.data -= other.data
        return self

    def zero_(self):
        self.data.fill(0)
        return self

    # ------------------------------------------------------------- backward
    def backward(self):
        order, seen = [], set()
        _visit(self, order, seen)
        grads = {self: np.ones_like(self.data)}
        for t in reversed(order):           # outputs before the inputs they came from
            g = grads.pop(t)
            if t.backward_fn is None:       # a leaf: accumulate into .grad
                if t.grad is None:
                    t.grad = Tensor(g.copy())   # (g may be shared with another leaf)
                else:
                    t.grad.data += g
                continue
            for parent, pg in zip(t.parents, t.backward_fn(g)):
                if pg is not None:
                    grads[parent] = grads[parent] + pg if parent in grads else pg
            t.parents, t.backward_fn = (), None     # free the graph, as torch does


def _visit(t, order, seen):
    """Depth-first post-order of the tensors that require grad (inputs first)."""
    seen.add(t)
    for p in t.parents:
        if p.requires_grad and p not in seen:
            _visit(p, order, seen)
    order.append(t)


def _result(data, parents, backward_fn):
    out = Tensor(data)
    if _grad_enabled[0]:
        for p in parents:
            if p.requires_grad:
                out.requires_grad, out.parents, out.backward_fn = True, parents, backward_fn
                break
    return out


def _unbroadcast(g, shape):
    """Sum a gradient down to the shape of the input it belongs to."""
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, n in enumerate(shape)
                                      if n == 1 and g.shape[lead + i] != 1)
    return g.sum(axis=axes).reshape(shape)


def tensor(data, requires_grad=False):
    return Tensor(np.array(data), requires_grad)


def zeros(n, requires_grad=False):
    return Tensor(np.zeros(n, np.float32), requires_grad)


def dot(a, b):
    x, y = a.data, b.data
    return _result(np.asarray(x.dot(y)), (a, b), lambda g: (
        g * y if a.requires_grad else None, g * x if b.requires_grad else None))


def matmul(a, b):
    x, y = a.data, b.data
    return _result(x @ y, (a, b), lambda g: (
        g @ y.T if a.requires_grad else None, x.T @ g if b.requires_grad else None))
