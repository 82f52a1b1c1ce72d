"""d2l.ProgressBoard: averaging every_n points, and the PNG written when headless."""
import matplotlib
import matplotlib.image
import numpy as np
import pytest
from matplotlib import pyplot as plt

import ember
from ember import d2l

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_draw_averages_every_n_points():
    board = d2l.ProgressBoard(xlabel="x")
    for i in range(7):
        board.draw(i, ember.tensor(float(i * i)), "square", every_n=3)
    assert [tuple(p) for p in board.data["square"]] == [(1.0, 5.0 / 3), (4.0, 50.0 / 3)]
    assert [tuple(p) for p in board.raw_points["square"]] == [(6.0, 36.0)]


def test_every_n_below_one_still_plots():
    board = d2l.ProgressBoard()
    board.draw(0, 1.0, "loss", every_n=0.5)   # the book passes batches/2 for tiny data
    assert len(board.data["loss"]) == 1


def test_save_writes_a_png_without_touching_pyplot(tmp_path):
    backend, figures = matplotlib.get_backend(), plt.get_fignums()
    board = d2l.ProgressBoard("epoch", "loss", png_path=tmp_path / "sub" / "curve.png")
    for i in range(20):
        board.draw(i / 10, np.exp(-i / 5), "train_loss", every_n=2)
        board.draw(i / 10, np.exp(-i / 4), "val_loss", every_n=5)
    path = board.save()
    with open(path, "rb") as f:
        assert f.read(8) == PNG_SIGNATURE
    image = matplotlib.image.imread(path)
    assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100
    assert image[..., :3].std() > 0.05          # not a blank canvas: curves were drawn
    assert matplotlib.get_backend() == backend and plt.get_fignums() == figures


def test_save_needs_a_path():
    with pytest.raises(ValueError, match="needs a path"):
        d2l.ProgressBoard().save()


def test_more_curves_than_styles(tmp_path):
    board = d2l.ProgressBoard()
    for label in "abcdef":
        board.draw(0, 1.0, label)
        board.draw(1, 2.0, label)
    board.save(tmp_path / "six.png")
    axes = board.fig.axes[0]
    assert len(axes.lines) == 6
