"""torch's argument errors, worded as torch's argument parser words them.

torch checks every call of its functions against their signatures before any
work, and a mismatch is a TypeError with one of a few texts. ember's functions
build theirs here, so that a student's mistake reads the same on either:

    >>> raise wrong_type("add", "other", 2, "Tensor", "a")
    Traceback (most recent call last):
    TypeError: add(): argument 'other' (position 2) must be Tensor, not str

The texts, as torch 2.13 gives them:

* one signature, one argument of the wrong type: ``wrong_type`` (the position
  is shown for a positional argument only);
* an element of a tuple of ints that is no int: ``unpack_error``;
* several signatures and none fits: ``invalid_combination`` (the first line
  names the types received, then one line per signature).
"""


def type_name(x):
    """A value's type as torch's argument errors name it (CPython's tp_name): classes
    made by a class statement (``Tensor``, a user's ``Foo``) and builtins by their bare
    name, C types with their module (``numpy.float64``, ``numpy.ndarray``), and
    ember's stand-ins for torch's C types as torch names them (``torch.dtype``,
    ``torch.Size``)."""
    cls = type(x)
    if cls.__flags__ & _HEAP_TYPE or cls.__module__ == "builtins":
        if cls.__name__ in _TORCH_C_TYPES and cls.__module__.partition(".")[0] == "ember":
            return _TORCH_C_TYPES[cls.__name__]
        return cls.__name__
    return f"{cls.__module__}.{cls.__name__}"


_HEAP_TYPE = 1 << 9         # (CPython's Py_TPFLAGS_HEAPTYPE: a class made by a class statement)
# torch's types written in C, by the names its messages give them ("not torch.dtype")
_TORCH_C_TYPES = {name: "torch." + name for name in ("dtype", "device", "Size", "layout",
                                                     "memory_format")}
_TORCH_C_TYPES["Generator"] = "torch._C.Generator"


def wrong_type(fn, arg, position, expected, value):
    """``fn(): argument 'arg' (position N) must be EXPECTED, not TYPE``; ``position``
    None for an argument given by keyword (torch then leaves the position out)."""
    where = f" (position {position})" if position is not None else ""
    return TypeError(f"{fn}(): argument '{arg}'{where} must be {expected}, not "
                     f"{type_name(value)}")


def unpack_error(fn, arg, element_position, value):
    """An element of a tuple of ints (``x.permute(0, 'a')``) that is no int;
    ``element_position`` counts from 1, as torch does."""
    return TypeError(f"{fn}(): argument '{arg}' failed to unpack the object at pos "
                     f"{element_position} with error \"type must be tuple of ints,but got "
                     f"{type_name(value)}\"")


def invalid_combination(fn, args, kwargs, signatures):
    """No signature of ``fn`` takes these positional ``args`` and ``kwargs`` (a dict):
    the types received, then each signature (``"(Tensor input, int dim)"``) on a line."""
    got = ", ".join([type_name_in_call(a) for a in args] +
                    [f"{k}={type_name_in_call(v)}" for k, v in kwargs.items()])
    lines = [f"{fn}() received an invalid combination of arguments - got ({got}), but "
             f"expected one of:"] + [f" * {sig}" for sig in signatures]
    return TypeError("\n".join(lines) + "\n")


def type_name_in_call(x):
    """type_name, but a tensor is ``Tensor`` whatever its class (as in torch's lists)."""
    if hasattr(x, "_data") and hasattr(x, "grad_fn"):
        return "Tensor"
    return type_name(x)
