"""ember.Size against torch.Size: printing, tuple behaviour, slicing, arithmetic."""
import pickle

import pytest
import torch

import ember


def outcome(m, fn):
    try:
        r = fn(m)
        return "ok", (repr(r), type(r).__name__.replace("Size", "S")) if isinstance(
            r, (ember.Size, torch.Size)) else r
    except Exception as err:     # noqa: BLE001 - the exception is the result compared
        return "error", type(err).__name__, str(err)


CASES = {
    "repr": lambda m: repr(m.Size([3, 4])),
    "str": lambda m: str(m.Size([3, 4])),
    "empty": lambda m: (repr(m.Size([])), repr(m.Size())),
    "one": lambda m: str(m.Size([5])),
    "from tensor shape": lambda m: m.ones(2, 0, 3).shape,
    "slice": lambda m: m.Size([2, 3, 4])[1:],
    "reverse": lambda m: m.Size([2, 3, 4])[::-1],
    "index": lambda m: (m.Size([2, 3, 4])[-1], m.Size([2, 3])[0]),
    "numel": lambda m: (m.Size([2, 3, 4]).numel(), m.Size([]).numel(), m.Size([2, 0]).numel()),
    "add": lambda m: m.Size([2]) + (3,),
    "add size": lambda m: m.Size([2]) + m.Size([3]),
    "radd": lambda m: (3,) + m.Size([2]),
    "add list": lambda m: m.Size([2]) + [3],
    "mul": lambda m: m.Size([2, 1]) * 2,
    "rmul": lambda m: 2 * m.Size([2]),
    "eq tuple": lambda m: (m.Size([2, 3]) == (2, 3), m.Size([2, 3]) == [2, 3]),
    "count index": lambda m: (m.Size([2, 3, 2]).count(2), m.Size([2, 3]).index(3)),
    "float item": lambda m: m.Size([2.5]),
    "int tensor item": lambda m: m.Size([m.tensor(2)]),
    "bool item": lambda m: m.Size([True]),
    "not iterable": lambda m: m.Size(3),
    "negative": lambda m: m.Size([-1]),
    "unpack": lambda m: (lambda a, b: a * b)(*m.Size([2, 3])),
    "len": lambda m: len(m.Size([2, 3, 4])),
    "hash": lambda m: hash(m.Size([2, 3])) == hash((2, 3)),
    "pickle": lambda m: pickle.loads(pickle.dumps(m.Size([2, 3]))),
    "format": lambda m: f"{m.Size([2, 3])}",
    "list": lambda m: list(m.Size([2, 3])),
}


@pytest.mark.parametrize("case", CASES)
def test_size_like_torch(case):
    fn = CASES[case]
    assert outcome(ember, fn) == outcome(torch, fn)


def test_list_plus_size_is_a_type_error():
    for m in (ember, torch):
        with pytest.raises(TypeError, match="can only concatenate list"):
            [3] + m.Size([2])


def test_size_is_a_tuple():
    s = ember.ones(2, 3).shape
    assert isinstance(s, tuple) and isinstance(s, ember.Size)
    assert ember.zeros(s).shape == s
