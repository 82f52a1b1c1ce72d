"""Run code written for PyTorch on ember: after ``as_torch()``, ``import torch`` gives ember.

In a notebook, before any ``import torch``:

    >>> import ember.compat
    >>> ember.compat.as_torch()
    >>> import torch, torch.nn as nn     # ember, under torch's names
    >>> torch.ones(2)
    tensor([1., 1.])
    >>> ember.compat.restore()           # back to the real torch (if installed)

From a shell, ``ember run train.py --epochs 3`` does the same for a script
(see :func:`run_script`). Only this process is affected; nothing is installed
or patched on disk.
"""
import os
import runpy
import sys
import warnings

from .alias import TorchAlias, TorchAliasFinder, is_alias_name

__all__ = ["as_torch", "restore", "is_active", "run_script"]

_finder = None            # the installed TorchAliasFinder, when active
_displaced_modules = {}   # real torch modules taken out of sys.modules by as_torch()


def is_active():
    """True while ``import torch`` resolves to ember."""
    return _finder is not None


def as_torch(_context="via ember.compat.as_torch()"):
    """Make ``import torch`` (and every ``torch.*`` submodule) resolve to ember.

    Idempotent. If the real torch was imported before, its modules are set
    aside (``restore()`` puts them back) and a warning says so, because names
    already bound to it, such as a ``torch`` variable, keep pointing at it.
    """
    global _finder
    if _finder is not None:
        return
    real = {name: module for name, module in sys.modules.items()
            if is_alias_name(name) and not isinstance(module, TorchAlias)}
    if real:
        warnings.warn(
            "ember.compat.as_torch(): the real torch was already imported; names bound "
            "to it earlier (e.g. a `torch` variable) still point to it. Run "
            "`import torch` again after as_torch() to get ember.", UserWarning, stacklevel=2)
        for name in real:
            del sys.modules[name]
        _displaced_modules.update(real)
    _finder = TorchAliasFinder(_context)
    sys.meta_path.insert(0, _finder)


def restore():
    """Undo :func:`as_torch`: ``import torch`` finds the real torch again (if installed)."""
    global _finder
    if _finder is None:
        return
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    _finder = None
    for name in [n for n, m in sys.modules.items() if isinstance(m, TorchAlias)]:
        del sys.modules[name]
    sys.modules.update(_displaced_modules)
    _displaced_modules.clear()


def run_script(path, args=()):
    """Run the Python file ``path`` as ``__main__`` with ``torch`` resolving to ember.

    ``sys.argv`` becomes ``[path, *args]`` and ``sys.path[0]`` the script's
    folder, as ``python path args...`` would set them. Returns the script's
    globals; exceptions (``SystemExit`` included) propagate.
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"ember run: can't open file {path!r}: no such file")
    as_torch(_context="via `ember run`")
    sys.argv = [path, *args]
    script_dir = os.path.dirname(os.path.abspath(path))
    if sys.path:
        sys.path[0] = script_dir
    else:
        sys.path.insert(0, script_dir)
    return runpy.run_path(path, run_name="__main__")
