"""ember.linalg.lstsq against torch (every CPU driver: which fields are filled in, their
values, dtypes and shapes), its gradients, and the slides' analytic linear regression."""
import warnings

import numpy as np
import pytest
import torch

import ember
from ember.autograd import gradcheck, gradgradcheck
from helpers import assert_same, assert_grads_same, both
from linalg.linalg_kit import well_conditioned, tol, leaf, same_error

DRIVERS = [None, "gels", "gelsy", "gelsd", "gelss"]


@pytest.mark.parametrize("a_shape,b_shape", [
    ((5, 3), (5, 2)), ((3, 3), (3, 1)), ((3, 5), (3, 2)),     # tall, square, wide
    ((5, 3), (5,)),                                           # a vector b
    ((2, 5, 3), (2, 5, 2)), ((2, 5, 3), (2, 5)),              # batches
    ((2, 5, 3), (1, 5, 2)), ((1, 5, 3), (4, 5, 2)),        # broadcast batch dims
])
@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_lstsq_matches_torch(a_shape, b_shape, driver, dtype):
    rng = np.random.default_rng(0)
    a = well_conditioned(rng, a_shape, dtype)
    b = rng.standard_normal(b_shape).astype(dtype)
    if driver == "gels" and a_shape[-2] < a_shape[-1]:
        pytest.skip("gels needs a full-rank tall or square A on CPU")
    (ea, ta), (eb, tb) = both(a), both(b)
    res = ember.linalg.lstsq(ea, eb, driver=driver)
    expected = torch.linalg.lstsq(ta, tb, driver=driver)
    assert type(res).__name__ == "linalg_lstsq"
    assert res._fields == ("solution", "residuals", "rank", "singular_values")
    assert_same(tuple(res), tuple(expected), **tol(dtype))
    assert_grads_same(lambda m, x, y: m.linalg.lstsq(x, y, driver=driver).solution, [a, b],
                      **tol(dtype))


@pytest.mark.parametrize("driver", ["gels", "gelsd", "gelss"])
def test_residual_gradients_match_torch(driver):
    rng = np.random.default_rng(1)
    a, b = well_conditioned(rng, (2, 6, 3)), rng.standard_normal((2, 6, 2))
    assert_grads_same(lambda m, x, y: m.linalg.lstsq(x, y, driver=driver).residuals, [a, b])

    def both_outputs(m, x, y):
        res = m.linalg.lstsq(x, y, driver=driver)
        return res.solution.sum(-2) * 2 + res.residuals
    assert_grads_same(both_outputs, [a, b])


@pytest.mark.parametrize("driver", DRIVERS)
def test_rank_deficient_input_matches_torch(driver):
    rng = np.random.default_rng(2)
    a = rng.standard_normal((6, 3))
    a[:, 2] = a[:, 0] - a[:, 1]
    b = rng.standard_normal((6, 2))
    e, t = both(a)
    eb, tb = both(b)
    res, expected = ember.linalg.lstsq(e, eb, driver=driver), torch.linalg.lstsq(t, tb,
                                                                                  driver=driver)
    if driver == "gels":        # gels assumes full rank: solution and residuals are junk
        assert_same(tuple(res)[2:], tuple(expected)[2:], atol=1e-8)
    else:                       # the minimum-norm solution; residuals left empty
        assert_same(tuple(res), tuple(expected), atol=1e-8)


def test_rcond_and_empty_input_match_torch():
    rng = np.random.default_rng(3)
    e, t = both(well_conditioned(rng, (5, 3)))
    eb, tb = both(rng.standard_normal((5, 2)))
    for driver in ("gelsd", "gelss"):
        assert_same(tuple(ember.linalg.lstsq(e, eb, 0.6, driver=driver)),
                    tuple(torch.linalg.lstsq(t, tb, 0.6, driver=driver)))
    # gelsy truncates by a pivoted-QR estimate, so only the rank is comparable here
    assert_same(ember.linalg.lstsq(e, eb, 0.6).rank, torch.linalg.lstsq(t, tb, 0.6).rank)
    e, t = both(np.zeros((0, 3), np.float32))
    eb, tb = both(np.zeros((0, 2), np.float32))
    assert_same(tuple(ember.linalg.lstsq(e, eb)), tuple(torch.linalg.lstsq(t, tb)))


def test_gradcheck_lstsq():
    rng = np.random.default_rng(4)
    for a_shape, b_shape in (((5, 3), (5, 2)), ((3, 5), (3,)), ((2, 4, 4), (2, 4, 1))):
        a, b = leaf(well_conditioned(rng, a_shape)), leaf(rng.standard_normal(b_shape))
        assert gradcheck(lambda x, y: ember.linalg.lstsq(x, y).solution, (a, b))
    a, b = leaf(well_conditioned(rng, (5, 3))), leaf(rng.standard_normal((5, 2)))
    assert gradcheck(lambda x, y: tuple(ember.linalg.lstsq(x, y, driver="gelsd"))[:2], (a, b))
    assert gradgradcheck(lambda x, y: ember.linalg.lstsq(x, y).solution, (a, b))


def test_grad_fn_names_match_torch():
    rng = np.random.default_rng(5)
    e, t = both(well_conditioned(rng, (5, 3)), requires_grad=True)
    for a, b in zip(ember.linalg.lstsq(e, e, driver="gelsd"),
                    torch.linalg.lstsq(t, t, driver="gelsd")):
        assert type(a.grad_fn).__name__ == type(b.grad_fn).__name__


@pytest.mark.parametrize("a,b,kw", [
    (np.ones((3, 3)), np.ones((4, 2)), {}),
    (np.ones((3, 3)), np.ones((3, 2)), {"driver": "foo"}),
    (np.ones((3, 3), np.float32), np.ones((3, 2)), {}),
    (np.ones(3), np.ones(3), {}),
    (np.ones((2, 5, 3)), np.ones(5), {}),
    (np.ones((2, 5, 3)), np.ones((5, 1)), {}),
    (np.ones((3, 3), np.int64), np.ones((3, 3), np.int64), {}),
])
def test_lstsq_errors_match_torch(a, b, kw):
    same_error(lambda m, x, y: m.linalg.lstsq(x, y, **kw), a, b)


def test_analytic_linear_regression_matches_numpy_lstsq():
    """The slides' closed form w* = (X^T X)^-1 X^T y on the synthetic data
    (X ~ N(0, 1), 1000 x 2, w = [2, -3.4], b = 4.2, noise 0.01), b as a column of ones."""
    ember.manual_seed(0)
    n = 1000
    X = ember.randn(n, 2, dtype=ember.float64)
    w_true, b_true = ember.tensor([2.0, -3.4], dtype=ember.float64), 4.2
    y = X @ w_true + b_true + 0.01 * ember.randn(n, dtype=ember.float64)
    design = ember.cat([X, ember.ones(n, 1, dtype=ember.float64)], 1)

    w_star = ember.linalg.inv(design.T @ design) @ design.T @ y
    w_solve = ember.linalg.solve(design.T @ design, design.T @ y)
    w_lstsq = ember.linalg.lstsq(design, y).solution

    expected = np.linalg.lstsq(design.numpy(), y.numpy(), rcond=None)[0]
    for w in (w_star, w_solve, w_lstsq):
        assert w.shape == (3,) and w.dtype == ember.float64
        np.testing.assert_allclose(w.numpy(), expected, rtol=0, atol=1e-5)
    np.testing.assert_allclose(w_star.numpy(), [2.0, -3.4, 4.2], atol=2e-3)

    # In float32, the default dtype the slides use, the normal equations still agree.
    w32 = ember.linalg.inv(design.float().T @ design.float()) @ design.float().T @ y.float()
    assert w32.dtype == ember.float32
    np.testing.assert_allclose(w32.numpy(), expected, rtol=0, atol=1e-4)


@pytest.mark.parametrize("driver", ["gelsy", "gelsd", "gels"])
def test_lstsq_of_an_infinite_entry_is_silent(driver):
    # (torch's drivers disagree on the values here; what must hold is no NumPy warning)
    x = np.array([[np.inf, 1.0], [1.0, 2.0], [3.0, 4.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        got = ember.linalg.lstsq(ember.tensor(x), ember.tensor(x), driver=driver).solution
    assert got.shape == (2, 2) and bool(got.isnan().any())


@pytest.mark.parametrize("a_shape,b_shape", [((4, 3), ()), ((4, 3), (3,)), ((2, 4, 3), (2, 3)),
                                             ((2, 4, 3), (3, 3, 1)), ((4, 3), (5, 2)),
                                             ((3,), ())])
def test_lstsq_shape_errors_match_torch(a_shape, b_shape):
    same_error(lambda m, x, y: m.linalg.lstsq(x, y), np.ones(a_shape), np.ones(b_shape))


@pytest.mark.parametrize("a_shape,b_shape", [((2, 5, 3), (4, 1)), ((2, 5, 3), (3, 4, 1)),
                                             ((2, 5, 3), (3, 5, 1)), ((2, 5, 3), (2, 4))])
def test_lstsq_row_check_comes_before_the_batch_check_like_torch(a_shape, b_shape):
    same_error(lambda m, x, y: m.linalg.lstsq(x, y), np.ones(a_shape), np.ones(b_shape))
