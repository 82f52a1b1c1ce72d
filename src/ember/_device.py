"""Device objects. Only the CPU exists today; the seam for a GPU backend is
:mod:`ember.backend`, which maps a device to its array module.

    >>> ember.device("cpu"), ember.ones(2).device
    (device(type='cpu'), device(type='cpu'))
"""
import builtins
import re
import warnings

from ._arg_errors import MISSING as _MISSING   # (an argument left out)

# The device types torch knows (so that ember.device('mps') can be named, as in
# torch); only 'cpu' can hold tensors.
_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve",
          "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia",
          "privateuseone")

# torch's grammar of a device string: a name, then optionally ':' and an index
# written without leading zeros ('cpu', 'cuda:1'; not 'cpu:01' nor 'float32')
_DEVICE_STRING = re.compile(r"([a-zA-Z_]+)(?::(0|[1-9][0-9]*))?")


def _type_name(value):
    return "torch.device" if isinstance(value, device) else builtins.type(value).__name__


class device:
    """A place where tensor data lives: ``ember.device('cpu')``, ``device('cuda', 0)``."""

    __slots__ = ("type", "index")

    def __init__(self, type=_MISSING, index=None):
        if type is _MISSING:        # (left out: none of torch's two signatures takes that)
            raise TypeError("device() received an invalid combination of arguments - got (), "
                            "but expected one of:\n * (torch.device device)\n * (str type, "
                            "int index = -1)\n")
        if isinstance(type, device) and index is None:
            type, index = type.type, type.index
        elif isinstance(type, int) and not isinstance(type, bool) and index is None:
            # device(0) means accelerator 0, of which there is none
            if type < 0:
                raise RuntimeError("Device index must not be negative")
            raise RuntimeError("Cannot access accelerator device when none is available.")
        if not isinstance(type, str):
            if index is not None:
                raise TypeError("device(): argument 'type' (position 1) must be str, not "
                                f"{_type_name(type)}")
            name = _type_name(type)
            raise TypeError(f"device() received an invalid combination of arguments - got "
                            f"({name}), but expected one of:\n * (torch.device device)\n"
                            "      didn't match because some of the arguments have invalid "
                            f"types: (!{name}!)\n * (str type, int index = -1)\n")
        if index is not None and (isinstance(index, bool) or not isinstance(index, int)):
            raise TypeError("device(): argument 'index' (position 2) must be int, not "
                            f"{_type_name(index)}")
        match = _DEVICE_STRING.fullmatch(type)
        if match is None:
            raise RuntimeError(f"Invalid device string: '{type}'")
        name, idx = match.groups()
        if idx is not None:
            if index is not None:
                raise RuntimeError("type (string) must not include an index because index was "
                                   f"passed explicitly: {type}")
            index = int(idx)
        type = name
        if type not in _TYPES:
            raise RuntimeError(f"Expected one of {', '.join(_TYPES)} device type at start of "
                               f"device string: {type}")
        if index is not None and index < 0:
            raise RuntimeError("Device index must not be negative")
        self.type = type
        self.index = index

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        if isinstance(other, str):
            # torch says device('cpu') == 'cpu' is False; a silent trap, so say so.
            warnings.warn(f"comparing a device with the string {other!r} is always False, as "
                          f"in torch; compare with ember.device({other!r}) or use "
                          f"device.type == {other!r}", UserWarning, stacklevel=2)
            return False
        if not isinstance(other, device):
            return NotImplemented
        return (self.type, self.index) == (other.type, other.index)

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (str(self),))

    def __enter__(self):
        to_device(self)
        return self

    def __exit__(self, *exc):
        return False


# Python words a binding error by the function's qualified name: torch's says device()
device.__init__.__qualname__ = "device"

CPU = device("cpu")


def to_device(value, op=None):
    """Normalise a device argument (None, str, int or device) and check it is available;
    ``op``, the function given it, names the function in the TypeError for a value of
    another type (``zeros(2, device=1.5)``), as torch's does."""
    if value is None or value is CPU or type(value) is str and value == "cpu":   # (no parsing)
        return CPU
    if not isinstance(value, device):
        if op is not None and not isinstance(value, (str, int)):
            from ._arg_errors import wrong_type
            raise wrong_type(op, "device", None, "torch.device", value)
        value = device(value)
    if value.type != "cpu":
        name = "CUDA" if value.type == "cuda" else value.type.upper()
        raise AssertionError(
            f"Torch not compiled with {name} enabled (ember runs on the CPU with NumPy; "
            "a CuPy backend for GPUs is planned behind ember.backend)")
    return CPU
