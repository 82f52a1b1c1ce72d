"""Memory formats, and copies that keep their input's layout: differential tests
against torch over random views (permuted, sliced with steps, expanded, empty, 0-dim)."""
import copy
import pickle
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import ember
from helpers import outcome_in

FORMATS = ["preserve_format", "contiguous_format", "channels_last", "channels_last_3d"]


# ------------------------------------------------------------ the format objects
@pytest.mark.parametrize("name", FORMATS)
def test_formats_print_and_behave_like_torchs(name):
    fmt = getattr(ember, name)
    assert repr(fmt) == repr(getattr(torch, name)) == f"torch.{name}"
    assert str(fmt) == str(getattr(torch, name))
    assert isinstance(fmt, ember.memory_format)
    assert pickle.loads(pickle.dumps(fmt)) is fmt
    assert copy.deepcopy(fmt) is fmt
    assert len({ember.preserve_format, ember.contiguous_format, ember.channels_last,
                ember.channels_last_3d}) == 4


def test_memory_format_cannot_be_instantiated():
    with pytest.raises(TypeError, match="cannot create 'torch.memory_format' instances"):
        ember.memory_format()


# ------------------------------------------------------------ random views
@st.composite
def view_specs(draw, min_rank=0, max_rank=5):
    """A recipe for a view: base shape, permutation, per-dim slices, an expanded dim."""
    rank = draw(st.integers(min_rank, max_rank))
    shape = draw(st.lists(st.integers(0, 4), min_size=rank, max_size=rank))
    if draw(st.booleans()):                  # mostly non-empty
        shape = [max(s, 1) for s in shape]
    perm = draw(st.permutations(range(rank)))
    slices = [(draw(st.integers(0, 1)), draw(st.integers(1, 2))) if draw(st.booleans())
              else None for _ in range(rank)]
    expand = draw(st.integers(-1, rank - 1)) if rank else -1
    return shape, perm, slices, expand


def make(m, spec, dtype="float32", requires_grad=False):
    """The view ``spec`` describes, built with module ``m`` (ember or torch)."""
    shape, perm, slices, expand = spec
    n = int(np.prod(shape)) if shape else 1
    base = m.arange(n, dtype=getattr(m, dtype)).reshape(shape)
    if requires_grad:
        base = base.detach().requires_grad_()
    x = base.permute(*perm) if shape else base
    key = tuple(slice(s[0], None, s[1]) if s else slice(None) for s in slices)
    x = x[key]
    if expand >= 0 and x.shape[expand] == 1:
        sizes = list(x.shape)
        sizes[expand] = 3
        x = x.expand(*sizes)
    return base, x


def assert_layout_same(e, t, what=""):
    assert tuple(e.shape) == tuple(t.shape), what
    assert e.stride() == t.stride(), f"{what}: strides {e.stride()} != torch {t.stride()}"
    assert e.is_contiguous() == t.is_contiguous(), what
    for name in ("contiguous_format", "channels_last", "channels_last_3d"):
        assert (e.is_contiguous(memory_format=getattr(ember, name))
                == t.is_contiguous(memory_format=getattr(torch, name))), f"{what} {name}"
    assert str(e.dtype) == str(t.dtype), what


def same_outcome_layout(fn, what):
    """fn(m) with m = ember and torch: the same layout and values, or the same error."""
    r_e, r_t = outcome_in(ember, fn), outcome_in(torch, fn)
    assert r_e[0] == r_t[0], f"{what}: ember {r_e} vs torch {r_t}"
    if r_e[0] == "error":
        assert r_e[1:] == r_t[1:], what
        return None
    assert_layout_same(r_e[1], r_t[1], what)
    return r_e[1], r_t[1]


def _fmt(m, name):
    return getattr(m, name) if name else None


@settings(max_examples=60, deadline=None)
@given(view_specs(), st.sampled_from(FORMATS + [None]))
def test_clone_keeps_layout_like_torch(spec, fmt):
    def run(m):
        x = make(m, spec)[1]
        return x.clone() if fmt is None else m.clone(x, memory_format=_fmt(m, fmt))
    got = same_outcome_layout(run, f"clone {spec} {fmt}")
    if got:
        np.testing.assert_array_equal(got[0].numpy(), got[1].numpy())
        _, x = make(ember, spec)
        assert got[0]._data.size == 0 or not np.shares_memory(got[0]._data, x._data)


@settings(max_examples=50, deadline=None)
@given(view_specs(), st.sampled_from(FORMATS + [None]),
       st.sampled_from(["empty_like", "zeros_like", "ones_like", "full_like", "rand_like",
                        "randn_like", "randint_like"]))
def test_like_functions_keep_layout_like_torch(spec, fmt, fname):
    def run(m):
        x = make(m, spec)[1]
        kw = {} if fmt is None else {"memory_format": _fmt(m, fmt)}
        if fname == "full_like":
            return m.full_like(x, 7, **kw)
        if fname == "randint_like":
            return m.randint_like(x, 5, **kw)
        return getattr(m, fname)(x, **kw)
    got = same_outcome_layout(run, f"{fname} {spec} {fmt}")
    if got and fname in ("zeros_like", "ones_like", "full_like"):
        np.testing.assert_array_equal(got[0].numpy(), got[1].numpy())


@settings(max_examples=50, deadline=None)
@given(view_specs(), st.sampled_from(["double", "float", "half", "to_int", "type", "copy"]))
def test_casts_keep_layout_like_torch(spec, how):
    def run(m):
        x = make(m, spec, dtype="float64" if how == "float" else "float32")[1]
        if how == "to_int":
            return x.to(m.int32)
        if how == "type":
            return x.type(m.float64)
        if how == "copy":
            return x.to(m.float32, copy=True)
        return getattr(x, how)()
    got = same_outcome_layout(run, f"{how} {spec}")
    np.testing.assert_array_equal(got[0].numpy(), got[1].numpy())


@settings(max_examples=50, deadline=None)
@given(view_specs(min_rank=3), st.sampled_from(FORMATS + [None]))
def test_to_memory_format_like_torch(spec, fmt):
    def run(m):
        x = make(m, spec)[1]
        y = x.to(memory_format=_fmt(m, fmt)) if fmt else x.to(m.float64)
        return y, y is x
    r_e, r_t = outcome_in(ember, run), outcome_in(torch, run)
    assert r_e[0] == r_t[0] and (r_e[0] == "ok" or r_e[1:] == r_t[1:]), (r_e, r_t)
    if r_e[0] == "ok":
        assert r_e[1][1] == r_t[1][1], "returns self exactly when torch does"
        assert_layout_same(r_e[1][0], r_t[1][0], f"to {spec} {fmt}")


@settings(max_examples=60, deadline=None)
@given(view_specs(min_rank=3), st.sampled_from(FORMATS + [None]))
def test_contiguous_like_torch(spec, fmt):
    def run(m):
        x = make(m, spec)[1]
        y = x.contiguous() if fmt is None else x.contiguous(memory_format=_fmt(m, fmt))
        return y, y is x
    r_e, r_t = outcome_in(ember, run), outcome_in(torch, run)
    assert r_e[0] == r_t[0] and (r_e[0] == "ok" or r_e[1:] == r_t[1:]), (r_e, r_t)
    if r_e[0] == "ok":
        assert r_e[1][1] == r_t[1][1], "returns self exactly when torch does"
        assert_layout_same(r_e[1][0], r_t[1][0], f"contiguous {spec} {fmt}")
        np.testing.assert_array_equal(r_e[1][0].numpy(), r_t[1][0].numpy())


@settings(max_examples=40, deadline=None)
@given(view_specs(), st.sampled_from(["clone", "clone_cf", "double", "contiguous"]))
def test_gradients_through_layout_copies_like_torch(spec, how):
    def grads(m):
        base, x = make(m, spec, dtype="float64", requires_grad=True)
        if how == "clone":
            y = x.clone()
        elif how == "clone_cf":
            y = x.clone(memory_format=m.contiguous_format)
        elif how == "double":
            y = x.float().double()
        else:
            y = x.contiguous()
        if how.startswith("clone"):
            assert type(y.grad_fn).__name__ == "CloneBackward0"
        w = m.arange(y.numel(), dtype=m.float64).reshape(y.shape)
        (y * w).sum().backward()
        return base.grad
    g_e, g_t = grads(ember), grads(torch)
    assert tuple(g_e.shape) == tuple(g_t.shape)
    np.testing.assert_allclose(g_e.numpy(), g_t.numpy())


# ------------------------------------------------------------ the C-order fast lane
# NumPy flags these as C-contiguous although a size-1 dim carries a stride C order
# would not give it (or they are empty); torch keeps such strides in a
# preserve_format copy, so the fast lane of clone / *_like / to must leave them alone.
ODD_STRIDED = {
    "row of a matrix": lambda m: m.arange(20.).reshape(4, 5)[1:2, 0:3],      # (5, 1)
    "column of a transpose": lambda m: m.arange(6.).reshape(2, 3).t()[:, 1:2],   # (1, 3)
    "one element, stepped": lambda m: m.arange(10.)[::3][:1],             # (3,)
    "size-1 dims in a 4-d": lambda m: m.arange(24.).reshape(2, 3, 4).permute(2, 0, 1)[:1, 1:2],
    "empty transpose": lambda m: m.zeros(0, 3).t(),
    "empty slice": lambda m: m.zeros(4, 3)[:, 1:1],
    "plain": lambda m: m.arange(6.).reshape(2, 3),
    "plain with size-1 dims": lambda m: m.arange(6.).reshape(2, 1, 3, 1),
}
COPIES = {
    "clone": lambda m, x: x.clone(),
    "clone preserve": lambda m, x: m.clone(x, memory_format=m.preserve_format),
    "clone contiguous": lambda m, x: x.clone(memory_format=m.contiguous_format),
    "zeros_like": lambda m, x: m.zeros_like(x),
    "ones_like int": lambda m, x: m.ones_like(x, dtype=m.int32),
    "empty_like": lambda m, x: m.empty_like(x),
    "full_like": lambda m, x: m.full_like(x, 3, memory_format=m.preserve_format),
    "rand_like": lambda m, x: m.rand_like(x),
    "randn_like": lambda m, x: m.randn_like(x, dtype=m.float64),
    "randint_like": lambda m, x: m.randint_like(x, 4),
    "double": lambda m, x: x.double(),
    "to int32": lambda m, x: x.to(m.int32),
    "type": lambda m, x: x.type(m.float16),
    "to copy": lambda m, x: x.to(m.float32, copy=True),
    "to contiguous int": lambda m, x: x.to(m.int64, memory_format=m.contiguous_format),
}


@pytest.mark.parametrize("copy_name", list(COPIES))
@pytest.mark.parametrize("input_name", list(ODD_STRIDED))
def test_copies_of_c_flagged_inputs_keep_torchs_strides(input_name, copy_name):
    def run(m):
        return COPIES[copy_name](m, ODD_STRIDED[input_name](m))
    got = same_outcome_layout(run, f"{copy_name} of {input_name}")
    if "rand" not in copy_name and "empty" not in copy_name:
        np.testing.assert_array_equal(got[0].numpy(), got[1].numpy())


@pytest.mark.parametrize("dtype", ["float64", "float16", "int32", "bool"])
def test_to_memory_format_and_dtype_at_once_like_torch(dtype):
    """The cast happens while copying into the new layout: values, dtype and strides."""
    def run(m):
        x = (m.arange(120.).reshape(2, 3, 4, 5) - 60) / 7
        return x.to(getattr(m, dtype), memory_format=m.channels_last)
    e, t = same_outcome_layout(run, dtype)
    np.testing.assert_array_equal(e.numpy(), t.numpy())


def test_to_memory_format_with_a_new_dtype_carries_the_gradient():
    for m in (ember, torch):
        x = m.arange(24., dtype=m.float32).reshape(1, 2, 3, 4).requires_grad_()
        y = x.to(m.float64, memory_format=m.channels_last)
        assert type(y.grad_fn).__name__ == "ToCopyBackward0"
        (y * y).sum().backward()
        assert x.grad.dtype == m.float32
        np.testing.assert_allclose(x.grad.numpy(), 2 * x.detach().numpy())


@pytest.mark.parametrize("args", [("channels_last",), ("contiguous_format", "channels_last")])
def test_is_contiguous_takes_the_format_by_keyword_only(args):
    def run(m):
        return m.ones(2, 3).is_contiguous(*(getattr(m, a) for a in args))
    r_e, r_t = outcome_in(ember, run), outcome_in(torch, run)
    assert r_e == r_t
    assert r_t[:2] == ("error", "TypeError")


# ------------------------------------------------------------ errors
@pytest.mark.parametrize("call", [
    lambda m, x: x.clone(memory_format=1),
    lambda m, x: m.clone(x, memory_format="channels_last"),
    lambda m, x: x.contiguous(memory_format=None),
    lambda m, x: x.contiguous(memory_format=m.preserve_format),
    lambda m, x: x.is_contiguous(memory_format=None),
    lambda m, x: m.empty_like(x, memory_format=2.0),
    lambda m, x: m.zeros_like(x, memory_format=m.float32),
    lambda m, x: m.ones_like(x, memory_format=[]),
    lambda m, x: m.full_like(x, 1, memory_format=0),
    lambda m, x: x.clone(memory_format=m.channels_last),
    lambda m, x: x.contiguous(memory_format=m.channels_last_3d),
    lambda m, x: m.empty_like(x, memory_format=m.channels_last),
    lambda m, x: x.to(memory_format=m.channels_last),
    lambda m, x: m.rand_like(x, memory_format=m.channels_last_3d),
], ids=lambda c: "")
def test_errors_like_torch(call):
    r_e = outcome_in(ember, lambda m: call(m, m.ones(2, 3).t()))
    r_t = outcome_in(torch, lambda m: call(m, m.ones(2, 3).t()))
    assert r_e[0] == r_t[0] == "error"
    assert r_e[1] == r_t[1]
    if "rand_like" not in str(r_t[2]):       # torch's overload-listing message differs
        assert r_e[2] == r_t[2]


@pytest.mark.parametrize("fn", ["rand_like", "randn_like"])
def test_random_like_bad_format_is_a_type_error(fn):
    with pytest.raises(TypeError, match="memory_format"):
        getattr(ember, fn)(ember.ones(2), memory_format=3)
    with pytest.raises(TypeError, match="memory_format"):
        ember.ones(2).to(ember.float64, memory_format=3)


def test_is_contiguous_with_preserve_format_reads_c_order_like_torch():
    for m in (ember, torch):
        x = m.ones(2, 3)
        assert x.is_contiguous(memory_format=m.preserve_format)
        assert not x.t().is_contiguous(memory_format=m.preserve_format)


def test_failed_calls_leave_the_input_unchanged():
    x = ember.arange(6.).reshape(2, 3).t()
    with pytest.raises(RuntimeError):
        x.clone(memory_format=ember.channels_last)
    assert x.stride() == (1, 3) and x.tolist() == [[0.0, 3.0], [1.0, 4.0], [2.0, 5.0]]


# ------------------------------------------------------------ documented examples
def test_transposed_clone_keeps_strides():
    assert ember.arange(6.).reshape(2, 3).t().clone().stride() == (1, 3)
    assert torch.arange(6.).reshape(2, 3).t().clone().stride() == (1, 3)


def test_writes_to_a_clone_do_not_reach_the_input():
    x = ember.arange(6.).reshape(2, 3).t()
    y = x.clone()
    y[0, 0] = 100.0
    assert x[0, 0].item() == 0.0 and y.stride() == (1, 3)


def test_channels_last_clone_keeps_values():
    x = ember.arange(120.).reshape(2, 3, 4, 5)
    y = x.contiguous(memory_format=ember.channels_last)
    assert y.stride() == (60, 1, 15, 3) and y.is_contiguous(memory_format=ember.channels_last)
    assert not y.is_contiguous() and ember.equal(y, x)
    assert y.contiguous(memory_format=ember.channels_last) is y
    assert y.clone().stride() == y.stride()
    assert y.contiguous().stride() == (60, 20, 5, 1)


# ------------------------------------------------------------ tensor(ndarray)
@settings(max_examples=50, deadline=None)
@given(view_specs(max_rank=4), st.sampled_from([None, "float32", "int64"]))
def test_tensor_from_numpy_keeps_its_layout_like_torch(spec, dtype):
    shape, perm, slices, _ = spec
    arr = np.arange(int(np.prod(shape)) if shape else 1, dtype=np.float64).reshape(shape)
    arr = arr.transpose(perm)[tuple(slice(s[0], None, s[1]) if s else slice(None)
                                    for s in slices)]
    e = ember.tensor(arr, dtype=getattr(ember, dtype) if dtype else None)
    t = torch.tensor(arr, dtype=getattr(torch, dtype) if dtype else None)
    assert_layout_same(e, t, f"tensor {arr.shape} {arr.strides}")
    np.testing.assert_array_equal(e.numpy(), t.numpy())


@pytest.mark.parametrize("arr", [np.zeros((0, 3)), np.zeros((2, 0)).T, np.empty((3, 0, 2)),
                                 np.zeros((4, 3))[:0], np.zeros((4, 3))[:, 1:1]])
def test_empty_numpy_arrays_report_torchs_strides(arr):
    assert ember.tensor(arr).stride() == torch.tensor(arr).stride()
    assert ember.from_numpy(arr).stride() == torch.from_numpy(arr).stride()
    assert ember.as_tensor(arr).stride() == torch.as_tensor(arr).stride()


def test_tensor_of_a_tensor_keeps_its_layout():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.filterwarnings("error", category=RuntimeWarning, module="ember")
        for m in (ember, torch):
            x = m.arange(12.).reshape(3, 4)
            assert m.tensor(x.t()).stride() == (1, 4)
            assert m.tensor(x[:, ::2]).stride() == (2, 1)


@pytest.mark.parametrize("shape", [(2, 3, 4, 5), (2, 1, 3, 1), (1, 3, 1, 1), (2, 3, 4, 5, 2),
                                   (1, 2, 1, 3, 1), (2, 0, 3, 4)])
def test_to_returns_self_where_torch_reads_the_format_off_the_strides(shape):
    """x.to(memory_format=f) is x where torch's suggest_memory_format(x) is f: checked
    over every permutation of a rank 4 / 5 tensor, with and without a step slice."""
    import itertools
    for perm in itertools.permutations(range(len(shape))):
        for step in (1, 2):
            for name in ("contiguous_format", "channels_last", "channels_last_3d"):
                def run(m):
                    x = m.zeros(shape).permute(*perm)[..., ::step]
                    try:
                        y = x.to(memory_format=getattr(m, name))
                    except RuntimeError as err:
                        return str(err)
                    return y is x, y.stride()
                assert run(ember) == run(torch), (shape, perm, step, name)
