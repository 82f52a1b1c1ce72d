"""Switches for gradient recording: no_grad, enable_grad, set_grad_enabled, inference_mode.

The flag is thread-local, as in torch, so that a data-loading thread and the
training loop don't see each other's settings. Each works as a context manager
and as a decorator (``@no_grad()`` and bare ``@no_grad``)::

    >>> x = ember.ones(2, requires_grad=True)
    >>> with ember.no_grad():
    ...     y = x * 2
    >>> y.requires_grad
    False
"""
import functools
import inspect
import threading
import warnings


class _State(threading.local):
    enabled = True
    inference = False
    anomaly = False             # detect_anomaly: record forward tracebacks, check for NaN
    anomaly_check_nan = True


_state = _State()


def is_grad_enabled():
    """True when ops on tensors that require grad record a graph."""
    return _state.enabled


def is_inference_mode_enabled():
    return _state.inference


class _GradModeContext:
    """Base of the switches: a context manager that is also a decorator.

    Subclasses set ``_mode`` (the grad mode inside) and may override ``clone``.
    """

    _mode = True

    def __call__(self, func):
        if inspect.isclass(func):
            raise RuntimeError(f"{type(self).__name__} decorator cannot be applied to a class")
        if inspect.isgeneratorfunction(func):
            @functools.wraps(func)
            def generator(*args, **kwargs):
                # Each step of the generator runs in the mode, not the code between steps.
                gen = func(*args, **kwargs)
                sent = None
                while True:
                    try:
                        with self.clone():
                            value = gen.send(sent)
                    except StopIteration as stop:
                        return stop.value
                    try:
                        sent = yield value
                    except GeneratorExit:
                        gen.close()
                        raise
            return generator

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.clone():
                return func(*args, **kwargs)
        return wrapper

    def clone(self):
        return self.__class__()

    def __enter__(self):
        self._prev = _state.enabled
        _state.enabled = self._mode
        return None

    def __exit__(self, *exc):
        _state.enabled = self._prev
        return False


def _bare_decorator_aware(cls):
    """Let ``@cls`` (without parentheses) decorate a function directly."""
    def __new__(klass, orig_func=None):
        self = object.__new__(klass)
        if orig_func is not None and callable(orig_func):
            klass.__init__(self)
            return self(orig_func)
        if orig_func is not None:
            raise TypeError(f"{klass.__name__}() takes no arguments")
        return self
    cls.__new__ = __new__
    return cls


@_bare_decorator_aware
class no_grad(_GradModeContext):
    """Context manager / decorator that disables gradient recording."""

    _mode = False

    def __init__(self, orig_func=None):
        pass


@_bare_decorator_aware
class enable_grad(_GradModeContext):
    """Context manager / decorator that enables gradient recording (inside no_grad)."""

    _mode = True

    def __init__(self, orig_func=None):
        pass


class set_grad_enabled(_GradModeContext):
    """Set gradient recording on or off. Called as a function it takes effect at once;
    as a context manager it restores the previous mode on exit; as a decorator it
    applies only inside the decorated function."""

    def __init__(self, mode):
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled(): argument 'enabled' (position 1) must be "
                            f"bool, not {type(mode).__name__}")
        self._prev = _state.enabled
        self._mode = mode
        _state.enabled = mode

    def __call__(self, func):
        # Used as a decorator, the call above must not change the mode for good.
        _state.enabled = self._prev
        return super().__call__(func)

    def clone(self):
        return _Mode(self._mode)

    def __enter__(self):
        _state.enabled = self._mode
        return None

    def __exit__(self, *exc):
        _state.enabled = self._prev
        return False


class _Mode(_GradModeContext):
    """A plain context setting the grad mode (what set_grad_enabled's decorator uses)."""

    def __init__(self, mode):
        self._mode = mode

    def clone(self):
        return _Mode(self._mode)


SAVE_INFERENCE_ERROR = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in "
    "inference mode in computation tracked by autograd. To work around this, you can make a "
    "clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of "
    "`torch.inference_mode()`.")
_WRITE_INFERENCE = (
    "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a "
    "clone to get a normal tensor before doing inplace update.See "
    "https://github.com/pytorch/rfcs/pull/17 for more details.")


class _NoVersion:
    """The version counter of every inference tensor, which has none (as in torch).

    Tensors made while inference_mode is on start with it instead of None, and their
    views and detached copies share it, which is what marks them: saving such a tensor
    for backward (Node.save_for_backward) raises, as does an in-place write outside
    inference mode (Tensor._bump_version). Read as a list it says version 0, which is
    all a view of it needs to note.
    """

    __slots__ = ()

    def __getitem__(self, i):
        return 0

    def __setitem__(self, i, value):
        check_inference_write()

    def __repr__(self):
        return "NO_VERSION"


NO_VERSION = _NoVersion()


def check_inference_write():
    """An in-place write to an inference tensor: allowed in inference mode (with no
    version to bump), torch's RuntimeError outside it."""
    if not _state.inference:
        raise RuntimeError(_WRITE_INFERENCE)


def _set_new_version(vc):
    """Set the version counter that ember._tensor._make gives new tensors; returns the
    previous one. (A module global of _tensor rather than thread-local state, so that
    the hot path reads no state; unlike torch's, the marking is therefore seen by
    tensors that other threads make meanwhile, which ember itself never does.)"""
    import sys
    tensor_module = sys.modules["ember._tensor"]
    previous = tensor_module._new_version
    tensor_module._new_version = vc
    return previous


class inference_mode(_GradModeContext):
    """no_grad whose results are *inference tensors*: ``x.is_inference()`` is True for
    every tensor made inside (and its views), and autograd refuses them afterwards.

    >>> with ember.inference_mode():
    ...     y = ember.ones(2) * 2
    >>> y.is_inference(), y.requires_grad
    (True, False)
    >>> w = ember.ones(2, requires_grad=True)
    >>> w * y                                   # mul saves y for its backward
    Traceback (most recent call last):
    RuntimeError: Inference tensors cannot be saved for backward. ...

    An in-place write to an inference tensor outside the mode raises too (use
    ``y.clone()``, a normal tensor). As in torch, ``inference_mode(False)`` turns
    gradient recording on and makes normal tensors again.
    """

    def __new__(cls, mode=True):
        self = object.__new__(cls)
        if callable(mode) and not isinstance(mode, bool):
            cls.__init__(self)
            return self(mode)
        return self

    def __init__(self, mode=True):
        self._inference = bool(mode)

    def clone(self):
        return inference_mode(self._inference)

    def __enter__(self):
        self._prev = _state.enabled
        self._prev_inf = _state.inference
        # As in torch, inference_mode(False) turns grad mode on (even inside no_grad).
        _state.enabled = not self._inference
        _state.inference = self._inference
        self._prev_version = _set_new_version(NO_VERSION if self._inference else None)
        return None

    def __exit__(self, *exc):
        _state.enabled = self._prev
        _state.inference = self._prev_inf
        _set_new_version(self._prev_version)
        return False


# ------------------------------------------------------------ anomaly detection
def is_anomaly_enabled():
    return _state.anomaly


def is_anomaly_check_nan_enabled():
    return _state.anomaly_check_nan


_ANOMALY_WARNING = ("Anomaly Detection has been enabled. This mode will increase the runtime and "
                    "should only be enabled for debugging.")


class detect_anomaly(_GradModeContext):
    """Context manager / decorator for debugging backward: each node remembers the
    forward code that made it, and a backward that produces NaN raises, naming the
    node and showing where its forward ran.

    >>> with ember.autograd.detect_anomaly():
    ...     (x.sqrt() * 0).sum().backward()      # raises at SqrtBackward0 for x == 0
    """

    def __init__(self, check_nan=True):
        self._check_nan = check_nan
        warnings.warn(_ANOMALY_WARNING, UserWarning, stacklevel=2)

    def clone(self):
        new = object.__new__(detect_anomaly)
        new._check_nan = self._check_nan
        return new

    def __enter__(self):
        self._prev = (_state.anomaly, _state.anomaly_check_nan)
        _state.anomaly, _state.anomaly_check_nan = True, self._check_nan
        return None

    def __exit__(self, *exc):
        _state.anomaly, _state.anomaly_check_nan = self._prev
        return False


class set_detect_anomaly(_GradModeContext):
    """Turn anomaly detection on or off: at once when called, or for a ``with`` block."""

    def __init__(self, mode, check_nan=True):
        self._prev = (_state.anomaly, _state.anomaly_check_nan)
        self._mode = (bool(mode), check_nan)
        _state.anomaly, _state.anomaly_check_nan = self._mode

    def clone(self):
        return set_detect_anomaly(*self._mode)

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        _state.anomaly, _state.anomaly_check_nan = self._prev
        return False


def is_inference(input):
    """``input.is_inference()`` (torch.is_inference): whether it was made in inference mode.

    >>> with ember.inference_mode():
    ...     x = ember.ones(1)
    >>> ember.is_inference(x)
    True
    """
    if not hasattr(input, "_vc"):
        raise TypeError(f"is_inference(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    return input._vc is NO_VERSION
