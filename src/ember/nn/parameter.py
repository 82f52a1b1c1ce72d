"""Parameters: the tensors a Module learns.

A :class:`Parameter` is a Tensor that a Module registers when it is assigned
as an attribute, so that ``module.parameters()`` (and thus the optimizer)
finds it. ``Parameter(t)`` shares ``t``'s memory and requires grad by default.

    >>> w = nn.Parameter(ember.ones(2))
    >>> w
    Parameter containing:
    tensor([1., 1.], requires_grad=True)

:class:`UninitializedParameter` is the placeholder lazy modules
(``nn.LazyLinear``) hold until the first batch tells them their shape; it
becomes a plain Parameter in place (same object) when materialized.
"""
from .._tensor import Tensor
from ..ops.creation import empty

__all__ = ["Parameter", "UninitializedParameter", "Buffer", "is_lazy"]


def _alias(cls, data, requires_grad):
    """A new object of class ``cls`` that shares ``data``'s memory and version counter."""
    template = data.detach()          # a plain Tensor aliasing data (shared versions)
    t = object.__new__(cls)
    # Copy every slot of the template, whatever slots the Tensor class has.
    for slot in Tensor.__slots__:
        if slot != "__weakref__" and hasattr(template, slot):
            object.__setattr__(t, slot, getattr(template, slot))
    t._base = None
    if requires_grad:
        if data._data.dtype.kind not in "fc":
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients")
        t._requires_grad = True
    return t


class Parameter(Tensor):
    """A Tensor that is a module parameter (requires grad unless told otherwise).

    Note that ``no_grad`` does not change the default: a Parameter created
    inside ``with ember.no_grad():`` still requires grad, as in torch.
    """

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            data = empty(0)
        if not isinstance(data, Tensor):
            # (torch's Parameter calls data.detach() in Python: its error is Python's own)
            raise AttributeError(f"'{type(data).__name__}' object has no attribute 'detach'")
        return _alias(cls, data, requires_grad)

    def __init__(self, data=None, requires_grad=True):
        pass    # all done in __new__ (Tensor.__init__ would rebuild the data)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        # Like torch, the copy has no .grad (a plain tensor's deepcopy keeps it).
        result = type(self)(self.detach().clone(), self.requires_grad)
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, protocol):
        return (_rebuild_parameter, (self.detach().clone(), self._requires_grad))


def _rebuild_parameter(data, requires_grad):
    return Parameter(data, requires_grad)


# ------------------------------------------------------------ uninitialized
_SHAPE_ERROR = (
    "Can't access the shape of an uninitialized parameter or buffer. This error usually "
    "happens in `load_state_dict` when trying to load an uninitialized parameter into an "
    "initialized one. Call `forward` to initialize the parameters before accessing their "
    "attributes.")

# What may be done with a tensor whose shape is not known yet (as in torch).
_ALLOWED_METHODS = frozenset([
    "size", "copy_", "is_complex", "is_floating_point", "half", "float", "double", "char",
    "short", "int", "long", "cuda", "cpu", "to", "get_device", "materialize", "type",
])


class UninitializedTensorMixin:
    """What makes UninitializedParameter a tensor with no shape yet.

    Its data is an empty tensor; reading ``.shape`` or calling a Tensor method on it
    raises, so that using a lazy module's weights before its first forward pass fails
    loudly instead of computing with an empty array.
    """

    cls_to_become = None

    def materialize(self, shape, device=None, dtype=None):
        """Give the tensor its shape (uninitialised memory) and turn it into
        ``cls_to_become``, in place: references held elsewhere (an optimizer's)
        stay valid."""
        if dtype is None:
            dtype = self.data.dtype
        self.data = empty(shape, dtype=dtype)
        self.__class__ = self.cls_to_become

    @property
    def shape(self):
        raise RuntimeError(_SHAPE_ERROR)

    # ``.data`` stays usable (torch allows it), although ``detach()`` is refused.
    @property
    def data(self):
        return Tensor.detach(self)

    @data.setter
    def data(self, value):
        Tensor.data.fset(self, value)

    def share_memory_(self):
        raise RuntimeError(
            "Can't share memory on an uninitialized parameter or buffer. Call `forward` to "
            "initialize the parameters before calling `module.share_memory()`.")

    def __repr__(self):
        return f"<{self.__class__.__name__}>"

    __str__ = __repr__

    def __getattribute__(self, name):
        value = object.__getattribute__(self, name)
        if (callable(value) and not name.startswith("_") and name not in _ALLOWED_METHODS
                and hasattr(Tensor, name) and callable(getattr(Tensor, name))):
            raise ValueError(_uninitialized_use(type(self).__name__, f"Tensor.{name}"))
        return value

    def __reduce_ex__(self, protocol):
        return (self.__class__, (self._requires_grad,))


def _uninitialized_use(cls_name, what):
    return (f"Attempted to use an uninitialized parameter in {what}. This error happens when "
            f"you are using a `LazyModule` or explicitly manipulating "
            f"`torch.nn.parameter.{cls_name}` objects. When using LazyModules Call `forward` "
            f"with a dummy batch to initialize the parameters before calling torch functions")


def _refuse(op_name):
    def method(self, *args, **kwargs):
        raise ValueError(_uninitialized_use(type(self).__name__, f"Tensor.{op_name}"))
    method.__name__ = op_name
    return method


# Operators are looked up on the type, not through __getattribute__: refuse them here.
for _op in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
            "__truediv__", "__rtruediv__", "__matmul__", "__rmatmul__", "__pow__", "__rpow__",
            "__neg__", "__getitem__", "__setitem__", "__len__", "__iter__", "__iadd__",
            "__isub__", "__imul__", "__itruediv__", "__lt__", "__le__", "__gt__", "__ge__",
            "__float__", "__int__", "__bool__", "__array__"):
    setattr(UninitializedTensorMixin, _op, _refuse(_op))


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A parameter whose shape is not known yet (see ``nn.LazyLinear``).

    >>> p = nn.UninitializedParameter()
    >>> p.materialize((2, 3)); type(p).__name__
    'Parameter'
    """

    cls_to_become = Parameter

    def __new__(cls, requires_grad=True, device=None, dtype=None):
        return _alias(cls, empty(0, dtype=dtype, device=device), requires_grad)

    def __init__(self, requires_grad=True, device=None, dtype=None):
        pass

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self._requires_grad, None, self.data.dtype)
        memo[id(self)] = result
        return result


class _BufferMeta(type):
    # Buffer(t) returns a plain Tensor marked as a buffer; isinstance sees the mark.
    def __instancecheck__(cls, instance):
        return isinstance(instance, Tensor) and bool(instance._extra) and \
            "buffer_persistent" in instance._extra


class Buffer(Tensor, metaclass=_BufferMeta):
    """Marks a tensor as a module buffer when assigned as an attribute:
    ``self.running = nn.Buffer(ember.zeros(3))``. The result is a plain Tensor
    holding the same data; ``persistent`` says whether state_dict includes it."""

    def __new__(cls, data=None, *, persistent=True):
        if data is None:
            data = empty(0)
        t = data.detach()
        t._requires_grad = data.requires_grad
        t._extras()["buffer_persistent"] = bool(persistent)
        return t


def is_lazy(param):
    """True for an UninitializedParameter (a lazy module's weight before its first call)."""
    return isinstance(param, UninitializedTensorMixin)
