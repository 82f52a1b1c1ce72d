"""Shape ops: reshape, permute, expand, cat, split, ...

Where torch returns a view, so does ember: the result wraps a NumPy view of
the same memory, shares the base's version counter, and records ``_base``.
A write through either is seen by both, exactly as in torch::

    >>> x = ember.zeros(2, 3)
    >>> x.view(6)[0] = 1.0
    >>> x[0, 0]
    tensor(1.)
"""
import numpy as np

from .. import _dtypes
from .._tensor import Tensor, _make
from ..autograd.graph import record
from ._common import as_shape, bind, unbroadcast, wrap_dim, wrap_dims


def make_view(base, array):
    """Wrap ``array`` (a NumPy view into ``base``'s memory) as a view tensor of ``base``."""
    t = _make(array)
    if array.size and not np.may_share_memory(array, base._data):
        return t            # NumPy had to copy: not a view
    t._base = base if base._base is None else base._base
    t._vc = base._shared_version()
    return t


# ---------------------------------------------------------------- reshape
def _infer_shape(shape, numel):
    shape = list(shape)
    unknown = [i for i, s in enumerate(shape) if s == -1]
    if len(unknown) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for s in shape:
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s}")
    known = 1
    for s in shape:
        if s != -1:
            known *= s
    if unknown:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{_shape_text(shape)}' is invalid for input of size {numel}")
        shape[unknown[0]] = numel // known
    elif known != numel:
        raise RuntimeError(f"shape '{_shape_text(shape)}' is invalid for input of size {numel}")
    return tuple(shape)


def _shape_text(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def reshape(input, *shape):
    """The same elements in a new shape; a view when the memory layout allows it.

    >>> ember.arange(6).reshape(2, -1)
    tensor([[0, 1, 2],
            [3, 4, 5]])
    """
    shape = _infer_shape(as_shape(shape), input._data.size)
    result = make_view(input, input._data.reshape(shape))
    node = record("ViewBackward0", _reshape_backward, (input,), result)
    return result


def _reshape_backward(ctx, grad):
    return grad.reshape(ctx.input_meta[0][0])


def view(input, *shape):
    """Like reshape, but always a view: fails if the strides don't allow one."""
    if len(shape) == 1 and isinstance(shape[0], _dtypes.dtype):
        raise NotImplementedError("view(dtype) is not supported by ember")
    new_shape = _infer_shape(as_shape(shape), input._data.size)
    arr = input._data.view()
    try:
        arr.shape = new_shape       # NumPy raises instead of copying
    except AttributeError:
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead.") \
            from None
    result = make_view(input, arr)
    record("ViewBackward0", _reshape_backward, (input,), result)
    return result


def view_as(input, other):
    return view(input, other.shape)


def reshape_as(input, other):
    return reshape(input, other.shape)


def flatten(input, start_dim=0, end_dim=-1):
    """Merge dims start_dim..end_dim into one."""
    nd = input._data.ndim
    if nd == 0:
        return reshape(input, 1)
    s, e = wrap_dim(start_dim, nd), wrap_dim(end_dim, nd)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    shape = input.shape
    return reshape(input, shape[:s] + (-1,) + shape[e + 1:])


def ravel(input):
    return reshape(input, -1)


def unflatten(input, dim, sizes):
    """Split one dim into several: ``x.unflatten(1, (2, 3))``."""
    d = wrap_dim(dim, input._data.ndim)
    shape = input.shape
    sizes = tuple(sizes)
    if -1 not in sizes and int(np.prod(sizes)) != shape[d]:
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the "
                           f"size of dim {dim} ({shape[d]}) in the input tensor")
    return reshape(input, shape[:d] + sizes + shape[d + 1:])


def squeeze(input, dim=None):
    """Remove dims of size 1 (all of them, or those named that have size 1)."""
    shape = input._data.shape
    if dim is None:
        axes = tuple(i for i, s in enumerate(shape) if s == 1)
    else:
        axes = tuple(d for d in wrap_dims(dim, len(shape)) if shape[d] == 1) if shape else ()
    result = make_view(input, input._data.squeeze(axes) if axes else input._data.view())
    record("SqueezeBackward0" if dim is None else "SqueezeBackward1", _reshape_backward,
           (input,), result)
    return result


def unsqueeze(input, dim):
    """Insert a dim of size 1 at ``dim``."""
    d = wrap_dim(dim, input._data.ndim + 1)
    result = make_view(input, np.expand_dims(input._data, d))
    record("UnsqueezeBackward0", _reshape_backward, (input,), result)
    return result


# ------------------------------------------------------------- reordering
def permute(input, *dims):
    """Reorder dims: ``x.permute(2, 0, 1)`` (a view)."""
    dims = as_shape(dims)
    nd = input._data.ndim
    if len(dims) != nd:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does "
                           f"not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {nd} is not equal to len(dims) = {len(dims)}")
    axes = tuple(wrap_dim(d, nd) for d in dims)
    if len(set(axes)) != nd:
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    result = make_view(input, input._data.transpose(axes))
    node = record("PermuteBackward0", _permute_backward, (input,), result)
    if node:
        node.axes = axes
    return result


def _permute_backward(ctx, grad):
    return grad.permute(*np.argsort(ctx.axes).tolist())


def transpose(input, dim0, dim1):
    """Swap two dims (a view)."""
    nd = input._data.ndim
    a, b = wrap_dim(dim0, nd), wrap_dim(dim1, nd)
    result = make_view(input, np.swapaxes(input._data, a, b) if nd else input._data.view())
    node = record("TransposeBackward0", _transpose_backward, (input,), result)
    if node:
        node.dims = (a, b)
    return result


def _transpose_backward(ctx, grad):
    return grad.transpose(*ctx.dims)


swapaxes = swapdims = transpose


def t(input):
    """Transpose a matrix; vectors and scalars come back as they are."""
    nd = input._data.ndim
    if nd > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {nd}D")
    result = make_view(input, input._data.T)
    record("TBackward0", lambda ctx, g: g.t(), (input,), result)
    return result


def movedim(input, source, destination):
    nd = input._data.ndim
    src = [wrap_dim(s, nd) for s in ((source,) if isinstance(source, int) else source)]
    dst = [wrap_dim(d, nd) for d in ((destination,) if isinstance(destination, int)
                                     else destination)]
    order = [i for i in range(nd) if i not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return permute(input, *order)


moveaxis = movedim


def flip(input, dims):
    """Reverse the order of elements along ``dims`` (a copy, as in torch)."""
    axes = wrap_dims(dims, input._data.ndim)
    result = _make(np.flip(input._data, axes).copy())
    node = record("FlipBackward0", lambda ctx, g: g.flip(ctx.axes), (input,), result)
    if node:
        node.axes = axes
    return result


def fliplr(input):
    return flip(input, (1,))


def flipud(input):
    return flip(input, (0,))


def roll(input, shifts, dims=None):
    """Rotate elements along dims; with dims=None the flattened tensor is rolled."""
    if dims is None:
        return roll(input.flatten(), shifts, 0).view(input.shape)
    axes = tuple(wrap_dim(d, input._data.ndim) for d in ((dims,) if isinstance(dims, int)
                                                          else dims))
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    result = _make(np.roll(input._data, shifts, axes))
    node = record("RollBackward0", lambda ctx, g: g.roll(tuple(-s for s in ctx.shifts),
                                                          ctx.axes), (input,), result)
    if node:
        node.shifts, node.axes = shifts, axes
    return result


# ---------------------------------------------------------------- expand
def expand(input, *sizes):
    """Broadcast to a larger shape without copying (-1 keeps a dim); a view."""
    sizes = as_shape(sizes)
    nd = input._data.ndim
    if len(sizes) < nd:
        raise RuntimeError(f"expand({input.type()}{{{list(input.shape)}}}, size={list(sizes)}): "
                           "the number of sizes provided ({}) must be greater or equal to the "
                           "number of dimensions in the tensor ({})".format(len(sizes), nd))
    lead = len(sizes) - nd
    target = []
    for i, s in enumerate(sizes):
        cur = input._data.shape[i - lead] if i >= lead else None
        if s == -1:
            if cur is None:
                raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a "
                                   f"leading, non-existing dimension {i}")
            s = cur
        elif cur is not None and cur != 1 and cur != s:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing "
                               f"size ({cur}) at non-singleton dimension {i}.  Target sizes: "
                               f"{list(sizes)}.  Tensor sizes: {list(input.shape)}")
        target.append(s)
    result = make_view(input, np.broadcast_to(input._data, tuple(target)))
    record("ExpandBackward0", _expand_backward, (input,), result)
    return result


def _expand_backward(ctx, grad):
    return unbroadcast(grad, ctx.input_meta[0][0])


def expand_as(input, other):
    return expand(input, other.shape)


def broadcast_to(input, size):
    return expand(input, size)


def broadcast_tensors(*tensors):
    shape = broadcast_shapes(*(t.shape for t in tensors))
    return tuple(expand(t, shape) for t in tensors)


def broadcast_shapes(*shapes):
    from .._size import Size
    try:
        return Size(np.broadcast_shapes(*(tuple(s) if not isinstance(s, int) else (s,)
                                          for s in shapes)))
    except ValueError:
        raise RuntimeError(f"Shape mismatch: objects cannot be broadcast to a single shape: "
                           f"{[list(s) for s in shapes]}") from None


def repeat(input, *repeats):
    """Tile the tensor: ``x.repeat(2, 1)`` stacks two copies along dim 0."""
    repeats = as_shape(repeats)
    nd = input._data.ndim
    if len(repeats) < nd:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    data = input._data.reshape((1,) * (len(repeats) - nd) + input._data.shape)
    result = _make(np.tile(data, repeats))
    node = record("RepeatBackward0", _repeat_backward, (input,), result)
    if node:
        node.repeats, node.padded = repeats, data.shape
    return result


def _repeat_backward(ctx, grad):
    # Split each dim into (repeat, size) and sum over the repeats.
    split = []
    for r, s in zip(ctx.repeats, ctx.padded):
        split += [r, s]
    g = grad.reshape(split).sum(tuple(range(0, len(split), 2)))
    return g.reshape(ctx.input_meta[0][0])


# ---------------------------------------------------------- join and split
def _promoted(tensors, opname):
    if not tensors:
        raise RuntimeError(f"{opname}(): expected a non-empty list of Tensors")
    for t in tensors:
        if not isinstance(t, Tensor):
            raise TypeError(f"{opname}(): argument 'tensors' must be tuple of Tensors, not "
                            f"{type(t).__name__}")
    dt = tensors[0].dtype
    for t in tensors[1:]:
        dt = _dtypes.promote_types(dt, t.dtype)
    return dt


def cat(tensors, dim=0, *, out=None):
    """Join tensors along an existing dim.

    >>> ember.cat((ember.zeros(1, 2), ember.ones(1, 2)), dim=0).shape
    torch.Size([2, 2])
    """
    tensors = list(tensors)
    dt = _promoted(tensors, "cat")
    # torch skips legacy empty 1-D tensors of shape (0,) when joining.
    parts = [t for t in tensors if not (t.ndim == 1 and t.shape[0] == 0)] or tensors[:1]
    ref = parts[0]
    if ref.ndim == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    d = wrap_dim(dim, ref.ndim)
    for i, p in enumerate(parts):
        if p.ndim != ref.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ref.ndim} and "
                               f"{p.ndim}")
        for k in range(ref.ndim):
            if k != d and p.shape[k] != ref.shape[k]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. "
                                   f"Expected size {ref.shape[k]} but got size {p.shape[k]} for "
                                   f"tensor number {i} in the list.")
    result = _make(np.concatenate([p._data.astype(dt.np, copy=False) for p in parts], axis=d))
    node = record("CatBackward0", _cat_backward, tuple(parts), result)
    if node:
        node.dim = d
        node.sizes = [p.shape[d] for p in parts]
    return result


def _cat_backward(ctx, grad):
    return tuple(grad.split(ctx.sizes, ctx.dim))


concat = concatenate = cat


def stack(tensors, dim=0, *, out=None):
    """Join tensors of equal shape along a new dim."""
    tensors = list(tensors)
    dt = _promoted(tensors, "stack")
    shape = tensors[0].shape
    for i, t in enumerate(tensors):
        if t.shape != shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{list(shape)} at entry 0 and {list(t.shape)} at entry {i}")
    d = wrap_dim(dim, len(shape) + 1)
    result = _make(np.stack([t._data.astype(dt.np, copy=False) for t in tensors], axis=d))
    node = record("StackBackward0", lambda ctx, g: g.unbind(ctx.dim), tuple(tensors), result)
    if node:
        node.dim = d
    return result


def hstack(tensors):
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


def vstack(tensors):
    return cat([t.reshape(1, -1) if t.ndim < 2 else t for t in tensors], 0)


def _slice_views(input, dim, bounds, name):
    """Views input[..., a:b, ...] along dim for each (a, b): the pieces of split/chunk."""
    out = []
    for a, b in bounds:
        key = (slice(None),) * dim + (slice(a, b),)
        piece = make_view(input, input._data[key])
        node = record(name, _embed_backward, (input,), piece)
        if node:
            node.key = key
        out.append(piece)
    return tuple(out)


def _embed_backward(ctx, grad):
    """Gradient of a piece of the input: zeros everywhere else."""
    return embed(grad, ctx.input_meta[0][0], ctx.key)


def embed(values, shape, key):
    """A zero tensor of ``shape`` with ``values`` added at ``key`` (duplicates add up);
    the backward of indexing, itself differentiable (its backward indexes again)."""
    data = np.zeros(shape, dtype=values._data.dtype)
    np.add.at(data, key, values._data)
    result = _make(data)
    node = record("IndexPutBackward0", lambda ctx, g: g[ctx.key], (values,), result)
    if node:
        node.key = key
    return result


def split(tensor, split_size_or_sections, dim=0):
    """Split into pieces of a given size (the last may be smaller) or of given sizes."""
    d = wrap_dim(dim, tensor._data.ndim)
    n = tensor._data.shape[d]
    if isinstance(split_size_or_sections, (int, np.integer)):
        size = int(split_size_or_sections)
        if size <= 0 and n > 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                               f"dimension size of {n}")
        starts = range(0, n, size) if size > 0 else [0]
        bounds = [(a, min(a + size, n)) for a in starts]
        name = "SplitBackward0"
    else:
        sizes = [int(s) for s in split_size_or_sections]
        if sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} "
                               f"(input tensor's size at dimension {d}), but got "
                               f"split_sizes={sizes}")
        offsets = np.cumsum([0] + sizes).tolist()
        bounds = list(zip(offsets[:-1], offsets[1:]))
        name = "SplitWithSizesBackward0"
    return _slice_views(tensor, d, bounds, name)


def chunk(input, chunks, dim=0):
    """Split into ``chunks`` pieces of equal size (the last may be smaller)."""
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    d = wrap_dim(dim, input._data.ndim)
    n = input._data.shape[d]
    size = max(-(-n // chunks), 1)
    return split(input, size, d) if n else split(input, 1, d) or (input,)


def tensor_split(input, indices_or_sections, dim=0):
    d = wrap_dim(dim, input._data.ndim)
    n = input._data.shape[d]
    if isinstance(indices_or_sections, int):
        k = indices_or_sections
        sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
        offsets = np.cumsum([0] + sizes).tolist()
    else:
        offsets = [0] + [min(int(i), n) for i in indices_or_sections] + [n]
    bounds = list(zip(offsets[:-1], offsets[1:]))
    return _slice_views(input, d, bounds, "SplitWithSizesBackward0")


def unbind(input, dim=0):
    """The slices along ``dim`` as a tuple of views."""
    d = wrap_dim(dim, input._data.ndim)
    out = []
    for i in range(input._data.shape[d]):
        key = (slice(None),) * d + (i,)
        piece = make_view(input, input._data[key])
        node = record("UnbindBackward0", _embed_backward, (input,), piece)
        if node:
            node.key = key
        out.append(piece)
    return tuple(out)


def narrow(input, dim, start, length):
    d = wrap_dim(dim, input._data.ndim)
    start = start % input.shape[d] if start < 0 else start
    return _slice_views(input, d, [(start, start + length)], "SliceBackward0")[0]


def select(input, dim, index):
    d = wrap_dim(dim, input._data.ndim)
    key = (slice(None),) * d + (index,)
    return input[key]


# --------------------------------------------------------- triangular etc.
def tril(input, diagonal=0):
    """Lower triangle (the rest zeroed) of the last two dims."""
    if input._data.ndim < 2:
        raise RuntimeError("tril: input tensor must have at least 2 dimensions")
    result = _make(np.tril(input._data, diagonal))
    node = record("TrilBackward0", lambda ctx, g: g.tril(ctx.k), (input,), result)
    if node:
        node.k = diagonal
    return result


def triu(input, diagonal=0):
    """Upper triangle (the rest zeroed) of the last two dims."""
    if input._data.ndim < 2:
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")
    result = _make(np.triu(input._data, diagonal))
    node = record("TriuBackward0", lambda ctx, g: g.triu(ctx.k), (input,), result)
    if node:
        node.k = diagonal
    return result


def diagonal(input, offset=0, dim1=0, dim2=1):
    nd = input._data.ndim
    a, b = wrap_dim(dim1, nd), wrap_dim(dim2, nd)
    result = make_view(input, np.diagonal(input._data, offset, a, b))
    node = record("DiagonalBackward0", _diagonal_backward, (input,), result)
    if node:
        node.args = (offset, a, b)
    return result


def _diagonal_backward(ctx, grad):
    offset, a, b = ctx.args
    idx = np.arange(grad.shape[-1])
    rows, cols = (idx, idx + offset) if offset >= 0 else (idx - offset, idx)
    key = [slice(None)] * len(ctx.input_meta[0][0])
    key[a], key[b] = rows, cols
    # NumPy puts the dim of two advanced indices where they stand if they are
    # adjacent, else in front; diagonal() put it last.
    g = grad.movedim(-1, min(a, b) if builtins_abs(a - b) == 1 else 0)
    return embed(g, tuple(ctx.input_meta[0][0]), tuple(key))


def diag(input, diagonal=0):
    if input.ndim == 1:
        n = input.shape[0] + builtins_abs(diagonal)
        from .creation import zeros
        out = zeros(n, n, dtype=input.dtype)
        idx = np.arange(input.shape[0])
        rows, cols = (idx, idx + diagonal) if diagonal >= 0 else (idx - diagonal, idx)
        return out.index_put((_make(rows), _make(cols)), input)
    return input.diagonal(diagonal)


builtins_abs = abs


def contiguous(input, memory_format=None):
    """self if already C-contiguous, else a contiguous copy."""
    if input._data.flags.c_contiguous:
        return input
    result = _make(np.ascontiguousarray(input._data))
    record("CloneBackward0", lambda ctx, g: g, (input,), result)
    return result


# ------------------------------------------------------------ Tensor methods
bind(reshape=reshape, view=view, view_as=view_as, reshape_as=reshape_as, flatten=flatten,
     ravel=ravel, unflatten=unflatten, squeeze=squeeze, unsqueeze=unsqueeze, permute=permute,
     transpose=transpose, swapaxes=swapaxes, swapdims=swapdims, t=t, movedim=movedim,
     moveaxis=moveaxis, flip=flip, fliplr=fliplr, flipud=flipud, roll=roll, expand=expand,
     expand_as=expand_as, broadcast_to=broadcast_to, repeat=repeat, split=split, chunk=chunk,
     tensor_split=tensor_split, unbind=unbind, narrow=narrow, select=select, tril=tril,
     triu=triu, diagonal=diagonal, diag=diag, contiguous=contiguous,
     tril_=lambda self, k=0: _assign(self, tril(self, k)),
     triu_=lambda self, k=0: _assign(self, triu(self, k)),
     squeeze_=lambda self, dim=None: _set_shape(self, squeeze(self, dim).shape),
     unsqueeze_=lambda self, dim: _set_shape(self, unsqueeze(self, dim).shape),
     t_=lambda self: _set_data(self, self._data.T),
     transpose_=lambda self, a, b: _set_data(self, np.swapaxes(self._data, a, b)))


def _assign(self, result):
    from .pointwise import assign_inplace
    return assign_inplace(self, result)


def _set_shape(self, shape):
    self._data = self._data.reshape(shape)
    return self


def _set_data(self, arr):
    self._data = arr
    return self
