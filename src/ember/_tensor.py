"""The Tensor: a NumPy array plus what autograd needs to know about it.

The class is thin on purpose. It holds

* ``_data``: the array (its dtype is the tensor's dtype);
* ``_requires_grad``, ``grad`` and ``grad_fn``: the autograd state;
* ``_vc``: the version counter, a one-element list shared by a tensor and all
  its views, bumped by every in-place write, so that backward can tell when a
  saved tensor has been changed under it;
* ``_base``: the tensor this one is a view of (None if it owns its data);
* ``_extra``: a dict for rarely used state (hooks, retain_grad), None otherwise.

The maths lives in :mod:`ember.ops`; each ops module attaches its methods to
Tensor at import, next to the functions they call.
"""
import numpy as np

from . import _dtypes
from ._device import CPU, to_device
from ._size import Size
from .autograd.graph import AccumulateGrad
from .autograd.grad_mode import _state


def _make(array, requires_grad=False):
    """Wrap an ndarray as a Tensor without copying (the hot path of every op)."""
    t = object.__new__(Tensor)
    t._data = array
    t._requires_grad = requires_grad
    t.grad = None
    t.grad_fn = None
    t._vc = None
    t._base = None
    t._extra = None
    return t


class Tensor:
    """A multi-dimensional array with autograd, like ``torch.Tensor``.

    >>> x = ember.tensor([1.0, 2.0], requires_grad=True)
    >>> (x * x).sum().backward(); x.grad
    tensor([2., 4.])
    """

    __slots__ = ("_data", "_requires_grad", "grad", "grad_fn", "_vc", "_base", "_extra",
                 "__weakref__")
    __array_priority__ = 1000   # so that ndarray + Tensor defers to Tensor.__radd__

    def __init__(self, *args, dtype=None, device=None):
        # The legacy constructor: Tensor([1, 2]) copies data as float32;
        # Tensor(2, 3) allocates an uninitialised 2x3 float32 tensor.
        to_device(device)
        dtype = _dtypes.to_dtype(dtype) if dtype is not None else _dtypes.get_default_dtype()
        if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
            data = args[0]
            arr = np.array(data._data if isinstance(data, Tensor) else data, dtype=dtype.np)
        else:
            shape = args[0] if len(args) == 1 and not isinstance(args[0], int) else args
            arr = np.empty(tuple(int(s) for s in shape), dtype=dtype.np)
        self._data = arr
        self._requires_grad = False
        self.grad = None
        self.grad_fn = None
        self._vc = None
        self._base = None
        self._extra = None

    # ------------------------------------------------------------------ facts
    @property
    def dtype(self):
        return _dtypes.FROM_NUMPY[self._data.dtype]

    @property
    def shape(self):
        return Size(self._data.shape)

    @property
    def device(self):
        return CPU

    @property
    def is_cuda(self):
        return False

    @property
    def is_cpu(self):
        return True

    @property
    def ndim(self):
        return self._data.ndim

    @property
    def layout(self):
        return "torch.strided"

    def size(self, dim=None):
        """The shape, or the length of one dimension: ``x.size(0)``."""
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_wrap_dim(dim, self._data.ndim)]

    def dim(self):
        return self._data.ndim

    ndimension = dim

    def numel(self):
        return self._data.size

    nelement = numel

    def element_size(self):
        return self._data.itemsize

    @property
    def itemsize(self):
        return self._data.itemsize

    @property
    def nbytes(self):
        return self._data.nbytes

    def stride(self, dim=None):
        """Strides in elements, as torch counts them (NumPy counts bytes)."""
        strides = tuple(s // self._data.itemsize for s in self._data.strides)
        if self._data.size == 0 or self._data.ndim == 0:
            strides = _contiguous_strides(self._data.shape)
        return strides if dim is None else strides[_wrap_dim(dim, self._data.ndim)]

    def is_contiguous(self, memory_format=None):
        return self._data.flags.c_contiguous

    def storage_offset(self):
        if self._base is None:
            return 0
        base = self._base._data
        return (self._data.__array_interface__["data"][0]
                - base.__array_interface__["data"][0]) // self._data.itemsize

    def data_ptr(self):
        return self._data.__array_interface__["data"][0]

    def untyped_storage(self):
        raise NotImplementedError("ember tensors expose no storage objects; use .numpy()")

    def is_floating_point(self):
        return self._data.dtype.kind == "f"

    def is_complex(self):
        return False

    def get_device(self):
        return -1

    # ------------------------------------------------------------- conversions
    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.item() if self._data.ndim == 0 else self._data.reshape(()).item()

    def tolist(self):
        return self._data.tolist()

    def numpy(self, *, force=False):
        """The data as an ndarray sharing memory (as torch does on the CPU)."""
        if self._requires_grad and not force:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                "instead.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        if dtype is not None:
            return self._data.astype(dtype, copy=False)
        return self._data

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError(
                f"Boolean value of Tensor with more than one value is ambiguous"
                if self._data.size > 1 else
                "Boolean value of Tensor with no values is ambiguous")
        return bool(self._data.reshape(()))

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __complex__(self):
        return complex(self.item())

    def __format__(self, spec):
        if self._data.ndim == 0:
            return format(self.item(), spec)
        return format(repr(self), spec)

    __hash__ = object.__hash__   # by identity, as in torch

    def __repr__(self, *, tensor_contents=None):
        from ._printing import format_tensor
        fn = self.grad_fn
        return format_tensor(self._data, self.dtype, requires_grad=self._requires_grad,
                             grad_fn_name=fn._name if fn is not None else None,
                             is_leaf=fn is None)

    __str__ = __repr__

    def __reduce_ex__(self, protocol):
        # Pickling (DataLoader workers, copy) keeps the data and requires_grad only.
        return (_rebuild, (self._data.copy(), self._requires_grad))

    def __deepcopy__(self, memo):
        if not self.is_leaf:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) "
                               "support the deepcopy protocol at the moment.")
        new = _make(self._data.copy(), self._requires_grad)
        if type(self) is not Tensor:
            new = type(self).__new__(type(self), new, self._requires_grad) \
                if hasattr(type(self), "_from_tensor") else new
        if self.grad is not None:
            new.grad = self.grad.__deepcopy__(memo)
        memo[id(self)] = new
        return new

    # --------------------------------------------------------------- autograd
    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad=True):
        """Start (or stop) recording operations on this leaf; returns self."""
        if self.grad_fn is not None and not requires_grad:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use "
                "a computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach().")
        if requires_grad and self._data.dtype.kind not in "fc":
            raise RuntimeError(
                "only Tensors of floating point and complex dtype can require gradients")
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def is_leaf(self):
        return self.grad_fn is None

    @property
    def _version(self):
        return self._vc[0] if self._vc is not None else 0

    def _bump_version(self):
        if self._vc is None:
            self._vc = [1]
        else:
            self._vc[0] += 1

    def _accumulator(self):
        """The AccumulateGrad node of this leaf (one per leaf, so its hooks run once)."""
        extra = self._extras()
        acc = extra.get("accumulator")
        if acc is None:
            acc = extra["accumulator"] = AccumulateGrad(self)
        return acc

    def _extras(self):
        if self._extra is None:
            self._extra = {}
        return self._extra

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Compute the gradient of this tensor w.r.t. the graph leaves.

        ``gradient`` is required unless the tensor holds a single element.
        """
        from .autograd import backward
        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def register_hook(self, hook):
        """Call ``hook(grad)`` when this tensor's gradient is computed; it may return a
        replacement. Returns a handle with ``remove()``."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is None:
            hooks = self._extras().setdefault("hooks", [])
        else:
            if self.grad_fn.pre_hooks is None:
                self.grad_fn.pre_hooks = []
            hooks = self.grad_fn.pre_hooks
        hooks.append(hook)
        return _RemovableHandle(hooks, hook)

    def retain_grad(self):
        """Keep ``.grad`` for this non-leaf tensor after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or self._extras().get("retains_grad"):
            return

        def store(grad, tensor=self):
            tensor.grad = grad.detach().clone() if tensor.grad is None else tensor.grad + grad
        self._extra["retains_grad"] = True
        self.register_hook(store)

    @property
    def retains_grad(self):
        return bool(self._extra and self._extra.get("retains_grad"))

    def detach(self):
        """A new tensor sharing the data, cut from the graph (writes show in both)."""
        t = _make(self._data)
        t._vc = self._shared_version()
        t._base = self if self._base is None else self._base
        return t

    def detach_(self):
        """Cut this tensor from the graph, in place; it becomes a leaf."""
        self.grad_fn = None
        self._requires_grad = False
        return self

    def _shared_version(self):
        if self._vc is None:
            self._vc = [0]
        return self._vc

    @property
    def data(self):
        """The tensor's data as a new leaf that shares memory and never records grad."""
        return self.detach()

    @data.setter
    def data(self, value):
        # x.data = other swaps the underlying array (shape/dtype may change), as in torch.
        self._data = value._data if isinstance(value, Tensor) else np.asarray(value)

    @property
    def T(self):
        if self._data.ndim not in (0, 2):
            import warnings
            warnings.warn(
                "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
                "deprecated and it will throw an error in a future release. Consider `x.mT` to "
                "transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` "
                "to reverse the dimensions of a tensor.", UserWarning, stacklevel=2)
        return self.permute(*range(self._data.ndim - 1, -1, -1))

    @property
    def mT(self):
        if self._data.ndim < 2:
            raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. "
                               f"Got {self._data.ndim}-D tensor.")
        return self.transpose(-2, -1)

    @property
    def H(self):
        return self.T

    @property
    def mH(self):
        return self.mT

    # ----------------------------------------------------------- dtype/device
    def to(self, *args, dtype=None, device=None, copy=False, non_blocking=False,
           memory_format=None):
        """Convert dtype and/or device: ``x.to(ember.float64)``, ``x.to('cpu')``,
        ``x.to(other)``."""
        for a in args:
            if isinstance(a, Tensor):
                dtype = a.dtype
            elif isinstance(a, _dtypes.dtype):
                dtype = a
            elif a is not None:
                to_device(a)
        if device is not None:
            to_device(device)
        if dtype is None or _dtypes.to_dtype(dtype) is self.dtype:
            return self.clone() if copy else self
        from .ops.pointwise import cast
        return cast(self, _dtypes.to_dtype(dtype))

    def type(self, dtype=None, non_blocking=False):
        """With no argument, the legacy type name ('torch.FloatTensor'); else a cast."""
        if dtype is None:
            return "torch." + self.dtype.legacy_name
        if isinstance(dtype, str) and dtype.endswith("Tensor"):
            dtype = {d.legacy_name: d for d in _dtypes.ALL_DTYPES}[dtype.split(".")[-1]]
        return self.to(_dtypes.to_dtype(dtype))

    def type_as(self, other):
        return self.to(other.dtype)

    def cpu(self, memory_format=None):
        return self

    def cuda(self, device=None, non_blocking=False):
        to_device("cuda")

    def float(self):
        return self.to(_dtypes.float32)

    def double(self):
        return self.to(_dtypes.float64)

    def half(self):
        return self.to(_dtypes.float16)

    def long(self):
        return self.to(_dtypes.int64)

    def int(self):
        return self.to(_dtypes.int32)

    def short(self):
        return self.to(_dtypes.int16)

    def char(self):
        return self.to(_dtypes.int8)

    def byte(self):
        return self.to(_dtypes.uint8)

    def bool(self):
        return self.to(_dtypes.bool)

    def pin_memory(self):
        return self

    def share_memory_(self):
        return self

    def is_shared(self):
        return False

    @property
    def is_sparse(self):
        return False

    @property
    def is_quantized(self):
        return False

    @property
    def is_meta(self):
        return False


class _RemovableHandle:
    """Returned by register_hook; ``handle.remove()`` unregisters the hook."""

    def __init__(self, hooks, hook):
        self._hooks, self._hook = hooks, hook

    def remove(self):
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def _rebuild(data, requires_grad):
    return _make(data, requires_grad)


def _contiguous_strides(shape):
    strides, acc = [], 1
    for d in reversed(shape):
        strides.append(acc)
        acc *= max(d, 1)
    return tuple(reversed(strides))


def _wrap_dim(dim, ndim):
    """Turn a possibly negative dim into an index, with torch's IndexError text."""
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim % n


def grad_enabled_for(*tensors):
    """True if an op on these inputs must record a graph."""
    if not _state.enabled:
        return False
    return any(getattr(t, "_requires_grad", False) for t in tensors)
