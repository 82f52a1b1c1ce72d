"""Optimizers against torch: 200 steps from the same parameters and the same gradients
must give the same parameters (to 1e-6 relative) and the same state."""
import threading

import numpy as np
import pytest
import torch

import ember

STEPS = 200
SHAPES = [(4, 3), (37,), (), (8, 16)]   # small, odd, 0-dim, and long enough for SIMD

CASES = [
    ("SGD", dict(lr=0.05)),
    ("SGD", dict(lr=0.05, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.3)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("SGD", dict(lr=0.05, weight_decay=0.1)),
    ("SGD", dict(lr=0.05, maximize=True)),
    ("SGD", dict(lr=0.02, momentum=0.8, weight_decay=0.05, nesterov=True, maximize=True)),
    ("Adam", dict()),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.99))),
    ("Adam", dict(lr=0.01, amsgrad=True)),
    ("Adam", dict(lr=0.01, weight_decay=0.1)),
    ("Adam", dict(lr=0.01, maximize=True)),
    ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.1, maximize=True, eps=1e-6)),
    ("Adam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    ("AdamW", dict()),
    ("AdamW", dict(lr=0.01, weight_decay=0.1)),
    ("AdamW", dict(lr=0.01, amsgrad=True)),
    ("AdamW", dict(lr=0.01, maximize=True, amsgrad=True, betas=(0.5, 0.9))),
    ("RMSprop", dict()),
    ("RMSprop", dict(lr=0.001, momentum=0.9)),
    ("RMSprop", dict(lr=0.001, centered=True)),
    ("RMSprop", dict(lr=0.001, centered=True, momentum=0.5)),
    ("RMSprop", dict(lr=0.001, alpha=0.9, eps=1e-6)),
    ("RMSprop", dict(lr=0.001, weight_decay=0.1)),
    ("RMSprop", dict(lr=0.001, maximize=True, alpha=0.3)),
    ("Adagrad", dict()),
    ("Adagrad", dict(lr=0.05, lr_decay=0.01)),
    ("Adagrad", dict(lr=0.05, initial_accumulator_value=0.1)),
    ("Adagrad", dict(lr=0.05, weight_decay=0.1)),
    ("Adagrad", dict(lr=0.05, eps=1e-6, maximize=True)),
]


def _ids(case):
    name, kw = case
    return name + "(" + ",".join(f"{k}={v}" for k, v in kw.items()) + ")"


def make_pair(name, kwargs, dtype, seed=0):
    """The same parameters and the same optimizer, on ember and on torch."""
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s).astype(dtype) for s in SHAPES]
    ep = [ember.tensor(a.copy(), requires_grad=True) for a in arrays]
    tp = [torch.tensor(a.copy(), requires_grad=True) for a in arrays]
    return ep, tp, getattr(ember.optim, name)(ep, **kwargs), getattr(torch.optim, name)(tp, **kwargs)


def feed_grads(ep, tp, rng, dtype):
    for e, t in zip(ep, tp):
        g = rng.standard_normal(tuple(t.shape)).astype(dtype)
        e.grad = ember.tensor(g.copy())
        t.grad = torch.tensor(g.copy())


def assert_params_close(ep, tp, dtype):
    for e, t in zip(ep, tp):
        a, b = e.detach().numpy(), t.detach().numpy()
        assert a.dtype == b.dtype and a.shape == b.shape
        # 1e-6 relative, elementwise, with the tensor's scale as the floor: torch's
        # float32 sqrt is not always correctly rounded (1 ulp off now and then), so an
        # entry that passes near zero may differ by ~1e-7 of the tensor's scale.
        scale = float(np.abs(b).max()) if b.size else 0.0
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6 * scale)


def assert_state_same(eopt, topt):
    es, ts = eopt.state_dict(), topt.state_dict()
    assert list(es) == list(ts) == ["state", "param_groups"]
    assert len(es["param_groups"]) == len(ts["param_groups"])
    for eg, tg in zip(es["param_groups"], ts["param_groups"]):
        assert list(eg) == list(tg)
        assert eg == tg
    assert list(es["state"]) == list(ts["state"])
    for i in ts["state"]:
        assert list(es["state"][i]) == list(ts["state"][i])
        for key, tv in ts["state"][i].items():
            ev = es["state"][i][key]
            assert ev.dtype.name == str(tv.dtype).replace("torch.", ""), key
            assert tuple(ev.shape) == tuple(tv.shape), key
            if key == "step":
                assert ev.item() == tv.item()
            else:
                np.testing.assert_allclose(ev.numpy(), tv.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_200_steps_match_torch(case, dtype):
    name, kwargs = case
    ep, tp, eopt, topt = make_pair(name, kwargs, dtype)
    rng = np.random.default_rng(1)
    for _ in range(STEPS):
        feed_grads(ep, tp, rng, dtype)
        eopt.step()
        topt.step()
    assert_params_close(ep, tp, dtype)
    assert_state_same(eopt, topt)


def test_large_float32_updates_in_two_threads_at_once_match_one_at_a_time():
    # Updates of over 32k float32 elements go through a float64 scratch buffer in
    # pieces (optimizer._fma32_chunked); each thread needs its own, or two optimizers
    # stepping at once would write each other's pieces.
    rng = np.random.default_rng(0)
    n, steps = 300_000, 20
    starts = [rng.standard_normal(n).astype(np.float32) for _ in range(2)]
    grads = [rng.standard_normal(n).astype(np.float32) for _ in range(2)]

    def train(k, results):
        p = ember.nn.Parameter(ember.tensor(starts[k]))
        opt = ember.optim.SGD([p], lr=0.1 * (k + 1))
        for _ in range(steps):
            p.grad = ember.tensor(grads[k])
            opt.step()
        results[k] = p.detach().numpy()

    alone = {}
    for k in range(2):
        train(k, alone)
    together = {}
    threads = [threading.Thread(target=train, args=(k, together)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in range(2):
        np.testing.assert_array_equal(together[k], alone[k])


SPECIALS = np.array([np.nan, np.inf, -np.inf, -0.0, 0.0, 1e38, 1e-45, 1.0])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_nan_and_inf_gradients_give_torch_values_without_numpy_warnings(case, dtype):
    # a diverging run: torch carries nan/inf into the parameters silently; the suite
    # turns a NumPy RuntimeWarning into an error, so a leaked one fails here
    name, kwargs = case
    rng = np.random.default_rng(0)
    start = rng.standard_normal(SPECIALS.size).astype(dtype)
    e = ember.tensor(start.copy(), requires_grad=True)
    t = torch.tensor(start.copy(), requires_grad=True)
    eopt, topt = getattr(ember.optim, name)([e], **kwargs), getattr(torch.optim, name)([t], **kwargs)
    for shift in (0, 3):
        g = np.roll(SPECIALS, shift).astype(dtype)
        e.grad, t.grad = ember.tensor(g.copy()), torch.tensor(g.copy())
        eopt.step()
        topt.step()
    a, b = e.detach().numpy(), t.detach().numpy()
    np.testing.assert_array_equal(np.isnan(a), np.isnan(b))
    np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-30)
