"""The D2L book's training layer on ember: ``from ember import d2l``.

Serves where *Dive into Deep Learning* writes ``from d2l import torch as d2l``
(with ``import ember as torch``): the same classes and helpers, written for
ember from the book's documented behaviour.

    >>> import ember as torch
    >>> from ember import d2l
    >>> data = d2l.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2)
    >>> model = d2l.LinearRegressionScratch(2, lr=0.03)
    >>> d2l.Trainer(max_epochs=3).fit(model, data)

Pieces: hyperparameters (``HyperParameters``, ``add_to_class``),
progress_board (``ProgressBoard``), plotting (``plot``, ``set_figsize``, ...),
metrics (``Timer``, ``Accumulator``), tensor_helpers (``d2l.numpy``, ...),
module / data / trainer (``Module``, ``DataModule``, ``Trainer``),
linear_regression (the book's models and ``SGD``).
"""
from ember.nn import Module as nn_Module  # the book's name for the framework's Module

from . import tensor_helpers as _tensor_helpers
from .data import DataModule, SyntheticRegressionData, load_array, synthetic_data
from .hyperparameters import HyperParameters, add_to_class
from .linear_regression import SGD, LinearRegression, LinearRegressionScratch
from .metrics import Accumulator, Timer
from .module import Module
from .plotting import plot, plt, set_axes, set_figsize, use_svg_display
from .progress_board import ProgressBoard
from .tensor_helpers import (argmax, astype, cpu, expand_dims, gpu, num_gpus, numpy,
                             reduce_mean, reduce_sum, repeat, reshape, size, swapaxes, to,
                             transpose, try_all_gpus, try_gpu)
from .trainer import Trainer

__all__ = ["HyperParameters", "add_to_class", "ProgressBoard", "plot", "plt", "set_axes",
           "set_figsize", "use_svg_display", "Timer", "Accumulator", "Module", "nn_Module",
           "DataModule", "SyntheticRegressionData", "synthetic_data", "load_array", "Trainer", "SGD", "LinearRegressionScratch",
           "LinearRegression"] + list(_tensor_helpers.__all__)


def __getattr__(name):
    # d2l.ones, d2l.concat, ...: ember functions, looked up when first used
    if name in _tensor_helpers.ALIASES:
        return getattr(_tensor_helpers, name)
    raise AttributeError(f"module 'ember.d2l' has no attribute {name!r}")
