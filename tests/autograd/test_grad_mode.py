"""no_grad / enable_grad / set_grad_enabled / inference_mode as context managers,
decorators (with and without parentheses) and plain calls, nested."""
import numpy as np
import pytest
import torch

import ember


def records(m):
    return (m.ones(2, requires_grad=True) * 2).requires_grad


def modes(m):
    out = []
    with m.no_grad():
        out.append(records(m))
        with m.enable_grad():
            out.append(records(m))
            with m.no_grad():
                out.append(records(m))
            out.append(records(m))
        out.append(records(m))
    out.append(records(m))
    with m.set_grad_enabled(False):
        out.append(records(m))
        with m.set_grad_enabled(True):
            out.append(records(m))
        out.append(m.is_grad_enabled())
    out.append(m.is_grad_enabled())
    with m.inference_mode():
        out += [records(m), m.is_inference_mode_enabled(), m.is_grad_enabled()]
        with m.inference_mode(False):
            out += [records(m), m.is_inference_mode_enabled()]
    with m.no_grad():
        with m.inference_mode(False):
            out.append(records(m))
    out += [m.is_inference_mode_enabled(), m.is_grad_enabled()]
    return out


def test_context_managers_and_nesting_like_torch():
    assert modes(ember) == modes(torch)


def test_set_grad_enabled_as_a_call_takes_effect_at_once():
    def run(m):
        m.set_grad_enabled(False)
        try:
            off = records(m)
        finally:
            m.set_grad_enabled(True)
        return off, records(m)
    assert run(ember) == run(torch) == (False, True)


def decorated(m):
    @m.no_grad()
    def a():
        return records(m)

    @m.no_grad
    def b():
        return records(m)

    @m.enable_grad()
    def c():
        return records(m)

    @m.enable_grad
    def d():
        return records(m)

    @m.inference_mode()
    def e():
        return records(m)

    @m.inference_mode
    def f():
        return records(m)

    @m.set_grad_enabled(False)
    def g():
        return records(m)

    after_decorating = m.is_grad_enabled()
    out = [a(), b(), c(), d(), e(), f(), g(), after_decorating, m.is_grad_enabled()]
    with m.no_grad():
        out += [c(), d(), records(m)]
    return out


def test_decorators_like_torch():
    assert decorated(ember) == decorated(torch)


def test_decorated_functions_keep_their_names_and_generators_work():
    @ember.no_grad()
    def f(x):
        """doc"""
        return x * 2

    assert f.__name__ == "f" and f.__doc__ == "doc"

    @ember.no_grad()
    def gen():
        yield records(ember)
        yield records(ember)
    assert list(gen()) == [False, False]
    assert ember.is_grad_enabled()


def test_mode_is_restored_after_an_exception():
    for m in (ember, torch):
        with pytest.raises(ValueError):
            with m.no_grad():
                raise ValueError("boom")
        assert m.is_grad_enabled()


def test_no_grad_still_lets_leaves_be_created_with_requires_grad():
    def run(m):
        with m.no_grad():
            x = m.ones(2, requires_grad=True)
            y = x * 2
        return x.requires_grad, y.requires_grad, y.grad_fn is None
    assert run(ember) == run(torch)


def test_set_grad_enabled_needs_a_bool():
    for m in (ember, torch):
        with pytest.raises(TypeError):
            m.set_grad_enabled("yes")
    assert ember.is_grad_enabled()


def test_grad_mode_is_thread_local():
    import threading
    seen = []
    with ember.no_grad():
        t = threading.Thread(target=lambda: seen.append(ember.is_grad_enabled()))
        t.start()
        t.join()
    assert seen == [True]


def test_detect_anomaly_names_the_node_that_made_nan():
    msgs = []
    for m in (ember, torch):
        x = m.tensor([0.0, 1.0], requires_grad=True)
        with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"):
            with m.autograd.detect_anomaly():
                assert m.is_anomaly_enabled()
                y = (x.sqrt() * 0).sum()
                with pytest.warns(UserWarning, match="Error detected in SqrtBackward0"):
                    with pytest.raises(RuntimeError) as info:
                        y.backward()
        msgs.append(str(info.value))
        assert not m.is_anomaly_enabled()
    assert msgs[0] == msgs[1] == "Function 'SqrtBackward0' returned nan values in its 0th output."


def test_set_detect_anomaly_and_nan_without_it():
    for m in (ember, torch):
        m.autograd.set_detect_anomaly(True)
        assert m.is_anomaly_enabled() and m.is_anomaly_check_nan_enabled()
        m.autograd.set_detect_anomaly(False)
        assert not m.is_anomaly_enabled()
        x = m.tensor([0.0], requires_grad=True)
        (x.sqrt() * 0).sum().backward()          # no check: NaN flows through
        assert np.isnan(x.grad.item())


@pytest.mark.parametrize("mode", [1, None, "yes"])
def test_set_grad_enabled_refuses_a_non_bool_with_torch_message(mode):
    with pytest.raises(TypeError) as t:
        torch.set_grad_enabled(mode)
    with pytest.raises(TypeError) as e:
        ember.set_grad_enabled(mode)
    assert str(e.value) == str(t.value)
    assert ember.is_grad_enabled()
