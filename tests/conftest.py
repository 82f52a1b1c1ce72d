"""Shared test setup.

* Every test starts with the default dtype, print options and runtime switches.
* Hypothesis runs derandomized (the same generated cases on every run, so CI is
  repeatable) and without per-example deadlines (CI machines are slow and shared).
  ``HYPOTHESIS_PROFILE=explore`` draws fresh random cases instead, for bug hunting.
"""
import os

import pytest
from hypothesis import settings

import ember

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _reset_global_state():
    dtype = ember.get_default_dtype()
    runtime = ember._runtime._state.snapshot()   # thread counts, deterministic flags, ...
    yield
    ember.set_default_dtype(dtype)
    ember._runtime._state.restore(runtime)
    ember.set_printoptions(profile="default")
