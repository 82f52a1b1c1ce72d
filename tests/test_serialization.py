"""ember.save / ember.load: safetensors checkpoints of tensors, state dicts and nested
structures; interchange with torch through safetensors; clear errors for truncated,
corrupt and foreign files; atomic writes that survive a crash midway."""
import collections
import io
import json
import os
import struct

import numpy as np
import pytest
import safetensors.torch
import torch

import ember
from ember import serialization
from helpers import DTYPE_NAMES, assert_same, to_torch


def arrays_of_every_dtype(rng):
    shapes = [(), (0,), (2, 0, 3), (3,), (2, 3)]
    for name in DTYPE_NAMES:
        for shape in shapes:
            if name == "bool":
                a = rng.random(shape) > 0.5
            elif name.startswith("float"):
                a = rng.standard_normal(shape).astype(name)
            else:
                info = np.iinfo(name)
                a = rng.integers(info.min, info.max, shape, dtype=name, endpoint=True)
            yield f"{name}{list(shape)}", a


def assert_identical(a, b):
    """Same Python types, same keys in the same order, same tensors (dtype, shape, bits)."""
    assert type(a) is type(b), (type(a), type(b))
    if isinstance(a, ember.Tensor):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a.numpy(), b.numpy())
        assert a.requires_grad == b.requires_grad
    elif isinstance(a, dict):
        assert list(a.keys()) == list(b.keys())
        for k in a:
            assert type(k) is type([kb for kb in b if kb == k][0])
            assert_identical(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            assert_identical(x, y)
    elif isinstance(a, float) and np.isnan(a):
        assert np.isnan(b)
    else:
        assert a == b


@pytest.fixture
def path(tmp_path):
    return tmp_path / "ckpt.safetensors"


# --------------------------------------------------------------- round trips
def test_tensors_of_every_dtype_and_shape_round_trip(path):
    tensors = {k: ember.tensor(a) for k, a in arrays_of_every_dtype(np.random.default_rng(0))}
    tensors["nan"] = ember.tensor([np.nan, np.inf, -np.inf, -0.0])
    ember.save(tensors, path)
    assert_identical(ember.load(path), tensors)
    for name, t in tensors.items():          # a lone tensor too, 0-dim and empty included
        ember.save(t, path)
        assert_identical(ember.load(path), t)


def test_nested_structures_keep_their_types_keys_and_order(path):
    obj = {
        "ordered": collections.OrderedDict([("z", ember.ones(2)), ("a", ember.zeros(1))]),
        3: {0: "int keys", -1.5: "float keys", None: "None key", True: "bool key",
            (1, "x"): "tuple key"},
        "list": [1, 2.5, "three", None, True, False, [ember.tensor(4)]],
        "tuple": (ember.tensor([1, 2]), (0.9, 0.999)),
        "floats": [float("inf"), float("-inf"), float("nan"), 1e-300, 0.1, -0.0, 2 ** 70],
        "size": ember.Size([2, 3]),
        "dtype": ember.float16,
        "empty": [{}, [], ()],
        "numpy": np.arange(6).reshape(2, 3),
        "np scalars": [np.float32(1.5), np.int64(7), np.bool_(True)],
    }
    ember.save(obj, path)
    loaded = ember.load(path)
    np.testing.assert_array_equal(loaded.pop("numpy"), obj.pop("numpy"))
    assert [type(x) for x in loaded.pop("np scalars")] == [float, int, bool]
    obj.pop("np scalars")
    assert_identical(loaded, obj)
    assert type(loaded["size"]) is ember.Size


def test_dtypes_devices_and_sizes_round_trip_as_in_torch(path, tmp_path):
    def load_back(lib, save_to):
        obj = {"dtype": lib.float16, "device": lib.device("cpu"), "size": lib.Size([2, 0])}
        lib.save(obj, save_to)
        return {k: (type(v).__name__, str(v)) for k, v in lib.load(save_to).items()}
    assert load_back(ember, path) == load_back(torch, tmp_path / "t.pt")


@pytest.mark.parametrize("node", [{"device": 5}, {"device": "nowhere"}])
def test_a_corrupt_device_node_raises_a_clear_error(path, node):
    structure = json.dumps({"version": 1, "root": node})
    path.write_bytes(_file({"__metadata__": {serialization.STRUCTURE_KEY: structure}}))
    assert "metadata is corrupt" in _error(path)


def test_requires_grad_and_parameters_round_trip(path):
    w = ember.nn.Parameter(ember.randn(2, 2))
    frozen = ember.nn.Parameter(ember.randn(2), requires_grad=False)
    leaf = ember.randn(3, requires_grad=True)
    ember.save({"w": w, "frozen": frozen, "leaf": leaf, "result": leaf * 2}, path)
    loaded = ember.load(path)
    assert type(loaded["w"]) is ember.nn.Parameter and loaded["w"].requires_grad
    assert type(loaded["frozen"]) is ember.nn.Parameter and not loaded["frozen"].requires_grad
    assert loaded["leaf"].requires_grad and loaded["leaf"].is_leaf
    # as torch: the result of an op loads as a leaf that requires grad, its graph gone
    assert loaded["result"].requires_grad and loaded["result"].is_leaf
    assert loaded["result"].grad_fn is None
    np.testing.assert_array_equal(loaded["result"].detach().numpy(), (leaf * 2).detach().numpy())


def test_requires_grad_of_every_kind_of_tensor_matches_torch(path, tmp_path):
    def flags(lib, save_to):
        leaf = lib.ones(2, requires_grad=True)
        obj = {"leaf": leaf, "result": leaf * 2, "detached": (leaf * 2).detach(),
               "view": leaf[:1], "plain": lib.ones(2)}
        lib.save(obj, save_to)
        return {k: (t.requires_grad, t.is_leaf, t.grad_fn is None)
                for k, t in lib.load(save_to).items()}
    assert flags(ember, path) == flags(torch, tmp_path / "t.pt")


def test_big_endian_numpy_arrays_save_their_values(path):
    obj = {"f": np.array([1.5, -2.0], dtype=">f4"), "i": np.array([3, -4], dtype=">i8")}
    ember.save(obj, path)
    loaded = ember.load(path)
    for k, a in obj.items():
        assert loaded[k].dtype == a.dtype.newbyteorder("=")
        np.testing.assert_array_equal(loaded[k], a)


def test_views_and_non_contiguous_tensors_save_their_values(path):
    base = ember.arange(24.0).reshape(4, 6)
    obj = {"T": base.T, "step": base[:, ::2], "row": base[1], "col": base[:, 3],
           "expanded": ember.ones(3).expand(4, 3), "flipped": base.flip(0)}
    ember.save(obj, path)
    loaded = ember.load(path)
    for k, t in obj.items():
        np.testing.assert_array_equal(loaded[k].numpy(), t.numpy())
        assert loaded[k].is_contiguous()


def test_shared_tensor_is_saved_under_both_names_and_loads_as_one(path):
    w = ember.randn(3, 2)
    ember.save({"encoder.weight": w, "decoder.weight": w}, path)
    loaded = ember.load(path)
    assert loaded["encoder.weight"] is loaded["decoder.weight"]
    np.testing.assert_array_equal(loaded["decoder.weight"].numpy(), w.numpy())
    plain = safetensors.torch.load_file(str(path))     # every name is a complete entry
    assert set(plain) == {"encoder.weight", "decoder.weight"}
    assert torch.equal(plain["encoder.weight"], plain["decoder.weight"])


def test_names_that_collide_stay_distinct(path):
    obj = {"a.b": ember.tensor(1.0), "a": {"b": ember.tensor(2.0)},
           "__metadata__": ember.tensor(3.0)}
    ember.save(obj, path)
    assert_identical(ember.load(path), obj)


def test_file_objects_work_both_ways(path):
    buffer = io.BytesIO()
    obj = {"x": ember.arange(5), "note": "in memory"}
    ember.save(obj, buffer)
    buffer.seek(0)
    assert_identical(ember.load(buffer), obj)
    with open(path, "wb") as f:
        ember.save(obj, f)
    with open(path, "rb") as f:
        assert_identical(ember.load(f), obj)
    ember.save(obj, str(path))
    assert_identical(ember.load(str(path), map_location="cpu", weights_only=False), obj)
    assert_identical(ember.load(path, map_location=ember.device("cpu")), obj)
    assert_identical(ember.load(path, map_location={"cuda:0": "cpu"}), obj)


def test_the_file_is_plain_safetensors(path):
    ember.save({"w": ember.ones(2, 3), "epoch": 7}, path)
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    assert (8 + n) % 8 == 0                     # data aligned, as the reference writer does
    assert header["w"] == {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}
    assert len(raw) == 8 + n + 24
    with safetensors.safe_open(str(path), framework="np") as f:
        meta = f.metadata()
    assert json.loads(meta[serialization.STRUCTURE_KEY])["root"]["dict"][1] == ["epoch", 7]


# ----------------------------------------------------- modules and optimizers
def test_linear_state_dict_round_trip(path):
    ember.manual_seed(0)
    model = ember.nn.Linear(3, 2)
    ember.save(model.state_dict(), path)
    state = ember.load(path)
    assert type(state) is type(model.state_dict())
    assert list(state) == list(model.state_dict()) == ["weight", "bias"]
    other = ember.nn.Linear(3, 2)
    other.load_state_dict(state)
    x = ember.randn(4, 3)
    np.testing.assert_array_equal(other(x).detach().numpy(), model(x).detach().numpy())


def _train(model, opt, steps, seed):
    g = ember.Generator().manual_seed(seed)
    for _ in range(steps):
        x = ember.randn(8, 3, generator=g)
        loss = ((model(x) - x.sum(1, keepdim=True)) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()


@pytest.mark.parametrize("make_opt", [
    lambda p: ember.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3),
    lambda p: ember.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), amsgrad=True),
], ids=["SGD-momentum", "Adam"])
def test_optimizer_state_round_trip_resumes_training_exactly(path, make_opt):
    ember.manual_seed(0)
    model = ember.nn.Linear(3, 1)
    opt = make_opt(model.parameters())
    _train(model, opt, 5, seed=1)
    ember.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 5}, path)
    checkpoint = ember.load(path)
    assert_identical(checkpoint["optim"], opt.state_dict())
    assert checkpoint["epoch"] == 5

    resumed = ember.nn.Linear(3, 1)
    resumed.load_state_dict(checkpoint["model"])
    resumed_opt = make_opt(resumed.parameters())
    resumed_opt.load_state_dict(checkpoint["optim"])
    _train(model, opt, 5, seed=2)
    _train(resumed, resumed_opt, 5, seed=2)
    for a, b in zip(model.parameters(), resumed.parameters()):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


def test_hand_built_optimizer_state_dict_round_trips(path):
    state = {"state": {0: {"step": ember.tensor(3.0), "exp_avg": ember.randn(2, 2),
                           "exp_avg_sq": ember.rand(2, 2)},
                       1: {"step": ember.tensor(3.0), "momentum_buffer": None}},
             "param_groups": [{"lr": 0.1, "betas": (0.9, 0.999), "eps": 1e-8,
                               "weight_decay": 0, "amsgrad": False, "maximize": False,
                               "foreach": None, "params": [0, 1]}]}
    ember.save(state, path)
    assert_identical(ember.load(path), state)


# ------------------------------------------------------------- interchange
def test_a_state_dict_saved_by_ember_loads_in_torch(path):
    ember.manual_seed(0)
    model = ember.nn.Sequential(ember.nn.Linear(3, 4), ember.nn.ReLU(), ember.nn.Linear(4, 1))
    state = model.state_dict()
    state["counts"] = ember.tensor([1, 2, 3])          # an int64 buffer
    state["mask"] = ember.tensor([True, False])
    state["half"] = ember.ones(2, dtype=ember.float16)
    ember.save(state, path)
    loaded = safetensors.torch.load_file(str(path))
    assert set(loaded) == set(state)
    for k, t in state.items():
        assert_same(t, loaded[k], rtol=0, atol=0, what=k)

    tmodel = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    tmodel.load_state_dict({k: v for k, v in loaded.items() if k[0].isdigit()})
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    assert_same(model(ember.tensor(x)), tmodel(torch.tensor(x)))


def test_a_file_saved_by_torch_loads_in_ember(path):
    torch.manual_seed(0)
    tmodel = torch.nn.Linear(3, 2)
    tensors = dict(tmodel.state_dict())
    tensors.update({"i8": torch.tensor([-1, 2], dtype=torch.int8), "scalar": torch.tensor(2.5),
                    "empty": torch.zeros(0, 4, dtype=torch.float64),
                    "flag": torch.tensor([True])})
    safetensors.torch.save_file(tensors, str(path), metadata={"format": "pt"})
    loaded = ember.load(path)
    assert type(loaded) is dict and set(loaded) == set(tensors)
    for k, t in tensors.items():
        assert_same(loaded[k], t, rtol=0, atol=0, what=k)
    model = ember.nn.Linear(3, 2)
    model.load_state_dict({k: loaded[k] for k in ("weight", "bias")})
    x = np.random.default_rng(1).standard_normal((4, 3)).astype(np.float32)
    assert_same(model(ember.tensor(x)), tmodel(torch.tensor(x)))


def test_torch_reads_what_ember_reads_back(path):
    # ember -> file -> ember -> file -> torch: nothing is lost on the way.
    t = ember.randn(3, 3)
    ember.save({"t": t}, path)
    ember.save(ember.load(path), path)
    assert torch.equal(safetensors.torch.load_file(str(path))["t"], to_torch(t))


# ------------------------------------------------------------- bad files
def _error(path):
    with pytest.raises(serialization.CheckpointError) as info:
        ember.load(path)
    assert isinstance(info.value, RuntimeError)
    assert str(path) in str(info.value)
    return str(info.value)


def test_truncated_files_raise_a_clear_error(path):
    ember.save({"w": ember.randn(100), "b": ember.zeros(3)}, path)
    raw = path.read_bytes()
    for cut in (len(raw) - 1, len(raw) - 300, 8 + 10, 5):
        path.write_bytes(raw[:cut])
        message = _error(path)
        assert "truncated" in message or "too short" in message


def test_corrupt_headers_raise_a_clear_error(path):
    ember.save({"w": ember.randn(4)}, path)
    raw = bytearray(path.read_bytes())
    (n,) = struct.unpack("<Q", raw[:8])
    broken = raw.copy()
    broken[9:14] = b"#####"                                  # JSON syntax destroyed
    path.write_bytes(bytes(broken))
    assert "corrupt" in _error(path)

    def with_header(header):
        text = json.dumps(header).encode()
        return struct.pack("<Q", len(text)) + text + bytes(raw[8 + n:])
    for header in (
        {"w": {"dtype": "F32", "shape": [5], "data_offsets": [0, 16]}},   # shape vs bytes
        {"w": {"dtype": "F32", "shape": [4], "data_offsets": [4, 20]}},   # a hole
        {"w": {"dtype": "F32", "shape": [4]}},                            # field missing
        {"w": {"dtype": "X99", "shape": [4], "data_offsets": [0, 16]}},   # unknown dtype
        {"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
         "__metadata__": {serialization.STRUCTURE_KEY: "{not json"}},
        {"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
         "__metadata__": {serialization.STRUCTURE_KEY: '{"root": {"tensor": "missing"}}'}},
        {"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
         "__metadata__": {serialization.STRUCTURE_KEY: '{"root": {"pickle": "os.system"}}'}},
        [1, 2, 3],
    ):
        path.write_bytes(with_header(header))
        _error(path)
    path.write_bytes(bytes(raw) + b"extra")                   # bytes after the data
    _error(path)


def _file(header, data=b""):
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + data


@pytest.mark.parametrize("root", [
    {"dict": 5}, {"dict": [[1]]}, {"dict": [[{"dict": []}, 1]]}, {"list": 5},
    {"tuple": None}, {"tensor": []}, {"float": "abc"}, {"float": []}, {"dtype": "foo"},
    {"dtype": [1]}, {"size": ["a"]}, {"size": 5}, {"ndarray": {}},
])
def test_a_structure_node_of_the_wrong_shape_raises_a_clear_error(path, root):
    structure = json.dumps({"version": 1, "root": root})
    path.write_bytes(_file({"__metadata__": {serialization.STRUCTURE_KEY: structure}}))
    assert "metadata is corrupt" in _error(path)


def test_a_structure_nested_too_deep_raises_a_clear_error(path):
    structure = '{"root":' + '{"list":[' * 5000 + ']}' * 5000 + '}'
    path.write_bytes(_file({"__metadata__": {serialization.STRUCTURE_KEY: structure}}))
    assert "metadata is corrupt" in _error(path)


@pytest.mark.parametrize("spec", [
    {"dtype": "U8", "shape": [2.5], "data_offsets": [0, 2]},
    {"dtype": "U8", "shape": [True, 2], "data_offsets": [0, 2]},
    {"dtype": "U8", "shape": "2", "data_offsets": [0, 2]},
    {"dtype": "U8", "shape": [2], "data_offsets": [0.0, 2]},
    {"dtype": "U8", "shape": [2], "data_offsets": "02"},
])
def test_shapes_and_offsets_must_be_json_integers(path, spec):
    path.write_bytes(_file({"a": spec}, b"ab"))
    assert "bad entry for tensor 'a'" in _error(path)


def test_a_header_claiming_terabytes_is_refused_before_allocating(path):
    spec = {"dtype": "F64", "shape": [10**6, 10**7], "data_offsets": [0, 8 * 10**13]}
    path.write_bytes(_file({"a": spec}, b"ab"))
    assert "truncated" in _error(path)

    class Unseekable(io.RawIOBase):         # cannot tell its length: the allocation fails
        def __init__(self, data):
            self.inner = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, buffer):
            return self.inner.readinto(buffer)
    with pytest.raises(serialization.CheckpointError, match="does not fit in memory"):
        ember.load(Unseekable(path.read_bytes()))


def test_files_that_are_not_safetensors_raise_a_clear_error(path, tmp_path):
    pt = tmp_path / "model.pt"
    torch.save({"w": torch.ones(2)}, pt)
    assert "zip" in _error(pt) and "pickle" in _error(pt)
    legacy = tmp_path / "legacy.pt"
    torch.save({"w": torch.ones(2)}, legacy, _use_new_zipfile_serialization=False)
    assert "pickle" in _error(legacy)
    path.write_bytes(np.random.default_rng(0).bytes(1000))
    assert "not a safetensors file" in _error(path)
    path.write_bytes(b"")
    assert "empty" in _error(path)
    with pytest.raises(FileNotFoundError):
        ember.load(tmp_path / "missing.safetensors")


class _Exploit:
    def __reduce__(self):
        return (open, (str(self.target), "w"))


def test_loading_a_malicious_pickle_executes_nothing(tmp_path):
    _Exploit.target = tmp_path / "pwned"
    bad = tmp_path / "bad.pt"
    torch.save({"x": _Exploit()}, bad)
    _error(bad)
    assert not _Exploit.target.exists()


# ------------------------------------------------------------------ saving
def test_unsupported_objects_are_refused_with_their_path(path):
    with pytest.raises(TypeError, match=r"object of type set at obj\['a'\]\[0\]"):
        ember.save({"a": [{1, 2}]}, path)
    with pytest.raises(TypeError, match="never pickles"):
        ember.save(lambda: 0, path)
    model = ember.nn.Linear(2, 1)
    for whole in (model, ember.optim.SGD(model.parameters(), lr=0.1)):
        hint = r"whole (Linear|SGD) \(at obj\['m'\]\).*state_dict\(\)"
        with pytest.raises(TypeError, match=hint):
            ember.save({"m": whole}, path)
    loop = []
    loop.append(loop)
    with pytest.raises(ValueError, match="contains itself"):
        ember.save(loop, path)
    assert not path.exists()


def _outcome(call):
    try:
        result = call()
    except Exception as e:
        return type(e), str(e).split("(got")[0].split(". ember")[0].strip()
    return {k: (type(v).__name__, v.tolist()) for k, v in result.items()}


def test_bad_files_to_save_to_or_load_from_raise_torchs_errors(tmp_path):
    for lib in (ember, torch):
        assert _outcome(lambda: lib.save({}, 3)) == _outcome(lambda: torch.save({}, 3))
        assert _outcome(lambda: lib.load(None))[0] is AttributeError
        for target in (tmp_path / "missing" / "x", "missing_dir/x"):
            assert _outcome(lambda: lib.save({}, target)) == \
                _outcome(lambda: torch.save({}, target))
        with pytest.raises(RuntimeError):
            lib.save({}, tmp_path)
    with pytest.raises(RuntimeError, match="is a directory"):
        ember.save({}, tmp_path)
    assert sorted(os.listdir(tmp_path)) == []           # no temporary file left behind


def _bad_placement(storage, location):
    raise ValueError("my own error")


@pytest.mark.parametrize("map_location", [
    None, "cpu", "cuda", "cuda:1", {"cpu": "cuda"}, {"cuda:0": "cpu"}, {"cpu": "cpu"},
    lambda storage, loc: storage, lambda storage, loc: None, _bad_placement, 3,
])
def test_map_location_forms_match_torch(tmp_path, map_location):
    ember_path, torch_path = tmp_path / "e.safetensors", tmp_path / "t.pt"
    for obj in ({}, {"w": 1.5, "b": -2.0}):
        ember.save({k: ember.nn.Parameter(ember.tensor(v)) for k, v in obj.items()}, ember_path)
        torch.save({k: torch.nn.Parameter(torch.tensor(v)) for k, v in obj.items()}, torch_path)
        ml_torch = torch.device(map_location) \
            if isinstance(map_location, ember.device) else map_location
        assert _outcome(lambda: ember.load(ember_path, map_location=map_location)) == \
            _outcome(lambda: torch.load(torch_path, map_location=ml_torch))
    assert ember.load(ember_path, map_location=ember.device("cpu"))["w"].item() == 1.5


def test_a_crash_midway_leaves_the_previous_checkpoint_intact(path, monkeypatch):
    old = {"w": ember.zeros(1000), "epoch": 1}
    ember.save(old, path)
    before = path.read_bytes()
    writes = []

    def failing_write(out, data):
        writes.append(len(bytes(data)))
        if len(writes) == 2:               # the header went out, then the power goes
            raise OSError("simulated crash")
        out.write(data)
    monkeypatch.setattr(serialization, "_write_chunk", failing_write)
    with pytest.raises(OSError, match="simulated crash"):
        ember.save({"w": ember.ones(1000), "b": ember.ones(5), "epoch": 2}, path)
    assert path.read_bytes() == before
    assert_identical(ember.load(path), old)
    assert os.listdir(path.parent) == [path.name]           # no temporary file left over


def test_a_failed_rename_leaves_the_previous_checkpoint_intact(path, monkeypatch):
    ember.save({"epoch": 1}, path)

    def no_rename(src, dst):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", no_rename)
    with pytest.raises(OSError, match="disk full"):
        ember.save({"epoch": 2}, path)
    monkeypatch.undo()
    assert ember.load(path) == {"epoch": 1}
    assert os.listdir(path.parent) == [path.name]


def test_save_syncs_to_disk_before_renaming(path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace",
                        lambda a, b: (events.append("replace"), real_replace(a, b))[1])
    ember.save({"epoch": 1}, path)
    assert events[:2] == ["fsync", "replace"]


def test_the_new_file_gets_ordinary_permissions(path):
    umask = os.umask(0o022)
    try:
        ember.save({"epoch": 1}, path)
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("case", [
    lambda m: m.save(m.ones(2), 1.5), lambda m: m.save(m.ones(2), None),
    lambda m: m.load(1.5), lambda m: m.load(None),
    lambda m: m.load(__import__("io").BytesIO(), foo=1),
])
def test_argument_errors_are_torchs(case):
    from helpers import assert_same_error
    assert_same_error(case)
