"""ember.utils: helpers around the core (``torch.utils``); ``data`` holds the
datasets and the DataLoader, ``hooks`` the handle hook registrations return."""
from . import data, hooks

__all__ = ["data", "hooks"]
