"""coach/feedback/questions.py: the placeholder that marks where the agent answers the customer."""
from __future__ import annotations

import pytest

from coach import analyze
from coach.feedback import apply_suggestions, questions
from coach.findings import Finding
from coach.placeholders import find as find_placeholders
from coach.rules import load_ruleset

RULE = "empathy.unanswered-question"


def _finding(question: str) -> Finding:
    message = load_ruleset("empathy").get(RULE).message.replace("{quote}", question)
    return Finding("empathy", RULE, "warning", 0, 0, "", message)


@pytest.mark.parametrize(("question", "placeholder"), [
    ("How much longer do I have to wait?", "[answer 'How much longer do I have to wait']"),
    ("Why can't I log in?", "[answer 'Why can't I log in']"),
    # too long, or characters a placeholder can't hold: the general one
    ("Since 09:40 UTC our calls to /v2/orders fail; is there a known incident?", questions.GENERAL),
    ("Why do we have to use the new customer relationship management system from Monday?", questions.GENERAL),
])
def test_questions_placeholder_quotes_the_customer(question, placeholder):
    made = questions.answer_placeholder(_finding(question))
    assert made == placeholder
    assert [p.text for p in find_placeholders(f"Hi Lucy,\n\n{made} The ticket is with the team.")] == [made]


def test_questions_revision_marks_where_the_answer_goes():
    customer = "I reported this invoicing bug five days ago and nobody has got back to me. How much longer do I have to wait?"
    reply = "Hi Lucy,\n\nThe ticket is with the specialist support team. They will look at it.\n\nBest regards,\nSophie"
    report = analyze(reply, customer_message=customer)
    assert any(f.rule == RULE for f in report.findings)
    revised = apply_suggestions(report)
    assert "[answer 'How much longer do I have to wait']" in revised
    # the answer comes before the rest of the reply, after the greeting
    assert revised.index("[answer") < revised.index("The ticket is with")
    assert not analyze(revised, customer_message=customer).ready_to_send
