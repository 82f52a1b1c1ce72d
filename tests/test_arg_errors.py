"""ember/_arg_errors.py: torch's argument-parser texts, compared with torch's own."""
import numpy as np
import pytest
import torch

import ember
from ember._arg_errors import invalid_combination, type_name, unpack_error, wrong_type


def _torch_message(call):
    with pytest.raises(TypeError) as err:
        call()
    return str(err.value)


@pytest.mark.parametrize("value, name", [
    ("a", "str"), (1.5, "float"), (None, "NoneType"), (np.float64(1.0), "numpy.float64"),
    (np.ones(2), "numpy.ndarray"),
])
def test_type_names_as_torch_names_them(value, name):
    assert type_name(value) == name
    msg = _torch_message(lambda: torch.ones(2).unsqueeze(value))
    assert msg.endswith(f"must be int, not {name}")


@pytest.mark.parametrize("value, torch_value, name", [
    (ember.float32, torch.float32, "torch.dtype"), (ember.device("cpu"), torch.device("cpu"),
                                                    "torch.device"),
    (ember.Size([2]), torch.Size([2]), "torch.Size"), (ember.ones(2), torch.ones(2), "Tensor"),
])
def test_ember_stand_ins_are_named_as_torchs_c_types(value, torch_value, name):
    assert type_name(value) == name
    msg = _torch_message(lambda: torch.ones(2).unsqueeze(torch_value))
    assert msg.endswith(f"must be int, not {name}")


def test_wrong_type_reads_as_torch():
    assert str(wrong_type("add", "other", 2, "Tensor", "a")) == _torch_message(
        lambda: torch.add(torch.ones(2), "a"))
    assert str(wrong_type("unsqueeze", "dim", None, "int", "a")) == _torch_message(
        lambda: torch.ones(2).unsqueeze(dim="a"))


def test_unpack_error_reads_as_torch():
    assert str(unpack_error("permute", "dims", 2, "a")) == _torch_message(
        lambda: torch.ones(2, 2).permute(0, "a"))


def test_invalid_combination_reads_as_torch():
    signatures = ["(Tensor input, *, torch.dtype dtype = None)",
                  "(Tensor input, tuple of ints dim, bool keepdim = False, *, torch.dtype dtype "
                  "= None, Tensor out = None)"]
    ours = invalid_combination("sum", (ember.ones(2),), {"dim": "a"}, signatures)
    assert str(ours) == _torch_message(lambda: torch.sum(torch.ones(2), dim="a"))


def inv(A):
    """(a module-level function: Python names it by its qualified name in binding errors)"""
    return A


def test_binding_error_rewords_pythons_texts_as_torchs():
    from ember._arg_errors import binding_error
    for call, torch_call in [(lambda: inv(), lambda: torch.linalg.inv()),
                             (lambda: inv(1, 2), lambda: torch.linalg.inv(torch.eye(2), 2)),
                             (lambda: inv(1, foo=1), lambda: torch.linalg.inv(torch.eye(2),
                                                                              foo=1))]:
        with pytest.raises(TypeError) as err:
            call()
        assert str(binding_error(err.value, "inv", "linalg_inv")) == _torch_message(torch_call)
    assert binding_error(TypeError("inv(): argument 'A' must be Tensor"), "inv", "x") is None


def test_plausible_signatures_follow_torchs_choice_of_text():
    from ember._arg_errors import plausible_signatures
    sort = ["(Tensor input, *, bool stable, int dim = -1, bool descending = False)",
            "(Tensor input, int dim = -1, bool descending = False)"]
    # one plausible signature for one argument: torch words that signature's error
    assert plausible_signatures(sort, 1) == sort[1:]
    assert "argument 'input' (position 1)" in _torch_message(lambda: torch.sort([1.0]))
    # two for two: torch lists them
    assert plausible_signatures(sort, 2) == sort
    assert "invalid combination" in _torch_message(lambda: torch.sort(torch.ones(2), "a"))


def _probe(x):
    from ember._arg_errors import called_as_method
    return called_as_method(1)


def test_a_method_twin_runs_the_same_code_and_knows_it_was_called_as_a_method():
    from ember._arg_errors import method_twin
    twin = method_twin(_probe)
    assert twin.__code__.co_code == _probe.__code__.co_code
    assert twin(1) is True and _probe(1) is False
    assert twin.__qualname__ == "Tensor._probe"
