"""kron, trace, block_diag, diag_embed, diagflat, vander, linalg.vander, adjoint vs torch."""
import numpy as np
import pytest
import torch

import ember
from ember.autograd import gradcheck, gradgradcheck
from helpers import assert_same, assert_grads_same, both
from linalg.linalg_kit import leaf, same_error


@pytest.mark.parametrize("sa, sb", [((2, 3), (4,)), ((2,), (3,)), ((), (4,)), ((2, 1, 3), (2, 2)),
                                    ((0, 2), (3, 1)), ((2, 2), ())])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_kron_matches_torch(sa, sb, dtype):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(sa).astype(dtype), rng.standard_normal(sb).astype(dtype)]
    assert_grads_same(lambda m, a, b: m.kron(a, b), arrays)


def test_kron_of_integers_and_bools_promotes_as_torch():
    a, ta = both(np.array([True, False]))
    b, tb = both(np.arange(4, dtype=np.int32).reshape(2, 2))
    assert_same(ember.kron(a, b), torch.kron(ta, tb))
    assert_same(ember.kron(a, a), torch.kron(ta, ta))
    assert_same(a.kron(b.double()), ta.kron(tb.double()))


@pytest.mark.parametrize("shape", [(3, 3), (2, 5), (5, 2), (0, 3), (1, 1)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_trace_matches_torch(shape, dtype):
    x = np.random.default_rng(1).standard_normal(shape).astype(dtype)
    assert_grads_same(lambda m, a: m.trace(a), [x], grad_out=np.array(1.5, dtype=dtype))
    e, t = leaf(x), torch.tensor(x, requires_grad=True)
    assert type(e.trace().grad_fn).__name__ == type(t.trace().grad_fn).__name__
    assert gradcheck(ember.trace, [leaf(x.astype("float64"))])


@pytest.mark.parametrize("dtype", ["int32", "uint8", "int64"])
def test_trace_of_integers_sums_in_int64(dtype):
    e, t = both(np.arange(12).reshape(3, 4).astype(dtype))
    assert_same(ember.trace(e), torch.trace(t))


@pytest.mark.parametrize("shapes", [[(2, 3), (4,), (), (2, 2)], [(1, 0), (0,), (3, 2)], [(3, 3)]])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_block_diag_matches_torch(shapes, dtype):
    rng = np.random.default_rng(2)
    arrays = [rng.standard_normal(s).astype(dtype) for s in shapes]
    if any(0 in s for s in shapes):
        # torch's backward misplaces the blocks after an empty one (its rows are skipped
        # when the gradient is cut up): compare the values here, gradcheck the gradient
        es, ts = zip(*(both(a) for a in arrays))
        assert_same(ember.block_diag(*es), torch.block_diag(*ts))
    else:
        assert_grads_same(lambda m, *xs: m.block_diag(*xs), arrays)
    assert gradcheck(ember.block_diag, [leaf(a.astype("float64")) for a in arrays])


def test_block_diag_promotes_and_takes_none():
    a, ta = both(np.ones((2, 2), dtype=np.int32))
    b, tb = both(np.array([True, False]))
    c, tc = both(np.ones(2, dtype=np.float64))
    assert_same(ember.block_diag(a, b), torch.block_diag(ta, tb))
    assert_same(ember.block_diag(a, c, b), torch.block_diag(ta, tc, tb))
    assert_same(ember.block_diag(), torch.block_diag())
    e, t = leaf(np.ones((2, 2))), torch.ones(2, 2, dtype=torch.float64, requires_grad=True)
    assert type(ember.block_diag(e).grad_fn).__name__ == type(torch.block_diag(t).grad_fn).__name__


@pytest.mark.parametrize("shape, offset, d1, d2", [
    ((3,), 0, -2, -1), ((2, 3), 1, 0, 2), ((2, 3), -2, 2, 0), ((2, 3, 4), 0, 1, 3),
    ((2, 0), 1, -1, -2)])
def test_diag_embed_matches_torch(shape, offset, d1, d2):
    x = np.random.default_rng(3).standard_normal(shape)
    assert_grads_same(lambda m, a: m.diag_embed(a, offset, d1, d2), [x])
    assert_grads_same(lambda m, a: a.diag_embed(offset=offset, dim1=d1, dim2=d2), [x])
    assert gradgradcheck(lambda a: ember.diag_embed(a, offset, d1, d2), [leaf(x)])
    e, t = leaf(x), torch.tensor(x, requires_grad=True)
    assert type(ember.diag_embed(e).grad_fn).__name__ == type(torch.diag_embed(t).grad_fn).__name__


@pytest.mark.parametrize("shape, offset", [((3,), 0), ((2, 3), -1), ((), 2), ((0,), 1)])
def test_diagflat_matches_torch(shape, offset):
    x = np.random.default_rng(4).standard_normal(shape).astype("float32")
    assert_grads_same(lambda m, a: m.diagflat(a, offset), [x])
    assert_grads_same(lambda m, a: a.diagflat(offset), [x])


@pytest.mark.parametrize("n, N, increasing", [(3, None, False), (4, 2, True), (3, 5, False),
                                              (3, 0, False), (0, None, True), (3, 1, True)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_vander_matches_torch(n, N, increasing, dtype):
    x = np.random.default_rng(5).standard_normal(n).astype(dtype)
    x[:1] = 0                   # (a zero keeps a finite gradient)
    e, t = both(x)
    assert_same(ember.vander(e, N, increasing), torch.vander(t, N, increasing))
    # torch's own backward fails here (it writes into a tensor saved for backward)
    if n and (N is None or N > 1):
        assert gradcheck(lambda a: ember.vander(a, N, increasing), [leaf(x.astype("float64"))])


@pytest.mark.parametrize("shape, N", [((3,), None), ((2, 3), 4), ((2, 0), 2), ((4,), 2)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_linalg_vander_matches_torch(shape, N, dtype):
    x = np.random.default_rng(6).standard_normal(shape).astype(dtype)
    assert_grads_same(lambda m, a: m.linalg.vander(a, N=N), [x])
    assert gradcheck(lambda a: ember.linalg.vander(a, N=N), [leaf(x.astype("float64"))])


def test_vander_of_integers_and_bools_as_torch():
    for arr in (np.arange(3, dtype=np.int32), np.array([True, False, True])):
        e, t = both(arr)
        assert_same(ember.vander(e), torch.vander(t))
        assert_same(ember.vander(e, N=4, increasing=True), torch.vander(t, N=4, increasing=True))
        if e.dtype is not ember.bool:
            assert_same(ember.linalg.vander(e), torch.linalg.vander(t))


def test_adjoint_is_the_transposed_view():
    x = np.random.default_rng(7).standard_normal((2, 3, 4))
    assert_grads_same(lambda m, a: m.adjoint(a), [x])
    assert_grads_same(lambda m, a: a.adjoint(), [x])
    e = ember.tensor(x)
    assert e.adjoint()._base is e


ERRORS = [
    lambda m: m.trace(m.ones(3)),
    lambda m: m.trace(m.ones(2, 2, dtype=m.bool)),
    lambda m: m.trace(m.ones(2, 2, 2)),
    lambda m: m.block_diag(m.ones(2, 3, 1)),
    lambda m: m.diag_embed(m.ones(2, 3), 1, 0, 0),
    lambda m: m.diag_embed(m.ones(2, 3), 1, 0, 4),
    lambda m: m.diag_embed(m.ones(())),
    lambda m: m.linalg.vander(m.ones(3, dtype=m.bool)),
    lambda m: m.vander(m.ones(3, 2)),
    lambda m: m.vander(m.ones(())),
    lambda m: m.vander(m.ones(3), N=-1),
    lambda m: m.linalg.vander(m.ones(3), N=1),
    lambda m: m.linalg.vander(m.ones(3), N=0),
    lambda m: m.linalg.vander(m.ones(())),
    lambda m: m.adjoint(m.ones(3)),
    lambda m: m.ones(3).adjoint(),
    lambda m: m.kron([1], m.ones(2)),
]


@pytest.mark.parametrize("fn", ERRORS)
def test_errors_match_torch(fn):
    same_error(fn)
