"""DataLoader against torch's: batches, order, lengths, options and their errors; the
TensorDataset fast path against the general path; reproducible shuffling."""
import collections
import warnings

import numpy as np
import pytest
import torch
import torch.utils.data as tdata

import ember
import ember.utils.data as edata
from helpers import assert_same

from utils.data.collate_kit import assert_same_structure, to_ember


def xy(n=23, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2, 3)).astype(np.float32)
    y = rng.integers(0, 5, n)
    return X, y


def tensor_datasets(n=23):
    X, y = xy(n)
    return (edata.TensorDataset(ember.tensor(X), ember.tensor(y)),
            tdata.TensorDataset(torch.tensor(X), torch.tensor(y)))


def batches_equal(eloader, tloader):
    eb, tb = list(eloader), list(tloader)
    assert len(eb) == len(tb) == len(eloader) == len(tloader)
    for e, t in zip(eb, tb):
        assert_same_structure(e, t)


@pytest.mark.parametrize("batch_size,drop_last", [(1, False), (4, False), (4, True), (23, False),
                                                  (23, True), (50, False), (50, True), (7, True)])
def test_tensor_dataset_batches_equal_torch(batch_size, drop_last):
    ed, td = tensor_datasets()
    batches_equal(edata.DataLoader(ed, batch_size=batch_size, drop_last=drop_last),
                  tdata.DataLoader(td, batch_size=batch_size, drop_last=drop_last))


class Records(tdata.Dataset):
    """A map-style dataset of structured samples, usable by both libraries."""

    def __init__(self, make, n=11):
        self.make, self.n = make, n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return self.make(i)


Pair = collections.namedtuple("Pair", ["x", "y"])
RECORDS = {
    "numbers": lambda i: i * 0.5,
    "ints": lambda i: i,
    "numpy arrays": lambda i: np.full((2,), i, dtype=np.float32),
    "numpy scalars": lambda i: np.int32(i),
    "tuple": lambda i: (np.arange(3) + i, float(i), "s%d" % i),
    "dict": lambda i: {"img": np.ones((2, 2)) * i, "label": i % 3, "id": str(i)},
    "nested": lambda i: {"a": [i, (i * 1.0, np.float64(i))], "b": {"c": np.eye(2) * i}},
    "namedtuple": lambda i: Pair(np.float32(i), [i, i + 1]),
}


@pytest.mark.parametrize("name", list(RECORDS))
@pytest.mark.parametrize("batch_size,drop_last", [(3, False), (3, True), (None, False)])
def test_structured_samples_equal_torch(name, batch_size, drop_last):
    make = RECORDS[name]
    eds = Records(lambda i: to_ember(make(i)))
    tds = Records(make)
    batches_equal(edata.DataLoader(eds, batch_size=batch_size, drop_last=drop_last),
                  tdata.DataLoader(tds, batch_size=batch_size, drop_last=drop_last))


def test_tensor_samples_equal_torch():
    X, y = xy(9)
    eds = Records(lambda i: (ember.tensor(X[i]), ember.tensor(y[i])), n=9)
    tds = Records(lambda i: (torch.tensor(X[i]), torch.tensor(y[i])), n=9)
    batches_equal(edata.DataLoader(eds, batch_size=4), tdata.DataLoader(tds, batch_size=4))


@pytest.mark.parametrize("n", [0, 1, 5, 64, 65])
@pytest.mark.parametrize("batch_size", [1, 2, 8, 64, 100])
@pytest.mark.parametrize("drop_last", [False, True])
def test_len_equals_torch(n, batch_size, drop_last):
    data = list(range(n))
    e = edata.DataLoader(data, batch_size=batch_size, drop_last=drop_last)
    t = tdata.DataLoader(data, batch_size=batch_size, drop_last=drop_last)
    assert len(e) == len(t) == len(list(e))


def test_order_without_shuffle_is_sequential():
    e = [b.tolist() for b in edata.DataLoader(list(range(10)), batch_size=3)]
    t = [b.tolist() for b in tdata.DataLoader(list(range(10)), batch_size=3)]
    assert e == t == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]


# ---------------------------------------------------------------- fast path
def general(batch):
    """The default collation, but not ``default_collate`` itself: no fast path."""
    return edata.default_collate(batch)


def assert_fast_equals_general(dataset, **kwargs):
    g1 = ember.Generator().manual_seed(7)
    g2 = ember.Generator().manual_seed(7)
    fast = list(edata.DataLoader(dataset, generator=g1, **kwargs))
    slow = list(edata.DataLoader(dataset, generator=g2, collate_fn=general, **kwargs))
    assert len(fast) == len(slow) > 0
    for f, s in zip(fast, slow):
        assert type(f) is type(s) is list and len(f) == len(s)
        for a, b in zip(f, s):
            assert a.dtype is b.dtype and a.shape == b.shape
            np.testing.assert_array_equal(a.numpy(), b.numpy())


@pytest.mark.parametrize("kwargs", [dict(batch_size=5), dict(batch_size=5, shuffle=True),
                                    dict(batch_size=4, shuffle=True, drop_last=True),
                                    dict(batch_size=1), dict(batch_size=100)])
def test_fast_path_equals_general_path(kwargs):
    ed, _ = tensor_datasets()
    assert_fast_equals_general(ed, **kwargs)
    # the fast path covers Subsets of a TensorDataset (random_split) too
    a, b = edata.random_split(ed, [15, 8], generator=ember.Generator().manual_seed(0))
    assert_fast_equals_general(a, **kwargs)
    assert_fast_equals_general(edata.Subset(a, [3, 1, 4, 1, 5]), **kwargs)


def test_fast_path_is_taken_for_tensor_datasets(monkeypatch):
    """A TensorDataset batch is one gather per tensor: no per-sample stacking."""
    from ember.utils.data import _collate
    stacks = []
    original = _collate.default_collate_fn_map[ember.Tensor]
    monkeypatch.setitem(_collate.default_collate_fn_map, ember.Tensor,
                        lambda batch, **kw: stacks.append(len(batch)) or original(batch, **kw))
    ed, _ = tensor_datasets()
    list(edata.DataLoader(ed, batch_size=5, shuffle=True))
    list(edata.DataLoader(edata.Subset(ed, range(10)), batch_size=5))
    assert stacks == []
    list(edata.DataLoader(ed, batch_size=5, collate_fn=general))
    assert stacks == [5, 5] * 4 + [3, 3]          # the general path does stack


def test_fast_path_keeps_custom_datasets_and_collate_fns():
    class Doubled(edata.TensorDataset):
        def __getitem__(self, i):
            return tuple(t[i] * 2 for t in self.tensors)

    X = ember.arange(6.0)
    out = list(edata.DataLoader(Doubled(X), batch_size=3))
    assert out[0][0].tolist() == [0.0, 2.0, 4.0]
    out = list(edata.DataLoader(edata.TensorDataset(X), batch_size=3,
                                collate_fn=lambda b: len(b)))
    assert out == [3, 3]


def test_fast_path_batches_are_copies_and_record_gradients():
    X = ember.arange(6.0)
    batch = next(iter(edata.DataLoader(edata.TensorDataset(X), batch_size=3)))[0]
    batch.add_(100)
    assert X.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    W = ember.arange(6.0).requires_grad_()
    (b,) = next(iter(edata.DataLoader(edata.TensorDataset(W), batch_size=2, shuffle=True)))
    b.sum().backward()
    assert W.grad.sum().item() == 2.0


@pytest.mark.parametrize("subset", [False, True])
def test_batches_of_a_tensor_that_requires_grad_are_stacked_as_in_torch(subset):
    def run(m, d):
        W = m.arange(12.).reshape(6, 2).requires_grad_()
        ds = d.TensorDataset(W, m.arange(6))
        if subset:
            ds = d.Subset(ds, [5, 0, 3, 1])
        out = []
        for xb, yb in d.DataLoader(ds, batch_sampler=[[0, 2], [1]]):
            (xb * yb[:, None]).sum().backward()
            out.append((type(xb.grad_fn).__name__, xb.tolist(), yb.grad_fn))
        return out, W.grad.tolist()
    assert run(ember, edata) == run(torch, tdata)


def test_index_errors_come_from_the_dataset():
    ed, td = tensor_datasets()
    with pytest.raises(IndexError):
        list(edata.DataLoader(ed, batch_sampler=[[0, 99]]))
    with pytest.raises(IndexError):
        list(tdata.DataLoader(td, batch_sampler=[[0, 99]]))


@pytest.mark.parametrize("subset", [False, True])
def test_index_errors_with_a_tensor_that_requires_grad_match_torch(subset):
    """The fast path's indexing op (taken when gradients must flow) falls back as take()
    does: the error is the dataset's own, with torch's message."""
    def run(m, d):
        ds = d.TensorDataset(m.arange(10.).reshape(5, 2).requires_grad_(), m.arange(5))
        if subset:
            ds = d.Subset(ds, [4, 3, 2, 1, 0, 9])
        loader = d.DataLoader(ds, batch_sampler=[[0, 1], [2, 7 if not subset else 5]])
        with pytest.raises(IndexError) as err:
            list(loader)
        return str(err.value)
    assert run(ember, edata) == run(torch, tdata)


# --------------------------------------------------------------- shuffling
def labels(loader):
    return [int(v) for batch in loader for v in batch[1].tolist()]


def test_shuffle_with_a_seeded_generator_is_reproducible():
    ed, _ = tensor_datasets()
    runs = [labels(edata.DataLoader(ed, batch_size=4, shuffle=True,
                                    generator=ember.Generator().manual_seed(42)))
            for _ in range(2)]
    assert runs[0] == runs[1]
    idx = [next(iter(edata.DataLoader(list(range(23)), batch_size=23, shuffle=True,
                                      generator=ember.Generator().manual_seed(s)))).tolist()
           for s in (1, 1, 2)]
    assert idx[0] == idx[1] != idx[2]
    assert sorted(idx[0]) == list(range(23))


def test_each_pass_is_a_fresh_shuffle():
    loader = edata.DataLoader(list(range(40)), batch_size=40, shuffle=True,
                              generator=ember.Generator().manual_seed(0))
    a, b = next(iter(loader)).tolist(), next(iter(loader)).tolist()
    assert a != b and sorted(a) == sorted(b) == list(range(40))


def test_manual_seed_makes_the_default_shuffle_reproducible():
    loader = edata.DataLoader(list(range(40)), batch_size=10, shuffle=True)
    ember.manual_seed(0)
    a = [b.tolist() for b in loader]
    ember.manual_seed(0)
    assert [b.tolist() for b in loader] == a


# ----------------------------------------------------------------- options
def test_sampler_and_batch_sampler_options():
    data = list(range(10))
    e = [b.tolist() for b in edata.DataLoader(data, batch_size=3, sampler=[9, 8, 7, 1])]
    t = [b.tolist() for b in tdata.DataLoader(data, batch_size=3, sampler=[9, 8, 7, 1])]
    assert e == t
    e = [b.tolist() for b in edata.DataLoader(data, batch_sampler=[[1, 2], [5]])]
    t = [b.tolist() for b in tdata.DataLoader(data, batch_sampler=[[1, 2], [5]])]
    assert e == t
    loader = edata.DataLoader(data, batch_sampler=edata.BatchSampler(range(10), 4, True))
    assert len(loader) == 2 and loader.batch_size is None and loader.drop_last is False


def test_collate_fn_is_used():
    out = list(edata.DataLoader(list(range(5)), batch_size=2, collate_fn=lambda b: sum(b)))
    assert out == [1, 5, 4]


def test_batch_size_none_converts_samples():
    data = [np.array([1.0, 2.0]), np.array([3.0, 4.0])]
    e = list(edata.DataLoader(data, batch_size=None))
    t = list(tdata.DataLoader(data, batch_size=None))
    for a, b in zip(e, t):
        assert_same(a, b)
    assert len(edata.DataLoader(data, batch_size=None)) == 2


OPTION_ERRORS = [
    dict(shuffle=True, sampler=[0, 1]),
    dict(batch_sampler=[[0]], batch_size=2),
    dict(batch_sampler=[[0]], shuffle=True),
    dict(batch_sampler=[[0]], sampler=[0]),
    dict(batch_sampler=[[0]], drop_last=True),
    dict(batch_size=None, drop_last=True),
    dict(num_workers=-1),
    dict(timeout=-1),
    dict(prefetch_factor=2),
    dict(persistent_workers=True),
    dict(batch_size=0),
]


@pytest.mark.parametrize("kwargs", OPTION_ERRORS, ids=[str(k) for k in OPTION_ERRORS])
def test_option_errors_match_torch(kwargs):
    with pytest.raises(ValueError) as ee:
        edata.DataLoader(list(range(4)), **kwargs)
    with pytest.raises(ValueError) as te:
        tdata.DataLoader(list(range(4)), **kwargs)
    assert str(ee.value) == str(te.value)


def test_options_are_frozen_after_init_like_torch():
    e, t = edata.DataLoader([1, 2]), tdata.DataLoader([1, 2])
    for attr in ("batch_size", "sampler", "dataset", "drop_last"):
        with pytest.raises(ValueError) as ee:
            setattr(e, attr, None)
        with pytest.raises(ValueError) as te:
            setattr(t, attr, None)
        assert str(ee.value) == str(te.value)
    e.collate_fn = None      # other attributes stay settable


def test_num_workers_is_accepted_and_loads_in_process():
    ed, td = tensor_datasets()
    batches_equal(edata.DataLoader(ed, batch_size=5, num_workers=2),
                  tdata.DataLoader(td, batch_size=5))
    assert edata.get_worker_info() is None


def test_pin_memory_warns_like_torch_without_an_accelerator():
    with warnings.catch_warnings(record=True) as ew:
        warnings.simplefilter("always")
        list(edata.DataLoader([1, 2], pin_memory=True))
    assert any("pin_memory" in str(w.message) for w in ew)


# --------------------------------------------------------- iterable datasets
class TStream(tdata.IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        return self.n


class EStream(edata.IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))

    def __len__(self):
        return self.n


@pytest.mark.parametrize("batch_size,drop_last", [(3, False), (3, True), (None, False), (5, True)])
def test_iterable_dataset_batches_equal_torch(batch_size, drop_last):
    e = edata.DataLoader(EStream(10), batch_size=batch_size, drop_last=drop_last)
    t = tdata.DataLoader(TStream(10), batch_size=batch_size, drop_last=drop_last)
    batches_equal(e, t)


@pytest.mark.parametrize("kwargs", [dict(shuffle=True), dict(sampler=[0]),
                                    dict(batch_sampler=[[0]])])
def test_iterable_dataset_option_errors_match_torch(kwargs):
    with pytest.raises(ValueError) as ee:
        edata.DataLoader(EStream(3), **kwargs)
    with pytest.raises(ValueError) as te:
        tdata.DataLoader(TStream(3), **kwargs)
    assert str(ee.value) == str(te.value)


def test_training_loop_with_loader_matches_torch():
    """Minibatch SGD over a TensorDataset without shuffling: the same parameters as torch."""
    X, _ = xy(40)
    X = X.reshape(40, 6).astype(np.float64)
    y = X @ np.arange(6.0) + 1.0
    w0 = np.zeros(6)
    results = []
    for mod, data in ((ember, edata), (torch, tdata)):
        w = mod.tensor(w0.copy(), requires_grad=True)
        opt = mod.optim.SGD([w], lr=0.05)
        loader = data.DataLoader(data.TensorDataset(mod.tensor(X), mod.tensor(y)), batch_size=8)
        for _ in range(3):
            for xb, yb in loader:
                opt.zero_grad()
                ((xb @ w - yb) ** 2).mean().backward()
                opt.step()
        results.append(w.detach().numpy().copy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-10)
