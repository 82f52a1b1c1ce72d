"""ember._runtime: the process-wide switches against torch's (values, errors, state)."""
import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest
import torch

import ember
from ember import _runtime


@pytest.fixture(autouse=True)
def _restore_torch():
    """Put torch's own switches back too (conftest restores ember's)."""
    saved = (torch.get_num_threads(), torch.are_deterministic_algorithms_enabled(),
             torch.is_deterministic_algorithms_warn_only_enabled(),
             torch.is_warn_always_enabled())
    yield
    torch.set_num_threads(saved[0])
    torch.use_deterministic_algorithms(saved[1], warn_only=saved[2])
    torch.set_warn_always(saved[3])
    torch.set_default_device(None)


def outcome(m, fn):
    """("ok", result) or ("error", type name, message), warnings silenced; torch's C
    functions name themselves 'torch.f()', ember's 'f()'."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return "ok", fn(m)
        except Exception as err:       # noqa: BLE001 - the exception is the result compared
            return "error", type(err).__name__, str(err).removeprefix("torch.")


def same(fn):
    got, expected = outcome(ember, fn), outcome(torch, fn)
    assert got == expected
    return got


# ------------------------------------------------------------------------- threads
THREAD_ARGUMENTS = [0, -1, -2**31, 2.0, "2", True, False, None, 2**31, 2**40, -2**40, 2**70,
                    -2**70, np.int64(0), np.int32(-3), np.uint8(0), np.float64(2.0), (2,), [1]]


@pytest.mark.parametrize("n", THREAD_ARGUMENTS, ids=repr)
def test_set_num_threads_errors_as_torch(n):
    before = ember.get_num_threads()
    assert same(lambda m: m.set_num_threads(n))[0] == "error"
    assert ember.get_num_threads() == before        # a refused count changes nothing


@pytest.mark.parametrize("n", THREAD_ARGUMENTS, ids=repr)
def test_set_num_interop_threads_errors_as_torch(n):
    # (torch accepts one valid call per process, so only refused counts are run here)
    before = ember.get_num_interop_threads()
    assert same(lambda m: m.set_num_interop_threads(n))[0] == "error"
    assert ember.get_num_interop_threads() == before


@pytest.mark.parametrize("call", [
    lambda m: m.set_num_threads(), lambda m: m.set_num_threads(1, 2),
    lambda m: m.set_num_threads(n=1), lambda m: m.set_num_threads(int=1),
    lambda m: m.get_num_threads(1), lambda m: m.get_num_interop_threads(1),
    lambda m: m.get_num_threads(n=1), lambda m: m.set_num_interop_threads(),
    lambda m: m.set_flush_denormal(), lambda m: m.set_flush_denormal(mode=True),
    lambda m: m.set_flush_denormal(True, False)])
def test_builtin_call_errors_as_torch(call):
    assert same(call)[0] == "error"


@pytest.mark.parametrize("n", [1, 3, np.int64(2), np.int32(5)], ids=repr)
def test_get_num_threads_returns_what_was_set(n):
    assert same(lambda m: (m.set_num_threads(n), m.get_num_threads())) == ("ok", (None, int(n)))
    assert type(ember.get_num_threads()) is int


def test_set_num_threads_warns_once_that_blas_keeps_its_pool():
    pool = _runtime._state.blas_threads
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ember.set_num_threads(pool)              # the pool's own size: nothing to say
        assert not caught
        ember.set_num_threads(pool + 1)
        ember.set_num_threads(pool + 2)          # only once
    assert len(caught) == 1 and caught[0].category is UserWarning
    message = str(caught[0].message)
    assert f"set_num_threads({pool + 1}) is recorded" in message
    assert f"{_runtime._state.blas_variable}={pool + 1}" in message
    assert ember.get_num_threads() == pool + 2


def test_set_warn_always_repeats_the_thread_warning():
    ember.set_warn_always(True)
    pool = _runtime._state.blas_threads
    with pytest.warns(UserWarning, match="NumPy's BLAS thread pool"):
        ember.set_num_threads(pool + 1)
    with pytest.warns(UserWarning, match="NumPy's BLAS thread pool"):
        ember.set_num_threads(pool + 1)


def test_conftest_restores_the_recorded_state():
    # (this test and the ones above run in one process: each starts from the defaults)
    state = _runtime._state
    assert ember.get_num_threads() == state.blas_threads
    assert not state.threads_warned and not state.interop_set


def test_set_num_interop_threads_once_then_torchs_error():
    ember.set_num_interop_threads(3)
    assert ember.get_num_interop_threads() == 3
    with pytest.raises(RuntimeError, match=r"^Error: cannot set number of interop threads "
                       r"after parallel work has started or set_num_interop_threads called$"):
        ember.set_num_interop_threads(3)
    assert ember.get_num_interop_threads() == 3


def _fresh_process(module, code, env):
    """What ``code`` prints in a new Python that imported ``module`` under ``env``."""
    full_env = {k: v for k, v in os.environ.items()
                if not k.endswith("NUM_THREADS") and k != "VECLIB_MAXIMUM_THREADS"}
    full_env.update(env)
    script = f"import {module} as m\n" + textwrap.dedent(code)
    done = subprocess.run([sys.executable, "-c", script], env=full_env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_interop_sequence_matches_torch_in_fresh_processes():
    code = """
        first = m.get_num_interop_threads()
        m.set_num_interop_threads(3)
        try:
            m.set_num_interop_threads(4)
        except RuntimeError as err:
            print(first > 0, m.get_num_interop_threads(), err)
    """
    assert _fresh_process("ember", code, {}) == _fresh_process("torch", code, {})


CORES = len(os.sched_getaffinity(0))


@pytest.mark.parametrize("env", [{"OMP_NUM_THREADS": "1"}, {"OMP_NUM_THREADS": "999"}, {}],
                         ids=["OMP_NUM_THREADS=1", "OMP_NUM_THREADS=999", "unset"])
def test_default_thread_count_follows_the_environment_as_torch(env):
    code = "print(m.get_num_threads())"
    ember_count = int(_fresh_process("ember", code, env))
    if env:
        # (more threads than cores are not used: both keep one per core)
        wanted = min(int(env["OMP_NUM_THREADS"]), CORES)
        assert ember_count == int(_fresh_process("torch", code, env)) == wanted
    else:
        # torch counts physical cores, OpenBLAS (ember's pool) the CPUs it may use; on
        # machines without hyperthreads these agree
        assert ember_count == CORES


def test_blas_variable_wins_over_omp():
    code = "print(m.get_num_threads(), m._runtime._state.blas_variable)"
    out = _fresh_process("ember", code, {"OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "1",
                                         "MKL_NUM_THREADS": "1"})
    assert out.split()[0] == "1" and out.split()[1] in ("OPENBLAS_NUM_THREADS",
                                                        "MKL_NUM_THREADS")


# --------------------------------------------------------- deterministic algorithms
def _deterministic_state(m):
    return (m.are_deterministic_algorithms_enabled(),
            m.is_deterministic_algorithms_warn_only_enabled(),
            m.get_deterministic_debug_mode())


DETERMINISTIC_CALLS = [
    lambda m: m.use_deterministic_algorithms(True),
    lambda m: m.use_deterministic_algorithms(True, warn_only=True),
    lambda m: m.use_deterministic_algorithms(False, warn_only=True),
    lambda m: m.use_deterministic_algorithms(False),
    lambda m: m.use_deterministic_algorithms(mode=True),
    lambda m: m.use_deterministic_algorithms(1),
    lambda m: m.use_deterministic_algorithms(np.bool_(True)),
    lambda m: m.use_deterministic_algorithms(None),
    lambda m: m.use_deterministic_algorithms(1, warn_only=1),
    lambda m: m.use_deterministic_algorithms(True, warn_only=1),
    lambda m: m.use_deterministic_algorithms(True, warn_only="x"),
    lambda m: m.use_deterministic_algorithms(True, True),
    lambda m: m.use_deterministic_algorithms(),
] + [(lambda mode: lambda m: m.set_deterministic_debug_mode(mode))(mode) for mode in
     ["default", "warn", "error", 0, 1, 2, 3, -1, True, False, "Warn", "x", 1.0, None,
      np.int64(1)]]


def test_deterministic_switches_follow_torch_through_a_sequence():
    # every call after every other: the flags carry over (warn_only survives turning off)
    for first in DETERMINISTIC_CALLS:
        for second in DETERMINISTIC_CALLS:
            for call in (first, second):
                same(call)
                assert _deterministic_state(ember) == _deterministic_state(torch)
    assert same(_deterministic_state)[1] == _deterministic_state(torch)


def test_deterministic_getters_return_bools_and_ints():
    ember.use_deterministic_algorithms(True, warn_only=True)
    got = _deterministic_state(ember)
    assert got == (True, True, 1) and [type(v) for v in got] == [bool, bool, int]


# ------------------------------------------------------------------- default device
@pytest.mark.parametrize("device", ["cpu", "cpu:0", "cpu:1", ember.device("cpu"), None, 0,
                                    "foo", 1.0, "cpu:01"], ids=repr)
def test_set_default_device_as_torch(device):
    tdevice = torch.device(str(device)) if isinstance(device, ember.device) else device
    got = outcome(ember, lambda m: (m.set_default_device(device), m.get_default_device(),
                                    m.ones(1).device))
    expected = outcome(torch, lambda m: (m.set_default_device(tdevice),
                                         m.get_default_device(), m.ones(1).device))
    assert repr(got) == repr(expected)


@pytest.mark.parametrize("device", ["cuda", "cuda:1", "meta", "mps"])
def test_set_default_device_refuses_devices_ember_lacks_at_once(device):
    # torch fails at the first tensor made (for meta: never); ember says so straight away,
    # with the error ember.ones(1, device=...) gives
    ember.set_default_device("cpu:0")
    with pytest.raises(AssertionError) as expected:
        ember.ones(1, device=device)
    with pytest.raises(AssertionError) as info:
        ember.set_default_device(device)
    assert str(info.value) == str(expected.value)
    assert repr(ember.get_default_device()) == "device(type='cpu', index=0)"


def test_default_device_keyword_and_missing():
    assert same(lambda m: m.set_default_device(device="cpu")) == ("ok", None)
    assert same(lambda m: m.set_default_device())[0] == "error"
    assert repr(ember.get_default_device()) == "device(type='cpu')"


# ------------------------------------------------------------- warn always, denormals
@pytest.mark.parametrize("b", [True, False, 1, 0, "x", None, np.bool_(True)], ids=repr)
def test_set_warn_always_as_torch(b):
    same(lambda m: m.set_warn_always(b))
    assert ember.is_warn_always_enabled() is torch.is_warn_always_enabled()


@pytest.mark.parametrize("call", [lambda m: m.set_warn_always(b=True),
                                  lambda m: m.set_warn_always()])
def test_set_warn_always_call_errors_as_torch(call):
    assert same(call)[0] == "error"


@pytest.mark.parametrize("mode", [1, 0, "x", None, np.bool_(True), 1.0], ids=repr)
def test_set_flush_denormal_errors_as_torch(mode):
    assert same(lambda m: m.set_flush_denormal(mode))[0] == "error"


def test_set_flush_denormal_says_ember_keeps_denormals():
    assert same(lambda m: m.set_flush_denormal(False)) == ("ok", True)
    with pytest.warns(UserWarning, match="no effect in ember and returns False"):
        assert ember.set_flush_denormal(True) is False
    # the honest part: a denormal really is kept
    tiny = ember.tensor([1e-323], dtype=ember.float64) * 1
    assert tiny.item() != 0.0
    torch.set_flush_denormal(False)


def test_torch_compile_stays_absent():
    assert not hasattr(ember, "compile")


# ----------------------------------------------------------- float32 matmul precision
@pytest.fixture
def _restore_matmul_precision():
    saved = torch.get_float32_matmul_precision()
    yield
    torch.set_float32_matmul_precision(saved)


@pytest.mark.usefixtures("_restore_matmul_precision")
@pytest.mark.parametrize("steps", [["high"], ["medium", "highest"], ["high", "nonsense"],
                                   ["HIGH"], [""], [3], [None], [b"high"]])
def test_float32_matmul_precision_sequence_as_torch(steps):
    assert ember.get_float32_matmul_precision() == torch.get_float32_matmul_precision() \
        == "highest"
    for precision in steps:
        same(lambda m: m.set_float32_matmul_precision(precision))
        assert ember.get_float32_matmul_precision() == torch.get_float32_matmul_precision()


@pytest.mark.usefixtures("_restore_matmul_precision")
def test_unknown_matmul_precision_warns_and_keeps_the_setting():
    ember.set_float32_matmul_precision("medium")
    with pytest.warns(UserWarning, match="fast is not one of 'highest', 'high', or 'medium'"):
        ember.set_float32_matmul_precision("fast")
    assert ember.get_float32_matmul_precision() == "medium"


def test_matmul_precision_call_errors_as_torch():
    same(lambda m: m.set_float32_matmul_precision())
    same(lambda m: m.get_float32_matmul_precision(1))


# ------------------------------------------------------------------ anomaly detection
@pytest.fixture
def _restore_anomaly():
    saved = (torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
    saved_e = (ember.is_anomaly_enabled(), ember.is_anomaly_check_nan_enabled())
    yield
    torch.set_anomaly_enabled(*saved)
    ember.set_anomaly_enabled(*saved_e)


ANOMALY_CALLS = [((True,), {}), ((True, False), {}), ((False,), {}), ((True,), {"check_nan": False}),
                 ((), {"enabled": True}), ((1,), {}), ((True, 0), {}), ((None,), {}), ((), {}),
                 ((True, True, True), {}), ((True,), {"enabled": True}), ((True,), {"nan": 1})]


@pytest.mark.usefixtures("_restore_anomaly")
@pytest.mark.parametrize("args, kwargs", ANOMALY_CALLS)
def test_set_anomaly_enabled_as_torch(args, kwargs):
    ember.set_anomaly_enabled(False)
    torch.set_anomaly_enabled(False)
    same(lambda m: m.set_anomaly_enabled(*args, **kwargs))
    assert (ember.is_anomaly_enabled(), ember.is_anomaly_check_nan_enabled()) == \
        (torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())


@pytest.mark.usefixtures("_restore_anomaly")
def test_set_anomaly_enabled_switches_detect_anomaly_on():
    """The setting is the one backward reads: a NaN gradient raises, naming the node."""
    ember.set_anomaly_enabled(True)
    x = ember.zeros(1, requires_grad=True)
    with pytest.raises(RuntimeError, match="SqrtBackward0"):
        (x.sqrt() * 0).sum().backward()
    ember.set_anomaly_enabled(False)
    x = ember.zeros(1, requires_grad=True)
    (x.sqrt() * 0).sum().backward()           # off again: NaN gradient, no error
    assert np.isnan(x.grad._data).all()


def test_init_num_threads_as_torch():
    same(lambda m: m.init_num_threads())
    same(lambda m: m.init_num_threads(1))
    same(lambda m: m.init_num_threads(1, a=2))
    same(lambda m: m.init_num_threads(a=2))
