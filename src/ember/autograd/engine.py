"""The backward pass: walk the graph from the outputs in topological order.

1. Count, for every node reachable from the roots, how many edges lead into it.
2. Start from the roots with their seed gradients. A node runs once all the
   gradients flowing into it have arrived (its count drops to zero); their sum
   is its output gradient.
3. A node's backward returns one gradient per input; each is added to what its
   next node has collected so far. AccumulateGrad nodes add into ``leaf.grad``
   (or, for ``autograd.grad``, into the result instead).

Backward functions are ordinary ember code; they run with grad mode off unless
``create_graph=True``, in which case they record a graph of their own and the
gradients can be differentiated again.
"""
from .grad_mode import _state
from .graph import AccumulateGrad


def _sum_grads(a, b):
    return b if a is None else a + b


def _check_grad(node, i, grad):
    """Gradients take the dtype of the input they belong to, and must match its shape."""
    meta = node.input_meta[i] if i < len(node.input_meta) else None
    if meta is None or grad is None:
        return grad
    shape, dtype = meta
    if grad.shape != shape:
        raise RuntimeError(
            f"Function {node._name} returned an invalid gradient at index {i} - got "
            f"{list(grad.shape)} but expected shape compatible with {list(shape)}")
    if grad.dtype is not dtype:
        grad = grad.to(dtype)
    return grad


def run_backward(roots, grad_roots, retain_graph=False, create_graph=False, inputs=None,
                 allow_unused=True, accumulate=True):
    """Backpropagate from ``roots`` (tensors) seeded with ``grad_roots``.

    With ``accumulate`` the leaves' ``.grad`` receive the gradients (Tensor.backward).
    Otherwise the gradients for ``inputs`` are returned (autograd.grad) and no
    ``.grad`` is touched.
    """
    # Map each wanted input to the node that carries its gradient.
    wanted = {}
    if inputs is not None:
        for k, t in enumerate(inputs):
            if not t._requires_grad:
                raise RuntimeError("One of the differentiated Tensors does not require grad")
            node = t.grad_fn if t.grad_fn is not None else t._accumulator()
            wanted.setdefault(node, []).append(k)
    results = [None] * (len(inputs) if inputs is not None else 0)

    pending = {}                 # node -> gradient summed so far
    deps = {}                    # node -> number of edges not yet delivered
    start = []
    for t, g in zip(roots, grad_roots):
        node = t.grad_fn if t.grad_fn is not None else t._accumulator()
        pending[node] = _sum_grads(pending.get(node), g)
        start.append(node)

    seen = set(start)
    stack = list(start)
    while stack:
        node = stack.pop()
        for nxt, _ in node.next_functions:
            if nxt is None:
                continue
            deps[nxt] = deps.get(nxt, 0) + 1
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)

    prev_mode = _state.enabled
    _state.enabled = create_graph
    try:
        ready = [n for n in dict.fromkeys(start) if deps.get(n, 0) == 0]
        while ready:
            node = ready.pop()
            grad = pending.pop(node, None)
            if node.pre_hooks:
                for hook in node.pre_hooks:
                    new = hook(grad)
                    if new is not None:
                        grad = new
            if node in wanted:
                for k in wanted[node]:
                    results[k] = grad
            if isinstance(node, AccumulateGrad):
                if accumulate and grad is not None and (inputs is None or node in wanted):
                    _accumulate_into_leaf(node.variable, grad, create_graph)
                continue
            if grad is None:
                input_grads = (None,) * len(node.next_functions)
            else:
                input_grads = node.apply(grad)
                if not isinstance(input_grads, tuple):
                    input_grads = (input_grads,)
                if not retain_graph:
                    node.release()
            for i, ((nxt, _), g) in enumerate(zip(node.next_functions, input_grads)):
                if nxt is None:
                    continue
                if g is not None:
                    g = _check_grad(node, i, g)
                    pending[nxt] = _sum_grads(pending.get(nxt), g)
                deps[nxt] -= 1
                if deps[nxt] == 0:
                    ready.append(nxt)
    finally:
        _state.enabled = prev_mode

    if inputs is not None and not allow_unused:
        for k, r in enumerate(results):
            if r is None:
                raise RuntimeError(
                    "One of the differentiated Tensors appears to not have been used in the "
                    "graph. Set allow_unused=True if this is the desired behavior.")
    return results


def _accumulate_into_leaf(leaf, grad, create_graph):
    if leaf._extra and leaf._extra.get("hooks"):
        for hook in leaf._extra["hooks"]:
            new = hook(grad)
            if new is not None:
                grad = new
    if leaf.grad is None:
        # The arriving gradient may be shared (add's backward hands the same tensor to
        # both inputs), so the leaf gets its own copy unless a graph is wanted through it.
        leaf.grad = grad if create_graph else grad.detach().clone()
    elif create_graph:
        leaf.grad = leaf.grad + grad
    else:
        leaf.grad._data += grad._data
        leaf.grad._bump_version()
