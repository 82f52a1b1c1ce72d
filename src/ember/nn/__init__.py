"""ember.nn: layers, losses and the Module machinery (torch.nn's API).

    >>> from ember import nn
    >>> net = nn.Sequential(nn.Linear(2, 1))
    >>> net(ember.ones(3, 2)).shape
    torch.Size([3, 1])
"""
from .parameter import Parameter, UninitializedParameter, Buffer, is_lazy
from .modules import *  # noqa: F401,F403
from .modules import __all__ as _modules_all
from . import functional, init, utils
from . import modules, parameter  # noqa: F401

__all__ = ["Parameter", "UninitializedParameter", "Buffer", "functional", "init", "utils"] \
    + list(_modules_all)
