"""Turning ranked finding groups into the mentor's Suggestions (title, why, quote, rewrite)."""
from __future__ import annotations

from coach.feedback import voice
from coach.feedback.ranking import Group
from coach.feedback.rewrites import Edit, edit_for, shown
from coach.feedback.templates import Templates, render
from coach.report import Report, Suggestion

MAX_LISTED_QUOTES = 3


def _listed(quotes: list[str]) -> str:
    """'a', 'b' and 'c' (distinct passages, in order, at most three)."""
    unique = list(dict.fromkeys(voice.short(q, 40) for q in quotes if q.strip()))[:MAX_LISTED_QUOTES]
    marked = [f"'{q}'" for q in unique]
    if len(marked) < 2:
        return "".join(marked)
    return ", ".join(marked[:-1]) + " and " + marked[-1]


class Writer:
    """Renders suggestions and edits for one report (the customer's values are worked out once)."""

    def __init__(self, report: Report, templates: Templates) -> None:
        self.report = report
        self.templates = templates
        self.customer = voice.customer_values(report)
        self.variants = voice.variant_keys(report, bool(self.customer["cue"]))

    def edit(self, group: Group, finding_index: int | None = None) -> Edit | None:
        finding = group.lead if finding_index is None else group.findings[finding_index]
        template = self.templates.for_rule(group.rule, group.analyzer)
        return edit_for(finding, self.report, self.templates, template, self.customer, self.variants)

    def edits(self, group: Group) -> list[Edit]:
        """Every rewrite the group allows: its lead's first, then the others in reading order."""
        lead = group.findings.index(group.lead)
        order = [lead] + [i for i in range(group.count) if i != lead]
        return [edit for edit in (self.edit(group, i) for i in order) if edit is not None]

    def values(self, group: Group, edit: Edit | None) -> dict[str, object]:
        lead = group.lead
        return {**self.customer,
                "quote": voice.short(lead.text),
                "count": group.count,
                "quotes": _listed([f.text for f in group.findings]),
                "suggestion": (lead.suggestion or "").strip(),
                "rewrite": voice.short(edit.body.strip()) if edit else ""}

    def suggestion(self, priority: int, group: Group) -> Suggestion:
        template = self.templates.for_rule(group.rule, group.analyzer)
        edit = self.edit(group)
        values = self.values(group, edit)
        many = group.count > 1
        title = render(template.title_many if many and template.title_many else template.title, values)
        detail = render(template.why.pick(self.variants), values)
        if many:
            detail += " " + render(template.repeat or self.templates.repeat, values)
        lead = group.lead
        if edit is None:
            start, end, rewrite = lead.start, lead.end, None
        else:
            start, end, rewrite = shown(edit, self.report.text)
        return Suggestion(priority=priority, analyzer=group.analyzer, rule=group.rule, title=title,
                          detail=detail, quote=self.report.text[start:end], start=start, end=end,
                          rewrite=rewrite)

    def action(self, group: Group) -> str:
        """The top suggestion as the summary's call to action."""
        template = self.templates.for_rule(group.rule, group.analyzer)
        edit = self.edit(group)
        return template.action.format_map(self.values(group, edit))
