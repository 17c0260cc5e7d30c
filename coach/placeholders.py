"""Unfinished drafts: unfilled placeholders ("[time of next update]", "[your name]") and a sign-off
with no name under it.

Run by the engine after the six scored analysers: a `draft.placeholder` finding has no score of its
own, but the report is not `ready_to_send` while one remains (coach.report.Report.ready_to_send).
The patterns and the message live in coach/data/draft.yaml. Plain patterns on the text, so a front
end can mark the placeholders of a revised draft before it is checked again.
"""
from __future__ import annotations

from coach.context import AnalysisContext
from coach.findings import Finding
from coach.report import PLACEHOLDER_RULE
from coach.rules import load_ruleset

ANALYZER = "draft"
UNSIGNED_RULE = "draft.unsigned"


def _matches(text: str, rule_id: str) -> list[Finding]:
    rule = load_ruleset(ANALYZER).get(rule_id)
    spans = sorted({(m.start(), m.end()) for pattern in rule.regex for m in pattern.finditer(text)})
    findings: list[Finding] = []
    for start, end in spans:
        start, end = start + len(text[start:end]) - len(text[start:end].lstrip()), start + len(text[start:end].rstrip())
        if findings and start < findings[-1].end:
            continue
        findings.append(Finding(ANALYZER, rule.id, rule.severity, start, end, text[start:end],
                                rule.format_message(text[start:end])))
    return findings


def find(text: str) -> list[Finding]:
    """One finding per placeholder in `text`, in reading order (overlaps keep the first)."""
    return _matches(text, PLACEHOLDER_RULE)


def check(context: AnalysisContext) -> list[Finding]:
    return find(context.text) + _matches(context.text, UNSIGNED_RULE)
