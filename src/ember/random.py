"""Random number generation: Generators, seeding, and the default generator.

Each :class:`Generator` draws from a Mersenne Twister (MT19937) seeded exactly as
torch's CPU generator is, so ``ember.manual_seed(s)`` followed by the same ops
gives the same numbers as torch: ``random()`` is one 32-bit output of the twister,
``random64()`` two of them (the first one the high half). The sampling kernels in
:mod:`ember.ops._sampling` turn these words into numbers as torch's CPU kernels do.
The state (``get_state``) is torch's own 5056-byte layout, so a state saved by one
loads in the other. There is one default generator per process (worker processes
re-seed their own, as torch's do); ``ember.manual_seed`` seeds it.

    >>> g = ember.Generator().manual_seed(0)
    >>> ember.rand(3, generator=g)
    tensor([0.4963, 0.7682, 0.0885])
"""
import contextlib
import struct

import numpy as np

from ._tensor import _make
from ._arg_errors import MISSING as _MISSING   # (an argument left out)

__all__ = ["Generator", "default_generator", "manual_seed", "seed", "initial_seed",
           "get_rng_state", "set_rng_state", "fork_rng", "resolve"]

_DEFAULT_SEED = 67280421310721          # torch's default seed value
_STATE_N = 624                           # words of MT19937 state
_STATE_BYTES = 5056                      # sizeof(CPUGeneratorImplState) in torch
# CPUGeneratorImplState: the legacy part (initial seed u64, left i32, seeded i32,
# next u64, state u64[624], normal_x/y/rho f64, normal_is_valid i32 + padding), then
# the cached float normal (f32) and its flag (bool), padded to 5056 bytes
_HEAD = struct.Struct("<QiiQ")
_TAIL = struct.Struct("<dddi4xf?3x")


def _seeded_twister(seed):
    """An MT19937 seeded as torch's mt19937(seed): init_genrand with the low 32 bits."""
    bits = np.random.MT19937()
    bits._legacy_seeding(seed & 0xFFFF_FFFF)     # the reference init_genrand
    return bits


class Generator:
    """A source of random numbers: ``ember.Generator().manual_seed(42)``."""

    def __init__(self, device="cpu"):
        from ._device import device as Device, to_device
        if not isinstance(device, (str, int, Device)):
            from ._arg_errors import wrong_type
            raise wrong_type("Generator", "device", 1, "torch.device", device)
        self.device = to_device(device)
        self._reset(_DEFAULT_SEED)

    def _reset(self, seed, twister=None):
        self._initial_seed = seed
        if twister is None and getattr(self, "_mt", None) is not None:
            # re-seeded in place: making a twister costs ~75 us (NumPy seeds it from
            # the OS first), and the DataLoader seeds a generator every epoch
            self._mt._legacy_seeding(seed & 0xFFFF_FFFF)
        else:
            self._mt = twister if twister is not None else _seeded_twister(seed)
            # NumPy's samplers over the same twister, for the few distributions whose
            # torch kernels ember does not reproduce (poisson, binomial, gamma)
            self._rng = np.random.Generator(self._mt)
        # torch's Box-Muller makes two normals at a time; the scalar path keeps the
        # second one for the next draw (cleared by manual_seed, saved in the state)
        self.next_double_normal = None
        self.next_float_normal = None

    # ------------------------------------------------ raw words of the stream
    def random(self, n):
        """n 32-bit outputs (as uint64), torch's generator->random() n times."""
        return self._mt.random_raw(n)

    def random64(self, n):
        """n 64-bit outputs, torch's random64(): two words, the first the high half."""
        words = self._mt.random_raw(2 * n)
        return (words[0::2] << np.uint64(32)) | words[1::2]

    # ---------------------------------------------------------------- seeding
    def manual_seed(self, seed=_MISSING, *more):
        """Reset the stream to the one this seed gives; returns self.

        Seeds are 64-bit: negative ones wrap around (-1 is 2**64 - 1), as in torch.
        """
        if seed is _MISSING or more:        # (torch's is a C method: its words)
            given = 0 if seed is _MISSING else 1 + len(more)
            raise TypeError(f"Generator.manual_seed() takes exactly one argument ({given} given)")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            if getattr(seed, "ndim", None) == 0 and not seed.is_floating_point():
                seed = seed.item()
            else:
                raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
        seed = int(seed)
        if not -0x8000_0000_0000_0000 <= seed <= 0xffff_ffff_ffff_ffff:
            raise ValueError("Overflow when unpacking long long")
        self._reset(seed % (1 << 64))
        return self

    def seed(self):
        """Seed from a non-deterministic source and return the seed."""
        s = int(np.random.SeedSequence().entropy % (1 << 63))
        self.manual_seed(s)
        return s

    def initial_seed(self):
        return self._initial_seed

    # ------------------------------------------------------------------ state
    def _state_bytes(self):
        twister = self._mt.state["state"]
        pos = int(twister["pos"])
        # torch counts the words left before the next twist (1: twist on the next draw)
        head = _HEAD.pack(self._initial_seed, _STATE_N + 1 - pos, 1, pos % _STATE_N)
        words = twister["key"].astype("<u8").tobytes()
        normal, float_normal = self.next_double_normal, self.next_float_normal
        tail = _TAIL.pack(0.0, 0.0 if normal is None else normal, 0.0, normal is not None,
                          0.0 if float_normal is None else float_normal,
                          float_normal is not None)
        return head + words + tail

    def get_state(self):
        """The full state as torch's uint8 tensor of 5056 bytes (round-trips through
        set_state, and loads into torch's generator too)."""
        return _make(np.frombuffer(self._state_bytes(), dtype=np.uint8).copy())

    def set_state(self, new_state):
        """Restore a state that get_state returned (ember's or torch's); returns self."""
        if getattr(new_state, "dtype", None) is None or new_state.dtype.name != "uint8":
            if not hasattr(new_state, "_data"):     # (torch words a non-tensor so)
                from ._arg_errors import type_name
                raise TypeError(f"expected a torch.ByteTensor, but got {type_name(new_state)}")
            raise TypeError("RNG state must be a torch.ByteTensor")
        raw = bytes(np.ascontiguousarray(new_state._data).reshape(-1))
        self._load(raw)
        return self

    def _load(self, raw):
        if len(raw) != _STATE_BYTES:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {_STATE_BYTES} but "
                               f"found the input RNG state size to be {len(raw)}")
        seed, left, seeded, next_ = _HEAD.unpack_from(raw, 0)
        words = np.frombuffer(raw, dtype="<u8", count=_STATE_N, offset=_HEAD.size)
        _, normal_y, _, normal_valid, float_normal, float_valid = _TAIL.unpack_from(
            raw, _HEAD.size + 8 * _STATE_N)
        if not (seeded and 0 < left <= _STATE_N and next_ <= _STATE_N):
            raise RuntimeError("Invalid mt19937 state")
        twister = np.random.MT19937()
        twister.state = {"bit_generator": "MT19937",
                         "state": {"key": (words & 0xFFFF_FFFF).astype(np.uint32),
                                   "pos": _STATE_N + 1 - left}}
        self._reset(seed, twister)
        self.next_double_normal = normal_y if normal_valid else None
        self.next_float_normal = float_normal if float_valid else None

    def __getstate__(self):
        return {"device": self.device, "state": self._state_bytes()}

    def __setstate__(self, state):
        self.device = state["device"]
        self._load(state["state"])

    @property
    def numpy(self):
        """A NumPy Generator drawing from this generator's stream."""
        return self._rng


default_generator = Generator()


def pick(generator):
    """The ember Generator to draw from: the given one or the default one."""
    if generator is None:
        return default_generator
    if not isinstance(generator, Generator):
        raise TypeError(f"expected a torch.Generator, but got {type(generator).__name__}")
    return generator


def resolve(generator):
    """A NumPy Generator over the stream of ``generator`` (or the default one), for
    samplers whose torch kernels ember does not reproduce."""
    return pick(generator)._rng


def manual_seed(seed):
    """Seed the default generator (ember.manual_seed(0) makes runs repeatable)."""
    # torch's reads the seed with int() first (Generator.manual_seed does not): 1.5 seeds
    # as 1, '12' as 12, and 'a' or None fail with int()'s own ValueError or TypeError
    return default_generator.manual_seed(int(seed))


def seed():
    """Seed the default generator from a non-deterministic source; returns the seed."""
    return default_generator.seed()


def initial_seed():
    """The seed the default generator was last seeded with."""
    return default_generator.initial_seed()


def get_rng_state():
    """The default generator's state as a uint8 tensor."""
    return default_generator.get_state()


def set_rng_state(new_state):
    """Restore the default generator's state from get_rng_state()."""
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, _caller="fork_rng", _devices_kw="devices",
             device_type=None):
    """Run a block with the default generator's state saved and restored afterwards.

    >>> with ember.random.fork_rng():
    ...     noise = ember.rand(3)         # the stream outside is left as it was
    """
    if not enabled:
        yield
        return
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)


# Python words a binding error by the function's qualified name: torch's says Generator()
Generator.__init__.__qualname__ = "Generator"
