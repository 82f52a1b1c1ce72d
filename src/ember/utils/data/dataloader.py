"""The DataLoader: iterate over a dataset in (shuffled) minibatches.

    loader = DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True)
    for X_batch, y_batch in loader:
        ...

Each iteration asks the batch sampler for a list of indices, fetches those
samples and merges them with ``collate_fn`` (``default_collate``: tensors are
stacked, numbers become tensors, containers are merged field by field).

The fast path
-------------
Most training data in a course is a :class:`TensorDataset` with the default
collation. Fetching such a batch sample by sample and stacking the rows costs
a Python call per sample; instead the loader indexes each whole tensor once
with the batch's index array (one gather per tensor per batch). The result is
the same list of tensors the general path gives (same values, dtypes and
shapes; tested), so it is purely a speed-up. It applies to a TensorDataset,
or a Subset of one (``random_split``), whose ``__getitem__`` is not overridden,
and none of whose tensors requires grad (those batches are stacked, as in torch,
so that their graph is torch's).

Workers
-------
``num_workers > 0`` is accepted, but batches are loaded in this process (the
data lives in NumPy memory already, and worker processes would mostly copy
it); ``get_worker_info()`` therefore always returns None and
``worker_init_fn`` is not called.
"""
import math
import warnings

import numpy as np

from ... import random as _random
from ..._dtypes import int64
from ..._tensor import Tensor, _make
from ...ops import _sampling
from ._collate import default_collate, default_convert
from .dataset import IterableDataset, Subset, TensorDataset
from .sampler import BatchSampler, RandomSampler, SequentialSampler

__all__ = ["DataLoader", "get_worker_info"]


def get_worker_info():
    """Information about the current loader worker process: always None in ember,
    which loads every batch in the main process."""
    return None


class _InfiniteConstantSampler:
    """The "sampler" of an iterable dataset: it yields None forever (the dataset itself
    decides when the stream ends)."""

    def __iter__(self):
        while True:
            yield None


_LOCKED_ATTRS = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
                 "persistent_workers")


class DataLoader:
    """Minibatches over ``dataset``.

    Arguments (as torch's): ``batch_size`` (None turns batching off),
    ``shuffle``, ``sampler`` or ``batch_sampler`` (custom orders, exclusive with
    the options they replace), ``collate_fn``, ``drop_last`` (drop a short last
    batch), ``generator`` (the random stream of the shuffle; seed it for a
    repeatable order). ``len(loader)`` is the number of batches.

    >>> data = TensorDataset(ember.arange(5.), ember.arange(5))
    >>> [y.tolist() for _, y in DataLoader(data, batch_size=2)]
    [[0, 1], [2, 3], [4]]
    """

    _initialized = False

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device="",
                 in_order=True):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 "
                             "to disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in "
                             "multiprocessing.let num_workers > 0 to enable multiprocessing, "
                             "otherwise set prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")

        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order

        self._iterable = isinstance(dataset, IterableDataset)
        if self._iterable:
            if shuffle not in {False, None}:
                raise ValueError("DataLoader with IterableDataset: expected unspecified shuffle "
                                 f"option, but got shuffle={shuffle}")
            if sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified sampler "
                                 f"option, but got sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 f"batch_sampler option, but got batch_sampler={batch_sampler}")
        else:
            shuffle = bool(shuffle)

        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")

        if sampler is None:
            if self._iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self._initialized = True

    def __setattr__(self, attr, value):
        if self._initialized and attr in _LOCKED_ATTRS:
            raise ValueError(f"{attr} attribute should not be set after "
                             f"{self.__class__.__name__} is initialized")
        super().__setattr__(attr, value)

    @property
    def _auto_collation(self):
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    def __iter__(self):
        return _DataLoaderIter(self)

    def __len__(self):
        if self._iterable:
            length = len(self.dataset)
            if self.batch_size is not None:
                length = (length // self.batch_size if self.drop_last
                          else math.ceil(length / self.batch_size))
            return length
        return len(self._index_sampler)


class _DataLoaderIter:
    """One pass over a DataLoader (made by ``iter(loader)``)."""

    def __init__(self, loader):
        self._loader = loader
        self._dataset = loader.dataset
        self._auto_collation = loader._auto_collation
        self._collate_fn = loader.collate_fn
        self._drop_last = loader.drop_last
        self._index_sampler = loader._index_sampler
        self._sampler_iter = iter(self._index_sampler)
        # torch draws its workers' base seed here, workers or not (an int64 from the
        # loader's generator): drawing it too keeps the shuffle order and later draws torch's
        self._base_seed = int(_sampling.full_range(_random.pick(loader.generator), 1, int64)[0])
        self._dataset_iter = iter(self._dataset) if loader._iterable else None
        self._ended = False
        self._gather = _tensor_gatherer(self._dataset) if (
            self._auto_collation and self._collate_fn is default_collate) else None
        if loader.pin_memory:
            warnings.warn("'pin_memory' argument is set as true but no accelerator is found, "
                          "then device pinned memory won't be used.", UserWarning, stacklevel=3)

    def __iter__(self):
        return self

    def __len__(self):
        return len(self._index_sampler)

    def __next__(self):
        index = next(self._sampler_iter)
        if self._dataset_iter is not None:
            return self._next_from_stream(index)
        if self._auto_collation:
            if self._gather is not None:
                batch = self._gather(index)
                if batch is not None:
                    return batch
            getitems = getattr(self._dataset, "__getitems__", None)
            data = getitems(index) if getitems else [self._dataset[i] for i in index]
        else:
            data = self._dataset[index]
        return self._collate_fn(data)

    def _next_from_stream(self, batch_index):
        if self._ended:
            raise StopIteration
        if not self._auto_collation:
            return self._collate_fn(next(self._dataset_iter))
        data = []
        for _ in batch_index:
            try:
                data.append(next(self._dataset_iter))
            except StopIteration:
                self._ended = True
                break
        if len(data) == 0 or (self._drop_last and len(data) < len(batch_index)):
            raise StopIteration
        return self._collate_fn(data)


def _tensor_gatherer(dataset):
    """The fast path's batch function for ``dataset`` (see the module doc), or None when
    the dataset is not a plain TensorDataset (or a chain of plain Subsets over one)."""
    subsets = []                               # index maps, outermost Subset first
    while isinstance(dataset, Subset) and _plain_subset(dataset):
        indices = dataset.indices
        indices = indices.numpy() if isinstance(indices, Tensor) else np.asarray(indices)
        if indices.dtype.kind not in "iu" or indices.ndim != 1:
            return None
        subsets.append(indices)
        dataset = dataset.dataset
    if not (isinstance(dataset, TensorDataset)
            and type(dataset).__getitem__ is TensorDataset.__getitem__
            and getattr(type(dataset), "__getitems__", None) is None
            and all(isinstance(t, Tensor) and t.ndim > 0 for t in dataset.tensors)):
        return None
    tensors = dataset.tensors
    if any(t._requires_grad for t in tensors):
        # the general path stacks the samples, so the batch's graph is torch's
        # (StackBackward0 over the indexed rows); the fast path would record no graph
        return None

    def gather(batch_index):
        idx = np.asarray(batch_index)
        if idx.dtype.kind not in "iu" or idx.ndim != 1:
            return None                        # odd indices: the general path decides
        try:
            # take() gives what indexing would (negative indices too) at a fraction of
            # the cost, and raises IndexError out of range
            for indices in subsets:
                idx = indices.take(idx)
            rows = [t._data.take(idx, axis=0) for t in tensors]
        except IndexError:
            return None                        # out of range: the general path raises
        return [_make(r) for r in rows]

    return gather


def _plain_subset(dataset):
    cls = type(dataset)
    return cls.__getitem__ is Subset.__getitem__ and cls.__getitems__ is Subset.__getitems__
