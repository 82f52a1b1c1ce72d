"""Tensor facts and conversions against torch: shape, strides, item/tolist/numpy,
Python protocols, .to/.type, copying and pickling."""
import copy
import pickle
import warnings

import numpy as np
import pytest
import torch

import ember
from helpers import assert_same, assert_same_error, DTYPE_NAMES
from helpers import outcome_in as outcome


def plain(x):
    """Results of either library as comparable Python values."""
    if isinstance(x, (ember.Tensor, torch.Tensor)):
        return ("tensor", str(x.dtype), tuple(x.shape), x.detach().tolist(), x.requires_grad)
    if isinstance(x, (ember.dtype, torch.dtype, ember.device, torch.device)):
        return repr(x)
    if isinstance(x, (ember.Size, torch.Size)):
        return ("Size", tuple(x))
    if isinstance(x, (list, tuple)):
        return type(x).__name__, [plain(v) for v in x]
    return x


def same(fn):
    """fn(ember) and fn(torch) return equal things or raise the same error and message."""
    e, t = outcome(ember, fn), outcome(torch, fn)
    if t[0] == "error" or e[0] == "error":
        assert e == t
        return
    if isinstance(t[1], torch.Tensor):
        assert_same(e[1], t[1])
    assert plain(e[1]) == plain(t[1])


SHAPES = [(), (0,), (3,), (2, 3), (2, 0, 4), (1, 3, 1, 2)]


@pytest.mark.parametrize("shape", SHAPES)
def test_shape_facts(shape):
    def run(m):
        x = m.zeros(shape)
        return (str(x.shape), repr(x.size()), tuple(x.shape), x.numel(), x.dim(), x.ndim,
                x.nelement(), type(x.shape).__name__, x.is_contiguous())
    same(run)


@pytest.mark.parametrize("name", DTYPE_NAMES)
def test_dtype_facts(name):
    def run(m):
        x = m.zeros(2, 3, dtype=getattr(m, name))
        return (str(x.dtype), x.element_size(), x.itemsize, x.nbytes, x.is_floating_point(),
                x.type(), x.dtype.is_floating_point, x.dtype.itemsize)
    same(run)


def test_size_and_dim_arguments():
    same(lambda m: (m.ones(2, 3).size(1), m.ones(2, 3).size(-2), m.ones(2, 3).size(dim=0)))
    same(lambda m: m.ones(2, 3).size(2))
    same(lambda m: m.ones(2, 3).stride(-1))


@pytest.mark.parametrize("make", [
    lambda m: m.arange(24.).reshape(2, 3, 4),
    lambda m: m.arange(24.).reshape(2, 3, 4).transpose(0, 2),
    lambda m: m.arange(24.).reshape(2, 3, 4)[:, 1],
    lambda m: m.arange(24.).reshape(2, 3, 4)[..., ::2],
    lambda m: m.arange(6.).reshape(2, 3).t(),
    lambda m: m.arange(3.).expand(4, 3),
    lambda m: m.arange(6.).reshape(2, 3).t().contiguous(),
    lambda m: m.tensor(5.0),
])
def test_strides_and_contiguity(make):
    same(lambda m: (make(m).stride(), make(m).is_contiguous(), tuple(make(m).shape)))


def test_T_mT_and_their_errors():
    same(lambda m: m.arange(6).reshape(2, 3).T)
    same(lambda m: m.tensor(2.0).T)
    same(lambda m: m.arange(3).T)
    same(lambda m: m.arange(24).reshape(2, 3, 4).mT)
    same(lambda m: m.arange(3).mT)
    with pytest.warns(UserWarning, match="The use of `x.T` on tensors of dimension other than 2"):
        ember.ones(2, 3, 4).T


def test_item_tolist_and_python_numbers():
    same(lambda m: (m.tensor(2.5).item(), m.tensor([3]).item(), m.tensor([[True]]).item(),
                    type(m.tensor(3).item()).__name__, type(m.tensor(3.).item()).__name__))
    same(lambda m: m.tensor([1, 2]).item())
    same(lambda m: m.tensor([]).item())
    same(lambda m: (m.arange(6).reshape(2, 3).tolist(), m.tensor(1.5).tolist(),
                    m.tensor([0.1]).tolist(), m.tensor([True]).tolist()))
    same(lambda m: (float(m.tensor(2.5)), int(m.tensor(-2.7)), int(m.tensor([[7]])),
                    float(m.tensor([1])), complex(m.tensor(2.0))))
    same(lambda m: float(m.tensor([1.0, 2.0])))
    same(lambda m: int(m.tensor([1, 2])))
    same(lambda m: (format(m.tensor(3.14159), ".2f"), f"{m.tensor(7):4d}", format(m.tensor([1.5]))))
    same(lambda m: format(m.tensor([1.5]), ".2f"))


FORMATTED = ["m.tensor(3.)", "m.tensor(3., requires_grad=True)", "m.tensor(3., requires_grad=True) * 2",
             "m.tensor(3) * 1", "m.tensor([1., 2.])", "m.nn.Parameter(m.tensor(3.))",
             "m.nn.Parameter(m.tensor([1., 2.]))"]


@pytest.mark.parametrize("spec", ["", ".2f", "x", ">8"])
@pytest.mark.parametrize("make", FORMATTED)
def test_format_of_a_number_only_for_a_plain_0_dim_tensor(make, spec):
    # a Parameter formats as its repr (and refuses a spec) even when 0-dim, as in torch
    same(lambda m: format(eval(make, {"m": m}), spec))


@pytest.mark.parametrize("contents", ["[x]", "", "hello", "a" * 90, "[1,\n 2]", None, 5])
@pytest.mark.parametrize("make", [
    "m.tensor([1., 2.], requires_grad=True)", "m.tensor([1., 2.], requires_grad=True) * 2",
    "m.tensor([1, 2])", "m.tensor([1., 2.], dtype=m.float64)", "m.zeros(0, 3)",
    "m.zeros(0, 3, dtype=m.int32)", "m.tensor(3., dtype=m.float16)"])
def test_repr_takes_the_contents_text_subclasses_pass(make, contents):
    # (suffixes as for the tensor's own contents; a non-str fails as in torch)
    same(lambda m: eval(make, {"m": m}).__repr__(tensor_contents=contents))


def test_index_protocol_for_integer_tensors():
    same(lambda m: ([10, 20, 30][m.tensor(1)], [10, 20, 30][m.tensor([2])],
                    list(range(6))[m.tensor(1):m.tensor(4)], "ab" * m.tensor(2)))
    same(lambda m: [1, 2][m.tensor(1.0)])
    same(lambda m: [1, 2][m.tensor([0, 1])])


def test_bool_len_iter_contains_hash():
    same(lambda m: (bool(m.tensor([1])), bool(m.tensor(0.0)), bool(m.tensor([[2]]))))
    same(lambda m: bool(m.tensor([1, 2])))
    same(lambda m: bool(m.tensor([])))
    same(lambda m: (len(m.ones(3, 2)), len(m.ones(0, 2))))
    same(lambda m: len(m.tensor(1.0)))
    same(lambda m: [t.tolist() for t in m.arange(6).reshape(3, 2)])
    same(lambda m: list(m.tensor(1.0)))
    same(lambda m: (2 in m.tensor([1, 2, 3]), 5 in m.tensor([1, 2, 3])))
    x = ember.ones(2)
    assert hash(x) == hash(x) and hash(x) != hash(ember.ones(2))
    assert {x: 1}[x] == 1


def test_numpy_shares_memory_and_refuses_requires_grad():
    for m in (ember, torch):
        x = m.zeros(3)
        n = x.numpy()
        n[0] = 5.0
        x[1] = 7.0
        assert x.tolist() == [5.0, 7.0, 0.0] and n.tolist() == [5.0, 7.0, 0.0]
        assert n.dtype == np.float32
    same(lambda m: m.ones(2, requires_grad=True).numpy())
    assert ember.ones(2, requires_grad=True).numpy(force=True).tolist() == [1.0, 1.0]


def test_array_protocol():
    for m in (ember, torch):
        x = m.arange(6, dtype=m.float64).reshape(2, 3)
        assert np.asarray(x).dtype == np.float64
        assert np.array(x).tolist() == x.tolist()
        assert np.asarray(x, dtype=np.float32).dtype == np.float32


@pytest.mark.parametrize("target", DTYPE_NAMES)
def test_to_dtype_and_shortcuts(target):
    data = np.array([-1.7, 0.0, 0.4, 2.6])

    def run(m):
        x = m.tensor(data)
        return x.to(getattr(m, target)), x.type(getattr(m, target))
    same(run)


def test_to_variants_like_torch():
    def run(m):
        x = m.ones(2)
        o = m.ones(1, dtype=m.int32)
        return (x.to("cpu") is x, x.to(m.float32) is x, x.to(m.float32, copy=True) is x,
                str(x.to(o).dtype), str(x.to("cpu", m.float16).dtype),
                str(x.to(device="cpu", dtype=m.int64).dtype), x.to(m.device("cpu")) is x,
                x.to(x) is x, str(x.to(float).dtype), str(x.to(int).dtype), x.cpu() is x,
                x.float() is x, str(x.double().dtype), str(x.half().dtype), str(x.long().dtype),
                str(x.int().dtype), str(x.bool().dtype), str(x.short().dtype),
                str(x.byte().dtype), str(x.char().dtype), x.type("torch.DoubleTensor").dtype
                is m.float64, x.type(m.float32) is x, str(x.type_as(o).dtype))
    same(run)
    same(lambda m: m.tensor([1.7, -1.7]).long())
    same(lambda m: m.tensor([0.0, 2.0]).bool())


def test_to_keeps_gradients_and_grad_fn_names():
    def run(m):
        x = m.ones(2, requires_grad=True)
        y = x.to(m.float64)
        z = x.to(m.float32, copy=True)
        (y.sum() + z.sum() * 2).backward()
        return y.grad_fn.name(), z.grad_fn.name(), x.grad.tolist(), x.float() is x
    same(run)


@pytest.mark.parametrize("layout", ["contiguous", "transposed", "size-1 dim", "empty", "0-dim"])
@pytest.mark.parametrize("short", ["float", "double", "half", "long", "int", "bool"])
def test_dtype_shorthands_like_torch(short, layout):
    # float(), double(), ... take a lane of their own (Tensor._as_dtype); it must give
    # what to(dtype) gives: values, dtype, strides, grad_fn, self when nothing changes
    make = {"contiguous": lambda m, a: m.tensor(a),
            "transposed": lambda m, a: m.tensor(a).t(),
            "size-1 dim": lambda m, a: m.tensor(a).t()[:1],
            "empty": lambda m, a: m.tensor(a)[:0].t(),
            "0-dim": lambda m, a: m.tensor(a)[1, 2]}[layout]
    data = np.array([[-1.7, 0.0, 0.4], [2.6, -0.2, 3.0]])

    def run(m):
        out = []
        for dtype in (m.float32, m.float64):
            x = make(m, data.astype(np.float32 if dtype is m.float32 else np.float64))
            x.requires_grad_(x.is_leaf)
            y = getattr(x, short)()
            out += [y is x, str(y.dtype), y.shape, y.stride(), y.detach().tolist(),
                    y.grad_fn.name() if y.grad_fn is not None else None]
        return out
    same(run)


def test_type_errors_like_torch():
    same(lambda m: m.ones(2).type("float"))
    same(lambda m: m.ones(2).type(int))


def test_device_facts():
    same(lambda m: (str(m.ones(1).device), repr(m.ones(1).device), m.ones(1).is_cuda,
                    m.ones(1).device.type, m.ones(1).get_device(), m.ones(1).cpu().device.type,
                    m.ones(1, device="cpu").device == m.device("cpu"),
                    m.ones(1).to("cpu:0").device.type))
    for m in (ember, torch):
        with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
            m.ones(2).to("cuda")
        with pytest.raises(AssertionError, match="Torch not compiled with CUDA enabled"):
            m.zeros(2, device="cuda")


def test_grad_assignment_checks_like_torch():
    def assign(value):
        def run(m):
            x = m.ones(2)
            x.grad = value(m)
            return x.grad
        return run
    same(assign(lambda m: m.full((2,), 3.0)))
    same(assign(lambda m: None))
    same(assign(lambda m: m.ones(3)))
    same(assign(lambda m: m.ones(2, dtype=m.float64)))
    same(assign(lambda m: 3))


def test_deepcopy_like_torch():
    def run(m):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        x.grad = m.tensor([0.5, 0.5])
        d = {"a": x, "b": x}
        c = copy.deepcopy(d)
        y = c["a"]
        y.detach()[0] = 9.0      # a real copy
        return (y is c["b"], y is x, y.requires_grad, y.is_leaf, y.grad.tolist(),
                x.tolist(), y.tolist())
    same(run)
    same(lambda m: copy.deepcopy(m.ones(2, requires_grad=True) * 2))
    t = ember.arange(6.).reshape(2, 3).t()
    assert copy.deepcopy(t).stride() == t.stride()


@pytest.mark.parametrize("name", DTYPE_NAMES)
def test_pickle_round_trip(name):
    def run(m):
        x = m.arange(6).reshape(2, 3).to(getattr(m, name)).t()
        y = pickle.loads(pickle.dumps(x))
        return y, y.stride(), y.is_contiguous()
    e, t = run(ember), run(torch)
    assert_same(e[0], t[0])
    assert e[1:] == t[1:]


def test_pickle_keeps_requires_grad_and_drops_the_graph():
    def run(m):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = pickle.loads(pickle.dumps(x))
        return y.requires_grad, y.is_leaf, y.tolist(), y is x
    same(run)
    same(lambda m: (pickle.loads(pickle.dumps(m.float16)) is m.float16,
                    pickle.loads(pickle.dumps(m.Size([2, 3]))),
                    pickle.loads(pickle.dumps(m.device("cpu")))))


def test_legacy_constructor():
    same(lambda m: (m.Tensor([1, 2]), m.Tensor(2, 3).shape, m.Tensor(), m.Tensor(m.Size([2])).shape,
                    m.Tensor([[1, 2]]).dtype, m.Tensor((2, 3))))
    same(lambda m: m.Tensor(2.5))
    same(lambda m: m.Tensor(m.ones(2, dtype=m.float64)))


def test_repr_suffixes():
    same(lambda m: (repr(m.ones(2, requires_grad=True)), repr(m.ones(2, requires_grad=True) * 2),
                    repr((m.ones(2, requires_grad=True) * 2).detach()), str(m.tensor(3.5))))


@pytest.mark.parametrize("method", ["size", "stride"])
@pytest.mark.parametrize("dim", [1, -1, np.int64(1), "tensor", 1.0, True, "a"])
def test_size_and_stride_of_one_dim_take_what_torch_takes(method, dim):
    def run(m):
        d = m.tensor(1) if isinstance(dim, str) and dim == "tensor" else dim
        return getattr(m.ones(2, 3), method)(d)
    assert outcome(ember, run) == outcome(torch, run)


CONTAINERS = [
    lambda m: m.tensor([1.5, -2.0, float("nan")]),
    lambda m: m.tensor([[1, 2], [3, 4]]).t(),
    lambda m: m.tensor([True, False]),
    lambda m: m.zeros(2, 0, 3),
    lambda m: m.tensor(0.0),
    lambda m: m.arange(6.).reshape(2, 3)[:, ::2],
]
ELEMENTS = [
    lambda m: 1.5, lambda m: 3, lambda m: True, lambda m: float("nan"), lambda m: np.int64(2),
    lambda m: m.tensor(0.0), lambda m: m.tensor([1, 3]), lambda m: m.tensor([[1], [3]]),
    lambda m: m.ones(3), lambda m: "a", lambda m: None, lambda m: [1],
]


@pytest.mark.parametrize("container", range(len(CONTAINERS)))
@pytest.mark.parametrize("element", range(len(ELEMENTS)))
def test_in_compares_elementwise_as_torch_does(container, element):
    # before, `v in x` fell back to iterating x (bool() of each row, or a TypeError)
    same(lambda m: ELEMENTS[element](m) in CONTAINERS[container](m))


@pytest.mark.parametrize("name", DTYPE_NAMES)
def test_is_signed(name):
    same(lambda m: m.zeros(2, dtype=getattr(m, name)).is_signed())


@pytest.mark.parametrize("method", ["size", "stride"])
@pytest.mark.parametrize("dim", [0, -1, 2])
def test_size_and_stride_of_a_0_dim_tensor_know_no_dim(method, dim):
    same(lambda m: getattr(m.tensor(1.0), method)(dim))


# ------------------------------------------------------------ edges found by fuzzing
def test_numpy_and_array_protocol_under_grad_modes():
    # torch refuses a tensor that requires grad only while grad mode is on, and
    # np.asarray goes through numpy() (it does not quietly leave the graph)
    same(lambda m: np.asarray(m.ones(2, requires_grad=True)))
    same(lambda m: np.asarray(m.ones(2, requires_grad=True) * 2, dtype=np.float64))
    for m in (ember, torch):
        with m.no_grad():
            x = m.ones(2, requires_grad=True)
            assert x.numpy().tolist() == [1.0, 1.0]
            assert np.asarray(x).tolist() == [1.0, 1.0]
            assert np.asarray(x * 2, dtype=np.float64).dtype == np.float64


def test_requires_grad_attribute_and_data_setter_errors():
    same(lambda m: setattr(m.ones(1, requires_grad=True) * 2, "requires_grad", True))
    same(lambda m: setattr(m.ones(1, requires_grad=True) * 2, "requires_grad", False))
    same(lambda m: (m.ones(1, requires_grad=True) * 2).requires_grad_(True))
    same(lambda m: setattr(m.ones(2), "data", [1.0]))
    same(lambda m: setattr(m.ones(2, requires_grad=True), "data", m.zeros(3, dtype=m.int64)))
    same(lambda m: (lambda x: (setattr(x, "data", m.zeros(3, dtype=m.int64)), x)[1])(m.ones(2)))


TO_CALLS = {
    "dtype dtype": lambda m, x: x.to(m.float64, m.float32),
    "str str": lambda m, x: x.to("cpu", "cpu"),
    "tensor dtype": lambda m, x: x.to(m.zeros(1), m.float64),
    "numpy type": lambda m, x: x.to(np.float32),
    "device int": lambda m, x: x.to(0),
    "dtype name": lambda m, x: x.to("float32"),
    "five positional": lambda m, x: x.to("cpu", m.float16, False, True, m.preserve_format),
    "int flag": lambda m, x: x.to("cpu", m.float16, 1),
    "positional flags": lambda m, x: x.to("cpu", m.float16, False, True),
    "dtype flags": lambda m, x: x.to(m.float16, False, True),
    "tensor flags": lambda m, x: x.to(m.zeros(1, dtype=m.int8), True, False),
    "dtype copy is new": lambda m, x: x.to(m.float32, False, True) is x,
    "None": lambda m, x: x.to(None) is x,
    "cpu is self": lambda m, x: x.to("cpu") is x,
    "cpu:0 copies": lambda m, x: (x.to("cpu:0") is x, x.t().to("cpu:0").stride()),
    "device cpu 0 copies": lambda m, x: x.to(m.device("cpu", 0)) is x,
    "strided cpu:0": lambda m, x: x[:, ::2].to("cpu:0").stride(),
}


@pytest.mark.parametrize("call", TO_CALLS)
def test_to_sorts_its_arguments_as_torch(call):
    same(lambda m: TO_CALLS[call](m, m.arange(12.).reshape(3, 4)))


@pytest.mark.parametrize("arg", [3, None, int, "int", "torch.IntTensor", "torch.int32"])
def test_type_with_odd_arguments(arg):
    same(lambda m: m.ones(2).type(arg))


@pytest.mark.parametrize("method", ["float", "double", "half", "long", "int", "short", "char",
                                    "byte", "bool", "cpu"])
@pytest.mark.parametrize("fmt", ["preserve_format", "contiguous_format", "channels_last"])
@pytest.mark.parametrize("make", [lambda m: m.arange(6.).reshape(2, 3).t(),
                                  lambda m: m.arange(24.).reshape(1, 2, 3, 4),
                                  lambda m: m.arange(24, dtype=m.int16).reshape(2, 3, 4, 1)])
def test_conversions_take_memory_format(method, fmt, make):
    def run(m):
        x = make(m)
        y = getattr(x, method)(memory_format=getattr(m, fmt))
        return y, y.stride(), y is x
    same(run)
    same(lambda m: getattr(make(m), method)(m.contiguous_format))     # keyword only


@pytest.mark.parametrize("attr", ["T", "mT", "H", "mH"])
@pytest.mark.parametrize("shape", [(), (3,), (0,), (2, 3), (2, 0, 3), (2, 3, 4)])
def test_transposes_on_every_rank(attr, shape):
    def run(m):
        x = m.arange(float(np.prod(shape))).reshape(shape).requires_grad_()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            y = getattr(x, attr)
        # (torch warns once per process: compare what is warned, when it is)
        said = [str(w.message).split(" (Triggered")[0] for w in caught]
        grad_fn = None if y.grad_fn is None else type(y.grad_fn).__name__
        grad_fn = None if y.grad_fn is None else (y.grad_fn.name() if m is torch
                                                  else y.grad_fn._name)
        return y, y.stride(), y is x, grad_fn, said
    e, t = outcome(ember, run), outcome(torch, run)
    if t[0] == "ok" and not t[1][-1]:
        e = ("ok", e[1][:-1] + ([],)) if e[0] == "ok" else e       # warned once before
    if t[0] == "ok" and e[0] == "ok":
        assert_same(e[1][0], t[1][0])
        e, t = plain(e[1][1:]), plain(t[1][1:])
    assert e == t


@pytest.mark.parametrize("make", [lambda m: m.tensor(2.0), lambda m: m.arange(4),
                                  lambda m: m.arange(6.).reshape(3, 2).t(),
                                  lambda m: m.arange(3.).expand(2, 3),
                                  lambda m: m.zeros(0, 2)])
def test_reversed_flips_dim_0(make):
    same(lambda m: reversed(make(m)))
    same(lambda m: (lambda x: reversed(x) is x)(make(m)))
    same(lambda m: [t.tolist() for t in reversed(make(m))])
    same(lambda m: reversed(make(m).float().requires_grad_()).grad_fn is None)


@pytest.mark.parametrize("view", [lambda x: x.t(), lambda x: x[::2], lambda x: x[0],
                                  lambda x: x.view(-1), lambda x: x.detach()[1:],
                                  lambda x: x.detach(), lambda x: x.data, lambda x: x * 1])
@pytest.mark.parametrize("grad", [False, True])
def test_detach_in_place_refuses_every_view(view, grad):
    def run(m):
        x = m.ones(2, 2, requires_grad=grad)
        v = view(x)
        v.detach_()
        return v, v.requires_grad, v.is_leaf
    same(run)

    def no_grad(m):
        x = m.ones(2, 2, requires_grad=grad)
        with m.no_grad():
            v = view(x)
        return v.detach_()
    same(no_grad)


@pytest.mark.parametrize("args", [("a",), (b"ab",), (2.5,), (True,), (None,), ({1: 2},),
                                  (range(3),), (2, 3.0), (2, "a")])
def test_legacy_constructor_errors(args):
    same(lambda m: m.Tensor(*args))


@pytest.mark.parametrize("value", [1, 0, None, "a", np.bool_(True)])
def test_requires_grad_takes_a_bool_only(value):
    same(lambda m: m.zeros(2).requires_grad_(value))
    same(lambda m: setattr(m.zeros(2), "requires_grad", value))


@pytest.mark.parametrize("case", [
    lambda m: m.ones(2).type_as("a"),
    lambda m: m.ones(2).numpy(force="a"),
    lambda m: m.ones(2).__delitem__(0),
])
def test_bad_arguments_of_methods_raise_torchs_error(case):
    from helpers import assert_same_error
    assert_same_error(case)


@pytest.mark.parametrize("case", [
    lambda m: m.ones(2).float(memory_format="a"),
    lambda m: m.ones(2).double(memory_format=1),
    lambda m: m.ones(2).type(foo=1),
    lambda m: m.ones(2).size(foo=1),
    lambda m: m.ones(2).requires_grad_(foo=1),
])
def test_bad_keywords_of_methods_raise_torchs_error(case):
    from helpers import assert_same_error
    assert_same_error(case)


@pytest.mark.parametrize("case", [
    lambda m: m.ones(2).to(foo=1), lambda m: m.ones(2).to(dtype="a"),
    lambda m: m.ones(2).to(dtype="float32"), lambda m: m.ones(2).to(m.float32, foo=1),
])
def test_to_calls_no_signature_takes_raise_torchs_first_line(case):
    assert_same_error(case, first_line=True)


def test_to_still_takes_python_types_and_keywords():
    assert ember.ones(2).to(dtype=float).dtype is ember.float64
    assert ember.ones(2).to(dtype=ember.int32, copy=True).dtype is ember.int32
    assert ember.ones(2).float(memory_format=ember.contiguous_format).dtype is ember.float32
