"""Generators and seeding: manual_seed / seed / initial_seed, Generator state round
trips, fork_rng, independence of generators, and Python's random left alone."""
import pickle
import random
import subprocess
import sys

import numpy as np
import pytest
import torch

import ember


def test_same_seed_same_stream():
    ember.manual_seed(7)
    a = (ember.rand(5), ember.randn(3), ember.randint(0, 100, (4,)), ember.randperm(6))
    ember.manual_seed(7)
    b = (ember.rand(5), ember.randn(3), ember.randint(0, 100, (4,)), ember.randperm(6))
    for x, y in zip(a, b):
        assert ember.equal(x, y)
    ember.manual_seed(8)
    assert not ember.equal(ember.rand(5), a[0])


def test_stream_is_the_same_in_a_fresh_process():
    """Same seed, same numbers in every run (MT19937 streams do not depend on the process)."""
    code = ("import ember; ember.manual_seed(2024); "
            "print(ember.rand(3, dtype=ember.float64).tolist(), "
            "ember.randint(0, 10**9, (2,)).tolist())")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout for _ in range(2)]
    assert runs[0] == runs[1]
    ember.manual_seed(2024)
    here = str(ember.rand(3, dtype=ember.float64).tolist()) + " " + str(
        ember.randint(0, 10 ** 9, (2,)).tolist())
    assert runs[0].strip() == here


def test_manual_seed_returns_the_default_generator_like_torch():
    g = ember.manual_seed(3)
    assert g is ember.default_generator and isinstance(g, ember.Generator)
    assert isinstance(torch.manual_seed(3), torch.Generator)
    assert ember.initial_seed() == 3 == torch.initial_seed()


@pytest.mark.parametrize("seed", [0, 1, 2 ** 32, 2 ** 63, 2 ** 64 - 1, -1, -2 ** 63])
def test_initial_seed_wraps_like_torch(seed):
    assert ember.Generator().manual_seed(seed).initial_seed() == \
        torch.Generator().manual_seed(seed).initial_seed()


def test_seed_picks_a_fresh_seed_and_reports_it():
    s = ember.seed()
    assert ember.initial_seed() == s and 0 <= s < 2 ** 64
    x = ember.rand(3)
    ember.manual_seed(s)
    assert ember.equal(ember.rand(3), x)
    assert ember.seed() != s


def test_generator_state_round_trips():
    g = ember.Generator().manual_seed(11)
    ember.rand(7, generator=g)                 # move away from the start
    state = g.get_state()
    assert state.dtype is ember.uint8 and state.ndim == 1
    first = ember.randn(5, generator=g)
    g.set_state(state)
    assert ember.equal(ember.randn(5, generator=g), first)
    # a state moves to another generator, carrying its initial seed
    h = ember.Generator().set_state(state)
    assert ember.equal(ember.randn(5, generator=h), first) and h.initial_seed() == 11


def test_default_generator_state_round_trips():
    ember.manual_seed(5)
    state = ember.get_rng_state()
    a = ember.rand(4)
    ember.set_rng_state(state)
    assert ember.equal(ember.rand(4), a)
    assert ember.equal(ember.random.get_rng_state(), ember.default_generator.get_state())


def test_get_state_is_a_copy():
    g = ember.Generator().manual_seed(1)
    state = g.get_state()
    copy = state.clone()
    ember.rand(3, generator=g)
    assert ember.equal(state, copy)


def test_set_state_rejects_bad_input_and_keeps_state():
    g = ember.Generator().manual_seed(4)
    with pytest.raises(TypeError, match="RNG state must be a torch.ByteTensor"):
        g.set_state(ember.zeros(3))
    with pytest.raises(RuntimeError):
        g.set_state(ember.zeros(3, dtype=ember.uint8))
    assert ember.equal(ember.rand(3, generator=g), ember.rand(3, generator=ember.Generator()
                                                                  .manual_seed(4)))


def test_generators_are_independent():
    g1 = ember.Generator().manual_seed(0)
    g2 = ember.Generator().manual_seed(0)
    a = ember.rand(5, generator=g1)
    ember.rand(100, generator=g2)                  # drawing from g2 ...
    ember.manual_seed(0)
    ember.rand(100)                                # ... or from the default generator
    b = ember.rand(5, generator=g1)                # ... does not move g1
    ref = ember.Generator().manual_seed(0)
    assert ember.equal(a, ember.rand(5, generator=ref))
    assert ember.equal(b, ember.rand(5, generator=ref))


def test_default_generator_unaffected_by_explicit_generators():
    ember.manual_seed(9)
    expected = ember.rand(3)
    ember.manual_seed(9)
    ember.randn(50, generator=ember.Generator().manual_seed(1))
    assert ember.equal(ember.rand(3), expected)


def test_fork_rng_restores_the_default_stream():
    ember.manual_seed(21)
    with ember.random.fork_rng():
        inside = ember.rand(3)
        ember.rand(10)
    after = ember.rand(3)
    assert ember.equal(inside, after)
    with ember.random.fork_rng(enabled=False):
        ember.rand(1)
    assert not ember.equal(ember.rand(3), after)


def test_fork_rng_restores_even_after_an_exception():
    ember.manual_seed(22)
    state = ember.get_rng_state()
    with pytest.raises(ZeroDivisionError):
        with ember.random.fork_rng():
            ember.rand(5)
            1 / 0
    assert ember.equal(ember.get_rng_state(), state)


def test_generators_pickle_with_their_state():
    g = ember.Generator().manual_seed(13)
    ember.rand(2, generator=g)
    h = pickle.loads(pickle.dumps(g))
    assert ember.equal(ember.rand(4, generator=g), ember.rand(4, generator=h))
    assert h.initial_seed() == 13


def test_generator_device_and_module_level_names():
    g = ember.Generator()
    assert str(g.device) == "cpu" and g.initial_seed() == torch.Generator().initial_seed()
    for name in ("manual_seed", "seed", "initial_seed", "get_rng_state", "set_rng_state",
                 "fork_rng", "default_generator"):
        assert hasattr(ember.random, name) and hasattr(torch.random, name)


def test_python_random_is_left_alone():
    """The slides toss coins with Python's random beside ember: seeding one never touches
    the other."""
    random.seed(0)
    expected = [random.random() for _ in range(5)]
    random.seed(0)
    ember.manual_seed(0)
    ember.rand(10)
    got = [random.random() for _ in range(5)]
    assert got == expected
    random.seed(1)
    ember.manual_seed(1)
    a = ember.rand(3)
    random.random()
    ember.manual_seed(1)
    assert ember.equal(ember.rand(3), a)
    np_state = np.random.get_state()[1].copy()
    ember.manual_seed(3)
    ember.rand(3)
    assert np.array_equal(np.random.get_state()[1], np_state)


def test_slides_coin_toss_with_python_random():
    num_tosses = 100
    heads = sum([random.random() > 0.5 for _ in range(100)])
    tails = num_tosses - heads
    assert 0 <= heads <= 100 and heads + tails == 100


# Each sampler draws torch's numbers from torch's stream, through the fast lanes (plain
# int sizes, randint of Python ints) and the checked paths (lists, Size, NumPy ints,
# size=, dtype=) alike.
STREAM_CASES = [
    "M.rand(4, 5)", "M.rand((4, 5))", "M.rand([4, np.int64(5)])",
    "M.rand(size=(4, 5), dtype=M.float64)", "M.randn(4, 5)", "M.randn(M.Size([3]), dtype=M.float64)",
    "M.randn(())", "M.normal(0, 1, (4, 5))", "M.normal(2.0, 0.5, [3])", "M.randint(0, 10, (4,))",
    "M.randint(10, (2, 3))", "M.randint(-5, 5, [4])", "M.randint(np.int64(3), 9, (4,))",
    "M.randint(0, 10, (4,), dtype=M.int32)", "M.randint(-2**63, 2**63 - 1, (3,))",
    "M.randperm(100)", "M.randperm(7, dtype=M.float32)",
]


@pytest.mark.parametrize("expr", STREAM_CASES)
def test_samplers_draw_torchs_stream(expr):
    def run(m):
        m.manual_seed(123)
        first = eval(expr, {"M": m, "np": np})
        return first, m.rand(3)         # (and leave the stream where torch leaves it)
    got, after = run(ember)
    want, want_after = run(torch)
    assert got._data.dtype == want.numpy().dtype and tuple(got.shape) == tuple(want.shape)
    assert np.array_equal(got._data, want.numpy())
    assert np.array_equal(after._data, want_after.numpy())
    assert got.grad_fn is None and not got.requires_grad


@pytest.mark.parametrize("expr", [
    "M.randint(0, 10, (4,), requires_grad=True)", "M.randint(5, 5, (2,))",
    "M.randint(0, 2**63 + 1, (2,))", "M.randint(-2**63 - 1, 0, (1,))", "M.randint(0, 2**63, (2,))",
    "M.randint(0, 10, (-1,))", "M.randint(True, 10, (2,))",
    "M.rand(4, 5, requires_grad=True)", "M.randn(2, 3, dtype=M.int64)", "M.rand()",
    "M.rand(True)", "M.rand(2, -1)", "M.randn(4, 5, out=M.zeros(1))",
])
def test_sampler_lane_neighbours_behave_like_torch(expr):
    """The cases next to the fast lanes fall through to torch's checks and results."""
    def run(m):
        try:
            r = eval(expr, {"M": m})
        except Exception as exc:        # noqa: BLE001 - compared with torch's below
            return type(exc).__name__       # (messages: test_random.py in tests/ops)
        return tuple(r.shape), str(r.dtype), r.requires_grad
    assert run(ember) == run(torch)


# ------------------------------------------------------------ torch's MT19937 stream
@pytest.mark.parametrize("seed", [0, 1, 2 ** 32 - 1, 2 ** 32 + 5, 2 ** 63, 2 ** 64 - 1, -1, -2 ** 63,
                                  67280421310721])
def test_seeds_give_torchs_stream(seed):
    ember.manual_seed(seed)
    torch.manual_seed(seed)
    assert ember.initial_seed() == torch.initial_seed()
    np.testing.assert_array_equal(ember.rand(7).numpy(), torch.rand(7).numpy())
    g, tg = ember.Generator().manual_seed(seed), torch.Generator().manual_seed(seed)
    np.testing.assert_array_equal(ember.rand(3, generator=g, dtype=ember.float64).numpy(),
                                  torch.rand(3, generator=tg, dtype=torch.float64).numpy())


def test_a_fresh_generator_has_torchs_default_seed_and_stream():
    g, tg = ember.Generator(), torch.Generator()
    assert g.initial_seed() == tg.initial_seed() == 67280421310721
    np.testing.assert_array_equal(ember.randn(5, generator=g).numpy(),
                                  torch.randn(5, generator=tg).numpy())


@pytest.mark.parametrize("draws", ["", "M.rand(8)", "M.randn(3)", "M.randn(1, dtype=M.float64)",
                                   "M.rand(624)", "M.rand(1000)", "M.randn(5)"])
def test_state_is_torchs_5056_byte_layout(draws):
    """The same bytes as torch's get_rng_state after the same draws (the spare normal of
    an odd randn included), and states load across: torch's into ember and back."""
    for m in (ember, torch):
        m.manual_seed(11)
        eval(draws or "None", {"M": m})
    got, want = ember.get_rng_state(), torch.get_rng_state()
    assert got.dtype is ember.uint8 and tuple(got.shape) == (5056,)
    np.testing.assert_array_equal(got.numpy()[24:], want.numpy()[24:])     # words, normals
    np.testing.assert_array_equal(got.numpy()[:12], want.numpy()[:12])      # seed, left
    ember.manual_seed(99)
    ember.set_rng_state(ember.tensor(want.numpy()))        # torch's state into ember
    torch.set_rng_state(torch.from_numpy(got.numpy()))     # ember's state into torch
    np.testing.assert_array_equal(ember.randn(5).numpy(), torch.randn(5).numpy())
    np.testing.assert_array_equal(ember.rand(3).numpy(), torch.rand(3).numpy())


def test_bad_states_raise_torchs_errors():
    for m in (ember, torch):
        before = m.get_rng_state()
        with pytest.raises(RuntimeError, match="Expected a CPUGeneratorImplState of size 5056 "
                                               "but found the input RNG state size to be 10"):
            m.set_rng_state(m.zeros(10, dtype=m.uint8))
        with pytest.raises(TypeError, match="RNG state must be a torch.ByteTensor"):
            m.set_rng_state(m.zeros(5056))
        with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
            m.set_rng_state(m.zeros(5056, dtype=m.uint8))
        assert np.array_equal(m.get_rng_state().numpy(), before.numpy())   # left unchanged


def test_fork_rng_and_pickled_generators_keep_the_stream():
    import pickle
    ember.manual_seed(4)
    ember.randn(3)                          # leaves a spare normal behind
    with ember.random.fork_rng():
        ember.rand(100)
    g = pickle.loads(pickle.dumps(ember.random.default_generator))
    torch.manual_seed(4)
    torch.randn(3)
    want = torch.randn(4).numpy()
    np.testing.assert_array_equal(ember.randn(4).numpy(), want)
    np.testing.assert_array_equal(ember.randn(4, generator=g).numpy(), want)


@pytest.mark.parametrize("case", [
    lambda m: m.Generator(foo=1), lambda m: m.Generator(1.5),
    lambda m: m.Generator().manual_seed(), lambda m: m.Generator().manual_seed(1, 2),
    lambda m: m.Generator().set_state("a"), lambda m: m.set_rng_state([1]),
    lambda m: m.Generator().set_state(m.ones(2)),
])
def test_generator_argument_errors_are_torchs(case):
    from helpers import assert_same_error
    assert_same_error(case)
