"""Optimizer hooks against torch: step pre/post hooks (per optimizer and global),
state_dict and load_state_dict hooks; their order, arguments, results and removal."""
import copy
import pickle

import numpy as np
import pytest
import torch

import ember
import ember.optim.optimizer as eoo
import torch.optim.optimizer as too

LIBS = [(ember, eoo), (torch, too)]
OPTIMIZERS = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"]


def make(lib, name="SGD", **kw):
    w = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
    w.grad = lib.tensor([0.5, 0.25, -1.0])
    return w, getattr(lib.optim, name)([w], lr=0.1, **kw)


@pytest.fixture(autouse=True)
def no_global_hooks_left():
    yield
    assert not eoo._global_optimizer_pre_hooks and not eoo._global_optimizer_post_hooks


def record_hooks(lib, mod, opt, log):
    """Register a global and an instance pre and post hook that append to ``log``."""
    def hook(tag):
        def fn(o, args, kwargs):
            assert o is opt and args[0] is opt
            log.append((tag, len(args), sorted(kwargs)))
        return fn
    return [mod.register_optimizer_step_pre_hook(hook("global-pre")),
            opt.register_step_pre_hook(hook("pre")),
            opt.register_step_post_hook(hook("post")),
            mod.register_optimizer_step_post_hook(hook("global-post"))]


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_hooks_run_in_torchs_order_around_every_optimizer(name):
    logs = []
    for lib, mod in LIBS:
        w, opt = make(lib, name)
        log = []
        handles = record_hooks(lib, mod, opt, log)
        try:
            opt.step()
            opt.step(closure=None)
        finally:
            for h in handles:
                h.remove()
        opt.step()                     # removed: nothing more is logged
        logs.append(log)
    assert logs[0] == logs[1]
    assert [t for t, *_ in logs[0][:4]] == ["global-pre", "pre", "post", "global-post"]
    assert logs[0][4:] == [("global-pre", 1, ["closure"]), ("pre", 1, ["closure"]),
                           ("post", 1, ["closure"]), ("global-post", 1, ["closure"])]


def test_hooks_see_the_parameters_before_and_after_the_update():
    for lib, _ in LIBS:
        w, opt = make(lib)
        seen = []
        opt.register_step_pre_hook(lambda o, a, k: seen.append(w.detach().clone()))
        opt.register_step_post_hook(lambda o, a, k: seen.append(w.detach().clone()))
        opt.step()
        np.testing.assert_allclose(seen[0].numpy(), [1.0, -2.0, 3.0])
        np.testing.assert_allclose(seen[1].numpy(), [0.95, -2.025, 3.1], rtol=1e-6)


def test_pre_hook_may_replace_the_arguments():
    results = []
    for lib, _ in LIBS:
        w, opt = make(lib)
        post_args = []

        def swap_closure(o, args, kwargs):
            return args, {"closure": lambda: 42.0}
        opt.register_step_pre_hook(swap_closure)
        opt.register_step_post_hook(lambda o, a, k: post_args.append(sorted(k)))
        results.append((opt.step(), post_args, w.detach().numpy().tolist()))
    assert results[0] == results[1]
    assert results[0][0] == 42.0 and results[0][1] == [["closure"]]


def test_later_pre_hooks_see_the_replaced_arguments():
    for lib, mod in LIBS:
        w, opt = make(lib)
        seen = []
        handle = mod.register_optimizer_step_pre_hook(
            lambda o, args, kwargs: (args + (lambda: 7,), kwargs))
        opt.register_step_pre_hook(lambda o, args, kwargs: seen.append(len(args)))
        try:
            assert opt.step() == 7     # the closure came in as a positional argument
        finally:
            handle.remove()
        assert seen == [2]


def test_pre_hook_returning_something_else_is_an_error():
    messages = []
    for lib, _ in LIBS:
        w, opt = make(lib)
        opt.register_step_pre_hook(lambda o, args, kwargs: 3)
        with pytest.raises(RuntimeError) as info:
            opt.step()
        messages.append(str(info.value))
        np.testing.assert_allclose(w.detach().numpy(), [1.0, -2.0, 3.0])   # no step taken
    tail = " must return None or a tuple of (new_args, new_kwargs), but got 3."
    assert messages[0].endswith(tail) and messages[1].endswith(tail)
    assert messages[0].startswith("<function SGD.step at")


def test_instance_hooks_belong_to_one_optimizer_global_hooks_to_all():
    calls = []
    _, a = make(ember)
    _, b = make(ember, "Adam")
    a.register_step_post_hook(lambda o, *_: calls.append(("a-only", type(o).__name__)))
    handle = eoo.register_optimizer_step_post_hook(
        lambda o, *_: calls.append(("all", type(o).__name__)))
    with handle:                       # a handle is also a context manager
        a.step(); b.step()
    b.step()
    assert calls == [("a-only", "SGD"), ("all", "SGD"), ("all", "Adam")]


def test_hooks_run_around_a_user_subclass_step():
    class SignSGD(ember.optim.Optimizer):
        def __init__(self, params, lr=0.01):
            super().__init__(params, {"lr": lr})

        def step(self, closure=None):
            loss = self._evaluate(closure)
            for group in self.param_groups:
                for p in group["params"]:
                    with ember.no_grad():
                        p -= group["lr"] * p.grad.sign()
            return loss

    w = ember.tensor([1.0, -1.0], requires_grad=True)
    w.grad = ember.tensor([3.0, -0.5])
    opt = SignSGD([w], lr=0.5)
    log = []
    opt.register_step_pre_hook(lambda o, a, k: log.append(w.tolist()))
    with eoo.register_optimizer_step_post_hook(lambda o, a, k: log.append(w.tolist())):
        opt.step()
    assert log == [[1.0, -1.0], [0.5, -0.5]]
    assert SignSGD.step.hooked and SignSGD.step.__wrapped__.__name__ == "step"


def test_hooks_run_under_a_lr_scheduler_and_it_sees_the_step():
    w, opt = make(ember)
    sched = ember.optim.lr_scheduler.StepLR(opt, 1, gamma=0.5)
    log = []
    opt.register_step_pre_hook(lambda o, a, k: log.append(o.param_groups[0]["lr"]))
    opt.step()
    sched.step()
    opt.step()
    assert log == [0.1, 0.05] and opt._opt_called


def test_without_hooks_step_is_the_plain_step():
    """No hook: the same result, bits and return value as calling the class's own step."""
    w1, o1 = make(ember, "Adam")
    w2, o2 = make(ember, "Adam")
    for _ in range(5):
        assert o1.step(lambda: 1.5) == 1.5
        type(o2).step.__wrapped__(o2, lambda: 1.5)
    assert w1.detach().numpy().tobytes() == w2.detach().numpy().tobytes()


def test_copies_and_pickles_drop_hooks_but_keep_stepping():
    w, opt = make(ember)
    log = []
    opt.register_step_pre_hook(lambda o, a, k: log.append("pre"))
    for clone in (copy.deepcopy(opt), pickle.loads(pickle.dumps(opt))):
        assert not clone._optimizer_step_pre_hooks
        clone.step()
        clone.register_step_post_hook(lambda o, a, k: log.append("clone-post"))
        clone.step()
    assert log == ["clone-post", "clone-post"]


# ------------------------------------------------------------- state dict hooks

def test_state_dict_hooks_order_prepend_and_replacement_equal_torch():
    logs = []
    for lib, _ in LIBS:
        w, opt = make(lib, "SGD", momentum=0.9)
        opt.step()
        log = []
        opt.register_state_dict_pre_hook(lambda o: log.append("pre-1"))
        opt.register_state_dict_pre_hook(lambda o: log.append("pre-0"), prepend=True)

        def add_key(o, sd):
            log.append("post-1")
            sd["extra"] = len(sd["state"])
        opt.register_state_dict_post_hook(add_key)
        h = opt.register_state_dict_post_hook(lambda o, sd: log.append("post-0"), prepend=True)

        def replace(o, sd):
            log.append("post-2")
            return {"wrapped": sd}
        opt.register_state_dict_post_hook(replace)
        sd = opt.state_dict()
        h.remove()
        opt.state_dict()
        logs.append((log, sorted(sd), sorted(sd["wrapped"]), sd["wrapped"]["extra"]))
    assert logs[0] == logs[1]
    assert logs[0][0][:5] == ["pre-0", "pre-1", "post-0", "post-1", "post-2"]


def test_load_state_dict_hooks_equal_torch():
    outcomes = []
    for lib, _ in LIBS:
        w, opt = make(lib, "SGD", momentum=0.9)
        opt.step()
        saved = opt.state_dict()
        _, fresh = make(lib, "SGD", momentum=0.9)
        log = []

        def pre(o, sd):
            log.append(("pre", sorted(sd)))
            sd["marker"] = 1           # a shallow copy: the caller's dict is untouched

        def pre_replace(o, sd):
            log.append(("pre-replace", sorted(sd)))
            sd = dict(sd)
            sd["param_groups"] = copy.deepcopy(sd["param_groups"])
            sd["param_groups"][0]["lr"] = 0.5
            return sd
        fresh.register_load_state_dict_pre_hook(pre_replace)
        fresh.register_load_state_dict_pre_hook(pre, prepend=True)
        fresh.register_load_state_dict_post_hook(
            lambda o: log.append(("post", o.param_groups[0]["lr"])))
        fresh.load_state_dict(saved)
        outcomes.append((log, "marker" in saved, fresh.param_groups[0]["lr"],
                         saved["param_groups"][0]["lr"]))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][2] == 0.5 and outcomes[0][1] is False


def test_hook_registration_returns_distinct_removable_handles():
    _, opt = make(ember)
    handles = [opt.register_step_pre_hook(print), opt.register_step_pre_hook(print)]
    assert handles[0].id != handles[1].id
    assert len(opt._optimizer_step_pre_hooks) == 2
    handles[0].remove()
    handles[0].remove()                # removing twice is harmless
    assert list(opt._optimizer_step_pre_hooks) == [handles[1].id]


def test_module_exports_like_torch():
    for name in too.__all__:
        assert name in eoo.__all__ and callable(getattr(eoo, name))
