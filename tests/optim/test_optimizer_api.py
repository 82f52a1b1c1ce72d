"""The Optimizer base class: groups, state, zero_grad, closures, checkpoints, errors,
repr — each compared with torch's."""
import warnings

import numpy as np
import pytest
import torch

import ember

NAMES = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"]


def pair(shape=(3,), seed=0):
    a = np.random.default_rng(seed).standard_normal(shape)
    return ember.tensor(a.copy(), requires_grad=True), torch.tensor(a.copy(), requires_grad=True)


def errors_of(fn_e, fn_t):
    """Both raise: the same exception type and message."""
    with pytest.raises(Exception) as ee:
        fn_e()
    with pytest.raises(Exception) as te:
        fn_t()
    assert type(ee.value) is type(te.value), (ee.value, te.value)
    assert str(ee.value) == str(te.value)
    return str(ee.value)


# ------------------------------------------------------------------ errors
BAD_OPTIONS = [
    ("SGD", dict(lr=-1)), ("SGD", dict(lr=0.1, momentum=-0.5)),
    ("SGD", dict(lr=0.1, weight_decay=-1e-3)), ("SGD", dict(lr=0.1, nesterov=True)),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)),
    ("Adam", dict(lr=-0.5)), ("Adam", dict(eps=-1.0)), ("Adam", dict(betas=(1.0, 0.9))),
    ("Adam", dict(betas=(0.9, -0.1))), ("Adam", dict(weight_decay=-1.0)),
    ("Adam", dict(betas=(0, 0.9))),
    ("AdamW", dict(lr=-1)), ("AdamW", dict(betas=(0.9, 1.5))),
    ("RMSprop", dict(lr=-1)), ("RMSprop", dict(alpha=-0.1)), ("RMSprop", dict(eps=-1.0)),
    ("RMSprop", dict(momentum=-1.0)), ("RMSprop", dict(weight_decay=-1.0)),
    ("Adagrad", dict(lr=-1)), ("Adagrad", dict(lr_decay=-1)), ("Adagrad", dict(eps=-1.0)),
    ("Adagrad", dict(initial_accumulator_value=-1.0)), ("Adagrad", dict(weight_decay=-1)),
]


@pytest.mark.parametrize("name,kwargs", BAD_OPTIONS, ids=[f"{n}{k}" for n, k in BAD_OPTIONS])
def test_invalid_options_raise_like_torch(name, kwargs):
    e, t = pair()
    errors_of(lambda: getattr(ember.optim, name)([e], **kwargs),
              lambda: getattr(torch.optim, name)([t], **kwargs))


def test_invalid_lr_message():
    e, _ = pair()
    with pytest.raises(ValueError, match=r"^Invalid learning rate: -1$"):
        ember.optim.SGD([e], -1)


@pytest.mark.parametrize("name", NAMES)
def test_bad_params_raise_like_torch(name):
    e, t = pair()
    E, T = getattr(ember.optim, name), getattr(torch.optim, name)
    msg = errors_of(lambda: E(e), lambda: T(t))                      # a tensor, not a list
    assert "iterable of Tensors or dicts, but got torch.DoubleTensor" in msg
    errors_of(lambda: E([]), lambda: T([]))                          # empty
    errors_of(lambda: E([e * 2]), lambda: T([t * 2]))                # not a leaf
    errors_of(lambda: E([e, 3]), lambda: T([t, 3]))                  # not a tensor
    errors_of(lambda: E([e, np.zeros(2)]), lambda: T([t, np.zeros(2)]))
    errors_of(lambda: E([{"params": {e}}]), lambda: T([{"params": {t}}]))   # a set
    errors_of(lambda: E([{"params": [e]}, {"params": [e]}]),        # in two groups
              lambda: T([{"params": [t]}, {"params": [t]}]))


def test_duplicate_param_in_a_group_warns_like_torch():
    e, t = pair()
    with warnings.catch_warnings(record=True) as ew:
        warnings.simplefilter("always")
        ember.optim.SGD([e, e], lr=0.1)
    with warnings.catch_warnings(record=True) as tw:
        warnings.simplefilter("always")
        torch.optim.SGD([t, t], lr=0.1)
    assert [str(w.message) for w in ew] == [str(w.message) for w in tw]
    assert len(ew) == 1 and "duplicate parameters" in str(ew[0].message)


def test_non_leaf_that_retains_grad_is_accepted():
    x = ember.ones(2, requires_grad=True)
    y = x * 2
    y.retain_grad()
    ember.optim.SGD([y], lr=0.1)


def test_differentiable_is_refused_clearly():
    e, _ = pair()
    with pytest.raises(NotImplementedError, match="differentiable"):
        ember.optim.Adam([e], differentiable=True)


# ------------------------------------------------------------ param groups
@pytest.mark.parametrize("name", NAMES)
def test_param_groups_and_repr_equal_torch(name):
    (e1, t1), (e2, t2) = pair(seed=1), pair(seed=2)
    eo = getattr(ember.optim, name)([{"params": [e1]}, {"params": e2, "lr": 0.5}])
    to = getattr(torch.optim, name)([{"params": [t1]}, {"params": t2, "lr": 0.5}])
    for eg, tg in zip(eo.param_groups, to.param_groups):
        assert list(eg) == list(tg)
        assert {k: v for k, v in eg.items() if k != "params"} == \
               {k: v for k, v in tg.items() if k != "params"}
    assert eo.param_groups[1]["params"][0] is e2
    assert repr(eo) == repr(to)
    assert eo.defaults == to.defaults


def test_repr_text():
    e, _ = pair()
    assert repr(ember.optim.SGD([e], 0.03)) == (
        "SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False\n"
        "    foreach: None\n    fused: None\n    lr: 0.03\n    maximize: False\n"
        "    momentum: 0\n    nesterov: False\n    weight_decay: 0\n)")


def test_add_param_group_fills_defaults_and_is_optimized():
    (e1, t1), (e2, t2) = pair(seed=1), pair(seed=2)
    eo, to = ember.optim.Adam([e1], lr=0.1), torch.optim.Adam([t1], lr=0.1)
    eo.add_param_group({"params": [e2], "amsgrad": True})
    to.add_param_group({"params": [t2], "amsgrad": True})
    assert eo.param_groups[1]["lr"] == 0.1 and eo.param_groups[1]["amsgrad"] is True
    errors_of(lambda: eo.add_param_group({"params": [e1]}),
              lambda: to.add_param_group({"params": [t1]}))
    errors_of(lambda: eo.add_param_group([e1]), lambda: to.add_param_group([t1]))
    for _ in range(3):
        for e, t in ((e1, t1), (e2, t2)):
            g = np.random.default_rng(0).standard_normal(3)
            e.grad, t.grad = ember.tensor(g), torch.tensor(g)
        eo.step(); to.step()
    for e, t in ((e1, t1), (e2, t2)):
        np.testing.assert_allclose(e.detach().numpy(), t.detach().numpy(), rtol=1e-12)
    assert list(eo.state[e2]) == list(to.state[t2]) == ["step", "exp_avg", "exp_avg_sq",
                                                         "max_exp_avg_sq"]


def test_named_parameters_give_param_names():
    e, t = pair()
    eo = ember.optim.SGD([("w", e)], lr=0.1)
    to = torch.optim.SGD([("w", t)], lr=0.1)
    assert eo.param_groups[0]["param_names"] == ["w"]
    assert eo.state_dict()["param_groups"] == to.state_dict()["param_groups"]


# ------------------------------------------------------------------- steps
@pytest.mark.parametrize("name", NAMES)
def test_step_updates_in_place_and_bumps_version(name):
    e, _ = pair()
    view = e.detach()[1:]
    before = e._version
    data_id = id(e)
    opt = getattr(ember.optim, name)([e], lr=0.1)
    e.grad = ember.ones(3, dtype=ember.float64)
    old = e.detach().clone()
    opt.step()
    assert id(e) == data_id and e.requires_grad and e.is_leaf and e.grad_fn is None
    assert e._version > before
    assert not ember.equal(e.detach(), old)
    assert ember.equal(view, e.detach()[1:])            # views see the update


@pytest.mark.parametrize("name", NAMES)
def test_params_without_grad_are_skipped(name):
    (e1, t1), (e2, t2) = pair(seed=1), pair(seed=2)
    eo = getattr(ember.optim, name)([e1, e2], lr=0.1)
    to = getattr(torch.optim, name)([t1, t2], lr=0.1)
    e1.grad, t1.grad = ember.ones(3, dtype=ember.float64), torch.ones(3, dtype=torch.float64)
    old = e2.detach().clone()
    eo.step(); to.step()
    assert ember.equal(e2.detach(), old)
    assert list(eo.state_dict()["state"]) == list(to.state_dict()["state"])
    np.testing.assert_allclose(e1.detach().numpy(), t1.detach().numpy(), rtol=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_step_with_closure_returns_loss_and_runs_with_grad(name):
    e, t = pair()
    target = np.arange(3.0)

    def closure_for(mod, p, opt):
        def closure():
            opt.zero_grad()
            loss = ((p - mod.tensor(target)) ** 2).sum()
            loss.backward()
            return loss
        return closure

    eo = getattr(ember.optim, name)([e], lr=0.05)
    to = getattr(torch.optim, name)([t], lr=0.05)
    for _ in range(5):
        with ember.no_grad():                  # step's closure still gets grad mode
            el = eo.step(closure_for(ember, e, eo))
        with torch.no_grad():
            tl = to.step(closure_for(torch, t, to))
        assert isinstance(el, ember.Tensor)
        np.testing.assert_allclose(el.item(), tl.item(), rtol=1e-12)
    np.testing.assert_allclose(e.detach().numpy(), t.detach().numpy(), rtol=1e-12)
    assert eo.step() is None


def test_zero_grad():
    e, t = pair()
    opt = ember.optim.SGD([e], lr=0.1)
    (e * 2).sum().backward()
    opt.zero_grad()
    assert e.grad is None
    (e * 2).sum().backward()
    g = e.grad
    opt.zero_grad(set_to_none=False)
    assert e.grad is g and ember.equal(g, ember.zeros(3, dtype=ember.float64))
    opt.zero_grad(set_to_none=False)       # no gradient at all is fine too
    ember.optim.SGD([ember.zeros(2, requires_grad=True)]).zero_grad(set_to_none=False)


def test_zero_grad_detaches_a_grad_with_history():
    e = ember.ones(2, requires_grad=True)
    y = (e ** 2).sum()
    (g,) = ember.autograd.grad(y, e, create_graph=True)
    e.grad = g
    assert e.grad.grad_fn is not None
    ember.optim.SGD([e], lr=0.1).zero_grad(set_to_none=False)
    assert e.grad.grad_fn is None and not e.grad.requires_grad
    assert ember.equal(e.grad, ember.zeros(2))


def test_a_learning_rate_tensor_is_accepted():
    e, t = pair()
    eo = ember.optim.SGD([e], lr=ember.tensor(0.1))
    to = torch.optim.SGD([t], lr=torch.tensor(0.1))
    e.grad, t.grad = ember.ones(3, dtype=ember.float64), torch.ones(3, dtype=torch.float64)
    eo.step(); to.step()
    np.testing.assert_allclose(e.detach().numpy(), t.detach().numpy(), rtol=1e-7)


# options given as tensors, built with each library's own tensor(): (name, lib -> kwargs)
BAD_TENSOR_OPTIONS = [
    *[(name, lambda lib: dict(lr=lib.tensor([0.1, 0.2]))) for name in NAMES],
    ("Adam", lambda lib: dict(lr=lib.tensor(0.1), foreach=True)),
    ("Adam", lambda lib: dict(betas=(lib.tensor(0.9), 0.99))),
    ("Adam", lambda lib: dict(betas=(lib.tensor([0.9]), lib.tensor([0.9, 0.9])))),
    ("AdamW", lambda lib: dict(betas=(lib.tensor(0.9), lib.tensor(0.9)), foreach=True)),
]


@pytest.mark.parametrize("name,kwargs", BAD_TENSOR_OPTIONS,
                         ids=[f"{n}-{i}" for i, (n, _) in enumerate(BAD_TENSOR_OPTIONS)])
def test_invalid_tensor_options_raise_like_torch(name, kwargs):
    e, t = pair()
    errors_of(lambda: getattr(ember.optim, name)([e], **kwargs(ember)),
              lambda: getattr(torch.optim, name)([t], **kwargs(torch)))


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
@pytest.mark.parametrize("amsgrad", [False, True])
def test_betas_as_tensors_are_accepted_and_kept_0_dim(name, amsgrad):
    e, t = pair((20,))
    eo = getattr(ember.optim, name)([e], lr=0.01, amsgrad=amsgrad,
                                   betas=(ember.tensor([0.8]), ember.tensor(0.99)))
    to = getattr(torch.optim, name)([t], lr=0.01, amsgrad=amsgrad,
                                   betas=(torch.tensor([0.8]), torch.tensor(0.99)))
    rng = np.random.default_rng(3)
    for _ in range(20):
        g = rng.standard_normal(20)
        e.grad, t.grad = ember.tensor(g), torch.tensor(g)
        eo.step(); to.step()
    # torch does the bias corrections of tensor betas in float32 tensor arithmetic, ember
    # in Python floats: float64 parameters agree to float32's precision
    np.testing.assert_allclose(e.detach().numpy(), t.detach().numpy(), rtol=1e-6)
    for eb, tb in zip(eo.param_groups[0]["betas"], to.param_groups[0]["betas"]):
        assert isinstance(eb, ember.Tensor) and eb.shape == tb.shape == ()
        assert eb.item() == tb.item()


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64])
def test_step_counter_dtype_follows_default_dtype(dtype):
    ember.set_default_dtype(dtype)
    e = ember.zeros(2, requires_grad=True)
    opt = ember.optim.Adam([e])
    e.grad = ember.ones(2)
    opt.step()
    step = opt.state[e]["step"]
    assert step.dtype is dtype and step.shape == () and step.item() == 1.0


def test_training_a_line_converges():
    """SGD with momentum fits y = 2x - 1 (the optimizer really optimizes)."""
    x = ember.linspace(-1, 1, 50)
    y = 2 * x - 1
    w, b = ember.zeros(1, requires_grad=True), ember.zeros(1, requires_grad=True)
    opt = ember.optim.SGD([w, b], lr=0.1, momentum=0.9)
    for _ in range(200):
        opt.zero_grad()
        ((w * x + b - y) ** 2).mean().backward()
        opt.step()
    assert abs(w.item() - 2) < 1e-3 and abs(b.item() + 1) < 1e-3


# ------------------------------------------------------------- checkpoints
def _run(opt, params, grads):
    for g in grads:
        for p, gi in zip(params, g):
            p.grad = ember.tensor(gi) if isinstance(p, ember.Tensor) else torch.tensor(gi)
        opt.step()


CHECKPOINT_CASES = [("SGD", dict(lr=0.1, momentum=0.9)), ("SGD", dict(lr=0.1)),
                    ("Adam", dict(amsgrad=True)), ("AdamW", dict(lr=0.01)),
                    ("RMSprop", dict(momentum=0.5, centered=True)),
                    ("Adagrad", dict(lr_decay=0.1))]


@pytest.mark.parametrize("name,kwargs", CHECKPOINT_CASES,
                         ids=[f"{n}{k}" for n, k in CHECKPOINT_CASES])
def test_state_dict_round_trip_and_structure(name, kwargs):
    rng = np.random.default_rng(0)
    grads = [[rng.standard_normal(3), rng.standard_normal((2, 2))] for _ in range(10)]
    init = [rng.standard_normal(3), rng.standard_normal((2, 2))]
    ep = [ember.tensor(a.copy(), requires_grad=True) for a in init]
    tp = [torch.tensor(a.copy(), requires_grad=True) for a in init]
    eo = getattr(ember.optim, name)([{"params": ep[:1]}, {"params": ep[1:], "lr": 0.02}], **kwargs)
    to = getattr(torch.optim, name)([{"params": tp[:1]}, {"params": tp[1:], "lr": 0.02}], **kwargs)
    _run(eo, ep, grads[:5])
    _run(to, tp, grads[:5])

    esd, tsd = eo.state_dict(), to.state_dict()
    assert esd["param_groups"] == tsd["param_groups"]
    assert list(esd["state"]) == list(tsd["state"])
    for i in tsd["state"]:
        assert list(esd["state"][i]) == list(tsd["state"][i])
        for k, tv in tsd["state"][i].items():
            ev = esd["state"][i][k]
            assert ev.dtype.name == str(tv.dtype).replace("torch.", "")
            np.testing.assert_allclose(ev.numpy(), tv.numpy(), rtol=1e-12)

    # a new optimizer over new tensors, loaded, continues exactly like the original
    ep2 = [ember.tensor(p.detach().numpy().copy(), requires_grad=True) for p in ep]
    eo2 = getattr(ember.optim, name)([{"params": ep2[:1]}, {"params": ep2[1:]}], **kwargs)
    eo2.load_state_dict(esd)
    assert eo2.param_groups[1]["lr"] == 0.02
    assert eo2.param_groups[0]["params"][0] is ep2[0]
    _run(eo, ep, grads[5:])
    _run(eo2, ep2, grads[5:])
    _run(to, tp, grads[5:])
    for a, b, t in zip(ep, ep2, tp):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
        np.testing.assert_allclose(a.detach().numpy(), t.detach().numpy(), rtol=1e-12)
    # loading copied the buffers: the two optimizers do not share state
    for k, v in eo.state[ep[0]].items():
        assert v is not eo2.state[ep2[0]][k]


def test_load_state_dict_casts_buffers_to_the_param_dtype_and_keeps_step():
    e64 = ember.zeros(2, dtype=ember.float64, requires_grad=True)
    opt = ember.optim.Adam([e64])
    e64.grad = ember.ones(2, dtype=ember.float64)
    opt.step()
    e32 = ember.zeros(2, requires_grad=True)
    opt32 = ember.optim.Adam([e32])
    opt32.load_state_dict(opt.state_dict())
    assert opt32.state[e32]["exp_avg"].dtype is ember.float32
    assert opt32.state[e32]["step"].dtype is ember.float32   # step keeps its own dtype


def test_load_state_dict_errors_like_torch():
    (e1, t1), (e2, t2) = pair(seed=1), pair(seed=2)
    eo1, to1 = ember.optim.SGD([e1, e2], lr=0.1), torch.optim.SGD([t1, t2], lr=0.1)
    eo2 = ember.optim.SGD([{"params": [e1]}, {"params": [e2]}], lr=0.1)
    to2 = torch.optim.SGD([{"params": [t1]}, {"params": [t2]}], lr=0.1)
    eo3, to3 = ember.optim.SGD([e1], lr=0.1), torch.optim.SGD([t1], lr=0.1)
    errors_of(lambda: eo2.load_state_dict(eo1.state_dict()),
              lambda: to2.load_state_dict(to1.state_dict()))
    errors_of(lambda: eo3.load_state_dict(eo1.state_dict()),
              lambda: to3.load_state_dict(to1.state_dict()))


def test_adagrad_state_exists_before_the_first_step():
    e, t = pair()
    eo, to = ember.optim.Adagrad([e], initial_accumulator_value=0.5), \
        torch.optim.Adagrad([t], initial_accumulator_value=0.5)
    es, ts = eo.state_dict()["state"], to.state_dict()["state"]
    assert list(es[0]) == list(ts[0]) == ["step", "sum"]
    np.testing.assert_array_equal(es[0]["sum"].numpy(), ts[0]["sum"].numpy())


def test_adamw_always_decouples_after_loading():
    e, _ = pair()
    adam = ember.optim.Adam([e])
    adamw = ember.optim.AdamW([e])
    adamw.load_state_dict(adam.state_dict())
    assert adamw.param_groups[0]["decoupled_weight_decay"] is True
