"""ember/ops/reduce.py: bad flags and dtypes of the reductions raise torch's TypeError
(where NumPy would take any truthy value as True, or a dtype name as a dtype)."""
import numpy as np
import pytest

from helpers import assert_same_error


def _t(m):
    return m.tensor([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]])


def _first_line_and_signatures_same(case):
    import torch

    import ember
    with pytest.raises(TypeError) as t_err:
        case(torch)
    with pytest.raises(TypeError) as e_err:
        case(ember)
    t_lines, e_lines = str(t_err.value).splitlines(), str(e_err.value).splitlines()
    assert e_lines[0] == t_lines[0]
    assert [ln for ln in e_lines if ln.startswith(" * ")] == \
        [ln for ln in t_lines if ln.startswith(" * ")]


# one signature: "argument 'keepdim' must be bool, not str"
ONE = ["sum", "prod", "argmax", "argmin", "logsumexp", "median", "amax", "amin", "nansum",
       "kthvalue", "mode", "nanmean", "nanmedian"]
# several: "received an invalid combination of arguments - got (Tensor, int, keepdim=str)"
SEVERAL = ["mean", "max", "min", "std", "var", "any", "all", "std_mean", "var_mean"]


def _call(m, op, x, **kwargs):
    if op == "kthvalue":
        return m.kthvalue(x, 1, 0, **kwargs)
    return getattr(m, op)(x, 0, **kwargs)


@pytest.mark.parametrize("keepdim", ["a", 1, None, 0.0], ids=["str", "int", "None", "float"])
@pytest.mark.parametrize("op", ONE)
def test_keepdim_must_be_a_bool(op, keepdim):
    assert_same_error(lambda m: _call(m, op, _t(m), keepdim=keepdim))


@pytest.mark.parametrize("keepdim", ["a", 1, None], ids=["str", "int", "None"])
@pytest.mark.parametrize("op", SEVERAL)
def test_keepdim_must_be_a_bool_in_overloaded_reductions(op, keepdim):
    _first_line_and_signatures_same(lambda m: _call(m, op, _t(m), keepdim=keepdim))


@pytest.mark.parametrize("op", ["sum", "mean", "prod", "std", "var", "any", "all", "max"])
def test_keepdim_without_dim(op):
    _first_line_and_signatures_same(lambda m: getattr(m, op)(_t(m), keepdim="a"))


@pytest.mark.parametrize("op", ["argmax", "amax", "nansum"])
def test_keepdim_without_dim_one_signature(op):
    assert_same_error(lambda m: getattr(m, op)(_t(m), keepdim="a"))


@pytest.mark.parametrize("dtype", ["float64", "a", np.float64, 1],
                         ids=["name", "str", "numpy type", "int"])
@pytest.mark.parametrize("case", [
    lambda m, dt: m.sum(_t(m), 0, dtype=dt),
    lambda m, dt: m.prod(_t(m), 0, dtype=dt),
    lambda m, dt: m.nansum(_t(m), dtype=dt),
    lambda m, dt: m.cumsum(_t(m), 0, dtype=dt),
    lambda m, dt: m.cumprod(_t(m), 0, dtype=dt),
    lambda m, dt: m.softmax(_t(m), 0, dtype=dt),
    lambda m, dt: m.log_softmax(_t(m), 0, dtype=dt),
    lambda m, dt: m.nn.functional.softmax(_t(m), 0, dtype=dt),
], ids=["sum", "prod", "nansum", "cumsum", "cumprod", "softmax", "log_softmax", "F.softmax"])
def test_dtype_must_be_a_dtype(case, dtype):
    assert_same_error(lambda m: case(m, dtype))


@pytest.mark.parametrize("case", [
    lambda m: m.sum(_t(m), dtype="float64"),
    lambda m: m.prod(_t(m), dtype="a"),
    lambda m: m.mean(_t(m), dtype="float64"),
    lambda m: m.mean(_t(m), 0, dtype="a"),
    lambda m: m.std(_t(m), unbiased="a"),
    lambda m: m.var(_t(m), unbiased=1),
    lambda m: m.var(_t(m), 0, unbiased=None or 2),
    lambda m: m.sort(_t(m), descending="a"),
    lambda m: m.sort(_t(m), stable="a"),
    lambda m: m.sort(_t(m), 0, descending=1),
    lambda m: m.argsort(_t(m), descending="a"),
])
def test_invalid_combinations(case):
    _first_line_and_signatures_same(case)


@pytest.mark.parametrize("flag", ["sorted", "return_inverse", "return_counts"])
@pytest.mark.parametrize("value", ["a", 1, 1.5])
@pytest.mark.parametrize("dim", [None, 0])
def test_unique_flags_must_be_bools(flag, value, dim):
    assert_same_error(lambda m: m.unique(_t(m), dim=dim, **{flag: value}))


@pytest.mark.parametrize("flag", ["largest", "sorted"])
@pytest.mark.parametrize("value", ["a", 1, None])
def test_topk_flags_must_be_bools(flag, value):
    assert_same_error(lambda m: m.topk(_t(m), 1, **{flag: value}))


def test_good_flags_and_python_types_as_dtypes_still_work():
    import ember
    assert ember.sum(ember.ones(2), dtype=int).dtype is ember.int64
    assert ember.softmax(ember.ones(2), 0, dtype=float).dtype is ember.float64
    x = ember.tensor([[1.0, 2.0], [3.0, 5.0]])
    assert x.sum(0, keepdim=np.bool_(True)).shape == (1, 2)
    assert x.std(unbiased=False).item() == pytest.approx(np.std([1, 2, 3, 5]))
    assert ember.unique(x, sorted=False).shape == (4,)


@pytest.mark.parametrize("bad", ["a", [1.0, 2.0], None], ids=["str", "list", "None"])
def test_norm_of_a_non_tensor_fails_as_torchs_python_code_does(bad):
    assert_same_error(lambda m: m.norm(bad))


@pytest.mark.parametrize("op", ["sum", "mean", "std", "var", "amax", "amin", "nansum",
                                "logsumexp", "norm", "any", "all"])
@pytest.mark.parametrize("dims", [(0, "a"), [1, 1.5], (0, 1, None)], ids=["str", "float", "None"])
def test_dims_after_the_first_that_are_no_ints_fail_to_unpack(op, dims):
    if op == "norm" and len(dims) == 3:
        pytest.skip("torch.norm takes a path of its own for three dims holding a None")
    assert_same_error(lambda m: getattr(m, op)(m.ones(2, 3, 4), dim=dims))
    if op != "norm":        # (norm's second argument is p)
        assert_same_error(lambda m: getattr(m, op)(m.ones(2, 3, 4), dims))


@pytest.mark.parametrize("p", [(0, 1), [2], np.ones(2)], ids=["tuple", "list", "ndarray"])
def test_norm_order_must_be_a_number(p):
    assert_same_error(lambda m: m.norm(m.ones(2, 3), p))


@pytest.mark.parametrize("case", [
    lambda m: m.amax(_t(m), 0, True, 1),
    lambda m: _t(m).amax(0, True, 1),
    lambda m: m.logsumexp(_t(m)),
    lambda m: _t(m).logsumexp(),
    lambda m: m.amax(_t(m), foo=1),
    lambda m: _t(m).amin(foo=1),
    lambda m: m.cumsum(_t(m), "a"),
    lambda m: _t(m).cumsum("a"),
    lambda m: _t(m).cumsum(1.5),
    lambda m: m.cumsum(_t(m), dim=None),
    lambda m: m.logsumexp(_t(m), 1.5),
    lambda m: _t(m).logsumexp("a"),
    lambda m: m.prod([1.0, 2.0]),
])
def test_calls_torchs_parser_refuses(case):
    assert_same_error(case)


@pytest.mark.parametrize("case", [
    lambda m: m.var(_t(m), foo=1),
    lambda m: m.any(_t(m), foo=1),
    lambda m: m.std(),
    lambda m: m.all(),
    lambda m: m.prod(_t(m), dim="a"),
    lambda m: m.prod(_t(m), "a"),
    lambda m: m.var(_t(m), dim="a"),
    lambda m: m.any([1.0, 2.0]),
    lambda m: m.std([1.0, 2.0], 0),
    lambda m: _t(m).std(dim=1.5),
    lambda m: _t(m).var("a"),
    lambda m: _t(m).prod(0, True, 1, 2),
])
def test_overloaded_reductions_list_their_overloads(case):
    assert_same_error(case, first_line=True)


@pytest.mark.parametrize("case", [
    lambda m: m.argsort([1.0, 2.0]),
    lambda m: m.count_nonzero([1.0, 2.0]),
    lambda m: m.topk(_t(m)),
    lambda m: _t(m).topk(),
    lambda m: m.topk(_t(m), 1, 0, True, True, 1),
    lambda m: m.kthvalue(_t(m), 1, foo=2),
    lambda m: _t(m).kthvalue(1, "a"),
    lambda m: m.kthvalue(_t(m), 1, "a"),
    lambda m: m.cummax(_t(m), "a"),
    lambda m: _t(m).cummax(1.5),
    lambda m: m.mode(_t(m), "a"),
])
def test_more_calls_torchs_parser_refuses(case):
    assert_same_error(case)


@pytest.mark.parametrize("case", [
    lambda m: m.argsort(_t(m), "a"),
    lambda m: _t(m).argsort(dim=1.5),
    lambda m: m.count_nonzero(_t(m), "a"),
    lambda m: m.std_mean(_t(m), foo=1),
    lambda m: m.var_mean([1.0]),
    lambda m: _t(m).prod(0, True, 1, 2),
])
def test_more_overloaded_calls(case):
    assert_same_error(case, first_line=True)


@pytest.mark.parametrize("case", [
    lambda m: m.sum(_t(m), "a"), lambda m: _t(m).sum("a"), lambda m: _t(m).mean(1.5),
    lambda m: m.max(_t(m), "a"), lambda m: _t(m).min(1.5), lambda m: m.mean(_t(m), 1.5, keepdim=True),
    lambda m: _t(m).max(None),
])
def test_a_dim_of_the_wrong_type_given_by_position_to_sum_mean_max_min(case):
    assert_same_error(case, first_line=True)


@pytest.mark.parametrize("case", [
    lambda m: _t(m).max(1.5, keepdim=True), lambda m: m.sum(_t(m), "a", keepdim=True),
])
def test_a_dim_of_the_wrong_type_where_one_overload_takes_the_call(case):
    assert_same_error(case)


def test_norm_without_input_fails_as_torchs_python_function_does():
    assert_same_error(lambda m: m.norm())
