"""torch's CPU sampling kernels, word for word: how each op turns the 32-bit words of
a Generator's MT19937 stream into numbers, and how many words it takes.

Every function takes an ember :class:`~ember.random.Generator` and a count ``n`` and
returns a flat NumPy array of the n samples in the order torch writes them
(memory order of a contiguous tensor). The arithmetic follows torch's kernels as
compiled for x86-64 with AVX2 (and AVX-512, which takes the same paths): ``a * b + c``
is one fused multiply-add there, emulated exactly here, and the float32 normal
fill uses the AVX2 polynomial log/sin/cos written out below.

    >>> g = ember.Generator().manual_seed(0)
    >>> uniform(g, 3, np.float32, 0.0, 1.0)
    array([0.4962566 , 0.7682218 , 0.08847743], dtype=float32)
"""
import math

import numpy as np

_F32 = np.float32
_U64 = np.uint64
_MASK24 = _U64((1 << 24) - 1)
_MASK53 = _U64((1 << 53) - 1)


# ------------------------------------------------------------- fused multiply-add
def _two_sum(a, b):
    """s, t with s = fl(a + b) and s + t == a + b exactly (Knuth)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


_HALF_MASK, _HALFWAY = _U64(0x1FFF_FFFF), _U64(0x1000_0000)


def fma32(a, b, c):
    """float32 a * b + c rounded once, as the FMA torch's compiler emits."""
    p = np.multiply(a, b, dtype=np.float64)      # exact: 24 + 24 bits
    s = p + c
    # s is rounded to float64; rounding it again to float32 goes wrong only when s
    # lands exactly halfway between two floats while the exact sum is not there
    at_half = (s.view(np.uint64) & _HALF_MASK) == _HALFWAY
    if np.count_nonzero(at_half):      # (rare: fixed one by one)
        halfway = np.flatnonzero(at_half)
        p_h = p.reshape(-1)[halfway] if p.ndim else p
        c_h = np.broadcast_to(np.asarray(c, np.float64), s.shape).reshape(-1)[halfway]
        s_h = s.reshape(-1)[halfway] if s.ndim else s
        t = _two_sum(p_h, c_h)[1]
        s_h = np.where(t != 0, np.nextafter(s_h, np.where(t > 0, np.inf, -np.inf)), s_h)
        if s.ndim:
            s = s.copy()
            s.reshape(-1)[halfway] = s_h
        else:
            s = s_h.reshape(())
    return s.astype(np.float32)


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
    """n float32 on [0, 1): 24 bits of one word each (uniform_real_distribution<float>)."""
    return (gen.random(n) & _MASK24).astype(np.float32) * _F32(2.0 ** -24)


def unit_double(gen, n):
    """n float64 on [0, 1): 53 bits of one random64() each."""
    return (gen.random64(n) & _MASK53).astype(np.float64) * 2.0 ** -53


def uniform(gen, n, np_dtype, low, high):
    """uniform_(low, high): x * (high - low) + low, x on [0, 1) with the dtype's digits."""
    if np_dtype == np.float64:
        x = unit_double(gen, n)
        return x if low == 0 and high == 1 else fma64(x, high - low, low)
    x = unit_float(gen, n)
    if low == 0 and high == 1:          # x * 1 + 0: x itself
        return x.astype(np_dtype, copy=False)
    lo, hi = _F32(low), _F32(high)     # (float16 is drawn as float32, then rounded)
    return fma32(x, hi - lo, lo).astype(np_dtype, copy=False)


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


_CHUNK = 2048        # blocks of 16 transformed at a time


def _normal_fill(gen, n, draw, transform):
    """torch's normal_fill: n uniforms, Box-Muller on each whole block of 16 (first 8
    the radii, last 8 the angles); if 16 does not divide n, 16 fresh uniforms
    overwrite the last 16 values and are transformed in turn."""
    data = draw(gen, n)
    whole = n // 16 * 16
    if n % 16:
        # the last 16 uniforms join the whole blocks: one transform for all (the
        # transform works block by block, and a small tensor pays per NumPy call)
        data = np.concatenate([data[:whole], draw(gen, 16)])
    blocks = data.reshape(-1, 16)
    done = np.empty_like(blocks)
    for start in range(0, len(blocks), _CHUNK):     # (chunks keep temporaries in cache)
        done[start:start + _CHUNK] = transform(blocks[start:start + _CHUNK])
    if n % 16:
        out = np.empty(n, data.dtype)
        out[:whole] = done[:-1].reshape(-1)
        out[n - 16:] = done[-1]
        return out
    return done.reshape(-1)


def _normal_fill_float(gen, n, mean, std):
    def transform(blocks):
        radius = np.sqrt(_F32(-2.0) * _log_ps(_F32(1.0) - blocks[:, :8]))
        sin, cos = _sincos_ps(_F32(2.0 * np.pi) * blocks[:, 8:])
        z = np.concatenate([radius * cos, radius * sin], axis=1)
        return z if std == 1 and mean == 0 else fma32(z, std, mean)
    return _normal_fill(gen, n, unit_float, transform)


def _normal_fill_double(gen, n, mean, std):
    def transform(blocks):
        radius = np.sqrt(-2.0 * log(1.0 - blocks[:, :8]))
        theta = 2.0 * np.pi * blocks[:, 8:]
        return _scale(np.concatenate([radius * np.cos(theta), radius * np.sin(theta)], axis=1),
                      std, mean)
    return _normal_fill(gen, n, unit_double, transform)


# torch's AVX2 float32 log and sincos (the cephes polynomials of avx_mathfun), with
# the fused multiply-adds its compiler forms: each ``a * b`` whose only use is a sum
# is fused into that sum
_LOG_P = [7.0376836292E-2, -1.1514610310E-1, 1.1676998740E-1, -1.2420140846E-1,
          1.4249322787E-1, -1.6668057665E-1, 2.0000714765E-1, -2.4999993993E-1,
          3.3333331174E-1]


def _log_ps(x):
    x = np.maximum(x, _F32(1.17549435e-38))
    bits = x.view(np.int32)
    e = ((bits >> 23) - 0x7F).astype(np.float32) + _F32(1)
    x = ((bits & ~0x7F800000) | 0x3F000000).view(np.float32)       # mantissa in [0.5, 1)
    small = x < _F32(0.707106781186547524)
    e = e - small.astype(np.float32)
    x = (x - _F32(1)) + np.where(small, x, _F32(0))
    z = x * x
    y = np.full_like(x, _F32(_LOG_P[0]))
    for p in _LOG_P[1:]:
        y = fma32(y, x, _F32(p))
    y = fma32(y * x, z, e * _F32(-2.12194440e-4))
    y = fma32(-z, _F32(0.5), y)
    return fma32(e, _F32(0.693359375), x + y)


def _sincos_ps(x):
    sign_sin = np.signbit(x)
    x = np.abs(x)
    j = (x * _F32(1.27323954473516)).astype(np.int32)             # x / (pi / 4)
    j = (j + 1) & ~1
    y = j.astype(np.float32)
    x = fma32(y, _F32(-0.78515625), x)                             # x - j pi / 4 in 3 parts
    x = fma32(y, _F32(-2.4187564849853515625e-4), x)
    x = fma32(y, _F32(-3.77489497744594108e-8), x)
    sign_sin = sign_sin ^ ((j & 4) != 0)
    sign_cos = (~(j - 2) & 4) != 0
    z = x * x
    cos_poly = fma32(fma32(np.full_like(z, _F32(2.443315711809948E-005)), z,
                           _F32(-1.388731625493765E-003)), z, _F32(4.166664568298827E-002))
    cos_poly = fma32(cos_poly * z, z, -(z * _F32(0.5))) + _F32(1)
    sin_poly = fma32(fma32(np.full_like(z, _F32(-1.9515295891E-4)), z, _F32(8.3321608736E-3)),
                     z, _F32(-1.6666654611E-1))
    sin_poly = fma32(sin_poly * z, x, x)
    first = (j & 2) == 0
    sin = np.where(first, sin_poly, cos_poly)
    cos = np.where(first, cos_poly, sin_poly)
    return np.where(sign_sin, -sin, sin), np.where(sign_cos, -cos, cos)


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
    """bernoulli_(p) for a number p: a double on [0, 1) below p."""
    return unit_double(gen, n) < p


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
