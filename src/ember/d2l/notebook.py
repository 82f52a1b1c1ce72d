"""Are we running inside a Jupyter notebook? Decides live plots versus PNG files.

Only looks at IPython if the process already imported it, so a plain script
never pays for (or needs) IPython.
"""
import sys

__all__ = ["in_notebook"]


def in_notebook():
    """True inside a Jupyter kernel (where ``IPython.display`` can show figures)."""
    ipython_module = sys.modules.get("IPython")
    if ipython_module is None:
        return False
    try:
        shell = ipython_module.get_ipython()
    except Exception:  # a half-initialised IPython must not break training
        return False
    if shell is None:
        return False
    # a terminal IPython has no kernel to send figures to; Jupyter and Colab do
    return "IPKernelApp" in getattr(shell, "config", {}) or \
        type(shell).__name__ in ("ZMQInteractiveShell", "Shell")
