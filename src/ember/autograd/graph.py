"""Nodes of the backward graph.

Every differentiable op that runs with grad enabled on an input that requires
grad creates one :class:`Node` and hangs it on its output as ``grad_fn``. The
node knows:

* its torch name (``MulBackward0``), which is also its class name, so that
  ``type(y.grad_fn).__name__`` and ``repr`` read as in torch;
* ``backward``: the op's backward function, ``backward(ctx, grad) -> grads``,
  one gradient (or None) per input, written with ember ops so that
  ``create_graph=True`` differentiates it again;
* ``next_functions``: for each input, the node its gradient flows into
  (the input's own ``grad_fn``, or an :class:`AccumulateGrad` for a leaf);
* the tensors saved for backward, each with the version it had when saved, so
  that an in-place change between forward and backward is caught.
"""
from .grad_mode import _state

_FREED = ("Trying to backward through the graph a second time (or directly access saved "
          "tensors after they have already been freed). Saved intermediate values of the graph "
          "are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if "
          "you need to backward through the graph a second time or if you need to access saved "
          "tensors after calling backward.")


class Node:
    """One step of the backward graph (torch's ``grad_fn`` objects)."""

    _name = "Node"

    def __init__(self, backward, inputs):
        self.backward = backward
        self.next_functions = tuple(_edge(t) for t in inputs)
        # needs_input_grad[i]: does input i want a gradient? Backward functions may
        # skip work for the others (ctx.needs_input_grad, as in torch).
        self.needs_input_grad = tuple(e[0] is not None for e in self.next_functions)
        self.input_meta = tuple((t.shape, t.dtype) if hasattr(t, "_data") else None
                                for t in inputs)
        self._saved = ()
        self._saved_versions = ()
        self._freed = False
        self.pre_hooks = None     # hooks of the output tensor (register_hook on non-leaves)

    def name(self):
        return self._name

    def __repr__(self):
        return f"<{self._name} object at {id(self):#x}>"

    # ------------------------------------------------------------ saved tensors
    def save_for_backward(self, *tensors):
        """Keep tensors for backward, remembering their versions."""
        self._saved = tensors
        # Python scalars may be saved too (x * 2 keeps the 2); only tensors have versions.
        self._saved_versions = tuple(getattr(t, "_version", None) for t in tensors)

    @property
    def saved_tensors(self):
        """The saved tensors; raises if freed or modified in place since."""
        if self._freed:
            raise RuntimeError(_FREED)
        for t, v in zip(self._saved, self._saved_versions):
            if v is not None and t._version != v:
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified by "
                    f"an inplace operation: [torch.{t.dtype.legacy_name} {list(t.shape)}], which "
                    f"is output 0 of {self._name}, is at version {t._version}; expected version "
                    f"{v} instead. Hint: the backtrace further above can show the operation that "
                    "failed to compute its gradient.")
        return self._saved

    def release(self):
        """Drop the saved values after a backward without retain_graph."""
        self._saved = ()
        self._freed = True
        for k in [k for k in self.__dict__ if k.startswith("saved_")]:
            del self.__dict__[k]

    def apply(self, grad):
        if self._freed:
            raise RuntimeError(_FREED)
        return self.backward(self, grad)

    def register_hook(self, fn):
        """Called with (grad_inputs, grad_outputs) after this node ran (rarely needed)."""
        raise NotImplementedError("Node.register_hook is not supported; use Tensor.register_hook")


class AccumulateGrad(Node):
    """The sink for a leaf tensor: adds the arriving gradient into ``leaf.grad``."""

    _name = "AccumulateGrad"

    def __init__(self, variable):
        self.variable = variable
        self.next_functions = ()
        self.needs_input_grad = ()
        self._freed = False
        self.pre_hooks = None

    def apply(self, grad):
        raise AssertionError("AccumulateGrad is handled by the engine")


_NODE_CLASSES = {}


def node_class(name):
    """The Node subclass called ``name`` (created once, then cached)."""
    cls = _NODE_CLASSES.get(name)
    if cls is None:
        cls = _NODE_CLASSES[name] = type(name, (Node,), {"_name": name})
    return cls


def _edge(t):
    """Where the gradient of input ``t`` goes: (node, 0), or (None, 0) if nowhere."""
    if t is None or not hasattr(t, "_data") or not t._requires_grad:
        return (None, 0)
    if t.grad_fn is not None:
        return (t.grad_fn, 0)
    return (t._accumulator(), 0)


def record(name, backward, inputs, output):
    """Create the node for one op if a gradient is needed, else return None.

    ``inputs`` may contain None or Python scalars (they get no gradient). The
    output becomes a non-leaf that requires grad, with the node as ``grad_fn``.
    """
    if not _state.enabled:
        return None
    for t in inputs:
        if getattr(t, "_requires_grad", False):
            break
    else:
        return None
    node = node_class(name)(backward, inputs)
    output._requires_grad = True
    output.grad_fn = node
    return node
