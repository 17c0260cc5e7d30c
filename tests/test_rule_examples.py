"""Every rule in coach/data/<analyzer>.yaml carries examples: `flag` ones must raise it, `pass` ones must not.

Examples run through the whole analyze(), so they test what a user would see.
"""
from __future__ import annotations

import pytest

from coach import analyze
from coach.config import languagetool_url
from coach.analyzers import REGISTRY
from coach.config import DATA_DIR
from coach.engine import shown_once_rules
from coach.rules import load_ruleset

RULESETS = [load_ruleset(name) for name in REGISTRY if (DATA_DIR / f"{name}.yaml").exists()]
RULES = [rule for ruleset in RULESETS for rule in ruleset.rules]
FLAG_CASES = [pytest.param(rule, ex, id=f"{rule.id}-{i}") for rule in RULES for i, ex in enumerate(rule.flag_examples)]
PASS_CASES = [pytest.param(rule, ex, id=f"{rule.id}-{i}") for rule in RULES for i, ex in enumerate(rule.pass_examples)]


@pytest.mark.parametrize("rule", [pytest.param(r, id=r.id) for r in RULES])
def test_rule_has_flag_and_pass_examples(rule):
    assert rule.flag_examples, f"{rule.id} has no examples.flag"
    assert rule.pass_examples, f"{rule.id} has no examples.pass"


@pytest.mark.parametrize(("rule", "example"), FLAG_CASES)
def test_rule_flags_its_examples(rule, example):
    if (rule.id == "grammar.spelling" or "harper" in rule.extra.get("backends", ())) and languagetool_url():
        pytest.skip("with a LanguageTool server, LanguageTool's own categories are reported instead")
    report = analyze(example.text, customer_message=example.customer, channel=example.channel)
    # a rule shown once (coach/data/findings.yaml) is told by its better-worded twin on the same passage
    told_by = {rule.id, shown_once_rules().get(rule.id, rule.id)}
    assert any(report.has_rule(told) for told in told_by), f"{rule.id} not raised on {example.text!r}"


@pytest.mark.parametrize(("rule", "example"), PASS_CASES)
def test_rule_passes_its_examples(rule, example):
    report = analyze(example.text, customer_message=example.customer, channel=example.channel)
    assert not report.has_rule(rule.id), f"{rule.id} wrongly raised on {example.text!r}"
