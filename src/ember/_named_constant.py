"""The base of torch's small C types whose few values are named singletons.

``torch.layout`` (``torch.strided``, ...) and ``torch.memory_format``
(``torch.channels_last``, ...) behave alike: the type cannot be instantiated,
each value prints as ``torch.<name>``, and pickling or deep-copying one gives
back the very same object::

    >>> ember.strided, copy.deepcopy(ember.strided) is ember.strided
    (torch.strided, True)

Each subclass keeps its own ``_instances``: the values it defined, by name.
"""


class NamedConstant:
    __slots__ = ("_name",)
    _instances = {}     # (every subclass gives itself its own)

    def __new__(cls, *args, **kwargs):
        raise TypeError(f"cannot create 'torch.{cls.__name__}' instances")

    @classmethod
    def _define(cls, name):
        obj = object.__new__(cls)
        obj._name = name
        cls._instances[name] = obj
        return obj

    def __repr__(self):
        return "torch." + self._name

    __str__ = __repr__

    def __reduce__(self):
        # pickles (and deepcopies) to the same singleton
        return _lookup, (type(self), self._name)


def _lookup(cls, name):
    return cls._instances[name]
