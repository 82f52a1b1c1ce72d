"""Shared test setup: every test starts with the default dtype and print options."""
import pytest

import ember


@pytest.fixture(autouse=True)
def _reset_global_state():
    dtype = ember.get_default_dtype()
    yield
    ember.set_default_dtype(dtype)
    ember.set_printoptions(profile="default")
