"""``finfo`` and ``iinfo``: the numeric limits of a dtype, as torch reports them.

    >>> finfo(ember.float32).eps
    1.1920928955078125e-07
    >>> iinfo(ember.uint8).max
    255
"""
import numpy as np

from . import _dtypes

# NumPy has no bfloat16: its limits, written out (8 exponent bits as float32, 8 bits
# of precision)
_BFLOAT16 = {"bits": 16, "eps": 2.0 ** -7, "max": 3.3895313892515355e+38,
             "tiny": 2.0 ** -126, "resolution": 0.01}


class finfo:
    """The limits of a floating point dtype (the default dtype if none is given):
    ``bits``, ``eps``, ``max``, ``min``, ``tiny`` (= ``smallest_normal``) and
    ``resolution``, as Python floats; ``dtype`` is its name."""

    __hash__ = None     # (torch's are unhashable too)

    def __init__(self, type=None):
        d = _dtypes.get_default_dtype() if type is None else _dtypes._dtype_arg(type, "finfo", "type", 1)
        if not d.is_floating_point:
            raise TypeError("torch.finfo() requires a floating point input type. Use "
                            "torch.iinfo to handle 'torch.finfo'")
        if d is _dtypes.bfloat16:
            facts = _BFLOAT16
        else:
            info = np.finfo(d.np)
            facts = {"bits": info.bits, "eps": float(info.eps), "max": float(info.max),
                     "tiny": float(info.smallest_normal),
                     "resolution": 10.0 ** -info.precision}
        self.bits, self.eps, self.max = facts["bits"], facts["eps"], facts["max"]
        self.min = -self.max
        self.tiny = self.smallest_normal = facts["tiny"]
        self.resolution = facts["resolution"]
        self.dtype = d.name

    def __eq__(self, other):
        return isinstance(other, finfo) and vars(self) == vars(other)

    def __repr__(self):
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, "
                f"tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    """The limits of an integer dtype: ``bits``, ``min`` and ``max`` (Python ints);
    ``dtype`` is its name."""

    __hash__ = None

    def __init__(self, type):
        type = _dtypes._dtype_arg(type, "iinfo", "type", 1)
        if type is _dtypes.bool:
            raise TypeError("torch.bool is not supported by torch.iinfo")
        if type.category != 1:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo "
                            "to handle 'torch.iinfo'")
        info = np.iinfo(type.np)
        self.bits, self.min, self.max = info.bits, int(info.min), int(info.max)
        self.dtype = type.name

    def __eq__(self, other):
        return isinstance(other, iinfo) and vars(self) == vars(other)

    def __repr__(self):
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"

