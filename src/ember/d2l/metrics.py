"""Measuring a training run: a stopwatch (``Timer``) and running sums (``Accumulator``).

    >>> timer = Timer()          # starts at once
    >>> seconds = timer.stop()
    >>> metric = Accumulator(2)  # e.g. (correct predictions, examples)
    >>> metric.add(3, 4); metric.add(1, 4)
    >>> metric[0] / metric[1]
    0.5
"""
import time

import numpy as np

__all__ = ["Timer", "Accumulator"]


class Timer:
    """Records running times; ``start()`` / ``stop()`` around each timed piece."""

    def __init__(self):
        self.times = []
        self.start()

    def start(self):
        """Start (or restart) the stopwatch."""
        self.tik = time.perf_counter()

    def stop(self):
        """Stop the stopwatch, record the elapsed seconds and return them."""
        self.times.append(time.perf_counter() - self.tik)
        return self.times[-1]

    def avg(self):
        """Mean of the recorded times."""
        return sum(self.times) / len(self.times)

    def sum(self):
        """Total of the recorded times."""
        return sum(self.times)

    def cumsum(self):
        """Running totals of the recorded times, as a list."""
        return np.array(self.times).cumsum().tolist()


class Accumulator:
    """Keeps ``n`` running sums; ``add(a, b, ...)`` adds to each in turn."""

    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        """Add one value per sum (tensors and NumPy scalars become floats)."""
        if len(args) != len(self.data):
            raise ValueError(f"Accumulator.add() takes {len(self.data)} values "
                             f"(one per sum), got {len(args)}")
        self.data = [total + float(value) for total, value in zip(self.data, args)]

    def reset(self):
        """Set every sum back to 0."""
        self.data = [0.0] * len(self.data)

    def __getitem__(self, index):
        return self.data[index]

    def __len__(self):
        return len(self.data)
