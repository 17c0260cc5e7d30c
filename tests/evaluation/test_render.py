"""What `coach eval` prints: a share with three decimals, a count as a whole number, n/a for none."""
from __future__ import annotations

import pytest

from coach.evaluation import render


@pytest.mark.parametrize("value, shown", [(0.9843, "0.984"), (5, "    5"), (None, "  n/a"), (-0.25, "-0.250"),
                                          ([7.1, 8.4], "[7.1, 8.4]")])
def test_eval_prints_each_figure_in_its_own_form(value, shown):
    results = {"precision": None, "agreement": {"a set": {"measure": "share", "value": value, "n": 3}}}
    line = next(line for line in render(results).splitlines() if "a set" in line)
    assert f"share: {shown}  n=3" in line
