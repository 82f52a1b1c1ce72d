"""ember/nn/functional.py (and nn.Parameter): bad arguments raise torch's exception type
and message, including Python's own errors where torch's functional is Python code."""
import warnings

import pytest

from helpers import assert_same_error


def _t(m):
    return m.tensor([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]])


BAD = {"str": "a", "None": None, "list": [1.0, 2.0]}


@pytest.mark.parametrize("fn", ["sigmoid", "tanh"])
@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_functionals_that_call_a_method_raise_pythons_error(fn, bad):
    assert_same_error(lambda m: getattr(m.nn.functional, fn)(bad))


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_softmax_of_a_non_tensor(fn, bad):
    assert_same_error(lambda m: getattr(m.nn.functional, fn)(bad, 0))
    assert_same_error(lambda m: getattr(m.nn, {"softmax": "Softmax",
                                               "log_softmax": "LogSoftmax"}[fn])(0)(bad))


@pytest.mark.parametrize("case", [
    lambda m: m.nn.functional.linear(_t(m), "a"),
    lambda m: m.nn.functional.linear(_t(m), [[1.0, 2.0, 3.0]]),
    lambda m: m.nn.functional.linear(_t(m), m.ones(2, 3), "a"),
    lambda m: m.nn.functional.linear(_t(m), m.ones(2, 3), [1.0, 2.0]),
    lambda m: m.nn.functional.leaky_relu(_t(m), "a"),
    lambda m: m.nn.functional.leaky_relu(_t(m), None),
    lambda m: m.nn.LeakyReLU("a")(_t(m)),
    lambda m: m.nn.functional.softplus(_t(m), "a"),
    lambda m: m.nn.functional.softplus(_t(m), 1.0, "a"),
    lambda m: m.nn.functional.dropout(_t(m), 0.5, "a"),
    lambda m: m.nn.functional.dropout(_t(m), 0.5, None),
    lambda m: m.nn.functional.dropout(_t(m), 0.5, 1),
    lambda m: m.nn.functional.one_hot(m.tensor([1]), "a"),
    lambda m: m.nn.functional.one_hot(m.tensor([1]), 2.5),
    lambda m: m.nn.functional.kl_div(_t(m), "a", reduction="sum"),
    lambda m: m.nn.functional.kl_div([1.0], _t(m), reduction="sum"),
    lambda m: m.nn.functional.kl_div(_t(m), "a", reduction="bad"),
    lambda m: m.nn.Parameter("a"),
    lambda m: m.nn.Parameter([1.0]),
    lambda m: m.nn.Parameter(1.5),
])
def test_argument_errors(case):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_same_error(case)


def test_dropout_still_takes_a_bool_training_flag():
    import ember
    x = ember.ones(3)
    assert ember.nn.functional.dropout(x, 0.5, False) is x


def _logits(m):
    return m.tensor([[1.0, 2.0, 0.5], [0.1, 0.2, 0.3]])


def _labels(m):
    return m.tensor([0, 2])


@pytest.mark.parametrize("case", [
    lambda m: m.nn.functional.softmax(_t(m), "a"),
    lambda m: m.nn.functional.softmax(_t(m), 1.5),
    lambda m: m.nn.functional.log_softmax(_t(m), (0, 1)),
    lambda m: m.nn.functional.softmin(_t(m), "a"),
    lambda m: m.nn.functional.softmin("a", 0),
    lambda m: m.nn.Softmax(dim="a")(_t(m)),
    lambda m: _t(m).softmax("a"),
    lambda m: _t(m).log_softmax(None),
    lambda m: m.softmax(_t(m), "a"),
    lambda m: m.log_softmax(_t(m), 1.5),
    lambda m: m.nn.functional.cross_entropy(_logits(m), _labels(m), ignore_index=1.5),
    lambda m: m.nn.functional.cross_entropy(_logits(m), _labels(m), ignore_index="a"),
    lambda m: m.nn.CrossEntropyLoss(ignore_index="a")(_logits(m), _labels(m)),
    lambda m: m.nn.functional.cross_entropy(_logits(m), _labels(m), label_smoothing="a"),
    lambda m: m.nn.functional.cross_entropy(_logits(m), _labels(m), label_smoothing=None),
    lambda m: m.nn.functional.cross_entropy(_logits(m), _labels(m), label_smoothing=2.0),
    lambda m: m.nn.functional.cross_entropy(_logits(m), _labels(m), weight="a"),
    lambda m: m.nn.functional.nll_loss(_logits(m), _labels(m), ignore_index="a"),
    lambda m: m.nn.functional.elu(_t(m), "a"),
    lambda m: m.nn.functional.relu6("a"),
    lambda m: m.nn.functional.one_hot([1, 2]),
    lambda m: m.nn.functional.binary_cross_entropy(m.tensor([0.5]), "a"),
    lambda m: m.nn.functional.binary_cross_entropy_with_logits("a", m.tensor([0.5])),
])
def test_more_argument_errors(case):
    assert_same_error(case)


@pytest.mark.parametrize("fn", ["eye_", "dirac_", "orthogonal_", "sparse_", "xavier_uniform_",
                                "kaiming_uniform_", "uniform_", "normal_", "zeros_"])
@pytest.mark.parametrize("bad", ["a", [1.0, 2.0], None], ids=["str", "list", "None"])
def test_init_of_a_non_tensor_fails_as_torchs_python_code_does(fn, bad):
    args = (0.5,) if fn == "sparse_" else ()
    assert_same_error(lambda m: getattr(m.nn.init, fn)(bad, *args))


@pytest.mark.parametrize("case", [
    lambda m: m.nn.init.uniform_(m.empty(3), "a"),
    lambda m: m.nn.init.uniform_(m.empty(3), 0.0, None),
    lambda m: m.nn.init.normal_(m.empty(3), "a"),
    lambda m: m.nn.init.normal_(m.empty(3), 0.0, [1.0]),
])
def test_init_bounds_must_be_numbers(case):
    assert_same_error(case)
