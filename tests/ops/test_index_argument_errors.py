"""Bad arguments to the indexing ops (gather, index_select, scatter, masked_fill, ...):
torch's exception type and message, numbered as torch numbers a method's arguments
(from the first after self) or a function's (from the input). Each case is
``lambda m: ...`` run with m = torch and m = ember."""
import pytest
import torch

import ember
from helpers import assert_same_error


def _x(m):
    return m.tensor([[1., 2., 3.], [4., 5., 6.]])


def _i(m):
    return m.tensor([[0, 1], [1, 0]])


def _idx(m):
    return m.tensor([0])


EXACT = {
    "x.index_select()": lambda m: _x(m).index_select(),
    "x.index_select(0)": lambda m: _x(m).index_select(0),
    "x.index_select('a', idx)": lambda m: _x(m).index_select("a", _idx(m)),
    "x.index_select(0, list)": lambda m: _x(m).index_select(0, [0]),
    "ember.index_select('a', 0, idx)": lambda m: m.index_select("a", 0, _idx(m)),
    "ember.index_select(x, 'a', idx)": lambda m: m.index_select(_x(m), "a", _idx(m)),
    "ember.index_select(x, 0, list)": lambda m: m.index_select(_x(m), 0, [0]),
    "x.gather()": lambda m: _x(m).gather(),
    "x.gather(0)": lambda m: _x(m).gather(0),
    "x.gather(0, list)": lambda m: _x(m).gather(0, [[0]]),
    "x.gather('a', i)": lambda m: _x(m).gather("a", _i(m)),
    "x.gather(1.5, i)": lambda m: _x(m).gather(1.5, _i(m)),
    "ember.gather('a', 0, i)": lambda m: m.gather("a", 0, _i(m)),
    "ember.gather(x, 0, list)": lambda m: m.gather(_x(m), 0, [[0]]),
    "x.index_add(0, idx, 'a')": lambda m: _x(m).index_add(0, _idx(m), "a"),
    "x.index_add(0, list, x)": lambda m: _x(m).index_add(0, [0], _x(m)[:1]),
    "ember.index_add(x, 0, idx, 'a')": lambda m: m.index_add(_x(m), 0, _idx(m), "a"),
    "x.masked_select('a')": lambda m: _x(m).masked_select("a"),
    "x.masked_select()": lambda m: _x(m).masked_select(),
    "ember.masked_select(x, list)": lambda m: m.masked_select(_x(m), [True]),
    "x.take('a')": lambda m: _x(m).take("a"),
    "ember.take(x)": lambda m: m.take(_x(m)),
    "ember.take(x, list)": lambda m: m.take(_x(m), [0]),
    "x.take_along_dim('a')": lambda m: _x(m).take_along_dim("a"),
    "ember.take_along_dim(x, 'a')": lambda m: m.take_along_dim(_x(m), "a"),
    "x.scatter_add(0, i)": lambda m: _x(m).scatter_add(0, _i(m)),
    "x.scatter_add('a', i, x)": lambda m: _x(m).scatter_add("a", _i(m), _x(m)),
    "x.scatter_add(0, list, x)": lambda m: _x(m).scatter_add(0, [[0]], _x(m)),
    "ember.scatter_add(x, 0, i, 'a')": lambda m: m.scatter_add(_x(m), 0, _i(m), "a"),
    "x.scatter_add(0, i, 'a')": lambda m: _x(m).scatter_add(0, _i(m), "a"),
    "x.scatter_add_(0, i, 'a')": lambda m: _x(m).scatter_add_(0, _i(m), "a"),
    "x.scatter_add_(0, i)": lambda m: _x(m).scatter_add_(0, _i(m)),
}

FIRST_LINE = {
    "x.masked_fill()": lambda m: _x(m).masked_fill(),
    "x.masked_fill(mask)": lambda m: _x(m).masked_fill(_x(m) > 2),
    "x.masked_fill(mask, 'a')": lambda m: _x(m).masked_fill(_x(m) > 2, "a"),
    "x.masked_fill(mask, None)": lambda m: _x(m).masked_fill(_x(m) > 2, None),
    "x.masked_fill(list, 1.)": lambda m: _x(m).masked_fill([True], 1.),
    "x.masked_fill(mask, 1., 2)": lambda m: _x(m).masked_fill(_x(m) > 2, 1., 2),
    "x.masked_fill_(mask, 'a')": lambda m: _x(m).masked_fill_(_x(m) > 2, "a"),
    "ember.masked_fill(x, mask, 'a')": lambda m: m.masked_fill(_x(m), _x(m) > 2, "a"),
    "x.scatter()": lambda m: _x(m).scatter(),
    "x.scatter(0, i)": lambda m: _x(m).scatter(0, _i(m)),
    "x.scatter(0, i, 'a')": lambda m: _x(m).scatter(0, _i(m), "a"),
    "x.scatter(0, list, 1.)": lambda m: _x(m).scatter(0, [[0]], 1.),
    "x.scatter('a', i, 1.)": lambda m: _x(m).scatter("a", _i(m), 1.),
    "x.scatter_(0, i, 'a')": lambda m: _x(m).scatter_(0, _i(m), "a"),
    "ember.scatter(x)": lambda m: m.scatter(_x(m)),
    "ember.scatter(x, 0, list, 1.)": lambda m: m.scatter(_x(m), 0, [[0]], 1.),
    "x.index_fill(0, idx, 'a')": lambda m: _x(m).index_fill(0, _idx(m), "a"),
    "ember.index_fill(x, 0, idx, 'a')": lambda m: m.index_fill(_x(m), 0, _idx(m), "a"),
    "x.index_fill('a', idx, 1.)": lambda m: _x(m).index_fill("a", _idx(m), 1.),
    "x.index_fill(0, list, 1.)": lambda m: _x(m).index_fill(0, [0], 1.),
    "x.index_fill_(0, idx, 'a')": lambda m: _x(m).index_fill_(0, _idx(m), "a"),
    "x.index_fill(0, idx)": lambda m: _x(m).index_fill(0, _idx(m)),
}


@pytest.mark.parametrize("case", EXACT.values(), ids=EXACT.keys())
def test_bad_arguments_raise_torchs_error(case):
    assert_same_error(case)


@pytest.mark.parametrize("case", FIRST_LINE.values(), ids=FIRST_LINE.keys())
def test_calls_no_signature_takes_raise_torchs_first_line(case):
    assert_same_error(case, first_line=True)


def test_the_method_and_the_function_list_their_own_signatures():
    with pytest.raises(TypeError) as method:
        ember.ones(2).masked_fill(ember.ones(2) > 0, "a")
    with pytest.raises(TypeError) as function:
        ember.masked_fill(ember.ones(2), ember.ones(2) > 0, "a")
    assert " * (Tensor mask, Number value)" in str(method.value)
    assert " * (Tensor input, Tensor mask, Number value)" in str(function.value)


@pytest.mark.parametrize("case", [
    lambda m: _x(m).gather(1, _i(m)), lambda m: m.gather(_x(m), 1, _i(m)),
    lambda m: _x(m).index_select(1, m.tensor([2, 0])), lambda m: m.take(_x(m), m.tensor([5])),
    lambda m: _x(m).masked_fill(_x(m) > 2, 0.), lambda m: m.masked_fill(_x(m), _x(m) > 2, 1),
    lambda m: _x(m).scatter(1, _i(m), 9.), lambda m: m.scatter(_x(m), 1, _i(m), _x(m)),
    lambda m: _x(m).scatter(1, _i(m), value=2.), lambda m: _x(m).index_add_(0, _idx(m), _x(m)[:1]),
    lambda m: m.masked_select(_x(m), _x(m) > 3),
    lambda m: m.take_along_dim(_x(m), _i(m), dim=1),
    lambda m: _x(m).index_fill(1, m.tensor([0, 2]), 7.), lambda m: m.index_fill(_x(m), 0, _idx(m), 2),
    lambda m: _x(m).index_fill_(1, _idx(m), m.tensor(3.)),
    lambda m: m.scatter_add(_x(m), 1, _i(m), _x(m)), lambda m: _x(m).scatter_add_(0, _i(m), _x(m)),
])
def test_the_calls_next_to_them_still_work(case):
    from helpers import assert_same
    assert_same(case(ember), case(torch))


@pytest.mark.parametrize("case", [
    lambda m: _x(m)[[[0, "a"]]], lambda m: _x(m).__setitem__([[0, "a"]], 1.),
    lambda m: _x(m)[["a", "b"]], lambda m: _x(m)[__import__("numpy").float64(0)],
])
def test_bad_indices_raise_torchs_error(case):
    assert_same_error(case)


@pytest.mark.parametrize("case", [
    lambda m: _x(m)[[0.5]], lambda m: _x(m)[[-1.5]], lambda m: _x(m)[[True, 0.5]],
    lambda m: _x(m)[__import__("numpy").array([1.5])], lambda m: _x(m)[0, [0.5, 2.9]],
])
def test_float_indices_are_truncated_as_in_torch_with_a_warning(case):
    from helpers import assert_same
    with pytest.warns(UserWarning, match="truncated toward zero") as record:
        got = case(ember)
    assert record[0].filename == __file__       # (the warning points at the user's line)
    with __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("ignore")
        expected = case(torch)
    assert_same(got, expected)
