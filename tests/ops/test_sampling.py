"""Same seed, same numbers as torch: every sampling op against torch 2.13's CPU kernels,
bit for bit, over several seeds, sizes on both sides of the 16-value blocks of the
normal fill, dtypes, in-place fills on views, and sequences of ops (which also checks
how many words of the stream each op takes)."""
import math

import numpy as np
import pytest
import torch

import ember
from ember.ops import _sampling

SEEDS = [0, 1, 42, 2 ** 32 + 7, -3]
SIZES = [(), (0,), (1,), (3,), (15,), (16,), (17,), (31,), (33,), (40,), (4, 10), (1000,)]


def _same(expr, seed, **names):
    """expr run under ember and under torch from the same seed: equal values, dtype and
    shape, and the stream left at the same place (the next rand(5) agrees)."""
    results = []
    for m in (ember, torch):
        m.manual_seed(seed)
        value = eval(expr, {"M": m, "np": np, **names})
        after = m.rand(5)
        results.append((np.asarray(value.numpy() if hasattr(value, "numpy") else value),
                        after.numpy()))
    (got, got_after), (want, want_after) = results
    assert got.dtype == want.dtype and got.shape == want.shape, expr
    np.testing.assert_array_equal(got, want, err_msg=expr)
    if got.dtype.kind == "f":       # bit for bit: the signs of zeros too
        np.testing.assert_array_equal(np.signbit(got), np.signbit(want), err_msg=expr)
    np.testing.assert_array_equal(got_after, want_after, err_msg=f"stream after {expr}")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("size", SIZES, ids=str)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_rand_randn_normal_match_torch(seed, size, dtype):
    for expr in [f"M.rand({size}, dtype=M.{dtype})", f"M.randn({size}, dtype=M.{dtype})",
                 f"M.normal(0.5, 2.5, {size}, dtype=M.{dtype})",
                 f"M.empty({size}, dtype=M.{dtype}).uniform_(-0.3, 2.1)",
                 f"M.empty({size}, dtype=M.{dtype}).normal_(-1.5, 0.7)"]:
        _same(expr, seed)


@pytest.mark.parametrize("seed", SEEDS[:3])
@pytest.mark.parametrize("size", [(3,), (17,), (40,)], ids=str)
def test_float16_uniform_and_small_normal_match_torch(seed, size):
    _same(f"M.rand({size}, dtype=M.float16)", seed)
    _same(f"M.empty({size}, dtype=M.float16).uniform_(-2, 3)", seed)
    if size[0] < 16:        # (torch's half fill of 16 and more is not reproduced)
        _same(f"M.randn({size}, dtype=M.float16)", seed)


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_like_ops_and_tensor_normal_overloads(seed):
    for expr in ["M.rand_like(M.zeros(3, 7))", "M.randn_like(M.zeros(20, dtype=M.float64))",
                 "M.randint_like(M.zeros(6), 3, 9)", "M.randint_like(M.zeros(6, dtype=M.int32), 9)",
                 "M.normal(M.arange(20.), M.arange(20.) / 7)",
                 "M.normal(M.arange(5.), 2.0)", "M.normal(1.5, M.arange(18.).reshape(3, 6))",
                 "M.normal(M.zeros(2, 1), M.ones(3))"]:
        _same(expr, seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_integer_ops_match_torch(seed):
    for expr in ["M.randint(10, (7,))", "M.randint(-5, 5, (3, 4))", "M.randint(0, 2**28, (5,))",
                 "M.randint(0, 2**28 - 1, (5,))", "M.randint(-2**40, 2**40, (5,))",
                 "M.randint(-2**63, 2**63 - 1, (4,))", "M.randint(0, 9, (5,), dtype=M.int16)",
                 "M.randint(0, 9, (5,), dtype=M.float32)", "M.randint(3, (0,))",
                 "M.empty(6, dtype=M.int64).random_()", "M.empty(6, dtype=M.int32).random_()",
                 "M.empty(6, dtype=M.int16).random_()", "M.empty(6, dtype=M.int8).random_()",
                 "M.empty(6, dtype=M.uint8).random_()", "M.empty(6, dtype=M.bool).random_()",
                 "M.empty(6).random_()", "M.empty(6, dtype=M.float64).random_()",
                 "M.empty(6).random_(7)", "M.empty(6, dtype=M.int64).random_(-3, 4)",
                 "M.empty(6, dtype=M.int64).random_(-2**63, None)",
                 "M.empty(6, dtype=M.int32).random_(-5, None)",
                 "M.empty((), dtype=M.int64).random_()"]:
        _same(expr, seed)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", [0, 1, 2, 10, 100, 1000])
def test_randperm_matches_torch(seed, n):
    _same(f"M.randperm({n})", seed)
    _same(f"M.randperm({n}, dtype=M.float32)", seed)


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_discrete_and_other_continuous_samplers_match_torch(seed):
    for expr in ["M.empty(25).bernoulli_(0.3)", "M.bernoulli(M.linspace(0, 1, 21))",
                 "M.bernoulli(M.linspace(0, 1, 21, dtype=M.float64))",
                 "M.bernoulli(M.zeros(3, 4), 0.6)",
                 "M.empty(3, 4).bernoulli_(M.tensor([0.1, 0.5, 0.9, 1.0]))",
                 "M.empty(20).exponential_(2.5)", "M.empty(7, dtype=M.float64).exponential_()",
                 "M.empty(20, dtype=M.float64).cauchy_(0.5, 2.0)",
                 "M.empty(9, dtype=M.float64).log_normal_(0.5, 0.5)",
                 "M.empty(20).geometric_(0.3)",
                 "M.multinomial(M.tensor([1., 2, 3, 4]), 3)",
                 "M.multinomial(M.tensor([1., 2, 3, 4]), 1)",
                 "M.multinomial(M.tensor([[1., 2, 3, 4], [0, 0, 1, 5]]), 7, True)",
                 "M.multinomial(M.rand(3, 50), 10)",
                 "M.multinomial(M.rand(50, dtype=M.float64), 20, True)"]:
        _same(expr, seed)


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_dropout_mask_matches_torch(seed):
    for expr in ["M.nn.functional.dropout(M.arange(40.), 0.3)",
                 "M.nn.functional.dropout(M.ones(5, 8, dtype=M.float64), 0.5)",
                 "M.nn.Dropout(0.2)(M.ones(17))"]:
        _same(expr, seed)


def test_a_sequence_of_ops_matches_torch():
    _same("(M.randn(3), M.rand(20), M.randperm(10), M.randn(1), M.randn(5), "
          "M.randint(0, 5, (3,)), M.normal(0, 1, (1000, 2)))[-1]", 0)
    for m in (ember, torch):
        m.manual_seed(0)
    parts = [(ember.randn(3), torch.randn(3)), (ember.rand(20), torch.rand(20)),
             (ember.randperm(10), torch.randperm(10)), (ember.randn(1), torch.randn(1)),
             (ember.randn(5, dtype=ember.float64), torch.randn(5, dtype=torch.float64))]
    for got, want in parts:
        np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_fills_on_views_follow_memory_order():
    """torch fills a transposed view in memory order, and takes the one-at-a-time
    normal path for a view that is not contiguous."""
    for expr in ["M.empty(5, 20).t().uniform_()", "M.empty(5, 20).t().normal_()",
                 "M.empty(40, 3)[:, 1].normal_()", "M.empty(4, 6).t().random_(100)"]:
        _same(expr, 3)


def test_generator_objects_draw_their_own_stream():
    g, tg = ember.Generator().manual_seed(5), torch.Generator().manual_seed(5)
    ember.manual_seed(1)
    torch.manual_seed(1)
    for _ in range(2):
        np.testing.assert_array_equal(ember.randn(20, generator=g).numpy(),
                                      torch.randn(20, generator=tg).numpy())
        np.testing.assert_array_equal(ember.randperm(9, generator=g).numpy(),
                                      torch.randperm(9, generator=tg).numpy())
        np.testing.assert_array_equal(ember.randn(3, generator=g).numpy(),
                                      torch.randn(3, generator=tg).numpy())
    np.testing.assert_array_equal(ember.rand(4).numpy(), torch.rand(4).numpy())


def test_float32_normal_fill_is_bit_exact_over_many_blocks():
    """The AVX2 polynomial log/sin/cos and torch's fused multiply-adds, reproduced: no
    bit differs over 20000 values, standard or scaled and shifted."""
    for seed in (0, 9):
        _same("M.randn(20000)", seed)
        _same("M.empty(20003).normal_(3.25, 0.125)", seed)
    # more than one chunk of blocks (drawn chunk by chunk), with and without a tail
    for expr in ["M.randn(70005)", "M.randn(65536 + 16)", "M.normal(0.0, 0.01, (784, 256))",
                 "M.empty(40001, dtype=M.float64).normal_(1.0, 2.0)", "M.rand(70001)",
                 "M.empty(70001).uniform_(-2.0, 3.0)", "M.empty(40000).bernoulli_(0.3)"]:
        _same(expr, 4)


def test_fma_emulation_rounds_once():
    """a * b + c rounded once, against exact rational arithmetic (float(Fraction) is
    correctly rounded)."""
    from fractions import Fraction
    rng = np.random.default_rng(0)
    a, b, c = (rng.standard_normal(400) * 10.0 ** rng.integers(-3, 4, 400) for _ in range(3))
    exact = [Fraction(x) * Fraction(y) + Fraction(z) for x, y, z in zip(a, b, c)]
    np.testing.assert_array_equal(_sampling.fma64(a, b, c), [float(v) for v in exact])
    a32, b32, c32 = a.astype(np.float32), b.astype(np.float32), c.astype(np.float32)
    exact32 = [Fraction(float(x)) * Fraction(float(y)) + Fraction(float(z))
               for x, y, z in zip(a32, b32, c32)]
    want32 = [np.float32(float(v)) if abs(float(v) - float(np.float32(float(v)))) == 0
              else _round32(v) for v in exact32]
    np.testing.assert_array_equal(_sampling.fma32(a32, b32, c32), want32)
    # a case that rounding twice gets wrong: 1 + 2^-24 (halfway) + 2^-60 rounds up
    x = _sampling.fma32(np.float32(1 + 2 ** -23), np.float32(0.5), np.float32(0.5 + 2 ** -24))
    assert x == np.float32(1 + 2 ** -23)


def _round32(v):
    """A rational rounded to the nearest float32 (ties to even)."""
    from fractions import Fraction
    lo = np.float32(float(v))
    if Fraction(float(lo)) > v:
        lo = np.nextafter(lo, np.float32(-np.inf))
    hi = np.nextafter(lo, np.float32(np.inf))
    d_lo, d_hi = v - Fraction(float(lo)), Fraction(float(hi)) - v
    if d_lo != d_hi:
        return lo if d_lo < d_hi else hi
    return lo if lo.view(np.int32) % 2 == 0 else hi


def test_randperm_and_normal_bad_inputs_raise_torchs_errors():
    for m in (ember, torch):
        with pytest.raises(TypeError, match=r"randperm\(\): argument 'n' \(position 1\) must be "
                                            r"int, not float"):
            m.randperm(10.0)
        empty = m.empty(0, dtype=m.int64)
        assert empty.normal_() is empty                     # nothing to fill: no error
        with pytest.raises(NotImplementedError, match="\"normal_kernel_cpu\" not implemented "
                                                      "for 'Long'"):
            m.empty(2, dtype=m.int64).normal_()
    w = ember.empty(0, 3, dtype=ember.int64)
    ember.nn.init.normal_(w)
    ember.nn.init.trunc_normal_(w)


# ------------------------------------------------------------- the fast kernels
# ember's sampling kernels take shortcuts (float64 sums without fma32's halfway test
# where no halfway sum can occur, integer comparisons for coin flips): each is held
# here against the plain computation it replaces, and against torch.
from fractions import Fraction

from hypothesis import given, settings, strategies as st

_F32 = np.float32


_OVERFLOW32 = (2 - Fraction(1, 2 ** 24)) * 2 ** 127     # rounds to infinity from here


def _fma32_exact(a, b, c):
    """The plain reference: a * b + c in rationals, rounded once to float32 (finite
    a, b, c), with IEEE's signed zeros: an exact zero is -0 only as -0 + -0."""
    a, b, c = np.broadcast_arrays(*(np.asarray(v, np.float32) for v in (a, b, c)))
    out = []
    for x, y, z in zip(a.ravel().tolist(), b.ravel().tolist(), c.ravel().tolist()):
        exact = Fraction(x) * Fraction(y) + Fraction(z)
        if exact == 0:
            negative_product = math.copysign(1, x) * math.copysign(1, y) < 0
            both_negative_zeros = (x == 0 or y == 0) and negative_product and \
                math.copysign(1, z) < 0
            out.append(-0.0 if both_negative_zeros else 0.0)
        elif abs(exact) >= _OVERFLOW32:
            out.append(math.copysign(math.inf, exact))
        else:
            out.append(_round32(exact))
    return np.array(out, np.float32).reshape(a.shape)


def _fma32_plain(a, b, c):
    """The emulation as first written: the float64 sum, with the sums that sit halfway
    between two float32 moved one float64 step towards the exact value (Knuth's
    two-sum error) before rounding."""
    p = np.multiply(a, b, dtype=np.float64)
    s = np.asarray(p + c, np.float64)
    half = (s.view(np.uint64) & np.uint64(0x1FFF_FFFF)) == np.uint64(0x1000_0000)
    if half.any():
        p_h = np.broadcast_to(p, s.shape)[half]
        c_h = np.broadcast_to(np.asarray(c, np.float64), s.shape)[half]
        s_h = s[half]
        back = s_h - p_h
        error = (p_h - (s_h - back)) + (c_h - back)
        s[half] = np.where(error > 0, np.nextafter(s_h, np.inf),
                           np.where(error < 0, np.nextafter(s_h, -np.inf), s_h))
    with np.errstate(over="ignore"):
        return s.astype(np.float32)


def _log_ps_plain(x):
    """torch's AVX2 log_ps, every FMA through _fma32_plain, no shortcut."""
    x = np.maximum(x, _F32(1.17549435e-38))
    bits = x.view(np.int32)
    e = ((bits >> 23) - 0x7F).astype(np.float32) + _F32(1)
    x = ((bits & ~0x7F800000) | 0x3F000000).view(np.float32)
    small = x < _F32(0.707106781186547524)
    e = e - small.astype(np.float32)
    x = (x - _F32(1)) + np.where(small, x, _F32(0))
    z = x * x
    y = np.full_like(x, _F32(7.0376836292E-2))
    for p in [-1.1514610310E-1, 1.1676998740E-1, -1.2420140846E-1, 1.4249322787E-1,
              -1.6668057665E-1, 2.0000714765E-1, -2.4999993993E-1, 3.3333331174E-1]:
        y = _fma32_plain(y, x, _F32(p))
    y = _fma32_plain(y * x, z, e * _F32(-2.12194440e-4))
    y = _fma32_plain(-z, _F32(0.5), y)
    return _fma32_plain(e, _F32(0.693359375), x + y)


def _sincos_ps_plain(x):
    """torch's AVX2 sincos_ps, every FMA through _fma32_plain."""
    sign_sin = np.signbit(x)
    x = np.abs(x)
    j = (x * _F32(1.27323954473516)).astype(np.int32)
    j = (j + 1) & ~1
    y = j.astype(np.float32)
    for part in (-0.78515625, -2.4187564849853515625e-4, -3.77489497744594108e-8):
        x = _fma32_plain(y, _F32(part), x)
    sign_sin = sign_sin ^ ((j & 4) != 0)
    sign_cos = (~(j - 2) & 4) != 0
    z = x * x
    cos = _fma32_plain(_fma32_plain(np.full_like(z, _F32(2.443315711809948E-005)), z,
                                    _F32(-1.388731625493765E-003)), z, _F32(4.166664568298827E-002))
    cos = _fma32_plain(cos * z, z, -(z * _F32(0.5))) + _F32(1)
    sin = _fma32_plain(_fma32_plain(np.full_like(z, _F32(-1.9515295891E-4)), z,
                                    _F32(8.3321608736E-3)), z, _F32(-1.6666654611E-1))
    sin = _fma32_plain(sin * z, x, x)
    first = (j & 2) == 0
    sin, cos = np.where(first, sin, cos), np.where(first, cos, sin)
    return np.where(sign_sin, -sin, sin), np.where(sign_cos, -cos, cos)


def _bits_equal(got, want):
    np.testing.assert_array_equal(np.asarray(got).view(np.int32), np.asarray(want).view(np.int32))


def test_box_muller_parts_match_the_plain_kernels_for_every_float32_uniform():
    """The float32 normal fill's radius depends on one uniform and its angle on another,
    each one of the 2^24 multiples of 2^-24 on [0, 1): all of them, against the plain
    log_ps and sincos_ps (so the FMAs that skip the halfway test never needed it)."""
    per_pass = 1 << 21
    for start in range(0, 1 << 24, per_pass):
        u = (np.arange(start, start + per_pass, dtype=np.int32).astype(np.float32)
             * _F32(2.0 ** -24)).reshape(-1, 8)
        radius, cos, sin = _sampling._box_muller_parts(np.concatenate([u, u[::-1]], axis=1))
        _bits_equal(radius, np.sqrt(_F32(-2) * _log_ps_plain(_F32(1) - u)))
        want_sin, want_cos = _sincos_ps_plain(_F32(2 * np.pi) * u[::-1])
        _bits_equal(sin, want_sin)
        _bits_equal(cos, want_cos)


def _halfway_triples(rng, n):
    """float32 a, b, c whose float64 a * b + c lands exactly halfway between two float32
    (often while the exact sum does not): a = 1.5 2^i times b = m 2^j, m odd and below
    2^25 / 3, has 3m, 25 digits ending in 1, a half digit past float32's 24; a small c
    moves the exact sum off the halfway point (not the float64 one), or not at all if 0."""
    m = rng.integers(1 << 23, (1 << 25) // 3, n) | 1
    b = m.astype(np.float64) * 2.0 ** rng.integers(-30, 5, n)
    a = 1.5 * 2.0 ** rng.integers(-8, 8, n) * rng.choice([-1.0, 1.0], n)
    tiny = np.abs(a * b) * 2.0 ** -rng.integers(55, 90, n) * rng.choice([-1.0, 1.0], n)
    c = np.where(rng.random(n) < 0.2, 0.0, tiny)
    return a.astype(np.float32), b.astype(np.float32), c.astype(np.float32)


def _mixed_triples(rng, n):
    def floats():
        return (rng.standard_normal(n) * 2.0 ** rng.integers(-40, 40, n)).astype(np.float32)
    a, b, c = floats(), floats(), floats()
    c[rng.random(n) < 0.1] = 0.0
    a[rng.random(n) < 0.05] = -0.0
    return a, b, c


@settings(max_examples=40)
@given(seed=st.integers(0, 2 ** 32 - 1), n=st.integers(1, 40))
def test_fma32_rounds_once_halfway_sums_included(seed, n):
    rng = np.random.default_rng(seed)
    for a, b, c in (_halfway_triples(rng, n), _mixed_triples(rng, n)):
        want = _fma32_exact(a, b, c)
        _bits_equal(_sampling.fma32(a, b, c), want)
        _bits_equal(_fma32_plain(a, b, c), want)
        # one scale and shift for all, over chunks (as uniform_ and normal_ use it)
        want = _fma32_exact(a, b[0], c[0])
        out = np.empty(n, np.float32)
        old = _sampling._FMA_CHUNK
        try:
            _sampling._FMA_CHUNK = 7
            _bits_equal(_sampling._fma32_chunks(a, b[0], c[0], out), want)
        finally:
            _sampling._FMA_CHUNK = old


def test_the_halfway_triples_do_defeat_double_rounding():
    """(else the test above could not fail): plain float64 sums rounded to float32 get
    a good share of them wrong, and they are all halfway sums."""
    a, b, c = _halfway_triples(np.random.default_rng(0), 2000)
    s = np.multiply(a, b, dtype=np.float64) + c
    assert np.all((s.view(np.uint64) & np.uint64(0x1FFF_FFFF)) == np.uint64(0x1000_0000))
    wrong = s.astype(np.float32) != _fma32_exact(a, b, c)
    assert 200 < wrong.sum() < 2000
    _bits_equal(_sampling.fma32(a, b, c), _fma32_exact(a, b, c))
    assert _sampling.fma32(_F32(1.5), _F32(3), _F32(0)) == _F32(4.5)      # numbers: a number


@settings(max_examples=50)
@given(step=st.floats(-1e6, 1e6, allow_subnormal=False, width=32),
       shift=st.floats(-1e6, 1e6, width=32), seed=st.integers(0, 2 ** 32 - 1))
def test_sums_declared_exact_are_exact(step, shift, seed):
    """uniform_ skips the halfway test when every k * step + shift (k < 2^24) is exact
    in float64: wherever it says so, sample k (the extremes too) and check."""
    step = float(step) * 2.0 ** -24
    shift = float(shift)
    if not _sampling._sums_exact(step, shift):
        return
    k = np.concatenate([[0, 1, (1 << 24) - 1],
                        np.random.default_rng(seed).integers(0, 1 << 24, 200)])
    for value in k.tolist():
        assert Fraction(value * step + shift) == Fraction(value) * Fraction(step) + Fraction(shift)


def test_sums_exact_answers_for_known_cases():
    bound = float(_F32(0.0357))
    assert _sampling._sums_exact(float(_F32(2 * bound)) * 2.0 ** -24, -bound)    # kaiming
    assert not _sampling._sums_exact(1.5 * 2.0 ** -24, 2.0 ** -60)
    assert not _sampling._sums_exact(float("inf"), 0.0)
    assert _sampling._sums_exact(0.0, 0.0)


@pytest.mark.parametrize("seed", [0, 5])
@pytest.mark.parametrize("low, high", [(2.0 ** -60, 1.5), (-2.0 ** -60, 1.5), (1e-30, 3.0)])
def test_uniform_and_normal_where_double_rounding_would_go_wrong_match_torch(seed, low, high):
    """float32 sums that land halfway between two float32 while the exact value does
    not (about one uniform in eight here): torch's one rounding, not two."""
    _same(f"M.empty(5000).uniform_({low!r}, {high!r})", seed)
    _same(f"M.empty(5000).normal_({low!r}, {high!r})", seed)
    _same(f"M.normal({low!r}, {high!r}, (70, 3))", seed)
    g = ember.Generator().manual_seed(seed)
    k = (g.random(5000) & np.uint64(0xFF_FFFF)).astype(np.float64)
    step = float(_F32(high) - _F32(low)) * 2.0 ** -24
    plain = (k * step + float(_F32(low))).astype(np.float32)
    torch.manual_seed(seed)
    assert (plain != torch.empty(5000).uniform_(low, high).numpy()).sum() > 100


@pytest.mark.parametrize("seed", [0, 7, 2 ** 40 + 3])
def test_sizes_1_to_70_and_common_shapes_match_torch(seed):
    """Every size up to 70 (whole blocks of 16, a tail block, the one-at-a-time path
    below 16) and the common shapes, for each float sampler, with the stream left where
    torch leaves it."""
    for size in [*range(1, 71), (4, 5), (1000, 2), (256, 256)]:
        for expr in [f"M.randn({size!r})", f"M.rand({size!r})",
                     f"M.normal(0.0, 0.01, {size if isinstance(size, tuple) else (size,)!r})",
                     f"M.empty({size!r}).uniform_(-0.0357, 0.0357)",
                     f"M.empty({size!r}).normal_(0.25, 3.0)"]:
            _same(expr, seed)


def test_linear_and_dropout_match_torch():
    for seed in (0, 1):
        for m in (ember, torch):
            m.manual_seed(seed)
        e, t = ember.nn.Linear(784, 256), torch.nn.Linear(784, 256)
        np.testing.assert_array_equal(e.weight.detach().numpy(), t.weight.detach().numpy())
        np.testing.assert_array_equal(e.bias.detach().numpy(), t.bias.detach().numpy())
        for p in (0.5, 0.1, 0.37):
            _same(f"M.nn.functional.dropout(M.ones(256, 256), {p})", seed)


class _Words:
    """A stand-in generator handing out chosen words (uint64 holding 32 bits)."""
    def __init__(self, words):
        self.words = np.asarray(words, np.uint64)

    def random(self, n):
        assert n == self.words.size
        return self.words.copy()

    def random64(self, n):
        w = self.random(2 * n)
        return (w[0::2] << np.uint64(32)) | w[1::2]


@settings(max_examples=40)
@given(p=st.one_of(st.floats(0, 1), st.sampled_from([0.5, 2 ** -21, 1 - 2 ** -53, 5e-324, 1.0])),
       seed=st.integers(0, 2 ** 32 - 1), n=st.integers(0, 60))
def test_coin_flips_compare_integers_as_the_doubles_would(p, seed, n):
    """k 2^-53 < p, decided on the integers: against the doubles themselves, with the
    high halves of many draws set equal to the threshold's (ties the low halves decide)."""
    rng = np.random.default_rng(seed)
    words = rng.integers(0, 1 << 32, 2 * n, dtype=np.uint64)
    top = Fraction(p) * 2 ** 53
    high, low = divmod(int(top), 1 << 32)
    tie = rng.random(n) < 0.5
    words[0::2][tie] = (rng.integers(0, 1 << 11, tie.sum(), dtype=np.uint64) << np.uint64(21)) \
        | np.uint64(high % (1 << 21))
    words[1::2][tie] = np.clip(low + rng.integers(-2, 3, tie.sum()), 0, (1 << 32) - 1)
    want = _sampling.unit_double(_Words(words), n) < p
    got = _sampling.coin_flips(_Words(words), n, p)
    assert got.dtype == np.bool_ and got.shape == (n,)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("seed, n", [(6931, 4800), (39499, 5696), (18411, 6592)])
def test_a_zero_uniform_gives_torchs_positive_zero(seed, n):
    """A radius uniform of exactly 0 (one in 2^24: these seeds have one early) makes
    r = sqrt(-0) = -0; torch's last step, r cos(t) * 1 + 0, makes every such zero +0
    (compared bit for bit: -0 == +0 as numbers)."""
    for expr in [f"M.randn({n})", f"M.empty({n}).normal_(0.0, 1.0)",
                 f"M.empty({n}).normal_(2.0, 1.0)", f"M.normal(0.0, 0.5, ({n},))"]:
        got, want = ((m.manual_seed(seed), eval(expr, {"M": m}))[1].numpy()
                     for m in (ember, torch))
        _bits_equal(got, want)
    torch.manual_seed(seed)
    assert (torch.randn(n) == 0).any()


@settings(max_examples=40)
@given(std=st.one_of(st.floats(0, 2.0 ** 100, width=32),
                     st.sampled_from([2.0 ** -100, 2.0 ** -101, 1e-40, 1e-45, 1.0, 3e38])),
       mean=st.one_of(st.sampled_from([0.0, -0.0]), st.floats(-1024, 1024, width=32)),
       seed=st.sampled_from([0, 6931]), n=st.sampled_from([16, 40, 4800]))
def test_normal_fill_scaling_is_one_fma_of_the_raw_normals(std, mean, seed, n):
    """normal_(mean, std) with 16 or more values: fma(r cos(t), std, mean) of the raw
    Box-Muller values, whichever shortcut is taken (a float32 sum for std 1, a float32
    product for mean 0, and signed zeros, seed 6931 having r = -0 at 4787)."""
    raw = _sampling._normal_fill(ember.Generator().manual_seed(seed), n,
                                 _sampling.unit_float, _sampling._box_muller_float)
    got = _sampling.normal(ember.Generator().manual_seed(seed), n, np.float32, mean, std)
    if n < 4800:
        want = _fma32_exact(raw, _F32(std), _F32(mean))
    else:       # (too many for rationals: the plain emulation, itself tested against them)
        want = _fma32_plain(raw, _F32(std), _F32(mean))
    _bits_equal(got, want)
