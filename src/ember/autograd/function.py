"""User-defined differentiable ops: ``ember.autograd.Function``.

    class Square(ember.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return 2 * x * grad

    y = Square.apply(x)

``forward`` runs with grad mode off and gets the arguments themselves (tensors
and any other values); it may return one tensor or a tuple. ``apply`` hangs
one node on the outputs whose backward calls the user's ``backward`` with one
gradient per output and expects one gradient (or None) per input.

torch's newer style, ``forward(*args)`` without ctx plus a separate
``setup_context(ctx, inputs, output)``, works too.
"""
import functools

from .grad_mode import _state, no_grad
from .graph import node_class


class FunctionCtx:
    """What forward stores for backward (``ctx``); its attributes move to the node."""

    def save_for_backward(self, *tensors):
        from .._tensor import Tensor
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(f"save_for_backward can only save variables, but argument {i} "
                                f"is of type {type(t).__name__}")
        self.to_save = tensors

    def save_for_forward(self, *tensors):
        self.saved_for_forward = tensors

    def mark_dirty(self, *tensors):
        self.dirty_tensors = tensors

    def mark_non_differentiable(self, *tensors):
        self.non_differentiable = tensors

    def set_materialize_grads(self, value):
        self.materialize_grads = bool(value)


BackwardCFunction = FunctionCtx


class _FunctionMeta(type):
    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        cls._backward_cls = node_class(name + "Backward")


class Function(metaclass=_FunctionMeta):
    """Base class for custom autograd ops: define static ``forward(ctx, *args)`` and
    ``backward(ctx, *grads)``, then call ``MyOp.apply(*args)``."""

    def __init__(self, *args, **kwargs):
        import warnings
        warnings.warn(f"{type(self).__name__} should not be instantiated. Methods on autograd "
                      "functions are all static, so you should invoke them on the class itself. "
                      "Instantiating an autograd function will raise an error in a future "
                      "version of PyTorch.", DeprecationWarning, stacklevel=2)

    def __call__(self, *args, **kwargs):
        raise RuntimeError("Legacy autograd function with non-static forward method is "
                           "deprecated. Please use new-style autograd function with static "
                           "forward method. (Example: "
                           "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)")

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for "
                                  "your custom autograd.Function to use it with backward mode AD.")

    vjp = backward

    @staticmethod
    def jvp(ctx, *grad_inputs):
        raise NotImplementedError("You must implement the jvp function for custom "
                                  "autograd.Function to use it with forward mode AD.")

    @classmethod
    def apply(cls, *args, **kwargs):
        from .._tensor import Tensor, follow_new_grad_fn
        grad_on = _state.enabled
        needs = tuple(grad_on and isinstance(a, Tensor) and a._requires_grad for a in args)
        ctx = FunctionCtx()
        ctx.needs_input_grad = needs
        separate_setup = cls.setup_context is not Function.setup_context
        _state.enabled = False
        try:
            if separate_setup:
                outputs = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, outputs)
            else:
                outputs = cls.forward(ctx, *args, **kwargs)
        finally:
            _state.enabled = grad_on
        if not any(needs):
            return outputs
        single = not isinstance(outputs, tuple)
        outs = [outputs] if single else list(outputs)
        node = cls._backward_cls(_make_backward(cls, len(args)), args)
        node.num_outputs = len(outs)
        node.output_meta = tuple((o.shape, o.dtype) if isinstance(o, Tensor) else None
                                 for o in outs)
        node.materialize_grads = True
        saved = ctx.__dict__.pop("to_save", ())
        for key, value in ctx.__dict__.items():
            if key != "needs_input_grad":           # the node works it out from its edges
                setattr(node, key, value)
        originals = list(outs)
        dirty = getattr(ctx, "dirty_tensors", ())
        non_diff = getattr(ctx, "non_differentiable", ())
        for i, o in enumerate(outs):
            if not isinstance(o, Tensor):
                continue
            if any(o is d for d in dirty):
                if o._requires_grad and o.grad_fn is None:
                    raise RuntimeError("a leaf Variable that requires grad has been used in an "
                                       "in-place operation.")
            elif o.grad_fn is not None or any(o is a for a in args) or o._base is not None:
                o = outs[i] = _alias(o)      # a fresh tensor to hang the node on
                # a view made in forward (or an input returned as-is): writing to it in
                # place would bypass the custom backward, which torch forbids (with the
                # message of split's pieces when the Function has several outputs)
                rule = "multi_view" if len(outs) > 1 else "custom_view"
                o._extras()[rule] = (i, cls.__name__)
            if any(o is n for n in non_diff) or not o.dtype.is_floating_point:
                continue
            o._requires_grad = True
            o.grad_fn = node
            if i:
                o._extras()["output_nr"] = i
            if o._extra:        # an input modified in place (mark_dirty) may retain its grad
                follow_new_grad_fn(o, i)
        # Saved last, once the outputs hang on the node: a saved output is then kept as
        # the node's own output (its data, not the tensor: no node -> output -> node cycle)
        final = {id(a): b for a, b in zip(originals, outs)}
        node.save_for_backward(*(final.get(id(t), t) for t in saved))
        return outs[0] if single else tuple(outs)


def _alias(t):
    """A new tensor object sharing ``t``'s data and version counter, with no history."""
    from .._tensor import _make
    a = _make(t._data)
    a._vc = t._shared_version()
    a._base = t._base if t._base is not None else t
    return a


def _make_backward(cls, n_args):
    """The node's backward: call the user's with one gradient per output."""
    user_backward = cls.backward

    def backward(node, grads):
        grads = (grads,) if node.num_outputs == 1 else tuple(grads)
        if node.materialize_grads:
            from ..ops.creation import zeros
            grads = tuple(
                zeros(meta[0], dtype=meta[1]) if g is None and meta is not None else g
                for g, meta in zip(grads, node.output_meta))
        result = user_backward(node, *grads)
        result = result if isinstance(result, tuple) else (result,)
        if len(result) != n_args:
            # Extra trailing Nones are tolerated, as in torch.
            if len(result) > n_args and all(r is None for r in result[n_args:]):
                result = result[:n_args]
            else:
                raise RuntimeError(
                    f"function {cls.__name__}Backward returned an incorrect number of "
                    f"gradients (expected {n_args}, got {len(result)})")
        return tuple(g if needs else None for g, needs in zip(result, node.needs_input_grad))

    return backward


def once_differentiable(fn):
    """Decorate a backward that is not itself differentiable: it runs under no_grad."""
    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with no_grad():
            return fn(ctx, *args)
    return wrapper


class InplaceFunction(Function):
    def __init__(self, inplace=False):
        self.inplace = inplace


class NestedIOFunction(Function):
    pass
