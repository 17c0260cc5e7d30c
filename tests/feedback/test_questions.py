"""coach/feedback/questions.py: the placeholder that marks where the agent answers the customer."""
from __future__ import annotations

import pytest

from coach import analyze
from coach.feedback import apply_suggestions, questions
from coach.feedback.templates import load_templates
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


RIP_OFF = "We pay for 50 licences but only 38 people use them. Why are we paying for the rest? This is a rip-off."


@pytest.mark.parametrize(("reply", "customer", "placeholder", "gone"), [
    # the blaming sentence was the only answer to the why: its place keeps the question answered
    ("Hi Sam,\n\nYou signed the contract for 50 seats. I've asked billing whether we can reduce it at renewal."
     "\n\nBest,\nJo", RIP_OFF, "[answer 'Why are we paying for the rest' without blame]", "You signed"),
    ("Hi Raj,\n\nYOU ORDERED THE 8GB MODEL!!! I can arrange an upgrade to 16GB if you like.\n\nBest,\nMina",
     "Why is my new laptop so slow? It can barely run Teams.", "[answer 'Why is my new laptop so slow' without blame]",
     "ORDERED"),
    ("Hi Ana,\n\nYou should have saved the file before closing Word, that's why it's gone. I've restored last "
     "night's copy to your desktop.\n\nBest,\nLena", "Why is my report gone? I closed Word and now I can't find it.",
     "[answer 'Why is my report gone' without blame]", "You should have"),
    # a put-down that was the only answer to a how: answered again, kindly
    ("Hi Sam,\n\nObviously the form is on the intranet. Just read the guide.\n\nThanks,\nJo",
     "How do I submit an expense claim?", "[answer 'How do I submit an expense claim' kindly]", "read the guide"),
])
def test_questions_a_change_that_takes_out_the_only_answer_leaves_its_place(reply, customer, placeholder, gone):
    report = analyze(reply, customer_message=customer)
    revised = apply_suggestions(report)
    assert placeholder in revised and gone not in revised
    # the change that takes the sentence out carries the placeholder, and says why
    change = next(c for s in report.suggestions for c in s.changes if placeholder in c.text)
    assert gone in report.text[change.start:change.end] and "only answer" in change.note
    checked = analyze(revised, customer_message=customer)
    assert placeholder in [f.text for f in checked.findings if f.rule == "draft.placeholder"]
    assert not checked.ready_to_send
    # checked again, the question is not given a second placeholder
    assert apply_suggestions(checked).count("[answer") == 1


@pytest.mark.parametrize(("reply", "customer"), [
    # the sentence taken out answered the question, but so does the one left
    ("Hi Tom,\n\nThe claim form is in the app. Just read the guide.\n\nThanks,\nChloe",
     "How do I submit an expense claim in the new app?"),
    # the sentence taken out was not the answer
    ("Hi Ana,\n\nYou should have saved it before closing it. Yes, I restored your report from last night's copy and "
     "it is back on your desktop.\n\nBest,\nLena", "Can you get my report back? I closed Word without saving."),
    # nothing was asked
    ("Hi Ana,\n\nYou should have saved it before closing it. I've restored last night's copy to your desktop."
     "\n\nBest,\nLena", "My report is gone. I closed Word without saving and now I can't find it."),
    # a rewrite that leaves the agent a placeholder to say it again keeps the answer's place
    ("Hi,\n\nSure, just turn off two-factor authentication in your account settings and you won't have to type "
     "the code again.\n\nBest regards,\nIvy", "Can you just switch off the two-step login for my account? It's annoying."),
])
def test_questions_a_change_that_leaves_an_answer_adds_no_placeholder(reply, customer):
    report = analyze(reply, customer_message=customer)
    assert any(c.end > c.start for s in report.suggestions for c in s.changes)
    assert "[answer" not in apply_suggestions(report)


@pytest.mark.parametrize(("rule", "question", "placeholder"), [
    ("tone.blame", "Why are we paying for the rest?", "[answer 'Why are we paying for the rest' without blame]"),
    ("tone.put-down", "How do I claim expenses?", "[answer 'How do I claim expenses' kindly]"),
    # a rule with no phrasing of its own: the placeholder for an unanswered question
    ("tone.dismissal", "Why are we paying for the rest?", "[answer 'Why are we paying for the rest']"),
    # too long for the phrasing: the plain placeholder for the question, or the general one
    ("tone.blame", "How much longer do I have to wait for it?", "[answer 'How much longer do I have to wait for it']"),
    ("tone.blame", "Why do we have to use the new customer relationship management system from Monday?",
     questions.GENERAL),
])
def test_questions_answer_again_fits_a_placeholder(rule, question, placeholder):
    templates = load_templates()
    made = questions.answer_again(question, templates.rules[rule].answer_again or templates.answer_again)
    assert made == placeholder and [p.text for p in find_placeholders(made)] == [made]
