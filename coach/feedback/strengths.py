"""The reply's strengths: one or two specific things it does well, quoting it (from report.evidence).

The strongest point is the one this customer needs most: an upset customer's acknowledgement
counts for more than a greeting. Weights: ranking.yaml `strengths` (per evidence rule), the
dimension's weight for the persona, and the mood weight of the absence the evidence cures.
"""
from __future__ import annotations

from dataclasses import dataclass

from coach.feedback import voice
from coach.feedback.ranking import ranking_settings, rule_weight
from coach.feedback.templates import StrengthTemplate, Templates, render
from coach.findings import Evidence, Finding
from coach.report import Report
from coach.scoring import weights_for

MAX_STRENGTHS = 2
# a passage the reply also gets wrong (an apology that is a non-apology) is not praised
_SERIOUS = ("warning", "error", "critical")
# a dimension praised without a quote must have run, scored at least this, and found nothing
_CLEAN_SCORE = 90.0


@dataclass(frozen=True)
class Strength:
    rule: str
    quote: str
    text: str
    praise: str


def _contradicted(evidence: Evidence, findings: list[Finding]) -> bool:
    return any(f.severity in _SERIOUS and f.start < evidence.end and evidence.start < f.end
               for f in findings if f.end > f.start)


def _render(template: StrengthTemplate, quote: str, values: dict[str, str]) -> tuple[str, str]:
    filled = {**values, "quote": voice.short(quote)}
    return render(template.text, filled), template.praise.format_map(filled)


def pick(report: Report, templates: Templates) -> list[Strength]:
    """Up to two strengths, strongest first; one per rule, each quoting its first passage."""
    settings = ranking_settings()
    weights = weights_for(report.persona)
    mood = settings["moods"].get(report.persona.mood, {})
    cures = {template.fills: rule for rule, template in templates.rules.items() if template.fills}
    values = voice.customer_values(report)
    candidates: dict[str, tuple[float, Evidence, StrengthTemplate]] = {}
    for evidence in report.evidence:
        template = templates.for_strength(evidence.rule, evidence.analyzer)
        if (template is None or evidence.rule in candidates or not evidence.text.strip()
                or _contradicted(evidence, report.findings)):
            continue
        weight = (settings["strengths"].get(evidence.rule, 1.0) * weights.get(evidence.analyzer, 1.0)
                  * rule_weight(cures.get(evidence.rule, evidence.rule), mood))
        candidates[evidence.rule] = (weight, evidence, template)
    ranked = sorted(candidates.values(), key=lambda c: (-c[0], c[1].start, c[1].rule))
    strengths = []
    for _, evidence, template in ranked[:MAX_STRENGTHS]:
        text, praise = _render(template, evidence.text, values)
        strengths.append(Strength(evidence.rule, evidence.text, text, praise))
    if strengths:
        return strengths
    return _clean_dimension(report, templates, values)


def _clean_dimension(report: Report, templates: Templates, values: dict[str, str]) -> list[Strength]:
    """With no evidence to quote, praise the most important dimension the reply gets fully right."""
    weights = weights_for(report.persona)
    flagged = {f.analyzer for f in report.findings}
    clean = [name for name, score in report.scores.items()
             if score is not None and score >= _CLEAN_SCORE and name not in flagged
             and name in templates.dimension_strengths]
    if not clean:
        return []
    best = min(clean, key=lambda name: (-weights.get(name, 1.0), name))
    text, praise = _render(templates.dimension_strengths[best], "", values)
    return [Strength(f"{best}.*", "", text, praise)]
