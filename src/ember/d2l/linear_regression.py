"""The book's linear-regression models (sec. 3.4 from scratch, sec. 3.5 concise) and its SGD.

    >>> model = LinearRegressionScratch(2, lr=0.03)     # w ~ N(0, 0.01²), b = 0
    >>> model = LinearRegression(lr=0.03)               # nn.LazyLinear(1)
    >>> Trainer(max_epochs=3).fit(model, data)
"""
import ember
from ember import nn

from .hyperparameters import HyperParameters
from .module import Module

__all__ = ["SGD", "LinearRegressionScratch", "LinearRegression"]


class SGD(HyperParameters):
    """Minibatch stochastic gradient descent, written out: ``param -= lr * param.grad``."""

    def __init__(self, params, lr):
        self.save_hyperparameters()
        # a generator (e.g. model.parameters()) would be used up by the first step
        self.params = list(self.params)

    def step(self):
        with ember.no_grad():  # the update itself must not be recorded by autograd
            for param in self.params:
                param -= self.lr * param.grad

    def zero_grad(self):
        for param in self.params:
            if param.grad is not None:
                param.grad.zero_()


class LinearRegressionScratch(Module):
    """``X @ w + b`` with hand-made tensors and a hand-written squared loss."""

    def __init__(self, num_inputs, lr, sigma=0.01):
        super().__init__()
        self.save_hyperparameters()
        self.w = ember.normal(0, sigma, (num_inputs, 1), requires_grad=True)
        self.b = ember.zeros(1, requires_grad=True)

    def forward(self, X):
        return ember.matmul(X, self.w) + self.b

    def loss(self, y_hat, y):
        l = (y_hat - y) ** 2 / 2
        return l.mean()

    def configure_optimizers(self):
        return SGD([self.w, self.b], self.lr)


class LinearRegression(Module):
    """The concise model: ``nn.LazyLinear(1)``, ``nn.MSELoss`` and ``optim.SGD``.

    Written exactly as the book writes it. Note that ``LazyLinear`` has no
    weights until its first call, and (as in torch) the first call replaces
    the ``normal_(0, 0.01)`` / ``fill_(0)`` initialisation below with the
    default one; ember warns about it. Training converges either way.
    """

    def __init__(self, lr):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.LazyLinear(1)
        self.net.weight.data.normal_(0, 0.01)
        self.net.bias.data.fill_(0)

    def forward(self, X):
        return self.net(X)

    def loss(self, y_hat, y):
        fn = nn.MSELoss()
        return fn(y_hat, y)

    def configure_optimizers(self):
        return ember.optim.SGD(self.parameters(), self.lr)

    def get_w_b(self):
        return (self.net.weight.data, self.net.bias.data)
