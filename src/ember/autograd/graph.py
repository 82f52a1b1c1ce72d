"""Nodes of the backward graph.

Every differentiable op that runs with grad enabled on an input that requires
grad creates one :class:`Node` and hangs it on its output as ``grad_fn``. The
node knows:

* its torch name (``MulBackward0``), which is also its class name, so that
  ``type(y.grad_fn).__name__`` and ``repr`` read as in torch;
* ``backward``: the op's backward function, ``backward(ctx, grad) -> grads``,
  one gradient (or None) per input, written with ember ops so that
  ``create_graph=True`` differentiates it again;
* ``next_functions``: for each input, the edge ``(node, output_nr)`` its
  gradient flows into (the input's own ``grad_fn``, or an
  :class:`AccumulateGrad` for a leaf; ``(None, 0)`` for inputs that need none);
* the tensors saved for backward, each with the version it had when saved, so
  that an in-place change between forward and backward is caught.

Most nodes have one output. Custom ``autograd.Function`` ops may have several;
their node then receives a tuple of gradients, one per output.
"""
import itertools
import re

from .._hooks import RemovableHandle
from .grad_mode import _state, NO_VERSION, SAVE_INFERENCE_ERROR

_FREED = ("Trying to backward through the graph a second time (or directly access saved "
          "tensors after they have already been freed). Saved intermediate values of the graph "
          "are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if "
          "you need to backward through the graph a second time or if you need to access saved "
          "tensors after calling backward.")

# Creation order of nodes: the engine runs later nodes first, as torch does, which
# fixes the order in which hooks fire.
_sequence = itertools.count()


class Node:
    """One step of the backward graph (torch's ``grad_fn`` objects)."""

    _name = "Node"
    # Every op that records a node pays for what its constructor sets, so the fields
    # every node has live in slots and the rest are class-level defaults: a node
    # that gets hooks, several outputs or op-specific values (ctx.k = 3) stores
    # them in its __dict__.
    __slots__ = ("backward", "next_functions", "input_meta", "_saved", "_saved_meta",
                 "_freed", "_seq", "_needs", "__dict__", "__weakref__")
    # (hooks are kept in dicts keyed by their RemovableHandle's id, in call order)
    tensor_hooks = None     # hooks of the output tensors, by output number: {nr: {id: hook}}
    retain_hooks = None     # retain_grad hooks, which run after them: {nr: hook}
    _pre_hooks = None       # Node.register_prehook: {id: hook}
    _post_hooks = None      # Node.register_hook: {id: hook}
    num_outputs = 1
    _saves_output = False   # some saved tensor is the node's own output (_SavedOutput)
    _hooked = False         # set by every hook registration: a graph with such a node
                            # takes the engine's general path

    def __init__(self, backward, inputs):
        self.backward = backward
        # For each input, where its gradient goes: the edge (node, output_nr) (a
        # leaf's AccumulateGrad, (None, 0) if it needs none), and its shape and
        # NumPy dtype, which its gradient must have.
        edges, meta = [], []
        for t in inputs:
            data = getattr(t, "_data", None)
            if data is None:
                edges.append(_NO_EDGE)
                meta.append(None)
            else:
                edges.append(_tensor_edge(t))
                meta.append((data.shape, data.dtype))
        self.next_functions = tuple(edges)
        self.input_meta = tuple(meta)
        self._saved = ()
        self._saved_meta = ()
        self._freed = False
        self._seq = next(_sequence)
        self._needs = None

    @property
    def needs_input_grad(self):
        """For each input, whether it wants a gradient (``ctx.needs_input_grad``);
        worked out on first use, which is in backward."""
        needs = self._needs
        if needs is None:
            needs = self._needs = tuple([edge[0] is not None for edge in self.next_functions])
        return needs

    def name(self):
        return self._name

    def __repr__(self):
        return f"<{self._name} object at {id(self):#x}>"

    @property
    def metadata(self):
        if "_metadata" not in self.__dict__:
            self._metadata = {}
        return self._metadata

    # ------------------------------------------------------------ saved tensors
    def save_for_backward(self, *tensors):
        """Keep tensors (or Python values) for backward, remembering their versions."""
        # Only tensors have versions (None for other values); a tensor's ``_vc`` is
        # None until an in-place op first writes it (version 0). Which node made the
        # tensor is noted only to word the error.
        meta = []
        own_output = False
        for t in tensors:
            if hasattr(t, "_data"):
                fn = t.grad_fn
                if fn is self:
                    own_output, fn = True, _SELF
                vc = t._vc
                if vc is NO_VERSION:
                    # an inference tensor: it has no version to check in backward
                    raise RuntimeError(SAVE_INFERENCE_ERROR)
                meta.append(((vc[0] if vc is not None else 0), fn))
            else:
                meta.append(None)
        if own_output:
            tensors = tuple(_SavedOutput(t) if getattr(t, "grad_fn", None) is self else t
                            for t in tensors)
            self._saves_output = True
        self._saved = tensors
        self._saved_meta = meta

    @property
    def saved_tensors(self):
        """The saved tensors; raises if freed or modified in place since."""
        if self._freed:
            raise RuntimeError(_FREED)
        saved = self._saved
        if self._saves_output:
            saved = tuple(t.unpack(self) if type(t) is _SavedOutput else t for t in saved)
        for t, meta in zip(saved, self._saved_meta):
            # (t._version, read directly: this runs for every node in every backward)
            if meta is not None and t._vc is not None and t._vc[0] != meta[0]:
                raise RuntimeError(_version_message(t, meta, self))
        return saved

    def release(self):
        """Drop the saved values after a backward without retain_graph."""
        if self._saved:
            # Only a node that saved something fails on a second backward (torch's
            # AddBackward, which saves nothing, may run again).
            self._freed = True
            self._saved = ()
            self._saved_meta = ()

    def apply(self, grad):
        return self.backward(self, grad)

    __call__ = apply

    # -------------------------------------------------------------------- hooks
    def register_prehook(self, fn):
        """``fn(grad_outputs) -> grad_outputs or None`` before this node runs."""
        self._hooked = True
        if self._pre_hooks is None:
            self._pre_hooks = {}
        return _register(self._pre_hooks, fn)

    def register_hook(self, fn):
        """``fn(grad_inputs, grad_outputs) -> grad_inputs or None`` after this node ran."""
        self._hooked = True
        if self._post_hooks is None:
            self._post_hooks = {}
        return _register(self._post_hooks, fn)

    def _set_retain_hook(self, nr, hook):
        """The retain_grad hook of output ``nr`` (one per output; it runs after the
        tensor hooks)."""
        self._hooked = True
        if self.retain_hooks is None:
            self.retain_hooks = {}
        self.retain_hooks[nr] = hook

    def _drop_retain_hook(self, nr, hook):
        if self.retain_hooks is not None and self.retain_hooks.get(nr) is hook:
            del self.retain_hooks[nr]

    def _add_tensor_hook(self, nr, hook):
        """A hook of output ``nr`` (Tensor.register_hook)."""
        self._hooked = True
        if self.tensor_hooks is None:
            self.tensor_hooks = {}
        return _register(self.tensor_hooks.setdefault(nr, {}), hook)


def _register(hooks, hook):
    handle = RemovableHandle(hooks)
    hooks[handle.id] = hook
    return handle


class _SavedOutput:
    """A node's own output, as the node saves it: the data, version counter and view
    facts, without the tensor, whose ``grad_fn`` is the node. (Holding the tensor
    would make a reference cycle, node -> output -> node, and a graph built but never
    backpropagated would wait for the garbage collector to free its memory.)
    ``unpack`` gives back the tensor, grad_fn included, as torch's saved variables do.
    """

    __slots__ = ("_data", "_vc", "_base", "_extra")

    def __init__(self, t):
        self._data = t._data
        self._vc = t._shared_version()      # so that in-place writes to t are seen here
        self._base = t._base
        # a snapshot (output_nr, an empty view's layout): not the live tensor's dict
        self._extra = dict(t._extra) if t._extra else None

    def unpack(self, node):
        t = _new_tensor(self._data)
        t._requires_grad = True
        t._vc, t._base, t.grad_fn = self._vc, self._base, node
        t._extra = dict(self._extra) if self._extra else None
        return t


def _new_tensor(array):
    """ember._tensor._make, imported on first use (ember._tensor imports this module)."""
    global _new_tensor
    from .._tensor import _make
    _new_tensor = _make
    return _make(array)


class AccumulateGrad(Node):
    """The sink for a leaf tensor: adds the arriving gradient into ``leaf.grad``."""

    _name = "AccumulateGrad"
    __slots__ = ("variable", "post_accumulate_hooks")

    def __init__(self, variable):
        self.variable = variable
        self.backward = None
        self.next_functions = ()
        self.input_meta = ()
        self._saved = ()
        self._saved_meta = ()
        self._freed = False
        self._seq = float("inf")      # runs as soon as its gradient is complete
        self._needs = ()
        self.post_accumulate_hooks = None

    def apply(self, grad):
        raise RuntimeError("AccumulateGrad is run by the engine, not called directly")

    def _add_post_hook(self, hook):
        """``hook(leaf)`` after each accumulation into ``leaf.grad``."""
        self._hooked = True
        if self.post_accumulate_hooks is None:
            self.post_accumulate_hooks = {}
        return _register(self.post_accumulate_hooks, hook)


_NODE_CLASSES = {}


def node_class(name):
    """The Node subclass called ``name`` (created once, then cached)."""
    cls = _NODE_CLASSES.get(name)
    if cls is None:
        cls = _NODE_CLASSES[name] = type(name, (Node,), {"_name": name})
    return cls


def _output_nr(t):
    extra = t._extra
    return extra.get("output_nr", 0) if extra else 0


_NO_EDGE = (None, 0)
_SELF = object()        # in _saved_meta: "made by this node" (its own output)


def gradient_edge(t):
    """Where the gradient of ``t`` goes: (node, output_nr), or (None, 0) for None, a
    Python value, or a tensor that needs no gradient."""
    if t is None or not hasattr(t, "_data"):
        return _NO_EDGE
    return _tensor_edge(t)


def _tensor_edge(t):
    """gradient_edge of a tensor (run for every input of every recorded op).

    A view whose base (or another view of it) was changed in place since its
    grad_fn was made is first brought up to date, as torch does: its old grad_fn
    leads to the base's old version (ops.index.refresh_view).
    """
    extra = t._extra
    if extra is not None:
        version = extra.get("view_version")
        if version is not None and version != t._vc[0]:
            from ..ops.index import refresh_view
            refresh_view(t)
    if not t._requires_grad:
        return _NO_EDGE
    fn = t.grad_fn
    if fn is not None:
        return (fn, extra.get("output_nr", 0) if extra else 0)
    if extra:
        if "no_grad_view" in extra:
            # a view made under no_grad requires grad only through its base, as in
            # torch: it has no accumulator, so the gradient reaching it is dropped
            return _NO_EDGE
        acc = extra.get("accumulator")
        if acc is not None:
            return (acc, 0)
    return (t._accumulator(), 0)


def _version_message(t, meta, node):
    version, fn = meta
    if fn is _SELF:
        fn = node
    made_by = ""
    if fn is not None:
        nr = _output_nr(t)
        # torch names the forward op ("Exp") rather than the node ("ExpBackward0").
        op = re.sub(r"Backward\d*$", "", fn._name)
        made_by = f", which is output {nr} of {op},"
    return ("one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: [torch.{t.dtype.legacy_name} {list(t.shape)}]{made_by} is "
            f"at version {t._version}; expected version {version} instead. Hint: an in-place "
            "operation (such as x += 1 or x.add_(1)) changed a tensor that an earlier operation "
            "saved for its backward; use the out-of-place form (x = x + 1) or work on "
            "x.clone().")


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
    cls = _NODE_CLASSES.get(name)
    node = (cls if cls is not None else node_class(name))(backward, inputs)
    output._requires_grad = True
    output.grad_fn = node
    if _state.anomaly:
        import traceback
        node.metadata["traceback_"] = traceback.format_stack()[:-2]
    return node
