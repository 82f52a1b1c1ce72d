"""ember.compat: `import torch` resolves to ember while active, and only then."""
import importlib
import subprocess
import sys

import pytest
import torch as real_torch  # imported on purpose: as_torch() must set it aside and restore it

import ember
from ember import compat
from ember.compat.alias import TorchAlias, TorchAliasFinder


@pytest.fixture
def torch_is_ember():
    with pytest.warns(UserWarning, match="real torch was already imported"):
        compat.as_torch()
    try:
        yield
    finally:
        compat.restore()


def test_import_torch_gives_ember(torch_is_ember):
    import torch
    import torch.autograd as autograd
    from torch import no_grad, float32
    assert isinstance(torch, TorchAlias) and torch.__name__ == "torch"
    assert torch.Tensor is ember.Tensor and no_grad is ember.no_grad
    assert float32 is ember.float32
    assert autograd.grad is ember.autograd.grad
    x = torch.ones(2, 3)
    assert type(x) is ember.Tensor and x.shape == (2, 3)


def test_submodules_reachable_after_bare_import(torch_is_ember):
    import torch
    assert torch.autograd.backward is ember.autograd.backward
    assert isinstance(torch.autograd, TorchAlias)   # so its missing names are torch's too
    assert sys.modules["torch.autograd"] is torch.autograd


def test_missing_submodule_is_a_clear_import_error(torch_is_ember):
    with pytest.raises(ModuleNotFoundError, match=r"ember has no torch\.fx \(running on ember "
                       r"via ember\.compat\.as_torch\(\)\)") as info:
        import torch.fx  # noqa: F401
    assert info.value.name == "torch.fx"
    with pytest.raises(ImportError, match=r"ember has no torch\.fx"):
        importlib.import_module("torch.fx.graph")


def test_missing_attribute_is_a_clear_attribute_error(torch_is_ember):
    import torch
    with pytest.raises(AttributeError, match=r"module 'torch' has no attribute 'compile': "
                                             r"ember has no torch\.compile"):
        torch.compile
    with pytest.raises(AttributeError, match=r"ember has no torch\.autograd\.no_such_thing"):
        torch.autograd.no_such_thing
    assert not hasattr(torch, "no_such_thing")
    with pytest.raises(AttributeError):   # dunder probes get the plain error
        torch.__wrapped__


def test_cuda_stand_in_says_no_gpu(torch_is_ember):
    import torch
    assert torch.cuda.is_available() is False and torch.cuda.device_count() == 0
    torch.cuda.manual_seed_all(0)


def test_star_import_and_dir(torch_is_ember):
    namespace = {}
    exec("from torch import *", namespace)
    assert namespace["zeros"] is ember.zeros and namespace["Tensor"] is ember.Tensor
    import torch
    assert {"tensor", "autograd", "Tensor"} <= set(dir(torch))


def test_as_torch_is_idempotent(torch_is_ember):
    compat.as_torch()
    assert sum(isinstance(f, TorchAliasFinder) for f in sys.meta_path) == 1
    assert compat.is_active()


def test_only_torch_names_are_intercepted():
    finder = TorchAliasFinder("in a test")
    for name in ("torchvision", "torchaudio.io", "numpy", "torch_geometric"):
        assert finder.find_spec(name) is None
    assert finder.find_spec("torch.autograd").name == "torch.autograd"


def test_errors_inside_ember_are_not_hidden(monkeypatch):
    # a module missing *inside* ember is a bug to see, not "ember has no torch.x"
    def broken_find_spec(name, package=None):
        raise ModuleNotFoundError("No module named 'scipy'", name="scipy")
    monkeypatch.setattr(importlib.util, "find_spec", broken_find_spec)
    with pytest.raises(ModuleNotFoundError, match="scipy"):
        TorchAliasFinder("in a test").find_spec("torch.special")


def test_restore_brings_back_real_torch():
    with pytest.warns(UserWarning):
        compat.as_torch()
    import torch
    assert torch is not real_torch
    compat.restore()
    assert not compat.is_active()
    assert not any(isinstance(f, TorchAliasFinder) for f in sys.meta_path)
    assert sys.modules["torch"] is real_torch
    import torch
    assert torch is real_torch
    compat.restore()  # a second restore does nothing


def test_fresh_process_has_no_warning_and_no_real_torch():
    code = ("import sys, warnings; warnings.simplefilter('error')\n"
            "import ember.compat; ember.compat.as_torch()\n"
            "import torch, torch.autograd\n"
            "print(type(torch.ones(1)).__module__, 'torch._C' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ember", "False"]


def test_no_tensor_method_or_op_that_torch_lacks():
    """Code written against ember must run on torch: ember adds no functions or Tensor
    methods of its own (its submodules such as the backend seam aside), but
    get_printoptions."""
    import types
    assert [n for n in dir(ember.Tensor) if not n.startswith("_")
            and not hasattr(real_torch.Tensor, n)] == []
    assert [n for n in dir(ember) if not n.startswith("_") and not hasattr(real_torch, n)
            and not isinstance(getattr(ember, n), types.ModuleType)] == ["get_printoptions"]
