"""Saving a constructor's arguments as attributes, and adding methods to a class later.

The D2L book writes its classes in pieces, one method per notebook cell, and
keeps every ``__init__`` short by storing the arguments in one call:

    >>> class Board(HyperParameters):
    ...     def __init__(self, xlabel=None, ylabel=None, _private=0):
    ...         self.save_hyperparameters()
    >>> Board(xlabel="epoch").xlabel
    'epoch'
"""
import inspect

__all__ = ["HyperParameters", "add_to_class"]


def add_to_class(Class):
    """Decorator that attaches the decorated function to ``Class`` as a method.

        >>> class A: pass
        >>> @add_to_class(A)
        ... def hello(self): return "hi"
        >>> A().hello()
        'hi'
    """
    def wrapper(obj):
        setattr(Class, obj.__name__, obj)
        return obj
    return wrapper


class HyperParameters:
    """Base class whose ``save_hyperparameters`` stores the caller's arguments."""

    def save_hyperparameters(self, ignore=()):
        """Store every argument of the calling function as ``self.<name>``.

        Reads the caller's frame, so it must be called directly from the
        ``__init__`` (or other method) whose arguments should be saved. As in
        the book, every local variable defined at that point is saved (at the
        top of ``__init__`` those are exactly the arguments); names in
        ``ignore``, ``self`` and names starting with ``_`` are skipped. The
        saved values are also collected in ``self.hparams``.
        """
        frame = inspect.currentframe().f_back
        try:
            local_vars = dict(frame.f_locals)
        finally:
            del frame  # break the frame -> locals reference cycle promptly
        skipped = set(ignore) | {"self"}
        self.hparams = {name: value for name, value in local_vars.items()
                        if name not in skipped and not name.startswith("_")}
        for name, value in self.hparams.items():
            setattr(self, name, value)
