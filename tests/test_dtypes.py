"""dtypes and type promotion against torch: names, facts, promote_types,
result_type with 0-dim tensors and Python scalars, the default dtype."""
import itertools

import numpy as np
import pytest
import torch

import ember
from helpers import DTYPE_NAMES


def E(name):
    return getattr(ember, name)


def T(name):
    return getattr(torch, name)


@pytest.mark.parametrize("name", DTYPE_NAMES)
def test_dtype_facts(name):
    e, t = E(name), T(name)
    assert repr(e) == repr(t) == str(e) == f"torch.{name}"
    assert (e.itemsize, e.is_floating_point, e.is_signed, e.is_complex) == \
           (t.itemsize, t.is_floating_point, t.is_signed, t.is_complex)


def test_aliases():
    for alias in ["half", "float", "double", "short", "int", "long"]:
        assert repr(getattr(ember, alias)) == repr(getattr(torch, alias))
    assert ember.float is ember.float32 and ember.long is ember.int64


@pytest.mark.parametrize("a,b", itertools.product(DTYPE_NAMES, DTYPE_NAMES))
def test_promote_types_and_can_cast(a, b):
    assert repr(ember.promote_types(E(a), E(b))) == repr(torch.promote_types(T(a), T(b)))
    assert ember.can_cast(E(a), E(b)) == torch.can_cast(T(a), T(b))


SCALARS = [True, 3, -2, 2.5, np.float64(1.5), np.int32(3)]


@pytest.mark.parametrize("a,b", itertools.product(DTYPE_NAMES, DTYPE_NAMES))
def test_result_type_of_tensors_and_zero_dim_tensors(a, b):
    def run(m, name_a, name_b):
        x = m.ones(2, dtype=getattr(m, name_a))
        z = m.ones((), dtype=getattr(m, name_b))
        y = m.ones(3, 1, dtype=getattr(m, name_b))
        return [repr(m.result_type(x, z)), repr(m.result_type(z, x)), repr(m.result_type(x, y)),
                repr((x + z).dtype) if "bool" not in (name_a, name_b) or name_a == name_b
                else None]
    assert run(ember, a, b) == run(torch, a, b)


@pytest.mark.parametrize("name", DTYPE_NAMES)
@pytest.mark.parametrize("scalar", SCALARS, ids=repr)
def test_result_type_with_python_and_numpy_scalars(name, scalar):
    def run(m):
        x = m.ones(2, dtype=getattr(m, name))
        z = m.ones((), dtype=getattr(m, name))
        return repr(m.result_type(x, scalar)), repr(m.result_type(z, scalar))
    assert run(ember) == run(torch)


def test_result_type_of_two_scalars():
    def run(m):
        return [repr(m.result_type(a, b)) for a, b in [(2, 3), (2, 2.5), (True, 2), (True, False),
                                                       (2.0, m.tensor(1)), (m.tensor(1), 2.5)]]
    assert run(ember) == run(torch)


def test_default_dtype_governs_float_creation():
    def run(m, d):
        m.set_default_dtype(getattr(m, d))
        try:
            return [repr(t.dtype) for t in [
                m.tensor([1.5]), m.tensor(1.5), m.arange(4.0), m.arange(0, 1, 0.5), m.zeros(2),
                m.ones(2), m.empty(1), m.full((2,), 1.5), m.linspace(0, 1, 3), m.logspace(0, 1, 3),
                m.eye(2), m.tensor([1]), m.tensor([1]) * 2.5, m.tensor([1]) / 2, m.Tensor([1]),
                m.tensor(np.float32(2)), m.tensor([np.float32(2)]), m.scalar_tensor(1),
                m.tensor([1, 2.5]), m.rand(2)]] + [repr(m.get_default_dtype())]
        finally:
            m.set_default_dtype(m.float32)
    for d in ["float64", "float16", "float32"]:
        assert run(ember, d) == run(torch, d)
    assert ember.get_default_dtype() is ember.float32


def test_set_default_dtype_refuses_non_float():
    for m in (ember, torch):
        with pytest.raises(TypeError, match="only floating-point types are supported as the "
                                            "default type"):
            m.set_default_dtype(m.int64)
        assert m.get_default_dtype() is m.float32


def test_is_floating_point():
    for name in DTYPE_NAMES:
        assert ember.is_floating_point(ember.ones(1, dtype=E(name))) == \
            torch.is_floating_point(torch.ones(1, dtype=T(name)))


def test_dtype_pickles_to_the_same_object():
    import pickle
    for name in DTYPE_NAMES:
        assert pickle.loads(pickle.dumps(E(name))) is E(name)


def outcome(m, fn):
    try:
        return "ok", repr(fn(m))
    except Exception as err:     # noqa: BLE001 - the exception is the result compared
        return "error", type(err).__name__, str(err)


@pytest.mark.parametrize("value", [None, "float64", "torch.float64", float, int, np.float64, 3])
def test_set_default_dtype_takes_a_dtype_object_only(value):
    # torch refuses names, Python types and NumPy types alike, and keeps the default
    def run(m):
        try:
            return outcome(m, lambda m: m.set_default_dtype(value)), repr(m.get_default_dtype())
        finally:
            m.set_default_dtype(m.float32)
    assert run(ember) == run(torch)


@pytest.mark.parametrize("args", [
    ("float32", float), ("float32", int), ("bool", bool),          # Python types are dtypes
    ("float32", "str"), ("float32", None), ("float32", "tensor"), ("float32", 3),
    (None, "float32"), ("list", "float32"),
])
def test_promote_types_and_can_cast_check_their_arguments(args):
    def arg(m, a):
        if a == "tensor":
            return m.ones(1)
        if a == "list":
            return [1]
        return getattr(m, a) if isinstance(a, str) and a != "str" else a

    for op in ["promote_types", "can_cast"]:
        fn = lambda m: getattr(m, op)(*(arg(m, a) for a in args))      # noqa: E731
        assert outcome(ember, fn) == outcome(torch, fn)


# --------------------------------------------------------- set_default_tensor_type
_TENSOR_TYPE_NAMES = [
    "torch.DoubleTensor", "torch.FloatTensor", "torch.HalfTensor", "torch.LongTensor",
    "torch.IntTensor", "torch.BoolTensor", "torch.ByteTensor", "torch.Foo", "DoubleTensor",
    "torch.cuda.FloatTensor", "torch.cuda.LongTensor", "torch.cuda.Foo", "torch.cuda",
    "torch.sparse.FloatTensor", "torch.sparse.BoolTensor", "torch.Tensor", "torch.float64",
    "torch.nn", "torch", "", "torch.", "numpy.float64"]


@pytest.mark.parametrize("name", _TENSOR_TYPE_NAMES)
def test_set_default_tensor_type_by_name_as_torch(name):
    import warnings
    outcomes = []
    for m in (torch, ember):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                m.set_default_tensor_type(name)
                outcomes.append(("ok", repr(m.get_default_dtype())))
            except Exception as err:     # noqa: BLE001 - the outcome is compared
                outcomes.append((type(err).__name__, str(err)))
            finally:
                m.set_default_dtype(m.float32)
    assert outcomes[0] == outcomes[1]


@pytest.mark.parametrize("arg", [3, None, "dtype", "Tensor"])
def test_set_default_tensor_type_refuses_objects_as_torch(arg):
    def call(m):
        value = getattr(m, "float64" if arg == "dtype" else "Tensor") \
            if isinstance(arg, str) else arg
        m.set_default_tensor_type(value)
    with pytest.raises(TypeError) as t_err:
        call(torch)
    with pytest.warns(UserWarning), pytest.raises(TypeError) as e_err:
        call(ember)
    assert str(e_err.value) == str(t_err.value)
    assert ember.get_default_dtype() is ember.float32


def test_set_default_tensor_type_warns_and_sets_the_default_dtype():
    with pytest.warns(UserWarning, match=r"^torch\.set_default_tensor_type\(\) is deprecated "
                      r"as of PyTorch 2\.1, please use torch\.set_default_dtype\(\) and "
                      r"torch\.set_default_device\(\) as alternatives\.$"):
        ember.set_default_tensor_type("torch.DoubleTensor")
    assert ember.tensor([1.5]).dtype is ember.float64
    with pytest.warns(UserWarning):
        ember.set_default_tensor_type("ember.HalfTensor")
    assert ember.get_default_dtype() is ember.float16


@pytest.mark.parametrize("case", [
    lambda m: m.promote_types(m.float32), lambda m: m.promote_types(),
    lambda m: m.promote_types(m.float32, None),
])
def test_promote_types_argument_errors_are_torchs(case):
    from helpers import assert_same_error
    assert_same_error(case)
