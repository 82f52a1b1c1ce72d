"""ember/distributions: a sample shape whose elements are no ints gets torch.Size's error."""
import pytest

from helpers import assert_same_error


@pytest.mark.parametrize("shape", ["a", (2.5,), (2, "b"), [None]])
@pytest.mark.parametrize("method", ["sample", "rsample"])
def test_sample_shape_elements_must_be_ints(method, shape):
    assert_same_error(lambda m: getattr(m.distributions.Normal(0.0, 1.0), method)(shape))


def test_sample_shape_as_a_list_still_works():
    import ember
    assert ember.distributions.Normal(0.0, 1.0).sample([2, 3]).shape == (2, 3)
