"""Rule precision on judged findings: matched by rule and quoted text, unjudged ones listed."""
from __future__ import annotations

import pytest

from coach.errors import DataFileError
from coach.evaluation.judged import load_judged, precision

JUDGED = """
items:
  - id: blame
    reply: "You should have restarted the router before contacting us."
    verdicts:
      - {rule: tone.blame, text: "You should have", right: true}
  - id: thanks
    customer: "Thanks, that worked!"
    reply: "You're welcome!"
"""


def test_precision_counts_verdicts_of_the_findings_reported_today(tmp_path):
    (tmp_path / "set.yaml").write_text(JUDGED, encoding="utf-8")
    result = precision(load_judged(tmp_path))
    assert result["replies"] == 2
    assert result["rules"]["tone.blame"] == {"precision": 1.0, "judged": 1, "scored": True}
    assert result["judged"] == 1 and result["overall"] == 1.0


def test_a_wrong_verdict_lowers_the_rule_and_is_listed(tmp_path):
    (tmp_path / "set.yaml").write_text(JUDGED.replace("right: true", "right: false"), encoding="utf-8")
    result = precision(load_judged(tmp_path))
    assert result["rules"]["tone.blame"]["precision"] == 0.0
    assert {"source": "set.yaml#blame", "rule": "tone.blame", "text": "You should have"} in result["wrong"]


@pytest.mark.parametrize(("text", "where"), [
    ("items:\n  - reply: hi\n", "items[0].id"),
    ("items:\n  - {id: a, reply: hi, verdicts: [{rule: tone.blame, right: maybe}]}\n", "items[0].verdicts[0].right"),
    ("items:\n  - {id: a, reply: hi}\n  - {id: a, reply: ho}\n", "items[1].id"),
])
def test_bad_judged_files_name_the_field(tmp_path, text, where):
    (tmp_path / "set.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=where.replace("[", r"\[").replace("]", r"\]")):
        load_judged(tmp_path)
