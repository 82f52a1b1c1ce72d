"""repr(tensor) must match torch 2.13 character for character.

Most tests are differential: the same NumPy array is printed by ember's
``format_tensor`` and by ``repr(torch.from_numpy(arr))``.
"""
import importlib
import importlib.util
import math
import sys
import types
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import array_shapes

SRC = Path(__file__).resolve().parents[1] / "src"


def _import_printing():
    """``ember._printing`` and ``ember._dtypes``, even if ``ember/__init__`` is broken.

    The fallback registers a bare package stub so that the two modules load
    without running the rest of the package, then removes it again.
    """
    if importlib.util.find_spec("ember") is None:
        sys.path.append(str(SRC))
    try:
        return (importlib.import_module("ember._printing"),
                importlib.import_module("ember._dtypes"))
    except Exception:   # the package is mid-construction: load just our two modules
        saved = {k: sys.modules.pop(k) for k in list(sys.modules)
                 if k == "ember" or k.startswith("ember.")}
        stub = types.ModuleType("ember")
        stub.__path__ = [str(SRC / "ember")]
        sys.modules["ember"] = stub
        try:
            return (importlib.import_module("ember._printing"),
                    importlib.import_module("ember._dtypes"))
        finally:
            for k in [k for k in sys.modules if k == "ember" or k.startswith("ember.")]:
                del sys.modules[k]
            sys.modules.update(saved)


P, D = _import_printing()

SETTINGS = settings(max_examples=400, deadline=None, database=None)
ALL_NP = [np.bool_, np.uint8, np.int8, np.int16, np.int32, np.int64,
          np.float16, np.float32, np.float64]
FLOAT_NP = [np.float16, np.float32, np.float64]


@pytest.fixture(autouse=True)
def _reset_printoptions():
    """Every test starts and ends with default options in both libraries."""
    P.set_printoptions(profile="default")
    torch.set_printoptions(profile="default")
    yield
    P.set_printoptions(profile="default")
    torch.set_printoptions(profile="default")
    D.set_default_dtype(D.float32)
    torch.set_default_dtype(torch.float32)


def ember_repr(arr, **kw):
    return P.format_tensor(arr, D.FROM_NUMPY[arr.dtype], **kw)


def torch_repr(arr, requires_grad=False, grad_fn=False):
    t = torch.from_numpy(arr.copy(order="C"))   # ascontiguousarray would make 0-dim 1-D
    if requires_grad or grad_fn:
        t.requires_grad_()
    if grad_fn:
        t = t * 1      # MulBackward0
    return repr(t)


def assert_same(arr, **kw):
    """ember's text equals torch's for ``arr`` (plain, and with autograd suffixes)."""
    arr = np.asarray(arr)
    assert ember_repr(arr) == torch_repr(arr)
    if arr.dtype.kind == "f":
        assert ember_repr(arr, requires_grad=True) == torch_repr(arr, requires_grad=True)
        assert (ember_repr(arr, requires_grad=True, grad_fn_name="MulBackward0", is_leaf=False)
                == torch_repr(arr, grad_fn=True))


# ------------------------------------------------------------------ strategies
SPECIALS = [0.0, -0.0, math.nan, math.inf, -math.inf]


def _float_family():
    """Value families that steer torch's formatter into each of its modes."""
    return st.sampled_from(["fixed", "int", "wild", "special", "scale"])


@st.composite
def float_elements(draw, family):
    special = st.sampled_from(SPECIALS)
    if family == "fixed":      # fixed-point: magnitudes within 1000x of each other
        base = st.floats(-50, 50).map(lambda v: round(v, draw(st.integers(0, 6))))
    elif family == "int":      # integer-valued floats print as "3."
        base = st.integers(-10**6, 10**6).map(float)
    elif family == "wild":     # anything, incl. huge and subnormal
        base = st.floats(allow_nan=True, allow_infinity=True)
    elif family == "scale":    # one magnitude, picked far from 1: tiny or huge fixed/sci
        e = draw(st.integers(-12, 12))
        base = st.floats(-9.99, 9.99).map(lambda v: v * 10.0 ** e)
    else:
        base = special
    return draw(st.one_of(base, base, base, special))


@st.composite
def arrays(draw, dtypes=ALL_NP):
    """A NumPy array of 0..4 dims (long rows possible) with a random dtype."""
    dtype = np.dtype(draw(st.sampled_from(dtypes)))
    shape = draw(st.one_of(
        array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4),
        array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=40)))
    n = int(np.prod(shape))
    if dtype.kind == "f":
        family = draw(_float_family())
        vals = draw(st.lists(float_elements(family), min_size=n, max_size=n))
        with np.errstate(over="ignore"):     # float16 overflow to inf is fine
            return np.array(vals, np.float64).astype(dtype).reshape(shape)
    if dtype.kind == "b":
        vals = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        return np.array(vals, dtype).reshape(shape)
    info = np.iinfo(dtype)
    vals = draw(st.lists(st.integers(int(info.min), int(info.max)), min_size=n, max_size=n))
    return np.array(vals, dtype).reshape(shape)


# ------------------------------------------------------------------ differential
@SETTINGS
@given(arrays())
def test_matches_torch(arr):
    assert_same(arr)


@settings(max_examples=300, deadline=None, database=None)
@given(arrays(), st.integers(0, 8), st.integers(5, 120), st.integers(0, 4),
       st.integers(0, 60), st.sampled_from([None, True, False]))
def test_matches_torch_with_printoptions(arr, precision, linewidth, edgeitems, threshold, sci):
    opts = dict(precision=precision, linewidth=linewidth, edgeitems=edgeitems,
                threshold=threshold, sci_mode=sci)
    P.set_printoptions(**opts)
    torch.set_printoptions(**opts)
    assert_same(arr)


@settings(max_examples=60, deadline=None, database=None)
@given(arrays(FLOAT_NP))
def test_matches_torch_with_float64_default(arr):
    D.set_default_dtype(D.float64)
    torch.set_default_dtype(torch.float64)
    assert_same(arr)


# ------------------------------------------------------------------ explicit cases
def test_slide_outputs():
    assert ember_repr(np.array([0.5, 1, 2, 4], np.float32)) == "tensor([0.5000, 1.0000, 2.0000, 4.0000])"
    grid = np.array([[0, 1, 2], [3, 4, 5]], np.float32) / np.array([[1], [12]], np.float32)
    grid[0] /= 3
    assert ember_repr(grid.astype(np.float32)) == (
        "tensor([[0.0000, 0.3333, 0.6667],\n        [0.2500, 0.3333, 0.4167]])")
    assert (ember_repr(np.array(28.0, np.float32), grad_fn_name="MulBackward0")
            == "tensor(28., grad_fn=<MulBackward0>)")
    assert (ember_repr(np.array([1.0, 2.0], np.float32), requires_grad=True)
            == "tensor([1., 2.], requires_grad=True)")


@pytest.mark.parametrize("arr", [
    np.float32([0.0, math.nan, -math.inf]),           # no finite nonzero: width 1, no padding
    np.float32([1.0, -math.inf]),                      # "-inf" wider than the measured width
    np.float32([1e-5, -0.0, math.nan]),
    np.float32([-0.0]),
    np.float32([math.nan] * 3),
    np.float64([1e300, 1e-300]),
    np.float32([123456789.0]),                         # > 1e8: scientific
    np.float16([1.1, 65504, 6e-8]),                    # float16 incl. subnormal
    np.float16([0.1, 0.2, 0.3]),
    np.array(3, np.int16), np.array(True), np.array(-0.0, np.float32),
    np.zeros(0, np.float32), np.zeros(0, np.int64), np.zeros(0, np.bool_),
    np.zeros((0, 3), np.float32), np.zeros((2, 0, 1), np.uint8), np.zeros(0, np.float16),
    np.iinfo(np.int64).min * np.ones(3, np.int64),
])
def test_edge_values(arr):
    assert_same(arr)


@pytest.mark.parametrize("shape", [(1001,), (10**6,), (40, 30), (1000, 1000), (2, 600),
                                   (7, 7, 7, 7), (3, 2000), (11, 1, 101)])
def test_summarised(shape):
    arr = np.arange(math.prod(shape), dtype=np.float32).reshape(shape) / 7
    assert_same(arr)
    assert_same(np.arange(math.prod(shape)).reshape(shape))


def test_summarising_big_tensor_is_fast():
    import time
    arr = np.random.default_rng(0).standard_normal((2000, 2000)).astype(np.float32)
    start = time.perf_counter()
    text = ember_repr(arr)
    assert time.perf_counter() - start < 0.5
    assert text == torch_repr(arr)


def test_long_rows_wrap_with_suffix_on_last_line():
    for n in (20, 26, 27, 40, 100):
        assert_same(np.linspace(-1, 1, n).astype(np.float32))
        assert_same(np.linspace(-1, 1, n).astype(np.float64))
        assert_same(np.arange(n, dtype=np.int32) * 1000)


@pytest.mark.parametrize("profile", ["default", "short", "full"])
def test_profiles(profile):
    P.set_printoptions(profile=profile)
    torch.set_printoptions(profile=profile)
    assert P.get_printoptions() == torch._tensor_str.get_printoptions()
    assert_same(np.arange(1200, dtype=np.float32) / 3)
    assert_same(np.float32([[1.23456, 2], [3, 4]]))


def test_sci_mode_and_precision():
    for sci in (True, False):
        P.set_printoptions(sci_mode=sci, precision=2)
        torch.set_printoptions(sci_mode=sci, precision=2)
        assert_same(np.float32([1e-6, 1.5, 1e9]))
        assert_same(np.float32([0.0, -0.0]))     # all-zero ignores sci_mode
    P.set_printoptions(profile="default", sci_mode=True)
    assert ember_repr(np.float32([1, 2])) == "tensor([1.0000e+00, 2.0000e+00])"


def test_set_printoptions_semantics():
    assert P.get_printoptions() == dict(precision=4, threshold=1000, edgeitems=3,
                                        linewidth=80, sci_mode=None)
    P.set_printoptions(sci_mode=True)
    P.set_printoptions(precision=2)            # like torch, this resets sci_mode
    assert P.get_printoptions()["sci_mode"] is None
    P.set_printoptions(profile="full")
    assert P.get_printoptions()["threshold"] == math.inf


def test_edgeitems_zero_adds_size():
    P.set_printoptions(edgeitems=0, threshold=5)
    torch.set_printoptions(edgeitems=0, threshold=5)
    for arr in (np.arange(10.0, dtype=np.float32), np.float32(3.0),
                np.ones((4, 4), np.int32), np.ones(3)):
        assert_same(np.asarray(arr))


def test_default_dtype_float64_suffixes():
    D.set_default_dtype(D.float64)
    torch.set_default_dtype(torch.float64)
    assert ember_repr(np.float32([1.5])) == "tensor([1.5000], dtype=torch.float32)"
    assert ember_repr(np.float64([1.5])) == "tensor([1.5000])"
    assert ember_repr(np.zeros(0, np.float32)) == "tensor([], dtype=torch.float32)"
    assert_same(np.zeros((0, 2)))


@pytest.mark.parametrize("shape", [(8,), (8, 2), (2, 8), (8, 8), (2, 2)])
def test_non_integer_edgeitems_raises_torchs_type_error(shape):
    """A float ``edgeitems`` fails as torch's does, once a dimension is cut."""
    P.set_printoptions(edgeitems=1.5, threshold=2)
    torch.set_printoptions(edgeitems=1.5, threshold=2)
    arr = np.zeros(shape, np.float32)
    try:
        expected = torch_repr(arr)
    except TypeError as err:
        with pytest.raises(TypeError) as got:
            ember_repr(arr)
        assert str(got.value) == str(err)
    else:
        assert ember_repr(arr) == expected
