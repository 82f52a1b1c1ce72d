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

``forward`` runs with grad mode off and gets the tensors themselves; ``apply``
hangs one node on the outputs whose backward calls the user's ``backward``.
"""
from .grad_mode import _state
from .graph import node_class


class FunctionCtx:
    """What forward stores for backward (``ctx``), before the node exists."""

    def save_for_backward(self, *tensors):
        self.to_save = tensors

    def mark_dirty(self, *tensors):
        self.dirty_tensors = tensors

    def mark_non_differentiable(self, *tensors):
        self.non_differentiable = tensors

    def set_materialize_grads(self, value):
        self.materialize_grads = value


class _FunctionMeta(type):
    def __init__(cls, name, bases, attrs):
        super().__init__(name, bases, attrs)
        cls._backward_cls = node_class(name + "Backward")


class Function(metaclass=_FunctionMeta):
    """Base class for custom autograd ops: define static ``forward(ctx, *args)`` and
    ``backward(ctx, *grads)``, then call ``MyOp.apply(*args)``."""

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for "
                                  "your custom autograd.Function to use it with backward mode AD.")

    vjp = backward

    @classmethod
    def apply(cls, *args, **kwargs):
        from .._tensor import Tensor
        ctx = FunctionCtx()
        prev = _state.enabled
        _state.enabled = False
        try:
            outputs = cls.forward(ctx, *args, **kwargs)
        finally:
            _state.enabled = prev
        single = not isinstance(outputs, tuple)
        outs = (outputs,) if single else outputs
        tensor_inputs = tuple(a if isinstance(a, Tensor) else None for a in args)
        if prev and any(t is not None and t._requires_grad for t in tensor_inputs):
            user_backward = cls.backward
            if len(outs) != 1:
                raise NotImplementedError(
                    "ember's autograd.Function supports one output tensor per op")

            def backward(node, grad):
                result = user_backward(node, grad)
                result = result if isinstance(result, tuple) else (result,)
                if len(result) != len(args):
                    raise RuntimeError(
                        f"function {cls.__name__}Backward returned an incorrect number of "
                        f"gradients (expected {len(args)}, got {len(result)})")
                return tuple(g if t is not None else None for g, t in zip(result, tensor_inputs))

            out = outs[0]
            if out.grad_fn is not None or out._base is not None or any(
                    out is t for t in tensor_inputs):
                out = out.view_as(out)      # a fresh tensor to hang the node on
            node = cls._backward_cls(backward, tensor_inputs)
            node.__dict__.update(ctx.__dict__)
            node.save_for_backward(*getattr(ctx, "to_save", ()))
            out._requires_grad = True
            out.grad_fn = node
            outs = (out,)
        return outs[0] if single else outs


class once_differentiable:
    """Decorator kept for torch compatibility: the backward is run as written."""

    def __new__(cls, fn):
        return fn
