"""Weight initialisation, in place and without recording gradients (torch.nn.init).

    >>> w = ember.empty(3, 5)
    >>> nn.init.xavier_uniform_(w)        # U(-a, a), a = sqrt(6 / (fan_in + fan_out))
    >>> nn.init.zeros_(net[0].bias)

Every function takes ``generator=`` where torch's does, for reproducible draws.
The fan of a weight of shape (out, in, *kernel) is in * prod(kernel) (fan_in)
and out * prod(kernel) (fan_out).
"""
import math
import warnings

import numpy as np

from .._arg_errors import wrong_type
from ..autograd.grad_mode import no_grad
from ..ops.creation import arange, empty, empty_like
from ..ops.pointwise import where

__all__ = ["calculate_gain", "uniform_", "normal_", "trunc_normal_", "constant_", "ones_",
           "zeros_", "eye_", "dirac_", "xavier_uniform_", "xavier_normal_", "kaiming_uniform_",
           "kaiming_normal_", "orthogonal_", "sparse_",
           # deprecated spellings without the trailing underscore, as torch keeps them
           "uniform", "normal", "constant", "eye", "dirac", "xavier_uniform", "xavier_normal",
           "kaiming_uniform", "kaiming_normal", "orthogonal", "sparse"]


def calculate_gain(nonlinearity, param=None):
    """The recommended scale of the weights for a nonlinearity:
    1 (linear, conv, sigmoid), 5/3 (tanh), sqrt(2) (relu),
    sqrt(2 / (1 + slope^2)) (leaky_relu, slope 0.01 by default), 3/4 (selu).

    >>> nn.init.calculate_gain("relu")
    1.4142135623730951
    """
    linear_fns = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                  "conv_transpose2d", "conv_transpose3d"]
    if nonlinearity in linear_fns or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif (isinstance(param, int) and not isinstance(param, bool)) or isinstance(param, float):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor):
    """(fan_in, fan_out) of a weight shaped (out, in, *receptive_field)."""
    if tensor.dim() < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than "
                         "2 dimensions")
    receptive = 1
    for s in tensor.shape[2:]:
        receptive *= s
    return tensor.size(1) * receptive, tensor.size(0) * receptive


def _calculate_correct_fan(tensor, mode):
    mode = mode.lower()
    valid = ["fan_in", "fan_out"]
    if mode not in valid:
        raise ValueError(f"Mode {mode} not supported, please use one of {valid}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _float_args(method, named_values):
    """torch's TypeError for a bound of ``tensor.method(...)`` that is no number, named
    as the method names it (uniform_'s ``from`` and ``to``), counted from 1."""
    for position, (name, value) in enumerate(named_values, 1):
        if not isinstance(value, (int, float, np.number, np.bool_)):
            raise wrong_type(method, name, position, "float", value)


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Fill with draws from U(a, b)."""
    _float_args("uniform_", (("from", a), ("to", b)))
    with no_grad():
        return tensor.uniform_(a, b, generator=generator)


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    """Fill with draws from N(mean, std^2)."""
    _float_args("normal_", (("mean", mean), ("std", std)))
    with no_grad():
        return tensor.normal_(mean, std, generator=generator)


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None):
    """Fill with draws from N(mean, std^2) restricted to [a, b].

    When [a, b] holds most of the mass, out-of-range draws are simply redrawn;
    otherwise candidates are drawn uniformly on [a, b] and accepted with
    probability density(x) / density(mode), which stays efficient however far
    the mean lies from the interval.
    """
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The "
                      "distribution of values may be incorrect.", stacklevel=2)

    def standard_cdf(x):
        return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0

    with no_grad():
        # the same float expression as torch's, so the branch taken agrees at the boundary
        if standard_cdf((b - mean) / std) - standard_cdf((a - mean) / std) > 0.3:
            # bounds rounded to the tensor's dtype: a float32 draw equal to float32(b) is in
            lo = tensor.new_tensor(a).item()
            hi = tensor.new_tensor(b).item()
            result = empty_like(tensor).normal_(mean, std, generator=generator)
            pending = (result < lo) | (result > hi)
            while bool(pending.any()):
                fresh = empty_like(tensor).normal_(mean, std, generator=generator)
                result = where(pending, fresh, result)
                pending = (result < lo) | (result > hi)
        else:
            mode = max(a, min(mean, b))
            log_peak = -0.5 * ((mode - mean) / std) ** 2
            result = empty_like(tensor).uniform_(a, b, generator=generator)
            pending = None
            while True:
                log_ratio = -0.5 * ((result - mean) / std) ** 2 - log_peak
                u = empty_like(tensor).uniform_(0.0, 1.0, generator=generator)
                rejected = u.log() > log_ratio
                pending = rejected if pending is None else pending & rejected
                if not bool(pending.any()):
                    break
                fresh = empty_like(tensor).uniform_(a, b, generator=generator)
                result = where(pending, fresh, result)
        return tensor.copy_(result)


def constant_(tensor, val):
    """Fill with ``val``."""
    with no_grad():
        return tensor.fill_(val)


def ones_(tensor):
    with no_grad():
        return tensor.fill_(1.0)


def zeros_(tensor):
    with no_grad():
        return tensor.zero_()


def eye_(tensor):
    """Fill a 2-D tensor with the identity (ones on the diagonal)."""
    if tensor.ndimension() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    from ..ops.creation import eye as identity
    with no_grad():
        return tensor.copy_(identity(*tensor.shape, dtype=tensor.dtype))


def xavier_uniform_(tensor, gain=1.0, generator=None):
    """Glorot uniform: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    """Glorot normal: N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def _zero_element_noop(tensor):
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
        return True
    return False


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He uniform: U(-b, b) with b = gain * sqrt(3 / fan), gain from ``nonlinearity`` and
    ``a`` (the leaky_relu slope). nn.Linear uses it with a = sqrt(5)."""
    if _zero_element_noop(tensor):
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)
    return uniform_(tensor, -math.sqrt(3.0) * std, math.sqrt(3.0) * std, generator)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He normal: N(0, std^2) with std = gain / sqrt(fan)."""
    if _zero_element_noop(tensor):
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)
    return normal_(tensor, 0.0, std, generator)


def dirac_(tensor, groups=1):
    """Fill a 3-, 4- or 5-D conv weight with the Dirac delta: output channel d of each group
    copies input channel d at the kernel's centre, so the convolution starts as the identity.

    >>> w = nn.init.dirac_(ember.empty(2, 2, 3))
    >>> w[:, :, 1]
    tensor([[1., 0.],
            [0., 1.]])
    """
    dimensions = tensor.ndimension()
    if dimensions not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    sizes = tensor.shape
    if sizes[0] % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    out_per_group = sizes[0] // groups
    identity_len = min(out_per_group, sizes[1])
    with no_grad():
        tensor.zero_()
        # all (group, d) pairs at once: out = g * out_per_group + d, in = d
        in_channel = arange(identity_len).repeat(groups)
        out_channel = (arange(groups) * out_per_group).repeat_interleave(identity_len) + in_channel
        centre = tuple(size // 2 for size in sizes[2:])
        tensor[(out_channel, in_channel) + centre] = 1
    return tensor


def orthogonal_(tensor, gain=1, generator=None):
    """Fill with a (semi-)orthogonal matrix times ``gain``; trailing dimensions are flattened.

    Draws an N(0, 1) matrix of shape (rows, numel / rows) and keeps the Q of its QR
    factorisation, with each column's sign flipped to make diag(R) positive, so Q is
    uniformly (Haar) distributed rather than biased by the factorisation's convention.

    >>> w = nn.init.orthogonal_(ember.empty(3, 5))
    >>> ember.allclose(w @ w.T, ember.eye(3), atol=1e-6)
    True
    """
    if tensor.ndimension() < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if tensor.numel() == 0:
        return tensor
    from ..linalg import qr
    rows = tensor.size(0)
    cols = tensor.numel() // rows
    with no_grad():
        flattened = empty((rows, cols), dtype=tensor.dtype).normal_(0, 1, generator=generator)
        wide = rows < cols
        if wide:                # QR of the tall transpose gives orthonormal rows
            flattened = flattened.t()
        q, r = qr(flattened)
        q = q * r.diagonal().sign()
        if wide:
            q = q.t()
        tensor.view_as(q).copy_(q)
        tensor.mul_(gain)
    return tensor


def sparse_(tensor, sparsity, std=0.01, generator=None):
    """Fill a 2-D tensor with N(0, std^2) draws, then zero ceil(sparsity * rows) randomly
    chosen entries in every column.

    As in torch, ``generator`` drives only the normal draws: the zero positions come from
    the global generator (one randperm per column), so seeding it keeps them reproducible.

    >>> w = nn.init.sparse_(ember.empty(10, 3), sparsity=0.2)
    >>> (w == 0).sum(0)
    tensor([2, 2, 2])
    """
    if tensor.ndimension() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    from ..ops.random import randperm
    from ..ops.shape import stack
    rows, cols = tensor.shape
    num_zeros = math.ceil(sparsity * rows)
    with no_grad():
        tensor.normal_(0, std, generator=generator)
        if cols == 0:
            return tensor
        # one permutation per column, drawn in torch's order to stay in step with its stream
        zero_rows = stack([randperm(rows)[:num_zeros] for _ in range(cols)], dim=1)
        tensor[zero_rows, arange(cols)] = 0
    return tensor


def _deprecated(init_fn):
    """The old name without the trailing underscore: warns, then calls ``init_fn``."""
    new_name = init_fn.__name__
    old_name = new_name[:-1]

    def deprecated_init(*args, **kwargs):
        warnings.warn(f"`nn.init.{old_name}` is now deprecated in favor of "
                      f"`nn.init.{new_name}`.", FutureWarning, stacklevel=2)
        return init_fn(*args, **kwargs)

    deprecated_init.__name__ = deprecated_init.__qualname__ = old_name
    deprecated_init.__doc__ = f"{old_name}(...): deprecated, use nn.init.{new_name}."
    return deprecated_init


uniform = _deprecated(uniform_)
normal = _deprecated(normal_)
constant = _deprecated(constant_)
eye = _deprecated(eye_)
dirac = _deprecated(dirac_)
xavier_uniform = _deprecated(xavier_uniform_)
xavier_normal = _deprecated(xavier_normal_)
kaiming_uniform = _deprecated(kaiming_uniform_)
kaiming_normal = _deprecated(kaiming_normal_)
orthogonal = _deprecated(orthogonal_)
sparse = _deprecated(sparse_)
