"""Samplers against torch's (order, lengths, errors) and reproducibility of the
random ones."""
import pytest
import torch.utils.data as tdata

import ember
import ember.utils.data as edata


def test_sequential_sampler():
    assert list(edata.SequentialSampler(range(5))) == list(tdata.SequentialSampler(range(5)))
    assert len(edata.SequentialSampler(range(5))) == 5


@pytest.mark.parametrize("n,batch_size,drop_last", [(10, 3, False), (10, 3, True), (9, 3, True),
                                                    (2, 5, False), (2, 5, True), (0, 2, False),
                                                    (7, 1, False)])
def test_batch_sampler_matches_torch(n, batch_size, drop_last):
    e = edata.BatchSampler(edata.SequentialSampler(range(n)), batch_size, drop_last)
    t = tdata.BatchSampler(tdata.SequentialSampler(range(n)), batch_size, drop_last)
    assert list(e) == list(t)
    assert len(e) == len(t)


@pytest.mark.parametrize("args", [(0, False), (-1, False), (2.0, False), (True, False), (2, 1)])
def test_batch_sampler_errors_match_torch(args):
    with pytest.raises(ValueError) as ee:
        edata.BatchSampler(range(3), *args)
    with pytest.raises(ValueError) as te:
        tdata.BatchSampler(range(3), *args)
    assert str(ee.value) == str(te.value)


def test_random_sampler_is_a_fresh_permutation_each_pass():
    g = ember.Generator().manual_seed(0)
    s = edata.RandomSampler(range(30), generator=g)
    a, b = list(s), list(s)
    assert sorted(a) == sorted(b) == list(range(30))
    assert a != b
    g2 = ember.Generator().manual_seed(0)
    s2 = edata.RandomSampler(range(30), generator=g2)
    assert list(s2) == a and list(s2) == b          # same seed, same stream


def test_random_sampler_without_generator_follows_manual_seed():
    s = edata.RandomSampler(range(30))
    ember.manual_seed(5)
    a = list(s)
    ember.manual_seed(5)
    assert list(s) == a


def test_random_sampler_num_samples_and_replacement():
    g = ember.Generator().manual_seed(1)
    s = edata.RandomSampler(range(4), num_samples=10, generator=g)
    out = list(s)
    assert len(out) == len(s) == 10
    assert sorted(out[:4]) == sorted(out[4:8]) == [0, 1, 2, 3]   # whole passes first
    r = edata.RandomSampler(range(3), replacement=True, num_samples=50, generator=g)
    out = list(r)
    assert len(out) == 50 and set(out) <= {0, 1, 2} and len(set(out)) == 3


@pytest.mark.parametrize("kwargs", [dict(replacement=1), dict(num_samples=0),
                                    dict(num_samples=2.5)])
def test_random_sampler_errors_match_torch(kwargs):
    with pytest.raises(Exception) as ee:
        edata.RandomSampler(range(3), **kwargs)
    with pytest.raises(Exception) as te:
        tdata.RandomSampler(range(3), **kwargs)
    assert type(ee.value) is type(te.value) and str(ee.value) == str(te.value)


def test_subset_random_sampler():
    g = ember.Generator().manual_seed(2)
    s = edata.SubsetRandomSampler([10, 20, 30, 40], generator=g)
    out = list(s)
    assert sorted(out) == [10, 20, 30, 40] and len(s) == 4


def test_sampler_base_class():
    with pytest.raises(NotImplementedError):
        iter(edata.Sampler())

    class Evens(edata.Sampler[int]):
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            return iter(range(0, self.n, 2))

    assert list(edata.BatchSampler(Evens(10), 2, False)) == [[0, 2], [4, 6], [8]]
