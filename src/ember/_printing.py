"""How tensors print: ``repr(t)`` matches torch's character for character.

The rules follow torch's ``_tensor_str.py``:

* One formatter serves the whole tensor, so every element is padded to a
  common width and shares one style (integer-like ``2.``, fixed ``0.5000``
  or scientific ``1.0000e+10``)::

      >>> import numpy as np
      >>> from ember import _dtypes
      >>> format_tensor(np.array([0.5, 1, 2, 4], np.float32), _dtypes.float32)
      'tensor([0.5000, 1.0000, 2.0000, 4.0000])'

* Above ``threshold`` elements only ``edgeitems`` per end of every dimension
  are shown, with ``...`` in between; long rows wrap at ``linewidth``.
* Suffixes (``size=``, ``dtype=``, ``grad_fn=``/``requires_grad=``) follow
  the contents, moving to a new line when the current one would overflow.
"""
import math
import operator

import numpy as np

from . import _dtypes

__all__ = ["format_tensor", "set_printoptions", "get_printoptions"]

_PREFIX = "tensor("

# Option sets selected by ``set_printoptions(profile=...)``.
_PROFILES = {
    "default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
    "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80),
}

_OPTS = dict(_PROFILES["default"], sci_mode=None)


# ----------------------------------------------------------------- print options
def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    """Change how tensors print; ``set_printoptions(profile="default")`` resets.

    >>> set_printoptions(precision=2)
    >>> get_printoptions()["precision"]
    2

    As in torch, ``sci_mode`` is always overwritten: leaving it out sets it
    back to ``None`` (choose automatically).
    """
    if profile is not None:
        # Unknown profile names are ignored, as torch does.
        _OPTS.update(_PROFILES.get(profile, {}))
    for name, value in (("precision", precision), ("threshold", threshold),
                        ("edgeitems", edgeitems), ("linewidth", linewidth)):
        if value is not None:
            _OPTS[name] = value
    _OPTS["sci_mode"] = sci_mode


def get_printoptions():
    """The current options, as keyword arguments for ``set_printoptions``.

    >>> sorted(get_printoptions())
    ['edgeitems', 'linewidth', 'precision', 'sci_mode', 'threshold']
    """
    return dict(_OPTS)


# ----------------------------------------------------------------- summarising
def _kept_indices(shape, summarize, edge):
    """Per dimension: the indices shown and whether ``...`` stands between them.

    A dimension is cut when summarising and it is longer than ``2 * edge``;
    the decision depends only on that dimension's length, so the shown
    elements form a grid that ``np.ix_`` can pick in one step.

    >>> _kept_indices((2, 10), True, 3)
    ([array([0, 1]), array([0, 1, 2, 7, 8, 9])], [False, True])
    """
    indices, cuts = [], []
    for axis, n in enumerate(shape):
        cut = summarize and n > 2 * edge
        if cut:
            edge = _edge_as_int(edge, innermost=axis == len(shape) - 1)
        idx = np.r_[0:edge, n - edge:n] if cut else np.arange(n)
        indices.append(idx)
        cuts.append(cut)
    return indices, cuts


def _edge_as_int(edge, innermost):
    """``edge`` as an int, or torch's TypeError for a non-integer ``edgeitems``.

    torch slices the innermost dimension and loops with ``range`` over the
    outer ones, so the message depends on which dimension is cut first.

    >>> _edge_as_int(2, innermost=True)
    2
    """
    try:
        return operator.index(edge)
    except TypeError:
        if innermost:
            raise TypeError("slice indices must be integers or None "
                            "or have an __index__ method") from None
        raise TypeError(f"'{type(edge).__name__}' object cannot be interpreted "
                        "as an integer") from None


def _summarize(data, summarize, edge):
    """The sub-array actually displayed, plus the per-dimension cut flags.

    Summarising first means a 10^6-element tensor formats only 36 numbers.

    >>> _summarize(np.arange(10), True, 2)
    (array([0, 1, 8, 9]), [True])
    """
    indices, cuts = _kept_indices(data.shape, summarize, edge)
    if data.ndim == 0:
        return data, cuts
    return data[np.ix_(*indices)], cuts


# ----------------------------------------------------------------- elements
def _float_style(values, sci_mode):
    """Choose ``(int_mode, sci_mode)`` from the nonzero finite values.

    Integer-valued tensors print as ``2.``; scientific notation is used when
    the magnitudes span more than 1000x, or go above 1e8 or below 1e-4.

    >>> _float_style(np.array([1.0, 2.0]), None)
    (True, False)
    >>> _float_style(np.array([1e-5, 1.0]), None)
    (False, True)
    """
    shown = values[np.isfinite(values) & (values != 0)]
    if shown.size == 0:
        # Nothing to measure: torch then ignores a forced sci_mode as well.
        return True, False
    int_mode = bool(np.all(shown == np.ceil(shown)))
    if sci_mode is None:
        mags = np.abs(shown)
        lo, hi = float(mags.min()), float(mags.max())
        sci_mode = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
    return int_mode, bool(sci_mode)


def _float_strings(values, precision, sci_mode):
    """Format float64 ``values`` (1-D) and return ``(strings, width)``.

    The width is measured over nonzero finite values only, so ``nan``,
    ``inf`` or ``0.`` may come out wider or narrower than their neighbours,
    as in torch: ``tensor([1., -inf])``.

    >>> _float_strings(np.array([1.0, -np.inf]), 4, None)
    (['1.', '-inf'], 2)
    """
    int_mode, sci = _float_style(values, sci_mode)
    items = values.tolist()   # Python floats: their format() is what torch uses
    if sci:
        spec = f".{precision}e"
        strs = [format(v, spec) for v in items]
    elif int_mode:
        # The trailing "." marks a float tensor; nan and inf need no marker.
        strs = [f"{v:.0f}" if math.isinf(v) or math.isnan(v) else f"{v:.0f}."
                for v in items]
    else:
        spec = f".{precision}f"
        strs = [format(v, spec) for v in items]
    measured = np.flatnonzero(np.isfinite(values) & (values != 0))
    width = max((len(strs[i]) for i in measured), default=1)
    return strs, width


def _element_strings(values, is_float, precision, sci_mode):
    """Strings for the flat ``values``, right-aligned to a shared width.

    >>> _element_strings(np.array([1, -20]), False, 4, None)
    (['  1', '-20'], 3)
    """
    if is_float:
        strs, width = _float_strings(values.astype(np.float64), precision, sci_mode)
    else:
        strs = [str(v) for v in values.tolist()]    # bools give "True"/"False"
        width = max(max(map(len, strs), default=1), 1)
    return [s.rjust(width) for s in strs], width


# ----------------------------------------------------------------- layout
def _row_str(items, cut, edge, width, indent, linewidth):
    """One innermost row, wrapped so lines fit ``linewidth`` from ``indent``.

    Line capacity uses the shared element width (plus ", "), not each
    string's own length.

    >>> _row_str(['1', '2', '3'], False, 3, 1, 7, 80)
    '[1, 2, 3]'
    """
    if cut:
        items = items[:edge] + [" ..."] + items[edge:]
    per_line = max(1, math.floor((linewidth - indent) / (width + 2)))
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested_str(strs, cuts, edge, width, indent, linewidth):
    """Bracketed text of an array of element strings (ndim >= 1).

    Sub-blocks of a k-D block are separated by k-1 newlines, and a cut
    dimension shows ``...`` in place of its middle.

    >>> _nested_str(np.array([['1', '2'], ['3', '4']], object), [False, False], 3, 1, 7, 80)
    '[[1, 2],\\n        [3, 4]]'
    """
    if strs.ndim == 1:
        return _row_str(list(strs), cuts[0], edge, width, indent, linewidth)
    blocks = [_nested_str(sub, cuts[1:], edge, width, indent + 1, linewidth) for sub in strs]
    if cuts[0]:
        blocks.insert(edge, "...")
    sep = "," + "\n" * (strs.ndim - 1) + " " * (indent + 1)
    return "[" + sep.join(blocks) + "]"


def _contents_str(data, is_float, opts):
    """The text between ``tensor(`` and the suffixes, for a non-empty array."""
    summarize = data.size > opts["threshold"]
    edge = opts["edgeitems"]
    if summarize and not edge and data.ndim > 0:
        # With no edge items there is nothing to show but the ellipsis.
        return "[...]"
    shown, cuts = _summarize(data, summarize, edge)
    strs, width = _element_strings(shown.reshape(-1), is_float,
                                   opts["precision"], opts["sci_mode"])
    if data.ndim == 0:
        return strs[0]
    grid = np.empty(len(strs), dtype=object)
    grid[:] = strs
    return _nested_str(grid.reshape(shown.shape), cuts, edge, width,
                       len(_PREFIX), opts["linewidth"])


# ----------------------------------------------------------------- suffixes
def _suffixes(data, dtype, requires_grad, grad_fn_name, edgeitems):
    """The ``key=value`` parts after the contents, in torch's order.

    int64 and bool need no dtype suffix when there are elements to show
    their kind, but empty tensors state any non-default dtype.

    >>> _suffixes(np.zeros((0, 3)), _dtypes.float64, False, None, 3)
    ['size=(0, 3)', 'dtype=torch.float64']
    """
    default = _dtypes.get_default_dtype()
    out = []
    if data.size == 0:
        if data.ndim != 1:
            out.append(f"size={tuple(data.shape)}")
        if dtype.name != default.name:
            out.append(f"dtype=torch.{dtype.name}")
    else:
        if not edgeitems:
            out.append(f"size={tuple(data.shape)}")
        if dtype.name not in (default.name, "int64", "bool"):
            out.append(f"dtype=torch.{dtype.name}")
    if grad_fn_name is not None:
        out.append(f"grad_fn=<{grad_fn_name}>")
    elif requires_grad:
        out.append("requires_grad=True")
    return out


def _join_suffixes(text, suffixes, indent, linewidth):
    """Append ``, suffix`` pieces, wrapping to a new indented line on overflow.

    The length of the current line is counted as torch counts it: two more
    than its real length when the text has no newline yet.

    >>> _join_suffixes("tensor([1.]", ["requires_grad=True"], 7, 80)
    'tensor([1.], requires_grad=True)'
    """
    parts = [text]
    line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if line_len + len(suffix) + 2 > linewidth:
            parts.append(",\n" + " " * indent + suffix)
            line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            line_len += len(suffix) + 2
    return "".join(parts) + ")"


# ----------------------------------------------------------------- entry point
def format_tensor(data, dtype, *, requires_grad=False, grad_fn_name=None, is_leaf=True):
    """``repr`` of a tensor holding ``data`` (a NumPy array) of ember ``dtype``.

    ``is_leaf`` is accepted for the caller's convenience; the text depends
    only on whether there is a ``grad_fn``.

    >>> format_tensor(np.array(28.0, np.float32), _dtypes.float32, grad_fn_name="MulBackward0")
    'tensor(28., grad_fn=<MulBackward0>)'
    >>> format_tensor(np.zeros((0, 3), np.int64), _dtypes.int64)
    'tensor([], size=(0, 3), dtype=torch.int64)'
    """
    data = np.asarray(data)
    opts = _OPTS
    contents = "[]" if data.size == 0 else _contents_str(data, dtype.is_floating_point, opts)
    suffixes = _suffixes(data, dtype, requires_grad, grad_fn_name, opts["edgeitems"])
    return _join_suffixes(_PREFIX + contents, suffixes, len(_PREFIX), opts["linewidth"])
