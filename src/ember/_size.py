"""ember.Size: the tuple subclass that ``Tensor.shape`` returns."""
import operator


class Size(tuple):
    """A tuple of dimensions that prints as torch's does.

    >>> Size([3, 4])
    torch.Size([3, 4])
    >>> Size([3, 4])[1:], Size([3, 4]).numel()
    (torch.Size([4]), 12)
    """

    __slots__ = ()

    def __new__(cls, sizes=()):
        dims = []
        for i, d in enumerate(sizes):
            try:
                dims.append(operator.index(d))
            except TypeError:
                raise TypeError(f"torch.Size() takes an iterable of 'int' (item {i} is "
                                f"'{type(d).__name__}')") from None
        return super().__new__(cls, dims)

    def __repr__(self):
        return f"torch.Size([{', '.join(str(d) for d in self)}])"

    __str__ = __repr__

    def numel(self):
        """Number of elements a tensor of this shape holds."""
        n = 1
        for d in self:
            n *= d
        return n

    def __getitem__(self, key):
        item = tuple.__getitem__(self, key)
        return Size(item) if isinstance(key, slice) else item

    def __add__(self, other):
        if not isinstance(other, tuple):
            raise TypeError(f"can only concatenate tuple (not {type(other).__name__}) to "
                            "torch.Size")
        return Size(tuple.__add__(self, other))

    def __radd__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(other) + tuple(self))

    def __mul__(self, n):
        return Size(tuple.__mul__(self, n))

    __rmul__ = __mul__

    def __reduce__(self):
        return (Size, (tuple(self),))
