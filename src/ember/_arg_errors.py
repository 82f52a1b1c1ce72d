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

``function_twin`` and ``method_twin`` make a method and its module function from
one body, for the messages in which torch tells them apart.
"""


# The default of an argument that may be left out, where torch's parser words "left
# out" differently from None (``where(c, x)``, ``transpose(0)``): one object for all.
MISSING = object()


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
    if kwargs and not args:
        got += ", "         # (torch's text ends so when only keywords were given)
    lines = [f"{fn}() received an invalid combination of arguments - got ({got}), but "
             f"expected one of:"] + [f" * {sig}" for sig in signatures]
    return TypeError("\n".join(lines) + "\n")


def type_name_in_call(x):
    """type_name, but a tensor is ``Tensor`` whatever its class (as in torch's lists)."""
    if hasattr(x, "_data") and hasattr(x, "grad_fn"):
        return "Tensor"
    return type_name(x)


def int_list_error(fn, arg, args, position=1, varargs=True):
    """The TypeError torch's parser gives for ``args``, the positional arguments meant
    as one tuple-of-ints argument ``arg`` of ``fn`` (``x.reshape(2, 'a')``: ``args`` is
    ``(2, 'a')``), or None if torch would take them. ``varargs``: the ints may come as
    separate arguments (as Tensor methods take them); ``position``: the argument's.

    torch looks at the first value only to choose between "separate ints" and "one
    sequence" (an int-like first value, bools excepted), then unpacks the rest:

    >>> int_list_error("reshape", "shape", (2, "a"))
    TypeError('reshape(): argument \\'shape\\' failed to unpack the object at pos 2 with error "type must be tuple of ints,but got str"')
    """
    first = args[0]
    if varargs and _int_like(first):
        return _unpack_rest(fn, arg, args)
    if len(args) > 1:
        plural = "s" if position != 1 else ""
        return TypeError(f"{fn}() takes {position} positional argument{plural} but "
                         f"{position - 1 + len(args)} were given")
    if not isinstance(first, (tuple, list)):
        return wrong_type(fn, arg, position, "tuple of ints", first)
    if first and not _int_like(first[0]):
        return TypeError(f"{fn}(): argument '{arg}' (position {position}) must be tuple of "
                         f"ints, but found element of type {type_name(first[0])} at pos 0")
    return _unpack_rest(fn, arg, first)


def _unpack_rest(fn, arg, values):
    """unpack_error for the first of ``values[1:]`` that is no index (bools pass)."""
    import operator
    for position, value in enumerate(values[1:], 2):
        try:
            operator.index(value)
        except TypeError:
            return unpack_error(fn, arg, position, value)
    return None


def _int_like(x):
    """torch's test of the first value of a tuple of ints: an int or anything with
    ``__index__`` (a 0-dim integer array or tensor), but no bool."""
    import operator
    if type(x).__name__ in ("bool", "bool_"):
        return False
    try:
        operator.index(x)
    except TypeError:
        return False
    return True


def missing_arguments(fn, names):
    """torch's text for required arguments left out (``names``, in order); its grammar
    is its own: ``missing 1 required positional arguments: "dim1"``, ``missing 2
    required positional argument: "dim0", "dim1"``."""
    if len(names) == 1:
        return TypeError(f'{fn}() missing 1 required positional arguments: "{names[0]}"')
    quoted = ", ".join(f'"{name}"' for name in names)
    return TypeError(f"{fn}() missing {len(names)} required positional argument: {quoted}")


def too_many_positional(fn, takes, given):
    """``fn() takes 2 positional arguments but 3 were given``, counted as torch counts
    for a Tensor method (without self)."""
    plural = "s" if takes != 1 else ""
    return TypeError(f"{fn}() takes {takes} positional argument{plural} but {given} were given")


def with_positions(error, names, first=1):
    """``error``, a TypeError naming an argument of ``names`` (given by position, in
    order, the first at position ``first``) without its position, with torch's
    ``(position N)`` added."""
    text = str(error)
    for position, name in enumerate(names, first):
        text = text.replace(f"argument '{name}' must", f"argument '{name}' (position "
                                                      f"{position}) must", 1)
    return TypeError(text)


def binding_error(error, python_name, torch_name, skip=0):
    """torch's text for ``error``, a TypeError Python raised binding a call of the
    function ``python_name`` (arguments missing, surplus or unknown), with torch's name
    ``torch_name`` in it; ``skip``: positional arguments torch does not count (a Tensor
    method's self). None for any other TypeError.

    >>> binding_error(TypeError("inv() missing 1 required positional argument: 'A'"),
    ...               "inv", "linalg_inv")
    TypeError('linalg_inv() missing 1 required positional arguments: "A"')
    """
    import re
    text = str(error)
    if not text.startswith(f"{python_name}() "):
        return None
    rest = text[len(python_name) + 3:]
    missing = re.fullmatch(r"missing \d+ required positional arguments?: (.*)", rest)
    if missing:
        return missing_arguments(torch_name, re.findall(r"'([^']*)'", missing.group(1)))
    surplus = re.fullmatch(r"takes (?:from (\d+) to )?(\d+) positional arguments? but (\d+) "
                           r"(?:were|was) given", rest)
    if surplus:
        low, high, given = surplus.groups()
        high, given = int(high) - skip, int(given) - skip
        if low is None:
            return too_many_positional(torch_name, high, given)
        return TypeError(f"{torch_name}() takes from {int(low) - skip} to {high} positional "
                         f"arguments but {given} were given")
    if rest.startswith("got an unexpected keyword argument "):
        return TypeError(f"{torch_name}() {rest}")
    return None


def plausible_signatures(signatures, n_given):
    """The signatures (torch's ``"(Tensor input, int dim = -1, *, bool stable)"``) that
    could take ``n_given`` arguments (positional and keyword together) by their count
    alone: at least their required ones, at most all. torch's parser, when no signature
    takes a call, words the error of the one plausible signature ("argument 'dim'
    (position 2) must be int, not str") if there is just one, and lists them all
    otherwise.

    >>> plausible_signatures(["(Tensor input, *, bool stable)", "(Tensor input, int dim = -1)"],
    ...                      1)
    ['(Tensor input, int dim = -1)']
    """
    found = []
    for signature in signatures:
        params = [p.strip() for p in signature.strip("()").split(",") if p.strip() not in ("", "*")]
        required = sum("=" not in p for p in params)
        if required <= n_given <= len(params):
            found.append(signature)
    return found


# torch words one mistake differently for a method and for its module function (the
# method counts positions from its first argument after self, and lists its own
# overloads). ember makes the two from one function body, without a wrapper frame on
# the fast path: function_twin copies a method with other hidden keyword defaults,
# method_twin copies a function under another code name that an error path can see.
def function_twin(method, **numbering):
    """Tensor method ``method`` as the module function (``ember.reshape``): a copy that
    differs only in hidden keyword defaults (``_first=2``: torch numbers a function's
    arguments from the input, a method's from the first after self), so that the
    function's fast lanes cost what the method's do (no wrapper)."""
    import types
    copy = types.FunctionType(method.__code__, method.__globals__, method.__name__,
                              method.__defaults__, method.__closure__)
    copy.__kwdefaults__ = {**method.__kwdefaults__, **numbering}
    copy.__doc__, copy.__qualname__ = method.__doc__, method.__qualname__
    copy.__module__ = method.__module__
    return copy


# (method_twin: the same bytecode in a code object named Tensor.NAME, so that
# called_as_method can tell x.add('a') from ember.add(x, 'a'); tracebacks of method
# calls then read Tensor.add)
_TWIN_CODES = set()


def method_twin(fn):
    """``fn`` (a module-level function) as the Tensor method of the same name."""
    import types
    name = f"Tensor.{fn.__name__}"
    # (Python 3.10's code objects have no qualified name: the twin's plain name says it)
    code = (fn.__code__.replace(co_qualname=name) if hasattr(fn.__code__, "co_qualname")
            else fn.__code__.replace(co_name=name))
    twin = types.FunctionType(code, fn.__globals__, fn.__name__, fn.__defaults__,
                              fn.__closure__)
    twin.__kwdefaults__, twin.__doc__ = fn.__kwdefaults__, fn.__doc__
    twin.__qualname__ = f"Tensor.{fn.__name__}"
    _TWIN_CODES.update((fn.__code__, code))
    return twin


def called_as_method(depth=2):
    """True when the nearest function with a method twin among the callers (a few frames
    up, from ``depth``: error paths ask close to it) was called as the Tensor method."""
    import sys
    frame = sys._getframe(depth)
    for _ in range(6):
        if frame is None:
            return False
        if frame.f_code in _TWIN_CODES:
            code = frame.f_code
            return getattr(code, "co_qualname", code.co_name).startswith("Tensor.")
        frame = frame.f_back
    return False
