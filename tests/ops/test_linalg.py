"""The matmul family and einsum against torch: every shape combination torch
accepts, values / dtypes / grad_fn names / gradients, second order, gradcheck,
and torch's errors for mismatched shapes and dtypes."""
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import ember
from ember.autograd import gradcheck, gradgradcheck
from helpers import assert_same
from helpers import outcome_in as outcome

rng = np.random.default_rng(7)


def same(fn, rtol=1e-5, atol=1e-6):
    e, t = outcome(ember, fn), outcome(torch, fn)
    if t[0] == "error" or e[0] == "error":
        assert e == t
        return
    assert_same(e[1], t[1], rtol=rtol, atol=atol)


MATMUL_SHAPES = [
    ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)), ((5, 2, 3), (3,)),
    ((3,), (5, 3, 4)), ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)), ((5, 2, 3), (5, 3, 4)),
    ((1, 2, 3), (5, 3, 4)), ((5, 2, 3), (1, 3, 4)), ((1, 2, 3), (1, 3, 4)),
    ((4, 1, 2, 3), (5, 3, 4)), ((4, 5, 2, 3), (5, 3, 4)), ((1, 1, 2, 3), (3, 4)),
    ((2, 3), (1, 3, 4)), ((1, 2, 3), (3,)), ((3,), (1, 3, 4)), ((2, 1, 2, 3), (1, 5, 3, 4)),
    ((5, 1, 3), (5, 3, 1)), ((0, 3), (3, 2)), ((2, 0), (0, 3)), ((3, 0, 2), (2, 4)),
    ((0,), (0,)), ((2, 3, 0), (0,)),
]


def run_matmul(m, a, b, ra, rb, dtype):
    x = m.tensor(a, dtype=getattr(m, dtype), requires_grad=ra)
    y = m.tensor(b, dtype=getattr(m, dtype), requires_grad=rb)
    z = x @ y
    out = [z, m.matmul(x, y)]
    name = z.grad_fn.name() if z.grad_fn is not None else None
    if ra or rb:
        g = m.tensor(np.linspace(-1, 1, z.numel()).reshape(tuple(z.shape)),
                     dtype=getattr(m, dtype))
        z.backward(g)
        out += [x.grad if ra else m.zeros(1), y.grad if rb else m.zeros(1)]
    return out, name


@pytest.mark.parametrize("sa,sb", MATMUL_SHAPES, ids=str)
@pytest.mark.parametrize("ra,rb", [(True, True), (True, False), (False, True)])
def test_matmul_values_grads_and_grad_fn_like_torch(sa, sb, ra, rb):
    a, b = rng.standard_normal(sa), rng.standard_normal(sb)
    (e, en), (t, tn) = run_matmul(ember, a, b, ra, rb, "float64"), \
        run_matmul(torch, a, b, ra, rb, "float64")
    assert en == tn
    assert_same(e, t, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("dtype", ["float32", "float16", "int64", "int32", "uint8", "int8"])
def test_matmul_dtypes(dtype):
    for sa, sb in [((2, 3), (3, 4)), ((3,), (3,)), ((4, 2, 3), (3,)), ((2, 3), (4, 3, 2))]:
        a = rng.integers(0, 4, sa)
        b = rng.integers(0, 4, sb)
        same(lambda m: m.tensor(a, dtype=getattr(m, dtype)) @ m.tensor(b, dtype=getattr(m, dtype)),
             rtol=1e-3 if dtype == "float16" else 1e-6)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2), st.integers(0, 2), st.lists(st.integers(1, 3), min_size=0, max_size=2),
       st.lists(st.integers(1, 3), min_size=0, max_size=2), st.integers(1, 4), st.integers(1, 4),
       st.integers(1, 4), st.data())
def test_matmul_broadcasting_generated(kind_a, kind_b, batch_a, batch_b, n, k, p, data):
    # kind: 0 vector, 1 matrix, 2 batched matrix (batch dims may be 1 to broadcast)
    def shape(kind, batch, rows, cols, left):
        if kind == 0:
            return (cols,) if left else (rows,)
        if kind == 1:
            return (rows, cols)
        return tuple(batch) + (rows, cols)
    sa = shape(kind_a, batch_a, n, k, True)
    sb = shape(kind_b, [data.draw(st.sampled_from([1, d])) for d in batch_b], k, p, False)
    a, b = rng.standard_normal(sa), rng.standard_normal(sb)
    ra, rb = data.draw(st.sampled_from([(True, True), (True, False), (False, True)]))

    def run(m):
        return run_matmul(m, a, b, ra, rb, "float64")
    e, t = outcome(ember, run), outcome(torch, run)
    if t[0] == "error":
        assert e == t
    else:
        assert e[1][1] == t[1][1]
        assert_same(e[1][0], t[1][0], rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("sa,sb", [s for s in MATMUL_SHAPES if 0 not in s[0] + s[1]][:16],
                         ids=str)
def test_matmul_gradcheck_and_second_order(sa, sb):
    a = ember.tensor(rng.standard_normal(sa), requires_grad=True)
    b = ember.tensor(rng.standard_normal(sb), requires_grad=True)
    assert gradcheck(lambda x, y: x @ y, (a, b))
    assert gradgradcheck(lambda x, y: x @ y, (a, b))

    def second(m):
        x = m.tensor(a.detach().numpy(), requires_grad=True)
        y = m.tensor(b.detach().numpy(), requires_grad=True)
        gx, gy = m.autograd.grad(((x @ y) ** 2).sum(), (x, y), create_graph=True)
        return m.autograd.grad((gx ** 2).sum() + (gy ** 3).sum(), (x, y))
    same(second, rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("fn", [
    lambda m, a, b: m.mm(a, b), lambda m, a, b: m.mv(a, b[:, 0]),
    lambda m, a, b: m.dot(a[0], b[:, 0]), lambda m, a, b: m.bmm(a[None], b[None]),
    lambda m, a, b: m.outer(a[0], b[0]), lambda m, a, b: m.inner(a, b.t()),
    lambda m, a, b: m.vdot(a[0], b[:, 0]), lambda m, a, b: m.einsum("ij,jk->ik", a, b),
    lambda m, a, b: m.tensordot(a, b, dims=1), lambda m, a, b: a.matmul(b),
    lambda m, a, b: a.mm(b), lambda m, a, b: m.addmm(b[:, :2].t() @ b[:, :2] * 0 + 1, a, b[:, :2],
                                                     beta=0.5, alpha=2.0),
], ids=["mm", "mv", "dot", "bmm", "outer", "inner", "vdot", "einsum", "tensordot", "method",
        "mm method", "addmm"])
def test_named_products_values_grads_and_names(fn):
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((3, 4))

    def run(m):
        x = m.tensor(a, requires_grad=True)
        y = m.tensor(b, requires_grad=True)
        z = fn(m, x, y)
        z.backward(m.ones(z.shape, dtype=z.dtype))
        return z, x.grad, y.grad, z.grad_fn.name()
    e, t = run(ember), run(torch)
    assert e[3] == t[3]
    assert_same(list(e[:3]), list(t[:3]), rtol=1e-10, atol=1e-12)
    assert gradcheck(lambda x, y: fn(ember, x, y),
                     (ember.tensor(a, requires_grad=True), ember.tensor(b, requires_grad=True)))


ERRORS = {
    "mm shapes": lambda m: m.mm(m.ones(2, 3), m.ones(4, 5)),
    "mm dtype": lambda m: m.mm(m.ones(2, 3, dtype=m.float64), m.ones(3, 5)),
    "mm long": lambda m: m.mm(m.ones(2, 3, dtype=m.int64), m.ones(3, 5)),
    "mm bool": lambda m: m.mm(m.ones(2, 3, dtype=m.bool), m.ones(3, 5, dtype=m.bool)),
    "mm 1d": lambda m: m.mm(m.ones(3), m.ones(3, 5)),
    "mm 1d second": lambda m: m.mm(m.ones(2, 3), m.ones(3)),
    "mm not tensor": lambda m: m.mm(m.ones(2, 3), 3),
    "mv shapes": lambda m: m.mv(m.ones(2, 3), m.ones(4)),
    "mv dtype": lambda m: m.mv(m.ones(2, 3), m.ones(3, dtype=m.float64)),
    "mv dtype other": lambda m: m.mv(m.ones(2, 3, dtype=m.float64), m.ones(3)),
    "mv bool": lambda m: m.mv(m.ones(2, 3, dtype=m.bool), m.ones(3, dtype=m.bool)),
    "mv dims": lambda m: m.mv(m.ones(2, 3), m.ones(3, 1)),
    "dot shapes": lambda m: m.dot(m.ones(3), m.ones(4)),
    "dot dtype": lambda m: m.dot(m.ones(3), m.ones(4, dtype=m.float64)),
    "dot 2d": lambda m: m.dot(m.ones(3), m.ones(3, 1)),
    "dot bool": lambda m: m.dot(m.ones(3, dtype=m.bool), m.ones(3, dtype=m.bool)),
    "vdot 2d": lambda m: m.vdot(m.ones(2, 3), m.ones(4)),
    "vdot shapes": lambda m: m.vdot(m.ones(3), m.ones(4)),
    "bmm shapes": lambda m: m.bmm(m.ones(2, 2, 3), m.ones(3, 3, 2)),
    "bmm inner": lambda m: m.bmm(m.ones(2, 2, 3), m.ones(2, 4, 2)),
    "bmm dtype": lambda m: m.bmm(m.ones(2, 2, 3), m.ones(2, 3, 2, dtype=m.float64)),
    "bmm 2d": lambda m: m.bmm(m.ones(2, 3), m.ones(2, 3, 2)),
    "bmm 2d second": lambda m: m.bmm(m.ones(2, 2, 3), m.ones(3, 2)),
    "bmm bool": lambda m: m.bmm(m.ones(2, 2, 3, dtype=m.bool), m.ones(2, 3, 2, dtype=m.bool)),
    "@ 2d": lambda m: m.ones(2, 3) @ m.ones(4, 5),
    "@ 1d": lambda m: m.ones(3) @ m.ones(4),
    "@ mv": lambda m: m.ones(2, 3) @ m.ones(4),
    "@ vm": lambda m: m.ones(3) @ m.ones(4, 5),
    "@ batched": lambda m: m.ones(2, 2, 3) @ m.ones(2, 4, 5),
    "@ batch broadcast": lambda m: m.ones(2, 2, 3) @ m.ones(3, 3, 5),
    "@ 3d 1d": lambda m: m.ones(2, 2, 3) @ m.ones(4),
    "@ 1d 3d": lambda m: m.ones(4) @ m.ones(2, 3, 5),
    "@ folded": lambda m: m.ones(5, 2, 3) @ m.ones(4, 2),
    "@ folded grad": lambda m: m.ones(2, 3, requires_grad=True) @ m.ones(5, 4, 2),
    "@ transposed": lambda m: m.ones(5, 2, 3).mT @ m.ones(4, 2),
    "@ 0d": lambda m: m.ones(()) @ m.ones(3),
    "@ dtype": lambda m: m.ones(2, 3) @ m.ones(3, 2, dtype=m.float64),
    "@ dtype int": lambda m: m.ones(2, 3) @ m.ones(3, 2, dtype=m.int64),
    "@ dtype mv": lambda m: m.ones(2, 3) @ m.ones(3, dtype=m.float64),
    "@ dtype 1d": lambda m: m.ones(3) @ m.ones(3, dtype=m.float64),
    "@ dtype batched": lambda m: m.ones(2, 2, 3) @ m.ones(2, 3, 2, dtype=m.float64),
    "@ dtype folded": lambda m: m.ones(5, 2, 3) @ m.ones(3, 2, dtype=m.float64),
    "@ bool": lambda m: m.ones(2, 3, dtype=m.bool) @ m.ones(3, 2, dtype=m.bool),
    "@ bool batched": lambda m: m.ones(5, 2, 3, dtype=m.bool) @ m.ones(5, 3, 2, dtype=m.bool),
    "@ scalar": lambda m: m.ones(2) @ 3,
    "matmul not tensor": lambda m: m.matmul(m.ones(2), [1, 2]),
    "outer 2d": lambda m: m.outer(m.ones(2, 2), m.ones(3)),
    "outer 0d": lambda m: m.outer(m.ones(2), m.tensor(3.0)),
    "inner last dims": lambda m: m.inner(m.ones(2, 3), m.ones(4, 2)),
    "out grad": lambda m: m.matmul(m.ones(2, 3, requires_grad=True), m.ones(3, 2),
                                   out=m.ones(2, 2)),
    "out dtype": lambda m: m.matmul(m.ones(2, 3), m.ones(3, 2), out=m.ones(2, 2, dtype=m.float64)),
}


@pytest.mark.parametrize("case", ERRORS)
def test_errors_like_torch(case):
    same(ERRORS[case])


def test_failed_products_leave_inputs_unchanged():
    a, b = ember.ones(2, 3, requires_grad=True), ember.ones(4, 5)
    with pytest.raises(RuntimeError):
        a @ b
    assert a.grad is None and a.tolist() == [[1.0] * 3] * 2 and a.is_leaf


def test_matmul_out_and_operators():
    def run(m):
        o = m.zeros(2, 2)
        r = m.matmul(m.ones(2, 3), m.ones(3, 2), out=o)
        return r, o, r is o
    e, t = run(ember), run(torch)
    assert e[2] and t[2]
    assert_same(list(e[:2]), list(t[:2]))
    same(lambda m: m.ones(2, 3, dtype=m.float64) @ np.ones((3, 2)))
    same(lambda m: np.ones((2, 3)) @ m.ones(3, 2, dtype=m.float64))
    same(lambda m: m.outer(m.tensor([1.0, 2.0]), m.tensor([1, 2, 3])))
    same(lambda m: m.outer(m.tensor([1, 2]), m.tensor([1.0, 2.0], dtype=m.float64)))
    same(lambda m: m.inner(m.ones(3), m.tensor(2.0)))
    same(lambda m: m.inner(m.ones(3), m.ones(4, 3)))


EINSUMS = [
    ("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,jk", [(2, 3), (3, 4)]), ("ij->ji", [(2, 3)]),
    ("ij", [(2, 3)]), ("ji", [(2, 3)]), ("ij->", [(2, 3)]), ("ij->j", [(2, 3)]),
    ("ii->i", [(3, 3)]), ("ii", [(3, 3)]), ("i,i", [(3,), (3,)]), ("i,i->i", [(3,), (3,)]),
    ("i,j->ij", [(2,), (3,)]), ("bij,bjk->bik", [(5, 2, 3), (5, 3, 4)]),
    ("ij,ij->i", [(2, 3), (2, 3)]), ("ij,kj->ik", [(2, 3), (4, 3)]),
    ("...ij,...jk", [(5, 2, 3), (5, 3, 4)]), ("i,i,i", [(3,), (3,), (3,)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]), ("bi,bi->b", [(4, 3), (4, 3)]),
    ("Ba,ab", [(2, 3), (3, 4)]), ("...ij->...ji", [(2, 3, 4)]), ("i...->...", [(2, 3, 4)]),
    ("...i,i...", [(2, 3), (3, 2)]), ("ab...", [(2, 3, 4, 5)]), ("...ba", [(2, 3, 4, 5)]),
    ("ij...,jk...", [(2, 3, 5), (3, 4, 1)]), ("ij,ij->ij", [(1, 3), (2, 1)]),
    ("ij,ij", [(1, 3), (2, 3)]), ("iij->j", [(3, 3, 2)]), ("ii,i->i", [(3, 3), (3,)]),
    ("ijk,ikj->i", [(2, 3, 3), (2, 3, 3)]), (" i j , j k -> i k ", [(2, 3), (3, 2)]),
]


@pytest.mark.parametrize("eq,shapes", EINSUMS, ids=[e for e, _ in EINSUMS])
def test_einsum_values_grads_and_names(eq, shapes):
    arrays = [rng.standard_normal(s) for s in shapes]

    def run(m):
        ops = [m.tensor(a, requires_grad=True) for a in arrays]
        z = m.einsum(eq, *ops)
        z.backward(m.tensor(np.linspace(-1, 2, z.numel()).reshape(tuple(z.shape))))
        return [z] + [o.grad for o in ops], z.grad_fn.name()
    (e, en), (t, tn) = run(ember), run(torch)
    assert en == tn
    assert_same(e, t, rtol=1e-10, atol=1e-12)
    ops = [ember.tensor(a, requires_grad=True) for a in arrays]
    assert gradcheck(lambda *x: ember.einsum(eq, *x), ops)
    assert gradgradcheck(lambda *x: ember.einsum(eq, *x), ops)


def test_einsum_argument_forms_and_dtypes():
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((3, 2))
    same(lambda m: m.einsum("ij,jk", [m.tensor(a), m.tensor(b)]))
    same(lambda m: m.einsum(m.tensor(a), [0, 1], m.tensor(b), [1, 2], [0, 2]))
    same(lambda m: m.einsum(m.tensor(a), [0, 1], m.tensor(b), [1, 2]))
    same(lambda m: m.einsum("i,i", m.tensor([1, 2, 3], dtype=m.int32),
                            m.tensor([1, 2, 3], dtype=m.int32)))
    same(lambda m: m.einsum("i->", m.tensor([1, 2, 3], dtype=m.int32)))
    same(lambda m: m.einsum("i->", m.ones(3, dtype=m.bool)))
    same(lambda m: m.einsum("ij,jk", m.ones(2, 3, dtype=m.float16), m.ones(3, 4, dtype=m.float16)))


EINSUM_ERRORS = {
    "dtype": lambda m: m.einsum("ij,jk", m.ones(2, 3), m.ones(3, 2, dtype=m.float64)),
    "dtype int": lambda m: m.einsum("ij,jk", m.ones(2, 3, dtype=m.int64), m.ones(3, 2)),
    "sizes": lambda m: m.einsum("ij,jk", m.ones(2, 3), m.ones(4, 2)),
    "fewer": lambda m: m.einsum("ij,jk", m.ones(2, 3)),
    "more": lambda m: m.einsum("ij", m.ones(2, 3), m.ones(2)),
    "dims": lambda m: m.einsum("ijk", m.ones(2, 3)),
    "dims ellipsis": lambda m: m.einsum("ijklm...", m.ones(2, 3, 4, 5)),
    "dot": lambda m: m.einsum("i.j", m.ones(2, 3)),
    "out missing": lambda m: m.einsum("i->j", m.ones(2)),
    "out twice": lambda m: m.einsum("i->ii", m.ones(2)),
    "diag sizes": lambda m: m.einsum("ii", m.ones(2, 3)),
    "bad letter": lambda m: m.einsum("i1", m.ones(2, 3)),
    "not tensor": lambda m: m.einsum("ij,jk", m.ones(2, 3), [1]),
    "bool contraction": lambda m: m.einsum("i,i", m.ones(3, dtype=m.bool),
                                           m.ones(3, dtype=m.bool)),
}


@pytest.mark.parametrize("case", EINSUM_ERRORS)
def test_einsum_errors_like_torch(case):
    same(EINSUM_ERRORS[case])


def test_tensordot_dims_forms():
    a, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((3, 4, 5))
    same(lambda m: m.tensordot(m.tensor(a), m.tensor(b), dims=2))
    same(lambda m: m.tensordot(m.tensor(a), m.tensor(b), dims=([1, 2], [0, 1])))
    same(lambda m: m.tensordot(m.tensor(a), m.tensor(b), dims=0).shape)
    same(lambda m: m.tensordot(m.tensor(a), m.tensor(b), dims=([1], [1])))


_ROUTE_SHAPES = [(1, 1, 1, 1), (2, 1, 1), (1, 2, 3), (4, 1, 3, 5), (1, 1, 2, 3), (4, 3, 5),
                 (1, 3, 5), (3, 1, 2, 3), (2, 2, 3), (5, 3), (3,), (1, 1, 3, 5)]


@pytest.mark.parametrize("shape_b", _ROUTE_SHAPES, ids=str)
@pytest.mark.parametrize("shape_a", _ROUTE_SHAPES, ids=str)
def test_matmul_grad_fn_names_and_errors_follow_torchs_route(shape_a, shape_b):
    # which of dot/mv/mm/bmm (folded, transposed, batch-1 squeezed) torch takes shows in
    # the grad_fn's name; a batch-1 operand that needs a gradient changes the route
    for needs in [(True, False), (False, True), (True, True)]:
        seen = []
        for m in (ember, torch):
            a = m.ones(*shape_a, requires_grad=needs[0])
            b = m.ones(*shape_b, requires_grad=needs[1])
            try:
                r = a @ b
                seen.append((type(r.grad_fn).__name__, tuple(r.shape)))
            except RuntimeError as e:
                seen.append(("error", str(e)))
        assert seen[0] == seen[1], (needs, seen)


@pytest.mark.parametrize("layout", ["plain", "mat1.t()", "mat2.t()", "both.t()"])
@pytest.mark.parametrize("scales", [(1, 1), (0.5, 2.0)])
def test_addmm_gradients_for_every_operand_layout_match_torch(layout, scales):
    def run(m):
        g = np.random.default_rng(3)
        bias = m.tensor(g.standard_normal(4), requires_grad=True)
        a, b = g.standard_normal((3, 5)), g.standard_normal((5, 4))
        # a column-major operand: the transpose of a C-ordered tensor (as w.t() is)
        mat1 = (m.tensor(a.T.copy()).t() if layout in ("mat1.t()", "both.t()")
                else m.tensor(a)).requires_grad_()
        mat2 = (m.tensor(b.T.copy()).t() if layout in ("mat2.t()", "both.t()")
                else m.tensor(b)).requires_grad_()
        out = m.addmm(bias, mat1, mat2, beta=scales[0], alpha=scales[1])
        (out * m.arange(12.0, dtype=out.dtype).reshape(3, 4)).sum().backward()
        return (out, bias.grad, mat1.grad, mat2.grad, mat1.stride(), mat2.stride(),
                mat1.grad.stride(), mat2.grad.stride())
    e, t = run(ember), run(torch)
    for x, y in zip(e[:4], t[:4]):
        assert_same(x, y, rtol=1e-12, atol=1e-12)
    assert e[4:] == t[4:]


@pytest.mark.parametrize("alpha,beta", [(1, 0.5), (0.5, 1), (1.7, 2.9), (-1.7, True), (2, 0)])
@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8"])
def test_addmm_of_integers_truncates_the_scales_first_as_torch(alpha, beta, dtype):
    # (and refuses one out of the dtype's range: uint8 with alpha=-1)
    c, a, b = (np.arange(n, n + 4, dtype=dtype).reshape(2, 2) for n in (1, 2, 3))

    def call(m):
        return m.addmm(m.tensor(c), m.tensor(a), m.tensor(b), alpha=alpha, beta=beta)
    try:
        want = call(torch)
    except RuntimeError as err:
        with pytest.raises(RuntimeError, match=f"^{err}$"):
            call(ember)
        return
    assert_same(call(ember), want)


@pytest.mark.parametrize("shape", [(3, 4), (3, 1), (2, 3), (1, 3), (5, 2, 4), (1, 1, 1), (0,)])
def test_addmm_input_that_does_not_expand_raises_torchs_message(shape):
    def call(m):
        return m.addmm(m.ones(shape), m.ones(2, 3), m.ones(3, 4))
    with pytest.raises(RuntimeError) as t_err:
        call(torch)
    with pytest.raises(RuntimeError) as e_err:
        call(ember)
    assert str(e_err.value) == str(t_err.value)


INF_PRODUCTS = {
    "matmul": lambda m, x: x @ x, "mm": lambda m, x: m.mm(x, x),
    "matmul_t": lambda m, x: m.matmul(x, x.t()), "mv": lambda m, x: m.mv(x, x[0]),
    "bmm": lambda m, x: m.bmm(x[None], x[None]), "addmm": lambda m, x: m.addmm(x, x, x, beta=2),
    "linear": lambda m, x: m.nn.functional.linear(x, x, x[0]),
    "batched": lambda m, x: m.matmul(m.stack([x, x]), x), "half": lambda m, x: x.half() @ x.half(),
    "matrix_power": lambda m, x: m.linalg.matrix_power(x, 2),
}


@pytest.mark.parametrize("name", list(INF_PRODUCTS))
@pytest.mark.parametrize("value", [np.inf, -np.inf, np.nan])
@pytest.mark.parametrize("grad", [False, True])
def test_products_of_non_finite_values_are_silent_as_in_torch(name, value, grad):
    # BLAS sets the invalid flag for an inf operand; NumPy's warning must not escape
    x = np.array([[value, 1.0], [1.0, 2.0]], dtype=np.float32)

    def call(m):
        t = m.tensor(x, requires_grad=grad and name != "half")
        out = INF_PRODUCTS[name](m, t)
        if out.requires_grad:
            out.sum().backward()
            return out, t.grad
        return out
    want = call(torch)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        got = call(ember)
    assert_same(got, want, rtol=1e-3)
