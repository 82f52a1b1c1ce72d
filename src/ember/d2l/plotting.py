"""The book's static plotting helpers: ``plot``, ``set_figsize``, ``use_svg_display``.

They draw on matplotlib's current pyplot figure, exactly as the book's do; in
a script, save or show it with ``d2l.plt.savefig(...)`` / ``d2l.plt.show()``.

    >>> x = ember.arange(0, 3, 0.1)
    >>> plot(x, [x ** 2, 2 * x - 3], "x", "f(x)", legend=["f(x)", "tangent"])
"""
import matplotlib
from matplotlib import pyplot as plt

from .notebook import in_notebook

__all__ = ["plt", "use_svg_display", "set_figsize", "set_axes", "plot"]


def use_svg_display():
    """Show notebook figures as SVG (sharper). Does nothing outside a notebook."""
    if not in_notebook():
        return
    try:
        from matplotlib_inline import backend_inline
    except ImportError:  # older Jupyter setups: keep their default format
        return
    backend_inline.set_matplotlib_formats("svg")


def set_figsize(figsize=(3.5, 2.5)):
    """Set the default figure size (inches) for later pyplot figures."""
    use_svg_display()
    matplotlib.rcParams["figure.figsize"] = figsize


def set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend):
    """Label, scale, limit and add a legend and grid to ``axes``."""
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.set_xscale(xscale)
    axes.set_yscale(yscale)
    axes.set_xlim(xlim)
    axes.set_ylim(ylim)
    if legend:
        axes.legend(legend)
    axes.grid()


def _as_plottable(values):
    """ember tensors (possibly requiring grad) become NumPy arrays for matplotlib."""
    if hasattr(values, "detach") and hasattr(values, "numpy"):
        return values.detach().numpy()
    return values


def _has_one_axis(values):
    """True for one curve (a 1-d tensor/array or a flat list), not a list of curves."""
    return (getattr(values, "ndim", None) == 1
            or isinstance(values, list) and len(values) > 0 and not hasattr(values[0], "__len__"))


def plot(X, Y=None, xlabel=None, ylabel=None, legend=None, xlim=None, ylim=None,
         xscale="linear", yscale="linear", fmts=("-", "m--", "g-.", "r:"),
         figsize=(3.5, 2.5), axes=None):
    """Plot one or several curves: ``plot(x, [y1, y2])`` or ``plot(y)``."""
    if _has_one_axis(X):
        X = [X]
    if Y is None:
        X, Y = [[]] * len(X), X
    elif _has_one_axis(Y):
        Y = [Y]
    if len(X) != len(Y):
        X = X * len(Y)
    set_figsize(figsize)
    if axes is None:
        axes = plt.gca()
    axes.cla()
    for x, y, fmt in zip(X, Y, fmts):
        x, y = _as_plottable(x), _as_plottable(y)
        if len(x):
            axes.plot(x, y, fmt)
        else:
            axes.plot(y, fmt)
    set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend or [])
    return axes
