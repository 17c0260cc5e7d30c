"""Plain-text rendering of a Report for the terminal (`coach check` without --json)."""
from __future__ import annotations

from coach.report import Report

BAR_WIDTH = 20


def _bar(score: float) -> str:
    filled = round(score / 100 * BAR_WIDTH)
    return "#" * filled + "." * (BAR_WIDTH - filled)


def _quote(text: str, limit: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def render_report(report: Report, all_suggestions: bool = False) -> str:
    lines: list[str] = []
    overall = "n/a" if report.overall is None else f"{report.overall:.0f}/100"
    lines.append(f"Overall: {overall}   (audience: {report.persona.audience}, customer mood: {report.persona.mood})")
    if report.summary:
        lines.append(report.summary)
    if not report.ready_to_send:
        lines.append("Not ready to send yet: fill in the placeholders and fix what is marked critical.")
    lines.append("")
    for name, score in report.scores.items():
        status = report.status.get(name, "ok")
        if score is None:
            lines.append(f"  {name:<12} n/a  {status}")
        else:
            note = "" if status == "ok" else f"  ({status})"
            lines.append(f"  {name:<12} {score:5.0f}  {_bar(score)}{note}")
    metrics = report.metrics
    lines.append(f"  {metrics.get('words', 0)} words, {metrics.get('sentences', 0)} sentences, "
                 f"reading grade {metrics.get('grade', 'n/a')}")
    if report.findings:
        lines.append("")
        lines.append("Findings:")
        for finding in report.findings:
            where = f'"{_quote(finding.text)}"' if finding.text else "(missing)"
            lines.append(f"  [{finding.severity}] {finding.rule} {where}")
            lines.append(f"      {finding.message}")
            if finding.suggestion:
                lines.append(f"      try: {_quote(finding.suggestion, 100)}")
    suggestions = report.suggestions if all_suggestions else report.feedback
    if suggestions:
        lines.append("")
        lines.append("Suggestions:")
        for suggestion in suggestions:
            lines.append(f"  {suggestion.priority}. {suggestion.title}")
            if suggestion.quote:
                lines.append(f'     "{_quote(suggestion.quote)}"')
            lines.append(f"     {suggestion.detail}")
            if suggestion.rewrite:
                lines.append(f"     rewrite: {_quote(suggestion.rewrite, 100)}")
            if suggestion.changes:
                ids = ",".join(change.id for change in suggestion.changes)
                lines.append(f"     take it: coach check --accept {ids}")
        hidden = len(report.suggestions) - len(suggestions)
        if hidden > 0:
            lines.append(f"  (+{hidden} more: coach check --all)")
    if report.strengths:
        lines.append("")
        lines.append("Strengths:")
        lines.extend(f"  + {strength}" for strength in report.strengths)
    return "\n".join(lines) + "\n"
