"""torch's pre-linalg names: cholesky, qr, triangular_solve, cholesky_solve,
cholesky_inverse, torch.cross (dim=None), chain_matmul, dist, and the removed ones."""
import warnings

import numpy as np
import pytest
import torch

import ember
from ember.autograd import gradcheck
from helpers import assert_same, assert_grads_same, both
from linalg.linalg_kit import leaf, same_error, spd, well_conditioned


def quiet(fn):
    def run(*args):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(*args)
    return run


@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (0, 0)])
def test_cholesky_matches_torch_and_warns(upper, shape):
    a = spd(np.random.default_rng(0), shape)
    assert_grads_same(quiet(lambda m, x: m.cholesky(x, upper=upper)), [a], rtol=1e-6,
                      atol=1e-8)
    e, t = both(a)
    with pytest.warns(UserWarning, match="torch.cholesky is deprecated in favor of"):
        ember.cholesky(e)
    assert_same(quiet(lambda x: x.cholesky(upper))(e), t.cholesky(upper))


@pytest.mark.parametrize("some", [True, False])
@pytest.mark.parametrize("shape", [(4, 3), (3, 4), (2, 3, 3)])
def test_qr_matches_torch(some, shape):
    a = well_conditioned(np.random.default_rng(1), shape)
    e, t = both(a)
    with pytest.warns(UserWarning, match="torch.qr is deprecated"):
        eq = ember.qr(e, some)
    tq = quiet(torch.qr)(t, some)
    assert_same(tuple(eq), tuple(tq), rtol=1e-6, atol=1e-8)
    assert type(eq).__name__ == "qr" and eq.Q is eq[0]
    assert_same(tuple(quiet(e.qr)(some)), tuple(quiet(t.qr)(some)), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("upper, transpose, unit", [(True, False, False), (False, True, False),
                                                    (True, True, True), (False, False, True)])
@pytest.mark.parametrize("bshape, ashape", [((3, 2), (3, 3)), ((2, 3, 2), (3, 3)),
                                            ((3, 2), (2, 3, 3)), ((4, 3, 1), (1, 3, 3))])
def test_triangular_solve_matches_torch(upper, transpose, unit, bshape, ashape):
    rng = np.random.default_rng(2)
    b = rng.standard_normal(bshape)
    a = well_conditioned(rng, ashape) + 2 * np.eye(ashape[-1])
    fn = quiet(lambda m, x, y: m.triangular_solve(x, y, upper, transpose, unit))
    eo, to = fn(ember, *both(b)[:1], *both(a)[:1]), fn(torch, torch.tensor(b), torch.tensor(a))
    assert_same(tuple(eo), tuple(to), rtol=1e-6, atol=1e-8)
    assert type(eo).__name__ == "triangular_solve" and eo.solution is eo[0]
    assert_grads_same(lambda m, x, y: fn(m, x, y).solution, [b, a], rtol=1e-6, atol=1e-8)
    assert gradcheck(lambda x, y: fn(ember, x, y).solution, [leaf(b), leaf(a)])


@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("bshape, ashape", [((3, 2), (3, 3)), ((2, 3, 2), (3, 3)),
                                            ((3, 1), (2, 3, 3))])
def test_cholesky_solve_and_inverse_match_torch(upper, bshape, ashape):
    rng = np.random.default_rng(3)
    b = rng.standard_normal(bshape)
    L = np.linalg.cholesky(spd(rng, ashape))
    L = np.swapaxes(L, -1, -2) if upper else L
    assert_grads_same(lambda m, x, y: m.cholesky_solve(x, y, upper), [b, L], rtol=1e-6,
                      atol=1e-8)
    assert_grads_same(lambda m, y: m.cholesky_inverse(y, upper), [L], rtol=1e-6, atol=1e-8)
    assert_grads_same(lambda m, x, y: x.cholesky_solve(y, upper), [b, L], rtol=1e-6, atol=1e-8)
    assert_grads_same(lambda m, y: y.cholesky_inverse(upper), [L], rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("sa, sb, dim", [((3,), (3,), None), ((3, 2), (3, 2), None),
                                         ((2, 3), (1, 3), None), ((2, 3, 3), (2, 3, 3), -1),
                                         ((4, 3), (4, 3), 1)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cross_matches_torch(sa, sb, dim, dtype):
    rng = np.random.default_rng(4)
    arrays = [rng.standard_normal(sa).astype(dtype), rng.standard_normal(sb).astype(dtype)]
    assert_grads_same(quiet(lambda m, a, b: m.cross(a, b, dim)), arrays)
    assert_grads_same(quiet(lambda m, a, b: a.cross(b, dim)), arrays)
    e, t = both(np.arange(6).reshape(2, 3))
    assert_same(quiet(ember.cross)(e, e.flip(0)), quiet(torch.cross)(t, t.flip(0)))


def test_cross_warns_only_without_dim():
    a = ember.ones(3, 3)
    with pytest.warns(UserWarning, match="Using torch.cross without specifying the dim arg"):
        ember.cross(a, a)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ember.cross(a, a, dim=0)


@pytest.mark.parametrize("shapes", [[(2, 3)], [(2, 3), (3, 4)], [(2, 3), (3, 4), (4, 2)]])
def test_chain_matmul_matches_torch(shapes):
    rng = np.random.default_rng(5)
    arrays = [rng.standard_normal(s) for s in shapes]
    assert_grads_same(quiet(lambda m, *xs: m.chain_matmul(*xs)), arrays)
    with pytest.warns(UserWarning, match="torch.chain_matmul is deprecated"):
        ember.chain_matmul(*[ember.tensor(a) for a in arrays])


@pytest.mark.parametrize("sa, sb", [((2, 3), (3,)), ((), ()), ((0,), (0,)), ((4,), (1,))])
@pytest.mark.parametrize("p", [2, 1, 3, float("inf"), 0])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dist_matches_torch(sa, sb, p, dtype):
    rng = np.random.default_rng(6)
    arrays = [rng.standard_normal(sa).astype(dtype), rng.standard_normal(sb).astype(dtype)]
    if p == float("inf") and 0 in sa:
        quiet(same_error)(lambda m, a, b: m.dist(a, b, p), *arrays)   # (no identity for max)
        return
    if p == 0:                  # (a count: torch's gradient is 0)
        (e1, t1), (e2, t2) = both(arrays[0]), both(arrays[1])
        assert_same(ember.dist(e1, e2, p), torch.dist(t1, t2, p))
        return
    assert_grads_same(lambda m, a, b: m.dist(a, b, p), arrays, rtol=1e-5, atol=1e-5)
    assert_grads_same(lambda m, a, b: a.dist(b, p), arrays, rtol=1e-5, atol=1e-5)


def test_dist_promotes_as_torch():
    e, t = both(np.arange(3))
    f, u = both(np.ones(3, dtype=np.float64))
    assert_same(ember.dist(e, f), torch.dist(t, u))


@pytest.mark.parametrize("name, args", [("matrix_rank", 1), ("solve", 2), ("lstsq", 2),
                                        ("symeig", 1), ("eig", 1)])
def test_removed_functions_raise_torchs_error(name, args):
    same_error(lambda m: getattr(m, name)(*[m.eye(2)] * args))


ERRORS = [
    lambda m: m.cholesky(m.ones(2, 3)),
    lambda m: m.cholesky(m.zeros(3, 3)),
    lambda m: m.cholesky(m.ones(3, 3, dtype=m.long)),
    lambda m: m.cholesky_solve(m.ones(2, 3), m.ones(3, 3)),
    lambda m: m.cholesky_solve(m.ones(3, 2), m.ones(3, 3, dtype=m.float64)),
    lambda m: m.cholesky_solve(m.ones(2, 3, 2), m.ones(4, 3, 3)),
    lambda m: m.cholesky_solve(m.ones(3), m.ones(3, 3)),
    lambda m: m.cholesky_inverse(m.ones(2, 3)),
    lambda m: m.cholesky_inverse(m.ones(3)),
    lambda m: m.cholesky_inverse(m.ones(3, 3, dtype=m.long)),
    lambda m: m.triangular_solve(m.ones(4, 2, 2), m.ones(1, 3, 3)),
    lambda m: m.triangular_solve(m.ones(3, 2), m.ones(3, 3, dtype=m.float64)),
    lambda m: m.triangular_solve(m.ones(3), m.ones(3, 3)),
    lambda m: m.triangular_solve(m.ones(3, 2), m.ones(3, 2)),
    lambda m: m.cross(m.ones(3), m.ones(2, 3)),
    lambda m: m.cross(m.ones(3, 2), m.ones(1, 2)),
    lambda m: m.cross(m.ones(2, 2), m.ones(2, 2)),
    lambda m: m.chain_matmul(),
    lambda m: m.chain_matmul(m.ones(3), m.ones(3, 3)),
    lambda m: m.chain_matmul(m.ones(2, 3), m.ones(2, 3)),
    lambda m: m.dist(m.ones(3, dtype=m.long), m.ones(3, dtype=m.long)),
    lambda m: m.dist(m.ones(2), m.ones(3)),
]


@pytest.mark.parametrize("fn", ERRORS)
def test_errors_match_torch(fn):
    quiet(same_error)(fn)
