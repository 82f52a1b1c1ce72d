"""ember/ops/pointwise.py: bad arguments raise torch's exception type and message."""
import pytest

from helpers import assert_same_error


def _t(m):
    return m.tensor([1.0, -2.0, 3.0])


BAD = {"str": "a", "None": None, "list": [1.0, 2.0]}

# ops with one signature: "argument 'other' (position 2) must be Tensor, not str"
ONE_SIGNATURE = ["add", "sub", "mul", "div", "maximum", "minimum", "atan2", "logical_and"]
# ops whose text lists several overloads ("received an invalid combination ...")
SEVERAL = ["eq", "ne", "lt", "le", "gt", "ge", "fmod", "remainder", "floor_divide",
           "true_divide", "pow"]


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize("op", ONE_SIGNATURE)
def test_bad_operand_of_one_signature_ops(op, bad):
    assert_same_error(lambda m: getattr(m, op)(_t(m), bad))
    assert_same_error(lambda m: getattr(m, op)(bad, _t(m)))


def _first_line_same(case):
    import torch

    import ember
    with pytest.raises(TypeError) as t_err:
        case(torch)
    with pytest.raises(TypeError) as e_err:
        case(ember)
    assert str(e_err.value).splitlines()[0] == str(t_err.value).splitlines()[0]
    # every signature torch lists is listed
    t_sigs = [ln for ln in str(t_err.value).splitlines() if ln.startswith(" * ")]
    e_sigs = [ln for ln in str(e_err.value).splitlines() if ln.startswith(" * ")]
    assert e_sigs == t_sigs


@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize("op", SEVERAL)
def test_bad_operand_of_overloaded_ops(op, bad):
    _first_line_same(lambda m: getattr(m, op)(_t(m), bad))
    _first_line_same(lambda m: getattr(m, op)(bad, _t(m)))


@pytest.mark.parametrize("op", ["eq", "ne", "lt", "le", "gt", "ge", "fmod"])
def test_number_input_refused_where_torch_refuses_it(op):
    assert_same_error(lambda m: getattr(m, op)(2.0, _t(m)))


@pytest.mark.parametrize("op", ["eq", "ne", "lt", "le", "gt", "ge", "greater", "less_equal"])
@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_comparison_methods_list_the_method_overloads(op, bad):
    assert_same_error(lambda m: getattr(_t(m), op)(bad))


@pytest.mark.parametrize("op", ["add_", "sub_", "mul_"])
@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_in_place_methods_count_other_as_position_1(op, bad):
    assert_same_error(lambda m: getattr(_t(m), op)(bad))


@pytest.mark.parametrize("op", ["add", "sub"])
@pytest.mark.parametrize("alpha", ["a", None, [1]])
def test_alpha_must_be_a_number(op, alpha):
    assert_same_error(lambda m: getattr(m, op)(_t(m), _t(m), alpha=alpha))


@pytest.mark.parametrize("op", ["isnan", "isinf", "isfinite", "isposinf", "isneginf",
                                "logical_not", "square", "bitwise_not"])
@pytest.mark.parametrize("bad", list(BAD.values()) + [1.5], ids=list(BAD) + ["float"])
def test_unary_ops_name_a_non_tensor_input(op, bad):
    assert_same_error(lambda m: getattr(m, op)(bad))


@pytest.mark.parametrize("case", [
    lambda m: m.lerp(_t(m), _t(m), "a"),
    lambda m: m.lerp(_t(m), _t(m), None),
    lambda m: m.div(_t(m), _t(m), rounding_mode=1),
    lambda m: m.div(_t(m), 2, rounding_mode=None and 1 or 1),
    lambda m: m.where([True, False, True], _t(m), _t(m)),
    lambda m: m.where(_t(m) > 0, "a", _t(m)),
    lambda m: m.where(_t(m) > 0, _t(m), None),
    lambda m: m.where(_t(m) > 0, 1, "a"),
])
def test_invalid_combinations(case):
    _first_line_same(case)


def test_inputs_unchanged_after_a_refused_in_place_op():
    import ember
    x = ember.tensor([1.0, 2.0])
    with pytest.raises(TypeError):
        x.add_("a")
    assert x.tolist() == [1.0, 2.0]


@pytest.mark.parametrize("value", ["a", None, [1.0]], ids=["str", "None", "list"])
def test_fill_value_must_be_a_number_or_tensor(value):
    assert_same_error(lambda m: _t(m).fill_(value))
    assert_same_error(lambda m: m.nn.init.constant_(_t(m), value))


@pytest.mark.parametrize("op", ["add", "sub", "mul", "div", "maximum", "minimum", "fmax",
                                "fmin", "pow", "fmod", "remainder", "floor_divide",
                                "true_divide"])
@pytest.mark.parametrize("bad", BAD.values(), ids=BAD.keys())
def test_methods_count_other_as_position_1(op, bad):
    # (the first line: torch's later lines of "didn't match" details are best effort)
    import torch

    import ember
    with pytest.raises(TypeError) as t_err:
        getattr(_t(torch), op)(bad)
    with pytest.raises(TypeError) as e_err:
        getattr(_t(ember), op)(bad)
    assert str(e_err.value).splitlines()[0] == str(t_err.value).splitlines()[0]


def test_method_rounding_mode_of_the_wrong_type():
    _first_line_same(lambda m: _t(m).div(_t(m), rounding_mode=1))


def test_methods_are_the_functions_results():
    import ember
    x = ember.tensor([1.0, 2.0])
    assert x.add(1).tolist() == ember.add(x, 1).tolist() == [2.0, 3.0]
    assert x.pow(2).tolist() == [1.0, 4.0]
    assert ember.Tensor.add.__qualname__ == "Tensor.add"


@pytest.mark.parametrize("case", [
    lambda m: m.clone("a"), lambda m: m.clone([1.0]),
    lambda m: m.where(m.ones(2) > 0, m.ones(2)),                 # other left out
    lambda m: m.where(m.ones(2) > 0, m.ones(2), None),           # other given as None
    lambda m: m.where(m.ones(2) > 0, None, None),
])
def test_clone_and_where_name_what_they_got_as_torch(case):
    assert_same_error(case, first_line=True)


def test_where_of_a_condition_alone_is_nonzero_as_in_torch():
    import torch

    import ember
    e = ember.where(ember.tensor([[True, False], [False, True]]))
    t = torch.where(torch.tensor([[True, False], [False, True]]))
    assert [x.tolist() for x in e] == [x.tolist() for x in t]
