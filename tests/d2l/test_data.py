"""d2l.synthetic_data / d2l.load_array (the first edition's helpers) against the book's
torch code, run on the same seed."""
import numpy as np
import pytest
import torch
from torch.utils import data as torch_data

import ember
from ember import d2l


def book_synthetic_data(w, b, num_examples):
    # the book's torch code, written out here as the oracle
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


@pytest.mark.parametrize("num_examples", [1000, 1, 0])
def test_synthetic_data_matches_the_book_on_the_same_seed(num_examples):
    ember.manual_seed(7)
    X, y = d2l.synthetic_data(ember.tensor([2, -3.4]), 4.2, num_examples)
    torch.manual_seed(7)
    tX, ty = book_synthetic_data(torch.tensor([2, -3.4]), 4.2, num_examples)
    for got, want in ((X, tX), (y, ty)):
        assert got.dtype == ember.float32 and tuple(got.shape) == tuple(want.shape)
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("is_train", [True, False])
def test_load_array_batches_like_the_books_dataloader(is_train):
    X, y = ember.arange(20.0).reshape(10, 2), ember.arange(10.0).reshape(10, 1)
    ember.manual_seed(3)
    batches = [[t.numpy() for t in batch] for batch in d2l.load_array((X, y), 4, is_train)]
    torch.manual_seed(3)
    dataset = torch_data.TensorDataset(torch.arange(20.0).reshape(10, 2),
                                       torch.arange(10.0).reshape(10, 1))
    want = [[t.numpy() for t in batch]
            for batch in torch_data.DataLoader(dataset, 4, shuffle=is_train)]
    assert len(batches) == len(want) == 3
    for got, exp in zip(batches, want):         # same shuffle on the same seed
        for g, e in zip(got, exp):
            assert g.shape == e.shape
            np.testing.assert_array_equal(g, e)
