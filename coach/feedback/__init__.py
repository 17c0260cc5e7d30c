"""Mentor feedback: turns a Report's findings and evidence into what a good mentor would say.

- `attach(report)` fills report.suggestions (ranked; report.feedback shows the top 3), each with
  the changes it offers, report.strengths (1-2, quoting the reply) and report.summary (one line).
- `apply_suggestion(report, id)` returns the draft with one suggestion (every change it lists) or
  one change taken, and nothing else touched.
- `apply_suggestions(report)` returns the draft with exactly the changes the suggestions list;
  `ids` limits it to some, `skip` leaves some out.

Facts only the agent knows are placeholders ("[your name]"); `known` fills the ones the caller
knows ({"your name": "Sam Lee"} from the signed-in account) in the changes it applies.

Feedback never analyses the text itself: it works from the findings, the evidence, the scores and
the persona, with every phrasing from coach/feedback/templates.yaml. Same report in, same feedback out.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from coach.errors import InputError
from coach.feedback import ranking, strengths, summary
from coach.feedback.rewrites import Edit, apply_edits
from coach.feedback.suggestions import Planned, Writer, plan
from coach.feedback.templates import load_templates
from coach.report import Report

__all__ = ["apply_suggestion", "apply_suggestions", "attach", "change_ids", "fill_placeholder", "fill_placeholders"]


def attach(report: Report, goals: Iterable[str] = ()) -> Report:
    """Fill the report's suggestions, strengths and summary; returns the same report.

    `goals`: rule ids a practice scenario cares about, either findings to avoid (`tone.blame`,
    `security.*`) or evidence to show (`empathy.time-frame`); their suggestions rank higher.
    """
    templates = load_templates()
    fills = {rule: t.fills for rule, t in templates.rules.items() if t.fills}
    groups = ranking.rank(report, ranking.goal_weights(goals, fills))
    writer = Writer(report, templates)
    planned = plan(report, templates, groups)
    report.suggestions = [writer.suggestion(priority, item) for priority, item in enumerate(planned, 1)]
    found = strengths.pick(report, templates)
    report.strengths = [s.text for s in found]
    report.summary = summary.compose(report, templates, found[0] if found else None,
                                     writer.action(groups[0]) if groups else None)
    return report


def _planned(report: Report) -> list[Planned]:
    """The same plan attach() made: groups in the order of the report's suggestions."""
    groups = ranking.rank(report)
    order = {s.rule: index for index, s in enumerate(report.suggestions)}
    groups.sort(key=lambda g: order.get(g.rule, len(order)))  # stable: keeps rank() order otherwise
    return plan(report, load_templates(), groups)


def change_ids(report: Report) -> list[str]:
    """Every change the report's suggestions list, in priority order."""
    return [change.id for suggestion in report.suggestions for change in suggestion.changes]


def fill_placeholders(text: str, known: Mapping[str, str] | None) -> str:
    """`[your name]` -> the value of known["your name"], for each known, non-empty value."""
    for name, value in (known or {}).items():
        if value and value.strip():
            text = text.replace(f"[{name}]", value.strip())
    return text


def fill_placeholder(text: str, placeholder: str, value: str) -> str:
    """Every occurrence of one placeholder ("[time of next update]") replaced by what the agent typed."""
    value = value.strip()
    if not value:
        raise InputError(f"Type what goes in place of {placeholder} first.")
    return text.replace(placeholder, value)


def _filled(edit: Edit, known: Mapping[str, str] | None) -> Edit:
    if not known:
        return edit
    return Edit(edit.start, edit.end, fill_placeholders(edit.text, known), edit.order,
                fill_placeholders(edit.lead, known), fill_placeholders(edit.trail, known), edit.joinable)


def apply_suggestions(report: Report, ids: Collection[str] | None = None, skip: Collection[str] = (),
                      known: Mapping[str, str] | None = None) -> str:
    """The draft with the listed changes applied: all of them, or those in `ids` (a suggestion's id,
    its rule, takes every change it lists), minus those in `skip`. Raises InputError on an id the
    report does not list."""
    planned = _planned(report)
    listed = {identifier for item in planned for identifier, _, _ in item.edits}
    rules = {item.group.rule for item in planned}
    unknown = sorted(set(ids or ()) - listed - rules)
    if unknown:
        raise InputError(f"No suggestion {unknown[0]!r} for this reply; choose from: "
                         + (", ".join(sorted(listed)) or "(none)") + ".")
    chosen = []
    for item in planned:
        for identifier, _, edit in item.edits:
            wanted = ids is None or identifier in ids or item.group.rule in ids
            if wanted and identifier not in skip and item.group.rule not in skip:
                chosen.append(_filled(edit, known))
    return apply_edits(report.text, chosen)


def apply_suggestion(report: Report, identifier: str, known: Mapping[str, str] | None = None) -> str:
    """The draft with one suggestion (all its changes) or one change applied, nothing else."""
    return apply_suggestions(report, ids=[identifier], known=known)
