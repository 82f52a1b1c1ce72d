"""The handle every ``register_*hook`` method returns (``torch.utils.hooks``).

Hooks live in dicts keyed by their handle's id (so registration order is call
order, and a hook registered twice runs twice); ``handle.remove()`` takes the
hook out of every dict it was put in, and a handle also works as a context
manager::

    >>> x = ember.ones(2, requires_grad=True)
    >>> with x.register_hook(lambda g: g * 2):
    ...     (x * 1).sum().backward()
    >>> x.grad
    tensor([2., 2.])
"""
import itertools

_ids = itertools.count()


class RemovableHandle:
    """Unregisters a hook: ``handle.remove()`` (or leaving a ``with`` block)."""

    def __init__(self, hooks_dict, *, extra_dict=None):
        self.hooks_dicts = [hooks_dict] + list(extra_dict or [])
        self.id = next(_ids)

    def remove(self):
        for d in self.hooks_dicts:
            if isinstance(d, dict):
                d.pop(self.id, None)
            else:
                d.discard(self.id)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
