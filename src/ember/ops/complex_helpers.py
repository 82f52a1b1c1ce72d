"""torch's complex-number helpers, for ember's real dtypes (ember has no complex dtypes).

Course code calls these on real tensors too (``x.conj()`` inside a generic formula,
``torch.angle`` as a sign test); for a real tensor torch's answers are simple and ember
gives the same ones::

    >>> x = ember.tensor([1., -2.])
    >>> ember.conj(x) is x              # a real number is its own conjugate
    True
    >>> ember.angle(x)
    tensor([0.0000, 3.1416])

``imag``, ``view_as_real`` raise torch's errors for real input, and the functions that
make a complex tensor (``complex``, ``polar``, ``view_as_complex``) raise a
RuntimeError saying ember cannot hold one (after torch's own checks of their inputs).
"""
import math

import numpy as np

from .. import _dtypes
from .._tensor import _make
from ..autograd.graph import record
from ._common import bind
from .pointwise import _zero_backward, check_inplace, _maybe_out
from .predicates import _ABSENT, _tensor_argument

__all__ = ["conj", "conj_physical", "conj_physical_", "resolve_conj", "resolve_neg",
           "is_conj", "is_neg", "real", "imag", "angle", "view_as_real", "view_as_complex",
           "complex", "polar"]


def _input(fname, input):
    return _tensor_argument(fname, "input", input, 1)


# ------------------------------------------------ conjugation: the identity on reals
def conj(input=_ABSENT):
    """The complex conjugate; a real tensor is its own, so ``input`` itself is returned
    (as torch does: ``ember.conj(x) is x``)."""
    return _input("conj", input)


def conj_physical(input=_ABSENT):
    """The conjugate, materialised; for a real tensor, ``input`` itself (as torch)."""
    return _input("conj_physical", input)


def conj_physical_(input=_ABSENT):
    """In-place ``conj_physical``: nothing changes in a real tensor; returns ``input``. As
    any in-place op, refused on a leaf that requires grad."""
    check_inplace(_input("conj_physical_", input))
    return input


def resolve_conj(input=_ABSENT):
    """Materialise a lazy conjugation; ember has none, so ``input`` itself."""
    return _input("resolve_conj", input)


def resolve_neg(input=_ABSENT):
    """Materialise a lazy negation; ember has none, so ``input`` itself."""
    return _input("resolve_neg", input)


def is_conj(input=_ABSENT):
    """Whether ``input`` is a lazily conjugated view: never in ember (False)."""
    _input("is_conj", input)
    return False


def is_neg(input=_ABSENT):
    """Whether ``input`` is a lazily negated view: never in ember (False)."""
    _input("is_neg", input)
    return False


# ------------------------------------------------------------ real and imaginary parts
def real(input=_ABSENT):
    """The real part: for a real tensor, ``input`` itself (``ember.real(x) is x``)."""
    return _input("real", input)


def imag(input=_ABSENT):
    """The imaginary part, which torch refuses for real tensors (rather than give zeros):
    always torch's RuntimeError in ember."""
    _input("imag", input)
    raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")


def angle(input=_ABSENT, *, out=None):
    """The argument of each number: 0 for x >= 0 (-0.0 included), pi for x < 0, NaN for
    NaN. Integer and bool input give the default float dtype. The gradient is zero (the
    function is flat wherever it is differentiable).

    >>> ember.angle(ember.tensor([-1, 0, 3]))
    tensor([3.1416, 0.0000, 0.0000])
    """
    input = _input("angle", input)
    data = input._data
    np_dtype = data.dtype if input.dtype.is_floating_point else \
        _dtypes.get_default_dtype().np
    values = np.where(data < 0, np.asarray(math.pi, np_dtype), np.zeros((), np_dtype))
    if input.dtype.is_floating_point:
        values = np.where(np.isnan(data), data, values)     # NaN stays NaN
    result = _make(np.asarray(values, np_dtype))
    if input.dtype.is_floating_point:
        record("AngleBackward0", _zero_backward, (input,), result)
    return _maybe_out(result, out)


# --------------------------------------------------------- what would be complex tensors
def _no_complex(what):
    return RuntimeError(f"{what} would make a complex tensor, and ember has no complex dtypes "
                        f"(only bool, integer and floating ones). Keep the real and imaginary "
                        f"parts as two real tensors instead.")


def view_as_real(input=_ABSENT):
    """torch views a complex tensor as pairs of reals; ember has no complex tensors, so
    this is always torch's error for real input."""
    _input("view_as_real", input)
    raise RuntimeError("view_as_real is only supported for complex tensors")


def view_as_complex(input=_ABSENT):
    """torch views pairs of floats (a last dimension of size 2) as complex numbers; ember
    cannot hold them: torch's errors for unfit input, else a RuntimeError saying so."""
    input = _input("view_as_complex", input)
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"view_as_complex is only supported for half, float and double "
                           f"tensors, but got a tensor of scalar type: "
                           f"{_c_type_name(input.dtype)}")
    if input.ndim == 0:
        raise RuntimeError("Input tensor must have one or more dimensions")
    if input.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    raise _no_complex("view_as_complex()")


def _c_type_name(dt):
    return {"bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int",
            "int64": "Long", "float16": "Half", "float32": "Float", "float64": "Double",
            "bfloat16": "BFloat16"}[dt.name]


def _complex_parts(fname, names, a, b):
    """torch's checks of the two real inputs of complex() and polar()."""
    a = _tensor_argument(fname, names[0], a, 1)
    b = _tensor_argument(fname, names[1], b, 2)
    floats = ("float16", "float32", "float64")
    if a.dtype.name not in floats or b.dtype.name not in floats:
        raise RuntimeError(f"Expected both inputs to be Half, Float or Double tensors but got "
                           f"{_c_type_name(a.dtype)} and {_c_type_name(b.dtype)}")
    raise _no_complex(f"{fname}()")


def complex(real=_ABSENT, imag=_ABSENT, *, out=None):
    """``real + 1j * imag`` in torch; ember has no complex dtypes, so a RuntimeError (after
    torch's checks: two Half, Float or Double tensors)."""
    _complex_parts("complex", ("real", "imag"), real, imag)


def polar(abs=_ABSENT, angle=_ABSENT, *, out=None):     # noqa: A002 (torch's names)
    """``abs * (cos(angle) + 1j * sin(angle))`` in torch; ember has no complex dtypes, so a
    RuntimeError (after torch's checks: two Half, Float or Double tensors)."""
    _complex_parts("polar", ("abs", "angle"), abs, angle)


# ------------------------------------------------------------------ Tensor methods
def _imag_property(self):
    return imag(self)


bind(conj=conj, conj_physical=conj_physical, conj_physical_=conj_physical_,
     resolve_conj=resolve_conj, resolve_neg=resolve_neg, is_conj=is_conj, is_neg=is_neg,
     angle=angle, real=property(real), imag=property(_imag_property))
