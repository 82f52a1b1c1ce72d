"""ProgressBoard: the book's live training curve, or a PNG file when there is no notebook.

``draw(x, y, label, every_n)`` collects points and, every ``every_n`` calls,
adds their mean to the curve ``label``. Inside Jupyter the figure is redrawn
in place; in a script nothing is shown, and ``save(path)`` writes the curves
to an image file (``Trainer.fit`` does that for you when ``png_path`` is set).

Figures are drawn on a standalone matplotlib ``Figure`` with the Agg canvas,
never through pyplot, so a board never changes the user's pyplot backend or
current figure.

    >>> board = ProgressBoard("x", png_path="sine.png")
    >>> for x in np.arange(0, 10, 0.1):
    ...     board.draw(x, np.sin(x), "sin", every_n=2)
    >>> board.save()
    'sine.png'
"""
import collections
import io
import os

from .hyperparameters import HyperParameters
from .notebook import in_notebook

__all__ = ["ProgressBoard", "Point"]

Point = collections.namedtuple("Point", ["x", "y"])


def _to_float(value):
    """A Python float from a number, a NumPy scalar or a one-element tensor."""
    if hasattr(value, "detach"):
        value = value.detach()
    if hasattr(value, "item"):
        return float(value.item())
    return float(value)


class ProgressBoard(HyperParameters):
    """Plots data points as they arrive (see the module docstring)."""

    def __init__(self, xlabel=None, ylabel=None, xlim=None, ylim=None, xscale="linear",
                 yscale="linear", ls=("-", "--", "-.", ":"), colors=("C0", "C1", "C2", "C3"),
                 fig=None, axes=None, figsize=(3.5, 2.5), display=True, png_path=None):
        self.save_hyperparameters()
        self.raw_points = collections.OrderedDict()   # label -> points not yet averaged
        self.data = collections.OrderedDict()         # label -> plotted (averaged) points

    def draw(self, x, y, label, every_n=1):
        """Add point (x, y) to curve ``label``; plot the mean of every ``every_n`` points."""
        # the book passes num_batches / plots_per_epoch here, which is 0 for tiny
        # datasets; 0 would silently never plot, so average at least one point
        every_n = max(1, int(every_n))
        points = self.raw_points.setdefault(label, [])
        line = self.data.setdefault(label, [])
        points.append(Point(_to_float(x), _to_float(y)))
        if len(points) < every_n:
            return
        line.append(Point(sum(p.x for p in points) / len(points),
                          sum(p.y for p in points) / len(points)))
        points.clear()
        if self.display and in_notebook():
            self._show_in_notebook()

    def render(self):
        """Draw all curves onto the board's figure and return it."""
        figure = self._figure()
        axes = self.axes if self.axes is not None else (
            figure.axes[0] if figure.axes else figure.add_subplot())
        axes.cla()
        lines, labels = [], []
        for (label, points), style, color in zip(self.data.items(), self._cycle(self.ls),
                                                 self._cycle(self.colors)):
            lines.append(axes.plot([p.x for p in points], [p.y for p in points],
                                   linestyle=style, color=color)[0])
            labels.append(label)
        if self.xlim:
            axes.set_xlim(self.xlim)
        if self.ylim:
            axes.set_ylim(self.ylim)
        axes.set_xlabel(self.xlabel)
        axes.set_ylabel(self.ylabel)
        axes.set_xscale(self.xscale)
        axes.set_yscale(self.yscale)
        if lines:
            axes.legend(lines, labels)
        return figure

    def save(self, path=None, dpi=150):
        """Write the curves to an image file (format from the suffix, e.g. .png); returns the path."""
        path = path if path is not None else self.png_path
        if path is None:
            raise ValueError("ProgressBoard.save() needs a path: pass one or set "
                             "board.png_path")
        path = os.fspath(path)
        directory = os.path.dirname(os.path.abspath(path))
        os.makedirs(directory, exist_ok=True)
        self.render().savefig(path, dpi=dpi, bbox_inches="tight")
        return path

    def _figure(self):
        if self.fig is None:
            if self.axes is not None:
                self.fig = self.axes.figure
            else:
                # a standalone Figure with its own Agg canvas: no pyplot, no GUI
                from matplotlib.backends.backend_agg import FigureCanvasAgg
                from matplotlib.figure import Figure
                self.fig = Figure(figsize=self.figsize)
                FigureCanvasAgg(self.fig)
        return self.fig

    def _show_in_notebook(self):
        from IPython import display
        buffer = io.StringIO()
        self.render().savefig(buffer, format="svg", bbox_inches="tight")
        display.display(display.SVG(buffer.getvalue()))
        display.clear_output(wait=True)

    @staticmethod
    def _cycle(values):
        """Styles repeat when there are more curves than styles (the book stops at 4)."""
        while True:
            yield from values
