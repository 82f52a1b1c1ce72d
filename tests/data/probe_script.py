"""Run by tests/test_cli.py through `ember run`: reports what the script sees."""
import os
import sys

import torch
import torch.nn.functional  # noqa: F401  (a submodule import, resolved to ember's)

print("name", __name__)
print("argv", sys.argv[1:])
print("path0", os.path.basename(sys.path[0]))
print("torch", type(torch.ones(1)).__module__)
if "--missing" in sys.argv:
    import torch.fx  # noqa: F401
if "--exit" in sys.argv:
    sys.exit(3)
