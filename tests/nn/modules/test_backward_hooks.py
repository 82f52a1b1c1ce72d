"""Module backward hooks against torch: which hooks run, in which order, with which
gradients (values, shapes, None-ness), what replacing them does, and the errors
and warnings."""
import copy
import warnings

import numpy as np
import pytest
import torch

import ember
from helpers import assert_same

FRAMEWORKS = [ember, torch]


@pytest.fixture(autouse=True)
def _no_global_hooks_left():
    """Global hooks are process-wide state: every test leaves none behind."""
    yield
    for m in FRAMEWORKS:
        mod = m.nn.modules.module
        mod._global_backward_hooks.clear()
        mod._global_backward_pre_hooks.clear()
        mod._global_is_full_backward_hook = None


def grads_of(grads):
    """A hook's gradient tuple as plain data: None or a float64 array (with dtype name)."""
    return tuple(None if g is None else (np.array(g.detach().numpy(), dtype=np.float64),
                                         str(g.dtype).replace("torch.", ""), tuple(g.shape))
                 for g in grads)


def logging_hooks(log, module, name, prepend=False):
    """A full backward pre-hook and hook on ``module`` that append to ``log``."""
    module.register_full_backward_pre_hook(
        lambda m, go: log.append(("pre", name, grads_of(go))), prepend=prepend)
    module.register_full_backward_hook(
        lambda m, gi, go: log.append(("hook", name, grads_of(gi), grads_of(go))),
        prepend=prepend)


def assert_same_log(e_log, t_log):
    assert len(e_log) == len(t_log), f"{e_log}\n!=\n{t_log}"
    for k, (e, t) in enumerate(zip(e_log, t_log)):
        _same_entry(e, t, f"entry {k}")


def _same_entry(e, t, what):
    if isinstance(t, np.ndarray):
        np.testing.assert_allclose(e, t, rtol=1e-5, atol=1e-6, err_msg=what)
    elif isinstance(t, (tuple, list)):
        assert isinstance(e, (tuple, list)) and len(e) == len(t), f"{what}: {e} != {t}"
        for i, (a, b) in enumerate(zip(e, t)):
            _same_entry(a, b, f"{what}[{i}]")
    else:
        assert e == t, f"{what}: {e} != {t}"


def run_both(fn):
    """fn(m) -> log, for ember and torch, with the same seed and warnings recorded;
    returns ((ember log, ember warnings), (torch log, torch warnings))."""
    out = []
    for m in FRAMEWORKS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            log = fn(m)
        out.append((log, [(w.category.__name__, str(w.message)) for w in caught]))
    return out


def rand(m, *shape, requires_grad=False, seed=0):
    data = np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
    return m.tensor(data, requires_grad=requires_grad)


def copy_params(e_model, t_model):
    with torch.no_grad():
        for (_, ep), (_, tp) in zip(e_model.named_parameters(), t_model.named_parameters()):
            tp.copy_(torch.tensor(np.array(ep.detach().numpy())))


def build_pair(make):
    e, t = make(ember), make(torch)
    copy_params(e, t)
    return e, t


# ------------------------------------------------------------------- the firing rules
@pytest.mark.parametrize("input_requires_grad", [True, False])
def test_linear(input_requires_grad):
    e_lin, t_lin = build_pair(lambda m: m.nn.Linear(3, 2))

    def fn(m):
        lin = e_lin if m is ember else t_lin
        log = []
        logging_hooks(log, lin, "lin")
        x = rand(m, 4, 3, requires_grad=input_requires_grad)
        (lin(x) * rand(m, 4, 2, seed=1)).sum().backward()
        log.append(("weight.grad", lin.weight.grad.numpy()))
        return log

    (e_log, e_warn), (t_log, t_warn) = run_both(fn)
    assert_same_log(e_log, t_log)
    assert e_warn == t_warn
    # With no input requiring grad, the hook still runs, with grad_input (None,).
    assert (e_log[1][2] == (None,)) is (not input_requires_grad)
    assert len(e_warn) == (0 if input_requires_grad else 1)


def test_no_input_grad_warning_points_at_the_backward_call():
    lin = ember.nn.Linear(3, 2)
    lin.register_full_backward_hook(lambda m, gi, go: None)
    y = lin(ember.ones(1, 3)).sum()
    with pytest.warns(UserWarning, match="Full backward hook is firing") as caught:
        y.backward()
    assert caught[0].filename == __file__


@pytest.mark.parametrize("input_requires_grad", [True, False])
def test_sequential_order_of_hooks(input_requires_grad):
    e_net, t_net = build_pair(lambda m: m.nn.Sequential(m.nn.Linear(3, 4), m.nn.ReLU(),
                                                        m.nn.Linear(4, 2)))

    def fn(m):
        net = e_net if m is ember else t_net
        log = []
        for name, module in net.named_modules():
            logging_hooks(log, module, name or "seq")
        x = rand(m, 5, 3, requires_grad=input_requires_grad)
        (net(x) ** 2).sum().backward()
        return log

    (e_log, e_warn), (t_log, t_warn) = run_both(fn)
    assert_same_log(e_log, t_log)
    assert [entry[:2] for entry in e_log][:2] == [("pre", "seq"),
                                                 ("hook", "seq") if not input_requires_grad
                                                 else ("pre", "2")]
    assert e_warn == t_warn


def test_relu():
    def fn(m):
        relu = m.nn.ReLU()
        log = []
        logging_hooks(log, relu, "relu")
        x = rand(m, 6, requires_grad=True)
        relu(x * 2).sum().backward()
        log.append(("x.grad", x.grad.numpy()))
        return log

    (e_log, _), (t_log, _) = run_both(fn)
    assert_same_log(e_log, t_log)


def two_inputs(m):
    class Two(m.nn.Module):
        def forward(self, a, b, scale=1.0):
            return a * b * scale, a + b, 7
    return Two()


@pytest.mark.parametrize("used", ["first", "second", "both"])
def test_two_inputs_one_without_grad_and_a_tuple_output(used):
    # b does not require grad: its grad_input is zeros (torch's identity backward
    # materializes it); the number 7 among the outputs has grad_output None, as has
    # an output that backward does not reach.
    def fn(m):
        mod = two_inputs(m)
        log = []
        logging_hooks(log, mod, "two")
        a = rand(m, 3, requires_grad=True)
        b = rand(m, 3, seed=2)
        out = mod(a, b, 2.0)
        assert out[2] == 7
        loss = {"first": out[0].sum(), "second": (out[1] ** 2).sum(),
                "both": (out[0] * out[1]).sum()}[used]
        loss.backward()
        log.append(("a.grad", a.grad.numpy()))
        log.append(("b.grad", b.grad))
        log.append(("node", type(out[0].grad_fn).__name__, out[0].requires_grad,
                    out[1].requires_grad))
        return log

    (e_log, _), (t_log, _) = run_both(fn)
    assert_same_log(e_log, t_log)
    assert e_log[-1] == ("node", "BackwardHookFunctionBackward", True, True)


def test_non_tensor_positional_argument_and_tensor_keyword():
    # grad_input covers the positional arguments only, None for non-tensors.
    def fn(m):
        class K(m.nn.Module):
            def forward(self, a, k, b=None):
                return a * b * k
        mod = K()
        log = []
        logging_hooks(log, mod, "k")
        a, b = rand(m, 3, requires_grad=True), rand(m, 3, requires_grad=True, seed=3)
        mod(a, 3.0, b=b).sum().backward()
        log.append(("grads", a.grad.numpy(), b.grad.numpy()))
        return log

    (e_log, _), (t_log, _) = run_both(fn)
    assert_same_log(e_log, t_log)
    assert e_log[1][2][1] is None


def test_integer_input_gets_zeros_of_its_dtype():
    def fn(m):
        class Pick(m.nn.Module):
            def forward(self, x, idx):
                return x[idx]
        mod = Pick()
        log = []
        logging_hooks(log, mod, "pick")
        x = rand(m, 4, requires_grad=True)
        mod(x * 1, m.tensor([0, 0, 3])).sum().backward()
        return log

    (e_log, _), (t_log, _) = run_both(fn)
    assert_same_log(e_log, t_log)
    assert e_log[1][2][1][1] == "int64"


def test_outputs_not_requiring_grad_fire_no_hook():
    def fn(m):
        class Cut(m.nn.Module):
            def forward(self, x):
                return x.detach() * 2
        mod = Cut()
        log = []
        logging_hooks(log, mod, "cut")
        x = rand(m, 3, requires_grad=True)
        y = mod(x)
        (y.sum() + x.sum()).sum().backward()
        log.append(("y", y.requires_grad, y.grad_fn is None))
        return log

    (e_log, _), (t_log, _) = run_both(fn)
    assert_same_log(e_log, t_log)
    assert e_log == [("y", False, True)]


def test_nothing_is_wrapped_without_grad_or_without_hooks():
    a = ember.ones(2, requires_grad=True)
    mod = two_inputs(ember)
    assert type(mod(a, a)[0].grad_fn).__name__ == "MulBackward0"     # no hooks
    mod.register_full_backward_pre_hook(lambda m, go: None)
    with ember.no_grad():
        assert mod(a, a)[0].grad_fn is None
    b = ember.ones(2)
    out = mod(b, b)
    assert out[0].grad_fn is None and not out[0].requires_grad


def test_retain_graph_fires_again():
    def fn(m):
        mod = two_inputs(m)
        log = []
        logging_hooks(log, mod, "two")
        a = rand(m, 3, requires_grad=True)
        loss = mod(a, a)[1].sum()
        loss.backward(retain_graph=True)
        loss.backward()
        return log

    (e_log, _), (t_log, _) = run_both(fn)
    assert_same_log(e_log, t_log)
    assert len(e_log) == 4


# ------------------------------------------------------------------ replacing grads
def test_full_hook_replaces_grad_input():
    e_net, t_net = build_pair(lambda m: m.nn.Sequential(m.nn.Linear(3, 4), m.nn.Tanh(),
                                                        m.nn.Linear(4, 1)))

    def fn(m):
        net = e_net if m is ember else t_net
        net[1].register_full_backward_hook(lambda mod, gi, go: (gi[0] * 10,))
        net[2].register_full_backward_hook(lambda mod, gi, go: None)
        x = rand(m, 5, 3, requires_grad=True)
        net(x).sum().backward()
        return [x.grad.numpy()] + [p.grad.numpy() for p in net.parameters()]

    (e_log, _), (t_log, _) = run_both(fn)
    assert_same_log(e_log, t_log)


def test_pre_hook_replaces_grad_output_and_the_full_hook_sees_it():
    def fn(m):
        mod = two_inputs(m)
        log = []
        mod.register_full_backward_pre_hook(lambda md, go: (go[0] * 3, go[1], None))
        logging_hooks(log, mod, "two")
        a = rand(m, 3, requires_grad=True)
        out = mod(a, rand(m, 3, seed=4))
        (out[0] + out[1]).sum().backward()
        log.append(("a.grad", a.grad.numpy()))
        return log

    (e_log, _), (t_log, _) = run_both(fn)
    assert_same_log(e_log, t_log)


def test_hook_may_drop_the_gradient():
    def fn(m):
        mod = two_inputs(m)
        mod.register_full_backward_hook(lambda md, gi, go: (None, None))
        a = rand(m, 3, requires_grad=True)
        mod(a, a.detach())[0].sum().backward()
        return [a.grad]

    (e_log, _), (t_log, _) = run_both(fn)
    assert e_log == t_log == [None]


# ------------------------------------------------------- order, globals and removal
def test_prepend_and_global_hooks_order():
    def fn(m):
        log = []
        mod = two_inputs(m)
        mm = m.nn.modules.module
        mod.register_full_backward_hook(lambda md, gi, go: log.append("h1"))
        mod.register_full_backward_hook(lambda md, gi, go: log.append("h2"), prepend=True)
        mod.register_full_backward_hook(lambda md, gi, go: log.append("h3"))
        mod.register_full_backward_pre_hook(lambda md, go: log.append("p1"))
        mod.register_full_backward_pre_hook(lambda md, go: log.append("p2"), prepend=True)
        g1 = mm.register_module_full_backward_hook(
            lambda md, gi, go: log.append("global " + type(md).__name__))
        g2 = mm.register_module_full_backward_pre_hook(
            lambda md, go: log.append("global pre " + type(md).__name__))
        a = rand(m, 3, requires_grad=True)
        out = mod(a, a)
        relu = m.nn.ReLU()          # a module without hooks of its own: only the globals
        relu(out[0] + out[1]).sum().backward()
        g1.remove()
        g2.remove()
        mod(a, a)[0].sum().backward()
        return log

    (e_log, _), (t_log, _) = run_both(fn)
    assert e_log == t_log
    assert e_log[:3] == ["global pre ReLU", "global ReLU", "global pre Two"]


def test_removal():
    def fn(m):
        log = []
        mod = two_inputs(m)
        h1 = mod.register_full_backward_hook(lambda md, gi, go: log.append("h1"))
        h2 = mod.register_full_backward_pre_hook(lambda md, go: log.append("p1"))
        a = rand(m, 3, requires_grad=True)
        out = mod(a, a)            # the hooks are taken at call time...
        h1.remove()
        h2.remove()
        out[0].sum().backward()    # ...so they still fire for this graph
        log.append("--")
        mod(a, a)[0].sum().backward()
        with mod.register_full_backward_hook(lambda md, gi, go: log.append("ctx")):
            mod(a, a)[0].sum().backward()
        mod(a, a)[0].sum().backward()
        log.append(type(mod(a, a)[0].grad_fn).__name__)
        return log

    (e_log, _), (t_log, _) = run_both(fn)
    assert e_log == t_log == ["p1", "h1", "--", "ctx", "MulBackward0"]


def test_hooks_survive_deepcopy_and_state_dict_round_trip():
    def fn(m):
        log = []
        lin = m.nn.Linear(2, 2)
        lin.register_full_backward_hook(lambda md, gi, go: log.append(("hook", md is lin)))
        twin = copy.deepcopy(lin)
        twin.load_state_dict(lin.state_dict())
        twin(rand(m, 1, 2, requires_grad=True)).sum().backward()
        lin(rand(m, 1, 2, requires_grad=True)).sum().backward()
        return log

    (e_log, _), (t_log, _) = run_both(fn)
    assert e_log == t_log == [("hook", False), ("hook", True)]


# ------------------------------------------------------------------ errors, warnings
def outcome(fn):
    """(ember error, torch error) as (type name, message) of fn(m)."""
    result = []
    for m in FRAMEWORKS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.filterwarnings("error", category=RuntimeWarning, module="ember")
            try:
                fn(m)
                result.append(None)
            except Exception as err:      # noqa: BLE001 - the error is the result
                result.append((type(err).__name__, str(err)))
    return result


@pytest.mark.parametrize("case", ["hook_length", "pre_hook_length", "pre_hook_not_tuple",
                                  "no_input_grad_returns", "mix_module", "mix_module_reverse",
                                  "mix_global", "mix_global_reverse"])
def test_errors_match_torch(case):
    def fn(m):
        mod = two_inputs(m)
        mm = m.nn.modules.module
        a = rand(m, 3, requires_grad=True)
        if case == "hook_length":
            mod.register_full_backward_hook(lambda md, gi, go: (gi[0],))
        elif case == "pre_hook_length":
            mod.register_full_backward_pre_hook(lambda md, go: (go[0],))
        elif case == "pre_hook_not_tuple":
            mod.register_full_backward_pre_hook(lambda md, go: 5)
        elif case == "no_input_grad_returns":
            lin = m.nn.Linear(3, 1)        # its weight, not its input, requires grad
            lin.register_full_backward_hook(lambda md, gi, go: (gi[0],) if gi[0] is not None
                                            else (go[0],))
            lin(a.detach()).sum().backward()
        elif case == "mix_module":
            mod.register_full_backward_hook(lambda md, gi, go: None)
            mod.register_backward_hook(lambda md, gi, go: None)
        elif case == "mix_module_reverse":
            mod.register_backward_hook(lambda md, gi, go: None)
            mod.register_full_backward_hook(lambda md, gi, go: None)
        elif case == "mix_global":
            mm.register_module_full_backward_hook(lambda md, gi, go: None)
            mm.register_module_backward_hook(lambda md, gi, go: None)
        elif case == "mix_global_reverse":
            mm.register_module_backward_hook(lambda md, gi, go: None)
            mm.register_module_full_backward_hook(lambda md, gi, go: None)
        mod(a, a)[0].sum().backward()

    e_err, t_err = outcome(fn)
    assert t_err is not None
    assert e_err == t_err


_VIEW_PREFIX = "Output {} of {} is a view and is being modified inplace."


@pytest.mark.parametrize("case", ["output_add_", "output_relu_", "output_setitem",
                                  "second_output", "input_in_forward"])
def test_in_place_on_wrapped_tensors_is_refused(case):
    # torch's message after this first sentence differs for one output (ember words
    # every case as torch does for several outputs, see the module's report).
    def fn(m):
        class Scale(m.nn.Module):
            def forward(self, x, y):
                if case == "input_in_forward":
                    x.add_(1)
                return x * 2, y * 3
        mod = Scale()
        mod.register_full_backward_pre_hook(lambda md, go: None)
        a = rand(m, 3, requires_grad=True)
        out = mod(a * 1, a * 1)
        if case == "output_add_":
            out[0].add_(1)
        elif case == "output_relu_":
            out[0].relu_()
        elif case == "output_setitem":
            out[0][1] = 5.0
        elif case == "second_output":
            out[1].mul_(2)

    e_err, t_err = outcome(fn)
    assert e_err is not None and t_err is not None
    assert e_err[0] == t_err[0] == "RuntimeError"
    index = 1 if case == "second_output" else 0
    name = "Select" if case == "output_setitem" else "BackwardHookFunction"
    prefix = _VIEW_PREFIX.format(index, name)
    assert e_err[1].startswith(prefix) and t_err[1].startswith(prefix)


def test_in_place_is_fine_without_graph():
    mod = two_inputs(ember)
    mod.register_full_backward_hook(lambda md, gi, go: None)
    a = ember.ones(3)
    out = mod(a, a)
    out[0].add_(1)                       # nothing requires grad: nothing was wrapped
    with ember.no_grad():
        mod(a.requires_grad_(), a)[1].mul_(2)
    assert out[0].tolist() == [2.0, 2.0, 2.0]


@pytest.mark.parametrize("container", ["list", "dict"])
def test_non_tensor_output_warns_and_fires_no_hook(container):
    def fn(m):
        class Boxed(m.nn.Module):
            def forward(self, x):
                return [x * 2] if container == "list" else {"y": x * 2}
        log = []
        mod = Boxed()
        logging_hooks(log, mod, "boxed")
        a = rand(m, 3, requires_grad=True)
        out = mod(a)
        (out[0] if container == "list" else out["y"]).sum().backward()
        log.append(("a.grad", a.grad.numpy()))
        return log

    (e_log, e_warn), (t_log, t_warn) = run_both(fn)
    assert_same_log(e_log, t_log)
    assert e_warn == t_warn and len(e_warn) == 1


# --------------------------------------------------- the deprecated non-full hooks
def test_non_full_hook_on_a_single_node_module():
    def fn(m):
        log = []
        relu = m.nn.ReLU()
        relu.register_backward_hook(
            lambda md, gi, go: log.append(("hook", grads_of(gi), grads_of(go))))
        a = rand(m, 5, requires_grad=True)
        relu(a * 3).sum().backward()
        return log

    (e_log, e_warn), (t_log, t_warn) = run_both(fn)
    assert_same_log(e_log, t_log)
    assert e_warn == t_warn == []


def test_non_full_hook_replaces_the_nodes_grad_input():
    def fn(m):
        relu = m.nn.ReLU()
        relu.register_backward_hook(lambda md, gi, go: (gi[0] * 2,))
        a = rand(m, 5, requires_grad=True)
        relu(a * 3).sum().backward()
        return [a.grad.numpy()]

    (e_log, _), (t_log, _) = run_both(fn)
    assert_same_log(e_log, t_log)


def test_global_non_full_hook():
    def fn(m):
        log = []
        m.nn.modules.module.register_module_backward_hook(
            lambda md, gi, go: log.append((type(md).__name__, grads_of(gi))))
        a = rand(m, 4, requires_grad=True)
        tanh = m.nn.Tanh()
        tanh(a * 1).sum().backward()
        return log

    (e_log, _), (t_log, _) = run_both(fn)
    assert_same_log(e_log, t_log)


def test_non_full_hook_of_a_dead_module():
    # The graph holds the module weakly: freed before backward, its hook can't run.
    def fn(m):
        relu = m.nn.ReLU()
        relu.register_backward_hook(lambda md, gi, go: None)
        y = relu(rand(m, 3, requires_grad=True) * 1).sum()
        del relu
        y.backward()

    e_err, t_err = outcome(fn)
    assert e_err == t_err == ("RuntimeError", "You are trying to call the hook of a dead Module!")


@pytest.mark.parametrize("case", ["linear", "two_nodes_out", "list_out", "keyword_only"])
def test_non_full_hook_warnings(case):
    # Where the output's node does not see the module's whole gradients, torch warns
    # (the hook's arguments then are that node's, which differ between the libraries).
    def fn(m):
        if case == "linear":
            mod = m.nn.Linear(3, 2)
        else:
            class Odd(m.nn.Module):
                def forward(self, x=None):
                    if case == "two_nodes_out":
                        return x * 2, x + 1
                    if case == "list_out":
                        return [x * 2]
                    return x * 2
            mod = Odd()
        mod.register_backward_hook(lambda md, gi, go: None)
        a = rand(m, 4, 3, requires_grad=True)
        out = mod(x=a) if case == "keyword_only" else mod(a)
        (out[0] if isinstance(out, (list, tuple)) else out).sum().backward()
        return []

    (_, e_warn), (_, t_warn) = run_both(fn)
    assert e_warn == t_warn
    assert len(e_warn) == 1 and e_warn[0][0] == "FutureWarning"


def test_hot_path_checks_only_dicts():
    # A module with no hooks runs forward directly: nothing is wrapped.
    relu = ember.nn.ReLU()
    a = ember.ones(2, requires_grad=True)
    assert type(relu(a).grad_fn).__name__ == "ReluBackward0"
    h = relu.register_full_backward_hook(lambda md, gi, go: None)
    assert type(relu(a).grad_fn).__name__ == "BackwardHookFunctionBackward"
    h.remove()
    assert type(relu(a).grad_fn).__name__ == "ReluBackward0"
    g = ember.nn.modules.module.register_module_full_backward_pre_hook(lambda md, go: None)
    assert type(relu(a).grad_fn).__name__ == "BackwardHookFunctionBackward"
    g.remove()
    assert type(relu(a).grad_fn).__name__ == "ReluBackward0"


def test_grad_input_values_against_autograd():
    # The hook's grad_input is the gradient of the loss w.r.t. the module's input.
    lin = ember.nn.Linear(3, 2)
    seen = []
    lin.register_full_backward_hook(lambda md, gi, go: seen.append(gi[0]))
    x = ember.randn(4, 3, requires_grad=True)
    y = lin(x * 1)
    (y ** 2).sum().backward()
    assert_same(seen[0], to_t(x.grad))


def to_t(e):
    return torch.tensor(np.array(e.detach().numpy()))


def test_create_graph_and_double_backward():
    # The second backward reaches the input node without passing the outputs: no hook.
    def fn(m):
        log = []

        class Square(m.nn.Module):
            def forward(self, x):
                return x ** 2
        sq = Square()
        logging_hooks(log, sq, "sq")
        x = m.tensor([1.0, 2.0], requires_grad=True)
        (g,) = m.autograd.grad(sq(x * 1).sum(), x, create_graph=True)
        log.append("--")
        g.sum().backward()
        log.append(("x.grad", x.grad.numpy()))
        return log

    (e_log, _), (t_log, _) = run_both(fn)
    assert_same_log(e_log, t_log)
    assert len(e_log) == 4


@pytest.mark.parametrize("outputs", [1, 2])
def test_writing_in_place_to_a_hooked_modules_output_gives_torchs_error(outputs):
    def run(m):
        class Net(m.nn.Module):
            def forward(self, a):
                return a * 2 if outputs == 1 else (a * 2, a * 3)
        net = Net()
        net.register_full_backward_hook(lambda mod, gi, go: None)
        out = net(m.ones(1, 2, requires_grad=True))
        with pytest.raises(RuntimeError) as info:
            (out if outputs == 1 else out[1]).add_(1)
        return str(info.value)
    assert run(ember) == run(torch)
