"""ember.utils: helpers around the core (``torch.utils``); ``data`` holds the
datasets and the DataLoader."""
from . import data

__all__ = ["data"]
