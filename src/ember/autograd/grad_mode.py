"""Switches for gradient recording: no_grad, enable_grad, set_grad_enabled, inference_mode.

The flag is thread-local, as in torch, so that a data-loading thread and the
training loop don't see each other's settings. Each works as a context manager
and as a decorator::

    >>> x = ember.ones(2, requires_grad=True)
    >>> with ember.no_grad():
    ...     y = x * 2
    >>> y.requires_grad
    False
"""
import functools
import threading


class _State(threading.local):
    enabled = True
    inference = False


_state = _State()


def is_grad_enabled():
    """True when ops on tensors that require grad record a graph."""
    return _state.enabled


def is_inference_mode_enabled():
    return _state.inference


class _GradModeContext:
    """Base of the switches: a context manager that is also a decorator."""

    def __call__(self, func):
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

    def __exit__(self, *exc):
        _state.enabled = self._prev
        return False


class no_grad(_GradModeContext):
    """Context manager / decorator that disables gradient recording."""

    _mode = False

    def __new__(cls, func=None):
        self = super().__new__(cls)
        # Allow the bare decorator form ``@no_grad`` as well as ``@no_grad()``.
        if callable(func):
            self.__init__()
            return self(func)
        return self


class enable_grad(_GradModeContext):
    """Context manager / decorator that enables gradient recording (inside no_grad)."""

    _mode = True

    def __new__(cls, func=None):
        self = super().__new__(cls)
        if callable(func):
            self.__init__()
            return self(func)
        return self


class set_grad_enabled(_GradModeContext):
    """Set gradient recording on or off; takes effect at once, and as a context manager
    restores the previous mode on exit."""

    def __init__(self, mode):
        self._mode = bool(mode)
        self._prev = _state.enabled
        _state.enabled = self._mode

    def clone(self):
        return set_grad_enabled(self._mode)

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        _state.enabled = self._prev
        return False


class inference_mode(_GradModeContext):
    """Like no_grad (ember keeps no extra inference-only fast path: no_grad is already
    as cheap as bare NumPy)."""

    def __init__(self, mode=True):
        self._mode = not mode
        self._inference = bool(mode)

    def __new__(cls, mode=True):
        self = super().__new__(cls)
        if callable(mode):
            self.__init__()
            return self(mode)
        return self

    def clone(self):
        return inference_mode(self._inference)

    def __enter__(self):
        self._prev = _state.enabled
        self._prev_inf = _state.inference
        _state.enabled = self._mode
        _state.inference = self._inference

    def __exit__(self, *exc):
        _state.enabled = self._prev
        _state.inference = self._prev_inf
        return False
