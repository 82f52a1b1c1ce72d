"""addmv, addr, baddbmm, addbmm (and addmm_ and the in-place forms) against torch."""
import numpy as np
import pytest
import torch

import ember
from ember.autograd import gradcheck, gradgradcheck
from helpers import assert_same, assert_grads_same, both
from linalg.linalg_kit import leaf, same_error

# (op, input shape, operand shapes): input broadcasts to the product's shape
CASES = [
    ("addmv", (3,), [(3, 4), (4,)]), ("addmv", (1,), [(3, 4), (4,)]),
    ("addmv", (), [(3, 4), (4,)]), ("addmv", (0,), [(0, 4), (4,)]),
    ("addmv", (3,), [(3, 0), (0,)]),
    ("addr", (3, 4), [(3,), (4,)]), ("addr", (4,), [(3,), (4,)]), ("addr", (), [(3,), (4,)]),
    ("addr", (3, 1), [(3,), (4,)]), ("addr", (0, 4), [(0,), (4,)]),
    ("baddbmm", (2, 3, 5), [(2, 3, 4), (2, 4, 5)]), ("baddbmm", (3, 5), [(2, 3, 4), (2, 4, 5)]),
    ("baddbmm", (1, 1, 5), [(2, 3, 4), (2, 4, 5)]), ("baddbmm", (), [(2, 3, 4), (2, 4, 5)]),
    ("baddbmm", (0, 3, 5), [(0, 3, 4), (0, 4, 5)]),
    ("addbmm", (3, 5), [(2, 3, 4), (2, 4, 5)]), ("addbmm", (5,), [(2, 3, 4), (2, 4, 5)]),
    ("addbmm", (), [(2, 3, 4), (2, 4, 5)]), ("addbmm", (3, 5), [(0, 3, 4), (0, 4, 5)]),
]
SCALES = [dict(), dict(beta=0.5, alpha=-2), dict(beta=0, alpha=1.5)]


@pytest.mark.parametrize("op, ishape, shapes", CASES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("scales", SCALES)
def test_values_and_gradients_match_torch(op, ishape, shapes, dtype, scales):
    rng = np.random.default_rng(len(shapes[0]) + len(ishape))
    arrays = [rng.standard_normal(s).astype(dtype) for s in [ishape] + shapes]
    assert_grads_same(lambda m, i, a, b: getattr(m, op)(i, a, b, **scales), arrays,
                      rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("op, ishape, shapes", CASES[::3])
def test_grad_fn_names_match_torch(op, ishape, shapes):
    rng = np.random.default_rng(0)
    es = [leaf(rng.standard_normal(s)) for s in [ishape] + shapes]
    ts = [torch.tensor(e.detach().numpy(), requires_grad=True) for e in es]
    assert type(getattr(ember, op)(*es).grad_fn).__name__ == \
        type(getattr(torch, op)(*ts).grad_fn).__name__
    assert type(getattr(es[0], op)(*es[1:]).grad_fn).__name__ == \
        type(getattr(ts[0], op)(*ts[1:]).grad_fn).__name__


@pytest.mark.parametrize("op, ishape, shapes", CASES[::2])
def test_gradcheck(op, ishape, shapes):
    rng = np.random.default_rng(1)
    xs = [leaf(rng.standard_normal(s)) for s in [ishape] + shapes]
    fn = lambda i, a, b: getattr(ember, op)(i, a, b, beta=0.7, alpha=-1.3)   # noqa: E731
    assert gradcheck(fn, xs)
    assert gradgradcheck(fn, xs)


@pytest.mark.parametrize("op, ishape, shapes", [c for c in CASES if 0 not in c[1]][::2])
def test_integers_match_torch(op, ishape, shapes):
    rng = np.random.default_rng(2)
    arrays = [rng.integers(-5, 5, s) for s in [ishape] + shapes]
    es, ts = zip(*(both(a) for a in arrays))
    assert_same(getattr(ember, op)(*es, beta=2, alpha=3), getattr(torch, op)(*ts, beta=2,
                                                                              alpha=3))


def test_beta_zero_ignores_nan_as_torch():
    for m in (ember, torch):
        nan = m.full((2,), float("nan"))
        assert not m.addmv(nan, m.ones(2, 3), m.ones(3), beta=0).isnan().any()


def test_addr_promotes_and_takes_bools():
    a, ta = both(np.ones((3, 4), dtype=np.float64))
    v, tv = both(np.arange(3, dtype=np.float32))
    w, tw = both(np.arange(4))
    assert_same(ember.addr(a, v, w), torch.addr(ta, tv, tw))
    b, tb = both(np.array([True, False, True]))
    m, tm = both(np.zeros((3, 3), dtype=bool))
    assert_same(ember.addr(m, b, b), torch.addr(tm, tb, tb))
    assert_same(ember.addr(m, b, b, beta=False, alpha=True),
                torch.addr(tm, tb, tb, beta=False, alpha=True))


@pytest.mark.parametrize("op, ishape, shapes", [
    ("addmv", (3,), [(3, 4), (4,)]), ("addr", (3, 4), [(3,), (4,)]),
    ("baddbmm", (2, 3, 5), [(2, 3, 4), (2, 4, 5)]), ("addbmm", (3, 5), [(2, 3, 4), (2, 4, 5)]),
    ("addmm", (3, 5), [(3, 4), (4, 5)])])
def test_inplace_matches_torch(op, ishape, shapes):
    rng = np.random.default_rng(3)
    arrays = [rng.standard_normal(s) for s in [ishape] + shapes]
    es, ts = zip(*(both(a) for a in arrays))
    e_out = getattr(es[0], op + "_")(*es[1:], beta=0.5, alpha=2)
    t_out = getattr(ts[0], op + "_")(*ts[1:], beta=0.5, alpha=2)
    assert e_out is es[0]
    assert_same(es[0], ts[0])
    # through a graph: the in-place result carries the gradient of both operands
    xs = [leaf(a) for a in arrays]
    txs = [torch.tensor(a, requires_grad=True) for a in arrays]
    e_res = getattr(xs[0] * 1, op + "_")(*xs[1:], alpha=2)
    t_res = getattr(txs[0] * 1, op + "_")(*txs[1:], alpha=2)
    e_res.sum().backward()
    t_res.sum().backward()
    for e, t in zip(xs, txs):
        assert_same(e.grad, t.grad)


ERRORS = [
    lambda m: m.addmv(m.ones(3), m.ones(3, 4), m.ones(5)),
    lambda m: m.addmv(m.ones(2), m.ones(3, 4), m.ones(4)),
    lambda m: m.addmv(m.ones(3), m.ones(3, 4, 1), m.ones(4)),
    lambda m: m.addmv(m.ones(3), m.ones(3, 4), m.ones(4, dtype=m.float64)),
    lambda m: m.addmv(m.ones(3, dtype=m.float64), m.ones(3, 4), m.ones(4)),
    lambda m: m.addmv(m.ones(3, dtype=m.bool), m.ones(3, 4, dtype=m.bool),
                      m.ones(4, dtype=m.bool)),
    lambda m: m.addmv([1.], m.ones(3, 4), m.ones(4)),
    lambda m: m.addr(m.ones(3, 4), m.ones(3), m.ones(5)),
    lambda m: m.addr(m.ones(3, 4), m.ones(3, 1), m.ones(4)),
    lambda m: m.addr(m.ones(2, 4), m.ones(3), m.ones(4)),
    lambda m: m.addr(m.ones(3, 4, dtype=m.long), m.ones(3, dtype=m.long),
                     m.ones(4, dtype=m.long), alpha=0.5),
    lambda m: m.addr(m.ones(3, 4, dtype=m.long), m.ones(3, dtype=m.long),
                     m.ones(4, dtype=m.long), beta=True),
    lambda m: m.baddbmm(m.ones(2, 3, 5), m.ones(2, 3, 4), m.ones(3, 4, 5)),
    lambda m: m.baddbmm(m.ones(2, 3, 5), m.ones(2, 3, 4), m.ones(2, 3, 5)),
    lambda m: m.baddbmm(m.ones(2, 3, 5), m.ones(3, 4), m.ones(2, 4, 5)),
    lambda m: m.baddbmm(m.ones(2, 3, 5), m.ones(2, 3, 4), m.ones(2, 4, 5, dtype=m.float64)),
    lambda m: m.baddbmm(m.ones(2, 3, 5, dtype=m.float64), m.ones(2, 3, 4), m.ones(2, 4, 5)),
    lambda m: m.baddbmm(m.ones(4, 3, 5), m.ones(2, 3, 4), m.ones(2, 4, 5)),
    lambda m: m.baddbmm(m.ones(2, 3, 5, dtype=m.bool), m.ones(2, 3, 4, dtype=m.bool),
                        m.ones(2, 4, 5, dtype=m.bool)),
    lambda m: m.addbmm(m.ones(3, 5), m.ones(2, 3, 4), m.ones(3, 4, 5)),
    lambda m: m.addbmm(m.ones(3, 5), m.ones(2, 3, 4), m.ones(2, 3, 5)),
    lambda m: m.addbmm(m.ones(3, 5), m.ones(3, 4), m.ones(2, 4, 5)),
    lambda m: m.addbmm(m.ones(3, 5), m.ones(2, 3, 4), m.ones(2, 4, 5, dtype=m.float64)),
    lambda m: m.addbmm(m.ones(3, 5, dtype=m.float64), m.ones(2, 3, 4), m.ones(2, 4, 5)),
    lambda m: m.addbmm(m.ones(2, 5), m.ones(2, 3, 4), m.ones(2, 4, 5)),
    lambda m: m.ones(1).addmv_(m.ones(3, 4), m.ones(4)),
    lambda m: m.ones(1, 5).addmm_(m.ones(3, 4), m.ones(4, 5)),
    lambda m: m.ones(1, 5).addr_(m.ones(3), m.ones(5)),
    lambda m: m.ones(1, 3, 5).baddbmm_(m.ones(2, 3, 4), m.ones(2, 4, 5)),
    lambda m: m.ones(3, requires_grad=True).addmv_(m.ones(3, 4), m.ones(4)),
]


@pytest.mark.parametrize("fn", ERRORS)
def test_errors_match_torch(fn):
    same_error(fn)


def test_inplace_error_leaves_self_unchanged():
    x = ember.ones(1, 5)
    with pytest.raises(RuntimeError):
        x.addmm_(ember.ones(3, 4), ember.ones(4, 5))
    assert np.array_equal(x.numpy(), np.ones((1, 5), dtype=np.float32))
