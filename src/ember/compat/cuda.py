"""A stand-in for ``torch.cuda`` while ember runs torch code: there is no GPU.

Scripts almost always ask ``torch.cuda.is_available()`` before choosing a
device; on ember the answer is ``False``, so they pick the CPU and run.

    >>> import torch                  # under `ember run`
    >>> torch.cuda.is_available()
    False
"""

__all__ = ["is_available", "device_count", "manual_seed", "manual_seed_all", "synchronize",
           "is_initialized"]


def is_available():
    """False: ember computes with NumPy on the CPU."""
    return False


def device_count():
    """0 GPUs."""
    return 0


def is_initialized():
    return False


def manual_seed(seed):
    """Seeding the (absent) GPU generators does nothing, as in torch without a GPU."""


def manual_seed_all(seed):
    """Seeding the (absent) GPU generators does nothing, as in torch without a GPU."""


def synchronize(device=None):
    """Nothing to wait for on the CPU."""
