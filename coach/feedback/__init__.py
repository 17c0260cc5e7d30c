"""Mentor feedback: turns a Report's findings and evidence into what a good mentor would say.

- `attach(report)` fills report.suggestions (ranked; report.feedback shows the top 3),
  report.strengths (1-2, quoting the reply) and report.summary (one line).
- `apply_suggestions(report)` returns the draft with every applicable rewrite applied.

Feedback never analyses the text itself: it works from the findings, the evidence, the scores and
the persona, with every phrasing from coach/feedback/templates.yaml. Same report in, same feedback out.
"""
from __future__ import annotations

from collections.abc import Iterable

from coach.feedback import ranking, strengths, summary
from coach.feedback.rewrites import apply_edits
from coach.feedback.suggestions import Writer
from coach.feedback.templates import load_templates
from coach.report import Report

__all__ = ["apply_suggestions", "attach"]


def attach(report: Report, goals: Iterable[str] = ()) -> Report:
    """Fill the report's suggestions, strengths and summary; returns the same report.

    `goals`: rule ids a practice scenario cares about, either findings to avoid (`tone.blame`,
    `security.*`) or evidence to show (`empathy.time-frame`); their suggestions rank higher.
    """
    templates = load_templates()
    fills = {rule: t.fills for rule, t in templates.rules.items() if t.fills}
    groups = ranking.rank(report, ranking.goal_weights(goals, fills))
    writer = Writer(report, templates)
    report.suggestions = [writer.suggestion(priority, group) for priority, group in enumerate(groups, 1)]
    found = strengths.pick(report, templates)
    report.strengths = [s.text for s in found]
    report.summary = summary.compose(report, templates, found[0] if found else None,
                                     writer.action(groups[0]) if groups else None)
    return report


def apply_suggestions(report: Report) -> str:
    """The draft with all applicable rewrites applied, most important first where two overlap."""
    writer = Writer(report, load_templates())
    groups = ranking.rank(report)
    shown = {s.rule: index for index, s in enumerate(report.suggestions)}
    groups.sort(key=lambda g: shown.get(g.rule, len(shown)))  # stable: keeps rank() order otherwise
    return apply_edits(report.text, [edit for group in groups for edit in writer.edits(group)])
