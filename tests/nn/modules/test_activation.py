"""The pointwise activations (F.elu ... F.prelu, nn.ELU ... nn.PReLU) and the
similarity functions against torch: values, dtypes, shapes, gradients, grad_fn names,
in-place forms, reprs and errors."""
import warnings

import numpy as np
import pytest
import torch

import ember
from ember import nn
from ember.autograd import gradcheck
from helpers import assert_same, assert_grads_same, assert_same_error

RNG = np.random.default_rng(0)
SHAPES = [(), (0,), (5,), (3, 4), (2, 3, 4)]

# (function name, keyword arguments, input scale: wide enough to reach every branch)
FUNCTIONS = [
    ("elu", {}, 2), ("elu", {"alpha": 0.5}, 2), ("selu", {}, 2), ("celu", {}, 2),
    ("celu", {"alpha": 2.0}, 2), ("silu", {}, 3), ("mish", {}, 3), ("softplus", {}, 3),
    ("softplus", {"beta": 2.0, "threshold": 3.0}, 3), ("softsign", {}, 3),
    ("hardtanh", {}, 2), ("hardtanh", {"min_val": -0.5, "max_val": 2.0}, 2),
    ("relu6", {}, 5), ("hardsigmoid", {}, 4), ("hardswish", {}, 4), ("logsigmoid", {}, 3),
    ("softshrink", {}, 1), ("softshrink", {"lambd": 1.0}, 2), ("hardshrink", {}, 1),
    ("tanhshrink", {}, 2), ("threshold", {"threshold": 0.1, "value": -2.0}, 1),
]
EDGES = np.array([np.inf, -np.inf, np.nan, 0.0, -0.0, 3.0, -3.0, 1e4, -1e4, 25.0, -25.0,
                  0.5, -0.5, 1.0, -1.0, 6.0])


def call(m, name, x, kwargs):
    return getattr(m.nn.functional, name)(x, **kwargs)


@pytest.mark.parametrize("name,kwargs,scale", FUNCTIONS)
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_function_values_dtype_shape_match_torch(name, kwargs, scale, dtype):
    tol = {"float16": (2e-3, 2e-3), "float32": (1e-5, 1e-6), "float64": (1e-12, 1e-12)}
    for shape in SHAPES:
        x = (RNG.standard_normal(shape) * scale).astype(dtype)
        with warnings.catch_warnings():
            warnings.simplefilter("error")          # no NumPy warning may leak
            e = call(ember, name, ember.tensor(x), kwargs)
        assert_same(e, call(torch, name, torch.tensor(x), kwargs), *tol[dtype])


@pytest.mark.parametrize("name,kwargs,scale", FUNCTIONS)
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_function_edges_inf_nan_match_torch_silently(name, kwargs, scale, dtype):
    x = EDGES.astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        e = call(ember, name, ember.tensor(x), kwargs)
    assert_same(e, call(torch, name, torch.tensor(x), kwargs), 2e-3, 1e-6)


@pytest.mark.parametrize("name,kwargs,scale", FUNCTIONS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_function_gradients_and_grad_fn_match_torch(name, kwargs, scale, dtype):
    x = (RNG.standard_normal((3, 5)) * scale).astype(dtype)
    assert_grads_same(lambda m, a: call(m, name, a, kwargs), [x], rtol=1e-5, atol=1e-6)
    e = call(ember, name, ember.tensor(x, requires_grad=True), kwargs)
    t = call(torch, name, torch.tensor(x, requires_grad=True), kwargs)
    assert e.grad_fn.name() == t.grad_fn.name()


@pytest.mark.parametrize("name,kwargs,scale", FUNCTIONS)
def test_function_gradcheck(name, kwargs, scale):
    x = RNG.standard_normal((3, 4)) * scale
    # (keep away from the kinks, where a finite difference straddles two branches)
    kinks = np.array([0.0, 1.0, -1.0, 3.0, -3.0, 6.0, 0.5, -0.5, 2.0, -0.5, 0.1])
    near = np.abs(x[..., None] - kinks).min(-1) < 1e-3
    x[near] += 0.01
    assert gradcheck(lambda a: call(ember, name, a, kwargs),
                     (ember.tensor(x, requires_grad=True),))


@pytest.mark.parametrize("name", ["elu", "selu", "celu", "silu", "mish", "softplus",
                                  "hardtanh", "logsigmoid", "softshrink"])
def test_function_second_derivative_matches_torch(name):
    x = RNG.standard_normal((4,)) * 2
    xs = [ember.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)]
    grads = []
    for m, a in zip((ember, torch), xs):
        y = getattr(m.nn.functional, name)(a)
        (g,) = m.autograd.grad(y.sum(), a, create_graph=True)
        (g.sum() if name not in ("hardtanh", "softshrink") else (g * a).sum()).backward()
        grads.append(a.grad)
    assert_same(*grads, rtol=1e-10, atol=1e-12)


def test_integer_input_errors_and_results_match_torch():
    for name in ["elu", "selu", "celu", "silu", "mish", "softplus", "hardsigmoid",
                 "hardswish", "logsigmoid", "softshrink", "hardshrink", "glu"]:
        x = np.array([[1, 2], [3, -4]])
        with pytest.raises(Exception) as t_err:
            getattr(torch.nn.functional, name)(torch.tensor(x))
        with pytest.raises(type(t_err.value)) as e_err:
            getattr(ember.nn.functional, name)(ember.tensor(x))
        assert str(e_err.value) == str(t_err.value), name
    x = np.array([-3, 0, 2, 9])
    for name, kwargs in [("hardtanh", {}), ("relu6", {}),
                         ("threshold", {"threshold": 1, "value": 7})]:
        assert_same(call(ember, name, ember.tensor(x), kwargs),
                    call(torch, name, torch.tensor(x), kwargs))


INPLACE = [("elu", {}), ("elu_", {}), ("selu", {}), ("selu_", {}), ("celu", {}),
           ("celu_", {"alpha": 2.0}), ("silu", {}), ("mish", {}), ("hardtanh", {}),
           ("hardtanh_", {}), ("relu6", {}), ("hardsigmoid", {}), ("hardswish", {}),
           ("threshold", {"threshold": 0.2, "value": -1.0}),
           ("threshold_", {"threshold": 0.2, "value": -1.0}), ("leaky_relu_", {})]


def _inplace(m, name, a, kwargs):
    if name.endswith("_"):
        return getattr(m.nn.functional, name)(a, *kwargs.values())
    return getattr(m.nn.functional, name)(a, **kwargs, inplace=True)


@pytest.mark.parametrize("name,kwargs", INPLACE)
def test_inplace_forms_match_torch(name, kwargs):
    x = RNG.standard_normal((3, 4)) * 3
    outs = []
    for m in (ember, torch):
        leaf = m.tensor(x, requires_grad=True)
        a = leaf * 1.0
        version = a._version
        out = _inplace(m, name, a, kwargs)
        assert out is a and a._version == version + 1
        out.backward(m.tensor(np.linspace(-1, 1, 12).reshape(3, 4)))
        outs.append((out, leaf.grad, out.grad_fn.name() if out.grad_fn else None))
    assert_same(outs[0][0], outs[1][0], 1e-12, 1e-12)
    assert_same(outs[0][1], outs[1][1], 1e-12, 1e-12)
    assert outs[0][2] == outs[1][2]


@pytest.mark.parametrize("name,kwargs", INPLACE)
def test_inplace_forms_refuse_a_leaf_and_leave_it_unchanged(name, kwargs):
    x = RNG.standard_normal((3,))
    with pytest.raises(RuntimeError) as t_err:
        _inplace(torch, name, torch.tensor(x, requires_grad=True), kwargs)
    e = ember.tensor(x, requires_grad=True)
    with pytest.raises(RuntimeError) as e_err:
        _inplace(ember, name, e, kwargs)
    assert str(e_err.value) == str(t_err.value)
    np.testing.assert_array_equal(e.detach().numpy(), x)


# -------------------------------------------------------------- glu, prelu
@pytest.mark.parametrize("shape,dim", [((4,), 0), ((3, 4), -1), ((2, 6, 3), 1), ((0, 4), 1),
                                       ((2, 2, 2), 0)])
def test_glu_matches_torch(shape, dim):
    x = RNG.standard_normal(shape)
    assert_grads_same(lambda m, a: m.nn.functional.glu(a, dim), [x], 1e-12, 1e-12)
    assert_same(ember.nn.functional.glu(ember.tensor(x.astype("float32")), dim),
                torch.nn.functional.glu(torch.tensor(x.astype("float32")), dim))
    assert gradcheck(lambda a: ember.nn.functional.glu(a, dim),
                     (ember.tensor(x, requires_grad=True),))


@pytest.mark.parametrize("shape,n_weights", [((5,), 1), ((3, 4), 1), ((3, 4), 4),
                                             ((2, 3, 5), 3), ((2, 3, 2, 2), 3), ((), 1),
                                             ((0, 3), 3)])
def test_prelu_matches_torch(shape, n_weights):
    x = RNG.standard_normal(shape)
    w = RNG.standard_normal(n_weights) * 0.3
    assert_grads_same(lambda m, a, b: m.nn.functional.prelu(a, b), [x, w], 1e-12, 1e-12)
    if x.size:
        assert gradcheck(ember.nn.functional.prelu, (ember.tensor(x, requires_grad=True),
                                                     ember.tensor(w, requires_grad=True)))


def test_glu_prelu_softshrink_celu_hardtanh_errors_match_torch():
    cases = [
        lambda m: m.nn.functional.glu(m.randn(3)),
        lambda m: m.nn.functional.glu(m.randn(2, 3), 1),
        lambda m: m.nn.functional.glu(m.tensor(1.0)),
        lambda m: m.nn.functional.glu(m.randn(2, 2), 2),
        lambda m: m.nn.functional.prelu(m.randn(2, 3), m.ones(2)),
        lambda m: m.nn.functional.prelu(m.randn(2, 3), m.ones(2, dtype=m.float64)),
        lambda m: m.nn.functional.prelu(m.ones(2, 3, dtype=m.int64), m.ones(3)),
        lambda m: m.nn.functional.softshrink(m.randn(2), -1.0),
        lambda m: m.nn.functional.celu(m.randn(2), 0.0),
        lambda m: m.nn.functional.hardtanh(m.randn(2), 1.0, -1.0),
        lambda m: m.nn.Hardtanh(1.0, 0.5),
        lambda m: m.nn.Softmax2d()(m.randn(2, 3)),
        lambda m: m.nn.functional.elu([1.0]),
    ]
    for case in cases:
        assert_same_error(case)


# ---------------------------------------------- normalize and the similarities
@pytest.mark.parametrize("shape,p,dim", [((3, 4), 2.0, 1), ((3, 4), 1.0, 0), ((2, 3, 4), 3.0, -1),
                                         ((4,), 2.0, 0), ((2, 0), 2.0, 1)])
def test_normalize_matches_torch(shape, p, dim):
    x = RNG.standard_normal(shape)
    x.flat[:1] = 0.0
    assert_grads_same(lambda m, a: m.nn.functional.normalize(a, p, dim), [x], 1e-10, 1e-12)
    if x.size:
        assert gradcheck(lambda a: ember.nn.functional.normalize(a, p, dim),
                         (ember.tensor(x + 0.1, requires_grad=True),))


@pytest.mark.parametrize("s1,s2,dim", [((3, 4), (3, 4), 1), ((3, 4), (1, 4), 1),
                                       ((2, 3, 4), (3, 4), -1), ((5,), (5,), 0)])
def test_cosine_similarity_matches_torch(s1, s2, dim):
    a, b = RNG.standard_normal(s1), RNG.standard_normal(s2)
    assert_grads_same(lambda m, x, y: m.nn.functional.cosine_similarity(x, y, dim), [a, b],
                      1e-10, 1e-12)
    assert_grads_same(lambda m, x, y: m.nn.CosineSimilarity(dim)(x, y), [a, b], 1e-10, 1e-12)
    assert gradcheck(lambda x, y: ember.nn.functional.cosine_similarity(x, y, dim),
                     (ember.tensor(a, requires_grad=True), ember.tensor(b, requires_grad=True)))


@pytest.mark.parametrize("s1,s2,p,keepdim", [((3, 4), (3, 4), 2.0, False),
                                             ((3, 4), (1, 4), 1.0, True),
                                             ((2, 3, 4), (3, 4), 3.0, False),
                                             ((5,), (5,), 2.0, False)])
def test_pairwise_distance_matches_torch(s1, s2, p, keepdim):
    a, b = RNG.standard_normal(s1), RNG.standard_normal(s2)
    assert_grads_same(lambda m, x, y: m.nn.functional.pairwise_distance(x, y, p, 1e-6, keepdim),
                      [a, b], 1e-10, 1e-12)
    assert_grads_same(lambda m, x, y: m.nn.PairwiseDistance(p, keepdim=keepdim)(x, y), [a, b],
                      1e-10, 1e-12)


@pytest.mark.parametrize("shape", [(3, 2, 2), (2, 3, 2, 4)])
def test_softmax2d_matches_torch(shape):
    x = RNG.standard_normal(shape).astype("float32")
    assert_grads_same(lambda m, a: m.nn.Softmax2d()(a), [x])


# ------------------------------------------------------------------ modules
MODULES = [
    ("ELU", (), {}), ("ELU", (0.5, True), {}), ("SELU", (), {}), ("SELU", (True,), {}),
    ("CELU", (), {}), ("CELU", (2.0,), {}), ("SiLU", (), {}), ("SiLU", (True,), {}),
    ("Mish", (), {}), ("Softplus", (), {}), ("Softplus", (2, 10), {}), ("Softsign", (), {}),
    ("Hardtanh", (), {}), ("Hardtanh", (-2, 2, True), {}), ("ReLU6", (), {}),
    ("ReLU6", (True,), {}), ("Hardsigmoid", (), {}), ("Hardswish", (True,), {}),
    ("LogSigmoid", (), {}), ("Softshrink", (), {}), ("Softshrink", (1.0,), {}),
    ("Hardshrink", (0.3,), {}), ("Tanhshrink", (), {}), ("Threshold", (0.1, 20), {}),
    ("Threshold", (0.1, 20.0, True), {}), ("GLU", (), {}), ("GLU", (1,), {}),
    ("PReLU", (), {}), ("PReLU", (4, 0.1), {}), ("Softmax2d", (), {}),
    ("CosineSimilarity", (), {}), ("CosineSimilarity", (0, 1e-6), {}),
    ("PairwiseDistance", (), {}), ("PairwiseDistance", (1.0, 1e-3, True), {}),
]


@pytest.mark.parametrize("name,args,kwargs", MODULES)
def test_module_repr_equals_torchs(name, args, kwargs):
    assert repr(getattr(nn, name)(*args, **kwargs)) == \
        repr(getattr(torch.nn, name)(*args, **kwargs))


@pytest.mark.parametrize("name,args,kwargs",
                         [m for m in MODULES if m[0] not in ("CosineSimilarity",
                                                             "PairwiseDistance")])
def test_module_forward_and_gradients_equal_torchs(name, args, kwargs):
    x = (RNG.standard_normal((2, 4, 2, 2)) * 3).astype("float32")

    def run(m, a):
        return getattr(m.nn, name)(*args, **kwargs)(a * 1.0)
    assert_grads_same(run, [x], 1e-5, 1e-6)


def test_prelu_weight_is_a_parameter_and_learns_as_torchs():
    e, t = nn.PReLU(3, 0.1), torch.nn.PReLU(3, 0.1)
    assert [n for n, _ in e.named_parameters()] == ["weight"]
    assert isinstance(e.weight, nn.Parameter)
    x = RNG.standard_normal((4, 3)).astype("float32")
    e(ember.tensor(x)).sum().backward()
    t(torch.tensor(x)).sum().backward()
    assert_same(e.weight.grad, t.weight.grad)
    assert_same(e.weight, t.weight)
    assert_same(nn.PReLU(dtype=ember.float64).weight, torch.nn.PReLU(dtype=torch.float64).weight)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_softshrink_negative_lambda_error_names_the_dtype_as_torch(dtype):
    with pytest.raises(RuntimeError) as t_err:
        torch.nn.functional.softshrink(torch.ones(2, dtype=getattr(torch, dtype)), -0.5)
    with pytest.raises(RuntimeError) as e_err:
        ember.nn.functional.softshrink(ember.ones(2, dtype=getattr(ember, dtype)), -0.5)
    assert str(e_err.value) == str(t_err.value)


def test_inplace_threshold_with_value_above_threshold_keeps_torchs_gradient():
    x = np.array([-1.0, 0.05, 0.5, 2.0])
    grads = []
    for m in (ember, torch):
        leaf = m.tensor(x, requires_grad=True)
        m.nn.functional.threshold(leaf * 1.0, 0.1, 20.0, inplace=True).sum().backward()
        grads.append(leaf.grad)
    assert_same(*grads)
