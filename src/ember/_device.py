"""Device objects. Only the CPU exists today; the seam for a GPU backend is
:mod:`ember.backend`, which maps a device to its array module.

    >>> ember.device("cpu"), ember.ones(2).device
    (device(type='cpu'), device(type='cpu'))
"""
import warnings

# The device types torch knows (so that ember.device('mps') can be named, as in
# torch); only 'cpu' can hold tensors.
_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve",
          "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia",
          "privateuseone")


class device:
    """A place where tensor data lives: ``ember.device('cpu')``, ``device('cuda', 0)``."""

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        elif isinstance(type, int) and not isinstance(type, bool):
            raise RuntimeError("Cannot access accelerator device when none is available.")
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got "
                            f"({type.__class__.__name__}), but expected (str type, int index)")
        if ":" in type:
            name, _, idx = type.partition(":")
            if index is not None or not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}'")
            type, index = name, int(idx)
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


CPU = device("cpu")


def to_device(value):
    """Normalise a device argument (None, str, int or device) and check it is available."""
    if value is None:
        return CPU
    if isinstance(value, int) and not isinstance(value, bool):
        value = device("cuda", value)
    elif not isinstance(value, device):
        value = device(value)
    if value.type != "cpu":
        name = "CUDA" if value.type == "cuda" else value.type.upper()
        raise AssertionError(
            f"Torch not compiled with {name} enabled (ember runs on the CPU with NumPy; "
            "a CuPy backend for GPUs is planned behind ember.backend)")
    return CPU
