"""d2l.Module / DataModule / Trainer: the book's training loop, progress bar and PNG."""
import matplotlib.image
import numpy as np
import pytest

import ember
from ember import d2l, nn


class TinyData(d2l.DataModule):
    def __init__(self, n=64, batch_size=16):
        super().__init__()
        self.save_hyperparameters()
        self.X = ember.linspace(-1, 1, n).reshape(-1, 1)
        self.y = 3 * self.X - 1


class Line(d2l.Module):
    def __init__(self, lr=0.1):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Linear(1, 1)

    def loss(self, y_hat, y):
        return ((y_hat - y) ** 2).mean()


class TinyDataLoaders(TinyData):
    def get_dataloader(self, train):
        i = slice(0, 48) if train else slice(48, None)
        return self.get_tensorloader((self.X, self.y), train, i)


def test_datamodule_loaders():
    data = TinyDataLoaders()
    train, val = data.train_dataloader(), data.val_dataloader()
    assert len(train) == 3 and len(val) == 1
    xs = ember.cat([x for x, _ in val])
    assert xs.tolist() == data.X[48:].tolist()       # validation is not shuffled
    assert sorted(ember.cat([x for x, _ in train]).reshape(-1).tolist()) == \
        sorted(data.X[:48].reshape(-1).tolist())
    assert data.root == "../data" and data.num_workers == 4


def test_get_dataloader_must_be_defined():
    with pytest.raises(NotImplementedError):
        TinyData().train_dataloader()


def test_fit_counts_batches_and_epochs():
    ember.manual_seed(0)
    model, data = Line(), TinyDataLoaders()
    trainer = d2l.Trainer(max_epochs=4, progress=False)
    trainer.fit(model, data)
    assert trainer.num_train_batches == 3 and trainer.num_val_batches == 1
    assert trainer.train_batch_idx == 12 and trainer.val_batch_idx == 4
    assert trainer.epoch == 3 and model.trainer is trainer
    assert model.board.xlim == [0, 4] and trainer.gpus == []
    assert not model.training                        # left in eval mode after validation


def test_gradient_clipping_bounds_the_global_norm():
    model = Line()
    with ember.no_grad():
        model.net.weight.fill_(0.0)
        model.net.bias.fill_(0.0)
    loss = ((model(ember.tensor([[10.0]])) - 100.0) ** 2).mean()
    loss.backward()
    before = [p.grad.clone() for p in model.parameters()]
    d2l.Trainer(1).clip_gradients(1.0, model)
    grads = [p.grad for p in model.parameters()]
    norm = float(ember.sqrt(sum((g ** 2).sum() for g in grads)))
    assert norm == pytest.approx(1.0, rel=1e-5)
    ratio = [float(g.reshape(-1)[0] / b.reshape(-1)[0]) for g, b in zip(grads, before)]
    assert ratio[0] == pytest.approx(ratio[1])      # one common factor: direction kept


def test_clipping_leaves_small_gradients_alone():
    model = Line()
    for p in model.parameters():
        p.grad = ember.full_like(p, 0.1)
    d2l.Trainer(1).clip_gradients(1.0, model)
    assert all(p.grad.tolist() == ember.full_like(p, 0.1).tolist()
               for p in model.parameters())


def test_trainer_with_clipping_trains():
    ember.manual_seed(0)
    model, data = Line(lr=0.3), TinyDataLoaders()
    d2l.Trainer(max_epochs=20, gradient_clip_val=1.0, progress=False).fit(model, data)
    assert model.net.weight.item() == pytest.approx(3.0, abs=0.05)
    assert model.net.bias.item() == pytest.approx(-1.0, abs=0.05)


def test_progress_bar_and_png(tmp_path, capsys):
    ember.manual_seed(0)
    model, data = Line(), TinyDataLoaders()
    model.board.png_path = tmp_path / "loss.png"
    trainer = d2l.Trainer(max_epochs=2, progress=True)
    trainer.fit(model, data)
    bar = capsys.readouterr().err
    assert "epoch 2/2" in bar and "6/6" in bar and "train_loss" in bar
    assert not hasattr(trainer.train_dataloader, "bar")   # the real loader is back
    image = matplotlib.image.imread(tmp_path / "loss.png")
    assert image.shape[0] > 100 and image[..., :3].std() > 0.05


def test_progress_env_var_and_default(monkeypatch):
    from ember.d2l.trainer import progress_wanted
    monkeypatch.setenv("EMBER_PROGRESS", "0")
    assert progress_wanted(None) is False and progress_wanted(True) is True
    monkeypatch.setenv("EMBER_PROGRESS", "1")
    assert progress_wanted(None) is True and progress_wanted(False) is False


def test_book_style_redefined_fit_epoch_keeps_working(capsys):
    class MyTrainer(d2l.Trainer):
        pass

    @d2l.add_to_class(MyTrainer)
    def fit_epoch(self):
        self.model.train()
        for batch in self.train_dataloader:
            loss = self.model.training_step(self.prepare_batch(batch))
            self.optim.zero_grad()
            with ember.no_grad():
                loss.backward()
                self.optim.step()
            self.train_batch_idx += 1

    ember.manual_seed(0)
    model = Line()
    MyTrainer(max_epochs=2, progress=True).fit(model, TinyDataLoaders())
    assert "6/6" in capsys.readouterr().err


def test_apply_init_materialises_lazy_layers():
    class Lazy(d2l.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(nn.LazyLinear(3), nn.ReLU(), nn.LazyLinear(1))

    def init_ones(module):
        if type(module) == nn.Linear:
            nn.init.ones_(module.weight)

    model = Lazy()
    model.apply_init([ember.zeros(2, 5)], init_ones)
    assert tuple(model.net[0].weight.shape) == (3, 5)
    assert model.net[0].weight.tolist() == [[1.0] * 5] * 3


def test_least_squares_of_the_demo_matches_numpy():
    from ember.d2l.demo_linreg import least_squares
    ember.manual_seed(0)
    X = ember.randn(200, 3)
    y = X @ ember.tensor([[1.0], [-2.0], [0.5]]) + 0.3 + 0.1 * ember.randn(200, 1)
    w, b = least_squares(X, y)
    A = np.hstack([X.numpy(), np.ones((200, 1), np.float32)]).astype(np.float64)
    expected = np.linalg.lstsq(A, y.numpy().astype(np.float64), rcond=None)[0].reshape(-1)
    np.testing.assert_allclose(np.concatenate([w.numpy(), b.numpy()]), expected, atol=1e-5)
    assert w.dtype is ember.float64 and tuple(w.shape) == (3,) and tuple(b.shape) == (1,)
