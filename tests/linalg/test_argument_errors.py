"""ember.linalg (and tensordot, torch.norm): bad arguments raise torch's exception type
and message rather than NumPy's or Python's conversion errors."""
import numpy as np
import pytest

from helpers import assert_same_error


def _sq(m):
    return m.tensor([[2.0, 1.0], [0.5, 3.0]])


@pytest.mark.parametrize("case", [
    lambda m: m.linalg.matrix_power(_sq(m), "a"),
    lambda m: m.linalg.matrix_power(_sq(m), 1.5),
    lambda m: m.linalg.matrix_power(_sq(m), True),
    lambda m: m.linalg.matrix_power(_sq(m), m.ones(2)),
    lambda m: m.linalg.vector_norm(_sq(m), ord="a"),
    lambda m: m.linalg.vector_norm(_sq(m), ord=None),
    lambda m: m.linalg.vector_norm(_sq(m), keepdim="a"),
    lambda m: m.linalg.vector_norm(_sq(m), keepdim=1),
    lambda m: m.norm(_sq(m), keepdim="a"),
    lambda m: m.norm(_sq(m), 2, None, 1),
    lambda m: m.linalg.svd(_sq(m), full_matrices="a"),
    lambda m: m.linalg.svd(_sq(m), full_matrices=None),
    lambda m: m.linalg.multi_dot(_sq(m)),
    lambda m: m.tensordot(_sq(m), _sq(m), dims="a"),
    lambda m: m.tensordot(_sq(m), _sq(m), dims=1.5),
    lambda m: m.tensordot(_sq(m), _sq(m), dims=None),
])
def test_argument_errors(case):
    assert_same_error(case)


def test_good_arguments_still_work():
    import ember
    a = ember.tensor([[2.0, 1.0], [0.5, 3.0]])
    np.testing.assert_allclose(ember.linalg.matrix_power(a, np.int64(2)).numpy(),
                               (a @ a).numpy())
    np.testing.assert_allclose(ember.linalg.matrix_power(a, ember.tensor(2)).numpy(),
                               (a @ a).numpy())
    assert ember.linalg.vector_norm(a, ord=1).item() == pytest.approx(6.5)


@pytest.mark.parametrize("fn", ["inv", "det", "slogdet", "eigh", "eigvalsh", "cholesky", "qr",
                                "svd", "svdvals", "matrix_norm", "vector_norm", "norm",
                                "matrix_exp"])
@pytest.mark.parametrize("bad", ["a", [[1.0, 2.0], [3.0, 4.0]], np.eye(2)],
                         ids=["str", "list", "ndarray"])
def test_non_tensor_input_is_named_as_torch_names_it(fn, bad):
    assert_same_error(lambda m: getattr(m.linalg, fn)(bad))


@pytest.mark.parametrize("case", [
    lambda m: m.linalg.lstsq("a", _sq(m)),
    lambda m: m.linalg.lstsq(_sq(m), "a"),
    lambda m: m.linalg.matrix_power("a", 2),
    lambda m: m.inverse("a"),
    lambda m: m.linalg.solve("a", _sq(m)),
])
def test_non_tensor_arguments(case):
    assert_same_error(case)


@pytest.mark.parametrize("fn", ["pinv", "matrix_rank"])
def test_non_tensor_input_of_overloaded_functions(fn):
    import torch

    import ember
    with pytest.raises(TypeError) as t_err:
        getattr(torch.linalg, fn)("a")
    with pytest.raises(TypeError) as e_err:
        getattr(ember.linalg, fn)("a")
    assert str(e_err.value) == str(t_err.value)


@pytest.mark.parametrize("case", [
    lambda m: m.linalg.inv(),
    lambda m: m.linalg.inv(_sq(m), 1),
    lambda m: m.linalg.det(_sq(m), foo=1),
    lambda m: m.linalg.solve(_sq(m)),
    lambda m: m.linalg.eigh(),
    lambda m: m.linalg.eigvalsh(),
    lambda m: m.linalg.cholesky(),
    lambda m: m.linalg.vector_norm(),
    lambda m: m.linalg.svd(_sq(m), True, 1),
    lambda m: m.linalg.qr(_sq(m), "reduced", 1),
    lambda m: m.linalg.slogdet(_sq(m), bar=2),
])
def test_calls_that_do_not_bind_get_torchs_text(case):
    assert_same_error(case)


@pytest.mark.parametrize("case", [
    lambda m: m.linalg.pinv(),
    lambda m: m.linalg.matrix_rank(_sq(m), foo=1),
    lambda m: m.linalg.matrix_norm(),
    lambda m: m.linalg.norm(_sq(m), foo=1),
])
def test_calls_that_do_not_bind_overloaded_functions(case):
    import torch

    import ember
    with pytest.raises(TypeError) as t_err:
        case(torch)
    with pytest.raises(TypeError) as e_err:
        case(ember)
    assert str(e_err.value) == str(t_err.value)
