"""d2l.DataModule and the book's synthetic linear-regression data.

    >>> data = SyntheticRegressionData(w=ember.tensor([2, -3.4]), b=4.2)
    >>> X, y = next(iter(data.train_dataloader()))
    >>> X.shape, y.shape
    (ember.Size([32, 2]), ember.Size([32, 1]))
"""
import ember
from ember.utils import data as _data

from .hyperparameters import HyperParameters

__all__ = ["DataModule", "SyntheticRegressionData", "synthetic_data", "load_array"]


def synthetic_data(w, b, num_examples):
    """The first edition's generator: ``y = X w + b + N(0, 0.01²)`` noise.

    >>> X, y = synthetic_data(ember.tensor([2, -3.4]), 4.2, 1000)
    >>> X.shape, y.shape
    (ember.Size([1000, 2]), ember.Size([1000, 1]))
    """
    X = ember.normal(0, 1, (num_examples, len(w)))
    y = ember.matmul(X, w) + b
    y += ember.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


def load_array(data_arrays, batch_size, is_train=True):
    """A DataLoader over the tensors ``data_arrays`` (shuffled for training).

    >>> next(iter(load_array((X, y), 10)))[0].shape
    ember.Size([10, 2])
    """
    dataset = _data.TensorDataset(*data_arrays)
    return _data.DataLoader(dataset, batch_size, shuffle=is_train)


class DataModule(HyperParameters):
    """Base class of the book's datasets: hands out training and validation loaders."""

    def __init__(self, root="../data", num_workers=4):
        self.save_hyperparameters()

    def get_dataloader(self, train):
        raise NotImplementedError(f"{type(self).__name__} must define get_dataloader(train)")

    def train_dataloader(self):
        return self.get_dataloader(train=True)

    def val_dataloader(self):
        return self.get_dataloader(train=False)

    def get_tensorloader(self, tensors, train, indices=slice(0, None)):
        """A DataLoader over rows ``indices`` of ``tensors``, shuffled when ``train``."""
        tensors = tuple(a[indices] for a in tensors)
        dataset = _data.TensorDataset(*tensors)
        return _data.DataLoader(dataset, self.batch_size, shuffle=train)


class SyntheticRegressionData(DataModule):
    """``y = X w + b + noise`` with standard-normal features ``X`` (the book's sec. 3.3)."""

    def __init__(self, w, b, noise=0.01, num_train=1000, num_val=1000, batch_size=32):
        super().__init__()
        self.save_hyperparameters()
        n = num_train + num_val
        self.X = ember.randn(n, len(w))
        noise = ember.randn(n, 1) * noise
        self.y = ember.matmul(self.X, w.reshape((-1, 1))) + b + noise

    def get_dataloader(self, train):
        i = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader((self.X, self.y), train, i)
