"""Bad arguments to the creation functions: torch's exception type and message.

Each case is ``lambda m: ...`` run with m = torch and m = ember; torch raises, and
ember must raise the same type with the same text."""
import numpy as np
import pytest

from helpers import assert_same_error


def _x(m):
    return m.tensor([[1., 2., 3.], [4., 5., 6.]])


CASES = {
    # dtype=, device=, requires_grad= of the factories, read as torch's parser reads them
    "zeros dtype str": lambda m: m.zeros(2, dtype="float32"),
    "zeros (2, 3) dtype str": lambda m: m.zeros((2, 3), dtype="a"),
    "zeros out and dtype str": lambda m: m.zeros(2, dtype="a", out=m.empty(2)),
    "ones dtype str": lambda m: m.ones(2, dtype="float32"),
    "empty dtype str": lambda m: m.empty(2, dtype="float32"),
    "full dtype str": lambda m: m.full((2,), 1, dtype="x"),
    "zeros requires_grad str": lambda m: m.zeros(2, requires_grad="a"),
    "ones requires_grad int": lambda m: m.ones(2, requires_grad=1),
    "empty requires_grad numpy bool": lambda m: m.empty(2, requires_grad=np.bool_(True)),
    "full requires_grad str": lambda m: m.full((2,), 1., requires_grad="a"),
    "zeros device float": lambda m: m.zeros(2, device=1.5),
    "ones device float": lambda m: m.ones(2, device=1.5),
    "empty device list": lambda m: m.empty(2, device=[1]),
    "tensor dtype str": lambda m: m.tensor(1, dtype="float"),
    "tensor of array dtype str": lambda m: m.tensor(np.ones(2), dtype="float32"),
    "tensor requires_grad str": lambda m: m.tensor(1., requires_grad="a"),
    "tensor requires_grad int": lambda m: m.tensor([1.], requires_grad=0),
    "tensor device float": lambda m: m.tensor(1, device=1.5),
    "as_tensor dtype str": lambda m: m.as_tensor(1, dtype="a"),
    "zeros_like dtype str": lambda m: m.zeros_like(_x(m), dtype="a"),
    "empty_like dtype str": lambda m: m.empty_like(_x(m), dtype="a"),
    "zeros_like requires_grad int": lambda m: m.zeros_like(_x(m), requires_grad=1),
    "zeros_like device unknown": lambda m: m.zeros_like(_x(m), device="xx"),
    "ones_like device float": lambda m: m.ones_like(_x(m), device=1.5),
    "new_zeros dtype str": lambda m: _x(m).new_zeros(2, dtype="a"),
    "new_ones requires_grad str": lambda m: _x(m).new_ones(2, requires_grad="a"),
    "new_full requires_grad str": lambda m: _x(m).new_full((2,), 1., requires_grad="a"),
    # arguments missing or too many, in torch's words
    "tensor()": lambda m: m.tensor(),
    "tensor(1, 2)": lambda m: m.tensor(1, 2),
    "as_tensor()": lambda m: m.as_tensor(),
    "as_tensor(1, dtype positionally)": lambda m: m.as_tensor(1, m.float32),
    "zeros_like()": lambda m: m.zeros_like(),
    "ones_like()": lambda m: m.ones_like(),
    "empty_like()": lambda m: m.empty_like(),
    "zeros_like(x, 2)": lambda m: m.zeros_like(_x(m), 2),
    "empty_like(x, 2)": lambda m: m.empty_like(_x(m), 2),
    "full_like(x)": lambda m: m.full_like(_x(m)),
    "full_like()": lambda m: m.full_like(),
    "full_like(x, 1, 2)": lambda m: m.full_like(_x(m), 1, 2),
    "full((2,))": lambda m: m.full((2,)),
    "full()": lambda m: m.full(),
    "full((2,), 1, 2)": lambda m: m.full((2,), 1, 2),
    "from_numpy()": lambda m: m.from_numpy(),
    "from_numpy(a, 1)": lambda m: m.from_numpy(np.zeros(2), 1),
    # data that holds no numbers
    "tensor int then str": lambda m: m.tensor([1, "a"]),
    "tensor float then str": lambda m: m.tensor([1., "a"]),
    "tensor nested str": lambda m: m.tensor([[1], ["a"]]),
    "tensor str first": lambda m: m.tensor(["a", 1]),
    "tensor nested str first": lambda m: m.tensor([["a"]]),
    "tensor bytes": lambda m: m.tensor(b"ab"),
    "tensor list of bytes": lambda m: m.tensor([b"ab"]),
    "as_tensor int then str": lambda m: m.as_tensor([1, "a"]),
    "tensor str with float dtype": lambda m: m.tensor([1, "a"], dtype=m.float32),
    "tensor bytes with float dtype": lambda m: m.tensor([1, b"a"], dtype=m.float64),
    "tensor None with float dtype": lambda m: m.tensor([1, None], dtype=m.float32),
    "tensor str with int dtype": lambda m: m.tensor([1, "a"], dtype=m.int64),
    "tensor str with bool dtype": lambda m: m.tensor([[1], ["a"]], dtype=m.bool),
    "new_tensor str": lambda m: _x(m).new_tensor([1, "a"]),
    "tensor None": lambda m: m.tensor([1, None]),
    "from_numpy object array": lambda m: m.from_numpy(np.array(["a"], dtype=object)),
    "from_numpy str array": lambda m: m.from_numpy(np.array(["a"])),
    "tensor of str array": lambda m: m.tensor(np.array(["a"])),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_arguments_raise_torchs_error(case):
    assert_same_error(case)


def test_accepted_dtypes_and_flags_still_work():
    import ember
    assert ember.zeros(2, dtype=float).dtype is ember.float64
    assert ember.tensor([1], dtype=int).dtype is ember.int64
    assert ember.zeros_like(ember.ones(2), requires_grad=None).requires_grad is False
    assert ember.ones(2, device="cpu:0", requires_grad=True).requires_grad


# the range factories have several signatures: torch's parser lists them all when none
# takes a call (compared here up to the first line, which names the types received)
FIRST_LINE = {
    "arange()": lambda m: m.arange(),
    "arange(0, 'a')": lambda m: m.arange(0, "a"),
    "arange(0, 5, 'a')": lambda m: m.arange(0, 5, "a"),
    "arange(0, 5, 1, 2)": lambda m: m.arange(0, 5, 1, 2),
    "arange unknown keyword": lambda m: m.arange(5, foo=1),
    "arange dtype str": lambda m: m.arange(5, dtype="a"),
    "arange requires_grad str": lambda m: m.arange(3., requires_grad="a"),
    "linspace()": lambda m: m.linspace(),
    "linspace(0, 1)": lambda m: m.linspace(0, 1),
    "linspace(0, 1, 'a')": lambda m: m.linspace(0, 1, "a"),
    "linspace(0, 1, 2.5)": lambda m: m.linspace(0, 1, 2.5),
    "linspace(0, 1, None)": lambda m: m.linspace(0, 1, None),
    "linspace('a', 1, 5)": lambda m: m.linspace("a", 1, 5),
    "linspace(0, 'a', 5)": lambda m: m.linspace(0, "a", 5),
    "linspace(0, 1, 5, 6)": lambda m: m.linspace(0, 1, 5, 6),
    "linspace unknown keyword": lambda m: m.linspace(0, 1, 5, base=2),
    "linspace dtype str": lambda m: m.linspace(0, 1, 5, dtype="a"),
    "logspace(0, 1)": lambda m: m.logspace(0, 1),
    "logspace(0, 1, 'a')": lambda m: m.logspace(0, 1, "a"),
    "logspace('a', 1, 5)": lambda m: m.logspace("a", 1, 5),
    "logspace(0, 1, 5, 'a')": lambda m: m.logspace(0, 1, 5, "a"),
    "logspace(0, 1, 5, 2, 3)": lambda m: m.logspace(0, 1, 5, 2, 3),
    "eye()": lambda m: m.eye(),
    "eye(2, 'a')": lambda m: m.eye(2, "a"),
    "eye(2, 3, 4)": lambda m: m.eye(2, 3, 4),
    "eye unknown keyword": lambda m: m.eye(2, foo=1),
    "eye dtype str": lambda m: m.eye(2, dtype="a"),
    "eye requires_grad str": lambda m: m.eye(2, requires_grad="a"),
}


@pytest.mark.parametrize("case", FIRST_LINE.values(), ids=FIRST_LINE.keys())
def test_calls_no_signature_takes_raise_torchs_first_line(case):
    assert_same_error(case, first_line=True)


@pytest.mark.parametrize("case", [
    lambda m: m.eye(None), lambda m: m.eye("a"), lambda m: m.arange(None),
    lambda m: m.arange("a"),
])
def test_one_bad_number_gets_torchs_single_text(case):
    assert_same_error(case)


@pytest.mark.parametrize("case", [
    lambda m: m.arange(5), lambda m: m.arange(0, 1, 0.25), lambda m: m.arange(m.tensor(3)),
    lambda m: m.linspace(0, 1, 3), lambda m: m.linspace(m.tensor(0.), m.tensor(1.), 3),
    lambda m: m.logspace(0, 2, 3, base=2), lambda m: m.logspace(0, 2, 3, 2),
    lambda m: m.eye(2, 3), lambda m: m.eye(2, dtype=int), lambda m: m.arange(3, dtype=float),
])
def test_the_range_calls_next_to_them_still_work(case):
    import torch

    import ember
    from helpers import assert_same
    assert_same(case(ember), case(torch))
