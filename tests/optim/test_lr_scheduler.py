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


# ---------------------------------------------------------------------------------------
# The remaining schedules: MultiplicativeLR, ConstantLR, LinearLR, PolynomialLR,
# CosineAnnealingWarmRestarts, CyclicLR, OneCycleLR, SequentialLR, ChainedScheduler.

def _momenta(opt):
    """Each group's momentum (SGD, RMSprop) or beta1 (Adam), None if it has neither."""
    g0 = opt.param_groups
    return [g["betas"][0] if "betas" in g else g.get("momentum") for g in g0]


def _plain(v):
    """A tensor lr as its float value (ember and torch tensors compare by value)."""
    return v.item() if hasattr(v, "item") else v


def sequences(make, steps, optim="SGD", tensor_lr=False, step_args=None, **kw):
    """(lrs, momenta, get_last_lr) after construction and each step, ember and torch."""
    eopt, topt = make_optimizers(optim, **kw)
    if tensor_lr:
        for opt, lib in ((eopt, ember), (topt, torch)):
            for g, lr in zip(opt.param_groups, LRS):
                g["lr"] = lib.tensor(lr)
    out = []
    for opt, mod in ((eopt, elrs), (topt, tlrs)):
        sched = make(mod, opt)

        def snapshot():
            return ([_plain(g["lr"]) for g in opt.param_groups], _momenta(opt),
                    [_plain(v) for v in sched.get_last_lr()])
        seq = [snapshot()]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")       # the epoch argument's deprecation
            warnings.filterwarnings("error", category=RuntimeWarning, module="ember")
            for i in range(steps):
                opt.step()
                if step_args is None:
                    sched.step()
                else:
                    sched.step(step_args[i])
                seq.append(snapshot())
        out.append(seq)
    return out


NEW_SCHEDULES = {
    "MultiplicativeLR": lambda m, o: m.MultiplicativeLR(o, lambda e: 0.97),
    "MultiplicativeLR-per-group": lambda m, o: m.MultiplicativeLR(
        o, [lambda e: 0.99 if e % 3 else 1.05, lambda e: 1 / (1 + 0.01 * e)]),
    "ConstantLR": lambda m, o: m.ConstantLR(o),
    "ConstantLR-factor": lambda m, o: m.ConstantLR(o, factor=0.3, total_iters=17),
    "ConstantLR-zero-iters": lambda m, o: m.ConstantLR(o, factor=0.5, total_iters=0),
    "LinearLR": lambda m, o: m.LinearLR(o),
    "LinearLR-decay": lambda m, o: m.LinearLR(o, start_factor=1.0, end_factor=0.05,
                                              total_iters=40),
    "LinearLR-warmup": lambda m, o: m.LinearLR(o, start_factor=0.01, end_factor=0.7,
                                               total_iters=33),
    "PolynomialLR": lambda m, o: m.PolynomialLR(o),
    "PolynomialLR-power": lambda m, o: m.PolynomialLR(o, total_iters=60, power=2.5),
    "PolynomialLR-sqrt": lambda m, o: m.PolynomialLR(o, total_iters=45, power=0.5),
    "CosineAnnealingWarmRestarts": lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=10),
    "CosineAnnealingWarmRestarts-mult": lambda m, o: m.CosineAnnealingWarmRestarts(
        o, T_0=3, T_mult=2, eta_min=0.001),
    "CyclicLR-triangular": lambda m, o: m.CyclicLR(o, 0.001, 0.1, step_size_up=7),
    "CyclicLR-triangular2": lambda m, o: m.CyclicLR(o, [0.001, 0.002], [0.1, 0.05], 5,
                                                    step_size_down=9, mode="triangular2"),
    "CyclicLR-exp_range": lambda m, o: m.CyclicLR(o, 0.01, 0.2, 6, mode="exp_range",
                                                  gamma=0.98),
    "CyclicLR-scale_fn-cycle": lambda m, o: m.CyclicLR(
        o, 0.01, 0.1, 4, scale_fn=lambda x: 1 / x, base_momentum=[0.7, 0.75],
        max_momentum=0.95),
    "CyclicLR-scale_fn-iterations": lambda m, o: m.CyclicLR(
        o, 0.01, 0.1, 4, 11, scale_fn=lambda x: 0.99 ** x, scale_mode="iterations"),
    "CyclicLR-no-momentum": lambda m, o: m.CyclicLR(o, 0.01, 0.1, 3, cycle_momentum=False),
    "OneCycleLR": lambda m, o: m.OneCycleLR(o, max_lr=0.5, total_steps=150),
    "OneCycleLR-linear": lambda m, o: m.OneCycleLR(
        o, max_lr=[0.5, 0.2], epochs=10, steps_per_epoch=15, anneal_strategy="linear",
        pct_start=0.25, div_factor=10.0, final_div_factor=100.0),
    "OneCycleLR-three-phase": lambda m, o: m.OneCycleLR(
        o, max_lr=0.3, total_steps=150, three_phase=True, base_momentum=0.8,
        max_momentum=[0.9, 0.99]),
    "OneCycleLR-three-phase-linear-no-momentum": lambda m, o: m.OneCycleLR(
        o, max_lr=0.3, total_steps=151, three_phase=True, anneal_strategy="linear",
        cycle_momentum=False),
    "SequentialLR": lambda m, o: m.SequentialLR(
        o, [m.LinearLR(o, start_factor=0.1, total_iters=10), m.ExponentialLR(o, gamma=0.95)],
        milestones=[10]),
    "SequentialLR-three": lambda m, o: m.SequentialLR(
        o, [m.ConstantLR(o, factor=0.2, total_iters=8), m.CosineAnnealingLR(o, T_max=30),
            m.StepLR(o, 10, gamma=0.5)], milestones=[5, 40]),
    "ChainedScheduler": lambda m, o: m.ChainedScheduler(
        [m.ConstantLR(o, factor=0.1, total_iters=5), m.ExponentialLR(o, gamma=0.98)]),
    "ChainedScheduler-three": lambda m, o: m.ChainedScheduler(
        [m.LinearLR(o, start_factor=0.5, total_iters=20), m.CosineAnnealingLR(o, T_max=25),
         m.MultiStepLR(o, [30, 60], gamma=0.5)], optimizer=o),
    "SequentialLR-of-chained": lambda m, o: m.SequentialLR(
        o, [m.ChainedScheduler([m.ConstantLR(o, factor=0.5, total_iters=3),
                                m.ExponentialLR(o, gamma=0.9)]), m.PolynomialLR(o, 50)],
        milestones=[12]),
}


@pytest.mark.filterwarnings("ignore:Detected call")   # SequentialLR-of-chained, as in torch
@pytest.mark.parametrize("name", list(NEW_SCHEDULES))
def test_new_schedules_equal_torch(name):
    steps = 150 if name.startswith("OneCycleLR") else 160
    e, t = sequences(NEW_SCHEDULES[name], steps, momentum=0.9)
    assert e == t                    # bit for bit
    assert any(s[0] != LRS for s in e)                # the schedule did act


@pytest.mark.parametrize("name", ["CyclicLR-triangular2", "CyclicLR-exp_range",
                                  "OneCycleLR", "OneCycleLR-three-phase"])
@pytest.mark.parametrize("optim", ["Adam", "AdamW", "RMSprop"])
def test_cycled_momentum_of_other_optimizers_equals_torch(name, optim):
    kw = {"momentum": 0.5} if optim == "RMSprop" else {}
    e, t = sequences(NEW_SCHEDULES[name], 150, optim=optim, **kw)
    assert e == t
    assert len({str(s[1]) for s in e}) > 3            # beta1 / momentum moved


@pytest.mark.parametrize("name", ["MultiplicativeLR", "ConstantLR-factor", "LinearLR-warmup",
                                  "PolynomialLR-power", "CosineAnnealingWarmRestarts-mult",
                                  "SequentialLR", "ChainedScheduler"])
def test_tensor_lr_equals_torch(name):
    e, t = sequences(NEW_SCHEDULES[name], 80, tensor_lr=True)
    assert e == t


def test_one_cycle_with_steps_past_the_end_raises_like_torch():
    eopt, topt = make_optimizers(momentum=0.9)
    es, ts = elrs.OneCycleLR(eopt, 0.1, total_steps=5), tlrs.OneCycleLR(topt, 0.1, total_steps=5)
    for _ in range(5):
        eopt.step(); topt.step(); es.step(); ts.step()
    with pytest.raises(ValueError) as ee:
        es.step()
    with pytest.raises(ValueError) as te:
        ts.step()
    assert str(ee.value) == str(te.value) == (
        "Tried to step 6 times. The specified number of total steps is 5")


@pytest.mark.parametrize("T_mult", [1, 2, 3])
def test_warm_restarts_with_fractional_epochs_equal_torch(T_mult):
    batches = 7
    epochs = [e + i / batches for e in range(25) for i in range(batches)]
    make = lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=T_mult, eta_min=0.002)
    e, t = sequences(make, len(epochs), step_args=epochs)
    assert e == t
    # jumping around (backwards too) uses the closed form for the period
    jumps = [30.5, 3, 0, 17.25, 100, 1.5, 6.999]
    e, t = sequences(make, len(jumps), step_args=jumps)
    assert e == t


def test_closed_forms_equal_torch():
    """step(epoch) (deprecated) uses each schedule's closed form."""
    epochs = [3, 0, 7, 20, 4, 55, 1, 5, 100, 2]
    for name in ["ConstantLR-factor", "LinearLR-warmup", "LinearLR-decay", "PolynomialLR-power",
                 "MultiplicativeLR", "CyclicLR-triangular2", "OneCycleLR-linear"]:
        args = [min(x, 150) for x in epochs]
        e, t = sequences(NEW_SCHEDULES[name], len(args), step_args=args, momentum=0.9)
        assert e == t, name


def _normalise(value):
    """A state dict with tensors as floats and functions as their names, to compare."""
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_normalise(v) for v in value)
    if hasattr(value, "item"):
        return value.item()
    if callable(value):
        return getattr(value, "__name__", type(value).__name__)
    return value


@pytest.mark.filterwarnings("ignore:Detected call")
@pytest.mark.parametrize("name", list(NEW_SCHEDULES))
def test_new_state_dicts_equal_torch_and_resume(name):
    make = NEW_SCHEDULES[name]
    eopt, topt = make_optimizers(momentum=0.9)
    es, ts = make(elrs, eopt), make(tlrs, topt)
    for _ in range(23):
        eopt.step(); topt.step(); es.step(); ts.step()
    esd, tsd = es.state_dict(), ts.state_dict()
    assert list(esd) == list(tsd)
    assert _normalise(esd) == _normalise(tsd)
    # a new optimizer and scheduler, loaded from the dicts, go on exactly as the first
    eopt2, _ = make_optimizers(momentum=0.9)
    es2 = make(elrs, eopt2)
    eopt2.load_state_dict(eopt.state_dict())
    es2.load_state_dict(es.state_dict())
    assert list(es.state_dict()) == list(tsd)        # loading leaves the dict whole
    for _ in range(40):
        eopt.step(); es.step(); eopt2.step(); es2.step()
        assert es2.get_last_lr() == es.get_last_lr()
        assert [g["lr"] for g in eopt2.param_groups] == [g["lr"] for g in eopt.param_groups]
        assert _momenta(eopt2) == _momenta(eopt)


def test_callable_objects_state_is_saved():
    class Halving:
        def __init__(self):
            self.base = 2.0

        def __call__(self, x):
            return 1 / self.base ** (x - 1)

    eopt, _ = make_optimizers(momentum=0.9)
    sched = elrs.CyclicLR(eopt, 0.01, 0.1, 3, scale_fn=Halving())
    sd = sched.state_dict()
    assert sd["_scale_fn_custom"] == {"base": 2.0} and "_scale_fn_ref" not in sd
    sd["_scale_fn_custom"]["base"] = 3.0
    sched.load_state_dict(sd)
    assert sched._scale_fn_custom.base == 3.0
    mult = elrs.MultiplicativeLR(eopt, [Halving(), lambda e: 1.0])
    assert mult.state_dict()["lr_lambdas"] == [{"base": 2.0}, None]


def _same_error(build, exc=None):
    """build(module, optimizer) raises the same exception type and message in both."""
    eopt, topt = make_optimizers()
    errors = []
    for mod, opt in ((elrs, eopt), (tlrs, topt)):
        with pytest.raises(Exception) as info:
            build(mod, opt)
        errors.append((type(info.value), str(info.value)))
    assert errors[0] == errors[1], errors
    if exc is not None:
        assert errors[0][0] is exc
    return errors[0][1]


ERRORS = {
    "multiplicative-count": (lambda m, o: m.MultiplicativeLR(o, [lambda e: 1.0]), ValueError),
    "multiplicative-not-callable": (lambda m, o: m.MultiplicativeLR(o, 0.9), TypeError),
    "constant-factor-high": (lambda m, o: m.ConstantLR(o, factor=1.5), ValueError),
    "constant-factor-negative": (lambda m, o: m.ConstantLR(o, factor=-0.1), ValueError),
    "linear-start-zero": (lambda m, o: m.LinearLR(o, start_factor=0), ValueError),
    "linear-end-high": (lambda m, o: m.LinearLR(o, end_factor=1.2), ValueError),
    "warm-T0": (lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=0), ValueError),
    "warm-T0-float": (lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=2.0), ValueError),
    "warm-T_mult": (lambda m, o: m.CosineAnnealingWarmRestarts(o, 3, T_mult=0), ValueError),
    "warm-eta_min": (lambda m, o: m.CosineAnnealingWarmRestarts(o, 3, eta_min="0"), ValueError),
    "warm-negative-epoch": (lambda m, o: m.CosineAnnealingWarmRestarts(o, 3).step(-1),
                            ValueError),
    "cyclic-not-optimizer": (lambda m, o: m.CyclicLR([o], 0.1, 1.0), TypeError),
    "cyclic-base-count": (lambda m, o: m.CyclicLR(o, [0.1], 1.0), ValueError),
    "cyclic-max-count": (lambda m, o: m.CyclicLR(o, 0.1, [1.0, 2.0, 3.0]), ValueError),
    "cyclic-mode": (lambda m, o: m.CyclicLR(o, 0.1, 1.0, mode="sine"), ValueError),
    "cyclic-no-momentum": (lambda m, o: m.CyclicLR(o, 0.1, 1.0, base_momentum=[0.1]),
                           ValueError),
    "onecycle-no-total": (lambda m, o: m.OneCycleLR(o, 0.1), ValueError),
    "onecycle-total": (lambda m, o: m.OneCycleLR(o, 0.1, total_steps=0), ValueError),
    "onecycle-epochs": (lambda m, o: m.OneCycleLR(o, 0.1, epochs=-2, steps_per_epoch=3),
                        ValueError),
    "onecycle-steps": (lambda m, o: m.OneCycleLR(o, 0.1, epochs=2, steps_per_epoch=3.0),
                       ValueError),
    "onecycle-pct": (lambda m, o: m.OneCycleLR(o, 0.1, 10, pct_start=1), ValueError),
    "onecycle-anneal": (lambda m, o: m.OneCycleLR(o, 0.1, 10, anneal_strategy="exp"),
                        ValueError),
    "onecycle-max-count": (lambda m, o: m.OneCycleLR(o, [0.1], 10), ValueError),
    "onecycle-max-momentum-count": (lambda m, o: m.OneCycleLR(o, 0.1, 10, max_momentum=[1],
                                                              base_momentum=[1, 2, 3]),
                                    ValueError),
    "sequential-empty": (lambda m, o: m.SequentialLR(o, [], []), ValueError),
    "sequential-milestones": (lambda m, o: m.SequentialLR(o, [m.StepLR(o, 2)], [3]),
                              ValueError),
    "sequential-not-scheduler": (lambda m, o: m.SequentialLR(o, [m.StepLR(o, 2), 3], [3]),
                                 TypeError),
    "sequential-plateau": (lambda m, o: m.SequentialLR(o, [m.ReduceLROnPlateau(o)], []),
                           ValueError),
    "chained-empty": (lambda m, o: m.ChainedScheduler([]), ValueError),
    "chained-plateau": (lambda m, o: m.ChainedScheduler([m.StepLR(o, 2),
                                                         m.ReduceLROnPlateau(o)]), ValueError),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_argument_errors_equal_torch(name):
    build, exc = ERRORS[name]
    _same_error(build, exc)


def test_cycle_momentum_needs_a_momentum():
    ep, tp = ember.zeros(2, requires_grad=True), torch.zeros(2, requires_grad=True)
    msgs = []
    for mod, opt in ((elrs, ember.optim.Adagrad([ep])), (tlrs, torch.optim.Adagrad([tp]))):
        for build in (lambda: mod.CyclicLR(opt, 0.1, 1.0),
                      lambda: mod.OneCycleLR(opt, 0.1, total_steps=10)):
            with pytest.raises(ValueError) as info:
                build()
            msgs.append(str(info.value))
    assert msgs[:2] == msgs[2:] and "cycle_momentum" in msgs[0]
    # ...unless it is switched off
    elrs.CyclicLR(ember.optim.Adagrad([ep]), 0.1, 1.0, cycle_momentum=False)


def test_schedulers_on_another_optimizer_are_refused():
    eopt, topt = make_optimizers()
    eother, tother = make_optimizers()
    for mod, opt, other in ((elrs, eopt, eother), (tlrs, topt, tother)):
        with pytest.raises(ValueError, match="^SequentialLR expects all schedulers to belong "
                                             "to the same optimizer, but got scheduler StepLR "
                                             "at index 1 has SGD"):
            mod.SequentialLR(opt, [mod.StepLR(opt, 2), mod.StepLR(other, 2)], [3])
        with pytest.raises(ValueError, match="^ChainedScheduler expects all schedulers"):
            mod.ChainedScheduler([mod.StepLR(opt, 2), mod.StepLR(other, 2)])


def test_new_schedulers_are_exported_like_torch():
    assert elrs.__all__ == tlrs.__all__
    for name in tlrs.__all__:
        assert isinstance(getattr(elrs, name), type)
        assert issubclass(getattr(elrs, name), elrs.LRScheduler)


def test_step_order_warning_for_new_schedulers():
    for make in (NEW_SCHEDULES["LinearLR"], NEW_SCHEDULES["CyclicLR-triangular"],
                 NEW_SCHEDULES["OneCycleLR"]):
        ew, tw = [], []
        for mod, opt, out in ((elrs, make_optimizers(momentum=0.9)[0], ew),
                              (tlrs, make_optimizers(momentum=0.9)[1], tw)):
            sched = make(mod, opt)
            out.extend(_warnings_of(sched.step))
        assert ew == tw and len(ew) == 1
