"""The differential-testing kit: run the same thing on ember and on torch, compare.

    x = rand_array((2, 3))
    e, t = both(x, requires_grad=True)          # an ember tensor and a torch tensor
    assert_same(ember.exp(e), torch.exp(t))     # values, dtype and shape
    assert_grads_same(lambda m, a: m.exp(a).sum(), [x])

``assert_same`` compares values (NaNs equal), dtype names and shapes; it is
the one assertion every differential test ends in.
"""
import numpy as np
import torch

import ember

# ember dtype <-> torch dtype, by name
DTYPE_NAMES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32",
               "float64"]
FLOAT_NAMES = ["float16", "float32", "float64"]


def to_torch(x, requires_grad=False):
    if isinstance(x, ember.Tensor):
        arr = np.array(x.detach()._data, copy=True)
        t = torch.from_numpy(arr.copy(order="C")) if arr.ndim else torch.tensor(arr)
        return t.requires_grad_(requires_grad) if requires_grad else t
    return x


def both(array, requires_grad=False):
    """(ember tensor, torch tensor) holding copies of ``array``."""
    array = np.asarray(array)
    e = ember.tensor(array.copy(), requires_grad=requires_grad)
    t = torch.tensor(array.copy(), requires_grad=requires_grad)
    return e, t


def assert_same(e, t, rtol=1e-5, atol=1e-6, check_dtype=True, what=""):
    """ember result == torch result: type, dtype, shape and values (NaN == NaN)."""
    if isinstance(t, (tuple, list)):
        assert isinstance(e, (tuple, list)), f"{what}: expected a sequence, got {type(e)}"
        assert len(e) == len(t), f"{what}: length {len(e)} != {len(t)}"
        for i, (a, b) in enumerate(zip(e, t)):
            assert_same(a, b, rtol, atol, check_dtype, what=f"{what}[{i}]")
        return
    if not isinstance(t, torch.Tensor):
        assert not isinstance(e, ember.Tensor), f"{what}: ember gave a Tensor, torch {type(t)}"
        if isinstance(t, float) and np.isnan(t):
            assert np.isnan(e)
        else:
            assert e == t or np.isclose(e, t, rtol=rtol, atol=atol), f"{what}: {e} != {t}"
        return
    assert isinstance(e, ember.Tensor), f"{what}: ember gave {type(e)}, torch a Tensor"
    assert tuple(e.shape) == tuple(t.shape), f"{what}: shape {tuple(e.shape)} != {tuple(t.shape)}"
    if check_dtype:
        assert e.dtype.name == str(t.dtype).replace("torch.", ""), \
            f"{what}: dtype {e.dtype} != {t.dtype}"
    a = np.asarray(e.detach()._data)
    b = t.detach().numpy()
    if a.dtype.kind == "f" or b.dtype.kind == "f":
        np.testing.assert_allclose(a.astype(np.float64), b.astype(np.float64), rtol=rtol,
                                   atol=atol, equal_nan=True, err_msg=what)
    else:
        np.testing.assert_array_equal(a, b, err_msg=what)


def assert_grads_same(fn, arrays, rtol=1e-5, atol=1e-6, grad_out=None):
    """fn(module, *tensors) -> tensor, run with module = ember and module = torch on
    copies of ``arrays`` (all requiring grad); outputs and input gradients must agree."""
    es = [ember.tensor(np.array(a), requires_grad=True) for a in arrays]
    ts = [torch.tensor(np.array(a), requires_grad=True) for a in arrays]
    eo, to = fn(ember, *es), fn(torch, *ts)
    assert_same(eo, to, rtol, atol, what="output")
    if grad_out is None:
        g = np.random.default_rng(0).standard_normal(tuple(to.shape)).astype(
            str(to.dtype).replace("torch.", ""))
    else:
        g = grad_out
    eo.backward(ember.tensor(g))
    to.backward(torch.tensor(g))
    for i, (e, t) in enumerate(zip(es, ts)):
        if t.grad is None:
            assert e.grad is None or not np.any(e.grad._data), f"grad {i}: torch has none"
        else:
            assert_same(e.grad, t.grad, rtol, atol, what=f"grad of input {i}")


def raised(fn):
    """The exception ``fn()`` raises (to compare its type and message), or None."""
    try:
        fn()
    except Exception as err:     # noqa: BLE001 - the exception is the result compared
        return err
    return None


def assert_same_error(case, first_line=False):
    """``case(torch)`` raises; ``case(ember)`` raises the same type with the same message
    (with ``first_line``, the same first line: for torch's "received an invalid
    combination of arguments", whose later lines of details ember gives best effort)."""
    import pytest
    with pytest.raises(Exception) as t_err:
        case(torch)
    with pytest.raises(type(t_err.value)) as e_err:
        case(ember)
    if first_line:
        assert str(e_err.value).splitlines()[0] == str(t_err.value).splitlines()[0]
    else:
        assert str(e_err.value) == str(t_err.value)


def outcome_in(m, fn):
    """Run ``fn(m)`` and return ("ok", result) or ("error", type name, message), so that
    the outcomes on ember and on torch can be compared with ==."""
    try:
        return "ok", fn(m)
    except Exception as err:     # noqa: BLE001 - the exception is the result compared
        return "error", type(err).__name__, str(err)


def same_outcome(fn, e_args, t_args, rtol=1e-5, atol=1e-6, check_message=True):
    """fn(module, *args) on torch and on ember: the same result, or the same exception
    (type, and message unless check_message is False). Returns ember's result."""
    import warnings

    import pytest
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.filterwarnings("error", category=RuntimeWarning, module="ember")
        try:
            expected = fn(torch, *t_args)
        except Exception as err:
            with pytest.raises(type(err)) as info:
                fn(ember, *e_args)
            if check_message:
                assert str(info.value) == str(err)
            return None
        got = fn(ember, *e_args)
    assert_same(got, expected, rtol=rtol, atol=atol)
    return got
