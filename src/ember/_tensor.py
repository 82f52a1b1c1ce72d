"""The Tensor: a NumPy array plus what autograd needs to know about it.

The class is thin on purpose. It holds

* ``_data``: the array (its dtype is the tensor's dtype);
* ``_requires_grad``, ``_grad`` (read as ``.grad``) and ``grad_fn``: the autograd
  state;
* ``_vc``: the version counter, a one-element list shared by a tensor and all
  its views, bumped by every in-place write, so that backward can tell when a
  saved tensor has been changed under it;
* ``_base``: the tensor this one is a view of (None if it owns its data);
* ``_extra``: a dict for rarely used state (the leaf's AccumulateGrad node, the
  output number of a multi-output custom Function, the views of a tensor that
  needs no gradient yet), None otherwise.

The maths lives in :mod:`ember.ops`; each ops module attaches its methods to
Tensor at import, next to the functions they call.
"""
import numbers
import warnings
import weakref

import numpy as np

from . import _dtypes
from . import _memory_format as _mf
from ._device import CPU, to_device, device as Device
from ._size import Size
from ._arg_errors import type_name_in_call as _arg_type_name
from .backend import fp_errors_off, fp_errors_restore
from .autograd.graph import AccumulateGrad
from .autograd.grad_mode import _state, NO_VERSION, check_inference_write
from . import autograd as _autograd       # (loaded in full by the line above)


_CONTIGUOUS = _mf.contiguous_format
_PRESERVE = _mf.preserve_format

# NumPy shapes are tuples of ints already: skip Size's checks on this hot path.
_new_size = tuple.__new__

# The version counter a new tensor starts with: None (made on first write), or, while
# inference_mode is on, grad_mode.NO_VERSION, the mark of an inference tensor (set by
# inference_mode itself, so that _make pays nothing to ask which mode is on).
_new_version = None


def _make(array, requires_grad=False):
    """Wrap an ndarray as a Tensor without copying (the hot path of every op)."""
    t = object.__new__(Tensor)
    # NumPy gives 0-d results as scalars (a * 1 for 0-d a): keep a writable 0-d array
    t._data = array if type(array) is np.ndarray else np.asarray(array)
    t._requires_grad = requires_grad
    t._grad = None
    t.grad_fn = None
    t._vc = _new_version
    t._base = None
    t._extra = None
    return t


def _conversion(name, dtype):
    """The method ``x.float()`` (``name`` 'float', ``dtype`` float32) and its kin: the
    conversions of every training script, so the usual call goes straight to
    ``_as_dtype``; ``memory_format=`` (keyword only, as in torch) goes through ``to``."""
    def convert(self, *args, memory_format=_PRESERVE):
        if args:
            raise _positional_error(name, args)
        if memory_format is not _PRESERVE:
            if memory_format is not None and not isinstance(memory_format, _mf.memory_format):
                from ._arg_errors import wrong_type
                raise wrong_type(name, "memory_format", None, "torch.memory_format",
                                 memory_format)
            return self.to(dtype, memory_format=memory_format)
        return self._as_dtype(dtype)
    convert.__name__ = convert.__qualname__ = name
    convert.__doc__ = f"``self.to({dtype})``: ``self`` if it has that dtype already."
    return convert


def _positional_error(name, args):
    return TypeError(f"{name}() takes 0 positional arguments but {len(args)} "
                     f"{'was' if len(args) == 1 else 'were'} given")


class Tensor:
    """A multi-dimensional array with autograd, like ``torch.Tensor``.

    >>> x = ember.tensor([1.0, 2.0], requires_grad=True)
    >>> (x * x).sum().backward(); x.grad
    tensor([2., 4.])
    """

    __slots__ = ("_data", "_requires_grad", "_grad", "grad_fn", "_vc", "_base", "_extra",
                 "__weakref__")
    __array_priority__ = 1000   # so that ndarray + Tensor defers to Tensor.__radd__

    def __init__(self, *args, device=None):
        # The legacy constructor: Tensor([1, 2]) copies data as the default float dtype;
        # Tensor(2, 3) or Tensor(ember.Size([2, 3])) allocates an uninitialised tensor;
        # Tensor(t) shares t's data; Tensor() is empty.
        to_device(device)
        dt = _dtypes.get_default_dtype().np
        if not args:
            arr = np.empty((0,), dtype=dt)
        elif len(args) == 1 and isinstance(args[0], Tensor):
            arr = args[0]._data
        elif len(args) == 1 and (not isinstance(args[0], (int, np.integer, Size))
                                 or isinstance(args[0], bool)):
            data = args[0]
            if isinstance(data, (str, bytes)):
                raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
            if not isinstance(data, (list, tuple, np.ndarray, range)):
                raise TypeError(f"new(): data must be a sequence (got {type(data).__name__})")
            arr = np.array(data, dtype=dt)
        else:
            shape = tuple(args[0]) if len(args) == 1 and isinstance(args[0], Size) else args
            for pos, s in enumerate(shape, 1):
                if not isinstance(s, (int, np.integer)):
                    raise TypeError(f"new(): argument 'size' failed to unpack the object at pos "
                                    f"{pos} with error \"type must be tuple of ints,but got "
                                    f"{type(s).__name__}\"")
                if s < 0:
                    raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                                       f"{list(shape)}")
            arr = np.empty(tuple(int(s) for s in shape), dtype=dt)
        self._data = arr
        self._requires_grad = False
        self._grad = None
        self.grad_fn = None
        self._vc = _new_version
        self._base = None
        self._extra = None

    # ------------------------------------------------------------------ facts
    @property
    def dtype(self):
        return _dtypes.FROM_NUMPY[self._data.dtype]

    @property
    def shape(self):
        return _new_size(Size, self._data.shape)

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
        from ._layout import strided     # (every ember tensor is dense)
        return strided

    def size(self, dim=None):
        """The shape, or the length of one dimension: ``x.size(0)``."""
        if dim is None:
            return _new_size(Size, self._data.shape)
        if type(dim) is not int:
            dim = _dim_arg(dim, "size")
        return self._data.shape[_wrap_own_dim(dim, self._data.ndim)]

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
        data = self._data
        if data.size and data.ndim:
            strides = tuple(s // data.itemsize for s in data.strides)
        else:
            # NumPy's strides of an empty array mean nothing: an empty view keeps
            # torch's (see ops.shape.make_view), others are laid out contiguously
            layout = _empty_layout(self)
            strides = layout[0] if layout else _mf.contiguous_strides(data.shape)
        if dim is None:
            return strides
        if type(dim) is not int:
            dim = _dim_arg(dim, "stride")
        return strides[_wrap_own_dim(dim, data.ndim)]

    def is_contiguous(self, *args, memory_format=_CONTIGUOUS):
        """True if the elements lie in memory in the order ``memory_format`` gives
        (C order by default; ``ember.channels_last`` for rank 4 tensors). As in torch,
        the format goes by keyword only."""
        if args:
            # (torch's message counts no self)
            raise TypeError(f"is_contiguous() takes 0 positional arguments but {len(args)} "
                            f"{'was' if len(args) == 1 else 'were'} given")
        if memory_format is _CONTIGUOUS:
            return self._data.flags.c_contiguous
        return _mf.is_contiguous_as(self, _mf.check_format("is_contiguous", memory_format,
                                                           none_means_preserve=False))

    def storage_offset(self):
        if not self._data.size:
            layout = _empty_layout(self)
            if layout:
                return layout[1]
        if self._base is None:
            # detach()/.data of a view share its storage and keep its offset
            return self._extra.get("storage_offset", 0) if self._extra else 0
        base = self._base
        return ((self._data.__array_interface__["data"][0]
                 - base._data.__array_interface__["data"][0]) // self._data.itemsize
                + base.storage_offset())

    def data_ptr(self):
        return self._data.__array_interface__["data"][0]

    def untyped_storage(self):
        raise NotImplementedError("ember tensors expose no storage objects; use .numpy()")

    def is_floating_point(self):
        return self._data.dtype.kind == "f"

    def is_complex(self):
        return False

    def is_signed(self):
        return self._data.dtype.kind in "if"

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
        if force is not False and force is not True:
            from ._arg_errors import wrong_type
            raise wrong_type("numpy", "force", None, "bool", force)
        if self._requires_grad and not force and _state.enabled:
            # (under no_grad torch lets it pass: nothing will be recorded)
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                "instead.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        # NumPy's protocol: share memory unless a copy is asked for (or a dtype change
        # forces one). As in torch it goes through numpy(): np.asarray(x) of an x that
        # requires grad raises, rather than quietly leaving the graph.
        if self._requires_grad and _state.enabled:
            self.numpy()
        if dtype is not None:
            return self._data.astype(dtype, copy=bool(copy))
        return self._data.copy() if copy else self._data

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __reversed__(self):
        # torch's reversed(x) is a tensor, x flipped along dim 0 (a 0-dim x itself)
        if self._data.ndim == 0:
            return self
        return self.flip(0)

    def __contains__(self, element):
        # ``v in x``: is any element of x equal to v (compared with broadcasting, as
        # ``element == x``)? Without this Python would iterate x and call bool() on
        # each row.
        if isinstance(element, (Tensor, numbers.Number)):
            return bool((element == self).any().item())
        raise RuntimeError("Tensor.__contains__ only supports Tensor or scalar, but you passed "
                           f"in a {type(element)}.")

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError(
                "Boolean value of Tensor with more than one value is ambiguous"
                if self._data.size > 1 else
                "Boolean value of Tensor with no values is ambiguous")
        return bool(self._data.reshape(()))

    def _scalar(self):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self._data.reshape(()).item()

    def __float__(self):
        if self._requires_grad:
            warnings.warn("Converting a tensor with requires_grad=True to a scalar may lead to "
                          "unexpected behavior.\nConsider using tensor.detach() first.",
                          UserWarning, stacklevel=2)
        return float(self._scalar())

    def __int__(self):
        return int(self._scalar())

    def __index__(self):
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __complex__(self):
        return complex(self._scalar())

    def __format__(self, spec):
        """``f"{t:.2f}"``: a plain 0-dim Tensor formats its number; any other tensor
        (a Parameter too, as in torch) only its str, for an empty spec
        ("unsupported format string passed to Parameter.__format__" otherwise)."""
        if type(self) is Tensor and self._data.ndim == 0:
            return format(self.item(), spec)
        return object.__format__(self, spec)

    __hash__ = object.__hash__   # by identity, as in torch

    def __repr__(self, *, tensor_contents=None):
        """torch's text; ``tensor_contents`` (a str, which subclasses pass) replaces
        the elements' text: ``t.__repr__(tensor_contents="[x]")`` is
        ``'tensor([x], requires_grad=True)'`` for a leaf that requires grad."""
        from . import _printing
        fn = self.grad_fn
        grad_fn_name = fn._name if fn is not None else None
        if tensor_contents is None:
            return _printing.format_tensor(self._data, self.dtype,
                                           requires_grad=self._requires_grad,
                                           grad_fn_name=grad_fn_name, is_leaf=fn is None)
        opts = _printing._OPTS
        suffixes = _printing._suffixes(self._data, self.dtype, self._requires_grad,
                                       grad_fn_name, opts["edgeitems"])
        return _printing._join_suffixes(_printing._PREFIX + tensor_contents, suffixes,
                                        len(_printing._PREFIX), opts["linewidth"])

    __str__ = __repr__

    def __reduce_ex__(self, protocol):
        # Pickling (DataLoader workers, torch.save) keeps the data, its memory layout
        # and requires_grad; like torch, not the graph.
        return (_rebuild, (self._data.copy(order="K"), self._requires_grad))

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        if not self.is_leaf:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) "
                               "support the deepcopy protocol at the moment.  If you were "
                               "attempting to deepcopy a module, this may be because of a "
                               "torch.nn.utils.weight_norm usage, see "
                               "https://github.com/pytorch/pytorch/pull/103001")
        new = _make(self._data.copy(order="K"), self._requires_grad)
        if type(self) is not Tensor:
            # Subclasses (nn.Parameter) rebuild themselves from a plain tensor.
            rebuild = getattr(type(self), "_from_tensor", None)
            new = rebuild(new, self._requires_grad) if rebuild is not None else new
        memo[id(self)] = new
        if self._grad is not None:
            new._grad = self._grad.__deepcopy__(memo)
        return new

    # --------------------------------------------------------------- autograd
    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        if type(value) is not bool:
            raise RuntimeError("requires_grad must be a bool")
        if self.grad_fn is not None and value:
            # (requires_grad_(True) of a non-leaf is a no-op in torch; the attribute raises)
            raise RuntimeError("you can only change requires_grad flags of leaf variables.")
        self._set_requires_grad(value)

    def requires_grad_(self, requires_grad=True):
        """Start (or stop) recording operations on this leaf; returns self.

        >>> ember.ones(2).requires_grad_()
        tensor([1., 1.], requires_grad=True)
        """
        if type(requires_grad) is not bool:
            kind = type(requires_grad)
            name = kind.__name__ if kind.__module__ == "builtins" else \
                f"{kind.__module__}.{kind.__name__}"
            raise TypeError("requires_grad_(): argument 'requires_grad' (position 1) must be "
                            f"bool, not {name}")
        # (torch words this one differently from the attribute's message)
        if requires_grad and self._data.dtype.kind not in "fc":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self._set_requires_grad(requires_grad)
        return self

    def _set_requires_grad(self, requires_grad):
        if self.grad_fn is not None and not requires_grad:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use "
                "a computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach().")
        if requires_grad and self._data.dtype.kind not in "fc":
            raise RuntimeError(
                "only Tensors of floating point and complex dtype can require gradients")
        if requires_grad and self._vc is NO_VERSION and not _state.inference:
            raise RuntimeError("Setting requires_grad=True on inference tensor outside "
                               "InferenceMode is not allowed.")
        if not requires_grad and self._base is not None and self._base._requires_grad:
            # torch: a view requires grad as its base does, whatever its own flag says
            warnings.warn(
                "requires_grad=False has no effect on a view of a tensor that requires grad: "
                "the view requires grad as its base does (as in torch). Use .detach() to get "
                "a tensor that does not require grad.", UserWarning, stacklevel=3)
            return
        self._requires_grad = bool(requires_grad) or self.grad_fn is not None
        if self._extra and "views_without_grad" in self._extra:
            views_follow_base(self)

    @property
    def grad(self):
        """The gradient accumulated by backward (None until then). Only leaves, and
        non-leaves that called ``retain_grad()``, get one."""
        g = self._grad
        if g is None and self.grad_fn is not None and not self.retains_grad:
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. "
                "Its .grad attribute won't be populated during autograd.backward(). If you "
                "indeed want the .grad field to be populated for a non-leaf Tensor, use "
                ".retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by "
                "mistake, make sure you access the leaf Tensor instead. See "
                "github.com/pytorch/pytorch/pull/30531 for more information.",
                UserWarning, stacklevel=2)
        return g

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError("assigned grad expected to be a Tensor or None but got grad of "
                                f"type {type(value).__name__}")
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{_c_name(value.dtype)}' to a "
                    f"tensor with grad_dtype '{self.dtype.legacy_name[:-6]}'. The gradient must "
                    "match the tensor's grad_dtype (defaults to the tensor's dtype). You can set "
                    "the tensor's grad_dtype attribute with a specific dtype, or None to allow "
                    "any dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor "
                    "and its gradient may break downstream systems that assume they match.")
            if value._data.shape != self._data.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor "
                    f"of size '{list(self.shape)}'. Please ensure that the gradient and the "
                    "tensor are the same size")
        self._grad = value

    @grad.deleter
    def grad(self):
        self._grad = None

    @property
    def is_leaf(self):
        return self.grad_fn is None

    @property
    def output_nr(self):
        """Which output of its grad_fn this tensor is (0 but for multi-output Functions)."""
        return self._extra.get("output_nr", 0) if self._extra else 0

    @property
    def _version(self):
        vc = self._vc
        if vc is None:
            return 0
        if vc is NO_VERSION:
            raise RuntimeError("Inference tensors do not track version counter.")
        return vc[0]

    def _bump_version(self):
        vc = self._vc
        if vc is None:
            self._vc = [1]
        elif vc is NO_VERSION:
            check_inference_write()     # (an inference tensor has no version to bump)
        else:
            vc[0] += 1

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
        """Compute the gradient of this tensor w.r.t. the graph leaves and add it to
        their ``.grad``. ``gradient`` is required unless the tensor holds one element.

        >>> x = ember.tensor([1.0, 2.0], requires_grad=True)
        >>> (x * x).sum().backward(); x.grad
        tensor([2., 4.])
        """
        _autograd.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def _clear_grad(self, set_to_none=True):
        """What zero_grad does to one parameter (Module's and Optimizer's): drop
        ``.grad``, or zero it in place, detached from any graph."""
        g = self._grad
        if g is None:
            return
        if set_to_none:
            self._grad = None
        else:
            if g.grad_fn is not None:
                g.detach_()
            else:
                g.requires_grad_(False)
            g.zero_()

    def register_hook(self, hook):
        """Call ``hook(grad)`` when the gradient w.r.t. this tensor is computed; it may
        return a replacement. Returns a handle with ``remove()``."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is None:
            return self._accumulator()._add_tensor_hook(0, hook)
        return self.grad_fn._add_tensor_hook(self.output_nr, hook)

    def register_post_accumulate_grad_hook(self, hook):
        """Call ``hook(tensor)`` after backward has accumulated into this leaf's ``.grad``."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf "
                               "tensors")
        return self._accumulator()._add_post_hook(hook)

    def retain_grad(self):
        """Keep ``.grad`` for this non-leaf tensor after backward (no-op on leaves)."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or self.retains_grad:
            return
        ref = weakref.ref(self)

        def store(grad):
            # Runs after the tensor's other hooks, whatever the registration order.
            tensor = ref()
            if tensor is not None:
                tensor._grad = grad.clone() if tensor._grad is None else tensor._grad + grad
        self.grad_fn._set_retain_hook(self.output_nr, store)
        # Where the hook hangs, so that an in-place op can move it to the new grad_fn.
        self._extras()["retains_grad"] = (self.grad_fn, self.output_nr, store)

    @property
    def retains_grad(self):
        """Whether ``retain_grad()`` was called (it stays True through in-place ops,
        and through ``detach_()``, as in torch)."""
        return bool(self._extra) and self._extra.get("retains_grad") is not None

    def detach(self):
        """A new tensor sharing the data, cut from the graph (writes show in both)."""
        t = _make(self._data)
        t._vc = self._shared_version()
        _keep_storage_offset(self, t)
        return t

    def detach_(self):
        """Cut this tensor from the graph, in place; it becomes a leaf."""
        if self._base is not None:
            # (torch refuses any view, whether or not it has a graph)
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using "
                "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set "
                "as True, gradients are views of DDP buckets, and hence detach_() cannot be "
                "called on these gradients. To fix this error, please refer to the "
                "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.")
        self.grad_fn = None
        self._requires_grad = False
        extra = self._extra
        if extra:
            extra.pop("output_nr", None)
            retained = extra.get("retains_grad")
            if retained is not None:
                # still retains_grad (as in torch), but no longer holds the old graph
                extra["retains_grad"] = (None, 0, retained[2])
        return self

    def _shared_version(self):
        if self._vc is None:
            self._vc = [0]
        return self._vc

    @property
    def data(self):
        """The tensor's data as a new leaf that shares memory but not the version
        counter: changes through ``.data`` go unnoticed by autograd (prefer
        ``detach()``, which is checked)."""
        t = _make(self._data)
        _keep_storage_offset(self, t)
        return t

    @data.setter
    def data(self, value):
        # x.data = other swaps the underlying array (shape/dtype may change), as in torch.
        if not isinstance(value, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
        if self._requires_grad and value._data.dtype.kind not in "fc":
            raise RuntimeError("data set to a tensor that requires gradients must be floating "
                               "point or complex dtype")
        self._data = value._data

    def is_inference(self):
        """Whether this tensor was made under ``inference_mode`` (or is a view of one
        that was): such a tensor cannot be saved for backward."""
        return self._vc is NO_VERSION

    @property
    def T(self):
        nd = self._data.ndim
        if nd == 2:
            return self.permute(1, 0)       # the usual case (PermuteBackward0, as in torch)
        if nd == 0:
            warnings.warn("Tensor.T is deprecated on 0-D tensors. This function is the identity "
                          "in these cases.", UserWarning, stacklevel=2)
        else:
            warnings.warn(
                "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
                "deprecated and it will throw an error in a future release. Consider `x.mT` to "
                "transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` "
                "to reverse the dimensions of a tensor.", UserWarning, stacklevel=2)
        return self.permute(tuple(range(nd - 1, -1, -1)))    # (a tuple: () for a 0-dim)

    @property
    def mT(self):
        nd = self._data.ndim
        if nd >= 2:
            return self.transpose(-2, -1)
        if nd == 0:
            warnings.warn("Tensor.mT is deprecated on 0-D tensors. This function is the "
                          "identity in these cases.", UserWarning, stacklevel=2)
            return self          # (torch gives the tensor itself)
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. "
                           f"Got {nd}-D tensor.")

    @property
    def H(self):
        # (ember has no complex dtypes: the conjugate transpose is the transpose)
        nd = self._data.ndim
        if nd == 2:
            return self.transpose(0, 1)
        if nd == 0:
            warnings.warn("Tensor.H is deprecated on 0-D tensors. Consider using x.conj().",
                          UserWarning, stacklevel=2)
            return self
        raise RuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got {nd}-D "
                           "tensor." + (" For batches of matrices, consider using tensor.mH"
                                        if nd > 2 else ""))

    @property
    def mH(self):
        nd = self._data.ndim
        if nd >= 2:
            return self.transpose(-2, -1)
        if nd == 0:
            warnings.warn("Tensor.mH is deprecated on 0-D tensors. Consider using x.conj().",
                          UserWarning, stacklevel=2)
            return self
        raise RuntimeError("tensor.mH is only supported on matrices or batches of matrices. "
                           f"Got {nd}-D tensor.")

    # ----------------------------------------------------------- dtype/device
    def to(self, *args, dtype=None, device=None, copy=False, non_blocking=False,
           memory_format=None, **unexpected):
        """Convert dtype and/or device: ``x.to(ember.float64)``, ``x.to('cpu')``,
        ``x.to(other)`` (other's dtype). Returns ``self`` when nothing changes, unless
        ``copy=True``; gradients flow through the conversion. A copy keeps the strides
        of ``self`` (``x.t().double().stride() == (1, 3)``) unless ``memory_format``
        asks for another layout."""
        if unexpected or dtype is not None and type(dtype) is not _dtypes.dtype:
            # (to has several signatures: an unknown keyword or a dtype name is its
            # invalid combination; float, int, bool and NumPy dtypes pass)
            try:
                _dtypes.keyword_dtype(dtype, "to") if dtype is not None else None
            except TypeError:
                unexpected = {"dtype": dtype, **unexpected}
            if unexpected:
                raise _to_call_error(args, unexpected)
        dtype, device, non_blocking, copy = _parse_to_args(args, dtype, device, non_blocking,
                                                           copy)
        if device is not None:
            to_device(device)
            if (":" in device if isinstance(device, str) else
                    isinstance(device, Device) and device.index is not None):
                copy = True     # 'cpu:0' is not the tensor's device (index None): torch copies
        if memory_format is not None and not isinstance(memory_format, _mf.memory_format):
            raise TypeError(f"to() received an invalid combination of arguments - got "
                            f"(memory_format={type(memory_format).__name__}), but expected "
                            "memory_format to be a torch.memory_format")
        fmt = _mf.preserve_format if memory_format is None else memory_format
        dtype = self.dtype if dtype is None else _dtypes.to_dtype(dtype)
        if dtype is self.dtype and not copy and (fmt is _mf.preserve_format
                                                 or _mf.suggested_format(self) is fmt):
            return self
        if fmt is _mf.preserve_format and _mf.keeps_c_order(self._data):
            return _ops_cast(self, dtype)     # the usual case: C order in, C order out
        return self._copy_as(dtype, fmt)

    def _as_dtype(self, dtype):
        """``to(dtype)`` for ``float()``, ``double()``, ``long()``...: the conversions of
        every training script, without ``to``'s sorting out of its arguments."""
        if dtype is self.dtype:
            return self
        if _mf.keeps_c_order(self._data):
            return _ops_cast(self, dtype)
        return self._copy_as(dtype, _mf.preserve_format)

    def _copy_as(self, dtype, fmt):
        """A copy in ``dtype`` laid out by ``fmt`` (preserve_format: ``self``'s layout)."""
        from .ops.pointwise import _cast_backward
        # the copy keeps the input's layout (or takes memory_format's), as torch's does;
        # the cast happens while copying into that layout
        strides = _mf.strides_for(self, fmt)      # (checks the rank for channels_last)
        from .autograd.graph import record
        token = fp_errors_off()     # nan or 1e40 into an integer: torch's cast is silent
        try:
            result = _mf.copy_laid_out(self._data, strides, _make, dtype.np)
        finally:
            fp_errors_restore(token)
        if dtype.is_floating_point:
            record("ToCopyBackward0", _cast_backward, (self,), result)
        return result

    def type(self, dtype=None, non_blocking=False):
        """With no argument, the legacy type name ('torch.FloatTensor'); else a cast."""
        if dtype is None:
            return "torch." + self.dtype.legacy_name
        if isinstance(dtype, str):
            names = {"torch." + d.legacy_name: d for d in _dtypes.ALL_DTYPES}
            if dtype not in names:
                raise ValueError(f"invalid type: {dtype!r}")
            dtype = names[dtype]
        elif isinstance(dtype, type):
            raise ValueError(f"invalid type: {dtype.__name__!r}")
        elif not isinstance(dtype, _dtypes.dtype):
            raise TypeError("dtype must be a type, str, or dtype object")
        return self.to(dtype)

    def type_as(self, other):
        if not isinstance(other, Tensor):
            from ._arg_errors import wrong_type
            raise wrong_type("type_as", "other", 1, "Tensor", other)
        return self.to(other.dtype)

    def __delitem__(self, key):
        raise TypeError("Tensor does not support deleting items")

    def cpu(self, *args, memory_format=None):
        if args:
            raise _positional_error("cpu", args)
        if memory_format is None or memory_format is _PRESERVE:
            return self
        return self.to(memory_format=memory_format)

    def cuda(self, device=None, non_blocking=False):
        to_device("cuda")

    float = _conversion("float", _dtypes.float32)
    double = _conversion("double", _dtypes.float64)
    half = _conversion("half", _dtypes.float16)
    long = _conversion("long", _dtypes.int64)
    int = _conversion("int", _dtypes.int32)
    short = _conversion("short", _dtypes.int16)
    char = _conversion("char", _dtypes.int8)
    byte = _conversion("byte", _dtypes.uint8)
    bool = _conversion("bool", _dtypes.bool)

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


# C++ type names, which torch's messages about gradient dtypes use.
_C_NAMES = {"float64": "double", "float32": "float", "float16": "c10::Half", "int64": "long int",
            "int32": "int", "int16": "short int", "int8": "signed char",
            "uint8": "unsigned char", "bool": "bool"}


def _c_name(dtype):
    return _C_NAMES[dtype.name]


def take_graph_of(tensor, result):
    """After an in-place write of ``result``'s values into ``tensor``: bump its version
    and give it ``result``'s history (grad_fn, output number, a retained grad)."""
    tensor._bump_version()
    if result.grad_fn is not None:
        tensor.grad_fn = result.grad_fn
        tensor._requires_grad = True
        follow_new_grad_fn(tensor, result.output_nr)


def follow_new_grad_fn(tensor, output_nr=0):
    """Call after an in-place op gave ``tensor`` a new ``grad_fn`` (it is output
    ``output_nr`` of that node). As in torch, a ``retain_grad()`` hook moves to
    the new node, so that ``.grad`` is the gradient of the tensor's latest
    version; hooks from ``register_hook`` stay on the old node.

    >>> x = ember.tensor([1.0], requires_grad=True)
    >>> y = x * 2; y.retain_grad(); y.mul_(3)     # mul_ calls follow_new_grad_fn(y)
    >>> (y * y).sum().backward(); y.grad          # 2 * y, with y's latest value 6
    tensor([12.])
    """
    extra = tensor._extra
    if not extra:
        if not output_nr:
            return              # the usual tensor: nothing retained, output 0
        extra = tensor._extras()
    if "views_without_grad" in extra:
        views_follow_base(tensor)
    if output_nr:
        extra["output_nr"] = output_nr
    else:
        extra.pop("output_nr", None)
    if "view_version" in extra:
        extra["view_version"] = tensor._vc[0]       # the new grad_fn is up to date
    retained = extra.get("retains_grad")
    if retained is None or tensor.grad_fn is None or retained[0] is tensor.grad_fn:
        return
    old_node, old_nr, hook = retained
    if old_node is not None:
        old_node._drop_retain_hook(old_nr, hook)
    tensor.grad_fn._set_retain_hook(output_nr, hook)
    extra["retains_grad"] = (tensor.grad_fn, output_nr, hook)


def note_view_without_grad(view):
    """Remember ``view`` (made in grad mode) on its base, which does not require grad:
    should the base come to (an in-place write of a tensor that does, or
    ``requires_grad_()``), so does the view, as in torch, where a view's
    requires_grad is its base's. Its graph is brought up to date when next used
    (graph._tensor_edge). Each view is noted once, when made: a WeakSet compares two
    weak references to one object with its ``__eq__``, elementwise for a Tensor."""
    extra = view._base._extras()
    views = extra.get("views_without_grad")
    if views is None:
        views = extra["views_without_grad"] = weakref.WeakSet()
    views.add(view)


def views_follow_base(base):
    """The views noted by note_view_without_grad require grad if ``base`` now does.
    After an in-place write each gets its new grad_fn (AsStridedBackward0 of the base
    as it is now: what torch gives the view when it is next looked at); after
    ``requires_grad_()`` of a leaf it has none, as in torch. The pieces of
    split/unbind keep theirs: using them raises torch's error (index.refresh_view)."""
    if not base._requires_grad:
        return
    from .ops.index import regraph_view
    for view in base._extra.pop("views_without_grad"):
        view._requires_grad = True
        # (a view made under no_grad, or a view of one, gets no new graph: using it
        # after this in-place write raises torch's error, shape.no_grad_view_rebased)
        if (base.grad_fn is not None and "multi_view" not in view._extra
                and "no_grad_view" not in view._extra):
            regraph_view(view)


def _is_dtype_arg(a):
    return isinstance(a, _dtypes.dtype) or a is float or a is int or a is bool


def _parse_to_args(args, dtype, device, non_blocking, copy):
    """Sort ``Tensor.to``'s positional arguments by torch's three forms: (device,
    dtype, non_blocking, copy), (dtype, non_blocking, copy), (tensor, non_blocking,
    copy); anything else is torch's TypeError naming what was given."""
    if len(args) == 1 and type(args[0]) is _dtypes.dtype:
        return args[0], device, non_blocking, copy          # the usual x.to(dtype)
    rest = list(args)
    if rest:
        first = rest[0]
        if isinstance(first, Tensor):
            dtype = first.dtype
            del rest[0]
        elif _is_dtype_arg(first):
            dtype = first
            del rest[0]
        elif first is None or isinstance(first, (str, Device)) or (
                isinstance(first, int) and not isinstance(first, bool)):
            device = first
            del rest[0]
            if rest and (rest[0] is None or _is_dtype_arg(rest[0])):
                dtype = rest.pop(0)
    if len(args) > 4:
        raise TypeError(f"to() takes from 0 to 4 positional arguments but {len(args)} were given")
    if len(rest) <= 2 and all(type(a) is bool for a in rest):
        if rest:
            non_blocking = rest[0]
        if len(rest) == 2:
            copy = rest[1]
        return dtype, device, non_blocking, copy
    raise _to_call_error(args, {})


_TO_SIGNATURES = (
    "(torch.device device = None, torch.dtype dtype = None, bool non_blocking = False, "
    "bool copy = False, *, torch.memory_format memory_format = None)",
    "(torch.dtype dtype, bool non_blocking = False, bool copy = False, *, "
    "torch.memory_format memory_format = None)",
    "(Tensor tensor, bool non_blocking = False, bool copy = False, *, torch.memory_format "
    "memory_format = None)")


def _torch_qualnames():
    """Name the class's methods as torch's errors do (``type() got an unexpected keyword
    argument``, not ``Tensor.type()``): Python words its binding errors by qualname."""
    for name in ("type", "size", "requires_grad_"):
        method = Tensor.__dict__.get(name)
        if callable(method) and hasattr(method, "__qualname__"):
            method.__qualname__ = name


def _to_call_error(args, keywords):
    """torch's TypeError for a Tensor.to call none of its three signatures takes."""
    from ._arg_errors import invalid_combination
    return invalid_combination("to", args, keywords, _TO_SIGNATURES)


def _ops_cast(tensor, dtype):
    """ops.pointwise.cast. The ops modules import this one, so cast is imported on
    first use, and then takes this function's place (later calls go straight to it)."""
    global _ops_cast
    from .ops.pointwise import cast as _ops_cast
    return _ops_cast(tensor, dtype)


def _keep_storage_offset(source, alias):
    """``alias`` shares ``source``'s memory without being a view of it (detach, .data):
    it reports the same storage offset, as in torch (an int is kept, not the source),
    and if empty, the same strides."""
    if source._base is not None or source._extra:
        if not source._data.size:
            layout = _empty_layout(source)
            if layout:
                alias._extra = {"layout": (alias._data,) + layout}
            return
        offset = source.storage_offset()
        if offset:
            alias._extra = {"storage_offset": offset}


def _empty_layout(t):
    """(strides, storage offset) torch gives the empty view ``t``, or None. They are
    kept with the array they describe: a tensor given other data (``x.data = y``)
    no longer has them."""
    extra = t._extra
    layout = extra.get("layout") if extra else None
    if layout is not None and layout[0] is t._data:
        return layout[1:]
    return None


def _rebuild(data, requires_grad):
    return _make(data, requires_grad)


def _dim_arg(dim, op):
    """A dim that is not an int, as torch takes it (a NumPy integer, an integer 0-dim
    tensor) or its TypeError (ops._common.int_arg, imported here on this rare path:
    the ops modules import this one)."""
    from .ops._common import int_arg
    try:
        return int_arg(dim, op)
    except TypeError as error:
        # x.size(dim) and x.stride(dim) take it first: torch's message says so
        raise TypeError(str(error).replace("'dim' must", "'dim' (position 1) must")) from None


def _wrap_dim(dim, ndim):
    """Turn a possibly negative dim into an index, with torch's IndexError text."""
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim % n


def _wrap_own_dim(dim, ndim):
    """_wrap_dim for x.size(dim) and x.stride(dim), which (unlike ops reducing a 0-dim
    tensor over dim 0) know no dim at all of a 0-dim tensor."""
    if ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    return _wrap_dim(dim, ndim)


def grad_enabled_for(*tensors):
    """True if an op on these inputs must record a graph."""
    if not _state.enabled:
        return False
    return any(getattr(t, "_requires_grad", False) for t in tensors)


_torch_qualnames()
