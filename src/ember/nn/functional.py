"""ember.nn.functional: the stateless functions behind the layers (``import ... as F``).

    >>> import ember.nn.functional as F
    >>> F.relu(ember.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    >>> F.mse_loss(ember.tensor([1.0, 2.0]), ember.tensor([1.0, 4.0]))
    tensor(2.)

The fused kernels (linear, softmax, the regression losses, nll_loss) live in
:mod:`ember.ops.nn_ops`; this module adds torch's argument handling, the
reductions, and the compositions (cross_entropy, l1_loss, dropout).
"""
import warnings

import numpy as np

from .._arg_errors import wrong_type
from .._tensor import Tensor
from ..ops import nn_ops
from ..ops._common import _type_name
from ..ops import pointwise as _pw
from ..ops import shape as _shape
from ..ops.creation import zeros as _zeros
from ..ops.random import dropout_noise as _dropout_noise

__all__ = ["linear", "relu", "relu_", "sigmoid", "tanh", "softmax", "log_softmax",
           "leaky_relu", "gelu", "mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss",
           "cross_entropy", "nll_loss", "dropout", "one_hot", "softmin",
           "binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div",
           "elu", "elu_", "selu", "selu_", "celu", "celu_", "silu", "mish", "softplus",
           "softsign", "hardtanh", "hardtanh_", "relu6", "hardsigmoid", "hardswish",
           "logsigmoid", "softshrink", "hardshrink", "tanhshrink", "threshold", "threshold_",
           "glu", "prelu", "leaky_relu_", "normalize", "cosine_similarity",
           "pairwise_distance"]


# ----------------------------------------------------------------- helpers
def _legacy_reduction(size_average, reduce, reduction):
    """The reduction string, honouring the deprecated size_average/reduce flags."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    ret = "mean" if size_average and reduce else "sum" if reduce else "none"
    warnings.warn("size_average and reduce args will be deprecated, please use "
                  f"reduction='{ret}' instead.", stacklevel=3)
    return ret


def _warn_size_mismatch(input, target):
    # A common and silent bug: y_hat of shape (n, 1) against y of shape (n,)
    # broadcasts to an (n, n) matrix of differences.
    if isinstance(target, Tensor) and target.shape != input.shape:
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input "
                      f"size ({input.shape}). This will likely lead to incorrect results due "
                      "to broadcasting. Please ensure they have the same size.", stacklevel=3)


def _expanded(input, target):
    """The pair broadcast to one shape, as torch.broadcast_tensors gives it to torch's
    regression losses: an ExpandBackward0 view of the one that grows, the other as is."""
    if not (isinstance(input, Tensor) and isinstance(target, Tensor)) \
            or input.shape == target.shape:
        return input, target
    try:
        shape = np.broadcast_shapes(input.shape, target.shape)
    except ValueError:
        raise _pw._broadcast_error(input, target) from None
    return (input if input.shape == shape else input.expand(shape),
            target if target.shape == shape else target.expand(shape))


def _tensor_arg(x, fname, argname="input", position=1):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fname}(): argument '{argname}' (position {position}) must be Tensor, "
                        f"not {_type_name(x)}")
    return x


def _no_method(x, method):
    """torch's error for a non-tensor given to a functional that calls ``x.method()`` in
    Python (``F.softmax('a', 0)``): Python's own AttributeError."""
    return AttributeError(f"'{type(x).__name__}' object has no attribute '{method}'")


def _is_number(x):
    return isinstance(x, (int, float, np.number, np.bool_))


def _int_arg(value, fname, argname, position):
    """torch's TypeError for an ``int`` argument that is none (a float, a str, a bool)."""
    if type(value) is not int and not nn_ops._is_int(value):
        raise wrong_type(fname, argname, position, "int", value)


def _number_arg(value, fname, argname, position):
    """torch's TypeError for a ``Number`` argument that is none (a str, None, a list)."""
    if not _is_number(value):
        raise wrong_type(fname, argname, position, "Number", value)


def _method_dim(dim, method):
    """torch's error for a dim that is no int, given to ``input.method(dim)``."""
    if not nn_ops._is_int(dim):
        raise wrong_type(method, "dim", 1, "int", dim) from None


def _check_loss_operands(input, target):
    """torch's regression losses first compare ``target.size()`` with ``input.size()``
    in Python: a non-tensor fails there, with Python's own error (a NumPy array's
    ``size`` is a number, which cannot be called)."""
    for x in (target, input):
        if not isinstance(x, Tensor):
            size = getattr(x, "size", None)
            if size is None:
                raise AttributeError(f"'{type(x).__name__}' object has no attribute 'size'")
            if not callable(size):
                raise TypeError(f"'{type(size).__name__}' object is not callable")


# --------------------------------------------------------------- layers
def linear(input, weight, bias=None):
    """input @ weight.T + bias.

    >>> F.linear(ember.ones(1, 2), ember.ones(3, 2)).shape
    torch.Size([1, 3])
    """
    _tensor_arg(input, "linear")
    try:
        return nn_ops.linear(input, weight, bias)
    except (AttributeError, TypeError):
        _tensor_arg(weight, "linear", "weight", 2)
        if bias is not None:
            _tensor_arg(bias, "linear", "bias", 3)
        raise


# ----------------------------------------------------------- activations
def relu(input, inplace=False):
    """max(x, 0), elementwise."""
    if not inplace:
        return _pw.relu(input)      # (which raises the same TypeError for a non-tensor)
    _tensor_arg(input, "relu")
    return input.relu_()


def relu_(input):
    return input.relu_()


def sigmoid(input):
    """1 / (1 + exp(-x))."""
    try:
        return _pw.sigmoid(input)
    except TypeError:       # (torch's F.sigmoid is input.sigmoid(): Python's error)
        if not isinstance(input, Tensor):
            raise _no_method(input, "sigmoid") from None
        raise


def tanh(input):
    try:
        return _pw.tanh(input)
    except TypeError:       # (torch's F.tanh is input.tanh(): Python's error)
        if not isinstance(input, Tensor):
            raise _no_method(input, "tanh") from None
        raise


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x if x > 0 else negative_slope * x."""
    _tensor_arg(input, "leaky_relu")
    if type(negative_slope) is not float:      # (NumPy would take None as a NaN slope)
        _number_arg(negative_slope, "leaky_relu", "negative_slope", 2)
    result = nn_ops.leaky_relu(input, negative_slope, inplace)
    if inplace:
        return _pw.assign_inplace(input, result)
    return result


def leaky_relu_(input, negative_slope=0.01):
    """leaky_relu written into ``input``."""
    return leaky_relu(input, negative_slope, inplace=True)


def _activate(input, write_in_place, kernel, /, *args, **kwargs):
    """``kernel(input, *args, **kwargs)``, or (``write_in_place``) its result written
    into ``input``, which is checked first: torch refuses an in-place write into a leaf
    that requires grad before computing."""
    if write_in_place:
        _pw.check_inplace(input)
    result = kernel(input, *args, **kwargs)
    return _pw.assign_inplace(input, result) if write_in_place else result


def elu(input, alpha=1.0, inplace=False):
    """x for x > 0, alpha * (exp(x) - 1) otherwise.

    >>> F.elu(ember.tensor([-1.0, 1.0]))
    tensor([-0.6321,  1.0000])
    """
    _tensor_arg(input, "elu")
    _number_arg(alpha, "elu", "alpha", 2)
    return _activate(input, inplace, nn_ops.elu, alpha, inplace=inplace)


def elu_(input, alpha=1.0):
    return elu(input, alpha, inplace=True)


def selu(input, inplace=False):
    """scale * elu(x, alpha) with torch's self-normalising constants."""
    _tensor_arg(input, "selu")
    return _activate(input, inplace, nn_ops.elu, nn_ops._SELU_ALPHA, nn_ops._SELU_SCALE,
                     inplace=inplace)


def selu_(input):
    return selu(input, inplace=True)


def celu(input, alpha=1.0, inplace=False):
    """max(0, x) + min(0, alpha * (exp(x / alpha) - 1))."""
    _tensor_arg(input, "celu")
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return _activate(input, inplace, nn_ops.elu, alpha, 1.0, 1.0 / alpha, inplace=inplace,
                     name="Celu")


def celu_(input, alpha=1.0):
    return celu(input, alpha, inplace=True)


def silu(input, inplace=False):
    """x * sigmoid(x) (swish)."""
    _tensor_arg(input, "silu")
    return _activate(input, inplace, nn_ops.silu, inplace)


def mish(input, inplace=False):
    """x * tanh(softplus(x))."""
    _tensor_arg(input, "mish")
    return _activate(input, inplace, nn_ops.mish, inplace)


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta x)) / beta, linear where beta x > threshold."""
    _tensor_arg(input, "softplus")
    try:
        return nn_ops.softplus(input, beta, threshold)
    except (TypeError, ValueError):
        _number_arg(beta, "softplus", "beta", 2)
        _number_arg(threshold, "softplus", "threshold", 3)
        raise


def softsign(input):
    """x / (1 + |x|)."""
    return input / (input.abs() + 1)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """x clamped to [min_val, max_val]."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    _tensor_arg(input, "hardtanh")
    return _activate(input, inplace, nn_ops.hardtanh, min_val, max_val, inplace)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input, inplace=False):
    """min(max(x, 0), 6)."""
    _tensor_arg(input, "relu6")
    return hardtanh(input, 0.0, 6.0, inplace)


def hardsigmoid(input, inplace=False):
    """min(max(x + 3, 0), 6) / 6."""
    _tensor_arg(input, "hardsigmoid")
    return _activate(input, inplace, nn_ops.hardsigmoid, inplace)


def hardswish(input, inplace=False):
    """x * hardsigmoid(x)."""
    _tensor_arg(input, "hardswish")
    return _activate(input, inplace, nn_ops.hardswish, inplace)


def logsigmoid(input):
    """log(sigmoid(x)), computed stably."""
    _tensor_arg(input, "log_sigmoid")
    return nn_ops.logsigmoid(input)


def softshrink(input, lambd=0.5):
    """x - lambd above lambd, x + lambd below -lambd, 0 between."""
    _tensor_arg(input, "softshrink")
    return nn_ops.softshrink(input, lambd)


def hardshrink(input, lambd=0.5):
    """x where |x| > lambd, else 0."""
    _tensor_arg(input, "hardshrink")
    return nn_ops.hardshrink(input, lambd)


def tanhshrink(input):
    """x - tanh(x)."""
    return input - input.tanh()


def threshold(input, threshold, value, inplace=False):
    """value where x <= threshold, else x."""
    _tensor_arg(input, "threshold")
    return _activate(input, inplace, nn_ops.threshold, threshold, value, inplace)


def threshold_(input, threshold, value):
    return globals()["threshold"](input, threshold, value, inplace=True)


def glu(input, dim=-1):
    """a * sigmoid(b), a and b the halves of input along ``dim``."""
    _tensor_arg(input, "glu")
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    return nn_ops.glu(input, dim)


def prelu(input, weight):
    """x where x > 0, weight * x otherwise (weight: 1 slope or one per channel)."""
    _tensor_arg(input, "prelu")
    _tensor_arg(weight, "prelu", "weight", 2)
    return nn_ops.prelu(input, weight)


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """input / max(||input||_p along dim, eps).

    >>> F.normalize(ember.tensor([[3.0, 4.0]]))
    tensor([[0.6000, 0.8000]])
    """
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    if out is None:
        return input / denom
    return out.copy_(input / denom)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """x1 . x2 / max(||x1|| ||x2||, eps) along dim, broadcasting x1 and x2.

    >>> F.cosine_similarity(ember.tensor([[1.0, 0.0]]), ember.tensor([[1.0, 1.0]]))
    tensor([0.7071])
    """
    _tensor_arg(x1, "cosine_similarity", "x1")
    _tensor_arg(x2, "cosine_similarity", "x2", 2)
    # torch's formula: each input divided by its own norm clamped at eps (which
    # overflows less than the product of the norms), then the dot product summed
    x1, x2 = _expanded(x1, x2)
    n1 = x1.norm(2, dim, keepdim=True).clamp_min(eps)
    n2 = x2.norm(2, dim, keepdim=True).clamp_min(eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """||x1 - x2 + eps||_p along the last dimension.

    >>> F.pairwise_distance(ember.tensor([[0.0, 0.0]]), ember.tensor([[3.0, 4.0]]))
    tensor([5.0000])
    """
    _tensor_arg(x1, "pairwise_distance", "x1")
    _tensor_arg(x2, "pairwise_distance", "x2", 2)
    if max(x1.dim(), x2.dim()) == 0:
        return (x1 - x2 + eps).abs()        # (torch's norm over dim -1 of a scalar)
    return (x1 - x2 + eps).norm(p, max(x1.dim(), x2.dim()) - 1, keepdim=keepdim)


def gelu(input, approximate="none"):
    """Gaussian error linear unit: x * Phi(x) (``approximate='tanh'`` for the tanh form)."""
    _tensor_arg(input, "gelu")
    return nn_ops.gelu(input, approximate)


def _softmax_dim(name, ndim, stacklevel):
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call "
                  "to include dim=X as an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """exp(x_i) / sum_j exp(x_j) along ``dim``.

    >>> F.softmax(ember.tensor([1.0, 1.0]), dim=0)
    tensor([0.5000, 0.5000])
    """
    if not isinstance(input, Tensor):   # (torch's F.softmax is input.softmax(dim))
        raise _no_method(input, "softmax")
    if dim is None:
        dim = _softmax_dim("softmax", input.dim(), _stacklevel)
    try:
        return nn_ops.softmax(input, dim, dtype)
    except TypeError:       # (torch's F.softmax is input.softmax(dim): dim is position 1)
        _method_dim(dim, "softmax")
        raise


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """softmax(-x) along ``dim``."""
    # (no check of input: torch's -input fails for a non-tensor with Python's TypeError)
    if dim is None:
        dim = _softmax_dim("softmin", input.dim(), _stacklevel)
    # torch negates first, in the input's dtype (a uint8 input wraps around; a bool
    # one raises), and only then converts to ``dtype``
    try:
        return nn_ops.softmax(-input, dim, dtype)
    except TypeError:
        _method_dim(dim, "softmax")
        raise


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """log(softmax(x)) along ``dim``, computed stably."""
    if not isinstance(input, Tensor):   # (torch's F.log_softmax is input.log_softmax(dim))
        raise _no_method(input, "log_softmax")
    if dim is None:
        dim = _softmax_dim("log_softmax", input.dim(), _stacklevel)
    try:
        return nn_ops.log_softmax(input, dim, dtype)
    except TypeError:
        _method_dim(dim, "log_softmax")
        raise


# ------------------------------------------------------------- dropout
def dropout(input, p=0.5, training=True, inplace=False):
    """Zero each element with probability ``p`` and scale the rest by 1/(1-p), when
    ``training``; otherwise return ``input`` unchanged."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    _tensor_arg(input, "dropout")
    if training is not True and training is not False:
        raise wrong_type("dropout", "train", 3, "bool", training)
    if not training or p == 0.0 or input.numel() == 0:
        return input                    # torch hands back the input itself here
    if p == 1.0:
        # times a 0-dim zero of the input's own dtype: an integer or bool input stays so
        scale = input * _zeros((), dtype=input.dtype)
    elif not input.is_floating_point():
        # torch scales its integer noise by 1/(1-p) in place, which cannot be cast back
        raise RuntimeError(f"result type Float can't be cast to the desired output type "
                           f"{nn_ops._type_name(input.dtype)}")
    else:
        scale = input * _dropout_noise(input, p)    # torch's mask, draw for draw
    if inplace:
        return _pw.assign_inplace(input, scale)
    return scale


# ---------------------------------------------------------------- losses
def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error: mean((input - target)^2) (or 'sum', or 'none').

    >>> F.mse_loss(ember.tensor([0.0, 2.0]), ember.tensor([0.0, 0.0]))
    tensor(2.)
    """
    if (size_average is None and reduce is None and weight is None and type(input) is Tensor
            and type(target) is Tensor and input._data.shape == target._data.shape):
        # The usual call, which needs neither the legacy flags nor the size warning.
        return nn_ops.mse_loss(input, target, reduction)
    _check_loss_operands(input, target)
    _warn_size_mismatch(input, target)
    reduction = _legacy_reduction(size_average, reduce, reduction)
    expanded_input, expanded_target = _expanded(input, target)
    if weight is not None:
        # (torch composes the weighted loss from Python ops: PowBackward0, ...)
        return _weighted((expanded_input - expanded_target).pow(2), weight, input, reduction,
                         normalise=True)
    return nn_ops.mse_loss(expanded_input, expanded_target, reduction)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean absolute error: mean(|input - target|)."""
    _check_loss_operands(input, target)
    _warn_size_mismatch(input, target)
    reduction = _legacy_reduction(size_average, reduce, reduction)
    nn_ops._check_reduction(reduction)
    expanded_input, expanded_target = _expanded(input, target)
    d = (expanded_input - expanded_target).abs()
    if weight is not None:
        return _weighted(d, weight, input, reduction, normalise=True)
    return _reduce(d, reduction)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """Quadratic for |d| < delta, linear beyond: 0.5 d^2 or delta (|d| - delta/2)."""
    _check_loss_operands(input, target)
    _warn_size_mismatch(input, target)
    expanded_input, expanded_target = _expanded(input, target)
    if weight is not None:
        return _weighted(nn_ops.huber_loss(expanded_input, expanded_target, "none", delta),
                         weight, input, reduction, normalise=False)
    return nn_ops.huber_loss(expanded_input, expanded_target, reduction, delta)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """0.5 d^2 / beta for |d| < beta, |d| - beta/2 beyond (huber_loss / beta)."""
    _check_loss_operands(input, target)
    _warn_size_mismatch(input, target)
    reduction = _legacy_reduction(size_average, reduce, reduction)
    expanded_input, expanded_target = _expanded(input, target)
    if beta == 0.0:
        # torch hands beta = 0 to its l1_loss kernel: |x - y|, reduced (AbsBackward0, ...)
        return _reduce((expanded_input - expanded_target).abs(), reduction)
    return nn_ops.smooth_l1_loss(expanded_input, expanded_target, reduction, beta)


def _weighted(losses, weight, input, reduction, normalise):
    """Elementwise-weighted losses; torch's weighted 'mean' divides by the summed
    weights for mse and l1 (``normalise``) but by the count for huber."""
    if weight.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', "
                         "'mean', 'sum'.")
    weighted = losses * weight
    if reduction == "mean" and normalise:
        return weighted.sum() / weight.sum()
    return _reduce(weighted, reduction)


def _reduce(losses, reduction):
    nn_ops._check_reduction(reduction)
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    return losses


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """Negative log likelihood of the target classes, given log-probabilities.

    >>> F.nll_loss(ember.tensor([[-1.0, -2.0]]), ember.tensor([1]))
    tensor(2.)
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if type(input) is not Tensor or type(target) is not Tensor:
        nn_ops._check_reduction(reduction)
        _tensor_arg(input, "nll_loss_nd")
        _tensor_arg(target, "nll_loss_nd", "target", 2)
    if type(ignore_index) is not int:
        _int_arg(ignore_index, "nll_loss_nd", "ignore_index", 5)
    return nn_ops.nll_loss(input, target, weight, ignore_index, reduction)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100,
                  reduce=None, reduction="mean", label_smoothing=0.0):
    """Cross entropy between logits ``input`` (N, C, ...) and ``target``: class
    indices (N, ...) or class probabilities shaped like ``input``.

    Equal to ``nll_loss(log_softmax(input, 1), target)`` for indices.

    >>> F.cross_entropy(ember.tensor([[0.0, 0.0]]), ember.tensor([0]))
    tensor(0.6931)
    """
    if (weight is None and size_average is None and reduce is None and label_smoothing == 0.0
            and type(ignore_index) is int and type(input) is Tensor and input._data.ndim >= 2 and type(target) is Tensor
            and target._data.dtype.kind in "iub" and target._data.ndim < input._data.ndim
            and reduction in ("mean", "sum", "none")):
        # The usual call (logits of a batch, class indices): what the code below does
        # for it, without its checks, which this case passes (an unknown reduction
        # still raises, in nll_loss).
        return nn_ops.nll_loss(nn_ops.log_softmax(input, 1), target, None, ignore_index,
                               reduction)
    reduction = _legacy_reduction(size_average, reduce, reduction)
    nn_ops._check_reduction(reduction)
    _tensor_arg(input, "cross_entropy_loss")
    _tensor_arg(target, "cross_entropy_loss", "target", 2)
    # (torch's parser, on the arguments cross_entropy passes it by position)
    if weight is not None:
        _tensor_arg(weight, "cross_entropy_loss", "weight", 3)
    _int_arg(ignore_index, "cross_entropy_loss", "ignore_index", 5)
    if not (_is_number(label_smoothing) and not isinstance(label_smoothing, (bool, np.bool_))):
        raise wrong_type("cross_entropy_loss", "label_smoothing", 6, "float", label_smoothing)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: "
                           f"{float(label_smoothing):g}")   # (as C++ prints a double)
    class_dim = 0 if input.dim() == 1 else 1
    n_classes = input.shape[class_dim] if input.dim() else 1
    if isinstance(target, Tensor) and target.shape == input.shape:
        # torch reads a target of the input's shape as class probabilities
        if not target.is_floating_point():
            raise RuntimeError(f"Expected floating point type for target with class "
                               f"probabilities, got {nn_ops._type_name(target.dtype)}")
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        if input.dim() == 0:
            # (torch's probability path wraps the class dim without allowing a scalar)
            raise IndexError("Dimension specified as 1 but tensor has no dimensions")
        if weight is not None and (weight.dim() != 1 or weight.numel() != n_classes):
            raise RuntimeError(f"cross_entropy: weight tensor should be defined either for all "
                               f"{n_classes} classes or no classes but got weight tensor of "
                               f"shape: {list(weight.shape)}")
        return _cross_entropy_probs(nn_ops.log_softmax(input, class_dim), target, weight,
                                    reduction, label_smoothing, class_dim, n_classes)
    logp = nn_ops.log_softmax(input, class_dim)
    nll = nn_ops.nll_loss(logp, target, weight, ignore_index, reduction)
    if label_smoothing == 0.0:
        return nll
    # Spread label_smoothing of the mass evenly over the classes (torch's formula).
    w_shape = [1] * input.dim()
    w_shape[class_dim] = n_classes
    weighted = logp if weight is None else logp * weight.reshape(w_shape)
    smooth = -weighted.sum(class_dim)
    ignored = target == ignore_index
    smooth = nn_ops.zero_masked(smooth, ignored)
    if reduction == "mean":
        if weight is None:
            denom = (~ignored).sum()
        else:
            if target.dtype.name not in ("int32", "int64") and target.numel():
                # torch gathers the weights at the targets, which takes only these
                raise RuntimeError("gather(): Expected dtype int32/int64 for index")
            safe = target.long().masked_fill(ignored, 0)
            denom = weight[safe].masked_fill(ignored, 0.0).sum()
        smooth = smooth.sum() / denom
    elif reduction == "sum":
        smooth = smooth.sum()
    # (torch scales both terms by numbers in its kernel: MulBackward1 nodes)
    return (nn_ops.mul_number(nll, 1 - label_smoothing)
            + nn_ops.mul_number(smooth, label_smoothing / n_classes))


def _cross_entropy_probs(logp, target, weight, reduction, label_smoothing, class_dim,
                         n_classes):
    # torch's kernel, step by step (its graph): the smoothed target as
    # target * (1 - s) + s / C, then -(logp * target * weight) summed, the mean
    # dividing by the number of positions (an int: DivBackward1)
    if label_smoothing > 0:
        target = nn_ops.add_number(nn_ops.mul_number(target, 1 - label_smoothing),
                                   label_smoothing / n_classes)
    prod = logp * target
    if weight is not None:
        w_shape = [1] * logp.dim()
        w_shape[class_dim] = n_classes
        prod = prod * weight.view(w_shape)
    if reduction == "none":
        return -prod.sum(class_dim)
    if reduction == "sum":
        return -prod.sum()
    if logp.numel() == 0:
        return -prod.sum().fill_(float("nan"))     # (the mean of no positions)
    return nn_ops.div_number(-prod.sum(), logp.numel() // n_classes)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    """-w (t log x + (1 - t) log(1 - x)), reduced; x are probabilities in [0, 1].

    >>> F.binary_cross_entropy(ember.tensor([0.5]), ember.tensor([1.0]))
    tensor(0.6931)
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    nn_ops._check_reduction(reduction)
    _check_loss_operands(input, target)      # (torch compares .size() first)
    if target.shape != input.shape:
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input "
                         f"size ({input.shape}) is deprecated. Please ensure they have the "
                         f"same size.")
    if weight is not None:
        weight = weight.expand(_shape.broadcast_shapes(target.shape, weight.shape))
    return nn_ops.binary_cross_entropy(input, target, weight, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None,
                                     reduce=None, reduction="mean", pos_weight=None):
    """binary_cross_entropy(sigmoid(input), target), computed stably from the logits;
    ``pos_weight`` weighs the positive term (one per class, broadcast over the last dim).

    >>> F.binary_cross_entropy_with_logits(ember.tensor([0.0]), ember.tensor([1.0]))
    tensor(0.6931)
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    nn_ops._check_reduction(reduction)
    _check_loss_operands(input, target)      # (torch compares .size() first)
    if target.shape != input.shape:
        raise ValueError(f"Target size ({target.shape}) must be the same as input size "
                         f"({input.shape})")
    return nn_ops.binary_cross_entropy_with_logits(input, target, weight, pos_weight,
                                                   reduction)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """Pointwise KL divergence t (log t - x), ``input`` x holding log-probabilities
    (``log_target``: target holds them too). 'batchmean' divides the sum by the batch
    size: the true KL divergence; 'mean' divides by every element (with a warning).

    >>> F.kl_div(ember.tensor([0.0]), ember.tensor([1.0]), reduction="sum")
    tensor(0.)
    """
    if size_average is not None or reduce is not None:
        reduction = _legacy_reduction(size_average, reduce, reduction)
    elif reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the "
                      "support size.'batchmean' divides only by the batch size, and aligns "
                      "with the KL div math definition.'mean' will be changed to behave the "
                      "same as 'batchmean' in the next major release.", stacklevel=2)
    kernel_reduction = "sum" if reduction == "batchmean" else reduction
    nn_ops._check_reduction(kernel_reduction)
    _tensor_arg(input, "kl_div")
    _tensor_arg(target, "kl_div", "target", 2)
    if log_target:
        losses = target.exp() * (target - input)
    else:
        losses = target.xlogy(target) - target * input
    reduced = _reduce(losses, kernel_reduction)
    if reduction == "batchmean" and input.dim() != 0:
        reduced = reduced / input.shape[0]
    return reduced


# --------------------------------------------------------------- utilities
def one_hot(tensor, num_classes=-1):
    """Class indices -> one-hot int64 rows (num_classes inferred as max + 1 if -1)."""
    _tensor_arg(tensor, "one_hot", "input")
    if type(num_classes) is not int and (isinstance(num_classes, (bool, np.bool_))
                                         or not hasattr(type(num_classes), "__index__")):
        raise wrong_type("one_hot", "num_classes", 2, "int", num_classes)
    return nn_ops.one_hot(tensor, num_classes)


