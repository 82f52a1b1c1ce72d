"""torch's CPU sampling kernels, word for word: how each op turns the 32-bit words of
a Generator's MT19937 stream into numbers, and how many words it takes.

Every function takes an ember :class:`~ember.random.Generator` and a count ``n`` and
returns a flat NumPy array of the n samples in the order torch writes them
(memory order of a contiguous tensor). The arithmetic follows torch's kernels as
compiled for x86-64 with AVX2 (and AVX-512, which takes the same paths): ``a * b + c``
is one fused multiply-add there, emulated exactly here, and the float32 normal
fill uses the AVX2 polynomial log/sin/cos written out below.

Speed never changes a bit: an FMA whose float64 sum can never land halfway between
two float32 skips the test for it (the Box-Muller transform's, checked over all 2^24
uniforms; uniform_'s when its bounds prove every sum exact), an FMA whose product is
a float32 is a float32 product and sum, and large draws take their words a chunk at
a time.

    >>> g = ember.Generator().manual_seed(0)
    >>> uniform(g, 3, np.float32, 0.0, 1.0)
    array([0.4962566 , 0.7682218 , 0.08847743], dtype=float32)
"""
import math

import numpy as np

_F32 = np.float32
_U64 = np.uint64
_MASK53 = _U64((1 << 53) - 1)


# ------------------------------------------------------------- fused multiply-add
def _two_sum(a, b):
    """s, t with s = fl(a + b) and s + t == a + b exactly (Knuth)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


# An FMA of float32 is computed in float64, where the product is exact (24 + 24 bits),
# and rounded to float32. The float64 sum is rounded once already, and rounding it
# again goes wrong only where it lands exactly halfway between two float32 (its low
# 29 bits 1000...0) while the exact sum does not: one test over the sums finds those
# (rare) and they alone are redone.
_HALF_MASK, _HALFWAY = _U64(0x1FFF_FFFF), _U64(0x1000_0000)


def fma32(a, b, c):
    """float32 a * b + c rounded once, as the FMA torch's compiler emits (broadcast).

    >>> fma32(np.float32(1 + 2 ** -23), np.float32(0.5), np.float32(0.5 + 2 ** -24))
    np.float32(1.0000001)
    """
    product = np.asarray(np.multiply(a, b, dtype=np.float64))
    sums = np.asarray(np.add(product, c, dtype=np.float64))
    out = sums.astype(np.float32)
    _fix_halfway(product, c, sums, out)
    return out if out.ndim else out[()]


def _fix_halfway(product, c, sums, out):
    """Redo, in out (float32, shaped like sums), the sums = product + c that double
    rounding would get wrong: the side of the halfway point the exact sum lies on
    decides (a tie only where the sum is exact)."""
    at_half = np.bitwise_and(sums.view(np.uint64), _HALF_MASK) == _HALFWAY
    if not at_half.any():
        return
    where = np.flatnonzero(at_half)
    p = np.broadcast_to(product, sums.shape).reshape(-1)[where]
    c = np.broadcast_to(np.asarray(c, np.float64), sums.shape).reshape(-1)[where]
    s = sums.reshape(-1)[where]
    error = _two_sum(p, c)[1]
    s = np.where(error != 0, np.nextafter(s, np.copysign(np.inf, error)), s)
    out.reshape(-1)[where] = s


_FMA_CHUNK = 1 << 15     # values one pass of _fma32_chunks takes (its scratch stays in cache)


def _fma32_chunks(x, scale, shift, out, exact_sums=False):
    """out[:] = float32(x * scale + shift) rounded once, over flat x (int32 or float32)
    in chunks; scale and shift floats whose product with any x is exact in float64.
    ``exact_sums``: the caller knows every float64 sum is exact (no halfway test)."""
    scale, shift = np.float64(scale), np.float64(shift)
    exact_sums = exact_sums or shift == 0       # x * scale + 0 is the exact product
    size = min(x.size, _FMA_CHUNK)
    product, sums = np.empty(size), np.empty(size)
    for start in range(0, x.size, _FMA_CHUNK):
        part = slice(start, start + _FMA_CHUNK)
        p, s = product[:len(x[part])], sums[:len(x[part])]
        with np.errstate(over="ignore", invalid="ignore"):     # (inf and nan as torch's)
            np.multiply(x[part], scale, out=p, dtype=np.float64)
            np.add(p, shift, out=s)
            np.copyto(out[part], s, casting="unsafe")
        if not exact_sums:
            _fix_halfway(p, shift, s, out[part])
    return out


def _sums_exact(step, shift):
    """Whether k * step + shift is exact in float64 for every integer 0 <= k < 2^24:
    all are multiples of the lower of the two numbers' lowest bits, and each below
    2^24 |step| + |shift| in size, so 53 bits hold them when these bounds allow."""
    if not (math.isfinite(step) and math.isfinite(shift)):
        return False
    lowest = min(_lowest_bit(step), _lowest_bit(shift))
    highest = math.frexp(abs(step) * 2.0 ** 24 + abs(shift))[1] + 1    # (a bit to spare)
    return highest - lowest <= 53


def _lowest_bit(value):
    """The exponent of a float's lowest set bit (infinite for 0)."""
    if value == 0:
        return math.inf
    numerator, denominator = abs(value).as_integer_ratio()
    if denominator > 1:
        return 1 - denominator.bit_length()
    return (numerator & -numerator).bit_length() - 1


def fma64(a, b, c):
    """float64 a * b + c with one rounding (error-free product and sum, Dekker)."""
    a, b, c = np.asarray(a, np.float64), np.asarray(b, np.float64), np.asarray(c, np.float64)
    p = a * b
    split = 134217729.0                # 2^27 + 1: Veltkamp's split of a double in halves
    with np.errstate(over="ignore", invalid="ignore"):
        ah = a * split - (a * split - a)
        bh = b * split - (b * split - b)
        e = ((ah * bh - p) + ah * (b - bh) + (a - ah) * bh) + (a - ah) * (b - bh)
        s, t = _two_sum(p, c)
        out = s + (t + e)
    return np.where(np.isfinite(out), out, p + c)


# ------------------------------------------------------------------ uniform reals
def unit_float(gen, n):
    """n float32 on [0, 1): 24 bits of one word each (uniform_real_distribution<float>),
    the low 24 bits times 2^-24."""
    def fill(part):
        part[...] = _low24(gen.random(part.size))
        part *= _F32(2.0 ** -24)
    return _by_chunks(np.empty(n, np.float32), fill)


def _by_chunks(out, fill):
    """``fill(part)`` for each piece of ``out`` in turn, _FMA_CHUNK values at a time:
    the generator's words are drawn a chunk at a time, into memory the allocator
    reuses rather than fresh pages for the whole draw. Returns ``out``."""
    for start in range(0, out.size, _FMA_CHUNK):
        fill(out[start:start + _FMA_CHUNK])
    return out


def _low24(words):
    """The low 24 bits of 32-bit words (held as uint64), as int32 (the cast to int32
    keeps the low 32 bits and is far faster than uint64 arithmetic)."""
    bits = words.astype(np.int32)
    bits &= 0xFF_FFFF
    return bits


def unit_double(gen, n):
    """n float64 on [0, 1): 53 bits of one random64() each."""
    return (gen.random64(n) & _MASK53).astype(np.float64) * 2.0 ** -53


def uniform(gen, n, np_dtype, low, high):
    """uniform_(low, high): x * (high - low) + low, x on [0, 1) with the dtype's digits."""
    if np_dtype == np.float64:
        x = unit_double(gen, n)
        return x if low == 0 and high == 1 else fma64(x, high - low, low)
    if low == 0 and high == 1:          # x * 1 + 0: x itself
        return unit_float(gen, n).astype(np_dtype, copy=False)
    lo, hi = _F32(low), _F32(high)     # (float16 is drawn as float32, then rounded)
    # x * (hi - lo) with x = k 2^-24 is k times (hi - lo) 2^-24: exact in float64
    # either way, and the integers k need no pass to make floats of them
    step = float(hi - lo) * 2.0 ** -24
    exact_sums = _sums_exact(step, float(lo))
    out = _by_chunks(np.empty(n, np.float32), lambda part: _fma32_chunks(
        _low24(gen.random(part.size)), step, lo, part, exact_sums))
    return out.astype(np_dtype, copy=False)


# ------------------------------------------------------- libm-exact float64 math
_LONG = np.finfo(np.longdouble).nmant > 52


def _libm(np_fn, math_fn, x):
    """np_fn(x) in float64 bit for bit as C's libm (glibc) gives it, which torch calls.
    glibc's log, exp and tan err by under 0.52 ulp, so they round correctly except
    where the exact value lies within 0.02 ulp of halfway between two doubles: the
    value is computed in long double and rounded, and the few near halfway are
    asked of libm itself (through Python's math module)."""
    x = np.asarray(x, np.float64)
    if x.size <= 32 or not _LONG:
        return _per_value(math_fn, x)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        wide = np_fn(x.astype(np.longdouble))
        out = wide.astype(np.float64)
        gap = np.abs((wide - out) / np.spacing(np.abs(out)).astype(np.longdouble))
    near = ~(gap < 0.48)
    if near.any():
        out[near] = _per_value(math_fn, x[near])
    return out


def _per_value(math_fn, x):
    return np.frompyfunc(math_fn, 1, 1)(x).astype(np.float64)


def log(x):
    return _libm(np.log, _safe(math.log), x)


def log1p(x):
    # glibc's log1p errs by up to about 1 ulp: no shortcut, libm for every value
    return _per_value(_safe(math.log1p), np.asarray(x, np.float64))


def exp(x):
    return _libm(np.exp, _safe(math.exp), x)


def tan(x):
    return _libm(np.tan, _safe(math.tan), x)


def _safe(fn):
    """fn with C's answers where Python's math raises: log(0) = -inf, exp(1000) = inf."""
    def call(v):
        try:
            return fn(v)
        except ValueError:
            return -math.inf if v == 0 or v == -1 else math.nan
        except OverflowError:
            return math.inf
    return call


# ---------------------------------------------------------------------- normals
def normal(gen, n, np_dtype, mean, std, contiguous=True):
    """normal_(mean, std): torch fills 16 at a time by Box-Muller when the tensor is
    contiguous and holds 16 or more; else one double at a time, keeping the spare."""
    if n >= 16 and contiguous:
        if np_dtype == np.float32:
            return _normal_fill_float(gen, n, _F32(mean), _F32(std))
        if np_dtype == np.float64:
            return _normal_fill_double(gen, n, float(mean), float(std))
        return _normal_fill_float(gen, n, _F32(mean), _F32(std)).astype(np_dtype)
    return _scale(standard_normals(gen, n), std, mean).astype(np_dtype, copy=False)


def _scale(z, std, mean):
    """z * std + mean in one rounding (z itself for the standard normal)."""
    return z if std == 1 and mean == 0 else fma64(z, std, mean)


def standard_normals(gen, n):
    """n draws of normal_distribution<double>: each pair of doubles u1, u2 gives
    r cos(2 pi u1) now and r sin(2 pi u1) on the next draw, r = sqrt(-2 log(1 - u2))."""
    out = np.empty(n)
    start = 0
    if n and gen.next_double_normal is not None:
        out[0], gen.next_double_normal, start = gen.next_double_normal, None, 1
    pairs = (n - start + 1) // 2
    if 0 < pairs <= 8:                  # a few: libm itself, one value at a time
        u = unit_double(gen, 2 * pairs).tolist()
        both = []
        for u1, u2 in zip(u[0::2], u[1::2]):
            radius = math.sqrt(-2.0 * _safe(math.log1p)(-u2))
            theta = 2.0 * math.pi * u1
            both += [radius * math.cos(theta), radius * math.sin(theta)]
        out[start:] = both[:n - start]
        if (n - start) % 2:
            gen.next_double_normal = both[-1]
    elif pairs:
        u = unit_double(gen, 2 * pairs)
        radius = np.sqrt(-2.0 * log1p(-u[1::2]))
        theta = 2.0 * np.pi * u[0::2]
        both = np.empty(2 * pairs)
        both[0::2] = radius * np.cos(theta)
        both[1::2] = radius * np.sin(theta)
        out[start:] = both[:n - start]
        if (n - start) % 2:
            gen.next_double_normal = float(both[-1])
    return out


_BLOCKS_CHUNK = 4096     # blocks of 16 one transform takes (fewer NumPy calls beat cache)


def _normal_fill(gen, n, draw, transform):
    """torch's normal_fill: n uniforms, Box-Muller on each whole block of 16 (first 8
    the radii, last 8 the angles); if 16 does not divide n, 16 fresh uniforms
    overwrite the last 16 values and are transformed in turn."""
    whole = n // 16 * 16
    if n <= 16 * _BLOCKS_CHUNK:
        # one transform for all, the last 16 uniforms joining the whole blocks (those
        # between, drawn and then overwritten, are dropped): a small draw pays per call
        uniforms = draw(gen, n + 16 if n % 16 else n)
        if n % 16:
            uniforms = np.concatenate([uniforms[:whole], uniforms[n:]])
        done = np.empty_like(uniforms).reshape(-1, 16)
        transform(uniforms.reshape(-1, 16), done)
    else:
        # a chunk of blocks at a time, from the words as they are drawn (memory the
        # allocator reuses), then the 16 fresh ones after those between
        first = draw(gen, 16 * _BLOCKS_CHUNK).reshape(-1, 16)
        done = np.empty((whole // 16 + (n % 16 > 0), 16), first.dtype)
        transform(first, done[:_BLOCKS_CHUNK])
        for start in range(_BLOCKS_CHUNK, whole // 16, _BLOCKS_CHUNK):
            part = done[start:min(start + _BLOCKS_CHUNK, whole // 16)]
            transform(draw(gen, part.size).reshape(-1, 16), part)
        if n % 16:
            draw(gen, n - whole)
            transform(draw(gen, 16).reshape(1, 16), done[-1:])
    out = done.reshape(-1)
    if n % 16:
        out[n - 16:n] = out[whole:].copy()
        out = out[:n]
    return out


def _normal_fill_float(gen, n, mean, std):
    out = _normal_fill(gen, n, unit_float, _box_muller_float)
    if std == 1:
        # z * 1 + mean is one float32 sum; for the standard normal it still turns the
        # -0 that a uniform of 0 gives (r = sqrt(-0)) into torch's +0
        out += mean
        return out
    if mean == 0 and 2.0 ** -100 <= std < math.inf:
        # z * std + 0: the float32 product is that rounded once (a tiny std aside,
        # whose product could round to -0 where adding 0 makes +0); adding the zero
        # then settles the sign of an exact zero as the FMA does
        with np.errstate(over="ignore"):
            out *= std
        out += mean
        return out
    return _fma32_chunks(out, std, mean, out)


def _normal_fill_double(gen, n, mean, std):
    def transform(blocks, done):
        radius = np.sqrt(-2.0 * log(1.0 - blocks[:, :8]))
        theta = 2.0 * np.pi * blocks[:, 8:]
        np.multiply(radius, np.cos(theta), out=done[:, :8])
        np.multiply(radius, np.sin(theta), out=done[:, 8:])
    return _scale(_normal_fill(gen, n, unit_double, transform), std, mean)


def _box_muller_float(blocks, out):
    """Blocks of 16 float32 uniforms u to normals: out[:, :8] = r cos(t) and
    out[:, 8:] = r sin(t), r = sqrt(-2 log(1 - u[:, :8])), t = 2 pi u[:, 8:]."""
    radius, cos, sin = _box_muller_parts(blocks)
    np.multiply(radius, cos, out=out[:, :8])
    np.multiply(radius, sin, out=out[:, 8:])


def _box_muller_parts(blocks):
    """r, cos(t) and sin(t) for blocks of 16 uniforms (each m x 8, float32)."""
    radius = _minus_two_log_1m(blocks[:, :8])
    np.sqrt(radius, out=radius)
    sin, cos = _sincos_2pi(blocks[:, 8:])
    return radius, cos, sin


# torch's AVX2 float32 log and sincos (the cephes polynomials of avx_mathfun), with
# the fused multiply-adds its compiler forms: each ``a * b`` whose only use is a sum
# is fused into that sum. An FMA whose product a * b is itself a float32 (a power of
# two, or few-digit factors) is a plain float32 product and sum; the others are
# computed in float64 and rounded to float32 without fma32's halfway test: over all
# 2^24 float32 uniforms they give the exact FMA's results (tested exhaustively,
# against the plain emulation, in tests/ops/test_sampling.py).
def _c(value):
    """A float32 constant, as the float64 it is (float64 arithmetic keeps it exact)."""
    return float(_F32(value))


_LOG_P = [_c(p) for p in (
    7.0376836292E-2, -1.1514610310E-1, 1.1676998740E-1, -1.2420140846E-1, 1.4249322787E-1,
    -1.6668057665E-1, 2.0000714765E-1, -2.4999993993E-1, 3.3333331174E-1)]
_LOG_Q1, _LOG_Q2 = _F32(-2.12194440e-4), _F32(0.693359375)    # ln 2 in two parts
_SQRT_HALF = _F32(0.707106781186547524)


def _round32(wide, narrow):
    """Round the float64 values in ``wide`` to float32, into ``narrow`` and back."""
    narrow[...] = wide
    wide[...] = narrow


def _minus_two_log_1m(u):
    """-2 log(1 - u) by torch's log_ps, for float32 u on [0, 1) (so 1 - u is exact and
    at least 2^-24: log_ps's clamp to the smallest normal float never acts)."""
    # 1 - u = x 2^e with x on [0.5, 1) (torch takes them from the bits: the same
    # numbers); below sqrt(1/2), 2x and e - 1 instead, and the polynomial's x is that
    # mantissa less 1
    x, e = np.frexp(np.subtract(_F32(1), u))
    e = e.astype(np.float32)
    small = x < _SQRT_HALF
    e -= small
    m = x - _F32(1)
    m += x * small                                         # (x or +0, as torch's and-mask)
    x = m
    z = x * x
    x64 = x.astype(np.float64)
    y = np.empty_like(x)
    wide = x64 * _LOG_P[0]
    wide += _LOG_P[1]
    for coefficient in _LOG_P[2:]:
        _round32(wide, y)
        wide *= x64
        wide += coefficient
    y[...] = wide
    y *= x
    np.multiply(y, z, out=wide, dtype=np.float64)
    wide += e * _LOG_Q1
    y[...] = wide
    y += z * _F32(-0.5)                  # fma(-z, 0.5, y): the product is a float32
    y += x
    y += e * _LOG_Q2                     # fma(e, ln2_hi, x + y): e is a small integer
    y *= _F32(-2)
    return y


_PI4_A, _PI4_B = _F32(-0.78515625), _F32(-2.4187564849853515625e-4)   # -pi / 4 in 3 parts
_PI4_C = _c(-3.77489497744594108e-8)
_COS_P = [_c(2.443315711809948E-005), _c(-1.388731625493765E-003), _c(4.166664568298827E-002)]
_SIN_P = [_c(-1.9515295891E-4), _c(8.3321608736E-3), _c(-1.6666654611E-1)]


def _sincos_2pi(u):
    """sin and cos of 2 pi u by torch's sincos_ps, for float32 u on [0, 1) (an angle
    that is never negative: sincos_ps's sign handling for x < 0 never acts)."""
    x = np.multiply(u, _F32(2.0 * np.pi))
    j = np.multiply(x, _F32(1.27323954473516)).astype(np.int32)      # x / (pi / 4)
    j += 1
    j &= ~1
    # x - j pi / 4: j is 0, 2, 4, 6 or 8, so j times the first two parts is a float32
    jf = j.astype(np.float32)
    x += jf * _PI4_A
    x += jf * _PI4_B
    wide = np.multiply(jf, _PI4_C, dtype=np.float64)
    wide += x
    x[...] = wide
    z = x * x
    z64 = z.astype(np.float64)
    cos, sin = _poly_times_z(z, z64, _COS_P, wide), _poly_times_z(z, z64, _SIN_P, wide)
    np.multiply(cos, z64, out=wide)
    wide += z * _F32(-0.5)                                  # (-(z * 0.5): the same bits)
    cos[...] = wide
    cos += _F32(1)
    np.multiply(sin, x, out=wide, dtype=np.float64)
    wide += x
    sin[...] = wide
    # the octant: where j & 2, sin and cos trade places (a bitwise blend), then j & 4
    # and ~(j - 2) & 4 = (1 - j) & 4 flip their signs
    sin_bits, cos_bits = sin.view(np.int32), cos.view(np.int32)
    swap = (j.view(np.uint32) << 30).view(np.int32)         # bit 1 to the sign bit,
    swap >>= 31                                             # then all ones where j & 2
    swap &= sin_bits ^ cos_bits
    sin_bits ^= swap
    cos_bits ^= swap
    sign = j.view(np.uint32) & 4
    sign <<= 29
    sin_bits ^= sign.view(np.int32)
    np.subtract(1, j, out=j)
    sign = j.view(np.uint32)
    sign &= 4
    sign <<= 29
    cos_bits ^= sign.view(np.int32)
    return sin, cos


def _poly_times_z(z, z64, coefficients, wide):
    """(c0 z + c1) z + c2, each step an FMA, times z (a float32 product)."""
    y = np.empty_like(z)
    np.multiply(z64, coefficients[0], out=wide)
    wide += coefficients[1]
    _round32(wide, y)
    wide *= z64
    wide += coefficients[2]
    y[...] = wide
    y *= z
    return y


# --------------------------------------------------------------------- integers
def integers(gen, n, low, high):
    """n integers on [low, high) as int64: (word % range) + low, one random() a value,
    or one random64() when the range reaches 2^28."""
    span = high - low
    words = gen.random64(n) if span >= 1 << 28 else gen.random(n)
    if span >= 1 << 64:                 # [-2^63, 2^63): the full 64 bits
        return words.view(np.int64)
    return (words % _U64(span) + _U64(low % (1 << 64))).view(np.int64)


def full_range(gen, n, dt):
    """random_() without bounds: [0, max] for integers (bool: a coin), [0, 2^digits]
    for floats: a word (random64 for int64 and double) modulo max + 1."""
    if dt.name == "bool":
        return (gen.random(n) & _U64(1)).astype(np.bool_)
    if dt.name in ("int64", "float64"):
        top = (1 << 63) - 1 if dt.name == "int64" else 1 << 53
        return (gen.random64(n) % _U64(top + 1)).astype(np.int64)
    top = {"float32": 1 << 24, "float16": 1 << 11}.get(dt.name)
    if top is None:
        top = int(np.iinfo(dt.np).max)
    return (gen.random(n) % _U64(top + 1)).astype(np.int64)


def permutation(gen, n):
    """randperm(n): Fisher-Yates from the front, swapping i with i + random() % (n - i)
    (the swaps are replayed at once by ``_apply_forward_swaps``)."""
    if n >= 0xFFFF_FFFF // 20:          # torch switches to random64 and the inside-out shuffle
        perm = [0] * n
        picks = (gen.random64(n) % np.arange(1, n + 1, dtype=np.uint64)).tolist()
        for i, z in enumerate(picks):
            perm[i] = perm[z]
            perm[z] = i
        return np.array(perm, dtype=np.int64)
    if n < 2:
        return np.arange(n, dtype=np.int64)
    targets = (gen.random(n - 1) % np.arange(n, 1, -1, dtype=np.uint64)).astype(np.int64)
    targets += np.arange(n - 1)
    if n > 512:
        return _apply_forward_swaps(targets)
    # a few hundred swaps cost less in a plain loop than the ~25 NumPy calls above
    perm = list(range(n))
    for i, z in enumerate(targets.tolist()):
        perm[i], perm[z] = perm[z], perm[i]
    return np.array(perm, dtype=np.int64)


def _apply_forward_swaps(targets):
    """``perm = arange(n)`` after ``swap(perm[t], perm[targets[t]])`` for t = 0, 1, ...,
    n - 2 in turn, where ``targets[t] >= t``, without a loop over the swaps.

    Position t is final once step t has run (later steps touch only later positions):
    it then holds what position targets[t] held just before step t. A position is
    written only by the steps that target it (and by its own step), each putting
    there what sat at the step's own position when it began (call that A[k] for
    step k). So what position p holds before step t is A[k] for the last earlier step
    k that targeted p, or p itself if none did; A[t] is that for p = t, which chains
    back through earlier steps, followed here by pointer doubling.

    >>> _apply_forward_swaps(np.array([2, 1]))       # swap(0, 2), then swap(1, 1)
    array([2, 1, 0])
    """
    n = len(targets) + 1
    steps = np.arange(n - 1)
    # the steps grouped by target, in step order (a radix sort while indices are short)
    order = np.argsort(targets.astype(np.uint16) if n <= 1 << 16 else targets, kind="stable")
    grouped = targets[order]
    starts = np.ones(n - 1, bool)
    starts[1:] = grouped[1:] != grouped[:-1]
    # previous[t]: the last step before t with t's target (-1: none)
    previous = np.empty(n - 1, np.int64)
    previous[order] = np.where(starts, -1, np.roll(order, 1))
    # latest[p]: the last step targeting position p (-1: none)
    ends = np.append(starts[1:], True)
    latest = np.full(n, -1)
    latest[grouped[ends]] = order[ends]
    # writer[t]: the last step before t that wrote position t (a step's own target
    # may be its position, t itself: then the one before it)
    writer = latest.copy()
    own = latest[:-1] == steps
    writer[:-1][own] = previous[own]
    held = np.where(writer >= 0, writer, np.arange(n))     # A[t] = A[writer[t]], else t
    while True:
        jumped = held[held]
        if np.array_equal(jumped, held):
            break
        held = jumped
    perm = np.empty(n, np.int64)
    perm[:-1] = np.where(previous >= 0, held[np.maximum(previous, 0)], targets)
    perm[-1] = held[-1]
    return perm


# ----------------------------------------------------------- other distributions
def coin_flips(gen, n, p):
    """bernoulli_(p) for a number p: a double on [0, 1) below p.

    The double is k 2^-53 for the 53-bit integer k of a random64(), and k 2^-53 < p
    just when k < t = ceil(p 2^53) (a power of two scales p exactly). With k and t
    split into a high 21 bits (the first word's low bits) and a low 32 (the second
    word), that is a comparison of the high halves, the low ones deciding ties."""
    p = float(p)
    if not 0 <= p <= 1:                 # (NaN too: every comparison is False)
        gen.random(2 * n)
        return np.full(n, p > 1)
    top_high, top_low = divmod(math.ceil(math.ldexp(p, 53)), 1 << 32)

    def fill(part):
        words = gen.random(2 * part.size)
        high = words[0::2] & _U64((1 << 21) - 1)
        np.less(high, _U64(top_high), out=part)
        ties = np.flatnonzero(high == _U64(top_high))
        if ties.size:                   # (one in 2^21 when p is not a multiple of 2^-21)
            part[ties] = words[1::2][ties] < _U64(top_low)
    return _by_chunks(np.empty(n, np.bool_), fill)


def coin_flips_by(gen, probs, double):
    """bernoulli with a tensor of probabilities (flat, in order): a float on [0, 1)
    below p, or a double when the probabilities are float64."""
    if double:
        return unit_double(gen, probs.size) < probs
    return unit_float(gen, probs.size) < probs.astype(np.float32)


def exponential(gen, n, lambd):
    """-1 / lambd * log(1 - u), u a double on [0, 1)."""
    return (-1.0 / lambd) * log1p(-unit_double(gen, n))


def cauchy(gen, n, median, sigma):
    """median + sigma * tan(pi (u - 1/2))."""
    return fma64(sigma, tan(np.pi * (unit_double(gen, n) - 0.5)), median)


def log_normal(gen, n, mean, std):
    """exp of normal_distribution<double>(mean, std) draws."""
    return exp(fma64(standard_normals(gen, n), std, mean))


def geometric(gen, n, p):
    """ceil(log(u) / log(1 - p))."""
    with np.errstate(divide="ignore"):
        return np.ceil(log(unit_double(gen, n)) / math.log1p(-p))
