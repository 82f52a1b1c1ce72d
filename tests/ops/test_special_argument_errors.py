"""ember/ops/special.py: bad arguments raise torch's exception type and message."""
import pytest

from helpers import assert_same_error


@pytest.mark.parametrize("n", ["a", 1.5, None, True], ids=["str", "float", "None", "bool"])
def test_polygamma_order_must_be_an_int(n):
    assert_same_error(lambda m: m.polygamma(n, m.tensor([1.0, 2.0])))


def test_polygamma_takes_a_numpy_integer_order():
    import numpy as np

    import ember
    assert ember.polygamma(np.int64(1), ember.tensor([1.0])).item() == pytest.approx(1.6449, 1e-4)
