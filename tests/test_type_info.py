"""finfo and iinfo (ember/_type_info.py) report torch's limits, reprs and errors."""
import pytest
import torch

import ember

FLOATS = ["float16", "float32", "float64", "bfloat16"]
INTS = ["uint8", "int8", "int16", "int32", "int64"]


@pytest.mark.parametrize("name", FLOATS)
def test_finfo_matches_torch(name):
    e, t = ember.finfo(getattr(ember, name)), torch.finfo(getattr(torch, name))
    for attr in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"):
        assert getattr(e, attr) == getattr(t, attr), attr
        assert type(getattr(e, attr)) is type(getattr(t, attr)), attr
    assert repr(e) == repr(t)


def test_finfo_without_a_dtype_is_the_default_dtypes():
    ember.set_default_dtype(ember.float64)
    torch.set_default_dtype(torch.float64)
    try:
        assert repr(ember.finfo()) == repr(torch.finfo())
    finally:
        torch.set_default_dtype(torch.float32)
    assert ember.finfo(ember.float32) == ember.finfo(ember.float32)
    assert ember.finfo(ember.float32) != ember.finfo(ember.float16)
    with pytest.raises(TypeError):
        hash(ember.finfo())


@pytest.mark.parametrize("name", INTS)
def test_iinfo_matches_torch(name):
    e, t = ember.iinfo(getattr(ember, name)), torch.iinfo(getattr(torch, name))
    for attr in ("bits", "max", "min", "dtype"):
        assert getattr(e, attr) == getattr(t, attr), attr
        assert type(getattr(e, attr)) is type(getattr(t, attr)), attr
    assert repr(e) == repr(t)


@pytest.mark.parametrize("call", ["finfo(m.int32)", "finfo(m.bool)", "iinfo(m.float32)",
                                  "iinfo(m.bool)", "iinfo(m.bfloat16)", "finfo('float32')",
                                  "iinfo('int32')", "finfo(m.ones(1))"])
def test_wrong_kinds_raise_torchs_type_error(call):
    messages = []
    for m in (ember, torch):
        with pytest.raises(TypeError) as err:
            eval("m." + call, {"m": m})
        messages.append(str(err.value))
    assert messages[0] == messages[1]


def test_bfloat16_is_named_and_promoted_but_makes_no_tensors():
    assert repr(ember.bfloat16) == "torch.bfloat16" and ember.bfloat16.is_floating_point
    for a in ("bool", "uint8", "int64", "float16", "bfloat16", "float32", "float64"):
        assert repr(ember.promote_types(ember.bfloat16, getattr(ember, a))) == \
            repr(torch.promote_types(torch.bfloat16, getattr(torch, a)))
    for make in (lambda: ember.zeros(2, dtype=ember.bfloat16),
                 lambda: ember.ones(2).to(ember.bfloat16),
                 lambda: ember.tensor([1.0], dtype=ember.bfloat16),
                 lambda: ember.set_default_dtype(ember.bfloat16)):
        with pytest.raises(TypeError, match="no torch.bfloat16 tensors"):
            make()
    assert ember.get_default_dtype() is ember.float32


@pytest.mark.parametrize("call", ["finfo(float)", "iinfo(int)"])
def test_python_types_stand_for_their_dtypes(call):
    assert repr(eval("m." + call, {"m": ember})) == repr(eval("m." + call, {"m": torch}))
