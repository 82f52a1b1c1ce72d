"""ember.device against torch.device: construction, printing, comparison, errors."""
import pickle

import pytest
import torch

import ember


def plain(r):
    if isinstance(r, (ember.device, torch.device)):
        return repr(r)
    if isinstance(r, tuple):
        return tuple(plain(x) for x in r)
    return r


def outcome(m, fn):
    try:
        return "ok", plain(fn(m))
    except Exception as err:     # noqa: BLE001 - the exception is the result compared
        return "error", type(err).__name__, str(err)


CASES = {
    "cpu": lambda m: m.device("cpu"),
    "cpu str": lambda m: (str(m.device("cpu")), repr(m.device("cpu"))),
    "cpu index": lambda m: (m.device("cpu", 0), m.device("cpu:0").index, str(m.device("cpu:0"))),
    "cuda": lambda m: (repr(m.device("cuda")), repr(m.device("cuda:1")), m.device("cuda", 1).index),
    "mps named": lambda m: m.device("mps"),
    "type attr": lambda m: (m.device("cpu").type, m.device("cpu").index),
    "copy": lambda m: m.device(m.device("cpu")),
    "keyword": lambda m: m.device(type="cpu"),
    "eq": lambda m: (m.device("cpu") == m.device("cpu"), m.device("cpu") == m.device("cpu", 0),
                     m.device("cpu") != m.device("cuda")),
    "hash": lambda m: {m.device("cpu"): 1}[m.device("cpu")],
    "pickle": lambda m: pickle.loads(pickle.dumps(m.device("cpu"))),
    "unknown": lambda m: m.device("gpu"),
    "upper case": lambda m: m.device("CPU"),
    "bad index": lambda m: m.device("cuda:x"),
    "two colons": lambda m: m.device("cpu:0:1"),
    "negative": lambda m: m.device("cpu", -1),
    "tensor device": lambda m: (m.ones(1).device, m.ones(1).device == m.device("cpu")),
    # strings outside torch's grammar (name[:index], no leading zeros) are invalid, not
    # unknown device types
    "dtype name": lambda m: m.device("float32"),
    "leading zero": lambda m: m.device("cpu:01"),
    "empty index": lambda m: m.device("cpu:"),
    "no name": lambda m: m.device(":0"),
    "space": lambda m: m.device(" cpu"),
    "underscore": lambda m: m.device("cpu_x"),
    "two indices": lambda m: m.device("cpu:0", 0),
    "float index": lambda m: m.device("cpu", 1.0),
    "bool index": lambda m: m.device("cpu", True),
    "device and index": lambda m: m.device(m.device("cpu"), 0),
    "None": lambda m: m.device(None),
    "int": lambda m: m.device(0),
    "negative int": lambda m: m.device(-1),
    "negative in string": lambda m: m.device("cpu:-1"),
    "index None": lambda m: m.device("cpu", None),
}


@pytest.mark.parametrize("case", CASES)
def test_device_like_torch(case):
    fn = CASES[case]
    assert outcome(ember, fn) == outcome(torch, fn)


def test_comparing_with_a_string_is_false_like_torch_but_warns():
    assert (torch.device("cpu") == "cpu") is False
    with pytest.warns(UserWarning, match="always False"):
        assert (ember.device("cpu") == "cpu") is False


def test_only_the_cpu_can_hold_tensors():
    for where in ["cuda", "cuda:0", ember.device("cuda", 1)]:
        with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
            ember.ones(2, device=where)
    assert ember.ones(2, device="cpu").device == ember.device("cpu")
    assert ember.ones(2, device=ember.device("cpu", 0)).device.type == "cpu"


@pytest.mark.parametrize("where", [0, "float32", "cpu:01"])
def test_bad_device_arguments_of_to_raise_torch_errors(where):
    # (Tensor.to reads a string as a device: a dtype name is an invalid device string)
    fn = lambda m: m.ones(2).to(where)      # noqa: E731
    assert outcome(ember, fn) == outcome(torch, fn)


@pytest.mark.parametrize("case", [
    lambda m: m.device(), lambda m: m.device("cpu", foo=1), lambda m: m.device(None),
])
def test_device_argument_errors_are_torchs(case):
    from helpers import assert_same_error
    assert_same_error(case)
