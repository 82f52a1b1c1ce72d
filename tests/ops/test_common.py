"""The shared helpers of the ops modules: the dim and size checks behind every op's
arguments (int_arg, int_list_arg, wrap_dim, wrap_dims, as_shape)."""
import numpy as np
import pytest

import ember
import torch
from ember.ops._common import as_shape, int_arg, int_list_arg, wrap_dim, wrap_dims


@pytest.mark.parametrize("value", [2, -1, np.int64(2), np.int32(-1), np.uint8(1),
                                   ember.tensor(2)])
def test_int_arg_takes_what_has_an_index(value):
    got = int_arg(value, "op")
    assert type(got) is int and got == int(value)


@pytest.mark.parametrize("value, shown", [(1.0, "float"), (True, "bool"), ("a", "str"),
                                          (None, "NoneType"), (np.float32(1), "numpy.float32"),
                                          (np.True_, "numpy.bool"), ((0,), "tuple")])
def test_int_arg_refuses_the_rest_naming_op_argument_and_type(value, shown):
    with pytest.raises(TypeError) as info:
        int_arg(value, "unsqueeze")
    assert str(info.value) == f"unsqueeze(): argument 'dim' must be int, not {shown}"
    with pytest.raises(TypeError, match=f"^flatten\\(\\): argument 'end_dim' must be int, not "
                                        f"{shown}$"):
        wrap_dim(value, 3, "flatten", "end_dim")


def test_wrap_dim_wraps_and_keeps_the_index_error():
    assert wrap_dim(-1, 3) == 2 and wrap_dim(np.int64(-3), 3) == 0 and wrap_dim(0, 0) == 0
    with pytest.raises(IndexError, match=r"range of \[-3, 2\], but got 3"):
        wrap_dim(3, 3, "op")


def test_int_list_arg_reads_bools_as_torch_does():
    # torch checks the type of the first element only: a bool is refused there, read as
    # an int anywhere else
    assert int_list_arg([0, True, np.int64(2)], "sum", "dim") == (0, 1, 2)
    with pytest.raises(TypeError, match=r"^flip\(\): argument 'dims' must be tuple of ints, "
                                        r"but found element of type bool at pos 0$"):
        int_list_arg((True, 0), "flip")
    with pytest.raises(TypeError, match="found element of type float at pos 1$"):
        int_list_arg((0, 1.0), "flip")


def test_wrap_dims():
    assert wrap_dims(None, 3) == (0, 1, 2)
    assert wrap_dims(-1, 3) == (2,) and wrap_dims(np.int64(1), 3) == (1,)
    assert wrap_dims([2, -3], 3) == (0, 2)
    for bad, shown in [(1.0, "float"), (True, "bool"), ("ab", "str")]:
        with pytest.raises(TypeError, match=f"^squeeze\\(\\): argument 'dim' must be tuple of "
                                            f"ints, not {shown}$"):
            wrap_dims(bad, 3, "squeeze")
    with pytest.raises(RuntimeError, match="appears multiple times"):
        wrap_dims((0, -3), 3)


def test_as_shape():
    assert as_shape((2, 3)) == (2, 3) == as_shape(([2, 3],)) == as_shape((ember.Size([2, 3]),))
    assert as_shape((np.int64(2), 3)) == (2, 3) and as_shape(((),)) == ()
    with pytest.raises(TypeError, match=r"^reshape\(\): argument 'shape' must be tuple of ints, "
                                        r"but found element of type float at pos 1$"):
        as_shape((2, 3.0), "reshape", "shape")
    for bad, shown in [(2.0, "float"), (None, "NoneType"), (range(2), "range"),
                       (np.array([2, 3]), "numpy.ndarray")]:
        with pytest.raises(TypeError, match=f"must be tuple of ints, not {shown}$"):
            as_shape((bad,), "reshape", "shape")


@pytest.mark.parametrize("value, shown", [(ember.zeros(2), "Tensor"),
                                          (ember.nn.Parameter(ember.zeros(2)), "Parameter")])
def test_a_tensor_is_named_as_torch_names_it(value, shown):
    import torch
    torch_value = torch.zeros(2) if shown == "Tensor" else torch.nn.Parameter(torch.zeros(2))
    with pytest.raises(TypeError) as te:
        torch.zeros(3).unsqueeze(torch_value)
    assert f"not {shown}" in str(te.value)
    with pytest.raises(TypeError) as info:
        int_arg(value, "unsqueeze")
    assert str(info.value) == f"unsqueeze(): argument 'dim' must be int, not {shown}"


class _Plain:
    """A class of the user's, which torch's argument errors name bare (CPython's tp_name)."""


@pytest.mark.parametrize("call", [
    lambda t: t.sum(_Plain()),
    lambda t: t.topk(_Plain(), 1),
    lambda t: t.ones(2).sum(_Plain()),
    lambda t: t.ones(2).reshape(_Plain()),
    lambda t: t.hypot(t.ones(1), _Plain()),
    lambda t: t.zeros(_Plain()),
])
def test_a_users_class_is_named_bare_as_torch_names_it(call):
    import torch
    with pytest.raises(TypeError) as expected:
        call(torch)
    with pytest.raises(TypeError) as got:
        call(ember)
    assert "_Plain" in str(expected.value) and "._Plain" not in str(expected.value)
    assert "_Plain" in str(got.value) and "._Plain" not in str(got.value)


@pytest.mark.parametrize("call", [
    lambda t: t.ones(6).reshape(t.tensor(6)).shape,
    lambda t: t.ones(6).view(t.tensor(6, dtype=t.int32)).shape,
    lambda t: t.ones(1).expand(t.tensor(3)).shape,
    lambda t: t.zeros(t.tensor(2)).shape,
    lambda t: t.ones(6).reshape(t.tensor(6.)),
])
def test_one_size_given_as_a_0_dim_tensor_is_torchs(call):
    import torch
    try:
        expected = call(torch)
    except TypeError as err:
        with pytest.raises(TypeError) as got:
            call(ember)
        # (torch's text; the ops that don't number their arguments yet leave out the
        # "(position 1)")
        assert str(got.value) in (str(err), str(err).replace(" (position 1)", ""))
    else:
        assert tuple(call(ember)) == tuple(expected)


@pytest.mark.parametrize("call", [
    lambda t: t.ones(1, 1, 1).squeeze((1, 0, 0)),
    lambda t: t.ones(1, 1, 1).flip((2, 0, -1)),
    lambda t: t.ones(1, 1, 1).sum((1, 0, 0)),
])
def test_a_repeated_dim_is_named_as_torch_names_it(call):
    import torch
    with pytest.raises(RuntimeError) as expected:
        call(torch)
    with pytest.raises(RuntimeError) as got:
        call(ember)
    assert str(got.value) == str(expected.value)


# ember's stand-ins for torch's C types, by the names torch's argument errors give them
C_TYPE_VALUES = {"dtype": lambda m: m.float32, "Size": lambda m: m.Size([2]),
                 "device": lambda m: m.device("cpu"), "layout": lambda m: m.strided,
                 "memory_format": lambda m: m.channels_last, "Generator": lambda m: m.Generator()}


@pytest.mark.parametrize("value", list(C_TYPE_VALUES))
@pytest.mark.parametrize("call", [lambda m, v: m.zeros(2, out=v),
                                  lambda m, v: m.empty(2, layout=v),
                                  lambda m, v: m.ones(2).clone(memory_format=v)])
def test_torchs_c_types_are_named_as_torch_names_them(value, call):
    messages = []
    for m in (ember, torch):
        v = C_TYPE_VALUES[value](m)
        try:
            call(m, v)
        except Exception as err:    # noqa: BLE001 - the error is the outcome compared
            messages.append((type(err).__name__, str(err)))
        else:
            messages.append(None)
    assert messages[0] == messages[1]
