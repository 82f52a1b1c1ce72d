"""d2l.plot / set_figsize: the book's static plots on pyplot's current axes."""
import matplotlib
import numpy as np
import pytest
from matplotlib import pyplot as plt

import ember
from ember import d2l


@pytest.fixture
def fresh_figure():
    size = matplotlib.rcParams["figure.figsize"]
    figure = plt.figure()
    yield figure
    plt.close(figure)
    matplotlib.rcParams["figure.figsize"] = size


def test_plot_several_curves_from_tensors(fresh_figure):
    x = ember.arange(0, 3, 0.1, requires_grad=True)
    axes = d2l.plot(x, [x ** 2, 2 * x - 3], "x", "f(x)", legend=["f(x)", "tangent"])
    assert len(axes.lines) == 2
    np.testing.assert_allclose(axes.lines[0].get_ydata(), (x ** 2).detach().numpy())
    assert axes.get_xlabel() == "x" and axes.get_legend() is not None


def test_plot_y_only_uses_indices(fresh_figure):
    axes = d2l.plot([3.0, 1.0, 2.0])
    assert axes.lines[0].get_xdata().tolist() == [0, 1, 2]


def test_set_figsize(fresh_figure):
    d2l.set_figsize((5, 2))
    assert tuple(matplotlib.rcParams["figure.figsize"]) == (5, 2)
