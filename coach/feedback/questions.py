"""The placeholder the agent fills with the answer to a question the reply leaves open.

Only the agent knows the answer, so the coach never writes one: it marks the place with the
customer's own question ("[answer 'Why do we have to use the new CRM']"), which the check flags as
unfinished (draft.placeholder) until it is replaced. The question comes from the finding's message,
as the analyser quoted it (coach/data/empathy.yaml `empathy.unanswered-question`).

The analyser also says which sentences of the reply answer each question it takes up (the report's
`answers` metric): a change that takes all of them out (a blaming sentence that was the only answer
to "Why are we paying for the rest?") leaves a placeholder for the answer in their place
(templates.yaml `answer_again`), so the question stays answered.
"""
from __future__ import annotations

import functools
import re

from coach.findings import Finding
from coach.placeholders import find as find_placeholders
from coach.report import Report
from coach.rules import load_ruleset

# the longest question quoted inside a placeholder (coach/data/draft.yaml allows 60 characters)
MAX_QUESTION_CHARS = 48
# what a placeholder may hold (coach/data/draft.yaml's pattern): a question with other characters
# ("/v2/orders", "09:40") gets the general placeholder
_PLACEHOLDER_SAFE = re.compile(r"[A-Za-z][A-Za-z0-9' &-]*\Z")
GENERAL = "[answer their question]"


@functools.cache
def _quoted(rule_id: str) -> re.Pattern[str] | None:
    """The rule's message with its {quote} as a group, to read the question back out of a finding."""
    message = load_ruleset(rule_id.split(".", 1)[0]).get(rule_id).message
    if "{quote}" not in message:
        return None
    before, after = message.split("{quote}", 1)
    return re.compile(re.escape(before) + r"(.+?)" + re.escape(after) + r"\Z", re.DOTALL)


def asked(finding: Finding) -> str | None:
    """The customer's question the finding quotes, as they wrote it, or None."""
    pattern = _quoted(finding.rule)
    found = pattern.match(finding.message) if pattern else None
    return found.group(1).strip() if found else None


def answer_placeholder(finding: Finding) -> str:
    """"[answer 'When will my laptop arrive']": the customer's question, or the general placeholder
    when it is too long or holds characters a placeholder can't."""
    return placeholder_for(asked(finding))


def _quotable(question: str | None) -> str | None:
    """The question as a placeholder may quote it ("When will my laptop arrive"), or None."""
    if not question:
        return None
    question = " ".join(question.replace("’", "'").split()).rstrip("?!. ")
    if len(question) > MAX_QUESTION_CHARS or not _PLACEHOLDER_SAFE.match(question):
        return None
    return question


def placeholder_for(question: str | None) -> str:
    """"[answer 'When will my laptop arrive']", or the general placeholder."""
    quotable = _quotable(question)
    return f"[answer '{quotable}']" if quotable else GENERAL


def answer_again(question: str, phrasing: str) -> str:
    """The placeholder for an answer a change took out: the phrasing with the question in it
    ("[answer 'Why are we paying for the rest' without blame]"), or, where that is longer than a
    placeholder may be, the plain one for the question."""
    quotable = _quotable(question)
    if quotable:
        written = phrasing.replace("{quote}", quotable)
        if [p.text for p in find_placeholders(written)] == [written]:
            return written
    return placeholder_for(question)


def answered(report: Report) -> list[tuple[str, tuple[tuple[int, int], ...]]]:
    """The customer's questions the reply answers, each with the sentences (start, end) that answer
    it, as the empathy analyser found them."""
    found = []
    for item in report.metrics.get("answers") or ():
        sentences = tuple((start, end) for start, end in item.get("sentences", ())
                          if 0 <= start < end <= len(report.text))
        if item.get("question") and sentences:
            found.append((item["question"], sentences))
    return found
