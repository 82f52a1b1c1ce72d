"""Samplers: the order in which a DataLoader visits a map-style dataset's indices.

    list(SequentialSampler(range(4)))                       # [0, 1, 2, 3]
    g = ember.Generator().manual_seed(0)
    list(RandomSampler(range(4), generator=g))              # a permutation, same every run
    list(BatchSampler(SequentialSampler(range(5)), 2, drop_last=False))
    # [[0, 1], [2, 3], [4]]
    list(WeightedRandomSampler([0.1, 0.9], 4, generator=g))   # mostly 1s, e.g. [1, 1, 0, 1]
"""
import itertools
import warnings
from typing import Generic, TypeVar

import numpy as np

from ... import random as _random
from ..._dtypes import int64 as _int64
from ...ops import _sampling

__all__ = ["Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler",
           "WeightedRandomSampler", "BatchSampler"]

T_co = TypeVar("T_co", covariant=True)


def _randperm(n, generator):
    """A random permutation of range(n) (int64 tensor) from ``generator`` (None: the
    default generator)."""
    from ...ops.random import randperm
    return randperm(n, generator=generator)


def _randint(high, size, generator):
    """``size`` integers uniform on [0, high) from ``generator``."""
    from ...ops.random import randint
    return randint(high, (size,), generator=generator)


class Sampler(Generic[T_co]):
    """Base class of samplers: an iterable of indices (or of index lists, for batch
    samplers), usually with a ``__len__``."""

    def __init__(self, data_source=None):
        pass

    def __iter__(self):
        raise NotImplementedError


class SequentialSampler(Sampler[int]):
    """Indices 0, 1, ..., len(data_source) - 1, in order."""

    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


class RandomSampler(Sampler[int]):
    """Indices in random order: a fresh permutation each time it is iterated, or, with
    ``replacement=True``, ``num_samples`` independent draws.

    Without a ``generator``, each iteration seeds a private generator from ember's
    default one, so ``ember.manual_seed`` makes the order repeatable; with one, the
    order follows that generator's stream.
    """

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        self._spare = None      # the private generator of a finished pass, for the next
        if not isinstance(self.replacement, bool):
            raise TypeError("replacement should be a boolean value, but got "
                            f"replacement={self.replacement}")
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError("num_samples should be a positive integer value, but got "
                             f"num_samples={self.num_samples}")

    @property
    def num_samples(self):
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self):
        n = len(self.data_source)
        generator = private = self.generator
        if generator is None:
            # as torch: a fresh generator seeded from empty((), dtype=int64).random_() on
            # the default one (a finished pass's generator, re-seeded, is as fresh, and
            # making one costs ~75 us every epoch)
            seed = int(_sampling.full_range(_random.pick(None), 1, _int64)[0])
            private, self._spare = self._spare or _random.Generator(), None
            generator = private.manual_seed(seed)
        if self.replacement:
            yield from _randint(n, self.num_samples, generator).tolist()
        else:
            for _ in range(self.num_samples // n):       # whole passes when num_samples > n
                yield from _randperm(n, generator).tolist()
            yield from _randperm(n, generator).tolist()[:self.num_samples % n]
        if self.generator is None:
            self._spare = private

    def __len__(self):
        return self.num_samples


class SubsetRandomSampler(Sampler[int]):
    """The given indices, in a random order (a fresh one per iteration)."""

    def __init__(self, indices, generator=None):
        self.indices = indices
        self.generator = generator

    def __iter__(self):
        for i in _randperm(len(self.indices), self.generator).tolist():
            yield self.indices[i]

    def __len__(self):
        return len(self.indices)


class WeightedRandomSampler(Sampler[int]):
    """``num_samples`` indices into ``weights``, index i drawn with probability
    proportional to ``weights[i]`` (the weights need not sum to one).

    With ``replacement=False`` an index is drawn at most once per pass, so
    ``num_samples`` can be at most ``len(weights)``. The draws come from
    ``generator`` (or ember's default one, so ``ember.manual_seed`` repeats them).

    >>> g = ember.Generator().manual_seed(0)
    >>> sampler = WeightedRandomSampler([1.0, 0.0, 3.0], num_samples=5, generator=g)
    >>> sorted(set(sampler))              # index 1 has weight 0: never drawn
    [0, 2]
    """

    def __init__(self, weights, num_samples, replacement=True, generator=None):
        if (not isinstance(num_samples, int) or isinstance(num_samples, bool)
                or num_samples <= 0):
            raise ValueError("num_samples should be a positive integer value, but got "
                             f"num_samples={num_samples}")
        if not isinstance(replacement, bool):
            # torch raises ValueError here (RandomSampler raises TypeError for the same thing).
            raise ValueError("replacement should be a boolean value, but got "
                             f"replacement={replacement}")
        from ...ops.creation import as_tensor
        from ... import _dtypes
        weights = as_tensor(weights, dtype=_dtypes.float64)
        if weights.ndim != 1:
            raise ValueError("weights should be a 1d sequence but given weights have shape "
                             f"{tuple(weights.shape)}")
        self.weights = weights
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self):
        from ...ops.random import multinomial
        indices = multinomial(self.weights, self.num_samples, self.replacement,
                              generator=self.generator)
        if not self.replacement:
            _warn_if_zero_weights_are_drawn(self.weights, self.num_samples)
        yield from indices.tolist()

    def __len__(self):
        return self.num_samples


def _warn_if_zero_weights_are_drawn(weights, num_samples):
    """Without replacement, once the non-zero weights are used up torch goes on with
    zero-weight indices, silently; say so, as learners expect those never to appear."""
    nonzero = int(np.count_nonzero(weights.detach().numpy() > 0))
    if nonzero < num_samples:
        warnings.warn(
            f"WeightedRandomSampler: drawing {num_samples} indices without replacement but "
            f"only {nonzero} of the {weights.shape[0]} weights are non-zero, so each pass "
            f"also yields {num_samples - nonzero} index(es) whose weight is 0 (torch does "
            "the same, silently). Use replacement=True or num_samples <= the number of "
            "non-zero weights.", stacklevel=3)


class BatchSampler(Sampler[list]):
    """Group another sampler's indices into lists of ``batch_size`` (the last one
    shorter, or dropped with ``drop_last=True``).

    >>> list(BatchSampler(range(5), batch_size=2, drop_last=True))
    [[0, 1], [2, 3]]
    """

    def __init__(self, sampler, batch_size, drop_last):
        if (not isinstance(batch_size, int) or isinstance(batch_size, bool)
                or batch_size <= 0):
            raise ValueError("batch_size should be a positive integer value, but got "
                             f"batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self):
        it = iter(self.sampler)
        while True:
            batch = list(itertools.islice(it, self.batch_size))
            if not batch or (self.drop_last and len(batch) < self.batch_size):
                return
            yield batch

    def __len__(self):
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return (len(self.sampler) + self.batch_size - 1) // self.batch_size
