"""Samplers against torch's (order, lengths, errors) and reproducibility of the
random ones, and WeightedRandomSampler's draws against its weights (chi-square)."""
import collections
import warnings

import pytest
import torch
import torch.utils.data as tdata

import ember
import ember.utils.data as edata


def test_sequential_sampler():
    assert list(edata.SequentialSampler(range(5))) == list(tdata.SequentialSampler(range(5)))
    assert len(edata.SequentialSampler(range(5))) == 5


@pytest.mark.parametrize("n,batch_size,drop_last", [(10, 3, False), (10, 3, True), (9, 3, True),
                                                    (2, 5, False), (2, 5, True), (0, 2, False),
                                                    (7, 1, False)])
def test_batch_sampler_matches_torch(n, batch_size, drop_last):
    e = edata.BatchSampler(edata.SequentialSampler(range(n)), batch_size, drop_last)
    t = tdata.BatchSampler(tdata.SequentialSampler(range(n)), batch_size, drop_last)
    assert list(e) == list(t)
    assert len(e) == len(t)


@pytest.mark.parametrize("args", [(0, False), (-1, False), (2.0, False), (True, False), (2, 1)])
def test_batch_sampler_errors_match_torch(args):
    with pytest.raises(ValueError) as ee:
        edata.BatchSampler(range(3), *args)
    with pytest.raises(ValueError) as te:
        tdata.BatchSampler(range(3), *args)
    assert str(ee.value) == str(te.value)


def test_random_sampler_is_a_fresh_permutation_each_pass():
    g = ember.Generator().manual_seed(0)
    s = edata.RandomSampler(range(30), generator=g)
    a, b = list(s), list(s)
    assert sorted(a) == sorted(b) == list(range(30))
    assert a != b
    g2 = ember.Generator().manual_seed(0)
    s2 = edata.RandomSampler(range(30), generator=g2)
    assert list(s2) == a and list(s2) == b          # same seed, same stream


def test_random_sampler_without_generator_follows_manual_seed():
    s = edata.RandomSampler(range(30))
    ember.manual_seed(5)
    a = list(s)
    ember.manual_seed(5)
    assert list(s) == a


def test_random_sampler_num_samples_and_replacement():
    g = ember.Generator().manual_seed(1)
    s = edata.RandomSampler(range(4), num_samples=10, generator=g)
    out = list(s)
    assert len(out) == len(s) == 10
    assert sorted(out[:4]) == sorted(out[4:8]) == [0, 1, 2, 3]   # whole passes first
    r = edata.RandomSampler(range(3), replacement=True, num_samples=50, generator=g)
    out = list(r)
    assert len(out) == 50 and set(out) <= {0, 1, 2} and len(set(out)) == 3


@pytest.mark.parametrize("kwargs", [dict(replacement=1), dict(num_samples=0),
                                    dict(num_samples=2.5)])
def test_random_sampler_errors_match_torch(kwargs):
    with pytest.raises(Exception) as ee:
        edata.RandomSampler(range(3), **kwargs)
    with pytest.raises(Exception) as te:
        tdata.RandomSampler(range(3), **kwargs)
    assert type(ee.value) is type(te.value) and str(ee.value) == str(te.value)


def test_subset_random_sampler():
    g = ember.Generator().manual_seed(2)
    s = edata.SubsetRandomSampler([10, 20, 30, 40], generator=g)
    out = list(s)
    assert sorted(out) == [10, 20, 30, 40] and len(s) == 4


def test_sampler_base_class():
    with pytest.raises(NotImplementedError):
        iter(edata.Sampler())

    class Evens(edata.Sampler[int]):
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            return iter(range(0, self.n, 2))

    assert list(edata.BatchSampler(Evens(10), 2, False)) == [[0, 2], [4, 6], [8]]


# ---------------------------------------------------------- RandomSampler & co: more errors
def same_error(make):
    """make(tdata) and make(edata) raise the same exception type and text."""
    with pytest.raises(Exception) as te:
        make(tdata)
    with pytest.raises(type(te.value)) as ee:
        make(edata)
    assert str(ee.value) == str(te.value)


@pytest.mark.parametrize("make", [
    lambda d: list(d.RandomSampler(range(0), num_samples=3)),                      # 3 // 0
    lambda d: list(d.RandomSampler(range(0), num_samples=3, replacement=True)),
    lambda d: d.RandomSampler(range(0)),
    lambda d: d.RandomSampler(range(3), replacement=None),
    lambda d: d.RandomSampler(range(3), num_samples=-2, replacement=True),
    lambda d: d.BatchSampler(range(3), 2, None),
    lambda d: len(d.BatchSampler(iter(range(5)), 2, False)),
])
def test_more_sampler_errors_match_torch(make):
    same_error(make)


def test_samplers_reject_a_non_generator_like_torch():
    for make in (lambda d: list(d.RandomSampler(range(3), generator=3)),
                 lambda d: list(d.SubsetRandomSampler([1, 2], generator=3)),
                 lambda d: list(d.WeightedRandomSampler([1.0, 2.0], 2, generator=3))):
        with pytest.raises(TypeError):
            make(tdata)
        with pytest.raises(TypeError, match="Generator"):
            make(edata)


def test_random_sampler_edge_cases_match_torch():
    # num_samples=True is an int to both; whole passes then a partial one.
    assert len(edata.RandomSampler(range(3), num_samples=True)) == 1
    g = ember.Generator().manual_seed(3)
    out = list(edata.RandomSampler(range(3), num_samples=7, generator=g))
    assert len(out) == 7 and sorted(out[:3]) == sorted(out[3:6]) == [0, 1, 2]
    assert all(type(i) is int for i in out)
    assert list(edata.SubsetRandomSampler([])) == list(tdata.SubsetRandomSampler([])) == []


# ---------------------------------------------------------- WeightedRandomSampler
@pytest.mark.parametrize("args,kwargs", [
    (([1.0, 2.0], 0), {}), (([1.0, 2.0], -1), {}), (([1.0, 2.0], True), {}),
    (([1.0, 2.0], 2.0), {}), (([1.0, 2.0], None), {}),
    (([1.0, 2.0], 2), dict(replacement=1)), (([1.0, 2.0], 2), dict(replacement=None)),
    (([[1.0, 2.0]], 2), {}), ((5.0, 2), {}), (([[[]]], 1), {}),
    (("ab", 2), {}),
])
def test_weighted_sampler_construction_errors_match_torch(args, kwargs):
    same_error(lambda d: d.WeightedRandomSampler(*args, **kwargs))


nan, inf = float("nan"), float("inf")


@pytest.mark.parametrize("weights", [[-1.0, 2.0], [nan, 1.0], [inf, 1.0], [1.0, -inf],
                                     [inf, -1.0], [1.0, nan, inf], [1.0, inf, nan],
                                     [0.0, 0.0], [0.0, -0.0], []])
@pytest.mark.parametrize("num_samples,replacement", [(1, True), (3, True), (1, False),
                                                     (2, False)])
def test_weighted_sampler_iteration_errors_match_torch(weights, num_samples, replacement):
    # torch accepts these at construction and only complains when drawing; which message it
    # gives depends on the drawing path (one draw / without replacement / several with).
    make = lambda d: d.WeightedRandomSampler(weights, num_samples, replacement)
    make(tdata), make(edata)
    same_error(lambda d: list(make(d)))


def test_weighted_sampler_accepts_what_torch_accepts():
    import numpy as np
    for weights in ([1, 2, 3], [0.5, 0.25], (1.0, 3.0), range(4), [True, False],
                    np.array([1.0, 2.0], dtype=np.float32), [7.0]):
        e = edata.WeightedRandomSampler(weights, 3)
        t = tdata.WeightedRandomSampler(weights, 3)
        assert e.weights.dtype == ember.float64 and e.weights.tolist() == t.weights.tolist()
        assert len(e) == len(t) == 3 and e.num_samples == 3 and e.replacement is True
    e = edata.WeightedRandomSampler(ember.tensor([1.0, 2.0]), 2, replacement=False)
    assert e.weights.dtype == ember.float64 and e.replacement is False


def test_weighted_sampler_yields_python_ints_and_is_reproducible():
    weights = [0.1, 0.9, 0.4, 0.7, 3.0, 0.6]
    for replacement in (True, False):
        g1, g2 = ember.Generator().manual_seed(7), ember.Generator().manual_seed(7)
        a = list(edata.WeightedRandomSampler(weights, 5, replacement, generator=g1))
        b = list(edata.WeightedRandomSampler(weights, 5, replacement, generator=g2))
        assert a == b and len(a) == 5 and all(type(i) is int for i in a)
        assert all(0 <= i < 6 for i in a)
        if not replacement:
            assert len(set(a)) == 5
    s = edata.WeightedRandomSampler(weights, 50)            # the default generator
    ember.manual_seed(11)
    a = list(s)
    assert list(s) != a                                     # a fresh draw each pass
    ember.manual_seed(11)
    assert list(s) == a


def chi_square_p_value(counts, expected):
    """P(chi-square >= observed statistic) for observed counts against expected counts."""
    counts, expected = torch.tensor(counts, dtype=torch.float64), torch.tensor(expected)
    stat = ((counts - expected) ** 2 / expected).sum()
    dof = torch.tensor(len(expected) - 1.0, dtype=torch.float64)
    return torch.special.gammaincc(dof / 2, stat / 2).item()


WEIGHTS = [1.0, 2.0, 0.0, 4.0, 0.5, 2.5]


def test_weighted_sampler_with_replacement_follows_the_weights():
    n = 20000
    g = ember.Generator().manual_seed(0)
    draws = list(edata.WeightedRandomSampler(WEIGHTS, n, generator=g))
    counts = collections.Counter(draws)
    assert counts[2] == 0                                   # weight 0: never drawn
    support = [i for i, w in enumerate(WEIGHTS) if w > 0]
    total = sum(WEIGHTS)
    observed = [counts[i] for i in support]
    assert chi_square_p_value(observed, [n * WEIGHTS[i] / total for i in support]) > 1e-3
    # The same test rejects a wrong distribution (uniform), so it can fail.
    assert chi_square_p_value(observed, [n / len(support)] * len(support)) < 1e-6


def test_weighted_sampler_without_replacement_follows_sequential_draws():
    # Two draws without replacement from weights w: P(i then j) = w_i/S * w_j/(S - w_i).
    w = [1.0, 2.0, 5.0]
    s = sum(w)
    pairs = [(i, j) for i in range(3) for j in range(3) if i != j]
    probs = [w[i] / s * w[j] / (s - w[i]) for i, j in pairs]
    g = ember.Generator().manual_seed(1)
    sampler = edata.WeightedRandomSampler(w, 2, replacement=False, generator=g)
    trials = 3000
    counts = collections.Counter(tuple(sampler) for _ in range(trials))
    assert set(counts) <= set(pairs)                        # never the same index twice
    observed = [counts[p] for p in pairs]
    assert chi_square_p_value(observed, [trials * p for p in probs]) > 1e-3
    # Drawing each index with probability w_i/S independently (as with replacement) is a
    # different law, and the test tells them apart.
    wrong = [w[i] * w[j] / (s * s) for i, j in pairs]
    wrong = [trials * p / sum(wrong) for p in wrong]
    assert chi_square_p_value(observed, wrong) < 1e-6


def test_weighted_sampler_without_replacement_is_a_permutation_when_it_takes_all():
    g = ember.Generator().manual_seed(2)
    out = list(edata.WeightedRandomSampler([3.0, 1.0, 2.0, 0.5], 4, replacement=False,
                                           generator=g))
    assert sorted(out) == [0, 1, 2, 3]


def test_weighted_sampler_warns_when_zero_weights_must_be_drawn():
    # torch silently yields zero-weight indices once the non-zero ones run out; ember
    # yields the same (they come last) but says so.
    g = ember.Generator().manual_seed(0)
    sampler = edata.WeightedRandomSampler([0.0, 1.0, 0.0], 2, replacement=False, generator=g)
    with pytest.warns(UserWarning, match="only 1 of the 3 weights are non-zero"):
        out = list(sampler)
    assert out[0] == 1 and out[1] in (0, 2)
    assert list(tdata.WeightedRandomSampler([0.0, 1.0, 0.0], 2, replacement=False))[0] == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        list(edata.WeightedRandomSampler([0.0, 1.0, 2.0], 2, replacement=False))
        list(edata.WeightedRandomSampler([0.0, 1.0, 0.0], 5, replacement=True))


def test_weighted_sampler_drives_a_dataloader():
    x = ember.arange(10.0)
    dataset = edata.TensorDataset(x, ember.arange(10))
    weights = [0.0] * 5 + [1.0] * 5                         # only the second half
    sampler = edata.WeightedRandomSampler(weights, 13, generator=ember.Generator().manual_seed(4))
    loader = edata.DataLoader(dataset, batch_size=4, sampler=sampler)
    assert len(loader) == 4
    batches = list(loader)
    assert [len(b[1]) for b in batches] == [4, 4, 4, 1]
    seen = [i for _, idx in batches for i in idx.tolist()]
    assert len(seen) == 13 and set(seen) <= {5, 6, 7, 8, 9}
    # The same seed gives the same batches as iterating the sampler by hand.
    again = edata.WeightedRandomSampler(weights, 13, generator=ember.Generator().manual_seed(4))
    assert seen == list(again)
    assert [v for xb, _ in batches for v in xb.tolist()] == [float(i) for i in seen]


# ------------------------------------------------- the same seed, torch's order
import numpy as np  # noqa: E402


@pytest.mark.parametrize("seed", [0, 1, 77])
def test_shuffled_dataloader_and_random_samplers_give_torchs_order(seed):
    """DataLoader(shuffle=True) (which draws a worker base seed, then the sampler's
    seed, from the default generator), RandomSampler with and without replacement,
    SubsetRandomSampler and WeightedRandomSampler: torch's indices for a seed, and the
    default stream left where torch leaves it."""
    def run(m, data):
        m.manual_seed(seed)
        loader = data.DataLoader(range(23), batch_size=5, shuffle=True)
        out = [[b.tolist() for b in loader], [b.tolist() for b in loader]]
        out.append(list(data.RandomSampler(range(10), replacement=True, num_samples=40)))
        out.append(list(data.RandomSampler(range(6), num_samples=14)))
        g = m.Generator().manual_seed(seed + 1)
        out.append(list(data.RandomSampler(range(8), generator=g)))
        out.append(list(data.SubsetRandomSampler([3, 5, 7, 9], generator=g)))
        out.append(list(data.WeightedRandomSampler([0.1, 0.9, 0.4, 3.0], 6)))
        out.append(list(data.WeightedRandomSampler([0.9, 0.4, 0.05, 0.2], 3, replacement=False)))
        out.append(m.rand(3).tolist())
        return out
    assert run(ember, edata) == run(torch, tdata)


@pytest.mark.parametrize("seed", [0, 5])
def test_random_split_gives_torchs_subsets(seed):
    for lengths in ([7, 3], [0.5, 0.3, 0.2], [60000 - 10000, 10000]):
        n = 10 if len(lengths) == 2 and lengths[0] == 7 else (
            10 if isinstance(lengths[0], float) else 60000)
        got = [list(s.indices) for s in edata.random_split(
            range(n), lengths, generator=ember.Generator().manual_seed(seed))]
        want = [list(s.indices) for s in tdata.random_split(
            range(n), lengths, generator=torch.Generator().manual_seed(seed))]
        assert got == want
    ember.manual_seed(seed)
    torch.manual_seed(seed)
    got = [list(s.indices) for s in edata.random_split(range(12), [4, 8])]
    want = [list(s.indices) for s in tdata.random_split(range(12), [4, 8])]
    assert got == want and np.array_equal(ember.rand(2).numpy(), torch.rand(2).numpy())


def test_interleaved_and_repeated_shuffles_follow_torchs_order():
    # two iterators of one loader alive at once, then whole epochs: each pass seeds
    # its own generator from the default one, as torch's does
    import torch
    outs = []
    for m in (ember, torch):
        m.manual_seed(3)
        loader = m.utils.data.DataLoader(m.utils.data.TensorDataset(m.arange(10)),
                                         batch_size=4, shuffle=True)
        a, b = iter(loader), iter(loader)
        out = [next(a)[0].tolist(), next(b)[0].tolist(), next(a)[0].tolist()]
        out += [[x[0].tolist() for x in loader] for _ in range(3)]
        outs.append(out)
    assert outs[0] == outs[1]
