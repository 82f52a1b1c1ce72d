"""Learning-rate schedules against torch: the same lr sequence, step for step."""
import math
import warnings

import numpy as np
import pytest
import torch

import ember
from ember.optim import lr_scheduler as elrs
from torch.optim import lr_scheduler as tlrs

LRS = [0.1, 0.03]      # two param groups with different lrs


def make_optimizers(name="SGD", **kw):
    ep = [ember.zeros(2, requires_grad=True), ember.zeros(3, requires_grad=True)]
    tp = [torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)]
    eopt = getattr(ember.optim, name)([{"params": [p], "lr": lr} for p, lr in zip(ep, LRS)], **kw)
    topt = getattr(torch.optim, name)([{"params": [p], "lr": lr} for p, lr in zip(tp, LRS)], **kw)
    return eopt, topt


def lr_sequences(make, steps, metrics=None):
    """lrs (group values and get_last_lr) over ``steps`` epochs, for ember and torch."""
    eopt, topt = make_optimizers()
    out = []
    for opt, mod in ((eopt, elrs), (topt, tlrs)):
        sched = make(mod, opt)
        seq = [([g["lr"] for g in opt.param_groups], list(sched.get_last_lr()))]
        for epoch in range(steps):
            opt.step()
            sched.step(metrics[epoch]) if metrics is not None else sched.step()
            seq.append(([g["lr"] for g in opt.param_groups], list(sched.get_last_lr())))
        out.append(seq)
    return out


SCHEDULES = {
    "StepLR": lambda m, o: m.StepLR(o, step_size=7, gamma=0.5),
    "StepLR-default-gamma": lambda m, o: m.StepLR(o, 3),
    "MultiStepLR": lambda m, o: m.MultiStepLR(o, milestones=[5, 12, 12, 40], gamma=0.3),
    "ExponentialLR": lambda m, o: m.ExponentialLR(o, gamma=0.97),
    "CosineAnnealingLR": lambda m, o: m.CosineAnnealingLR(o, T_max=10),
    "CosineAnnealingLR-eta_min": lambda m, o: m.CosineAnnealingLR(o, T_max=17, eta_min=0.001),
    "LambdaLR": lambda m, o: m.LambdaLR(o, lr_lambda=lambda e: 1 / (1 + 0.1 * e)),
    "LambdaLR-per-group": lambda m, o: m.LambdaLR(
        o, [lambda e: 0.9 ** e, lambda e: math.cos(e / 10) ** 2]),
}


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_lr_sequence_equals_torch(name):
    e, t = lr_sequences(SCHEDULES[name], 120)
    assert e == t                  # exactly: the same float arithmetic in the same order


def _plateau_metrics(seed, n=150):
    rng = np.random.default_rng(seed)
    # a falling loss that flattens out, with noise and plateaus
    base = np.concatenate([np.linspace(1.0, 0.5, 40), np.full(40, 0.5), np.linspace(0.5, 0.4, 30),
                           np.full(n - 110, 0.4)])
    return list(base + 0.002 * rng.standard_normal(n))


PLATEAUS = [
    dict(),
    dict(mode="max", factor=0.5, patience=3),
    dict(factor=0.5, patience=2, threshold=0.01, threshold_mode="abs"),
    dict(mode="max", threshold_mode="abs", threshold=0.001, patience=4),
    dict(factor=0.2, patience=1, cooldown=5),
    dict(factor=0.1, patience=0, min_lr=0.0005),
    dict(factor=0.5, patience=0, min_lr=[0.01, 0.001]),
    dict(factor=0.9, patience=0, eps=0.005),
]


@pytest.mark.parametrize("kwargs", PLATEAUS, ids=[str(k) for k in PLATEAUS])
def test_reduce_lr_on_plateau_equals_torch(kwargs):
    metrics = _plateau_metrics(0)
    if kwargs.get("mode") == "max":
        metrics = [-m for m in metrics]
    e, t = lr_sequences(lambda m, o: m.ReduceLROnPlateau(o, **kwargs), 150, metrics)
    assert e == t
    assert e[-1] != e[0]           # the schedule did act


def test_reduce_lr_on_plateau_errors_and_state():
    eopt, topt = make_optimizers()
    for mod, opt in ((elrs, eopt), (tlrs, topt)):
        with pytest.raises(ValueError, match=r"^Factor should be < 1.0.$"):
            mod.ReduceLROnPlateau(opt, factor=1.0)
        with pytest.raises(ValueError, match="^mode abc is unknown!$"):
            mod.ReduceLROnPlateau(opt, mode="abc")
        with pytest.raises(ValueError, match="^threshold mode x is unknown!$"):
            mod.ReduceLROnPlateau(opt, threshold_mode="x")
        with pytest.raises(ValueError, match="^expected 2 min_lrs, got 1$"):
            mod.ReduceLROnPlateau(opt, min_lr=[0.1])
    es = elrs.ReduceLROnPlateau(eopt, patience=1)
    ts = tlrs.ReduceLROnPlateau(topt, patience=1)
    for m in [1.0, 0.9, 0.95, 0.96]:
        es.step(m)
        ts.step(m)
    assert es.state_dict() == ts.state_dict()
    fresh = elrs.ReduceLROnPlateau(make_optimizers()[0], patience=1)
    fresh.load_state_dict(es.state_dict())
    assert fresh.best == 0.9 and fresh.num_bad_epochs == es.num_bad_epochs


@pytest.mark.parametrize("name", ["StepLR", "MultiStepLR", "CosineAnnealingLR", "LambdaLR"])
def test_state_dict_equals_torch_and_resumes(name):
    make = SCHEDULES[name]
    eopt, topt = make_optimizers()
    es, ts = make(elrs, eopt), make(tlrs, topt)
    for _ in range(13):
        eopt.step(); topt.step(); es.step(); ts.step()
    esd, tsd = es.state_dict(), ts.state_dict()
    assert list(esd) == list(tsd)
    assert esd == tsd
    # resume: a new scheduler on a new optimizer continues exactly where this one is
    eopt2, _ = make_optimizers()
    eopt2.load_state_dict(eopt.state_dict())
    es2 = make(elrs, eopt2)
    es2.load_state_dict(es.state_dict())
    for _ in range(30):
        eopt.step(); es.step(); eopt2.step(); es2.step()
        assert es2.get_last_lr() == es.get_last_lr()


def test_initial_lr_and_base_lrs():
    eopt, topt = make_optimizers()
    es, ts = elrs.StepLR(eopt, 2), tlrs.StepLR(topt, 2)
    assert [g["initial_lr"] for g in eopt.param_groups] == LRS
    assert es.base_lrs == ts.base_lrs == LRS
    assert es.last_epoch == ts.last_epoch == 0
    assert list(eopt.param_groups[0]) == list(topt.param_groups[0])


def test_resuming_without_initial_lr_is_a_key_error():
    eopt, topt = make_optimizers()
    with pytest.raises(KeyError) as ee:
        elrs.StepLR(eopt, 2, last_epoch=5)
    with pytest.raises(KeyError) as te:
        tlrs.StepLR(topt, 2, last_epoch=5)
    assert str(ee.value) == str(te.value)


def _warnings_of(fn):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        fn()
    return [str(x.message) for x in w]


def test_warns_when_scheduler_steps_before_optimizer():
    def run(mod, opt):
        sched = mod.StepLR(opt, 2)
        return _warnings_of(sched.step)

    eopt, topt = make_optimizers()
    ew, tw = run(elrs, eopt), run(tlrs, topt)
    assert ew == tw and len(ew) == 1 and "before `optimizer.step()`" in ew[0]


def test_no_warning_in_the_right_order():
    eopt, _ = make_optimizers()
    sched = elrs.ExponentialLR(eopt, 0.9)

    def right_order():
        eopt.step()
        sched.step()
    assert _warnings_of(right_order) == []


def test_get_lr_outside_step_warns_and_epoch_argument_is_deprecated():
    eopt, topt = make_optimizers()
    es, ts = elrs.StepLR(eopt, 3, gamma=0.5), tlrs.StepLR(topt, 3, gamma=0.5)
    assert _warnings_of(es.get_lr) == _warnings_of(ts.get_lr)
    eopt.step(); topt.step()
    ew = _warnings_of(lambda: es.step(7))
    tw = _warnings_of(lambda: ts.step(7))
    assert ew == tw and "deprecated" in ew[0]
    assert es.get_last_lr() == ts.get_last_lr() == [0.1 * 0.25, 0.03 * 0.25]   # closed form


def test_scheduler_type_errors():
    with pytest.raises(TypeError, match="^list is not an Optimizer$"):
        elrs.StepLR([], 2)
    eopt, _ = make_optimizers()
    with pytest.raises(ValueError, match="^Expected 2 lr_lambdas, but got 1$"):
        elrs.LambdaLR(eopt, [lambda e: 1.0])


def test_lambda_lr_saves_callable_objects_state():
    class Decay:
        def __init__(self):
            self.rate = 0.5

        def __call__(self, epoch):
            return self.rate ** epoch

    eopt, _ = make_optimizers()
    sched = elrs.LambdaLR(eopt, [Decay(), lambda e: 1.0])
    sd = sched.state_dict()
    assert sd["lr_lambdas"] == [{"rate": 0.5}, None]
    sd["lr_lambdas"][0]["rate"] = 0.25
    sched.load_state_dict(sd)
    assert sched.lr_lambdas[0].rate == 0.25
    assert "lr_lambdas" in sd           # the caller's dict is left whole


def test_schedulers_drive_training_like_torch():
    """An SGD run whose lr follows a cosine schedule: parameters equal torch's."""
    rng = np.random.default_rng(3)
    w0 = rng.standard_normal(5)
    ew, tw = ember.tensor(w0.copy(), requires_grad=True), torch.tensor(w0.copy(), requires_grad=True)
    eo, to = ember.optim.SGD([ew], lr=0.1, momentum=0.9), torch.optim.SGD([tw], lr=0.1, momentum=0.9)
    es, ts = elrs.CosineAnnealingLR(eo, T_max=20), tlrs.CosineAnnealingLR(to, T_max=20)
    for _ in range(50):
        g = rng.standard_normal(5)
        ew.grad, tw.grad = ember.tensor(g), torch.tensor(g)
        eo.step(); to.step(); es.step(); ts.step()
    np.testing.assert_allclose(ew.detach().numpy(), tw.detach().numpy(), rtol=1e-12)
