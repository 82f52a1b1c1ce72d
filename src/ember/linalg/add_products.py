"""Scaled products added to a tensor: addmv, addr, baddbmm, addbmm (and their in-place
forms, with addmm_), all ``beta * input + alpha * product``.

    >>> ember.addmv(ember.zeros(2), ember.ones(2, 3), ember.ones(3), alpha=2)
    tensor([6., 6.])

As in addmm, ``input`` broadcasts to the product's shape, ``beta == 0`` ignores it
entirely (a NaN in it does not show), and integer tensors take integer scales. The
backward of each is the backward of its product, scaled by alpha, plus beta times
the gradient summed back to input's shape.
"""
import numpy as np

from .. import _dtypes
from .._tensor import Tensor, _make
from ..autograd.graph import node_class, record
from ..ops._common import bind, unbroadcast
from ..ops.linalg import (_tensor_arg, _check_mv, _check_bmm, _not_for_bool, _product, _SHORT, _C,
                          _write_out, _bias, _integer_scales, _scaled_sum, addmm, outer)
from ..ops.pointwise import check_inplace, assign_inplace, _original


def _scales(dtype, beta, alpha):
    """beta and alpha as the kernels use them: integers for integer tensors (torch
    truncates alpha=0.5 to 0 there), logical values for bool ones."""
    if dtype.kind == "b":
        return bool(beta), bool(alpha)
    if dtype.kind in "iu":
        return _integer_scales(dtype, beta, alpha)
    return beta, alpha


def _combine(name, backward, input, product, beta, alpha, operands, out):
    """beta * input + alpha * product as a tensor whose node ``name`` runs ``backward``."""
    beta, alpha = _scales(product.dtype, beta, alpha)
    bias = _bias(input, product.shape)
    if bias.dtype != product.dtype:     # (addr promotes its operands)
        bias = bias.astype(product.dtype)
    if product.dtype.kind == "b":
        data = product & alpha
        if beta:
            data = data | bias
        result = _make(np.asarray(data, dtype=product.dtype))
    else:
        result = _make(_scaled_sum(product, bias, beta, alpha))
    node = record(name, backward, (input,) + operands, result)
    if node:
        node.save_for_backward(*operands)
        node.scales = (beta, alpha)
    if out is not None:
        return _write_out(result, out)
    return result


def _input_grad(ctx, grad):
    beta = ctx.scales[0]
    return unbroadcast(grad * beta if beta != 1 else grad, ctx.input_meta[0][0])


def _times(t, alpha):
    return t * alpha if alpha != 1 else t


# ------------------------------------------------------------------ addmv
def addmv(input, mat, vec, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * (mat @ vec)``.

    >>> ember.addmv(ember.ones(2), ember.eye(2), ember.tensor([2., 3.]))
    tensor([3., 4.])
    """
    for name, t, pos in (("input", input, 1), ("mat", mat, 2), ("vec", vec, 3)):
        _tensor_arg(t, "addmv", name, pos)
    if mat.ndim != 2 or vec.ndim != 1 or input.ndim > 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {input.ndim}, {mat.ndim}, "
                           f"{vec.ndim}")
    n = mat.shape[0]
    if mat.shape[1] != vec.shape[0] or (input.ndim == 1 and input.shape[0] not in (1, n)):
        raise RuntimeError(f"size mismatch, got input ({input.shape[0] if input.ndim else 1}), "
                           f"mat ({n}x{mat.shape[1]}), vec ({vec.shape[0]})")
    if not (input.dtype is mat.dtype is vec.dtype):
        raise RuntimeError(f"addmv input tensors must have the same dtype, but got "
                           f"{_SHORT[input.dtype.name]}, {_SHORT[mat.dtype.name]}, and "
                           f"{_SHORT[vec.dtype.name]}")
    _check_mv(mat.shape, vec.shape, mat.dtype, vec.dtype)
    return _combine("AddmvBackward0", _addmv_backward, input, _product(mat._data, vec._data),
                    beta, alpha, (mat, vec), out)


def _addmv_backward(ctx, grad):
    mat, vec = ctx.saved_tensors
    alpha = ctx.scales[1]
    need = ctx.needs_input_grad
    return (_input_grad(ctx, grad) if need[0] else None,
            _times(outer(grad, vec), alpha) if need[1] else None,
            _times(mat.mT @ grad, alpha) if need[2] else None)


# ------------------------------------------------------------------- addr
def addr(input, vec1, vec2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * outer(vec1, vec2)``; the three dtypes are promoted.

    >>> ember.addr(ember.zeros(2, 2), ember.ones(2), ember.tensor([1., 2.]))
    tensor([[1., 2.],
            [1., 2.]])
    """
    for name, t, pos in (("input", input, 1), ("vec1", vec1, 2), ("vec2", vec2, 3)):
        _tensor_arg(t, "addr", name, pos)
    for name, v in (("vec1", vec1), ("vec2", vec2)):
        if v.ndim != 1:
            raise RuntimeError(f"addr: Expected 1-D argument {name}, but got {v.ndim}-D")
    # promoted as torch's beta * input + alpha * outer(vec1, vec2): a 0-dim input counts
    # for less than the (1-D) vectors
    outer_dt = _dtypes.result_type(vec1, vec2)
    dt = _dtypes.result_type(input, _make(np.empty(1, dtype=outer_dt.np)))
    for name, s in (("beta", beta), ("alpha", alpha)):
        if dt.category < 2 and isinstance(s, float):
            raise RuntimeError(f"For integral input tensors, argument {name} must not be a "
                               "floating point number.")
        if dt is not _dtypes.bool and isinstance(s, (bool, np.bool_)):
            raise RuntimeError(f"Boolean {name} only supported for Boolean results.")
    a, b = vec1._data.astype(dt.np, copy=False), vec2._data.astype(dt.np, copy=False)
    product = a[:, None] & b if dt is _dtypes.bool else np.multiply.outer(a, b)
    result = _combine("AddrBackward0", _addr_backward, input, product, beta, alpha,
                      (vec1, vec2), None)
    if result.grad_fn is not None:
        result.grad_fn.input_dtype = input.dtype
    return _write_out(result, out) if out is not None else result


def _addr_backward(ctx, grad):
    v1, v2 = ctx.saved_tensors
    alpha = ctx.scales[1]
    need = ctx.needs_input_grad
    gi = _input_grad(ctx, grad) if need[0] else None
    g1 = _times(grad @ v2.to(grad.dtype), alpha).to(v1.dtype) if need[1] else None
    g2 = _times(grad.mT @ v1.to(grad.dtype), alpha).to(v2.dtype) if need[2] else None
    if gi is not None and gi.dtype is not ctx.input_dtype:
        gi = gi.to(ctx.input_dtype)
    return gi, g1, g2


# ------------------------------------------------------- baddbmm and addbmm
def _check_batches(batch1, batch2):
    if batch1.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if batch2.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * bmm(batch1, batch2)``, one product per batch element.

    >>> ember.baddbmm(ember.zeros(2, 1, 1), ember.ones(2, 1, 3), ember.ones(2, 3, 1)).shape
    torch.Size([2, 1, 1])
    """
    for name, t, pos in (("input", input, 1), ("batch1", batch1, 2), ("batch2", batch2, 3)):
        _tensor_arg(t, "baddbmm", name, pos)
    if batch1.ndim >= 2 and batch2.ndim >= 3:
        # torch expands input to the result's size before checking the operands' ranks
        _bias(input, (batch1.shape[0], batch1.shape[1], batch2.shape[2]))
    _check_batches(batch1, batch2)
    try:
        _check_bmm(batch1.shape, batch2.shape, batch1.dtype, batch2.dtype)
    except NotImplementedError:
        raise NotImplementedError("\"baddbmm\" not implemented for 'Bool'") from None
    if input.dtype is not batch1.dtype:
        raise RuntimeError(f"Input dtypes must be the same, got: input {_C[input.dtype.name]}, "
                           f"batch1: {_C[batch1.dtype.name]}, batch2: {_C[batch2.dtype.name]}")
    return _combine("BaddbmmBackward0", _baddbmm_backward, input,
                    _product(batch1._data, batch2._data), beta, alpha, (batch1, batch2), out)


def _baddbmm_backward(ctx, grad):
    b1, b2 = ctx.saved_tensors
    alpha = ctx.scales[1]
    need = ctx.needs_input_grad
    return (_input_grad(ctx, grad) if need[0] else None,
            _times(grad @ b2.mT, alpha) if need[1] else None,
            _times(b1.mT @ grad, alpha) if need[2] else None)


def addbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * bmm(batch1, batch2).sum(0)``.

    >>> ember.addbmm(ember.zeros(1, 1), ember.ones(2, 1, 3), ember.ones(2, 3, 1))
    tensor([[6.]])
    """
    for name, t, pos in (("input", input, 1), ("batch1", batch1, 2), ("batch2", batch2, 3)):
        _tensor_arg(t, "addbmm", name, pos)
    if batch1.ndim >= 2 and batch2.ndim >= 3:
        _bias(input, (batch1.shape[1], batch2.shape[2]))    # (first, as in baddbmm)
    _check_batches(batch1, batch2)
    if batch1.shape[0] != batch2.shape[0]:
        raise RuntimeError(f"batch1 and batch2 must have same number of batches, got "
                           f"{batch1.shape[0]} and {batch2.shape[0]}")
    if batch1.shape[2] != batch2.shape[1]:
        raise RuntimeError(f"Incompatible matrix sizes for bmm ({batch1.shape[1]}x"
                           f"{batch1.shape[2]} and {batch2.shape[1]}x{batch2.shape[2]})")
    shape = (batch1.shape[1], batch2.shape[2])
    for other in (batch1, batch2):
        if input.dtype is not other.dtype:
            raise RuntimeError(f"self and mat2 must have the same dtype, but got "
                               f"{_SHORT[input.dtype.name]} and {_SHORT[other.dtype.name]}")
    _not_for_bool(batch1.dtype, "addmm_impl_cpu_")
    x, y = batch1._data, batch2._data
    # one product of (n, b*k) @ (b*k, p): the sum over the batch happens inside BLAS
    b, n, k = x.shape
    product = _product(x.transpose(1, 0, 2).reshape(n, b * k), y.reshape(b * k, shape[1]))
    # (baddbmm's backward fits: the (n, p) gradient broadcasts over the batch)
    return _combine("AddbmmBackward0", _baddbmm_backward, input, product, beta, alpha,
                    (batch1, batch2), out)


for _name in ("AddmvBackward0", "AddrBackward0", "BaddbmmBackward0", "AddbmmBackward0"):
    node_class(_name).scales = (1, 1)


# ---------------------------------------------------------------- in place
def _inplace(op, fname):
    """``self.op_(a, b, beta=, alpha=)``: self is the input, and the result must keep
    self's shape (torch's "Bad in-place call" otherwise)."""
    def method(self, a, b, *, beta=1, alpha=1):
        check_inplace(self)
        original = _original(self, True, (a, b))
        result = op(original, a, b, beta=beta, alpha=alpha)
        if result.shape != self.shape:
            if fname == "addr_":
                raise RuntimeError(f"size mismatch, input: {list(self.shape)}, v1: "
                                   f"{list(a.shape)}, v2: {list(b.shape)}")
            raise RuntimeError(f"Bad in-place call: input tensor size {list(self.shape)} and "
                               f"output tensor size {list(result.shape)} should match")
        return assign_inplace(self, result)
    method.__name__ = fname
    method.__doc__ = f"In-place {op.__name__}; returns self."
    return method


addmm_ = _inplace(addmm, "addmm_")
addmv_ = _inplace(addmv, "addmv_")
addr_ = _inplace(addr, "addr_")
baddbmm_ = _inplace(baddbmm, "baddbmm_")
addbmm_ = _inplace(addbmm, "addbmm_")

bind(addmv=addmv, addr=addr, baddbmm=baddbmm, addbmm=addbmm, addmm_=addmm_, addmv_=addmv_,
     addr_=addr_, baddbmm_=baddbmm_, addbmm_=addbmm_)

__all__ = ["addmv", "addr", "baddbmm", "addbmm"]

del Tensor
