"""ember.optim: optimizers that update parameters from their gradients, and
learning-rate schedules (``torch.optim``).

    opt = ember.optim.SGD(model.parameters(), lr=0.03)
    for X, y in loader:
        loss = loss_fn(model(X), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
"""
from .optimizer import Optimizer
from .sgd import SGD
from .adam import Adam
from .adamw import AdamW
from .rmsprop import RMSprop
from .adagrad import Adagrad
from . import lr_scheduler

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "lr_scheduler"]
