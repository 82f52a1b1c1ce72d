"""Datasets against torch's: TensorDataset, Subset, ConcatDataset, random_split,
IterableDataset."""
import warnings

import numpy as np
import pytest
import torch
import torch.utils.data as tdata

import ember
import ember.utils.data as edata
from helpers import assert_same


def tensors(n=10):
    X = np.random.default_rng(0).standard_normal((n, 3)).astype(np.float32)
    y = np.arange(n)
    return (ember.tensor(X), ember.tensor(y)), (torch.tensor(X), torch.tensor(y))


def test_tensor_dataset_items_and_len():
    (eX, ey), (tX, ty) = tensors()
    ed, td = edata.TensorDataset(eX, ey), tdata.TensorDataset(tX, ty)
    assert len(ed) == len(td) == 10
    for i in (0, 3, -1):
        assert isinstance(ed[i], tuple)
        assert_same(list(ed[i]), list(td[i]))
    assert_same(list(ed[2:5]), list(td[2:5]))
    assert ed.tensors[0] is eX


def test_tensor_dataset_size_mismatch():
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        edata.TensorDataset(ember.zeros(3), ember.zeros(4))


def test_dataset_base_class():
    with pytest.raises(NotImplementedError, match="Subclasses of Dataset should implement"):
        edata.Dataset()[0]

    class Squares(edata.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return i * i

    both = Squares() + Squares()
    assert isinstance(both, edata.ConcatDataset) and len(both) == 8
    assert [both[i] for i in range(8)] == [0, 1, 4, 9] * 2
    assert edata.Dataset[int] is not None        # generic, as torch's: Dataset[int]


def test_concat_dataset_matches_torch():
    parts = [list(range(3)), list(range(10, 15)), list(range(20, 22))]
    e, t = edata.ConcatDataset(parts), tdata.ConcatDataset(parts)
    assert len(e) == len(t) == 10
    assert e.cumulative_sizes == t.cumulative_sizes
    assert [e[i] for i in range(-10, 10)] == [t[i] for i in range(-10, 10)]
    for bad in (-11,):
        with pytest.raises(ValueError) as ee:
            e[bad]
        with pytest.raises(ValueError) as te:
            t[bad]
        assert str(ee.value) == str(te.value)
    with pytest.raises(AssertionError, match="datasets should not be an empty iterable"):
        edata.ConcatDataset([])


def test_subset():
    (eX, ey), _ = tensors()
    sub = edata.Subset(edata.TensorDataset(eX, ey), [7, 2, 5])
    assert len(sub) == 3
    assert sub[0][1].item() == 7 and sub[-1][1].item() == 5
    assert [s[1].item() for s in sub.__getitems__([2, 0])] == [5, 7]
    plain = edata.Subset(list("abcdef"), [5, 0])
    assert [plain[0], plain[1]] == ["f", "a"]


@pytest.mark.parametrize("lengths", [[3, 7], [0.3, 0.7], [0.5, 0.25, 0.25], [0.34, 0.33, 0.33],
                                     [10], [1, 1, 8]])
def test_random_split_lengths_match_torch(lengths):
    data = list(range(10))
    e = edata.random_split(data, lengths, generator=ember.Generator().manual_seed(0))
    t = tdata.random_split(data, lengths, generator=torch.Generator().manual_seed(0))
    assert [len(s) for s in e] == [len(s) for s in t]
    items = sorted(x for s in e for x in (s[i] for i in range(len(s))))
    assert items == data                    # a partition of the dataset


def test_random_split_is_reproducible_with_a_generator():
    def split(seed):
        return [s.indices for s in edata.random_split(range(50), [20, 30],
                                                        generator=ember.Generator().manual_seed(seed))]
    assert split(1) == split(1)
    assert split(1) != split(2)
    ember.manual_seed(3)
    a = [s.indices for s in edata.random_split(range(50), [25, 25])]
    ember.manual_seed(3)
    b = [s.indices for s in edata.random_split(range(50), [25, 25])]
    assert a == b
    # the permutation is the generator's randperm, as in torch
    perm = ember.randperm(50, generator=ember.Generator().manual_seed(4)).tolist()
    s1, s2 = edata.random_split(range(50), [20, 30], generator=ember.Generator().manual_seed(4))
    assert s1.indices + s2.indices == perm


@pytest.mark.parametrize("lengths", [[2.5, 7.5], [3.0, 7], [0.25, 9.75]])
def test_random_split_with_non_integer_lengths_raises_type_error_like_torch(lengths):
    with pytest.raises(TypeError) as te:
        tdata.random_split(range(10), lengths)
    with pytest.raises(TypeError, match=r"lengths must be integers") as ee:
        edata.random_split(range(10), lengths)
    assert "randperm" in str(te.value) and str(lengths[0]) in str(ee.value)


def test_random_split_errors_and_warnings_match_torch():
    for lengths in ([3, 3], [1.5, -0.5]):
        with pytest.raises(ValueError) as ee:
            edata.random_split(range(10), lengths)
        with pytest.raises(ValueError) as te:
            tdata.random_split(range(10), lengths)
        assert str(ee.value) == str(te.value)
    with warnings.catch_warnings(record=True) as ew:
        warnings.simplefilter("always")
        edata.random_split(range(2), [0.9, 0.05, 0.05])
    with warnings.catch_warnings(record=True) as tw:
        warnings.simplefilter("always")
        tdata.random_split(range(2), [0.9, 0.05, 0.05])
    assert [str(w.message) for w in ew] == [str(w.message) for w in tw] and ew


class Countdown(edata.IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n, 0, -1))

    def __len__(self):
        return self.n


def test_iterable_dataset_chain():
    chained = Countdown(2) + Countdown(3)
    assert isinstance(chained, edata.ChainDataset)
    assert list(chained) == [2, 1, 3, 2, 1] and len(chained) == 5
    with pytest.raises(AssertionError, match="ConcatDataset does not support IterableDataset"):
        edata.ConcatDataset([Countdown(2)])
