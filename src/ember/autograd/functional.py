"""Higher-order autograd on whole functions, as torch.autograd.functional:
vjp, jvp, jacobian, hessian, vhp and hvp, all built on reverse mode (autograd.grad).

jvp and hvp use the double-vjp trick: the vjp ``u -> J^T u`` is linear in ``u``, so
differentiating it w.r.t. ``u`` against ``v`` gives ``J v``.

    >>> ember.autograd.functional.jacobian(lambda x: x ** 2, ember.tensor([1., 2.]))
    tensor([[2., 0.],
            [0., 4.]])
"""
from .grad_mode import enable_grad
from . import grad as _grad

__all__ = ["vjp", "jvp", "jacobian", "hessian", "vhp", "hvp"]


# ---------------------------------------------------------------- plumbing
def _tensor_type():
    from .._tensor import Tensor
    return Tensor


def _as_tuple(value, arg_name, fn_name):
    """(whether ``value`` was a tuple, it as a tuple of Tensors), with torch's TypeError."""
    Tensor = _tensor_type()
    was_tuple = isinstance(value, tuple)
    items = value if was_tuple else (value,)
    for i, item in enumerate(items):
        if not isinstance(item, Tensor):
            where = (f"value at index {i}" if was_tuple else f"given {arg_name}")
            raise TypeError(f"The {arg_name} given to {fn_name} must be either a Tensor or a "
                            f"tuple of Tensors but the {where} has type {type(item)}.")
    return was_tuple, items


def _unpack(values, was_tuple):
    return values if was_tuple else values[0]


def _unpack2(values, outer_tuple, inner_tuple):
    """A nested result (by output, then by input) shaped as the user's func/inputs were."""
    if not inner_tuple:
        values = tuple(v[0] for v in values)
    return values if outer_tuple else values[0]


def _prepare(tensors, create_graph, need_graph):
    """Fresh leaves to differentiate w.r.t. (or, with create_graph, views that keep the
    caller's graph, so that the results are differentiable further)."""
    return tuple(t.view_as(t) if create_graph and t.requires_grad
                 else t.detach().requires_grad_(need_graph) for t in tensors)


def _finish(tensors, create_graph):
    return tuple(t if create_graph else t.detach() for t in tensors)


def _check_v(v, refs, refs_tuple):
    if len(v) != len(refs):
        if refs_tuple:
            raise RuntimeError(f"v is a tuple of invalid length: should be {len(refs)} but "
                               f"got {len(v)}.")
        raise RuntimeError("The given v should contain a single Tensor.")
    for i, (a, b) in enumerate(zip(v, refs)):
        if a.shape != b.shape:
            where = f"Entry {i} in " if refs_tuple else ""
            raise RuntimeError(f"{where}v has invalid size: should be {b.size()} but got "
                               f"{a.size()}.")


def _check_outputs(outputs, strict):
    if strict:
        for i, out in enumerate(outputs):
            if not out.requires_grad:
                raise RuntimeError(
                    f"Output {i} of the user-provided function does not require gradients. The "
                    "outputs must be computed in a differentiable manner from the input when "
                    "running in strict mode.")


def _grads(outputs, inputs, grad_outputs=None, create_graph=False, retain_graph=None):
    """autograd.grad over the outputs that require grad (None for inputs they miss)."""
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs or (None,) * len(outputs))
             if o.requires_grad]
    if not pairs:
        return (None,) * len(inputs)
    outs, gs = zip(*pairs)
    return _grad(outs, inputs, gs, retain_graph=retain_graph, create_graph=create_graph,
                 allow_unused=True)


_STRICT_NONE = {
    "back": "The output of the user-provided function is independent of input {i}. This is "
            "not allowed in strict mode.",
    "back_trick": "The gradient with respect to the input is independent of entry {i} in the "
                  "grad_outputs when using the double backward trick to compute forward mode "
                  "gradients. This is not allowed in strict mode.",
    "double_back": "The jacobian of the user-provided function is independent of input {i}. "
                   "This is not allowed in strict mode.",
    "double_back_trick": "The hessian of the user-provided function is independent of entry "
                         "{i} in the grad_jacobian. This is not allowed in strict mode as it "
                         "prevents from using the double backward trick to replace forward "
                         "mode AD.",
}


def _zeros_for_none(grads, refs, strict, create_graph, stage):
    """Missing gradients as zeros, or (strict) torch's error naming the stage."""
    from ..ops.creation import zeros_like
    out = []
    for i, (g, ref) in enumerate(zip(grads, refs)):
        if g is None:
            if strict:
                raise RuntimeError(_STRICT_NONE[stage].format(i=i))
            g = zeros_like(ref)
        elif strict and create_graph and not g.requires_grad:
            what = "hessian" if "double" in stage else "jacobian"
            raise RuntimeError(f"The {what} of the user-provided function is independent of "
                               f"input {i}. This is not allowed in strict mode when "
                               "create_graph=True.")
        out.append(g)
    return tuple(out)


# ------------------------------------------------------------------ the API
def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T J): the vector-Jacobian product.

    >>> vjp(lambda x: x ** 2, ember.tensor([1., 2.]), ember.ones(2))
    (tensor([1., 4.]), tensor([2., 4.]))
    """
    with enable_grad():
        inputs_tuple, inputs = _as_tuple(inputs, "inputs", "vjp")
        inputs = _prepare(inputs, create_graph, need_graph=True)
        outputs_tuple, outputs = _as_tuple(func(*inputs),
                                           "outputs of the user-provided function", "vjp")
        _check_outputs(outputs, strict)
        if v is not None:
            v = _prepare(_as_tuple(v, "v", "vjp")[1], create_graph, need_graph=False)
            _check_v(v, outputs, outputs_tuple)
        elif len(outputs) != 1 or outputs[0].numel() != 1:
            raise RuntimeError("The vector v can only be None if the user-provided function "
                               "returns a single Tensor with a single element.")
        grads = _grads(outputs, inputs, v, create_graph=create_graph)
        grads = _zeros_for_none(grads, inputs, strict, create_graph, "back")
    return (_unpack(_finish(outputs, create_graph), outputs_tuple),
            _unpack(_finish(grads, create_graph), inputs_tuple))


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), J v): the Jacobian-vector product, by the double-vjp trick.

    >>> jvp(lambda x: x ** 2, ember.tensor([1., 2.]), ember.ones(2))
    (tensor([1., 4.]), tensor([2., 4.]))
    """
    from ..ops.creation import zeros_like
    with enable_grad():
        inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jvp")
        inputs = _prepare(inputs, create_graph, need_graph=True)
        if v is not None:
            v = _prepare(_as_tuple(v, "v", "jvp")[1], create_graph, need_graph=False)
            _check_v(v, inputs, inputs_tuple)
        elif len(inputs) != 1 or inputs[0].numel() != 1:
            raise RuntimeError("The vector v can only be None if the input to the "
                               "user-provided function is a single Tensor with a single "
                               "element.")
        outputs_tuple, outputs = _as_tuple(func(*inputs),
                                           "outputs of the user-provided function", "jvp")
        _check_outputs(outputs, strict)
        # u -> J^T u is linear in u: any finite u builds the same graph (zeros will do)
        u = tuple(zeros_like(out, requires_grad=True) for out in outputs)
        vjps = _grads(outputs, inputs, u, create_graph=True)
        if strict:
            for i, g in enumerate(vjps):
                if g is None:
                    raise RuntimeError(_STRICT_NONE["back"].format(i=i))
                if not g.requires_grad:
                    raise RuntimeError(
                        f"The gradient with respect to input {i} is independent of the inputs "
                        "of the user-provided function. This is not allowed in strict mode.")
        pairs = [(g, w) for g, w in zip(vjps, v or (None,)) if g is not None]
        if pairs:
            gs, ws = zip(*pairs)
            jv = _grads(gs, u, ws, create_graph=create_graph)
        else:
            jv = (None,) * len(u)
        jv = _zeros_for_none(jv, outputs, strict, create_graph, "back_trick")
    return (_unpack(_finish(outputs, create_graph), outputs_tuple),
            _unpack(_finish(jv, create_graph), outputs_tuple))


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """The Jacobian of ``func`` at ``inputs``: for each output and input, a tensor of
    shape ``output.shape + input.shape`` (tuples of tuples for tuple outputs/inputs).

    >>> jacobian(lambda x, y: x * y, (ember.tensor([2.]), ember.tensor([3.])))
    (tensor([[3.]]), tensor([[2.]]))
    """
    from ..ops.creation import zeros_like
    from ..ops.shape import stack
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode". '
                             'Hint: If your function has more outputs than inputs, '
                             '"forward-mode" tends to be more performant. Otherwise, prefer to '
                             'use "reverse-mode".')
    if strategy == "forward-mode" or vectorize:
        raise NotImplementedError("ember's jacobian has no forward mode or vectorize=True "
                                  "(vmap); use the default strategy='reverse-mode', "
                                  "vectorize=False")
    with enable_grad():
        inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _prepare(inputs, create_graph, need_graph=True)
        outputs_tuple, outputs = _as_tuple(func(*inputs),
                                           "outputs of the user-provided function",
                                           "jacobian")
        _check_outputs(outputs, strict)
        result = []
        for i, out in enumerate(outputs):
            rows = [[] for _ in inputs]        # d out.flatten()[k] / d input j, over k
            flat = out.reshape(-1)
            for k in range(out.numel()):
                grads = _grads((flat[k],), inputs, retain_graph=True,
                               create_graph=create_graph)
                for j, (g, inp) in enumerate(zip(grads, inputs)):
                    if g is None:
                        if strict:
                            raise RuntimeError(
                                f"Output {i} of the user-provided function is independent "
                                f"of input {j}. This is not allowed in strict mode.")
                        g = zeros_like(inp)
                    elif strict and create_graph and not g.requires_grad:
                        raise RuntimeError(
                            "The jacobian of the user-provided function is independent of "
                            f"input {i}. This is not allowed in strict mode when "
                            "create_graph=True.")
                    rows[j].append(g)
            result.append(tuple(
                _stacked(rows[j], out, inp, stack) for j, inp in enumerate(inputs)))
        result = tuple(_finish(r, create_graph) for r in result)
    return _unpack2(result, outputs_tuple, inputs_tuple)


def _stacked(rows, out, inp, stack):
    shape = tuple(out.shape) + tuple(inp.shape)
    if not rows:                                    # an empty output
        from ..ops.creation import zeros
        return zeros(shape, dtype=inp.dtype)
    return stack(rows, 0).view(shape)


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The Hessian of a scalar ``func``: the Jacobian of its gradient (tuples of tuples,
    by input pairs, for tuple inputs).

    >>> hessian(lambda x: (x ** 3).sum(), ember.tensor([1., 2.]))
    tensor([[ 6.,  0.],
            [ 0., 12.]])
    """
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or '
                             '"reverse-mode".')

    def single_output(*inp):
        out = func(*inp)
        out_tuple, outs = _as_tuple(out, "outputs of the user-provided function", "hessian")
        _check_outputs(outs, strict)
        if out_tuple:
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if out.numel() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian should "
                               "contain a single element")
        return out.squeeze()

    def gradient(*inp):
        out = single_output(*inp)
        grads = _grads((out,), inp, create_graph=True)
        grads = _zeros_for_none(grads, inp, strict, False, "back")
        if strict:
            for i, g in enumerate(grads):
                if not g.requires_grad:
                    raise RuntimeError(
                        "While computing the hessian, found that the jacobian of the "
                        f"user-provided function with respect to input {i} is independent of "
                        "the input. This is not allowed in strict mode. You should ensure that "
                        "your function is twice differentiable and that the jacobian depends "
                        "on the inputs (this would be violated by a linear function for "
                        "example).")
        return grads

    result = jacobian(gradient, inputs, create_graph=create_graph, strict=strict,
                      vectorize=vectorize, strategy=outer_jacobian_strategy)
    return _unpack2(result, inputs_tuple, inputs_tuple)


def _second_order(name, func, inputs, v, create_graph, strict):
    """(func(inputs), v^T H) and the gradient graph, shared by vhp and hvp."""
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", name)
    inputs = _prepare(inputs, create_graph, need_graph=True)
    if v is not None:
        v = _prepare(_as_tuple(v, "v", name)[1], create_graph, need_graph=False)
        _check_v(v, inputs, inputs_tuple)
    elif len(inputs) != 1 or inputs[0].numel() != 1:
        raise RuntimeError("The vector v can only be None if the input to the user-provided "
                           "function is a single Tensor with a single element.")
    outputs_tuple, outputs = _as_tuple(func(*inputs), "outputs of the user-provided function",
                                       name)
    _check_outputs(outputs, strict)
    if outputs_tuple:
        raise RuntimeError(f"The function given to {name} should return a single Tensor")
    if outputs[0].numel() != 1:
        raise RuntimeError(f"The Tensor returned by the function given to {name} should "
                           "contain a single element")
    jac = _grads(outputs, inputs, create_graph=True)
    if strict:
        for i, g in enumerate(jac):
            if g is None:
                raise RuntimeError(_STRICT_NONE["back"].format(i=i))
            if not g.requires_grad:
                raise RuntimeError(
                    "While computing the hessian, found that the jacobian of the "
                    f"user-provided function with respect to input {i} is independent of the "
                    "input. This is not allowed in strict mode. You should ensure that your "
                    "function is twice differentiable and that the jacobian depends on the "
                    "inputs (this would be violated by a linear function for example).")
    return inputs_tuple, inputs, v, outputs, jac


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T H) for a scalar ``func``.

    >>> vhp(lambda x: (x ** 3).sum(), ember.tensor([1., 2.]), ember.ones(2))
    (tensor(9.), tensor([ 6., 12.]))
    """
    with enable_grad():
        inputs_tuple, inputs, v, outputs, jac = _second_order("vhp", func, inputs, v,
                                                              create_graph, strict)
        pairs = [(g, w) for g, w in zip(jac, v or (None,)) if g is not None]
        if pairs:
            gs, ws = zip(*pairs)
            res = _grads(gs, inputs, ws, create_graph=create_graph)
        else:
            res = (None,) * len(inputs)
        res = _zeros_for_none(res, inputs, strict, create_graph, "double_back")
    return (_finish(outputs, create_graph)[0], _unpack(_finish(res, create_graph),
                                                       inputs_tuple))


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), H v) for a scalar ``func``, by the double-vjp trick (the same
    numbers as vhp when the Hessian is symmetric).

    >>> hvp(lambda x: (x ** 3).sum(), ember.tensor([1., 2.]), ember.ones(2))
    (tensor(9.), tensor([ 6., 12.]))
    """
    from ..ops.creation import zeros_like
    with enable_grad():
        inputs_tuple, inputs, v, outputs, jac = _second_order("hvp", func, inputs, v,
                                                              create_graph, strict)
        u = tuple(zeros_like(inp, requires_grad=True) for inp in inputs)
        pairs = [(g, w) for g, w in zip(jac, u) if g is not None]
        if pairs:
            gs, ws = zip(*pairs)
            double = _grads(gs, inputs, ws, create_graph=True)
        else:
            double = (None,) * len(inputs)
        double = _zeros_for_none(double, inputs, strict, create_graph, "double_back")
        pairs = [(g, w) for g, w in zip(double, v or (None,)) if g.requires_grad]
        if pairs:
            gs, ws = zip(*pairs)
            res = _grads(gs, u, ws, create_graph=create_graph)
        else:
            res = (None,) * len(u)
        res = _zeros_for_none(res, inputs, strict, create_graph, "double_back_trick")
    return (_finish(outputs, create_graph)[0], _unpack(_finish(res, create_graph),
                                                       inputs_tuple))
