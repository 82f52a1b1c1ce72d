"""LazyModuleMixin: modules whose parameter shapes come from their first input.

A lazy module (``nn.LazyLinear(out_features)``) holds
:class:`~ember.nn.UninitializedParameter` placeholders until it is first
called. A forward pre-hook then calls ``initialize_parameters(input)``, which
materializes the placeholders in place (same objects, so an optimizer built
earlier keeps working) and initialises them; finally the module's class becomes
``cls_to_become`` (``nn.Linear``), so ``type(m) == nn.Linear`` holds afterwards.

The trap, kept as in torch but announced: anything written into a placeholder
before that first call (``net.weight.data.normal_(0, 0.01)``) lands in an empty
tensor and is discarded. Since every in-place write bumps the tensor's version
counter (which ``.data`` shares), the first call can tell that it happened and
warn.
"""
import warnings

from ...autograd.grad_mode import no_grad
from ..parameter import is_lazy

__all__ = ["LazyModuleMixin"]


class LazyModuleMixin:
    """Mix into a Module with UninitializedParameters; define ``initialize_parameters``."""

    cls_to_become = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._load_hook = self._register_load_state_dict_pre_hook(self._lazy_load_hook)
        self._initialize_hook = self.register_forward_pre_hook(self._infer_parameters,
                                                               with_kwargs=True)

    def _lazy_load_hook(self, state_dict, prefix, local_metadata, strict, missing_keys,
                        unexpected_keys, error_msgs):
        # Loading a checkpoint gives the placeholders their shapes.
        for name, param in list(self._parameters.items()) + list(self._buffers.items()):
            key = prefix + name
            if key in state_dict and param is not None and is_lazy(param):
                value = state_dict[key]
                if not is_lazy(value):
                    with no_grad():
                        param.materialize(value.shape)

    def initialize_parameters(self, *args, **kwargs):
        raise NotImplementedError(
            f"initialize_parameters is not implemented for {self.__class__.__name__}")

    def has_uninitialized_params(self):
        """True while a parameter or buffer is still a placeholder."""
        return any(is_lazy(t) for t in list(self._parameters.values())
                   + list(self._buffers.values()))

    def _infer_parameters(self, module, args, kwargs=None):
        written = [name for name, p in self._parameters.items()
                   if p is not None and is_lazy(p) and p._version > 0]
        module.initialize_parameters(*args, **(kwargs or {}))
        if module.has_uninitialized_params():
            raise RuntimeError(f"module {self._get_name()} has not been fully initialized")
        if written:
            _warn_discarded_init(self._get_name(), written)
        module._initialize_hook.remove()
        module._load_hook.remove()
        delattr(module, "_initialize_hook")
        delattr(module, "_load_hook")
        if module.cls_to_become is not None:
            module.__class__ = module.cls_to_become


def _warn_discarded_init(module_name, names):
    listed = ", ".join(f"'{n}'" for n in names)
    warnings.warn(
        f"{module_name}: the values written into {listed} before the first forward pass were "
        "discarded. Until that first call the parameters are empty placeholders "
        "(UninitializedParameter), so an in-place initialisation such as "
        "`net.weight.data.normal_(0, 0.01)` changed nothing; the first call gave them their "
        "shape and the default initialisation instead (PyTorch does the same, silently). "
        "Initialise after a first forward pass: run a dummy batch through the model "
        "(e.g. `net(X)`, or d2l's `model.apply_init([X], init_fn)`), then set the values.",
        UserWarning, stacklevel=5)
