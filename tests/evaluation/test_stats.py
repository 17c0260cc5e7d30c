import pytest

from coach.evaluation.stats import auc, pearson, spearman


@pytest.mark.parametrize(("xs", "ys", "expected"), [
    ([1, 2, 3, 4], [10, 20, 30, 40], 1.0),
    ([1, 2, 3, 4], [40, 30, 20, 10], -1.0),
    ([1, 2, 2, 3], [1, 2, 2, 3], 1.0),  # ties share their mean rank
    ([1, 2, 3, 4, 5], [5, 6, 7, 8, 7], 0.821),
])
def test_spearman(xs, ys, expected):
    assert spearman(xs, ys) == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize(("xs", "ys"), [([1, 2], [1, 2]), ([1, 1, 1], [1, 2, 3]), ([1, 2, 3], [1, 2])])
def test_undefined_correlation_is_none(xs, ys):
    assert spearman(xs, ys) is None and pearson(xs, ys) is None


@pytest.mark.parametrize(("pos", "neg", "expected"), [([3, 4], [1, 2], 1.0), ([1], [1], 0.5), ([1, 3], [2], 0.5)])
def test_auc(pos, neg, expected):
    assert auc(pos, neg) == expected
