"""default_collate / default_convert against torch's: the same structures, types,
dtypes, shapes and values."""
import collections

import numpy as np
import pytest
import torch
from torch.utils.data import default_collate as t_collate, default_convert as t_convert

import ember
from ember.utils.data import default_collate as e_collate, default_convert as e_convert
from utils.data.collate_kit import Point, assert_same_structure, to_ember

rng = np.random.default_rng(0)
SAMPLES = {
    "float tensors": [torch.tensor(rng.standard_normal(3), dtype=torch.float32) for _ in range(4)],
    "0-dim tensors": [torch.tensor(i) for i in range(5)],
    "int tensors 2d": [torch.arange(6).reshape(2, 3) + i for i in range(3)],
    "python ints": [1, 2, 3],
    "python floats": [0.5, 1.5, -2.0],
    "python bools": [True, False, True],
    "strings": ["a", "bc", "def"],
    "bytes": [b"a", b"b"],
    "numpy float32 arrays": [rng.standard_normal((2, 2)).astype(np.float32) for _ in range(3)],
    "numpy int arrays": [np.arange(3) * i for i in range(4)],
    "numpy float scalars": [np.float64(1.5), np.float64(2.5)],
    "numpy float32 scalars": [np.float32(1.5), np.float32(2.5)],
    "numpy int32 scalars": [np.int32(1), np.int32(7)],
    "numpy bool scalars": [np.bool_(True), np.bool_(False)],
    "tuples (x, y)": [(torch.tensor([1.0, 2.0]), 0), (torch.tensor([3.0, 4.0]), 1)],
    "lists": [[1, 2.0, "a"], [3, 4.0, "b"]],
    "dicts": [{"x": torch.ones(2), "label": 1, "name": "a"},
              {"x": torch.zeros(2), "label": 0, "name": "b"}],
    "namedtuples": [Point(1.0, torch.tensor([1])), Point(2.0, torch.tensor([2]))],
    "nested": [{"a": (torch.ones(2, 2), [1, 2]), "b": {"c": np.zeros(3), "d": 1.0}}
               for _ in range(3)],
    "ordered dicts": [collections.OrderedDict(b=1, a=2.0), collections.OrderedDict(b=3, a=4.0)],
    "tuples of strings": [("a", 1), ("b", 2)],
}


@pytest.mark.parametrize("name", list(SAMPLES))
def test_default_collate_matches_torch(name):
    batch = SAMPLES[name]
    assert_same_structure(e_collate(to_ember(batch)), t_collate(batch))


@pytest.mark.parametrize("name", list(SAMPLES))
def test_default_convert_matches_torch(name):
    for sample in SAMPLES[name]:
        assert_same_structure(e_convert(to_ember(sample)), t_convert(sample))


def test_collated_float_tensors_keep_their_dtype():
    out = e_collate([ember.ones(2, dtype=ember.float32), ember.zeros(2, dtype=ember.float32)])
    assert out.dtype is ember.float32 and out.shape == (2, 2)


@pytest.mark.parametrize("batch", [
    [{"x": 1}, {"y": 2}],
])
def test_missing_key_is_a_key_error_like_torch(batch):
    with pytest.raises(KeyError):
        t_collate(batch)
    with pytest.raises(KeyError):
        e_collate(batch)


def test_errors_match_torch():
    for batch in ([object(), object()], [np.array(["a"]), np.array(["b"])],
                  [[1, 2], [1, 2, 3]], [None, None]):
        with pytest.raises(Exception) as te:
            t_collate(batch)
        with pytest.raises(Exception) as ee:
            e_collate(batch)
        assert type(ee.value) is type(te.value)
        assert str(ee.value) == str(te.value)


def test_stacking_unequal_tensors_raises():
    with pytest.raises(RuntimeError, match="stack expects each tensor to be equal size"):
        e_collate([ember.ones(2), ember.ones(3)])


def test_string_arrays_are_left_alone_by_convert():
    arr = np.array(["a", "b"])
    assert e_convert(arr) is arr
