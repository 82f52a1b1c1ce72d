"""ember.autograd.functional against torch.autograd.functional: values, shapes,
dtypes, the nesting of tuples, create_graph and strict errors."""
import numpy as np
import pytest
import torch

import ember
import ember.autograd.functional as EF
import torch.autograd.functional as TF


def _same(ours, theirs):
    """Same nesting of tuples, and tensors equal in values, shape, dtype, requires_grad."""
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            _same(o, t)
        return
    assert isinstance(ours, ember.Tensor), type(ours)
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype)
    assert ours.requires_grad == theirs.requires_grad
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-10,
                               atol=1e-12)


def _args(lib, shapes, seed):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s) + 1.5 for s in shapes]
    tensors = tuple(lib.tensor(a, dtype=lib.float64) for a in arrays)
    return tensors if len(tensors) > 1 else tensors[0]


# name: (func(lib) -> function, input shapes, a tuple of inputs)
FUNCS = {
    "square": (lambda lib: lambda x: x ** 2, [(3,)]),
    "scalar": (lambda lib: lambda x: (x.exp() * x).sum(), [(2, 2)]),
    "0-dim": (lambda lib: lambda x: x.sin() * x, [()]),
    "matrix": (lambda lib: lambda x: x @ x.T, [(2, 3)]),
    "two inputs": (lambda lib: lambda x, y: (x * y.sum()).tanh(), [(3,), (2,)]),
    "two outputs": (lambda lib: lambda x: (x.exp(), (x ** 3).sum()), [(2,)]),
    "two by two": (lambda lib: lambda x, y: (x * y, x.sum() / y), [(2,), (2,)]),
}
SCALAR = {
    "cubic": (lambda lib: lambda x: (x ** 3).sum(), [(3,)]),
    "0-dim": (lambda lib: lambda x: x.sin() * x.exp(), [()]),
    "two inputs": (lambda lib: lambda x, y: (x.exp() * y.sum() ** 2).sum(), [(2,), (3,)]),
    "matrix": (lambda lib: lambda x: (x @ x.T).trace(), [(2, 2)]),
}


def _v_like(lib, values, seed):
    rng = np.random.default_rng(seed + 100)
    if isinstance(values, tuple):
        return tuple(_v_like(lib, v, seed + i) for i, v in enumerate(values))
    return lib.tensor(rng.standard_normal(tuple(values.shape)), dtype=lib.float64)


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("name", sorted(FUNCS))
def test_jacobian_vjp_jvp(name, create_graph):
    make, shapes = FUNCS[name]
    for seed in range(3):
        args = {lib: _args(lib, shapes, seed) for lib in (ember, torch)}
        for fn_name in ("jacobian", "vjp", "jvp"):
            results = []
            for lib, mod in ((ember, EF), (torch, TF)):
                x = args[lib]
                if fn_name == "jacobian":
                    results.append(mod.jacobian(make(lib), x, create_graph=create_graph))
                    continue
                if fn_name == "vjp":
                    with torch.no_grad():
                        out = make(torch)(*_tuple(args[torch]))
                    v = _v_like(lib, out, seed)
                else:
                    v = _v_like(lib, x, seed)
                results.append(getattr(mod, fn_name)(make(lib), x, v,
                                                     create_graph=create_graph))
            _same(*results)


def _tuple(x):
    return x if isinstance(x, tuple) else (x,)


@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("name", sorted(SCALAR))
def test_hessian_vhp_hvp(name, create_graph):
    make, shapes = SCALAR[name]
    for seed in range(3):
        results = {}
        for lib, mod in ((ember, EF), (torch, TF)):
            x = _args(lib, shapes, seed)
            v = _v_like(lib, x, seed)
            results[lib] = (mod.hessian(make(lib), x, create_graph=create_graph),
                            mod.vhp(make(lib), x, v, create_graph=create_graph),
                            mod.hvp(make(lib), x, v, create_graph=create_graph))
        _same(results[ember], results[torch])


def test_default_v_for_one_element():
    x = {lib: lib.tensor([1.5], dtype=lib.float64) for lib in (ember, torch)}
    for fn in ("vjp", "jvp", "vhp", "hvp"):
        _same(getattr(EF, fn)(lambda t: (t ** 3).sum(), x[ember]),
              getattr(TF, fn)(lambda t: (t ** 3).sum(), x[torch]))


def test_create_graph_results_differentiate_again():
    grads = []
    for lib, mod in ((ember, EF), (torch, TF)):
        x = lib.tensor([0.5, 1.0, 2.0], dtype=lib.float64, requires_grad=True)
        jac = mod.jacobian(lambda t: t.sin() * t, x, create_graph=True)
        assert jac.requires_grad
        (g,) = lib.autograd.grad(jac.sum(), x)
        grads.append(g)
    _same(*grads)


def test_float32_stays_float32():
    x = ember.ones(3)
    assert EF.jacobian(lambda t: t * 2, x).dtype == ember.float32
    assert EF.hessian(lambda t: (t ** 3).sum(), x).dtype == ember.float32


def _both_raise(exc, fn):
    texts = []
    for lib, mod in ((ember, EF), (torch, TF)):
        with pytest.raises(exc) as info:
            fn(lib, mod)
        texts.append(str(info.value))
    assert texts[0] == texts[1]
    return texts[0]


STRICT = {
    "jacobian independent input": lambda lib, mod: mod.jacobian(
        lambda x, y: x * 2, (lib.ones(2), lib.ones(2)), strict=True),
    "jacobian constant output": lambda lib, mod: mod.jacobian(
        lambda x: lib.ones(2), lib.ones(2), strict=True),
    "vjp constant output": lambda lib, mod: mod.vjp(
        lambda x: lib.ones(2), lib.ones(2), lib.ones(2), strict=True),
    "vjp unused input": lambda lib, mod: mod.vjp(
        lambda x, y: x.sum(), (lib.ones(2), lib.ones(2)), strict=True),
    "jvp unused input": lambda lib, mod: mod.jvp(
        lambda x, y: x * 2, (lib.ones(2), lib.ones(2)), (lib.ones(2), lib.ones(2)),
        strict=True),
    "hessian linear": lambda lib, mod: mod.hessian(lambda x: (x * 2).sum(), lib.ones(2),
                                                   strict=True),
    "vhp linear": lambda lib, mod: mod.vhp(lambda x: (x * 2).sum(), lib.ones(2), lib.ones(2),
                                           strict=True),
    "hvp linear": lambda lib, mod: mod.hvp(lambda x: (x * 2).sum(), lib.ones(2), lib.ones(2),
                                           strict=True),
}


@pytest.mark.parametrize("name", sorted(STRICT))
def test_strict_errors(name):
    _both_raise(RuntimeError, STRICT[name])


def test_not_strict_gives_zeros():
    _same(EF.jacobian(lambda x, y: x * 2, (ember.ones(2), ember.ones(2))),
          TF.jacobian(lambda x, y: x * 2, (torch.ones(2), torch.ones(2))))
    _same(EF.hessian(lambda x: (x * 2).sum(), ember.ones(2)),
          TF.hessian(lambda x: (x * 2).sum(), torch.ones(2)))
    _same(EF.jvp(lambda x: lib_ones(ember), ember.ones(2), ember.ones(2)),
          TF.jvp(lambda x: lib_ones(torch), torch.ones(2), torch.ones(2)))


def lib_ones(lib):
    return lib.ones(3)


BAD = {
    "inputs no tensor": (TypeError, lambda lib, mod: mod.jacobian(lambda x: x, [1.0])),
    "tuple element no tensor": (TypeError, lambda lib, mod: mod.vjp(
        lambda x, y: x, (lib.ones(1), 2.0))),
    "output no tensor": (TypeError, lambda lib, mod: mod.jacobian(lambda x: 1.0, lib.ones(1))),
    "v needed": (RuntimeError, lambda lib, mod: mod.vjp(lambda x: x, lib.ones(2))),
    "jvp v needed": (RuntimeError, lambda lib, mod: mod.jvp(lambda x: x, lib.ones(2))),
    "v bad size": (RuntimeError, lambda lib, mod: mod.vjp(lambda x: x, lib.ones(2),
                                                          lib.ones(3))),
    "v bad entry size": (RuntimeError, lambda lib, mod: mod.jvp(
        lambda x, y: x, (lib.ones(2), lib.ones(2)), (lib.ones(2), lib.ones(1)))),
    "v bad length": (RuntimeError, lambda lib, mod: mod.jvp(
        lambda x, y: x, (lib.ones(2), lib.ones(2)), (lib.ones(2),))),
    "v two for one": (RuntimeError, lambda lib, mod: mod.jvp(
        lambda x: x, lib.ones(2), (lib.ones(2), lib.ones(2)))),
    "hessian tuple output": (RuntimeError, lambda lib, mod: mod.hessian(
        lambda x: (x.sum(), x.sum()), lib.ones(2))),
    "hessian vector output": (RuntimeError, lambda lib, mod: mod.hessian(
        lambda x: x * x, lib.ones(2))),
    "vhp vector output": (RuntimeError, lambda lib, mod: mod.vhp(
        lambda x: x * x, lib.ones(2), lib.ones(2))),
    "hvp tuple output": (RuntimeError, lambda lib, mod: mod.hvp(
        lambda x: (x.sum(),), lib.ones(2), lib.ones(2))),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_arguments(name):
    exc, fn = BAD[name]
    _both_raise(exc, fn)


def test_inputs_are_left_alone():
    x = ember.tensor([1.0, 2.0])
    EF.jacobian(lambda t: t ** 2, x)
    EF.hessian(lambda t: (t ** 3).sum(), x)
    assert not x.requires_grad and x.grad is None and x.tolist() == [1.0, 2.0]


def test_results_match_gradcheck_numerics():
    # the Jacobian of a float64 function against central differences
    x = ember.tensor([0.3, -0.7, 1.1], dtype=ember.float64)
    f = lambda t: (t.sin() * t.sum()).exp()     # noqa: E731
    jac = EF.jacobian(f, x).numpy()
    eps = 1e-6
    for j in range(3):
        d = np.zeros(3)
        d[j] = eps
        num = (f(ember.tensor(x.numpy() + d)).numpy() - f(ember.tensor(x.numpy() - d)).numpy())
        np.testing.assert_allclose(jac[:, j], num / (2 * eps), rtol=1e-6)


def test_strict_accepts_what_torch_accepts():
    # a zero but connected Jacobian, and jvp of a linear function, are fine in strict mode
    _same(EF.jacobian(lambda x: x * 0 + 1, ember.ones(2), strict=True),
          TF.jacobian(lambda x: x * 0 + 1, torch.ones(2), strict=True))
    _same(EF.jvp(lambda x: x * 2, ember.ones(2), ember.ones(2), strict=True),
          TF.jvp(lambda x: x * 2, torch.ones(2), torch.ones(2), strict=True))
