"""The book's tensor helpers: d2l.numpy, d2l.reshape, d2l.concat, ..."""
import numpy as np
import pytest

import ember
from ember import d2l


def test_method_helpers():
    x = ember.arange(6, dtype=ember.float32, requires_grad=True)
    assert isinstance(d2l.numpy(x), np.ndarray)          # detaches, no error with grad
    assert d2l.size(x) == 6
    y = d2l.reshape(x, (2, 3))
    assert tuple(y.shape) == (2, 3)
    assert tuple(d2l.transpose(y).shape) == (3, 2)
    assert tuple(d2l.expand_dims(x, 0).shape) == (1, 6)
    assert d2l.reduce_sum(x).item() == 15.0
    assert d2l.reduce_mean(x).item() == 2.5
    assert d2l.argmax(y, dim=1).tolist() == [2, 2]
    assert d2l.astype(x, d2l.int32).dtype is ember.int32
    assert d2l.to(x, d2l.cpu()) is x


def test_aliases_are_ember_functions():
    assert d2l.ones is ember.ones and d2l.concat is ember.cat and d2l.float32 is ember.float32
    z = d2l.concat([d2l.zeros(2), d2l.ones(2)])
    assert z.tolist() == [0.0, 0.0, 1.0, 1.0]


def test_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'no_such_helper'"):
        d2l.no_such_helper


def test_devices_are_the_cpu():
    assert d2l.num_gpus() == 0
    assert d2l.try_gpu() == d2l.cpu() and d2l.try_all_gpus() == [d2l.cpu()]
