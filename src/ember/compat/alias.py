"""The import hook that makes ``torch`` and ``torch.<anything>`` name ember's modules.

A :class:`TorchAliasFinder` on ``sys.meta_path`` answers every import of
``torch`` or ``torch.X.Y`` with a :class:`TorchAlias` module standing in for
``ember.X.Y``: attribute lookups go to the ember module, so ``torch.Tensor``
*is* ``ember.Tensor`` and a subclass of ``torch.nn.Module`` is an ember
module. What ember lacks fails loudly and by torch's name:

    import torch.fx          # ModuleNotFoundError: ... ember has no torch.fx ...
    torch.compile            # AttributeError: ... ember has no torch.compile ...

The alias modules are separate objects from ember's, so the import system's
bookkeeping (``torch.nn`` set as an attribute of ``torch``) never writes into
ember's own modules.
"""
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import types

__all__ = ["TorchAliasFinder", "TorchAlias", "ALIAS_ROOT", "TARGET_ROOT", "ember_name_for",
           "torch_name_for"]

ALIAS_ROOT = "torch"
TARGET_ROOT = "ember"

# torch modules that ember does not have but that nearly every script touches;
# each maps to a small stand-in module inside ember.compat
STAND_INS = {"torch.cuda": "ember.compat.cuda"}


def is_alias_name(fullname):
    """True for 'torch' and 'torch.<sub>', not for 'torchvision'."""
    return fullname == ALIAS_ROOT or fullname.startswith(ALIAS_ROOT + ".")


def ember_name_for(torch_name):
    """'torch.nn.functional' -> 'ember.nn.functional'."""
    return TARGET_ROOT + torch_name[len(ALIAS_ROOT):]


def torch_name_for(ember_name):
    """'ember.nn.functional' -> 'torch.nn.functional'."""
    return ALIAS_ROOT + ember_name[len(TARGET_ROOT):]


def _is_ember_module(value):
    name = getattr(value, "__name__", "")
    return isinstance(value, types.ModuleType) and (name == TARGET_ROOT
                                                   or name.startswith(TARGET_ROOT + "."))


class TorchAlias(types.ModuleType):
    """The module ``torch.X`` while ember runs torch code: forwards to ``ember.X``."""

    def __init__(self, name, target, context):
        super().__init__(name, target.__doc__)
        # stored in the instance dict, so __getattr__ is never asked for them
        self.__dict__["__ember_module__"] = target
        self.__dict__["__ember_context__"] = context
        if getattr(target, "__file__", None):
            self.__dict__["__file__"] = target.__file__

    def __getattr__(self, name):
        target = self.__dict__["__ember_module__"]
        try:
            value = getattr(target, name)
        except AttributeError:
            if name == "__all__":  # lets `from torch import *` see ember's public names
                return [n for n in dir(target) if not n.startswith("_")]
            if name.startswith("__") and name.endswith("__"):
                raise  # protocol probes (copy, pickle, inspect) expect the plain error
            return self._submodule_or_error(name)
        if _is_ember_module(value):
            # hand out the alias, so `torch.nn.missing` is reported as torch.nn's
            try:
                return importlib.import_module(torch_name_for(value.__name__))
            except ImportError:
                return value
        return value

    def _submodule_or_error(self, name):
        """``torch.utils`` works after a bare ``import torch``, as torch imports its
        submodules eagerly; anything else ember lacks is a clear AttributeError."""
        submodule = f"{self.__name__}.{name}"
        try:
            return importlib.import_module(submodule)
        except ModuleNotFoundError as error:
            if error.name != submodule:
                raise
        raise AttributeError(
            f"module {self.__name__!r} has no attribute {name!r}: ember has no "
            f"{submodule} (running on ember {self.__dict__['__ember_context__']})") from None

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(dir(self.__dict__["__ember_module__"])))

    def __repr__(self):
        return (f"<module {self.__name__!r} (ember's "
                f"{self.__dict__['__ember_module__'].__name__!r})>")


class _AliasLoader(importlib.abc.Loader):
    """Builds a TorchAlias around the (imported) ember module; nothing to execute."""

    def __init__(self, target_name, context):
        self.target_name = target_name
        self.context = context

    def create_module(self, spec):
        target = importlib.import_module(self.target_name)
        return TorchAlias(spec.name, target, self.context)

    def exec_module(self, module):
        pass  # the ember module ran when it was imported in create_module


class TorchAliasFinder(importlib.abc.MetaPathFinder):
    """Meta-path finder answering ``torch`` / ``torch.*`` imports with ember modules.

    ``context`` completes the error messages, e.g. "via `ember run`".
    """

    def __init__(self, context):
        self.context = context

    def find_spec(self, fullname, path=None, target=None):
        if not is_alias_name(fullname):
            return None
        target_name = ember_name_for(fullname)
        target_spec = self._ember_spec(target_name)
        if target_spec is None and fullname in STAND_INS:
            target_name = STAND_INS[fullname]
            target_spec = importlib.util.find_spec(target_name)
        if target_spec is None:
            raise ModuleNotFoundError(
                f"No module named {fullname!r}: ember has no {fullname} (running on ember "
                f"{self.context})", name=fullname)
        return importlib.machinery.ModuleSpec(
            fullname, _AliasLoader(target_name, self.context), origin=target_spec.origin,
            is_package=target_spec.submodule_search_locations is not None)

    @staticmethod
    def _ember_spec(ember_name):
        """The spec of ``ember_name``, or None when ember has no such module."""
        try:
            return importlib.util.find_spec(ember_name)
        except ModuleNotFoundError as error:
            # a missing parent ('ember.fx' for 'ember.fx.graph') means "ember lacks it";
            # any other missing module is a real error inside ember and must surface
            if error.name and (ember_name == error.name
                               or ember_name.startswith(error.name + ".")):
                return None
            raise
