"""Products in torch.linalg: multi_dot, cross, vecdot, matrix_power (and matmul).

    >>> ember.linalg.cross(ember.tensor([1., 0., 0.]), ember.tensor([0., 1., 0.]))
    tensor([0., 0., 1.])
"""
import operator

import numpy as np

from .._arg_errors import wrong_type
from .._tensor import Tensor, _make
from ..autograd.graph import record
from ..ops._common import unbroadcast, wrap_dim
from ..ops.creation import eye
from ..ops.linalg import matmul
from ._checks import check_tensor, type_name
from .inverse import inv, _broadcast_batch
from ._outputs import fills_out, write_out, same_dtype_said, castable_from

# The C++ names torch prints for dtypes in multi_dot's message.
_C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half",
            "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
            "uint8": "unsigned char", "bool": "bool"}


@fills_out("linalg_multi_dot", "mm", dtype_rules=(), rules_before_grad=(
    same_dtype_said("multi_dot(): expected out tensor to have dtype {c_result} but got {c_out}"),))
def multi_dot(tensors, *, out=None):
    """The product of a chain of matrices, multiplied in the cheapest order.

    The first tensor may be a vector (a row), the last one too (a column).

    >>> ember.linalg.multi_dot([ember.ones(3), ember.ones(3, 4), ember.ones(4)])
    tensor(12.)
    """
    if isinstance(tensors, Tensor):     # (a Tensor iterates, but torch wants a sequence)
        raise wrong_type("linalg_multi_dot", "tensors", 1, "tuple of Tensors", tensors)
    tensors = list(tensors)
    n = len(tensors)
    if n < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {n}")
    for i, t in enumerate(tensors):
        check_tensor(t, "linalg_multi_dot", "tensors")
        if i in (0, n - 1) and t.ndim not in (1, 2):
            which = "first" if i == 0 else "last"
            raise RuntimeError(f"multi_dot(): the {which} tensor must be 1D or 2D but got "
                               f"{t.ndim}D")
        if 0 < i < n - 1 and t.ndim != 2:
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {t.ndim}D")
        if t.dtype is not tensors[0].dtype:
            raise RuntimeError(f"multi_dot(): all tensors must have be the same dtype but "
                               f"tensor 0 is {_C_NAMES[tensors[0].dtype.name]} and tensor {i} "
                               f"{_C_NAMES[t.dtype.name]}")
    for i in range(n - 1):
        a, b = tensors[i], tensors[i + 1]
        if a.shape[-1] != b.shape[0]:
            raise RuntimeError(f"multi_dot(): tensors {i} and {i + 1} with shapes "
                               f"{list(a.shape)} and {list(b.shape)} cannot be multiplied")
    row, col = tensors[0].ndim == 1, tensors[-1].ndim == 1
    if n == 2:
        return matmul(tensors[0], tensors[1])
    mats = list(tensors)
    if row:
        mats[0] = mats[0].unsqueeze(0)
    if col:
        mats[-1] = mats[-1].unsqueeze(-1)
    result = _chain(mats, _cheapest_order([m.shape[0] for m in mats] + [mats[-1].shape[1]]),
                    0, n - 1)
    if row and col:
        return result.reshape(())
    if row:
        return result.squeeze(0)
    if col:
        return result.squeeze(-1)
    return result


def _cheapest_order(dims):
    """The textbook matrix-chain dynamic programme: split[i][j] is where the product of
    matrices i..j is best cut in two (matrix i is dims[i] x dims[i+1])."""
    n = len(dims) - 1
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = None
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if cost[i][j] is None or c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k
    return split


def _chain(mats, split, i, j):
    if i == j:
        return mats[i]
    k = split[i][j]
    return matmul(_chain(mats, split, i, k), _chain(mats, split, k + 1, j))


@fills_out("linalg_cross")
def cross(input, other, *, dim=-1, out=None):
    """The cross product of 3-vectors along ``dim``, broadcasting the other dims."""
    check_tensor(input, "linalg_cross", "input")
    check_tensor(other, "linalg_cross", "other", 2)
    if input.ndim != other.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    axis = wrap_dim(dim, input.ndim)
    if input.shape[axis] != 3 or other.shape[axis] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. "
                           f"Got {input.shape[axis]} and {other.shape[axis]}")
    if input.dtype is not other.dtype:
        raise RuntimeError(f"expected scalar type {type_name(input)} but found "
                           f"{type_name(other)}")
    if input._data.dtype == np.bool_:
        raise NotImplementedError("\"cross\" not implemented for 'Bool'")
    _broadcast_batch(input.shape, other.shape)      # torch's message if they do not broadcast
    data = np.cross(input._data, other._data, axis=axis)
    result = _make(np.asarray(data, dtype=input._data.dtype))
    node = record("LinalgCrossBackward0", _cross_backward, (input, other), result)
    if node:
        node.save_for_backward(input, other)
        node.axis = axis
    return result


def _cross_backward(ctx, grad):
    a, b = ctx.saved_tensors
    ga = gb = None
    # d(a x b) = da x b + a x db, and <g, da x b> = <b x g, da>.
    if ctx.needs_input_grad[0]:
        ga = unbroadcast(cross(b, grad, dim=ctx.axis), ctx.input_meta[0][0])
    if ctx.needs_input_grad[1]:
        gb = unbroadcast(cross(grad, a, dim=ctx.axis), ctx.input_meta[1][0])
    return ga, gb


@fills_out("linalg_vecdot", "sum", dtype_rules=(), rules_before_grad=(
    same_dtype_said("linalg.vecdot: Expected out of dtype{result} but found {out}"),))
def vecdot(x, y, *, dim=-1, out=None):
    """Dot products of vectors along ``dim``: (x * y).sum(dim), broadcasting.

    >>> ember.linalg.vecdot(ember.ones(2, 3), ember.ones(3))
    tensor([3., 3.])
    """
    check_tensor(x, "linalg_vecdot", "x")
    check_tensor(y, "linalg_vecdot", "y", 2)
    if x.dtype is not y.dtype:
        raise RuntimeError(f"linalg.vecdot: Expected x and y to have the same dtype, but found x "
                           f"of type {type_name(x)} and y of type {type_name(y)} instead")
    if x._data.dtype.kind != "f":
        raise RuntimeError(f"linalg.vecdot: Expected a floating point or complex tensor as "
                           f"input. Got {type_name(x)}")
    return (x * y).sum(dim)


def matrix_power(A, n, *, out=None):
    """A @ A @ ... (n times) by repeated squaring; n = 0 gives I, n < 0 powers inv(A).

    >>> ember.linalg.matrix_power(ember.tensor([[1., 1.], [0., 1.]]), 3)
    tensor([[1., 3.],
            [0., 1.]])
    """
    result = _matrix_power(A, n)
    if out is None:
        return result
    # torch copy_s I (n = 0, no graph) or A (n = 1) into out, casting safely; other powers
    # end in matmul(out=), which wants the result's dtype exactly
    if n in (0, 1):
        return write_out(result.detach() if n == 0 else result, out, "linalg_matrix_power",
                         copies=True, dtype_rules=(castable_from("matrix_power"),))
    return write_out(result, out, "linalg_matrix_power", "matmul",
                     rules_before_grad=(castable_from("matrix_power"),))


def _int_n(n):
    """matrix_power's ``n`` as an int (a NumPy integer, an integer 0-dim tensor), else
    torch's TypeError (a float, a str, a bool)."""
    if not isinstance(n, (bool, np.bool_)):
        try:
            return operator.index(n)
        except TypeError:
            pass
    raise wrong_type("linalg_matrix_power", "n", 2, "int", n)


def _matrix_power(A, n):
    check_tensor(A, "linalg_matrix_power", "input")
    if A.ndim < 2:
        raise RuntimeError("linalg.matrix_power: The input tensor A must have at least 2 "
                           "dimensions.")
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"linalg.matrix_power: A must be batches of square matrices, but "
                           f"they are {A.shape[-2]} by {A.shape[-1]} matrices")
    if type(n) is not int:
        n = _int_n(n)
    if n == 0:
        # Like torch: the identity copied into a copy of A, so the graph (with a zero
        # gradient) stays connected.
        return A.clone().copy_(eye(A.shape[-1], dtype=A.dtype).expand(*A.shape))
    if n < 0:
        A, n = inv(A), -n
    result, power = None, A
    while n:
        if n & 1:
            result = power if result is None else matmul(result, power)
        n >>= 1
        if n:
            power = matmul(power, power)
    return result

