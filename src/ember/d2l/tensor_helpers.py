"""The book's framework-neutral tensor helpers: ``d2l.numpy(x)``, ``d2l.reshape(x, ...)``, ...

The book calls these instead of torch methods so the same text runs on every
framework. Plain aliases of ember functions (``d2l.ones``, ``d2l.concat``, ...)
are looked up when first used, so a helper whose ember function is still
missing fails with a clear ``AttributeError`` only when called for.

    >>> x = d2l.arange(6, dtype=d2l.float32)
    >>> d2l.numpy(d2l.reshape(x, (2, 3))).sum()
    15.0
"""
import ember

__all__ = [
    # method-style helpers, written out
    "numpy", "size", "reshape", "to", "reduce_sum", "reduce_mean", "argmax", "astype",
    "transpose", "expand_dims", "swapaxes", "repeat",
    # devices (ember runs on the CPU)
    "cpu", "gpu", "num_gpus", "try_gpu", "try_all_gpus",
]

# book name -> ember (torch) name; resolved lazily by __getattr__ below
ALIASES = {
    "ones_like": "ones_like", "ones": "ones", "zeros_like": "zeros_like", "zeros": "zeros",
    "tensor": "tensor", "arange": "arange", "meshgrid": "meshgrid", "sin": "sin",
    "sinh": "sinh", "cos": "cos", "cosh": "cosh", "tanh": "tanh", "linspace": "linspace",
    "exp": "exp", "log": "log", "normal": "normal", "rand": "rand", "randn": "randn",
    "matmul": "matmul", "int32": "int32", "int64": "int64", "float32": "float32",
    "concat": "cat", "stack": "stack", "abs": "abs", "eye": "eye", "sigmoid": "sigmoid",
    "batch_matmul": "bmm",
}
__all__ += list(ALIASES)


def __getattr__(name):
    if name in ALIASES:
        try:
            return getattr(ember, ALIASES[name])
        except AttributeError:
            raise AttributeError(f"d2l.{name} needs ember.{ALIASES[name]}, which ember does "
                                 f"not provide yet") from None
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def numpy(x, *args, **kwargs):
    """A NumPy array with ``x``'s values (detached from autograd)."""
    return x.detach().numpy(*args, **kwargs)


def size(x, *args, **kwargs):
    """Number of elements of ``x``."""
    return x.numel(*args, **kwargs)


def reshape(x, *args, **kwargs):
    return x.reshape(*args, **kwargs)


def to(x, *args, **kwargs):
    return x.to(*args, **kwargs)


def reduce_sum(x, *args, **kwargs):
    return x.sum(*args, **kwargs)


def reduce_mean(x, *args, **kwargs):
    return x.mean(*args, **kwargs)


def argmax(x, *args, **kwargs):
    return x.argmax(*args, **kwargs)


def astype(x, *args, **kwargs):
    """Cast ``x`` to a dtype: ``d2l.astype(x, d2l.float32)``."""
    return x.type(*args, **kwargs)


def transpose(x, *args, **kwargs):
    return x.t(*args, **kwargs)


def expand_dims(x, *args, **kwargs):
    return x.unsqueeze(*args, **kwargs)


def swapaxes(x, *args, **kwargs):
    return x.swapaxes(*args, **kwargs)


def repeat(x, *args, **kwargs):
    return x.repeat(*args, **kwargs)


def cpu():
    """The CPU device."""
    return ember.device("cpu")


def gpu(i=0):
    """The i-th GPU device (ember has none yet; see ``try_gpu``)."""
    return ember.device(f"cuda:{i}")


def num_gpus():
    """Number of GPUs ember can use: 0, since ember computes with NumPy on the CPU."""
    return 0


def try_gpu(i=0):
    """The i-th GPU if it exists, else the CPU (always the CPU on ember)."""
    return gpu(i) if num_gpus() >= i + 1 else cpu()


def try_all_gpus():
    """All usable GPUs, or ``[cpu()]`` when there are none."""
    return [gpu(i) for i in range(num_gpus())] or [cpu()]
