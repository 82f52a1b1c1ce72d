"""torch's process-wide runtime switches: thread counts, deterministic algorithms, the
default device, warn-always and flush-denormal.

Course code calls these at the top of a notebook; each keeps torch's signature, return
value and errors, and says plainly where ember cannot do what the switch asks::

    >>> ember.use_deterministic_algorithms(True)
    >>> ember.are_deterministic_algorithms_enabled()
    True

Where the setting takes effect in ember:

* thread counts: ember computes with NumPy, whose BLAS thread pool is sized once, when
  NumPy loads, from an environment variable (``OPENBLAS_NUM_THREADS``, ``MKL_NUM_THREADS``
  or ``OMP_NUM_THREADS``). ``set_num_threads(n)`` records n (``get_num_threads()`` then
  returns it, as in torch) but cannot resize that pool, so it warns once when n differs
  from the pool's size. ember has no inter-op pool at all; its count is only recorded.
* deterministic algorithms: every ember op is deterministic on the CPU, so the flags are
  only recorded and read back.
* the default device: only the CPU exists, so only a CPU device is accepted.
* float32 matmul precision: NumPy multiplies float32 matrices in full float32 (no
  TF32 or bfloat16 shortcut), which is 'highest'; 'high' and 'medium' are recorded and
  read back, as on a CPU torch, where they change nothing either.
* flush denormal: NumPy offers no way to flush denormals to zero, so asking for it
  returns False (torch's answer where it is unsupported) with a warning.
"""
import builtins
import os
import warnings

import numpy as np

from ._device import device as _device_class, to_device

__all__ = ["get_num_threads", "set_num_threads", "get_num_interop_threads",
           "set_num_interop_threads", "use_deterministic_algorithms",
           "are_deterministic_algorithms_enabled", "is_deterministic_algorithms_warn_only_enabled",
           "set_deterministic_debug_mode", "get_deterministic_debug_mode", "set_default_device",
           "get_default_device", "set_warn_always", "is_warn_always_enabled",
           "set_flush_denormal", "set_float32_matmul_precision",
           "get_float32_matmul_precision", "set_anomaly_enabled", "init_num_threads"]


def _type_name(value):
    from .ops._common import _type_name as name   # (ops imports ember's core; import late)
    return name(value)


def _builtin_arguments(name, args, kwargs, count):
    """Check a call the way torch's C functions do: positional only, exactly ``count``."""
    if kwargs:
        raise TypeError(f"{name}() takes no keyword arguments")
    if len(args) != count:
        wanted = "no arguments" if count == 0 else "exactly one argument"
        raise TypeError(f"{name}() takes {wanted} ({len(args)} given)")
    return args


# ------------------------------------------------------------------------- threads
# Environment variables that size each BLAS's thread pool, in the order it reads them.
_BLAS_THREAD_VARIABLES = {"openblas": ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS",
                                       "OMP_NUM_THREADS"),
                          "mkl": ("MKL_NUM_THREADS", "OMP_NUM_THREADS"),
                          "accelerate": ("VECLIB_MAXIMUM_THREADS",)}


def _blas_name():
    try:
        config = np.show_config(mode="dicts")       # (NumPy >= 1.26)
        return config["Build Dependencies"]["blas"]["name"].lower()
    except Exception:                                # older NumPy: assume the usual OpenBLAS
        return "openblas"


def _cores():
    """The CPUs this process may run on (a container's limit, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):                # (not on macOS or Windows)
        return os.cpu_count() or 1


def _blas_threads():
    """The size of NumPy's BLAS pool, fixed at start-up: its environment variable if set to
    a positive number, else one thread per core (each BLAS's default), and never more than
    the cores (OpenBLAS, like torch, ignores a larger request)."""
    name = _blas_name()
    variables = next((v for key, v in _BLAS_THREAD_VARIABLES.items() if key in name),
                     _BLAS_THREAD_VARIABLES["openblas"])
    for variable in variables:
        value = os.environ.get(variable, "").strip()
        if value.isdigit() and int(value) > 0:
            return min(int(value), _cores()), variable
    return _cores(), variables[0]


class _State:
    """The recorded settings (one per process, as torch's)."""

    def __init__(self):
        self.blas_threads, self.blas_variable = _blas_threads()
        self.num_threads = self.blas_threads
        self.num_interop_threads = _cores()
        self.interop_set = False
        self.threads_warned = False
        self.deterministic = False
        self.deterministic_warn_only = False
        self.default_device = None                 # None: the CPU, unindexed
        self.warn_always = False
        self.matmul_precision = "highest"

    def snapshot(self):
        return dict(vars(self))

    def restore(self, snapshot):
        vars(self).update(snapshot)


_state = _State()


def _thread_count(name, n):
    if isinstance(n, builtins.bool) or not isinstance(n, (builtins.int, np.integer)):
        raise RuntimeError(f"{name} expects an int, but got {_type_name(n)}")
    # (torch reads a C long long, then narrows it to the int it stores)
    if not -2**63 <= n < 2**63:
        raise ValueError("Overflow when unpacking long long")
    if not -2**31 <= n < 2**31:
        raise ValueError("Overflow when unpacking long")
    if n < 1:
        raise RuntimeError(f"{name} expects a positive integer")
    return builtins.int(n)


def get_num_threads(*args, **kwargs):
    """The number of threads for intra-op parallelism: what ``set_num_threads`` set, else
    the size of NumPy's BLAS pool, fixed at start-up (its environment variable, e.g.
    ``OPENBLAS_NUM_THREADS``, else one per core; at most one per core).

    >>> ember.get_num_threads()     # doctest: +SKIP
    2
    """
    _builtin_arguments("get_num_threads", args, kwargs, 0)
    return _state.num_threads


def set_num_threads(*args, **kwargs):
    """Record the number of intra-op threads: ``ember.set_num_threads(1)``.

    ``get_num_threads()`` returns it afterwards, as in torch. NumPy's BLAS pool cannot be
    resized once NumPy has loaded, so a count other than its size warns (once, or every
    time under ``set_warn_always(True)``): set the environment variable before Python
    starts instead, e.g. ``OPENBLAS_NUM_THREADS=1 python train.py``.
    """
    (n,) = _builtin_arguments("set_num_threads", args, kwargs, 1)
    n = _thread_count("set_num_threads", n)
    _state.num_threads = n
    if n != _state.blas_threads and (_state.warn_always or not _state.threads_warned):
        _state.threads_warned = True
        warnings.warn(
            f"set_num_threads({n}) is recorded (get_num_threads() returns {n}) but does not "
            f"change how many threads ember computes with: NumPy's BLAS thread pool was sized "
            f"at start-up ({_state.blas_threads} threads) and cannot be resized. Set "
            f"{_state.blas_variable}={n} in the environment before starting Python instead.",
            UserWarning, stacklevel=2)


def get_num_interop_threads(*args, **kwargs):
    """The number of inter-op threads: what ``set_num_interop_threads`` set, else one per
    core (as torch's default). ember runs ops one after another, so nothing uses it."""
    _builtin_arguments("get_num_interop_threads", args, kwargs, 0)
    return _state.num_interop_threads


def set_num_interop_threads(*args, **kwargs):
    """Record the number of inter-op threads, once per process as in torch (a second call
    is torch's RuntimeError). ember has no inter-op pool; the number is only read back."""
    (n,) = _builtin_arguments("set_num_interop_threads", args, kwargs, 1)
    n = _thread_count("set_num_interop_threads", n)
    if _state.interop_set:
        raise RuntimeError("Error: cannot set number of interop threads after parallel work "
                           "has started or set_num_interop_threads called")
    _state.interop_set = True
    _state.num_interop_threads = n


# ---------------------------------------------------------- deterministic algorithms
def _bool_argument(name, value, position=None):
    if not isinstance(value, builtins.bool):
        where = f" (position {position})" if position else ""
        raise TypeError(f"_set_deterministic_algorithms(): argument '{name}'{where} must be "
                        f"bool, not {_type_name(value)}")


def use_deterministic_algorithms(mode, *, warn_only=False):
    """Ask for deterministic algorithms: ``ember.use_deterministic_algorithms(True)``.

    Every ember op is deterministic already (NumPy on the CPU, no atomics), so this only
    records the flags that ``are_deterministic_algorithms_enabled()`` and
    ``is_deterministic_algorithms_warn_only_enabled()`` read back.
    """
    _bool_argument("mode", mode, position=1)
    _bool_argument("warn_only", warn_only)
    _state.deterministic = mode
    _state.deterministic_warn_only = warn_only


def are_deterministic_algorithms_enabled():
    """True after ``use_deterministic_algorithms(True)``."""
    return _state.deterministic


def is_deterministic_algorithms_warn_only_enabled():
    """The ``warn_only`` last given to ``use_deterministic_algorithms``."""
    return _state.deterministic_warn_only


_DEBUG_MODES = {"default": 0, "warn": 1, "error": 2}


def set_deterministic_debug_mode(debug_mode):
    """Another spelling of ``use_deterministic_algorithms``: "default" or 0 (off), "warn"
    or 1 (on, warn only), "error" or 2 (on)."""
    if not isinstance(debug_mode, (builtins.int, str)):
        raise TypeError(f"debug_mode must be str or int, but got {type(debug_mode)}")
    if isinstance(debug_mode, str):
        if debug_mode not in _DEBUG_MODES:
            raise RuntimeError("invalid value of debug_mode, expected one of `default`, "
                               f"`warn`, `error`, but got {debug_mode}")
        debug_mode = _DEBUG_MODES[debug_mode]
    if debug_mode in (0, 1, 2):
        # (each mode sets both flags, as use_deterministic_algorithms(mode, warn_only=...))
        _state.deterministic, _state.deterministic_warn_only = debug_mode > 0, debug_mode == 1
    else:
        raise RuntimeError(
            f"invalid value of debug_mode, expected 0, 1, or 2, but got {debug_mode}")


def get_deterministic_debug_mode():
    """0, 1 or 2, as ``set_deterministic_debug_mode`` takes them."""
    if not _state.deterministic:
        return 0
    return 1 if _state.deterministic_warn_only else 2


# ------------------------------------------------------------------- default device
def set_default_device(device):
    """Set the device new tensors go to: ``ember.set_default_device('cpu')``. Only the CPU
    exists, so another device raises the error ``ember.ones(1, device=...)`` gives (torch
    raises it later, at the first tensor made). None restores the default."""
    if device is None:
        _state.default_device = None
        return
    to_device(device)                    # the CPU, or device()'s and to_device's errors
    _state.default_device = device if isinstance(device, _device_class) else \
        _device_class(device)


def get_default_device():
    """The device new tensors go to: ``device(type='cpu')``, with the index if one was set
    (``set_default_device('cpu:0')``)."""
    chosen = _state.default_device
    return chosen if chosen is not None and chosen.index is not None else _device_class("cpu")


# ------------------------------------------------------------------ warnings, denormals
def set_warn_always(b, /):
    """Make warnings that are given once per process appear every time (``b=True``)."""
    if not isinstance(b, builtins.bool):
        raise RuntimeError(f"setWarnOnlyOnce expects a bool, but got {_type_name(b)}")
    _state.warn_always = b


def is_warn_always_enabled():
    """True after ``set_warn_always(True)``."""
    return _state.warn_always


def set_flush_denormal(*args, **kwargs):
    """Whether to flush denormal floats to zero; returns True if the setting took effect.

    NumPy has no switch for the CPU's flush-to-zero mode, so ember always keeps denormals:
    ``set_flush_denormal(False)`` returns True (that is the state) and
    ``set_flush_denormal(True)`` returns False (torch's answer on CPUs that cannot), with a
    warning, since code that asks for it expects ``tensor([1e-323], dtype=float64)`` to
    become 0.
    """
    (mode,) = _builtin_arguments("set_flush_denormal", args, kwargs, 1)
    if not isinstance(mode, builtins.bool):
        raise RuntimeError(f"flush_denormal expects a bool, but got {_type_name(mode)}")
    if mode:
        warnings.warn("set_flush_denormal(True) has no effect in ember and returns False: "
                      "NumPy offers no way to flush denormal numbers to zero, so they are "
                      "kept", UserWarning, stacklevel=2)
    return not mode


def init_num_threads(*args, **kwargs):
    """Give the calling thread the counts ``set_num_threads`` set. ember's NumPy pool is
    shared by all threads, so there is nothing to do; returns None, as torch."""
    if args or kwargs:
        given = ", ".join(repr(a) for a in args)
        if kwargs:
            named = "kwargs: " + ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
            given = f"{given}; {named}" if given else named
        raise TypeError("init_num_threads(): incompatible function arguments. The following "
                        "argument types are supported:\n    1. () -> None\n\nInvoked with: "
                        + given)


# ----------------------------------------------------------- float32 matmul precision
_MATMUL_PRECISIONS = ("highest", "high", "medium")


def set_float32_matmul_precision(precision):
    """Record the precision float32 matmuls may use: 'highest' (the default), 'high' or
    'medium'. NumPy always multiplies float32 in full float32, so only
    ``get_float32_matmul_precision()`` sees the change (as on a CPU torch). Another
    string warns and changes nothing, as in torch.

    >>> ember.set_float32_matmul_precision("high")
    >>> ember.get_float32_matmul_precision()
    'high'
    """
    if isinstance(precision, bytes):            # (torch's C argument takes bytes as a str)
        precision = precision.decode("utf-8", "replace")
    if not isinstance(precision, str):
        raise RuntimeError(f"set_float32_matmul_precision expects a str, but got "
                           f"{_type_name(precision)}")
    if precision not in _MATMUL_PRECISIONS:
        # (torch's text, its missing space included)
        warnings.warn(f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
                      f"setFloat32MatmulPrecision call has no effect.", UserWarning,
                      stacklevel=2)
        return
    _state.matmul_precision = precision


def get_float32_matmul_precision():
    """The precision last given to ``set_float32_matmul_precision``: 'highest' unless set."""
    return _state.matmul_precision


# ------------------------------------------------------------------ anomaly detection
def set_anomaly_enabled(*args, **kwargs):
    """Turn anomaly detection on or off for the rest of the program (what
    ``autograd.set_detect_anomaly(mode, check_nan)`` does when called):
    ``ember.set_anomaly_enabled(True)``; ``is_anomaly_enabled()`` reads it back. Both
    arguments must be bools, as torch's.
    """
    from .autograd.grad_mode import _state as grad_state     # (autograd imports late)
    names = ("enabled", "check_nan")
    unknown = set(kwargs) - set(names)
    if unknown:
        raise TypeError(f"set_anomaly_enabled() got an unexpected keyword argument "
                        f"'{sorted(unknown)[0]}'")
    if len(args) > 2:
        raise TypeError(f"set_anomaly_enabled() takes from 1 to 2 positional arguments but "
                        f"{len(args)} were given")
    values = dict(zip(names, args))
    for name in kwargs:
        if name in values:
            raise TypeError(f"set_anomaly_enabled() got multiple values for argument '{name}'")
    values.update(kwargs)
    if "enabled" not in values:
        raise TypeError('set_anomaly_enabled() missing 1 required positional arguments: '
                        '"enabled"')
    values.setdefault("check_nan", True)
    for position, name in enumerate(names, 1):
        if not isinstance(values[name], builtins.bool):
            raise TypeError(f"set_anomaly_enabled(): argument '{name}' (position {position}) "
                            f"must be bool, not {_type_name(values[name])}")
    grad_state.anomaly = values["enabled"]
    grad_state.anomaly_check_nan = values["check_nan"]
