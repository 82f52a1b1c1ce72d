"""Checkpoints: ``ember.save`` / ``ember.load`` in the safetensors format, never pickle.

    model = ember.nn.Linear(2, 1)
    ember.save(model.state_dict(), "model.safetensors")
    model.load_state_dict(ember.load("model.safetensors"))

    ember.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 3},
               "checkpoint.safetensors")

A safetensors file is

    8 bytes      N, the header length (unsigned, little-endian)
    N bytes      a JSON header: {name: {"dtype": "F32", "shape": [2, 3],
                                        "data_offsets": [begin, end]}, ...,
                                 "__metadata__": {str: str}}
    the rest     the tensors' raw bytes, little-endian, back to back

Every tensor of the saved object becomes one entry, named by its path in the
object ("model.weight", "optim.state.0.exp_avg"); a state dict therefore
reads as a plain safetensors file (``safetensors.torch.load_file`` gives the
same names, values, dtypes and shapes). Everything else — dict keys of any
type, OrderedDict, tuple vs list, numbers, strings, None, dtypes, devices — is kept as a JSON
tree in the metadata under ``"ember.structure"``, whose leaves refer to the
tensor entries by name. A file without that key (one written by
``safetensors.torch.save_file``, say) loads as a dict of tensors.

Loading only parses JSON and copies bytes, so it cannot run code, whatever
the file holds; ``weights_only`` is accepted for torch compatibility and has
nothing left to guard. Saving to a path is atomic: the bytes go to a temporary
file in the same directory, are flushed and fsync'ed, then the file is
renamed over the target, so a crash midway leaves the previous checkpoint
intact.

Not kept (torch.save keeps them): storage shared between *different*
tensors (a tensor and a view of it are saved as two copies; the *same* tensor
saved twice loads back as one tensor), and arbitrary Python objects.
"""
import collections
import json
import math
import os
import struct
import uuid

import numpy as np

from . import _dtypes
from ._device import device, to_device
from ._size import Size
from ._tensor import Tensor, _make

__all__ = ["save", "load", "CheckpointError"]

STRUCTURE_KEY = "ember.structure"
_FORMAT_VERSION = 1

# safetensors dtype codes
_CODES = {np.dtype(np.bool_): "BOOL", np.dtype(np.uint8): "U8", np.dtype(np.int8): "I8",
          np.dtype(np.int16): "I16", np.dtype(np.int32): "I32", np.dtype(np.int64): "I64",
          np.dtype(np.float16): "F16", np.dtype(np.float32): "F32",
          np.dtype(np.float64): "F64"}
_FROM_CODE = {code: dt.newbyteorder("<") for dt, code in _CODES.items()}
_MAX_HEADER = 100_000_000       # the limit of the reference implementation


class CheckpointError(RuntimeError):
    """A file could not be read as an ember / safetensors checkpoint."""


# ====================================================================== save
def save(obj, f, pickle_module=None, pickle_protocol=2, _use_new_zipfile_serialization=True,
         _disable_byteorder_record=False):
    """Save tensors, state dicts and nested dicts/lists/tuples of them to ``f``.

    ``f`` is a path (str or os.PathLike; written atomically) or a binary file
    object. The pickle arguments exist for torch compatibility and are ignored:
    nothing is pickled.

    >>> ember.save({"w": ember.ones(2), "step": 3}, "ckpt.safetensors")
    >>> ember.load("ckpt.safetensors")
    {'w': tensor([1., 1.]), 'step': 3}
    """
    entries = {}
    structure = _Encoder(entries).encode(obj, ())
    metadata = {"format": "pt",
                STRUCTURE_KEY: json.dumps({"version": _FORMAT_VERSION, "root": structure},
                                          separators=(",", ":"), allow_nan=False)}
    header, arrays = _layout(entries, metadata)
    if isinstance(f, (str, os.PathLike)):
        _write_atomically(os.fspath(f), header, arrays)
    elif hasattr(f, "write"):
        _write_to(f, header, arrays)
    else:
        # torch's error type and words
        raise AttributeError("expected 'f' to be string, path, or a file-like object with a "
                             "'write' attribute")


class _Encoder:
    """Turns the object into a JSON tree, collecting its tensors in ``entries``."""

    def __init__(self, entries):
        self.entries = entries          # name -> array, in order
        self.first_name = {}            # id(tensor) -> name it was first saved under
        self.keep_alive = []            # so that ids stay unique while encoding
        self.open_containers = set()

    def encode(self, obj, path):
        if isinstance(obj, Tensor):
            return self._tensor(obj, path)
        if isinstance(obj, np.ndarray):
            return {"ndarray": self._add(obj, path)}
        if obj is None or isinstance(obj, (bool, str)):
            return obj
        if isinstance(obj, int):
            return int(obj)
        if isinstance(obj, float):
            return float(obj) if math.isfinite(obj) else {"float": repr(float(obj))}
        if isinstance(obj, np.generic) and obj.dtype.kind in "biuf":
            return self.encode(obj.item(), path)
        if isinstance(obj, _dtypes.dtype):
            return {"dtype": obj.name}
        if isinstance(obj, device):
            return {"device": str(obj)}
        if isinstance(obj, (dict, list, tuple)):
            if id(obj) in self.open_containers:
                raise ValueError(f"ember.save: the object contains itself at {_where(path)}")
            self.open_containers.add(id(obj))
            try:
                return self._container(obj, path)
            finally:
                self.open_containers.discard(id(obj))
        if callable(getattr(obj, "state_dict", None)):
            # torch.save(model) pickles the whole module; ember saves what it holds
            raise TypeError(
                f"ember.save: cannot save a whole {type(obj).__name__} (at {_where(path)}): "
                f"ember never pickles. Save its state_dict() instead and load it back with "
                f"load_state_dict(ember.load(...)) into a freshly built one.")
        raise TypeError(
            f"ember.save: cannot save an object of type {type(obj).__name__} at "
            f"{_where(path)}. Checkpoints hold tensors, numbers, strings, None, dtypes, "
            f"devices and dicts / lists / tuples of them (ember never pickles).")

    def _container(self, obj, path):
        if isinstance(obj, Size):
            return {"size": [int(s) for s in obj]}
        if isinstance(obj, dict):
            pairs = [[self.encode(k, path + ("<key>",)), self.encode(v, path + (k,))]
                     for k, v in obj.items()]
            node = {"dict": pairs}
            if isinstance(obj, collections.OrderedDict):
                node["ordered"] = True
            return node
        kind = "list" if isinstance(obj, list) else "tuple"
        return {kind: [self.encode(v, path + (i,)) for i, v in enumerate(obj)]}

    def _tensor(self, t, path):
        name = self._add(t._data, path)
        # The same tensor met again is saved again (so that every name is a complete
        # safetensors entry) but loads as the first one, keeping the two identical.
        name = self.first_name.setdefault(id(t), name)
        self.keep_alive.append(t)
        node = {"tensor": name}
        if t.requires_grad:
            # as torch: a result of an op loads as a leaf that requires grad (its graph is gone)
            node["requires_grad"] = True
        if type(t).__name__ == "Parameter":
            node["parameter"] = True
            node["requires_grad"] = bool(t.requires_grad)
        return node

    def _add(self, array, path):
        if array.dtype.newbyteorder("=") not in _CODES:     # a big-endian array is fine
            raise TypeError(f"ember.save: tensors of dtype {array.dtype} cannot be saved "
                            f"(at {_where(path)})")
        base = ".".join(str(p) for p in path) if path else "tensor"
        name, n = base, 1
        while name in self.entries or name == "__metadata__":
            n += 1
            name = f"{base}#{n}"
        self.entries[name] = array
        return name


def _where(path):
    return "obj" + "".join(f"[{p!r}]" for p in path)


def _layout(entries, metadata):
    """The header bytes (padded to 8 bytes, as the reference writer does) and the
    contiguous little-endian arrays in file order."""
    table = {"__metadata__": metadata}
    arrays = []
    offset = 0
    for name, array in entries.items():
        if array.dtype.byteorder == ">":
            array = array.astype(array.dtype.newbyteorder("<"))
        if not array.flags.c_contiguous:
            array = array.copy(order="C")       # views and transposes are saved as values
        table[name] = {"dtype": _CODES[array.dtype.newbyteorder("=")],
                       "shape": list(array.shape),
                       "data_offsets": [offset, offset + array.nbytes]}
        offset += array.nbytes
        arrays.append(array)
    text = json.dumps(table, separators=(",", ":"), allow_nan=False).encode("utf-8")
    text += b" " * (-(8 + len(text)) % 8)
    return struct.pack("<Q", len(text)) + text, arrays


def _write_to(out, header, arrays):
    _write_chunk(out, header)
    for array in arrays:
        if array.size:
            _write_chunk(out, array.reshape(-1).view(np.uint8).data)


def _write_chunk(out, data):
    """One write (a separate function so that tests can make it fail midway)."""
    out.write(data)


def _write_atomically(path, header, arrays):
    directory = os.path.dirname(os.path.abspath(path))
    # checked first so that the error names the target, not the temporary file
    if not os.path.isdir(directory):
        raise RuntimeError(f"Parent directory {os.path.dirname(path)} does not exist.")
    if os.path.isdir(path):
        raise RuntimeError(f"cannot save to {path!r}: it is a directory")
    temp = os.path.join(directory, f".{os.path.basename(path)}.{uuid.uuid4().hex[:12]}.tmp")
    # O_EXCL: never clobber another writer's temp file; mode 0o666 lets the umask decide,
    # as for a file opened with open(path, "wb").
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            _write_to(out, header, arrays)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    _sync_directory(directory)


def _sync_directory(directory):
    """Make the rename itself durable (POSIX); not possible (nor needed) everywhere."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ====================================================================== load
def load(f, map_location=None, pickle_module=None, *, weights_only=True, mmap=None,
         **pickle_load_args):
    """Load what :func:`save` wrote (or any safetensors file) from a path or binary file.

    Everything loads on the CPU. ``map_location`` takes torch's forms: a device
    ('cpu', ember.device('cpu')), a dict from saved location to device (tensors are
    saved from 'cpu'), or a function ``(tensor, 'cpu') -> tensor or None``; a GPU
    target raises torch's CPU-only error. A truncated or corrupt file, or one that
    is not in the safetensors format (a torch ``.pt`` pickle, say), raises
    :class:`CheckpointError` naming the file.
    """
    unknown = [k for k in pickle_load_args if k not in _UNPICKLER_KEYWORDS]
    if unknown:     # (torch hands them to pickle's Unpickler, which refuses them so)
        raise TypeError(f"load() got an unexpected keyword argument '{unknown[0]}'")
    place = _placement(map_location)
    if isinstance(f, (str, os.PathLike)):
        name = os.fspath(f)
        with open(name, "rb") as stream:
            return _read(stream, name, place)
    if hasattr(f, "read"):
        return _read(f, getattr(f, "name", None) or f"<{type(f).__name__}>", place)
    # torch's error (it seeks first), in its words
    raise AttributeError(f"'{type(f).__name__}' object has no attribute 'seek'. You can only "
                         "torch.load from a file that is seekable. Please pre-load the data "
                         "into a buffer like io.BytesIO and try to load from it instead.")


# the keywords pickle's Unpickler takes (torch passes load's extra keywords on to it)
_UNPICKLER_KEYWORDS = ("encoding", "errors", "fix_imports", "buffers")


def _placement(map_location):
    """The function that puts each loaded tensor where ``map_location`` says. As in torch,
    the target is only checked once there is a tensor to move (an empty checkpoint loads
    whatever it names)."""
    if map_location is None:
        return _to_target("cpu")
    if isinstance(map_location, (str, device)):
        return _to_target(map_location)
    if isinstance(map_location, dict):
        # every ember tensor was saved from the CPU: only a "cpu" entry can apply
        return _to_target(map_location.get("cpu", "cpu"))
    if callable(map_location):
        def place(t):
            moved = map_location(t, "cpu")
            if moved is None:           # torch: None means "restore as saved"
                return t
            if not isinstance(moved, Tensor):
                raise TypeError(f"ember.load: map_location returned "
                                f"{type(moved).__name__}, expected a tensor or None")
            return moved
        return place
    def not_callable(t):                # torch calls whatever else it is given
        raise TypeError(f"'{type(map_location).__name__}' object is not callable")
    return not_callable


def _to_target(target):
    target = target if isinstance(target, device) else device(target)

    def place(t):
        if target.type == "cuda":
            raise RuntimeError(
                "Attempting to deserialize object on a CUDA device but "
                "torch.cuda.is_available() is False. If you are running on a CPU-only "
                "machine, please use torch.load with map_location=torch.device('cpu') to "
                "map your storages to the CPU.")
        to_device(target)
        return t
    return place


def _read(stream, name, place):
    fail = _failure(name)
    prefix = _read_exactly(stream, 8)
    if len(prefix) < 8:
        what = "empty" if not prefix else f"only {len(prefix)} bytes long"
        raise fail(f"the file is {what}, too short to be a safetensors checkpoint")
    (header_len,) = struct.unpack("<Q", prefix)
    if header_len > _MAX_HEADER:
        raise fail(_not_safetensors(prefix))
    raw = _read_exactly(stream, header_len)
    if len(raw) < header_len:
        if not raw[:1] == b"{":
            raise fail(_not_safetensors(prefix))
        raise fail(f"the file is truncated: its header should be {header_len} bytes long but "
                   f"only {len(raw)} are left")
    if raw[:1] != b"{":
        raise fail(_not_safetensors(prefix))
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise fail(f"its header is corrupt (not valid JSON: {e})") from None
    if not isinstance(header, dict):
        raise fail("its header is corrupt (not a JSON object)")
    metadata = header.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict):
        raise fail("its header is corrupt (__metadata__ is not an object)")
    tensors = _read_tensors(stream, header, fail, _bytes_left(stream))
    structure = metadata.get(STRUCTURE_KEY)
    if structure is None:
        # a plain safetensors file: its tensors by name
        return {name: place(_make(array)) for name, array in tensors.items()}
    try:
        tree = json.loads(structure)
        return _Decoder(tensors, fail, place).decode(tree["root"])
    except CheckpointError:
        raise
    except _PlacementFailed as e:       # map_location's own error, not a corrupt file
        raise e.error from None
    except (ValueError, TypeError, KeyError, IndexError, RuntimeError, RecursionError) as e:
        # a node of the wrong shape ({"list": 5}, a dict as a key, ...): never a raw error
        raise fail(f"its '{STRUCTURE_KEY}' metadata is corrupt ({type(e).__name__}: "
                   f"{e})") from None


def _bytes_left(stream):
    """How many bytes follow the current position, or None for a stream that cannot tell."""
    try:
        if not stream.seekable():
            return None
        here = stream.tell()
        end = stream.seek(0, os.SEEK_END)
        stream.seek(here)
    except (AttributeError, OSError, ValueError):
        return None
    return end - here


def _failure(name):
    def fail(message):
        return CheckpointError(f"cannot load checkpoint {name!r}: {message}")
    return fail


def _not_safetensors(prefix):
    convert = ("To convert it, in torch: safetensors.torch.save_file(torch.load(old_path), "
               "new_path) (for a dict of tensors).")
    if prefix.startswith(b"PK\x03\x04"):
        return ("it is not a safetensors file but a zip archive, the format of torch.save: a "
                "pickle, which ember never loads (unpickling can run arbitrary code). " + convert)
    if prefix[:1] == b"\x80":
        return ("it is not a safetensors file but a Python pickle, which ember never loads "
                "(unpickling can run arbitrary code). " + convert)
    return ("it is not a safetensors file (it does not start with a safetensors header: an "
            "8-byte length followed by JSON)")


def _read_exactly(stream, n):
    chunks, left = [], n
    while left > 0:
        chunk = stream.read(min(left, 1 << 26))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read_tensors(stream, header, fail, bytes_left):
    """Check the table (dtypes, shapes, back-to-back offsets) and read each tensor."""
    specs = []
    for name, spec in header.items():
        try:
            dtype = _FROM_CODE[spec["dtype"]]
            shape = tuple(_json_int(s) for s in _json_list(spec["shape"]))
            begin, end = (_json_int(o) for o in _json_list(spec["data_offsets"]))
        except (KeyError, TypeError, ValueError):
            code = spec.get("dtype") if isinstance(spec, dict) else None
            if isinstance(code, str) and code not in _FROM_CODE:
                raise fail(f"tensor {name!r} has dtype {code}, which ember does not "
                           f"support") from None
            raise fail(f"its header is corrupt (bad entry for tensor {name!r})") from None
        if min(shape, default=0) < 0 or end - begin != math.prod(shape) * dtype.itemsize:
            raise fail(f"its header is corrupt (tensor {name!r}: shape {list(shape)} of "
                       f"{spec['dtype']} does not fit data_offsets {[begin, end]})")
        specs.append((begin, end, name, dtype, shape))
    specs.sort(key=lambda s: (s[0], s[1]))
    if specs and bytes_left is not None and specs[-1][1] > bytes_left:
        # say so before allocating what a corrupt header may claim (terabytes, say)
        raise fail(f"the file is truncated: the header describes tensor data up to byte "
                   f"{specs[-1][1]}, but it ends at byte {bytes_left}")
    position = 0
    arrays = {}
    for begin, end, name, dtype, shape in specs:
        if begin != position:
            raise fail(f"its header is corrupt (the data of tensor {name!r} starts at byte "
                       f"{begin}, expected {position})")
        try:
            array = np.empty(shape, dtype=dtype)
        except MemoryError:
            raise fail(f"tensor {name!r} of shape {list(shape)} does not fit in "
                       f"memory") from None
        if array.nbytes:
            got = stream.readinto(array.reshape(-1).view(np.uint8)) \
                if hasattr(stream, "readinto") else None
            if got is None:
                data = _read_exactly(stream, array.nbytes)
                got = len(data)
                array.reshape(-1).view(np.uint8)[:got] = np.frombuffer(data, np.uint8)
            while got < array.nbytes:       # short reads are allowed for raw streams
                more = stream.readinto(array.reshape(-1).view(np.uint8)[got:])
                if not more:
                    break
                got += more
            if got < array.nbytes:
                raise fail(f"the file is truncated: the header describes tensor data up to "
                           f"byte {specs[-1][1]}, but it ends at byte {position + got}")
        position = end
        arrays[name] = array.astype(dtype.newbyteorder("="), copy=False)
    if stream.read(1):
        raise fail(f"its header is corrupt (there are bytes after the last tensor, which ends "
                   f"at data byte {position})")
    # Keep the header's order (the order they were saved in, for ember's files).
    return {name: arrays[name] for name in header}


def _json_list(value):
    if not isinstance(value, list):
        raise TypeError(f"expected a list, got {value!r}")
    return value


def _json_int(value):
    # int("12") and int(2.5) would accept a corrupt header: safetensors wants JSON integers
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"expected an integer, got {value!r}")
    return value


class _PlacementFailed(Exception):
    """Carries map_location's error past the handler that reports corrupt structures."""

    def __init__(self, error):
        super().__init__(error)
        self.error = error


class _Decoder:
    def __init__(self, arrays, fail, place):
        self.arrays = arrays
        self.fail = fail
        self.place = place          # map_location, applied to each tensor as it loads
        self.loaded = {}            # name -> Tensor, so that shared tensors stay shared

    def decode(self, node):
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        if isinstance(node, dict) and len(node) >= 1:
            if "tensor" in node:
                return self._tensor(node)
            if "dict" in node:
                pairs = [(self._key(k), self.decode(v)) for k, v in node["dict"]]
                return collections.OrderedDict(pairs) if node.get("ordered") else dict(pairs)
            if "list" in node:
                return [self.decode(v) for v in node["list"]]
            if "tuple" in node:
                return tuple(self.decode(v) for v in node["tuple"])
            if "float" in node:
                return float(node["float"])
            if "size" in node:
                return Size(int(s) for s in node["size"])
            if "dtype" in node:
                return _dtypes.to_dtype(node["dtype"])
            if "device" in node:
                if not isinstance(node["device"], str):
                    raise TypeError(f"a device is a string, not {node['device']!r}")
                return device(node["device"])
            if "ndarray" in node:
                return self._array(node["ndarray"]).copy()
        raise self.fail(f"its '{STRUCTURE_KEY}' metadata is corrupt (unknown node "
                        f"{json.dumps(node)[:80]})")

    def _key(self, node):
        key = self.decode(node)
        return tuple(key) if isinstance(key, list) else key

    def _array(self, name):
        if name not in self.arrays:
            raise self.fail(f"its '{STRUCTURE_KEY}' metadata refers to tensor {name!r}, "
                            f"which the file does not contain")
        return self.arrays[name]

    def _tensor(self, node):
        name = node["tensor"]
        t = self.loaded.get(name)
        if t is None:
            try:
                t = self.place(_make(self._array(name)))
            except CheckpointError:
                raise
            except Exception as e:
                raise _PlacementFailed(e) from None
            if node.get("parameter"):
                from .nn.parameter import Parameter
                t = Parameter(t, requires_grad=bool(node.get("requires_grad")))
            elif node.get("requires_grad"):
                t.requires_grad_(True)
            self.loaded[name] = t
        return t

