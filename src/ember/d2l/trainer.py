"""d2l.Trainer: fits a ``d2l.Module`` to a ``d2l.DataModule``, epoch by epoch.

    >>> trainer = Trainer(max_epochs=3)
    >>> trainer.fit(model, data)

Outside a notebook a tqdm progress bar counts the training minibatches (turn
it off with ``Trainer(..., progress=False)`` or ``EMBER_PROGRESS=0``); inside
Jupyter the model's ProgressBoard plots live instead. When the board has a
``png_path``, the curves are written there at the end of ``fit``.
"""
import os
import sys

import ember

from .hyperparameters import HyperParameters
from .notebook import in_notebook
from . import tensor_helpers as helpers

__all__ = ["Trainer"]


def progress_wanted(progress):
    """Resolve ``progress=None`` (automatic): a bar in scripts, none in notebooks or
    when the environment variable EMBER_PROGRESS is 0/false/no/off."""
    if progress is not None:
        return bool(progress)
    if os.environ.get("EMBER_PROGRESS", "").strip().lower() in ("0", "false", "no", "off"):
        return False
    return not in_notebook()


class _CountedLoader:
    """Wraps the training loader so each minibatch ticks the progress bar.

    Ticking here, rather than inside ``fit_epoch``, keeps the bar working when
    a notebook redefines ``fit_epoch`` with ``@d2l.add_to_class(d2l.Trainer)``,
    as the book does.
    """

    def __init__(self, loader, bar, board, max_epochs):
        self.loader, self.bar, self.board = loader, bar, board
        self.max_epochs = max_epochs
        self.epoch = 0

    def __len__(self):
        return len(self.loader)

    def __iter__(self):
        self.epoch += 1
        self.bar.set_description(f"epoch {self.epoch}/{self.max_epochs}")
        for batch in self.loader:
            yield batch
            self.bar.set_postfix(self._latest_values(), refresh=False)
            self.bar.update(1)

    def __getattr__(self, name):  # batch_size, dataset, ... of the real loader
        return getattr(self.loader, name)

    def _latest_values(self):
        data = getattr(self.board, "data", {}) if self.board is not None else {}
        return {label: f"{points[-1].y:.4g}" for label, points in data.items() if points}


class Trainer(HyperParameters):
    """Trains with minibatch gradient descent: ``Trainer(max_epochs).fit(model, data)``."""

    def __init__(self, max_epochs, num_gpus=0, gradient_clip_val=0, progress=None):
        self.save_hyperparameters()
        self.gpus = [helpers.gpu(i) for i in range(min(num_gpus, helpers.num_gpus()))]

    def prepare_data(self, data):
        self.train_dataloader = data.train_dataloader()
        self.val_dataloader = data.val_dataloader()
        self.num_train_batches = len(self.train_dataloader)
        self.num_val_batches = (len(self.val_dataloader)
                                if self.val_dataloader is not None else 0)

    def prepare_model(self, model):
        model.trainer = self
        model.board.xlim = [0, self.max_epochs]
        if self.gpus:
            model.to(self.gpus[0])
        self.model = model

    def fit(self, model, data):
        """Train ``model`` on ``data`` for ``max_epochs`` epochs."""
        self.prepare_data(data)
        self.prepare_model(model)
        self.optim = model.configure_optimizers()
        self.epoch = 0
        self.train_batch_idx = 0
        self.val_batch_idx = 0
        bar = self._progress_bar(model)
        try:
            for self.epoch in range(self.max_epochs):
                self.fit_epoch()
        finally:
            if bar is not None:
                bar.close()
                if isinstance(self.train_dataloader, _CountedLoader):
                    self.train_dataloader = self.train_dataloader.loader
        board = getattr(model, "board", None)
        if board is not None and getattr(board, "png_path", None):
            board.save()

    def fit_epoch(self):
        """One pass over the training data, then (without gradients) the validation data."""
        self.model.train()
        for batch in self.train_dataloader:
            loss = self.model.training_step(self.prepare_batch(batch))
            self.optim.zero_grad()
            with ember.no_grad():
                loss.backward()
                if self.gradient_clip_val > 0:
                    self.clip_gradients(self.gradient_clip_val, self.model)
                self.optim.step()
            self.train_batch_idx += 1
        if self.val_dataloader is None:
            return
        self.model.eval()
        for batch in self.val_dataloader:
            with ember.no_grad():
                self.model.validation_step(self.prepare_batch(batch))
            self.val_batch_idx += 1

    def prepare_batch(self, batch):
        """Move a minibatch to the training device (the CPU on ember)."""
        if self.gpus:
            batch = [helpers.to(a, self.gpus[0]) for a in batch]
        return batch

    def clip_gradients(self, grad_clip_val, model):
        """Rescale all gradients together so their global L2 norm is at most ``grad_clip_val``."""
        params = [p for p in model.parameters() if p.requires_grad and p.grad is not None]
        norm = ember.sqrt(sum(ember.sum(p.grad ** 2) for p in params))
        if norm > grad_clip_val:
            for param in params:
                param.grad.mul_(grad_clip_val / norm)

    def _progress_bar(self, model):
        if not progress_wanted(self.progress) or self.num_train_batches == 0:
            return None
        from tqdm import tqdm
        bar = tqdm(total=self.max_epochs * self.num_train_batches, unit="batch",
                   desc=f"epoch 1/{self.max_epochs}", file=sys.stderr, dynamic_ncols=True)
        self.train_dataloader = _CountedLoader(self.train_dataloader, bar,
                                               getattr(model, "board", None), self.max_epochs)
        return bar
