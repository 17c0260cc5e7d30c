"""coach/placeholders.py: unfinished drafts are flagged (coach/data/draft.yaml examples), block
`ready_to_send`, and add no score."""
from __future__ import annotations

import pytest

from coach import analyze
from coach.placeholders import ANALYZER, find
from coach.rules import load_ruleset

RULES = load_ruleset(ANALYZER).rules
FLAG = [pytest.param(rule.id, ex.text, id=f"{rule.id}-{i}") for rule in RULES for i, ex in enumerate(rule.flag_examples)]
PASS = [pytest.param(rule.id, ex.text, id=f"{rule.id}-{i}") for rule in RULES for i, ex in enumerate(rule.pass_examples)]


@pytest.mark.parametrize(("rule", "text"), FLAG)
def test_placeholders_flag_their_examples(rule, text):
    assert analyze(text).has_rule(rule)


@pytest.mark.parametrize(("rule", "text"), PASS)
def test_placeholders_pass_their_examples(rule, text):
    assert not analyze(text).has_rule(rule)


def test_placeholders_exact_spans_and_ready_to_send():
    text = "Hi Jo,\n\nI'll update you by [time of next update] about ticket [ticket number].\n\nBest regards,\n[your name]"
    report = analyze(text)
    flagged = [(f.start, f.end, f.text) for f in report.findings if f.rule == "draft.placeholder"]
    assert [t for *_, t in flagged] == ["[time of next update]", "[ticket number]", "[your name]"]
    assert all(text[start:end] == quoted for start, end, quoted in flagged)
    assert report.ready_to_send is False and report.to_dict()["ready_to_send"] is False
    assert set(report.scores) == {"jargon", "readability", "tone", "empathy", "grammar", "security"}
    assert report.suggestions[0].rule == "draft.placeholder", "filling it in comes first"
    filled = text.replace("[time of next update]", "3pm").replace("[ticket number]", "4521").replace("[your name]", "Sam")
    assert analyze(filled).ready_to_send


def test_placeholders_find_needs_no_parse():
    assert [f.text for f in find("Call me at XX:XX or see [the guide](https://x.org).")] == ["XX:XX"]
