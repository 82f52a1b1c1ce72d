"""Device objects. Only the CPU exists today; the seam for a GPU backend is
:mod:`ember.backend`, which maps a device to its array module."""


class device:
    """A place where tensor data lives: ``ember.device('cpu')``."""

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        if not isinstance(type, str):
            raise TypeError(f"device() expected a string, got {type.__class__.__name__}")
        if ":" in type:
            type, _, idx = type.partition(":")
            index = int(idx)
        if type not in ("cpu", "cuda"):
            raise RuntimeError(
                f"Expected one of cpu, cuda device type at start of device string: {type}")
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
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))


CPU = device("cpu")


def to_device(value):
    """Normalise a device argument (None, str, int or device) and check it is available."""
    if value is None:
        return CPU
    if isinstance(value, int):
        value = device("cuda", value)
    elif not isinstance(value, device):
        value = device(value)
    if value.type != "cpu":
        raise RuntimeError(
            "Torch not compiled with CUDA enabled (ember runs on the CPU with NumPy; "
            "a CuPy backend for GPUs is planned behind ember.backend)")
    return CPU
