"""d2l.Module: an ``nn.Module`` that knows its loss, its optimizer and how to plot itself.

Subclasses define ``__init__`` (calling ``save_hyperparameters``), ``forward``
(or a ``self.net``), ``loss`` and, if plain SGD on ``self.parameters()`` with
``self.lr`` does not fit, ``configure_optimizers``. ``d2l.Trainer`` does the rest.

    >>> class Regression(Module):
    ...     def __init__(self, lr):
    ...         super().__init__()
    ...         self.save_hyperparameters()
    ...         self.net = nn.Linear(2, 1)
    ...     def loss(self, y_hat, y):
    ...         return ((y_hat - y) ** 2).mean()
"""
import ember
from ember import nn

from .hyperparameters import HyperParameters
from .progress_board import ProgressBoard

__all__ = ["Module"]


class Module(nn.Module, HyperParameters):
    """The base class of the book's models (see the module docstring)."""

    def __init__(self, plot_train_per_epoch=2, plot_valid_per_epoch=1):
        super().__init__()
        self.save_hyperparameters()
        self.board = ProgressBoard()

    def loss(self, y_hat, y):
        raise NotImplementedError(f"{type(self).__name__} must define loss(y_hat, y)")

    def forward(self, X):
        assert hasattr(self, "net"), "Neural network is defined"
        return self.net(X)

    def plot(self, key, value, train):
        """Add a value (e.g. the loss) to the progress board, against the epoch."""
        assert hasattr(self, "trainer"), "Trainer is not inited"
        self.board.xlabel = "epoch"
        if train:
            x = self.trainer.train_batch_idx / self.trainer.num_train_batches
            n = self.trainer.num_train_batches / self.plot_train_per_epoch
        else:
            x = self.trainer.epoch + 1
            n = self.trainer.num_val_batches / self.plot_valid_per_epoch
        self.board.draw(x, value, ("train_" if train else "val_") + key, every_n=int(n))

    def training_step(self, batch):
        """Loss on one training minibatch ``(*inputs, target)``; also plotted."""
        l = self.loss(self(*batch[:-1]), batch[-1])
        self.plot("loss", l, train=True)
        return l

    def validation_step(self, batch):
        """Loss on one validation minibatch, plotted."""
        l = self.loss(self(*batch[:-1]), batch[-1])
        self.plot("loss", l, train=False)

    def configure_optimizers(self):
        """Minibatch SGD on all parameters with learning rate ``self.lr``."""
        return ember.optim.SGD(self.parameters(), lr=self.lr)

    def apply_init(self, inputs, init=None):
        """Run one forward pass (materialising lazy layers), then ``self.net.apply(init)``."""
        self.forward(*inputs)
        if init is not None:
            self.net.apply(init)
