"""The ``Optimizer`` base class: parameter groups, per-parameter state, checkpoints.

An optimizer holds ``param_groups`` (a list of dicts: the group's tensors under
``'params'`` and every hyper-parameter, defaults filled in) and ``state`` (a
dict from parameter tensor to that parameter's buffers, e.g. ``'exp_avg'``).
Subclasses only write ``step``; everything else lives here.

    w = ember.zeros(3, requires_grad=True)
    opt = ember.optim.SGD([w], lr=0.1)
    (w - 1).pow(2).sum().backward()
    opt.step()           # w is updated in place: tensor([0.2000, 0.2000, 0.2000], ...)
    opt.zero_grad()      # w.grad is None again

How updates are written
-----------------------
Each optimizer's arithmetic follows torch's single-tensor code path operation
by operation (same order, same dtype), so that 200 steps on ember and on torch
agree to rounding. The updates act on the NumPy arrays behind the tensors
(``p._data``) with in-place ufuncs rather than through ember's Tensor ops: an
update is never differentiated (torch runs it under ``no_grad`` too), and going
through Tensor ops would allocate a tensor and consult grad mode per
arithmetic operation, which costs more than the arithmetic on small models.
Writing into ``p._data`` keeps the parameter object (and any view of it) the
same, as torch's ``param.add_`` does, and each update bumps the parameter's
version counter, as every in-place write must.
"""
from collections import OrderedDict, defaultdict
from copy import deepcopy
from functools import wraps
from itertools import chain
import threading
import warnings

import numpy as np

from .._tensor import Tensor, _make
from .. import _dtypes
from ..autograd.grad_mode import enable_grad, NO_VERSION, check_inference_write
from .._hooks import RemovableHandle

__all__ = ["Optimizer", "register_optimizer_step_pre_hook", "register_optimizer_step_post_hook",
           "required"]

# Hooks that run around the step of every optimizer (handle id -> hook).
_global_optimizer_pre_hooks = OrderedDict()
_global_optimizer_post_hooks = OrderedDict()


def register_optimizer_step_pre_hook(hook):
    """Run ``hook(optimizer, args, kwargs)`` before the ``step`` of every optimizer.

    ``args`` holds the optimizer itself first, as ``step`` receives it; the hook
    may return a new ``(args, kwargs)`` pair for ``step`` to be called with.
    Returns a handle whose ``remove()`` unregisters it.

    >>> handle = register_optimizer_step_pre_hook(lambda opt, args, kwargs: print("step"))
    >>> handle.remove()
    """
    handle = RemovableHandle(_global_optimizer_pre_hooks)
    _global_optimizer_pre_hooks[handle.id] = hook
    return handle


def register_optimizer_step_post_hook(hook):
    """Run ``hook(optimizer, args, kwargs)`` after the ``step`` of every optimizer.

    >>> handle = register_optimizer_step_post_hook(lambda opt, args, kwargs: None)
    >>> handle.remove()
    """
    handle = RemovableHandle(_global_optimizer_post_hooks)
    _global_optimizer_post_hooks[handle.id] = hook
    return handle


def _run_step_with_hooks(step, args, kwargs):
    """Call ``step(*args, **kwargs)`` between the pre-hooks (global ones first) and the
    post-hooks (the optimizer's own first), as torch orders them."""
    self = args[0]
    for pre_hook in chain(_global_optimizer_pre_hooks.values(),
                          self._optimizer_step_pre_hooks.values()):
        result = pre_hook(self, args, kwargs)
        if result is not None:
            if isinstance(result, tuple) and len(result) == 2:
                args, kwargs = result
            else:
                raise RuntimeError(f"{step} must return None or a tuple of (new_args, "
                                   f"new_kwargs), but got {result}.")
    out = step(*args, **kwargs)
    for post_hook in chain(self._optimizer_step_post_hooks.values(),
                           _global_optimizer_post_hooks.values()):
        post_hook(self, args, kwargs)
    return out


def _hooked_step(step):
    """Wrap an optimizer class's ``step`` so that the step hooks run around it.

    ``opt.step()`` runs once per minibatch, so with no hook registered the wrapper
    only tests four dicts for emptiness before calling the real ``step``.
    """
    @wraps(step)
    def step_with_hooks(self, *args, **kwargs):
        if (_global_optimizer_pre_hooks or _global_optimizer_post_hooks
                or self._optimizer_step_pre_hooks or self._optimizer_step_post_hooks):
            return _run_step_with_hooks(step, (self, *args), kwargs)
        return step(self, *args, **kwargs)

    step_with_hooks.hooked = True
    return step_with_hooks


class _RequiredParameter:
    """Marks a hyper-parameter that every param group must give (no default)."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()


def _typename(obj):
    """The type name torch shows in its errors ('torch.FloatTensor', 'int', 'numpy.ndarray')."""
    if isinstance(obj, Tensor):
        return obj.type()
    cls = type(obj)
    module = cls.__module__ or ""
    return cls.__qualname__ if module in ("", "builtins") else f"{module}.{cls.__qualname__}"


class Optimizer:
    """Base class of all optimizers (``torch.optim.Optimizer``).

    ``params`` is an iterable of tensors, of ``(name, tensor)`` pairs, or of
    dicts (parameter groups, each with its own options); ``defaults`` holds the
    options groups inherit when they do not set them.

    >>> a, b = ember.zeros(2, requires_grad=True), ember.zeros(2, requires_grad=True)
    >>> opt = ember.optim.SGD([{"params": [a]}, {"params": [b], "lr": 1.0}], lr=0.1)
    >>> [g["lr"] for g in opt.param_groups]
    [0.1, 1.0]
    """

    def __init__(self, params, defaults):
        self.defaults = defaults
        self._init_hooks()
        self._patch_step_function()
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            "Tensors or dicts, but got " + _typename(params))
        self.state = defaultdict(dict)
        self.param_groups = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for group in param_groups:
            self.add_param_group(group)

    # ---------------------------------------------------------------- groups
    def add_param_group(self, param_group):
        """Add a group of parameters (a dict with ``'params'`` and any options),
        e.g. when unfreezing layers during fine-tuning."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, "
                            "but the ordering of tensors in sets will change between runs. "
                            "Please use a list instead.")
        else:
            params = list(params)

        # Parameters may come named, as (name, tensor) pairs from named_parameters().
        names = [p[0] for p in params if isinstance(p, tuple)]
        params = [p[1] if isinstance(p, tuple) else p for p in params]
        param_group["params"] = params
        if names:
            if len(names) != len(params):
                raise ValueError("all optimizer params should be with/without names. Some "
                                 "param names are missing")
            param_group["param_names"] = names

        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                + _typename(p))
            if not (p.is_leaf or p.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")

        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError("parameter group didn't specify a value of required "
                                 f"optimization parameter {name}")
            param_group.setdefault(name, default)

        # Identity sets: a Tensor's == is elementwise, so ordinary sets of tensors are unsafe.
        ids = [id(p) for p in params]
        if len(ids) != len(set(ids)):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; "
                          "in future, this will cause an error; see "
                          "github.com/pytorch/pytorch/issues/40967 for more information",
                          UserWarning, stacklevel=3)
        seen = set()
        for group in self.param_groups:
            seen.update(id(p) for p in group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {which} to the optimizer")
        if not seen.isdisjoint(ids):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    # ------------------------------------------------------------------ hooks
    def _init_hooks(self):
        for name in ("_optimizer_step_pre_hooks", "_optimizer_step_post_hooks",
                     "_optimizer_state_dict_pre_hooks", "_optimizer_state_dict_post_hooks",
                     "_optimizer_load_state_dict_pre_hooks",
                     "_optimizer_load_state_dict_post_hooks"):
            if name not in self.__dict__:
                setattr(self, name, OrderedDict())

    def _patch_step_function(self):
        """Wrap this class's ``step`` (once per class, as torch does on first use) so the
        step hooks run around every subclass's own ``step``."""
        cls = self.__class__
        if not getattr(cls.step, "hooked", False):
            cls.step = _hooked_step(cls.step)

    @staticmethod
    def _register(hooks, hook, prepend=False):
        handle = RemovableHandle(hooks)
        hooks[handle.id] = hook
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        return handle

    def register_step_pre_hook(self, hook):
        """Run ``hook(optimizer, args, kwargs)`` before each ``step`` of this optimizer
        (after the global pre-hooks). ``args`` starts with the optimizer; returning a
        new ``(args, kwargs)`` pair changes what ``step`` is called with.

        >>> handle = opt.register_step_pre_hook(lambda o, args, kwargs: print("about to step"))
        >>> handle.remove()
        """
        return self._register(self._optimizer_step_pre_hooks, hook)

    def register_step_post_hook(self, hook):
        """Run ``hook(optimizer, args, kwargs)`` after each ``step`` of this optimizer
        (before the global post-hooks)."""
        return self._register(self._optimizer_step_post_hooks, hook)

    def register_state_dict_pre_hook(self, hook, prepend=False):
        """Run ``hook(optimizer)`` before :meth:`state_dict` builds its dict
        (``prepend=True``: before the hooks already registered)."""
        return self._register(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook, prepend=False):
        """Run ``hook(optimizer, state_dict)`` on the dict :meth:`state_dict` returns; a
        non-None result replaces the dict."""
        return self._register(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook, prepend=False):
        """Run ``hook(optimizer, state_dict)`` before :meth:`load_state_dict` (on a shallow
        copy of the dict given); a non-None result is loaded instead."""
        return self._register(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook, prepend=False):
        """Run ``hook(optimizer)`` after :meth:`load_state_dict` has loaded."""
        return self._register(self._optimizer_load_state_dict_post_hooks, hook, prepend)

    # ------------------------------------------------------------------ steps
    def step(self, closure=None):
        """Update the parameters once from their ``.grad``; subclasses implement it."""
        raise NotImplementedError

    @staticmethod
    def _evaluate(closure):
        """Run ``step``'s closure with grad mode on (it usually calls backward)."""
        if closure is None:
            return None
        with enable_grad():
            return closure()

    def zero_grad(self, set_to_none=True):
        """Clear every parameter's gradient: set it to None (default) or fill it with 0."""
        for group in self.param_groups:
            for p in group["params"]:
                p._clear_grad(set_to_none)

    def _new_step_counter(self):
        """The 0-dim ``'step'`` tensor torch keeps per parameter: float32, or float64 when
        that is the default dtype."""
        dt = np.float64 if _dtypes.get_default_dtype() is _dtypes.float64 else np.float32
        return _make(np.zeros((), dtype=dt))

    # ----------------------------------------------------------- checkpoints
    def state_dict(self):
        """The optimizer's state as ``{'state': {index: {...}}, 'param_groups': [...]}``.

        Parameters are replaced by their index, counted across groups in order,
        so that the dict can be loaded into a new optimizer over new tensors.
        The state tensors are the optimizer's own (not copies), as in torch.
        """
        for pre_hook in self._optimizer_state_dict_pre_hooks.values():
            pre_hook(self)
        index_of = {}

        def pack(group):
            packed = {k: v for k, v in group.items() if k != "params"}
            for p in group["params"]:
                index_of.setdefault(id(p), len(index_of))
            packed["params"] = [index_of[id(p)] for p in group["params"]]
            return packed

        param_groups = [pack(g) for g in self.param_groups]
        state = {(index_of[id(k)] if isinstance(k, Tensor) else k): v
                 for k, v in self.state.items()}
        state_dict = {"state": state, "param_groups": param_groups}
        for post_hook in self._optimizer_state_dict_post_hooks.values():
            result = post_hook(self, state_dict)
            if result is not None:
                state_dict = result
        return state_dict

    def load_state_dict(self, state_dict):
        """Load a dict made by :meth:`state_dict` (of an optimizer of the same shape).

        Buffers are cast to their parameter's dtype and copied. (torch keeps the
        very tensors of ``state_dict`` when no cast is needed, so two optimizers
        loaded from one in-memory dict would share, and both update, the same
        buffers; ember copies them.)
        """
        state_dict = state_dict.copy()      # shallow, so that hooks may edit it
        for pre_hook in self._optimizer_load_state_dict_pre_hooks.values():
            result = pre_hook(self, state_dict)
            if result is not None:
                state_dict = result
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match "
                             "the size of optimizer's group")
        param_of = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                            chain.from_iterable(g["params"] for g in groups)))

        def cast(param, value, key=None):
            if isinstance(value, Tensor):
                if key != "step" and param.is_floating_point():
                    value = value.to(param.dtype)
                return value.detach().clone()
            if isinstance(value, dict):
                return {k: cast(param, v, k) for k, v in value.items()}
            if isinstance(value, (list, tuple)):
                return type(value)(cast(param, v) for v in value)
            return value

        state = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in param_of:
                state[param_of[k]] = cast(param_of[k], v)
            else:
                state[k] = v

        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
            self._fill_group_defaults(saved)
        self.state = state
        self.param_groups = saved_groups
        for post_hook in self._optimizer_load_state_dict_post_hooks.values():
            post_hook(self)

    def _fill_group_defaults(self, group):
        """Options missing from an older checkpoint's group take this optimizer's defaults."""
        for name, default in self.defaults.items():
            if default is not required:
                group.setdefault(name, default)

    # ------------------------------------------------------------ pickling
    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state,
                "param_groups": self.param_groups}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._init_hooks()                  # hooks are not pickled
        self._patch_step_function()

    def __repr__(self):
        text = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"


# ------------------------------------------------------- update arithmetic
# Small helpers the optimizers share. They mirror the exact arithmetic of
# torch's CPU kernels, because a different rounding drifts over many steps.

def _lr(value):
    """A learning rate (or other option) that may be a 1-element tensor, as a float."""
    return float(value) if isinstance(value, Tensor) else value


def _check_tensor_option(value, name):
    """A hyper-parameter given as a tensor must hold one number (checked before the
    range checks, whose comparison would fail on a longer tensor with a vaguer error)."""
    if isinstance(value, Tensor) and value.numel() != 1:
        raise ValueError(f"Tensor {name} must be 1-element")


def _grad_array(p, maximize):
    """The gradient array of ``p`` (negated for ``maximize``); never written to. Every
    optimizer asks for it before it changes ``p`` or its state: so an inference tensor
    ``p`` is refused here, outside inference_mode, before anything changes."""
    if p._vc is NO_VERSION:
        check_inference_write()
    g = p.grad._data
    return np.negative(g) if maximize else g


def _fma(a, b, c, out=None):
    """``a * b + c`` rounded once, into ``out`` if given (``out`` may be ``c``).

    torch's CPU kernels for ``add(x, alpha=...)``, ``addcmul`` and ``lerp`` use
    fused multiply-add instructions: the product is not rounded before the sum.
    For float32 we get the same by computing in float64, where the product of two
    float32 numbers is exact, and rounding once to float32 (the two roundings differ
    from a true FMA only when the float64 sum falls exactly halfway between two
    float32 numbers). Without it a float32 SGD run drifts from torch's by a few
    1e-6 (relative) over 200 steps; with it, most runs are bit-identical. The price
    is a float64 temporary: about 4x the time of a plain float32 update, some 30 us
    per 16k parameters. float64 keeps the plain formula: its rounding is far below
    anything observable.
    """
    dtype = c.dtype
    if dtype == np.float32:
        if isinstance(a, float):
            a = np.float32(a)          # torch rounds a scalar factor to float32 first
        if out is not None and out.size > _CHUNK and _flat_alike(out, b, c) and (
                np.ndim(a) == 0):
            return _fma32_chunked(a, b, c, out)
        product = np.multiply(a, b, dtype=np.float64)
        product += c
        if out is None:
            return product.astype(np.float32)
        np.copyto(out, product, casting="same_kind")     # the one rounding to float32
        return out
    if out is None:
        return a * b + c
    if out is c:
        out += a * b
    else:
        np.copyto(out, a * b + c)
    return out


# Large float32 updates go through the float64 temporary in pieces of this many
# elements: 256 KB that stay in cache and are reused, where one whole-tensor temporary
# (14 MB for a 1.8M-parameter model) costs fresh pages and a trip through memory.
# One buffer per thread: optimizers stepping in two threads at once must not share it.
_CHUNK = 1 << 15
_scratch = threading.local()


def _flat_alike(out, b, c):
    """True when out, b and c are C-contiguous float32 arrays of one shape (so that
    flat slices of the three line up)."""
    return all(isinstance(x, np.ndarray) and x.shape == out.shape and x.dtype == np.float32
               and x.flags.c_contiguous for x in (out, b, c))


def _fma32_chunked(a, b, c, out):
    """_fma's float32 path, piece by piece; the same operations, so the same bits."""
    flat_b, flat_c, flat_out = b.reshape(-1), c.reshape(-1), out.reshape(-1)
    buffer = getattr(_scratch, "buffer", None)
    if buffer is None:
        buffer = _scratch.buffer = np.empty(_CHUNK, np.float64)
    n = flat_out.size
    for start in range(0, n, _CHUNK):
        stop = min(start + _CHUNK, n)
        product = buffer[:stop - start]
        np.multiply(a, flat_b[start:stop], out=product, dtype=np.float64)
        product += flat_c[start:stop]
        np.copyto(flat_out[start:stop], product, casting="same_kind")
    return out


def _lerp_(start, end, weight):
    """start <- lerp(start, end, weight) in place, with torch's two formulas: for
    |weight| < 0.5 start + weight * (end - start), else end + (weight - 1) * (end - start)
    (which keeps the result exact at both ends); weight is rounded to the dtype first."""
    w = start.dtype.type(weight)
    diff = np.subtract(end, start)
    if abs(weight) < 0.5:
        _fma(w, diff, start, out=start)
    else:
        _fma(w - 1, diff, end, out=start)


def _mark_updated(p):
    """Record an in-place write to ``p`` (autograd checks versions of saved tensors)."""
    p._bump_version()
