"""The backward pass: walk the graph from the outputs in topological order.

1. Find every node reachable from the roots. When only some ``inputs`` are
   wanted (``autograd.grad``, ``backward(inputs=...)``), keep only the nodes
   that lie on a path to one of them: the rest of the graph is never run.
2. Count, for every kept node, how many edges lead into it. Start from the
   roots with their seed gradients. A node runs once all the gradients flowing
   into it have arrived (its count drops to zero); their sum is its output
   gradient. Among ready nodes the most recently created runs first, as in
   torch, so hooks fire in torch's order.
3. A node's backward returns one gradient per input; each is checked against
   the input's shape and dtype and added to what its next node has collected.
   AccumulateGrad nodes add into ``leaf.grad``; wanted inputs have their
   gradient captured instead (``autograd.grad``).

Backward functions are ordinary ember code; they run with grad mode off unless
``create_graph=True``, in which case they record a graph of their own and the
gradients can be differentiated again.

``loss.backward()`` on a graph without hooks and with one output per node (the
usual training step) takes ``_run_plain``, which does the same in the same order
with less bookkeeping: it sorts the nodes newest first once (the order the ready
queue gives) instead of counting edges and keeping a queue, and fills each leaf's
``.grad`` right after the last node that feeds it; ``_run_general`` handles
everything else.
"""
import heapq
import operator
from sys import getrefcount
import warnings

import numpy as np

from .._dtypes import FROM_NUMPY
from .._memory_format import is_dense
from ..backend import fp_errors_off, fp_errors_restore
from .grad_mode import _state
from .graph import AccumulateGrad, gradient_edge


def run_backward(roots, grad_roots, retain_graph=False, create_graph=False, inputs=None,
                 allow_unused=True, accumulate=True):
    """Backpropagate from ``roots`` (tensors) seeded with ``grad_roots``.

    With ``accumulate`` the leaves' ``.grad`` receive the gradients (Tensor.backward);
    with ``inputs`` as well, only those leaves do. The gradients reaching ``inputs``
    are returned in any case (None where none arrived).
    """
    # Backward functions compute inf and nan silently, as torch does.
    token = fp_errors_off()
    try:
        if inputs is None and accumulate and len(roots) == 1 and not _state.anomaly:
            node = gradient_edge(roots[0])[0]
            plan = _plain_plan(node) if node is not None else None
            if plan is not None:
                _run_plain(plan, grad_roots[0], retain_graph, create_graph)
                return []
        return _run_general(roots, grad_roots, retain_graph, create_graph, inputs,
                            allow_unused, accumulate)
    finally:
        fp_errors_restore(token)


def _plain_plan(root):
    """The run of a plain graph (no hooks, one output per node) from ``root``: its nodes
    newest first, and for each leaf's AccumulateGrad the node after which its gradient
    is complete, as {node: [accumulators]}; None for any other graph.

    Newest first is the order torch's ready queue gives: a node's inputs were made
    before it, so every node that feeds gradient into the newest unrun node has run.
    """
    if root._hooked or root.num_outputs != 1 or root.backward is None:
        return None
    nodes, seen, last = [root], {root}, {}
    for node in nodes:                   # (the list grows as nodes are found)
        for nxt, _ in node.next_functions:
            if nxt is None:
                continue
            if nxt._hooked or nxt.num_outputs != 1:
                return None
            if nxt.backward is None:                     # a leaf's AccumulateGrad
                prev = last.get(nxt)
                if prev is None or node._seq < prev._seq:
                    last[nxt] = node
            elif nxt not in seen:
                seen.add(nxt)
                nodes.append(nxt)
    nodes.sort(key=_by_seq, reverse=True)
    leaves_done = {}
    for acc, node in last.items():
        leaves_done.setdefault(node, []).append(acc)
    return nodes, leaves_done


_by_seq = operator.attrgetter("_seq")


def _run_plain(plan, seed, retain_graph, create_graph):
    """The usual backward (``loss.backward()``): what _run_general does for a plain
    graph and no wanted inputs, without its bookkeeping for hooks, several outputs
    per node, or a subset of the graph. Same order, same sums."""
    nodes, leaves_done = plan
    make = _tensor_api()[1]
    pending = {nodes[0]: seed}   # node -> the sum of the gradients that reached it
    prev_mode = _state.enabled
    _state.enabled = create_graph
    try:
        for node in nodes:
            grad = pending.pop(node, None)
            nexts = node.next_functions
            if node._hooked:     # (a hook registered by a backward function, meanwhile)
                grads = _call_node(node, _call_pre_hooks(node, [grad]))
            else:
                grads = () if grad is None else node.backward(node, grad)
                if type(grads) is not tuple:
                    grads = (grads,)
            if not retain_graph and node._saved:
                node.release()
            for i, ((nxt, _), g, m) in enumerate(zip(nexts, grads, node.input_meta)):
                if g is None or nxt is None:
                    continue
                data = getattr(g, "_data", None)
                if data is None or data.shape != m[0] or data.dtype is not m[1]:
                    g = _validate(node, i, g)
                    data = g._data
                old = pending.get(nxt)
                if old is not None:
                    # two gradients of one tensor: same shape and dtype
                    g = old + g if create_graph else make(old._data + data)
                pending[nxt] = g
            done = leaves_done.get(node)
            if done is not None:
                # (dropped, so that the only reference to a gradient left is g below)
                grad = grads = g = data = old = None
                for acc in done:
                    g = pending.pop(acc, None)
                    if acc._hooked:
                        g = _call_pre_hooks(acc, [g])[0]
                    if g is not None:
                        unshared = not create_graph and _unshared(g)
                        _accumulate_into_leaf(acc, g, create_graph, unshared)
    finally:
        _state.enabled = prev_mode


def _run_general(roots, grad_roots, retain_graph, create_graph, inputs, allow_unused,
                 accumulate):
    # Which (node, output_nr) carries the gradient of each wanted input.
    wanted = {}
    if inputs is not None:
        for k, t in enumerate(inputs):
            node, nr = gradient_edge(t)
            wanted.setdefault(node, []).append((nr, k))
    results = [None] * (len(inputs) if inputs is not None else 0)

    root_edges = [gradient_edge(t) for t in roots]
    if inputs is None:
        deps, runs = _count_edges(node for node, _ in root_edges), None
        useful = None
    else:
        children = _discover(node for node, _ in root_edges)
        useful = _useful_nodes(children, wanted)
        # A node runs if it leads on to a wanted node; a leaf's AccumulateGrad only if
        # .grad is to be filled.
        runs = set()
        for node in useful:
            if isinstance(node, AccumulateGrad):
                if accumulate and node in wanted:
                    runs.add(node)
            elif any(c in useful for c in children[node]):
                runs.add(node)
        deps = {}
        for node in runs:
            for c in children[node]:
                if c in useful:
                    deps[c] = deps.get(c, 0) + 1

    pending = {}                 # node -> list of gradients, one per output
    for (node, nr), g in zip(root_edges, grad_roots):
        _add_grad(pending, node, nr, g)
    ready = []
    for node in pending:
        if deps.get(node, 0) == 0:
            heapq.heappush(ready, (-node._seq, id(node), node))

    # A node that becomes ready while no other is waiting runs next whatever its
    # place in the heap: it goes in ``direct`` instead, which spares a chain of nodes
    # (most of a small graph) a heap push and pop each.
    direct = None
    push, pop = heapq.heappush, heapq.heappop
    anomaly = _state.anomaly
    prev_mode = _state.enabled
    _state.enabled = create_graph
    try:
        while direct is not None or ready:
            if direct is not None:
                node, direct = direct, None
            else:
                node = pop(ready)[2]
            grads = pending.pop(node)
            if node.tensor_hooks or node.retain_hooks or node._pre_hooks:
                grads = _call_pre_hooks(node, grads)
            if node in wanted:
                for nr, k in wanted[node]:
                    results[k] = grads[nr]
            if runs is not None and node not in runs:
                continue
            if type(node) is AccumulateGrad:
                if grads[0] is not None:
                    _accumulate_into_leaf(node, grads[0], create_graph)
                continue
            if anomaly:
                input_grads = _call_node_checked(node, grads)
            elif node.num_outputs == 1 and grads[0] is not None and not node._post_hooks:
                # the usual node: what _call_node does for it, minus two calls
                input_grads = node.backward(node, grads[0])         # Node.apply
                if not isinstance(input_grads, tuple):
                    input_grads = (input_grads,)
            else:
                input_grads = _call_node(node, grads)
            if not retain_graph and node._saved:
                node.release()          # (a node that kept nothing has nothing to free)
            n_grads = len(input_grads)
            meta = node.input_meta
            for i, (nxt, nr) in enumerate(node.next_functions):
                if nxt is None or (useful is not None and nxt not in useful):
                    continue
                g = input_grads[i] if i < n_grads else None
                slots = pending.get(nxt)
                if slots is None:
                    slots = pending[nxt] = [None] * nxt.num_outputs
                if g is not None:
                    # _validate only where shape or dtype are not already right
                    data = getattr(g, "_data", None)
                    m = meta[i] if i < len(meta) else None
                    if (data is None or m is None or data.shape != m[0]
                            or data.dtype is not m[1]):
                        g = _validate(node, i, g)
                    slots[nr] = g if slots[nr] is None else slots[nr] + g
                left = deps[nxt] - 1
                deps[nxt] = left
                if left == 0:
                    if direct is None and not ready:
                        direct = nxt
                    else:
                        if direct is not None:
                            push(ready, (-direct._seq, id(direct), direct))
                            direct = None
                        push(ready, (-nxt._seq, id(nxt), nxt))
    finally:
        _state.enabled = prev_mode

    if inputs is not None and not allow_unused:
        for k, r in enumerate(results):
            if r is None:
                raise RuntimeError(
                    f"The differentiated Tensor at index {k} appears to not have been used in "
                    "the graph. Set allow_unused=True if this is the desired behavior.")
    return results


def _count_edges(start):
    """For every node reachable from ``start``, the number of edges leading into it."""
    deps = {}
    seen = set()
    stack = []
    for n in start:
        if n is not None and n not in seen:
            seen.add(n)
            stack.append(n)
    while stack:
        for nxt, _ in stack.pop().next_functions:
            if nxt is not None:
                deps[nxt] = deps.get(nxt, 0) + 1
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
    return deps


def _discover(start):
    """node -> list of its next nodes, for every node reachable from ``start``."""
    children = {}
    stack = [n for n in start if n is not None]
    while stack:
        node = stack.pop()
        if node in children:
            continue
        kids = [n for n, _ in node.next_functions if n is not None]
        children[node] = kids
        stack.extend(k for k in kids if k not in children)
    return children


def _useful_nodes(children, wanted):
    """The nodes from which some wanted node can be reached (iteratively: graphs of
    long recurrent loops are deeper than Python's recursion limit)."""
    parents = {}
    for node, kids in children.items():
        for k in kids:
            parents.setdefault(k, []).append(node)
    useful = set()
    stack = [n for n in wanted if n in children]
    while stack:
        node = stack.pop()
        if node in useful:
            continue
        useful.add(node)
        stack.extend(parents.get(node, ()))
    return useful


def _add_grad(pending, node, nr, grad):
    slots = pending.get(node)
    if slots is None:
        slots = pending[node] = [None] * node.num_outputs
    if grad is not None:
        slots[nr] = grad if slots[nr] is None else slots[nr] + grad


def _call_pre_hooks(node, grads):
    """Tensor hooks (which may replace the gradient), then retain_grad, then node pre-hooks."""
    if node.tensor_hooks:
        for nr, hooks in node.tensor_hooks.items():
            for hook in list(hooks.values()):
                if grads[nr] is None:
                    break
                new = hook(grads[nr])
                if new is not None:
                    _check_hook_result(hook, grads[nr], new)
                    grads[nr] = new
    if node.retain_hooks:
        for nr, hook in node.retain_hooks.items():
            if grads[nr] is not None:
                hook(grads[nr])
    if node._pre_hooks:
        for hook in list(node._pre_hooks.values()):
            new = hook(tuple(grads))
            if new is not None:
                grads = list(new)
    return grads


def _check_hook_result(hook, grad, new):
    """A tensor hook may replace the gradient, but not with another shape or dtype: torch's
    errors (a wrong shape would otherwise land silently in .grad)."""
    from .._tensor import Tensor
    if not isinstance(new, Tensor):
        raise TypeError(f"expected Variable, but hook returned '{type(new).__name__}'")
    name = getattr(hook, "__name__", repr(hook))
    if new.shape != grad.shape:
        raise RuntimeError(f"hook '{name}' has changed the size of value")
    if new.dtype is not grad.dtype:
        raise RuntimeError(f"hook '{name}' has changed the type of value (was "
                           f"torch.{grad.dtype.legacy_name} got torch.{new.dtype.legacy_name})")


def _call_node(node, grads):
    if grads[0] is None and (len(grads) == 1 or all(g is None for g in grads)):
        return (None,) * len(node.next_functions)
    out = node.apply(grads[0] if node.num_outputs == 1 else tuple(grads))
    if not isinstance(out, tuple):
        out = (out,)
    if node._post_hooks:
        for hook in list(node._post_hooks.values()):
            new = hook(out, tuple(grads))
            if new is not None:
                out = tuple(new)
    return out


def _call_node_checked(node, grads):
    """_call_node under detect_anomaly: on an error or a NaN gradient, show where the
    node's forward ran."""
    try:
        out = _call_node(node, grads)
        if _state.anomaly_check_nan:
            for i, g in enumerate(out):
                if g is not None and g._data.dtype.kind == "f" and np.isnan(g._data).any():
                    raise RuntimeError(f"Function '{node._name}' returned nan values in its "
                                       f"{i}th output.")
    except Exception:
        stack = node.__dict__.get("_metadata", {}).get("traceback_")
        if stack:
            warnings.warn(f"Error detected in {node._name}. Traceback of forward call that "
                          f"caused the error:\n{''.join(stack)}", UserWarning, stacklevel=4)
        raise
    return out


def _validate(node, i, grad):
    """Gradients take the dtype of the input they belong to and must fit its shape;
    one of a broadcastable shape is summed down to it (as torch does)."""
    meta = node.input_meta[i] if i < len(node.input_meta) else None
    if meta is None:
        return grad
    shape, dtype = meta
    data = getattr(grad, "_data", None)
    if data is not None and data.shape == shape and data.dtype == dtype:
        return grad                       # the usual case
    if data is None:
        raise RuntimeError(f"expected Variable or None (got {type(grad).__name__})")
    if data.shape != shape:
        if not _expandable(shape, data.shape):
            raise RuntimeError(
                f"Function {node._name} returned an invalid gradient at index {i} - got "
                f"{list(data.shape)} but expected shape compatible with {list(shape)}")
        from ..ops._common import unbroadcast
        grad = unbroadcast(grad, shape)
    if grad._data.dtype != dtype:
        grad = grad.to(FROM_NUMPY[dtype])
    return grad


def _expandable(shape, target):
    if len(shape) > len(target):
        return False
    for s, t in zip(reversed(shape), reversed(target)):
        if s != t and s != 1:
            return False
    return True


def _accumulate_into_leaf(node, grad, create_graph, unshared=False):
    """Add ``grad`` into ``node.variable.grad``; ``unshared``: nothing else refers to
    ``grad`` or its memory (see _unshared), so a leaf without a .grad may take it."""
    leaf = node.variable
    if leaf._grad is None:
        # The arriving gradient may be shared (add's backward hands the same tensor to
        # both inputs), so the leaf gets its own copy unless it is not, as in torch
        # (which takes a gradient nobody else holds if its layout fits the leaf); with
        # create_graph the copy is recorded so that it can be differentiated again.
        if unshared and grad._data.flags.c_contiguous and leaf._data.flags.c_contiguous:
            leaf._grad = grad
        else:
            leaf._grad = grad.clone() if create_graph else _fresh_copy(grad, leaf._data)
    elif create_graph:
        leaf._grad = leaf._grad + grad          # recorded: .grad stays differentiable
    else:
        g = leaf._grad                          # in place, as torch does
        if g._data.shape == grad._data.shape:
            g._data += grad._data.astype(g._data.dtype, copy=False)
            g._bump_version()
        else:
            leaf._grad = g + grad
    if node.post_accumulate_hooks:
        for hook in list(node.post_accumulate_hooks.values()):
            hook(leaf)


def _unshared(grad):
    """Whether the engine's reference is the only one to the gradient ``grad`` and
    its tensor is the only one to its memory: a plain tensor (no view, hooks, graph or
    version yet) whose array owns its memory, or is the one view of an array nothing
    else holds (a weight's gradient that arrives transposed back). The references
    that are ours: to ``grad``, those a call passes (_CALL_REFERENCES); to an array,
    its holder's, our name's and getrefcount's argument."""
    data = grad._data
    if (getrefcount(grad) != _CALL_REFERENCES or getrefcount(data) != 3
            or grad._base is not None or grad._extra is not None or grad._vc is not None
            or grad._requires_grad or not data.flags.writeable):
        return False
    base = data.base
    return base is None or (type(base) is np.ndarray and base.base is None
                            and base.nbytes == data.nbytes and getrefcount(base) == 3)


def _references_in_call(value):
    return getrefcount(value)


def _count_call_references():
    """What getrefcount says of a value held by one name when it is passed to a
    function that asks (the caller's name, the callee's, getrefcount's argument, and
    on Python 3.10 the caller's stack slot as well): how _run_plain calls _unshared."""
    value = object()
    return _references_in_call(value)


_CALL_REFERENCES = _count_call_references()


def _fresh_copy(grad, leaf_data):
    """A copy of ``grad`` laid out as torch lays out a new ``.grad``: with the leaf's
    strides when the leaf fills its memory exactly once (a transposed parameter's
    gradient is transposed too), in C order otherwise (an expanded or sliced leaf)."""
    if leaf_data.flags.c_contiguous:
        copy = grad._data.copy()
    elif is_dense(leaf_data.shape, [s // leaf_data.itemsize for s in leaf_data.strides]):
        copy = np.empty_like(leaf_data, dtype=grad._data.dtype)   # (order "K": its layout)
        np.copyto(copy, grad._data)
    else:
        copy = grad._data.copy(order="C")
    return _tensor_api()[1](copy)


_TENSOR_API = None


def _tensor_api():
    """(Tensor, _make), imported once on first use (ember._tensor imports this package,
    and an import statement in a function costs on every backward)."""
    global _TENSOR_API
    if _TENSOR_API is None:
        from .._tensor import Tensor, _make
        _TENSOR_API = Tensor, _make
    return _TENSOR_API
