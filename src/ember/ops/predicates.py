"""Questions about a tensor as a whole, in torch's functional form: is_nonzero,
is_same_size, is_signed, get_device (and the Tensor methods is_nonzero, is_same_size).

    >>> ember.is_nonzero(ember.tensor([1.5])), ember.is_same_size(ember.ones(2), ember.ones(3))
    (True, False)
"""
from .._tensor import Tensor
from ._common import _type_name, bind

_ABSENT = object()


def _tensor_argument(fname, name, value, position):
    if value is _ABSENT:
        raise TypeError(f'{fname}() missing 1 required positional arguments: "{name}"')
    if not isinstance(value, Tensor):
        raise TypeError(f"{fname}(): argument '{name}' (position {position}) must be Tensor, "
                        f"not {_type_name(value)}")
    return value


def is_nonzero(input=_ABSENT):
    """``bool(input)`` for a one-element tensor: ``is_nonzero(tensor([0.]))`` is False
    (NaN counts as nonzero). More or fewer elements raise torch's RuntimeError."""
    return bool(_tensor_argument("is_nonzero", "input", input, 1))


def is_same_size(input=_ABSENT, other=_ABSENT):
    """True if both tensors have the same shape (dtypes may differ)."""
    input = _tensor_argument("is_same_size", "input", input, 1)
    other = _tensor_argument("is_same_size", "other", other, 2)
    return input.shape == other.shape


def is_signed(input=_ABSENT):
    """True unless ``input``'s dtype is bool or uint8."""
    return _tensor_argument("is_signed", "input", input, 1).is_signed()


def get_device(input=_ABSENT):
    """The index of the GPU holding ``input``: -1 for the CPU, where every ember tensor is."""
    return _tensor_argument("get_device", "input", input, 1).get_device()


def _is_nonzero_method(self):
    return bool(self)


def _is_same_size_method(self, other=_ABSENT):
    # (the method counts ``other`` as its first argument)
    return self.shape == _tensor_argument("is_same_size", "other", other, 1).shape


bind(is_nonzero=_is_nonzero_method, is_same_size=_is_same_size_method)
