"""Rule names people read: never a rule id, never a placeholder."""
from __future__ import annotations

import re

import pytest

from coach.feedback.templates import load_templates
from coach.rule_names import dimension_name, rule_name

RULES = sorted(load_templates().rules)


@pytest.mark.parametrize("rule", RULES)
def test_every_rule_of_the_mentor_has_a_readable_name(rule):
    name = rule_name(rule)
    assert name and "{" not in name and rule not in name and not re.search(r"\b[a-z]+\.[a-z-]+\b", name)
    assert name[0].isupper()


@pytest.mark.parametrize("rule, name", [("empathy.no-acknowledgement", "Start by showing you understand"),
                                        ("jargon.acronym", "Spell out acronyms"),
                                        ("tone.missing-greeting", "Greet the customer"),
                                        ("grammar.MORFOLOGIK_RULE_EN_US", "Grammar: morfologik rule en us")])
def test_rule_names(rule, name):
    assert rule_name(rule) == name


@pytest.mark.parametrize("name, label", [("overall", "Overall"), ("jargon", "Jargon"),
                                         ("practice sessions", "Practice sessions")])
def test_dimension_names_have_one_capitalisation(name, label):
    assert dimension_name(name) == label
