"""Random number generation: Generators, seeding, and the default generator.

Each :class:`Generator` owns a NumPy ``PCG64`` bit generator, so the same seed
gives the same stream on every platform NumPy supports, and two generators
never disturb each other. There is one default generator per process (worker
processes re-seed their own, as torch's do); ``ember.manual_seed`` seeds it.

    >>> g = ember.Generator().manual_seed(0)
    >>> a = ember.rand(3, generator=g)
"""
import contextlib
import time

import numpy as np

from ._tensor import _make

__all__ = ["Generator", "default_generator", "manual_seed", "seed", "initial_seed",
           "get_rng_state", "set_rng_state", "fork_rng", "resolve"]


class Generator:
    """A source of random numbers: ``ember.Generator().manual_seed(42)``."""

    def __init__(self, device="cpu"):
        self.device = device
        self._initial_seed = 67280421310721   # torch's default seed value
        self._rng = np.random.Generator(np.random.PCG64(self._initial_seed))

    def manual_seed(self, seed):
        """Reset the stream to the one this seed gives; returns self."""
        seed = int(seed)
        if not -0x8000_0000_0000_0000 <= seed <= 0xffff_ffff_ffff_ffff:
            raise RuntimeError(f"Overflow when unpacking long long")
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
        import json
        if getattr(new_state, "dtype", None) is None or new_state.dtype.name != "uint8":
            raise TypeError("expected a torch.ByteTensor, but got "
                            f"{type(new_state).__name__}")
        state = json.loads(bytes(new_state._data).decode())
        self._initial_seed = state["seed"]
        self._rng.bit_generator.state = state["bit_generator"]
        return self

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
    return (generator if generator is not None else default_generator)._rng


def manual_seed(seed):
    """Seed the default generator (ember.manual_seed(0) makes runs repeatable)."""
    return default_generator.manual_seed(seed)


def seed():
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(new_state):
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, **kwargs):
    """Run a block with the default generator's state saved and restored afterwards."""
    if not enabled:
        yield
        return
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)
