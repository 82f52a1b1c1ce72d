"""Views behave as in torch: they share memory with their base (writes through
either are seen by both), report the same ``_base``, ``is_contiguous()``,
``stride()`` and ``storage_offset()``, and share the base's version counter;
advanced indexing and copying reshapes give independent tensors."""
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import ember
from helpers import assert_same

BASE = np.arange(24, dtype=np.float32).reshape(2, 3, 4)

# (name, fn(module, base) -> view); every one of these is a view in torch
VIEWS = [
    ("select", lambda m, x: x[1]),
    ("select_negative", lambda m, x: x[:, -1]),
    ("slice", lambda m, x: x[:, 1:3]),
    ("slice_step", lambda m, x: x[..., ::2]),
    ("slice_empty", lambda m, x: x[:, 3:]),
    ("none", lambda m, x: x[None]),
    ("mixed_basic", lambda m, x: x[1, None, 2:]),
    ("ellipsis_alias", lambda m, x: x[...]),
    ("element", lambda m, x: x[1, 2, 3]),
    ("view", lambda m, x: x.view(6, 4)),
    ("view_flat", lambda m, x: x.view(-1)),
    ("view_as", lambda m, x: x.view_as(m.zeros(4, 6))),
    ("reshape_contiguous", lambda m, x: x.reshape(4, 6)),
    ("reshape_as", lambda m, x: x.reshape_as(m.zeros(3, 8))),
    ("flatten", lambda m, x: x.flatten(1)),
    ("unflatten", lambda m, x: x.unflatten(2, (2, 2))),
    ("transpose", lambda m, x: x.transpose(0, 2)),
    ("swapaxes", lambda m, x: x.swapaxes(0, 1)),
    ("permute", lambda m, x: x.permute(2, 0, 1)),
    ("movedim", lambda m, x: x.movedim(0, -1)),
    ("t", lambda m, x: x[0].t()),
    ("T", lambda m, x: x[1].T),
    ("mT", lambda m, x: x.mT),
    ("unsqueeze", lambda m, x: x.unsqueeze(1)),
    ("squeeze", lambda m, x: x[:, :1].squeeze(1)),
    ("squeeze_all", lambda m, x: x[:1, :, :1].squeeze()),
    ("split_piece", lambda m, x: x.split(3, 2)[1]),
    ("split_sizes_piece", lambda m, x: x.split([1, 3], 2)[1]),
    ("chunk_piece", lambda m, x: x.chunk(2, 2)[0]),
    ("unbind_piece", lambda m, x: x.unbind(1)[2]),
    ("narrow", lambda m, x: x.narrow(2, 1, 2)),
    ("select_fn", lambda m, x: x.select(1, 0)),
    ("diagonal", lambda m, x: x.diagonal(0, 1, 2)),
    ("diagonal_offset", lambda m, x: x.diagonal(1, 2, 1)),
    ("chain", lambda m, x: x.permute(2, 1, 0)[1:, :, 0].unsqueeze(0)),
    ("view_of_transpose", lambda m, x: x.transpose(1, 2)[:, 1:].reshape(2, 3, 3)),
    ("hsplit_piece", lambda m, x: m.hsplit(x, 3)[1]),
    ("vsplit_piece", lambda m, x: x.vsplit([1])[1]),
    ("dsplit_piece", lambda m, x: m.dsplit(x, [1, 3])[1]),
    ("split_with_sizes_piece", lambda m, x: x.split_with_sizes([1, 3], 2)[1]),
    ("unfold", lambda m, x: x.unfold(2, 2, 2)),
    ("unfold_of_transpose", lambda m, x: x.transpose(1, 2).unfold(1, 1, 3)),
    ("as_strided", lambda m, x: x.as_strided((3, 4), (4, 1), 6)),
    ("as_strided_of_view", lambda m, x: x[1].as_strided((2, 2), (1, 4))),
    ("as_strided_transposed", lambda m, x: m.as_strided(x, (4, 3), (1, 8), 1)),
]


def _pair():
    return ember.tensor(BASE.copy()), torch.tensor(BASE.copy())


def _same_state(ex, tx, ev, tv):
    assert_same(ex, tx, what="base")
    assert_same(ev, tv, what="view")
    assert ex._version == tx._version, f"base version {ex._version} != {tx._version}"
    assert ev._version == tv._version, f"view version {ev._version} != {tv._version}"


@pytest.mark.parametrize("name,fn", VIEWS, ids=[v[0] for v in VIEWS])
def test_view_layout_like_torch(name, fn):
    (ex, tx) = _pair()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.filterwarnings("error", category=RuntimeWarning, module="ember")
        ev, tv = fn(ember, ex), fn(torch, tx)
    assert tv._base is tx
    assert ev._base is ex, "the view's _base is its base"
    assert ev.is_contiguous() == tv.is_contiguous()
    assert ev.stride() == tv.stride()
    assert ev.storage_offset() == tv.storage_offset()
    # a view of a view has the first base as its _base
    ew2, tw2 = ev[None], tv[None]
    assert tw2._base is tx and ew2._base is ex
    assert ew2.stride() == tw2.stride() and ew2.storage_offset() == tw2.storage_offset()


@pytest.mark.parametrize("name,fn", VIEWS, ids=[v[0] for v in VIEWS])
def test_writes_through_view_and_base_are_shared(name, fn):
    (ex, tx) = _pair()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.filterwarnings("error", category=RuntimeWarning, module="ember")
        ev, tv = fn(ember, ex), fn(torch, tx)
    pattern = np.random.default_rng(0).standard_normal(tuple(tv.shape)).astype(np.float32)
    # a write through the view (setitem) ...
    ev[...] = ember.tensor(pattern)
    tv[...] = torch.tensor(pattern)
    _same_state(ex, tx, ev, tv)
    # ... an in-place op on the view ...
    ev.mul_(2)
    tv.mul_(2)
    _same_state(ex, tx, ev, tv)
    # ... a partial write into the view ...
    if tv.ndim:
        ev[0] = -1.0
        tv[0] = -1.0
        _same_state(ex, tx, ev, tv)
    # ... and writes to the base are seen by the view
    ex.add_(1)
    tx.add_(1)
    _same_state(ex, tx, ev, tv)
    ex[0, 1] = 100.0
    tx[0, 1] = 100.0
    _same_state(ex, tx, ev, tv)


def test_views_of_the_same_base_see_each_other():
    (ex, tx) = _pair()
    for m, x in ((ember, ex), (torch, tx)):
        a, b = x.transpose(0, 2), x.view(-1)
        a[1, 2, 0] = -5.0
        assert b[4 * 2 + 1].item() == -5.0
        b[0] = -7.0
        assert a[0, 0, 0].item() == -7.0
        assert a._version == b._version == x._version == 2


def test_expand_is_a_view():
    for m in (ember, torch):
        x = m.arange(3.0)
        e = x.expand(2, 3)
        assert e._base is x and e.stride() == (0, 1) and not e.is_contiguous()
        x[0] = 10.0
        assert e[1, 0].item() == 10.0


# Writes to an expanded tensor: torch refuses those where one written element would
# land on an address twice, warns for a few ops, and writes through otherwise.
EXPANDED_WRITES = [
    ("setitem_all", lambda m, e: e.__setitem__(Ellipsis, 1.0)),
    ("setitem_all_tensor", lambda m, e: e.__setitem__(Ellipsis, m.ones(3))),
    ("setitem_row", lambda m, e: e.__setitem__(0, 1.0)),
    ("setitem_column", lambda m, e: e.__setitem__((slice(None), 1), 1.0)),
    ("setitem_element", lambda m, e: e.__setitem__((0, 1), 5.0)),
    ("setitem_through_row_view", lambda m, e: e[1].__setitem__(Ellipsis,
                                                               m.tensor([7.0, 8.0, 9.0]))),
    ("setitem_index", lambda m, e: e.__setitem__([0], 1.0)),
    ("index_add_", lambda m, e: e.index_add_(0, m.tensor([0]), m.ones(1, 3))),
    ("scatter_", lambda m, e: e.scatter_(0, m.zeros(1, 3, dtype=m.int64), 1.0)),
    ("scatter_add_", lambda m, e: e.scatter_add_(0, m.zeros(1, 3, dtype=m.int64),
                                                 m.ones(1, 3))),
    ("index_fill_", lambda m, e: e.index_fill_(0, m.tensor([0]), 1.0)),
    ("index_put_", lambda m, e: e.index_put_((m.tensor([0]),), m.tensor(1.0))),
    ("masked_fill_", lambda m, e: e.masked_fill_(m.ones(2, 3, dtype=m.bool), 1.0)),
]


@pytest.mark.parametrize("name,fn", EXPANDED_WRITES, ids=[c[0] for c in EXPANDED_WRITES])
def test_writes_to_expanded_tensors_like_torch(name, fn):
    outcome = []
    for m in (torch, ember):
        x = m.arange(3.0)
        with warnings.catch_warnings(record=True) as got:
            warnings.simplefilter("always")
            try:
                fn(m, x.expand(2, 3))
                error = None
            except RuntimeError as err:
                error = str(err)
        outcome.append((error, x.tolist(), x._version,
                        [str(w.message).split(" (Triggered")[0] for w in got]))
    assert outcome[1] == outcome[0]


def test_expand_without_stretching_is_writable():
    for m in (ember, torch):
        x = m.zeros(2, 3)
        e = x.expand(2, 3)
        e[0, 1] = 4.0
        assert x[0, 1].item() == 4.0


def test_detach_and_data_share_memory_but_are_not_views():
    (ex, tx) = _pair()
    for attr in ("detach", "data"):
        for x in (ex, tx):
            d = x.detach() if attr == "detach" else x.data
            assert d._base is None
    (ex, tx) = _pair()
    for ev, tv in [(ex[1].detach(), tx[1].detach()), (ex[:, 1:].data, tx[:, 1:].data),
                   (ex.mT.detach()[1:], tx.mT.detach()[1:])]:
        assert ev.storage_offset() == tv.storage_offset()
        assert ev.stride() == tv.stride() and ev.is_contiguous() == tv.is_contiguous()
    ed, td = ex[1].detach(), tx[1].detach()
    ed[0, 0] = -1.0
    td[0, 0] = -1.0
    _same_state(ex, tx, ed, td)          # detach() shares the version counter
    eD, tD = ex.data, tx.data
    eD.add_(1)
    tD.add_(1)
    assert_same(ex, tx)
    assert ex._version == tx._version == 1      # .data has its own counter
    assert eD._version == tD._version == 1
    ex.zero_()
    tx.zero_()
    assert_same(eD, tD)
    assert ed.detach()._version == td.detach()._version


@pytest.mark.parametrize("name,fn", [
    ("index_list", lambda m, x: x[[0, 1]]),
    ("index_tensor", lambda m, x: x[:, m.tensor([2, 0])]),
    ("mask", lambda m, x: x[x > 5]),
    ("slice_and_list", lambda m, x: x[1:, [0, 2]]),
    ("true", lambda m, x: x[True]),
    ("reshape_copy", lambda m, x: x.transpose(0, 1).reshape(-1)),
    ("flatten_copy", lambda m, x: x.transpose(1, 2).flatten()),
    ("contiguous_copy", lambda m, x: x.transpose(0, 1).contiguous()),
    ("flip", lambda m, x: x.flip(0)),
    ("roll", lambda m, x: x.roll(1)),
    ("repeat", lambda m, x: x.repeat(1, 1, 1)),
    ("cat", lambda m, x: m.cat([x])),
    ("stack", lambda m, x: m.stack([x])),
    ("index_select", lambda m, x: x.index_select(0, m.tensor([0]))),
    ("masked_select", lambda m, x: x.masked_select(x > 3)),
    ("gather", lambda m, x: x.gather(0, m.zeros(1, 3, 4, dtype=m.int64))),
    ("tril", lambda m, x: x.tril()),
    ("clone", lambda m, x: x.clone()),
])
def test_copies_are_independent(name, fn):
    (ex, tx) = _pair()
    ec, tc = fn(ember, ex), fn(torch, tx)
    assert ec._base is None and tc._base is None
    assert ec.is_contiguous() == tc.is_contiguous()
    ec.fill_(-3.0)
    tc.fill_(-3.0)
    assert_same(ex, tx)
    np.testing.assert_array_equal(ex.numpy(), BASE)
    assert ex._version == tx._version == 0
    ex.add_(1)
    tx.add_(1)
    assert_same(ec, tc)


def test_version_counter_counts_every_write_like_torch():
    (ex, tx) = _pair()
    steps = [
        lambda m, x, v: x.add_(1),
        lambda m, x, v: v.mul_(2),
        lambda m, x, v: v.__setitem__(0, 3.0),
        lambda m, x, v: x.__setitem__(x > 10, 0.0),
        lambda m, x, v: x.__setitem__([0], m.ones(3, 4)),
        lambda m, x, v: v.zero_(),
        lambda m, x, v: x.masked_fill_(x > 3, 1.0),
        lambda m, x, v: x.index_add_(0, m.tensor([0]), m.ones(1, 3, 4)),
        lambda m, x, v: x.scatter_(0, m.zeros(1, 3, 4, dtype=m.int64), 2.0),
        lambda m, x, v: x.index_put_((m.tensor([1]),), m.tensor(5.0)),
        lambda m, x, v: x.index_fill_(2, m.tensor([0]), -1.0),
        lambda m, x, v: x[1].diagonal().fill_(4.0),
        lambda m, x, v: x.__setitem__(False, 1.0),      # torch: not a write at all
    ]
    ev, tv = ex.transpose(0, 2), tx.transpose(0, 2)
    for i, step in enumerate(steps):
        step(ember, ex, ev)
        step(torch, tx, tv)
        assert_same(ex, tx, what=f"step {i}")
        assert ex._version == tx._version, f"step {i}: {ex._version} != {tx._version}"
        assert ev._version == tv._version


def test_writes_through_views_of_0d_and_empty_tensors():
    for m in (ember, torch):
        s = m.tensor(5.0)
        v = s[...]
        v[()] = 7.0
        assert s.item() == 7.0 and s._version == 1
        u = s.unsqueeze(0)
        u[0] = 8.0
        assert s.item() == 8.0 and u._base is s
        e = m.zeros(0, 3)
        ev = e[:, 1]
        ev[...] = 1.0
        assert ev._base is e and e._version == 1


def test_view_write_with_autograd_reaches_the_base():
    # y's graph is rebased when written through a view: CopySlices on y,
    # AsStridedBackward0 on the view, as in torch
    a = np.random.default_rng(1).standard_normal((2, 3)).astype(np.float32)
    results = []
    for m in (ember, torch):
        x = m.tensor(a, requires_grad=True)
        w = m.tensor(2.0, requires_grad=True)
        y = x * 1
        v = y.t()
        v[1, 0] = w * 3
        v.mul_(2)
        assert type(y.grad_fn).__name__ == "CopySlices"
        assert type(v.grad_fn).__name__ == "AsStridedBackward0"
        (y * y).sum().backward()
        results.append((y.detach().numpy().copy(), x.grad.numpy().copy(), w.grad.item()))
    (ey, egx, egw), (ty, tgx, tgw) = results
    np.testing.assert_allclose(ey, ty)
    np.testing.assert_allclose(egx, tgx)
    assert np.isclose(egw, tgw)


# ------------------------------------------------- in place on expanded tensors
EXPANDED_WRITES = [
    "x.fill_(1)", "x.zero_()", "x.add_(1)", "x.mul_(2)", "x.sub_(x)", "x += 1",
    "x.copy_(m.ones(2, 3))", "x.clamp_(0, 1)", "x[0].fill_(5)", "x[0].add_(5)", "x[1].copy_(m.ones(3))",
]


@pytest.mark.parametrize("write", EXPANDED_WRITES)
def test_in_place_on_an_expanded_tensor_is_refused_or_allowed_like_torch(write):
    """Several elements of an expand()ed tensor share one place: torch lets fill_/zero_
    and writes through a non-overlapping view through, and refuses the rest."""
    outcome = []
    for m in (ember, torch):
        y = m.zeros(3)
        ns = {"m": m, "x": y.expand(2, 3)}
        try:
            exec(write, ns)
            outcome.append(("ok", y.tolist()))
        except RuntimeError as err:
            outcome.append(("error", str(err).split(".")[0], y.tolist()))
    assert outcome[0] == outcome[1]


# ------------------------------------------------------ empty views, generated
# torch gives an empty view the strides and storage offset the op would give a
# non-empty one (x[:, 5:3] starts at element 5); NumPy keeps none of it.

EMPTY_VIEWS = [
    ("slice_empty_middle", (5,), lambda m, x: x[2:2]),
    ("slice_past_end", (5,), lambda m, x: x[10:]),
    ("slice_reversed_bounds", (4, 6), lambda m, x: x[:, 5:3]),
    ("slice_negative_bounds", (4, 6), lambda m, x: x[-1:-3]),
    ("slice_empty_step", (4, 6), lambda m, x: x[3:1:2, ::2]),
    ("slice_then_select", (2, 3, 4), lambda m, x: x[1:1, :, 3]),
    ("none_and_empty", (4, 6), lambda m, x: x[None, 2:2, ..., None]),
    ("narrow_at_end", (4, 6), lambda m, x: x.narrow(1, 6, 0)),
    ("split_zero_piece", (4, 6), lambda m, x: x.split([2, 0, 4], 1)[1]),
    ("split_of_empty", (0, 6), lambda m, x: x.split(2, 1)[2]),
    ("chunk_of_empty", (4, 0), lambda m, x: x.chunk(2, 0)[1]),
    ("unbind_of_empty", (0, 3), lambda m, x: x.unbind(1)[2]),
    ("select_of_empty", (4, 0, 3), lambda m, x: x.select(2, 1)),
    ("diagonal_of_empty_view", (4, 6), lambda m, x: x[:, 5:3].diagonal()),
    ("diagonal_off_the_end", (4, 6), lambda m, x: x.diagonal(7)),
    ("diagonal_of_empty", (4, 0), lambda m, x: x.diagonal(-1)),
    ("expand_empty_view", (1, 6), lambda m, x: x[:, 5:3].expand(3, 0)),
    ("expand_new_dims", (4, 6), lambda m, x: x[2:2].expand(2, 0, 6)),
    ("expand_to_zero", (4, 1), lambda m, x: x[2:3].expand(1, 0)),
    ("t_of_empty_view", (4, 6), lambda m, x: x[:, 5:3].t()),
    ("transpose_of_empty_view", (4, 6), lambda m, x: x[2:2].transpose(0, 1)),
    ("permute_of_empty_view", (2, 3, 4), lambda m, x: x[:, 3:].permute(2, 0, 1)),
    ("mT_of_empty_view", (2, 3, 4), lambda m, x: x[:, 1:1].mT),
    ("movedim_of_empty_view", (2, 3, 4), lambda m, x: x[..., 4:].movedim(2, 0)),
    ("unsqueeze_of_empty_view", (4, 6), lambda m, x: x[:, 5:3].unsqueeze(1)),
    ("squeeze_of_empty_view", (4, 1, 6), lambda m, x: x[..., 6:].squeeze(1)),
    ("view_of_empty_view", (4, 6), lambda m, x: x[:, 5:3].view(2, 0, 2)),
    ("flatten_of_empty_view", (4, 6), lambda m, x: x[:, 5:3].flatten()),
    ("reshape_same_shape", (4, 6), lambda m, x: x[1:, 6:].reshape(3, 0)),
    ("detach_of_empty_view", (4, 6), lambda m, x: x[5:3].detach()),
    ("data_of_empty_view", (4, 6), lambda m, x: x[:, 2:2].data),
    ("slice_of_detached", (4, 6), lambda m, x: x.detach()[:, 2:2][1:]),
    ("t_in_place", (4, 6), lambda m, x: x[:, 5:3].t_()),
]


def _layout(t):
    return tuple(t.shape), t.stride(), t.storage_offset(), t.is_contiguous()


@pytest.mark.parametrize("name,shape,fn", EMPTY_VIEWS, ids=[c[0] for c in EMPTY_VIEWS])
def test_empty_views_report_torch_strides_and_offset(name, shape, fn):
    n = int(np.prod(shape))
    ex, tx = ember.arange(float(n)).reshape(shape), torch.arange(float(n)).reshape(shape)
    ev, tv = fn(ember, ex), fn(torch, tx)
    assert tv.numel() == 0
    assert _layout(ev) == _layout(tv)
    # views of it count from there
    ew, tw = ev[None], tv[None]
    assert _layout(ew) == _layout(tw)


def test_empty_tensors_that_are_not_views_are_contiguous():
    for make in (lambda m: m.zeros(2, 0, 3), lambda m: m.ones(0), lambda m: m.empty(3, 0),
                 lambda m: m.zeros(4, 6)[:, 5:3] + 1, lambda m: m.zeros(3, 0).sum(0)):
        e, t = make(ember), make(torch)
        assert _layout(e) == _layout(t)


def test_empty_view_given_new_data_forgets_its_layout():
    for m in (ember, torch):
        v = m.zeros(4, 6)[:, 5:3]
        v.data = m.zeros(2, 0)
        assert v.stride() == (1, 1)


# A random start (a contiguous tensor, maybe permuted) and a chain of view ops, each
# drawing its arguments from what the tensor is at that point.
def _draw_slice(draw, size):
    bound = st.one_of(st.none(), st.integers(-size - 3, size + 3))
    return slice(draw(bound), draw(bound), draw(st.sampled_from([None, 1, 2, 3])))


@st.composite
def _keys(draw, shape):
    key = []
    for size in shape:
        if size and draw(st.integers(0, 3)) == 0:
            key.append(draw(st.integers(-size, size - 1)))
        else:
            key.append(_draw_slice(draw, size))
        if draw(st.integers(0, 5)) == 0:
            key.append(None)
    if key and draw(st.booleans()):      # leave trailing dims to an Ellipsis
        cut = draw(st.integers(0, len(key)))
        key = key[:cut] + [Ellipsis]
    return tuple(key)


@st.composite
def _view_op(draw, shape):
    """(description, fn(module, tensor)) for one view op that applies to ``shape``."""
    n = len(shape)
    kinds = ["index", "unsqueeze", "squeeze", "detach", "flatten"]
    if n:
        kinds += ["narrow", "split", "chunk", "transpose", "permute", "select", "unbind",
                  "expand"]
    if n <= 2:
        kinds.append("t")
    if n >= 2:
        kinds.append("diagonal")
    kind = draw(st.sampled_from(kinds))
    d = draw(st.integers(0, n - 1)) if n else 0
    size = shape[d] if n else 0
    if kind == "index":
        key = draw(_keys(shape))
        return f"x[{key}]", lambda m, x: x[key]
    if kind == "unsqueeze":
        u = draw(st.integers(-n - 1, n))
        return f"unsqueeze({u})", lambda m, x: x.unsqueeze(u)
    if kind == "squeeze":
        return "squeeze()", lambda m, x: x.squeeze()
    if kind == "detach":
        return "detach()", lambda m, x: x.detach()
    if kind == "flatten":
        return "flatten()", lambda m, x: x.flatten()
    if kind == "narrow":
        start = draw(st.integers(0, size))
        length = draw(st.integers(0, size - start))
        start -= size if draw(st.booleans()) and start < size else 0
        return f"narrow({d}, {start}, {length})", lambda m, x: x.narrow(d, start, length)
    if kind == "split":
        if draw(st.booleans()):
            parts = draw(st.lists(st.integers(0, size), min_size=1, max_size=3))
            parts[-1] = size - sum(parts[:-1])
            if parts[-1] < 0:
                parts = [size]
            k = draw(st.integers(0, len(parts) - 1))
            return f"split({parts}, {d})[{k}]", lambda m, x: x.split(parts, d)[k]
        step = draw(st.integers(1 if size else 0, max(size, 1)))
        pieces = max(-(-size // step), 1) if step else 1
        k = draw(st.integers(0, pieces - 1))
        return f"split({step}, {d})[{k}]", lambda m, x: x.split(step, d)[k]
    if kind == "chunk":
        chunks = draw(st.integers(1, 4))
        k = draw(st.integers(0, 3))
        return (f"chunk({chunks}, {d})[{k}]",
                lambda m, x: x.chunk(chunks, d)[min(k, len(x.chunk(chunks, d)) - 1)])
    if kind == "transpose":
        b = draw(st.integers(-n, n - 1))
        return f"transpose({d}, {b})", lambda m, x: x.transpose(d, b)
    if kind == "permute":
        perm = draw(st.permutations(range(n)))
        return f"permute({perm})", lambda m, x: x.permute(*perm)
    if kind in ("select", "unbind"):
        if not size:
            return "narrow to nothing", lambda m, x: x.narrow(d, 0, 0)
        i = draw(st.integers(-size, size - 1))
        if kind == "select":
            return f"select({d}, {i})", lambda m, x: x.select(d, i)
        return f"unbind({d})[{i}]", lambda m, x: x.unbind(d)[i]
    if kind == "expand":
        lead = draw(st.lists(st.integers(0, 2), max_size=2))
        target = [draw(st.sampled_from([0, 1, 3, -1])) if s == 1 else
                  draw(st.sampled_from([s, -1])) for s in shape]
        sizes = tuple(lead + target)
        return f"expand{sizes}", lambda m, x: x.expand(*sizes)
    if kind == "t":
        return "t()", lambda m, x: x.t()
    # diagonal
    a, b = draw(st.permutations(range(n)))[:2]
    k = draw(st.integers(-4, 4))
    return f"diagonal({k}, {a}, {b})", lambda m, x: x.diagonal(k, a, b)


@settings(max_examples=50)
@given(data=st.data(), shape=st.lists(st.integers(0, 4), min_size=1, max_size=4),
       permuted=st.booleans())
def test_chains_of_views_match_torch_layout_values_and_versions(data, shape, permuted):
    n = int(np.prod(shape))
    ex = ember.arange(float(n)).reshape(shape)
    tx = torch.arange(float(n)).reshape(shape)
    if permuted:
        perm = data.draw(st.permutations(range(len(shape))))
        ex, tx = ex.permute(*perm), tx.permute(*perm)
    ev, tv = ex, tx
    steps = []
    for _ in range(data.draw(st.integers(1, 3))):
        what, op = data.draw(_view_op(tuple(tv.shape)))
        steps.append(what)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            warnings.filterwarnings("error", category=RuntimeWarning, module="ember")
            ev, tv = op(ember, ev), op(torch, tv)
        assert _layout(ev) == _layout(tv), steps
    assert_same(ev, tv, what=str(steps))
    # one version counter for the base and all its views (detach() shares it too)
    ex.add_(1)
    tx.add_(1)
    assert ev._version == tv._version, steps
    assert_same(ev, tv, what=str(steps))


# ------------------------------------------------- views made under no_grad
NO_GRAD_VIEWS = [v for v in VIEWS if v[0] != "slice_empty"] + [
    ("view", lambda m, x: x.view(-1)), ("reshape", lambda m, x: x.reshape(6, 4)),
    ("t", lambda m, x: x[0].t()), ("unsqueeze", lambda m, x: x.unsqueeze(0)),
    ("expand", lambda m, x: x[:, :1].expand(2, 3, 4)), ("narrow", lambda m, x: x.narrow(1, 0, 2)),
    ("split", lambda m, x: x.split(1)[0]), ("diagonal", lambda m, x: x.diagonal(0, 1, 2)),
]


def _leaf_or_not(m, leaf):
    x = m.tensor(BASE.copy(), requires_grad=True)
    return x if leaf else x * 1


def _inplace_outcomes(m, make, leaf, write):
    base = _leaf_or_not(m, leaf)
    with m.no_grad():
        v = make(m, base)
    facts = (v.requires_grad, v.grad_fn is None, v.is_leaf, v._base is base)
    try:
        write(v)
        outcome = "ok"
    except RuntimeError as err:
        outcome = str(err)
    return facts, outcome, base.detach().tolist()


WRITES = {
    "add_": lambda v: v.add_(1), "mul_": lambda v: v.mul_(2), "zero_": lambda v: v.zero_(),
    "copy_": lambda v: v.copy_(v.detach() + 1), "setitem": lambda v: v.__setitem__(..., 5.0),
    "setitem_select": lambda v: v.__setitem__(0, 5.0) if v.ndim else v.fill_(5.0),
}


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize("leaf", [True, False])
@pytest.mark.parametrize("name,make", NO_GRAD_VIEWS, ids=[v[0] for v in NO_GRAD_VIEWS])
def test_view_made_under_no_grad_requires_grad_and_refuses_inplace_writes(name, make, leaf,
                                                                          write):
    """As in torch: requires_grad=True with no grad_fn, and an in-place write with grad
    on raises (the base is left unchanged)."""
    got = _inplace_outcomes(ember, make, leaf, WRITES[write])
    want = _inplace_outcomes(torch, make, leaf, WRITES[write])
    assert got == want
    assert want[0][0] is True and want[1] != "ok"


@pytest.mark.parametrize("leaf", [True, False])
def test_view_of_a_no_grad_view_names_its_op_when_written(leaf):
    results = []
    for m in (ember, torch):
        base = _leaf_or_not(m, leaf)
        with m.no_grad():
            v = base[0]
        u = v[1:]                       # made with grad on: a SliceBackward0 of v
        facts = (u.requires_grad, type(u.grad_fn).__name__ if m is torch else u.grad_fn._name)
        try:
            u.add_(1)
        except RuntimeError as err:
            facts += (str(err),)
        results.append(facts)
    assert results[0] == results[1] and results[1][1] == "SliceBackward0"


def test_no_grad_view_written_under_no_grad_or_of_a_base_not_requiring_grad_is_fine():
    results = []
    for m in (ember, torch):
        w = m.ones(3, requires_grad=True)
        with m.no_grad():
            v = w[:2]
            v.add_(1)                   # both under no_grad: not tracked, allowed
        z = m.ones(3)
        with m.no_grad():
            vz = z[:2]
        vz.add_(1)                      # the base needs no grad: nothing ambiguous
        with m.no_grad():
            d = w.detach()[:2]
        d.add_(1)
        results.append((w.detach().tolist(), z.tolist(), vz.requires_grad, d.requires_grad))
    assert results[0] == results[1]


@pytest.mark.parametrize("leaf", [True, False])
def test_gradient_reaching_a_no_grad_view_is_dropped_as_in_torch(leaf):
    """Such a view requires grad only through its base: no gradient accumulates in it
    (nor flows to the base), and backward through it runs without error."""
    results = []
    for m in (ember, torch):
        base = _leaf_or_not(m, leaf)
        with m.no_grad():
            v = base[0:2]
        y = (v * 2).sum() + (base * 3).sum()
        y.backward()
        leaf_grad = base.grad.tolist() if leaf else None
        results.append((v.grad, leaf_grad, type(y.grad_fn).__name__ if m is torch
                        else y.grad_fn._name))
    assert results[0] == results[1]
    assert results[1][0] is None



def _outcome(f):
    """f()'s result, or the message of the RuntimeError it raises."""
    try:
        return f()
    except RuntimeError as err:
        return str(err)


@pytest.mark.parametrize("leaf", [True, False])
@pytest.mark.parametrize("name,make", NO_GRAD_VIEWS[:6] + NO_GRAD_VIEWS[-7:],
                         ids=[v[0] for v in NO_GRAD_VIEWS[:6] + NO_GRAD_VIEWS[-7:]])
def test_requires_grad_false_on_a_no_grad_view_keeps_it_true_with_a_warning(name, make, leaf):
    """torch: a view requires grad as its base does, so requires_grad_(False) (or the
    attribute) silently changes nothing; ember keeps that and warns."""
    results = []
    for m in (ember, torch):
        base = _leaf_or_not(m, leaf)
        with m.no_grad():
            v = make(m, base)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            returned = v.requires_grad_(False) is v
            after_method = v.requires_grad
            v.requires_grad = False
        results.append((returned, after_method, v.requires_grad, v.grad_fn is None,
                        len(caught)))
    assert results[0][:4] == results[1][:4] == (True, True, True, True)
    assert results[1][4] == 0 and results[0][4] == 2     # ember warns, torch is silent


def test_requires_grad_false_on_a_view_whose_base_came_to_require_grad():
    results = []
    for m in (ember, torch):
        b = m.ones(3)
        w = b.view(3)                   # made with grad on, before b requires grad
        b.requires_grad_()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            w.requires_grad_(False)
        own = m.ones(3).view(3).requires_grad_()     # its own flag: this one changes
        own.requires_grad_(False)
        results.append((w.requires_grad, own.requires_grad))
    assert results[0] == results[1] == (True, False)


def _rebased_story(m, make, leaf, change, nested):
    """Make a view under no_grad (and, if ``nested``, a view of it with grad on),
    change the base in place, then use the view with grad on."""
    base = _leaf_or_not(m, leaf)
    with m.no_grad():
        v = make(m, base)
    if nested:
        v = v.view(v.shape)
    change(m, base)
    return (_outcome(lambda: (v * 1).sum().item()), v.requires_grad,
            base.detach().sum().item())


def _change_base_with_grad(m, base):
    if base.requires_grad and base.grad_fn is None:
        with m.no_grad():               # (a leaf cannot be written with grad on)
            base.add_(1)
    else:
        base.mul_(2)


CHANGES = {
    "base_with_grad": _change_base_with_grad,
    "base_under_no_grad": lambda m, base: _no_grad_add(m, base),
    "other_view": lambda m, base: _no_grad_add(m, base.reshape(-1)[-1:]),
}


def _no_grad_add(m, t):
    with m.no_grad():
        t.add_(1)


@pytest.mark.parametrize("nested", [False, True])
@pytest.mark.parametrize("change", ["base_with_grad", "base_under_no_grad", "other_view"])
@pytest.mark.parametrize("leaf", [True, False])
@pytest.mark.parametrize("name,make", NO_GRAD_VIEWS[:6] + NO_GRAD_VIEWS[-7:],
                         ids=[v[0] for v in NO_GRAD_VIEWS[:6] + NO_GRAD_VIEWS[-7:]])
def test_no_grad_view_used_after_its_base_changed_in_place_raises(name, make, leaf, change,
                                                                   nested):
    """torch refuses a view made under no_grad once its base (or another view of it)
    has changed in place, when the view is next used with grad on (a nested view made
    with grad on names its op)."""
    got = _rebased_story(ember, make, leaf, CHANGES[change], nested)
    want = _rebased_story(torch, make, leaf, CHANGES[change], nested)
    assert got == want
    assert "modified inplace" in want[0]


def test_no_grad_view_after_base_change_is_fine_under_no_grad_and_without_grad():
    results = []
    for m in (ember, torch):
        x = m.ones(3, requires_grad=True)
        with m.no_grad():
            v = x[:2]
            x.add_(1)
            used = (v * 1).tolist()             # nothing recorded: no question arises
        z = m.ones(3)
        with m.no_grad():
            vz = z[:2]
        z.mul_(2)                                # z needs no grad: vz is an ordinary view
        results.append((used, (vz * 1).tolist(), vz.requires_grad))
    assert results[0] == results[1]


def _late_grad_story(m, how):
    """A view made under no_grad of a tensor that does not require grad yet; then
    the base comes to require grad."""
    b = m.ones(2, 3)
    with m.no_grad():
        v = b[0]
    before = v.requires_grad
    if how == "requires_grad_":
        b.requires_grad_()
    else:
        b.mul_(m.ones(3, requires_grad=True))
    return (before, v.requires_grad, _outcome(lambda: v.add_(1) is v),
            _outcome(lambda: (v * 1).sum().item()), b.detach().sum().item())


@pytest.mark.parametrize("how", ["requires_grad_", "inplace_write"])
def test_no_grad_view_requires_grad_once_its_base_does(how):
    got, want = _late_grad_story(ember, how), _late_grad_story(torch, how)
    assert got == want
    assert want[:2] == (False, True) and "no_grad mode" in want[2]


# ---------------------------------------------------------------- resize_
def _resize_story(m):
    """A tensor resized as torch's semantics allow: what can be observed of it."""
    seen = []
    x = m.arange(6.)
    v0 = x._version
    r = x.resize_(2, 2)                  # shrinks within its storage: leading elements
    seen += [r is x, x.tolist(), x.stride(), x._version - v0]
    x.resize_(6)                         # grows back within the storage it kept
    seen.append(x.tolist())
    seen.append(x.as_strided((6,), (1,), 0).tolist())
    x.resize_(8)                         # grows past it: the old elements lead
    seen += [x.shape, x[:6].tolist(), x.stride()]
    y = m.arange(12.).reshape(3, 4).t()
    y.resize_(4, 3)                      # the same shape: strides kept
    seen += [y.stride(), y.tolist()]
    y.resize_(2, 3)                      # another shape: C order
    seen += [y.stride(), y.tolist(), y.is_contiguous()]
    v = m.arange(10.)[3:]
    base = v._base
    v.resize_(2)                         # a view keeps its offset and base
    seen += [v.tolist(), v.storage_offset(), v._base is base]
    e = m.ones(2, 3).resize_(3, 0, 2)
    seen += [e.shape, e.stride()]
    z = m.ones(2).resize_(0)
    seen += [z.shape, z.stride()]
    seen += [m.ones(1, 2, 3, 4).resize_(2, 3, 4, 5, memory_format=m.channels_last).stride()]
    s = m.ones(2, 3).resize_as_(m.ones(1, 3).t())
    seen += [s.shape, s.stride()]
    seen += [m.ones(2, 3).resize_as_(m.ones(1, 2, 3, 4), memory_format=m.channels_last)
             .stride()]
    w = m.ones(2).expand(3, 2)
    seen += [w.resize_(2).tolist(), w.stride()]
    seen += [m.ones(2, 3).resize_(()).shape, m.ones(2).resize_(m.Size([3])).shape]
    return seen


def test_resize_like_torch():
    assert _resize_story(ember) == _resize_story(torch)


def test_resize_of_a_view_past_its_storage_moves_the_base_too():
    results = []
    for m in (ember, torch):
        v = m.arange(10.)[3:]
        base = v._base
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            v.resize_(20)
        results.append((v.storage_offset(), v[:7].tolist(), v._base is base,
                        base.tolist(), base.data_ptr() == v.data_ptr() - 12))
    assert results[0] == results[1]


def test_resize_of_a_view_past_its_storage_warns_that_other_views_stay():
    v = ember.arange(10.)[3:]
    with pytest.warns(UserWarning, match="other views of that base keep the old memory"):
        v.resize_(20)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ember.arange(3.).resize_(30)         # (nothing else shares it: no warning)


@pytest.mark.parametrize("call", [
    lambda m: m.ones(2, requires_grad=True).resize_(3),
    lambda m: (m.ones(2, requires_grad=True) * 1).resize_(2),
    lambda m: m.ones(2, requires_grad=True).resize_as_(m.ones(1)),
    lambda m: m.ones(2).resize_(-1),
    lambda m: m.ones(2).resize_(2, -1),
    lambda m: m.ones(2).resize_(2.0),
    lambda m: m.ones(2).resize_(),
    lambda m: m.ones(2).resize_(2, memory_format=m.preserve_format),
    lambda m: m.ones(2).resize_(2, 3, memory_format=m.channels_last),
    lambda m: m.ones(2).resize_as_([1]),
])
def test_resize_errors_like_torch(call):
    errors = []
    for m in (ember, torch):
        try:
            call(m)
        except Exception as err:     # noqa: BLE001 - the error is what is compared
            errors.append((type(err), str(err)))
        else:
            errors.append(None)
    assert errors[0] is not None and errors[0] == errors[1]


def test_resize_under_no_grad_still_refuses_a_tensor_that_requires_grad():
    for m in (ember, torch):
        x = m.ones(2, requires_grad=True)
        with m.no_grad(), pytest.raises(RuntimeError, match="cannot resize variables"):
            x.resize_(3)
        assert x.shape == (2,)


def test_as_strided_views_share_memory_and_version_with_overlap():
    got = []
    for m in (ember, torch):
        z = m.arange(6.)
        w = z.as_strided((2,), (2,), 1)
        w[0] = 100.0
        windows = z.as_strided((3, 2), (1, 1))
        z[2] = -1.0
        got.append((z.tolist(), z._version, w._version, windows.tolist(), w._base is z,
                    z.as_strided((3,), (0,)).fill_(7.0).tolist(), z.tolist()))
    assert got[0] == got[1]


def test_unfold_windows_see_writes_to_the_base():
    got = []
    for m in (ember, torch):
        x = m.arange(6.)
        u = x.unfold(0, 3, 1)
        x[2] = 50.0
        got.append((u.tolist(), u._version, u._base is x, u.stride()))
    assert got[0] == got[1]
