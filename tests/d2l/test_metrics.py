"""d2l.Timer and d2l.Accumulator."""
import numpy as np
import pytest

import ember
from ember import d2l


def test_timer_records_each_stop():
    timer = d2l.Timer()
    first = timer.stop()
    timer.start()
    second = timer.stop()
    assert timer.times == [first, second] and first >= 0 and second >= 0
    assert timer.sum() == pytest.approx(first + second)
    assert timer.avg() == pytest.approx((first + second) / 2)
    assert timer.cumsum() == pytest.approx([first, first + second])


def test_accumulator_sums_numbers_and_tensors():
    metric = d2l.Accumulator(2)
    metric.add(3, ember.tensor(4))
    metric.add(np.float32(1.5), 4)
    assert metric[0] == 4.5 and metric[1] == 8.0 and len(metric) == 2
    assert metric[:] == [4.5, 8.0]
    metric.reset()
    assert metric.data == [0.0, 0.0]


def test_accumulator_rejects_a_wrong_count():
    metric = d2l.Accumulator(2)
    with pytest.raises(ValueError, match="takes 2 values"):
        metric.add(1)
    assert metric.data == [0.0, 0.0]
