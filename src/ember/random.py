"""Random number generation: Generators, seeding, and the default generator.

Each :class:`Generator` owns a NumPy ``PCG64`` bit generator, so the same seed
gives the same stream on every platform NumPy supports, and two generators
never disturb each other. There is one default generator per process (worker
processes re-seed their own, as torch's do); ``ember.manual_seed`` seeds it.

    >>> g = ember.Generator().manual_seed(0)
    >>> a = ember.rand(3, generator=g)
"""
import contextlib

import numpy as np

from ._tensor import _make

__all__ = ["Generator", "default_generator", "manual_seed", "seed", "initial_seed",
           "get_rng_state", "set_rng_state", "fork_rng", "resolve"]


class Generator:
    """A source of random numbers: ``ember.Generator().manual_seed(42)``."""

    def __init__(self, device="cpu"):
        from ._device import to_device
        self.device = to_device(device)
        self._initial_seed = 67280421310721   # torch's default seed value
        self._rng = np.random.Generator(np.random.PCG64(self._initial_seed))

    def manual_seed(self, seed):
        """Reset the stream to the one this seed gives; returns self.

        Seeds are 64-bit: negative ones wrap around (-1 is 2**64 - 1), as in torch.
        """
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            if getattr(seed, "ndim", None) == 0 and not seed.is_floating_point():
                seed = seed.item()
            else:
                raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
        seed = int(seed)
        if not -0x8000_0000_0000_0000 <= seed <= 0xffff_ffff_ffff_ffff:
            raise ValueError("Overflow when unpacking long long")
        self._initial_seed = seed % (1 << 64)
        self._rng = np.random.Generator(np.random.PCG64(self._initial_seed))
        return self

    def seed(self):
        """Seed from a non-deterministic source and return the seed."""
        s = int(np.random.SeedSequence().entropy % (1 << 63))
        self.manual_seed(s)
        return s

    def initial_seed(self):
        return self._initial_seed

    def get_state(self):
        """The full state as a uint8 tensor (round-trips through set_state)."""
        import json
        state = json.dumps({"seed": self._initial_seed,
                            "bit_generator": _jsonable(self._rng.bit_generator.state)})
        return _make(np.frombuffer(state.encode(), dtype=np.uint8).copy())

    def set_state(self, new_state):
        """Restore a state that get_state returned; returns self."""
        import json
        if getattr(new_state, "dtype", None) is None or new_state.dtype.name != "uint8":
            raise TypeError("RNG state must be a torch.ByteTensor")
        try:
            state = json.loads(bytes(new_state._data.reshape(-1)).decode())
            bit_state = state["bit_generator"]
            probe = np.random.PCG64()
            probe.state = bit_state        # validates before this generator is touched
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise RuntimeError("Expected either a PhiloxState, a CPUGeneratorImplState or an "
                               "ember Generator state; this ByteTensor is not an RNG state "
                               "that get_state() returned") from None
        self._initial_seed = state["seed"]
        self._rng.bit_generator.state = bit_state
        return self

    def __getstate__(self):
        return {"device": self.device, "seed": self._initial_seed,
                "bit_generator": self._rng.bit_generator.state}

    def __setstate__(self, state):
        self.device = state["device"]
        self._initial_seed = state["seed"]
        self._rng = np.random.Generator(np.random.PCG64())
        self._rng.bit_generator.state = state["bit_generator"]

    @property
    def numpy(self):
        """The NumPy Generator drawing this generator's numbers."""
        return self._rng


def _jsonable(state):
    if isinstance(state, dict):
        return {k: _jsonable(v) for k, v in state.items()}
    if isinstance(state, np.integer):
        return int(state)
    return state


default_generator = Generator()


def resolve(generator):
    """The NumPy generator to draw from: the given Generator's or the default one."""
    if generator is None:
        return default_generator._rng
    if not isinstance(generator, Generator):
        raise TypeError(f"expected a torch.Generator, but got {type(generator).__name__}")
    return generator._rng


def manual_seed(seed):
    """Seed the default generator (ember.manual_seed(0) makes runs repeatable)."""
    return default_generator.manual_seed(seed)


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
