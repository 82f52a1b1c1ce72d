"""The array-module seam.

All array maths in ember goes through NumPy's API. A GPU backend only needs to
supply a module with the same API (CuPy does) and map devices to it here;
nothing else in ember names ``numpy`` for computation on tensor data.
"""
import functools

import numpy

xp = numpy


def array_module(device=None):
    """The array module holding data for ``device`` (NumPy for the CPU)."""
    return numpy


# ------------------------------------------------------ floating point errors
# torch gives inf and nan without a word, NumPy warns: ops run with NumPy's error
# reporting off. NumPy >= 2 keeps that state in a context variable (per thread
# and per context); np.errstate builds a new state on every entry, while setting
# the variable to one "ignore all" state built once costs a quarter as much
# (~0.2 µs against ~0.8, which matters to an op on 3 elements). Resetting the
# token restores whatever was there, so nesting and threads behave as with
# np.errstate.
try:
    from numpy._core._ufunc_config import _extobj_contextvar as _np_err_state
    from numpy._core._ufunc_config import _make_extobj

    # fp_errors_off() turns NumPy's floating point warnings off and returns a token;
    # fp_errors_restore(token) puts back what was there. (Bound C callables: every
    # small op calls them, and a Python function around each would double the cost.)
    fp_errors_off = functools.partial(_np_err_state.set, _make_extobj(all="ignore"))
    fp_errors_restore = _np_err_state.reset
except (ImportError, AttributeError, TypeError):    # older NumPy: np.errstate itself
    def fp_errors_off():
        """Turn NumPy's floating point warnings off; returns what fp_errors_restore takes."""
        state = numpy.errstate(all="ignore")
        state.__enter__()
        return state

    def fp_errors_restore(token):
        token.__exit__(None, None, None)


class fp_errors_silenced:
    """``with fp_errors_silenced(): ...``: NumPy's floating point warnings off inside
    (fp_errors_off/restore as a context; ~0.15 us where np.errstate costs ~0.7)."""

    __slots__ = ("_token",)

    def __enter__(self):
        self._token = fp_errors_off()

    def __exit__(self, *exc_info):
        fp_errors_restore(self._token)
