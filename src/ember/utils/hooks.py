"""``torch.utils.hooks``: the handle that hook registrations return."""
from .._hooks import RemovableHandle

__all__ = ["RemovableHandle"]
