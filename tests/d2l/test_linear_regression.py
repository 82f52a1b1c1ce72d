"""The slides' linear regression on ember: scratch and concise models trained by the D2L Trainer
(the book's lr 0.03; 10 epochs rather than 3, since 3 leave the scratch model ~0.2 off,
as the book itself reports).

Acceptance: both reach ||w_hat - w|| < 0.02 and |b_hat - b| < 0.02.
"""
import warnings

import numpy as np

import ember
import ember as torch   # the slides' spelling; nothing below imports the real torch
from ember import d2l, nn

TRUE_W = torch.tensor([2, -3.4])
TRUE_B = 4.2


def fit(model, epochs=10, seed=0):
    torch.manual_seed(seed)
    data = d2l.SyntheticRegressionData(w=TRUE_W, b=TRUE_B)
    with warnings.catch_warnings():
        # the book's LazyLinear init is discarded at the first call; ember says so
        warnings.simplefilter("ignore", UserWarning)
        d2l.Trainer(max_epochs=epochs, progress=False).fit(model, data)
    return data


def errors(w, b):
    w = np.asarray(w.detach()).reshape(-1)
    b = np.asarray(b.detach()).reshape(-1)
    return float(np.linalg.norm(w - TRUE_W.numpy())), float(abs(b[0] - TRUE_B))


def test_scratch_model_reaches_the_true_parameters():
    torch.manual_seed(1)
    model = d2l.LinearRegressionScratch(2, lr=0.03)
    assert tuple(model.w.shape) == (2, 1) and model.w.requires_grad
    assert float(model.w.detach().abs().max()) < 0.05        # N(0, 0.01^2)
    assert model.b.tolist() == [0.0] and model.b.requires_grad
    fit(model)
    w_error, b_error = errors(model.w, model.b)
    assert w_error < 0.02 and b_error < 0.02, (w_error, b_error)


def test_concise_model_reaches_the_true_parameters():
    model = d2l.LinearRegression(lr=0.03)
    fit(model)
    assert type(model.net) is nn.Linear          # LazyLinear materialised, as in torch
    w, b = model.get_w_b()
    assert tuple(w.shape) == (1, 2) and tuple(b.shape) == (1,)
    w_error, b_error = errors(w, b)
    assert w_error < 0.02 and b_error < 0.02, (w_error, b_error)


def test_training_lowers_the_plotted_losses():
    model = d2l.LinearRegressionScratch(2, lr=0.03)
    fit(model, epochs=2)
    train = [p.y for p in model.board.data["train_loss"]]
    val = [p.y for p in model.board.data["val_loss"]]
    assert len(train) == 4 and len(val) == 2   # 2 train points and 1 val point per epoch
    assert train[-1] < train[0] / 10 and val[-1] < val[0]
    assert [p.x for p in model.board.data["val_loss"]] == [1, 2]


def test_slides_from_scratch_code_runs():
    """The slides' own loop: data_iter, linreg, squared_loss, sgd (sec. 3.2 of the book)."""
    torch.manual_seed(0)
    n = 1000
    X = torch.normal(0, 1, (n, 2))
    y = torch.matmul(X, TRUE_W.reshape(-1, 1)) + TRUE_B + torch.normal(0, 0.01, (n, 1))

    def data_iter(batch_size, features, labels):
        indices = list(range(len(features)))
        np.random.default_rng(0).shuffle(indices)
        for i in range(0, len(indices), batch_size):
            batch = torch.tensor(indices[i:i + batch_size])
            yield features[batch], labels[batch]

    def linreg(X, w, b):
        return torch.matmul(X, w) + b

    def squared_loss(y_hat, y):
        return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

    def sgd(params, lr, batch_size):
        with torch.no_grad():
            for param in params:
                param -= lr * param.grad / batch_size
                param.grad.zero_()

    w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    for epoch in range(3):
        for xb, yb in data_iter(10, X, y):
            l = squared_loss(linreg(xb, w, b), yb)
            l.sum().backward()
            sgd([w, b], 0.03, 10)
    w_error, b_error = errors(w, b)
    assert w_error < 0.02 and b_error < 0.02


def test_d2l_sgd_step_and_zero_grad():
    p = torch.tensor([1.0, 2.0], requires_grad=True)
    (3 * p).sum().backward()
    opt = d2l.SGD((q for q in [p]), lr=0.5)     # a generator works for every step
    opt.step()
    opt.step()
    assert p.tolist() == [-2.0, -1.0] and p.requires_grad and p.is_leaf
    opt.zero_grad()
    assert p.grad.tolist() == [0.0, 0.0]


def test_slides_cells_written_with_add_to_class():
    """The slides' class-based code, cell by cell, exactly as written there."""
    class LinearRegressionScratch(d2l.Module):
        def __init__(self, num_inputs, lr, sigma=0.01):
            super().__init__()
            self.save_hyperparameters()
            self.w = torch.normal(0, sigma, (num_inputs, 1), requires_grad=True)
            self.b = torch.zeros(1, requires_grad=True)

    @d2l.add_to_class(LinearRegressionScratch)
    def forward(self, X):
        return torch.matmul(X, self.w) + self.b

    @d2l.add_to_class(LinearRegressionScratch)
    def loss(self, y_hat, y):
        l = (y_hat - y) ** 2 / 2
        return l.mean()

    class SGD(d2l.HyperParameters):
        def __init__(self, params, lr):
            self.save_hyperparameters()

        def step(self):
            for param in self.params:
                param -= self.lr * param.grad

        def zero_grad(self):
            for param in self.params:
                if param.grad is not None:
                    param.grad.zero_()

    @d2l.add_to_class(LinearRegressionScratch)
    def configure_optimizers(self):
        return SGD([self.w, self.b], self.lr)

    class LinearRegression(d2l.Module):
        def __init__(self, lr):
            super().__init__()
            self.save_hyperparameters()
            self.net = nn.LazyLinear(1)
            self.net.weight.data.normal_(0, 0.01)
            self.net.bias.data.fill_(0)

    @d2l.add_to_class(LinearRegression)
    def forward(self, X):
        return self.net(X)

    @d2l.add_to_class(LinearRegression)
    def loss(self, y_hat, y):
        fn = nn.MSELoss()
        return fn(y_hat, y)

    @d2l.add_to_class(LinearRegression)
    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), self.lr)

    scratch = LinearRegressionScratch(2, lr=0.03)
    fit(scratch)
    assert max(errors(scratch.w, scratch.b)) < 0.02
    concise = LinearRegression(lr=0.03)
    fit(concise)
    assert max(errors(concise.net.weight.data, concise.net.bias.data)) < 0.02
