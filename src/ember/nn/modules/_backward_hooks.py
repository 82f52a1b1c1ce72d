"""How a Module's backward hooks see the gradients at its boundary.

A module's forward may record any number of autograd nodes, so no single node
carries "the gradient w.r.t. the module's inputs". As torch does, a call with
backward hooks wraps the module's tensor inputs, and then its tensor outputs,
in an identity autograd Function (:class:`BackwardHookFunction`)::

    x ──► [BackwardHookFunction] ──► forward's nodes ──► [BackwardHookFunction] ──► out

In backward the outer (output) node receives the gradients w.r.t. the outputs:
a post-hook on it runs the backward pre-hooks (which may replace them) and
remembers them. The inner (input) node then receives the gradients w.r.t. the
inputs: a post-hook on it runs the full backward hooks with both (they may
replace the input gradients). One :class:`BackwardHook` object links the two
for one call of the module.

    >>> lin = nn.Linear(3, 2)
    >>> h = lin.register_full_backward_hook(
    ...     lambda m, gi, go: print([g.shape for g in gi], [g.shape for g in go]))
    >>> lin(ember.ones(4, 3, requires_grad=True)).sum().backward()
    [torch.Size([4, 3])] [torch.Size([4, 2])]
"""
import warnings
import weakref

from ..._tensor import Tensor
from ...autograd.function import Function
from ...autograd.grad_mode import _state

_NO_INPUT_GRAD_WARNING = (
    "Full backward hook is firing when gradients are computed with respect to module outputs "
    "since no inputs require gradients. See https://docs.pytorch.org/docs/main/generated/"
    "torch.nn.Module.html#torch.nn.Module.register_full_backward_hook for more details.")


class BackwardHookFunction(Function):
    """Identity on any number of tensors: its node marks the module's boundary."""

    @staticmethod
    def forward(ctx, *tensors):
        ctx.mark_non_differentiable(*[t for t in tensors if not t.requires_grad])
        return tensors

    @staticmethod
    def backward(ctx, *grads):
        return grads


def _wrap(values):
    """Pass the tensors among ``values`` through BackwardHookFunction.

    Returns (values with the tensors replaced, positions of the tensors, the node),
    or (values, None, None) when no tensor needs a gradient (nothing is recorded,
    so no hook can fire through this side).
    """
    positions = [i for i, v in enumerate(values) if isinstance(v, Tensor)]
    tensors = [values[i] for i in positions]
    if not (_state.enabled and any(t.requires_grad for t in tensors)):
        return values, None, None
    wrapped = BackwardHookFunction.apply(*tensors)
    node = None
    for t in wrapped:
        if t.grad_fn is not None and type(t.grad_fn).__name__ == "BackwardHookFunctionBackward":
            node = t.grad_fn
            # (writing in place to one of these would re-route its gradient around the
            # node and the hooks: as the view outputs of any custom Function, they refuse)
    new = list(values)
    for i, t in zip(positions, wrapped):
        new[i] = t
    if type(values) is tuple or type(values) is list:
        new = type(values)(new)
    else:                              # a namedtuple
        new = type(values)(*new)
    return new, positions, node


def _pack(positions, grads, size):
    """One entry per argument: the tensors' gradients at their positions, else None."""
    packed = [None] * size
    for i, g in zip(positions, grads):
        packed[i] = g
    return tuple(packed)


class BackwardHook:
    """The backward hooks of one call of ``module``: ``user_hooks`` (full backward
    hooks) and ``user_pre_hooks`` (full backward pre-hooks), as lists taken at call
    time (so removing a hook after forward does not affect that graph, as in torch)."""

    def __init__(self, module, user_hooks, user_pre_hooks):
        self.module = module
        self.user_hooks = user_hooks
        self.user_pre_hooks = user_pre_hooks
        self.grad_outputs = None          # set by the output node's hook, used by the input's
        self.n_inputs = -1
        self.input_positions = None
        self.input_meta = None
        self.n_outputs = -1
        self.output_positions = None

    # --------------------------------------------------------------- inputs side
    def setup_input_hook(self, args):
        """Wrap the positional tensor arguments; returns the new args."""
        new, positions, node = _wrap(args)
        self.n_inputs = len(args)
        self.input_positions = positions
        if node is not None:
            # Gradients of the tensor inputs that get none (they don't require grad, or
            # forward did not use them) reach the hooks as zeros, as torch's identity
            # backward materializes them.
            self.input_meta = [(args[i].shape, args[i].dtype) for i in positions]
            node.register_hook(self._input_node_hook)
        return new

    def _input_node_hook(self, grad_inputs, _grad_outputs):
        if self.grad_outputs is None:
            # The gradient reached the inputs without passing the outputs (e.g. a
            # double backward through the module): torch calls no hook then.
            return None
        from ...ops.creation import zeros
        grads = [g if g is not None else zeros(shape, dtype=dtype)
                 for g, (shape, dtype) in zip(grad_inputs, self.input_meta)]
        result = _pack(self.input_positions, grads, self.n_inputs)
        for hook in self.user_hooks:
            out = hook(self.module, result, self.grad_outputs)
            if out is None:
                continue
            if len(out) != len(result):
                raise RuntimeError("Backward hook returned an invalid number of grad_input, "
                                   f"got {len(out)}, but expected {len(result)}")
            result = out
        self.grad_outputs = None
        return tuple(result[i] for i in self.input_positions)

    # -------------------------------------------------------------- outputs side
    def setup_output_hook(self, result):
        """Wrap the tensor outputs (a tensor or a tuple of them); returns the new result."""
        single = not isinstance(result, tuple)
        values = (result,) if single else result
        new, positions, node = _wrap(values)
        self.n_outputs = len(values)
        self.output_positions = positions
        if node is not None:
            node.register_hook(self._output_node_hook)
        return new[0] if single else new

    def _output_node_hook(self, _grad_inputs, grad_outputs):
        self.grad_outputs = _pack(self.output_positions, grad_outputs, self.n_outputs)
        for hook in self.user_pre_hooks:
            out = hook(self.module, self.grad_outputs)
            if out is None:
                continue
            if len(out) != len(self.grad_outputs):
                raise RuntimeError("Backward pre hook returned an invalid number of "
                                   f"grad_output, got {len(out)}, but expected "
                                   f"{len(self.grad_outputs)}")
            self.grad_outputs = out
        grad_outputs = self.grad_outputs
        if self.input_positions is None:
            # No input needs a gradient: the input node does not exist, so the full hooks
            # run now, with no grad_input to replace.
            warnings.warn(_NO_INPUT_GRAD_WARNING, UserWarning, stacklevel=7)
            grad_inputs = (None,) * self.n_inputs
            for hook in self.user_hooks:
                out = hook(self.module, grad_inputs, self.grad_outputs)
                if out is not None and not (isinstance(out, tuple)
                                            and all(g is None for g in out)):
                    raise RuntimeError("Backward hook for Modules where no input requires "
                                       "gradient should always return None or None for all "
                                       "gradients.")
            self.grad_outputs = None
        # What the pre-hooks left flows on into the module's own nodes.
        return tuple(grad_outputs[i] for i in self.output_positions)


def warn_if_non_full_hook_misses_grads(inputs, result, grad_fn):
    """The deprecated ``register_backward_hook`` hangs on one node, the one that made
    the (first) output: warn, with torch's words, where that node does not see all
    of the module's input or output gradients."""
    if not isinstance(result, Tensor):
        if not (isinstance(result, tuple) and all(isinstance(r, Tensor) for r in result)):
            warnings.warn(
                "Using non-full backward hooks on a Module that does not return a single Tensor "
                "or a tuple of Tensors is deprecated and will be removed in future versions. "
                "This hook will be missing some of the grad_output. Please use "
                "register_full_backward_hook to get the documented behavior.",
                FutureWarning, stacklevel=5)
            return
    else:
        result = (result,)
    if not isinstance(inputs, Tensor):
        if not (isinstance(inputs, tuple) and all(isinstance(i, Tensor) for i in inputs)):
            warnings.warn(
                "Using non-full backward hooks on a Module that does not take as input a single "
                "Tensor or a tuple of Tensors is deprecated and will be removed in future "
                "versions. This hook will be missing some of the grad_input. Please use "
                "register_full_backward_hook to get the documented behavior.",
                FutureWarning, stacklevel=5)
            return
    else:
        inputs = (inputs,)
    out_grad_fns = {r.grad_fn for r in result if r.grad_fn is not None}
    if not out_grad_fns or (len(out_grad_fns) == 1 and grad_fn not in out_grad_fns):
        warnings.warn(
            "Using a non-full backward hook when outputs are nested in python data structure is "
            "deprecated and will be removed in future versions. This hook will be missing some "
            "grad_output.", FutureWarning, stacklevel=5)
    elif len(out_grad_fns) > 1:
        warnings.warn(
            "Using a non-full backward hook when outputs are generated by different autograd "
            "Nodes is deprecated and will be removed in future versions. This hook will be "
            "missing some grad_output. Please use register_full_backward_hook to get the "
            "documented behavior.", FutureWarning, stacklevel=5)
    else:
        input_grad_fns = {i.grad_fn for i in inputs if i.grad_fn is not None}
        next_nodes = {n for n, _ in grad_fn.next_functions}
        if input_grad_fns != next_nodes:
            warnings.warn(
                "Using a non-full backward hook when the forward contains multiple autograd "
                "Nodes is deprecated and will be removed in future versions. This hook will be "
                "missing some grad_input. Please use register_full_backward_hook to get the "
                "documented behavior.", FutureWarning, stacklevel=5)


def hang_non_full_hooks(module, hooks, args, result):
    """register_backward_hook's hooks: post-hooks of the node that made the first
    tensor of the output, called as ``hook(module, grad_input, grad_output)`` with
    that node's gradients."""
    var = result
    while not isinstance(var, Tensor):
        if isinstance(var, dict):
            var = next(v for v in var.values() if isinstance(v, Tensor))
        else:
            var = var[0]
    grad_fn = var.grad_fn
    if grad_fn is None:
        return
    for hook in hooks:
        grad_fn.register_hook(_bind_module(hook, module))
    warn_if_non_full_hook_misses_grads(args, result, grad_fn)


def _bind_module(hook, module):
    # The graph holds the module weakly, as torch's does: a module freed before
    # backward is an error, not kept alive by its outputs.
    module_ref = weakref.ref(module)

    def node_hook(grad_inputs, grad_outputs):
        module = module_ref()
        if module is None:
            raise RuntimeError("You are trying to call the hook of a dead Module!")
        return hook(module, grad_inputs, grad_outputs)
    return node_hook
